//! The events' work that happens at a time rather than on a request (run by
//! `crate::jobs`): reminders the day before, seat offers that expired (the
//! seat goes to the next person waiting), the offer to apply to the training
//! an information meeting presented, and the personal data of
//! registrations to events that ended more than a year ago is erased. Each
//! e-mail is written in the same transaction as the change it tells about.

use epop_domain::event::Status;
use epop_store::Conn as AnyConnection;
use epop_store::Result;
use epop_store::events::{self, Event, Registration};

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

/// This feature's share of the scheduled work, in the caller's transaction:
/// sends the reminders that are due, ends the expired seat offers (telling
/// who gets the seat), offers the application to the people of information
/// meetings that ended (`followup`) and erases the personal data of registrations to
/// events that ended more than a year ago; returns how many e-mails were
/// written.
pub async fn due(conn: &mut AnyConnection, base_url: &str, now: i64) -> Result<usize> {
    let mut written = 0;
    for done in events::expire_offers(&mut *conn, now).await? {
        let e = events::event_of(&mut *conn, &done.registration).await?;
        mails::send(
            &mut *conn,
            base_url,
            &e,
            &done.registration,
            Why::OfferExpired,
        )
        .await?;
        tell_promoted(&mut *conn, base_url, &e, &done.promoted).await?;
        written += 1 + done.promoted.len();
    }
    for (r, e) in events::take_due_reminders(&mut *conn, now).await? {
        mails::send(&mut *conn, base_url, &e, &r, Why::Reminder).await?;
        written += 1;
    }
    written += super::followup::send_due(&mut *conn, base_url, now).await?;
    events::anonymise_old(&mut *conn, now).await?;
    Ok(written)
}
