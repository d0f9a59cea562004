//! A person's path through the network, read from what the other aggregates
//! recorded: their applications to join (`candidates`), event registrations (information meetings, practice-
//! analysis groups), training applications with attendance and completion,
//! accompaniment milestones, and the interventions they did. What comes next
//! is the domain's rule (`epop_domain::path`).

use chrono::NaiveDate;
use epop_domain::training::{ApplicationStatus, Milestone};
use sqlx::AnyConnection;

use crate::Result;

/// An event the person registered to (not cancelled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventStep {
    pub title: String,
    pub slug: String,
    pub starts_at: i64,
    /// A practice-analysis group (for trained peer workers only).
    pub practice_group: bool,
    /// An information meeting (about the training, for people who may apply).
    pub information_meeting: bool,
    /// `confirmed`, `offered` or `waiting`.
    pub status: String,
    pub attended: Option<bool>,
}

/// A training application and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingStep {
    pub application_public_id: String,
    /// « Programme – session ».
    pub title: String,
    pub session_slug: String,
    pub status: ApplicationStatus,
    pub applied_at: i64,
    pub decided_at: Option<i64>,
    pub completed_at: Option<i64>,
    pub half_days_present: i64,
    pub half_days: i64,
    pub session_ends_at: Option<i64>,
}

/// An intervention the person did (their proposal accepted, the request done).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterventionStep {
    pub kind: Option<String>,
    pub department: Option<String>,
    pub done_at: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    pub events: Vec<EventStep>,
    pub trainings: Vec<TrainingStep>,
    pub milestones: Vec<(Milestone, NaiveDate)>,
    pub interventions: Vec<InterventionStep>,
    /// The steps of their applications to join the network.
    pub applications: Vec<crate::candidates::PathStep>,
}

impl Path {
    /// The day the first training was completed: the accompaniment counts
    /// from it.
    pub fn trained_at(&self) -> Option<i64> {
        self.trainings.iter().filter_map(|t| t.completed_at).min()
    }
}

type TrainingRow = (
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// The path of one account; `email` finds the registrations made without
/// signing in.
pub async fn of(conn: &mut AnyConnection, account_id: i64, email: &str) -> Result<Path> {
    let events: Vec<(String, String, i64, i64, i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT e.title, e.slug, e.starts_at, e.trained_peers_only, e.information_meeting, \
         g.status, g.attended \
         FROM event_registrations g JOIN events e ON e.id = g.event_id \
         WHERE (g.account_id = $1 OR LOWER(g.email) = LOWER($2)) AND g.status <> 'cancelled' \
         AND e.cancel_reason IS NULL ORDER BY e.starts_at, g.id",
    )
    .bind(account_id)
    .bind(email)
    .fetch_all(&mut *conn)
    .await?;
    let trainings: Vec<TrainingRow> = sqlx::query_as(
        "SELECT a.public_id, p.title, s.title, s.slug, a.status, a.created_at, a.decided_at, \
         a.completed_at, \
         (SELECT COUNT(*) FROM training_attendance t WHERE t.application_id = a.id AND t.present = 1), \
         (SELECT COUNT(*) FROM training_half_days h WHERE h.session_id = s.id), \
         (SELECT MAX(h.ends_at) FROM training_half_days h WHERE h.session_id = s.id) \
         FROM training_applications a JOIN training_sessions s ON s.id = a.session_id \
         JOIN training_programmes p ON p.id = s.programme_id \
         WHERE a.account_id = $1 ORDER BY a.created_at, a.id",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let milestones: Vec<(String, String)> = sqlx::query_as(
        "SELECT milestone, reached_on FROM accompaniment_milestones WHERE account_id = $1 \
         ORDER BY reached_on",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let interventions: Vec<(Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT r.kind, d.name, COALESCE(r.scheduled_end, r.updated_at) \
         FROM intervention_requests r \
         JOIN request_proposals p ON p.request_id = r.id AND p.status = 'accepted' \
         LEFT JOIN departments d ON d.code = r.department_code \
         WHERE p.account_id = $1 AND r.status = 'done' ORDER BY 3",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Path {
        events: events
            .into_iter()
            .map(
                |(title, slug, starts_at, group, meeting, status, attended)| EventStep {
                    title,
                    slug,
                    starts_at,
                    practice_group: group != 0,
                    information_meeting: meeting != 0,
                    status,
                    attended: attended.map(|a| a != 0),
                },
            )
            .collect(),
        trainings: trainings
            .into_iter()
            .filter_map(|r| {
                Some(TrainingStep {
                    application_public_id: r.0,
                    title: format!("{} – {}", r.1, r.2),
                    session_slug: r.3,
                    status: ApplicationStatus::from_code(&r.4)?,
                    applied_at: r.5,
                    decided_at: r.6,
                    completed_at: r.7,
                    half_days_present: r.8,
                    half_days: r.9,
                    session_ends_at: r.10,
                })
            })
            .collect(),
        milestones: milestones
            .into_iter()
            .filter_map(|(m, d)| {
                Some((
                    Milestone::from_code(&m)?,
                    NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()?,
                ))
            })
            .collect(),
        interventions: interventions
            .into_iter()
            .map(|(kind, department, done_at)| InterventionStep {
                kind,
                department,
                done_at,
            })
            .collect(),
        applications: crate::candidates::path_of(conn, account_id).await?,
    })
}

/// A person in accompaniment: trained, with the milestones they reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accompanied {
    pub account_public_id: String,
    pub name: String,
    pub department_code: Option<String>,
    pub trained_at: i64,
    pub reached: Vec<Milestone>,
}

/// Everyone who completed a training, with their milestones, by name. The
/// caller keeps those of its territory. People holding a coordinator's or
/// an admin's role are left out unless `with_staff` (an admin's view).
pub async fn accompanied(conn: &mut AnyConnection, with_staff: bool) -> Result<Vec<Accompanied>> {
    let people: Vec<(i64, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT ac.id, ac.public_id, ac.display_name, ac.department_code, MIN(a.completed_at) \
         FROM training_applications a JOIN accounts ac ON ac.id = a.account_id \
         WHERE a.status = 'completed' AND a.completed_at IS NOT NULL \
         AND ($1 = 1 OR NOT EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = ac.id \
         AND r.role IN ('admin', 'coordinator'))) \
         GROUP BY ac.id, ac.public_id, ac.display_name, ac.department_code \
         ORDER BY ac.display_name",
    )
    .bind(i64::from(with_staff))
    .fetch_all(&mut *conn)
    .await?;
    let reached: Vec<(i64, String)> =
        sqlx::query_as("SELECT account_id, milestone FROM accompaniment_milestones")
            .fetch_all(&mut *conn)
            .await?;
    Ok(people
        .into_iter()
        .map(
            |(id, public_id, name, department_code, trained_at)| Accompanied {
                account_public_id: public_id,
                name,
                department_code,
                trained_at,
                reached: reached
                    .iter()
                    .filter(|(a, _)| *a == id)
                    .filter_map(|(_, m)| Milestone::from_code(m))
                    .collect(),
            },
        )
        .collect())
}
