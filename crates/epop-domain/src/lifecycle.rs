//! The life cycle of an intervention request: its states (codes stored,
//! labels read by people, easy-read labels for requesters and peers), the
//! actions that move it, the transition table, and which kind of actor may
//! take each action.
//!
//! `draft → submitted → qualified → proposed → accepted → scheduled → done →
//! evaluated → closed`, and `cancelled` (with a reason) from any state before
//! `done`. A declined or expired proposal sends the request back to
//! `qualified`. Who the actor is in relation to the request (its
//! organisation, the peer the proposal was made to, the coordinator of its
//! département) is checked by the caller; here is only what each kind of
//! actor may do at all.

use crate::text::paragraph;
use crate::{Invalid, Role};

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum State {
    Draft,
    Submitted,
    Qualified,
    Proposed,
    Accepted,
    Scheduled,
    Done,
    Evaluated,
    Closed,
    Cancelled,
}

impl State {
    pub const ALL: [State; 10] = [
        State::Draft,
        State::Submitted,
        State::Qualified,
        State::Proposed,
        State::Accepted,
        State::Scheduled,
        State::Done,
        State::Evaluated,
        State::Closed,
        State::Cancelled,
    ];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::Qualified => "qualified",
            State::Proposed => "proposed",
            State::Accepted => "accepted",
            State::Scheduled => "scheduled",
            State::Done => "done",
            State::Evaluated => "evaluated",
            State::Closed => "closed",
            State::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The words coordinators and requesters read.
    pub fn label(self) -> &'static str {
        match self {
            State::Draft => "Brouillon",
            State::Submitted => "Envoyée, à examiner",
            State::Qualified => {
                "Examinée, recherche d’un intervenant-pair ou d’une intervenante-paire"
            }
            State::Proposed => "Proposée à un ou plusieurs intervenants-pairs",
            State::Accepted => "Acceptée par un intervenant-pair ou une intervenante-paire",
            State::Scheduled => "Date fixée",
            State::Done => "Intervention réalisée",
            State::Evaluated => "Avis recueillis",
            State::Closed => "Clôturée",
            State::Cancelled => "Annulée",
        }
    }

    /// The same in easy-read French (FALC), for requesters and peers.
    pub fn label_easy(self) -> &'static str {
        match self {
            State::Draft => "Pas encore envoyée.",
            State::Submitted => "Envoyée. La coordination va la lire.",
            State::Qualified => "La coordination cherche une personne pour intervenir.",
            State::Proposed => "La coordination a demandé à une ou plusieurs personnes.",
            State::Accepted => "Une personne a dit oui.",
            State::Scheduled => "La date est fixée.",
            State::Done => "L’intervention a eu lieu.",
            State::Evaluated => "Chacun a donné son avis.",
            State::Closed => "C’est fini.",
            State::Cancelled => "La demande est annulée.",
        }
    }

    /// No action moves the request any more.
    pub fn is_final(self) -> bool {
        matches!(self, State::Closed | State::Cancelled)
    }

    /// The request may still be cancelled (any state before `done`).
    pub fn may_be_cancelled(self) -> bool {
        self < State::Done
    }
}

/// What moves a request from one state to the next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Submit,
    Qualify,
    /// Propose the request to one or several peers (again while `proposed`:
    /// more peers are asked).
    Propose,
    PeerAccepts,
    PeerDeclines,
    ProposalExpires,
    /// Fix the date (again while `scheduled`: the date changes).
    Schedule,
    MarkDone,
    Evaluate,
    Close,
    Cancel {
        reason: String,
    },
}

/// Longest cancellation reason kept.
pub const MAX_REASON_CHARS: usize = 1000;

impl Action {
    pub const CODES: [&'static str; 11] = [
        "submit",
        "qualify",
        "propose",
        "peer_accepts",
        "peer_declines",
        "proposal_expires",
        "schedule",
        "mark_done",
        "evaluate",
        "close",
        "cancel",
    ];

