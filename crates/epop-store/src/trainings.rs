//! Trainings: programmes, sessions and their half-days, applications and
//! decisions (a session's places are counted like an event's seats, under
//! the session row's lock), attendance per half-day, completion (which marks
//! the person's directory profile as trained), and the accompaniment after
//! training: milestones and follow-up notes.

use std::collections::BTreeMap;

use epop_domain::training::{
    ApplicationStatus, Audience, Decision, HalfDay, Milestone, NewProgramme, NewSession,
};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Result, SlugTable, StoreError, free_slug};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Programme {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub audience: Audience,
    pub description: String,
    pub description_easy: String,
    pub duration: String,
    pub hours: i64,
}

type ProgrammeRow = (i64, String, String, String, String, String, String, i64);

fn programme_from(
    (id, slug, title, audience, description, description_easy, duration, hours): ProgrammeRow,
) -> Programme {
    Programme {
        id,
        slug,
        title,
        audience: Audience::from_code(&audience).unwrap_or(Audience::Peer),
        description,
        description_easy,
        duration,
        hours,
    }
}

const PROGRAMME_COLUMNS: &str =
    "id, slug, title, audience, description, description_easy, duration, hours";

/// A statement on a programme whose `$1` to `$6` are its title, audience,
/// description, easy-read description, duration and hours, bound.
fn programme_query(
    sql: String,
    p: &NewProgramme,
) -> sqlx::query::QueryAs<'_, sqlx::Any, ProgrammeRow, sqlx::any::AnyArguments> {
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(&p.title)
        .bind(p.audience.code())
        .bind(&p.description)
        .bind(&p.description_easy)
        .bind(&p.duration)
        .bind(p.hours)
}

pub async fn create_programme(
    conn: &mut AnyConnection,
    p: &NewProgramme,
    now: i64,
) -> Result<Programme> {
    let slug = free_slug(conn, SlugTable::Programmes, &p.title).await?;
    let row = programme_query(
        format!(
            "INSERT INTO training_programmes (title, audience, description, description_easy, duration, hours, slug, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {PROGRAMME_COLUMNS}"
        ),
        p,
    )
    .bind(&slug)
    .bind(now)
    .fetch_one(conn)
    .await?;
    Ok(programme_from(row))
}

/// Changes a programme; its address stays, and its sessions show the new
/// text at once.
pub async fn update_programme(
    conn: &mut AnyConnection,
    id: i64,
    p: &NewProgramme,
) -> Result<Programme> {
    let row = programme_query(
        format!(
            "UPDATE training_programmes SET title = $1, audience = $2, description = $3, \
             description_easy = $4, duration = $5, hours = $6 WHERE id = $7 RETURNING {PROGRAMME_COLUMNS}"
        ),
        p,
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    row.map(programme_from).ok_or(StoreError::NotFound)
}

pub async fn programmes(conn: &mut AnyConnection) -> Result<Vec<Programme>> {
    let rows: Vec<ProgrammeRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM training_programmes ORDER BY title"
    )))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(programme_from).collect())
}

pub async fn programme_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Programme>> {
    let row: Option<ProgrammeRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM training_programmes WHERE slug = $1"
    )))
    .bind(slug)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(programme_from))
}

/// A session as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: i64,
    pub slug: String,
    pub programme: Programme,
    pub title: String,
    pub place: String,
    pub department_code: String,
    pub department_name: String,
    pub region_code: String,
    pub capacity: i64,
    pub places_taken: i64,
    pub trainers: Vec<String>,
    pub peer_trainers: Vec<String>,
    /// With their ids, in time order.
    pub half_days: Vec<(i64, HalfDay)>,
    pub waiting: i64,
    pub applied: i64,
}

impl Session {
    pub fn starts_at(&self) -> i64 {
        self.half_days
            .first()
            .map(|(_, h)| h.starts_at)
            .unwrap_or(0)
    }

    pub fn ends_at(&self) -> i64 {
        self.half_days.last().map(|(_, h)| h.ends_at).unwrap_or(0)
    }
}

type SessionRow = (
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
    i64,
    i64,
    i64,
);

const SESSION_SELECT: &str = "SELECT s.id, s.slug, s.title, s.place, s.department_code, d.name, d.region_code, \
     s.capacity, s.places_taken, s.trainers, s.peer_trainers, s.programme_id, \
     (SELECT COUNT(*) FROM training_applications a WHERE a.session_id = s.id AND a.status = 'waiting'), \
     (SELECT COUNT(*) FROM training_applications a WHERE a.session_id = s.id AND a.status = 'applied') \
     FROM training_sessions s JOIN departments d ON d.code = s.department_code";

