//! The upload page: the same import as the command, for administrators.

use axum::http::StatusCode;
use epop_domain::Email;
use epop_store::accounts;

use crate::harness::{Client, Page, apps};

const FILE: &str = "nom;prénom;e-mail;rôle;départements;interventions;visibilité\n\
Moreau;Jeanne;jeanne.moreau@exemple.fr;intervenante-paire;31, 32;former;public\n\
Petit;Marc;marc.petit@exemple.fr;référent;Hérault;;membres\n";

async fn upload(c: &mut Client, file: &str, options: &[&str]) -> Page {
    let token = c.csrf().await;
    upload_with_token(c, file, options, &token).await
}

async fn upload_with_token(c: &mut Client, file: &str, options: &[&str], token: &str) -> Page {
    let fields: Vec<(&str, &str)> = options.iter().map(|o| (*o, "1")).collect();
    c.post_multipart(
        "/admin/annuaire/import",
        token,
        &fields,
        Some(("fichier", "annuaire.csv", file.as_bytes())),
    )
    .await
}

#[tokio::test]
async fn admins_import_a_spreadsheet_through_the_page() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let form = admin.get("/admin/annuaire/import").await;
        assert!(
            form.body.contains("enctype=\"multipart/form-data\"")
                && form.body.contains("id=\"essai\" checked")
        );
        let trial = upload(&mut admin, FILE, &["essai"]).await;
        assert_eq!(trial.status, StatusCode::OK, "{}", trial.body);
        assert!(
            trial.body.contains("Résultat de l’essai")
                && trial.body.contains("comptes à créer (invités) : 2")
        );
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(
                &mut conn,
                &Email::parse("jeanne.moreau@exemple.fr").unwrap()
            )
            .await
            .unwrap()
            .is_none(),
            "a trial writes nothing"
        );
        drop(conn);
        let done = upload(&mut admin, FILE, &[]).await;
        assert!(
            done.body.contains("Import terminé")
                && done.body.contains("comptes créés (invités) : 2"),
            "{}",
            done.body
        );
        assert!(
            done.body.contains(
                "ligne 2 : public demandé : visible des membres seulement jusqu’à l’accord de la personne"
            ),
            "the report says why Jeanne is not public: {}",
            done.body
        );
        assert!(
            !app.client()
                .get("/annuaire?q=jeanne")
                .await
                .body
                .contains("Jeanne Moreau"),
            "never public before Jeanne agrees"
        );
        assert!(
            app.signed_in("pair@demo.epop.test")
                .await
                .get("/annuaire?q=jeanne")
                .await
                .body
                .contains("Jeanne Moreau"),
            "members of the network find her"
        );
        let again = upload(&mut admin, FILE, &[]).await;
        assert!(
            again.body.contains("lignes inchangées : 2"),
            "re-importing changes nothing"
        );
        assert_eq!(
            app.mail_count("jeanne.moreau@exemple.fr").await,
            0,
            "no e-mail without the option"
        );
        upload(&mut admin, FILE, &["inviter"]).await;
        assert_eq!(
            app.mail_count("jeanne.moreau@exemple.fr").await,
            1,
            "invited with the option"
        );
        // Jeanne accepts the invitation: her space says she is listed
        // without her consent yet, and she decides.
        let (_, mail) = app.last_mail("jeanne.moreau@exemple.fr").await.unwrap();
        let mut jeanne = app.client();
        jeanne
            .post(
                &crate::harness::link_in(&mail),
                &[("choix", "sans-mot-de-passe")],
            )
            .await;
        let mine = jeanne.get("/espace/ma-fiche").await;
        assert!(
            mine.body
                .contains("La coordination a mis votre fiche dans l’annuaire : les membres du réseau peuvent la voir. Êtes-vous d’accord ?")
                && mine.body.contains("Vous n’avez donné aucun accord."),
            "{}",
            mine.body
        );
        jeanne
            .post(
                "/espace/ma-fiche/visibilite",
                &[("visibilite", "public"), ("accord", "oui")],
            )
            .await;
        assert!(
            app.client()
                .get("/annuaire?q=jeanne")
                .await
                .body
                .contains("Jeanne Moreau"),
            "public once she said yes"
        );
        assert!(
            jeanne
                .get("/espace/ma-fiche")
                .await
                .body
                .contains("Votre fiche est dans l’annuaire.")
        );
    }
}

#[tokio::test]
async fn a_file_with_problems_imports_nothing_and_says_where() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let bad = "nom;e-mail;rôle;départements\nMoreau;jeanne@exemple.fr;pair;99\nPetit;pas-une-adresse;pair;31\n";
        let page = upload(&mut admin, bad, &[]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        assert!(page.body.contains("Rien n’a été importé"));
        assert!(
            page.body.contains("ligne 2, colonne « départements »")
                && page.body.contains("ligne 3, colonne « e-mail »"),
            "{}",
            page.body
        );
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(&mut conn, &Email::parse("jeanne@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        let empty = upload(&mut admin, "", &[]).await;
        empty.assert_field_error("fichier", "Choisissez le fichier CSV");
        // Only administrators.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert_eq!(
            coord.get("/admin/annuaire/import").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            upload(&mut coord, FILE, &[]).await.status,
            StatusCode::FORBIDDEN
        );
        // A forged or missing token is refused before anything is read.
        let mut other = app.signed_in("admin@demo.epop.test").await;
        let forged = upload_with_token(&mut other, FILE, &[], &"x".repeat(43)).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert_eq!(
            upload_with_token(&mut other, FILE, &[], "").await.status,
            StatusCode::FORBIDDEN
        );
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(&mut conn, &Email::parse("marc.petit@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none()
        );
    }
}
