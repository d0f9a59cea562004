//! The indicators as files, with the same filters in the URL and the same
//! access as the `/indicateurs` page (its `choices` and `report_of`: a
//! territory not offered to the viewer is a 403, never a file):
//! `/indicateurs.csv` and `/indicateurs.xlsx` (the page's figures), and the
//! yearly report of a territory or local programme, `/indicateurs/rapport.pdf`
//! (tagged PDF, charts with their text alternative) and
//! `/indicateurs/rapport.xlsx`, for which `annee` is required. A filter the
//! page would refuse sends back to the page, which says what is wrong in
//! French under its field.

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use epop_docs::figures_export::{self, About};
use epop_domain::figures::Report;
use epop_domain::indicators::Filter;

use super::{choices, filter_of, may_see_indicators, pairs, report_of, this_year};
use crate::render::{XLSX_TYPE, download};
use crate::{AppError, AppState, Ctx};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/indicateurs.csv", get(csv))
        .route("/indicateurs.xlsx", get(xlsx))
        .route("/indicateurs/rapport.pdf", get(yearly_pdf))
        .route("/indicateurs/rapport.xlsx", get(yearly_xlsx))
}

/// The sources every file names.
pub(super) fn sources() -> Vec<String> {
    vec![
        "Les demandes d’intervention, propositions, interventions réalisées et paiements \
         enregistrés sur la plateforme EPoP."
            .to_owned(),
        "Les formations (présences par demi-journée), les événements (inscriptions et \
         présences) et les candidatures enregistrés sur EPoP."
            .to_owned(),
        "Les réponses aux questionnaires, comptées à part de l’identité des personnes.".to_owned(),
    ]
}

/// The cover of a file produced today.
pub(super) fn about() -> About {
    About {
        produced_on: crate::french::french_date(
            &crate::french::paris_today().format("%Y-%m-%d").to_string(),
        ),
        sources: sources(),
    }
}

/// The figures the page would show for this query, or the response to
/// give instead (back to the page when the filter is wrong).
async fn figures(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Result<(Filter, Report), Response>, AppError> {
    let user = ctx.require(may_see_indicators)?;
    let choices = choices(state, &user.principal).await?;
    let Ok(filter) = filter_of(&pairs(&ctx.query), this_year(), &choices) else {
        let back = format!("/indicateurs?{}", ctx.query);
        return Ok(Err(
            (StatusCode::SEE_OTHER, [(header::LOCATION, back)]).into_response()
        ));
    };
    let Some(choice) = choices.iter().find(|c| c.area == filter.area) else {
        return Err(AppError::Forbidden);
    };
    let (_, report) = report_of(state, &filter, choice).await?;
    Ok(Ok((filter, report)))
}

/// `indicateurs-region-76-2026`, `indicateurs-national-2026-01-2026-06`.
fn file_name(prefix: &str, filter: &Filter) -> String {
    let period = match filter.period.whole_year() {
        Some(y) => y.to_string(),
        None => format!("{}-{}", filter.period.from.code(), filter.period.to.code()),
    };
    let kind = filter
        .kind
        .map(|k| format!("-{}", k.code()))
        .unwrap_or_default();
    let name = format!("{prefix}-{}-{period}{kind}", filter.area.choice());
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

async fn csv(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (filter, report) = match figures(&state, &ctx).await? {
        Ok(f) => f,
        Err(back) => return Ok(back),
    };
    let bytes = figures_export::csv(&report).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("{}.csv", file_name("indicateurs", &filter)),
        bytes,
    ))
}

async fn xlsx(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (filter, report) = match figures(&state, &ctx).await? {
        Ok(f) => f,
        Err(back) => return Ok(back),
    };
    let bytes =
        figures_export::xlsx(&report, &about()).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        XLSX_TYPE,
        &format!("{}.xlsx", file_name("indicateurs", &filter)),
        bytes,
    ))
}

/// The yearly report's figures: the query must name a whole year.
async fn yearly(
    state: &AppState,
    ctx: &Ctx,
) -> Result<Result<(Filter, Report), Response>, AppError> {
    // Signed in and allowed first: the year's absence tells nothing.
    ctx.require(may_see_indicators)?;
    if pairs(&ctx.query)
        .iter()
        .all(|(k, v)| k != "annee" || v.trim().is_empty())
    {
        return Ok(Err((
            StatusCode::BAD_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Année : choisissez l’année du rapport (par exemple annee=2026).",
        )
            .into_response()));
    }
    let (filter, mut report) = match figures(state, ctx).await? {
        Ok(f) => f,
        Err(back) => return Ok(Err(back)),
    };
    if let Some(year) = filter.period.whole_year() {
        report.title = format!("Rapport annuel {year} du réseau EPoP");
    }
    Ok(Ok((filter, report)))
}

async fn yearly_pdf(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (filter, report) = match yearly(&state, &ctx).await? {
        Ok(f) => f,
        Err(other) => return Ok(other),
    };
    let about = about();
    let bytes =
        crate::render::pdf(move || epop_docs::pdf::yearly_report_pdf(&report, &about)).await?;
    Ok(download(
        "application/pdf",
        &format!("{}.pdf", file_name("rapport-annuel", &filter)),
        bytes,
    ))
}

async fn yearly_xlsx(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (filter, report) = match yearly(&state, &ctx).await? {
        Ok(f) => f,
        Err(other) => return Ok(other),
    };
    let bytes = figures_export::yearly_report_xlsx(&report, &about())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(download(
        XLSX_TYPE,
        &format!("{}.xlsx", file_name("rapport-annuel", &filter)),
        bytes,
    ))
}
