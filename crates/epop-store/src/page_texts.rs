//! The easy-read texts of the fixed pages as admins last wrote them (a
//! page without one shows the text the program ships).

use sqlx::AnyConnection;

use crate::Result;

/// The text an admin wrote for this page, and when.
pub async fn get(conn: &mut AnyConnection, slug: &str) -> Result<Option<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT easy_text, updated_at FROM page_texts WHERE slug = $1")
            .bind(slug)
            .fetch_optional(conn)
            .await?,
    )
}

/// Every page's text an admin wrote, by page.
pub async fn all(conn: &mut AnyConnection) -> Result<Vec<(String, String, i64)>> {
    Ok(
        sqlx::query_as("SELECT slug, easy_text, updated_at FROM page_texts ORDER BY slug")
            .fetch_all(conn)
            .await?,
    )
}

/// Keeps this page's text (replacing the one before).
pub async fn save(conn: &mut AnyConnection, slug: &str, text: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO page_texts (slug, easy_text, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (slug) DO UPDATE SET easy_text = excluded.easy_text, \
         updated_at = excluded.updated_at",
    )
    .bind(slug)
    .bind(text)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}
