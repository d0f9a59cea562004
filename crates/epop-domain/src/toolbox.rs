//! The toolbox (boîte à outils): resources for the network (guides, forms,
//! videos, links to what exists elsewhere), whom each is for, who may see
//! it, the form that describes it, when it may be published, who manages
//! it, and the search people type in the URL.

pub mod files;

use chrono::{Datelike, NaiveDate};

use crate::access::{Principal, Role};
use crate::directory::InterventionKind;
use crate::text::{self, Problems, take, url_value};
use crate::{DepartmentCode, Invalid, RegionCode};

pub use files::{FileKind, Format, MAX_FILE};

/// Whom a resource is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Audience {
    Peers,
    Referents,
    Hosts,
    Coordinations,
    Everyone,
}

impl Audience {
    pub const ALL: [Audience; 5] = [
        Audience::Peers,
        Audience::Referents,
        Audience::Hosts,
        Audience::Coordinations,
        Audience::Everyone,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Peers => "intervenants-pairs",
            Audience::Referents => "referents",
            Audience::Hosts => "structures-d-accueil",
            Audience::Coordinations => "coordinations",
            Audience::Everyone => "tout-public",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Peers => "Intervenants-pairs",
            Audience::Referents => "Référents",
            Audience::Hosts => "Structures d’accueil",
            Audience::Coordinations => "Coordinations",
            Audience::Everyone => "Tout public",
        }
    }
}

/// Who may see a resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    Public,
    Members,
    TrainedPeers,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Public,
        Visibility::Members,
        Visibility::TrainedPeers,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
            Visibility::TrainedPeers => "trained",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Tout le monde",
            Visibility::Members => "Les membres du réseau",
            Visibility::TrainedPeers => "Les intervenants-pairs formés",
        }
    }
}

/// Where a resource is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Suggested by a member, waiting for the coordination's review.
    Suggested,
    /// Written, not shown yet.
    Draft,
    Published,
    /// Taken down by the coordination; kept, with its files.
    Unpublished,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Suggested,
        Status::Draft,
        Status::Published,
        Status::Unpublished,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Suggested => "suggested",
            Status::Draft => "draft",
            Status::Published => "published",
            Status::Unpublished => "unpublished",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Suggested => "Proposée par un membre, à relire",
            Status::Draft => "Brouillon",
            Status::Published => "Publiée",
            Status::Unpublished => "Dépubliée",
        }
    }
}

/// The territory a resource is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Territory {
    National,
    Region(RegionCode),
    Department(DepartmentCode),
}

impl Territory {
    /// The form's value: `national`, `region-76`, `departement-31`.
    pub fn code(&self) -> String {
        match self {
            Territory::National => "national".into(),
            Territory::Region(r) => format!("region-{}", r.as_str()),
            Territory::Department(d) => format!("departement-{}", d.as_str()),
        }
    }

    pub fn parse(value: &str) -> Result<Self, Invalid> {
        let value = value.trim();
        let wrong = || Invalid::new("Choisissez le territoire dans la liste.");
        if value == "national" {
            Ok(Territory::National)
        } else if let Some(r) = value.strip_prefix("region-") {
            RegionCode::parse(r)
                .map(Territory::Region)
                .map_err(|_| wrong())
        } else if let Some(d) = value.strip_prefix("departement-") {
            DepartmentCode::parse(d)
                .map(Territory::Department)
                .map_err(|_| wrong())
        } else {
            Err(wrong())
        }
    }
}

/// The licences offered (the form's list; « ressources existantes » keep
/// the one their author chose).
pub const LICENCES: [&str; 6] = [
    "Licence Ouverte 2.0",
    "CC BY 4.0",
    "CC BY-SA 4.0",
    "CC BY-NC-SA 4.0",
    "Tous droits réservés, diffusion autorisée par l’auteur",
    "Domaine public",
];

/// Languages a resource may be in.
pub const LANGUAGES: [(&str, &str); 4] = [
    ("fr", "Français"),
    ("fr-falc", "Français facile à lire et à comprendre (FALC)"),
    ("lsf", "Langue des signes française (LSF)"),
    ("en", "Anglais"),
];

/// The resource form as typed (every field a string, lists as sent).
#[derive(Debug, Clone, Default)]
pub struct ResourceForm {
    pub title: String,
    pub summary: String,
    pub summary_easy: String,
    pub audiences: Vec<String>,
    pub kinds: Vec<String>,
    pub territory: String,
    pub language: String,
    pub date: String,
    pub author: String,
    pub licence: String,
    pub link: String,
    pub transcript: String,
    pub visibility: String,
}

