//! The file storage on a folder and, when `EPOP_TEST_S3_URL` names a test
//! S3 server (`scripts/test-all.sh` starts moto on the loopback), on an
//! object store: photos and receipts sent through one server are read back
//! byte for byte through a second one sharing only the database and the
//! storage; a store out of reach gives the French 503 page and writes
//! nothing; `epop storage migrate` copies once; old folders move in.

use std::sync::Arc;

use axum::http::StatusCode;
use epop_web::storage::{self, Folder, ObjectStorage, Storage};

use crate::harness::{App, apps, awa_accepts, temp_dir};

/// Where the tests' S3 server is, if one runs:
/// `s3://bucket?endpoint=http://127.0.0.1:PORT&region=…`.
fn s3_base() -> Option<String> {
    std::env::var("EPOP_TEST_S3_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// The `AWS_*` variables, with dummy credentials where unset (the test
/// server takes any).
fn aws_env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .or_else(|| name.starts_with("AWS_").then(|| "essai".to_owned()))
}

/// The test S3 URL with a prefix of its own, so that tests never share a
/// file: `s3://bucket/<tag>-<pid>-<n>?endpoint=…`.
pub(crate) fn s3_url(tag: &str) -> Option<String> {
    let base = s3_base()?;
    let dir = temp_dir(tag);
    let prefix = dir.file_name()?.to_string_lossy().into_owned();
    let (bucket, query) = base.split_once('?').unwrap_or((&base, ""));
    Some(format!("{}/{prefix}?{query}", bucket.trim_end_matches('/')))
}

/// The environment an `epop serve` process needs to keep its files in a
/// fresh prefix of the test S3 server; empty when there is none (the
/// files then go to its data directory).
pub(crate) fn process_env(tag: &str) -> Vec<(&'static str, String)> {
    let Some(url) = s3_url(tag) else {
        return Vec::new();
    };
    let mut env = vec![("EPOP_STORAGE_URL", url)];
    for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
        env.push((name, aws_env(name).unwrap_or_default()));
    }
    env
}

fn s3(url: &str) -> Arc<dyn Storage> {
    Arc::new(ObjectStorage::from_url_and(url, aws_env).expect("the test S3 URL"))
}

/// The storages every test runs on: a fresh folder, and a fresh prefix of
/// the test bucket when there is one.
pub fn stores(tag: &str) -> Vec<Arc<dyn Storage>> {
    let mut all: Vec<Arc<dyn Storage>> = vec![Arc::new(Folder::new(temp_dir(tag)))];
    if let Some(url) = s3_url(tag) {
        all.push(s3(&url));
    } else {
        eprintln!("EPOP_TEST_S3_URL unset: storage tests run on the folder only");
    }
    all
}

/// A PNG header and 200 kB of varied bytes: a photo as the forms check it.
pub(crate) fn photo_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..200_000u32).map(|i| (i * 7 % 251) as u8));
    bytes
}

const PHOTO_PAGE: &str = "/espace/ma-fiche/photo";
pub(crate) const THOMAS: &str = "pair-ariege@demo.epop.test";

