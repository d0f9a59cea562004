//! The public directory (annuaire): search with filters in the URL (works
//! without JavaScript), organisation pages with their people, profile pages that show each field only to whom may
//! see it (sensitive reads are audited), the same search as JSON, and the
//! profile form (`profile_form`: a person fills in their own profile, one
//! question per page).

pub(crate) mod api;
mod organisation;
mod profile;
mod profile_form;
mod search;

pub use search::FormLists;

use axum::Router;
use epop_domain::directory::is_member;
use epop_store::directory::Viewer;

use crate::{AppState, Ctx};

/// This feature's part of the OpenAPI document (`crate::api`).
pub fn api_doc() -> utoipa::openapi::OpenApi {
    <api::DirectoryApi as utoipa::OpenApi>::openapi()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(search::router())
        .merge(profile::router())
        .merge(profile_form::router())
        .merge(organisation::router())
        .merge(api::router())
}

/// The person searching, as the store's visibility filter needs it.
pub fn viewer(ctx: &Ctx) -> Viewer {
    match &ctx.user {
        None => Viewer::default(),
        Some(u) => Viewer {
            account_id: Some(u.account.id),
            member: is_member(&u.principal),
            admin: u.principal.is_admin(),
            coordinated: u
                .principal
                .coordinated_departments
                .iter()
                .cloned()
                .collect(),
        },
    }
}

/// Language codes as people read them.
pub fn language_label(code: &str) -> String {
    epop_domain::directory::LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_else(|| {
            let mut s = code.to_owned();
            if let Some(first) = s.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_read_in_french() {
        assert_eq!(language_label("lsf"), "Langue des signes française (LSF)");
        assert_eq!(language_label("arabe"), "Arabe");
    }
}
