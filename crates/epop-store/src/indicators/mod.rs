//! The indicators' figures for a filter (a period, the départements of a
//! territory, a kind of intervention): plain counts, sums and a median,
//! month by month where a view asks, nothing masked (the domain's report
//! masks).
//!
//! What grows with the network — requests, interventions, their payments,
//! questionnaire answers, the peers active in a year — is read from the
//! [`summary`] (per département, kind and month, kept by triggers and
//! recounted just before reading), so a national year adds up a few
//! thousand rows however many interventions there were. What stays small
//! — training sessions, events, candidates, the peers of a period that is
//! not a whole year — is counted from its tables, each query starting from
//! an index on time. The département codes and the kind are checked values
//! written into the SQL (codes of two or three letters and digits, a
//! kind's fixed code); times are bound.

pub mod summary;

use std::collections::BTreeMap;

use epop_domain::DepartmentCode;
use epop_domain::indicators::{Area, Asked, Filter, Funnel, Indicators, Scale};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Db, Result};

/// Where and what: the SQL conditions shared by the queries.
struct Scope {
    from: i64,
    to: i64,
    /// `None`: the whole country; `-` stands for « no département ».
    departments: Option<Vec<String>>,
    kind: Option<&'static str>,
    /// The summary's own key of the whole area, when it keeps one: `*`
    /// for the country, `*76` for a région.
    rollup: Option<String>,
}

impl Scope {
    /// The summary's rows of the area: its own key, or its départements'.
    fn summarised(&self) -> String {
        match &self.rollup {
            Some(key) => format!("department_code = '{key}'"),
            None => format!("1 = 1{}", self.within("department_code")),
        }
    }

    /// ` AND {column} IN ('31','09')`, or nothing for the whole country
    /// (an empty list matches nothing).
    fn within(&self, column: &str) -> String {
        match &self.departments {
            None => String::new(),
            Some(d) if d.is_empty() => " AND 1 = 0".into(),
            Some(d) => {
                let codes: Vec<String> = d
                    .iter()
                    .filter(|c| *c != "-")
                    .map(|c| format!("'{c}'"))
                    .collect();
                let none = d.iter().any(|c| c == "-");
                match (codes.is_empty(), none) {
                    (_, false) => format!(" AND {column} IN ({})", codes.join(",")),
                    (true, true) => format!(" AND {column} IS NULL"),
                    (false, true) => {
                        format!(
                            " AND ({column} IN ({}) OR {column} IS NULL)",
                            codes.join(",")
                        )
                    }
                }
            }
        }
    }

    /// ` AND {column} = 'former'` when a kind is chosen.
    fn of_kind(&self, column: &str) -> String {
        self.kind
            .map(|k| format!(" AND {column} = '{k}'"))
            .unwrap_or_default()
    }
}

/// The figures of `filter` over `departments` (`None`: the whole country;
/// codes that are not département codes are left out). `now` bounds the
/// events held (an event counts once it has begun). Brings the summary up
/// to date first.
pub async fn compute(
    db: &Db,
    filter: &Filter,
    departments: Option<&[String]>,
    now: i64,
) -> Result<Indicators> {
    summary::refresh(db).await?;
    let (from, to) = filter.period.bounds();
    let scope = Scope {
        from,
        to,
        departments: departments.map(|d| {
            d.iter()
                .filter_map(|c| DepartmentCode::parse(c).ok())
                .map(|c| c.as_str().to_owned())
                .collect()
        }),
        kind: filter.kind.map(|k| k.code()),
        rollup: match &filter.area {
            Area::National => Some(summary::ALL.to_owned()),
            Area::Region(r) => Some(format!("{}{}", summary::ALL, r.as_str())),
            _ => None,
        },
    };
    let months: Vec<i64> = filter
        .period
        .months()
        .into_iter()
        .map(|m| m.start())
        .collect();
    let mut conn = db.conn().await?;
    let mut ind = Indicators::default();
    from_summary(&mut conn, &scope, &months, &mut ind).await?;
    ind.peers_active = peers_active(&mut conn, &scope, filter.period.whole_year()).await?;
    trainings(&mut conn, &scope, &mut ind).await?;
    events(&mut conn, &scope, now, &mut ind).await?;
    Ok(ind)
}

