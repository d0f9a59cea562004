//! The invitations to answer a questionnaire (`questionnaire_invitations`):
//! finding who is due one (done interventions, ended training sessions,
//! sessions ended six months ago, past events with attendance) and has none
//! yet, creating it (only the hash of its random token is kept), the one
//! reminder with its own link, and the audience link of an intervention.
//!
//! The queries look at a range of ends only (the domain's
//! `ends_to_look_at`), and "without an invitation yet" is a `NOT EXISTS` on
//! the unique index `questionnaire_invitations_once`; creating is an
//! `INSERT … ON CONFLICT DO NOTHING RETURNING`, so that two workers never
//! invite the same person twice (the second finds the first's row).

use epop_domain::questionnaire::Purpose;
use epop_domain::questionnaire::sending::{
    Concerned, Respondent, SubjectKind, asked_as, ends_to_look_at, is_due, reminder_due,
    sent_to_remind,
};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::Result;

/// One person due an invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub subject_kind: SubjectKind,
    pub subject_id: i64,
    pub respondent: Respondent,
    pub account_id: Option<i64>,
    pub email: String,
    /// How to greet them, when known.
    pub name: Option<String>,
    pub easy_read: bool,
    pub department_code: Option<String>,
    pub intervention_kind: Option<String>,
    /// When what they are asked about ended.
    pub ends_at: i64,
}

/// (subject id, account, e-mail, name, event needs, département, kind of
/// intervention, end, present half-days or attended)
type DueRow = (
    i64,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
);

/// "… and this person has no invitation to this questionnaire about this
/// subject as this respondent" — on the unique index.
fn not_invited(kind: SubjectKind, subject: &str, respondent: Respondent, email: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM questionnaire_invitations i WHERE i.questionnaire_id = $1 \
         AND i.subject_kind = '{}' AND i.subject_id = {subject} AND i.respondent = '{}' \
         AND i.email = {email})",
        kind.code(),
        respondent.code()
    )
}

/// "… and this side (host or peer: one person each) has not already
/// answered about it" — on the intervention's own page, signed in, after
/// the e-mail telling that it was done.
fn not_answered(respondent: Respondent) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM questionnaire_responses x WHERE x.subject_kind = 'intervention' \
         AND x.subject_id = r.id AND x.respondent = '{}')",
        respondent.code()
    )
}

/// Done interventions (done, evaluated or closed: they took place).
const DONE: &str = "r.status IN ('done', 'evaluated', 'closed') \
     AND r.scheduled_end >= $2 AND r.scheduled_end <= $3";

/// Sessions with their last half-day's end.
const SESSIONS_ENDED: &str = "(SELECT session_id, MAX(ends_at) AS ends FROM training_half_days \
     GROUP BY session_id) e JOIN training_sessions s ON s.id = e.session_id \
     JOIN training_applications ap ON ap.session_id = s.id \
     JOIN accounts t ON t.id = ap.account_id";

const PRESENT: &str = "(SELECT COUNT(*) FROM training_attendance ta \
     WHERE ta.application_id = ap.id AND ta.present = 1)";

