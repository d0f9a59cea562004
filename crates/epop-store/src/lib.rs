//! EPoP persistence. One [`Db`] over SQLite (the embedded default) or
//! PostgreSQL, chosen from the URL; the same portable SQL (`$1` parameters,
//! `RETURNING`, `ON CONFLICT`) runs on both through sqlx's `Any` driver.
//! Engine-specific SQL lives only where it must (job claiming, search), behind
//! [`Engine`]. One module per aggregate; handlers never write SQL.
//!
//! Conventions: times are Unix seconds in UTC (`i64`); flags are integers;
//! internal ids are integers and never appear in URLs.

pub mod accounts;
pub mod audit;
pub mod cache;
pub mod candidates;
pub mod contact;
pub mod directory;
pub mod directory_admin;
pub mod directory_import;
pub mod easy_reviews;
pub mod events;
pub mod history;
pub mod indicators;
pub mod legal;
mod migrate;
pub mod news;
pub mod newsletter;
pub mod organisations;
pub mod outbox;
pub mod page_texts;
pub mod path;
pub mod payments;
pub mod privacy;
pub mod programmes;
pub mod proposals;
pub mod questionnaires;
pub mod rate_limit;
pub mod requests;
pub mod sessions;
mod sql;
pub mod territories;
pub mod toolbox;
pub mod trainings;

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use sqlx::AnyConnection as Conn;
pub use sqlx::Error as SqlError;

/// A write transaction: commit it, or it rolls back when dropped. Its
/// commit tells the read cache ([`cache`]) that the data changed.
pub struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    /// SQLite: this process's turn to write, given back after the
    /// transaction (fields drop in order).
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
}

