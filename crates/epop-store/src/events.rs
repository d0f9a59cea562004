//! Events and their registrations: creating and editing events, the lists
//! people browse, and every change of seats — registering, cancelling,
//! giving a freed seat to the next person waiting (at once, or as an offer
//! that expires), reminders, attendance.
//!
//! Every change of seats starts by locking the event's row
//! ([`lock_seats`]): on PostgreSQL two transactions on the same event then
//! run one after the other (on SQLite `BEGIN IMMEDIATE` already does), so a
//! seat is never given twice and the waiting list keeps its order.

use epop_domain::event::{Accessibility, Need, NewEvent, NewRegistration, Status, status_for_new};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Bind, Result, SlugTable, free_slug};

/// An event as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub description_easy: String,
    pub audience: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub online: bool,
    /// Shown only to people with a seat.
    pub online_link: Option<String>,
    pub address: Option<String>,
    pub directions: Option<String>,
    pub step_free: bool,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub organiser: String,
    pub capacity: i64,
    pub seats_taken: i64,
    pub deadline: i64,
    pub offer_hours: Option<i64>,
    pub accessibility: Vec<Accessibility>,
    pub questions: Vec<String>,
    pub waiting: i64,
    pub updated_at: i64,
    /// A practice-analysis group: only trained peer workers may see it and
    /// register.
    pub trained_peers_only: bool,
    /// An information meeting for people who want to join the network.
    pub information_meeting: bool,
    /// Set when the organiser cancelled the event, with why.
    pub cancel_reason: Option<String>,
    /// The training programme an information meeting presents: its people
    /// are offered the application once it has ended.
    pub training_programme_id: Option<i64>,
}

const EVENT_SELECT: &str = "SELECT e.id, e.slug, e.title, e.description, e.description_easy, e.audience, \
     e.starts_at, e.ends_at, e.online, e.online_link, e.address, e.directions, e.step_free, \
     e.department_code, d.name, r.code, r.name, e.organiser, e.capacity, e.seats_taken, e.deadline, \
     e.offer_hours, e.accessibility, e.questions, \
     (SELECT COUNT(*) FROM event_registrations w WHERE w.event_id = e.id AND w.status = 'waiting'), \
     e.updated_at, e.trained_peers_only, e.cancel_reason, e.information_meeting, \
     e.training_programme_id FROM events e LEFT JOIN departments d ON d.code = e.department_code \
     LEFT JOIN regions r ON r.code = d.region_code";

