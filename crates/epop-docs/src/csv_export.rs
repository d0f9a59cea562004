//! CSV that French Excel opens as it is: `;` separator, UTF-8 with a byte
//! order mark, CRLF line ends, every field quoted when needed.

/// A table as CSV bytes.
pub fn table<I, R>(headers: &[&str], rows: I) -> Result<Vec<u8>, csv::Error>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = String>,
{
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(headers)?;
        for row in rows {
            w.write_record(row.into_iter().map(|cell| neutralise_formula(&cell)))?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// A cell starting with `=`, `+`, `-` or `@` would run as a formula in a
/// spreadsheet (CSV injection): prefix it with an apostrophe.
fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_semicolons_quotes_and_formulas() {
        let bytes = table(
            &["date", "détail"],
            vec![
                vec![
                    "23/11/2026".to_string(),
                    "Connexion; puis \"départ\"\nfin".to_string(),
                ],
                vec!["x".into(), "=1+1".into()],
            ],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with('\u{feff}'));
        let body = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(body.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][1], "Connexion; puis \"départ\"\nfin");
        assert_eq!(&rows[1][1], "'=1+1");
        assert!(body.contains("\r\n"));
    }
}
