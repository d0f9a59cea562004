//! The task list at the top of the coordinator's page: each step of a
//! request's journey, whether it is done, which one comes next, and the
//! section of the page where it is done.

/// One step of the journey.
pub struct Task {
    pub label: &'static str,
    /// The id of the page's part where it is done, when the page shows it
    /// now.
    pub anchor: Option<&'static str>,
    pub done: bool,
    /// The first step not done yet.
    pub next: bool,
}

/// What is known of the request, step by step.
pub struct Progress {
    pub studied: bool,
    pub proposed: bool,
    pub referent: bool,
    pub framework: bool,
    pub scheduled: bool,
    pub paid: bool,
    pub done: bool,
    pub feedback: bool,
}

/// The steps in their usual order (the host's référent, the framework and
/// the schedule may come in any order once a peer accepted); `shown`: the
/// ids of the parts the page shows now.
pub fn tasks(p: &Progress, shown: &[&str]) -> Vec<Task> {
    let steps: [(&'static str, &[&'static str], bool); 9] = [
        ("Étudier la demande", &["etudier", "suggestions"], p.studied),
        (
            "Proposer à des intervenants-pairs",
            &["suggestions", "propositions"],
            p.proposed,
        ),
        (
            "Nommer le référent de l’organisation",
            &["accueil"],
            p.referent,
        ),
        ("Choisir le cadre juridique", &["cadre"], p.framework),
        ("Donner la fiche de mission", &["cadre"], p.framework),
        ("Programmer l’intervention", &["programmer"], p.scheduled),
        ("Noter que l’intervention a eu lieu", &["realisee"], p.done),
        ("Payer l’intervenant-pair", &["paiement"], p.paid),
        ("Recueillir les avis", &["avis"], p.feedback),
    ];
    let first_open = steps.iter().position(|(_, _, done)| !done);
    steps
        .iter()
        .enumerate()
        .map(|(i, (label, places, done))| Task {
            label,
            anchor: places.iter().copied().find(|a| shown.contains(a)),
            done: *done,
            next: Some(i) == first_open,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_task_is_the_first_not_done() {
        let p = Progress {
            studied: true,
            proposed: true,
            referent: false,
            framework: true,
            scheduled: false,
            paid: false,
            done: false,
            feedback: false,
        };
        let t = tasks(&p, &["accueil", "cadre"]);
        let next: Vec<_> = t.iter().filter(|t| t.next).map(|t| t.label).collect();
        assert_eq!(next, vec!["Nommer le référent de l’organisation"]);
        assert!(t[3].done && !t[3].next);
        assert_eq!(t[2].anchor, Some("accueil"));
        assert_eq!(t[0].anchor, None, "no part of the page for it now");
        let all = Progress {
            referent: true,
            scheduled: true,
            paid: true,
            done: true,
            feedback: true,
            ..p
        };
        assert!(tasks(&all, &[]).iter().all(|t| t.done && !t.next));
    }
}
