//! `epop`: the EPoP platform. `epop serve` (the default) runs the web server
//! and the background worker in one process.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};
use epop::config::Config;
use epop::mailer::Mailer;
use epop::{backup, bench, bench_indicators, demo, synthetic, worker};
use epop_domain::account::{self, AccountStatus};
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::history;
use epop_store::sessions::{self, Purpose};
use epop_store::{Db, outbox};
use epop_web::security::{hash_token, public_id, random_token};
use tokio::sync::watch;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "epop",
    version,
    about = "EPoP – plateforme du réseau des intervenants-pairs"
)]
struct Cli {
    #[command(flatten)]
    config: Config,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server and the e-mail worker (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Load the demo data (idempotent) and print the demo accounts.
    Demo,
    /// Back up the database, the stored files and the data directory's
    /// files into DIR (a folder that holds no backup yet), while the
    /// platform serves.
    Backup { dir: PathBuf },
    /// Restore a backup made by `epop backup` into an empty database (its
    /// stored files into the configured storage, the others into the data
    /// directory), then migrate.
    Restore { dir: PathBuf },
    /// The file storage.
    Storage {
        #[command(subcommand)]
        command: StorageCommand,
    },
    /// Create (or promote) an administrator and e-mail them a sign-in link.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administration")]
        name: String,
    },
    /// Import the directory from a spreadsheet saved as CSV (columns in docs/import.md).
    ImportDirectory {
        /// The CSV file (`;` or `,`, UTF-8 or Windows-1252).
        file: PathBuf,
        /// Check and tell what would change, without saving anything.
        #[arg(long)]
        dry_run: bool,
        /// Import the lines without a problem even if others have one.
        #[arg(long)]
        skip_invalid: bool,
        /// E-mail an invitation to each imported person who has none yet.
        #[arg(long)]
        invite: bool,
    },
    /// Create N synthetic profiles across every département, for benchmarks
    /// (accounts `personne-<n>@bench.epop.test`; existing ones are kept).
    SeedBench {
        #[arg(long, default_value_t = 100_000)]
        profiles: usize,
        /// Also a history of this many intervention requests over six years
        /// (with trainings, events and candidates in proportion), for
        /// `bench-indicators`.
        #[arg(long, default_value_t = 0)]
        interventions: i64,
    },
    /// Time the indicators of a région and of the country for a year (p50,
    /// p99, max in ms).
    BenchIndicators {
        /// How many times each case is run.
        #[arg(long, default_value_t = 50)]
        iterations: usize,
    },
    /// Time a fixed mix of directory searches (p50, p99, max in ms).
    BenchSearch {
        /// How many times each search is run.
        #[arg(long, default_value_t = 200)]
        iterations: usize,
    },
}

#[derive(Subcommand)]
enum StorageCommand {
    /// Copy the files of the folder `<data dir>/fichiers` into the object
    /// store of EPOP_STORAGE_URL (again: only what is missing or differs).
    Migrate,
}

fn init_logs() {
    let filter = EnvFilter::try_from_env("EPOP_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if std::env::var("EPOP_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().init();
    } else {
        builder.init();
    }
}

#[tokio::main]
async fn main() {
    init_logs();
    let cli = Cli::parse();
    if let Err(e) = run(cli).await {
        eprintln!("Erreur : {e}");
        std::process::exit(1);
    }
}

async fn open(config: &Config) -> Result<Db, String> {
    let url = config.database_url();
    let db = Db::connect(&url)
        .await
        .map_err(|e| format!("connexion à la base impossible ({url}) : {e}"))?;
    db.migrate().await.map_err(|e| e.to_string())?;
    Ok(db)
}

fn mailer(config: &Config) -> Result<Mailer, String> {
    Mailer::new(
        &config.mail_from,
        config.smtp_url.as_deref(),
        config.outbox_dir(),
    )
}

