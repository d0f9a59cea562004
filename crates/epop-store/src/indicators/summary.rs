//! The indicators' summary, kept by the database's triggers and recounted
//! here: `indicator_sums` holds, per département, kind of intervention and
//! month, the counts and sums the indicators add up (requests by how far
//! they went, interventions done by kind of host, their delays, hours,
//! audiences, fees and expenses, answers and invitations), with `*` rows
//! for the whole country and for every kind; `indicator_peers` holds which
//! peers did an intervention, per département, kind and year (a distinct
//! count cannot be added up month by month), and `indicator_peer_counts`
//! how many they are for the country and each région.
//!
//! The triggers (migration 0034) log which (département, time) a change
//! touched in `indicator_changes`. [`refresh`] takes the log, recounts the
//! cells it names from the tables — the same grouped queries that once
//! counted a whole period, now over one month of a few départements — and
//! empties it, in one transaction that writers wait for (the log's lock on
//! PostgreSQL, the write lock on SQLite), so no change is lost between the
//! reading of the log and its emptying. A log longer than
//! [`REBUILD_ABOVE`] rows, or the row at -1 that the migration leaves,
//! recounts everything.
//!
//! Keys: a département's code (`-` for a request without one, `*` for the
//! whole country, `*76` for the région 76: sums of their départements'
//! rows, so that the areas people read most add up the fewest rows); a kind's code (`-` for none, `*` for all kinds, and the
//! empty string for answers and invitations about something other than an
//! intervention, which every kind's figures include).

use std::collections::{BTreeMap, BTreeSet};

use epop_domain::indicators::Month;
use sqlx::{AnyConnection, AssertSqlSafe};

use super::{Scope, stage};
use crate::{Db, Engine, Result};

/// A longer log is not read cell by cell: everything is recounted.
pub const REBUILD_ABOVE: i64 = 50_000;

/// The key of a département in the summary.
pub(super) const ALL: &str = "*";

