//! The demo's candidate: Inès Morel applied to become a peer worker in the
//! Haute-Garonne and confirmed her address (`candidat@demo.epop.test`).

use epop_domain::Email;
use epop_store::{Db, StoreError, accounts};
use epop_web::security::public_id;

/// The demo candidate's application to become a peer worker, sent and
/// confirmed, waiting for the Occitanie coordination.
pub async fn load(db: &Db) -> Result<usize, String> {
    use epop_store::candidates::{self, DraftAnswers};
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let email = Email::parse("candidat@demo.epop.test").map_err(|e| e.0)?;
    let account = accounts::id_by_email(&mut tx, &email).await.map_err(err)?;
    if !candidates::of_account(&mut tx, account)
        .await
        .map_err(err)?
        .is_empty()
    {
        return Ok(0);
    }
    let now = epop_store::now();
    let token = format!("demo-candidature-{}", public_id());
    candidates::create_draft(
        &mut tx,
        "demo-candidature",
        epop_domain::training::Audience::Peer,
        &token,
        now,
    )
    .await
    .map_err(err)?;
    let draft = candidates::draft(&mut tx, &token)
        .await
        .map_err(err)?
        .ok_or("demo candidate draft")?;
    let answers = DraftAnswers {
        name: "Inès Morel".into(),
        department: Some("31".into()),
        email: Some(email.as_str().into()),
        phone: None,
        actions: vec!["accompagner".into(), "sensibiliser".into()],
        needs: "Des documents faciles à lire.".into(),
    };
    candidates::save_draft(&mut tx, draft.id, &answers, now)
        .await
        .map_err(err)?;
    candidates::send(&mut tx, draft.id, Some(&format!("{token}-confirm")), now)
        .await
        .map_err(err)?;
    candidates::confirm(&mut tx, draft.id, account, now)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(1)
}
