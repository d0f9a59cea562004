//! The organiser's pages (coordinators in their territory, admins
//! everywhere): the list of their events, creating and editing an event,
//! and each event's registrations with the summary of accessibility needs,
//! exports (CSV for French Excel, XLSX), attendance and a message to
//! everyone registered.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::Principal;
use epop_domain::event::{Accessibility, EventForm, Need, NewEvent, Status, needs_summary};
use epop_store::events::{self, Event, Filter, Registration};
use epop_store::territories::{self, Department};
use epop_store::trainings::{self, Programme};
use epop_store::{audit, now, outbox};

use super::EventView;
use super::mails;
use super::schedule::tell_promoted;
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::french::{french_day_at, paris_time, plural};
use crate::render::{audit_needs_read, audited, download, render, render_form, render_invalid};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/evenements", get(list))
        .route("/admin/evenements/nouveau", get(new_form).post(create))
        .route("/admin/evenements/{slug}", get(registrations_page))
        .route(
            "/admin/evenements/{slug}/modifier",
            get(edit_form).post(update),
        )
        .route("/admin/evenements/{slug}/presences", post(attendance))
        .route("/admin/evenements/{slug}/message", post(message))
        .route("/admin/evenements/{slug}/annuler", post(cancel))
        .route("/admin/evenements/{slug}/inscriptions.csv", get(export_csv))
        .route(
            "/admin/evenements/{slug}/inscriptions.xlsx",
            get(export_xlsx),
        )
}

/// The event, if this person may manage it (else « not found » or 403).
async fn managed(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Event, AppError> {
    let user = ctx.require(Principal::may_create_events)?;
    let mut conn = state.db.conn().await?;
    let e = events::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    if user
        .principal
        .may_manage_event(e.department_code.as_deref())
    {
        Ok(e)
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Template)]
#[template(path = "events/manage_list.html")]
struct List {
    l: Layout,
    events: Vec<EventView>,
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_create_events)?;
    let scope: Vec<String> = user
        .principal
        .coordinated_departments
        .iter()
        .cloned()
        .collect();
    let t = now();
    let mut conn = state.db.conn().await?;
    let events = events::list(
        &mut conn,
        &Filter {
            // Events of the last 90 days stay, for attendance and exports.
            ending_after: t - 90 * 24 * 3600,
            region: None,
            online: None,
            departments: (!user.principal.is_admin()).then_some(scope.as_slice()),
        },
    )
    .await?
    .into_iter()
    .map(|e| EventView::new(e, t))
    .collect();
    render(&List {
        l: ctx.layout("Mes événements"),
        events,
    })
}

/// The event form's values as typed.
fn fields(p: &Pairs) -> EventForm {
    EventForm {
        title: p.get("title"),
        description: p.get("description"),
        description_easy: p.get("description_easy"),
        audience: p.get("audience"),
        date: p.get("date"),
        start_time: p.get("start_time"),
        end_time: p.get("end_time"),
        mode: p.get("mode"),
        online_link: p.get("online_link"),
        address: p.get("address"),
        directions: p.get("directions"),
        step_free: p.get("step_free") == "oui",
        department: p.get("department"),
        organiser: p.get("organiser"),
        capacity: p.get("capacity"),
        deadline_date: p.get("deadline_date"),
        deadline_time: p.get("deadline_time"),
        offer_hours: p.get("offer_hours"),
        accessibility: p.all("accessibility"),
        questions: p.get("questions"),
        trained_peers_only: p.get("trained_peers_only") == "oui",
        information_meeting: p.get("information_meeting") == "oui",
        programme: p.get("programme"),
    }
}

