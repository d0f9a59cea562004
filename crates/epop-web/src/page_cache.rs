//! The visitors' page cache and conditional requests: one middleware for
//! every public page, so that the pages anyone may see (home, directory,
//! events, trainings, news, toolbox, statistics, territories, programmes,
//! fixed pages) are rendered once per write and served from memory.
//!
//! What is cached: a `200 text/html` answer to a `GET` (a `HEAD` is served
//! as its `GET`, without the body) by a visitor
//! without a session cookie, to a request that is not private
//! ([`security::private`]: not `/espace`, `/admin`, an e-mailed link's
//! page…), whose handler set no cookie and no caching rule of its own; keyed
//! by its path and query and the display settings (the one cookie that
//! changes a visitor's page besides the CSRF token). The bytes are kept cut
//! where the visitor's CSRF token is a form's `csrf` value, and every
//! visitor gets their own token put back: no visitor ever sees another's.
//!
//! For how long: an entry is read at a write generation of
//! [`epop_store::cache`] and dropped by the next committed write of this
//! process; another process's writes are seen within [`cache::TTL`] (2 s).
//!
//! Conditional requests: every page served from here carries a strong
//! `ETag` (a hash of its bytes, and of the visitor's token when the page
//! holds it) and `Cache-Control: private, no-cache` with `Vary: Cookie`, so
//! the browser asks again each time and a matching `If-None-Match` gets a
//! `304 Not Modified` without a body. Signed-in people are never served
//! from here and get no `ETag` from it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use blake2::{Blake2b512, Digest};
use epop_store::cache::{self, Cache};

use crate::context::{DISPLAY_COOKIE, Display};
use crate::security::{self, CsrfToken, hash_token, read_cookie};
use crate::{AppError, AppState};

/// Pages kept at most (a page weighs 3–30 KB).
pub const CAPACITY: usize = 256;

/// A page larger than this is served as it comes, never kept.
const LARGEST_PAGE: u64 = 256 * 1024;

/// The visitors' pages, by [`key`], and the pages being rendered.
pub struct PageCache {
    pages: Cache<Arc<Page>>,
    /// One lock per page being rendered: one visitor renders it, the
    /// others wait for it and are served from the cache. Without it, every
    /// visitor arriving while a slow page renders (`/territoires` reads
    /// figures over the whole directory) rendered it too, all at once.
    rendering: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            pages: Cache::with_capacity(CAPACITY),
            rendering: Mutex::default(),
        }
    }
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache").finish_non_exhaustive()
    }
}

impl PageCache {
    /// The lock of `key`'s rendering.
    fn turn(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        rendering.entry(key.to_owned()).or_default().clone()
    }

    /// Forgets `key`'s lock once rendered (those waiting on it hold it).
    fn rendered(&self, key: &str, turn: &Arc<tokio::sync::Mutex<()>>) {
        let mut rendering = self.rendering.lock().unwrap_or_else(|e| e.into_inner());
        if rendering.get(key).is_some_and(|t| Arc::ptr_eq(t, turn)) {
            rendering.remove(key);
        }
    }
}

/// A rendered page, cut where the visitor's CSRF token goes.
#[derive(Debug)]
pub struct Page {
    /// The bytes between the token's places (one part: no token).
    parts: Vec<Bytes>,
    /// The hash of the parts, for the `ETag`.
    tag: String,
    /// The handler's headers (its content type…).
    headers: HeaderMap,
}

/// Serves visitors' public pages from the cache, and answers their
/// conditional requests; anything else goes through untouched.
pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(key) = key(&state, &req) else {
        return next.run(req).await;
    };
    // A `HEAD` is the page's `GET` without its body: rendered (and kept)
    // as a `GET`, so that it always carries the page's `ETag`, and the
    // body dropped at the end. Axum's own `HEAD` would answer with no body
    // to keep, and without the tag.
    if req.method() == Method::HEAD {
        *req.method_mut() = Method::GET;
        let (mut parts, body) = page(&state, key, req, next).await.into_parts();
        if let Some(size) = body.size_hint().exact() {
            parts.headers.insert(header::CONTENT_LENGTH, size.into());
        }
        return Response::from_parts(parts, Body::empty());
    }
    page(&state, key, req, next).await
}

