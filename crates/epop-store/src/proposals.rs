//! Matching a request to peer workers and proposing it to them: the
//! candidates the matching rules weigh (read from the directory and from
//! past proposals), the proposals with their deadlines, and the answers —
//! the first acceptance takes the place, under the request's row lock.
//! Changes of the request's status go through the life-cycle rules.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Months, NaiveDate, NaiveTime};
use epop_domain::directory::{Format, InterventionKind, Visibility};
use epop_domain::event::paris_timestamp;
use epop_domain::lifecycle::{self, Action, Actor, State};
use epop_domain::matching::Candidate;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::requests::{self, Request};
use crate::{Result, StoreError};

/// At most this many peers are weighed for one request (those covering the
/// département, or working remotely).
pub const MAX_CANDIDATES: i64 = 500;

/// The peer workers the matching rules weigh for a request: those who
/// cover its département, or work remotely. `month` is a day of the month
/// the request takes place in (today's when it has no date): a peer's
/// interventions are counted in that calendar month, each at its scheduled
/// time, else its requested date, else when the peer accepted it.
pub async fn candidates(
    conn: &mut AnyConnection,
    department: &str,
    now: i64,
    month: NaiveDate,
) -> Result<Vec<Candidate>> {
    let rows = peers_for(conn, department).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // Each list of every candidate in one query (ids read from the
    // database: integers), grouped by profile.
    let ids = rows
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(",");
    let list = |table: &str, column: &str| {
        format!("SELECT profile_id, {column} FROM {table} WHERE profile_id IN ({ids})")
    };
    let mut kinds = grouped::<String>(conn, list("profile_interventions", "kind")).await?;
    let mut departments =
        grouped::<String>(conn, list("profile_departments", "department_code")).await?;
    let mut themes = grouped::<i64>(conn, list("profile_themes", "theme_id")).await?;
    let mut away = absences(conn, list("profile_absences", "starts_on, ends_on")).await?;
    let mut recent = recent_proposals(conn, &ids, now).await?;
    let mut in_month = interventions_in_month(conn, &ids, month).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, name, visibility, home, region, on_site, remote, max, trained_on) in rows {
        let (recent, last) = recent.remove(&id).unwrap_or((0, None));
        let this_month = in_month.remove(&id).unwrap_or(0);
        let mut formats = BTreeSet::new();
        if on_site != 0 {
            formats.insert(Format::OnSite);
        }
        if remote != 0 {
            formats.insert(Format::Remote);
        }
        out.push(Candidate {
            profile_id: id,
            display_name: name,
            kinds: kinds
                .remove(&id)
                .unwrap_or_default()
                .iter()
                .filter_map(|k| InterventionKind::parse(k))
                .collect(),
            departments: departments
                .remove(&id)
                .unwrap_or_default()
                .into_iter()
                .collect(),
            home_department: home,
            home_region: region,
            formats,
            themes: themes.remove(&id).unwrap_or_default().into_iter().collect(),
            trained: trained_on.is_some(),
            visibility: Visibility::from_code(&visibility).unwrap_or(Visibility::Hidden),
            max_per_month: max.and_then(|m| u32::try_from(m).ok()),
            interventions_this_month: u32::try_from(this_month).unwrap_or(0),
            away: away.remove(&id).unwrap_or_default(),
            opportunities_90_days: u32::try_from(recent).unwrap_or(0),
            last_intervention_at: last,
        });
    }
    Ok(out)
}

/// The peers’ profiles covering the département, or working remotely (at
/// most [`MAX_CANDIDATES`]), never one whose account is disabled: id,
/// name, visibility, home département and region, on site, remote, most
/// per month, when trained.
async fn peers_for(
    conn: &mut AnyConnection,
    department: &str,
) -> Result<
    Vec<(
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        i64,
        i64,
        Option<i64>,
        Option<String>,
    )>,
> {
    Ok(sqlx::query_as(
        "SELECT p.id, p.display_name, p.visibility, p.home_department, d.region_code, p.on_site, p.remote, \
         p.max_per_month, p.trained_on FROM profiles p JOIN accounts a ON a.id = p.account_id \
         LEFT JOIN departments d ON d.code = p.home_department \
         WHERE p.kind = 'peer' AND a.status <> 'disabled' AND (p.remote = 1 OR p.home_department = $1 OR p.id IN \
         (SELECT profile_id FROM profile_departments WHERE department_code = $1)) ORDER BY p.id LIMIT $2",
    )
    .bind(department)
    .bind(MAX_CANDIDATES)
    .fetch_all(&mut *conn)
    .await?)
}

