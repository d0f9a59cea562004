//! Joining the network: `/devenir-intervenant-pair` and `/devenir-referent`
//! (what it is, the next information meetings and training sessions of a
//! département), applying without an account one question per page (a
//! draft kept server-side, found by the random token of its URL), the
//! e-mailed confirmation that creates the candidate's account, the
//! candidate's own page, and the coordinators' `/admin/candidats`.

mod about;
mod apply;
mod confirm;
mod mails;
mod manage;

use axum::Router;
use epop_store::territories::{self, Department};
use epop_store::{Conn, Result as StoreResult, candidates, outbox};

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(about::router())
        .merge(apply::router())
        .merge(confirm::router())
        .merge(manage::router())
}

/// The départements people choose from, and their codes.
async fn departments(conn: &mut Conn) -> StoreResult<(Vec<Department>, Vec<String>)> {
    let list = territories::departments(conn).await?;
    let codes = list.iter().map(|d| d.code.clone()).collect();
    Ok((list, codes))
}

/// Tells the coordinators of the application's département that it
/// arrived (the administrators when nobody coordinates it).
async fn tell_coordination(
    conn: &mut Conn,
    base: &str,
    a: &candidates::Application,
) -> StoreResult<()> {
    for (name, email) in candidates::coordination_of(conn, a.department_code.as_deref()).await? {
        outbox::enqueue(conn, &mails::new_candidate(&email, base, &name, a)).await?;
    }
    Ok(())
}
