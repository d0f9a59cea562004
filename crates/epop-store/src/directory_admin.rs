//! The directory as coordinators manage it: every profile of a territory
//! (hidden ones too) for their table and their exports, the profile whose
//! training status they set, and the curated themes.
//!
//! Nothing here ever reads the sensitive fields (accommodations, experience
//! of disability): an export leaves the platform, so it must not hold them.

use std::collections::BTreeMap;

use epop_domain::directory::{Format, InterventionKind, ProfileKind, Visibility};
use epop_domain::text::slugify;
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::directory::Theme;
use crate::{Result, now};

/// One profile as the coordination table and the exports show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub slug: String,
    pub kind: ProfileKind,
    pub display_name: String,
    /// The e-mail of the account the profile belongs to.
    pub email: String,
    pub visibility: Visibility,
    pub home_department: Option<String>,
    /// Codes of the départements covered, home first.
    pub departments: Vec<String>,
    pub interventions: Vec<InterventionKind>,
    pub themes: Vec<String>,
    pub formats: Vec<Format>,
    /// `fr`, `lsf`, or words of other languages.
    pub languages: Vec<String>,
    /// Languages the person wrote in their own words.
    pub other_languages: String,
    /// `YYYY-MM-DD`.
    pub trained_on: Option<String>,
    pub training_programme: Option<String>,
    pub organisation_name: Option<String>,
    pub job_title: Option<String>,
    pub updated_at: i64,
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

const COLUMNS: &str = "p.id, p.slug, p.kind, p.display_name, a.email, p.visibility, p.home_department, \
     p.on_site, p.remote, p.other_languages, p.trained_on, p.training_programme, o.name, p.job_title, p.updated_at";

const FROM: &str = " FROM profiles p JOIN accounts a ON a.id = p.account_id \
     LEFT JOIN organisations o ON o.id = p.organisation_id";

/// The `WHERE` clause limiting profiles to `departments` (home or covered),
/// with its parameters (`$1`…).
fn territory_filter(departments: Option<&[String]>) -> (String, Vec<String>) {
    match departments {
        None => (String::new(), Vec::new()),
        Some(list) => {
            let marks = (1..=list.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!(
                    " WHERE (p.home_department IN ({marks}) OR EXISTS (SELECT 1 FROM profile_departments v \
                     WHERE v.profile_id = p.id AND v.department_code IN ({marks})))"
                ),
                list.to_vec(),
            )
        }
    }
}

/// Every profile (hidden ones too) whose home département or one of whose
/// covered départements is in `departments` — all of them when `None` —
/// sorted by name. Never the sensitive fields.
pub async fn territory_profiles(
    conn: &mut AnyConnection,
    departments: Option<&[String]>,
) -> Result<Vec<ExportRow>> {
    Ok(territory_page(conn, departments, None).await?.0)
}

/// One page of [`territory_profiles`] (`(offset, limit)`), and how many
/// profiles there are in all.
pub async fn territory_page(
    conn: &mut AnyConnection,
    departments: Option<&[String]>,
    page: Option<(i64, i64)>,
) -> Result<(Vec<ExportRow>, i64)> {
    if departments.is_some_and(<[String]>::is_empty) {
        return Ok((Vec::new(), 0));
    }
    let (filter, args) = territory_filter(departments);
    let mut count = sqlx::query_scalar::<_, i64>(AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM profiles p{filter}"
    )));
    for a in &args {
        count = count.bind(a.clone());
    }
    let total = count.fetch_one(&mut *conn).await?;
    if total == 0 {
        return Ok((Vec::new(), 0));
    }
    let mut sql = format!("SELECT {COLUMNS}{FROM}{filter} ORDER BY p.sort_name, p.id");
    if page.is_some() {
        sql.push_str(&format!(
            " LIMIT ${} OFFSET ${}",
            args.len() + 1,
            args.len() + 2
        ));
    }
    let mut q = sqlx::query_as::<_, Row>(AssertSqlSafe(sql));
    for a in &args {
        q = q.bind(a.clone());
    }
    if let Some((offset, limit)) = page {
        q = q.bind(limit).bind(offset);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    Ok((fill(conn, rows).await?, total))
}

/// Profile ids per query, so that a national export stays within the
/// engines' limits on the length of a statement.
const CHUNK: usize = 500;

