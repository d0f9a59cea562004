//! Free text people type: trimming, length limits, no control characters
//! (a one-line field refuses line breaks too: they would forge lines in
//! logs, e-mail headers and CSV files), and the accent folding shared by
//! slugs and search.

use crate::Invalid;

/// A count and its noun, singular for 0 and 1 as in French: « 1 compte »,
/// « 42 comptes », « plus de 1 000 résultats ». Templates call it as
/// `{{ crate::french::plural(n, "compte", "comptes") }}` (re-exported there).
pub fn plural(n: impl std::fmt::Display, one: &str, many: &str) -> String {
    let count = n.to_string();
    let few = count.parse::<i64>().is_ok_and(|v| v.abs() < 2);
    format!("{count} {}", if few { one } else { many })
}

/// Problems of a form, each under its field's name.
pub type Problems = Vec<(&'static str, Invalid)>;

/// Keeps a valid value; records the problem under `field` otherwise.
pub fn take<T>(problems: &mut Problems, field: &'static str, r: Result<T, Invalid>) -> Option<T> {
    r.map_err(|e| problems.push((field, e))).ok()
}

/// A required one-line text (a name, a title, an address) of at most `max`
/// characters, trimmed, with no control character at all (line break, tab,
/// escape…). `what` names the field in the message, e.g. « le nom de
/// l’organisation ».
pub fn required(input: &str, what: &str, max: usize) -> Result<String, Invalid> {
    checked(input, what, max, false)
}

/// A required text of several lines (a description, a message): like
/// [`required`], but line breaks and tabs are kept.
pub fn paragraph(input: &str, what: &str, max: usize) -> Result<String, Invalid> {
    checked(input, what, max, true)
}

/// An optional one-line text: `None` when left empty, else as [`required`].
pub fn optional(input: &str, what: &str, max: usize) -> Result<Option<String>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        required(input, what, max).map(Some)
    }
}

/// An optional text of several lines: `None` when left empty, else as
/// [`paragraph`].
pub fn optional_paragraph(input: &str, what: &str, max: usize) -> Result<Option<String>, Invalid> {
    if input.trim().is_empty() {
        Ok(None)
    } else {
        paragraph(input, what, max).map(Some)
    }
}

fn checked(input: &str, what: &str, max: usize, lines: bool) -> Result<String, Invalid> {
    let value = input.trim();
    if value.is_empty() {
        return Err(Invalid::new(format!("Saisissez {what}.")));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Invalid::new(format!(
            "Raccourcissez {what} : {max} caractères au plus (il y en a {n})."
        )));
    }
    let allowed = |c: char| lines && matches!(c, '\n' | '\r' | '\t');
    if value.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(Invalid::new(if lines {
            format!("Retapez {what} sans caractère invisible (il y en a un dans le texte).")
        } else {
            format!(
                "Retapez {what} sur une seule ligne, sans retour à la ligne ni caractère invisible."
            )
        }));
    }
    Ok(value.to_owned())
}

/// Lower-case ASCII without accents: « Hautes-Pyrénées » → « hautes-pyrenees ».
pub fn fold(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' => out.push('c'),
            'è' | 'é' | 'ê' | 'ë' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' => out.push('i'),
            'ñ' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ù' | 'ú' | 'û' | 'ü' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            '’' | 'ʼ' => out.push('\''),
            other => out.push(other),
        }
    }
    out
}

/// A URL-safe identifier made from a name: « Croix-Rouge française » → « croix-rouge-francaise ».
pub fn slugify(input: &str) -> String {
    let folded = fold(input);
    let mut slug = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(80);
    if slug.is_empty() {
        "sans-nom".to_owned()
    } else {
        slug
    }
}

/// Folded search words of a text, at most 8 (shared by indexing and
/// querying, by the directory and the toolbox, so both engines and both
/// searches see the same words): no accents, lower case, split on anything
/// not a letter or digit, one-letter elisions dropped.
pub fn search_terms(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1)
        .take(8)
        .map(str::to_owned)
        .collect()
}

/// The text indexed for a searchable thing (a profile, a resource): every
/// searchable field, folded into its words.
pub fn index_text(fields: &[&str]) -> String {
    fields
        .iter()
        .flat_map(|f| search_terms_all(f))
        .collect::<Vec<_>>()
        .join(" ")
}

