//! Local programmes (« expérimentations locales », « déploiements »): a
//! practice run in chosen départements for given years by a carrier, which
//! is either the national project EPoP (the Croix-Rouge française and its
//! partners), a regional public policy (such as Occitanie's), or another
//! organisation. What an admin or a programme's coordinator types is checked
//! here, with French messages per field; and who may write a programme.

use chrono::NaiveDate;

use crate::territory::DepartmentCode;
use crate::text::{Problems, optional_paragraph, paragraph, required, take};
use crate::{Invalid, Principal, Role};

/// What kind of programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    LocalExperiment,
    Deployment,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::LocalExperiment, Kind::Deployment];

    pub fn code(self) -> &'static str {
        match self {
            Kind::LocalExperiment => "experimentation-locale",
            Kind::Deployment => "deploiement",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::LocalExperiment => "Expérimentation locale",
            Kind::Deployment => "Déploiement",
        }
    }
}

/// Who carries a programme: the national project, a regional public
/// policy, or another organisation. Pages say it plainly so that neither is
/// presented as the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CarrierKind {
    NationalProject,
    RegionalPolicy,
    Other,
}

impl CarrierKind {
    pub const ALL: [CarrierKind; 3] = [
        CarrierKind::NationalProject,
        CarrierKind::RegionalPolicy,
        CarrierKind::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CarrierKind::NationalProject => "projet-national",
            CarrierKind::RegionalPolicy => "politique-regionale",
            CarrierKind::Other => "autre",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            CarrierKind::NationalProject => {
                "Projet national EPoP (porté par la Croix-Rouge française et ses partenaires)"
            }
            CarrierKind::RegionalPolicy => "Politique publique régionale",
            CarrierKind::Other => "Autre porteur",
        }
    }

    /// The same in a few words, after the carrier's name.
    pub fn short_label(self) -> &'static str {
        match self {
            CarrierKind::NationalProject => "projet national EPoP",
            CarrierKind::RegionalPolicy => "politique publique régionale",
            CarrierKind::Other => "autre porteur",
        }
    }

    /// The sentence a programme's page says about its carrier.
    pub fn sentence(self) -> &'static str {
        match self {
            CarrierKind::NationalProject => {
                "Ce programme fait partie du projet national EPoP, porté par la Croix-Rouge française et ses partenaires."
            }
            CarrierKind::RegionalPolicy => {
                "Ce programme relève d’une politique publique régionale : il est distinct du projet national EPoP, porté par la Croix-Rouge française."
            }
            CarrierKind::Other => {
                "Ce programme est porté par une autre organisation que le projet national EPoP."
            }
        }
    }

    /// The same, in easy-read French.
    pub fn sentence_easy(self) -> &'static str {
        match self {
            CarrierKind::NationalProject => {
                "Ce programme fait partie du projet EPoP.\nLa Croix-Rouge française organise le projet EPoP avec des partenaires."
            }
            CarrierKind::RegionalPolicy => {
                "Ce programme est organisé dans une région.\nCe n’est pas le projet EPoP de la Croix-Rouge française."
            }
            CarrierKind::Other => {
                "Ce programme est organisé par une autre organisation.\nCe n’est pas le projet EPoP."
            }
        }
    }
}

/// Where a programme stands: chosen, or else from its years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Running,
    Planned,
    Finished,
}

impl Status {
    /// In the order lists show them: running, then planned, then finished.
    pub const ALL: [Status; 3] = [Status::Running, Status::Planned, Status::Finished];

    pub fn code(self) -> &'static str {
        match self {
            Status::Planned => "prevu",
            Status::Running => "en-cours",
            Status::Finished => "termine",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Planned => "Prévu",
            Status::Running => "En cours",
            Status::Finished => "Terminé",
        }
    }

    /// What the years say, seen from `this_year`.
    pub fn from_years(start: i32, end: i32, this_year: i32) -> Status {
        if this_year < start {
            Status::Planned
        } else if this_year > end {
            Status::Finished
        } else {
            Status::Running
        }
    }
}

