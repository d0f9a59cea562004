//! The rules of legal and payment frameworks as data: the defaults written
//! in the domain crate, replaced pair by pair by what an administrator
//! edits (with who and when); and the framework chosen for a request with
//! the peer's situations.

use chrono::NaiveDate;
use epop_domain::legal::{self, Framework, Rule, RuleForm, Situation};
use sqlx::AnyConnection;

use crate::Result;

type Row = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
);

/// Every rule in force: an administrator's edit where there is one, the
/// default otherwise, in the order of the defaults.
pub async fn rules(conn: &mut AnyConnection) -> Result<Vec<Rule>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT situation, framework, verdict, requirements, warnings, warnings_easy, whom_to_ask, source, checked_on \
         FROM legal_rules",
    )
    .fetch_all(conn)
    .await?;
    let edited: Vec<Rule> = rows
        .into_iter()
        .filter_map(|r| {
            RuleForm {
                situation: r.0,
                framework: r.1,
                verdict: r.2,
                requirements: r.3,
                warnings: r.4,
                warnings_easy: r.5,
                whom_to_ask: r.6,
                source: r.7,
                checked_on: r.8,
            }
            // Stored rules were checked when saved; any date is accepted here.
            .validate(NaiveDate::MAX)
            .ok()
        })
        .collect();
    Ok(legal::default_rules()
        .into_iter()
        .map(|d| {
            edited
                .iter()
                .find(|e| e.situation == d.situation && e.framework == d.framework)
                .cloned()
                .unwrap_or(d)
        })
        .collect())
}

/// Saves an administrator's version of one rule.
pub async fn save(conn: &mut AnyConnection, rule: &Rule, by: i64, now: i64) -> Result<()> {
    let f = rule.to_form();
    sqlx::query(
        "INSERT INTO legal_rules (situation, framework, verdict, requirements, warnings, warnings_easy, whom_to_ask, \
         source, checked_on, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (situation, framework) DO UPDATE SET verdict = excluded.verdict, requirements = excluded.requirements, \
         warnings = excluded.warnings, warnings_easy = excluded.warnings_easy, whom_to_ask = excluded.whom_to_ask, \
         source = excluded.source, checked_on = excluded.checked_on, updated_by = excluded.updated_by, \
         updated_at = excluded.updated_at",
    )
    .bind(&f.situation)
    .bind(&f.framework)
    .bind(&f.verdict)
    .bind(&f.requirements)
    .bind(&f.warnings)
    .bind(&f.warnings_easy)
    .bind(&f.whom_to_ask)
    .bind(&f.source)
    .bind(&f.checked_on)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records the framework chosen for a request and the peer's situations.
pub async fn choose(
    conn: &mut AnyConnection,
    request_id: i64,
    framework: Framework,
    situations: &[Situation],
    now: i64,
) -> Result<()> {
    let codes: Vec<&str> = situations.iter().map(|s| s.code()).collect();
    sqlx::query(
        "UPDATE intervention_requests SET framework = $1, situations = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(framework.code())
    .bind(codes.join(" "))
    .bind(now)
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The framework chosen for a request, with the situations, if any.
pub async fn chosen(
    conn: &mut AnyConnection,
    request_id: i64,
) -> Result<Option<(Framework, Vec<Situation>)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT framework, situations FROM intervention_requests WHERE id = $1")
            .bind(request_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(f, s)| {
        let f = Framework::from_code(f.as_deref()?)?;
        let s = s
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(Situation::from_code)
            .collect();
        Some((f, s))
    }))
}
