//! News items: written, changed, read by address, and listed for a page
//! (everything, a région with its départements, a few départements) with
//! the published ones only (`published_at` not after now) for the public.

use epop_domain::news::{Link, NewNews, Scope, links_text, parse_links};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Result, SlugTable, StoreError, free_slug, now};

/// A news item as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct News {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The easy-read title and text, when written.
    pub easy: Option<(String, String)>,
    pub scope: Scope,
    /// The territory's name (« Occitanie », « Haute-Garonne »), or
    /// « France entière ».
    pub place: String,
    /// The région of its département or its région (`None`: national).
    pub region_code: Option<String>,
    pub image_file: Option<String>,
    pub image_alt: Option<String>,
    pub links: Vec<Link>,
    pub published_at: i64,
    pub updated_at: i64,
}

impl News {
    /// The easy-read version as one text: its title, then its text (empty
    /// when it has none). What a review reads and marks.
    pub fn easy_text(&self) -> String {
        self.easy
            .as_ref()
            .map(|(title, body)| format!("{}\n{}", title.trim(), body.trim()))
            .unwrap_or_default()
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    i64,
    i64,
    Option<String>,
    Option<String>,
);

const SELECT: &str = "SELECT n.id, n.slug, n.title, n.summary, n.body, n.title_easy, n.body_easy, \
     n.region_code, n.department_code, n.image_file, n.image_alt, n.links, n.published_at, n.updated_at, \
     COALESCE(d.name, r.name), COALESCE(d.region_code, n.region_code) \
     FROM news n LEFT JOIN departments d ON d.code = n.department_code \
     LEFT JOIN regions r ON r.code = n.region_code";

fn from_row(r: Row) -> News {
    News {
        id: r.0,
        slug: r.1,
        title: r.2,
        summary: r.3,
        body: r.4,
        easy: match (r.5, r.6) {
            (Some(t), Some(b)) => Some((t, b)),
            _ => None,
        },
        scope: Scope::from_columns(r.7, r.8),
        image_file: r.9,
        image_alt: r.10,
        links: parse_links(&r.11).unwrap_or_default(),
        published_at: r.12,
        updated_at: r.13,
        place: r.14.unwrap_or_else(|| "France entière".to_owned()),
        region_code: r.15,
    }
}

/// Which news a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Published by then only (`None`: also those to come, for editors).
    pub published_by: Option<i64>,
    /// National news plus those of this région and its départements.
    pub region: Option<&'a str>,
    /// National news plus those of these départements and their régions.
    pub departments: Option<&'a [String]>,
    /// Published from then on.
    pub since: Option<i64>,
    pub limit: Option<i64>,
}

/// News, the most recent first.
pub async fn list(conn: &mut AnyConnection, f: &Filter<'_>) -> Result<Vec<News>> {
    let mut conditions = vec!["1 = 1".to_owned()];
    let mut texts: Vec<String> = Vec::new();
    let mut ints: Vec<i64> = Vec::new();
    // Integers are bound first ($1, $2), then texts.
    if let Some(t) = f.published_by {
        ints.push(t);
        conditions.push(format!("n.published_at <= ${}", ints.len()));
    }
    if let Some(t) = f.since {
        ints.push(t);
        conditions.push(format!("n.published_at >= ${}", ints.len()));
    }
    let first_text = ints.len() + 1;
    if let Some(r) = f.region {
        texts.push(r.to_owned());
        let i = first_text + texts.len() - 1;
        conditions.push(format!(
            "((n.region_code IS NULL AND n.department_code IS NULL) OR n.region_code = ${i} OR d.region_code = ${i})"
        ));
    }
    if let Some(ds) = f.departments {
        let start = first_text + texts.len();
        texts.extend(ds.iter().cloned());
        let marks: Vec<String> = (start..start + ds.len()).map(|i| format!("${i}")).collect();
        let marks = if marks.is_empty() {
            "NULL".to_owned()
        } else {
            marks.join(", ")
        };
        conditions.push(format!(
            "((n.region_code IS NULL AND n.department_code IS NULL) OR n.department_code IN ({marks}) \
             OR n.region_code IN (SELECT region_code FROM departments WHERE code IN ({marks})))"
        ));
    }
    let limit = f
        .limit
        .map(|l| format!(" LIMIT {}", l.max(0)))
        .unwrap_or_default();
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY n.published_at DESC, n.id DESC{limit}",
        conditions.join(" AND ")
    );
    let mut q = sqlx::query_as::<_, Row>(AssertSqlSafe(sql));
    for i in ints {
        q = q.bind(i);
    }
    for t in texts {
        q = q.bind(t);
    }
    Ok(q.fetch_all(conn).await?.into_iter().map(from_row).collect())
}

pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<News>> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!("{SELECT} WHERE n.slug = $1")))
        .bind(slug)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(from_row))
}

/// A statement whose `$1` to `$12` are the item's fields, bound.
fn bound<'q>(
    sql: &'static str,
    n: &'q NewNews,
    published_at: i64,
    image: Option<&str>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(sql)
        .bind(&n.title)
        .bind(&n.summary)
        .bind(&n.body)
        .bind(n.easy.as_ref().map(|e| e.0.clone()))
        .bind(n.easy.as_ref().map(|e| e.1.clone()))
        .bind(n.scope.region().map(str::to_owned))
        .bind(n.scope.department().map(str::to_owned))
        .bind(image.map(str::to_owned))
        .bind(image.and(n.image_alt.clone()))
        .bind(links_text(&n.links))
        .bind(published_at)
        .bind(now())
}

/// Writes a new item; `published_at` is its publication time, `image` its
/// file in the data directory's `news/` folder.
pub async fn create(
    conn: &mut AnyConnection,
    n: &NewNews,
    published_at: i64,
    image: Option<&str>,
) -> Result<News> {
    let slug = free_slug(conn, SlugTable::News, &n.title).await?;
    bound(
        "INSERT INTO news (title, summary, body, title_easy, body_easy, region_code, department_code, \
         image_file, image_alt, links, published_at, created_at, updated_at, slug) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13)",
        n,
        published_at,
        image,
    )
    .bind(&slug)
    .execute(&mut *conn)
    .await?;
    by_slug(conn, &slug).await?.ok_or(StoreError::NotFound)
}

/// Changes an item; its address stays. `image`: its file (the former one,
/// a new one, or none).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    n: &NewNews,
    published_at: i64,
    image: Option<&str>,
) -> Result<News> {
    let changed = bound(
        "UPDATE news SET title = $1, summary = $2, body = $3, title_easy = $4, body_easy = $5, \
         region_code = $6, department_code = $7, image_file = $8, image_alt = $9, links = $10, \
         published_at = $11, updated_at = $12 WHERE id = $13",
        n,
        published_at,
        image,
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(StoreError::NotFound);
    }
    let slug: String = sqlx::query_scalar("SELECT slug FROM news WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    by_slug(conn, &slug).await?.ok_or(StoreError::NotFound)
}

/// Deletes an item; returns its image file, if it had one.
pub async fn delete(conn: &mut AnyConnection, id: i64) -> Result<Option<String>> {
    let file: Option<Option<String>> =
        sqlx::query_scalar("DELETE FROM news WHERE id = $1 RETURNING image_file")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(file.flatten())
}

/// The départements of a région, in code order.
pub async fn region_departments(conn: &mut AnyConnection, region: &str) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT code FROM departments WHERE region_code = $1 ORDER BY code")
            .bind(region)
            .fetch_all(conn)
            .await?,
    )
}
