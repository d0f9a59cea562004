//! The coordinators' training pages: programmes (national, administrators),
//! the sessions of their territory, each session's applications with the
//! decision form, attendance per half-day, completion.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::Principal;
use epop_domain::candidate::Step;
use epop_domain::training::{
    self, ApplicationStatus, Audience, Decision, ProgrammeForm, SessionForm,
};
use epop_store::territories::{self, Department};
use epop_store::trainings::{self, Application, Programme};
use epop_store::{candidates, now, outbox};

use super::{SessionView, mails};
use crate::context::{CurrentUser, Layout};
use crate::emails::Words;
use crate::forms::{Errors, Pairs};
use crate::french::paris_time;
use crate::render::{audit_needs_read, audited, render, render_form};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/formations", get(list))
        .route(
            "/admin/formations/programmes/nouveau",
            get(programme_form).post(programme_create),
        )
        .route(
            "/admin/formations/programmes/{slug}/modifier",
            get(programme_edit_form).post(programme_update),
        )
        .route(
            "/admin/formations/sessions/nouvelle",
            get(session_form).post(session_create),
        )
        .route("/admin/formations/{slug}", get(session_page))
        .route(
            "/admin/formations/{slug}/modifier",
            get(session_edit_form).post(session_update),
        )
        .route("/admin/formations/{slug}/candidatures/{id}", post(decide))
        .route(
            "/admin/formations/{slug}/candidatures/{id}/terminer",
            post(complete),
        )
        .route("/admin/formations/{slug}/presences/{n}", post(attendance))
}

fn manager(ctx: &Ctx) -> Result<&CurrentUser, AppError> {
    ctx.require(Principal::may_create_events)
}

#[derive(Template)]
#[template(path = "trainings/manage_list.html")]
struct List {
    l: Layout,
    programmes: Vec<Programme>,
    sessions: Vec<SessionView>,
    is_admin: bool,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = manager(&ctx)?;
    let mut conn = state.db.conn().await?;
    let t = now();
    let sessions = trainings::sessions(&mut conn)
        .await?
        .into_iter()
        .filter(|s| user.principal.may_manage_training(Some(&s.department_code)))
        .map(|s| SessionView::new(s, t))
        .collect();
    render(&List {
        l: ctx.layout("Formations de mon territoire"),
        programmes: trainings::programmes(&mut conn).await?,
        sessions,
        is_admin: user.principal.is_admin(),
    })
}

#[derive(Template)]
#[template(path = "trainings/manage_programme_form.html")]
struct ProgrammePage {
    l: Layout,
    errors: Errors,
    p: Pairs,
    audiences: Vec<(&'static str, &'static str)>,
    action: String,
}

/// The programme form: a new programme, or (`editing`) a change to one.
fn programme_page(
    ctx: &Ctx,
    errors: Errors,
    p: Pairs,
    editing: Option<&Programme>,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let (title, action) = match editing {
        Some(programme) => (
            format!("Modifier le programme : {}", programme.title),
            format!("/admin/formations/programmes/{}/modifier", programme.slug),
        ),
        None => (
            "Créer un programme de formation".to_owned(),
            "/admin/formations/programmes/nouveau".to_owned(),
        ),
    };
    let page = ProgrammePage {
        l: ctx.layout_with_errors(&title, invalid),
        errors,
        p,
        audiences: [Audience::Peer, Audience::Referent]
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        action,
    };
    render_form(&page, invalid)
}

/// Programmes are the network's: admins write them.
fn programme_manager(ctx: &Ctx) -> Result<&CurrentUser, AppError> {
    ctx.require(|p| p.may_manage_training(None))
}

fn programme_form_of(p: &Pairs) -> ProgrammeForm {
    ProgrammeForm {
        title: p.get("title"),
        audience: p.get("audience"),
        description: p.get("description"),
        description_easy: p.get("description_easy"),
        duration: p.get("duration"),
        hours: p.get("hours"),
    }
}

