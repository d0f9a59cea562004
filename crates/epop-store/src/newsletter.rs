//! The newsletter: subscribers (double opt-in by an e-mailed link; members
//! from their space are confirmed at once), their links (kept as hashes,
//! deleted with the subscription), and the monthly digests of each
//! territory, whose e-mails the worker writes to the outbox in batches
//! once a coordinator or an admin asks for them to be sent.

use epop_domain::news::{Scope, Subscription};
use sqlx::AnyConnection;

use crate::outbox::{self, Message};
use crate::{Result, now};

/// A subscription as its owner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscriber {
    pub id: i64,
    pub email: String,
    /// The place whose digest they receive.
    pub place: Scope,
    pub easy: bool,
    pub confirmed: bool,
}

type SubscriberRow = (
    i64,
    String,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
);

fn subscriber(r: SubscriberRow) -> Subscriber {
    Subscriber {
        id: r.0,
        email: r.1,
        place: match (r.2, r.3) {
            (_, Some(d)) => Scope::Department(d),
            (Some(region), None) => Scope::Region(region),
            (None, None) => Scope::National,
        },
        easy: r.4 != 0,
        confirmed: r.5.is_some(),
    }
}

const SUBSCRIBER: &str = "SELECT id, email, region_code, department_code, easy, confirmed_at \
     FROM newsletter_subscribers";

/// The code of a subscriber's place, as digests are named (`national`,
/// `region-76`, `departement-34`), in SQL.
const PLACE: &str =
    "COALESCE('departement-' || department_code, 'region-' || region_code, 'national')";

/// A place as the table keeps it: `(region, département)`, the
/// département's région looked up in SQL (`$n` of the département).
fn columns(place: &Scope) -> (Option<&str>, Option<&str>) {
    match place {
        Scope::National => (None, None),
        Scope::Region(r) => (Some(r.as_str()), None),
        Scope::Department(d) => (None, Some(d.as_str())),
    }
}

/// The région of a subscription: the one chosen, or its département's.
const REGION_OF: &str = "COALESCE($2, (SELECT region_code FROM departments WHERE code = $3))";

/// What a subscription from the public form did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// A new or still unconfirmed subscription: the confirmation link
    /// (this token) is to be e-mailed.
    ToConfirm(i64),
    /// Already confirmed: nothing changes (the page says the same).
    AlreadyConfirmed,
}

/// Records a subscription from the public form, unconfirmed, with a
/// confirmation link (`token_hash`). A confirmed one is left as it is: only
/// its owner changes it (from the link of a digest, or their space).
pub async fn subscribe(
    conn: &mut AnyConnection,
    s: &Subscription,
    token_hash: &str,
) -> Result<Subscribed> {
    let existing: Option<SubscriberRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUBSCRIBER} WHERE email = $1"
    )))
    .bind(s.email.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let (region, department) = columns(&s.place);
    let id = match existing.map(subscriber) {
        Some(found) if found.confirmed => return Ok(Subscribed::AlreadyConfirmed),
        Some(found) => {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE newsletter_subscribers SET region_code = {REGION_OF}, \
                 department_code = $3, easy = $4 WHERE id = $1"
            )))
            .bind(found.id)
            .bind(region)
            .bind(department)
            .bind(i64::from(s.easy))
            .execute(&mut *conn)
            .await?;
            found.id
        }
        None => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "INSERT INTO newsletter_subscribers \
                 (email, region_code, department_code, easy, created_at) \
                 VALUES ($1, {REGION_OF}, $3, $4, $5) RETURNING id"
            )))
            .bind(s.email.as_str())
            .bind(region)
            .bind(department)
            .bind(i64::from(s.easy))
            .bind(now())
            .fetch_one(&mut *conn)
            .await?
        }
    };
    add_link(conn, id, "confirm", token_hash).await?;
    Ok(Subscribed::ToConfirm(id))
}

async fn add_link(
    conn: &mut AnyConnection,
    id: i64,
    purpose: &str,
    token_hash: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO newsletter_links (token_hash, subscriber_id, purpose, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(id)
    .bind(purpose)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The subscription a link leads to, if it still exists.
pub async fn by_link(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
) -> Result<Option<Subscriber>> {
    let row: Option<SubscriberRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUBSCRIBER} WHERE id = (SELECT subscriber_id FROM newsletter_links WHERE token_hash = $1 AND purpose = $2)"
    )))
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(subscriber))
}

/// Confirms a subscription (a second time changes nothing).
pub async fn confirm(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE newsletter_subscribers SET confirmed_at = COALESCE(confirmed_at, $1) WHERE id = $2",
    )
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a subscription: its row and its links are deleted.
pub async fn unsubscribe(conn: &mut AnyConnection, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM newsletter_subscribers WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A member's subscription (by their account or their address).
pub async fn of_account(
    conn: &mut AnyConnection,
    account_id: i64,
    email: &str,
) -> Result<Option<Subscriber>> {
    let row: Option<SubscriberRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUBSCRIBER} WHERE account_id = $1 OR email = $2 ORDER BY id LIMIT 1"
    )))
    .bind(account_id)
    .bind(email)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(subscriber))
}

