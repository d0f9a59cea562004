//! The indicator reports ([`Report`]) as files: CSV for French Excel and
//! open data, XLSX for people who rework the figures (the `/indicateurs`
//! exports, the yearly report's workbook, the public statistics).
//!
//! **CSV: one long table** `code_section;section;ligne;colonne;valeur;unite`
//! (one line per figure) rather than one table per section one under the
//! other. The sections have different columns; a long table has one header
//! that a spreadsheet filter, a pivot table or an open-data portal reads
//! without cutting the file by hand, and the same columns year after year
//! whatever sections are added. Values are written as French Excel reads
//! them (`1234`, `12,5`, `1250,05`; no digit grouping), with their unit
//! apart (`jours`, `€`, `%`), and a hidden figure reads « moins de 5 ». The
//! convention is [`crate::csv_export`]'s: `;`, UTF-8 with a byte order mark,
//! CRLF, formulas neutralised.
//!
//! **XLSX: a « Sommaire » sheet then one sheet per section.** The summary
//! says what the report covers, when it was produced, what « moins de 5 »
//! means and where the figures come from, and lists the sections with the
//! sentence that says what each shows. Each section's sheet has its title,
//! that sentence, a bold header row, then its rows: exact figures are
//! NUMBERS (counts grouped by thousands, amounts in a currency format,
//! durations with their unit, percentages as percentages), hidden ones the
//! words « moins de 5 », so that a sum never silently counts a hidden one.

use epop_domain::figures::{Cell, Report};
use epop_domain::questionnaire::small::FEWER;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// What a report's cover says beyond its title and scope.
#[derive(Debug, Clone, PartialEq)]
pub struct About {
    /// The day the file was produced, in words (« 3 décembre 2026 »).
    pub produced_on: String,
    /// Where the figures come from, one sentence each.
    pub sources: Vec<String>,
}

/// What « moins de 5 » means, said on every cover.
pub const SMALL_NUMBERS: &str = "« moins de 5 » : pour protéger les personnes, un chiffre \
     qui porte sur 1 à 4 personnes n’est pas donné exactement. 0 veut dire que personne \
     n’est concerné.";

/// The columns of the CSV.
pub const CSV_HEADERS: [&str; 6] = [
    "code_section",
    "section",
    "ligne",
    "colonne",
    "valeur",
    "unite",
];

/// The value of a cell as the CSV writes it, and its unit.
pub fn csv_value(cell: &Cell) -> (String, &'static str) {
    match cell {
        Cell::Count(f) => match f.exact() {
            Some(n) => (n.to_string(), ""),
            None => (FEWER.to_owned(), ""),
        },
        Cell::Money(c) => (decimal(*c, 100), "€"),
        Cell::Decimal { tenths, unit } => (decimal(*tenths, 10), unit),
        Cell::Percent(Some(p)) => (p.to_string(), "%"),
        Cell::Percent(None) => ("non communiqué".to_owned(), ""),
        Cell::Text(t) => (t.clone(), ""),
    }
}

/// `value / scale` with a decimal comma, all its decimals (scale 10 or 100).
fn decimal(value: i64, scale: i64) -> String {
    let digits = if scale == 100 { 2 } else { 1 };
    format!(
        "{}{},{:0digits$}",
        if value < 0 { "-" } else { "" },
        value.abs() / scale,
        value.abs() % scale
    )
}

/// Each figure of the report as the CSV's columns, after `leading` ones.
fn lines<'a>(report: &'a Report, leading: &'a [String]) -> impl Iterator<Item = Vec<String>> + 'a {
    report.sections.iter().flat_map(move |s| {
        s.rows.iter().flat_map(move |r| {
            r.cells.iter().enumerate().map(move |(i, cell)| {
                let (value, unit) = csv_value(cell);
                let mut line = leading.to_vec();
                line.extend([
                    s.code.clone(),
                    s.title.clone(),
                    r.label.clone(),
                    s.columns.get(i + 1).cloned().unwrap_or_default(),
                    value,
                    unit.to_owned(),
                ]);
                line
            })
        })
    })
}

