//! What an indicator view is about: a period (a year, or from one month to
//! another), a territory (national, a région, a département or a local
//! programme) and, for what concerns interventions, one kind of
//! intervention. Read from and written to the URL's query
//! (`?annee=2026&region=76&type=former`), with a French sentence naming the
//! field for each bad value.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::directory::InterventionKind;
use crate::text::Problems;
use crate::{DepartmentCode, Invalid, RegionCode};

/// The first and last years a period may cover.
pub const FIRST_YEAR: i32 = 2020;
pub const LAST_YEAR: i32 = 2100;

/// A month: year and month number (1 to 12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// Its first second in Paris time (Unix seconds).
    pub fn start(self) -> i64 {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
            .and_then(|d| crate::event::paris_timestamp(d, NaiveTime::MIN).ok())
            .unwrap_or_default()
    }

    /// The month, in Paris, a stored time (Unix seconds) falls in.
    pub fn containing(ts: i64) -> Month {
        let day = chrono::DateTime::from_timestamp(ts, 0)
            .map(|t| t.with_timezone(&chrono_tz::Europe::Paris).date_naive())
            .unwrap_or_default();
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// `AAAA-MM`, as in the URL.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// « janvier 2026 ».
    pub fn words(self) -> String {
        format!("{} {}", MONTHS[(self.month - 1) as usize], self.year)
    }

    fn parse(input: &str, field: &str) -> Result<Month, Invalid> {
        let bad = || {
            Invalid::new(format!(
                "{field} : « {} » n’est pas un mois. Écrivez l’année puis le mois, par exemple 2026-03 pour mars 2026.",
                input.trim()
            ))
        };
        let (y, m) = input.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) {
            return Err(bad());
        }
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(Invalid::new(format!(
                "{field} : choisissez une année entre {FIRST_YEAR} et {LAST_YEAR}."
            )));
        }
        Ok(Month { year, month })
    }
}

/// The months' names, as French writes them in a sentence.
pub const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// A period of whole months, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Month,
    pub to: Month,
}

impl Period {
    pub fn year(year: i32) -> Period {
        Period {
            from: Month { year, month: 1 },
            to: Month { year, month: 12 },
        }
    }

    /// The whole year, when the period is one.
    pub fn whole_year(self) -> Option<i32> {
        (self.from.year == self.to.year && self.from.month == 1 && self.to.month == 12)
            .then_some(self.from.year)
    }

    /// Its months in order.
    pub fn months(self) -> Vec<Month> {
        let mut out = vec![self.from];
        while let Some(&last) = out.last()
            && last < self.to
        {
            out.push(last.next());
        }
        out
    }

    /// First second and the second after the last (Unix seconds, Paris).
    pub fn bounds(self) -> (i64, i64) {
        (self.from.start(), self.to.next().start())
    }

    /// First and last day as `AAAA-MM-JJ` (for columns holding dates).
    pub fn days(self) -> (String, String) {
        let last = NaiveDate::from_ymd_opt(self.to.next().year, self.to.next().month, 1)
            .and_then(|d| d.pred_opt())
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            .unwrap_or_default();
        (format!("{}-01", self.from.code()), last)
    }

    /// « En 2026 », « De janvier à juin 2026 », « De novembre 2025 à février 2026 ».
    pub fn words(self) -> String {
        if let Some(y) = self.whole_year() {
            format!("En {y}")
        } else if self.from == self.to {
            format!("En {}", self.from.words())
        } else if self.from.year == self.to.year {
            format!(
                "De {} à {} {}",
                MONTHS[(self.from.month - 1) as usize],
                MONTHS[(self.to.month - 1) as usize],
                self.to.year
            )
        } else {
            format!("De {} à {}", self.from.words(), self.to.words())
        }
    }
}

/// Which territory the figures cover.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Area {
    National,
    Region(RegionCode),
    Department(DepartmentCode),
    /// A local programme, by its slug: its départements.
    Programme(String),
}

