//! The lists of requests each person may see: a requester sees their
//! organisation's requests (`/espace/demandes`), a coordinator those of
//! their territory and an admin all (`/admin/demandes`), with each request's
//! page showing what was asked and every change of status.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::directory::InterventionKind;
use epop_domain::request::format_euros;
use epop_store::requests::{self, Request};

use super::{form_of, pairs_of};
use crate::context::Layout;
use crate::forms::paris_time;
use crate::pages::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/demandes", get(mine))
        .route("/admin/demandes", get(territory))
        .route("/admin/demandes/{id}", get(page))
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

fn line(r: Request) -> Line {
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
    let list = match user.account.organisation_id {
        Some(org) => requests::for_organisation(&mut conn, org).await?,
        None => Vec::new(),
    };
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

/// One step of the request's history, as read.
pub struct Step {
    pub when: String,
    pub what: &'static str,
    pub who: String,
    pub why: String,
}

#[derive(Template)]
#[template(path = "requests/page.html")]
struct Page {
    l: Layout,
    line: Line,
    f: epop_domain::request::RequestForm,
    fee: String,
    history: Vec<Step>,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let r = requests::by_public_id(&mut conn, &id)
        .await?
        .filter(|r| r.status != "draft")
        .ok_or(AppError::NotFound)?;
    if !user.principal.may_act_in(r.department_code.as_deref()) {
        return Err(AppError::Forbidden);
    }
    let history = requests::history(&mut conn, r.id)
        .await?
        .into_iter()
        .map(|(_, to, who, why, at)| Step {
            when: paris_time(at),
            what: status_label(&to),
            who: who.unwrap_or_default(),
            why: why.unwrap_or_default(),
        })
        .collect();
    let f = form_of(&pairs_of(&r.form));
    let fee = epop_domain::request::parse_euros(&f.fee)
        .ok()
        .flatten()
        .map(format_euros)
        .unwrap_or_else(|| "À discuter".into());
    let title = format!("Demande : {}", r.subject.clone().unwrap_or_default());
    render(&Page {
        l: ctx.layout(title),
        line: line(r),
        f,
        fee,
        history,
    })
}
