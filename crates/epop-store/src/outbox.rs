//! The e-mail outbox: messages are written in the same transaction as the
//! change that causes them, then sent by the background worker with retries.
//! A message is claimed with a lease (`locked_until`) so that two workers
//! never send it at the same time; it is marked sent right after the SMTP
//! server accepts it.
//!
//! What is kept: once a message is sent, or given up after its last
//! attempt, the same statement drops its body, attachment and `Reply-To`
//! address and replaces the recipient by [`recipient_hash`] — the row keeps
//! subject, times and status only, and [`purge`] deletes it [`KEEP_DONE_SECS`] later. The
//! links and personal data a message carried never outlive its delivery.

use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::{Db, Engine, Result, now};

/// After this many failed attempts a message stops being retried.
pub const MAX_ATTEMPTS: i64 = 8;

/// How long a sent (or given up) message's line stays, without its body.
pub const KEEP_DONE_SECS: i64 = 30 * 86_400;

/// What a done message keeps instead of its recipient: the SHA-256 of the
/// lower-cased address, in hex (so that a person's lines can still be
/// found, and erased, from their address).
pub fn recipient_hash(address: &str) -> String {
    Sha256::digest(address.trim().to_lowercase().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A message to send, in French, with its plain-text body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    /// Sent after the text, in a `multipart/mixed` message.
    pub attachment: Option<Attachment>,
}

/// A text file sent with a message, such as an event's `.ics`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The name the recipient sees, e.g. `evenement.ics`.
    pub filename: String,
    /// Its MIME type, e.g. `text/calendar; charset=utf-8; method=PUBLISH`.
    pub content_type: String,
    pub body: String,
}

/// A message claimed for sending.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub message_id: String,
    pub attempts: i64,
    pub message: Message,
    /// Where the recipient's answer goes (`Reply-To`), when not to the
    /// platform: the visitor who wrote to the coordination.
    pub reply_to: Option<String>,
    /// A list message's unsubscribe address (the newsletter): the mailer
    /// adds the RFC 8058 one-click headers. Forgotten once sent.
    pub list_unsubscribe: Option<String>,
}

/// A line of the outbox as an administrator sees it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub recipient: String,
    pub subject: String,
    pub created_at: i64,
    pub attempts: i64,
    pub sent_at: Option<i64>,
    pub last_error: Option<String>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub async fn enqueue(conn: &mut AnyConnection, m: &Message) -> Result<()> {
    insert(conn, m, None, None).await
}

/// Queues a message whose answer goes to `reply_to` (its `Reply-To`), not
/// to the platform. The address is forgotten once the message is sent.
pub async fn enqueue_replying_to(
    conn: &mut AnyConnection,
    m: &Message,
    reply_to: &str,
) -> Result<()> {
    insert(conn, m, Some(reply_to), None).await
}

/// Queues a message of a list (the newsletter) whose recipient leaves the
/// list at `unsubscribe` (an https address; one click, RFC 8058). The
/// address is forgotten once the message is sent.
pub async fn enqueue_list(conn: &mut AnyConnection, m: &Message, unsubscribe: &str) -> Result<()> {
    insert(conn, m, None, Some(unsubscribe)).await
}