/// An event as its form shows it again (`programmes` to name the one it
/// presents).
fn form_of(e: &Event, programmes: &[Programme]) -> EventForm {
    let paris = |ts: i64| paris_time(ts);
    let day = |ts: i64| paris(ts).split(" à ").next().unwrap_or_default().to_owned();
    let time = |ts: i64| paris(ts).split(" à ").nth(1).unwrap_or_default().to_owned();
    EventForm {
        title: e.title.clone(),
        description: e.description.clone(),
        description_easy: e.description_easy.clone(),
        audience: e.audience.clone(),
        date: day(e.starts_at),
        start_time: time(e.starts_at),
        end_time: time(e.ends_at),
        mode: if e.online { "en-ligne" } else { "sur-place" }.into(),
        online_link: e.online_link.clone().unwrap_or_default(),
        address: e.address.clone().unwrap_or_default(),
        directions: e.directions.clone().unwrap_or_default(),
        step_free: e.step_free,
        department: e.department_code.clone().unwrap_or_default(),
        organiser: e.organiser.clone(),
        capacity: e.capacity.to_string(),
        deadline_date: day(e.deadline),
        deadline_time: time(e.deadline),
        offer_hours: e.offer_hours.map(|h| h.to_string()).unwrap_or_default(),
        accessibility: e
            .accessibility
            .iter()
            .map(|a| a.code().to_owned())
            .collect(),
        questions: e.questions.join("\n"),
        trained_peers_only: e.trained_peers_only,
        information_meeting: e.information_meeting,
        programme: programmes
            .iter()
            .find(|p| Some(p.id) == e.training_programme_id)
            .map(|p| p.slug.clone())
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "events/manage_form.html")]
struct FormPage {
    l: Layout,
    f: EventForm,
    errors: Errors,
    action: String,
    departments: Vec<Department>,
    accessibility: Vec<(&'static str, &'static str)>,
    programmes: Vec<Programme>,
    is_admin: bool,
}

impl FormPage {
    fn offers(&self, code: &str) -> bool {
        self.f.accessibility.iter().any(|a| a == code)
    }
}

async fn form_response(
    state: &AppState,
    ctx: &Ctx,
    title: String,
    f: EventForm,
    action: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_create_events)?;
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn)
        .await?
        .into_iter()
        .filter(|d| user.principal.may_manage_event(Some(&d.code)))
        .collect();
    let programmes = trainings::programmes(&mut conn).await?;
    let invalid = !errors.is_empty();
    let page = FormPage {
        l: ctx.layout_with_errors(title, invalid),
        f,
        errors,
        action,
        departments,
        accessibility: Accessibility::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        programmes,
        is_admin: user.principal.is_admin(),
    };
    render_form(&page, invalid)
}

async fn new_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let f = EventForm {
        capacity: "30".into(),
        ..Default::default()
    };
    form_response(
        &state,
        &ctx,
        "Créer un événement".into(),
        f,
        "/admin/evenements/nouveau".into(),
        Errors::default(),
    )
    .await
}

/// Checks the form: every field, the training presented (one of
/// `programmes`: a forged slug is refused), then the territory (a
/// coordinator places events only in the départements they coordinate),
/// then the capacity against the seats already given (`seats_taken`, 0 for
/// a new event). Gives the event and the id of the programme it presents.
fn check(
    ctx: &Ctx,
    f: &EventForm,
    programmes: &[Programme],
    is_new: bool,
    seats_taken: i64,
) -> Result<(NewEvent, Option<i64>), Errors> {
    let chosen = f.programme.trim();
    let programme = programmes.iter().find(|p| p.slug == chosen).map(|p| p.id);
    let unknown = !chosen.is_empty() && programme.is_none();
    let valid = f.validate(now(), is_new).map_err(|problems| {
        let mut errors = Errors::from_problems(problems);
        if unknown && errors.get("programme").is_empty() {
            errors.add("programme", UNKNOWN_PROGRAMME);
        }
        errors
    })?;
    let mut errors = Errors::default();
    if unknown {
        errors.add("programme", UNKNOWN_PROGRAMME);
    }
    let dept = valid.department.as_ref().map(|d| d.as_str());
    if !ctx
        .user
        .as_ref()
        .is_some_and(|u| u.principal.may_manage_event(dept))
    {
        errors.add(
            "department",
            "Choisissez un département de votre territoire (un événement national est créé par l’administration nationale).",
        );
    }
    if valid.capacity < seats_taken {
        errors.add(
            "capacity",
            format!(
                "{seats_taken} personnes ont déjà une place : la capacité ne peut pas être plus petite. Pour retirer des places, annulez d’abord des inscriptions."
            ),
        );
    }
    if errors.is_empty() {
        Ok((valid, programme))
    } else {
        Err(errors)
    }
}

