//! The coordinators' `/admin/candidats`: the applications of their
//! territory by status (administrators: all), each application's page (its
//! read is audited: what would help the person take part may tell their
//! health) with its history and the actions: note a contact, invite to an
//! information meeting or to a training session's application, close with
//! a reason (e-mailed kindly). And the person's own `/espace/candidature`.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use epop_domain::Principal;
use epop_domain::candidate::{Status, Step};
use epop_domain::text::{optional, paragraph, parse_date};
use epop_store::candidates::{self, Application, PathStep};
use epop_store::events::{self, Filter};
use epop_store::{Conn, now, outbox, trainings};

use super::mails;
use crate::context::{CurrentUser, Layout};
use crate::forms::{Errors, Pairs};
use crate::french::{french_day, french_when};
use crate::render::{audit_sensitive_read, audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/candidats", get(list))
        .route("/admin/candidats/{id}", get(page))
        .route("/admin/candidats/{id}/contact", post(contact))
        .route(
            "/admin/candidats/{id}/reunion",
            invite_route(Invite::Meeting),
        )
        .route(
            "/admin/candidats/{id}/formation",
            invite_route(Invite::Training),
        )
        .route("/admin/candidats/{id}/clore", post(close))
        .route("/espace/candidature", get(mine))
}

/// The statuses with their applications, in the list's order.
pub struct Group {
    pub status: Status,
    pub rows: Vec<Application>,
}

#[derive(Template)]
#[template(path = "candidates/manage_list.html")]
struct List {
    l: Layout,
    groups: Vec<Group>,
    is_admin: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_administer)?;
    let p = &user.principal;
    let mut conn = state.db.conn().await?;
    let all = candidates::list(&mut conn, None).await?;
    let mine: Vec<Application> = all
        .into_iter()
        .filter(|a| p.may_follow_candidate(a.department_code.as_deref()))
        .collect();
    let groups = Status::LISTED
        .into_iter()
        .map(|status| Group {
            status,
            rows: mine
                .iter()
                .filter(|a| a.status == status)
                .cloned()
                .collect(),
        })
        .collect();
    render(&List {
        l: ctx.layout("Candidatures pour rejoindre le réseau"),
        groups,
        is_admin: p.is_admin(),
    })
}

/// A step as the history shows it.
pub struct StepView {
    pub label: &'static str,
    pub detail: String,
    pub day: String,
}

fn history(steps: Vec<PathStep>) -> Vec<StepView> {
    steps
        .into_iter()
        .map(|s| StepView {
            label: s.step.label(),
            detail: s.detail,
            day: french_day(s.at),
        })
        .collect()
}

/// An upcoming meeting or session the coordinator may invite to.
pub struct Offer {
    pub slug: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "candidates/manage_page.html")]
struct Page {
    l: Layout,
    a: Application,
    sent_on: String,
    history: Vec<StepView>,
    meetings: Vec<Offer>,
    sessions: Vec<Offer>,
    errors: Errors,
    typed: Pairs,
}

/// The application `id`, if this person follows its département.
async fn followed<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: &str,
) -> Result<(&'a CurrentUser, Application), AppError> {
    let user = ctx.require(Principal::may_administer)?;
    let mut conn = state.db.conn().await?;
    let a = candidates::by_public_id(&mut conn, id)
        .await?
        .filter(|a| !matches!(a.status, Status::Draft | Status::Unconfirmed))
        .ok_or(AppError::NotFound)?;
    if !user
        .principal
        .may_follow_candidate(a.department_code.as_deref())
    {
        return Err(AppError::Forbidden);
    }
    Ok((user, a))
}