/// The queries of each respondent of a subject kind, each with the
/// respondent it finds and the facts the domain decides on.
fn queries(kind: SubjectKind) -> Vec<(Respondent, String)> {
    use Respondent::*;
    let i = SubjectKind::Intervention;
    let t = SubjectKind::Training;
    match kind {
        SubjectKind::Intervention => vec![
            (
                Host,
                format!(
                    "SELECT r.id, r.requester_id, r.contact_email, a.display_name, CAST(NULL AS TEXT), \
                     r.department_code, r.kind, r.scheduled_end, CAST(NULL AS BIGINT) \
                     FROM intervention_requests r \
                     LEFT JOIN accounts a ON a.id = r.requester_id AND a.email = r.contact_email \
                     WHERE {DONE} AND {} AND {} ORDER BY r.scheduled_end, r.id LIMIT $4",
                    not_invited(i, "r.id", Host, "r.contact_email"),
                    not_answered(Host)
                ),
            ),
            (
                Peer,
                format!(
                    "SELECT r.id, a.id, a.email, a.display_name, CAST(NULL AS TEXT), \
                     r.department_code, r.kind, r.scheduled_end, CAST(NULL AS BIGINT) \
                     FROM intervention_requests r \
                     JOIN request_proposals p ON p.request_id = r.id AND p.status = 'accepted' \
                     JOIN accounts a ON a.id = p.account_id AND a.status <> 'disabled' \
                     WHERE {DONE} AND {} AND {} ORDER BY r.scheduled_end, r.id LIMIT $4",
                    not_invited(i, "r.id", Peer, "a.email"),
                    not_answered(Peer)
                ),
            ),
        ],
        SubjectKind::Training => vec![
            (
                Trainee,
                format!(
                    "SELECT s.id, t.id, t.email, t.display_name, CAST(NULL AS TEXT), \
                     s.department_code, CAST(NULL AS TEXT), e.ends, {PRESENT} \
                     FROM {SESSIONS_ENDED} \
                     WHERE e.ends >= $2 AND e.ends <= $3 AND t.status <> 'disabled' \
                     AND {PRESENT} > 0 AND {} ORDER BY s.id, t.id LIMIT $4",
                    not_invited(t, "s.id", Trainee, "t.email")
                ),
            ),
            (
                Employer,
                format!(
                    "SELECT DISTINCT s.id, m.id, m.email, m.display_name, CAST(NULL AS TEXT), \
                     s.department_code, CAST(NULL AS TEXT), e.ends, CAST(NULL AS BIGINT) \
                     FROM {SESSIONS_ENDED} \
                     JOIN training_programmes pr ON pr.id = s.programme_id AND pr.audience = 'referent' \
                     JOIN accounts m ON m.organisation_id = t.organisation_id AND m.id <> t.id \
                     AND m.status <> 'disabled' \
                     JOIN account_roles ro ON ro.account_id = m.id AND ro.role = 'requester' \
                     WHERE e.ends >= $2 AND e.ends <= $3 AND {PRESENT} > 0 AND {} \
                     ORDER BY s.id, m.id LIMIT $4",
                    not_invited(t, "s.id", Employer, "m.email")
                ),
            ),
        ],
        SubjectKind::Event => vec![(
            Participant,
            format!(
                "SELECT ev.id, r.account_id, r.email, r.name, r.needs, ev.department_code, \
                 CAST(NULL AS TEXT), ev.ends_at, r.attended \
                 FROM events ev JOIN event_registrations r ON r.event_id = ev.id \
                 WHERE ev.cancelled_at IS NULL AND ev.ends_at >= $2 AND ev.ends_at <= $3 \
                 AND r.status <> 'cancelled' AND r.attended = 1 AND {} ORDER BY ev.id, r.id LIMIT $4",
                not_invited(SubjectKind::Event, "ev.id", Participant, "r.email")
            ),
        )],
    }
}

/// The facts the domain decides on, for a row of `respondent`'s query
/// (`None` for the audience, which no query finds).
fn concerned(respondent: Respondent, facts: Option<i64>) -> Option<Concerned> {
    Some(match respondent {
        Respondent::Audience => return None,
        Respondent::Host => Concerned::HostContact,
        Respondent::Peer => Concerned::AcceptedPeer,
        Respondent::Trainee => Concerned::Trainee {
            present_half_days: u32::try_from(facts.unwrap_or(0)).unwrap_or(0),
        },
        Respondent::Employer => Concerned::ReferentEmployer,
        Respondent::Participant => Concerned::Registered {
            attended: facts.map(|a| a == 1),
        },
    })
}