async fn fetch_events(
    conn: &mut AnyConnection,
    sql: &str,
    binds: &[Bind<'_>],
) -> Result<Vec<Event>> {
    let rows = Bind::all(sqlx::query(AssertSqlSafe(sql.to_owned())), binds)
        .fetch_all(conn)
        .await?;
    rows.iter().map(event_from_row).collect()
}

fn event_from_row(r: &sqlx::any::AnyRow) -> Result<Event> {
    use sqlx::Row;
    let accessibility: String = r.try_get(22)?;
    let questions: String = r.try_get(23)?;
    Ok(Event {
        id: r.try_get(0)?,
        slug: r.try_get(1)?,
        title: r.try_get(2)?,
        description: r.try_get(3)?,
        description_easy: r.try_get(4)?,
        audience: r.try_get(5)?,
        starts_at: r.try_get(6)?,
        ends_at: r.try_get(7)?,
        online: r.try_get::<i64, _>(8)? != 0,
        online_link: r.try_get(9)?,
        address: r.try_get(10)?,
        directions: r.try_get(11)?,
        step_free: r.try_get::<i64, _>(12)? != 0,
        department_code: r.try_get(13)?,
        department_name: r.try_get(14)?,
        region_code: r.try_get(15)?,
        region_name: r.try_get(16)?,
        organiser: r.try_get(17)?,
        capacity: r.try_get(18)?,
        seats_taken: r.try_get(19)?,
        deadline: r.try_get(20)?,
        offer_hours: r.try_get(21)?,
        accessibility: accessibility
            .split_whitespace()
            .filter_map(Accessibility::from_code)
            .collect(),
        questions: questions
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        waiting: r.try_get(24)?,
        updated_at: r.try_get(25)?,
        trained_peers_only: r.try_get::<i64, _>(26)? != 0,
        cancel_reason: r.try_get(27)?,
        information_meeting: r.try_get::<i64, _>(28)? != 0,
        training_programme_id: r.try_get(29)?,
    })
}

fn accessibility_codes(e: &NewEvent) -> String {
    e.accessibility
        .iter()
        .map(|a| a.code())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Binds what the organiser typed, as parameters `$1` to `$20` (the same
/// order for creating and for editing).
fn bind_fields<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    e: &'q NewEvent,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    q.bind(&e.title)
        .bind(&e.description)
        .bind(&e.description_easy)
        .bind(&e.audience)
        .bind(e.starts_at)
        .bind(e.ends_at)
        .bind(i64::from(e.online))
        .bind(&e.online_link)
        .bind(&e.address)
        .bind(&e.directions)
        .bind(i64::from(e.step_free))
        .bind(e.department.as_ref().map(|d| d.as_str().to_owned()))
        .bind(&e.organiser)
        .bind(e.capacity)
        .bind(e.deadline)
        .bind(e.offer_hours)
        .bind(accessibility_codes(e))
        .bind(e.questions.join("\n"))
        .bind(i64::from(e.trained_peers_only))
        .bind(i64::from(e.information_meeting))
}

/// Creates an event; its slug is made from the title and the date.
pub async fn create(
    conn: &mut AnyConnection,
    e: &NewEvent,
    created_by: Option<i64>,
    now: i64,
) -> Result<Event> {
    let date = epop_domain::event::paris_day(e.starts_at);
    let slug = free_slug(conn, SlugTable::Events, &format!("{} {date}", e.title)).await?;
    bind_fields(
        sqlx::query(
            "INSERT INTO events (title, description, description_easy, audience, starts_at, ends_at, \
             online, online_link, address, directions, step_free, department_code, organiser, capacity, \
             deadline, offer_hours, accessibility, questions, trained_peers_only, information_meeting, \
             slug, seats_taken, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
             $20, $21, 0, $22, $23, $23)",
        ),
        e,
    )
    .bind(&slug)
    .bind(created_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    by_slug(conn, &slug)
        .await?
        .ok_or(crate::StoreError::NotFound)
}

/// Changes an event. A larger capacity gives the new seats to the people
/// waiting, who are returned (to be told).
pub async fn update(
    conn: &mut AnyConnection,
    id: i64,
    e: &NewEvent,
    now: i64,
) -> Result<Vec<Registration>> {
    lock_seats(conn, id).await?;
    bind_fields(
        sqlx::query(
            "UPDATE events SET title = $1, description = $2, description_easy = $3, audience = $4, \
             starts_at = $5, ends_at = $6, online = $7, online_link = $8, address = $9, directions = $10, \
             step_free = $11, department_code = $12, organiser = $13, capacity = $14, deadline = $15, \
             offer_hours = $16, accessibility = $17, questions = $18, trained_peers_only = $19, \
             information_meeting = $20, updated_at = $21 WHERE id = $22",
        ),
        e,
    )
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    fill_seats(conn, id, now).await
}

/// Sets (or, with `None`, removes) the training programme an information
/// meeting presents.
pub async fn set_programme(
    conn: &mut AnyConnection,
    event_id: i64,
    programme_id: Option<i64>,
) -> Result<()> {
    sqlx::query("UPDATE events SET training_programme_id = $1 WHERE id = $2")
        .bind(programme_id)
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn by_slug(conn: &mut AnyConnection, slug: &str) -> Result<Option<Event>> {
    Ok(fetch_events(
        conn,
        &format!("{EVENT_SELECT} WHERE e.slug = $1"),
        &[Bind::Text(slug)],
    )
    .await?
    .pop())
}

async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Event> {
    fetch_events(
        conn,
        &format!("{EVENT_SELECT} WHERE e.id = $1"),
        &[Bind::Int(id)],
    )
    .await?
    .pop()
    .ok_or(crate::StoreError::NotFound)
}

/// Which events a list shows.
#[derive(Debug, Clone, Default)]
pub struct Filter<'a> {
    /// Events that end after this time.
    pub ending_after: i64,
    pub region: Option<&'a str>,
    pub online: Option<bool>,
    /// Only events of these départements (a coordinator's list); `None`: all.
    pub departments: Option<&'a [String]>,
}

/// Events in the order they happen.
pub async fn list(conn: &mut AnyConnection, f: &Filter<'_>) -> Result<Vec<Event>> {
    let mut sql = format!("{EVENT_SELECT} WHERE e.ends_at > $1");
    let mut binds = vec![Bind::Int(f.ending_after)];
    if let Some(r) = f.region {
        binds.push(Bind::Text(r));
        sql.push_str(&format!(" AND r.code = ${}", binds.len()));
    }
    if let Some(o) = f.online {
        binds.push(Bind::Int(i64::from(o)));
        sql.push_str(&format!(" AND e.online = ${}", binds.len()));
    }
    if let Some(depts) = f.departments {
        if depts.is_empty() {
            return Ok(Vec::new());
        }
        let mut marks = Vec::new();
        for d in depts {
            binds.push(Bind::Text(d));
            marks.push(format!("${}", binds.len()));
        }
        sql.push_str(&format!(" AND e.department_code IN ({})", marks.join(", ")));
    }
    sql.push_str(" ORDER BY e.starts_at, e.id");
    fetch_events(conn, &sql, &binds).await
}

/// Whether this account has a peer profile marked as trained.
pub async fn is_trained_peer(conn: &mut AnyConnection, account_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM profiles WHERE account_id = $1 AND kind = 'peer' AND trained_on IS NOT NULL",
    )
    .bind(account_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// One registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub needs: Vec<Need>,
    pub needs_other: Option<String>,
    pub answers: Vec<String>,
    pub status: Status,
    pub account_id: Option<i64>,
    pub registered_by: Option<i64>,
    pub created_at: i64,
    pub offer_expires_at: Option<i64>,
    pub attended: Option<bool>,
}

type RegRow = (
    i64,
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
);

const REG_COLUMNS: &str = "id, event_id, name, email, phone, needs, needs_other, answers, status, \
     account_id, registered_by, created_at, offer_expires_at, attended";

fn reg_from_row(r: RegRow) -> Registration {
    Registration {
        id: r.0,
        event_id: r.1,
        name: r.2,
        email: r.3,
        phone: r.4,
        needs: r.5.split_whitespace().filter_map(Need::from_code).collect(),
        needs_other: r.6,
        answers: if r.7.is_empty() {
            Vec::new()
        } else {
            r.7.split('\n').map(str::to_owned).collect()
        },
        status: Status::from_code(&r.8).unwrap_or(Status::Cancelled),
        account_id: r.9,
        registered_by: r.10,
        created_at: r.11,
        offer_expires_at: r.12,
        attended: r.13.map(|a| a != 0),
    }
}

/// Takes the event's row lock for the rest of the transaction and returns
/// (capacity, seats taken, hours of a seat offer).
async fn lock_seats(conn: &mut AnyConnection, event_id: i64) -> Result<(i64, i64, Option<i64>)> {
    Ok(sqlx::query_as(
        "UPDATE events SET seats_taken = seats_taken WHERE id = $1 \
         RETURNING capacity, seats_taken, offer_hours",
    )
    .bind(event_id)
    .fetch_one(conn)
    .await?)
}

/// What registering did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Registered {
    /// A new registration (confirmed or waiting).
    New(Registration),
    /// This e-mail address already has an active registration: nothing new.
    Existing(Registration),
}

/// Who registers, besides the person.
#[derive(Debug, Clone, Copy, Default)]
pub struct Registrant {
    /// The person's own account, when they register themselves signed in.
    pub account_id: Option<i64>,
    /// A référent or coordinator registering someone else.
    pub registered_by: Option<i64>,
}

/// Registers a person: a seat if one is left, else the waiting list. The
/// same e-mail address registered twice gives back the first registration.
/// Call inside a write transaction.
pub async fn register(
    conn: &mut AnyConnection,
    event_id: i64,
    r: &NewRegistration,
    token_hash: &str,
    who: Registrant,
    now: i64,
) -> Result<Registered> {
    let (capacity, taken, _) = lock_seats(conn, event_id).await?;
    if let Some(existing) = active_of(conn, event_id, r.email.as_str()).await? {
        return Ok(Registered::Existing(existing));
    }
    let status = status_for_new(capacity, taken);
    let needs = r
        .needs
        .iter()
        .map(|n| n.code())
        .collect::<Vec<_>>()
        .join(" ");
    let row: RegRow = sqlx::query_as(AssertSqlSafe(format!(
        "INSERT INTO event_registrations (event_id, name, email, phone, needs, needs_other, \
         answers, status, account_id, registered_by, consent_version, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {REG_COLUMNS}"
    )))
    .bind(event_id)
    .bind(&r.name)
    .bind(r.email.as_str())
    .bind(&r.phone)
    .bind(needs)
    .bind(&r.needs_other)
    .bind(r.answers.join("\n"))
    .bind(status.code())
    .bind(who.account_id)
    .bind(who.registered_by)
    .bind(epop_domain::event::CONSENT_VERSION)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    if status.holds_seat() {
        add_seats(conn, event_id, 1).await?;
    }
    add_link(conn, row.0, token_hash, now).await?;
    Ok(Registered::New(reg_from_row(row)))
}

async fn add_seats(conn: &mut AnyConnection, event_id: i64, n: i64) -> Result<()> {
    sqlx::query("UPDATE events SET seats_taken = seats_taken + $1 WHERE id = $2")
        .bind(n)
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

async fn active_of(
    conn: &mut AnyConnection,
    event_id: i64,
    email: &str,
) -> Result<Option<Registration>> {
    let row: Option<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REG_COLUMNS} FROM event_registrations \
         WHERE event_id = $1 AND email = $2 AND status <> 'cancelled'"
    )))
    .bind(event_id)
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(reg_from_row))
}

