//! What the coordinator's page of a request shows of what the organisation
//! wrote (issue 12: nothing ticked is lost on the way).

use crate::harness::{apps, link_in, refs, request_fields};

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
