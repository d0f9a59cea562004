//! A resource's files: each upload of its main file is a new version (the
//! newest is the current one, the previous ones stay for the coordination),
//! its captions, and the downloads counted per month, without anyone.

use epop_domain::toolbox::{FileKind, Format};
use sqlx::AnyConnection;

use crate::{Result, now};

/// What a stored file is to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileRole {
    /// The resource itself (a version of it).
    Main,
    /// Captions of its video or sound (VTT).
    Captions,
}

impl FileRole {
    fn code(self) -> &'static str {
        match self {
            FileRole::Main => "main",
            FileRole::Captions => "captions",
        }
    }
}

/// One stored file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub public_id: String,
    pub resource_id: i64,
    pub captions: bool,
    /// The name people download it as.
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    /// Its name in the file storage.
    pub storage_key: String,
    pub created_at: i64,
}

/// A file to record (its bytes are already in the file storage).
#[derive(Debug, Clone)]
pub struct NewFile<'a> {
    pub public_id: &'a str,
    pub role: FileRole,
    pub file_name: &'a str,
    pub kind: FileKind,
    pub size: i64,
    pub storage_key: &'a str,
}

/// Records a file of a resource, and the resource's format when it is its
/// main file.
pub async fn add_file(
    conn: &mut AnyConnection,
    resource_id: i64,
    f: &NewFile<'_>,
    by: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO resource_files (resource_id, public_id, role, file_name, kind, size, storage_key, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(resource_id)
    .bind(f.public_id)
    .bind(f.role.code())
    .bind(f.file_name)
    .bind(f.kind.code())
    .bind(f.size)
    .bind(f.storage_key)
    .bind(by)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    refresh_format(conn, resource_id).await
}

/// The resource's format: its current main file's, else a link's.
pub(crate) async fn refresh_format(conn: &mut AnyConnection, resource_id: i64) -> Result<()> {
    let current = files(conn, resource_id)
        .await?
        .into_iter()
        .find(|f| !f.captions);
    let link: Option<String> = sqlx::query_scalar("SELECT link FROM resources WHERE id = $1")
        .bind(resource_id)
        .fetch_one(&mut *conn)
        .await?;
    let format = match (current, link) {
        (Some(f), _) => Some(f.kind.format().code()),
        (None, Some(_)) => Some(Format::Link.code()),
        (None, None) => None,
    };
    sqlx::query("UPDATE resources SET format = $1 WHERE id = $2")
        .bind(format)
        .bind(resource_id)
        .execute(conn)
        .await?;
    Ok(())
}

type FileRow = (String, i64, String, String, String, i64, String, i64);

fn file_of(
    (public_id, resource_id, role, file_name, kind, size, storage_key, created_at): FileRow,
) -> Option<StoredFile> {
    Some(StoredFile {
        public_id,
        resource_id,
        captions: role == FileRole::Captions.code(),
        file_name,
        kind: FileKind::from_code(&kind)?,
        size,
        storage_key,
        created_at,
    })
}

const FILE_COLUMNS: &str =
    "public_id, resource_id, role, file_name, kind, size, storage_key, created_at";

/// Every file of a resource, newest first: the first main file is the
/// current version.
pub async fn files(conn: &mut AnyConnection, resource_id: i64) -> Result<Vec<StoredFile>> {
    let rows: Vec<FileRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {FILE_COLUMNS} FROM resource_files WHERE resource_id = $1 ORDER BY created_at DESC, id DESC"
    )))
    .bind(resource_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().filter_map(file_of).collect())
}

/// Adds one download of a resource to this month's count (`AAAA-MM`).
pub async fn count_download(conn: &mut AnyConnection, resource_id: i64, month: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO resource_downloads (resource_id, month, count) VALUES ($1, $2, 1) \
         ON CONFLICT (resource_id, month) DO UPDATE SET count = resource_downloads.count + 1",
    )
    .bind(resource_id)
    .bind(month)
    .execute(conn)
    .await?;
    Ok(())
}

/// A resource's downloads per month, newest month first.
pub async fn downloads(conn: &mut AnyConnection, resource_id: i64) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT month, count FROM resource_downloads WHERE resource_id = $1 ORDER BY month DESC",
    )
    .bind(resource_id)
    .fetch_all(conn)
    .await?)
}