/// Who is due an invitation to the questionnaire `questionnaire_id` of
/// `purpose` at `now` and has none yet, at most `limit` per kind of
/// respondent.
pub async fn due(
    conn: &mut AnyConnection,
    purpose: Purpose,
    questionnaire_id: i64,
    now: i64,
    limit: i64,
) -> Result<Vec<Due>> {
    let kind = epop_domain::questionnaire::sending::subject_of(purpose);
    let (from, to) = ends_to_look_at(purpose, now);
    let mut out = Vec::new();
    for (respondent, sql) in queries(kind) {
        let rows: Vec<DueRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(questionnaire_id)
            .bind(from)
            .bind(to)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        for (id, account_id, email, name, needs, dept, ikind, ends_at, facts) in rows {
            if concerned(respondent, facts).and_then(asked_as) != Some(respondent)
                || !is_due(purpose, ends_at, now)
            {
                continue;
            }
            let easy_read = needs
                .as_deref()
                .is_some_and(|n| n.split_whitespace().any(|c| c == "falc"));
            out.push(Due {
                subject_kind: kind,
                subject_id: id,
                respondent,
                account_id,
                email,
                name,
                easy_read,
                department_code: dept,
                intervention_kind: ikind,
                ends_at,
            });
        }
    }
    Ok(out)
}

/// Creates the invitation of `d`, sent at `now` (its e-mail is written in
/// the same transaction); `None` when another worker created it first.
pub async fn create(
    conn: &mut AnyConnection,
    questionnaire_id: i64,
    d: &Due,
    token_hash: &str,
    now: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, \
         subject_id, respondent, account_id, email, easy_read, department_code, \
         intervention_kind, created_at, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(questionnaire_id)
    .bind(token_hash)
    .bind(d.subject_kind.code())
    .bind(d.subject_id)
    .bind(d.respondent.code())
    .bind(d.account_id)
    .bind(&d.email)
    .bind(i64::from(d.easy_read))
    .bind(&d.department_code)
    .bind(&d.intervention_kind)
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// An invitation as the sending and answering pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub id: i64,
    pub questionnaire_id: i64,
    pub purpose: Option<Purpose>,
    pub subject_kind: Option<SubjectKind>,
    pub subject_id: i64,
    pub respondent: Option<Respondent>,
    pub email: Option<String>,
    /// How to greet them, when known (their account, their registration).
    pub name: Option<String>,
    pub easy_read: bool,
    pub department_code: Option<String>,
    pub intervention_kind: Option<String>,
    pub sent_at: Option<i64>,
    pub reminded_at: Option<i64>,
    pub answered_at: Option<i64>,
}

type SentRow = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

const SENT: &str = "SELECT i.id, i.questionnaire_id, q.purpose, i.subject_kind, i.subject_id, \
     i.respondent, i.email, COALESCE(a.display_name, er.name), i.easy_read, i.department_code, \
     i.intervention_kind, i.sent_at, i.reminded_at, i.answered_at \
     FROM questionnaire_invitations i JOIN questionnaires q ON q.id = i.questionnaire_id \
     LEFT JOIN accounts a ON a.id = i.account_id \
     LEFT JOIN event_registrations er ON i.subject_kind = 'event' AND er.event_id = i.subject_id \
     AND er.email = i.email AND er.status <> 'cancelled'";

fn sent(r: SentRow) -> Sent {
    Sent {
        id: r.0,
        questionnaire_id: r.1,
        purpose: Purpose::from_code(&r.2),
        subject_kind: SubjectKind::from_code(&r.3),
        subject_id: r.4,
        respondent: Respondent::from_code(&r.5),
        email: r.6,
        name: r.7,
        easy_read: r.8 == 1,
        department_code: r.9,
        intervention_kind: r.10,
        sent_at: r.11,
        reminded_at: r.12,
        answered_at: r.13,
    }
}

/// The invitations that may get their reminder at `now` (sent by e-mail,
/// unanswered, not reminded; for the host and the peer of an intervention,
/// that side has not answered on its page either), at most `limit`; each is
/// then taken with
/// [`take_reminder`].
pub async fn reminders_due(conn: &mut AnyConnection, now: i64, limit: i64) -> Result<Vec<Sent>> {
    let (from, to) = sent_to_remind(now);
    let rows: Vec<SentRow> = sqlx::query_as(AssertSqlSafe(format!(
        "{SENT} WHERE i.sent_at >= $1 AND i.sent_at <= $2 AND i.answered_at IS NULL \
         AND i.reminded_at IS NULL AND i.email IS NOT NULL \
         AND NOT (i.respondent IN ('host', 'peer') AND EXISTS (SELECT 1 FROM questionnaire_responses x \
         WHERE x.subject_kind = i.subject_kind AND x.subject_id = i.subject_id \
         AND x.respondent = i.respondent)) ORDER BY i.id LIMIT $3"
    )))
    .bind(from)
    .bind(to)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(sent)
        .filter(|i| reminder_due(i.sent_at, i.reminded_at, i.answered_at, now))
        .collect())
}

