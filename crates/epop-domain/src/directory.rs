//! The directory (annuaire): kinds of intervention, formats, languages,
//! profile visibility, who may see what, and the search query people type;
//! `fields` checks the answers of a profile.

pub mod fields;

use std::collections::BTreeSet;

use crate::access::Principal;
use crate::text::fold;
use crate::text::url_value;
pub use crate::text::{index_text, search_terms};
use crate::{DepartmentCode, Invalid, RegionCode};

/// The six kinds of intervention (from the Occitanie text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InterventionKind {
    PeerSupport,
    TrainingProfessionals,
    Awareness,
    ExpertReview,
    Advocacy,
    PolicyParticipation,
}

impl InterventionKind {
    pub const ALL: [InterventionKind; 6] = [
        InterventionKind::PeerSupport,
        InterventionKind::TrainingProfessionals,
        InterventionKind::Awareness,
        InterventionKind::ExpertReview,
        InterventionKind::Advocacy,
        InterventionKind::PolicyParticipation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InterventionKind::PeerSupport => "accompagner",
            InterventionKind::TrainingProfessionals => "former",
            InterventionKind::Awareness => "sensibiliser",
            InterventionKind::ExpertReview => "donner-son-avis",
            InterventionKind::Advocacy => "defendre-les-droits",
            InterventionKind::PolicyParticipation => "creer-des-regles",
        }
    }

    /// The words of the project's texts (the Occitanie text's list: « Elles
    /// peuvent : Aider d'autres personnes en situation de handicap, … »), the
    /// one place they are written; pages, e-mails and exports take them here.
    pub fn label(self) -> &'static str {
        match self {
            InterventionKind::PeerSupport => "Aider d’autres personnes en situation de handicap",
            InterventionKind::TrainingProfessionals => "Former des professionnels",
            InterventionKind::Awareness => "Sensibiliser les citoyens",
            InterventionKind::ExpertReview => "Donner leur avis sur des services ou des produits",
            InterventionKind::Advocacy => {
                "Défendre les droits des personnes en situation de handicap"
            }
            InterventionKind::PolicyParticipation => {
                "Participer à la création de nouvelles règles ou lois"
            }
        }
    }

    /// The texts' example, when they give one.
    pub fn example(self) -> Option<&'static str> {
        match self {
            InterventionKind::ExpertReview => {
                Some("par exemple, sur l’accessibilité d’un site internet ou d’un bâtiment")
            }
            _ => None,
        }
    }

    /// The labels the platform used before it took the texts' words, still
    /// read in spreadsheets.
    fn former_labels(self) -> &'static [&'static str] {
        match self {
            InterventionKind::PeerSupport => {
                &["Accompagner d’autres personnes en situation de handicap"]
            }
            InterventionKind::ExpertReview => &["Donner son avis sur un service ou un produit"],
            InterventionKind::Advocacy => &["Défendre les droits"],
            InterventionKind::PolicyParticipation => {
                &["Participer à la création de règles ou de lois"]
            }
            InterventionKind::TrainingProfessionals | InterventionKind::Awareness => &[],
        }
    }

    /// Accepts the code or the words a spreadsheet may hold: the texts'
    /// label or a former one, in any case, with or without accents, with a
    /// straight or a typographic apostrophe (« former », « aider d'autres
    /// personnes en situation de handicap », « Sensibiliser les citoyens »).
    pub fn parse(input: &str) -> Option<Self> {
        let f = words(input);
        if f.is_empty() {
            return None;
        }
        let exact = |k: &Self| {
            f == k.code()
                || f.replace(' ', "-") == k.code()
                || f == words(k.label())
                || k.former_labels().iter().any(|l| f == words(l))
        };
        let prefix = |k: &Self| f.len() >= 5 && words(k.label()).starts_with(&f);
        Self::ALL
            .into_iter()
            .find(exact)
            .or_else(|| Self::ALL.into_iter().find(prefix))
    }
}