async fn run(cli: Cli) -> Result<(), String> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open(&config).await?;
            config.files().await?;
            println!("Base de données à jour.");
            Ok(())
        }
        Command::Storage {
            command: StorageCommand::Migrate,
        } => migrate_storage(&config).await,
        Command::Demo => {
            let db = open(&config).await?;
            let created = demo::load(&db).await?;
            demo::write_files(config.files().await?.as_ref()).await?;
            println!("Données de démonstration chargées ({created} éléments créés).");
            println!(
                "Comptes de démonstration (mot de passe : {}) :",
                demo::DEMO_PASSWORD
            );
            for a in demo::ACCOUNTS {
                println!("  {:<34} {}", a.email, a.role.label());
            }
            Ok(())
        }
        Command::Backup { dir } => {
            let db = open(&config).await?;
            let files = config.files().await?;
            let start = std::time::Instant::now();
            let m = backup::backup(
                &db,
                &config.database_url(),
                &config.data_dir,
                files.as_ref(),
                &dir,
            )
            .await?;
            db.close().await;
            println!(
                "Sauvegarde faite dans {} en {:.1} s : base {} (migration {}), {} fichiers \
                 stockés, {} autres fichiers.",
                dir.display(),
                start.elapsed().as_secs_f64(),
                m.moteur,
                m.version_migrations,
                m.stockage,
                m.fichiers
            );
            Ok(())
        }
        Command::Restore { dir } => {
            let start = std::time::Instant::now();
            let files = config.files().await?;
            let db = backup::restore(
                &config.database_url(),
                &config.data_dir,
                files.as_ref(),
                &dir,
            )
            .await?;
            db.close().await;
            println!(
                "Sauvegarde de {} restaurée en {:.1} s.",
                dir.display(),
                start.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::CreateAdmin { email, name } => create_admin(&config, &email, &name).await,
        Command::SeedBench {
            profiles,
            interventions,
        } => seed_bench(&config, profiles, interventions).await,
        Command::BenchIndicators { iterations } => {
            let db = open(&config).await?;
            bench_indicators::run(&db, iterations, &mut std::io::stdout()).await?;
            db.close().await;
            Ok(())
        }
        Command::BenchSearch { iterations } => {
            let db = open(&config).await?;
            bench::run(&db, iterations, &mut std::io::stdout()).await?;
            db.close().await;
            Ok(())
        }
        Command::ImportDirectory {
            file,
            dry_run,
            skip_invalid,
            invite,
        } => {
            let options = epop_web::directory_import::Options {
                dry_run,
                skip_invalid,
                invite,
                base_url: config.base_url(),
                wording: epop_web::directory_import::Wording::Command,
            };
            import_directory(&config, &file, &options).await
        }
    }
}

async fn serve(config: Config) -> Result<(), String> {
    let trusted_proxies =
        epop_web::security::TrustedProxies::parse(config.trusted_proxy.as_deref().unwrap_or(""))
            .map_err(|e| format!("EPOP_TRUSTED_PROXY invalide : {e}"))?;
    let db = open(&config).await?;
    let mailer = mailer(&config)?;
    let base_url = config.base_url();
    let addr: SocketAddr = config
        .listen
        .parse()
        .map_err(|e| format!("EPOP_LISTEN invalide ({}) : {e}", config.listen))?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("impossible d’écouter sur {addr} : {e}"))?;
    let mut conn = db.conn().await.map_err(|e| e.to_string())?;
    let admins = accounts::count_with_role(&mut conn, Role::Admin)
        .await
        .map_err(|e| e.to_string())?;
    drop(conn);
    println!("EPoP est prêt : {base_url}");
    if admins == 0 {
        println!();
        println!("La base ne contient encore aucun administrateur. Pour créer le premier :");
        println!(
            "  cargo run --release -- create-admin --email vous@exemple.fr --name \"Votre nom\""
        );
        match mailer.folder() {
            Some(dir) => println!(
                "Le lien de connexion arrivera dans {}/ (fichier .eml).",
                dir.display()
            ),
            None => println!("Le lien de connexion arrivera par e-mail."),
        }
        println!("Pour essayer avec des données de démonstration : cargo run --release -- demo");
    }
    let state = epop_web::AppState::with_storage(
        db.clone(),
        epop_web::Config {
            base_url: base_url.clone(),
            data_dir: config.data_dir.clone(),
            trusted_proxies,
        },
        config.files().await?,
    );
    let app = epop_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
    let (stop_tx, stop_rx) = watch::channel(false);
    let worker = tokio::spawn(worker::run(
        db.clone(),
        mailer,
        base_url,
        config.outbox_lease.max(1),
        stop_rx.clone(),
    ));
    // On SIGTERM or Ctrl-C: stop accepting, tell the worker at once, let
    // the requests in flight finish; whatever is left after the grace
    // period is cut, so that the process is gone within SHUTDOWN_BOUND.
    let asked = std::sync::Arc::new(std::sync::OnceLock::new());
    let asked_at = asked.clone();
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        stop_signal().await;
        let _ = asked_at.set(std::time::Instant::now());
        tracing::info!("arrêt demandé : plus de nouvelles connexions, fin des requêtes en cours");
        let _ = stop_tx.send(true);
    });
    let mut stopped = stop_rx;
    let grace_over = async move {
        let _ = stopped.wait_for(|stop| *stop).await;
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        served = std::future::IntoFuture::into_future(server) => served.map_err(|e| e.to_string())?,
        () = grace_over => {
            tracing::warn!("des requêtes duraient encore après {SHUTDOWN_GRACE:?} : arrêt sans elles");
        }
    }
    let since = asked.get().map(|t| t.elapsed()).unwrap_or_default();
    let ended = tokio::time::timeout(SHUTDOWN_BOUND.saturating_sub(since), async {
        let _ = worker.await;
        db.close().await;
    })
    .await;
    if ended.is_err() {
        tracing::warn!("le travail de fond ne s’est pas arrêté à temps");
    }
    Ok(())
}

