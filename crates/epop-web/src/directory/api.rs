//! The directory as JSON (`GET /api/v1/directory`, same parameters as the
//! page), and its part of the OpenAPI document (`crate::api`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use epop_domain::directory::{PAGE_SIZE, SearchQuery};
use epop_store::directory;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::search::pairs;
use crate::api::{ApiError, ApiErrors};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/directory", get(search))
}

/// The directory's part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(paths(search), components(schemas(DirectoryPage, DirectoryItem)))]
pub struct DirectoryApi;

/// Parameters of a directory search (all optional, the same as `/annuaire`).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct DirectoryParams {
    /// Words to search, accents and case ignored.
    q: Option<String>,
    /// INSEE region code, e.g. `76`.
    region: Option<String>,
    /// INSEE département code, e.g. `31` or `2A`: profiles covering it.
    departement: Option<String>,
    /// Kind of intervention: `accompagner`, `former`, `sensibiliser`, `donner-son-avis`, `defendre-les-droits`, `creer-des-regles`.
    intervention: Option<String>,
    /// Theme slug, e.g. `sante-mentale`.
    theme: Option<String>,
    /// `sur-place` or `a-distance`.
    format: Option<String>,
    /// `fr`, `lsf` or another language.
    langue: Option<String>,
    /// `peer` or `referent`.
    profil: Option<String>,
    /// `pertinence` (default) or `nom`.
    tri: Option<String>,
    /// Page number, from 1.
    page: Option<u32>,
}

/// One page of results.
#[derive(Serialize, ToSchema)]
pub struct DirectoryPage {
    /// How many profiles match, counted up to 1,001: when
    /// `total_is_lower_bound` is true, more than 1,000 match, and only the
    /// first 1,000 are paged (pages 1 to 50); refine the search to see others.
    total: i64,
    /// True when `total` is a lower bound (more than 1,000 matches).
    total_is_lower_bound: bool,
    page: u32,
    page_size: u32,
    items: Vec<DirectoryItem>,
}

/// A profile as listed (never its sensitive fields).
#[derive(Serialize, ToSchema)]
pub struct DirectoryItem {
    slug: String,
    display_name: String,
    /// `peer` or `referent`.
    kind: String,
    /// INSEE codes of the départements covered, home first.
    departments: Vec<String>,
    interventions: Vec<String>,
    themes: Vec<String>,
    formats: Vec<String>,
    languages: Vec<String>,
    /// The profile page.
    url: String,
}

/// Search the directory.
#[utoipa::path(
    get,
    path = "/api/v1/directory",
    params(DirectoryParams),
    responses(
        (status = 200, description = "Les fiches visibles pour la personne qui demande", body = DirectoryPage),
        (status = 400, description = "Un paramètre n’est pas compris", body = ApiErrors)
    )
)]
async fn search(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let raw = pairs(&ctx.query);
    let (q, problems) = SearchQuery::from_pairs(raw.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if !problems.is_empty() {
        let errors = problems
            .into_iter()
            .map(|p| ApiError { message: p.0 })
            .collect();
        return Ok((StatusCode::BAD_REQUEST, Json(ApiErrors { errors })).into_response());
    }
    let found = directory::search_cached(&state.db, &q, &super::viewer(&ctx)).await?;
    let (cards, total) = (&found.0, found.1);
    let items = cards
        .iter()
        .map(|c| DirectoryItem {
            url: format!("{}/annuaire/{}", state.config.base_url, c.slug),
            slug: c.slug.clone(),
            display_name: c.display_name.clone(),
            kind: c.kind.code().to_owned(),
            departments: c.departments.iter().map(|(code, _)| code.clone()).collect(),
            interventions: c
                .interventions
                .iter()
                .map(|k| k.code().to_owned())
                .collect(),
            themes: c.themes.clone(),
            formats: c.formats.iter().map(|f| f.code().to_owned()).collect(),
            languages: c.languages.clone(),
        })
        .collect();
    Ok(Json(DirectoryPage {
        total,
        total_is_lower_bound: directory::total_is_lower_bound(total),
        page: q.page + 1,
        page_size: PAGE_SIZE,
        items,
    })
    .into_response())
}
