//! The directory: profiles of peer workers and référents, their
//! départements, kinds of intervention, themes and languages; curated
//! themes; consents; and the search, with the full-text index of each engine
//! (SQLite FTS5, PostgreSQL GIN on `to_tsvector('simple', …)`) over the same
//! folded text, computed in Rust.
//!
//! The sensitive fields are never part of [`Profile`] or [`Card`]: they are
//! read only through [`sensitive`], after the caller checked the permission
//! and wrote the read to the audit log.

use std::collections::BTreeMap;

use epop_domain::directory::{
    Format, InterventionKind, ListingConsent, PAGE_SIZE, ProfileKind, SearchQuery, Sort,
    Visibility, index_text,
};
use epop_domain::text::{fold, slugify};
use sqlx::any::AnyArguments;
use sqlx::{Any, AnyConnection, Arguments, AssertSqlSafe, Row};

use crate::{Engine, Result, SlugTable, StoreError, free_slug, now};

/// A profile as written by its owner, a coordinator or the import.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub kind: ProfileKind,
    pub display_name: String,
    pub visibility: Visibility,
    pub home_department: Option<String>,
    pub presentation: String,
    pub presentation_easy: String,
    pub own_words: String,
    pub on_site: bool,
    pub remote: bool,
    pub travel_km: Option<i64>,
    pub other_languages: String,
    pub max_per_month: Option<i64>,
    pub job_title: Option<String>,
    pub organisation_id: Option<i64>,
    pub departments: Vec<String>,
    pub interventions: Vec<InterventionKind>,
    pub theme_ids: Vec<i64>,
    /// `fr`, `lsf`, or folded words of other languages.
    pub languages: Vec<String>,
}

/// What a directory listing shows of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub id: i64,
    pub slug: String,
    pub kind: ProfileKind,
    pub display_name: String,
    pub visibility: Visibility,
    pub home_department: Option<String>,
    /// (code, name) of the départements covered, home first.
    pub departments: Vec<(String, String)>,
    pub interventions: Vec<InterventionKind>,
    pub themes: Vec<String>,
    pub formats: Vec<Format>,
    pub languages: Vec<String>,
    pub trained_on: Option<String>,
}

/// A whole profile, without its sensitive fields.
#[derive(Debug, Clone)]
pub struct Profile {
    pub card: Card,
    pub account_id: i64,
    pub presentation: String,
    pub presentation_easy: String,
    pub own_words: String,
    pub travel_km: Option<i64>,
    pub max_per_month: Option<i64>,
    pub other_languages: String,
    pub training_programme: Option<String>,
    pub job_title: Option<String>,
    pub organisation_name: Option<String>,
    pub organisation_slug: Option<String>,
    pub updated_at: i64,
}

/// The sensitive fields; `None` when not given or when consent was withdrawn.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sensitive {
    pub accommodations: Option<String>,
    pub disability_experience: Option<String>,
}

/// Consent purposes and the version of the text each was given on.
pub mod purpose {
    pub const LISTING: &str = "annuaire";
    pub const ACCOMMODATIONS: &str = "amenagements";
    pub const EXPERIENCE: &str = "experience-handicap";
}

/// Who is searching, as the visibility filter needs it.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    pub account_id: Option<i64>,
    pub member: bool,
    pub admin: bool,
    pub coordinated: Vec<String>,
}

#[derive(Debug, Clone)]
enum Arg {
    Text(String),
    Int(i64),
}

/// SQL with numbered parameters (`$1`, `$2`…), valid on both engines.
#[derive(Default)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    fn push(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    fn text(&mut self, v: impl Into<String>) -> String {
        self.args.push(Arg::Text(v.into()));
        format!("${}", self.args.len())
    }

    fn int(&mut self, v: i64) -> String {
        self.args.push(Arg::Int(v));
        format!("${}", self.args.len())
    }

    /// The arguments, in their order.
    fn arguments(&self) -> Result<AnyArguments> {
        let mut out = AnyArguments::default();
        for a in &self.args {
            match a {
                Arg::Text(s) => out.add(s.clone()),
                Arg::Int(i) => out.add(*i),
            }
            .map_err(sqlx::Error::Encode)?;
        }
        Ok(out)
    }

    /// The statement with its arguments, reading rows.
    fn query(&self) -> Result<sqlx::query::Query<'_, Any, AnyArguments>> {
        Ok(sqlx::query_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }

    /// The statement with its arguments, reading rows as `T`.
    fn query_as<T>(&self) -> Result<sqlx::query::QueryAs<'_, Any, T, AnyArguments>>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        Ok(sqlx::query_as_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }

    /// The statement with its arguments, reading one integer per row.
    fn scalar(&self) -> Result<sqlx::query::QueryScalar<'_, Any, i64, AnyArguments>> {
        Ok(sqlx::query_scalar_with(
            AssertSqlSafe(self.text.clone()),
            self.arguments()?,
        ))
    }
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

