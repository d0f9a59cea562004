//! What a peer worker is owed for an intervention: who pays, and where the
//! payment stands as people read it (due, paid, late, declined by the peer,
//! who may always refuse to be paid).

use chrono::{Datelike, NaiveDate};

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
            PaymentState::Due => "Vous n’avez pas encore reçu l’argent.",
            PaymentState::Late => "Le paiement est en retard. Prévenez la coordination.",
            PaymentState::Paid => "Vous avez reçu l’argent.",
            PaymentState::Declined => "Vous avez dit que vous ne voulez pas d’argent.",
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

/// The year a line of the yearly summary counts in: the year the payment
/// was made (what a tax return or the CAF asks); before it is paid, the
/// year of the intervention.
pub fn counted_in(paid_on: Option<NaiveDate>, intervention: Option<NaiveDate>) -> Option<i32> {
    paid_on.or(intervention).map(|d| d.year())
}

/// The year the summary opens on: the last year with activity up to this
/// one; else the first one to come; else this year.
pub fn opening_year(years: &[i32], today: NaiveDate) -> i32 {
    let this = today.year();
    years
        .iter()
        .copied()
        .filter(|y| *y <= this)
        .max()
        .or_else(|| years.iter().copied().min())
        .unwrap_or(this)
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
        let (dec, jan) = (d("2026-12-15"), d("2027-01-05"));
        assert_eq!(counted_in(Some(jan), Some(dec)), Some(2027));
        assert_eq!(counted_in(None, Some(dec)), Some(2026));
        assert_eq!(counted_in(None, None), None);
        assert_eq!(opening_year(&[2025, 2026, 2028], today), 2026);
        assert_eq!(opening_year(&[2028, 2029], today), 2028);
        assert_eq!(opening_year(&[], today), 2027);
        for p in Payer::ALL {
            assert_eq!(Payer::from_code(p.code()), Some(p));
        }
    }
}
