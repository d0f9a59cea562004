//! The newsletter's e-mails: the confirmation of a subscription (double
//! opt-in) and a digest, ordinary or easy-read, with its visible
//! unsubscribe link.

use epop_store::outbox::Message;

use crate::emails::FOOTER;

pub fn confirm(to: &str, link: &str) -> Message {
    Message {
        recipient: to.to_owned(),
        subject: "Confirmez votre abonnement à la lettre d’EPoP".into(),
        body_text: format!(
            "Bonjour,\n\n\
             Quelqu’un, sans doute vous, a demandé à recevoir chaque mois la lettre d’information\n\
             d’EPoP, le réseau des intervenants-pairs, à cette adresse.\n\n\
             Pour confirmer, ouvrez ce lien :\n{link}\n\n\
             Si vous n’avez rien demandé, ne faites rien : vous ne recevrez rien,\n\
             et votre adresse sera effacée dans quelques jours.\n{FOOTER}"
        ),
        attachment: None,
    }
}

/// A digest to one subscriber, with the link to unsubscribe in one click.
pub fn digest(to: &str, subject: &str, body: &str, easy: bool, unsubscribe: &str) -> Message {
    let end = if easy {
        format!(
            "\n\nVous ne voulez plus recevoir cette lettre ?\nOuvrez ce lien :\n{unsubscribe}\n"
        )
    } else {
        format!(
            "\n\nVous recevez cette lettre parce que vous vous y êtes abonné.\n\
             Pour vous désabonner : {unsubscribe}\n"
        )
    };
    Message {
        recipient: to.to_owned(),
        subject: subject.to_owned(),
        body_text: format!("{body}{end}{FOOTER}"),
        attachment: None,
    }
}
