//! The directory spreadsheets coordinators keep today, read as French office
//! software exports them: UTF-8 with or without a byte order mark, or
//! Windows-1252 (and UTF-16 with its mark, Excel's « texte Unicode »); `;`,
//! `,` or tab between cells; quoted cells that hold line breaks; empty lines.
//!
//! [`parse`] is pure (no I/O, no clock): it checks every row and reports every
//! problem with the line a spreadsheet shows (the header is line 1), the
//! column as named in the file, and what to do, in French. Writing the rows
//! is `epop_store::directory_import::apply`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;
use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};
use epop_domain::text::{fold, slugify};
use epop_domain::{DepartmentCode, Email};

/// Longest first name, last name, and both together.
pub const MAX_NAME_CHARS: usize = 100;
/// Longest organisation name (the organisation rules' limit).
pub const MAX_ORGANISATION_CHARS: usize = 200;
/// Longest other cell.
pub const MAX_TEXT_CHARS: usize = 500;

/// One valid row, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line a spreadsheet shows (the header is line 1).
    pub line: usize,
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    /// « Prénom Nom », trimmed.
    pub display_name: String,
    pub phone: Option<String>,
    pub kind: ProfileKind,
    pub organisation: Option<String>,
    /// Département codes, in the file's order (the first is the home one), no repeats.
    pub departments: Vec<String>,
    pub interventions: Vec<InterventionKind>,
    /// Words as written (repeats removed).
    pub themes: Vec<String>,
    pub formats: Vec<Format>,
    pub trained_on: Option<NaiveDate>,
    /// Members-only when the column is absent or the cell empty.
    pub visibility: Visibility,
    /// Whether the file said the visibility (column present, cell not
    /// empty). When it did not, an existing profile keeps its own.
    pub visibility_given: bool,
}

/// Something to fix in the file before it can be imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The line a spreadsheet shows (the header is line 1).
    pub line: usize,
    /// The column's name as written in the file's header.
    pub column: Option<String>,
    /// What is wrong and what to do, in French.
    pub message: String,
}

impl fmt::Display for Problem {
    /// `ligne 12, colonne « départements » : …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "ligne {}, colonne « {c} » : {}", self.line, self.message),
            None => write!(f, "ligne {} : {}", self.line, self.message),
        }
    }
}

/// What [`parse`] found in a file.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The rows without any problem.
    pub rows: Vec<ImportRow>,
    /// Every problem of every row, in the file's order.
    pub problems: Vec<Problem>,
    /// `"UTF-8"`, `"Windows-1252"`, `"UTF-16LE"` or `"UTF-16BE"`.
    pub encoding: &'static str,
    /// `;`, `,` or tab.
    pub separator: char,
    /// Data lines read: not empty, header not counted (valid or not).
    pub total_lines: usize,
    /// Header cells that name no known column (their cells are not read).
    pub ignored_columns: Vec<String>,
}

/// The columns the import knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    LastName,
    FirstName,
    Email,
    Phone,
    Role,
    Organisation,
    Departments,
    Interventions,
    Themes,
    Formats,
    TrainedOn,
    Visibility,
}

impl Field {
    const ALL: [Field; 12] = [
        Field::LastName,
        Field::FirstName,
        Field::Email,
        Field::Phone,
        Field::Role,
        Field::Organisation,
        Field::Departments,
        Field::Interventions,
        Field::Themes,
        Field::Formats,
        Field::TrainedOn,
        Field::Visibility,
    ];

    /// The name docs/import.md documents.
    fn name(self) -> &'static str {
        match self {
            Field::LastName => "nom",
            Field::FirstName => "prénom",
            Field::Email => "e-mail",
            Field::Phone => "téléphone",
            Field::Role => "rôle",
            Field::Organisation => "organisation",
            Field::Departments => "départements",
            Field::Interventions => "interventions",
            Field::Themes => "thèmes",
            Field::Formats => "formats",
            Field::TrainedOn => "formé le",
            Field::Visibility => "visibilité",
        }
    }

    /// Header keys accepted (see [`header_key`]).
    fn keys(self) -> &'static [&'static str] {
        match self {
            Field::LastName => &["nom", "noms", "nomdefamille", "nomdusage"],
            Field::FirstName => &["prenom", "prenoms"],
            Field::Email => &[
                "email",
                "emails",
                "mail",
                "courriel",
                "adresseemail",
                "adressemail",
                "adressecourriel",
                "adresseelectronique",
            ],
            Field::Phone => &[
                "telephone",
                "tel",
                "telephoneportable",
                "portable",
                "numerodetelephone",
            ],
            Field::Role => &["role", "roles", "profil", "typedeprofil"],
            Field::Organisation => &["organisation", "organisme", "structure", "etablissement"],
            Field::Departments => &[
                "departements",
                "departement",
                "departementscouverts",
                "dept",
                "depts",
            ],
            Field::Interventions => &[
                "interventions",
                "intervention",
                "typesdintervention",
                "typedintervention",
                "typesdinterventions",
            ],
            Field::Themes => &["themes", "theme", "thematiques", "thematique"],
            Field::Formats => &["formats", "format", "modalites", "modalite"],
            Field::TrainedOn => &[
                "formele",
                "formeele",
                "datedeformation",
                "dateformation",
                "formationle",
            ],
            Field::Visibility => &["visibilite", "visibilitedelafiche"],
        }
    }

    fn from_header(header: &str) -> Option<Field> {
        let key = header_key(header);
        Self::ALL
            .into_iter()
            .find(|f| f.keys().contains(&key.as_str()))
    }
}

