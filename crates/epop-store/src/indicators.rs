//! The indicators' figures, counted from the platform's tables for a
//! filter (a period, the départements of a territory, a kind of
//! intervention): plain counts, sums and a median, month by month where a
//! view asks, nothing masked (the domain's report masks).
//!
//! A dozen grouped queries per call, whatever the size of the territory:
//! each starts from an index on time (`intervention_requests(submitted_at)`
//! or `(department_code, submitted_at)`, the same on `done_at` — when the
//! request was marked done, kept on it by `requests::record` — the
//! questionnaires' `created_at`), and months come from one
//! `CASE` over the month's bounds, grouped, not one query per month. The
//! département codes and the kind are checked values written into the SQL
//! (codes of two or three letters and digits, a kind's fixed code); times
//! are bound.

use std::collections::BTreeMap;

use epop_domain::DepartmentCode;
use epop_domain::indicators::{Asked, Filter, Funnel, Indicators, Scale};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::Result;

/// Where and what: the SQL conditions shared by the queries.
struct Scope {
    from: i64,
    to: i64,
    /// `(start, end)` of each month of the period.
    months: Vec<(i64, i64)>,
    /// `None`: the whole country.
    departments: Option<Vec<String>>,
    kind: Option<&'static str>,
}

impl Scope {
    /// ` AND {column} IN ('31','09')`, or nothing for the whole country
    /// (an empty list matches nothing).
    fn within(&self, column: &str) -> String {
        match &self.departments {
            None => String::new(),
            Some(d) if d.is_empty() => " AND 1 = 0".into(),
            Some(d) => format!(
                " AND {column} IN ({})",
                d.iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        }
    }

    /// ` AND {column} = 'former'` when a kind is chosen.
    fn of_kind(&self, column: &str) -> String {
        self.kind
            .map(|k| format!(" AND {column} = '{k}'"))
            .unwrap_or_default()
    }

    /// The index (0-based) of the month `column` falls in.
    fn month_of(&self, column: &str) -> String {
        let mut out = String::from("CASE");
        for (i, (_, end)) in self.months.iter().enumerate() {
            out.push_str(&format!(" WHEN {column} < {end} THEN {i}"));
        }
        out.push_str(" ELSE -1 END");
        out
    }
}

/// The figures of `filter` over `departments` (`None`: the whole country;
/// codes that are not département codes are left out). `now` bounds the
/// events held (an event counts once it has begun).
pub async fn compute(
    conn: &mut AnyConnection,
    filter: &Filter,
    departments: Option<&[String]>,
    now: i64,
) -> Result<Indicators> {
    let (from, to) = filter.period.bounds();
    let scope = Scope {
        from,
        to,
        months: filter
            .period
            .months()
            .into_iter()
            .map(|m| (m.start(), m.next().start()))
            .collect(),
        departments: departments.map(|d| {
            d.iter()
                .filter_map(|c| DepartmentCode::parse(c).ok())
                .map(|c| c.as_str().to_owned())
                .collect()
        }),
        kind: filter.kind.map(|k| k.code()),
    };
    let mut ind = Indicators::default();
    requests(conn, &scope, &mut ind).await?;
    interventions(conn, &scope, &mut ind).await?;
    trainings(conn, &scope, &mut ind).await?;
    events(conn, &scope, now, &mut ind).await?;
    answers(conn, &scope, &mut ind).await?;
    Ok(ind)
}

async fn rows(conn: &mut AnyConnection, sql: String, s: &Scope) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(s.from)
        .bind(s.to)
        .fetch_all(&mut *conn)
        .await?)
}

fn by_month(rows: &[(i64, i64)], months: usize) -> Vec<u64> {
    let mut out = vec![0; months];
    for (m, n) in rows {
        if let Some(slot) = usize::try_from(*m).ok().and_then(|m| out.get_mut(m)) {
            *slot += *n as u64;
        }
    }
    out
}

fn u(n: i64) -> u64 {
    n.max(0) as u64
}

/// How far a request in `state` stands: 0 sent, 1 examined, 2 proposed,
/// 3 accepted (or scheduled), 4 done (or after).
fn stage(state: &str) -> u8 {
    match state {
        "qualified" => 1,
        "proposed" => 2,
        "accepted" | "scheduled" => 3,
        "done" | "evaluated" | "closed" => 4,
        _ => 0,
    }
}

