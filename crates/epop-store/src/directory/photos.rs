//! The photo of a profile and its text alternative.

use sqlx::AnyConnection;

use crate::{Result, now};

/// The photo of a profile: (file name in the photos folder, text alternative).
pub async fn photo(conn: &mut AnyConnection, profile_id: i64) -> Result<Option<(String, String)>> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT photo_path, photo_alt FROM profiles WHERE id = $1")
            .bind(profile_id)
            .fetch_optional(conn)
            .await?;
    Ok(match row {
        Some((Some(path), alt)) => Some((path, alt.unwrap_or_default())),
        _ => None,
    })
}

/// Sets (or, with `None`, removes) the photo; returns the file it replaces.
pub async fn set_photo(
    conn: &mut AnyConnection,
    profile_id: i64,
    photo: Option<(&str, &str)>,
) -> Result<Option<String>> {
    let previous = photo_of_profile(conn, profile_id).await?;
    sqlx::query(
        "UPDATE profiles SET photo_path = $1, photo_alt = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(photo.map(|(p, _)| p.to_owned()))
    .bind(photo.map(|(_, a)| a.to_owned()))
    .bind(now())
    .bind(profile_id)
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(previous)
}

async fn photo_of_profile(conn: &mut AnyConnection, profile_id: i64) -> Result<Option<String>> {
    Ok(photo(conn, profile_id).await?.map(|(path, _)| path))
}
