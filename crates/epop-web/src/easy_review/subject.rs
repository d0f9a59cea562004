//! The text a review is about, as its author may edit it: its title, its
//! easy-read text as it is now, its easy-read page and its editor. Each
//! feature says who may edit its texts; this asks it.

use epop_domain::easy_review::Subject;

use crate::review_mark::EasyText;
use crate::{AppError, AppState, Ctx};

/// The text of this kind and address, if this person may edit it (« not
/// found » for an unknown one, 403 for someone else's).
pub async fn editable(
    state: &AppState,
    ctx: &Ctx,
    subject: Subject,
    slug: &str,
) -> Result<EasyText, AppError> {
    match subject {
        Subject::Resource => crate::toolbox::easy_text(state, ctx, slug).await,
        Subject::News => crate::news::easy_text(state, ctx, slug).await,
        Subject::Programme => crate::programmes::easy_text(state, ctx, slug).await,
        Subject::Page => crate::pages::easy::easy_text(state, ctx, slug).await,
    }
}
