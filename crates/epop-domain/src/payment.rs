//! What a peer worker is owed for an intervention: who pays, and where the
//! payment stands as people read it (due, paid, late, declined by the peer,
//! who may always refuse to be paid).

use chrono::NaiveDate;

/// Who pays the peer worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    Host,
    Carrier,
    Other,
}

impl Payer {
    pub const ALL: [Payer; 3] = [Payer::Host, Payer::Carrier, Payer::Other];

    pub fn code(self) -> &'static str {
        match self {
            Payer::Host => "host",
            Payer::Carrier => "carrier",
            Payer::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Payer::Host => "L’organisation qui accueille",
            Payer::Carrier => "L’association porteuse",
            Payer::Other => "Un autre financeur",
        }
    }
}

/// Where a payment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentState {
    Due,
    Late,
    Paid,
    Declined,
}

impl PaymentState {
    /// From the stored status (`due`, `paid`, `declined`), the due date and
    /// today: a due payment past its date is late.
    pub fn of(status: &str, due_on: Option<NaiveDate>, today: NaiveDate) -> Self {
        match status {
            "paid" => PaymentState::Paid,
            "declined" => PaymentState::Declined,
            _ if due_on.is_some_and(|d| d < today) => PaymentState::Late,
            _ => PaymentState::Due,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PaymentState::Due => "À payer",
            PaymentState::Late => "En retard",
            PaymentState::Paid => "Payé",
            PaymentState::Declined => "Paiement refusé par l’intervenant-pair",
        }
    }

    /// The same, in easy-read words for the peer.
    pub fn label_easy(self) -> &'static str {
        match self {
            PaymentState::Due => "Vous n’êtes pas encore payé·e.",
            PaymentState::Late => "Le paiement est en retard. Prévenez la coordination.",
            PaymentState::Paid => "Vous êtes payé·e.",
            PaymentState::Declined => "Vous avez dit que vous ne voulez pas être payé·e.",
        }
    }
}

/// The day a payment was made: today or before, never in the future.
pub fn paid_on(day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, crate::Invalid> {
    if day > today {
        Err(crate::Invalid::new(
            "La date du paiement ne peut pas être dans le futur : écrivez le jour où le paiement a été fait.",
        ))
    } else {
        Ok(day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_as_read() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2027-04-10");
        assert_eq!(
            PaymentState::of("due", Some(d("2027-04-30")), today),
            PaymentState::Due
        );
        assert_eq!(
            PaymentState::of("due", Some(d("2027-04-01")), today),
            PaymentState::Late
        );
        assert_eq!(PaymentState::of("due", None, today), PaymentState::Due);
        assert_eq!(
            PaymentState::of("paid", Some(d("2027-04-01")), today),
            PaymentState::Paid
        );
        assert_eq!(
            PaymentState::of("declined", None, today),
            PaymentState::Declined
        );
        assert!(paid_on(d("2027-04-10"), today).is_ok());
        assert!(paid_on(d("2027-04-11"), today).is_err());
        for p in Payer::ALL {
            assert_eq!(Payer::from_code(p.code()), Some(p));
        }
    }
}