/// A summary row's key: département, kind, metric, detail.
type Key = (String, String, &'static str, String);

/// Brings the summary up to date with the changes logged since the last
/// time. Cheap when nothing changed (one read of an empty table).
pub async fn refresh(db: &Db) -> Result<()> {
    let pending: Option<i64> = sqlx::query_scalar("SELECT 1 FROM indicator_changes LIMIT 1")
        .fetch_optional(db.pool())
        .await?;
    if pending.is_none() {
        return Ok(());
    }
    let mut tx = db.write().await?;
    if db.engine() == Engine::Postgres {
        sqlx::query("LOCK TABLE indicator_changes IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let (logged, lowest): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), MIN(at) FROM indicator_changes")
            .fetch_one(&mut *tx)
            .await?;
    if logged > REBUILD_ABOVE || lowest == Some(-1) {
        recount_everything(&mut tx).await?;
    } else {
        let changed: Vec<(Option<String>, i64)> = sqlx::query_as(
            "SELECT DISTINCT department_code, at FROM indicator_changes WHERE at IS NOT NULL",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut months: BTreeMap<Month, BTreeSet<String>> = BTreeMap::new();
        let mut years: BTreeMap<i32, BTreeSet<String>> = BTreeMap::new();
        for (place, at) in changed {
            let place = place.unwrap_or_else(|| "-".into());
            let month = Month::containing(at);
            years.entry(month.year).or_default().insert(place.clone());
            months.entry(month).or_default().insert(place);
        }
        for (month, places) in months {
            let places: Vec<String> = places.into_iter().collect();
            recount_month(&mut tx, month, Some(&places)).await?;
        }
        for (year, places) in years {
            let places: Vec<String> = places.into_iter().collect();
            recount_peers(&mut tx, year, Some(&places)).await?;
        }
    }
    sqlx::query("DELETE FROM indicator_changes")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Empties the summary and counts it again from the tables, every month
/// from the first time to the last one any counted row holds.
pub async fn rebuild(db: &Db) -> Result<()> {
    sqlx::query("INSERT INTO indicator_changes (department_code, at) VALUES (NULL, -1)")
        .execute(db.pool())
        .await?;
    refresh(db).await
}

async fn recount_everything(conn: &mut AnyConnection) -> Result<()> {
    sqlx::query("DELETE FROM indicator_sums")
        .execute(&mut *conn)
        .await?;
    for table in ["indicator_peers", "indicator_peer_counts"] {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM {table}")))
            .execute(&mut *conn)
            .await?;
    }
    let mut span: Option<(i64, i64)> = None;
    for (table, column) in [
        ("intervention_requests", "submitted_at"),
        ("intervention_requests", "done_at"),
        ("questionnaire_invitations", "created_at"),
        ("questionnaire_responses", "created_at"),
    ] {
        let (low, high): (Option<i64>, Option<i64>) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT MIN({column}), MAX({column}) FROM {table}"
        )))
        .fetch_one(&mut *conn)
        .await?;
        if let (Some(low), Some(high)) = (low, high) {
            span = Some(span.map_or((low, high), |(a, b)| (a.min(low), b.max(high))));
        }
    }
    let Some((first, last)) = span else {
        return Ok(());
    };
    let (first, last) = (Month::containing(first), Month::containing(last));
    let mut month = first;
    while month <= last {
        recount_month(conn, month, None).await?;
        month = month.next();
    }
    for year in first.year..=last.year {
        recount_peers(conn, year, None).await?;
    }
    Ok(())
}

/// `places`' condition on a département column: `None` for all.
fn scope(month_start: i64, month_end: i64, places: Option<&[String]>) -> Scope {
    Scope {
        from: month_start,
        to: month_end,
        departments: places.map(<[String]>::to_vec),
        kind: None,
        rollup: None,
    }
}

/// ` AND department_code IN (…)` over the summary's own keys.
fn keyed(places: Option<&[String]>) -> String {
    places
        .map(|p| {
            format!(
                " AND department_code IN ({})",
                p.iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        })
        .unwrap_or_default()
}

/// Counts again the rows of `month` for `places` (`None`: every
/// département), then the country's rows of the month.
async fn recount_month(
    conn: &mut AnyConnection,
    month: Month,
    places: Option<&[String]>,
) -> Result<()> {
    let start = month.start();
    let s = scope(start, month.next().start(), places);
    let mut sums: BTreeMap<Key, i64> = BTreeMap::new();
    count_requests(conn, &s, &mut sums).await?;
    count_done(conn, &s, &mut sums).await?;
    count_answers(conn, &s, &mut sums).await?;
    let every_kind: Vec<(Key, i64)> = sums
        .iter()
        .map(|((p, _, m, d), v)| ((p.clone(), ALL.to_owned(), *m, d.clone()), *v))
        .collect();
    for (key, v) in every_kind {
        *sums.entry(key).or_default() += v;
    }
    let drop = match places {
        Some(_) => format!(
            "DELETE FROM indicator_sums WHERE month = $1{}",
            keyed(places)
        ),
        None => "DELETE FROM indicator_sums WHERE month = $1".to_owned(),
    };
    sqlx::query(AssertSqlSafe(drop))
        .bind(start)
        .execute(&mut *conn)
        .await?;
    let rows: Vec<(Key, i64)> = sums.into_iter().filter(|(_, v)| *v != 0).collect();
    for chunk in rows.chunks(400) {
        let values = (0..chunk.len())
            .map(|i| {
                let b = i * 5;
                format!(
                    "(${}, ${}, $1, ${}, ${}, ${})",
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO indicator_sums (department_code, kind, month, metric, detail, value) \
             VALUES {values}"
        );
        let mut q = sqlx::query(AssertSqlSafe(sql)).bind(start);
        for ((place, kind, metric, detail), v) in chunk {
            q = q
                .bind(place.clone())
                .bind(kind.clone())
                .bind(*metric)
                .bind(detail.clone())
                .bind(*v);
        }
        q.execute(&mut *conn).await?;
    }
    // The country's and the régions' rows: sums of their départements'.
    sqlx::query("DELETE FROM indicator_sums WHERE month = $1 AND department_code LIKE '*%'")
        .bind(start)
        .execute(&mut *conn)
        .await?;
    for (key, join, by) in [
        ("'*'", "", ""),
        (
            "'*' || d.region_code",
            " JOIN departments d ON d.code = s.department_code",
            "d.region_code, ",
        ),
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO indicator_sums (department_code, kind, month, metric, detail, value) \
             SELECT {key}, s.kind, s.month, s.metric, s.detail, SUM(s.value) \
             FROM indicator_sums s{join} \
             WHERE s.month = $1 AND s.department_code NOT LIKE '*%' \
             GROUP BY {by}s.kind, s.month, s.metric, s.detail"
        )))
        .bind(start)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The peers who did an intervention in `year`, for `places` (`None`:
/// every département), by kind and for every kind; then the country's and
/// the régions' rows of the peers concerned (all of them for `None`).
async fn recount_peers(
    conn: &mut AnyConnection,
    year: i32,
    places: Option<&[String]>,
) -> Result<()> {
    let (from, to) = (
        Month { year, month: 1 }.start(),
        Month {
            year: year + 1,
            month: 1,
        }
        .start(),
    );
    let year = i64::from(year);
    let of_places = format!(
        "SELECT DISTINCT account_id FROM indicator_peers WHERE year = $1{}",
        keyed(places)
    );
    let mut concerned: BTreeSet<i64> = BTreeSet::new();
    if places.is_some() {
        concerned.extend(
            sqlx::query_scalar::<_, i64>(AssertSqlSafe(of_places.clone()))
                .bind(year)
                .fetch_all(&mut *conn)
                .await?,
        );
    }
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM indicator_peers WHERE year = $1{}",
        keyed(places)
    )))
    .bind(year)
    .execute(&mut *conn)
    .await?;
    let within = scope(from, to, places).within("r.department_code");
    for kind in ["COALESCE(r.kind, '-')", "'*'"] {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO indicator_peers (department_code, kind, year, account_id) \
             SELECT DISTINCT COALESCE(r.department_code, '-'), {kind}, $3, p.account_id \
             FROM intervention_requests r JOIN request_proposals p ON p.request_id = r.id \
             WHERE p.status = 'accepted' AND r.done_at >= $1 AND r.done_at < $2{within}"
        )))
        .bind(from)
        .bind(to)
        .bind(year)
        .execute(&mut *conn)
        .await?;
    }
    let Some(places) = places else {
        roll_up_peers(conn, year, "").await?;
        return count_peers(conn, year, None).await;
    };
    concerned.extend(
        sqlx::query_scalar::<_, i64>(AssertSqlSafe(of_places))
            .bind(year)
            .fetch_all(&mut *conn)
            .await?,
    );
    let concerned: Vec<i64> = concerned.into_iter().collect();
    for chunk in concerned.chunks(500) {
        let ids = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        roll_up_peers(conn, year, &format!(" AND account_id IN ({ids})")).await?;
    }
    let regions: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "SELECT DISTINCT '*' || region_code FROM departments WHERE 1 = 1{}",
        keyed(Some(places)).replace("department_code", "code")
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut areas = vec![ALL.to_owned()];
    areas.extend(regions);
    count_peers(conn, year, Some(&areas)).await
}

