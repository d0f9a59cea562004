//! Events and information meetings: what an organiser types (checked here,
//! with messages in French), the accessibility they offer, what a person who
//! registers needs, the states of a registration, and the rules of seats
//! (capacity, waiting list, seat offers, reminders). Times are entered in
//! Europe/Paris and stored as Unix seconds (UTC).

use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Europe::Paris;

use crate::email::Email;
use crate::territory::DepartmentCode;
use crate::text::{Problems, optional_paragraph, paragraph, parse_date, required, take};
use crate::{Invalid, Principal, Role};

/// What an organiser offers so that everyone can take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Accessibility {
    Lsf,
    Captions,
    EasyRead,
    StepFree,
    HearingLoop,
    Breaks,
}

impl Accessibility {
    pub const ALL: [Accessibility; 6] = [
        Accessibility::Lsf,
        Accessibility::Captions,
        Accessibility::EasyRead,
        Accessibility::StepFree,
        Accessibility::HearingLoop,
        Accessibility::Breaks,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Accessibility::Lsf => "lsf",
            Accessibility::Captions => "sous-titrage",
            Accessibility::EasyRead => "falc",
            Accessibility::StepFree => "plain-pied",
            Accessibility::HearingLoop => "boucle",
            Accessibility::Breaks => "pauses",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Accessibility::Lsf => "Interprète en langue des signes française (LSF)",
            Accessibility::Captions => "Sous-titrage en direct",
            Accessibility::EasyRead => "Documents en facile à lire et à comprendre (FALC)",
            Accessibility::StepFree => "Accès sans marche (fauteuil roulant)",
            Accessibility::HearingLoop => "Boucle magnétique pour les appareils auditifs",
            Accessibility::Breaks => "Pauses régulières",
        }
    }
}

/// What a person who registers may ask for. The organiser sees how many
/// people ask for each, to book an interpreter in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Need {
    Lsf,
    Captions,
    EasyRead,
    StepFree,
    HearingLoop,
    Companion,
    AssistanceDog,
}

impl Need {
    pub const ALL: [Need; 7] = [
        Need::Lsf,
        Need::Captions,
        Need::EasyRead,
        Need::StepFree,
        Need::HearingLoop,
        Need::Companion,
        Need::AssistanceDog,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Need::Lsf => "lsf",
            Need::Captions => "sous-titrage",
            Need::EasyRead => "falc",
            Need::StepFree => "plain-pied",
            Need::HearingLoop => "boucle",
            Need::Companion => "accompagnant",
            Need::AssistanceDog => "chien",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|n| n.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Need::Lsf => "Un interprète en langue des signes (LSF)",
            Need::Captions => "Le sous-titrage en direct",
            Need::EasyRead => "Des documents faciles à lire (FALC)",
            Need::StepFree => "Un accès sans marche",
            Need::HearingLoop => "Une boucle magnétique",
            Need::Companion => "Je viens avec une personne qui m’accompagne",
            Need::AssistanceDog => "Je viens avec un chien guide ou d’assistance",
        }
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Has a seat.
    Confirmed,
    /// Waits for a seat, in order of arrival.
    Waiting,
    /// A seat is kept for this person until the offer expires.
    Offered,
    Cancelled,
}

impl Status {
    pub fn code(self) -> &'static str {
        match self {
            Status::Confirmed => "confirmed",
            Status::Waiting => "waiting",
            Status::Offered => "offered",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Status::Confirmed,
            Status::Waiting,
            Status::Offered,
            Status::Cancelled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Confirmed => "Inscription confirmée",
            Status::Waiting => "Sur la liste d’attente",
            Status::Offered => "Place proposée, à confirmer",
            Status::Cancelled => "Annulée",
        }
    }

    /// Holds a seat (counted against the capacity).
    pub fn holds_seat(self) -> bool {
        matches!(self, Status::Confirmed | Status::Offered)
    }

    /// Still active (one active registration per e-mail and event).
    pub fn is_active(self) -> bool {
        self != Status::Cancelled
    }
}