async fn programme_form(ctx: Ctx) -> Result<Response, AppError> {
    programme_manager(&ctx)?;
    programme_page(&ctx, Errors::default(), Pairs::default(), None)
}

async fn programme_create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    programme_manager(&ctx)?;
    let valid = match programme_form_of(&p).validate() {
        Ok(v) => v,
        Err(problems) => return programme_page(&ctx, Errors::from_problems(problems), p, None),
    };
    let mut tx = state.db.write().await?;
    let created = trainings::create_programme(&mut tx, &valid, now()).await?;
    programme_saved(
        tx,
        &ctx,
        "training_programme_created",
        &created,
        "Programme créé",
    )
    .await
}

/// The programme of the address, or « page not found ».
async fn programme_of(state: &AppState, slug: &str) -> Result<Programme, AppError> {
    let mut conn = state.db.conn().await?;
    trainings::programme_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)
}

async fn programme_edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    programme_manager(&ctx)?;
    let programme = programme_of(&state, &slug).await?;
    let p = Pairs(vec![
        ("title".into(), programme.title.clone()),
        ("audience".into(), programme.audience.code().into()),
        ("description".into(), programme.description.clone()),
        (
            "description_easy".into(),
            programme.description_easy.clone(),
        ),
        ("duration".into(), programme.duration.clone()),
        ("hours".into(), programme.hours.to_string()),
    ]);
    programme_page(&ctx, Errors::default(), p, Some(&programme))
}

async fn programme_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    programme_manager(&ctx)?;
    let programme = programme_of(&state, &slug).await?;
    let valid = match programme_form_of(&p).validate() {
        Ok(v) => v,
        Err(problems) => {
            return programme_page(&ctx, Errors::from_problems(problems), p, Some(&programme));
        }
    };
    let mut tx = state.db.write().await?;
    let updated = trainings::update_programme(&mut tx, programme.id, &valid).await?;
    programme_saved(
        tx,
        &ctx,
        "training_programme_updated",
        &updated,
        "Programme modifié",
    )
    .await
}

/// A programme written: its audit line, the commit, back to the list.
async fn programme_saved(
    tx: epop_store::Tx,
    ctx: &Ctx,
    action: &str,
    programme: &Programme,
    what: &str,
) -> Result<Response, AppError> {
    audited(
        tx,
        ctx.audit(
            action,
            Some(format!("programme:{}", programme.slug)),
            format!("{what} : {}", programme.title),
        ),
        "/admin/formations?message=formation",
    )
    .await
}

#[derive(Template)]
#[template(path = "trainings/manage_session_form.html")]
struct SessionPage {
    l: Layout,
    errors: Errors,
    p: Pairs,
    programmes: Vec<Programme>,
    departments: Vec<Department>,
    action: String,
    /// The session being edited (its programme no longer changes).
    editing: Option<SessionView>,
}

async fn session_page_form(
    state: &AppState,
    ctx: &Ctx,
    errors: Errors,
    p: Pairs,
    editing: Option<SessionView>,
) -> Result<Response, AppError> {
    let user = manager(ctx)?;
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn)
        .await?
        .into_iter()
        .filter(|d| user.principal.may_manage_training(Some(&d.code)))
        .collect();
    let invalid = !errors.is_empty();
    let (title, action) = match &editing {
        Some(v) => (
            format!("Modifier la session : {}", v.s.title),
            format!("/admin/formations/{}/modifier", v.s.slug),
        ),
        None => (
            "Créer une session de formation".to_owned(),
            "/admin/formations/sessions/nouvelle".to_owned(),
        ),
    };
    let page = SessionPage {
        l: ctx.layout_with_errors(title, invalid),
        errors,
        p,
        programmes: trainings::programmes(&mut conn).await?,
        departments,
        action,
        editing,
    };
    render_form(&page, invalid)
}

async fn session_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    session_page_form(&state, &ctx, Errors::default(), Pairs::default(), None).await
}

