//! Registering to an event, with or without an account, for oneself or —
//! for référents and coordinators — for someone else; the personal page a
//! registration's link opens (status, the needs asked for, online link once
//! seated, place in the queue), where the person takes an offered seat or
//! cancels. An online event neither offers nor takes the needs that only
//! make sense on site.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use epop_domain::event::{Need, RegistrationForm, Status};
use epop_store::events::{self, Event, Registered, Registrant, Registration};
use epop_store::{audit, now, outbox};

use super::EventView;
use super::followup::Offer;
use super::mails::{self, Why};
use crate::context::Layout;
use crate::forms::{Errors, Pairs};
use crate::french::french_day_at;
use crate::render::{render, render_form};
use crate::security::{hash_token, random_token};
use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/evenements/{slug}/inscription",
            get(form_page).post(submit),
        )
        .route("/inscriptions/{token}", get(status_page))
        .route("/inscriptions/{token}/annuler", post(cancel))
        .route("/inscriptions/{token}/accepter", post(accept))
}

/// The form's values, kept on error.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub needs: Vec<String>,
    pub needs_other: String,
    pub answers: Vec<String>,
    pub consent: bool,
    pub for_other: bool,
}

impl Fields {
    fn from_pairs(p: &Pairs) -> Self {
        Fields {
            name: p.get("name"),
            email: p.get("email"),
            phone: p.get("phone"),
            needs: p.all("needs"),
            needs_other: p.get("needs_other"),
            answers: p.all("answer"),
            consent: p.get("consent") == "oui",
            for_other: p.get("pour") == "autre",
        }
    }

    fn domain(&self) -> RegistrationForm {
        RegistrationForm {
            name: self.name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            needs: self.needs.clone(),
            needs_other: self.needs_other.clone(),
            answers: self.answers.clone(),
            consent: self.consent,
        }
    }

    pub fn has_need(&self, code: &str) -> bool {
        self.needs.iter().any(|n| n == code)
    }

    pub fn answer(&self, i: &usize) -> &str {
        self.answers.get(*i).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(path = "events/register.html")]
struct FormPage {
    l: Layout,
    v: EventView,
    f: Fields,
    errors: Errors,
    needs: Vec<(&'static str, &'static str)>,
    may_register_others: bool,
}

/// Needs that only make sense on site (step-free access, an induction
/// loop, a guide dog): an online event does not offer them.
const ON_SITE_ONLY: [Need; 3] = [Need::StepFree, Need::HearingLoop, Need::AssistanceDog];

/// The needs this event offers, as (code, label).
fn needs(e: &Event) -> Vec<(&'static str, &'static str)> {
    Need::ALL
        .iter()
        .filter(|n| !(e.online && ON_SITE_ONLY.contains(n)))
        .map(|n| (n.code(), n.label()))
        .collect()
}

/// The problem with an on-site need ticked for an online event (posted
/// anyway: the form does not offer it).
fn on_site_problem(e: &Event, f: &Fields) -> Option<String> {
    let need = ON_SITE_ONLY
        .into_iter()
        .find(|n| e.online && f.has_need(n.code()))?;
    Some(format!(
        "Cet événement a lieu en ligne : « {} » ne sert que sur place. Décochez-le, \
         ou écrivez dans « Autre besoin » ce qui vous aiderait en ligne.",
        need.label()
    ))
}

fn form_response(ctx: &Ctx, e: Event, f: Fields, errors: Errors) -> Result<Response, AppError> {
    let invalid = !errors.is_empty();
    let title = format!("S’inscrire : {}", e.title);
    let needs = needs(&e);
    let page = FormPage {
        l: ctx.layout_with_errors(title, invalid),
        v: EventView::new(e, now()),
        f,
        errors,
        needs,
        may_register_others: ctx
            .user
            .as_ref()
            .is_some_and(|u| u.principal.may_register_others()),
    };
    render_form(&page, invalid)
}

async fn form_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let e = super::visible_event(&state, &ctx, &slug).await?;
    let f = match &ctx.user {
        Some(u) => Fields {
            name: u.account.display_name.clone(),
            email: u.account.email.clone(),
            ..Default::default()
        },
        None => Fields::default(),
    };
    form_response(&ctx, e, f, Errors::default())
}

