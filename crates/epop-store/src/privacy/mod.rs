//! The register of personal data (GDPR art. 30), as data, and what it
//! drives: a person's export, the erasure of an account and the retention
//! purges the worker runs. The privacy page renders the same register, so
//! the page, the export, the erasure and the purges cannot disagree.
//!
//! Each [`Table`] of the schema is in [`REGISTER`] with every text column
//! (a test compares it with both engines' schemas): what it holds, for which
//! [`Processing`], how a person's rows are found (`whose`, a condition with
//! the placeholders `{account}`, `{email}`, `{email_hash}` and `{public_id}`), what erasure
//! does to them, and how long they are kept.

use std::collections::BTreeSet;

use sqlx::{AnyConnection, Row};

use crate::{Engine, Result};

/// One day in seconds.
pub const DAY: i64 = 86_400;

/// One processing of personal data: a line of the art. 30 register.
#[derive(Debug)]
pub struct Processing {
    pub name: &'static str,
    pub purpose: &'static str,
    pub legal_basis: &'static str,
    /// The data, in words.
    pub data: &'static str,
    pub who_sees: &'static str,
}

/// How long rows are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The worker deletes rows whose time `column` is older than `days`
    /// ([`purge`]); `only` narrows which rows (SQL, may be empty), and
    /// `said` then says which in French, `{durée}` standing for the duration.
    Purged {
        days: i64,
        column: &'static str,
        only: &'static str,
        said: &'static str,
    },
    /// Anonymised this many days after a time (the code that does it names
    /// the same constant).
    Anonymised { days: i64, after: &'static str },
    /// Kept this many days for a legal obligation, anonymised at erasure.
    Legal { days: i64, why: &'static str },
    /// Kept while the account exists (until its erasure).
    WhileAccount,
    /// Ends by itself (a session, a link), as said.
    Expires(&'static str),
    /// Not about a person.
    NotPersonal,
}

/// A duration in days written in French (« 1 an », « 30 jours », « 1 jour »).
pub fn days_in_words(days: i64) -> String {
    match days {
        d if d % 365 == 0 && d >= 365 => match d / 365 {
            1 => "1 an".to_owned(),
            n => format!("{n} ans"),
        },
        1 => "1 jour".to_owned(),
        d => format!("{d} jours"),
    }
}

impl Keep {
    /// The duration as the privacy page says it.
    pub fn in_words(self) -> String {
        match self {
            Keep::Purged { days, said, .. } if !said.is_empty() => {
                said.replace("{durée}", &days_in_words(days))
            }
            Keep::Purged { days, .. } => format!("{}, puis effacé", days_in_words(days)),
            Keep::Anonymised { days, after } => {
                format!("{} après {after}, puis anonymisé", days_in_words(days))
            }
            Keep::Legal { days, why } => format!("{} ({why}), sans nom", days_in_words(days)),
            Keep::WhileAccount => "tant que le compte existe, effacé avec lui".to_owned(),
            Keep::Expires(when) => when.to_owned(),
            Keep::NotPersonal => "pas de donnée personnelle".to_owned(),
        }
    }
}

/// What erasing an account does to the rows that name the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    Delete,
    /// The columns marked [`Col::Personal`], [`Col::Secret`], [`Col::File`]
    /// and [`Col::Form`] are overwritten; the row stays (it is counted).
    Anonymise,
    /// As [`Erase::Anonymise`], but only the rows this condition finds
    /// (the person's own, same placeholders as `whose`): the other rows
    /// `whose` finds are theirs to read (exported), not theirs to erase;
    /// only their mentions of the person are replaced.
    AnonymiseOwn(&'static str),
    /// Kept as it is, for this reason (it names nobody once the account is
    /// anonymised: only ids link it).
    Keep(&'static str),
    /// A search index of another table: never exported, rows deleted.
    Index,
}

/// What a text column holds, and what erasure does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Col {
    /// A code, a status, a date, a title: not about a person.
    Plain,
    /// About the person the row names: set to this SQL value on erasure.
    Personal(&'static str),
    /// A hash of a token or password: never exported, `NULL` on erasure.
    Secret,
    /// A file name in this folder of the file storage (its key is
    /// `folder/name`): the file is deleted and the column set to `NULL` on
    /// erasure.
    File(&'static str),
    /// A form kept URL-encoded: these fields are emptied in the person's
    /// own forms on erasure, and mentions replaced in everyone's.
    Form(&'static [&'static str]),
    /// Free text that may mention anyone: the person's name, e-mail, phone
    /// and profile address are replaced in every row on erasure.
    Mentions,
    /// Free text someone wrote: set to this SQL value in the person's own
    /// rows, and treated as [`Col::Mentions`] in everyone else's.
    Written(&'static str),
}

/// A table of the schema.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// `None`: no personal data.
    pub processing: Option<&'static Processing>,
    /// What a row holds, in French.
    pub holds: &'static str,
    /// How a person's rows are found (`None`: no row names a person).
    pub whose: Option<&'static str>,
    pub erase: Erase,
    pub keep: Keep,
    /// Every text column.
    pub columns: &'static [(&'static str, Col)],
}

mod clauses;
mod processings;
mod register;

pub use processings::*;
pub use register::*;

/// The register entry of a table.
pub fn table(name: &str) -> Option<&'static Table> {
    REGISTER.iter().find(|t| t.name == name).copied()
}

