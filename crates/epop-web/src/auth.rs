//! Signing in and out: e-mail + password (argon2id), a single-use link sent
//! by e-mail (15 minutes) for people who find passwords hard, password
//! reset, and accepting an invitation. Messages never reveal whether an
//! address has an account. Attempts are limited per client address (a fixed
//! window) and slowed down per e-mail address (a growing delay, never a lock
//! that someone else could trigger); an e-mailed link always signs in.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use epop_domain::Email;
use epop_domain::account::{self, AccountStatus};
use epop_store::accounts;
use epop_store::sessions::{self, Purpose};
use epop_store::{audit, outbox, rate_limit};
use serde::Deserialize;

use crate::context::Layout;
use crate::forms::{Errors, safe_next};
use crate::render::{render, render_form, render_invalid, slowed};
use crate::security::SESSION_COOKIE;
use crate::security::{hash_password, hash_token, random_token, set_cookie, verify_password};
use crate::{AppError, AppState, Ctx, emails};

/// How long a session lasts without signing in again.
pub const SESSION_TTL: i64 = 30 * 24 * 3600;
pub const LINK_TTL: i64 = 15 * 60;
pub const RESET_TTL: i64 = 3600;
pub const INVITATION_TTL: i64 = 7 * 24 * 3600;

/// Who is invited, by whom, as what: the invitation link's e-mail.
pub struct Invitation<'a> {
    pub account_id: i64,
    pub email: &'a str,
    pub name: &'a str,
    pub inviter: &'a str,
    /// What the person is invited as, in words (« Référent ou référente », …).
    pub roles: &'a str,
}

/// Makes an invitation link (valid [`INVITATION_TTL`]) for an account and
/// queues its e-mail, in the caller's transaction.
pub async fn send_invitation(
    conn: &mut epop_store::Conn,
    base: &str,
    i: &Invitation<'_>,
) -> epop_store::Result<()> {
    let token = random_token();
    sessions::create_token(
        conn,
        &hash_token(&token),
        i.account_id,
        Purpose::Invitation,
        INVITATION_TTL,
    )
    .await?;
    // The words the account asks for (set by whoever invites).
    let words =
        emails::Words::easy_if(epop_store::accounts::wants_easy_read_emails(conn, i.email).await?);
    outbox::enqueue(
        conn,
        &emails::invitation(
            i.email,
            i.name,
            i.inviter,
            i.roles,
            &format!("{base}/invitation/{token}"),
            words,
        ),
    )
    .await
}
const WINDOW: i64 = 15 * 60;
const MAX_PER_IP: i64 = 50;
/// Attempts in a row for one e-mail address before each must wait: 1 s,
/// then 2, 4, 8… up to `MAX_DELAY`.
const FREE_ATTEMPTS: i64 = 5;
const MAX_DELAY: i64 = 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(sign_in_form).post(sign_in))
        .route("/connexion/lien", get(link_form).post(link_request))
        .route("/connexion/lien/{token}", get(link_confirm).post(link_use))
        .route("/mot-de-passe-oublie", get(reset_form).post(reset_request))
        .route(
            "/mot-de-passe/{token}",
            get(new_password_form).post(new_password_save),
        )
        .route(
            "/invitation/{token}",
            get(invitation_form).post(invitation_accept),
        )
        .route("/deconnexion", post(sign_out))
}

#[derive(Template)]
#[template(path = "auth/sign_in.html")]
struct SignInPage {
    l: Layout,
    errors: Errors,
    email: String,
    next: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
    suite: String,
}

async fn sign_in_form(ctx: Ctx) -> Result<Response, AppError> {
    if ctx.user.is_some() {
        return Ok(Redirect::to("/espace").into_response());
    }
    let next = safe_next(&ctx.query_param("suite").unwrap_or_default());
    render(&SignInPage {
        l: ctx.layout("Se connecter"),
        errors: Errors::default(),
        email: String::new(),
        next,
    })
}