/// A checked resource description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewResource {
    pub title: String,
    pub summary: String,
    pub summary_easy: String,
    pub audiences: Vec<Audience>,
    pub kinds: Vec<InterventionKind>,
    pub territory: Territory,
    pub language: String,
    pub date: NaiveDate,
    pub author: String,
    pub licence: String,
    pub link: Option<String>,
    pub transcript: String,
    pub visibility: Visibility,
}

/// The texts of a checked form.
struct Texts {
    title: String,
    summary: String,
    summary_easy: String,
    author: String,
    link: Option<String>,
    transcript: String,
}

/// The choices of a checked form.
struct Choices {
    audiences: Vec<Audience>,
    kinds: Vec<InterventionKind>,
    territory: Territory,
    language: String,
    date: NaiveDate,
    licence: String,
    visibility: Visibility,
}

impl ResourceForm {
    /// Checks every field; the problems name their field.
    pub fn validate(&self) -> Result<NewResource, Problems> {
        let mut p = Problems::new();
        let texts = self.texts(&mut p);
        let choices = self.choices(&mut p);
        match (texts, choices) {
            (Some(t), Some(c)) if p.is_empty() => Ok(NewResource {
                title: t.title,
                summary: t.summary,
                summary_easy: t.summary_easy,
                audiences: c.audiences,
                kinds: c.kinds,
                territory: c.territory,
                language: c.language,
                date: c.date,
                author: t.author,
                licence: c.licence,
                link: t.link,
                transcript: t.transcript,
                visibility: c.visibility,
            }),
            _ => Err(p),
        }
    }

    fn texts(&self, p: &mut Problems) -> Option<Texts> {
        let title = take(p, "title", text::required(&self.title, "le titre", 200));
        let summary = take(
            p,
            "summary",
            text::paragraph(&self.summary, "le résumé", 3000),
        );
        let summary_easy = take(
            p,
            "summary_easy",
            text::optional_paragraph(&self.summary_easy, "le résumé facile à lire", 3000),
        );
        let author = take(
            p,
            "author",
            text::required(&self.author, "l’auteur ou la source", 200),
        );
        let link = take(p, "link", web_link(&self.link));
        let transcript = take(
            p,
            "transcript",
            text::optional_paragraph(&self.transcript, "la transcription", 50_000),
        );
        Some(Texts {
            title: title?,
            summary: summary?,
            summary_easy: summary_easy?.unwrap_or_default(),
            author: author?,
            link: link?,
            transcript: transcript?.unwrap_or_default(),
        })
    }

    fn choices(&self, p: &mut Problems) -> Option<Choices> {
        let audiences: Vec<Audience> = self
            .audiences
            .iter()
            .filter_map(|a| Audience::from_code(a))
            .collect();
        if audiences.is_empty() || audiences.len() != self.audiences.len() {
            p.push((
                "audiences",
                Invalid::new("Cochez au moins un public : pour qui est cette ressource ?"),
            ));
        }
        let kinds: Vec<InterventionKind> = self
            .kinds
            .iter()
            .filter_map(|k| InterventionKind::parse(k))
            .collect();
        if kinds.len() != self.kinds.len() {
            p.push((
                "kinds",
                Invalid::new("Cochez les types d’intervention dans la liste."),
            ));
        }
        let territory = take(p, "territory", Territory::parse(&self.territory));
        let language = LANGUAGES
            .iter()
            .find(|(c, _)| *c == self.language.trim())
            .map(|(c, _)| (*c).to_owned());
        if language.is_none() {
            p.push((
                "language",
                Invalid::new("Choisissez la langue dans la liste."),
            ));
        }
        let date = take(
            p,
            "date",
            text::parse_date(&self.date, "la date de la ressource"),
        );
        let licence = LICENCES
            .iter()
            .find(|l| **l == self.licence.trim())
            .map(|l| (*l).to_owned());
        if licence.is_none() {
            p.push((
                "licence",
                Invalid::new("Choisissez la licence dans la liste."),
            ));
        }
        let visibility = Visibility::from_code(self.visibility.trim());
        if visibility.is_none() {
            p.push((
                "visibility",
                Invalid::new("Choisissez qui peut voir la ressource."),
            ));
        }
        Some(Choices {
            audiences,
            kinds,
            territory: territory?,
            language: language?,
            date: date?,
            licence: licence?,
            visibility: visibility?,
        })
    }
}

