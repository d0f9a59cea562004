//! The rules of time on an intervention: it is scheduled in the future, ends
//! after it starts, and is noted as done only once it is over. Pure
//! functions taking `now` (Unix seconds); days and hours are read in Paris.

use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use chrono_tz::Europe::Paris;

use crate::Invalid;

/// The days of the week, from Monday.
pub const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
/// The months as French people write them.
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// « mardi 9 mars 2027 », « lundi 1er mars 2027 ».
pub fn day_in_words(d: NaiveDate) -> String {
    let day = match d.day() {
        1 => "1er".to_owned(),
        n => n.to_string(),
    };
    format!(
        "{} {day} {} {}",
        WEEKDAYS[d.weekday().num_days_from_monday() as usize],
        MONTHS[d.month0() as usize],
        d.year()
    )
}

/// « mardi 9 mars 2027 à 12 h », « … à 9 h 30 » (Paris time).
pub fn moment_in_words(ts: i64) -> String {
    let Some(t) = Paris.timestamp_opt(ts, 0).single() else {
        return String::new();
    };
    let hour = match t.minute() {
        0 => format!("{} h", t.hour()),
        m => format!("{} h {m:02}", t.hour()),
    };
    format!("{} à {hour}", day_in_words(t.date_naive()))
}

/// The first moment of the day after `day` in Paris: when a day is over.
fn end_of_day(day: NaiveDate) -> Option<i64> {
    let next = day.succ_opt()?;
    Paris
        .from_local_datetime(&next.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.timestamp())
}

/// Whether « l’intervention a eu lieu » may be noted at `now`: once the
/// scheduled end has passed or, without a schedule, once the last requested
/// day is over. Without either, nothing says it cannot be true.
pub fn may_mark_done(
    scheduled_end: Option<i64>,
    requested_day: Option<NaiveDate>,
    now: i64,
) -> Result<(), Invalid> {
    let (from, when) = match (scheduled_end, requested_day) {
        (Some(end), _) => (
            end,
            format!("après la fin prévue : {}", moment_in_words(end)),
        ),
        (None, Some(day)) => match end_of_day(day) {
            Some(end) => (
                end,
                format!("après la date demandée : {}", day_in_words(day)),
            ),
            None => return Ok(()),
        },
        (None, None) => return Ok(()),
    };
    if now < from {
        return Err(Invalid::new(format!(
            "L’intervention n’a pas encore eu lieu. Vous pourrez le noter {when}."
        )));
    }
    Ok(())
}

/// Which end of a schedule a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// Checks a schedule typed at `now`: it starts in the future and ends after
/// it starts; otherwise the end it is wrong about, and why.
pub fn check_schedule(start: i64, end: i64, now: i64) -> Result<(), (Edge, Invalid)> {
    if start < now {
        return Err((
            Edge::Start,
            Invalid::new(
                "L’intervention ne peut pas commencer dans le passé : choisissez une date et une heure à venir.",
            ),
        ));
    }
    if end <= start {
        return Err((
            Edge::End,
            Invalid::new("L’heure de fin doit venir après l’heure de début."),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(y: i32, m: u32, d: u32, h: u32) -> i64 {
        Paris
            .with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .unwrap()
            .timestamp()
    }

    #[test]
    fn done_only_after_the_scheduled_end() {
        let end = paris(2027, 3, 9, 12);
        let refused = may_mark_done(Some(end), None, end - 1).unwrap_err();
        assert_eq!(
            refused.0,
            "L’intervention n’a pas encore eu lieu. Vous pourrez le noter après la fin prévue : mardi 9 mars 2027 à 12 h."
        );
        assert!(may_mark_done(Some(end), None, end).is_ok());
    }

    #[test]
    fn without_a_schedule_done_after_the_requested_day() {
        let day = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
        let refused = may_mark_done(None, Some(day), paris(2027, 3, 1, 23)).unwrap_err();
        assert!(
            refused
                .0
                .ends_with("après la date demandée : lundi 1er mars 2027."),
            "{}",
            refused.0
        );
        assert!(may_mark_done(None, Some(day), paris(2027, 3, 2, 0)).is_ok());
        assert!(may_mark_done(None, None, 0).is_ok());
    }

    #[test]
    fn a_schedule_starts_in_the_future_and_ends_after_it_starts() {
        let now = paris(2026, 12, 3, 10);
        let start = paris(2027, 3, 9, 9);
        assert!(check_schedule(start, start + 3600, now).is_ok());
        assert_eq!(
            check_schedule(now - 60, now + 3600, now).unwrap_err().0,
            Edge::Start
        );
        assert_eq!(check_schedule(start, start, now).unwrap_err().0, Edge::End);
    }
}
