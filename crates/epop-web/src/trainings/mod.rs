//! Trainings and accompaniment: the programmes and their sessions for
//! everyone to read, applications by peer workers and référents (with their
//! own page of applications, and their certificate), the coordinators'
//! pages (sessions, decisions, attendance per half-day, completion,
//! attendance sheets) and the accompaniment after training (milestones,
//! follow-up notes seen only by the coordinators of the territory).

mod accompaniment;
mod documents;
mod mails;
mod manage;
mod public;

use axum::Router;
use epop_domain::event::seats_left;
use epop_store::trainings::Session;

use crate::AppState;
use crate::french::{french_day, french_when};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(manage::router())
        .merge(accompaniment::router())
        .merge(documents::router())
}

/// A session as pages show it.
#[derive(Debug, Clone)]
pub struct SessionView {
    pub s: Session,
    /// « du lundi 11 janvier 2027 au vendredi 15 janvier 2027 ».
    pub dates: String,
    /// Each half-day in words, in order.
    pub half_days: Vec<String>,
    pub places_text: String,
    pub upcoming: bool,
    /// The last half-day has ended: the training may be completed.
    pub ended: bool,
    /// Whether attendance was recorded (then the half-days stay as they
    /// are); filled by the coordinators' pages.
    pub attendance_recorded: bool,
}

impl SessionView {
    pub fn new(s: Session, now: i64) -> Self {
        let dates = match (s.half_days.first(), s.half_days.last()) {
            (Some((_, a)), Some((_, b))) if french_day(a.starts_at) == french_day(b.starts_at) => {
                french_day(a.starts_at)
            }
            (Some((_, a)), Some((_, b))) => format!(
                "du {} au {}",
                french_day(a.starts_at),
                french_day(b.starts_at)
            ),
            _ => String::new(),
        };
        let half_days = s
            .half_days
            .iter()
            .map(|(_, h)| french_when(h.starts_at, h.ends_at))
            .collect();
        let left = seats_left(s.capacity, s.places_taken);
        let places_text = match left {
            0 => "Complet : vous pouvez candidater pour la liste d’attente.".to_owned(),
            1 => format!("1 place restante sur {}.", s.capacity),
            n => format!("{n} places restantes sur {}.", s.capacity),
        };
        SessionView {
            dates,
            half_days,
            places_text,
            upcoming: s.starts_at() > now,
            ended: epop_domain::training::may_complete(s.ends_at(), now),
            attendance_recorded: false,
            s,
        }
    }
}
