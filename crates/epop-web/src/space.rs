//! The signed-in home space: per role, in plain words, what this person can
//! do here; and changing one's own password.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use epop_domain::{Role, account};
use epop_store::accounts::{self, Scope};
use epop_store::audit;
use epop_store::sessions::{self, Purpose};
use serde::Deserialize;

use crate::auth;
use crate::context::Layout;
use crate::forms::Errors;
use crate::render::{render, render_invalid, slowed};
use crate::security::{hash_password, verify_password};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/espace", get(home)).route(
        "/espace/mot-de-passe",
        get(password_form).post(password_save),
    )
}

/// A link inside a role card.
pub struct CardLink {
    pub href: &'static str,
    pub label: &'static str,
}

/// What one role lets this person do, in plain words.
pub struct RoleCard {
    pub title: &'static str,
    pub text: String,
    pub links: Vec<CardLink>,
}

fn territories(scopes: Option<&Vec<Scope>>) -> String {
    let names: Vec<_> = scopes
        .into_iter()
        .flatten()
        .map(|s| s.name.as_str())
        .collect();
    if names.is_empty() {
        "aucun territoire pour l’instant".into()
    } else {
        names.join(", ")
    }
}

/// The peer's card, in easy-read words when `easy`.
fn peer_card(easy: bool) -> RoleCard {
    let w = |ordinary: &'static str, easy_words: &'static str| {
        if easy { easy_words } else { ordinary }
    };
    RoleCard {
        title: "Vous êtes intervenant-pair ou intervenante-paire",
        text: w(
            "Vous utilisez votre expérience du handicap pour aider, former ou sensibiliser.",
            "Vous parlez de votre vie avec un handicap. Cela aide d’autres personnes.",
        )
        .into(),
        links: vec![
            CardLink {
                href: "/espace/ma-fiche",
                label: w(
                    "Remplir ou modifier ma fiche dans l’annuaire",
                    "Ma fiche : ce que les gens savent de moi",
                ),
            },
            CardLink {
                href: "/evenements",
                label: w("Voir les réunions et les événements", "Les rencontres"),
            },
            CardLink {
                href: "/espace/formations",
                label: w("Mes formations", "Ce que j’apprends"),
            },
            CardLink {
                href: "/espace/mon-parcours",
                label: w(
                    "Mon parcours : formation, accompagnement, interventions",
                    "Mon parcours : ce que j’ai fait, ce que je vais faire",
                ),
            },
            CardLink {
                href: "/espace/propositions",
                label: w(
                    "Mes propositions d’intervention",
                    "Les missions que l’on me propose",
                ),
            },
            CardLink {
                href: "/espace/relectures",
                label: w(
                    "Les textes faciles à lire que je relis",
                    "Les textes que je relis",
                ),
            },
            CardLink {
                href: "/espace/paiements",
                label: w(
                    "Mes interventions et paiements",
                    "Mes missions et l’argent reçu",
                ),
            },
            CardLink {
                href: "/boite-a-outils",
                label: w(
                    "La boîte à outils : guides, modèles et vidéos",
                    "Des documents pour m’aider",
                ),
            },
        ],
    }
}

/// The candidate's card: a welcome in easy-read words, with the next step.
fn candidate_card() -> RoleCard {
    RoleCard {
        title: "Bienvenue ! Vous avez posé votre candidature",
        text: "La coordination de votre département lit votre candidature. Elle vous écrit ou vous appelle. \
               Ensuite, vous venez à une réunion d’information. Puis vous pouvez suivre la formation."
            .into(),
        links: vec![
            CardLink {
                href: "/espace/candidature",
                label: "Ma candidature et ses étapes",
            },
            CardLink {
                href: "/espace/mon-parcours",
                label: "Mon parcours : ce que j’ai fait, ce que je vais faire",
            },
            CardLink {
                href: "/evenements",
                label: "Les rencontres",
            },
            CardLink {
                href: "/espace/formations",
                label: "Mes formations",
            },
        ],
    }
}

