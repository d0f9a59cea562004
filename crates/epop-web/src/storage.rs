//! Where every file the platform keeps lives (profile photos, expense
//! receipts, news images, toolbox files): one small trait, [`Storage`], with
//! two implementations chosen by configuration and one code path for both —
//! [`Folder`] (a folder under the data directory, the default, nothing to
//! install) and an S3-compatible object store (`s3.rs`, `EPOP_STORAGE_URL`).
//! A file is named by a key the platform makes (`photos/<random>.png`), never
//! by what a person typed.
//!
//! The write order every feature follows: store the file, then commit the
//! row that names it; when the commit fails, remove the file
//! ([`or_discard`]). A store that fails gives [`AppError::FilesUnavailable`]
//! (a French 503 page and an error log), never a panic nor a row pointing to
//! nothing.

mod s3;

use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;

pub use s3::ObjectStorage;

use crate::AppError;

/// A future a storage returns (boxed, so that the trait is usable as
/// `dyn Storage`).
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send + 'a>>;

/// Files kept by key.
pub trait Storage: Send + Sync {
    /// Writes a file whole (a reader never sees half of it).
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Pending<'a, ()>;
    /// Reads a file; `NotFound` when there is none.
    fn get<'a>(&'a self, key: &'a str) -> Pending<'a, Vec<u8>>;
    /// Removes a file (nothing when there is none).
    fn delete<'a>(&'a self, key: &'a str) -> Pending<'a, ()>;
    /// Every file kept, as (key, size in bytes), sorted by key.
    fn list(&self) -> Pending<'_, Vec<(String, u64)>>;
    /// Where the files are, in words for the operator (`dossier data/fichiers`).
    fn describe(&self) -> String;
}

/// The folder of the data directory where the default storage keeps files.
pub const FOLDER: &str = "fichiers";

/// The folders of the data directory where files were kept before the
/// storage layer; each is also the first part of its files' keys, which is
/// what the database's names are relative to.
pub const PHOTOS: &str = "photos";
pub const RECEIPTS: &str = "justificatifs";
pub const NEWS_IMAGES: &str = "news";
const LEGACY: [&str; 3] = [PHOTOS, RECEIPTS, NEWS_IMAGES];

/// Opens the storage `EPOP_STORAGE_URL` names (`s3://bucket?endpoint=…`),
/// or the folder `<data dir>/fichiers` when there is none.
pub fn open(url: Option<&str>, data_dir: &Path) -> Result<Arc<dyn Storage>, String> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => Ok(Arc::new(ObjectStorage::from_url(url)?)),
        None => Ok(Arc::new(Folder::new(data_dir.join(FOLDER)))),
    }
}

/// Keys are made of ASCII letters, digits, `- _ .` and folders, never
/// `..`: no key leaves a folder's root, and every store accepts them.
fn check_key(key: &str) -> io::Result<&str> {
    let fine = !key.is_empty()
        && !key.starts_with(['/', '.'])
        && !key.ends_with('/')
        && !key.contains("..")
        && !key.contains("//")
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    if fine {
        Ok(key)
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "bad storage key",
        ))
    }
}

/// Files in a folder (by default `<data dir>/fichiers`), one per key.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

/// The extension of a file being written: never listed, never a key.
const PARTIAL: &str = "partiel";

impl Folder {
    pub fn new(root: PathBuf) -> Self {
        Folder { root }
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        Ok(self.root.join(check_key(key)?))
    }
}

