//! One answer checked against its question: what the person sent (one value,
//! or several for a question of several choices) becomes a [`Response`] or
//! a French sentence telling them what to do. « Je préfère ne pas répondre »
//! is always accepted and kept as [`Response::Declined`], apart from a
//! question left empty ([`Response::Skipped`]).

use super::{Kind, Question, Questionnaire, SCALE, whole_number};
use crate::Invalid;
use crate::text::optional_paragraph;

/// The value a form sends for « je préfère ne pas répondre ».
pub const DECLINE: &str = "ne-pas-repondre";
/// Its words, shown beside every question.
pub const DECLINE_LABEL: &str = "Je préfère ne pas répondre";

/// Oui / non / je ne sais pas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum YesNo {
    Yes,
    No,
    DontKnow,
}

impl YesNo {
    pub const ALL: [YesNo; 3] = [YesNo::Yes, YesNo::No, YesNo::DontKnow];

    pub fn code(self) -> &'static str {
        match self {
            YesNo::Yes => "oui",
            YesNo::No => "non",
            YesNo::DontKnow => "ne-sais-pas",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            YesNo::Yes => "Oui",
            YesNo::No => "Non",
            YesNo::DontKnow => "Je ne sais pas",
        }
    }
}

/// An answer given, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A step of [`SCALE`], 1 to 5.
    Scale(i64),
    YesNo(YesNo),
    /// The number of the option chosen, from 1 (options keep their order
    /// within a version).
    Choice(usize),
    /// The numbers of the options chosen, from 1, in increasing order.
    Choices(Vec<usize>),
    Number(i64),
    Text(String),
}

impl Value {
    /// The value as one text for storage: « 4 », « oui », « 2 », « 1,3 »,
    /// « 42 » or the text itself. [`Value::from_stored`] reads it back.
    pub fn stored(&self) -> String {
        match self {
            Value::Scale(v) | Value::Number(v) => v.to_string(),
            Value::YesNo(v) => v.code().to_owned(),
            Value::Choice(n) => n.to_string(),
            Value::Choices(ns) => ns
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(","),
            Value::Text(t) => t.clone(),
        }
    }

    /// Reads back what [`Value::stored`] wrote for a question of `kind`.
    pub fn from_stored(kind: &Kind, stored: &str) -> Option<Value> {
        match kind {
            Kind::Scale => stored
                .parse()
                .ok()
                .filter(|v| (1..=5).contains(v))
                .map(Value::Scale),
            Kind::YesNo => YesNo::from_code(stored).map(Value::YesNo),
            Kind::OneChoice(_) => stored.parse().ok().map(Value::Choice),
            Kind::SeveralChoices(_) => stored
                .split(',')
                .map(|n| n.parse().ok())
                .collect::<Option<Vec<usize>>>()
                .map(Value::Choices),
            Kind::Number { .. } => stored.parse().ok().map(Value::Number),
            Kind::ShortText { .. } => Some(Value::Text(stored.to_owned())),
        }
    }
}

/// What became of one question. The store keeps [`Response::Declined`] as
/// its own mark, never as a text value (a free text could read the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Response {
    /// Left empty, on a question that is not required.
    Skipped,
    /// « Je préfère ne pas répondre ».
    Declined,
    Given(Value),
}

fn refuse<T>(message: impl Into<String>) -> Result<T, Invalid> {
    Err(Invalid::new(message))
}

const OFFERED: &str = "Choisissez l’une des réponses proposées.";

impl Question {
    /// Checks what the person sent for this question: one value, or the
    /// values ticked for a question of several choices.
    pub fn check(&self, sent: &[String]) -> Result<Response, Invalid> {
        let sent: Vec<&str> = sent
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        if sent.contains(&DECLINE) {
            return if sent.len() == 1 {
                Ok(Response::Declined)
            } else {
                refuse(format!(
                    "Répondez ou choisissez « {DECLINE_LABEL} », mais pas les deux."
                ))
            };
        }
        let Some(first) = sent.first().copied() else {
            return if self.required {
                refuse(format!(
                    "Répondez à cette question. Si vous ne voulez pas répondre, choisissez « {DECLINE_LABEL} »."
                ))
            } else {
                Ok(Response::Skipped)
            };
        };
        if sent.len() > 1 && !matches!(self.kind, Kind::SeveralChoices(_)) {
            return refuse("Choisissez une seule réponse.");
        }
        self.value(first, &sent).map(Response::Given)
    }

