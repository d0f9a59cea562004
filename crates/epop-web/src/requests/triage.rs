//! A request as its coordinator works on it (`/admin/demandes/{id}`): what
//! was asked, its history, « étudier » (qualify), the suggested peer
//! workers with the reason for each in plain words (and those left out,
//! with why), proposing to one or several with an answer deadline, the
//! answers, and cancelling with a reason.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use epop_domain::directory::ProfileKind;
use epop_domain::legal;
use epop_domain::lifecycle::{Action, State as Stage};
use epop_domain::matching::{self, RequestNeeds, When};
use epop_domain::request::format_euros;
use epop_store::proposals::{self, Proposal};
use epop_store::requests::{self, Request};
use epop_store::{directory, now, outbox, territories};

use super::lists::{Line, line, status_label};
use super::{form_of, pairs_of};
use crate::context::Layout;
use crate::emails::FOOTER;
use crate::error::refusal;
use crate::forms::Pairs;
use crate::french::paris_time;
use crate::render::{audit_sensitive_read, render};
use crate::security::public_id;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/demandes/{id}", get(page))
        .route("/admin/demandes/{id}/etudier", post(qualify))
        .route("/admin/demandes/{id}/proposer", post(propose))
        .route("/admin/demandes/{id}/annuler", post(cancel))
        .route("/admin/demandes/{id}/cadre", post(choose_framework))
        .route("/admin/demandes/{id}/programmer", post(schedule))
        .route("/admin/demandes/{id}/realisee", post(mark_done))
        .route("/admin/demandes/{id}/clore", post(close))
        .route("/admin/demandes/{id}/modifier", get(edit_form).post(edit))
        .route("/admin/demandes/{id}/fiche-mission.pdf", get(mission_sheet))
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

pub struct ProposalLine {
    pub p: Proposal,
    pub status: &'static str,
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
    fee: String,
    history: Vec<Step>,
    may_qualify: bool,
    may_propose: bool,
    may_cancel: bool,
    suggestions: Vec<Pick>,
    excluded: Vec<Pick>,
    proposals: Vec<ProposalLine>,
    default_deadline: String,
    error: String,
    /// The field `error` is about, if any.
    error_field: &'static str,
    legal_open: bool,
    may_schedule: bool,
    may_mark_done: bool,
    may_close: bool,
    scheduled: String,
    feedback: Vec<epop_store::requests::Feedback>,
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
    evaluations: Vec<EvalView>,
    chosen: Option<String>,
}

/// A framework as the coordinator weighs it for the peer's situations.
pub struct EvalView {
    pub code: &'static str,
    pub label: &'static str,
    pub verdict: &'static str,
    pub e: legal::Evaluation,
    pub notice: String,
    pub notice_easy: String,
    pub confirm: bool,
    pub possible: bool,
}

/// The situations ticked on the page (`?situation=aah&situation=…`).
fn situations_of(pairs: &[(String, String)]) -> Vec<legal::Situation> {
    pairs
        .iter()
        .filter(|(k, _)| k == "situation")
        .filter_map(|(_, v)| legal::Situation::from_code(v))
        .collect()
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    show(&state, &ctx, r, String::new()).await
}

pub(super) async fn show(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    error: String,
) -> Result<Response, AppError> {
    show_on_field(state, ctx, r, "", error).await
}