/// The folded text the search index holds for a profile.
fn search_text(conn_names: &SearchNames, input: &ProfileInput) -> String {
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

type SearchNames = Vec<String>;

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
fn filter_tokens(departments: &[String], regions: &[String], input: &ProfileInput) -> String {
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
const BUCKET: i64 = 4096;

/// PostgreSQL only: `_b<n>`, the token of the ids `n × 4096` to
/// `n × 4096 + 4095`, so that a broad search can take its first matches a
/// few buckets at a time ([`search_postgres`]; SQLite's FTS5 already gives
/// its matches in id order).
fn bucket_token(bucket: i64) -> String {
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
fn query_tokens(q: &SearchQuery) -> Vec<String> {
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
fn place_tokens(q: &SearchQuery) -> Vec<String> {
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
async fn names_for(conn: &mut AnyConnection, input: &ProfileInput) -> Result<SearchNames> {
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

/// Creates or updates the profile of `kind` of an account, with its lists
/// and its search index. Returns (id, slug).
pub async fn upsert(
    conn: &mut AnyConnection,
    engine: Engine,
    account_id: i64,
    input: &ProfileInput,
) -> Result<(i64, String)> {
    let names = names_for(conn, input).await?;
    let text = search_text(&names, input);
    // One statement creates or updates; the slug is only chosen for a new
    // profile (an existing one keeps its address).
    let existing = profile_of(conn, account_id, input.kind).await?;
    let slug = match &existing {
        Some((_, slug)) => slug.clone(),
        None => free_slug(conn, SlugTable::Profiles, &input.display_name).await?,
    };
    let (id, slug): (i64, String) = sqlx::query_as(
        "INSERT INTO profiles (account_id, kind, slug, display_name, sort_name, visibility, home_department, \
         presentation, presentation_easy, own_words, on_site, remote, travel_km, other_languages, max_per_month, \
         job_title, organisation_id, search_text, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) \
         ON CONFLICT (account_id, kind) DO UPDATE SET display_name = excluded.display_name, \
         sort_name = excluded.sort_name, visibility = excluded.visibility, home_department = excluded.home_department, \
         presentation = excluded.presentation, presentation_easy = excluded.presentation_easy, \
         own_words = excluded.own_words, on_site = excluded.on_site, remote = excluded.remote, \
         travel_km = excluded.travel_km, other_languages = excluded.other_languages, \
         max_per_month = excluded.max_per_month, job_title = excluded.job_title, \
         organisation_id = excluded.organisation_id, search_text = excluded.search_text, \
         updated_at = excluded.updated_at \
         RETURNING id, slug",
    )
    .bind(account_id)
    .bind(input.kind.code())
    .bind(&slug)
    .bind(&input.display_name)
    .bind(fold(&input.display_name))
    .bind(input.visibility.code())
    .bind(input.home_department.clone())
    .bind(&input.presentation)
    .bind(&input.presentation_easy)
    .bind(&input.own_words)
    .bind(flag(input.on_site))
    .bind(flag(input.remote))
    .bind(input.travel_km)
    .bind(&input.other_languages)
    .bind(input.max_per_month)
    .bind(input.job_title.clone())
    .bind(input.organisation_id)
    .bind(&text)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    for table in [
        "profile_departments",
        "profile_interventions",
        "profile_themes",
        "profile_languages",
    ] {
        sqlx::query(AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE profile_id = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    let mut departments = input.departments.clone();
    if let Some(home) = &input.home_department
        && !departments.contains(home)
    {
        departments.insert(0, home.clone());
    }
    departments.dedup();
    let mut regions: Vec<String> = Vec::new();
    for d in &departments {
        if let Some(r) =
            sqlx::query_scalar::<_, String>("SELECT region_code FROM departments WHERE code = $1")
                .bind(d)
                .fetch_optional(&mut *conn)
                .await?
        {
            regions.push(r);
        }
    }
    let tokens = filter_tokens(&departments, &regions, input);
    for d in &departments {
        sqlx::query("INSERT INTO profile_departments (profile_id, department_code) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(d)
            .execute(&mut *conn)
            .await?;
    }
    for k in &input.interventions {
        sqlx::query("INSERT INTO profile_interventions (profile_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(k.code())
            .execute(&mut *conn)
            .await?;
    }
    for th in &input.theme_ids {
        sqlx::query("INSERT INTO profile_themes (profile_id, theme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(*th)
            .execute(&mut *conn)
            .await?;
    }
    for l in &input.languages {
        sqlx::query("INSERT INTO profile_languages (profile_id, language) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(l)
            .execute(&mut *conn)
            .await?;
    }
    // The full-text index, a table `profile_fts` keyed by the profile id on
    // both engines (SQLite: FTS5; PostgreSQL: the stored tsvector).
    let index = match engine {
        Engine::Sqlite => "INSERT INTO profile_fts (rowid, body, tags) VALUES ($1, $2, $3)",
        // With its copy of the columns the search judges (migration 19).
        Engine::Postgres => {
            "INSERT INTO profile_fts (rowid, tsv, visibility, account_id, kind, sort_name) \
             SELECT id, to_tsvector('simple', $2) || CAST($3 AS tsvector), visibility, account_id, kind, sort_name \
             FROM profiles WHERE id = $1"
        }
    };
    sqlx::query("DELETE FROM profile_fts WHERE rowid = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let tokens = match engine {
        Engine::Sqlite => tokens,
        Engine::Postgres => format!("{tokens} {}", bucket_token(id / BUCKET)),
    };
    sqlx::query(index)
        .bind(id)
        .bind(&text)
        .bind(&tokens)
        .execute(&mut *conn)
        .await?;
    add_words(conn, engine, id, &text).await?;
    crate::cache::written();
    Ok((id, slug))
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
async fn add_words(
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

/// Sets the training status (coordinators only, checked by the caller).
pub async fn set_training(
    conn: &mut AnyConnection,
    profile_id: i64,
    trained_on: Option<&str>,
    programme: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE profiles SET trained_on = $1, training_programme = $2, updated_at = $3 WHERE id = $4")
        .bind(trained_on.map(str::to_owned))
        .bind(programme.map(str::to_owned))
        .bind(now())
        .bind(profile_id)
        .execute(conn)
        .await?;
    crate::cache::written();
    Ok(())
}

/// Writes the sensitive fields (empty means none).
pub async fn set_sensitive(conn: &mut AnyConnection, profile_id: i64, s: &Sensitive) -> Result<()> {
    sqlx::query("UPDATE profiles SET accommodations = $1, disability_experience = $2, updated_at = $3 WHERE id = $4")
        .bind(s.accommodations.clone().filter(|x| !x.trim().is_empty()))
        .bind(s.disability_experience.clone().filter(|x| !x.trim().is_empty()))
        .bind(now())
        .bind(profile_id)
        .execute(conn)
        .await?;
    crate::cache::written();
    Ok(())
}

/// Reads the sensitive fields, each only while its consent stands. The
/// caller has checked the permission and records the read in the audit log.
pub async fn sensitive(conn: &mut AnyConnection, profile_id: i64) -> Result<Sensitive> {
    let row: Option<(i64, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT account_id, accommodations, disability_experience FROM profiles WHERE id = $1",
    )
    .bind(profile_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((account_id, accommodations, experience)) = row else {
        return Err(StoreError::NotFound);
    };
    let consents = active_consents(conn, account_id).await?;
    Ok(Sensitive {
        accommodations: accommodations.filter(|_| consents.contains_key(purpose::ACCOMMODATIONS)),
        disability_experience: experience.filter(|_| consents.contains_key(purpose::EXPERIENCE)),
    })
}

/// Records a consent the person gives themself, in their own space (a new
/// line each time, so the history stays: the previous line of the same
/// purpose is closed, nothing is hidden). Only the person's own pages call
/// it (and the demo data); a coordinator records a written consent with
/// [`record_written_consent`].
pub async fn give_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    purpose: &str,
    text_version: &str,
) -> Result<()> {
    close_consent(conn, account_id, purpose).await?;
    sqlx::query(
        "INSERT INTO consents (account_id, purpose, text_version, given_at, source, recorded_by) \
         VALUES ($1, $2, $3, $4, 'person', $1)",
    )
    .bind(account_id)
    .bind(purpose)
    .bind(text_version)
    .bind(now())
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(())
}

/// The `text_version` of a consent given on paper or by e-mail (the person
/// did not read the platform's text).
pub const WRITTEN_TEXT_VERSION: &str = "accord-ecrit";

/// A person's written consent to be listed in the directory, as a
/// coordinator or an admin records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenConsent {
    /// The day the person gave it, `YYYY-MM-DD`.
    pub given_on: String,
    /// How: « formulaire papier », « e-mail »…
    pub how: String,
    pub note: Option<String>,
    /// The coordinator or admin who records it.
    pub recorded_by: i64,
}

/// Records the person's written consent to be listed (closing the line
/// before it, like [`give_consent`]). The caller checked the permission and
/// writes the audit line in the same transaction.
pub async fn record_written_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    w: &WrittenConsent,
) -> Result<()> {
    close_consent(conn, account_id, purpose::LISTING).await?;
    sqlx::query(
        "INSERT INTO consents (account_id, purpose, text_version, given_at, source, recorded_by, \
         written_on, written_how, note) VALUES ($1, $2, $3, $4, 'written', $5, $6, $7, $8)",
    )
    .bind(account_id)
    .bind(purpose::LISTING)
    .bind(WRITTEN_TEXT_VERSION)
    .bind(now())
    .bind(w.recorded_by)
    .bind(&w.given_on)
    .bind(&w.how)
    .bind(w.note.clone())
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(())
}

/// Where the consent to be listed stands: the newest line of the purpose
/// decides (giving closes the lines before it, withdrawing closes all).
pub async fn listing_consent(conn: &mut AnyConnection, account_id: i64) -> Result<ListingConsent> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT source, withdrawn_at FROM consents WHERE account_id = $1 AND purpose = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(purpose::LISTING)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => ListingConsent::NeverAsked,
        Some((_, Some(_))) => ListingConsent::Withdrawn,
        Some((source, None)) if source == "written" => ListingConsent::Written,
        Some(_) => ListingConsent::ByPerson,
    })
}

/// Who gave a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentSource {
    /// The person, in their own space.
    Person,
    /// A coordinator or an admin recorded the person's written consent.
    Written {
        /// `YYYY-MM-DD`.
        given_on: String,
        how: String,
        note: Option<String>,
    },
}

/// A standing consent, with who gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentLine {
    pub purpose: String,
    pub text_version: String,
    /// When the line was written.
    pub given_at: i64,
    pub source: ConsentSource,
    /// The name of the account that wrote the line (the person, or the
    /// coordinator who recorded a written consent); `None` once that
    /// account is gone.
    pub recorded_by: Option<String>,
}

/// The standing consents of an account, with who gave each, oldest first.
pub async fn consents_on_file(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<ConsentLine>> {
    let rows: Vec<(
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT c.purpose, c.text_version, c.given_at, c.source, c.written_on, c.written_how, c.note, \
         r.display_name FROM consents c LEFT JOIN accounts r ON r.id = c.recorded_by \
         WHERE c.account_id = $1 AND c.withdrawn_at IS NULL ORDER BY c.id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(purpose, text_version, given_at, source, on, how, note, by)| ConsentLine {
                purpose,
                text_version,
                given_at,
                source: if source == "written" {
                    ConsentSource::Written {
                        given_on: on.unwrap_or_default(),
                        how: how.unwrap_or_default(),
                        note,
                    }
                } else {
                    ConsentSource::Person
                },
                recorded_by: by,
            },
        )
        .collect())
}

async fn close_consent(conn: &mut AnyConnection, account_id: i64, purpose: &str) -> Result<()> {
    sqlx::query(
        "UPDATE consents SET withdrawn_at = $1 WHERE account_id = $2 AND purpose = $3 AND withdrawn_at IS NULL",
    )
    .bind(now())
    .bind(account_id)
    .bind(purpose)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a consent. Withdrawing the listing consent hides the profiles
/// at once; withdrawing the consent to share a sensitive answer
/// (accommodations, experience of disability) erases that answer.
pub async fn withdraw_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    purpose: &str,
) -> Result<()> {
    close_consent(conn, account_id, purpose).await?;
    let change = match purpose {
        purpose::LISTING => {
            "UPDATE profiles SET visibility = 'hidden', updated_at = $1 WHERE account_id = $2"
        }
        purpose::ACCOMMODATIONS => {
            "UPDATE profiles SET accommodations = NULL, updated_at = $1 WHERE account_id = $2"
        }
        purpose::EXPERIENCE => {
            "UPDATE profiles SET disability_experience = NULL, updated_at = $1 WHERE account_id = $2"
        }
        _ => "",
    };
    if !change.is_empty() {
        sqlx::query(change)
            .bind(now())
            .bind(account_id)
            .execute(conn)
            .await?;
    }
    crate::cache::written();
    Ok(())
}

/// Active consents of an account: purpose → (text version, given at).
pub async fn active_consents(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<BTreeMap<String, (String, i64)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT purpose, text_version, given_at FROM consents WHERE account_id = $1 AND withdrawn_at IS NULL",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, v, at)| (p, (v, at))).collect())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: i64,
    pub slug: String,
    pub label: String,
}

pub async fn themes(conn: &mut AnyConnection) -> Result<Vec<Theme>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, label FROM themes ORDER BY label")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, label)| Theme { id, slug, label })
        .collect())
}

/// Adds a theme to the curated list (idempotent on its slug).
pub async fn add_theme(conn: &mut AnyConnection, label: &str) -> Result<Theme> {
    let slug = slugify(label);
    sqlx::query("INSERT INTO themes (slug, label, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING")
        .bind(&slug)
        .bind(label)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    let (id, label): (i64, String) = sqlx::query_as("SELECT id, label FROM themes WHERE slug = $1")
        .bind(&slug)
        .fetch_one(conn)
        .await?;
    crate::cache::written();
    Ok(Theme { id, slug, label })
}

type CardRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
    Option<String>,
);

const CARD_COLUMNS: &str = "p.id, p.slug, p.kind, p.display_name, p.visibility, p.home_department, p.on_site, p.remote, p.trained_on";

/// Fills the lists of the given cards (départements, kinds, themes, languages).
async fn cards(conn: &mut AnyConnection, rows: Vec<CardRow>) -> Result<Vec<Card>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids = rows
        .iter()
        .map(|r| r.0.to_string())
        .collect::<Vec<_>>()
        .join(",");
    // The four lists in one round trip: (profile, list, code, label), in
    // the order each list is shown.
    let lists: Vec<(i64, i64, String, String)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT pd.profile_id, CAST(0 AS BIGINT), d.code, d.name FROM profile_departments pd \
         JOIN departments d ON d.code = pd.department_code WHERE pd.profile_id IN ({ids}) \
         UNION ALL SELECT profile_id, CAST(1 AS BIGINT), kind, '' FROM profile_interventions \
         WHERE profile_id IN ({ids}) \
         UNION ALL SELECT pt.profile_id, CAST(2 AS BIGINT), '', t.label FROM profile_themes pt \
         JOIN themes t ON t.id = pt.theme_id WHERE pt.profile_id IN ({ids}) \
         UNION ALL SELECT profile_id, CAST(3 AS BIGINT), language, '' FROM profile_languages \
         WHERE profile_id IN ({ids}) \
         ORDER BY 2, 3, 4"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut departments: BTreeMap<i64, Vec<(String, String)>> = BTreeMap::new();
    let mut kinds: BTreeMap<i64, Vec<InterventionKind>> = BTreeMap::new();
    let mut themes: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut languages: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, list, code, label) in lists {
        match list {
            0 => departments.entry(id).or_default().push((code, label)),
            1 => {
                if let Some(k) = InterventionKind::ALL.into_iter().find(|k| k.code() == code) {
                    kinds.entry(id).or_default().push(k);
                }
            }
            2 => themes.entry(id).or_default().push(label),
            _ => languages.entry(id).or_default().push(code),
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut ks = kinds.remove(&r.0).unwrap_or_default();
            ks.sort();
            let mut deps = departments.remove(&r.0).unwrap_or_default();
            if let Some(home) = &r.5
                && let Some(pos) = deps.iter().position(|(c, _)| c == home)
            {
                let h = deps.remove(pos);
                deps.insert(0, h);
            }
            Card {
                id: r.0,
                slug: r.1,
                kind: ProfileKind::from_code(&r.2).unwrap_or(ProfileKind::Peer),
                display_name: r.3,
                visibility: Visibility::from_code(&r.4).unwrap_or(Visibility::Hidden),
                home_department: r.5,
                departments: deps,
                interventions: ks,
                themes: themes.remove(&r.0).unwrap_or_default(),
                formats: [
                    (r.6 != 0).then_some(Format::OnSite),
                    (r.7 != 0).then_some(Format::Remote),
                ]
                .into_iter()
                .flatten()
                .collect(),
                languages: languages.remove(&r.0).unwrap_or_default(),
                trained_on: r.8,
            }
        })
        .collect())
}

/// A whole profile by its slug (visibility is the caller's to check, with
/// `epop_domain::directory::may_see_profile`).
pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Profile>> {
    let row: Option<CardRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {CARD_COLUMNS} FROM profiles p WHERE p.slug = $1"
    )))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id = row.0;
    let card = cards(conn, vec![row]).await?.remove(0);
    let d: (i64, String, String, String, Option<i64>, Option<i64>, String, Option<String>, Option<String>, Option<String>, Option<String>, i64) =
        sqlx::query_as(
            "SELECT p.account_id, p.presentation, p.presentation_easy, p.own_words, p.travel_km, p.max_per_month, \
             p.other_languages, p.training_programme, p.job_title, o.name, o.slug, p.updated_at \
             FROM profiles p LEFT JOIN organisations o ON o.id = p.organisation_id WHERE p.id = $1",
        )
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(Some(Profile {
        card,
        account_id: d.0,
        presentation: d.1,
        presentation_easy: d.2,
        own_words: d.3,
        travel_km: d.4,
        max_per_month: d.5,
        other_languages: d.6,
        training_programme: d.7,
        job_title: d.8,
        organisation_name: d.9,
        organisation_slug: d.10,
        updated_at: d.11,
    }))
}

