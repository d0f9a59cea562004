//! `epop backup DIR` and `epop restore DIR`: a consistent copy of the
//! database and of the data directory's files, and its restoration into an
//! empty database.
//!
//! - SQLite: `VACUUM INTO` writes a consistent snapshot while the platform
//!   serves (readers and writers go on); the copy is `DIR/base.sqlite`.
//! - PostgreSQL: `pg_dump --format=custom --no-owner --schema=<schema>`
//!   (one snapshot) into `DIR/base.dump`; restored with `pg_restore
//!   --no-owner --exit-on-error`. Both must be installed (`postgresql-client`);
//!   the password is given to them in `PGPASSWORD`, never on their command line.
//! - The stored files (profile photos, receipts, news images, toolbox
//!   files: the folder `<data dir>/fichiers` or the object store of
//!   `EPOP_STORAGE_URL`) go to `DIR/stockage/`, one file per key; the rest
//!   of the data directory (`.eml` files…), the SQLite database and the
//!   storage's folder aside, to `DIR/fichiers/`. Both after the database: a
//!   file may be newer than the rows, never missing for a row.
//! - `DIR/sauvegarde.json` says which engine, when, and the last migration.
//!
//! A restore refuses another engine's backup, a backup made by a newer
//! program, and a database that is not empty; it puts `DIR/stockage/` into
//! the configured storage (an object store too), and runs the migrations
//! after.

use std::path::{Path, PathBuf};
use std::process::Command;

use epop_store::{Db, Engine};
use epop_web::storage::{self, Folder, Storage};
use serde::{Deserialize, Serialize};

/// The manifest's file name in a backup folder.
pub const MANIFEST: &str = "sauvegarde.json";
/// The folder of the data directory's files in a backup folder.
pub const FILES: &str = "fichiers";
/// The folder of the stored files in a backup folder.
pub const STORED: &str = "stockage";
const SQLITE_COPY: &str = "base.sqlite";
const POSTGRES_DUMP: &str = "base.dump";

/// What `sauvegarde.json` says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `sqlite` or `postgresql`.
    pub moteur: String,
    /// When the backup started (RFC 3339, UTC).
    pub date: String,
    /// The last migration applied to the database saved.
    pub version_migrations: i64,
    /// PostgreSQL: the schema saved (restored under the same name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// How many files of the data directory were copied.
    pub fichiers: usize,
    /// How many stored files were copied (backups made before the storage
    /// layer kept them among `fichiers`).
    #[serde(default)]
    pub stockage: usize,
}

fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Sqlite => "sqlite",
        Engine::Postgres => "postgresql",
    }
}

fn engine_label(name: &str) -> &str {
    match name {
        "sqlite" => "SQLite",
        "postgresql" => "PostgreSQL",
        other => other,
    }
}

/// Backs up `db` (reached at `database_url`), the stored `files` and
/// `data_dir` into `dir`, which must not hold a backup already.
pub async fn backup(
    db: &Db,
    database_url: &str,
    data_dir: &Path,
    files: &dyn Storage,
    dir: &Path,
) -> Result<Manifest, String> {
    if dir.join(MANIFEST).exists() {
        return Err(format!(
            "{} contient déjà une sauvegarde : choisissez un dossier vide",
            dir.display()
        ));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("impossible de créer le dossier {} : {e}", dir.display()))?;
    let date = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let version_migrations = db.migration_version().await.map_err(|e| e.to_string())?;
    let schema = match db.engine() {
        Engine::Sqlite => {
            let copy = dir.join(SQLITE_COPY);
            sqlx::query("VACUUM INTO $1")
                .bind(copy.to_string_lossy().into_owned())
                .execute(db.pool())
                .await
                .map_err(|e| format!("copie de la base SQLite impossible : {e}"))?;
            None
        }
        Engine::Postgres => {
            let schema = current_schema(db)
                .await?
                .ok_or("la base PostgreSQL n’a pas de schéma courant")?;
            let file = dir.join(POSTGRES_DUMP);
            let mut args = vec![
                "--format=custom".to_owned(),
                "--no-owner".to_owned(),
                format!("--schema={schema}"),
                format!("--file={}", file.display()),
            ];
            run_client("pg_dump", &mut args, database_url).await?;
            Some(schema)
        }
    };
    let stored = storage::copy_all(files, &Folder::new(dir.join(STORED)), |_, _| {}).await?;
    let mut skip = database_files(database_url);
    skip.extend(data_dir.join(storage::FOLDER).canonicalize());
    let fichiers = copy_tree(data_dir, &dir.join(FILES), &skip, Some(dir))?;
    let manifest = Manifest {
        moteur: engine_name(db.engine()).to_owned(),
        date,
        version_migrations,
        schema,
        fichiers,
        stockage: stored.copied,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(MANIFEST), json + "\n")
        .map_err(|e| format!("impossible d’écrire {MANIFEST} : {e}"))?;
    Ok(manifest)
}

