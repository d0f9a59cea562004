//! The peer worker's side of a proposal, in easy-read French: what, where,
//! when, for whom, paid how much; « Oui, j’accepte » or « Non merci » (the
//! reason is optional). When several peers were asked, the first
//! acceptance takes the place and the others are told. A peer sees only
//! proposals made to them, never who else was asked, nor the requester's
//! contact details.

use crate::emails::Words;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::directory::InterventionKind;
use epop_domain::request::{RequestForm, format_euros};
use epop_store::outbox::Message;
use epop_store::proposals::{self, Answered, Proposal};
use epop_store::requests::{self, Request};
use epop_store::{accounts, audit, now, outbox};

use super::triage::proposal_status;
use crate::context::Layout;
use crate::forms::Pairs;
use crate::french::french_day_at;
use crate::render::render;
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/propositions", get(list))
        .route("/espace/propositions/{id}", get(page))
        .route("/espace/propositions/{id}/repondre", post(answer))
        .route("/espace/propositions/{id}/question", post(question))
}

use super::mails;

/// What the peer reads about a request: never the contact's details.
pub struct Offer {
    pub kind: &'static str,
    pub subject: String,
    pub description: String,
    pub audience: String,
    pub size: String,
    pub when: String,
    pub duration: String,
    pub place: String,
    pub accessibility: String,
    pub accommodations: String,
    pub fee: String,
    pub organisation: String,
}

/// The amount before a framework and a payment exist.
const TO_DEFINE: &str = "À définir";

/// The peer's pay once a framework is chosen and a payment recorded.
async fn settled_fee(
    conn: &mut epop_store::Conn,
    request_id: i64,
) -> Result<Option<i64>, AppError> {
    if epop_store::legal::chosen(conn, request_id).await?.is_none() {
        return Ok(None);
    }
    Ok(epop_store::payments::get(conn, request_id)
        .await?
        .and_then(|p| p.fee_cents))
}

fn offer(r: &Request) -> Offer {
    let f: RequestForm = r.typed_form();
    let when = super::when_of(&f);
    Offer {
        kind: r
            .kind
            .as_deref()
            .and_then(InterventionKind::parse)
            .map(InterventionKind::label)
            .unwrap_or(""),
        subject: f.subject.clone(),
        description: f.description.clone(),
        audience: f.audience.clone(),
        size: f.audience_size.clone(),
        when,
        duration: f.duration.clone(),
        place: if f.mode == "a-distance" {
            "À distance, par visioconférence".into()
        } else {
            format!(
                "{} ({})",
                f.address,
                r.department_name.clone().unwrap_or_default()
            )
        },
        accessibility: f.accessibility_words(),
        accommodations: f.accommodations.clone(),
        // The organisation's proposal is not the peer's pay: that is
        // settled with a framework and a payment ([`settled_fee`]).
        fee: match epop_domain::request::parse_euros(&f.fee).ok().flatten() {
            Some(c) => format!("{TO_DEFINE} (l’organisation propose {})", format_euros(c)),
            None => TO_DEFINE.into(),
        },
        organisation: r.organisation_name.clone().unwrap_or_default(),
    }
}

/// The e-mail that tells a peer about a proposal.
pub fn mail_proposed(base: &str, p: &Proposal, r: &Request, words: Words) -> Message {
    mails::proposed(base, p, &offer(r), words).to(p.peer_email.clone())
}

pub struct Row {
    pub p: Proposal,
    pub o: Offer,
    /// The intervention took place (feedback and attestation are open).
    pub done: bool,
    pub status: &'static str,
    pub deadline: String,
}

#[derive(Template)]
#[template(path = "requests/proposals.html")]
struct List {
    l: Layout,
    rows: Vec<Row>,
}

