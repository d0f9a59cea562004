//! Intervention requests through the router: without an account (a draft,
//! then a confirmed submission that creates the organisation and the
//! requester), signed in, and who sees which request.

use axum::http::StatusCode;
use epop_domain::{Email, Role};
use epop_store::{accounts, organisations};

use crate::harness::{apps, link_in};

fn request_fields(email: &str) -> Vec<(&'static str, String)> {
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(90))
        .format("%d/%m/%Y")
        .to_string();
    vec![
        ("kind", "sensibiliser".into()),
        ("subject", "Sensibiliser l’équipe d’accueil".into()),
        (
            "description",
            "Une demi-journée sur l’accueil des personnes avec un handicap psychique.".into(),
        ),
        ("audience", "Agents d’accueil".into()),
        ("audience_size", "12".into()),
        ("date_from", date),
        ("duration", "3 heures".into()),
        ("mode", "sur-place".into()),
        ("address", "1 place du Capitole, 31000 Toulouse".into()),
        ("department", "31".into()),
        ("fee", "300".into()),
        ("org_name", "Médiathèque de Toulouse (test)".into()),
        ("org_kind", "public_service".into()),
        ("contact_name", "Jeanne Petit".into()),
        ("contact_email", email.into()),
    ]
}

fn refs<'a>(
    f: &'a [(&'static str, String)],
    extra: &[(&'static str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut v: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    v.extend_from_slice(extra);
    v
}

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
        // The confirmation link works once.
        let again = anon.post(&confirm, &[]).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!(again.h1(), "Ce lien n’est plus valable");

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

/// Submits a request as the demo requester and returns its public id.
async fn submitted(app: &crate::harness::App, remote: bool) -> String {
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
        assert!(offer.body.contains("Combien vous êtes payé·e ?"));
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
                "Cadre choisi : {} ({})",
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
async fn administrators_edit_the_legal_rules_with_their_source() {
    for app in apps().await {
        let path = "/admin/cadres/aah/volunteering";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert_eq!(
            coord.get("/admin/cadres").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            coord.post(path, &[("verdict", "fits")]).await.status,
            StatusCode::FORBIDDEN
        );
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let list = admin.get("/admin/cadres").await;
        assert!(
            list.body.contains("Bénévolat") || list.body.contains("énévol"),
            "{}",
            list.body
        );
        let page = admin
            .post(
                path,
                &[
                    ("verdict", "risky"),
                    (
                        "warnings",
                        "Un défraiement forfaitaire peut être requalifié.",
                    ),
                    ("warnings_easy", "Attention à l’argent en plus."),
                    ("whom_to_ask", "la CAF"),
                    ("source", ""),
                    ("checked_on", "01/01/2099"),
                ],
            )
            .await;
        page.assert_field_error("source", "source");
        assert!(page.body.contains("checked_on"));
        let ok = admin
            .post(
                path,
                &[
                    ("verdict", "risky"),
                    (
                        "warnings",
                        "Un défraiement forfaitaire peut être requalifié.",
                    ),
                    ("warnings_easy", "Attention à l’argent en plus."),
                    ("whom_to_ask", "la CAF"),
                    (
                        "source",
                        "Cass. soc., 29 janvier 2002, n° 99-42.697 (vérifié)",
                    ),
                    ("checked_on", "20/11/2026"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let mut conn = app.db.conn().await.unwrap();
        let rules = epop_store::legal::rules(&mut conn).await.unwrap();
        let rule = rules
            .iter()
            .find(|r| r.situation.code() == "aah" && r.framework.code() == "volunteering")
            .unwrap();
        assert_eq!(
            rule.source,
            "Cass. soc., 29 janvier 2002, n° 99-42.697 (vérifié)"
        );
        assert_eq!(rules.len(), 48, "the other rules keep their defaults");
        assert!(app.audit_count("legal_rule_updated").await >= 1);
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
        assert_eq!(items.len(), 1);
        assert!(items[0]["subject"].as_str().unwrap().starts_with(subject));
        assert_eq!(items[0]["status"], "proposed");
        assert!(
            items[0]["url"]
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

#[tokio::test]
async fn scheduled_done_with_an_attestation_then_both_sides_give_feedback() {
    for app in apps().await {
        // The demo request, proposed to Awa: she accepts.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let link = first_proposal(&list.body);
        awa.post(&format!("{link}/repondre"), &[("reponse", "oui")])
            .await;
        assert_eq!(
            awa.get(&format!("{link}/avis")).await.status,
            StatusCode::NOT_FOUND,
            "not before it is done"
        );
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let bad = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "12:00"),
                    ("end_time", "9:00"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        assert!(
            bad.body
                .contains("L’heure de fin doit venir après l’heure de début.")
        );
        let ok = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Intervention programmée"), "{subject}");
        assert!(
            body.contains("lundi 15 mars 2027, de 9 h 30 à 12 h 30"),
            "{body}"
        );
        let mut conn = app.db.conn().await.unwrap();
        let (name, ics): (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT attachment_name, attachment_body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind("demandeur@demo.epop.test")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        assert_eq!(name.as_deref(), Some("intervention.ics"));
        assert!(
            ics.unwrap().contains("DTSTART:20270315T083000Z"),
            "9:30 in Paris is 8:30 UTC in March"
        );
        coord.post(&format!("{path}/realisee"), &[]).await;
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Merci ! Votre avis"), "{subject}");
        assert!(body.contains("attestation.pdf"));
        let pdf = awa.get_bytes(&format!("{link}/attestation.pdf")).await;
        let text = crate::trainings::pdf_text(&pdf);
        assert!(
            text.contains("Attestation d’intervention") && text.contains("Awa Diallo"),
            "{text}"
        );
        // Feedback: a missing answer is named; then both sides answer.
        awa.post(&format!("{link}/avis"), &[("feeling", "5")])
            .await
            .assert_field_error("useful", "Choisissez une réponse");
        let res = awa
            .post(
                &format!("{link}/avis"),
                &[
                    ("feeling", "5"),
                    ("useful", "4"),
                    ("again", "oui"),
                    ("comment", "Une équipe très à l’écoute."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        assert!(
            host.get("/espace/demandes")
                .await
                .body
                .contains("Donner votre avis")
        );
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(
            other
                .get("/espace/demandes/demo-demande-esat/avis")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        host.post(
            "/espace/demandes/demo-demande-esat/avis",
            &[("feeling", "4"), ("useful", "5"), ("again", "peut-etre")],
        )
        .await;
        let page = coord.get(path).await;
        assert!(page.body.contains("Évaluée"), "both sides answered");
        assert!(page.body.contains("Une équipe très à l’écoute."));
        let res = coord.post(&format!("{path}/clore"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert!(coord.get(path).await.body.contains("Terminée"));
    }
}

#[tokio::test]
async fn what_the_peer_is_owed_expenses_with_receipts_and_the_yearly_summary() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let link = first_proposal(&list.body);
        awa.post(&format!("{link}/repondre"), &[("reponse", "oui")])
            .await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
        coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", &format!("15/03/{year}")),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        // The proposed fee is there; a bad date is refused; a past due date is late.
        let page = coord.get(path).await;
        assert!(
            page.body.contains("Rémunération : <strong>200 €</strong>"),
            "{}",
            page.body
        );
        let bad = coord
            .post(
                &format!("{path}/paiement"),
                &[
                    ("fee", "200"),
                    ("payer", "host"),
                    ("due_on", "31/02/2027"),
                    ("status", "due"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        coord
            .post(
                &format!("{path}/paiement"),
                &[
                    ("fee", "220"),
                    ("payer", "carrier"),
                    ("due_on", "01/01/2020"),
                    ("status", "due"),
                ],
            )
            .await;
        let form = coord.get(path).await;
        assert!(
            form.body
                .contains("id=\"fee\" name=\"fee\" type=\"text\" value=\"220\""),
            "the form shows what was recorded"
        );
        assert!(form.body.contains("value=\"01/01/2020\""));
        let offer = awa.get(&link).await;
        assert!(
            offer
                .body
                .contains("Le paiement est en retard. Prévenez la coordination."),
            "{}",
            offer.body
        );
        assert!(offer.body.contains("220 €") && offer.body.contains("L’association porteuse"));
        // Expenses with a receipt (a real PNG); a text file is refused.
        let token = awa.csrf().await;
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Train Toulouse – Balma"), ("amount", "12,50")],
                Some(("receipt", "billet.png", png)),
            )
            .await;
        assert!(
            res.location().ends_with("message=frais"),
            "{}",
            res.location()
        );
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Repas"), ("amount", "9")],
                Some(("receipt", "x.txt", b"hello")),
            )
            .await;
        assert!(res.location().ends_with("message=justificatif-format"));
        let offer = awa.get(&link).await;
        assert!(offer.body.contains("Train Toulouse – Balma : 12,50 €"));
        assert!(!offer.body.contains("Repas"), "nothing partial");
        let receipt = offer
            .body
            .split(&format!("href=\"{link}/frais/"))
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .unwrap();
        assert_eq!(
            awa.get_bytes(&format!("{link}/frais/{receipt}")).await,
            png.to_vec()
        );
        assert_eq!(
            coord.get_bytes(&format!("{path}/frais/{receipt}")).await,
            png.to_vec()
        );
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        assert_eq!(
            thomas.get(&format!("{link}/frais/{receipt}")).await.status,
            StatusCode::NOT_FOUND
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("{path}/frais/{receipt}")).await.status,
            StatusCode::FORBIDDEN
        );
        // The yearly summary: page, CSV, PDF.
        let summary = awa.get(&format!("/espace/paiements?annee={year}")).await;
        assert!(summary.body.contains("Former les moniteurs d’atelier"));
        assert!(summary.body.contains("En retard") && summary.body.contains("12,50 €"));
        let csv = awa.get(&format!("/espace/paiements/{year}.csv")).await;
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv.body.contains("220 €;En retard;;12,50 €"),
            "{}",
            csv.body
        );
        let pdf = awa
            .get_bytes(&format!("/espace/paiements/{year}.pdf"))
            .await;
        let text = crate::trainings::pdf_text(&pdf);
        assert!(
            text.contains(&format!("Mes interventions en {year}")) && text.contains("220 €"),
            "{text}"
        );
        let other = thomas.get(&format!("/espace/paiements?annee={year}")).await;
        assert!(!other.body.contains("Former les moniteurs"));
        // The peer may decline to be paid; the coordinator's form then keeps it.
        awa.post(&format!("{link}/refuser-paiement"), &[]).await;
        assert!(
            awa.get(&link)
                .await
                .body
                .contains("Vous avez dit que vous ne voulez pas être payé·e.")
        );
        assert!(
            coord
                .get(path)
                .await
                .body
                .contains("Paiement refusé par l’intervenant-pair")
        );
        // The page promises receipts up to 5 MB: a 4 MB scan is taken, a
        // 6 MB one gets the French message, not an error page.
        let mut scan = png.to_vec();
        scan.resize(4 * 1024 * 1024, 0);
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Hôtel"), ("amount", "80")],
                Some(("receipt", "hotel.png", &scan)),
            )
            .await;
        assert!(
            res.location().ends_with("message=frais"),
            "{}",
            res.location()
        );
        scan.resize(6 * 1024 * 1024, 0);
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Taxi"), ("amount", "30")],
                Some(("receipt", "taxi.png", &scan)),
            )
            .await;
        assert!(
            res.location().ends_with("message=justificatif-trop-lourd"),
            "{}",
            res.location()
        );
        let offer = awa.get(&link).await;
        assert!(offer.body.contains("Hôtel : 80") && !offer.body.contains("Taxi"));
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
async fn the_hosts_referent_is_named_and_fills_the_readiness_checklist() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let mut conn = app.db.conn().await.unwrap();
        let referente = epop_store::accounts::id_by_email(
            &mut conn,
            &Email::parse("referente@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        drop(conn);
        // Someone outside the organisation cannot be chosen.
        let bad = coord
            .post(&format!("{path}/referent"), &[("referent", "999999")])
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &referente.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (subject, body) = app.last_mail("referente@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Vous accueillez un intervenant-pair"),
            "{subject}"
        );
        let link = link_in(&body);
        let mut host = app.signed_in("referente@demo.epop.test").await;
        assert!(
            host.get("/espace/accueil")
                .await
                .body
                .contains("préparation : 0 point prêt sur 4")
        );
        let res = host
            .post(
                &link,
                &[
                    ("ready", "team_told"),
                    ("ready", "place_accessible"),
                    ("notes", "Salle du rez-de-chaussée réservée."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = coord.get(path).await;
        assert!(
            page.body
                .contains("Prêt : L’équipe sait qu’un intervenant-pair vient"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Pas encore prêt : La fiche de mission est écrite")
        );
        assert!(page.body.contains("Salle du rez-de-chaussée réservée."));
        // Nobody else opens the checklist.
        let mut other = app.signed_in("demandeur@demo.epop.test").await;
        assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
        // Inviting a new référent creates an invited account with the role.
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[
                    ("referent", "nouveau"),
                    ("name", "Inès Morel"),
                    ("email", "ines.morel@exemple.fr"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut conn = app.db.conn().await.unwrap();
        let id = epop_store::accounts::id_by_email(
            &mut conn,
            &Email::parse("ines.morel@exemple.fr").unwrap(),
        )
        .await
        .unwrap();
        let a = epop_store::accounts::by_id(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        assert!(a.roles.contains_key(&Role::Referent));
        let subjects: Vec<String> =
            epop_store::outbox::recent(&mut conn, Some("ines.morel@exemple.fr"), 5)
                .await
                .unwrap()
                .into_iter()
                .map(|(e, _)| e.subject)
                .collect();
        assert!(
            subjects.iter().any(|s| s.contains("invité")),
            "{subjects:?}"
        );
        assert!(
            subjects.iter().any(|s| s.starts_with("Vous accueillez")),
            "{subjects:?}"
        );
    }
}

#[tokio::test]
async fn the_coordination_and_the_requester_write_to_each_other_on_the_request() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let empty = coord
            .post(&format!("{path}/messages"), &[("message", " ")])
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        coord
            .post(
                &format!("{path}/messages"),
                &[("message", "Combien de moniteurs seront présents ?")],
            )
            .await;
        let (subject, body) = app.last_mail("demandeur@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Nouveau message sur la demande"),
            "{subject}"
        );
        assert!(body.contains("Combien de moniteurs seront présents ?"));
        let link = link_in(&body);
        assert_eq!(link, "/espace/demandes/demo-demande-esat");
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let page = requester.get(&link).await;
        assert!(page.body.contains("Combien de moniteurs seront présents ?"));
        assert!(page.body.contains("(coordination)"));
        requester
            .post(
                &format!("{link}/messages"),
                &[("message", "Huit, et la directrice.")],
            )
            .await;
        let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(body.contains("Huit, et la directrice."));
        assert!(
            coord
                .get(path)
                .await
                .body
                .contains("Huit, et la directrice.")
        );
        // Another organisation's member sees nothing.
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(other.get(&link).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            other
                .post(&format!("{link}/messages"), &[("message", "x")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    }
}

/// Words that tell a peer's legal situation (benefits, employment, ESAT,
/// retirement, studies) or the verdict for it, as coordinators read them.
fn situation_words() -> Vec<String> {
    use epop_domain::legal::{Situation, Verdict};
    let mut words: Vec<String> = [
        "AAH",
        "CAF",
        "MDPH",
        "France Travail",
        "chômage",
        "caisse de retraite",
        "travail en ESAT",
        "travailleur·se d’ESAT",
        "sous conditions",
    ]
    .map(String::from)
    .to_vec();
    for s in Situation::ALL {
        words.push(s.label().into());
        words.push(s.label_easy().into());
    }
    for v in [Verdict::FitsWithConditions, Verdict::Risky] {
        words.push(v.label().into());
    }
    words
}

/// Fails if `seen` (pages, PDF text, e-mails) tells a peer's situation.
fn assert_no_situation(seen: &str, what: &str) {
    let seen = seen.split_whitespace().collect::<Vec<_>>().join(" ");
    for word in situation_words() {
        assert!(!seen.contains(&word), "« {word} » in {what}");
    }
}

#[tokio::test]
async fn the_host_never_learns_the_peers_legal_situation() {
    let every_situation_but_esat = [
        "aah",
        "employee",
        "micro_entrepreneur",
        "job_seeker",
        "retired",
        "student",
        "other",
    ];
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let link = first_proposal(&list.body);
        awa.post(&format!("{link}/repondre"), &[("reponse", "oui")])
            .await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let mut conn = app.db.conn().await.unwrap();
        let referente = epop_store::accounts::id_by_email(
            &mut conn,
            &Email::parse("referente@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        drop(conn);
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &referente.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The coordinator weighs the framework with every situation ticked.
        let mut choice = vec![("framework", "host_contract")];
        choice.extend(every_situation_but_esat.map(|s| ("situation", s)));
        let query: Vec<String> = every_situation_but_esat
            .iter()
            .map(|s| format!("situation={s}"))
            .collect();
        let page = coord.get(&format!("{path}?{}", query.join("&"))).await;
        assert!(page.body.contains("CAF") && page.body.contains("France Travail"));
        let res = coord.post(&format!("{path}/cadre"), &choice).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let res = coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", "15/03/2027"),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The coordinator's page keeps the situation (sanity check of the words).
        let page = coord.get(path).await;
        assert!(
            page.body.contains("Possible sous conditions"),
            "{}",
            page.body
        );

        // Everything the host's side receives.
        let pdf = coord.get_bytes(&format!("{path}/fiche-mission.pdf")).await;
        let sheet = crate::trainings::pdf_text(&pdf);
        assert_no_situation(&sheet, "the mission sheet");
        let sheet_words = sheet.split_whitespace().collect::<Vec<_>>().join(" ");
        for duty in [
            "Contrat de travail avec la structure d’accueil",
            "Un contrat de travail écrit, signé avant l’intervention",
            "Ceci n’est pas un conseil juridique",
        ] {
            assert!(sheet_words.contains(duty), "« {duty} » in {sheet_words}");
        }
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let mut host = app.signed_in("referente@demo.epop.test").await;
        for (client, pages) in [
            (
                &mut requester,
                vec![
                    "/espace/demandes",
                    "/espace/demandes/demo-demande-esat",
                    "/api/v1/requests",
                ],
            ),
            (
                &mut host,
                vec![
                    "/espace/accueil",
                    "/espace/accueil/demo-demande-esat",
                    "/espace/demandes",
                    "/api/v1/requests",
                ],
            ),
        ] {
            for page in pages {
                let got = client.get(page).await;
                assert_eq!(got.status, StatusCode::OK, "{page}");
                assert_no_situation(&got.body, page);
            }
        }
        let mut conn = app.db.conn().await.unwrap();
        for to in ["demandeur@demo.epop.test", "referente@demo.epop.test"] {
            let mails: Vec<(String, String, Option<String>)> = sqlx::query_as(
                "SELECT subject, body_text, attachment_body FROM outbox WHERE recipient = $1",
            )
            .bind(to)
            .fetch_all(&mut *conn)
            .await
            .unwrap();
            assert!(!mails.is_empty(), "{to} was written to");
            for (subject, body, file) in mails {
                let all = format!("{subject}\n{body}\n{}", file.unwrap_or_default());
                assert_no_situation(&all, &format!("an e-mail to {to}: {subject}"));
            }
        }
    }
}

/// The first proposal linked from a peer's list of proposals.
fn first_proposal(body: &str) -> String {
    body.split("href=\"/espace/propositions/")
        .nth(1)
        .map(|s| format!("/espace/propositions/{}", s.split('"').next().unwrap()))
        .expect("a proposal in the list")
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
        assert!(page.body.contains("Demande modifiée par la coordination"));
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
        assert!(subject.starts_with("Question de Awa Diallo"), "{subject}");
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

/// How many audit lines say `subject`'s sensitive data was read.
async fn reads_of(app: &crate::harness::App, subject: &str) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sensitive_read' AND subject = $1",
    )
    .bind(subject)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    n
}

/// A request's messages and the accepted peer's situations are health
/// data: each read by someone else than the person concerned is one audit
/// line (the peer sees the reads of their situations in « Mes données »).
#[tokio::test]
async fn reading_a_requests_messages_or_the_peers_situations_is_audited() {
    for app in apps().await {
        let path = "/admin/demandes/demo-demande-esat";
        let link = "/espace/demandes/demo-demande-esat";
        let thread = "request:demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord
            .post(
                &format!("{path}/messages"),
                &[("message", "Un participant a-t-il besoin d’un interprète ?")],
            )
            .await;
        let before = reads_of(&app, thread).await;
        // The person who made the request reads their own thread: no line.
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let page = requester.get(link).await;
        assert!(page.body.contains("besoin d’un interprète"));
        assert_eq!(reads_of(&app, thread).await, before);
        // A colleague of the same organisation, then the coordination.
        let mut colleague = app.signed_in("referente@demo.epop.test").await;
        let page = colleague.get(link).await;
        assert!(page.body.contains("besoin d’un interprète"));
        assert_eq!(reads_of(&app, thread).await, before + 1);
        let page = coord.get(path).await;
        assert!(page.body.contains("besoin d’un interprète"));
        assert_eq!(reads_of(&app, thread).await, before + 2);

        // Awa accepts; the coordinator chooses a framework for her situation.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let proposal = first_proposal(&list.body);
        awa.post(&format!("{proposal}/repondre"), &[("reponse", "oui")])
            .await;
        let mut conn = app.db.conn().await.unwrap();
        let awa_id =
            accounts::id_by_email(&mut conn, &Email::parse("pair@demo.epop.test").unwrap())
                .await
                .unwrap();
        let (_, slug) = epop_store::directory::profile_of(
            &mut conn,
            awa_id,
            epop_domain::directory::ProfileKind::Peer,
        )
        .await
        .unwrap()
        .unwrap();
        drop(conn);
        let profile = format!("profile:{slug}");
        let mine = awa.get("/espace/mes-donnees").await;
        assert!(mine.body.contains("Personne n’a lu"), "{}", mine.body);
        let res = coord
            .post(
                &format!("{path}/cadre"),
                &[("framework", "host_contract"), ("situation", "aah")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let situations = reads_of(&app, &profile).await;
        let page = coord.get(path).await;
        assert!(page.body.contains("Cadre choisi : <strong>"));
        assert_eq!(reads_of(&app, &profile).await, situations + 1);
        let mine = awa.get("/espace/mes-donnees").await;
        assert!(!mine.body.contains("Personne n’a lu"), "{}", mine.body);
    }
}
