//! News (« actualités ») and the newsletter: the form of a news item (its
//! territory, its easy-read version, its image's text alternative, its
//! links to the platform's pages), who writes for which territory, the
//! subscription form, and the words of a territory's monthly digest.
//!
//! Pure functions: the caller passes today, the région's départements and
//! the items of a digest.

use chrono::{Datelike, NaiveDate};

use crate::text::{Problems, optional, optional_paragraph, paragraph, required, take};
use crate::{DepartmentCode, Email, Invalid, Principal, RegionCode, Role};

/// Where a news item is published: everywhere, in a région or in a
/// département.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    National,
    Region(String),
    Department(String),
}

impl Scope {
    /// As the form sends it: `national`, `region-76`, `departement-31`.
    pub fn code(&self) -> String {
        match self {
            Scope::National => "national".to_owned(),
            Scope::Region(r) => format!("region-{r}"),
            Scope::Department(d) => format!("departement-{d}"),
        }
    }

    pub fn parse(input: &str) -> Result<Scope, Invalid> {
        let input = input.trim();
        let refused = || {
            Invalid::new(
                "Choisissez où publier l’actualité : partout en France, une région ou un département.",
            )
        };
        if input == "national" {
            Ok(Scope::National)
        } else if let Some(r) = input.strip_prefix("region-") {
            Ok(Scope::Region(
                RegionCode::parse(r)
                    .map_err(|_| refused())?
                    .as_str()
                    .to_owned(),
            ))
        } else if let Some(d) = input.strip_prefix("departement-") {
            Ok(Scope::Department(
                DepartmentCode::parse(d)
                    .map_err(|_| refused())?
                    .as_str()
                    .to_owned(),
            ))
        } else {
            Err(refused())
        }
    }

    /// From the stored columns.
    pub fn from_columns(region: Option<String>, department: Option<String>) -> Scope {
        match (region, department) {
            (_, Some(d)) => Scope::Department(d),
            (Some(r), None) => Scope::Region(r),
            (None, None) => Scope::National,
        }
    }

    pub fn region(&self) -> Option<&str> {
        match self {
            Scope::Region(r) => Some(r),
            _ => None,
        }
    }

    pub fn department(&self) -> Option<&str> {
        match self {
            Scope::Department(d) => Some(d),
            _ => None,
        }
    }
}

/// A link of a news item to a page of the platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub path: String,
}

/// The pages a news item may link to.
const LINKABLE: [(&str, &str); 5] = [
    ("/evenements/", "Voir l’événement"),
    ("/formations/", "Voir la formation"),
    ("/programmes/", "Voir le programme"),
    ("/boite-a-outils/", "Voir la ressource"),
    ("/territoires/", "Voir le territoire"),
];

/// One link per line, « Texte du lien | /evenements/… » or the address
/// alone (then the text says what it is).
pub fn parse_links(input: &str) -> Result<Vec<Link>, Invalid> {
    let mut out = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (label, path) = match line.rsplit_once('|') {
            Some((l, p)) => (l.trim(), p.trim()),
            None => ("", line),
        };
        let path = path
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .unwrap_or(path);
        let known = LINKABLE.iter().find(|(prefix, _)| {
            path.starts_with(prefix)
                && path.len() > prefix.len()
                && path[prefix.len()..]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        });
        let Some((_, default_label)) = known else {
            return Err(Invalid::new(format!(
                "Ligne {} : le lien doit mener à un événement, une formation, un programme, une ressource ou un territoire de la plateforme (par exemple /evenements/reunion-d-information).",
                n + 1
            )));
        };
        let label = if label.is_empty() {
            (*default_label).to_owned()
        } else {
            required(label, "le texte du lien", 120)?
        };
        out.push(Link {
            label,
            path: path.to_owned(),
        });
    }
    if out.len() > 10 {
        return Err(Invalid::new("Mettez 10 liens au plus."));
    }
    Ok(out)
}

