//! The e-mails about a training application, in plain French, or in
//! easy-read French for whoever asked for it ([`Words`]).

use epop_domain::training::ApplicationStatus;
use epop_store::outbox::Message;
use epop_store::trainings::Application;

use super::SessionView;
use crate::emails::{EASY_FOOTER, Words};

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que vous avez candidaté à une formation sur EPoP.\n";

fn session_lines(v: &SessionView, words: Words) -> String {
    let (training, session, dates, place) = match words {
        Words::Usual => ("Formation", "Session", "Dates", "Lieu"),
        Words::Easy => ("La formation", "La session", "Les dates", "Le lieu"),
    };
    format!(
        "{training} : {}\n{session} : {}\n{dates} : {}\n{place} : {}\n",
        v.s.programme.title, v.s.title, v.dates, v.s.place
    )
}

/// The application was received.
pub fn received(base_url: &str, a: &Application, v: &SessionView, words: Words) -> Message {
    if words == Words::Easy {
        return Message {
            recipient: a.email.clone(),
            subject: format!("Nous avons votre demande : {}", v.s.programme.title),
            body_text: format!(
                "Bonjour {},\n\nVous voulez suivre une formation.\nNous avons votre demande.\n\
                 La coordination va lire votre demande.\nLa coordination vous répond par e-mail.\n\n{}\n\
                 Pour voir votre demande, ouvrez ce lien :\n{base_url}/espace/formations\n{EASY_FOOTER}",
                a.name,
                session_lines(v, words)
            ),
            attachment: None,
        };
    }
    Message {
        recipient: a.email.clone(),
        subject: format!("Candidature reçue : {}", v.s.programme.title),
        body_text: format!(
            "Bonjour {},\n\nNous avons bien reçu votre candidature.\n\
             La coordination de votre territoire va la lire et vous répondre par e-mail.\n\n{}\n\
             Pour suivre votre candidature : {base_url}/espace/formations\n{SIGNATURE}",
            a.name,
            session_lines(v, words)
        ),
        attachment: None,
    }
}

/// The coordinator's decision, or the end of the training.
pub fn status_changed(base_url: &str, a: &Application, v: &SessionView, words: Words) -> Message {
    let certificate = format!(
        "{base_url}/espace/formations/{}/certificat.pdf",
        a.public_id
    );
    if words == Words::Easy {
        return easy_status(base_url, a, v, &certificate);
    }
    let (subject, text) = match a.status {
        ApplicationStatus::Accepted => (
            "Votre candidature est acceptée",
            "Bonne nouvelle : votre candidature est acceptée. Une place est réservée pour vous.\n\
             Si vous ne pouvez plus venir, dites-le vite sur votre espace : la place ira à une autre personne."
                .to_owned(),
        ),
        ApplicationStatus::Waiting => (
            "Vous êtes sur la liste d’attente",
            "La session est complète pour l’instant. Vous êtes sur la liste d’attente.\n\
             Si une place se libère, la coordination vous écrit."
                .to_owned(),
        ),
        ApplicationStatus::Declined => (
            "Votre candidature n’est pas retenue",
            format!(
                "Votre candidature n’est pas retenue pour cette session.\nLa raison : {}\n\
                 Vous pouvez candidater à une autre session, ou écrire à la coordination pour en parler.",
                a.reason.clone().unwrap_or_default()
            ),
        ),
        ApplicationStatus::Completed => (
            "Formation terminée : votre certificat",
            format!(
                "Bravo : vous avez terminé la formation.\nVotre fiche de l’annuaire indique maintenant que vous avez fini la formation.\n\
                 Votre certificat de réalisation, en {}, est sur votre espace :\n{certificate}",
                crate::french::spelled_out("PDF"),
            ),
        ),
        ApplicationStatus::Applied | ApplicationStatus::Withdrawn => (
            "Votre candidature",
            format!("Votre candidature : {}.", a.status.label().to_lowercase()),
        ),
    };
    Message {
        recipient: a.email.clone(),
        subject: format!("{subject} – {}", v.s.programme.title),
        body_text: format!(
            "Bonjour {},\n\n{text}\n\n{}\nVotre espace : {base_url}/espace/formations\n{SIGNATURE}",
            a.name,
            session_lines(v, words)
        ),
        attachment: None,
    }
}

/// [`status_changed`] in easy-read words.
fn easy_status(base_url: &str, a: &Application, v: &SessionView, certificate: &str) -> Message {
    let (subject, text) = match a.status {
        ApplicationStatus::Accepted => (
            "Vous avez une place pour la formation",
            "Bonne nouvelle !\nVous avez une place pour la formation.\n\
             Vous avez un problème pour venir ? Dites-le vite sur votre espace.\n\
             Alors une autre personne peut prendre votre place."
                .to_owned(),
        ),
        ApplicationStatus::Waiting => (
            "Vous êtes sur la liste d’attente",
            "La session est complète.\nVous êtes sur la liste d’attente.\n\
             Une place se libère ? Alors la coordination vous écrit."
                .to_owned(),
        ),
        ApplicationStatus::Declined => (
            "La réponse à votre demande",
            format!(
                "La coordination a lu votre demande.\nLa réponse est non pour cette session.\n\
                 La raison : {}\n\
                 Vous pouvez demander une autre session.\n\
                 Vous pouvez aussi écrire à la coordination pour en parler.",
                a.reason.clone().unwrap_or_default()
            ),
        ),
        ApplicationStatus::Completed => (
            "Bravo, vous avez fini la formation",
            format!(
                "Bravo !\nVous avez fini la formation.\nVotre fiche de l’annuaire le dit maintenant.\n\
                 Votre certificat est sur votre espace.\n\
                 Pour voir votre certificat, ouvrez ce lien :\n{certificate}"
            ),
        ),
        ApplicationStatus::Applied | ApplicationStatus::Withdrawn => (
            "Votre demande",
            format!("Votre demande : {}.", a.status.label().to_lowercase()),
        ),
    };
    Message {
        recipient: a.email.clone(),
        subject: format!("{subject} : {}", v.s.programme.title),
        body_text: format!(
            "Bonjour {},\n\n{text}\n\n{}\n\
             Pour voir votre espace, ouvrez ce lien :\n{base_url}/espace/formations\n{EASY_FOOTER}",
            a.name,
            session_lines(v, Words::Easy)
        ),
        attachment: None,
    }
}
