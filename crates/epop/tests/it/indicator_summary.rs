//! The indicators' summary kept by triggers: after changes of every kind
//! (a request cancelled or moved to another département, a proposal
//! withdrawn, a payment made, an expense added, an organisation's kind
//! corrected, responses deleted), the figures recounted cell by cell before
//! a reading equal those of a summary rebuilt from nothing, on both
//! engines; and the log is empty after a reading.

use epop_domain::directory::InterventionKind;
use epop_domain::indicators::{Area, Filter, Indicators, Month, Period};
use epop_domain::{DepartmentCode, RegionCode};
use epop_store::indicators::{compute, summary};
use epop_store::{Db, history, testing};

async fn exec(db: &Db, sql: &str) -> u64 {
    let mut conn = db.conn().await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .rows_affected()
}

async fn one(db: &Db, sql: &str) -> i64 {
    let mut conn = db.conn().await.unwrap();
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// The cases read: a whole year (peers from the summary), part of a year
/// (peers counted from the proposals), a région, a département, one kind.
fn cases() -> Vec<(Filter, Option<Vec<String>>)> {
    let year = Filter::year(2024);
    let occitanie: Vec<String> = [
        "09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82",
    ]
    .map(String::from)
    .to_vec();
    vec![
        (year.clone(), None),
        (
            Filter {
                area: Area::Region(RegionCode::parse("76").unwrap()),
                ..year.clone()
            },
            Some(occitanie),
        ),
        (
            Filter {
                area: Area::Department(DepartmentCode::parse("31").unwrap()),
                ..year.clone()
            },
            Some(vec!["31".to_owned()]),
        ),
        (
            Filter {
                kind: Some(InterventionKind::TrainingProfessionals),
                ..year.clone()
            },
            None,
        ),
        (
            Filter {
                period: Period {
                    from: Month {
                        year: 2023,
                        month: 11,
                    },
                    to: Month {
                        year: 2024,
                        month: 4,
                    },
                },
                ..year
            },
            None,
        ),
    ]
}

async fn figures(db: &Db) -> Vec<Indicators> {
    let mut out = Vec::new();
    for (filter, places) in cases() {
        out.push(
            compute(db, &filter, places.as_deref(), epop_store::now())
                .await
                .unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn the_summary_recounted_cell_by_cell_equals_a_summary_rebuilt() {
    for db in testing::all().await {
        epop::synthetic::seed(&db, 60, None, "bench.epop.test", |_| {})
            .await
            .unwrap();
        history::seed(&db, 2_000, |_| {}).await.unwrap();
        let before = figures(&db).await;
        assert_eq!(one(&db, "SELECT COUNT(*) FROM indicator_changes").await, 0);
        let national = &before[0];
        assert_eq!(
            national.done_by_month.iter().sum::<u64>() as i64,
            one(
                &db,
                &format!(
                    "SELECT COUNT(*) FROM intervention_requests WHERE done_at >= {} AND done_at < {}",
                    Month { year: 2024, month: 1 }.start(),
                    Month { year: 2025, month: 1 }.start()
                )
            )
            .await
        );
        assert!(national.peers_active > 0 && national.paid_cents > 0);

        let in_2024 = format!(
            "submitted_at >= {} AND submitted_at < {}",
            Month {
                year: 2024,
                month: 1
            }
            .start(),
            Month {
                year: 2025,
                month: 1
            }
            .start()
        );
        let changes = [
            format!(
                "INSERT INTO request_transitions (request_id, from_status, to_status, created_at) \
                 SELECT id, status, 'cancelled', submitted_at + 3600 FROM intervention_requests \
                 WHERE status = 'proposed' AND {in_2024}"
            ),
            format!(
                "UPDATE intervention_requests SET status = 'cancelled' \
                 WHERE status = 'proposed' AND {in_2024}"
            ),
            "UPDATE intervention_requests SET department_code = '09' WHERE id IN \
             (SELECT id FROM intervention_requests WHERE department_code = '31' \
             AND done_at IS NOT NULL ORDER BY id LIMIT 10)"
                .to_owned(),
            "UPDATE request_proposals SET status = 'withdrawn' WHERE id IN \
             (SELECT id FROM request_proposals WHERE status = 'accepted' ORDER BY id LIMIT 40)"
                .to_owned(),
            "UPDATE request_payments SET status = 'paid' WHERE status <> 'paid'".to_owned(),
            "INSERT INTO request_expenses (public_id, request_id, label, amount_cents, created_at) \
             SELECT 'essai-' || CAST(id AS TEXT), id, 'Train', 4200, done_at FROM intervention_requests \
             WHERE done_at IS NOT NULL AND id % 7 = 0"
                .to_owned(),
            "UPDATE organisations SET kind = 'esat' WHERE id IN (SELECT organisation_id \
             FROM intervention_requests WHERE done_at IS NOT NULL AND organisation_id IS NOT NULL \
             ORDER BY id LIMIT 3)"
                .to_owned(),
            "DELETE FROM questionnaire_responses WHERE id IN \
             (SELECT id FROM questionnaire_responses ORDER BY id LIMIT 50)"
                .to_owned(),
        ];
        for sql in &changes {
            assert!(exec(&db, sql).await > 0, "nothing changed: {sql}");
        }
        let logged = one(&db, "SELECT COUNT(*) FROM indicator_changes").await;
        assert!(
            logged > 0 && logged < summary::REBUILD_ABOVE,
            "{logged} changes logged: the cells are recounted one by one"
        );
        let after = figures(&db).await;
        assert_eq!(one(&db, "SELECT COUNT(*) FROM indicator_changes").await, 0);
        assert_ne!(before, after, "the changes show in the figures");
        assert!(after[0].requests.cancelled > before[0].requests.cancelled);
        summary::rebuild(&db).await.unwrap();
        let rebuilt = figures(&db).await;
        for (i, (a, r)) in after.iter().zip(&rebuilt).enumerate() {
            assert_eq!(a, r, "case {i}: recounted by cells vs rebuilt");
        }
        // The benchmark reads the same figures, with its reference.
        let mut out = Vec::new();
        let results = epop::bench_indicators::run(&db, 2, &mut out).await.unwrap();
        let out = String::from_utf8(out).unwrap();
        assert_eq!(results.len(), 5, "{out}");
        assert!(out.contains("Référence, au même moment"), "{out}");
        assert!(out.contains("p99 / réf."), "{out}");
    }
}
