//! E-mail through a real SMTP server started by the test (mailin), through
//! `.eml` files, and retries when the server is unreachable.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use epop::mailer::Mailer;
use epop::worker::drain;
use epop_docs::ics::{IcsEvent, calendar};
use epop_store::outbox::{self, Attachment, Message};
use epop_store::testing;

use crate::harness::smtp_server;

fn message(to: &str) -> Message {
    Message {
        recipient: to.into(),
        subject: "Votre lien pour vous connecter à EPoP".into(),
        body_text: "Bonjour Awa,\n\nVoici votre lien : http://epop.test/connexion/lien/abc\n\nÀ bientôt, l’équipe EPoP".into(),
        attachment: None,
    }
}

/// An event's calendar file, with accents, commas and a long description.
fn event_ics() -> String {
    calendar(
        "EPoP — Réunion d'information en ligne",
        &[IcsEvent {
            uid: "evenement-reunion-9-janvier@epop",
            title: "Réunion d'information en ligne",
            description: &"Présentation de la plateforme, questions; échanges.\n".repeat(4),
            starts_at: 1_767_954_600, // 2026-01-09 11:30 Europe/Paris
            ends_at: 1_767_958_200,
            location: Some("En ligne"),
            url: "http://epop.test/evenements/reunion-9-janvier",
            cancelled: false,
            updated_at: 1_767_000_000,
        }],
    )
}

fn message_with_event(to: &str) -> Message {
    Message {
        subject: "Inscription confirmée : Réunion d'information en ligne".into(),
        body_text:
            "Bonjour Awa,\n\nVotre inscription est confirmée. L’événement est joint à ce message.\n"
                .into(),
        attachment: Some(Attachment {
            filename: "reunion-9-janvier.ics".into(),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            body: event_ics(),
        }),
        ..message(to)
    }
}

/// Checks a raw message is `multipart/mixed` with the text part first, then
/// the calendar file, named and typed, whose base64 decodes to `ics`.
fn assert_text_then_calendar(raw: &str, ics: &str) {
    assert!(raw.contains("Content-Type: multipart/mixed"), "{raw}");
    let boundary = raw
        .split("boundary=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no boundary: {raw}"));
    let parts: Vec<&str> = raw
        .split(&format!("--{boundary}"))
        .skip(1)
        .filter(|p| !p.starts_with("--"))
        .collect();
    assert_eq!(parts.len(), 2, "{raw}");
    let (text_headers, text_body) = parts[0].split_once("\r\n\r\n").unwrap();
    assert!(
        text_headers.contains("Content-Type: text/plain; charset=utf-8"),
        "{text_headers}"
    );
    assert!(
        text_body.contains("Votre inscription est confirm"),
        "{text_body}"
    );
    let (file_headers, file_body) = parts[1].split_once("\r\n\r\n").unwrap();
    assert!(
        file_headers.contains("Content-Type: text/calendar; charset=utf-8; method=PUBLISH"),
        "{file_headers}"
    );
    assert!(
        file_headers
            .contains("Content-Disposition: attachment; filename=\"reunion-9-janvier.ics\""),
        "{file_headers}"
    );
    assert!(file_headers.contains("Content-Transfer-Encoding: base64"));
    let encoded: String = file_body.split_whitespace().collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), ics);
}

/// Enqueues `messages` and drains them through the SMTP server at `url`: each
/// is sent once; what the server received, in order.
async fn sent_through_smtp(
    db: &epop_store::Db,
    (url, received): &(String, Arc<Mutex<Vec<String>>>),
    messages: &[Message],
) -> Vec<String> {
    received.lock().unwrap().clear();
    let mut conn = db.conn().await.unwrap();
    for m in messages {
        outbox::enqueue(&mut conn, m).await.unwrap();
    }
    let mailer = Mailer::new(
        "EPoP <ne-pas-repondre@epop.test>",
        Some(url),
        "/nonexistent".into(),
    )
    .unwrap();
    assert_eq!(drain(db, &mailer).await.unwrap(), messages.len());
    assert_eq!(drain(db, &mailer).await.unwrap(), 0, "sent once");
    assert_eq!(outbox::backlog(&mut conn).await.unwrap(), 0);
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), messages.len());
    mails
}

