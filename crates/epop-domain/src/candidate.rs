//! Becoming a peer worker or a référent: the application a person makes
//! without an account (one question per page), where it stands, the steps
//! of their path the coordination records, and who may follow it.

use crate::directory::InterventionKind;
use crate::event::parse_phone;
use crate::text::{Problems, optional_paragraph, required, take};
use crate::training::Audience;
use crate::{DepartmentCode, Email, Invalid, Principal};

/// The path a person applies for, by the URL of its page.
pub fn audience_of_path(path: &str) -> Option<Audience> {
    match path {
        "intervenant-pair" => Some(Audience::Peer),
        "referent" => Some(Audience::Referent),
        _ => None,
    }
}

/// The URL word of a path (`/devenir-{word}`).
pub fn path_of(audience: Audience) -> &'static str {
    match audience {
        Audience::Peer => "intervenant-pair",
        Audience::Referent => "referent",
    }
}

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being filled in, one question per page.
    Draft,
    /// Sent; the e-mail link is not opened yet.
    Unconfirmed,
    /// Confirmed (or sent with a phone number only): the coordination has
    /// not answered yet.
    New,
    Contacted,
    /// Invited to an information meeting or to a training session.
    Invited,
    /// Applied to, or accepted in, a training session.
    Training,
    /// Trained: now a peer worker or a référent.
    Trained,
    Closed,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Unconfirmed,
        Status::New,
        Status::Contacted,
        Status::Invited,
        Status::Training,
        Status::Trained,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Unconfirmed => "unconfirmed",
            Status::New => "new",
            Status::Contacted => "contacted",
            Status::Invited => "invited",
            Status::Training => "training",
            Status::Trained => "trained",
            Status::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "En cours de saisie",
            Status::Unconfirmed => "Adresse e-mail pas encore confirmée",
            Status::New => "Nouvelle : personne n’a encore répondu",
            Status::Contacted => "Contactée",
            Status::Invited => "Invitée à une réunion ou à une formation",
            Status::Training => "En formation",
            Status::Trained => "Formée",
            Status::Closed => "Close",
        }
    }

    /// The statuses the coordination's list shows, in its order.
    pub const LISTED: [Status; 6] = [
        Status::New,
        Status::Contacted,
        Status::Invited,
        Status::Training,
        Status::Trained,
        Status::Closed,
    ];

    /// Still followed by the coordination (actions are offered).
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::New | Status::Contacted | Status::Invited | Status::Training
        )
    }
}

/// A step of a person's path, as recorded with its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Sent,
    Confirmed,
    Contacted,
    MeetingInvited,
    TrainingInvited,
    TrainingApplied,
    TrainingAccepted,
    Trained,
    Closed,
}

impl Step {
    pub const ALL: [Step; 9] = [
        Step::Sent,
        Step::Confirmed,
        Step::Contacted,
        Step::MeetingInvited,
        Step::TrainingInvited,
        Step::TrainingApplied,
        Step::TrainingAccepted,
        Step::Trained,
        Step::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Sent => "sent",
            Step::Confirmed => "confirmed",
            Step::Contacted => "contacted",
            Step::MeetingInvited => "meeting_invited",
            Step::TrainingInvited => "training_invited",
            Step::TrainingApplied => "training_applied",
            Step::TrainingAccepted => "training_accepted",
            Step::Trained => "trained",
            Step::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The step in the words the person reads.
    pub fn label(self) -> &'static str {
        match self {
            Step::Sent => "Candidature envoyée",
            Step::Confirmed => "Adresse e-mail confirmée",
            Step::Contacted => "Contact avec la coordination",
            Step::MeetingInvited => "Invitation à une réunion d’information",
            Step::TrainingInvited => "Invitation à candidater à une formation",
            Step::TrainingApplied => "Candidature à une formation",
            Step::TrainingAccepted => "Place acceptée en formation",
            Step::Trained => "Formation terminée",
            Step::Closed => "Candidature close",
        }
    }

    /// The status an application takes at this step (`None`: unchanged).
    pub fn status(self) -> Option<Status> {
        match self {
            Step::Sent | Step::Confirmed => None,
            Step::Contacted => Some(Status::Contacted),
            Step::MeetingInvited | Step::TrainingInvited => Some(Status::Invited),
            Step::TrainingApplied | Step::TrainingAccepted => Some(Status::Training),
            Step::Trained => Some(Status::Trained),
            Step::Closed => Some(Status::Closed),
        }
    }
}

/// The answers of the form as kept in the draft (every field a text; the
/// actions as their codes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    pub name: String,
    pub department: String,
    pub email: String,
    pub phone: String,
    pub actions: Vec<String>,
    pub needs: String,
    pub consent: bool,
}

/// A checked application, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub name: String,
    pub department: Option<DepartmentCode>,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub actions: Vec<InterventionKind>,
    pub needs: Option<String>,
}

pub fn name(input: &str) -> Result<String, Invalid> {
    if input.trim().is_empty() {
        return Err(Invalid::new(
            "Écrivez votre nom : votre prénom suffit, par exemple « Awa ».",
        ));
    }
    required(input, "votre nom", 100)
}

