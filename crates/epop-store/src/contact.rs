//! Messages to the coordination (« Écrire à la coordination »): whom a
//! [`Target`] reaches ([`resolve`]), the conversations the visitor starts
//! and continues through a personal link, and the coordination's inbox.
//!
//! Who receives: the active coordinators whose scope covers the
//! département (a region scope covers its départements); for an event or a
//! training session, the coordinator who created it, else the coordinators
//! of its département; when nobody is found, the active admins — the
//! national coordination. The recipients are kept with the conversation:
//! they, and only they, read it. Disabled accounts never receive.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::territories::{self, Department};
use crate::{Result, now};

/// What a message is written to, as the form's address names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A département, by its code (`?departement=31`).
    Department(String),
    /// A region, by its code (`?region=76`).
    Region(String),
    /// An event, by its slug (`?evenement=…`).
    Event(String),
    /// A training session, by its slug (`?formation=…`).
    Training(String),
    /// A local programme, by its slug (`?programme=…`).
    Programme(String),
}

impl Target {
    /// The kind as stored, and as the form's query names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Target::Department(_) => "departement",
            Target::Region(_) => "region",
            Target::Event(_) => "evenement",
            Target::Training(_) => "formation",
            Target::Programme(_) => "programme",
        }
    }

    /// The code or slug.
    pub fn reference(&self) -> &str {
        match self {
            Target::Department(r)
            | Target::Region(r)
            | Target::Event(r)
            | Target::Training(r)
            | Target::Programme(r) => r,
        }
    }

    /// From a stored (or queried) kind and reference.
    pub fn from_parts(kind: &str, reference: &str) -> Option<Target> {
        let r = reference.to_owned();
        Some(match kind {
            "departement" => Target::Department(r),
            "region" => Target::Region(r),
            "evenement" => Target::Event(r),
            "formation" => Target::Training(r),
            "programme" => Target::Programme(r),
            _ => return None,
        })
    }
}

/// An account a message is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub account_id: i64,
    pub name: String,
    pub email: String,
}

/// Where a message to a [`Target`] goes.
#[derive(Debug, Clone)]
pub struct Addressee {
    pub target: Target,
    /// The name of what it is about: a département, a region, an event's or
    /// a session's title.
    pub name: String,
    /// The département it is in, when there is one.
    pub department: Option<Department>,
    pub recipients: Vec<Recipient>,
    /// The event's or session's own coordinator receives it (who created it).
    pub by_creator: bool,
    /// No coordinator was found: the admins receive it.
    pub national: bool,
}

/// How many messages this address wrote to the coordination since `since`
/// (new conversations and follow-ups): the limit per address counts them
/// over a rolling hour, whatever the clock says.
pub async fn written_since(conn: &mut AnyConnection, email: &str, since: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM contact_messages m \
         JOIN contact_conversations c ON c.id = m.conversation_id \
         WHERE c.sender_email = $1 AND m.from_coordination = 0 AND m.created_at > $2",
    )
    .bind(email)
    .bind(since)
    .fetch_one(conn)
    .await?)
}

/// Where a message to `target` goes; `None` when the target does not
/// exist (or is not public: a practice-analysis group).
pub async fn resolve(conn: &mut AnyConnection, target: &Target) -> Result<Option<Addressee>> {
    let found =
        match target {
            Target::Department(code) => department_target(conn, code).await?,
            Target::Region(code) => region_target(conn, code).await?,
            Target::Event(slug) => {
                created_target(
                    conn,
                    "SELECT title, department_code, created_by FROM events \
                 WHERE slug = $1 AND trained_peers_only = 0",
                    slug,
                )
                .await?
            }
            Target::Training(slug) => created_target(
                conn,
                "SELECT title, department_code, created_by FROM training_sessions WHERE slug = $1",
                slug,
            )
            .await?,
            Target::Programme(slug) => programme_target(conn, slug).await?,
        };
    let Some(Found {
        name,
        department,
        mut recipients,
        by_creator,
    }) = found
    else {
        return Ok(None);
    };
    let national = recipients.is_empty();
    if national {
        recipients = admins(conn).await?;
    }
    Ok(Some(Addressee {
        target: target.clone(),
        name,
        department,
        recipients,
        by_creator,
        national,
    }))
}