/// The report as one long CSV table (see the module's documentation).
pub fn csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    crate::csv_export::table(&CSV_HEADERS, lines(report, &[]))
}

/// The columns of the open-data CSV: the year and the territory, then
/// [`CSV_HEADERS`].
pub fn open_data_headers() -> Vec<&'static str> {
    ["annee", "territoire"]
        .into_iter()
        .chain(CSV_HEADERS)
        .collect()
}

/// The public statistics of `territory` for `year` as open data: the same
/// lines as [`csv`], each saying its year and territory, so that files of
/// several years or régions can be put one after the other.
pub fn open_data_csv(report: &Report, year: i32, territory: &str) -> Result<Vec<u8>, csv::Error> {
    let leading = [year.to_string(), territory.to_owned()];
    crate::csv_export::table(&open_data_headers(), lines(report, &leading))
}

/// The name of the summary sheet.
pub const SUMMARY_SHEET: &str = "Sommaire";

/// The sheet names of the sections, in order: their titles made fit for a
/// sheet (at most 31 characters, none of `[]:*?/\`), numbered when two
/// would be the same.
pub fn sheet_names(report: &Report) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for section in &report.sections {
        let clean: String = section
            .title
            .chars()
            .map(|c| if "[]:*?/\\'".contains(c) { ' ' } else { c })
            .collect();
        let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
        let base: String = clean.chars().take(28).collect();
        let base = base.trim_end().to_owned();
        let mut name = base.clone();
        let mut n = 2;
        while names.iter().any(|m| m.eq_ignore_ascii_case(&name)) || name == SUMMARY_SHEET {
            name = format!("{base} {n}");
            n += 1;
        }
        names.push(name);
    }
    names
}

/// The report as a workbook (see the module's documentation).
pub fn xlsx(report: &Report, about: &About) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let names = sheet_names(report);

    let summary = workbook.add_worksheet();
    summary.set_name(SUMMARY_SHEET)?;
    summary.set_column_width(0, 36)?;
    summary.set_column_width(1, 90)?;
    summary.write_string_with_format(0, 0, &report.title, &title)?;
    summary.write_string(1, 0, &report.scope)?;
    summary.write_string(2, 0, format!("Produit le {}", about.produced_on))?;
    summary.write_string_with_format(3, 0, SMALL_NUMBERS, &wrap)?;
    summary.write_string_with_format(
        4,
        0,
        format!("Sources : {}", about.sources.join(" ")),
        &wrap,
    )?;
    summary.write_string_with_format(6, 0, "Feuille", &bold)?;
    summary.write_string_with_format(6, 1, "Ce que montrent les chiffres", &bold)?;
    for (i, (section, name)) in report.sections.iter().zip(&names).enumerate() {
        let row = 7 + u32::try_from(i).map_err(|_| XlsxError::RowColumnLimitError)?;
        summary.write_string(row, 0, name)?;
        summary.write_string_with_format(row, 1, &section.summary, &wrap)?;
    }

    for (section, name) in report.sections.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_column_width(0, 36)?;
        for c in 1..section.columns.len().max(2) {
            sheet.set_column_width(col(c), 18)?;
        }
        sheet.write_string_with_format(0, 0, &section.title, &title)?;
        sheet.write_string(1, 0, &section.summary)?;
        for (c, header) in section.columns.iter().enumerate() {
            sheet.write_string_with_format(3, col(c), header, &bold)?;
        }
        for (r, row) in section.rows.iter().enumerate() {
            let r = 4 + u32::try_from(r).map_err(|_| XlsxError::RowColumnLimitError)?;
            sheet.write_string(r, 0, &row.label)?;
            for (c, cell) in row.cells.iter().enumerate() {
                write_cell(sheet, r, col(c + 1), cell)?;
            }
        }
        if !section.note.is_empty() {
            let r = 5 + u32::try_from(section.rows.len())
                .map_err(|_| XlsxError::RowColumnLimitError)?;
            sheet.write_string(r, 0, &section.note)?;
        }
        sheet.set_freeze_panes(4, 1)?;
    }
    workbook.save_to_buffer()
}

