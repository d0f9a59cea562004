//! Intervention requests: drafts kept as typed (with a link to finish them
//! later), submission (the checked values the coordinators filter and match
//! on are stored in their own columns; the whole form stays as typed), the
//! record of every change of status, and the lists each person may see.

use epop_domain::organisation::RequestMembership;
use epop_domain::request::{NewRequest, RequestForm};
use sqlx::{AnyConnection, AssertSqlSafe};

use crate::{Bind, Result, StoreError, now};

/// A request as lists and pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub id: i64,
    pub public_id: String,
    pub status: String,
    /// The form as typed, URL-encoded.
    pub form: String,
    pub contact_email: String,
    pub kind: Option<String>,
    pub subject: Option<String>,
    pub department_code: Option<String>,
    pub department_name: Option<String>,
    pub organisation_id: Option<i64>,
    pub organisation_name: Option<String>,
    pub requester_id: Option<i64>,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    /// Whether the requester belongs to the request's organisation now;
    /// if not, the coordination sees « organisation à vérifier ».
    pub requester_is_member: bool,
}

impl Request {
    /// The form as typed, decoded from its stored text: the one place a
    /// stored request is read back (the first value of each field).
    pub fn typed_form(&self) -> RequestForm {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(&self.form).unwrap_or_default();
        RequestForm::from_fields(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    }

    /// Whether this person (outside the coordination) may read the request
    /// and act on it: [`epop_domain::organisation::sees_request`].
    pub fn seen_by(&self, account_id: i64, organisation_id: Option<i64>) -> bool {
        epop_domain::organisation::sees_request(
            account_id,
            organisation_id,
            RequestMembership {
                requester: self.requester_id,
                organisation: self.organisation_id,
                requester_is_member: self.requester_is_member,
            },
        )
    }

    /// A submitted request whose requester named an organisation they do
    /// not belong to: the coordination checks it.
    pub fn organisation_to_check(&self) -> bool {
        self.organisation_id.is_some() && self.requester_id.is_some() && !self.requester_is_member
    }
}

const SELECT: &str = "SELECT r.id, r.public_id, r.status, r.form, r.contact_email, r.kind, r.subject, \
     r.department_code, d.name, r.organisation_id, o.name, r.requester_id, r.created_at, r.submitted_at, \
     CASE WHEN q.organisation_id = r.organisation_id THEN 1 ELSE 0 END \
     FROM intervention_requests r LEFT JOIN departments d ON d.code = r.department_code \
     LEFT JOIN organisations o ON o.id = r.organisation_id \
     LEFT JOIN accounts q ON q.id = r.requester_id";

async fn fetch(conn: &mut AnyConnection, clause: &str, binds: &[Bind<'_>]) -> Result<Vec<Request>> {
    use sqlx::Row as _;
    let rows = Bind::all(
        sqlx::query(AssertSqlSafe(format!("{SELECT} {clause}"))),
        binds,
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Request {
                id: r.try_get(0)?,
                public_id: r.try_get(1)?,
                status: r.try_get(2)?,
                form: r.try_get(3)?,
                contact_email: r.try_get(4)?,
                kind: r.try_get(5)?,
                subject: r.try_get(6)?,
                department_code: r.try_get(7)?,
                department_name: r.try_get(8)?,
                organisation_id: r.try_get(9)?,
                organisation_name: r.try_get(10)?,
                requester_id: r.try_get(11)?,
                created_at: r.try_get(12)?,
                submitted_at: r.try_get(13)?,
                requester_is_member: r.try_get::<i64, _>(14)? != 0,
            })
        })
        .collect::<std::result::Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
}

pub async fn by_public_id(conn: &mut AnyConnection, public_id: &str) -> Result<Option<Request>> {
    Ok(
        fetch(conn, "WHERE r.public_id = $1", &[Bind::Text(public_id)])
            .await?
            .pop(),
    )
}

pub async fn by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Request>> {
    Ok(fetch(conn, "WHERE r.id = $1", &[Bind::Int(id)])
        .await?
        .pop())
}

/// How long the link to a draft (or to confirm a request) opens it after
/// it was last saved.
pub const DRAFT_LINK_SECS: i64 = 30 * 86_400;

/// The draft (or the request awaiting its e-mail confirmation) a link
/// opens: saved less than [`DRAFT_LINK_SECS`] ago.
pub async fn by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Request>> {
    Ok(fetch(
        conn,
        "WHERE r.token_hash = $1 AND r.status = 'draft' AND r.updated_at >= $2",
        &[Bind::Text(token_hash), Bind::Int(now() - DRAFT_LINK_SECS)],
    )
    .await?
    .pop())
}

