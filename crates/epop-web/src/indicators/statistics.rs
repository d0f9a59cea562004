//! The public statistics, open to everyone without signing in:
//! `/statistiques` shows the figures of the whole country or of one région
//! for this year or the last, always masked (fewer than 5 people read
//! « moins de 5 », whoever looks, admins included), through the same report
//! builder and section partial as `/indicateurs`; `?version=facile` gives
//! the year in easy-to-read sentences (`epop_domain::easy_figures`).
//! `/statistiques.csv` is the same figures as open data under the Licence
//! Ouverte 2.0, its columns described on the page (`#colonnes`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use epop_docs::figures_export;
use epop_domain::figures::Report;
use epop_domain::indicators::{Area, Filter};
use epop_domain::questionnaire::small::Sight;
use epop_store::territories;

use super::page::Opt;
use super::{Choice, report_of, this_year};
use crate::context::Layout;
use crate::forms::Errors;
use crate::render::{download, render, render_invalid};
use crate::{AppError, AppState, Ctx};

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/statistiques", get(page))
        .route("/statistiques.csv", get(open_data))
}

/// The open-data CSV's columns and what each holds, said on the page.
pub const COLUMNS: [(&str, &str); 8] = [
    (
        "annee",
        "L’année des chiffres (du 1er janvier au 31 décembre).",
    ),
    (
        "territoire",
        "« France entière » ou le nom de la région dont les chiffres sont comptés.",
    ),
    (
        "code_section",
        "Le code du sujet, le même d’une année à l’autre (par exemple demandes, formations).",
    ),
    ("section", "Le titre du sujet, tel que la page le montre."),
    (
        "ligne",
        "Ce qui est compté (une étape, un mois, un type d’intervention…).",
    ),
    (
        "colonne",
        "Ce que dit le chiffre de cette ligne (par exemple Demandes, Inscriptions).",
    ),
    (
        "valeur",
        "Le chiffre : un nombre entier, ou avec une virgule décimale (12,5) ; « moins de 5 » \
         quand il porte sur 1 à 4 personnes ; « non communiqué » ou des mots quand il ne peut \
         pas être dit.",
    ),
    (
        "unite",
        "L’unité du chiffre quand il en a une : jours, heures, € ou %.",
    ),
];

#[derive(Template)]
#[template(path = "indicators/statistics.html")]
struct Page {
    l: Layout,
    errors: Errors,
    easy: bool,
    years: Vec<Opt>,
    regions: Vec<Opt>,
    report: Option<Report>,
    sentences: Vec<String>,
    query: String,
    columns: &'static [(&'static str, &'static str)],
}

/// The région codes and names, in name order.
async fn regions(state: &AppState) -> Result<Vec<(String, String, Vec<String>)>, AppError> {
    let mut conn = state.db.conn().await?;
    let places = territories::places(&mut conn).await?;
    let mut regions: Vec<(String, String, Vec<String>)> = Vec::new();
    for p in places {
        match regions.iter_mut().find(|r| r.0 == p.region_code) {
            Some(r) => r.2.push(p.code),
            None => regions.push((p.region_code, p.region_name, vec![p.code])),
        }
    }
    regions.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(regions)
}

/// What the query asks for: the year (this one or the last) and the
/// territory (national, or a région by its code), or the French problems.
struct Asked {
    year: i32,
    region: Option<(String, String, Vec<String>)>,
}

fn read(
    ctx: &Ctx,
    this_year: i32,
    regions: &[(String, String, Vec<String>)],
    errors: &mut Errors,
) -> Asked {
    let year = match ctx.query_param("annee").filter(|y| !y.trim().is_empty()) {
        None => this_year,
        Some(y) => match y.trim().parse::<i32>() {
            Ok(y) if y == this_year || y == this_year - 1 => y,
            _ => {
                errors.add(
                    "annee",
                    format!(
                        "Année : les statistiques publiques couvrent {} et {this_year}. Choisissez l’une des deux.",
                        this_year - 1
                    ),
                );
                this_year
            }
        },
    };
    let region = match ctx.query_param("region").filter(|r| !r.trim().is_empty()) {
        None => None,
        Some(code) => match regions.iter().find(|r| r.0 == code.trim()) {
            Some(r) => Some(r.clone()),
            None => {
                errors.add(
                    "region",
                    "Région : choisissez une région dans la liste, ou la France entière.",
                );
                None
            }
        },
    };
    Asked { year, region }
}

/// The public figures of what was asked, always masked.
async fn figures(state: &AppState, asked: &Asked) -> Result<(Filter, Report, String), AppError> {
    let mut filter = Filter::year(asked.year);
    let (choice, territory) = match &asked.region {
        None => (
            Choice {
                area: Area::National,
                name: "la France entière".into(),
                group: "France",
                departments: None,
                sight: Sight::Masked,
            },
            "France entière".to_owned(),
        ),
        Some((code, name, departments)) => {
            let region = epop_domain::RegionCode::parse(code)
                .map_err(|e| AppError::Internal(e.0.clone()))?;
            (
                Choice {
                    area: Area::Region(region),
                    name: name.clone(),
                    group: "Régions",
                    departments: Some(departments.clone()),
                    sight: Sight::Masked,
                },
                name.clone(),
            )
        }
    };
    filter.area = choice.area.clone();
    let key = filter.to_query();
    if let Some(report) = state.statistics.get(&key) {
        return Ok((filter, (*report).clone(), territory));
    }
    let generation = epop_store::cache::generation();
    let (_, report) = report_of(state, &filter, &choice).await?;
    state
        .statistics
        .put(key, generation, std::sync::Arc::new(report.clone()));
    Ok((filter, report, territory))
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let year = this_year();
    let regions = regions(&state).await?;
    let mut errors = Errors::default();
    let asked = read(&ctx, year, &regions, &mut errors);
    let chosen = asked
        .region
        .as_ref()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let title = ctx.words("Statistiques publiques du réseau", "Les chiffres du réseau");
    let mut page = Page {
        l: ctx.layout_with_errors(title, !errors.is_empty()),
        errors,
        easy: ctx.easy,
        years: [year, year - 1]
            .into_iter()
            .map(|y| Opt {
                value: y.to_string(),
                label: y.to_string(),
                selected: y == asked.year,
            })
            .collect(),
        regions: std::iter::once(Opt {
            value: String::new(),
            label: "La France entière".into(),
            selected: chosen.is_empty(),
        })
        .chain(regions.iter().map(|r| Opt {
            value: r.0.clone(),
            label: r.1.clone(),
            selected: r.0 == chosen,
        }))
        .collect(),
        report: None,
        sentences: Vec::new(),
        query: String::new(),
        columns: &COLUMNS,
    };
    if !page.errors.is_empty() {
        return render_invalid(&page);
    }
    let (_, report, _) = figures(&state, &asked).await?;
    page.query = match &asked.region {
        Some(r) => format!("annee={}&region={}", asked.year, r.0),
        None => format!("annee={}", asked.year),
    };
    page.sentences = epop_domain::easy_figures::sentences(&report);
    page.report = Some(report);
    render(&page)
}

async fn open_data(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let year = this_year();
    let regions = regions(&state).await?;
    let mut errors = Errors::default();
    let asked = read(&ctx, year, &regions, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::NotFound);
    }
    let (filter, report, territory) = figures(&state, &asked).await?;
    let bytes = figures_export::open_data_csv(&report, asked.year, &territory)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let name = format!(
        "statistiques-epop-{}-{}.csv",
        filter.area.choice(),
        asked.year
    );
    Ok(download("text/csv; charset=utf-8", &name, bytes))
}
