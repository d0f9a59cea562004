//! The coordination corrects a request until the intervention is done.

use axum::extract::{Path, State};
use axum::response::Response;
use epop_domain::lifecycle::State as Stage;
use epop_store::now;
use epop_store::requests::{self, Request};

use super::super::{form_of, pairs_of};
use super::lifecycle::finish;
use super::{handled, show};
use crate::forms::Pairs;
use crate::{AppError, AppState, Ctx};

/// The request, if it may still be corrected (until the intervention is
/// done); if not, the request's page saying so.
async fn editable(
    state: &AppState,
    ctx: &Ctx,
    id: &str,
) -> Result<Result<Request, Response>, AppError> {
    let r = handled(state, ctx, id).await?;
    if matches!(
        Stage::from_code(&r.status),
        Some(
            Stage::Submitted
                | Stage::Qualified
                | Stage::Proposed
                | Stage::Accepted
                | Stage::Scheduled
        )
    ) {
        return Ok(Ok(r));
    }
    let page = show(
        state,
        ctx,
        r,
        "Cette demande ne peut plus être modifiée.".into(),
    )
    .await?;
    Ok(Err(page))
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = match editable(&state, &ctx, &id).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    super::super::intake::request_form(
        &state,
        &ctx,
        pairs_of(&r.form),
        crate::forms::Errors::default(),
        String::new(),
        Some(&id),
    )
    .await
}

pub(super) async fn edit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let r = match editable(&state, &ctx, &id).await? {
        Ok(r) => r,
        Err(refused) => return Ok(refused),
    };
    let today = crate::french::paris_today();
    let valid = match form_of(&p).validate(today) {
        Ok(v) => v,
        Err(list) => {
            let errors = crate::forms::Errors::from_problems(list);
            return super::super::intake::request_form(
                &state,
                &ctx,
                p,
                errors,
                String::new(),
                Some(&id),
            )
            .await;
        }
    };
    let actor = ctx.user()?.account.id;
    let t = now();
    let mut tx = state.db.write().await?;
    requests::update_content(&mut tx, r.id, &super::super::stored(&p), &valid, t).await?;
    let event = requests::Event::Edited;
    requests::note(&mut tx, r.id, &r.status, event, Some(actor), None, t).await?;
    finish(
        tx,
        &ctx,
        &id,
        "request_edited",
        "Demande modifiée".into(),
        "demande-modifiee",
    )
    .await
}