/// The wait before the attempt after `count` attempts in a row.
fn delay(count: i64) -> i64 {
    if count < FREE_ATTEMPTS {
        0
    } else {
        (1_i64 << (count - FREE_ATTEMPTS).min(6)).min(MAX_DELAY)
    }
}

fn streak(kind: &str, address: &str) -> String {
    format!("{kind}:streak:{address}")
}

/// Counts an attempt of `kind` (`sign-in`, `email-link`, `request`…) for an
/// e-mail address: against the client's address, a fixed window past which
/// it is refused (429); for the e-mail address, a streak with a growing
/// delay. `Ok(Some(seconds))`: too early for this e-mail address — the same
/// answer whether it has an account or not. Refusals are audited.
pub(crate) async fn limit(
    state: &AppState,
    ctx: &Ctx,
    kind: &str,
    address: &str,
) -> Result<Option<i64>, AppError> {
    let mut conn = state.db.conn().await?;
    let ip = ctx.ip.clone().unwrap_or_else(|| "inconnue".into());
    let by_ip = rate_limit::hit(&mut conn, &format!("{kind}:ip:{ip}"), WINDOW).await?;
    let wait = if by_ip > MAX_PER_IP {
        None
    } else {
        match rate_limit::claim(&mut conn, &streak(kind, address), WINDOW, delay).await? {
            rate_limit::Attempt::Allowed => return Ok(None),
            rate_limit::Attempt::Wait(seconds) => Some(seconds),
        }
    };
    audit::record(
        &mut conn,
        ctx.audit(
            "rate_limited",
            None,
            format!("{kind} : trop de tentatives pour {address}"),
        ),
    )
    .await?;
    wait.map(Some).ok_or(AppError::TooManyAttempts)
}

/// Ends the streak of an e-mail address after a success (right password).
pub(crate) async fn limit_passed(
    state: &AppState,
    kind: &str,
    address: &str,
) -> Result<(), AppError> {
    let mut conn = state.db.conn().await?;
    rate_limit::clear(&mut conn, &streak(kind, address)).await?;
    Ok(())
}

/// [`limit`] for a form: when the attempt comes too early, the problem to
/// show under `field` (the wait, nothing about the account).
pub(crate) async fn limit_errors(
    state: &AppState,
    ctx: &Ctx,
    kind: &str,
    address: &str,
    field: &str,
) -> Result<Option<Errors>, AppError> {
    Ok(limit(state, ctx, kind, address).await?.map(|seconds| {
        let mut errors = Errors::default();
        errors.add(field, wait_message(seconds));
        errors
    }))
}

/// What a too-early attempt is told (nothing about the account).
pub(crate) fn wait_message(seconds: i64) -> String {
    let unit = if seconds > 1 { "secondes" } else { "seconde" };
    format!(
        "Il y a eu plusieurs essais à la suite. Pour protéger les comptes, attendez {seconds} {unit}, puis réessayez."
    )
}

async fn sign_in(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SignInForm>,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let email = errors.check("email", Email::parse(&f.email));
    if f.password.is_empty() {
        errors.add(
            "password",
            "Saisissez votre mot de passe, ou demandez un lien de connexion par e-mail.",
        );
    }
    let invalid = |errors, email| {
        render_invalid(&SignInPage {
            l: ctx.layout_with_errors("Se connecter", true),
            errors,
            email,
            next: f.suite.clone(),
        })
    };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return invalid(errors, f.email);
    };
    if let Some(errors) = limit_errors(&state, &ctx, "sign-in", email.as_str(), "email").await? {
        return Ok(slowed(invalid(errors, email.to_string())?));
    }
    let mut conn = state.db.conn().await?;
    let creds = accounts::credentials(&mut conn, &email).await?;
    let stored = creds
        .as_ref()
        .filter(|c| c.status != AccountStatus::Disabled)
        .and_then(|c| c.password_hash.clone());
    if verify_password(&f.password, stored.as_deref()) {
        let id = creds.map(|c| c.id).unwrap_or_default();
        limit_passed(&state, "sign-in", email.as_str()).await?;
        return start_session(&state, &ctx, id, "mot de passe", &safe_next(&f.suite)).await;
    }
    audit::record(
        &mut conn,
        ctx.audit(
            "sign_in_failed",
            None,
            format!("Échec de connexion par mot de passe pour {email}"),
        ),
    )
    .await?;
    let mut errors = Errors::default();
    errors.add(
        "email",
        "L’adresse e-mail ou le mot de passe ne sont pas bons. Vérifiez-les, ou demandez un lien de connexion par e-mail.",
    );
    invalid(errors, email.to_string())
}

