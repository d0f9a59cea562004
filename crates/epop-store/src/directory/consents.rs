//! Consents: given by the person, recorded from a written form, withdrawn,
//! and the history on file.

use std::collections::BTreeMap;

use epop_domain::directory::ListingConsent;
use sqlx::AnyConnection;

use crate::{Result, now};

use super::purpose;

/// Records a consent the person gives themself, in their own space (a new
/// line each time, so the history stays: the previous line of the same
/// purpose is closed, nothing is hidden). Only the person's own pages call
/// it (and the demo data); a coordinator records a written consent with
/// [`record_written_consent`].
pub async fn give_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    purpose: &str,
    text_version: &str,
) -> Result<()> {
    close_consent(conn, account_id, purpose).await?;
    sqlx::query(
        "INSERT INTO consents (account_id, purpose, text_version, given_at, source, recorded_by) \
         VALUES ($1, $2, $3, $4, 'person', $1)",
    )
    .bind(account_id)
    .bind(purpose)
    .bind(text_version)
    .bind(now())
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(())
}

/// The `text_version` of a consent given on paper or by e-mail (the person
/// did not read the platform's text).
pub const WRITTEN_TEXT_VERSION: &str = "accord-ecrit";

/// A person's written consent to be listed in the directory, as a
/// coordinator or an admin records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenConsent {
    /// The day the person gave it, `YYYY-MM-DD`.
    pub given_on: String,
    /// How: « formulaire papier », « e-mail »…
    pub how: String,
    pub note: Option<String>,
    /// The coordinator or admin who records it.
    pub recorded_by: i64,
}

/// Records the person's written consent to be listed (closing the line
/// before it, like [`give_consent`]). The caller checked the permission and
/// writes the audit line in the same transaction.
pub async fn record_written_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    w: &WrittenConsent,
) -> Result<()> {
    close_consent(conn, account_id, purpose::LISTING).await?;
    sqlx::query(
        "INSERT INTO consents (account_id, purpose, text_version, given_at, source, recorded_by, \
         written_on, written_how, note) VALUES ($1, $2, $3, $4, 'written', $5, $6, $7, $8)",
    )
    .bind(account_id)
    .bind(purpose::LISTING)
    .bind(WRITTEN_TEXT_VERSION)
    .bind(now())
    .bind(w.recorded_by)
    .bind(&w.given_on)
    .bind(&w.how)
    .bind(w.note.clone())
    .execute(conn)
    .await?;
    crate::cache::written();
    Ok(())
}

/// Where the consent to be listed stands: the newest line of the purpose
/// decides (giving closes the lines before it, withdrawing closes all).
pub async fn listing_consent(conn: &mut AnyConnection, account_id: i64) -> Result<ListingConsent> {
    let row: Option<(String, Option<i64>)> = sqlx::query_as(
        "SELECT source, withdrawn_at FROM consents WHERE account_id = $1 AND purpose = $2 \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(purpose::LISTING)
    .fetch_optional(conn)
    .await?;
    Ok(match row {
        None => ListingConsent::NeverAsked,
        Some((_, Some(_))) => ListingConsent::Withdrawn,
        Some((source, None)) if source == "written" => ListingConsent::Written,
        Some(_) => ListingConsent::ByPerson,
    })
}

/// Who gave a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentSource {
    /// The person, in their own space.
    Person,
    /// A coordinator or an admin recorded the person's written consent.
    Written {
        /// `YYYY-MM-DD`.
        given_on: String,
        how: String,
        note: Option<String>,
    },
}

/// A standing consent, with who gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentLine {
    pub purpose: String,
    pub text_version: String,
    /// When the line was written.
    pub given_at: i64,
    pub source: ConsentSource,
    /// The name of the account that wrote the line (the person, or the
    /// coordinator who recorded a written consent); `None` once that
    /// account is gone.
    pub recorded_by: Option<String>,
}

/// The standing consents of an account, with who gave each, oldest first.
pub async fn consents_on_file(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<Vec<ConsentLine>> {
    let rows: Vec<(
        String,
        String,
        i64,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT c.purpose, c.text_version, c.given_at, c.source, c.written_on, c.written_how, c.note, \
         r.display_name FROM consents c LEFT JOIN accounts r ON r.id = c.recorded_by \
         WHERE c.account_id = $1 AND c.withdrawn_at IS NULL ORDER BY c.id",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(purpose, text_version, given_at, source, on, how, note, by)| ConsentLine {
                purpose,
                text_version,
                given_at,
                source: if source == "written" {
                    ConsentSource::Written {
                        given_on: on.unwrap_or_default(),
                        how: how.unwrap_or_default(),
                        note,
                    }
                } else {
                    ConsentSource::Person
                },
                recorded_by: by,
            },
        )
        .collect())
}

async fn close_consent(conn: &mut AnyConnection, account_id: i64, purpose: &str) -> Result<()> {
    sqlx::query(
        "UPDATE consents SET withdrawn_at = $1 WHERE account_id = $2 AND purpose = $3 AND withdrawn_at IS NULL",
    )
    .bind(now())
    .bind(account_id)
    .bind(purpose)
    .execute(conn)
    .await?;
    Ok(())
}

/// Withdraws a consent. Withdrawing the listing consent hides the profiles
/// at once; withdrawing the consent to share a sensitive answer
/// (accommodations, experience of disability) erases that answer.
pub async fn withdraw_consent(
    conn: &mut AnyConnection,
    account_id: i64,
    purpose: &str,
) -> Result<()> {
    close_consent(conn, account_id, purpose).await?;
    let change = match purpose {
        purpose::LISTING => {
            "UPDATE profiles SET visibility = 'hidden', updated_at = $1 WHERE account_id = $2"
        }
        purpose::ACCOMMODATIONS => {
            "UPDATE profiles SET accommodations = NULL, updated_at = $1 WHERE account_id = $2"
        }
        purpose::EXPERIENCE => {
            "UPDATE profiles SET disability_experience = NULL, updated_at = $1 WHERE account_id = $2"
        }
        _ => "",
    };
    if !change.is_empty() {
        sqlx::query(change)
            .bind(now())
            .bind(account_id)
            .execute(conn)
            .await?;
    }
    crate::cache::written();
    Ok(())
}

/// Active consents of an account: purpose → (text version, given at).
pub async fn active_consents(
    conn: &mut AnyConnection,
    account_id: i64,
) -> Result<BTreeMap<String, (String, i64)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT purpose, text_version, given_at FROM consents WHERE account_id = $1 AND withdrawn_at IS NULL",
    )
    .bind(account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(p, v, at)| (p, (v, at))).collect())
}
