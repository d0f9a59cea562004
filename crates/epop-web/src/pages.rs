//! Public pages: home (ordinary and easy-read), accessibility statement,
//! legal notice, privacy, display settings; and `/healthz`.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;

use crate::context::{DISPLAY_COOKIE, Display, Layout};
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
}

/// Renders a template as an HTML response.
/// The end of a write the audit log must know of: its line, the commit of
/// it all, then `to`.
pub async fn audited(
    mut tx: epop_store::Tx,
    event: epop_store::audit::Event<'_>,
    to: &str,
) -> Result<Response, AppError> {
    epop_store::audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Redirect::to(to).into_response())
}

/// Records that a page showed someone's sensitive data (health data, a
/// peer's situations, a request's messages) to the signed-in person
/// (action `sensitive_read`). About a profile (`profile:{slug}`), the
/// person sees the line in « Mes données ».
pub async fn audit_sensitive_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    subject: String,
    detail: String,
) -> Result<(), AppError> {
    epop_store::audit::record(conn, ctx.audit("sensitive_read", Some(subject), detail)).await?;
    Ok(())
}

/// Records that a page showed the accessibility needs (health data) of
/// `people` persons to the signed-in person, as a profile's sensitive
/// fields are (action `needs_read`); nothing when it showed none.
pub async fn audit_needs_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    subject: String,
    people: usize,
) -> Result<(), AppError> {
    if people > 0 {
        let detail = format!("Lecture des besoins d’accessibilité de {people} personne(s)");
        epop_store::audit::record(conn, ctx.audit("needs_read", Some(subject), detail)).await?;
    }
    Ok(())
}

pub fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form page again with its errors (status 400).
pub fn render_invalid(t: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::BAD_REQUEST, Html(t.render()?)).into_response())
}

/// A form page asking to wait before trying again (status 429).
pub fn slowed(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    page
}

/// Renders a form page: status 400 when it shows problems, 200 otherwise.
pub fn render_form(t: &impl Template, invalid: bool) -> Result<Response, AppError> {
    if invalid {
        render_invalid(t)
    } else {
        render(t)
    }
}

/// The media type of `.xlsx` files.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to download (never cached: exports hold personal data). The file
/// name is made of slug characters.
pub fn download(content_type: &'static str, filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "pages/home.html")]
struct Home {
    l: Layout,
    easy: bool,
}

async fn home(ctx: Ctx) -> Result<Response, AppError> {
    let easy = ctx.query_param("version").as_deref() == Some("facile");
    let title = if easy {
        "Accueil – version facile à lire"
    } else {
        "Accueil"
    };
    render(&Home {
        l: ctx.layout(title),
        easy,
    })
}

#[derive(Template)]
#[template(path = "pages/accessibilite.html")]
struct Accessibility {
    l: Layout,
}

async fn accessibility(ctx: Ctx) -> Result<Response, AppError> {
    render(&Accessibility {
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
    processings: Vec<ProcessingView>,
}

/// The privacy page: the register of processings (GDPR art. 30) rendered
/// from `epop_store::privacy`, the data that drives the purges and erasure.
async fn privacy(ctx: Ctx) -> Result<Response, AppError> {
    use epop_store::privacy::{PROCESSINGS, REGISTER};
    let processings = PROCESSINGS
        .iter()
        .map(|p| ProcessingView {
            p,
            kept: REGISTER
                .iter()
                .filter(|t| t.processing.is_some_and(|tp| std::ptr::eq(tp, *p)))
                .map(|t| (t.holds, t.keep.in_words()))
                .collect(),
        })
        .collect();
    render(&Privacy {
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
    saved: bool,
}

async fn display_form(ctx: Ctx) -> Result<Response, AppError> {
    let d = ctx.display.clone();
    render(&DisplaySettings {
        l: ctx.layout("Paramètres d’affichage"),
        csrf: ctx.csrf.clone(),
        size: d.size,
        contrast: d.contrast,
        spacing: d.spacing,
        font: d.font,
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
}

async fn display_save(State(state): State<AppState>, Form(f): Form<DisplayForm>) -> Response {
    let d = Display::new(&f.taille, &f.contraste, &f.espacement, &f.police);
    let one_year = 365 * 24 * 3600;
    let cookie = set_cookie(
        &state.config,
        DISPLAY_COOKIE,
        &d.to_cookie(),
        Some(one_year),
    );
    let mut res = Redirect::to("/parametres-affichage?enregistre=1").into_response();
    res.headers_mut().append(header::SET_COOKIE, cookie);
    res
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
