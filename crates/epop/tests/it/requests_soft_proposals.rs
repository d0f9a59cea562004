//! Proposing a request from the coordinator's page: after proposing, the
//! page says who was asked and until when; a peer left out for a soft
//! reason (far away for an on-site request) may be asked with a
//! confirmation; a peer left out for a hard reason (not trained) never,
//! even by a forged form; a peer whose account is disabled is not a
//! candidate at all.

use axum::http::StatusCode;

use crate::harness::{App, Client, apps};
use crate::requests_proposals::submitted;

/// The profile id of a demo peer, by their directory slug.
async fn profile_id(app: &App, slug: &str) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    epop_store::directory::by_slug(&mut conn, slug)
        .await
        .unwrap()
        .unwrap()
        .card
        .id
}

/// The names of the peers the request was proposed to, as stored.
async fn asked(app: &App, public_id: &str) -> Vec<String> {
    let mut conn = app.db.conn().await.unwrap();
    let r = epop_store::requests::by_public_id(&mut conn, public_id)
        .await
        .unwrap()
        .unwrap();
    epop_store::proposals::for_request(&mut conn, r.id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.peer_name)
        .collect()
}

/// An on-site request in Haute-Garonne, studied by the coordinator, who
/// is signed in; returns the client and the request's path.
async fn studied(app: &App) -> (Client, String, String) {
    let id = submitted(app, false).await;
    let path = format!("/admin/demandes/{id}");
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    coord.post(&format!("{path}/etudier"), &[]).await;
    (coord, path, id)
}

