//! The summary page of the person's own profile (each answer and where to
//! change it, whether the profile is listed, the consents on file) and the
//! withdrawal of a consent from it.

use std::collections::BTreeMap;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use epop_domain::directory::Visibility;
use epop_store::audit;
use epop_store::directory::{self, ConsentSource, ProfileInput, Sensitive, Theme, purpose};

use super::steps::{Step, steps};
use super::{current, own_target};
use crate::context::Layout;
use crate::forms::Pairs;
use crate::french::french_weekday_date;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

/// One answered question on the summary page.
pub struct Answer {
    pub question: &'static str,
    pub answer: String,
    pub href: String,
}

/// A consent on file, as its person reads it.
pub struct ConsentView {
    pub purpose: String,
    pub what: &'static str,
    pub who: String,
}

/// What a consent lets happen, in the person's words.
fn consent_what(key: &str) -> &'static str {
    match key {
        purpose::LISTING => "Ma fiche est dans l’annuaire, pour les personnes que j’ai choisies.",
        purpose::ACCOMMODATIONS => {
            "La coordination de mon territoire lit mes besoins pour bien travailler."
        }
        purpose::EXPERIENCE => "La coordination de mon territoire lit mon expérience du handicap.",
        _ => "Un autre accord.",
    }
}

/// Who gave a consent, and when.
fn consent_who(c: &directory::ConsentLine) -> String {
    let on = crate::french::french_day(c.given_at);
    match &c.source {
        ConsentSource::Person => format!("Vous avez donné cet accord le {on}."),
        ConsentSource::Written { given_on, how, .. } => format!(
            "Vous avez donné cet accord par écrit le {} ({how}). {} l’a enregistré le {on}.",
            french_weekday_date(given_on),
            c.recorded_by.as_deref().unwrap_or("La coordination"),
        ),
    }
}

/// Where the person's profile stands, for the summary page.
#[derive(PartialEq, Eq)]
enum Listed {
    /// Shown, with their consent.
    Yes,
    /// Shown to members without their consent yet (the import listed it).
    AwaitingConsent,
    No,
}

#[derive(Template)]
#[template(path = "directory/profile_form_overview.html")]
struct Overview {
    l: Layout,
    slug: Option<String>,
    answers: Vec<Answer>,
    first: String,
    listed: Listed,
    consents: Vec<ConsentView>,
}

pub(super) async fn overview(
    State(state): State<AppState>,
    ctx: Ctx,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    let (existing, p, s) = current(&state, &t).await?;
    let mut conn = state.db.conn().await?;
    let consents = directory::active_consents(&mut conn, t.account_id).await?;
    let on_file = directory::consents_on_file(&mut conn, t.account_id).await?;
    let (slug, photo_alt) = match existing {
        Some(id) => (
            directory::profile_of(&mut conn, t.account_id, t.kind)
                .await?
                .map(|(_, slug)| slug),
            directory::photo(&mut conn, id).await?.map(|(_, alt)| alt),
        ),
        None => (None, None),
    };
    let themes = directory::themes(&mut conn).await?;
    let departments = epop_store::territories::departments(&mut conn)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    let list = steps(t.kind, true);
    let answers = if existing.is_none() {
        Vec::new()
    } else {
        let stored = Stored {
            p: &p,
            s: &s,
            consents: &consents,
            photo_alt,
            themes: &themes,
            departments: &departments,
        };
        list.iter().map(|step| stored.answer(*step)).collect()
    };
    render(&Overview {
        l: ctx.layout("Ma fiche dans l’annuaire"),
        slug,
        answers,
        first: format!("/espace/ma-fiche/{}", list[0].slug()),
        listed: match (
            consents.contains_key(purpose::LISTING),
            p.visibility != Visibility::Hidden && existing.is_some(),
        ) {
            (true, true) => Listed::Yes,
            (false, true) => Listed::AwaitingConsent,
            _ => Listed::No,
        },
        consents: on_file
            .iter()
            .map(|c| ConsentView {
                purpose: c.purpose.clone(),
                what: consent_what(&c.purpose),
                who: consent_who(c),
            })
            .collect(),
    })
}