/// A visitor's `GET` of the page at `key`: from the cache, or rendered
/// once and kept.
async fn page(state: &AppState, key: String, req: Request, next: Next) -> Response {
    let token = req
        .extensions()
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .unwrap_or_default();
    let asked = req.headers().get(header::IF_NONE_MATCH).cloned();
    if let Some(page) = state.pages.pages.get(&key) {
        return page.answer(&token, asked.as_ref());
    }
    let turn = state.pages.turn(&key);
    let made = {
        let _mine = turn.lock().await;
        match state.pages.pages.get(&key) {
            // Rendered by the visitor before in line.
            Some(page) => Ok(page),
            None => {
                // Taken before the page is read: a write committed
                // meanwhile makes the entry stale at once.
                let generation = cache::generation();
                let res = next.run(req).await;
                Page::of(res, &token).await.map(|page| {
                    let page = Arc::new(page);
                    state.pages.pages.put(key.clone(), generation, page.clone());
                    page
                })
            }
        }
    };
    state.pages.rendered(&key, &turn);
    match made {
        Ok(page) => page.answer(&token, asked.as_ref()),
        Err(res) => res,
    }
}

/// The cache key of a request the cache may answer: a visitor's `GET` (or
/// `HEAD`) of a page that is not private; `None` for anything else.
fn key(state: &AppState, req: &Request) -> Option<String> {
    let path = req.uri().path();
    if !matches!(*req.method(), Method::GET | Method::HEAD)
        || path.starts_with("/static/")
        || security::private(&state.config, req)
    {
        return None;
    }
    let display = read_cookie(&state.config, req.headers(), DISPLAY_COOKIE)
        .map(|c| Display::parse(&c))
        .unwrap_or_default()
        .to_cookie();
    let query = req.uri().query().unwrap_or_default();
    Some(format!("{display} {path}?{query}"))
}

impl Page {
    /// Keeps a handler's answer if it is a visitor's ordinary page; gives
    /// it back untouched otherwise.
    async fn of(res: Response, token: &str) -> Result<Page, Response> {
        let h = res.headers();
        let html = h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        let small = res
            .body()
            .size_hint()
            .upper()
            .is_some_and(|n| n <= LARGEST_PAGE);
        if res.status() != StatusCode::OK
            || !html
            || !small
            || h.contains_key(header::SET_COOKIE)
            || h.contains_key(header::CACHE_CONTROL)
            || h.contains_key(header::ETAG)
        {
            return Err(res);
        }
        let (mut parts, body) = res.into_parts();
        parts.headers.remove(header::CONTENT_LENGTH);
        let bytes = to_bytes(body, LARGEST_PAGE as usize)
            .await
            .map_err(|e| AppError::Internal(format!("page body: {e}")).into_response())?;
        let Some(cut) = split(&bytes, token) else {
            return Err(Response::from_parts(parts, Body::from(bytes)));
        };
        let mut hash = Blake2b512::new();
        for part in &cut {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part);
        }
        let tag = URL_SAFE_NO_PAD.encode(&hash.finalize()[..18]);
        Ok(Page {
            parts: cut,
            tag,
            headers: parts.headers,
        })
    }

    /// The `ETag` of the page as `token`'s visitor gets it. Weak: the
    /// compression layer sends the same page gzipped or not, and a strong
    /// tag must differ between encodings (RFC 9110, 8.8.3); a weak one
    /// still answers `If-None-Match`, whose comparison is weak.
    fn etag(&self, token: &str) -> HeaderValue {
        let etag = if self.parts.len() > 1 {
            format!("W/\"{}.{}\"", self.tag, &hash_token(token)[..12])
        } else {
            format!("W/\"{}\"", self.tag)
        };
        HeaderValue::from_str(&etag).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
    }

    /// The page with `token` in its forms, or `304 Not Modified` when the
    /// browser already holds these very bytes.
    fn answer(&self, token: &str, asked: Option<&HeaderValue>) -> Response {
        let etag = self.etag(token);
        let mut headers = self.headers.clone();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
        headers.append(header::VARY, HeaderValue::from_static("Cookie"));
        if asked.is_some_and(|asked| matches(asked, &etag)) {
            headers.remove(header::CONTENT_TYPE);
            headers.insert(header::ETAG, etag);
            return (StatusCode::NOT_MODIFIED, headers).into_response();
        }
        headers.insert(header::ETAG, etag);
        let body = match self.parts.as_slice() {
            [whole] => whole.clone(),
            parts => {
                let size =
                    parts.iter().map(Bytes::len).sum::<usize>() + token.len() * (parts.len() - 1);
                let mut out = Vec::with_capacity(size);
                for (n, part) in parts.iter().enumerate() {
                    if n > 0 {
                        out.extend_from_slice(token.as_bytes());
                    }
                    out.extend_from_slice(part);
                }
                Bytes::from(out)
            }
        };
        (headers, Body::from(body)).into_response()
    }
}

