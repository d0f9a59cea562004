//! The e-mails of « Écrire à la coordination », in plain French (the
//! answer in easy-read words to whoever asked for them): the
//! visitor's message to each coordinator (answered by replying: its
//! `Reply-To` is the visitor), the copy to the visitor, and the
//! coordination's answer. What the visitor receives never names a
//! coordinator nor gives their address: « la coordination ».

use epop_store::outbox::Message;

use crate::emails::{EASY_FOOTER, FOOTER, Words};

/// The visitor's message, as the e-mails quote it.
pub struct Written<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
    pub text: &'a str,
}

/// The end of the messages sent to an address typed in the form.
const VISITOR_SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été saisie dans le formulaire « Écrire à la coordination » d’EPoP.\n\
Si ce n’est pas vous, ne faites rien.\n";

fn message(to: &str, subject: String, body: String) -> Message {
    Message {
        recipient: to.to_owned(),
        subject,
        body_text: body,
        attachment: None,
    }
}

/// To one coordinator (`first`: a new conversation, else a follow-up):
/// what the visitor wrote, about what, and where to answer.
pub fn to_coordination(
    to: &str,
    coordinator: &str,
    about: &str,
    w: &Written<'_>,
    link: &str,
    first: bool,
) -> Message {
    let phone = w
        .phone
        .map(|p| format!("Téléphone : {p}\n"))
        .unwrap_or_default();
    let (subject, said) = if first {
        (
            format!("Message pour la coordination : {about}"),
            "vous écrit",
        )
    } else {
        (
            format!("Nouveau message pour la coordination : {about}"),
            "vous écrit à nouveau",
        )
    };
    message(
        to,
        subject,
        format!(
            "Bonjour {coordinator},\n\n\
             {name} {said} depuis le formulaire « Écrire à la coordination » d’EPoP ({about}) :\n\n\
             {text}\n\n\
             Nom : {name}\nAdresse e-mail : {email}\n{phone}\n\
             Pour répondre, répondez simplement à cet e-mail : votre réponse ira à {name}.\n\
             Vous pouvez aussi répondre depuis la plateforme, où la conversation est gardée :\n{link}\n\n\
             Ce message peut parler de santé : ne le transférez qu’aux personnes qui en ont besoin.\n{FOOTER}",
            name = w.name,
            email = w.email,
            text = w.text,
        ),
    )
}

/// The copy to the visitor, with their text and the link to write again.
pub fn copy_to_sender(to: &str, name: &str, who: &str, text: &str, link: &str) -> Message {
    message(
        to,
        "Votre message a bien été envoyé".into(),
        format!(
            "Bonjour {name},\n\n\
             Votre message a bien été envoyé à {who}.\n\
             La coordination vous répondra par e-mail.\n\n\
             Votre message :\n\n{text}\n\n\
             Pour écrire à nouveau dans la même conversation, ouvrez ce lien :\n{link}\n{VISITOR_SIGNATURE}"
        ),
    )
}

/// The coordination's answer to the visitor, from the platform.
pub fn answer(to: &str, name: &str, about: &str, text: &str, link: &str, words: Words) -> Message {
    if words == Words::Easy {
        return message(
            to,
            "La coordination vous répond".into(),
            format!(
                "Bonjour {name},\n\n\
                 Vous avez écrit à la coordination d’EPoP.\n\
                 C’était à propos de : {about}.\n\
                 La coordination vous répond :\n\n{text}\n\n\
                 Vous voulez répondre ?\n\
                 Alors ouvrez ce lien et écrivez votre message :\n{link}\n\n\
                 Pour répondre, utilisez seulement ce lien.\n{EASY_FOOTER}"
            ),
        );
    }
    message(
        to,
        "Réponse de la coordination EPoP".into(),
        format!(
            "Bonjour {name},\n\n\
             La coordination répond à votre message ({about}) :\n\n{text}\n\n\
             Pour lui répondre, ouvrez ce lien et écrivez votre message :\n{link}\n\n\
             Ne répondez pas à cet e-mail : cette adresse ne lit pas les réponses.\n{VISITOR_SIGNATURE}"
        ),
    )
}