    /// The code stored with each recorded transition.
    pub fn code(&self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Qualify => "qualify",
            Action::Propose => "propose",
            Action::PeerAccepts => "peer_accepts",
            Action::PeerDeclines => "peer_declines",
            Action::ProposalExpires => "proposal_expires",
            Action::Schedule => "schedule",
            Action::MarkDone => "mark_done",
            Action::Evaluate => "evaluate",
            Action::Close => "close",
            Action::Cancel { .. } => "cancel",
        }
    }

    /// From a stored code or a form's button; `reason` is needed (and
    /// checked) only to cancel.
    pub fn parse(code: &str, reason: &str) -> Result<Action, Invalid> {
        Ok(match code {
            "submit" => Action::Submit,
            "qualify" => Action::Qualify,
            "propose" => Action::Propose,
            "peer_accepts" => Action::PeerAccepts,
            "peer_declines" => Action::PeerDeclines,
            "proposal_expires" => Action::ProposalExpires,
            "schedule" => Action::Schedule,
            "mark_done" => Action::MarkDone,
            "evaluate" => Action::Evaluate,
            "close" => Action::Close,
            "cancel" => Action::cancel(reason)?,
            _ => {
                return Err(Invalid::new(format!(
                    "« {code} » n’est pas une action connue sur une demande."
                )));
            }
        })
    }

    /// Cancelling needs a reason: the people concerned are told why.
    pub fn cancel(reason: &str) -> Result<Action, Invalid> {
        paragraph(
            reason,
            "la raison de l’annulation, qui sera envoyée aux personnes concernées",
            MAX_REASON_CHARS,
        )
        .map(|reason| Action::Cancel { reason })
    }

    /// What the action does, as a French infinitive (« qualifier la demande »).
    pub fn label(&self) -> &'static str {
        match self {
            Action::Submit => "envoyer la demande",
            Action::Qualify => "valider l’examen de la demande",
            Action::Propose => "proposer la demande à des intervenants-pairs",
            Action::PeerAccepts => "accepter la proposition",
            Action::PeerDeclines => "refuser la proposition",
            Action::ProposalExpires => "clore une proposition restée sans réponse",
            Action::Schedule => "fixer la date",
            Action::MarkDone => "noter que l’intervention a eu lieu",
            Action::Evaluate => "enregistrer les avis",
            Action::Close => "clôturer la demande",
            Action::Cancel { .. } => "annuler la demande",
        }
    }

    /// Every action, in the order of the life cycle, cancelling with `reason`.
    pub fn every(reason: &str) -> Vec<Action> {
        Self::CODES
            .into_iter()
            .filter_map(|code| Action::parse(code, reason).ok())
            .collect()
    }

    /// The reason given, for the record of the transition.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Cancel { reason } => Some(reason),
            _ => None,
        }
    }
}

/// The state a request reaches by `action`, or why it cannot.
pub fn next(state: State, action: &Action) -> Result<State, Invalid> {
    use State::*;
    let to = match (state, action) {
        (Draft, Action::Submit) => Some(Submitted),
        (Submitted, Action::Qualify) => Some(Qualified),
        (Qualified | Proposed, Action::Propose) => Some(Proposed),
        (Proposed, Action::PeerAccepts) => Some(Accepted),
        (Proposed, Action::PeerDeclines | Action::ProposalExpires) => Some(Qualified),
        (Accepted | Scheduled, Action::Schedule) => Some(Scheduled),
        (Scheduled, Action::MarkDone) => Some(Done),
        (Done, Action::Evaluate) => Some(Evaluated),
        (Evaluated, Action::Close) => Some(Closed),
        (s, Action::Cancel { reason }) if s.may_be_cancelled() => {
            if reason.trim().is_empty() {
                return Err(Invalid::new(
                    "Saisissez la raison de l’annulation : elle sera envoyée aux personnes concernées.",
                ));
            }
            Some(Cancelled)
        }
        _ => None,
    };
    to.ok_or_else(|| {
        Invalid::new(format!(
            "Impossible de {} : la demande est « {} ».{}",
            action.label(),
            state.label(),
            match state {
                Closed | Cancelled => " Elle ne peut plus changer.",
                Done | Evaluated if matches!(action, Action::Cancel { .. }) => {
                    " Une intervention qui a eu lieu ne s’annule pas."
                }
                _ => "",
            }
        ))
    })
}

/// Who takes an action on a request. `System` is the scheduled work that
/// ends proposals past their answer deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Actor {
    Admin,
    Coordinator,
    Peer,
    Requester,
    System,
}

impl Actor {
    pub const ALL: [Actor; 5] = [
        Actor::Admin,
        Actor::Coordinator,
        Actor::Peer,
        Actor::Requester,
        Actor::System,
    ];

    /// The actor a role acts as on requests (référents and observers take
    /// no action on them).
    pub fn from_role(role: Role) -> Option<Actor> {
        match role {
            Role::Admin => Some(Actor::Admin),
            Role::Coordinator => Some(Actor::Coordinator),
            Role::Peer => Some(Actor::Peer),
            Role::Requester => Some(Actor::Requester),
            Role::Referent | Role::Observer | Role::Candidate => None,
        }
    }
}

