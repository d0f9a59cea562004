use epop_store::outbox::{self, MAX_ATTEMPTS, Message};
use epop_store::testing;

fn msg(to: &str) -> Message {
    Message {
        recipient: to.into(),
        subject: "Votre lien".into(),
        body_text: "Bonjour".into(),
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