async fn offers(conn: &mut Conn, a: &Application) -> Result<(Vec<Offer>, Vec<Offer>), AppError> {
    let t = now();
    let meetings = events::list(
        conn,
        &Filter {
            ending_after: t,
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .filter(|e| e.information_meeting && e.cancel_reason.is_none() && e.starts_at > t)
    .map(|e| Offer {
        label: format!("{} – {}", e.title, french_when(e.starts_at, e.ends_at)),
        slug: e.slug,
    })
    .collect();
    let sessions = trainings::sessions(conn)
        .await?
        .into_iter()
        .filter(|s| s.programme.audience == a.audience && s.starts_at() > t)
        .map(|s| Offer {
            label: format!(
                "{} – {} ({}), {}",
                s.programme.title,
                s.title,
                s.department_name,
                french_when(s.starts_at(), s.ends_at())
            ),
            slug: s.slug,
        })
        .collect();
    Ok((meetings, sessions))
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    a: Application,
    errors: Errors,
    typed: Pairs,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let history = history(candidates::steps(&mut conn, a.id).await?);
    let (meetings, sessions) = offers(&mut conn, &a).await?;
    audit_sensitive_read(
        &mut conn,
        ctx,
        format!("candidate:{}", a.public_id),
        format!("Lecture de la candidature de {}", a.name),
    )
    .await?;
    let invalid = !errors.is_empty();
    render_form(
        &Page {
            l: ctx.layout_with_errors(format!("Candidature de {}", a.name), invalid),
            sent_on: a.sent_at.map(french_day).unwrap_or_default(),
            a,
            history,
            meetings,
            sessions,
            errors,
            typed,
        },
        invalid,
    )
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (_, a) = followed(&state, &ctx, &id).await?;
    show(&state, &ctx, a, Errors::default(), Pairs::default()).await
}

/// An open application (actions stop once it is closed or the person is
/// trained); a problem shows the page again with it beside its field.
async fn open_one<'a>(
    state: &AppState,
    ctx: &'a Ctx,
    id: &str,
) -> Result<(&'a CurrentUser, Application), AppError> {
    let (user, a) = followed(state, ctx, id).await?;
    if !a.status.is_open() {
        return Err(AppError::NotFound);
    }
    Ok((user, a))
}

async fn contact(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, a) = open_one(&state, &ctx, &id).await?;
    let mut errors = Errors::default();
    let day = errors.check(
        "contacted_on",
        parse_date(&p.get("contacted_on"), "la date du contact"),
    );
    let note = errors.check(
        "contact_note",
        optional(&p.get("contact_note"), "la note", 300),
    );
    let (Some(day), Some(note)) = (day, note) else {
        return show(&state, &ctx, a, errors, p).await;
    };
    let detail = match note {
        Some(n) => format!("contacté le {} : {n}", day.format("%d/%m/%Y")),
        None => format!("contacté le {}", day.format("%d/%m/%Y")),
    };
    let mut tx = state.db.write().await?;
    candidates::record(
        &mut tx,
        a.id,
        Step::Contacted,
        &detail,
        Some(user.account.id),
        now(),
    )
    .await?;
    done(tx, &ctx, &a, "candidate_contacted", detail).await
}

async fn done(
    tx: epop_store::Tx,
    ctx: &Ctx,
    a: &Application,
    action: &'static str,
    detail: String,
) -> Result<Response, AppError> {
    audited(
        tx,
        ctx.audit(action, Some(format!("candidate:{}", a.public_id)), detail),
        &format!("/admin/candidats/{}?message=etape", a.public_id),
    )
    .await
}

/// The person's address, or the page again saying there is none (a
/// phone-only application: the coordination calls).
fn address(a: &Application, field: &str) -> Result<String, Errors> {
    a.email.clone().ok_or_else(|| {
        let mut e = Errors::default();
        e.add(
            field,
            "Cette personne n’a pas donné d’adresse e-mail : appelez-la, puis notez le contact.",
        );
        e
    })
}

/// What a coordinator invites a candidate to.
#[derive(Clone, Copy)]
enum Invite {
    Meeting,
    Training,
}

