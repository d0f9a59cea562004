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
