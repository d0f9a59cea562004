//! What each page of the profile form asks, filled with the current answers.

use std::collections::BTreeSet;

use epop_domain::directory::{Format, InterventionKind, LANGUAGES, Visibility};
use epop_store::directory::{self, ProfileInput, Sensitive, purpose};
use epop_store::territories;

use super::steps::Step;
use super::today;
use super::visibility::VisibilityChoice;
use crate::french::french_weekday_date;
use crate::{AppError, AppState};

/// A choice in a list of boxes.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// What one page asks.
pub enum Field {
    Text {
        name: &'static str,
        label: &'static str,
        value: String,
        hint: &'static str,
    },
    Area {
        name: &'static str,
        label: &'static str,
        value: String,
        hint: &'static str,
    },
    Number {
        name: &'static str,
        label: &'static str,
        value: String,
        hint: &'static str,
    },
    Checks {
        name: &'static str,
        legend: &'static str,
        choices: Vec<Choice>,
    },
    Radios {
        name: &'static str,
        legend: &'static str,
        choices: Vec<Choice>,
    },
    Select {
        name: &'static str,
        label: &'static str,
        choices: Vec<Choice>,
    },
    File {
        name: &'static str,
        label: &'static str,
        hint: &'static str,
    },
    Consent {
        name: &'static str,
        label: &'static str,
        checked: bool,
    },
}

/// The fields of a step, filled with the current values (or what was typed).
pub(super) async fn fields(
    state: &AppState,
    step: Step,
    profile_id: Option<i64>,
    p: &ProfileInput,
    s: &Sensitive,
    consents: &BTreeSet<String>,
    choice: &VisibilityChoice,
) -> Result<Vec<Field>, AppError> {
    Ok(match step {
        Step::Name => vec![text(
            "nom",
            "Nom à montrer",
            &p.display_name,
            "Par exemple : Awa D.",
        )],
        Step::Photo => photo(state, profile_id).await?,
        Step::Presentation => vec![area(
            "presentation",
            "Ma présentation",
            &p.presentation,
            "2 000 caractères au plus.",
        )],
        Step::EasyPresentation => vec![area(
            "presentation_facile",
            "Ma présentation facile à lire",
            &p.presentation_easy,
            "Par exemple : Je m’appelle Awa. J’ai un handicap. J’explique aux équipes comment m’accueillir.",
        )],
        Step::Job => vec![text(
            "metier",
            "Mon métier",
            p.job_title.as_deref().unwrap_or_default(),
            "",
        )],
        Step::Interventions => interventions(p),
        Step::Themes => themes(state, p).await?,
        Step::Format => format(p),
        Step::Territory => territory(state, p).await?,
        Step::Languages => languages(p),
        Step::Availability => availability(state, profile_id, p).await?,
        Step::Visibility if choice.owner => own_visibility(p, consents),
        Step::Visibility => visibility_for_others(p, choice),
        Step::Accommodations => vec![
            area(
                "reponse",
                "Mes besoins",
                s.accommodations.as_deref().unwrap_or_default(),
                "",
            ),
            Field::Consent {
                name: "accord",
                label: "J’accepte que la coordination de mon territoire lise cette réponse, pour préparer mes interventions.",
                checked: consents.contains(purpose::ACCOMMODATIONS),
            },
        ],
        Step::Experience => vec![
            area(
                "reponse",
                "Mon expérience du handicap",
                s.disability_experience.as_deref().unwrap_or_default(),
                "",
            ),
            Field::Consent {
                name: "accord",
                label: "J’accepte que la coordination de mon territoire lise cette réponse.",
                checked: consents.contains(purpose::EXPERIENCE),
            },
        ],
    })
}

/// A one-line text field.
fn text(name: &'static str, label: &'static str, value: &str, hint: &'static str) -> Field {
    Field::Text {
        name,
        label,
        value: value.to_owned(),
        hint,
    }
}

/// A text field of several lines.
fn area(name: &'static str, label: &'static str, value: &str, hint: &'static str) -> Field {
    Field::Area {
        name,
        label,
        value: value.to_owned(),
        hint,
    }
}

/// One box or option of a list.
fn check(value: &str, label: &str, checked: bool) -> Choice {
    Choice {
        value: value.into(),
        label: label.into(),
        checked,
    }
}

async fn photo(state: &AppState, profile_id: Option<i64>) -> Result<Vec<Field>, AppError> {
    let current = match profile_id {
        Some(id) => {
            let mut conn = state.db.conn().await?;
            directory::photo(&mut conn, id).await?
        }
        None => None,
    };
    let mut list = vec![
        Field::File {
            name: "photo",
            label: "Ma photo (facultatif)",
            hint: "Une image JPEG, PNG ou WebP de 2 Mo au plus.",
        },
        Field::Text {
            name: "description",
            label: "Description de la photo",
            value: current
                .as_ref()
                .map(|(_, alt)| alt.clone())
                .unwrap_or_default(),
            hint: "Par exemple : Awa sourit, devant un mur de briques.",
        },
    ];
    if current.is_some() {
        list.push(Field::Consent {
            name: "retirer",
            label: "Retirer ma photo actuelle",
            checked: false,
        });
    }
    Ok(list)
}

fn interventions(p: &ProfileInput) -> Vec<Field> {
    vec![Field::Checks {
        name: "interventions",
        legend: "Je veux :",
        choices: InterventionKind::ALL
            .into_iter()
            .map(|k| check(k.code(), k.label(), p.interventions.contains(&k)))
            .collect(),
    }]
}

