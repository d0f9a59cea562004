//! The author's side of a review (`/admin/relectures`): a text's review
//! page (its mark, its rounds, « Demander une relecture »), the rounds this
//! person may see, and a round's answers sentence by sentence with « Marquer
//! le texte comme relu ». Only who may edit a text sees or acts on its
//! reviews; every write is audited.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::Principal;
use epop_domain::easy_review::{Subject, Tally, first_name, sentences, still_reviewed, tally};
use epop_store::easy_reviews::{self, NewReview, Review};
use epop_store::now;

use super::subject::editable;
use crate::context::Layout;
use crate::render::{audited, render};
use crate::review_mark::EasyText;
use crate::security::public_id;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/relectures", get(list))
        .route(
            "/admin/relectures/texte/{subject}/{slug}",
            get(text_page).post(ask),
        )
        .route("/admin/relectures/{id}", get(round_page))
        .route("/admin/relectures/{id}/relu", post(mark))
}

/// A round as lists show it.
struct Line {
    public_id: String,
    title: String,
    what: &'static str,
    asked: String,
    state: String,
}

async fn line(conn: &mut epop_store::Conn, r: &Review) -> Result<Line, AppError> {
    let finished = easy_reviews::finished(conn, r.id).await?.len();
    let requests = easy_reviews::requests(conn, r.id).await?.len();
    Ok(Line {
        public_id: r.public_id.clone(),
        title: r.title.clone(),
        what: Subject::from_code(&r.subject_kind)
            .map(Subject::label)
            .unwrap_or_default(),
        asked: crate::french::french_day(r.created_at),
        state: state_words(r, requests, finished),
    })
}

/// Where a round is, in words.
fn state_words(r: &Review, requests: usize, finished: usize) -> String {
    if let Some(at) = r.reviewed_at {
        format!("Texte marqué relu le {}", crate::french::french_day(at))
    } else if requests == 0 {
        "Demande d’intervention pas encore envoyée".into()
    } else if finished == 0 {
        "En attente des relecteurs".into()
    } else {
        format!(
            "{finished} {} : à vous de relire leurs réponses",
            if finished == 1 {
                "relecture finie"
            } else {
                "relectures finies"
            }
        )
    }
}

#[derive(Template)]
#[template(path = "easy_review/list.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
}

/// The rounds of the texts this person may edit, the newest first.
async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    // Those who write the network's texts: admins and coordinators.
    ctx.require(Principal::may_write_news)?;
    let mut conn = state.db.conn().await?;
    let rounds = easy_reviews::all(&mut conn).await?;
    let mut lines = Vec::new();
    for r in &rounds {
        if text_of(&state, &ctx, r).await.is_ok() {
            lines.push(line(&mut conn, r).await?);
        }
    }
    render(&ListPage {
        l: ctx.layout("Relectures des textes faciles à lire"),
        lines,
    })
}

/// The text of an address (`/texte/{subject}/{slug}`), if this person may
/// edit it.
async fn addressed(
    state: &AppState,
    ctx: &Ctx,
    subject: &str,
    slug: &str,
) -> Result<(Subject, EasyText), AppError> {
    let subject = Subject::from_code(subject).ok_or(AppError::NotFound)?;
    Ok((subject, editable(state, ctx, subject, slug).await?))
}

/// The round's text as it is now, if this person may edit it.
async fn text_of(state: &AppState, ctx: &Ctx, r: &Review) -> Result<EasyText, AppError> {
    Ok(addressed(state, ctx, &r.subject_kind, &r.subject_slug)
        .await?
        .1)
}

#[derive(Template)]
#[template(path = "easy_review/text.html")]
struct TextPage {
    l: Layout,
    text: EasyText,
    what: &'static str,
    footer: String,
    lines: Vec<Line>,
    action: String,
}