/// The form field every template writes the token in (`macros.html`).
const TOKEN_FIELD: &str = "name=\"csrf\" value=\"";

/// `bytes` cut where `token` is the value of a form's `csrf` field (the
/// token left out); `None` when the token is found anywhere else too. A
/// visitor chooses their cookie, so their token may be words of the page:
/// those are never cut, and such a page is not kept.
fn split(bytes: &Bytes, token: &str) -> Option<Vec<Bytes>> {
    let find = |from: usize, needle: &[u8]| {
        bytes[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let field = format!("{TOKEN_FIELD}{token}\"");
    let mut parts = Vec::new();
    let mut start = 0;
    if !token.is_empty() {
        while let Some(found) = find(start, field.as_bytes()) {
            let at = found + TOKEN_FIELD.len();
            parts.push(bytes.slice(start..at));
            start = at + token.len();
        }
    }
    parts.push(bytes.slice(start..));
    let elsewhere = !token.is_empty()
        && parts
            .iter()
            .any(|p| p.windows(token.len()).any(|w| w == token.as_bytes()));
    (!elsewhere).then_some(parts)
}

/// Whether an `If-None-Match` value names `etag` (weak comparison, as RFC
/// 9110 asks for this header; `*` matches any page).
fn matches(asked: &HeaderValue, etag: &HeaderValue) -> bool {
    let etag = etag.to_str().unwrap_or_default();
    let etag = etag.strip_prefix("W/").unwrap_or(etag);
    asked.to_str().is_ok_and(|asked| {
        asked
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_cut_at_the_token_of_its_forms_only() {
        let token = "T0K3N-0123456789";
        let page = Bytes::from(format!(
            "<a>{TOKEN_FIELD}{token}\"></a><b>{TOKEN_FIELD}{token}\">end"
        ));
        let parts = split(&page, token).unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0], format!("<a>{TOKEN_FIELD}"));
        assert_eq!(parts[1], format!("\"></a><b>{TOKEN_FIELD}"));
        assert_eq!(parts[2], "\">end");
        assert_eq!(split(&page, "absent").unwrap(), vec![page.clone()]);
        // A token chosen to be words of the page: the page is not kept.
        let words = Bytes::from(format!("<p>{token}</p>{TOKEN_FIELD}{token}\">"));
        assert_eq!(split(&words, token), None);
        assert_eq!(split(&page, "a>"), None);
    }

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        for etag in ["\"abc\"", "W/\"abc\""] {
            let etag = HeaderValue::from_static(etag);
            let m = |s: &'static str| matches(&HeaderValue::from_static(s), &etag);
            assert!(m("\"abc\""));
            assert!(m("\"x\", W/\"abc\""));
            assert!(m("*"));
            assert!(!m("\"abcd\""));
            assert!(!m("abc"));
            assert!(!m("W/\"ab\""));
        }
    }
}
