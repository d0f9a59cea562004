//! Who is asked to answer a questionnaire, about what, and when — the rules
//! the worker follows, without any I/O.
//!
//! - After an **intervention** that took place: the host's contact and the
//!   peer worker who accepted it; the audience too, through one link the
//!   host passes on (no e-mail, so no reminder).
//! - After a **training session**: each trainee who attended at least one
//!   half-day, at the end ([`Purpose::TrainingEnd`]) and again six months
//!   later ([`Purpose::TrainingLater`]); for a référent training, the
//!   référent's employer too.
//! - After an **event**: each participant whose attendance was recorded.
//!
//! The invitation goes the morning after the end ([`first_send_at`]), only
//! while the end is recent ([`SEND_WITHIN`]: switching the feature on never
//! writes to people about last year), and one reminder follows
//! [`REMINDER_AFTER`] later if the person has not answered — never a second
//! one, never after an answer. Nothing is sent for a purpose without a
//! current questionnaire (the caller asks for none).

use chrono::{DateTime, Months, NaiveTime, TimeZone};
use chrono_tz::Europe::Paris;

use super::Purpose;

/// The hour (Paris time) invitations leave, the morning after the end.
pub const SEND_HOUR: u32 = 9;
/// One reminder this long after the invitation, if still unanswered.
pub const REMINDER_AFTER: i64 = 7 * 24 * 3600;
/// What ended longer ago than this (past its sending time) is not asked
/// about any more.
pub const SEND_WITHIN: i64 = 30 * 24 * 3600;
/// The later questionnaire after a training, in months.
pub const LATER_MONTHS: u32 = 6;

/// What a questionnaire is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Intervention,
    Training,
    Event,
}

impl SubjectKind {
    /// The code stored in `questionnaire_invitations.subject_kind`.
    pub fn code(self) -> &'static str {
        match self {
            SubjectKind::Intervention => "intervention",
            SubjectKind::Training => "training",
            SubjectKind::Event => "event",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            SubjectKind::Intervention,
            SubjectKind::Training,
            SubjectKind::Event,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }
}

/// Who answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Respondent {
    Host,
    Peer,
    Audience,
    Trainee,
    Employer,
    Participant,
}

impl Respondent {
    pub const ALL: [Respondent; 6] = [
        Respondent::Host,
        Respondent::Peer,
        Respondent::Audience,
        Respondent::Trainee,
        Respondent::Employer,
        Respondent::Participant,
    ];

    /// The code stored in `questionnaire_invitations.respondent`.
    pub fn code(self) -> &'static str {
        match self {
            Respondent::Host => "host",
            Respondent::Peer => "peer",
            Respondent::Audience => "audience",
            Respondent::Trainee => "trainee",
            Respondent::Employer => "employer",
            Respondent::Participant => "participant",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this respondent gets a personal e-mail (and so a reminder);
    /// the audience answers through a link the host passes on.
    pub fn is_emailed(self) -> bool {
        self != Respondent::Audience
    }
}

/// The facts about one person that decide whether they are asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Concerned {
    /// The contact of the organisation that hosted the intervention.
    HostContact,
    /// The peer worker whose proposal was accepted.
    AcceptedPeer,
    /// A trainee, with the number of half-days they were marked present.
    Trainee { present_half_days: u32 },
    /// A member of the organisation employing a référent who attended a
    /// référent training.
    ReferentEmployer,
    /// Someone registered to an event, and whether they attended (`None`:
    /// attendance not recorded).
    Registered { attended: Option<bool> },
}

/// The respondent this person is asked as, or `None` when they are not
/// asked (absent, attendance not recorded).
pub fn asked_as(who: Concerned) -> Option<Respondent> {
    match who {
        Concerned::HostContact => Some(Respondent::Host),
        Concerned::AcceptedPeer => Some(Respondent::Peer),
        Concerned::Trainee { present_half_days } if present_half_days > 0 => {
            Some(Respondent::Trainee)
        }
        Concerned::Trainee { .. } => None,
        Concerned::ReferentEmployer => Some(Respondent::Employer),
        Concerned::Registered {
            attended: Some(true),
        } => Some(Respondent::Participant),
        Concerned::Registered { .. } => None,
    }
}

/// The subject a purpose is about.
pub fn subject_of(purpose: Purpose) -> SubjectKind {
    match purpose {
        Purpose::Intervention => SubjectKind::Intervention,
        Purpose::TrainingEnd | Purpose::TrainingLater => SubjectKind::Training,
        Purpose::Event => SubjectKind::Event,
    }
}

