//! « Écrire à la coordination »: each message reaches the coordinators of
//! its territory and no one else (the national coordination when nobody
//! covers it), with the visitor as Reply-To, through the real SMTP server;
//! nothing shown or sent to the visitor names a coordinator; the limit per
//! address; the coordination's inbox, its answer and the visitor's
//! follow-up; another territory reads nothing; erased after a year.

use axum::http::StatusCode;
use epop::mailer::Mailer;
use epop::worker::drain;
use epop_store::privacy;

use crate::harness::{App, Client, Page, apps, link_in, smtp_server};

/// The accounts that may receive, in this order.
const COORDINATION: [&str; 4] = [
    "coordination@demo.epop.test",
    "coordination-hdf@demo.epop.test",
    "coordination-na@demo.epop.test",
    "admin@demo.epop.test",
];

/// What no page or e-mail for the visitor may show: the coordinators'
/// addresses and names.
const SECRETS: [&str; 8] = [
    "@demo.epop.test",
    "Sophie",
    "Delmas",
    "Karim",
    "Benali",
    "Isabelle",
    "Camille",
    "Martin Camille",
];

fn assert_no_coordinator(text: &str) {
    for s in SECRETS {
        assert!(!text.contains(s), "« {s} » shown to the visitor:\n{text}");
    }
}

async fn write(c: &mut Client, query: &str, email: &str, text: &str) -> Page {
    c.post(
        &format!("/ecrire-a-la-coordination?{query}"),
        &[
            ("name", "Léa Morel"),
            ("email", email),
            ("phone", "06 12 34 56 78"),
            ("message", text),
        ],
    )
    .await
}

/// A visitor who wrote `text` to the Haute-Garonne, and the link to the
/// conversation in the coordinator's e-mail.
async fn written_to_31(app: &App, text: &str) -> (Client, String) {
    let mut visitor = app.client();
    write(&mut visitor, "departement=31", "lea@exemple.fr", text).await;
    let (_, mail) = app.last_mail("coordination@demo.epop.test").await.unwrap();
    (visitor, link_in(&mail))
}

/// How many conversations `email` started.
async fn conversations_of(app: &App, email: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM contact_conversations WHERE sender_email = $1")
        .bind(email)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// Whether the inbox shows the conversation at `link` as unread.
fn unread(inbox: &Page, link: &str) -> bool {
    let start = inbox
        .body
        .find(&format!("href=\"{link}\""))
        .expect("listed");
    let end = inbox.body[start..].find("</tr>").unwrap() + start;
    inbox.body[start..end].contains("Non lu")
}

/// How many e-mails each of [`COORDINATION`] has.
async fn counts(app: &App) -> Vec<usize> {
    let mut out = Vec::new();
    for who in COORDINATION {
        out.push(app.mail_count(who).await);
    }
    out
}

/// Sends a message to `query`; who of [`COORDINATION`] received it.
async fn receivers(app: &App, query: &str, email: &str) -> Vec<&'static str> {
    let before = counts(app).await;
    let mut c = app.client();
    let sent = write(&mut c, query, email, "Bonjour, une question.").await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{query}: {}", sent.body);
    let after = counts(app).await;
    COORDINATION
        .iter()
        .zip(before.iter().zip(after))
        .filter(|(_, (b, a))| a > *b)
        .map(|(who, _)| *who)
        .collect()
}

/// The slugs of the demo's public event and training session in a
/// département.
async fn demo_targets(app: &App, dept: &str) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    let event = epop_store::events::list(&mut conn, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.department_code.as_deref() == Some(dept) && !e.trained_peers_only)
        .unwrap()
        .slug;
    let session = epop_store::trainings::sessions(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.department_code == dept)
        .unwrap()
        .slug;
    (event, session)
}

