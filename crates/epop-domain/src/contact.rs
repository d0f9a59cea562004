//! « Écrire à la coordination »: the form a visitor fills in to write to the
//! coordinators of a territory, an event's organiser or a training
//! session's coordinator, without an account.

use crate::event::parse_phone;
use crate::text::{Problems, paragraph, required, take};
use crate::{Email, Invalid};

/// The longest message accepted, in characters.
pub const MAX_MESSAGE: usize = 5000;

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub message: String,
}

/// A checked message to the coordination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContact {
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub message: String,
}

impl ContactForm {
    /// Checks every field; the problems come in the order of the form.
    pub fn validate(&self) -> Result<NewContact, Problems> {
        let mut problems = Vec::new();
        let name = take(
            &mut problems,
            "name",
            required(&self.name, "votre nom", 120),
        );
        let email = take(&mut problems, "email", Email::parse(&self.email));
        let phone = take(&mut problems, "phone", parse_phone(&self.phone)).flatten();
        let message = take(&mut problems, "message", message(&self.message));
        match (name, email, message) {
            (Some(name), Some(email), Some(message)) if problems.is_empty() => Ok(NewContact {
                name,
                email,
                phone,
                message,
            }),
            _ => Err(problems),
        }
    }
}

/// A message of a conversation (the first one, a follow-up, a reply).
pub fn message(input: &str) -> Result<String, Invalid> {
    paragraph(input, "votre message", MAX_MESSAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_form_is_accepted_and_the_phone_is_optional() {
        let f = ContactForm {
            name: " Léa Martin ".into(),
            email: "lea@exemple.fr".into(),
            phone: String::new(),
            message: "Bonjour,\nje voudrais devenir intervenante-paire.".into(),
        };
        let c = f.validate().unwrap();
        assert_eq!(c.name, "Léa Martin");
        assert_eq!(c.phone, None);
        assert!(c.message.contains('\n'));
    }

    #[test]
    fn each_missing_field_is_named() {
        let f = ContactForm {
            phone: "12".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = f.validate().unwrap_err().iter().map(|p| p.0).collect();
        assert_eq!(fields, ["name", "email", "phone", "message"]);
    }
}
