//! The life cycle refuses what cannot be true: an intervention is noted as
//! done only once it is over (and its attestation exists only then); a
//! schedule starts in the future and ends after it starts.

use axum::http::StatusCode;

use crate::harness::{App, apps, awa_accepts};

const PATH: &str = "/admin/demandes/demo-demande-esat";

/// Moves the demo request's schedule to yesterday, as if the days had
/// passed (the clock cannot be moved; the store can).
pub async fn as_if_it_took_place(app: &App) {
    let end = epop_store::now() - 24 * 3600;
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query(
        "UPDATE intervention_requests SET scheduled_start = $1, scheduled_end = $2 WHERE public_id = $3",
    )
    .bind(end - 3 * 3600)
    .bind(end)
    .bind("demo-demande-esat")
    .execute(&mut *conn)
    .await
    .unwrap();
}

#[tokio::test]
async fn an_intervention_is_done_only_after_its_scheduled_end() {
    for app in apps().await {
        let (mut awa, link) = awa_accepts(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let res = coord
            .post(
                &format!("{PATH}/programmer"),
                &[
                    ("date", "09/03/2027"),
                    ("start_time", "9:00"),
                    ("end_time", "12:00"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let early = coord.post(&format!("{PATH}/realisee"), &[]).await;
        assert_ne!(
            early.status,
            StatusCode::SEE_OTHER,
            "refused before the end"
        );
        assert!(
            early
                .body
                .contains("Vous pourrez le noter après la fin prévue : mardi 9 mars 2027 à 12 h"),
            "{}",
            early.body
        );
        assert!(!coord.get(PATH).await.body.contains("Réalisée"));
        let pdf = awa.get(&format!("{link}/attestation.pdf")).await;
        assert_ne!(pdf.status, StatusCode::OK, "no attestation before");
        as_if_it_took_place(&app).await;
        let done = coord.post(&format!("{PATH}/realisee"), &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert!(coord.get(PATH).await.body.contains("Réalisée"));
        let pdf = awa.get_bytes(&format!("{link}/attestation.pdf")).await;
        let text = crate::trainings::pdf_text(&pdf);
        assert!(text.contains("Attestation d’intervention"), "{text}");
    }
}

#[tokio::test]
async fn a_schedule_in_the_past_or_ending_before_it_starts_is_refused_on_its_field() {
    for app in apps().await {
        awa_accepts(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let past = coord
            .post(
                &format!("{PATH}/programmer"),
                &[
                    ("date", "02/03/2021"),
                    ("start_time", "9:15"),
                    ("end_time", "11:45"),
                ],
            )
            .await;
        past.assert_field_error("date", "L’intervention ne peut pas commencer dans le passé");
        for kept in ["02/03/2021", "9:15", "11:45"] {
            assert!(past.body.contains(&format!("value=\"{kept}\"")), "{kept}");
        }
        let reversed = coord
            .post(
                &format!("{PATH}/programmer"),
                &[
                    ("date", "09/03/2027"),
                    ("start_time", "12:00"),
                    ("end_time", "12:00"),
                ],
            )
            .await;
        reversed.assert_field_error(
            "end_time",
            "L’heure de fin doit venir après l’heure de début.",
        );
        assert!(reversed.body.contains("value=\"09/03/2027\""));
        assert!(
            !coord.get(PATH).await.body.contains("2 mars 2021"),
            "not kept"
        );
    }
}

#[tokio::test]
async fn a_failed_proposal_keeps_what_was_typed_and_names_its_field() {
    for app in apps().await {
        let id = crate::requests_proposals::submitted(&app, true).await;
        let path = format!("/admin/demandes/{id}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord.post(&format!("{path}/etudier"), &[]).await;
        let none = coord
            .post(&format!("{path}/proposer"), &[("deadline", "24/12/2099")])
            .await;
        none.assert_field_error("peers", "Cochez au moins un intervenant-pair");
        assert!(none.body.contains("value=\"24/12/2099\""), "deadline kept");
        let page = coord.get(&path).await;
        let first = page
            .body
            .split("name=\"peer\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let past = coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", &first), ("deadline", "02/03/2021")],
            )
            .await;
        past.assert_field_error("deadline", "date limite de réponse à venir");
        assert!(past.body.contains("value=\"02/03/2021\""), "deadline kept");
        assert!(
            past.body.contains(&format!(
                "name=\"peer\" value=\"{first}\" id=\"peer-{first}\" checked"
            )),
            "ticked kept"
        );
    }
}

#[tokio::test]
async fn a_failed_cancellation_names_the_reason_field_and_keeps_it() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let long = "La salle est fermée. ".repeat(200);
        let res = coord
            .post(&format!("{PATH}/annuler"), &[("reason", &long)])
            .await;
        res.assert_field_error("reason", "raison de l’annulation");
        assert!(res.body.contains(long.trim()), "reason kept");
    }
}