/// The page with a problem on one of its fields (`field`: its id; the
/// summary links to it and the message shows beside it).
pub(super) async fn show_on_field(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    field: &'static str,
    error: String,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let history = requests::history(&mut conn, r.id)
        .await?
        .into_iter()
        .map(|(_, to, who, why, at)| Step {
            when: paris_time(at),
            what: status_label(&to),
            who: who.unwrap_or_default(),
            why: why.unwrap_or_default(),
        })
        .collect();
    let f = form_of(&pairs_of(&r.form));
    let fee = epop_domain::request::parse_euros(&f.fee)
        .ok()
        .flatten()
        .map(format_euros)
        .unwrap_or_else(|| "À discuter".into());
    let stage = Stage::from_code(&r.status).unwrap_or(Stage::Submitted);
    let may_propose = matches!(stage, Stage::Qualified | Stage::Proposed);
    let (mut suggestions, mut excluded) = (Vec::new(), Vec::new());
    if may_propose && let Some(m) = matching_for(&mut conn, &r).await? {
        let asked: Vec<i64> = proposals::for_request(&mut conn, r.id)
            .await?
            .iter()
            .map(|p| p.profile_id)
            .collect();
        let names = |code: &str| m.departments.get(code).map(|(n, _)| n.clone());
        suggestions = m
            .found
            .suggestions
            .iter()
            .filter(|s| !asked.contains(&s.profile_id))
            .map(|s| Pick {
                profile_id: s.profile_id,
                name: s.display_name.clone(),
                why: s.to_french(&names),
            })
            .collect();
        excluded = m
            .found
            .excluded
            .iter()
            .map(|s| Pick {
                profile_id: s.profile_id,
                name: s.display_name.clone(),
                why: s.to_french(&names),
            })
            .collect();
    }
    let proposals = proposals::for_request(&mut conn, r.id)
        .await?
        .into_iter()
        .map(|p| ProposalLine {
            status: proposal_status(&p.status),
            deadline: paris_time(p.deadline),
            p,
        })
        .collect();
    let default_deadline = (chrono::Utc::now().date_naive() + chrono::Duration::days(7))
        .format("%d/%m/%Y")
        .to_string();
    let legal_open = matches!(
        stage,
        Stage::Accepted | Stage::Scheduled | Stage::Done | Stage::Evaluated
    );
    let query: Vec<(String, String)> = serde_urlencoded::from_str(&ctx.query).unwrap_or_default();
    let picked = situations_of(&query);
    let evaluations = if legal_open && !picked.is_empty() {
        let rules = epop_store::legal::rules(&mut conn).await?;
        legal::fitting(&rules, &picked)
            .into_iter()
            .map(|(f, e)| EvalView {
                code: f.code(),
                label: f.label(),
                verdict: e.verdict.label(),
                notice: e.notice(),
                notice_easy: e.notice_easy(),
                confirm: e.needs_confirmation(),
                possible: e.verdict != legal::Verdict::NotPossible,
                e,
            })
            .collect()
    } else {
        Vec::new()
    };
    let chosen = epop_store::legal::chosen(&mut conn, r.id).await?;
    if let Some((_, situations)) = &chosen
        && !situations.is_empty()
    {
        audit_situations_read(&mut conn, ctx, &r).await?;
    }
    let chosen = chosen.map(|(f, s)| {
        format!(
            "{} (situation : {})",
            f.label(),
            s.iter().map(|x| x.label()).collect::<Vec<_>>().join(", ")
        )
    });
    let situations = legal::Situation::ALL
        .iter()
        .map(|s| (s.code(), s.label(), picked.contains(s)))
        .collect();
    let scheduled = requests::schedule(&mut conn, r.id)
        .await?
        .map(|(a, b)| crate::french::french_when(a, b))
        .unwrap_or_default();
    let feedback = requests::feedback(&mut conn, r.id).await?;
    let proposed_fee = epop_domain::request::parse_euros(&f.fee).ok().flatten();
    let (payment, expenses) = super::payments::view(&mut conn, r.id, proposed_fee).await?;
    let referent = requests::referent(&mut conn, r.id).await?;
    let thread = super::thread::thread(&mut conn, ctx, &r).await?;
    let members = match r.organisation_id {
        Some(org) => requests::members_of(&mut conn, org).await?,
        None => Vec::new(),
    };
    let ready = requests::readiness(&mut conn, r.id).await?;
    let readiness = super::hosting::POINTS
        .iter()
        .map(|(f, label)| (*label, super::hosting::ticked(&ready, f)))
        .collect();
    let readiness_notes = ready.notes.clone().unwrap_or_default();
    let title = format!("Demande : {}", r.subject.clone().unwrap_or_default());
    let page = Page {
        may_schedule: matches!(stage, Stage::Accepted | Stage::Scheduled),
        may_mark_done: stage == Stage::Scheduled,
        may_close: stage == Stage::Evaluated,
        scheduled,
        feedback,
        payment,
        expenses,
        when: super::when_of(&f),
        hosting_open: matches!(
            stage,
            Stage::Qualified | Stage::Proposed | Stage::Accepted | Stage::Scheduled | Stage::Done
        ),
        thread,
        referent,
        members,
        readiness,
        readiness_notes,
        payers: epop_domain::payment::Payer::ALL
            .iter()
            .map(|p| (p.code(), p.label()))
            .collect(),
        legal_open,
        situations,
        evaluations,
        chosen,
        l: ctx.layout_with_errors(title, !error.is_empty()),
        may_qualify: stage == Stage::Submitted,
        may_cancel: stage.may_be_cancelled(),
        may_propose,
        line: line(r),
        f,
        fee,
        history,
        suggestions,
        excluded,
        proposals,
        default_deadline,
        error,
        error_field: field,
    };
    if page.error.is_empty() {
        render(&page)
    } else {
        crate::render::render_invalid(&page)
    }
}

