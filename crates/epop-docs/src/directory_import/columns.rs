//! The columns the import knows: their names as documented, the header
//! names each accepts, and the reading of a file's header line (a column
//! named twice, the required columns missing, the names no column has).

use std::collections::HashMap;

use epop_domain::text::fold;

use super::{Parsed, Problem};

/// The columns the import knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Field {
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
    EmailWords,
}

impl Field {
    pub(super) const ALL: [Field; 13] = [
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
        Field::EmailWords,
    ];

    /// The name docs/import.md documents.
    pub(super) fn name(self) -> &'static str {
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
            Field::EmailWords => "courriels",
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
            Field::EmailWords => &[
                "courriels",
                "emailsfaciles",
                "facilealire",
                "falc",
                "versiondesemails",
            ],
        }
    }

    pub(super) fn from_header(header: &str) -> Option<Field> {
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

/// Where each known column is: its index and its name as written.
pub(super) type Columns = HashMap<Field, (usize, String)>;

/// The known columns of the header line (on `line`); a column named twice
/// is a problem, a name no column has is ignored, both noted in `parsed`.
pub(super) fn read_header(header: &csv::StringRecord, line: usize, parsed: &mut Parsed) -> Columns {
    let mut columns: Columns = HashMap::new();
    for (index, cell) in header.iter().enumerate() {
        let name = cell.trim().to_owned();
        if name.is_empty() {
            continue;
        }
        match Field::from_header(&name) {
            Some(field) => {
                if let Some((first, first_name)) = columns.get(&field) {
                    parsed.problems.push(Problem {
                        line,
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
    columns
}

/// A problem on the header's `line` for each required column missing: the
/// e-mail, a name (last or first), the role.
pub(super) fn missing_columns(columns: &Columns, line: usize) -> Vec<Problem> {
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
    missing
        .into_iter()
        .map(|field| {
            let also = match field {
                Field::LastName => " (ou une colonne « prénom »)",
                _ => "",
            };
            Problem {
                line,
                column: Some(field.name().into()),
                message: format!(
                    "La colonne « {} »{also} manque. Ajoutez-la à la première ligne du fichier \
                     (sans tenir compte des majuscules ni des accents) ; les colonnes reconnues sont : {}.",
                    field.name(),
                    Field::ALL.map(Field::name).join(", "),
                ),
            }
        })
        .collect()
}