/// An optional address of a resource elsewhere: `http://` or `https://`.
fn web_link(input: &str) -> Result<Option<String>, Invalid> {
    let Some(link) = text::optional(input, "l’adresse du lien", 500)? else {
        return Ok(None);
    };
    let rest = link
        .strip_prefix("https://")
        .or_else(|| link.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => Ok(Some(link)),
        _ => Err(Invalid::new(
            "Écrivez l’adresse complète du lien, qui commence par https://.",
        )),
    }
}

/// Whether a resource may be published: it has a file or a link, and a
/// video or a sound has captions or a transcript (RGAA, theme 4). The
/// problem is under the field that would fix it.
pub fn may_publish(
    format: Option<Format>,
    has_captions: bool,
    transcript: &str,
) -> Result<(), (&'static str, Invalid)> {
    match format {
        None => Err((
            "file",
            Invalid::new("Ajoutez un fichier ou l’adresse d’un lien avant de publier."),
        )),
        Some(f) if f.is_media() && !has_captions && transcript.trim().is_empty() => Err((
            "transcript",
            Invalid::new(
                "Une vidéo ou un son se publie avec ses sous-titres (fichier VTT) ou sa transcription écrite : ajoutez l’un ou l’autre.",
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// The départements a territory covers, as the caller read them.
/// Admins manage every resource; a coordinator, those of a département
/// they coordinate or of a region one of whose départements they
/// coordinate; national resources are the admins'.
pub fn may_manage(p: &Principal, territory_departments: &[String]) -> bool {
    p.is_admin()
        || (p.has(Role::Coordinator) && territory_departments.iter().any(|d| p.coordinates(d)))
}

/// Coordinators and admins add resources; members suggest them.
pub fn may_add(p: &Principal) -> bool {
    p.is_admin() || p.has(Role::Coordinator)
}

/// A member of the network, for the toolbox: any role but funder and
/// candidate (who see what is public, and a funder also the members-only
/// resources of their territory).
pub fn is_member(p: &Principal) -> bool {
    p.roles
        .iter()
        .any(|r| !matches!(r, Role::Observer | Role::Candidate))
}

/// Members of the network may suggest a resource.
pub fn may_suggest(p: &Principal) -> bool {
    is_member(p)
}

/// « version du 3 mars 2027 ».
pub fn version_label(d: NaiveDate) -> String {
    let day = match d.day() {
        1 => "1er".to_owned(),
        n => n.to_string(),
    };
    format!(
        "version du {day} {} {}",
        crate::schedule::MONTHS[d.month0() as usize],
        d.year()
    )
}

pub const PAGE_SIZE: u32 = 20;

/// A toolbox search, as typed in the form or the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BrowseQuery {
    pub text: String,
    pub audience: Option<Audience>,
    pub kind: Option<InterventionKind>,
    pub theme: Option<String>,
    /// A region or a département: its resources, and the national ones.
    pub territory: Option<Territory>,
    pub format: Option<Format>,
    pub easy: bool,
    pub page: u32,
}

impl BrowseQuery {
    /// Reads the URL's parameters; unknown values are ignored and reported.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Self, Vec<Invalid>) {
        let mut q = BrowseQuery::default();
        let mut problems = Vec::new();
        let unknown = |what: &str, v: &str| Invalid::new(format!("« {v} » n’est pas {what}."));
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => q.text = value.chars().take(200).collect(),
                "public" => match Audience::from_code(value) {
                    Some(a) => q.audience = Some(a),
                    None => problems.push(unknown("un public connu", value)),
                },
                "intervention" => match InterventionKind::parse(value) {
                    Some(k) => q.kind = Some(k),
                    None => problems.push(unknown("un type d’intervention connu", value)),
                },
                "theme" => q.theme = Some(value.chars().take(80).collect()),
                "territoire" => match Territory::parse(value) {
                    Ok(t) => q.territory = Some(t),
                    Err(_) => problems.push(unknown("un territoire connu", value)),
                },
                "format" => match Format::from_code(value) {
                    Some(f) => q.format = Some(f),
                    None => problems.push(unknown("un format connu", value)),
                },
                "facile" => q.easy = value == "oui",
                "page" => q.page = value.parse::<u32>().unwrap_or(1).clamp(1, 10_000) - 1,
                _ => {}
            }
        }
        (q, problems)
    }

    /// The words searched for (the directory's folding).
    pub fn terms(&self) -> Vec<String> {
        text::search_terms(&self.text)
    }

    /// The same search as URL parameters (without the page).
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            parts.push(("q", self.text.clone()));
        }
        if let Some(a) = self.audience {
            parts.push(("public", a.code().into()));
        }
        if let Some(k) = self.kind {
            parts.push(("intervention", k.code().into()));
        }
        if let Some(t) = &self.theme {
            parts.push(("theme", t.clone()));
        }
        if let Some(t) = &self.territory {
            parts.push(("territoire", t.code()));
        }
        if let Some(f) = self.format {
            parts.push(("format", f.code().into()));
        }
        if self.easy {
            parts.push(("facile", "oui".into()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", url_value(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn form() -> ResourceForm {
        ResourceForm {
            title: "Fiche mission type".into(),
            summary: "Un modèle de fiche mission.".into(),
            audiences: vec!["structures-d-accueil".into()],
            kinds: vec!["former".into()],
            territory: "region-76".into(),
            language: "fr".into(),
            date: "03/03/2027".into(),
            author: "CREAI Occitanie".into(),
            licence: "CC BY 4.0".into(),
            visibility: "public".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_form_is_a_resource() {
        let r = form().validate().unwrap();
        assert_eq!(r.audiences, vec![Audience::Hosts]);
        assert_eq!(
            r.territory,
            Territory::Region(RegionCode::parse("76").unwrap())
        );
        assert_eq!(r.link, None);
    }

    #[test]
    fn every_problem_names_its_field() {
        let bad = ResourceForm {
            title: String::new(),
            audiences: vec!["personne".into()],
            territory: "lune".into(),
            language: "klingon".into(),
            date: "31/02/2027".into(),
            licence: "à moi".into(),
            link: "javascript:alert(1)".into(),
            visibility: "secret".into(),
            ..form()
        };
        let fields: BTreeSet<&str> = bad
            .validate()
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        for f in [
            "title",
            "audiences",
            "territory",
            "language",
            "date",
            "licence",
            "link",
            "visibility",
        ] {
            assert!(fields.contains(f), "{f}: {fields:?}");
        }
    }

    #[test]
    fn media_need_captions_or_a_transcript() {
        assert!(may_publish(Some(Format::Video), false, "  ").is_err());
        assert_eq!(
            may_publish(Some(Format::Audio), false, "").unwrap_err().0,
            "transcript"
        );
        assert!(may_publish(Some(Format::Video), true, "").is_ok());
        assert!(may_publish(Some(Format::Audio), false, "Bonjour…").is_ok());
        assert!(may_publish(Some(Format::Document), false, "").is_ok());
        assert_eq!(may_publish(None, false, "").unwrap_err().0, "file");
    }

    #[test]
    fn versions_are_named_by_their_day() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 3).unwrap();
        assert_eq!(version_label(d), "version du 3 mars 2027");
        let first = NaiveDate::from_ymd_opt(2027, 8, 1).unwrap();
        assert_eq!(version_label(first), "version du 1er août 2027");
    }

    #[test]
    fn coordinators_manage_their_territory_only() {
        let coordinator = Principal {
            account_id: 2,
            roles: [Role::Coordinator].into(),
            coordinated_departments: ["31".to_owned()].into(),
            ..Default::default()
        };
        let admin = Principal {
            account_id: 1,
            roles: [Role::Admin].into(),
            ..Default::default()
        };
        assert!(may_manage(&coordinator, &["09".into(), "31".into()]));
        assert!(!may_manage(&coordinator, &["80".into()]));
        assert!(!may_manage(&coordinator, &[]), "national: admins only");
        assert!(may_manage(&admin, &[]));
        let funder = Principal {
            account_id: 3,
            roles: [Role::Observer].into(),
            ..Default::default()
        };
        assert!(!may_suggest(&funder));
    }

    #[test]
    fn the_url_round_trips() {
        let (q, problems) = BrowseQuery::from_pairs([
            ("q", "fiche mission"),
            ("public", "referents"),
            ("territoire", "departement-31"),
            ("format", "document"),
            ("facile", "oui"),
            ("intervention", "inconnue"),
        ]);
        assert_eq!(problems.len(), 1);
        assert_eq!(
            q.to_query_string(),
            "q=fiche+mission&public=referents&territoire=departement-31&format=document&facile=oui"
        );
        assert_eq!(q.terms(), vec!["fiche", "mission"]);
    }
}
