//! SIRET numbers of French establishments, checked with their Luhn key.

use crate::Invalid;

/// A 14-digit SIRET whose check digit is right.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Siret(String);

/// SIREN of La Poste, whose establishments use a different key (sum of digits
/// divisible by 5) because there are more of them than Luhn numbers allow.
const LA_POSTE_SIREN: &str = "356000000";

impl Siret {
    /// Accepts spaces and dots between groups, as people copy them from papers.
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{a0}')
            .collect();
        if digits.len() != 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(Invalid::new(
                "Le numéro SIRET doit contenir 14 chiffres, par exemple : 775 672 272 00017.",
            ));
        }
        let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
        let valid = if digits.starts_with(LA_POSTE_SIREN) {
            values.iter().sum::<u32>().is_multiple_of(5)
        } else {
            luhn(&values)
        };
        if !valid {
            return Err(Invalid::new(
                "Ce numéro SIRET n’existe pas : un chiffre est probablement mal recopié. Vérifiez-le sur l’avis de situation Insee.",
            ));
        }
        Ok(Self(digits))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_sirets_with_spaces() {
        // Croix-Rouge française, siège.
        assert_eq!(
            Siret::parse("775 672 272 00017").unwrap().as_str(),
            "77567227200017"
        );
        assert!(Siret::parse("73282932000074").is_ok());
    }

    #[test]
    fn rejects_a_wrong_check_digit() {
        let err = Siret::parse("77567227200018").unwrap_err();
        assert!(err.0.contains("mal recopié"));
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        assert!(Siret::parse("7756722720001").is_err());
        assert!(Siret::parse("7756722720001A").is_err());
        assert!(Siret::parse("").is_err());
    }

    #[test]
    fn la_poste_uses_its_own_rule() {
        // 3+5+6+0+0+0+0+0+0+0+0+0+0+1 = 15 → valid for La Poste, invalid for Luhn.
        assert!(Siret::parse("35600000000001").is_ok());
        assert!(Siret::parse("35600000000002").is_err());
    }
}
