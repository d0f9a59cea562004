//! Public pages: home, accessibility statement, privacy (each ordinary and
//! easy-read: [`easy`] owns the easy-read texts, [`manage`] their editor),
//! legal notice, display settings; and `/healthz`. How every page is
//! rendered lives in `crate::render`.

pub(crate) mod easy;
mod manage;

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::context::{DISPLAY_COOKIE, Display, Layout};
use crate::render::render;
use crate::security::set_cookie;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/accessibilite", get(accessibility))
        .route("/mentions-legales", get(legal))
        .route("/donnees-personnelles", get(privacy))
        .route(
            "/parametres-affichage",
            get(display_form).post(display_save),
        )
        .route("/healthz", get(healthz))
        .merge(manage::router())
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    l: Layout,
    /// The easy-read text and its review, when easy-read is asked.
    easy: Option<easy::EasyBlock>,
    /// Counted in the public directory: « 17 intervenants-pairs ».
    peers: String,
    referents: String,
    /// The six kinds of intervention in the texts' words, with their example.
    kinds: Vec<(&'static str, Option<&'static str>)>,
    /// The latest news published, national and of every territory.
    news_items: Vec<epop_store::news::News>,
}

/// How many profiles of this kind anyone (not signed in) finds in the
/// directory, as the directory's own page counts them.
async fn public_count(
    state: &AppState,
    kind: epop_domain::directory::ProfileKind,
    one: &str,
    many: &str,
) -> Result<String, AppError> {
    use epop_store::directory;
    let q = epop_domain::directory::SearchQuery {
        profile_kind: Some(kind),
        ..Default::default()
    };
    let found = directory::search_cached(&state.db, &q, &directory::Viewer::default()).await?;
    Ok(if directory::total_is_lower_bound(found.1) {
        crate::french::plural("plus de 1\u{a0}000", one, many)
    } else {
        crate::french::plural(found.1, one, many)
    })
}

async fn home(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    use epop_domain::directory::{InterventionKind, ProfileKind};
    let easy = easy::shown(&state, &ctx, "accueil").await?;
    let title = if ctx.easy {
        "Accueil – version facile à lire"
    } else {
        "Accueil"
    };
    let mut conn = state.db.conn().await?;
    let news_items = epop_store::news::list(
        &mut conn,
        &epop_store::news::Filter {
            published_by: Some(epop_store::now()),
            limit: Some(3),
            ..Default::default()
        },
    )
    .await?;
    drop(conn);
    render(&Home {
        news_items,
        l: ctx.layout(title),
        easy,
        peers: public_count(
            &state,
            ProfileKind::Peer,
            "intervenant-pair",
            "intervenants-pairs",
        )
        .await?,
        referents: public_count(&state, ProfileKind::Referent, "référent", "référents").await?,
        kinds: InterventionKind::ALL
            .iter()
            .map(|k| (k.label(), k.example()))
            .collect(),
    })
}

#[derive(Template)]
#[template(path = "pages/accessibilite.html")]
struct Accessibility {
    l: Layout,
    easy: Option<easy::EasyBlock>,
}

async fn accessibility(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    render(&Accessibility {
        easy: easy::shown(&state, &ctx, "accessibilite").await?,
        l: ctx.layout("Déclaration d’accessibilité"),
    })
}

#[derive(Template)]
#[template(path = "pages/mentions-legales.html")]
struct Legal {
    l: Layout,
}

async fn legal(ctx: Ctx) -> Result<Response, AppError> {
    render(&Legal {
        l: ctx.layout("Mentions légales"),
    })
}

/// One processing of the register, with how long each of its data is kept.
struct ProcessingView {
    p: &'static epop_store::privacy::Processing,
    kept: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "pages/donnees-personnelles.html")]
struct Privacy {
    l: Layout,
    easy: Option<easy::EasyBlock>,
    processings: Vec<ProcessingView>,
}

/// The privacy page: the register of processings (GDPR art. 30) rendered
/// from `epop_store::privacy`, the data that drives the purges and erasure.
async fn privacy(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    use epop_store::privacy::{PROCESSINGS, REGISTER};
    let processings = PROCESSINGS
        .iter()
        .map(|p| ProcessingView {
            p,
            kept: REGISTER
                .iter()
                .filter(|t| t.processing.is_some_and(|tp| tp.name == p.name))
                .map(|t| (t.holds, t.keep.in_words()))
                .collect(),
        })
        .collect();
    render(&Privacy {
        easy: easy::shown(&state, &ctx, "donnees-personnelles").await?,
        l: ctx.layout("Données personnelles"),
        processings,
    })
}

#[derive(Template)]
#[template(path = "pages/display_settings.html")]
struct DisplaySettings {
    l: Layout,
    csrf: String,
    size: String,
    contrast: String,
    spacing: String,
    font: String,
    easy: String,
    /// Signed in: the choice of easy-read e-mails, kept on the account.
    easy_emails: Option<bool>,
    saved: bool,
}

async fn display_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let d = ctx.display.clone();
    let easy_emails = match &ctx.user {
        Some(u) => {
            let mut conn = state.db.conn().await?;
            Some(epop_store::accounts::wants_easy_read_emails(&mut conn, &u.account.email).await?)
        }
        None => None,
    };
    render(&DisplaySettings {
        l: ctx.layout("Paramètres d’affichage"),
        csrf: ctx.csrf.clone(),
        size: d.size,
        contrast: d.contrast,
        spacing: d.spacing,
        font: d.font,
        easy: d.easy,
        easy_emails,
        saved: ctx.query_param("enregistre").is_some(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DisplayForm {
    taille: String,
    contraste: String,
    espacement: String,
    police: String,
    facile: String,
    /// `facile` or `habituels`: the e-mails' words (signed in only).
    courriels: String,
}

async fn display_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<DisplayForm>,
) -> Result<Response, AppError> {
    if let Some(u) = &ctx.user
        && matches!(f.courriels.as_str(), "facile" | "habituels")
    {
        let easy = f.courriels == "facile";
        let mut tx = state.db.write().await?;
        if epop_store::accounts::set_easy_read_emails(&mut tx, u.account.id, easy).await? {
            epop_store::audit::record(
                &mut tx,
                ctx.audit(
                    "easy_read_emails_changed",
                    Some(format!("account:{}", u.account.public_id)),
                    format!(
                        "E-mails en facile à lire : {}",
                        if easy { "oui" } else { "non" }
                    ),
                ),
            )
            .await?;
        }
        tx.commit().await?;
    }
    let d = Display::new(
        &f.taille,
        &f.contraste,
        &f.espacement,
        &f.police,
        if f.facile == "oui" { "facile" } else { "" },
    );
    let one_year = 365 * 24 * 3600;
    let cookie = set_cookie(
        &state.config,
        DISPLAY_COOKIE,
        &d.to_cookie(),
        Some(one_year),
    );
    let mut res = Redirect::to("/parametres-affichage?enregistre=1").into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(res)
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "base de données injoignable\n",
            )
                .into_response()
        }
    }
}