const UNKNOWN_PROGRAMME: &str = "Cette formation n’existe pas : choisissez-en une dans la liste.";

/// The training programmes an event may present.
async fn programmes(state: &AppState) -> Result<Vec<Programme>, AppError> {
    let mut conn = state.db.conn().await?;
    Ok(trainings::programmes(&mut conn).await?)
}

async fn create(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.require(Principal::may_create_events)?;
    let f = fields(&p);
    let action = "/admin/evenements/nouveau".to_owned();
    let title = "Créer un événement".to_owned();
    let (valid, programme) = match check(&ctx, &f, &programmes(&state).await?, true, 0) {
        Ok(v) => v,
        Err(errors) => return form_response(&state, &ctx, title, f, action, errors).await,
    };
    let mut tx = state.db.write().await?;
    let e = events::create(&mut tx, &valid, Some(user.account.id), now()).await?;
    events::set_programme(&mut tx, e.id, programme).await?;
    audited(
        tx,
        ctx.audit(
            "event_created",
            Some(format!("event:{}", e.slug)),
            format!("Événement créé : {}", e.title),
        ),
        &format!("/admin/evenements/{}?message=evenement", e.slug),
    )
    .await
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    form_response(
        &state,
        &ctx,
        format!("Modifier : {}", e.title),
        form_of(&e, &programmes(&state).await?),
        format!("/admin/evenements/{slug}/modifier"),
        Errors::default(),
    )
    .await
}

async fn update(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    let f = fields(&p);
    let action = format!("/admin/evenements/{slug}/modifier");
    let title = format!("Modifier : {}", e.title);
    let checked = check(&ctx, &f, &programmes(&state).await?, false, e.seats_taken);
    let (valid, programme) = match checked {
        Ok(v) => v,
        Err(errors) => return form_response(&state, &ctx, title, f, action, errors).await,
    };
    let mut tx = state.db.write().await?;
    let promoted = events::update(&mut tx, e.id, &valid, now()).await?;
    events::set_programme(&mut tx, e.id, programme).await?;
    let e = events::by_slug(&mut tx, &slug)
        .await?
        .ok_or(AppError::NotFound)?;
    tell_promoted(&mut tx, &state.config.base_url, &e, &promoted).await?;
    audited(
        tx,
        ctx.audit(
            "event_updated",
            Some(format!("event:{slug}")),
            format!("Événement modifié : {}", e.title),
        ),
        &format!("/admin/evenements/{slug}?message=evenement"),
    )
    .await
}

/// A registration as the organiser's table shows it.
pub struct Row {
    pub r: Registration,
    pub needs: String,
    pub registered: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "events/manage_event.html")]
