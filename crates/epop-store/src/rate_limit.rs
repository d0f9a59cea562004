//! Rate limits kept in the database, so that several server processes share
//! them: fixed windows (attempts per client address, link requests) and
//! streaks with a growing delay (wrong passwords per account), which slow an
//! attacker down without letting them lock anyone out.

use sqlx::AnyConnection;

use crate::{Result, now};

/// Counts one hit in `bucket` for the current window of `window_secs` and
/// returns how many hits that window has now.
pub async fn hit(conn: &mut AnyConnection, bucket: &str, window_secs: i64) -> Result<i64> {
    let t = now();
    let window_start = t - t.rem_euclid(window_secs);
    Ok(sqlx::query_scalar(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
         ON CONFLICT (bucket) DO UPDATE SET \
         hits = CASE WHEN rate_limits.window_start = excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END, \
         window_start = excluded.window_start \
         RETURNING hits",
    )
    .bind(bucket)
    .bind(window_start)
    .fetch_one(conn)
    .await?)
}

/// Whether an attempt of a streak may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// It is counted; go ahead.
    Allowed,
    /// Too early: come back in this many seconds (at least 1).
    Wait(i64),
}

/// Claims one attempt in the streak kept in `bucket`, whose row holds when
/// the next attempt may come (`window_start`) and how many came in a row
/// (`hits`). Too early, the attempt is refused and not counted, so waiting
/// is never made longer by trying. Otherwise it is counted, and the next
/// one must wait `delay(count)` seconds; a streak whose next attempt was
/// due more than `forget_after` seconds ago starts again. Two attempts at
/// the same instant cannot both go ahead (the row is changed only if
/// unchanged since it was read). [`clear`] ends the streak (a success).
pub async fn claim(
    conn: &mut AnyConnection,
    bucket: &str,
    forget_after: i64,
    delay: impl Fn(i64) -> i64,
) -> Result<Attempt> {
    let t = now();
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT window_start, hits FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .fetch_optional(&mut *conn)
            .await?;
    let changed = match row {
        Some((next_at, _)) if next_at > t => return Ok(Attempt::Wait(next_at - t)),
        Some((next_at, hits)) => {
            let count = if t - next_at > forget_after {
                1
            } else {
                hits + 1
            };
            sqlx::query(
                "UPDATE rate_limits SET window_start = $2, hits = $3 \
                 WHERE bucket = $1 AND window_start = $4 AND hits = $5",
            )
            .bind(bucket)
            .bind(t + delay(count))
            .bind(count)
            .bind(next_at)
            .bind(hits)
            .execute(&mut *conn)
            .await?
            .rows_affected()
        }
        None => sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO NOTHING",
        )
        .bind(bucket)
        .bind(t + delay(1))
        .execute(&mut *conn)
        .await?
        .rows_affected(),
    };
    Ok(if changed == 1 {
        Attempt::Allowed
    } else {
        Attempt::Wait(1)
    })
}

/// Ends the streak of `bucket`.
pub async fn clear(conn: &mut AnyConnection, bucket: &str) -> Result<()> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .execute(conn)
        .await?;
    Ok(())
}