/// The request's page shows the accepted peer's situations (« Cadre choisi
/// : … ») to the coordination: an audit line about the peer's profile, so
/// that the peer sees the read in « Mes données ».
async fn audit_situations_read(
    conn: &mut epop_store::Conn,
    ctx: &Ctx,
    r: &Request,
) -> Result<(), AppError> {
    let accepted = proposals::for_request(conn, r.id)
        .await?
        .into_iter()
        .find(|p| p.status == "accepted");
    let subject = match &accepted {
        Some(p) => directory::profile_of(conn, p.account_id, ProfileKind::Peer)
            .await?
            .map(|(_, slug)| format!("profile:{slug}")),
        None => None,
    };
    let whose = accepted.map_or_else(|| "l’intervenant-pair".into(), |p| p.peer_name);
    audit_sensitive_read(
        conn,
        ctx,
        subject.unwrap_or_else(|| format!("request:{}", r.public_id)),
        format!(
            "Lecture des situations de {whose} (cadre choisi) sur la demande « {} »",
            r.subject.clone().unwrap_or_default()
        ),
    )
    .await
}

/// The matching of a request: the suggestions (best first), those left out,
/// and the départements' names and regions for the explanations.
struct Found {
    found: matching::Matching,
    departments: BTreeMap<String, (String, String)>,
}

async fn matching_for(conn: &mut epop_store::Conn, r: &Request) -> Result<Option<Found>, AppError> {
    let f = form_of(&pairs_of(&r.form));
    let Some(kind) = r
        .kind
        .as_deref()
        .and_then(epop_domain::directory::InterventionKind::parse)
    else {
        return Ok(None);
    };
    let departments: BTreeMap<String, (String, String)> = territories::departments(conn)
        .await?
        .into_iter()
        .map(|d| (d.code.clone(), (d.name.clone(), d.region_code.clone())))
        .collect();
    let dept = r.department_code.clone().unwrap_or_default();
    let day = epop_domain::text::parse_date(&f.date_from, "la date").ok();
    let needs = RequestNeeds {
        kind,
        department: dept.clone(),
        region: departments
            .get(&dept)
            .map(|(_, r)| r.clone())
            .unwrap_or_default(),
        remote: f.mode == "a-distance",
        themes: proposals::themes_in(conn, &f.themes).await?,
        when: day
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|d| When::At(d.and_utc().timestamp())),
    };
    let t = now();
    let month = day.unwrap_or_else(crate::french::paris_today);
    let candidates = proposals::candidates(conn, &dept, t, month).await?;
    Ok(Some(Found {
        found: matching::suggest(&needs, &candidates, t),
        departments,
    }))
}