/// Opens a session for an account and goes to `next`.
pub async fn start_session(
    state: &AppState,
    ctx: &Ctx,
    account_id: i64,
    how: &str,
    next: &str,
) -> Result<Response, AppError> {
    let sid = random_token();
    let mut tx = state.db.write().await?;
    if let Some(old) = &ctx.session_hash {
        sessions::delete(&mut tx, old).await?;
    }
    sessions::create(&mut tx, &hash_token(&sid), account_id, SESSION_TTL).await?;
    accounts::mark_signed_in(&mut tx, account_id).await?;
    let mut event = ctx.audit("sign_in", None, format!("Connexion ({how})"));
    event.actor_id = Some(account_id);
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    let sep = if next.contains('?') { '&' } else { '?' };
    let mut res = Redirect::to(&format!("{next}{sep}message=connecte")).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state.config, SESSION_COOKIE, &sid, Some(SESSION_TTL)),
    );
    Ok(res)
}

async fn sign_out(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    if let Some(hash) = &ctx.session_hash {
        let mut tx = state.db.write().await?;
        sessions::delete(&mut tx, hash).await?;
        audit::record(&mut tx, ctx.audit("sign_out", None, "Déconnexion".into())).await?;
        tx.commit().await?;
    }
    let mut res = Redirect::to("/?message=deconnecte").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state.config, SESSION_COOKIE, "", Some(0)),
    );
    Ok(res)
}

/// The one-field form that asks for an e-mail address (link or reset).
#[derive(Template)]
#[template(path = "auth/email_form.html")]
struct EmailFormPage {
    l: Layout,
    errors: Errors,
    email: String,
    action: &'static str,
    intro: &'static str,
    button: &'static str,
}

#[derive(Template)]
#[template(path = "auth/check_email.html")]
struct CheckEmail {
    l: Layout,
    email: String,
    what: &'static str,
    minutes: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

struct EmailFlow {
    title: &'static str,
    action: &'static str,
    intro: &'static str,
    button: &'static str,
    purpose: Purpose,
    ttl: i64,
    path: &'static str,
    what: &'static str,
}

const LINK: EmailFlow = EmailFlow {
    title: "Recevoir un lien de connexion",
    action: "/connexion/lien",
    intro: "Vous n’avez pas besoin de mot de passe. Donnez votre adresse e-mail : nous vous envoyons un lien. Vous cliquez sur le lien, et votre session est ouverte.",
    button: "Recevoir le lien",
    purpose: Purpose::SignInLink,
    ttl: LINK_TTL,
    path: "/connexion/lien/",
    what: "un lien pour vous connecter",
};

const RESET: EmailFlow = EmailFlow {
    title: "Mot de passe oublié",
    action: "/mot-de-passe-oublie",
    intro: "Donnez votre adresse e-mail : nous vous envoyons un lien pour choisir un nouveau mot de passe.",
    button: "Recevoir le lien",
    purpose: Purpose::PasswordReset,
    ttl: RESET_TTL,
    path: "/mot-de-passe/",
    what: "un lien pour choisir un nouveau mot de passe",
};

fn email_page(
    ctx: &Ctx,
    flow: &EmailFlow,
    errors: Errors,
    email: String,
) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let page = EmailFormPage {
        l: ctx.layout_with_errors(flow.title, invalid),
        errors,
        email,
        action: flow.action,
        intro: flow.intro,
        button: flow.button,
    };
    render_form(&page, invalid)
}

