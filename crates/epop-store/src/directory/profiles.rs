//! Profiles: writing one (its lists and its search index entry), reading
//! one or the cards of many, the training status and the sensitive fields.

use std::collections::BTreeMap;

use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};
use epop_domain::text::fold;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Engine, Result, SlugTable, StoreError, free_slug, now};

use super::consents::active_consents;
use super::index::{BUCKET, add_words, bucket_token, filter_tokens, names_for, search_text};
use super::{Card, Profile, ProfileInput, Sensitive, purpose};

pub(super) fn flag(b: bool) -> i64 {
    i64::from(b)
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
    let (id, slug) = write_profile(conn, account_id, input, &text).await?;
    clear_lists(conn, id).await?;
    let (departments, regions) = places_covered(conn, input).await?;
    let tokens = filter_tokens(&departments, &regions, input);
    write_lists(conn, id, &departments, input).await?;
    write_index(conn, engine, id, &text, tokens).await?;
    add_words(conn, engine, id, &text).await?;
    crate::cache::written();
    Ok((id, slug))
}

/// [`upsert`]'s row in `profiles`, with its folded `text`. Returns (id, slug).
async fn write_profile(
    conn: &mut AnyConnection,
    account_id: i64,
    input: &ProfileInput,
    text: &str,
) -> Result<(i64, String)> {
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
    .bind(text)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    Ok((id, slug))
}

/// Empties the lists of a profile before [`write_lists`] writes them anew.
async fn clear_lists(conn: &mut AnyConnection, id: i64) -> Result<()> {
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
    Ok(())
}

/// The départements a profile covers (its home first, when it is not among
/// them) and their regions.
async fn places_covered(
    conn: &mut AnyConnection,
    input: &ProfileInput,
) -> Result<(Vec<String>, Vec<String>)> {
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
    Ok((departments, regions))
}

/// The lists of a profile: départements covered, kinds of intervention,
/// themes and languages.
async fn write_lists(
    conn: &mut AnyConnection,
    id: i64,
    departments: &[String],
    input: &ProfileInput,
) -> Result<()> {
    let insert = |table_column: &str| {
        format!("INSERT INTO {table_column} VALUES ($1, $2) ON CONFLICT DO NOTHING")
    };
    let sql = insert("profile_departments (profile_id, department_code)");
    add_to_list(conn, &sql, id, departments.to_vec()).await?;
    let sql = insert("profile_interventions (profile_id, kind)");
    add_to_list(
        conn,
        &sql,
        id,
        input
            .interventions
            .iter()
            .map(|k| k.code().to_owned())
            .collect(),
    )
    .await?;
    let sql = insert("profile_themes (profile_id, theme_id)");
    add_to_list(conn, &sql, id, input.theme_ids.clone()).await?;
    let sql = insert("profile_languages (profile_id, language)");
    add_to_list(conn, &sql, id, input.languages.clone()).await?;
    Ok(())
}

/// Runs `sql` (`$1` the profile `id`, `$2` a value) for each of `values`.
async fn add_to_list<T>(conn: &mut AnyConnection, sql: &str, id: i64, values: Vec<T>) -> Result<()>
where
    T: sqlx::Encode<'static, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + 'static,
{
    for value in values {
        sqlx::query(AssertSqlSafe(sql.to_owned()))
            .bind(id)
            .bind(value)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The profile's entry in the full-text index: its folded `text` and its
/// filters' `tokens` ([`filter_tokens`]).
async fn write_index(
    conn: &mut AnyConnection,
    engine: Engine,
    id: i64,
    text: &str,
    tokens: String,
) -> Result<()> {
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
        .bind(text)
        .bind(&tokens)
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

pub(super) type CardRow = (
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

pub(super) const CARD_COLUMNS: &str = "p.id, p.slug, p.kind, p.display_name, p.visibility, p.home_department, p.on_site, p.remote, p.trained_on";

/// Fills the lists of the given cards (départements, kinds, themes, languages).
pub(super) async fn cards(conn: &mut AnyConnection, rows: Vec<CardRow>) -> Result<Vec<Card>> {
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
/// the benchmark's report: a search counts only up to
/// [`COUNT_CAP`](super::COUNT_CAP)).
pub async fn profile_count(conn: &mut AnyConnection) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM profiles")
        .fetch_one(conn)
        .await?)
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
