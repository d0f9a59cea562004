//! Trainings and accompaniment: programmes (for peer workers, for
//! référents), sessions made of half-days with their trainers (peer
//! co-trainers among them), applications and the coordinator's decisions,
//! attendance per half-day, completion, and the milestones of the 2 to 3
//! years of accompaniment after the training.

use crate::event::{paris_timestamp, parse_time};
use crate::territory::DepartmentCode;
use crate::text::{Problems, paragraph, parse_date, required, take};
use crate::{Invalid, Principal, Role};

/// Whom a programme trains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Peer,
    Referent,
}

impl Audience {
    pub fn code(self) -> &'static str {
        match self {
            Audience::Peer => "peer",
            Audience::Referent => "referent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Audience::Peer, Audience::Referent]
            .into_iter()
            .find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Peer => "Intervenants-pairs",
            Audience::Referent => "Référents",
        }
    }

    /// The role a person needs to apply.
    pub fn role(self) -> Role {
        match self {
            Audience::Peer => Role::Peer,
            Audience::Referent => Role::Referent,
        }
    }
}

/// What a coordinator types for a programme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeForm {
    pub title: String,
    pub audience: String,
    pub description: String,
    pub description_easy: String,
    pub duration: String,
    pub hours: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme {
    pub title: String,
    pub audience: Audience,
    pub description: String,
    pub description_easy: String,
    /// « 5 jours », « 6 jours, 1 à 2 jours par mois ».
    pub duration: String,
    pub hours: i64,
}

impl ProgrammeForm {
    pub fn validate(&self) -> Result<NewProgramme, Problems> {
        let mut p = Vec::new();
        let title = take(&mut p, "title", required(&self.title, "le titre", 160));
        let audience = take(
            &mut p,
            "audience",
            Audience::from_code(&self.audience).ok_or_else(|| {
                Invalid::new(
                    "Choisissez à qui s’adresse la formation : intervenants-pairs ou référents.",
                )
            }),
        );
        let description = take(
            &mut p,
            "description",
            paragraph(&self.description, "la description", 5000),
        );
        let description_easy = take(
            &mut p,
            "description_easy",
            paragraph(&self.description_easy, "la description facile à lire", 3000),
        );
        let duration = take(
            &mut p,
            "duration",
            required(&self.duration, "la durée", 120),
        );
        let hours = take(
            &mut p,
            "hours",
            match self.hours.trim().parse::<i64>() {
                Ok(h) if (1..=500).contains(&h) => Ok(h),
                _ => Err(Invalid::new(
                    "Saisissez le nombre d’heures de formation, un nombre entre 1 et 500.",
                )),
            },
        );
        match (
            title,
            audience,
            description,
            description_easy,
            duration,
            hours,
        ) {
            (
                Some(title),
                Some(audience),
                Some(description),
                Some(description_easy),
                Some(duration),
                Some(hours),
            ) if p.is_empty() => Ok(NewProgramme {
                title,
                audience,
                description,
                description_easy,
                duration,
                hours,
            }),
            _ => Err(p),
        }
    }
}

/// One half-day of a session, in stored time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HalfDay {
    pub starts_at: i64,
    pub ends_at: i64,
}

pub const MAX_HALF_DAYS: usize = 40;

