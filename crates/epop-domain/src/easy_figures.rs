//! The year of the network in easy-to-read French (FALC) for its members:
//! short sentences, one idea each, built from the very cells of a
//! [`Report`] (so they say what the tables say, « moins de 5 » included).
//! A figure the report does not have gives no sentence.

use crate::figures::{Cell, Report};

/// The cell of the row `label` of section `code`, in column `column`
/// (0: the first after the label).
pub fn cell<'a>(report: &'a Report, code: &str, label: &str, column: usize) -> Option<&'a Cell> {
    report
        .sections
        .iter()
        .find(|s| s.code == code)?
        .rows
        .iter()
        .find(|r| r.label == label)?
        .cells
        .get(column)
}

/// What the sentences say for each figure: (section, row, column, the
/// sentence with `{}` where the figure goes).
const SENTENCES: [(&str, &str, usize, &str); 10] = [
    (
        "demandes",
        "Reçues",
        0,
        "Des structures ont demandé {} interventions.",
    ),
    (
        "demandes",
        "Réalisées",
        0,
        "Les intervenants-pairs ont fait {} interventions.",
    ),
    (
        "heures-public",
        "Personnes touchées",
        0,
        "{} personnes ont écouté les intervenants-pairs.",
    ),
    (
        "pairs",
        "Intervenants-pairs actifs (au moins une intervention)",
        0,
        "{} intervenants-pairs ont fait au moins une intervention.",
    ),
    (
        "pairs",
        "Intervenants-pairs formés",
        0,
        "{} personnes ont fini la formation pour devenir intervenant-pair.",
    ),
    (
        "formations",
        "Sessions",
        0,
        "Le réseau a organisé {} sessions de formation.",
    ),
    (
        "evenements",
        "Événements",
        2,
        "{} personnes sont venues aux événements du réseau.",
    ),
    (
        "evenements",
        "Réunions d’information",
        2,
        "{} personnes sont venues aux réunions d’information.",
    ),
    (
        "candidatures",
        "Candidatures envoyées",
        0,
        "{} personnes ont demandé à rejoindre le réseau.",
    ),
    (
        "argent",
        "Rémunérations versées",
        0,
        "Le réseau a payé {} aux intervenants-pairs pour leur travail.",
    ),
];

/// The sentences of `report`, the first one saying where and when.
pub fn sentences(report: &Report) -> Vec<String> {
    let mut out = vec![format!(
        "Voici les chiffres du réseau EPoP : {}.",
        report.scope
    )];
    for (code, label, column, sentence) in SENTENCES {
        let Some(cell) = cell(report, code, label, column) else {
            continue;
        };
        if let Cell::Text(_) | Cell::Percent(None) = cell {
            continue;
        }
        let figure = cell.shown();
        let mut said = sentence.replacen("{}", &figure, 1);
        // « moins de 5 personnes… » at the start of a sentence.
        if said.starts_with("moins") {
            said.replace_range(0..1, "M");
        }
        out.push(said);
    }
    out.push(
        "« Moins de 5 » veut dire : 1, 2, 3 ou 4 personnes. On ne donne pas le chiffre exact, \
         pour que personne ne soit reconnu."
            .to_owned(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Chart, Row, Section};
    use crate::questionnaire::small::Figure;

    fn report() -> Report {
        let section = |code: &str, rows: Vec<(&str, Vec<Cell>)>| Section {
            code: code.into(),
            title: code.into(),
            summary: String::new(),
            chart: Chart::None,
            columns: Vec::new(),
            rows: rows
                .into_iter()
                .map(|(l, cells)| Row {
                    label: l.into(),
                    cells,
                })
                .collect(),
            note: String::new(),
        };
        Report {
            title: "Indicateurs".into(),
            scope: "la France entière, année 2026".into(),
            sections: vec![
                section(
                    "demandes",
                    vec![
                        ("Reçues", vec![Cell::things(1234)]),
                        ("Réalisées", vec![Cell::things(7)]),
                    ],
                ),
                section(
                    "heures-public",
                    vec![(
                        "Personnes touchées",
                        vec![Cell::Count(Figure::FewerThanFive)],
                    )],
                ),
                section(
                    "argent",
                    vec![("Rémunérations versées", vec![Cell::Money(150_000)])],
                ),
            ],
        }
    }

    #[test]
    fn sentences_say_the_report_s_own_figures() {
        assert_eq!(
            sentences(&report()),
            [
                "Voici les chiffres du réseau EPoP : la France entière, année 2026.",
                "Des structures ont demandé 1\u{a0}234 interventions.",
                "Les intervenants-pairs ont fait 7 interventions.",
                "Moins de 5 personnes ont écouté les intervenants-pairs.",
                "Le réseau a payé 1\u{a0}500,00\u{a0}€ aux intervenants-pairs pour leur travail.",
                "« Moins de 5 » veut dire : 1, 2, 3 ou 4 personnes. On ne donne pas le chiffre \
                 exact, pour que personne ne soit reconnu.",
            ]
        );
    }
}