impl Area {
    /// The value of the form's « territoire » choice: `national`,
    /// `region-76`, `departement-31`, `programme-<slug>`.
    pub fn choice(&self) -> String {
        match self {
            Area::National => "national".into(),
            Area::Region(r) => format!("region-{}", r.as_str()),
            Area::Department(d) => format!("departement-{}", d.as_str()),
            Area::Programme(s) => format!("programme-{s}"),
        }
    }

    fn from_choice(input: &str) -> Result<Area, Invalid> {
        let input = input.trim();
        if input.is_empty() || input == "national" {
            return Ok(Area::National);
        }
        if let Some(r) = input.strip_prefix("region-") {
            return Ok(Area::Region(RegionCode::parse(r).map_err(territory)?));
        }
        if let Some(d) = input.strip_prefix("departement-") {
            return Ok(Area::Department(
                DepartmentCode::parse(d).map_err(territory)?,
            ));
        }
        if let Some(s) = input.strip_prefix("programme-") {
            return programme(s);
        }
        Err(Invalid::new(format!(
            "Territoire : « {input} » n’est pas un territoire. Choisissez-en un dans la liste."
        )))
    }
}

fn territory(e: Invalid) -> Invalid {
    Invalid::new(format!("Territoire : {}", e.0))
}

fn programme(slug: &str) -> Result<Area, Invalid> {
    let slug = slug.trim();
    if !slug.is_empty()
        && slug.len() <= 120
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        Ok(Area::Programme(slug.to_owned()))
    } else {
        Err(Invalid::new(format!(
            "Programme : « {slug} » n’est pas l’adresse d’un programme local."
        )))
    }
}

/// What the figures are about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub period: Period,
    pub area: Area,
    /// Only interventions (and their requests, payments and answers) of
    /// this kind; trainings, events and candidates are counted whatever it.
    pub kind: Option<InterventionKind>,
}

impl Filter {
    /// The figures of `year`, national, every kind.
    pub fn year(year: i32) -> Filter {
        Filter {
            period: Period::year(year),
            area: Area::National,
            kind: None,
        }
    }

    /// Reads the query's pairs: `annee` (a year), or `du` and `au` (months
    /// `AAAA-MM`); one of `region`, `departement`, `programme` or the
    /// form's `territoire`; `type` (a kind of intervention's code). No
    /// period means `this_year`. Unknown names are ignored; each bad value
    /// gives a French sentence under its field's name.
    pub fn parse(pairs: &[(String, String)], this_year: i32) -> Result<Filter, Problems> {
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, v)| k == name && !v.trim().is_empty())
                .map(|(_, v)| v.as_str())
        };
        let mut problems: Problems = Vec::new();
        let p = &mut problems;
        let period = match (get("annee"), get("du"), get("au")) {
            (Some(y), None, None) => keep(p, "annee", parse_year(y)).map(Period::year),
            (None, None, None) => Some(Period::year(this_year)),
            (Some(_), _, _) => keep(
                p,
                "annee",
                Err(Invalid::new(
                    "Période : choisissez une année, ou bien un mois de début et un mois de fin, pas les deux.",
                )),
            ),
            (None, from, to) => {
                let from = keep(
                    p,
                    "du",
                    from.map_or(
                        Err(Invalid::new(
                            "Du : écrivez le premier mois, par exemple 2026-01.",
                        )),
                        |f| Month::parse(f, "Du"),
                    ),
                );
                let to = keep(
                    p,
                    "au",
                    to.map_or(
                        Err(Invalid::new(
                            "Au : écrivez le dernier mois, par exemple 2026-06.",
                        )),
                        |t| Month::parse(t, "Au"),
                    ),
                );
                match (from, to) {
                    (Some(from), Some(to)) if from > to => keep(
                        p,
                        "au",
                        Err(Invalid::new(
                            "Au : le dernier mois vient avant le premier. Choisissez un mois après celui du début.",
                        )),
                    ),
                    (Some(from), Some(to))
                        if (to.year - from.year) * 12 + to.month as i32 - from.month as i32
                            >= 36 =>
                    {
                        keep(
                            p,
                            "au",
                            Err(Invalid::new(
                                "Au : une période dure au plus trois ans (36 mois). Choisissez un mois plus proche.",
                            )),
                        )
                    }
                    (Some(from), Some(to)) => Some(Period { from, to }),
                    _ => None,
                }
            }
        };
        let area = area(&get, p);
        let kind = kind(&get, p);
        match (period, area, kind) {
            (Some(period), Some(area), Some(kind)) if p.is_empty() => {
                Ok(Filter { period, area, kind })
            }
            _ => Err(problems),
        }
    }

    /// The query that gives this filter back (`annee=2026&region=76&type=former`).
    pub fn to_query(&self) -> String {
        let mut parts = Vec::new();
        match self.period.whole_year() {
            Some(y) => parts.push(format!("annee={y}")),
            None => {
                parts.push(format!("du={}", self.period.from.code()));
                parts.push(format!("au={}", self.period.to.code()));
            }
        }
        match &self.area {
            Area::National => {}
            Area::Region(r) => parts.push(format!("region={}", r.as_str())),
            Area::Department(d) => parts.push(format!("departement={}", d.as_str())),
            Area::Programme(s) => parts.push(format!("programme={s}")),
        }
        if let Some(k) = self.kind {
            parts.push(format!("type={}", k.code()));
        }
        parts.join("&")
    }
}

