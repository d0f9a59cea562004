//! `/actualites`: the news published, the most recent first (optionally
//! for one région: national news, the région's and its départements'),
//! each item's page, ordinary or easy-read (`?version=facile`; a clear
//! sentence when the item has no easy-read version yet), and its image.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use epop_store::news::{self, Filter, News};
use epop_store::territories;

use crate::context::Layout;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actualites", get(list))
        .route("/actualites/{slug}", get(page))
        .route("/actualites/{slug}/image", get(image))
}

/// A news item as a list shows it.
pub(super) struct Item {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub date: String,
    pub place: String,
    pub has_easy: bool,
}

impl Item {
    pub(super) fn of(n: &News, easy: bool) -> Item {
        let (title, summary) = match (&n.easy, easy) {
            (Some((t, _)), true) => (t.clone(), String::new()),
            _ => (n.title.clone(), n.summary.clone()),
        };
        Item {
            slug: n.slug.clone(),
            title,
            summary,
            date: crate::french::french_day(n.published_at),
            place: super::place_words(n),
            has_easy: n.easy.is_some(),
        }
    }
}

/// A région offered in the list's filter and its feed.
struct RegionChoice {
    code: String,
    name: String,
    feed: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "news/list.html")]
struct List {
    l: Layout,
    items: Vec<Item>,
    regions: Vec<RegionChoice>,
    region_name: Option<String>,
    may_write: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let all_regions = territories::regions(&mut conn).await?;
    let chosen = ctx
        .query_param("region")
        .filter(|r| all_regions.iter().any(|x| &x.code == r));
    let found = news::list(
        &mut conn,
        &Filter {
            published_by: Some(epop_store::now()),
            region: chosen.as_deref(),
            limit: Some(100),
            ..Default::default()
        },
    )
    .await?;
    let region_name = all_regions
        .iter()
        .find(|r| Some(&r.code) == chosen.as_ref())
        .map(|r| r.name.clone());
    let title = match &region_name {
        Some(name) => format!("{} – {name}", ctx.words("Actualités", "Les nouvelles")),
        None => ctx.words("Actualités", "Les nouvelles").to_owned(),
    };
    render(&List {
        l: ctx.layout(title),
        items: found.iter().map(|n| Item::of(n, ctx.easy)).collect(),
        regions: all_regions
            .into_iter()
            .map(|r| RegionChoice {
                selected: Some(&r.code) == chosen.as_ref(),
                feed: super::region_feed(&r.name),
                code: r.code,
                name: r.name,
            })
            .collect(),
        region_name,
        may_write: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.principal.may_write_news()),
    })
}

#[derive(Template)]
#[template(path = "news/show.html")]
struct Page {
    l: Layout,
    n: News,
    title: String,
    date: String,
    place: String,
    /// The text shown, line by line.
    lines: Vec<String>,
    /// Easy-read asked but not written yet.
    no_easy: bool,
    may_edit: bool,
    /// Under the easy-read text: its review's mark, or « à faire ».
    review: Option<String>,
}

/// An item published (or, for whoever may edit it, one to come).
async fn visible(state: &AppState, ctx: &Ctx, slug: &str) -> Result<(News, bool), AppError> {
    let mut conn = state.db.conn().await?;
    let n = news::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let may_edit = match &ctx.user {
        Some(u) if u.principal.may_write_news() => {
            let region = match &n.scope {
                epop_domain::news::Scope::Region(r) => {
                    news::region_departments(&mut conn, r).await?
                }
                _ => Vec::new(),
            };
            u.principal.may_publish_news(&n.scope, &region)
        }
        _ => false,
    };
    if n.published_at > epop_store::now() && !may_edit {
        return Err(AppError::NotFound);
    }
    Ok((n, may_edit))
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (n, may_edit) = visible(&state, &ctx, &slug).await?;
    let (title, text, no_easy) = match (&n.easy, ctx.easy) {
        (Some((t, b)), true) => (t.clone(), b.clone(), false),
        (None, true) => (n.title.clone(), n.body.clone(), true),
        _ => (n.title.clone(), n.body.clone(), false),
    };
    let page_title = if ctx.easy && !no_easy {
        format!("{title} – version facile à lire")
    } else {
        title.clone()
    };
    let review = crate::review_mark::footer_of_page(
        &state,
        ctx.easy && !no_easy,
        epop_domain::easy_review::Subject::News,
        &n.slug,
        &n.easy_text(),
    )
    .await?;
    render(&Page {
        l: ctx.layout(page_title),
        review,
        title,
        date: crate::french::french_day(n.published_at),
        place: super::place_words(&n),
        lines: text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        no_easy,
        may_edit,
        n,
    })
}

/// The image of an item, to whoever may read the item.
async fn image(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (n, _) = visible(&state, &ctx, &slug).await?;
    let file = n.image_file.ok_or(AppError::NotFound)?;
    let bytes =
        crate::storage::read(state.files.as_ref(), crate::storage::NEWS_IMAGES, &file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, crate::forms::image_type(&file)),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}
