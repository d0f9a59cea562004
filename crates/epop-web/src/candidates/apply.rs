//! Applying without an account, one question per page, without JavaScript:
//! each answer is checked and kept in the draft as soon as it is sent (so
//! « Revenir à la question précédente » finds it), then a summary to check,
//! the consent to be contacted, and sending: with an e-mail address, a
//! link to confirm it; with a phone number only, straight to the
//! coordination, who calls.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::candidate::{self, Answers};
use epop_domain::directory::InterventionKind;
use epop_store::candidates::{self, Application, DraftAnswers};
use epop_store::territories::Department;
use epop_store::{audit, now, outbox};

use super::{departments, mails, tell_coordination};
use crate::auth;
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form, slowed};
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/candidature/{token}/{step}",
        get(step_page).post(step_save),
    )
}

/// The questions, in order; `verifier` is the summary.
const STEPS: [&str; 6] = [
    "nom",
    "departement",
    "contact",
    "actions",
    "besoins",
    "verifier",
];

fn question(step: &str, easy: bool) -> &'static str {
    match (step, easy) {
        ("nom", _) => "Comment vous appelez-vous ?",
        ("departement", false) => "Dans quel département habitez-vous ?",
        ("departement", true) => "Où habitez-vous ?",
        ("contact", false) => "Comment la coordination peut-elle vous joindre ?",
        ("contact", true) => "Comment vous joindre ?",
        ("actions", false) => "Qu’aimeriez-vous faire ?",
        ("actions", true) => "Qu’avez-vous envie de faire ?",
        ("besoins", false) => "Qu’est-ce qui vous aiderait à participer ?",
        ("besoins", true) => "De quoi avez-vous besoin ?",
        _ => "Vérifiez et envoyez votre candidature",
    }
}

/// One action as a checkbox.
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub example: Option<&'static str>,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "candidates/apply_step.html")]
struct StepPage {
    l: Layout,
    errors: Errors,
    step: &'static str,
    number: usize,
    count: usize,
    token: String,
    back: Option<String>,
    a: Application,
    /// What was typed when it is shown again with a problem.
    typed: Pairs,
    departments: Vec<Department>,
    choices: Vec<Choice>,
    becoming: &'static str,
}

impl StepPage {
    /// A field's value: as typed when shown again with a problem, else as
    /// kept in the draft.
    fn value(&self, field: &str) -> String {
        if !self.errors.is_empty() {
            return self.typed.get(field);
        }
        let a = &self.a;
        match field {
            "name" => a.name.clone(),
            "department" => a.department_code.clone().unwrap_or_default(),
            "email" => a.email.clone().unwrap_or_default(),
            "phone" => a.phone.clone().unwrap_or_default(),
            _ => a.needs.clone(),
        }
    }
}

fn choices(chosen: &[String]) -> Vec<Choice> {
    InterventionKind::ALL
        .into_iter()
        .map(|k| Choice {
            code: k.code(),
            label: k.label(),
            example: k.example(),
            checked: chosen.iter().any(|c| c == k.code()),
        })
        .collect()
}

async fn draft(state: &AppState, token: &str) -> Result<Application, AppError> {
    let mut conn = state.db.conn().await?;
    candidates::draft(&mut conn, &hash_token(token))
        .await?
        .ok_or(AppError::LinkExpired)
}

fn find(step: &str) -> Result<(usize, &'static str), AppError> {
    STEPS
        .iter()
        .position(|s| *s == step)
        .map(|n| (n, STEPS[n]))
        .ok_or(AppError::NotFound)
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    token: String,
    step: &'static str,
    a: Application,
    errors: Errors,
    typed: Pairs,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let (departments, _) = departments(&mut conn).await?;
    let (n, _) = find(step)?;
    let invalid = !errors.is_empty();
    let chosen = if invalid && step == "actions" {
        typed.all("actions")
    } else {
        a.actions.clone()
    };
    let page = StepPage {
        l: ctx.layout_with_errors(question(step, ctx.easy), invalid),
        step,
        number: n + 1,
        count: STEPS.len() - 1,
        back: n
            .checked_sub(1)
            .map(|p| format!("/candidature/{token}/{}", STEPS[p])),
        token,
        choices: choices(&chosen),
        becoming: match a.audience {
            epop_domain::training::Audience::Peer => "devenir intervenant-pair",
            epop_domain::training::Audience::Referent => "devenir référent",
        },
        a,
        typed,
        departments,
        errors,
    };
    render_form(&page, invalid)
}

async fn step_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, step)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, step) = find(&step)?;
    let a = draft(&state, &token).await?;
    show(
        &state,
        &ctx,
        token,
        step,
        a,
        Errors::default(),
        Pairs::default(),
    )
    .await
}