#[tokio::test]
async fn outbox_is_sent_through_a_real_smtp_server_once() {
    let server = smtp_server();
    for db in testing::all().await {
        let mails = sent_through_smtp(
            &db,
            &server,
            &[message("awa@exemple.fr"), message("lea@exemple.fr")],
        )
        .await;
        // Sent several at once: found by recipient, not by order.
        let first = mails
            .iter()
            .find(|m| m.contains("To: awa@exemple.fr"))
            .expect("Awa's message");
        assert!(first.contains("From: EPoP <ne-pas-repondre@epop.test>"));
        assert!(first.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(
            first.contains("Subject: Votre lien pour vous connecter =?utf-8?"),
            "French subject encoded: {first}"
        );
        assert!(first.contains("Content-Transfer-Encoding: quoted-printable"));
        assert!(first.contains("Message-ID: <"));
        assert!(!first.contains("multipart"), "still one text part: {first}");
        assert!(!first.contains("boundary="), "{first}");
    }
}

#[tokio::test]
async fn an_event_file_is_attached_after_the_text_through_smtp() {
    let server = smtp_server();
    for db in testing::all().await {
        let mails = sent_through_smtp(
            &db,
            &server,
            &[
                message_with_event("awa@exemple.fr"),
                message("lea@exemple.fr"),
            ],
        )
        .await;
        let (awa, lea): (Vec<&String>, Vec<&String>) =
            mails.iter().partition(|m| m.contains("To: awa@exemple.fr"));
        assert_eq!((awa.len(), lea.len()), (1, 1));
        assert_text_then_calendar(awa[0], &event_ics());
        assert!(!lea[0].contains("multipart"), "{}", lea[0]);
    }
}

#[tokio::test]
async fn unreachable_smtp_is_retried_later_and_nothing_is_lost() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    for db in testing::all().await {
        let mut conn = db.conn().await.unwrap();
        outbox::enqueue(&mut conn, &message("awa@exemple.fr"))
            .await
            .unwrap();
        let mailer = Mailer::new(
            "EPoP <ne-pas-repondre@epop.test>",
            Some(&format!("smtp://127.0.0.1:{port}")),
            "/x".into(),
        )
        .unwrap();
        assert_eq!(drain(&db, &mailer).await.unwrap(), 0);
        assert_eq!(
            outbox::backlog(&mut conn).await.unwrap(),
            1,
            "still waiting"
        );
        let (entry, _) = outbox::recent(&mut conn, None, 1).await.unwrap().remove(0);
        assert_eq!(entry.attempts, 1);
        assert!(entry.last_error.is_some());
        assert!(entry.sent_at.is_none());
        // Not due again before its backoff.
        assert_eq!(drain(&db, &mailer).await.unwrap(), 0);
        assert_eq!(
            outbox::recent(&mut conn, None, 1).await.unwrap()[0]
                .0
                .attempts,
            1
        );
    }
}

/// Sends `messages` without SMTP into a fresh folder; the `.eml` files' texts,
/// in the order they were enqueued.
async fn sent_as_files(db: &epop_store::Db, folder: &str, messages: &[Message]) -> Vec<String> {
    let dir = std::env::temp_dir().join(format!(
        "epop-{folder}-{}-{}",
        std::process::id(),
        db.engine() as u8
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let mut conn = db.conn().await.unwrap();
    for m in messages {
        outbox::enqueue(&mut conn, m).await.unwrap();
    }
    let mailer = Mailer::new("EPoP <ne-pas-repondre@epop.test>", None, dir.clone()).unwrap();
    assert_eq!(drain(db, &mailer).await.unwrap(), messages.len());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), messages.len());
    files
        .iter()
        .map(|f| {
            assert_eq!(f.extension().unwrap(), "eml");
            std::fs::read_to_string(f).unwrap()
        })
        .collect()
}

