use std::collections::BTreeSet;

use epop_store::{Db, Engine, testing};

/// (table, column, not null) for every column of our tables. The search
/// index is engine-specific (SQLite: the FTS5 table `profile_fts`;
/// PostgreSQL: the table `profile_fts` of stored tsvectors with a GIN index),
/// so it is left out.
async fn columns(db: &Db) -> BTreeSet<(String, String, bool)> {
    let sql = match db.engine() {
        Engine::Sqlite => {
            "SELECT m.name, p.name, p.\"notnull\" FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
             AND m.name NOT LIKE 'profile\\_fts%' ESCAPE '\\'"
        }
        Engine::Postgres => {
            "SELECT table_name::text, column_name::text, CASE is_nullable WHEN 'NO' THEN 1 ELSE 0 END::bigint \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' \
             AND table_name NOT LIKE 'profile\\_fts%'"
        }
    };
    let rows: Vec<(String, String, i64)> = sqlx::query_as(sql).fetch_all(db.pool()).await.unwrap();
    rows.into_iter().map(|(t, c, n)| (t, c, n != 0)).collect()
}

#[tokio::test]
async fn both_engines_have_the_same_tables_columns_and_nullability() {
    let sqlite = testing::sqlite().await;
    let lite = columns(&sqlite).await;
    assert!(lite.contains(&("accounts".into(), "email".into(), true)));
    assert!(lite.contains(&("accounts".into(), "password_hash".into(), false)));
    assert!(lite.len() > 40, "only {} columns", lite.len());
    let Some(pg) = testing::postgres().await else {
        eprintln!("EPOP_TEST_POSTGRES_URL is not set: schema comparison with PostgreSQL skipped");
        return;
    };
    let pg = columns(&pg).await;
    let only_sqlite: Vec<_> = lite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "schemas differ\nonly in SQLite: {only_sqlite:#?}\nonly in PostgreSQL: {only_pg:#?}"
    );
}

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    for db in testing::all().await {
        let before = columns(&db).await;
        db.migrate().await.unwrap();
        assert_eq!(before, columns(&db).await);
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM departments")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(n, 101);
    }
}
