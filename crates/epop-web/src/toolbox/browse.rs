//! `/boite-a-outils`: the search with its filters in the URL, a resource's
//! page (its easy-read summary with `?version=facile`), and its files:
//! the current version for whoever sees the resource, the previous ones for
//! its coordination, each download counted in its month.

use askama::Template;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use epop_domain::toolbox::files::size_in_words;
use epop_domain::toolbox::{BrowseQuery, PAGE_SIZE, Status, may_suggest};
use epop_store::toolbox::{self, Resource, StoredFile};

use super::{Lists, date_in_words, language_label, manages, viewer};
use crate::context::Layout;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/boite-a-outils", get(list))
        .route("/boite-a-outils/{slug}", get(show))
        .route("/boite-a-outils/{slug}/fichiers/{file}", get(download))
}

#[derive(Template)]
#[template(path = "toolbox/browse_list.html")]
struct ListPage {
    l: Layout,
    q: BrowseQuery,
    problems: Vec<String>,
    resources: Vec<Resource>,
    total: i64,
    page: u32,
    pages: u32,
    query: String,
    themes: Vec<(String, String)>,
    territories: Vec<(String, String)>,
    may_suggest: bool,
    may_manage: bool,
}

impl ListPage {
    fn selected(&self, field: &str, value: &str) -> bool {
        match field {
            "public" => self.q.audience.is_some_and(|a| a.code() == value),
            "intervention" => self.q.kind.is_some_and(|k| k.code() == value),
            "theme" => self.q.theme.as_deref() == Some(value),
            "territoire" => self.q.territory.as_ref().is_some_and(|t| t.code() == value),
            "format" => self.q.format.is_some_and(|f| f.code() == value),
            _ => false,
        }
    }
}

async fn list(
    State(state): State<AppState>,
    ctx: Ctx,
    RawQuery(raw): RawQuery,
) -> Result<Response, AppError> {
    let raw = raw.unwrap_or_default();
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&raw).unwrap_or_default();
    let (q, problems) =
        BrowseQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let v = viewer(&state, &ctx).await?;
    let mut conn = state.db.conn().await?;
    let (resources, total) = toolbox::search(&mut conn, &q, &v).await?;
    drop(conn);
    let lists = Lists::load(&state).await?;
    let pages = u32::try_from((total.max(1) + i64::from(PAGE_SIZE) - 1) / i64::from(PAGE_SIZE))
        .unwrap_or(1);
    let p = ctx.user.as_ref().map(|u| &u.principal);
    render(&ListPage {
        l: ctx.layout("Boîte à outils"),
        problems: problems.into_iter().map(|p| p.0).collect(),
        resources,
        total,
        page: q.page + 1,
        pages,
        query: q.to_query_string(),
        themes: lists
            .themes
            .iter()
            .map(|t| (t.slug.clone(), t.label.clone()))
            .collect(),
        territories: lists.territories,
        may_suggest: p.is_some_and(may_suggest),
        may_manage: p.is_some_and(|p| p.may_administer()),
        q,
    })
}

/// A file as the page lists it.
struct FileLine {
    href: String,
    label: String,
    version: String,
}

fn line(slug: &str, f: &StoredFile) -> FileLine {
    let day = crate::french::paris(f.created_at).date_naive();
    FileLine {
        href: format!("/boite-a-outils/{slug}/fichiers/{}", f.public_id),
        label: format!(
            "{} ({}, {})",
            f.file_name,
            f.kind.label(),
            size_in_words(f.size)
        ),
        version: epop_domain::toolbox::version_label(day),
    }
}

#[derive(Template)]
#[template(path = "toolbox/browse_show.html")]
struct ShowPage {
    l: Layout,
    r: Resource,
    current: Option<FileLine>,
    captions: Option<FileLine>,
    previous: Vec<FileLine>,
    may_edit: bool,
    downloads: Vec<(String, i64)>,
    /// Under the easy-read summary: its review's mark, or « à faire ».
    review: Option<String>,
}

