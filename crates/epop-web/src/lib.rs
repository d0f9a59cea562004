//! EPoP web interface: the axum router, one module per feature with its
//! handlers (templates in `templates/<feature>/`), the security layers and
//! the page context every handler starts from.
//!
//! Handlers never write SQL (they call `epop_store`), never decide a rule
//! alone (they ask `epop_domain::Principal`), and never send e-mail (they
//! write to the outbox, which the worker drains).

mod admin;
mod api;
mod auth;
mod candidates;
pub mod charts;
mod contact;
mod context;
pub(crate) mod directory;
pub mod directory_import;
pub(crate) mod easy_aid;
mod easy_review;
mod emails;
mod error;
mod events;
mod forms;
mod french;
mod indicators;
pub mod jobs;
pub mod map;
mod members;
mod metrics;
mod my_data;
mod news;
mod page_cache;
mod pages;
mod path;
mod programmes;
pub mod questionnaire_sending;
mod questionnaires;
mod render;
mod requests;
mod review_mark;
pub mod security;
mod share;
mod space;
pub mod storage;
pub(crate) mod territories;
mod toolbox;
mod trainings;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderValue, header};
use epop_store::Db;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use context::Ctx;
pub use error::AppError;
pub use metrics::Metrics;

/// The largest file any form accepts (the spreadsheet import's, the
/// toolbox's): the whole application's body limit.
pub const LARGEST_FILE: usize = if admin::import::MAX_FILE > epop_domain::toolbox::MAX_FILE {
    admin::import::MAX_FILE
} else {
    epop_domain::toolbox::MAX_FILE
};

/// Settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// The address people reach the platform at, used in e-mailed links
    /// (no trailing slash), e.g. `https://epop.example`.
    pub base_url: String,
    /// The data directory: its folder `fichiers` is the default file
    /// storage (see `storage`).
    pub data_dir: std::path::PathBuf,
    /// Reverse proxies whose `X-Forwarded-For` gives the client's address.
    pub trusted_proxies: security::TrustedProxies,
}

impl Config {
    /// Cookies are `Secure` (and `__Host-` prefixed) when served over https.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub metrics: Arc<Metrics>,
    /// The search form's lists (see `directory::search`).
    pub form_lists: Arc<epop_store::cache::Cache<Arc<directory::FormLists>>>,
    /// The territories pages' places and figures (see `territories`).
    pub territories: Arc<epop_store::cache::Cache<Arc<territories::Known>>>,
    /// The public statistics' figures by year and région (see
    /// `indicators::statistics`): the heaviest public page, read once per
    /// write generation however many visitors ask.
    pub statistics: Arc<epop_store::cache::Cache<Arc<epop_domain::figures::Report>>>,
    /// Visitors' public pages as rendered (see `page_cache`).
    pub pages: Arc<page_cache::PageCache>,
    /// Where every kept file lives (see `storage`): a folder under the
    /// data directory unless another storage is given.
    pub files: Arc<dyn storage::Storage>,
}

impl AppState {
    /// The state with the default storage, the folder of the data directory.
    pub fn new(db: Db, config: Config) -> Self {
        let files = Arc::new(storage::Folder::new(config.data_dir.join(storage::FOLDER)));
        Self::with_storage(db, config, files)
    }

    /// The state with its files in `files` (e.g. an object store).
    pub fn with_storage(db: Db, config: Config, files: Arc<dyn storage::Storage>) -> Self {
        Self {
            db,
            files,
            config: Arc::new(config),
            metrics: Arc::new(Metrics::default()),
            form_lists: Default::default(),
            territories: Default::default(),
            statistics: Default::default(),
            pages: Default::default(),
        }
    }
}

/// The whole application, with its security and operations layers.
pub fn router(state: AppState) -> Router {
    let static_files = Router::new()
        .nest_service(
            "/static",
            ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        ));
    Router::new()
        .merge(pages::router())
        .merge(auth::router())
        .merge(space::router())
        .merge(members::router())
        .merge(my_data::router())
        .merge(path::router())
        .merge(directory::router())
        .merge(contact::router())
        .merge(events::router())
        .merge(trainings::router())
        .merge(programmes::router())
        .merge(toolbox::router())
        .merge(news::router())
        .merge(easy_review::router())
        .merge(territories::router())
        .merge(candidates::router())
        .merge(requests::router())
        .merge(questionnaires::router())
        .merge(indicators::router())
        .merge(admin::router())
        .merge(metrics::router())
        .merge(api::router(api::document([
            directory::api_doc(),
            requests::api_doc(),
            indicators::api_doc(),
        ])))
        .merge(static_files)
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::csrf,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(CompressionLayer::new())
        .layer(RequestBodyLimitLayer::new(forms::upload_limit(
            LARGEST_FILE,
        )))
        .layer(axum::middleware::from_fn(error::too_large))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(
            // What people send is logged as escaped values (`?`: a line
            // break shows as `\n`), and without query strings.
            TraceLayer::new_for_http().make_span_with(|req: &axum::extract::Request| {
                tracing::debug_span!("request", method = ?req.method(), path = ?req.uri().path())
            }),
        )
        .with_state(state)
}