/// The section of the page with this heading id, up to the next section.
fn section<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id} in:\n{body}"));
    let rest = &body[start..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn after_proposing_the_page_says_who_was_asked_and_until_when() {
    for app in apps().await {
        let (mut coord, path, _) = studied(&app).await;
        let awa = profile_id(&app, "awa-diallo").await.to_string();
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", &awa), ("deadline", "01/01/2099")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = coord.get(&path).await;
        let asked = section(&page.body, "propositions");
        assert!(
            asked.contains("Awa Diallo : En attente de réponse, jusqu’au jeudi 1er janvier 2099"),
            "{asked}"
        );
        let others = section(&page.body, "suggestions");
        assert!(
            !page
                .body
                .contains("Personne ne remplit toutes les conditions"),
            "{others}"
        );
        // Awa was the only peer who fits every condition.
        assert!(
            others.contains(
                "Tous les intervenants-pairs qui remplissent les conditions ont reçu la proposition."
            ),
            "{others}"
        );
        assert!(
            !others.contains("Awa Diallo"),
            "Awa, asked, is neither suggested nor left out: {others}"
        );
        // She declines with a reason: the page says so, with the deadline.
        let link = crate::harness::link_in(&app.last_mail("pair@demo.epop.test").await.unwrap().1);
        let mut awa_c = app.signed_in("pair@demo.epop.test").await;
        awa_c
            .post(
                &format!("{link}/repondre"),
                &[
                    ("reponse", "non"),
                    ("raison", "Je suis en formation ce jour-là."),
                ],
            )
            .await;
        let page = coord.get(&path).await;
        assert!(
            section(&page.body, "propositions").contains(
                "Awa Diallo : Refusé – « Je suis en formation ce jour-là. » (réponse attendue jusqu’au jeudi 1er janvier 2099)"
            ),
            "{}",
            section(&page.body, "propositions")
        );
    }
}

#[tokio::test]
async fn a_peer_left_out_for_a_soft_reason_may_be_asked_with_a_confirmation() {
    for app in apps().await {
        let (mut coord, path, id) = studied(&app).await;
        let thomas = profile_id(&app, "thomas-roux").await.to_string();
        // Thomas lives in Ariège: too far for an on-site request in
        // Haute-Garonne, but he may be asked.
        let page = coord.get(&path).await;
        let possible = section(&page.body, "suggestions");
        assert!(
            possible.contains("Pas suggérés, mais possibles"),
            "{possible}"
        );
        assert!(
            possible.contains(&format!(
                "name=\"peer\" value=\"{thomas}\" id=\"peer-{thomas}\""
            )),
            "a box for Thomas: {possible}"
        );
        assert!(
            possible.contains("<strong>Thomas Roux</strong> : ne couvre pas la Haute-Garonne"),
            "{possible}"
        );
        assert!(possible.contains(
            "J’ai lu pourquoi ces personnes ne sont pas suggérées et je leur propose quand même"
        ));
        let mails_before = app.mail_count("pair-ariege@demo.epop.test").await;

        // Without the confirmation: an error beside the box, the choice kept.
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", &thomas), ("deadline", "15/03/2099")],
            )
            .await;
        res.assert_field_error(
            "confirm-soft",
            "Cochez cette case pour proposer à une personne qui n’est pas suggérée.",
        );
        assert!(
            res.body
                .contains(&format!("value=\"{thomas}\" id=\"peer-{thomas}\" checked")),
            "Thomas still ticked"
        );
        assert!(res.body.contains("value=\"15/03/2099\""), "deadline kept");
        assert!(
            res.body
                .contains("aria-describedby=\"confirm-soft-erreur\""),
            "the box tells its error"
        );
        assert!(asked(&app, &id).await.is_empty(), "nothing written");
        assert_eq!(
            app.mail_count("pair-ariege@demo.epop.test").await,
            mails_before
        );

        // With it: Thomas is asked and gets the usual e-mail.
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[
                    ("peer", &thomas),
                    ("confirm_soft", "oui"),
                    ("deadline", "15/03/2099"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(asked(&app, &id).await, vec!["Thomas Roux".to_owned()]);
        let (subject, _) = app.last_mail("pair-ariege@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Une proposition d’intervention pour vous"),
            "{subject}"
        );
        // The history and the audit log say he was asked despite the reason.
        let page = coord.get(&path).await;
        let said = "Proposée aussi à une personne non suggérée : Thomas Roux (ne couvre pas la Haute-Garonne)";
        assert!(
            section(&page.body, "historique").contains(said),
            "{}",
            page.body
        );
        let mut conn = app.db.conn().await.unwrap();
        let f = epop_store::audit::Filter {
            action: "request_proposed".into(),
            ..Default::default()
        };
        let (lines, _) = epop_store::audit::search(&mut conn, &f, 10, 0)
            .await
            .unwrap();
        assert!(
            lines.iter().any(|l| l.detail.contains(said)),
            "{:?}",
            lines.iter().map(|l| &l.detail).collect::<Vec<_>>()
        );
        assert!(
            section(&page.body, "propositions").contains("Thomas Roux : En attente de réponse")
        );
        let others = section(&page.body, "suggestions");
        assert!(
            !others.contains("Thomas Roux"),
            "asked: no longer listed as possible"
        );
        assert!(
            others.contains("<legend>Vous pouvez aussi proposer à :</legend>")
                && others.contains("<strong>Awa Diallo</strong>"),
            "Awa, suggested, may still be asked: {others}"
        );
    }
}

#[tokio::test]
async fn a_peer_left_out_for_a_hard_reason_is_refused_even_by_a_forged_form() {
    for app in apps().await {
        let (mut coord, path, id) = studied(&app).await;
        let thomas_id = profile_id(&app, "thomas-roux").await;
        let thomas = thomas_id.to_string();
        // Thomas has not been trained (yet): never proposable.
        let mut tx = app.db.write().await.unwrap();
        epop_store::directory::set_training(&mut tx, thomas_id, None, None)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let page = coord.get(&path).await;
        let others = section(&page.body, "suggestions");
        assert!(
            others.contains(
                "Thomas Roux : ne couvre pas la Haute-Garonne · n’a pas encore suivi la formation"
            ),
            "listed with his reasons: {others}"
        );
        assert!(
            !others.contains(&format!("value=\"{thomas}\"")),
            "no box for him: {others}"
        );
        let mails_before = app.mail_count("pair-ariege@demo.epop.test").await;
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[
                    ("peer", &thomas),
                    ("confirm_soft", "oui"),
                    ("deadline", "15/03/2099"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        assert!(
            res.body.contains(
                "Thomas Roux ne peut pas recevoir la proposition : n’a pas encore suivi la formation."
            ),
            "{}",
            res.body
        );
        assert!(asked(&app, &id).await.is_empty(), "no proposal written");
        assert_eq!(
            app.mail_count("pair-ariege@demo.epop.test").await,
            mails_before
        );
    }
}

#[tokio::test]
async fn a_peer_whose_account_is_disabled_is_never_suggested_nor_asked() {
    for app in apps().await {
        let (mut coord, path, id) = studied(&app).await;
        let awa = profile_id(&app, "awa-diallo").await.to_string();
        assert!(
            section(&coord.get(&path).await.body, "suggestions").contains("Awa Diallo"),
            "suggested while her account is open"
        );
        let mut tx = app.db.write().await.unwrap();
        sqlx::query("UPDATE accounts SET status = 'disabled' WHERE email = $1")
            .bind("pair@demo.epop.test")
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let page = coord.get(&path).await;
        assert!(
            !section(&page.body, "suggestions").contains("Awa Diallo"),
            "a disabled account is not a candidate"
        );
        let mails_before = app.mail_count("pair@demo.epop.test").await;
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[
                    ("peer", awa.as_str()),
                    ("confirm_soft", "oui"),
                    ("deadline", "15/03/2099"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{}", res.body);
        assert!(asked(&app, &id).await.is_empty(), "no proposal written");
        assert_eq!(app.mail_count("pair@demo.epop.test").await, mails_before);
    }
}