impl Storage for Folder {
    fn put<'a>(&'a self, key: &'a str, bytes: &'a [u8]) -> Pending<'a, ()> {
        Box::pin(async move {
            let path = self.path(key)?;
            if let Some(dir) = path.parent() {
                tokio::fs::create_dir_all(dir).await?;
            }
            // Written aside, then renamed: a reader sees all or nothing.
            let partial = path.with_extension(PARTIAL);
            let written = tokio::fs::write(&partial, bytes).await;
            if written.is_err() {
                let _ = tokio::fs::remove_file(&partial).await;
            }
            written?;
            tokio::fs::rename(&partial, &path).await
        })
    }

    fn get<'a>(&'a self, key: &'a str) -> Pending<'a, Vec<u8>> {
        Box::pin(async move { tokio::fs::read(self.path(key)?).await })
    }

    fn delete<'a>(&'a self, key: &'a str) -> Pending<'a, ()> {
        Box::pin(async move {
            match tokio::fs::remove_file(self.path(key)?).await {
                Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            }
        })
    }

    fn list(&self) -> Pending<'_, Vec<(String, u64)>> {
        Box::pin(async move {
            let root = self.root.clone();
            let mut found = tokio::task::spawn_blocking(move || files_under(&root))
                .await
                .map_err(io::Error::other)??;
            found.retain(|(key, _)| {
                check_key(key).is_ok() && !key.ends_with(&format!(".{PARTIAL}"))
            });
            found.sort();
            Ok(found)
        })
    }

    fn describe(&self) -> String {
        format!("dossier {}", self.root.display())
    }
}

/// Every file under `root`, as (path relative to it with `/`, size); none
/// when the folder does not exist.
fn files_under(root: &Path) -> io::Result<Vec<(String, u64)>> {
    let mut found = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(rel) = pending.pop() {
        let entries = match std::fs::read_dir(root.join(&rel)) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let rel = rel.join(entry.file_name());
            let kind = entry.file_type()?;
            if kind.is_dir() {
                pending.push(rel);
            } else if kind.is_file() {
                let key = rel
                    .iter()
                    .map(|part| part.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push((key, entry.metadata()?.len()));
            }
        }
    }
    Ok(found)
}

/// The key of a file the database names `name` in `folder`.
pub fn key(folder: &str, name: &str) -> String {
    format!("{folder}/{name}")
}

/// What a failing store means for a page: a missing file is a 404, any
/// other failure a 503 (logged with the key).
pub fn failed(key: &str, e: io::Error) -> AppError {
    if e.kind() == io::ErrorKind::NotFound {
        tracing::warn!(key, "stored file missing");
        AppError::NotFound
    } else {
        AppError::FilesUnavailable(format!("{key}: {e}"))
    }
}

/// Keeps a new file in `folder` under a random name with this extension;
/// gives the name (what the database records).
pub async fn keep(
    files: &dyn Storage,
    folder: &str,
    extension: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    let name = format!("{}.{extension}", crate::security::public_id());
    let key = key(folder, &name);
    files.put(&key, bytes).await.map_err(|e| failed(&key, e))?;
    Ok(name)
}

/// Reads the file the database names `name` in `folder`.
pub async fn read(files: &dyn Storage, folder: &str, name: &str) -> Result<Vec<u8>, AppError> {
    let key = key(folder, name);
    files.get(&key).await.map_err(|e| failed(&key, e))
}

/// Removes a file no row names any more; a failure is only logged (the row
/// is gone already: an orphan file is harmless, a lost row is not).
pub async fn discard(files: &dyn Storage, key: &str) {
    if let Err(e) = files.delete(key).await {
        tracing::warn!(key, error = %e, "stored file not deleted");
    }
}

/// A write whose file was stored first: when the write failed, the file
/// goes too, so that nothing is kept of a form that was not recorded.
pub async fn or_discard<T>(
    files: &dyn Storage,
    folder: &str,
    name: Option<&str>,
    written: Result<T, AppError>,
) -> Result<T, AppError> {
    if let (Err(_), Some(name)) = (&written, name) {
        discard(files, &key(folder, name)).await;
    }
    written
}

/// Moves the files of the folders the platform used before the storage
/// layer (`<data dir>/photos`, `justificatifs`, `news`) into `files`, under
/// the same names; each file is removed from its old folder once stored,
/// so that running it again moves only what is left. Gives how many moved.
pub async fn adopt_legacy(files: &dyn Storage, data_dir: &Path) -> Result<usize, String> {
    let mut moved = 0;
    for folder in LEGACY {
        let dir = data_dir.join(folder);
        let found = tokio::task::spawn_blocking({
            let dir = dir.clone();
            move || files_under(&dir)
        })
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("lecture de {} impossible : {e}", dir.display()))?;
        for (name, _) in found {
            let path = dir.join(&name);
            let key = key(folder, &name);
            if check_key(&key).is_err() {
                tracing::warn!(file = %path.display(), "old file left in place: not a storage key");
                continue;
            }
            // Another process starting at the same time may have moved it.
            let gone = |e: &io::Error| e.kind() == io::ErrorKind::NotFound;
            let bytes = match tokio::fs::read(&path).await {
                Err(e) if gone(&e) => continue,
                read => {
                    read.map_err(|e| format!("lecture de {} impossible : {e}", path.display()))?
                }
            };
            files.put(&key, &bytes).await.map_err(|e| {
                format!(
                    "impossible de ranger {} dans le stockage ({}) : {e}",
                    path.display(),
                    files.describe()
                )
            })?;
            match tokio::fs::remove_file(&path).await {
                Err(e) if !gone(&e) => {
                    return Err(format!("impossible d’effacer {} : {e}", path.display()));
                }
                _ => moved += 1,
            }
        }
    }
    Ok(moved)
}

