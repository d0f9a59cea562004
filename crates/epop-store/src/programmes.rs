//! Local programmes (« expérimentations locales », « déploiements »): their
//! record, their départements and coordinators, the programmes of a list of
//! départements (for territory pages), and what a programme produced,
//! computed from the platform's data for its départements and its years.

use std::collections::BTreeMap;

use epop_domain::programme::{CarrierKind, Kind, NewProgramme, Status, years_span};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Result, SlugTable, StoreError, free_slug, now};

/// A département of a programme, with its region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
    pub region_code: String,
    pub region_name: String,
}

/// A programme as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub carrier: String,
    pub carrier_kind: CarrierKind,
    pub partners: Vec<String>,
    pub start_year: i32,
    pub end_year: i32,
    pub aims: String,
    pub aims_easy: String,
    /// As of this year: the status chosen, or the one its years give.
    pub status: Status,
    /// The status chosen (`None`: from the years).
    pub status_chosen: Option<Status>,
    pub review: Option<String>,
    /// In code order.
    pub departments: Vec<Place>,
    /// The accounts that coordinate it (never shown publicly).
    pub coordinator_ids: Vec<i64>,
}

impl Programme {
    pub fn department_codes(&self) -> Vec<String> {
        self.departments.iter().map(|d| d.code.clone()).collect()
    }

    /// The regions of its départements, each once, in the order met.
    pub fn regions(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for d in &self.departments {
            if !out.contains(&d.region_name) {
                out.push(d.region_name.clone());
            }
        }
        out
    }
}

type Row = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str = "id, slug, name, kind, carrier, carrier_kind, partners, start_year, end_year, \
     aims, aims_easy, status, review";

/// This year in Paris.
fn this_year() -> i32 {
    epop_domain::event::paris_day(now())
        .get(..4)
        .and_then(|y| y.parse().ok())
        .unwrap_or(1970)
}

fn from_row(r: Row) -> Programme {
    let (start_year, end_year) = (
        i32::try_from(r.7).unwrap_or_default(),
        i32::try_from(r.8).unwrap_or_default(),
    );
    let status_chosen = r.11.as_deref().and_then(Status::from_code);
    Programme {
        id: r.0,
        slug: r.1,
        name: r.2,
        kind: Kind::from_code(&r.3).unwrap_or(Kind::LocalExperiment),
        carrier: r.4,
        carrier_kind: CarrierKind::from_code(&r.5).unwrap_or(CarrierKind::Other),
        partners: r
            .6
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        start_year,
        end_year,
        aims: r.9,
        aims_easy: r.10,
        status: status_chosen
            .unwrap_or_else(|| Status::from_years(start_year, end_year, this_year())),
        status_chosen,
        review: r.12,
        departments: Vec::new(),
        coordinator_ids: Vec::new(),
    }
}