async fn themes(state: &AppState, p: &ProfileInput) -> Result<Vec<Field>, AppError> {
    let mut conn = state.db.conn().await?;
    let themes = directory::themes(&mut conn).await?;
    Ok(vec![
        Field::Checks {
            name: "themes",
            legend: "Les sujets",
            choices: themes
                .iter()
                .map(|t| check(&t.id.to_string(), &t.label, p.theme_ids.contains(&t.id)))
                .collect(),
        },
        text(
            "mots",
            "Mes propres mots (facultatif)",
            &p.own_words,
            "Par exemple : retour à l’emploi après une maladie.",
        ),
    ])
}

fn format(p: &ProfileInput) -> Vec<Field> {
    vec![
        Field::Checks {
            name: "formats",
            legend: "Je peux intervenir :",
            choices: vec![
                check(Format::OnSite.code(), Format::OnSite.label(), p.on_site),
                check(Format::Remote.code(), Format::Remote.label(), p.remote),
            ],
        },
        Field::Number {
            name: "km",
            label: "Je peux me déplacer jusqu’à (en kilomètres, facultatif)",
            value: p.travel_km.map(|k| k.to_string()).unwrap_or_default(),
            hint: "Par exemple : 50",
        },
    ]
}

async fn territory(state: &AppState, p: &ProfileInput) -> Result<Vec<Field>, AppError> {
    let mut conn = state.db.conn().await?;
    let all = territories::departments(&mut conn).await?;
    let home = p.home_department.clone().unwrap_or_default();
    let others: Vec<String> = p
        .departments
        .iter()
        .filter(|d| **d != home)
        .cloned()
        .collect();
    Ok(vec![
        Field::Select {
            name: "departement",
            label: "Mon département",
            choices: all
                .iter()
                .map(|d| check(&d.code, &format!("{} – {}", d.code, d.name), d.code == home))
                .collect(),
        },
        text(
            "autres",
            "Autres départements (facultatif)",
            &others.join(", "),
            "Les numéros ou les noms, séparés par des virgules. Par exemple : 32, Tarn",
        ),
    ])
}

fn languages(p: &ProfileInput) -> Vec<Field> {
    vec![
        Field::Checks {
            name: "langues",
            legend: "J’interviens en :",
            choices: LANGUAGES
                .iter()
                .map(|(c, l)| check(c, l, p.languages.iter().any(|x| x == c)))
                .collect(),
        },
        text(
            "autres_langues",
            "Autres langues (facultatif)",
            &p.other_languages,
            "Par exemple : arabe, anglais",
        ),
    ]
}

async fn availability(
    state: &AppState,
    profile_id: Option<i64>,
    p: &ProfileInput,
) -> Result<Vec<Field>, AppError> {
    let mut list = vec![Field::Number {
        name: "par_mois",
        label: "Nombre d’interventions par mois, au plus",
        value: p.max_per_month.map(|k| k.to_string()).unwrap_or_default(),
        hint: "Un nombre entre 1 et 20. Laissez vide si vous ne savez pas encore.",
    }];
    let absences = match profile_id {
        Some(id) => {
            let mut conn = state.db.conn().await?;
            directory::absences(&mut conn, id, &today()).await?
        }
        None => Vec::new(),
    };
    if !absences.is_empty() {
        list.push(Field::Checks {
            name: "supprimer",
            legend: "Mes absences prévues. Cochez celles à supprimer :",
            choices: absences
                .iter()
                .map(|a| {
                    let label = format!(
                        "du {} au {}",
                        french_weekday_date(&a.starts_on),
                        french_weekday_date(&a.ends_on)
                    );
                    check(&a.id.to_string(), &label, false)
                })
                .collect(),
        });
    }
    list.push(text(
        "absent_du",
        "Mon absence commence le (facultatif)",
        "",
        "Jour/mois/année, par exemple 01/07/2027. Pendant une absence, on ne vous propose rien.",
    ));
    list.push(text(
        "absent_au",
        "Jusqu’au",
        "",
        "Jour/mois/année, par exemple 31/08/2027.",
    ));
    Ok(list)
}

/// The person: any visibility, and their consent on the same page.
fn own_visibility(p: &ProfileInput, consents: &BTreeSet<String>) -> Vec<Field> {
    vec![
        Field::Radios {
            name: "visibilite",
            legend: "Ma fiche est :",
            choices: Visibility::ALL
                .into_iter()
                .map(|v| check(v.code(), v.label(), v == p.visibility))
                .collect(),
        },
        Field::Consent {
            name: "accord",
            label: "J’accepte que ma fiche soit dans l’annuaire EPoP, pour les personnes que j’ai choisies. Je peux retirer mon accord quand je veux : ma fiche sera alors masquée tout de suite.",
            checked: consents.contains(purpose::LISTING),
        },
    ]
}

/// Someone else: only what the person's consent allows, no consent box.
fn visibility_for_others(p: &ProfileInput, choice: &VisibilityChoice) -> Vec<Field> {
    vec![Field::Radios {
        name: "visibilite",
        legend: "La fiche est :",
        choices: choice
            .ceiling
            .and_below()
            .into_iter()
            .map(|v| check(v.code(), v.label(), v == p.visibility))
            .collect(),
    }]
}
