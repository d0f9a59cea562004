//! Security by default: response headers (strict CSP without
//! `unsafe-inline`), CSRF protection of every state-changing request (a token
//! in every form, checked against a cookie, plus Origin / Sec-Fetch-Site),
//! random tokens and their hashes, password hashing with argon2id, cookies,
//! private answers never stored (`Cache-Control: no-store`), HSTS over
//! https, and the client's address behind a trusted reverse proxy.

use std::net::IpAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blake2::{Blake2b512, Digest};
use futures_util::StreamExt;
use rand_core::{OsRng, RngCore};

use crate::{AppError, AppState, Config};

/// The CSRF token of the current visitor, put in request extensions.
#[derive(Clone, Debug)]
pub struct CsrfToken(pub String);

/// A random token of 32 bytes, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A short random public id for URLs (not guessable, not enumerable).
pub fn public_id() -> String {
    let mut bytes = [0u8; 12];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What we store instead of a token.
pub fn hash_token(token: &str) -> String {
    let digest = Blake2b512::digest(token.as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..32])
}

/// argon2id with the crate's default (OWASP-recommended) parameters.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

/// Checks a password; with no stored hash, spends the same time and fails
/// (so timing does not tell whether an account exists).
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash_password("epop-dummy-password").unwrap_or_default());
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (dummy.as_str(), false),
    };
    let ok = PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    ok && real
}

/// Cookie names: `__Host-` prefixed (so no subdomain can set them) when
/// secure. The one place a cookie's name is made, for writing
/// ([`set_cookie`]) and reading ([`read_cookie`]) alike.
fn cookie_name(config: &Config, base: &str) -> String {
    if config.secure_cookies() {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

pub const SESSION_COOKIE: &str = "epop_session";

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure over https.
pub fn set_cookie(config: &Config, base: &str, value: &str, max_age: Option<i64>) -> HeaderValue {
    let mut c = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Lax",
        cookie_name(config, base)
    );
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if config.secure_cookies() {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Reads one cookie from the request headers, by the same name
/// [`set_cookie`] gives it.
pub fn read_cookie(config: &Config, headers: &HeaderMap, base: &str) -> Option<String> {
    let name = cookie_name(config, base);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name.as_str())
        .map(|(_, v)| v.to_owned())
}

/// Reverse proxies whose `X-Forwarded-For` is believed (`EPOP_TRUSTED_PROXY`):
/// addresses and CIDR blocks. Empty by default: the header is then ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<(IpAddr, u8)>);

impl TrustedProxies {
    /// A list such as `127.0.0.1`, `10.0.0.0/8, ::1` (commas or spaces).
    pub fn parse(list: &str) -> Result<Self, String> {
        let mut out = Vec::new();
        for item in list.split([',', ' ']).filter(|i| !i.is_empty()) {
            let (addr, bits) = item.split_once('/').unwrap_or((item, ""));
            let ip: IpAddr = addr
                .parse()
                .map_err(|_| format!("« {item} » n’est pas une adresse IP ni un bloc CIDR"))?;
            let ip = ip.to_canonical();
            let max = if ip.is_ipv4() { 32 } else { 128 };
            let bits = if bits.is_empty() {
                max
            } else {
                bits.parse::<u8>()
                    .ok()
                    .filter(|b| *b <= max)
                    .ok_or_else(|| format!("« {item} » : la longueur du préfixe va de 0 à {max}"))?
            };
            out.push((ip, bits));
        }
        Ok(TrustedProxies(out))
    }

    /// Whether `ip` is one of the proxies.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|(net, bits)| match (net, ip) {
            (IpAddr::V4(n), IpAddr::V4(i)) => {
                prefix(u32::from(*n).into(), u32::from(i).into(), *bits, 32)
            }
            (IpAddr::V6(n), IpAddr::V6(i)) => prefix(u128::from(*n), u128::from(i), *bits, 128),
            _ => false,
        })
    }
}

/// Whether the first `bits` of two `width`-bit numbers are the same.
fn prefix(net: u128, ip: u128, bits: u8, width: u32) -> bool {
    let shift = width - u32::from(bits);
    shift >= width || (net >> shift) == (ip >> shift)
}

