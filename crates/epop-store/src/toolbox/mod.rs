//! The toolbox: resources with their audiences, kinds of intervention and
//! themes (the directory's curated themes), their files and versions
//! (`files`), the download counts per month, and the search (`search`),
//! whose visibility rule is part of its SQL.

mod files;
mod search;

pub use files::*;
pub use search::*;

use epop_domain::directory::InterventionKind;
use epop_domain::text::{index_text, slugify};
use epop_domain::toolbox::{Audience, Format, NewResource, Status, Territory, Visibility};
use sqlx::{AnyConnection, Row};

use crate::{Result, StoreError, now};

/// A resource as pages show it.
#[derive(Debug, Clone)]
pub struct Resource {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub summary_easy: String,
    pub region_code: Option<String>,
    pub department_code: Option<String>,
    /// The territory's name: a département, a region, or « France entière ».
    pub place: String,
    pub language: String,
    /// `AAAA-MM-JJ`.
    pub dated: String,
    pub author: String,
    pub licence: String,
    pub link: Option<String>,
    pub transcript: String,
    pub visibility: Visibility,
    pub status: Status,
    pub format: Option<Format>,
    pub suggested_by: Option<i64>,
    pub updated_at: i64,
    pub audiences: Vec<Audience>,
    pub kinds: Vec<InterventionKind>,
    /// (slug, label) of its themes.
    pub themes: Vec<(String, String)>,
}

impl Resource {
    /// The territory as the form writes it.
    pub fn territory_code(&self) -> String {
        match (&self.department_code, &self.region_code) {
            (Some(d), _) => format!("departement-{d}"),
            (None, Some(r)) => format!("region-{r}"),
            (None, None) => "national".into(),
        }
    }
}

/// The columns [`resource_of`] reads, on `resources r`.
pub(crate) const COLUMNS: &str = "r.id, r.slug, r.title, r.summary, r.summary_easy, \
    r.region_code, r.department_code, \
    COALESCE((SELECT name FROM departments WHERE code = r.department_code), \
             (SELECT name FROM regions WHERE code = r.region_code), 'France entière'), \
    r.language, r.dated, r.author, r.licence, r.link, r.transcript, r.visibility, r.status, \
    r.format, r.suggested_by, r.updated_at";

/// A row of [`COLUMNS`], without its lists (see [`with_lists`]).
pub(crate) fn resource_of(row: &sqlx::any::AnyRow) -> Result<Resource> {
    let visibility: String = row.try_get(14)?;
    let status: String = row.try_get(15)?;
    let format: Option<String> = row.try_get(16)?;
    Ok(Resource {
        id: row.try_get(0)?,
        slug: row.try_get(1)?,
        title: row.try_get(2)?,
        summary: row.try_get(3)?,
        summary_easy: row.try_get(4)?,
        region_code: row.try_get(5)?,
        department_code: row.try_get(6)?,
        place: row.try_get(7)?,
        language: row.try_get(8)?,
        dated: row.try_get(9)?,
        author: row.try_get(10)?,
        licence: row.try_get(11)?,
        link: row.try_get(12)?,
        transcript: row.try_get(13)?,
        visibility: Visibility::from_code(&visibility).unwrap_or(Visibility::TrainedPeers),
        status: Status::from_code(&status).unwrap_or(Status::Draft),
        format: format.as_deref().and_then(Format::from_code),
        suggested_by: row.try_get(17)?,
        updated_at: row.try_get(18)?,
        audiences: Vec::new(),
        kinds: Vec::new(),
        themes: Vec::new(),
    })
}

/// Fills each resource's audiences, kinds and themes.
pub(crate) async fn with_lists(
    conn: &mut AnyConnection,
    mut list: Vec<Resource>,
) -> Result<Vec<Resource>> {
    for r in &mut list {
        let audiences: Vec<(String,)> = sqlx::query_as(
            "SELECT audience FROM resource_audiences WHERE resource_id = $1 ORDER BY audience",
        )
        .bind(r.id)
        .fetch_all(&mut *conn)
        .await?;
        r.audiences = audiences
            .iter()
            .filter_map(|(a,)| Audience::from_code(a))
            .collect();
        r.audiences.sort();
        let kinds: Vec<(String,)> =
            sqlx::query_as("SELECT kind FROM resource_interventions WHERE resource_id = $1")
                .bind(r.id)
                .fetch_all(&mut *conn)
                .await?;
        r.kinds = kinds
            .iter()
            .filter_map(|(k,)| InterventionKind::parse(k))
            .collect();
        r.kinds.sort();
        r.themes = sqlx::query_as(
            "SELECT t.slug, t.label FROM resource_themes rt JOIN themes t ON t.id = rt.theme_id \
             WHERE rt.resource_id = $1 ORDER BY t.label",
        )
        .bind(r.id)
        .fetch_all(&mut *conn)
        .await?;
    }
    Ok(list)
}

