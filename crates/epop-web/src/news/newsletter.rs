//! The newsletter's subscription: `/lettre` (anyone: an address, a
//! département, a région or the whole country, ordinary or easy-read
//! French), confirmed by an
//! e-mailed link whose page shows a button first (mail scanners open
//! links); `/lettre/desabonnement/{token}`, a page with a button, and the
//! one-click POST of RFC 8058 (the one route without a CSRF token, see
//! `security::csrf`); `/espace/lettre`, a member's subscription from their
//! space (their account's address, confirmed at once). The pages never say
//! whether an address was already subscribed.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::news::{Scope, Subscription, SubscriptionForm};
use epop_store::newsletter::{self, Subscribed};
use epop_store::{rate_limit, territories};

use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::render::{render, render_form};
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

/// Subscriptions asked from one address in an hour before the form stops
/// sending e-mails (it still says the same).
const PER_HOUR: i64 = 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/lettre", get(form).post(subscribe))
        .route("/lettre/envoye", get(sent))
        .route("/lettre/confirmer/{token}", get(confirm_page).post(confirm))
        .route(
            "/lettre/desabonnement/{token}",
            get(unsubscribe_page).post(unsubscribe),
        )
        .route("/espace/lettre", get(member_form).post(member_save))
}

/// A place offered by the form: its code (`national`, `region-76`,
/// `departement-34`) and its name.
struct Choice {
    code: String,
    label: String,
}

/// A région and its places in the form's list (an `optgroup`).
struct Group {
    label: String,
    choices: Vec<Choice>,
}

/// The form's places: the whole country, then each région, itself and its
/// départements.
async fn choices(state: &AppState) -> Result<Vec<Group>, AppError> {
    let mut conn = state.db.conn().await?;
    let departments = territories::departments(&mut conn).await?;
    let mut out = vec![Group {
        label: "France".into(),
        choices: vec![Choice {
            code: Scope::National.code(),
            label: "Toute la France (les actualités nationales)".into(),
        }],
    }];
    for r in territories::regions(&mut conn).await? {
        let mut choices = vec![Choice {
            code: Scope::Region(r.code.clone()).code(),
            label: format!("Toute la région {}", r.name),
        }];
        choices.extend(
            departments
                .iter()
                .filter(|d| d.region_code == r.code)
                .map(|d| Choice {
                    code: Scope::Department(d.code.clone()).code(),
                    label: format!("{} ({})", d.name, d.code),
                }),
        );
        out.push(Group {
            label: r.name,
            choices,
        });
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "news/subscribe.html")]
struct Form {
    l: Layout,
    errors: Errors,
    p: Pairs,
    choices: Vec<Group>,
    /// `/espace/lettre`: the member's own address, no e-mail field.
    member: bool,
    /// The member's current subscription, in words.
    current: Option<String>,
    action: &'static str,
}

async fn form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let title = ctx.words(
        "S’abonner à la lettre d’information",
        "Recevoir la lettre du réseau",
    );
    render(&Form {
        l: ctx.layout(title),
        errors: Errors::default(),
        p: Pairs(vec![
            ("territory".into(), Scope::National.code()),
            (
                "version".into(),
                if ctx.easy { "facile" } else { "courant" }.into(),
            ),
        ]),
        choices: choices(&state).await?,
        member: false,
        current: None,
        action: "/lettre",
    })
}

fn form_of(p: &Pairs, email: String) -> SubscriptionForm {
    SubscriptionForm {
        email,
        territory: p.get("territory"),
        version: p.get("version"),
    }
}

