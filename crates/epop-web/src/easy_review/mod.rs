//! The review of easy-read texts by the people they are for (« Relu par des
//! personnes concernées »). An author (who may edit the text) asks for a
//! review: a round keeps the text as it is and the author sends a request
//! « Donner son avis » through the ordinary request form, so that
//! matching, proposals, the legal framework and the payment of the
//! reviewers are those of any intervention. Reviewers (the peers whose
//! proposal is accepted) read the text in their space and answer sentence
//! by sentence; the author reads the answers, revises, and marks the text
//! reviewed. Pages show the mark, or « Relecture … : à faire », while the
//! text is the one marked.

mod author;
mod reviewer;
mod subject;

use axum::Router;
use epop_domain::easy_review::Subject;
use epop_store::easy_reviews;

use epop_domain::directory::InterventionKind;

use crate::{AppError, AppState, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(author::router())
        .merge(reviewer::router())
}

/// The request form's fields for a round this person asked for: a « Donner
/// son avis » request, at a distance, in two weeks, for the text's
/// département (or theirs). Nothing for a round that is not theirs or a
/// text they may no longer edit.
pub async fn request_fields(
    state: &AppState,
    ctx: &Ctx,
    round_id: &str,
) -> Result<Vec<(String, String)>, AppError> {
    let Some(user) = &ctx.user else {
        return Ok(Vec::new());
    };
    let mut conn = state.db.conn().await?;
    let round = easy_reviews::by_public_id(&mut conn, round_id).await?;
    drop(conn);
    let Some(round) = round.filter(|r| r.requested_by == Some(user.account.id)) else {
        return Ok(Vec::new());
    };
    let Some(subject) = Subject::from_code(&round.subject_kind) else {
        return Ok(Vec::new());
    };
    let text = match subject::editable(state, ctx, subject, &round.subject_slug).await {
        Ok(t) => t,
        Err(AppError::Forbidden | AppError::NotFound) => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let count = epop_domain::easy_review::sentences(&round.text).len();
    let day = (crate::french::paris_today() + chrono::Duration::days(14))
        .format("%d/%m/%Y")
        .to_string();
    let mut fields = vec![
        ("relecture", round.public_id.clone()),
        ("kind", InterventionKind::ExpertReview.code().to_owned()),
        (
            "subject",
            format!("Relire un texte en facile à lire : {}", round.title),
        ),
        (
            "description",
            format!(
                "Lire la version facile à lire de {} « {} » ({count} phrases) et dire, phrase par phrase, \
                 ce qui se comprend et ce qui ne se comprend pas. Le texte se lit dans l’espace de \
                 l’intervenant-pair (« Les textes à relire »), une fois la proposition acceptée.",
                subject.label(),
                round.title
            ),
        ),
        (
            "audience",
            "Les lecteurs de la version facile à lire".to_owned(),
        ),
        ("audience_size", "1".to_owned()),
        ("date_from", day),
        ("duration", "1 heure".to_owned()),
        ("mode", "a-distance".to_owned()),
    ];
    if let Some(d) = text.department {
        fields.push(("department", d));
    }
    Ok(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// Links a request just sent to the round it names (`relecture`), when the
/// round is the requester's own.
pub async fn attach_request(
    conn: &mut epop_store::Conn,
    requester: i64,
    round_id: &str,
    request_public_id: &str,
) -> epop_store::Result<()> {
    let Some(round) = easy_reviews::by_public_id(conn, round_id).await? else {
        return Ok(());
    };
    if round.requested_by != Some(requester) {
        return Ok(());
    }
    if let Some(r) = epop_store::requests::by_public_id(conn, request_public_id).await? {
        easy_reviews::attach(conn, round.id, r.id).await?;
    }
    Ok(())
}
