//! Answering a questionnaire: the personal link found by the hash of its
//! token ([`invitation`]), the answers kept page after page ([`save_draft`]),
//! and the response recorded in one transaction with the invitation marked
//! answered ([`answer`]).
//!
//! A response copies what the indicators need from its invitation (what it
//! is about, who answers — host, peer, audience… —, the département, the
//! kind of intervention) and never the invitation's id, account or e-mail:
//! answers stay apart from identity. An audience link (respondent
//! `audience`, no e-mail) is passed on by the host to many people: it
//! accepts many responses and is never « answered ».
//!
//! Stored values (`questionnaire_answers`): a scale step 1–5; yes 1, no 0,
//! je ne sais pas -1; a number; a choice's position counted from 1 (several
//! choices give one row each); a short text in `text`; « je préfère ne pas
//! répondre » is `declined` = 1 with no value. A question left empty (not
//! required) gives no row.

use epop_domain::questionnaire::answer::{Response, Value, YesNo};
use sqlx::AnyConnection;

use crate::Result;

/// What a response is about and who gives it, copied onto the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `intervention`, `training` or `event`.
    pub kind: String,
    pub id: i64,
    /// `host`, `peer`, `audience`, `trainee`, `employer`, `participant`.
    pub respondent: String,
    pub department_code: Option<String>,
    pub intervention_kind: Option<String>,
}

/// A personal (or audience) link, as the answering pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub questionnaire_id: i64,
    pub subject: Subject,
    pub account_id: Option<i64>,
    pub email: Option<String>,
    pub easy_read: bool,
    pub answered_at: Option<i64>,
    /// The answers given so far, URL-encoded (question code = stored form).
    pub draft: Option<String>,
}

impl Invitation {
    /// An audience link: many people answer through it, none is recorded
    /// as having answered.
    pub fn is_audience_link(&self) -> bool {
        self.subject.respondent == "audience" && self.email.is_none()
    }

    /// A personal link already used.
    pub fn is_answered(&self) -> bool {
        !self.is_audience_link() && self.answered_at.is_some()
    }
}

type InvitationRow = (
    i64,
    i64,
    String,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
);

/// The invitation whose token hashes to `token_hash`.
pub async fn invitation(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Invitation>> {
    let row: Option<InvitationRow> = sqlx::query_as(
        "SELECT id, questionnaire_id, subject_kind, subject_id, respondent, department_code, \
         intervention_kind, account_id, email, easy_read, answered_at, draft \
         FROM questionnaire_invitations WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(
        |(
            id,
            questionnaire_id,
            kind,
            subject_id,
            respondent,
            dep,
            ik,
            account,
            email,
            easy,
            answered,
            draft,
        )| {
            Invitation {
                id,
                questionnaire_id,
                subject: Subject {
                    kind,
                    id: subject_id,
                    respondent,
                    department_code: dep,
                    intervention_kind: ik,
                },
                account_id: account,
                email,
                easy_read: easy != 0,
                answered_at: answered,
                draft,
            }
        },
    ))
}

