//! `epop bench-search`: times a fixed mix of realistic directory searches
//! through the store's own `directory::search` (the code the `/annuaire`
//! page and the JSON API call), against the configured database, and prints
//! p50, p99 and max per search and overall, with the machine and the engine.
//! Seed the database first with `epop seed-bench --profiles 100000`.

use std::io::Write;
use std::time::{Duration, Instant};

use epop_domain::Email;
use epop_domain::directory::SearchQuery;
use epop_store::directory::{self, Viewer};
use epop_store::{Db, Engine, accounts, territories};

/// The goal of the design brief (QUALITY.md, « Performance »).
pub const GOAL_P99_MS: f64 = 10.0;

/// Who searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Not signed in: public profiles only.
    Visitor,
    /// A signed-in member of the network: public and members-only profiles.
    Member,
    /// A coordinator of Occitanie: also the hidden profiles of their
    /// départements (the visibility filter's most expensive branch).
    Coordinator,
}

impl Who {
    fn label(self) -> &'static str {
        match self {
            Who::Visitor => "visiteur",
            Who::Member => "membre",
            Who::Coordinator => "coordination",
        }
    }
}

/// One search of the mix: a label, the URL's parameters (read by the same
/// `SearchQuery::from_pairs` as the page) and who searches.
pub struct Case {
    pub label: &'static str,
    pub params: &'static [(&'static str, &'static str)],
    pub who: Who,
}

const SEARCHES: &[(&str, &[(&str, &str)])] = &[
    ("mots « santé mentale »", &[("q", "santé mentale")]),
    ("mots « educatrice »", &[("q", "educatrice")]),
    ("nom « Léa Martin »", &[("q", "Léa Martin")]),
    ("département 31", &[("departement", "31")]),
    (
        "région 76 + former",
        &[("region", "76"), ("intervention", "former")],
    ),
    (
        "mots + dépt 33 + à distance",
        &[
            ("q", "accessibilite"),
            ("departement", "33"),
            ("format", "a-distance"),
        ],
    ),
    ("vide, tri nom, page 1", &[("tri", "nom")]),
    ("vide, tri nom, page 50", &[("tri", "nom"), ("page", "50")]),
];

/// The fixed mix: every search as a visitor and as a member, and two as a
/// coordinator.
pub fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    for who in [Who::Visitor, Who::Member] {
        for (label, params) in SEARCHES {
            out.push(Case { label, params, who });
        }
    }
    out.push(Case {
        label: "mots « santé mentale »",
        params: &[("q", "santé mentale")],
        who: Who::Coordinator,
    });
    out.push(Case {
        label: "vide, tri nom, page 1",
        params: &[("tri", "nom")],
        who: Who::Coordinator,
    });
    out
}

/// Latency figures of a series, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
}

/// Nearest-rank percentiles of `samples` (sorted in place).
pub fn stats(samples: &mut [Duration]) -> Stats {
    samples.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rank = |p: f64| {
        let n = samples.len();
        let i = ((p * n as f64).ceil() as usize).clamp(1, n) - 1;
        ms(samples[i])
    };
    if samples.is_empty() {
        return Stats {
            p50: 0.0,
            p99: 0.0,
            max: 0.0,
        };
    }
    Stats {
        p50: rank(0.50),
        p99: rank(0.99),
        max: ms(samples[samples.len() - 1]),
    }
}

/// The result of one case.
pub struct Measured {
    pub label: String,
    pub who: Who,
    pub total: i64,
    pub stats: Stats,
}

/// What the run found.
pub struct Report {
    pub cases: Vec<Measured>,
    pub overall: Stats,
}

impl Report {
    /// Whether every search keeps p99 within the goal.
    pub fn meets_goal(&self) -> bool {
        self.cases.iter().all(|c| c.stats.p99 <= GOAL_P99_MS)
    }
}

/// `nproc` and the CPU model, from the system.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "processeur inconnu".to_owned());
    format!("{cores} cœurs (nproc), {model}")
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

async fn viewers(db: &Db) -> Result<[Viewer; 3], String> {
    let mut conn = db.conn().await.map_err(err)?;
    // A member is a seeded account (any account id does: it only widens
    // the filter to the member's own hidden profile).
    let email = Email::parse("personne-0@bench.epop.test").map_err(|e| e.0)?;
    let me = accounts::credentials(&mut conn, &email)
        .await
        .map_err(err)?
        .map(|c| c.id);
    let occitanie: Vec<String> = territories::departments(&mut conn)
        .await
        .map_err(err)?
        .into_iter()
        .filter(|d| d.region_code == "76")
        .map(|d| d.code)
        .collect();
    Ok([
        Viewer::default(),
        Viewer {
            account_id: me,
            member: true,
            ..Viewer::default()
        },
        Viewer {
            account_id: me,
            member: true,
            admin: false,
            coordinated: occitanie,
        },
    ])
}

