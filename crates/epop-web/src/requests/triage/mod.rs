//! A request as its coordinator works on it (`/admin/demandes/{id}`): what
//! was asked, its history, « étudier » (qualify), the suggested peer
//! workers with the reason for each in plain words (and those left out,
//! with why), proposing to one or several with an answer deadline, the
//! answers, and cancelling with a reason. One file per task of the page;
//! this one holds the router and the page itself, section by section.

mod edit;
mod framework;
mod lifecycle;
mod mission_sheet;
mod propose;
mod schedule;
mod tasks;

pub(super) use mission_sheet::mission_sheet;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use epop_domain::lifecycle::State as Stage;
use epop_domain::request::{RequestForm, format_euros};
use epop_store::proposals::{self, Proposal};
use epop_store::requests::{self, Request};

use super::lists::{Line, line, status_label};
use crate::context::Layout;
use crate::french::paris_time;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/demandes/{id}", get(page))
        .route("/admin/demandes/{id}/etudier", post(lifecycle::qualify))
        .route("/admin/demandes/{id}/proposer", post(propose::propose))
        .route("/admin/demandes/{id}/annuler", post(lifecycle::cancel))
        .route(
            "/admin/demandes/{id}/cadre",
            post(framework::choose_framework),
        )
        .route("/admin/demandes/{id}/programmer", post(schedule::schedule))
        .route("/admin/demandes/{id}/realisee", post(lifecycle::mark_done))
        .route("/admin/demandes/{id}/clore", post(lifecycle::close))
        .route(
            "/admin/demandes/{id}/modifier",
            get(edit::edit_form).post(edit::edit),
        )
        .route(
            "/admin/demandes/{id}/fiche-mission.pdf",
            get(mission_sheet::for_coordination),
        )
}

/// The person acting on a request from these pages: an admin, or a
/// coordinator of its territory (checked by [`handled`]).
fn who(ctx: &Ctx) -> Result<proposals::Who, AppError> {
    let user = ctx.user()?;
    Ok(proposals::Who {
        actor: if user.principal.is_admin() {
            epop_domain::lifecycle::Actor::Admin
        } else {
            epop_domain::lifecycle::Actor::Coordinator
        },
        account_id: Some(user.account.id),
    })
}

/// The request, if this person coordinates its territory (or is an admin).
pub(super) async fn handled(state: &AppState, ctx: &Ctx, id: &str) -> Result<Request, AppError> {
    let user = ctx.require(|p| p.may_administer())?;
    let mut conn = state.db.conn().await?;
    let r = requests::by_public_id(&mut conn, id)
        .await?
        .filter(|r| r.status != "draft")
        .ok_or(AppError::NotFound)?;
    if !user.principal.may_act_in(r.department_code.as_deref()) {
        return Err(AppError::Forbidden);
    }
    Ok(r)
}

/// One step of the request's history, as read.
pub struct Step {
    pub when: String,
    pub what: &'static str,
    pub who: String,
    pub why: String,
}

/// A suggested (or left out) peer worker, with the reasons in words.
pub struct Pick {
    pub profile_id: i64,
    pub name: String,
    pub why: String,
}

impl Pick {
    fn new(profile_id: i64, name: &str, why: String) -> Pick {
        Pick {
            profile_id,
            name: name.to_owned(),
            why,
        }
    }
}

pub struct ProposalLine {
    pub p: Proposal,
    pub status: &'static str,
    /// The day to answer by, in words (« mardi 10 décembre 2026 »).
    pub deadline: String,
}

pub fn proposal_status(code: &str) -> &'static str {
    match code {
        "pending" => "En attente de réponse",
        "accepted" => "Accepté",
        "declined" => "Refusé",
        "withdrawn" => "Place prise par un autre intervenant-pair",
        "expired" => "Sans réponse à temps",
        _ => "Inconnu",
    }
}