#[tokio::test]
async fn each_territory_reaches_its_coordinators_and_no_one_else() {
    for app in apps().await {
        let (event, session) = demo_targets(&app, "31").await;
        let (event_59, _) = demo_targets(&app, "59").await;
        let cases: Vec<(String, Vec<&str>)> = vec![
            ("departement=31".into(), vec![COORDINATION[0]]),
            ("departement=09".into(), vec![COORDINATION[0]]),
            ("departement=2a".into(), vec![COORDINATION[3]]),
            ("departement=59".into(), vec![COORDINATION[1]]),
            ("departement=86".into(), vec![COORDINATION[2]]),
            ("region=76".into(), vec![COORDINATION[0]]),
            ("region=32".into(), vec![COORDINATION[1]]),
            (format!("evenement={event}"), vec![COORDINATION[0]]),
            (format!("evenement={event_59}"), vec![COORDINATION[1]]),
            (format!("formation={session}"), vec![COORDINATION[0]]),
            // A programme: its own coordinators.
            (
                "programme=experimentation-locale-occitanie-2026".into(),
                vec![COORDINATION[0]],
            ),
            (
                "programme=deploiement-epop-en-hauts-de-france".into(),
                vec![COORDINATION[1]],
            ),
        ];
        for (n, (query, expected)) in cases.iter().enumerate() {
            let email = format!("visiteur{n}@exemple.fr");
            assert_eq!(&receivers(&app, query, &email).await, expected, "{query}");
        }
        // The page says who reads it, never who they are.
        let page = app
            .client()
            .get("/ecrire-a-la-coordination?departement=31")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Écrire à la coordination");
        assert!(
            page.body
                .contains("Votre message ira à la coordination de la Haute-Garonne.")
        );
        assert_no_coordinator(&page.body);
        assert!(page.body.contains("?departement=31&amp;version=facile"));
        let easy = app
            .client()
            .get("/ecrire-a-la-coordination?departement=31&version=facile")
            .await;
        assert!(easy.body.contains("Vous pouvez lui poser une question."));
        assert!(easy.body.contains("Lire la version habituelle"));
        let page = app
            .client()
            .get(&format!("/ecrire-a-la-coordination?evenement={event}"))
            .await;
        assert!(
            page.body.contains("la coordination de la Haute-Garonne"),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!("href=\"/evenements/{event}\"")));
        // Unknown targets are not found.
        for query in [
            "departement=20",
            "region=99",
            "evenement=nulle-part",
            "formation=x",
            "programme=inconnu",
        ] {
            let page = app
                .client()
                .get(&format!("/ecrire-a-la-coordination?{query}"))
                .await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{query}");
        }
        let page = app
            .client()
            .get("/ecrire-a-la-coordination?programme=experimentation-locale-occitanie-2026")
            .await;
        assert!(
            page.body
                .contains("la coordination du programme « Expérimentation locale Occitanie 2026 »")
        );
        assert_no_coordinator(&page.body);
        // The event, training, programme and territory pages link to the
        // form with their target.
        for (page, query) in [
            (
                "/programmes/experimentation-locale-occitanie-2026",
                "programme=experimentation-locale-occitanie-2026",
            ),
            ("/territoires/occitanie", "region=76"),
            ("/territoires/occitanie/haute-garonne", "departement=31"),
        ] {
            let body = app.client().get(page).await.body;
            assert!(
                body.contains(&format!("href=\"/ecrire-a-la-coordination?{query}\"")),
                "{page}"
            );
        }
        let page = app.client().get(&format!("/evenements/{event}")).await;
        assert!(
            page.body
                .contains(&format!("/ecrire-a-la-coordination?evenement={event}"))
        );
        let page = app.client().get(&format!("/formations/{session}")).await;
        assert!(
            page.body
                .contains(&format!("/ecrire-a-la-coordination?formation={session}"))
        );
    }
}

