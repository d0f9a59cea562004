//! Filling in a directory profile, one question per page.

use axum::http::StatusCode;

use crate::harness::{apps, link_in};

#[tokio::test]
async fn a_new_peer_fills_their_profile_page_by_page_and_nothing_is_lost() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "paul@exemple.fr"),
                    ("name", "Paul Martin"),
                    ("roles", "peer"),
                    ("department", "65"),
                ],
            )
            .await;
        let (_, mail) = app.last_mail("paul@exemple.fr").await.unwrap();
        let mut paul = app.client();
        paul.post(&link_in(&mail), &[("choix", "sans-mot-de-passe")])
            .await;

        let start = paul.get("/espace/ma-fiche").await;
        assert!(
            start.body.contains("Vous n’avez pas encore de fiche")
                && start.body.contains("href=\"/espace/ma-fiche/nom\"")
        );
        let q1 = paul.get("/espace/ma-fiche/nom").await;
        assert!(q1.body.contains("Question 1 sur 13") && q1.body.contains("value=\"Paul Martin\""));
        paul.post("/espace/ma-fiche/nom", &[("nom", "")])
            .await
            .assert_field_error("nom", "Saisissez le nom à afficher.");
        let next = paul
            .post("/espace/ma-fiche/nom", &[("nom", "Paul M.")])
            .await;
        assert_eq!(next.location(), "/espace/ma-fiche/photo");
        // Saved at once, hidden until he chooses.
        assert_eq!(
            app.client().get("/annuaire/paul-m").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            coord
                .get("/annuaire/paul-m")
                .await
                .body
                .contains("Fiche masquée"),
            "his coordinator sees the draft"
        );

        paul.post(
            "/espace/ma-fiche/presentation",
            &[(
                "presentation",
                "Je vis avec une sclérose en plaques et je forme les équipes RH.",
            )],
        )
        .await;
        paul.post("/espace/ma-fiche/interventions", &[])
            .await
            .assert_field_error("interventions-0", "Cochez au moins une case");
        assert_eq!(
            paul.post(
                "/espace/ma-fiche/interventions",
                &[
                    ("interventions", "former"),
                    ("interventions", "sensibiliser")
                ]
            )
            .await
            .location(),
            "/espace/ma-fiche/themes"
        );
        paul.post("/espace/ma-fiche/format", &[("km", "loin")])
            .await
            .assert_field_error("formats-0", "Cochez au moins une case");
        let bad_km = paul
            .post(
                "/espace/ma-fiche/format",
                &[("formats", "sur-place"), ("km", "loin")],
            )
            .await;
        bad_km.assert_field_error("km", "avec des chiffres");
        assert!(
            bad_km.body.contains("id=\"formats-0\" checked"),
            "what was ticked stays ticked"
        );
        paul.post(
            "/espace/ma-fiche/format",
            &[
                ("formats", "sur-place"),
                ("formats", "a-distance"),
                ("km", "40"),
            ],
        )
        .await;
        let bad_dept = paul
            .post(
                "/espace/ma-fiche/territoire",
                &[("departement", "65"), ("autres", "32, 99")],
            )
            .await;
        bad_dept.assert_field_error("autres", "Le département « 99 » n’existe pas");
        assert!(
            bad_dept.body.contains("value=\"32, 99\""),
            "what was typed stays"
        );
        paul.post(
            "/espace/ma-fiche/territoire",
            &[("departement", "65"), ("autres", "32, 31")],
        )
        .await;
        paul.post("/espace/ma-fiche/visibilite", &[("visibilite", "public")])
            .await
            .assert_field_error("accord", "cochez la case « J’accepte »");
        let done = paul
            .post(
                "/espace/ma-fiche/visibilite",
                &[("visibilite", "public"), ("accord", "oui")],
            )
            .await;
        assert_eq!(done.location(), "/espace/ma-fiche/amenagements");

        let public = app.client().get("/annuaire/paul-m").await;
        assert_eq!(public.status, StatusCode::OK);
        assert!(
            public.body.contains("sclérose en plaques")
                && public
                    .body
                    .contains("Hautes-Pyrénées (65), Haute-Garonne (31), Gers (32)")
        );
        assert!(
            app.client()
                .get("/annuaire?q=sclerose&departement=32")
                .await
                .body
                .contains("Paul M.")
        );
        let summary = paul.get("/espace/ma-fiche").await;
        assert!(
            summary.body.contains("Votre fiche est dans l’annuaire")
                && summary.body.contains("Former des professionnels")
        );
        assert_eq!(
            app.audit_count("profile_updated").await,
            1,
            "creation recorded"
        );
    }
}

