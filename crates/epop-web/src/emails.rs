//! The e-mails the web layer writes to the outbox, in plain French. Each
//! says who sends it and why, and what to do if it was not expected.

use epop_store::outbox::Message;

/// The end of every message that needs no other explanation.
pub const FOOTER: &str = "\n--\nEPoP – réseau des intervenants-pairs\n";

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été saisie sur la plateforme EPoP.\n\
Si vous n’avez rien demandé, ne faites rien : personne ne pourra se connecter sans ce message.\n";

pub fn sign_in_link(to: &str, name: &str, link: &str) -> Message {
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

pub fn password_reset(to: &str, name: &str, link: &str) -> Message {
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

pub fn invitation(to: &str, name: &str, inviter: &str, roles: &str, link: &str) -> Message {
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
