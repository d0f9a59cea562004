//! Intervention requests from the coordinator's side until a peer takes
//! one: suggested peers, proposals and their answers (the first acceptance
//! wins, a refusal or no answer sends the request back), corrections and a
//! peer's question.

use axum::http::StatusCode;

use crate::harness::{apps, assert_no_situation, first_proposal, link_in, refs, request_fields};

/// Submits a request as the demo requester and returns its public id.
pub async fn submitted(app: &crate::harness::App, remote: bool) -> String {
    let mut requester = app.signed_in("demandeur@demo.epop.test").await;
    let mut f = request_fields("demandeur@demo.epop.test");
    if remote {
        f[7].1 = "a-distance".into();
    }
    let res = requester
        .post(
            "/demander-une-intervention",
            &refs(&f, &[("action", "envoyer")]),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut conn = app.db.conn().await.unwrap();
    let all = epop_store::requests::all_submitted(&mut conn)
        .await
        .unwrap();
    all[0].public_id.clone()
}

/// The profile ids offered as checkboxes on a request's page.
fn suggested(body: &str) -> Vec<String> {
    body.split("name=\"peer\" value=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_coordinator_proposes_to_suggested_peers_and_the_first_acceptance_wins() {
    for app in apps().await {
        let id = submitted(&app, true).await;
        let path = format!("/admin/demandes/{id}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord.get(&path).await;
        assert!(page.body.contains("J’étudie cette demande"));
        assert!(
            suggested(&page.body).is_empty(),
            "no suggestions before it is studied"
        );
        coord.post(&format!("{path}/etudier"), &[]).await;
        let page = coord.get(&path).await;
        assert!(page.body.contains("Étudiée par la coordination"));
        // A remote request: Awa and Thomas, who work remotely, are suggested
        // with their reasons; those left out are listed with why.
        assert!(
            page.body.contains(
                "<strong>Awa Diallo</strong> : intervient à distance · propose la sensibilisation des citoyens"
            ),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<strong>Thomas Roux</strong> : intervient à distance")
        );
        assert!(page.body.contains("Pourquoi d’autres ne sont pas suggérés"));
        assert!(page.body.contains("fiche masquée"));
        let mut conn = app.db.conn().await.unwrap();
        let awa = epop_store::directory::by_slug(&mut conn, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        let thomas = epop_store::directory::by_slug(&mut conn, "thomas-roux")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let ids = suggested(&page.body);
        assert!(
            ids.contains(&awa.card.id.to_string()) && ids.contains(&thomas.card.id.to_string())
        );
        // A forged id (not suggested) is refused.
        let bad = coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", "999999"), ("deadline", "01/01/2099")],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let (a, t) = (awa.card.id.to_string(), thomas.card.id.to_string());
        let res = coord
            .post(
                &format!("{path}/proposer"),
                &[("peer", &a), ("peer", &t), ("deadline", "01/01/2099")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Une proposition d’intervention pour vous"),
            "{subject}"
        );
        assert!(
            !body.contains("demandeur@demo.epop.test"),
            "no contact details for the peer"
        );
        let link = link_in(&body);
        // The peer reads it in easy words, without the other peer's name.
        let mut awa_c = app.signed_in("pair@demo.epop.test").await;
        let offer = awa_c.get(&link).await;
        assert!(offer.body.contains("Combien d’argent recevez-vous ?"));
        assert!(offer.body.contains("300 €"));
        assert!(!offer.body.contains("Thomas Roux") && !offer.body.contains("demandeur@"));
        // Someone else cannot open it.
        let mut nadia = app.signed_in("pair-herault@demo.epop.test").await;
        assert_eq!(nadia.get(&link).await.status, StatusCode::NOT_FOUND);
        // Awa accepts: Thomas is told the place is taken, and cannot accept.
        let res = awa_c
            .post(&format!("{link}/repondre"), &[("reponse", "oui")])
            .await;
        assert!(
            res.location().ends_with("message=proposition-acceptee"),
            "{}",
            res.location()
        );
        let (subject, _) = app.last_mail("pair-ariege@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("La proposition n’est plus disponible"),
            "{subject}"
        );
        let (subject, _) = app.last_mail("demandeur@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Un intervenant-pair a accepté"),
            "{subject}"
        );
        let mut thomas_c = app.signed_in("pair-ariege@demo.epop.test").await;
        let thomas_link = thomas_c.get("/espace/propositions").await;
        let tlink = thomas_link
            .body
            .split("href=\"/espace/propositions/")
            .nth(1)
            .map(|s| format!("/espace/propositions/{}", s.split('"').next().unwrap()))
            .unwrap();
        let res = thomas_c
            .post(&format!("{tlink}/repondre"), &[("reponse", "oui")])
            .await;
        assert!(res.location().ends_with("message=trop-tard"));
        let page = coord.get(&path).await;
        assert!(page.body.contains("Acceptée par un intervenant-pair"));
        assert!(page.body.contains("Awa Diallo : Accepté"));
        assert!(
            page.body
                .contains("Thomas Roux : Place prise par un autre intervenant-pair")
        );
        // The legal framework, with the peer: her situations show what fits.
        let page = coord
            .get(&format!("{path}?situation=esat_worker&situation=aah"))
            .await;
        let rules = epop_domain::legal::default_rules();
        let situations = [
            epop_domain::legal::Situation::EsatWorker,
            epop_domain::legal::Situation::Aah,
        ];
        let fits = epop_domain::legal::fitting(&rules, &situations);
        for (framework, e) in &fits {
            assert!(
                page.body
                    .contains(&format!("{} : {}", framework.label(), e.verdict.label())),
                "{} missing",
                framework.label()
            );
        }
        assert!(page.body.contains("Ceci n’est pas un conseil juridique"));
        let (risky, risky_eval) = fits
            .iter()
            .find(|(_, e)| {
                e.needs_confirmation() && e.verdict != epop_domain::legal::Verdict::NotPossible
            })
            .expect("a risky framework for an ESAT worker on AAH");
        let choose = |confirm: bool| {
            let mut v = vec![
                ("framework", risky.code()),
                ("situation", "esat_worker"),
                ("situation", "aah"),
            ];
            if confirm {
                v.push(("confirm", "oui"));
            }
            v
        };
        let refused = coord.post(&format!("{path}/cadre"), &choose(false)).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("cochez la case de confirmation"));
        let ok = coord.post(&format!("{path}/cadre"), &choose(true)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let page = coord.get(&path).await;
        assert!(
            page.body
                .contains(&format!("Cadre choisi : <strong>{}", risky.label()))
        );
        assert!(
            page.body.contains(&format!(
                "Cadre choisi (Sophie Delmas) – {} ({})",
                risky.label(),
                risky_eval.verdict.label()
            )),
            "in the history too"
        );
        let pdf = coord.get_bytes(&format!("{path}/fiche-mission.pdf")).await;
        let text = crate::trainings::pdf_text(&pdf);
        // Awa's sensitive fields (accommodations, experience of disability)
        // never reach the host: not on the mission sheet, not on the
        // requester's pages, not in their e-mails.
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let mut seen = text.clone();
        for page in ["/espace/demandes", "/api/v1/requests"] {
            seen.push_str(&requester.get(page).await.body);
        }
        let mut conn = app.db.conn().await.unwrap();
        for (_, body) in epop_store::outbox::recent(&mut conn, Some("demandeur@demo.epop.test"), 50)
            .await
            .unwrap()
        {
            seen.push_str(&body);
        }
        drop(conn);
        for secret in ["pauses courtes toutes les heures", "bipolaire"] {
            assert!(!seen.contains(secret), "« {secret} » reached the host");
        }
        // Nor her situation (an ESAT worker on the AAH), nor the verdict
        // for it: the sheet says what the framework asks of anyone.
        assert_no_situation(&seen, "the mission sheet and the requester's pages");
        assert!(
            text.contains(risky.label()) && text.contains("URSSAF"),
            "the framework and what it asks: {text}"
        );
        assert!(
            text.contains("Fiche de mission") && text.contains("Awa Diallo"),
            "{text}"
        );
        assert!(text.contains("ESAT des Ateliers"), "{text}");
        assert!(text.contains("conseil juridique"), "{text}");

        // A coordinator of another territory cannot act on it.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let res = hdf
            .post(&format!("{path}/annuler"), &[("reason", "x")])
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Cancelling needs a reason.
        let res = coord
            .post(&format!("{path}/annuler"), &[("reason", " ")])
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        let res = coord
            .post(
                &format!("{path}/annuler"),
                &[("reason", "L’équipe n’est plus disponible.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = coord.get(&path).await;
        assert!(page.body.contains("L’équipe n’est plus disponible."));
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Annulée"), "{subject}");
        assert!(body.contains("L’équipe n’est plus disponible."));
        let (subject, _) = app.last_mail("demandeur@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Annulée"), "{subject}");
    }
}

#[tokio::test]
async fn a_declined_proposal_sends_the_request_back_to_the_coordinator() {
    for app in apps().await {
        let id = submitted(&app, false).await;
        let path = format!("/admin/demandes/{id}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord.post(&format!("{path}/etudier"), &[]).await;
        let mut conn = app.db.conn().await.unwrap();
        let awa = epop_store::directory::by_slug(&mut conn, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        coord
            .post(
                &format!("{path}/proposer"),
                &[
                    ("peer", &awa.card.id.to_string()),
                    ("deadline", "01/01/2099"),
                ],
            )
            .await;
        let link = link_in(&app.last_mail("pair@demo.epop.test").await.unwrap().1);
        let mut awa_c = app.signed_in("pair@demo.epop.test").await;
        let res = awa_c
            .post(
                &format!("{link}/repondre"),
                &[
                    ("reponse", "non"),
                    ("raison", "Je suis en formation ce jour-là."),
                ],
            )
            .await;
        assert!(res.location().ends_with("message=proposition-refusee"));
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(subject.contains("refuse"), "{subject}");
        assert!(body.contains("Je suis en formation ce jour-là."));
        let page = coord.get(&path).await;
        assert!(
            page.body.contains("Étudiée par la coordination"),
            "back to the coordinator"
        );
        assert!(
            !suggested(&page.body).contains(&awa.card.id.to_string()),
            "not suggested again"
        );
    }
}

#[tokio::test]
async fn an_unanswered_proposal_expires_and_the_request_goes_back_to_the_coordinator() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let r = epop_store::requests::by_public_id(&mut conn, "demo-demande-esat")
            .await
            .unwrap()
            .unwrap();
        let p = epop_store::proposals::for_request(&mut conn, r.id)
            .await
            .unwrap()
            .pop()
            .unwrap();
        drop(conn);
        let before = app.mail_count("coordination@demo.epop.test").await;
        epop_web::jobs::run_due(&app.db, "http://epop.test", p.deadline - 10)
            .await
            .unwrap();
        assert_eq!(
            app.mail_count("coordination@demo.epop.test").await,
            before,
            "not yet"
        );
        epop_web::jobs::run_due(&app.db, "http://epop.test", p.deadline + 10)
            .await
            .unwrap();
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Sans réponse"), "{subject}");
        assert!(body.contains("Awa Diallo n’a pas répondu à temps"));
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord.get("/admin/demandes/demo-demande-esat").await;
        assert!(page.body.contains("Awa Diallo : Sans réponse à temps"));
        assert!(
            page.body.contains("Étudiée par la coordination"),
            "back to the coordinator"
        );
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let res = awa
            .post(
                &format!("/espace/propositions/{}/repondre", p.public_id),
                &[("reponse", "oui")],
            )
            .await;
        assert!(res.location().ends_with("message=trop-tard"));
    }
}

#[tokio::test]
async fn the_coordinator_corrects_a_request_and_a_peer_asks_a_question() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let form = coord.get(&format!("{path}/modifier")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("value=\"Moniteurs d’atelier\""),
            "the request as typed"
        );
        let mut fields: Vec<(String, String)> = form
            .body
            .split("<input id=\"")
            .skip(1)
            .filter_map(|s| {
                let name = s.split("name=\"").nth(1)?.split('"').next()?.to_owned();
                let value = s.split("value=\"").nth(1)?.split('"').next()?.to_owned();
                Some((name, value.replace("&#39;", "'").replace("&amp;", "&")))
            })
            .filter(|(n, _)| n != "csrf")
            .collect();
        for (k, v) in [
            ("kind", "former"),
            ("mode", "sur-place"),
            ("department", "31"),
            ("org_kind", "esat"),
            ("description", "Une matinée avec les moniteurs."),
            ("audience_size", "10"),
        ] {
            fields.retain(|(n, _)| n != k);
            fields.push((k.into(), v.into()));
        }
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let res = coord.post(&format!("{path}/modifier"), &refs).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = coord.get(path).await;
        assert!(page.body.contains("(10 personnes)"), "{}", page.body);
        assert!(
            page.body.contains(" : Demande modifiée ("),
            "in the history"
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("{path}/modifier")).await.status,
            StatusCode::FORBIDDEN
        );

        // The peer asks a question before answering.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let link = first_proposal(&awa.get("/espace/propositions").await.body);
        let res = awa
            .post(
                &format!("{link}/question"),
                &[("question", "Faut-il apporter des documents ?")],
            )
            .await;
        assert!(res.location().ends_with("message=question"));
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Question d’Awa Diallo"), "{subject}");
        assert!(body.contains("Faut-il apporter des documents ?"));
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        assert_eq!(
            thomas
                .post(&format!("{link}/question"), &[("question", "x")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}
