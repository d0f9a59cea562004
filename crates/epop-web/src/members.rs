//! Joining an organisation, by invitation of one of its members: in their
//! space, « Inviter une personne de mon organisation »
//! (`/espace/organisation/inviter`, name and e-mail). A new address gets an
//! invitation account in the organisation; an existing account that belongs
//! to no organisation gets an e-mailed link to accept
//! (`/rejoindre-une-organisation/{token}`: a button first, as mail scanners
//! open links, then joined once); an account in another organisation is
//! refused with a clear message. Each step is audited. Invitations are
//! limited per client address and slowed down per inviting account
//! (`auth::limit`). (Coordinators and admins add members from the
//! accounts' pages; nobody joins an organisation by naming it in a
//! request.)

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use epop_domain::account::{self, AccountStatus};
use epop_domain::organisation::Joining;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::organisations::{self, Organisation};
use epop_store::outbox::Message;
use epop_store::{audit, outbox};

use crate::context::{CurrentUser, Layout};
use crate::emails::{EASY_FOOTER, FOOTER, Words};
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form, slowed};
use crate::security::{hash_token, public_id, random_token};
use crate::{AppError, AppState, Ctx, auth};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/espace/organisation/inviter",
            get(invite_form).post(invite),
        )
        .route(
            "/rejoindre-une-organisation/{token}",
            get(join_page).post(join),
        )
}

#[derive(Template)]
#[template(path = "space/organisation_invite.html")]
struct InvitePage {
    l: Layout,
    errors: Errors,
    organisation: String,
    /// The name and address typed, shown again on error.
    person: String,
    address: String,
}

/// The signed-in person and their organisation; a person in none may not
/// invite anyone into one.
async fn member(state: &AppState, ctx: &Ctx) -> Result<(CurrentUser, Organisation), AppError> {
    let user = ctx.user()?.clone();
    let Some(id) = user.account.organisation_id else {
        return Err(AppError::Forbidden);
    };
    let mut conn = state.db.conn().await?;
    let org = organisations::by_id(&mut conn, id)
        .await?
        .ok_or(AppError::Forbidden)?;
    Ok((user, org))
}

fn invite_page(
    ctx: &Ctx,
    org: &Organisation,
    name: String,
    email: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = InvitePage {
        l: ctx.layout_with_errors("Inviter une personne de mon organisation", invalid),
        errors,
        organisation: org.name.clone(),
        person: name,
        address: email,
    };
    render_form(&page, invalid)
}

async fn invite_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let (_, org) = member(&state, &ctx).await?;
    invite_page(&ctx, &org, String::new(), String::new(), Errors::default())
}

/// How long the link to join an organisation works.
const JOIN_TTL: i64 = crate::auth::INVITATION_TTL;