/// The requests sent in the period: how far each went, those cancelled
/// by the state they left, and how many were sent each month.
///
/// How far a request went is read from its state now (the life cycle only
/// moves forward), or for a cancelled one from the state it was cancelled
/// from; a request sent back to `qualified` after a declined proposal
/// still counts as proposed. So the rows of the transitions are read only
/// for cancelled requests and for those back at `qualified`, never for
/// every request.
async fn requests(conn: &mut AnyConnection, s: &Scope, ind: &mut Indicators) -> Result<()> {
    let cohort = format!(
        "r.submitted_at >= $1 AND r.submitted_at < $2{}{}",
        s.within("r.department_code"),
        s.of_kind("r.kind")
    );
    let sent: Vec<(i64, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {m} AS m, r.status, COUNT(*) FROM intervention_requests r WHERE {cohort} \
         GROUP BY {m}, r.status",
        m = s.month_of("r.submitted_at")
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    let per_month: Vec<(i64, i64)> = sent.iter().map(|(m, _, n)| (*m, *n)).collect();
    ind.received_by_month = by_month(&per_month, s.months.len());
    let cancelled = rows(
        conn,
        format!(
            "SELECT COALESCE(t.from_status, ''), COUNT(*) FROM request_transitions t \
             JOIN intervention_requests r ON r.id = t.request_id \
             WHERE t.to_status = 'cancelled' AND r.status = 'cancelled' AND {cohort} \
             GROUP BY t.from_status"
        ),
        s,
    )
    .await?;
    let (back, _): (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT COUNT(DISTINCT t.request_id), 0 FROM intervention_requests r \
         JOIN request_transitions t ON t.request_id = r.id \
         WHERE {cohort} AND r.status = 'qualified' AND t.to_status = 'proposed'"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_one(&mut *conn)
    .await?;
    let mut at_stage = [0u64; 5];
    for (_, status, n) in &sent {
        if status != "cancelled" {
            at_stage[stage(status) as usize] += u(*n);
        }
    }
    for (from, n) in &cancelled {
        at_stage[stage(from) as usize] += u(*n);
    }
    let reached = |min: usize| -> u64 { at_stage[min..].iter().sum() };
    let mut cancelled_from: Vec<(String, u64)> =
        cancelled.into_iter().map(|(st, n)| (st, u(n))).collect();
    cancelled_from.sort_by_key(|(st, _)| {
        epop_domain::lifecycle::State::ALL
            .iter()
            .position(|x| x.code() == st)
            .unwrap_or(99)
    });
    ind.requests = Funnel {
        received: ind.received_by_month.iter().sum(),
        studied: reached(1),
        proposed: reached(2) + u(back),
        accepted: reached(3),
        done: reached(4),
        cancelled: cancelled_from.iter().map(|(_, n)| n).sum(),
    };
    ind.cancelled_from = cancelled_from;
    Ok(())
}

/// The interventions marked done in the period: month by month, by kind
/// and kind of host, their hours, audiences, peers, fees and expenses, and
/// the median delay from the request.
async fn interventions(conn: &mut AnyConnection, s: &Scope, ind: &mut Indicators) -> Result<()> {
    let cond = format!(
        "WHERE r.done_at >= $1 AND r.done_at < $2{}{}",
        s.within("r.department_code"),
        s.of_kind("r.kind")
    );
    let done = format!("FROM intervention_requests r {cond}");
    // One pass for the months, kinds, hosts, delays, hours and audiences.
    type Group = (i64, Option<String>, Option<String>, i64, i64, i64, i64, i64);
    let groups: Vec<Group> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {m} AS m, r.kind, o.kind, \
         CASE WHEN r.submitted_at IS NULL THEN 0 ELSE 1 END AS sent, \
         (r.done_at - COALESCE(r.submitted_at, r.done_at)) / 86400 AS days, COUNT(*), \
         CAST(COALESCE(SUM(CASE WHEN r.scheduled_end > r.scheduled_start \
            THEN (r.scheduled_end - r.scheduled_start) / 60 ELSE 0 END), 0) AS BIGINT), \
         CAST(COALESCE(SUM(CASE WHEN r.audience_size > 0 THEN r.audience_size ELSE 0 END), 0) AS BIGINT) \
         FROM intervention_requests r \
         LEFT JOIN organisations o ON o.id = r.organisation_id {cond} GROUP BY 1, 2, 3, 4, 5",
        m = s.month_of("r.done_at")
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    let mut kinds: BTreeMap<String, u64> = BTreeMap::new();
    let mut hosts: BTreeMap<String, u64> = BTreeMap::new();
    let (mut per_month, mut days) = (Vec::new(), Vec::new());
    for (m, kind, host, sent, d, n, minutes, audience) in groups {
        *kinds.entry(kind.unwrap_or_default()).or_default() += u(n);
        *hosts.entry(host.unwrap_or_default()).or_default() += u(n);
        per_month.push((m, n));
        if sent != 0 {
            days.push((d, n));
        }
        ind.minutes += u(minutes);
        ind.people_reached += u(audience);
    }
    ind.done_by_month = by_month(&per_month, s.months.len());
    ind.done_by_kind = sorted(kinds);
    ind.done_by_host = sorted(hosts);
    ind.median_days_to_done = median(days);
    let (peers, paid, expenses): (i64, i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT \
         (SELECT COUNT(DISTINCT p.account_id) FROM request_proposals p WHERE p.status = 'accepted' \
            AND p.request_id IN (SELECT r.id {done})), \
         (SELECT CAST(COALESCE(SUM(pay.fee_cents), 0) AS BIGINT) FROM request_payments pay \
            WHERE pay.status = 'paid' AND pay.request_id IN (SELECT r.id {done})), \
         (SELECT CAST(COALESCE(SUM(e.amount_cents), 0) AS BIGINT) FROM request_expenses e \
            WHERE e.request_id IN (SELECT r.id {done}))"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_one(&mut *conn)
    .await?;
    ind.peers_active = u(peers);
    ind.paid_cents = paid;
    ind.expenses_cents = expenses;
    Ok(())
}

/// Counts by code, the largest first (then by code).
fn sorted(map: BTreeMap<String, u64>) -> Vec<(String, u64)> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The median of values given as (value, how many times), the lower of
/// the two middle ones for an even count.
fn median(mut histogram: Vec<(i64, i64)>) -> Option<u64> {
    histogram.sort();
    let total: i64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let middle = (total + 1) / 2;
    let mut seen = 0;
    for (value, n) in histogram {
        seen += n;
        if seen >= middle {
            return Some(u(value));
        }
    }
    None
}

/// Peers and référents trained, sessions, half-days, trainees and
/// attendance, candidates.
async fn trainings(conn: &mut AnyConnection, s: &Scope, ind: &mut Indicators) -> Result<()> {
    let trained = rows(
        conn,
        format!(
            "SELECT tp.audience, COUNT(DISTINCT ap.account_id) FROM training_applications ap \
             JOIN training_sessions ts ON ts.id = ap.session_id \
             JOIN training_programmes tp ON tp.id = ts.programme_id \
             JOIN accounts ac ON ac.id = ap.account_id \
             WHERE ap.status = 'completed' AND ap.completed_at >= $1 AND ap.completed_at < $2{} \
             GROUP BY tp.audience",
            s.within("ac.department_code")
        ),
        s,
    )
    .await?;
    let of = |a: &str| {
        trained
            .iter()
            .find(|(x, _)| x == a)
            .map_or(0, |(_, n)| u(*n))
    };
    ind.peers_trained = of("peer");
    ind.referents_trained = of("referent");
    let sessions = format!(
        "SELECT h.session_id FROM training_half_days h JOIN training_sessions ts ON ts.id = h.session_id \
         WHERE h.starts_at >= $1 AND h.starts_at < $2{}",
        s.within("ts.department_code")
    );
    let (sessions_n, half_days, trainees, present, marked, candidates, became): (
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT \
         (SELECT COUNT(DISTINCT x.session_id) FROM ({sessions}) x), \
         (SELECT COUNT(*) FROM ({sessions}) x), \
         (SELECT COUNT(DISTINCT ap.account_id) FROM training_applications ap \
            WHERE ap.status IN ('accepted', 'completed') AND ap.session_id IN ({sessions})), \
         (SELECT CAST(COALESCE(SUM(CASE WHEN a.present <> 0 THEN 1 ELSE 0 END), 0) AS BIGINT) \
            FROM training_attendance a JOIN training_half_days h ON h.id = a.half_day_id \
            JOIN training_sessions ts ON ts.id = h.session_id \
            WHERE h.starts_at >= $1 AND h.starts_at < $2{w}), \
         (SELECT COUNT(*) FROM training_attendance a JOIN training_half_days h ON h.id = a.half_day_id \
            JOIN training_sessions ts ON ts.id = h.session_id \
            WHERE h.starts_at >= $1 AND h.starts_at < $2{w}), \
         (SELECT COUNT(*) FROM candidate_applications c WHERE c.sent_at >= $1 AND c.sent_at < $2{cw}), \
         (SELECT COUNT(*) FROM candidate_applications c WHERE c.status = 'trained' \
            AND c.sent_at >= $1 AND c.sent_at < $2{cw})",
        w = s.within("ts.department_code"),
        cw = s.within("c.department_code"),
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_one(&mut *conn)
    .await?;
    ind.training_sessions = u(sessions_n);
    ind.training_half_days = u(half_days);
    ind.trainees = u(trainees);
    ind.attendance_present = u(present);
    ind.attendance_marked = u(marked);
    ind.candidates = u(candidates);
    ind.candidates_trained = u(became);
    Ok(())
}

/// Events and information meetings that began in the period (and before
/// `now`), not cancelled: how many, registrations holding a seat, people
/// marked present.
async fn events(conn: &mut AnyConnection, s: &Scope, now: i64, ind: &mut Indicators) -> Result<()> {
    let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT e.information_meeting, COUNT(*), \
         CAST(COALESCE(SUM((SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id \
            AND g.status = 'confirmed')), 0) AS BIGINT), \
         CAST(COALESCE(SUM((SELECT COUNT(*) FROM event_registrations g WHERE g.event_id = e.id \
            AND g.status <> 'cancelled' AND g.attended = 1)), 0) AS BIGINT) \
         FROM events e WHERE e.cancelled_at IS NULL AND e.starts_at >= $1 AND e.starts_at < $2 \
         AND e.starts_at <= $3{} GROUP BY e.information_meeting",
        s.within("e.department_code")
    )))
    .bind(s.from)
    .bind(s.to)
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    for (meeting, n, registered, attended) in rows {
        if meeting != 0 {
            ind.meetings += u(n);
            ind.meeting_registrations += u(registered);
            ind.meeting_attended += u(attended);
        } else {
            ind.events += u(n);
            ind.event_registrations += u(registered);
            ind.event_attended += u(attended);
        }
    }
    Ok(())
}

/// The scale questions' answers, and how many were asked and answered,
/// per questionnaire purpose. Which questions are on the scale, and their
/// wording, comes from the questionnaires' definitions (latest version).
async fn answers(conn: &mut AnyConnection, s: &Scope, ind: &mut Indicators) -> Result<()> {
    let kind = s
        .kind
        .map(|k| format!(" AND (x.subject_kind <> 'intervention' OR x.intervention_kind = '{k}')"))
        .unwrap_or_default();
    let definitions: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT purpose, version, questions FROM questionnaires ORDER BY purpose, version",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut scale: BTreeMap<(String, String), String> = BTreeMap::new();
    for (purpose, _, questions) in &definitions {
        for (code, wording) in scale_questions(questions) {
            scale.insert((purpose.clone(), code), wording);
        }
    }
    let counted: Vec<(String, String, Option<i64>, i64, i64)> =
        sqlx::query_as(AssertSqlSafe(format!(
            "SELECT q.purpose, a.question_code, a.value, a.declined, COUNT(*) \
             FROM questionnaire_answers a JOIN questionnaire_responses x ON x.id = a.response_id \
             JOIN questionnaires q ON q.id = x.questionnaire_id \
             WHERE x.created_at >= $1 AND x.created_at < $2{}{kind} \
             GROUP BY q.purpose, a.question_code, a.value, a.declined",
            s.within("x.department_code")
        )))
        .bind(s.from)
        .bind(s.to)
        .fetch_all(&mut *conn)
        .await?;
    let mut found: BTreeMap<(String, String), Scale> = BTreeMap::new();
    for (purpose, code, value, declined, n) in counted {
        let Some(wording) = scale.get(&(purpose.clone(), code.clone())) else {
            continue;
        };
        let entry = found
            .entry((purpose.clone(), code.clone()))
            .or_insert_with(|| Scale {
                purpose,
                question_code: code,
                wording: wording.clone(),
                ..Default::default()
            });
        if declined != 0 {
            entry.declined += u(n);
        } else if let Some(v) = value {
            entry.per_step.push((v, u(n)));
        }
    }
    ind.satisfaction = found.into_values().collect();
    let asked = rows(
        conn,
        format!(
            "SELECT q.purpose, COUNT(*) FROM questionnaire_invitations x \
             JOIN questionnaires q ON q.id = x.questionnaire_id \
             WHERE x.sent_at IS NOT NULL AND x.created_at >= $1 AND x.created_at < $2{}{kind} GROUP BY q.purpose",
            s.within("x.department_code")
        ),
        s,
    )
    .await?;
    let responded = rows(
        conn,
        format!(
            "SELECT q.purpose, COUNT(*) FROM questionnaire_responses x \
             JOIN questionnaires q ON q.id = x.questionnaire_id \
             WHERE x.created_at >= $1 AND x.created_at < $2{}{kind} GROUP BY q.purpose",
            s.within("x.department_code")
        ),
        s,
    )
    .await?;
    let mut by_purpose: BTreeMap<String, Asked> = BTreeMap::new();
    for (purpose, n) in asked {
        by_purpose
            .entry(purpose.clone())
            .or_insert_with(|| Asked {
                purpose,
                ..Default::default()
            })
            .invitations = u(n);
    }
    for (purpose, n) in responded {
        by_purpose
            .entry(purpose.clone())
            .or_insert_with(|| Asked {
                purpose,
                ..Default::default()
            })
            .responses = u(n);
    }
    let order = |p: &str| {
        epop_domain::questionnaire::Purpose::ALL
            .iter()
            .position(|x| x.code() == p)
            .unwrap_or(99)
    };
    let mut asked: Vec<Asked> = by_purpose.into_values().collect();
    asked.sort_by_key(|a| order(&a.purpose));
    ind.satisfaction.sort_by_key(|q| order(&q.purpose));
    ind.asked = asked;
    Ok(())
}

/// The (code, wording) of the scale questions of a version's questions as
/// stored (a JSON list of objects with `code`, `wording` and a `kind`
/// whose code is `echelle`, written as a string or inside an object).
fn scale_questions(json: &str) -> Vec<(String, String)> {
    let Ok(serde_json::Value::Array(list)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|q| {
            let code = q.get("code")?.as_str()?;
            let kind = q.get("kind")?;
            let is_scale = match kind {
                serde_json::Value::String(k) => k == "echelle" || k == "Scale",
                other => {
                    other.to_string().contains("echelle") || other.to_string().contains("\"Scale\"")
                }
            };
            is_scale.then(|| {
                (
                    code.to_owned(),
                    q.get("wording")
                        .and_then(|w| w.as_str())
                        .unwrap_or(code)
                        .to_owned(),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_read_from_the_histogram() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![(3, 1)]), Some(3));
        assert_eq!(median(vec![(10, 2), (1, 1)]), Some(10));
        assert_eq!(median(vec![(1, 2), (9, 2)]), Some(1));
        assert_eq!(median(vec![(5, 1), (2, 1), (8, 1)]), Some(5));
    }

    #[test]
    fn scale_questions_are_found_in_a_definition() {
        let json = r#"[{"code":"utile","wording":"Utile ?","kind":"echelle"},
            {"code":"nb","wording":"Combien ?","kind":{"kind":"nombre","min":0,"max":9}},
            {"code":"ressenti","wording":"Ressenti ?","kind":{"code":"echelle"}}]"#;
        assert_eq!(
            scale_questions(json),
            vec![
                ("utile".to_owned(), "Utile ?".to_owned()),
                ("ressenti".to_owned(), "Ressenti ?".to_owned())
            ]
        );
        assert!(scale_questions("pas du json").is_empty());
    }
}