/// The absences (first and last day) of `sql`'s rows, by profile.
async fn absences(
    conn: &mut AnyConnection,
    sql: String,
) -> Result<BTreeMap<i64, Vec<(NaiveDate, NaiveDate)>>> {
    let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    let mut away: BTreeMap<i64, Vec<(NaiveDate, NaiveDate)>> = BTreeMap::new();
    let rows: Vec<(i64, String, String)> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    for (id, a, b) in rows {
        if let (Some(a), Some(b)) = (day(&a), day(&b)) {
            away.entry(id).or_default().push((a, b));
        }
    }
    Ok(away)
}

/// For each of the profiles `ids`: the proposals of the last 90 days, and
/// when the last acceptance was answered.
async fn recent_proposals(
    conn: &mut AnyConnection,
    ids: &str,
    now: i64,
) -> Result<BTreeMap<i64, (i64, Option<i64>)>> {
    let quarter_ago = now - 90 * 86_400;
    let rows: Vec<(i64, i64, Option<i64>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT profile_id, COUNT(*), MAX(CASE WHEN status = 'accepted' THEN answered_at END) \
         FROM request_proposals WHERE profile_id IN ({ids}) AND created_at >= $1 GROUP BY profile_id"
    )))
    .bind(quarter_ago)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, recent, last)| (id, (recent, last)))
        .collect())
}

/// For each of the profiles `ids`: the interventions accepted that take
/// place in the calendar month of `month`.
async fn interventions_in_month(
    conn: &mut AnyConnection,
    ids: &str,
    month: NaiveDate,
) -> Result<BTreeMap<i64, i64>> {
    let first = month.with_day(1).unwrap_or(month);
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    let midnight = |d: NaiveDate| paris_timestamp(d, NaiveTime::MIN).unwrap_or_default();
    let rows: Vec<(i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT rp.profile_id, COUNT(*) FROM request_proposals rp \
         JOIN intervention_requests r ON r.id = rp.request_id \
         WHERE rp.profile_id IN ({ids}) AND rp.status = 'accepted' AND CASE \
         WHEN r.scheduled_start IS NOT NULL THEN r.scheduled_start >= $1 AND r.scheduled_start < $2 \
         WHEN r.date_from IS NOT NULL THEN r.date_from >= $3 AND r.date_from < $4 \
         ELSE rp.answered_at >= $1 AND rp.answered_at < $2 END \
         GROUP BY rp.profile_id"
    )))
    .bind(midnight(first))
    .bind(midnight(next))
    .bind(first.to_string())
    .bind(next.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().collect())
}

