//! The photo page: a file (checked by its first bytes), its description
//! for people who cannot see it, or the removal of the current photo.

use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use epop_domain::directory::fields;
use epop_store::directory;

use super::steps::{Step, steps};
use super::visibility::keep_to_consent;
use super::{Target, current, other_target, own_target, show, show_blank};
use crate::forms::{Errors, image_extension, read_multipart};
use crate::storage::{self, PHOTOS};
use crate::{AppError, AppState, Ctx};

/// Largest photo accepted.
pub(super) const MAX_PHOTO: usize = 2 * 1024 * 1024;

pub(super) async fn own_photo_form(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    show_blank(&state, &ctx, &t, Step::Photo.slug()).await
}

pub(super) async fn other_photo_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    show_blank(&state, &ctx, &t, Step::Photo.slug()).await
}

pub(super) async fn own_photo_save(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    save_photo(state, ctx, t, multipart).await
}

pub(super) async fn other_photo_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    save_photo(state, ctx, t, multipart).await
}

/// Receives the photo page: a file (optional), its description, or the
/// wish to remove the current photo.
async fn save_photo(
    state: AppState,
    ctx: Ctx,
    t: Target,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let (form, file) = read_multipart(multipart, "photo", TOO_BIG, &mut errors).await;
    let remove = form.get("retirer") == "oui";
    let description = form.get("description");
    let extension = check_file(&file, &mut errors);
    let (existing, mut p, s) = current(&state, &t).await?;
    let current_photo = match existing {
        Some(id) => {
            let mut conn = state.db.conn().await?;
            directory::photo(&mut conn, id).await?
        }
        None => None,
    };
    let keeps_photo = !remove && (extension.is_some() || current_photo.is_some());
    if keeps_photo {
        errors.check("description", fields::photo_description(&description));
    }
    if !errors.is_empty() {
        let mut conn = state.db.conn().await?;
        let consents = directory::active_consents(&mut conn, t.account_id)
            .await?
            .into_keys()
            .collect();
        drop(conn);
        return show(
            &state,
            &ctx,
            &t,
            Step::Photo.slug(),
            errors,
            Some((p, s, consents, &form)),
        )
        .await;
    }
    // The file first, then the row that names it; the file goes again if
    // the row could not be written.
    let new_file = match extension {
        Some(ext) => Some(storage::keep(state.files.as_ref(), PHOTOS, ext, &file).await?),
        None => None,
    };
    let written = async {
        let mut tx = state.db.write().await?;
        keep_to_consent(&mut tx, &t, &mut p).await?;
        let (id, _) = directory::upsert(&mut tx, state.db.engine(), t.account_id, &p).await?;
        let replaced = match (remove, &new_file, &current_photo) {
            (true, _, _) => directory::set_photo(&mut tx, id, None).await?,
            (false, Some(name), _) => {
                directory::set_photo(&mut tx, id, Some((name, description.trim()))).await?
            }
            (false, None, Some((path, _))) => {
                directory::set_photo(&mut tx, id, Some((path, description.trim()))).await?;
                None
            }
            (false, None, None) => None,
        };
        tx.commit().await?;
        Ok::<_, AppError>(replaced)
    }
    .await;
    let files = state.files.as_ref();
    let replaced = storage::or_discard(files, PHOTOS, new_file.as_deref(), written).await?;
    if let Some(old) = replaced.filter(|old| Some(old) != new_file.as_ref()) {
        storage::discard(files, &storage::key(PHOTOS, &old)).await;
    }
    let list = steps(t.kind, t.owner);
    let n = list.iter().position(|x| *x == Step::Photo).unwrap_or(0);
    let next = list.get(n + 1).map(|x| x.slug()).unwrap_or("nom");
    Ok(Redirect::to(&format!("{}/{next}", t.base)).into_response())
}

const TOO_BIG: &str = "La photo est trop lourde : 2 Mo au plus. Choisissez une photo plus petite.";

/// The sent file's extension when it is an accepted image; its problems
/// (too large, not an image) under `photo`.
fn check_file(file: &[u8], errors: &mut Errors) -> Option<&'static str> {
    let extension = if file.is_empty() {
        None
    } else {
        image_extension(file)
    };
    if file.len() > MAX_PHOTO {
        errors.add("photo", TOO_BIG);
    } else if !file.is_empty() && extension.is_none() {
        errors.add(
            "photo",
            "Ce fichier n’est pas une photo JPEG, PNG ou WebP. Choisissez une autre image.",
        );
    }
    extension
}