async fn rows(conn: &mut AnyConnection, sql: String, s: &Scope) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(AssertSqlSafe(sql))
        .bind(s.from)
        .bind(s.to)
        .fetch_all(&mut *conn)
        .await?)
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

/// The summary's rows of the scope, month by month: the requests sent
/// (how far each went, those cancelled by the state they left — a request
/// sent back to « examined » after a declined proposal still counts as
/// proposed), the interventions done (by kind and kind of host, their
/// delays, hours, audiences, fees and expenses) and the answers.
async fn from_summary(
    conn: &mut AnyConnection,
    s: &Scope,
    months: &[i64],
    ind: &mut Indicators,
) -> Result<()> {
    let places = s.summarised();
    let kinds = match s.kind {
        None => format!("kind = '{}'", summary::ALL),
        Some(k) => format!("kind IN ('{k}', '')"),
    };
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT month, metric, detail, CAST(SUM(value) AS BIGINT) FROM indicator_sums \
         WHERE {places} AND {kinds} AND month >= $1 AND month < $2 GROUP BY month, metric, detail"
    )))
    .bind(s.from)
    .bind(s.to)
    .fetch_all(&mut *conn)
    .await?;
    let mut at_stage = [0u64; 5];
    let (mut back, mut days) = (0u64, Vec::new());
    let mut cancelled: BTreeMap<String, u64> = BTreeMap::new();
    let (mut kinds, mut hosts): (BTreeMap<String, u64>, BTreeMap<String, u64>) = Default::default();
    let mut answers: BTreeMap<(String, String), (Vec<(i64, u64)>, u64)> = BTreeMap::new();
    let mut asked: BTreeMap<String, Asked> = BTreeMap::new();
    ind.received_by_month = vec![0; months.len()];
    ind.done_by_month = vec![0; months.len()];
    for (month, metric, detail, n) in rows {
        let m = months.iter().position(|start| *start == month);
        let n = u(n);
        match metric.as_str() {
            "received" => {
                if let Some(m) = m {
                    ind.received_by_month[m] += n;
                }
            }
            "stage" => at_stage[detail.parse::<usize>().unwrap_or(0).min(4)] += n,
            "cancelled" => {
                at_stage[stage(&detail) as usize] += n;
                *cancelled.entry(detail).or_default() += n;
            }
            "back" => back += n,
            "done" => {
                if let Some(m) = m {
                    ind.done_by_month[m] += n;
                }
                *hosts.entry(detail).or_default() += n;
            }
            "done_kind" => *kinds.entry(detail).or_default() += n,
            "days" => days.push((detail.parse::<i64>().unwrap_or_default(), n as i64)),
            "minutes" => ind.minutes += n,
            "audience" => ind.people_reached += n,
            "paid" => ind.paid_cents += n as i64,
            "expenses" => ind.expenses_cents += n as i64,
            "answer" => {
                let mut parts = detail.splitn(3, '\t');
                let (purpose, code, value) = (
                    parts.next().unwrap_or_default().to_owned(),
                    parts.next().unwrap_or_default().to_owned(),
                    parts.next().unwrap_or_default(),
                );
                let entry = answers.entry((purpose, code)).or_default();
                match value.parse::<i64>() {
                    Ok(v) => entry.0.push((v, n)),
                    Err(_) => entry.1 += n,
                }
            }
            "asked" | "responded" => {
                let entry = asked.entry(detail.clone()).or_insert_with(|| Asked {
                    purpose: detail,
                    ..Default::default()
                });
                if metric == "asked" {
                    entry.invitations += n;
                } else {
                    entry.responses += n;
                }
            }
            _ => {}
        }
    }
    let reached = |min: usize| -> u64 { at_stage[min..].iter().sum() };
    let mut cancelled_from: Vec<(String, u64)> = cancelled.into_iter().collect();
    cancelled_from.sort_by_key(|(st, _)| {
        epop_domain::lifecycle::State::ALL
            .iter()
            .position(|x| x.code() == st)
            .unwrap_or(99)
    });
    ind.requests = Funnel {
        received: ind.received_by_month.iter().sum(),
        studied: reached(1),
        proposed: reached(2) + back,
        accepted: reached(3),
        done: reached(4),
        cancelled: cancelled_from.iter().map(|(_, n)| n).sum(),
    };
    ind.cancelled_from = cancelled_from;
    ind.done_by_kind = sorted(kinds);
    ind.done_by_host = sorted(hosts);
    ind.median_days_to_done = median(days);
    satisfaction(conn, answers, asked, ind).await
}

