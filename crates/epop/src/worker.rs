//! The background worker inside `serve`: drains the outbox (retries with
//! backoff are recorded in the table), runs the events' scheduled work
//! every minute (reminders, expired seat offers), sends the questionnaires
//! due and their one reminder (`epop_web::questionnaire_sending`) and, every hour, purges
//! expired sessions, the outbox lines done more than 30 days ago and what the
//! register of personal data keeps no longer (`epop_store::privacy::purge`:
//! security log, rate-limit counters, request drafts never confirmed).

use std::time::Duration;

use epop_store::{Db, outbox, privacy, sessions};
use futures_util::StreamExt;
use tokio::sync::watch;

use crate::mailer::Mailer;

/// How many messages are being sent at once (SMTP round trips overlap).
pub const AT_ONCE: usize = 8;

/// How long a process holds the messages it claimed, by default (seconds).
pub const LEASE_SECS: i64 = 120;

/// Sends every message that is due; returns how many were sent.
pub async fn drain(db: &Db, mailer: &Mailer) -> Result<usize, epop_store::StoreError> {
    drain_until(db, mailer, LEASE_SECS, &|| false).await
}

/// Sends the messages due until `stopping()`: then it claims no new batch
/// (the one claimed is sent, so that none waits for its claim to expire).
/// Each batch is held `lease` seconds.
async fn drain_until(
    db: &Db,
    mailer: &Mailer,
    lease: i64,
    stopping: &(dyn Fn() -> bool + Sync),
) -> Result<usize, epop_store::StoreError> {
    let mut sent = 0;
    loop {
        if stopping() {
            return Ok(sent);
        }
        let batch = outbox::claim(db, 20, lease).await?;
        if batch.is_empty() {
            return Ok(sent);
        }
        // Sent a few at a time (the transport pools its connections, up to
        // ten), each result recorded as it comes.
        // (By index: a closure over `&Pending` would not be `Send` for
        // every lifetime, which `tokio::spawn` asks of the worker.)
        let batch = &batch;
        let mut results = futures_util::stream::iter(0..batch.len())
            .map(|i| async move { (i, mailer.send(&batch[i]).await) })
            .buffer_unordered(AT_ONCE);
        while let Some((i, result)) = results.next().await {
            let p = &batch[i];
            let mut conn = db.conn().await?;
            match result {
                Ok(()) => {
                    outbox::mark_sent(&mut conn, p).await?;
                    sent += 1;
                    tracing::info!(id = p.id, subject = ?p.message.subject, "e-mail sent");
                }
                Err(e) => {
                    tracing::warn!(id = p.id, attempts = p.attempts + 1, error = %e, "e-mail failed, will retry");
                    outbox::mark_failed(&mut conn, p, &e).await?;
                }
            }
        }
    }
}

/// The hourly purges: expired sessions and links, and the outbox lines
/// sent or given up more than 30 days before `now`; returns how many of
/// each were deleted.
pub async fn purge(db: &Db, now: i64) -> Result<(u64, u64), epop_store::StoreError> {
    let mut conn = db.conn().await?;
    let sessions = sessions::purge_expired(&mut conn).await?;
    let emails = outbox::purge(&mut conn, now).await?;
    Ok((sessions, emails))
}

/// Deletes what the register of personal data keeps no longer.
pub async fn purge_retention(db: &Db) {
    let purged = match db.write().await {
        Ok(mut tx) => match privacy::purge(&mut tx, epop_store::now()).await {
            Ok(n) => tx.commit().await.map(|()| n).map_err(Into::into),
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    match purged {
        Ok(n) => {
            for (table, rows) in n.into_iter().filter(|(_, rows)| *rows > 0) {
                tracing::info!(table, rows, "retention purge");
            }
        }
        Err(e) => tracing::error!(error = %e, "retention purge failed"),
    }
}

/// Runs until `stop` turns true; from then on it claims no more work.
/// E-mails taken from the outbox are held `lease` seconds.
pub async fn run(
    db: Db,
    mailer: Mailer,
    base_url: String,
    lease: i64,
    mut stop: watch::Receiver<bool>,
) {
    let mut ticks: u64 = 0;
    let stopping = stop.clone();
    let stopping = move || *stopping.borrow();
    loop {
        if stopping() {
            return;
        }
        if ticks.is_multiple_of(30) {
            match epop_web::jobs::run_due(&db, &base_url, epop_store::now()).await {
                Ok(n) if n > 0 => tracing::info!(
                    emails = n,
                    "scheduled work (reminders, seat offers, expired proposals)"
                ),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "scheduled work failed"),
            }
            match epop_web::questionnaire_sending::run_due(&db, &base_url, epop_store::now()).await
            {
                Ok(n) if n > 0 => tracing::info!(emails = n, "questionnaires and reminders"),
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "questionnaire sending failed"),
            }
        }
        if let Err(e) = drain_until(&db, &mailer, lease, &stopping).await {
            tracing::error!(error = %e, "outbox drain failed");
        }
        if ticks.is_multiple_of(1800) {
            match purge(&db, epop_store::now()).await {
                Ok((s, m)) if s + m > 0 => {
                    tracing::info!(
                        sessions = s,
                        emails = m,
                        "expired sessions and old e-mails purged"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "purge failed"),
            }
            purge_retention(&db).await;
        }
        ticks += 1;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = stop.changed() => return,
        }
    }
}