/// The territory named by the query (none: the whole country).
fn area<'a>(get: &dyn Fn(&str) -> Option<&'a str>, p: &mut Problems) -> Option<Area> {
    let named: Vec<(&'static str, &str)> = [
        ("territoire", get("territoire")),
        ("region", get("region")),
        ("departement", get("departement")),
        ("programme", get("programme")),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.map(|v| (k, v)))
    .collect();
    match named.as_slice() {
        [] => Some(Area::National),
        [("territoire", v)] => keep(p, "territoire", Area::from_choice(v)),
        [("region", v)] => keep(
            p,
            "region",
            RegionCode::parse(v).map(Area::Region).map_err(|e| {
                Invalid::new(format!(
                    "Région : {} Choisissez une région de la liste.",
                    e.0
                ))
            }),
        ),
        [("departement", v)] => keep(
            p,
            "departement",
            DepartmentCode::parse(v)
                .map(Area::Department)
                .map_err(|e| Invalid::new(format!("Département : {}", e.0))),
        ),
        [("programme", v)] => keep(p, "programme", programme(v)),
        _ => keep(
            p,
            "territoire",
            Err(Invalid::new(
                "Territoire : choisissez un seul territoire (la France entière, une région, un département ou un programme local).",
            )),
        ),
    }
}

/// The kind of intervention named by the query, if any.
fn kind<'a>(
    get: &dyn Fn(&str) -> Option<&'a str>,
    p: &mut Problems,
) -> Option<Option<InterventionKind>> {
    match get("type") {
        None => Some(None),
        Some(t) => keep(
            p,
            "type",
            InterventionKind::parse(t).map(Some).ok_or_else(|| {
                Invalid::new(format!(
                    "Type d’intervention : « {} » n’est pas un type d’intervention. Choisissez-en un dans la liste.",
                    t.trim()
                ))
            }),
        ),
    }
}

fn keep<T>(problems: &mut Problems, field: &'static str, r: Result<T, Invalid>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push((field, e));
            None
        }
    }
}