/// Records a new link (its token's hash) to a registration, for an e-mail.
pub async fn add_link(
    conn: &mut AnyConnection,
    registration_id: i64,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO event_links (token_hash, registration_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(registration_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The registration a link's token opens.
pub async fn by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Registration>> {
    let row: Option<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REG_COLUMNS} FROM event_registrations WHERE id = \
         (SELECT registration_id FROM event_links WHERE token_hash = $1)"
    )))
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(reg_from_row))
}

/// The event of a registration.
pub async fn event_of(conn: &mut AnyConnection, r: &Registration) -> Result<Event> {
    by_id(conn, r.event_id).await
}

/// The place of a waiting registration in the queue (1 = next).
pub async fn queue_position(conn: &mut AnyConnection, r: &Registration) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND status = 'waiting' AND id <= $2",
    )
    .bind(r.event_id)
    .bind(r.id)
    .fetch_one(conn)
    .await?)
}

/// What a cancellation did: the registration as it was, and the people who
/// got (or were offered) the freed seat.
#[derive(Debug, Clone)]
pub struct Cancelled {
    pub registration: Registration,
    pub promoted: Vec<Registration>,
}

/// Cancels the registration the token opens (if still active) and gives its
/// seat to the next person waiting.
pub async fn cancel(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<Cancelled>> {
    let Some(r) = by_token(conn, token_hash).await? else {
        return Ok(None);
    };
    if !r.status.is_active() {
        return Ok(None);
    }
    lock_seats(conn, r.event_id).await?;
    release(conn, &r, now).await.map(Some)
}

/// Ends a registration (the caller holds the event's lock) and fills the
/// seat it held.
async fn release(conn: &mut AnyConnection, r: &Registration, now: i64) -> Result<Cancelled> {
    let changed = sqlx::query(
        "UPDATE event_registrations SET status = 'cancelled', cancelled_at = $1, offer_expires_at = NULL \
         WHERE id = $2 AND status = $3",
    )
    .bind(now)
    .bind(r.id)
    .bind(r.status.code())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 1 && r.status.holds_seat() {
        add_seats(conn, r.event_id, -1).await?;
    }
    let promoted = fill_seats(conn, r.event_id, now).await?;
    Ok(Cancelled {
        registration: r.clone(),
        promoted,
    })
}

/// Gives free seats to the people waiting, first come first served: a seat
/// at once, or an offer for the event's number of hours. The caller holds
/// the event's lock.
async fn fill_seats(
    conn: &mut AnyConnection,
    event_id: i64,
    now: i64,
) -> Result<Vec<Registration>> {
    let (capacity, mut taken, offer_hours) = lock_seats(conn, event_id).await?;
    let mut promoted = Vec::new();
    while taken < capacity {
        let (status, expires) = match offer_hours {
            Some(h) => (Status::Offered, Some(now + h * 3600)),
            None => (Status::Confirmed, None),
        };
        let row: Option<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
            "UPDATE event_registrations SET status = $1, offer_expires_at = $2 WHERE id = \
             (SELECT id FROM event_registrations WHERE event_id = $3 AND status = 'waiting' ORDER BY id LIMIT 1) \
             RETURNING {REG_COLUMNS}"
        )))
        .bind(status.code())
        .bind(expires)
        .bind(event_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { break };
        add_seats(conn, event_id, 1).await?;
        taken += 1;
        promoted.push(reg_from_row(row));
    }
    Ok(promoted)
}

