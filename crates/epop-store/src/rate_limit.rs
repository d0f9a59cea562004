//! A fixed-window rate limiter kept in the database, so that several server
//! processes share it (sign-in attempts, sign-in link requests).

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