/// What a target resolves to before the national fallback.
struct Found {
    name: String,
    department: Option<Department>,
    recipients: Vec<Recipient>,
    by_creator: bool,
}

impl Found {
    fn territory(name: String, department: Option<Department>, recipients: Vec<Recipient>) -> Self {
        Found {
            name,
            department,
            recipients,
            by_creator: false,
        }
    }
}

async fn department_target(conn: &mut AnyConnection, code: &str) -> Result<Option<Found>> {
    let Some(d) = territories::department(conn, &code.to_uppercase()).await? else {
        return Ok(None);
    };
    let recipients = coordinators(conn, &d.code, &d.region_code).await?;
    Ok(Some(Found::territory(d.name.clone(), Some(d), recipients)))
}

async fn region_target(conn: &mut AnyConnection, code: &str) -> Result<Option<Found>> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM regions WHERE code = $1")
        .bind(code)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(name) = name else { return Ok(None) };
    let recipients = coordinators(conn, "", code).await?;
    Ok(Some(Found::territory(name, None, recipients)))
}

/// A local programme: its coordinators (never named on its pages).
async fn programme_target(conn: &mut AnyConnection, slug: &str) -> Result<Option<Found>> {
    let Some(p) = crate::programmes::by_slug(conn, slug).await? else {
        return Ok(None);
    };
    let mut recipients = Vec::new();
    for id in crate::programmes::coordinator_ids(conn, slug).await? {
        recipients.extend(with_role(conn, "coordinator", Some(id)).await?);
    }
    Ok(Some(Found {
        by_creator: !recipients.is_empty(),
        name: p.name,
        department: None,
        recipients,
    }))
}

/// An event or a session (`sql` reads its title, département and creator
/// by slug): its creator when an active coordinator, else its
/// département's coordinators.
async fn created_target(
    conn: &mut AnyConnection,
    sql: &'static str,
    slug: &str,
) -> Result<Option<Found>> {
    let row: Option<(String, Option<String>, Option<i64>)> = sqlx::query_as(sql)
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((title, department, creator)) = row else {
        return Ok(None);
    };
    let department = match department {
        Some(code) => territories::department(conn, &code).await?,
        None => None,
    };
    let mut recipients = match creator {
        Some(id) => with_role(conn, "coordinator", Some(id)).await?,
        None => Vec::new(),
    };
    let by_creator = !recipients.is_empty();
    if !by_creator && let Some(d) = &department {
        recipients = coordinators(conn, &d.code, &d.region_code).await?;
    }
    Ok(Some(Found {
        name: title,
        department,
        recipients,
        by_creator,
    }))
}

/// The active coordinators of a département (`department` and its
/// `region`), or of any part of a region (`department` empty).
async fn coordinators(
    conn: &mut AnyConnection,
    department: &str,
    region: &str,
) -> Result<Vec<Recipient>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT DISTINCT a.id, a.display_name, a.email FROM accounts a \
         JOIN role_scopes s ON s.account_id = a.id AND s.role = 'coordinator' \
         WHERE a.status = 'active' AND ((s.territory_kind = 'region' AND s.territory_code = $2) \
         OR (s.territory_kind = 'department' AND (s.territory_code = $1 OR ($1 = '' AND \
         s.territory_code IN (SELECT code FROM departments WHERE region_code = $2))))) \
         ORDER BY a.email",
    )
    .bind(department)
    .bind(region)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(recipient).collect())
}

/// The national coordination: the active admins.
async fn admins(conn: &mut AnyConnection) -> Result<Vec<Recipient>> {
    with_role(conn, "admin", None).await
}

