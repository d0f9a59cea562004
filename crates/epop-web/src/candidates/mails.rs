//! The e-mails of an application to join the network, in plain French; the
//! ones to the person in easy-read words (short sentences, one idea each).

use epop_domain::training::Audience;
use epop_store::candidates::Application;
use epop_store::outbox::Message;

const SIGNATURE: &str = "\n--\nEPoP – réseau des intervenants-pairs\n\
Vous recevez ce message parce que votre adresse a été donnée pour devenir intervenant-pair ou référent sur EPoP.\n\
Si ce n’est pas vous, ne faites rien : rien ne sera envoyé à la coordination.\n";

fn mail(to: &str, subject: &str, body: String) -> Message {
    Message {
        recipient: to.to_owned(),
        subject: subject.to_owned(),
        body_text: body,
        attachment: None,
    }
}

fn becoming(audience: Audience) -> &'static str {
    match audience {
        Audience::Peer => "devenir intervenant-pair",
        Audience::Referent => "devenir référent",
    }
}

/// Confirm the address to send the application.
pub fn confirm_address(to: &str, base: &str, token: &str, a: &Application) -> Message {
    mail(
        to,
        "Confirmez votre candidature",
        format!(
            "Bonjour {},\n\nVous voulez {}. Merci !\n\n\
             Pour envoyer votre candidature, ouvrez ce lien :\n{base}/candidature/confirmer/{token}\n\n\
             Puis appuyez sur le bouton « Je confirme ».\n\
             Nous créons alors votre espace sur EPoP.\n{SIGNATURE}",
            a.name,
            becoming(a.audience)
        ),
    )
}

/// To a coordinator: an application arrived in their territory. The
/// e-mail carries no answer about health: the page does, audited.
pub fn new_candidate(to: &str, base: &str, coordinator: &str, a: &Application) -> Message {
    let place = a
        .department_name
        .clone()
        .unwrap_or_else(|| "département non indiqué".into());
    mail(
        to,
        &format!("Nouvelle candidature : {}", a.name),
        format!(
            "Bonjour {coordinator},\n\n{} veut {} ({place}).\n\n\
             Lisez sa candidature et répondez-lui :\n{base}/admin/candidats/{}\n",
            a.name,
            becoming(a.audience),
            a.public_id
        ),
    )
}

/// An invitation to an information meeting.
pub fn meeting(
    to: &str,
    base: &str,
    a: &Application,
    title: &str,
    when: &str,
    slug: &str,
) -> Message {
    mail(
        to,
        "Invitation à une réunion d’information",
        format!(
            "Bonjour {},\n\nLa coordination vous invite à une réunion d’information.\n\
             Nous expliquons le projet et la formation.\n\
             Vous pouvez poser vos questions.\n\n\
             La réunion : {title}\nLa date : {when}\n\n\
             Pour vous inscrire, ouvrez ce lien :\n{base}/evenements/{slug}\n{SIGNATURE}",
            a.name
        ),
    )
}

/// An invitation to apply to a training session.
pub fn training(
    to: &str,
    base: &str,
    a: &Application,
    title: &str,
    dates: &str,
    slug: &str,
) -> Message {
    mail(
        to,
        "Invitation à candidater à une formation",
        format!(
            "Bonjour {},\n\nLa coordination vous propose une formation.\n\n\
             La formation : {title}\nLes dates : {dates}\n\n\
             Pour dire pourquoi vous voulez la suivre, ouvrez ce lien :\n{base}/formations/{slug}/candidature\n\n\
             Vous devez être connecté à votre espace EPoP.\n{SIGNATURE}",
            a.name
        ),
    )
}

/// The application is closed: why, kindly, in easy-read words.
pub fn closed(to: &str, a: &Application, reason: &str) -> Message {
    mail(
        to,
        "Votre candidature",
        format!(
            "Bonjour {},\n\nMerci pour votre candidature.\n\
             La coordination a lu votre candidature avec attention.\n\
             Pour le moment, nous arrêtons votre candidature.\n\n\
             Voici pourquoi :\n{reason}\n\n\
             Vous pouvez poser une nouvelle candidature plus tard.\n\
             Vous pouvez aussi venir aux rencontres du réseau.\n{SIGNATURE}",
            a.name
        ),
    )
}
