//! Graceful shutdown of a real `epop serve` process: on SIGTERM it stops
//! accepting connections, finishes the request in flight (a registration
//! whose form is still arriving), and exits with success well within 10 s;
//! a request that never ends does not hold it longer than that.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use epop_store::{Db, events};

use crate::event_capacity::{data_dir, event_of_30, start};

/// Opens a registration whose body is sent only in part: (the connection,
/// the rest of the body).
fn half_sent(port: u16, slug: &str) -> (TcpStream, String) {
    let token = "jeton-de-test-csrf-0123456789abcdefghij";
    let body = format!(
        "csrf={token}&name=Camille+Arr%C3%AAt&email=camille.arret%40exemple.fr&consent=oui"
    );
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let head = format!(
        "POST /evenements/{slug}/inscription HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
         Cookie: epop_csrf={token}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    );
    let (first, rest) = body.split_at(20);
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(first.as_bytes()).unwrap();
    (s, rest.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_finishes_the_request_in_flight_and_exits_within_ten_seconds() {
    let path = std::env::temp_dir().join(format!("epop-shutdown-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let event = event_of_30(&db).await;
    let mut server = start(&url, &data_dir("shutdown")).await;
    let port = server.port;

    let (mut slow, rest) = half_sent(port, &event.slug);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    server.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    // No new connection is taken…
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the server still accepts connections after SIGTERM"
    );
    // …but the registration under way is finished and answered.
    slow.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    slow.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(
        answer.to_lowercase().contains("location: /inscriptions/"),
        "{answer}"
    );
    let status = server
        .exit_within(Duration::from_secs(10).saturating_sub(asked.elapsed()))
        .expect("the process exits within 10 s of SIGTERM");
    assert!(status.success(), "{status:?}");
    let mut c = db.conn().await.unwrap();
    let regs = events::registrations(&mut c, event.id).await.unwrap();
    assert_eq!(regs.len(), 1);
    assert_eq!(regs[0].name, "Camille Arrêt");

    // A request that never completes does not hold the process: it is cut
    // after the grace period, and the process is gone within 10 s.
    let mut server = start(&url, &data_dir("shutdown-stuck")).await;
    let (_stuck, _) = half_sent(server.port, &event.slug);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let asked = Instant::now();
    server.terminate();
    let status = server
        .exit_within(Duration::from_secs(10))
        .expect("the process exits within 10 s even with a request stuck");
    assert!(
        asked.elapsed() >= Duration::from_secs(7),
        "the request had its grace period"
    );
    assert!(status.success(), "{status:?}");
}
