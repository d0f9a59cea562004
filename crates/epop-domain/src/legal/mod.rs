//! Legal and payment frameworks, as data an administrator edits: the
//! situations a peer worker may be in, the frameworks an intervention may
//! use, one `Rule` per situation × framework (verdict, what is required,
//! warnings in ordinary and easy-read French, the source and the date it was
//! last checked), the evaluation of a person's situations against a
//! framework, and the check of a rule an administrator edits.
//!
//! To make choices safe, not to advise: every evaluation carries
//! [`DISCLAIMER`] and whom to ask. The default rules are written from the
//! facts gathered in `DOMAIN.md`; an administrator re-checks each before use
//! (rules change), which its `checked_on` date records.
//!
//! This file holds the types and the evaluation; `form` the check of an
//! edited rule, `defaults` the table of the default rules.

use chrono::NaiveDate;

mod defaults;
mod form;

pub use defaults::{default_rules, defaults_written_on};
pub use form::{MAX_LINE_CHARS, MAX_LINES, RuleForm, lines};

/// Said with every evaluation.
pub const DISCLAIMER: &str = "Ceci n’est pas un conseil juridique.";
/// Always among the people to ask.
pub const ALWAYS_ASK: &str = "une ou un juriste de l’association porteuse";
/// After this many days, a rule is shown as « à revérifier ».
pub const RECHECK_AFTER_DAYS: i64 = 365;

/// A peer worker's situation; a person may be in several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Situation {
    EsatWorker,
    Aah,
    Employee,
    MicroEntrepreneur,
    JobSeeker,
    Retired,
    Student,
    Other,
}

impl Situation {
    pub const ALL: [Situation; 8] = [
        Situation::EsatWorker,
        Situation::Aah,
        Situation::Employee,
        Situation::MicroEntrepreneur,
        Situation::JobSeeker,
        Situation::Retired,
        Situation::Student,
        Situation::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Situation::EsatWorker => "esat_worker",
            Situation::Aah => "aah",
            Situation::Employee => "employee",
            Situation::MicroEntrepreneur => "micro_entrepreneur",
            Situation::JobSeeker => "job_seeker",
            Situation::Retired => "retired",
            Situation::Student => "student",
            Situation::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Situation::EsatWorker => "Travailleur ou travailleuse d’ESAT",
            Situation::Aah => "Perçoit l’AAH (allocation aux adultes handicapés)",
            Situation::Employee => "Salarié ou salariée",
            Situation::MicroEntrepreneur => "Micro-entreprise",
            Situation::JobSeeker => "Demandeur ou demandeuse d’emploi",
            Situation::Retired => "Retraité ou retraitée",
            Situation::Student => "Étudiant ou étudiante",
            Situation::Other => "Autre situation",
        }
    }

    /// In easy-read French, as the person says it.
    pub fn label_easy(self) -> &'static str {
        match self {
            Situation::EsatWorker => "Je travaille en ESAT.",
            Situation::Aah => "Je touche l’AAH.",
            Situation::Employee => "J’ai un travail salarié.",
            Situation::MicroEntrepreneur => "J’ai une micro-entreprise.",
            Situation::JobSeeker => "Je cherche un travail.",
            Situation::Retired => "Je suis à la retraite.",
            Situation::Student => "Je fais des études.",
            Situation::Other => "Autre chose.",
        }
    }
}

/// How the peer worker is engaged and paid for an intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framework {
    HostContract,
    CarrierContract,
    MicroInvoice,
    EsatPlacement,
    Volunteering,
    WagePortage,
}

