//! E-mail through a real SMTP server started by the test (mailin), through
//! `.eml` files, and retries when the server is unreachable.

use std::sync::{Arc, Mutex};

use epop::mailer::Mailer;
use epop::worker::drain;
use epop_store::outbox::{self, Message};
use epop_store::testing;
use mailin_embedded::{Handler, Server, SslConfig, response};

#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<String>>>,
    current: Vec<u8>,
}

impl Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let text = String::from_utf8_lossy(&std::mem::take(&mut self.current)).into_owned();
        self.received.lock().unwrap().push(text);
        response::OK
    }
}

/// Starts an SMTP server on a free port; returns its URL and its inbox.
fn smtp_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let inbox = Inbox::default();
    let received = inbox.received.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("test.local")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

fn message(to: &str) -> Message {
    Message {
        recipient: to.into(),
        subject: "Votre lien pour vous connecter à EPoP".into(),
        body_text: "Bonjour Awa,\n\nVoici votre lien : http://epop.test/connexion/lien/abc\n\nÀ bientôt, l’équipe EPoP".into(),
    }
}

#[tokio::test]
async fn outbox_is_sent_through_a_real_smtp_server_once() {
    let (url, received) = smtp_server();
    for db in testing::all().await {
        received.lock().unwrap().clear();
        let mut conn = db.conn().await.unwrap();
        outbox::enqueue(&mut conn, &message("awa@exemple.fr"))
            .await
            .unwrap();
        outbox::enqueue(&mut conn, &message("lea@exemple.fr"))
            .await
            .unwrap();
        let mailer = Mailer::new(
            "EPoP <ne-pas-repondre@epop.test>",
            Some(&url),
            "/nonexistent".into(),
        )
        .unwrap();
        assert_eq!(drain(&db, &mailer).await.unwrap(), 2);
        assert_eq!(drain(&db, &mailer).await.unwrap(), 0, "sent once");
        assert_eq!(outbox::backlog(&mut conn).await.unwrap(), 0);
        let mails = received.lock().unwrap().clone();
        assert_eq!(mails.len(), 2);
        let first = &mails[0];
        assert!(first.contains("To: awa@exemple.fr"), "{first}");
        assert!(first.contains("From: EPoP <ne-pas-repondre@epop.test>"));
        assert!(first.contains("Content-Type: text/plain; charset=utf-8"));
        assert!(
            first.contains("Subject: Votre lien pour vous connecter =?utf-8?"),
            "French subject encoded: {first}"
        );
        assert!(first.contains("Content-Transfer-Encoding: quoted-printable"));
        assert!(first.contains("Message-ID: <"));
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

#[tokio::test]
async fn without_smtp_each_message_is_an_eml_file_with_a_plain_text_part() {
    for db in testing::all().await {
        let dir = std::env::temp_dir().join(format!(
            "epop-outbox-{}-{}",
            std::process::id(),
            db.engine() as u8
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mut conn = db.conn().await.unwrap();
        outbox::enqueue(&mut conn, &message("awa@exemple.fr"))
            .await
            .unwrap();
        let mailer = Mailer::new("EPoP <ne-pas-repondre@epop.test>", None, dir.clone()).unwrap();
        assert_eq!(drain(&db, &mailer).await.unwrap(), 1);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().unwrap(), "eml");
        let eml = std::fs::read_to_string(&files[0]).unwrap();
        assert!(eml.contains("Content-Type: text/plain; charset=utf-8"));
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
async fn demo_data_is_idempotent() {
    for db in testing::all().await {
        let first = epop::demo::load(&db).await.unwrap();
        // 10 organisations, the accounts, 5 named profiles, 30 made-up colleagues.
        assert_eq!(first, 10 + epop::demo::ACCOUNTS.len() + 5 + 30);
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