/// Folded (case, accents, apostrophes), with spaces and punctuation at the
/// ends trimmed and runs of spaces made one.
fn words(input: &str) -> String {
    let f = fold(input);
    let f = f.trim_matches(|c: char| c.is_whitespace() || ".;,:".contains(c));
    f.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How a peer worker intervenes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    OnSite,
    Remote,
}

impl Format {
    pub const ALL: [Format; 2] = [Format::OnSite, Format::Remote];

    pub fn code(self) -> &'static str {
        match self {
            Format::OnSite => "sur-place",
            Format::Remote => "a-distance",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::OnSite => "Sur place",
            Format::Remote => "À distance",
        }
    }

    pub fn parse(input: &str) -> Option<Self> {
        let f = fold(input.trim()).replace(' ', "-");
        match f.as_str() {
            "sur-place" | "presentiel" | "en-presentiel" | "on-site" => Some(Format::OnSite),
            "a-distance" | "distance" | "distanciel" | "en-ligne" | "visio" | "remote" => {
                Some(Format::Remote)
            }
            _ => None,
        }
    }
}

/// Languages a person works in. French and LSF are named; others are words.
pub const LANGUAGES: [(&str, &str); 2] = [
    ("fr", "Français"),
    ("lsf", "Langue des signes française (LSF)"),
];

/// Who can see a profile, chosen by the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    Members,
    Hidden,
}

impl Visibility {
    /// From the most open to the most closed.
    pub const ALL: [Visibility; 3] = [Visibility::Public, Visibility::Members, Visibility::Hidden];

    /// How many people may see a profile of this visibility, in order:
    /// hidden 0, members 1, public 2.
    pub fn openness(self) -> u8 {
        match self {
            Visibility::Hidden => 0,
            Visibility::Members => 1,
            Visibility::Public => 2,
        }
    }

    /// This visibility, or `ceiling` when this one is more open.
    pub fn at_most(self, ceiling: Visibility) -> Visibility {
        if self.openness() > ceiling.openness() {
            ceiling
        } else {
            self
        }
    }

    /// The visibilities no more open than this one, most open first.
    pub fn and_below(self) -> Vec<Visibility> {
        Visibility::ALL
            .into_iter()
            .filter(|v| v.openness() <= self.openness())
            .collect()
    }

    pub fn code(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Members => "members",
            Visibility::Hidden => "hidden",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Visibility::ALL.into_iter().find(|v| v.code() == code)
    }

    /// The words of the spreadsheets: `public`, `membres`, `masqué`.
    pub fn parse_fr(input: &str) -> Option<Self> {
        match fold(input.trim()).as_str() {
            "public" | "publique" => Some(Visibility::Public),
            "membres" | "membre" | "members" | "reseau" => Some(Visibility::Members),
            "masque" | "masquee" | "cache" | "hidden" => Some(Visibility::Hidden),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Visibility::Public => "Publique : tout le monde peut voir la fiche",
            Visibility::Members => {
                "Réservée au réseau : seules les personnes connectées du réseau la voient"
            }
            Visibility::Hidden => {
                "Masquée : personne ne la voit, sauf la coordination de votre territoire"
            }
        }
    }
}

impl Visibility {
    /// The name shown to an organisation the peer works for: the name the
    /// directory shows (« Nom à montrer »), or only its first word when
    /// the profile is hidden, so that nobody learns more than the person
    /// shows.
    pub fn shown_name(self, display_name: &str) -> String {
        match self {
            Visibility::Hidden => display_name
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_owned(),
            _ => display_name.trim().to_owned(),
        }
    }
}

/// Where a person's consent to be listed in the directory stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListingConsent {
    /// Never given nor withdrawn: a person the import listed, who has not
    /// answered yet.
    NeverAsked,
    /// The person withdrew it and did not give it again.
    Withdrawn,
    /// The person gave it themself, in their own space.
    ByPerson,
    /// A coordinator or an admin recorded the person's written consent
    /// (a paper form, an e-mail…).
    Written,
}