/// The links as the form shows them again.
pub fn links_text(links: &[Link]) -> String {
    links
        .iter()
        .map(|l| format!("{} | {}", l.label, l.path))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What the news form sends.
#[derive(Debug, Clone, Default)]
pub struct NewsForm {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub title_easy: String,
    pub body_easy: String,
    pub scope: String,
    /// `JJ/MM/AAAA` or `AAAA-MM-JJ`.
    pub published_on: String,
    pub image_alt: String,
    pub links: String,
}

/// A valid news item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNews {
    pub title: String,
    pub summary: String,
    pub body: String,
    /// Both or neither: the easy-read version.
    pub easy: Option<(String, String)>,
    pub scope: Scope,
    pub published_on: NaiveDate,
    pub image_alt: Option<String>,
    pub links: Vec<Link>,
}

/// A date typed as `JJ/MM/AAAA` or `AAAA-MM-JJ`.
pub fn parse_day(input: &str, what: &str) -> Result<NaiveDate, Invalid> {
    let input = input.trim();
    NaiveDate::parse_from_str(input, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(input, "%Y-%m-%d"))
        .map_err(|_| {
            Invalid::new(format!(
                "Saisissez {what} sous la forme jour/mois/année, par exemple 03/12/2026."
            ))
        })
}

impl NewsForm {
    /// Checks every field, each problem under its field's name. `has_image`:
    /// an image is sent or kept (its text alternative is then required).
    pub fn validate(&self, today: NaiveDate, has_image: bool) -> Result<NewNews, Problems> {
        let mut p = Problems::new();
        let title = take(&mut p, "title", required(&self.title, "le titre", 150));
        let summary = take(
            &mut p,
            "summary",
            paragraph(&self.summary, "le résumé", 400),
        );
        let body = take(&mut p, "body", paragraph(&self.body, "le texte", 8000));
        let title_easy = take(
            &mut p,
            "title_easy",
            optional(&self.title_easy, "le titre facile à lire", 150),
        );
        let body_easy = take(
            &mut p,
            "body_easy",
            optional_paragraph(&self.body_easy, "le texte facile à lire", 6000),
        );
        let easy = match (title_easy.clone().flatten(), body_easy.clone().flatten()) {
            (Some(t), Some(b)) => Some((t, b)),
            (None, None) => None,
            (Some(_), None) => {
                if body_easy.is_some() {
                    p.push((
                        "body_easy",
                        Invalid::new("Écrivez aussi le texte facile à lire, ou effacez son titre."),
                    ));
                }
                None
            }
            (None, Some(_)) => {
                if title_easy.is_some() {
                    p.push((
                        "title_easy",
                        Invalid::new("Écrivez aussi le titre facile à lire, ou effacez son texte."),
                    ));
                }
                None
            }
        };
        let scope = take(&mut p, "scope", Scope::parse(&self.scope));
        let published_on = take(
            &mut p,
            "published_on",
            parse_day(&self.published_on, "la date de publication").and_then(|d| {
                if (d - today).num_days().abs() > 366 {
                    Err(Invalid::new(
                        "La date de publication doit être à moins d’un an d’aujourd’hui.",
                    ))
                } else {
                    Ok(d)
                }
            }),
        );
        let image_alt = take(
            &mut p,
            "image_alt",
            if has_image {
                required(
                    &self.image_alt,
                    "le texte qui décrit l’image (pour les personnes qui ne la voient pas)",
                    300,
                )
                .map(Some)
            } else {
                Ok(None)
            },
        );
        let links = take(&mut p, "links", parse_links(&self.links));
        match (title, summary, body, scope, published_on, image_alt, links) {
            (
                Some(title),
                Some(summary),
                Some(body),
                Some(scope),
                Some(published_on),
                Some(image_alt),
                Some(links),
            ) if p.is_empty() => Ok(NewNews {
                title,
                summary,
                body,
                easy,
                scope,
                published_on,
                image_alt,
                links,
            }),
            _ => Err(p),
        }
    }
}

impl Principal {
    /// Writes news at all: admins and coordinators.
    pub fn may_write_news(&self) -> bool {
        self.is_admin() || self.has(Role::Coordinator)
    }

    /// May publish (or edit) a news item of this scope: an admin, any; a
    /// coordinator, a département they coordinate, or a région whose every
    /// département (`region_departments`) they coordinate. National news
    /// is the administration's.
    pub fn may_publish_news(&self, scope: &Scope, region_departments: &[String]) -> bool {
        if self.is_admin() {
            return true;
        }
        match scope {
            Scope::National => false,
            Scope::Department(d) => self.coordinates(d),
            Scope::Region(_) => {
                !region_departments.is_empty()
                    && region_departments.iter().all(|d| self.coordinates(d))
            }
        }
    }

