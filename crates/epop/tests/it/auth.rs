use axum::http::StatusCode;

use crate::harness::{App, PASSWORD, apps, link_in};

#[tokio::test]
async fn sign_in_with_password_then_out() {
    for app in apps().await {
        let mut c = app.client();
        let page = c.sign_in("Coordination@Demo.Epop.Test ", PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), "/espace?message=connecte");
        let space = c.get("/espace?message=connecte").await;
        assert_eq!(space.status, StatusCode::OK);
        assert!(space.body.contains("Votre session est ouverte."));
        assert!(space.body.contains("Sophie Delmas"));
        assert!(space.body.contains("Vous coordonnez un territoire"));
        assert!(space.body.contains("Occitanie"), "territory named");
        assert_eq!(app.audit_count("sign_in").await, 1);

        let out = c.post("/deconnexion", &[]).await;
        assert_eq!(out.status, StatusCode::SEE_OTHER);
        assert_eq!(
            c.get("/espace").await.status,
            StatusCode::SEE_OTHER,
            "signed out"
        );
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_address_get_the_same_answer() {
    for app in apps().await {
        let mut c = app.client();
        let wrong = c
            .sign_in("pair@demo.epop.test", "pas le bon mot de passe")
            .await;
        wrong.assert_field_error(
            "email",
            "L’adresse e-mail ou le mot de passe ne sont pas bons",
        );
        let unknown = c
            .sign_in("personne@nulle-part.fr", "pas le bon mot de passe")
            .await;
        unknown.assert_field_error(
            "email",
            "L’adresse e-mail ou le mot de passe ne sont pas bons",
        );
        let strip = |b: &str| {
            b.replace("pair@demo.epop.test", "X")
                .replace("personne@nulle-part.fr", "X")
        };
        assert_eq!(
            strip(&wrong.body),
            strip(&unknown.body),
            "no user enumeration"
        );
        assert_eq!(app.audit_count("sign_in_failed").await, 2);
    }
}

#[tokio::test]
async fn empty_and_malformed_sign_in_forms_name_each_field() {
    for app in apps().await {
        let mut c = app.client();
        let page = c.sign_in("", "").await;
        page.assert_field_error("email", "Saisissez votre adresse e-mail.");
        page.assert_field_error("password", "Saisissez votre mot de passe");
        let page = c.sign_in("pas-une-adresse", "x").await;
        page.assert_field_error("email", "prenom.nom@exemple.fr");
        assert!(
            page.body.contains("value=\"pas-une-adresse\""),
            "what was typed is kept"
        );
        let long = format!("{}@exemple.fr", "a".repeat(300));
        c.sign_in(&long, "x")
            .await
            .assert_field_error("email", "254 caractères");
    }
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_or_from_another_site_are_refused() {
    for app in apps().await {
        let mut c = app.client();
        let token = c.csrf().await;
        let body = format!("csrf={token}&email=pair%40demo.epop.test&password={PASSWORD}");
        let missing = c
            .post_raw(
                "/connexion",
                &format!("email=pair%40demo.epop.test&password={PASSWORD}"),
                &[],
            )
            .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("Le formulaire a expiré"));
        let forged = c
            .post_raw(
                "/connexion",
                &format!("csrf=forged{}&email=x", "a".repeat(40)),
                &[],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let cross = c
            .post_raw(
                "/connexion",
                &body,
                &[("origin", "https://evil.example"), ("host", "epop.test")],
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN);
        let fetch = c
            .post_raw("/connexion", &body, &[("sec-fetch-site", "cross-site")])
            .await;
        assert_eq!(fetch.status, StatusCode::FORBIDDEN);
        let same = c
            .post_raw(
                "/connexion",
                &body,
                &[
                    ("origin", "http://epop.test"),
                    ("sec-fetch-site", "same-origin"),
                ],
            )
            .await;
        assert_eq!(
            same.status,
            StatusCode::SEE_OTHER,
            "a real same-site form passes"
        );
    }
}

#[tokio::test]
async fn e_mailed_link_signs_in_once() {
    for app in apps().await {
        let mut c = app.client();
        let sent = c
            .post("/connexion/lien", &[("email", "pair@demo.epop.test")])
            .await;
        assert_eq!(sent.status, StatusCode::OK);
        assert!(sent.body.contains("Si un compte existe pour l’adresse"));
        let (subject, body) = app
            .last_mail("pair@demo.epop.test")
            .await
            .expect("link e-mail");
        assert_eq!(subject, "Votre lien pour vous connecter à EPoP");
        assert!(body.contains("Bonjour Awa Diallo") && body.contains("15 minutes"));
        let path = link_in(&body);
        assert!(path.starts_with("/connexion/lien/"));

        // Opening the link does not use it (mail scanners open links).
        let confirm = c.get(&path).await;
        assert!(confirm.body.contains("Me connecter"));
        assert!(c.get(&path).await.body.contains("Me connecter"));
        let used = c.post(&path, &[]).await;
        assert_eq!(used.status, StatusCode::SEE_OTHER);
        assert!(c.get("/espace").await.body.contains("Awa Diallo"));

        let mut other = app.client();
        let again = other.post(&path, &[]).await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.body.contains("Ce lien ne marche plus"), "single use");
        assert_eq!(other.get("/espace").await.status, StatusCode::SEE_OTHER);
    }
}

#[tokio::test]
async fn link_requests_for_unknown_addresses_look_the_same_and_send_nothing() {
    for app in apps().await {
        let mut c = app.client();
        let known = c
            .post("/connexion/lien", &[("email", "pair@demo.epop.test")])
            .await;
        let unknown = c
            .post("/connexion/lien", &[("email", "inconnu@exemple.fr")])
            .await;
        assert_eq!(known.status, unknown.status);
        assert_eq!(
            known.body.replace("pair@demo.epop.test", "X"),
            unknown.body.replace("inconnu@exemple.fr", "X")
        );
        assert_eq!(app.mail_count("inconnu@exemple.fr").await, 0);
        assert_eq!(app.mail_count("pair@demo.epop.test").await, 1);
        c.post("/connexion/lien", &[("email", "")])
            .await
            .assert_field_error("email", "Saisissez votre adresse e-mail.");
    }
}

#[tokio::test]
async fn password_reset_changes_the_password_and_ends_other_sessions() {
    for app in apps().await {
        let mut phone = app.signed_in("referente@demo.epop.test").await;
        let mut c = app.client();
        c.post(
            "/mot-de-passe-oublie",
            &[("email", "referente@demo.epop.test")],
        )
        .await;
        let (subject, body) = app.last_mail("referente@demo.epop.test").await.unwrap();
        assert_eq!(subject, "Choisir un nouveau mot de passe EPoP");
        let path = link_in(&body);
        assert!(c.get(&path).await.body.contains("Nouveau mot de passe"));
        c.post(&path, &[("password", "court"), ("confirmation", "court")])
            .await
            .assert_field_error("password", "au moins 10 caractères");
        c.post(
            &path,
            &[
                ("password", "une phrase assez longue"),
                ("confirmation", "une autre phrase"),
            ],
        )
        .await
        .assert_field_error("confirmation", "pas pareils");
        let done = c
            .post(
                &path,
                &[
                    ("password", "une phrase assez longue"),
                    ("confirmation", "une phrase assez longue"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert!(c.get("/espace").await.body.contains("Julie Ferrand"));
        assert_eq!(
            phone.get("/espace").await.status,
            StatusCode::SEE_OTHER,
            "the other session ended"
        );
        let mut d = app.client();
        assert_eq!(
            d.sign_in("referente@demo.epop.test", PASSWORD).await.status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            d.sign_in("referente@demo.epop.test", "une phrase assez longue")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert!(
            c.post(
                &path,
                &[
                    ("password", "encore une phrase"),
                    ("confirmation", "encore une phrase")
                ]
            )
            .await
            .body
            .contains("Ce lien ne marche plus")
        );
    }
}

#[tokio::test]
async fn sessions_live_in_the_database_and_work_across_server_processes() {
    for app in apps().await {
        let mut first = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(first.get("/espace").await.status, StatusCode::OK);
        // A second application instance on the same database.
        let second = App::new(app.db.clone());
        let mut c = second.client();
        c.jar = first.jar.clone();
        let page = c.get("/espace").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Hélène Garnier"));
    }
}

#[tokio::test]
async fn changing_ones_password_needs_the_current_one() {
    for app in apps().await {
        let mut c = app.signed_in("demandeur@demo.epop.test").await;
        c.post(
            "/espace/mot-de-passe",
            &[
                ("current", "faux"),
                ("password", "nouvelle phrase secrète"),
                ("confirmation", "nouvelle phrase secrète"),
            ],
        )
        .await
        .assert_field_error("current", "mot de passe actuel n’est pas bon");
        let ok = c
            .post(
                "/espace/mot-de-passe",
                &[
                    ("current", PASSWORD),
                    ("password", "nouvelle phrase secrète"),
                    ("confirmation", "nouvelle phrase secrète"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        assert_eq!(
            c.get("/espace").await.status,
            StatusCode::OK,
            "this session stays"
        );
        assert_eq!(
            app.client()
                .sign_in("demandeur@demo.epop.test", "nouvelle phrase secrète")
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
}
