//! `kill -9` under a mixed load, through real `epop serve` processes: while
//! eight clients read pages and post registrations, intervention requests,
//! messages, expenses with their receipts and profile photos (two processes
//! on one PostgreSQL database behind nginx when it is installed, each with
//! its own data directory and the files in the test S3 server when there is
//! one; one process on SQLite), one process is killed with SIGKILL mid-way
//! and restarted. Every write that was acknowledged (a 303 to its success
//! page) is in the database, every receipt kept reads back through each
//! process, nothing is half written, and every e-mail whose cause was
//! committed reaches the SMTP server; a message may come twice only if the
//! dead process had it in flight (counted and printed).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use epop_store::{Db, testing};

use crate::event_capacity::{
    CSRF, Server, data_dir, event_of_30, free_port, http, multipart, send, signed_in, start_on,
};
use crate::harness::{App, Received, awa_accepts, smtp_server};

const CLIENTS: usize = 8;
/// Requests per client: one in two posts a registration.
const PER_CLIENT: usize = 250;
/// The outbox lease of the processes (seconds): how long the e-mails the
/// dead process held wait before the other one sends them.
const LEASE: &str = "3";

/// A write the load sends, and what tells it apart afterwards.
#[derive(Clone)]
enum Write {
    /// A registration to an event, by this address.
    Registration(String),
    /// An intervention request by the demo organisation, of this subject.
    Request(String),
    /// A message of the coordination on the demo request, of this text.
    Message(String),
    /// An expense of the demo peer with its receipt, of this label.
    Receipt(String),
    /// A photo of Thomas's profile, the n-th sent.
    Photo(usize),
}

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// The writes that were acknowledged (a 303 to their success page).
    acknowledged: Vec<Write>,
    /// The photos whose answer never came (the dead process's).
    photos_cut: Vec<usize>,
    statuses: BTreeMap<u16, usize>,
    /// Connections refused or cut (the dead process's).
    cut: usize,
    /// How long each answered request took.
    times: Vec<Duration>,
}

/// The people who write during the load, signed in before it, and where.
#[derive(Clone)]
struct Writers {
    slugs: Vec<String>,
    /// The demo organisation (its requests).
    requester: String,
    /// The coordination of Occitanie (its messages) and the demo request.
    coordination: String,
    request: String,
    /// The demo peer (her expenses) and her accepted proposal's link.
    awa: String,
    proposal: String,
    /// Thomas, who changes his photo.
    thomas: String,
}

/// The receipt sent with the expense `label`: a small PDF of its own.
fn receipt_bytes(label: &str) -> Vec<u8> {
    let mut bytes = format!("%PDF-1.4\n% {label}\n").into_bytes();
    bytes.extend((0..4_000u32).map(|i| b'a' + (i % 26) as u8));
    bytes
}

/// The n-th photo: a PNG header and bytes of its own.
fn photo_bytes(n: usize) -> Vec<u8> {
    let mut bytes = crate::storage::photo_bytes();
    bytes.truncate(20_000);
    bytes.extend(format!("photo-{n}").as_bytes());
    bytes
}

