//! After the intervention: a short feedback from each side (three
//! questions in easy-read French, a five-step scale of words), kept for the
//! evaluation — when both have answered, the request is « évaluée » — and
//! the peer worker's attestation of intervention as tagged PDF.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::lifecycle::{Action, State as Stage};
use epop_store::requests::{self, Feedback, Request};
use epop_store::{audit, now, proposals};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
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

/// The five steps of the scale, best first: the questionnaires' own.
pub use epop_domain::questionnaire::SCALE;

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
    p: Pairs,
    scale: [(i64, &'static str); 5],
    peer: bool,
}

fn form(
    ctx: &Ctx,
    r: &Request,
    action: String,
    peer: bool,
    errors: Errors,
    p: Pairs,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = FormPage {
        l: ctx.layout_with_errors("Votre avis sur l’intervention", invalid),
        subject: r.subject.clone().unwrap_or_default(),
        action,
        errors,
        p,
        scale: SCALE,
        peer,
    };
    render_form(&page, invalid)
}

async fn peer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (r, _) = peer_request(&state, &ctx, &id).await?;
    form(
        &ctx,
        &r,
        format!("/espace/propositions/{id}/avis"),
        true,
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
    form(
        &ctx,
        &r,
        format!("/espace/demandes/{id}/avis"),
        false,
        Errors::default(),
        Pairs::default(),
    )
}

/// Checks the answers; the same three questions for both sides.
fn check(p: &Pairs, side: &str) -> Result<Feedback, Errors> {
    let mut errors = Errors::default();
    let scale = |field: &str, what: &str, errors: &mut Errors| {
        let v = p
            .get(field)
            .parse::<i64>()
            .ok()
            .filter(|v| (1..=5).contains(v));
        if v.is_none() {
            errors.add(field, format!("Choisissez une réponse pour : {what}."));
        }
        v.unwrap_or(0)
    };
    let feeling = scale("feeling", "comment ça s’est passé", &mut errors);
    let useful = scale("useful", "à quoi ça a servi", &mut errors);
    let again = p.get("again");
    if !matches!(again.as_str(), "oui" | "non" | "peut-etre") {
        errors.add("again", "Choisissez une réponse pour : le refaire.");
    }
    let comment = p.get("comment").trim().to_owned();
    if comment.chars().count() > 2000 {
        errors.add(
            "comment",
            "Raccourcissez votre message : 2 000 caractères au plus.",
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Feedback {
        side: side.to_owned(),
        feeling,
        useful,
        again,
        comment: Some(comment).filter(|c| !c.is_empty()),
    })
}

async fn save(
    state: &AppState,
    ctx: &Ctx,
    r: &Request,
    f: Feedback,
    back: &str,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let t = now();
    let mut tx = state.db.write().await?;
    if requests::add_feedback(&mut tx, r.id, user.account.id, &f, t).await? {
        let sides = requests::feedback(&mut tx, r.id).await?.len();
        if sides == 2 && r.status == Stage::Done.code() {
            proposals::transition(&mut tx, r, &Action::Evaluate, proposals::Who::SYSTEM, t).await?;
        }
        audit::record(
            &mut tx,
            ctx.audit(
                "request_feedback",
                Some(format!("request:{}", r.public_id)),
                format!("Avis ({})", f.side),
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
    match check(&p, "peer") {
        Ok(f) => save(&state, &ctx, &r, f, "/espace/propositions").await,
        Err(errors) => form(
            &ctx,
            &r,
            format!("/espace/propositions/{id}/avis"),
            true,
            errors,
            p,
        ),
    }
}

async fn host_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = host_request(&state, &ctx, &id).await?;
    match check(&p, "host") {
        Ok(f) => save(&state, &ctx, &r, f, "/espace/demandes").await,
        Err(errors) => form(
            &ctx,
            &r,
            format!("/espace/demandes/{id}/avis"),
            false,
            errors,
            p,
        ),
    }
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
