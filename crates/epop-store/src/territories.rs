//! Regions and départements (loaded by migration 2, read-only).

use epop_domain::text::fold;
use sqlx::AnyConnection;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub region_code: String,
}

/// Every région, in French alphabetical order.
pub async fn regions(conn: &mut AnyConnection) -> Result<Vec<Region>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, name FROM regions")
        .fetch_all(conn)
        .await?;
    let mut regions: Vec<Region> = rows
        .into_iter()
        .map(|(code, name)| Region { code, name })
        .collect();
    // In French order, whatever the database's collation: « Île-de-France »
    // between « Hauts-de-France » and « La Réunion », not after « Provence ».
    regions.sort_by_cached_key(|r| fold(&r.name));
    Ok(regions)
}

/// Every département, in code order (01, 02 … 2A, 2B … 976).
pub async fn departments(conn: &mut AnyConnection) -> Result<Vec<Department>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departments ORDER BY code")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, region_code)| Department {
            code,
            name,
            region_code,
        })
        .collect())
}

pub async fn department(conn: &mut AnyConnection, code: &str) -> Result<Option<Department>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(code, name, region_code)| Department {
        code,
        name,
        region_code,
    }))
}

/// A département with its région and the words of their addresses
/// (`/territoires/{region_slug}/{slug}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub slug: String,
    pub region_code: String,
    pub region_name: String,
    pub region_slug: String,
}

/// What the territories pages say of one département, counted from the
/// data. People are counted in the département of their profile (or of
/// their account when the profile names none), whatever their profile's
/// visibility, and only when their account is not disabled and holds the
/// role of the profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    /// Peer workers whose profile is marked as trained.
    pub trained_peers: i64,
    pub referents: i64,
    /// Active coordinators of the département or of its région.
    pub coordinators: i64,
}

/// Every département with its région, in code order (one query).
pub async fn places(conn: &mut AnyConnection) -> Result<Vec<Place>> {
    let rows: Vec<(String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT d.code, d.name, d.slug, r.code, r.name, r.slug FROM departments d \
         JOIN regions r ON r.code = d.region_code ORDER BY d.code",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Place {
            code: r.0,
            name: r.1,
            slug: r.2,
            region_code: r.3,
            region_name: r.4,
            region_slug: r.5,
        })
        .collect())
}

/// Where a person of the directory is counted: their profile's
/// département, or their account's.
const PERSON_PLACE: &str = "COALESCE(p.home_department, a.department_code)";

/// The profiles counted on the territories pages (`p`, with `a` their
/// account): trained peers and référents of accounts in use that hold the
/// profile's role.
const COUNTED: &str = "profiles p JOIN accounts a ON a.id = p.account_id \
     WHERE a.status <> 'disabled' \
     AND EXISTS (SELECT 1 FROM account_roles ar WHERE ar.account_id = a.id AND ar.role = p.kind) \
     AND (p.kind = 'referent' OR (p.kind = 'peer' AND p.trained_on IS NOT NULL))";

/// The facts of every département that has any, by code (one query).
pub async fn facts(conn: &mut AnyConnection) -> Result<std::collections::BTreeMap<String, Facts>> {
    let sql = format!(
        "SELECT p.kind, {PERSON_PLACE}, COUNT(*) FROM {COUNTED} AND {PERSON_PLACE} IS NOT NULL \
         GROUP BY p.kind, {PERSON_PLACE} \
         UNION ALL \
         SELECT 'coordinator', d.code, COUNT(DISTINCT a.id) FROM departments d \
         JOIN role_scopes s ON s.role = 'coordinator' AND ((s.territory_kind = 'department' AND s.territory_code = d.code) \
         OR (s.territory_kind = 'region' AND s.territory_code = d.region_code)) \
         JOIN accounts a ON a.id = s.account_id AND a.status = 'active' GROUP BY d.code"
    );
    let rows: Vec<(String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_all(conn)
        .await?;
    let mut out = std::collections::BTreeMap::<String, Facts>::new();
    for (what, code, n) in rows {
        let f = out.entry(code).or_default();
        match what.as_str() {
            "peer" => f.trained_peers = n,
            "referent" => f.referents = n,
            _ => f.coordinators = n,
        }
    }
    Ok(out)
}

/// A public profile named on a territory page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub department: String,
    /// `peer` or `referent`.
    pub kind: String,
    pub display_name: String,
    pub slug: String,
}

