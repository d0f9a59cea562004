//! How handlers answer: a template rendered as a page (200, or 400 when a
//! form shows problems, 429 when asked to wait), a file to download, and the
//! audit lines a write or a sensitive read leaves (`audited`,
//! `audit_sensitive_read`, `audit_needs_read`).
//!
//! Templates mirror the code: the pages of a feature folder (`directory/`,
//! `events/`, `requests/`, `trainings/`, `admin/`) live in the template
//! folder of the same name; a module at the crate's root renders into the
//! folder of the part of the site it serves (`pages/`, `auth/`, `space/` for
//! the personal space: `space`, `my_data`, `members`). A module with several
//! pages names them `<module>_<page>.html` (`events/manage.rs` renders
//! `events/manage_list.html`, `directory/profile_form/` renders
//! `directory/profile_form_step.html`).

use askama::Template;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::{AppError, Ctx};

/// The end of a write the audit log must know of: its line, the commit of
/// it all, then `to`.
pub async fn audited(
    mut tx: epop_store::Tx,
    event: epop_store::audit::Event<'_>,
    to: &str,
) -> Result<Response, AppError> {
    epop_store::audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(Redirect::to(to).into_response())
}

/// Records that a page showed someone's sensitive data (health data, a
/// peer's situations, a request's messages) to the signed-in person
/// (action `sensitive_read`). About a profile (`profile:{slug}`), the
/// person sees the line in « Mes données ».
pub async fn audit_sensitive_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    subject: String,
    detail: String,
) -> Result<(), AppError> {
    epop_store::audit::record(conn, ctx.audit("sensitive_read", Some(subject), detail)).await?;
    Ok(())
}

/// Records that a page showed the accessibility needs (health data) of
/// `people` persons to the signed-in person, as a profile's sensitive
/// fields are (action `needs_read`); nothing when it showed none.
pub async fn audit_needs_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    subject: String,
    people: usize,
) -> Result<(), AppError> {
    if people > 0 {
        let detail = format!(
            "Lecture des besoins d’accessibilité de {}",
            crate::french::plural(people, "personne", "personnes")
        );
        epop_store::audit::record(conn, ctx.audit("needs_read", Some(subject), detail)).await?;
    }
    Ok(())
}

/// Renders a template as an HTML response.
pub fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form page again with its errors (status 400).
pub fn render_invalid(t: &impl Template) -> Result<Response, AppError> {
    Ok((StatusCode::BAD_REQUEST, Html(t.render()?)).into_response())
}

/// A form page asking to wait before trying again (status 429).
pub fn slowed(mut page: Response) -> Response {
    *page.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    page
}

/// Renders a form page: status 400 when it shows problems, 200 otherwise.
pub fn render_form(t: &impl Template, invalid: bool) -> Result<Response, AppError> {
    if invalid {
        render_invalid(t)
    } else {
        render(t)
    }
}

/// Renders a PDF off the async threads (layout and font subsetting take a
/// few ms).
pub async fn pdf(
    make: impl FnOnce() -> Result<Vec<u8>, epop_docs::pdf::PdfError> + Send + 'static,
) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(make)
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.0))
}

/// The media type of `.xlsx` files.
pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to download (never cached: exports hold personal data). The file
/// name is made of slug characters.
pub fn download(content_type: &'static str, filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
