//! French ways of writing dates and times (Paris time): « vendredi 8 janvier
//! 2027 », « 1er mars 2026 », « 11 h 30 », counts with their plural
//! (« 3 comptes ») and the elision before a name (« Ce qu’Awa propose »),
//! shared by every feature's pages, e-mails and documents.

use chrono::{TimeZone, Timelike};
use chrono_tz::Europe::Paris;
use epop_domain::schedule::{day_in_words, moment_in_words};

/// The months as French people write them (the domain's own list).
pub use epop_domain::schedule::MONTHS;

/// A count and its noun (« 3 comptes »), shared with the domain and the store.
pub use epop_domain::text::plural;

/// A short word followed by a name, elided before a vowel or a mute h as
/// French writes it: `elided("que", "Awa")` is « qu’Awa », `elided("de",
/// "Benoît")` « de Benoît ». For `que`, `de`, `le`, `ce`, `je`, `ne`.
pub fn elided(word: &str, name: &str) -> String {
    let vowel = name
        .chars()
        .next()
        .is_some_and(|c| "aeiouyhàâäéèêëîïôöùûüÿæœ".contains(c.to_lowercase().next().unwrap_or(c)));
    match word.strip_suffix('e') {
        Some(stem) if vowel => format!("{stem}’{name}"),
        _ => format!("{word} {name}"),
    }
}

/// The day of the month as written: « 1er », « 2 », « 31 ».
fn day_of_month(day: u32) -> String {
    if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    }
}

/// Today's date in France.
pub fn paris_today() -> chrono::NaiveDate {
    chrono::Utc::now().with_timezone(&Paris).date_naive()
}

/// A time stored in UTC, as people in France read it.
pub fn paris_time(ts: i64) -> String {
    match chrono::Utc.timestamp_opt(ts, 0).single() {
        Some(t) => t
            .with_timezone(&Paris)
            .format("%d/%m/%Y à %H:%M")
            .to_string(),
        None => String::new(),
    }
}

/// A stored UTC time in Paris time.
pub(crate) fn paris(ts: i64) -> chrono::DateTime<chrono_tz::Tz> {
    Paris
        .timestamp_opt(ts, 0)
        .single()
        .unwrap_or_else(|| Paris.timestamp_opt(0, 0).unwrap())
}

/// « 11 h 30 », « 9 h ».
fn hour(t: &chrono::DateTime<chrono_tz::Tz>) -> String {
    if t.minute() == 0 {
        format!("{} h", t.hour())
    } else {
        format!("{} h {:02}", t.hour(), t.minute())
    }
}

/// « vendredi 8 janvier 2027 »: the one way peer pages and e-mails say a
/// day (the domain's [`day_in_words`]).
pub fn french_day(ts: i64) -> String {
    day_in_words(paris(ts).date_naive())
}

/// « vendredi 8 janvier 2027 » from `2027-01-08` (the text unchanged if it
/// is not a date).
pub fn french_weekday_date(iso: &str) -> String {
    chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(day_in_words)
        .unwrap_or_else(|_| iso.to_owned())
}

/// « vendredi 8 janvier 2027 à 23 h 59 » (Paris time): a deadline, written
/// after « avant le ».
pub fn french_day_at(ts: i64) -> String {
    moment_in_words(ts)
}

/// « vendredi 8 janvier 2027, de 11 h 30 à 12 h 30 » (Paris time).
pub fn french_when(starts_at: i64, ends_at: i64) -> String {
    let (s, e) = (paris(starts_at), paris(ends_at));
    if s.date_naive() == e.date_naive() {
        format!("{}, de {} à {}", french_day(starts_at), hour(&s), hour(&e))
    } else {
        format!(
            "du {} à {} au {} à {}",
            french_day(starts_at),
            hour(&s),
            french_day(ends_at),
            hour(&e)
        )
    }
}

/// [`french_when`] in easy-read lines, one short sentence each:
/// « Le jour : vendredi 8 janvier 2027. » then « L’heure : de 11 h 30 à
/// 12 h 30, à l’heure de Paris. »
pub fn easy_when(starts_at: i64, ends_at: i64) -> String {
    let (s, e) = (paris(starts_at), paris(ends_at));
    if s.date_naive() == e.date_naive() {
        format!(
            "Le jour : {}.\nL’heure : de {} à {}, à l’heure de Paris.\n",
            french_day(starts_at),
            hour(&s),
            hour(&e)
        )
    } else {
        format!(
            "Le début : {}, à {}.\nLa fin : {}, à {}.\nCe sont les heures de Paris.\n",
            french_day(starts_at),
            hour(&s),
            french_day(ends_at),
            hour(&e)
        )
    }
}

/// « 12 février 2026 » from `2026-02-12`.
pub fn french_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => match (d.parse::<u32>(), m.parse::<usize>()) {
            (Ok(d), Ok(m)) if (1..=12).contains(&m) => {
                format!("{} {} {y}", day_of_month(d), MONTHS[m - 1])
            }
            _ => iso.to_owned(),
        },
        _ => iso.to_owned(),
    }
}

/// What the acronyms peers meet mean, in words. Pages say it the first
/// time with the `abbr` macro of `macros.html` (`<abbr title>` and the words
/// in the text, since not every screen reader reads the title); e-mails with
/// [`spelled_out`].
pub const ACRONYMS: &[(&str, &str)] = &[
    ("AAH", "allocation aux adultes handicapés"),
    (
        "ESAT",
        "établissement et service d’accompagnement par le travail",
    ),
    ("CAF", "caisse d’allocations familiales"),
    ("MDPH", "maison départementale des personnes handicapées"),
    ("PDF", "un fichier à ouvrir ou à imprimer"),
    (
        "RQTH",
        "reconnaissance de la qualité de travailleur handicapé",
    ),
    ("SIRET", "le numéro d’une entreprise"),
    ("URSSAF", "l’organisme qui reçoit les cotisations sociales"),
    ("CSV", "un tableau à ouvrir avec Excel"),
];

/// The words behind an acronym (empty if it is not in [`ACRONYMS`]).
pub fn acronym(short: &str) -> &'static str {
    ACRONYMS
        .iter()
        .find(|(a, _)| *a == short)
        .map(|(_, words)| *words)
        .unwrap_or("")
}

/// « AAH (allocation aux adultes handicapés) »: an acronym the first time
/// in a text.
pub fn spelled_out(short: &str) -> String {
    format!("{short} ({})", acronym(short))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_french() {
        assert_eq!(french_date("2026-01-09"), "9 janvier 2026");
        assert_eq!(french_date("2026-03-01"), "1er mars 2026");
        assert_eq!(french_date("pas une date"), "pas une date");
        // 1 January 2027, noon in Paris.
        assert_eq!(french_day(1_798_801_200), "vendredi 1er janvier 2027");
    }

    #[test]
    fn acronyms_are_said_in_words() {
        assert_eq!(
            spelled_out("AAH"),
            "AAH (allocation aux adultes handicapés)"
        );
        assert_eq!(french_weekday_date("2026-12-08"), "mardi 8 décembre 2026");
        assert_eq!(
            french_day_at(1_798_801_200),
            "vendredi 1er janvier 2027 à 12 h"
        );
        assert_eq!(acronym("XYZ"), "");
    }

    #[test]
    fn names_are_elided_before_a_vowel() {
        assert_eq!(elided("que", "Awa Diallo"), "qu’Awa Diallo");
        assert_eq!(elided("de", "Élise"), "d’Élise");
        assert_eq!(elided("de", "Benoît"), "de Benoît");
        assert_eq!(elided("que", ""), "que ");
    }
}