impl Framework {
    pub const ALL: [Framework; 6] = [
        Framework::HostContract,
        Framework::CarrierContract,
        Framework::MicroInvoice,
        Framework::EsatPlacement,
        Framework::Volunteering,
        Framework::WagePortage,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Framework::HostContract => "host_contract",
            Framework::CarrierContract => "carrier_contract",
            Framework::MicroInvoice => "micro_invoice",
            Framework::EsatPlacement => "esat_placement",
            Framework::Volunteering => "volunteering",
            Framework::WagePortage => "wage_portage",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Framework::HostContract => {
                "Contrat de travail avec la structure d’accueil (CDD ou CDD d’usage)"
            }
            Framework::CarrierContract => "Contrat de travail avec une association porteuse",
            Framework::MicroInvoice => "Facture d’une micro-entreprise",
            Framework::EsatPlacement => "Mise à disposition par l’ESAT, avec une convention écrite",
            Framework::Volunteering => "Bénévolat, avec le remboursement des frais réels",
            Framework::WagePortage => "Portage salarial",
        }
    }

    pub fn label_easy(self) -> &'static str {
        match self {
            Framework::HostContract => "La structure vous paie un salaire.",
            Framework::CarrierContract => "Une association vous paie un salaire.",
            Framework::MicroInvoice => "Vous envoyez une facture avec votre micro-entreprise.",
            Framework::EsatPlacement => "L’ESAT vous prête à la structure, avec un papier signé.",
            Framework::Volunteering => "Vous êtes bénévole : on vous rembourse vos frais.",
            Framework::WagePortage => "Une entreprise de portage vous paie un salaire.",
        }
    }

    /// The framework as the organisation that hosts reads it: who employs
    /// or pays the peer, what the organisation signs or does. Never the
    /// peer's own situation.
    pub fn for_host(self) -> &'static str {
        match self {
            Framework::HostContract => {
                "Votre organisation emploie l’intervenant-pair pour cette intervention. Vous signez avec lui un contrat de travail avant l’intervention. Vous lui versez son salaire."
            }
            Framework::CarrierContract => {
                "Une association porteuse emploie l’intervenant-pair et lui verse son salaire. Votre organisation signe une convention avec cette association et la paie."
            }
            Framework::MicroInvoice => {
                "L’intervenant-pair travaille à son compte. Il vous envoie une facture. Votre organisation paie cette facture."
            }
            Framework::EsatPlacement => {
                "L’ESAT met l’intervenant-pair à disposition de votre organisation. Vous signez avec l’ESAT une convention écrite avant l’intervention. Vous payez l’ESAT."
            }
            Framework::Volunteering => {
                "L’intervenant-pair vient en bénévole : personne ne lui verse de salaire. Votre organisation rembourse ses frais réels (transport, repas), sur justificatifs."
            }
            Framework::WagePortage => {
                "Une entreprise de portage salarial emploie l’intervenant-pair. Elle vous envoie une facture. Votre organisation paie cette facture."
            }
        }
    }

    /// The situation without which the framework does not exist at all
    /// (what the framework is, not a rule that changes): a mise à
    /// disposition by an ESAT is for its workers.
    pub fn reserved_to(self) -> Option<Situation> {
        match self {
            Framework::EsatPlacement => Some(Situation::EsatWorker),
            _ => None,
        }
    }
}

/// What a rule says of a framework for a situation, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    Fits,
    FitsWithConditions,
    Risky,
    NotPossible,
}

impl Verdict {
    pub const ALL: [Verdict; 4] = [
        Verdict::Fits,
        Verdict::FitsWithConditions,
        Verdict::Risky,
        Verdict::NotPossible,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Verdict::Fits => "fits",
            Verdict::FitsWithConditions => "fits_with_conditions",
            Verdict::Risky => "risky",
            Verdict::NotPossible => "not_possible",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Fits => "Possible",
            Verdict::FitsWithConditions => "Possible sous conditions",
            Verdict::Risky => "Risqué : à vérifier avant de choisir",
            Verdict::NotPossible => "Impossible",
        }
    }

    pub fn label_easy(self) -> &'static str {
        match self {
            Verdict::Fits => "Oui.",
            Verdict::FitsWithConditions => "Oui, si vous faites ce qui est écrit.",
            Verdict::Risky => "Attention : c’est risqué pour vous.",
            Verdict::NotPossible => "Non.",
        }
    }
}

/// What a rule, or an evaluation, says must be done, what to beware of and
/// whom to ask: one French sentence each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guidance {
    pub requirements: Vec<String>,
    pub warnings: Vec<String>,
    /// The same warnings in easy-read French.
    pub warnings_easy: Vec<String>,
    /// Whom to ask (« la CAF », « l’ESAT »…).
    pub whom_to_ask: Vec<String>,
}

