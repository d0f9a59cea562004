//! Filling in a directory profile, one question per page, in easy words.
//! Each answer is saved as soon as it is sent, so nothing is lost after a
//! mistake or a pause; a new profile stays hidden until its owner chooses
//! who may see it and gives their consent. Coordinators fill the same pages
//! for people of their territory (except the sensitive questions, which
//! only the person answers, with their own consent); they never give a
//! consent in the person's name, and may make a profile less visible, never
//! more (`epop_domain::directory::visibility_ceiling`), unless they recorded
//! the person's written consent (`admin::consent`). The summary page shows
//! the person each consent on file, who gave it and when, and withdraws it.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use epop_domain::directory::{
    Format, InterventionKind, LANGUAGES, ListingConsent, ProfileKind, Visibility,
    may_manage_profile, visibility_ceiling,
};
use epop_domain::text::{self, fold, parse_date, required};
use epop_domain::{DepartmentCode, Invalid, Role, account};
use epop_store::directory::{self, ConsentSource, ProfileInput, Sensitive, purpose};
use epop_store::{accounts, audit, territories};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::french::french_date;
use crate::render::{render, render_form};
use crate::{AppError, AppState, Ctx};

/// Version of the consent texts shown on these pages.
const CONSENT_VERSION: &str = "2026-11";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/ma-fiche", get(overview))
        .route("/espace/ma-fiche/accords", post(withdraw))
        .route(
            "/espace/ma-fiche/photo",
            get(own_photo_form).post(own_photo_save),
        )
        .route("/espace/ma-fiche/{step}", get(own_step).post(own_save))
        .route(
            "/admin/annuaire/{slug}/modifier/photo",
            get(other_photo_form).post(other_photo_save),
        )
        .route(
            "/admin/annuaire/{slug}/modifier/{step}",
            get(other_step).post(other_save),
        )
        .layer(DefaultBodyLimit::max(crate::forms::upload_limit(MAX_PHOTO)))
}

/// The questions, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Name,
    Photo,
    Presentation,
    EasyPresentation,
    Job,
    Interventions,
    Themes,
    Format,
    Territory,
    Languages,
    Availability,
    Visibility,
    Accommodations,
    Experience,
}

const PEER_STEPS: &[Step] = &[
    Step::Name,
    Step::Photo,
    Step::Presentation,
    Step::EasyPresentation,
    Step::Interventions,
    Step::Themes,
    Step::Format,
    Step::Territory,
    Step::Languages,
    Step::Availability,
    Step::Visibility,
    Step::Accommodations,
    Step::Experience,
];
const REFERENT_STEPS: &[Step] = &[
    Step::Name,
    Step::Photo,
    Step::Presentation,
    Step::Job,
    Step::Territory,
    Step::Visibility,
];