#[tokio::test]
async fn photos_and_receipts_sent_through_one_server_are_read_through_another() {
    for files in stores("files-shared") {
        for app in apps().await {
            let what = format!("{:?} on {}", app.db.engine(), files.describe());
            let one = App::with_storage(app.db.clone(), files.clone());
            let two = App::with_storage(app.db.clone(), files.clone());
            let photo = photo_bytes();
            let mut thomas = one.signed_in(THOMAS).await;
            let token = thomas.csrf().await;
            let sent = thomas
                .post_multipart(
                    PHOTO_PAGE,
                    &token,
                    &[("description", "Thomas sourit, devant la montagne")],
                    Some(("photo", "moi.png", &photo)),
                )
                .await;
            assert_eq!(sent.location(), "/espace/ma-fiche/presentation", "{what}");
            let mut member = two.signed_in("referente@demo.epop.test").await;
            let img = member.get("/annuaire/thomas-roux/photo").await;
            assert_eq!(img.headers["content-type"], "image/png", "{what}");
            assert_eq!(
                member.get_bytes("/annuaire/thomas-roux/photo").await,
                photo,
                "{what}"
            );

            let (mut awa, link) = awa_accepts(&one).await;
            let token = awa.csrf().await;
            let receipt = b"%PDF-1.7\n% billet de train\n".repeat(2_000);
            let res = awa
                .post_multipart(
                    &format!("{link}/frais"),
                    &token,
                    &[("label", "Train Toulouse – Balma"), ("amount", "12,50")],
                    Some(("receipt", "billet.pdf", &receipt)),
                )
                .await;
            assert!(res.location().ends_with("message=frais"), "{what}");
            let mut awa_two = two.signed_in("pair@demo.epop.test").await;
            let offer = awa_two.get(&link).await;
            let href = offer
                .body
                .split(&format!("href=\"{link}/frais/"))
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("a receipt link")
                .to_owned();
            assert_eq!(
                awa_two.get_bytes(&format!("{link}/frais/{href}")).await,
                receipt,
                "{what}"
            );

            // Both are in the storage under their folders' keys, and no
            // server wrote beside it.
            let keys: Vec<String> = files
                .list()
                .await
                .unwrap()
                .into_iter()
                .map(|k| k.0)
                .collect();
            for folder in ["photos/", "justificatifs/"] {
                let kept = keys.iter().any(|k| k.starts_with(folder));
                assert!(kept, "{what}: {folder} not in {keys:?}");
            }
            for server in [&one, &two] {
                for old in ["photos", "justificatifs", "fichiers"] {
                    assert!(!server.data_dir.join(old).exists(), "{what}: {old}");
                }
            }

            // A new photo replaces the old one in the storage too.
            let photos = |keys: Vec<(String, u64)>| -> Vec<String> {
                keys.into_iter()
                    .map(|(k, _)| k)
                    .filter(|k| k.starts_with("photos/"))
                    .collect()
            };
            let first = photos(files.list().await.unwrap());
            let token = thomas.csrf().await;
            thomas
                .post_multipart(
                    PHOTO_PAGE,
                    &token,
                    &[("description", "Thomas en randonnée")],
                    Some(("photo", "autre.png", &photo[..5_000])),
                )
                .await;
            let now = photos(files.list().await.unwrap());
            assert_eq!(now.len(), first.len(), "{what}: {first:?} then {now:?}");
            assert_ne!(now, first, "{what}");
            assert_eq!(
                member.get_bytes("/annuaire/thomas-roux/photo").await,
                photo[..5_000].to_vec(),
                "{what}"
            );
        }
    }
}