/// Half-days as a coordinator types them, one per line:
/// « 11/01/2027 9:00-12:30 » or « 2027-01-11 13h30 – 17h ».
pub fn parse_half_days(input: &str) -> Result<Vec<HalfDay>, Invalid> {
    let mut out = Vec::new();
    for (n, line) in input.lines().map(str::trim).enumerate() {
        if line.is_empty() {
            continue;
        }
        let where_ = format!("ligne {} (« {line} »)", n + 1);
        let (date, times) = line.split_once(char::is_whitespace).ok_or_else(|| {
            Invalid::new(format!(
                "À la {where_}, écrivez la date puis les heures, par exemple : 11/01/2027 9:00-12:30."
            ))
        })?;
        let date = parse_date(date, "la date")
            .map_err(|e| Invalid::new(format!("À la {where_} : {}", e.0)))?;
        let (start, end) = times
            .split_once(['-', '–', 'à'])
            .ok_or_else(|| Invalid::new(format!("À la {where_}, écrivez l’heure de début et de fin séparées par un tiret, par exemple 9:00-12:30.")))?;
        let start = parse_time(start, "l’heure de début")
            .map_err(|e| Invalid::new(format!("À la {where_} : {}", e.0)))?;
        let end = parse_time(end, "l’heure de fin")
            .map_err(|e| Invalid::new(format!("À la {where_} : {}", e.0)))?;
        let starts_at = paris_timestamp(date, start)?;
        let ends_at = paris_timestamp(date, end)?;
        if ends_at <= starts_at {
            return Err(Invalid::new(format!(
                "À la {where_}, l’heure de fin doit venir après l’heure de début."
            )));
        }
        out.push(HalfDay { starts_at, ends_at });
    }
    if out.is_empty() {
        return Err(Invalid::new(
            "Écrivez au moins une demi-journée, par exemple : 11/01/2027 9:00-12:30.",
        ));
    }
    if out.len() > MAX_HALF_DAYS {
        return Err(Invalid::new(format!(
            "Une session a {MAX_HALF_DAYS} demi-journées au plus (il y en a {}).",
            out.len()
        )));
    }
    out.sort_by_key(|h| h.starts_at);
    if out.windows(2).any(|w| w[1].starts_at < w[0].ends_at) {
        return Err(Invalid::new(
            "Deux demi-journées se chevauchent : vérifiez les dates et les heures.",
        ));
    }
    Ok(out)
}

/// What a coordinator types for a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionForm {
    pub title: String,
    pub place: String,
    pub department: String,
    pub capacity: String,
    pub half_days: String,
    /// One trainer per line.
    pub trainers: String,
    /// Peer workers co-leading the training, one per line.
    pub peer_trainers: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    pub title: String,
    pub place: String,
    pub department: DepartmentCode,
    pub capacity: i64,
    pub half_days: Vec<HalfDay>,
    pub trainers: Vec<String>,
    pub peer_trainers: Vec<String>,
}

fn names(input: &str) -> Vec<String> {
    input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

impl SessionForm {
    pub fn validate(&self) -> Result<NewSession, Problems> {
        let mut p = Vec::new();
        let title = take(
            &mut p,
            "title",
            required(&self.title, "le nom de la session", 160),
        );
        let place = take(&mut p, "place", required(&self.place, "le lieu", 300));
        let department = take(
            &mut p,
            "department",
            DepartmentCode::parse(&self.department),
        );
        let capacity = take(
            &mut p,
            "capacity",
            match self.capacity.trim().parse::<i64>() {
                Ok(n) if (1..=200).contains(&n) => Ok(n),
                _ => Err(Invalid::new(
                    "Saisissez le nombre de places, un nombre entre 1 et 200.",
                )),
            },
        );
        let half_days = take(&mut p, "half_days", parse_half_days(&self.half_days));
        let trainers = names(&self.trainers);
        let peer_trainers = names(&self.peer_trainers);
        if trainers.is_empty() && peer_trainers.is_empty() {
            p.push((
                "trainers",
                Invalid::new("Écrivez le nom d’au moins une formatrice ou un formateur."),
            ));
        }
        if trainers
            .iter()
            .chain(&peer_trainers)
            .any(|n| n.chars().count() > 120)
        {
            p.push((
                "trainers",
                Invalid::new("Un nom de formateur est trop long : 120 caractères au plus."),
            ));
        }
        match (title, place, department, capacity, half_days) {
            (Some(title), Some(place), Some(department), Some(capacity), Some(half_days))
                if p.is_empty() =>
            {
                Ok(NewSession {
                    title,
                    place,
                    department,
                    capacity,
                    half_days,
                    trainers,
                    peer_trainers,
                })
            }
            _ => Err(p),
        }
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    Applied,
    Accepted,
    Waiting,
    Declined,
    Withdrawn,
    Completed,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 6] = [
        ApplicationStatus::Applied,
        ApplicationStatus::Accepted,
        ApplicationStatus::Waiting,
        ApplicationStatus::Declined,
        ApplicationStatus::Withdrawn,
        ApplicationStatus::Completed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ApplicationStatus::Applied => "applied",
            ApplicationStatus::Accepted => "accepted",
            ApplicationStatus::Waiting => "waiting",
            ApplicationStatus::Declined => "declined",
            ApplicationStatus::Withdrawn => "withdrawn",
            ApplicationStatus::Completed => "completed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Applied => "Candidature reçue, en attente de réponse",
            ApplicationStatus::Accepted => "Acceptée : une place est réservée",
            ApplicationStatus::Waiting => "Sur la liste d’attente",
            ApplicationStatus::Declined => "Non retenue",
            ApplicationStatus::Withdrawn => "Retirée",
            ApplicationStatus::Completed => "Formation terminée",
        }
    }

    /// Holds one of the session's places.
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted | ApplicationStatus::Completed
        )
    }

    /// Still open (one open application per person and session).
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            ApplicationStatus::Declined | ApplicationStatus::Withdrawn
        )
    }
}

