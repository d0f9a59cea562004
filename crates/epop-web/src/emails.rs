//! The e-mails the web layer writes to the outbox, in plain French. Each
//! says who sends it and why, and what to do if it was not expected. The
//! e-mails a peer worker gets exist in easy-read French too ([`Words`]),
//! sent to whoever asked for them in « Réglages d’affichage ».

use epop_store::Conn;
use epop_store::outbox::Message;

use crate::AppError;

/// The words of an e-mail: the usual ones, or easy-read French (FALC) for
/// the people who asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Words {
    Usual,
    Easy,
}

impl Words {
    /// The words the person with this address asked for (the usual ones
    /// for an address without an account).
    pub async fn of(conn: &mut Conn, email: &str) -> Result<Words, AppError> {
        Ok(Words::easy_if(
            epop_store::accounts::wants_easy_read_emails(conn, email).await?,
        ))
    }

    /// The easy words when `easy`, else the usual ones.
    pub fn easy_if(easy: bool) -> Words {
        if easy { Words::Easy } else { Words::Usual }
    }
}

/// The end of the easy-read messages.
pub const EASY_FOOTER: &str = "\n--\nEPoP : le réseau des intervenants-pairs.\n\
Vous recevez ce message en facile à lire et à comprendre.\n\
Vous pouvez changer ce choix sur EPoP.\n\
Dans le menu, choisissez « Affichage ».\n";

/// The end of the easy-read messages sent to an address typed on a form.
const EASY_SIGNATURE: &str = "\n--\nEPoP : le réseau des intervenants-pairs.\n\
Quelqu’un a écrit votre adresse sur EPoP.\n\
C’est une erreur ? Alors oubliez ce message.\n\
Votre compte reste protégé.\n";

/// The end of every message that needs no other explanation.
pub const FOOTER: &str = "\n--\nEPoP – réseau des intervenants-pairs\n";

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été saisie sur la plateforme EPoP.\n\
Si vous n’avez rien demandé, ne faites rien : personne ne pourra se connecter sans ce message.\n";

pub fn sign_in_link(to: &str, name: &str, link: &str, words: Words) -> Message {
    if words == Words::Easy {
        return Message {
            recipient: to.to_owned(),
            subject: "Votre lien pour aller sur EPoP".into(),
            body_text: format!(
                "Bonjour {name},\n\n\
                 Vous voulez aller sur EPoP.\n\
                 Pour aller sur EPoP, ouvrez ce lien :\n{link}\n\n\
                 Le lien marche 1 seule fois.\n\
                 Le lien marche pendant 15 minutes.\n\
                 Après, demandez un nouveau lien.\n{EASY_SIGNATURE}"
            ),
            attachment: None,
        };
    }
    Message {
        recipient: to.to_owned(),
        subject: "Votre lien pour vous connecter à EPoP".into(),
        body_text: format!(
            "Bonjour {name},\n\n\
             Vous avez demandé à vous connecter à EPoP sans mot de passe.\n\n\
             Pour vous connecter, ouvrez ce lien :\n{link}\n\n\
             Ce lien marche une seule fois, pendant 15 minutes.\n\
             Après, vous pouvez demander un nouveau lien.\n{SIGNATURE}"
        ),
        attachment: None,
    }
}

pub fn password_reset(to: &str, name: &str, link: &str, words: Words) -> Message {
    if words == Words::Easy {
        return Message {
            recipient: to.to_owned(),
            subject: "Choisir un nouveau mot de passe pour EPoP".into(),
            body_text: format!(
                "Bonjour {name},\n\n\
                 Vous voulez un nouveau mot de passe pour EPoP.\n\
                 Pour choisir votre nouveau mot de passe, ouvrez ce lien :\n{link}\n\n\
                 Le lien marche 1 seule fois.\n\
                 Le lien marche pendant 1 heure.\n{EASY_SIGNATURE}"
            ),
            attachment: None,
        };
    }
    Message {
        recipient: to.to_owned(),
        subject: "Choisir un nouveau mot de passe EPoP".into(),
        body_text: format!(
            "Bonjour {name},\n\n\
             Vous avez demandé à changer votre mot de passe EPoP.\n\n\
             Pour choisir un nouveau mot de passe, ouvrez ce lien :\n{link}\n\n\
             Ce lien marche une seule fois, pendant 1 heure.\n{SIGNATURE}"
        ),
        attachment: None,
    }
}

pub fn invitation(
    to: &str,
    name: &str,
    inviter: &str,
    roles: &str,
    link: &str,
    words: Words,
) -> Message {
    if words == Words::Easy {
        return Message {
            recipient: to.to_owned(),
            subject: "Votre compte sur EPoP".into(),
            body_text: format!(
                "Bonjour {name},\n\n\
                 {inviter} a créé un compte pour vous sur EPoP.\n\
                 EPoP est le site du réseau des intervenants-pairs.\n\
                 Votre rôle : {roles}.\n\n\
                 Pour ouvrir votre compte, ouvrez ce lien :\n{link}\n\n\
                 Vous pouvez choisir un mot de passe.\n\
                 Vous pouvez aussi recevoir un lien par e-mail à chaque fois.\n\n\
                 Le lien marche 1 seule fois.\n\
                 Le lien marche pendant 7 jours.\n{EASY_FOOTER}"
            ),
            attachment: None,
        };
    }
    Message {
        recipient: to.to_owned(),
        subject: "Une invitation pour vous sur la plateforme EPoP".into(),
        body_text: format!(
            "Bonjour {name},\n\n\
             {inviter} vous a créé un compte sur EPoP, la plateforme du réseau des intervenants-pairs.\n\
             Votre rôle : {roles}.\n\n\
             Pour activer votre compte, ouvrez ce lien :\n{link}\n\n\
             Vous pourrez choisir un mot de passe, ou continuer sans mot de passe :\n\
             dans ce cas, nous vous enverrons un lien par e-mail à chaque connexion.\n\n\
             Ce lien marche une seule fois, pendant 7 jours.\n{SIGNATURE}"
        ),
        attachment: None,
    }
}
