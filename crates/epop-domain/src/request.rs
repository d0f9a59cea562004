//! An organisation's request for an intervention, as typed on
//! `/demander-une-intervention`: what, for whom, when, where (and how
//! accessible the place is), the accommodations the host can provide, the
//! fee proposed, the organisation and its contact. A draft needs only an
//! e-mail address (to send the link to finish it); a submission needs
//! everything.

use crate::Invalid;
use crate::directory::InterventionKind;
use crate::email::Email;
use crate::event::parse_phone;
use crate::organisation::{NewOrganisation, OrganisationForm};
use crate::territory::DepartmentCode;
use crate::text::{Problems, optional, optional_paragraph, paragraph, parse_date, required, take};

/// What the requester typed, as strings (kept on error and in drafts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestForm {
    pub kind: String,
    pub subject: String,
    pub description: String,
    pub themes: String,
    pub audience: String,
    pub audience_size: String,
    pub date_from: String,
    pub date_to: String,
    pub period: String,
    pub duration: String,
    /// `sur-place` or `a-distance`.
    pub mode: String,
    pub address: String,
    pub department: String,
    pub place_accessibility: String,
    pub step_free: bool,
    pub accommodations: String,
    /// Euros, or empty when the fee is to be discussed.
    pub fee: String,
    pub org_name: String,
    pub org_kind: String,
    pub org_siret: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// The slug of a peer worker's profile the request was asked from: a
    /// wish for the coordination, which still chooses.
    pub wished_peer: String,
}

/// A checked request, ready to submit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub kind: InterventionKind,
    pub subject: String,
    pub description: String,
    pub themes: String,
    pub audience: String,
    pub audience_size: i64,
    pub date_from: Option<chrono::NaiveDate>,
    pub date_to: Option<chrono::NaiveDate>,
    pub period: Option<String>,
    pub duration: String,
    pub remote: bool,
    pub address: Option<String>,
    pub department: DepartmentCode,
    pub place_accessibility: Option<String>,
    pub step_free: bool,
    pub accommodations: Option<String>,
    /// In cents; `None`: to be discussed.
    pub fee_cents: Option<i64>,
    pub organisation: NewOrganisation,
    pub contact_name: String,
    pub contact_email: Email,
    pub contact_phone: Option<String>,
}

/// « 250 », « 250,50 », « 1 200 € » → cents.
pub fn parse_euros(input: &str) -> Result<Option<i64>, Invalid> {
    let cleaned: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '€' && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if cleaned.is_empty() {
        return Ok(None);
    }
    let bad = || {
        Invalid::new(
            "Écrivez le montant en euros, par exemple 250 ou 250,50 (ou laissez vide s’il est à discuter).",
        )
    };
    let (units, cents) = match cleaned.split_once('.') {
        Some((u, c)) if c.len() <= 2 && c.chars().all(|d| d.is_ascii_digit()) => {
            (u, format!("{c:0<2}"))
        }
        Some(_) => return Err(bad()),
        None => (cleaned.as_str(), "00".to_owned()),
    };
    let units: i64 = units.parse().map_err(|_| bad())?;
    let cents: i64 = cents.parse().map_err(|_| bad())?;
    if !(0..=1_000_000).contains(&units) {
        return Err(bad());
    }
    Ok(Some(units * 100 + cents))
}

/// « 250,50 € ».
pub fn format_euros(cents: i64) -> String {
    if cents % 100 == 0 {
        format!("{} €", cents / 100)
    } else {
        format!("{},{:02} €", cents / 100, cents % 100)
    }
}

impl RequestForm {
    /// The place's accessibility as the organisation wrote it, then « Le
    /// lieu est accessible sans marche. » when it ticked that box (shown to
    /// the peer and to the organisation alike).
    pub fn accessibility_words(&self) -> String {
        let step_free = if self.step_free {
            " Le lieu est accessible sans marche."
        } else {
            ""
        };
        format!("{}{step_free}", self.place_accessibility)
            .trim()
            .to_owned()
    }