fn lines(s: &str) -> Vec<String> {
    s.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn sessions_where(
    conn: &mut AnyConnection,
    clause: &str,
    text: Option<&str>,
) -> Result<Vec<Session>> {
    let sql = format!("{SESSION_SELECT} {clause}");
    let mut q = sqlx::query_as::<_, SessionRow>(AssertSqlSafe(sql));
    if let Some(t) = text {
        q = q.bind(t.to_owned());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    // The sessions' programmes and half-days, two queries for them all.
    let list = |ids: &mut dyn Iterator<Item = i64>| {
        ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
    };
    let programme_ids = list(&mut rows.iter().map(|r| r.11));
    let programmes: Vec<ProgrammeRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {PROGRAMME_COLUMNS} FROM training_programmes WHERE id IN ({programme_ids})"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let programmes: BTreeMap<i64, Programme> = programmes
        .into_iter()
        .map(|p| {
            let p = programme_from(p);
            (p.id, p)
        })
        .collect();
    let session_ids = list(&mut rows.iter().map(|r| r.0));
    let days: Vec<(i64, i64, i64, i64)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT session_id, id, starts_at, ends_at FROM training_half_days \
         WHERE session_id IN ({session_ids}) ORDER BY starts_at, id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut half_days: BTreeMap<i64, Vec<(i64, HalfDay)>> = BTreeMap::new();
    for (session, id, starts_at, ends_at) in days {
        half_days
            .entry(session)
            .or_default()
            .push((id, HalfDay { starts_at, ends_at }));
    }
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let programme = programmes.get(&r.11).cloned().ok_or(StoreError::NotFound)?;
        out.push(Session {
            id: r.0,
            slug: r.1,
            title: r.2,
            place: r.3,
            department_code: r.4,
            department_name: r.5,
            region_code: r.6,
            capacity: r.7,
            places_taken: r.8,
            trainers: lines(&r.9),
            peer_trainers: lines(&r.10),
            programme,
            half_days: half_days.remove(&r.0).unwrap_or_default(),
            waiting: r.12,
            applied: r.13,
        });
    }
    out.sort_by_key(|s| (s.starts_at(), s.id));
    Ok(out)
}

pub async fn session_by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Session>> {
    Ok(sessions_where(conn, "WHERE s.slug = $1", Some(slug))
        .await?
        .pop())
}

async fn session_by_id(conn: &mut AnyConnection, id: i64) -> Result<Session> {
    sessions_where(conn, &format!("WHERE s.id = {id}"), None)
        .await?
        .pop()
        .ok_or(StoreError::NotFound)
}

/// The session of an application.
pub async fn session_of(conn: &mut AnyConnection, a: &Application) -> Result<Session> {
    session_by_id(conn, a.session_id).await
}

/// Every session, in time order (pages filter what each person may see).
pub async fn sessions(conn: &mut AnyConnection) -> Result<Vec<Session>> {
    sessions_where(conn, "", None).await
}

async fn write_half_days(conn: &mut AnyConnection, session_id: i64, h: &[HalfDay]) -> Result<()> {
    for d in h {
        sqlx::query(
            "INSERT INTO training_half_days (session_id, starts_at, ends_at) VALUES ($1, $2, $3)",
        )
        .bind(session_id)
        .bind(d.starts_at)
        .bind(d.ends_at)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A statement on a session returning its id, whose `$1` to `$6` are its
/// title, place, département, capacity, trainers and peer trainers, bound.
fn session_query<'s>(
    sql: &'static str,
    s: &'s NewSession,
) -> sqlx::query::QueryAs<'s, sqlx::Any, (i64,), sqlx::any::AnyArguments> {
    sqlx::query_as(sql)
        .bind(&s.title)
        .bind(&s.place)
        .bind(s.department.as_str())
        .bind(s.capacity)
        .bind(s.trainers.join("\n"))
        .bind(s.peer_trainers.join("\n"))
}

pub async fn create_session(
    conn: &mut AnyConnection,
    programme: &Programme,
    s: &NewSession,
    created_by: i64,
    now: i64,
) -> Result<Session> {
    let first = s.half_days.first().map(|h| h.starts_at).unwrap_or(now);
    let name = format!(
        "{} {} {}",
        programme.title,
        s.department.as_str(),
        epop_domain::event::paris_day(first)
    );
    let slug = free_slug(conn, SlugTable::Sessions, &name).await?;
    let (id,) = session_query(
        "INSERT INTO training_sessions (title, place, department_code, capacity, trainers, peer_trainers, \
         slug, programme_id, places_taken, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $10) RETURNING id",
        s,
    )
    .bind(&slug)
    .bind(programme.id)
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    write_half_days(conn, id, &s.half_days).await?;
    session_by_id(conn, id).await
}

/// Changes a session (the caller checked the capacity against the places
/// given); the half-days are replaced only when they changed.
pub async fn update_session(
    conn: &mut AnyConnection,
    id: i64,
    s: &NewSession,
    now: i64,
) -> Result<()> {
    lock_places(conn, id).await?;
    session_query(
        "UPDATE training_sessions SET title = $1, place = $2, department_code = $3, capacity = $4, \
         trainers = $5, peer_trainers = $6, updated_at = $7 WHERE id = $8 RETURNING id",
        s,
    )
    .bind(now)
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let current = session_by_id(conn, id).await?;
    let same = current.half_days.len() == s.half_days.len()
        && current
            .half_days
            .iter()
            .zip(&s.half_days)
            .all(|((_, a), b)| a == b);
    if !same {
        sqlx::query("DELETE FROM training_half_days WHERE session_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        write_half_days(conn, id, &s.half_days).await?;
    }
    Ok(())
}

/// Takes the session's row lock for the transaction; returns (capacity,
/// places taken).
async fn lock_places(conn: &mut AnyConnection, session_id: i64) -> Result<(i64, i64)> {
    Ok(sqlx::query_as(
        "UPDATE training_sessions SET places_taken = places_taken WHERE id = $1 RETURNING capacity, places_taken",
    )
    .bind(session_id)
    .fetch_one(conn)
    .await?)
}

/// One application, with the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i64,
    /// The application's id in URLs (random, not guessable).
    pub public_id: String,
    pub session_id: i64,
    pub account_id: i64,
    /// The person's account id in URLs.
    pub account_public_id: String,
    pub name: String,
    pub email: String,
    pub department: Option<String>,
    pub motivation: String,
    pub needs: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub created_at: i64,
    pub completed_at: Option<i64>,
}

type ApplicationRow = (
    i64,
    String,
    i64,
    i64,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
    i64,
    Option<i64>,
);

const APPLICATION_SELECT: &str = "SELECT t.id, t.public_id, t.session_id, t.account_id, a.public_id, a.display_name, a.email, a.department_code, \
     t.motivation, t.needs, t.status, t.reason, t.created_at, t.completed_at \
     FROM training_applications t JOIN accounts a ON a.id = t.account_id";

fn application_from(r: ApplicationRow) -> Application {
    Application {
        id: r.0,
        public_id: r.1,
        session_id: r.2,
        account_id: r.3,
        account_public_id: r.4,
        name: r.5,
        email: r.6,
        department: r.7,
        motivation: r.8,
        needs: r.9,
        status: ApplicationStatus::from_code(&r.10).unwrap_or(ApplicationStatus::Withdrawn),
        reason: r.11,
        created_at: r.12,
        completed_at: r.13,
    }
}

/// A query on applications whose `$` parameters the caller binds.
type ApplicationQuery =
    sqlx::query::QueryAs<'static, sqlx::Any, ApplicationRow, sqlx::any::AnyArguments>;

/// The applications `clause` picks (`WHERE`, `ORDER BY` after
/// [`APPLICATION_SELECT`]), its parameters bound by `bind`.
async fn applications_where(
    conn: &mut AnyConnection,
    clause: &str,
    bind: impl FnOnce(ApplicationQuery) -> ApplicationQuery,
) -> Result<Vec<Application>> {
    let query = sqlx::query_as(AssertSqlSafe(format!("{APPLICATION_SELECT} {clause}")));
    let rows = bind(query).fetch_all(conn).await?;
    Ok(rows.into_iter().map(application_from).collect())
}

pub async fn application_by_public_id(
    conn: &mut AnyConnection,
    public_id: &str,
) -> Result<Option<Application>> {
    let found = applications_where(conn, "WHERE t.public_id = $1", |q| {
        q.bind(public_id.to_owned())
    })
    .await?;
    Ok(found.into_iter().next())
}

pub async fn application(conn: &mut AnyConnection, id: i64) -> Result<Option<Application>> {
    let found = applications_where(conn, "WHERE t.id = $1", |q| q.bind(id)).await?;
    Ok(found.into_iter().next())
}

/// A session's applications: places first, then waiting, new, others.
pub async fn applications(conn: &mut AnyConnection, session_id: i64) -> Result<Vec<Application>> {
    applications_where(
        conn,
        "WHERE t.session_id = $1 ORDER BY CASE t.status \
         WHEN 'completed' THEN 0 WHEN 'accepted' THEN 1 WHEN 'waiting' THEN 2 WHEN 'applied' THEN 3 ELSE 4 END, t.id",
        |q| q.bind(session_id),
    )
    .await
}

/// A person's applications, newest first.
pub async fn applications_of(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<Application>> {
    applications_where(conn, "WHERE t.account_id = $1 ORDER BY t.id DESC", |q| {
        q.bind(account_id)
    })
    .await
}

/// What applying did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    New(Application),
    /// This person already has an open application to this session.
    Existing(Application),
}

pub async fn apply(
    conn: &mut AnyConnection,
    session_id: i64,
    account_id: i64,
    public_id: &str,
    motivation: &str,
    needs: &str,
    now: i64,
) -> Result<Applied> {
    lock_places(conn, session_id).await?;
    let existing = applications_where(
        conn,
        "WHERE t.session_id = $1 AND t.account_id = $2 AND t.status NOT IN ('declined', 'withdrawn')",
        |q| q.bind(session_id).bind(account_id),
    )
    .await?;
    if let Some(e) = existing.into_iter().next() {
        return Ok(Applied::Existing(e));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO training_applications (public_id, session_id, account_id, motivation, needs, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'applied', $6) RETURNING id",
    )
    .bind(public_id)
    .bind(session_id)
    .bind(account_id)
    .bind(motivation)
    .bind(needs)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Applied::New(
        application(conn, id).await?.ok_or(StoreError::NotFound)?,
    ))
}