impl Step {
    fn slug(self) -> &'static str {
        match self {
            Step::Name => "nom",
            Step::Photo => "photo",
            Step::Presentation => "presentation",
            Step::EasyPresentation => "presentation-facile",
            Step::Job => "metier",
            Step::Interventions => "interventions",
            Step::Themes => "themes",
            Step::Format => "format",
            Step::Territory => "territoire",
            Step::Languages => "langues",
            Step::Availability => "disponibilite",
            Step::Visibility => "visibilite",
            Step::Accommodations => "amenagements",
            Step::Experience => "experience",
        }
    }

    /// The question, as the page's title.
    fn question(self) -> &'static str {
        match self {
            Step::Name => "Quel nom voulez-vous montrer ?",
            Step::Photo => "Voulez-vous montrer une photo ?",
            Step::Presentation => "Présentez-vous",
            Step::EasyPresentation => "Présentez-vous en phrases faciles",
            Step::Job => "Quel est votre métier ?",
            Step::Interventions => "Que voulez-vous faire ?",
            Step::Themes => "De quels sujets voulez-vous parler ?",
            Step::Format => "Comment voulez-vous intervenir ?",
            Step::Territory => "Où pouvez-vous intervenir ?",
            Step::Languages => "Dans quelles langues ?",
            Step::Availability => "Combien d’interventions par mois, au plus ?",
            Step::Visibility => "Qui peut voir votre fiche ?",
            Step::Accommodations => "De quoi avez-vous besoin pour bien travailler ?",
            Step::Experience => "Voulez-vous parler de votre handicap ?",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Step::Photo => {
                "Une photo aide les personnes à vous reconnaître. Ce n’est pas obligatoire. Si vous en mettez une, décrivez-la en quelques mots : la description est lue aux personnes aveugles."
            }
            Step::Name => {
                "Vous pouvez donner votre vrai nom ou un nom choisi. Ce nom sera sur votre fiche."
            }
            Step::Presentation => {
                "Quelques phrases : qui vous êtes, ce que vous savez faire, ce que votre expérience apporte."
            }
            Step::EasyPresentation => {
                "Écrivez des phrases courtes, avec des mots simples. Une idée par phrase. Cette présentation aide les personnes qui lisent difficilement. Vous pouvez laisser vide."
            }
            Step::Job => "Votre métier dans votre structure, par exemple : monitrice d’atelier.",
            Step::Interventions => "Cochez une ou plusieurs cases.",
            Step::Themes => {
                "Cochez les sujets qui vous intéressent. Vous pouvez aussi écrire vos propres mots."
            }
            Step::Format => {
                "Sur place : vous allez dans la structure. À distance : par visioconférence ou par téléphone."
            }
            Step::Territory => {
                "Choisissez votre département. Vous pouvez aussi donner d’autres départements où vous acceptez d’aller."
            }
            Step::Languages => "Cochez les langues que vous utilisez pour intervenir.",
            Step::Availability => {
                "Vous décidez. On ne vous proposera pas plus d’interventions que ce nombre."
            }
            Step::Visibility => "Vous choisissez. Vous pourrez changer d’avis quand vous voulez.",
            Step::Accommodations => {
                "Par exemple : un interprète en langue des signes, des pauses, un lieu accessible en fauteuil. Seules vous et la coordination de votre territoire lirez cette réponse. Vous pouvez laisser vide."
            }
            Step::Experience => {
                "Ce n’est pas obligatoire. Seules vous et la coordination de votre territoire lirez cette réponse. Vous pouvez laisser vide."
            }
        }
    }

    fn sensitive(self) -> bool {
        matches!(self, Step::Accommodations | Step::Experience)
    }
}

fn steps(kind: ProfileKind, owner: bool) -> Vec<Step> {
    let all = if kind == ProfileKind::Peer {
        PEER_STEPS
    } else {
        REFERENT_STEPS
    };
    all.iter()
        .copied()
        .filter(|s| owner || !s.sensitive())
        .collect()
}

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

/// Why a coordinator's choices are limited on the visibility page, and where
/// to record the person's written consent.
pub struct Limits {
    pub text: String,
    pub link: Option<String>,
}

#[derive(Template)]
#[template(path = "space/profile_step.html")]
struct StepPage {
    l: Layout,
    errors: Errors,
    number: usize,
    count: usize,
    help: &'static str,
    limits: Option<Limits>,
    fields: Vec<Field>,
    action: String,
    back: Option<String>,
    whose: String,
    /// The photo page sends a file: multipart, CSRF token in the action URL.
    multipart: bool,
}

/// Whose profile is being filled in.
struct Target {
    account_id: i64,
    kind: ProfileKind,
    owner: bool,
    /// Base of the pages' URLs (`/espace/ma-fiche` or `/admin/annuaire/{slug}/modifier`).
    base: String,
    /// The page recording the person's written consent (coordinators' pages).
    written_consent: Option<String>,
    name: String,
    home_department: Option<String>,
    organisation_id: Option<i64>,
}

fn own_target(ctx: &Ctx) -> Result<Target, AppError> {
    let user = ctx.user()?;
    let kind = if user.principal.has(Role::Peer) {
        ProfileKind::Peer
    } else if user.principal.has(Role::Referent) {
        ProfileKind::Referent
    } else {
        return Err(AppError::Forbidden);
    };
    Ok(Target {
        account_id: user.account.id,
        kind,
        owner: true,
        base: "/espace/ma-fiche".into(),
        written_consent: None,
        name: user.account.display_name.clone(),
        home_department: user.account.department_code.clone(),
        organisation_id: user.account.organisation_id,
    })
}

/// A coordinator (of a département of the profile) or an admin.
async fn other_target(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Target, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let profile = directory::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    let departments = profile.card.departments.iter().map(|(d, _)| d.as_str());
    if !may_manage_profile(&user.principal, departments) {
        return Err(AppError::Forbidden);
    }
    Ok(Target {
        account_id: profile.account_id,
        kind: profile.card.kind,
        owner: profile.account_id == user.account.id,
        base: format!("/admin/annuaire/{slug}/modifier"),
        written_consent: Some(format!("/admin/annuaire/{slug}/accord-ecrit")),
        name: profile.card.display_name.clone(),
        home_department: profile.card.home_department.clone(),
        organisation_id: None,
    })
}

