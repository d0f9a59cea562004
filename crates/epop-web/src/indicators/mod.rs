//! `/indicateurs` and `GET /api/v1/indicators`: the network's figures for
//! a period, a territory and a kind of intervention chosen in the URL, as
//! the viewer may see them (`epop_domain::indicators::sight`): coordinators
//! their territories exactly, observers and funders the territories they
//! are given with figures of fewer than 5 people hidden, admins all. The
//! territories offered are those the viewer may see; any other, typed in
//! the URL, is refused (403). Both views build the same
//! `figures::Report`; the page renders it through
//! `partials/report_section.html`, the API gives it as JSON with the exact
//! numbers beside the cells only where the viewer sees them.

mod api;
mod exports;
mod page;
mod statistics;

use axum::Router;
use axum::routing::get;
use epop_domain::indicators::{self, Area, Filter};
use epop_domain::questionnaire::small::Sight;
use epop_domain::{Principal, Role};
use epop_store::programmes::{self, Programme};
use epop_store::territories::{self, Place};

use crate::{AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/indicateurs", get(page::page))
        .route("/api/v1/indicators", get(api::indicators))
        .merge(exports::router())
        .merge(statistics::router())
}

pub fn api_doc() -> utoipa::openapi::OpenApi {
    <api::IndicatorsApi as utoipa::OpenApi>::openapi()
}

/// Whether this person may open the indicators at all (each territory is
/// checked on its own).
pub fn may_see_indicators(p: &Principal) -> bool {
    p.is_admin() || p.has(Role::Coordinator) || p.has(Role::Observer)
}

/// A territory the viewer may choose, with what it covers.
pub struct Choice {
    pub area: Area,
    /// « Occitanie », « Haute-Garonne (31) », « la France entière ».
    pub name: String,
    /// Which group of the list it goes in.
    pub group: &'static str,
    /// `None`: the whole country.
    pub departments: Option<Vec<String>>,
    pub sight: Sight,
}

/// Every territory `p` may see, national first, then régions, départements
/// and local programmes, each with how `p` sees it.
pub async fn choices(state: &AppState, p: &Principal) -> Result<Vec<Choice>, AppError> {
    let mut conn = state.db.conn().await?;
    let places = territories::places(&mut conn).await?;
    let programmes = programmes::list(&mut conn).await?;
    Ok(offered(p, &places, &programmes))
}

fn offered(p: &Principal, places: &[Place], programmes: &[Programme]) -> Vec<Choice> {
    let mut out = Vec::new();
    let mut push = |area: Area,
                    name: String,
                    group,
                    departments: Option<Vec<String>>,
                    coordinators: &[i64]| {
        let depts = departments.clone().unwrap_or_default();
        if let Some(sight) = indicators::sight(p, &area, &depts, coordinators) {
            out.push(Choice {
                area,
                name,
                group,
                departments,
                sight,
            });
        }
    };
    push(
        Area::National,
        "La France entière".into(),
        "France",
        None,
        &[],
    );
    let mut regions: Vec<(&str, &str)> = places
        .iter()
        .map(|pl| (pl.region_code.as_str(), pl.region_name.as_str()))
        .collect();
    regions.sort();
    regions.dedup();
    for (code, name) in regions {
        let Ok(region) = epop_domain::RegionCode::parse(code) else {
            continue;
        };
        let depts = places
            .iter()
            .filter(|pl| pl.region_code == code)
            .map(|pl| pl.code.clone())
            .collect();
        push(
            Area::Region(region),
            name.to_owned(),
            "Régions",
            Some(depts),
            &[],
        );
    }
    for pl in places {
        let Ok(dept) = epop_domain::DepartmentCode::parse(&pl.code) else {
            continue;
        };
        push(
            Area::Department(dept),
            format!("{} ({})", pl.name, pl.code),
            "Départements",
            Some(vec![pl.code.clone()]),
            &[],
        );
    }
    for prog in programmes {
        push(
            Area::Programme(prog.slug.clone()),
            prog.name.clone(),
            "Programmes locaux",
            Some(prog.department_codes()),
            &prog.coordinator_ids,
        );
    }
    out
}

/// The query's pairs, read leniently (a malformed query reads as none).
pub fn pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// The filter of the query; when it names no territory, the first one the
/// viewer may see (the whole country for admins).
pub fn filter_of(
    pairs: &[(String, String)],
    this_year: i32,
    choices: &[Choice],
) -> Result<Filter, epop_domain::text::Problems> {
    let mut f = Filter::parse(pairs, this_year)?;
    let named = ["territoire", "region", "departement", "programme"]
        .iter()
        .any(|k| pairs.iter().any(|(n, v)| n == k && !v.trim().is_empty()));
    if !named && let Some(first) = choices.first() {
        f.area = first.area.clone();
    }
    Ok(f)
}

/// The figures and report of `filter` for a territory the viewer may see.
pub async fn report_of(
    state: &AppState,
    filter: &Filter,
    choice: &Choice,
) -> Result<(indicators::Indicators, epop_domain::figures::Report), AppError> {
    let ind = epop_store::indicators::compute(
        &state.db,
        filter,
        choice.departments.as_deref(),
        epop_store::now(),
    )
    .await?;
    let place = if choice.area == Area::National {
        "la France entière".to_owned()
    } else {
        choice.name.clone()
    };
    let report = indicators::report::report(&ind, filter, &place, choice.sight);
    Ok((ind, report))
}

/// The current year in France.
pub fn this_year() -> i32 {
    use chrono::Datelike;
    crate::french::paris_today().year()
}
