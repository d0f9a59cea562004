//! `/annuaire/{slug}`: one profile. A profile the visitor may not see is
//! "not found" (its existence is not revealed). Sensitive fields are shown
//! only to the person, the coordinators of their territory and admins, and
//! each such read is written to the audit log.

use std::collections::BTreeSet;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use epop_domain::directory::{ProfileAccess, may_see_profile, may_see_sensitive};
use epop_store::directory::{self, Profile, Sensitive};

use super::language_label;
use super::search::CardView;
use crate::context::Layout;
use crate::french::french_date;
use crate::render::{audit_sensitive_read, render};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/annuaire/{slug}", get(page))
        .route("/annuaire/{slug}/photo", get(photo))
}

#[derive(Template)]
#[template(path = "directory/profile.html")]
struct Page {
    l: Layout,
    p: Profile,
    card: CardView,
    easy: bool,
    is_owner: bool,
    languages: String,
    trained: String,
    sensitive: Option<Sensitive>,
    visibility: &'static str,
    /// « du 1 juillet 2027 au 31 août 2027 », for the periods to come.
    away: Vec<String>,
    /// The text alternative of the photo, when there is one.
    photo_alt: Option<String>,
    /// A peer worker's profile, seen by someone else: an intervention may be
    /// asked from here, with this person as the wish.
    may_ask: bool,
}

/// Who may see a profile and its sensitive fields depends on these.
fn access<'a>(profile: &Profile, departments: &'a BTreeSet<String>) -> ProfileAccess<'a> {
    ProfileAccess {
        owner_account_id: profile.account_id,
        visibility: profile.card.visibility,
        departments,
    }
}

/// The profile of `slug` and its départements, when the visitor may see it;
/// "not found" otherwise (its existence is not revealed).
pub(crate) async fn visible(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    slug: &str,
) -> Result<(Profile, BTreeSet<String>), AppError> {
    let profile = directory::by_slug(conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let departments: BTreeSet<String> = profile
        .card
        .departments
        .iter()
        .map(|(c, _)| c.clone())
        .collect();
    if !may_see_profile(
        ctx.user.as_ref().map(|u| &u.principal),
        &access(&profile, &departments),
    ) {
        return Err(AppError::NotFound);
    }
    Ok((profile, departments))
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let (profile, departments) = visible(&mut conn, &ctx, &slug).await?;
    let access = access(&profile, &departments);
    let principal = ctx.user.as_ref().map(|u| &u.principal);
    let sensitive = match principal {
        Some(p) if may_see_sensitive(p, &access) => {
            let s = directory::sensitive(&mut conn, profile.card.id).await?;
            if s != Sensitive::default() && p.account_id != profile.account_id {
                audit_sensitive_read(
                    &mut conn,
                    &ctx,
                    format!("profile:{}", profile.card.slug),
                    format!(
                        "Lecture des données sensibles de la fiche {}",
                        crate::french::elided("de", &profile.card.display_name)
                    ),
                )
                .await?;
            }
            Some(s)
        }
        _ => None,
    };
    let today = crate::french::paris_today().to_string();
    let away = directory::absences(&mut conn, profile.card.id, &today)
        .await?
        .into_iter()
        .map(|a| {
            format!(
                "du {} au {}",
                french_date(&a.starts_on),
                french_date(&a.ends_on)
            )
        })
        .collect();
    let photo_alt = directory::photo(&mut conn, profile.card.id)
        .await?
        .map(|(_, alt)| alt);
    let easy = ctx.query_param("version").as_deref() == Some("facile");
    let mut languages: Vec<String> = profile
        .card
        .languages
        .iter()
        .map(|l| language_label(l))
        .collect();
    if !profile.other_languages.trim().is_empty() {
        languages.push(profile.other_languages.clone());
    }
    let trained = match (&profile.card.trained_on, &profile.training_programme) {
        (Some(d), Some(prog)) => format!("Formation terminée le {} ({prog})", french_date(d)),
        (Some(d), None) => format!("Formation terminée le {}", french_date(d)),
        _ => String::new(),
    };
    let is_owner = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.account.id == profile.account_id);
    let visibility = match profile.card.visibility {
        epop_domain::directory::Visibility::Public => "Fiche publique",
        epop_domain::directory::Visibility::Members => "Fiche réservée aux membres du réseau",
        epop_domain::directory::Visibility::Hidden => {
            "Fiche masquée : seules vous et la coordination la voyez"
        }
    };
    render(&Page {
        l: ctx.layout(profile.card.display_name.clone()),
        card: CardView::new(&profile.card),
        languages: languages.join(", "),
        trained,
        sensitive,
        easy,
        is_owner,
        visibility,
        away,
        photo_alt,
        may_ask: profile.card.kind == epop_domain::directory::ProfileKind::Peer && !is_owner,
        p: profile,
    })
}

/// The photo of a profile, to those who may see the profile.
async fn photo(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let (profile, _) = visible(&mut conn, &ctx, &slug).await?;
    let (file, _) = directory::photo(&mut conn, profile.card.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let content_type = crate::forms::image_type(&file);
    drop(conn);
    let bytes = crate::storage::read(state.files.as_ref(), crate::storage::PHOTOS, &file).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "private, max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}
