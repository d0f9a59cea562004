//! `/annuaire`: the search form and its results.

use std::sync::Arc;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use epop_domain::directory::{Format, InterventionKind, PAGE_SIZE, SearchQuery, Sort};
use epop_store::cache;
use epop_store::directory::{self, Card, Theme};
use epop_store::territories::{self, Department, Region};

use crate::context::Layout;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/annuaire", get(page))
}

/// A card as the results list shows it.
pub struct CardView {
    pub slug: String,
    pub name: String,
    pub kind: &'static str,
    pub places: String,
    pub interventions: Vec<&'static str>,
    pub themes: String,
    pub formats: String,
    pub members_only: bool,
}

impl CardView {
    pub fn new(c: &Card) -> Self {
        CardView {
            slug: c.slug.clone(),
            name: c.display_name.clone(),
            kind: c.kind.label(),
            places: c
                .departments
                .iter()
                .map(|(code, name)| format!("{name} ({code})"))
                .collect::<Vec<_>>()
                .join(", "),
            interventions: c.interventions.iter().map(|k| k.label()).collect(),
            themes: c.themes.join(", "),
            formats: c
                .formats
                .iter()
                .map(|f| f.label())
                .collect::<Vec<_>>()
                .join(", "),
            members_only: c.visibility != epop_domain::directory::Visibility::Public,
        }
    }
}

/// The choices of the search form's lists.
pub struct FormLists {
    pub regions: Vec<Region>,
    pub departments: Vec<Department>,
    pub themes: Vec<Theme>,
}

/// The form's lists, through the process's read cache (regions and
/// départements never change; themes are a directory write, which drops
/// the entry at once).
async fn form_lists(state: &AppState) -> Result<Arc<FormLists>, AppError> {
    if let Some(lists) = state.form_lists.get("") {
        return Ok(lists);
    }
    let generation = cache::generation();
    let mut conn = state.db.conn().await?;
    let lists = Arc::new(FormLists {
        regions: territories::regions(&mut conn).await?,
        departments: territories::departments(&mut conn).await?,
        themes: directory::themes(&mut conn).await?,
    });
    state
        .form_lists
        .put(String::new(), generation, lists.clone());
    Ok(lists)
}

/// A link that removes one filter, for the « widen your search » advice.
pub struct Widen {
    pub href: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "directory/search.html")]
struct Page {
    l: Layout,
    q: SearchQuery,
    problems: Vec<String>,
    cards: Vec<CardView>,
    total: i64,
    /// More than `COUNT_CAP` matches: « plus de 1 000 résultats ».
    more: bool,
    page: u32,
    pages: u32,
    query: String,
    widen: Vec<Widen>,
    lists: Arc<FormLists>,
    kinds: Vec<(&'static str, &'static str)>,
    formats: Vec<(&'static str, &'static str)>,
}

impl Page {
    fn selected(&self, field: &str, value: &str) -> bool {
        match field {
            "region" => self.q.region.as_ref().is_some_and(|r| r.as_str() == value),
            "departement" => self
                .q
                .department
                .as_ref()
                .is_some_and(|d| d.as_str() == value),
            "intervention" => self.q.kind.is_some_and(|k| k.code() == value),
            "theme" => self.q.theme.as_deref() == Some(value),
            "format" => self.q.format.is_some_and(|f| f.code() == value),
            "langue" => self.q.language.as_deref() == Some(value),
            "profil" => self.q.profile_kind.map(|k| k.code()).unwrap_or("") == value,
            "tri" => (self.q.sort == Sort::Name) == (value == "nom"),
            _ => false,
        }
    }
}

/// « plus de 1 000 résultats », with a no-break space in the number.
pub fn more_than_cap() -> String {
    let n = directory::COUNT_CAP;
    format!("plus de {}\u{a0}{:03} résultats", n / 1000, n % 1000)
}

/// The query string's pairs.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// One link per active filter, each removing it.
fn widen(
    q: &SearchQuery,
    regions: &[Region],
    departments: &[Department],
    themes: &[Theme],
) -> Vec<Widen> {
    let mut out = Vec::new();
    let mut push = |label: String, f: &dyn Fn(&mut SearchQuery)| {
        let mut wider = q.clone();
        f(&mut wider);
        out.push(Widen {
            href: format!("/annuaire?{}", wider.to_query_string()),
            label,
        });
    };
    if !q.text.is_empty() {
        push(format!("Chercher sans les mots « {} »", q.text), &|w| {
            w.text.clear()
        });
    }
    if let Some(d) = &q.department {
        let name = departments
            .iter()
            .find(|x| x.code == d.as_str())
            .map(|x| x.name.clone())
            .unwrap_or_default();
        push(
            format!("Chercher dans toute la France, pas seulement en {name}"),
            &|w| w.department = None,
        );
    }
    if let Some(r) = &q.region {
        let name = regions
            .iter()
            .find(|x| x.code == r.as_str())
            .map(|x| x.name.clone())
            .unwrap_or_default();
        push(format!("Chercher hors de la région {name}"), &|w| {
            w.region = None
        });
    }
    if let Some(k) = q.kind {
        push(
            format!(
                "Tous les types d’intervention, pas seulement « {} »",
                k.label()
            ),
            &|w| w.kind = None,
        );
    }
    if let Some(t) = &q.theme {
        let label = themes
            .iter()
            .find(|x| &x.slug == t)
            .map(|x| x.label.clone())
            .unwrap_or_else(|| t.clone());
        push(
            format!("Tous les thèmes, pas seulement « {label} »"),
            &|w| w.theme = None,
        );
    }
    if let Some(f) = q.format {
        push(
            format!("Tous les formats, pas seulement « {} »", f.label()),
            &|w| w.format = None,
        );
    }
    if q.language.is_some() {
        push("Toutes les langues".into(), &|w| w.language = None);
    }
    if q.organisation.is_some() {
        push("Toutes les organisations".into(), &|w| {
            w.organisation = None
        });
    }
    if q.profile_kind.is_some() {
        push("Intervenants-pairs et référents".into(), &|w| {
            w.profile_kind = None
        });
    }
    out
}

async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let raw = pairs(&ctx.query);
    let (q, problems) = SearchQuery::from_pairs(raw.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let viewer = super::viewer(&ctx);
    let found = directory::search_cached(&state.db, &q, &viewer).await?;
    let (cards, total) = (&found.0, found.1);
    let lists = form_lists(&state).await?;
    let more = directory::total_is_lower_bound(total);
    // Past the cap, the pages shown are those of the first 1,000 results.
    let shown = total.min(directory::COUNT_CAP);
    let pages = ((shown as u32).div_ceil(PAGE_SIZE)).max(1);
    let title = if q.text.is_empty() && q.filters() == 0 {
        "Annuaire des intervenants-pairs et des référents".to_owned()
    } else if more {
        format!("Annuaire : {}", more_than_cap())
    } else {
        format!(
            "Annuaire : {total} résultat{}",
            if total == 1 { "" } else { "s" }
        )
    };
    let widen = if total == 0 {
        widen(&q, &lists.regions, &lists.departments, &lists.themes)
    } else {
        Vec::new()
    };
    render(&Page {
        l: ctx.layout(title),
        query: q.to_query_string(),
        page: q.page + 1,
        pages,
        problems: problems.into_iter().map(|p| p.0).collect(),
        cards: cards.iter().map(CardView::new).collect(),
        total,
        more,
        widen,
        lists,
        kinds: InterventionKind::ALL
            .into_iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        formats: Format::ALL
            .into_iter()
            .map(|f| (f.code(), f.label()))
            .collect(),
        q,
    })
}
