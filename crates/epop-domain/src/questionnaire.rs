//! Questionnaires sent after what the network evaluates (an intervention,
//! the end of a training session, the same training six months later, an
//! event): their versioned definition and its questions, the checking of a
//! definition an admin types ([`form`]), the checking of one answer against
//! its question ([`answer`]), and the small-number rule that hides any
//! figure about fewer than 5 people from those who may not see it exactly
//! ([`small`]).
//!
//! The five-step scale in words lives here ([`SCALE`]) and serves both these
//! questionnaires and the intervention feedback.

pub mod answer;
pub mod form;
pub mod sending;
pub mod small;

/// The five steps of the scale in words, best first, with the value kept.
pub const SCALE: [(i64, &str); 5] = [
    (5, "Très bien"),
    (4, "Bien"),
    (3, "Moyen"),
    (2, "Pas bien"),
    (1, "Pas bien du tout"),
];

/// The words of a step of [`SCALE`], `None` outside 1 to 5.
pub fn scale_label(value: i64) -> Option<&'static str> {
    SCALE.iter().find(|(v, _)| *v == value).map(|(_, l)| *l)
}

/// A whole number as French people type it, digit groups apart by spaces
/// (« 1 000 », with a plain, no-break or narrow no-break space).
fn whole_number(input: &str) -> Option<i64> {
    input
        .trim()
        .replace([' ', '\u{a0}', '\u{202f}'], "")
        .parse()
        .ok()
}

/// What a questionnaire evaluates, hence when the worker sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    Intervention,
    TrainingEnd,
    TrainingLater,
    Event,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [
        Purpose::Intervention,
        Purpose::TrainingEnd,
        Purpose::TrainingLater,
        Purpose::Event,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Intervention => "intervention",
            Purpose::TrainingEnd => "fin-formation",
            Purpose::TrainingLater => "formation-6-mois",
            Purpose::Event => "evenement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Purpose::Intervention => "Après une intervention",
            Purpose::TrainingEnd => "À la fin d’une formation",
            Purpose::TrainingLater => "Six mois après une formation",
            Purpose::Event => "Après un événement",
        }
    }
}

/// What kind of answer a question expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The five-step scale in words ([`SCALE`]).
    Scale,
    /// Oui / non / je ne sais pas.
    YesNo,
    /// One choice among options (at least 2).
    OneChoice(Vec<String>),
    /// Any number of choices among options (at least 2).
    SeveralChoices(Vec<String>),
    /// A whole number between `min` and `max`, both included.
    Number { min: i64, max: i64 },
    /// A short free text of at most `max` characters.
    ShortText { max: usize },
}

impl Kind {
    /// The codes an admin picks from, in the order of the form.
    pub const CODES: [(&'static str, &'static str); 6] = [
        (
            "echelle",
            "Échelle en cinq mots (de « Très bien » à « Pas bien du tout »)",
        ),
        ("oui-non", "Oui / non / je ne sais pas"),
        ("choix-unique", "Un choix parmi des réponses"),
        ("choix-multiples", "Plusieurs choix parmi des réponses"),
        ("nombre", "Un nombre"),
        ("texte-court", "Un texte court"),
    ];

    pub fn code(&self) -> &'static str {
        match self {
            Kind::Scale => "echelle",
            Kind::YesNo => "oui-non",
            Kind::OneChoice(_) => "choix-unique",
            Kind::SeveralChoices(_) => "choix-multiples",
            Kind::Number { .. } => "nombre",
            Kind::ShortText { .. } => "texte-court",
        }
    }

    /// The options of a choice question, empty for the other kinds.
    pub fn options(&self) -> &[String] {
        match self {
            Kind::OneChoice(o) | Kind::SeveralChoices(o) => o,
            _ => &[],
        }
    }
}

/// One question: a code stable across versions (answers and indicators
/// refer to it), its wording and easy-read wording, and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub code: String,
    pub wording: String,
    pub easy_wording: String,
    pub required: bool,
    pub kind: Kind,
}

impl Question {
    /// The wording to show: the easy-read one when the person asked for it.
    pub fn shown(&self, easy_read: bool) -> &str {
        if easy_read {
            &self.easy_wording
        } else {
            &self.wording
        }
    }
}

/// A questionnaire in one version: answers keep the version they answered,
/// so a changed questionnaire is a new version, never an edit of the old.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Questionnaire {
    pub title: String,
    pub purpose: Purpose,
    pub version: u32,
    pub questions: Vec<Question>,
}

impl Questionnaire {
    pub fn question(&self, code: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_words_and_purposes_read_back() {
        assert_eq!(scale_label(5), Some("Très bien"));
        assert_eq!(scale_label(1), Some("Pas bien du tout"));
        assert_eq!(scale_label(0), None);
        for p in Purpose::ALL {
            assert_eq!(Purpose::from_code(p.code()), Some(p));
        }
        assert_eq!(Purpose::from_code("autre"), None);
        for (code, _) in Kind::CODES {
            assert!(!code.is_empty());
        }
    }

    #[test]
    fn a_question_shows_its_easy_read_wording_on_request() {
        let q = Question {
            code: "utile".into(),
            wording: "Dans quelle mesure l’intervention vous a-t-elle été utile ?".into(),
            easy_wording: "L’intervention vous a aidé ?".into(),
            required: true,
            kind: Kind::Scale,
        };
        assert_eq!(q.shown(true), "L’intervention vous a aidé ?");
        assert!(q.shown(false).starts_with("Dans quelle mesure"));
        let n = Questionnaire {
            title: "Avis".into(),
            purpose: Purpose::Intervention,
            version: 1,
            questions: vec![q],
        };
        assert!(n.question("utile").is_some());
        assert!(n.question("autre").is_none());
    }
}