/// The earliest year a programme may start.
pub const FIRST_YEAR: i32 = 2000;
/// How many years ahead a programme may be planned.
pub const YEARS_AHEAD: i32 = 10;
pub const MAX_DEPARTMENTS: usize = 101;
pub const MAX_PARTNERS: usize = 30;

/// What the form sent, as typed (kept on error).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgrammeForm {
    pub name: String,
    pub kind: String,
    pub carrier: String,
    pub carrier_kind: String,
    /// One partner per line.
    pub partners: String,
    /// Département numbers separated by commas or spaces.
    pub departments: String,
    pub start_year: String,
    pub end_year: String,
    pub aims: String,
    pub aims_easy: String,
    /// Empty: from the years.
    pub status: String,
    pub review: String,
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgramme {
    pub name: String,
    pub kind: Kind,
    pub carrier: String,
    pub carrier_kind: CarrierKind,
    pub partners: Vec<String>,
    pub departments: Vec<DepartmentCode>,
    pub start_year: i32,
    pub end_year: i32,
    pub aims: String,
    pub aims_easy: String,
    /// The status chosen; `None`: the years say it, each year anew.
    pub status: Option<Status>,
    pub review: Option<String>,
}

fn choice<T>(input: &str, parse: impl Fn(&str) -> Option<T>, message: &str) -> Result<T, Invalid> {
    parse(input.trim()).ok_or_else(|| Invalid::new(message))
}

/// A year typed as four digits, between [`FIRST_YEAR`] and
/// `this_year + YEARS_AHEAD`.
fn year(input: &str, what: &str, this_year: i32) -> Result<i32, Invalid> {
    let last = this_year + YEARS_AHEAD;
    let value = input.trim();
    if value.is_empty() {
        return Err(Invalid::new(format!(
            "Saisissez {what}, en 4 chiffres : par exemple {this_year}."
        )));
    }
    match value.parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=last).contains(&y) => Ok(y),
        _ => Err(Invalid::new(format!(
            "Écrivez {what} en 4 chiffres, entre {FIRST_YEAR} et {last} : par exemple {this_year}."
        ))),
    }
}

/// Département numbers separated by commas, semicolons or spaces: at least
/// one, each a real INSEE code, each once.
pub fn parse_departments(input: &str) -> Result<Vec<DepartmentCode>, Invalid> {
    let mut out: Vec<DepartmentCode> = Vec::new();
    for part in input
        .split([',', ';', ' ', '\n', '\r', '\t'])
        .filter(|p| !p.trim().is_empty())
    {
        let code = DepartmentCode::parse(part)?;
        if !out.contains(&code) {
            out.push(code);
        }
    }
    if out.is_empty() {
        return Err(Invalid::new(
            "Saisissez au moins un département, par son numéro : par exemple 11, 31, 65.",
        ));
    }
    if out.len() > MAX_DEPARTMENTS {
        return Err(Invalid::new(format!(
            "Saisissez {MAX_DEPARTMENTS} départements au plus."
        )));
    }
    out.sort();
    Ok(out)
}

/// One partner per line, each a short name.
fn partners(input: &str) -> Result<Vec<String>, Invalid> {
    let list: Vec<String> = input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| required(l, "le nom de chaque partenaire", 200))
        .collect::<Result<_, _>>()?;
    if list.len() > MAX_PARTNERS {
        return Err(Invalid::new(format!(
            "Écrivez {MAX_PARTNERS} partenaires au plus (il y en a {}).",
            list.len()
        )));
    }
    Ok(list)
}

