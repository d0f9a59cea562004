//! The search index entry of a profile: its folded text, the names that
//! make it findable, the filters' tokens, and the list of the index's words.

use epop_domain::directory::{Format, InterventionKind, SearchQuery, index_text};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Engine, Result};

use super::ProfileInput;

/// The folded text the search index holds for a profile.
pub(super) fn search_text(conn_names: &SearchNames, input: &ProfileInput) -> String {
    let mut fields: Vec<&str> = vec![
        &input.display_name,
        &input.presentation,
        &input.presentation_easy,
        &input.own_words,
        &input.other_languages,
    ];
    if let Some(j) = &input.job_title {
        fields.push(j);
    }
    let extra: Vec<&str> = conn_names.iter().map(String::as_str).collect();
    fields.extend(extra);
    index_text(&fields)
}

pub(super) type SearchNames = Vec<String>;

/// The filters' tokens of a profile, indexed next to its words (SQLite: the
/// FTS5 column `tags`; PostgreSQL: lexemes added to the stored tsvector) so
/// that one index intersection answers words and filters together: `_dep31`
/// per département covered, `_reg76` per region, `_kindformer` per kind of
/// intervention, `_fmtonsite` / `_fmtremote`. They begin with `_`, which the
/// words of a text or of a query never contain (both are split on
/// everything but letters and digits, [`index_text`], `search_terms`), while
/// both full-text indexes keep it in a token (FTS5 `tokenchars '_'`; a
/// tsvector written as a literal): nobody can type or write one.
/// Migration 16 writes the same tokens for existing profiles, in SQL.
pub(super) fn filter_tokens(
    departments: &[String],
    regions: &[String],
    input: &ProfileInput,
) -> String {
    let mut tokens: Vec<String> = Vec::new();
    tokens.extend(departments.iter().map(|d| department_token(d)));
    tokens.extend(regions.iter().map(|r| region_token(r)));
    tokens.extend(input.interventions.iter().map(|k| kind_token(*k)));
    if input.on_site {
        tokens.push(format_token(Format::OnSite));
    }
    if input.remote {
        tokens.push(format_token(Format::Remote));
    }
    tokens.sort();
    tokens.dedup();
    tokens.join(" ")
}

/// How many consecutive profile ids share a bucket token (PostgreSQL only).
pub(super) const BUCKET: i64 = 4096;

/// PostgreSQL only: `_b<n>`, the token of the ids `n × 4096` to
/// `n × 4096 + 4095`, so that a broad search can take its first matches a
/// few buckets at a time (`search::search_postgres`;
/// SQLite's FTS5 already gives its matches in id order).
pub(super) fn bucket_token(bucket: i64) -> String {
    format!("_b{bucket}")
}

fn department_token(code: &str) -> String {
    format!("_dep{}", code.to_lowercase())
}

fn region_token(code: &str) -> String {
    format!("_reg{}", code.to_lowercase())
}

fn kind_token(kind: InterventionKind) -> String {
    format!("_kind{}", kind.code().replace('-', ""))
}

fn format_token(format: Format) -> String {
    match format {
        Format::OnSite => "_fmtonsite".into(),
        Format::Remote => "_fmtremote".into(),
    }
}

/// The tokens of a search's filters (see [`filter_tokens`]); the others
/// (theme, language, organisation, kind of profile) stay SQL conditions.
pub(super) fn query_tokens(q: &SearchQuery) -> Vec<String> {
    let mut tokens = place_tokens(q);
    if let Some(k) = q.kind {
        tokens.push(kind_token(k));
    }
    if let Some(f) = q.format {
        tokens.push(format_token(f));
    }
    tokens
}

/// The tokens of a search's region and département.
pub(super) fn place_tokens(q: &SearchQuery) -> Vec<String> {
    let mut tokens = Vec::new();
    if let Some(r) = &q.region {
        tokens.push(region_token(r.as_str()));
    }
    if let Some(d) = &q.department {
        tokens.push(department_token(d.as_str()));
    }
    tokens
}

/// Names that make a profile findable beyond its own text: départements and
/// regions covered, themes, organisation, kinds of intervention.
pub(super) async fn names_for(
    conn: &mut AnyConnection,
    input: &ProfileInput,
) -> Result<SearchNames> {
    let mut names = Vec::new();
    for code in &input.departments {
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT d.name, r.name FROM departments d JOIN regions r ON r.code = d.region_code WHERE d.code = $1",
        )
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((d, r)) = row {
            names.push(d);
            names.push(r);
        }
    }
    for id in &input.theme_ids {
        if let Some(label) =
            sqlx::query_scalar::<_, String>("SELECT label FROM themes WHERE id = $1")
                .bind(*id)
                .fetch_optional(&mut *conn)
                .await?
        {
            names.push(label);
        }
    }
    if let Some(org) = input.organisation_id
        && let Some(name) =
            sqlx::query_scalar::<_, String>("SELECT name FROM organisations WHERE id = $1")
                .bind(org)
                .fetch_optional(&mut *conn)
                .await?
    {
        names.push(name);
    }
    names.extend(input.interventions.iter().map(|k| k.label().to_owned()));
    Ok(names)
}

/// Adds the words of a profile's index entry (`text`, its folded words
/// separated by spaces) that the list of the index's words (migration 19 on
/// PostgreSQL, 20 on SQLite) does not hold yet. SQLite has one writer at a
/// time: the words of `text` go in one statement. On PostgreSQL, the words
/// are the tsvector's own; two transactions adding the same new words in
/// different orders would wait for each other (a bulk import saves hundreds
/// of profiles per transaction): the one that has new words first takes a
/// lock held until its commit, so a writer never waits for another's
/// uncommitted words. Most saves add none and take no lock.
pub(super) async fn add_words(
    conn: &mut AnyConnection,
    engine: Engine,
    profile_id: i64,
    text: &str,
) -> Result<()> {
    if engine == Engine::Sqlite {
        // The words are letters and digits ([`index_text`]): a JSON array of
        // them needs no escaping but of what they cannot hold.
        let list = text
            .split(' ')
            .filter(|w| !w.is_empty())
            .map(|w| format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(
            "INSERT INTO profile_fts_words (word) SELECT DISTINCT value FROM json_each($1) \
             WHERE true ON CONFLICT DO NOTHING",
        )
        .bind(format!("[{list}]"))
        .execute(&mut *conn)
        .await?;
        return Ok(());
    }
    const NEW_WORDS: &str = "SELECT w FROM profile_fts f, unnest(tsvector_to_array(f.tsv)) AS w \
         WHERE f.rowid = $1 AND left(w, 1) <> '_' \
         AND NOT EXISTS (SELECT 1 FROM profile_fts_words x WHERE x.word = w)";
    let new: Option<String> = sqlx::query_scalar(AssertSqlSafe(format!("{NEW_WORDS} LIMIT 1")))
        .bind(profile_id)
        .fetch_optional(&mut *conn)
        .await?;
    if new.is_none() {
        return Ok(());
    }
    sqlx::query("SELECT pg_advisory_xact_lock(7019001)")
        .execute(&mut *conn)
        .await?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO profile_fts_words (word) {NEW_WORDS} ON CONFLICT DO NOTHING"
    )))
    .bind(profile_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
