//! E-mails in easy-read French for the people who ask for them: a peer
//! chooses it in « Réglages d’affichage » (kept on the account, audited
//! once per change), and the proposal of an intervention, a training
//! application's answers and the sign-in link come in easy-read words that
//! the writing aid passes; so does an event registration that asked for
//! easy-read documents, with its calendar file, and so do the organiser's
//! message and the event's cancellation, the coordination's answer to a
//! message and an organisation's offer to join it; back to the usual
//! words, the usual e-mails. A visitor's choice changes no account.

use axum::http::StatusCode;
use epop_domain::easy_read::{Kind, flags};

use crate::event_capacity::event_of_30;
use crate::events::last_attachment;
use crate::harness::{Client, apps, link_in};
use crate::requests_proposals::submitted;
use crate::trainings::{application_id, create_session};

const AWA: &str = "pair@demo.epop.test";

async fn choose(c: &mut Client, courriels: &str) {
    let res = c
        .post(
            "/parametres-affichage",
            &[("facile", "non"), ("courriels", courriels)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// What the writing aid flags in the e-mail's own sentences (not in the
/// links, nor in what the organisation typed, given in `typed`).
pub fn flagged(body: &str, typed: &[&str]) -> Vec<String> {
    // A link ends what comes before it, as its own line does for a reader.
    let mut text = body
        .lines()
        .map(|l| if l.contains("://") { "Lien." } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    for t in typed {
        text = text.replace(t, "");
    }
    flags(&text)
        .into_iter()
        // The platform's name is a name, not an acronym to explain.
        .filter(|f| !(f.kind == Kind::Acronym && f.words == "EPoP"))
        .map(|f| f.message)
        .collect()
}

#[tokio::test]
async fn a_peer_who_asks_for_easy_read_gets_easy_read_e_mails() {
    for app in apps().await {
        let mut awa = app.signed_in(AWA).await;
        let form = awa.get("/parametres-affichage").await.body;
        assert!(form.contains("Les e-mails que vous recevez"), "{form}");
        assert!(form.contains("value=\"habituels\" checked"), "{form}");
        choose(&mut awa, "facile").await;
        choose(&mut awa, "facile").await;
        let form = awa.get("/parametres-affichage").await.body;
        assert!(form.contains("value=\"facile\" checked"), "{form}");
        assert_eq!(app.audit_count("easy_read_emails_changed").await, 1);

        // A proposal of an intervention.
        let id = submitted(&app, false).await;
        let path = format!("/admin/demandes/{id}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord.post(&format!("{path}/etudier"), &[]).await;
        let mut conn = app.db.conn().await.unwrap();
        let profile = epop_store::directory::by_slug(&mut conn, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let peer = profile.card.id.to_string();
        coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", &peer), ("deadline", "01/01/2099")],
            )
            .await;
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert!(
            subject.starts_with("Une intervention pour vous"),
            "{subject}"
        );
        assert!(
            body.contains("Vous pouvez dire oui ou non.\nRépondez avant le"),
            "{body}"
        );
        assert!(body.contains("L’argent pour vous : À définir\n"), "{body}");
        let typed = [
            "Sensibiliser l’équipe d’accueil",
            "Agents d’accueil",
            "1 place du Capitole, 31000 Toulouse",
        ];
        assert_eq!(flagged(&body, &typed), Vec::<String>::new(), "{body}");
        // The link works as the usual one does.
        let link = link_in(&body);
        assert_eq!(awa.get(&link).await.status, StatusCode::OK);

        // The request is cancelled: the peer asked hears it in easy-read.
        let res = coord
            .post(
                &format!("{path}/annuler"),
                &[("reason", "L’organisation a changé de date.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert!(
            subject.starts_with("Des nouvelles de la demande"),
            "{subject}"
        );
        assert!(
            body.contains("La coordination a annulé l’intervention."),
            "{body}"
        );
        assert_eq!(
            flagged(&body, &["Sensibiliser l’équipe d’accueil"]),
            Vec::<String>::new(),
            "{body}"
        );

        // A training application and its answer.
        let slug = create_session(&app, &mut coord).await;
        let res = awa
            .post(
                &format!("/formations/{slug}/candidature"),
                &[("motivation", "Former les équipes d’ESAT.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert!(subject.starts_with("Nous avons votre demande"), "{subject}");
        assert!(
            body.contains("La coordination va lire votre demande."),
            "{body}"
        );
        assert_eq!(flagged(&body, &[]), Vec::<String>::new(), "{body}");
        let awa_id = application_id(&app, &slug, AWA).await;
        coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{awa_id}"),
                &[("decision", "accepter")],
            )
            .await;
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert!(
            subject.starts_with("Vous avez une place pour la formation"),
            "{subject}"
        );
        assert_eq!(flagged(&body, &[]), Vec::<String>::new(), "{body}");

        // The sign-in link.
        let mut visitor = app.client();
        visitor.post("/connexion/lien", &[("email", AWA)]).await;
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert_eq!(subject, "Votre lien pour aller sur EPoP");
        assert!(body.contains("Le lien marche 1 seule fois."), "{body}");
        assert_eq!(flagged(&body, &[]), Vec::<String>::new(), "{body}");

        visitor
            .post("/mot-de-passe-oublie", &[("email", AWA)])
            .await;
        let (subject, body) = app.last_mail(AWA).await.unwrap();
        assert_eq!(subject, "Choisir un nouveau mot de passe pour EPoP");
        assert_eq!(flagged(&body, &[]), Vec::<String>::new(), "{body}");

        // Back to the usual words.
        choose(&mut awa, "habituels").await;
        assert_eq!(app.audit_count("easy_read_emails_changed").await, 2);
        visitor.post("/connexion/lien", &[("email", AWA)]).await;
        let (subject, _) = app.last_mail(AWA).await.unwrap();
        assert_eq!(subject, "Votre lien pour vous connecter à EPoP");

        // A visitor's choice has no account to change, and no field for it.
        let mut visitor = app.client();
        let form = visitor.get("/parametres-affichage").await.body;
        assert!(!form.contains("Les e-mails que vous recevez"));
        choose(&mut visitor, "facile").await;
        assert_eq!(app.audit_count("easy_read_emails_changed").await, 2);
    }
}

#[tokio::test]
async fn an_event_registration_that_asks_for_easy_read_is_answered_in_easy_read() {
    for app in apps().await {
        let event = event_of_30(&app.db).await;
        let mut visitor = app.client();
        for (email, needs) in [("lina@exemple.fr", "falc"), ("noe@exemple.fr", "lsf")] {
            let res = visitor
                .post(
                    &format!("/evenements/{}/inscription", event.slug),
                    &[
                        ("name", "Lina Noé"),
                        ("email", email),
                        ("needs", needs),
                        ("consent", "oui"),
                    ],
                )
                .await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let (subject, body) = app.last_mail("lina@exemple.fr").await.unwrap();
        assert_eq!(subject, format!("Vous avez une place : {}", event.title));
        assert!(
            body.contains("L’organisateur connaît vos besoins."),
            "{body}"
        );
        assert!(
            body.contains("Le jour de l’événement, ouvrez ce lien :"),
            "{body}"
        );
        assert_eq!(
            flagged(&body, &[&event.title]),
            Vec::<String>::new(),
            "{body}"
        );
        let (file, ics) = last_attachment(&app, "lina@exemple.fr").await.unwrap();
        assert!(file.ends_with(".ics") && ics.contains("BEGIN:VEVENT"));
        // The usual words for whoever did not ask.
        let (subject, _) = app.last_mail("noe@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Inscription confirmée"), "{subject}");

        // The organiser writes to everyone, then cancels: what they typed
        // stays as typed, the words around it follow the registration.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let typed = "Apportez une pièce d’identité pour entrer dans le bâtiment.";
        let res = admin
            .post(
                &format!("/admin/evenements/{}/message", event.slug),
                &[("subject", "Entrée du bâtiment"), ("body", typed)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail("lina@exemple.fr").await.unwrap();
        assert_eq!(subject, "Message de l’organisateur : Entrée du bâtiment");
        assert!(
            body.contains(&format!("vous envoie ce message :\n\n{typed}")),
            "{body}"
        );
        assert_eq!(
            flagged(&body, &[&event.title, typed, &event.organiser]),
            Vec::<String>::new(),
            "{body}"
        );
        let (subject, body) = app.last_mail("noe@exemple.fr").await.unwrap();
        assert_eq!(subject, format!("{} – Entrée du bâtiment", event.title));
        assert!(body.contains(typed) && body.contains("L’organisateur de l’événement"));

        let reason = "La salle est fermée pour travaux.";
        let res = admin
            .post(
                &format!("/admin/evenements/{}/annuler", event.slug),
                &[("reason", reason)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail("lina@exemple.fr").await.unwrap();
        assert_eq!(subject, format!("Événement annulé : {}", event.title));
        assert!(body.contains(&format!("La raison : {reason}")), "{body}");
        assert_eq!(
            flagged(&body, &[&event.title, reason, &event.organiser]),
            Vec::<String>::new(),
            "{body}"
        );
        let (subject, body) = app.last_mail("noe@exemple.fr").await.unwrap();
        assert_eq!(subject, format!("{} – événement annulé", event.title));
        assert!(body.contains("Vous n’avez rien à faire."), "{body}");
    }
}

/// A coordinator who invites a peer may ask for easy-read e-mails from the
/// invitation on: the invitation comes in easy-read words (that the
/// writing aid passes), the account keeps the choice (shown checked in
/// « Affichage »), the audit log says so; the usual words otherwise, also
/// for a value that is neither choice.
#[tokio::test]
async fn an_invitation_comes_in_the_words_the_inviter_chose() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let inviter = app
            .account("coordination@demo.epop.test")
            .await
            .display_name;
        let form = coord.get("/admin/comptes/inviter").await.body;
        assert!(
            form.contains("Les e-mails que la personne recevra"),
            "{form}"
        );
        assert!(form.contains("value=\"habituels\" checked"), "{form}");
        for (email, courriels) in [
            ("jade.facile@exemple.fr", "facile"),
            ("jade.habituels@exemple.fr", "habituels"),
            ("jade.autre@exemple.fr", "autre"),
        ] {
            let page = coord
                .post(
                    "/admin/comptes/inviter",
                    &[
                        ("email", email),
                        ("name", "Jade Roux"),
                        ("roles", "peer"),
                        ("department", "31"),
                        ("courriels", courriels),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
            let (subject, body) = app.last_mail(email).await.unwrap();
            if courriels == "facile" {
                assert_eq!(subject, "Votre compte sur EPoP");
                assert!(
                    body.contains(&format!("{inviter} a créé un compte pour vous sur EPoP."))
                        && body.contains("Le lien marche pendant 7 jours."),
                    "{body}"
                );
                assert_eq!(flagged(&body, &[&inviter]), Vec::<String>::new());
            } else {
                assert_eq!(subject, "Une invitation pour vous sur la plateforme EPoP");
            }

            // The person opens the link, chooses no password, and finds
            // the choice made for her.
            let mut jade = app.client();
            let path = link_in(&body);
            let done = jade
                .post(
                    &path,
                    &[
                        ("password", "la garonne coule vite"),
                        ("confirmation", "la garonne coule vite"),
                    ],
                )
                .await;
            assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
            let settings = jade.get("/parametres-affichage").await.body;
            let checked = if courriels == "facile" {
                "facile"
            } else {
                "habituels"
            };
            assert!(
                settings.contains(&format!("value=\"{checked}\" checked")),
                "{courriels}: {settings}"
            );
        }
        assert_eq!(app.audit_count("account_invited").await, 3);
        let mut c = app.db.conn().await.unwrap();
        let details: Vec<String> = sqlx::query_scalar(
            "SELECT detail FROM audit_log WHERE action = 'account_invited' ORDER BY id",
        )
        .fetch_all(&mut *c)
        .await
        .unwrap();
        assert_eq!(
            details,
            [
                "Invitation de jade.facile@exemple.fr (e-mails en facile à lire)",
                "Invitation de jade.habituels@exemple.fr",
                "Invitation de jade.autre@exemple.fr",
            ]
        );
    }
}

#[tokio::test]
async fn the_coordination_s_answer_and_an_offer_to_join_come_in_easy_words() {
    for app in apps().await {
        let peer = "pair-ariege@demo.epop.test";
        let mut ines = app.signed_in(peer).await;
        choose(&mut ines, "facile").await;
        let sent = ines
            .post(
                "/ecrire-a-la-coordination?departement=31",
                &[
                    ("name", "Inès"),
                    ("email", peer),
                    ("phone", ""),
                    ("message", "Je voudrais suivre une formation."),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let (_, mail) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        let page = link_in(&mail);
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let typed = "Bonjour, la prochaine formation est en mars.";
        let answered = coord.post(&page, &[("message", typed)]).await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
        let (subject, body) = app.last_mail(peer).await.unwrap();
        assert_eq!(subject, "La coordination vous répond");
        assert!(body.contains(typed), "{body}");
        assert!(body.contains("Vous voulez répondre ?"), "{body}");
        assert_eq!(flagged(&body, &[typed]), Vec::<String>::new(), "{body}");

        // A member of an organisation offers her to join it.
        let mut member = app.signed_in("demandeur@demo.epop.test").await;
        let offered = member
            .post(
                "/espace/organisation/inviter",
                &[("name", "Inès"), ("email", peer)],
            )
            .await;
        assert_eq!(
            offered.location(),
            "/espace/organisation/inviter?message=invitation"
        );
        let (subject, body) = app.last_mail(peer).await.unwrap();
        assert!(subject.starts_with("Rejoindre « "), "{subject}");
        assert!(
            body.contains("Vous êtes d’accord ? Alors ouvrez ce lien"),
            "{body}"
        );
        let organisation = subject
            .trim_start_matches("Rejoindre « ")
            .trim_end_matches(" » sur EPoP");
        assert_eq!(
            flagged(&body, &[organisation, "Marc Olivier"]),
            Vec::<String>::new(),
            "{body}"
        );
    }
}
