//! The coordination's inbox (`/espace/messages`): the conversations
//! addressed to the signed-in coordinator or admin, unread first; a
//! conversation's page with its messages (each read audited: messages may
//! speak of health) and the answer form. The answer is e-mailed to the
//! visitor from the platform, with a new personal link to write again.
//! Anyone else — another territory's coordinator included — gets a 404.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::Principal;
use epop_store::contact::{self, Conversation};
use epop_store::{audit, outbox};

use super::mails;
use super::{about, checked_message};
use crate::context::{CurrentUser, Layout};
use crate::forms::{Errors, Pairs};
use crate::french::paris_time;
use crate::render::{audit_sensitive_read, render, render_form};
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/espace/messages", get(list))
        .route("/espace/messages/{id}", get(page).post(answer))
}

/// A line of the inbox.
pub struct Line {
    pub id: String,
    pub sender: String,
    pub about: String,
    pub when: String,
    pub unread: bool,
    pub messages: i64,
}

#[derive(Template)]
#[template(path = "contact/inbox_list.html")]
struct ListPage {
    l: Layout,
    lines: Vec<Line>,
}

fn reader(ctx: &Ctx) -> Result<&CurrentUser, AppError> {
    ctx.require(Principal::may_read_contact_messages)
}

async fn list(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let user = reader(&ctx)?;
    let mut conn = state.db.conn().await?;
    let lines = contact::inbox(&mut conn, user.account.id)
        .await?
        .into_iter()
        .map(|l| Line {
            about: about(l.conversation.target.as_ref(), &l.conversation.target_name),
            id: l.conversation.public_id,
            sender: l.conversation.sender_name,
            when: paris_time(l.conversation.updated_at),
            unread: l.unread,
            messages: l.messages,
        })
        .collect();
    render(&ListPage {
        l: ctx.layout("Messages à la coordination"),
        lines,
    })
}

/// A message as the coordination reads it.
pub struct Said {
    pub who: String,
    pub when: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "contact/inbox_conversation.html")]
struct ConversationPage {
    l: Layout,
    errors: Errors,
    c: Conversation,
    about: String,
    thread: Vec<Said>,
    typed: String,
}

/// The conversation, if it was addressed to the signed-in person.
async fn addressed(state: &AppState, ctx: &Ctx, id: &str) -> Result<Conversation, AppError> {
    let user = reader(ctx)?;
    let mut conn = state.db.conn().await?;
    contact::for_recipient(&mut conn, id, user.account.id)
        .await?
        .ok_or(AppError::NotFound)
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    c: Conversation,
    typed: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let user = reader(ctx)?;
    let mut conn = state.db.conn().await?;
    let about = about(c.target.as_ref(), &c.target_name);
    let thread = contact::messages(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|m| Said {
            who: match (m.from_coordination, m.author) {
                (false, _) => c.sender_name.clone(),
                (true, Some(name)) => format!("{name} (coordination)"),
                (true, None) => "La coordination (compte effacé)".into(),
            },
            when: paris_time(m.at),
            text: m.body,
        })
        .collect();
    audit_sensitive_read(
        &mut conn,
        ctx,
        format!("contact:{}", c.public_id),
        format!(
            "Lecture des messages à la coordination de {} ({about})",
            c.sender_name
        ),
    )
    .await?;
    contact::mark_read(&mut conn, c.id, user.account.id).await?;
    let invalid = !errors.is_empty();
    let title = format!("Message de {}", c.sender_name);
    render_form(
        &ConversationPage {
            l: ctx.layout_with_errors(title, invalid),
            errors,
            c,
            about,
            thread,
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
    let c = addressed(&state, &ctx, &id).await?;
    show(&state, &ctx, c, String::new(), Errors::default()).await
}

async fn answer(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let c = addressed(&state, &ctx, &id).await?;
    let user = reader(&ctx)?;
    let typed = p.get("message");
    let text = match checked_message(&typed) {
        Ok(t) => t,
        Err(errors) => return show(&state, &ctx, c, typed, errors).await,
    };
    let token = random_token();
    let link = format!(
        "{}/ecrire-a-la-coordination/suite/{token}",
        state.config.base_url
    );
    let about = about(c.target.as_ref(), &c.target_name);
    let mut tx = state.db.write().await?;
    contact::add_message(&mut tx, c.id, Some(user.account.id), &text).await?;
    contact::add_link(&mut tx, c.id, &hash_token(&token)).await?;
    contact::mark_read(&mut tx, c.id, user.account.id).await?;
    let words = crate::emails::Words::of(&mut tx, &c.sender_email).await?;
    let m = mails::answer(&c.sender_email, &c.sender_name, &about, &text, &link, words);
    outbox::enqueue(&mut tx, &m).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "contact_answer",
            Some(format!("contact:{}", c.public_id)),
            format!("Réponse de la coordination à {} ({about})", c.sender_name),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/espace/messages/{id}?message=reponse-envoyee")).into_response())
}
