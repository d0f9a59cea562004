//! Intervention requests made through the router: without an account (a
//! draft, then a confirmed submission that creates the organisation and the
//! requester), the draft's link, signed in, and who sees which request
//! (pages and the JSON API).

use axum::http::StatusCode;
use epop_domain::{Email, Role};
use epop_store::{accounts, organisations};

use crate::harness::{apps, link_in, refs, request_fields};

#[tokio::test]
async fn a_request_without_an_account_from_draft_to_the_coordinators() {
    for app in apps().await {
        let mut anon = app.client();
        let page = anon.get("/demander-une-intervention").await;
        assert_eq!(page.status, StatusCode::OK);
        // Nothing typed: every problem named.
        let page = anon
            .post("/demander-une-intervention", &[("action", "envoyer")])
            .await;
        page.assert_field_error("kind", "Choisissez le type d’intervention");
        page.assert_field_error(
            "mode",
            "Choisissez si l’intervention a lieu sur place ou à distance",
        );
        assert!(
            page.body
                .contains("Saisissez le nombre de personnes attendues")
        );
        // A draft with only an address: kept, and a link to finish it.
        let page = anon
            .post(
                "/demander-une-intervention",
                &[
                    ("action", "brouillon"),
                    ("subject", "Sensibiliser l’équipe"),
                    ("contact_email", "jeanne.petit@exemple.fr"),
                ],
            )
            .await;
        assert!(
            page.body.contains("Votre brouillon est enregistré"),
            "{}",
            page.body
        );
        let (subject, body) = app.last_mail("jeanne.petit@exemple.fr").await.unwrap();
        assert!(subject.contains("brouillon"));
        let resume = link_in(&body);
        let page = anon.get(&resume).await;
        assert!(
            page.body.contains("value=\"Sensibiliser l’équipe\""),
            "{}",
            page.body
        );
        let token = resume.rsplit('/').next().unwrap().to_owned();
        // Finished and sent: the address must be confirmed first.
        let f = request_fields("jeanne.petit@exemple.fr");
        let page = anon
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer"), ("brouillon", &token)]),
            )
            .await;
        assert!(
            page.body.contains("Vérifiez votre boîte e-mail"),
            "{}",
            page.body
        );
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(&mut conn, &Email::parse("jeanne.petit@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none(),
            "no account before the confirmation"
        );
        drop(conn);
        assert_eq!(app.mail_count("coordination@demo.epop.test").await, 0);
        let (subject, body) = app.last_mail("jeanne.petit@exemple.fr").await.unwrap();
        assert_eq!(subject, "Confirmez votre demande d’intervention");
        let confirm = link_in(&body);
        let page = anon.get(&confirm).await;
        assert!(page.body.contains("Confirmer et envoyer ma demande"));
        let res = anon.post(&confirm, &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The person lands on their request, not on an empty form.
        assert_eq!(res.location(), format!("{confirm}?envoyee=1"));
        let landed = anon.get(res.location()).await;
        assert_eq!(landed.h1(), "Votre demande est envoyée");
        assert!(
            landed.body.contains("Sensibiliser l’équipe d’accueil"),
            "{}",
            landed.body
        );
        assert!(landed.body.contains("jeanne.petit@exemple.fr"));
        // The organisation and the requester exist; the coordinators are told.
        let mut conn = app.db.conn().await.unwrap();
        let org = organisations::by_name(&mut conn, "Médiathèque de Toulouse (test)")
            .await
            .unwrap()
            .unwrap();
        let id =
            accounts::id_by_email(&mut conn, &Email::parse("jeanne.petit@exemple.fr").unwrap())
                .await
                .unwrap();
        let account = accounts::by_id(&mut conn, id).await.unwrap().unwrap();
        assert!(account.roles.contains_key(&Role::Requester));
        assert_eq!(account.organisation_id, Some(org.id));
        drop(conn);
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Nouvelle demande d’intervention"),
            "{subject}"
        );
        assert!(body.contains("Rémunération proposée : 300 €"), "{body}");
        assert_eq!(app.mail_count("coordination-hdf@demo.epop.test").await, 0);
        let (subject, _) = app.last_mail("jeanne.petit@exemple.fr").await.unwrap();
        assert_eq!(subject, "Votre demande d’intervention est envoyée");
        // The confirmation link sends once; opened or sent again, it says
        // the request is already confirmed, and nothing is sent twice.
        let told = app.mail_count("coordination@demo.epop.test").await;
        let again = anon.post(&confirm, &[]).await;
        assert_eq!(again.location(), confirm);
        let again = anon.get(&confirm).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_eq!(again.h1(), "Cette demande est déjà confirmée");
        assert!(again.body.contains("Sensibiliser l’équipe d’accueil"));
        assert!(!again.body.contains("Confirmer et envoyer ma demande"));
        assert_eq!(app.mail_count("coordination@demo.epop.test").await, told);
        // A link that never was stays unknown.
        let unknown = anon
            .get("/demander-une-intervention/confirmer/pas-un-lien")
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);

        // The coordinators of the territory see it; others do not.
        let admin_path = link_in(&body_of(&app, "coordination@demo.epop.test").await);
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let list = coord.get("/admin/demandes").await;
        assert!(list.body.contains("Sensibiliser l’équipe d’accueil"));
        let page = coord.get(&admin_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Agents d’accueil (12 personnes)"));
        assert!(page.body.contains("Envoyée, en attente de la coordination"));
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert!(
            !hdf.get("/admin/demandes")
                .await
                .body
                .contains("Sensibiliser l’équipe d’accueil")
        );
        assert_eq!(hdf.get(&admin_path).await.status, StatusCode::FORBIDDEN);
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(peer.get(&admin_path).await.status, StatusCode::FORBIDDEN);
        assert!(app.audit_count("request_submitted").await >= 1);
    }
}

