//! An accepted intervention request until it is done: the schedule, the
//! attestation and both sides' feedback, the host's référent and readiness
//! checklist, the messages between the coordination and the requester.

use axum::http::StatusCode;
use epop_domain::{Email, Role};

use crate::harness::{apps, awa_accepts, link_in};

#[tokio::test]
async fn scheduled_done_with_an_attestation_then_both_sides_give_feedback() {
    for app in apps().await {
        // The demo request, proposed to Awa: she accepts.
        let (mut awa, link) = awa_accepts(&app).await;
        assert_eq!(
            awa.get(&format!("{link}/avis")).await.status,
            StatusCode::NOT_FOUND,
            "not before it is done"
        );
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let bad = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "12:00"),
                    ("end_time", "9:00"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body
                .contains("L’heure de fin doit venir après l’heure de début.")
        );
        let ok = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Intervention programmée"), "{subject}");
        assert!(
            body.contains("lundi 15 mars 2027, de 9 h 30 à 12 h 30"),
            "{body}"
        );
        let mut conn = app.db.conn().await.unwrap();
        let (name, ics): (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT attachment_name, attachment_body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind("demandeur@demo.epop.test")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        assert_eq!(name.as_deref(), Some("intervention.ics"));
        assert!(
            ics.unwrap().contains("DTSTART:20270315T083000Z"),
            "9:30 in Paris is 8:30 UTC in March"
        );
        crate::request_dates::as_if_it_took_place(&app).await;
        coord.post(&format!("{path}/realisee"), &[]).await;
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Merci ! Votre avis"), "{subject}");
        assert!(body.contains("attestation.pdf"));
        let pdf = awa.get_bytes(&format!("{link}/attestation.pdf")).await;
        let text = crate::trainings::pdf_text(&pdf);
        assert!(
            text.contains("Attestation d’intervention") && text.contains("Awa Diallo"),
            "{text}"
        );
        // Feedback: a missing answer is named; then both sides answer.
        awa.post(&format!("{link}/avis"), &[("ressenti", "5")])
            .await
            .assert_field_error("question-utile", "Répondez à cette question");
        let res = awa
            .post(
                &format!("{link}/avis"),
                &[
                    ("ressenti", "5"),
                    ("utile", "4"),
                    ("encore", "oui"),
                    ("commentaire", "Une équipe très à l’écoute."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        assert!(
            host.get("/espace/demandes")
                .await
                .body
                .contains("Donner votre avis")
        );
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(
            other
                .get("/espace/demandes/demo-demande-esat/avis")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        host.post(
            "/espace/demandes/demo-demande-esat/avis",
            &[("ressenti", "4"), ("utile", "5"), ("encore", "ne-sais-pas")],
        )
        .await;
        let page = coord.get(path).await;
        assert!(page.body.contains("Évaluée"), "both sides answered");
        assert!(page.body.contains("Une équipe très à l’écoute."));
        let res = coord.post(&format!("{path}/clore"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(coord.get(path).await.body.contains("Terminée"));
    }
}

#[tokio::test]
async fn the_hosts_referent_is_named_and_fills_the_readiness_checklist() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let referente = app.account("referente@demo.epop.test").await.id;
        // Someone outside the organisation cannot be chosen.
        let bad = coord
            .post(&format!("{path}/referent"), &[("referent", "999999")])
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &referente.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail("referente@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Vous accueillez un intervenant-pair"),
            "{subject}"
        );
        let link = link_in(&body);
        let mut host = app.signed_in("referente@demo.epop.test").await;
        assert!(
            host.get("/espace/accueil")
                .await
                .body
                .contains("préparation : 0 point prêt sur 4")
        );
        let res = host
            .post(
                &link,
                &[
                    ("ready", "team_told"),
                    ("ready", "place_accessible"),
                    ("notes", "Salle du rez-de-chaussée réservée."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = coord.get(path).await;
        assert!(
            page.body
                .contains("Prêt : L’équipe sait qu’un intervenant-pair vient"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Pas encore prêt : La fiche de mission est écrite")
        );
        assert!(page.body.contains("Salle du rez-de-chaussée réservée."));
        // Nobody else opens the checklist.
        let mut other = app.signed_in("demandeur@demo.epop.test").await;
        assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
        // Inviting a new référent creates an invited account with the role.
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[
                    ("referent", "nouveau"),
                    ("name", "Inès Morel"),
                    ("email", "ines.morel@exemple.fr"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut conn = app.db.conn().await.unwrap();
        let id = epop_store::accounts::id_by_email(
            &mut conn,
            &Email::parse("ines.morel@exemple.fr").unwrap(),
        )
        .await
        .unwrap();
        let a = epop_store::accounts::by_id(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        assert!(a.roles.contains_key(&Role::Referent));
        let subjects: Vec<String> =
            epop_store::outbox::recent(&mut conn, Some("ines.morel@exemple.fr"), 5)
                .await
                .unwrap()
                .into_iter()
                .map(|(e, _)| e.subject)
                .collect();
        assert!(
            subjects.iter().any(|s| s.contains("invitation")),
            "{subjects:?}"
        );
        assert!(
            subjects.iter().any(|s| s.starts_with("Vous accueillez")),
            "{subjects:?}"
        );
    }
}

#[tokio::test]
async fn the_coordination_and_the_requester_write_to_each_other_on_the_request() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let empty = coord
            .post(&format!("{path}/messages"), &[("message", " ")])
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        coord
            .post(
                &format!("{path}/messages"),
                &[("message", "Combien de moniteurs seront présents ?")],
            )
            .await;
        let (subject, body) = app.last_mail("demandeur@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Nouveau message sur la demande"),
            "{subject}"
        );
        assert!(body.contains("Combien de moniteurs seront présents ?"));
        let link = link_in(&body);
        assert_eq!(link, "/espace/demandes/demo-demande-esat");
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let page = requester.get(&link).await;
        assert!(page.body.contains("Combien de moniteurs seront présents ?"));
        assert!(page.body.contains("(coordination)"));
        requester
            .post(
                &format!("{link}/messages"),
                &[("message", "Huit, et la directrice.")],
            )
            .await;
        let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(body.contains("Huit, et la directrice."));
        assert!(
            coord
                .get(path)
                .await
                .body
                .contains("Huit, et la directrice.")
        );
        // Another organisation's member sees nothing.
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            other
                .post(&format!("{link}/messages"), &[("message", "x")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
