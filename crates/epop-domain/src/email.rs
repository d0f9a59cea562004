//! E-mail addresses: the key people sign in with.

use crate::Invalid;

/// A syntactically plausible e-mail address, trimmed and lower-cased so that
/// one person has one key whatever the case they type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(input: &str) -> Result<Self, Invalid> {
        let value = input.trim().to_lowercase();
        if value.is_empty() {
            return Err(Invalid::new("Saisissez votre adresse e-mail."));
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(Invalid::new(
                "L’adresse e-mail est trop longue : 254 caractères au plus.",
            ));
        }
        let example =
            "Saisissez une adresse e-mail au bon format, par exemple : prenom.nom@exemple.fr";
        let Some((local, domain)) = value.rsplit_once('@') else {
            return Err(Invalid::new(example));
        };
        let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"".contains(c);
        if local.is_empty()
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || local.contains('@')
            || value.chars().any(bad_char)
        {
            return Err(Invalid::new(example));
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_spaces() {
        let e = Email::parse("  Claire.Martin@Exemple.FR ").unwrap();
        assert_eq!(e.as_str(), "claire.martin@exemple.fr");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in [
            "",
            "   ",
            "claire",
            "claire@",
            "@exemple.fr",
            "a b@exemple.fr",
            "a@b",
            "a@.fr",
            "a@exemple.",
            "a@@exemple.fr",
            "a@exemple..fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn rejects_too_long() {
        let long = format!("{}@exemple.fr", "a".repeat(250));
        let err = Email::parse(&long).unwrap_err();
        assert!(err.0.contains("254"));
    }

    #[test]
    fn empty_and_malformed_have_different_messages() {
        assert_ne!(
            Email::parse("").unwrap_err(),
            Email::parse("x").unwrap_err()
        );
    }
}
