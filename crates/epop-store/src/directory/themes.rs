//! The curated themes a profile can name.

use epop_domain::text::slugify;
use sqlx::AnyConnection;

use crate::{Result, now};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub id: i64,
    pub slug: String,
    pub label: String,
}

pub async fn themes(conn: &mut AnyConnection) -> Result<Vec<Theme>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, slug, label FROM themes ORDER BY label")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, label)| Theme { id, slug, label })
        .collect())
}

/// Adds a theme to the curated list (idempotent on its slug).
pub async fn add_theme(conn: &mut AnyConnection, label: &str) -> Result<Theme> {
    let slug = slugify(label);
    sqlx::query("INSERT INTO themes (slug, label, created_at) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING")
        .bind(&slug)
        .bind(label)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    let (id, label): (i64, String) = sqlx::query_as("SELECT id, label FROM themes WHERE slug = $1")
        .bind(&slug)
        .fetch_one(conn)
        .await?;
    crate::cache::written();
    Ok(Theme { id, slug, label })
}