/// The client's address: the TCP peer, unless that peer is a trusted proxy;
/// then the right-most address of `X-Forwarded-For` that is not itself a
/// trusted proxy (a client can write anything at the left of that header,
/// never at its right). Without trusted proxies the header is ignored.
pub fn client_ip(config: &Config, headers: &HeaderMap, peer: Option<IpAddr>) -> Option<IpAddr> {
    let peer = peer?.to_canonical();
    let trusted = &config.trusted_proxies;
    if !trusted.contains(peer) {
        return Some(peer);
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in forwarded.into_iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip.to_canonical();
                if !trusted.contains(client) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    Some(client)
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// The pages a link with a token opens, for people without a session: a
/// registration, a questionnaire, a newsletter confirmation or
/// unsubscription, a request draft, a sign-in or reset link, an invitation.
const TOKEN_PAGES: [&str; 9] = [
    "/inscriptions",
    "/questionnaire",
    "/lettre/confirmer",
    "/lettre/desabonnement",
    "/demander-une-intervention/reprendre",
    "/demander-une-intervention/confirmer",
    "/connexion/lien",
    "/mot-de-passe",
    "/invitation",
];

/// Whether an answer is private, so that no browser or proxy keeps it:
/// everything under `/espace` and `/admin`, the pages of e-mailed links,
/// every answer to a form sent (it shows what was typed), and every answer
/// to a visitor with a session cookie (profile pages with sensitive
/// fields, personal downloads…), static files aside. Visitors' public
/// pages keep their own caching (`page_cache`).
pub(crate) fn private(config: &Config, req: &Request) -> bool {
    let path = req.uri().path();
    let under = |root: &str| {
        path.strip_prefix(root)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    !under("/static")
        && (under("/espace")
            || under("/admin")
            || TOKEN_PAGES.iter().any(|root| under(root))
            || !matches!(*req.method(), Method::GET | Method::HEAD)
            || read_cookie(config, req.headers(), SESSION_COOKIE).is_some())
}

/// Security headers on every response; `no-store` on private ones; HSTS
/// when the platform is served over https.
pub async fn headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let private = private(&state.config, &req);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if private {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if state.config.secure_cookies() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    res
}

/// Gives every visitor a CSRF token (cookie) and refuses any state-changing
/// request whose form does not carry it, or that comes from another site.
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let existing = read_cookie(&state.config, req.headers(), "epop_csrf").filter(|t| t.len() >= 32);
    let token = existing.clone().unwrap_or_else(random_token);
    let (mut parts, body) = req.into_parts();
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS)
        && !one_click_unsubscribe(&parts.method, parts.uri.path());
    let body = if unsafe_method {
        if !same_site(&parts.headers, &state.config) {
            return AppError::BadCsrf.into_response();
        }
        // File uploads (multipart) carry the token in their first part:
        // only that much of the body is read here, the file streams on.
        let (sent, body) = if let Some(boundary) = multipart_boundary(&parts.headers) {
            first_part_token(body, &boundary).await
        } else {
            let Ok(bytes) = to_bytes(body, 256 * 1024).await else {
                // Above any form's size: `error::too_large` makes the page.
                return StatusCode::PAYLOAD_TOO_LARGE.into_response();
            };
            (form_field(&bytes, "csrf"), Body::from(bytes))
        };
        let valid = match (&existing, sent) {
            (Some(cookie), Some(sent)) => constant_time_eq(cookie.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if !valid {
            tracing::warn!(path = ?parts.uri.path(), "CSRF check failed");
            return AppError::BadCsrf.into_response();
        }
        body
    } else {
        body
    };
    parts.extensions.insert(CsrfToken(token.clone()));
    let mut res = next.run(Request::from_parts(parts, body)).await;
    if existing.is_none() {
        res.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state.config, "epop_csrf", &token, None),
        );
    }
    res
}

/// The one request exempt from the CSRF check: the newsletter's one-click
/// unsubscription, `POST /lettre/desabonnement/{token}`. RFC 8058 has the
/// mail program (Gmail, Outlook…) POST to the `List-Unsubscribe` address
/// from its own servers, with no cookie, no token and no same-site origin,
/// so no CSRF check can pass; what protects it is the unguessable token in
/// the path, which only the recipient's e-mail holds, and what it does
/// (stop one subscription) is all a forged request could do. Nothing else
/// may be added here.
fn one_click_unsubscribe(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path
            .strip_prefix("/lettre/desabonnement/")
            .is_some_and(|token| !token.is_empty() && !token.contains('/'))
}

/// Origin and Fetch Metadata: a browser says where a request comes from.
fn same_site(headers: &HeaderMap, config: &Config) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && site != "same-origin"
        && site != "none"
    {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => {
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            origin == config.base_url
                || origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
                    == Some(host)
        }
    }
}