/// Takes the seat offered to the token's registration, if the offer stands.
pub async fn accept_offer(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<Registration>> {
    let Some(r) = by_token(conn, token_hash).await? else {
        return Ok(None);
    };
    lock_seats(conn, r.event_id).await?;
    let row: Option<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE event_registrations SET status = 'confirmed', offer_expires_at = NULL \
         WHERE id = $1 AND status = 'offered' AND offer_expires_at >= $2 RETURNING {REG_COLUMNS}"
    )))
    .bind(r.id)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(reg_from_row))
}

/// Ends the seat offers that expired and offers those seats to the next
/// people waiting. Returns each expired offer with who got its seat.
pub async fn expire_offers(conn: &mut AnyConnection, now: i64) -> Result<Vec<Cancelled>> {
    let rows: Vec<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REG_COLUMNS} FROM event_registrations WHERE status = 'offered' AND offer_expires_at < $1 ORDER BY id"
    )))
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in rows.into_iter().map(reg_from_row) {
        lock_seats(conn, r.event_id).await?;
        out.push(release(conn, &r, now).await?);
    }
    Ok(out)
}

/// A message sent once per registration, marked by its column.
#[derive(Debug, Clone, Copy)]
enum Sent {
    Reminder,
    Followup,
}

/// Marks the message as sent to this registration and gives the
/// registration, unless it was already marked (by another process, whose
/// transaction this one waits for): then `None`.
async fn claim(
    conn: &mut AnyConnection,
    sent: Sent,
    id: i64,
    now: i64,
) -> Result<Option<Registration>> {
    let column = match sent {
        Sent::Reminder => "reminder_sent_at",
        Sent::Followup => "followup_sent_at",
    };
    let row: Option<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "UPDATE event_registrations SET {column} = $1 \
         WHERE id = $2 AND {column} IS NULL RETURNING {REG_COLUMNS}"
    )))
    .bind(now)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(reg_from_row))
}