/// When the questionnaire of `purpose` about something that ended at `end`
/// is sent: 9 o’clock (Paris) the morning after the end, or after the same
/// day six months later for [`Purpose::TrainingLater`].
pub fn first_send_at(purpose: Purpose, end: i64) -> i64 {
    let ended = Paris.from_utc_datetime(
        &DateTime::from_timestamp(end, 0)
            .unwrap_or_default()
            .naive_utc(),
    );
    let mut day = ended.date_naive() + chrono::Days::new(1);
    if purpose == Purpose::TrainingLater {
        day = day
            .checked_add_months(Months::new(LATER_MONTHS))
            .unwrap_or(day);
    }
    let at = day.and_time(NaiveTime::from_hms_opt(SEND_HOUR, 0, 0).unwrap_or_default());
    Paris
        .from_local_datetime(&at)
        .earliest()
        .map(|t| t.timestamp())
        // A 9 o’clock that does not exist (never in France): an hour later.
        .unwrap_or_else(|| at.and_utc().timestamp() + 3600)
}

/// Whether the questionnaire of `purpose` about something that ended at
/// `end` is due at `now`: its sending time has come and is less than
/// [`SEND_WITHIN`] old.
pub fn is_due(purpose: Purpose, end: i64, now: i64) -> bool {
    let at = first_send_at(purpose, end);
    at <= now && now < at + SEND_WITHIN
}

/// The ends (from, to, both included) whose questionnaire of `purpose` may
/// be due at `now`: a range for the query to find candidates, each then
/// checked with [`is_due`]. It is a little wider than exact (a day on each
/// side) so that no due end falls outside it.
pub fn ends_to_look_at(purpose: Purpose, now: i64) -> (i64, i64) {
    const DAY: i64 = 24 * 3600;
    let shift = match purpose {
        Purpose::TrainingLater => {
            let t = DateTime::from_timestamp(now, 0).unwrap_or_default();
            let back = t
                .checked_sub_months(Months::new(LATER_MONTHS))
                .unwrap_or(t)
                .timestamp();
            now - back
        }
        _ => 0,
    };
    // The morning after is at least 8 hours after the end (23:59 and a
    // change of hour that night).
    (now - shift - SEND_WITHIN - 2 * DAY, now - shift - 8 * 3600)
}

/// Whether an invitation sent at `sent_at` gets its one reminder at `now`:
/// [`REMINDER_AFTER`] later, unanswered, not reminded yet, and not more than
/// [`SEND_WITHIN`] late (a worker stopped for weeks does not remind people of
/// something long past).
pub fn reminder_due(
    sent_at: Option<i64>,
    reminded_at: Option<i64>,
    answered_at: Option<i64>,
    now: i64,
) -> bool {
    match (sent_at, reminded_at, answered_at) {
        (Some(sent), None, None) => {
            now >= sent + REMINDER_AFTER && now < sent + REMINDER_AFTER + SEND_WITHIN
        }
        _ => false,
    }
}

/// The invitations sent in this range (both included) may get their
/// reminder at `now`, each then checked with [`reminder_due`].
pub fn sent_to_remind(now: i64) -> (i64, i64) {
    (now - REMINDER_AFTER - SEND_WITHIN + 1, now - REMINDER_AFTER)
}

