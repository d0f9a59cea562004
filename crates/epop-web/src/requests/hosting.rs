//! The host's side of an accepted request: the coordinator names the
//! host's référent — a member of the requesting organisation, or a new
//! address invited into it (by whoever may add its members); never an
//! account elsewhere, which would get the role and the request —
//! and the référent fills the readiness checklist (team told, place
//! accessible, accommodations ready, mission sheet written) that the
//! coordinator follows.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::account::AccountStatus;
use epop_domain::organisation::Joining;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::outbox::Message;
use epop_store::requests::{self, Readiness, Request};
use epop_store::{audit, now, organisations, outbox};

use super::lists::{Line, line};
use crate::context::Layout;
use crate::emails::FOOTER;
use crate::forms::Pairs;
use crate::render::render;
use crate::security::public_id;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/demandes/{id}/referent", post(name_referent))
        .route("/espace/accueil", get(list))
        .route("/espace/accueil/{id}", get(checklist).post(save_checklist))
}

/// The four points of the checklist, with their field names.
pub const POINTS: [(&str, &str); 4] = [
    (
        "team_told",
        "L’équipe sait qu’un intervenant-pair vient, et pourquoi.",
    ),
    (
        "place_accessible",
        "Le lieu est accessible (entrée, salle, toilettes, transports).",
    ),
    (
        "accommodations_ready",
        "Les adaptations demandées sont prêtes (pauses, documents, interprète…).",
    ),
    (
        "mission_sheet_written",
        "La fiche de mission est écrite et partagée avec l’intervenant-pair.",
    ),
];

/// Whether a point of the checklist is ticked.
pub fn ticked(r: &Readiness, field: &str) -> bool {
    match field {
        "team_told" => r.team_told,
        "place_accessible" => r.place_accessible,
        "accommodations_ready" => r.accommodations_ready,
        "mission_sheet_written" => r.mission_sheet_written,
        _ => false,
    }
}