impl Tx {
    pub async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.commit().await?;
        cache::written();
        Ok(())
    }

    pub async fn rollback(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

impl std::ops::Deref for Tx {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// How long a writer waits for its turn (SQLite) before the page says the
/// database is busy: the pool's own wait for a connection.
const WAIT: Duration = Duration::from_secs(10);

/// Which database engine is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// What can go wrong in storage, in terms the web layer can act on. A
/// refusal is named for what was refused and carries no sentence for people:
/// the web layer says it in French (`epop_web::error::refusal`).
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write (an e-mail or a SIRET already
    /// used, a second registration): the constraint's name, for the log.
    #[error("duplicate ({0})")]
    Duplicate(String),
    /// Only a draft request can be sent: this one already was.
    #[error("request already sent")]
    AlreadySent,
    /// The life cycle refused the move (this actor may not take this action
    /// in this state): the rule's explanation, from the domain.
    #[error("move refused: {0}")]
    MoveRefused(epop_domain::Invalid),
    /// A request's stored state is none the life cycle knows.
    #[error("unknown request state {0}")]
    UnknownState(String),
    #[error("introuvable")]
    NotFound,
    #[error("base de données : {0}")]
    Db(#[source] sqlx::Error),
    #[error("migration : {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("URL de base de données non prise en charge : {0}")]
    UnsupportedUrl(String),
}

impl StoreError {
    /// The database could not be reached or could not write for a reason
    /// outside the platform (a restart, a cut connection, a full disk, a
    /// SQLite file held too long): worth « try again in a moment », not a
    /// bug report.
    pub fn is_unavailable(&self) -> bool {
        let StoreError::Db(e) = self else {
            return false;
        };
        match e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed => true,
            sqlx::Error::Database(d) => match d.code() {
                // PostgreSQL's five-character codes: connection exceptions
                // (08…), shutting down or starting up (57P…), disk full
                // (53100).
                Some(c) if c.len() == 5 => {
                    c.starts_with("08") || c.starts_with("57P") || c == "53100"
                }
                // SQLite's numbers: busy, locked, I/O error, full.
                Some(c) => c
                    .parse::<i32>()
                    .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13)),
                None => false,
            },
            _ => false,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::Duplicate(d.constraint().unwrap_or(d.message()).to_owned())
            }
            _ => StoreError::Db(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database: a pool and the engine it talks to.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    engine: Engine,
    /// Visitors' directory searches (see [`directory::search_cached`]).
    pub(crate) searches: std::sync::Arc<cache::Cache<std::sync::Arc<directory::Found>>>,
    /// SQLite: one writer at a time in this process. Writers wait their
    /// turn here, in order, without holding a connection; the pool's
    /// connections stay free for reads (docs/benchmarks.md, « A process
    /// killed under write load »).
    writers: std::sync::Arc<tokio::sync::Semaphore>,
}

impl Db {
    /// Connects to `sqlite://path` (the file and its folder are created) or
    /// `postgres://…`. Does not migrate: call [`Db::migrate`].
    pub async fn connect(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        };
        let url = match engine {
            Engine::Sqlite => sqlite_url(url),
            Engine::Postgres => url.to_owned(),
        };
        let options: AnyConnectOptions = url.parse().map_err(StoreError::Db)?;
        let options = options.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            // SQLite: each connection is a thread of its own with its page
            // cache; four keep two cores busy (one writer at a time anyway)
            // and bound the memory (docs/benchmarks.md).
            .max_connections(match engine {
                Engine::Sqlite => 4,
                Engine::Postgres => 10,
            })
            .acquire_timeout(WAIT)
            // A connection still in a transaction when it comes out of the
            // pool is closed, not used: SQLite rolls a transaction back by
            // itself on some errors (a full disk), the ROLLBACK of the
            // dropped transaction then fails, and sqlx would go on counting
            // it open, refusing every later `BEGIN` on that connection
            // (tests/it/full_disk.rs).
            .before_acquire(|conn, _| {
                Box::pin(async move {
                    use sqlx::Connection;
                    Ok(!conn.is_in_transaction())
                })
            })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    match engine {
                        Engine::Sqlite => {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                                 PRAGMA cache_size = -1024;",
                            )
                            .await?;
                        }
                        // Statements are prepared once per connection; after
                        // five runs PostgreSQL may switch to a generic plan,
                        // blind to the words and filters searched (a plan for
                        // a rare word is a bad one for a broad word).
                        Engine::Postgres => {
                            conn.execute("SET plan_cache_mode = force_custom_plan")
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Db {
            pool,
            engine,
            searches: Default::default(),
            writers: std::sync::Arc::new(tokio::sync::Semaphore::new(1)),
        })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies every migration not yet applied (both engines keep the same
    /// versions; a test checks their schemas match).
    pub async fn migrate(&self) -> Result<()> {
        migrate::run(self).await
    }

    /// The last migration applied to this database (for backups).
    pub async fn migration_version(&self) -> Result<i64> {
        migrate::applied(self).await
    }

    /// The last migration this program knows: a backup made by a newer
    /// program cannot be restored by this one.
    pub fn latest_migration() -> i64 {
        migrate::latest()
    }

    /// Applies the migrations up to `last` included, for tests that seed
    /// tables a later data migration reads.
    #[cfg(feature = "testing")]
    pub async fn migrate_until(&self, last: i64) -> Result<()> {
        migrate::run_until(self, last).await
    }

    /// A connection for reads (and single-statement writes).
    pub async fn conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    /// A transaction that will write. On SQLite the process's writers take
    /// turns first (see `writers`), then the write lock up front (`BEGIN
    /// IMMEDIATE`, which another process — a command — may hold a moment:
    /// `busy_timeout`) instead of failing when they upgrade a read lock.
    pub async fn write(&self) -> Result<Tx> {
        Ok(match self.engine {
            Engine::Sqlite => {
                let turn = tokio::time::timeout(WAIT, self.writers.clone().acquire_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?
                    .map_err(|_| sqlx::Error::PoolClosed)?;
                Tx {
                    tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
                    _turn: Some(turn),
                }
            }
            Engine::Postgres => Tx {
                tx: self.pool.begin().await?,
                _turn: None,
            },
        })
    }

    /// Checks the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&self.pool).await?;
        debug_assert_eq!(one, 1);
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Makes sure a SQLite URL creates its file, and its folder exists.
fn sqlite_url(url: &str) -> String {
    let rest = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if let Some(parent) = std::path::Path::new(path)
        .parent()
        .filter(|_| !path.is_empty() && path != ":memory:")
    {
        let _ = std::fs::create_dir_all(parent);
    }
    if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// Tables whose rows have a public slug.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SlugTable {
    Organisations,
    Profiles,
    Events,
    Programmes,
    Sessions,
    LocalProgrammes,
    News,
}

/// A slug made from `name` that no row of `table` uses yet
/// (« awa-diallo », then « awa-diallo-2 »…).
pub(crate) async fn free_slug(
    conn: &mut sqlx::AnyConnection,
    table: SlugTable,
    name: &str,
) -> Result<String> {
    let sql = match table {
        SlugTable::Organisations => "SELECT COUNT(*) FROM organisations WHERE slug = $1",
        SlugTable::Profiles => "SELECT COUNT(*) FROM profiles WHERE slug = $1",
        SlugTable::Events => "SELECT COUNT(*) FROM events WHERE slug = $1",
        SlugTable::Programmes => "SELECT COUNT(*) FROM training_programmes WHERE slug = $1",
        SlugTable::Sessions => "SELECT COUNT(*) FROM training_sessions WHERE slug = $1",
        SlugTable::LocalProgrammes => "SELECT COUNT(*) FROM programmes WHERE slug = $1",
        SlugTable::News => "SELECT COUNT(*) FROM news WHERE slug = $1",
    };
    let base = epop_domain::text::slugify(name);
    let mut slug = base.clone();
    let mut n = 1;
    while sqlx::query_scalar::<_, i64>(sql)
        .bind(&slug)
        .fetch_one(&mut *conn)
        .await?
        > 0
    {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

/// A parameter of a query whose SQL is built from optional filters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Bind<'a> {
    Int(i64),
    Text(&'a str),
}

impl Bind<'_> {
    /// Binds these parameters, in order, to a query.
    pub(crate) fn all<'q>(
        mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        binds: &[Bind<'q>],
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
        for b in binds {
            q = match *b {
                Bind::Int(v) => q.bind(v),
                Bind::Text(v) => q.bind(v),
            };
        }
        q
    }
}

/// The current time as stored (Unix seconds, UTC).
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

#[cfg(feature = "testing")]
pub mod testing;
