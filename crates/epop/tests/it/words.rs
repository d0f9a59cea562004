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
