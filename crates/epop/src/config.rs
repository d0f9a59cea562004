//! Configuration from flags and `EPOP_*` environment variables.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use epop_web::storage::{self, Storage};

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database: `sqlite://path/to/file.db` or `postgres://user@host/db`.
    /// Default: `sqlite://<data dir>/epop.db`.
    #[arg(long, env = "EPOP_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Folder for the SQLite database and `.eml` files when no SMTP is set.
    #[arg(long, env = "EPOP_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// Address and port to listen on.
    #[arg(
        long,
        env = "EPOP_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: String,
    /// Public address used in e-mailed links. Default: `http://<listen>`.
    #[arg(long, env = "EPOP_BASE_URL", global = true)]
    pub base_url: Option<String>,
    /// SMTP server, e.g. `smtp://localhost:25` or `smtps://user:pass@host:465`.
    /// Without it, e-mails are written as `.eml` files in `<data dir>/outbox/`.
    #[arg(long, env = "EPOP_SMTP_URL", global = true)]
    pub smtp_url: Option<String>,
    /// Sender of e-mails.
    #[arg(
        long,
        env = "EPOP_MAIL_FROM",
        default_value = "EPoP <ne-pas-repondre@epop.localhost>",
        global = true
    )]
    pub mail_from: String,
    /// Where files are kept (photos, receipts, images, toolbox files): an
    /// S3-compatible object store, `s3://bucket?endpoint=https://…&region=…`
    /// (credentials from `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`).
    /// Default: the folder `<data dir>/fichiers`.
    #[arg(long, env = "EPOP_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
    /// Reverse proxies in front of EPoP, whose `X-Forwarded-For` header gives
    /// the client's address (for rate limits and the audit log): addresses or
    /// CIDR blocks, e.g. `127.0.0.1` or `10.0.0.0/8,::1`. Off by default: the
    /// header is then ignored, and the TCP peer is the client.
    #[arg(long, env = "EPOP_TRUSTED_PROXY", global = true)]
    pub trusted_proxy: Option<String>,
    /// Seconds a process has to send the e-mails it took from the outbox
    /// before another process may take them: after a crash, the e-mails the
    /// dead process held wait this long. Longer than a slow SMTP server's
    /// answer, or a message may go twice.
    #[arg(long, env = "EPOP_OUTBOX_LEASE", default_value_t = crate::worker::LEASE_SECS, global = true)]
    pub outbox_lease: i64,
}

impl Config {
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("sqlite://{}", self.data_dir.join("epop.db").display()))
    }

    pub fn base_url(&self) -> String {
        self.base_url
            .clone()
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| format!("http://{}", self.listen))
            .trim_end_matches('/')
            .to_owned()
    }

    /// The file storage, with the files of older versions' folders moved
    /// into it (once: a file moved leaves its old folder).
    pub async fn files(&self) -> Result<Arc<dyn Storage>, String> {
        let files = storage::open(self.storage_url.as_deref(), &self.data_dir)?;
        let moved = storage::adopt_legacy(files.as_ref(), &self.data_dir).await?;
        if moved > 0 {
            tracing::info!(moved, storage = %files.describe(), "old folders' files moved into the storage");
        }
        Ok(files)
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