/// The slugs of an account's profiles.
pub async fn slugs_of(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<(ProfileKind, String)>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, slug FROM profiles WHERE account_id = $1 ORDER BY kind")
            .bind(account_id)
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, s)| ProfileKind::from_code(&k).map(|k| (k, s)))
        .collect())
}

/// How many profiles the directory holds, whatever their visibility (for
/// the benchmark's report: a search counts only up to [`COUNT_CAP`]).
pub async fn profile_count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM profiles")
        .fetch_one(conn)
        .await?)
}

/// A search counts at most this many matches, and more than this many is
/// « plus de 1 000 résultats »: [`search`] then returns `COUNT_CAP + 1`.
/// Counting them all (thousands for a broad word) cost as much as the page
/// itself, for a figure nobody pages through.
pub const COUNT_CAP: i64 = 1_000;

/// Whether a total returned by [`search`] is only a lower bound (more than
/// [`COUNT_CAP`] matches).
pub fn total_is_lower_bound(total: i64) -> bool {
    total > COUNT_CAP
}

/// Searches the directory: the profiles `viewer` may see that match `q`,
/// one page of them, and how many match, counted up to [`COUNT_CAP`] + 1
/// (see [`total_is_lower_bound`]).
///
/// In relevance order with words, the page is ranked among the first
/// `COUNT_CAP + 1` matches in the full-text index's own order (the profile
/// id): all of them when there are fewer (the usual case), and a bounded,
/// stable set for a broad word, so that its cost does not grow with the
/// number of profiles and pages 1 to 50 never overlap (ARCHITECTURE.md).
pub async fn search(
    conn: &mut AnyConnection,
    engine: Engine,
    q: &SearchQuery,
    viewer: &Viewer,
) -> Result<(Vec<Card>, i64)> {
    let terms = q.terms();
    // The selective filters are tokens of the full-text index (see
    // [`filter_tokens`]): words and filters are one index intersection.
    let tokens = query_tokens(q);
    match engine {
        _ if terms.is_empty() && tokens.is_empty() => {
            // No word and no selective filter: the visible profiles, by name.
            let mut sql = Sql::default();
            sql.push(" FROM profiles p WHERE ");
            conditions(&mut sql, q, viewer, On::Profile);
            by_name(conn, sql, None, q).await
        }
        Engine::Sqlite => search_sqlite(conn, q, viewer, &terms, &tokens).await,
        Engine::Postgres => search_postgres(conn, q, viewer, &terms, &tokens).await,
    }
}

