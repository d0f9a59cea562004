//! The requests a person may see, as JSON (`GET /api/v1/requests`): a
//! coordinator those of their territory, an admin all, a requester their
//! own and those its organisation's members made (`Request::seen_by`); an observer (a funder) only counts per status
//! (`GET /api/v1/requests/counts`), never a request. Documented in the
//! OpenAPI document.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use epop_domain::Role;
use epop_store::requests::{self, Request};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::api::{ApiError, ApiErrors};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/requests", get(list))
        .route("/api/v1/requests/counts", get(counts))
}

/// The requests' part of the OpenAPI document (the paths named in full, so
/// that the document keeps tagging them `crate::requests::api`).
#[derive(OpenApi)]
#[openapi(
    paths(crate::requests::api::list, crate::requests::api::counts),
    components(schemas(RequestList, RequestItem, RequestCounts))
)]
pub struct RequestsApi;

/// A request as listed (no contact details).
#[derive(Serialize, ToSchema)]
pub struct RequestItem {
    id: String,
    /// Life-cycle state: `submitted`, `qualified`, `proposed`, `accepted`,
    /// `scheduled`, `done`, `evaluated`, `closed` or `cancelled`.
    status: String,
    /// One of the six kinds of intervention.
    kind: Option<String>,
    subject: Option<String>,
    /// INSEE code of the département.
    department: Option<String>,
    organisation: Option<String>,
    /// Unix seconds.
    submitted_at: Option<i64>,
    /// The coordinator's page (for coordinators and admins).
    url: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RequestList {
    items: Vec<RequestItem>,
}

/// Requests per status, for observers: counts only.
#[derive(Serialize, ToSchema)]
pub struct RequestCounts {
    counts: BTreeMap<String, usize>,
}

fn refused(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(ApiErrors {
            errors: vec![ApiError {
                message: message.to_owned(),
            }],
        }),
    )
        .into_response()
}

/// The requests this person may see, by role and territory.
async fn visible(state: &AppState, ctx: &Ctx) -> Result<Option<(Vec<Request>, bool)>, AppError> {
    let Some(u) = &ctx.user else { return Ok(None) };
    let mut conn = state.db.conn().await?;
    let p = &u.principal;
    if p.is_admin() {
        return Ok(Some((requests::all_submitted(&mut conn).await?, true)));
    }
    if p.has(Role::Coordinator) {
        let depts: Vec<String> = p.coordinated_departments.iter().cloned().collect();
        return Ok(Some((
            requests::for_departments(&mut conn, &depts).await?,
            true,
        )));
    }
    if p.has(Role::Requester) || p.has(Role::Referent) {
        let list = requests::seen_by(&mut conn, u.account.id, u.account.organisation_id).await?;
        return Ok(Some((list, false)));
    }
    Ok(Some((Vec::new(), false)))
}

/// The intervention requests the signed-in person may see.
#[utoipa::path(
    get,
    path = "/api/v1/requests",
    responses(
        (status = 200, description = "Les demandes du territoire (coordination), toutes (administration) ou, pour un demandeur, les siennes et celles faites par les membres de son organisation", body = RequestList),
        (status = 401, description = "Connexion requise", body = ApiErrors)
    )
)]
pub(crate) async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let Some((list, links)) = visible(&state, &ctx).await? else {
        return Ok(refused(
            StatusCode::UNAUTHORIZED,
            "Connectez-vous pour voir les demandes.",
        ));
    };
    let base = &state.config.base_url;
    let items = list
        .into_iter()
        .map(|r| RequestItem {
            url: links.then(|| format!("{base}/admin/demandes/{}", r.public_id)),
            id: r.public_id,
            status: r.status,
            kind: r.kind,
            subject: r.subject,
            department: r.department_code,
            organisation: r.organisation_name,
            submitted_at: r.submitted_at,
        })
        .collect();
    Ok(Json(RequestList { items }).into_response())
}

/// Counts of the requests of the observer's territories, per status.
#[utoipa::path(
    get,
    path = "/api/v1/requests/counts",
    responses(
        (status = 200, description = "Nombre de demandes par état, dans les territoires suivis", body = RequestCounts),
        (status = 401, description = "Connexion requise", body = ApiErrors),
        (status = 403, description = "Réservé aux financeurs, à la coordination et à l’administration", body = ApiErrors)
    )
)]
pub(crate) async fn counts(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let Some(u) = &ctx.user else {
        return Ok(refused(
            StatusCode::UNAUTHORIZED,
            "Connectez-vous pour voir les chiffres.",
        ));
    };
    let p = &u.principal;
    let depts: Vec<String> = if p.is_admin() {
        Vec::new()
    } else if p.has(Role::Observer) {
        p.observed_departments.iter().cloned().collect()
    } else if p.has(Role::Coordinator) {
        p.coordinated_departments.iter().cloned().collect()
    } else {
        return Ok(refused(
            StatusCode::FORBIDDEN,
            "Ces chiffres sont réservés aux financeurs et à la coordination.",
        ));
    };
    let mut conn = state.db.conn().await?;
    let list = if p.is_admin() {
        requests::all_submitted(&mut conn).await?
    } else {
        requests::for_departments(&mut conn, &depts).await?
    };
    let mut counts = BTreeMap::new();
    for r in list {
        *counts.entry(r.status).or_insert(0) += 1;
    }
    Ok(Json(RequestCounts { counts }).into_response())
}
