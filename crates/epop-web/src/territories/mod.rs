//! `/territoires`: the 18 régions on a map of France and as a list, then
//! each région (`/territoires/{region}`) and each département
//! (`/territoires/{region}/{departement}`) with what happens there: its
//! coordination (and « Écrire à la coordination »), its local programmes,
//! its trained peer workers and référents (counted from the data; public
//! profiles named, the others only counted), its upcoming events and
//! training sessions, and « Partager ». Public pages, each from a few grouped
//! queries (never one per département).
//!
//! Counts of people below 5 read « moins de 5 » except for the
//! coordination of the territory (and admins), as every figure about
//! people does outside it.

mod view;

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use epop_store::programmes::{self, Programme};
use epop_store::territories::{self, Facts, Named, Place, Upcoming};
use std::sync::Arc;

use crate::context::Layout;
use crate::map::{self, Level, Markup};
use crate::render::render;
use crate::share::Share;
use crate::{AppError, AppState, Ctx};
use view::{Figures, Legend, PersonView, ProgrammeView, Row, UpcomingView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/territoires", get(france))
        .route("/territoires/{region}", get(region))
        .route("/territoires/{region}/{departement}", get(department))
}

/// Every département with its région, and the figures of those that have
/// any: read once, then through the process's read cache (any write drops
/// it), as every territories page starts from them.
pub struct Known {
    places: Vec<Place>,
    facts: BTreeMap<String, Facts>,
    programmes: Vec<Programme>,
}

async fn known(state: &AppState) -> Result<Arc<Known>, AppError> {
    if let Some(k) = state.territories.get("") {
        return Ok(k);
    }
    let generation = epop_store::cache::generation();
    let mut conn = state.db.conn().await?;
    let k = Arc::new(Known {
        places: territories::places(&mut conn).await?,
        facts: territories::facts(&mut conn).await?,
        programmes: programmes::list(&mut conn).await?,
    });
    state.territories.put(String::new(), generation, k.clone());
    Ok(k)
}

#[derive(Template)]
#[template(path = "territories/france.html")]
struct France {
    l: Layout,
    map: Markup,
    legend: Vec<Legend>,
    /// The 18 régions.
    rows: Vec<Row>,
}

async fn france(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let known = known(&state).await?;
    let (places, facts) = (&known.places, &known.facts);
    let mut conn = state.db.conn().await?;
    let upcoming = territories::upcoming(&mut conn, epop_store::now(), None).await?;
    let mut by_region: BTreeMap<&str, Vec<&Place>> = BTreeMap::new();
    for p in places {
        by_region.entry(&p.region_code).or_default().push(p);
    }
    let mut regions: Vec<Row> = by_region
        .values()
        .map(|depts| {
            let first = depts[0];
            Row::new(
                &first.region_code,
                &first.region_name,
                format!("/territoires/{}", first.region_slug),
                Figures::of(&ctx, depts, facts, &upcoming, &known.programmes),
            )
        })
        .collect();
    regions.sort_by_cached_key(|r| epop_domain::text::fold(&r.name));
    let title = ctx.words("Les territoires", "Le réseau près de chez vous");
    render(&France {
        map: map::regions(
            "Carte des régions de France",
            &regions.iter().map(Row::area).collect::<Vec<_>>(),
        ),
        l: ctx.layout(title),
        legend: Legend::all(),
        rows: regions,
    })
}

/// A région's or a département's page.
#[derive(Template)]
#[template(path = "territories/place.html")]
struct PlacePage {
    l: Layout,
    /// The département's page (`false`: the région's).
    is_department: bool,
    name: String,
    /// The région: its name and its page (on a département's page).
    region_name: String,
    region_href: String,
    figures: Figures,
    map: Markup,
    legend: Vec<Legend>,
    /// The région's départements (on both pages: the map's areas).
    rows: Vec<Row>,
    upcoming: Vec<UpcomingView>,
    people: Vec<PersonView>,
    /// Public profiles not named here (past the first [`NAMED`]), in
    /// figures; « 0 » when all are.
    more_people: String,
    /// The directory's search for this territory.
    directory_href: String,
    /// The toolbox's resources for this territory (and the national ones).
    toolbox_href: String,
    programmes: Vec<ProgrammeView>,
    /// The latest news of this place, its région and the whole country.
    news_items: Vec<epop_store::news::News>,
    /// « Écrire à la coordination » of this place.
    contact_href: String,
    share: Share,
}

/// The news published for these départements, their région or the whole
/// country, the latest first.
async fn latest_news(
    conn: &mut epop_store::Conn,
    codes: &[String],
) -> Result<Vec<epop_store::news::News>, AppError> {
    Ok(epop_store::news::list(
        conn,
        &epop_store::news::Filter {
            published_by: Some(epop_store::now()),
            departments: Some(codes),
            limit: Some(5),
            ..Default::default()
        },
    )
    .await?)
}

/// `departement=31` or `region=76`: the place of a page, in a link.
fn place_query(current: Option<&Place>, first: &Place) -> String {
    match current {
        Some(c) => format!("departement={}", c.code),
        None => format!("region={}", first.region_code),
    }
}

/// How many public profiles a page names at most (the directory has them all).
const NAMED: i64 = 40;

async fn region(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    place_page(&state, &ctx, &slug, None).await
}

async fn department(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((region, departement)): Path<(String, String)>,
) -> Result<Response, AppError> {
    place_page(&state, &ctx, &region, Some(&departement)).await
}