/// Whether this kind of actor may take `action` on a request in `state`:
/// the requester submits their draft and cancels before the date is fixed;
/// the peer accepts or declines; the scheduled work expires proposals; the
/// coordinator does the rest; the administrator everything.
pub fn may_take(actor: Actor, action: &Action, state: State) -> bool {
    match actor {
        Actor::Admin => true,
        Actor::Coordinator => !matches!(action, Action::PeerAccepts | Action::PeerDeclines),
        Actor::Peer => matches!(action, Action::PeerAccepts | Action::PeerDeclines),
        Actor::Requester => match action {
            Action::Submit => true,
            Action::Cancel { .. } => state < State::Scheduled,
            _ => false,
        },
        // The scheduled work ends proposals past their deadline; a request
        // is evaluated on its own once both sides gave their feedback.
        Actor::System => matches!(action, Action::ProposalExpires | Action::Evaluate),
    }
}

/// Checks who acts, then moves the request: the state reached, or the
/// French reason why not.
pub fn act(actor: Actor, state: State, action: &Action) -> Result<State, Invalid> {
    if !may_take(actor, action, state) {
        return Err(Invalid::new(match (actor, action) {
            (Actor::Requester, Action::Cancel { .. }) => {
                "La date est fixée : pour annuler, écrivez à la coordination.".to_owned()
            }
            (_, Action::PeerAccepts | Action::PeerDeclines) => {
                "Seule la personne à qui la demande est proposée peut répondre.".to_owned()
            }
            _ => format!(
                "Vous ne pouvez pas {} : c’est le rôle de la coordination.",
                action.label()
            ),
        }));
    }
    next(state, action)
}