    /// May preview and send the digest of a place: an admin, any; a
    /// coordinator, a département they coordinate, or a région where they
    /// coordinate at least one département (`region_departments`: they are
    /// its coordination). The national digest is the administration's.
    pub fn may_send_digest(&self, place: &Scope, region_departments: &[String]) -> bool {
        if self.is_admin() {
            return true;
        }
        match place {
            Scope::National => false,
            Scope::Department(d) => self.coordinates(d),
            Scope::Region(_) => region_departments.iter().any(|d| self.coordinates(d)),
        }
    }
}

/// What the subscription form sends.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionForm {
    pub email: String,
    /// Where: `national`, `region-76` or `departement-34` (a [`Scope`]).
    pub territory: String,
    /// `courant` or `facile`.
    pub version: String,
}

/// A valid subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub email: Email,
    /// The place whose digest the person receives.
    pub place: Scope,
    pub easy: bool,
}

impl SubscriptionForm {
    pub fn validate(&self) -> Result<Subscription, Problems> {
        let mut p = Problems::new();
        let email = take(&mut p, "email", Email::parse(&self.email));
        let place = take(
            &mut p,
            "territory",
            Scope::parse(&self.territory).map_err(|_| {
                Invalid::new("Choisissez votre département, votre région, ou « Toute la France ».")
            }),
        );
        let easy = take(
            &mut p,
            "version",
            match self.version.trim() {
                "courant" => Ok(false),
                "facile" => Ok(true),
                _ => Err(Invalid::new(
                    "Choisissez la version de la lettre : habituelle ou facile à lire.",
                )),
            },
        );
        match (email, place, easy) {
            (Some(email), Some(place), Some(easy)) => Ok(Subscription { email, place, easy }),
            _ => Err(p),
        }
    }
}

/// « décembre 2026 » for `2026-12`.
pub fn month_words(month: &str) -> String {
    let (y, m) = month.split_once('-').unwrap_or((month, "1"));
    let m: usize = m.parse().unwrap_or(1);
    format!("{} {y}", crate::schedule::MONTHS[m.clamp(1, 12) - 1])
}

/// `2026-12` for a day.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// An item of a digest: a news item or an upcoming event or training.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestItem {
    pub title: String,
    /// « jeudi 3 décembre 2026 », already in words.
    pub when: String,
    pub url: String,
}

/// The words of a digest, ordinary and easy-read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestText {
    pub subject: String,
    pub body: String,
    pub body_easy: String,
}

/// What a digest lists: the news of the month, the events and trainings
/// to come, the resources published in the toolbox this month.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestItems {
    pub news: Vec<DigestItem>,
    pub upcoming: Vec<DigestItem>,
    pub resources: Vec<DigestItem>,
}