/// The profile's current values, or the defaults of a new profile.
async fn current(
    state: &AppState,
    t: &Target,
) -> Result<(Option<i64>, ProfileInput, Sensitive), AppError> {
    let mut conn = state.db.conn().await?;
    match directory::profile_of(&mut conn, t.account_id, t.kind).await? {
        Some((id, _)) => {
            let input = directory::input_of(&mut conn, id).await?;
            let sensitive = if t.owner {
                directory::sensitive_for_owner(&mut conn, id).await?
            } else {
                Sensitive::default()
            };
            Ok((Some(id), input, sensitive))
        }
        None => Ok((
            None,
            ProfileInput {
                kind: t.kind,
                display_name: t.name.clone(),
                visibility: Visibility::Hidden,
                home_department: t.home_department.clone(),
                presentation: String::new(),
                presentation_easy: String::new(),
                own_words: String::new(),
                on_site: true,
                remote: false,
                travel_km: None,
                other_languages: String::new(),
                max_per_month: None,
                job_title: None,
                organisation_id: t.organisation_id,
                departments: t.home_department.clone().into_iter().collect(),
                interventions: Vec::new(),
                theme_ids: Vec::new(),
                languages: vec!["fr".into()],
            },
            Sensitive::default(),
        )),
    }
}

/// What the visibility page may offer: the person chooses anything (and
/// gives their consent on the same page); anyone else is held by
/// [`visibility_ceiling`].
struct VisibilityChoice {
    owner: bool,
    consent: ListingConsent,
    ceiling: Visibility,
}

async fn visibility_choice(
    state: &AppState,
    t: &Target,
    current: Visibility,
) -> Result<VisibilityChoice, AppError> {
    let mut conn = state.db.conn().await?;
    let consent = directory::listing_consent(&mut conn, t.account_id).await?;
    Ok(VisibilityChoice {
        owner: t.owner,
        consent,
        ceiling: visibility_ceiling(t.owner, consent, Some(current)),
    })
}

/// Someone else's write never leaves a profile more visible than the
/// person's consent allows, read again in the write's transaction: the
/// person may have withdrawn it since the page was read, and their answer
/// wins.
async fn keep_to_consent(
    conn: &mut epop_store::Conn,
    t: &Target,
    p: &mut ProfileInput,
) -> Result<(), AppError> {
    if !t.owner {
        let consent = directory::listing_consent(conn, t.account_id).await?;
        p.visibility = p
            .visibility
            .at_most(visibility_ceiling(false, consent, Some(p.visibility)));
    }
    Ok(())
}

/// Why a coordinator's choices are limited, in plain words.
fn limits(t: &Target, c: &VisibilityChoice) -> Limits {
    let name = &t.name;
    let text = match c.consent {
        ListingConsent::NeverAsked => format!(
            "{name} n’a pas encore dit si sa fiche peut être dans l’annuaire. C’est la personne qui choisit, dans son espace. Sans son accord, la fiche est visible des membres du réseau, au plus. Vous pouvez la rendre moins visible, pas plus."
        ),
        ListingConsent::ByPerson => format!(
            "C’est {name} qui a choisi qui peut voir sa fiche. Vous pouvez la rendre moins visible, pas plus : pour la montrer à plus de monde, il faut son accord."
        ),
        ListingConsent::Withdrawn => format!(
            "{name} a retiré son accord pour être dans l’annuaire : sa fiche reste masquée. Seule la personne peut la montrer de nouveau, dans son espace, ou en vous donnant son accord par écrit."
        ),
        ListingConsent::Written => format!(
            "L’accord écrit de {name} pour être dans l’annuaire est enregistré. Choisissez qui voit sa fiche, comme la personne l’a demandé."
        ),
    };
    Limits {
        text,
        link: t
            .written_consent
            .clone()
            .filter(|_| c.consent != ListingConsent::Written),
    }
}

fn find_step(t: &Target, slug: &str) -> Result<(usize, Step, Vec<Step>), AppError> {
    let list = steps(t.kind, t.owner);
    let n = list
        .iter()
        .position(|s| s.slug() == slug)
        .ok_or(AppError::NotFound)?;
    Ok((n, list[n], list))
}

