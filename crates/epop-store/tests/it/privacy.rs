//! The register of personal data against the real schemas, and the
//! retention purges it drives, by ageing rows on both engines.

use std::collections::{BTreeMap, BTreeSet};

use epop_store::privacy::{self, DAY, Keep, REGISTER};
use epop_store::{now, requests, testing};

use testing::text_columns;

#[tokio::test]
async fn every_table_and_text_column_is_in_the_register() {
    for db in testing::all().await {
        let schema = text_columns(&db).await;
        let mut missing = Vec::new();
        for (table, columns) in &schema {
            let Some(entry) = privacy::table(table) else {
                missing.push(format!("table {table}"));
                continue;
            };
            for c in columns {
                if !entry.columns.iter().any(|(name, _)| name == c) {
                    missing.push(format!("column {table}.{c}"));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "{:?}: not in the register of personal data (crates/epop-store/src/privacy.rs): {missing:#?}",
            db.engine()
        );
        // And the register names no table that does not exist.
        for t in REGISTER.iter() {
            assert!(
                schema.contains_key(t.name),
                "{:?}: the register names a table that does not exist: {}",
                db.engine(),
                t.name
            );
        }
    }
}

#[tokio::test]
async fn the_register_columns_exist_in_one_engine_at_least() {
    let dbs = testing::all().await;
    let mut all: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for db in &dbs {
        for (t, c) in text_columns(db).await {
            all.entry(t).or_default().extend(c);
        }
    }
    for t in REGISTER.iter() {
        for (c, _) in t.columns {
            // The search index differs between engines (FTS5 columns or
            // copies of the profile's columns).
            if t.name == "profile_fts" && dbs.len() == 1 {
                continue;
            }
            assert!(
                all.get(t.name).is_some_and(|cs| cs.contains(*c)),
                "the register names a column that does not exist: {}.{c}",
                t.name
            );
        }
    }
}

/// Each purge of the register deletes the rows older than its duration,
/// and only them.
#[tokio::test]
async fn the_worker_purges_what_the_register_says_after_its_duration() {
    let Keep::Purged {
        days: audit_days, ..
    } = privacy::table("audit_log").unwrap().keep
    else {
        panic!("the audit log is purged");
    };
    let Keep::Purged {
        days: limit_days, ..
    } = privacy::table("rate_limits").unwrap().keep
    else {
        panic!("rate limits are purged");
    };
    let Keep::Purged {
        days: draft_days, ..
    } = privacy::table("intervention_requests").unwrap().keep
    else {
        panic!("drafts are purged");
    };
    assert_eq!((audit_days, limit_days, draft_days), (365, 1, 30));
    for db in testing::all().await {
        let t = now();
        let mut conn = db.conn().await.unwrap();
        for (at, what) in [
            (t - audit_days * DAY - 60, "old"),
            (t - audit_days * DAY + 3600, "recent"),
        ] {
            sqlx::query("INSERT INTO audit_log (at, action, detail) VALUES ($1, 'test', $2)")
                .bind(at)
                .bind(what)
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        for (start, bucket) in [
            (t - limit_days * DAY - 60, "sign_in:address:old@x.fr"),
            (t - 60, "sign_in:address:recent@x.fr"),
        ] {
            sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 3)")
                .bind(bucket)
                .bind(start)
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        for (at, id) in [
            (t - draft_days * DAY - 60, "old-draft"),
            (t - draft_days * DAY + 3600, "recent-draft"),
            (t - 400 * DAY, "old-submitted"),
        ] {
            requests::save_draft(&mut conn, id, "subject=x", "a@x.fr", id, at)
                .await
                .unwrap();
        }
        sqlx::query("UPDATE intervention_requests SET status = 'submitted', token_hash = NULL WHERE public_id = 'old-submitted'")
            .execute(&mut *conn)
            .await
            .unwrap();

        let done = privacy::purge(&mut conn, t).await.unwrap();
        let gone: BTreeMap<_, _> = done.into_iter().collect();
        assert_eq!(gone["audit_log"], 1);
        assert_eq!(gone["rate_limits"], 1);
        assert_eq!(gone["intervention_requests"], 1);
        let left: Vec<String> =
            sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'test'")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(left, vec!["recent".to_owned()]);
        let left: Vec<String> =
            sqlx::query_scalar("SELECT bucket FROM rate_limits ORDER BY bucket")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(left, vec!["sign_in:address:recent@x.fr".to_owned()]);
        let left: Vec<String> =
            sqlx::query_scalar("SELECT public_id FROM intervention_requests ORDER BY public_id")
                .fetch_all(&mut *conn)
                .await
                .unwrap();
        assert_eq!(
            left,
            vec!["old-submitted".to_owned(), "recent-draft".to_owned()]
        );
    }
}
