//! Accounts, their roles and the territories of territorial roles; and the
//! [`Principal`] the rules check, built from them.

use std::collections::BTreeMap;

use epop_domain::account::AccountStatus;
use epop_domain::{Email, Principal, Role};
use sqlx::AnyConnection;

use crate::{Result, StoreError, now};

/// What the sign-in code needs to know about an account.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: Option<String>,
    pub status: AccountStatus,
}

/// A territory a role is scoped to: `("department", "31")` or `("region", "76")`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Scope {
    pub kind: String,
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub public_id: String,
    pub email: String,
    pub display_name: String,
    pub has_password: bool,
    pub status: AccountStatus,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub created_at: i64,
    pub last_sign_in_at: Option<i64>,
    /// Each role held, with its territories (empty for non-territorial roles).
    pub roles: BTreeMap<Role, Vec<Scope>>,
}

/// A new account as the rules accepted it.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub public_id: String,
    pub email: Email,
    pub display_name: String,
    pub status: AccountStatus,
    pub department: Option<String>,
    pub organisation_id: Option<i64>,
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    Option<i64>,
);

const SELECT: &str = "SELECT a.id, a.public_id, a.email, a.display_name, a.password_hash, a.status, \
     a.department_code, d.name, a.organisation_id, o.name, a.created_at, a.last_sign_in_at \
     FROM accounts a LEFT JOIN departments d ON d.code = a.department_code \
     LEFT JOIN organisations o ON o.id = a.organisation_id";

fn from_row(r: Row) -> Account {
    Account {
        id: r.0,
        public_id: r.1,
        email: r.2,
        display_name: r.3,
        has_password: r.4.is_some(),
        status: AccountStatus::from_code(&r.5).unwrap_or(AccountStatus::Disabled),
        department_code: r.6,
        department_name: r.7,
        organisation_id: r.8,
        organisation_name: r.9,
        created_at: r.10,
        last_sign_in_at: r.11,
        roles: BTreeMap::new(),
    }
}

/// Creates an account; an e-mail already used is a [`StoreError::Duplicate`].
pub async fn create(conn: &mut AnyConnection, new: &NewAccount) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO accounts (public_id, email, display_name, status, department_code, organisation_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&new.public_id)
    .bind(new.email.as_str())
    .bind(&new.display_name)
    .bind(new.status.code())
    .bind(new.department.clone())
    .bind(new.organisation_id)
    .bind(now())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Updates what an administrator may change about a person.
pub async fn update_profile(
    conn: &mut AnyConnection,
    id: i64,
    display_name: &str,
    department: Option<&str>,
    organisation_id: Option<i64>,
    status: AccountStatus,
) -> Result<()> {
    sqlx::query(
        "UPDATE accounts SET display_name = $1, department_code = $2, organisation_id = $3, status = $4 WHERE id = $5",
    )
    .bind(display_name)
    .bind(department.map(str::to_owned))
    .bind(organisation_id)
    .bind(status.code())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn credentials(conn: &mut AnyConnection, email: &Email) -> Result<Option<Credentials>> {
    let row: Option<(i64, Option<String>, String)> =
        sqlx::query_as("SELECT id, password_hash, status FROM accounts WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, password_hash, status)| Credentials {
        id,
        password_hash,
        status: AccountStatus::from_code(&status).unwrap_or(AccountStatus::Disabled),
    }))
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Account>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE a.id = $1"));
    let row: Option<Row> = sqlx::query_as(sql)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => {
            let mut account = from_row(r);
            account.roles = roles_of(conn, account.id).await?;
            Ok(Some(account))
        }
        None => Ok(None),
    }
}

pub async fn by_public_id(conn: &mut AnyConnection, public_id: &str) -> Result<Option<Account>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE public_id = $1")
        .bind(public_id)
        .fetch_optional(&mut *conn)
        .await?;
    match id {
        Some(id) => by_id(conn, id).await,
        None => Ok(None),
    }
}

