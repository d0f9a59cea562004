//! The confirmation link: a button first (mail scanners open links), then
//! the application goes to the coordination. The address gets a candidate
//! account and is signed in; an address that already has an account gets
//! the application attached and the usual sign-in link, with the same
//! words on the page (nothing says whether the account existed). Opening
//! the link again shows that it is done, and creates nothing.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::account::AccountStatus;
use epop_domain::candidate::Status;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::candidates::{self, Application};
use epop_store::sessions::{self, Purpose};
use epop_store::{Conn, audit, now, outbox};

use super::tell_coordination;
use crate::auth::{self, LINK_TTL};
use crate::context::Layout;
use crate::render::render;
use crate::security::{hash_token, public_id, random_token};
use crate::{AppError, AppState, Ctx, emails};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/candidature/confirmer/{token}",
        get(confirm_page).post(confirm),
    )
}

#[derive(Template)]
#[template(path = "candidates/confirm.html")]
struct ConfirmPage {
    l: Layout,
    token: String,
    /// Confirmed already (or just now, `?confirmee=1`).
    done: bool,
    name: String,
}

async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let a = candidates::by_confirm_token(&mut conn, &hash_token(&token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    let done = a.status != Status::Unconfirmed;
    render(&ConfirmPage {
        l: ctx.layout(if done {
            "Votre candidature est confirmée"
        } else {
            "Confirmer ma candidature"
        }),
        token,
        done,
        name: a.name,
    })
}

/// The account the application is attached to: the one of this address
/// (given the candidate role unless it already has the role the path
/// leads to), or a new candidate account. `(id, new)`.
async fn account_for(
    conn: &mut Conn,
    a: &Application,
    email: &Email,
) -> Result<(i64, bool), AppError> {
    if let Some(c) = accounts::credentials(conn, email).await? {
        let principal = accounts::principal(conn, c.id).await?;
        if !principal.has(a.audience.role()) {
            accounts::grant(conn, c.id, Role::Candidate).await?;
        }
        return Ok((c.id, false));
    }
    let id = accounts::create(
        conn,
        &NewAccount {
            public_id: public_id(),
            email: email.clone(),
            display_name: a.name.clone(),
            status: AccountStatus::Active,
            department: a.department_code.clone(),
            organisation_id: None,
        },
    )
    .await?;
    accounts::grant(conn, id, Role::Candidate).await?;
    if let Some(phone) = &a.phone {
        accounts::set_phone(conn, id, phone).await?;
    }
    Ok((id, true))
}

async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let page = format!("/candidature/confirmer/{token}");
    let mut tx = state.db.write().await?;
    let a = candidates::by_confirm_token(&mut tx, &hash_token(&token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    let email = a
        .email
        .as_deref()
        .and_then(|e| Email::parse(e).ok())
        .ok_or(AppError::LinkExpired)?;
    if a.status != Status::Unconfirmed {
        return Ok(Redirect::to(&page).into_response());
    }
    let (account, new) = account_for(&mut tx, &a, &email).await?;
    if !candidates::confirm(&mut tx, a.id, account, now()).await? {
        // Confirmed by another click at the same time: the page says so.
        return Ok(Redirect::to(&page).into_response());
    }
    tell_coordination(&mut tx, &state.config.base_url, &a).await?;
    let mut event = ctx.audit(
        "candidate_confirmed",
        Some(format!("candidate:{}", a.public_id)),
        "Candidature confirmée par e-mail".into(),
    );
    event.actor_id = Some(account);
    audit::record(&mut tx, event).await?;
    let existing = accounts::by_id(&mut tx, account)
        .await?
        .filter(|acc| !new && acc.status != AccountStatus::Disabled);
    if let Some(acc) = existing {
        let link = random_token();
        sessions::create_token(
            &mut tx,
            &hash_token(&link),
            account,
            Purpose::SignInLink,
            LINK_TTL,
        )
        .await?;
        let url = format!("{}/connexion/lien/{link}", state.config.base_url);
        let words = emails::Words::of(&mut tx, &acc.email).await?;
        outbox::enqueue(
            &mut tx,
            &emails::sign_in_link(&acc.email, &acc.display_name, &url, words),
        )
        .await?;
    }
    tx.commit().await?;
    if new {
        auth::start_session(&state, &ctx, account, "candidature confirmée", "/espace").await
    } else {
        Ok(Redirect::to(&format!("{page}?confirmee=1")).into_response())
    }
}
