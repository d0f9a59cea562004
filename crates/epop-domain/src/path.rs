//! What comes next on a trained person's accompaniment (2 to 3 years after
//! their training): by when each milestone is expected, which ones are late,
//! and the next one. The delays are counted from the end of the training: a
//! first intervention and a first practice-analysis group within 6 months, a
//! first co-animation of a training and the one-year review within a year,
//! the two-year review at 2 years, the end of the accompaniment at 3 years.

use chrono::{Months, NaiveDate};

use crate::Invalid;
use crate::schedule::day_in_words;
use crate::training::Milestone;

/// A milestone is noted once it happened: never at a day to come.
pub fn reached_on(date: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Invalid> {
    if date > today {
        Err(Invalid::new(format!(
            "Le {} n’est pas encore passé : notez l’étape une fois qu’elle a eu lieu, à sa date.",
            day_in_words(date)
        )))
    } else {
        Ok(date)
    }
}

impl Milestone {
    /// Months after the end of the training by which it is expected.
    pub fn due_months(self) -> u32 {
        match self {
            Milestone::FirstIntervention | Milestone::PracticeGroup => 6,
            Milestone::FirstCoTraining | Milestone::ReviewOneYear => 12,
            Milestone::ReviewTwoYears => 24,
            Milestone::End => 36,
        }
    }

    /// The day by which it is expected, for a training completed on `trained_on`.
    pub fn due_on(self, trained_on: NaiveDate) -> NaiveDate {
        trained_on
            .checked_add_months(Months::new(self.due_months()))
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A milestone not reached yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub milestone: Milestone,
    pub due_on: NaiveDate,
    /// Its day is past.
    pub late: bool,
}

/// The milestones not reached yet, the soonest due first (late ones come
/// first, being the oldest). Empty once the accompaniment has ended.
pub fn to_come(trained_on: NaiveDate, reached: &[Milestone], today: NaiveDate) -> Vec<Due> {
    if reached.contains(&Milestone::End) {
        return Vec::new();
    }
    let mut due: Vec<Due> = Milestone::ALL
        .into_iter()
        .filter(|m| !reached.contains(m))
        .map(|milestone| {
            let due_on = milestone.due_on(trained_on);
            Due {
                milestone,
                due_on,
                late: due_on < today,
            }
        })
        .collect();
    due.sort_by_key(|d| d.due_on);
    due
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn milestones_are_due_from_the_end_of_the_training() {
        let trained = day(2026, 8, 31);
        assert_eq!(
            Milestone::FirstIntervention.due_on(trained),
            day(2027, 2, 28)
        );
        assert_eq!(Milestone::ReviewOneYear.due_on(trained), day(2027, 8, 31));
        assert_eq!(Milestone::End.due_on(trained), day(2029, 8, 31));
    }

    #[test]
    fn a_milestone_is_never_reached_in_the_future() {
        let today = day(2026, 12, 3);
        assert_eq!(reached_on(today, today), Ok(today));
        let e = reached_on(day(2027, 2, 3), today).unwrap_err();
        assert!(
            e.0.contains("mercredi 3 février 2027 n’est pas encore passé"),
            "{}",
            e.0
        );
    }

    #[test]
    fn late_ones_first_reached_ones_gone() {
        let trained = day(2026, 1, 15);
        let today = day(2026, 9, 1);
        let due = to_come(trained, &[Milestone::PracticeGroup], today);
        let summary: Vec<(Milestone, bool)> = due.iter().map(|d| (d.milestone, d.late)).collect();
        assert_eq!(
            summary,
            [
                (Milestone::FirstIntervention, true),
                (Milestone::FirstCoTraining, false),
                (Milestone::ReviewOneYear, false),
                (Milestone::ReviewTwoYears, false),
                (Milestone::End, false),
            ]
        );
        // The day itself is not late yet.
        let on_the_day = to_come(trained, &[], day(2026, 7, 15));
        assert!(on_the_day.iter().all(|d| !d.late), "{on_the_day:?}");
        assert!(to_come(trained, &[Milestone::End], today).is_empty());
    }
}