/// Who an export or an erasure is about.
#[derive(Debug, Clone)]
pub struct Person {
    pub account_id: i64,
    pub email: String,
    pub public_id: String,
}

/// `sql` with its `{account}`, `{email}`, `{email_hash}` (the outbox's
/// hash of a sent message's address) and `{public_id}` placeholders
/// numbered as parameters from `first`, and the values to bind in order.
fn numbered(sql: &str, person: &Person, first: usize) -> (String, Vec<Value>) {
    let mut out = String::with_capacity(sql.len());
    let mut binds = Vec::new();
    let mut rest = sql;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .map_or(rest.len(), |e| start + e + 1);
        let value = match &rest[start..end] {
            "{account}" => Value::Int(person.account_id),
            "{email}" => Value::Text(person.email.clone()),
            "{public_id}" => Value::Text(person.public_id.clone()),
            "{email_hash}" => Value::Text(crate::outbox::recipient_hash(&person.email)),
            other => unreachable!("unknown placeholder {other}"),
        };
        binds.push(value);
        out.push_str(&format!("${}", first + binds.len() - 1));
        rest = &rest[end..];
    }
    out.push_str(rest);
    (out, binds)
}

/// The values as query arguments.
fn args(values: &[Value]) -> Result<sqlx::any::AnyArguments> {
    use sqlx::Arguments;
    let mut a = sqlx::any::AnyArguments::default();
    for v in values {
        match v {
            Value::Int(i) => a.add(*i),
            Value::Text(t) => a.add(t.clone()),
            Value::Real(r) => a.add(*r),
            Value::Null => a.add(Option::<String>::None),
        }
        .map_err(sqlx::Error::Encode)?;
    }
    Ok(a)
}

/// A value of an exported cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

/// The rows of one table that name a person.
#[derive(Debug, Clone)]
pub struct Rows {
    pub table: &'static Table,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

fn cell(row: &sqlx::any::AnyRow, i: usize) -> Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map_or(Value::Null, Value::Int);
    }
    if let Ok(v) = row.try_get::<Option<i32>, _>(i) {
        return v.map_or(Value::Null, |v| Value::Int(v.into()));
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.map_or(Value::Null, Value::Text);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
        return v.map_or(Value::Null, Value::Real);
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(i) {
        return v.map_or(Value::Null, |b| Value::Int(b.into()));
    }
    Value::Null
}

/// Everything the platform holds about a person: for each table of the
/// register with rows naming them (index tables left out), every column but
/// the secrets (hashes of tokens and passwords).
pub async fn export(conn: &mut AnyConnection, person: &Person) -> Result<Vec<Rows>> {
    let mut out = Vec::new();
    for t in REGISTER.iter() {
        let (Some(whose), true) = (t.whose, t.erase != Erase::Index) else {
            continue;
        };
        let (cond, binds) = numbered(whose, person, 1);
        let sql = format!("SELECT * FROM {} WHERE {cond}", t.name);
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args(&binds)?)
            .fetch_all(&mut *conn)
            .await?;
        let Some(first) = rows.first() else {
            continue;
        };
        let shown: Vec<(usize, String)> = first
            .columns()
            .iter()
            .map(|c| sqlx::Column::name(c).to_owned())
            .enumerate()
            .filter(|(_, name)| {
                !matches!(
                    t.columns.iter().find(|(c, _)| c == name),
                    Some((_, Col::Secret))
                )
            })
            .collect();
        out.push(Rows {
            table: t,
            columns: shown.iter().map(|(_, n)| n.clone()).collect(),
            rows: rows
                .iter()
                .map(|r| shown.iter().map(|(i, _)| cell(r, *i)).collect())
                .collect(),
        });
    }
    Ok(out)
}

