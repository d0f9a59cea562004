//! After the intervention: each side's feedback is the current intervention
//! questionnaire (version 1: how it went, how useful, again?, a comment),
//! recorded as an anonymous response like the answers given by link — when
//! both have answered, the request is « évaluée » — and the peer worker's
//! attestation of intervention as tagged PDF.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::lifecycle::State as Stage;
use epop_domain::questionnaire::Purpose;
use epop_store::questionnaires::responses::{self, Subject};
use epop_store::questionnaires::{self, Stored};
use epop_store::requests::{self, Request};
use epop_store::{audit, now};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::questionnaires::{QuestionView, answer_errors, evaluate_when_both_answered, views};
use crate::render::{download, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/espace/propositions/{id}/avis",
            get(peer_form).post(peer_save),
        )
        .route("/espace/demandes/{id}/avis", get(host_form).post(host_save))
        .route(
            "/espace/propositions/{id}/attestation.pdf",
            get(attestation),
        )
}

fn done(r: &Request) -> bool {
    matches!(
        Stage::from_code(&r.status),
        Some(Stage::Done | Stage::Evaluated | Stage::Closed)
    )
}

/// The request of the peer's accepted proposal, once done.
async fn peer_request(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<(Request, String), AppError> {
    let (r, p) = super::proposals::accepted(state, ctx, id).await?;
    if done(&r) {
        Ok((r, p.peer_name))
    } else {
        Err(AppError::NotFound)
    }
}

/// The request of the host's organisation ([`Request::seen_by`]), once done.
async fn host_request(state: &AppState, ctx: &Ctx, id: &str) -> Result<Request, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    requests::by_public_id(&mut conn, id)
        .await?
        .filter(|r| r.seen_by(user.account.id, user.account.organisation_id))
        .filter(done)
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "requests/feedback.html")]
struct FormPage {
    l: Layout,
    subject: String,
    action: String,
    errors: Errors,
    views: Vec<QuestionView>,
    numbered: bool,
    n: usize,
}

/// The current intervention questionnaire (migration 0031 made version 1).
async fn questionnaire(state: &AppState) -> Result<Stored, AppError> {
    let mut conn = state.db.conn().await?;
    questionnaires::current(&mut conn, Purpose::Intervention)
        .await?
        .ok_or(AppError::NotFound)
}

fn form(
    ctx: &Ctx,
    r: &Request,
    q: &Stored,
    action: String,
    errors: Errors,
    p: Pairs,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let views = views(&q.questionnaire, ctx.easy, &p, &errors);
    let page = FormPage {
        l: ctx.layout_with_errors("Votre avis sur l’intervention", invalid),
        subject: r.subject.clone().unwrap_or_default(),
        action,
        n: views.len(),
        errors,
        views,
        numbered: true,
    };
    render_form(&page, invalid)
}

async fn peer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, _) = peer_request(&state, &ctx, &id).await?;
    let q = questionnaire(&state).await?;
    form(
        &ctx,
        &r,
        &q,
        format!("/espace/propositions/{id}/avis"),
        Errors::default(),
        Pairs::default(),
    )
}

async fn host_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = host_request(&state, &ctx, &id).await?;
    let q = questionnaire(&state).await?;
    form(
        &ctx,
        &r,
        &q,
        format!("/espace/demandes/{id}/avis"),
        Errors::default(),
        Pairs::default(),
    )
}

/// Checks the answers and records one side's response (once: a second
/// answer of the same side changes nothing).
async fn save(
    state: &AppState,
    ctx: &Ctx,
    r: &Request,
    side: &str,
    p: Pairs,
    action: String,
    back: &str,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let q = questionnaire(state).await?;
    let answers = match q.questionnaire.check_answers(|code| p.all(code)) {
        Ok(a) => a,
        Err(problems) => {
            let errors = answer_errors(&q.questionnaire, ctx.easy, problems);
            return form(ctx, r, &q, action, errors, p);
        }
    };
    let subject = Subject {
        kind: "intervention".into(),
        id: r.id,
        respondent: side.to_owned(),
        department_code: r.department_code.clone(),
        intervention_kind: r.kind.clone(),
    };
    let t = now();
    let mut tx = state.db.write().await?;
    if !responses::responded(&mut tx, "intervention", r.id, side).await? {
        responses::record(&mut tx, q.id, &subject, &answers, t).await?;
        responses::mark_answered(&mut tx, &subject, user.account.id, &user.account.email, t)
            .await?;
        evaluate_when_both_answered(&mut tx, r.id, t).await?;
        audit::record(
            &mut tx,
            ctx.audit(
                "request_feedback",
                Some(format!("request:{}", r.public_id)),
                format!("Avis ({side})"),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{back}?message=avis")).into_response())
}

async fn peer_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (r, _) = peer_request(&state, &ctx, &id).await?;
    let action = format!("/espace/propositions/{id}/avis");
    save(&state, &ctx, &r, "peer", p, action, "/espace/propositions").await
}

async fn host_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = host_request(&state, &ctx, &id).await?;
    let action = format!("/espace/demandes/{id}/avis");
    save(&state, &ctx, &r, "host", p, action, "/espace/demandes").await
}

/// The attestation of intervention, for the peer worker's records.
async fn attestation(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, peer) = peer_request(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let when = requests::schedule(&mut conn, r.id)
        .await?
        .map(|(a, b)| crate::french::french_when(a, b))
        .unwrap_or_default();
    drop(conn);
    let f = r.typed_form();
    // The organisation the request belongs to (a signed-in requester's own).
    let organisation = r
        .organisation_name
        .clone()
        .unwrap_or_else(|| f.org_name.clone());
    use epop_docs::pdf::{Block, Document};
    let title = format!("Attestation d’intervention – {peer}");
    let doc = Document {
        title: title.clone(),
        subject: "Attestation d’intervention d’un intervenant-pair".into(),
        author: "Réseau EPoP".into(),
        blocks: vec![
            Block::Heading { level: 1, text: "Attestation d’intervention".into() },
            Block::Paragraph(format!(
                "Le réseau EPoP atteste que {peer} a fait une intervention par les pairs pour {}.",
                organisation
            )),
            Block::Facts(vec![
                ("Intervenant-pair ou intervenante-paire".into(), peer.clone()),
                ("Organisation".into(), organisation.clone()),
                ("Intervention".into(), f.subject.clone()),
                ("Public".into(), format!("{} ({} personnes)", f.audience, f.audience_size)),
                ("Date".into(), when),
                ("Durée".into(), f.duration.clone()),
                ("Référence".into(), r.public_id.clone()),
            ]),
            Block::Paragraph("Cette attestation peut servir à vos démarches (par exemple vos déclarations de revenus ou auprès de la CAF).".into()),
            Block::SignatureBoxes(vec!["Pour la coordination du réseau EPoP".into()]),
        ],
    };
    let bytes = crate::render::pdf(move || epop_docs::pdf::render(&doc)).await?;
    Ok(download(
        "application/pdf",
        &format!("attestation-{id}.pdf"),
        bytes,
    ))
}