/// Where the conditions of a search read a profile: the profile itself
/// (`p`), or its copy next to the PostgreSQL index (`m`, migration 19: the
/// columns a foreign key keeps equal to the profile's).
#[derive(Clone, Copy)]
enum On {
    Profile,
    IndexCopy,
}

/// The conditions every search adds on the profile: who may see it (the
/// only rule of visibility: the tokens of the index never decide it), then
/// the filters that are not tokens of the index (theme, language,
/// organisation, kind of profile), each one probe of a primary key.
fn conditions(sql: &mut Sql, q: &SearchQuery, viewer: &Viewer, on: On) {
    let (t, id) = match on {
        On::Profile => ("p", "p.id"),
        On::IndexCopy => ("m", "m.rowid"),
    };
    sql.push(&format!("({t}.visibility = 'public'"));
    if viewer.member {
        sql.push(&format!(" OR {t}.visibility = 'members'"));
    }
    if viewer.admin {
        sql.push(" OR 1 = 1");
    }
    if let Some(me) = viewer.account_id {
        let p = sql.int(me);
        // `+ 0`: not an indexable term, so SQLite does not turn the
        // visibility test into a union of index lookups (a « MULTI-INDEX
        // OR » of 90,000 ids, sorted afterwards) and keeps to the name order.
        sql.push(&format!(" OR {t}.account_id + 0 = {p}"));
    }
    if !viewer.coordinated.is_empty() {
        let list: Vec<String> = viewer
            .coordinated
            .iter()
            .map(|d| sql.text(d.clone()))
            .collect();
        // `LIMIT 1 OFFSET 0`: PostgreSQL would otherwise hash the ids of
        // every profile of the territory (26,000 for a region, 10 ms)
        // before the first row, where one probe per hidden profile is met.
        sql.push(&format!(
            " OR EXISTS (SELECT 1 FROM profile_departments v WHERE v.profile_id = {id} AND v.department_code IN ({}) LIMIT 1 OFFSET 0)",
            list.join(", ")
        ));
    }
    sql.push(")");
    if let Some(th) = &q.theme {
        let p = sql.text(th.clone());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM profile_themes pt JOIN themes t ON t.id = pt.theme_id WHERE pt.profile_id = {id} AND t.slug = {p})"
        ));
    }
    if let Some(l) = &q.language {
        let p = sql.text(l.clone());
        sql.push(&format!(" AND EXISTS (SELECT 1 FROM profile_languages pl WHERE pl.profile_id = {id} AND pl.language = {p})"));
    }
    if let Some(o) = &q.organisation {
        let p = sql.text(o.clone());
        sql.push(&format!(
            " AND EXISTS (SELECT 1 FROM profiles op JOIN organisations o ON o.id = op.organisation_id WHERE op.id = {id} AND o.slug = {p})"
        ));
    }
    if let Some(k) = q.profile_kind {
        let p = sql.text(k.code());
        sql.push(&format!(" AND {t}.kind = {p}"));
    }
}