/// How many rows of each register table name a person (what the export must
/// hold; for tests and the page's summary).
pub async fn counts(conn: &mut AnyConnection, person: &Person) -> Result<Vec<(&'static str, i64)>> {
    let mut out = Vec::new();
    for t in REGISTER.iter() {
        let (Some(whose), true) = (t.whose, t.erase != Erase::Index) else {
            continue;
        };
        let (cond, binds) = numbered(whose, person, 1);
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {cond}", t.name);
        let n: i64 = sqlx::query_scalar_with(sqlx::AssertSqlSafe(sql), args(&binds)?)
            .fetch_one(&mut *conn)
            .await?;
        out.push((t.name, n));
    }
    Ok(out)
}

/// The interventions that stop an account's erasure right now: those where
/// the person is the peer who accepted and the request is accepted or
/// scheduled (their subjects). The organisation counts on them: the
/// coordination first cancels it or finds someone else, then the account
/// can go. Any other state is handled by [`erase`] (pending proposals are
/// withdrawn, past ones kept anonymised).
pub async fn blocking_interventions(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<String>> {
    let rows: Vec<(Option<String>,)> = sqlx::query_as(
        "SELECT r.subject FROM request_proposals p JOIN intervention_requests r ON r.id = p.request_id \
         WHERE p.account_id = $1 AND p.status = 'accepted' AND r.status IN ('accepted', 'scheduled') ORDER BY r.id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(s,)| s.unwrap_or_default()).collect())
}

/// Who read the person's sensitive fields, and when (newest first): the
/// audit lines `sensitive_read` about their profiles, with the reader's name.
pub async fn sensitive_reads(
    conn: &mut AnyConnection,
    person: &Person,
) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT l.at, a.display_name FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_id \
         WHERE l.action = 'sensitive_read' \
         AND l.subject IN (SELECT 'profile:' || slug FROM profiles WHERE account_id = $1) ORDER BY l.id DESC",
    )
    .bind(person.account_id)
    .fetch_all(conn)
    .await?)
}

/// Form-encodes a value as `serde_urlencoded` does (space as `+`).
fn form_encoded(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Empties `fields` of a URL-encoded form; other pairs stay as they were.
fn empty_fields(form: &str, fields: &[&str]) -> String {
    form.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if fields.contains(&k) => format!("{k}="),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of `field` in a URL-encoded form, decoded.
fn form_value(form: &str, field: &str) -> Option<String> {
    form.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == field).then(|| decode_form(v))
    })
}

