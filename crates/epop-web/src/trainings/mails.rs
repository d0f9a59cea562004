//! The e-mails about a training application, in plain French.

use epop_domain::training::ApplicationStatus;
use epop_store::outbox::Message;
use epop_store::trainings::Application;

use super::SessionView;

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que vous avez candidaté à une formation sur EPoP.\n";

fn session_lines(v: &SessionView) -> String {
    format!(
        "Formation : {}\nSession : {}\nDates : {}\nLieu : {}\n",
        v.s.programme.title, v.s.title, v.dates, v.s.place
    )
}

/// The application was received.
pub fn received(base_url: &str, a: &Application, v: &SessionView) -> Message {
    Message {
        recipient: a.email.clone(),
        subject: format!("Candidature reçue : {}", v.s.programme.title),
        body_text: format!(
            "Bonjour {},\n\nNous avons bien reçu votre candidature.\n\
             La coordination de votre territoire va la lire et vous répondre par e-mail.\n\n{}\n\
             Pour suivre votre candidature : {base_url}/espace/formations\n{SIGNATURE}",
            a.name,
            session_lines(v)
        ),
        attachment: None,
    }
}

/// The coordinator's decision, or the end of the training.
pub fn status_changed(base_url: &str, a: &Application, v: &SessionView) -> Message {
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
                 Votre certificat de réalisation, en {}, est sur votre espace :\n{base_url}/espace/formations/{}/certificat.pdf",
                crate::french::spelled_out("PDF"),
                a.public_id
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
            session_lines(v)
        ),
        attachment: None,
    }
}
