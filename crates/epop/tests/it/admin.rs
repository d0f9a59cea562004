use axum::http::StatusCode;
use epop_domain::{Email, Role};
use epop_store::{accounts, audit};

use crate::harness::{App, apps, link_in};

async fn audit_details(app: &App, action: &str) -> Vec<String> {
    let mut conn = app.db.conn().await.unwrap();
    let f = audit::Filter {
        action: action.into(),
        ..Default::default()
    };
    audit::search(&mut conn, &f, 100, 0)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|l| l.detail)
        .collect()
}

#[tokio::test]
async fn admin_invites_a_coordinator_for_haute_garonne_who_then_signs_in() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "lea.coord@exemple.fr"),
                    ("name", "Léa Moreau"),
                    ("roles", "coordinator"),
                    ("department", "31"),
                    ("territories", "31"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let detail = admin.get(page.location()).await;
        assert!(detail.body.contains("L’invitation est envoyée par e-mail."));
        assert!(detail.body.contains("Invitation envoyée"));
        let (subject, body) = app.last_mail("lea.coord@exemple.fr").await.unwrap();
        assert_eq!(subject, "Une invitation pour vous sur la plateforme EPoP");
        assert!(
            body.contains("Camille Martin vous a créé un compte")
                && body.contains("Coordinateur ou coordinatrice de territoire")
        );

        let mut lea = app.client();
        let path = link_in(&body);
        assert!(
            lea.get(&path)
                .await
                .body
                .contains("Continuer sans mot de passe")
        );
        let done = lea
            .post(
                &path,
                &[
                    ("password", "la garonne coule vite"),
                    ("confirmation", "la garonne coule vite"),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let space = lea.get("/espace").await;
        assert!(
            space.body.contains("Haute-Garonne"),
            "territory shown on the home space"
        );
        let accounts = lea.get("/admin/comptes").await;
        assert_eq!(accounts.status, StatusCode::OK);
        assert!(accounts.body.contains("Awa Diallo"), "peer of 31 visible");
        assert!(
            !accounts.body.contains("Thomas Roux"),
            "peer of Ariège not in Léa's territory"
        );
        assert!(
            !accounts.body.contains("Lucas Lefebvre"),
            "peer of the Somme not visible"
        );

        assert!(
            audit_details(&app, "account_invited")
                .await
                .iter()
                .any(|d| d.contains("lea.coord@exemple.fr"))
        );
        assert!(
            audit_details(&app, "role_granted")
                .await
                .iter()
                .any(|d| d.contains("Coordinateur"))
        );
        assert!(
            audit_details(&app, "territory_changed")
                .await
                .iter()
                .any(|d| d.contains("département 31"))
        );
    }
}

#[tokio::test]
async fn invitee_may_keep_using_links_instead_of_a_password() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "paul@exemple.fr"),
                    ("name", "Paul"),
                    ("roles", "peer"),
                    ("department", "65"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let (_, body) = app.last_mail("paul@exemple.fr").await.unwrap();
        let mut paul = app.client();
        let done = paul
            .post(&link_in(&body), &[("choix", "sans-mot-de-passe")])
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let space = paul.get("/espace").await;
        assert!(space.body.contains("Je n’ai pas de mot de passe"));
        assert!(space.body.contains("Vous êtes intervenant-pair"));
    }
}