/// The boundary of a `multipart/form-data` body, if the request has one.
fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    let mut params = value.split(';').map(str::trim);
    if !params.next()?.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params
        .find_map(|p| p.strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
        .filter(|b| !b.is_empty())
}

/// How much of a multipart body is read to find its first part, the token.
const FIRST_PART_MAX: usize = 16 * 1024;

/// Reads a multipart body until its first part is complete; gives the token
/// if that part is the `csrf` field, and the body as it was, whole.
async fn first_part_token(body: Body, boundary: &str) -> (Option<String>, Body) {
    let mut stream = body.into_data_stream();
    let mut head = Vec::new();
    let token = loop {
        match multipart_csrf(&head, boundary) {
            Some(found) => break found,
            None if head.len() > FIRST_PART_MAX => break None,
            None => match stream.next().await {
                Some(Ok(chunk)) => head.extend_from_slice(&chunk),
                _ => break None,
            },
        }
    };
    let head = futures_util::stream::iter([Ok::<_, axum::Error>(Bytes::from(head))]);
    (token, Body::from_stream(head.chain(stream)))
}

/// The value of the `csrf` field when it is the first part of a multipart
/// body that begins with `head`: `Some(None)` when the first part is
/// another one (or not a field), `None` when `head` is too short to tell.
fn multipart_csrf(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    if head.len() < opening.len() {
        let more_to_come = opening.as_bytes().starts_with(head);
        return if more_to_come { None } else { Some(None) };
    }
    let Some(part) = head.strip_prefix(opening.as_bytes()) else {
        return Some(None);
    };
    let headers_end = find(part, b"\r\n\r\n")?;
    let is_csrf = std::str::from_utf8(&part[..headers_end])
        .unwrap_or_default()
        .split("\r\n")
        .map(str::to_ascii_lowercase)
        .any(|h| {
            h.starts_with("content-disposition: form-data;")
                && h.contains("name=\"csrf\"")
                && !h.contains("filename")
        });
    if !is_csrf {
        return Some(None);
    }
    let value = &part[headers_end + 4..];
    let end = find(value, format!("\r\n--{boundary}").as_bytes())?;
    Some(std::str::from_utf8(&value[..end]).ok().map(str::to_owned))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_one_click_unsubscription_skips_the_csrf_check() {
        assert!(one_click_unsubscribe(
            &Method::POST,
            "/lettre/desabonnement/jeton"
        ));
        for path in [
            "/lettre/desabonnement/",
            "/lettre/desabonnement/jeton/autre",
            "/lettre",
            "/lettre/confirmer/jeton",
            "/espace/lettre",
        ] {
            assert!(!one_click_unsubscribe(&Method::POST, path), "{path}");
        }
        assert!(!one_click_unsubscribe(
            &Method::PUT,
            "/lettre/desabonnement/jeton"
        ));
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("mon chat aime le soleil").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("mon chat aime le soleil", Some(&h)));
        assert!(!verify_password("mon chien aime le soleil", Some(&h)));
        assert!(!verify_password("epop-dummy-password", None));
    }

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_token(&a), hash_token(&a));
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn trusted_proxies_parse_addresses_and_blocks() {
        let t = TrustedProxies::parse("10.0.0.0/8, 192.168.1.7 ::1,fd00::/8").unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(t.contains(ip("10.200.3.4")));
        assert!(t.contains(ip("::ffff:10.0.0.1")), "IPv4 seen through IPv6");
        assert!(t.contains(ip("192.168.1.7")));
        assert!(!t.contains(ip("192.168.1.8")));
        assert!(t.contains(ip("::1")));
        assert!(t.contains(ip("fd12::5")));
        assert!(!t.contains(ip("11.0.0.1")));
        assert!(
            TrustedProxies::parse("0.0.0.0/0")
                .unwrap()
                .contains(ip("8.8.8.8"))
        );
        assert!(
            TrustedProxies::parse("::/0")
                .unwrap()
                .contains(ip("2001:db8::1"))
        );
        assert_eq!(
            TrustedProxies::parse("").unwrap(),
            TrustedProxies::default()
        );
        assert!(TrustedProxies::parse("proxy.local").is_err());
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn the_client_address_comes_from_the_header_only_through_a_trusted_proxy() {
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            HeaderValue::from_static("1.1.1.1, 203.0.113.9, 10.0.0.2"),
        );
        let open = Config::default();
        assert_eq!(client_ip(&open, &h, ip("10.0.0.1")), ip("10.0.0.1"));
        let behind = Config {
            trusted_proxies: TrustedProxies::parse("10.0.0.0/8").unwrap(),
            ..Default::default()
        };
        assert_eq!(client_ip(&behind, &h, ip("10.0.0.1")), ip("203.0.113.9"));
        assert_eq!(
            client_ip(&behind, &h, ip("198.51.100.1")),
            ip("198.51.100.1"),
            "a client talking directly is not believed"
        );
        h.insert("x-forwarded-for", HeaderValue::from_static("pas une ip"));
        assert_eq!(client_ip(&behind, &h, ip("10.0.0.1")), ip("10.0.0.1"));
        assert_eq!(client_ip(&behind, &h, None), None);
    }

    #[test]
    fn the_token_of_a_file_form_is_its_first_part() {
        let body = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"a.png\"\r\n\r\n...";
        assert_eq!(
            multipart_csrf(body.as_bytes(), "XyZ"),
            Some(Some("abc123".into()))
        );
        for cut in [0, 3, 10, 50, 60] {
            assert_eq!(
                multipart_csrf(&body.as_bytes()[..cut], "XyZ"),
                None,
                "{cut}"
            );
        }
        let other_first =
            "--XyZ\r\nContent-Disposition: form-data; name=\"label\"\r\n\r\nx\r\n--XyZ\r\n";
        assert_eq!(multipart_csrf(other_first.as_bytes(), "XyZ"), Some(None));
        let file_named_csrf = "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"; filename=\"t\"\r\n\r\nabc\r\n--XyZ";
        assert_eq!(
            multipart_csrf(file_named_csrf.as_bytes(), "XyZ"),
            Some(None)
        );
        assert_eq!(multipart_csrf(b"garbage here", "XyZ"), Some(None));
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=\"----WebKitFormBoundaryQ\""),
        );
        assert_eq!(
            multipart_boundary(&h).as_deref(),
            Some("----WebKitFormBoundaryQ")
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        assert_eq!(multipart_boundary(&h), None);
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let config = Config {
            base_url: "https://epop.example".into(),
            ..Default::default()
        };
        let mut h = HeaderMap::new();
        assert!(same_site(&h, &config));
        h.insert(header::HOST, HeaderValue::from_static("epop.example"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://epop.example"),
        );
        assert!(same_site(&h, &config));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_site(&h, &config));
        h.remove(header::ORIGIN);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(!same_site(&h, &config));
    }

    #[test]
    fn cookies_are_host_prefixed_and_secure_over_https() {
        let https = Config {
            base_url: "https://epop.example".into(),
            ..Default::default()
        };
        let v = set_cookie(&https, "epop_session", "x", Some(60));
        let v = v.to_str().unwrap();
        assert!(v.starts_with("__Host-epop_session=x"));
        assert!(v.contains("Secure") && v.contains("HttpOnly") && v.contains("SameSite=Lax"));
        let http = Config {
            base_url: "http://127.0.0.1:8080".into(),
            ..Default::default()
        };
        assert!(
            !set_cookie(&http, "epop_session", "x", None)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
