//! The check of a rule an administrator edits: the form as typed (codes,
//! and lists of one sentence per line), every problem under its field, in
//! French, and the form a stored rule starts from.

use chrono::NaiveDate;

use super::{Framework, Guidance, Rule, Situation, Verdict};
use crate::Invalid;
use crate::text::{Problems, take};
use crate::text::{parse_date, required};

/// A rule as the administrator's form holds it: codes, and lists one
/// sentence per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleForm {
    pub situation: String,
    pub framework: String,
    pub verdict: String,
    pub requirements: String,
    pub warnings: String,
    pub warnings_easy: String,
    pub whom_to_ask: String,
    pub source: String,
    pub checked_on: String,
}

pub const MAX_LINES: usize = 20;
pub const MAX_LINE_CHARS: usize = 600;

/// One sentence per non-empty line, trimmed.
pub fn lines(input: &str, what: &str) -> Result<Vec<String>, Invalid> {
    let out: Vec<String> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if out.len() > MAX_LINES {
        return Err(Invalid::new(format!(
            "{what} : {MAX_LINES} lignes au plus (il y en a {}).",
            out.len()
        )));
    }
    for l in &out {
        required(l, &format!("chaque ligne de « {what} »"), MAX_LINE_CHARS)?;
    }
    Ok(out)
}

/// The four lists of a rule, each checked on its own.
struct Lists {
    requirements: Option<Vec<String>>,
    warnings: Option<Vec<String>>,
    warnings_easy: Option<Vec<String>>,
    whom_to_ask: Option<Vec<String>>,
}

impl RuleForm {
    /// Checks an edited rule; `today` refuses a check date in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<Rule, Problems> {
        let mut p = Vec::new();
        let (situation, framework, verdict) = self.codes(&mut p);
        let lists = self.lists(&mut p);
        let source = take(
            &mut p,
            "source",
            required(
                &self.source,
                "la source (article de loi, décision, page officielle)",
                500,
            ),
        );
        let checked_on = self.checked_on(&mut p, today);
        lists.agree_with(verdict, &mut p);
        let guidance = lists.guidance();
        match (situation, framework, verdict, guidance, source, checked_on) {
            (
                Some(situation),
                Some(framework),
                Some(verdict),
                Some(guidance),
                Some(source),
                Some(checked_on),
            ) if p.is_empty() => Ok(Rule {
                situation,
                framework,
                verdict,
                guidance,
                source,
                checked_on,
            }),
            _ => Err(p),
        }
    }

    /// The situation, the framework and the verdict, from their codes.
    fn codes(&self, p: &mut Problems) -> (Option<Situation>, Option<Framework>, Option<Verdict>) {
        let situation = take(
            p,
            "situation",
            Situation::from_code(&self.situation)
                .ok_or_else(|| Invalid::new("Choisissez la situation de la personne.")),
        );
        let framework = take(
            p,
            "framework",
            Framework::from_code(&self.framework)
                .ok_or_else(|| Invalid::new("Choisissez le cadre juridique.")),
        );
        let verdict = take(
            p,
            "verdict",
            Verdict::from_code(&self.verdict).ok_or_else(|| {
                Invalid::new("Choisissez : possible, sous conditions, risqué ou impossible.")
            }),
        );
        (situation, framework, verdict)
    }

    /// What is required, the warnings (ordinary and easy-read) and whom to
    /// ask, one sentence per line.
    fn lists(&self, p: &mut Problems) -> Lists {
        Lists {
            requirements: take(
                p,
                "requirements",
                lines(&self.requirements, "Ce qu’il faut"),
            ),
            warnings: take(p, "warnings", lines(&self.warnings, "Avertissements")),
            warnings_easy: take(
                p,
                "warnings_easy",
                lines(&self.warnings_easy, "Avertissements en facile à lire"),
            ),
            whom_to_ask: take(p, "whom_to_ask", lines(&self.whom_to_ask, "À qui demander")),
        }
    }

    /// The day the rule was last checked, not in the future.
    fn checked_on(&self, p: &mut Problems, today: NaiveDate) -> Option<NaiveDate> {
        take(
            p,
            "checked_on",
            parse_date(&self.checked_on, "la date de la dernière vérification").and_then(|d| {
                if d > today {
                    Err(Invalid::new(
                        "La date de la dernière vérification ne peut pas être dans le futur.",
                    ))
                } else {
                    Ok(d)
                }
            }),
        )
    }
}

impl Lists {
    /// What the verdict asks of the lists: a condition when it fits with
    /// conditions, a warning when it is risky or worse, and the warnings in
    /// easy-read French too.
    fn agree_with(&self, verdict: Option<Verdict>, p: &mut Problems) {
        if let (Some(v), Some(reqs)) = (verdict, &self.requirements)
            && v == Verdict::FitsWithConditions
            && reqs.is_empty()
        {
            p.push((
                "requirements",
                Invalid::new(
                    "Écrivez au moins une condition : la règle dit « possible sous conditions ».",
                ),
            ));
        }
        if let (Some(v), Some(w)) = (verdict, &self.warnings)
            && v >= Verdict::Risky
            && w.is_empty()
        {
            p.push((
                "warnings",
                Invalid::new(format!(
                    "Écrivez au moins un avertissement : la règle dit « {} ».",
                    v.label()
                )),
            ));
        }
        if let (Some(w), Some(easy)) = (&self.warnings, &self.warnings_easy)
            && !w.is_empty()
            && easy.is_empty()
        {
            p.push((
                "warnings_easy",
                Invalid::new("Écrivez aussi les avertissements en facile à lire et à comprendre."),
            ));
        }
    }

    /// The guidance, when every list is valid.
    fn guidance(self) -> Option<Guidance> {
        match (
            self.requirements,
            self.warnings,
            self.warnings_easy,
            self.whom_to_ask,
        ) {
            (Some(requirements), Some(warnings), Some(warnings_easy), Some(whom_to_ask)) => {
                Some(Guidance {
                    requirements,
                    warnings,
                    warnings_easy,
                    whom_to_ask,
                })
            }
            _ => None,
        }
    }
}

impl Rule {
    /// The form an administrator starts from to edit this rule.
    pub fn to_form(&self) -> RuleForm {
        RuleForm {
            situation: self.situation.code().to_owned(),
            framework: self.framework.code().to_owned(),
            verdict: self.verdict.code().to_owned(),
            requirements: self.guidance.requirements.join("\n"),
            warnings: self.guidance.warnings.join("\n"),
            warnings_easy: self.guidance.warnings_easy.join("\n"),
            whom_to_ask: self.guidance.whom_to_ask.join("\n"),
            source: self.source.clone(),
            checked_on: self.checked_on.format("%Y-%m-%d").to_string(),
        }
    }
}
