//! The answers of a directory profile as its form checks them: length
//! limits, the choices that must be made, the values allowed, the dates of
//! an absence. Pure functions: the web layer reads the form, calls these and
//! shows each refusal (a French sentence) beside its field.

use std::ops::RangeInclusive;

use chrono::NaiveDate;

use super::{Format, InterventionKind, LANGUAGES, Visibility};
use crate::text::{fold, optional, optional_paragraph, parse_date, required};
use crate::{DepartmentCode, Invalid};

/// Longest presentation, in characters.
pub const PRESENTATION_MAX: usize = 2000;
/// Longest presentation in easy words.
pub const EASY_PRESENTATION_MAX: usize = 1000;
/// Longest job title.
pub const JOB_TITLE_MAX: usize = 120;
/// Longest « own words » about the themes.
pub const OWN_WORDS_MAX: usize = 300;
/// Longest list of other languages, as typed.
pub const OTHER_LANGUAGES_MAX: usize = 200;
/// Longest answer to a sensitive question.
pub const SENSITIVE_ANSWER_MAX: usize = 1000;
/// Longest description of a photo.
pub const PHOTO_DESCRIPTION_MAX: usize = 200;
/// How far a peer may say they travel, in kilometres.
pub const TRAVEL_KM: RangeInclusive<i64> = 0..=1000;
/// How many interventions a month a peer may accept, at most.
pub const PER_MONTH: RangeInclusive<i64> = 1..=20;

/// The presentation: optional, several lines.
pub fn presentation(input: &str) -> Result<(), Invalid> {
    optional_paragraph(input, "votre présentation", PRESENTATION_MAX).map(drop)
}

/// The presentation in easy words: optional, several lines.
pub fn easy_presentation(input: &str) -> Result<(), Invalid> {
    optional_paragraph(input, "votre présentation facile", EASY_PRESENTATION_MAX).map(drop)
}

/// The job title of a référent: optional, trimmed.
pub fn job_title(input: &str) -> Result<Option<String>, Invalid> {
    optional(input, "votre métier", JOB_TITLE_MAX)
}

/// The person's own words about the themes: optional, one line.
pub fn own_words(input: &str) -> Result<(), Invalid> {
    optional(input, "vos mots", OWN_WORDS_MAX).map(drop)
}

/// The kinds of intervention ticked (unknown codes are left out): one at
/// least.
pub fn interventions(codes: &[String]) -> Result<Vec<InterventionKind>, Invalid> {
    let kinds: Vec<InterventionKind> = codes
        .iter()
        .filter_map(|c| InterventionKind::parse(c))
        .collect();
    if kinds.is_empty() {
        return Err(Invalid::new(
            "Cochez au moins une case : ce que vous voulez faire.",
        ));
    }
    Ok(kinds)
}

/// On site and remote, from the codes ticked: one at least.
pub fn formats(codes: &[String]) -> Result<(bool, bool), Invalid> {
    let on_site = codes.iter().any(|f| f == Format::OnSite.code());
    let remote = codes.iter().any(|f| f == Format::Remote.code());
    if !on_site && !remote {
        return Err(Invalid::new(
            "Cochez au moins une case : sur place, à distance, ou les deux.",
        ));
    }
    Ok((on_site, remote))
}

/// A whole number within `range`, or nothing when left empty.
fn number(input: &str, what: &str, range: RangeInclusive<i64>) -> Result<Option<i64>, Invalid> {
    let v = input.trim();
    if v.is_empty() {
        return Ok(None);
    }
    match v.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => {
            let (min, max) = (*range.start(), *range.end());
            Err(Invalid::new(format!(
                "Écrivez {what} avec des chiffres, entre {min} et {max}. Par exemple : {}.",
                (min + max) / 4 + 1
            )))
        }
    }
}

/// How far the person travels: optional, 0 to 1,000 km.
pub fn travel_km(input: &str) -> Result<Option<i64>, Invalid> {
    number(input, "la distance", TRAVEL_KM)
}

/// How many interventions a month, at most: optional, 1 to 20.
pub fn max_per_month(input: &str) -> Result<Option<i64>, Invalid> {
    number(input, "le nombre", PER_MONTH)
}

/// The home département, chosen in the list.
pub fn home_department(input: &str) -> Result<String, Invalid> {
    DepartmentCode::parse(input)
        .map(|d| d.as_str().to_owned())
        .map_err(|_| Invalid::new("Choisissez votre département dans la liste."))
}