/// The most open visibility a profile may be given, by the person
/// themself (`by_person`) or by someone else (a coordinator, an admin, the
/// import), given the listing consent on file and the profile's `current`
/// visibility (`None`: the profile is being created).
///
/// Consent comes from the person: they may choose anything (the page that
/// asks also asks for their consent). Anyone else may make a profile less
/// visible, never more — except after recording the person's written
/// consent. A profile nobody asked about is visible to members at most, a
/// withdrawn consent keeps it hidden.
pub fn visibility_ceiling(
    by_person: bool,
    consent: ListingConsent,
    current: Option<Visibility>,
) -> Visibility {
    if by_person {
        return Visibility::Public;
    }
    match consent {
        ListingConsent::Written => Visibility::Public,
        ListingConsent::Withdrawn => Visibility::Hidden,
        ListingConsent::ByPerson => current.unwrap_or(Visibility::Members),
        ListingConsent::NeverAsked => current
            .unwrap_or(Visibility::Members)
            .at_most(Visibility::Members),
    }
}

/// Whether a profile is a peer worker's or a référent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKind {
    Peer,
    Referent,
}

impl ProfileKind {
    pub fn code(self) -> &'static str {
        match self {
            ProfileKind::Peer => "peer",
            ProfileKind::Referent => "referent",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "peer" | "pair" => Some(ProfileKind::Peer),
            "referent" => Some(ProfileKind::Referent),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ProfileKind::Peer => "Intervenant-pair ou intervenante-paire",
            ProfileKind::Referent => "Référent ou référente",
        }
    }
}

/// What the rules need to know about a profile to decide who sees it.
#[derive(Debug, Clone)]
pub struct ProfileAccess<'a> {
    pub owner_account_id: i64,
    pub visibility: Visibility,
    /// Départements the profile belongs to (home and covered).
    pub departments: &'a BTreeSet<String>,
}

/// Whether `viewer` may see a profile at all.
pub fn may_see_profile(viewer: Option<&Principal>, p: &ProfileAccess<'_>) -> bool {
    match p.visibility {
        Visibility::Public => true,
        Visibility::Members => viewer.is_some_and(is_member),
        Visibility::Hidden => viewer.is_some_and(|v| may_see_sensitive(v, p)),
    }
}

/// Members of the network see members-only profiles; funders (observers
/// only) do not.
pub fn is_member(p: &Principal) -> bool {
    p.roles.iter().any(|r| !matches!(r, crate::Role::Observer))
}

/// Sensitive fields (accommodations, experience of disability): the person,
/// the coordinators of their territory, admins. Every such read is audited.
pub fn may_see_sensitive(viewer: &Principal, p: &ProfileAccess<'_>) -> bool {
    viewer.account_id == p.owner_account_id
        || viewer.is_admin()
        || p.departments.iter().any(|d| viewer.coordinates(d))
}

/// The coordinators of a département of a profile (`departments`: home and
/// covered) and admins: they edit it (not its sensitive answers), set its
/// training and record the person's written consent.
pub fn may_manage_profile<'a>(
    viewer: &Principal,
    departments: impl IntoIterator<Item = &'a str>,
) -> bool {
    viewer.is_admin() || departments.into_iter().any(|d| viewer.coordinates(d))
}

/// How results are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Relevance,
    Name,
}

/// A directory search, as typed in the form or the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    pub text: String,
    pub region: Option<RegionCode>,
    pub department: Option<DepartmentCode>,
    pub kind: Option<InterventionKind>,
    pub theme: Option<String>,
    pub format: Option<Format>,
    pub language: Option<String>,
    pub profile_kind: Option<ProfileKind>,
    /// Slug of an organisation: its référents and peer workers.
    pub organisation: Option<String>,
    pub sort: Sort,
    pub page: u32,
}

/// Longest query kept (longer input is cut, not refused).
pub const MAX_QUERY_CHARS: usize = 200;
pub const PAGE_SIZE: u32 = 20;

