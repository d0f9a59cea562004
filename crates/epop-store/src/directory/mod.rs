//! The directory: profiles of peer workers and référents, their
//! départements, kinds of intervention, themes and languages; curated
//! themes; consents; and the search, with the full-text index of each engine
//! (SQLite FTS5, PostgreSQL GIN on `to_tsvector('simple', …)`) over the same
//! folded text, computed in Rust.
//!
//! The sensitive fields are never part of [`Profile`] or [`Card`]: they are
//! read only through [`sensitive`], after the caller checked the permission
//! and wrote the read to the audit log.

mod absences;
mod consents;
mod index;
mod photos;
mod profiles;
mod search;
mod themes;

pub use absences::*;
pub use consents::*;
pub use photos::*;
pub use profiles::*;
pub use search::*;
pub use themes::*;

use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};

/// A profile as written by its owner, a coordinator or the import.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub kind: ProfileKind,
    pub display_name: String,
    pub visibility: Visibility,
    pub home_department: Option<String>,
    pub presentation: String,
    pub presentation_easy: String,
    pub own_words: String,
    pub on_site: bool,
    pub remote: bool,
    pub travel_km: Option<i64>,
    pub other_languages: String,
    pub max_per_month: Option<i64>,
    pub job_title: Option<String>,
    pub organisation_id: Option<i64>,
    pub departments: Vec<String>,
    pub interventions: Vec<InterventionKind>,
    pub theme_ids: Vec<i64>,
    /// `fr`, `lsf`, or folded words of other languages.
    pub languages: Vec<String>,
}

impl ProfileInput {
    /// A new profile before its owner answers anything: hidden, their name,
    /// their home département (also the one covered), French.
    pub fn new_hidden(
        kind: ProfileKind,
        display_name: String,
        home_department: Option<String>,
        organisation_id: Option<i64>,
    ) -> Self {
        ProfileInput {
            kind,
            display_name,
            visibility: Visibility::Hidden,
            departments: home_department.clone().into_iter().collect(),
            home_department,
            presentation: String::new(),
            presentation_easy: String::new(),
            own_words: String::new(),
            on_site: true,
            remote: false,
            travel_km: None,
            other_languages: String::new(),
            max_per_month: None,
            job_title: None,
            organisation_id,
            interventions: Vec::new(),
            theme_ids: Vec::new(),
            languages: vec!["fr".into()],
        }
    }
}

/// What a directory listing shows of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: i64,
    pub slug: String,
    pub kind: ProfileKind,
    pub display_name: String,
    pub visibility: Visibility,
    pub home_department: Option<String>,
    /// (code, name) of the départements covered, home first.
    pub departments: Vec<(String, String)>,
    pub interventions: Vec<InterventionKind>,
    pub themes: Vec<String>,
    pub formats: Vec<Format>,
    pub languages: Vec<String>,
    pub trained_on: Option<String>,
}

/// A whole profile, without its sensitive fields.
#[derive(Debug, Clone)]
pub struct Profile {
    pub card: Card,
    pub account_id: i64,
    pub presentation: String,
    pub presentation_easy: String,
    pub own_words: String,
    pub travel_km: Option<i64>,
    pub max_per_month: Option<i64>,
    pub other_languages: String,
    pub training_programme: Option<String>,
    pub job_title: Option<String>,
    pub organisation_name: Option<String>,
    pub organisation_slug: Option<String>,
    pub updated_at: i64,
}

/// The sensitive fields; `None` when not given or when consent was withdrawn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sensitive {
    pub accommodations: Option<String>,
    pub disability_experience: Option<String>,
}

/// Consent purposes and the version of the text each was given on.
pub mod purpose {
    pub const LISTING: &str = "annuaire";
    pub const ACCOMMODATIONS: &str = "amenagements";
    pub const EXPERIENCE: &str = "experience-handicap";
}

/// Who is searching, as the visibility filter needs it.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub account_id: Option<i64>,
    pub member: bool,
    pub admin: bool,
    pub coordinated: Vec<String>,
}

impl Viewer {
    /// Not signed in: sees the public profiles only.
    pub fn is_visitor(&self) -> bool {
        self.account_id.is_none() && !self.member && !self.admin && self.coordinated.is_empty()
    }
}