#[derive(Template)]
#[template(path = "requests/page.html")]
struct Page {
    l: Layout,
    line: Line,
    f: epop_domain::request::RequestForm,
    /// The peer worker the organisation asked from (a wish).
    wished: Option<super::intake::Wished>,
    /// The steps of the journey, at the top of the page.
    tasks: Vec<tasks::Task>,
    fee: String,
    history: Vec<Step>,
    may_qualify: bool,
    may_propose: bool,
    may_cancel: bool,
    /// The peers who may be asked, and those who may not.
    picks: propose::Picks,
    proposals: Vec<ProposalLine>,
    default_deadline: String,
    error: String,
    /// The field `error` is about (its id: the summary links to it and the
    /// message shows beside it), or the part of the page that explains a
    /// refusal.
    error_field: String,
    /// The error summary's heading: a form error, or what was refused.
    error_title: &'static str,
    /// The message of the action just done, shown in its section
    /// (`notice_in`) rather than at the top; see [`section_of`].
    notice: &'static str,
    notice_in: &'static str,
    /// What was typed in the form that failed, kept in its fields.
    typed: crate::forms::Pairs,
    legal_open: bool,
    may_schedule: bool,
    may_mark_done: bool,
    may_close: bool,
    scheduled: String,
    feedback: Vec<crate::questionnaires::Said>,
    payment: super::payments::PaymentView,
    expenses: Vec<super::payments::ExpenseView>,
    payers: Vec<(&'static str, &'static str)>,
    hosting_open: bool,
    when: String,
    thread: Vec<super::thread::Said>,
    referent: Option<(i64, String, String)>,
    /// The organisation's members, among whom the référent is chosen.
    members: Vec<(i64, String, String)>,
    readiness: Vec<(&'static str, bool)>,
    readiness_notes: String,
    situations: Vec<(&'static str, &'static str, bool)>,
    evaluations: Vec<framework::EvalView>,
    chosen: Option<String>,
}

impl Page {
    /// The value typed in `name` when its form failed, or `default`.
    fn typed_or(&self, name: &str, default: &str) -> String {
        match self.typed.0.iter().find(|(k, _)| k == name) {
            Some((_, v)) => v.clone(),
            None => default.to_owned(),
        }
    }

    /// Whether `value` was ticked in the box group `name` of the form that
    /// failed.
    fn ticked(&self, name: &str, value: &i64) -> bool {
        let value = value.to_string();
        self.typed.0.iter().any(|(k, v)| k == name && *v == value)
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    show(&state, &ctx, r, String::new()).await
}

/// A step that left the status as it was, in words.
fn event_label(event: requests::Event) -> &'static str {
    match event {
        requests::Event::Framework => "Cadre choisi",
        requests::Event::Referent => "Référent nommé",
        requests::Event::Payment => "Paiement enregistré",
        requests::Event::Edited => "Demande modifiée",
    }
}

/// The request's history, as read: each step named for what happened (the
/// event of a step that kept the state, else the state it moved to — a new
/// date for a scheduled intervention is « Programmée » again).
async fn history(conn: &mut epop_store::Conn, r: &Request) -> Result<Vec<Step>, AppError> {
    Ok(requests::history(conn, r.id)
        .await?
        .into_iter()
        .map(|(_, to, who, why, at, event)| Step {
            when: paris_time(at),
            what: event.map_or_else(|| status_label(&to), event_label),
            who: who.unwrap_or_default(),
            why: why.unwrap_or_default(),
        })
        .collect())
}

/// The section of the page an action's message (`?message=…`) belongs to.
///
/// After an action the page opens at that section (`#id`) and shows the
/// message right under the section's heading, not at the top of the page:
/// a keyboard user goes on from there (the next Tab reaches the section's
/// form), and a screen reader reading from the fragment meets the heading
/// then the message, as a sighted user sees them. A link « Aller à la
/// section » at the top would cost every user one more step and leave the
/// scroll far from the message. Actions whose section is gone once done
/// (studying, linking an organisation) keep their message at the top.
fn section_of(message: &str) -> Option<&'static str> {
    Some(match message {
        "cadre" => "cadre",
        "programmee" => "programmer",
        "paiement" => "paiement",
        "referent" => "accueil",
        "proposee" => "propositions",
        "message-demande" => "messages",
        "demande-annulee" | "demande-close" | "realisee" | "demande-modifiee" => "historique",
        _ => return None,
    })
}

/// The message of the action just done and its section, when the page
/// shows that section (the message then leaves the top of the page).
fn notice_in_section(ctx: &Ctx, l: &mut Layout, shown: &[&str]) -> (&'static str, &'static str) {
    match ctx.query_param("message").as_deref().and_then(section_of) {
        Some(s) if s == "historique" || s == "messages" || shown.contains(&s) => {
            (l.notices.pop().unwrap_or_default(), s)
        }
        _ => ("", ""),
    }
}

