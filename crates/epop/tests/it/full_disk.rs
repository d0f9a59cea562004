//! A full disk, for real: a real `epop serve` on SQLite keeps its database
//! and its files on a small tmpfs that the test fills to the last byte.
//! A registration and a photo then get the French 503 page (with
//! `Retry-After`), nothing is written, the error is in the log, the process
//! goes on; once space is freed, the same forms go through. Mounting needs
//! root (as in CI, which must run it); elsewhere the test says it skipped.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use epop_store::Db;

use crate::event_capacity::{event_of_30, free_port, http, multipart, send, signed_in, start_on};

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    /// Mounts a tmpfs of `megabytes` on a fresh folder, if this user may.
    fn new(megabytes: u32) -> Option<Mount> {
        let dir = std::env::temp_dir().join(format!("epop-full-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(&dir)
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then_some(Mount(dir))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Writes zeros into `file` until the disk refuses a single block.
fn fill(file: &Path) {
    let mut f = std::fs::File::create(file).unwrap();
    for block in [1 << 20, 4096, 512] {
        let zeros = vec![0u8; block];
        while f.write_all(&zeros).and_then(|_| f.flush()).is_ok() {}
    }
    let _ = f.sync_all();
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    let mut c = db.conn().await.unwrap();
    sqlx::query_scalar(sql).fetch_one(&mut *c).await.unwrap()
}

/// The file Thomas's profile names as its photo.
async fn photo_file(db: &Db) -> Option<String> {
    let mut c = db.conn().await.unwrap();
    sqlx::query_scalar("SELECT photo_path FROM profiles WHERE slug = 'thomas-roux'")
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gives_a_french_503_writes_nothing_and_the_process_goes_on() {
    let Some(mount) = Mount::new(32) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs as root: the tmpfs must be mounted"
        );
        eprintln!("full_disk: mounting a tmpfs needs root; skipped");
        return;
    };
    let url = format!("sqlite://{}", mount.0.join("epop.db").display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let event = event_of_30(&db).await;
    let mut server = start_on(&url, &mount.0.join("data"), free_port(), &[]).await;
    let port = server.port;
    let thomas = signed_in(port, crate::storage::THOMAS);
    let register = |email: &str| {
        http(
            port,
            &format!("POST /evenements/{}/inscription HTTP/1.1", event.slug),
            &format!(
                "name=Camille+Plein&email={}&consent=oui",
                email.replace('@', "%40")
            ),
            "",
        )
        .unwrap()
    };
    let (kind, photo) = multipart(
        &[("description", "Thomas sourit")],
        (
            "photo",
            "moi.png",
            "image/png",
            &crate::storage::photo_bytes(),
        ),
    );
    let send_photo = || {
        send(
            port,
            "POST /espace/ma-fiche/photo HTTP/1.1",
            &kind,
            &photo,
            &thomas,
        )
        .unwrap()
    };
    let photo_before = photo_file(&db).await;

    let filler = mount.0.join("remplissage");
    fill(&filler);
    let (status, page) = register("plein@exemple.fr");
    assert_eq!(status, 503, "{page}");
    assert!(
        page.contains("Service momentanément indisponible"),
        "{page}"
    );
    assert!(page.contains("son disque est plein"), "{page}");
    assert!(page.contains("Rien n’a été enregistré à moitié"), "{page}");
    assert!(
        page.to_ascii_lowercase().contains("retry-after: 10"),
        "{page}"
    );
    let (status, head, body) = send_photo();
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 503, "{head}{body}");
    assert!(body.contains("rien n’a été enregistré"), "{body}");
    assert!(
        server.running(),
        "the process stopped on a full disk: {}",
        server.log()
    );
    let log = server.log();
    assert!(
        log.contains("ERROR") && log.contains("full"),
        "no error in the log: {log}"
    );
    const REGISTERED: &str =
        "SELECT COUNT(*) FROM event_registrations WHERE email = 'plein@exemple.fr'";
    assert_eq!(count(&db, REGISTERED).await, 0);
    assert_eq!(photo_file(&db).await, photo_before);

    // Space again: the same forms go through, without a restart.
    std::fs::remove_file(&filler).unwrap();
    let (status, page) = register("plein@exemple.fr");
    assert_eq!(status, 303, "{page}");
    assert_eq!(count(&db, REGISTERED).await, 1);
    let (status, head, _) = send_photo();
    assert_eq!(status, 303, "{head}");
    assert_ne!(photo_file(&db).await, photo_before);
    drop(server);
    db.close().await;
}