/// The resource of an address, whatever its status and visibility: the
/// caller decides who may see it (see [`visible_by_slug`]).
pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Resource>> {
    let sql = format!("SELECT {COLUMNS} FROM resources r WHERE r.slug = $1");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => {
            let r = resource_of(&row)?;
            Ok(with_lists(conn, vec![r]).await?.pop())
        }
        None => Ok(None),
    }
}

/// The départements a resource's territory covers (empty: national), for
/// the rule of who manages it.
pub async fn territory_departments(conn: &mut AnyConnection, r: &Resource) -> Result<Vec<String>> {
    Ok(match (&r.department_code, &r.region_code) {
        (Some(d), _) => vec![d.clone()],
        (None, Some(region)) => {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT code FROM departments WHERE region_code = $1")
                    .bind(region)
                    .fetch_all(conn)
                    .await?;
            rows.into_iter().map(|(c,)| c).collect()
        }
        (None, None) => Vec::new(),
    })
}

/// The (region, département) columns of a territory; a département's region
/// is read from the reference table.
async fn place_columns(
    conn: &mut AnyConnection,
    t: &Territory,
) -> Result<(Option<String>, Option<String>)> {
    Ok(match t {
        Territory::National => (None, None),
        Territory::Region(r) => (Some(r.as_str().to_owned()), None),
        Territory::Department(d) => {
            let region = crate::territories::department(conn, d.as_str())
                .await?
                .ok_or(StoreError::NotFound)?
                .region_code;
            (Some(region), Some(d.as_str().to_owned()))
        }
    })
}

/// The folded words a resource is found by: its texts, audiences, kinds,
/// themes and place.
async fn search_text(
    conn: &mut AnyConnection,
    r: &NewResource,
    theme_ids: &[i64],
    place: &str,
) -> Result<String> {
    let mut labels = Vec::new();
    for id in theme_ids {
        let label: Option<String> = sqlx::query_scalar("SELECT label FROM themes WHERE id = $1")
            .bind(*id)
            .fetch_optional(&mut *conn)
            .await?;
        labels.extend(label);
    }
    let audiences: Vec<&str> = r.audiences.iter().map(|a| a.label()).collect();
    let kinds: Vec<&str> = r.kinds.iter().map(|k| k.label()).collect();
    let (aud, kin, the) = (audiences.join(" "), kinds.join(" "), labels.join(" "));
    Ok(index_text(&[
        &r.title,
        &r.summary,
        &r.summary_easy,
        &r.author,
        &aud,
        &kin,
        &the,
        place,
    ]))
}

async fn place_name(
    conn: &mut AnyConnection,
    region: &Option<String>,
    dep: &Option<String>,
) -> Result<String> {
    let name: Option<String> = sqlx::query_scalar(
        "SELECT COALESCE((SELECT name FROM departments WHERE code = $1), (SELECT name FROM regions WHERE code = $2))",
    )
    .bind(dep.clone())
    .bind(region.clone())
    .fetch_one(conn)
    .await?;
    Ok(name.unwrap_or_default())
}