/// Reads the lists of each profile (départements, kinds, themes, languages).
async fn fill(conn: &mut AnyConnection, rows: Vec<Row>) -> Result<Vec<ExportRow>> {
    let mut departments: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut kinds: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut themes: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    let mut languages: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for chunk in rows.chunks(CHUNK) {
        // Integers we read from the database: safe to write into the SQL.
        let ids = chunk
            .iter()
            .map(|r| r.0.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let lists = [
            (
                "SELECT profile_id, department_code FROM profile_departments WHERE profile_id IN ({ids}) \
                 ORDER BY profile_id, department_code",
                &mut departments,
            ),
            (
                "SELECT profile_id, kind FROM profile_interventions WHERE profile_id IN ({ids})",
                &mut kinds,
            ),
            (
                "SELECT pt.profile_id, t.label FROM profile_themes pt JOIN themes t ON t.id = pt.theme_id \
                 WHERE pt.profile_id IN ({ids}) ORDER BY pt.profile_id, t.label",
                &mut themes,
            ),
            (
                "SELECT profile_id, language FROM profile_languages WHERE profile_id IN ({ids}) \
                 ORDER BY profile_id, language",
                &mut languages,
            ),
        ];
        for (sql, into) in lists {
            let list: Vec<(i64, String)> =
                sqlx::query_as(AssertSqlSafe(sql.replace("{ids}", &ids)))
                    .fetch_all(&mut *conn)
                    .await?;
            for (id, value) in list {
                into.entry(id).or_default().push(value);
            }
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.0;
            let mut deps = departments.remove(&id).unwrap_or_default();
            if let Some(home) = &r.6 {
                match deps.iter().position(|c| c == home) {
                    Some(pos) => {
                        let h = deps.remove(pos);
                        deps.insert(0, h);
                    }
                    None => deps.insert(0, home.clone()),
                }
            }
            let mut ks: Vec<InterventionKind> = kinds
                .remove(&id)
                .unwrap_or_default()
                .iter()
                .filter_map(|code| InterventionKind::ALL.into_iter().find(|k| k.code() == code))
                .collect();
            ks.sort();
            ExportRow {
                slug: r.1,
                kind: ProfileKind::from_code(&r.2).unwrap_or(ProfileKind::Peer),
                display_name: r.3,
                email: r.4,
                visibility: Visibility::from_code(&r.5).unwrap_or(Visibility::Hidden),
                home_department: r.6,
                departments: deps,
                interventions: ks,
                themes: themes.remove(&id).unwrap_or_default(),
                formats: [
                    (r.7 != 0).then_some(Format::OnSite),
                    (r.8 != 0).then_some(Format::Remote),
                ]
                .into_iter()
                .flatten()
                .collect(),
                languages: languages.remove(&id).unwrap_or_default(),
                other_languages: r.9,
                trained_on: r.10,
                training_programme: r.11,
                organisation_name: r.12,
                job_title: r.13,
                updated_at: r.14,
            }
        })
        .collect())
}

/// What the training form needs to know about a profile, and who may set it
/// (the coordinators of one of its départements, admins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingSubject {
    pub id: i64,
    pub slug: String,
    pub display_name: String,
    /// Home and covered départements.
    pub departments: Vec<String>,
    pub trained_on: Option<String>,
    pub training_programme: Option<String>,
}

/// The profile whose training status is about to be read or set.
pub async fn profile_for_training(
    conn: &mut AnyConnection,
    slug: &str,
) -> Result<Option<TrainingSubject>> {
    let row: Option<(i64, String, Option<String>, Option<String>, Option<String>)> =
        sqlx::query_as(
            "SELECT id, display_name, home_department, trained_on, training_programme \
             FROM profiles WHERE slug = $1",
        )
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((id, display_name, home, trained_on, training_programme)) = row else {
        return Ok(None);
    };
    let mut departments: Vec<String> = sqlx::query_scalar(
        "SELECT department_code FROM profile_departments WHERE profile_id = $1 ORDER BY department_code",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    if let Some(h) = home
        && !departments.contains(&h)
    {
        departments.insert(0, h);
    }
    Ok(Some(TrainingSubject {
        id,
        slug: slug.to_owned(),
        display_name,
        departments,
        trained_on,
        training_programme,
    }))
}

/// A curated theme and how many profiles use it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeUse {
    pub theme: Theme,
    pub profiles: i64,
}

/// The curated themes, by label, with how many profiles use each.
pub async fn themes_in_use(conn: &mut AnyConnection) -> Result<Vec<ThemeUse>> {
    let rows: Vec<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT t.id, t.slug, t.label, COUNT(pt.profile_id) FROM themes t \
         LEFT JOIN profile_themes pt ON pt.theme_id = t.id \
         GROUP BY t.id, t.slug, t.label ORDER BY t.label, t.id",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, label, profiles)| ThemeUse {
            theme: Theme { id, slug, label },
            profiles,
        })
        .collect())
}

/// Adds a theme to the curated list; `None` when a theme with the same
/// words (ignoring case, accents and punctuation: the same slug) exists.
pub async fn add_new_theme(conn: &mut AnyConnection, label: &str) -> Result<Option<Theme>> {
    let slug = slugify(label);
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO themes (slug, label, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&slug)
    .bind(label)
    .bind(now())
    .fetch_optional(conn)
    .await?;
    Ok(id.map(|id| Theme {
        id,
        slug,
        label: label.to_owned(),
    }))
}
