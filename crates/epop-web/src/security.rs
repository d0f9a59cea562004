//! Security by default: response headers (strict CSP without
//! `unsafe-inline`), CSRF protection of every state-changing request (a token
//! in every form, checked against a cookie, plus Origin / Sec-Fetch-Site),
//! random tokens and their hashes, password hashing with argon2id, cookies.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blake2::{Blake2b512, Digest};
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

/// Cookie names: `__Host-` prefixed (so no subdomain can set them) when secure.
pub fn cookie_name(config: &Config, base: &str) -> String {
    if config.secure_cookies() {
        format!("__Host-{base}")
    } else {
        base.to_owned()
    }
}

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

/// Reads one cookie from the request headers.
pub fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
                   script-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// Security headers on every response.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
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
    let name = cookie_name(&state.config, "epop_csrf");
    let existing = read_cookie(req.headers(), &name).filter(|t| t.len() >= 32);
    let token = existing.clone().unwrap_or_else(random_token);
    let (mut parts, body) = req.into_parts();
    let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = if unsafe_method {
        if !same_site(&parts.headers, &state.config) {
            return AppError::BadCsrf.into_response();
        }
        // File uploads (multipart) carry the token in the form's action URL,
        // so that their body need not be read here.
        let multipart = parts
            .headers
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| v.as_bytes().starts_with(b"multipart/form-data"));
        let (sent, body) = if multipart {
            (
                parts
                    .uri
                    .query()
                    .and_then(|q| form_field(q.as_bytes(), "csrf")),
                body,
            )
        } else {
            let Ok(bytes) = to_bytes(body, 256 * 1024).await else {
                return AppError::BadCsrf.into_response();
            };
            (form_field(&bytes, "csrf"), Body::from(bytes))
        };
        let valid = match (&existing, sent) {
            (Some(cookie), Some(sent)) => constant_time_eq(cookie.as_bytes(), sent.as_bytes()),
            _ => false,
        };
        if !valid {
            tracing::warn!(path = %parts.uri.path(), "CSRF check failed");
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
    fn cross_site_requests_are_refused() {
        let config = Config {
            base_url: "https://epop.example".into(),
            data_dir: Default::default(),
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
            data_dir: Default::default(),
        };
        let v = set_cookie(&https, "epop_session", "x", Some(60));
        let v = v.to_str().unwrap();
        assert!(v.starts_with("__Host-epop_session=x"));
        assert!(v.contains("Secure") && v.contains("HttpOnly") && v.contains("SameSite=Lax"));
        let http = Config {
            base_url: "http://127.0.0.1:8080".into(),
            data_dir: Default::default(),
        };
        assert!(
            !set_cookie(&http, "epop_session", "x", None)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
