//! The newsletter's e-mails: the confirmation of a subscription (double
//! opt-in) and a digest, each ordinary or easy-read, the digest with its
//! visible unsubscribe link.

use epop_store::outbox::Message;

use crate::emails::FOOTER;

/// The link that confirms a subscription, in the words of the letter the
/// person chose (easy-read for the easy-read letter).
pub fn confirm(to: &str, link: &str, easy: bool) -> Message {
    let (subject, body_text) = if easy {
        (
            "Vous voulez recevoir la lettre d’EPoP ?",
            format!(
                "Bonjour,\n\n\
                 Vous avez demandé la lettre d’EPoP en facile à lire.\n\
                 La lettre arrive une fois par mois, par e-mail.\n\
                 Elle donne les nouvelles du réseau des intervenants-pairs.\n\n\
                 Pour recevoir la lettre, ouvrez ce lien :\n{link}\n\n\
                 Vous avez fait cette demande par erreur ?\n\
                 Alors ignorez ce message.\n\
                 Nous effaçons votre adresse dans quelques jours.\n{FOOTER}"
            ),
        )
    } else {
        (
            "Confirmez votre abonnement à la lettre d’EPoP",
            format!(
                "Bonjour,\n\n\
                 Quelqu’un, sans doute vous, a demandé à recevoir chaque mois la lettre d’information\n\
                 d’EPoP, le réseau des intervenants-pairs, à cette adresse.\n\n\
                 Pour confirmer, ouvrez ce lien :\n{link}\n\n\
                 Si vous n’avez rien demandé, ne faites rien : vous ne recevrez rien,\n\
                 et votre adresse sera effacée dans quelques jours.\n{FOOTER}"
            ),
        )
    };
    Message {
        recipient: to.to_owned(),
        subject: subject.into(),
        body_text,
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
