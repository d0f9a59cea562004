//! Configuration from flags and `EPOP_*` environment variables.

use std::path::PathBuf;

use clap::Args;

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

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
