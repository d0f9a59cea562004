//! The files a resource may carry, recognised by their first bytes (what
//! the browser says a file is cannot be trusted), and how each is served.

/// Largest file accepted, whatever its kind: the page says it, and a
/// longer video is published as a link.
pub const MAX_FILE: usize = 20 * 1024 * 1024;

/// The kinds of file the toolbox accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Pdf,
    Odt,
    Docx,
    Xlsx,
    Ods,
    Jpeg,
    Png,
    Mp3,
    Mp4,
    Webm,
    Vtt,
}

/// What a resource is, for the « format » filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Document,
    Image,
    Audio,
    Video,
    Link,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Document,
        Format::Image,
        Format::Audio,
        Format::Video,
        Format::Link,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Format::Document => "document",
            Format::Image => "image",
            Format::Audio => "audio",
            Format::Video => "video",
            Format::Link => "lien",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Document => "Document (texte, tableau, PDF)",
            Format::Image => "Image",
            Format::Audio => "Son",
            Format::Video => "Vidéo",
            Format::Link => "Lien vers une ressource existante",
        }
    }

    /// Audio and video need captions or a transcript to be published
    /// (RGAA, theme 4).
    pub fn is_media(self) -> bool {
        matches!(self, Format::Audio | Format::Video)
    }
}

impl FileKind {
    pub const ALL: [FileKind; 11] = [
        FileKind::Pdf,
        FileKind::Odt,
        FileKind::Docx,
        FileKind::Xlsx,
        FileKind::Ods,
        FileKind::Jpeg,
        FileKind::Png,
        FileKind::Mp3,
        FileKind::Mp4,
        FileKind::Webm,
        FileKind::Vtt,
    ];

    /// What the file is, from its first bytes; `None` for anything else
    /// (an HTML page named `.pdf`, a program, an empty file).
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        let starts = |m: &[u8]| bytes.starts_with(m);
        if starts(b"%PDF-") {
            Some(FileKind::Pdf)
        } else if starts(b"PK\x03\x04") {
            office_kind(bytes)
        } else if starts(&[0xFF, 0xD8, 0xFF]) {
            Some(FileKind::Jpeg)
        } else if starts(b"\x89PNG\r\n\x1a\n") {
            Some(FileKind::Png)
        } else if starts(b"ID3") || (bytes.len() > 1 && bytes[0] == 0xFF && bytes[1] & 0xE0 == 0xE0)
        {
            Some(FileKind::Mp3)
        } else if bytes.len() > 12 && &bytes[4..8] == b"ftyp" {
            Some(FileKind::Mp4)
        } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
            Some(FileKind::Webm)
        } else if starts(b"WEBVTT") || starts(b"\xEF\xBB\xBFWEBVTT") {
            Some(FileKind::Vtt)
        } else {
            None
        }
    }

    /// The stored code.
    pub fn code(self) -> &'static str {
        self.extension()
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Odt => "odt",
            FileKind::Docx => "docx",
            FileKind::Xlsx => "xlsx",
            FileKind::Ods => "ods",
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Mp3 => "mp3",
            FileKind::Mp4 => "mp4",
            FileKind::Webm => "webm",
            FileKind::Vtt => "vtt",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Mp3 => "audio/mpeg",
            FileKind::Mp4 => "video/mp4",
            FileKind::Webm => "video/webm",
            FileKind::Vtt => "text/vtt",
        }
    }

    /// What people read next to the link: « PDF », « Document ODT »…
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Odt => "document texte ODT",
            FileKind::Docx => "document texte Word",
            FileKind::Xlsx => "tableur Excel",
            FileKind::Ods => "tableur ODS",
            FileKind::Jpeg => "image JPEG",
            FileKind::Png => "image PNG",
            FileKind::Mp3 => "son MP3",
            FileKind::Mp4 => "vidéo MP4",
            FileKind::Webm => "vidéo WebM",
            FileKind::Vtt => "sous-titres VTT",
        }
    }

    pub fn format(self) -> Format {
        match self {
            FileKind::Jpeg | FileKind::Png => Format::Image,
            FileKind::Mp3 => Format::Audio,
            FileKind::Mp4 | FileKind::Webm => Format::Video,
            _ => Format::Document,
        }
    }

    /// Served inline (a browser shows it and runs nothing): images, sound,
    /// video and captions. Everything else is an attachment.
    pub fn is_inline_safe(self) -> bool {
        matches!(
            self,
            FileKind::Jpeg
                | FileKind::Png
                | FileKind::Mp3
                | FileKind::Mp4
                | FileKind::Webm
                | FileKind::Vtt
        )
    }
}