/// Where the page goes after an action on request `id`: back to it with
/// `message`, at the section acted on.
pub(super) fn back_to(id: &str, message: &str) -> String {
    let anchor = section_of(message)
        .map(|s| format!("#{s}"))
        .unwrap_or_default();
    format!("/admin/demandes/{id}?message={message}{anchor}")
}

/// The proposals made, with their state and deadline.
async fn proposal_lines(
    conn: &mut epop_store::Conn,
    r: &Request,
) -> Result<Vec<ProposalLine>, AppError> {
    Ok(proposals::for_request(conn, r.id)
        .await?
        .into_iter()
        .map(|p| ProposalLine {
            status: proposal_status(&p.status),
            deadline: crate::french::french_day(p.deadline),
            p,
        })
        .collect())
}

/// The intervention itself: when it is scheduled, the feedback, the
/// payment and the expenses.
struct Delivery {
    scheduled: String,
    feedback: Vec<crate::questionnaires::Said>,
    payment: super::payments::PaymentView,
    expenses: Vec<super::payments::ExpenseView>,
}

async fn delivery(
    conn: &mut epop_store::Conn,
    r: &Request,
    f: &RequestForm,
) -> Result<Delivery, AppError> {
    let scheduled = requests::schedule(conn, r.id)
        .await?
        .map(|(a, b)| crate::french::french_when(a, b))
        .unwrap_or_default();
    // The host's and the peer's own answers; the audience's stay in the
    // indicators only (few people in a room could be recognised).
    let mut feedback = crate::questionnaires::said_about(conn, "intervention", r.id).await?;
    feedback.retain(|s| matches!(s.respondent.as_str(), "host" | "peer"));
    let proposed_fee = epop_domain::request::parse_euros(&f.fee).ok().flatten();
    let (payment, expenses) = super::payments::view(conn, r.id, proposed_fee).await?;
    Ok(Delivery {
        scheduled,
        feedback,
        payment,
        expenses,
    })
}

