//! The e-mails of intervention requests, in plain French: one function per
//! message, taking what it speaks of and returning its subject and body
//! ([`Mail`]); the handlers write them to the outbox, to whom they choose.

use epop_domain::lifecycle::State as Stage;
use epop_domain::request::{NewRequest, format_euros};
use epop_store::outbox::{Attachment, Message};
use epop_store::proposals::Proposal;

use crate::emails::{EASY_FOOTER, FOOTER, Words};
use crate::french::french_day_at;

use super::proposals::Offer;

/// A message's subject and body, before it has a recipient.
pub struct Mail {
    pub subject: String,
    pub body: String,
}

impl Mail {
    /// The message for `recipient`.
    pub fn to(self, recipient: impl Into<String>) -> Message {
        Message {
            recipient: recipient.into(),
            subject: self.subject,
            body_text: self.body,
            attachment: None,
        }
    }

    /// The message for `recipient`, with a file.
    pub fn with_file_to(self, recipient: impl Into<String>, attachment: Attachment) -> Message {
        Message {
            attachment: Some(attachment),
            ..self.to(recipient)
        }
    }
}

/// The end of the messages sent to an address typed in the request form,
/// before any account exists.
const INTAKE_SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été saisie pour demander une intervention sur EPoP.\n\
Si ce n’est pas vous, ne faites rien : rien ne sera envoyé.\n";

fn intake(subject: &str, body: String) -> Mail {
    Mail {
        subject: subject.to_owned(),
        body: format!("{body}\n{INTAKE_SIGNATURE}"),
    }
}

/// To the address typed by someone without an account: confirm it to send
/// the request.
pub fn confirm_address(base: &str, token: &str, contact_name: &str, subject: &str) -> Mail {
    intake(
        "Confirmez votre demande d’intervention",
        format!(
            "Bonjour {contact_name},\n\nPour envoyer votre demande « {subject} » à la coordination, confirmez votre adresse e-mail :\n\
             {base}/demander-une-intervention/confirmer/{token}\n\n\
             Votre compte EPoP sera créé à ce moment-là."
        ),
    )
}

/// The link to finish a draft.
pub fn draft_saved(base: &str, token: &str) -> Mail {
    intake(
        "Votre demande d’intervention (brouillon)",
        format!(
            "Bonjour,\n\nVotre demande d’intervention est enregistrée comme brouillon.\n\
             Pour la terminer et l’envoyer, ouvrez ce lien :\n{base}/demander-une-intervention/reprendre/{token}\n\n\
             Le brouillon n’est pas encore envoyé à la coordination."
        ),
    )
}

/// The address is confirmed: the request is sent.
pub fn request_sent(base: &str, contact_name: &str, subject: &str) -> Mail {
    intake(
        "Votre demande d’intervention est envoyée",
        format!(
            "Bonjour {contact_name},\n\nVotre demande « {subject} » est envoyée à la coordination de votre territoire.\n\
             Elle vous répond par e-mail, et vous pouvez suivre votre demande sur EPoP.\n\n\
             Pour vous connecter sans mot de passe, demandez un lien ici :\n{base}/connexion/lien\n"
        ),
    )
}

/// To a coordinator of the département: a new request (`to_check`: the
/// requester named an organisation they are not a member of).
pub fn new_request(
    base: &str,
    name: &str,
    v: &NewRequest,
    request_id: &str,
    to_check: bool,
) -> Mail {
    let fee = v
        .fee_cents
        .map(format_euros)
        .unwrap_or_else(|| "à discuter".into());
    let check = if to_check {
        format!(
            "\nOrganisation à vérifier : {} n’est pas membre de « {} ». Sur la page de la demande, \
             vous pouvez rattacher cette personne à l’organisation après avoir vérifié.\n",
            v.contact_name, v.organisation.name
        )
    } else {
        String::new()
    };
    Mail {
        subject: format!("Nouvelle demande d’intervention : {}", v.subject),
        body: format!(
            "Bonjour {name},\n\n{} ({}) demande une intervention dans votre territoire.\n\n\
             Type : {}\nSujet : {}\nPour : {} ({} personnes)\nRémunération proposée : {fee}\n{check}\n\
             Pour lire la demande et proposer des intervenants-pairs :\n{base}/admin/demandes/{request_id}\n\
             {FOOTER}",
            v.organisation.name,
            v.contact_name,
            v.kind.label(),
            v.subject,
            v.audience,
            v.audience_size,
        ),
    }
}