    fn value(&self, first: &str, sent: &[&str]) -> Result<Value, Invalid> {
        let option = |s: &str, options: &[String]| {
            s.parse::<usize>()
                .ok()
                .filter(|n| (1..=options.len()).contains(n))
                .ok_or_else(|| Invalid::new(OFFERED))
        };
        match &self.kind {
            Kind::Scale => first
                .parse::<i64>()
                .ok()
                .filter(|v| SCALE.iter().any(|(s, _)| s == v))
                .map(Value::Scale)
                .ok_or_else(|| Invalid::new(OFFERED)),
            Kind::YesNo => YesNo::from_code(first)
                .map(Value::YesNo)
                .ok_or_else(|| Invalid::new(OFFERED)),
            Kind::OneChoice(options) => option(first, options).map(Value::Choice),
            Kind::SeveralChoices(options) => {
                let mut chosen = sent
                    .iter()
                    .map(|s| option(s, options))
                    .collect::<Result<Vec<_>, _>>()?;
                chosen.sort_unstable();
                chosen.dedup();
                Ok(Value::Choices(chosen))
            }
            Kind::Number { min, max } => number(first, *min, *max).map(Value::Number),
            Kind::ShortText { max } => match optional_paragraph(first, "votre réponse", *max)? {
                Some(text) => Ok(Value::Text(text)),
                None => refuse(OFFERED),
            },
        }
    }
}

fn number(input: &str, min: i64, max: i64) -> Result<i64, Invalid> {
    let range = format!("entre {min} et {max}");
    let n = whole_number(input)
        .ok_or_else(|| Invalid::new(format!("Écrivez un nombre en chiffres, {range}.")))?;
    if (min..=max).contains(&n) {
        Ok(n)
    } else {
        refuse(format!("Écrivez un nombre {range} (vous avez écrit {n})."))
    }
}

/// Problems of a questionnaire's answers, each under its question's code.
pub type Problems = Vec<(String, Invalid)>;