/// Fills the départements and coordinators of these programmes (two
/// queries for all of them).
async fn complete(conn: &mut AnyConnection, rows: Vec<Row>) -> Result<Vec<Programme>> {
    let mut list: Vec<Programme> = rows.into_iter().map(from_row).collect();
    if list.is_empty() {
        return Ok(list);
    }
    let places: Vec<(i64, String, String, String, String)> = sqlx::query_as(
        "SELECT pd.programme_id, d.code, d.name, r.code, r.name FROM programme_departments pd \
         JOIN departments d ON d.code = pd.department_code JOIN regions r ON r.code = d.region_code \
         ORDER BY d.code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let coordinators: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT programme_id, account_id FROM programme_coordinators ORDER BY account_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut by_id: BTreeMap<i64, &mut Programme> = list.iter_mut().map(|p| (p.id, p)).collect();
    for (id, code, name, region_code, region_name) in places {
        if let Some(p) = by_id.get_mut(&id) {
            p.departments.push(Place {
                code,
                name,
                region_code,
                region_name,
            });
        }
    }
    for (id, account) in coordinators {
        if let Some(p) = by_id.get_mut(&id) {
            p.coordinator_ids.push(account);
        }
    }
    Ok(list)
}

/// Writes the programme's départements (replacing the former ones).
async fn set_departments(conn: &mut AnyConnection, id: i64, p: &NewProgramme) -> Result<()> {
    sqlx::query("DELETE FROM programme_departments WHERE programme_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for d in &p.departments {
        sqlx::query(
            "INSERT INTO programme_departments (programme_id, department_code) VALUES ($1, $2)",
        )
        .bind(id)
        .bind(d.as_str())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A statement whose `$1` to `$11` are the programme's fields, bound.
fn bound(
    sql: String,
    p: &NewProgramme,
) -> sqlx::query::QueryScalar<'_, sqlx::Any, i64, sqlx::any::AnyArguments> {
    sqlx::query_scalar(AssertSqlSafe(sql))
        .bind(&p.name)
        .bind(p.kind.code())
        .bind(&p.carrier)
        .bind(p.carrier_kind.code())
        .bind(p.partners.join("\n"))
        .bind(i64::from(p.start_year))
        .bind(i64::from(p.end_year))
        .bind(&p.aims)
        .bind(&p.aims_easy)
        .bind(p.status.map(|s| s.code().to_owned()))
        .bind(p.review.clone())
}

pub async fn create(conn: &mut AnyConnection, p: &NewProgramme) -> Result<Programme> {
    let slug = free_slug(conn, SlugTable::LocalProgrammes, &p.name).await?;
    let t = now();
    let id = bound(
        "INSERT INTO programmes (name, kind, carrier, carrier_kind, partners, start_year, end_year, \
         aims, aims_easy, status, review, slug, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id"
            .to_owned(),
        p,
    )
    .bind(&slug)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    set_departments(conn, id, p).await?;
    by_id(conn, id).await?.ok_or(StoreError::NotFound)
}

/// Changes a programme; its address stays.
pub async fn update(conn: &mut AnyConnection, id: i64, p: &NewProgramme) -> Result<Programme> {
    bound(
        "UPDATE programmes SET name = $1, kind = $2, carrier = $3, carrier_kind = $4, partners = $5, \
         start_year = $6, end_year = $7, aims = $8, aims_easy = $9, status = $10, review = $11, \
         updated_at = $12 WHERE id = $13 RETURNING id"
            .to_owned(),
        p,
    )
    .bind(now())
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    set_departments(conn, id, p).await?;
    by_id(conn, id).await?.ok_or(StoreError::NotFound)
}

/// Sets who coordinates a programme (replacing the former list).
pub async fn set_coordinators(conn: &mut AnyConnection, id: i64, accounts: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM programme_coordinators WHERE programme_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for a in accounts {
        sqlx::query(
            "INSERT INTO programme_coordinators (programme_id, account_id) VALUES ($1, $2) \
             ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(a)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Every programme, by name.
pub async fn list(conn: &mut AnyConnection) -> Result<Vec<Programme>> {
    let rows: Vec<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programmes ORDER BY start_year DESC, name"
    )))
    .fetch_all(&mut *conn)
    .await?;
    complete(conn, rows).await
}

pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Programme>> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programmes WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(complete(conn, row.into_iter().collect()).await?.pop())
}

async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Programme>> {
    let row: Option<Row> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM programmes WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(complete(conn, row.into_iter().collect()).await?.pop())
}

/// A programme as a territory page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub slug: String,
    pub name: String,
    pub kind: Kind,
    pub carrier_kind: CarrierKind,
    pub status: Status,
    pub start_year: i32,
    pub end_year: i32,
}

/// The programmes that run in at least one of these départements, the
/// most recent first (for the territory pages).
pub async fn programmes_for_departments(
    conn: &mut AnyConnection,
    departments: &[String],
) -> Result<Vec<Summary>> {
    Ok(list(conn)
        .await?
        .into_iter()
        .filter(|p| p.departments.iter().any(|d| departments.contains(&d.code)))
        .map(|p| Summary {
            slug: p.slug,
            name: p.name,
            kind: p.kind,
            carrier_kind: p.carrier_kind,
            status: p.status,
            start_year: p.start_year,
            end_year: p.end_year,
        })
        .collect())
}

/// The accounts that coordinate the programme of this address (for the
/// contact form: whom to write to), active ones only.
pub async fn coordinator_ids(conn: &mut AnyConnection, slug: &str) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT c.account_id FROM programme_coordinators c JOIN programmes p ON p.id = c.programme_id \
         JOIN accounts a ON a.id = c.account_id WHERE p.slug = $1 AND a.status = 'active' \
         ORDER BY c.account_id",
    )
    .bind(slug)
    .fetch_all(conn)
    .await?)
}