/// What the summary page writes each answer from.
struct Stored<'a> {
    p: &'a ProfileInput,
    s: &'a Sensitive,
    consents: &'a BTreeMap<String, (String, i64)>,
    photo_alt: Option<String>,
    themes: &'a [Theme],
    /// Each département's name by its code.
    departments: &'a BTreeMap<String, String>,
}

impl Stored<'_> {
    /// One question, its answer (or that there is none yet) and its page.
    fn answer(&self, step: Step) -> Answer {
        let answer = self.text(step);
        Answer {
            question: step.question(),
            answer: if answer.trim().is_empty() {
                "Pas encore de réponse".to_owned()
            } else {
                answer
            },
            href: format!("/espace/ma-fiche/{}", step.slug()),
        }
    }

    fn text(&self, step: Step) -> String {
        let p = self.p;
        match step {
            Step::Name => p.display_name.clone(),
            Step::Photo => self
                .photo_alt
                .clone()
                .map(|alt| format!("Une photo : « {alt} »"))
                .unwrap_or_default(),
            Step::Presentation => p.presentation.clone(),
            Step::EasyPresentation => p.presentation_easy.clone(),
            Step::Job => p.job_title.clone().unwrap_or_default(),
            Step::Interventions => p
                .interventions
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(", "),
            Step::Themes => self.themes_text(),
            Step::Format => [(p.on_site, "Sur place"), (p.remote, "À distance")]
                .iter()
                .filter(|(on, _)| *on)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join(", "),
            Step::Territory => p
                .departments
                .iter()
                .map(|code| match self.departments.get(code) {
                    Some(name) => format!("{name} ({code})"),
                    None => code.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            Step::Languages => p
                .languages
                .iter()
                .map(|code| crate::directory::language_label(code))
                .collect::<Vec<_>>()
                .join(", "),
            Step::Availability => p
                .max_per_month
                .map(|n| format!("{n} par mois"))
                .unwrap_or_default(),
            Step::Visibility => p.visibility.label().to_owned(),
            Step::Accommodations => self.shared(&self.s.accommodations, purpose::ACCOMMODATIONS),
            Step::Experience => self.shared(&self.s.disability_experience, purpose::EXPERIENCE),
        }
    }

    /// The chosen themes' labels, then the person's own words.
    fn themes_text(&self) -> String {
        let mut words: Vec<String> = self
            .themes
            .iter()
            .filter(|t| self.p.theme_ids.contains(&t.id))
            .map(|t| t.label.clone())
            .collect();
        if !self.p.own_words.is_empty() {
            words.push(self.p.own_words.clone());
        }
        words.join(", ")
    }

    /// A sensitive answer, said « non partagé » without its consent.
    fn shared(&self, answer: &Option<String>, key: &str) -> String {
        answer
            .clone()
            .map(|a| {
                if self.consents.contains_key(key) {
                    a
                } else {
                    format!("{a} (non partagé)")
                }
            })
            .unwrap_or_default()
    }
}

/// The person withdraws one of their consents from the summary page
/// (withdrawing the listing consent hides their profile at once).
pub(super) async fn withdraw(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    let asked = form.get("retirer");
    let key = [
        purpose::LISTING,
        purpose::ACCOMMODATIONS,
        purpose::EXPERIENCE,
    ]
    .into_iter()
    .find(|k| *k == asked)
    .ok_or(AppError::NotFound)?;
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    directory::withdraw_consent(&mut tx, t.account_id, key).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "consent_withdrawn",
            Some(format!("account:{}", user.account.public_id)),
            format!("Accord retiré : {}", consent_what(key)),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/espace/ma-fiche?message=accord-retire").into_response())
}