impl Questionnaire {
    /// Checks every answer; `sent` gives what the person sent for a
    /// question's code. Responses come back in the questions' order.
    pub fn check_answers(
        &self,
        sent: impl Fn(&str) -> Vec<String>,
    ) -> Result<Vec<(String, Response)>, Problems> {
        let mut problems = Problems::new();
        let mut responses = Vec::new();
        for q in &self.questions {
            match q.check(&sent(&q.code)) {
                Ok(r) => responses.push((q.code.clone(), r)),
                Err(e) => problems.push((q.code.clone(), e)),
            }
        }
        if problems.is_empty() {
            Ok(responses)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Purpose;
    use super::*;

    fn question(kind: Kind, required: bool) -> Question {
        Question {
            code: "q".into(),
            wording: "Question ?".into(),
            easy_wording: "Question facile ?".into(),
            required,
            kind,
        }
    }

    fn check(kind: Kind, sent: &[&str]) -> Result<Response, String> {
        let sent: Vec<String> = sent.iter().map(|s| s.to_string()).collect();
        question(kind, true).check(&sent).map_err(|e| e.0)
    }

    fn given(v: Value) -> Result<Response, String> {
        Ok(Response::Given(v))
    }

    fn options() -> Vec<String> {
        vec!["Rouge".into(), "Vert".into(), "Bleu".into()]
    }

    #[test]
    fn each_kind_accepts_its_values() {
        assert_eq!(check(Kind::Scale, &["4"]), given(Value::Scale(4)));
        assert_eq!(
            check(Kind::YesNo, &["ne-sais-pas"]),
            given(Value::YesNo(YesNo::DontKnow))
        );
        assert_eq!(
            check(Kind::OneChoice(options()), &["3"]),
            given(Value::Choice(3))
        );
        assert_eq!(
            check(Kind::SeveralChoices(options()), &["3", "1", "3"]),
            given(Value::Choices(vec![1, 3]))
        );
        let n = Kind::Number { min: 0, max: 1000 };
        assert_eq!(check(n, &[" 1 000 "]), given(Value::Number(1000)));
        assert_eq!(
            check(Kind::ShortText { max: 20 }, &["  Très utile  "]),
            given(Value::Text("Très utile".into()))
        );
    }

    #[test]
    fn each_kind_refuses_what_it_did_not_offer() {
        let offered = Err(OFFERED.to_owned());
        assert_eq!(check(Kind::Scale, &["6"]), offered);
        assert_eq!(check(Kind::Scale, &["bien"]), offered);
        assert_eq!(check(Kind::YesNo, &["peut-etre"]), offered);
        assert_eq!(check(Kind::OneChoice(options()), &["0"]), offered);
        assert_eq!(check(Kind::OneChoice(options()), &["4"]), offered);
        assert_eq!(check(Kind::SeveralChoices(options()), &["1", "9"]), offered);
        assert_eq!(
            check(Kind::OneChoice(options()), &["1", "2"]),
            Err("Choisissez une seule réponse.".into())
        );
        let n = || Kind::Number { min: 1, max: 10 };
        assert_eq!(
            check(n(), &["onze"]),
            Err("Écrivez un nombre en chiffres, entre 1 et 10.".into())
        );
        assert_eq!(
            check(n(), &["11"]),
            Err("Écrivez un nombre entre 1 et 10 (vous avez écrit 11).".into())
        );
        assert_eq!(
            check(Kind::ShortText { max: 5 }, &["Beaucoup"]),
            Err("Raccourcissez votre réponse : 5 caractères au plus (il y en a 8).".into())
        );
    }

    #[test]
    fn declining_is_always_accepted_and_kept_apart() {
        let kinds = [
            Kind::Scale,
            Kind::YesNo,
            Kind::OneChoice(options()),
            Kind::SeveralChoices(options()),
            Kind::Number { min: 0, max: 3 },
            Kind::ShortText { max: 10 },
        ];
        for kind in kinds {
            assert_eq!(check(kind.clone(), &[DECLINE]), Ok(Response::Declined));
            let q = question(kind, false);
            assert_eq!(q.check(&[DECLINE.into()]), Ok(Response::Declined));
            assert_eq!(q.check(&[" ".into()]), Ok(Response::Skipped));
        }
        assert_eq!(
            check(Kind::SeveralChoices(options()), &["1", DECLINE]),
            Err("Répondez ou choisissez « Je préfère ne pas répondre », mais pas les deux.".into())
        );
    }

    #[test]
    fn a_required_question_reminds_that_one_may_decline() {
        let reminder = "Répondez à cette question. Si vous ne voulez pas répondre, choisissez « Je préfère ne pas répondre ».";
        assert_eq!(check(Kind::Scale, &[]), Err(reminder.into()));
        assert_eq!(
            check(Kind::ShortText { max: 9 }, &["   "]),
            Err(reminder.into())
        );
    }

    #[test]
    fn values_read_back_from_storage() {
        let cases = [
            (Kind::Scale, Value::Scale(2)),
            (Kind::YesNo, Value::YesNo(YesNo::No)),
            (Kind::OneChoice(options()), Value::Choice(2)),
            (
                Kind::SeveralChoices(options()),
                Value::Choices(vec![1, 2, 3]),
            ),
            (Kind::Number { min: -5, max: 5 }, Value::Number(-3)),
            (
                Kind::ShortText { max: 30 },
                Value::Text("ne-pas-repondre".into()),
            ),
        ];
        for (kind, value) in cases {
            assert_eq!(Value::from_stored(&kind, &value.stored()), Some(value));
        }
        assert_eq!(Value::Choices(vec![1, 3]).stored(), "1,3");
        assert_eq!(Value::from_stored(&Kind::Scale, "9"), None);
    }

    #[test]
    fn a_whole_questionnaire_is_checked_question_by_question() {
        let q = Questionnaire {
            title: "Avis".into(),
            purpose: Purpose::Event,
            version: 2,
            questions: vec![
                Question {
                    code: "ressenti".into(),
                    ..question(Kind::Scale, true)
                },
                Question {
                    code: "encore".into(),
                    ..question(Kind::YesNo, false)
                },
            ],
        };
        let ok = q.check_answers(|c| {
            if c == "ressenti" {
                vec!["5".into()]
            } else {
                vec![]
            }
        });
        assert_eq!(
            ok,
            Ok(vec![
                ("ressenti".into(), Response::Given(Value::Scale(5))),
                ("encore".into(), Response::Skipped),
            ])
        );
        let problems = q.check_answers(|_| vec!["oui".into()]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].0, "ressenti");
        assert_eq!(problems[0].1.0, OFFERED);
    }
}
