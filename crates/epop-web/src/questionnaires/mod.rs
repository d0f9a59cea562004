//! Questionnaires on the web: admins define them and their new versions
//! ([`admin`]), people answer through a personal link without an account,
//! one question per page or all on one page ([`answer`]), and the signed-in
//! intervention feedback shows the current intervention questionnaire with
//! the same question blocks ([`QuestionView`], `questionnaires/question.html`).

pub(crate) mod admin;
mod answer;

use axum::Router;
use epop_domain::questionnaire::answer::{
    DECLINE, DECLINE_LABEL, Problems, Response, Value, YesNo,
};
use epop_domain::questionnaire::{Kind, Question, Questionnaire, SCALE, scale_label};
use epop_store::questionnaires::responses::{self, Answer};

use crate::AppState;
use crate::forms::{Errors, Pairs};

pub fn router() -> Router<AppState> {
    Router::new().merge(admin::router()).merge(answer::router())
}

/// One offered answer of a question block: (value sent, words, checked).
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// A question as its block shows it: the wording for this person, the
/// answers offered, what was sent and the problem, if any.
pub struct QuestionView {
    pub n: usize,
    pub code: String,
    pub label: String,
    pub required: bool,
    /// `choice` (radios or boxes), `number` or `text`.
    pub input: &'static str,
    pub multiple: bool,
    pub choices: Vec<Choice>,
    /// The typed answer of a number or a text.
    pub typed: String,
    pub hint: String,
    /// « Je préfère ne pas répondre » chosen (a box beside a typed answer
    /// or several choices; a radio of its own otherwise).
    pub declined: bool,
    pub error: String,
}

impl QuestionView {
    /// The block of `q` (numbered `n`), with what was `sent` for it.
    pub fn new(n: usize, q: &Question, easy: bool, sent: &[String], error: &str) -> Self {
        let has = |v: &str| sent.iter().any(|s| s == v);
        let choice = |value: String, label: &str| Choice {
            checked: has(&value),
            value,
            label: label.to_owned(),
        };
        let mut choices: Vec<Choice> = match &q.kind {
            Kind::Scale => SCALE
                .iter()
                .map(|(v, l)| choice(v.to_string(), l))
                .collect(),
            Kind::YesNo => YesNo::ALL
                .iter()
                .map(|v| choice(v.code().to_owned(), v.label()))
                .collect(),
            Kind::OneChoice(o) | Kind::SeveralChoices(o) => o
                .iter()
                .enumerate()
                .map(|(i, l)| choice((i + 1).to_string(), l))
                .collect(),
            Kind::Number { .. } | Kind::ShortText { .. } => vec![],
        };
        let (input, hint) = match &q.kind {
            Kind::Number { min, max } => ("number", format!("Un nombre entre {min} et {max}.")),
            Kind::ShortText { max } => ("text", format!("{max} caractères au plus.")),
            _ => ("choice", String::new()),
        };
        let multiple = matches!(q.kind, Kind::SeveralChoices(_));
        if input == "choice" && !multiple {
            choices.push(choice(DECLINE.to_owned(), DECLINE_LABEL));
        }
        QuestionView {
            n,
            code: q.code.clone(),
            label: q.shown(easy).to_owned(),
            required: q.required,
            input,
            multiple,
            choices,
            typed: if input == "choice" {
                String::new()
            } else {
                sent.iter()
                    .find(|s| *s != DECLINE)
                    .cloned()
                    .unwrap_or_default()
            },
            hint,
            declined: has(DECLINE),
            error: error.to_owned(),
        }
    }

    /// Whether « je préfère ne pas répondre » is a box of its own.
    pub fn decline_box(&self) -> bool {
        self.input != "choice" || self.multiple
    }
}

/// The field id of a question's block (the error summary links to it).
pub fn field(code: &str) -> String {
    format!("question-{code}")
}

/// The blocks of every question, with what was sent and the problems.
pub fn views(q: &Questionnaire, easy: bool, sent: &Pairs, errors: &Errors) -> Vec<QuestionView> {
    q.questions
        .iter()
        .enumerate()
        .map(|(i, question)| {
            QuestionView::new(
                i + 1,
                question,
                easy,
                &sent.all(&question.code),
                errors.get(&field(&question.code)),
            )
        })
        .collect()
}

/// The answers' problems as form errors naming their question.
pub fn answer_errors(q: &Questionnaire, easy: bool, problems: Problems) -> Errors {
    let mut errors = Errors::default();
    for (code, e) in problems {
        let label = q.question(&code).map(|q| q.shown(easy)).unwrap_or_default();
        errors.add(&field(&code), format!("« {label} » : {}", e.0));
    }
    errors
}