/// How long requests in flight may run on after the stop signal.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(8);
/// The process is gone this long after the stop signal, at most.
const SHUTDOWN_BOUND: std::time::Duration = std::time::Duration::from_millis(9_500);

/// SIGTERM (systemd, containers) or Ctrl-C.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn import_directory(
    config: &Config,
    file: &Path,
    options: &epop_web::directory_import::Options,
) -> Result<(), String> {
    let bytes = std::fs::read(file)
        .map_err(|e| format!("impossible de lire le fichier {} : {e}", file.display()))?;
    let mailer = if options.invite && !options.dry_run {
        Some(mailer(config)?)
    } else {
        None
    };
    let db = open(config).await?;
    // A progress bar for large files, on a terminal only.
    let mut progress = progress_bar(200, "lignes");
    let outcome = epop_web::directory_import::run(
        &db,
        &bytes,
        options,
        None,
        &mut std::io::stdout(),
        &mut progress,
    )
    .await?;
    if let Some(mailer) = mailer.filter(|_| outcome.invitations > 0) {
        worker::drain(&db, &mailer)
            .await
            .map_err(|e| e.to_string())?;
        match mailer.folder() {
            Some(dir) => println!(
                "Les invitations sont dans {}/ (fichiers .eml).",
                dir.display()
            ),
            None => println!("Les invitations sont parties par e-mail."),
        }
    }
    Ok(())
}

/// A progress callback `(done, total)` drawing a bar on stderr when it is
/// a terminal and there are more than `above` `units` to do.
fn progress_bar(above: usize, units: &'static str) -> impl FnMut(usize, usize) {
    let mut bar: Option<indicatif::ProgressBar> = None;
    move |done: usize, total: usize| {
        if total <= above || !std::io::stderr().is_terminal() {
            return;
        }
        let bar = bar.get_or_insert_with(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            let template = format!("{{bar:40}} {{pos}}/{{len}} {units} (reste {{eta}})");
            if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
                bar.set_style(style);
            }
            bar
        });
        bar.set_position(done as u64);
        if done >= total {
            bar.finish_and_clear();
        }
    }
}