    /// The form from its fields by name (`value("subject")`…), as submitted
    /// or as stored; a box is ticked when its value is `oui`.
    pub fn from_fields(value: impl Fn(&str) -> String) -> RequestForm {
        RequestForm {
            kind: value("kind"),
            subject: value("subject"),
            description: value("description"),
            themes: value("themes"),
            audience: value("audience"),
            audience_size: value("audience_size"),
            date_from: value("date_from"),
            date_to: value("date_to"),
            period: value("period"),
            duration: value("duration"),
            mode: value("mode"),
            address: value("address"),
            department: value("department"),
            place_accessibility: value("place_accessibility"),
            step_free: value("step_free") == "oui",
            accommodations: value("accommodations"),
            fee: value("fee"),
            org_name: value("org_name"),
            org_kind: value("org_kind"),
            org_siret: value("org_siret"),
            contact_name: value("contact_name"),
            contact_email: value("contact_email"),
            contact_phone: value("contact_phone"),
            wished_peer: value("souhait"),
        }
    }

    /// A draft: only the e-mail address is needed (the link to finish it is
    /// sent there); what is typed is kept as typed.
    pub fn validate_draft(&self) -> Result<Email, Problems> {
        Email::parse(&self.contact_email).map_err(|e| vec![("contact_email", e)])
    }

    /// Everything, for a submission. `today` refuses dates in the past.
    /// The problems come in the order of the form's fields.
    pub fn validate(&self, today: chrono::NaiveDate) -> Result<NewRequest, Problems> {
        let mut p = Vec::new();
        let what = self.what(&mut p);
        let when = self.when(&mut p, today);
        let place = self.place(&mut p);
        let fee_cents = take(&mut p, "fee", parse_euros(&self.fee)).flatten();
        let organisation = self.organisation(&mut p);
        let contact = self.contact(&mut p);
        match (what, when, place, organisation, contact) {
            (Some(what), Some(when), Some(place), Some(organisation), Some(contact))
                if p.is_empty() =>
            {
                Ok(NewRequest {
                    kind: what.kind,
                    subject: what.subject,
                    description: what.description,
                    themes: what.themes,
                    audience: what.audience,
                    audience_size: what.audience_size,
                    date_from: when.date_from,
                    date_to: when.date_to,
                    period: when.period,
                    duration: when.duration,
                    remote: place.remote,
                    address: place.address,
                    department: place.department,
                    place_accessibility: place.place_accessibility,
                    step_free: self.step_free,
                    accommodations: place.accommodations,
                    fee_cents,
                    organisation,
                    contact_name: contact.name,
                    contact_email: contact.email,
                    contact_phone: contact.phone,
                })
            }
            _ => Err(p),
        }
    }

    /// The intervention asked for: its kind, subject, description, themes
    /// and audience.
    fn what(&self, p: &mut Problems) -> Option<What> {
        let kind = take(
            p,
            "kind",
            InterventionKind::parse(&self.kind)
                .ok_or_else(|| Invalid::new("Choisissez le type d’intervention.")),
        );
        let subject = take(p, "subject", required(&self.subject, "le sujet", 200));
        let description = take(
            p,
            "description",
            paragraph(
                &self.description,
                "ce que vous attendez de l’intervention",
                5000,
            ),
        );
        let themes = take(p, "themes", optional(&self.themes, "les thèmes", 500))
            .flatten()
            .unwrap_or_default();
        let audience = take(
            p,
            "audience",
            required(&self.audience, "à qui s’adresse l’intervention", 300),
        );
        let audience_size = take(
            p,
            "audience_size",
            match self.audience_size.trim().parse::<i64>() {
                Ok(n) if (1..=10_000).contains(&n) => Ok(n),
                _ => Err(Invalid::new(
                    "Saisissez le nombre de personnes attendues, par exemple 15.",
                )),
            },
        );
        Some(What {
            kind: kind?,
            subject: subject?,
            description: description?,
            themes,
            audience: audience?,
            audience_size: audience_size?,
        })
    }

