//! The lists of requests each person may see: a requester sees their own
//! and those its organisation's members made (`/espace/demandes`,
//! [`Request::seen_by`]), a coordinator those of their territory and an
//! admin all (`/admin/demandes`), where a requester who is not a member of
//! the organisation they named shows as « organisation à vérifier ».

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use epop_domain::directory::InterventionKind;
use epop_store::requests::{self, Request};

use crate::context::Layout;
use crate::french::paris_time;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/demandes", get(mine))
        .route("/admin/demandes", get(territory))
}

/// A request in a list.
pub struct Line {
    pub r: Request,
    pub kind: &'static str,
    pub status: &'static str,
    pub submitted: String,
}

/// The words people read for a stored status.
pub fn status_label(code: &str) -> &'static str {
    match code {
        "draft" => "Brouillon",
        "submitted" => "Envoyée, en attente de la coordination",
        "qualified" => "Étudiée par la coordination",
        "proposed" => "Proposée à des intervenants-pairs",
        "accepted" => "Acceptée par un intervenant-pair",
        "scheduled" => "Programmée",
        "done" => "Réalisée",
        "evaluated" => "Évaluée",
        "closed" => "Terminée",
        "cancelled" => "Annulée",
        _ => "Inconnu",
    }
}

pub fn line(r: Request) -> Line {
    Line {
        kind: r
            .kind
            .as_deref()
            .and_then(InterventionKind::parse)
            .map(InterventionKind::label)
            .unwrap_or(""),
        status: status_label(&r.status),
        submitted: r.submitted_at.map(paris_time).unwrap_or_default(),
        r,
    }
}

#[derive(Template)]
#[template(path = "requests/list.html")]
struct List {
    l: Layout,
    lines: Vec<Line>,
    admin_links: bool,
}

async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let list = requests::seen_by(&mut conn, user.account.id, user.account.organisation_id).await?;
    render(&List {
        l: ctx.layout("Mes demandes d’intervention"),
        lines: list.into_iter().map(line).collect(),
        admin_links: false,
    })
}

async fn territory(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let list = if user.principal.is_admin() {
        requests::all_submitted(&mut conn).await?
    } else {
        let depts: Vec<String> = user
            .principal
            .coordinated_departments
            .iter()
            .cloned()
            .collect();
        requests::for_departments(&mut conn, &depts).await?
    };
    render(&List {
        l: ctx.layout("Demandes d’intervention de mon territoire"),
        lines: list.into_iter().map(line).collect(),
        admin_links: true,
    })
}
