//! Regions and départements, by their INSEE codes. The names live in the
//! database (loaded by migration); here are the code formats and scopes.

use crate::Invalid;

/// An INSEE département code: 01–19, 2A, 2B, 21–95, 971–974, 976.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepartmentCode(String);

impl DepartmentCode {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code = input.trim().to_uppercase();
        let valid = match code.as_str() {
            "2A" | "2B" => true,
            c if c.len() == 2 && c.chars().all(|x| x.is_ascii_digit()) => {
                matches!(c.parse::<u8>(), Ok(n) if (1..=95).contains(&n) && n != 20)
            }
            "971" | "972" | "973" | "974" | "976" => true,
            _ => false,
        };
        if valid {
            Ok(Self(code))
        } else if code.is_empty() {
            Err(Invalid::new(
                "Choisissez un département, ou écrivez son numéro : 31 pour la Haute-Garonne, 2A pour la Corse-du-Sud, 974 pour La Réunion.",
            ))
        } else {
            Err(Invalid::new(format!(
                "« {} » n’est pas un numéro de département. Exemples : 31 pour la Haute-Garonne, 2A pour la Corse-du-Sud, 974 pour La Réunion.",
                input.trim()
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An INSEE region code (two digits).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub const ALL: [&'static str; 18] = [
        "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76",
        "84", "93", "94",
    ];

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let code = input.trim();
        if Self::ALL.contains(&code) {
            Ok(Self(code.to_owned()))
        } else {
            Err(Invalid::new(format!(
                "« {code} » n’est pas un code de région."
            )))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A piece of territory a role is scoped to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Territory {
    Region(RegionCode),
    Department(DepartmentCode),
}

/// A département's name after « de », with its article as French says it:
/// « de la Haute-Garonne », « du Nord », « de l’Aude », « des Landes »,
/// « de Paris ».
pub fn of_department(code: &str, name: &str) -> String {
    const ELIDED: [&str; 19] = [
        "01", "02", "03", "07", "09", "10", "11", "12", "27", "28", "34", "35", "36", "37", "38",
        "60", "61", "89", "91",
    ];
    const MASCULINE: [&str; 27] = [
        "14", "15", "18", "25", "29", "30", "32", "39", "41", "45", "46", "47", "49", "56", "59",
        "62", "63", "67", "68", "69", "81", "82", "83", "84", "90", "94", "95",
    ];
    const PLURAL: [&str; 14] = [
        "04", "05", "06", "08", "13", "22", "40", "64", "65", "66", "78", "79", "88", "92",
    ];
    const NO_ARTICLE: [&str; 3] = ["75", "974", "976"];
    if ELIDED.contains(&code) {
        format!("de l’{name}")
    } else if MASCULINE.contains(&code) {
        format!("du {name}")
    } else if PLURAL.contains(&code) {
        format!("des {name}")
    } else if NO_ARTICLE.contains(&code) {
        format!("de {name}")
    } else {
        format!("de la {name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names_take_their_article() {
        assert_eq!(of_department("31", "Haute-Garonne"), "de la Haute-Garonne");
        assert_eq!(of_department("59", "Nord"), "du Nord");
        assert_eq!(of_department("11", "Aude"), "de l’Aude");
        assert_eq!(of_department("34", "Hérault"), "de l’Hérault");
        assert_eq!(
            of_department("65", "Hautes-Pyrénées"),
            "des Hautes-Pyrénées"
        );
        assert_eq!(of_department("75", "Paris"), "de Paris");
        assert_eq!(of_department("974", "La Réunion"), "de La Réunion");
    }

    #[test]
    fn department_codes() {
        for ok in [
            "01", "09", "19", "2A", "2b", "21", "31", "95", "971", "976", " 65 ",
        ] {
            assert!(DepartmentCode::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "0", "00", "20", "96", "975", "977", "3A", "310", "abc"] {
            assert!(DepartmentCode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(DepartmentCode::parse("2a").unwrap().as_str(), "2A");
    }

    #[test]
    fn region_codes() {
        assert!(RegionCode::parse("76").is_ok());
        assert!(RegionCode::parse("05").is_err());
        assert_eq!(RegionCode::ALL.len(), 18);
    }
}