/// A member subscribes (or changes their choices) from their space:
/// confirmed at once, their address being their account's.
pub async fn subscribe_member(
    conn: &mut AnyConnection,
    account_id: i64,
    s: &Subscription,
) -> Result<()> {
    let (region, department) = columns(&s.place);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "INSERT INTO newsletter_subscribers \
         (email, region_code, department_code, easy, account_id, created_at, confirmed_at) \
         VALUES ($1, {REGION_OF}, $3, $4, $5, $6, $6) ON CONFLICT (email) DO UPDATE SET \
         region_code = {REGION_OF}, department_code = $3, easy = $4, account_id = $5, \
         confirmed_at = COALESCE(newsletter_subscribers.confirmed_at, $6)"
    )))
    .bind(s.email.as_str())
    .bind(region)
    .bind(department)
    .bind(i64::from(s.easy))
    .bind(account_id)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A month's digest of a territory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub id: i64,
    /// The code of the place it is for: `national`, `region-76`,
    /// `departement-34`.
    pub territory: String,
    pub month: String,
    pub subject: String,
    pub body: String,
    pub body_easy: String,
    pub built_at: i64,
    pub send_requested_at: Option<i64>,
    pub recipients: i64,
    pub sent_at: Option<i64>,
}

type DigestRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);

const DIGEST: &str = "SELECT id, territory, month, subject, body, body_easy, built_at, \
     send_requested_at, recipients, sent_at FROM newsletter_digests";

fn digest(r: DigestRow) -> Digest {
    Digest {
        id: r.0,
        territory: r.1,
        month: r.2,
        subject: r.3,
        body: r.4,
        body_easy: r.5,
        built_at: r.6,
        send_requested_at: r.7,
        recipients: r.8,
        sent_at: r.9,
    }
}

/// Writes (or, until it is sent, rewrites) a territory's digest of a month.
pub async fn save_digest(
    conn: &mut AnyConnection,
    territory: &str,
    month: &str,
    text: &epop_domain::news::DigestText,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO newsletter_digests (territory, month, subject, body, body_easy, built_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (territory, month) DO UPDATE SET \
         subject = $3, body = $4, body_easy = $5, built_at = $6 \
         WHERE newsletter_digests.send_requested_at IS NULL",
    )
    .bind(territory)
    .bind(month)
    .bind(&text.subject)
    .bind(&text.body)
    .bind(&text.body_easy)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Digests, the latest months first.
pub async fn digests(conn: &mut AnyConnection) -> Result<Vec<Digest>> {
    let rows: Vec<DigestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{DIGEST} ORDER BY month DESC, territory"
    )))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(digest).collect())
}

pub async fn digest_by_id(conn: &mut AnyConnection, id: i64) -> Result<Option<Digest>> {
    let row: Option<DigestRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{DIGEST} WHERE id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(digest))
}

/// Asks for a digest to be sent; false when it already was asked.
pub async fn request_sending(conn: &mut AnyConnection, id: i64) -> Result<bool> {
    Ok(sqlx::query(
        "UPDATE newsletter_digests SET send_requested_at = $1 WHERE id = $2 AND send_requested_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// How many confirmed subscribers a place (its code) has.
pub async fn audience(conn: &mut AnyConnection, territory: &str) -> Result<i64> {
    Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM newsletter_subscribers WHERE confirmed_at IS NOT NULL \
         AND {PLACE} = $1"
    )))
    .bind(territory)
    .fetch_one(conn)
    .await?)
}

/// One recipient of a digest being sent.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub id: i64,
    pub email: String,
    pub easy: bool,
}

/// The digests asked for and not finished, each with its next batch of
/// at most `limit` confirmed subscribers after the last one written to.
pub async fn next_batches(
    conn: &mut AnyConnection,
    limit: i64,
) -> Result<Vec<(Digest, Vec<Recipient>)>> {
    let rows: Vec<DigestRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{DIGEST} WHERE send_requested_at IS NOT NULL AND sent_at IS NULL ORDER BY id"
    )))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for d in rows.into_iter().map(digest) {
        let last: i64 =
            sqlx::query_scalar("SELECT last_subscriber_id FROM newsletter_digests WHERE id = $1")
                .bind(d.id)
                .fetch_one(&mut *conn)
                .await?;
        let people: Vec<(i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, email, easy FROM newsletter_subscribers WHERE confirmed_at IS NOT NULL \
             AND {PLACE} = $1 AND id > $2 ORDER BY id LIMIT $3"
        )))
        .bind(&d.territory)
        .bind(last)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        out.push((
            d,
            people
                .into_iter()
                .map(|(id, email, easy)| Recipient {
                    id,
                    email,
                    easy: easy != 0,
                })
                .collect(),
        ));
    }
    Ok(out)
}

/// Writes one digest e-mail to the outbox with its unsubscribe link
/// (`token_hash` is that link's hash; `url` the link itself).
pub async fn enqueue_for(
    conn: &mut AnyConnection,
    r: &Recipient,
    message: &Message,
    token_hash: &str,
    url: &str,
) -> Result<()> {
    add_link(conn, r.id, "unsubscribe", token_hash).await?;
    outbox::enqueue_list(conn, message, url).await
}

/// Records a batch written: the last subscriber reached and how many;
/// `finished` when the batch was the last.
pub async fn batch_written(
    conn: &mut AnyConnection,
    id: i64,
    last: i64,
    count: i64,
    finished: bool,
) -> Result<()> {
    sqlx::query(
        "UPDATE newsletter_digests SET last_subscriber_id = $1, recipients = recipients + $2, \
         sent_at = $3 WHERE id = $4",
    )
    .bind(last)
    .bind(count)
    .bind(finished.then(now))
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The départements some confirmed subscriber chose: the only ones that
/// get a digest of their own.
pub async fn subscribed_departments(conn: &mut AnyConnection) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT department_code FROM newsletter_subscribers \
         WHERE confirmed_at IS NOT NULL AND department_code IS NOT NULL ORDER BY 1",
    )
    .fetch_all(conn)
    .await?)
}