/// The cards of rows that begin with [`CARD_COLUMNS`].
async fn cards_of(conn: &mut AnyConnection, rows: &[sqlx::any::AnyRow]) -> Result<Vec<Card>> {
    let rows = rows
        .iter()
        .map(<CardRow as sqlx::FromRow<'_, sqlx::any::AnyRow>>::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    cards(conn, rows).await
}

/// The page among the first `COUNT_CAP + 1` matches of `filter` (a search's
/// ` FROM … WHERE …`, read in `order`: empty, or an ` ORDER BY`), sorted by
/// `rank` (lowest first), then name, then id, and how many they are, in one
/// statement that reads the profiles' rows for the page's cards only. A page
/// past the last is counted on its own. `filter` is given back as it came.
async fn first_matches(
    conn: &mut AnyConnection,
    filter: &mut Sql,
    rank: &str,
    order: &str,
    q: &SearchQuery,
) -> Result<(Vec<sqlx::any::AnyRow>, i64)> {
    let from = std::mem::take(&mut filter.text);
    let args = filter.args.len();
    let cap = COUNT_CAP + 1;
    let limit = filter.int(i64::from(PAGE_SIZE));
    let offset = filter.int(i64::from(q.page) * i64::from(PAGE_SIZE));
    filter.text = format!(
        "SELECT {CARD_COLUMNS}, c.n FROM (SELECT id, r, s, COUNT(*) OVER () AS n FROM \
         (SELECT p.id AS id, {rank} AS r, p.sort_name AS s{from}{order} LIMIT {cap}) AS firsts \
         ORDER BY r, s, id LIMIT {limit} OFFSET {offset}) AS c \
         JOIN profiles p ON p.id = c.id ORDER BY c.r, c.s, c.id"
    );
    let rows = filter.query()?.fetch_all(&mut *conn).await?;
    filter.args.truncate(args);
    filter.text = from;
    let total = match rows.first() {
        Some(first) => first.try_get::<i64, _>(9)?,
        None if q.page == 0 => 0,
        // A page past the last: count them to say so.
        None => count(conn, filter).await?,
    };
    Ok((rows, total))
}

/// How many matches `filter` (a search's ` FROM … WHERE …`) has, counted
/// up to [`COUNT_CAP`] + 1.
async fn count(conn: &mut AnyConnection, filter: &Sql) -> Result<i64> {
    let counting = Sql {
        text: format!(
            "SELECT COUNT(*) FROM (SELECT 1{} LIMIT {}) AS c",
            filter.text,
            COUNT_CAP + 1
        ),
        args: filter.args.clone(),
    };
    Ok(counting.scalar()?.fetch_one(&mut *conn).await?)
}

/// The page of a search in name order, and its count (up to
/// [`COUNT_CAP`] + 1). `filter` is the search's ` FROM … WHERE …`; `broad`,
/// when given, the same search written for more than [`COUNT_CAP`] matches,
/// with the same arguments in the same order: the matches of `filter` are
/// then read once, counted and sorted together, and `broad` walks the names
/// only past [`COUNT_CAP`]. Without it (the whole directory, read in name
/// order), the count comes first, then the walk.
async fn by_name(
    conn: &mut AnyConnection,
    mut filter: Sql,
    broad: Option<String>,
    q: &SearchQuery,
) -> Result<Found> {
    let (rows, total) = match broad {
        Some(_) => first_matches(conn, &mut filter, "0", "", q).await?,
        None => (Vec::new(), count(conn, &filter).await?),
    };
    if total == 0 || (broad.is_some() && !total_is_lower_bound(total)) {
        return Ok((cards_of(conn, &rows).await?, total));
    }
    // The page among all the matches, by name (on SQLite from the covering
    // indexes of migration 20), then its cards.
    let from = match broad {
        Some(b) if total_is_lower_bound(total) => b,
        _ => std::mem::take(&mut filter.text),
    };
    let limit = filter.int(i64::from(PAGE_SIZE));
    let offset = filter.int(i64::from(q.page) * i64::from(PAGE_SIZE));
    filter.text = format!(
        "SELECT {CARD_COLUMNS} FROM (SELECT p.id AS id, p.sort_name AS s{from} \
         ORDER BY p.sort_name, p.id LIMIT {limit} OFFSET {offset}) AS c \
         JOIN profiles p ON p.id = c.id ORDER BY c.s, c.id"
    );
    let rows = filter.query()?.fetch_all(&mut *conn).await?;
    Ok((cards_of(conn, &rows).await?, total))
}

/// SQLite: FTS5 gives its matches in the order of the ids, so the first
/// `COUNT_CAP + 1` of a broad word are found without reading the others.
async fn search_sqlite(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    terms: &[String],
    tokens: &[String],
) -> Result<Found> {
    let words = match lookup(conn, Engine::Sqlite, terms).await? {
        Some((words, _)) if !words.is_empty() => Some(words),
        _ => None,
    };
    let ranked = words.is_some() && q.sort == Sort::Relevance;
    // BM25 counts the rows of every phrase of the query, once per search: a
    // kind of intervention (a third of the profiles) or a format (half of
    // them) cost 2 to 3 ms of counting alone, where checking them on each
    // of the first matches costs little. Ranked, they are conditions.
    let place;
    let tokens = if ranked {
        place = place_tokens(q);
        &place
    } else {
        tokens
    };
    let mut sql = Sql::default();
    let m = words
        .into_iter()
        .chain(tokens.iter().map(|t| format!("tags : \"{t}\"")))
        .collect::<Vec<_>>()
        .join(" AND ");
    let p = sql.text(m);
    // The full-text index drives the join (CROSS JOIN keeps this order): the
    // other way round, SQLite ran the whole MATCH once per visible profile
    // (minutes at 100,000 profiles). Each match is judged on the covering
    // index of migration 20, never on the profile's wide row.
    sql.push(&format!(
        " FROM profile_fts f CROSS JOIN profiles p INDEXED BY profiles_search_copy \
         ON p.id = f.rowid WHERE profile_fts MATCH {p} AND "
    ));
    conditions(&mut sql, q, viewer, On::Profile);
    if ranked {
        if let Some(k) = q.kind {
            let k = sql.text(k.code());
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM profile_interventions pi WHERE pi.profile_id = p.id AND pi.kind = {k})"
            ));
        }
        if let Some(f) = q.format {
            sql.push(match f {
                Format::OnSite => " AND p.on_site = 1",
                Format::Remote => " AND p.remote = 1",
            });
        }
    } else {
        // Past 1,000 matches, the name index drives and each profile is
        // looked up in the matches, gathered once (page 1 of a region with a
        // kind: 9 ms → 1.5 ms); fewer, and they are read and sorted. `+`
        // keeps SQLite from reading the matches' profiles by id instead.
        let mut broad = Sql::default();
        let p = broad.text("");
        broad.push(&format!(
            " FROM profiles p WHERE +p.id IN (SELECT rowid FROM profile_fts WHERE profile_fts MATCH {p}) AND "
        ));
        conditions(&mut broad, q, viewer, On::Profile);
        return by_name(conn, sql, Some(broad.text), q).await;
    }
    // The candidates: the first matches in the index's order (the ones a
    // count would count), ranked by BM25 of the words only (the column of
    // the filters' tokens weighs nothing), then the page among them.
    let (rows, total) = first_matches(
        conn,
        &mut sql,
        "bm25(profile_fts, 1.0, 0.0)",
        " ORDER BY f.rowid",
        q,
    )
    .await?;
    Ok((cards_of(conn, &rows).await?, total))
}

