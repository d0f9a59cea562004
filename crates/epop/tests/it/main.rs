//! Application tests: the real router, the real store (SQLite, and
//! PostgreSQL when `EPOP_TEST_POSTGRES_URL` is set), the demo data, the real
//! worker and a real SMTP server. No mock of our own code.

mod admin;
mod auth;
mod auth_hardening;
mod authorization;
mod candidates;
mod contact;
mod directory;
mod directory_admin;
mod easy_read;
mod event_capacity;
mod event_registration_words;
mod events;
mod harness;
mod import;
mod import_page;
mod indicators;
mod mail;
mod meeting_followup;
mod my_data;
mod organisations;
mod pages;
mod path;
mod peer_pages;
mod profile_form;
mod programmes;
mod proposal_race;
mod request_dates;
mod request_forms;
mod request_host_view;
mod request_page;
mod requests_delivery;
mod requests_intake;
mod requests_legal;
mod requests_payments;
mod requests_proposals;
mod requests_soft_proposals;
mod seed_words;
mod sharing;
mod structure;
mod territories;
mod trainings;
mod words;