async fn text_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((subject, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (subject, text) = addressed(&state, &ctx, &subject, &slug).await?;
    let mut conn = state.db.conn().await?;
    let footer = crate::review_mark::footer(&mut conn, subject, &slug, &text.text).await?;
    let mut lines = Vec::new();
    for r in easy_reviews::for_subject(&mut conn, subject.code(), &slug).await? {
        lines.push(line(&mut conn, &r).await?);
    }
    render(&TextPage {
        l: ctx.layout(format!("Relecture : {}", text.title)),
        what: subject.label(),
        footer,
        lines,
        action: format!("/admin/relectures/texte/{}/{slug}", subject.code()),
        text,
    })
}

/// « Demander une relecture »: a round on the text as it is now, then the
/// request form, filled in, to send the « Donner son avis » request.
async fn ask(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((subject, slug)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (subject, text) = addressed(&state, &ctx, &subject, &slug).await?;
    let back = format!("/admin/relectures/texte/{}/{slug}", subject.code());
    if text.text.trim().is_empty() {
        return Ok(Redirect::to(&format!("{back}?message=relecture-sans-texte")).into_response());
    }
    let user = ctx.user()?;
    let id = public_id();
    let mut tx = state.db.write().await?;
    easy_reviews::create(
        &mut tx,
        &NewReview {
            public_id: &id,
            subject_kind: subject.code(),
            subject_slug: &slug,
            title: &text.title,
            text: &text.text,
            requested_by: user.account.id,
        },
        now(),
    )
    .await?;
    audited(
        tx,
        ctx.audit(
            "easy_review_asked",
            Some(format!("{}:{slug}", subject.code())),
            format!("Relecture demandée : {}", text.title),
        ),
        &format!("/demander-une-intervention?relecture={id}"),
    )
    .await
}

#[derive(Template)]
#[template(path = "easy_review/round.html")]
struct RoundPage {
    l: Layout,
    round: Review,
    asked: String,
    text: EasyText,
    /// The text was changed since the reviewers read it.
    revised: bool,
    /// The text as it is now carries this round's mark.
    marked: bool,
    tallies: Vec<Tally>,
    reviewers: usize,
    requests: Vec<(String, String)>,
    footer: String,
}

/// The round of the address, if this person may edit its text.
async fn round_of(state: &AppState, ctx: &Ctx, id: &str) -> Result<(Review, EasyText), AppError> {
    let mut conn = state.db.conn().await?;
    let round = easy_reviews::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let text = text_of(state, ctx, &round).await?;
    Ok((round, text))
}

async fn round_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (round, text) = round_of(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let answers = easy_reviews::answers(&mut conn, round.id, None).await?;
    let reviewers = easy_reviews::finished(&mut conn, round.id).await?.len();
    let requests = easy_reviews::requests(&mut conn, round.id).await?;
    let subject = Subject::from_code(&round.subject_kind).ok_or(AppError::NotFound)?;
    let footer =
        crate::review_mark::footer(&mut conn, subject, &round.subject_slug, &text.text).await?;
    let marked = round
        .reviewed_text
        .as_deref()
        .is_some_and(|t| still_reviewed(&text.text, t));
    render(&RoundPage {
        l: ctx.layout(format!("Relecture : {}", round.title)),
        revised: text.text.trim() != round.text.trim(),
        marked,
        tallies: tally(&sentences(&round.text), &answers),
        reviewers,
        requests,
        footer,
        asked: crate::french::french_day(round.created_at),
        round,
        text,
    })
}

/// « Marquer le texte comme relu »: the text as it is now (revised after
/// the answers) takes the mark, with the first names of the reviewers who
/// agreed. Refused until a reviewer has finished.
async fn mark(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (round, text) = round_of(&state, &ctx, &id).await?;
    let mut tx = state.db.write().await?;
    let finished = easy_reviews::finished(&mut tx, round.id).await?;
    let back = format!("/admin/relectures/{id}");
    if finished.is_empty() || text.text.trim().is_empty() {
        drop(tx);
        return Ok(Redirect::to(&format!("{back}?message=relecture-pas-finie")).into_response());
    }
    let names: Vec<String> = finished
        .iter()
        .filter(|(_, agreed)| *agreed)
        .map(|(name, _)| first_name(name))
        .collect();
    easy_reviews::mark_reviewed(&mut tx, round.id, &text.text, &names, now()).await?;
    audited(
        tx,
        ctx.audit(
            "easy_review_marked",
            Some(format!("{}:{}", round.subject_kind, round.subject_slug)),
            format!(
                "Texte marqué relu par des personnes concernées : {} ({} relecteurs)",
                round.title,
                finished.len()
            ),
        ),
        &format!("{back}?message=relu"),
    )
    .await
}