/// Accounts, most recent first; limited to the given départements when
/// `departments` is `Some` (a coordinator's view).
pub async fn list(
    conn: &mut AnyConnection,
    departments: Option<&[String]>,
    role: Option<Role>,
) -> Result<Vec<Account>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY a.created_at DESC, a.id DESC"));
    let rows: Vec<Row> = sqlx::query_as(sql).fetch_all(&mut *conn).await?;
    let grants: Vec<(i64, String)> = sqlx::query_as("SELECT account_id, role FROM account_roles")
        .fetch_all(&mut *conn)
        .await?;
    let mut by_account: BTreeMap<i64, Vec<Role>> = BTreeMap::new();
    for (id, role) in grants {
        if let Some(r) = Role::from_code(&role) {
            by_account.entry(id).or_default().push(r);
        }
    }
    let mut out = Vec::new();
    for row in rows {
        let mut account = from_row(row);
        if let Some(allowed) = departments {
            match &account.department_code {
                Some(d) if allowed.contains(d) => {}
                _ => continue,
            }
        }
        for r in by_account.remove(&account.id).unwrap_or_default() {
            account.roles.insert(r, Vec::new());
        }
        if role.is_some_and(|r| !account.roles.contains_key(&r)) {
            continue;
        }
        out.push(account);
    }
    Ok(out)
}

