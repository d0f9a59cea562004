//! The `/indicateurs` page: the filter form (GET, the filters in the URL),
//! then the report's sections; a bad filter gives the form again with its
//! French errors (400), a territory not offered a 403.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use epop_domain::directory::InterventionKind;
use epop_domain::figures::Report;
use epop_domain::indicators::filter::FIRST_YEAR;
use epop_domain::questionnaire::small::Sight;

use super::{Choice, choices, filter_of, may_see_indicators, pairs, report_of, this_year};
use crate::context::Layout;
use crate::forms::Errors;
use crate::render::{render, render_invalid};
use crate::{AppError, AppState, Ctx};

/// One option of a list.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// A group of the territories' list.
pub struct Group {
    pub label: &'static str,
    pub options: Vec<Opt>,
}

#[derive(Template)]
#[template(path = "indicators/page.html")]
struct Page {
    l: Layout,
    errors: Errors,
    years: Vec<Opt>,
    from: String,
    to: String,
    territories: Vec<Group>,
    kinds: Vec<Opt>,
    report: Option<Report>,
    /// No territory is given to this person yet.
    nothing: bool,
    exact: bool,
    /// The filters as a query, for links (exports, the API).
    query: String,
}

fn groups(choices: &[Choice], chosen: &str) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for c in choices {
        let value = c.area.choice();
        let opt = Opt {
            selected: value == chosen,
            value,
            label: c.name.clone(),
        };
        match out.last_mut() {
            Some(g) if g.label == c.group => g.options.push(opt),
            _ => out.push(Group {
                label: c.group,
                options: vec![opt],
            }),
        }
    }
    out
}

pub(super) async fn page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(may_see_indicators)?;
    let choices = choices(&state, &user.principal).await?;
    let pairs = pairs(&ctx.query);
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let year = this_year();
    let filter = filter_of(&pairs, year, &choices);
    let chosen_year = match &filter {
        Ok(f) => f
            .period
            .whole_year()
            .map(|y| y.to_string())
            .unwrap_or_default(),
        Err(_) => get("annee"),
    };
    let (from, to) = match &filter {
        Ok(f) if f.period.whole_year().is_none() => (f.period.from.code(), f.period.to.code()),
        Ok(_) => (String::new(), String::new()),
        Err(_) => (get("du"), get("au")),
    };
    let chosen_area = match &filter {
        Ok(f) => f.area.choice(),
        Err(_) => get("territoire"),
    };
    let chosen_kind = match &filter {
        Ok(f) => f.kind.map(|k| k.code().to_owned()).unwrap_or_default(),
        Err(_) => get("type"),
    };
    let mut years: Vec<Opt> = (FIRST_YEAR..=year + 1)
        .rev()
        .map(|y| Opt {
            value: y.to_string(),
            label: y.to_string(),
            selected: y.to_string() == chosen_year,
        })
        .collect();
    years.push(Opt {
        value: String::new(),
        label: "Les mois choisis ci-dessous".into(),
        selected: chosen_year.is_empty(),
    });
    let kinds = std::iter::once(Opt {
        value: String::new(),
        label: "Tous les types".into(),
        selected: chosen_kind.is_empty(),
    })
    .chain(InterventionKind::ALL.into_iter().map(|k| Opt {
        value: k.code().into(),
        label: k.label().into(),
        selected: k.code() == chosen_kind,
    }))
    .collect();
    let title = "Indicateurs";
    let mut page = Page {
        l: ctx.layout(title),
        errors: Errors::default(),
        years,
        from,
        to,
        territories: groups(&choices, &chosen_area),
        kinds,
        report: None,
        nothing: false,
        exact: false,
        query: String::new(),
    };
    let filter = match filter {
        Ok(f) => f,
        Err(problems) => {
            for (field, e) in problems {
                let field = match field {
                    "region" | "departement" | "programme" => "territoire",
                    f => f,
                };
                page.errors.add(field, e.0);
            }
            page.l = ctx.layout_with_errors(title, true);
            return render_invalid(&page);
        }
    };
    if choices.is_empty() {
        page.nothing = true;
        return render(&page);
    }
    let Some(choice) = choices.iter().find(|c| c.area == filter.area) else {
        return Err(AppError::Forbidden);
    };
    let (_, report) = report_of(&state, &filter, choice).await?;
    page.l = ctx.layout(format!("Indicateurs : {}", report.scope));
    page.exact = choice.sight == Sight::Exact;
    page.query = filter.to_query();
    page.report = Some(report);
    render(&page)
}