/// Writes how many peers the country's and the régions' rows of `year`
/// hold, for the areas `areas` names (`None`: all of them), from the
/// rows [`roll_up_peers`] wrote.
async fn count_peers(conn: &mut AnyConnection, year: i64, areas: Option<&[String]>) -> Result<()> {
    let which = match areas {
        Some(_) => keyed(areas),
        None => " AND department_code LIKE '*%'".to_owned(),
    };
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM indicator_peer_counts WHERE year = $1{which}"
    )))
    .bind(year)
    .execute(&mut *conn)
    .await?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO indicator_peer_counts (department_code, kind, year, peers) \
         SELECT department_code, kind, year, COUNT(*) FROM indicator_peers \
         WHERE year = $1{which} GROUP BY department_code, kind, year"
    )))
    .bind(year)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The country's and the régions' peers of `year`, for the accounts
/// `accounts` names (an SQL condition, empty for all), from the
/// départements' rows.
async fn roll_up_peers(conn: &mut AnyConnection, year: i64, accounts: &str) -> Result<()> {
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM indicator_peers WHERE year = $1 AND department_code LIKE '*%'{accounts}"
    )))
    .bind(year)
    .execute(&mut *conn)
    .await?;
    for (key, join) in [
        ("'*'", ""),
        (
            "'*' || d.region_code",
            " JOIN departments d ON d.code = p.department_code",
        ),
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO indicator_peers (department_code, kind, year, account_id) \
             SELECT DISTINCT {key}, p.kind, p.year, p.account_id FROM indicator_peers p{join} \
             WHERE p.year = $1 AND p.department_code NOT LIKE '*%'{}",
            accounts.replace("account_id", "p.account_id")
        )))
        .bind(year)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