/// About how many minutes answering `questions` questions takes (one
/// question per page; at least 2 minutes), said in the e-mail.
pub fn minutes_to_answer(questions: usize) -> u32 {
    let q = u32::try_from(questions).unwrap_or(u32::MAX);
    q.div_ceil(2).max(2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// Unix seconds of a Paris wall-clock time.
    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        Paris
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .timestamp()
    }

    #[test]
    fn the_invitation_leaves_at_nine_the_morning_after_the_end() {
        // Thursday 10 December 2026, 16:30 in Paris.
        let end = paris(2026, 12, 10, 16, 30);
        let weekday = Paris.timestamp_opt(end, 0).unwrap().weekday();
        assert_eq!(weekday, chrono::Weekday::Thu);
        let at = first_send_at(Purpose::Intervention, end);
        assert_eq!(at, paris(2026, 12, 11, 9, 0));
        assert!(!is_due(Purpose::Intervention, end, end + 3600));
        assert!(!is_due(Purpose::Intervention, end, at - 1));
        assert!(is_due(Purpose::Intervention, end, at));
        assert!(is_due(Purpose::Intervention, end, at + SEND_WITHIN - 1));
        assert!(
            !is_due(Purpose::Intervention, end, at + SEND_WITHIN),
            "too old: never asked"
        );
        // Late in the evening: the next morning.
        let late = paris(2026, 7, 3, 23, 30);
        assert_eq!(first_send_at(Purpose::Event, late), paris(2026, 7, 4, 9, 0));
        // Just after midnight in Paris (still the day before in UTC).
        let night = paris(2026, 7, 4, 0, 30);
        assert_eq!(
            first_send_at(Purpose::TrainingEnd, night),
            paris(2026, 7, 5, 9, 0)
        );
    }

    #[test]
    fn six_months_later_is_the_same_morning_six_months_on() {
        let end = paris(2026, 6, 12, 17, 0);
        assert_eq!(
            first_send_at(Purpose::TrainingLater, end),
            paris(2026, 12, 13, 9, 0)
        );
        assert!(!is_due(
            Purpose::TrainingLater,
            end,
            paris(2026, 12, 13, 8, 59)
        ));
        assert!(is_due(
            Purpose::TrainingLater,
            end,
            paris(2026, 12, 13, 9, 0)
        ));
        // 30 August + 1 day + 6 months: 28 February (no 31 February).
        let end = paris(2026, 8, 30, 12, 0);
        assert_eq!(
            first_send_at(Purpose::TrainingLater, end),
            paris(2027, 2, 28, 9, 0)
        );
    }

    #[test]
    fn the_range_looked_at_holds_every_due_end() {
        for purpose in Purpose::ALL {
            let now = paris(2026, 12, 3, 10, 0);
            let (from, to) = ends_to_look_at(purpose, now);
            // Every end, hour by hour over a year, that is due lies in it.
            let mut end = now - 400 * 24 * 3600;
            let mut due = 0;
            while end <= now {
                if is_due(purpose, end, now) {
                    due += 1;
                    assert!(from <= end && end <= to, "{purpose:?} {end}");
                }
                end += 3600;
            }
            assert!(due > 24 * 25, "{purpose:?}: {due}");
        }
    }

    #[test]
    fn one_reminder_after_seven_days_never_after_an_answer() {
        let sent = paris(2026, 12, 11, 9, 0);
        assert!(!reminder_due(None, None, None, sent + REMINDER_AFTER));
        assert!(!reminder_due(
            Some(sent),
            None,
            None,
            sent + REMINDER_AFTER - 1
        ));
        assert!(reminder_due(Some(sent), None, None, sent + REMINDER_AFTER));
        assert!(
            !reminder_due(
                Some(sent),
                Some(sent + REMINDER_AFTER),
                None,
                sent + 30 * 86_400
            ),
            "never a second one"
        );
        assert!(
            !reminder_due(Some(sent), None, Some(sent + 60), sent + REMINDER_AFTER),
            "answered"
        );
        assert!(
            !reminder_due(Some(sent), None, None, sent + REMINDER_AFTER + SEND_WITHIN),
            "too late"
        );
        let now = sent + 10 * 86_400;
        let (from, to) = sent_to_remind(now);
        for s in [from, to] {
            assert!(reminder_due(Some(s), None, None, now));
        }
        for s in [from - 1, to + 1] {
            assert!(!reminder_due(Some(s), None, None, now));
        }
    }

    #[test]
    fn who_is_asked() {
        assert_eq!(asked_as(Concerned::HostContact), Some(Respondent::Host));
        assert_eq!(asked_as(Concerned::AcceptedPeer), Some(Respondent::Peer));
        assert_eq!(
            asked_as(Concerned::Trainee {
                present_half_days: 1
            }),
            Some(Respondent::Trainee)
        );
        assert_eq!(
            asked_as(Concerned::Trainee {
                present_half_days: 0
            }),
            None
        );
        assert_eq!(
            asked_as(Concerned::ReferentEmployer),
            Some(Respondent::Employer)
        );
        assert_eq!(
            asked_as(Concerned::Registered {
                attended: Some(true)
            }),
            Some(Respondent::Participant)
        );
        for attended in [Some(false), None] {
            assert_eq!(asked_as(Concerned::Registered { attended }), None);
        }
        for r in Respondent::ALL {
            assert_eq!(Respondent::from_code(r.code()), Some(r));
            assert_eq!(r.is_emailed(), r != Respondent::Audience);
        }
        assert_eq!(subject_of(Purpose::TrainingLater), SubjectKind::Training);
        assert_eq!(
            SubjectKind::from_code(subject_of(Purpose::Event).code()),
            Some(SubjectKind::Event)
        );
    }

    #[test]
    fn answering_takes_a_few_minutes() {
        assert_eq!(minutes_to_answer(0), 2);
        assert_eq!(minutes_to_answer(3), 2);
        assert_eq!(minutes_to_answer(5), 3);
        assert_eq!(minutes_to_answer(12), 6);
    }
}