/// `epop storage migrate`: the folder's files into the object store.
async fn migrate_storage(config: &Config) -> Result<(), String> {
    use epop_web::storage::{self, Folder, Storage};
    if config
        .storage_url
        .as_deref()
        .is_none_or(|u| u.trim().is_empty())
    {
        return Err(format!(
            "EPOP_STORAGE_URL n’est pas défini : les fichiers restent dans le dossier {}. \
             Définissez EPOP_STORAGE_URL=s3://… pour les copier dans un stockage objet.",
            config.data_dir.join(storage::FOLDER).display()
        ));
    }
    let target = config.files().await?;
    let folder = Folder::new(config.data_dir.join(storage::FOLDER));
    let start = std::time::Instant::now();
    let done = storage::copy_all(&folder, target.as_ref(), progress_bar(0, "fichiers")).await?;
    let words = |n: usize, one: &str, many: &str| format!("{n} {}", if n > 1 { many } else { one });
    println!(
        "Stockage : {}, {}, de {} vers {} en {:.1} s.",
        words(done.copied, "fichier copié", "fichiers copiés"),
        words(done.skipped, "déjà présent", "déjà présents"),
        folder.describe(),
        target.describe(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn create_admin(config: &Config, email: &str, name: &str) -> Result<(), String> {
    let email = Email::parse(email).map_err(|e| e.0)?;
    let name = account::display_name(name).map_err(|e| e.0)?;
    let db = open(config).await?;
    let base_url = config.base_url();
    let mut tx = db.write().await.map_err(|e| e.to_string())?;
    let id = match accounts::credentials(&mut tx, &email)
        .await
        .map_err(|e| e.to_string())?
    {
        Some(c) => c.id,
        None => {
            let new = NewAccount {
                public_id: public_id(),
                email: email.clone(),
                display_name: name.clone(),
                status: AccountStatus::Invited,
                department: None,
                organisation_id: None,
            };
            accounts::create(&mut tx, &new)
                .await
                .map_err(|e| e.to_string())?
        }
    };
    accounts::grant(&mut tx, id, Role::Admin)
        .await
        .map_err(|e| e.to_string())?;
    let token = random_token();
    sessions::create_token(
        &mut tx,
        &hash_token(&token),
        id,
        Purpose::Invitation,
        7 * 24 * 3600,
    )
    .await
    .map_err(|e| e.to_string())?;
    let link = format!("{base_url}/invitation/{token}");
    let message = epop_store::outbox::Message {
        recipient: email.to_string(),
        subject: "Votre compte administrateur EPoP".into(),
        body_text: format!(
            "Bonjour {name},\n\nVotre compte administrateur EPoP est créé.\n\n\
             Pour l’activer, ouvrez ce lien (il marche une seule fois, pendant 7 jours) :\n{link}\n\n\
             Vous pourrez choisir un mot de passe, ou vous connecter avec des liens reçus par e-mail.\n\n--\nEPoP\n"
        ),
        attachment: None,
    };
    outbox::enqueue(&mut tx, &message)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let mailer = mailer(config)?;
    worker::drain(&db, &mailer)
        .await
        .map_err(|e| e.to_string())?;
    println!("Administrateur : {email}");
    match mailer.folder() {
        Some(dir) => println!(
            "Le message avec le lien d’activation est dans {}/ (fichier .eml).",
            dir.display()
        ),
        None => println!("Le message avec le lien d’activation est parti par e-mail."),
    }
    println!("Lien d’activation (valable 7 jours, une seule fois) : {link}");
    Ok(())
}

/// `seed-bench`: synthetic profiles in batches (one transaction each),
/// progress after every batch, and the time taken.
async fn seed_bench(config: &Config, profiles: usize, interventions: i64) -> Result<(), String> {
    let db = open(config).await?;
    let start = std::time::Instant::now();
    let created = synthetic::seed(&db, profiles, None, "bench.epop.test", |done| {
        println!(
            "  {done} / {profiles} profils ({:.1} s)",
            start.elapsed().as_secs_f64()
        );
    })
    .await
    .map_err(|e| e.to_string())?;
    println!(
        "{created} profils créés ({} existaient déjà) en {:.1} s.",
        profiles - created,
        start.elapsed().as_secs_f64()
    );
    if interventions > 0 {
        let start = std::time::Instant::now();
        let made = history::seed(&db, interventions, |done| {
            println!(
                "  {done} / {interventions} demandes ({:.1} s)",
                start.elapsed().as_secs_f64()
            );
        })
        .await?;
        println!(
            "Historique : {} demandes, {} sessions de formation, {} événements, {} candidatures créés en {:.1} s.",
            made.requests,
            made.sessions,
            made.events,
            made.candidates,
            start.elapsed().as_secs_f64()
        );
    }
    db.close().await;
    Ok(())
}