fn add(
    sums: &mut BTreeMap<Key, i64>,
    place: &str,
    kind: &str,
    metric: &'static str,
    detail: String,
    n: i64,
) {
    *sums
        .entry((place.to_owned(), kind.to_owned(), metric, detail))
        .or_default() += n;
}

/// The requests sent in the month: how far each went (from its state now,
/// or the state it was cancelled from), and those back at « examined »
/// after a proposal.
async fn count_requests(
    conn: &mut AnyConnection,
    s: &Scope,
    sums: &mut BTreeMap<Key, i64>,
) -> Result<()> {
    let cohort = format!(
        "r.submitted_at >= $1 AND r.submitted_at < $2{}",
        s.within("r.department_code")
    );
    let keys = "COALESCE(r.department_code, '-'), COALESCE(r.kind, '-')";
    let sent: Vec<(String, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {keys}, r.status, COUNT(*) FROM intervention_requests r WHERE {cohort} \
         GROUP BY 1, 2, 3"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    for (place, kind, status, n) in sent {
        add(sums, &place, &kind, "received", String::new(), n);
        if status != "cancelled" {
            add(sums, &place, &kind, "stage", stage(&status).to_string(), n);
        }
    }
    let cancelled: Vec<(String, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {keys}, COALESCE(t.from_status, ''), COUNT(*) FROM request_transitions t \
         JOIN intervention_requests r ON r.id = t.request_id \
         WHERE t.to_status = 'cancelled' AND r.status = 'cancelled' AND {cohort} \
         GROUP BY 1, 2, 3"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    for (place, kind, from, n) in cancelled {
        add(sums, &place, &kind, "cancelled", from, n);
    }
    let back: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {keys}, COUNT(DISTINCT t.request_id) FROM intervention_requests r \
         JOIN request_transitions t ON t.request_id = r.id \
         WHERE {cohort} AND r.status = 'qualified' AND t.to_status = 'proposed' GROUP BY 1, 2"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    for (place, kind, n) in back {
        add(sums, &place, &kind, "back", String::new(), n);
    }
    Ok(())
}

