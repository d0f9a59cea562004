//! Fresh, migrated databases for tests: always a SQLite file, and a
//! PostgreSQL schema of its own when `EPOP_TEST_POSTGRES_URL` is set.

use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::Executor;

use crate::Db;

static N: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default();
    format!(
        "{prefix}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000_000
    )
}

/// A fresh migrated SQLite database in the temporary folder.
pub async fn sqlite() -> Db {
    let path = std::env::temp_dir().join(format!("{}.db", unique("epop_test")));
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("sqlite");
    db.migrate().await.expect("migrate sqlite");
    db
}

/// The PostgreSQL URL tests run against, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("EPOP_TEST_POSTGRES_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A URL to a fresh, empty schema of its own on the test PostgreSQL server.
pub async fn postgres_schema_url(base: &str) -> String {
    let schema = unique("t");
    let admin = Db::connect(base).await.expect("postgres");
    admin
        .pool()
        .execute(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .await
        .expect("create schema");
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
}

/// A fresh migrated PostgreSQL database (its own schema), if configured.
pub async fn postgres() -> Option<Db> {
    let base = postgres_url()?;
    let url = postgres_schema_url(&base).await;
    let db = Db::connect(&url).await.expect("postgres schema");
    db.migrate().await.expect("migrate postgres");
    Some(db)
}

/// Every engine to run a test on: SQLite always, PostgreSQL when configured.
pub async fn all() -> Vec<Db> {
    let mut dbs = vec![sqlite().await];
    dbs.extend(postgres().await);
    dbs
}

/// Every table of the schema with its text columns (SQLite's FTS5 shadow
/// tables left out: they belong to `profile_fts`), for the register of
/// personal data and the scans that prove an erasure.
pub async fn text_columns(
    db: &Db,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let sql = match db.engine() {
        // FTS5 columns have no declared type: they are text.
        crate::Engine::Sqlite => {
            "SELECT m.name, p.name, UPPER(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\'"
        }
        crate::Engine::Postgres => {
            "SELECT table_name::text, column_name::text, \
             CASE WHEN data_type IN ('text', 'character varying') THEN 'TEXT' ELSE data_type::text END \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'"
        }
    };
    let rows: Vec<(String, String, String)> = sqlx::query_as(sql)
        .fetch_all(db.pool())
        .await
        .expect("schema");
    let mut out: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    for (table, column, kind) in rows {
        if crate::privacy::is_internal(db.engine(), &table) {
            continue;
        }
        let columns = out.entry(table).or_default();
        if kind == "TEXT" || kind.is_empty() {
            columns.insert(column);
        }
    }
    out
}

/// Fresh databases (SQLite, and PostgreSQL when configured) migrated only up
/// to `last` included: a test seeds what a later data migration reads, then
/// calls [`Db::migrate`].
pub async fn migrated_until(last: i64) -> Vec<Db> {
    let path = std::env::temp_dir().join(format!("{}.db", unique("epop_test")));
    let db = Db::connect(&format!("sqlite://{}", path.display()))
        .await
        .expect("sqlite");
    db.migrate_until(last).await.expect("migrate sqlite");
    let mut dbs = vec![db];
    if let Some(base) = postgres_url() {
        let url = postgres_schema_url(&base).await;
        let db = Db::connect(&url).await.expect("postgres schema");
        db.migrate_until(last).await.expect("migrate postgres");
        dbs.push(db);
    }
    dbs
}
