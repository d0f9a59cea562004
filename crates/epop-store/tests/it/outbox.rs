use epop_store::outbox::{self, Attachment, KEEP_DONE_SECS, MAX_ATTEMPTS, Message, Pending};
use epop_store::testing;

fn msg(to: &str) -> Message {
    Message {
        recipient: to.into(),
        subject: "Votre lien".into(),
        body_text: "Bonjour".into(),
        attachment: None,
    }
}

#[tokio::test]
async fn claimed_messages_are_leased_sent_once_and_retried_with_backoff() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        for to in ["a@exemple.fr", "b@exemple.fr", "c@exemple.fr"] {
            outbox::enqueue(&mut c, &msg(to)).await.unwrap();
        }
        assert_eq!(outbox::backlog(&mut c).await.unwrap(), 3);
        let first = outbox::claim(&db, 2, 60).await.unwrap();
        assert_eq!(first.len(), 2);
        assert_eq!(first[0].message.recipient, "a@exemple.fr");
        // Leased messages are not claimed again.
        let second = outbox::claim(&db, 10, 60).await.unwrap();
        assert_eq!(second.len(), 1);
        assert_eq!(second[0].message.recipient, "c@exemple.fr");
        assert!(outbox::claim(&db, 10, 60).await.unwrap().is_empty());

        outbox::mark_sent(&mut c, &first[0]).await.unwrap();
        outbox::mark_failed(&mut c, &first[1], "connexion refusée")
            .await
            .unwrap();
        assert_eq!(outbox::backlog(&mut c).await.unwrap(), 2);
        // The failed one waits for its backoff: not claimable right now.
        assert!(outbox::claim(&db, 10, 60).await.unwrap().is_empty());
        let recent = outbox::recent(&mut c, Some("b@exemple.fr"), 5)
            .await
            .unwrap();
        assert_eq!(recent[0].0.last_error.as_deref(), Some("connexion refusée"));
        assert_eq!(recent[0].0.attempts, 1);

        // After MAX_ATTEMPTS failures, it leaves the backlog.
        for attempts in 1..MAX_ATTEMPTS {
            let again = Pending {
                attempts,
                ..first[1].clone()
            };
            outbox::mark_failed(&mut c, &again, "toujours refusé")
                .await
                .unwrap();
        }
        assert_eq!(outbox::backlog(&mut c).await.unwrap(), 1);
    }
}

#[tokio::test]
async fn an_attachment_survives_enqueue_and_claim() {
    // CRLF line ends, a folded line, accents, commas and semicolons: the
    // text must come back byte for byte.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
               SUMMARY:Réunion d'information\\, en ligne\\; 1 h\r\n\
               DESCRIPTION:Présentation de la plateforme\\, puis questions\\nÀ bient\r\n ôt\r\n\
               END:VEVENT\r\nEND:VCALENDAR\r\n";
    let with_file = Message {
        attachment: Some(Attachment {
            filename: "reunion-9-janvier.ics".into(),
            content_type: "text/calendar; charset=utf-8; method=PUBLISH".into(),
            body: ics.into(),
        }),
        ..msg("a@exemple.fr")
    };
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        outbox::enqueue(&mut c, &with_file).await.unwrap();
        outbox::enqueue(&mut c, &msg("b@exemple.fr")).await.unwrap();
        let claimed = outbox::claim(&db, 10, 60).await.unwrap();
        assert_eq!(claimed.len(), 2);
        assert_eq!(claimed[0].message, with_file);
        assert_eq!(claimed[0].message.attachment.as_ref().unwrap().body, ics);
        assert_eq!(claimed[1].message, msg("b@exemple.fr"));
        assert_eq!(claimed[1].message.attachment, None);
    }
}