async fn insert(
    conn: &mut AnyConnection,
    m: &Message,
    reply_to: Option<&str>,
    list_unsubscribe: Option<&str>,
) -> Result<()> {
    let t = now();
    let nanos = chrono::Utc::now().timestamp_subsec_nanos();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let message_id = format!("{t}.{nanos}.{}.{n}@epop", std::process::id());
    let a = m.attachment.as_ref();
    sqlx::query(
        "INSERT INTO outbox (message_id, recipient, subject, body_text, created_at, attempts, next_attempt_at, \
         attachment_name, attachment_type, attachment_body, reply_to, list_unsubscribe) \
         VALUES ($1, $2, $3, $4, $5, 0, $5, $6, $7, $8, $9, $10)",
    )
    .bind(message_id)
    .bind(&m.recipient)
    .bind(&m.subject)
    .bind(&m.body_text)
    .bind(t)
    .bind(a.map(|a| a.filename.as_str()))
    .bind(a.map(|a| a.content_type.as_str()))
    .bind(a.map(|a| a.body.as_str()))
    .bind(reply_to)
    .bind(list_unsubscribe)
    .execute(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` messages that are due, for `lease_secs` seconds.
pub async fn claim(db: &Db, limit: i64, lease_secs: i64) -> Result<Vec<Pending>> {
    let t = now();
    let sql = match db.engine() {
        Engine::Postgres => {
            "UPDATE outbox SET locked_until = $1 WHERE id IN (SELECT id FROM outbox \
             WHERE sent_at IS NULL AND attempts < $4 AND next_attempt_at <= $2 \
             AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, message_id, attempts, recipient, subject, body_text, \
             attachment_name, attachment_type, attachment_body, reply_to, list_unsubscribe"
        }
        Engine::Sqlite => {
            "UPDATE outbox SET locked_until = $1 WHERE id IN (SELECT id FROM outbox \
             WHERE sent_at IS NULL AND attempts < $4 AND next_attempt_at <= $2 \
             AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT $3) \
             RETURNING id, message_id, attempts, recipient, subject, body_text, \
             attachment_name, attachment_type, attachment_body, reply_to, list_unsubscribe"
        }
    };
    let mut tx = db.write().await?;
    let rows: Vec<(
        i64,
        String,
        i64,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(sql)
        .bind(t + lease_secs)
        .bind(t)
        .bind(limit)
        .bind(MAX_ATTEMPTS)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let mut out: Vec<Pending> = rows
        .into_iter()
        .map(|r| Pending {
            id: r.0,
            message_id: r.1,
            attempts: r.2,
            message: Message {
                recipient: r.3,
                subject: r.4,
                body_text: r.5,
                attachment: match (r.6, r.7, r.8) {
                    (Some(filename), Some(content_type), Some(body)) => Some(Attachment {
                        filename,
                        content_type,
                        body,
                    }),
                    _ => None,
                },
            },
            reply_to: r.9,
            list_unsubscribe: r.10,
        })
        .collect();
    out.sort_by_key(|p| p.id);
    Ok(out)
}

/// Marks a message sent and forgets its body, attachment and recipient
/// (see the module's documentation).
pub async fn mark_sent(conn: &mut AnyConnection, p: &Pending) -> Result<()> {
    done(conn, p, true, None).await
}

/// Records a failure; the next try waits longer each time (1 min, 2, 4 … ).
/// The last attempt ([`MAX_ATTEMPTS`]) gives the message up: it is
/// forgotten as a sent one is. The error kept never names the recipient
/// (servers often quote the address).
pub async fn mark_failed(conn: &mut AnyConnection, p: &Pending, error: &str) -> Result<()> {
    let error: String = without_address(error, &p.message.recipient)
        .chars()
        .take(500)
        .collect();
    if p.attempts + 1 >= MAX_ATTEMPTS {
        return done(conn, p, false, Some(&error)).await;
    }
    let delay = 60i64 << p.attempts.clamp(0, 10);
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $1, locked_until = NULL, last_error = $2 WHERE id = $3",
    )
    .bind(now() + delay)
    .bind(error)
    .bind(p.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// `text` with « (destinataire) » in place of `address` (ASCII case
/// ignored, which keeps byte positions).
fn without_address(text: &str, address: &str) -> String {
    let needle = address.trim().to_ascii_lowercase();
    if needle.is_empty() {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.to_ascii_lowercase().find(&needle) {
        out.push_str(&rest[..i]);
        out.push_str("(destinataire)");
        rest = &rest[i + needle.len()..];
    }
    out.push_str(rest);
    out
}

/// Ends a message, sent or given up, in one statement that drops its body
/// and attachment and keeps only the hash of its recipient; its
/// `next_attempt_at` becomes the time it ended (what [`purge`] counts from
/// for a message given up).
async fn done(
    conn: &mut AnyConnection,
    p: &Pending,
    sent: bool,
    error: Option<&str>,
) -> Result<()> {
    let t = now();
    sqlx::query(
        "UPDATE outbox SET attempts = attempts + 1, locked_until = NULL, sent_at = $2, next_attempt_at = $3, \
         last_error = COALESCE($4, last_error), body_text = '', attachment_name = NULL, \
         attachment_type = NULL, attachment_body = NULL, reply_to = NULL, list_unsubscribe = NULL, recipient = $5 WHERE id = $1",
    )
    .bind(p.id)
    .bind(sent.then_some(t))
    .bind(t)
    .bind(error)
    .bind(recipient_hash(&p.message.recipient))
    .execute(conn)
    .await?;
    Ok(())
}

/// Deletes the lines of messages sent or given up more than
/// [`KEEP_DONE_SECS`] before `now`; returns how many. Lines done before
/// messages were forgotten when done (an upgraded database) are forgotten
/// here first.
pub async fn purge(conn: &mut AnyConnection, now: i64) -> Result<u64> {
    let kept: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, recipient FROM outbox WHERE (sent_at IS NOT NULL OR attempts >= $1) AND body_text <> ''",
    )
    .bind(MAX_ATTEMPTS)
    .fetch_all(&mut *conn)
    .await?;
    for (id, recipient) in kept {
        sqlx::query(
            "UPDATE outbox SET body_text = '', attachment_name = NULL, attachment_type = NULL, \
             attachment_body = NULL, reply_to = NULL, list_unsubscribe = NULL, recipient = $1 WHERE id = $2",
        )
        .bind(recipient_hash(&recipient))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(sqlx::query(
        "DELETE FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < $1) \
         OR (sent_at IS NULL AND attempts >= $2 AND next_attempt_at < $1)",
    )
    .bind(now - KEEP_DONE_SECS)
    .bind(MAX_ATTEMPTS)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Messages not yet sent and still to be tried.
pub async fn backlog(conn: &mut AnyConnection) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND attempts < $1")
            .bind(MAX_ATTEMPTS)
            .fetch_one(conn)
            .await?,
    )
}

/// The latest messages, newest first, optionally to one recipient (found
/// by address while waiting, by [`recipient_hash`] once done).
pub async fn recent(
    conn: &mut AnyConnection,
    recipient: Option<&str>,
    limit: i64,
) -> Result<Vec<(Entry, String)>> {
    let rows: Vec<(String, String, i64, i64, Option<i64>, Option<String>, String)> = sqlx::query_as(
        "SELECT recipient, subject, created_at, attempts, sent_at, last_error, body_text FROM outbox \
         WHERE ($1 = '' OR recipient = $1 OR recipient = $3) ORDER BY id DESC LIMIT $2",
    )
    .bind(recipient.unwrap_or("").to_owned())
    .bind(limit)
    .bind(recipient.map(recipient_hash).unwrap_or_default())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                Entry {
                    recipient: r.0,
                    subject: r.1,
                    created_at: r.2,
                    attempts: r.3,
                    sent_at: r.4,
                    last_error: r.5,
                },
                r.6,
            )
        })
        .collect())
}
