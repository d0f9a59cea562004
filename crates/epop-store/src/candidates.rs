//! Applications to become a peer worker or a référent: the draft filled in
//! one question per page (found by the hash of the token in its URL),
//! sending and confirming it by an e-mailed link, the coordination's list,
//! and the steps of the person's path with their dates (which
//! `/espace/mon-parcours` reads through [`path_of`]). Completing a training
//! makes a candidate a peer worker or a référent ([`promote`]).

use epop_domain::Role;
use epop_domain::candidate::{Status, Step};
use epop_domain::directory::{InterventionKind, ProfileKind};
use epop_domain::training::Audience;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::directory::{self, ProfileInput};
use crate::{Engine, Result, accounts};

/// An application as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    pub public_id: String,
    pub audience: Audience,
    pub status: Status,
    pub name: String,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// The codes as kept (checked when sent): a draft may hold any text.
    pub actions: Vec<String>,
    pub needs: String,
    pub account_id: Option<i64>,
    pub close_reason: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

impl Application {
    /// The actions chosen, in the texts' words.
    pub fn action_kinds(&self) -> Vec<InterventionKind> {
        InterventionKind::ALL
            .into_iter()
            .filter(|k| self.actions.iter().any(|a| a == k.code()))
            .collect()
    }
}

/// What a draft holds, as typed so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DraftAnswers {
    pub name: String,
    pub department: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub actions: Vec<String>,
    pub needs: String,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<String>,
    i64,
    Option<i64>,
);

const SELECT: &str = "SELECT c.id, c.public_id, c.audience, c.status, c.name, c.department_code, d.name, \
     c.email, c.phone, c.actions, c.needs, c.account_id, c.close_reason, c.created_at, c.sent_at \
     FROM candidate_applications c LEFT JOIN departments d ON d.code = c.department_code";

fn from_row(r: Row) -> Application {
    let (
        id,
        public_id,
        audience,
        status,
        name,
        department_code,
        department_name,
        email,
        phone,
        actions,
        needs,
        account_id,
        close_reason,
        created_at,
        sent_at,
    ) = r;
    Application {
        id,
        public_id,
        audience: Audience::from_code(&audience).unwrap_or(Audience::Peer),
        status: Status::from_code(&status).unwrap_or(Status::Closed),
        name,
        department_code,
        department_name,
        email,
        phone,
        actions: actions.split_whitespace().map(str::to_owned).collect(),
        needs,
        account_id,
        close_reason,
        created_at,
        sent_at,
    }
}

async fn one(conn: &mut AnyConnection, filter: &str, value: &str) -> Result<Option<Application>> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE {filter}")))
        .bind(value)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(from_row))
}

/// Starts an empty draft for `audience`, found later by `token_hash`.
pub async fn create_draft(
    conn: &mut AnyConnection,
    public_id: &str,
    audience: Audience,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO candidate_applications (public_id, audience, status, draft_token_hash, name, actions, needs, \
         created_at, updated_at) VALUES ($1, $2, 'draft', $3, '', '', '', $4, $4)",
    )
    .bind(public_id)
    .bind(audience.code())
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The draft of this token, while it is one.
pub async fn draft(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Application>> {
    one(
        conn,
        "c.draft_token_hash = $1 AND c.status = 'draft'",
        token_hash,
    )
    .await
}

/// Keeps the draft's answers as they now are.
pub async fn save_draft(
    conn: &mut AnyConnection,
    id: i64,
    a: &DraftAnswers,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE candidate_applications SET name = $1, department_code = $2, email = $3, phone = $4, \
         actions = $5, needs = $6, updated_at = $7 WHERE id = $8 AND status = 'draft'",
    )
    .bind(&a.name)
    .bind(a.department.clone())
    .bind(a.email.clone())
    .bind(a.phone.clone())
    .bind(a.actions.join(" "))
    .bind(&a.needs)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Sends a checked draft: with an address, it waits for the e-mailed link
/// (`confirm_hash`); with a phone number only, it goes to the coordination
/// at once. `false`: it was sent already (a second click).
pub async fn send(
    conn: &mut AnyConnection,
    id: i64,
    confirm_hash: Option<&str>,
    now: i64,
) -> Result<bool> {
    let status = if confirm_hash.is_some() {
        Status::Unconfirmed
    } else {
        Status::New
    };
    let changed = sqlx::query(
        "UPDATE candidate_applications SET status = $1, confirm_token_hash = $2, draft_token_hash = NULL, \
         consent_at = $3, sent_at = $3, updated_at = $3 WHERE id = $4 AND status = 'draft'",
    )
    .bind(status.code())
    .bind(confirm_hash)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    step_if(conn, changed, id, Step::Sent, now).await
}

/// Records `step` when the guarded update before it `changed` a row.
async fn step_if(
    conn: &mut AnyConnection,
    changed: u64,
    id: i64,
    step: Step,
    now: i64,
) -> Result<bool> {
    if changed == 0 {
        return Ok(false);
    }
    record(conn, id, step, "", None, now).await?;
    Ok(true)
}

/// The application of a confirmation link, whatever its status since.
pub async fn by_confirm_token(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<Application>> {
    one(conn, "c.confirm_token_hash = $1", token_hash).await
}

/// Confirms the address: the application goes to the coordination,
/// attached to `account_id`. `false`: confirmed already (a second click).
pub async fn confirm(conn: &mut AnyConnection, id: i64, account_id: i64, now: i64) -> Result<bool> {
    let changed = sqlx::query(
        "UPDATE candidate_applications SET status = 'new', account_id = $1, updated_at = $2 \
         WHERE id = $3 AND status = 'unconfirmed'",
    )
    .bind(account_id)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    step_if(conn, changed, id, Step::Confirmed, now).await
}

pub async fn by_public_id(
    conn: &mut AnyConnection,
    public_id: &str,
) -> Result<Option<Application>> {
    one(conn, "c.public_id = $1", public_id).await
}

/// Applications sent to the coordination (not drafts, not waiting for
/// their address to be confirmed), newest first; `departments`: only
/// those of these départements (a coordinator's list), `None`: all.
pub async fn list(
    conn: &mut AnyConnection,
    departments: Option<&[String]>,
) -> Result<Vec<Application>> {
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE c.status NOT IN ('draft', 'unconfirmed') ORDER BY c.sent_at DESC, c.id DESC"
    )))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(from_row)
        .filter(|a| match departments {
            None => true,
            Some(list) => a.department_code.as_ref().is_some_and(|d| list.contains(d)),
        })
        .collect())
}