/// Restores the backup in `dir` into the empty database at `database_url`,
/// its stored files into `files` and the others into `data_dir`, then
/// migrates; gives the migrated [`Db`].
pub async fn restore(
    database_url: &str,
    data_dir: &Path,
    files: &dyn Storage,
    dir: &Path,
) -> Result<Db, String> {
    let manifest = read_manifest(dir)?;
    let target = Db::connect(database_url)
        .await
        .map_err(|e| format!("connexion à la base impossible : {e}"))?;
    let target_engine = engine_name(target.engine());
    if manifest.moteur != target_engine {
        target.close().await;
        return Err(format!(
            "cette sauvegarde vient d’une base {} et la base cible est {} : \
             restaurez-la dans une base {}",
            engine_label(&manifest.moteur),
            engine_label(target_engine),
            engine_label(&manifest.moteur)
        ));
    }
    if manifest.version_migrations > Db::latest_migration() {
        target.close().await;
        return Err(format!(
            "cette sauvegarde vient d’une version plus récente d’EPoP (migration {}, \
             celle-ci connaît jusqu’à {}) : installez cette version avant de restaurer",
            manifest.version_migrations,
            Db::latest_migration()
        ));
    }
    match target.engine() {
        Engine::Sqlite => {
            let tables = count(
                &target,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
                None,
            )
            .await?;
            target.close().await;
            refuse_non_empty(tables)?;
            let path =
                sqlite_path(database_url).ok_or("cette URL SQLite ne désigne pas un fichier")?;
            for leftover in sqlite_files(&path) {
                match std::fs::remove_file(&leftover) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                        return Err(format!("impossible d’effacer {} : {e}", leftover.display()));
                    }
                    _ => {}
                }
            }
            std::fs::copy(dir.join(SQLITE_COPY), &path).map_err(|e| {
                format!("impossible de copier la base vers {} : {e}", path.display())
            })?;
        }
        Engine::Postgres => {
            let schema = manifest
                .schema
                .clone()
                .ok_or("la sauvegarde ne dit pas quel schéma elle contient")?;
            let tables = count(
                &target,
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = $1",
                Some(&schema),
            )
            .await?;
            let current = current_schema(&target).await?;
            if let Err(e) =
                refuse_non_empty(tables).and_then(|()| same_schema(current.as_deref(), &schema))
            {
                target.close().await;
                return Err(e);
            }
            // The dump creates its schema: an empty one already there
            // (`public` in a new database) gives way; RESTRICT refuses if
            // anything is in it.
            let dropped = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP SCHEMA IF EXISTS \"{}\" RESTRICT",
                schema.replace('"', "\"\"")
            )))
            .execute(target.pool())
            .await;
            target.close().await;
            dropped
                .map_err(|e| format!("le schéma {schema} de la base cible n’est pas vide : {e}"))?;
            let mut args = vec![
                "--no-owner".to_owned(),
                "--exit-on-error".to_owned(),
                dir.join(POSTGRES_DUMP).display().to_string(),
            ];
            run_client("pg_restore", &mut args, database_url).await?;
        }
    }
    storage::copy_all(&Folder::new(dir.join(STORED)), files, |_, _| {}).await?;
    copy_tree(&dir.join(FILES), data_dir, &[], None)?;
    // A backup made before the storage layer has photos and receipts in
    // its `fichiers`: they move into the storage like an old installation's.
    storage::adopt_legacy(files, data_dir).await?;
    let db = Db::connect(database_url)
        .await
        .map_err(|e| format!("connexion à la base restaurée impossible : {e}"))?;
    if let (Engine::Postgres, Some(schema)) = (db.engine(), &manifest.schema) {
        same_schema(current_schema(&db).await?.as_deref(), schema)?;
    }
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}

/// Reads `DIR/sauvegarde.json`.
pub fn read_manifest(dir: &Path) -> Result<Manifest, String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).map_err(|_| {
        format!(
            "{} n’est pas une sauvegarde EPoP ({MANIFEST} manquant)",
            dir.display()
        )
    })?;
    serde_json::from_str(&text).map_err(|e| format!("{MANIFEST} illisible : {e}"))
}

