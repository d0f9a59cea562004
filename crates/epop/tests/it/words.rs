//! Issue 12, « Words »: what the pages say is true (no stale announcement,
//! figures counted from the data), reads as French, and administration
//! pages speak in words rather than codes.

use axum::http::StatusCode;

use crate::harness::apps;

/// The links of the role cards on « Mon espace ».
fn card_links(body: &str) -> Vec<String> {
    let start = body.find("<div class=\"cards\">").expect("the cards");
    let end = start + body[start..].find("</div>").unwrap();
    body[start..end]
        .split("href=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

#[tokio::test]
async fn spaces_announce_nothing_stale_and_every_card_link_opens() {
    for app in apps().await {
        for email in [
            "admin@demo.epop.test",
            "coordination@demo.epop.test",
            "referente@demo.epop.test",
            "pair@demo.epop.test",
            "demandeur@demo.epop.test",
            "financeur@demo.epop.test",
        ] {
            let mut c = app.signed_in(email).await;
            let space = c.get("/espace").await;
            assert_eq!(space.status, StatusCode::OK);
            assert!(
                !space.body.contains("Bientôt"),
                "{email}: a stale announcement in\n{}",
                space.body
            );
            let links = card_links(&space.body);
            assert!(!links.is_empty(), "{email}: a card without a link");
            for link in links {
                let page = c.get(&link).await;
                assert_eq!(page.status, StatusCode::OK, "{email}: {link}");
            }
        }
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let space = admin.get("/espace").await;
        assert!(card_links(&space.body).contains(&"/admin/cadres".to_owned()));
        let mut coordinator = app.signed_in("coordination@demo.epop.test").await;
        let space = coordinator.get("/espace").await;
        assert!(
            space.body.contains("proposer des intervenants-pairs"),
            "{}",
            space.body
        );
    }
}

/// The number in a directory page's title (« Annuaire : 17 résultats »).
fn directory_total(title: &str) -> usize {
    let after = &title[title.find("Annuaire : ").expect(title) + "Annuaire : ".len()..];
    after
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .expect(title)
}

#[tokio::test]
async fn home_figures_are_counted_from_the_data_and_the_project_figures_are_theirs() {
    for app in apps().await {
        let mut c = app.client();
        let peers = directory_total(c.get("/annuaire?profil=peer").await.title());
        let referents = directory_total(c.get("/annuaire?profil=referent").await.title());
        assert!(peers > 1 && referents > 0);
        for path in ["/", "/?version=facile"] {
            let home = c.get(path).await;
            assert!(
                home.body
                    .contains(&format!(">{peers} intervenants-pairs</a>")),
                "{path}: the directory's count of peer workers ({peers}) in\n{}",
                home.body
            );
            assert!(
                home.body.contains("href=\"/annuaire?profil=peer\"")
                    && home.body.contains("href=\"/annuaire?profil=referent\""),
                "{path}"
            );
            let referents_text = if referents == 1 {
                "1 référent".to_owned()
            } else {
                format!("{referents} référents")
            };
            assert!(
                home.body.contains(&format!(">{referents_text}</a>")),
                "{path}"
            );
            assert!(
                home.body.contains("selon le projet"),
                "{path}: the project's figures are shown as theirs"
            );
            assert!(
                !home
                    .body
                    .contains("70 intervenants-pairs</strong> sont dans l’annuaire")
                    && !home
                        .body
                        .contains("70 intervenants-pairs</strong> dans l’annuaire"),
                "{path}: 70 is not the directory's figure"
            );
        }
    }
}

/// A date about three months ahead on the first day of its month, as the
/// event form takes it.
fn first_of_a_month() -> String {
    use chrono::Datelike;
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(75);
    let first = d.with_day(1).unwrap();
    first.format("%d/%m/%Y").to_string()
}

#[tokio::test]
async fn french_reads_well_plurals_elision_and_first_of_the_month() {
    for app in apps().await {
        // « Ce qu’Awa Diallo propose », not « Ce que Awa Diallo ».
        let mut anon = app.client();
        let profile = anon.get("/annuaire/awa-diallo").await;
        assert_eq!(profile.status, StatusCode::OK);
        assert!(
            profile.body.contains("Ce qu’Awa Diallo propose"),
            "{}",
            profile.body
        );
        assert!(!profile.body.contains("Ce que Awa"));

        // Real plurals on the administration pages.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        for path in [
            "/admin/organisations",
            "/admin/comptes",
            "/admin/themes",
            "/admin/journal",
        ] {
            let page = admin.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                !page.body.contains("(s)"),
                "{path}: « (s) » in\n{}",
                page.body
            );
        }
        let journal = admin.get("/admin/journal").await;
        assert!(
            journal.body.contains(" événement. Page 1")
                || journal.body.contains(" événements. Page 1"),
            "{}",
            journal.body
        );

        // « 1er » for the first day of a month.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let date = first_of_a_month();
        let fields = [
            ("date", date.as_str()),
            ("start_time", "10h"),
            ("end_time", "11h"),
            ("title", "Rencontre du premier du mois"),
            ("description", "Une rencontre."),
            ("description_easy", "Nous nous rencontrons."),
            ("audience", "Tout le monde"),
            ("organiser", "Croix-Rouge française – Occitanie"),
            ("department", "31"),
            ("capacity", "10"),
            ("mode", "en-ligne"),
            ("online_link", "https://visio.exemple.fr/premier"),
        ];
        let created = coord.post("/admin/evenements/nouveau", &fields).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        // « /admin/evenements/{slug}?message=… »: the public page drops « /admin ».
        let public = created.location().split('?').next().unwrap();
        let page = anon.get(public.trim_start_matches("/admin")).await;
        assert!(page.body.contains(" 1er "), "{}", page.body);
        assert!(!page.body.contains(" 1 janvier") && !page.body.contains(" 1 mars"));
    }
}

