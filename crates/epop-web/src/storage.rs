//! Where uploaded files live: one small trait, [`Storage`], so that an
//! S3-compatible object store can replace the default [`Folder`] (a folder
//! under the data directory) by configuration without touching a feature.
//! A file is named by a key the platform makes (`boite-a-outils/<random>.pdf`),
//! never by what a person typed.

use std::future::Future;
use std::io;
use std::path::PathBuf;
use std::pin::Pin;

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
}

/// The folder of the data directory where the default storage keeps files.
pub const FOLDER: &str = "fichiers";

/// Files in a folder (by default `<data dir>/fichiers`), one per key.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    pub fn new(root: PathBuf) -> Self {
        Folder { root }
    }

    /// The path of a key: keys are made of ASCII letters, digits, `- _ .`
    /// and folders, never `..`, so that no key leaves the root.
    fn path(&self, key: &str) -> io::Result<PathBuf> {
        let fine = !key.is_empty()
            && !key.starts_with(['/', '.'])
            && !key.contains("..")
            && key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
        if fine {
            Ok(self.root.join(key))
        } else {
            Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage key",
            ))
        }
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
            let partial = path.with_extension("partiel");
            tokio::fs::write(&partial, bytes).await?;
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_folder_keeps_files_by_key_and_refuses_to_leave_its_root() {
        let root = std::env::temp_dir().join(format!("epop-storage-{}", std::process::id()));
        let f = Folder::new(root.clone());
        f.put("boite-a-outils/abc.pdf", b"%PDF-1.7").await.unwrap();
        assert_eq!(f.get("boite-a-outils/abc.pdf").await.unwrap(), b"%PDF-1.7");
        f.delete("boite-a-outils/abc.pdf").await.unwrap();
        f.delete("boite-a-outils/abc.pdf").await.unwrap();
        assert!(f.get("boite-a-outils/abc.pdf").await.is_err());
        for bad in ["../x", "/etc/passwd", "a/../../b", "é.pdf", ""] {
            assert!(f.put(bad, b"x").await.is_err(), "{bad}");
        }
        let _ = std::fs::remove_dir_all(root);
    }
}