    /// When: the dates (to come, in order) or a period, and the duration.
    fn when(&self, p: &mut Problems, today: chrono::NaiveDate) -> Option<When> {
        let date = |input: &str, what: &str| -> Result<Option<chrono::NaiveDate>, Invalid> {
            if input.trim().is_empty() {
                return Ok(None);
            }
            let d = parse_date(input, what)?;
            if d < today {
                return Err(Invalid::new(format!(
                    "{what} est passée : choisissez une date à venir."
                )));
            }
            Ok(Some(d))
        };
        let date_from = take(p, "date_from", date(&self.date_from, "La date de début")).flatten();
        let date_to = take(p, "date_to", date(&self.date_to, "La date de fin")).flatten();
        if let (Some(a), Some(b)) = (date_from, date_to)
            && b < a
        {
            p.push((
                "date_to",
                Invalid::new("La date de fin doit venir après la date de début."),
            ));
        }
        let period = take(p, "period", optional(&self.period, "la période", 300)).flatten();
        if date_from.is_none() && period.is_none() && !p.iter().any(|(f, _)| f.starts_with("date"))
        {
            p.push((
                "date_from",
                Invalid::new(
                    "Donnez une date, ou une période si vous ne savez pas encore (par exemple « mars 2027 »).",
                ),
            ));
        }
        let duration = take(
            p,
            "duration",
            required(&self.duration, "la durée (par exemple 2 heures)", 100),
        );
        Some(When {
            date_from,
            date_to,
            period,
            duration: duration?,
        })
    }

    /// Where: on site (at an address) or remote, the département, the
    /// place's accessibility and the accommodations offered.
    fn place(&self, p: &mut Problems) -> Option<Place> {
        let remote = match self.mode.as_str() {
            "a-distance" => Some(true),
            "sur-place" => Some(false),
            _ => {
                p.push((
                    "mode",
                    Invalid::new("Choisissez si l’intervention a lieu sur place ou à distance."),
                ));
                None
            }
        };
        let address = if remote == Some(false) {
            take(
                p,
                "address",
                required(&self.address, "l’adresse du lieu", 300),
            )
        } else {
            None
        };
        let department = take(p, "department", DepartmentCode::parse(&self.department));
        let place_accessibility = take(
            p,
            "place_accessibility",
            optional_paragraph(&self.place_accessibility, "l’accessibilité du lieu", 1000),
        )
        .flatten();
        let accommodations = take(
            p,
            "accommodations",
            optional_paragraph(&self.accommodations, "les adaptations possibles", 1000),
        )
        .flatten();
        Some(Place {
            remote: remote?,
            address,
            department: department?,
            place_accessibility,
            accommodations,
        })
    }

    /// The organisation that asks, its problems named by the form's fields.
    fn organisation(&self, p: &mut Problems) -> Option<NewOrganisation> {
        OrganisationForm {
            name: self.org_name.clone(),
            kind: self.org_kind.clone(),
            siret: self.org_siret.clone(),
            department: self.department.clone(),
        }
        .validate()
        .map_err(|problems| {
            for (f, e) in problems {
                let field = match f {
                    "name" => "org_name",
                    "kind" => "org_kind",
                    "siret" => "org_siret",
                    _ => continue,
                };
                p.push((field, e));
            }
        })
        .ok()
    }

    /// The person to contact: name, e-mail address, telephone.
    fn contact(&self, p: &mut Problems) -> Option<Contact> {
        let name = take(
            p,
            "contact_name",
            required(&self.contact_name, "votre nom", 120),
        );
        let email = take(p, "contact_email", Email::parse(&self.contact_email));
        let phone = take(p, "contact_phone", parse_phone(&self.contact_phone)).flatten();
        Some(Contact {
            name: name?,
            email: email?,
            phone,
        })
    }
}

