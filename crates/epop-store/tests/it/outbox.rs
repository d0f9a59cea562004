use epop_store::outbox::{self, Attachment, MAX_ATTEMPTS, Message};
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

        outbox::mark_sent(&mut c, first[0].id).await.unwrap();
        outbox::mark_failed(&mut c, first[1].id, 0, "connexion refusée")
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
        for n in 1..MAX_ATTEMPTS {
            outbox::mark_failed(&mut c, first[1].id, n, "toujours refusé")
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
