//! Sessions and single-use tokens (sign-in links, password resets,
//! invitations). Only hashes are stored: a stolen database opens no session.

use sqlx::AnyConnection;

use crate::{Result, now};

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    SignInLink,
    PasswordReset,
    Invitation,
}

impl Purpose {
    fn code(self) -> &'static str {
        match self {
            Purpose::SignInLink => "sign_in_link",
            Purpose::PasswordReset => "password_reset",
            Purpose::Invitation => "invitation",
        }
    }
}

pub async fn create(
    conn: &mut AnyConnection,
    id_hash: &str,
    account_id: i64,
    ttl_secs: i64,
) -> Result<()> {
    let t = now();
    sqlx::query("INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(id_hash)
        .bind(account_id)
        .bind(t)
        .bind(t + ttl_secs)
        .execute(conn)
        .await?;
    Ok(())
}

/// The account of a live session, if the session exists, has not expired and
/// its account is not disabled.
pub async fn account_of(conn: &mut AnyConnection, id_hash: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT s.account_id FROM sessions s JOIN accounts a ON a.id = s.account_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.status <> 'disabled'",
    )
    .bind(id_hash)
    .bind(now())
    .fetch_optional(conn)
    .await?)
}

pub async fn delete(conn: &mut AnyConnection, id_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of an account (after a password change or a disabling).
pub async fn delete_all_of(conn: &mut AnyConnection, account_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1")
        .bind(account_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Removes expired sessions and tokens; returns how many rows went.
pub async fn purge_expired(conn: &mut AnyConnection) -> Result<u64> {
    let t = now();
    let a = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(t)
        .execute(&mut *conn)
        .await?;
    let b = sqlx::query("DELETE FROM auth_tokens WHERE expires_at <= $1")
        .bind(t - 86_400)
        .execute(conn)
        .await?;
    Ok(a.rows_affected() + b.rows_affected())
}

pub async fn create_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    account_id: i64,
    purpose: Purpose,
    ttl_secs: i64,
) -> Result<()> {
    let t = now();
    sqlx::query(
        "INSERT INTO auth_tokens (token_hash, account_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(purpose.code())
    .bind(t)
    .bind(t + ttl_secs)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account a token would open, without using it (to show a form first).
pub async fn peek_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: Purpose,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT account_id FROM auth_tokens WHERE token_hash = $1 AND purpose = $2 \
         AND used_at IS NULL AND expires_at > $3",
    )
    .bind(token_hash)
    .bind(purpose.code())
    .bind(now())
    .fetch_optional(conn)
    .await?)
}

/// Uses a token: one atomic update, so that two simultaneous uses cannot
/// both succeed. Returns the account it opens.
pub async fn consume_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: Purpose,
) -> Result<Option<i64>> {
    let t = now();
    Ok(sqlx::query_scalar(
        "UPDATE auth_tokens SET used_at = $1 WHERE token_hash = $2 AND purpose = $3 \
         AND used_at IS NULL AND expires_at > $1 RETURNING account_id",
    )
    .bind(t)
    .bind(token_hash)
    .bind(purpose.code())
    .fetch_optional(conn)
    .await?)
}

/// Uses up every outstanding token of an account for a purpose (a new
/// password makes older reset links useless). Returns how many.
pub async fn use_up_tokens(
    conn: &mut AnyConnection,
    account_id: i64,
    purpose: Purpose,
) -> Result<u64> {
    Ok(sqlx::query(
        "UPDATE auth_tokens SET used_at = $1 WHERE account_id = $2 AND purpose = $3 \
         AND used_at IS NULL",
    )
    .bind(now())
    .bind(account_id)
    .bind(purpose.code())
    .execute(conn)
    .await?
    .rows_affected())
}
