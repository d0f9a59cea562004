//! Review rounds of easy-read texts: a round keeps the text as asked and is
//! linked to its « Donner son avis » requests; the reviewers (the peers
//! whose proposal on one of them is accepted) answer sentence by sentence;
//! the author marks the text reviewed, which keeps the text marked.

use epop_domain::easy_review::Answer;
use sqlx::{AnyConnection, Row as _};

use crate::{Bind, Result, StoreError};

/// A review round as pages show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: i64,
    pub public_id: String,
    /// [`epop_domain::easy_review::Subject`]'s code.
    pub subject_kind: String,
    pub subject_slug: String,
    pub title: String,
    /// The easy-read text as it was when the review was asked.
    pub text: String,
    pub requested_by: Option<i64>,
    pub created_at: i64,
    pub reviewed_at: Option<i64>,
    /// The text marked reviewed.
    pub reviewed_text: Option<String>,
    /// The first names of the reviewers who agreed to be named.
    pub reviewer_names: Vec<String>,
}

const SELECT: &str = "SELECT r.id, r.public_id, r.subject_kind, r.subject_slug, r.title, r.text, \
     r.requested_by, r.created_at, r.reviewed_at, r.reviewed_text, r.reviewer_names FROM easy_reviews r";

fn review(r: &sqlx::any::AnyRow) -> std::result::Result<Review, sqlx::Error> {
    let names: String = r.try_get(10)?;
    Ok(Review {
        id: r.try_get(0)?,
        public_id: r.try_get(1)?,
        subject_kind: r.try_get(2)?,
        subject_slug: r.try_get(3)?,
        title: r.try_get(4)?,
        text: r.try_get(5)?,
        requested_by: r.try_get(6)?,
        created_at: r.try_get(7)?,
        reviewed_at: r.try_get(8)?,
        reviewed_text: r.try_get(9)?,
        reviewer_names: names.lines().map(str::to_owned).collect(),
    })
}

async fn fetch(conn: &mut AnyConnection, clause: &str, binds: &[Bind<'_>]) -> Result<Vec<Review>> {
    let sql = format!("{SELECT} {clause}");
    let rows = Bind::all(sqlx::query(sqlx::AssertSqlSafe(sql)), binds)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(review)
        .collect::<std::result::Result<_, _>>()
        .map_err(StoreError::from)
}

/// What a new round is about.
pub struct NewReview<'a> {
    pub public_id: &'a str,
    pub subject_kind: &'a str,
    pub subject_slug: &'a str,
    pub title: &'a str,
    pub text: &'a str,
    pub requested_by: i64,
}

