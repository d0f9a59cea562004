//! Reading the file as text: its encoding (a byte order mark, UTF-8, else
//! Windows-1252), its separator, the line a spreadsheet shows for each
//! record, and the header line.

use std::borrow::Cow;

use super::Problem;

/// The text of the file and the name of its encoding: a byte order mark
/// decides; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252
/// (what French Excel writes for « CSV (séparateur : point-virgule) »).
pub(super) fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let body = &bytes[bom..];
        let name = if encoding == encoding_rs::UTF_8 {
            "UTF-8"
        } else if encoding == encoding_rs::UTF_16LE {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return (encoding.decode_without_bom_handling(body).0, name);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), "UTF-8"),
        Err(_) => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0,
            "Windows-1252",
        ),
    }
}

/// The separator the header line uses most (outside quotes): `;` (French
/// Excel), `,` or tab. `;` when the header has none.
pub(super) fn detect_separator(text: &str) -> char {
    let header = text
        .split('\n')
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let (mut semicolons, mut commas, mut tabs) = (0, 0, 0);
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => semicolons += 1,
            ',' if !quoted => commas += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons >= commas && semicolons >= tabs {
        ';'
    } else if tabs >= commas {
        '\t'
    } else {
        ','
    }
}

/// Spreadsheet line numbers. The reader's own line count lags behind after
/// CRLF and skipped empty lines, so lines are counted here from the byte
/// where each record starts; a spreadsheet shows a quoted cell with line
/// breaks on one line, so those breaks are not counted.
pub(super) struct Lines<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the line breaks among them.
    counted: usize,
    breaks: usize,
    /// Line breaks inside the cells read so far.
    embedded: usize,
}

impl<'a> Lines<'a> {
    pub(super) fn new(text: &'a [u8]) -> Self {
        Lines {
            text,
            counted: 0,
            breaks: 0,
            embedded: 0,
        }
    }

    /// The line of the record starting at (or just before, for the line
    /// ends left over from the previous record) `byte`.
    pub(super) fn at(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while start < self.text.len() && matches!(self.text[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted {
            self.breaks += self.text[self.counted..start]
                .iter()
                .filter(|b| **b == b'\n')
                .count();
            self.counted = start;
        }
        (self.breaks + 1).saturating_sub(self.embedded)
    }

    pub(super) fn of(&mut self, record: &csv::StringRecord) -> usize {
        let line = self.at(record.position().map_or(0, csv::Position::byte));
        self.embedded += record
            .iter()
            .map(|c| c.bytes().filter(|b| *b == b'\n').count())
            .sum::<usize>();
        line
    }
}

pub(super) fn unreadable(line: usize, e: &csv::Error) -> Problem {
    Problem {
        line,
        column: None,
        message: format!(
            "Cette ligne ne peut pas être lue ({e}). Enregistrez le fichier à nouveau au format CSV \
             depuis le tableur."
        ),
    }
}

pub(super) fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}

/// The records of the file, as the csv reader gives them.
pub(super) type Records<'r> = csv::StringRecordsIter<'r, &'r [u8]>;

/// The header: the first line that is not empty, and its line number; an
/// empty or unreadable file is a problem on line 1.
pub(super) fn header_line(
    records: &mut Records<'_>,
    lines: &mut Lines<'_>,
) -> Result<(usize, csv::StringRecord), Problem> {
    loop {
        match records.next() {
            None => {
                return Err(Problem {
                    line: 1,
                    column: None,
                    message: "Le fichier est vide. Sa première ligne doit donner les noms des \
                              colonnes, par exemple : nom;prénom;e-mail;rôle;départements."
                        .into(),
                });
            }
            Some(Err(e)) => return Err(unreadable(1, &e)),
            Some(Ok(record)) => {
                let line = lines.of(&record);
                if !is_blank(&record) {
                    return Ok((line, record));
                }
            }
        }
    }
}
