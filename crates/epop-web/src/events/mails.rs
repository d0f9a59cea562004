//! The e-mails about a registration, in plain French: what happened, the
//! event (what, when, where), the needs the person asked for, the personal
//! link to see (or, while it stands, cancel) the registration, and the
//! calendar file when the person has a seat. Each message carries a new
//! personal link (see `epop_store::events::add_link`). In easy-read French
//! when the registration asked for easy-read documents or the person's
//! account asked for easy-read e-mails.

use epop_store::Conn as AnyConnection;
use epop_store::events::{Event, Registration};
use epop_store::outbox::{Attachment, Message};
use epop_store::{Result, events, now};

use super::EventView;
use crate::emails::{EASY_FOOTER, Words};
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

/// The words of the registration's e-mails: easy-read when the person
/// asked for easy-read documents, or asked for easy-read e-mails.
async fn words_for(conn: &mut AnyConnection, r: &Registration) -> Result<Words> {
    if r.needs.contains(&epop_domain::event::Need::EasyRead)
        || epop_store::accounts::wants_easy_read_emails(conn, &r.email).await?
    {
        Ok(Words::Easy)
    } else {
        Ok(Words::Usual)
    }
}

/// The event in easy-read words: what, when, where, who organises it.
fn easy_event_lines(v: &EventView, with_link: bool) -> String {
    let mut s = format!(
        "L’événement : {}.\n{}",
        v.e.title,
        crate::french::easy_when(v.e.starts_at, v.e.ends_at)
    );
    if v.e.online {
        match (&v.e.online_link, with_link) {
            (Some(link), true) => s.push_str(&format!(
                "Où : sur internet.\nLe jour de l’événement, ouvrez ce lien :\n{link}\n"
            )),
            _ => s.push_str("Où : sur internet.\nVous recevez le lien avec votre place.\n"),
        }
    } else {
        s.push_str(&format!("Où : {}.\n", v.place));
        if let Some(d) = &v.e.directions {
            s.push_str(&format!("Pour venir : {d}\n"));
        }
    }
    s.push_str(&format!("Qui organise : {}.\n", v.e.organiser));
    s
}

