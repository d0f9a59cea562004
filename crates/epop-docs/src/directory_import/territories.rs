//! Départements and regions by their names, read once from the migration
//! that loads them into the database, and a départements cell's piece
//! resolved to codes (or a message saying what to do).

use std::collections::HashMap;
use std::sync::LazyLock;

use epop_domain::DepartmentCode;
use epop_domain::text::slugify;

use super::quote;

/// Départements and regions by their names, read once from the migration
/// that loads them into the database.
pub(super) struct Territories {
    /// département slug (and slug without « la-/le-/les- ») → code
    department_by_slug: HashMap<String, String>,
    /// code → département slug
    pub(super) slug_by_code: HashMap<String, String>,
    /// region slug → name
    pub(super) regions: HashMap<String, String>,
}

pub(super) static TERRITORIES: LazyLock<Territories> = LazyLock::new(|| {
    let sql = include_str!("../../../epop-store/migrations/common/0002_territories.sql");
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
pub fn department_code(piece: &str) -> Option<String> {
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
pub fn resolve_departments(piece: &str) -> Result<Vec<String>, String> {
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
