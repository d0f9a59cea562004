//! Each data line read and checked, one step per kind of column (e-mail,
//! names, role, lists, training date, visibility), every problem with its
//! line and column; and the reading of the cells (lists, formats, roles,
//! dates).

use std::collections::HashMap;

use chrono::NaiveDate;
use epop_domain::Email;
use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};
use epop_domain::text::fold;

use super::columns::{Columns, Field};
use super::reading::{Lines, Records, is_blank, unreadable};
use super::territories::resolve_departments;
use super::{
    ImportRow, MAX_NAME_CHARS, MAX_ORGANISATION_CHARS, MAX_TEXT_CHARS, Parsed, Problem, quote,
};

/// Reads and checks each data line after the header, into `parsed`.
pub(super) fn read_rows(
    records: Records<'_>,
    lines: &mut Lines<'_>,
    columns: &Columns,
    parsed: &mut Parsed,
) {
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
            columns,
            problems: Vec::new(),
        };
        let (row, mut problems) = row.read(&mut seen);
        parsed.problems.append(&mut problems);
        if let Some(row) = row {
            parsed.rows.push(row);
        }
    }
}

/// Reads and checks one data line.
struct RowReader<'a> {
    line: usize,
    record: &'a csv::StringRecord,
    columns: &'a Columns,
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
        let email = self.email(seen);
        let first_name = self.text(Field::FirstName, MAX_NAME_CHARS);
        let last_name = self.text(Field::LastName, MAX_NAME_CHARS);
        let display_name = self.display_name(first_name.as_deref(), last_name.as_deref());
        let kind = self.kind();
        let phone = self.text(Field::Phone, MAX_TEXT_CHARS);
        let organisation = self.text(Field::Organisation, MAX_ORGANISATION_CHARS);
        let departments = self.departments();
        let interventions = self.interventions();
        let themes = self.themes();
        let formats = self.formats();
        let trained_on = self.trained_on();
        let (visibility, visibility_given) = self.visibility();
        let easy_emails = self.easy_emails();
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
            easy_emails,
        };
        (Some(row), self.problems)
    }

    /// The e-mail, the key: present, valid, and not on an earlier line
    /// (`seen` holds the line of each address read so far).
    fn email(&mut self, seen: &mut HashMap<Email, usize>) -> Option<Email> {
        match self.cell(Field::Email) {
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
        }
    }

    /// « Prénom Nom », when both cells are valid: not empty, not too long.
    fn display_name(&mut self, first: Option<&str>, last: Option<&str>) -> Option<String> {
        let (Some(first), Some(last)) = (first, last) else {
            return None;
        };
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
            None
        } else if n > MAX_NAME_CHARS {
            self.problem(
                name_field,
                format!(
                    "Le prénom et le nom ensemble font {n} caractères : {MAX_NAME_CHARS} au plus. \
                     Raccourcissez-les."
                ),
            );
            None
        } else {
            Some(name)
        }
    }

    /// The role: a peer worker or a référent.
    fn kind(&mut self) -> Option<ProfileKind> {
        match self.cell(Field::Role) {
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
        }
    }

    /// The départements, by code or name, in the file's order, no repeats.
    fn departments(&mut self) -> Vec<String> {
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
        departments
    }

    /// The values of a list cell that `parse` knows, each once; a piece it
    /// does not know is a problem, with the message `unknown` writes.
    fn known<'c, T: PartialEq>(
        &mut self,
        field: Field,
        pieces: impl IntoIterator<Item = &'c str>,
        parse: impl Fn(&str) -> Option<T>,
        unknown: impl Fn(&str) -> String,
    ) -> Vec<T> {
        let mut out = Vec::new();
        for piece in pieces {
            match parse(piece) {
                Some(v) if !out.contains(&v) => out.push(v),
                Some(_) => {}
                None => self.problem(field, unknown(piece)),
            }
        }
        out
    }

    /// The kinds of intervention, by code, no repeats.
    fn interventions(&mut self) -> Vec<InterventionKind> {
        let Some(cell) = self.text(Field::Interventions, MAX_TEXT_CHARS) else {
            return Vec::new();
        };
        self.known(
            Field::Interventions,
            split_list(&cell),
            InterventionKind::parse,
            |piece| {
                format!(
                    "{} n’est pas un type d’intervention connu. Écrivez l’un de ceux-ci, \
                     séparés par des virgules : {}.",
                    quote(piece),
                    InterventionKind::ALL.map(InterventionKind::code).join(", ")
                )
            },
        )
    }

    /// The themes as written, repeats (without case or accents) removed.
    fn themes(&mut self) -> Vec<String> {
        let mut themes: Vec<String> = Vec::new();
        if let Some(cell) = self.text(Field::Themes, MAX_TEXT_CHARS) {
            for piece in split_list(&cell) {
                if !themes.iter().any(|t| fold(t) == fold(piece)) {
                    themes.push(piece.to_owned());
                }
            }
        }
        themes
    }

    /// On site, remote or both, in order.
    fn formats(&mut self) -> Vec<Format> {
        let Some(cell) = self.text(Field::Formats, MAX_TEXT_CHARS) else {
            return Vec::new();
        };
        let mut formats = self.known(
            Field::Formats,
            split_formats(&cell),
            Format::parse,
            |piece| {
                format!(
                    "{} n’est pas un format connu : écrivez « sur place », « à distance », \
                 ou les deux séparés par une virgule.",
                    quote(piece)
                )
            },
        );
        formats.sort();
        formats
    }

    /// The day of the training, if the cell gives one.
    fn trained_on(&mut self) -> Option<NaiveDate> {
        match self.cell(Field::TrainedOn) {
            "" => None,
            value => match parse_date(value) {
                Ok(d) => Some(d),
                Err(message) => {
                    self.problem(Field::TrainedOn, message);
                    None
                }
            },
        }
    }

    /// The visibility (members-only when the cell is empty), and whether
    /// the file gave it.
    fn visibility(&mut self) -> (Option<Visibility>, bool) {
        match self.cell(Field::Visibility) {
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
        }
    }

    /// Whether the person wants e-mails in easy-read French, if the cell
    /// says (« facile », « FALC », « oui » / « habituels », « non »).
    fn easy_emails(&mut self) -> Option<bool> {
        match fold(self.cell(Field::EmailWords)).trim() {
            "" => None,
            "facile" | "faciles" | "falc" | "oui" | "facile a lire" => Some(true),
            "habituels" | "habituel" | "non" | "courant" | "courants" => Some(false),
            _ => {
                let message = format!(
                    "Les courriels {} ne sont pas connus : écrivez « facile » (en facile à lire) ou \
                     « habituels » (une cellule vide veut dire « habituels »).",
                    quote(self.cell(Field::EmailWords))
                );
                self.problem(Field::EmailWords, message);
                None
            }
        }
    }
}

/// The pieces of a list cell: separated by `,` `;` `/` `|` or line breaks.
fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([',', ';', '/', '|', '\n', '\r'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

/// Formats may also be joined by « et » / « ou » (« sur place et à distance »).
pub(super) fn split_formats(cell: &str) -> Vec<&str> {
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
pub(super) fn parse_kind(value: &str) -> Option<ProfileKind> {
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
pub(super) fn parse_date(value: &str) -> Result<NaiveDate, String> {
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
