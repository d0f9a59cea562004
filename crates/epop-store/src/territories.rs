//! Regions and départements (loaded by migration 2, read-only).

use sqlx::AnyConnection;

use crate::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Department {
    pub code: String,
    pub name: String,
    pub region_code: String,
}

pub async fn regions(conn: &mut AnyConnection) -> Result<Vec<Region>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM regions ORDER BY name")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| Region { code, name })
        .collect())
}

/// Every département, in code order (01, 02 … 2A, 2B … 976).
pub async fn departments(conn: &mut AnyConnection) -> Result<Vec<Department>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departments ORDER BY code")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, region_code)| Department {
            code,
            name,
            region_code,
        })
        .collect())
}

pub async fn department(conn: &mut AnyConnection, code: &str) -> Result<Option<Department>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT code, name, region_code FROM departments WHERE code = $1")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(code, name, region_code)| Department {
        code,
        name,
        region_code,
    }))
}