/// A new registration takes a seat while seats are left, else waits.
pub fn status_for_new(capacity: i64, seats_taken: i64) -> Status {
    if seats_taken < capacity {
        Status::Confirmed
    } else {
        Status::Waiting
    }
}

/// Seats still free (never negative: a capacity lowered below the seats
/// already given leaves 0).
pub fn seats_left(capacity: i64, seats_taken: i64) -> i64 {
    (capacity - seats_taken).max(0)
}

/// Registration is open until its deadline and before the event starts.
pub fn registration_open(deadline: i64, starts_at: i64, now: i64) -> bool {
    now <= deadline && now < starts_at
}

/// How long after an information meeting that presents a training the
/// offer to apply may still be sent: a worker stopped for longer does not
/// write about a meeting long past.
pub const FOLLOWUP_WITHIN: i64 = 7 * 24 * 3600;

/// Seconds before the start when the reminder goes.
pub const REMINDER_BEFORE: i64 = 24 * 3600;

/// The reminder goes the day before, to people with a seat who did not
/// register within that last day (their confirmation is fresh), and never
/// once the event has started.
pub fn reminder_due(starts_at: i64, registered_at: i64, now: i64) -> bool {
    now >= starts_at - REMINDER_BEFORE
        && now < starts_at
        && registered_at < starts_at - REMINDER_BEFORE
}

impl Principal {
    /// May manage an event of this territory (`None`: national,
    /// administrators only).
    pub fn may_manage_event(&self, department: Option<&str>) -> bool {
        self.may_act_in(department)
    }

    /// May create events at all (a coordinator creates them in their
    /// territory).
    pub fn may_create_events(&self) -> bool {
        self.is_admin() || self.has(Role::Coordinator)
    }

    /// Référents and coordinators register people they accompany.
    pub fn may_register_others(&self) -> bool {
        self.is_admin() || self.has(Role::Coordinator) || self.has(Role::Referent)
    }
}

/// A local date and time in Paris as stored (Unix seconds). A time that does
/// not exist (the spring change of hour) is refused; an ambiguous one (the
/// autumn change) takes the first.
pub fn paris_timestamp(date: NaiveDate, time: NaiveTime) -> Result<i64, Invalid> {
    Paris
        .from_local_datetime(&date.and_time(time))
        .earliest()
        .map(|t| t.timestamp())
        .ok_or_else(|| {
            Invalid::new(
                "Cette heure n’existe pas ce jour-là (changement d’heure) : choisissez une autre heure.",
            )
        })
}

/// The day in Paris of a stored time, as `AAAA-MM-JJ` (for slugs and files).
pub fn paris_day(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.with_timezone(&Paris).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// An hour as people type it: « 11:30 », « 11h30 », « 11 h 30 », « 9h ».
pub fn parse_time(input: &str, what: &str) -> Result<NaiveTime, Invalid> {
    let cleaned: String = input
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (h, m) = match cleaned.split_once([':', 'h']) {
        Some((h, m)) => (
            h.to_owned(),
            if m.is_empty() {
                "0".into()
            } else {
                m.to_owned()
            },
        ),
        None => (cleaned.clone(), "0".to_owned()),
    };
    h.parse::<u32>()
        .ok()
        .zip(m.parse::<u32>().ok())
        .filter(|_| !h.is_empty())
        .and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0))
        .ok_or_else(|| {
            Invalid::new(format!(
                "Écrivez {what} en heures et minutes, par exemple 11:30 ou 11h30."
            ))
        })
}

