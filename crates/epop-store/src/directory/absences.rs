//! Periods when a person is away (no proposal then).

use sqlx::AnyConnection;

use crate::Result;

/// A period when a person is away (no proposal then).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Absence {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
}

/// The periods away of a profile that have not ended before `today` (ISO date).
pub async fn absences(
    conn: &mut AnyConnection,
    profile_id: i64,
    today: &str,
) -> Result<Vec<Absence>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, starts_on, ends_on FROM profile_absences WHERE profile_id = $1 AND ends_on >= $2 ORDER BY starts_on",
    )
    .bind(profile_id)
    .bind(today)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, starts_on, ends_on)| Absence {
            id,
            starts_on,
            ends_on,
        })
        .collect())
}

pub async fn add_absence(
    conn: &mut AnyConnection,
    profile_id: i64,
    starts_on: &str,
    ends_on: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO profile_absences (profile_id, starts_on, ends_on) VALUES ($1, $2, $3)",
    )
    .bind(profile_id)
    .bind(starts_on)
    .bind(ends_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes a period away, only if it belongs to that profile.
pub async fn remove_absence(
    conn: &mut AnyConnection,
    profile_id: i64,
    absence_id: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM profile_absences WHERE id = $1 AND profile_id = $2")
        .bind(absence_id)
        .bind(profile_id)
        .execute(conn)
        .await?;
    Ok(())
}
