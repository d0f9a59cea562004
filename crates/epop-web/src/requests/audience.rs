//! « Faire répondre le public » on the organisation's page of an
//! intervention that took place (`/espace/demandes/{id}`): one link for
//! the people who attended, to give their opinion without an account and
//! without their name, that the host passes on. Only the hash of its token
//! is kept, so the link is shown once, when it is made
//! (`POST /espace/demandes/{id}/lien-public`); making it again gives a new
//! link and the old one stops working. Only the organisation's members
//! reach it (another organisation: 404).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use epop_domain::questionnaire::Purpose;
use epop_store::questionnaires::{self, invitations};
use epop_store::requests::Request;
use epop_store::{Conn, now};

use crate::context::Layout;
use crate::french::french_day_at;
use crate::render::render;
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new().route("/espace/demandes/{id}/lien-public", post(make))
}

/// The section of the request's page, once the intervention took place.
pub struct Offer {
    /// When the current link was made, in words; `None` before.
    pub made: Option<String>,
}

/// Whether the intervention took place (done, evaluated or closed).
fn took_place(r: &Request) -> bool {
    matches!(r.status.as_str(), "done" | "evaluated" | "closed")
}

/// The offer for `r`, when it took place and a questionnaire is current.
pub async fn offer(conn: &mut Conn, r: &Request) -> Result<Option<Offer>, AppError> {
    if !took_place(r) {
        return Ok(None);
    }
    let Some(q) = questionnaires::current(conn, Purpose::Intervention).await? else {
        return Ok(None);
    };
    let made = invitations::audience_link_made(conn, q.id, r.id).await?;
    Ok(Some(Offer {
        made: made.map(french_day_at),
    }))
}

#[derive(Template)]
#[template(path = "requests/audience_link.html")]
struct Made {
    l: Layout,
    link: String,
    back: String,
}

async fn make(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let r = super::thread::own(&state, &ctx, &id).await?;
    if !took_place(&r) {
        return Err(AppError::NotFound);
    }
    let token = random_token();
    let mut tx = state.db.write().await?;
    let q = questionnaires::current(&mut tx, Purpose::Intervention)
        .await?
        .ok_or(AppError::NotFound)?;
    invitations::make_audience_link(&mut tx, q.id, r.id, &hash_token(&token), now()).await?;
    tx.commit().await?;
    render(&Made {
        l: ctx.layout("Le lien pour faire répondre le public"),
        link: format!("{}/questionnaire/{token}", state.config.base_url),
        back: format!("/espace/demandes/{}", r.public_id),
    })
}