/// Applies a coordinator's decision under the session's lock: accepting a
/// full session puts the person on the waiting list. `None`: the decision
/// no longer applies (the application changed meanwhile).
pub async fn decide(
    conn: &mut AnyConnection,
    application_id: i64,
    decision: &Decision,
    decided_by: i64,
    now: i64,
) -> Result<Option<Application>> {
    let Some(a) = application(conn, application_id).await? else {
        return Ok(None);
    };
    let (capacity, taken) = lock_places(conn, a.session_id).await?;
    // Read again under the lock: another decision may have come first.
    let Some(a) = application(conn, application_id).await? else {
        return Ok(None);
    };
    let Some(to) = decision.outcome(a.status, capacity - taken) else {
        return Ok(None);
    };
    let reason = match decision {
        Decision::Decline { reason } => Some(reason.clone()),
        _ => None,
    };
    sqlx::query(
        "UPDATE training_applications SET status = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5",
    )
    .bind(to.code())
    .bind(reason)
    .bind(decided_by)
    .bind(now)
    .bind(a.id)
    .execute(&mut *conn)
    .await?;
    let delta = i64::from(to.holds_place()) - i64::from(a.status.holds_place());
    if delta != 0 {
        sqlx::query("UPDATE training_sessions SET places_taken = places_taken + $1 WHERE id = $2")
            .bind(delta)
            .bind(a.session_id)
            .execute(&mut *conn)
            .await?;
    }
    application(conn, a.id).await
}

