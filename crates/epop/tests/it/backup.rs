//! `epop backup` / `epop restore` on both engines: a writer keeps adding
//! rows while the backup runs; the restored database (a fresh SQLite file,
//! a fresh PostgreSQL database) holds every row acknowledged before the
//! backup started, the stored files (in the folder, and in the test S3
//! server when there is one) and the data directory's come back byte for
//! byte, and a restore into a database that is not empty, or of another
//! engine's backup, is refused.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use epop::backup::{self, MANIFEST};
use epop_store::{Db, audit, testing};
use epop_web::storage::Storage;

use crate::harness::temp_dir;
use crate::storage::stores;

/// Adds audit lines one transaction at a time until told to stop; each
/// subject is pushed once its transaction is committed (acknowledged).
fn writer(db: Db, stop: Arc<AtomicBool>) -> (Arc<Mutex<Vec<String>>>, tokio::task::JoinHandle<()>) {
    let acked = Arc::new(Mutex::new(Vec::new()));
    let out = acked.clone();
    let task = tokio::spawn(async move {
        let mut n = 0;
        while !stop.load(Ordering::SeqCst) {
            let subject = format!("ligne-{n}");
            let mut tx = db.write().await.unwrap();
            audit::record(
                &mut tx,
                audit::Event {
                    actor_id: None,
                    action: "backup_test",
                    subject: Some(subject.clone()),
                    detail: format!("Écrite pendant la sauvegarde ({n})"),
                    ip: None,
                },
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            out.lock().unwrap().push(subject);
            n += 1;
            tokio::task::yield_now().await;
        }
    });
    (acked, task)
}

/// Some stored files (a photo, a receipt in a sub-folder) and a file of
/// the data directory (an e-mail written without SMTP).
async fn files(files: &dyn Storage, data_dir: &Path) -> Vec<(String, Vec<u8>)> {
    let made = vec![
        (
            "photos/awa.webp".to_owned(),
            (0..=255u8).cycle().take(70_000).collect::<Vec<u8>>(),
        ),
        (
            "justificatifs/2026/recu.pdf".to_owned(),
            b"%PDF-1.7 re\xe7u\n".to_vec(),
        ),
    ];
    for (key, bytes) in &made {
        files.put(key, bytes).await.unwrap();
    }
    let mail = data_dir.join(OUTBOX_FILE);
    std::fs::create_dir_all(mail.parent().unwrap()).unwrap();
    std::fs::write(mail, b"Subject: Bienvenue\r\n\r\nBonjour").unwrap();
    made
}

const OUTBOX_FILE: &str = "outbox/000001.eml";

async fn subjects(db: &Db) -> std::collections::HashSet<String> {
    sqlx::query_scalar::<_, String>("SELECT subject FROM audit_log WHERE action = 'backup_test'")
        .fetch_all(db.pool())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

/// Backs up `url` and its stored files `kept` while a writer writes;
/// restores into `fresh_url` and the empty storage `restored_files`;
/// checks rows and files. Gives the backup folder.
async fn round_trip(
    url: &str,
    fresh_url: &str,
    tag: &str,
    (kept, restored_files): (&dyn Storage, &dyn Storage),
) -> std::path::PathBuf {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let data_dir = temp_dir(&format!("backup-data-{tag}"));
    let made = files(kept, &data_dir).await;
    let stop = Arc::new(AtomicBool::new(false));
    let (acked, task) = writer(db.clone(), stop.clone());
    while acked.lock().unwrap().len() < 30 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let before: Vec<String> = acked.lock().unwrap().clone();
    let dir = temp_dir(&format!("backup-{tag}")).join("sauvegarde");
    let manifest = backup::backup(&db, url, &data_dir, kept, &dir)
        .await
        .unwrap();
    let during = acked.lock().unwrap().len();
    stop.store(true, Ordering::SeqCst);
    task.await.unwrap();
    assert_eq!(manifest.version_migrations, Db::latest_migration());
    assert_eq!(manifest.stockage, made.len(), "{manifest:?}");
    assert_eq!(manifest.fichiers, 1, "{manifest:?}");
    assert!(dir.join(MANIFEST).exists());
    // The writer went on while the backup ran.
    assert!(
        acked.lock().unwrap().len() > before.len(),
        "{tag}: no write during the backup"
    );

    let restored_dir = temp_dir(&format!("backup-restored-{tag}"));
    let restored = backup::restore(fresh_url, &restored_dir, restored_files, &dir)
        .await
        .unwrap();
    let found = subjects(&restored).await;
    let missing: Vec<&String> = before.iter().filter(|s| !found.contains(*s)).collect();
    assert!(
        missing.is_empty(),
        "{tag}: acknowledged rows missing: {missing:?}"
    );
    assert!(found.len() <= during, "{tag}: rows the writer never wrote?");
    // The demo data came back, and the database is usable (migrated).
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts")
        .fetch_one(restored.pool())
        .await
        .unwrap();
    assert!(accounts >= 5, "{tag}: {accounts} accounts");
    assert_eq!(
        restored.migration_version().await.unwrap(),
        Db::latest_migration()
    );
    for (key, bytes) in &made {
        assert_eq!(&restored_files.get(key).await.unwrap(), bytes, "{key}");
    }
    assert_eq!(
        std::fs::read(restored_dir.join(OUTBOX_FILE)).unwrap(),
        b"Subject: Bienvenue\r\n\r\nBonjour"
    );

    // Again into the same database: refused, and nothing changed.
    let err = backup::restore(fresh_url, &restored_dir, restored_files, &dir)
        .await
        .expect_err("a database that is not empty is refused");
    assert!(err.contains("la base cible n’est pas vide"), "{err}");
    assert_eq!(subjects(&restored).await, found);
    // A second backup into the same folder is refused.
    let err = backup::backup(&db, url, &data_dir, kept, &dir)
        .await
        .unwrap_err();
    assert!(err.contains("contient déjà une sauvegarde"), "{err}");
    restored.close().await;
    db.close().await;
    dir
}

fn sqlite_url(tag: &str) -> String {
    let path = temp_dir(&format!("backup-db-{tag}")).join("epop.db");
    format!("sqlite://{}", path.display())
}

/// A new PostgreSQL database on the test server (dropped by [`drop_database`]).
async fn create_database(base: &str, name: &str) -> String {
    let admin = Db::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await
        .unwrap();
    admin.close().await;
    let mut url = url::Url::parse(base).unwrap();
    url.set_path(name);
    url.set_query(None);
    url.to_string()
}

async fn drop_database(base: &str, name: &str) {
    let admin = Db::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(admin.pool())
    .await
    .unwrap();
    admin.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_made_while_writing_restores_every_acknowledged_row_and_file() {
    // On every storage (the folder, the test S3 server), SQLite.
    let mut sqlite_backup = None;
    for (n, (kept, restored)) in stores("backup-kept")
        .into_iter()
        .zip(stores("backup-restored"))
        .enumerate()
    {
        let (a, b) = (format!("a{n}"), format!("b{n}"));
        let tag = format!("sqlite-{n}");
        let dir = round_trip(
            &sqlite_url(&a),
            &sqlite_url(&b),
            &tag,
            (kept.as_ref(), restored.as_ref()),
        )
        .await;
        sqlite_backup.get_or_insert(dir);
    }
    let sqlite_backup = sqlite_backup.unwrap();
    let none = epop_web::storage::Folder::new(temp_dir("backup-none"));

    // Not a backup folder.
    let empty = temp_dir("backup-empty");
    let err = backup::restore(&sqlite_url("c"), &empty, &none, &empty)
        .await
        .unwrap_err();
    assert!(err.contains("n’est pas une sauvegarde EPoP"), "{err}");
    // A backup from a newer program.
    let newer = temp_dir("backup-newer");
    let mut m = backup::read_manifest(&sqlite_backup).unwrap();
    m.version_migrations = Db::latest_migration() + 1;
    std::fs::write(newer.join(MANIFEST), serde_json::to_string(&m).unwrap()).unwrap();
    let err = backup::restore(&sqlite_url("d"), &empty, &none, &newer)
        .await
        .unwrap_err();
    assert!(err.contains("version plus récente"), "{err}");

    let Some(base) = testing::postgres_url() else {
        return;
    };
    let n = std::process::id();
    let (a, b) = (format!("epop_backup_{n}_a"), format!("epop_backup_{n}_b"));
    let source = create_database(&base, &a).await;
    let fresh = create_database(&base, &b).await;
    let (kept, restored) = (temp_dir("backup-pg-kept"), temp_dir("backup-pg-restored"));
    let pg_backup = round_trip(
        &source,
        &fresh,
        "pg",
        (
            &epop_web::storage::Folder::new(kept),
            &epop_web::storage::Folder::new(restored),
        ),
    )
    .await;
    // Another engine's backup, both ways.
    let err = backup::restore(&sqlite_url("e"), &empty, &none, &pg_backup)
        .await
        .unwrap_err();
    assert!(
        err.contains("vient d’une base PostgreSQL et la base cible est SQLite"),
        "{err}"
    );
    let schema_url = testing::postgres_schema_url(&base).await;
    let err = backup::restore(&schema_url, &empty, &none, &sqlite_backup)
        .await
        .unwrap_err();
    assert!(
        err.contains("vient d’une base SQLite et la base cible est PostgreSQL"),
        "{err}"
    );
    // A target URL naming another schema than the one saved.
    let err = backup::restore(&schema_url, &empty, &none, &pg_backup)
        .await
        .unwrap_err();
    assert!(err.contains("contient le schéma « public »"), "{err}");
    drop_database(&base, &a).await;
    drop_database(&base, &b).await;
}
