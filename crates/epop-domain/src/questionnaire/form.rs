//! The definition of a questionnaire as an admin types it: strings checked
//! into a [`Questionnaire`], with French problems under each field; a
//! question's problems start with « Question N : » and sit under fields
//! named `question-N-…` (N from 1).

use std::collections::HashSet;

use super::{Kind, Purpose, Question, Questionnaire, whole_number};
use crate::Invalid;
use crate::text::required;

/// The longest wording of a question, and of a short free text's limit.
pub const MAX_WORDING: usize = 500;
/// The longest option of a choice question.
pub const MAX_OPTION: usize = 200;
/// The highest limit an admin may give a short free text.
pub const MAX_TEXT: usize = 2000;
/// The most questions in one questionnaire.
pub const MAX_QUESTIONS: usize = 60;

/// Problems of the form, each under its field's name (`title`, `purpose`,
/// `questions`, `question-3-wording`…).
pub type Problems = Vec<(String, Invalid)>;

/// One question as typed. `options` holds one option a line; `min`, `max`
/// and `max_length` are read only for the kinds that use them.
#[derive(Debug, Clone, Default)]
pub struct QuestionForm {
    pub code: String,
    pub wording: String,
    pub easy_wording: String,
    pub required: bool,
    pub kind: String,
    pub options: String,
    pub min: String,
    pub max: String,
    pub max_length: String,
}

/// A questionnaire as typed; its version is given by the caller (the next
/// one of that questionnaire), never typed.
#[derive(Debug, Clone, Default)]
pub struct QuestionnaireForm {
    pub title: String,
    pub purpose: String,
    pub questions: Vec<QuestionForm>,
}

impl QuestionnaireForm {
    /// The checked questionnaire in `version`, or every problem found.
    pub fn validate(&self, version: u32) -> Result<Questionnaire, Problems> {
        let mut problems = Problems::new();
        let title = required(&self.title, "le titre du questionnaire", 200)
            .map_err(|e| problems.push(("title".into(), e)))
            .ok();
        let purpose = Purpose::from_code(self.purpose.trim());
        if purpose.is_none() {
            problems.push((
                "purpose".into(),
                Invalid::new("Choisissez ce que le questionnaire évalue."),
            ));
        }
        if self.questions.is_empty() {
            problems.push((
                "questions".into(),
                Invalid::new("Ajoutez au moins une question."),
            ));
        } else if self.questions.len() > MAX_QUESTIONS {
            problems.push((
                "questions".into(),
                Invalid::new(format!(
                    "Gardez {MAX_QUESTIONS} questions au plus (il y en a {}).",
                    self.questions.len()
                )),
            ));
        }
        let mut seen = HashSet::new();
        let mut questions = Vec::new();
        for (i, q) in self.questions.iter().enumerate() {
            let mut own = Vec::new();
            let checked = q.check(&mut own);
            if let Some(c) = checked.as_ref().filter(|c| !seen.insert(c.code.clone())) {
                own.push((
                    "code",
                    format!(
                        "le code « {} » est déjà celui d’une autre question : donnez-en un autre.",
                        c.code
                    ),
                ));
            }
            let n = i + 1;
            problems.extend(own.into_iter().map(|(field, message)| {
                (
                    format!("question-{n}-{field}"),
                    Invalid::new(format!("Question {n} : {message}")),
                )
            }));
            questions.extend(checked);
        }
        match (title, purpose) {
            (Some(title), Some(purpose)) if problems.is_empty() => Ok(Questionnaire {
                title,
                purpose,
                version,
                questions,
            }),
            _ => Err(problems),
        }
    }
}