impl ProgrammeForm {
    /// Checks every field; `today` gives the range of years. The problems
    /// come in the order of the form.
    pub fn validate(&self, today: NaiveDate) -> Result<NewProgramme, Problems> {
        use chrono::Datelike;
        let this_year = today.year();
        let mut p = Vec::new();
        let name = take(
            &mut p,
            "name",
            required(&self.name, "le nom du programme", 160),
        );
        let kind = take(
            &mut p,
            "kind",
            choice(
                &self.kind,
                Kind::from_code,
                "Choisissez s’il s’agit d’une expérimentation locale ou d’un déploiement.",
            ),
        );
        let carrier = take(
            &mut p,
            "carrier",
            required(&self.carrier, "qui porte le programme", 300),
        );
        let carrier_kind = take(
            &mut p,
            "carrier_kind",
            choice(
                &self.carrier_kind,
                CarrierKind::from_code,
                "Choisissez de quel porteur il s’agit : le projet national EPoP, une politique publique régionale ou un autre porteur.",
            ),
        );
        let partners = take(&mut p, "partners", partners(&self.partners));
        let departments = take(&mut p, "departments", parse_departments(&self.departments));
        let (start, end) = self.years(&mut p, this_year);
        let (aims, aims_easy) = self.aims(&mut p);
        let status = self.status(&mut p);
        let review = take(
            &mut p,
            "review",
            optional_paragraph(&self.review, "le bilan", 5000),
        )
        .flatten();
        if !p.is_empty() {
            return Err(p);
        }
        match (
            name,
            kind,
            carrier,
            carrier_kind,
            partners,
            departments,
            start.zip(end),
            aims,
            aims_easy,
            status,
        ) {
            (
                Some(name),
                Some(kind),
                Some(carrier),
                Some(carrier_kind),
                Some(partners),
                Some(departments),
                Some((start_year, end_year)),
                Some(aims),
                Some(aims_easy),
                Some(status),
            ) => Ok(NewProgramme {
                name,
                kind,
                carrier,
                carrier_kind,
                partners,
                departments,
                start_year,
                end_year,
                aims,
                aims_easy,
                status,
                review,
            }),
            _ => Err(vec![(
                "name",
                Invalid::new("Le formulaire est incomplet : vérifiez chaque champ."),
            )]),
        }
    }

    /// The first and the last year, the last not before the first.
    fn years(&self, p: &mut Problems, this_year: i32) -> (Option<i32>, Option<i32>) {
        let start = take(
            p,
            "start_year",
            year(&self.start_year, "l’année de début", this_year),
        );
        let end = take(
            p,
            "end_year",
            year(&self.end_year, "l’année de fin", this_year),
        );
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            p.push((
                "end_year",
                Invalid::new(format!(
                    "L’année de fin ne peut pas venir avant l’année de début ({s})."
                )),
            ));
        }
        (start, end)
    }

    /// The aims, in ordinary and in easy-read French.
    fn aims(&self, p: &mut Problems) -> (Option<String>, Option<String>) {
        let aims = take(
            p,
            "aims",
            paragraph(&self.aims, "les objectifs du programme", 5000),
        );
        let aims_easy = take(
            p,
            "aims_easy",
            paragraph(
                &self.aims_easy,
                "les objectifs en facile à lire et à comprendre",
                3000,
            ),
        );
        (aims, aims_easy)
    }

    /// The status chosen (`Some(None)`: none, the years will say it).
    fn status(&self, p: &mut Problems) -> Option<Option<Status>> {
        if self.status.trim().is_empty() {
            Some(None)
        } else {
            take(
                p,
                "status",
                choice(
                    &self.status,
                    Status::from_code,
                    "Choisissez où en est le programme : prévu, en cours ou terminé.",
                ),
            )
            .map(Some)
        }
    }
}

impl Principal {
    /// Programmes are created by the national administration.
    pub fn may_create_programmes(&self) -> bool {
        self.is_admin()
    }

    /// May edit a programme whose coordinators are these accounts: an
    /// admin, or one of its coordinators.
    pub fn may_edit_programme(&self, coordinators: &[i64]) -> bool {
        self.is_admin() || (self.has(Role::Coordinator) && coordinators.contains(&self.account_id))
    }

    /// Who coordinates a programme is the administration's choice.
    pub fn may_set_programme_coordinators(&self) -> bool {
        self.is_admin()
    }

