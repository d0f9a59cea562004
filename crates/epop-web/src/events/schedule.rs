//! Work that happens at a time rather than on a request, run by the worker
//! every minute: reminders the day before, seat offers that expired (the
//! seat goes to the next person waiting), and proposals of intervention
//! requests left unanswered past their deadline; and the personal data of
//! registrations to events that ended more than a year ago is erased. Each e-mail is written in
//! the same transaction as the change it tells about.

use epop_domain::event::Status;
use epop_store::Conn as AnyConnection;
use epop_store::events::{self, Event, Registration};
use epop_store::{Db, Result};

use super::mails::{self, Why};

/// Tells the people who got (or were offered) a freed seat.
pub async fn tell_promoted(
    conn: &mut AnyConnection,
    base_url: &str,
    event: &Event,
    promoted: &[Registration],
) -> Result<()> {
    for p in promoted {
        let why = if p.status == Status::Offered {
            Why::SeatOffered
        } else {
            Why::SeatGiven
        };
        mails::send(conn, base_url, event, p, why).await?;
    }
    Ok(())
}

/// Sends the reminders that are due and ends the expired seat offers;
/// returns how many e-mails were written.
pub async fn run_due(db: &Db, base_url: &str, now: i64) -> Result<usize> {
    let mut tx = db.write().await?;
    let mut written = 0;
    for done in events::expire_offers(&mut tx, now).await? {
        let e = events::event_of(&mut tx, &done.registration).await?;
        mails::send(&mut tx, base_url, &e, &done.registration, Why::OfferExpired).await?;
        tell_promoted(&mut tx, base_url, &e, &done.promoted).await?;
        written += 1 + done.promoted.len();
    }
    for (r, e) in events::take_due_reminders(&mut tx, now).await? {
        mails::send(&mut tx, base_url, &e, &r, Why::Reminder).await?;
        written += 1;
    }
    written += crate::requests::expire_proposals(&mut tx, base_url, now).await?;
    events::anonymise_old(&mut tx, now).await?;
    tx.commit().await?;
    Ok(written)
}
