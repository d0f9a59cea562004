//! News (`/actualites`) and the newsletter (`/lettre`): the public list and
//! each item's page, ordinary or easy-read (`?version=facile`), its image,
//! the Atom feeds (national and one per région); the administration's pages
//! where coordinators and admins write news for their territory; the
//! subscription with its confirmation, the one-click unsubscription, the
//! member's choice in their space; and the monthly digest the worker builds
//! and, once a coordinator or an admin sends it, writes to the outbox in
//! batches.

mod digest;
mod feed;
mod mails;
mod manage;
mod newsletter;
mod public;

use axum::Router;
use epop_domain::news::Scope;
use epop_store::news::News;

use crate::{AppError, AppState, Ctx};

pub use digest::due;

/// A news item's easy-read title and text (one line each way), for its
/// review (`crate::easy_review`), if this person may edit the item.
pub(crate) async fn easy_text(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<crate::review_mark::EasyText, AppError> {
    let (_, n) = manage::editable(state, ctx, slug).await?;
    Ok(crate::review_mark::EasyText {
        page: format!("/actualites/{}?version=facile", n.slug),
        edit: format!("/admin/actualites/{}", n.slug),
        text: n.easy_text(),
        department: match &n.scope {
            Scope::Department(code) => Some(code.clone()),
            Scope::National | Scope::Region(_) => None,
        },
        title: n.title,
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(feed::router())
        .merge(manage::router())
        .merge(newsletter::router())
        .merge(digest::router())
}

/// « Occitanie », « Haute-Garonne (31) », or « France entière ».
fn place_words(n: &News) -> String {
    match &n.scope {
        Scope::Department(code) => format!("{} ({code})", n.place),
        _ => n.place.clone(),
    }
}

/// The address of a région's feed: `/actualites/regions/occitanie.atom`.
fn region_feed(region_name: &str) -> String {
    format!(
        "/actualites/regions/{}.atom",
        epop_domain::text::slugify(region_name)
    )
}