/// Checks the session form: every field, the territory, and, when editing,
/// the places already given and the half-days already attended.
async fn check_session(
    state: &AppState,
    ctx: &Ctx,
    p: &Pairs,
    editing: Option<&SessionView>,
) -> Result<(Programme, epop_domain::training::NewSession), Errors> {
    let form = SessionForm {
        title: p.get("title"),
        place: p.get("place"),
        department: p.get("department"),
        capacity: p.get("capacity"),
        half_days: p.get("half_days"),
        trainers: p.get("trainers"),
        peer_trainers: p.get("peer_trainers"),
    };
    let mut errors = Errors::default();
    let programme = match editing {
        Some(v) => Some(v.s.programme.clone()),
        None => {
            let mut conn = state.db.conn().await.map_err(|_| Errors::default())?;
            trainings::programme_by_slug(&mut conn, &p.get("programme"))
                .await
                .ok()
                .flatten()
        }
    };
    if programme.is_none() {
        errors.add("programme", "Choisissez le programme de la formation.");
    }
    let valid = match form.validate() {
        Ok(v) => Some(v),
        Err(problems) => {
            for e in Errors::from_problems(problems).items() {
                errors.add(&e.field, e.message.clone());
            }
            None
        }
    };
    if let Some(v) = &valid {
        let allowed = ctx
            .user
            .as_ref()
            .is_some_and(|u| u.principal.may_manage_training(Some(v.department.as_str())));
        if !allowed {
            errors.add(
                "department",
                "Choisissez un département de votre territoire.",
            );
        }
        if let Some(e) = editing {
            if v.capacity < e.s.places_taken {
                errors.add(
                    "capacity",
                    format!(
                        "{} personnes ont déjà une place : la capacité ne peut pas être plus petite.",
                        e.s.places_taken
                    ),
                );
            }
            let same_days = v.half_days.len() == e.s.half_days.len()
                && v.half_days
                    .iter()
                    .zip(&e.s.half_days)
                    .all(|(a, (_, b))| a == b);
            if !same_days && e.attendance_recorded {
                errors.add(
                    "half_days",
                    "Des présences sont déjà enregistrées : les demi-journées ne peuvent plus changer.",
                );
            }
        }
    }
    match (programme, valid) {
        (Some(p), Some(v)) if errors.is_empty() => Ok((p, v)),
        _ => Err(errors),
    }
}

async fn session_create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = manager(&ctx)?;
    let (programme, valid) = match check_session(&state, &ctx, &p, None).await {
        Ok(ok) => ok,
        Err(errors) => return session_page_form(&state, &ctx, errors, p, None).await,
    };
    let mut tx = state.db.write().await?;
    let s = trainings::create_session(&mut tx, &programme, &valid, user.account.id, now()).await?;
    audited(
        tx,
        ctx.audit(
            "training_session_created",
            Some(format!("session:{}", s.slug)),
            format!("Session créée : {} – {}", programme.title, s.title),
        ),
        &format!("/admin/formations/{}?message=formation", s.slug),
    )
    .await
}