/// To a coordinator: a peer left a proposal unanswered past its deadline.
pub fn proposal_expired(
    base: &str,
    name: &str,
    peer_name: &str,
    subject: &str,
    request_id: &str,
) -> Mail {
    Mail {
        subject: format!("Sans réponse : {subject}"),
        body: format!(
            "Bonjour {name},\n\n{peer_name} n’a pas répondu à temps à la proposition « {subject} ».\n\
             Vous pouvez la proposer à d’autres intervenants-pairs :\n{base}/admin/demandes/{request_id}\n{FOOTER}"
        ),
    }
}

/// To a peer: the coordination proposes an intervention (what the peer
/// may read of it: `o`).
pub fn proposed(base: &str, p: &Proposal, o: &Offer, words: Words) -> Mail {
    let link = format!("{base}/espace/propositions/{}", p.public_id);
    if words == Words::Easy {
        return Mail {
            subject: format!("Une intervention pour vous : {}", o.subject),
            body: format!(
                "Bonjour {},\n\nLa coordination vous propose une intervention.\n\n\
                 Ce que vous allez faire : {}\nLe sujet : {}\nPour qui : {}, {} personnes\n\
                 Quand : {}\nCombien de temps : {}\nOù : {}\nL’argent pour vous : {}\n\n\
                 Vous pouvez dire oui ou non.\nRépondez avant le {}.\n\
                 Pour répondre, ouvrez ce lien :\n{link}\n\
                 Sur cette page, vous pouvez aussi poser une question.\n{EASY_FOOTER}",
                p.peer_name,
                o.kind,
                o.subject,
                o.audience,
                o.size,
                o.when,
                o.duration,
                // « Toulouse, Haute-Garonne »: no brackets in easy-read.
                o.place.replace(" (", ", ").replace(')', ""),
                // Without the organisation's offer in brackets: the
                // coordination settles the amount.
                o.fee.split(" (").next().unwrap_or_default(),
                french_day_at(p.deadline),
            ),
        };
    }
    Mail {
        subject: format!("Une proposition d’intervention pour vous : {}", o.subject),
        body: format!(
            "Bonjour {},\n\nLa coordination vous propose une intervention.\n\n\
             Quoi : {}\nCe que l’organisation a écrit : « {} »\nPour qui : {} ({} personnes)\n\
             Quand : {}, {}\nOù : {}\nL’argent pour vous : {}\n\n\
             Vous pouvez dire oui ou non avant le {}.\n\
             Pour lire la proposition et répondre, ouvrez ce lien :\n{link}\n{FOOTER}",
            p.peer_name,
            o.kind,
            o.subject,
            o.audience,
            o.size,
            o.when,
            o.duration,
            o.place,
            o.fee,
            french_day_at(p.deadline),
        ),
    }
}

/// To the other peers asked, once one has accepted.
pub fn no_longer_available(peer_name: &str, subject: &str, words: Words) -> Mail {
    if words == Words::Easy {
        return Mail {
            subject: format!("Une autre personne fait cette intervention : {subject}"),
            body: format!(
                "Bonjour {peer_name},\n\nUne autre personne a dit oui pour cette intervention.\n\
                 Vous pouvez oublier cette proposition.\nMerci d’avoir regardé !\n{EASY_FOOTER}"
            ),
        };
    }
    Mail {
        subject: format!("La proposition n’est plus disponible : {subject}"),
        body: format!(
            "Bonjour {peer_name},\n\nUne autre personne a déjà accepté cette intervention.\n\
             Vous n’avez rien à faire. Merci d’avoir regardé !\n{FOOTER}"
        ),
    }
}