/// The request the load sends as its `i`-th of client `c`, and the write
/// it is (None for a read).
fn request(
    w: &Writers,
    tag: &str,
    c: usize,
    i: usize,
) -> (String, String, Vec<u8>, String, Option<Write>) {
    let form = "application/x-www-form-urlencoded";
    let slug = &w.slugs[i % w.slugs.len()];
    let marker = format!("crash-{tag}-{c}-{i}");
    let with_csrf = |fields: String| format!("csrf={CSRF}&{fields}").into_bytes();
    let get = |path: &str| {
        (
            format!("GET {path} HTTP/1.1"),
            form.to_owned(),
            Vec::new(),
            String::new(),
            None,
        )
    };
    match i % 8 {
        0 => get(&format!("/evenements/{slug}")),
        2 => get("/annuaire?q=sant%C3%A9"),
        4 => get("/"),
        5 => {
            let mut fields = crate::harness::request_fields("demandeur@demo.epop.test");
            fields.retain(|(k, _)| *k != "subject");
            fields.push(("subject", marker.clone()));
            (
                "POST /demander-une-intervention HTTP/1.1".into(),
                form.into(),
                with_csrf(serde_urlencoded::to_string(fields).unwrap()),
                w.requester.clone(),
                Some(Write::Request(marker)),
            )
        }
        6 => (
            format!("POST /admin/demandes/{}/messages HTTP/1.1", w.request),
            form.into(),
            with_csrf(format!("message={marker}")),
            w.coordination.clone(),
            Some(Write::Message(marker)),
        ),
        7 if c == 0 => {
            let n = i / 8;
            let (kind, body) = multipart(
                &[("description", "Thomas devant la montagne")],
                ("photo", "moi.png", "image/png", &photo_bytes(n)),
            );
            (
                "POST /espace/ma-fiche/photo HTTP/1.1".into(),
                kind,
                body,
                w.thomas.clone(),
                Some(Write::Photo(n)),
            )
        }
        7 => {
            let (kind, body) = multipart(
                &[("label", &marker), ("amount", "12,50")],
                (
                    "receipt",
                    "ticket.pdf",
                    "application/pdf",
                    &receipt_bytes(&marker),
                ),
            );
            (
                format!("POST {}/frais HTTP/1.1", w.proposal),
                kind,
                body,
                w.awa.clone(),
                Some(Write::Receipt(marker)),
            )
        }
        _ => {
            let email = format!("{marker}@exemple.fr");
            (
                format!("POST /evenements/{slug}/inscription HTTP/1.1"),
                form.into(),
                with_csrf(
                    serde_urlencoded::to_string([
                        ("name", format!("Personne {c} {i}")),
                        ("email", email.clone()),
                        ("consent", "oui".into()),
                    ])
                    .unwrap(),
                ),
                String::new(),
                Some(Write::Registration(email)),
            )
        }
    }
}

/// Whether the answer `head` (a 303) says the write was done, not sent
/// back with a message.
fn acknowledged(write: &Write, status: u16, head: &str) -> bool {
    let location = head
        .lines()
        .find_map(|l| {
            l.strip_prefix("location: ")
                .or_else(|| l.strip_prefix("Location: "))
        })
        .unwrap_or_default();
    status == 303
        && match write {
            Write::Registration(_) | Write::Photo(_) => true,
            Write::Request(_) => location.contains("message=demande-envoyee"),
            Write::Message(_) => location.contains("message-demande"),
            Write::Receipt(_) => location.ends_with("message=frais"),
        }
}

/// nginx in front of the processes, stopped when dropped.
struct Proxy {
    child: Child,
    port: u16,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_binary() -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin")])
        .map(|d| d.join("nginx"))
        .find(|p| p.is_file())
}

