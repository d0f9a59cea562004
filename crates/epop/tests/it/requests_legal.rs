//! The peer's legal situation around a request: the legal rules
//! administrators edit with their source, a host who never learns the
//! peer's situation, and every read of the sensitive data audited.

use axum::http::StatusCode;
use epop_domain::Email;
use epop_store::accounts;

use crate::harness::{apps, assert_no_situation, awa_accepts, first_proposal};

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
        awa_accepts(&app).await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let referente = app.account("referente@demo.epop.test").await.id;
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