/// The subject and the first lines of an easy-read message.
fn easy_intro(why: Why, event: &Event, r: &Registration) -> (String, String) {
    let title = &event.title;
    match why {
        Why::Confirmed => (
            format!("Vous avez une place : {title}"),
            "Merci pour votre inscription.\nVous avez une place.".to_owned(),
        ),
        Why::Waiting { position } => (
            format!("Vous êtes sur la liste d’attente : {title}"),
            format!(
                "Toutes les places sont prises.\nVous êtes sur la liste d’attente.\n\
                 Votre numéro sur la liste : {position}.\nUne place se libère ? Alors nous vous écrivons."
            ),
        ),
        Why::SeatGiven => (
            format!("Une place pour vous : {title}"),
            "Bonne nouvelle !\nUne place est libre.\nCette place est pour vous.".to_owned(),
        ),
        Why::SeatOffered => (
            format!("Une place vous attend : {title}"),
            format!(
                "Bonne nouvelle !\nUne place est libre.\nNous gardons cette place pour vous jusqu’au {}.\n\
                 Pour prendre la place, ouvrez le lien plus bas.\nAppuyez sur « Je prends la place ».",
                r.offer_expires_at.map(french_day_at).unwrap_or_default()
            ),
        ),
        Why::Reminder => (
            format!("C’est demain : {title}"),
            "L’événement est demain.\nVous avez une place.".to_owned(),
        ),
        Why::Cancelled { seat_passed_on } => (
            format!("Votre inscription est annulée : {title}"),
            format!(
                "Vous avez annulé votre inscription.{}\n\
                 Vous pouvez vous inscrire encore, si les inscriptions sont ouvertes.",
                if seat_passed_on {
                    "\nUne autre personne peut prendre votre place."
                } else {
                    ""
                }
            ),
        ),
        Why::OfferExpired => (
            format!("La place est partie : {title}"),
            "Nous avons gardé une place pour vous.\nLe temps pour prendre la place est fini.\n\
             Une autre personne peut prendre cette place.\n\
             Vous pouvez vous inscrire encore, si les inscriptions sont ouvertes."
                .to_owned(),
        ),
    }
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
    // The calendar file and the online link go with every message that
    // confirms a seat.
    let with_link = matches!(why, Why::Confirmed | Why::SeatGiven | Why::Reminder);
    let (subject, body_text) = if words_for(conn, r).await? == Words::Easy {
        let (subject, intro) = easy_intro(why, event, r);
        let link_lines = match why {
            Why::Cancelled { .. } | Why::OfferExpired => {
                format!("Pour voir votre inscription, ouvrez ce lien :\n{link}\n")
            }
            _ => format!(
                "{}Pour voir votre inscription, ouvrez ce lien :\n{link}\n\
                 Vous avez un empêchement ? Sur cette page, vous pouvez annuler.\n\
                 C’est une erreur ? Alors ouvrez ce lien et annulez.\n",
                if needs_lines(r).is_empty() {
                    ""
                } else {
                    "Vous avez écrit vos besoins pour participer.\n\
                     L’organisateur connaît vos besoins.\n\n"
                }
            ),
        };
        (
            subject,
            format!(
                "Bonjour {name},\n\n{intro}\n\n{}\n{link_lines}{EASY_FOOTER}",
                easy_event_lines(&v, with_link)
            ),
        )
    } else {
        usual(why, event, r, &v, &link, with_link)
    };
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

/// The subject and body of a registration's message in the usual words.
fn usual(
    why: Why,
    event: &Event,
    r: &Registration,
    v: &EventView,
    link: &str,
    with_link: bool,
) -> (String, String) {
    let name = &r.name;
    let (subject, intro) = match why {
        Why::Confirmed => (
            format!("Inscription confirmée : {}", event.title),
            "Votre inscription est confirmée. Une place est réservée pour vous.".to_owned(),
        ),
        Why::Waiting { position } => (
            format!("Liste d’attente : {}", event.title),
            format!(
                "L’événement est complet. Vous êtes sur la liste d’attente, en position {position}.\n\
                 Si une place se libère, nous vous écrivons tout de suite."
            ),
        ),
        Why::SeatGiven => (
            format!("Une place pour vous : {}", event.title),
            "Bonne nouvelle : une place s’est libérée et elle est pour vous. Votre inscription est confirmée.".to_owned(),
        ),
        Why::SeatOffered => (
            format!("Une place vous attend : {}", event.title),
            format!(
                "Bonne nouvelle : une place s’est libérée. Elle est gardée pour vous jusqu’au {}.\n\
                 Pour la prendre, ouvrez le lien ci-dessous et appuyez sur « Je prends la place ».\n\
                 Après cette date, elle sera proposée à la personne suivante.",
                r.offer_expires_at.map(french_day_at).unwrap_or_default()
            ),
        ),
        Why::Reminder => (
            format!("Rappel : {} demain", event.title),
            "Nous vous rappelons l’événement où vous avez une place.".to_owned(),
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
        ),
        Why::OfferExpired => (
            format!("Place non confirmée : {}", event.title),
            "La place qui vous était proposée n’a pas été confirmée à temps : elle est proposée à la personne suivante.\n\
             Vous pouvez vous inscrire à nouveau tant que les inscriptions sont ouvertes."
                .to_owned(),
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
        event_lines(v, with_link)
    );
    (subject, body_text)
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

/// What the organiser sends to everyone registered.
#[derive(Clone, Copy)]
pub enum FromOrganiser<'a> {
    /// A message they wrote, with its subject.
    Message { subject: &'a str, body: &'a str },
    /// The whole event is cancelled, for this reason.
    Cancelled { reason: &'a str },
}

/// The organiser's message to a registered person, in the words of the
/// registration (what the organiser typed stays as typed).
pub async fn from_organiser(
    conn: &mut AnyConnection,
    event: &Event,
    r: &Registration,
    what: FromOrganiser<'_>,
) -> Result<Message> {
    let (title, organiser, name) = (&event.title, &event.organiser, &r.name);
    let (subject, body_text) = if words_for(conn, r).await? == Words::Easy {
        let v = EventView::new(event.clone(), now());
        let (subject, text) = match what {
            FromOrganiser::Message { subject, body } => (
                format!("Message de l’organisateur : {subject}"),
                format!(
                    "Vous avez une inscription à un événement.\n\
                     {organiser} organise cet événement.\n\
                     {organiser} vous envoie ce message :\n\n{body}"
                ),
            ),
            FromOrganiser::Cancelled { reason } => (
                format!("Événement annulé : {title}"),
                format!(
                    "{organiser} annule l’événement.\nLa raison : {reason}\nNous sommes désolés.\n\
                     Vous pouvez enlever l’événement de votre agenda."
                ),
            ),
        };
        let lines = easy_event_lines(&v, false);
        (
            subject,
            format!("Bonjour {name},\n\n{text}\n\n{lines}{EASY_FOOTER}"),
        )
    } else {
        let (subject, body) = match what {
            FromOrganiser::Message { subject, body } => (subject.to_owned(), body.to_owned()),
            FromOrganiser::Cancelled { reason } => (
                "événement annulé".to_owned(),
                format!(
                    "L’événement est annulé. La raison : {reason}\n\
                     Nous sommes désolés. Vous n’avez rien à faire."
                ),
            ),
        };
        (
            format!("{title} – {subject}"),
            format!(
                "Bonjour {name},\n\nL’organisateur de l’événement « {title} » ({organiser}) \
                 vous écrit :\n\n{body}\n{SIGNATURE}"
            ),
        )
    };
    Ok(Message {
        recipient: r.email.clone(),
        subject,
        body_text,
        attachment: None,
    })
}