/// What a coordinator decides about an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Accept,
    Wait,
    Decline { reason: String },
}

impl Decision {
    /// From the form: `accepter`, `attente`, `refuser` (a reason is required
    /// to decline: the person is told why).
    pub fn parse(choice: &str, reason: &str) -> Result<Decision, (&'static str, Invalid)> {
        match choice {
            "accepter" => Ok(Decision::Accept),
            "attente" => Ok(Decision::Wait),
            "refuser" => paragraph(reason, "la raison, qui sera envoyée à la personne", 1000)
                .map(|reason| Decision::Decline { reason })
                .map_err(|e| ("reason", e)),
            _ => Err((
                "decision",
                Invalid::new("Choisissez : accepter, liste d’attente ou ne pas retenir."),
            )),
        }
    }

    /// The status this decision leads to, from `from`, when `places_left`
    /// places remain: accepting a full session puts the person on the
    /// waiting list. `None`: this decision cannot be taken any more.
    pub fn outcome(&self, from: ApplicationStatus, places_left: i64) -> Option<ApplicationStatus> {
        use ApplicationStatus::*;
        match (self, from) {
            (Decision::Accept, Applied | Waiting) => {
                Some(if places_left > 0 { Accepted } else { Waiting })
            }
            (Decision::Wait, Applied) => Some(Waiting),
            (Decision::Decline { .. }, Applied | Waiting | Accepted) => Some(Declined),
            _ => None,
        }
    }
}

impl Principal {
    /// May run trainings (programmes, sessions, decisions) in this
    /// territory; national programmes are for administrators.
    pub fn may_manage_training(&self, department: Option<&str>) -> bool {
        self.may_manage_event(department)
    }
}

/// Half-days attended out of those held, for the certificate and the
/// coordinator's decision (a missed half-day is shown, not hidden).
pub fn attendance_summary(present: usize, held: usize) -> String {
    match (present, held) {
        (_, 0) => "Aucune demi-journée n’a encore eu lieu.".to_owned(),
        (p, h) if p == h => format!("Présence à toutes les demi-journées ({h})."),
        (p, h) => format!(
            "Présence à {p} demi-journée{} sur {h}.",
            if p > 1 { "s" } else { "" }
        ),
    }
}

/// A training is completed (the certificate delivered, the person trained)
/// only once its last half-day has ended.
pub fn may_complete(last_half_day_ends_at: i64, now: i64) -> bool {
    last_half_day_ends_at <= now
}

/// Who was present is noted once the half-day has begun.
pub fn may_record_attendance(half_day_starts_at: i64, now: i64) -> bool {
    half_day_starts_at <= now
}

/// The steps of the 2 to 3 years of accompaniment after a training.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    FirstIntervention,
    FirstCoTraining,
    PracticeGroup,
    ReviewOneYear,
    ReviewTwoYears,
    End,
}

