//! The life-cycle actions on a request from the coordinator's page:
//! « étudier », cancelling with a reason, marking it done, closing it; who
//! is told of each change, and how every action ends (audit line, commit,
//! back to the page).

use axum::extract::{Path, State};
use axum::response::Response;
use epop_domain::lifecycle::{Action, State as Stage};
use epop_store::proposals::{self, Proposal};
use epop_store::requests::Request;
use epop_store::{now, outbox};

use super::super::lists::status_label;
use super::super::mails;
use super::{handled, show, show_typed, who};
use crate::emails::Words;
use crate::error::refusal;
use crate::forms::Pairs;
use crate::{AppError, AppState, Ctx};

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
    if mails::status_text(to, reason, Words::Usual).is_none() {
        return Ok(());
    }
    // Each person, with the page where they read the request.
    let mut to_tell: Vec<(String, String, String)> = Vec::new();
    if let Some(id) = r.requester_id
        && let Some(a) = epop_store::accounts::by_id(conn, id).await?
    {
        to_tell.push((
            a.display_name,
            a.email,
            format!("/espace/demandes/{}", r.public_id),
        ));
    }
    if to == Stage::Cancelled {
        for p in proposals::for_request(conn, r.id).await? {
            if p.status == "pending" || p.status == "accepted" {
                let link = format!("/espace/propositions/{}", p.public_id);
                to_tell.push((p.peer_name, p.peer_email, link));
            }
        }
    }
    for (name, email, link) in to_tell {
        let status = status_label(to.code());
        let words = Words::of(conn, &email).await?;
        let text = mails::status_text(to, reason, words).unwrap_or_default();
        let mail = mails::status_changed(base, &name, status, &subject, &text, &link, words);
        outbox::enqueue(conn, &mail.to(email)).await?;
    }
    Ok(())
}

/// Writes what was done to request `id` to the audit log, commits it all,
/// and shows the request's page again with `message`, at the section
/// acted on ([`super::back_to`]).
pub(super) async fn finish(
    tx: epop_store::Tx,
    ctx: &Ctx,
    id: &str,
    action: &str,
    detail: String,
    message: &str,
) -> Result<Response, AppError> {
    let event = ctx.audit(action, Some(format!("request:{id}")), detail);
    crate::render::audited(tx, event, &super::back_to(id, message)).await
}

/// Runs one life-cycle action on the request, with its audit line; a
/// refused action shows the page again with the rule's message.
async fn step(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
    action: Action,
    audit_action: &'static str,
    message: &str,
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
                message,
            )
            .await
        }
        Err(e) => {
            drop(tx);
            show(state, ctx, r, refusal(e)?).await
        }
    }
}

pub(super) async fn qualify(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(
        &state,
        &ctx,
        &id,
        Action::Qualify,
        "request_qualified",
        "demande-etudiee",
    )
    .await
}

pub(super) async fn cancel(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    match Action::cancel(&p.get("reason")) {
        Ok(action) => {
            step(
                &state,
                &ctx,
                &id,
                action,
                "request_cancelled",
                "demande-annulee",
            )
            .await
        }
        Err(e) => {
            let r = handled(&state, &ctx, &id).await?;
            show_typed(&state, &ctx, r, "reason", e.0, p).await
        }
    }
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
pub(super) async fn people(
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

pub(super) async fn mark_done(
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
        let words = crate::emails::Words::of(&mut tx, &email).await?;
        let mail = mails::done(base, &name, &subject, &link, peer, words);
        outbox::enqueue(&mut tx, &mail.to(email)).await?;
    }
    finish(
        tx,
        &ctx,
        &id,
        "request_done",
        "Intervention réalisée".into(),
        "realisee",
    )
    .await
}

pub(super) async fn close(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    step(
        &state,
        &ctx,
        &id,
        Action::Close,
        "request_closed",
        "demande-close",
    )
    .await
}
