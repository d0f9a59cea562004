//! The public form (`/ecrire-a-la-coordination?departement=31`, or
//! `?region=`, `?evenement=`, `?formation=`), its confirmation page, and
//! the visitor's personal link to write again in the same conversation
//! (`/ecrire-a-la-coordination/suite/{token}`, one token per e-mail,
//! stored hashed). Sending is one transaction: the conversation, one
//! e-mail to each recipient with the visitor as `Reply-To`, a copy to the
//! visitor. At most [`PER_ADDRESS`] messages an hour from one address, and
//! [`PER_VISITOR`] from one client address or one browser.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use epop_domain::contact::{ContactForm, NewContact};
use epop_store::contact::{self, Addressee, Conversation, Sender, Target};
use epop_store::territories::{self, Department};
use epop_store::{audit, outbox, rate_limit};

use super::mails::{self, Written};
use super::{about, checked_message, query_of, readers, target_of};
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::french::paris_time;
use crate::render::{render, render_form, slowed};
use crate::security::{hash_token, public_id, random_token};
use crate::{AppError, AppState, Ctx};

/// Messages an hour from one e-mail address.
pub const PER_ADDRESS: i64 = 5;
/// Messages an hour from one client address, or one browser.
pub const PER_VISITOR: i64 = 20;
const HOUR: i64 = 3600;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ecrire-a-la-coordination", get(form_page).post(submit))
        .route("/ecrire-a-la-coordination/envoye", get(sent_page))
        .route(
            "/ecrire-a-la-coordination/suite/{token}",
            get(follow_up_page).post(follow_up),
        )
}

/// Whom the form writes to, as its page says it.
pub struct To {
    /// « la coordination de la Haute-Garonne »
    pub readers: String,
    pub national: bool,
    /// « ce département », « cette région », « ce territoire »
    pub place: &'static str,
    /// The query naming the target (`departement=31`).
    pub query: String,
    /// The page the form was opened from, if any: (address, words).
    pub back: Option<(String, String)>,
}

impl To {
    fn of(a: &Addressee) -> To {
        let t = &a.target;
        To {
            readers: readers(a),
            national: a.national,
            place: match t {
                Target::Department(_) => "ce département",
                Target::Region(_) => "cette région",
                _ => "ce territoire",
            },
            query: query_of(t),
            back: match t {
                Target::Event(slug) => Some((
                    format!("/evenements/{slug}"),
                    "Revenir à l’événement".into(),
                )),
                Target::Training(slug) => Some((
                    format!("/formations/{slug}"),
                    "Revenir à la formation".into(),
                )),
                Target::Programme(slug) => {
                    Some((format!("/programmes/{slug}"), "Revenir au programme".into()))
                }
                _ => None,
            },
        }
    }
}

#[derive(Template)]
#[template(path = "contact/public_form.html")]
struct FormPage {
    l: Layout,
    errors: Errors,
    f: ContactForm,
    /// `None`: the page first asks for a département.
    to: Option<To>,
    departments: Vec<Department>,
}

async fn addressee(state: &AppState, target: &Target) -> Result<Addressee, AppError> {
    let mut conn = state.db.conn().await?;
    contact::resolve(&mut conn, target)
        .await?
        .ok_or(AppError::NotFound)
}

async fn form_response(
    state: &AppState,
    ctx: &Ctx,
    to: Option<To>,
    f: ContactForm,
    errors: Errors,
) -> Result<Response, AppError> {
    let departments = if to.is_none() {
        territories::departments(&mut *state.db.conn().await?).await?
    } else {
        Vec::new()
    };
    let invalid = !errors.is_empty();
    render_form(
        &FormPage {
            l: ctx.layout_with_errors("Écrire à la coordination", invalid),
            errors,
            f,
            to,
            departments,
        },
        invalid,
    )
}

async fn form_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let to = match target_of(&ctx) {
        Some(t) => Some(To::of(&addressee(&state, &t).await?)),
        None => None,
    };
    let f = match &ctx.user {
        Some(u) => ContactForm {
            name: u.account.display_name.clone(),
            email: u.account.email.clone(),
            ..Default::default()
        },
        None => ContactForm::default(),
    };
    form_response(&state, &ctx, to, f, Errors::default()).await
}