/// The reminders due now (people with a seat, the day before), marked as
/// sent in the same transaction as the caller writes the e-mails.
pub async fn take_due_reminders(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<Vec<(Registration, Event)>> {
    let window_end = now + epop_domain::event::REMINDER_BEFORE;
    let ids: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.event_id FROM event_registrations r JOIN events e ON e.id = r.event_id \
         WHERE r.status = 'confirmed' AND r.reminder_sent_at IS NULL \
         AND e.starts_at > $1 AND e.starts_at <= $2 ORDER BY r.id",
    )
    .bind(now)
    .bind(window_end)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (id, event_id) in ids {
        let event = by_id(conn, event_id).await?;
        if let Some(r) = claim(conn, Sent::Reminder, id, now).await?
            && epop_domain::event::reminder_due(event.starts_at, r.created_at, now)
        {
            out.push((r, event));
        }
    }
    Ok(out)
}

/// The follow-ups due now: for each information meeting that presents a
/// training programme and ended (less than
/// [`epop_domain::event::FOLLOWUP_WITHIN`] ago, and was not cancelled),
/// each person who had a seat and was not marked absent. Each is marked as
/// sent as it is taken (a row another process took first is skipped), in
/// the transaction where the caller writes the e-mails.
pub async fn take_due_followups(
    conn: &mut AnyConnection,
    now: i64,
) -> Result<Vec<(Registration, Event)>> {
    let ids: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT r.id, r.event_id FROM event_registrations r JOIN events e ON e.id = r.event_id \
         WHERE e.training_programme_id IS NOT NULL AND e.information_meeting = 1 \
         AND e.cancelled_at IS NULL AND e.ends_at <= $1 AND e.ends_at > $2 \
         AND r.status = 'confirmed' AND (r.attended IS NULL OR r.attended = 1) \
         AND r.followup_sent_at IS NULL ORDER BY r.id",
    )
    .bind(now)
    .bind(now - epop_domain::event::FOLLOWUP_WITHIN)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for (id, event_id) in ids {
        if let Some(r) = claim(conn, Sent::Followup, id, now).await? {
            out.push((r, by_id(conn, event_id).await?));
        }
    }
    Ok(out)
}