fn parse_year(input: &str) -> Result<i32, Invalid> {
    match input.trim().parse::<i32>() {
        Ok(y) if (FIRST_YEAR..=LAST_YEAR).contains(&y) => Ok(y),
        Ok(_) => Err(Invalid::new(format!(
            "Année : choisissez une année entre {FIRST_YEAR} et {LAST_YEAR}."
        ))),
        Err(_) => Err(Invalid::new(format!(
            "Année : « {} » n’est pas une année. Écrivez-la en chiffres, par exemple 2026.",
            input.trim()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        q.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect()
    }

    fn problems(q: &str) -> Vec<(&'static str, String)> {
        Filter::parse(&pairs(q), 2026)
            .unwrap_err()
            .into_iter()
            .map(|(f, e)| (f, e.0))
            .collect()
    }

    #[test]
    fn a_time_falls_in_its_paris_month() {
        let march = Month {
            year: 2026,
            month: 3,
        };
        assert_eq!(Month::containing(march.start()), march);
        assert_eq!(
            Month::containing(march.start() - 1),
            Month {
                year: 2026,
                month: 2
            }
        );
        // 2025-12-31 23:30 UTC is already January in Paris.
        assert_eq!(
            Month::containing(1_767_223_800),
            Month {
                year: 2026,
                month: 1
            }
        );
        assert_eq!(Month::containing(march.next().start() - 1), march);
    }

    #[test]
    fn a_filter_reads_back_from_its_query() {
        for q in [
            "annee=2026",
            "annee=2025&region=76&type=former",
            "du=2025-11&au=2026-02&departement=2A",
            "annee=2026&programme=occitanie-pairs",
        ] {
            let f = Filter::parse(&pairs(q), 2026).unwrap();
            assert_eq!(f.to_query(), q);
        }
        let none = Filter::parse(&[], 2031).unwrap();
        assert_eq!(none, Filter::year(2031));
        let chosen = Filter::parse(&pairs("annee=2026&territoire=region-76"), 2026).unwrap();
        assert_eq!(chosen.to_query(), "annee=2026&region=76");
        assert_eq!(chosen.area.choice(), "region-76");
    }

    #[test]
    fn bad_values_name_their_field_in_french() {
        assert_eq!(problems("annee=deux")[0].0, "annee");
        assert!(problems("annee=deux")[0].1.contains("n’est pas une année"));
        assert!(problems("annee=1990")[0].1.contains("entre 2020 et 2100"));
        assert!(problems("region=99")[0].1.starts_with("Région : "));
        assert!(
            problems("departement=20")[0]
                .1
                .starts_with("Département : ")
        );
        assert!(problems("type=danser")[0].1.contains("« danser »"));
        assert_eq!(problems("du=2026-05&au=2026-02")[0].0, "au");
        assert_eq!(problems("du=2026-13&au=2026-02")[0].0, "du");
        assert_eq!(problems("du=2026-01")[0].0, "au");
        assert_eq!(problems("du=2020-01&au=2026-02")[0].0, "au");
        assert_eq!(problems("region=76&departement=31")[0].0, "territoire");
        assert_eq!(problems("programme=../x")[0].0, "programme");
        assert_eq!(problems("territoire=lune")[0].0, "territoire");
        assert_eq!(problems("annee=2026&du=2026-01&au=2026-02")[0].0, "annee");
        assert_eq!(problems("annee=x&type=y").len(), 2);
    }

    #[test]
    fn periods_say_their_months_and_bounds() {
        let p = Period {
            from: Month {
                year: 2025,
                month: 11,
            },
            to: Month {
                year: 2026,
                month: 2,
            },
        };
        assert_eq!(p.months().len(), 4);
        assert_eq!(p.words(), "De novembre 2025 à février 2026");
        assert_eq!(p.days(), ("2025-11-01".into(), "2026-02-28".into()));
        assert_eq!(Period::year(2026).words(), "En 2026");
        assert_eq!(Period::year(2026).months().len(), 12);
        let (from, to) = Period::year(2026).bounds();
        // 1 January 2026 00:00 in Paris is 31 December 2025 23:00 UTC.
        assert_eq!(from, 1_767_222_000);
        assert_eq!(to - from, 365 * 86_400);
    }
}
