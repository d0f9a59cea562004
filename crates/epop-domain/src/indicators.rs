//! The indicators of the network: what the figures are about ([`Filter`]:
//! a period, a territory, a kind of intervention), the raw figures the store
//! counts ([`Indicators`]: plain counts, sums, medians, month by month), who
//! may see the figures of a territory and how ([`sight`]), and the report
//! every view renders ([`report::report`], a [`figures::Report`](crate::figures::Report)
//! whose counts of people are already masked).
//!
//! Who sees what: an admin sees every territory exactly (the national
//! coordination is the coordination of every territory); a coordinator
//! sees the territories they coordinate exactly, and a local programme they
//! coordinate; an observer or funder sees the territories they are given
//! (a région only when they are given all its départements, a programme
//! when they are given all of its départements: this is how the regional
//! authority sees its local programmes), masked; the public statistics are
//! national and regional, masked. Anyone else sees nothing.

pub mod filter;
pub mod report;

pub use filter::{Area, Filter, Month, Period};

use crate::Principal;
use crate::questionnaire::small::Sight;

/// The stages a request reaches, counted over the requests received
/// (sent by their organisation) in the period, whatever happened after.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Funnel {
    pub received: u64,
    /// Examined by the coordination (`qualified`).
    pub studied: u64,
    pub proposed: u64,
    pub accepted: u64,
    pub done: u64,
    pub cancelled: u64,
}

/// One scale question's answers in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scale {
    /// The questionnaire's purpose code (`intervention`, `fin-formation`…).
    pub purpose: String,
    pub question_code: String,
    /// The question's wording (of the latest version answered).
    pub wording: String,
    /// (step 1 to 5, how many chose it).
    pub per_step: Vec<(i64, u64)>,
    /// « Je préfère ne pas répondre ».
    pub declined: u64,
}

/// How many were asked and how many answered one kind of questionnaire.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Asked {
    pub purpose: String,
    /// Invitations sent (people asked).
    pub invitations: u64,
    /// Responses received (anonymous).
    pub responses: u64,
}

/// The raw figures of a filter, as the store counts them: nothing masked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Indicators {
    pub requests: Funnel,
    /// Cancelled requests of the funnel by the state they were cancelled
    /// from (state code, count); the reasons typed are free text and may
    /// name people, so they are not shown.
    pub cancelled_from: Vec<(String, u64)>,
    /// Requests received, one per month of the period.
    pub received_by_month: Vec<u64>,
    /// Interventions done (marked done), one per month of the period.
    pub done_by_month: Vec<u64>,
    /// Median of the whole days from a request's sending to its
    /// intervention being marked done, over the interventions done in the
    /// period; `None` when there is none.
    pub median_days_to_done: Option<u64>,
    /// Interventions done in the period by kind (code, count).
    pub done_by_kind: Vec<(String, u64)>,
    /// Interventions done by the kind of their host organisation (code, count).
    pub done_by_host: Vec<(String, u64)>,
    /// Minutes of the interventions done (their scheduled start to end).
    pub minutes: u64,
    /// The audience sizes the organisations gave for those interventions.
    pub people_reached: u64,
    /// Distinct peer workers who did at least one of those interventions.
    pub peers_active: u64,
    /// People who completed a peer training in the period (living in the
    /// territory).
    pub peers_trained: u64,
    /// People who completed a référent training in the period.
    pub referents_trained: u64,
    /// Training sessions with at least one half-day in the period.
    pub training_sessions: u64,
    pub training_half_days: u64,
    /// Distinct people accepted in those sessions.
    pub trainees: u64,
    /// Attendance marks of those half-days: present, and all marks.
    pub attendance_present: u64,
    pub attendance_marked: u64,
    /// Events held (not cancelled) in the period, information meetings apart.
    pub events: u64,
    pub event_registrations: u64,
    pub event_attended: u64,
    pub meetings: u64,
    pub meeting_registrations: u64,
    pub meeting_attended: u64,
    /// Applications to join sent in the period, and those of them now trained.
    pub candidates: u64,
    pub candidates_trained: u64,
    /// Fees paid to peers for the interventions done, and the expenses they
    /// declared for them (cents).
    pub paid_cents: i64,
    pub expenses_cents: i64,
    pub satisfaction: Vec<Scale>,
    pub asked: Vec<Asked>,
}