async fn name_referent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    let user = ctx.user()?;
    let refuse = |field: &'static str, why: String| {
        let (state, ctx, r) = (&state, &ctx, r.clone());
        async move { super::triage::show_on_field(state, ctx, r, field, why).await }
    };
    let Some(org_id) = r.organisation_id else {
        return refuse("", "Cette demande n’a pas d’organisation.".into()).await;
    };
    let mut tx = state.db.write().await?;
    let org = organisations::by_id(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let chosen = p.get("referent");
    let base = &state.config.base_url;
    let referent = if chosen == "nouveau" {
        let name = match epop_domain::text::required(&p.get("name"), "le nom du référent", 120) {
            Ok(n) => n,
            Err(e) => {
                drop(tx);
                return refuse("referent-name", e.0).await;
            }
        };
        let email = match Email::parse(&p.get("email")) {
            Ok(e) => e,
            Err(e) => {
                drop(tx);
                return refuse("referent-email", e.0).await;
            }
        };
        match accounts::credentials(&mut tx, &email).await? {
            // An existing account: only a member of the organisation.
            Some(c) => {
                let a = accounts::by_id(&mut tx, c.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                if Joining::of(a.organisation_id, org.id) != Joining::AlreadyMember
                    || a.status == AccountStatus::Disabled
                {
                    drop(tx);
                    return refuse(
                        "referent-email",
                        format!(
                            "Cette adresse est celle d’un compte qui n’est pas membre de « {} ». \
                             Le référent doit être une personne de l’organisation : choisissez-la dans la liste, \
                             ou invitez une autre adresse.",
                            org.name
                        ),
                    )
                    .await;
                }
                a.id
            }
            None => {
                if !user
                    .principal
                    .may_add_members(org.department_code.as_deref())
                {
                    drop(tx);
                    return refuse(
                        "referent-email",
                        format!(
                            "L’organisation « {} » n’est pas de votre territoire : demandez à un administrateur d’y inviter cette personne.",
                            org.name
                        ),
                    )
                    .await;
                }
                let id = accounts::create(
                    &mut tx,
                    &NewAccount {
                        public_id: public_id(),
                        email: email.clone(),
                        display_name: name.clone(),
                        status: AccountStatus::Invited,
                        department: r.department_code.clone(),
                        organisation_id: Some(org.id),
                    },
                )
                .await?;
                crate::auth::send_invitation(
                    &mut tx,
                    base,
                    &crate::auth::Invitation {
                        account_id: id,
                        email: email.as_str(),
                        name: &name,
                        inviter: &user.account.display_name,
                        roles: Role::Referent.label(),
                    },
                )
                .await?;
                id
            }
        }
    } else {
        let Some(found) = requests::members_of(&mut tx, org.id)
            .await?
            .into_iter()
            .find(|(aid, _, _)| aid.to_string() == chosen)
        else {
            drop(tx);
            return refuse(
                "",
                "Choisissez une personne de l’organisation, ou invitez-en une.".into(),
            )
            .await;
        };
        found.0
    };
    accounts::grant(&mut tx, referent, Role::Referent).await?;
    requests::set_referent(&mut tx, r.id, referent, now()).await?;
    let mut named = String::new();
    if let Some((_, name, email)) = requests::referent(&mut tx, r.id).await? {
        named = format!("{name} ({email}), membre de « {} »", org.name);
        outbox::enqueue(
            &mut tx,
            &Message {
                recipient: email,
                subject: format!("Vous accueillez un intervenant-pair : {}", r.subject.clone().unwrap_or_default()),
                body_text: format!(
                    "Bonjour {name},\n\nVous êtes le ou la référent·e de l’intervention « {} ».\n\
                     Pour bien accueillir l’intervenant-pair, remplissez la liste de préparation :\n{base}/espace/accueil/{}\n{FOOTER}",
                    r.subject.clone().unwrap_or_default(),
                    r.public_id
                ),
                attachment: None,
            },
        )
        .await?;
    }
    audit::record(
        &mut tx,
        ctx.audit(
            "request_referent",
            Some(format!("request:{id}")),
            format!("Référent nommé : {named}"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/admin/demandes/{id}?message=referent")).into_response())
}

#[derive(Template)]
#[template(path = "requests/hosting_list.html")]
struct List {
    l: Layout,
    lines: Vec<(Line, usize)>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let mut lines = Vec::new();
    for r in requests::for_referent(&mut conn, user.account.id).await? {
        let done = requests::readiness(&mut conn, r.id).await?.done();
        lines.push((line(r), done));
    }
    render(&List {
        l: ctx.layout("Les interventions que j’accueille"),
        lines,
    })
}

/// The request this person is the référent of.
async fn hosted(state: &AppState, ctx: &Ctx, id: &str) -> Result<Request, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let r = requests::by_public_id(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    match requests::referent(&mut conn, r.id).await? {
        Some((aid, _, _)) if aid == user.account.id => Ok(r),
        _ => Err(AppError::NotFound),
    }
}

#[derive(Template)]
#[template(path = "requests/hosting.html")]
struct Checklist {
    l: Layout,
    line: Line,
    readiness: Readiness,
    points: [(&'static str, &'static str); 4],
}

impl Checklist {
    fn ticked(&self, field: &str) -> bool {
        ticked(&self.readiness, field)
    }
}

async fn checklist(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = hosted(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let readiness = requests::readiness(&mut conn, r.id).await?;
    let title = format!(
        "Préparer l’accueil : {}",
        r.subject.clone().unwrap_or_default()
    );
    render(&Checklist {
        l: ctx.layout(title),
        line: line(r),
        readiness,
        points: POINTS,
    })
}

async fn save_checklist(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = hosted(&state, &ctx, &id).await?;
    let user = ctx.user()?;
    let ticks = p.all("ready");
    let has = |f: &str| ticks.iter().any(|t| t == f);
    let notes = p.get("notes").trim().chars().take(2000).collect::<String>();
    let readiness = Readiness {
        team_told: has("team_told"),
        place_accessible: has("place_accessible"),
        accommodations_ready: has("accommodations_ready"),
        mission_sheet_written: has("mission_sheet_written"),
        notes: Some(notes).filter(|n| !n.is_empty()),
    };
    let mut tx = state.db.write().await?;
    requests::set_readiness(&mut tx, r.id, &readiness, user.account.id, now()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/espace/accueil/{id}?message=preparation")).into_response())
}