#[tokio::test]
async fn sensitive_answers_need_their_own_consent_and_only_the_coordination_reads_them() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        awa.post(
            "/espace/ma-fiche/amenagements",
            &[("reponse", "Un siège avec accoudoirs.")],
        )
        .await
        .assert_field_error("accord", "Pour partager cette réponse");
        let ok = awa
            .post(
                "/espace/ma-fiche/amenagements",
                &[("reponse", "Un siège avec accoudoirs."), ("accord", "oui")],
            )
            .await;
        assert_eq!(ok.location(), "/espace/ma-fiche/experience");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert!(
            coord
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("Un siège avec accoudoirs.")
        );
        assert!(
            !app.signed_in("pair-herault@demo.epop.test")
                .await
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("accoudoirs")
        );
        // Withdrawing consent (unticking, emptying) hides it at once.
        awa.post("/espace/ma-fiche/experience", &[("reponse", "")])
            .await;
        let finished = awa
            .post("/espace/ma-fiche/experience", &[("reponse", "")])
            .await;
        assert_eq!(finished.location(), "/espace/ma-fiche?message=fiche");
        let page = coord.get("/annuaire/awa-diallo").await;
        assert!(
            !page.body.contains("Trouble bipolaire"),
            "experience withdrawn and emptied"
        );
    }
}

#[tokio::test]
async fn coordinators_edit_profiles_of_their_territory_but_not_sensitive_answers() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord
            .get("/admin/annuaire/awa-diallo/modifier/presentation")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("fiche d’Awa Diallo") && page.body.contains("Question 3 sur 11")
        );
        let saved = coord
            .post(
                "/admin/annuaire/awa-diallo/modifier/presentation",
                &[("presentation", "Texte relu avec Awa.")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            app.client()
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("Texte relu avec Awa.")
        );
        assert_eq!(app.audit_count("profile_updated").await, 1);
        assert_eq!(
            coord
                .get("/admin/annuaire/awa-diallo/modifier/amenagements")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get("/admin/annuaire/awa-diallo/modifier/presentation")
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hdf.post(
                "/admin/annuaire/awa-diallo/modifier/presentation",
                &[("presentation", "x")]
            )
            .await
            .status,
            StatusCode::FORBIDDEN
        );
        for who in ["financeur@demo.epop.test", "demandeur@demo.epop.test"] {
            let mut c = app.signed_in(who).await;
            assert_eq!(
                c.get("/espace/ma-fiche").await.status,
                StatusCode::FORBIDDEN,
                "{who} has no profile to fill"
            );
            assert_eq!(
                c.get("/admin/annuaire/awa-diallo/modifier/presentation")
                    .await
                    .status,
                StatusCode::FORBIDDEN
            );
        }
        assert_eq!(
            app.client().get("/espace/ma-fiche").await.status,
            StatusCode::SEE_OTHER
        );
    }
}

