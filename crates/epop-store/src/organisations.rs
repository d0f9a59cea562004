//! Organisations: partners, hosts, funders; their members (an account
//! belongs to one organisation at most, and joins one only when it belongs
//! to none) and the e-mailed links offering an account to join one.

use epop_domain::organisation::NewOrganisation;
use sqlx::AnyConnection;

use crate::{Result, SlugTable, StoreError, free_slug, now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: String,
    pub siret: Option<String>,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub members: i64,
}

type Row = (
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

const SELECT: &str = "SELECT o.id, o.slug, o.name, o.kind, o.siret, o.department_code, d.name, \
     (SELECT COUNT(*) FROM accounts a WHERE a.organisation_id = o.id) \
     FROM organisations o LEFT JOIN departments d ON d.code = o.department_code";

fn from_row(r: Row) -> Organisation {
    Organisation {
        id: r.0,
        slug: r.1,
        name: r.2,
        kind: r.3,
        siret: r.4,
        department_code: r.5,
        department_name: r.6,
        members: r.7,
    }
}

/// Creates an organisation with a slug made from its name (suffixed if taken).
/// A SIRET already used is a [`StoreError::Duplicate`].
pub async fn create(conn: &mut AnyConnection, org: &NewOrganisation) -> Result<Organisation> {
    let slug = free_slug(conn, SlugTable::Organisations, &org.name).await?;
    sqlx::query(
        "INSERT INTO organisations (slug, name, kind, siret, department_code, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&slug)
    .bind(&org.name)
    .bind(org.kind.code())
    .bind(org.siret.as_ref().map(|s| s.as_str().to_owned()))
    .bind(org.department.as_ref().map(|d| d.as_str().to_owned()))
    .bind(now())
    .execute(&mut *conn)
    .await?;
    by_slug(conn, &slug).await?.ok_or(StoreError::NotFound)
}

/// Updates name, kind, SIRET and département (the slug stays: links keep working).
pub async fn update(conn: &mut AnyConnection, id: i64, org: &NewOrganisation) -> Result<()> {
    let done = sqlx::query(
        "UPDATE organisations SET name = $1, kind = $2, siret = $3, department_code = $4 WHERE id = $5",
    )
    .bind(&org.name)
    .bind(org.kind.code())
    .bind(org.siret.as_ref().map(|s| s.as_str().to_owned()))
    .bind(org.department.as_ref().map(|d| d.as_str().to_owned()))
    .bind(id)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.slug = $1"));
    let row: Option<Row> = sqlx::query_as(sql).bind(slug).fetch_optional(conn).await?;
    Ok(row.map(from_row))
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.id = $1"));
    let row: Option<Row> = sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(from_row))
}

pub async fn by_name(conn: &mut AnyConnection, name: &str) -> Result<Option<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} WHERE o.name = $1"));
    let row: Option<Row> = sqlx::query_as(sql).bind(name).fetch_optional(conn).await?;
    Ok(row.map(from_row))
}

/// All organisations by name.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<Organisation>> {
    let sql = sqlx::AssertSqlSafe(format!("{SELECT} ORDER BY o.name"));
    let rows: Vec<Row> = sqlx::query_as(sql).fetch_all(conn).await?;
    Ok(rows.into_iter().map(from_row).collect())
}

/// Makes an account a member of an organisation if it belongs to none.
/// Returns whether it did (`false`: it belongs to one already, maybe this).
pub async fn add_member(
    conn: &mut AnyConnection,
    account_id: i64,
    organisation_id: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE accounts SET organisation_id = $1 WHERE id = $2 AND organisation_id IS NULL",
    )
    .bind(organisation_id)
    .bind(account_id)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

/// The purpose of the auth tokens that offer to join an organisation.
const JOIN: &str = "organisation_join";

/// Keeps a link (its hash) offering an account to join an organisation.
pub async fn offer_membership(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: i64,
    organisation_id: i64,
    ttl_secs: i64,
) -> Result<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, account_id, purpose, organisation_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(JOIN)
    .bind(organisation_id)
    .bind(t)
    .bind(t + ttl_secs)
    .execute(conn)
    .await?;
    Ok(())
}

/// The organisation a live link offers (to show it before joining), without
/// using the link: (account id, organisation).
pub async fn peek_offer(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<(i64, Organisation)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT account_id, organisation_id FROM auth_tokens WHERE token_hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3 AND organisation_id IS NOT NULL",
    )
    .bind(token_hash)
    .bind(JOIN)
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some((account, org)) = row else {
        return Ok(None);
    };
    Ok(by_id(conn, org).await?.map(|o| (account, o)))
}

/// Uses a link: one atomic update, so that it works once. Returns
/// (account id, organisation id).
pub async fn take_offer(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<(i64, i64)>> {
    let t = now();
    Ok(sqlx::query_as(
        "UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 AND organisation_id IS NOT NULL \
         RETURNING account_id, organisation_id",
    )
    .bind(t)
    .bind(token_hash)
    .bind(JOIN)
    .fetch_optional(conn)
    .await?)
}
