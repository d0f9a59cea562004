//! `seed-bench --interventions`: the made-up history the indicators'
//! benchmark reads is coherent on both engines — every request's steps lead
//! to its state, the day done is kept on done requests only and never in
//! the future, the answers belong to done interventions — and a second run
//! makes nothing.

use epop_store::{history, testing};
use sqlx::Row;

async fn one(db: &epop_store::Db, sql: &str) -> i64 {
    let mut conn = db.conn().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
        .get::<i64, _>(0)
}

#[tokio::test]
async fn the_history_is_coherent_and_made_once() {
    for db in testing::all().await {
        epop::synthetic::seed(&db, 60, None, "bench.epop.test", |_| {})
            .await
            .unwrap();
        let made = history::seed(&db, 2_000, |_| {}).await.unwrap();
        assert_eq!(
            (made.requests, made.sessions, made.events, made.candidates),
            (2_000, 6, 12, 40)
        );
        // One in twenty of each waiting state, two cancelled, thirteen done.
        for (status, count) in [
            ("submitted", 100),
            ("proposed", 100),
            ("cancelled", 200),
            ("done", 700),
            ("evaluated", 400),
            ("closed", 200),
        ] {
            let n = one(
                &db,
                &format!("SELECT COUNT(*) FROM intervention_requests WHERE status = '{status}'"),
            )
            .await;
            assert_eq!(n, count, "{status}");
        }
        // The day done is kept on the 1,300 done requests, and each has one
        // step « done » at that very time; nothing is done in the future.
        assert_eq!(
            one(
                &db,
                "SELECT COUNT(*) FROM intervention_requests WHERE done_at IS NOT NULL"
            )
            .await,
            1_300
        );
        assert_eq!(
            one(
                &db,
                "SELECT COUNT(*) FROM intervention_requests r JOIN request_transitions t ON t.request_id = r.id \
                 AND t.to_status = 'done' AND t.created_at = r.done_at"
            )
            .await,
            1_300
        );
        assert_eq!(
            one(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM request_transitions WHERE created_at > {}",
                    epop_store::now()
                )
            )
            .await,
            0
        );
        // Every request's last step is its state.
        assert_eq!(
            one(
                &db,
                "SELECT COUNT(*) FROM intervention_requests r WHERE r.status <> (SELECT t.to_status \
                 FROM request_transitions t WHERE t.request_id = r.id ORDER BY t.created_at DESC, t.id DESC LIMIT 1)"
            )
            .await,
            0
        );
        // Accepted proposals and payments only where the peer said yes.
        assert_eq!(
            one(
                &db,
                "SELECT COUNT(*) FROM request_proposals WHERE status = 'accepted'"
            )
            .await,
            1_500
        );
        assert_eq!(
            one(
                &db,
                "SELECT COUNT(*) FROM request_payments p JOIN intervention_requests r ON r.id = p.request_id \
                 WHERE r.done_at IS NULL"
            )
            .await,
            0
        );
        // Answers only about done interventions, three per response.
        let responses = one(&db, "SELECT COUNT(*) FROM questionnaire_responses x JOIN intervention_requests r \
             ON r.id = x.subject_id AND x.subject_kind = 'intervention' WHERE r.done_at IS NOT NULL AND r.public_id LIKE 'bench-%'").await;
        assert!(responses > 0);
        assert_eq!(
            one(&db, "SELECT COUNT(*) FROM questionnaire_answers a JOIN questionnaire_responses x ON x.id = a.response_id \
                 WHERE x.subject_kind = 'intervention'").await,
            3 * one(&db, "SELECT COUNT(*) FROM questionnaire_responses WHERE subject_kind = 'intervention'").await
        );
        // Run again: nothing new.
        let again = history::seed(&db, 2_000, |_| {}).await.unwrap();
        assert_eq!(
            (
                again.requests,
                again.sessions,
                again.events,
                again.candidates
            ),
            (0, 0, 0, 0)
        );
        assert_eq!(
            one(&db, "SELECT COUNT(*) FROM intervention_requests").await,
            2_000
        );
    }
}
