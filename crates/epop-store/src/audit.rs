//! The audit log: who did what, when, from where. Sign-ins, failed sign-ins,
//! role and territory changes, and every read of a sensitive field.

use sqlx::AnyConnection;

use crate::{Result, now};

/// One thing to remember.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    pub actor_id: Option<i64>,
    /// A stable code, e.g. `sign_in`, `sign_in_failed`, `role_granted`.
    pub action: &'a str,
    /// What it was done to, e.g. `account:k3j…` (public ids only).
    pub subject: Option<String>,
    /// Details in French, for the people who read the log.
    pub detail: String,
    pub ip: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub at: i64,
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
    pub ip: Option<String>,
}

/// What the admin page filters on; empty strings mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub action: String,
    /// Part of the actor's e-mail or name.
    pub actor: String,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

pub async fn record(conn: &mut AnyConnection, e: Event<'_>) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, subject, detail, ip) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(e.actor_id)
        .bind(e.action)
        .bind(e.subject)
        .bind(e.detail)
        .bind(e.ip)
        .execute(conn)
        .await?;
    Ok(())
}

/// Lines matching the filter, newest first, and the total count.
pub async fn search(
    conn: &mut AnyConnection,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<(Vec<Line>, i64)> {
    let actor = format!("%{}%", f.actor.to_lowercase());
    const WHERE: &str = "WHERE ($1 = '' OR l.action = $1) \
         AND ($2 = '%%' OR LOWER(a.email) LIKE $2 OR LOWER(a.display_name) LIKE $2) \
         AND l.at >= $3 AND l.at <= $4";
    let from = f.from.unwrap_or(0);
    let to = f.to.unwrap_or(i64::MAX);
    let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id {WHERE}"
    )))
    .bind(f.action.clone())
    .bind(actor.clone())
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<(
        i64,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        String,
        Option<String>,
    )> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT l.at, a.display_name, a.email, l.action, l.subject, l.detail, l.ip \
             FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id {WHERE} \
             ORDER BY l.id DESC LIMIT $5 OFFSET $6"
    )))
    .bind(f.action.clone())
    .bind(actor)
    .bind(from)
    .bind(to)
    .bind(limit)
    .bind(offset)
    .fetch_all(conn)
    .await?;
    let lines = rows
        .into_iter()
        .map(|r| Line {
            at: r.0,
            actor: match (r.1, r.2) {
                (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
                _ => None,
            },
            action: r.3,
            subject: r.4,
            detail: r.5,
            ip: r.6,
        })
        .collect();
    Ok((lines, total))
}

/// The action codes present in the log, for the filter.
pub async fn actions(conn: &mut AnyConnection) -> Result<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT DISTINCT action FROM audit_log ORDER BY action")
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}