/// Opens a round on the text as it is now.
pub async fn create(conn: &mut AnyConnection, n: &NewReview<'_>, now: i64) -> Result<Review> {
    sqlx::query(
        "INSERT INTO easy_reviews (public_id, subject_kind, subject_slug, title, text, requested_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(n.public_id)
    .bind(n.subject_kind)
    .bind(n.subject_slug)
    .bind(n.title)
    .bind(n.text)
    .bind(n.requested_by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    by_public_id(conn, n.public_id)
        .await?
        .ok_or(StoreError::NotFound)
}

pub async fn by_public_id(conn: &mut AnyConnection, public_id: &str) -> Result<Option<Review>> {
    Ok(
        fetch(conn, "WHERE r.public_id = $1", &[Bind::Text(public_id)])
            .await?
            .pop(),
    )
}

/// The rounds of a text, the newest first.
pub async fn for_subject(conn: &mut AnyConnection, kind: &str, slug: &str) -> Result<Vec<Review>> {
    fetch(
        conn,
        "WHERE r.subject_kind = $1 AND r.subject_slug = $2 ORDER BY r.id DESC",
        &[Bind::Text(kind), Bind::Text(slug)],
    )
    .await
}

/// The round that last marked a text reviewed, if any.
pub async fn last_marked(
    conn: &mut AnyConnection,
    kind: &str,
    slug: &str,
) -> Result<Option<Review>> {
    Ok(fetch(
        conn,
        "WHERE r.subject_kind = $1 AND r.subject_slug = $2 AND r.reviewed_at IS NOT NULL \
         ORDER BY r.reviewed_at DESC, r.id DESC LIMIT 1",
        &[Bind::Text(kind), Bind::Text(slug)],
    )
    .await?
    .pop())
}

/// Every round, the newest first (the authors' list filters what each may see).
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<Review>> {
    fetch(conn, "ORDER BY r.id DESC", &[]).await
}

/// Links a « Donner son avis » request to its round.
pub async fn attach(conn: &mut AnyConnection, review_id: i64, request_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO easy_review_requests (review_id, request_id) VALUES ($1, $2)")
        .bind(review_id)
        .bind(request_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A round's requests: public id and status, oldest first.
pub async fn requests(conn: &mut AnyConnection, review_id: i64) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT q.public_id, q.status FROM easy_review_requests l \
         JOIN intervention_requests q ON q.id = l.request_id WHERE l.review_id = $1 ORDER BY q.id",
    )
    .bind(review_id)
    .fetch_all(conn)
    .await?)
}

/// The round a request reviews, if it is a review's.
pub async fn of_request(conn: &mut AnyConnection, request_id: i64) -> Result<Option<Review>> {
    Ok(fetch(
        conn,
        "JOIN easy_review_requests l ON l.review_id = r.id WHERE l.request_id = $1",
        &[Bind::Int(request_id)],
    )
    .await?
    .pop())
}

const ACCEPTED: &str = "SELECT 1 FROM easy_review_requests l JOIN request_proposals p \
     ON p.request_id = l.request_id AND p.status = 'accepted' WHERE l.review_id = r.id AND p.account_id = $1";

/// Whether this account reviews this round: its proposal on one of the
/// round's requests is accepted.
pub async fn is_reviewer(
    conn: &mut AnyConnection,
    review_id: i64,
    account_id: i64,
) -> Result<bool> {
    let sql =
        format!("SELECT COUNT(*) FROM easy_reviews r WHERE r.id = $2 AND EXISTS ({ACCEPTED})");
    let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(account_id)
        .bind(review_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// The rounds this account reviews, the newest first, each with whether
/// they have finished reading it.
pub async fn for_reviewer(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<(Review, bool)>> {
    let clause = format!("WHERE EXISTS ({ACCEPTED}) ORDER BY r.id DESC");
    let rounds = fetch(conn, &clause, &[Bind::Int(account_id)]).await?;
    let done: Vec<i64> =
        sqlx::query_scalar("SELECT review_id FROM easy_reviewers WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rounds
        .into_iter()
        .map(|r| {
            let finished = done.contains(&r.id);
            (r, finished)
        })
        .collect())
}

/// Keeps a reviewer's answer about a sentence (again: replaces it).
pub async fn save_answer(
    conn: &mut AnyConnection,
    review_id: i64,
    account_id: i64,
    a: &Answer,
    now: i64,
) -> Result<()> {
    let sentence = i64::try_from(a.sentence).map_err(|_| StoreError::NotFound)?;
    sqlx::query(
        "INSERT INTO easy_review_answers (review_id, account_id, sentence, understood, words, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (review_id, account_id, sentence) \
         DO UPDATE SET understood = excluded.understood, words = excluded.words, answered_at = excluded.answered_at",
    )
    .bind(review_id)
    .bind(account_id)
    .bind(sentence)
    .bind(i64::from(a.understood))
    .bind(&a.words)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A round's answers: everyone's (`None`) or one reviewer's.
pub async fn answers(
    conn: &mut AnyConnection,
    review_id: i64,
    account_id: Option<i64>,
) -> Result<Vec<Answer>> {
    let rows: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT sentence, understood, words FROM easy_review_answers \
         WHERE review_id = $1 AND ($2 = 0 OR account_id = $2) ORDER BY account_id, sentence",
    )
    .bind(review_id)
    .bind(account_id.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(sentence, understood, words)| Answer {
            sentence: usize::try_from(sentence).unwrap_or_default(),
            understood: understood != 0,
            words,
        })
        .collect())
}

/// A reviewer has finished reading (again: their choice is replaced).
pub async fn finish(
    conn: &mut AnyConnection,
    review_id: i64,
    account_id: i64,
    show_name: bool,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO easy_reviewers (review_id, account_id, show_name, finished_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (review_id, account_id) DO UPDATE SET show_name = excluded.show_name",
    )
    .bind(review_id)
    .bind(account_id)
    .bind(i64::from(show_name))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether this reviewer has finished, and then whether they agreed to be
/// named.
pub async fn finished_by(
    conn: &mut AnyConnection,
    review_id: i64,
    account_id: i64,
) -> Result<Option<bool>> {
    let show: Option<i64> = sqlx::query_scalar(
        "SELECT show_name FROM easy_reviewers WHERE review_id = $1 AND account_id = $2",
    )
    .bind(review_id)
    .bind(account_id)
    .fetch_optional(conn)
    .await?;
    Ok(show.map(|s| s != 0))
}

/// The reviewers who have finished: display name and whether they agreed
/// to be named, in the order they finished.
pub async fn finished(conn: &mut AnyConnection, review_id: i64) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.display_name, v.show_name FROM easy_reviewers v JOIN accounts a ON a.id = v.account_id \
         WHERE v.review_id = $1 ORDER BY v.finished_at, v.account_id",
    )
    .bind(review_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(n, s)| (n, s != 0)).collect())
}

/// Marks the round's text reviewed: `text` is the easy-read text as it is
/// now (revised by the author after the answers), `names` the reviewers'
/// first names to show.
pub async fn mark_reviewed(
    conn: &mut AnyConnection,
    review_id: i64,
    text: &str,
    names: &[String],
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE easy_reviews SET reviewed_at = $1, reviewed_text = $2, reviewer_names = $3 WHERE id = $4",
    )
    .bind(now)
    .bind(text)
    .bind(names.join("\n"))
    .bind(review_id)
    .execute(conn)
    .await?;
    Ok(())
}
