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

use chrono::NaiveDate;

use crate::Invalid;
use crate::text::{parse_date, required};
use crate::training::{Problems, take};

/// Said with every evaluation.
pub const DISCLAIMER: &str = "Ceci n’est pas un conseil juridique.";
/// Always among the people to ask.
pub const ALWAYS_ASK: &str = "un·e juriste de l’association porteuse";
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
            Situation::EsatWorker => "Travailleur·se d’ESAT",
            Situation::Aah => "Perçoit l’AAH (allocation aux adultes handicapés)",
            Situation::Employee => "Salarié·e",
            Situation::MicroEntrepreneur => "Micro-entrepreneur·e",
            Situation::JobSeeker => "Demandeur·se d’emploi",
            Situation::Retired => "Retraité·e",
            Situation::Student => "Étudiant·e",
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
            Framework::MicroInvoice => "Facture d’un·e micro-entrepreneur·e",
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

    /// « Ceci n’est pas un conseil juridique. Pour être sûr·e, demandez à : … ».
    pub fn notice(&self) -> String {
        format!(
            "{DISCLAIMER} Pour être sûr·e, demandez à : {}.",
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
    /// « Ceci n’est pas un conseil juridique. Pour être sûr·e, demandez à : … ».
    pub fn notice(&self) -> String {
        format!(
            "{DISCLAIMER} Pour être sûr·e, demandez à : {}.",
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

impl RuleForm {
    /// Checks an edited rule; `today` refuses a check date in the future.
    pub fn validate(&self, today: NaiveDate) -> Result<Rule, Problems> {
        let mut p = Vec::new();
        let situation = take(
            &mut p,
            "situation",
            Situation::from_code(&self.situation)
                .ok_or_else(|| Invalid::new("Choisissez la situation de la personne.")),
        );
        let framework = take(
            &mut p,
            "framework",
            Framework::from_code(&self.framework)
                .ok_or_else(|| Invalid::new("Choisissez le cadre juridique.")),
        );
        let verdict = take(
            &mut p,
            "verdict",
            Verdict::from_code(&self.verdict).ok_or_else(|| {
                Invalid::new("Choisissez : possible, sous conditions, risqué ou impossible.")
            }),
        );
        let requirements = take(
            &mut p,
            "requirements",
            lines(&self.requirements, "Ce qu’il faut"),
        );
        let warnings = take(&mut p, "warnings", lines(&self.warnings, "Avertissements"));
        let warnings_easy = take(
            &mut p,
            "warnings_easy",
            lines(&self.warnings_easy, "Avertissements en facile à lire"),
        );
        let whom_to_ask = take(
            &mut p,
            "whom_to_ask",
            lines(&self.whom_to_ask, "À qui demander"),
        );
        let source = take(
            &mut p,
            "source",
            required(
                &self.source,
                "la source (article de loi, décision, page officielle)",
                500,
            ),
        );
        let checked_on = take(
            &mut p,
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
        );
        if let (Some(v), Some(reqs)) = (verdict, &requirements)
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
        if let (Some(v), Some(w)) = (verdict, &warnings)
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
        if let (Some(w), Some(easy)) = (&warnings, &warnings_easy)
            && !w.is_empty()
            && easy.is_empty()
        {
            p.push((
                "warnings_easy",
                Invalid::new("Écrivez aussi les avertissements en facile à lire et à comprendre."),
            ));
        }
        let guidance = match (requirements, warnings, warnings_easy, whom_to_ask) {
            (Some(requirements), Some(warnings), Some(warnings_easy), Some(whom_to_ask)) => {
                Some(Guidance {
                    requirements,
                    warnings,
                    warnings_easy,
                    whom_to_ask,
                })
            }
            _ => None,
        };
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

// ---------------------------------------------------------------------------
// The default rules: a framework's own part, and what each situation adds.

/// The day the default rules were written from `DOMAIN.md` (not a legal
/// review: an administrator re-checks each rule and updates its date).
pub fn defaults_written_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

/// Part of a default rule: `(ordinary, easy-read)` warnings.
struct Part {
    verdict: Verdict,
    requirements: &'static [&'static str],
    warnings: &'static [(&'static str, &'static str)],
    ask: &'static [&'static str],
    source: &'static str,
}

const fn part(
    verdict: Verdict,
    requirements: &'static [&'static str],
    warnings: &'static [(&'static str, &'static str)],
    ask: &'static [&'static str],
    source: &'static str,
) -> Part {
    Part {
        verdict,
        requirements,
        warnings,
        ask,
        source,
    }
}

const MICRO_REGISTERED: &str =
    "Être immatriculé·e comme micro-entrepreneur·e (numéro SIRET) avant la première facture.";

fn framework_part(f: Framework) -> Part {
    use Verdict::Fits;
    match f {
        Framework::HostContract => part(
            Fits,
            &[
                "Un contrat de travail écrit, signé avant l’intervention : un CDD, ou un CDD d’usage seulement dans les secteurs où il est permis.",
                "Un bulletin de paie remis par la structure d’accueil, qui déclare l’emploi et paie les cotisations.",
            ],
            &[],
            &["le service des ressources humaines de la structure d’accueil"],
            "Code du travail, art. L.1242-2, L.1242-12 et D.1242-1 (CDD et CDD d’usage)",
        ),
        Framework::CarrierContract => part(
            Fits,
            &[
                "Un contrat de travail écrit avec l’association porteuse, signé avant l’intervention.",
                "Une convention entre l’association porteuse et la structure d’accueil, qui dit qui fait quoi et qui paie.",
                "Si la personne travaille sous l’autorité de la structure d’accueil, c’est un prêt de main-d’œuvre : son accord écrit, une convention de mise à disposition, et aucun bénéfice pour l’association.",
            ],
            &[],
            &[ALWAYS_ASK],
            "Code du travail, art. L.1242-12 (CDD) et L.8241-1 à L.8241-3 (prêt de main-d’œuvre à but non lucratif)",
        ),
        Framework::MicroInvoice => part(
            Fits,
            &[
                MICRO_REGISTERED,
                "Une facture avec les mentions obligatoires : numéro SIRET, date, prestation, prix (et « TVA non applicable, art. 293 B du CGI » en franchise de TVA).",
                "Déclarer le chiffre d’affaires à l’URSSAF, chaque mois ou chaque trimestre, et payer les cotisations.",
            ],
            &[(
                "Si la structure d’accueil fixe seule les horaires et donne des ordres comme à un salarié, la relation peut être requalifiée en contrat de travail.",
                "Avec une micro-entreprise, vous êtes votre propre patron. Si la structure vous donne des ordres comme à un salarié, ce n’est pas normal : demandez conseil.",
            )],
            &["l’URSSAF"],
            "Code du travail, art. L.8221-6 ; autoentrepreneur.urssaf.fr",
        ),
        Framework::EsatPlacement => part(
            Fits,
            &[
                "Une convention écrite entre l’ESAT et la structure d’accueil, signée avant le début : noms, activité, lieu et horaires, base de facturation, soutien médico-social, suivi médical, adaptations du poste.",
                "Une mise à disposition individuelle dure 2 ans au plus.",
                "L’ESAT envoie la convention à la MDPH dans les 15 jours.",
                "La personne reste travailleur·se d’ESAT : l’ESAT la rémunère et facture la structure d’accueil.",
            ],
            &[(
                "Ne commencez pas avant la signature de la convention : sans elle, rien n’encadre l’intervention.",
                "L’ESAT et la structure signent un papier : la convention. On commence seulement après.",
            )],
            &["l’ESAT", "la MDPH"],
            "CASF, art. R.344-16 à R.344-21",
        ),
        Framework::Volunteering => part(
            Fits,
            &[
                "Rembourser seulement les frais réels (transport, repas, hébergement), sur justificatifs.",
                "Aucune somme forfaitaire ni rémunération, même petite.",
            ],
            &[(
                "Une somme forfaitaire au-delà des frais réels, avec un travail sous l’autorité de la structure, peut être requalifiée en contrat de travail.",
                "Bénévole veut dire : pas de salaire. On vous rembourse seulement ce que vous avez payé, avec les tickets. Si on vous donne plus, cela peut devenir un travail salarié.",
            )],
            &[ALWAYS_ASK],
            "Cass. soc., 29 janvier 2002, n° 99-42.697",
        ),
        Framework::WagePortage => part(
            Fits,
            &[
                "Un contrat avec une entreprise de portage salarial, et un contrat de prestation entre elle et la structure d’accueil.",
                "La rémunération minimale prévue par la convention collective du portage salarial, et les frais de gestion de l’entreprise de portage.",
            ],
            &[(
                "Le portage salarial demande de l’expertise et de l’autonomie pour trouver ses missions ; il convient mal à quelques heures par an.",
                "Avec le portage salarial, une entreprise vous paie un salaire pour les missions que vous trouvez. Elle garde une partie de l’argent. C’est compliqué pour quelques heures.",
            )],
            &["une entreprise de portage salarial"],
            "Code du travail, art. L.1254-1 et suivants",
        ),
    }
}

const AAH_SOURCE: &str = "Code de la sécurité sociale, art. L.821-1 et suivants (AAH) ; caf.fr";
const AAH_DECLARE: &str =
    "Déclarer ces revenus à la CAF dans la déclaration trimestrielle de ressources.";
const AAH_WARNING: (&str, &str) = (
    "Les revenus d’activité sont à déclarer à la CAF chaque trimestre : au début d’une activité, ils ne réduisent pas l’AAH pendant 6 mois ; ensuite, ils la réduisent en partie.",
    "Vous touchez l’AAH ? Dites à la CAF l’argent que vous gagnez, tous les 3 mois. Après 6 mois, l’AAH peut baisser un peu.",
);
const ESAT_SOURCE: &str = "CASF, art. L.344-2 et suivants (travailleurs d’ESAT)";
const ESAT_ASK: &[&str] = &["l’ESAT", "la MDPH"];
const EMPLOYEE_CHECK: &str = "Relire son contrat de travail actuel (clause d’exclusivité, obligation de loyauté) et respecter les durées maximales de travail, tous emplois confondus : 10 heures par jour, 48 heures par semaine.";
const EMPLOYEE_SOURCE: &str =
    "Code du travail, art. L.3121-18, L.3121-20 et L.8261-1 (durées maximales, cumul d’emplois)";
const EMPLOYEE_ASK: &[&str] = &["le service des ressources humaines de son employeur"];
const MICRO_ASK: &[&str] = &["l’URSSAF"];
const MICRO_SOURCE: &str = "autoentrepreneur.urssaf.fr";
const JOB_SEEKER_DECLARE: &str = "Déclarer chaque mois à France Travail les heures travaillées et les sommes gagnées, lors de l’actualisation.";
const JOB_SEEKER_WARNING: (&str, &str) = (
    "L’allocation chômage peut être réduite selon ce qui est gagné ; des revenus non déclarés devront être remboursés.",
    "Vous êtes inscrit à France Travail ? Dites chaque mois les heures et l’argent gagné. Sinon, vous devrez rendre de l’argent.",
);
const JOB_SEEKER_SOURCE: &str = "francetravail.fr (cumul de l’allocation et d’une activité)";
const JOB_SEEKER_ASK: &[&str] = &["France Travail"];
const RETIRED_CHECK: &str = "Vérifier auprès de sa caisse de retraite les règles du cumul emploi-retraite : le cumul est libre dans certains cas seulement, sinon les revenus sont plafonnés.";
const RETIRED_SOURCE: &str = "Code de la sécurité sociale, art. L.161-22 (cumul emploi-retraite)";
const RETIRED_ASK: &[&str] = &["sa caisse de retraite"];
const STUDENT_HOURS: &str = "Des horaires compatibles avec les études ; pour un·e étudiant·e étranger·e, la durée de travail permise par son titre de séjour.";
const STUDENT_ASK: &[&str] = &["le service de la vie étudiante de son établissement"];
const OTHER_CHECK: &str = "Préciser sa situation avec la coordination avant de choisir : d’autres règles peuvent s’appliquer (pension d’invalidité, indemnités journalières, fonction publique…).";
const OTHER_ASK: &[&str] = &["la coordination de son territoire"];

fn situation_part(s: Situation, f: Framework) -> Part {
    use Framework::*;
    use Situation::*;
    use Verdict::{Fits, FitsWithConditions as Cond, Risky};
    match (s, f) {
        (Aah, Volunteering) => part(
            Cond,
            &[
                "Les remboursements de frais réels ne sont pas un revenu ; toute autre somme en serait un, à déclarer à la CAF.",
            ],
            &[(
                "Une somme forfaitaire versée en plus des frais serait un revenu à déclarer, qui peut réduire l’AAH.",
                "L’argent en plus des frais compte pour la CAF. L’AAH peut baisser.",
            )],
            &["la CAF"],
            AAH_SOURCE,
        ),
        (Aah, EsatPlacement) => part(
            Cond,
            &[
                "Pour un·e travailleur·se d’ESAT, l’AAH suit des règles propres : demander à l’ESAT et à la CAF ce qu’il faut déclarer.",
            ],
            &[],
            &["la CAF", "l’ESAT"],
            AAH_SOURCE,
        ),
        (Aah, MicroInvoice) => part(
            Cond,
            &[
                AAH_DECLARE,
                "Demander à la CAF comment déclarer le chiffre d’affaires d’une micro-entreprise.",
            ],
            &[AAH_WARNING],
            &["la CAF"],
            AAH_SOURCE,
        ),
        (Aah, _) => part(
            Cond,
            &[AAH_DECLARE],
            &[AAH_WARNING],
            &["la CAF"],
            AAH_SOURCE,
        ),

        (EsatWorker, HostContract | CarrierContract) => part(
            Cond,
            &[
                "En parler avec l’ESAT avant de signer : depuis la réforme de 2022, un·e travailleur·se d’ESAT peut aussi travailler à temps partiel pour un autre employeur, dans des conditions à fixer avec l’ESAT.",
            ],
            &[(
                "Signer un contrat de travail sans en parler à l’ESAT peut poser problème pour l’accompagnement et les revenus ; la mise à disposition sous convention est le cadre prévu pour intervenir ailleurs.",
                "Vous travaillez en ESAT ? Parlez-en d’abord à l’ESAT. Souvent, le plus simple est une convention entre l’ESAT et la structure.",
            )],
            ESAT_ASK,
            "CASF, art. L.344-2 et suivants (travailleurs d’ESAT) ; loi n° 2022-217 du 21 février 2022 (réforme des ESAT)",
        ),
        (EsatWorker, MicroInvoice) => part(
            Risky,
            &[],
            &[(
                "Une micro-entreprise à côté du travail en ESAT est à voir d’abord avec l’ESAT et la MDPH : l’orientation, l’accompagnement et les revenus doivent rester compatibles.",
                "Vous travaillez en ESAT ? Ne créez pas d’entreprise sans en parler à l’ESAT et à la MDPH.",
            )],
            ESAT_ASK,
            ESAT_SOURCE,
        ),
        (EsatWorker, EsatPlacement) => part(
            Cond,
            &[
                "La personne est d’accord, a lu la convention (en facile à lire si besoin) et peut refuser.",
            ],
            &[],
            &["l’ESAT"],
            ESAT_SOURCE,
        ),
        (EsatWorker, Volunteering) => part(
            Cond,
            &[
                "En dehors du temps de travail à l’ESAT ; pendant ce temps-là, il faut une mise à disposition par l’ESAT.",
            ],
            &[],
            &["l’ESAT"],
            ESAT_SOURCE,
        ),
        (EsatWorker, WagePortage) => part(
            Risky,
            &[],
            &[(
                "Le portage salarial suppose de trouver seul·e ses missions et une rémunération minimale : il se concilie mal avec le travail en ESAT. À voir avec l’ESAT et la MDPH.",
                "Vous travaillez en ESAT ? Le portage salarial est difficile. Parlez-en à l’ESAT et à la MDPH.",
            )],
            ESAT_ASK,
            ESAT_SOURCE,
        ),

        (Employee, HostContract | CarrierContract) => part(
            Cond,
            &[
                EMPLOYEE_CHECK,
                "Si l’intervention se fait pour le compte de son employeur actuel, une convention à trois : l’employeur, la structure d’accueil et la personne.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        (Employee, MicroInvoice) => part(
            Cond,
            &[
                EMPLOYEE_CHECK,
                "Ne pas facturer à son propre employeur un travail qui fait partie de son contrat.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        (Employee, EsatPlacement) => part(
            Cond,
            &[
                "Les heures à l’ESAT et chez l’employeur s’additionnent : respecter les durées maximales de travail.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        (Employee, Volunteering) => part(
            Cond,
            &[
                "En dehors de son temps de travail, et jamais pour son employeur un travail qui relève de son emploi.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        (Employee, WagePortage) => {
            part(Cond, &[EMPLOYEE_CHECK], &[], EMPLOYEE_ASK, EMPLOYEE_SOURCE)
        }

        (MicroEntrepreneur, HostContract | CarrierContract) => part(
            Fits,
            &[
                "Ce salaire ne passe pas par la micro-entreprise : pas de facture en plus du contrat.",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        (MicroEntrepreneur, MicroInvoice) => part(
            Fits,
            &[
                "Vérifier que l’activité déclarée à l’URSSAF couvre ce type d’intervention.",
                "Pour une action de formation professionnelle, une déclaration d’activité de prestataire de formation peut être nécessaire (Code du travail, art. L.6351-1).",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        (MicroEntrepreneur, EsatPlacement) => part(
            Cond,
            &["La mise à disposition est facturée par l’ESAT, pas par la micro-entreprise."],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        (MicroEntrepreneur, Volunteering) => part(
            Cond,
            &[
                "Ne pas faire gratuitement, au titre du bénévolat, une prestation que la micro-entreprise vend d’habitude.",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        (MicroEntrepreneur, WagePortage) => part(
            Cond,
            &["Le portage salarial est un salaire : il ne passe pas par la micro-entreprise."],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),

        (JobSeeker, MicroInvoice) => part(
            Cond,
            &[
                "Déclarer la création de la micro-entreprise à France Travail, puis chaque mois le chiffre d’affaires lors de l’actualisation.",
            ],
            &[JOB_SEEKER_WARNING],
            JOB_SEEKER_ASK,
            JOB_SEEKER_SOURCE,
        ),
        (JobSeeker, Volunteering) => part(
            Cond,
            &[
                "Le bénévolat est permis : pas chez un ancien employeur, sans remplacer un emploi salarié, et sans gêner la recherche d’emploi.",
            ],
            &[],
            JOB_SEEKER_ASK,
            "Code du travail, art. L.5425-8",
        ),
        (JobSeeker, _) => part(
            Cond,
            &[JOB_SEEKER_DECLARE],
            &[JOB_SEEKER_WARNING],
            JOB_SEEKER_ASK,
            JOB_SEEKER_SOURCE,
        ),

        (Retired, Volunteering) => part(Cond, &[], &[], &[], ""),
        (Retired, _) => part(Cond, &[RETIRED_CHECK], &[], RETIRED_ASK, RETIRED_SOURCE),

        (Student, HostContract | CarrierContract) => {
            part(Fits, &[STUDENT_HOURS], &[], STUDENT_ASK, "")
        }
        (Student, Volunteering | EsatPlacement) => part(Cond, &[], &[], &[], ""),
        (Student, MicroInvoice | WagePortage) => part(Cond, &[STUDENT_HOURS], &[], STUDENT_ASK, ""),

        (Other, _) => part(Cond, &[OTHER_CHECK], &[], OTHER_ASK, ""),
    }
}

fn default_rule(s: Situation, f: Framework) -> Rule {
    let base = framework_part(f);
    let own = situation_part(s, f);
    let mut rule = Rule {
        situation: s,
        framework: f,
        verdict: base.verdict.max(own.verdict),
        guidance: Guidance::default(),
        source: String::new(),
        checked_on: defaults_written_on(),
    };
    for p in [&base, &own] {
        let g = &mut rule.guidance;
        push_new(&mut g.requirements, p.requirements);
        push_new(&mut g.warnings, p.warnings.iter().map(|w| w.0));
        push_new(&mut g.warnings_easy, p.warnings.iter().map(|w| w.1));
    }
    push_new(
        &mut rule.guidance.whom_to_ask,
        own.ask.iter().chain(base.ask),
    );
    let mut sources = Vec::new();
    push_new(
        &mut sources,
        base.source.split(" ; ").chain(own.source.split(" ; ")),
    );
    rule.source = sources.join(" ; ");
    rule
}

/// One rule for every situation × framework (48), in the order of
/// [`Situation::ALL`] then [`Framework::ALL`].
pub fn default_rules() -> Vec<Rule> {
    Situation::ALL
        .into_iter()
        .flat_map(|s| Framework::ALL.into_iter().map(move |f| default_rule(s, f)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Framework::*;
    use Situation::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
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