impl Milestone {
    pub const ALL: [Milestone; 6] = [
        Milestone::FirstIntervention,
        Milestone::FirstCoTraining,
        Milestone::PracticeGroup,
        Milestone::ReviewOneYear,
        Milestone::ReviewTwoYears,
        Milestone::End,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Milestone::FirstIntervention => "premiere-intervention",
            Milestone::FirstCoTraining => "premiere-co-animation",
            Milestone::PracticeGroup => "analyse-des-pratiques",
            Milestone::ReviewOneYear => "bilan-un-an",
            Milestone::ReviewTwoYears => "bilan-deux-ans",
            Milestone::End => "fin-accompagnement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Milestone::FirstIntervention => "Première intervention",
            Milestone::FirstCoTraining => "Première co-animation d’une formation",
            Milestone::PracticeGroup => "Premier groupe d’analyse des pratiques",
            Milestone::ReviewOneYear => "Bilan à un an",
            Milestone::ReviewTwoYears => "Bilan à deux ans",
            Milestone::End => "Fin de l’accompagnement",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn nothing_is_done_before_it_happened() {
        assert!(!may_complete(1_000, 999));
        assert!(may_complete(1_000, 1_000));
        assert!(!may_record_attendance(1_000, 999));
        assert!(may_record_attendance(1_000, 1_001));
    }

    #[test]
    fn half_days_as_typed_in_paris_time() {
        let h = parse_half_days("11/01/2027 9:00-12:30\n\n2027-01-11 13h30 – 17h\n").unwrap();
        assert_eq!(h.len(), 2);
        let nine = chrono::Utc
            .with_ymd_and_hms(2027, 1, 11, 8, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(h[0].starts_at, nine);
        assert_eq!(h[0].ends_at - h[0].starts_at, 3 * 3600 + 1800);
        assert_eq!(h[1].ends_at - h[1].starts_at, 3 * 3600 + 1800);
        for (bad, words) in [
            ("", "au moins une demi-journée"),
            ("11/01/2027", "ligne 1"),
            ("31/02/2027 9:00-12:00", "ligne 1"),
            ("11/01/2027 12:00-9:00", "après l’heure de début"),
            (
                "11/01/2027 9:00-12:00\n11/01/2027 11:00-13:00",
                "se chevauchent",
            ),
        ] {
            let e = parse_half_days(bad).unwrap_err();
            assert!(e.0.contains(words), "{bad}: {}", e.0);
        }
    }

    #[test]
    fn a_session_needs_a_trainer_and_a_place() {
        let f = SessionForm {
            title: "Session Occitanie".into(),
            place: "Toulouse".into(),
            department: "31".into(),
            capacity: "12".into(),
            half_days: "11/01/2027 9:00-12:30".into(),
            peer_trainers: "Awa Diallo\n".into(),
            ..Default::default()
        };
        let s = f.validate().unwrap();
        assert_eq!(s.peer_trainers, vec!["Awa Diallo"]);
        let fields: Vec<&str> = SessionForm::default()
            .validate()
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            fields,
            vec![
                "title",
                "place",
                "department",
                "capacity",
                "half_days",
                "trainers"
            ]
        );
    }

    #[test]
    fn programme_checks() {
        let f = ProgrammeForm {
            title: "Formation des intervenants-pairs".into(),
            audience: "peer".into(),
            description: "5 jours".into(),
            description_easy: "5 jours pour apprendre.".into(),
            duration: "5 jours".into(),
            hours: "35".into(),
        };
        assert_eq!(f.validate().unwrap().audience.role(), Role::Peer);
        let bad = ProgrammeForm {
            hours: "0".into(),
            audience: "x".into(),
            ..f
        };
        let fields: Vec<&str> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["audience", "hours"]);
    }

    #[test]
    fn decisions_and_their_outcomes() {
        use ApplicationStatus::*;
        assert_eq!(Decision::Accept.outcome(Applied, 3), Some(Accepted));
        assert_eq!(
            Decision::Accept.outcome(Applied, 0),
            Some(Waiting),
            "full: waiting list"
        );
        assert_eq!(Decision::Accept.outcome(Waiting, 1), Some(Accepted));
        assert_eq!(Decision::Accept.outcome(Declined, 5), None);
        assert_eq!(Decision::Wait.outcome(Accepted, 5), None);
        let no = Decision::parse("refuser", "La session est pour l’Hérault.").unwrap();
        assert_eq!(no.outcome(Accepted, 0), Some(Declined));
        assert_eq!(no.outcome(Completed, 0), None);
        assert_eq!(Decision::parse("refuser", " ").unwrap_err().0, "reason");
        assert_eq!(Decision::parse("?", "").unwrap_err().0, "decision");
        assert!(Accepted.holds_place() && Completed.holds_place() && !Waiting.holds_place());
    }

    #[test]
    fn attendance_in_words() {
        assert_eq!(
            attendance_summary(10, 10),
            "Présence à toutes les demi-journées (10)."
        );
        assert_eq!(
            attendance_summary(9, 10),
            "Présence à 9 demi-journées sur 10."
        );
        assert_eq!(
            attendance_summary(0, 0),
            "Aucune demi-journée n’a encore eu lieu."
        );
    }

    #[test]
    fn milestones_round_trip() {
        for m in Milestone::ALL {
            assert_eq!(Milestone::from_code(m.code()), Some(m));
        }
    }
}