impl Guidance {
    /// Adds what `other` says and this does not say yet.
    pub fn absorb(&mut self, other: &Guidance) {
        push_new(&mut self.requirements, &other.requirements);
        push_new(&mut self.warnings, &other.warnings);
        push_new(&mut self.warnings_easy, &other.warnings_easy);
        push_new(&mut self.whom_to_ask, &other.whom_to_ask);
    }
}

/// One situation × framework, as an administrator edits it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub situation: Situation,
    pub framework: Framework,
    pub verdict: Verdict,
    pub guidance: Guidance,
    /// The text it rests on (« CASF, art. R.344-16 à R.344-21 »).
    pub source: String,
    pub checked_on: NaiveDate,
}

/// A person's situations against one framework: the worst verdict of their
/// rules, everything they require and warn, without repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub framework: Framework,
    pub verdict: Verdict,
    /// Its `whom_to_ask` is never empty: it ends with [`ALWAYS_ASK`].
    pub guidance: Guidance,
    pub sources: Vec<String>,
    /// The oldest check of the rules used (`None`: no rule was found).
    pub checked_on: Option<NaiveDate>,
    /// Always [`DISCLAIMER`].
    pub disclaimer: &'static str,
}

impl Evaluation {
    /// The choice needs a confirmation after the warnings are read.
    pub fn needs_confirmation(&self) -> bool {
        self.verdict >= Verdict::Risky
    }

    /// A rule used was last checked more than [`RECHECK_AFTER_DAYS`] ago,
    /// or there was none.
    pub fn needs_recheck(&self, today: NaiveDate) -> bool {
        self.checked_on
            .is_none_or(|d| (today - d).num_days() > RECHECK_AFTER_DAYS)
    }

    /// « Ceci n’est pas un conseil juridique. Pour vérifier, demandez à : … ».
    pub fn notice(&self) -> String {
        format!(
            "{DISCLAIMER} Pour vérifier, demandez à : {}.",
            self.guidance.whom_to_ask.join(", ")
        )
    }

    /// The same in easy-read French.
    pub fn notice_easy(&self) -> String {
        format!(
            "{DISCLAIMER} Avant de choisir, posez la question à : {}.",
            self.guidance.whom_to_ask.join(", ")
        )
    }
}

fn push_new(into: &mut Vec<String>, items: impl IntoIterator<Item = impl AsRef<str>>) {
    for item in items {
        let item = item.as_ref().trim();
        if !item.is_empty() && !into.iter().any(|x| x == item) {
            into.push(item.to_owned());
        }
    }
}

/// Evaluates `framework` for a person in `situations` (none: « autre
/// situation »). A framework reserved to a situation the person is not in
/// is not possible; a pair without a rule is risky (« demandez avant de
/// choisir »).
pub fn evaluate(rules: &[Rule], situations: &[Situation], framework: Framework) -> Evaluation {
    let situations = if situations.is_empty() {
        &[Situation::Other][..]
    } else {
        situations
    };
    let mut e = Evaluation {
        framework,
        verdict: Verdict::Fits,
        guidance: Guidance::default(),
        sources: Vec::new(),
        checked_on: None,
        disclaimer: DISCLAIMER,
    };
    if let Some(needed) = framework.reserved_to()
        && !situations.contains(&needed)
    {
        e.verdict = Verdict::NotPossible;
        e.guidance.warnings.push(format!(
            "Ce cadre (« {} ») est réservé aux personnes dont la situation est « {} ».",
            framework.label(),
            needed.label()
        ));
        e.guidance
            .warnings_easy
            .push("Ce n’est pas possible dans votre situation.".to_owned());
        if let Some(r) = rules
            .iter()
            .find(|r| r.situation == needed && r.framework == framework)
        {
            push_new(&mut e.sources, r.source.split(" ; "));
        }
        push_new(&mut e.guidance.whom_to_ask, [ALWAYS_ASK]);
        return e;
    }
    let mut seen = Vec::new();
    for s in situations {
        if seen.contains(s) {
            continue;
        }
        seen.push(*s);
        match rules
            .iter()
            .find(|r| r.situation == *s && r.framework == framework)
        {
            Some(r) => {
                e.verdict = e.verdict.max(r.verdict);
                e.guidance.absorb(&r.guidance);
                push_new(&mut e.sources, r.source.split(" ; "));
                e.checked_on = Some(e.checked_on.map_or(r.checked_on, |d| d.min(r.checked_on)));
            }
            None => {
                e.verdict = e.verdict.max(Verdict::Risky);
                e.guidance.warnings.push(format!(
                    "Aucune règle n’est enregistrée pour « {} » avec « {} » : demandez avant de choisir.",
                    s.label(),
                    framework.label()
                ));
                push_new(
                    &mut e.guidance.warnings_easy,
                    ["Nous ne savons pas si c’est possible. Demandez avant de choisir."],
                );
            }
        }
    }
    push_new(&mut e.guidance.whom_to_ask, [ALWAYS_ASK]);
    e
}