/// What the organiser typed, as strings (the form keeps them on error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventForm {
    pub title: String,
    pub description: String,
    pub description_easy: String,
    pub audience: String,
    pub date: String,
    pub start_time: String,
    pub end_time: String,
    /// `en-ligne` or `sur-place`.
    pub mode: String,
    pub online_link: String,
    pub address: String,
    pub directions: String,
    pub step_free: bool,
    pub department: String,
    pub organiser: String,
    pub capacity: String,
    pub deadline_date: String,
    pub deadline_time: String,
    /// Empty: the next person on the waiting list gets a freed seat at once;
    /// a number: the seat is offered for that many hours.
    pub offer_hours: String,
    pub accessibility: Vec<String>,
    /// One question per line.
    pub questions: String,
    /// A practice-analysis group, for trained peer workers only.
    pub trained_peers_only: bool,
    /// An information meeting for people who want to become peer workers
    /// or référents: shown on `/devenir-intervenant-pair` and
    /// `/devenir-referent`.
    pub information_meeting: bool,
    /// The slug of the training programme an information meeting presents
    /// (empty: none); the caller checks that it exists.
    pub programme: String,
}

/// A checked event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub title: String,
    pub description: String,
    pub description_easy: String,
    pub audience: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub online: bool,
    pub online_link: Option<String>,
    pub address: Option<String>,
    pub directions: Option<String>,
    pub step_free: bool,
    pub department: Option<DepartmentCode>,
    pub organiser: String,
    pub capacity: i64,
    pub deadline: i64,
    pub offer_hours: Option<i64>,
    pub accessibility: Vec<Accessibility>,
    pub questions: Vec<String>,
    pub trained_peers_only: bool,
    pub information_meeting: bool,
}

pub const MAX_CAPACITY: i64 = 100_000;
pub const MAX_QUESTIONS: usize = 5;

/// Records `message` under `field`.
fn refuse(problems: &mut Problems, field: &'static str, message: impl Into<String>) {
    take::<()>(problems, field, Err(Invalid::new(message)));
}

/// The texts of an event, checked.
struct Texts {
    title: Option<String>,
    description: Option<String>,
    description_easy: Option<String>,
    audience: Option<String>,
    organiser: Option<String>,
}

/// Where an event takes place, checked.
struct Place {
    online: Option<bool>,
    online_link: Option<String>,
    address: Option<String>,
}

impl EventForm {
    /// Checks every field; `now` refuses an event that starts in the past
    /// when `must_be_future` (a new event).
    pub fn validate(&self, now: i64, must_be_future: bool) -> Result<NewEvent, Problems> {
        let mut problems = Vec::new();
        let texts = self.texts(&mut problems);
        let (starts_at, ends_at) = self.times(&mut problems, now, must_be_future);
        let place = self.place(&mut problems);
        let directions = take(
            &mut problems,
            "directions",
            optional_paragraph(&self.directions, "comment venir", 1000),
        )
        .flatten();
        let department = if self.department.trim().is_empty() {
            None
        } else {
            take(
                &mut problems,
                "department",
                DepartmentCode::parse(&self.department),
            )
        };
        let capacity = self.capacity(&mut problems);
        let deadline = self.deadline(&mut problems, starts_at);
        let offer_hours = self.offer_hours(&mut problems);
        let accessibility = self.accessibility(&mut problems);
        let questions = self.questions(&mut problems);
        if !self.information_meeting && !self.programme.trim().is_empty() {
            refuse(
                &mut problems,
                "programme",
                "Seule une réunion d’information présente une formation : cochez « Réunion d’information » ou choisissez « Aucune formation ».",
            );
        }
        let step_free = self.step_free || accessibility.contains(&Accessibility::StepFree);
        if !problems.is_empty() {
            return Err(problems);
        }
        match (
            texts.title,
            texts.description,
            texts.description_easy,
            texts.audience,
            texts.organiser,
            starts_at,
            ends_at,
            place.online,
            capacity,
            deadline,
            offer_hours,
        ) {
            (
                Some(title),
                Some(description),
                Some(description_easy),
                Some(audience),
                Some(organiser),
                Some(starts_at),
                Some(ends_at),
                Some(online),
                Some(capacity),
                Some(deadline),
                Some(offer_hours),
            ) => Ok(NewEvent {
                title,
                description,
                description_easy,
                audience,
                starts_at,
                ends_at,
                online,
                online_link: place.online_link,
                address: place.address,
                directions,
                step_free,
                department,
                organiser,
                capacity,
                deadline,
                offer_hours,
                accessibility,
                questions,
                trained_peers_only: self.trained_peers_only,
                information_meeting: self.information_meeting,
            }),
            _ => Err(vec![(
                "title",
                Invalid::new("Le formulaire est incomplet : vérifiez chaque champ."),
            )]),
        }
    }

