//! iCalendar files (RFC 5545) that calendar applications import: one event
//! attached to an e-mail, or a list of them. Times are written in UTC (`…Z`),
//! which every client reads right; the calendar names Europe/Paris as the zone
//! to show them in. Text values are escaped and lines folded at 75 octets by
//! the `icalendar` crate; lines end with CRLF.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

/// One event as a calendar application needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcsEvent<'a> {
    /// Stable across updates, e.g. `evenement-reunion-9-janvier@epop`: a new
    /// file with the same UID updates the event in the person's calendar.
    pub uid: &'a str,
    pub title: &'a str,
    /// Plain text; may contain newlines, commas and semicolons.
    pub description: &'a str,
    /// Unix seconds, UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    /// An address, or e.g. « En ligne ».
    pub location: Option<&'a str>,
    /// The event page.
    pub url: &'a str,
    /// `STATUS:CANCELLED` when true, `CONFIRMED` otherwise.
    pub cancelled: bool,
    /// Written as `DTSTAMP` and `LAST-MODIFIED`.
    pub updated_at: i64,
}

/// The media type of the files [`calendar`] writes, for e-mail attachments.
pub const MEDIA_TYPE: &str = "text/calendar; charset=utf-8; method=PUBLISH";

/// A VCALENDAR (PUBLISH) holding the events, CRLF line ends, lines folded.
pub fn calendar(name: &str, events: &[IcsEvent<'_>]) -> String {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//EPoP//Evenements//FR"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", "PUBLISH"))
        .name(&one_line(name))
        .append_property(Property::new("X-WR-TIMEZONE", "Europe/Paris"));
    for e in events {
        let mut event = icalendar::Event::with_uid(e.uid);
        event
            .timestamp(utc(e.updated_at))
            .last_modified(utc(e.updated_at))
            .starts(utc(e.starts_at))
            .ends(utc(e.ends_at))
            .summary(&one_line(e.title))
            .description(&plain_newlines(e.description))
            .url(e.url)
            .status(if e.cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        if let Some(location) = e.location {
            event.location(&one_line(location));
        }
        cal.push(event.done());
    }
    cal.to_string()
}

fn utc(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

/// Only `\n` is escaped as a line break; a stray `\r` would end the line.
fn plain_newlines(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Titles, names and places are one line.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|part| !part.trim().is_empty())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeZone};
    use chrono_tz::Europe::Paris;
    use icalendar::{CalendarComponent, CalendarDateTime, DatePerhapsTime};

    fn paris(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        let local = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap();
        Paris
            .from_local_datetime(&local)
            .single()
            .unwrap()
            .timestamp()
    }

    fn meeting() -> IcsEvent<'static> {
        IcsEvent {
            uid: "evenement-reunion-9-janvier@epop",
            title: "Réunion d'information en ligne",
            description: "Présentation de la plateforme.\nOrdre du jour : accueil, questions; fin.",
            starts_at: paris(2026, 1, 9, 11, 30),
            ends_at: paris(2026, 1, 9, 12, 30),
            location: Some("En ligne"),
            url: "https://epop.example/evenements/reunion-9-janvier",
            cancelled: false,
            updated_at: paris(2025, 12, 1, 9, 0),
        }
    }

    fn parse(text: &str) -> icalendar::Calendar {
        text.parse::<icalendar::Calendar>()
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    fn events(cal: &icalendar::Calendar) -> Vec<&icalendar::Event> {
        cal.components
            .iter()
            .filter_map(CalendarComponent::as_event)
            .collect()
    }

    fn utc_of(dt: DatePerhapsTime) -> DateTime<Utc> {
        match dt {
            DatePerhapsTime::DateTime(CalendarDateTime::Utc(t)) => t,
            other => panic!("not a UTC time: {other:?}"),
        }
    }

    #[test]
    fn a_winter_meeting_is_written_in_utc_and_reads_back_at_its_paris_time() {
        let text = calendar("EPoP — Réunion", &[meeting()]);
        assert!(text.contains("DTSTART:20260109T103000Z\r\n"), "{text}");
        assert!(text.contains("DTEND:20260109T113000Z\r\n"), "{text}");
        let cal = parse(&text);
        assert_eq!(cal.property_value("METHOD"), Some("PUBLISH"));
        assert_eq!(cal.property_value("X-WR-CALNAME"), Some("EPoP — Réunion"));
        assert_eq!(cal.property_value("X-WR-TIMEZONE"), Some("Europe/Paris"));
        assert!(cal.property_value("PRODID").unwrap().contains("EPoP"));
        let evs = events(&cal);
        assert_eq!(evs.len(), 1);
        let e = evs[0];
        assert_eq!(e.get_summary(), Some("Réunion d'information en ligne"));
        assert_eq!(e.get_location(), Some("En ligne"));
        assert_eq!(
            e.get_url(),
            Some("https://epop.example/evenements/reunion-9-janvier")
        );
        assert_eq!(e.get_status(), Some(EventStatus::Confirmed));
        let start = utc_of(e.get_start().unwrap());
        assert_eq!(start.to_rfc3339(), "2026-01-09T10:30:00+00:00");
        let local = start.with_timezone(&Paris);
        assert_eq!(
            local.format("%Y-%m-%d %H:%M").to_string(),
            "2026-01-09 11:30"
        );
        assert_eq!(
            utc_of(e.get_end().unwrap())
                .with_timezone(&Paris)
                .format("%H:%M")
                .to_string(),
            "12:30"
        );
        assert_eq!(e.get_timestamp().unwrap().timestamp(), meeting().updated_at);
        assert_eq!(
            e.get_last_modified().unwrap().timestamp(),
            meeting().updated_at
        );
    }

    #[test]
    fn a_summer_event_is_two_hours_behind_in_utc() {
        let event = IcsEvent {
            starts_at: paris(2026, 7, 3, 14, 0),
            ends_at: paris(2026, 7, 3, 16, 0),
            ..meeting()
        };
        let text = calendar("EPoP", &[event]);
        assert!(text.contains("DTSTART:20260703T120000Z\r\n"), "{text}");
        let cal = parse(&text);
        let start = utc_of(events(&cal)[0].get_start().unwrap());
        assert_eq!(
            start
                .with_timezone(&Paris)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            "2026-07-03 14:00"
        );
    }

    #[test]
    fn description_with_newlines_commas_and_semicolons_survives() {
        let description =
            "Bonjour,\r\nvenez nombreux; apportez : un stylo, un carnet.\nÀ bientôt\\ l'équipe";
        let event = IcsEvent {
            description,
            ..meeting()
        };
        let text = calendar("EPoP", &[event]);
        assert!(
            text.contains(r"Bonjour\,\nvenez nombreux\; apportez"),
            "{text}"
        );
        let cal = parse(&text);
        assert_eq!(
            events(&cal)[0].get_description(),
            Some("Bonjour,\nvenez nombreux; apportez : un stylo, un carnet.\nÀ bientôt\\ l'équipe")
        );
    }

    #[test]
    fn long_lines_are_folded_at_75_octets_and_lines_end_with_crlf() {
        let description =
            "Déroulé : accueil des participantes et participants, présentation ; échanges. "
                .repeat(12);
        let event = IcsEvent {
            description: &description,
            ..meeting()
        };
        let text = calendar("EPoP", &[event]);
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
        let lines: Vec<&str> = text.split_terminator("\r\n").collect();
        assert!(lines.iter().any(|l| l.starts_with(' ')), "folded");
        for line in &lines {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let cal = parse(&text);
        assert_eq!(
            events(&cal)[0].get_description(),
            Some(description.as_str())
        );
    }

    #[test]
    fn a_cancelled_event_says_so() {
        let event = IcsEvent {
            cancelled: true,
            ..meeting()
        };
        let text = calendar("EPoP", &[event]);
        assert!(text.contains("STATUS:CANCELLED\r\n"));
        let cal = parse(&text);
        assert_eq!(events(&cal)[0].get_status(), Some(EventStatus::Cancelled));
    }

    #[test]
    fn two_events_give_two_vevents_with_their_uids() {
        let second = IcsEvent {
            uid: "evenement-atelier-3-juillet@epop",
            title: "Atelier",
            location: None,
            starts_at: paris(2026, 7, 3, 14, 0),
            ends_at: paris(2026, 7, 3, 16, 0),
            ..meeting()
        };
        let text = calendar("EPoP", &[meeting(), second]);
        assert_eq!(text.matches("BEGIN:VEVENT\r\n").count(), 2);
        let cal = parse(&text);
        let uids: Vec<_> = events(&cal).iter().map(|e| e.get_uid()).collect();
        assert_eq!(
            uids,
            [
                Some("evenement-reunion-9-janvier@epop"),
                Some("evenement-atelier-3-juillet@epop")
            ]
        );
        assert_eq!(events(&cal)[1].get_location(), None);
    }

    #[test]
    fn an_empty_calendar_is_still_valid() {
        let text = calendar("EPoP", &[]);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(events(&parse(&text)).is_empty());
    }
}