/// What a programme produced, counted from the platform's data in its
/// départements and during its years (1 January of the first year to
/// 31 December of the last, Paris time).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    /// People living in its départements (their account's département, or
    /// their profile's) who became trained peer workers in those years:
    /// a peer training completed, or a training date on their peer profile.
    pub peers_trained: i64,
    /// Requests for an intervention in its départements marked done in
    /// those years.
    pub interventions_done: i64,
    /// Events in its départements that began in those years, before now,
    /// and were not cancelled.
    pub events_held: i64,
    /// People marked present at those events.
    pub event_attendance: i64,
    /// The audience sizes the organisations gave for those interventions.
    pub intervention_audience: i64,
}

impl Figures {
    /// Attendance at events plus the audiences of interventions.
    pub fn people_reached(&self) -> i64 {
        self.event_attendance + self.intervention_audience
    }
}

/// The figures of a programme (see [`Figures`]): one query for the counts,
/// one for the forms of the interventions done (their audience size is in
/// the form as typed). `now` bounds the events held.
pub async fn figures(conn: &mut AnyConnection, p: &Programme, now: i64) -> Result<Figures> {
    let (from, to) = years_span(p.start_year, p.end_year);
    let first_day = format!("{:04}-01-01", p.start_year);
    let last_day = format!("{:04}-12-31", p.end_year);
    let in_programme =
        "IN (SELECT department_code FROM programme_departments WHERE programme_id = $1)";
    let done = format!(
        "FROM intervention_requests r WHERE r.department_code {in_programme} AND r.id IN \
         (SELECT t.request_id FROM request_transitions t WHERE t.to_status = 'done' \
         AND (t.from_status IS NULL OR t.from_status <> 'done') AND t.created_at >= $2 AND t.created_at < $3)"
    );
    let held = format!(
        "FROM events e WHERE e.department_code {in_programme} AND e.cancelled_at IS NULL \
         AND e.starts_at >= $2 AND e.starts_at < $3 AND e.starts_at <= $6"
    );
    let sql = format!(
        "SELECT \
         (SELECT COUNT(DISTINCT x.account_id) FROM ( \
            SELECT ap.account_id FROM training_applications ap \
            JOIN training_sessions s ON s.id = ap.session_id \
            JOIN training_programmes tp ON tp.id = s.programme_id \
            JOIN accounts ac ON ac.id = ap.account_id \
            WHERE ap.status = 'completed' AND tp.audience = 'peer' \
            AND ap.completed_at >= $2 AND ap.completed_at < $3 AND ac.department_code {in_programme} \
          UNION \
            SELECT pr.account_id FROM profiles pr JOIN accounts ac ON ac.id = pr.account_id \
            WHERE pr.kind = 'peer' AND pr.trained_on >= $4 AND pr.trained_on <= $5 \
            AND COALESCE(pr.home_department, ac.department_code) {in_programme} \
         ) x), \
         (SELECT COUNT(*) {done}), \
         (SELECT COUNT(*) {held}), \
         (SELECT COUNT(*) FROM event_registrations g WHERE g.attended = 1 AND g.event_id IN (SELECT e.id {held}))"
    );
    let (peers_trained, interventions_done, events_held, event_attendance): (i64, i64, i64, i64) =
        sqlx::query_as(AssertSqlSafe(sql))
            .bind(p.id)
            .bind(from)
            .bind(to)
            .bind(&first_day)
            .bind(&last_day)
            .bind(now)
            .fetch_one(&mut *conn)
            .await?;
    let forms: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!("SELECT r.form {done}")))
        .bind(p.id)
        .bind(from)
        .bind(to)
        .fetch_all(&mut *conn)
        .await?;
    let intervention_audience = forms
        .iter()
        .filter_map(|f| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(f)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "audience_size")?
                .1
                .trim()
                .parse::<i64>()
                .ok()
        })
        .filter(|n| *n > 0)
        .sum();
    Ok(Figures {
        peers_trained,
        interventions_done,
        events_held,
        event_attendance,
        intervention_audience,
    })
}