    /// The title, the descriptions, the audience and the organiser.
    fn texts(&self, problems: &mut Problems) -> Texts {
        Texts {
            title: take(problems, "title", required(&self.title, "le titre", 160)),
            description: take(
                problems,
                "description",
                paragraph(&self.description, "la description", 5000),
            ),
            description_easy: take(
                problems,
                "description_easy",
                paragraph(&self.description_easy, "la description facile à lire", 3000),
            ),
            audience: take(
                problems,
                "audience",
                required(&self.audience, "à qui s’adresse l’événement", 300),
            ),
            organiser: take(
                problems,
                "organiser",
                required(&self.organiser, "l’organisateur", 200),
            ),
        }
    }

    /// The start and the end, in Paris time: the end after the start, the
    /// start to come when `must_be_future`.
    fn times(
        &self,
        problems: &mut Problems,
        now: i64,
        must_be_future: bool,
    ) -> (Option<i64>, Option<i64>) {
        let date = take(problems, "date", parse_date(&self.date, "la date"));
        let start = take(
            problems,
            "start_time",
            parse_time(&self.start_time, "l’heure de début"),
        );
        let end = take(
            problems,
            "end_time",
            parse_time(&self.end_time, "l’heure de fin"),
        );
        let (Some(d), Some(s), Some(e)) = (date, start, end) else {
            return (None, None);
        };
        let starts_at = take(problems, "start_time", paris_timestamp(d, s));
        let ends_at = take(problems, "end_time", paris_timestamp(d, e));
        if let (Some(s), Some(e)) = (starts_at, ends_at)
            && e <= s
        {
            refuse(
                problems,
                "end_time",
                "L’heure de fin doit venir après l’heure de début.",
            );
        }
        if let Some(s) = starts_at
            && must_be_future
            && s <= now
        {
            refuse(
                problems,
                "date",
                "Cette date est passée : choisissez une date à venir.",
            );
        }
        (starts_at, ends_at)
    }

    /// Online with an https link, or on site with an address.
    fn place(&self, problems: &mut Problems) -> Place {
        let online = match self.mode.as_str() {
            "en-ligne" => Some(true),
            "sur-place" => Some(false),
            _ => take(
                problems,
                "mode",
                Err(Invalid::new(
                    "Choisissez si l’événement a lieu en ligne ou sur place.",
                )),
            ),
        };
        let mut online_link = None;
        let mut address = None;
        match online {
            Some(true) => {
                let link = self.online_link.trim();
                if link.is_empty() {
                    refuse(
                        problems,
                        "online_link",
                        "Saisissez le lien de la réunion en ligne (il commence par https://).",
                    );
                } else if !link.starts_with("https://") || link.contains(char::is_whitespace) {
                    refuse(
                        problems,
                        "online_link",
                        "Le lien de la réunion doit commencer par https:// et ne pas contenir d’espace.",
                    );
                } else {
                    online_link = take(problems, "online_link", required(link, "le lien", 500));
                }
            }
            Some(false) => {
                address = take(
                    problems,
                    "address",
                    required(&self.address, "l’adresse", 300),
                );
            }
            None => {}
        }
        Place {
            online,
            online_link,
            address,
        }
    }

