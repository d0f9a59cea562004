//! « Écrire à la coordination »: a public form that writes to the
//! coordination of a territory, an event or a training session
//! (`public`), and the coordination's inbox in the personal space, where
//! the conversations addressed to a coordinator are read and answered
//! (`inbox`). Whom a message reaches is the store's
//! [`epop_store::contact::resolve`]; no page and no e-mail to the visitor
//! ever names a coordinator or shows their address.

mod inbox;
mod mails;
mod public;

use axum::Router;
use epop_domain::territory::of_department;
use epop_store::contact::{Addressee, Target};

use crate::forms::Errors;
use crate::{AppState, Ctx};

pub fn router() -> Router<AppState> {
    public::router().merge(inbox::router())
}

/// The query parameters that name a target, in the order they are looked
/// for (`?departement=31`, `?region=76`, `?evenement=…`, `?formation=…`,
/// `?programme=…`).
const KINDS: [&str; 5] = [
    "departement",
    "region",
    "evenement",
    "formation",
    "programme",
];

/// The target the page's query names, if any.
fn target_of(ctx: &Ctx) -> Option<Target> {
    KINDS.iter().find_map(|kind| {
        ctx.query_param(kind)
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| Target::from_parts(kind, v.trim()))
    })
}

/// The query that names a target again (`departement=31`).
fn query_of(target: &Target) -> String {
    serde_urlencoded::to_string([(target.kind(), target.reference())]).unwrap_or_default()
}

/// Who reads a message sent to `a`, after « à » (« la coordination de la
/// Haute-Garonne », « la coordination nationale »): never a person's name.
fn readers(a: &Addressee) -> String {
    if a.national {
        return "la coordination nationale".into();
    }
    match (&a.target, &a.department) {
        (Target::Region(_), _) => format!("la coordination de la région {}", a.name),
        (Target::Event(_), _) if a.by_creator => {
            format!("la coordination qui organise l’événement « {} »", a.name)
        }
        (Target::Training(_), _) if a.by_creator => {
            format!("la coordination qui organise la formation « {} »", a.name)
        }
        (Target::Programme(_), _) => format!("la coordination du programme « {} »", a.name),
        (_, Some(d)) => format!("la coordination {}", of_department(&d.code, &d.name)),
        _ => "la coordination nationale".into(),
    }
}

/// What a conversation is about, in a few words (« département de la
/// Haute-Garonne », « événement « … » »).
fn about(target: Option<&Target>, name: &str) -> String {
    match target {
        Some(Target::Department(code)) => format!("département {}", of_department(code, name)),
        Some(Target::Region(_)) => format!("région {name}"),
        Some(Target::Event(_)) => format!("événement « {name} »"),
        Some(Target::Training(_)) => format!("formation « {name} »"),
        Some(Target::Programme(_)) => format!("programme « {name} »"),
        None => name.to_owned(),
    }
}

/// A message of a conversation as typed in a one-field form: its checked
/// text, or the problem beside the field `message`.
fn checked_message(typed: &str) -> Result<String, Errors> {
    epop_domain::contact::message(typed).map_err(|e| {
        let mut errors = Errors::default();
        errors.add("message", e.0);
        errors
    })
}