async fn link_form(ctx: Ctx) -> Result<Response, AppError> {
    email_page(&ctx, &LINK, Errors::default(), String::new())
}

async fn reset_form(ctx: Ctx) -> Result<Response, AppError> {
    email_page(&ctx, &RESET, Errors::default(), String::new())
}

async fn link_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<EmailForm>,
) -> Result<Response, AppError> {
    send_token(state, ctx, f, &LINK).await
}

async fn reset_request(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<EmailForm>,
) -> Result<Response, AppError> {
    send_token(state, ctx, f, &RESET).await
}

/// Sends a link if the address has an account; answers the same either way.
async fn send_token(
    state: AppState,
    ctx: Ctx,
    f: EmailForm,
    flow: &EmailFlow,
) -> Result<Response, AppError> {
    let mut errors = Errors::default();
    let Some(email) = errors.check("email", Email::parse(&f.email)) else {
        return email_page(&ctx, flow, errors, f.email);
    };
    if let Some(errors) = limit_errors(&state, &ctx, "email-link", email.as_str(), "email").await? {
        return Ok(slowed(email_page(&ctx, flow, errors, f.email)?));
    }
    let mut tx = state.db.write().await?;
    let creds = accounts::credentials(&mut tx, &email).await?;
    if let Some(c) = creds.filter(|c| c.status != AccountStatus::Disabled) {
        let account = accounts::by_id(&mut tx, c.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let token = random_token();
        sessions::create_token(&mut tx, &hash_token(&token), c.id, flow.purpose, flow.ttl).await?;
        let link = format!("{}{}{}", state.config.base_url, flow.path, token);
        let words = emails::Words::of(&mut tx, &account.email).await?;
        let message = match flow.purpose {
            Purpose::PasswordReset => {
                emails::password_reset(email.as_str(), &account.display_name, &link, words)
            }
            _ => emails::sign_in_link(email.as_str(), &account.display_name, &link, words),
        };
        outbox::enqueue(&mut tx, &message).await?;
    }
    tx.commit().await?;
    render(&CheckEmail {
        l: ctx.layout("Regardez vos e-mails"),
        email: email.to_string(),
        what: flow.what,
        minutes: flow.ttl / 60,
    })
}

#[derive(Template)]
#[template(path = "auth/confirm_link.html")]
struct ConfirmLink {
    l: Layout,
    valid: bool,
}

/// Opening the link shows a button: mail scanners that open links do not
/// use them up; the person's click does.
async fn link_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let valid = sessions::peek_token(&mut conn, &hash_token(&token), Purpose::SignInLink)
        .await?
        .is_some();
    render(&ConfirmLink {
        l: ctx.layout("Se connecter avec le lien"),
        valid,
    })
}

async fn link_use(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    let used = sessions::consume_token(&mut tx, &hash_token(&token), Purpose::SignInLink).await?;
    tx.commit().await?;
    match used {
        Some(id) => start_session(&state, &ctx, id, "lien par e-mail", "/espace").await,
        None => render(&ConfirmLink {
            l: ctx.layout("Se connecter avec le lien"),
            valid: false,
        }),
    }
}

#[derive(Template)]
#[template(path = "auth/new_password.html")]
struct NewPassword {
    l: Layout,
    errors: Errors,
    valid: bool,
    action: String,
    intro: &'static str,
    with_link_option: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    password: String,
    confirmation: String,
    /// `sans-mot-de-passe` when an invitee keeps using e-mailed links.
    choix: String,
}