/// To the requester: a peer accepted their request.
pub fn peer_accepted(name: &str, subject: &str) -> Mail {
    Mail {
        subject: format!("Un intervenant-pair a accepté : {subject}"),
        body: format!(
            "Bonjour {name},\n\nUn intervenant-pair a accepté votre demande « {subject} ».\n\
             La coordination vous écrit pour préparer l’intervention avec vous.\n{FOOTER}"
        ),
    }
}

/// To a coordinator: a peer's answer, with their reason if they gave one.
pub fn answered(
    base: &str,
    name: &str,
    peer_name: &str,
    accept: bool,
    reason: Option<&str>,
    subject: &str,
    request_id: &str,
) -> Mail {
    let verb = if accept { "accepte" } else { "refuse" };
    Mail {
        subject: format!("{peer_name} {verb} la proposition : {subject}"),
        body: format!(
            "Bonjour {name},\n\n{peer_name} {verb} la proposition « {subject} ».{}\n\n{base}/admin/demandes/{request_id}\n{FOOTER}",
            reason
                .map(|r| format!("\nSa raison : {r}"))
                .unwrap_or_default(),
        ),
    }
}

/// To a coordinator: a peer's question about a proposal.
pub fn question(
    base: &str,
    name: &str,
    p: &Proposal,
    subject: &str,
    text: &str,
    request_id: &str,
) -> Mail {
    Mail {
        subject: format!(
            "Question {} : {subject}",
            crate::french::elided("de", &p.peer_name)
        ),
        body: format!(
            "Bonjour {name},\n\n{} a une question sur la proposition « {subject} » :\n\n{text}\n\n\
             Répondez-lui à {} ; la demande : {base}/admin/demandes/{request_id}\n{FOOTER}",
            p.peer_name, p.peer_email
        ),
    }
}

/// A message written on the request's thread, with the link to answer.
pub fn thread_message(
    name: &str,
    writer: &str,
    subject: &str,
    text: &str,
    link: &str,
    words: Words,
) -> Mail {
    if words == Words::Easy {
        return Mail {
            subject: format!("Un message pour vous : {subject}"),
            body: format!(
                "Bonjour {name},\n\n{writer} vous écrit un message.\n\
                 Le message parle de l’intervention « {subject} ».\n\n\
                 Voici le message :\n\n{text}\n\n\
                 Pour répondre, ouvrez ce lien :\n{link}\n{EASY_FOOTER}"
            ),
        };
    }
    Mail {
        subject: format!("Nouveau message sur la demande : {subject}"),
        body: format!(
            "Bonjour {name},\n\n{writer} vous écrit à propos de la demande « {subject} » :\n\n{text}\n\n\
             Pour répondre : {link}\n{FOOTER}"
        ),
    }
}

/// To the host's référent, once named: the readiness checklist to fill.
pub fn referent_named(base: &str, name: &str, subject: &str, request_id: &str) -> Mail {
    Mail {
        subject: format!("Vous accueillez un intervenant-pair : {subject}"),
        body: format!(
            "Bonjour {name},\n\nVous êtes la personne référente de l’intervention « {subject} ».\n\
             Pour bien accueillir l’intervenant-pair, remplissez la liste de préparation :\n{base}/espace/accueil/{request_id}\n{FOOTER}"
        ),
    }
}