/// The yearly report's workbook: the same as [`xlsx`], its summary sheet
/// the report's cover (the PDF twin is `pdf::yearly_report_pdf`).
pub fn yearly_report_xlsx(report: &Report, about: &About) -> Result<Vec<u8>, XlsxError> {
    xlsx(report, about)
}

/// One cell: a number in its format when exact, words otherwise.
fn write_cell(sheet: &mut Worksheet, r: u32, c: u16, cell: &Cell) -> Result<(), XlsxError> {
    let number = |format: &str| Format::new().set_num_format(format);
    match cell {
        Cell::Count(f) => match f.exact() {
            Some(n) => sheet.write_number_with_format(r, c, n as f64, &number("#,##0"))?,
            None => sheet.write_string(r, c, FEWER)?,
        },
        Cell::Money(cents) => sheet.write_number_with_format(
            r,
            c,
            *cents as f64 / 100.0,
            &number("#,##0.00\\ \"€\""),
        )?,
        Cell::Decimal { tenths, unit } => sheet.write_number_with_format(
            r,
            c,
            *tenths as f64 / 10.0,
            &number(&format!("#,##0.0\\ \"{unit}\"")),
        )?,
        Cell::Percent(Some(p)) => {
            sheet.write_number_with_format(r, c, *p as f64 / 100.0, &number("0%"))?
        }
        Cell::Percent(None) | Cell::Text(_) => sheet.write_string(r, c, cell.shown())?,
    };
    Ok(())
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::directory_export::tests::part;
    use epop_domain::figures::{Chart, Row, Section};
    use epop_domain::questionnaire::small::Figure;

    /// A report with every kind of cell, hidden figures included.
    pub(crate) fn sample() -> Report {
        let row = |label: &str, cells: Vec<Cell>| Row {
            label: label.to_owned(),
            cells,
        };
        Report {
            title: "Rapport annuel 2026".to_owned(),
            scope: "Occitanie, année 2026".to_owned(),
            sections: vec![
                Section {
                    code: "demandes".to_owned(),
                    title: "Demandes par mois".to_owned(),
                    summary: "Les demandes reçues montent de janvier à mars.".to_owned(),
                    chart: Chart::Months,
                    columns: vec!["Mois".into(), "Demandes".into(), "Heures".into()],
                    rows: vec![
                        row(
                            "janv. 2026",
                            vec![
                                Cell::things(1234),
                                Cell::Decimal {
                                    tenths: 125,
                                    unit: "heures",
                                },
                            ],
                        ),
                        row(
                            "févr. 2026",
                            vec![
                                Cell::Count(Figure::FewerThanFive),
                                Cell::Decimal {
                                    tenths: 30,
                                    unit: "heures",
                                },
                            ],
                        ),
                        row(
                            "mars 2026",
                            vec![
                                Cell::things(0),
                                Cell::Decimal {
                                    tenths: 0,
                                    unit: "heures",
                                },
                            ],
                        ),
                    ],
                    note: "Une demande compte au mois où elle est reçue.".to_owned(),
                },
                Section {
                    code: "argent".to_owned(),
                    title: "Sommes versées : pairs / frais".to_owned(),
                    summary: "Ce qui a été payé aux pairs.".to_owned(),
                    chart: Chart::Bars,
                    columns: vec!["Quoi".into(), "Montant".into(), "Part".into()],
                    rows: vec![
                        row(
                            "Rémunérations",
                            vec![Cell::Money(125_005), Cell::Percent(Some(42))],
                        ),
                        row("=Frais", vec![Cell::Money(50), Cell::Percent(None)]),
                    ],
                    note: String::new(),
                },
                Section {
                    code: "satisfaction".to_owned(),
                    title: "Utilité de l’intervention".to_owned(),
                    summary: "La plupart des personnes ont trouvé l’intervention utile.".to_owned(),
                    chart: Chart::Parts,
                    columns: vec!["Réponse".into(), "Personnes".into()],
                    rows: [
                        ("Pas du tout", Cell::Count(Figure::FewerThanFive)),
                        ("Un peu", Cell::things(6)),
                        ("Moyennement", Cell::things(12)),
                        ("Beaucoup", Cell::things(30)),
                        ("Tout à fait", Cell::things(52)),
                    ]
                    .into_iter()
                    .map(|(l, c)| row(l, vec![c]))
                    .collect(),
                    note: String::new(),
                },
            ],
        }
    }

    pub(crate) fn about() -> About {
        About {
            produced_on: "3 décembre 2026".to_owned(),
            sources: vec!["Les demandes et interventions enregistrées sur EPoP.".to_owned()],
        }
    }

    #[test]
    fn csv_is_one_long_table_as_french_excel_reads_it() {
        let bytes = csv(&sample()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("\u{feff}code_section;section;ligne;colonne;valeur;unite\r\n"));
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        // One line per figure: 3 × 2 + 2 × 2 + 5.
        assert_eq!(rows.len(), 15);
        let line = |s: &str| s.split('|').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(
            rows[0],
            line("demandes|Demandes par mois|janv. 2026|Demandes|1234|")
        );
        assert_eq!(
            rows[1],
            line("demandes|Demandes par mois|janv. 2026|Heures|12,5|heures")
        );
        assert_eq!(
            rows[2],
            line("demandes|Demandes par mois|févr. 2026|Demandes|moins de 5|")
        );
        assert_eq!(rows[4][4], "0");
        assert_eq!(
            rows[6],
            line("argent|Sommes versées : pairs / frais|Rémunérations|Montant|1250,05|€")
        );
        assert_eq!(rows[7][4..], ["42", "%"].map(str::to_owned));
        // A label that looks like a formula is neutralised.
        assert_eq!(rows[8][2], "'=Frais");
        assert_eq!(rows[8][4], "0,50");
        assert_eq!(rows[9][4], "non communiqué");
        assert_eq!(
            rows[10][2..5],
            ["Pas du tout", "Personnes", "moins de 5"].map(str::to_owned)
        );
    }

    #[test]
    fn open_data_lines_say_their_year_and_territory() {
        let text = String::from_utf8(open_data_csv(&sample(), 2026, "Occitanie").unwrap()).unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        assert_eq!(lines.next(), Some(open_data_headers().join(";").as_str()));
        assert_eq!(
            lines.next(),
            Some("2026;Occitanie;demandes;Demandes par mois;janv. 2026;Demandes;1234;")
        );
        assert_eq!(lines.count(), 14);
    }

    #[test]
    fn sheet_names_fit_and_never_repeat() {
        let mut report = sample();
        report.sections.push(report.sections[0].clone());
        report.sections[1].title = "Un titre bien trop long pour une feuille : [vraiment]".into();
        let names = sheet_names(&report);
        assert_eq!(
            names,
            [
                "Demandes par mois",
                "Un titre bien trop long pour",
                "Utilité de l’intervention",
                "Demandes par mois 2"
            ]
        );
        assert!(names.iter().all(|n| n.chars().count() <= 31));
    }

    #[test]
    fn xlsx_has_a_summary_then_a_sheet_per_section_with_numbers_as_numbers() {
        let bytes = xlsx(&sample(), &about()).unwrap();
        let book = part(&bytes, "xl/workbook.xml");
        for name in [
            "Sommaire",
            "Demandes par mois",
            "Sommes versées pairs frais",
        ] {
            assert!(
                book.contains(&format!("name=\"{name}\"")),
                "{name} in {book}"
            );
        }
        let strings = part(&bytes, "xl/sharedStrings.xml");
        for s in [
            "Rapport annuel 2026",
            "Produit le 3 décembre 2026",
            "moins de 5",
            "non communiqué",
        ] {
            assert!(strings.contains(s), "{s}");
        }
        let sheet = part(&bytes, "xl/worksheets/sheet2.xml");
        // 1234 and 12.5 are numbers, not strings.
        assert!(sheet.contains("<v>1234</v>"), "{sheet}");
        assert!(sheet.contains("<v>12.5</v>"), "{sheet}");
        let money = part(&bytes, "xl/worksheets/sheet3.xml");
        assert!(money.contains("<v>1250.05</v>") && money.contains("<v>0.42</v>"));
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("€"), "a currency format: {styles}");
        assert!(styles.contains("heures"), "a unit format");
    }
}