type Own = Vec<(&'static str, String)>;

/// A text of one line, with the message starting in lower case (it follows
/// « Question N : »).
fn line(own: &mut Own, field: &'static str, input: &str, what: &str, max: usize) -> Option<String> {
    required(input, what, max)
        .map_err(|e| own.push((field, lower_first(&e.0))))
        .ok()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

/// A question code: lower-case letters, digits and dashes, as in URLs.
fn code(own: &mut Own, input: &str) -> Option<String> {
    let code = input.trim();
    let fine = !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if fine {
        Some(code.to_owned())
    } else if code.is_empty() {
        own.push(("code", "saisissez un code (par exemple « utile »).".into()));
        None
    } else {
        own.push((
            "code",
            "écrivez le code en minuscules sans accent, chiffres et tirets (40 caractères au plus)."
                .into(),
        ));
        None
    }
}

fn whole(own: &mut Own, field: &'static str, input: &str, what: &str) -> Option<i64> {
    let n = whole_number(input);
    if n.is_none() {
        own.push((
            field,
            format!("écrivez {what} en chiffres (par exemple 10)."),
        ));
    }
    n
}

impl QuestionForm {
    fn check(&self, own: &mut Own) -> Option<Question> {
        let code = code(own, &self.code);
        let wording = line(own, "wording", &self.wording, "l’intitulé", MAX_WORDING);
        let easy = line(
            own,
            "easy-wording",
            &self.easy_wording,
            "l’intitulé en facile à lire et à comprendre (FALC)",
            MAX_WORDING,
        );
        let kind = self.kind(own);
        Some(Question {
            code: code?,
            wording: wording?,
            easy_wording: easy?,
            required: self.required,
            kind: kind?,
        })
    }

    fn kind(&self, own: &mut Own) -> Option<Kind> {
        match self.kind.trim() {
            "echelle" => Some(Kind::Scale),
            "oui-non" => Some(Kind::YesNo),
            "choix-unique" => self.options(own).map(Kind::OneChoice),
            "choix-multiples" => self.options(own).map(Kind::SeveralChoices),
            "nombre" => self.bounds(own),
            "texte-court" => self.text_limit(own),
            _ => {
                own.push(("kind", "choisissez le type de réponse attendu.".into()));
                None
            }
        }
    }

    fn options(&self, own: &mut Own) -> Option<Vec<String>> {
        let mut options: Vec<String> = Vec::new();
        for (i, o) in self
            .options
            .lines()
            .filter(|o| !o.trim().is_empty())
            .enumerate()
        {
            let what = format!("la réponse possible {}", i + 1);
            let o = line(own, "options", o, &what, MAX_OPTION)?;
            if options.iter().any(|p| p.to_lowercase() == o.to_lowercase()) {
                own.push((
                    "options",
                    format!("la réponse « {o} » est écrite deux fois."),
                ));
                return None;
            }
            options.push(o);
        }
        if options.len() < 2 {
            own.push((
                "options",
                "écrivez au moins deux réponses possibles, une par ligne.".into(),
            ));
            return None;
        }
        Some(options)
    }

    fn bounds(&self, own: &mut Own) -> Option<Kind> {
        let min = whole(own, "min", &self.min, "le minimum");
        let max = whole(own, "max", &self.max, "le maximum");
        let (min, max) = (min?, max?);
        if min > max {
            own.push((
                "max",
                format!("le minimum ({min}) est plus grand que le maximum ({max}) : corrigez l’un des deux."),
            ));
            return None;
        }
        Some(Kind::Number { min, max })
    }

    fn text_limit(&self, own: &mut Own) -> Option<Kind> {
        let max = whole(own, "max-length", &self.max_length, "la longueur maximale")?;
        if !(1..=MAX_TEXT as i64).contains(&max) {
            own.push((
                "max-length",
                format!("la longueur maximale va de 1 à {MAX_TEXT} caractères."),
            ));
            return None;
        }
        Some(Kind::ShortText { max: max as usize })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(code: &str) -> QuestionForm {
        QuestionForm {
            code: code.into(),
            wording: "Comment s’est passée l’intervention ?".into(),
            easy_wording: "C’était bien ?".into(),
            required: true,
            kind: "echelle".into(),
            ..Default::default()
        }
    }

    fn form(questions: Vec<QuestionForm>) -> QuestionnaireForm {
        QuestionnaireForm {
            title: " Votre avis sur l’intervention ".into(),
            purpose: "intervention".into(),
            questions,
        }
    }

    fn messages(p: &Problems) -> Vec<(String, String)> {
        p.iter().map(|(f, e)| (f.clone(), e.0.clone())).collect()
    }

    #[test]
    fn a_well_typed_definition_is_kept_with_its_version() {
        let choice = QuestionForm {
            code: "qui".into(),
            kind: "choix-multiples".into(),
            options: "Des collègues\n\n  Des personnes accompagnées \n".into(),
            required: false,
            ..scale("qui")
        };
        let number = QuestionForm {
            code: "combien".into(),
            kind: "nombre".into(),
            min: "0".into(),
            max: "1 000".into(),
            ..scale("combien")
        };
        let text = QuestionForm {
            code: "mot".into(),
            kind: "texte-court".into(),
            max_length: "300".into(),
            ..scale("mot")
        };
        let yes = QuestionForm {
            kind: "oui-non".into(),
            ..scale("encore")
        };
        let q = form(vec![scale("ressenti"), choice, number, text, yes])
            .validate(3)
            .unwrap();
        assert_eq!(q.title, "Votre avis sur l’intervention");
        assert_eq!((q.purpose, q.version), (Purpose::Intervention, 3));
        let kinds: Vec<_> = q.questions.iter().map(|q| q.kind.clone()).collect();
        assert_eq!(
            kinds,
            vec![
                Kind::Scale,
                Kind::SeveralChoices(vec![
                    "Des collègues".into(),
                    "Des personnes accompagnées".into()
                ]),
                Kind::Number { min: 0, max: 1000 },
                Kind::ShortText { max: 300 },
                Kind::YesNo,
            ]
        );
        assert!(!q.questions[1].required);
    }

    #[test]
    fn each_problem_names_its_question() {
        let empty = QuestionForm {
            wording: "  ".into(),
            easy_wording: String::new(),
            ..scale("vide")
        };
        let choice = QuestionForm {
            kind: "choix-unique".into(),
            options: "Une seule\n".into(),
            ..scale("choix")
        };
        let number = QuestionForm {
            kind: "nombre".into(),
            min: "10".into(),
            max: "2".into(),
            ..scale("nombre")
        };
        let p = form(vec![
            scale("ressenti"),
            empty,
            choice,
            number,
            scale("ressenti"),
        ])
        .validate(1)
        .unwrap_err();
        assert_eq!(
            messages(&p),
            vec![
                ("question-2-wording".into(), "Question 2 : saisissez l’intitulé.".into()),
                (
                    "question-2-easy-wording".into(),
                    "Question 2 : saisissez l’intitulé en facile à lire et à comprendre (FALC).".into()
                ),
                (
                    "question-3-options".into(),
                    "Question 3 : écrivez au moins deux réponses possibles, une par ligne.".into()
                ),
                (
                    "question-4-max".into(),
                    "Question 4 : le minimum (10) est plus grand que le maximum (2) : corrigez l’un des deux.".into()
                ),
                (
                    "question-5-code".into(),
                    "Question 5 : le code « ressenti » est déjà celui d’une autre question : donnez-en un autre.".into()
                ),
            ]
        );
    }

    #[test]
    fn title_purpose_kind_codes_and_limits_are_checked() {
        let bad = QuestionForm {
            code: "Ressenti général".into(),
            kind: "couleur".into(),
            ..scale("")
        };
        let text = QuestionForm {
            kind: "texte-court".into(),
            max_length: "5000".into(),
            ..scale("mot")
        };
        let number = QuestionForm {
            kind: "nombre".into(),
            min: "un".into(),
            max: "3".into(),
            ..scale("n")
        };
        let twice = QuestionForm {
            kind: "choix-unique".into(),
            options: "Oui\noui".into(),
            ..scale("deux")
        };
        let f = QuestionnaireForm {
            title: String::new(),
            purpose: "autre".into(),
            questions: vec![bad, text, number, twice],
        };
        assert_eq!(
            messages(&f.validate(1).unwrap_err()),
            vec![
                ("title".into(), "Saisissez le titre du questionnaire.".into()),
                ("purpose".into(), "Choisissez ce que le questionnaire évalue.".into()),
                (
                    "question-1-code".into(),
                    "Question 1 : écrivez le code en minuscules sans accent, chiffres et tirets (40 caractères au plus).".into()
                ),
                (
                    "question-1-kind".into(),
                    "Question 1 : choisissez le type de réponse attendu.".into()
                ),
                (
                    "question-2-max-length".into(),
                    "Question 2 : la longueur maximale va de 1 à 2000 caractères.".into()
                ),
                (
                    "question-3-min".into(),
                    "Question 3 : écrivez le minimum en chiffres (par exemple 10).".into()
                ),
                (
                    "question-4-options".into(),
                    "Question 4 : la réponse « oui » est écrite deux fois.".into()
                ),
            ]
        );
        let none = form(vec![]).validate(1).unwrap_err();
        assert_eq!(
            messages(&none),
            vec![("questions".into(), "Ajoutez au moins une question.".into())]
        );
    }
}