impl SearchQuery {
    /// Reads the URL's parameters. Unknown values are ignored (a shared link
    /// with an old filter still works) and reported for the page to say so.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> (Self, Vec<Invalid>) {
        let mut q = SearchQuery::default();
        let mut problems = Vec::new();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => q.text = value.chars().take(MAX_QUERY_CHARS).collect(),
                "region" => match RegionCode::parse(value) {
                    Ok(r) => q.region = Some(r),
                    Err(e) => problems.push(e),
                },
                "departement" => match DepartmentCode::parse(value) {
                    Ok(d) => q.department = Some(d),
                    Err(e) => problems.push(e),
                },
                "intervention" => match InterventionKind::parse(value) {
                    Some(k) => q.kind = Some(k),
                    None => problems.push(Invalid::new(format!(
                        "« {value} » n’est pas un type d’intervention connu."
                    ))),
                },
                "theme" => q.theme = Some(value.chars().take(80).collect()),
                "format" => match Format::parse(value) {
                    Some(f) => q.format = Some(f),
                    None => problems.push(Invalid::new(format!(
                        "« {value} » n’est pas un format connu."
                    ))),
                },
                "langue" => q.language = Some(fold(value).chars().take(40).collect()),
                "profil" => match ProfileKind::from_code(value) {
                    Some(k) => q.profile_kind = Some(k),
                    None => problems.push(Invalid::new(format!(
                        "« {value} » n’est pas un type de profil connu."
                    ))),
                },
                "organisation" => q.organisation = Some(value.chars().take(80).collect()),
                "tri" => {
                    q.sort = if value == "nom" {
                        Sort::Name
                    } else {
                        Sort::Relevance
                    }
                }
                "page" => q.page = value.parse::<u32>().unwrap_or(1).clamp(1, 10_000) - 1,
                _ => {}
            }
        }
        (q, problems)
    }

    /// The words searched for: folded (no accents, lower case), split on
    /// anything not a letter or digit, one-letter elisions dropped (« l'Hérault »
    /// → « herault »), at most 8.
    pub fn terms(&self) -> Vec<String> {
        search_terms(&self.text)
    }

    /// The same search as URL parameters (without the page).
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(String, String)> = Vec::new();
        if !self.text.is_empty() {
            parts.push(("q".into(), self.text.clone()));
        }
        if let Some(r) = &self.region {
            parts.push(("region".into(), r.as_str().into()));
        }
        if let Some(d) = &self.department {
            parts.push(("departement".into(), d.as_str().into()));
        }
        if let Some(k) = self.kind {
            parts.push(("intervention".into(), k.code().into()));
        }
        if let Some(t) = &self.theme {
            parts.push(("theme".into(), t.clone()));
        }
        if let Some(f) = self.format {
            parts.push(("format".into(), f.code().into()));
        }
        if let Some(l) = &self.language {
            parts.push(("langue".into(), l.clone()));
        }
        if let Some(k) = self.profile_kind {
            parts.push(("profil".into(), k.code().into()));
        }
        if let Some(o) = &self.organisation {
            parts.push(("organisation".into(), o.clone()));
        }
        if self.sort == Sort::Name {
            parts.push(("tri".into(), "nom".into()));
        }
        parts
            .iter()
            .map(|(k, v)| format!("{k}={}", url_value(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Whether any filter narrows the search (for the « widen » advice).
    pub fn filters(&self) -> usize {
        [
            self.region.is_some(),
            self.department.is_some(),
            self.kind.is_some(),
            self.theme.is_some(),
            self.format.is_some(),
            self.language.is_some(),
            self.profile_kind.is_some(),
            self.organisation.is_some(),
        ]
        .into_iter()
        .filter(|x| *x)
        .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn a_hidden_profile_shows_its_first_name_only() {
        assert_eq!(Visibility::Public.shown_name("Awa D."), "Awa D.");
        assert_eq!(Visibility::Members.shown_name("Awa Diallo"), "Awa Diallo");
        assert_eq!(Visibility::Hidden.shown_name(" Awa Diallo"), "Awa");
    }

    #[test]
    fn only_the_person_or_a_written_consent_raises_visibility() {
        use ListingConsent::*;
        use Visibility::*;
        let all = [NeverAsked, Withdrawn, ByPerson, Written];
        let currents = [None, Some(Public), Some(Members), Some(Hidden)];
        for consent in all {
            for current in currents {
                assert_eq!(visibility_ceiling(true, consent, current), Public);
            }
        }
        // Someone else: never more than now, unless written consent.
        for current in currents {
            assert_eq!(visibility_ceiling(false, Written, current), Public);
            assert_eq!(visibility_ceiling(false, Withdrawn, current), Hidden);
        }
        assert_eq!(visibility_ceiling(false, ByPerson, Some(Public)), Public);
        assert_eq!(visibility_ceiling(false, ByPerson, Some(Members)), Members);
        assert_eq!(visibility_ceiling(false, ByPerson, Some(Hidden)), Hidden);
        assert_eq!(visibility_ceiling(false, ByPerson, None), Members);
        // Nobody asked: members at most, even when public today.
        assert_eq!(visibility_ceiling(false, NeverAsked, None), Members);
        assert_eq!(visibility_ceiling(false, NeverAsked, Some(Public)), Members);
        assert_eq!(visibility_ceiling(false, NeverAsked, Some(Hidden)), Hidden);
        assert_eq!(Public.at_most(Members), Members);
        assert_eq!(Hidden.at_most(Public), Hidden);
        assert_eq!(Members.and_below(), vec![Members, Hidden]);
    }

    #[test]
    fn terms_fold_accents_hyphens_and_elisions() {
        let q = |t: &str| {
            SearchQuery {
                text: t.into(),
                ..Default::default()
            }
            .terms()
        };
        assert_eq!(q("Éducatrice"), vec!["educatrice"]);
        assert_eq!(q("Hautes-Pyrénées"), vec!["hautes", "pyrenees"]);
        assert_eq!(q("l'Hérault"), vec!["herault"]);
        assert_eq!(q("l’Hérault"), vec!["herault"]);
        assert_eq!(
            q("'; DROP TABLE profiles; --"),
            vec!["drop", "table", "profiles"]
        );
        assert_eq!(q("<script>"), vec!["script"]);
        assert!(q("   ").is_empty());
        assert_eq!(q(&"mot ".repeat(100)).len(), 8);
    }

    #[test]
    fn url_parameters_round_trip() {
        let pairs = [
            ("q", "santé mentale"),
            ("region", "76"),
            ("departement", "31"),
            ("intervention", "former"),
            ("format", "a-distance"),
            ("langue", "LSF"),
            ("profil", "peer"),
            ("tri", "nom"),
            ("page", "3"),
        ];
        let (q, problems) = SearchQuery::from_pairs(pairs);
        assert!(problems.is_empty());
        assert_eq!(q.page, 2);
        assert_eq!(q.language.as_deref(), Some("lsf"));
        let s = q.to_query_string();
        assert_eq!(
            s,
            "q=sant%C3%A9+mentale&region=76&departement=31&intervention=former&format=a-distance&langue=lsf&profil=peer&tri=nom"
        );
        let owned: Vec<(String, String)> = serde_urlencoded_like(&s);
        let (again, _) =
            SearchQuery::from_pairs(owned.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, SearchQuery { page: 0, ..q });
    }

    fn serde_urlencoded_like(s: &str) -> Vec<(String, String)> {
        s.split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                let mut bytes = Vec::new();
                let v = v.replace('+', " ");
                let mut it = v.bytes();
                while let Some(b) = it.next() {
                    if b == b'%' {
                        let h: String = [it.next().unwrap() as char, it.next().unwrap() as char]
                            .iter()
                            .collect();
                        bytes.push(u8::from_str_radix(&h, 16).unwrap());
                    } else {
                        bytes.push(b);
                    }
                }
                (k.to_owned(), String::from_utf8(bytes).unwrap())
            })
            .collect()
    }

    #[test]
    fn bad_filters_are_reported_not_fatal() {
        let (q, problems) = SearchQuery::from_pairs([
            ("departement", "99"),
            ("intervention", "voler"),
            ("q", "awa"),
        ]);
        assert_eq!(problems.len(), 2);
        assert!(q.department.is_none() && q.kind.is_none());
        assert_eq!(q.text, "awa");
    }

    #[test]
    fn kinds_parse_from_codes_and_words() {
        assert_eq!(
            InterventionKind::parse("Former des professionnels"),
            Some(InterventionKind::TrainingProfessionals)
        );
        assert_eq!(
            InterventionKind::parse("sensibiliser"),
            Some(InterventionKind::Awareness)
        );
        assert_eq!(
            InterventionKind::parse("défendre les droits"),
            Some(InterventionKind::Advocacy)
        );
        assert_eq!(InterventionKind::parse("xyz"), None);
        assert_eq!(InterventionKind::parse(""), None);
        for (words, kind) in [
            (
                "Aider d'autres personnes en situation de handicap",
                InterventionKind::PeerSupport,
            ),
            (
                "AIDER D’AUTRES PERSONNES EN SITUATION DE HANDICAP",
                InterventionKind::PeerSupport,
            ),
            (
                "Accompagner d'autres personnes en situation de handicap",
                InterventionKind::PeerSupport,
            ),
            (
                "donner leur avis sur des services ou des produits",
                InterventionKind::ExpertReview,
            ),
            (
                "Donner son avis sur un service ou un produit",
                InterventionKind::ExpertReview,
            ),
            (
                "defendre les droits des personnes en situation de handicap",
                InterventionKind::Advocacy,
            ),
            (
                "Participer a la creation de nouvelles regles ou lois",
                InterventionKind::PolicyParticipation,
            ),
            (
                "Participer à la création de règles ou de lois",
                InterventionKind::PolicyParticipation,
            ),
            (
                "  Sensibiliser   les citoyens. ",
                InterventionKind::Awareness,
            ),
            ("creer-des-regles", InterventionKind::PolicyParticipation),
        ] {
            assert_eq!(InterventionKind::parse(words), Some(kind), "{words}");
        }
        for k in InterventionKind::ALL {
            assert_eq!(InterventionKind::parse(k.code()), Some(k));
            assert_eq!(InterventionKind::parse(k.label()), Some(k));
        }
        assert_eq!(Visibility::parse_fr("Masqué"), Some(Visibility::Hidden));
        assert_eq!(Visibility::parse_fr("membres"), Some(Visibility::Members));
        assert_eq!(Format::parse("À distance"), Some(Format::Remote));
    }

    fn principal(id: i64, roles: &[Role], coordinated: &[&str]) -> Principal {
        Principal {
            account_id: id,
            roles: roles.iter().copied().collect(),
            coordinated_departments: coordinated.iter().map(|d| d.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn visibility_rules_for_every_role() {
        let depts: BTreeSet<String> = ["31".to_string()].into();
        let access = |v| ProfileAccess {
            owner_account_id: 1,
            visibility: v,
            departments: &depts,
        };
        let owner = principal(1, &[Role::Peer], &[]);
        let other_peer = principal(2, &[Role::Peer], &[]);
        let observer = principal(3, &[Role::Observer], &[]);
        let coord_31 = principal(4, &[Role::Coordinator], &["31"]);
        let coord_80 = principal(5, &[Role::Coordinator], &["80"]);
        let admin = principal(6, &[Role::Admin], &[]);
        let public = access(Visibility::Public);
        let members = access(Visibility::Members);
        let hidden = access(Visibility::Hidden);
        assert!(may_see_profile(None, &public));
        assert!(!may_see_profile(None, &members));
        assert!(may_see_profile(Some(&other_peer), &members));
        assert!(
            !may_see_profile(Some(&observer), &members),
            "funders are not members"
        );
        for (viewer, sees_hidden) in [
            (&owner, true),
            (&other_peer, false),
            (&observer, false),
            (&coord_31, true),
            (&coord_80, false),
            (&admin, true),
        ] {
            assert_eq!(
                may_see_profile(Some(viewer), &hidden),
                sees_hidden,
                "{viewer:?}"
            );
            assert_eq!(
                may_see_sensitive(viewer, &public),
                sees_hidden,
                "sensitive: {viewer:?}"
            );
        }
        assert!(!may_see_profile(None, &hidden));
    }
}