async fn rows(state: &AppState, account_id: i64) -> Result<Vec<Row>, AppError> {
    let mut conn = state.db.conn().await?;
    let mut out = Vec::new();
    for p in proposals::for_account(&mut conn, account_id).await? {
        let r = requests::by_id(&mut conn, p.request_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let done = matches!(r.status.as_str(), "done" | "evaluated" | "closed");
        let mut o = offer(&r);
        if let Some(fee) = settled_fee(&mut conn, r.id).await? {
            o.fee = format_euros(fee);
        }
        out.push(Row {
            status: if done && p.status == "accepted" {
                "Réalisée"
            } else {
                proposal_status(&p.status)
            },
            done,
            o,
            deadline: french_day_at(p.deadline),
            p,
        });
    }
    Ok(out)
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let rows = rows(&state, user.account.id).await?;
    render(&List {
        l: ctx.layout(ctx.words(
            "Mes propositions d’intervention",
            "Les missions que l’on me propose",
        )),
        rows,
    })
}

#[derive(Template)]
#[template(path = "requests/proposal.html")]
struct Page {
    l: Layout,
    row: Row,
    open: bool,
    payment: super::payments::PaymentView,
    expenses: Vec<super::payments::ExpenseView>,
    shared: super::host_view::Shared,
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    show(&state, &ctx, &id, None).await
}

/// The proposal's page; `shared`: what the peer typed in the form of
/// what the organisation must plan for them, when it was refused.
pub(super) async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    shared: Option<super::host_view::Shared>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let row = rows(state, user.account.id)
        .await?
        .into_iter()
        .find(|r| r.p.public_id == id)
        .ok_or(AppError::NotFound)?;
    let open = row.p.status == "pending" && row.p.deadline >= now();
    let mut conn = state.db.conn().await?;
    let r = requests::by_id(&mut conn, row.p.request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (mut payment, expenses) = super::payments::view(&mut conn, r.id, None).await?;
    payment.fee = row.o.fee.clone();
    let shared = match shared {
        Some(typed) => typed,
        None => super::host_view::Shared::saved(&mut conn, &row.p).await?,
    };
    let title = format!(
        "{} : {}",
        ctx.words("Proposition", "Une mission pour moi"),
        row.o.subject
    );
    let page = Page {
        l: ctx.layout_with_errors(title, !shared.error.is_empty()),
        row,
        open,
        payment,
        expenses,
        shared,
    };
    if page.shared.error.is_empty() {
        render(&page)
    } else {
        crate::render::render_invalid(&page)
    }
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    let p = proposals::by_public_id(&mut tx, &id)
        .await?
        .filter(|p| p.account_id == user.account.id)
        .ok_or(AppError::NotFound)?;
    let accept = form.get("reponse") == "oui";
    let reason = form.get("raison");
    let reason = Some(reason.trim()).filter(|r| !r.is_empty());
    let outcome = proposals::answer(&mut tx, &p, accept, reason, now()).await?;
    let r = requests::by_id(&mut tx, p.request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = &state.config.base_url;
    let subject = offer(&r).subject;
    let message = match &outcome {
        Answered::TooLate => {
            drop(tx);
            return Ok(
                Redirect::to(&format!("/espace/propositions/{id}?message=trop-tard"))
                    .into_response(),
            );
        }
        Answered::Accepted { withdrawn } => {
            for other in withdrawn {
                let words = Words::of(&mut tx, &other.peer_email).await?;
                let mail = mails::no_longer_available(&other.peer_name, &subject, words);
                outbox::enqueue(&mut tx, &mail.to(other.peer_email.clone())).await?;
            }
            if let Some(requester) = r.requester_id
                && let Some(a) = accounts::by_id(&mut tx, requester).await?
            {
                let mail = mails::peer_accepted(&a.display_name, &subject);
                outbox::enqueue(&mut tx, &mail.to(a.email)).await?;
            }
            "proposition-acceptee"
        }
        Answered::Declined { .. } => "proposition-refusee",
    };
    // The coordinators of the territory are told either way.
    let dept = r.department_code.clone().unwrap_or_default();
    for (name, email) in accounts::coordinators_of(&mut tx, &dept).await? {
        let mail = mails::answered(
            base,
            &name,
            &p.peer_name,
            accept,
            reason,
            &subject,
            &r.public_id,
        );
        outbox::enqueue(&mut tx, &mail.to(email)).await?;
    }
    audit::record(
        &mut tx,
        ctx.audit(
            if accept {
                "proposal_accepted"
            } else {
                "proposal_declined"
            },
            Some(format!("request:{}", r.public_id)),
            format!("Réponse de {}", p.peer_name),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/espace/propositions/{id}?message={message}")).into_response())
}

/// The request of this person's accepted proposal (« not found » for anyone
/// else), with the proposal.
pub(super) async fn accepted(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<(Request, Proposal), AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let p = proposals::by_public_id(&mut conn, id)
        .await?
        .filter(|p| p.account_id == user.account.id && p.status == "accepted")
        .ok_or(AppError::NotFound)?;
    let r = requests::by_id(&mut conn, p.request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((r, p))
}

/// The peer asks the coordination a question before answering.
async fn question(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    let p = proposals::by_public_id(&mut tx, &id)
        .await?
        .filter(|p| p.account_id == user.account.id)
        .ok_or(AppError::NotFound)?;
    let Ok(text) = epop_domain::text::paragraph(&form.get("question"), "votre question", 3000)
    else {
        drop(tx);
        return Ok(
            Redirect::to(&format!("/espace/propositions/{id}?message=question-vide"))
                .into_response(),
        );
    };
    let r = requests::by_id(&mut tx, p.request_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let base = &state.config.base_url;
    let subject = offer(&r).subject;
    let dept = r.department_code.clone().unwrap_or_default();
    for (name, email) in accounts::coordinators_of(&mut tx, &dept).await? {
        let mail = mails::question(base, &name, &p, &subject, &text, &r.public_id);
        outbox::enqueue(&mut tx, &mail.to(email)).await?;
    }
    audit::record(
        &mut tx,
        ctx.audit(
            "proposal_question",
            Some(format!("request:{}", r.public_id)),
            "Question d’un intervenant-pair".into(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/espace/propositions/{id}?message=question")).into_response())
}