fn refuse_non_empty(tables: i64) -> Result<(), String> {
    if tables > 0 {
        Err(format!(
            "la base cible n’est pas vide ({tables} tables) : une sauvegarde se restaure \
             dans une base vide, créez-en une nouvelle"
        ))
    } else {
        Ok(())
    }
}

/// The restored tables must be the ones the URL reaches.
fn same_schema(current: Option<&str>, saved: &str) -> Result<(), String> {
    match current {
        Some(current) if current != saved => Err(format!(
            "la sauvegarde contient le schéma « {saved} » mais l’URL de la base cible \
             désigne le schéma « {current} » : ajoutez à l’URL \
             options=-c%20search_path%3D{saved}"
        )),
        _ => Ok(()),
    }
}

async fn count(db: &Db, sql: &'static str, bind: Option<&str>) -> Result<i64, String> {
    let mut q = sqlx::query_scalar::<_, i64>(sql);
    if let Some(b) = bind {
        q = q.bind(b.to_owned());
    }
    q.fetch_one(db.pool()).await.map_err(|e| e.to_string())
}

async fn current_schema(db: &Db) -> Result<Option<String>, String> {
    sqlx::query_scalar::<_, Option<String>>("SELECT current_schema()::text")
        .fetch_one(db.pool())
        .await
        .map_err(|e| e.to_string())
}

/// Runs `pg_dump` or `pg_restore` on the database at `url` (the password,
/// if any, in `PGPASSWORD`, not on the command line).
async fn run_client(program: &str, args: &mut Vec<String>, url: &str) -> Result<(), String> {
    let mut parsed = url::Url::parse(url).map_err(|e| format!("URL PostgreSQL illisible : {e}"))?;
    let password = parsed.password().map(percent_decode);
    let _ = parsed.set_password(None);
    args.push(format!("--dbname={parsed}"));
    let mut command = Command::new(program);
    command.args(args.iter());
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let program = program.to_owned();
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "{program} est introuvable : installez les outils clients de PostgreSQL \
                     (paquet postgresql-client, de la même version que le serveur ou plus récente)"
                )
            } else {
                format!("{program} n’a pas pu démarrer : {e}")
            }
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} a échoué ({}) : {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

fn percent_decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("p={}", s.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The SQLite database's file from its URL (`sqlite://path?…`).
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The database file and its journals.
fn sqlite_files(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", "-journal"]
        .iter()
        .map(|suffix| {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            PathBuf::from(p)
        })
        .collect()
}

/// Files a copy of the data directory leaves out: the SQLite database.
fn database_files(url: &str) -> Vec<PathBuf> {
    sqlite_path(url)
        .map(|p| sqlite_files(&p))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect()
}

/// Copies every file under `from` into `to` (same relative paths), but the
/// files of `skip` and the folder `backup` (a backup made inside the data
/// directory); a file gone meanwhile is left out. Gives the number copied.
fn copy_tree(
    from: &Path,
    to: &Path,
    skip: &[PathBuf],
    backup: Option<&Path>,
) -> Result<usize, String> {
    let backup = backup.and_then(|b| b.canonicalize().ok());
    let mut copied = 0;
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let entries = match std::fs::read_dir(from.join(&rel)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => {
                let folder = from.join(&rel);
                return Err(format!("lecture de {} impossible : {e}", folder.display()));
            }
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if let Ok(c) = path.canonicalize()
                && (backup.as_ref() == Some(&c) || skip.contains(&c))
            {
                continue;
            }
            let rel = rel.join(entry.file_name());
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            if kind.is_dir() {
                pending.push(rel);
            } else if kind.is_file() {
                let target = to.join(&rel);
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("impossible de créer {} : {e}", parent.display()))?;
                }
                match std::fs::copy(&path, &target) {
                    Ok(_) => copied += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        return Err(format!("copie de {} impossible : {e}", path.display()));
                    }
                }
            }
        }
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(
            sqlite_path("sqlite://data/epop.db?mode=rwc"),
            Some(PathBuf::from("data/epop.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:/tmp/a.db"),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@y/z"), None);
    }

    #[test]
    fn a_password_in_the_url_is_decoded_for_pgpassword() {
        assert_eq!(percent_decode("p%40ss%2Bw+rd"), "p@ss+w+rd");
    }
}