/// A header folded to what matters: no case, no accents, no spaces,
/// hyphens, underscores or other marks, nothing in parentheses
/// (« E-MAIL », « Adresse e-mail », « formé(e) le », « Départements (codes) »).
fn header_key(header: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in fold(header).chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 && c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads a directory spreadsheet. Never fails: whatever is wrong is in
/// [`Parsed::problems`], and [`Parsed::rows`] holds the rows without any.
pub fn parse(bytes: &[u8]) -> Parsed {
    let (text, encoding) = decode(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let separator = detect_separator(text);
    let mut parsed = Parsed {
        rows: Vec::new(),
        problems: Vec::new(),
        encoding,
        separator,
        total_lines: 0,
        ignored_columns: Vec::new(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator as u8)
        .from_reader(text.as_bytes());
    let mut lines = Lines::new(text.as_bytes());
    let mut records = reader.records();

    // The header: the first line that is not empty.
    let (header_line, header) = loop {
        match records.next() {
            None => {
                parsed.problems.push(Problem {
                    line: 1,
                    column: None,
                    message: "Le fichier est vide. Sa première ligne doit donner les noms des \
                              colonnes, par exemple : nom;prénom;e-mail;rôle;départements."
                        .into(),
                });
                return parsed;
            }
            Some(Err(e)) => {
                parsed.problems.push(unreadable(1, &e));
                return parsed;
            }
            Some(Ok(record)) => {
                let line = lines.of(&record);
                if !is_blank(&record) {
                    break (line, record);
                }
            }
        }
    };
    let mut columns: HashMap<Field, (usize, String)> = HashMap::new();
    for (index, cell) in header.iter().enumerate() {
        let name = cell.trim().to_owned();
        if name.is_empty() {
            continue;
        }
        match Field::from_header(&name) {
            Some(field) => {
                if let Some((first, first_name)) = columns.get(&field) {
                    parsed.problems.push(Problem {
                        line: header_line,
                        column: Some(name.clone()),
                        message: format!(
                            "Deux colonnes disent « {} » (« {first_name} » en colonne {} et « {name} » \
                             en colonne {}) : gardez-en une seule.",
                            field.name(),
                            column_letter(*first),
                            column_letter(index),
                        ),
                    });
                } else {
                    columns.insert(field, (index, name));
                }
            }
            None => parsed.ignored_columns.push(name),
        }
    }
    let mut missing = Vec::new();
    if !columns.contains_key(&Field::Email) {
        missing.push(Field::Email);
    }
    if !columns.contains_key(&Field::LastName) && !columns.contains_key(&Field::FirstName) {
        missing.push(Field::LastName);
    }
    if !columns.contains_key(&Field::Role) {
        missing.push(Field::Role);
    }
    for field in missing {
        let also = match field {
            Field::LastName => " (ou une colonne « prénom »)",
            _ => "",
        };
        parsed.problems.push(Problem {
            line: header_line,
            column: Some(field.name().into()),
            message: format!(
                "La colonne « {} »{also} manque. Ajoutez-la à la première ligne du fichier \
                 (sans tenir compte des majuscules ni des accents) ; les colonnes reconnues sont : {}.",
                field.name(),
                Field::ALL.map(Field::name).join(", "),
            ),
        });
    }
    if !parsed.problems.is_empty() {
        for record in records.flatten() {
            if !is_blank(&record) {
                parsed.total_lines += 1;
            }
        }
        return parsed;
    }

    let mut seen: HashMap<Email, usize> = HashMap::new();
    for result in records {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = lines.at(e.position().map_or(0, csv::Position::byte));
                parsed.problems.push(unreadable(line, &e));
                continue;
            }
        };
        let line = lines.of(&record);
        if is_blank(&record) {
            continue;
        }
        parsed.total_lines += 1;
        let row = RowReader {
            line,
            record: &record,
            columns: &columns,
            problems: Vec::new(),
        };
        let (row, mut problems) = row.read(&mut seen);
        parsed.problems.append(&mut problems);
        if let Some(row) = row {
            parsed.rows.push(row);
        }
    }
    parsed
}

/// Spreadsheet line numbers. The reader's own line count lags behind after
/// CRLF and skipped empty lines, so lines are counted here from the byte
/// where each record starts; a spreadsheet shows a quoted cell with line
/// breaks on one line, so those breaks are not counted.
struct Lines<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the line breaks among them.
    counted: usize,
    breaks: usize,
    /// Line breaks inside the cells read so far.
    embedded: usize,
}