/// The host's side: the référent, the thread, the organisation's members
/// and the readiness checklist.
struct HostSide {
    referent: Option<(i64, String, String)>,
    thread: Vec<super::thread::Said>,
    members: Vec<(i64, String, String)>,
    readiness: Vec<(&'static str, bool)>,
    readiness_notes: String,
}

async fn host_side(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    r: &Request,
) -> Result<HostSide, AppError> {
    let referent = requests::referent(conn, r.id).await?;
    let thread = super::thread::thread(conn, ctx, r).await?;
    let members = match r.organisation_id {
        Some(org) => requests::members_of(conn, org).await?,
        None => Vec::new(),
    };
    let ready = requests::readiness(conn, r.id).await?;
    let readiness = super::hosting::POINTS
        .iter()
        .map(|(f, label)| (*label, super::hosting::ticked(&ready, f)))
        .collect();
    Ok(HostSide {
        referent,
        thread,
        members,
        readiness,
        readiness_notes: ready.notes.clone().unwrap_or_default(),
    })
}

/// Whether the host's side (référent, readiness) is open at this stage.
fn hosting_open(stage: Stage) -> bool {
    matches!(
        stage,
        Stage::Qualified | Stage::Proposed | Stage::Accepted | Stage::Scheduled | Stage::Done
    )
}

/// The page with an action refused (a rule of the life cycle, not a
/// field), or without a problem when `error` is empty.
pub(super) async fn show(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    error: String,
) -> Result<Response, AppError> {
    show_refused(state, ctx, r, "", error).await
}

/// The page with an action refused, explained in the part of the page
/// whose id is `place` (the summary links to it).
pub(super) async fn show_refused(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    place: &str,
    error: String,
) -> Result<Response, AppError> {
    let problem = Problem {
        field: place,
        title: "Cette action n’est pas possible",
        error,
    };
    show_page(state, ctx, r, problem, crate::forms::Pairs::default()).await
}

/// The page with a problem on one of its fields (`field`: its id; the
/// summary links to it and the message shows beside it), keeping what was
/// typed in the form that failed.
pub(super) async fn show_typed(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    field: &str,
    error: String,
    typed: crate::forms::Pairs,
) -> Result<Response, AppError> {
    let problem = Problem {
        field,
        title: "Il y a 1 erreur dans le formulaire",
        error,
    };
    show_page(state, ctx, r, problem, typed).await
}

/// The fee the request proposes, in words.
fn fee_of(f: &RequestForm) -> String {
    epop_domain::request::parse_euros(&f.fee)
        .ok()
        .flatten()
        .map(format_euros)
        .unwrap_or_else(|| "À discuter".into())
}

/// What went wrong on the page: where, the summary's heading, the message.
struct Problem<'a> {
    field: &'a str,
    title: &'static str,
    error: String,
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    problem: Problem<'_>,
    typed: crate::forms::Pairs,
) -> Result<Response, AppError> {
    let Problem {
        field,
        title: error_title,
        error,
    } = problem;
    let mut conn = state.db.conn().await?;
    let history = history(&mut conn, &r).await?;
    let f = r.typed_form();
    let stage = Stage::from_code(&r.status).unwrap_or(Stage::Submitted);
    let may_propose = matches!(stage, Stage::Qualified | Stage::Proposed);
    let picks = if may_propose {
        propose::picks(&mut conn, &r, &f).await?
    } else {
        propose::Picks::default()
    };
    let proposals = proposal_lines(&mut conn, &r).await?;
    let default_deadline = (chrono::Utc::now().date_naive() + chrono::Duration::days(7))
        .format("%d/%m/%Y")
        .to_string();
    let legal_open = matches!(
        stage,
        Stage::Accepted | Stage::Scheduled | Stage::Done | Stage::Evaluated
    );
    let legal = framework::section(&mut conn, ctx, &r, legal_open, &typed).await?;
    let d = delivery(&mut conn, &r, &f).await?;
    let h = host_side(&mut conn, ctx, &r).await?;
    let wished = super::intake::wished(&mut conn, ctx, &f.wished_peer).await?;
    let title = format!("Demande : {}", r.subject.clone().unwrap_or_default());
    let shown: Vec<&str> = [
        ("etudier", stage == Stage::Submitted),
        ("suggestions", may_propose),
        ("propositions", !proposals.is_empty()),
        ("accueil", hosting_open(stage)),
        ("cadre", legal_open),
        ("paiement", legal_open),
        (
            "programmer",
            matches!(stage, Stage::Accepted | Stage::Scheduled),
        ),
        ("realisee", stage == Stage::Scheduled),
        ("avis", !d.feedback.is_empty()),
    ]
    .into_iter()
    .filter_map(|(id, on)| on.then_some(id))
    .collect();
    let tasks = tasks::tasks(
        &tasks::Progress {
            studied: stage > Stage::Submitted,
            proposed: !proposals.is_empty(),
            referent: h.referent.is_some(),
            framework: legal.chosen.is_some(),
            scheduled: !d.scheduled.is_empty(),
            paid: d.payment.status == "paid",
            done: matches!(stage, Stage::Done | Stage::Evaluated | Stage::Closed),
            feedback: !d.feedback.is_empty(),
        },
        &shown,
    );
    let mut l = ctx.layout_with_errors(title, !error.is_empty());
    let (notice, notice_in) = notice_in_section(ctx, &mut l, &shown);
    let page = Page {
        wished,
        tasks,
        may_schedule: matches!(stage, Stage::Accepted | Stage::Scheduled),
        may_mark_done: stage == Stage::Scheduled,
        may_close: stage == Stage::Evaluated,
        scheduled: d.scheduled,
        feedback: d.feedback,
        payment: d.payment,
        expenses: d.expenses,
        when: super::when_of(&f),
        hosting_open: hosting_open(stage),
        thread: h.thread,
        referent: h.referent,
        members: h.members,
        readiness: h.readiness,
        readiness_notes: h.readiness_notes,
        payers: epop_domain::payment::Payer::ALL
            .iter()
            .map(|p| (p.code(), p.label()))
            .collect(),
        legal_open,
        situations: legal.situations,
        evaluations: legal.evaluations,
        chosen: legal.chosen,
        l,
        notice,
        notice_in,
        may_qualify: stage == Stage::Submitted,
        may_cancel: stage.may_be_cancelled(),
        may_propose,
        line: line(r),
        fee: fee_of(&f),
        f,
        history,
        picks,
        proposals,
        default_deadline,
        error,
        error_field: field.to_owned(),
        error_title,
        typed,
    };
    if page.error.is_empty() {
        render(&page)
    } else {
        crate::render::render_invalid(&page)
    }
}