    /// The number of seats, from 1 to [`MAX_CAPACITY`].
    fn capacity(&self, problems: &mut Problems) -> Option<i64> {
        match self.capacity.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
            _ => take(
                problems,
                "capacity",
                Err(Invalid::new(format!(
                    "Saisissez le nombre de places, un nombre entre 1 et {MAX_CAPACITY}."
                ))),
            ),
        }
    }

    /// The end of registrations: the start when left empty, 23:59 when only
    /// the day is given, never after the start.
    fn deadline(&self, problems: &mut Problems, starts_at: Option<i64>) -> Option<i64> {
        if self.deadline_date.trim().is_empty() {
            return starts_at;
        }
        let d = take(
            problems,
            "deadline_date",
            parse_date(&self.deadline_date, "la date limite d’inscription"),
        );
        let t = if self.deadline_time.trim().is_empty() {
            NaiveTime::from_hms_opt(23, 59, 0)
        } else {
            take(
                problems,
                "deadline_time",
                parse_time(&self.deadline_time, "l’heure limite"),
            )
        };
        let (Some(d), Some(t)) = (d, t) else {
            return None;
        };
        let v = take(problems, "deadline_date", paris_timestamp(d, t));
        if let (Some(v), Some(s)) = (v, starts_at)
            && v > s
        {
            refuse(
                problems,
                "deadline_date",
                "La date limite d’inscription doit venir avant le début de l’événement.",
            );
        }
        v
    }

    /// How long a freed seat is offered: empty (given at once) or 1 to 168
    /// hours.
    fn offer_hours(&self, problems: &mut Problems) -> Option<Option<i64>> {
        match self.offer_hours.trim() {
            "" => Some(None),
            h => match h.parse::<i64>() {
                Ok(n) if (1..=168).contains(&n) => Some(Some(n)),
                _ => take(
                    problems,
                    "offer_hours",
                    Err(Invalid::new(
                        "Saisissez un nombre d’heures entre 1 et 168, ou laissez vide pour donner la place tout de suite.",
                    )),
                ),
            },
        }
    }

    /// The accessibility offered, known codes only, each once, in order.
    fn accessibility(&self, problems: &mut Problems) -> Vec<Accessibility> {
        let mut accessibility = Vec::new();
        for code in &self.accessibility {
            match Accessibility::from_code(code) {
                Some(a) if !accessibility.contains(&a) => accessibility.push(a),
                Some(_) => {}
                None => refuse(
                    problems,
                    "accessibility",
                    "Une des adaptations cochées n’est pas connue : cochez-les à nouveau.",
                ),
            }
        }
        accessibility.sort();
        accessibility
    }

    /// The extra questions, one per line: [`MAX_QUESTIONS`] at most, 300
    /// characters each at most.
    fn questions(&self, problems: &mut Problems) -> Vec<String> {
        let questions: Vec<String> = self
            .questions
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if questions.len() > MAX_QUESTIONS {
            refuse(
                problems,
                "questions",
                format!(
                    "Posez {MAX_QUESTIONS} questions au plus (il y en a {}).",
                    questions.len()
                ),
            );
        } else if let Some(q) = questions.iter().find(|q| q.chars().count() > 300) {
            refuse(
                problems,
                "questions",
                format!(
                    "Raccourcissez la question « {} » : 300 caractères au plus.",
                    q.chars().take(40).collect::<String>()
                ),
            );
        }
        questions
    }
}

/// What a person registering typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationForm {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub needs: Vec<String>,
    pub needs_other: String,
    /// One answer per extra question, in order.
    pub answers: Vec<String>,
    pub consent: bool,
}

/// A checked registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub name: String,
    pub email: Email,
    pub phone: Option<String>,
    pub needs: Vec<Need>,
    pub needs_other: Option<String>,
    pub answers: Vec<String>,
}