impl<'a> Lines<'a> {
    fn new(text: &'a [u8]) -> Self {
        Lines {
            text,
            counted: 0,
            breaks: 0,
            embedded: 0,
        }
    }

    /// The line of the record starting at (or just before, for the line
    /// ends left over from the previous record) `byte`.
    fn at(&mut self, byte: u64) -> usize {
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

    fn of(&mut self, record: &csv::StringRecord) -> usize {
        let line = self.at(record.position().map_or(0, csv::Position::byte));
        self.embedded += record
            .iter()
            .map(|c| c.bytes().filter(|b| *b == b'\n').count())
            .sum::<usize>();
        line
    }
}

fn unreadable(line: usize, e: &csv::Error) -> Problem {
    Problem {
        line,
        column: None,
        message: format!(
            "Cette ligne ne peut pas être lue ({e}). Enregistrez le fichier à nouveau au format CSV \
             depuis le tableur."
        ),
    }
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}

/// A, B, … Z, AA, AB… as spreadsheets name columns.
fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        out.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The text of the file and the name of its encoding: a byte order mark
/// decides; otherwise UTF-8 when the bytes are valid UTF-8, else Windows-1252
/// (what French Excel writes for « CSV (séparateur : point-virgule) »).
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
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
fn detect_separator(text: &str) -> char {
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

/// Reads and checks one data line.
struct RowReader<'a> {
    line: usize,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<Field, (usize, String)>,
    problems: Vec<Problem>,
}

impl RowReader<'_> {
    /// The trimmed cell of a column ("" when the column or the cell is
    /// absent). A leading apostrophe that protects a formula sign (as EPoP's
    /// own exports write it) is removed.
    fn cell(&self, field: Field) -> &str {
        let Some((index, _)) = self.columns.get(&field) else {
            return "";
        };
        let value = self.record.get(*index).unwrap_or_default().trim();
        match value.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest,
            _ => value,
        }
    }

    fn problem(&mut self, field: Field, message: String) {
        let column = self
            .columns
            .get(&field)
            .map_or_else(|| field.name().to_owned(), |(_, name)| name.clone());
        self.problems.push(Problem {
            line: self.line,
            column: Some(column),
            message,
        });
    }

    /// The cell, if it is not too long and holds no invisible characters.
    fn text(&mut self, field: Field, max: usize) -> Option<String> {
        let value = self.cell(field).to_owned();
        let n = value.chars().count();
        if n > max {
            self.problem(
                field,
                format!("Ce texte est trop long : {max} caractères au plus (il y en a {n}). Raccourcissez-le."),
            );
            return None;
        }
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            self.problem(
                field,
                "Cette cellule contient des caractères invisibles : retapez-la.".into(),
            );
            return None;
        }
        Some(value)
    }

    fn read(mut self, seen: &mut HashMap<Email, usize>) -> (Option<ImportRow>, Vec<Problem>) {
        // E-mail: the key.
        let email = match self.cell(Field::Email) {
            "" => {
                self.problem(
                    Field::Email,
                    "L’adresse e-mail manque. Chaque personne a besoin de la sienne : elle sert à la \
                     reconnaître et à l’inviter."
                        .into(),
                );
                None
            }
            value => match Email::parse(value) {
                Ok(email) => {
                    if let Some(first) = seen.get(&email) {
                        self.problem(
                            Field::Email,
                            format!(
                                "L’adresse {} est déjà utilisée ligne {first}. Une personne ne figure \
                                 qu’une fois dans le fichier : regroupez les deux lignes en une seule.",
                                quote(email.as_str())
                            ),
                        );
                    } else {
                        seen.insert(email.clone(), self.line);
                    }
                    Some(email)
                }
                Err(e) => {
                    let message = format!("L’adresse {} n’est pas valable. {}", quote(value), e.0);
                    self.problem(Field::Email, message);
                    None
                }
            },
        };

        // Names.
        let first_name = self.text(Field::FirstName, MAX_NAME_CHARS);
        let last_name = self.text(Field::LastName, MAX_NAME_CHARS);
        let mut display_name = None;
        if let (Some(first), Some(last)) = (&first_name, &last_name) {
            let name = format!("{first} {last}").trim().to_owned();
            let name_field = if self.columns.contains_key(&Field::LastName) {
                Field::LastName
            } else {
                Field::FirstName
            };
            let n = name.chars().count();
            if name.is_empty() {
                self.problem(
                    name_field,
                    "Le nom manque : écrivez au moins le nom ou le prénom (celui que la personne \
                     choisit de montrer)."
                        .into(),
                );
            } else if n > MAX_NAME_CHARS {
                self.problem(
                    name_field,
                    format!(
                        "Le prénom et le nom ensemble font {n} caractères : {MAX_NAME_CHARS} au plus. \
                         Raccourcissez-les."
                    ),
                );
            } else {
                display_name = Some(name);
            }
        }

        // Role.
        let kind = match self.cell(Field::Role) {
            "" => {
                self.problem(
                    Field::Role,
                    "Le rôle manque : écrivez « intervenant-pair » ou « référent ».".into(),
                );
                None
            }
            value => {
                let kind = parse_kind(value);
                if kind.is_none() {
                    let message = format!(
                        "Le rôle {} n’est pas connu : écrivez « intervenant-pair » (ou « pair ») \
                         ou « référent ».",
                        quote(value)
                    );
                    self.problem(Field::Role, message);
                }
                kind
            }
        };

        let phone = self.text(Field::Phone, MAX_TEXT_CHARS);
        let organisation = self.text(Field::Organisation, MAX_ORGANISATION_CHARS);

        // Lists.
        let mut departments = Vec::new();
        if let Some(cell) = self.text(Field::Departments, MAX_TEXT_CHARS) {
            for piece in split_list(&cell) {
                match resolve_departments(piece) {
                    Ok(codes) => {
                        for code in codes {
                            if !departments.contains(&code) {
                                departments.push(code);
                            }
                        }
                    }
                    Err(message) => self.problem(Field::Departments, message),
                }
            }
        }
        let mut interventions = Vec::new();
        if let Some(cell) = self.text(Field::Interventions, MAX_TEXT_CHARS) {
            for piece in split_list(&cell) {
                match InterventionKind::parse(piece) {
                    Some(k) if !interventions.contains(&k) => interventions.push(k),
                    Some(_) => {}
                    None => {
                        let message = format!(
                            "{} n’est pas un type d’intervention connu. Écrivez l’un de ceux-ci, \
                             séparés par des virgules : {}.",
                            quote(piece),
                            InterventionKind::ALL.map(InterventionKind::code).join(", ")
                        );
                        self.problem(Field::Interventions, message);
                    }
                }
            }
        }
        let mut themes: Vec<String> = Vec::new();
        if let Some(cell) = self.text(Field::Themes, MAX_TEXT_CHARS) {
            for piece in split_list(&cell) {
                if !themes.iter().any(|t| fold(t) == fold(piece)) {
                    themes.push(piece.to_owned());
                }
            }
        }
        let mut formats = Vec::new();
        if let Some(cell) = self.text(Field::Formats, MAX_TEXT_CHARS) {
            for piece in split_formats(&cell) {
                match Format::parse(piece) {
                    Some(f) if !formats.contains(&f) => formats.push(f),
                    Some(_) => {}
                    None => {
                        let message = format!(
                            "{} n’est pas un format connu : écrivez « sur place », « à distance », \
                             ou les deux séparés par une virgule.",
                            quote(piece)
                        );
                        self.problem(Field::Formats, message);
                    }
                }
            }
        }
        formats.sort();

        // Training date.
        let trained_on = match self.cell(Field::TrainedOn) {
            "" => None,
            value => match parse_date(value) {
                Ok(d) => Some(d),
                Err(message) => {
                    self.problem(Field::TrainedOn, message);
                    None
                }
            },
        };

        // Visibility.
        let (visibility, visibility_given) = match self.cell(Field::Visibility) {
            "" => (Some(Visibility::Members), false),
            value => {
                let v = Visibility::parse_fr(value);
                if v.is_none() {
                    let message = format!(
                        "La visibilité {} n’est pas connue : écrivez « public », « membres » ou \
                         « masqué » (une cellule vide veut dire « membres »).",
                        quote(value)
                    );
                    self.problem(Field::Visibility, message);
                }
                (v, true)
            }
        };

        if !self.problems.is_empty() {
            return (None, self.problems);
        }
        let (Some(email), Some(display_name), Some(kind), Some(visibility)) =
            (email, display_name, kind, visibility)
        else {
            return (None, self.problems);
        };
        let row = ImportRow {
            line: self.line,
            email,
            first_name: first_name.unwrap_or_default(),
            last_name: last_name.unwrap_or_default(),
            display_name,
            phone: phone.filter(|p| !p.is_empty()),
            kind,
            organisation: organisation.filter(|o| !o.is_empty()),
            departments,
            interventions,
            themes,
            formats,
            trained_on,
            visibility,
            visibility_given,
        };
        (Some(row), self.problems)
    }
}