/// The scale questions' answers, and how many were asked and answered,
/// per questionnaire purpose. Which questions are on the scale, and their
/// wording, comes from the questionnaires' definitions (latest version).
async fn satisfaction(
    conn: &mut AnyConnection,
    answers: BTreeMap<(String, String), (Vec<(i64, u64)>, u64)>,
    asked: BTreeMap<String, Asked>,
    ind: &mut Indicators,
) -> Result<()> {
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
    ind.satisfaction = answers
        .into_iter()
        .filter_map(|((purpose, code), (mut per_step, declined))| {
            let wording = scale.get(&(purpose.clone(), code.clone()))?.clone();
            per_step.sort();
            Some(Scale {
                purpose,
                question_code: code,
                wording,
                per_step,
                declined,
            })
        })
        .collect();
    let order = |p: &str| {
        epop_domain::questionnaire::Purpose::ALL
            .iter()
            .position(|x| x.code() == p)
            .unwrap_or(99)
    };
    let mut asked: Vec<Asked> = asked.into_values().collect();
    asked.sort_by_key(|a| order(&a.purpose));
    ind.satisfaction.sort_by_key(|q| order(&q.purpose));
    ind.asked = asked;
    Ok(())
}

/// Distinct peer workers who did at least one of the interventions done in
/// the period: for a whole year, the count the summary keeps for the
/// country and the régions, or the summary's peers of the year of the
/// départements; counted from the proposals otherwise.
async fn peers_active(conn: &mut AnyConnection, s: &Scope, year: Option<i32>) -> Result<u64> {
    let kind = s.kind.unwrap_or(summary::ALL);
    let (n,): (i64,) = match (year, &s.rollup) {
        (Some(year), Some(area)) => sqlx::query_as(
            "SELECT peers FROM indicator_peer_counts \
             WHERE department_code = $1 AND kind = $2 AND year = $3",
        )
        .bind(area.clone())
        .bind(kind)
        .bind(i64::from(year))
        .fetch_optional(&mut *conn)
        .await?
        .unwrap_or((0,)),
        (Some(year), None) => {
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT COUNT(DISTINCT account_id) FROM indicator_peers \
                 WHERE {} AND kind = '{kind}' AND year = $1",
                s.summarised(),
            )))
            .bind(i64::from(year))
            .fetch_one(&mut *conn)
            .await?
        }
        (None, _) => {
            sqlx::query_as(AssertSqlSafe(format!(
                "SELECT COUNT(DISTINCT p.account_id) FROM request_proposals p \
                 JOIN intervention_requests r ON r.id = p.request_id \
                 WHERE p.status = 'accepted' AND r.done_at >= $1 AND r.done_at < $2{}{}",
                s.within("r.department_code"),
                s.of_kind("r.kind")
            )))
            .bind(s.from)
            .bind(s.to)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    Ok(u(n))
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