async fn subscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let valid = match form_of(&p, p.get("email")).validate() {
        Ok(v) => v,
        Err(problems) => {
            let title = "S’abonner à la lettre d’information";
            return render_form(
                &Form {
                    l: ctx.layout_with_errors(title, true),
                    errors: Errors::from_problems(problems),
                    p,
                    choices: choices(&state).await?,
                    member: false,
                    current: None,
                    action: "/lettre",
                },
                true,
            );
        }
    };
    let mut tx = state.db.write().await?;
    let ip = ctx.ip.clone().unwrap_or_default();
    let hits = rate_limit::hit(&mut tx, &format!("newsletter:ip:{ip}"), 3600).await?;
    if hits <= PER_HOUR {
        let token = random_token();
        if let Subscribed::ToConfirm(_) =
            newsletter::subscribe(&mut tx, &valid, &hash_token(&token)).await?
        {
            let link = format!("{}/lettre/confirmer/{token}", state.config.base_url);
            epop_store::outbox::enqueue(
                &mut tx,
                &super::mails::confirm(valid.email.as_str(), &link, valid.easy),
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(Redirect::to("/lettre/envoye").into_response())
}

#[derive(Template)]
#[template(path = "news/notice.html")]
struct Notice {
    l: Layout,
    lines: Vec<&'static str>,
    /// A form with one button: its action and its words.
    button: Option<(String, &'static str)>,
}

fn notice(
    ctx: &Ctx,
    title: &str,
    lines: Vec<&'static str>,
    button: Option<(String, &'static str)>,
) -> Result<Response, AppError> {
    render(&Notice {
        l: ctx.layout(title),
        lines,
        button,
    })
}

async fn sent(ctx: Ctx) -> Result<Response, AppError> {
    notice(
        &ctx,
        "Vérifiez votre boîte e-mail",
        vec![
            "Nous vous avons envoyé un e-mail.",
            "Ouvrez le lien de cet e-mail pour confirmer votre abonnement.",
            "Sans confirmation, vous ne recevrez rien et votre adresse sera effacée dans quelques jours.",
        ],
        None,
    )
}

async fn confirm_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    newsletter::by_link(&mut conn, &hash_token(&token), "confirm")
        .await?
        .ok_or(AppError::NotFound)?;
    notice(
        &ctx,
        "Confirmer votre abonnement",
        vec!["Pour recevoir la lettre d’information d’EPoP chaque mois, confirmez."],
        Some((
            format!("/lettre/confirmer/{token}"),
            "Confirmer mon abonnement",
        )),
    )
}

/// Confirms the subscription; the link used again changes nothing.
async fn confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    let s = newsletter::by_link(&mut tx, &hash_token(&token), "confirm")
        .await?
        .ok_or(AppError::NotFound)?;
    newsletter::confirm(&mut tx, s.id).await?;
    tx.commit().await?;
    notice(
        &ctx,
        "Votre abonnement est confirmé",
        vec![
            "Merci ! Vous recevrez la lettre d’information d’EPoP chaque mois.",
            "Chaque lettre a un lien pour vous désabonner.",
        ],
        None,
    )
}

async fn unsubscribe_page(ctx: Ctx, Path(token): Path<String>) -> Result<Response, AppError> {
    notice(
        &ctx,
        "Se désabonner de la lettre d’information",
        vec![
            "Vous ne recevrez plus la lettre d’information d’EPoP. Vous pourrez vous réabonner quand vous voulez.",
        ],
        Some((format!("/lettre/desabonnement/{token}"), "Me désabonner")),
    )
}

/// One click (RFC 8058) or the page's button: the subscription and its
/// links are deleted. Works without a session nor a CSRF token; an unknown
/// or used link says the same (the address is not on the list).
async fn unsubscribe(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    if let Some(s) = newsletter::by_link(&mut tx, &hash_token(&token), "unsubscribe").await? {
        newsletter::unsubscribe(&mut tx, s.id).await?;
    }
    tx.commit().await?;
    notice(
        &ctx,
        "Vous êtes désabonné",
        vec![
            "Vous ne recevrez plus la lettre d’information d’EPoP.",
            "Votre adresse est effacée de la liste.",
        ],
        None,
    )
}

/// The member's current subscription in words.
fn current_words(s: &newsletter::Subscriber, places: &[Group]) -> String {
    let code = s.place.code();
    let place = places
        .iter()
        .flat_map(|g| &g.choices)
        .find(|c| c.code == code)
        .map(|c| c.label.clone())
        .unwrap_or_default();
    format!(
        "Vous recevez la lettre {} : {place}{}.",
        if s.easy {
            "en facile à lire"
        } else {
            "habituelle"
        },
        if s.confirmed {
            ""
        } else {
            " (pas encore confirmée : enregistrez pour la confirmer)"
        }
    )
}

async fn member_page(state: &AppState, ctx: &Ctx, errors: Errors) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut conn = state.db.conn().await?;
    let current = newsletter::of_account(&mut conn, user.account.id, &user.account.email).await?;
    drop(conn);
    let choices = choices(state).await?;
    let p = Pairs(match &current {
        Some(s) => vec![
            ("territory".into(), s.place.code()),
            (
                "version".into(),
                if s.easy { "facile" } else { "courant" }.into(),
            ),
        ],
        None => vec![
            ("territory".into(), Scope::National.code()),
            ("version".into(), "courant".into()),
        ],
    });
    let invalid = !errors.is_empty();
    render_form(
        &Form {
            l: ctx.layout_with_errors("La lettre d’information", invalid),
            errors,
            p,
            current: current.as_ref().map(|s| current_words(s, &choices)),
            choices,
            member: true,
            action: "/espace/lettre",
        },
        invalid,
    )
}

async fn member_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    member_page(&state, &ctx, Errors::default()).await
}

/// Subscribes (or changes the choices) with the account's address, or
/// unsubscribes (`action=desabonner`).
async fn member_save(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let user = ctx.user()?;
    let mut tx = state.db.write().await?;
    if p.get("action") == "desabonner" {
        if let Some(s) =
            newsletter::of_account(&mut tx, user.account.id, &user.account.email).await?
        {
            newsletter::unsubscribe(&mut tx, s.id).await?;
        }
        tx.commit().await?;
        return Ok(Redirect::to("/espace/lettre?message=lettre-arretee").into_response());
    }
    let valid: Subscription = match form_of(&p, user.account.email.clone()).validate() {
        Ok(v) => v,
        Err(problems) => {
            drop(tx);
            return member_page(&state, &ctx, Errors::from_problems(problems)).await;
        }
    };
    newsletter::subscribe_member(&mut tx, user.account.id, &valid).await?;
    tx.commit().await?;
    Ok(Redirect::to("/espace/lettre?message=lettre").into_response())
}