fn search_terms_all(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A value percent-encoded for a URL's query string (a space is `+`).
pub fn url_value(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plurals_read_in_french() {
        assert_eq!(plural(0, "compte", "comptes"), "0 compte");
        assert_eq!(
            plural(1_usize, "intervenant-pair", "intervenants-pairs"),
            "1 intervenant-pair"
        );
        assert_eq!(
            plural(3_i64, "intervenant-pair", "intervenants-pairs"),
            "3 intervenants-pairs"
        );
        assert_eq!(
            plural("plus de 1 000", "fiche", "fiches"),
            "plus de 1 000 fiches"
        );
    }

    #[test]
    fn required_trims_and_limits() {
        assert_eq!(required("  LADAPT ", "le nom", 10).unwrap(), "LADAPT");
        assert_eq!(
            required("", "le nom", 10).unwrap_err().0,
            "Saisissez le nom."
        );
        assert!(
            required("abcdefghijk", "le nom", 10)
                .unwrap_err()
                .0
                .contains("10 caractères au plus")
        );
        assert!(required("a\u{0}b", "le nom", 10).is_err());
    }

    #[test]
    fn one_line_fields_refuse_every_control_character() {
        for bad in [
            "Awa\r\nBcc: x@y.fr",
            "Awa\nDiallo",
            "Awa\tDiallo",
            "Awa\u{1b}[31m",
            "a\u{85}b",
        ] {
            let e = required(bad, "le nom", 100).unwrap_err().0;
            assert!(
                e.contains("Retapez le nom sur une seule ligne"),
                "{bad:?}: {e}"
            );
            assert!(optional(bad, "le nom", 100).is_err(), "{bad:?}");
        }
        assert_eq!(optional("  ", "le nom", 100).unwrap(), None);
        assert_eq!(
            paragraph("Ligne 1\r\n\tLigne 2", "le message", 100).unwrap(),
            "Ligne 1\r\n\tLigne 2"
        );
        assert!(
            paragraph("a\u{0}b", "le message", 100)
                .unwrap_err()
                .0
                .contains("Retapez le message sans caractère invisible")
        );
        assert_eq!(optional_paragraph("", "le message", 100).unwrap(), None);
    }

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(slugify("Croix-Rouge française"), "croix-rouge-francaise");
        assert_eq!(slugify("Côtes-d’Armor"), "cotes-d-armor");
        assert_eq!(slugify("  ÉSAT « Les Ateliers » "), "esat-les-ateliers");
        assert_eq!(slugify("!!!"), "sans-nom");
    }

    #[test]
    fn fold_is_case_and_accent_insensitive() {
        assert_eq!(fold("Éducatrice"), fold("educatrice"));
        assert_eq!(fold("Hautes-Pyrénées"), "hautes-pyrenees");
        assert_eq!(fold("Œuvre"), "oeuvre");
    }
}

/// A date as people type it in France (`JJ/MM/AAAA`) or as a date field
/// sends it (`AAAA-MM-JJ`).
pub fn parse_date(input: &str, what: &str) -> Result<chrono::NaiveDate, Invalid> {
    let value = input.trim();
    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(value, "%d/%m/%Y"))
        .map_err(|_| match no_such_day(value) {
            Some(why) => Invalid::new(format!("{why} Vérifiez {what}.")),
            None => Invalid::new(format!(
                "Écrivez {what} sous la forme jour/mois/année, par exemple 15/03/2027."
            )),
        })
}

/// Why `value`, written jour/mois/année, is not a day of the calendar
/// (« Le 31/02/2027 n’existe pas : février 2027 a 28 jours. »), if it has
/// that form.
fn no_such_day(value: &str) -> Option<String> {
    let parts: Vec<u32> = value
        .split('/')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let [day, month, year] = parts[..] else {
        return None;
    };
    let Some(name) = month
        .checked_sub(1)
        .and_then(|m| crate::schedule::MONTHS.get(m as usize))
    else {
        return Some(format!(
            "Le {value} n’existe pas : le mois est un nombre de 1 à 12."
        ));
    };
    let year = i32::try_from(year).ok()?;
    let first = chrono::NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(chrono::Months::new(1))?;
    let days = next.signed_duration_since(first).num_days();
    (day == 0 || i64::from(day) > days)
        .then(|| format!("Le {value} n’existe pas : {name} {year} a {days} jours."))
}

#[cfg(test)]
mod date_tests {
    use super::*;

    #[test]
    fn dates_in_both_forms() {
        let d = chrono::NaiveDate::from_ymd_opt(2027, 3, 15).unwrap();
        assert_eq!(parse_date("15/03/2027", "la date").unwrap(), d);
        assert_eq!(parse_date(" 2027-03-15 ", "la date").unwrap(), d);
        assert_eq!(
            parse_date("31/02/2027", "la date").unwrap_err().0,
            "Le 31/02/2027 n’existe pas : février 2027 a 28 jours. Vérifiez la date."
        );
        assert!(
            parse_date("29/02/2028", "la date").is_ok(),
            "2028 is a leap year"
        );
        assert_eq!(
            parse_date("12/13/2027", "la date de fin").unwrap_err().0,
            "Le 12/13/2027 n’existe pas : le mois est un nombre de 1 à 12. Vérifiez la date de fin."
        );
        assert!(
            parse_date("demain", "la date de début")
                .unwrap_err()
                .0
                .contains("la date de début")
        );
    }
}