/// Tells the people concerned by a change: the requester when the request
/// is studied, closed or cancelled; the peers asked when it is cancelled.
async fn tell(
    conn: &mut epop_store::Conn,
    base: &str,
    r: &Request,
    to: Stage,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let subject = r.subject.clone().unwrap_or_default();
    let text = match to {
        Stage::Qualified => "La coordination étudie votre demande. Elle cherche les intervenants-pairs qui conviennent et vous écrit.".to_owned(),
        Stage::Closed => "Votre demande est terminée. Merci d’avoir fait appel au réseau !".to_owned(),
        Stage::Cancelled => format!("La demande est annulée. La raison : {}", reason.unwrap_or_default()),
        _ => return Ok(()),
    };
    let mut to_tell: Vec<(String, String)> = Vec::new();
    if let Some(id) = r.requester_id
        && let Some(a) = epop_store::accounts::by_id(conn, id).await?
    {
        to_tell.push((a.display_name, a.email));
    }
    if to == Stage::Cancelled {
        for p in proposals::for_request(conn, r.id).await? {
            if p.status == "pending" || p.status == "accepted" {
                to_tell.push((p.peer_name, p.peer_email));
            }
        }
    }
    for (name, email) in to_tell {
        outbox::enqueue(
            conn,
            &epop_store::outbox::Message {
                recipient: email,
                subject: format!("{} : {subject}", status_label(to.code())),
                body_text: format!(
                    "Bonjour {name},\n\n{text}\n\nDemande : « {subject} »\n{base}\n{FOOTER}"
                ),
                attachment: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// Writes what was done to request `id` to the audit log, commits it all,
/// and shows the request's page again with `message`.
async fn finish(
    tx: epop_store::Tx,
    ctx: &Ctx,
    id: &str,
    action: &str,
    detail: String,
    message: &str,
) -> Result<Response, AppError> {
    let event = ctx.audit(action, Some(format!("request:{id}")), detail);
    crate::render::audited(
        tx,
        event,
        &format!("/admin/demandes/{id}?message={message}"),
    )
    .await
}

/// Runs one life-cycle action on the request, with its audit line; a
/// refused action shows the page again with the rule's message.
async fn step(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    action: Action,
    audit_action: &'static str,
) -> Result<Response, AppError> {
    let r = handled(state, ctx, id).await?;
    let mut tx = state.db.write().await?;
    match proposals::transition(&mut tx, &r, &action, who(ctx)?, now()).await {
        Ok(to) => {
            tell(&mut tx, &state.config.base_url, &r, to, action.reason()).await?;
            finish(
                tx,
                ctx,
                id,
                audit_action,
                format!("Demande : {}", status_label(to.code())),
                "demande",
            )
            .await
        }
        Err(e) => {
            drop(tx);
            show(state, ctx, r, refusal(e)?).await
        }
    }
}

async fn qualify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &ctx, &id, Action::Qualify, "request_qualified").await
}

async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    match Action::cancel(&p.get("reason")) {
        Ok(action) => step(&state, &ctx, &id, action, "request_cancelled").await,
        Err(e) => {
            let r = handled(&state, &ctx, &id).await?;
            show(&state, &ctx, r, e.0).await
        }
    }
}

async fn propose(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let chosen: Vec<i64> = p
        .all("peer")
        .iter()
        .filter_map(|v| v.parse().ok())
        .collect();
    let deadline = epop_domain::text::parse_date(&p.get("deadline"), "la date limite de réponse")
        .ok()
        .and_then(|d| {
            epop_domain::event::paris_timestamp(d, chrono::NaiveTime::from_hms_opt(23, 59, 0)?).ok()
        });
    let Some(deadline) = deadline.filter(|d| *d > now()) else {
        return show(
            &state,
            &ctx,
            r,
            "Écrivez une date limite de réponse à venir, par exemple dans une semaine.".into(),
        )
        .await;
    };
    if chosen.is_empty() {
        return show(
            &state,
            &ctx,
            r,
            "Cochez au moins un intervenant-pair à qui proposer la demande.".into(),
        )
        .await;
    }
    let mut tx = state.db.write().await?;
    // Only peers the matching suggests may be asked (a form can be forged).
    let suggested: Vec<i64> = matching_for(&mut tx, &r)
        .await?
        .map(|m| m.found.suggestions.iter().map(|s| s.profile_id).collect())
        .unwrap_or_default();
    let mut peers = Vec::new();
    for profile_id in chosen.iter().filter(|id| suggested.contains(id)) {
        if let Some(account_id) = proposals::account_of(&mut tx, *profile_id).await? {
            peers.push((*profile_id, account_id, public_id()));
        }
    }
    if peers.is_empty() {
        drop(tx);
        return show(&state, &ctx, r, "Ces intervenants-pairs ne sont plus suggérés pour cette demande : choisissez parmi la liste.".into()).await;
    }
    let made = match proposals::propose(&mut tx, &r, &peers, deadline, who(&ctx)?, now()).await {
        Ok(m) => m,
        Err(e) => {
            drop(tx);
            return show(&state, &ctx, r, refusal(e)?).await;
        }
    };
    let base = &state.config.base_url;
    for prop in &made {
        outbox::enqueue(&mut tx, &super::proposals::mail_proposed(base, prop, &r)).await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_proposed",
        format!("Proposée à {} intervenant(s)-pair(s)", made.len()),
        "proposee",
    )
    .await
}

async fn choose_framework(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let actor = ctx.user()?.account.id;
    let picked = situations_of(&p.0);
    let Some(framework) = legal::Framework::from_code(&p.get("framework")) else {
        return show(&state, &ctx, r, "Choisissez un cadre dans la liste.".into()).await;
    };
    if picked.is_empty() {
        return show(
            &state,
            &ctx,
            r,
            "Cochez la situation de l’intervenant-pair avant de choisir un cadre.".into(),
        )
        .await;
    }
    let mut tx = state.db.write().await?;
    let rules = epop_store::legal::rules(&mut tx).await?;
    let e = legal::evaluate(&rules, &picked, framework);
    if e.verdict == legal::Verdict::NotPossible {
        drop(tx);
        return show(
            &state,
            &ctx,
            r,
            format!(
                "« {} » n’est pas possible dans cette situation.",
                framework.label()
            ),
        )
        .await;
    }
    if e.needs_confirmation() && p.get("confirm") != "oui" {
        drop(tx);
        return show(
            &state,
            &ctx,
            r,
            format!(
                "« {} » présente un risque pour l’intervenant-pair : lisez les mises en garde avec lui, puis cochez la case de confirmation.",
                framework.label()
            ),
        )
        .await;
    }
    let t = now();
    epop_store::legal::choose(&mut tx, r.id, framework, &picked, t).await?;
    let why = format!(
        "Cadre choisi : {} ({})",
        framework.label(),
        e.verdict.label()
    );
    requests::record(
        &mut tx,
        r.id,
        Some(&r.status),
        &r.status,
        Some(actor),
        Some(&why),
        t,
    )
    .await?;
    finish(tx, &ctx, &id, "request_framework", why, "cadre").await
}

/// The mission sheet (tagged PDF) naming all parties, the framework, what
/// it requires and its warnings. The host signs it: it says what the
/// framework asks whatever the person ([`legal::host_duties`]), never the
/// peer's situation (benefits, employment, ESAT…) nor the verdict for it,
/// which stay on the coordinator's page.
async fn mission_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let mut conn = state.db.conn().await?;
    let (framework, _) = epop_store::legal::chosen(&mut conn, r.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let peer = proposals::for_request(&mut conn, r.id)
        .await?
        .into_iter()
        .find(|p| p.status == "accepted")
        .ok_or(AppError::NotFound)?;
    let rules = epop_store::legal::rules(&mut conn).await?;
    drop(conn);
    let e = legal::host_duties(&rules, framework);
    let f = form_of(&pairs_of(&r.form));
    let fee = epop_domain::request::parse_euros(&f.fee)
        .ok()
        .flatten()
        .map(format_euros)
        .unwrap_or_else(|| "À définir avec la coordination".into());
    let organisation = r
        .organisation_name
        .clone()
        .unwrap_or_else(|| f.org_name.clone());
    use epop_docs::pdf::{Block, Document};
    let fact = |a: &str, b: String| (a.to_owned(), b);
    let doc = Document {
        title: format!("Fiche de mission – {}", f.subject),
        subject: "Fiche de mission d’une intervention par un intervenant-pair".into(),
        author: "Réseau EPoP".into(),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: format!("Fiche de mission – {}", f.subject),
            },
            Block::Facts(vec![
                fact("Organisation qui accueille", organisation.clone()),
                fact("Contact", f.contact_name.clone()),
                fact("Intervenant·e-pair", peer.peer_name.clone()),
                fact(
                    "Coordination",
                    format!(
                        "Réseau EPoP – {}",
                        r.department_name.clone().unwrap_or_default()
                    ),
                ),
                fact("Type d’intervention", line(r.clone()).kind.to_owned()),
                fact(
                    "Pour qui",
                    format!("{} ({} personnes)", f.audience, f.audience_size),
                ),
                fact(
                    "Quand",
                    if f.date_from.is_empty() {
                        f.period.clone()
                    } else {
                        f.date_from.clone()
                    },
                ),
                fact("Durée", f.duration.clone()),
                fact(
                    "Où",
                    if f.mode == "a-distance" {
                        "À distance".into()
                    } else {
                        f.address.clone()
                    },
                ),
                fact("Rémunération", fee),
                fact("Cadre", framework.label().to_owned()),
            ]),
            Block::Heading {
                level: 2,
                text: "Ce que l’intervention doit apporter".into(),
            },
            Block::Paragraph(f.description.clone()),
            Block::Heading {
                level: 2,
                text: "Ce que le cadre demande".into(),
            },
            Block::List(if e.guidance.requirements.is_empty() {
                vec!["Rien de particulier.".into()]
            } else {
                e.guidance.requirements.clone()
            }),
            Block::Heading {
                level: 2,
                text: "Points d’attention".into(),
            },
            Block::List(if e.guidance.warnings.is_empty() {
                vec!["Aucun.".into()]
            } else {
                e.guidance.warnings.clone()
            }),
            Block::Paragraph(e.notice()),
            Block::Heading {
                level: 2,
                text: "Sources".into(),
            },
            Block::List(if e.sources.is_empty() {
                vec!["Demandez à la coordination.".into()]
            } else {
                e.sources.clone()
            }),
            Block::SignatureBoxes(vec![
                "Pour l’organisation qui accueille".into(),
                format!("L’intervenant·e-pair, {}", peer.peer_name),
                "Pour la coordination".into(),
            ]),
        ],
    };
    let bytes = tokio::task::spawn_blocking(move || epop_docs::pdf::render(&doc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.0))?;
    Ok(crate::render::download(
        "application/pdf",
        &format!("fiche-mission-{id}.pdf"),
        bytes,
    ))
}