/// What [`copy_all`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Copied {
    /// Files written to the target.
    pub copied: usize,
    /// Files the target had already, with the same size.
    pub skipped: usize,
}

/// Copies every file of `from` into `to`, but those `to` has already with
/// the same size (so that running it again copies nothing);
/// `progress(done, total)` is called after each file.
pub async fn copy_all(
    from: &dyn Storage,
    to: &dyn Storage,
    mut progress: impl FnMut(usize, usize),
) -> Result<Copied, String> {
    let source = from
        .list()
        .await
        .map_err(|e| format!("lecture de {} impossible : {e}", from.describe()))?;
    let there: std::collections::HashMap<String, u64> = to
        .list()
        .await
        .map_err(|e| format!("lecture de {} impossible : {e}", to.describe()))?
        .into_iter()
        .collect();
    let mut done = Copied::default();
    for (n, (key, size)) in source.iter().enumerate() {
        if there.get(key) == Some(size) {
            done.skipped += 1;
        } else {
            let bytes = from
                .get(key)
                .await
                .map_err(|e| format!("lecture de {key} impossible : {e}"))?;
            to.put(key, &bytes).await.map_err(|e| {
                format!("écriture de {key} dans {} impossible : {e}", to.describe())
            })?;
            done.copied += 1;
        }
        progress(n + 1, source.len());
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_keeps_files_by_key_and_refuses_to_leave_its_root() {
        let root = std::env::temp_dir().join(format!("epop-storage-{}", std::process::id()));
        let f = Folder::new(root.clone());
        f.put("boite-a-outils/abc.pdf", b"%PDF-1.7").await.unwrap();
        f.put("photos/x.png", b"png").await.unwrap();
        assert_eq!(f.get("boite-a-outils/abc.pdf").await.unwrap(), b"%PDF-1.7");
        assert_eq!(
            f.list().await.unwrap(),
            vec![
                ("boite-a-outils/abc.pdf".to_owned(), 8),
                ("photos/x.png".to_owned(), 3)
            ]
        );
        f.delete("boite-a-outils/abc.pdf").await.unwrap();
        f.delete("boite-a-outils/abc.pdf").await.unwrap();
        assert!(f.get("boite-a-outils/abc.pdf").await.is_err());
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "é.pdf",
            "",
            "a//b",
            "a/",
        ] {
            assert!(f.put(bad, b"x").await.is_err(), "{bad}");
        }
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_file_stays_only_if_the_write_naming_it_committed() {
        let root = std::env::temp_dir().join(format!("epop-order-{}", std::process::id()));
        let f = Folder::new(root.clone());
        let kept = keep(&f, PHOTOS, "png", b"png").await.unwrap();
        or_discard(&f, PHOTOS, Some(&kept), Ok(())).await.unwrap();
        assert_eq!(read(&f, PHOTOS, &kept).await.unwrap(), b"png");
        let lost = keep(&f, PHOTOS, "png", b"png").await.unwrap();
        let refused = or_discard(&f, PHOTOS, Some(&lost), Err::<(), _>(AppError::Forbidden));
        assert!(matches!(refused.await, Err(AppError::Forbidden)));
        assert!(matches!(
            read(&f, PHOTOS, &lost).await,
            Err(AppError::NotFound)
        ));
        assert_eq!(f.list().await.unwrap().len(), 1);
        let _ = std::fs::remove_dir_all(root);
    }
}