/// How `p` may see the figures of `area`, whose départements are
/// `departments` and, for a local programme, whose coordinators are
/// `programme_coordinators`: `None` when not at all. See the module's
/// documentation for the rule.
pub fn sight(
    p: &Principal,
    area: &Area,
    departments: &[String],
    programme_coordinators: &[i64],
) -> Option<Sight> {
    if p.is_admin() {
        return Some(Sight::Exact);
    }
    if *area == Area::National {
        return None;
    }
    let coordinator = p.has(crate::Role::Coordinator);
    if coordinator
        && matches!(area, Area::Programme(_))
        && programme_coordinators.contains(&p.account_id)
    {
        return Some(Sight::Exact);
    }
    if departments.is_empty() {
        return None;
    }
    if coordinator && departments.iter().all(|d| p.coordinates(d)) {
        return Some(Sight::Exact);
    }
    if p.has(crate::Role::Observer)
        && departments
            .iter()
            .all(|d| p.observed_departments.contains(d))
    {
        return Some(Sight::Masked);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DepartmentCode, RegionCode, Role};

    fn principal(role: Role, depts: &[&str]) -> Principal {
        let set: std::collections::BTreeSet<String> = depts.iter().map(|d| d.to_string()).collect();
        Principal {
            account_id: 9,
            roles: [role].into(),
            coordinated_departments: if role == Role::Coordinator {
                set.clone()
            } else {
                Default::default()
            },
            observed_departments: if role == Role::Observer {
                set
            } else {
                Default::default()
            },
        }
    }

    fn depts(d: &[&str]) -> Vec<String> {
        d.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn each_role_sees_its_territories_as_the_rule_says() {
        let region = Area::Region(RegionCode::parse("76").unwrap());
        let dept = Area::Department(DepartmentCode::parse("31").unwrap());
        let admin = principal(Role::Admin, &[]);
        assert_eq!(sight(&admin, &Area::National, &[], &[]), Some(Sight::Exact));
        let coord = principal(Role::Coordinator, &["31", "09"]);
        assert_eq!(
            sight(&coord, &dept, &depts(&["31"]), &[]),
            Some(Sight::Exact)
        );
        assert_eq!(
            sight(&coord, &region, &depts(&["31", "09", "11"]), &[]),
            None
        );
        assert_eq!(sight(&coord, &Area::National, &[], &[]), None);
        let funder = principal(Role::Observer, &["31", "09", "11"]);
        assert_eq!(
            sight(&funder, &region, &depts(&["31", "09", "11"]), &[]),
            Some(Sight::Masked)
        );
        assert_eq!(
            sight(&funder, &dept, &depts(&["31"]), &[]),
            Some(Sight::Masked)
        );
        assert_eq!(
            sight(
                &funder,
                &Area::Department(DepartmentCode::parse("33").unwrap()),
                &depts(&["33"]),
                &[]
            ),
            None
        );
        assert_eq!(sight(&funder, &Area::National, &[], &[]), None);
        for role in [Role::Peer, Role::Referent, Role::Requester, Role::Candidate] {
            assert_eq!(
                sight(&principal(role, &[]), &dept, &depts(&["31"]), &[]),
                None
            );
        }
    }

    #[test]
    fn a_programme_is_seen_by_its_coordinators_and_whoever_observes_all_its_places() {
        let prog = Area::Programme("occitanie".into());
        let own = principal(Role::Coordinator, &[]);
        assert_eq!(
            sight(&own, &prog, &depts(&["31", "33"]), &[9]),
            Some(Sight::Exact)
        );
        assert_eq!(sight(&own, &prog, &depts(&["31", "33"]), &[4]), None);
        let authority = principal(Role::Observer, &["31", "33", "09"]);
        assert_eq!(
            sight(&authority, &prog, &depts(&["31", "33"]), &[4]),
            Some(Sight::Masked)
        );
        assert_eq!(sight(&authority, &prog, &[], &[4]), None);
        // An observer listed as a programme's coordinator gains nothing from it.
        let listed = principal(Role::Observer, &[]);
        assert_eq!(sight(&listed, &prog, &depts(&["31"]), &[9]), None);
    }
}