/// A phone number as French people write it (« 06 12 34 56 78 »,
/// « +33 6 12 34 56 78 »), kept as typed once checked.
pub fn parse_phone(input: &str) -> Result<Option<String>, Invalid> {
    let value = input.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let allowed = value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'));
    let plausible = if value.starts_with('+') {
        (8..=15).contains(&digits)
    } else {
        digits == 10
    };
    if allowed && plausible {
        Ok(Some(value.to_owned()))
    } else {
        Err(Invalid::new(
            "Le numéro de téléphone n’est pas complet : 10 chiffres, par exemple 06 12 34 56 78 (ou +33 6 12 34 56 78).",
        ))
    }
}

impl RegistrationForm {
    /// `questions` are the event's extra questions (answers are optional).
    pub fn validate(&self, questions: &[String]) -> Result<NewRegistration, Problems> {
        let mut problems = Vec::new();
        let name = required(&self.name, "le nom et le prénom", 120)
            .map_err(|e| problems.push(("name", e)))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|e| problems.push(("email", e)))
            .ok();
        let phone = parse_phone(&self.phone)
            .map_err(|e| problems.push(("phone", e)))
            .ok()
            .flatten();
        let mut needs = Vec::new();
        for code in &self.needs {
            match Need::from_code(code) {
                Some(n) if !needs.contains(&n) => needs.push(n),
                Some(_) => {}
                None => problems.push((
                    "needs",
                    Invalid::new("Un des besoins cochés n’est pas connu : cochez-les à nouveau."),
                )),
            }
        }
        needs.sort();
        let needs_other = optional_paragraph(&self.needs_other, "vos autres besoins", 1000)
            .map_err(|e| problems.push(("needs_other", e)))
            .ok()
            .flatten();
        let mut answers = Vec::with_capacity(questions.len());
        for (i, _) in questions.iter().enumerate() {
            let a = self.answers.get(i).map(|a| a.trim()).unwrap_or_default();
            if a.chars().count() > 1000 {
                problems.push((
                    "answers",
                    Invalid::new("Raccourcissez votre réponse : 1 000 caractères au plus."),
                ));
            }
            answers.push(a.replace(['\r', '\n'], " "));
        }
        if !self.consent {
            problems.push((
                "consent",
                Invalid::new(
                    "Cochez la case pour accepter que l’organisateur garde ces informations pour l’événement.",
                ),
            ));
        }
        match (name, email) {
            (Some(name), Some(email)) if problems.is_empty() => Ok(NewRegistration {
                name,
                email,
                phone,
                needs,
                needs_other,
                answers,
            }),
            _ => Err(problems),
        }
    }
}

/// The version of the consent text shown on the registration form; stored
/// with each registration.
pub const CONSENT_VERSION: &str = "inscription-evenement-2026-11";

