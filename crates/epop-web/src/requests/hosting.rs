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
use epop_store::organisations::Organisation;
use epop_store::requests::{self, Readiness, Request};
use epop_store::{audit, now, organisations, outbox};

use super::lists::{Line, line};
use super::mails;
use crate::context::{CurrentUser, Layout};
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

/// Why a référent cannot be named: the field at fault (its id, or none)
/// and the message.
type Refusal = (&'static str, String);

async fn name_referent(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    let user = ctx.user()?;
    let Some(org_id) = r.organisation_id else {
        let why = "Cette demande n’a pas d’organisation.".into();
        return super::triage::show(&state, &ctx, r, why).await;
    };
    let mut tx = state.db.write().await?;
    let org = organisations::by_id(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = &state.config.base_url;
    let naming = Naming {
        p: &p,
        org: &org,
        r: &r,
        user,
        base,
    };
    let referent = match choose(&mut tx, &naming).await? {
        Ok(referent) => referent,
        Err((field, why)) => {
            drop(tx);
            return super::triage::show_typed(&state, &ctx, r, field, why, p).await;
        }
    };
    record(&mut tx, &ctx, &r, &org, referent, base).await?;
    tx.commit().await?;
    Ok(Redirect::to(&super::triage::back_to(&id, "referent")).into_response())
}

/// What naming a référent goes by: the form, the request's organisation,
/// the request, who names and the site's address.
#[derive(Clone, Copy)]
struct Naming<'a> {
    p: &'a Pairs,
    org: &'a Organisation,
    r: &'a Request,
    user: &'a CurrentUser,
    base: &'a str,
}

/// The référent's account: a member chosen in the list, or the address
/// typed (`referent=nouveau`), see [`invite`].
async fn choose(
    conn: &mut epop_store::Conn,
    n: &Naming<'_>,
) -> Result<Result<i64, Refusal>, AppError> {
    let (p, org) = (n.p, n.org);
    let chosen = p.get("referent");
    if chosen == "nouveau" {
        return invite(conn, n).await;
    }
    Ok(requests::members_of(conn, org.id)
        .await?
        .into_iter()
        .find(|(aid, _, _)| aid.to_string() == chosen)
        .map(|found| found.0)
        .ok_or((
            "referent",
            "Choisissez une personne de l’organisation, ou invitez-en une.".into(),
        )))
}

/// The address typed for the référent: an existing account only if it is
/// a member of the organisation; a new one is invited into it, by whoever
/// may add its members.
async fn invite(
    conn: &mut epop_store::Conn,
    n: &Naming<'_>,
) -> Result<Result<i64, Refusal>, AppError> {
    let Naming {
        p,
        org,
        r,
        user,
        base,
    } = *n;
    let name = match epop_domain::text::required(&p.get("name"), "le nom du référent", 120) {
        Ok(n) => n,
        Err(e) => return Ok(Err(("referent-name", e.0))),
    };
    let email = match Email::parse(&p.get("email")) {
        Ok(e) => e,
        Err(e) => return Ok(Err(("referent-email", e.0))),
    };
    if let Some(c) = accounts::credentials(conn, &email).await? {
        let a = accounts::by_id(conn, c.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if Joining::of(a.organisation_id, org.id) != Joining::AlreadyMember
            || a.status == AccountStatus::Disabled
        {
            return Ok(Err((
                "referent-email",
                format!(
                    "Cette adresse est celle d’un compte qui n’est pas membre de « {} ». \
                     Le référent doit être une personne de l’organisation : choisissez-la dans la liste, \
                     ou invitez une autre adresse.",
                    org.name
                ),
            )));
        }
        return Ok(Ok(a.id));
    }
    if !user
        .principal
        .may_add_members(org.department_code.as_deref())
    {
        return Ok(Err((
            "referent-email",
            format!(
                "L’organisation « {} » n’est pas de votre territoire : demandez à un administrateur d’y inviter cette personne.",
                org.name
            ),
        )));
    }
    let id = accounts::create(
        conn,
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
        conn,
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
    Ok(Ok(id))
}

/// Gives the référent the role and the request, tells them, and writes the
/// audit line.
async fn record(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    r: &Request,
    org: &Organisation,
    referent: i64,
    base: &str,
) -> Result<(), AppError> {
    accounts::grant(conn, referent, Role::Referent).await?;
    requests::set_referent(conn, r.id, referent, now()).await?;
    let mut named = String::new();
    if let Some((_, name, email)) = requests::referent(conn, r.id).await? {
        let step = format!("{name} ({email})");
        let actor = ctx.user.as_ref().map(|u| u.account.id);
        let event = requests::Event::Referent;
        requests::note(conn, r.id, &r.status, event, actor, Some(&step), now()).await?;
        named = format!("{step}, membre de « {} »", org.name);
        let subject = r.subject.clone().unwrap_or_default();
        let mail = mails::referent_named(base, &name, &subject, &r.public_id);
        outbox::enqueue(conn, &mail.to(email)).await?;
    }
    audit::record(
        conn,
        ctx.audit(
            "request_referent",
            Some(format!("request:{}", r.public_id)),
            format!("Référent nommé : {named}"),
        ),
    )
    .await?;
    Ok(())
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