/// A value quoted for a message, cut if long.
fn quote(value: &str) -> String {
    let mut v: String = value.chars().take(60).collect();
    if v.len() < value.len() {
        v.push('…');
    }
    format!("« {v} »")
}

/// The pieces of a list cell: separated by `,` `;` `/` `|` or line breaks.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', ';', '/', '|', '\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Formats may also be joined by « et » / « ou » (« sur place et à distance »).
fn split_formats(cell: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in split_list(cell) {
        let mut rest = piece;
        loop {
            let lower = rest.to_lowercase();
            match [" et ", " ou ", " + "]
                .iter()
                .filter_map(|sep| lower.find(sep).map(|i| (i, sep.len())))
                .min()
            {
                Some((i, len)) if rest.is_char_boundary(i) && rest.is_char_boundary(i + len) => {
                    out.push(rest[..i].trim());
                    rest = &rest[i + len..];
                }
                _ => {
                    out.push(rest.trim());
                    break;
                }
            }
        }
    }
    out.retain(|p| !p.is_empty());
    out
}

/// `intervenant-pair`, `pair`, `intervenante-paire`… or `référent`, `référente`.
fn parse_kind(value: &str) -> Option<ProfileKind> {
    let key: String = fold(value)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    let peer = matches!(key.as_str(), "pair" | "paire" | "pairs" | "paires" | "peer")
        || key.starts_with("intervenant") && (key.ends_with("pair") || key.ends_with("paire"));
    let referent = matches!(
        key.as_str(),
        "referent" | "referente" | "referents" | "referentes"
    );
    if peer {
        Some(ProfileKind::Peer)
    } else if referent {
        Some(ProfileKind::Referent)
    } else {
        None
    }
}