/// Runs every case `iterations` times (after one untimed warm-up pass) and
/// writes the table to `out`.
pub async fn run(db: &Db, iterations: usize, out: &mut impl Write) -> Result<Report, String> {
    let iterations = iterations.max(1);
    let [visitor, member, coordinator] = viewers(db).await?;
    let viewer = |who: Who| match who {
        Who::Visitor => &visitor,
        Who::Member => &member,
        Who::Coordinator => &coordinator,
    };
    let engine = match db.engine() {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    };
    let profiles = {
        let mut conn = db.conn().await.map_err(err)?;
        directory::profile_count(&mut conn).await.map_err(err)?
    };
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(err);
    w(out, format!("Machine : {}", machine()))?;
    w(
        out,
        format!(
            "Base : {engine}, {profiles} profils ; {iterations} répétitions par recherche (temps du serveur : connexion prise au pool, comptage, page, listes des cartes)"
        ),
    )?;
    let cases = cases();
    let mut all = Vec::with_capacity(cases.len() * iterations);
    let mut measured = Vec::with_capacity(cases.len());
    w(
        out,
        format!(
            "{:<30} {:<13} {:>8} {:>9} {:>9} {:>9}",
            "recherche", "qui", "résultats", "p50 ms", "p99 ms", "max ms"
        ),
    )?;
    for case in &cases {
        let (q, problems) = SearchQuery::from_pairs(case.params.iter().copied());
        if !problems.is_empty() {
            return Err(format!("paramètres refusés pour « {} »", case.label));
        }
        let v = viewer(case.who);
        // Warm-up (statement cache, pages in memory), not timed.
        let mut conn = db.conn().await.map_err(err)?;
        let (_, total) = directory::search(&mut conn, db.engine(), &q, v)
            .await
            .map_err(err)?;
        drop(conn);
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            let start = Instant::now();
            let mut conn = db.conn().await.map_err(err)?;
            let result = directory::search(&mut conn, db.engine(), &q, v).await;
            drop(conn);
            samples.push(start.elapsed());
            result.map_err(err)?;
        }
        all.extend_from_slice(&samples);
        let stats = stats(&mut samples);
        w(
            out,
            format!(
                "{:<30} {:<13} {:>8} {:>9.2} {:>9.2} {:>9.2}",
                case.label,
                case.who.label(),
                if directory::total_is_lower_bound(total) {
                    format!("> {}", directory::COUNT_CAP)
                } else {
                    total.to_string()
                },
                stats.p50,
                stats.p99,
                stats.max
            ),
        )?;
        measured.push(Measured {
            label: case.label.to_owned(),
            who: case.who,
            total,
            stats,
        });
    }
    let overall = stats(&mut all);
    w(
        out,
        format!(
            "{:<30} {:<13} {:>8} {:>9.2} {:>9.2} {:>9.2}",
            "ensemble", "", "", overall.p50, overall.p99, overall.max
        ),
    )?;
    let report = Report {
        cases: measured,
        overall,
    };
    let slow: Vec<String> = report
        .cases
        .iter()
        .filter(|c| c.stats.p99 > GOAL_P99_MS)
        .map(|c| format!("{} ({})", c.label, c.who.label()))
        .collect();
    if slow.is_empty() {
        w(
            out,
            format!("Objectif p99 ≤ {GOAL_P99_MS} ms : atteint pour chaque recherche."),
        )?;
    } else {
        w(
            out,
            format!(
                "Objectif p99 ≤ {GOAL_P99_MS} ms : manqué pour {}.",
                slow.join(", ")
            ),
        )?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut s: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
        let st = stats(&mut s);
        assert_eq!((st.p50, st.p99, st.max), (50.0, 99.0, 100.0));
        let mut one = vec![Duration::from_millis(3)];
        assert_eq!(stats(&mut one).p99, 3.0);
    }

    #[test]
    fn every_case_is_a_valid_search() {
        for c in cases() {
            let (_, problems) = SearchQuery::from_pairs(c.params.iter().copied());
            assert!(problems.is_empty(), "{}", c.label);
        }
    }
}
