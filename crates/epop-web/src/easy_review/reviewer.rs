//! The reviewer's side (`/espace/relectures`), in easy-read French and
//! without JavaScript: the texts to review (the rounds of the « Donner son
//! avis » requests whose proposal they accepted), the whole text first,
//! then one sentence per page (« Je comprends » / « Je ne comprends pas »,
//! a hard word), each answer kept at once, and at the end whether their
//! first name may be shown with the text. Anyone else gets « not found ».

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::easy_review::{Answer, sentences};
use epop_store::easy_reviews::{self, Review};
use epop_store::now;

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/relectures", get(list))
        .route("/espace/relectures/{id}", get(overview))
        .route("/espace/relectures/{id}/phrase/{n}", get(step).post(answer))
        .route("/espace/relectures/{id}/fin", get(end).post(finish))
}

#[derive(Template)]
#[template(path = "easy_review/mine.html")]
struct MinePage {
    l: Layout,
    rounds: Vec<(Review, bool)>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let rounds = easy_reviews::for_reviewer(&mut conn, user.account.id).await?;
    render(&MinePage {
        l: ctx.layout("Les textes à relire"),
        rounds,
    })
}

/// The round of the address, if the signed-in person reviews it.
async fn reviewed_by_me(state: &AppState, ctx: &Ctx, id: &str) -> Result<(i64, Review), AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let round = easy_reviews::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !easy_reviews::is_reviewer(&mut conn, round.id, user.account.id).await? {
        return Err(AppError::NotFound);
    }
    Ok((user.account.id, round))
}

#[derive(Template)]
#[template(path = "easy_review/overview.html")]
struct OverviewPage {
    l: Layout,
    round: Review,
    sentences: Vec<String>,
}

async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, round) = reviewed_by_me(&state, &ctx, &id).await?;
    render(&OverviewPage {
        l: ctx.layout(format!("Relire le texte : {}", round.title)),
        sentences: sentences(&round.text),
        round,
    })
}

#[derive(Template)]
#[template(path = "easy_review/step.html")]
struct StepPage {
    l: Layout,
    round: Review,
    n: usize,
    count: usize,
    sentence: String,
    /// `oui`, `non` or nothing yet.
    understood: String,
    words: String,
    errors: Errors,
}

/// Sentence `n` (1-based) of the round, or « not found ».
fn sentence(round: &Review, n: usize) -> Result<(String, usize), AppError> {
    let all = sentences(&round.text);
    let count = all.len();
    let s = n
        .checked_sub(1)
        .and_then(|i| all.into_iter().nth(i))
        .ok_or(AppError::NotFound)?;
    Ok((s, count))
}

async fn step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, usize)>,
) -> Result<Response, AppError> {
    let (account, round) = reviewed_by_me(&state, &ctx, &id).await?;
    let (text, count) = sentence(&round, n)?;
    let mut conn = state.db.conn().await?;
    let mine = easy_reviews::answers(&mut conn, round.id, Some(account)).await?;
    let before = mine.into_iter().find(|a| a.sentence == n);
    step_page(
        &ctx,
        round,
        (n, count, text),
        before
            .as_ref()
            .map(|a| if a.understood { "oui" } else { "non" }.to_owned()),
        before.map(|a| a.words).unwrap_or_default(),
        Errors::default(),
    )
}

fn step_page(
    ctx: &Ctx,
    round: Review,
    (n, count, sentence): (usize, usize, String),
    understood: Option<String>,
    words: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = StepPage {
        l: ctx.layout_with_errors(format!("Phrase {n} sur {count}"), invalid),
        round,
        n,
        count,
        sentence,
        understood: understood.unwrap_or_default(),
        words,
        errors,
    };
    render_form(&page, invalid)
}

/// Keeps the answer about sentence `n`, then the next sentence (or the end).
async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, n)): Path<(String, usize)>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (account, round) = reviewed_by_me(&state, &ctx, &id).await?;
    let (text, count) = sentence(&round, n)?;
    let words: String = p.get("mots").trim().chars().take(200).collect();
    let understood = match p.get("comprends").as_str() {
        "oui" => true,
        "non" => false,
        _ => {
            let mut errors = Errors::default();
            errors.add(
                "comprends-oui",
                "Choisissez « Je comprends cette phrase » ou « Je ne comprends pas cette phrase ».",
            );
            return step_page(&ctx, round, (n, count, text), None, words, errors);
        }
    };
    let mut tx = state.db.write().await?;
    easy_reviews::save_answer(
        &mut tx,
        round.id,
        account,
        &Answer {
            sentence: n,
            understood,
            words,
        },
        now(),
    )
    .await?;
    tx.commit().await?;
    let next = if n < count {
        format!("/espace/relectures/{id}/phrase/{}", n + 1)
    } else {
        format!("/espace/relectures/{id}/fin")
    };
    Ok(Redirect::to(&next).into_response())
}

#[derive(Template)]
#[template(path = "easy_review/end.html")]
struct EndPage {
    l: Layout,
    round: Review,
    /// Sentences without an answer yet (1-based).
    missing: Vec<usize>,
    /// Finished already: whether they agreed to be named (the form shows
    /// their choice, which they may change).
    finished: Option<bool>,
}

/// The sentences this reviewer has not answered yet.
async fn missing(state: &AppState, round: &Review, account: i64) -> Result<Vec<usize>, AppError> {
    let mut conn = state.db.conn().await?;
    let mine = easy_reviews::answers(&mut conn, round.id, Some(account)).await?;
    Ok((1..=sentences(&round.text).len())
        .filter(|n| !mine.iter().any(|a| a.sentence == *n))
        .collect())
}

async fn end(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (account, round) = reviewed_by_me(&state, &ctx, &id).await?;
    let missing = missing(&state, &round, account).await?;
    let mut conn = state.db.conn().await?;
    let finished = easy_reviews::finished_by(&mut conn, round.id, account).await?;
    render(&EndPage {
        l: ctx.layout("Vous avez fini de relire"),
        round,
        missing,
        finished,
    })
}

/// « J'ai fini »: once every sentence is answered; with the reviewer's
/// choice about their first name.
async fn finish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (account, round) = reviewed_by_me(&state, &ctx, &id).await?;
    if let Some(first) = missing(&state, &round, account).await?.first() {
        return Ok(
            Redirect::to(&format!("/espace/relectures/{id}/phrase/{first}")).into_response(),
        );
    }
    let show_name = p.get("prenom") == "oui";
    let mut tx = state.db.write().await?;
    easy_reviews::finish(&mut tx, round.id, account, show_name, now()).await?;
    audited(
        tx,
        ctx.audit(
            "easy_review_read",
            Some(format!("{}:{}", round.subject_kind, round.subject_slug)),
            format!(
                "Relecture finie : {}{}",
                round.title,
                if show_name { " (prénom affiché)" } else { "" }
            ),
        ),
        "/espace/relectures?message=relecture-finie",
    )
    .await
}