async fn invite(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<Pairs>,
) -> Result<Response, AppError> {
    let (user, org) = member(&state, &ctx).await?;
    let (name_in, email_in) = (form.get("name"), form.get("email"));
    let mut errors = Errors::default();
    let name = errors.check("name", account::display_name(&name_in));
    let email = errors.check("email", Email::parse(&email_in));
    let (Some(name), Some(email)) = (name, email) else {
        return invite_page(&ctx, &org, name_in, email_in, errors);
    };
    // Each invitation e-mails someone: limited per client address, and
    // slowed down per inviting account, as sign-in is.
    let inviter_address = user.account.email.as_str();
    if let Some(errors) =
        auth::limit_errors(&state, &ctx, "member-invite", inviter_address, "email").await?
    {
        return Ok(slowed(invite_page(&ctx, &org, name_in, email_in, errors)?));
    }
    let base = &state.config.base_url;
    let inviter = &user.account.display_name;
    let mut tx = state.db.write().await?;
    let existing = match accounts::credentials(&mut tx, &email).await? {
        Some(c) => accounts::by_id(&mut tx, c.id).await?,
        None => None,
    };
    match existing {
        None => {
            let new = NewAccount {
                public_id: public_id(),
                email: email.clone(),
                display_name: name.clone(),
                status: AccountStatus::Invited,
                department: org
                    .department_code
                    .clone()
                    .or_else(|| user.account.department_code.clone()),
                organisation_id: Some(org.id),
            };
            let id = accounts::create(&mut tx, &new).await?;
            accounts::grant(&mut tx, id, Role::Requester).await?;
            crate::auth::send_invitation(
                &mut tx,
                base,
                &crate::auth::Invitation {
                    account_id: id,
                    email: email.as_str(),
                    name: &name,
                    inviter,
                    roles: &format!("{} de « {} »", Role::Requester.label(), org.name),
                },
            )
            .await?;
            audit::record(
                &mut tx,
                ctx.audit(
                    "organisation_member_invited",
                    Some(format!("account:{}", new.public_id)),
                    format!("Invitation dans « {} » par un membre : {email}", org.name),
                ),
            )
            .await?;
        }
        Some(a) => {
            let refusal = match Joining::of(a.organisation_id, org.id) {
                Joining::Free => None,
                Joining::AlreadyMember => {
                    Some("Cette personne est déjà membre de votre organisation.")
                }
                Joining::Elsewhere => Some(
                    "Cette personne est déjà membre d’une autre organisation : elle ne peut pas rejoindre la vôtre. \
                     Une personne est membre d’une seule organisation. Si elle a changé d’organisation, \
                     écrivez à la coordination de votre territoire.",
                ),
            };
            if let Some(why) = refusal {
                drop(tx);
                let mut errors = Errors::default();
                errors.add("email", why);
                return invite_page(&ctx, &org, name_in, email_in, errors);
            }
            let token = random_token();
            organisations::offer_membership(&mut tx, &hash_token(&token), a.id, org.id, JOIN_TTL)
                .await?;
            let link = format!("{base}/rejoindre-une-organisation/{token}");
            let words = Words::of(&mut tx, &a.email).await?;
            outbox::enqueue(&mut tx, &join_offer(&a, &org, inviter, &link, words)).await?;
            audit::record(
                &mut tx,
                ctx.audit(
                    "organisation_join_offered",
                    Some(format!("account:{}", a.public_id)),
                    format!("Invitation à rejoindre « {} », par un membre", org.name),
                ),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to("/espace/organisation/inviter?message=invitation").into_response())
}

/// The e-mail offering an existing account to join `org` by `link`, in
/// the words the person asked for.
fn join_offer(
    a: &accounts::Account,
    org: &Organisation,
    inviter: &str,
    link: &str,
    words: Words,
) -> Message {
    if words == Words::Easy {
        return Message {
            recipient: a.email.clone(),
            subject: format!("Rejoindre « {} » sur EPoP", org.name),
            body_text: format!(
                "Bonjour {},\n\n\
                 {inviter} vous propose de rejoindre « {} » sur EPoP.\n\
                 Les membres de « {} » voient les demandes d’intervention de leur organisation.\n\n\
                 Vous êtes d’accord ? Alors ouvrez ce lien :\n{link}\n\n\
                 Le lien marche 1 seule fois.\n\
                 Le lien marche pendant 7 jours.\n\
                 Cette organisation vous est inconnue ? Alors oubliez ce message.\n{EASY_FOOTER}",
                a.display_name, org.name, org.name
            ),
            attachment: None,
        };
    }
    Message {
        recipient: a.email.clone(),
        subject: format!("Rejoindre l’organisation « {} » sur EPoP", org.name),
        body_text: format!(
            "Bonjour {},\n\n{inviter} vous invite à rejoindre l’organisation « {} » sur EPoP.\n\
             Les membres d’une organisation voient les demandes d’intervention faites par ses membres.\n\n\
             Pour accepter, ouvrez ce lien :\n{link}\n\n\
             Ce lien marche une seule fois, pendant 7 jours. \
             Si vous ne connaissez pas cette organisation, ne faites rien.\n{FOOTER}",
            a.display_name, org.name
        ),
        attachment: None,
    }
}

#[derive(Template)]
#[template(path = "space/organisation_join.html")]
struct JoinPage {
    l: Layout,
    /// The organisation offered, if the link still works.
    organisation: Option<String>,
    /// Joined just now.
    joined: bool,
    /// Why joining did not happen, if it did not.
    refused: String,
}

async fn join_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let offer = organisations::peek_offer(&mut conn, &hash_token(&token)).await?;
    render(&JoinPage {
        l: ctx.layout("Rejoindre une organisation"),
        organisation: offer.map(|(_, o)| o.name),
        joined: false,
        refused: String::new(),
    })
}

async fn join(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    let Some((account_id, org_id)) =
        organisations::take_offer(&mut tx, &hash_token(&token)).await?
    else {
        drop(tx);
        return render(&JoinPage {
            l: ctx.layout("Rejoindre une organisation"),
            organisation: None,
            joined: false,
            refused: String::new(),
        });
    };
    let org = organisations::by_id(&mut tx, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let account = accounts::by_id(&mut tx, account_id)
        .await?
        .ok_or(AppError::NotFound)?;
    // The account may have joined another one since the invitation.
    let joined = account.status != AccountStatus::Disabled
        && organisations::add_member(&mut tx, account_id, org_id).await?;
    if joined {
        accounts::grant(&mut tx, account_id, Role::Requester).await?;
        audit::record(
            &mut tx,
            epop_store::audit::Event {
                actor_id: Some(account_id),
                ..ctx.audit(
                    "organisation_member_joined",
                    Some(format!("account:{}", account.public_id)),
                    format!("A rejoint « {} » (invitation d’un membre)", org.name),
                )
            },
        )
        .await?;
    }
    tx.commit().await?;
    render(&JoinPage {
        l: ctx.layout("Rejoindre une organisation"),
        organisation: Some(org.name.clone()),
        joined,
        refused: if joined {
            String::new()
        } else {
            "Vous êtes déjà membre d’une organisation : une personne est membre d’une seule organisation. \
             Écrivez à la coordination de votre territoire si vous avez changé d’organisation."
                .into()
        },
    })
}