/// Marks the reminder of invitation `id` sent at `now` with its new link;
/// false when it was answered or reminded in the meantime (by another
/// worker): then nothing is to be sent.
pub async fn take_reminder(
    conn: &mut AnyConnection,
    id: i64,
    token_hash: &str,
    now: i64,
) -> Result<bool> {
    let taken: Option<i64> = sqlx::query_scalar(
        "UPDATE questionnaire_invitations SET reminded_at = $1, reminder_token_hash = $2 \
         WHERE id = $3 AND reminded_at IS NULL AND answered_at IS NULL RETURNING id",
    )
    .bind(now)
    .bind(token_hash)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(taken.is_some())
}

/// When the audience link of intervention `request_id` for questionnaire
/// `questionnaire_id` was made, if it was.
pub async fn audience_link_made(
    conn: &mut AnyConnection,
    questionnaire_id: i64,
    request_id: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT created_at FROM questionnaire_invitations WHERE questionnaire_id = $1 \
         AND subject_kind = 'intervention' AND subject_id = $2 AND respondent = 'audience'",
    )
    .bind(questionnaire_id)
    .bind(request_id)
    .fetch_optional(conn)
    .await?)
}

/// Makes the audience link of a done intervention, or a new one in place of
/// the old (which then stops working): one row per questionnaire and
/// intervention, with no address.
pub async fn make_audience_link(
    conn: &mut AnyConnection,
    questionnaire_id: i64,
    request_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, \
         subject_id, respondent, department_code, intervention_kind, created_at) \
         SELECT $1, $2, 'intervention', r.id, 'audience', r.department_code, r.kind, $3 \
         FROM intervention_requests r WHERE r.id = $4 \
         ON CONFLICT (questionnaire_id, subject_kind, subject_id) WHERE respondent = 'audience' \
         DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
    )
    .bind(questionnaire_id)
    .bind(token_hash)
    .bind(now)
    .bind(request_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What a questionnaire is about, for the e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    /// The request's subject, the session's or the event's title.
    pub title: String,
    pub starts_at: Option<i64>,
    pub ends_at: Option<i64>,
    /// The host organisation, the session's place, the event's organiser.
    pub place: Option<String>,
}

/// What `kind` `id` is, as the e-mail tells it; `None` if it is gone.
pub async fn about(conn: &mut AnyConnection, kind: SubjectKind, id: i64) -> Result<Option<About>> {
    let sql = match kind {
        SubjectKind::Intervention => {
            "SELECT COALESCE(r.subject, ''), r.scheduled_start, r.scheduled_end, o.name \
             FROM intervention_requests r LEFT JOIN organisations o ON o.id = r.organisation_id \
             WHERE r.id = $1"
        }
        SubjectKind::Training => {
            "SELECT s.title, MIN(h.starts_at), MAX(h.ends_at), s.place \
             FROM training_sessions s LEFT JOIN training_half_days h ON h.session_id = s.id \
             WHERE s.id = $1 GROUP BY s.id, s.title, s.place"
        }
        SubjectKind::Event => {
            "SELECT title, starts_at, ends_at, organiser FROM events WHERE id = $1"
        }
    };
    let row: Option<(String, Option<i64>, Option<i64>, Option<String>)> =
        sqlx::query_as(sql).bind(id).fetch_optional(conn).await?;
    Ok(row.map(|(title, starts_at, ends_at, place)| About {
        title,
        starts_at,
        ends_at,
        place,
    }))
}
