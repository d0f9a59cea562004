//! The resource form as it arrives (multipart: its fields, its file and its
//! captions), the files checked by their bytes and size, and their writing
//! to the file storage (removed again when the database refuses).

use axum::extract::Multipart;
use epop_domain::toolbox::files::download_name;
use epop_domain::toolbox::{FileKind, MAX_FILE};
use epop_store::toolbox::{FileRole, NewFile};

use crate::forms::{Errors, Pairs};
use crate::{AppError, AppState};

/// A file sent with the form, before it is checked.
#[derive(Debug, Default)]
pub struct Sent {
    pub name: String,
    pub bytes: Vec<u8>,
    /// More than the route let through: the rest was not read.
    pub cut: bool,
}

/// The form: its text fields, its main file and its captions (empty when
/// none was chosen).
#[derive(Debug, Default)]
pub struct Received {
    pub pairs: Pairs,
    pub file: Sent,
    pub captions: Sent,
}

/// Reads the whole form; a body over the route's limit leaves the file
/// marked `cut` (its size is then said to be too large).
pub async fn read(mut multipart: Multipart) -> Received {
    let mut out = Received::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                out.file.cut = true;
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().unwrap_or_default().to_owned();
        let bytes = field.bytes().await;
        let slot = match name.as_str() {
            "file" => &mut out.file,
            "captions" => &mut out.captions,
            _ => {
                if let Ok(b) = bytes {
                    out.pairs
                        .0
                        .push((name, String::from_utf8_lossy(&b).into_owned()));
                }
                continue;
            }
        };
        slot.name = file_name;
        match bytes {
            Ok(b) => slot.bytes = b.to_vec(),
            Err(_) => slot.cut = true,
        }
    }
    out
}

/// What was sent in a file field, checked: `None` when no file was chosen.
/// A refused file is a problem of its field, which says why and what to do.
pub fn check(sent: &Sent, field: &str, captions: bool, errors: &mut Errors) -> Option<FileKind> {
    if sent.cut || sent.bytes.len() > MAX_FILE {
        let max = MAX_FILE / (1024 * 1024);
        errors.add(
            field,
            format!(
                "Le fichier « {} » est trop lourd : {max} Mo au plus. Rien n’a été enregistré. Choisissez un fichier plus petit, ou publiez une vidéo longue comme un lien.",
                sent.name
            ),
        );
        return None;
    }
    if sent.bytes.is_empty() {
        return None;
    }
    match FileKind::sniff(&sent.bytes) {
        Some(FileKind::Vtt) if captions => Some(FileKind::Vtt),
        Some(k) if !captions && k != FileKind::Vtt => Some(k),
        _ if captions => {
            errors.add(
                field,
                format!(
                    "Le fichier « {} » n’est pas un fichier de sous-titres VTT (il doit commencer par WEBVTT). Rien n’a été enregistré.",
                    sent.name
                ),
            );
            None
        }
        _ => {
            errors.add(
                field,
                format!(
                    "Le contenu du fichier « {} » n’est pas d’un type accepté, quel que soit son nom : PDF, ODT, DOCX, XLSX, ODS, JPEG, PNG, MP3, MP4 ou WebM. Rien n’a été enregistré.",
                    sent.name
                ),
            );
            None
        }
    }
}

/// A checked file written to the storage, ready to be recorded.
pub struct Stored {
    pub public_id: String,
    pub role: FileRole,
    pub file_name: String,
    pub kind: FileKind,
    pub size: i64,
    pub key: String,
}

impl Stored {
    pub fn record(&self) -> NewFile<'_> {
        NewFile {
            public_id: &self.public_id,
            role: self.role,
            file_name: &self.file_name,
            kind: self.kind,
            size: self.size,
            storage_key: &self.key,
        }
    }
}

/// Writes a checked file to the storage under a random key.
pub async fn store(
    state: &AppState,
    sent: &Sent,
    kind: FileKind,
    role: FileRole,
) -> Result<Stored, AppError> {
    let public_id = crate::security::public_id();
    let key = format!("boite-a-outils/{public_id}.{}", kind.extension());
    state
        .files
        .put(&key, &sent.bytes)
        .await
        .map_err(|e| crate::storage::failed(&key, e))?;
    Ok(Stored {
        public_id,
        role,
        file_name: download_name(&sent.name, kind),
        kind,
        size: sent.bytes.len() as i64,
        key,
    })
}

/// Removes files written for a write that did not happen.
pub async fn forget(state: &AppState, stored: &[Stored]) {
    for s in stored {
        crate::storage::discard(state.files.as_ref(), &s.key).await;
    }
}

/// A write whose files are already stored: when it failed, the files go
/// too, so that nothing is kept of a form that was not recorded.
pub async fn or_forget<T>(
    state: &AppState,
    stored: &[Stored],
    written: Result<T, AppError>,
) -> Result<T, AppError> {
    if written.is_err() {
        forget(state, stored).await;
    }
    written
}