struct RegistrationsPage {
    l: Layout,
    v: EventView,
    seated: Vec<Row>,
    waiting: Vec<Row>,
    cancelled: usize,
    needs: Vec<(&'static str, usize)>,
    other_needs: Vec<String>,
    started: bool,
    /// The message form (empty here; kept on error on its own page).
    errors: Errors,
    subject: String,
    body: String,
}

fn row(r: Registration) -> Row {
    Row {
        needs: r
            .needs
            .iter()
            .map(|n| n.label())
            .collect::<Vec<_>>()
            .join(" ; "),
        registered: paris_time(r.created_at),
        status: r.status.label(),
        r,
    }
}

async fn registrations_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    let mut conn = state.db.conn().await?;
    let regs = events::registrations(&mut conn, e.id).await?;
    let with_needs = regs
        .iter()
        .filter(|r| r.status.is_active())
        .filter(|r| !r.needs.is_empty() || r.needs_other.is_some())
        .count();
    audit_needs_read(&mut conn, &ctx, format!("event:{slug}"), with_needs).await?;
    let needs = needs_summary(regs.iter().map(|r| (r.status, r.needs.as_slice())))
        .into_iter()
        .map(|(n, c)| (n.label(), c))
        .collect();
    let other_needs = regs
        .iter()
        .filter(|r| r.status.is_active())
        .filter_map(|r| r.needs_other.clone())
        .collect();
    let cancelled = regs
        .iter()
        .filter(|r| r.status == Status::Cancelled)
        .count();
    let (seated, rest): (Vec<_>, Vec<_>) = regs
        .into_iter()
        .filter(|r| r.status.is_active())
        .partition(|r| r.status.holds_seat());
    let t = now();
    let started = e.starts_at <= t;
    let title = format!("Inscriptions : {}", e.title);
    render(&RegistrationsPage {
        l: ctx.layout(title),
        v: EventView::new(e, t),
        seated: seated.into_iter().map(row).collect(),
        waiting: rest.into_iter().map(row).collect(),
        cancelled,
        needs,
        other_needs,
        started,
        errors: Errors::default(),
        subject: String::new(),
        body: String::new(),
    })
}

async fn attendance(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    let present: Vec<i64> = p
        .all("present")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let mut tx = state.db.write().await?;
    events::set_attendance(&mut tx, e.id, &present).await?;
    audited(
        tx,
        ctx.audit(
            "event_attendance",
            Some(format!("event:{slug}")),
            format!(
                "Présences enregistrées : {}",
                plural(present.len(), "présent", "présents")
            ),
        ),
        &format!("/admin/evenements/{slug}?message=presences"),
    )
    .await
}

async fn message(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    let subject = epop_domain::text::required(&p.get("subject"), "l’objet du message", 150);
    let body = epop_domain::text::paragraph(&p.get("body"), "le message", 5000);
    let (subject, body) = match (subject, body) {
        (Ok(s), Ok(b)) => (s, b),
        (s, b) => {
            // Shown on the event's page, the form keeps what was typed.
            let mut errors = Errors::default();
            if let Err(e) = s {
                errors.add("subject", e.0);
            }
            if let Err(e) = b {
                errors.add("body", e.0);
            }
            return message_invalid(&ctx, e, errors, &p);
        }
    };
    let mut tx = state.db.write().await?;
    let regs = events::registrations(&mut tx, e.id).await?;
    let mut sent = 0;
    for r in regs.iter().filter(|r| r.status.is_active()) {
        let what = mails::FromOrganiser::Message {
            subject: &subject,
            body: &body,
        };
        let m = mails::from_organiser(&mut tx, &e, r, what).await?;
        outbox::enqueue(&mut tx, &m).await?;
        sent += 1;
    }
    audited(
        tx,
        ctx.audit(
            "event_message",
            Some(format!("event:{slug}")),
            format!(
                "Message « {subject} » écrit à {}",
                plural(sent, "personne", "personnes")
            ),
        ),
        &format!("/admin/evenements/{slug}?message=message-envoye"),
    )
    .await
}

#[derive(Template)]
#[template(path = "events/manage_message.html")]
struct MessagePage {
    l: Layout,
    v: EventView,
    errors: Errors,
    subject: String,
    body: String,
}

fn message_invalid(ctx: &Ctx, e: Event, errors: Errors, p: &Pairs) -> Result<Response, AppError> {
    let title = format!("Écrire aux personnes inscrites : {}", e.title);
    render_invalid(&MessagePage {
        l: ctx.layout_with_errors(title, true),
        v: EventView::new(e, now()),
        errors,
        subject: p.get("subject"),
        body: p.get("body"),
    })
}

