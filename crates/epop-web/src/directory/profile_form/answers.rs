//! Reading one page's answers into the profile, with the problems found,
//! field by field.

use std::collections::BTreeSet;

use epop_docs::directory_import::{department_code, resolve_departments};
use epop_domain::account;
use epop_domain::directory::fields::{self, AbsenceDate};
use epop_store::directory::{self, ProfileInput, Sensitive, purpose};

use super::steps::Step;
use super::visibility::VisibilityChoice;
use crate::forms::{Errors, Pairs};
use crate::{AppError, AppState};

/// Periods away to add or remove, from the availability page.
#[derive(Default)]
pub(super) struct AbsenceChanges {
    pub(super) add: Option<(String, String)>,
    pub(super) remove: Vec<i64>,
}

/// What one page's answers change.
pub(super) struct Answers<'a> {
    pub(super) p: &'a mut ProfileInput,
    pub(super) s: &'a mut Sensitive,
    /// The person's consents (only their own pages change them).
    pub(super) consents: &'a mut BTreeSet<String>,
    pub(super) absences: &'a mut AbsenceChanges,
}

/// Applies one page's answers; returns the problems, field by field.
pub(super) async fn apply(
    state: &AppState,
    step: Step,
    form: &Pairs,
    answers: Answers<'_>,
    choice: &VisibilityChoice,
) -> Result<Errors, AppError> {
    let Answers {
        p,
        s,
        consents,
        absences,
    } = answers;
    let mut e = Errors::default();
    match step {
        Step::Name => name(form, p, &mut e),
        // The photo page has its own handler (`save_photo`): it reads a file.
        Step::Photo => {}
        Step::Presentation => presentation(form, p, &mut e),
        Step::EasyPresentation => easy_presentation(form, p, &mut e),
        Step::Job => job(form, p, &mut e),
        Step::Interventions => interventions(form, p, &mut e),
        Step::Themes => themes(state, form, p, &mut e).await?,
        Step::Format => format(form, p, &mut e),
        Step::Territory => territory(form, p, &mut e),
        Step::Languages => languages(form, p, &mut e),
        Step::Availability => availability(form, p, absences, &mut e),
        Step::Visibility if !choice.owner => visibility_for_others(form, p, choice, &mut e),
        Step::Visibility => own_visibility(form, p, consents, &mut e),
        Step::Accommodations | Step::Experience => sensitive(step, form, s, consents, &mut e),
    }
    Ok(e)
}

fn name(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    if let Some(v) = e.check("nom", account::display_name(&form.get("nom"))) {
        p.display_name = v;
    } else {
        p.display_name = form.get("nom");
    }
}

fn presentation(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.presentation = form.get("presentation");
    e.check("presentation", fields::presentation(&p.presentation));
}

fn easy_presentation(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.presentation_easy = form.get("presentation_facile");
    e.check(
        "presentation_facile",
        fields::easy_presentation(&p.presentation_easy),
    );
}

fn job(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    if let Some(job) = e.check("metier", fields::job_title(&form.get("metier"))) {
        p.job_title = job;
    }
}

fn interventions(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.interventions = e
        .check(
            "interventions-0",
            fields::interventions(&form.all("interventions")),
        )
        .unwrap_or_default();
}

async fn themes(
    state: &AppState,
    form: &Pairs,
    p: &mut ProfileInput,
    e: &mut Errors,
) -> Result<(), AppError> {
    let mut conn = state.db.conn().await?;
    let known: BTreeSet<i64> = directory::themes(&mut conn)
        .await?
        .into_iter()
        .map(|t| t.id)
        .collect();
    p.theme_ids = form
        .all("themes")
        .iter()
        .filter_map(|t| t.parse().ok())
        .filter(|t| known.contains(t))
        .collect();
    p.own_words = form.get("mots");
    e.check("mots", fields::own_words(&p.own_words));
    Ok(())
}

fn format(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    (p.on_site, p.remote) = e
        .check("formats-0", fields::formats(&form.all("formats")))
        .unwrap_or_default();
    if let Some(km) = e.check("km", fields::travel_km(&form.get("km"))) {
        p.travel_km = km;
    }
}

fn territory(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    if let Some(home) = e.check(
        "departement",
        fields::home_department(&department_code(&form.get("departement")).unwrap_or_default()),
    ) {
        p.home_department = Some(home);
    }
    let home = p.home_department.as_deref();
    if let Some(list) = e.check(
        "autres",
        fields::departments(home, &form.get("autres"), resolve_departments),
    ) {
        p.departments = list;
    }
}

fn languages(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.other_languages = form.get("autres_langues");
    let others = e
        .check(
            "autres_langues",
            fields::other_languages(&p.other_languages),
        )
        .unwrap_or_default();
    p.languages = e
        .check(
            "langues-0",
            fields::languages(&form.all("langues"), &others),
        )
        .unwrap_or_default();
}

fn availability(form: &Pairs, p: &mut ProfileInput, absences: &mut AbsenceChanges, e: &mut Errors) {
    if let Some(n) = e.check("par_mois", fields::max_per_month(&form.get("par_mois"))) {
        p.max_per_month = n;
    }
    absences.remove = form
        .all("supprimer")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let today = crate::french::paris_today();
    match fields::absence(&form.get("absent_du"), &form.get("absent_au"), today) {
        Ok(period) => {
            absences.add = period.map(|(start, end)| (start.to_string(), end.to_string()));
        }
        Err(problems) => {
            for (date, problem) in problems {
                let field = match date {
                    AbsenceDate::Start => "absent_du",
                    AbsenceDate::End => "absent_au",
                };
                e.add(field, problem.0);
            }
        }
    }
}

/// Someone else: never a consent in the person's name (`accord` is
/// ignored), never more visible than the person agreed to.
fn visibility_for_others(
    form: &Pairs,
    p: &mut ProfileInput,
    choice: &VisibilityChoice,
    e: &mut Errors,
) {
    let chosen = fields::visibility_for_others(&form.get("visibilite"), choice.ceiling);
    if let Some(v) = e.check("visibilite", chosen) {
        p.visibility = v;
    }
}

/// The person: any visibility, with their consent for any but hidden.
fn own_visibility(
    form: &Pairs,
    p: &mut ProfileInput,
    consents: &mut BTreeSet<String>,
    e: &mut Errors,
) {
    if let Some(v) = e.check(
        "visibilite",
        fields::own_visibility(&form.get("visibilite")),
    ) {
        p.visibility = v;
    }
    let agreed = form.get("accord") == "oui";
    if agreed {
        consents.insert(purpose::LISTING.into());
    } else {
        consents.remove(purpose::LISTING);
    }
    e.check("accord", fields::listing_agreed(p.visibility, agreed));
}

/// A sensitive answer (accommodations or experience) and its consent.
fn sensitive(
    step: Step,
    form: &Pairs,
    s: &mut Sensitive,
    consents: &mut BTreeSet<String>,
    e: &mut Errors,
) {
    let answer = form.get("reponse");
    let agreed = form.get("accord") == "oui";
    let key = if step == Step::Accommodations {
        purpose::ACCOMMODATIONS
    } else {
        purpose::EXPERIENCE
    };
    if agreed {
        consents.insert(key.into())
    } else {
        consents.remove(key)
    };
    e.check("reponse", fields::sensitive_answer(&answer));
    e.check("accord", fields::sensitive_agreed(&answer, agreed));
    let value = Some(answer.trim().to_owned()).filter(|x| !x.is_empty());
    if step == Step::Accommodations {
        s.accommodations = value;
    } else {
        s.disability_experience = value;
    }
}