/// The digest of a place (« en Occitanie », « pour toute la France ») for
/// a month, in ordinary and easy-read words: each part with its heading,
/// or a sentence saying it is empty. Each recipient's unsubscribe link is
/// added when it is sent.
pub fn digest_text(place: &str, month: &str, items: &DigestItems) -> DigestText {
    let month = month_words(month);
    let list = |items: &[DigestItem], easy: bool, empty: &str| {
        if items.is_empty() {
            return format!("{empty}\n");
        }
        items
            .iter()
            .map(|i| {
                if easy {
                    format!(
                        "- {}\n  Quand : {}\n  Pour lire la suite : {}\n",
                        i.title, i.when, i.url
                    )
                } else {
                    format!("- {} ({})\n  {}\n", i.title, i.when, i.url)
                }
            })
            .collect::<String>()
    };
    let body = format!(
        "La lettre d’information d’EPoP, réseau des intervenants-pairs, {place}, {month}.\n\n\
         ACTUALITÉS\n\n{}\n\
         ÉVÉNEMENTS ET FORMATIONS À VENIR\n\n{}\n\
         NOUVELLES RESSOURCES DE LA BOÎTE À OUTILS\n\n{}",
        list(&items.news, false, "Pas de nouvelle actualité ce mois-ci."),
        list(&items.upcoming, false, "Rien n’est prévu pour le moment."),
        list(
            &items.resources,
            false,
            "Pas de nouvelle ressource ce mois-ci."
        ),
    );
    // The easy-read letter has only the parts that hold something, so that
    // its reader meets no empty heading and no negative turn.
    let parts: String = [
        ("Les nouvelles", &items.news),
        ("Les rencontres et les formations bientôt", &items.upcoming),
        (
            "Les nouveaux documents de la boîte à outils",
            &items.resources,
        ),
    ]
    .into_iter()
    .filter(|(_, found)| !found.is_empty())
    .map(|(title, found)| format!("{title}\n\n{}\n", list(found, true, "")))
    .collect();
    let parts = if parts.is_empty() {
        "Ce mois-ci, la lettre est courte.\nLe réseau prépare la suite.\n".to_owned()
    } else {
        parts
    };
    let body_easy = format!(
        "Bonjour,\n\nVoici les nouvelles du réseau des intervenants-pairs {place}.\n\
         Cette lettre est pour le mois de {month}.\n\n{parts}"
    );
    DigestText {
        subject: format!("La lettre d’EPoP {place} – {month}"),
        body,
        body_easy,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 3).unwrap()
    }

    fn form() -> NewsForm {
        NewsForm {
            title: "Une réunion d’information à Toulouse".into(),
            summary: "Venez découvrir le réseau.".into(),
            body: "Le réseau organise une réunion.\nTout le monde est bienvenu.".into(),
            title_easy: "Une réunion à Toulouse".into(),
            body_easy: "Vous pouvez venir.\nC’est gratuit.".into(),
            scope: "region-76".into(),
            published_on: "03/12/2026".into(),
            image_alt: String::new(),
            links: "La réunion | /evenements/reunion-toulouse\nhttps://epop.example/formations/lille-2027"
                .into(),
        }
    }

    #[test]
    fn a_valid_news_item_with_its_easy_read_version_and_links() {
        let n = form().validate(today(), false).unwrap();
        assert_eq!(n.scope, Scope::Region("76".into()));
        assert_eq!(n.easy.as_ref().unwrap().0, "Une réunion à Toulouse");
        assert_eq!(n.links.len(), 2);
        assert_eq!(n.links[0].label, "La réunion");
        assert_eq!(n.links[1].path, "/formations/lille-2027");
        assert_eq!(n.links[1].label, "Voir la formation");
        assert_eq!(n.image_alt, None);
        let parsed = parse_links(&links_text(&n.links)).unwrap();
        assert_eq!(parsed, n.links);
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = NewsForm {
            title: String::new(),
            summary: String::new(),
            body: String::new(),
            title_easy: "Seul".into(),
            body_easy: String::new(),
            scope: "region-99".into(),
            published_on: "demain".into(),
            image_alt: String::new(),
            links: "https://ailleurs.example/page".into(),
        };
        let fields: Vec<&str> = bad
            .validate(today(), true)
            .unwrap_err()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(
            fields,
            vec![
                "title",
                "summary",
                "body",
                "body_easy",
                "scope",
                "published_on",
                "image_alt",
                "links"
            ]
        );
    }

    #[test]
    fn scopes_round_trip() {
        for s in [
            Scope::National,
            Scope::Region("76".into()),
            Scope::Department("2A".into()),
        ] {
            assert_eq!(Scope::parse(&s.code()).unwrap(), s);
        }
        assert!(Scope::parse("departement-20").is_err());
    }

    fn coordinator(depts: &[&str]) -> Principal {
        Principal {
            account_id: 7,
            roles: [Role::Coordinator].into(),
            coordinated_departments: depts.iter().map(|d| d.to_string()).collect(),
            observed_departments: BTreeSet::new(),
        }
    }

    #[test]
    fn who_publishes_where() {
        let admin = Principal {
            roles: [Role::Admin].into(),
            ..Default::default()
        };
        let hdf = coordinator(&["59", "80"]);
        let hdf_region: Vec<String> = ["02", "59", "60", "62", "80"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(admin.may_publish_news(&Scope::National, &[]));
        assert!(!hdf.may_publish_news(&Scope::National, &[]));
        assert!(hdf.may_publish_news(&Scope::Department("80".into()), &[]));
        assert!(!hdf.may_publish_news(&Scope::Department("31".into()), &[]));
        assert!(!hdf.may_publish_news(&Scope::Region("32".into()), &hdf_region));
        let all = coordinator(&["02", "59", "60", "62", "80"]);
        assert!(all.may_publish_news(&Scope::Region("32".into()), &hdf_region));
        let region = |c: &str| Scope::Region(c.into());
        let department = |c: &str| Scope::Department(c.into());
        assert!(hdf.may_send_digest(&region("32"), &hdf_region));
        assert!(!hdf.may_send_digest(&region("76"), &["31".to_owned()]));
        assert!(hdf.may_send_digest(&department("59"), &[]));
        assert!(!hdf.may_send_digest(&department("62"), &[]));
        assert!(!hdf.may_send_digest(&Scope::National, &[]));
        assert!(admin.may_send_digest(&Scope::National, &[]));
        assert!(admin.may_send_digest(&department("34"), &[]));
        let peer = Principal {
            roles: [Role::Peer].into(),
            ..Default::default()
        };
        assert!(!peer.may_write_news());
    }

    #[test]
    fn subscription_form() {
        let s = SubscriptionForm {
            email: " Lea@Exemple.fr ".into(),
            territory: "region-76".into(),
            version: "facile".into(),
        }
        .validate()
        .unwrap();
        assert_eq!(s.place, Scope::Region("76".into()));
        assert!(s.easy);
        let hérault = SubscriptionForm {
            email: "lea@exemple.fr".into(),
            territory: "departement-34".into(),
            version: "courant".into(),
        };
        assert_eq!(
            hérault.validate().unwrap().place,
            Scope::Department("34".into())
        );
        // A bare code, as the form sent before départements, is refused
        // with the field named.
        let bare = SubscriptionForm {
            territory: "76".into(),
            ..hérault
        };
        let e = bare.validate().unwrap_err();
        assert_eq!(
            e.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
            vec!["territory"]
        );
        let e = SubscriptionForm::default().validate().unwrap_err();
        let fields: Vec<&str> = e.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["email", "territory", "version"]);
    }

    #[test]
    fn digest_words() {
        let items = DigestItems {
            news: vec![DigestItem {
                title: "Une réunion".into(),
                when: "jeudi 3 décembre 2026".into(),
                url: "https://epop.example/actualites/une-reunion".into(),
            }],
            upcoming: Vec::new(),
            resources: vec![DigestItem {
                title: "Le guide de l’accueil".into(),
                when: "mardi 1 décembre 2026".into(),
                url: "https://epop.example/boite-a-outils/guide".into(),
            }],
        };
        let d = digest_text("en Occitanie", "2026-12", &items);
        assert_eq!(d.subject, "La lettre d’EPoP en Occitanie – décembre 2026");
        assert!(d.body.contains("Une réunion (jeudi 3 décembre 2026)"));
        assert!(d.body.contains("Rien n’est prévu"));
        let tools = d
            .body
            .find("NOUVELLES RESSOURCES")
            .expect("the toolbox's part");
        assert!(d.body[tools..].contains("Le guide de l’accueil (mardi 1 décembre 2026)"));
        assert!(
            d.body_easy.contains(
                "Les nouveaux documents de la boîte à outils\n\n- Le guide de l’accueil\n"
            )
        );
        // The easy-read letter leaves out the empty part and says nothing
        // the writing aid would flag.
        assert!(!d.body_easy.contains("Les rencontres"), "{}", d.body_easy);
        let empty = digest_text("en Occitanie", "2026-12", &DigestItems::default());
        assert!(
            empty
                .body_easy
                .contains("Ce mois-ci, la lettre est courte.")
        );
        assert!(!empty.body_easy.contains("Les nouvelles\n"));
        for easy in [&d.body_easy, &empty.body_easy] {
            let text: String = easy
                .lines()
                .map(|l| if l.contains("://") { "Lien.\n" } else { l })
                .flat_map(|l| [l, "\n"])
                .collect();
            let flagged: Vec<_> = crate::easy_read::flags(&text)
                .into_iter()
                .filter(|f| f.words != "EPoP")
                .map(|f| f.message)
                .collect();
            assert_eq!(flagged, Vec::<String>::new(), "{easy}");
        }
        assert!(
            d.body_easy
                .contains("Pour lire la suite : https://epop.example/actualites/une-reunion")
        );
        assert_eq!(month_of(today()), "2026-12");
    }
}