/// The session's fields as its form shows them.
fn session_pairs(v: &SessionView) -> Pairs {
    let line = |h: &epop_domain::training::HalfDay| {
        let (start, end) = (paris_time(h.starts_at), paris_time(h.ends_at));
        let (day, from) = start.split_once(" à ").unwrap_or_default();
        let to = end.split_once(" à ").map(|(_, t)| t).unwrap_or_default();
        format!("{day} {from}-{to}")
    };
    Pairs(
        [
            ("title", v.s.title.clone()),
            ("place", v.s.place.clone()),
            ("department", v.s.department_code.clone()),
            ("capacity", v.s.capacity.to_string()),
            (
                "half_days",
                v.s.half_days
                    .iter()
                    .map(|(_, h)| line(h))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            ("trainers", v.s.trainers.join("\n")),
            ("peer_trainers", v.s.peer_trainers.join("\n")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect(),
    )
}

async fn session_edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    let p = session_pairs(&v);
    session_page_form(&state, &ctx, Errors::default(), p, Some(v)).await
}

async fn session_update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    let (_, valid) = match check_session(&state, &ctx, &p, Some(&v)).await {
        Ok(ok) => ok,
        Err(errors) => return session_page_form(&state, &ctx, errors, p, Some(v)).await,
    };
    let mut tx = state.db.write().await?;
    trainings::update_session(&mut tx, v.s.id, &valid, now()).await?;
    audited(
        tx,
        ctx.audit(
            "training_session_updated",
            Some(format!("session:{slug}")),
            format!("Session modifiée : {}", valid.title),
        ),
        &format!("/admin/formations/{slug}?message=formation"),
    )
    .await
}

/// The session, if this person may manage it.
async fn managed(state: &AppState, ctx: &Ctx, slug: &str) -> Result<SessionView, AppError> {
    let user = manager(ctx)?;
    let mut conn = state.db.conn().await?;
    let s = trainings::session_by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.principal.may_manage_training(Some(&s.department_code)) {
        return Err(AppError::Forbidden);
    }
    let recorded = !trainings::attendance(&mut conn, s.id).await?.is_empty();
    let mut v = SessionView::new(s, now());
    v.attendance_recorded = recorded;
    Ok(v)
}

/// One person of the session, with their attendance.
pub struct Row {
    pub a: Application,
    /// Per half-day, in order: Some(present) once recorded.
    pub attendance: Vec<Option<bool>>,
    pub summary: String,
}

impl Row {
    pub fn present_at(&self, i: &usize) -> bool {
        self.attendance.get(*i).copied().flatten() == Some(true)
    }
}

#[derive(Template)]
#[template(path = "trainings/manage_session.html")]
struct SessionAdmin {
    l: Layout,
    v: SessionView,
    holders: Vec<Row>,
    pending: Vec<Row>,
    closed: Vec<Row>,
}

async fn session_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    let mut conn = state.db.conn().await?;
    let apps = trainings::applications(&mut conn, v.s.id).await?;
    let with_needs = apps.iter().filter(|a| !a.needs.is_empty()).count();
    audit_needs_read(&mut conn, &ctx, format!("training:{slug}"), with_needs).await?;
    let att = trainings::attendance(&mut conn, v.s.id).await?;
    let t = now();
    let held =
        v.s.half_days
            .iter()
            .filter(|(_, h)| h.starts_at <= t)
            .count();
    let rows: Vec<Row> = apps
        .into_iter()
        .map(|a| {
            let attendance: Vec<Option<bool>> =
                v.s.half_days
                    .iter()
                    .map(|(hid, _)| {
                        att.iter()
                            .find(|(aid, h, _)| *aid == a.id && h == hid)
                            .map(|(_, _, p)| *p)
                    })
                    .collect();
            let present = attendance.iter().filter(|p| **p == Some(true)).count();
            Row {
                summary: epop_domain::training::attendance_summary(present, held),
                attendance,
                a,
            }
        })
        .collect();
    let (holders, rest): (Vec<Row>, Vec<Row>) =
        rows.into_iter().partition(|r| r.a.status.holds_place());
    let (pending, closed): (Vec<Row>, Vec<Row>) =
        rest.into_iter().partition(|r| r.a.status.is_open());
    let title = format!("Session : {} – {}", v.s.programme.title, v.s.title);
    render(&SessionAdmin {
        l: ctx.layout(title),
        v,
        holders,
        pending,
        closed,
    })
}