fn check_passwords(f: &PasswordForm) -> Errors {
    let mut errors = Errors::default();
    if errors
        .check("password", account::password(&f.password))
        .is_some()
        && f.password != f.confirmation
    {
        errors.add(
            "confirmation",
            "Les deux mots de passe ne sont pas pareils. Tapez le même mot de passe deux fois.",
        );
    }
    errors
}

const RESET_INTRO: &str = "Choisissez votre nouveau mot de passe. Il doit contenir au moins 10 caractères. Une phrase facile à retenir convient.";
const INVITATION_INTRO: &str = "Bienvenue sur EPoP ! Pour vous connecter, vous pouvez choisir un mot de passe. Vous pouvez aussi ne pas avoir de mot de passe : à chaque connexion, nous vous enverrons un lien par e-mail.";

async fn token_page(
    state: &AppState,
    ctx: &Ctx,
    token: &str,
    purpose: Purpose,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let valid = sessions::peek_token(&mut conn, &hash_token(token), purpose)
        .await?
        .is_some();
    let (title, action, intro) = match purpose {
        Purpose::Invitation => (
            "Activer mon compte",
            format!("/invitation/{token}"),
            INVITATION_INTRO,
        ),
        _ => (
            "Choisir un nouveau mot de passe",
            format!("/mot-de-passe/{token}"),
            RESET_INTRO,
        ),
    };
    render(&NewPassword {
        l: ctx.layout(title),
        errors: Errors::default(),
        valid,
        action,
        intro,
        with_link_option: purpose == Purpose::Invitation,
    })
}

async fn new_password_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    token_page(&state, &ctx, &token, Purpose::PasswordReset).await
}

async fn invitation_form(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    token_page(&state, &ctx, &token, Purpose::Invitation).await
}

async fn new_password_save(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    use_password_token(state, ctx, token, f, Purpose::PasswordReset).await
}

async fn invitation_accept(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    use_password_token(state, ctx, token, f, Purpose::Invitation).await
}

/// Sets the password (unless an invitee keeps using links), uses the token,
/// ends other sessions, and signs the person in — in one transaction.
async fn use_password_token(
    state: AppState,
    ctx: Ctx,
    token: String,
    f: PasswordForm,
    purpose: Purpose,
) -> Result<Response, AppError> {
    let keep_links = purpose == Purpose::Invitation && f.choix == "sans-mot-de-passe";
    let errors = if keep_links {
        Errors::default()
    } else {
        check_passwords(&f)
    };
    if !errors.is_empty() {
        let (title, intro) = match purpose {
            Purpose::Invitation => ("Activer mon compte", INVITATION_INTRO),
            _ => ("Choisir un nouveau mot de passe", RESET_INTRO),
        };
        return render_invalid(&NewPassword {
            l: ctx.layout_with_errors(title, true),
            errors,
            valid: true,
            action: ctx.path.clone(),
            intro,
            with_link_option: purpose == Purpose::Invitation,
        });
    }
    let hash = if keep_links {
        None
    } else {
        Some(hash_password(&f.password)?)
    };
    let mut tx = state.db.write().await?;
    let Some(id) = sessions::consume_token(&mut tx, &hash_token(&token), purpose).await? else {
        drop(tx);
        return token_page(&state, &ctx, &token, purpose).await;
    };
    if let Some(hash) = &hash {
        accounts::set_password(&mut tx, id, hash).await?;
        sessions::delete_all_of(&mut tx, id).await?;
        sessions::use_up_tokens(&mut tx, id, Purpose::PasswordReset).await?;
        let mut event = ctx.audit("password_set", None, "Mot de passe choisi".into());
        event.actor_id = Some(id);
        audit::record(&mut tx, event).await?;
    }
    tx.commit().await?;
    let how = if purpose == Purpose::Invitation {
        "invitation acceptée"
    } else {
        "nouveau mot de passe"
    };
    start_session(&state, &ctx, id, how, "/espace").await
}