/// The peer who accepted, if any.
async fn accepted_peer(
    conn: &mut epop_store::Conn,
    r: &Request,
) -> Result<Option<Proposal>, AppError> {
    Ok(proposals::for_request(conn, r.id)
        .await?
        .into_iter()
        .find(|p| p.status == "accepted"))
}

/// The e-mail addresses told about the intervention: the peer who accepted
/// and the requester.
async fn people(
    conn: &mut epop_store::Conn,
    r: &Request,
) -> Result<Vec<(String, String, String)>, AppError> {
    let mut out = Vec::new();
    if let Some(p) = accepted_peer(conn, r).await? {
        out.push((
            p.peer_name,
            p.peer_email,
            format!("/espace/propositions/{}", p.public_id),
        ));
    }
    if let Some(id) = r.requester_id
        && let Some(a) = epop_store::accounts::by_id(conn, id).await?
    {
        out.push((
            a.display_name,
            a.email,
            format!("/espace/demandes/{}", r.public_id),
        ));
    }
    Ok(out)
}

async fn schedule(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let parsed = (|| {
        let day = epop_domain::text::parse_date(&p.get("date"), "la date")?;
        let from = epop_domain::event::parse_time(&p.get("start_time"), "l’heure de début")?;
        let to = epop_domain::event::parse_time(&p.get("end_time"), "l’heure de fin")?;
        let (a, b) = (
            epop_domain::event::paris_timestamp(day, from)?,
            epop_domain::event::paris_timestamp(day, to)?,
        );
        if b <= a {
            return Err(epop_domain::Invalid::new(
                "L’heure de fin doit venir après l’heure de début.",
            ));
        }
        Ok((a, b))
    })();
    let (start, end) = match parsed {
        Ok(x) => x,
        Err(e) => return show(&state, &ctx, r, e.0).await,
    };
    let t = now();
    let mut tx = state.db.write().await?;
    if let Err(e) = proposals::transition(&mut tx, &r, &Action::Schedule, who(&ctx)?, t).await {
        drop(tx);
        return show(&state, &ctx, r, refusal(e)?).await;
    }
    requests::set_schedule(&mut tx, r.id, start, end, t).await?;
    let f = form_of(&pairs_of(&r.form));
    let base = &state.config.base_url;
    let uid = format!("demande-{}@epop", r.public_id);
    let url = format!("{base}/admin/demandes/{}", r.public_id);
    let place = if f.mode == "a-distance" {
        "À distance".to_owned()
    } else {
        f.address.clone()
    };
    let ics = epop_docs::ics::calendar(
        &f.subject,
        &[epop_docs::ics::IcsEvent {
            uid: &uid,
            title: &format!("Intervention : {}", f.subject),
            description: &f.description,
            starts_at: start,
            ends_at: end,
            location: Some(&place),
            url: &url,
            cancelled: false,
            updated_at: t,
        }],
    );
    let when = crate::french::french_when(start, end);
    for (name, email, link) in people(&mut tx, &r).await? {
        outbox::enqueue(
            &mut tx,
            &epop_store::outbox::Message {
                recipient: email,
                subject: format!("Intervention programmée : {}", f.subject),
                body_text: format!(
                    "Bonjour {name},\n\nL’intervention « {} » est programmée :\n{when} (heure de Paris)\nOù : {place}\n\n\
                     Le fichier joint l’ajoute à votre agenda.\nPour la retrouver : {base}{link}\n{FOOTER}",
                    f.subject
                ),
                attachment: Some(epop_store::outbox::Attachment {
                    filename: "intervention.ics".into(),
                    content_type: epop_docs::ics::MEDIA_TYPE.into(),
                    body: ics.clone(),
                }),
            },
        )
        .await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_scheduled",
        format!("Programmée : {when}"),
        "demande",
    )
    .await
}

