//! The toolbox (`/boite-a-outils`): resources to search and browse (filters
//! in the URL, visibility in the store's SQL), each resource's page and its
//! files (downloaded with their real name and type, counted per month), the
//! coordination's pages to add, edit, publish and unpublish resources by
//! role and territory (`/admin/boite-a-outils`), and members' suggestions.
//! Files go through the one file storage (`crate::storage`).

mod browse;
mod manage;
mod suggest;
mod upload;

use axum::Router;
use epop_domain::Principal;
use epop_domain::directory::InterventionKind;
use epop_domain::toolbox::{
    Audience, Format, LANGUAGES, LICENCES, Territory, Visibility, may_manage,
};
use epop_store::toolbox::{self, Resource, Viewer};

use crate::{AppError, AppState, Ctx};

/// A resource's easy-read summary, for its review,
/// if this person manages the resource.
pub(crate) async fn easy_text(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
) -> Result<crate::review_mark::EasyText, AppError> {
    let (_, r) = manage::editable(state, ctx, slug).await?;
    Ok(crate::review_mark::EasyText {
        page: format!("/boite-a-outils/{}?version=facile", r.slug),
        edit: format!("/admin/boite-a-outils/{}", r.slug),
        title: r.title,
        text: r.summary_easy,
        department: r.department_code,
    })
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(browse::router())
        .merge(suggest::router())
        .merge(manage::router())
}

/// The person looking, as the store's rule of visibility reads them.
async fn viewer(state: &AppState, ctx: &Ctx) -> Result<Viewer, AppError> {
    let Some(u) = &ctx.user else {
        return Ok(Viewer::default());
    };
    let p = &u.principal;
    let trained = if p.has(epop_domain::Role::Peer) {
        let mut conn = state.db.conn().await?;
        epop_store::events::is_trained_peer(&mut conn, u.account.id).await?
    } else {
        false
    };
    Ok(Viewer {
        member: epop_domain::toolbox::is_member(p),
        trained,
        admin: p.is_admin(),
        coordinated: p.coordinated_departments.iter().cloned().collect(),
        observed: p.observed_departments.iter().cloned().collect(),
    })
}

/// Whether this person manages this resource (its territory's
/// coordination, or an admin).
async fn manages(state: &AppState, p: &Principal, r: &Resource) -> Result<bool, AppError> {
    if !p.may_administer() {
        return Ok(false);
    }
    let mut conn = state.db.conn().await?;
    let departments = toolbox::territory_departments(&mut conn, r).await?;
    Ok(may_manage(p, &departments))
}

/// The lists the forms and the filters offer.
struct Lists {
    themes: Vec<epop_store::directory::Theme>,
    /// (form value, label) of every territory.
    territories: Vec<(String, String)>,
    /// The same with the départements each covers, for the rule.
    covers: Vec<(String, Vec<String>)>,
}

impl Lists {
    async fn load(state: &AppState) -> Result<Lists, AppError> {
        let mut conn = state.db.conn().await?;
        let themes = epop_store::directory::themes(&mut conn).await?;
        let regions = epop_store::territories::regions(&mut conn).await?;
        let departments = epop_store::territories::departments(&mut conn).await?;
        let mut territories = vec![("national".to_owned(), "France entière".to_owned())];
        let mut covers = vec![("national".to_owned(), Vec::new())];
        for r in &regions {
            let code = format!("region-{}", r.code);
            territories.push((code.clone(), format!("Région {}", r.name)));
            covers.push((
                code,
                departments
                    .iter()
                    .filter(|d| d.region_code == r.code)
                    .map(|d| d.code.clone())
                    .collect(),
            ));
        }
        for d in &departments {
            let code = format!("departement-{}", d.code);
            territories.push((code.clone(), format!("{} – {}", d.code, d.name)));
            covers.push((code, vec![d.code.clone()]));
        }
        Ok(Lists {
            themes,
            territories,
            covers,
        })
    }

    /// The départements a territory of the form covers.
    fn departments_of(&self, t: &Territory) -> Vec<String> {
        let code = t.code();
        self.covers
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, d)| d.clone())
            .unwrap_or_default()
    }

    /// The territories this person may manage resources of.
    fn manageable(&self, p: &Principal) -> Vec<(String, String)> {
        self.territories
            .iter()
            .zip(&self.covers)
            .filter(|(_, (_, deps))| may_manage(p, deps))
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// The theme ids of the slugs ticked; a forged one is a problem.
    fn theme_ids(&self, slugs: &[String]) -> Result<Vec<i64>, &'static str> {
        slugs
            .iter()
            .map(|s| {
                self.themes
                    .iter()
                    .find(|t| t.slug == *s)
                    .map(|t| t.id)
                    .ok_or("Cochez les thèmes dans la liste.")
            })
            .collect()
    }
}

/// The choices of the forms' and filters' fixed lists, as (code, label);
/// templates call them as `crate::toolbox::audiences()`.
pub fn audiences() -> Vec<(&'static str, &'static str)> {
    Audience::ALL
        .iter()
        .map(|a| (a.code(), a.label()))
        .collect()
}

pub fn kinds() -> Vec<(&'static str, &'static str)> {
    InterventionKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect()
}

pub fn formats() -> Vec<(&'static str, &'static str)> {
    Format::ALL.iter().map(|f| (f.code(), f.label())).collect()
}

pub fn visibilities() -> Vec<(&'static str, &'static str)> {
    Visibility::ALL
        .iter()
        .map(|v| (v.code(), v.label()))
        .collect()
}

pub fn languages() -> Vec<(&'static str, &'static str)> {
    LANGUAGES.to_vec()
}

pub fn licences() -> Vec<&'static str> {
    LICENCES.to_vec()
}

/// Whether a form's box `name` is ticked with `value`.
pub fn ticked(p: &crate::forms::Pairs, name: &str, value: &str) -> bool {
    p.all(name).iter().any(|v| v == value)
}

/// The language's label.
pub fn language_label(code: &str) -> &'static str {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("Français")
}

/// A date `AAAA-MM-JJ` as « 3 mars 2027 ».
pub fn date_in_words(dated: &str) -> String {
    chrono::NaiveDate::parse_from_str(dated, "%Y-%m-%d")
        .map(|d| {
            epop_domain::toolbox::version_label(d)
                .trim_start_matches("version du ")
                .to_owned()
        })
        .unwrap_or_else(|_| dated.to_owned())
}
