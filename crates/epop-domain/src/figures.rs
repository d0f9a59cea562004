//! The shape every view of the indicators takes — the `/indicateurs` page,
//! its CSV and XLSX exports, the yearly report (PDF and XLSX), the public
//! statistics and their open-data CSV: a [`Report`] of [`Section`]s, each a
//! titled table with a one-sentence summary and the chart that draws it.
//!
//! The indicators are computed elsewhere; whoever builds a report applies
//! the small-number rule first ([`Cell::Count`] holds a
//! [`Figure`](crate::questionnaire::small::Figure), already masked), so
//! every renderer shows the same figures and none can reveal a hidden one.

use crate::questionnaire::small::Figure;

/// A whole report: its title, what it covers in words (« Occitanie, année
/// 2026 »), and its sections in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    pub scope: String,
    pub sections: Vec<Section>,
}

/// One titled table of figures and how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Stable code, used as the anchor on the page and the sheet or column
    /// prefix in exports (e.g. `demandes`, `satisfaction-utile`).
    pub code: String,
    pub title: String,
    /// One sentence saying what the figures show, read before the chart
    /// and used as its text alternative.
    pub summary: String,
    pub chart: Chart,
    /// Column headers; the first names the rows (e.g. « Mois »).
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// What a figure counts or how it is computed, said under the table
    /// (may be empty).
    pub note: String,
}

/// One row: its label (first column) and one cell per other column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A count, of people (masked below 5 when the viewer may not see it
    /// exactly) or of things (always exact).
    Count(Figure),
    /// An amount in euro cents.
    Money(i64),
    /// A number with one decimal, in its unit (« jours », « heures »).
    Decimal { tenths: i64, unit: &'static str },
    /// A whole percentage; `None` when it cannot be said (nobody asked, or
    /// fewer than 5 people behind it).
    Percent(Option<u64>),
    /// Words (a reason, « non communiqué »).
    Text(String),
}

impl Cell {
    /// An exact count of things (requests, sessions, hours…).
    pub fn things(n: u64) -> Cell {
        Cell::Count(Figure::Exact(n))
    }

    /// The value a chart draws for this cell: `None` when hidden or words.
    pub fn plotted(&self) -> Option<f64> {
        match self {
            Cell::Count(f) => f.exact().map(|n| n as f64),
            Cell::Money(c) => Some(*c as f64 / 100.0),
            Cell::Decimal { tenths, .. } => Some(*tenths as f64 / 10.0),
            Cell::Percent(p) => p.map(|p| p as f64),
            Cell::Text(_) => None,
        }
    }

    /// The value as French people read it (« 1 234 », « 12,5 jours »,
    /// « 1 250,00 € », « 42 % », « moins de 5 »), no-break spaces inside.
    pub fn shown(&self) -> String {
        match self {
            Cell::Count(f) => match f.exact() {
                Some(n) => grouped(n as i64),
                None => f.to_string(),
            },
            Cell::Money(c) => format!(
                "{}{},{:02}\u{a0}€",
                if *c < 0 { "-" } else { "" },
                grouped(c.abs() / 100),
                c.abs() % 100
            ),
            Cell::Decimal { tenths, unit } => format!(
                "{}{},{}\u{a0}{unit}",
                if *tenths < 0 { "-" } else { "" },
                grouped(tenths.abs() / 10),
                tenths.abs() % 10
            ),
            Cell::Percent(Some(p)) => format!("{p}\u{a0}%"),
            Cell::Percent(None) => "non communiqué".to_owned(),
            Cell::Text(t) => t.clone(),
        }
    }
}

/// How a section is drawn (always beside its table, which holds the same
/// figures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    /// No chart: the table says it all (e.g. a single figure).
    None,
    /// Horizontal bars, one per row, of the first column of cells.
    Bars,
    /// Vertical bars, one per row in order (months), of the first column.
    Months,
    /// One bar split in parts, one per row (a distribution such as the
    /// five steps of the scale), of the first column.
    Parts,
}

/// Said under a chart of parts when some are hidden: the bar shares out
/// only the parts that are said.
pub const PARTS_HIDDEN: &str =
    "Seules les parts connues sont dessinées : celles de moins de 5 personnes n’y sont pas.";

/// A label made short for a chart's narrow column: French month names
/// abbreviated as the usual way (« septembre 2024 » → « sept. 2024 »);
/// anything else as it is. The table beside says it whole.
pub fn short_label(label: &str) -> String {
    const MONTHS: [(&str, &str); 7] = [
        ("janvier", "janv."),
        ("février", "févr."),
        ("juillet", "juil."),
        ("septembre", "sept."),
        ("octobre", "oct."),
        ("novembre", "nov."),
        ("décembre", "déc."),
    ];
    let (first, rest) = label.split_once(' ').unwrap_or((label, ""));
    let short = MONTHS
        .iter()
        .find(|(long, _)| first.eq_ignore_ascii_case(long))
        .map_or(first, |(_, short)| short);
    let short = if short == "avril" { "avr." } else { short };
    if rest.is_empty() {
        short.to_owned()
    } else {
        format!("{short} {rest}")
    }
}

/// A whole number with its digit groups apart by no-break spaces.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_french_people_write_them() {
        assert_eq!(Cell::things(1234567).shown(), "1\u{a0}234\u{a0}567");
        assert_eq!(Cell::Count(Figure::FewerThanFive).shown(), "moins de 5");
        assert_eq!(Cell::Money(125_005).shown(), "1\u{a0}250,05\u{a0}€");
        assert_eq!(Cell::Money(-50).shown(), "-0,50\u{a0}€");
        assert_eq!(
            Cell::Decimal {
                tenths: 125,
                unit: "jours"
            }
            .shown(),
            "12,5\u{a0}jours"
        );
        assert_eq!(Cell::Percent(Some(42)).shown(), "42\u{a0}%");
        assert_eq!(Cell::Percent(None).shown(), "non communiqué");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(-1000), "-1\u{a0}000");
    }

    #[test]
    fn month_names_are_shortened_for_charts() {
        assert_eq!(short_label("septembre 2024"), "sept. 2024");
        assert_eq!(short_label("avril 2024"), "avr. 2024");
        assert_eq!(short_label("mai 2024"), "mai 2024");
        assert_eq!(short_label("décembre"), "déc.");
        assert_eq!(short_label("Association"), "Association");
    }

    #[test]
    fn hidden_figures_and_words_are_never_plotted() {
        assert_eq!(Cell::Count(Figure::FewerThanFive).plotted(), None);
        assert_eq!(Cell::Text("annulée".into()).plotted(), None);
        assert_eq!(Cell::Percent(None).plotted(), None);
        assert_eq!(Cell::things(7).plotted(), Some(7.0));
        assert_eq!(Cell::Money(1050).plotted(), Some(10.5));
    }
}
