//! A message written to the Haute-Garonne's coordination with « Écrire à la
//! coordination », so that the coordinator's inbox has a conversation.

use epop_store::contact::{self, Sender, Target};
use epop_store::{Db, StoreError};
use epop_web::security::{hash_token, random_token};

const PUBLIC_ID: &str = "demo-message-31";

/// Writes the demo message once; returns how many were created.
pub async fn conversation(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let to = contact::resolve(&mut tx, &Target::Department("31".into()))
        .await
        .map_err(err)?
        .ok_or("la Haute-Garonne manque")?;
    let exists = contact::inbox(&mut tx, to.recipients[0].account_id)
        .await
        .map_err(err)?
        .iter()
        .any(|l| l.conversation.public_id == PUBLIC_ID);
    if exists {
        return Ok(0);
    }
    let sender = Sender {
        name: "Chloé Bernard (démo)",
        email: "chloe.bernard@exemple.fr",
        phone: None,
    };
    let text = "Bonjour,\nJ’ai vu la réunion d’information en ligne. Je voudrais devenir intervenante-paire, mais je travaille en ESAT : est-ce possible ?\nMerci !";
    let token = hash_token(&random_token());
    contact::start(&mut tx, &to, &sender, text, PUBLIC_ID, &token)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(1)
}