/// The fields of a step, filled with the current values (or what was typed).
async fn fields(
    state: &AppState,
    step: Step,
    profile_id: Option<i64>,
    p: &ProfileInput,
    s: &Sensitive,
    consents: &BTreeSet<String>,
    choice: &VisibilityChoice,
) -> Result<Vec<Field>, AppError> {
    let check = |value: &str, label: &str, checked: bool| Choice {
        value: value.into(),
        label: label.into(),
        checked,
    };
    Ok(match step {
        Step::Name => vec![Field::Text {
            name: "nom",
            label: "Nom à montrer",
            value: p.display_name.clone(),
            hint: "Par exemple : Awa D.",
        }],
        Step::Photo => {
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
            list
        }
        Step::Presentation => vec![Field::Area {
            name: "presentation",
            label: "Ma présentation",
            value: p.presentation.clone(),
            hint: "2 000 caractères au plus.",
        }],
        Step::EasyPresentation => vec![Field::Area {
            name: "presentation_facile",
            label: "Ma présentation facile à lire",
            value: p.presentation_easy.clone(),
            hint: "Par exemple : Je m’appelle Awa. J’ai un handicap. J’explique aux équipes comment m’accueillir.",
        }],
        Step::Job => vec![Field::Text {
            name: "metier",
            label: "Mon métier",
            value: p.job_title.clone().unwrap_or_default(),
            hint: "",
        }],
        Step::Interventions => vec![Field::Checks {
            name: "interventions",
            legend: "Je veux :",
            choices: InterventionKind::ALL
                .into_iter()
                .map(|k| check(k.code(), k.label(), p.interventions.contains(&k)))
                .collect(),
        }],
        Step::Themes => {
            let mut conn = state.db.conn().await?;
            let themes = directory::themes(&mut conn).await?;
            vec![
                Field::Checks {
                    name: "themes",
                    legend: "Les sujets",
                    choices: themes
                        .iter()
                        .map(|t| check(&t.id.to_string(), &t.label, p.theme_ids.contains(&t.id)))
                        .collect(),
                },
                Field::Text {
                    name: "mots",
                    label: "Mes propres mots (facultatif)",
                    value: p.own_words.clone(),
                    hint: "Par exemple : retour à l’emploi après une maladie.",
                },
            ]
        }
        Step::Format => vec![
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
        ],
        Step::Territory => {
            let mut conn = state.db.conn().await?;
            let all = territories::departments(&mut conn).await?;
            let home = p.home_department.clone().unwrap_or_default();
            let others: Vec<String> = p
                .departments
                .iter()
                .filter(|d| **d != home)
                .cloned()
                .collect();
            vec![
                Field::Select {
                    name: "departement",
                    label: "Mon département",
                    choices: all
                        .iter()
                        .map(|d| {
                            check(&d.code, &format!("{} – {}", d.code, d.name), d.code == home)
                        })
                        .collect(),
                },
                Field::Text {
                    name: "autres",
                    label: "Autres départements (facultatif)",
                    value: others.join(", "),
                    hint: "Les numéros, séparés par des virgules. Par exemple : 32, 81",
                },
            ]
        }
        Step::Languages => vec![
            Field::Checks {
                name: "langues",
                legend: "J’interviens en :",
                choices: LANGUAGES
                    .iter()
                    .map(|(c, l)| check(c, l, p.languages.iter().any(|x| x == c)))
                    .collect(),
            },
            Field::Text {
                name: "autres_langues",
                label: "Autres langues (facultatif)",
                value: p.other_languages.clone(),
                hint: "Par exemple : arabe, anglais",
            },
        ],
        Step::Availability => {
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
                                french_date(&a.starts_on),
                                french_date(&a.ends_on)
                            );
                            check(&a.id.to_string(), &label, false)
                        })
                        .collect(),
                });
            }
            list.push(Field::Text {
                name: "absent_du",
                label: "Je serai absent·e à partir du (facultatif)",
                value: String::new(),
                hint: "Jour/mois/année, par exemple 01/07/2027. Pendant une absence, on ne vous propose rien.",
            });
            list.push(Field::Text {
                name: "absent_au",
                label: "Jusqu’au",
                value: String::new(),
                hint: "Jour/mois/année, par exemple 31/08/2027.",
            });
            list
        }
        Step::Visibility if choice.owner => vec![
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
        ],
        // Someone else: only what the person's consent allows, no consent box.
        Step::Visibility => vec![Field::Radios {
            name: "visibilite",
            legend: "La fiche est :",
            choices: choice
                .ceiling
                .and_below()
                .into_iter()
                .map(|v| check(v.code(), v.label(), v == p.visibility))
                .collect(),
        }],
        Step::Accommodations => vec![
            Field::Area {
                name: "reponse",
                label: "Mes besoins",
                value: s.accommodations.clone().unwrap_or_default(),
                hint: "",
            },
            Field::Consent {
                name: "accord",
                label: "J’accepte que la coordination de mon territoire lise cette réponse, pour préparer mes interventions.",
                checked: consents.contains(purpose::ACCOMMODATIONS),
            },
        ],
        Step::Experience => vec![
            Field::Area {
                name: "reponse",
                label: "Mon expérience du handicap",
                value: s.disability_experience.clone().unwrap_or_default(),
                hint: "",
            },
            Field::Consent {
                name: "accord",
                label: "J’accepte que la coordination de mon territoire lise cette réponse.",
                checked: consents.contains(purpose::EXPERIENCE),
            },
        ],
    })
}