/// What a refused message is told (the text stays typed).
const TOO_MANY: &str = "Vous avez déjà envoyé plusieurs messages dans l’heure. Pour éviter les abus, \
     attendez une heure avant d’écrire à nouveau. Votre message est gardé ci-dessous : \
     vous pourrez l’envoyer plus tard.";

/// Whether a message is one too many (audited): the address's messages of
/// the last hour (a rolling hour, counted from the stored messages), and the
/// visitor's by client address and browser (fixed windows).
async fn over_limit(state: &AppState, ctx: &Ctx, email: &str) -> Result<bool, AppError> {
    let mut conn = state.db.conn().await?;
    let ip = ctx.ip.clone().unwrap_or_else(|| "inconnue".into());
    let by_address =
        epop_store::contact::written_since(&mut conn, email, epop_store::now() - HOUR).await? + 1;
    let by_ip = rate_limit::hit(&mut conn, &format!("contact:ip:{ip}"), HOUR).await?;
    let by_browser = rate_limit::hit(
        &mut conn,
        &format!("contact:visitor:{}", hash_token(&ctx.csrf)),
        HOUR,
    )
    .await?;
    let over = by_address > PER_ADDRESS || by_ip > PER_VISITOR || by_browser > PER_VISITOR;
    if over {
        audit::record(
            &mut conn,
            ctx.audit(
                "rate_limited",
                None,
                "Écrire à la coordination : trop de messages dans l’heure".into(),
            ),
        )
        .await?;
    }
    Ok(over)
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let target = target_of(&ctx).ok_or(AppError::NotFound)?;
    let a = addressee(&state, &target).await?;
    let f = ContactForm {
        name: p.get("name"),
        email: p.get("email"),
        phone: p.get("phone"),
        message: p.get("message"),
    };
    let valid = match f.validate() {
        Ok(v) => v,
        Err(problems) => {
            let errors = Errors::from_problems(problems);
            return form_response(&state, &ctx, Some(To::of(&a)), f, errors).await;
        }
    };
    if over_limit(&state, &ctx, valid.email.as_str()).await? {
        let mut errors = Errors::default();
        errors.add("message", TOO_MANY);
        let page = form_response(&state, &ctx, Some(To::of(&a)), f, errors).await?;
        return Ok(slowed(page));
    }
    send_first(&state, &ctx, &a, &valid).await?;
    Ok(Redirect::to(&format!(
        "/ecrire-a-la-coordination/envoye?{}",
        query_of(&target)
    ))
    .into_response())
}

/// The conversation, its e-mails and its audit line, in one transaction.
async fn send_first(
    state: &AppState,
    ctx: &Ctx,
    a: &Addressee,
    c: &NewContact,
) -> Result<(), AppError> {
    let base = &state.config.base_url;
    let token = random_token();
    let public = public_id();
    let sender = Sender {
        name: &c.name,
        email: c.email.as_str(),
        phone: c.phone.as_deref(),
    };
    let mut tx = state.db.write().await?;
    contact::start(
        &mut tx,
        a,
        &sender,
        &c.message,
        &public,
        &hash_token(&token),
    )
    .await?;
    let w = Written {
        name: &c.name,
        email: c.email.as_str(),
        phone: c.phone.as_deref(),
        text: &c.message,
    };
    let about = about(Some(&a.target), &a.name);
    let inbox = format!("{base}/espace/messages/{public}");
    for r in &a.recipients {
        let m = mails::to_coordination(&r.email, &r.name, &about, &w, &inbox, true);
        outbox::enqueue_replying_to(&mut tx, &m, c.email.as_str()).await?;
    }
    let link = format!("{base}/ecrire-a-la-coordination/suite/{token}");
    let who = readers(a);
    let copy = mails::copy_to_sender(c.email.as_str(), &c.name, &who, &c.message, &link);
    outbox::enqueue(&mut tx, &copy).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "contact_message",
            Some(format!("contact:{public}")),
            format!("Message à {who} ({about})"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "contact/public_sent.html")]
struct SentPage {
    l: Layout,
    readers: String,
    national: bool,
}