/// A lexeme of a tsquery, quoted.
fn lexeme(word: &str) -> String {
    format!("'{}'", word.replace('\\', "\\\\").replace('\'', "''"))
}

/// The first string after every string that begins with `prefix`, in byte
/// order (the words' `COLLATE "C"`).
fn prefix_end(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = u32::from(last) + 1;
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return chars.into_iter().collect();
        }
    }
    // Only `char::MAX`: nothing comes after; U+10FFFF is the greatest.
    char::MAX.to_string()
}

/// At most this many words of the index for one word typed as their
/// beginning; more (« a », « ma »), and the index reads the prefix itself.
const WORDS_PER_PREFIX: usize = 64;

/// What the index says before a search, in one query: the words typed as
/// the index's own words that begin so (`profile_fts_words`: migration 19 on
/// PostgreSQL, 20 on SQLite), written for the engine's full-text index —
/// `('sante' | 'santes') & 'mentale'` on PostgreSQL, `("sante" OR "santes")
/// AND ("mentale")` on SQLite (empty without words) — and, on PostgreSQL,
/// the greatest id it holds. More than [`WORDS_PER_PREFIX`] words, and the
/// index reads the prefix itself. A word that begins no word of the index:
/// on PostgreSQL nothing can match (`None`); on SQLite, whose tokenizer
/// folds a few letters the words' own folding keeps (« ł »), the index
/// reads the prefix itself.
async fn lookup(
    conn: &mut AnyConnection,
    engine: Engine,
    terms: &[String],
) -> Result<Option<(String, i64)>> {
    let mut sql = Sql::default();
    let mut parts = Vec::new();
    if engine == Engine::Postgres {
        parts.push(
            "SELECT CAST(-1 AS BIGINT) AS i, CAST(MAX(rowid) AS TEXT) FROM profile_fts".to_owned(),
        );
    }
    for (i, t) in terms.iter().enumerate() {
        let from = sql.text(t.clone());
        let to = sql.text(prefix_end(t));
        let more = WORDS_PER_PREFIX + 1;
        parts.push(format!(
            "SELECT CAST({i} AS BIGINT) AS i, w.word FROM (SELECT word FROM profile_fts_words \
             WHERE word >= {from} AND word < {to} ORDER BY word LIMIT {more}) AS w"
        ));
    }
    let mut last = 0;
    let mut words: Vec<Vec<String>> = vec![Vec::new(); terms.len()];
    if !parts.is_empty() {
        sql.text = parts.join(" UNION ALL ");
        let rows: Vec<(i64, Option<String>)> = sql.query_as()?.fetch_all(&mut *conn).await?;
        for (i, w) in rows {
            match (usize::try_from(i), w) {
                (Ok(i), Some(w)) => words[i].push(w),
                (Err(_), Some(max)) => last = max.parse().unwrap_or_default(),
                _ => {}
            }
        }
    }
    let mut query = Vec::new();
    for (t, ws) in terms.iter().zip(words) {
        let prefix = ws.is_empty() || ws.len() > WORDS_PER_PREFIX;
        query.push(match engine {
            Engine::Postgres if ws.is_empty() => return Ok(None),
            Engine::Postgres if prefix => format!("{}:*", lexeme(t)),
            Engine::Postgres => format!(
                "({})",
                ws.iter().map(|w| lexeme(w)).collect::<Vec<_>>().join(" | ")
            ),
            Engine::Sqlite if prefix => format!("\"{t}\"*"),
            Engine::Sqlite => format!(
                "({})",
                ws.iter()
                    .map(|w| format!("\"{w}\""))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
        });
    }
    let and = match engine {
        Engine::Postgres => " & ",
        Engine::Sqlite => " AND ",
    };
    Ok(Some((query.join(and), last)))
}

/// A candidate of a PostgreSQL search: id, rank, name.
type Candidate = (i64, f32, String);

/// The first `COUNT_CAP + 1` matches the viewer may see, in id order, with
/// their rank, read a few buckets of ids at a time ([`search_postgres`]).
async fn ranked_candidates(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    query: &str,
    words: &str,
    last: i64,
) -> Result<Vec<Candidate>> {
    let cap = COUNT_CAP + 1;
    let mut found: Vec<Candidate> = Vec::new();
    // Ids up to `after` are read; the next step reads `buckets` buckets.
    let mut after = 0;
    let mut buckets = 1;
    let missing = |found: &Vec<Candidate>| cap - i64::try_from(found.len()).unwrap_or(cap);
    while missing(&found) > 0 && after < last {
        let first = (after + 1) / BUCKET;
        let end = (first + buckets) * BUCKET;
        let mut sql = Sql::default();
        let w = sql.text(words);
        // A few buckets are tokens of the index; more, or the rest, a range.
        let bounded = end <= last;
        let range = if bounded && buckets <= 16 {
            let names = (first..first + buckets)
                .map(bucket_token)
                .collect::<Vec<_>>()
                .join(" | ");
            let r = sql.text(format!("{query} & ({names})"));
            format!("tsv @@ CAST({r} AS tsquery)")
        } else {
            let r = sql.text(query);
            let a = sql.int(after);
            let mut range = format!("tsv @@ CAST({r} AS tsquery) AND rowid > {a}");
            if bounded {
                range.push_str(&format!(" AND rowid < {}", sql.int(end)));
            }
            range
        };
        // The index's rows of the range, judged on their copy of the
        // profile's columns and ranked if seen, all of them (the CTE is
        // evaluated on its own: the GIN index, never a walk of the ids
        // testing each vector), then the first in id order.
        sql.push(&format!(
            "WITH c AS MATERIALIZED (SELECT m.rowid, ts_rank(tsv, CAST({w} AS tsquery)) AS r, \
             m.sort_name FROM profile_fts m WHERE {range} AND "
        ));
        conditions(&mut sql, q, viewer, On::IndexCopy);
        let most = sql.int(missing(&found));
        sql.push(&format!(
            ") SELECT rowid, r, sort_name FROM c ORDER BY rowid LIMIT {most}"
        ));
        let rows: Vec<Candidate> = sql.query_as()?.fetch_all(&mut *conn).await?;
        found.extend(rows);
        after = if bounded { end - 1 } else { last };
        // The next step: enough buckets for what is missing at the density
        // seen so far, and a tenth more; everything left if none yet.
        buckets = if found.is_empty() {
            last / BUCKET + 1
        } else {
            let per_id = found.len() as f64 / after as f64;
            ((missing(&found) as f64 / per_id * 1.1) / BUCKET as f64).ceil() as i64
        }
        .max(1);
    }
    Ok(found)
}

/// PostgreSQL: the GIN index answers with every match at once (a bitmap of
/// them all, each read in the table), so a broad word would cost as much as
/// its number of matches. The search reads them instead a few buckets of
/// ids at a time (`_b<id / 4096>` tokens, migration 19), in the order of
/// the ids, until it has `COUNT_CAP + 1` the viewer may see: the same
/// candidates as SQLite's, in a time bounded by what is kept. Each step is
/// one query whose plan cannot go wrong (ARCHITECTURE.md): the index's
/// matches in a range of ids, with their rank, judged by the visibility
/// rule on the index's own copy of the profile's columns (a foreign key
/// keeps it equal). The page is chosen among the candidates by rank, then
/// name (or by name alone); past `COUNT_CAP` matches in name order, the
/// index's rows are walked by name.
async fn search_postgres(
    conn: &mut AnyConnection,
    q: &SearchQuery,
    viewer: &Viewer,
    terms: &[String],
    tokens: &[String],
) -> Result<Found> {
    let Some((words, last)) = lookup(conn, Engine::Postgres, terms).await? else {
        return Ok((Vec::new(), 0));
    };
    let words = (!words.is_empty()).then_some(words);
    let query = words
        .iter()
        .cloned()
        .chain(tokens.iter().cloned())
        .collect::<Vec<_>>()
        .join(" & ");
    let cap = COUNT_CAP + 1;
    let ranked = words.is_some() && q.sort == Sort::Relevance;
    // (id, rank, name) of the candidates.
    let mut found: Vec<Candidate> = match &words {
        Some(w) if ranked => ranked_candidates(conn, q, viewer, &query, w, last).await?,
        _ => {
            // In name order any matches count as well as the first ones in
            // id order: one read of at most `COUNT_CAP + 1`, from the GIN
            // index's bitmap of them all (a region with a kind: 4 ms, where
            // the buckets' steps took 7 to 10).
            let mut sql = Sql::default();
            let r = sql.text(query.clone());
            sql.push(&format!(
                "SELECT m.rowid, CAST(0 AS REAL), m.sort_name FROM profile_fts m \
                 WHERE m.tsv @@ CAST({r} AS tsquery) AND "
            ));
            conditions(&mut sql, q, viewer, On::IndexCopy);
            sql.push(&format!(" LIMIT {cap}"));
            sql.query_as()?.fetch_all(&mut *conn).await?
        }
    };
    let total = i64::try_from(found.len()).unwrap_or(cap);
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    let start = usize::try_from(q.page)
        .unwrap_or(usize::MAX)
        .saturating_mul(PAGE_SIZE as usize);
    let page: Vec<i64> = if !ranked && total > COUNT_CAP {
        // More than the candidates, by name: the index's rows in name order
        // (migration 19), among all the matches.
        let mut sql = Sql::default();
        let r = sql.text(query);
        sql.push(&format!(
            "SELECT m.rowid FROM profile_fts m WHERE m.tsv @@ CAST({r} AS tsquery) AND "
        ));
        conditions(&mut sql, q, viewer, On::IndexCopy);
        let limit = sql.int(i64::from(PAGE_SIZE));
        let offset = sql.int(i64::try_from(start).unwrap_or(i64::MAX));
        sql.push(&format!(
            " ORDER BY m.sort_name, m.rowid LIMIT {limit} OFFSET {offset}"
        ));
        sql.scalar()?.fetch_all(&mut *conn).await?
    } else {
        // By rank, then name (bytes, as SQLite's default order), then id.
        found.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then_with(|| a.2.as_bytes().cmp(b.2.as_bytes()))
                .then_with(|| a.0.cmp(&b.0))
        });
        found
            .iter()
            .skip(start)
            .take(PAGE_SIZE as usize)
            .map(|c| c.0)
            .collect()
    };
    if page.is_empty() {
        return Ok((Vec::new(), total));
    }
    let mut sql = Sql::default();
    let list = page
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let p = sql.text(list);
    // The rule once more on the profiles themselves: the page can only ever
    // lose a card, never show one the viewer may not see.
    sql.push(&format!(
        "SELECT {CARD_COLUMNS} FROM profiles p WHERE p.id = ANY(CAST(string_to_array({p}, ',') AS BIGINT[])) AND "
    ));
    conditions(&mut sql, q, viewer, On::Profile);
    let mut rows = sql.query()?.fetch_all(&mut *conn).await?;
    rows.sort_by_key(|r| {
        let id: i64 = r.try_get(0).unwrap_or_default();
        page.iter().position(|p| *p == id)
    });
    Ok((cards_of(conn, &rows).await?, total))
}