const HEADERS: [&str; 11] = [
    "Nom",
    "E-mail",
    "Téléphone",
    "État",
    "Besoins",
    "Autres besoins",
    "Réponses",
    "Date d’inscription",
    "Inscription par un tiers",
    "Présence",
    "Offre valable jusqu’au",
];

async fn export_rows(
    state: &AppState,
    ctx: &Ctx,
    slug: &str,
    format: &str,
) -> Result<(Event, Vec<Vec<String>>), AppError> {
    let e = managed(state, ctx, slug).await?;
    let mut tx = state.db.write().await?;
    let regs = events::registrations(&mut tx, e.id).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "event_export",
            Some(format!("event:{slug}")),
            format!(
                "Export des inscriptions en {format}, besoins d’accessibilité compris : {}",
                plural(regs.len(), "ligne", "lignes")
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    let rows = regs
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.email.clone(),
                r.phone.clone().unwrap_or_default(),
                r.status.label().to_owned(),
                r.needs
                    .iter()
                    .map(|n: &Need| n.label())
                    .collect::<Vec<_>>()
                    .join(" ; "),
                r.needs_other.clone().unwrap_or_default(),
                e.questions
                    .iter()
                    .zip(&r.answers)
                    .filter(|(_, a)| !a.is_empty())
                    .map(|(q, a)| format!("{q} {a}"))
                    .collect::<Vec<_>>()
                    .join(" | "),
                paris_time(r.created_at),
                if r.registered_by.is_some() {
                    "oui"
                } else {
                    "non"
                }
                .to_owned(),
                match r.attended {
                    Some(true) => "présence",
                    Some(false) => "absence",
                    None => "",
                }
                .to_owned(),
                r.offer_expires_at.map(french_day_at).unwrap_or_default(),
            ]
        })
        .collect();
    Ok((e, rows))
}

async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (e, rows) = export_rows(&state, &ctx, &slug, "CSV").await?;
    let bytes = epop_docs::csv_export::table(&HEADERS, rows)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(download(
        "text/csv; charset=utf-8",
        &format!("inscriptions-{}.csv", e.slug),
        bytes,
    ))
}

async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let (e, rows) = export_rows(&state, &ctx, &slug, "XLSX").await?;
    let bytes =
        tokio::task::spawn_blocking(move || epop_docs::directory_export::xlsx(&HEADERS, &rows))
            .await
            .map_err(|err| AppError::Internal(err.to_string()))?
            .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(download(
        crate::render::XLSX_TYPE,
        &format!("inscriptions-{}.xlsx", e.slug),
        bytes,
    ))
}

/// Cancels the whole event: everyone registered is told why; calendar
/// files then say CANCELLED so that subscribed calendars update.
async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let e = managed(&state, &ctx, &slug).await?;
    let Ok(reason) =
        epop_domain::text::paragraph(&p.get("reason"), "la raison de l’annulation", 1000)
    else {
        return Ok(Redirect::to(&format!(
            "/admin/evenements/{slug}?message=raison-annulation"
        ))
        .into_response());
    };
    let mut tx = state.db.write().await?;
    let people = events::cancel_event(&mut tx, e.id, &reason, now()).await?;
    for r in &people {
        let what = mails::FromOrganiser::Cancelled { reason: &reason };
        let m = mails::from_organiser(&mut tx, &e, r, what).await?;
        outbox::enqueue(&mut tx, &m).await?;
    }
    audited(
        tx,
        ctx.audit(
            "event_cancelled",
            Some(format!("event:{slug}")),
            format!(
                "Événement annulé ({}) : {reason}",
                plural(people.len(), "personne prévenue", "personnes prévenues")
            ),
        ),
        &format!("/admin/evenements/{slug}?message=evenement-annule"),
    )
    .await
}
