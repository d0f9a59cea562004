//! EPoP domain rules, with no I/O: validated values ("parse, don't validate"),
//! roles and what each may do, territories, organisations, the directory,
//! events and their registrations, messages to the coordination,
//! applications to join the network (candidates), trainings and
//! accompaniment, the life
//! cycle of intervention requests, the matching of peer workers, the
//! questionnaires and the small-number rule of the indicators, the legal
//! and payment frameworks, and the easy-read writing aid.
//!
//! Nothing here touches a database, the network, the clock or randomness:
//! callers pass the current time and random values in. Error messages are in
//! French because they are shown to the people who typed the value.

pub mod access;
pub mod account;
pub mod candidate;
pub mod contact;
pub mod directory;
pub mod easy_figures;
pub mod easy_read;
pub mod easy_review;
pub mod email;
pub mod event;
pub mod figures;
pub mod indicators;
pub mod legal;
pub mod lifecycle;
pub mod matching;
pub mod news;
pub mod organisation;
pub mod path;
pub mod payment;
pub mod programme;
pub mod questionnaire;
pub mod request;
pub mod schedule;
pub mod siret;
pub mod territory;
pub mod text;
pub mod toolbox;
pub mod training;

pub use access::{Principal, Role};
pub use email::Email;
pub use siret::Siret;
pub use territory::{DepartmentCode, RegionCode};

/// A value a person typed that cannot be accepted, with the French sentence
/// that tells them what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}