/// Every framework for these situations, best verdict first (then in the
/// order of [`Framework::ALL`]).
pub fn fitting(rules: &[Rule], situations: &[Situation]) -> Vec<(Framework, Evaluation)> {
    let mut all: Vec<(Framework, Evaluation)> = Framework::ALL
        .into_iter()
        .map(|f| (f, evaluate(rules, situations, f)))
        .collect();
    all.sort_by_key(|(f, e)| (e.verdict, *f));
    all
}

/// What a framework asks whatever the peer's situation, for the documents
/// the host and the requester see (the mission sheet): never the peer's
/// situation, which [`evaluate`] tells through its verdict and through the
/// rules of each situation (the CAF for the AAH, France Travail for a job
/// seeker…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostDuties {
    pub framework: Framework,
    /// Only what every situation's rule for the framework says; its
    /// `whom_to_ask` ends with [`ALWAYS_ASK`].
    pub guidance: Guidance,
    pub sources: Vec<String>,
}

impl HostDuties {
    /// « Ceci n’est pas un conseil juridique. Pour vérifier, demandez à : … ».
    pub fn notice(&self) -> String {
        format!(
            "{DISCLAIMER} Pour vérifier, demandez à : {}.",
            self.guidance.whom_to_ask.join(", ")
        )
    }
}

/// The duties of `framework` that do not depend on the person: the
/// requirements, warnings, people to ask and sources shared by the rules
/// of *every* situation for it (the framework's own part, whatever an
/// administrator wrote in it). A situation without a rule shares nothing,
/// so that one person's rule can never be all there is.
pub fn host_duties(rules: &[Rule], framework: Framework) -> HostDuties {
    let of = |s: Situation| {
        rules
            .iter()
            .find(|r| r.situation == s && r.framework == framework)
    };
    let per_situation: Vec<Option<&Rule>> = Situation::ALL.into_iter().map(of).collect();
    // The items of the first rule that every other rule also has.
    let shared = |items: &dyn Fn(&Rule) -> Vec<String>| -> Vec<String> {
        match per_situation
            .iter()
            .copied()
            .collect::<Option<Vec<&Rule>>>()
        {
            Some(all) => items(all[0])
                .into_iter()
                .filter(|x| all.iter().all(|r| items(r).contains(x)))
                .collect(),
            None => Vec::new(),
        }
    };
    let mut guidance = Guidance {
        requirements: shared(&|r| r.guidance.requirements.clone()),
        warnings: shared(&|r| r.guidance.warnings.clone()),
        warnings_easy: shared(&|r| r.guidance.warnings_easy.clone()),
        whom_to_ask: shared(&|r| r.guidance.whom_to_ask.clone()),
    };
    push_new(&mut guidance.whom_to_ask, [ALWAYS_ASK]);
    let sources = shared(&|r| {
        r.source
            .split(" ; ")
            .map(|x| x.trim().to_owned())
            .filter(|x| !x.is_empty())
            .collect()
    });
    HostDuties {
        framework,
        guidance,
        sources,
    }
}

