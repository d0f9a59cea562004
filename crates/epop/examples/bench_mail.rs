//! The newsletter's throughput: how many messages per second go from a sent
//! digest to a local SMTP server, through the platform's own path (the
//! worker writes the digest's e-mails to the outbox in batches, then drains
//! the outbox through lettre), against a reference run at the same time
//! (the same number of messages sent straight with lettre to the same
//! server, as many at once as the worker sends, with no database).
//!
//! `cargo run --release -p epop --example bench_mail -- [SUBSCRIBERS] [sqlite|postgres://…]`
//! (default 5,000 subscribers on a fresh SQLite file). The SMTP server is
//! `mailin-embedded`, in this process, counting what it receives.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use futures_util::StreamExt;

use epop::mailer::Mailer;
use epop_store::Db;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use mailin_embedded::{Handler, Server, SslConfig, response};

/// Counts the messages received.
#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        response::OK
    }
}

fn smtp_server() -> (String, Arc<AtomicUsize>) {
    let received = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("its port").port();
    let mut server = Server::new(Counter(received.clone()));
    server
        .with_name("bench.local")
        .with_ssl(SslConfig::None)
        .expect("no TLS")
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}

/// `n` confirmed national subscribers, one easy-read in ten.
async fn subscribers(db: &Db, n: usize) {
    let now = epop_store::now();
    let mut tx = db.write().await.expect("a transaction");
    for i in 0..n {
        sqlx::query(
            "INSERT INTO newsletter_subscribers (email, region_code, easy, created_at, confirmed_at) \
             VALUES ($1, NULL, $2, $3, $3)",
        )
        .bind(format!("abonne-{i}@bench.epop.test"))
        .bind(i64::from(i % 10 == 0))
        .bind(now)
        .execute(&mut *tx)
        .await
        .expect("a subscriber");
    }
    tx.commit().await.expect("commit");
}

/// Waits until the server has received `n` messages (they are counted when
/// the server has answered the data).
fn wait_for(received: &AtomicUsize, n: usize) {
    while received.load(Ordering::Relaxed) < n {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5_000);
    let dir = std::env::temp_dir().join(format!("epop-bench-mail-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let url = args
        .next()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("epop.db").display()));
    let db = Db::connect(&url).await.expect("the database");
    db.migrate().await.expect("migrations");
    sqlx::query("DELETE FROM newsletter_subscribers")
        .execute(db.pool())
        .await
        .expect("a clean list");
    subscribers(&db, n).await;
    let (smtp, received) = smtp_server();
    let base = "https://epop.example";
    let now = epop_store::now();

    // The digests of the month, then « Envoyer » on the national one.
    epop_web::jobs::run_due(&db, base, now)
        .await
        .expect("digests");
    let mut conn = db.conn().await.expect("a connection");
    let national = epop_store::newsletter::digests(&mut conn)
        .await
        .expect("digests")
        .into_iter()
        .find(|d| d.territory == "national" && d.sent_at.is_none())
        .expect("the national digest");
    epop_store::newsletter::request_sending(&mut conn, national.id)
        .await
        .expect("sending asked");
    drop(conn);

    // The platform: the worker's batches to the outbox, then the drain.
    let start = Instant::now();
    let mut written = 0;
    loop {
        let w = epop_web::jobs::run_due(&db, base, now)
            .await
            .expect("a run");
        if w == 0 {
            break;
        }
        written += w;
    }
    let to_outbox = start.elapsed();
    let mailer = Mailer::new(
        "EPoP <lettre@epop.example>",
        Some(&smtp),
        dir.join("outbox"),
    )
    .expect("the mailer");
    let drained = Instant::now();
    let sent = epop::worker::drain(&db, &mailer).await.expect("the drain");
    wait_for(&received, sent);
    let to_smtp = drained.elapsed();
    let total = start.elapsed();

    // The reference: the same number of messages straight through lettre.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&smtp)
        .expect("the SMTP address")
        .build();
    let before = received.load(Ordering::Relaxed);
    let reference = Instant::now();
    futures_util::stream::iter(0..sent)
        .for_each_concurrent(epop::worker::AT_ONCE, |i| {
            let transport = &transport;
            let body = national.body.clone();
            async move {
                let m = Message::builder()
                    .from("EPoP <lettre@epop.example>".parse().expect("from"))
                    .to(format!("abonne-{i}@bench.epop.test").parse().expect("to"))
                    .subject("La lettre du réseau EPoP")
                    .body(body)
                    .expect("a message");
                transport.send(m).await.expect("sent");
            }
        })
        .await;
    wait_for(&received, before + sent);
    let reference = reference.elapsed();

    let rate = |count: usize, d: std::time::Duration| count as f64 / d.as_secs_f64();
    println!(
        "subscribers: {n} ({})",
        if url.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!(
        "written to the outbox: {written} in {:.2} s ({:.0}/s)",
        to_outbox.as_secs_f64(),
        rate(written, to_outbox)
    );
    println!(
        "drained to SMTP: {sent} in {:.2} s ({:.0}/s)",
        to_smtp.as_secs_f64(),
        rate(sent, to_smtp)
    );
    println!("whole path: {:.0} messages/s", rate(sent, total));
    println!(
        "reference (lettre alone, same server): {:.0} messages/s",
        rate(sent, reference)
    );
    println!(
        "ratio whole path / reference: {:.2}",
        rate(sent, total) / rate(sent, reference)
    );
    assert_eq!(sent, n, "every subscriber got the digest");
    let _ = std::fs::remove_dir_all(&dir);
}