/// How many registered people (with a seat or waiting) ask for each need, in
/// the order of [`Need::ALL`], leaving out needs nobody asked for.
pub fn needs_summary<'a>(
    registrations: impl IntoIterator<Item = (Status, &'a [Need])>,
) -> Vec<(Need, usize)> {
    let mut counts = [0usize; Need::ALL.len()];
    for (status, needs) in registrations {
        if status.is_active() {
            for n in needs {
                if let Some(i) = Need::ALL.iter().position(|x| x == n) {
                    counts[i] += 1;
                }
            }
        }
    }
    Need::ALL
        .into_iter()
        .zip(counts)
        .filter(|(_, c)| *c > 0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> EventForm {
        EventForm {
            title: "Réunion d’information en ligne".into(),
            description: "Présentation du métier d’intervenant-pair.".into(),
            description_easy: "Nous parlons du métier d’intervenant-pair.".into(),
            audience: "Personnes en situation de handicap, professionnels".into(),
            date: "08/01/2027".into(),
            start_time: "11h30".into(),
            end_time: "12:30".into(),
            mode: "en-ligne".into(),
            online_link: "https://visio.example/reunion".into(),
            department: "31".into(),
            organiser: "Croix-Rouge française".into(),
            capacity: "30".into(),
            accessibility: vec!["lsf".into(), "sous-titrage".into()],
            questions: "Comment avez-vous connu EPoP ?\n\n".into(),
            ..Default::default()
        }
    }

    const NOW: i64 = 1_790_000_000; // September 2026

    #[test]
    fn a_valid_online_meeting_in_paris_time() {
        let e = form().validate(NOW, true).unwrap();
        // 8 January 2027, 11:30 in Paris (UTC+1) is 10:30 UTC.
        assert_eq!(e.starts_at, 1_799_404_200);
        assert_eq!(e.ends_at - e.starts_at, 3600);
        assert_eq!(e.deadline, e.starts_at);
        assert!(e.online);
        assert_eq!(e.questions, vec!["Comment avez-vous connu EPoP ?"]);
        assert_eq!(
            e.accessibility,
            vec![Accessibility::Lsf, Accessibility::Captions]
        );
        assert_eq!(e.offer_hours, None);
    }

    #[test]
    fn only_an_information_meeting_presents_a_training() {
        let f = EventForm {
            programme: "formation-des-intervenants-pairs".into(),
            ..form()
        };
        let problems = f.validate(NOW, true).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "programme");
        let meeting = EventForm {
            information_meeting: true,
            ..f
        };
        assert!(meeting.validate(NOW, true).is_ok());
    }

    #[test]
    fn summer_time_is_utc_plus_two() {
        let d = NaiveDate::from_ymd_opt(2027, 7, 2).unwrap();
        let t = NaiveTime::from_hms_opt(14, 0, 0).unwrap();
        let utc = chrono::Utc
            .with_ymd_and_hms(2027, 7, 2, 12, 0, 0)
            .unwrap()
            .timestamp();
        assert_eq!(paris_timestamp(d, t).unwrap(), utc);
        // 28 March 2027, 02:30 does not exist in Paris.
        let gap = NaiveDate::from_ymd_opt(2027, 3, 28).unwrap();
        assert!(paris_timestamp(gap, NaiveTime::from_hms_opt(2, 30, 0).unwrap()).is_err());
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let f = EventForm {
            mode: "en-ligne".into(),
            online_link: "http://pas-sur".into(),
            capacity: "0".into(),
            date: "31/02/2027".into(),
            start_time: "25h".into(),
            end_time: "10:00".into(),
            offer_hours: "900".into(),
            ..Default::default()
        };
        let fields: Vec<&str> = f
            .validate(NOW, true)
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        for expected in [
            "title",
            "description",
            "description_easy",
            "audience",
            "organiser",
            "date",
            "start_time",
            "online_link",
            "capacity",
            "offer_hours",
        ] {
            assert!(
                fields.contains(&expected),
                "{expected} missing in {fields:?}"
            );
        }
    }

    #[test]
    fn end_before_start_past_dates_and_late_deadlines_are_refused() {
        let mut f = form();
        f.end_time = "11:00".into();
        let p = f.validate(NOW, true).unwrap_err();
        assert_eq!(p[0].0, "end_time");
        let mut f = form();
        f.date = "01/01/2020".into();
        assert_eq!(f.validate(NOW, true).unwrap_err()[0].0, "date");
        assert!(
            f.validate(NOW, false).is_ok(),
            "an edit may keep a past date"
        );
        let mut f = form();
        f.deadline_date = "09/01/2027".into();
        assert_eq!(f.validate(NOW, true).unwrap_err()[0].0, "deadline_date");
        f.deadline_date = "06/01/2027".into();
        let e = f.validate(NOW, true).unwrap();
        assert!(e.deadline < e.starts_at);
    }

    #[test]
    fn on_site_needs_an_address_and_step_free_follows_the_offer() {
        let mut f = form();
        f.mode = "sur-place".into();
        assert_eq!(f.validate(NOW, true).unwrap_err()[0].0, "address");
        f.address = "12 rue des Lilas, 31000 Toulouse".into();
        f.accessibility.push("plain-pied".into());
        let e = f.validate(NOW, true).unwrap();
        assert!(e.step_free);
        assert_eq!(e.online_link, None);
    }

    #[test]
    fn times_as_people_write_them() {
        let t = NaiveTime::from_hms_opt(11, 30, 0).unwrap();
        for s in ["11:30", "11h30", "11 h 30", " 11H30 "] {
            assert_eq!(parse_time(s, "l’heure").unwrap(), t, "{s}");
        }
        assert_eq!(
            parse_time("9h", "l’heure").unwrap(),
            NaiveTime::from_hms_opt(9, 0, 0).unwrap()
        );
        for s in ["", "h30", "24:00", "11:60", "onze heures"] {
            assert!(parse_time(s, "l’heure").is_err(), "{s}");
        }
    }

    #[test]
    fn registration_checks() {
        let ok = RegistrationForm {
            name: "Awa Diallo".into(),
            email: "awa@example.org".into(),
            phone: "06 12 34 56 78".into(),
            needs: vec!["lsf".into(), "lsf".into(), "accompagnant".into()],
            answers: vec!["Par une amie\nau travail".into()],
            consent: true,
            ..Default::default()
        };
        let r = ok.validate(&["Comment ?".into()]).unwrap();
        assert_eq!(r.needs, vec![Need::Lsf, Need::Companion]);
        assert_eq!(r.answers, vec!["Par une amie au travail"]);
        let bad = RegistrationForm {
            phone: "06 12".into(),
            needs: vec!["inconnu".into()],
            ..Default::default()
        };
        let fields: Vec<&str> = bad
            .validate(&[])
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["name", "email", "phone", "needs", "consent"]);
        assert_eq!(
            parse_phone("+33 6 12 34 56 78").unwrap().as_deref(),
            Some("+33 6 12 34 56 78")
        );
        assert!(parse_phone("06 12 34 56 78 90").is_err());
    }

    #[test]
    fn seats_waiting_list_and_reminders() {
        assert_eq!(status_for_new(30, 29), Status::Confirmed);
        assert_eq!(status_for_new(30, 30), Status::Waiting);
        assert_eq!(seats_left(30, 31), 0);
        assert!(Status::Offered.holds_seat() && !Status::Waiting.holds_seat());
        let start = 1_000_000;
        assert!(!reminder_due(start, 0, start - REMINDER_BEFORE - 1));
        assert!(reminder_due(start, 0, start - REMINDER_BEFORE));
        assert!(
            !reminder_due(start, start - 3600, start - 1800),
            "registered within the last day"
        );
        assert!(!reminder_due(start, 0, start), "already started");
        assert!(registration_open(100, 200, 100));
        assert!(!registration_open(100, 200, 101));
    }

    #[test]
    fn needs_are_summed_over_active_registrations() {
        let a = [Need::Lsf, Need::StepFree];
        let b = [Need::Lsf];
        let c = [Need::Captions];
        let s = needs_summary([
            (Status::Confirmed, &a[..]),
            (Status::Waiting, &b[..]),
            (Status::Cancelled, &c[..]),
        ]);
        assert_eq!(s, vec![(Need::Lsf, 2), (Need::StepFree, 1)]);
    }

    #[test]
    fn who_manages_events() {
        let mut coordinator = Principal {
            account_id: 1,
            ..Default::default()
        };
        coordinator.roles.insert(Role::Coordinator);
        coordinator.coordinated_departments.insert("31".into());
        assert!(coordinator.may_manage_event(Some("31")));
        assert!(!coordinator.may_manage_event(Some("33")));
        assert!(!coordinator.may_manage_event(None));
        assert!(coordinator.may_create_events() && coordinator.may_register_others());
        let mut peer = Principal::default();
        peer.roles.insert(Role::Peer);
        assert!(!peer.may_create_events() && !peer.may_register_others());
        let mut admin = Principal::default();
        admin.roles.insert(Role::Admin);
        assert!(admin.may_manage_event(None));
    }
}