/// An answer as people read it (the request page, the check before
/// sending): the rows stored for one question.
pub fn answer_words(q: &Question, rows: &[&Answer]) -> String {
    if rows.iter().any(|a| a.declined) {
        return DECLINE_LABEL.to_owned();
    }
    let words: Vec<String> = rows
        .iter()
        .filter_map(|a| match (&q.kind, a.value, &a.text) {
            (Kind::ShortText { .. }, _, Some(t)) => Some(t.clone()),
            (Kind::Scale, Some(v), _) => scale_label(v).map(str::to_owned),
            (Kind::YesNo, Some(v), _) => Some(
                match v {
                    1 => YesNo::Yes,
                    0 => YesNo::No,
                    _ => YesNo::DontKnow,
                }
                .label()
                .to_owned(),
            ),
            (Kind::OneChoice(o) | Kind::SeveralChoices(o), Some(v), _) => usize::try_from(v)
                .ok()
                .and_then(|i| o.get(i.checked_sub(1)?))
                .cloned(),
            (Kind::Number { .. }, Some(v), _) => Some(v.to_string()),
            _ => None,
        })
        .collect();
    if words.is_empty() {
        "Pas de réponse".to_owned()
    } else {
        words.join(", ")
    }
}

/// What was sent for one question (from a form or a draft) as people read it.
pub fn sent_words(q: &Question, sent: &[String]) -> String {
    let option = |o: &[String], n: usize| o.get(n.wrapping_sub(1)).cloned().unwrap_or_default();
    match q.check(sent) {
        Ok(Response::Declined) => DECLINE_LABEL.to_owned(),
        Ok(Response::Given(v)) => match (&q.kind, v) {
            (_, Value::Scale(n)) => scale_label(n).unwrap_or_default().to_owned(),
            (_, Value::YesNo(v)) => v.label().to_owned(),
            (kind, Value::Choice(n)) => option(kind.options(), n),
            (kind, Value::Choices(ns)) => ns
                .iter()
                .map(|n| option(kind.options(), *n))
                .collect::<Vec<_>>()
                .join(", "),
            (_, Value::Number(n)) => n.to_string(),
            (_, Value::Text(t)) => t,
        },
        Ok(Response::Skipped) | Err(_) => "Pas de réponse".to_owned(),
    }
}

/// A response as the request page shows it: who answered (host, peer,
/// audience) and each question with its answer in words.
pub struct Said {
    pub respondent: String,
    pub who: &'static str,
    pub lines: Vec<(String, String)>,
}

/// The responses about a subject, in words, with the wording of the
/// version each answered.
pub async fn said_about(
    conn: &mut epop_store::Conn,
    subject_kind: &str,
    subject_id: i64,
) -> Result<Vec<Said>, crate::AppError> {
    let given = responses::about(conn, subject_kind, subject_id).await?;
    let mut versions: Vec<epop_store::questionnaires::Stored> = Vec::new();
    let mut out = Vec::new();
    for g in given {
        if !versions.iter().any(|v| v.id == g.questionnaire_id)
            && let Some(v) = epop_store::questionnaires::by_id(conn, g.questionnaire_id).await?
        {
            versions.push(v);
        }
        let Some(v) = versions.iter().find(|v| v.id == g.questionnaire_id) else {
            continue;
        };
        let lines = v
            .questionnaire
            .questions
            .iter()
            .map(|q| {
                let rows: Vec<&Answer> = g
                    .answers
                    .iter()
                    .filter(|a| a.question_code == q.code)
                    .collect();
                (q.wording.clone(), answer_words(q, &rows))
            })
            .collect();
        out.push(Said {
            who: match g.respondent.as_str() {
                "peer" => "Intervenant-pair",
                "host" => "Organisation",
                "audience" => "Personne du public",
                _ => "Autre personne",
            },
            respondent: g.respondent,
            lines,
        });
    }
    Ok(out)
}

/// The request becomes « évaluée » once its host and its peer worker have
/// both answered the intervention questionnaire (signed in or by link).
pub async fn evaluate_when_both_answered(
    tx: &mut epop_store::Conn,
    request_id: i64,
    now: i64,
) -> Result<(), crate::AppError> {
    let Some(r) = epop_store::requests::by_id(tx, request_id).await? else {
        return Ok(());
    };
    if r.status != epop_domain::lifecycle::State::Done.code() {
        return Ok(());
    }
    for side in ["host", "peer"] {
        if !responses::responded(tx, "intervention", r.id, side).await? {
            return Ok(());
        }
    }
    epop_store::proposals::transition(
        tx,
        &r,
        &epop_domain::lifecycle::Action::Evaluate,
        epop_store::proposals::Who::SYSTEM,
        now,
    )
    .await?;
    Ok(())
}