async fn decide(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    let user = manager(&ctx)?;
    let decision = match Decision::parse(&p.get("decision"), &p.get("reason")) {
        Ok(d) => d,
        Err((field, _)) => {
            return Ok(Redirect::to(&format!(
                "/admin/formations/{slug}?message={}",
                if field == "reason" {
                    "raison-manquante"
                } else {
                    "decision-manquante"
                }
            ))
            .into_response());
        }
    };
    let mut tx = state.db.write().await?;
    let a = trainings::application_by_public_id(&mut tx, &id)
        .await?
        .filter(|a| a.session_id == v.s.id)
        .ok_or(AppError::NotFound)?;
    let Some(after) = trainings::decide(&mut tx, a.id, &decision, user.account.id, now()).await?
    else {
        drop(tx);
        return Ok(Redirect::to(&format!(
            "/admin/formations/{slug}?message=decision-impossible"
        ))
        .into_response());
    };
    let words = Words::of(&mut tx, &after.email).await?;
    outbox::enqueue(
        &mut tx,
        &mails::status_changed(&state.config.base_url, &after, &v, words),
    )
    .await?;
    if after.status == ApplicationStatus::Accepted {
        candidates::training_step(
            &mut tx,
            after.account_id,
            Step::TrainingAccepted,
            &format!("{} – {}", v.s.programme.title, v.s.title),
            Some(user.account.id),
            now(),
        )
        .await?;
    }
    audited(
        tx,
        ctx.audit(
            "training_decision",
            Some(format!("session:{slug}")),
            format!("{} : {}", after.email, after.status.label()),
        ),
        &format!("/admin/formations/{slug}?message=decision"),
    )
    .await
}

async fn complete(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    if !training::may_complete(v.s.ends_at(), now()) {
        return Ok(Redirect::to(&format!(
            "/admin/formations/{slug}?message=formation-pas-finie"
        ))
        .into_response());
    }
    let user = manager(&ctx)?;
    let trained_on =
        v.s.half_days
            .last()
            .map(|(_, h)| epop_domain::event::paris_day(h.starts_at))
            .unwrap_or_default();
    let mut tx = state.db.write().await?;
    let a = trainings::application_by_public_id(&mut tx, &id)
        .await?
        .filter(|a| a.session_id == v.s.id && a.status == ApplicationStatus::Accepted)
        .ok_or(AppError::NotFound)?;
    // A candidate becomes what the programme trains (their profile is
    // made first, so that completing marks it as trained).
    candidates::promote(
        &mut tx,
        state.db.engine(),
        a.account_id,
        v.s.programme.audience,
        &format!("{} – {}", v.s.programme.title, v.s.title),
        user.account.id,
        now(),
    )
    .await?;
    let done = trainings::complete(&mut tx, a.id, &trained_on, now())
        .await?
        .ok_or(AppError::NotFound)?;
    let words = Words::of(&mut tx, &done.email).await?;
    outbox::enqueue(
        &mut tx,
        &mails::status_changed(&state.config.base_url, &done, &v, words),
    )
    .await?;
    audited(
        tx,
        ctx.audit(
            "training_completed",
            Some(format!("session:{slug}")),
            format!("Formation terminée : {}", done.email),
        ),
        &format!("/admin/formations/{slug}?message=formation-terminee"),
    )
    .await
}

async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((slug, n)): Path<(String, usize)>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let v = managed(&state, &ctx, &slug).await?;
    let (half_day, ref h) = *n
        .checked_sub(1)
        .and_then(|i| v.s.half_days.get(i))
        .ok_or(AppError::NotFound)?;
    if !training::may_record_attendance(h.starts_at, now()) {
        return Ok(Redirect::to(&format!(
            "/admin/formations/{slug}?message=presences-trop-tot"
        ))
        .into_response());
    }
    let mut tx = state.db.write().await?;
    let apps = trainings::applications(&mut tx, v.s.id).await?;
    let chosen = p.all("present");
    let present: Vec<i64> = apps
        .iter()
        .filter(|a| chosen.contains(&a.public_id))
        .map(|a| a.id)
        .collect();
    trainings::set_attendance(&mut tx, v.s.id, half_day, &present).await?;
    audited(
        tx,
        ctx.audit(
            "training_attendance",
            Some(format!("session:{slug}")),
            format!(
                "Présences de la demi-journée {n} : {}",
                crate::french::plural(present.len(), "présent", "présents")
            ),
        ),
        &format!("/admin/formations/{slug}?message=presences"),
    )
    .await
}
