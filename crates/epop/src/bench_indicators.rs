//! `epop bench-indicators`: times the indicators of a territory for a year
//! through the store's own `indicators::compute` and the domain's report
//! (the code `/indicateurs`, its exports and the API call), against the
//! configured database, and prints p50, p99 and max per case with the
//! machine and the engine. Seed the database first with `epop seed-bench
//! --profiles 100000 --interventions 1000000`.

use std::io::Write;
use std::time::Instant;

use epop_domain::directory::InterventionKind;
use epop_domain::indicators::{Area, Filter, report::report};
use epop_domain::questionnaire::small::Sight;
use epop_domain::{DepartmentCode, RegionCode};
use epop_store::{Db, Engine, history, territories};

use crate::bench::{Stats, machine, stats};

/// The goal of issue 14 (« Measured »).
pub const GOAL_P99_MS: f64 = 100.0;

/// The year measured: the last whole year of the history `seed-bench` makes.
pub const YEAR: i32 = 2025;

/// One measured case: its label and the filter.
fn cases() -> Vec<(&'static str, Filter)> {
    let year = Filter::year(YEAR);
    let region = |code: &str| Filter {
        area: Area::Region(RegionCode::parse(code).expect("a région code")),
        ..year.clone()
    };
    vec![
        ("France entière, année", year.clone()),
        ("Occitanie (76), année", region("76")),
        ("Île-de-France (11), année", region("11")),
        (
            "Haute-Garonne (31), année",
            Filter {
                area: Area::Department(DepartmentCode::parse("31").expect("a département code")),
                ..year.clone()
            },
        ),
        (
            "France entière, année, « former »",
            Filter {
                kind: Some(InterventionKind::TrainingProfessionals),
                ..year
            },
        ),
    ]
}

/// The reference timed in the same run: counting the requests sent in the
/// year measured, an index range of the requests, so that figures taken
/// on machines of other speeds or loads compare as ratios.
async fn reference(db: &Db, iterations: usize) -> Result<Stats, String> {
    let period = Filter::year(YEAR).period.bounds();
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..=iterations {
        let start = Instant::now();
        std::hint::black_box(history::sent_between(db, period.0, period.1).await?);
        samples.push(start.elapsed());
    }
    samples.remove(0);
    Ok(stats(&mut samples))
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Runs every case `iterations` times (after one untimed pass) and writes
/// the table to `out`; returns each case's figures.
pub async fn run(
    db: &Db,
    iterations: usize,
    out: &mut impl Write,
) -> Result<Vec<(String, Stats)>, String> {
    let iterations = iterations.max(1);
    let engine = match db.engine() {
        Engine::Sqlite => "SQLite",
        Engine::Postgres => "PostgreSQL",
    };
    let mut conn = db.conn().await.map_err(err)?;
    let departments = territories::departments(&mut conn).await.map_err(err)?;
    drop(conn);
    let requests = history::request_count(db).await?;
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(err);
    w(out, format!("Machine : {}", machine()))?;
    let start = Instant::now();
    epop_store::indicators::summary::refresh(db)
        .await
        .map_err(err)?;
    w(
        out,
        format!(
            "Résumé des indicateurs mis à jour (non chronométré dans les cas) : {} ms",
            start.elapsed().as_millis()
        ),
    )?;
    w(
        out,
        format!(
            "Base : {engine}, {requests} demandes d’intervention ; {iterations} répétitions par cas (connexion prise au pool, calcul des indicateurs, rapport masqué)"
        ),
    )?;
    let reference = reference(db, iterations).await?;
    w(
        out,
        format!(
            "Référence, au même moment : compter les demandes envoyées en {YEAR} (un parcours d’index) : p50 {:.2} ms",
            reference.p50
        ),
    )?;
    w(
        out,
        format!(
            "{:<36} {:>9} {:>9} {:>9} {:>12}",
            "indicateurs", "p50 ms", "p99 ms", "max ms", "p99 / réf."
        ),
    )?;
    let mut results = Vec::new();
    for (label, filter) in cases() {
        let scope: Option<Vec<String>> = match &filter.area {
            Area::National => None,
            Area::Region(r) => Some(
                departments
                    .iter()
                    .filter(|d| d.region_code == r.as_str())
                    .map(|d| d.code.clone())
                    .collect(),
            ),
            Area::Department(d) => Some(vec![d.as_str().to_owned()]),
            Area::Programme(_) => return Err("pas de programme dans le banc d’essai".into()),
        };
        let once = || async {
            let start = Instant::now();
            let ind =
                epop_store::indicators::compute(db, &filter, scope.as_deref(), epop_store::now())
                    .await
                    .map_err(err)?;
            let shown = report(&ind, &filter, label, Sight::Masked);
            if shown.sections.is_empty() {
                return Err(format!("rapport vide pour « {label} »"));
            }
            Ok::<_, String>(start.elapsed())
        };
        once().await?;
        let mut samples = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            samples.push(once().await?);
        }
        let s = stats(&mut samples);
        w(
            out,
            format!(
                "{label:<36} {:>9.2} {:>9.2} {:>9.2} {:>12.2}",
                s.p50,
                s.p99,
                s.max,
                s.p99 / reference.p50.max(0.001)
            ),
        )?;
        results.push((label.to_owned(), s));
    }
    let slow: Vec<&str> = results
        .iter()
        .filter(|(_, s)| s.p99 > GOAL_P99_MS)
        .map(|(l, _)| l.as_str())
        .collect();
    w(
        out,
        if slow.is_empty() {
            format!("Objectif p99 ≤ {GOAL_P99_MS} ms : atteint pour chaque cas.")
        } else {
            format!(
                "Objectif p99 ≤ {GOAL_P99_MS} ms : manqué pour {}.",
                slow.join(", ")
            )
        },
    )?;
    Ok(results)
}
