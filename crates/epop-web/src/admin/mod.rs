//! Administration: organisations (admins), accounts with their roles and
//! territories (admins everywhere, coordinators in their départements),
//! the directory of a territory with its exports and themes, the written
//! consents coordinators record for a person, the import of
//! directory spreadsheets and the audit log (admins).

mod accounts;
mod audit_log;
mod audit_words;
mod consent;
mod directory;
pub(crate) mod import;
mod organisations;

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;

use crate::context::Layout;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard))
        .merge(organisations::router())
        .merge(accounts::router())
        .merge(audit_log::router())
        .merge(directory::router())
        .merge(consent::router())
        .merge(import::router())
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    l: Layout,
    is_admin: bool,
}

async fn dashboard(ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let is_admin = user.principal.is_admin();
    render(&Dashboard {
        l: ctx.layout("Administration"),
        is_admin,
    })
}
