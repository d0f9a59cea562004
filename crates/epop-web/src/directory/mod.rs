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

/// A profile, when the visitor may see it (a request's wished peer too).
pub(crate) use profile::visible as visible_profile;
pub use search::FormLists;

use axum::Router;
use epop_domain::directory::{is_member, may_manage_profile};
use epop_store::directory::{self, Profile, Viewer};

use crate::{AppError, AppState, Ctx};

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

/// The profile of `slug`, when this person may manage it: a coordinator of
/// one of its départements, or an admin.
pub(crate) async fn managed_profile(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<Profile, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let profile = directory::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let departments = profile.card.departments.iter().map(|(d, _)| d.as_str());
    if !may_manage_profile(&user.principal, departments) {
        return Err(AppError::Forbidden);
    }
    Ok(profile)
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
