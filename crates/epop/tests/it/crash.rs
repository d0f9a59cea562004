//! `kill -9` under write load, through real `epop serve` processes: while
//! eight clients read pages and post registrations (two processes on one
//! PostgreSQL database behind nginx when it is installed, one process on
//! SQLite), one process is killed with SIGKILL mid-way and restarted.
//! Every registration that was acknowledged (a 303) is in the database with
//! its e-mail written beside it, nothing is half written, and every e-mail
//! whose cause was committed reaches the SMTP server; a message may come
//! twice only if the dead process had it in flight (counted and printed).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use epop_store::{Db, testing};

use crate::event_capacity::{Server, data_dir, event_of_30, free_port, http, start_on};
use crate::harness::{Received, smtp_server};

const CLIENTS: usize = 8;
/// Requests per client: one in two posts a registration.
const PER_CLIENT: usize = 250;
/// The outbox lease of the processes (seconds): how long the e-mails the
/// dead process held wait before the other one sends them.
const LEASE: &str = "3";

/// What the clients saw.
#[derive(Default)]
struct Seen {
    /// The addresses whose registration was answered by a 303.
    acknowledged: Vec<String>,
    statuses: BTreeMap<u16, usize>,
    /// Connections refused or cut (the dead process's).
    cut: usize,
    /// How long each answered request took.
    times: Vec<Duration>,
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
/// restarts a process once `kill_at` requests are done.
fn clients(ports: Vec<u16>, slugs: Vec<String>, tag: &'static str, done: Arc<AtomicUsize>) -> Seen {
    let seen = Arc::new(Mutex::new(Seen::default()));
    let threads: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let (ports, slugs, seen, done) =
                (ports.clone(), slugs.clone(), seen.clone(), done.clone());
            std::thread::spawn(move || {
                for i in 0..PER_CLIENT {
                    let port = ports[(c + i) % ports.len()];
                    let slug = &slugs[i % slugs.len()];
                    let email = format!("crash-{tag}-{c}-{i}@exemple.fr");
                    let asked = Instant::now();
                    let answer = match i % 4 {
                        0 => http(port, &format!("GET /evenements/{slug} HTTP/1.1"), "", ""),
                        2 => http(port, "GET /annuaire?q=sant%C3%A9 HTTP/1.1", "", ""),
                        _ => http(
                            port,
                            &format!("POST /evenements/{slug}/inscription HTTP/1.1"),
                            &format!(
                                "name=Personne+{c}+{i}&email={}&consent=oui",
                                email.replace('@', "%40")
                            ),
                            "",
                        ),
                    };
                    let mut s = seen.lock().unwrap();
                    match answer {
                        Ok((status, _)) if status > 0 => {
                            s.times.push(asked.elapsed());
                            *s.statuses.entry(status).or_default() += 1;
                            if status == 303 {
                                s.acknowledged.push(email);
                            }
                        }
                        // Refused, or cut before an answer.
                        _ => {
                            s.cut += 1;
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

/// Kills `servers[0]` with SIGKILL half-way through the load and restarts
/// it on the same port, then checks what the database and the SMTP server
/// hold; returns (acknowledged, in the database, duplicates).
async fn crash_under_load(url: &str, two: bool, tag: &'static str) -> (usize, usize, usize) {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    let events = [event_of_30(&db).await, event_of_30(&db).await];
    let slugs: Vec<String> = events.iter().map(|e| e.slug.clone()).collect();
    let (smtp, received) = smtp_server();
    let env = [
        ("EPOP_SMTP_URL", smtp.as_str()),
        ("EPOP_OUTBOX_LEASE", LEASE),
    ];
    let dir = data_dir(&format!("crash-{tag}"));
    let mut servers = Vec::new();
    for _ in 0..if two { 2 } else { 1 } {
        servers.push(start_on(url, &dir, free_port(), &env).await);
    }
    let upstreams: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let nginx = if two {
        proxy(&dir, &upstreams).await
    } else {
        None
    };
    let ports = match &nginx {
        Some(p) => vec![p.port],
        None => upstreams.clone(),
    };
    eprintln!(
        "{tag}: {} process(es){}",
        servers.len(),
        if nginx.is_some() { " behind nginx" } else { "" }
    );

    let done = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let load = {
        let (slugs, done) = (slugs.clone(), done.clone());
        std::thread::spawn(move || clients(ports, slugs, tag, done))
    };
    while done.load(Ordering::SeqCst) < CLIENTS * PER_CLIENT / 2 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let dead: &mut Server = &mut servers[0];
    dead.kill_now();
    let killed_at = done.load(Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(300)).await;
    *dead = start_on(url, &dir, dead.port, &env).await;
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

    let registered: Vec<String> =
        sqlx::query_scalar("SELECT email FROM event_registrations WHERE email LIKE 'crash-%'")
            .fetch_all(&mut *c)
            .await
            .unwrap();
    let registered: HashSet<String> = registered.into_iter().collect();
    let missing: Vec<&String> = seen
        .acknowledged
        .iter()
        .filter(|e| !registered.contains(*e))
        .collect();
    assert!(
        missing.is_empty(),
        "{tag}: acknowledged but lost: {missing:?}"
    );

    // Nothing half written: each registration has its one e-mail (the
    // outbox forgets a recipient once sent: the SMTP server says who).
    let mails: Vec<String> = sqlx::query_scalar("SELECT message_id FROM outbox")
        .fetch_all(&mut *c)
        .await
        .unwrap();
    assert_eq!(
        mails.len(),
        registered.len(),
        "{tag}: one e-mail per registration"
    );
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
    assert!(
        seen.statuses.get(&200).copied().unwrap_or(0) > CLIENTS * PER_CLIENT / 3,
        "{tag}: {:?}",
        seen.statuses
    );
    let mut times = seen.times.clone();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize].as_secs_f64() * 1000.0;
    eprintln!(
        "{tag}: {} requests in {:.1} s ({:.0}/s, p50 {:.1} ms, p99 {:.1} ms), killed after \
         {killed_at}; statuses {:?}, \
         {} connections cut; {} registrations acknowledged, {} in the database; \
         {} e-mails, {duplicates} sent twice",
        CLIENTS * PER_CLIENT,
        elapsed.as_secs_f64(),
        (CLIENTS * PER_CLIENT) as f64 / elapsed.as_secs_f64(),
        at(0.5),
        at(0.99),
        seen.statuses,
        seen.cut,
        seen.acknowledged.len(),
        registered.len(),
        mails.len(),
    );
    (seen.acknowledged.len(), registered.len(), duplicates)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_under_write_load_loses_no_acknowledged_write_nor_e_mail() {
    let path = std::env::temp_dir().join(format!("epop-crash-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let (acknowledged, registered, _) =
        crash_under_load(&format!("sqlite://{}", path.display()), false, "sqlite").await;
    assert!(acknowledged > 0 && registered >= acknowledged);

    if let Some(base) = testing::postgres_url() {
        let url = testing::postgres_schema_url(&base).await;
        let (acknowledged, registered, _) = crash_under_load(&url, true, "postgres").await;
        assert!(acknowledged > 0 && registered >= acknowledged);
    }
}
