//! Accounts: the name people show, their password policy, their status.

use crate::{Invalid, text};

/// Whether an account may sign in yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountStatus {
    /// Created by an invitation; signs in with the link it received.
    Invited,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Invited => "invited",
            AccountStatus::Active => "active",
            AccountStatus::Disabled => "disabled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            AccountStatus::Invited,
            AccountStatus::Active,
            AccountStatus::Disabled,
        ]
        .into_iter()
        .find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Invited => "Invitation envoyée (pas encore de première visite)",
            AccountStatus::Active => "Actif",
            AccountStatus::Disabled => "Désactivé",
        }
    }
}

/// The name a person chooses to show (real or chosen).
pub fn display_name(input: &str) -> Result<String, Invalid> {
    text::required(input, "le nom à afficher", 100)
}

/// A password: long rather than complicated (no composition rules, as the
/// ANSSI and NIST advise); people who find passwords hard use e-mailed links.
pub fn password(input: &str) -> Result<String, Invalid> {
    let n = input.chars().count();
    if n == 0 {
        return Err(Invalid::new("Saisissez un mot de passe."));
    }
    if n < 10 {
        return Err(Invalid::new(
            "Le mot de passe doit contenir au moins 10 caractères. Une phrase facile à retenir convient, par exemple : « mon chat aime le soleil ».",
        ));
    }
    if n > 128 {
        return Err(Invalid::new(
            "Le mot de passe doit contenir 128 caractères au plus.",
        ));
    }
    Ok(input.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_length_rules() {
        assert!(password("").unwrap_err().0.contains("Saisissez"));
        assert!(password("court").unwrap_err().0.contains("10 caractères"));
        assert!(password("mon chat aime le soleil").is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn status_codes_round_trip() {
        for s in [
            AccountStatus::Invited,
            AccountStatus::Active,
            AccountStatus::Disabled,
        ] {
            assert_eq!(AccountStatus::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(display_name("  Awa  ").unwrap(), "Awa");
        assert!(display_name(" ").is_err());
        assert!(display_name(&"é".repeat(101)).is_err());
    }
}