/// A slug not taken yet: the title's, then « -2 », « -3 »…
async fn free_slug(conn: &mut AnyConnection, title: &str) -> Result<String> {
    let base = slugify(title);
    let mut slug = base.clone();
    for n in 2.. {
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM resources WHERE slug = $1")
            .bind(&slug)
            .fetch_one(&mut *conn)
            .await?;
        if taken == 0 {
            break;
        }
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

/// Writes a new resource (a draft, or a member's suggestion) and its
/// lists; returns its id and slug.
pub async fn create(
    conn: &mut AnyConnection,
    r: &NewResource,
    theme_ids: &[i64],
    status: Status,
    by: i64,
) -> Result<(i64, String)> {
    let slug = free_slug(conn, &r.title).await?;
    let suggested_by = (status == Status::Suggested).then_some(by);
    // The description is written by [`update`], the one writer of it.
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO resources (slug, title, summary, language, dated, author, licence, \
         visibility, status, search_text, created_by, suggested_by, created_at, updated_at, \
         published_at) VALUES ($1, '', '', '', '', '', '', '', $2, '', $3, $4, $5, $5, $6) \
         RETURNING id",
    )
    .bind(&slug)
    .bind(status.code())
    .bind(by)
    .bind(suggested_by)
    .bind(t)
    .bind((status == Status::Published).then_some(t))
    .fetch_one(&mut *conn)
    .await?;
    update(conn, id, r, theme_ids).await?;
    Ok((id, slug))
}

/// Writes a resource's description, its lists and its words (its status
/// and files stay).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    r: &NewResource,
    theme_ids: &[i64],
) -> Result<()> {
    let (region, dep) = place_columns(conn, &r.territory).await?;
    let place = place_name(conn, &region, &dep).await?;
    let text = search_text(conn, r, theme_ids, &place).await?;
    sqlx::query(
        "UPDATE resources SET title = $1, summary = $2, summary_easy = $3, region_code = $4, \
         department_code = $5, language = $6, dated = $7, author = $8, licence = $9, link = $10, \
         transcript = $11, visibility = $12, easy = $13, search_text = $14, updated_at = $15 \
         WHERE id = $16",
    )
    .bind(&r.title)
    .bind(&r.summary)
    .bind(&r.summary_easy)
    .bind(region)
    .bind(dep)
    .bind(&r.language)
    .bind(r.date.format("%Y-%m-%d").to_string())
    .bind(&r.author)
    .bind(&r.licence)
    .bind(r.link.clone())
    .bind(&r.transcript)
    .bind(r.visibility.code())
    .bind(i64::from(!r.summary_easy.trim().is_empty()))
    .bind(text)
    .bind(now())
    .bind(id)
    .execute(&mut *conn)
    .await?;
    for table in [
        "resource_audiences",
        "resource_interventions",
        "resource_themes",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DELETE FROM {table} WHERE resource_id = $1"
        )))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    write_lists(conn, id, r, theme_ids).await?;
    refresh_format(conn, id).await
}

async fn write_lists(
    conn: &mut AnyConnection,
    id: i64,
    r: &NewResource,
    theme_ids: &[i64],
) -> Result<()> {
    for a in &r.audiences {
        sqlx::query("INSERT INTO resource_audiences (resource_id, audience) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(a.code())
            .execute(&mut *conn)
            .await?;
    }
    for k in &r.kinds {
        sqlx::query("INSERT INTO resource_interventions (resource_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(k.code())
            .execute(&mut *conn)
            .await?;
    }
    for t in theme_ids {
        sqlx::query("INSERT INTO resource_themes (resource_id, theme_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(id)
            .bind(*t)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Sets a resource's status (publish, unpublish, accept a suggestion); the
/// first publication is dated.
pub async fn set_status(conn: &mut AnyConnection, id: i64, status: Status) -> Result<()> {
    sqlx::query(
        "UPDATE resources SET status = $1, updated_at = $2, published_at = \
         CASE WHEN $1 = 'published' THEN COALESCE(published_at, $2) ELSE published_at END \
         WHERE id = $3",
    )
    .bind(status.code())
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every resource whose status is one of `statuses`, newest first, for the
/// coordination's list (the caller keeps those it manages).
pub async fn list(conn: &mut AnyConnection, statuses: &[Status]) -> Result<Vec<Resource>> {
    let codes: Vec<String> = statuses.iter().map(|s| format!("'{}'", s.code())).collect();
    let sql = format!(
        "SELECT {COLUMNS} FROM resources r WHERE r.status IN ({}) ORDER BY r.updated_at DESC, r.id DESC",
        codes.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_all(&mut *conn)
        .await?;
    let list = rows.iter().map(resource_of).collect::<Result<Vec<_>>>()?;
    with_lists(conn, list).await
}