/// What the people concerned are told when the request is studied, closed
/// or cancelled (with its reason); nothing for the other changes.
pub fn status_text(to: Stage, reason: Option<&str>, words: Words) -> Option<String> {
    if words == Words::Easy {
        return Some(match to {
            Stage::Qualified => "La coordination lit votre demande.\n\
                La coordination cherche des intervenants-pairs pour vous.\n\
                La coordination vous écrit bientôt."
                .to_owned(),
            Stage::Closed => "La coordination a fermé votre demande.\n\
                Merci d’avoir demandé une intervention !"
                .to_owned(),
            Stage::Cancelled => format!(
                "La coordination a annulé l’intervention.\nLa raison : {}",
                reason.unwrap_or_default()
            ),
            _ => return None,
        });
    }
    Some(match to {
        Stage::Qualified => "La coordination étudie votre demande. Elle cherche les intervenants-pairs qui conviennent et vous écrit.".to_owned(),
        Stage::Closed => "Votre demande est terminée. Merci d’avoir fait appel au réseau !".to_owned(),
        Stage::Cancelled => format!("La demande est annulée. La raison : {}", reason.unwrap_or_default()),
        _ => return None,
    })
}

/// The request changed state (`status`: the new state, as read); `text`
/// from [`status_text`]; `link`: the person's page of the request.
pub fn status_changed(
    base: &str,
    name: &str,
    status: &str,
    subject: &str,
    text: &str,
    link: &str,
    words: Words,
) -> Mail {
    if words == Words::Easy {
        return Mail {
            subject: format!("Des nouvelles de la demande : {subject}"),
            body: format!(
                "Bonjour {name},\n\n{text}\n\nLa demande : « {subject} ».\n\
                 Pour voir la demande, ouvrez ce lien :\n{base}{link}\n{EASY_FOOTER}"
            ),
        };
    }
    Mail {
        subject: format!("{status} : {subject}"),
        body: format!(
            "Bonjour {name},\n\n{text}\n\nDemande : « {subject} »\nPour la lire : {base}{link}\n{FOOTER}"
        ),
    }
}

/// The intervention is scheduled (`link`: the person's page of it); the
/// calendar file goes with it.
pub fn scheduled(
    base: &str,
    name: &str,
    subject: &str,
    (starts, ends): (i64, i64),
    place: &str,
    link: &str,
    words: Words,
) -> Mail {
    if words == Words::Easy {
        return Mail {
            subject: format!("La date de l’intervention : {subject}"),
            body: format!(
                "Bonjour {name},\n\nL’intervention « {subject} » a une date.\n\n{}Où : {place}.\n\n\
                 Avec le fichier joint, l’intervention va dans votre agenda.\n\
                 Pour voir l’intervention, ouvrez ce lien :\n{base}{link}\n{EASY_FOOTER}",
                crate::french::easy_when(starts, ends)
            ),
        };
    }
    let when = crate::french::french_when(starts, ends);
    Mail {
        subject: format!("Intervention programmée : {subject}"),
        body: format!(
            "Bonjour {name},\n\nL’intervention « {subject} » est programmée :\n{when} (heure de Paris)\nOù : {place}\n\n\
             Le fichier joint l’ajoute à votre agenda.\nPour la retrouver : {base}{link}\n{FOOTER}"
        ),
    }
}

