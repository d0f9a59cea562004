//! The questions of the profile form, in order, with their page address,
//! their title and their help; which of them a peer or a référent answers,
//! and which only the person answers (the sensitive ones).

use epop_domain::directory::ProfileKind;

/// The questions, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Name,
    Photo,
    Presentation,
    EasyPresentation,
    Job,
    Interventions,
    Themes,
    Format,
    Territory,
    Languages,
    Availability,
    Visibility,
    Accommodations,
    Experience,
}

const PEER_STEPS: &[Step] = &[
    Step::Name,
    Step::Photo,
    Step::Presentation,
    Step::EasyPresentation,
    Step::Interventions,
    Step::Themes,
    Step::Format,
    Step::Territory,
    Step::Languages,
    Step::Availability,
    Step::Visibility,
    Step::Accommodations,
    Step::Experience,
];
const REFERENT_STEPS: &[Step] = &[
    Step::Name,
    Step::Photo,
    Step::Presentation,
    Step::Job,
    Step::Territory,
    Step::Visibility,
];

impl Step {
    pub(super) fn slug(self) -> &'static str {
        match self {
            Step::Name => "nom",
            Step::Photo => "photo",
            Step::Presentation => "presentation",
            Step::EasyPresentation => "presentation-facile",
            Step::Job => "metier",
            Step::Interventions => "interventions",
            Step::Themes => "themes",
            Step::Format => "format",
            Step::Territory => "territoire",
            Step::Languages => "langues",
            Step::Availability => "disponibilite",
            Step::Visibility => "visibilite",
            Step::Accommodations => "amenagements",
            Step::Experience => "experience",
        }
    }

    /// The question, as the page's title.
    pub(super) fn question(self) -> &'static str {
        match self {
            Step::Name => "Quel nom voulez-vous montrer ?",
            Step::Photo => "Voulez-vous montrer une photo ?",
            Step::Presentation => "Présentez-vous",
            Step::EasyPresentation => "Présentez-vous en phrases faciles",
            Step::Job => "Quel est votre métier ?",
            Step::Interventions => "Que voulez-vous faire ?",
            Step::Themes => "De quels sujets voulez-vous parler ?",
            Step::Format => "Comment voulez-vous intervenir ?",
            Step::Territory => "Où pouvez-vous intervenir ?",
            Step::Languages => "Dans quelles langues ?",
            Step::Availability => "Combien d’interventions par mois, au plus ?",
            Step::Visibility => "Qui peut voir votre fiche ?",
            Step::Accommodations => "De quoi avez-vous besoin pour bien travailler ?",
            Step::Experience => "Voulez-vous parler de votre handicap ?",
        }
    }

    pub(super) fn help(self) -> &'static str {
        match self {
            Step::Photo => {
                "Une photo aide les personnes à vous reconnaître. Ce n’est pas obligatoire. Si vous en mettez une, décrivez-la en quelques mots : la description est lue aux personnes aveugles."
            }
            Step::Name => {
                "Vous pouvez donner votre vrai nom ou un nom choisi. Ce nom sera sur votre fiche."
            }
            Step::Presentation => {
                "Quelques phrases : qui vous êtes, ce que vous savez faire, ce que votre expérience apporte."
            }
            Step::EasyPresentation => {
                "Écrivez des phrases courtes, avec des mots simples. Une idée par phrase. Cette présentation aide les personnes qui lisent difficilement. Vous pouvez laisser vide."
            }
            Step::Job => "Votre métier dans votre structure, par exemple : monitrice d’atelier.",
            Step::Interventions => "Cochez une ou plusieurs cases.",
            Step::Themes => {
                "Cochez les sujets qui vous intéressent. Vous pouvez aussi écrire vos propres mots."
            }
            Step::Format => {
                "Sur place : vous allez dans la structure. À distance : par visioconférence ou par téléphone."
            }
            Step::Territory => {
                "Choisissez votre département. Vous pouvez aussi donner d’autres départements où vous acceptez d’aller."
            }
            Step::Languages => "Cochez les langues que vous utilisez pour intervenir.",
            Step::Availability => {
                "Vous décidez. On ne vous proposera pas plus d’interventions que ce nombre."
            }
            Step::Visibility => "Vous choisissez. Vous pourrez changer d’avis quand vous voulez.",
            Step::Accommodations => {
                "Par exemple : un interprète en langue des signes, des pauses, un lieu accessible en fauteuil. Seules vous et la coordination de votre territoire lirez cette réponse. Vous pouvez laisser vide."
            }
            Step::Experience => {
                "Ce n’est pas obligatoire. Seules vous et la coordination de votre territoire lirez cette réponse. Vous pouvez laisser vide."
            }
        }
    }

    pub(super) fn sensitive(self) -> bool {
        matches!(self, Step::Accommodations | Step::Experience)
    }
}

pub(super) fn steps(kind: ProfileKind, owner: bool) -> Vec<Step> {
    let all = if kind == ProfileKind::Peer {
        PEER_STEPS
    } else {
        REFERENT_STEPS
    };
    all.iter()
        .copied()
        .filter(|s| owner || !s.sensitive())
        .collect()
}