#[tokio::test]
async fn without_a_coordinator_the_national_coordination_receives_it() {
    for app in apps().await {
        let page = app
            .client()
            .get("/ecrire-a-la-coordination?departement=75")
            .await;
        assert!(page.body.contains(
            "Aucune coordination ne couvre encore ce département : votre message ira à la coordination nationale"
        ));
        assert_no_coordinator(&page.body);
        assert_eq!(
            receivers(&app, "departement=75", "paris@exemple.fr").await,
            vec!["admin@demo.epop.test"]
        );
        let mut c = app.client();
        let sent = write(&mut c, "departement=75", "paris2@exemple.fr", "Bonjour.").await;
        let done = c.get(sent.location()).await;
        assert!(
            done.body.contains("la coordination nationale"),
            "{}",
            done.body
        );
        assert_no_coordinator(&done.body);
        // A disabled coordinator never receives: the Nord goes national.
        sqlx::query("UPDATE accounts SET status = 'disabled' WHERE email = $1")
            .bind("coordination-hdf@demo.epop.test")
            .execute(app.db.pool())
            .await
            .unwrap();
        assert_eq!(
            receivers(&app, "departement=59", "nord@exemple.fr").await,
            vec!["admin@demo.epop.test"]
        );
    }
}

/// Drains the outbox through a real SMTP server; the messages received.
async fn through_smtp(app: &App) -> Vec<String> {
    let (url, received) = smtp_server();
    let mailer = Mailer::new("EPoP <ne-pas-repondre@epop.test>", Some(&url), "/x".into()).unwrap();
    drain(&app.db, &mailer).await.unwrap();
    received.lock().unwrap().clone()
}

#[tokio::test]
async fn the_coordinator_answers_by_replying_to_the_visitor() {
    for app in apps().await {
        let mut c = app.client();
        write(
            &mut c,
            "departement=31",
            "lea@exemple.fr",
            "Je voudrais devenir intervenante-paire.",
        )
        .await;
        let mails = through_smtp(&app).await;
        assert_eq!(mails.len(), 2, "{mails:#?}");
        let to_coordinator = mails
            .iter()
            .find(|m| m.contains("\nTo: coordination@demo.epop.test"))
            .expect("the coordinator's e-mail");
        assert!(
            to_coordinator.contains("Reply-To: lea@exemple.fr"),
            "{to_coordinator}"
        );
        assert!(to_coordinator.contains("From: EPoP <ne-pas-repondre@epop.test>"));
        let copy = mails
            .iter()
            .find(|m| m.contains("\nTo: lea@exemple.fr"))
            .unwrap();
        assert!(!copy.contains("Reply-To"), "{copy}");
        assert_no_coordinator(copy);
        // The outbox forgot the Reply-To address with the rest.
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE reply_to IS NOT NULL")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(left, 0);
        // Without SMTP, the .eml file carries it too.
        let mut c = app.client();
        write(&mut c, "departement=59", "paul@exemple.fr", "Bonjour.").await;
        let dir = crate::harness::temp_dir("contact-eml");
        let mailer = Mailer::new("EPoP <ne-pas-repondre@epop.test>", None, dir.clone()).unwrap();
        assert_eq!(drain(&app.db, &mailer).await.unwrap(), 2);
        let files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        assert!(
            files
                .iter()
                .any(|f| f.contains("\nTo: coordination-hdf@demo.epop.test")
                    && f.contains("Reply-To: paul@exemple.fr"))
        );
    }
}

#[tokio::test]
async fn the_visitor_copy_holds_the_text_and_no_coordinator() {
    for app in apps().await {
        let mut c = app.client();
        let sent = write(
            &mut c,
            "departement=31",
            "lea@exemple.fr",
            "Quand a lieu la prochaine réunion ?",
        )
        .await;
        assert_eq!(
            sent.location(),
            "/ecrire-a-la-coordination/envoye?departement=31"
        );
        let done = c.get(sent.location()).await;
        assert_eq!(done.h1(), "Votre message est envoyé");
        assert!(done.body.contains("la coordination de la Haute-Garonne"));
        assert_no_coordinator(&done.body);
        let (subject, body) = app.last_mail("lea@exemple.fr").await.unwrap();
        assert_eq!(subject, "Votre message a bien été envoyé");
        assert!(body.contains("Quand a lieu la prochaine réunion ?"));
        assert!(body.contains("la coordination de la Haute-Garonne"));
        assert_no_coordinator(&body);
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert_eq!(
            subject,
            "Message pour la coordination : département de la Haute-Garonne"
        );
        assert!(body.contains("Léa Morel"));
        assert!(body.contains("lea@exemple.fr"));
        assert!(body.contains("06 12 34 56 78"));
    }
}

