//! `/programmes`: the local programmes grouped by region and status, and
//! each programme's page, ordinary or easy-read (`?version=facile`). The
//! figures are computed at each visit from the platform's data; figures
//! about people below 5 show « moins de 5 » except to whoever coordinates
//! the programme or its territory.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_domain::Principal;
use epop_domain::programme::Status;
use epop_store::programmes::{self, Figures, Programme};

use crate::context::Layout;
use crate::render::render;
use crate::share::Share;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/programmes", get(list))
        .route("/programmes/{slug}", get(page))
}

/// The programmes of one status in a region.
struct StatusGroup {
    label: &'static str,
    programmes: Vec<Programme>,
}

struct RegionGroup {
    region: String,
    statuses: Vec<StatusGroup>,
}

#[derive(Template)]
#[template(path = "programmes/list.html")]
struct List {
    l: Layout,
    regions: Vec<RegionGroup>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let all = programmes::list(&mut conn).await?;
    let mut by_region: BTreeMap<String, Vec<Programme>> = BTreeMap::new();
    for p in all {
        for region in p.regions() {
            by_region
                .entry(epop_domain::text::fold(&region))
                .or_default()
                .push(p.clone());
        }
    }
    let regions = by_region
        .into_values()
        .map(|ps| RegionGroup {
            region: ps
                .first()
                .and_then(|p| p.regions().into_iter().next())
                .unwrap_or_default(),
            statuses: Status::ALL
                .into_iter()
                .map(|s| StatusGroup {
                    label: s.label(),
                    programmes: ps.iter().filter(|p| p.status == s).cloned().collect(),
                })
                .filter(|g| !g.programmes.is_empty())
                .collect(),
        })
        .collect();
    let title = ctx.words(
        "Expérimentations locales et déploiements",
        "Les programmes dans les régions",
    );
    render(&List {
        l: ctx.layout(title),
        regions,
    })
}

/// One figure of « Ce que le programme a produit », with what it counts.
struct Figure {
    label: &'static str,
    value: String,
    counts: &'static str,
}

/// A count of people: « moins de 5 » from 1 to 4 unless `exact`.
fn people(n: i64, exact: bool) -> String {
    if !exact && (1..5).contains(&n) {
        "moins de 5".to_owned()
    } else {
        n.to_string()
    }
}

fn figures(f: &Figures, exact: bool, easy: bool) -> Vec<Figure> {
    let pick = |ordinary, simple| if easy { simple } else { ordinary };
    vec![
        Figure {
            label: pick("Intervenants-pairs formés", "Personnes formées"),
            value: people(f.peers_trained, exact),
            counts: pick(
                "Les personnes qui habitent un des départements du programme et qui ont terminé la formation des intervenants-pairs pendant ses années : formation terminée sur la plateforme (certificat), ou formation notée sur leur fiche par la coordination.",
                "Les personnes qui habitent dans les départements du programme. Elles ont fini la formation pour devenir intervenant-pair pendant le programme.",
            ),
        },
        Figure {
            label: pick("Interventions réalisées", "Interventions faites"),
            value: f.interventions_done.to_string(),
            counts: pick(
                "Les demandes d’intervention de ces départements que la coordination a marquées «\u{a0}réalisée\u{a0}» pendant ces années.",
                "Un intervenant-pair est venu dans une organisation de ces départements.",
            ),
        },
        Figure {
            label: pick("Événements tenus", "Rencontres organisées"),
            value: f.events_held.to_string(),
            counts: pick(
                "Les événements et réunions d’information de ces départements qui ont eu lieu pendant ces années, sans ceux qui ont été annulés. Les événements en ligne sans département ne comptent pas.",
                "Les rencontres dans ces départements pendant le programme. Les rencontres annulées ne comptent pas.",
            ),
        },
        Figure {
            label: pick("Personnes touchées", "Personnes rencontrées"),
            value: people(f.people_reached(), exact),
            counts: pick(
                "Les personnes notées présentes à ces événements, plus le public annoncé par les organisations pour ces interventions. Une personne venue deux fois compte deux fois.",
                "Les personnes venues aux rencontres, et le public des interventions.",
            ),
        },
    ]
}

/// Whoever coordinates the programme or one of its départements (or an
/// admin) reads the exact figures and the link to edit.
fn coordinates(p: &Programme, principal: Option<&Principal>) -> (bool, bool) {
    let Some(u) = principal else {
        return (false, false);
    };
    let may_edit = u.may_edit_programme(&p.coordinator_ids);
    let exact = may_edit || p.departments.iter().any(|d| u.coordinates(&d.code));
    (exact, may_edit)
}

#[derive(Template)]
#[template(path = "programmes/show.html")]
struct Page {
    l: Layout,
    p: Programme,
    years: String,
    period: String,
    carrier_sentence: &'static str,
    figures: Vec<Figure>,
    may_edit: bool,
    share: Share,
    /// Under the easy-read aims: their review's mark, or « à faire ».
    review: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let p = programmes::by_slug(&mut conn, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let f = programmes::figures(&mut conn, &p, epop_store::now()).await?;
    drop(conn);
    let (exact, may_edit) = coordinates(&p, ctx.user.as_ref().map(|u| &u.principal));
    let title = if ctx.easy {
        format!("{} – version facile à lire", p.name)
    } else {
        p.name.clone()
    };
    let years = super::years_of(&p);
    let share = Share::new(
        &state.config.base_url,
        &format!("/programmes/{}", p.slug),
        "ce programme",
        &p.name,
        &format!(
            "{} ({years}), porté par {} : ses objectifs et ce qu’il a produit sur la page",
            p.name, p.carrier
        ),
        &format!(
            "« {} » est un programme pour les intervenants-pairs. Il a lieu {}. Pour en savoir plus, allez sur cette page :",
            p.name,
            if p.start_year == p.end_year {
                format!("en {}", p.start_year)
            } else {
                format!("de {} à {}", p.start_year, p.end_year)
            }
        ),
    );
    let review = crate::review_mark::footer_of_page(
        &state,
        ctx.easy,
        epop_domain::easy_review::Subject::Programme,
        &p.slug,
        &p.aims_easy,
    )
    .await?;
    render(&Page {
        l: ctx.layout(title),
        review,
        share,
        years,
        period: format!(
            "du 1er janvier {} au 31 décembre {}",
            p.start_year, p.end_year
        ),
        carrier_sentence: if ctx.easy {
            p.carrier_kind.sentence_easy()
        } else {
            p.carrier_kind.sentence()
        },
        figures: figures(&f, exact, ctx.easy),
        may_edit,
        p,
    })
}
