//! Migrations, one folder per engine plus `common/` for portable data, kept
//! in step: the same versions exist for both engines, and a test compares the
//! schemas they produce. Applied with sqlx's migrator (checksums, locking).

use std::borrow::Cow;

use sqlx::SqlSafeStr;
use sqlx::migrate::{Migration, MigrationType, Migrator};

use crate::{Db, Engine, Result};

/// (version, description, SQLite SQL, PostgreSQL SQL)
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "foundation",
        include_str!("../migrations/sqlite/0001_foundation.sql"),
        include_str!("../migrations/postgres/0001_foundation.sql"),
    ),
    (
        2,
        "territories",
        include_str!("../migrations/common/0002_territories.sql"),
        include_str!("../migrations/common/0002_territories.sql"),
    ),
    (
        3,
        "directory",
        include_str!("../migrations/sqlite/0003_directory.sql"),
        include_str!("../migrations/postgres/0003_directory.sql"),
    ),
    (
        4,
        "directory search indexes",
        include_str!("../migrations/sqlite/0004_directory_search_indexes.sql"),
        include_str!("../migrations/postgres/0004_directory_search_indexes.sql"),
    ),
    (
        5,
        "directory search vectors",
        include_str!("../migrations/sqlite/0005_directory_search_vectors.sql"),
        include_str!("../migrations/postgres/0005_directory_search_vectors.sql"),
    ),
    (
        6,
        "events",
        include_str!("../migrations/sqlite/0006_events.sql"),
        include_str!("../migrations/postgres/0006_events.sql"),
    ),
    (
        7,
        "outbox attachments",
        include_str!("../migrations/sqlite/0007_outbox_attachments.sql"),
        include_str!("../migrations/postgres/0007_outbox_attachments.sql"),
    ),
    (
        8,
        "trainings and accompaniment",
        include_str!("../migrations/sqlite/0008_trainings.sql"),
        include_str!("../migrations/postgres/0008_trainings.sql"),
    ),
    (
        9,
        "intervention requests",
        include_str!("../migrations/sqlite/0009_requests.sql"),
        include_str!("../migrations/postgres/0009_requests.sql"),
    ),
    (
        10,
        "request proposals",
        include_str!("../migrations/sqlite/0010_proposals.sql"),
        include_str!("../migrations/postgres/0010_proposals.sql"),
    ),
    (
        11,
        "legal frameworks",
        include_str!("../migrations/sqlite/0011_legal_frameworks.sql"),
        include_str!("../migrations/postgres/0011_legal_frameworks.sql"),
    ),
    (
        12,
        "request schedule and feedback",
        include_str!("../migrations/sqlite/0012_request_schedule_feedback.sql"),
        include_str!("../migrations/postgres/0012_request_schedule_feedback.sql"),
    ),
    (
        13,
        "payments",
        include_str!("../migrations/sqlite/0013_payments.sql"),
        include_str!("../migrations/postgres/0013_payments.sql"),
    ),
    (
        14,
        "request referent and readiness",
        include_str!("../migrations/sqlite/0014_request_referent.sql"),
        include_str!("../migrations/postgres/0014_request_referent.sql"),
    ),
    (
        15,
        "request messages",
        include_str!("../migrations/sqlite/0015_request_messages.sql"),
        include_str!("../migrations/postgres/0015_request_messages.sql"),
    ),
    (
        16,
        "directory filter tokens",
        include_str!("../migrations/sqlite/0016_directory_filter_tokens.sql"),
        include_str!("../migrations/postgres/0016_directory_filter_tokens.sql"),
    ),
    (
        17,
        "event cancellation",
        include_str!("../migrations/sqlite/0017_event_cancellation.sql"),
        include_str!("../migrations/postgres/0017_event_cancellation.sql"),
    ),
    (
        18,
        "account phone",
        include_str!("../migrations/sqlite/0018_account_phone.sql"),
        include_str!("../migrations/postgres/0018_account_phone.sql"),
    ),
    (
        19,
        "directory search words",
        include_str!("../migrations/sqlite/0019_directory_search_words.sql"),
        include_str!("../migrations/postgres/0019_directory_search_words.sql"),
    ),
    (
        20,
        "directory search aids",
        include_str!("../migrations/sqlite/0020_directory_search_aids.sql"),
        include_str!("../migrations/postgres/0020_directory_search_aids.sql"),
    ),
    (
        21,
        "consent sources",
        include_str!("../migrations/sqlite/0021_consent_sources.sql"),
        include_str!("../migrations/postgres/0021_consent_sources.sql"),
    ),
    (
        22,
        "organisation join links",
        include_str!("../migrations/sqlite/0022_organisation_join_links.sql"),
        include_str!("../migrations/postgres/0022_organisation_join_links.sql"),
    ),
    (
        23,
        "request step events",
        include_str!("../migrations/sqlite/0023_request_step_events.sql"),
        include_str!("../migrations/postgres/0023_request_step_events.sql"),
    ),
    (
        24,
        "accommodations the peer shares with the host",
        include_str!("../migrations/sqlite/0024_proposal_shared_accommodations.sql"),
        include_str!("../migrations/postgres/0024_proposal_shared_accommodations.sql"),
    ),
    (
        25,
        "local programmes",
        include_str!("../migrations/sqlite/0025_local_programmes.sql"),
        include_str!("../migrations/postgres/0025_local_programmes.sql"),
    ),
    (
        26,
        "contact the coordination",
        include_str!("../migrations/sqlite/0026_contact.sql"),
        include_str!("../migrations/postgres/0026_contact.sql"),
    ),
    (
        27,
        "candidates and information meetings",
        include_str!("../migrations/sqlite/0027_candidates.sql"),
        include_str!("../migrations/postgres/0027_candidates.sql"),
    ),
    (
        28,
        "profiles by home département",
        include_str!("../migrations/sqlite/0028_profiles_by_place.sql"),
        include_str!("../migrations/postgres/0028_profiles_by_place.sql"),
    ),
    (
        29,
        "information meetings present a training programme",
        include_str!("../migrations/sqlite/0029_meeting_followup.sql"),
        include_str!("../migrations/postgres/0029_meeting_followup.sql"),
    ),
    (
        30,
        "questionnaires, invitations and anonymous responses",
        include_str!("../migrations/sqlite/0030_questionnaires.sql"),
        include_str!("../migrations/postgres/0030_questionnaires.sql"),
    ),
    (
        31,
        "questionnaire drafts, the four first questionnaires, past feedback as responses",
        include_str!("../migrations/sqlite/0031_questionnaire_defaults.sql"),
        include_str!("../migrations/postgres/0031_questionnaire_defaults.sql"),
    ),
    (
        32,
        "indexes of the indicators, the audience size as a column",
        include_str!("../migrations/sqlite/0032_indicator_indexes.sql"),
        include_str!("../migrations/postgres/0032_indicator_indexes.sql"),
    ),
    (
        33,
        "questionnaire sending: reminder links, the audience link",
        include_str!("../migrations/sqlite/0033_questionnaire_sending.sql"),
        include_str!("../migrations/postgres/0033_questionnaire_sending.sql"),
    ),
    (
        34,
        "the indicators' summary by département, kind and month, kept by triggers",
        include_str!("../migrations/sqlite/0034_indicator_summary.sql"),
        include_str!("../migrations/postgres/0034_indicator_summary.sql"),
    ),
    (
        35,
        "toolbox: resources, their files and versions, downloads per month",
        include_str!("../migrations/sqlite/0035_toolbox.sql"),
        include_str!("../migrations/postgres/0035_toolbox.sql"),
    ),
    (
        36,
        "news and newsletter",
        include_str!("../migrations/sqlite/0036_news.sql"),
        include_str!("../migrations/postgres/0036_news.sql"),
    ),
    (
        37,
        "easy-read review rounds, their requests, answers and reviewers",
        include_str!("../migrations/sqlite/0037_easy_reviews.sql"),
        include_str!("../migrations/postgres/0037_easy_reviews.sql"),
    ),
    (
        38,
        "the country's and the régions' count of active peers per year",
        include_str!("../migrations/sqlite/0038_indicator_peer_counts.sql"),
        include_str!("../migrations/postgres/0038_indicator_peer_counts.sql"),
    ),
    (
        39,
        "the easy-read texts of the fixed pages as admins write them",
        include_str!("../migrations/sqlite/0039_page_texts.sql"),
        include_str!("../migrations/postgres/0039_page_texts.sql"),
    ),
    (
        40,
        "the people who asked for their e-mails in easy-read French",
        include_str!("../migrations/sqlite/0040_account_easy_read.sql"),
        include_str!("../migrations/postgres/0040_account_easy_read.sql"),
    ),
    (
        41,
        "newsletter subscriptions for a département, digests named by their place, resources dated by their first publication",
        include_str!("../migrations/sqlite/0041_newsletter_departments.sql"),
        include_str!("../migrations/postgres/0041_newsletter_departments.sql"),
    ),
];

/// The last migration this program knows.
pub(crate) fn latest() -> i64 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or_default()
}

/// The last migration applied to this database (0 when none is).
pub(crate) async fn applied(db: &Db) -> Result<i64> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
            .fetch_one(&db.pool)
            .await?;
    Ok(found.unwrap_or_default())
}

pub(crate) async fn run(db: &Db) -> Result<()> {
    run_until(db, i64::MAX).await
}

/// Applies the migrations up to `last` included (tests seed old tables
/// before a data migration runs).
pub(crate) async fn run_until(db: &Db, last: i64) -> Result<()> {
    let migrations = MIGRATIONS
        .iter()
        .filter(|(version, ..)| *version <= last)
        .map(|(version, description, sqlite, postgres)| {
            let sql = match db.engine {
                Engine::Sqlite => *sqlite,
                Engine::Postgres => *postgres,
            };
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations).run(&db.pool).await?;
    Ok(())
}
