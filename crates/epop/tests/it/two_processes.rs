//! Two `epop serve` processes on one PostgreSQL database behave as one: a
//! session opened through one is good on the other (and closed through it),
//! the sign-in rate limit counts the attempts made on both, and a change
//! made through one is shown by the other within the read cache's bound
//! (`epop_store::cache::TTL`), and a photo sent through one is read
//! through the other (from the test S3 server when there is one, each
//! process with a data directory of its own).

use std::time::{Duration, Instant};

use epop_store::{Db, testing};

use crate::event_capacity::{
    data_dir, event_of_30, free_port, http, multipart, send, session_cookie, sign_in_as, signed_in,
    start_on,
};
use crate::harness::PASSWORD;

const PERSON: &str = "pair@demo.epop.test";

fn sign_in(port: u16, password: &str) -> (u16, String) {
    sign_in_as(port, PERSON, password).unwrap()
}

/// The event page's « Places » line.
fn seats(port: u16, slug: &str) -> String {
    let (status, page) = http(port, &format!("GET /evenements/{slug} HTTP/1.1"), "", "").unwrap();
    assert_eq!(status, 200, "{page}");
    let start = page.find("<dt>Places</dt><dd>").expect("the seats") + "<dt>Places</dt><dd>".len();
    page[start..].split("</dd>").next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_share_sessions_limits_and_changes() {
    let Some(base) = testing::postgres_url() else {
        return;
    };
    let url = testing::postgres_schema_url(&base).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let event = event_of_30(&db).await;
    let dir = data_dir("two");
    let a = start_on(&url, &dir, free_port(), &[]).await;
    let b = start_on(&url, &dir, free_port(), &[]).await;

    // A session opened on A is good on B, and closed through B.
    let (status, answer) = sign_in(a.port, PASSWORD);
    assert_eq!(status, 303, "{answer}");
    let session = session_cookie(&answer);
    let (status, space) = http(b.port, "GET /espace HTTP/1.1", "", &session).unwrap();
    assert_eq!(status, 200, "{space}");
    assert!(space.contains("Awa"), "{space}");
    let (status, _) = http(b.port, "POST /deconnexion HTTP/1.1", "x=1", &session).unwrap();
    assert_eq!(status, 303);
    let (status, answer) = http(a.port, "GET /espace HTTP/1.1", "", &session).unwrap();
    assert_eq!(status, 303, "closed on B, still open on A: {answer}");
    assert!(
        answer.to_ascii_lowercase().contains("location: /connexion"),
        "{answer}"
    );

    // Wrong passwords through both processes count as one streak, kept in
    // the database: five go ahead, alternately on A and B, and the streak
    // holds five; the next ones must wait (how long grows with the streak,
    // so however slow the machine, a refusal comes).
    for n in 0..5 {
        let port = if n % 2 == 0 { a.port } else { b.port };
        let (status, page) = sign_in(port, "pas-le-bon-mot-de-passe");
        assert_eq!(status, 400, "{page}");
    }
    let mut conn = db.conn().await.unwrap();
    let hits: i64 = sqlx::query_scalar("SELECT hits FROM rate_limits WHERE bucket LIKE '%streak%'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!(hits, 5, "one streak for both processes");
    let refused = (0..15).any(|n| {
        let port = if n % 2 == 0 { b.port } else { a.port };
        let (status, page) = sign_in(port, "pas-le-bon-mot-de-passe");
        status == 429 && page.contains("Il y a eu plusieurs essais à la suite")
    });
    assert!(refused, "the attempts on two processes were never slowed");

    // A registration through A shows on B's event page within the bound.
    let before = seats(b.port, &event.slug);
    let (status, answer) = http(
        a.port,
        &format!("POST /evenements/{}/inscription HTTP/1.1", event.slug),
        "name=Camille+Deux&email=camille.deux%40exemple.fr&consent=oui",
        "",
    )
    .unwrap();
    assert_eq!(status, 303, "{answer}");
    let registered = Instant::now();
    loop {
        let now = seats(b.port, &event.slug);
        if now != before {
            assert!(now.contains("29"), "{before} → {now}");
            break;
        }
        assert!(
            registered.elapsed() <= epop_store::cache::TTL + Duration::from_secs(1),
            "B still shows « {now} » past the read cache's bound"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_sent_through_one_process_is_read_through_the_other() {
    let Some(base) = testing::postgres_url() else {
        return;
    };
    let url = testing::postgres_schema_url(&base).await;
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    // The files in the test S3 server when there is one (as in CI), else
    // in the data directory the two processes share.
    let files = crate::storage::process_env("two-photo");
    let dir_a = data_dir("photo-a");
    let dir_b = if files.is_empty() {
        dir_a.clone()
    } else {
        data_dir("photo-b")
    };
    let env: Vec<(&str, &str)> = files.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let a = start_on(&url, &dir_a, free_port(), &env).await;
    let b = start_on(&url, &dir_b, free_port(), &env).await;

    let thomas = signed_in(a.port, crate::storage::THOMAS);
    let photo = crate::storage::photo_bytes();
    let (kind, body) = multipart(
        &[("description", "Thomas devant la montagne")],
        ("photo", "moi.png", "image/png", &photo),
    );
    let (status, head, _) = send(
        a.port,
        "POST /espace/ma-fiche/photo HTTP/1.1",
        &kind,
        &body,
        &thomas,
    )
    .unwrap();
    assert_eq!(status, 303, "{head}");

    // Through the other process (with S3, from another data directory):
    // the same bytes.
    let member = signed_in(b.port, "referente@demo.epop.test");
    let (status, _, bytes) = send(
        b.port,
        "GET /annuaire/thomas-roux/photo HTTP/1.1",
        "text/plain",
        b"",
        &member,
    )
    .unwrap();
    assert_eq!(status, 200);
    assert_eq!(
        bytes, photo,
        "the photo read through B is the one sent through A"
    );
}