/// The rows of `sql` (profile id, value), grouped by profile.
async fn grouped<T>(conn: &mut AnyConnection, sql: String) -> Result<BTreeMap<i64, Vec<T>>>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
{
    let rows: Vec<(i64, T)> = sqlx::query_as(AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let mut out: BTreeMap<i64, Vec<T>> = BTreeMap::new();
    for (id, v) in rows {
        out.entry(id).or_default().push(v);
    }
    Ok(out)
}

/// The curated themes whose name appears in a request's own words
/// (« santé mentale, accessibilité numérique »), as ids.
pub async fn themes_in(conn: &mut AnyConnection, words: &str) -> Result<BTreeSet<i64>> {
    let folded = epop_domain::text::fold(words);
    let all: Vec<(i64, String)> = sqlx::query_as("SELECT id, label FROM themes")
        .fetch_all(conn)
        .await?;
    Ok(all
        .into_iter()
        .filter(|(_, label)| {
            let l = epop_domain::text::fold(label);
            !l.is_empty() && folded.contains(&l)
        })
        .map(|(id, _)| id)
        .collect())
}

/// The account of a peer worker's profile.
pub async fn account_of(conn: &mut AnyConnection, profile_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT account_id FROM profiles WHERE id = $1 AND kind = 'peer'")
            .bind(profile_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// A proposal, with the peer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub public_id: String,
    pub request_id: i64,
    pub profile_id: i64,
    pub account_id: i64,
    pub peer_name: String,
    pub peer_email: String,
    pub status: String,
    pub deadline: i64,
    pub reason: Option<String>,
    pub created_at: i64,
    pub answered_at: Option<i64>,
}

const SELECT: &str = "SELECT x.id, x.public_id, x.request_id, x.profile_id, x.account_id, p.display_name, a.email, \
     x.status, x.deadline, x.reason, x.created_at, x.answered_at FROM request_proposals x \
     JOIN profiles p ON p.id = x.profile_id JOIN accounts a ON a.id = x.account_id";

async fn fetch(
    conn: &mut AnyConnection,
    clause: &str,
    bind: crate::Bind<'_>,
) -> Result<Vec<Proposal>> {
    use sqlx::Row as _;
    let rows = crate::Bind::all(
        sqlx::query(AssertSqlSafe(format!("{SELECT} {clause}"))),
        &[bind],
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Proposal {
                id: r.try_get(0)?,
                public_id: r.try_get(1)?,
                request_id: r.try_get(2)?,
                profile_id: r.try_get(3)?,
                account_id: r.try_get(4)?,
                peer_name: r.try_get(5)?,
                peer_email: r.try_get(6)?,
                status: r.try_get(7)?,
                deadline: r.try_get(8)?,
                reason: r.try_get(9)?,
                created_at: r.try_get(10)?,
                answered_at: r.try_get(11)?,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

pub async fn for_request(conn: &mut AnyConnection, request_id: i64) -> Result<Vec<Proposal>> {
    fetch(
        conn,
        "WHERE x.request_id = $1 ORDER BY x.id",
        crate::Bind::Int(request_id),
    )
    .await
}

/// What the peer of an accepted proposal chose to tell the organisation it
/// must plan for them (`None`: nothing shared). Health data: the caller
/// checks who reads it and audits the read.
pub async fn shared_accommodations(
    conn: &mut AnyConnection,
    proposal_id: i64,
) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT shared_accommodations FROM request_proposals WHERE id = $1")
            .bind(proposal_id)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(s,)| s))
}

/// Records what the peer shares (`None`: nothing), on their accepted
/// proposal only.
pub async fn share_accommodations(
    conn: &mut AnyConnection,
    proposal_id: i64,
    text: Option<&str>,
) -> Result<()> {
    let done = sqlx::query(
        "UPDATE request_proposals SET shared_accommodations = $1 WHERE id = $2 AND status = 'accepted'",
    )
    .bind(text)
    .bind(proposal_id)
    .execute(conn)
    .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The proposals made to a person, newest first.
pub async fn for_account(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Proposal>> {
    fetch(
        conn,
        "WHERE x.account_id = $1 ORDER BY x.id DESC",
        crate::Bind::Int(account_id),
    )
    .await
}

pub async fn by_public_id(conn: &mut AnyConnection, public_id: &str) -> Result<Option<Proposal>> {
    Ok(
        fetch(conn, "WHERE x.public_id = $1", crate::Bind::Text(public_id))
            .await?
            .pop(),
    )
}

/// Takes the request's row lock for the transaction; returns its status.
async fn lock(conn: &mut AnyConnection, request_id: i64) -> Result<State> {
    let (status,): (String,) = sqlx::query_as(
        "UPDATE intervention_requests SET status = status WHERE id = $1 RETURNING status",
    )
    .bind(request_id)
    .fetch_one(conn)
    .await?;
    State::from_code(&status).ok_or(StoreError::UnknownState(status))
}

/// Who moves a request: the part they play (the life cycle says what each
/// may do) and their account, recorded with the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who {
    pub actor: Actor,
    pub account_id: Option<i64>,
}

impl Who {
    /// The scheduled work (expiries, automatic evaluation).
    pub const SYSTEM: Who = Who {
        actor: Actor::System,
        account_id: None,
    };
}

/// Moves a request by an action of the life cycle (under its lock), if the
/// actor may take it, and records the change. A refused move is a
/// [`StoreError::MoveRefused`] with the rule's explanation.
pub async fn transition(
    conn: &mut AnyConnection,
    request: &Request,
    action: &Action,
    who: Who,
    now: i64,
) -> Result<State> {
    noted_transition(conn, request, action, who, now, action.reason()).await
}

/// [`transition`], with `note` kept in the history as the change's reason.
async fn noted_transition(
    conn: &mut AnyConnection,
    request: &Request,
    action: &Action,
    who: Who,
    now: i64,
    note: Option<&str>,
) -> Result<State> {
    let from = lock(conn, request.id).await?;
    let to = lifecycle::act(who.actor, from, action).map_err(StoreError::MoveRefused)?;
    if matches!(action, Action::MarkDone) {
        over_by(conn, request.id, now).await?;
    }
    let actor_id = who.account_id;
    sqlx::query("UPDATE intervention_requests SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(to.code())
        .bind(now)
        .bind(request.id)
        .execute(&mut *conn)
        .await?;
    requests::record(
        conn,
        request.id,
        Some(from.code()),
        to.code(),
        actor_id,
        note,
        now,
    )
    .await?;
    Ok(to)
}

/// Refuses to note an intervention as done before it is over (the rule is
/// [`epop_domain::schedule::may_mark_done`]): every caller passes here.
async fn over_by(conn: &mut AnyConnection, id: i64, now: i64) -> Result<()> {
    let (end, from, to): (Option<i64>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT scheduled_end, date_from, date_to FROM intervention_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let day = to.or(from).and_then(|d| d.parse::<NaiveDate>().ok());
    epop_domain::schedule::may_mark_done(end, day, now).map_err(StoreError::MoveRefused)
}

/// Proposes the request to these peers (profile id, account id), each with
/// the same deadline; moves the request to « proposed ».
pub async fn propose(
    conn: &mut AnyConnection,
    request: &Request,
    peers: &[(i64, i64, String)],
    deadline: i64,
    by: Who,
    now: i64,
) -> Result<Vec<Proposal>> {
    propose_noted(conn, request, peers, deadline, by, now, None).await
}

/// [`propose`], with `note` kept in the request's history (why some peers
/// were asked though the matching left them out).
pub async fn propose_noted(
    conn: &mut AnyConnection,
    request: &Request,
    peers: &[(i64, i64, String)],
    deadline: i64,
    by: Who,
    now: i64,
    note: Option<&str>,
) -> Result<Vec<Proposal>> {
    noted_transition(conn, request, &Action::Propose, by, now, note).await?;
    for (profile_id, account_id, public_id) in peers {
        sqlx::query(
            "INSERT INTO request_proposals (public_id, request_id, profile_id, account_id, status, deadline, created_by, created_at) \
             VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7)",
        )
        .bind(public_id)
        .bind(request.id)
        .bind(profile_id)
        .bind(account_id)
        .bind(deadline)
        .bind(by.account_id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    let all = for_request(conn, request.id).await?;
    Ok(all
        .into_iter()
        .filter(|p| peers.iter().any(|(_, _, id)| *id == p.public_id))
        .collect())
}

/// What a peer's answer did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    /// This peer takes the place; the others asked are told it is taken.
    Accepted { withdrawn: Vec<Proposal> },
    /// Declined; `reopened`: nobody else is still asked, the request goes
    /// back to the coordinator.
    Declined { reopened: bool },
    /// The proposal no longer stands (answered, expired, or the place was
    /// taken by someone else first).
    TooLate,
}

/// A peer's answer, under the request's lock: the first acceptance wins.
pub async fn answer(
    conn: &mut AnyConnection,
    proposal: &Proposal,
    accept: bool,
    reason: Option<&str>,
    now: i64,
) -> Result<Answered> {
    let request = requests::by_id(conn, proposal.request_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let state = lock(conn, request.id).await?;
    let current = by_public_id(conn, &proposal.public_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    if current.status != "pending" || current.deadline < now || state != State::Proposed {
        return Ok(Answered::TooLate);
    }
    let status = if accept { "accepted" } else { "declined" };
    sqlx::query(
        "UPDATE request_proposals SET status = $1, reason = $2, answered_at = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(reason)
    .bind(now)
    .bind(current.id)
    .execute(&mut *conn)
    .await?;
    let still_pending: Vec<Proposal> = for_request(conn, request.id)
        .await?
        .into_iter()
        .filter(|p| p.status == "pending")
        .collect();
    if accept {
        sqlx::query(
            "UPDATE request_proposals SET status = 'withdrawn', answered_at = $1 WHERE request_id = $2 AND status = 'pending'",
        )
        .bind(now)
        .bind(request.id)
        .execute(&mut *conn)
        .await?;
        transition(
            conn,
            &request,
            &Action::PeerAccepts,
            Who {
                actor: Actor::Peer,
                account_id: Some(current.account_id),
            },
            now,
        )
        .await?;
        return Ok(Answered::Accepted {
            withdrawn: still_pending,
        });
    }
    let reopened = still_pending.is_empty();
    if reopened {
        transition(
            conn,
            &request,
            &Action::PeerDeclines,
            Who {
                actor: Actor::Peer,
                account_id: Some(current.account_id),
            },
            now,
        )
        .await?;
    }
    Ok(Answered::Declined { reopened })
}

/// Ends the proposals whose deadline passed without an answer; a request
/// with no proposal still pending goes back to its coordinator. Returns the
/// expired proposals (to tell the coordinators).
pub async fn expire(conn: &mut AnyConnection, now: i64) -> Result<Vec<Proposal>> {
    let due = fetch(
        conn,
        "WHERE x.status = 'pending' AND x.deadline < $1 ORDER BY x.id",
        crate::Bind::Int(now),
    )
    .await?;
    for p in &due {
        let request = requests::by_id(conn, p.request_id)
            .await?
            .ok_or(StoreError::NotFound)?;
        let state = lock(conn, request.id).await?;
        sqlx::query("UPDATE request_proposals SET status = 'expired', answered_at = $1 WHERE id = $2 AND status = 'pending'")
            .bind(now)
            .bind(p.id)
            .execute(&mut *conn)
            .await?;
        let pending: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM request_proposals WHERE request_id = $1 AND status = 'pending'",
        )
        .bind(request.id)
        .fetch_one(&mut *conn)
        .await?;
        if pending == 0 && state == State::Proposed {
            transition(conn, &request, &Action::ProposalExpires, Who::SYSTEM, now).await?;
        }
    }
    Ok(due)
}