/// The intervention is done: the feedback to give, and for the peer
/// (`peer`) the attestation.
pub fn done(base: &str, name: &str, subject: &str, link: &str, peer: bool, words: Words) -> Mail {
    if words == Words::Easy {
        return Mail {
            subject: format!("Merci pour l’intervention : {subject}"),
            body: format!(
                "Bonjour {name},\n\nL’intervention « {subject} » a eu lieu.\nMerci !\n\n\
                 Dites-nous comment l’intervention s’est passée.\n\
                 Il y a 3 questions.\nCela prend 1 minute.\n\
                 Pour répondre, ouvrez ce lien :\n{base}{link}/avis\n{}{EASY_FOOTER}",
                if peer {
                    format!(
                        "\nVotre attestation est prête.\n\
                         L’attestation dit que vous avez fait l’intervention.\n\
                         Pour voir l’attestation, ouvrez ce lien :\n{base}{link}/attestation.pdf\n"
                    )
                } else {
                    String::new()
                }
            ),
        };
    }
    Mail {
        subject: format!("Merci ! Votre avis sur l’intervention : {subject}"),
        body: format!(
            "Bonjour {name},\n\nL’intervention « {subject} » est faite. Merci !\n\n\
             Dites-nous comment elle s’est passée : 3 questions, 1 minute.\n{base}{link}/avis\n{}{FOOTER}",
            if peer {
                format!(
                    "\nVotre attestation d’intervention, en {} :\n{base}{link}/attestation.pdf\n",
                    crate::french::spelled_out("PDF")
                )
            } else {
                String::new()
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use epop_domain::easy_read::{Kind, flags};

    /// The writing aid's flags on a message's own sentences (not its links;
    /// the platform's name is a name).
    fn flagged(m: &Mail) -> Vec<String> {
        let text: Vec<&str> = m.body.lines().filter(|l| !l.contains("://")).collect();
        flags(&format!("{}\n{}", m.subject, text.join("\n")))
            .into_iter()
            .filter(|f| !(f.kind == Kind::Acronym && f.words == "EPoP"))
            .map(|f| f.message)
            .collect()
    }

    #[test]
    fn the_easy_read_messages_to_a_peer_pass_the_writing_aid_and_differ_from_the_usual() {
        let base = "https://epop.exemple.fr";
        let link = "/espace/propositions/abc";
        let pairs = [
            (
                no_longer_available("Awa", "Former une équipe", Words::Easy),
                no_longer_available("Awa", "Former une équipe", Words::Usual),
            ),
            (
                thread_message(
                    "Awa",
                    "Léa",
                    "Former une équipe",
                    "Bonjour, à jeudi.",
                    link,
                    Words::Easy,
                ),
                thread_message(
                    "Awa",
                    "Léa",
                    "Former une équipe",
                    "Bonjour, à jeudi.",
                    link,
                    Words::Usual,
                ),
            ),
            (
                scheduled(
                    base,
                    "Awa",
                    "Former une équipe",
                    (1_804_330_800, 1_804_341_600),
                    "Toulouse",
                    link,
                    Words::Easy,
                ),
                scheduled(
                    base,
                    "Awa",
                    "Former une équipe",
                    (1_804_330_800, 1_804_341_600),
                    "Toulouse",
                    link,
                    Words::Usual,
                ),
            ),
            (
                status_changed(
                    base,
                    "Awa",
                    "Annulée",
                    "Former une équipe",
                    &status_text(
                        Stage::Cancelled,
                        Some("Il y a un souci de salle."),
                        Words::Easy,
                    )
                    .unwrap(),
                    link,
                    Words::Easy,
                ),
                status_changed(
                    base,
                    "Awa",
                    "Annulée",
                    "Former une équipe",
                    &status_text(
                        Stage::Cancelled,
                        Some("Il y a un souci de salle."),
                        Words::Usual,
                    )
                    .unwrap(),
                    link,
                    Words::Usual,
                ),
            ),
            (
                done(base, "Awa", "Former une équipe", link, true, Words::Easy),
                done(base, "Awa", "Former une équipe", link, true, Words::Usual),
            ),
        ];
        for (easy, usual) in pairs {
            assert_eq!(flagged(&easy), Vec::<String>::new(), "{}", easy.body);
            assert_ne!(easy.subject, usual.subject);
            assert!(easy.body.contains(EASY_FOOTER), "{}", easy.body);
            assert!(!usual.body.contains(EASY_FOOTER));
        }
        // The peer's attestation is in the easy-read message as in the other.
        let d = done(base, "Awa", "Former une équipe", link, true, Words::Easy);
        assert!(d.body.contains(&format!("{base}{link}/attestation.pdf")));
    }
}
