//! The directory of a territory as coordinators download it: CSV for French
//! Excel (see [`crate::csv_export`]) and an XLSX workbook with one sheet
//! « Annuaire », its header row bold, frozen and filterable, its columns
//! fitted to their content. Every cell is written as text: nothing a person
//! typed can become a formula.

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// The columns of both exports, in order.
pub const HEADERS: [&str; 15] = [
    "Nom affiché",
    "Type",
    "E-mail",
    "Visibilité",
    "Département",
    "Départements couverts",
    "Interventions",
    "Thèmes",
    "Formats",
    "Langues",
    "Formé le",
    "Formation",
    "Organisation",
    "Métier",
    "Mis à jour le",
];

/// The name of the only sheet of the workbook.
pub const SHEET: &str = "Annuaire";

/// The directory as CSV bytes (`;`, UTF-8 with BOM, formulas neutralised),
/// with [`HEADERS`].
pub fn csv(rows: &[Vec<String>]) -> Result<Vec<u8>, csv::Error> {
    crate::csv_export::table(&HEADERS, rows.iter().cloned())
}

/// Longest text a spreadsheet cell holds (Excel's limit, in UTF-16 units).
const MAX_CELL: usize = 32_767;

/// Widest a fitted column gets, in pixels (long presentations would make
/// columns wider than a screen).
const MAX_WIDTH_PX: u32 = 400;

/// Cuts a text to what a cell can hold.
fn fit_in_cell(text: &str) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL {
            return &text[..i];
        }
    }
    text
}

/// A workbook of one sheet « Annuaire »: a bold, frozen header row with an
/// autofilter, then the rows, every cell as a string, columns fitted.
pub fn xlsx(headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    let bold = Format::new().set_bold();
    let columns = headers
        .len()
        .max(rows.iter().map(Vec::len).max().unwrap_or(0));
    let last_col = u16::try_from(columns.saturating_sub(1)).unwrap_or(u16::MAX);
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col(c), fit_in_cell(h), &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r, col(c), fit_in_cell(cell))?;
            }
        }
    }
    if !headers.is_empty() {
        let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, last_row, last_col)?;
    }
    sheet.set_autofit_max_width(MAX_WIDTH_PX);
    sheet.autofit();
    workbook.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn sample() -> Vec<Vec<String>> {
        let row = |a: &str, b: &str| {
            let mut r = vec![a.to_owned(), b.to_owned()];
            r.resize(HEADERS.len(), String::new());
            r
        };
        vec![
            row("Awa Diallo", "Intervenant-pair ou intervenante-paire"),
            row("=HYPERLINK(\"x\")", "@SUM(1)"),
        ]
    }

    #[test]
    fn csv_has_bom_semicolons_and_the_french_headers() {
        let bytes = csv(&sample()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("\u{feff}Nom affiché;Type;E-mail;"));
        assert!(text.contains("\r\nAwa Diallo;Intervenant-pair ou intervenante-paire;;"));
        assert!(text.contains("'=HYPERLINK"), "formulas neutralised");
    }

    /// The text of one file of a zip (an XLSX).
    pub(crate) fn part(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn xlsx_has_one_sheet_of_strings_with_a_frozen_filtered_header() {
        let bytes = xlsx(&HEADERS, &sample()).unwrap();
        assert!(bytes.starts_with(b"PK"), "an XLSX is a zip");
        assert!(part(&bytes, "xl/workbook.xml").contains("name=\"Annuaire\""));
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(sheet.contains("<autoFilter ref=\"A1:O3\""), "{sheet}");
        assert!(sheet.contains("ySplit=\"1\"") && sheet.contains("state=\"frozen\""));
        assert!(sheet.contains("<cols>"), "columns fitted");
        assert!(!sheet.contains("<f>"), "no formula");
        let strings = part(&bytes, "xl/sharedStrings.xml");
        assert!(strings.contains("=HYPERLINK("), "kept as text: {strings}");
        assert!(strings.contains("Nom affiché") && strings.contains("Awa Diallo"));
        let styles = part(&bytes, "xl/styles.xml");
        assert!(styles.contains("<b/>"), "bold header");
    }

    #[test]
    fn long_cells_are_cut_to_what_excel_holds() {
        let long = "é".repeat(40_000);
        assert_eq!(fit_in_cell(&long).chars().count(), MAX_CELL);
        let emoji = "😀".repeat(20_000);
        assert_eq!(fit_in_cell(&emoji).encode_utf16().count(), MAX_CELL - 1);
        assert!(xlsx(&HEADERS, &[vec![long]]).is_ok());
    }
}