/// The interventions marked done in the month: by kind of host, their
/// delays from the request (whole days), minutes, audiences, fees paid and
/// expenses.
async fn count_done(
    conn: &mut AnyConnection,
    s: &Scope,
    sums: &mut BTreeMap<Key, i64>,
) -> Result<()> {
    let done = format!(
        "r.done_at >= $1 AND r.done_at < $2{}",
        s.within("r.department_code")
    );
    let keys = "COALESCE(r.department_code, '-'), COALESCE(r.kind, '-')";
    type Group = (String, String, String, i64, i64, i64, i64);
    let groups: Vec<Group> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {keys}, COALESCE(o.kind, ''), \
         CASE WHEN r.submitted_at IS NULL THEN -1 ELSE (r.done_at - r.submitted_at) / 86400 END, \
         COUNT(*), \
         CAST(COALESCE(SUM(CASE WHEN r.scheduled_end > r.scheduled_start \
            THEN (r.scheduled_end - r.scheduled_start) / 60 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN r.audience_size > 0 THEN r.audience_size ELSE 0 END), 0) AS BIGINT) \
         FROM intervention_requests r LEFT JOIN organisations o ON o.id = r.organisation_id \
         WHERE {done} GROUP BY 1, 2, 3, 4"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    for (place, kind, host, days, n, minutes, audience) in groups {
        add(sums, &place, &kind, "done", host, n);
        let named = if kind == "-" {
            String::new()
        } else {
            kind.clone()
        };
        add(sums, &place, &kind, "done_kind", named, n);
        if days >= 0 {
            add(sums, &place, &kind, "days", days.to_string(), n);
        }
        add(sums, &place, &kind, "minutes", String::new(), minutes);
        add(sums, &place, &kind, "audience", String::new(), audience);
    }
    for (metric, sql) in [
        (
            "paid",
            "SELECT {keys}, CAST(COALESCE(SUM(x.fee_cents), 0) AS BIGINT) FROM request_payments x \
             JOIN intervention_requests r ON r.id = x.request_id \
             WHERE x.status = 'paid' AND {done} GROUP BY 1, 2",
        ),
        (
            "expenses",
            "SELECT {keys}, CAST(COALESCE(SUM(x.amount_cents), 0) AS BIGINT) FROM request_expenses x \
             JOIN intervention_requests r ON r.id = x.request_id WHERE {done} GROUP BY 1, 2",
        ),
    ] {
        let found: Vec<(String, String, i64)> = sqlx::query_as(AssertSqlSafe(
            sql.replace("{keys}", keys).replace("{done}", &done),
        ))
        .bind(s.from)
        .bind(s.to)
        .fetch_all(&mut *conn)
        .await?;
        for (place, kind, cents) in found {
            add(sums, &place, &kind, metric, String::new(), cents);
        }
    }
    Ok(())
}

/// The answers given in the month (steps of small values and « je préfère
/// ne pas répondre », by questionnaire purpose and question), the
/// invitations sent and the responses, by purpose.
async fn count_answers(
    conn: &mut AnyConnection,
    s: &Scope,
    sums: &mut BTreeMap<Key, i64>,
) -> Result<()> {
    let keys = "COALESCE(x.department_code, '-'), CASE WHEN x.subject_kind <> 'intervention' \
                THEN '' ELSE COALESCE(x.intervention_kind, '-') END";
    let made = format!(
        "x.created_at >= $1 AND x.created_at < $2{}",
        s.within("x.department_code")
    );
    type Answer = (String, String, String, String, Option<i64>, i64, i64);
    let answers: Vec<Answer> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {keys}, q.purpose, a.question_code, a.value, a.declined, COUNT(*) \
         FROM questionnaire_answers a JOIN questionnaire_responses x ON x.id = a.response_id \
         JOIN questionnaires q ON q.id = x.questionnaire_id \
         WHERE {made} AND (a.declined <> 0 OR (a.value >= 0 AND a.value <= 10)) \
         GROUP BY 1, 2, 3, 4, 5, 6"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    for (place, kind, purpose, code, value, declined, n) in answers {
        let detail = if declined != 0 {
            format!("{purpose}\t{code}\t")
        } else {
            format!("{purpose}\t{code}\t{}", value.unwrap_or_default())
        };
        add(sums, &place, &kind, "answer", detail, n);
    }
    for (metric, table, sent) in [
        (
            "asked",
            "questionnaire_invitations",
            " AND x.sent_at IS NOT NULL",
        ),
        ("responded", "questionnaire_responses", ""),
    ] {
        let found: Vec<(String, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {keys}, q.purpose, COUNT(*) FROM {table} x \
             JOIN questionnaires q ON q.id = x.questionnaire_id WHERE {made}{sent} \
             GROUP BY 1, 2, 3"
        )))
        .bind(s.from)
        .bind(s.to)
        .fetch_all(&mut *conn)
        .await?;
        for (place, kind, purpose, n) in found {
            add(sums, &place, &kind, metric, purpose, n);
        }
    }
    Ok(())
}
