//! Capacity under concurrency, through real server processes: 200 people
//! submit the registration form at the same moment for 30 seats — against
//! two `epop serve` processes sharing one PostgreSQL database, and against
//! one process on SQLite. Exactly 30 get a seat, the others wait in order,
//! nobody gets an error.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use epop_domain::event::{EventForm, Status};
use epop_store::{Db, events, testing};
use std::io::{Read, Write};
use std::net::TcpStream;

/// A server process, stopped when dropped.
pub struct Server {
    child: Child,
    pub port: u16,
}

/// Where the process on `port` writes its log (warnings and errors),
/// outside its data directory (which a test may fill).
fn log_file(port: u16) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("epop-serve-{}-{port}.log", std::process::id()))
}

impl Server {
    /// What the process logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(log_file(self.port)).unwrap_or_default()
    }

    /// Whether the process is still running (it did not panic nor exit).
    pub fn running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }

    /// Sends SIGTERM, as systemd or a container runtime does to stop it.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(sent.success());
    }

    /// Kills it at once (SIGKILL, `kill -9`) and reaps it.
    pub fn kill_now(&mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }

    /// Its exit status, once it has exited, waiting at most `limit`.
    pub fn exit_within(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `epop serve` on a free port and waits until it answers.
pub async fn start(database_url: &str, data_dir: &std::path::Path) -> Server {
    start_on(database_url, data_dir, free_port(), &[]).await
}

/// Starts `epop serve` on `port`, with more environment (an SMTP server,
/// settings), and waits until it answers.
pub async fn start_on(
    database_url: &str,
    data_dir: &std::path::Path,
    port: u16,
    env: &[(&str, &str)],
) -> Server {
    let log = std::fs::File::create(log_file(port)).expect("the log file");
    let child = Command::new(env!("CARGO_BIN_EXE_epop"))
        .arg("serve")
        .env("EPOP_DATABASE_URL", database_url)
        .env("EPOP_LISTEN", format!("127.0.0.1:{port}"))
        .env("EPOP_DATA_DIR", data_dir)
        .env("EPOP_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .env("NO_COLOR", "1")
        .stdout(log.try_clone().expect("the log file"))
        .stderr(log)
        .spawn()
        .expect("start epop serve");
    let server = Server { child, port };
    let started = Instant::now();
    loop {
        if let Ok((status, _)) = http(port, "GET /healthz HTTP/1.1", "", "")
            && status == 200
        {
            return server;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The CSRF token the test clients hold, as cookie and as field.
pub const CSRF: &str = "jeton-de-test-csrf-0123456789abcdefghij";

/// One HTTP/1.1 request over a new connection, with a CSRF token as a
/// browser keeps it (and `cookies` more, e.g. a session): (status, response).
pub fn http(
    port: u16,
    request_line: &str,
    form: &str,
    cookies: &str,
) -> std::io::Result<(u16, String)> {
    // A CSRF token as the browser keeps it: the cookie and the form agree.
    let body = if form.is_empty() {
        String::new()
    } else {
        format!("csrf={CSRF}&{form}")
    };
    let (status, head, body) = send(
        port,
        request_line,
        "application/x-www-form-urlencoded",
        body.as_bytes(),
        cookies,
    )?;
    Ok((status, head + &String::from_utf8_lossy(&body)))
}

/// One HTTP/1.1 request with a body of bytes, as a browser holding the
/// test CSRF token and `cookies` sends it: (status, the head, the body's
/// bytes, de-chunked). A connection refused or cut before a whole answer
/// is an error (a status of 0 when the head came but not its status).
pub fn send(
    port: u16,
    request_line: &str,
    content_type: &str,
    body: &[u8],
    cookies: &str,
) -> std::io::Result<(u16, String, Vec<u8>)> {
    let cut = || std::io::Error::from(std::io::ErrorKind::UnexpectedEof);
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    let req = format!(
        "{request_line}\r\nHost: 127.0.0.1:{port}\r\nCookie: epop_csrf={CSRF}{cookies}\r\n\
         Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let end = out
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(cut)?
        + 4;
    let head = String::from_utf8_lossy(&out[..end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut body = out[end..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        let mut plain = Vec::new();
        let mut rest = &body[..];
        loop {
            let line = rest.windows(2).position(|w| w == b"\r\n").ok_or_else(cut)?;
            let size = std::str::from_utf8(&rest[..line])
                .ok()
                .and_then(|n| usize::from_str_radix(n.trim(), 16).ok())
                .ok_or_else(cut)?;
            if size == 0 {
                break;
            }
            let chunk = rest.get(line + 2..line + 2 + size).ok_or_else(cut)?;
            plain.extend_from_slice(chunk);
            rest = rest.get(line + 2 + size + 2..).ok_or_else(cut)?;
        }
        body = plain;
    }
    Ok((status, head, body))
}

/// A `multipart/form-data` body (with the test CSRF token) of `fields` and
/// one file `(field, file name, type, bytes)`, and its content type.
pub fn multipart(fields: &[(&str, &str)], file: (&str, &str, &str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----epop-processus";
    let mut body = Vec::new();
    for (name, value) in [("csrf", CSRF)].iter().chain(fields) {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    let (name, file_name, kind, bytes) = file;
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; \
             filename=\"{file_name}\"\r\nContent-Type: {kind}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Signs `email` in with the demo password through the process on `port`:
/// its session cookie, as `; name=value` for [`http`] and [`send`].
pub fn signed_in(port: u16, email: &str) -> String {
    let (status, answer) = sign_in_as(port, email, crate::harness::PASSWORD).unwrap();
    assert_eq!(status, 303, "{answer}");
    session_cookie(&answer)
}

/// The sign-in form posted through the process on `port`.
pub fn sign_in_as(port: u16, email: &str, password: &str) -> std::io::Result<(u16, String)> {
    http(
        port,
        "POST /connexion HTTP/1.1",
        &format!("email={}&password={password}", email.replace('@', "%40")),
        "",
    )
}

/// The session cookie a response sets, as `; name=value` for [`http`].
pub fn session_cookie(response: &str) -> String {
    let line = response
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: epop_session=")
        })
        .unwrap_or_else(|| panic!("no session cookie: {response}"));
    let pair = line["set-cookie: ".len()..].split(';').next().unwrap();
    format!("; {pair}")
}

pub async fn event_of_30(db: &Db) -> events::Event {
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(30))
        .format("%d/%m/%Y")
        .to_string();
    let form = EventForm {
        title: "Réunion d’information en ligne".into(),
        description: "Présentation.".into(),
        description_easy: "Nous présentons le réseau.".into(),
        audience: "Tout le monde".into(),
        date,
        start_time: "11:30".into(),
        end_time: "12:30".into(),
        mode: "en-ligne".into(),
        online_link: "https://visio.exemple.fr/r".into(),
        department: "31".into(),
        organiser: "Croix-Rouge française".into(),
        capacity: "30".into(),
        ..Default::default()
    };
    let e = form.validate(epop_store::now(), true).unwrap();
    let mut c = db.conn().await.unwrap();
    events::create(&mut c, &e, None, epop_store::now())
        .await
        .unwrap()
}

/// Fires 200 registrations at once (one thread each, released together),
/// spread over the servers' ports.
fn rush(ports: &[u16], slug: &str) {
    let start = std::sync::Arc::new(std::sync::Barrier::new(200));
    let mut threads = Vec::new();
    for n in 0..200 {
        let port = ports[n % ports.len()];
        let line = format!("POST /evenements/{slug}/inscription HTTP/1.1");
        let form = format!("name=Personne+{n}&email=personne-{n}%40exemple.fr&consent=oui");
        let start = start.clone();
        threads.push(std::thread::spawn(move || {
            start.wait();
            http(port, &line, &form, "")
        }));
    }
    for t in threads {
        let (status, text) = t.join().unwrap().expect("the server answers");
        assert_eq!(status, 303, "every registration is accepted: {text}");
        assert!(
            text.contains("Location: /inscriptions/") || text.contains("location: /inscriptions/")
        );
    }
}

async fn check(db: &Db, e: &events::Event) {
    let mut c = db.conn().await.unwrap();
    let regs = events::registrations(&mut c, e.id).await.unwrap();
    assert_eq!(regs.len(), 200, "nothing lost");
    assert_eq!(
        regs.iter()
            .filter(|r| r.status == Status::Confirmed)
            .count(),
        30
    );
    let waiting: Vec<i64> = regs
        .iter()
        .filter(|r| r.status == Status::Waiting)
        .map(|r| r.id)
        .collect();
    assert_eq!(waiting.len(), 170);
    // The queue is in order of arrival: positions 1..=170 with no gap.
    for (i, r) in regs
        .iter()
        .filter(|r| r.status == Status::Waiting)
        .enumerate()
    {
        assert_eq!(
            events::queue_position(&mut c, r).await.unwrap(),
            i as i64 + 1
        );
    }
    let after = events::by_slug(&mut c, &e.slug).await.unwrap().unwrap();
    assert_eq!((after.seats_taken, after.waiting), (30, 170));
    // Each person got one e-mail: 30 confirmations, 170 waiting-list messages.
    let confirmations: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Inscription confirmée%'",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();
    let waiting_mails: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Liste d’attente%'")
            .fetch_one(&mut *c)
            .await
            .unwrap();
    assert_eq!((confirmations, waiting_mails), (30, 170));
}

pub fn data_dir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("epop-rush-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_registrations_at_once_for_thirty_seats() {
    // SQLite: one server process.
    let path = std::env::temp_dir().join(format!("epop-rush-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    let e = event_of_30(&db).await;
    let server = start(&url, &data_dir("sqlite")).await;
    rush(&[server.port], &e.slug);
    check(&db, &e).await;
    drop(server);

    // PostgreSQL: two server processes on the same database.
    if let Some(base) = testing::postgres_url() {
        let url = testing::postgres_schema_url(&base).await;
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let e = event_of_30(&db).await;
        let dir = data_dir("pg");
        let a = start(&url, &dir).await;
        let b = start(&url, &dir).await;
        rush(&[a.port, b.port], &e.slug);
        check(&db, &e).await;
    }
}

/// The same for a training session: 200 acceptances by a coordinator at the
/// same moment for 30 places, through two processes on PostgreSQL (one on
/// SQLite): exactly 30 accepted, the others on the waiting list, no error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_acceptances_at_once_for_thirty_training_places() {
    on_both_engines("places", places).await;
}

/// Runs `scenario(url, tag, two_processes)` on a fresh SQLite file (one
/// process), then, when PostgreSQL is configured, on a fresh schema (two
/// processes).
pub async fn on_both_engines<F, Fut>(name: &str, scenario: F)
where
    F: Fn(String, String, bool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let path = std::env::temp_dir().join(format!("epop-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    scenario(
        format!("sqlite://{}", path.display()),
        format!("{name}-sqlite"),
        false,
    )
    .await;
    if let Some(base) = testing::postgres_url() {
        let url = testing::postgres_schema_url(&base).await;
        scenario(url, format!("{name}-pg"), true).await;
    }
}

async fn places(url: String, tag: String, two_processes: bool) {
    let (url, tag) = (url.as_str(), tag.as_str());
    use epop_domain::training::{ApplicationStatus, SessionForm};
    use epop_store::trainings;
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let mut tx = db.write().await.unwrap();
    let programme = trainings::programmes(&mut tx).await.unwrap().remove(0);
    let coordinator = epop_store::accounts::id_by_email(
        &mut tx,
        &epop_domain::Email::parse("coordination@demo.epop.test").unwrap(),
    )
    .await
    .unwrap();
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(40)).format("%d/%m/%Y");
    let s = SessionForm {
        title: "Session de 30 places".into(),
        place: "Toulouse".into(),
        department: "31".into(),
        capacity: "30".into(),
        half_days: format!("{date} 9:00-12:30"),
        trainers: "Claire Vidal".into(),
        peer_trainers: String::new(),
    }
    .validate()
    .unwrap();
    let session =
        trainings::create_session(&mut tx, &programme, &s, coordinator, epop_store::now())
            .await
            .unwrap();
    let mut ids = Vec::new();
    for n in 0..200 {
        let account = epop_store::accounts::create(
            &mut tx,
            &epop_store::accounts::NewAccount {
                public_id: format!("cand-{n}"),
                email: epop_domain::Email::parse(&format!("candidat-{n}@exemple.fr")).unwrap(),
                display_name: format!("Candidat {n}"),
                status: epop_domain::account::AccountStatus::Active,
                department: Some("31".into()),
                organisation_id: None,
            },
        )
        .await
        .unwrap();
        let pid = format!("candidature-{n}");
        trainings::apply(
            &mut tx,
            session.id,
            account,
            &pid,
            "Je veux apprendre.",
            "",
            epop_store::now(),
        )
        .await
        .unwrap();
        ids.push(pid);
    }
    tx.commit().await.unwrap();
    let dir = data_dir(tag);
    let a = start(url, &dir).await;
    let b = if two_processes {
        Some(start(url, &dir).await)
    } else {
        None
    };
    let ports = [a.port, b.as_ref().map(|s| s.port).unwrap_or(a.port)];
    // One coordinator session: sessions live in the database, both
    // processes know it.
    let session_cookie = crate::proposal_race::sign_in(a.port, "coordination@demo.epop.test");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(ids.len()));
    let threads: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(n, pid)| {
            let (port, cookie, barrier) = (ports[n % 2], session_cookie.clone(), barrier.clone());
            let line = format!(
                "POST /admin/formations/{}/candidatures/{pid} HTTP/1.1",
                session.slug
            );
            std::thread::spawn(move || {
                barrier.wait();
                http(port, &line, "decision=accepter", &cookie).unwrap()
            })
        })
        .collect();
    for t in threads {
        let (status, text) = t.join().unwrap();
        assert_eq!(status, 303, "{text}");
        assert!(text.contains("message=decision"), "{text}");
    }
    let mut conn = db.conn().await.unwrap();
    let apps = trainings::applications(&mut conn, session.id)
        .await
        .unwrap();
    let accepted = apps
        .iter()
        .filter(|a| a.status == ApplicationStatus::Accepted)
        .count();
    let waiting = apps
        .iter()
        .filter(|a| a.status == ApplicationStatus::Waiting)
        .count();
    assert_eq!((accepted, waiting), (30, 170), "{tag}");
    let s = trainings::session_by_slug(&mut conn, &session.slug)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(s.places_taken, 30);
}