/// The cards of the person's roles; the peer's in easy-read words when
/// `easy`.
fn cards(account: &accounts::Account, easy: bool) -> Vec<RoleCard> {
    let org = account
        .organisation_name
        .clone()
        .unwrap_or_else(|| "votre organisation".into());
    account
        .roles
        .iter()
        .map(|(role, scopes)| match role {
            Role::Admin => RoleCard {
                title: "Vous administrez la plateforme",
                text: "Vous gérez les organisations, les comptes, les rôles et les territoires des coordinateurs. Vous pouvez lire le journal de sécurité.".into(),
                links: vec![
                    CardLink { href: "/admin/organisations", label: "Gérer les organisations" },
                    CardLink { href: "/admin/comptes", label: "Gérer les comptes" },
                    CardLink { href: "/admin/journal", label: "Lire le journal de sécurité" },
                    CardLink { href: "/admin/evenements", label: "Gérer les événements" },
                    CardLink { href: "/admin/formations", label: "Organiser les formations" },
                    CardLink { href: "/admin/parcours", label: "Suivre les accompagnements" },
                    CardLink { href: "/admin/candidats", label: "Lire les candidatures pour rejoindre le réseau" },
                    CardLink { href: "/admin/annuaire", label: "Voir et exporter l’annuaire" },
                    CardLink { href: "/admin/demandes", label: "Suivre les demandes d’intervention" },
                    CardLink { href: "/indicateurs", label: "Voir les indicateurs du réseau, de chaque région, département et programme local" },
                    CardLink { href: "/admin/cadres", label: "Tenir à jour les règles des cadres juridiques" },
                    CardLink { href: "/espace/messages", label: "Lire les messages à la coordination nationale" },
                    CardLink { href: "/admin/boite-a-outils", label: "Gérer la boîte à outils et relire les ressources proposées" },
                    CardLink { href: "/admin/relectures", label: "Suivre les relectures des textes faciles à lire" },
                ],
            },
            Role::Coordinator => RoleCard {
                title: "Vous coordonnez un territoire",
                text: format!(
                    "Votre territoire : {}. Vous invitez les intervenants-pairs, les référents et les organisations de votre territoire.",
                    territories(Some(scopes))
                ),
                links: vec![
                    CardLink { href: "/admin/comptes", label: "Voir les comptes de mon territoire" },
                    CardLink { href: "/admin/comptes/inviter", label: "Inviter une personne" },
                    CardLink { href: "/admin/annuaire", label: "Voir l’annuaire de mon territoire" },
                    CardLink { href: "/admin/evenements", label: "Créer et suivre les événements de mon territoire" },
                    CardLink { href: "/admin/formations", label: "Organiser les formations et suivre les personnes formées" },
                    CardLink { href: "/admin/parcours", label: "Suivre les accompagnements et les étapes en retard" },
                    CardLink { href: "/admin/candidats", label: "Lire les candidatures des personnes de mon territoire qui veulent devenir intervenant-pair ou référent" },
                    CardLink { href: "/admin/demandes", label: "Lire les demandes d’intervention de mon territoire, proposer des intervenants-pairs et choisir le cadre de leur intervention" },
                    CardLink { href: "/espace/messages", label: "Lire les messages écrits à la coordination de mon territoire et y répondre" },
                    CardLink { href: "/indicateurs", label: "Voir les indicateurs de mon territoire" },
                    CardLink { href: "/admin/boite-a-outils", label: "Ajouter des ressources à la boîte à outils et relire celles proposées pour mon territoire" },
                    CardLink { href: "/admin/relectures", label: "Faire relire les textes faciles à lire par des personnes concernées" },
                ],
            },
            Role::Referent => RoleCard {
                title: "Vous êtes référent ou référente",
                text: format!("Vous aidez à accueillir un intervenant-pair dans {org}."),
                links: vec![
                    CardLink {
                        href: "/espace/ma-fiche",
                        label: "Remplir ou modifier ma fiche dans l’annuaire",
                    },
                    CardLink {
                        href: "/evenements",
                        label: "Inscrire une personne que j’accompagne à un événement",
                    },
                    CardLink {
                        href: "/espace/formations",
                        label: "Mes formations de référent",
                    },
                    CardLink {
                        href: "/espace/mon-parcours",
                        label: "Mon parcours : formation et accompagnement",
                    },
                    CardLink {
                        href: "/espace/accueil",
                        label: "Préparer l’accueil d’un intervenant-pair",
                    },
                    CardLink {
                        href: "/boite-a-outils",
                        label: "La boîte à outils : guides et modèles pour accueillir",
                    },
                ],
            },
            Role::Peer => peer_card(easy),
            Role::Requester => RoleCard {
                title: "Vous représentez une organisation",
                text: format!("Vous agissez pour {org}."),
                links: vec![
                    CardLink {
                        href: "/demander-une-intervention",
                        label: "Demander une intervention",
                    },
                    CardLink {
                        href: "/espace/demandes",
                        label: "Suivre les demandes de mon organisation",
                    },
                    CardLink {
                        href: "/boite-a-outils",
                        label: "La boîte à outils : guides et modèles",
                    },
                ]
                .into_iter()
                .chain(account.organisation_id.map(|_| CardLink {
                    href: "/espace/organisation/inviter",
                    label: "Inviter une personne de mon organisation",
                }))
                .collect(),
            },
            Role::Candidate => candidate_card(),
            Role::Observer => RoleCard {
                title: "Vous suivez les chiffres du réseau",
                text: format!("Votre territoire : {}.", territories(Some(scopes))),
                links: vec![CardLink {
                    href: "/indicateurs",
                    label: "Voir les indicateurs de votre territoire : demandes, interventions, formations, événements, avis, sans données personnelles",
                }, CardLink {
                    href: "/api/v1/requests/counts",
                    label: "Le nombre de demandes d’intervention de votre territoire à chaque étape, sans données personnelles (fichier JSON pour vos outils)",
                }],
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "space/home.html")]
struct Home {
    l: Layout,
    name: String,
    email: String,
    has_password: bool,
    cards: Vec<RoleCard>,
}

async fn home(ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let a = &user.account;
    render(&Home {
        l: ctx.layout(ctx.words("Mon espace", "Ma page personnelle")),
        name: a.display_name.clone(),
        email: a.email.clone(),
        has_password: a.has_password,
        cards: cards(a, ctx.easy),
    })
}

#[derive(Template)]
#[template(path = "space/password.html")]
struct PasswordPage {
    l: Layout,
    errors: Errors,
    has_password: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    current: String,
    password: String,
    confirmation: String,
}

async fn password_form(ctx: Ctx) -> Result<Response, AppError> {
    let has_password = ctx.user()?.account.has_password;
    render(&PasswordPage {
        l: ctx.layout("Mon mot de passe"),
        errors: Errors::default(),
        has_password,
    })
}

async fn password_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut errors = Errors::default();
    if user.account.has_password {
        let email =
            epop_domain::Email::parse(&user.account.email).map_err(|e| AppError::Internal(e.0))?;
        // A guess at the password, as on the sign-in page: the same delay.
        if let Some(seconds) = auth::limit(&state, &ctx, "sign-in", email.as_str()).await? {
            errors.add("current", auth::wait_message(seconds));
            return Ok(slowed(render_invalid(&PasswordPage {
                l: ctx.layout_with_errors("Mon mot de passe", true),
                errors,
                has_password: true,
            })?));
        }
        let mut conn = state.db.conn().await?;
        let stored = accounts::credentials(&mut conn, &email)
            .await?
            .and_then(|c| c.password_hash);
        drop(conn);
        if verify_password(&f.current, stored.as_deref()) {
            auth::limit_passed(&state, "sign-in", email.as_str()).await?;
        } else {
            errors.add("current", "Votre mot de passe actuel n’est pas bon. Si vous l’avez oublié, déconnectez-vous puis choisissez « J’ai oublié mon mot de passe ».");
        }
    }
    if errors
        .check("password", account::password(&f.password))
        .is_some()
        && f.password != f.confirmation
    {
        errors.add(
            "confirmation",
            "Les deux mots de passe ne sont pas pareils. Tapez le même mot de passe deux fois.",
        );
    }
    if !errors.is_empty() {
        return render_invalid(&PasswordPage {
            l: ctx.layout_with_errors("Mon mot de passe", true),
            errors,
            has_password: user.account.has_password,
        });
    }
    let hash = hash_password(&f.password)?;
    let mut tx = state.db.write().await?;
    accounts::set_password(&mut tx, user.account.id, &hash).await?;
    // Other sessions (another device, a thief) end; this one stays.
    sessions::delete_all_of(&mut tx, user.account.id).await?;
    // Reset links sent before no longer work.
    sessions::use_up_tokens(&mut tx, user.account.id, Purpose::PasswordReset).await?;
    if let Some(current) = &ctx.session_hash {
        sessions::create(&mut tx, current, user.account.id, crate::auth::SESSION_TTL).await?;
    }
    audit::record(
        &mut tx,
        ctx.audit("password_set", None, "Mot de passe changé".into()),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/espace?message=mot-de-passe").into_response())
}
