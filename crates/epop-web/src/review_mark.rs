//! What an easy-read page says under its text: the mark « Relu par des
//! personnes concernées » of its last review while the text is still the
//! one marked, or that its review is to come; and what a feature tells of
//! a text it lets be reviewed ([`EasyText`]). Pages of every feature ask
//! here; the reviews themselves are `crate::easy_review`'s.

use epop_domain::easy_review::{Subject, mark_words, still_reviewed};
use epop_store::easy_reviews;

use crate::{AppError, AppState};

/// An easy-read text that can be reviewed.
pub struct EasyText {
    pub title: String,
    /// The easy-read version as it is now (empty: none written yet).
    pub text: String,
    /// Its easy-read page.
    pub page: String,
    /// Its editor.
    pub edit: String,
    /// Its département, if it has one: the review request's, by default.
    pub department: Option<String>,
}

/// What an easy-read page says under its text: the mark of its review
/// while the text is the one reviewed, or that its review is to come.
pub async fn footer(
    conn: &mut epop_store::Conn,
    subject: Subject,
    slug: &str,
    current: &str,
) -> epop_store::Result<String> {
    let marked = easy_reviews::last_marked(conn, subject.code(), slug).await?;
    Ok(match marked {
        Some(r) if still_reviewed(current, r.reviewed_text.as_deref().unwrap_or_default()) => {
            let day = crate::french::paris(r.reviewed_at.unwrap_or_default()).date_naive();
            mark_words(day, &r.reviewer_names)
        }
        _ => TO_DO.to_owned(),
    })
}

/// The footer of a page that shows an easy-read text (`shown`), or nothing.
pub async fn footer_of_page(
    state: &AppState,
    shown: bool,
    subject: Subject,
    slug: &str,
    current: &str,
) -> Result<Option<String>, AppError> {
    if !shown || current.trim().is_empty() {
        return Ok(None);
    }
    let mut conn = state.db.conn().await?;
    Ok(Some(footer(&mut conn, subject, slug, current).await?))
}

/// The footer of an easy-read text nobody concerned has reviewed yet.
const TO_DO: &str =
    "Texte en facile à lire et à comprendre. Relecture par des personnes concernées : à faire.";
