//! The database going away under a running `epop serve` (PostgreSQL
//! restarting, a cut connection): a TCP relay between the process and the
//! server drops every connection and refuses new ones, then lets them
//! through again. While it is gone, pages and forms answer a clear French
//! 503 with `Retry-After` — never a 500 — and nothing is written; once it
//! is back, the same process serves again without a restart of its own.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use epop_store::{Db, events, testing};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::event_capacity::{data_dir, event_of_30, free_port, http, start_on};

/// A relay to the database that can be cut and restored.
struct Relay {
    port: u16,
    up: Arc<AtomicBool>,
    links: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(target: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let up = Arc::new(AtomicBool::new(true));
        let links: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let (up2, links2) = (up.clone(), links.clone());
        tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                if !up2.load(Ordering::SeqCst) {
                    continue; // dropped: the connection is refused
                }
                let target = target.clone();
                links2.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                }));
            }
        });
        Relay { port, up, links }
    }

    /// Cuts every open connection and refuses new ones.
    fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

fn register(port: u16, slug: &str, n: u32) -> (u16, String) {
    http(
        port,
        &format!("POST /evenements/{slug}/inscription HTTP/1.1"),
        &format!("name=Personne+{n}&email=panne-{n}%40exemple.fr&consent=oui"),
        "",
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_database_is_gone_pages_say_so_and_the_process_recovers_alone() {
    let Some(base) = testing::postgres_url() else {
        return;
    };
    let direct = testing::postgres_schema_url(&base).await;
    let db = Db::connect(&direct).await.unwrap();
    db.migrate().await.unwrap();
    let event = event_of_30(&db).await;

    let mut url = url::Url::parse(&direct).unwrap();
    let target = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap_or(5432));
    let relay = Relay::start(target).await;
    url.set_host(Some("127.0.0.1")).unwrap();
    url.set_port(Some(relay.port)).unwrap();
    let server = start_on(url.as_str(), &data_dir("outage"), free_port(), &[]).await;
    // Each reading asks for an address of its own, so that no cache of
    // visitors' pages can answer in the database's place.
    let page = |n: u32| format!("GET /evenements/{}?lecture={n} HTTP/1.1", event.slug);
    let (status, body) = http(server.port, &page(0), "", "").unwrap();
    assert_eq!(status, 200, "{body}");

    relay.cut();
    let (status, body) = tokio::task::spawn_blocking({
        let (port, page) = (server.port, page(1));
        move || http(port, &page, "", "").unwrap()
    })
    .await
    .unwrap();
    assert_eq!(status, 503, "{body}");
    assert!(
        body.contains("Service momentanément indisponible"),
        "{body}"
    );
    assert!(body.contains("réessayez dans quelques secondes"), "{body}");
    assert!(
        body.to_ascii_lowercase().contains("retry-after: 10"),
        "{body}"
    );
    let (port, slug) = (server.port, event.slug.clone());
    let (status, body) = tokio::task::spawn_blocking(move || register(port, &slug, 1))
        .await
        .unwrap();
    assert_eq!(status, 503, "a form while the database is gone: {body}");

    relay.restore();
    let back = Instant::now();
    for n in 2.. {
        let (port, page) = (server.port, page(n));
        let (status, body) =
            tokio::task::spawn_blocking(move || http(port, &page, "", "").unwrap())
                .await
                .unwrap();
        if status == 200 {
            break;
        }
        assert_eq!(status, 503, "{body}");
        assert!(
            back.elapsed() < Duration::from_secs(20),
            "the process did not come back"
        );
    }
    let (port, slug) = (server.port, event.slug.clone());
    let (status, body) = tokio::task::spawn_blocking(move || register(port, &slug, 2))
        .await
        .unwrap();
    assert_eq!(status, 303, "{body}");

    // The registration refused during the outage was not written; the one
    // after it was.
    let mut c = db.conn().await.unwrap();
    let emails: Vec<String> = events::registrations(&mut c, event.id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.email)
        .collect();
    assert_eq!(emails, ["panne-2@exemple.fr"]);
}
