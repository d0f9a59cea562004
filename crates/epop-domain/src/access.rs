//! Roles and what each may do. Every web route asks a `Principal` before it
//! reads or writes anything; checks that involve a place take the territory.

use std::collections::BTreeSet;

/// What a person is in the network. One person may hold several roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Admin,
    Coordinator,
    Referent,
    Peer,
    Requester,
    Observer,
    /// On the way to becoming a peer worker or a référent: applied without
    /// an account and confirmed their address; sees their own application
    /// and path, nothing of the network's members.
    Candidate,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Coordinator,
        Role::Referent,
        Role::Peer,
        Role::Requester,
        Role::Observer,
        Role::Candidate,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Referent => "referent",
            Role::Peer => "peer",
            Role::Requester => "requester",
            Role::Observer => "observer",
            Role::Candidate => "candidate",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The name people read.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Administrateur ou administratrice du réseau",
            Role::Coordinator => "Coordinateur ou coordinatrice de territoire",
            Role::Referent => "Référent ou référente en intervention par les pairs",
            Role::Peer => "Intervenant-pair ou intervenante-paire",
            Role::Requester => "Membre d’une organisation demandeuse",
            Role::Observer => "Financeur ou observateur",
            Role::Candidate => "Candidat ou candidate",
        }
    }

    /// Roles whose powers stop at the borders of their territories.
    pub fn is_territorial(self) -> bool {
        matches!(self, Role::Coordinator | Role::Observer)
    }
}

/// The signed-in person as the rules see them: roles, and the départements
/// their territorial roles cover (a region scope is expanded to its
/// départements by whoever builds the principal).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Principal {
    pub account_id: i64,
    pub roles: BTreeSet<Role>,
    pub coordinated_departments: BTreeSet<String>,
    pub observed_departments: BTreeSet<String>,
}

impl Principal {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// May open the administration area at all (each page checks more).
    pub fn may_administer(&self) -> bool {
        self.is_admin() || self.has(Role::Coordinator)
    }

    /// Organisations, rules and the audit log are national: admins only.
    pub fn may_manage_organisations(&self) -> bool {
        self.is_admin()
    }

    pub fn may_read_audit_log(&self) -> bool {
        self.is_admin()
    }

    /// Whether this person coordinates the given département.
    pub fn coordinates(&self, department: &str) -> bool {
        self.has(Role::Coordinator) && self.coordinated_departments.contains(department)
    }

    /// Acts for the network in this département: an admin anywhere, a
    /// coordinator in their territory. `None` (national): admins only.
    pub fn may_act_in(&self, department: Option<&str>) -> bool {
        self.is_admin() || department.is_some_and(|d| self.coordinates(d))
    }

    /// May see and edit an account whose home département is `department`.
    /// Accounts with no département are national: admins only.
    pub fn may_manage_account_in(&self, department: Option<&str>) -> bool {
        self.may_act_in(department)
    }

    /// May edit a given account: it lives in this person's territory, and it
    /// holds no role this person could not give (a coordinator cannot edit an
    /// administrator or another coordinator).
    pub fn may_manage_account(
        &self,
        department: Option<&str>,
        roles: impl IntoIterator<Item = Role>,
    ) -> bool {
        self.may_manage_account_in(department) && roles.into_iter().all(|r| self.may_grant(r))
    }

    /// May make an account a member of an organisation whose département is
    /// `department` (inviting it, linking it, naming it référent): an admin
    /// anywhere, a coordinator for the organisations of their territory.
    /// An organisation without a département is national: admins only.
    pub fn may_add_members(&self, department: Option<&str>) -> bool {
        self.may_act_in(department)
    }

    /// May open the messages written to the coordination (each
    /// conversation is read only by the accounts it was addressed to).
    pub fn may_read_contact_messages(&self) -> bool {
        self.is_admin() || self.has(Role::Coordinator)
    }

    /// Which roles this person may give to someone else.
    pub fn may_grant(&self, role: Role) -> bool {
        if self.is_admin() {
            return true;
        }
        self.has(Role::Coordinator) && matches!(role, Role::Peer | Role::Referent | Role::Requester)
    }

    /// Roles this person may give, in display order.
    pub fn grantable_roles(&self) -> Vec<Role> {
        Role::ALL
            .into_iter()
            .filter(|r| self.may_grant(*r))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coordinator_of(depts: &[&str]) -> Principal {
        Principal {
            account_id: 7,
            roles: [Role::Coordinator].into(),
            coordinated_departments: depts.iter().map(|d| d.to_string()).collect(),
            observed_departments: BTreeSet::new(),
        }
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("superuser"), None);
    }

    #[test]
    fn coordinator_is_limited_to_their_departments() {
        let c = coordinator_of(&["31", "09"]);
        assert!(c.may_manage_account_in(Some("31")));
        assert!(!c.may_manage_account_in(Some("33")));
        assert!(!c.may_manage_account_in(None));
        assert!(c.may_administer());
        assert!(!c.may_manage_organisations());
        assert!(!c.may_read_audit_log());
    }

    #[test]
    fn coordinator_grants_only_field_roles() {
        let c = coordinator_of(&["31"]);
        assert_eq!(
            c.grantable_roles(),
            vec![Role::Referent, Role::Peer, Role::Requester]
        );
        assert!(!c.may_grant(Role::Admin));
        assert!(!c.may_grant(Role::Coordinator));
        assert!(!c.may_grant(Role::Observer));
    }

    #[test]
    fn coordinator_cannot_edit_accounts_above_them() {
        let c = coordinator_of(&["31"]);
        assert!(c.may_manage_account(Some("31"), [Role::Peer, Role::Referent]));
        assert!(!c.may_manage_account(Some("31"), [Role::Peer, Role::Coordinator]));
        assert!(!c.may_manage_account(Some("31"), [Role::Admin]));
        assert!(!c.may_manage_account(Some("32"), [Role::Peer]));
    }

    #[test]
    fn admin_may_do_everything_national() {
        let a = Principal {
            roles: [Role::Admin].into(),
            ..Default::default()
        };
        assert!(a.may_manage_account_in(None));
        assert!(a.may_manage_account_in(Some("976")));
        assert_eq!(a.grantable_roles().len(), 7);
    }

    #[test]
    fn peer_and_observer_administer_nothing() {
        for role in [
            Role::Peer,
            Role::Observer,
            Role::Referent,
            Role::Requester,
            Role::Candidate,
        ] {
            let p = Principal {
                roles: [role].into(),
                ..Default::default()
            };
            assert!(!p.may_administer(), "{role:?}");
            assert!(!p.may_manage_account_in(Some("31")));
            assert!(p.grantable_roles().is_empty());
        }
    }

    #[test]
    fn a_person_with_two_roles_has_both() {
        let p = Principal {
            roles: [Role::Peer, Role::Referent].into(),
            ..Default::default()
        };
        assert!(p.has(Role::Peer) && p.has(Role::Referent) && !p.has(Role::Admin));
    }
}