async fn mark_done(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    let t = now();
    let mut tx = state.db.write().await?;
    if let Err(e) = proposals::transition(&mut tx, &r, &Action::MarkDone, who(&ctx)?, t).await {
        drop(tx);
        return show(&state, &ctx, r, refusal(e)?).await;
    }
    let base = &state.config.base_url;
    let subject = r.subject.clone().unwrap_or_default();
    for (name, email, link) in people(&mut tx, &r).await? {
        let peer = link.starts_with("/espace/propositions/");
        outbox::enqueue(
            &mut tx,
            &epop_store::outbox::Message {
                recipient: email,
                subject: format!("Merci ! Votre avis sur l’intervention : {subject}"),
                body_text: format!(
                    "Bonjour {name},\n\nL’intervention « {subject} » est faite. Merci !\n\n\
                     Dites-nous comment elle s’est passée : 3 questions, 1 minute.\n{base}{link}/avis\n{}{FOOTER}",
                    if peer {
                        format!("\nVotre attestation d’intervention : {base}{link}/attestation.pdf\n")
                    } else {
                        String::new()
                    }
                ),
                attachment: None,
            },
        )
        .await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_done",
        "Intervention réalisée".into(),
        "demande",
    )
    .await
}

async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(&state, &ctx, &id, Action::Close, "request_closed").await
}