/// What was sent, when a page comes back with errors: every text the person
/// typed is shown again as typed, even when it could not be kept.
type Typed<'a> = (ProfileInput, Sensitive, BTreeSet<String>, &'a Pairs);

async fn show(
    state: &AppState,
    ctx: &Ctx,
    t: &Target,
    slug: &str,
    errors: Errors,
    typed: Option<Typed<'_>>,
) -> Result<Response, AppError> {
    let (n, step, list) = find_step(t, slug)?;
    let (profile_id, stored, _) = current(state, t).await?;
    let choice = visibility_choice(state, t, stored.visibility).await?;
    let (p, s, consents, form) = match typed {
        Some((p, s, c, form)) => (p, s, c, Some(form)),
        None => {
            let (_, p, s) = current(state, t).await?;
            let mut conn = state.db.conn().await?;
            let consents = directory::active_consents(&mut conn, t.account_id)
                .await?
                .into_keys()
                .collect();
            (p, s, consents, None)
        }
    };
    let mut fields = fields(state, step, profile_id, &p, &s, &consents, &choice).await?;
    if let Some(form) = form {
        for field in &mut fields {
            if let Field::Text { name, value, .. }
            | Field::Area { name, value, .. }
            | Field::Number { name, value, .. } = field
                && form.0.iter().any(|(k, _)| k == name)
            {
                *value = form.get(name);
            }
        }
    }
    let invalid = !errors.is_empty();
    let page = StepPage {
        l: ctx.layout_with_errors(step.question(), invalid),
        errors,
        number: n + 1,
        count: list.len(),
        help: if step == Step::Visibility && !t.owner {
            ""
        } else {
            step.help()
        },
        limits: (step == Step::Visibility && !t.owner).then(|| limits(t, &choice)),
        fields,
        action: format!("{}/{}", t.base, step.slug()),
        back: (n > 0).then(|| format!("{}/{}", t.base, list[n - 1].slug())),
        multipart: step == Step::Photo,
        whose: if t.owner {
            String::new()
        } else {
            t.name.clone()
        },
    };
    render_form(&page, invalid)
}

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
struct AbsenceChanges {
    add: Option<(String, String)>,
    remove: Vec<i64>,
}

/// Today in Paris, as stored dates are compared.
fn today() -> String {
    crate::french::paris_today().to_string()
}

/// What one page's answers change.
struct Answers<'a> {
    p: &'a mut ProfileInput,
    s: &'a mut Sensitive,
    /// The person's consents (only their own pages change them).
    consents: &'a mut BTreeSet<String>,
    absences: &'a mut AbsenceChanges,
}

