//! `GET /api/v1/indicators`: the same filters, rules and report as the
//! `/indicateurs` page, as JSON: each cell as shown (« moins de 5 ») and,
//! only where the viewer may see it, its exact value. Documented in the
//! OpenAPI document.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use epop_domain::figures::{Cell, Report};
use epop_domain::indicators::Filter;
use epop_domain::questionnaire::small::Sight;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use super::{choices, filter_of, may_see_indicators, pairs, report_of, this_year};
use crate::api::{ApiError, ApiErrors};
use crate::{AppError, AppState, Ctx};

/// The indicators' part of the OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    paths(crate::indicators::api::indicators),
    components(schemas(IndicatorsBody, FilterBody, SectionBody, RowBody, CellBody))
)]
pub struct IndicatorsApi;

/// The figures of one filter.
#[derive(Serialize, ToSchema)]
pub struct IndicatorsBody {
    pub filter: FilterBody,
    pub title: String,
    /// The territory and period in words.
    pub scope: String,
    /// `true` when every figure is exact (the coordination of the
    /// territory); `false` when figures about fewer than 5 people are
    /// hidden.
    pub exact: bool,
    pub sections: Vec<SectionBody>,
}

/// The filter as understood.
#[derive(Serialize, ToSchema)]
pub struct FilterBody {
    /// The query that gives these figures back.
    pub query: String,
    /// First month, `AAAA-MM`.
    pub from: String,
    /// Last month (included), `AAAA-MM`.
    pub to: String,
    /// `national`, `region-76`, `departement-31` or `programme-<slug>`.
    pub territory: String,
    /// A kind of intervention's code, or none.
    pub kind: Option<String>,
}

/// One table of figures.
#[derive(Serialize, ToSchema)]
pub struct SectionBody {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub note: String,
    /// `none`, `bars`, `months` or `parts`.
    pub chart: String,
    pub columns: Vec<String>,
    pub rows: Vec<RowBody>,
}

#[derive(Serialize, ToSchema)]
pub struct RowBody {
    pub label: String,
    pub cells: Vec<CellBody>,
}

/// One value: as shown, and its exact value when the viewer may see it.
#[derive(Serialize, ToSchema)]
pub struct CellBody {
    /// As French people read it (« 1 234 », « moins de 5 », « 42 % »).
    pub shown: String,
    /// `count`, `cents`, `tenths` (a number with one decimal, in `unit`),
    /// `percent` or `text`.
    pub kind: String,
    /// The exact value (`null` when hidden or words).
    pub value: Option<i64>,
    /// The unit of `tenths` (« jours », « heures »).
    pub unit: Option<String>,
}

fn cell(c: &Cell) -> CellBody {
    let (kind, value, unit) = match c {
        Cell::Count(f) => ("count", f.exact().map(|n| n as i64), None),
        Cell::Money(cents) => ("cents", Some(*cents), None),
        Cell::Decimal { tenths, unit } => ("tenths", Some(*tenths), Some((*unit).to_owned())),
        Cell::Percent(p) => ("percent", p.map(|p| p as i64), None),
        Cell::Text(_) => ("text", None, None),
    };
    CellBody {
        shown: c.shown(),
        kind: kind.into(),
        value,
        unit,
    }
}

fn body(filter: &Filter, report: Report, sight: Sight) -> IndicatorsBody {
    IndicatorsBody {
        filter: FilterBody {
            query: filter.to_query(),
            from: filter.period.from.code(),
            to: filter.period.to.code(),
            territory: filter.area.choice(),
            kind: filter.kind.map(|k| k.code().to_owned()),
        },
        title: report.title,
        scope: report.scope,
        exact: sight == Sight::Exact,
        sections: report
            .sections
            .into_iter()
            .map(|s| SectionBody {
                chart: format!("{:?}", s.chart).to_lowercase(),
                code: s.code,
                title: s.title,
                summary: s.summary,
                note: s.note,
                columns: s.columns,
                rows: s
                    .rows
                    .iter()
                    .map(|r| RowBody {
                        label: r.label.clone(),
                        cells: r.cells.iter().map(cell).collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn refused(status: StatusCode, messages: Vec<String>) -> Response {
    (
        status,
        Json(ApiErrors {
            errors: messages
                .into_iter()
                .map(|message| ApiError { message })
                .collect(),
        }),
    )
        .into_response()
}

/// The indicators of a period and territory, as the signed-in person may
/// see them.
#[utoipa::path(
    get,
    path = "/api/v1/indicators",
    params(
        ("annee" = Option<i32>, Query, description = "Une année (par défaut l’année en cours)"),
        ("du" = Option<String>, Query, description = "Premier mois, AAAA-MM (avec `au`, au lieu de `annee`)"),
        ("au" = Option<String>, Query, description = "Dernier mois compris, AAAA-MM"),
        ("region" = Option<String>, Query, description = "Code INSEE d’une région"),
        ("departement" = Option<String>, Query, description = "Code INSEE d’un département"),
        ("programme" = Option<String>, Query, description = "Adresse (slug) d’un programme local"),
        ("type" = Option<String>, Query, description = "Code d’un type d’intervention")
    ),
    responses(
        (status = 200, description = "Les chiffres, tels que la personne connectée peut les voir : moins de 5 personnes se lit « moins de 5 » sauf pour la coordination du territoire", body = IndicatorsBody),
        (status = 400, description = "Un filtre n’est pas compris : un message en français par filtre", body = ApiErrors),
        (status = 401, description = "Connexion requise", body = ApiErrors),
        (status = 403, description = "Réservé à la coordination, aux financeurs et observateurs de ce territoire et à l’administration", body = ApiErrors)
    )
)]
pub(crate) async fn indicators(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let Some(user) = &ctx.user else {
        return Ok(refused(
            StatusCode::UNAUTHORIZED,
            vec!["Connectez-vous pour voir les indicateurs.".into()],
        ));
    };
    let forbidden = || {
        refused(
            StatusCode::FORBIDDEN,
            vec!["Ces chiffres ne sont pas ouverts à votre compte pour ce territoire.".into()],
        )
    };
    if !may_see_indicators(&user.principal) {
        return Ok(forbidden());
    }
    let choices = choices(&state, &user.principal).await?;
    let filter = match filter_of(&pairs(&ctx.query), this_year(), &choices) {
        Ok(f) => f,
        Err(problems) => {
            return Ok(refused(
                StatusCode::BAD_REQUEST,
                problems.into_iter().map(|(_, e)| e.0).collect(),
            ));
        }
    };
    let Some(choice) = choices.iter().find(|c| c.area == filter.area) else {
        return Ok(forbidden());
    };
    let (_, report) = report_of(&state, &filter, choice).await?;
    Ok(Json(body(&filter, report, choice.sight)).into_response())
}