/// The first `limit` counted profiles that are public, of these
/// départements, by name, and how many there are in all (one query).
/// Members-only and hidden profiles are never named.
pub async fn named(
    conn: &mut AnyConnection,
    departments: &[String],
    limit: i64,
) -> Result<(Vec<Named>, i64)> {
    if departments.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let n = departments.len();
    // One part per way of being placed, each read through its index
    // (`|| ''`: the visibility test is not one, or SQLite would walk all
    // public profiles instead).
    let list = marks(1, n);
    let public = "p.visibility || '' = 'public'";
    let sql = format!(
        "SELECT place, kind, display_name, slug, COUNT(*) OVER () FROM (\
         SELECT p.home_department AS place, p.kind, p.display_name, p.slug, p.sort_name, p.id \
         FROM {COUNTED} AND {public} AND p.home_department IN ({list}) \
         UNION ALL \
         SELECT a.department_code, p.kind, p.display_name, p.slug, p.sort_name, p.id \
         FROM {COUNTED} AND {public} AND p.home_department IS NULL AND a.department_code IN ({list})\
         ) x ORDER BY sort_name, id LIMIT ${}",
        n + 1
    );
    let mut q =
        sqlx::query_as::<_, (String, String, String, String, i64)>(sqlx::AssertSqlSafe(sql));
    for d in departments {
        q = q.bind(d);
    }
    let rows = q.bind(limit).fetch_all(conn).await?;
    let total = rows.first().map_or(0, |r| r.4);
    Ok((
        rows.into_iter()
            .map(|r| Named {
                department: r.0,
                kind: r.1,
                display_name: r.2,
                slug: r.3,
            })
            .collect(),
        total,
    ))
}

/// `n` parameters from `$first` on: « $2, $3, $4 ».
fn marks(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An upcoming public event or training session of a département.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upcoming {
    /// `event` (`/evenements/{slug}`) or `training` (`/formations/{slug}`).
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub starts_at: i64,
    pub department: String,
}

/// The events not cancelled that end after `now` (practice-analysis groups,
/// for trained peers only, left out) and the training sessions whose first
/// half-day starts after `now`, with a département, in date order (one
/// query). `departments`: only these; `None`: all.
pub async fn upcoming(
    conn: &mut AnyConnection,
    now: i64,
    departments: Option<&[String]>,
) -> Result<Vec<Upcoming>> {
    let (mut events_in, mut sessions_in) = (String::new(), String::new());
    if let Some(list) = departments {
        if list.is_empty() {
            return Ok(Vec::new());
        }
        let marks = marks(2, list.len());
        events_in = format!(" AND e.department_code IN ({marks})");
        sessions_in = format!(" AND t.department_code IN ({marks})");
    }
    let sql = format!(
        "SELECT 'event', e.slug, e.title, e.starts_at, e.department_code FROM events e \
         WHERE e.ends_at > $1 AND e.cancelled_at IS NULL AND e.trained_peers_only = 0 \
         AND e.department_code IS NOT NULL{events_in} \
         UNION ALL \
         SELECT 'training', t.slug, t.title, MIN(h.starts_at), t.department_code FROM training_sessions t \
         JOIN training_half_days h ON h.session_id = t.id WHERE 1 = 1{sessions_in} \
         GROUP BY t.id, t.slug, t.title, t.department_code HAVING MIN(h.starts_at) > $1 \
         ORDER BY 4, 2"
    );
    let mut q =
        sqlx::query_as::<_, (String, String, String, i64, String)>(sqlx::AssertSqlSafe(sql))
            .bind(now);
    for d in departments.unwrap_or_default() {
        q = q.bind(d);
    }
    Ok(q.fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| Upcoming {
            kind: r.0,
            slug: r.1,
            title: r.2,
            starts_at: r.3,
            department: r.4,
        })
        .collect())
}
