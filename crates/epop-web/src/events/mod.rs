//! Events and information meetings: the public list and pages (filters in
//! the URL, schema.org data, calendar files), registration with or without
//! an account (waiting list, seat offers, cancellation by the link in the
//! e-mail), the organiser's pages (create, edit, registrations, needs,
//! exports, attendance, writing to everyone) and the scheduled work the
//! worker runs (reminders, expired offers, the offer to apply to the
//! training an information meeting presented).

mod followup;
mod mails;
mod manage;
mod public;
mod registration;
mod schedule;

use axum::Router;
use epop_domain::event::{Accessibility, seats_left};
use epop_store::events::Event;

use crate::french::{french_day_at, french_when};
use crate::{AppError, AppState, Ctx};

pub use schedule::due;

/// Who may see practice-analysis groups (events for trained peer workers
/// only): trained peers, and the people who manage events.
#[derive(Debug, Clone, Copy)]
pub struct Audience {
    trained_peer: bool,
    manager: bool,
}

impl Audience {
    pub async fn of(state: &AppState, ctx: &Ctx) -> Result<Self, AppError> {
        let Some(u) = &ctx.user else {
            return Ok(Audience {
                trained_peer: false,
                manager: false,
            });
        };
        let trained_peer = if u.principal.has(epop_domain::Role::Peer) {
            let mut conn = state.db.conn().await?;
            epop_store::events::is_trained_peer(&mut conn, u.account.id).await?
        } else {
            false
        };
        Ok(Audience {
            trained_peer,
            manager: u.principal.may_create_events(),
        })
    }

    pub fn may_see(&self, e: &Event) -> bool {
        !e.trained_peers_only || self.trained_peer || self.manager
    }
}

/// The event of a public URL, if this person may see it (practice-analysis
/// groups are for trained peer workers): « not found » otherwise.
pub async fn visible_event(state: &AppState, ctx: &Ctx, slug: &str) -> Result<Event, AppError> {
    let mut conn = state.db.conn().await?;
    let e = epop_store::events::by_slug(&mut conn, slug)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    if Audience::of(state, ctx).await?.may_see(&e) {
        Ok(e)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(registration::router())
        .merge(manage::router())
}

/// ISO 8601 with the Paris offset, for schema.org and `<time>`.
fn iso(ts: i64) -> String {
    crate::french::paris(ts).to_rfc3339()
}

/// An event as pages and e-mails show it.
#[derive(Debug, Clone)]
pub struct EventView {
    pub e: Event,
    pub when: String,
    pub start_iso: String,
    pub end_iso: String,
    pub place: String,
    pub territory: String,
    pub seats_left: i64,
    pub seats_text: String,
    pub accessibility: Vec<&'static str>,
    pub deadline: String,
    pub open: bool,
}

impl EventView {
    pub fn new(e: Event, now: i64) -> Self {
        let left = seats_left(e.capacity, e.seats_taken);
        let seats_text = if left == 0 {
            if e.waiting == 0 {
                "Complet : vous pouvez vous inscrire sur la liste d’attente.".to_owned()
            } else {
                format!(
                    "Complet : vous pouvez vous inscrire sur la liste d’attente ({} personne{} attend{}).",
                    e.waiting,
                    if e.waiting > 1 { "s" } else { "" },
                    if e.waiting > 1 { "ent" } else { "" }
                )
            }
        } else if left == 1 {
            format!("1 place restante sur {}.", e.capacity)
        } else {
            format!("{left} places restantes sur {}.", e.capacity)
        };
        let place = if e.online {
            "En ligne (le lien est envoyé aux personnes inscrites)".to_owned()
        } else {
            e.address.clone().unwrap_or_default()
        };
        let territory = match (&e.department_name, &e.region_name) {
            (Some(d), Some(r)) => format!("{d} ({r})"),
            _ => "National".to_owned(),
        };
        EventView {
            when: french_when(e.starts_at, e.ends_at),
            start_iso: iso(e.starts_at),
            end_iso: iso(e.ends_at),
            place,
            territory,
            seats_left: left,
            seats_text,
            accessibility: e.accessibility.iter().map(|a| a.label()).collect(),
            deadline: french_day_at(e.deadline),
            open: e.cancel_reason.is_none()
                && epop_domain::event::registration_open(e.deadline, e.starts_at, now),
            e,
        }
    }

    pub fn step_free_text(&self) -> &'static str {
        if self.e.step_free || self.e.accessibility.contains(&Accessibility::StepFree) {
            "Oui, le lieu est accessible sans marche."
        } else {
            "Non, ou pas vérifié : demandez à l’organisateur."
        }
    }
}

/// A calendar file (iCalendar) of these events: times in UTC, each event
/// with a stable UID so that a calendar updates it rather than doubling it.
pub fn calendar_file(name: &str, events: &[Event], base_url: &str) -> String {
    let uids: Vec<String> = events
        .iter()
        .map(|e| format!("evenement-{}@epop", e.slug))
        .collect();
    let urls: Vec<String> = events
        .iter()
        .map(|e| format!("{base_url}/evenements/{}", e.slug))
        .collect();
    let places: Vec<String> = events
        .iter()
        .map(|e| {
            if e.online {
                "En ligne".to_owned()
            } else {
                e.address.clone().unwrap_or_default()
            }
        })
        .collect();
    let items: Vec<epop_docs::ics::IcsEvent<'_>> = events
        .iter()
        .enumerate()
        .map(|(i, e)| epop_docs::ics::IcsEvent {
            uid: &uids[i],
            title: &e.title,
            description: &e.description,
            starts_at: e.starts_at,
            ends_at: e.ends_at,
            location: Some(places[i].as_str()),
            url: &urls[i],
            cancelled: e.cancel_reason.is_some(),
            updated_at: e.updated_at,
        })
        .collect();
    epop_docs::ics::calendar(name, &items)
}