async fn roles_of(conn: &mut AnyConnection, id: i64) -> Result<BTreeMap<Role, Vec<Scope>>> {
    let roles: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM account_roles WHERE account_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let scopes: Vec<(String, String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT s.role, s.territory_kind, s.territory_code, d.name, r.name FROM role_scopes s \
         LEFT JOIN departments d ON s.territory_kind = 'department' AND d.code = s.territory_code \
         LEFT JOIN regions r ON s.territory_kind = 'region' AND r.code = s.territory_code \
         WHERE s.account_id = $1 ORDER BY s.territory_kind DESC, s.territory_code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut map: BTreeMap<Role, Vec<Scope>> = roles
        .into_iter()
        .filter_map(|(r,)| Role::from_code(&r))
        .map(|r| (r, Vec::new()))
        .collect();
    for (role, kind, code, dept_name, region_name) in scopes {
        if let Some(list) = Role::from_code(&role).and_then(|r| map.get_mut(&r)) {
            let name = dept_name.or(region_name).unwrap_or_else(|| code.clone());
            list.push(Scope { kind, code, name });
        }
    }
    Ok(map)
}

/// Gives a role (idempotent).
pub async fn grant(conn: &mut AnyConnection, id: i64, role: Role) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_roles (account_id, role, granted_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, role) DO NOTHING",
    )
    .bind(id)
    .bind(role.code())
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a role away, with its territories.
pub async fn revoke(conn: &mut AnyConnection, id: i64, role: Role) -> Result<()> {
    sqlx::query("DELETE FROM role_scopes WHERE account_id = $1 AND role = $2")
        .bind(id)
        .bind(role.code())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM account_roles WHERE account_id = $1 AND role = $2")
        .bind(id)
        .bind(role.code())
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces the territories of a territorial role. `scopes` are
/// `("department" | "region", code)` pairs, already validated.
pub async fn set_scopes(
    conn: &mut AnyConnection,
    id: i64,
    role: Role,
    scopes: &[(String, String)],
) -> Result<()> {
    sqlx::query("DELETE FROM role_scopes WHERE account_id = $1 AND role = $2")
        .bind(id)
        .bind(role.code())
        .execute(&mut *conn)
        .await?;
    for (kind, code) in scopes {
        sqlx::query(
            "INSERT INTO role_scopes (account_id, role, territory_kind, territory_code) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(role.code())
        .bind(kind)
        .bind(code)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

pub async fn set_password(conn: &mut AnyConnection, id: i64, hash: &str) -> Result<()> {
    sqlx::query("UPDATE accounts SET password_hash = $1, status = 'active' WHERE id = $2 AND status <> 'disabled'")
        .bind(hash)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a successful sign-in; an invited account becomes active.
pub async fn mark_signed_in(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE accounts SET last_sign_in_at = $1, \
         status = CASE WHEN status = 'invited' THEN 'active' ELSE status END WHERE id = $2",
    )
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// How many accounts hold a role (used to tell whether an admin exists).
pub async fn count_with_role(conn: &mut AnyConnection, role: Role) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM account_roles WHERE role = $1")
            .bind(role.code())
            .fetch_one(conn)
            .await?,
    )
}

/// The person as the rules see them, territorial scopes expanded to départements.
pub async fn principal(conn: &mut AnyConnection, id: i64) -> Result<Principal> {
    let roles: Vec<(String,)> =
        sqlx::query_as("SELECT role FROM account_roles WHERE account_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let scoped: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.role, d.code FROM role_scopes s JOIN departments d \
         ON (s.territory_kind = 'department' AND d.code = s.territory_code) \
         OR (s.territory_kind = 'region' AND d.region_code = s.territory_code) \
         WHERE s.account_id = $1",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let mut p = Principal {
        account_id: id,
        roles: roles
            .into_iter()
            .filter_map(|(r,)| Role::from_code(&r))
            .collect(),
        ..Default::default()
    };
    for (role, dept) in scoped {
        match Role::from_code(&role) {
            Some(Role::Coordinator) => {
                p.coordinated_departments.insert(dept);
            }
            Some(Role::Observer) => {
                p.observed_departments.insert(dept);
            }
            _ => {}
        }
    }
    Ok(p)
}

/// Returns the account id for an e-mail, or NotFound.
pub async fn id_by_email(conn: &mut AnyConnection, email: &Email) -> Result<i64> {
    sqlx::query_scalar("SELECT id FROM accounts WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await?
        .ok_or(StoreError::NotFound)
}

/// Changes the name an account shows (from the profile form).
pub async fn update_display_name(conn: &mut AnyConnection, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE accounts SET display_name = $1 WHERE id = $2")
        .bind(name)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The active coordinators of a département (scoped to it or to its
/// region): (name, e-mail), to tell them about a new request.
pub async fn coordinators_of(
    conn: &mut AnyConnection,
    department: &str,
) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT a.display_name, a.email FROM accounts a \
         JOIN role_scopes s ON s.account_id = a.id AND s.role = 'coordinator' \
         WHERE a.status = 'active' AND ((s.territory_kind = 'department' AND s.territory_code = $1) \
         OR (s.territory_kind = 'region' AND s.territory_code = (SELECT region_code FROM departments WHERE code = $1))) \
         ORDER BY a.email",
    )
    .bind(department)
    .fetch_all(conn)
    .await?)
}

/// Whether the person with this address asked for their e-mails in
/// easy-read French (false for an address without an account).
pub async fn wants_easy_read_emails(conn: &mut AnyConnection, email: &str) -> Result<bool> {
    let words: Option<String> =
        sqlx::query_scalar("SELECT email_words FROM accounts WHERE email = $1")
            .bind(email)
            .fetch_optional(conn)
            .await?;
    Ok(words.as_deref() == Some("facile"))
}

/// Keeps the person's choice of easy-read e-mails; returns whether it
/// changed.
pub async fn set_easy_read_emails(conn: &mut AnyConnection, id: i64, easy: bool) -> Result<bool> {
    Ok(
        sqlx::query("UPDATE accounts SET email_words = $1 WHERE id = $2 AND email_words <> $1")
            .bind(if easy { "facile" } else { "habituels" })
            .bind(id)
            .execute(conn)
            .await?
            .rows_affected()
            == 1,
    )
}

/// The phone number kept for an account, if any.
pub async fn phone(conn: &mut AnyConnection, id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT phone FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?
            .flatten(),
    )
}

/// Keeps a phone number; returns whether it changed.
pub async fn set_phone(conn: &mut AnyConnection, id: i64, phone: &str) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE accounts SET phone = $1 WHERE id = $2 AND (phone IS NULL OR phone <> $1)",
    )
    .bind(phone)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}