#[tokio::test]
async fn a_drafts_link_opens_it_for_30_days_then_is_no_longer_valid() {
    for app in apps().await {
        let mut anon = app.client();
        anon.post(
            "/demander-une-intervention",
            &[
                ("action", "brouillon"),
                ("subject", "Sensibiliser l’équipe"),
                ("contact_email", "jeanne.petit@exemple.fr"),
            ],
        )
        .await;
        let resume = link_in(&body_of(&app, "jeanne.petit@exemple.fr").await);
        for (days, open) in [(29, true), (31, false)] {
            let mut conn = app.db.conn().await.unwrap();
            sqlx::query("UPDATE intervention_requests SET updated_at = $1 WHERE status = 'draft'")
                .bind(epop_store::now() - days * 86_400)
                .execute(&mut *conn)
                .await
                .unwrap();
            drop(conn);
            let page = anon.get(&resume).await;
            if open {
                assert_eq!(page.status, StatusCode::OK, "after {days} days");
                assert!(page.body.contains("value=\"Sensibiliser l’équipe\""));
            } else {
                assert_eq!(page.status, StatusCode::NOT_FOUND, "after {days} days");
                assert_eq!(page.h1(), "Ce lien n’est plus valable");
                assert!(!page.body.contains("Sensibiliser"));
                assert!(!page.body.contains("jeanne.petit"));
            }
        }
    }
}

async fn body_of(app: &crate::harness::App, to: &str) -> String {
    app.last_mail(to).await.unwrap().1
}

#[tokio::test]
async fn a_signed_in_requester_submits_at_once_and_sees_only_their_organisations_requests() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let form = requester.get("/demander-une-intervention").await;
        assert!(form.body.contains("value=\"demandeur@demo.epop.test\""));
        // The account's organisation is shown, not asked: the request is
        // made in its name, even if the fields are sent anyway.
        assert!(
            form.body.contains(
                "Organisation : <strong>ESAT des Ateliers de l’Hers (démo) — ESAT (établissement"
            ),
            "{}",
            form.body
        );
        assert!(!form.body.contains("name=\"org_name\""));
        let f = request_fields("demandeur@demo.epop.test");
        let res = requester
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        assert_eq!(
            res.location(),
            "/espace/demandes?message=demande-envoyee",
            "{}",
            res.body
        );
        let mine = requester.get("/espace/demandes").await;
        assert!(mine.body.contains("Sensibiliser l’équipe d’accueil"));
        assert!(mine.body.contains("Envoyée, en attente de la coordination"));
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            epop_store::organisations::by_name(&mut conn, "Médiathèque de Toulouse (test)")
                .await
                .unwrap()
                .is_none(),
            "the organisation sent in the fields is not created"
        );
        drop(conn);
        // A colleague of the same organisation sees it; another
        // organisation's member does not.
        let mut colleague = app.signed_in("referente@demo.epop.test").await;
        let ours = colleague.get("/espace/demandes").await;
        assert!(ours.body.contains("Sensibiliser l’équipe d’accueil"));
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        let theirs = other.get("/espace/demandes").await;
        assert!(!theirs.body.contains("Sensibiliser l’équipe d’accueil"));
        // A past date is refused with a clear message.
        let mut past = request_fields("demandeur@demo.epop.test");
        past[5].1 = "01/01/2020".into();
        requester
            .post(
                "/demander-une-intervention",
                &refs(&past, &[("action", "envoyer")]),
            )
            .await
            .assert_field_error("date_from", "est passée");
    }
}

#[tokio::test]
async fn the_requests_api_shows_each_person_what_they_may_see() {
    for app in apps().await {
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
        let subject = "Former les moniteurs d’atelier";
        let mut anon = app.client();
        let res = anon.get("/api/v1/requests").await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(
            json(&res.body)["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("Connectez-vous")
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let list = json(&coord.get("/api/v1/requests").await.body);
        let items = list["items"].as_array().unwrap();
        // The ESAT's request, and the review of an easy-read text that the
        // coordination asked for itself.
        assert_eq!(items.len(), 2, "{list}");
        let esat = items
            .iter()
            .find(|i| i["subject"].as_str().unwrap().starts_with(subject))
            .expect("the ESAT's request");
        assert_eq!(esat["status"], "proposed");
        assert!(
            esat["url"]
                .as_str()
                .unwrap()
                .contains("/admin/demandes/demo-demande-esat")
        );
        assert!(
            !list.to_string().contains("demandeur@"),
            "no contact details"
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            json(&hdf.get("/api/v1/requests").await.body)["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let mine = json(&requester.get("/api/v1/requests").await.body);
        assert_eq!(mine["items"].as_array().unwrap().len(), 1);
        assert!(
            mine["items"][0]["url"].is_null(),
            "no coordinator link for the requester"
        );
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(
            json(&peer.get("/api/v1/requests").await.body)["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        assert_eq!(
            peer.get("/api/v1/requests/counts").await.status,
            StatusCode::FORBIDDEN
        );
        let mut observer = app.signed_in("financeur@demo.epop.test").await;
        let counts = observer.get("/api/v1/requests/counts").await;
        assert_eq!(counts.status, StatusCode::OK);
        assert!(
            !counts.body.contains(subject),
            "an observer sees counts only"
        );
        let spec = anon.get("/api/openapi.json").await;
        assert!(spec.body.contains("/api/v1/requests") && spec.body.contains("RequestItem"));
    }
}
