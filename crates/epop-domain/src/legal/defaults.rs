//! The default rules, as a data table: each framework's own part (what it
//! always requires, warns of, whom to ask, its source) and what each
//! situation adds to it; a default rule is the two merged.

use chrono::NaiveDate;

use super::Framework::*;
use super::Verdict::{Fits, FitsWithConditions as Cond, Risky};
use super::{ALWAYS_ASK, Framework, Guidance, Rule, Situation, Verdict, push_new};

/// The day the default rules were written from `DOMAIN.md` (not a legal
/// review: an administrator re-checks each rule and updates its date).
pub fn defaults_written_on() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a valid date")
}

/// Part of a default rule: `(ordinary, easy-read)` warnings.
pub(super) struct Part {
    verdict: Verdict,
    pub(super) requirements: &'static [&'static str],
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

pub(super) const MICRO_REGISTERED: &str =
    "Avoir une micro-entreprise immatriculée (numéro SIRET) avant la première facture.";

pub(super) fn framework_part(f: Framework) -> Part {
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
                "La personne reste travailleur ou travailleuse d’ESAT : l’ESAT la rémunère et facture la structure d’accueil.",
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
const STUDENT_HOURS: &str = "Des horaires compatibles avec les études ; pour une personne étrangère qui étudie, la durée de travail permise par son titre de séjour.";
const STUDENT_ASK: &[&str] = &["le service de la vie étudiante de son établissement"];
const OTHER_CHECK: &str = "Préciser sa situation avec la coordination avant de choisir : d’autres règles peuvent s’appliquer (pension d’invalidité, indemnités journalières, fonction publique…).";
const OTHER_ASK: &[&str] = &["la coordination de son territoire"];

/// What situation `s` adds to framework `f`'s own part.
fn situation_part(s: Situation, f: Framework) -> Part {
    use Situation::*;
    match s {
        Aah => aah_part(f),
        EsatWorker => esat_worker_part(f),
        Employee => employee_part(f),
        MicroEntrepreneur => micro_entrepreneur_part(f),
        JobSeeker => job_seeker_part(f),
        Retired => retired_part(f),
        Student => student_part(f),
        Other => part(Cond, &[OTHER_CHECK], &[], OTHER_ASK, ""),
    }
}

/// What receiving the AAH (allocation aux adultes handicapés) adds.
fn aah_part(f: Framework) -> Part {
    match f {
        Volunteering => part(
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
        EsatPlacement => part(
            Cond,
            &[
                "Pour une personne qui travaille en ESAT, l’AAH suit des règles propres : demander à l’ESAT et à la CAF ce qu’il faut déclarer.",
            ],
            &[],
            &["la CAF", "l’ESAT"],
            AAH_SOURCE,
        ),
        MicroInvoice => part(
            Cond,
            &[
                AAH_DECLARE,
                "Demander à la CAF comment déclarer le chiffre d’affaires d’une micro-entreprise.",
            ],
            &[AAH_WARNING],
            &["la CAF"],
            AAH_SOURCE,
        ),
        _ => part(
            Cond,
            &[AAH_DECLARE],
            &[AAH_WARNING],
            &["la CAF"],
            AAH_SOURCE,
        ),
    }
}

/// What working in an ESAT adds.
fn esat_worker_part(f: Framework) -> Part {
    match f {
        HostContract | CarrierContract => part(
            Cond,
            &[
                "En parler avec l’ESAT avant de signer : depuis la réforme de 2022, une personne qui travaille en ESAT peut aussi travailler à temps partiel pour un autre employeur, dans des conditions à fixer avec l’ESAT.",
            ],
            &[(
                "Signer un contrat de travail sans en parler à l’ESAT peut poser problème pour l’accompagnement et les revenus ; la mise à disposition sous convention est le cadre prévu pour intervenir ailleurs.",
                "Vous travaillez en ESAT ? Parlez-en d’abord à l’ESAT. Souvent, le plus simple est une convention entre l’ESAT et la structure.",
            )],
            ESAT_ASK,
            "CASF, art. L.344-2 et suivants (travailleurs d’ESAT) ; loi n° 2022-217 du 21 février 2022 (réforme des ESAT)",
        ),
        MicroInvoice => part(
            Risky,
            &[],
            &[(
                "Une micro-entreprise à côté du travail en ESAT est à voir d’abord avec l’ESAT et la MDPH : l’orientation, l’accompagnement et les revenus doivent rester compatibles.",
                "Vous travaillez en ESAT ? Ne créez pas d’entreprise sans en parler à l’ESAT et à la MDPH.",
            )],
            ESAT_ASK,
            ESAT_SOURCE,
        ),
        EsatPlacement => part(
            Cond,
            &[
                "La personne est d’accord, a lu la convention (en facile à lire si besoin) et peut refuser.",
            ],
            &[],
            &["l’ESAT"],
            ESAT_SOURCE,
        ),
        Volunteering => part(
            Cond,
            &[
                "En dehors du temps de travail à l’ESAT ; pendant ce temps-là, il faut une mise à disposition par l’ESAT.",
            ],
            &[],
            &["l’ESAT"],
            ESAT_SOURCE,
        ),
        WagePortage => part(
            Risky,
            &[],
            &[(
                "Le portage salarial suppose de trouver soi-même ses missions et une rémunération minimale : il se concilie mal avec le travail en ESAT. À voir avec l’ESAT et la MDPH.",
                "Vous travaillez en ESAT ? Le portage salarial est difficile. Parlez-en à l’ESAT et à la MDPH.",
            )],
            ESAT_ASK,
            ESAT_SOURCE,
        ),
    }
}

/// What being an employee elsewhere adds.
fn employee_part(f: Framework) -> Part {
    match f {
        HostContract | CarrierContract => part(
            Cond,
            &[
                EMPLOYEE_CHECK,
                "Si l’intervention se fait pour le compte de son employeur actuel, une convention à trois : l’employeur, la structure d’accueil et la personne.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        MicroInvoice => part(
            Cond,
            &[
                EMPLOYEE_CHECK,
                "Ne pas facturer à son propre employeur un travail qui fait partie de son contrat.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        EsatPlacement => part(
            Cond,
            &[
                "Les heures à l’ESAT et chez l’employeur s’additionnent : respecter les durées maximales de travail.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        Volunteering => part(
            Cond,
            &[
                "En dehors de son temps de travail, et jamais pour son employeur un travail qui relève de son emploi.",
            ],
            &[],
            EMPLOYEE_ASK,
            EMPLOYEE_SOURCE,
        ),
        WagePortage => part(Cond, &[EMPLOYEE_CHECK], &[], EMPLOYEE_ASK, EMPLOYEE_SOURCE),
    }
}

/// What already being a micro-entrepreneur adds.
fn micro_entrepreneur_part(f: Framework) -> Part {
    match f {
        HostContract | CarrierContract => part(
            Fits,
            &[
                "Ce salaire ne passe pas par la micro-entreprise : pas de facture en plus du contrat.",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        MicroInvoice => part(
            Fits,
            &[
                "Vérifier que l’activité déclarée à l’URSSAF couvre ce type d’intervention.",
                "Pour une action de formation professionnelle, une déclaration d’activité de prestataire de formation peut être nécessaire (Code du travail, art. L.6351-1).",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        EsatPlacement => part(
            Cond,
            &["La mise à disposition est facturée par l’ESAT, pas par la micro-entreprise."],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        Volunteering => part(
            Cond,
            &[
                "Ne pas faire gratuitement, au titre du bénévolat, une prestation que la micro-entreprise vend d’habitude.",
            ],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
        WagePortage => part(
            Cond,
            &["Le portage salarial est un salaire : il ne passe pas par la micro-entreprise."],
            &[],
            MICRO_ASK,
            MICRO_SOURCE,
        ),
    }
}

/// What being registered with France Travail adds.
fn job_seeker_part(f: Framework) -> Part {
    match f {
        MicroInvoice => part(
            Cond,
            &[
                "Déclarer la création de la micro-entreprise à France Travail, puis chaque mois le chiffre d’affaires lors de l’actualisation.",
            ],
            &[JOB_SEEKER_WARNING],
            JOB_SEEKER_ASK,
            JOB_SEEKER_SOURCE,
        ),
        Volunteering => part(
            Cond,
            &[
                "Le bénévolat est permis : pas chez un ancien employeur, sans remplacer un emploi salarié, et sans gêner la recherche d’emploi.",
            ],
            &[],
            JOB_SEEKER_ASK,
            "Code du travail, art. L.5425-8",
        ),
        _ => part(
            Cond,
            &[JOB_SEEKER_DECLARE],
            &[JOB_SEEKER_WARNING],
            JOB_SEEKER_ASK,
            JOB_SEEKER_SOURCE,
        ),
    }
}

/// What being retired adds.
fn retired_part(f: Framework) -> Part {
    match f {
        Volunteering => part(Cond, &[], &[], &[], ""),
        _ => part(Cond, &[RETIRED_CHECK], &[], RETIRED_ASK, RETIRED_SOURCE),
    }
}

/// What being a student adds.
fn student_part(f: Framework) -> Part {
    match f {
        HostContract | CarrierContract => part(Fits, &[STUDENT_HOURS], &[], STUDENT_ASK, ""),
        Volunteering | EsatPlacement => part(Cond, &[], &[], &[], ""),
        MicroInvoice | WagePortage => part(Cond, &[STUDENT_HOURS], &[], STUDENT_ASK, ""),
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
