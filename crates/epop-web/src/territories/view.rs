//! What the territories pages show of a place: its figures in words, its
//! line in the list, its area on the map, the legend, the upcoming events
//! and sessions, the people named.

use std::collections::BTreeMap;

use epop_store::programmes::Programme;
use epop_store::territories::{Facts, Named, Place, Upcoming};

use super::{level, programmes_in, upcoming_in};
use crate::Ctx;
use crate::french::{french_day, plural};
use crate::map::{Area, Level, Markup};

/// What a région or a département has, summed over its départements.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub trained_peers: i64,
    pub referents: i64,
    /// Départements with a coordinator, out of `departments`.
    pub coordinated: usize,
    pub departments: usize,
    pub events: usize,
    pub trainings: usize,
    /// Local programmes running (or that ran) in at least one of them.
    pub programmes: usize,
    /// Whether the viewer reads the exact counts of people (the
    /// coordination of every one of these départements, an admin).
    pub exact: bool,
}

impl Figures {
    pub fn of(
        ctx: &Ctx,
        places: &[&Place],
        facts: &BTreeMap<String, Facts>,
        upcoming: &[Upcoming],
        programmes: &[Programme],
    ) -> Self {
        let mut f = Figures {
            departments: places.len(),
            exact: ctx
                .user
                .as_ref()
                .is_some_and(|u| places.iter().all(|p| u.principal.may_act_in(Some(&p.code)))),
            ..Default::default()
        };
        for p in places {
            if let Some(x) = facts.get(&p.code) {
                f.trained_peers += x.trained_peers;
                f.referents += x.referents;
                f.coordinated += usize::from(x.coordinators > 0);
            }
        }
        f.programmes = programmes_in(programmes, places).count();
        for u in upcoming_in(upcoming, places) {
            if u.kind == "event" {
                f.events += 1;
            } else {
                f.trainings += 1;
            }
        }
        f
    }

    /// A count of people: exact for the territory's coordination, « moins
    /// de 5 » for anyone else under 5 (none is said as none).
    fn people(&self, n: i64, one: &str, many: &str) -> String {
        match n {
            0 => format!("aucun {one}"),
            1..=4 if !self.exact => format!("moins de 5 {many}"),
            n => plural(grouped(n), one, many),
        }
    }

    pub fn peers_text(&self) -> String {
        self.people(
            self.trained_peers,
            "intervenant-pair formé",
            "intervenants-pairs formés",
        )
    }

    pub fn referents_text(&self) -> String {
        self.people(self.referents, "référent", "référents")
    }

    pub fn events_text(&self) -> String {
        match self.events {
            0 => "aucun événement à venir".to_owned(),
            n => plural(n, "événement à venir", "événements à venir"),
        }
    }

    pub fn programmes_text(&self) -> String {
        match self.programmes {
            0 => "aucun programme local".to_owned(),
            n => plural(n, "programme local", "programmes locaux"),
        }
    }

    pub fn trainings_text(&self) -> String {
        match self.trainings {
            0 => "aucune session de formation à venir".to_owned(),
            n => plural(
                n,
                "session de formation à venir",
                "sessions de formation à venir",
            ),
        }
    }

    /// Whether a coordinator covers it: « oui », « non », or in how many of
    /// its départements.
    pub fn coordination_text(&self) -> String {
        if self.coordinated == 0 {
            "non".to_owned()
        } else if self.coordinated == self.departments {
            "oui".to_owned()
        } else {
            format!(
                "dans {} sur {}",
                plural(self.coordinated, "département", "départements"),
                self.departments
            )
        }
    }

    /// Nobody coordinates some of it: messages go to the national
    /// coordination.
    pub fn national_fallback(&self) -> bool {
        self.coordinated < self.departments
    }

    /// Everything in one sentence: an area's accessible name on the map.
    pub fn sentence(&self, name: &str) -> String {
        format!(
            "{name} : {}, {}, {}, coordination : {}, {}, {}",
            self.programmes_text(),
            self.peers_text(),
            self.referents_text(),
            self.coordination_text(),
            self.events_text(),
            self.trainings_text()
        )
    }
}

/// A number as French writes it, in groups of three digits: « 6 320 ».
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A line of a list of places, and its area on the map.
#[derive(Debug, Clone)]
pub struct Row {
    pub code: String,
    pub name: String,
    pub href: String,
    pub figures: Figures,
    /// The page is this place's own.
    pub current: bool,
}

impl Row {
    pub fn new(code: &str, name: &str, href: String, figures: Figures) -> Self {
        Row {
            code: code.to_owned(),
            name: name.to_owned(),
            href,
            figures,
            current: false,
        }
    }

    pub fn area(&self) -> Area {
        Area {
            code: self.code.clone(),
            href: self.href.clone(),
            label: self.figures.sentence(&self.name),
            level: level(&self.figures),
            current: self.current,
        }
    }
}

/// A line of the map's legend.
pub struct Legend {
    pub swatch: Markup,
    pub words: &'static str,
}

impl Legend {
    pub fn all() -> Vec<Legend> {
        Level::ALL
            .into_iter()
            .rev()
            .map(|l| Legend {
                swatch: l.swatch(),
                words: match l {
                    Level::High => "Foncé : une coordination et des intervenants-pairs formés",
                    Level::Middle => {
                        "Hachuré : une coordination, des personnes formées ou des rendez-vous à venir"
                    }
                    Level::Low => "Clair : rien d’enregistré pour l’instant",
                },
            })
            .collect()
    }
}

/// An upcoming event or training session, as listed.
pub struct UpcomingView {
    pub kind: &'static str,
    pub title: String,
    pub href: String,
    pub when: String,
    pub department: String,
}

impl UpcomingView {
    pub fn new(u: &Upcoming, names: &BTreeMap<&str, &str>) -> Self {
        let (kind, base) = if u.kind == "event" {
            ("Événement", "/evenements")
        } else {
            ("Formation", "/formations")
        };
        UpcomingView {
            kind,
            title: u.title.clone(),
            href: format!("{base}/{}", u.slug),
            when: french_day(u.starts_at),
            department: names
                .get(u.department.as_str())
                .map(|n| n.to_string())
                .unwrap_or_default(),
        }
    }
}

/// A local programme of the place, as listed.
pub struct ProgrammeView {
    pub name: String,
    pub href: String,
    pub years: String,
    pub status: &'static str,
    pub carrier: &'static str,
}

impl ProgrammeView {
    pub fn new(p: &Programme) -> Self {
        ProgrammeView {
            name: p.name.clone(),
            href: format!("/programmes/{}", p.slug),
            years: epop_domain::programme::years_words(p.start_year, p.end_year),
            status: p.status.label(),
            carrier: p.carrier_kind.short_label(),
        }
    }
}

/// A public profile named on the page.
pub struct PersonView {
    pub name: String,
    pub href: String,
    pub kind: &'static str,
    pub department: String,
}

impl PersonView {
    pub fn new(n: &Named, names: &BTreeMap<&str, &str>) -> Self {
        PersonView {
            name: n.display_name.clone(),
            href: format!("/annuaire/{}", n.slug),
            kind: if n.kind == "peer" {
                "Intervenant-pair ou intervenante-paire"
            } else {
                "Référent ou référente"
            },
            department: names
                .get(n.department.as_str())
                .map(|n| n.to_string())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_in_groups_of_three() {
        assert_eq!(super::grouped(7), "7");
        assert_eq!(super::grouped(999), "999");
        assert_eq!(super::grouped(6320), "6\u{202f}320");
        assert_eq!(super::grouped(1_234_567), "1\u{202f}234\u{202f}567");
    }
}
