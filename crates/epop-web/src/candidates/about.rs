//! `/devenir-intervenant-pair` and `/devenir-referent`: what it is, the
//! training, who it is for, how it goes, in ordinary or easy-read words;
//! the next information meetings and training sessions of the département
//! chosen (`?departement=`, a plain form); and « Je pose ma candidature »,
//! which starts a draft.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::candidate::path_of;
use epop_domain::training::Audience;
use epop_store::events::{self, Filter};
use epop_store::territories::Department;
use epop_store::{candidates, now, rate_limit, trainings};

use super::departments;
use crate::context::Layout;
use crate::forms::Pairs;
use crate::french::french_when;
use crate::render::render;
use crate::security::{hash_token, public_id, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/devenir-intervenant-pair",
            get(|s: State<AppState>, c: Ctx| page(s, c, Audience::Peer)),
        )
        .route(
            "/devenir-referent",
            get(|s: State<AppState>, c: Ctx| page(s, c, Audience::Referent)),
        )
        .route(
            "/devenir-intervenant-pair/candidature",
            axum::routing::post(|s: State<AppState>, c: Ctx, f: axum::Form<Pairs>| {
                start(s, c, f, Audience::Peer)
            }),
        )
        .route(
            "/devenir-referent/candidature",
            axum::routing::post(|s: State<AppState>, c: Ctx, f: axum::Form<Pairs>| {
                start(s, c, f, Audience::Referent)
            }),
        )
}

/// A meeting or a session as the page lists it.
pub struct Upcoming {
    pub title: String,
    pub when: String,
    pub place: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "candidates/about.html")]
struct Page {
    l: Layout,
    /// The easy-read text (`crate::pages::easy`), when easy-read is asked.
    easy: Option<crate::pages::easy::EasyBlock>,
    peer: bool,
    path: &'static str,
    departments: Vec<Department>,
    chosen: String,
    chosen_name: Option<String>,
    meetings: Vec<Upcoming>,
    sessions: Vec<Upcoming>,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    audience: Audience,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let (departments, _) = departments(&mut conn).await?;
    let chosen = ctx.query_param("departement").unwrap_or_default();
    let chosen_name = departments
        .iter()
        .find(|d| d.code == chosen)
        .map(|d| d.name.clone());
    // An unknown code chooses nothing: every département's dates show.
    let dept = chosen_name.as_ref().map(|_| chosen.as_str());
    let t = now();
    let meetings = events::list(
        &mut conn,
        &Filter {
            ending_after: t,
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .filter(|e| e.information_meeting && e.cancel_reason.is_none())
    .filter(|e| dept.is_none() || e.online || e.department_code.as_deref() == dept)
    .map(|e| Upcoming {
        when: french_when(e.starts_at, e.ends_at),
        place: if e.online {
            "en ligne".into()
        } else {
            e.department_name.clone().unwrap_or_default()
        },
        href: format!("/evenements/{}", e.slug),
        title: e.title,
    })
    .collect();
    let sessions = trainings::sessions(&mut conn)
        .await?
        .into_iter()
        .filter(|s| s.programme.audience == audience && s.starts_at() > t)
        .filter(|s| dept.is_none_or(|d| s.department_code == d))
        .map(|s| Upcoming {
            when: french_when(s.starts_at(), s.ends_at()),
            place: format!("{} ({})", s.place, s.department_name),
            href: format!("/formations/{}", s.slug),
            title: format!("{} – {}", s.programme.title, s.title),
        })
        .collect();
    let peer = audience == Audience::Peer;
    let title = match (peer, ctx.easy) {
        (true, false) => "Devenir intervenant-pair",
        (true, true) => "Devenir intervenant-pair : aider avec son expérience",
        (false, false) => "Devenir référent en intervention par les pairs",
        (false, true) => "Devenir référent : accueillir un intervenant-pair",
    };
    drop(conn);
    let slug = if peer {
        "devenir-intervenant-pair"
    } else {
        "devenir-referent"
    };
    render(&Page {
        easy: crate::pages::easy::shown(&state, &ctx, slug).await?,
        l: ctx.layout(title),
        peer,
        path: path_of(audience),
        departments,
        chosen,
        chosen_name,
        meetings,
        sessions,
    })
}

const DRAFT_WINDOW: i64 = 3600;
const DRAFTS_PER_WINDOW: i64 = 30;

/// « Je pose ma candidature »: a new draft, found by the random token of
/// its URL (only its hash is kept); the département chosen on the page is
/// its first answer.
async fn start(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
    audience: Audience,
) -> Result<Response, AppError> {
    // Each click keeps a row: a client address may start only so many.
    let mut conn = state.db.conn().await?;
    let ip = ctx.ip.clone().unwrap_or_else(|| "inconnue".into());
    let started =
        rate_limit::hit(&mut conn, &format!("candidate-draft:ip:{ip}"), DRAFT_WINDOW).await?;
    drop(conn);
    if started > DRAFTS_PER_WINDOW {
        return Err(AppError::TooManyAttempts);
    }
    let token = random_token();
    let mut tx = state.db.write().await?;
    let id = public_id();
    candidates::create_draft(&mut tx, &id, audience, &hash_token(&token), now()).await?;
    let (_, known) = departments(&mut tx).await?;
    let dept = p.get("departement");
    if known.contains(&dept)
        && let Some(d) = candidates::draft(&mut tx, &hash_token(&token)).await?
    {
        let answers = candidates::DraftAnswers {
            department: Some(dept),
            ..Default::default()
        };
        candidates::save_draft(&mut tx, d.id, &answers, now()).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/candidature/{token}/nom")).into_response())
}
