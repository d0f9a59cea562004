//! The demo information meeting presents the peer workers' training: its
//! page says so, and once it has ended the people who came are offered the
//! application.

use epop_domain::training::Audience;
use epop_store::events::{self, Filter};
use epop_store::{Db, StoreError, trainings};

/// The demo information meeting (see `demo::events`).
pub const MEETING: &str = "Réunion d’information en ligne sur les intervenants-pairs";

/// Ties the demo information meeting to the peer workers' programme, once;
/// returns how many meetings were tied.
pub async fn present_training(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let Some(programme) = trainings::programmes(&mut tx)
        .await
        .map_err(err)?
        .into_iter()
        .find(|p| p.audience == Audience::Peer)
    else {
        return Ok(0);
    };
    let meetings: Vec<i64> = events::list(&mut tx, &Filter::default())
        .await
        .map_err(err)?
        .into_iter()
        .filter(|e| e.title == MEETING && e.training_programme_id.is_none())
        .map(|e| e.id)
        .collect();
    for id in &meetings {
        events::set_programme(&mut tx, *id, Some(programme.id))
            .await
            .map_err(err)?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(meetings.len())
}
