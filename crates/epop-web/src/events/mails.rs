//! The e-mails about a registration, in plain French: what happened, the
//! event (what, when, where), the needs the person asked for, the personal
//! link to see (or, while it stands, cancel) the registration, and the
//! calendar file when the person has a seat. Each message carries a new
//! personal link (see `epop_store::events::add_link`).

use epop_store::Conn as AnyConnection;
use epop_store::events::{Event, Registration};
use epop_store::outbox::{Attachment, Message};
use epop_store::{Result, events, now};

use super::EventView;
use crate::french::french_day_at;
use crate::security::{hash_token, random_token};

pub(super) const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été donnée pour vous inscrire à un événement sur EPoP.\n";

/// Why a registration e-mail is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    Confirmed,
    Waiting {
        position: i64,
    },
    SeatGiven,
    SeatOffered,
    Reminder,
    /// The person cancelled; their seat went to someone waiting, or not.
    Cancelled {
        seat_passed_on: bool,
    },
    OfferExpired,
}

/// « Vos besoins pour participer : » and each need, or nothing.
fn needs_lines(r: &Registration) -> String {
    let mut lines: Vec<String> = r.needs.iter().map(|n| format!("- {}", n.label())).collect();
    if let Some(other) = r.needs_other.as_deref().filter(|o| !o.trim().is_empty()) {
        lines.push(format!("- {other}"));
    }
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "Vos besoins pour participer :\n{}\nL’organisateur les connaît et prépare l’événement avec.\n\n",
        lines.join("\n")
    )
}

fn event_lines(v: &EventView, with_link: bool) -> String {
    let mut s = format!(
        "Événement : {}\nQuand : {} (heure de Paris)\n",
        v.e.title, v.when
    );
    if v.e.online {
        match (&v.e.online_link, with_link) {
            (Some(link), true) => s.push_str(&format!(
                "Où : en ligne. Pour participer, ouvrez ce lien le jour venu :\n{link}\n"
            )),
            _ => s.push_str("Où : en ligne. Le lien vous sera envoyé si vous avez une place.\n"),
        }
    } else {
        s.push_str(&format!("Où : {}\n", v.place));
        if let Some(d) = &v.e.directions {
            s.push_str(&format!("Comment venir : {d}\n"));
        }
    }
    s.push_str(&format!("Organisé par : {}\n", v.e.organiser));
    s
}

/// Writes the e-mail for `why` to the outbox, with a new personal link.
pub async fn send(
    conn: &mut AnyConnection,
    base_url: &str,
    event: &Event,
    r: &Registration,
    why: Why,
) -> Result<()> {
    let token = random_token();
    events::add_link(conn, r.id, &hash_token(&token), now()).await?;
    let link = format!("{base_url}/inscriptions/{token}");
    let v = EventView::new(event.clone(), now());
    let name = &r.name;
    let (subject, intro, with_link) = match why {
        Why::Confirmed => (
            format!("Inscription confirmée : {}", event.title),
            "Votre inscription est confirmée. Une place est réservée pour vous.".to_owned(),
            true,
        ),
        Why::Waiting { position } => (
            format!("Liste d’attente : {}", event.title),
            format!(
                "L’événement est complet. Vous êtes sur la liste d’attente, en position {position}.\n\
                 Si une place se libère, nous vous écrivons tout de suite."
            ),
            false,
        ),
        Why::SeatGiven => (
            format!("Une place pour vous : {}", event.title),
            "Bonne nouvelle : une place s’est libérée et elle est pour vous. Votre inscription est confirmée.".to_owned(),
            true,
        ),
        Why::SeatOffered => (
            format!("Une place vous attend : {}", event.title),
            format!(
                "Bonne nouvelle : une place s’est libérée. Elle est gardée pour vous jusqu’au {}.\n\
                 Pour la prendre, ouvrez le lien ci-dessous et appuyez sur « Je prends la place ».\n\
                 Après cette date, elle sera proposée à la personne suivante.",
                r.offer_expires_at.map(french_day_at).unwrap_or_default()
            ),
            false,
        ),
        Why::Reminder => (
            format!("Rappel : {} demain", event.title),
            "Nous vous rappelons l’événement où vous avez une place.".to_owned(),
            true,
        ),
        Why::Cancelled { seat_passed_on } => (
            format!("Inscription annulée : {}", event.title),
            format!(
                "Votre inscription est annulée.{}\n\
                 Vous pouvez vous inscrire à nouveau tant que les inscriptions sont ouvertes.",
                if seat_passed_on {
                    " Votre place est proposée à une personne de la liste d’attente."
                } else {
                    ""
                }
            ),
            false,
        ),
        Why::OfferExpired => (
            format!("Place non confirmée : {}", event.title),
            "La place qui vous était proposée n’a pas été confirmée à temps : elle est proposée à la personne suivante.\n\
             Vous pouvez vous inscrire à nouveau tant que les inscriptions sont ouvertes."
                .to_owned(),
            false,
        ),
    };
    let (needs, what_the_link_does) = match why {
        // The registration no longer stands: nothing to cancel.
        Why::Cancelled { .. } | Why::OfferExpired => (
            String::new(),
            format!("Pour voir votre inscription, ouvrez ce lien :\n{link}\n"),
        ),
        _ => (
            needs_lines(r),
            format!(
                "Pour voir votre inscription, ou l’annuler si vous ne pouvez pas venir, ouvrez ce lien :\n{link}\n\
                 Si vous n’avez rien demandé, ouvrez ce lien et annulez l’inscription.\n"
            ),
        ),
    };
    let body_text = format!(
        "Bonjour {name},\n\n{intro}\n\n{}\n{needs}{what_the_link_does}{SIGNATURE}",
        event_lines(&v, with_link)
    );
    // The calendar file goes with every message that confirms a seat.
    let attachment = with_link.then(|| Attachment {
        filename: format!("{}.ics", event.slug),
        content_type: epop_docs::ics::MEDIA_TYPE.into(),
        body: super::calendar_file(&event.title, std::slice::from_ref(event), base_url),
    });
    epop_store::outbox::enqueue(
        conn,
        &Message {
            recipient: r.email.clone(),
            subject,
            body_text,
            attachment,
        },
    )
    .await
}

/// A copy to the référent or coordinator who registered someone else.
pub fn copy_to_registrar(to: &str, registrar: &str, event: &Event, r: &Registration) -> Message {
    let v = EventView::new(event.clone(), now());
    Message {
        recipient: to.to_owned(),
        subject: format!("Vous avez inscrit {} : {}", r.name, event.title),
        body_text: format!(
            "Bonjour {registrar},\n\nVous avez inscrit {} ({}) à cet événement. État : {}.\n\
             Cette personne reçoit elle-même les messages et le lien pour annuler.\n\n{}{SIGNATURE}",
            r.name,
            r.email,
            r.status.label().to_lowercase(),
            event_lines(&v, false)
        ),
        attachment: None,
    }
}

/// A message the organiser writes to everyone registered.
pub fn from_organiser(event: &Event, r: &Registration, subject: &str, body: &str) -> Message {
    Message {
        recipient: r.email.clone(),
        subject: format!("{} – {subject}", event.title),
        body_text: format!(
            "Bonjour {},\n\nL’organisateur de l’événement « {} » ({}) vous écrit :\n\n{body}\n{SIGNATURE}",
            r.name, event.title, event.organiser
        ),
        attachment: None,
    }
}