impl Viewer {
    /// Not signed in: sees the public profiles only.
    pub fn is_visitor(&self) -> bool {
        self.account_id.is_none() && !self.member && !self.admin && self.coordinated.is_empty()
    }
}

/// What a search found: one page of cards, and the (capped) count.
pub type Found = (Vec<Card>, i64);

/// [`search`] through the process's read cache ([`crate::cache`]) when the
/// viewer is a visitor: the same search by anyone not signed in gives the
/// same public profiles, and any write in this process drops them at once.
/// Signed-in people always search the database. Shared, not copied.
pub async fn search_cached(
    db: &crate::Db,
    q: &SearchQuery,
    viewer: &Viewer,
) -> Result<std::sync::Arc<Found>> {
    if !viewer.is_visitor() {
        let mut conn = db.conn().await?;
        return Ok(std::sync::Arc::new(
            search(&mut conn, db.engine(), q, viewer).await?,
        ));
    }
    let key = format!("{q:?}");
    if let Some(hit) = db.searches.get(&key) {
        return Ok(hit);
    }
    // Read before the search: a write committed meanwhile makes this entry
    // stale at once.
    let generation = crate::cache::generation();
    let mut conn = db.conn().await?;
    let found = std::sync::Arc::new(search(&mut conn, db.engine(), q, viewer).await?);
    db.searches.put(key, generation, found.clone());
    Ok(found)
}