#[tokio::test]
async fn periods_away_are_added_checked_shown_and_removed() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let page = "/espace/ma-fiche/disponibilite";
        awa.post(page, &[("par_mois", "2"), ("absent_du", "01/07/2099")])
            .await
            .assert_field_error("absent_au", "la date de fin");
        awa.post(
            page,
            &[
                ("par_mois", "2"),
                ("absent_du", "15/08/2099"),
                ("absent_au", "01/07/2099"),
            ],
        )
        .await
        .assert_field_error("absent_au", "avant la date de début");
        awa.post(
            page,
            &[
                ("par_mois", "2"),
                ("absent_du", "01/01/2020"),
                ("absent_au", "02/01/2020"),
            ],
        )
        .await
        .assert_field_error("absent_au", "déjà passée");
        let saved = awa
            .post(
                page,
                &[
                    ("par_mois", "2"),
                    ("absent_du", "01/07/2099"),
                    ("absent_au", "2099-08-31"),
                ],
            )
            .await;
        assert_eq!(
            saved.location(),
            "/espace/ma-fiche/disponibilite?message=absences"
        );
        let again = awa.get(saved.location()).await;
        assert!(
            again.body.contains("Vos absences sont enregistrées")
                && again
                    .body
                    .contains("du mercredi 1er juillet 2099 au lundi 31 août 2099")
        );
        let public = app.client().get("/annuaire/awa-diallo").await;
        assert!(
            public.body.contains("Absences prévues")
                && public.body.contains("du 1er juillet 2099 au 31 août 2099")
        );
        assert!(public.body.contains("2 interventions par mois au plus"));
        let id = again
            .body
            .split("name=\"supprimer\" value=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        awa.post(page, &[("par_mois", "2"), ("supprimer", &id)])
            .await;
        assert!(
            !app.client()
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("Absences prévues")
        );
    }
}

/// The smallest valid PNG (1×1 pixel).
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

