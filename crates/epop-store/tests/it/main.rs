//! Store tests: each runs on SQLite, and on PostgreSQL when
//! `EPOP_TEST_POSTGRES_URL` is set.

mod accounts;
mod directory;
mod directory_profiles;
mod directory_search;
mod directory_tokens;
mod events;
mod outbox;
mod privacy;
mod questionnaires;
mod requests;
mod schema;
mod territories;
mod trainings;