async fn submit(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(slug): Path<String>,
    axum::Form(pairs): axum::Form<Pairs>,
) -> Result<Response, AppError> {
    let e = super::visible_event(&state, &ctx, &slug).await?;
    let f = Fields::from_pairs(&pairs);
    let t = now();
    if e.cancel_reason.is_some()
        || !epop_domain::event::registration_open(e.deadline, e.starts_at, t)
    {
        let mut errors = Errors::default();
        errors.add(
            "closed",
            "Les inscriptions à cet événement sont closes. Écrivez à l’organisateur si vous voulez venir.",
        );
        return form_response(&ctx, e, f, errors);
    }
    let on_site = on_site_problem(&e, &f);
    let valid = match f.domain().validate(&e.questions) {
        Ok(v) if on_site.is_none() => v,
        checked => {
            let mut errors = checked.err().map(Errors::from_problems).unwrap_or_default();
            if let Some(why) = on_site {
                errors.add("needs", why);
            }
            return form_response(&ctx, e, f, errors);
        }
    };
    let registrar = ctx
        .user
        .as_ref()
        .filter(|u| f.for_other && u.principal.may_register_others());
    let who = Registrant {
        account_id: match (&ctx.user, registrar) {
            (Some(u), None) if u.account.email == valid.email.as_str() => Some(u.account.id),
            _ => None,
        },
        registered_by: registrar.map(|u| u.account.id),
    };
    let token = random_token();
    let mut tx = state.db.write().await?;
    let registered = events::register(&mut tx, e.id, &valid, &hash_token(&token), who, t).await;
    let registered = match registered {
        Ok(r) => r,
        // The same address submitted twice at the same moment (PostgreSQL):
        // the other submission won; show it.
        Err(epop_store::StoreError::Duplicate(_)) => {
            drop(tx);
            return already(&ctx, e);
        }
        Err(err) => return Err(err.into()),
    };
    let r = match registered {
        Registered::Existing(_) => {
            drop(tx);
            return already(&ctx, e);
        }
        Registered::New(r) => r,
    };
    let why = match r.status {
        Status::Waiting => Why::Waiting {
            position: events::queue_position(&mut tx, &r).await?,
        },
        _ => Why::Confirmed,
    };
    mails::send(&mut tx, &state.config.base_url, &e, &r, why).await?;
    if let Some(u) = registrar {
        outbox::enqueue(
            &mut tx,
            &mails::copy_to_registrar(&u.account.email, &u.account.display_name, &e, &r),
        )
        .await?;
        audit::record(
            &mut tx,
            ctx.audit(
                "event_registered_other",
                Some(format!("event:{}", e.slug)),
                format!("Inscription de {} par {}", r.email, u.account.email),
            ),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/inscriptions/{token}?message=inscription")).into_response())
}

#[derive(Template)]
#[template(path = "events/already.html")]
struct Already {
    l: Layout,
    v: EventView,
}

fn already(ctx: &Ctx, e: Event) -> Result<Response, AppError> {
    render(&Already {
        l: ctx.layout("Vous avez déjà une place"),
        v: EventView::new(e, now()),
    })
}

#[derive(Template)]
#[template(path = "events/registration.html")]
struct StatusPage {
    l: Layout,
    v: EventView,
    r: Registration,
    token: String,
    position: i64,
    offer_until: String,
    for_other: bool,
    /// The training the meeting presents (see `followup`).
    offer: Option<Offer>,
}

async fn status_page(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut conn = state.db.conn().await?;
    let r = events::by_token(&mut conn, &hash_token(&token))
        .await?
        .ok_or(AppError::LinkExpired)?;
    let e = events::event_of(&mut conn, &r).await?;
    let position = if r.status == Status::Waiting {
        events::queue_position(&mut conn, &r).await?
    } else {
        0
    };
    let offer_until = r.offer_expires_at.map(french_day_at).unwrap_or_default();
    let for_other = r.registered_by.is_some();
    let offer = Offer::of(&mut conn, &e, now()).await?;
    let page = StatusPage {
        l: ctx.layout(format!("Mon inscription : {}", e.title)),
        v: EventView::new(e, now()),
        r,
        token,
        position,
        offer_until,
        for_other,
        offer,
    };
    // Private (no-store): see `security::headers`.
    render(&page)
}

async fn cancel(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    let Some(done) = events::cancel(&mut tx, &hash_token(&token), now()).await? else {
        drop(tx);
        return Ok(Redirect::to(&format!("/inscriptions/{token}")).into_response());
    };
    let e = events::event_of(&mut tx, &done.registration).await?;
    let base = &state.config.base_url;
    let why = Why::Cancelled {
        seat_passed_on: !done.promoted.is_empty(),
    };
    mails::send(&mut tx, base, &e, &done.registration, why).await?;
    super::schedule::tell_promoted(&mut tx, base, &e, &done.promoted).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!(
        "/inscriptions/{token}?message=inscription-annulee"
    ))
    .into_response())
}

async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let mut tx = state.db.write().await?;
    if let Some(r) = events::accept_offer(&mut tx, &hash_token(&token), now()).await? {
        let e = events::event_of(&mut tx, &r).await?;
        mails::send(&mut tx, &state.config.base_url, &e, &r, Why::Confirmed).await?;
        tx.commit().await?;
        return Ok(
            Redirect::to(&format!("/inscriptions/{token}?message=place-prise")).into_response(),
        );
    }
    drop(tx);
    Ok(Redirect::to(&format!("/inscriptions/{token}")).into_response())
}