/// Every département where the person goes: the home one first, then the
/// others typed (separated by commas or semicolons), each once. `resolve`
/// reads one piece (« Haute-Garonne », « haute garonne », « 31 », « 31 09 »)
/// into codes or says what is wrong: the directory import's reading.
pub fn departments(
    home: Option<&str>,
    others: &str,
    resolve: impl Fn(&str) -> Result<Vec<String>, String>,
) -> Result<Vec<String>, Invalid> {
    let mut list: Vec<String> = home.map(str::to_owned).into_iter().collect();
    for part in others
        .split([',', ';'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
    {
        for code in resolve(part).map_err(Invalid::new)? {
            if !list.contains(&code) {
                list.push(code);
            }
        }
    }
    Ok(list)
}

/// The other languages as typed (one line), as folded words.
pub fn other_languages(input: &str) -> Result<Vec<String>, Invalid> {
    optional(input, "les autres langues", OTHER_LANGUAGES_MAX)?;
    Ok(input
        .split([',', ';'])
        .map(|w| fold(w.trim()))
        .filter(|w| !w.is_empty())
        .collect())
}

/// The languages ticked (known codes only) and the other words, each
/// once: one at least.
pub fn languages(ticked: &[String], others: &[String]) -> Result<Vec<String>, Invalid> {
    let mut list: Vec<String> = ticked
        .iter()
        .filter(|l| LANGUAGES.iter().any(|(c, _)| c == l))
        .cloned()
        .collect();
    for word in others {
        if !list.contains(word) {
            list.push(word.clone());
        }
    }
    if list.is_empty() {
        return Err(Invalid::new("Cochez au moins une langue, ou écrivez-la."));
    }
    Ok(list)
}

/// Which date of an absence a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbsenceDate {
    Start,
    End,
}

/// A period away: nothing when both dates are left empty; else both dates,
/// in order, ending today or later.
#[allow(clippy::type_complexity)]
pub fn absence(
    from: &str,
    to: &str,
    today: NaiveDate,
) -> Result<Option<(NaiveDate, NaiveDate)>, Vec<(AbsenceDate, Invalid)>> {
    if from.trim().is_empty() && to.trim().is_empty() {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let start = parse_date(from, "la date de début")
        .map_err(|e| problems.push((AbsenceDate::Start, e)))
        .ok();
    let end = parse_date(to, "la date de fin")
        .map_err(|e| problems.push((AbsenceDate::End, e)))
        .ok();
    let (Some(start), Some(end)) = (start, end) else {
        return Err(problems);
    };
    let refused = if end < start {
        "La date de fin est avant la date de début : vérifiez les deux dates."
    } else if end < today {
        "Cette période est déjà passée : donnez une absence à venir."
    } else {
        return Ok(Some((start, end)));
    };
    Err(vec![(AbsenceDate::End, Invalid::new(refused))])
}

/// The visibility chosen by the person themself (`code` from the list).
pub fn own_visibility(code: &str) -> Result<Visibility, Invalid> {
    Visibility::from_code(code).ok_or_else(|| Invalid::new("Choisissez qui peut voir votre fiche."))
}

/// A profile is shown only with the person's consent.
pub fn listing_agreed(visibility: Visibility, agreed: bool) -> Result<(), Invalid> {
    if visibility != Visibility::Hidden && !agreed {
        return Err(Invalid::new(
            "Pour montrer votre fiche, cochez la case « J’accepte ». Sinon, choisissez « Masquée ».",
        ));
    }
    Ok(())
}

/// The visibility chosen by someone else: never above `ceiling` (what the
/// person's consent allows, [`super::visibility_ceiling`]).
pub fn visibility_for_others(code: &str, ceiling: Visibility) -> Result<Visibility, Invalid> {
    match Visibility::from_code(code) {
        Some(v) if v.openness() > ceiling.openness() => Err(Invalid::new(
            "Vous ne pouvez pas rendre cette fiche plus visible : c’est la personne qui donne son accord. Choisissez une visibilité de la liste, ou enregistrez d’abord son accord écrit.",
        )),
        Some(v) => Ok(v),
        None => Err(Invalid::new("Choisissez qui peut voir la fiche.")),
    }
}

/// An answer to a sensitive question: optional, several lines.
pub fn sensitive_answer(input: &str) -> Result<(), Invalid> {
    optional_paragraph(input, "votre réponse", SENSITIVE_ANSWER_MAX).map(drop)
}

/// A sensitive answer is kept only with the person's consent to share it.
pub fn sensitive_agreed(input: &str, agreed: bool) -> Result<(), Invalid> {
    if !input.trim().is_empty() && !agreed {
        return Err(Invalid::new(
            "Pour partager cette réponse, cochez la case « J’accepte ». Sinon, videz le champ.",
        ));
    }
    Ok(())
}

/// The description of a kept photo: required, one line.
pub fn photo_description(input: &str) -> Result<String, Invalid> {
    if input.trim().is_empty() {
        return Err(Invalid::new(
            "Décrivez la photo en quelques mots, par exemple : « Awa sourit, devant un mur de briques ».",
        ));
    }
    required(input, "la description", PHOTO_DESCRIPTION_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn presentations_have_a_length_limit() {
        assert!(presentation("").is_ok());
        assert!(presentation(&"a".repeat(2000)).is_ok());
        let e = presentation(&"a".repeat(2001)).unwrap_err();
        assert!(e.0.contains("2000 caractères au plus"), "{e}");
        assert!(easy_presentation(&"a".repeat(1000)).is_ok());
        assert!(easy_presentation(&"a".repeat(1001)).is_err());
    }

    #[test]
    fn job_title_and_own_words_are_one_line() {
        assert_eq!(job_title("  ").unwrap(), None);
        assert_eq!(
            job_title(" monitrice d’atelier ").unwrap().as_deref(),
            Some("monitrice d’atelier")
        );
        assert!(job_title(&"a".repeat(121)).is_err());
        assert!(own_words("retour à l’emploi").is_ok());
        assert!(own_words("deux\nlignes").is_err());
    }

    #[test]
    fn one_intervention_and_one_format_at_least() {
        assert!(interventions(&strings(&["inconnu"])).is_err());
        let kinds = interventions(&strings(&[InterventionKind::ALL[0].code(), "inconnu"])).unwrap();
        assert_eq!(kinds, vec![InterventionKind::ALL[0]]);
        assert!(formats(&[]).is_err());
        assert_eq!(
            formats(&strings(&[Format::Remote.code()])).unwrap(),
            (false, true)
        );
    }

    #[test]
    fn numbers_stay_within_their_range() {
        assert_eq!(travel_km("").unwrap(), None);
        assert_eq!(travel_km(" 50 ").unwrap(), Some(50));
        assert!(travel_km("1001").is_err());
        assert_eq!(max_per_month("20").unwrap(), Some(20));
        let e = max_per_month("0").unwrap_err();
        assert!(e.0.contains("entre 1 et 20"), "{e}");
        assert!(max_per_month("beaucoup").is_err());
    }

    #[test]
    fn departments_are_known_codes_each_once() {
        assert_eq!(home_department("65").unwrap(), "65");
        assert!(home_department("").is_err());
        let codes = |piece: &str| {
            piece
                .split_whitespace()
                .map(|w| {
                    DepartmentCode::parse(w)
                        .map(|c| c.as_str().to_owned())
                        .map_err(|e| e.0)
                })
                .collect()
        };
        assert_eq!(
            departments(Some("65"), "32, 81;65 32", codes).unwrap(),
            strings(&["65", "32", "81"])
        );
        assert!(departments(Some("65"), "32, xyz", codes).is_err());
    }

    #[test]
    fn one_language_at_least_ticked_or_written() {
        let others = other_languages("Arabe, anglais").unwrap();
        assert_eq!(others, strings(&["arabe", "anglais"]));
        assert!(other_languages(&"a".repeat(201)).is_err());
        assert_eq!(
            languages(&strings(&["fr", "klingon"]), &others).unwrap(),
            strings(&["fr", "arabe", "anglais"])
        );
        assert!(languages(&strings(&["klingon"]), &[]).is_err());
    }

    #[test]
    fn an_absence_has_two_dates_in_order_and_to_come() {
        let today = NaiveDate::from_ymd_opt(2027, 6, 1).unwrap();
        assert_eq!(absence("", " ", today).unwrap(), None);
        let ok = absence("01/07/2027", "2027-08-31", today).unwrap().unwrap();
        assert_eq!(ok.1, NaiveDate::from_ymd_opt(2027, 8, 31).unwrap());
        assert!(absence("01/06/2027", "01/06/2027", today).is_ok());
        let missing = absence("01/07/2027", "", today).unwrap_err();
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].0, AbsenceDate::End);
        let reversed = absence("31/08/2027", "01/07/2027", today).unwrap_err();
        assert!(reversed[0].1.0.contains("avant la date de début"));
        let past = absence("01/01/2027", "31/05/2027", today).unwrap_err();
        assert!(past[0].1.0.contains("déjà passée"));
    }

    #[test]
    fn visibility_needs_the_persons_consent() {
        assert_eq!(
            own_visibility(Visibility::Hidden.code()).unwrap(),
            Visibility::Hidden
        );
        assert!(own_visibility("partout").is_err());
        assert!(listing_agreed(Visibility::Hidden, false).is_ok());
        assert!(listing_agreed(Visibility::Public, true).is_ok());
        assert!(listing_agreed(Visibility::Public, false).is_err());
        let ceiling = Visibility::Hidden;
        assert_eq!(
            visibility_for_others(Visibility::Hidden.code(), ceiling).unwrap(),
            Visibility::Hidden
        );
        assert!(visibility_for_others(Visibility::Public.code(), ceiling).is_err());
        assert!(visibility_for_others("", Visibility::Public).is_err());
    }

    #[test]
    fn sensitive_answers_need_their_consent() {
        assert!(sensitive_answer("des pauses").is_ok());
        assert!(sensitive_answer(&"a".repeat(1001)).is_err());
        assert!(sensitive_agreed("", false).is_ok());
        assert!(sensitive_agreed("des pauses", true).is_ok());
        assert!(sensitive_agreed("des pauses", false).is_err());
    }

    #[test]
    fn a_kept_photo_is_described() {
        assert_eq!(photo_description(" Awa sourit ").unwrap(), "Awa sourit");
        assert!(
            photo_description("  ")
                .unwrap_err()
                .0
                .contains("Décrivez la photo")
        );
        assert!(photo_description(&"a".repeat(201)).is_err());
    }
}
