//! The yearly report of a territory or a local programme, that a funder
//! attaches to their own report: a cover (title, what it covers, the day it
//! was produced, what « moins de 5 » means, the sources), then each section
//! of the [`Report`] — its title, the sentence that says what it shows, its
//! chart as a tagged figure whose text alternative gives every figure in
//! words, its table, and its note. The workbook twin is
//! [`crate::figures_export::xlsx`] with the same [`About`].

use epop_domain::figures::{Chart, Report};

use super::{Block, Document, PdfError, render};
use crate::figures_export::{About, SMALL_NUMBERS};

/// Who produces the reports.
const AUTHOR: &str = "EPoP – réseau national des intervenants-pairs";

pub(super) fn yearly_report_document(report: &Report, about: &About) -> Document {
    let heading = |level: u8, text: &str| Block::Heading {
        level,
        text: text.to_owned(),
    };
    let mut blocks = vec![
        heading(1, &report.title),
        Block::Facts(vec![
            ("Territoire et période".to_owned(), report.scope.clone()),
            ("Produit le".to_owned(), about.produced_on.clone()),
            ("Produit par".to_owned(), AUTHOR.to_owned()),
        ]),
        heading(2, "Lire ce rapport"),
        Block::Paragraph(SMALL_NUMBERS.to_owned()),
        Block::Paragraph(
            "Chaque partie dit d’abord en une phrase ce que montrent ses chiffres ; son \
             graphique est suivi du tableau des mêmes chiffres."
                .to_owned(),
        ),
    ];
    if !about.sources.is_empty() {
        blocks.push(heading(2, "Sources"));
        blocks.push(Block::List(about.sources.clone()));
    }
    for section in &report.sections {
        blocks.push(heading(2, &section.title));
        blocks.push(Block::Paragraph(section.summary.clone()));
        if section.chart != Chart::None && !section.rows.is_empty() {
            blocks.push(Block::Chart(section.clone()));
        }
        blocks.push(Block::Table {
            caption: format!("{} : les chiffres", section.title),
            headers: section.columns.clone(),
            rows: section
                .rows
                .iter()
                .map(|r| {
                    std::iter::once(r.label.clone())
                        .chain(r.cells.iter().map(|c| c.shown()))
                        .collect()
                })
                .collect(),
            widths: Vec::new(),
        });
        blocks.push(Block::Paragraph(section.note.clone()));
    }
    Document {
        title: format!("{} – {}", report.title, report.scope),
        subject: format!("Indicateurs EPoP : {}", report.scope),
        author: AUTHOR.to_owned(),
        blocks,
    }
}

/// The yearly report as a tagged PDF/UA-1 file.
pub fn yearly_report_pdf(report: &Report, about: &About) -> Result<Vec<u8>, PdfError> {
    render(&yearly_report_document(report, about))
}