fn decode_form(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match v
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                Some(b) => {
                    out.push(b);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What an erasure did: the files to delete (relative to the data
/// directory) once the transaction is committed.
#[derive(Debug, Default)]
pub struct Erased {
    pub files: Vec<String>,
}

/// The words that stand for a person in free text: names, e-mail, phone,
/// profile addresses, as typed and as form-encoded.
async fn mentions_of(conn: &mut AnyConnection, person: &Person) -> Result<BTreeSet<String>> {
    let mut words = BTreeSet::new();
    let account: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT display_name, phone FROM accounts WHERE id = $1")
            .bind(person.account_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((name, phone)) = account {
        words.insert(name);
        words.extend(phone);
    }
    words.insert(person.email.clone());
    let profiles: Vec<(String, String)> =
        sqlx::query_as("SELECT display_name, slug FROM profiles WHERE account_id = $1")
            .bind(person.account_id)
            .fetch_all(&mut *conn)
            .await?;
    for (name, slug) in profiles {
        words.insert(name);
        words.insert(slug);
    }
    let registrations: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT name, phone FROM event_registrations WHERE account_id = $1 OR email = $2",
    )
    .bind(person.account_id)
    .bind(&person.email)
    .fetch_all(&mut *conn)
    .await?;
    for (name, phone) in registrations {
        words.insert(name);
        words.extend(phone);
    }
    let forms: Vec<(String,)> = sqlx::query_as(
        "SELECT form FROM intervention_requests WHERE requester_id = $1 OR contact_email = $2",
    )
    .bind(person.account_id)
    .bind(&person.email)
    .fetch_all(&mut *conn)
    .await?;
    for (form,) in forms {
        for field in ["contact_name", "contact_phone"] {
            words.extend(form_value(&form, field));
        }
    }
    // Too short a word would replace parts of other words.
    words.retain(|w| w.trim().chars().count() >= 4);
    let encoded: Vec<String> = words.iter().map(|w| form_encoded(w)).collect();
    words.extend(encoded);
    Ok(words)
}

/// Erases a person's account: walks the register and deletes or anonymises
/// every row that names them, replaces their name, e-mail, phone and profile
/// address in every free text, and removes their profile from the search
/// index. Run it inside the transaction of the erasure (with its audit line):
/// all of it happens, or nothing.
pub async fn erase(conn: &mut AnyConnection, person: &Person) -> Result<Erased> {
    let mentions = mentions_of(conn, person).await?;
    let mut erased = Erased::default();
    // Pending proposals end: the coordination must not wait for an answer.
    sqlx::query(
        "UPDATE request_proposals SET status = 'withdrawn', answered_at = $1 WHERE account_id = $2 AND status = 'pending'",
    )
    .bind(crate::now())
    .bind(person.account_id)
    .execute(&mut *conn)
    .await?;
    for t in REGISTER.iter() {
        let Some(whose) = t.whose else { continue };
        let (cond, binds) = numbered(whose, person, 1);
        match t.erase {
            Erase::Delete | Erase::Index => {
                let sql = format!("DELETE FROM {} WHERE {cond}", t.name);
                sqlx::query_with(sqlx::AssertSqlSafe(sql), args(&binds)?)
                    .execute(&mut *conn)
                    .await?;
            }
            Erase::Anonymise => anonymise(conn, t, person, &cond, &binds, &mut erased).await?,
            Erase::AnonymiseOwn(own) => {
                let (cond, binds) = numbered(own, person, 1);
                anonymise(conn, t, person, &cond, &binds, &mut erased).await?
            }
            Erase::Keep(_) => {}
        }
    }
    // One statement per column: every word replaced (the longest first, so
    // that a name inside a longer one goes with it), in the rows holding one.
    let mut mentions: Vec<String> = mentions.into_iter().collect();
    mentions.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let words: Vec<Value> = mentions.into_iter().map(Value::Text).collect();
    if words.is_empty() {
        return Ok(erased);
    }
    for t in REGISTER.iter() {
        for (column, col) in t.columns {
            // Forms: others' forms may name the person too (form-encoded).
            if !matches!(col, Col::Mentions | Col::Written(_) | Col::Form(_)) {
                continue;
            }
            let n = words.len();
            let replaced = (1..=n).fold(column.to_string(), |acc, i| {
                format!("REPLACE({acc}, ${i}, '[effacé]')")
            });
            let holding: Vec<String> = (1..=n)
                // Not `LIKE`: a backslash or `%` in a name would be a pattern.
                .map(|i| format!("REPLACE({column}, ${i}, '') <> {column}"))
                .collect();
            let sql = format!(
                "UPDATE {} SET {column} = {replaced} WHERE {}",
                t.name,
                holding.join(" OR ")
            );
            sqlx::query_with(sqlx::AssertSqlSafe(sql), args(&words)?)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(erased)
}

async fn anonymise(
    conn: &mut AnyConnection,
    t: &Table,
    person: &Person,
    cond: &str,
    binds: &[Value],
    erased: &mut Erased,
) -> Result<()> {
    // Files first, while their names are still there.
    for (column, col) in t.columns {
        if let Col::File(folder) = col {
            let sql = format!(
                "SELECT {column} FROM {} WHERE ({cond}) AND {column} IS NOT NULL",
                t.name
            );
            let names: Vec<String> =
                sqlx::query_scalar_with(sqlx::AssertSqlSafe(sql), args(binds)?)
                    .fetch_all(&mut *conn)
                    .await?;
            erased
                .files
                .extend(names.into_iter().map(|n| format!("{folder}/{n}")));
        }
        if let Col::Form(fields) = col {
            let sql = format!("SELECT id, {column} FROM {} WHERE {cond}", t.name);
            let forms: Vec<(i64, String)> =
                sqlx::query_as_with(sqlx::AssertSqlSafe(sql), args(binds)?)
                    .fetch_all(&mut *conn)
                    .await?;
            for (id, form) in forms {
                // Only the forms they filled in as the contact.
                let theirs =
                    form_value(&form, "contact_email").as_deref() == Some(person.email.as_str());
                if theirs {
                    let sql = format!("UPDATE {} SET {column} = $1 WHERE id = $2", t.name);
                    sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(empty_fields(&form, fields))
                        .bind(id)
                        .execute(&mut *conn)
                        .await?;
                }
            }
        }
    }
    let sets: Vec<String> = t
        .columns
        .iter()
        .filter_map(|(column, col)| match col {
            Col::Personal(value) | Col::Written(value) => Some(format!("{column} = {value}")),
            Col::Secret | Col::File(_) => Some(format!("{column} = NULL")),
            _ => None,
        })
        .collect();
    if sets.is_empty() {
        return Ok(());
    }
    let first = binds.len() + 1;
    let (sets, set_binds) = numbered(&sets.join(", "), person, first);
    let sql = format!("UPDATE {} SET {sets} WHERE {cond}", t.name);
    let all: Vec<Value> = binds.iter().cloned().chain(set_binds).collect();
    sqlx::query_with(sqlx::AssertSqlSafe(sql), args(&all)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Deletes what the register says is kept no longer (every [`Keep::Purged`]
/// table), as of `now`; returns how many rows went, per table.
pub async fn purge(conn: &mut AnyConnection, now: i64) -> Result<Vec<(&'static str, u64)>> {
    let mut out = Vec::new();
    for t in REGISTER.iter() {
        let Keep::Purged {
            days, column, only, ..
        } = t.keep
        else {
            continue;
        };
        let only = if only.is_empty() {
            String::new()
        } else {
            format!(" AND {only}")
        };
        let sql = format!("DELETE FROM {} WHERE {column} < $1{only}", t.name);
        let n = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(now - days * DAY)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        out.push((t.name, n));
    }
    Ok(out)
}

/// The engine-specific tables that are part of another one's entry: SQLite's
/// FTS5 shadow tables of `profile_fts`.
pub fn is_internal(engine: Engine, table: &str) -> bool {
    engine == Engine::Sqlite && table.starts_with("profile_fts_") && table != "profile_fts_words"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let p = Person {
            account_id: 7,
            email: "a@b.fr".into(),
            public_id: "x".into(),
        };
        let (sql, binds) = numbered("a = {account} OR b = {email} OR c = {account}", &p, 2);
        assert_eq!(sql, "a = $2 OR b = $3 OR c = $4");
        assert_eq!(
            binds,
            vec![Value::Int(7), Value::Text("a@b.fr".into()), Value::Int(7)]
        );
    }

    #[test]
    fn forms_lose_only_the_contact_fields() {
        let form = "subject=Former&contact_name=Marc+Olivier&contact_email=m%40x.fr&fee=200";
        assert_eq!(
            empty_fields(form, &["contact_name", "contact_email"]),
            "subject=Former&contact_name=&contact_email=&fee=200"
        );
        assert_eq!(form_value(form, "contact_email").as_deref(), Some("m@x.fr"));
        assert_eq!(
            form_value(form, "contact_name").as_deref(),
            Some("Marc Olivier")
        );
        assert_eq!(form_encoded("Marc Olivier"), "Marc+Olivier");
        assert_eq!(form_encoded("m@x.fr"), "m%40x.fr");
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(days_in_words(365), "1 an");
        assert_eq!(days_in_words(3650), "10 ans");
        assert_eq!(days_in_words(30), "30 jours");
        assert_eq!(days_in_words(1), "1 jour");
    }

    #[test]
    fn every_table_is_registered_once() {
        let names: BTreeSet<_> = REGISTER.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), REGISTER.len());
        for t in REGISTER.iter() {
            assert_eq!(
                t.processing.is_some(),
                t.whose.is_some(),
                "{}: a table with personal data says whose rows, and only then",
                t.name
            );
        }
    }
}