/// The département chosen, among `known` (the ones the platform lists): a
/// code typed by hand that is not one of them is refused.
pub fn department(input: &str, known: &[String]) -> Result<Option<DepartmentCode>, Invalid> {
    if input.trim().is_empty() {
        return Ok(None);
    }
    let code = DepartmentCode::parse(input)?;
    if known.iter().any(|k| k == code.as_str()) {
        Ok(Some(code))
    } else {
        Err(Invalid::new(
            "Choisissez votre département dans la liste, ou « Je ne sais pas ».",
        ))
    }
}

/// The actions chosen, by code; an unknown code is refused.
pub fn actions(codes: &[String]) -> Result<Vec<InterventionKind>, Invalid> {
    let mut out = Vec::new();
    for code in codes {
        let kind = InterventionKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                Invalid::new("Choisissez parmi les actions de la liste (une ou plusieurs).")
            })?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

pub fn needs(input: &str) -> Result<Option<String>, Invalid> {
    optional_paragraph(input, "ce qui vous aiderait", 2000)
}

/// How to reach the person: an e-mail address, a phone number, or both;
/// at least one.
pub fn contact(email: &str, phone: &str) -> Result<(Option<Email>, Option<String>), Problems> {
    let mut p = Vec::new();
    let email = if email.trim().is_empty() {
        Some(None)
    } else {
        take(&mut p, "email", Email::parse(email).map(Some))
    };
    let phone = take(&mut p, "phone", parse_phone(phone));
    match (email, phone) {
        (Some(None), Some(None)) => Err(vec![(
            "email",
            Invalid::new(
                "Écrivez une adresse e-mail ou un numéro de téléphone : la coordination en a besoin pour vous répondre.",
            ),
        )]),
        (Some(e), Some(ph)) if p.is_empty() => Ok((e, ph)),
        _ => Err(p),
    }
}

impl Answers {
    /// Everything checked again before sending: a draft may have been
    /// saved in pieces.
    pub fn check(&self, known: &[String]) -> Result<Checked, Problems> {
        let mut p = Vec::new();
        let name = take(&mut p, "name", name(&self.name));
        let department = take(&mut p, "department", department(&self.department, known));
        let contact = match contact(&self.email, &self.phone) {
            Ok(c) => Some(c),
            Err(list) => {
                p.extend(list);
                None
            }
        };
        let actions = take(&mut p, "actions", actions(&self.actions));
        let needs = take(&mut p, "needs", needs(&self.needs));
        if !self.consent {
            p.push((
                "consent",
                Invalid::new(
                    "Cochez la case pour accepter que la coordination vous contacte : sans cela, nous ne pouvons pas vous répondre.",
                ),
            ));
        }
        match (name, department, contact, actions, needs) {
            (Some(name), Some(department), Some((email, phone)), Some(actions), Some(needs))
                if p.is_empty() =>
            {
                Ok(Checked {
                    name,
                    department,
                    email,
                    phone,
                    actions,
                    needs,
                })
            }
            _ => Err(p),
        }
    }
}

impl Principal {
    /// May read and follow an application of this département: its
    /// coordinators, or an administrator (an application without a
    /// département is national: administrators only).
    pub fn may_follow_candidate(&self, department: Option<&str>) -> bool {
        self.may_act_in(department)
    }

    /// May apply to a training session of a programme for `audience`: a
    /// person of that role, or a candidate (any programme: the one they
    /// complete says what they become).
    pub fn may_apply_to_training(&self, audience: Audience) -> bool {
        self.has(audience.role()) || self.has(crate::Role::Candidate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    fn known() -> Vec<String> {
        vec!["31".into(), "09".into()]
    }

    #[test]
    fn codes_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for s in Step::ALL {
            assert_eq!(Step::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn name_and_one_contact_are_enough() {
        let a = Answers {
            name: "Awa".into(),
            phone: "06 12 34 56 78".into(),
            consent: true,
            ..Default::default()
        };
        let c = a.check(&known()).unwrap();
        assert_eq!(c.email, None);
        assert_eq!(c.phone.as_deref(), Some("06 12 34 56 78"));
        assert!(c.actions.is_empty() && c.department.is_none());
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let a = Answers {
            department: "99".into(),
            actions: vec!["voler".into()],
            ..Default::default()
        };
        let fields: Vec<_> = a
            .check(&known())
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            ["name", "department", "email", "actions", "consent"]
        );
    }

    #[test]
    fn a_forged_department_is_refused() {
        assert!(department("75", &known()).is_err());
        assert_eq!(department("31", &known()).unwrap().unwrap().as_str(), "31");
        assert_eq!(department("", &known()).unwrap(), None);
    }

    #[test]
    fn a_bad_address_is_said_beside_its_field() {
        let p = contact("pas-une-adresse", "").unwrap_err();
        assert_eq!(p[0].0, "email");
        let p = contact("", "12").unwrap_err();
        assert_eq!(p[0].0, "phone");
    }

    #[test]
    fn candidates_apply_to_any_training() {
        let p = Principal {
            roles: [Role::Candidate].into(),
            ..Default::default()
        };
        assert!(p.may_apply_to_training(Audience::Peer));
        assert!(p.may_apply_to_training(Audience::Referent));
        assert!(!p.may_follow_candidate(Some("31")));
        let peer = Principal {
            roles: [Role::Peer].into(),
            ..Default::default()
        };
        assert!(peer.may_apply_to_training(Audience::Peer));
        assert!(!peer.may_apply_to_training(Audience::Referent));
    }
}
