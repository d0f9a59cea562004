//! What the coordinator's page of a request shows of what the organisation
//! wrote (issue 12: nothing ticked is lost on the way).

use axum::http::StatusCode;

use crate::harness::{apps, awa_accepts, link_in, refs, request_fields};

#[tokio::test]
async fn a_step_free_place_without_a_description_is_still_shown() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let f = request_fields("demandeur@demo.epop.test");
        let sent = requester
            .post(
                "/demander-une-intervention",
                &refs(
                    &f,
                    &[
                        ("action", "envoyer"),
                        ("step_free", "oui"),
                        ("place_accessibility", ""),
                    ],
                ),
            )
            .await;
        assert_eq!(sent.location(), "/espace/demandes?message=demande-envoyee");
        let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord.get(&link_in(&body)).await;
        assert!(
            page.body
                .contains("<dt>Accessibilité du lieu</dt><dd>Accessible sans marche</dd>"),
            "{}",
            page.body
        );
    }
}

/// Sends the request form as the demo requester with `souhait` set, and
/// returns the coordinator's page of the request made.
async fn sent_with_wish(app: &crate::harness::App, wish: &str) -> String {
    let mut requester = app.signed_in("demandeur@demo.epop.test").await;
    let f = request_fields("demandeur@demo.epop.test");
    let sent = requester
        .post(
            "/demander-une-intervention",
            &refs(&f, &[("action", "envoyer"), ("souhait", wish)]),
        )
        .await;
    assert_eq!(sent.location(), "/espace/demandes?message=demande-envoyee");
    let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    coord.get(&link_in(&body)).await.body
}

#[tokio::test]
async fn a_visitor_asks_for_an_intervention_from_a_peers_profile() {
    for app in apps().await {
        let mut visitor = app.client();
        let profile = visitor.get("/annuaire/awa-diallo").await;
        let ask = "/demander-une-intervention?intervenant=awa-diallo";
        assert!(
            profile.body.contains(&format!("href=\"{ask}\"")),
            "{}",
            profile.body
        );
        assert!(
            profile
                .body
                .contains("Demander une intervention avec Awa Diallo")
        );
        let form = visitor.get(ask).await;
        assert!(
            form.body
                .contains("<input type=\"hidden\" name=\"souhait\" value=\"awa-diallo\">")
        );
        assert!(form.body.contains(
            "Intervenant-pair souhaité : <a href=\"/annuaire/awa-diallo\">Awa Diallo</a>"
        ));
        // The coordination reads the wish on the request's page.
        let page = sent_with_wish(&app, "awa-diallo").await;
        assert!(
            page.contains("<dt>Intervenant-pair souhaité</dt><dd><a href=\"/annuaire/awa-diallo\">Awa Diallo</a>"),
            "{page}"
        );
        // A hidden profile or a made-up name is not a wish: the
        // form does not show it and the request does not keep it.
        for slug in ["lucas-lefebvre", "personne-inventee"] {
            let form = visitor
                .get(&format!("/demander-une-intervention?intervenant={slug}"))
                .await;
            assert!(!form.body.contains("Intervenant-pair souhaité"), "{slug}");
            assert!(
                !sent_with_wish(&app, slug).await.contains("souhaité"),
                "{slug}"
            );
        }
        // Their own profile does not offer to ask themselves.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        assert!(!awa.get("/annuaire/awa-diallo").await.body.contains(ask));
    }
}

#[tokio::test]
async fn the_requesters_e_mails_link_to_their_request() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let f = request_fields("demandeur@demo.epop.test");
        requester
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        let path = link_in(&body);
        let id = path.trim_start_matches("/admin/demandes/");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let studied = coord.post(&format!("{path}/etudier"), &[]).await;
        // The coordinator is told what happened and what comes next.
        let page = coord.get(studied.location()).await;
        assert!(
            page.body
                .contains("Vous étudiez cette demande : le demandeur en est prévenu par e-mail."),
            "{}",
            page.body
        );
        let (subject, body) = app.last_mail("demandeur@demo.epop.test").await.unwrap();
        assert!(
            subject.contains("Sensibiliser l’équipe d’accueil"),
            "{subject}"
        );
        let link = format!("/espace/demandes/{id}");
        assert!(body.contains("Pour la lire : http"), "{body}");
        assert_eq!(link_in(&body), link, "{body}");
        // The link opens the request for its maker.
        let page = requester.get(&link).await;
        assert!(page.body.contains("Sensibiliser l’équipe d’accueil"));
    }
}

#[tokio::test]
async fn the_mission_sheet_names_the_hours_the_referent_and_keeps_its_signatures() {
    for app in apps().await {
        awa_accepts(&app).await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let chosen = coord
            .post(
                &format!("{path}/cadre"),
                &[
                    ("framework", "esat_placement"),
                    ("situation", "esat_worker"),
                    ("confirm", "oui"),
                ],
            )
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
        let sheet = format!("{path}/fiche-mission.pdf");
        let before = crate::trainings::pdf_text(&coord.get_bytes(&sheet).await);
        assert!(before.contains("Pas encore nommé"), "{before}");
        let scheduled = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        assert_eq!(
            scheduled.status,
            StatusCode::SEE_OTHER,
            "{}",
            scheduled.body
        );
        let referente = app.account("referente@demo.epop.test").await.id;
        coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &referente.to_string())],
            )
            .await;
        let text = crate::trainings::pdf_text(&coord.get_bytes(&sheet).await);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("lundi 15 mars 2027, de 9 h 30 à 12 h 30"),
            "{flat}"
        );
        assert!(flat.contains("Julie Ferrand"), "{flat}");
        assert!(flat.contains("Signatures En signant"), "{flat}");
    }
}

#[tokio::test]
async fn a_day_that_does_not_exist_and_a_missing_departement_are_named() {
    for app in apps().await {
        let mut visitor = app.client();
        let mut f = request_fields("jeanne.petit@exemple.fr");
        for (k, v) in f.iter_mut() {
            match *k {
                "date_from" => *v = "31/02/2027".into(),
                "department" => v.clear(),
                _ => {}
            }
        }
        let bad = visitor
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        bad.assert_field_error(
            "date_from",
            "Le 31/02/2027 n’existe pas : février 2027 a 28 jours.",
        );
        bad.assert_field_error("department", "Choisissez un département");
        assert!(!bad.body.contains("« » n’est pas"), "{}", bad.body);
    }
}

#[tokio::test]
async fn the_coordinators_page_opens_on_a_task_list() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        // The demo request is proposed to Awa, who has not answered yet.
        let page = coord.get("/admin/demandes/demo-demande-esat").await;
        let body = &page.body;
        assert!(
            body.contains("<h2 id=\"etapes\">Étapes de la demande</h2>"),
            "{body}"
        );
        assert!(
            body.contains("<a href=\"#suggestions\">Étudier la demande</a> : fait"),
            "{body}"
        );
        assert!(body.contains(
            "<a href=\"#accueil\">Nommer le référent de l’organisation</a> : <strong>à faire maintenant</strong>"
        ));
        // A step whose part of the page is not shown yet is not a link.
        assert!(
            body.contains("<li>Programmer l’intervention : à venir</li>"),
            "{body}"
        );
        // Every link of the list leads to a part of the page.
        for anchor in ["suggestions", "accueil", "cadre", "paiement"] {
            if body.contains(&format!("href=\"#{anchor}\"")) {
                assert!(body.contains(&format!("id=\"{anchor}\"")), "#{anchor}");
            }
        }
    }
}
