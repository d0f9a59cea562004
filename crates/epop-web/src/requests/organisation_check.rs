//! « Organisation à vérifier »: a request whose maker named an organisation
//! they do not belong to (its name is public, so naming it proves nothing).
//! The request stays its maker's alone; the coordinator of the request's
//! territory — or an admin — checks with the organisation, then links the
//! maker to it (`POST /admin/demandes/{id}/organisation`, audited), or leaves
//! it as it is. Linking follows the rule of every membership: an account in
//! another organisation is refused, and a coordinator links only to an
//! organisation of their territory.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use epop_domain::organisation::Joining;
use epop_store::{accounts, audit, organisations};

use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/demandes/{id}/organisation", post(link))
}

async fn link(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = super::triage::handled(&state, &ctx, &id).await?;
    let user = ctx.user()?;
    let (Some(org_id), Some(requester_id)) = (r.organisation_id, r.requester_id) else {
        return Err(AppError::NotFound);
    };
    let mut tx = state.db.write().await?;
    let org = organisations::by_id(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let requester = accounts::by_id(&mut tx, requester_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let refusal = if !user
        .principal
        .may_add_members(org.department_code.as_deref())
    {
        Some(format!(
            "L’organisation « {} » n’est pas de votre territoire : demandez à un administrateur de rattacher cette personne.",
            org.name
        ))
    } else {
        match Joining::of(requester.organisation_id, org.id) {
            Joining::Free => None,
            Joining::AlreadyMember => Some(format!(
                "{} est déjà membre de l’organisation « {} ».",
                requester.display_name, org.name
            )),
            Joining::Elsewhere => Some(format!(
                "{} appartient déjà à une autre organisation ({}) : une personne ne peut être membre que d’une organisation.",
                requester.display_name,
                requester.organisation_name.clone().unwrap_or_default()
            )),
        }
    };
    if let Some(why) = refusal {
        drop(tx);
        // Explained beside the button while the page shows it (not once
        // the person is a member: the part is gone).
        let place = if r.organisation_to_check() {
            "organisation"
        } else {
            ""
        };
        return super::triage::show_refused(&state, &ctx, r, place, why).await;
    }
    organisations::add_member(&mut tx, requester.id, org.id).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "organisation_member_linked",
            Some(format!("account:{}", requester.public_id)),
            format!(
                "Rattachement à « {} » après vérification (demande {})",
                org.name, r.public_id
            ),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&super::triage::back_to(&id, "organisation-rattachee")).into_response())
}