/// A request may be corrected until the intervention is done.
fn editable(r: &Request) -> bool {
    matches!(
        Stage::from_code(&r.status),
        Some(
            Stage::Submitted
                | Stage::Qualified
                | Stage::Proposed
                | Stage::Accepted
                | Stage::Scheduled
        )
    )
}

async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    if !editable(&r) {
        return show(
            &state,
            &ctx,
            r,
            "Cette demande ne peut plus être modifiée.".into(),
        )
        .await;
    }
    super::intake::request_form(
        &state,
        &ctx,
        pairs_of(&r.form),
        crate::forms::Errors::default(),
        String::new(),
        Some(&id),
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = handled(&state, &ctx, &id).await?;
    if !editable(&r) {
        return show(
            &state,
            &ctx,
            r,
            "Cette demande ne peut plus être modifiée.".into(),
        )
        .await;
    }
    let today = crate::french::paris_today();
    let valid = match form_of(&p).validate(today) {
        Ok(v) => v,
        Err(list) => {
            let errors = crate::forms::Errors::from_problems(list);
            return super::intake::request_form(&state, &ctx, p, errors, String::new(), Some(&id))
                .await;
        }
    };
    let actor = ctx.user()?.account.id;
    let t = now();
    let mut tx = state.db.write().await?;
    requests::update_content(&mut tx, r.id, &super::stored(&p), &valid, t).await?;
    requests::record(
        &mut tx,
        r.id,
        Some(&r.status),
        &r.status,
        Some(actor),
        Some("Demande modifiée par la coordination"),
        t,
    )
    .await?;
    finish(
        tx,
        &ctx,
        &id,
        "request_edited",
        "Demande modifiée".into(),
        "demande",
    )
    .await
}