/// `JJ/MM/AAAA` (also with `-` or `.`, and a time « 00:00 » after it, as
/// some exports add) or `AAAA-MM-JJ`.
fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let help = format!(
        "La date {} n’est pas comprise : écrivez-la JJ/MM/AAAA (par exemple 15/03/2024) ou \
         AAAA-MM-JJ (2024-03-15).",
        quote(value)
    );
    let date = value.split_whitespace().next().unwrap_or_default();
    let parts: Vec<&str> = date.split(['/', '-', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(help);
    };
    let number = |s: &str, min: usize, max: usize| {
        (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (year, month, day) = if let Some(y) = number(a, 4, 4) {
        (Some(y), number(b, 1, 2), number(c, 1, 2))
    } else {
        (number(c, 4, 4), number(b, 1, 2), number(a, 1, 2))
    };
    let (Some(year), Some(month), Some(day)) = (year, month, day) else {
        return Err(help);
    };
    if !(1950..=2100).contains(&year) {
        return Err(format!(
            "L’année {year} ne convient pas pour une date de formation : vérifiez la date {}.",
            quote(value)
        ));
    }
    let Ok(year) = i32::try_from(year) else {
        return Err(help);
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        format!(
            "La date {} n’existe pas dans le calendrier : vérifiez le jour et le mois.",
            quote(value)
        )
    })
}

/// Départements and regions by their names, read once from the migration
/// that loads them into the database.
struct Territories {
    /// département slug (and slug without « la-/le-/les- ») → code
    department_by_slug: HashMap<String, String>,
    /// code → département slug
    slug_by_code: HashMap<String, String>,
    /// region slug → name
    regions: HashMap<String, String>,
}

static TERRITORIES: LazyLock<Territories> = LazyLock::new(|| {
    let sql = include_str!("../../epop-store/migrations/common/0002_territories.sql");
    let mut t = Territories {
        department_by_slug: HashMap::new(),
        slug_by_code: HashMap::new(),
        regions: HashMap::new(),
    };
    let mut table = "";
    for line in sql.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("INSERT INTO ") {
            table = rest.split_whitespace().next().unwrap_or_default();
            continue;
        }
        if !line.starts_with('(') {
            continue;
        }
        let values = sql_strings(line);
        match (table, values.as_slice()) {
            ("departments", [code, name, ..]) => {
                let slug = slugify(name);
                for prefix in ["la-", "le-", "les-"] {
                    if let Some(short) = slug.strip_prefix(prefix) {
                        t.department_by_slug.insert(short.to_owned(), code.clone());
                    }
                }
                t.department_by_slug.insert(slug.clone(), code.clone());
                t.slug_by_code.insert(code.clone(), slug);
            }
            ("regions", [_, name, ..]) => {
                t.regions.insert(slugify(name), name.clone());
            }
            _ => {}
        }
    }
    t
});

/// The quoted strings of one SQL `VALUES` tuple (`''` is a quote).
fn sql_strings(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut s = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    s.push('\'');
                } else {
                    break;
                }
            } else {
                s.push(c);
            }
        }
        out.push(s);
    }
    out
}

/// A département code from what a spreadsheet holds: « 31 », « 9 » (the
/// leading zero a spreadsheet dropped), « 2a », « Haute-Garonne », « haute
/// garonne », « 31 - Haute-Garonne », « Haute-Garonne (31) ».
fn department_code(piece: &str) -> Option<String> {
    let t = &*TERRITORIES;
    let piece = piece.trim();
    let padded = if piece.len() == 1 && piece.as_bytes()[0].is_ascii_digit() {
        format!("0{piece}")
    } else {
        piece.to_owned()
    };
    if let Ok(code) = DepartmentCode::parse(&padded) {
        return Some(code.as_str().to_owned());
    }
    let slug = slugify(piece);
    if let Some(code) = t.department_by_slug.get(&slug) {
        return Some(code.clone());
    }
    // A code and the name together, in either order.
    let code_with_name = |code: &str, name: &str| {
        let code = department_code_only(code)?;
        (t.slug_by_code.get(&code)? == name || t.department_by_slug.get(name) == Some(&code))
            .then_some(code)
    };
    if let Some((code, name)) = slug.split_once('-')
        && let Some(found) = code_with_name(code, name)
    {
        return Some(found);
    }
    if let Some((name, code)) = slug.rsplit_once('-') {
        return code_with_name(code, name);
    }
    None
}

