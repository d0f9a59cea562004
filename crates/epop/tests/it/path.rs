//! « Mon parcours »: a person sees their path in order (information
//! meeting, application, place in training, half-days, certificate,
//! milestones) and what comes next, with the late milestones; the
//! coordination of their territory sees the same path and who is late; the
//! coordination of another territory sees nothing; follow-up notes never
//! reach the person's page.

use axum::http::StatusCode;
use epop_domain::training::Milestone;
use epop_store::events::{self, Filter};
use epop_store::trainings;

use crate::harness::{App, apps};

const NADIA: &str = "pair-herault@demo.epop.test";

/// Nadia's demo application to the Occitanie session: (session slug,
/// application public id).
async fn nadia_application(app: &App) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    let nadia = app.account(NADIA).await;
    let a = trainings::applications_of(&mut conn, nadia.id)
        .await
        .unwrap()
        .pop()
        .expect("Nadia applied in the demo data");
    let s = trainings::session_of(&mut conn, &a).await.unwrap();
    (s.slug, a.public_id)
}

async fn information_meeting(app: &App) -> String {
    let mut conn = app.db.conn().await.unwrap();
    events::list(&mut conn, &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title.starts_with("Réunion d’information en ligne"))
        .unwrap()
        .slug
}

#[tokio::test]
async fn a_peer_follows_her_path_and_her_coordination_sees_what_is_late() {
    for app in apps().await {
        let (session, application) = nadia_application(&app).await;
        let mut nadia = app.signed_in(NADIA).await;

        // She registers to the information meeting with her address.
        let meeting = information_meeting(&app).await;
        let registered = nadia
            .post(
                &format!("/evenements/{meeting}/inscription"),
                &[
                    ("name", "Nadia Haddad"),
                    ("email", NADIA),
                    ("consent", "oui"),
                ],
            )
            .await;
        assert_eq!(
            registered.status,
            StatusCode::SEE_OTHER,
            "{}",
            registered.body
        );

        let page = nadia.get("/espace/mon-parcours").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Mon parcours");
        let body = &page.body;
        let meeting_at = body
            .find("Réunion d’information en ligne sur les intervenants-pairs (à venir)")
            .expect("the meeting is on her path");
        let applied_at = body
            .find("Formation des intervenants-pairs – Session Occitanie : Candidature reçue")
            .expect("her application is on her path");
        // In the order of their dates: applied today, the meeting later.
        assert!(applied_at < meeting_at, "{body}");
        assert!(body.contains("Votre candidature à une formation est en cours"));
        assert!(!body.contains("Les prochaines étapes de l’accompagnement"));

        // The coordination accepts her; she attended; the training ended
        // 200 days ago; she went to a practice-analysis group.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let res = coord
            .post(
                &format!("/admin/formations/{session}/candidatures/{application}"),
                &[("decision", "accepter")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = nadia.get("/espace/mon-parcours").await;
        assert!(page.body.contains("Place en formation"), "{}", page.body);

        // The session took place (its last half-day was 200 days ago).
        let last_day = {
            let mut conn = app.db.conn().await.unwrap();
            let s = trainings::session_by_slug(&mut conn, &session)
                .await
                .unwrap()
                .unwrap();
            s.ends_at()
        };
        let ended = epop_store::now() - 200 * 24 * 3600;
        crate::trainings::session_took_place(&app, &session, (last_day - ended) / (24 * 3600) + 1)
            .await;
        let group_on = chrono::DateTime::from_timestamp(ended + 60 * 24 * 3600, 0)
            .unwrap()
            .date_naive();
        {
            let mut conn = app.db.conn().await.unwrap();
            let a = trainings::application_by_public_id(&mut conn, &application)
                .await
                .unwrap()
                .unwrap();
            let s = trainings::session_of(&mut conn, &a).await.unwrap();
            let half_days: Vec<i64> = s.half_days.iter().map(|(id, _)| *id).collect();
            for h in &half_days[..3] {
                trainings::set_attendance(&mut conn, s.id, *h, &[a.id])
                    .await
                    .unwrap();
            }
            trainings::complete(&mut conn, a.id, "2026-01-01", ended)
                .await
                .unwrap()
                .expect("accepted, so completed");
        }
        let nadia_id = app.public_id(NADIA).await;
        let res = coord
            .post(
                &format!("/admin/accompagnement/{nadia_id}/etape"),
                &[
                    ("milestone", Milestone::PracticeGroup.code()),
                    ("reached_on", &group_on.format("%d/%m/%Y").to_string()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = coord
            .post(
                &format!("/admin/accompagnement/{nadia_id}/note"),
                &[("body", "Fatiguée en ce moment, à rappeler en janvier.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let page = nadia.get("/espace/mon-parcours").await;
        let body = &page.body;
        for expected in [
            "Demi-journées de formation suivies</strong> : 3 sur",
            "Formation terminée</strong> : Formation des intervenants-pairs – Session Occitanie : certificat de réalisation",
            &format!("href=\"/espace/formations/{application}/certificat.pdf\""),
            "Étape de l’accompagnement</strong> : Premier groupe d’analyse des pratiques",
            "1 étape est en retard.",
            "<strong>En retard :</strong> Première intervention, prévue avant le ",
            "Première co-animation d’une formation : avant le ",
        ] {
            assert!(
                body.contains(expected),
                "« {expected} » missing in:\n{body}"
            );
        }
        // Reached milestones are not « to come » any more.
        assert!(!body.contains("Premier groupe d’analyse des pratiques : avant le"));
        assert!(
            !body.contains("Fatiguée en ce moment"),
            "notes stay with the coordination"
        );

        // Her coordination: the same path, and she is among the late ones.
        let page = coord
            .get(&format!("/admin/accompagnement/{nadia_id}"))
            .await;
        assert!(
            page.body
                .contains("<h2 id=\"parcours-etapes\">Son parcours</h2>")
        );
        assert!(
            page.body
                .contains("<strong>En retard :</strong> Première intervention")
        );
        assert!(page.body.contains("Fatiguée en ce moment"));
        let late = coord.get("/admin/parcours").await;
        let section = late.body.split("<h2 id=\"a-jour\">").next().unwrap();
        assert!(
            section.contains(&format!(
                "href=\"/admin/accompagnement/{nadia_id}\">Nadia Haddad</a>"
            )) && section.contains("Première intervention, prévue avant le"),
            "{}",
            late.body
        );

        // Another territory's coordination sees nothing of her.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let late = hdf.get("/admin/parcours").await;
        assert_eq!(late.status, StatusCode::OK);
        assert!(!late.body.contains("Nadia"), "{}", late.body);
        let page = hdf.get(&format!("/admin/accompagnement/{nadia_id}")).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);

        // Nor does another peer, and a visitor is asked to sign in.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let page = awa.get("/espace/mon-parcours").await;
        assert!(!page.body.contains("Session Occitanie"), "{}", page.body);
        assert_eq!(
            awa.get("/admin/parcours").await.status,
            StatusCode::FORBIDDEN
        );
        let page = app.client().get("/espace/mon-parcours").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert!(page.location().starts_with("/connexion"));
    }
}
