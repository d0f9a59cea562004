//! What every JSON API shares: its error body (`ApiErrors`) and the OpenAPI
//! document at `/api/openapi.json`, assembled from the part each feature
//! contributes (its paths and schemas).

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::{AppError, AppState};

/// Problems with the parameters.
#[derive(Serialize, ToSchema)]
pub struct ApiErrors {
    pub errors: Vec<ApiError>,
}

#[derive(Serialize, ToSchema)]
pub struct ApiError {
    pub message: String,
}

/// The document's common part: what the API is, and the error body.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "EPoP API",
        version = "1",
        description = "API de la plateforme EPoP, réseau des intervenants-pairs. Les fiches réservées au réseau ne sont visibles qu’avec une session de membre."
    ),
    components(schemas(ApiErrors, ApiError))
)]
struct ApiDoc;

/// The OpenAPI document: the common part and each feature's part.
pub fn document(
    parts: impl IntoIterator<Item = utoipa::openapi::OpenApi>,
) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for part in parts {
        doc.merge(part);
    }
    doc
}

/// Serves `doc` at `/api/openapi.json`.
pub fn router(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let doc = Arc::new(doc);
    Router::new().route(
        "/api/openapi.json",
        get(move || async move { openapi(&doc) }),
    )
}

fn openapi(doc: &utoipa::openapi::OpenApi) -> Response {
    match doc.to_pretty_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => AppError::Internal(e.to_string()).into_response(),
    }
}