#[tokio::test]
async fn a_photo_needs_a_description_and_is_shown_only_with_the_profile() {
    for app in apps().await {
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        let token = thomas.csrf().await;
        let path = "/espace/ma-fiche/photo";
        let form = thomas.get(path).await;
        assert!(
            form.body.contains("enctype=\"multipart/form-data\"")
                && form.body.contains("Question 2 sur 13")
        );
        thomas
            .post_multipart(
                path,
                &token,
                &[("description", "")],
                Some(("photo", "moi.png", PNG)),
            )
            .await
            .assert_field_error("description", "Décrivez la photo");
        thomas
            .post_multipart(
                path,
                &token,
                &[("description", "Thomas")],
                Some(("photo", "moi.png", b"pas une image")),
            )
            .await
            .assert_field_error("photo", "n’est pas une photo");
        let big = vec![0xffu8; 3 * 1024 * 1024];
        assert_eq!(
            thomas
                .post_multipart(
                    path,
                    &token,
                    &[("description", "x")],
                    Some(("photo", "grand.jpg", &big))
                )
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        let ok = thomas
            .post_multipart(
                path,
                &token,
                &[("description", "Thomas sourit, devant la montagne")],
                Some(("photo", "moi.png", PNG)),
            )
            .await;
        assert_eq!(ok.location(), "/espace/ma-fiche/presentation");
        // Members-only profile: members see the photo, visitors get nothing.
        let mut member = app.signed_in("referente@demo.epop.test").await;
        let page = member.get("/annuaire/thomas-roux").await;
        assert!(page.body.contains(
            "src=\"/annuaire/thomas-roux/photo\" alt=\"Thomas sourit, devant la montagne\""
        ));
        let img = member.get("/annuaire/thomas-roux/photo").await;
        assert_eq!(img.headers["content-type"], "image/png");
        assert_eq!(
            app.client().get("/annuaire/thomas-roux/photo").await.status,
            StatusCode::NOT_FOUND
        );
        // Removing it.
        thomas
            .post_multipart(path, &token, &[("retirer", "oui")], None)
            .await;
        assert!(
            !member
                .get("/annuaire/thomas-roux")
                .await
                .body
                .contains("/photo")
        );
        assert_eq!(
            member.get("/annuaire/thomas-roux/photo").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// Where Awa's consent to be listed stands, as the store reads it.
async fn awa_listing(app: &crate::harness::App) -> epop_domain::directory::ListingConsent {
    let mut conn = app.db.conn().await.unwrap();
    let id = epop_store::accounts::id_by_email(
        &mut conn,
        &epop_domain::Email::parse("pair@demo.epop.test").unwrap(),
    )
    .await
    .unwrap();
    epop_store::directory::listing_consent(&mut conn, id)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_coordinator_never_consents_in_the_persons_name() {
    use epop_domain::directory::ListingConsent;
    for app in apps().await {
        // Awa withdraws her consent in her space: hidden at once.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let mine = awa.get("/espace/ma-fiche").await;
        assert!(
            mine.body.contains("Mes accords")
                && mine.body.contains("Vous avez donné cet accord le")
                && mine.body.contains("value=\"annuaire\""),
            "she sees who gave each consent, and when"
        );
        let gone = awa
            .post("/espace/ma-fiche/accords", &[("retirer", "annuaire")])
            .await;
        assert_eq!(gone.location(), "/espace/ma-fiche?message=accord-retire");
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.audit_count("consent_withdrawn").await, 1);

        // Her coordinator is told why, and offered only « masquée ».
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let step = "/admin/annuaire/awa-diallo/modifier/visibilite";
        let page = coord.get(step).await;
        assert!(
            page.body.contains("Awa Diallo a retiré son accord")
                && page
                    .body
                    .contains("href=\"/admin/annuaire/awa-diallo/accord-ecrit\"")
                && page.body.contains("value=\"hidden\"")
                && !page.body.contains("value=\"public\"")
                && !page.body.contains("name=\"accord\""),
            "{}",
            page.body
        );
        // The form of before, replayed: no consent, no public profile.
        let refused = coord
            .post(step, &[("visibilite", "public"), ("accord", "oui")])
            .await;
        refused.assert_field_error(
            "visibilite",
            "Vous ne pouvez pas rendre cette fiche plus visible",
        );
        assert_eq!(awa_listing(&app).await, ListingConsent::Withdrawn);
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND
        );
        assert!(
            !awa.get("/espace/ma-fiche")
                .await
                .body
                .contains("value=\"annuaire\""),
            "no consent appeared in her name"
        );
        // Nor for her sensitive answers: those pages are not theirs.
        for page in ["amenagements", "experience"] {
            let res = coord
                .post(
                    &format!("/admin/annuaire/awa-diallo/modifier/{page}"),
                    &[("reponse", "Écrit par la coordination"), ("accord", "oui")],
                )
                .await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{page}");
        }
    }
}

#[tokio::test]
async fn a_coordinator_may_lower_a_profile_never_raise_it() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let step = "/admin/annuaire/awa-diallo/modifier/visibilite";
        let page = coord.get(step).await;
        assert!(
            page.body.contains("C’est Awa Diallo qui a choisi")
                && page
                    .body
                    .contains("value=\"public\" id=\"visibilite\" checked")
        );
        let lowered = coord.post(step, &[("visibilite", "members")]).await;
        assert_eq!(lowered.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND,
            "members only now"
        );
        let page = coord.get(step).await;
        assert!(!page.body.contains("value=\"public\""));
        coord
            .post(step, &[("visibilite", "public"), ("accord", "oui")])
            .await
            .assert_field_error("visibilite", "c’est la personne qui donne son accord");
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND,
            "not raised back"
        );
        // Awa herself may.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        awa.post(
            "/espace/ma-fiche/visibilite",
            &[("visibilite", "public"), ("accord", "oui")],
        )
        .await;
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn a_written_consent_is_recorded_by_the_coordination_and_seen_by_the_person() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        awa.post("/espace/ma-fiche/accords", &[("retirer", "annuaire")])
            .await;
        let page = "/admin/annuaire/awa-diallo/accord-ecrit";
        for who in [
            "coordination-hdf@demo.epop.test",
            "pair@demo.epop.test",
            "referente@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            assert_eq!(c.get(page).await.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(
                c.post(
                    page,
                    &[("date", "01/06/2025"), ("moyen", "formulaire-papier")]
                )
                .await
                .status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
        }
        assert_eq!(app.audit_count("consent_recorded").await, 0);

        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert!(
            coord
                .get("/admin/annuaire")
                .await
                .body
                .contains("href=\"/admin/annuaire/awa-diallo/accord-ecrit\""),
            "linked from the territory's directory"
        );
        let form = coord.get(page).await;
        assert_eq!(form.h1(), "Accord écrit d’Awa Diallo");
        assert!(form.body.contains("La personne a retiré son accord"));
        let bad = coord.post(page, &[("date", "01/01/2099")]).await;
        bad.assert_field_error("date", "ne peut pas être dans le futur");
        bad.assert_field_error("moyen", "Choisissez comment");
        coord
            .post(page, &[("date", "32/13/2025"), ("moyen", "autre")])
            .await
            .assert_field_error("moyen_autre", "Écrivez comment");
        assert_eq!(app.audit_count("consent_recorded").await, 0);

        let saved = coord
            .post(
                page,
                &[
                    ("date", "01/06/2025"),
                    ("moyen", "formulaire-papier"),
                    ("note", "Rangé dans le classeur des accords."),
                ],
            )
            .await;
        assert_eq!(
            saved.location(),
            "/admin/annuaire/awa-diallo/modifier/visibilite?message=accord-ecrit"
        );
        assert_eq!(app.audit_count("consent_recorded").await, 1);
        let step = coord.get(saved.location()).await;
        assert!(
            step.body.contains("L’accord écrit est enregistré")
                && step.body.contains("value=\"public\"")
        );
        coord
            .post(
                "/admin/annuaire/awa-diallo/modifier/visibilite",
                &[("visibilite", "public")],
            )
            .await;
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::OK,
            "public after her written consent"
        );

        let mine = awa.get("/espace/ma-fiche").await;
        assert!(
            mine.body.contains(
                "Vous avez donné cet accord par écrit le dimanche 1er juin 2025 (formulaire papier). Sophie Delmas l’a enregistré le"
            ),
            "{}",
            mine.body
        );
        awa.post("/espace/ma-fiche/accords", &[("retirer", "annuaire")])
            .await;
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND,
            "withdrawn: hidden at once"
        );
    }
}