/// Applies one page's answers; returns the problems, field by field.
async fn apply(
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
        Step::Name => {
            if let Some(v) = e.check("nom", account::display_name(&form.get("nom"))) {
                p.display_name = v;
            } else {
                p.display_name = form.get("nom");
            }
        }
        // The photo page has its own handler (`save_photo`): it reads a file.
        Step::Photo => {}
        Step::Presentation => {
            p.presentation = form.get("presentation");
            e.check(
                "presentation",
                optional_area(&p.presentation, "votre présentation", 2000),
            );
        }
        Step::EasyPresentation => {
            p.presentation_easy = form.get("presentation_facile");
            e.check(
                "presentation_facile",
                optional_area(&p.presentation_easy, "votre présentation facile", 1000),
            );
        }
        Step::Job => {
            let v = form.get("metier");
            if e.check("metier", optional_text(&v, "votre métier", 120))
                .is_some()
            {
                p.job_title = Some(v.trim().to_owned()).filter(|x| !x.is_empty());
            }
        }
        Step::Interventions => {
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
        Step::Themes => {
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
        }
        Step::Format => {
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
        Step::Territory => {
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
                    Ok(d) if !list.contains(&d.as_str().to_owned()) => {
                        list.push(d.as_str().to_owned())
                    }
                    Ok(_) => {}
                    Err(err) => {
                        e.add("autres", err.0);
                        break;
                    }
                }
            }
            p.departments = list;
        }
        Step::Languages => {
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
        Step::Availability => {
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
        Step::Visibility if !choice.owner => {
            // Never a consent in the person's name (`accord` is ignored),
            // never more visible than the person agreed to.
            match Visibility::from_code(&form.get("visibilite")) {
                Some(v) if v.openness() > choice.ceiling.openness() => e.add(
                    "visibilite",
                    "Vous ne pouvez pas rendre cette fiche plus visible : c’est la personne qui donne son accord. Choisissez une visibilité de la liste, ou enregistrez d’abord son accord écrit.",
                ),
                Some(v) => p.visibility = v,
                None => e.add("visibilite", "Choisissez qui peut voir la fiche."),
            }
        }
        Step::Visibility => {
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
        Step::Accommodations | Step::Experience => {
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
                e.add("accord", "Pour partager cette réponse, cochez la case « J’accepte ». Sinon, videz le champ.");
            }
            let value = Some(answer.trim().to_owned()).filter(|x| !x.is_empty());
            if step == Step::Accommodations {
                s.accommodations = value;
            } else {
                s.disability_experience = value;
            }
        }
    }
    Ok(e)
}

async fn save(
    state: AppState,
    ctx: Ctx,
    t: Target,
    slug: String,
    form: Pairs,
) -> Result<Response, AppError> {
    let (n, step, list) = find_step(&t, &slug)?;
    let (existing, mut p, mut s) = current(&state, &t).await?;
    let choice = visibility_choice(&state, &t, p.visibility).await?;
    let mut conn = state.db.conn().await?;
    let before: BTreeSet<String> = directory::active_consents(&mut conn, t.account_id)
        .await?
        .into_keys()
        .collect();
    drop(conn);
    let mut consents = before.clone();
    let mut absence_changes = AbsenceChanges::default();
    let errors = apply(
        &state,
        step,
        &form,
        Answers {
            p: &mut p,
            s: &mut s,
            consents: &mut consents,
            absences: &mut absence_changes,
        },
        &choice,
    )
    .await?;
    if !errors.is_empty() {
        return show(
            &state,
            &ctx,
            &t,
            &slug,
            errors,
            Some((p, s, consents, &form)),
        )
        .await;
    }
    let mut tx = state.db.write().await?;
    keep_to_consent(&mut tx, &t, &mut p).await?;
    let (id, profile_slug) =
        directory::upsert(&mut tx, state.db.engine(), t.account_id, &p).await?;
    // Only the person gives or withdraws their consents.
    let purposes: &[&str] = if t.owner {
        &[
            purpose::LISTING,
            purpose::ACCOMMODATIONS,
            purpose::EXPERIENCE,
        ]
    } else {
        &[]
    };
    for &key in purposes {
        match (before.contains(key), consents.contains(key)) {
            (false, true) => {
                directory::give_consent(&mut tx, t.account_id, key, CONSENT_VERSION).await?
            }
            (true, false) => directory::withdraw_consent(&mut tx, t.account_id, key).await?,
            _ => {}
        }
    }
    for absence in &absence_changes.remove {
        directory::remove_absence(&mut tx, id, *absence).await?;
    }
    if let Some((start, end)) = &absence_changes.add {
        directory::add_absence(&mut tx, id, start, end).await?;
    }
    if step.sensitive() {
        let stored = directory::sensitive_for_owner(&mut tx, id).await?;
        let merged = Sensitive {
            accommodations: if step == Step::Accommodations {
                s.accommodations.clone()
            } else {
                stored.accommodations
            },
            disability_experience: if step == Step::Experience {
                s.disability_experience.clone()
            } else {
                stored.disability_experience
            },
        };
        directory::set_sensitive(&mut tx, id, &merged).await?;
    }
    if !t.owner || existing.is_none() {
        let detail = if existing.is_none() {
            "Fiche d’annuaire créée".to_owned()
        } else {
            format!("Fiche de {} modifiée : {}", p.display_name, step.question())
        };
        audit::record(
            &mut tx,
            ctx.audit(
                "profile_updated",
                Some(format!("profile:{profile_slug}")),
                detail,
            ),
        )
        .await?;
    }
    if step == Step::Name && t.owner {
        accounts::update_display_name(&mut tx, t.account_id, &p.display_name).await?;
    }
    tx.commit().await?;
    let changed_absences = absence_changes.add.is_some() || !absence_changes.remove.is_empty();
    let next = match list.get(n + 1) {
        _ if changed_absences => format!("{}/{}?message=absences", t.base, step.slug()),
        Some(next) => format!("{}/{}", t.base, next.slug()),
        None if t.owner => "/espace/ma-fiche?message=fiche".into(),
        None => format!("/annuaire/{profile_slug}"),
    };
    Ok(Redirect::to(&next).into_response())
}

async fn own_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(step): Path<String>,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    show(&state, &ctx, &t, &step, Errors::default(), None).await
}