/// The checked parts of a request, one per group of fields.
struct What {
    kind: InterventionKind,
    subject: String,
    description: String,
    themes: String,
    audience: String,
    audience_size: i64,
}

struct When {
    date_from: Option<chrono::NaiveDate>,
    date_to: Option<chrono::NaiveDate>,
    period: Option<String>,
    duration: String,
}

struct Place {
    remote: bool,
    address: Option<String>,
    department: DepartmentCode,
    place_accessibility: Option<String>,
    accommodations: Option<String>,
}

struct Contact {
    name: String,
    email: Email,
    phone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_step_free_place_is_said_even_without_a_description() {
        let mut f = RequestForm {
            step_free: true,
            ..Default::default()
        };
        assert_eq!(
            f.accessibility_words(),
            "Le lieu est accessible sans marche."
        );
        f.place_accessibility = "Plain-pied.".into();
        assert_eq!(
            f.accessibility_words(),
            "Plain-pied. Le lieu est accessible sans marche."
        );
        f.step_free = false;
        assert_eq!(f.accessibility_words(), "Plain-pied.");
    }

    fn form() -> RequestForm {
        RequestForm {
            kind: "former".into(),
            subject: "Sensibiliser l’équipe d’accueil".into(),
            description: "Une demi-journée pour notre équipe.".into(),
            audience: "Agents d’accueil".into(),
            audience_size: "12".into(),
            date_from: "15/03/2027".into(),
            duration: "3 heures".into(),
            mode: "sur-place".into(),
            address: "1 place du Capitole, Toulouse".into(),
            department: "31".into(),
            fee: "250,5".into(),
            org_name: "Mairie de Toulouse".into(),
            org_kind: "public_service".into(),
            contact_name: "Jeanne Petit".into(),
            contact_email: "Jeanne.Petit@exemple.fr".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_request() {
        let r = form().validate(today()).unwrap();
        assert_eq!(r.kind, InterventionKind::TrainingProfessionals);
        assert_eq!(r.fee_cents, Some(25050));
        assert_eq!(r.contact_email.as_str(), "jeanne.petit@exemple.fr");
        assert_eq!(r.organisation.name, "Mairie de Toulouse");
        assert!(!r.remote);
    }

    #[test]
    fn every_problem_named_by_its_field() {
        let fields: Vec<&str> = RequestForm::default()
            .validate(today())
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        for f in [
            "kind",
            "subject",
            "description",
            "audience",
            "audience_size",
            "date_from",
            "duration",
            "mode",
            "department",
            "org_name",
            "org_kind",
            "contact_name",
            "contact_email",
        ] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let mut f = form();
        f.date_from = "01/01/2020".into();
        f.date_to = "01/01/2019".into();
        let fields: Vec<&str> = f
            .validate(today())
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, vec!["date_from", "date_to"]);
        let mut f = form();
        f.date_from.clear();
        f.period = "printemps 2027".into();
        f.mode = "a-distance".into();
        f.address.clear();
        let r = f.validate(today()).unwrap();
        assert!(r.remote && r.address.is_none() && r.period.is_some());
    }

    #[test]
    fn a_draft_needs_only_the_email() {
        let d = RequestForm {
            contact_email: "x@exemple.fr".into(),
            ..Default::default()
        };
        assert!(d.validate_draft().is_ok());
        assert_eq!(
            RequestForm::default().validate_draft().unwrap_err()[0].0,
            "contact_email"
        );
    }

    #[test]
    fn euros() {
        assert_eq!(parse_euros("").unwrap(), None);
        assert_eq!(parse_euros("1 200 €").unwrap(), Some(120_000));
        assert_eq!(parse_euros("99,9").unwrap(), Some(9990));
        for bad in ["12,345", "abc", "-5", "10.5.5"] {
            assert!(parse_euros(bad).is_err(), "{bad}");
        }
        assert_eq!(format_euros(25050), "250,50 €");
        assert_eq!(format_euros(30000), "300 €");
    }
}