    /// Whether this person may change a programme's départements from
    /// `before` to `after`: an admin, any; a coordinator, only départements
    /// of their territory (added or removed). The refusal names the first
    /// département that is not theirs.
    pub fn may_change_programme_departments(
        &self,
        before: &[String],
        after: &[DepartmentCode],
    ) -> Result<(), Invalid> {
        if self.is_admin() {
            return Ok(());
        }
        let added = after
            .iter()
            .map(DepartmentCode::as_str)
            .filter(|d| !before.iter().any(|b| b == d));
        let removed = before
            .iter()
            .map(String::as_str)
            .filter(|b| !after.iter().any(|a| a.as_str() == *b));
        match added.chain(removed).find(|d| !self.coordinates(d)) {
            None => Ok(()),
            Some(d) => Err(Invalid::new(format!(
                "Le département {d} n’est pas dans votre territoire : vous ne pouvez ni l’ajouter ni le retirer. Demandez-le à l’administration."
            ))),
        }
    }
}

/// The first and the last second of the programme's years, in Paris time
/// (Unix seconds, the end excluded): 1 January of `start` to 1 January
/// after `end`.
pub fn years_span(start: i32, end: i32) -> (i64, i64) {
    let first = |y: i32| {
        NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(|d| crate::event::paris_timestamp(d, chrono::NaiveTime::MIN).ok())
            .unwrap_or_default()
    };
    (first(start), first(end + 1))
}

