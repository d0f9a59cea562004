//! Recording a person's written consent to be listed in the directory
//! (issue 11): a coordinator of the person's territory or an admin writes
//! down that the person agreed on paper, by e-mail… — the day, how, an
//! optional note — in one transaction with its audit line. The consent is
//! then « written, recorded by » that coordinator; the profile may be made
//! more visible by the coordination, and the person sees it in their own
//! space (`/espace/ma-fiche`), where they can withdraw it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::NaiveDate;
use epop_domain::directory::ListingConsent;
use epop_domain::text::{parse_date, required};
use epop_store::audit;
use epop_store::directory::{self, Profile, WrittenConsent};
use serde::Deserialize;

use crate::context::Layout;
use crate::directory::managed_profile;
use crate::forms::{Errors, url_encode};
use crate::render::render_form;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/annuaire/{slug}/accord-ecrit", get(form).post(save))
}

/// The ways a written consent comes in: (code, label, stored words).
const HOW: [(&str, &str, &str); 3] = [
    (
        "formulaire-papier",
        "Un formulaire papier signé",
        "formulaire papier",
    ),
    ("e-mail", "Un e-mail de la personne", "e-mail"),
    ("courrier", "Une lettre de la personne", "courrier"),
];
const OTHER: &str = "autre";
const MAX_HOW: usize = 100;
const MAX_NOTE: usize = 500;

/// The form as sent, kept to show it again on error.
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct Fields {
    pub date: String,
    pub moyen: String,
    pub moyen_autre: String,
    pub note: String,
}

/// A way to choose, for the radio buttons.
pub struct HowChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "admin/written_consent.html")]
struct Page {
    l: Layout,
    errors: Errors,
    slug: String,
    name: String,
    /// What is on file today, in a sentence.
    on_file: &'static str,
    form: Fields,
    choices: Vec<HowChoice>,
}

/// Checks the form: (day given, how, note).
fn validate(f: &Fields, today: NaiveDate) -> Result<(NaiveDate, String, Option<String>), Errors> {
    let mut e = Errors::default();
    let date = if f.date.trim().is_empty() {
        e.add(
            "date",
            "Indiquez le jour où la personne a donné son accord, par exemple 12/11/2026.",
        );
        None
    } else {
        match e.check("date", parse_date(&f.date, "la date de l’accord")) {
            Some(d) if d > today => {
                e.add(
                    "date",
                    "La date de l’accord ne peut pas être dans le futur : indiquez le jour où la personne a donné son accord.",
                );
                None
            }
            other => other,
        }
    };
    let how = match HOW.iter().find(|(code, _, _)| *code == f.moyen) {
        Some((_, _, words)) => Some((*words).to_owned()),
        None if f.moyen == OTHER => {
            if f.moyen_autre.trim().is_empty() {
                e.add(
                    "moyen_autre",
                    "Écrivez comment la personne a donné son accord, par exemple : « SMS ».",
                );
                None
            } else {
                e.check("moyen_autre", required(&f.moyen_autre, "le moyen", MAX_HOW))
            }
        }
        None => {
            e.add(
                "moyen",
                "Choisissez comment la personne a donné son accord.",
            );
            None
        }
    };
    let note = if f.note.trim().is_empty() {
        None
    } else {
        e.check("note", required(&f.note, "la note", MAX_NOTE))
    };
    match (date, how) {
        (Some(d), Some(h)) if e.is_empty() => Ok((d, h, note)),
        _ => Err(e),
    }
}

async fn page(
    state: &AppState,
    ctx: &Ctx,
    profile: Profile,
    form: Fields,
    errors: Errors,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let on_file = match directory::listing_consent(&mut conn, profile.account_id).await? {
        ListingConsent::NeverAsked => {
            "La personne n’a pas encore donné son accord pour être dans l’annuaire."
        }
        ListingConsent::Withdrawn => {
            "La personne a retiré son accord pour être dans l’annuaire : sa fiche est masquée."
        }
        ListingConsent::ByPerson => "La personne a donné son accord dans son espace.",
        ListingConsent::Written => {
            "Un accord écrit est déjà enregistré. Enregistrez le nouveau s’il remplace l’ancien."
        }
    };
    let choices = HOW
        .iter()
        .map(|(value, label, _)| (*value, *label))
        .chain([(OTHER, "Autrement (précisez ci-dessous)")])
        .map(|(value, label)| HowChoice {
            value,
            label,
            checked: form.moyen == value,
        })
        .collect();
    let invalid = !errors.is_empty();
    let p = Page {
        l: ctx.layout_with_errors(
            format!(
                "Accord écrit {}",
                crate::french::elided("de", &profile.card.display_name)
            ),
            invalid,
        ),
        errors,
        slug: profile.card.slug,
        name: profile.card.display_name,
        on_file,
        form,
        choices,
    };
    render_form(&p, invalid)
}

async fn form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let profile = managed_profile(&state, &ctx, &slug).await?;
    page(&state, &ctx, profile, Fields::default(), Errors::default()).await
}

async fn save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let profile = managed_profile(&state, &ctx, &slug).await?;
    let (given_on, how, note) = match validate(&f, crate::french::paris_today()) {
        Ok(v) => v,
        Err(errors) => return page(&state, &ctx, profile, f, errors).await,
    };
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    directory::record_written_consent(
        &mut tx,
        profile.account_id,
        &WrittenConsent {
            given_on: given_on.format("%Y-%m-%d").to_string(),
            how: how.clone(),
            note,
            recorded_by: user.account.id,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "consent_recorded",
            Some(format!("profile:{}", profile.card.slug)),
            format!(
                "Accord écrit {} pour l’annuaire enregistré : donné le {} ({how})",
                crate::french::elided("de", &profile.card.display_name),
                given_on.format("%d/%m/%Y")
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/admin/annuaire/{}/modifier/visibilite?message=accord-ecrit",
        url_encode(&profile.card.slug)
    ))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(date: &str, moyen: &str, autre: &str) -> Fields {
        Fields {
            date: date.into(),
            moyen: moyen.into(),
            moyen_autre: autre.into(),
            note: String::new(),
        }
    }

    #[test]
    fn a_written_consent_needs_a_past_date_and_a_way() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let (d, how, note) =
            validate(&fields("12/11/2026", "formulaire-papier", ""), today).unwrap();
        assert_eq!(
            (d.to_string(), how.as_str(), note),
            ("2026-11-12".into(), "formulaire papier", None)
        );
        assert_eq!(
            validate(&fields("2026-12-02", "autre", " SMS "), today)
                .unwrap()
                .1,
            "SMS"
        );
        let e = validate(&fields("03/12/2026", "", ""), today).unwrap_err();
        assert!(e.get("date").contains("futur") && e.get("moyen").contains("Choisissez"));
        let e = validate(&fields("31/02/2026", "autre", ""), today).unwrap_err();
        assert!(
            e.get("date").contains("Le 31/02/2026 n’existe pas")
                && e.get("moyen_autre").contains("Écrivez")
        );
        assert!(
            validate(&fields("", "e-mail", ""), today)
                .unwrap_err()
                .get("date")
                .contains("Indiquez")
        );
    }
}
