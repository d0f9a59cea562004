//! The audit log in words: the one table of what each stored action code
//! means, and the codes that some details and subjects carry (a payment's
//! state, the side of a feedback, the kind of thing acted on), as the page
//! and its CSV show them. The log itself keeps the stable codes.

use epop_domain::payment::PaymentState;

/// Each action code and what it means, in French.
const ACTIONS: &[(&str, &str)] = &[
    ("account_erased", "Compte effacé"),
    ("account_invited", "Personne invitée"),
    ("account_status_changed", "État d’un compte changé"),
    ("account_updated", "Compte modifié"),
    (
        "candidate_closed",
        "Candidature pour rejoindre le réseau close",
    ),
    (
        "candidate_confirmed",
        "Candidature pour rejoindre le réseau confirmée",
    ),
    ("candidate_contacted", "Contact avec une personne candidate"),
    (
        "candidate_invited",
        "Personne candidate invitée à une réunion ou une formation",
    ),
    (
        "candidate_sent",
        "Candidature pour rejoindre le réseau envoyée",
    ),
    ("consent_recorded", "Accord écrit enregistré"),
    ("consent_withdrawn", "Accord retiré"),
    ("directory_exported", "Export de l’annuaire"),
    ("directory_imported", "Import de l’annuaire"),
    ("event_attendance", "Présences à un événement"),
    ("event_cancelled", "Événement annulé"),
    ("event_created", "Événement créé"),
    ("event_export", "Export des inscriptions à un événement"),
    ("event_message", "Message aux personnes inscrites"),
    (
        "event_registered_other",
        "Inscription faite pour une autre personne",
    ),
    ("event_updated", "Événement modifié"),
    ("follow_up_read", "Lecture des notes de suivi"),
    ("follow_up_written", "Note de suivi écrite"),
    ("legal_rule_updated", "Règle d’un cadre juridique modifiée"),
    (
        "milestone_recorded",
        "Étape de l’accompagnement enregistrée",
    ),
    ("needs_read", "Lecture des besoins d’accessibilité"),
    ("organisation_changed", "Organisation d’un compte changée"),
    ("organisation_created", "Organisation créée"),
    (
        "organisation_join_offered",
        "Rattachement à une organisation proposé",
    ),
    (
        "organisation_member_invited",
        "Membre d’une organisation invité",
    ),
    (
        "organisation_member_joined",
        "Membre arrivé dans une organisation",
    ),
    (
        "organisation_member_linked",
        "Compte rattaché à une organisation",
    ),
    ("organisation_updated", "Organisation modifiée"),
    ("password_set", "Mot de passe changé"),
    ("payment_declined", "Paiement refusé par l’intervenant-pair"),
    ("payment_recorded", "Paiement enregistré"),
    ("profile_updated", "Fiche de l’annuaire modifiée"),
    ("proposal_accepted", "Proposition acceptée"),
    ("proposal_declined", "Proposition refusée"),
    ("proposal_question", "Question sur une proposition"),
    (
        "questionnaire_saved",
        "Questionnaire enregistré (nouvelle version)",
    ),
    ("rate_limited", "Trop d’essais : attente imposée"),
    ("request_cancelled", "Demande annulée"),
    ("request_closed", "Demande close"),
    ("request_done", "Intervention réalisée"),
    ("request_edited", "Demande modifiée"),
    ("request_feedback", "Avis sur une intervention"),
    ("request_framework", "Cadre de l’intervention choisi"),
    ("request_message", "Message sur une demande"),
    (
        "request_proposed",
        "Demande proposée à des intervenants-pairs",
    ),
    ("request_qualified", "Demande étudiée"),
    ("request_referent", "Référent de l’accueil choisi"),
    ("request_scheduled", "Intervention programmée"),
    ("request_submitted", "Demande envoyée"),
    ("role_granted", "Rôle donné"),
    ("role_revoked", "Rôle retiré"),
    ("sensitive_read", "Lecture de données sensibles"),
    ("sign_in", "Connexion"),
    ("sign_in_failed", "Connexion refusée"),
    ("sign_out", "Déconnexion"),
    ("territory_changed", "Territoire changé"),
    ("theme_added", "Thème ajouté"),
    ("training_applied", "Candidature à une formation"),
    ("training_attendance", "Présences à une formation"),
    ("training_completed", "Formation terminée"),
    ("training_decision", "Décision sur une candidature"),
    ("training_programme_created", "Programme de formation créé"),
    (
        "training_programme_updated",
        "Programme de formation modifié",
    ),
    ("training_session_created", "Session de formation créée"),
    ("training_session_updated", "Session de formation modifiée"),
    ("training_set", "Formation d’une personne enregistrée"),
];

/// The kinds of subject (`request:12`) and their name.
const SUBJECTS: &[(&str, &str)] = &[
    ("account", "Compte"),
    ("event", "Événement"),
    ("organisation", "Organisation"),
    ("profile", "Fiche"),
    ("request", "Demande"),
    ("session", "Session de formation"),
];

/// The sides of a feedback (`Avis (host)`).
const FEEDBACK_SIDES: &[(&str, &str)] = &[
    ("host", "de l’organisation qui accueille"),
    ("peer", "de l’intervenant-pair"),
];

fn find(table: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    table.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// What an action code means; an unknown code is shown as it is.
pub fn action(code: &str) -> String {
    find(ACTIONS, code).unwrap_or(code).to_owned()
}

/// « Demande 12 » for `request:12`; anything else as it is.
pub fn subject(subject: &str) -> String {
    match subject.split_once(':') {
        Some((kind, id)) => match find(SUBJECTS, kind) {
            Some(name) => format!("{name} {id}"),
            None => subject.to_owned(),
        },
        None => match subject {
            "annuaire" => "Annuaire".to_owned(),
            _ => subject.to_owned(),
        },
    }
}

/// A detail with its codes in words: « Paiement : payé », « Avis de
/// l’organisation qui accueille ».
pub fn detail(detail: &str) -> String {
    if let Some(state) = detail.strip_prefix("Paiement : ") {
        let today = crate::french::paris_today();
        let label = PaymentState::of(state, None, today).label().to_lowercase();
        return format!("Paiement : {label}");
    }
    let side = detail
        .strip_prefix("Avis (")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|code| find(FEEDBACK_SIDES, code));
    match side {
        Some(side) => format!("Avis {side}"),
        None => detail.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_in_french() {
        assert_eq!(action("payment_recorded"), "Paiement enregistré");
        assert_eq!(action("not_known"), "not_known");
        assert_eq!(subject("request:12"), "Demande 12");
        assert_eq!(detail("Paiement : paid"), "Paiement : payé");
        assert_eq!(
            detail("Avis (host)"),
            "Avis de l’organisation qui accueille"
        );
        assert_eq!(detail("Mot de passe changé"), "Mot de passe changé");
    }
}