/// The resource of an address if this person may see it: published and
/// visible to them (the store's rule), or any resource their coordination
/// manages. « Not found » otherwise, never « forbidden »: a hidden resource
/// does not say it exists.
async fn readable(state: &AppState, ctx: &Ctx, slug: &str) -> Result<(Resource, bool), AppError> {
    let v = viewer(state, ctx).await?;
    let mut conn = state.db.conn().await?;
    let visible = toolbox::visible_by_slug(&mut conn, slug, &v).await?;
    let any = match &visible {
        Some(r) => Some(r.clone()),
        None => toolbox::by_slug(&mut conn, slug).await?,
    };
    drop(conn);
    let Some(r) = any else {
        return Err(AppError::NotFound);
    };
    let manager = match &ctx.user {
        Some(u) => manages(state, &u.principal, &r).await?,
        None => false,
    };
    if visible.is_some() || manager {
        Ok((r, manager))
    } else {
        Err(AppError::NotFound)
    }
}

async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (r, manager) = readable(&state, &ctx, &slug).await?;
    let mut conn = state.db.conn().await?;
    let files = toolbox::files(&mut conn, r.id).await?;
    let downloads = if manager {
        toolbox::downloads(&mut conn, r.id)
            .await?
            .into_iter()
            .map(|(month, n)| (month_in_words(&month), n))
            .collect()
    } else {
        Vec::new()
    };
    drop(conn);
    let mut mains = files.iter().filter(|f| !f.captions);
    let current = mains.next().map(|f| line(&r.slug, f));
    let previous = if manager {
        mains.map(|f| line(&r.slug, f)).collect()
    } else {
        Vec::new()
    };
    let captions = files.iter().find(|f| f.captions).map(|f| line(&r.slug, f));
    let review = crate::review_mark::footer_of_page(
        &state,
        ctx.easy,
        epop_domain::easy_review::Subject::Resource,
        &r.slug,
        &r.summary_easy,
    )
    .await?;
    render(&ShowPage {
        l: ctx.layout(r.title.clone()),
        review,
        current,
        captions,
        previous,
        may_edit: manager,
        downloads,
        r,
    })
}

async fn download(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (r, manager) = readable(&state, &ctx, &slug).await?;
    let mut conn = state.db.conn().await?;
    let files = toolbox::files(&mut conn, r.id).await?;
    drop(conn);
    let current = files.iter().find(|f| !f.captions).map(|f| &f.public_id);
    let f = files
        .iter()
        .find(|f| f.public_id == file)
        .ok_or(AppError::NotFound)?;
    // Previous versions are for the coordination only.
    if !f.captions && Some(&f.public_id) != current && !manager {
        return Err(AppError::NotFound);
    }
    let bytes = state
        .files
        .get(&f.storage_key)
        .await
        .map_err(|e| crate::storage::failed(&f.storage_key, e))?;
    if !f.captions && r.status == Status::Published {
        let month = crate::french::paris_today().format("%Y-%m").to_string();
        let mut tx = state.db.write().await?;
        toolbox::count_download(&mut tx, r.id, &month).await?;
        tx.commit().await?;
    }
    Ok(served(f, bytes))
}

/// A file with its real type and name; never shown inline unless a
/// browser can only display it (images, sound, video, captions).
fn served(f: &StoredFile, bytes: Vec<u8>) -> Response {
    let ascii: String = epop_domain::text::fold(&f.file_name)
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let how = if f.kind.is_inline_safe() {
        "inline"
    } else {
        "attachment"
    };
    let utf8 = crate::forms::url_encode(&f.file_name).replace('/', "%2F");
    (
        [
            (header::CONTENT_TYPE, f.kind.content_type().to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{utf8}"),
            ),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// `AAAA-MM` as « mars 2027 ».
fn month_in_words(month: &str) -> String {
    let parsed = month
        .split_once('-')
        .and_then(|(y, m)| Some((y, m.parse::<usize>().ok()?)));
    match parsed {
        Some((year, m)) if (1..=12).contains(&m) => {
            format!("{} {year}", epop_domain::schedule::MONTHS[m - 1])
        }
        _ => month.to_owned(),
    }
}

/// Labels the templates use.
pub fn audience_labels(r: &Resource) -> String {
    r.audiences
        .iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn when(r: &Resource) -> String {
    date_in_words(&r.dated)
}

pub fn language(r: &Resource) -> &'static str {
    language_label(&r.language)
}