#[tokio::test]
async fn the_audit_log_speaks_in_words() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        {
            let mut conn = app.db.conn().await.unwrap();
            for (action, subject, detail) in [
                ("payment_recorded", "request:12", "Paiement : paid"),
                ("request_feedback", "request:12", "Avis (host)"),
            ] {
                epop_store::audit::record(
                    &mut conn,
                    epop_store::audit::Event {
                        action,
                        subject: Some(subject.into()),
                        detail: detail.into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            }
        }
        let page = admin.get("/admin/journal").await;
        assert_eq!(page.status, StatusCode::OK);
        let csv = String::from_utf8(admin.get_bytes("/admin/journal.csv").await).unwrap();
        for (what, text) in [("page", &page.body), ("CSV", &csv)] {
            for code in ["payment_recorded", "request_feedback", "sign_in"] {
                assert!(
                    !text.contains(&format!(">{code}<")) && !text.contains(&format!(";{code};")),
                    "{what}: the code {code} shown in\n{text}"
                );
            }
            for words in [
                "Paiement enregistré",
                "Paiement : payé",
                "Avis de l’organisation qui accueille",
                "Connexion",
                "Demande 12",
            ] {
                assert!(
                    text.contains(words),
                    "{what}: « {words} » missing in\n{text}"
                );
            }
            assert!(!text.contains("Paiement : paid") && !text.contains("Avis (host)"));
        }
        // The hint says jour/mois/année: that format is accepted.
        let dated = admin
            .get("/admin/journal?du=01/01/2020&au=31/12/2099")
            .await;
        assert_eq!(dated.status, StatusCode::OK, "{}", dated.body);
        assert!(dated.body.contains("Paiement enregistré"));
        assert!(
            dated.body.contains("value=\"2020-01-01\""),
            "as a date field holds it"
        );
    }
}

#[tokio::test]
async fn the_import_page_speaks_of_its_own_buttons_not_of_command_flags() {
    const FILE: &str = "nom;prénom;e-mail;rôle;départements;interventions;visibilité\n\
        Moreau;Jeanne;jeanne.moreau@exemple.fr;intervenante-paire;31;former;public\n\
        Petit;Marc;pas-une-adresse;référent;Hérault;;membres\n";
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let form = admin.get("/admin/annuaire/import").await;
        for words in [
            "Essai",
            "Importer quand même les lignes sans problème",
            "Envoyer les invitations",
        ] {
            assert!(
                form.body.contains(words),
                "« {words} » missing in\n{}",
                form.body
            );
        }
        let token = admin.csrf().await;
        let mut upload = async |options: &[&str]| {
            let fields: Vec<(&str, &str)> = options.iter().map(|o| (*o, "1")).collect();
            admin
                .post_multipart(
                    "/admin/annuaire/import",
                    &token,
                    &fields,
                    Some(("fichier", "annuaire.csv", FILE.as_bytes())),
                )
                .await
        };
        for options in [
            &["essai"][..],
            &["essai", "ignorer", "inviter"][..],
            &["ignorer"][..],
        ] {
            let page = upload(options).await;
            assert!(
                !page.body.contains("--dry-run")
                    && !page.body.contains("--skip-invalid")
                    && !page.body.contains("--invite"),
                "{options:?}: a command-line flag in\n{}",
                page.body
            );
        }
        let refused = upload(&[]).await;
        assert!(
            refused
                .body
                .contains("relancez en cochant « Importer quand même les lignes sans problème »"),
            "{}",
            refused.body
        );
    }
}