/// An office document is a zip: OpenDocument names its type in its first
/// entry (`mimetype`), Office Open XML has a `word/` or `xl/` folder.
fn office_kind(bytes: &[u8]) -> Option<FileKind> {
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let head = &bytes[..bytes.len().min(200)];
    let head_has = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    if head_has(b"application/vnd.oasis.opendocument.text") {
        Some(FileKind::Odt)
    } else if head_has(b"application/vnd.oasis.opendocument.spreadsheet") {
        Some(FileKind::Ods)
    } else if has(b"word/") {
        Some(FileKind::Docx)
    } else if has(b"xl/") {
        Some(FileKind::Xlsx)
    } else {
        None
    }
}

/// The name a download carries: the name the file was sent with, kept to
/// letters, digits, spaces, dots, hyphens and underscores, ending with the
/// extension of what the file really is.
pub fn download_name(sent: &str, kind: FileKind) -> String {
    let base = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => base,
    };
    let mut clean: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
        .take(100)
        .collect();
    clean = clean.trim_matches([' ', '.']).to_owned();
    if clean.is_empty() {
        clean = "ressource".to_owned();
    }
    format!("{clean}.{}", kind.extension())
}

/// The file's size as people read it: « 245 Ko », « 3,2 Mo ».
pub fn size_in_words(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} Ko", (bytes + 1023) / 1024)
    } else {
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} Mo", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_bytes_not_their_name() {
        assert_eq!(FileKind::sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(FileKind::sniff(b"<!DOCTYPE html><html>"), None);
        assert_eq!(FileKind::sniff(b""), None);
        assert_eq!(FileKind::sniff(b"MZ\x90\x00"), None);
        assert_eq!(
            FileKind::sniff(b"\x89PNG\r\n\x1a\n\0\0"),
            Some(FileKind::Png)
        );
        assert_eq!(FileKind::sniff(b"WEBVTT\n\n00:00.000"), Some(FileKind::Vtt));
        assert_eq!(
            FileKind::sniff(b"\0\0\0\x18ftypmp42\0\0\0\0"),
            Some(FileKind::Mp4)
        );
        let odt = b"PK\x03\x04\x14\0\0\0\0\0mimetypeapplication/vnd.oasis.opendocument.text";
        assert_eq!(FileKind::sniff(odt), Some(FileKind::Odt));
        assert_eq!(
            FileKind::sniff(b"PK\x03\x04....[Content_Types].xml...word/document.xml"),
            Some(FileKind::Docx)
        );
        assert_eq!(FileKind::sniff(b"PK\x03\x04 nothing known"), None);
    }

    #[test]
    fn only_harmless_kinds_are_shown_inline() {
        assert!(!FileKind::Pdf.is_inline_safe());
        assert!(!FileKind::Docx.is_inline_safe());
        assert!(FileKind::Png.is_inline_safe());
    }

    #[test]
    fn download_names_keep_the_real_name_with_the_true_extension() {
        assert_eq!(
            download_name("Fiche mission.PDF", FileKind::Pdf),
            "Fiche mission.pdf"
        );
        assert_eq!(
            download_name("../../etc/passwd", FileKind::Pdf),
            "passwd.pdf"
        );
        assert_eq!(download_name("a\"b;c\r\n.pdf", FileKind::Pdf), "abc.pdf");
        assert_eq!(download_name("", FileKind::Odt), "ressource.odt");
        assert_eq!(download_name("page.html", FileKind::Png), "page.png");
    }

    #[test]
    fn sizes_read_in_french() {
        assert_eq!(size_in_words(2_000), "2 Ko");
        assert_eq!(size_in_words(3 * 1024 * 1024 + 200 * 1024), "3,2 Mo");
    }
}
