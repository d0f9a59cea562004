//! Questionnaires: their versioned definitions ([`save`], [`current`],
//! [`by_id`], [`versions`]) and, in [`responses`], the personal links
//! answered without an account and the anonymous responses they give.
//!
//! A questionnaire is a (purpose, version); saving a changed questionnaire
//! always makes the next version of its purpose, never an edit, so every
//! response keeps the version it answered. The questions are kept as JSON
//! (see [`to_json`]): code, wording, easy_wording, required, kind (the
//! codes of [`Kind::CODES`]), and options, min, max, max_length where the
//! kind needs them. Migration 0031 made version 1 of each of the four
//! purposes, so [`current`] always finds one.

pub mod responses;

use epop_domain::questionnaire::{Kind, Purpose, Question, Questionnaire};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::{Result, StoreError};

/// A saved version of a questionnaire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub questionnaire: Questionnaire,
    pub created_at: i64,
}

/// One question as kept in the JSON of `questionnaires.questions`.
#[derive(Serialize, Deserialize)]
struct Json {
    code: String,
    wording: String,
    easy_wording: String,
    required: bool,
    kind: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_length: Option<usize>,
}

/// The JSON kept for these questions.
pub fn to_json(questions: &[Question]) -> String {
    let rows: Vec<Json> = questions
        .iter()
        .map(|q| {
            let (min, max, max_length) = match q.kind {
                Kind::Number { min, max } => (Some(min), Some(max), None),
                Kind::ShortText { max } => (None, None, Some(max)),
                _ => (None, None, None),
            };
            Json {
                code: q.code.clone(),
                wording: q.wording.clone(),
                easy_wording: q.easy_wording.clone(),
                required: q.required,
                kind: q.kind.code().to_owned(),
                options: q.kind.options().to_vec(),
                min,
                max,
                max_length,
            }
        })
        .collect();
    serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into())
}

/// The questions of this JSON; `None` if it is not what [`to_json`] writes.
pub fn from_json(json: &str) -> Option<Vec<Question>> {
    let rows: Vec<Json> = serde_json::from_str(json).ok()?;
    rows.into_iter()
        .map(|j| {
            let kind = match j.kind.as_str() {
                "echelle" => Kind::Scale,
                "oui-non" => Kind::YesNo,
                "choix-unique" => Kind::OneChoice(j.options),
                "choix-multiples" => Kind::SeveralChoices(j.options),
                "nombre" => Kind::Number {
                    min: j.min?,
                    max: j.max?,
                },
                "texte-court" => Kind::ShortText { max: j.max_length? },
                _ => return None,
            };
            Some(Question {
                code: j.code,
                wording: j.wording,
                easy_wording: j.easy_wording,
                required: j.required,
                kind,
            })
        })
        .collect()
}

type Row = (i64, String, i64, String, String, i64);

fn stored((id, purpose, version, title, questions, created_at): Row) -> Result<Stored> {
    let broken = || {
        StoreError::Db(sqlx::Error::Decode(
            format!("questionnaire {id}: purpose or questions unreadable").into(),
        ))
    };
    Ok(Stored {
        id,
        questionnaire: Questionnaire {
            title,
            purpose: Purpose::from_code(&purpose).ok_or_else(broken)?,
            version: u32::try_from(version).map_err(|_| broken())?,
            questions: from_json(&questions).ok_or_else(broken)?,
        },
        created_at,
    })
}

/// Saves `q` as the next version of its purpose (its own `version` is
/// ignored) and returns it as saved. Call it in a write transaction: two
/// admins saving at once get a [`StoreError::Duplicate`], never the same
/// version twice.
pub async fn save(
    conn: &mut AnyConnection,
    q: &Questionnaire,
    by: Option<i64>,
    now: i64,
) -> Result<Stored> {
    let last: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM questionnaires WHERE purpose = $1")
            .bind(q.purpose.code())
            .fetch_one(&mut *conn)
            .await?;
    let version = last.unwrap_or(0) + 1;
    let row: Row = sqlx::query_as(
        "INSERT INTO questionnaires (purpose, version, title, questions, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, purpose, version, title, questions, created_at",
    )
    .bind(q.purpose.code())
    .bind(version)
    .bind(&q.title)
    .bind(to_json(&q.questions))
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?;
    stored(row)
}

/// The current (latest) version for this purpose.
pub async fn current(conn: &mut AnyConnection, purpose: Purpose) -> Result<Option<Stored>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT id, purpose, version, title, questions, created_at FROM questionnaires \
         WHERE purpose = $1 ORDER BY version DESC LIMIT 1",
    )
    .bind(purpose.code())
    .fetch_optional(conn)
    .await?;
    row.map(stored).transpose()
}

/// One version by its id.
pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Stored>> {
    let row: Option<Row> =
        sqlx::query_as(
            "SELECT id, purpose, version, title, questions, created_at FROM questionnaires WHERE id = $1",
        )
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(stored).transpose()
}

/// A version in the admins' list, with how many responses it received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub id: i64,
    pub purpose: String,
    pub version: i64,
    pub title: String,
    pub questions: usize,
    pub created_at: i64,
    pub responses: i64,
}

/// Every version, by purpose then newest first.
pub async fn versions(conn: &mut AnyConnection) -> Result<Vec<Version>> {
    let rows: Vec<(i64, String, i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT q.id, q.purpose, q.version, q.title, q.questions, q.created_at, \
         (SELECT COUNT(*) FROM questionnaire_responses r WHERE r.questionnaire_id = q.id) \
         FROM questionnaires q ORDER BY q.purpose, q.version DESC",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, purpose, version, title, questions, created_at, responses)| Version {
                id,
                purpose,
                version,
                title,
                questions: from_json(&questions).map_or(0, |q| q.len()),
                created_at,
                responses,
            },
        )
        .collect())
}