impl Invite {
    fn field(self) -> &'static str {
        match self {
            Invite::Meeting => "event",
            Invite::Training => "session",
        }
    }

    fn missing(self) -> &'static str {
        match self {
            Invite::Meeting => "Choisissez une réunion d’information de la liste.",
            Invite::Training => "Choisissez une session de formation de la liste.",
        }
    }

    fn step(self) -> Step {
        match self {
            Invite::Meeting => Step::MeetingInvited,
            Invite::Training => Step::TrainingInvited,
        }
    }
}

fn invite_route(kind: Invite) -> axum::routing::MethodRouter<AppState> {
    post(
        move |State(s): State<AppState>,
              c: Ctx,
              Path(id): Path<String>,
              axum::Form(p): axum::Form<Pairs>| invite(s, c, id, p, kind),
    )
}

/// Invites to an upcoming information meeting (its page, to register) or
/// training session (its application form), by e-mail.
async fn invite(
    state: AppState,
    ctx: Ctx,
    id: String,
    p: Pairs,
    kind: Invite,
) -> Result<Response, AppError> {
    let (user, a) = open_one(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let (meetings, sessions) = offers(&mut conn, &a).await?;
    drop(conn);
    let field = kind.field();
    let chosen = p.get(field);
    let list = match kind {
        Invite::Meeting => meetings,
        Invite::Training => sessions,
    };
    let email = if list.iter().any(|o| o.slug == chosen) {
        address(&a, field)
    } else {
        let mut errors = Errors::default();
        errors.add(field, kind.missing());
        Err(errors)
    };
    let email = match email {
        Ok(e) => e,
        Err(errors) => return show(&state, &ctx, a, errors, p).await,
    };
    let base = &state.config.base_url;
    let mut tx = state.db.write().await?;
    let (title, mail) = match kind {
        Invite::Meeting => {
            let e = events::by_slug(&mut tx, &chosen)
                .await?
                .ok_or(AppError::NotFound)?;
            let when = french_when(e.starts_at, e.ends_at);
            let mail = mails::meeting(&email, base, &a, &e.title, &when, &e.slug);
            (e.title, mail)
        }
        Invite::Training => {
            let s = trainings::session_by_slug(&mut tx, &chosen)
                .await?
                .ok_or(AppError::NotFound)?;
            let title = format!("{} – {}", s.programme.title, s.title);
            let dates = french_when(s.starts_at(), s.ends_at());
            let mail = mails::training(&email, base, &a, &title, &dates, &s.slug);
            (title, mail)
        }
    };
    outbox::enqueue(&mut tx, &mail).await?;
    candidates::record(
        &mut tx,
        a.id,
        kind.step(),
        &title,
        Some(user.account.id),
        now(),
    )
    .await?;
    done(
        tx,
        &ctx,
        &a,
        "candidate_invited",
        format!("Invitation : {title}"),
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, a) = open_one(&state, &ctx, &id).await?;
    let mut errors = Errors::default();
    let Some(reason) = errors.check(
        "reason",
        paragraph(
            &p.get("reason"),
            "la raison, qui est envoyée à la personne",
            1000,
        ),
    ) else {
        return show(&state, &ctx, a, errors, p).await;
    };
    let mut tx = state.db.write().await?;
    if let Some(email) = &a.email {
        outbox::enqueue(&mut tx, &mails::closed(email, &a, &reason)).await?;
    }
    candidates::close(&mut tx, a.id, &reason, user.account.id, now()).await?;
    done(tx, &ctx, &a, "candidate_closed", "Candidature close".into()).await
}

/// One of the person's applications with its history.
pub struct MineView {
    pub a: Application,
    pub history: Vec<StepView>,
}

#[derive(Template)]
#[template(path = "candidates/mine.html")]
struct Mine {
    l: Layout,
    list: Vec<MineView>,
}

async fn mine(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let mut list = Vec::new();
    for a in candidates::of_account(&mut conn, user.account.id).await? {
        let history = history(candidates::steps(&mut conn, a.id).await?);
        list.push(MineView { a, history });
    }
    render(&Mine {
        l: ctx.layout(ctx.words("Ma candidature", "Ma candidature pour rejoindre le réseau")),
        list,
    })
}