/// An event's registrations: seats first, then the waiting list in order,
/// then cancellations.
pub async fn registrations(conn: &mut AnyConnection, event_id: i64) -> Result<Vec<Registration>> {
    let rows: Vec<RegRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT {REG_COLUMNS} FROM event_registrations WHERE event_id = $1 \
         ORDER BY CASE status WHEN 'confirmed' THEN 0 WHEN 'offered' THEN 1 WHEN 'waiting' THEN 2 ELSE 3 END, id"
    )))
    .bind(event_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(reg_from_row).collect())
}

/// Records who came, among the people with a seat: `present` holds the ids
/// of those who came; everyone else with a seat is marked absent.
pub async fn set_attendance(
    conn: &mut AnyConnection,
    event_id: i64,
    present: &[i64],
) -> Result<()> {
    sqlx::query(
        "UPDATE event_registrations SET attended = 0 WHERE event_id = $1 AND status = 'confirmed'",
    )
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    for id in present {
        sqlx::query(
            "UPDATE event_registrations SET attended = 1 WHERE event_id = $1 AND id = $2 AND status = 'confirmed'",
        )
        .bind(event_id)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// How long after an event its registrations keep their personal data.
pub const KEEP_AFTER_EVENT: i64 = 365 * 86_400;

/// Erases the personal data of registrations to events that ended more
/// than a year ago (as the registration form promises), keeping the
/// anonymous counts (status, needs, attendance), and deletes their links
/// (also those of registrations anonymised before links were deleted), so
/// that a link e-mailed then no longer opens anything. Call it inside a
/// transaction: both statements go together. Returns how many
/// registrations were anonymised.
pub async fn anonymise_old(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    let cutoff = now - KEEP_AFTER_EVENT;
    sqlx::query(
        "DELETE FROM event_links WHERE registration_id IN (SELECT r.id FROM event_registrations r \
         JOIN events e ON e.id = r.event_id WHERE e.ends_at < $1)",
    )
    .bind(cutoff)
    .execute(&mut *conn)
    .await?;
    Ok(sqlx::query(
        "UPDATE event_registrations SET name = 'Personne anonymisée', \
         email = 'anonyme-' || CAST(id AS TEXT) || '@anonyme.invalid', phone = NULL, needs_other = NULL, answers = '' \
         WHERE email NOT LIKE '%@anonyme.invalid' AND event_id IN (SELECT id FROM events WHERE ends_at < $1)",
    )
    .bind(cutoff)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Cancels an event as a whole; returns the registrations still active (to
/// tell them). Cancelling twice does nothing more.
pub async fn cancel_event(
    conn: &mut AnyConnection,
    event_id: i64,
    reason: &str,
    now: i64,
) -> Result<Vec<Registration>> {
    lock_seats(conn, event_id).await?;
    let changed = sqlx::query(
        "UPDATE events SET cancelled_at = $1, cancel_reason = $2, updated_at = $1 WHERE id = $3 AND cancelled_at IS NULL",
    )
    .bind(now)
    .bind(reason)
    .bind(event_id)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if changed == 0 {
        return Ok(Vec::new());
    }
    Ok(registrations(conn, event_id)
        .await?
        .into_iter()
        .filter(|r| r.status.is_active())
        .collect())
}