/// « 2024–2025 », or « 2026 » for one year.
pub fn years_words(start: i32, end: i32) -> String {
    if start == end {
        start.to_string()
    } else {
        format!("{start}–{end}")
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn form() -> ProgrammeForm {
        ProgrammeForm {
            name: "Expérimentation locale Occitanie 2024–2025".into(),
            kind: "experimentation-locale".into(),
            carrier: "Politique publique de soutien à l’intervention par les pairs en Occitanie"
                .into(),
            carrier_kind: "politique-regionale".into(),
            partners: "CREAI-ORS Occitanie\n\n  Croix-Rouge française ".into(),
            departments: "11, 31 65;31".into(),
            start_year: "2024".into(),
            end_year: "2025".into(),
            aims: "Former et accompagner des intervenants-pairs.".into(),
            aims_easy: "Former des intervenants-pairs.".into(),
            status: String::new(),
            review: String::new(),
        }
    }

    #[test]
    fn a_valid_programme_with_its_status_from_the_years() {
        let p = form().validate(today()).unwrap();
        assert_eq!(p.kind, Kind::LocalExperiment);
        assert_eq!(p.carrier_kind, CarrierKind::RegionalPolicy);
        assert_eq!(
            p.partners,
            vec!["CREAI-ORS Occitanie", "Croix-Rouge française"]
        );
        let codes: Vec<&str> = p.departments.iter().map(|d| d.as_str()).collect();
        assert_eq!(codes, vec!["11", "31", "65"]);
        assert_eq!((p.start_year, p.end_year), (2024, 2025));
        assert_eq!(p.status, None, "the years will say it");
        assert_eq!(p.review, None);
        let chosen = ProgrammeForm {
            status: "en-cours".into(),
            review: "Un bilan.".into(),
            ..form()
        }
        .validate(today())
        .unwrap();
        assert_eq!(chosen.status, Some(Status::Running));
        assert_eq!(chosen.review.as_deref(), Some("Un bilan."));
    }

    #[test]
    fn status_from_years() {
        assert_eq!(Status::from_years(2027, 2028, 2026), Status::Planned);
        assert_eq!(Status::from_years(2026, 2026, 2026), Status::Running);
        assert_eq!(Status::from_years(2024, 2025, 2026), Status::Finished);
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = ProgrammeForm {
            name: " ".into(),
            kind: "autre-chose".into(),
            carrier: String::new(),
            carrier_kind: String::new(),
            partners: "a\u{0}b".into(),
            departments: "31, 20".into(),
            start_year: "24".into(),
            end_year: String::new(),
            aims: String::new(),
            aims_easy: String::new(),
            status: "fini".into(),
            review: "x\u{0}".into(),
        };
        let fields: Vec<&str> = bad
            .validate(today())
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            fields,
            vec![
                "name",
                "kind",
                "carrier",
                "carrier_kind",
                "partners",
                "departments",
                "start_year",
                "end_year",
                "aims",
                "aims_easy",
                "status",
                "review"
            ]
        );
    }

    #[test]
    fn years_are_sane_and_in_order() {
        let e = ProgrammeForm {
            start_year: "2026".into(),
            end_year: "2025".into(),
            ..form()
        }
        .validate(today())
        .unwrap_err();
        assert_eq!(e[0].0, "end_year");
        assert!(e[0].1.0.contains("avant l’année de début (2026)"));
        for bad in ["1999", "2037", "deux mille", "2024.5"] {
            let e = ProgrammeForm {
                start_year: bad.into(),
                ..form()
            }
            .validate(today())
            .unwrap_err();
            assert_eq!(e[0].0, "start_year", "{bad}");
            assert!(e[0].1.0.contains("entre 2000 et 2036"), "{bad}");
        }
    }

    #[test]
    fn departments_are_insee_codes() {
        assert!(parse_departments("").unwrap_err().0.contains("au moins un"));
        assert!(parse_departments("31, 975").unwrap_err().0.contains("975"));
        let d = parse_departments("2a 971").unwrap();
        assert_eq!(d[0].as_str(), "2A");
    }

    fn coordinator(id: i64, depts: &[&str]) -> Principal {
        Principal {
            account_id: id,
            roles: [Role::Coordinator].into(),
            coordinated_departments: depts.iter().map(|d| d.to_string()).collect(),
            observed_departments: BTreeSet::new(),
        }
    }

    #[test]
    fn who_writes_a_programme() {
        let admin = Principal {
            roles: [Role::Admin].into(),
            ..Default::default()
        };
        let occitanie = coordinator(7, &["09", "11", "31", "34", "65"]);
        let hdf = coordinator(8, &["59", "80"]);
        assert!(admin.may_create_programmes() && admin.may_set_programme_coordinators());
        assert!(!occitanie.may_create_programmes());
        assert!(!occitanie.may_set_programme_coordinators());
        assert!(admin.may_edit_programme(&[]));
        assert!(occitanie.may_edit_programme(&[7]));
        assert!(!hdf.may_edit_programme(&[7]));
        let peer = Principal {
            account_id: 7,
            roles: [Role::Peer].into(),
            ..Default::default()
        };
        assert!(
            !peer.may_edit_programme(&[7]),
            "a coordinator role is needed"
        );

        let before = vec!["11".to_owned(), "31".to_owned(), "75".to_owned()];
        let codes = |s: &str| parse_departments(s).unwrap();
        assert!(
            occitanie
                .may_change_programme_departments(&before, &codes("11 31 34 75"))
                .is_ok(),
            "adds its own, keeps another's"
        );
        let e = occitanie
            .may_change_programme_departments(&before, &codes("11 31"))
            .unwrap_err();
        assert!(e.0.contains("75"), "removing another's: {}", e.0);
        assert!(
            occitanie
                .may_change_programme_departments(&before, &codes("11 31 75 33"))
                .unwrap_err()
                .0
                .contains("33")
        );
        assert!(
            admin
                .may_change_programme_departments(&before, &codes("33"))
                .is_ok()
        );
    }

    #[test]
    fn years_in_paris_time() {
        let (a, b) = years_span(2024, 2025);
        // 1 January 2024 00:00 in Paris is 31 December 2023 23:00 UTC.
        assert_eq!(a, 1_704_063_600);
        assert_eq!(b, 1_767_222_000);
        assert_eq!(years_words(2024, 2025), "2024–2025");
        assert_eq!(years_words(2026, 2026), "2026");
    }
}