/// The active accounts holding `role` (only `account` when given).
async fn with_role(
    conn: &mut AnyConnection,
    role: &str,
    account: Option<i64>,
) -> Result<Vec<Recipient>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.id, a.display_name, a.email FROM accounts a \
         JOIN account_roles r ON r.account_id = a.id AND r.role = $1 \
         WHERE a.status = 'active' AND ($2 = 0 OR a.id = $2) ORDER BY a.email",
    )
    .bind(role)
    .bind(account.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(recipient).collect())
}

fn recipient((account_id, name, email): (i64, String, String)) -> Recipient {
    Recipient {
        account_id,
        name,
        email,
    }
}

/// The visitor who writes, as they typed it (checked).
#[derive(Debug, Clone)]
pub struct Sender<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub phone: Option<&'a str>,
}

/// Starts a conversation with its first message, its recipients and the
/// personal link of the e-mail sent to the visitor; returns its id.
pub async fn start(
    conn: &mut AnyConnection,
    to: &Addressee,
    sender: &Sender<'_>,
    body: &str,
    public_id: &str,
    token_hash: &str,
) -> Result<i64> {
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contact_conversations (public_id, target_kind, target_ref, target_name, \
         sender_name, sender_email, sender_phone, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(public_id)
    .bind(to.target.kind())
    .bind(to.target.reference())
    .bind(&to.name)
    .bind(sender.name)
    .bind(sender.email)
    .bind(sender.phone)
    .bind(t)
    .fetch_one(&mut *conn)
    .await?;
    address(conn, id, &to.recipients).await?;
    add_message(conn, id, None, body).await?;
    add_link(conn, id, token_hash).await?;
    Ok(id)
}

/// Addresses the conversation to these accounts too (they read it from
/// now on).
pub async fn address(
    conn: &mut AnyConnection,
    conversation_id: i64,
    recipients: &[Recipient],
) -> Result<()> {
    for r in recipients {
        sqlx::query(
            "INSERT INTO contact_recipients (conversation_id, account_id) VALUES ($1, $2) \
             ON CONFLICT (conversation_id, account_id) DO NOTHING",
        )
        .bind(conversation_id)
        .bind(r.account_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Adds a message: the visitor's (`author` `None`) makes the conversation
/// unread again for every recipient; a coordinator's marks it read for
/// them.
pub async fn add_message(
    conn: &mut AnyConnection,
    conversation_id: i64,
    author: Option<i64>,
    body: &str,
) -> Result<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO contact_messages (conversation_id, author_id, from_coordination, body, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(conversation_id)
    .bind(author)
    .bind(i64::from(author.is_some()))
    .bind(body)
    .bind(t)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE contact_conversations SET updated_at = $1 WHERE id = $2")
        .bind(t)
        .bind(conversation_id)
        .execute(&mut *conn)
        .await?;
    if author.is_none() {
        sqlx::query("UPDATE contact_recipients SET read_at = NULL WHERE conversation_id = $1")
            .bind(conversation_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Keeps the hash of a personal link sent to the visitor (one per e-mail).
pub async fn add_link(
    conn: &mut AnyConnection,
    conversation_id: i64,
    token_hash: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO contact_links (token_hash, conversation_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(conversation_id)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: i64,
    pub public_id: String,
    pub target: Option<Target>,
    pub target_name: String,
    pub sender_name: String,
    pub sender_email: String,
    pub sender_phone: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const SELECT_COLUMNS: &str = "SELECT c.id, c.public_id, c.target_kind, c.target_ref, \
     c.target_name, c.sender_name, c.sender_email, c.sender_phone, c.created_at, c.updated_at";

/// A conversation from a row that starts with [`SELECT_COLUMNS`].
fn conversation(r: &AnyRow) -> Result<Conversation> {
    let kind: String = r.try_get(2)?;
    let reference: String = r.try_get(3)?;
    Ok(Conversation {
        id: r.try_get(0)?,
        public_id: r.try_get(1)?,
        target: Target::from_parts(&kind, &reference),
        target_name: r.try_get(4)?,
        sender_name: r.try_get(5)?,
        sender_email: r.try_get(6)?,
        sender_phone: r.try_get(7)?,
        created_at: r.try_get(8)?,
        updated_at: r.try_get(9)?,
    })
}

/// The conversation a personal link opens.
pub async fn by_link(conn: &mut AnyConnection, token_hash: &str) -> Result<Option<Conversation>> {
    let sql = format!(
        "{SELECT_COLUMNS} FROM contact_conversations c JOIN contact_links l ON l.conversation_id = c.id WHERE l.token_hash = $1"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(token_hash)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(conversation).transpose()
}

/// The conversation, if it was addressed to `account_id`.
pub async fn for_recipient(
    conn: &mut AnyConnection,
    public_id: &str,
    account_id: i64,
) -> Result<Option<Conversation>> {
    let sql = format!(
        "{SELECT_COLUMNS} FROM contact_conversations c JOIN contact_recipients r ON r.conversation_id = c.id \
         WHERE c.public_id = $1 AND r.account_id = $2"
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(public_id)
        .bind(account_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(conversation).transpose()
}

/// A line of the inbox.
#[derive(Debug, Clone)]
pub struct Line {
    pub conversation: Conversation,
    pub unread: bool,
    pub messages: i64,
}

/// The conversations addressed to `account_id`: unread first, then the
/// latest.
pub async fn inbox(conn: &mut AnyConnection, account_id: i64) -> Result<Vec<Line>> {
    let sql = sqlx::AssertSqlSafe(format!(
        "{SELECT_COLUMNS}, \
         CASE WHEN r.read_at IS NULL THEN 1 ELSE 0 END, \
         (SELECT COUNT(*) FROM contact_messages m WHERE m.conversation_id = c.id) \
         FROM contact_conversations c JOIN contact_recipients r ON r.conversation_id = c.id \
         WHERE r.account_id = $1 ORDER BY 11 DESC, c.updated_at DESC, c.id DESC"
    ));
    let rows = sqlx::query(sql).bind(account_id).fetch_all(conn).await?;
    rows.iter()
        .map(|r| {
            Ok(Line {
                conversation: conversation(r)?,
                unread: r.try_get::<i64, _>(10)? == 1,
                messages: r.try_get(11)?,
            })
        })
        .collect()
}

/// Marks the conversation read by `account_id`.
pub async fn mark_read(
    conn: &mut AnyConnection,
    conversation_id: i64,
    account_id: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE contact_recipients SET read_at = $1 WHERE conversation_id = $2 AND account_id = $3",
    )
    .bind(now())
    .bind(conversation_id)
    .bind(account_id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A message of a conversation.
#[derive(Debug, Clone)]
pub struct Said {
    /// The coordinator who wrote it (`None`: the visitor, or an erased
    /// account when `from_coordination`).
    pub author: Option<String>,
    pub from_coordination: bool,
    pub body: String,
    pub at: i64,
}

/// The messages of a conversation, oldest first.
pub async fn messages(conn: &mut AnyConnection, conversation_id: i64) -> Result<Vec<Said>> {
    let rows: Vec<(Option<String>, i64, String, i64)> = sqlx::query_as(
        "SELECT a.display_name, m.from_coordination, m.body, m.created_at FROM contact_messages m \
         LEFT JOIN accounts a ON a.id = m.author_id WHERE m.conversation_id = $1 ORDER BY m.id",
    )
    .bind(conversation_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(author, from, body, at)| Said {
            author,
            from_coordination: from == 1,
            body,
            at,
        })
        .collect())
}

/// The recipients of a conversation who may still receive (active).
pub async fn recipients(conn: &mut AnyConnection, conversation_id: i64) -> Result<Vec<Recipient>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT a.id, a.display_name, a.email FROM contact_recipients r \
         JOIN accounts a ON a.id = r.account_id \
         WHERE r.conversation_id = $1 AND a.status = 'active' ORDER BY a.email",
    )
    .bind(conversation_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(recipient).collect())
}
