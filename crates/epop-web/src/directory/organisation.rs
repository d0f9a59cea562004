//! `/organisations/{slug}`: who an organisation is and its people in the
//! directory (référents first), as the visitor may see them.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::directory::{SearchQuery, Sort};
use epop_domain::organisation::OrganisationKind;
use epop_store::directory;
use epop_store::organisations::{self, Organisation};

use super::search::CardView;
use crate::context::Layout;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/organisations/{slug}", get(page))
}

#[derive(Template)]
#[template(path = "directory/organisation.html")]
struct Page {
    l: Layout,
    o: Organisation,
    kind: &'static str,
    people: Vec<CardView>,
    total: i64,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let o = organisations::by_slug(&mut conn, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let q = SearchQuery {
        organisation: Some(o.slug.clone()),
        sort: Sort::Name,
        ..Default::default()
    };
    let (cards, total) =
        directory::search(&mut conn, state.db.engine(), &q, &super::viewer(&ctx)).await?;
    let mut people: Vec<CardView> = cards.iter().map(CardView::new).collect();
    people.sort_by_key(|c| c.kind != epop_domain::directory::ProfileKind::Referent.label());
    render(&Page {
        l: ctx.layout(o.name.clone()),
        kind: OrganisationKind::from_code(&o.kind)
            .map(OrganisationKind::label)
            .unwrap_or("Organisation"),
        people,
        total,
        o,
    })
}