async fn photo_path(app: &App) -> Option<String> {
    sqlx::query_scalar(
        "SELECT p.photo_path FROM profiles p JOIN accounts a ON a.id = p.account_id \
         WHERE a.email = 'pair-ariege@demo.epop.test'",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap()
}

async fn expenses(app: &App) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM request_expenses")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

const UNAVAILABLE: &str = "Les fichiers sont momentanément indisponibles";

#[tokio::test]
async fn a_store_out_of_reach_gives_a_french_503_and_writes_nothing() {
    // Nothing listens on port 9 of the loopback; a folder whose place is
    // taken by a file cannot be written (as a full or broken disk).
    let blocked = temp_dir("files-blocked").join("occupé");
    std::fs::write(&blocked, b"un fichier, pas un dossier").unwrap();
    let broken: [Arc<dyn Storage>; 2] = [
        s3("s3://epop?endpoint=http://127.0.0.1:9&region=eu-west-3"),
        Arc::new(Folder::new(blocked)),
    ];
    for files in broken {
        for app in apps().await {
            let what = format!("{:?} on {}", app.db.engine(), files.describe());
            let down = App::with_storage(app.db.clone(), files.clone());
            let mut thomas = down.signed_in(THOMAS).await;
            let token = thomas.csrf().await;
            let page = thomas
                .post_multipart(
                    PHOTO_PAGE,
                    &token,
                    &[("description", "Thomas sourit")],
                    Some(("photo", "moi.png", &photo_bytes())),
                )
                .await;
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
            assert!(page.body.contains(UNAVAILABLE), "{what}: {}", page.body);
            assert!(page.body.contains("rien n’a été enregistré"), "{what}");
            assert_eq!(page.headers["retry-after"], "60", "{what}");
            assert_eq!(photo_path(&down).await, None, "{what}");

            let (mut awa, link) = awa_accepts(&down).await;
            let token = awa.csrf().await;
            let page = awa
                .post_multipart(
                    &format!("{link}/frais"),
                    &token,
                    &[("label", "Repas"), ("amount", "9")],
                    Some(("receipt", "repas.pdf", b"%PDF-1.7 repas")),
                )
                .await;
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
            assert!(page.body.contains(UNAVAILABLE), "{what}");
            assert_eq!(expenses(&down).await, 0, "{what}");

            // A photo recorded while the store worked cannot be read now:
            // 503 too, not « introuvable ».
            let working =
                App::with_storage(app.db.clone(), Arc::new(Folder::new(temp_dir("files-ok"))));
            let mut thomas = working.signed_in(THOMAS).await;
            let token = thomas.csrf().await;
            thomas
                .post_multipart(
                    PHOTO_PAGE,
                    &token,
                    &[("description", "Thomas sourit")],
                    Some(("photo", "moi.png", &photo_bytes())),
                )
                .await;
            assert!(photo_path(&down).await.is_some(), "{what}");
            let mut member = down.signed_in("referente@demo.epop.test").await;
            let page = member.get("/annuaire/thomas-roux/photo").await;
            assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{what}");
            assert!(page.body.contains(UNAVAILABLE), "{what}");
        }
    }
}

/// Runs `epop storage migrate` on this data directory and storage URL;
/// gives (success, stdout, stderr).
fn migrate(data_dir: &std::path::Path, url: Option<&str>) -> (bool, String, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_epop"));
    command
        .args(["storage", "migrate"])
        .env("EPOP_DATA_DIR", data_dir)
        .env_remove("EPOP_STORAGE_URL");
    if let Some(url) = url {
        command.env("EPOP_STORAGE_URL", url);
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
            command.env(name, aws_env(name).unwrap());
        }
    }
    let out = command.output().expect("epop runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A data directory as an installation before the storage layer left it,
/// with a toolbox file already in the storage's folder.
fn old_installation() -> (std::path::PathBuf, Vec<(&'static str, Vec<u8>)>) {
    let data_dir = temp_dir("files-old");
    let made = vec![
        (
            "fichiers/boite-a-outils/guide.pdf",
            b"%PDF-1.7 guide".to_vec(),
        ),
        ("photos/awa.png", photo_bytes()),
        ("justificatifs/billet.pdf", b"%PDF-1.7 billet".to_vec()),
        ("news/une.jpg", b"\xff\xd8\xff image".to_vec()),
    ];
    for (rel, bytes) in &made {
        let path = data_dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    (data_dir, made)
}

/// The key a file of [`old_installation`] has in the storage.
fn key_of(rel: &str) -> &str {
    rel.strip_prefix("fichiers/").unwrap_or(rel)
}

#[tokio::test]
async fn old_folders_move_into_the_storage_once() {
    for files in stores("files-adopt") {
        let (data_dir, made) = old_installation();
        let moved = storage::adopt_legacy(files.as_ref(), &data_dir)
            .await
            .unwrap();
        assert_eq!(moved, 3, "{}", files.describe());
        for (rel, bytes) in &made[1..] {
            assert_eq!(&files.get(key_of(rel)).await.unwrap(), bytes, "{rel}");
            assert!(!data_dir.join(rel).exists(), "{rel} left behind");
        }
        let again = storage::adopt_legacy(files.as_ref(), &data_dir)
            .await
            .unwrap();
        assert_eq!(again, 0);
    }
}

#[tokio::test]
async fn storage_migrate_copies_the_folder_into_the_object_store_once() {
    let (data_dir, made) = old_installation();
    let (ok, _, err) = migrate(&data_dir, None);
    assert!(
        !ok && err.contains("EPOP_STORAGE_URL n’est pas défini"),
        "{err}"
    );
    let Some(url) = s3_url("files-migrate") else {
        eprintln!("EPOP_TEST_S3_URL unset: storage migrate not tried on S3");
        return;
    };
    let (ok, out, err) = migrate(&data_dir, Some(&url));
    assert!(ok, "{err}");
    // The toolbox file is copied; the old folders' files moved in at start.
    assert!(out.contains("1 fichier copié, 0 déjà présent"), "{out}");
    let target = s3(&url);
    for (rel, bytes) in &made {
        assert_eq!(&target.get(key_of(rel)).await.unwrap(), bytes, "{rel}");
    }
    // Again: nothing to copy. A file changed in the folder is copied anew.
    let (ok, out, _) = migrate(&data_dir, Some(&url));
    assert!(
        ok && out.contains("0 fichier copié, 1 déjà présent"),
        "{out}"
    );
    let changed = b"%PDF-1.7 guide, version 2".to_vec();
    std::fs::write(data_dir.join(made[0].0), &changed).unwrap();
    let (_, out, _) = migrate(&data_dir, Some(&url));
    assert!(out.contains("1 fichier copié, 0 déjà présent"), "{out}");
    assert_eq!(target.get(key_of(made[0].0)).await.unwrap(), changed);
}