/// Starts nginx (one worker) in front of `upstreams`, as docs/deploy.md
/// sets it up: a request that could not reach a process goes to the other
/// one, unless it was already sent (a form is never posted twice).
async fn proxy(dir: &Path, upstreams: &[u16]) -> Option<Proxy> {
    let Some(nginx) = nginx_binary() else {
        // CI installs it (scripts/test-all.sh): there it must be used.
        assert!(
            std::env::var_os("CI").is_none(),
            "nginx is needed (apt-get install nginx-light)"
        );
        return None;
    };
    let port = free_port();
    let servers: String = upstreams
        .iter()
        .map(|p| format!("server 127.0.0.1:{p} max_fails=1 fail_timeout=2s; "))
        .collect();
    let d = dir.display();
    let conf = format!(
        "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/nginx-error.log warn;\n\
         events {{ worker_connections 512; }}\n\
         http {{ access_log off; client_body_temp_path {d}; proxy_temp_path {d};\n\
         fastcgi_temp_path {d}; uwsgi_temp_path {d}; scgi_temp_path {d};\n\
         upstream epop {{ {servers} }}\n\
         server {{ listen 127.0.0.1:{port}; client_max_body_size 12m;\n\
         location / {{ proxy_pass http://epop; proxy_buffering off;\n\
         proxy_set_header Host $host; proxy_set_header X-Forwarded-For $remote_addr;\n\
         proxy_next_upstream error timeout; }} }} }}\n"
    );
    let file = dir.join("nginx.conf");
    std::fs::write(&file, conf).unwrap();
    let child = Command::new(nginx)
        .arg("-e")
        .arg(dir.join("nginx-error.log"))
        .arg("-c")
        .arg(&file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    let proxy = Proxy { child, port };
    let started = Instant::now();
    while !matches!(http(port, "GET /healthz HTTP/1.1", "", ""), Ok((200, _))) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "nginx did not start: {}",
            std::fs::read_to_string(dir.join("nginx-error.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Some(proxy)
}

/// Runs the clients against `ports` (in turn) while the caller kills and
/// restarts a process once enough requests are done.
fn clients(ports: Vec<u16>, writers: Writers, tag: &'static str, done: Arc<AtomicUsize>) -> Seen {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (ports, writers, seen, done) =
                (ports.clone(), writers.clone(), seen.clone(), done.clone());
            std::thread::spawn(move || {
                for i in 0..PER_CLIENT {
                    let port = ports[(c + i) % ports.len()];
                    let (line, kind, body, cookies, write) = request(&writers, tag, c, i);
                    let asked = Instant::now();
                    let answer = send(port, &line, &kind, &body, &cookies);
                    let mut s = seen.lock().unwrap();
                    match answer {
                        Ok((status, head, _)) if status > 0 => {
                            s.times.push(asked.elapsed());
                            *s.statuses.entry(status).or_default() += 1;
                            if let Some(w) = write.filter(|w| acknowledged(w, status, &head)) {
                                s.acknowledged.push(w);
                            }
                        }
                        // Refused, or cut before an answer.
                        _ => {
                            s.cut += 1;
                            if let Some(Write::Photo(n)) = write {
                                s.photos_cut.push(n);
                            }
                            drop(s);
                            std::thread::sleep(Duration::from_millis(20));
                        }
                    }
                    done.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    Arc::try_unwrap(seen)
        .ok()
        .expect("the clients are done")
        .into_inner()
        .unwrap()
}

/// What the SMTP server received: how many times each Message-ID came, and
/// the test's addresses it was sent to.
fn delivered(received: &Received) -> (HashMap<String, usize>, HashSet<String>) {
    let (mut ids, mut to) = (HashMap::new(), HashSet::new());
    for m in received.lock().unwrap().iter() {
        for line in m.lines() {
            if let Some(id) = line
                .strip_prefix("Message-ID: <")
                .and_then(|l| l.strip_suffix('>'))
            {
                *ids.entry(id.to_owned()).or_insert(0) += 1;
            }
            if let Some(address) = line
                .strip_prefix("To: ")
                .and_then(|l| l.split_once("crash-"))
                .and_then(|(_, rest)| rest.split_once("@exemple.fr"))
            {
                to.insert(format!("crash-{}@exemple.fr", address.0));
            }
        }
    }
    (ids, to)
}

/// The environment of a process: the SMTP server, the outbox lease, and
/// the test S3 server when there is one.
fn process_env<'a>(smtp: &'a str, files: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    let mut env = vec![("EPOP_SMTP_URL", smtp), ("EPOP_OUTBOX_LEASE", LEASE)];
    env.extend(files.iter().map(|(k, v)| (*k, v.as_str())));
    env
}

/// The rows of `sql` (one text column), as a set.
async fn texts(db: &Db, sql: &str) -> HashSet<String> {
    let mut c = db.conn().await.unwrap();
    let rows: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_all(&mut *c)
        .await
        .unwrap();
    rows.into_iter().collect()
}

/// Fails, naming them, if some acknowledged writes of a kind are not in
/// the database; returns how many were acknowledged.
fn all_kept(tag: &str, what: &str, acknowledged: &[&String], kept: &HashSet<String>) -> usize {
    let missing: Vec<&&String> = acknowledged
        .iter()
        .filter(|a| !kept.contains(**a))
        .collect();
    assert!(
        missing.is_empty(),
        "{tag}: {what} acknowledged but lost: {missing:?}"
    );
    assert!(!acknowledged.is_empty(), "{tag}: no {what} acknowledged");
    acknowledged.len()
}

/// Kills `servers[0]` with SIGKILL half-way through the load and restarts
/// it on the same port, then checks what the database, the files and the
/// SMTP server hold.
async fn crash_under_load(url: &str, two: bool, tag: &'static str) {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let events = [event_of_30(&db).await, event_of_30(&db).await];
    // The demo peer accepts the demo request (in this process, on the
    // same database): she may then declare expenses.
    let (_, proposal) = awa_accepts(&App::new(db.clone())).await;
    let request = texts(
        &db,
        &format!(
            "SELECT r.public_id FROM intervention_requests r \
             JOIN request_proposals p ON p.request_id = r.id WHERE p.public_id = '{}'",
            proposal.rsplit('/').next().unwrap()
        ),
    )
    .await
    .into_iter()
    .next()
    .expect("the demo request");
    let (smtp, received) = smtp_server();
    // With the test S3 server, each process has a data directory of its
    // own: a file one wrote is read by the other from the object store.
    let files = crate::storage::process_env(&format!("crash-{tag}"));
    let env = process_env(&smtp, &files);
    let mut dirs: Vec<std::path::PathBuf> = Vec::new();
    let mut servers = Vec::new();
    for n in 0..if two { 2 } else { 1 } {
        let dir = if files.is_empty() && n > 0 {
            dirs[0].clone()
        } else {
            data_dir(&format!("crash-{tag}-{n}"))
        };
        servers.push(start_on(url, &dir, free_port(), &env).await);
        dirs.push(dir);
    }
    let upstreams: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let nginx = if two {
        proxy(&dirs[0], &upstreams).await
    } else {
        None
    };
    let ports = match &nginx {
        Some(p) => vec![p.port],
        None => upstreams.clone(),
    };
    eprintln!(
        "{tag}: {} process(es){}, files {}",
        servers.len(),
        if nginx.is_some() { " behind nginx" } else { "" },
        if files.is_empty() {
            "in a folder"
        } else {
            "in S3"
        },
    );
    let writers = Writers {
        slugs: events.iter().map(|e| e.slug.clone()).collect(),
        requester: signed_in(ports[0], "demandeur@demo.epop.test"),
        coordination: signed_in(ports[0], "coordination@demo.epop.test"),
        request,
        awa: signed_in(ports[0], "pair@demo.epop.test"),
        proposal,
        thomas: signed_in(ports[0], crate::storage::THOMAS),
    };
    let mut c = db.conn().await.unwrap();
    let registration_mails = "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Inscription confirmée : Réunion%' \
         OR subject LIKE 'Liste d’attente : Réunion%'";
    let mails_before: i64 = sqlx::query_scalar(registration_mails)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    drop(c);

    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let load = {
        let (writers, done) = (writers.clone(), done.clone());
        std::thread::spawn(move || clients(ports, writers, tag, done))
    };
    while done.load(Ordering::SeqCst) < CLIENTS * PER_CLIENT / 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let dead: &mut Server = &mut servers[0];
    dead.kill_now();
    let killed_at = done.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    *dead = start_on(url, &dirs[0], dead.port, &env).await;
    let seen = load.join().unwrap();
    let elapsed = started.elapsed();

    // Every committed e-mail is sent: the outbox empties (the dead
    // process's claim runs out after the lease).
    let mut c = db.conn().await.unwrap();
    let waited = Instant::now();
    loop {
        let unsent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        if unsent == 0 {
            break;
        }
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "{unsent} e-mails still unsent a minute after the load"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // Every acknowledged write is in the database.
    let of = |pick: fn(&Write) -> Option<&String>| -> Vec<&String> {
        seen.acknowledged.iter().filter_map(pick).collect()
    };
    let registered = texts(
        &db,
        "SELECT email FROM event_registrations WHERE email LIKE 'crash-%'",
    )
    .await;
    let registrations = of(|w| match w {
        Write::Registration(e) => Some(e),
        _ => None,
    });
    let requests = of(|w| match w {
        Write::Request(s) => Some(s),
        _ => None,
    });
    let messages = of(|w| match w {
        Write::Message(s) => Some(s),
        _ => None,
    });
    let receipts = of(|w| match w {
        Write::Receipt(s) => Some(s),
        _ => None,
    });
    let counts = [
        all_kept(tag, "registrations", &registrations, &registered),
        all_kept(
            tag,
            "requests",
            &requests,
            &texts(
                &db,
                "SELECT subject FROM intervention_requests WHERE subject LIKE 'crash-%'",
            )
            .await,
        ),
        all_kept(
            tag,
            "messages",
            &messages,
            &texts(
                &db,
                "SELECT body FROM request_messages WHERE body LIKE 'crash-%'",
            )
            .await,
        ),
        all_kept(
            tag,
            "expenses",
            &receipts,
            &texts(
                &db,
                "SELECT label FROM request_expenses WHERE label LIKE 'crash-%'",
            )
            .await,
        ),
    ];

    // Every receipt in the database reads, byte for byte, through each
    // process (with S3, from another data directory than the one that
    // took it).
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT label, public_id FROM request_expenses WHERE label LIKE 'crash-%'")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    for server in &servers {
        for (label, id) in &kept {
            let (status, _, bytes) = send(
                server.port,
                &format!("GET {}/frais/{id} HTTP/1.1", writers.proposal),
                "text/plain",
                b"",
                &writers.awa,
            )
            .unwrap();
            assert_eq!(status, 200, "{tag}: the receipt of {label}");
            assert!(
                bytes == receipt_bytes(label),
                "{tag}: the receipt of {label} differs"
            );
        }
    }
    // Thomas's photo is the last one acknowledged (or one sent after it
    // whose answer was cut), through each process, once the read cache's
    // bound has passed.
    tokio::time::sleep(epop_store::cache::TTL).await;
    let last = seen
        .acknowledged
        .iter()
        .filter_map(|w| match w {
            Write::Photo(n) => Some(*n),
            _ => None,
        })
        .max()
        .expect("a photo acknowledged");
    let possible: Vec<Vec<u8>> = std::iter::once(last)
        .chain(seen.photos_cut.iter().copied().filter(|n| *n > last))
        .map(photo_bytes)
        .collect();
    for server in &servers {
        let (status, _, bytes) = send(
            server.port,
            "GET /annuaire/thomas-roux/photo HTTP/1.1",
            "text/plain",
            b"",
            &writers.awa,
        )
        .unwrap();
        assert_eq!(status, 200);
        assert!(
            possible.contains(&bytes),
            "{tag}: Thomas's photo is not the last one sent"
        );
    }

    // Nothing half written: each registration has its one e-mail (the
    // outbox forgets a recipient once sent: the SMTP server says who).
    let registration_mails: i64 = sqlx::query_scalar(registration_mails)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(
        (registration_mails - mails_before) as usize,
        registered.len(),
        "{tag}: one e-mail per registration"
    );
    let mails: Vec<String> = sqlx::query_scalar("SELECT message_id FROM outbox")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    let (ids, to) = delivered(&received);
    let not_told: Vec<&String> = registered.iter().filter(|r| !to.contains(*r)).collect();
    assert!(
        not_told.is_empty(),
        "{tag}: registered, never e-mailed: {not_told:?}"
    );

    // Each reached the SMTP server, at least once.
    let unsent: Vec<&String> = mails.iter().filter(|id| !ids.contains_key(*id)).collect();
    assert!(
        unsent.is_empty(),
        "{tag}: marked sent, never received: {unsent:?}"
    );
    let duplicates: usize = mails.iter().map(|id| ids[id].saturating_sub(1)).sum();
    assert!(
        duplicates <= epop::worker::AT_ONCE,
        "{tag}: {duplicates} e-mails sent twice, more than the dead process had in flight"
    );

    // No error page: only the dead process's connections were cut (through
    // nginx, a request in flight to it is a 502 at most).
    let errors: usize = seen
        .statuses
        .iter()
        .filter(|(s, _)| **s >= 500 && (**s != 502 || nginx.is_none()))
        .map(|(_, n)| n)
        .sum();
    assert_eq!(errors, 0, "{tag}: {:?}", seen.statuses);
    let bad_gateway = seen.statuses.get(&502).copied().unwrap_or(0);
    assert!(bad_gateway <= CLIENTS, "{tag}: {bad_gateway} 502");
    let mut times = seen.times.clone();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    eprintln!(
        "{tag}: {} requests in {:.1} s ({:.0}/s, p50 {:.1} ms, p99 {:.1} ms), killed after \
         {killed_at}; statuses {:?}, {} connections cut; acknowledged: {} registrations \
         ({} in the database), {} requests, {} messages, {} expenses with receipts \
         ({} read back through each process), {} photos; {} e-mails, {duplicates} sent twice",
        CLIENTS * PER_CLIENT,
        elapsed.as_secs_f64(),
        (CLIENTS * PER_CLIENT) as f64 / elapsed.as_secs_f64(),
        at(0.5),
        at(0.99),
        seen.statuses,
        seen.cut,
        counts[0],
        registered.len(),
        counts[1],
        counts[2],
        counts[3],
        kept.len(),
        last + 1,
        mails.len(),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_under_write_load_loses_no_acknowledged_write_nor_e_mail() {
    let path = std::env::temp_dir().join(format!("epop-crash-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    crash_under_load(&format!("sqlite://{}", path.display()), false, "sqlite").await;

    if let Some(base) = testing::postgres_url() {
        let url = testing::postgres_schema_url(&base).await;
        crash_under_load(&url, true, "postgres").await;
    }
}
