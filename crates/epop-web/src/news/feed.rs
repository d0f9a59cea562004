//! The Atom feeds (RFC 4287) of the news published: `/actualites.atom` for
//! all of them, `/actualites/regions/{région}.atom` for national news and a
//! région's (its own and its départements'). Written with
//! `atom_syndication`; every entry has a stable id (its address), its dates,
//! its summary and its text, and a link to its page.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, FixedOffset};
use epop_store::news::{self, Filter, News};
use epop_store::territories;

use crate::{AppError, AppState};

/// How many entries a feed carries.
const ENTRIES: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actualites.atom", get(national))
        .route("/actualites/regions/{file}", get(regional))
}

fn time(ts: i64) -> DateTime<FixedOffset> {
    DateTime::from_timestamp(ts, 0)
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    if rel == "alternate" {
        l.set_mime_type(Some("text/html".to_owned()));
    }
    l
}

fn entry(base: &str, n: &News) -> Entry {
    let url = format!("{base}/actualites/{}", n.slug);
    let mut e = Entry::default();
    e.set_title(Text::plain(n.title.clone()));
    e.set_id(url.clone());
    e.set_updated(time(n.updated_at.max(n.published_at)));
    e.set_published(Some(time(n.published_at)));
    e.set_summary(Some(Text::plain(n.summary.clone())));
    let mut content = Content::default();
    content.set_content_type(Some("text".to_owned()));
    content.set_value(Some(n.body.clone()));
    e.set_content(Some(content));
    e.set_links(vec![link(url, "alternate")]);
    e
}

/// The feed of these items, at `path`.
fn feed(base: &str, path: &str, title: String, items: &[News]) -> Response {
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(format!("{base}{path}"));
    f.set_lang(Some("fr".to_owned()));
    let mut author = Person::default();
    author.set_name("EPoP – réseau des intervenants-pairs");
    author.set_uri(Some(format!("{base}/")));
    f.set_authors(vec![author]);
    f.set_links(vec![
        link(format!("{base}{path}"), "self"),
        link(format!("{base}/actualites"), "alternate"),
    ]);
    f.set_updated(time(
        items
            .iter()
            .map(|n| n.updated_at.max(n.published_at))
            .max()
            .unwrap_or(0),
    ));
    f.set_entries(items.iter().map(|n| entry(base, n)).collect::<Vec<_>>());
    (
        [
            (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=600"),
        ],
        f.to_string(),
    )
        .into_response()
}

async fn national(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let items = news::list(
        &mut conn,
        &Filter {
            published_by: Some(epop_store::now()),
            limit: Some(ENTRIES),
            ..Default::default()
        },
    )
    .await?;
    Ok(feed(
        &state.config.base_url,
        "/actualites.atom",
        "EPoP – les actualités du réseau des intervenants-pairs".to_owned(),
        &items,
    ))
}

async fn regional(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let slug = file.strip_suffix(".atom").ok_or(AppError::NotFound)?;
    let region = territories::regions(&mut conn)
        .await?
        .into_iter()
        .find(|r| epop_domain::text::slugify(&r.name) == slug)
        .ok_or(AppError::NotFound)?;
    let items = news::list(
        &mut conn,
        &Filter {
            published_by: Some(epop_store::now()),
            region: Some(&region.code),
            limit: Some(ENTRIES),
            ..Default::default()
        },
    )
    .await?;
    Ok(feed(
        &state.config.base_url,
        &super::region_feed(&region.name),
        format!("EPoP – les actualités en région {}", region.name),
        &items,
    ))
}