async fn sent_page(State(state): State<AppState>, ctx: Ctx) -> Result<Response, AppError> {
    let to = match target_of(&ctx) {
        Some(t) => Some(addressee(&state, &t).await?),
        None => None,
    };
    render(&SentPage {
        l: ctx.layout("Votre message est envoyé"),
        readers: to
            .as_ref()
            .map(readers)
            .unwrap_or_else(|| "la coordination".into()),
        national: to.is_some_and(|a| a.national),
    })
}

/// A message of the conversation as the visitor sees it: « Vous » or « La
/// coordination », never a coordinator's name.
pub struct Said {
    pub mine: bool,
    pub when: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "contact/public_follow_up.html")]
struct FollowUpPage {
    l: Layout,
    errors: Errors,
    about: String,
    thread: Vec<Said>,
    typed: String,
    token: String,
}

async fn by_token(state: &AppState, token: &str) -> Result<Conversation, AppError> {
    let mut conn = state.db.conn().await?;
    contact::by_link(&mut conn, &hash_token(token))
        .await?
        .ok_or(AppError::LinkExpired)
}

async fn follow_up_response(
    state: &AppState,
    ctx: &Ctx,
    c: &Conversation,
    token: String,
    typed: String,
    errors: Errors,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let thread = contact::messages(&mut conn, c.id)
        .await?
        .into_iter()
        .map(|m| Said {
            mine: !m.from_coordination,
            when: paris_time(m.at),
            text: m.body,
        })
        .collect();
    let invalid = !errors.is_empty();
    render_form(
        &FollowUpPage {
            l: ctx.layout_with_errors("Écrire à nouveau à la coordination", invalid),
            errors,
            about: about(c.target.as_ref(), &c.target_name),
            thread,
            typed,
            token,
        },
        invalid,
    )
}

async fn follow_up_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let c = by_token(&state, &token).await?;
    follow_up_response(&state, &ctx, &c, token, String::new(), Errors::default()).await
}

async fn follow_up(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
    axum::Form(p): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let c = by_token(&state, &token).await?;
    let typed = p.get("message");
    let text = match checked_message(&typed) {
        Ok(t) => t,
        Err(errors) => return follow_up_response(&state, &ctx, &c, token, typed, errors).await,
    };
    if over_limit(&state, &ctx, &c.sender_email).await? {
        let mut errors = Errors::default();
        errors.add("message", TOO_MANY);
        let page = follow_up_response(&state, &ctx, &c, token, typed, errors).await?;
        return Ok(slowed(page));
    }
    let base = &state.config.base_url;
    let about = about(c.target.as_ref(), &c.target_name);
    let mut tx = state.db.write().await?;
    contact::add_message(&mut tx, c.id, None, &text).await?;
    let w = Written {
        name: &c.sender_name,
        email: &c.sender_email,
        phone: c.sender_phone.as_deref(),
        text: &text,
    };
    let inbox = format!("{base}/espace/messages/{}", c.public_id);
    let mut recipients = contact::recipients(&mut tx, c.id).await?;
    if recipients.is_empty() {
        // Its coordinators left: whoever covers its target now receives it.
        if let Some(now) = match &c.target {
            Some(t) => contact::resolve(&mut tx, t).await?,
            None => None,
        } {
            contact::address(&mut tx, c.id, &now.recipients).await?;
            recipients = now.recipients;
        }
    }
    for r in recipients {
        let m = mails::to_coordination(&r.email, &r.name, &about, &w, &inbox, false);
        outbox::enqueue_replying_to(&mut tx, &m, &c.sender_email).await?;
    }
    let link = format!("{base}/ecrire-a-la-coordination/suite/{token}");
    let copy = mails::copy_to_sender(
        &c.sender_email,
        &c.sender_name,
        "la coordination",
        &text,
        &link,
    );
    outbox::enqueue(&mut tx, &copy).await?;
    audit::record(
        &mut tx,
        ctx.audit(
            "contact_message",
            Some(format!("contact:{}", c.public_id)),
            format!("Nouveau message à la coordination ({about})"),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/ecrire-a-la-coordination/suite/{token}?message=contact-envoye"
    ))
    .into_response())
}