async fn own_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(step): Path<String>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    save(state, ctx, t, step, form).await
}

async fn other_step(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, step)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    show(&state, &ctx, &t, &step, Errors::default(), None).await
}

async fn other_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, step)): Path<(String, String)>,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    save(state, ctx, t, step, form).await
}

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
            french_date(given_on),
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
#[template(path = "space/profile_overview.html")]
struct Overview {
    l: Layout,
    slug: Option<String>,
    answers: Vec<Answer>,
    first: String,
    listed: Listed,
    consents: Vec<ConsentView>,
}

async fn overview(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    let (existing, p, s) = current(&state, &t).await?;
    let mut conn = state.db.conn().await?;
    let consents = directory::active_consents(&mut conn, t.account_id).await?;
    let on_file = directory::consents_on_file(&mut conn, t.account_id).await?;
    let slug = match existing {
        Some(_) => directory::profile_of(&mut conn, t.account_id, t.kind)
            .await?
            .map(|(_, slug)| slug),
        None => None,
    };
    let photo_alt = match existing {
        Some(id) => directory::photo(&mut conn, id).await?.map(|(_, alt)| alt),
        None => None,
    };
    let themes = directory::themes(&mut conn).await?;
    let none = || "Pas encore de réponse".to_owned();
    let list = steps(t.kind, true);
    let answers = if existing.is_none() {
        Vec::new()
    } else {
        list.iter()
            .map(|step| {
                let answer = match step {
                    Step::Name => p.display_name.clone(),
                    Step::Photo => photo_alt
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
                    Step::Themes => {
                        let mut words: Vec<String> = themes
                            .iter()
                            .filter(|t| p.theme_ids.contains(&t.id))
                            .map(|t| t.label.clone())
                            .collect();
                        if !p.own_words.is_empty() {
                            words.push(p.own_words.clone());
                        }
                        words.join(", ")
                    }
                    Step::Format => [(p.on_site, "Sur place"), (p.remote, "À distance")]
                        .iter()
                        .filter(|(on, _)| *on)
                        .map(|(_, l)| *l)
                        .collect::<Vec<_>>()
                        .join(", "),
                    Step::Territory => p.departments.join(", "),
                    Step::Languages => p.languages.join(", "),
                    Step::Availability => p
                        .max_per_month
                        .map(|n| format!("{n} par mois"))
                        .unwrap_or_default(),
                    Step::Visibility => p.visibility.label().to_owned(),
                    Step::Accommodations => s
                        .accommodations
                        .clone()
                        .map(|a| {
                            if consents.contains_key(purpose::ACCOMMODATIONS) {
                                a
                            } else {
                                format!("{a} (non partagé)")
                            }
                        })
                        .unwrap_or_default(),
                    Step::Experience => s
                        .disability_experience
                        .clone()
                        .map(|a| {
                            if consents.contains_key(purpose::EXPERIENCE) {
                                a
                            } else {
                                format!("{a} (non partagé)")
                            }
                        })
                        .unwrap_or_default(),
                };
                Answer {
                    question: step.question(),
                    answer: if answer.trim().is_empty() {
                        none()
                    } else {
                        answer
                    },
                    href: format!("/espace/ma-fiche/{}", step.slug()),
                }
            })
            .collect()
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

/// The person withdraws one of their consents from the summary page
/// (withdrawing the listing consent hides their profile at once).
async fn withdraw(
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

/// Largest photo accepted.
const MAX_PHOTO: usize = 2 * 1024 * 1024;

/// The image formats accepted, recognised by their first bytes (what the
/// browser says the file is cannot be trusted).
fn image_extension(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.len() > 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// The folder where photos are kept.
pub fn photos_dir(state: &AppState) -> std::path::PathBuf {
    state.config.data_dir.join("photos")
}

async fn own_photo_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    show(
        &state,
        &ctx,
        &t,
        Step::Photo.slug(),
        Errors::default(),
        None,
    )
    .await
}

async fn other_photo_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    show(
        &state,
        &ctx,
        &t,
        Step::Photo.slug(),
        Errors::default(),
        None,
    )
    .await
}

async fn own_photo_save(
    State(state): State<AppState>,
    ctx: Ctx,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let t = own_target(&ctx)?;
    save_photo(state, ctx, t, multipart).await
}

async fn other_photo_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let t = other_target(&state, &ctx, &slug).await?;
    save_photo(state, ctx, t, multipart).await
}

/// Receives the photo page: a file (optional), its description, or the
/// wish to remove the current photo.
async fn save_photo(
    state: AppState,
    ctx: Ctx,
    t: Target,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let mut form = Pairs::default();
    let mut file: Vec<u8> = Vec::new();
    let mut errors = Errors::default();
    let too_big = "La photo est trop lourde : 2 Mo au plus. Choisissez une photo plus petite.";
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) if name == "photo" => file = bytes.to_vec(),
                    Ok(bytes) => form
                        .0
                        .push((name, String::from_utf8_lossy(&bytes).into_owned())),
                    Err(_) => {
                        errors.add("photo", too_big);
                        break;
                    }
                }
            }
            Ok(None) => break,
            Err(_) => {
                errors.add("photo", too_big);
                break;
            }
        }
    }
    let remove = form.get("retirer") == "oui";
    let description = form.get("description");
    let extension = if file.is_empty() {
        None
    } else {
        image_extension(&file)
    };
    if file.len() > MAX_PHOTO {
        errors.add("photo", too_big);
    } else if !file.is_empty() && extension.is_none() {
        errors.add(
            "photo",
            "Ce fichier n’est pas une photo JPEG, PNG ou WebP. Choisissez une autre image.",
        );
    }
    let (existing, mut p, s) = current(&state, &t).await?;
    let current_photo = match existing {
        Some(id) => {
            let mut conn = state.db.conn().await?;
            directory::photo(&mut conn, id).await?
        }
        None => None,
    };
    let keeps_photo = !remove && (extension.is_some() || current_photo.is_some());
    if keeps_photo {
        if description.trim().is_empty() {
            errors.add("description", "Décrivez la photo en quelques mots, par exemple : « Awa sourit, devant un mur de briques ».");
        } else {
            errors.check("description", required(&description, "la description", 200));
        }
    }
    if !errors.is_empty() {
        let mut conn = state.db.conn().await?;
        let consents = directory::active_consents(&mut conn, t.account_id)
            .await?
            .into_keys()
            .collect();
        drop(conn);
        return show(
            &state,
            &ctx,
            &t,
            Step::Photo.slug(),
            errors,
            Some((p, s, consents, &form)),
        )
        .await;
    }
    let new_file = match extension {
        Some(ext) => {
            let dir = photos_dir(&state);
            tokio::fs::create_dir_all(&dir)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            let name = format!("{}.{ext}", crate::security::public_id());
            tokio::fs::write(dir.join(&name), &file)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?;
            Some(name)
        }
        None => None,
    };
    let mut tx = state.db.write().await?;
    keep_to_consent(&mut tx, &t, &mut p).await?;
    let (id, _) = directory::upsert(&mut tx, state.db.engine(), t.account_id, &p).await?;
    let replaced = match (remove, &new_file, &current_photo) {
        (true, _, _) => directory::set_photo(&mut tx, id, None).await?,
        (false, Some(name), _) => {
            directory::set_photo(&mut tx, id, Some((name, description.trim()))).await?
        }
        (false, None, Some((path, _))) => {
            directory::set_photo(&mut tx, id, Some((path, description.trim()))).await?;
            None
        }
        (false, None, None) => None,
    };
    tx.commit().await?;
    if let Some(old) = replaced.filter(|old| Some(old) != new_file.as_ref()) {
        let _ = tokio::fs::remove_file(photos_dir(&state).join(old)).await;
    }
    let list = steps(t.kind, t.owner);
    let n = list.iter().position(|x| *x == Step::Photo).unwrap_or(0);
    let next = list.get(n + 1).map(|x| x.slug()).unwrap_or("nom");
    Ok(Redirect::to(&format!("{}/{next}", t.base)).into_response())
}