fn answers_of(a: &Application) -> DraftAnswers {
    DraftAnswers {
        name: a.name.clone(),
        department: a.department_code.clone(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        actions: a.actions.clone(),
        needs: a.needs.clone(),
    }
}

/// This page's answer checked and merged into the draft's answers.
fn merge(
    step: &str,
    p: &Pairs,
    known: &[String],
    mut d: DraftAnswers,
) -> Result<DraftAnswers, Errors> {
    let mut errors = Errors::default();
    match step {
        "nom" => {
            if let Some(name) = errors.check("name", candidate::name(&p.get("name"))) {
                d.name = name;
            }
        }
        "departement" => {
            if let Some(dept) = errors.check(
                "department",
                candidate::department(&p.get("department"), known),
            ) {
                d.department = dept.map(|c| c.as_str().to_owned());
            }
        }
        "contact" => match candidate::contact(&p.get("email"), &p.get("phone")) {
            Ok((email, phone)) => {
                d.email = email.map(|e| e.as_str().to_owned());
                d.phone = phone;
            }
            Err(list) => errors = Errors::from_problems(list),
        },
        "actions" => {
            if let Some(kinds) = errors.check("actions", candidate::actions(&p.all("actions"))) {
                d.actions = kinds.iter().map(|k| k.code().to_owned()).collect();
            }
        }
        _ => {
            if let Some(needs) = errors.check("needs", candidate::needs(&p.get("needs"))) {
                d.needs = needs.unwrap_or_default();
            }
        }
    }
    if errors.is_empty() {
        Ok(d)
    } else {
        Err(errors)
    }
}

async fn step_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((token, step)): Path<(String, String)>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (n, step) = find(&step)?;
    let a = draft(&state, &token).await?;
    if step == "verifier" {
        return send(&state, &ctx, token, a, &p).await;
    }
    let mut conn = state.db.conn().await?;
    let (_, known) = departments(&mut conn).await?;
    drop(conn);
    let d = match merge(step, &p, &known, answers_of(&a)) {
        Ok(d) => d,
        Err(errors) => return show(&state, &ctx, token, step, a, errors, p).await,
    };
    let mut tx = state.db.write().await?;
    candidates::save_draft(&mut tx, a.id, &d, now()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/candidature/{token}/{}", STEPS[n + 1])).into_response())
}

#[derive(Template)]
#[template(path = "candidates/apply_sent.html")]
struct Sent {
    l: Layout,
    email: Option<String>,
}

/// The summary's « Envoyer »: everything checked again, the consent given;
/// then the confirmation e-mail, or (phone only) the coordination told.
async fn send(
    state: &AppState,
    ctx: &Ctx,
    token: String,
    a: Application,
    p: &Pairs,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let (_, known) = departments(&mut conn).await?;
    drop(conn);
    let answers = Answers {
        name: a.name.clone(),
        department: a.department_code.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        actions: a.actions.clone(),
        needs: a.needs.clone(),
        consent: p.get("consent") == "oui",
    };
    let checked = match answers.check(&known) {
        Ok(c) => c,
        Err(list) => {
            let errors = Errors::from_problems(list);
            return show(state, ctx, token, "verifier", a, errors, p.clone()).await;
        }
    };
    // Each sending e-mails or alerts someone: limited as sign-in is.
    let address = checked
        .email
        .as_ref()
        .map(|e| e.as_str().to_owned())
        .or(checked.phone.clone())
        .unwrap_or_default();
    if let Some(errors) = auth::limit_errors(state, ctx, "candidate", &address, "consent").await? {
        let page = show(state, ctx, token, "verifier", a, errors, p.clone()).await?;
        return Ok(slowed(page));
    }
    let base = &state.config.base_url;
    let confirm = random_token();
    let mut tx = state.db.write().await?;
    let hash = checked.email.as_ref().map(|_| hash_token(&confirm));
    if candidates::send(&mut tx, a.id, hash.as_deref(), now()).await? {
        match &checked.email {
            Some(email) => {
                outbox::enqueue(
                    &mut tx,
                    &mails::confirm_address(email.as_str(), base, &confirm, &a),
                )
                .await?;
            }
            None => tell_coordination(&mut tx, base, &a).await?,
        }
        audit::record(
            &mut tx,
            ctx.audit(
                "candidate_sent",
                Some(format!("candidate:{}", a.public_id)),
                "Candidature envoyée".into(),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    let title = if checked.email.is_some() {
        "Regardez vos e-mails"
    } else {
        "Votre candidature est envoyée"
    };
    render(&Sent {
        l: ctx.layout(title),
        email: checked.email.map(|e| e.as_str().to_owned()),
    })
}