/// The person withdraws their open application (a place held is freed).
pub async fn withdraw(conn: &mut AnyConnection, application_id: i64, now: i64) -> Result<bool> {
    let Some(a) = application(conn, application_id).await? else {
        return Ok(false);
    };
    lock_places(conn, a.session_id).await?;
    let changed = sqlx::query(
        "UPDATE training_applications SET status = 'withdrawn', decided_at = $1 \
         WHERE id = $2 AND status IN ('applied', 'waiting', 'accepted')",
    )
    .bind(now)
    .bind(a.id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 && a.status == ApplicationStatus::Accepted {
        sqlx::query("UPDATE training_sessions SET places_taken = places_taken - 1 WHERE id = $1")
            .bind(a.session_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(changed == 1)
}

/// Who came to one half-day: `present` holds application ids; everyone
/// else with a place is recorded absent.
pub async fn set_attendance(
    conn: &mut AnyConnection,
    session_id: i64,
    half_day_id: i64,
    present: &[i64],
) -> Result<()> {
    let holders: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM training_applications WHERE session_id = $1 AND status IN ('accepted', 'completed')",
    )
    .bind(session_id)
    .fetch_all(&mut *conn)
    .await?;
    for (id,) in holders {
        sqlx::query(
            "INSERT INTO training_attendance (application_id, half_day_id, present) VALUES ($1, $2, $3) \
             ON CONFLICT (application_id, half_day_id) DO UPDATE SET present = excluded.present",
        )
        .bind(id)
        .bind(half_day_id)
        .bind(i64::from(present.contains(&id)))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// The attendance recorded for a session: (application, half-day, present).
pub async fn attendance(
    conn: &mut AnyConnection,
    session_id: i64,
) -> Result<Vec<(i64, i64, bool)>> {
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT t.application_id, t.half_day_id, t.present FROM training_attendance t \
         JOIN training_half_days h ON h.id = t.half_day_id WHERE h.session_id = $1",
    )
    .bind(session_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(a, h, p)| (a, h, p != 0)).collect())
}

/// Marks an accepted application completed and the person's directory
/// profile of the programme's kind as trained (programme and date), if they
/// have one. Returns the application, or `None` if it was not accepted or
/// its session has a half-day still to come at `now`.
pub async fn complete(
    conn: &mut AnyConnection,
    application_id: i64,
    trained_on: &str,
    now: i64,
) -> Result<Option<Application>> {
    let Some(a) = application(conn, application_id).await? else {
        return Ok(None);
    };
    let changed = sqlx::query(
        "UPDATE training_applications SET status = 'completed', completed_at = $1 \
         WHERE id = $2 AND status = 'accepted' AND NOT EXISTS \
         (SELECT 1 FROM training_half_days h WHERE h.session_id = training_applications.session_id \
          AND h.ends_at > $1)",
    )
    .bind(now)
    .bind(a.id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(None);
    }
    let session = session_by_id(conn, a.session_id).await?;
    let kind = session.programme.audience.code();
    let profile: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM profiles WHERE account_id = $1 AND kind = $2")
            .bind(a.account_id)
            .bind(kind)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((profile_id,)) = profile {
        crate::directory::set_training(
            conn,
            profile_id,
            Some(trained_on),
            Some(&session.programme.title),
        )
        .await?;
    }
    application(conn, a.id).await
}

/// A milestone reached by a trained person (recorded once; recording it
/// again changes its date).
pub async fn record_milestone(
    conn: &mut AnyConnection,
    account_id: i64,
    m: Milestone,
    reached_on: &str,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO accompaniment_milestones (account_id, milestone, reached_on, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, milestone) \
         DO UPDATE SET reached_on = excluded.reached_on, recorded_by = excluded.recorded_by",
    )
    .bind(account_id)
    .bind(m.code())
    .bind(reached_on)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The milestones reached, in the order of [`Milestone::ALL`]: (milestone, date).
pub async fn milestones(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<(Milestone, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT milestone, reached_on FROM accompaniment_milestones WHERE account_id = $1",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<(Milestone, String)> = rows
        .into_iter()
        .filter_map(|(m, d)| Milestone::from_code(&m).map(|m| (m, d)))
        .collect();
    out.sort_by_key(|(m, _)| Milestone::ALL.iter().position(|x| x == m));
    Ok(out)
}

/// A follow-up note (seen only by the coordinators of the person's territory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub author: Option<String>,
    pub body: String,
    pub created_at: i64,
}

pub async fn add_note(
    conn: &mut AnyConnection,
    account_id: i64,
    author_id: i64,
    body: &str,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO follow_up_notes (account_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)")
        .bind(account_id)
        .bind(author_id)
        .bind(body)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Newest first.
pub async fn notes(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Note>> {
    let rows: Vec<(Option<String>, String, i64)> = sqlx::query_as(
        "SELECT a.display_name, n.body, n.created_at FROM follow_up_notes n \
         LEFT JOIN accounts a ON a.id = n.author_id WHERE n.account_id = $1 ORDER BY n.id DESC",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(author, body, created_at)| Note {
            author,
            body,
            created_at,
        })
        .collect())
}
