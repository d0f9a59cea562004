//! Work that happens at a time rather than on a request, run by the worker
//! every minute: each feature contributes its due work (events: reminders,
//! expired seat offers, old registrations erased; requests: proposals left
//! unanswered past their deadline; news: this month's newsletter digests
//! built, and those being sent written to the outbox in batches), all in one transaction, so that each
//! e-mail is written with the change it tells about. Then the indicators'
//! summary takes the changes of the minute, so that a reading of the
//! indicators rarely has any left to recount.

use epop_store::{Db, Result};

/// Runs every feature's due work; returns how many e-mails were written.
pub async fn run_due(db: &Db, base_url: &str, now: i64) -> Result<usize> {
    let mut tx = db.write().await?;
    let mut written = crate::events::due(&mut tx, base_url, now).await?;
    written += crate::requests::expire_proposals(&mut tx, base_url, now).await?;
    written += crate::news::due(&mut tx, base_url, now).await?;
    tx.commit().await?;
    epop_store::indicators::summary::refresh(db).await?;
    Ok(written)
}