/// The stored sensitive answers of an account (as written, whatever the
/// consents): (accommodations, experience of disability).
async fn stored_answers(
    app: &crate::harness::App,
    email: &str,
) -> (Option<String>, Option<String>) {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_as(
        "SELECT p.accommodations, p.disability_experience FROM profiles p \
         JOIN accounts a ON a.id = p.account_id WHERE a.email = $1",
    )
    .bind(email)
    .fetch_one(&mut *conn)
    .await
    .unwrap()
}

/// Withdrawing the consent to share a sensitive answer erases the answer,
/// as the privacy page promises, from « Mes accords » and from the form's
/// own step alike.
#[tokio::test]
async fn withdrawing_a_sensitive_consent_erases_the_answer() {
    for app in apps().await {
        let email = "pair@demo.epop.test";
        let (needs, experience) = stored_answers(&app, email).await;
        assert!(needs.is_some() && experience.is_some(), "demo answers");
        let mut awa = app.signed_in(email).await;
        let mine = awa.get("/espace/ma-fiche").await;
        assert!(
            mine.body
                .contains("votre réponse est effacée tout de suite")
        );
        let gone = awa
            .post("/espace/ma-fiche/accords", &[("retirer", "amenagements")])
            .await;
        assert_eq!(gone.location(), "/espace/ma-fiche?message=accord-retire");
        assert_eq!(
            stored_answers(&app, email).await,
            (None, experience.clone()),
            "the accommodations are erased, the other answer stays"
        );
        // Its step shows nothing of it any more.
        let step = awa.get("/espace/ma-fiche/amenagements").await;
        assert!(!step.body.contains(needs.as_deref().unwrap()));
        // The form's step: consent unticked, answer emptied.
        awa.post("/espace/ma-fiche/experience", &[("reponse", "")])
            .await;
        assert_eq!(stored_answers(&app, email).await, (None, None));
    }
}

#[tokio::test]
async fn the_summary_names_departements_and_languages_never_their_codes() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let page = awa.get("/espace/ma-fiche").await;
        assert!(
            page.body.contains("Haute-Garonne (31)") && !page.body.contains(">31, "),
            "the département is named"
        );
        assert!(
            page.body.contains("Français") && !page.body.contains(">fr<"),
            "the language is named"
        );
    }
}