#[tokio::test]
async fn errors_are_beside_their_field_and_the_text_stays() {
    for app in apps().await {
        let mut c = app.client();
        let page = c
            .post(
                "/ecrire-a-la-coordination?departement=31",
                &[
                    ("name", ""),
                    ("email", "pas-une-adresse"),
                    ("phone", "12"),
                    ("message", "Mon texte gardé"),
                ],
            )
            .await;
        page.assert_field_error("name", "Saisissez votre nom.");
        page.assert_field_error("email", "adresse");
        page.assert_field_error("phone", "10 chiffres");
        assert!(page.body.contains("Mon texte gardé"));
        assert!(page.body.contains("value=\"pas-une-adresse\""));
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contact_conversations")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        assert_eq!(stored, 1, "the demo's message only");
    }
}

#[tokio::test]
async fn the_sixth_message_in_an_hour_is_refused_and_nothing_is_stored() {
    for app in apps().await {
        for n in 1..=5 {
            let mut c = app.client();
            let sent = write(
                &mut c,
                "departement=31",
                "lea@exemple.fr",
                &format!("Message {n}"),
            )
            .await;
            assert_eq!(sent.status, StatusCode::SEE_OTHER, "message {n}");
        }
        let mut c = app.client();
        let refused = write(
            &mut c,
            "departement=31",
            "lea@exemple.fr",
            "Le sixième message",
        )
        .await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.title().starts_with("Erreur : "));
        assert!(refused.body.contains("attendez une heure"));
        assert!(
            refused.body.contains("Le sixième message"),
            "typed text kept"
        );
        assert_eq!(conversations_of(&app, "lea@exemple.fr").await, 5);
        assert_eq!(app.mail_count("lea@exemple.fr").await, 5);
        // Another address still may.
        let sent = write(&mut c, "departement=31", "autre@exemple.fr", "Bonjour").await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn the_coordination_answers_from_its_space_and_the_visitor_writes_again() {
    for app in apps().await {
        let (mut visitor, page_link) = written_to_31(&app, "Ma santé : une question.").await;
        assert!(page_link.starts_with("/espace/messages/"), "{page_link}");

        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let inbox = coord.get("/espace/messages").await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(inbox.body.contains("Léa Morel"));
        assert!(unread(&inbox, &page_link));
        let reads = app.audit_count("sensitive_read").await;
        let page = coord.get(&page_link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Ma santé : une question."));
        assert!(page.body.contains("lea@exemple.fr"));
        assert_eq!(
            app.audit_count("sensitive_read").await,
            reads + 1,
            "the read is audited"
        );
        assert!(!unread(&coord.get("/espace/messages").await, &page_link));

        let empty = coord.post(&page_link, &[("message", "  ")]).await;
        empty.assert_field_error("message", "Saisissez votre message.");
        let answered = coord
            .post(
                &page_link,
                &[("message", "Bonjour Léa, la prochaine réunion est jeudi.")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER);
        let (subject, answer) = app.last_mail("lea@exemple.fr").await.unwrap();
        assert_eq!(subject, "Réponse de la coordination EPoP");
        assert!(answer.contains("la prochaine réunion est jeudi"));
        assert_no_coordinator(&answer);

        // The link in the answer opens the conversation, and writes again.
        let link = link_in(&answer);
        let page = visitor.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("La coordination"));
        assert!(page.body.contains("la prochaine réunion est jeudi"));
        assert_no_coordinator(&page.body);
        let again = visitor
            .post(&link, &[("message", "Merci, je viendrai.")])
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER);
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Nouveau message pour la coordination"));
        assert!(body.contains("Merci, je viendrai."));
        let inbox = coord.get("/espace/messages").await;
        assert!(unread(&inbox, &page_link), "unread again");
        let page = coord.get(&page_link).await;
        assert!(page.body.contains("Sophie Delmas (coordination)"));
        assert!(page.body.contains("Merci, je viendrai."));

        // Its coordinator gone, the next message goes to whoever covers
        // the Haute-Garonne now: the national coordination.
        sqlx::query("UPDATE accounts SET status = 'disabled' WHERE email = $1")
            .bind("coordination@demo.epop.test")
            .execute(app.db.pool())
            .await
            .unwrap();
        let before = app.mail_count("coordination@demo.epop.test").await;
        visitor.post(&link, &[("message", "Vous êtes là ?")]).await;
        assert_eq!(app.mail_count("coordination@demo.epop.test").await, before);
        let (_, body) = app.last_mail("admin@demo.epop.test").await.unwrap();
        assert!(body.contains("Vous êtes là ?"));
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin.get(&page_link).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Vous êtes là ?"));
    }
}

#[tokio::test]
async fn another_territory_reads_nothing() {
    for app in apps().await {
        let (_visitor, page_link) = written_to_31(&app, "Message pour Toulouse.").await;
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let inbox = hdf.get("/espace/messages").await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(!inbox.body.contains("Léa Morel"));
        let page = hdf.get(&page_link).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(!page.body.contains("Message pour Toulouse."));
        let before = app.mail_count("lea@exemple.fr").await;
        let refused = hdf.post(&page_link, &[("message", "Intrusion")]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND);
        assert_eq!(app.mail_count("lea@exemple.fr").await, before);
        // The admin is not one of its recipients either.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        assert_eq!(admin.get(&page_link).await.status, StatusCode::NOT_FOUND);
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(
            peer.get("/espace/messages").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(peer.get(&page_link).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn conversations_are_erased_a_year_after_their_last_message() {
    for app in apps().await {
        let mut visitor = app.client();
        write(
            &mut visitor,
            "departement=31",
            "ancienne@exemple.fr",
            "Un vieux message.",
        )
        .await;
        let (_, copy) = app.last_mail("ancienne@exemple.fr").await.unwrap();
        let old_link = link_in(&copy);
        write(
            &mut visitor,
            "departement=31",
            "recente@exemple.fr",
            "Un message récent.",
        )
        .await;
        let year_ago = epop_store::now() - 366 * privacy::DAY;
        for sql in [
            "UPDATE contact_conversations SET created_at = $1, updated_at = $1 WHERE sender_email = 'ancienne@exemple.fr'",
            "UPDATE contact_messages SET created_at = $1 WHERE conversation_id IN \
             (SELECT id FROM contact_conversations WHERE sender_email = 'ancienne@exemple.fr')",
            "UPDATE contact_links SET created_at = $1 WHERE conversation_id IN \
             (SELECT id FROM contact_conversations WHERE sender_email = 'ancienne@exemple.fr')",
        ] {
            sqlx::query(sql)
                .bind(year_ago)
                .execute(app.db.pool())
                .await
                .unwrap();
        }
        epop::worker::purge_retention(&app.db).await;
        assert_eq!(conversations_of(&app, "ancienne@exemple.fr").await, 0);
        assert_eq!(conversations_of(&app, "recente@exemple.fr").await, 1);
        let messages: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM contact_messages WHERE body LIKE 'Un %message%' ORDER BY id",
        )
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert_eq!(messages, vec!["Un message récent.".to_owned()]);
        // Its recipients and links went with it.
        for table in ["contact_recipients", "contact_links", "contact_messages"] {
            let orphans: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM {table} WHERE conversation_id NOT IN (SELECT id FROM contact_conversations)"
            )))
            .fetch_one(app.db.pool())
            .await
            .unwrap();
            assert_eq!(orphans, 0, "{table}");
        }
        let page = visitor.get(&old_link).await;
        assert_ne!(page.status, StatusCode::OK);
        assert!(!page.body.contains("Un vieux message."));
    }
}
