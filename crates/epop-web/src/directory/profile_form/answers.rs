//! Reading one page's answers into the profile, with the problems found,
//! field by field.

use std::collections::BTreeSet;

use epop_domain::directory::{Format, InterventionKind, LANGUAGES, Visibility};
use epop_domain::text::{self, fold, parse_date};
use epop_domain::{DepartmentCode, Invalid, account};
use epop_store::directory::{self, ProfileInput, Sensitive, purpose};

use super::steps::Step;
use super::today;
use super::visibility::VisibilityChoice;
use crate::forms::{Errors, Pairs};
use crate::{AppError, AppState};

/// An optional one-line answer ("" when left empty).
fn optional_text(value: &str, what: &str, max: usize) -> Result<String, Invalid> {
    text::optional(value, what, max).map(Option::unwrap_or_default)
}

/// An optional answer of several lines ("" when left empty).
fn optional_area(value: &str, what: &str, max: usize) -> Result<String, Invalid> {
    text::optional_paragraph(value, what, max).map(Option::unwrap_or_default)
}

fn number(value: &str, what: &str, min: i64, max: i64) -> Result<Option<i64>, Invalid> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
        _ => Err(Invalid::new(format!(
            "Écrivez {what} avec des chiffres, entre {min} et {max}. Par exemple : {}.",
            (min + max) / 4 + 1
        ))),
    }
}

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
    e.check(
        "presentation",
        optional_area(&p.presentation, "votre présentation", 2000),
    );
}

fn easy_presentation(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.presentation_easy = form.get("presentation_facile");
    e.check(
        "presentation_facile",
        optional_area(&p.presentation_easy, "votre présentation facile", 1000),
    );
}

fn job(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    let v = form.get("metier");
    if e.check("metier", optional_text(&v, "votre métier", 120))
        .is_some()
    {
        p.job_title = Some(v.trim().to_owned()).filter(|x| !x.is_empty());
    }
}

fn interventions(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.interventions = form
        .all("interventions")
        .iter()
        .filter_map(|c| InterventionKind::parse(c))
        .collect();
    if p.interventions.is_empty() {
        e.add(
            "interventions-0",
            "Cochez au moins une case : ce que vous voulez faire.",
        );
    }
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
    e.check("mots", optional_text(&p.own_words, "vos mots", 300));
    Ok(())
}

fn format(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    let formats = form.all("formats");
    p.on_site = formats.iter().any(|f| f == Format::OnSite.code());
    p.remote = formats.iter().any(|f| f == Format::Remote.code());
    if !p.on_site && !p.remote {
        e.add(
            "formats-0",
            "Cochez au moins une case : sur place, à distance, ou les deux.",
        );
    }
    if let Some(km) = e.check("km", number(&form.get("km"), "la distance", 0, 1000)) {
        p.travel_km = km;
    }
}

fn territory(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    match DepartmentCode::parse(&form.get("departement")) {
        Ok(d) => p.home_department = Some(d.as_str().to_owned()),
        Err(_) => e.add("departement", "Choisissez votre département dans la liste."),
    }
    let mut list: Vec<String> = p.home_department.clone().into_iter().collect();
    for part in form
        .get("autres")
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        match DepartmentCode::parse(part) {
            Ok(d) if !list.contains(&d.as_str().to_owned()) => list.push(d.as_str().to_owned()),
            Ok(_) => {}
            Err(err) => {
                e.add("autres", err.0);
                break;
            }
        }
    }
    p.departments = list;
}

fn languages(form: &Pairs, p: &mut ProfileInput, e: &mut Errors) {
    p.languages = form
        .all("langues")
        .into_iter()
        .filter(|l| LANGUAGES.iter().any(|(c, _)| c == l))
        .collect();
    p.other_languages = form.get("autres_langues");
    if e.check(
        "autres_langues",
        optional_text(&p.other_languages, "les autres langues", 200),
    )
    .is_some()
    {
        for word in p
            .other_languages
            .split([',', ';'])
            .map(|w| fold(w.trim()))
            .filter(|w| !w.is_empty())
        {
            if !p.languages.contains(&word) {
                p.languages.push(word);
            }
        }
    }
    if p.languages.is_empty() {
        e.add("langues-0", "Cochez au moins une langue, ou écrivez-la.");
    }
}

fn availability(form: &Pairs, p: &mut ProfileInput, absences: &mut AbsenceChanges, e: &mut Errors) {
    if let Some(n) = e.check(
        "par_mois",
        number(&form.get("par_mois"), "le nombre", 1, 20),
    ) {
        p.max_per_month = n;
    }
    absences.remove = form
        .all("supprimer")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect();
    let (from, to) = (form.get("absent_du"), form.get("absent_au"));
    if !from.trim().is_empty() || !to.trim().is_empty() {
        let start = e.check("absent_du", parse_date(&from, "la date de début"));
        let end = e.check("absent_au", parse_date(&to, "la date de fin"));
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                e.add(
                    "absent_au",
                    "La date de fin est avant la date de début : vérifiez les deux dates.",
                );
            } else if end.to_string() < today() {
                e.add(
                    "absent_au",
                    "Cette période est déjà passée : donnez une absence à venir.",
                );
            } else {
                absences.add = Some((start.to_string(), end.to_string()));
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
    match Visibility::from_code(&form.get("visibilite")) {
        Some(v) if v.openness() > choice.ceiling.openness() => e.add(
            "visibilite",
            "Vous ne pouvez pas rendre cette fiche plus visible : c’est la personne qui donne son accord. Choisissez une visibilité de la liste, ou enregistrez d’abord son accord écrit.",
        ),
        Some(v) => p.visibility = v,
        None => e.add("visibilite", "Choisissez qui peut voir la fiche."),
    }
}

/// The person: any visibility, with their consent for any but hidden.
fn own_visibility(
    form: &Pairs,
    p: &mut ProfileInput,
    consents: &mut BTreeSet<String>,
    e: &mut Errors,
) {
    match Visibility::from_code(&form.get("visibilite")) {
        Some(v) => p.visibility = v,
        None => e.add("visibilite", "Choisissez qui peut voir votre fiche."),
    }
    let agreed = form.get("accord") == "oui";
    if agreed {
        consents.insert(purpose::LISTING.into());
    } else {
        consents.remove(purpose::LISTING);
    }
    if p.visibility != Visibility::Hidden && !agreed {
        e.add("accord", "Pour montrer votre fiche, cochez la case « J’accepte ». Sinon, choisissez « Masquée ».");
    }
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
    e.check("reponse", optional_area(&answer, "votre réponse", 1000));
    if !answer.trim().is_empty() && !agreed {
        e.add(
            "accord",
            "Pour partager cette réponse, cochez la case « J’accepte ». Sinon, videz le champ.",
        );
    }
    let value = Some(answer.trim().to_owned()).filter(|x| !x.is_empty());
    if step == Step::Accommodations {
        s.accommodations = value;
    } else {
        s.disability_experience = value;
    }
}