fn department_code_only(s: &str) -> Option<String> {
    let s = if s.len() == 1 {
        format!("0{s}")
    } else {
        s.to_owned()
    };
    DepartmentCode::parse(&s)
        .ok()
        .map(|c| c.as_str().to_owned())
}

/// One piece of a départements cell: one département, or several codes
/// separated by spaces (« 31 09 34 »). The message says what to do.
fn resolve_departments(piece: &str) -> Result<Vec<String>, String> {
    if let Some(code) = department_code(piece) {
        return Ok(vec![code]);
    }
    let words: Vec<&str> = piece.split_whitespace().collect();
    if words.len() > 1 {
        let codes: Option<Vec<String>> = words.iter().map(|w| department_code_only(w)).collect();
        if let Some(codes) = codes {
            return Ok(codes);
        }
    }
    let looks_like_code = piece.len() <= 3 && piece.bytes().all(|b| b.is_ascii_alphanumeric());
    if let Some(region) = TERRITORIES.regions.get(&slugify(piece)) {
        return Err(format!(
            "« {region} » est une région, pas un département : écrivez les départements couverts, \
             par leur numéro ou leur nom, séparés par des virgules."
        ));
    }
    if looks_like_code && piece.bytes().any(|b| b.is_ascii_digit()) {
        return Err(format!(
            "Le département {} n’existe pas. Écrivez son numéro (31 pour la Haute-Garonne, 2A \
             pour la Corse-du-Sud, 974 pour La Réunion) ou son nom.",
            quote(piece)
        ));
    }
    Err(format!(
        "Le département {} n’est pas connu. Écrivez son numéro (par exemple 31) ou son nom exact \
         (par exemple Haute-Garonne) ; séparez plusieurs départements par des virgules.",
        quote(piece)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "nom;prénom;e-mail;téléphone;rôle;organisation;départements;interventions;thèmes;formats;formé le;visibilité";

    fn one(parsed: &Parsed) -> &ImportRow {
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
        assert_eq!(parsed.rows.len(), 1);
        &parsed.rows[0]
    }

    #[test]
    fn utf8_with_bom_and_semicolons() {
        let file = format!(
            "\u{feff}{HEADER}\r\nDiallo;Awa;Awa.Diallo@Exemple.fr;06 12 34 56 78;intervenante-paire;\
             Trisomie 21 France;31, Ariège;former, sensibiliser;santé mentale, emploi;sur place, à distance;\
             15/03/2024;public\r\n"
        );
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.encoding, "UTF-8");
        assert_eq!(parsed.separator, ';');
        assert_eq!(parsed.total_lines, 1);
        let row = one(&parsed);
        assert_eq!(row.line, 2);
        assert_eq!(row.email.as_str(), "awa.diallo@exemple.fr");
        assert_eq!(row.display_name, "Awa Diallo");
        assert_eq!(row.phone.as_deref(), Some("06 12 34 56 78"));
        assert_eq!(row.kind, ProfileKind::Peer);
        assert_eq!(row.organisation.as_deref(), Some("Trisomie 21 France"));
        assert_eq!(row.departments, vec!["31", "09"]);
        assert_eq!(
            row.interventions,
            vec![
                InterventionKind::TrainingProfessionals,
                InterventionKind::Awareness
            ]
        );
        assert_eq!(row.themes, vec!["santé mentale", "emploi"]);
        assert_eq!(row.formats, vec![Format::OnSite, Format::Remote]);
        assert_eq!(row.trained_on, NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(row.visibility, Visibility::Public);
        assert!(row.visibility_given);
    }

    #[test]
    fn utf8_without_bom_and_commas() {
        let file = "Nom,Prénom,E-mail,Rôle,Départements,Formé le\n\
                    Ferrand,Julie,julie@exemple.fr,référente,\"haute garonne, 32\",2023-11-02\n";
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.encoding, "UTF-8");
        assert_eq!(parsed.separator, ',');
        let row = one(&parsed);
        assert_eq!(row.kind, ProfileKind::Referent);
        assert_eq!(row.departments, vec!["31", "32"]);
        assert_eq!(row.trained_on, NaiveDate::from_ymd_opt(2023, 11, 2));
        assert_eq!(
            row.visibility,
            Visibility::Members,
            "members-only by default"
        );
        assert!(!row.visibility_given);
        assert!(row.phone.is_none() && row.organisation.is_none());
    }

    #[test]
    fn windows_1252_with_semicolons() {
        let text = "Nom;Prénom;Courriel;Rôle;Départements;Thèmes;Visibilité\r\n\
                    Hélène;Garçon;helene@exemple.fr;Référente;Hérault / Pyrénées-Orientales;Accès à l’emploi;masqué\r\n";
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
        let parsed = parse(&bytes);
        assert_eq!(parsed.encoding, "Windows-1252");
        assert_eq!(parsed.separator, ';');
        let row = one(&parsed);
        assert_eq!(row.first_name, "Garçon");
        assert_eq!(row.display_name, "Garçon Hélène");
        assert_eq!(row.departments, vec!["34", "66"]);
        assert_eq!(row.themes, vec!["Accès à l’emploi"]);
        assert_eq!(row.visibility, Visibility::Hidden);
    }

    #[test]
    fn utf16_with_bom_and_tabs() {
        let text = "nom\tprénom\te-mail\trôle\nRoux\tThomas\tthomas@exemple.fr\tpair\n";
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let parsed = parse(&bytes);
        assert_eq!(parsed.encoding, "UTF-16LE");
        assert_eq!(parsed.separator, '\t');
        assert_eq!(one(&parsed).display_name, "Thomas Roux");
    }

    #[test]
    fn quoted_cell_with_line_breaks_keeps_spreadsheet_line_numbers() {
        let file = "nom;prénom;e-mail;rôle;thèmes;départements\n\
                    Roux;Thomas;thomas@exemple.fr;pair;\"emploi\nlogement\r\nsanté\";09\n\
                    Haddad;Nadia;nadia@exemple.fr;pair;;99\n";
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].themes, vec!["emploi", "logement", "santé"]);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(
            parsed.problems[0].line, 3,
            "a spreadsheet shows the quoted cell on one line"
        );
    }

    #[test]
    fn headers_match_without_case_accents_or_hyphens() {
        let file = "E-MAIL;Prenom;NOM;Role;Departements;Type_d'intervention;FORMAT;Forme(e) le;VISIBILITE;Commentaire\n\
                    a@exemple.fr;Awa;Diallo;Pair;31;Accompagner;Visio;1/2/2024;Membres;à rappeler\n";
        let parsed = parse(file.as_bytes());
        let row = one(&parsed);
        assert_eq!(row.display_name, "Awa Diallo");
        assert_eq!(row.departments, vec!["31"]);
        assert_eq!(row.interventions, vec![InterventionKind::PeerSupport]);
        assert_eq!(row.formats, vec![Format::Remote]);
        assert_eq!(row.trained_on, NaiveDate::from_ymd_opt(2024, 2, 1));
        assert_eq!(parsed.ignored_columns, vec!["Commentaire"]);
        for header in [
            "adresse e-mail",
            "Adresse_Email",
            "COURRIEL",
            "email",
            "E-mail",
        ] {
            assert_eq!(Field::from_header(header), Some(Field::Email), "{header}");
        }
        assert_eq!(Field::from_header("Prénom"), Some(Field::FirstName));
        assert_eq!(Field::from_header("Nom"), Some(Field::LastName));
        assert_eq!(Field::from_header("formé le"), Some(Field::TrainedOn));
        assert_eq!(Field::from_header("Thèmes"), Some(Field::Themes));
        assert_eq!(Field::from_header("Téléphone"), Some(Field::Phone));
    }

    #[test]
    fn missing_required_columns_are_one_problem_each_on_line_1_and_no_rows() {
        let parsed = parse("prénom;téléphone\nAwa;06\n".as_bytes());
        assert!(parsed.rows.is_empty());
        let columns: Vec<_> = parsed
            .problems
            .iter()
            .map(|p| (p.line, p.column.clone().unwrap()))
            .collect();
        assert_eq!(
            columns,
            vec![(1, "e-mail".to_string()), (1, "rôle".to_string())]
        );
        assert_eq!(parsed.total_lines, 1);
        let parsed = parse("e-mail;rôle\n".as_bytes());
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("prénom"));
        let parsed = parse(b"");
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].message.contains("vide"));
    }

    #[test]
    fn duplicate_emails_name_the_first_line() {
        let file =
            "nom;e-mail;rôle\nA;x@exemple.fr;pair\nB;y@exemple.fr;pair\nC;X@Exemple.FR;référent\n";
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.problems.len(), 1);
        let p = &parsed.problems[0];
        assert_eq!(p.line, 4);
        assert_eq!(p.column.as_deref(), Some("e-mail"));
        assert!(p.message.contains("déjà utilisée ligne 2"), "{}", p.message);
    }

    #[test]
    fn unknown_departements_say_line_column_and_what_to_do() {
        let file = "nom;e-mail;rôle;Départements\n\
                    A;a@exemple.fr;pair;31, Haute-Garone\n\
                    B;b@exemple.fr;pair;99;\n\
                    C;c@exemple.fr;pair;Occitanie\n\
                    D;d@exemple.fr;pair;31 09 34\n\
                    E;e@exemple.fr;pair;9 - Ariège, Corse-du-Sud (2A), la réunion, 2b\n";
        let parsed = parse(file.as_bytes());
        let messages: Vec<String> = parsed.problems.iter().map(Problem::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[0].starts_with("ligne 2, colonne « Départements » : "));
        assert!(messages[0].contains("« Haute-Garone »") && messages[0].contains("31"));
        assert!(messages[1].starts_with("ligne 3, colonne « Départements » : "));
        assert!(messages[1].contains("« 99 » n’existe pas"));
        assert!(messages[2].starts_with("ligne 4, "));
        assert!(messages[2].contains("est une région"));
        assert_eq!(parsed.rows.len(), 2);
        assert_eq!(parsed.rows[0].departments, vec!["31", "09", "34"]);
        assert_eq!(parsed.rows[1].departments, vec!["09", "2A", "974", "2B"]);
    }

    #[test]
    fn every_problem_of_a_row_is_reported() {
        let file = format!(
            "{HEADER}\n;;pas-une-adresse;;chef;{};31;voler;;hybride;31/02/2024;secret\n",
            "o".repeat(201)
        );
        let parsed = parse(file.as_bytes());
        assert!(parsed.rows.is_empty());
        let columns: Vec<&str> = parsed
            .problems
            .iter()
            .map(|p| p.column.as_deref().unwrap())
            .collect();
        assert_eq!(
            columns,
            vec![
                "e-mail",
                "nom",
                "rôle",
                "organisation",
                "interventions",
                "formats",
                "formé le",
                "visibilité"
            ]
        );
        assert!(parsed.problems.iter().all(|p| p.line == 2));
        let long = format!("nom;e-mail;rôle\n{};a@exemple.fr;pair\n", "n".repeat(101));
        let parsed = parse(long.as_bytes());
        assert!(
            parsed.problems[0]
                .message
                .contains("100 caractères au plus")
        );
    }

    #[test]
    fn empty_lines_are_skipped_and_counted_as_a_spreadsheet_does() {
        let file = "\nnom;e-mail;rôle\n\n;;\nA;a@exemple.fr;pair\n   \n\nB;b@exemple.fr;ref\n";
        let parsed = parse(file.as_bytes());
        assert_eq!(parsed.total_lines, 2);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].line, 5);
        assert_eq!(parsed.problems.len(), 1);
        assert_eq!(parsed.problems[0].line, 8);
        assert_eq!(parsed.problems[0].column.as_deref(), Some("rôle"));
    }

    #[test]
    fn dates_and_kinds() {
        let d = |s| parse_date(s);
        assert_eq!(
            d("05/09/2024"),
            Ok(NaiveDate::from_ymd_opt(2024, 9, 5).unwrap())
        );
        assert_eq!(
            d("2024-09-05"),
            Ok(NaiveDate::from_ymd_opt(2024, 9, 5).unwrap())
        );
        assert_eq!(
            d("5/9/2024 00:00"),
            Ok(NaiveDate::from_ymd_opt(2024, 9, 5).unwrap())
        );
        assert!(d("05/09/24").unwrap_err().contains("JJ/MM/AAAA"));
        assert!(d("30/02/2024").unwrap_err().contains("n’existe pas"));
        assert!(d("demain").is_err());
        for peer in [
            "intervenant-pair",
            "Pair",
            "intervenante-paire",
            "Intervenant·e pair·e",
        ] {
            assert_eq!(parse_kind(peer), Some(ProfileKind::Peer), "{peer}");
        }
        for referent in ["référent", "Référente", "REFERENT"] {
            assert_eq!(parse_kind(referent), Some(ProfileKind::Referent));
        }
        assert_eq!(parse_kind("coordinateur"), None);
        assert_eq!(
            split_formats("Sur place et à distance"),
            vec!["Sur place", "à distance"]
        );
    }

    #[test]
    fn formula_protection_of_our_own_exports_is_removed() {
        let file = "nom;e-mail;rôle;téléphone\nA;a@exemple.fr;pair;'+33 6 12 34 56 78\n";
        assert_eq!(
            one(&parse(file.as_bytes())).phone.as_deref(),
            Some("+33 6 12 34 56 78")
        );
    }

    #[test]
    fn territory_table_is_complete() {
        assert_eq!(TERRITORIES.slug_by_code.len(), 101);
        assert_eq!(TERRITORIES.regions.len(), 18);
        assert_eq!(department_code("Côtes-d’Armor").as_deref(), Some("22"));
        assert_eq!(department_code("cotes d armor").as_deref(), Some("22"));
        assert_eq!(department_code("Seine-Saint-Denis").as_deref(), Some("93"));
    }

    #[test]
    fn ten_thousand_rows() {
        let mut file = String::from(HEADER);
        file.push('\n');
        let codes = ["31", "09", "Hérault", "80", "2A", "974", "Gironde"];
        for i in 0..10_000 {
            file.push_str(&format!(
                "Nom{i};Prénom{i};personne{i}@exemple.fr;06 00 00 {:02} {:02};{};Asso {};{}, {};former;emploi, thème {};sur place;01/0{}/2024;{}\n",
                i % 100,
                i / 100 % 100,
                if i % 3 == 0 { "référent" } else { "pair" },
                i % 7,
                codes[i % 7],
                codes[(i + 1) % 7],
                i % 5,
                i % 9 + 1,
                ["public", "membres", "masqué", ""][i % 4],
            ));
        }
        let started = std::time::Instant::now();
        let parsed = parse(file.as_bytes());
        assert!(parsed.problems.is_empty(), "{:?}", &parsed.problems[..1]);
        assert_eq!(parsed.rows.len(), 10_000);
        assert_eq!(parsed.total_lines, 10_000);
        assert_eq!(parsed.rows[9_999].line, 10_001);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
}