/// The stored values of a profile, as an input to change and write back
/// (the one-question-per-page form saves one answer at a time).
pub async fn input_of(conn: &mut AnyConnection, profile_id: i64) -> Result<ProfileInput> {
    let r: (String, String, String, Option<String>, String, String, String, i64, i64, Option<i64>, String, Option<i64>, Option<String>, Option<i64>) =
        sqlx::query_as(
            "SELECT kind, display_name, visibility, home_department, presentation, presentation_easy, own_words, \
             on_site, remote, travel_km, other_languages, max_per_month, job_title, organisation_id FROM profiles WHERE id = $1",
        )
        .bind(profile_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let list = |sql: &'static str| sqlx::query_as::<_, (String,)>(sql).bind(profile_id);
    let departments = list("SELECT department_code FROM profile_departments WHERE profile_id = $1 ORDER BY department_code")
        .fetch_all(&mut *conn)
        .await?;
    let kinds = list("SELECT kind FROM profile_interventions WHERE profile_id = $1")
        .fetch_all(&mut *conn)
        .await?;
    let languages =
        list("SELECT language FROM profile_languages WHERE profile_id = $1 ORDER BY language")
            .fetch_all(&mut *conn)
            .await?;
    let theme_ids: Vec<(i64,)> =
        sqlx::query_as("SELECT theme_id FROM profile_themes WHERE profile_id = $1")
            .bind(profile_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(ProfileInput {
        kind: ProfileKind::from_code(&r.0).unwrap_or(ProfileKind::Peer),
        display_name: r.1,
        visibility: Visibility::from_code(&r.2).unwrap_or(Visibility::Hidden),
        home_department: r.3,
        presentation: r.4,
        presentation_easy: r.5,
        own_words: r.6,
        on_site: r.7 != 0,
        remote: r.8 != 0,
        travel_km: r.9,
        other_languages: r.10,
        max_per_month: r.11,
        job_title: r.12,
        organisation_id: r.13,
        departments: departments.into_iter().map(|(d,)| d).collect(),
        interventions: kinds
            .iter()
            .filter_map(|(k,)| InterventionKind::ALL.into_iter().find(|x| x.code() == k))
            .collect(),
        theme_ids: theme_ids.into_iter().map(|(t,)| t).collect(),
        languages: languages.into_iter().map(|(l,)| l).collect(),
    })
}

/// The profile of `kind` of an account: (id, slug), if it exists.
pub async fn profile_of(
    conn: &mut AnyConnection,
    account_id: i64,
    kind: ProfileKind,
) -> Result<Option<(i64, String)>> {
    Ok(
        sqlx::query_as("SELECT id, slug FROM profiles WHERE account_id = $1 AND kind = $2")
            .bind(account_id)
            .bind(kind.code())
            .fetch_optional(conn)
            .await?,
    )
}

/// The raw sensitive fields for their owner's form (whatever the consents).
pub async fn sensitive_for_owner(conn: &mut AnyConnection, profile_id: i64) -> Result<Sensitive> {
    let (accommodations, disability_experience): (Option<String>, Option<String>) =
        sqlx::query_as("SELECT accommodations, disability_experience FROM profiles WHERE id = $1")
            .bind(profile_id)
            .fetch_one(conn)
            .await?;
    Ok(Sensitive {
        accommodations,
        disability_experience,
    })
}

/// A period when a person is away (no proposal then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
}

/// The periods away of a profile that have not ended before `today` (ISO date).
pub async fn absences(
    conn: &mut AnyConnection,
    profile_id: i64,
    today: &str,
) -> Result<Vec<Absence>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, starts_on, ends_on FROM profile_absences WHERE profile_id = $1 AND ends_on >= $2 ORDER BY starts_on",
    )
    .bind(profile_id)
    .bind(today)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, starts_on, ends_on)| Absence {
            id,
            starts_on,
            ends_on,
        })
        .collect())
}

pub async fn add_absence(
    conn: &mut AnyConnection,
    profile_id: i64,
    starts_on: &str,
    ends_on: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO profile_absences (profile_id, starts_on, ends_on) VALUES ($1, $2, $3)",
    )
    .bind(profile_id)
    .bind(starts_on)
    .bind(ends_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a period away, only if it belongs to that profile.
pub async fn remove_absence(
    conn: &mut AnyConnection,
    profile_id: i64,
    absence_id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM profile_absences WHERE id = $1 AND profile_id = $2")
        .bind(absence_id)
        .bind(profile_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The photo of a profile: (file name in the photos folder, text alternative).
pub async fn photo(conn: &mut AnyConnection, profile_id: i64) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT photo_path, photo_alt FROM profiles WHERE id = $1")
            .bind(profile_id)
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        Some((Some(path), alt)) => Some((path, alt.unwrap_or_default())),
        _ => None,
    })
}

/// Sets (or, with `None`, removes) the photo; returns the file it replaces.
pub async fn set_photo(
    conn: &mut AnyConnection,
    profile_id: i64,
    photo: Option<(&str, &str)>,
) -> Result<Option<String>> {
    let previous = photo_of_profile(conn, profile_id).await?;
    sqlx::query(
        "UPDATE profiles SET photo_path = $1, photo_alt = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(photo.map(|(p, _)| p.to_owned()))
    .bind(photo.map(|(_, a)| a.to_owned()))
    .bind(now())
    .bind(profile_id)
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(previous)
}

async fn photo_of_profile(conn: &mut AnyConnection, profile_id: i64) -> Result<Option<String>> {
    Ok(photo(conn, profile_id).await?.map(|(path, _)| path))
}
