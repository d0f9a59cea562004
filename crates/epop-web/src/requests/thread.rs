//! The message thread of a request: the coordination asks the requesting
//! organisation its questions and the organisation answers, each message
//! e-mailed to the other side. The requester — and the organisation's
//! members when a member made the request ([`Request::seen_by`]) — see its
//! page (`/espace/demandes/{id}`) with its state and the thread.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_store::requests::{self, Request};
use epop_store::{Conn, audit, now, outbox};

use super::lists::{Line, line};
use super::mails;
use crate::context::Layout;
use crate::forms::Pairs;
use crate::french::paris_time;
use crate::render::{audit_sensitive_read, render};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/demandes/{id}/messages", post(from_coordination))
        .route("/espace/demandes/{id}", get(page))
        .route("/espace/demandes/{id}/messages", post(from_requester))
}

/// A message as pages show it.
pub struct Said {
    pub who: String,
    pub text: String,
    pub when: String,
}

/// The thread of a request, oldest first. Its messages can hold health
/// details: shown to anyone but the person who made the request (a
/// colleague, the coordination), each read is audited.
pub async fn thread(conn: &mut Conn, ctx: &Ctx, r: &Request) -> Result<Vec<Said>, AppError> {
    let messages = requests::messages(conn, r.id).await?;
    let reader = ctx.user.as_ref().map(|u| u.account.id);
    if !messages.is_empty() && reader != r.requester_id {
        audit_sensitive_read(
            conn,
            ctx,
            format!("request:{}", r.public_id),
            format!(
                "Lecture des messages de la demande « {} »",
                r.subject.clone().unwrap_or_default()
            ),
        )
        .await?;
    }
    Ok(messages
        .into_iter()
        .map(|(author, coordination, text, at)| Said {
            who: match (author, coordination) {
                (Some(a), true) => format!("{a} (coordination)"),
                (Some(a), false) => a,
                (None, _) => "Ancien compte".into(),
            },
            text,
            when: paris_time(at),
        })
        .collect())
}

async fn write(
    state: &AppState,
    ctx: &Ctx,
    r: &Request,
    text: &str,
    coordination: bool,
) -> Result<(), AppError> {
    let user = ctx.user()?;
    let base = &state.config.base_url;
    let subject = r.subject.clone().unwrap_or_default();
    let mut tx = state.db.write().await?;
    requests::add_message(&mut tx, r.id, user.account.id, coordination, text, now()).await?;
    let recipients: Vec<(String, String, String)> = if coordination {
        match r.requester_id {
            Some(id) => match epop_store::accounts::by_id(&mut tx, id).await? {
                Some(a) => vec![(
                    a.display_name,
                    a.email,
                    format!("{base}/espace/demandes/{}", r.public_id),
                )],
                None => Vec::new(),
            },
            None => Vec::new(),
        }
    } else {
        let dept = r.department_code.clone().unwrap_or_default();
        epop_store::accounts::coordinators_of(&mut tx, &dept)
            .await?
            .into_iter()
            .map(|(n, e)| (n, e, format!("{base}/admin/demandes/{}", r.public_id)))
            .collect()
    };
    for (name, email, link) in recipients {
        let writer = &user.account.display_name;
        let words = crate::emails::Words::of(&mut tx, &email).await?;
        let mail = mails::thread_message(&name, writer, &subject, text, &link, words);
        outbox::enqueue(&mut tx, &mail.to(email)).await?;
    }
    audit::record(
        &mut tx,
        ctx.audit(
            "request_message",
            Some(format!("request:{}", r.public_id)),
            "Message sur la demande".into(),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn text_of(p: &Pairs) -> Result<String, String> {
    epop_domain::text::paragraph(&p.get("message"), "votre message", 5000).map_err(|e| e.0)
}

async fn from_coordination(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    match text_of(&p) {
        Ok(text) => {
            write(&state, &ctx, &r, &text, true).await?;
            Ok(Redirect::to(&super::triage::back_to(&id, "message-demande")).into_response())
        }
        Err(why) => super::triage::show_typed(&state, &ctx, r, "message", why, p).await,
    }
}

/// The request, if this person made it or belongs to its organisation
/// ([`Request::seen_by`]).
pub(super) async fn own(state: &AppState, ctx: &Ctx, id: &str) -> Result<Request, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    requests::by_public_id(&mut conn, id)
        .await?
        .filter(|r| r.status != "draft")
        .filter(|r| r.seen_by(user.account.id, user.account.organisation_id))
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "requests/mine.html")]
struct Page {
    l: Layout,
    line: Line,
    f: epop_domain::request::RequestForm,
    thread: Vec<Said>,
    error: String,
    /// The thread's part shared with the coordinator's page, which shows
    /// an action's message in it; this page shows it at the top.
    notice: &'static str,
    notice_in: &'static str,
    host: super::host_view::HostView,
    /// « Faire répondre le public », once the intervention took place.
    audience: Option<super::audience::Offer>,
    /// When it was asked for, in words.
    when: String,
    /// The message typed when it could not be sent.
    typed: String,
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    r: Request,
    error: String,
    typed: String,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let thread = thread(&mut conn, ctx, &r).await?;
    let host = super::host_view::of(&mut conn, ctx, &r).await?;
    let audience = super::audience::offer(&mut conn, &r).await?;
    let f = r.typed_form();
    let title = format!("Ma demande : {}", r.subject.clone().unwrap_or_default());
    let page = Page {
        when: super::when_of(&f),
        l: ctx.layout_with_errors(title, !error.is_empty()),
        line: line(r),
        f,
        thread,
        error,
        notice: "",
        notice_in: "",
        host,
        audience,
        typed,
    };
    if page.error.is_empty() {
        render(&page)
    } else {
        crate::render::render_invalid(&page)
    }
}

async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = own(&state, &ctx, &id).await?;
    show(&state, &ctx, r, String::new(), String::new()).await
}

async fn from_requester(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = own(&state, &ctx, &id).await?;
    match text_of(&p) {
        Ok(text) => {
            write(&state, &ctx, &r, &text, false).await?;
            Ok(
                Redirect::to(&format!("/espace/demandes/{id}?message=message-demande"))
                    .into_response(),
            )
        }
        Err(why) => show(&state, &ctx, r, why, p.get("message")).await,
    }
}