#[cfg(test)]
mod tests {
    use super::defaults::{MICRO_REGISTERED, framework_part};
    use super::*;
    use Framework::*;
    use Situation::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
    }

    #[test]
    fn a_host_reads_each_framework_without_any_situation() {
        for f in Framework::ALL {
            let words = f.for_host();
            assert!(words.contains("Votre organisation") || words.contains("votre organisation"));
            for s in Situation::ALL {
                assert!(!words.contains(s.label()), "{words}");
                assert!(!words.contains(s.label_easy()), "{words}");
            }
            assert!(!words.contains("AAH"), "{words}");
        }
    }

    #[test]
    fn every_situation_and_framework_pair_has_one_sound_rule() {
        let rules = default_rules();
        assert_eq!(rules.len(), 48);
        let mut pairs = 0;
        for s in Situation::ALL {
            for f in Framework::ALL {
                let matching: Vec<&Rule> = rules
                    .iter()
                    .filter(|r| r.situation == s && r.framework == f)
                    .collect();
                assert_eq!(matching.len(), 1, "{s:?} × {f:?}");
                let r = matching[0];
                assert!(!r.source.is_empty(), "{s:?} × {f:?}: source");
                assert!(
                    !r.guidance.whom_to_ask.is_empty(),
                    "{s:?} × {f:?}: whom to ask"
                );
                assert_eq!(
                    r.guidance.warnings.len(),
                    r.guidance.warnings_easy.len(),
                    "{s:?} × {f:?}"
                );
                // Each default rule passes the administrator's own check.
                assert_eq!(
                    r.to_form().validate(today()).as_ref(),
                    Ok(r),
                    "{s:?} × {f:?}"
                );
                let e = evaluate(&rules, &[s], f);
                assert_eq!(e.disclaimer, DISCLAIMER);
                assert!(
                    e.notice()
                        .starts_with("Ceci n’est pas un conseil juridique.")
                );
                assert_eq!(
                    e.guidance.whom_to_ask.last().map(String::as_str),
                    Some(ALWAYS_ASK)
                );
                pairs += 1;
            }
        }
        assert_eq!(pairs, 48);
    }

    #[test]
    fn the_facts_of_domain_md_are_in_the_rules() {
        let rules = default_rules();
        let text = |s, f| {
            let e = evaluate(&rules, &[s], f);
            format!(
                "{} {} {} {}",
                e.guidance.requirements.join(" "),
                e.guidance.warnings.join(" "),
                e.guidance.warnings_easy.join(" "),
                e.sources.join(" ; ")
            )
        };
        let esat = text(EsatWorker, EsatPlacement);
        for words in [
            "convention écrite",
            "2 ans au plus",
            "MDPH dans les 15 jours",
            "CASF, art. R.344-16 à R.344-21",
        ] {
            assert!(esat.contains(words), "{words}");
        }
        let aah = text(Aah, HostContract);
        assert!(aah.contains("CAF chaque trimestre") && aah.contains("6 mois"));
        let volunteer = text(Student, Volunteering);
        assert!(volunteer.contains("frais réels"));
        assert!(volunteer.contains("requalifiée en contrat de travail"));
        assert!(volunteer.contains("Cass. soc., 29 janvier 2002, n° 99-42.697"));
        let micro = text(MicroEntrepreneur, MicroInvoice);
        assert!(micro.contains("facture") && micro.contains("URSSAF"));
    }

    #[test]
    fn an_esat_placement_is_for_esat_workers_only() {
        let rules = default_rules();
        for s in Situation::ALL {
            let e = evaluate(&rules, &[s], EsatPlacement);
            assert_eq!(e.verdict == Verdict::NotPossible, s != EsatWorker, "{s:?}");
            assert_eq!(e.disclaimer, DISCLAIMER);
            assert!(
                e.sources
                    .contains(&"CASF, art. R.344-16 à R.344-21".to_owned())
            );
        }
        let both = evaluate(&rules, &[Aah, EsatWorker], EsatPlacement);
        assert_eq!(both.verdict, Verdict::FitsWithConditions);
        assert!(both.guidance.whom_to_ask.contains(&"la CAF".to_owned()));
        assert!(both.guidance.whom_to_ask.contains(&"l’ESAT".to_owned()));
    }

    #[test]
    fn combined_situations_take_the_worst_verdict_and_merge_without_repeats() {
        let rules = default_rules();
        let micro = evaluate(&rules, &[MicroEntrepreneur], MicroInvoice);
        assert_eq!(micro.verdict, Verdict::Fits);
        let both = evaluate(&rules, &[MicroEntrepreneur, EsatWorker], MicroInvoice);
        assert_eq!(both.verdict, Verdict::Risky);
        assert!(both.needs_confirmation() && !micro.needs_confirmation());
        let registered = both
            .guidance
            .requirements
            .iter()
            .filter(|r| r.as_str() == MICRO_REGISTERED)
            .count();
        assert_eq!(registered, 1, "the same sentence once");
        assert!(both.guidance.warnings.iter().any(|w| w.contains("ESAT")));
        for list in [
            &both.guidance.requirements,
            &both.guidance.warnings,
            &both.guidance.whom_to_ask,
            &both.sources,
        ] {
            let mut sorted = list.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "{list:?}");
        }
        // Order does not change the verdict; a repeated situation counts once.
        let reversed = evaluate(
            &rules,
            &[EsatWorker, MicroEntrepreneur, EsatWorker],
            MicroInvoice,
        );
        assert_eq!(reversed.verdict, Verdict::Risky);
        // AAH + ESAT worker on a host contract: both sets of conditions.
        let aah_esat = evaluate(&rules, &[Aah, EsatWorker], HostContract);
        assert!(
            aah_esat
                .guidance
                .requirements
                .iter()
                .any(|r| r.contains("CAF"))
        );
        assert!(
            aah_esat
                .guidance
                .requirements
                .iter()
                .any(|r| r.contains("ESAT"))
        );
    }

    #[test]
    fn the_worst_verdict_wins_whatever_the_rules_say() {
        let mut rules = default_rules();
        for r in rules.iter_mut().filter(|r| r.framework == WagePortage) {
            r.verdict = match r.situation {
                Retired => Verdict::NotPossible,
                Student => Verdict::Fits,
                _ => r.verdict,
            };
        }
        assert_eq!(
            evaluate(&rules, &[Student], WagePortage).verdict,
            Verdict::Fits
        );
        assert_eq!(
            evaluate(&rules, &[Student, Retired], WagePortage).verdict,
            Verdict::NotPossible
        );
        assert_eq!(
            evaluate(&rules, &[Student, Employee], WagePortage).verdict,
            Verdict::FitsWithConditions
        );
    }

    #[test]
    fn a_missing_rule_is_risky_and_no_situation_means_other() {
        let rules: Vec<Rule> = default_rules()
            .into_iter()
            .filter(|r| !(r.situation == Student && r.framework == HostContract))
            .collect();
        let e = evaluate(&rules, &[Student], HostContract);
        assert_eq!(e.verdict, Verdict::Risky);
        assert!(e.guidance.warnings[0].contains("Aucune règle"));
        assert!(e.needs_recheck(today()));
        assert_eq!(e.disclaimer, DISCLAIMER);
        assert_eq!(e.guidance.whom_to_ask, vec![ALWAYS_ASK.to_owned()]);
        let none = evaluate(&rules, &[], Volunteering);
        assert_eq!(none, evaluate(&rules, &[Other], Volunteering));
    }

    #[test]
    fn fitting_frameworks_come_best_first() {
        let rules = default_rules();
        let list = fitting(&rules, &[MicroEntrepreneur]);
        assert_eq!(list.len(), 6);
        let order: Vec<Framework> = list.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            order,
            vec![
                HostContract,
                CarrierContract,
                MicroInvoice,
                Volunteering,
                WagePortage,
                EsatPlacement
            ]
        );
        assert!(list.windows(2).all(|w| w[0].1.verdict <= w[1].1.verdict));
        let esat = fitting(&rules, &[EsatWorker, Aah]);
        assert_eq!(esat.last().unwrap().1.verdict, Verdict::Risky);
        assert!(esat.iter().all(|(_, e)| e.disclaimer == DISCLAIMER));
    }

    #[test]
    fn rules_are_checked_again_after_a_year() {
        let rules = default_rules();
        let e = evaluate(&rules, &[Aah], HostContract);
        assert_eq!(e.checked_on, Some(defaults_written_on()));
        assert!(!e.needs_recheck(defaults_written_on()));
        assert!(e.needs_recheck(defaults_written_on() + chrono::Days::new(366)));
    }

    #[test]
    fn codes_round_trip() {
        for s in Situation::ALL {
            assert_eq!(Situation::from_code(s.code()), Some(s));
        }
        for f in Framework::ALL {
            assert_eq!(Framework::from_code(f.code()), Some(f));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
        assert_eq!(Verdict::from_code("maybe"), None);
    }

    fn form() -> RuleForm {
        RuleForm {
            situation: "aah".into(),
            framework: "volunteering".into(),
            verdict: "risky".into(),
            requirements: "\nRembourser les frais réels.\n\n".into(),
            warnings: "Une somme forfaitaire est un revenu.".into(),
            warnings_easy: "L’argent en plus compte pour la CAF.".into(),
            whom_to_ask: "la CAF".into(),
            source: "CSS, art. L.821-1".into(),
            checked_on: "15/01/2027".into(),
        }
    }

    fn fields(f: RuleForm) -> Vec<&'static str> {
        f.validate(today())
            .unwrap_err()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn an_edited_rule_is_checked() {
        let r = form().validate(today()).unwrap();
        assert_eq!(r.guidance.requirements, vec!["Rembourser les frais réels."]);
        assert_eq!(r.checked_on, today());
        assert_eq!(r.to_form().validate(today()), Ok(r));
        assert_eq!(
            fields(RuleForm::default()),
            vec!["situation", "framework", "verdict", "source", "checked_on"]
        );
        assert_eq!(
            fields(RuleForm {
                source: "  ".into(),
                ..form()
            }),
            vec!["source"]
        );
        let future = RuleForm {
            checked_on: "16/01/2027".into(),
            ..form()
        };
        let problems = future.validate(today()).unwrap_err();
        assert_eq!(problems[0].0, "checked_on");
        assert!(problems[0].1.0.contains("futur"));
        assert_eq!(
            fields(RuleForm {
                verdict: "fits_with_conditions".into(),
                requirements: " \n ".into(),
                ..form()
            }),
            vec!["requirements"]
        );
        assert_eq!(
            fields(RuleForm {
                warnings: String::new(),
                warnings_easy: String::new(),
                ..form()
            }),
            vec!["warnings"]
        );
        assert_eq!(
            fields(RuleForm {
                warnings_easy: String::new(),
                ..form()
            }),
            vec!["warnings_easy"]
        );
        assert_eq!(
            fields(RuleForm {
                requirements: "x\n".repeat(MAX_LINES + 1),
                ..form()
            }),
            vec!["requirements"]
        );
        // Fits needs neither a condition nor a warning.
        let fits = RuleForm {
            verdict: "fits".into(),
            requirements: String::new(),
            warnings: String::new(),
            warnings_easy: String::new(),
            whom_to_ask: String::new(),
            ..form()
        };
        assert!(fits.validate(today()).is_ok());
    }

    #[test]
    fn host_duties_say_nothing_of_the_persons_situation() {
        let rules = default_rules();
        for f in Framework::ALL {
            let d = host_duties(&rules, f);
            let text = format!(
                "{} {} {} {}",
                d.guidance.requirements.join(" "),
                d.guidance.warnings.join(" "),
                d.notice(),
                d.sources.join(" ")
            );
            for word in [
                "AAH",
                "CAF",
                "France Travail",
                "chômage",
                "retraite",
                "étudiant",
            ] {
                assert!(!text.contains(word), "{f:?}: « {word} » in {text}");
            }
            // The framework's own part stays.
            let own = framework_part(f);
            for req in own.requirements {
                assert!(
                    d.guidance.requirements.iter().any(|r| r == req),
                    "{f:?}: {req}"
                );
            }
            assert!(d.notice().ends_with(&format!("{ALWAYS_ASK}.")));
        }
        // One situation without a rule: nothing is shared.
        let some: Vec<Rule> = rules.into_iter().filter(|r| r.situation == Aah).collect();
        let d = host_duties(&some, HostContract);
        assert!(d.guidance.requirements.is_empty() && d.sources.is_empty());
    }
}
