//! Finding resources: the words typed, folded like the directory's, matched
//! as the beginnings of the resource's folded words, the URL's filters, and
//! who may see what, all in one SQL statement on both engines. The toolbox
//! holds hundreds of resources, not the directory's hundred thousand
//! profiles: a `LIKE` on one folded column is enough, and both engines read
//! it the same way.

use epop_domain::toolbox::{BrowseQuery, PAGE_SIZE, Territory};
use sqlx::{AnyConnection, Row};

use super::{COLUMNS, Resource, resource_of, with_lists};
use crate::Result;
use crate::sql::Sql;

/// Who is looking, as the rule of visibility reads it.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    /// A member of the network: members-only resources.
    pub member: bool,
    /// A trained peer worker: resources for trained peers too.
    pub trained: bool,
    /// Admins see every resource.
    pub admin: bool,
    /// The départements this person coordinates: every resource there.
    pub coordinated: Vec<String>,
    /// The départements a funder observes: members-only resources there.
    pub observed: Vec<String>,
}

/// `(territory of r is in these départements)`: a département resource in
/// the list, or a region resource of a region that has one of them.
fn in_departments(sql: &mut Sql, departments: &[String]) -> String {
    let list: Vec<String> = departments.iter().map(|d| sql.text(d.clone())).collect();
    let list = list.join(", ");
    format!(
        "(r.department_code IN ({list}) OR (r.department_code IS NULL AND r.region_code IN \
         (SELECT region_code FROM departments WHERE code IN ({list}))))"
    )
}

/// The rule of visibility, the only one: a published resource, and one the
/// viewer may see.
fn visible(sql: &mut Sql, v: &Viewer) {
    sql.push("r.status = 'published' AND (r.visibility = 'public'");
    if v.admin {
        sql.push(" OR 1 = 1");
    }
    if v.member {
        sql.push(" OR r.visibility = 'members'");
    }
    if v.trained {
        sql.push(" OR r.visibility = 'trained'");
    }
    if !v.coordinated.is_empty() {
        let place = in_departments(sql, &v.coordinated);
        sql.push(&format!(" OR {place}"));
    }
    if !v.observed.is_empty() {
        let place = in_departments(sql, &v.observed);
        sql.push(&format!(" OR (r.visibility = 'members' AND {place})"));
    }
    sql.push(")");
}

/// The URL's filters.
fn filters(sql: &mut Sql, q: &BrowseQuery) {
    for word in q.terms() {
        // Words are letters and digits only: no `%` nor `_` to escape.
        let p = sql.text(format!("% {word}%"));
        sql.push(&format!(" AND (' ' || r.search_text) LIKE {p}"));
    }
    if let Some(a) = q.audience {
        let p = sql.text(a.code());
        sql.push(&format!(" AND EXISTS (SELECT 1 FROM resource_audiences ra WHERE ra.resource_id = r.id AND ra.audience = {p})"));
    }
    if let Some(k) = q.kind {
        let p = sql.text(k.code());
        sql.push(&format!(" AND EXISTS (SELECT 1 FROM resource_interventions ri WHERE ri.resource_id = r.id AND ri.kind = {p})"));
    }
    if let Some(t) = &q.theme {
        let p = sql.text(t.clone());
        sql.push(&format!(" AND EXISTS (SELECT 1 FROM resource_themes rt JOIN themes t ON t.id = rt.theme_id WHERE rt.resource_id = r.id AND t.slug = {p})"));
    }
    match &q.territory {
        None => {}
        Some(Territory::National) => {
            sql.push(" AND r.region_code IS NULL");
        }
        // A region: the national resources, the region's and its départements'.
        Some(Territory::Region(code)) => {
            let p = sql.text(code.as_str());
            sql.push(&format!(
                " AND (r.region_code IS NULL OR r.region_code = {p})"
            ));
        }
        // A département: the national resources, its region's own and its own.
        Some(Territory::Department(code)) => {
            let p = sql.text(code.as_str());
            sql.push(&format!(
                " AND (r.region_code IS NULL OR r.department_code = {p} OR (r.department_code IS NULL AND \
                 r.region_code = (SELECT region_code FROM departments WHERE code = {p})))"
            ));
        }
    }
    if let Some(f) = q.format {
        let p = sql.text(f.code());
        sql.push(&format!(" AND r.format = {p}"));
    }
    if q.easy {
        sql.push(" AND r.easy = 1");
    }
}

/// `select` from the resources `viewer` may see that match `q`.
fn statement(select: &str, q: &BrowseQuery, viewer: &Viewer) -> Sql {
    let mut sql = Sql::default();
    sql.push(select).push(" FROM resources r WHERE ");
    visible(&mut sql, viewer);
    filters(&mut sql, q);
    sql
}

/// One page of the resources `viewer` may see that match `q`, newest
/// first, and how many match.
pub async fn search(
    conn: &mut AnyConnection,
    q: &BrowseQuery,
    viewer: &Viewer,
) -> Result<(Vec<Resource>, i64)> {
    let total = statement("SELECT COUNT(*)", q, viewer)
        .scalar()?
        .fetch_one(&mut *conn)
        .await?;
    let mut page = statement(&format!("SELECT {COLUMNS}"), q, viewer);
    let limit = page.int(i64::from(PAGE_SIZE));
    let offset = page.int(i64::from(q.page) * i64::from(PAGE_SIZE));
    page.push(&format!(
        " ORDER BY r.dated DESC, r.id DESC LIMIT {limit} OFFSET {offset}"
    ));
    let rows = page.query()?.fetch_all(&mut *conn).await?;
    let list = rows.iter().map(resource_of).collect::<Result<Vec<_>>>()?;
    Ok((with_lists(conn, list).await?, total))
}

/// The public resources of a place (`q`'s territory: its own, its
/// région's and the national ones) first published from `since` on, the
/// newest first, at most `limit`: `(slug, title, published_at)`, for a
/// digest, which anyone may receive.
pub async fn published_since(
    conn: &mut AnyConnection,
    q: &BrowseQuery,
    since: i64,
    limit: i64,
) -> Result<Vec<(String, String, i64)>> {
    let mut sql = statement(
        "SELECT r.slug, r.title, r.published_at",
        q,
        &Viewer::default(),
    );
    let since = sql.int(since);
    let limit = sql.int(limit);
    sql.push(&format!(
        " AND r.published_at >= {since} ORDER BY r.published_at DESC, r.id DESC LIMIT {limit}"
    ));
    let rows = sql.query()?.fetch_all(conn).await?;
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect()
}

/// The published resource of an address, if `viewer` may see it (the same
/// rule as the search).
pub async fn visible_by_slug(
    conn: &mut AnyConnection,
    slug: &str,
    viewer: &Viewer,
) -> Result<Option<Resource>> {
    let mut sql = Sql::default();
    sql.push(&format!("SELECT {COLUMNS} FROM resources r WHERE "));
    visible(&mut sql, viewer);
    let p = sql.text(slug);
    sql.push(&format!(" AND r.slug = {p}"));
    let row = sql.query()?.fetch_optional(&mut *conn).await?;
    match row {
        Some(row) => {
            let r = resource_of(&row)?;
            Ok(with_lists(conn, vec![r]).await?.pop())
        }
        None => Ok(None),
    }
}