async fn place_page(
    state: &AppState,
    ctx: &Ctx,
    region_slug: &str,
    department_slug: Option<&str>,
) -> Result<Response, AppError> {
    let known = known(state).await?;
    let (places, facts) = (&known.places, &known.facts);
    let in_region: Vec<&Place> = places
        .iter()
        .filter(|p| p.region_slug == region_slug)
        .collect();
    let first = *in_region.first().ok_or(AppError::NotFound)?;
    let current = match department_slug {
        Some(slug) => Some(
            *in_region
                .iter()
                .find(|p| p.slug == slug)
                .ok_or(AppError::NotFound)?,
        ),
        None => None,
    };
    let shown: Vec<&Place> = current.map_or_else(|| in_region.clone(), |c| vec![c]);
    let codes: Vec<String> = shown.iter().map(|p| p.code.clone()).collect();
    let mut conn = state.db.conn().await?;
    let region_codes: Vec<String> = in_region.iter().map(|p| p.code.clone()).collect();
    let upcoming = territories::upcoming(&mut conn, epop_store::now(), Some(&region_codes)).await?;
    let (named, public) = territories::named(&mut conn, &codes, NAMED).await?;
    let news_items = latest_news(&mut conn, &codes).await?;
    let names: BTreeMap<&str, &str> = places
        .iter()
        .map(|p| (p.code.as_str(), p.name.as_str()))
        .collect();
    let rows: Vec<Row> = in_region
        .iter()
        .map(|p| {
            let mut row = Row::new(
                &p.code,
                &format!("{} ({})", p.name, p.code),
                format!("/territoires/{}/{}", p.region_slug, p.slug),
                Figures::of(
                    ctx,
                    std::slice::from_ref(p),
                    facts,
                    &upcoming,
                    &known.programmes,
                ),
            );
            row.current = current.is_some_and(|c| c.code == p.code);
            row
        })
        .collect();
    let (name, map_title) = match current {
        Some(c) => (
            format!("{} ({})", c.name, c.code),
            format!("Carte des départements de {}", first.region_name),
        ),
        None => (
            first.region_name.clone(),
            format!("Carte des départements de {}", first.region_name),
        ),
    };
    let title = if ctx.easy {
        format!("{name} – version facile à lire")
    } else {
        name.clone()
    };
    let path = match current {
        Some(c) => format!("/territoires/{}/{}", first.region_slug, c.slug),
        None => format!("/territoires/{}", first.region_slug),
    };
    let share = Share::new(
        &state.config.base_url,
        &path,
        "cette page",
        &format!("Le réseau des intervenants-pairs : {name}"),
        &format!(
            "Le réseau des intervenants-pairs, {name} : coordination, personnes formées, événements et formations à venir sur la page"
        ),
        &format!(
            "Vous voulez savoir ce que fait le réseau des intervenants-pairs, {name} ? Allez sur cette page :"
        ),
    );
    let (directory_href, toolbox_href) =
        searches_of(current.map(|c| c.code.as_str()), &first.region_code);
    render(&PlacePage {
        map: map::departments(
            &map_title,
            Some(&first.region_code),
            &rows.iter().map(Row::area).collect::<Vec<_>>(),
        ),
        l: ctx.layout(title),
        is_department: current.is_some(),
        figures: Figures::of(ctx, &shown, facts, &upcoming, &known.programmes),
        programmes: programmes_in(&known.programmes, &shown)
            .map(ProgrammeView::new)
            .collect(),
        contact_href: format!("/ecrire-a-la-coordination?{}", place_query(current, first)),
        share,
        news_items,
        region_name: first.region_name.clone(),
        region_href: format!("/territoires/{}", first.region_slug),
        name,
        legend: Legend::all(),
        rows,
        upcoming: upcoming
            .iter()
            .filter(|u| codes.contains(&u.department))
            .map(|u| UpcomingView::new(u, &names))
            .collect(),
        people: named
            .iter()
            .map(|n: &Named| PersonView::new(n, &names))
            .collect(),
        more_people: view::grouped(public - named.len() as i64),
        directory_href,
        toolbox_href,
    })
}

/// The directory's and the toolbox's searches for a département, or for
/// its region when `department` is `None`.
fn searches_of(department: Option<&str>, region: &str) -> (String, String) {
    match department {
        Some(d) => (
            format!("/annuaire?departement={d}"),
            format!("/boite-a-outils?territoire=departement-{d}"),
        ),
        None => (
            format!("/annuaire?region={region}"),
            format!("/boite-a-outils?territoire=region-{region}"),
        ),
    }
}

/// Upcoming items of these départements.
fn upcoming_in<'a>(
    upcoming: &'a [Upcoming],
    places: &'a [&Place],
) -> impl Iterator<Item = &'a Upcoming> {
    upcoming
        .iter()
        .filter(|u| places.iter().any(|p| p.code == u.department))
}

/// Programmes of these départements.
fn programmes_in<'a>(
    programmes: &'a [Programme],
    places: &'a [&Place],
) -> impl Iterator<Item = &'a Programme> {
    programmes.iter().filter(|g| {
        g.departments
            .iter()
            .any(|d| places.iter().any(|p| p.code == d.code))
    })
}

/// The level of an area on the map.
fn level(f: &Figures) -> Level {
    if f.coordinated > 0 && f.trained_peers > 0 {
        Level::High
    } else if f.coordinated > 0
        || f.programmes > 0
        || f.trained_peers > 0
        || f.referents > 0
        || f.events > 0
        || f.trainings > 0
    {
        Level::Middle
    } else {
        Level::Low
    }
}
