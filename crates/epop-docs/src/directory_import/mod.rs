//! The directory spreadsheets coordinators keep today, read as French office
//! software exports them: UTF-8 with or without a byte order mark, or
//! Windows-1252 (and UTF-16 with its mark, Excel's « texte Unicode »); `;`,
//! `,` or tab between cells; quoted cells that hold line breaks; empty lines.
//!
//! [`parse`] is pure (no I/O, no clock): it checks every row and reports every
//! problem with the line a spreadsheet shows (the header is line 1), the
//! column as named in the file, and what to do, in French. Writing the rows
//! is `epop_store::directory_import::apply`.//!
//! The pieces: `reading` (encodings, separators, line numbers, the header
//! line), `columns` (the column table and the header's names), `row` (each
//! data line, one step per kind of column), `territories` (départements by
//! code or name).

use std::fmt;

use chrono::NaiveDate;
use epop_domain::Email;
use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};

mod columns;
mod reading;
mod row;
mod territories;

pub use territories::{department_code, resolve_departments};

use columns::{missing_columns, read_header};
use reading::{Lines, decode, detect_separator, header_line};
use row::read_rows;

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
    /// E-mails in easy-read French (`Some(true)`) or the usual words, if
    /// the file says; it applies to the accounts the import creates only
    /// (the person's own choice is theirs).
    pub easy_emails: Option<bool>,
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
    let (line, header) = match header_line(&mut records, &mut lines) {
        Ok(found) => found,
        Err(problem) => {
            parsed.problems.push(problem);
            return parsed;
        }
    };
    let columns = read_header(&header, line, &mut parsed);
    parsed.problems.extend(missing_columns(&columns, line));
    if !parsed.problems.is_empty() {
        parsed.total_lines = records.flatten().filter(|r| !reading::is_blank(r)).count();
        return parsed;
    }
    read_rows(records, &mut lines, &columns, &mut parsed);
    parsed
}

/// A value quoted for a message, cut if long.
fn quote(value: &str) -> String {
    let mut v: String = value.chars().take(60).collect();
    if v.len() < value.len() {
        v.push('…');
    }
    format!("« {v} »")
}

#[cfg(test)]
mod tests {
    use super::columns::Field;
    use super::row::{parse_date, parse_kind, split_formats};
    use super::territories::{TERRITORIES, department_code};
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
    fn kinds_read_as_the_texts_write_them() {
        let file = "e-mail;nom;rôle;interventions\n\
                    a@exemple.fr;Awa;pair;Aider d'autres personnes en situation de handicap\n\
                    b@exemple.fr;Bea;pair;aider d’autres personnes en situation de handicap\n\
                    c@exemple.fr;Cyd;pair;DONNER LEUR AVIS SUR DES SERVICES OU DES PRODUITS\n\
                    d@exemple.fr;Dan;pair;Participer a la creation de nouvelles regles ou lois\n\
                    e@exemple.fr;Eve;pair;accompagner, Donner son avis sur un service ou un produit\n";
        let parsed = parse(file.as_bytes());
        assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
        let kinds: Vec<_> = parsed
            .rows
            .iter()
            .map(|r| r.interventions.clone())
            .collect();
        assert_eq!(
            kinds,
            vec![
                vec![InterventionKind::PeerSupport],
                vec![InterventionKind::PeerSupport],
                vec![InterventionKind::ExpertReview],
                vec![InterventionKind::PolicyParticipation],
                vec![
                    InterventionKind::PeerSupport,
                    InterventionKind::ExpertReview
                ],
            ]
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
            // As people type it in their spreadsheets: read, never written.
            "Intervenant\u{b7}e pair\u{b7}e",
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