/// The request sent from the confirmation link `token_hash`: its link no
/// longer opens the draft (`by_token`), but says that it was confirmed.
pub async fn sent_by_token(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Request>> {
    Ok(fetch(
        conn,
        "WHERE r.token_hash = $1 AND r.status <> 'draft'",
        &[Bind::Text(token_hash)],
    )
    .await?
    .pop())
}

/// Keeps a draft as typed: a new one, or the same one again (by its public
/// id). `token_hash` is the link to come back to it (replaced each time a
/// new link is sent).
pub async fn save_draft(
    conn: &mut AnyConnection,
    public_id: &str,
    form: &str,
    contact_email: &str,
    token_hash: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO intervention_requests (public_id, status, form, contact_email, token_hash, created_at, updated_at) \
         VALUES ($1, 'draft', $2, $3, $4, $5, $5) \
         ON CONFLICT (public_id) DO UPDATE SET form = excluded.form, contact_email = excluded.contact_email, \
         token_hash = excluded.token_hash, updated_at = excluded.updated_at",
    )
    .bind(public_id)
    .bind(form)
    .bind(contact_email)
    .bind(token_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Submits a checked request (a draft, or a new one): the values used for
/// lists and matching go to their columns, the status becomes `submitted`
/// and the change is recorded. Returns the request.
pub async fn submit(
    conn: &mut AnyConnection,
    public_id: &str,
    form: &str,
    r: &NewRequest,
    organisation_id: i64,
    requester_id: i64,
    now: i64,
) -> Result<Request> {
    let previous: Option<(i64, String)> =
        sqlx::query_as("SELECT id, status FROM intervention_requests WHERE public_id = $1")
            .bind(public_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some((_, status)) = &previous
        && status != "draft"
    {
        return Err(StoreError::AlreadySent);
    }
    if previous.is_none() {
        sqlx::query(
            "INSERT INTO intervention_requests (public_id, status, form, contact_email, created_at, updated_at) \
             VALUES ($1, 'draft', $2, $3, $4, $4)",
        )
        .bind(public_id)
        .bind(form)
        .bind(r.contact_email.as_str())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE intervention_requests SET status = 'submitted', form = $1, contact_email = $2, \
         kind = $3, subject = $4, department_code = $5, remote = $6, date_from = $7, date_to = $8, fee_cents = $9, \
         organisation_id = $10, requester_id = $11, updated_at = $12, submitted_at = $12, audience_size = $14 WHERE public_id = $13",
    )
    .bind(form)
    .bind(r.contact_email.as_str())
    .bind(r.kind.code())
    .bind(&r.subject)
    .bind(r.department.as_str())
    .bind(i64::from(r.remote))
    .bind(r.date_from.map(|d| d.to_string()))
    .bind(r.date_to.map(|d| d.to_string()))
    .bind(r.fee_cents)
    .bind(organisation_id)
    .bind(requester_id)
    .bind(now)
    .bind(public_id)
    .bind(r.audience_size)
    .execute(&mut *conn)
    .await?;
    let req = by_public_id(conn, public_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    record(
        conn,
        req.id,
        Some("draft"),
        "submitted",
        Some(requester_id),
        None,
        now,
    )
    .await?;
    Ok(req)
}

/// Records a change of status (who, when, why).
pub async fn record(
    conn: &mut AnyConnection,
    request_id: i64,
    from: Option<&str>,
    to: &str,
    actor_id: Option<i64>,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_transitions (request_id, from_status, to_status, actor_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(request_id)
    .bind(from)
    .bind(to)
    .bind(actor_id)
    .bind(reason)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if to == "done" && from != Some("done") {
        // Kept on the request for the indicators (one index range).
        sqlx::query(
            "UPDATE intervention_requests SET done_at = $1 WHERE id = $2 AND done_at IS NULL",
        )
        .bind(now)
        .bind(request_id)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// What happened at a step that leaves the status as it is; pages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    Framework,
    Referent,
    Payment,
    Edited,
}

impl Event {
    pub const ALL: [Event; 4] = [
        Event::Framework,
        Event::Referent,
        Event::Payment,
        Event::Edited,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Event::Framework => "framework",
            Event::Referent => "referent",
            Event::Payment => "payment",
            Event::Edited => "edited",
        }
    }

    pub fn from_code(code: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// Records a step that leaves the request in `status` (who, when, what,
/// why).
pub async fn note(
    conn: &mut AnyConnection,
    request_id: i64,
    status: &str,
    event: Event,
    actor_id: Option<i64>,
    reason: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_transitions (request_id, from_status, to_status, actor_id, reason, created_at, event) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(request_id)
    .bind(status)
    .bind(status)
    .bind(actor_id)
    .bind(reason)
    .bind(now)
    .bind(event.code())
    .execute(conn)
    .await?;
    Ok(())
}

/// One recorded step: (from, to, who, why, when, what happened when the
/// status stayed the same).
pub type Transition = (
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<Event>,
);

pub async fn history(conn: &mut AnyConnection, request_id: i64) -> Result<Vec<Transition>> {
    let rows: Vec<(
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        i64,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT t.from_status, t.to_status, a.display_name, t.reason, t.created_at, t.event FROM request_transitions t \
         LEFT JOIN accounts a ON a.id = t.actor_id WHERE t.request_id = $1 ORDER BY t.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(from, to, who, why, at, event)| {
            let event = event.as_deref().and_then(Event::from_code);
            (from, to, who, why, at, event)
        })
        .collect())
}

/// The submitted requests of these départements (a coordinator's), newest first.
pub async fn for_departments(
    conn: &mut AnyConnection,
    departments: &[String],
) -> Result<Vec<Request>> {
    if departments.is_empty() {
        return Ok(Vec::new());
    }
    let marks: Vec<String> = (1..=departments.len()).map(|i| format!("${i}")).collect();
    let binds: Vec<Bind<'_>> = departments.iter().map(|d| Bind::Text(d)).collect();
    fetch(
        conn,
        &format!(
            "WHERE r.status <> 'draft' AND r.department_code IN ({}) ORDER BY r.submitted_at DESC, r.id DESC",
            marks.join(", ")
        ),
        &binds,
    )
    .await
}

/// Every submitted request (administrators), newest first.
pub async fn all_submitted(conn: &mut AnyConnection) -> Result<Vec<Request>> {
    fetch(
        conn,
        "WHERE r.status <> 'draft' ORDER BY r.submitted_at DESC, r.id DESC",
        &[],
    )
    .await
}

/// The submitted requests a person sees as a requester, newest first: their
/// own, and their organisation's made by its members
/// ([`Request::seen_by`] decides; the SQL only narrows).
pub async fn seen_by(
    conn: &mut AnyConnection,
    account_id: i64,
    organisation_id: Option<i64>,
) -> Result<Vec<Request>> {
    let list = fetch(
        conn,
        "WHERE r.status <> 'draft' AND (r.requester_id = $1 OR r.organisation_id = $2) \
         ORDER BY r.submitted_at DESC, r.id DESC",
        // No organisation: 0, which is no organisation's id.
        &[
            Bind::Int(account_id),
            Bind::Int(organisation_id.unwrap_or(0)),
        ],
    )
    .await?;
    Ok(list
        .into_iter()
        .filter(|r| r.seen_by(account_id, organisation_id))
        .collect())
}

/// Sets when the intervention takes place.
pub async fn set_schedule(
    conn: &mut AnyConnection,
    id: i64,
    start: i64,
    end: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE intervention_requests SET scheduled_start = $1, scheduled_end = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(start)
    .bind(end)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// When the intervention takes place, if scheduled: (start, end).
pub async fn schedule(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, i64)>> {
    let row: Option<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT scheduled_start, scheduled_end FROM intervention_requests WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(a, b)| a.zip(b)))
}

/// One side's feedback on a done intervention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
    /// `peer` or `host`.
    pub side: String,
    /// 1 (not at all) to 5 (very): how it went.
    pub feeling: i64,
    /// 1 to 5: how useful it was.
    pub useful: i64,
    /// `oui`, `non` or `peut-etre`: would do it again.
    pub again: String,
    pub comment: Option<String>,
}

/// Records one side's feedback (once; `false` if already given).
pub async fn add_feedback(
    conn: &mut AnyConnection,
    request_id: i64,
    account_id: i64,
    f: &Feedback,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO request_feedback (request_id, side, account_id, feeling, useful, again, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (request_id, side) DO NOTHING",
    )
    .bind(request_id)
    .bind(&f.side)
    .bind(account_id)
    .bind(f.feeling)
    .bind(f.useful)
    .bind(&f.again)
    .bind(&f.comment)
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected();
    Ok(done == 1)
}

pub async fn feedback(conn: &mut AnyConnection, request_id: i64) -> Result<Vec<Feedback>> {
    let rows: Vec<(String, i64, i64, String, Option<String>)> = sqlx::query_as(
        "SELECT side, feeling, useful, again, comment FROM request_feedback WHERE request_id = $1 ORDER BY side",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(side, feeling, useful, again, comment)| Feedback {
            side,
            feeling,
            useful,
            again,
            comment,
        })
        .collect())
}

/// Names the host's référent for a request.
pub async fn set_referent(
    conn: &mut AnyConnection,
    id: i64,
    referent: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("UPDATE intervention_requests SET referent_id = $1, updated_at = $2 WHERE id = $3")
        .bind(referent)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The référent named for a request: (account id, name, e-mail).
pub async fn referent(conn: &mut AnyConnection, id: i64) -> Result<Option<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.display_name, a.email FROM intervention_requests r JOIN accounts a ON a.id = r.referent_id \
         WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

/// The members of an organisation, among whom a request's référent is
/// chosen: (account id, name, e-mail), disabled accounts left out.
pub async fn members_of(
    conn: &mut AnyConnection,
    organisation_id: i64,
) -> Result<Vec<(i64, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.display_name, a.email FROM accounts a \
         WHERE a.organisation_id = $1 AND a.status <> 'disabled' ORDER BY a.display_name, a.id",
    )
    .bind(organisation_id)
    .fetch_all(conn)
    .await?)
}

/// The requests a person is the référent of, newest first.
pub async fn for_referent(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Request>> {
    fetch(
        conn,
        "WHERE r.referent_id = $1 ORDER BY r.submitted_at DESC, r.id DESC",
        &[Bind::Int(account_id)],
    )
    .await
}

/// The readiness checklist: team told, place accessible, accommodations
/// ready, mission sheet written, and the référent's notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readiness {
    pub team_told: bool,
    pub place_accessible: bool,
    pub accommodations_ready: bool,
    pub mission_sheet_written: bool,
    pub notes: Option<String>,
}

impl Readiness {
    /// How many of the four points are ready.
    pub fn done(&self) -> usize {
        [
            self.team_told,
            self.place_accessible,
            self.accommodations_ready,
            self.mission_sheet_written,
        ]
        .iter()
        .filter(|x| **x)
        .count()
    }
}

pub async fn readiness(conn: &mut AnyConnection, id: i64) -> Result<Readiness> {
    let row: Option<(i64, i64, i64, i64, Option<String>)> = sqlx::query_as(
        "SELECT team_told, place_accessible, accommodations_ready, mission_sheet_written, notes \
         FROM request_readiness WHERE request_id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row
        .map(|(a, b, c, d, notes)| Readiness {
            team_told: a != 0,
            place_accessible: b != 0,
            accommodations_ready: c != 0,
            mission_sheet_written: d != 0,
            notes,
        })
        .unwrap_or_default())
}

pub async fn set_readiness(
    conn: &mut AnyConnection,
    id: i64,
    r: &Readiness,
    by: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_readiness (request_id, team_told, place_accessible, accommodations_ready, \
         mission_sheet_written, notes, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (request_id) DO UPDATE SET team_told = excluded.team_told, place_accessible = excluded.place_accessible, \
         accommodations_ready = excluded.accommodations_ready, mission_sheet_written = excluded.mission_sheet_written, \
         notes = excluded.notes, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(id)
    .bind(i64::from(r.team_told))
    .bind(i64::from(r.place_accessible))
    .bind(i64::from(r.accommodations_ready))
    .bind(i64::from(r.mission_sheet_written))
    .bind(&r.notes)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One message of a request's thread: (author's name, from the
/// coordination, text, when).
pub type ThreadMessage = (Option<String>, bool, String, i64);

pub async fn add_message(
    conn: &mut AnyConnection,
    request_id: i64,
    author_id: i64,
    from_coordination: bool,
    body: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO request_messages (request_id, author_id, from_coordination, body, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request_id)
    .bind(author_id)
    .bind(i64::from(from_coordination))
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn messages(conn: &mut AnyConnection, request_id: i64) -> Result<Vec<ThreadMessage>> {
    let rows: Vec<(Option<String>, i64, String, i64)> = sqlx::query_as(
        "SELECT a.display_name, m.from_coordination, m.body, m.created_at FROM request_messages m \
         LEFT JOIN accounts a ON a.id = m.author_id WHERE m.request_id = $1 ORDER BY m.id",
    )
    .bind(request_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, c, b, t)| (a, c != 0, b, t))
        .collect())
}

/// A coordinator's correction of a submitted request: the form as now
/// typed and the columns lists and matching use.
pub async fn update_content(
    conn: &mut AnyConnection,
    id: i64,
    form: &str,
    r: &NewRequest,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE intervention_requests SET form = $1, kind = $2, subject = $3, department_code = $4, remote = $5, \
         date_from = $6, date_to = $7, fee_cents = $8, updated_at = $9, audience_size = $11 WHERE id = $10",
    )
    .bind(form)
    .bind(r.kind.code())
    .bind(&r.subject)
    .bind(r.department.as_str())
    .bind(i64::from(r.remote))
    .bind(r.date_from.map(|d| d.to_string()))
    .bind(r.date_to.map(|d| d.to_string()))
    .bind(r.fee_cents)
    .bind(now)
    .bind(id)
    .bind(r.audience_size)
    .execute(conn)
    .await?;
    Ok(())
}
