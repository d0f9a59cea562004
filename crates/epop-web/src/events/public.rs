//! `/evenements`: upcoming events with filters in the URL (region, online
//! or on site), each event's page (ordinary and easy-read description,
//! schema.org `Event` microdata, « Partager »), its printable A4 poster with a
//! QR code, and calendar files: one event, or a feed per region that calendar
//! applications subscribe to.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use epop_store::events::{self, Filter};
use epop_store::now;
use epop_store::territories::{self, Region};
use serde::Deserialize;

use super::followup::Offer;
use super::{Audience, EventView, calendar_file, visible_event};
use crate::context::Layout;
use crate::render::{pdf, render};
use crate::share::Share;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evenements", get(list))
        .route("/evenements/{slug}", get(page))
        .route("/evenements/{slug}/agenda.ics", get(event_calendar))
        .route("/evenements/{slug}/affiche.pdf", get(poster))
        .route("/evenements/agenda/{file}", get(region_calendar))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub region: String,
    /// `en-ligne` or `sur-place`.
    pub lieu: String,
}

#[derive(Template)]
#[template(path = "events/list.html")]
struct List {
    l: Layout,
    events: Vec<EventView>,
    regions: Vec<Region>,
    q: ListQuery,
    region_name: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let regions = territories::regions(&mut conn).await?;
    let region = regions.iter().find(|r| r.code == q.region);
    let online = match q.lieu.as_str() {
        "en-ligne" => Some(true),
        "sur-place" => Some(false),
        _ => None,
    };
    let t = now();
    let audience = Audience::of(&state, &ctx).await?;
    let events = events::list(
        &mut conn,
        &Filter {
            ending_after: t,
            region: region.map(|r| r.code.as_str()),
            online,
            departments: None,
        },
    )
    .await?
    .into_iter()
    .filter(|e| audience.may_see(e) && e.cancel_reason.is_none())
    .map(|e| EventView::new(e, t))
    .collect();
    let region_name = region.map(|r| r.name.clone());
    render(&List {
        l: ctx.layout("Événements et réunions d’information"),
        events,
        regions,
        q,
        region_name,
    })
}

#[derive(Template)]
#[template(path = "events/show.html")]
struct Page {
    l: Layout,
    v: EventView,
    easy: bool,
    share: Share,
    offer: Option<Offer>,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = visible_event(&state, &ctx, &slug).await?;
    let easy = ctx.query_param("version").as_deref() == Some("facile");
    let t = now();
    let mut conn = state.db.conn().await?;
    let offer = Offer::of(&mut conn, &e, t).await?;
    drop(conn);
    let v = EventView::new(e, t);
    let share = share(&state, &v);
    render(&Page {
        l: ctx.layout(v.e.title.clone()),
        v,
        easy,
        share,
        offer,
    })
}

/// The texts to pass the event on; a cancelled event has no poster.
fn share(state: &AppState, v: &EventView) -> Share {
    let path = format!("/evenements/{}", v.e.slug);
    let share = Share::new(
        &state.config.base_url,
        &path,
        "cet événement",
        &v.e.title,
        &format!(
            "{} : {}, {}. Inscription gratuite sur la page :",
            v.e.title, v.when, v.place
        ),
        &format!(
            "Vous êtes invité à « {} ». C’est {}. C’est ici : {}. Pour vous inscrire, allez sur cette page :",
            v.e.title, v.when, v.place
        ),
    );
    if v.e.cancel_reason.is_some() {
        share
    } else {
        share.with_poster(format!("{path}/affiche.pdf"))
    }
}

/// The event's A4 poster (tagged PDF) with a QR code to its page.
async fn poster(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = visible_event(&state, &ctx, &slug).await?;
    if e.cancel_reason.is_some() {
        return Err(AppError::NotFound);
    }
    let v = EventView::new(e, now());
    let url = share(&state, &v).url;
    let summary = first_paragraph(&v.e.description_easy)
        .or_else(|| first_paragraph(&v.e.description))
        .unwrap_or_default();
    let registration = if v.open {
        format!("Gratuite, jusqu’au {}.", v.deadline)
    } else {
        "Les inscriptions sont closes.".to_owned()
    };
    let accessibility: Vec<String> = v.accessibility.iter().map(|a| (*a).to_owned()).collect();
    let filename = format!("affiche-{}.pdf", v.e.slug);
    let bytes = pdf(move || {
        epop_docs::pdf::poster(&epop_docs::pdf::Poster {
            title: &v.e.title,
            summary: &summary,
            when: &v.when,
            place: &v.place,
            audience: &v.e.audience,
            organiser: &v.e.organiser,
            registration: &registration,
            accessibility: &accessibility,
            url: &url,
        })
    })
    .await?;
    Ok(crate::render::download("application/pdf", &filename, bytes))
}

fn first_paragraph(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_owned)
}

fn calendar_response(filename: &str, body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// One event's `.ics`, to add it to a calendar.
async fn event_calendar(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = visible_event(&state, &ctx, &slug).await?;
    let body = calendar_file(&e.title, std::slice::from_ref(&e), &state.config.base_url);
    Ok(calendar_response(&format!("{slug}.ics"), body))
}

/// A region's events to come (and of the last 30 days), as a feed calendar
/// applications subscribe to: `/evenements/agenda/76.ics`.
async fn region_calendar(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let region = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let mut conn = state.db.conn().await?;
    let r = territories::regions(&mut conn)
        .await?
        .into_iter()
        .find(|r| r.code == region)
        .ok_or(AppError::NotFound)?;
    let list = events::list(
        &mut conn,
        &Filter {
            ending_after: now() - 30 * 24 * 3600,
            region: Some(&r.code),
            online: None,
            departments: None,
        },
    )
    .await?
    .into_iter()
    // A feed is public: practice-analysis groups stay out of it.
    .filter(|e| !e.trained_peers_only)
    .collect::<Vec<_>>();
    let body = calendar_file(
        &format!("Événements EPoP – {}", r.name),
        &list,
        &state.config.base_url,
    );
    Ok(calendar_response(
        &format!("evenements-{}.ics", r.code),
        body,
    ))
}
