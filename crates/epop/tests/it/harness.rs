//! A browser-like client for the in-process application: a cookie jar, the
//! CSRF token taken from the cookie, and helpers to read pages.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Request, StatusCode, header};
use epop_domain::Email;
use epop_store::{Db, accounts, outbox, testing};
use http_body_util::BodyExt;
use mailin_embedded::{Handler, Server, SslConfig, response};
use tower::ServiceExt;

pub const PASSWORD: &str = epop::demo::DEMO_PASSWORD;
pub const BASE: &str = "http://epop.test";

/// One database per engine, each with the demo data loaded.
pub async fn apps() -> Vec<App> {
    let mut out = Vec::new();
    for db in testing::all().await {
        epop::demo::load(&db).await.expect("demo data");
        out.push(App::new(db));
    }
    out
}

#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub router: Router,
    /// This application's own data directory, so that tests running at
    /// the same time never share a file.
    pub data_dir: std::path::PathBuf,
    /// Its file storage (by default the folder `fichiers` of `data_dir`).
    pub files: Arc<dyn epop_web::storage::Storage>,
}

/// A fresh folder under the system's temporary folder.
pub fn temp_dir(tag: &str) -> std::path::PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("epop-{tag}-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

impl App {
    /// The account with this address, as stored.
    pub async fn account(&self, email: &str) -> accounts::Account {
        let mut conn = self.db.conn().await.unwrap();
        let id = accounts::id_by_email(&mut conn, &Email::parse(email).unwrap())
            .await
            .unwrap();
        accounts::by_id(&mut conn, id).await.unwrap().unwrap()
    }

    /// The public id (the one in URLs) of the account with this address.
    pub async fn public_id(&self, email: &str) -> String {
        self.account(email).await.public_id
    }

    pub fn new(db: Db) -> App {
        App::with_config(db, |_| {})
    }

    /// An application whose settings `edit` changes (https, a proxy…).
    pub fn with_config(db: Db, edit: impl FnOnce(&mut epop_web::Config)) -> App {
        let mut config = epop_web::Config {
            base_url: BASE.into(),
            data_dir: temp_dir("files"),
            ..Default::default()
        };
        edit(&mut config);
        App::serving(epop_web::AppState::new(db, config))
    }

    /// An application on this database with its files in `files`.
    pub fn with_storage(db: Db, files: Arc<dyn epop_web::storage::Storage>) -> App {
        let config = epop_web::Config {
            base_url: BASE.into(),
            data_dir: temp_dir("files"),
            ..Default::default()
        };
        App::serving(epop_web::AppState::with_storage(db, config, files))
    }

    fn serving(state: epop_web::AppState) -> App {
        App {
            db: state.db.clone(),
            data_dir: state.config.data_dir.clone(),
            files: state.files.clone(),
            router: epop_web::router(state),
        }
    }

    pub fn client(&self) -> Client {
        Client {
            router: self.router.clone(),
            jar: BTreeMap::new(),
            peer: None,
        }
    }

    /// A client already signed in with a demo account.
    pub async fn signed_in(&self, email: &str) -> Client {
        let mut c = self.client();
        let page = c.sign_in(email, PASSWORD).await;
        assert_eq!(
            page.status,
            StatusCode::SEE_OTHER,
            "sign-in of {email} failed: {}",
            page.body
        );
        c
    }

    /// The newest e-mail to an address, as (subject, body).
    pub async fn last_mail(&self, to: &str) -> Option<(String, String)> {
        let mut conn = self.db.conn().await.unwrap();
        outbox::recent(&mut conn, Some(to), 1)
            .await
            .unwrap()
            .into_iter()
            .next()
            .map(|(e, body)| (e.subject, body))
    }

    /// How many lines of the audit log have this action.
    pub async fn audit_count(&self, action: &str) -> i64 {
        let mut conn = self.db.conn().await.unwrap();
        let f = epop_store::audit::Filter {
            action: action.into(),
            ..Default::default()
        };
        epop_store::audit::search(&mut conn, &f, 1, 0)
            .await
            .unwrap()
            .1
    }

    pub async fn mail_count(&self, to: &str) -> usize {
        let mut conn = self.db.conn().await.unwrap();
        outbox::recent(&mut conn, Some(to), 1000)
            .await
            .unwrap()
            .len()
    }
}

/// The first link to the platform found in a text, as a path.
pub fn link_in(text: &str) -> String {
    let start = text.find(BASE).expect("a link in the e-mail") + BASE.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `<title>` text.
    pub fn title(&self) -> &str {
        let start = self.body.find("<title>").map(|i| i + 7).unwrap_or(0);
        let end = self.body[start..]
            .find("</title>")
            .map(|i| start + i)
            .unwrap_or(start);
        &self.body[start..end]
    }

    pub fn h1(&self) -> &str {
        let start = self
            .body
            .find("<h1")
            .and_then(|i| self.body[i..].find('>').map(|j| i + j + 1))
            .unwrap_or(0);
        let end = self.body[start..]
            .find("</h1>")
            .map(|i| start + i)
            .unwrap_or(start);
        &self.body[start..end]
    }

    /// Asserts the accessible error pattern: « Erreur : » title, a summary
    /// linking to the field, and the message beside the field.
    pub fn assert_field_error(&self, field: &str, words: &str) {
        assert_eq!(self.status, StatusCode::BAD_REQUEST, "{}", self.body);
        assert!(
            self.title().starts_with("Erreur : "),
            "title: {}",
            self.title()
        );
        assert!(self.body.contains("class=\"error-summary\""), "no summary");
        assert!(
            self.body.contains(&format!("href=\"#{field}\"")),
            "summary does not link to #{field}"
        );
        assert!(
            // A group of boxes names its first one `x-0` and its message `x-erreur`.
            self.body.contains(&format!("id=\"{field}-erreur\""))
                || field.strip_suffix("-0").is_some_and(|group| {
                    self.body.contains(&format!("id=\"{group}s-erreur\""))
                        || self.body.contains(&format!("id=\"{group}-erreur\""))
                }),
            "no message beside {field}"
        );
        assert!(
            self.body.contains(words),
            "message « {words} » missing in:\n{}",
            self.body
        );
    }
}

pub struct Client {
    router: Router,
    pub jar: BTreeMap<String, String>,
    /// The TCP peer the server sees (none: as in-process requests).
    pub peer: Option<SocketAddr>,
}

impl Client {
    fn cookie_header(&self) -> String {
        self.jar
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Page {
        if let Some(peer) = self.peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        let res = self.router.clone().oneshot(req).await.unwrap();
        for v in res.headers().get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap();
            let pair = s.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            if val.is_empty() || s.contains("Max-Age=0") {
                self.jar.remove(k);
            } else {
                self.jar.insert(k.to_owned(), val.to_owned());
            }
        }
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Page {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// A file's bytes (a download), asserting it is served.
    pub async fn get_bytes(&mut self, path: &str) -> Vec<u8> {
        let req = Request::get(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "GET {path}");
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    /// The CSRF token (cookie `epop_csrf`, `__Host-epop_csrf` over https).
    pub async fn csrf(&mut self) -> String {
        let token = |jar: &BTreeMap<String, String>| {
            jar.iter()
                .find(|(k, _)| k.trim_start_matches("__Host-") == "epop_csrf")
                .map(|(_, v)| v.clone())
        };
        if token(&self.jar).is_none() {
            self.get("/").await;
        }
        token(&self.jar).expect("a CSRF cookie")
    }

    /// Posts a form as a browser would, with the CSRF token.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_raw(path, &serde_urlencoded::to_string(&all).unwrap(), &[])
            .await
    }

    pub async fn post_raw(&mut self, path: &str, body: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::from(body.to_owned())).unwrap())
            .await
    }

    /// Posts a form with a file as a browser does (multipart), the CSRF token
    /// first, as our file forms put it.
    pub async fn post_multipart(
        &mut self,
        path: &str,
        token: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let mut all = vec![("csrf", token)];
        all.extend_from_slice(fields);
        self.post_multipart_raw(path, &all, file).await
    }

    /// Posts these multipart fields, then the file, and nothing else.
    pub async fn post_multipart_raw(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let boundary = "----epop-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        if let Some((name, filename, bytes)) = file {
            body.extend(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend(bytes);
            body.extend(b"\r\n");
        }
        body.extend(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Page {
        self.post("/connexion", &[("email", email), ("password", password)])
            .await
    }
}

// Intervention requests: what the requests_* files share.

/// A complete request form, in 90 days, from `email`.
pub fn request_fields(email: &str) -> Vec<(&'static str, String)> {
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(90))
        .format("%d/%m/%Y")
        .to_string();
    vec![
        ("kind", "sensibiliser".into()),
        ("subject", "Sensibiliser l’équipe d’accueil".into()),
        (
            "description",
            "Une demi-journée sur l’accueil des personnes avec un handicap psychique.".into(),
        ),
        ("audience", "Agents d’accueil".into()),
        ("audience_size", "12".into()),
        ("date_from", date),
        ("duration", "3 heures".into()),
        ("mode", "sur-place".into()),
        ("address", "1 place du Capitole, 31000 Toulouse".into()),
        ("department", "31".into()),
        ("fee", "300".into()),
        ("org_name", "Médiathèque de Toulouse (test)".into()),
        ("org_kind", "public_service".into()),
        ("contact_name", "Jeanne Petit".into()),
        ("contact_email", email.into()),
    ]
}

/// The form's fields as `post` takes them, with `extra` ones.
pub fn refs<'a>(
    f: &'a [(&'static str, String)],
    extra: &[(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut v: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    v.extend_from_slice(extra);
    v
}

/// Words that tell a peer's legal situation (benefits, employment, ESAT,
/// retirement, studies) or the verdict for it, as coordinators read them.
fn situation_words() -> Vec<String> {
    use epop_domain::legal::{Situation, Verdict};
    let mut words: Vec<String> = [
        "AAH",
        "CAF",
        "MDPH",
        "France Travail",
        "chômage",
        "caisse de retraite",
        "travail en ESAT",
        "travailleur ou travailleuse d’ESAT",
        "sous conditions",
    ]
    .map(String::from)
    .to_vec();
    for s in Situation::ALL {
        words.push(s.label().into());
        words.push(s.label_easy().into());
    }
    for v in [Verdict::FitsWithConditions, Verdict::Risky] {
        words.push(v.label().into());
    }
    words
}

/// Fails if `seen` (pages, PDF text, e-mails) tells a peer's situation.
pub fn assert_no_situation(seen: &str, what: &str) {
    let seen = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in situation_words() {
        assert!(!seen.contains(&word), "« {word} » in {what}");
    }
}

/// The first proposal linked from a peer's list of proposals.
pub fn first_proposal(body: &str) -> String {
    body.split("href=\"/espace/propositions/")
        .nth(1)
        .map(|s| format!("/espace/propositions/{}", s.split('"').next().unwrap()))
        .expect("a proposal in the list")
}

/// Awa, the demo peer, signed in, accepts the first proposal in her list
/// (the demo request); returns her client and the proposal's link.
pub async fn awa_accepts(app: &App) -> (Client, String) {
    let mut awa = app.signed_in("pair@demo.epop.test").await;
    let list = awa.get("/espace/propositions").await;
    let link = first_proposal(&list.body);
    awa.post(&format!("{link}/repondre"), &[("reponse", "oui")])
        .await;
    (awa, link)
}

// A real SMTP server (mailin), for the tests that read e-mails as sent.

/// What the server received: each message as raw text, in order.
pub type Received = Arc<Mutex<Vec<String>>>;

#[derive(Clone, Default)]
struct Inbox {
    received: Received,
    current: Vec<u8>,
}

impl Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> mailin_embedded::Response {
        let text = String::from_utf8_lossy(&std::mem::take(&mut self.current)).into_owned();
        self.received.lock().unwrap().push(text);
        response::OK
    }
}

/// Starts an SMTP server on a free port; returns its URL and its inbox.
pub fn smtp_server() -> (String, Received) {
    let inbox = Inbox::default();
    let received = inbox.received.clone();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = Server::new(inbox);
    server
        .with_name("test.local")
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (format!("smtp://127.0.0.1:{port}"), received)
}