/// An id can come back once the rows above it are erased: its `.eml` file
/// never replaces the earlier message's.
#[tokio::test]
async fn an_eml_file_is_never_written_over() {
    for db in testing::all().await {
        let dir = crate::harness::temp_dir("eml-reuse");
        let mut conn = db.conn().await.unwrap();
        outbox::enqueue(&mut conn, &message("awa@exemple.fr"))
            .await
            .unwrap();
        let id: i64 = sqlx::query_scalar("SELECT MAX(id) FROM outbox")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let earlier = dir.join(format!("{id:06}.eml"));
        std::fs::write(&earlier, "le message d’avant").unwrap();
        let mailer = Mailer::new("EPoP <ne-pas-repondre@epop.test>", None, dir.clone()).unwrap();
        assert_eq!(drain(&db, &mailer).await.unwrap(), 1);
        assert_eq!(
            std::fs::read_to_string(&earlier).unwrap(),
            "le message d’avant"
        );
        let new = std::fs::read_to_string(dir.join(format!("{id:06}-2.eml"))).unwrap();
        assert!(new.contains("awa@exemple.fr"), "{new}");
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn without_smtp_each_message_is_an_eml_file_with_a_plain_text_part() {
    for db in testing::all().await {
        let files = sent_as_files(&db, "outbox", &[message("awa@exemple.fr")]).await;
        let eml = &files[0];
        assert!(eml.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(!eml.contains("multipart"), "still one text part: {eml}");
        assert!(eml.contains("To: awa@exemple.fr"));
        assert!(
            eml.contains("Bonjour Awa")
                || eml.contains("Bonjour =?")
                || eml.contains("Content-Transfer-Encoding"),
            "{eml}"
        );
    }
}

#[tokio::test]
async fn without_smtp_an_event_file_is_attached_in_the_eml() {
    for db in testing::all().await {
        let files = sent_as_files(
            &db,
            "outbox-event",
            &[
                message_with_event("awa@exemple.fr"),
                message("lea@exemple.fr"),
            ],
        )
        .await;
        assert_text_then_calendar(&files[0], &event_ics());
        assert!(!files[1].contains("multipart"), "{}", files[1]);
        assert!(files[1].contains("Content-Type: text/plain; charset=utf-8"));
    }
}

/// What the outbox still holds: (recipient, body, attachment), oldest first.
async fn outbox_rows(db: &epop_store::Db) -> Vec<(String, String, Option<String>)> {
    let mut conn = db.conn().await.unwrap();
    sqlx::query_as("SELECT recipient, body_text, attachment_body FROM outbox ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_worker_forgets_what_it_sent_and_purges_it_after_30_days() {
    for db in testing::all().await {
        // The .eml file is the delivery in this mode: it has everything.
        let files = sent_as_files(
            &db,
            "outbox-forget",
            &[message_with_event("awa@exemple.fr")],
        )
        .await;
        assert!(files[0].contains("To: awa@exemple.fr"));
        // The table keeps no body, no file and no address.
        let rows = outbox_rows(&db).await;
        assert_eq!(
            rows,
            vec![(
                outbox::recipient_hash("awa@exemple.fr"),
                String::new(),
                None
            )]
        );
        let mut conn = db.conn().await.unwrap();
        let t = epop_store::now();
        for (days, left) in [(29, 1), (31, 0)] {
            sqlx::query("UPDATE outbox SET sent_at = $1, created_at = $1")
                .bind(t - days * 86_400)
                .execute(&mut *conn)
                .await
                .unwrap();
            epop::worker::purge(&db, t).await.unwrap();
            assert_eq!(outbox_rows(&db).await.len(), left, "after {days} days");
        }
    }
}

#[tokio::test]
async fn demo_data_is_idempotent() {
    for db in testing::all().await {
        let first = epop::demo::load(&db).await.unwrap();
        // 10 organisations, the accounts, 5 named profiles, 30 made-up
        // colleagues, 3 events, 2 training programmes with a session each,
        // 1 request, 1 message to the coordination, 1 application to
        // become a peer worker, 4 local programmes, the information meeting
        // tied to the peer workers' training, 2 links to the intervention
        // questionnaire (the host's and the audience's), 4 toolbox
        // resources, 3 news items, 1 review round of an easy-read text.
        assert_eq!(
            first,
            10 + epop::demo::ACCOUNTS.len() + 5 + 30 + 3 + 2 + 1 + 1 + 1 + 4 + 1 + 2 + 4 + 3 + 1
        );
        assert_eq!(epop::demo::load(&db).await.unwrap(), 0);
        let mut conn = db.conn().await.unwrap();
        assert_eq!(
            epop_store::accounts::list(&mut conn, None, None)
                .await
                .unwrap()
                .len(),
            epop::demo::ACCOUNTS.len() + 30
        );
    }
}
