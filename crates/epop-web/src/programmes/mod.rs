//! Local programmes (« expérimentations locales », « déploiements »): the
//! public list and each programme's page (who carries it, said plainly for
//! the national project and a regional policy; its départements, years,
//! aims in ordinary and easy-read French, what it produced computed from
//! the platform's data, its review), and the administration's pages where
//! admins create programmes and name their coordinators, and a programme's
//! coordinators edit it.

mod manage;
mod public;

use axum::Router;

use crate::{AppError, AppState, Ctx};

/// A programme's easy-read aims, for their review,
/// if this person may edit the programme.
pub(crate) async fn easy_text(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<crate::review_mark::EasyText, AppError> {
    let (_, p) = manage::editable(state, ctx, slug).await?;
    Ok(crate::review_mark::EasyText {
        page: format!("/programmes/{}?version=facile", p.slug),
        edit: format!("/admin/programmes/{}", p.slug),
        department: p.departments.first().map(|d| d.code.clone()),
        title: p.name,
        text: p.aims_easy,
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(manage::router())
}

/// « 2024–2025 », or « 2026 » for one year.
pub(crate) fn years_of(p: &epop_store::programmes::Programme) -> String {
    epop_domain::programme::years_words(p.start_year, p.end_year)
}