/// The actions that can move a request in `state` (cancellation shown with
/// an empty reason), for the buttons a page offers.
pub fn possible_actions(state: State) -> Vec<Action> {
    Action::every("—")
        .into_iter()
        .filter(|a| next(state, a).is_ok())
        .map(|a| match a {
            Action::Cancel { .. } => Action::Cancel {
                reason: String::new(),
            },
            a => a,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use State::*;

    fn every_action() -> Vec<Action> {
        Action::every("La structure a fermé.")
    }

    /// The whole table: every pair not listed here is refused.
    const ALLOWED: [(State, &str, State); 18] = [
        (Draft, "submit", Submitted),
        (Submitted, "qualify", Qualified),
        (Qualified, "propose", Proposed),
        (Proposed, "propose", Proposed),
        (Proposed, "peer_accepts", Accepted),
        (Proposed, "peer_declines", Qualified),
        (Proposed, "proposal_expires", Qualified),
        (Accepted, "schedule", Scheduled),
        (Scheduled, "schedule", Scheduled),
        (Scheduled, "mark_done", Done),
        (Done, "evaluate", Evaluated),
        (Evaluated, "close", Closed),
        (Draft, "cancel", Cancelled),
        (Submitted, "cancel", Cancelled),
        (Qualified, "cancel", Cancelled),
        (Proposed, "cancel", Cancelled),
        (Accepted, "cancel", Cancelled),
        (Scheduled, "cancel", Cancelled),
    ];

    #[test]
    fn every_state_and_action_is_allowed_or_refused_as_the_table_says() {
        let mut allowed = 0;
        for state in State::ALL {
            for action in every_action() {
                let expected = ALLOWED
                    .iter()
                    .find(|(s, a, _)| *s == state && *a == action.code())
                    .map(|(_, _, to)| *to);
                match (next(state, &action), expected) {
                    (Ok(to), Some(want)) => {
                        assert_eq!(to, want, "{state:?} + {}", action.code());
                        allowed += 1;
                    }
                    (Err(e), None) => {
                        assert!(
                            e.0.starts_with("Impossible de ") && e.0.contains(state.label()),
                            "{state:?} + {}: {}",
                            action.code(),
                            e.0
                        );
                    }
                    (got, want) => panic!("{state:?} + {}: {got:?}, want {want:?}", action.code()),
                }
            }
        }
        assert_eq!(allowed, ALLOWED.len());
    }

    #[test]
    fn declined_or_expired_proposals_go_back_to_qualified() {
        assert_eq!(next(Proposed, &Action::PeerDeclines), Ok(Qualified));
        assert_eq!(next(Proposed, &Action::ProposalExpires), Ok(Qualified));
        assert_eq!(next(Qualified, &Action::Propose), Ok(Proposed));
    }

    #[test]
    fn cancelling_needs_a_reason_and_stops_at_done() {
        assert!(Action::cancel("  ").is_err());
        assert!(Action::parse("cancel", "").is_err());
        let c = Action::parse("cancel", " La salle n’est plus disponible. ").unwrap();
        assert_eq!(c.reason(), Some("La salle n’est plus disponible."));
        assert!(
            next(Scheduled, &Action::Cancel { reason: " ".into() })
                .unwrap_err()
                .0
                .contains("raison")
        );
        for s in [Done, Evaluated] {
            assert!(next(s, &c).unwrap_err().0.contains("ne s’annule pas"));
        }
        for s in [Closed, Cancelled] {
            assert!(next(s, &c).unwrap_err().0.contains("ne peut plus changer"));
            assert!(s.is_final());
        }
    }

    #[test]
    fn codes_round_trip() {
        assert_eq!(every_action().len(), Action::CODES.len());
        for s in State::ALL {
            assert_eq!(State::from_code(s.code()), Some(s));
            assert!(!s.label().is_empty() && s.label_easy().ends_with('.'));
        }
        for a in every_action() {
            assert_eq!(Action::parse(a.code(), "La structure a fermé.").unwrap(), a);
        }
        assert!(Action::parse("teleport", "").is_err());
        assert_eq!(State::from_code("lost"), None);
    }

    #[test]
    fn who_may_take_each_action() {
        use Actor::*;
        for state in State::ALL {
            for action in every_action() {
                let code = action.code();
                let expected = |actor: Actor| match actor {
                    Admin => true,
                    Coordinator => !matches!(code, "peer_accepts" | "peer_declines"),
                    Peer => matches!(code, "peer_accepts" | "peer_declines"),
                    Requester => {
                        code == "submit"
                            || code == "cancel"
                                && matches!(
                                    state,
                                    Draft | Submitted | Qualified | Proposed | Accepted
                                )
                    }
                    System => code == "proposal_expires" || code == "evaluate",
                };
                for actor in Actor::ALL {
                    assert_eq!(
                        may_take(actor, &action, state),
                        expected(actor),
                        "{actor:?} {code} in {state:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn acting_checks_the_actor_then_the_state() {
        let cancel = Action::cancel("Plus de budget.").unwrap();
        assert_eq!(act(Actor::Requester, Draft, &Action::Submit), Ok(Submitted));
        assert_eq!(act(Actor::Requester, Accepted, &cancel), Ok(Cancelled));
        assert!(
            act(Actor::Requester, Scheduled, &cancel)
                .unwrap_err()
                .0
                .contains("écrivez à la coordination")
        );
        assert_eq!(act(Actor::Coordinator, Scheduled, &cancel), Ok(Cancelled));
        assert!(
            act(Actor::Coordinator, Proposed, &Action::PeerAccepts)
                .unwrap_err()
                .0
                .contains("Seule la personne à qui")
        );
        assert_eq!(
            act(Actor::Peer, Proposed, &Action::PeerAccepts),
            Ok(Accepted)
        );
        assert!(
            act(Actor::Peer, Accepted, &Action::Schedule)
                .unwrap_err()
                .0
                .contains("rôle de la coordination")
        );
        assert!(act(Actor::Peer, Accepted, &Action::PeerAccepts).is_err());
        assert_eq!(
            act(Actor::System, Proposed, &Action::ProposalExpires),
            Ok(Qualified)
        );
        assert_eq!(
            act(Actor::Admin, Proposed, &Action::PeerDeclines),
            Ok(Qualified)
        );
        assert_eq!(Actor::from_role(Role::Observer), None);
        assert_eq!(
            Actor::from_role(Role::Coordinator),
            Some(Actor::Coordinator)
        );
    }

    #[test]
    fn possible_actions_follow_the_table() {
        let codes = |s| {
            possible_actions(s)
                .iter()
                .map(Action::code)
                .collect::<Vec<_>>()
        };
        assert_eq!(codes(Draft), vec!["submit", "cancel"]);
        assert_eq!(
            codes(Proposed),
            vec![
                "propose",
                "peer_accepts",
                "peer_declines",
                "proposal_expires",
                "cancel"
            ]
        );
        assert_eq!(codes(Done), vec!["evaluate"]);
        assert!(codes(Closed).is_empty() && codes(Cancelled).is_empty());
    }
}