#[tokio::test]
async fn coordinator_invites_only_in_their_territory_and_only_field_roles() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let form = coord.get("/admin/comptes/inviter").await;
        assert!(form.body.contains("value=\"peer\"") && !form.body.contains("value=\"admin\""));
        assert!(form.body.contains("31 – Haute-Garonne") && !form.body.contains("33 – Gironde"));
        coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "x@exemple.fr"),
                    ("name", "X"),
                    ("roles", "peer"),
                    ("department", "33"),
                ],
            )
            .await
            .assert_field_error("department", "seulement des personnes de votre territoire");
        coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "x@exemple.fr"),
                    ("name", "X"),
                    ("roles", "admin"),
                    ("department", "31"),
                ],
            )
            .await
            .assert_field_error("role-0", "Cochez au moins un rôle.");
        coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "pair@demo.epop.test"),
                    ("name", "X"),
                    ("roles", "peer"),
                    ("department", "31"),
                ],
            )
            .await
            .assert_field_error("email", "Un compte existe déjà");
        let empty = coord.post("/admin/comptes/inviter", &[]).await;
        empty.assert_field_error("email", "Saisissez votre adresse e-mail.");
        empty.assert_field_error("name", "Saisissez le nom à afficher.");
        empty.assert_field_error("department", "Choisissez le département");
        let long = "é".repeat(101);
        coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "y@exemple.fr"),
                    ("name", &long),
                    ("roles", "peer"),
                    ("department", "31"),
                ],
            )
            .await
            .assert_field_error("name", "100 caractères au plus");
        assert_eq!(
            app.mail_count("x@exemple.fr").await,
            0,
            "nothing half-written"
        );
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(&mut conn, &Email::parse("x@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn admin_changes_roles_and_territories_and_it_is_audited() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let pid = app.public_id("pair-herault@demo.epop.test").await;
        let path = format!("/admin/comptes/{pid}/roles");
        admin
            .post(&path, &[("roles", "peer"), ("roles", "coordinator")])
            .await
            .assert_field_error(
                "coordinator-territories",
                "Ce rôle a besoin d’un territoire",
            );
        let ok = admin
            .post(
                &path,
                &[
                    ("roles", "peer"),
                    ("roles", "coordinator"),
                    ("coordinator-territories", "34, 11"),
                    ("coordinator-regions", "32"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let mut conn = app.db.conn().await.unwrap();
        let id = accounts::id_by_email(
            &mut conn,
            &Email::parse("pair-herault@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        let p = accounts::principal(&mut conn, id).await.unwrap();
        assert!(p.has(Role::Coordinator) && p.has(Role::Peer));
        assert!(
            p.coordinates("34")
                && p.coordinates("11")
                && p.coordinates("59")
                && !p.coordinates("31")
        );
        drop(conn);
        assert!(
            audit_details(&app, "territory_changed")
                .await
                .iter()
                .any(|d| d.contains("région 32") && d.contains("département 34"))
        );
        let revoked = admin.post(&path, &[("roles", "peer")]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        assert!(
            audit_details(&app, "role_revoked")
                .await
                .iter()
                .any(|d| d.contains("Coordinateur"))
        );
        // An admin cannot remove their own admin role.
        let me = app.public_id("admin@demo.epop.test").await;
        admin
            .post(&format!("/admin/comptes/{me}/roles"), &[])
            .await
            .assert_field_error("role-0", "votre propre rôle d’administrateur");
    }
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions() {
    for app in apps().await {
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let pid = app.public_id("pair@demo.epop.test").await;
        let res = coord
            .post(
                &format!("/admin/comptes/{pid}"),
                &[
                    ("name", "Awa Diallo"),
                    ("status", "disabled"),
                    ("department", "31"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(peer.get("/espace").await.status, StatusCode::SEE_OTHER);
        assert_eq!(
            app.client()
                .sign_in("pair@demo.epop.test", crate::harness::PASSWORD)
                .await
                .status,
            StatusCode::BAD_REQUEST
        );
        assert!(
            audit_details(&app, "account_status_changed")
                .await
                .iter()
                .any(|d| d.contains("Désactivé"))
        );
    }
}

#[tokio::test]
async fn organisations_are_validated_created_and_edited() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let bad = admin
            .post(
                "/admin/organisations/nouvelle",
                &[
                    ("name", ""),
                    ("kind", ""),
                    ("siret", "775 672 272 00018"),
                    ("department", "99"),
                ],
            )
            .await;
        bad.assert_field_error("name", "Saisissez le nom de l’organisation.");
        bad.assert_field_error("kind", "Choisissez le type d’organisation.");
        bad.assert_field_error("siret", "mal recopié");
        bad.assert_field_error("department", "n’est pas un numéro de département");
        let ok = admin
            .post(
                "/admin/organisations/nouvelle",
                &[
                    ("name", "Entreprise Adaptée du Lauragais"),
                    ("kind", "company"),
                    ("siret", "775 672 272 00017"),
                    ("department", "31"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let list = admin.get("/admin/organisations").await;
        assert!(
            list.body.contains("Entreprise Adaptée du Lauragais")
                && list.body.contains("77567227200017")
        );
        let dup = admin
            .post(
                "/admin/organisations/nouvelle",
                &[
                    ("name", "Autre"),
                    ("kind", "company"),
                    ("siret", "77567227200017"),
                ],
            )
            .await;
        dup.assert_field_error("siret", "déjà ce numéro SIRET");
        let edit = admin
            .post(
                "/admin/organisations/entreprise-adaptee-du-lauragais",
                &[
                    ("name", "EA du Lauragais"),
                    ("kind", "company"),
                    ("siret", ""),
                    ("department", "11"),
                ],
            )
            .await;
        assert_eq!(edit.status, StatusCode::SEE_OTHER);
        let list = admin.get("/admin/organisations").await;
        assert!(list.body.contains("EA du Lauragais") && list.body.contains("Aude"));
        let html = admin
            .post(
                "/admin/organisations/nouvelle",
                &[
                    ("name", "<script>alert(1)</script>"),
                    ("kind", "association"),
                ],
            )
            .await;
        assert_eq!(html.status, StatusCode::SEE_OTHER);
        let list = admin.get("/admin/organisations").await;
        assert!(
            list.body.contains("script&#62;alert(1)") && !list.body.contains("<script>alert"),
            "escaped, never executed"
        );
    }
}

#[tokio::test]
async fn audit_log_filters_and_exports_csv_for_french_excel() {
    for app in apps().await {
        let mut bad = app.client();
        bad.sign_in("pair@demo.epop.test", "mauvais mot de passe")
            .await;
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin.get("/admin/journal?action=sign_in_failed").await;
        assert!(page.body.contains("1 événement."), "{}", page.body);
        assert!(
            page.body
                .contains("Échec de connexion par mot de passe pour pair@demo.epop.test")
        );
        let all = admin.get("/admin/journal").await;
        assert!(all.body.contains("Connexion (mot de passe)"));
        admin
            .get("/admin/journal?du=pas-une-date")
            .await
            .assert_field_error("du", "Saisissez une date");
        let csv = admin.get("/admin/journal.csv?action=sign_in_failed").await;
        assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
        assert!(csv.body.starts_with('\u{feff}'));
        let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("Date (heure de Paris);Personne;Action"));
        assert!(lines[1].contains(";Connexion refusée;"));
    }
}
