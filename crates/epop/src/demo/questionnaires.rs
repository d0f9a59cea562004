//! Two links to the intervention questionnaire about the demo ESAT's
//! request, with FIXED tokens so that the e2e crawl and a demonstration can
//! open them (demo data only: a real link's token is random):
//! - `/questionnaire/demo-questionnaire-accueil`: the host's personal link
//!   (one question per page, then « Vérifiez vos réponses »);
//! - `/questionnaire/demo-questionnaire-public`: the audience link the host
//!   passes on (all the questions on one page, many responses).
//!
//! Neither was e-mailed (`sent_at` stays empty), so the worker never sends
//! a reminder about them.

use epop_domain::questionnaire::Purpose;
use epop_store::{Db, StoreError, questionnaires, requests};
use epop_web::security::hash_token;

/// The host's personal link's token.
pub const HOST_TOKEN: &str = "demo-questionnaire-accueil";
/// The audience link's token.
pub const AUDIENCE_TOKEN: &str = "demo-questionnaire-public";

/// Writes the two invitations once; returns how many were created.
pub async fn invitations(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let Some(r) = requests::by_public_id(&mut tx, "demo-demande-esat")
        .await
        .map_err(err)?
    else {
        return Ok(0);
    };
    let q = questionnaires::current(&mut tx, Purpose::Intervention)
        .await
        .map_err(err)?
        .ok_or("le questionnaire après une intervention manque")?;
    let mut created = 0;
    for (token, respondent, email) in [
        (HOST_TOKEN, "host", Some("demandeur@demo.epop.test")),
        (AUDIENCE_TOKEN, "audience", None),
    ] {
        created += sqlx::query(
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, \
             respondent, email, department_code, intervention_kind, created_at, sent_at) \
             VALUES ($1, $2, 'intervention', $3, $4, $5, $6, $7, $8, NULL) ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(q.id)
        .bind(hash_token(token))
        .bind(r.id)
        .bind(respondent)
        .bind(email)
        .bind(&r.department_code)
        .bind(&r.kind)
        .bind(epop_store::now())
        .execute(&mut *tx)
        .await
        .map_err(|e| e.to_string())?
        .rows_affected() as usize;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(created)
}