/// What the outbox holds of each message: recipient, body, attachment.
async fn kept(c: &mut epop_store::Conn) -> Vec<(String, String, Option<String>, Option<String>)> {
    sqlx::query_as(
        "SELECT recipient, body_text, attachment_name, attachment_body FROM outbox ORDER BY id",
    )
    .fetch_all(c)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_done_message_keeps_no_body_no_file_and_a_hashed_recipient_for_30_days() {
    let with_file = Message {
        body_text: "Votre lien : https://epop.test/inscriptions/jeton-secret".into(),
        attachment: Some(Attachment {
            filename: "evenement.ics".into(),
            content_type: "text/calendar".into(),
            body: "BEGIN:VCALENDAR".into(),
        }),
        ..msg("Awa.Diallo@Exemple.fr")
    };
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        outbox::enqueue(&mut c, &with_file).await.unwrap();
        outbox::enqueue(&mut c, &msg("lea@exemple.fr"))
            .await
            .unwrap();
        outbox::enqueue(&mut c, &msg("waiting@exemple.fr"))
            .await
            .unwrap();
        let claimed = outbox::claim(&db, 2, 60).await.unwrap();
        // The first is sent; the second fails for good at its last attempt.
        outbox::mark_sent(&mut c, &claimed[0]).await.unwrap();
        sqlx::query("UPDATE outbox SET attempts = $1 WHERE id = $2")
            .bind(MAX_ATTEMPTS - 1)
            .bind(claimed[1].id)
            .execute(&mut *c)
            .await
            .unwrap();
        let last = Pending {
            attempts: MAX_ATTEMPTS - 1,
            ..claimed[1].clone()
        };
        outbox::mark_failed(&mut c, &last, "550 <Lea@Exemple.fr> : boîte inconnue")
            .await
            .unwrap();
        let rows = kept(&mut c).await;
        // SHA-256 of the lower-cased address, as `sha256sum` gives it.
        let hashed = outbox::recipient_hash("awa.diallo@exemple.fr");
        assert_eq!(
            hashed,
            "196e42dd1380698c99637f770e54b6c4463261a88d1b395681de92eda4bed6e3"
        );
        assert_eq!(rows[0], (hashed.clone(), String::new(), None, None));
        assert_eq!(
            rows[1],
            (
                outbox::recipient_hash("lea@exemple.fr"),
                String::new(),
                None,
                None
            )
        );
        // The one still waiting keeps what it needs to be sent.
        assert_eq!(rows[2].0, "waiting@exemple.fr");
        assert_eq!(rows[2].1, "Bonjour");
        // The done lines are still found from the address, without a body.
        let found = outbox::recent(&mut c, Some("awa.diallo@exemple.fr"), 5)
            .await
            .unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0.subject, "Votre lien");
        assert!(found[0].0.sent_at.is_some());
        assert_eq!(found[0].1, "");
        let given_up = &outbox::recent(&mut c, Some("lea@exemple.fr"), 5)
            .await
            .unwrap()[0]
            .0;
        assert_eq!(given_up.attempts, MAX_ATTEMPTS);
        assert_eq!(
            given_up.last_error.as_deref(),
            Some("550 <(destinataire)> : boîte inconnue")
        );
        assert!(given_up.sent_at.is_none());

        // Aged to 29 days: kept. Aged past 30 days: deleted, the waiting one stays.
        let t = epop_store::now();
        let age = |days: i64| t - days * 86_400;
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE sent_at IS NOT NULL")
            .bind(age(29))
            .execute(&mut *c)
            .await
            .unwrap();
        sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE attempts >= $2")
            .bind(age(29))
            .bind(MAX_ATTEMPTS)
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(outbox::purge(&mut c, t).await.unwrap(), 0);
        assert_eq!(kept(&mut c).await.len(), 3);
        sqlx::query("UPDATE outbox SET sent_at = $1 WHERE sent_at IS NOT NULL")
            .bind(t - KEEP_DONE_SECS - 1)
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(outbox::purge(&mut c, t).await.unwrap(), 1);
        sqlx::query("UPDATE outbox SET next_attempt_at = $1 WHERE attempts >= $2")
            .bind(t - KEEP_DONE_SECS - 1)
            .bind(MAX_ATTEMPTS)
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(outbox::purge(&mut c, t).await.unwrap(), 1);
        let rows = kept(&mut c).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, "waiting@exemple.fr");
        // A line sent before this code (body and address kept) is
        // forgotten by the next purge.
        sqlx::query(
            "INSERT INTO outbox (message_id, recipient, subject, body_text, created_at, attempts, \
             next_attempt_at, sent_at) VALUES ('ancien@epop', 'nour@exemple.fr', 'Ancien', \
             'Votre lien : https://epop.test/inscriptions/ancien', $1, 1, $1, $1)",
        )
        .bind(age(2))
        .execute(&mut *c)
        .await
        .unwrap();
        assert_eq!(outbox::purge(&mut c, t).await.unwrap(), 0);
        let rows = kept(&mut c).await;
        assert_eq!(
            rows[1],
            (
                outbox::recipient_hash("nour@exemple.fr"),
                String::new(),
                None,
                None
            )
        );
        sqlx::query("DELETE FROM outbox WHERE message_id = 'ancien@epop'")
            .execute(&mut *c)
            .await
            .unwrap();
        // A message waiting for ever is not purged, whatever its age.
        sqlx::query("UPDATE outbox SET created_at = $1, next_attempt_at = $1")
            .bind(age(400))
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(outbox::purge(&mut c, t).await.unwrap(), 0);
    }
}