/// Keeps the answers given so far on a personal link not yet answered.
pub async fn save_draft(conn: &mut AnyConnection, invitation_id: i64, draft: &str) -> Result<()> {
    sqlx::query(
        "UPDATE questionnaire_invitations SET draft = $1 WHERE id = $2 AND answered_at IS NULL",
    )
    .bind(draft)
    .bind(invitation_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// What [`answer`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    /// The new response's id.
    Saved(i64),
    /// The personal link was already used: nothing recorded.
    AlreadyAnswered,
}

/// Records the response given through `inv` and marks a personal link
/// answered (erasing its draft), in the caller's transaction: a link sent
/// twice at once records one response, the other gets
/// [`Recorded::AlreadyAnswered`].
pub async fn answer(
    tx: &mut AnyConnection,
    inv: &Invitation,
    answers: &[(String, Response)],
    now: i64,
) -> Result<Recorded> {
    if !inv.is_audience_link() {
        let marked = sqlx::query(
            "UPDATE questionnaire_invitations SET answered_at = $1, draft = NULL \
             WHERE id = $2 AND answered_at IS NULL",
        )
        .bind(now)
        .bind(inv.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if marked != 1 {
            return Ok(Recorded::AlreadyAnswered);
        }
    }
    let id = record(tx, inv.questionnaire_id, &inv.subject, answers, now).await?;
    Ok(Recorded::Saved(id))
}

/// Marks answered the invitations of this account about this subject (the
/// person answered signed in, their personal link is used up too).
pub async fn mark_answered(
    conn: &mut AnyConnection,
    subject: &Subject,
    account_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE questionnaire_invitations SET answered_at = $1, draft = NULL \
         WHERE subject_kind = $2 AND subject_id = $3 AND respondent = $4 AND account_id = $5 \
         AND answered_at IS NULL",
    )
    .bind(now)
    .bind(&subject.kind)
    .bind(subject.id)
    .bind(&subject.respondent)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records one response and its answers; returns the response's id.
pub async fn record(
    tx: &mut AnyConnection,
    questionnaire_id: i64,
    subject: &Subject,
    answers: &[(String, Response)],
    now: i64,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO questionnaire_responses (questionnaire_id, subject_kind, subject_id, respondent, \
         department_code, intervention_kind, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(questionnaire_id)
    .bind(&subject.kind)
    .bind(subject.id)
    .bind(&subject.respondent)
    .bind(&subject.department_code)
    .bind(&subject.intervention_kind)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (code, response) in answers {
        for (value, text, declined) in rows(response) {
            sqlx::query(
                "INSERT INTO questionnaire_answers (response_id, question_code, value, text, declined) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(code)
            .bind(value)
            .bind(text)
            .bind(declined)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(id)
}

/// The rows (value, text, declined) one answer is kept as.
fn rows(response: &Response) -> Vec<(Option<i64>, Option<String>, i64)> {
    let value = |v: i64| vec![(Some(v), None, 0)];
    match response {
        Response::Skipped => vec![],
        Response::Declined => vec![(None, None, 1)],
        Response::Given(v) => match v {
            Value::Scale(n) | Value::Number(n) => value(*n),
            Value::YesNo(YesNo::Yes) => value(1),
            Value::YesNo(YesNo::No) => value(0),
            Value::YesNo(YesNo::DontKnow) => value(-1),
            Value::Choice(n) => value(*n as i64),
            Value::Choices(ns) => ns.iter().map(|n| (Some(*n as i64), None, 0)).collect(),
            Value::Text(t) => vec![(None, Some(t.clone()), 0)],
        },
    }
}

/// One stored answer row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question_code: String,
    pub value: Option<i64>,
    pub text: Option<String>,
    pub declined: bool,
}

/// A response read back, with its answer rows in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    pub id: i64,
    pub questionnaire_id: i64,
    pub respondent: String,
    pub created_at: i64,
    pub answers: Vec<Answer>,
}

/// The responses about a subject (e.g. an intervention request), oldest
/// first, optionally only those of one kind of respondent.
pub async fn about(
    conn: &mut AnyConnection,
    subject_kind: &str,
    subject_id: i64,
) -> Result<Vec<Given>> {
    let rows: Vec<(i64, i64, String, i64, Option<String>, Option<i64>, Option<String>, i64)> =
        sqlx::query_as(
            "SELECT r.id, r.questionnaire_id, r.respondent, r.created_at, a.question_code, a.value, a.text, \
             COALESCE(a.declined, 0) FROM questionnaire_responses r \
             LEFT JOIN questionnaire_answers a ON a.response_id = r.id \
             WHERE r.subject_kind = $1 AND r.subject_id = $2 ORDER BY r.created_at, r.id, a.id",
        )
        .bind(subject_kind)
        .bind(subject_id)
        .fetch_all(conn)
        .await?;
    let mut out: Vec<Given> = Vec::new();
    for (id, questionnaire_id, respondent, created_at, code, value, text, declined) in rows {
        if out.last().is_none_or(|g| g.id != id) {
            out.push(Given {
                id,
                questionnaire_id,
                respondent,
                created_at,
                answers: vec![],
            });
        }
        if let (Some(g), Some(question_code)) = (out.last_mut(), code) {
            g.answers.push(Answer {
                question_code,
                value,
                text,
                declined: declined != 0,
            });
        }
    }
    Ok(out)
}

/// Whether someone answered about this subject as this respondent.
pub async fn responded(
    conn: &mut AnyConnection,
    subject_kind: &str,
    subject_id: i64,
    respondent: &str,
) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM questionnaire_responses \
         WHERE subject_kind = $1 AND subject_id = $2 AND respondent = $3",
    )
    .bind(subject_kind)
    .bind(subject_id)
    .bind(respondent)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