/// The applications of an account, newest first.
pub async fn of_account(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Application>> {
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "{SELECT} WHERE c.account_id = $1 ORDER BY c.id DESC"
    )))
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Records a step of an application's path (and the status it leads to);
/// `detail`: what it was about (a meeting's title, a reason…).
pub async fn record(
    conn: &mut AnyConnection,
    application_id: i64,
    step: Step,
    detail: &str,
    actor: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO candidate_steps (application_id, step, detail, actor_id, at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(application_id)
    .bind(step.code())
    .bind(detail)
    .bind(actor)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if let Some(status) = step.status() {
        sqlx::query("UPDATE candidate_applications SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.code())
            .bind(now)
            .bind(application_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Closes an application with the reason given to the person.
pub async fn close(
    conn: &mut AnyConnection,
    application_id: i64,
    reason: &str,
    actor: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE candidate_applications SET close_reason = $1 WHERE id = $2")
        .bind(reason)
        .bind(application_id)
        .execute(&mut *conn)
        .await?;
    record(conn, application_id, Step::Closed, reason, Some(actor), now).await
}

/// One step of a person's path, with its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathStep {
    pub step: Step,
    pub detail: String,
    pub at: i64,
}

/// The steps found by `filter` (on `c`, the application), in order.
async fn steps_where(conn: &mut AnyConnection, filter: &str, id: i64) -> Result<Vec<PathStep>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT s.step, s.detail, s.at FROM candidate_steps s \
         JOIN candidate_applications c ON c.id = s.application_id WHERE {filter} ORDER BY s.at, s.id"
    )))
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(step, detail, at)| {
            Some(PathStep {
                step: Step::from_code(&step)?,
                detail,
                at,
            })
        })
        .collect())
}

/// The steps of one application, in order.
pub async fn steps(conn: &mut AnyConnection, application_id: i64) -> Result<Vec<PathStep>> {
    steps_where(conn, "c.id = $1", application_id).await
}

/// A person's path from their application on (every application of the
/// account), in order, with dates: for `/espace/mon-parcours`.
pub async fn path_of(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<PathStep>> {
    steps_where(conn, "c.account_id = $1", account_id).await
}

/// Records a training step (applied, accepted) on the open applications of
/// an account; nothing when the person has none.
pub async fn training_step(
    conn: &mut AnyConnection,
    account_id: i64,
    step: Step,
    detail: &str,
    actor: Option<i64>,
    now: i64,
) -> Result<()> {
    for a in of_account(conn, account_id).await? {
        if a.status.is_open() {
            record(conn, a.id, step, detail, actor, now).await?;
        }
    }
    Ok(())
}

/// The training `detail` is completed: a candidate becomes a peer worker
/// or a référent as the programme's `audience` says, is a candidate no
/// more, and gets a hidden directory profile (their name, département and
/// the actions they chose) that the training marks as trained and that
/// they fill in themselves. `false`: the person was no candidate.
pub async fn promote(
    conn: &mut AnyConnection,
    engine: Engine,
    account_id: i64,
    audience: Audience,
    detail: &str,
    actor: i64,
    now: i64,
) -> Result<bool> {
    let principal = accounts::principal(conn, account_id).await?;
    if !principal.has(Role::Candidate) {
        return Ok(false);
    }
    accounts::grant(conn, account_id, audience.role()).await?;
    accounts::revoke(conn, account_id, Role::Candidate).await?;
    let applications = of_account(conn, account_id).await?;
    let kind = ProfileKind::from_code(audience.code()).unwrap_or(ProfileKind::Peer);
    if directory::profile_of(conn, account_id, kind)
        .await?
        .is_none()
        && let Some(account) = accounts::by_id(conn, account_id).await?
    {
        let chosen = applications.first();
        let input = ProfileInput {
            interventions: chosen.map(Application::action_kinds).unwrap_or_default(),
            ..ProfileInput::new_hidden(
                kind,
                account.display_name.clone(),
                account.department_code.clone(),
                account.organisation_id,
            )
        };
        directory::upsert(conn, engine, account_id, &input).await?;
    }
    for a in applications.iter().filter(|a| a.status.is_open()) {
        record(conn, a.id, Step::Trained, detail, Some(actor), now).await?;
    }
    Ok(true)
}

/// Who hears of an application of `department`: its active coordinators,
/// or the active administrators when nobody coordinates it (or none was
/// given). (name, e-mail).
pub async fn coordination_of(
    conn: &mut AnyConnection,
    department: Option<&str>,
) -> Result<Vec<(String, String)>> {
    if let Some(d) = department {
        let list = accounts::coordinators_of(conn, d).await?;
        if !list.is_empty() {
            return Ok(list);
        }
    }
    Ok(sqlx::query_as(
        "SELECT a.display_name, a.email FROM accounts a JOIN account_roles r ON r.account_id = a.id \
         WHERE r.role = 'admin' AND a.status = 'active' ORDER BY a.email",
    )
    .fetch_all(conn)
    .await?)
}
