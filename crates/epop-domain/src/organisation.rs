//! Organisations: partners, hosts, funders. A kind and a validated identity.

use crate::text::{self, Problems, take};
use crate::{DepartmentCode, Invalid, Siret};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganisationKind {
    Association,
    Esat,
    Company,
    TrainingSchool,
    PublicService,
    Funder,
    NetworkPartner,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 7] = [
        OrganisationKind::Association,
        OrganisationKind::Esat,
        OrganisationKind::Company,
        OrganisationKind::TrainingSchool,
        OrganisationKind::PublicService,
        OrganisationKind::Funder,
        OrganisationKind::NetworkPartner,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Association => "association",
            OrganisationKind::Esat => "esat",
            OrganisationKind::Company => "company",
            OrganisationKind::TrainingSchool => "training_school",
            OrganisationKind::PublicService => "public_service",
            OrganisationKind::Funder => "funder",
            OrganisationKind::NetworkPartner => "network_partner",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            OrganisationKind::Association => "Association",
            OrganisationKind::Esat => {
                "ESAT (établissement et service d’accompagnement par le travail)"
            }
            OrganisationKind::Company => "Entreprise",
            OrganisationKind::TrainingSchool => "École ou organisme de formation",
            OrganisationKind::PublicService => "Service public",
            OrganisationKind::Funder => "Financeur",
            OrganisationKind::NetworkPartner => "Partenaire du réseau",
        }
    }
}

/// An organisation as typed in a form, every field checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub name: String,
    pub kind: OrganisationKind,
    pub siret: Option<Siret>,
    pub department: Option<DepartmentCode>,
}

/// The raw form, so that every problem can be reported at once.
#[derive(Debug, Clone, Default)]
pub struct OrganisationForm {
    pub name: String,
    pub kind: String,
    pub siret: String,
    pub department: String,
}

impl OrganisationForm {
    /// Checks every field; on failure returns each field's problem.
    pub fn validate(&self) -> Result<NewOrganisation, Problems> {
        let mut errors = Vec::new();
        let name = take(
            &mut errors,
            "name",
            text::required(&self.name, "le nom de l’organisation", 200),
        );
        let kind = take(
            &mut errors,
            "kind",
            OrganisationKind::from_code(&self.kind)
                .ok_or_else(|| Invalid::new("Choisissez le type d’organisation.")),
        );
        let optional = |input: &str| !input.trim().is_empty();
        let siret = take(
            &mut errors,
            "siret",
            optional(&self.siret)
                .then(|| Siret::parse(&self.siret))
                .transpose(),
        );
        let department = take(
            &mut errors,
            "department",
            optional(&self.department)
                .then(|| DepartmentCode::parse(&self.department))
                .transpose(),
        );
        match (name, kind, siret, department) {
            (Some(name), Some(kind), Some(siret), Some(department)) if errors.is_empty() => {
                Ok(NewOrganisation {
                    name,
                    kind,
                    siret,
                    department,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A request as the membership rule sees it: who made it, for which
/// organisation, and whether its maker belongs to that organisation now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestMembership {
    pub requester: Option<i64>,
    pub organisation: Option<i64>,
    pub requester_is_member: bool,
}

/// Whether a person — outside the coordination — may read a request and act
/// on it as its organisation: its maker always; another member of the
/// request's organisation only when the maker is a member too. Naming an
/// organisation in a request (its name is public) makes nobody its member:
/// such a request stays its maker's alone until the coordination links the
/// maker to the organisation, and its maker reads nothing of the
/// organisation's other requests.
pub fn sees_request(viewer: i64, viewer_organisation: Option<i64>, r: RequestMembership) -> bool {
    if r.requester == Some(viewer) {
        return true;
    }
    r.requester_is_member && r.organisation.is_some() && viewer_organisation == r.organisation
}

/// Where an account stands when someone wants to make it a member of an
/// organisation: an account belongs to one organisation at most, and only
/// an account that belongs to none may join one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joining {
    /// Already a member of this organisation.
    AlreadyMember,
    /// Belongs to no organisation: may join.
    Free,
    /// Belongs to another organisation: refused.
    Elsewhere,
}

impl Joining {
    pub fn of(account_organisation: Option<i64>, organisation: i64) -> Joining {
        match account_organisation {
            None => Joining::Free,
            Some(o) if o == organisation => Joining::AlreadyMember,
            Some(_) => Joining::Elsewhere,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_seen_by_its_maker_and_by_members_only_when_made_by_a_member() {
        let by_member = RequestMembership {
            requester: Some(1),
            organisation: Some(10),
            requester_is_member: true,
        };
        let by_stranger = RequestMembership {
            requester_is_member: false,
            ..by_member
        };
        assert!(sees_request(1, Some(10), by_member));
        assert!(sees_request(2, Some(10), by_member));
        assert!(!sees_request(3, Some(11), by_member));
        assert!(!sees_request(3, None, by_member));
        // The maker, not a member, still sees their own request.
        assert!(sees_request(1, None, by_stranger));
        assert!(!sees_request(2, Some(10), by_stranger));
        let no_org = RequestMembership {
            organisation: None,
            requester_is_member: true,
            ..by_member
        };
        assert!(!sees_request(2, None, no_org));
    }

    #[test]
    fn valid_form() {
        let f = OrganisationForm {
            name: " LADAPT Occitanie ".into(),
            kind: "association".into(),
            siret: "".into(),
            department: "31".into(),
        };
        let o = f.validate().unwrap();
        assert_eq!(o.name, "LADAPT Occitanie");
        assert_eq!(o.kind, OrganisationKind::Association);
        assert_eq!(o.department.unwrap().as_str(), "31");
        assert!(o.siret.is_none());
    }

    #[test]
    fn every_problem_is_reported() {
        let f = OrganisationForm {
            name: "".into(),
            kind: "spaceship".into(),
            siret: "123".into(),
            department: "99".into(),
        };
        let errs = f.validate().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["name", "kind", "siret", "department"]);
    }

    #[test]
    fn kind_codes_round_trip() {
        for k in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(k.code()), Some(k));
        }
    }
}
