//! Joining the network through the real router, on both engines: the
//! « devenir » pages, applying without an account one question per page,
//! the e-mailed confirmation that makes a candidate account, the
//! coordination of the département (and only it) following the
//! application, a training that makes the candidate a peer worker, and
//! each step in their path. The confirmation e-mail goes through a real
//! SMTP server.

use axum::http::StatusCode;
use epop_domain::candidate::Step;
use epop_domain::{Email, Role};
use epop_store::{accounts, candidates, trainings};

use epop::mailer::Mailer;
use epop::worker::drain;

use crate::harness::{App, Client, apps, link_in};

/// Starts an application from a « devenir » page; returns the draft's base
/// URL (`/candidature/{token}`).
async fn start(c: &mut Client, page: &str, department: &str) -> String {
    let res = c
        .post(
            &format!("{page}/candidature"),
            &[("departement", department)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let to = res.location().to_owned();
    assert!(to.ends_with("/nom"), "{to}");
    to.trim_end_matches("/nom").to_owned()
}

/// Answers one question; it must lead to `next`.
async fn answer(c: &mut Client, base: &str, step: &str, fields: &[(&str, &str)], next: &str) {
    let res = c.post(&format!("{base}/{step}"), fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{step}: {}", res.body);
    assert_eq!(res.location(), format!("{base}/{next}"));
}

/// Fills in and sends a whole application (e-mail given).
async fn apply(c: &mut Client, page: &str, name: &str, department: &str, email: &str) {
    let base = start(c, page, "").await;
    answer(c, &base, "nom", &[("name", name)], "departement").await;
    answer(
        c,
        &base,
        "departement",
        &[("department", department)],
        "contact",
    )
    .await;
    answer(c, &base, "contact", &[("email", email)], "actions").await;
    answer(c, &base, "actions", &[], "besoins").await;
    answer(c, &base, "besoins", &[("needs", "")], "verifier").await;
    let sent = c
        .post(&format!("{base}/verifier"), &[("consent", "oui")])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
}

/// Sends the outbox through a real SMTP server; the text of the last
/// message to `to` as it arrived (quoted-printable undone).
async fn through_smtp(app: &App, to: &str) -> String {
    let (url, received) = crate::harness::smtp_server();
    let mailer = Mailer::new(
        "EPoP <ne-pas-repondre@epop.test>",
        Some(&url),
        "/nonexistent".into(),
    )
    .unwrap();
    while drain(&app.db, &mailer).await.unwrap() > 0 {}
    let raw = received
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|m| m.contains(&format!("To: {to}")))
        .cloned()
        .expect("the message went through SMTP");
    raw.replace("=\r\n", "").replace("=3D", "=")
}

async fn account_count(app: &App, email: &str) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE email = $1")
        .bind(email)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// The public id of the application of an address.
async fn application_of(app: &App, email: &str) -> String {
    let mut conn = app.db.conn().await.unwrap();
    let id = accounts::id_by_email(&mut conn, &Email::parse(email).unwrap())
        .await
        .unwrap();
    candidates::of_account(&mut conn, id).await.unwrap()[0]
        .public_id
        .clone()
}

#[tokio::test]
async fn the_devenir_pages_say_how_it_goes_with_the_next_dates() {
    for app in apps().await {
        let mut anon = app.client();
        let page = anon.get("/devenir-intervenant-pair").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Devenir intervenant-pair");
        assert!(
            page.body
                .contains("Réunion d’information en ligne sur les intervenants-pairs")
        );
        assert!(page.body.contains("Je pose ma candidature"));
        assert!(
            page.body.contains("Défendre les droits") || page.body.contains("défendre les droits")
        );
        let easy = anon.get("/devenir-intervenant-pair?version=facile").await;
        assert!(
            easy.body
                .contains("Un intervenant-pair est une personne en situation de handicap.")
        );
        assert!(
            easy.body
                .contains("Vous venez à une réunion d’information.")
        );
        // The chooser keeps the online meeting for every département, and
        // the on-site dates of the chosen one only.
        let herault = anon.get("/devenir-intervenant-pair?departement=34").await;
        assert!(herault.body.contains("Hérault"));
        assert!(herault.body.contains("Réunion d’information en ligne"));
        // A coordinator announces an information meeting from the event form.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(25))
            .format("%d/%m/%Y")
            .to_string();
        let res = coord
            .post(
                "/admin/evenements/nouveau",
                &[
                    ("title", "Réunion d’information à Montpellier"),
                    ("description", "Le projet et la formation."),
                    ("description_easy", "Nous expliquons le projet."),
                    ("audience", "Personnes en situation de handicap"),
                    ("organiser", "CREAI-ORS Occitanie"),
                    ("date", &date),
                    ("start_time", "14:00"),
                    ("end_time", "16:00"),
                    ("mode", "sur-place"),
                    ("address", "Montpellier"),
                    ("department", "34"),
                    ("capacity", "20"),
                    ("information_meeting", "oui"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let herault = anon.get("/devenir-intervenant-pair?departement=34").await;
        assert!(herault.body.contains("Réunion d’information à Montpellier"));
        let aude = anon.get("/devenir-intervenant-pair?departement=11").await;
        assert!(!aude.body.contains("Réunion d’information à Montpellier"));
        let referent = anon.get("/devenir-referent").await;
        assert_eq!(
            referent.h1(),
            "Devenir référent en intervention par les pairs"
        );
        assert!(
            referent
                .body
                .contains("action=\"/devenir-referent/candidature\"")
        );
    }
}

#[tokio::test]
async fn a_person_applies_and_becomes_a_trained_peer_worker() {
    for app in apps().await {
        let mut ines = app.client();
        let base = start(&mut ines, "/devenir-intervenant-pair", "31").await;
        // One question per page, each checked beside its field.
        ines.post(&format!("{base}/nom"), &[("name", " ")])
            .await
            .assert_field_error("name", "Écrivez votre nom");
        answer(
            &mut ines,
            &base,
            "nom",
            &[("name", "Léa Fabre")],
            "departement",
        )
        .await;
        let dept = ines.get(&format!("{base}/departement")).await;
        assert!(
            dept.body.contains("value=\"31\" selected"),
            "the page's choice is kept"
        );
        ines.post(&format!("{base}/departement"), &[("department", "99")])
            .await
            .assert_field_error("department", "n’est pas un numéro de département");
        answer(
            &mut ines,
            &base,
            "departement",
            &[("department", "31")],
            "contact",
        )
        .await;
        ines.post(&format!("{base}/contact"), &[("email", ""), ("phone", "")])
            .await
            .assert_field_error(
                "email",
                "Écrivez une adresse e-mail ou un numéro de téléphone",
            );
        ines.post(
            &format!("{base}/contact"),
            &[("email", "lea@exemple"), ("phone", "")],
        )
        .await
        .assert_field_error("email", "adresse e-mail");
        answer(
            &mut ines,
            &base,
            "contact",
            &[("email", "lea.fabre@exemple.fr")],
            "actions",
        )
        .await;
        ines.post(&format!("{base}/actions"), &[("actions", "voler")])
            .await
            .assert_field_error("actions", "Choisissez parmi les actions de la liste");
        answer(
            &mut ines,
            &base,
            "actions",
            &[("actions", "former"), ("actions", "sensibiliser")],
            "besoins",
        )
        .await;
        // « Revenir » finds the answers kept.
        let back = ines.get(&format!("{base}/contact")).await;
        assert!(back.body.contains("value=\"lea.fabre@exemple.fr\""));
        let back = ines.get(&format!("{base}/actions")).await;
        assert!(
            back.body
                .contains("value=\"former\" id=\"actions-1\" checked")
        );
        assert!(back.body.contains(&format!("href=\"{base}/contact\"")));
        answer(
            &mut ines,
            &base,
            "besoins",
            &[("needs", "Une interprète en langue des signes")],
            "verifier",
        )
        .await;
        let check = ines.get(&format!("{base}/verifier")).await;
        for words in [
            "Léa Fabre",
            "Haute-Garonne",
            "Former des professionnels",
            "Sensibiliser les citoyens",
            "Une interprète",
        ] {
            assert!(check.body.contains(words), "{words}");
        }
        ines.post(&format!("{base}/verifier"), &[])
            .await
            .assert_field_error("consent", "Cochez la case");
        let sent = ines
            .post(&format!("{base}/verifier"), &[("consent", "oui")])
            .await;
        assert_eq!(sent.h1(), "Regardez vos e-mails");
        assert_eq!(
            ines.get(&format!("{base}/nom")).await.status,
            StatusCode::NOT_FOUND,
            "a sent draft is no longer open"
        );
        let (subject, _) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert_eq!(subject, "Confirmez votre candidature");
        let link = link_in(&through_smtp(&app, "lea.fabre@exemple.fr").await);

        // Not confirmed: the coordination does not see it yet.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert!(
            !coord
                .get("/admin/candidats")
                .await
                .body
                .contains("Léa Fabre")
        );

        // The link shows a button; the click makes the candidate account.
        let page = ines.get(&link).await;
        assert!(page.body.contains("Je confirme"));
        let res = ines.post(&link, &[]).await;
        assert_eq!(res.location(), "/espace?message=connecte");
        let again = app.client().post(&link, &[]).await;
        assert_eq!(again.location(), link, "a second click creates nothing");
        assert!(
            app.client()
                .get(&link)
                .await
                .body
                .contains("Votre candidature est confirmée")
        );
        assert_eq!(account_count(&app, "lea.fabre@exemple.fr").await, 1);
        let lea = app.account("lea.fabre@exemple.fr").await;
        assert_eq!(
            lea.roles.keys().copied().collect::<Vec<_>>(),
            [Role::Candidate]
        );
        let space = ines.get("/espace").await;
        assert!(
            space
                .body
                .contains("Bienvenue ! Vous avez posé votre candidature")
        );
        assert!(
            ines.get("/espace/candidature")
                .await
                .body
                .contains("Adresse e-mail confirmée")
        );
        // Nothing of the network's members.
        for path in [
            "/admin/candidats",
            "/admin/comptes",
            "/admin/annuaire",
            "/espace/ma-fiche",
        ] {
            assert_eq!(ines.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
        }
        let (subject, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert_eq!(subject, "Nouvelle candidature : Léa Fabre");
        assert!(!body.contains("interprète"), "no health data in an e-mail");
        let id = application_of(&app, "lea.fabre@exemple.fr").await;

        // The coordination of the département sees it; another does not.
        assert!(
            coord
                .get("/admin/candidats")
                .await
                .body
                .contains("Léa Fabre")
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert!(!hdf.get("/admin/candidats").await.body.contains("Léa Fabre"));
        let refused = hdf.get(&format!("/admin/candidats/{id}")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(!refused.body.contains("Léa Fabre"));
        let reads = app.audit_count("sensitive_read").await;
        let page = coord.get(&format!("/admin/candidats/{id}")).await;
        assert!(page.body.contains("Une interprète en langue des signes"));
        assert_eq!(
            app.audit_count("sensitive_read").await,
            reads + 1,
            "the read is audited"
        );

        // Contact, information meeting, training session.
        coord
            .post(
                &format!("/admin/candidats/{id}/contact"),
                &[("contacted_on", "hier")],
            )
            .await
            .assert_field_error("contacted_on", "date");
        let today = chrono::Utc::now()
            .date_naive()
            .format("%d/%m/%Y")
            .to_string();
        let res = coord
            .post(
                &format!("/admin/candidats/{id}/contact"),
                &[
                    ("contacted_on", &today),
                    ("contact_note", "Appel de bienvenue"),
                ],
            )
            .await;
        assert_eq!(
            res.location(),
            format!("/admin/candidats/{id}?message=etape")
        );
        coord
            .post(
                &format!("/admin/candidats/{id}/reunion"),
                &[("event", "inventee")],
            )
            .await
            .assert_field_error("event", "Choisissez une réunion d’information");
        let meeting = {
            let mut conn = app.db.conn().await.unwrap();
            epop_store::events::list(&mut conn, &Default::default())
                .await
                .unwrap()
                .into_iter()
                .find(|e| e.information_meeting)
                .unwrap()
                .slug
        };
        coord
            .post(
                &format!("/admin/candidats/{id}/reunion"),
                &[("event", &meeting)],
            )
            .await;
        let (subject, body) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert_eq!(subject, "Invitation à une réunion d’information");
        assert!(body.contains(&format!("/evenements/{meeting}")));
        let session = crate::trainings::create_session(&app, &mut coord).await;
        coord
            .post(
                &format!("/admin/candidats/{id}/formation"),
                &[("session", &session)],
            )
            .await;
        let (subject, body) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert_eq!(subject, "Invitation à candidater à une formation");
        let apply_link = link_in(&body);
        assert_eq!(apply_link, format!("/formations/{session}/candidature"));

        // The candidate applies like peers do; accepted, present, trained.
        assert_eq!(ines.get(&apply_link).await.status, StatusCode::OK);
        let res = ines
            .post(&apply_link, &[("motivation", "Parler de mon expérience.")])
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let training_app = {
            let mut conn = app.db.conn().await.unwrap();
            let s = trainings::session_by_slug(&mut conn, &session)
                .await
                .unwrap()
                .unwrap();
            trainings::applications(&mut conn, s.id).await.unwrap()[0]
                .public_id
                .clone()
        };
        let admin = format!("/admin/formations/{session}");
        coord
            .post(
                &format!("{admin}/candidatures/{training_app}"),
                &[("decision", "accepter")],
            )
            .await;
        // The session takes place (a month later).
        crate::trainings::session_took_place(&app, &session, 40).await;
        coord
            .post(
                &format!("{admin}/presences/1"),
                &[("present", &training_app)],
            )
            .await;
        let res = coord
            .post(
                &format!("{admin}/candidatures/{training_app}/terminer"),
                &[],
            )
            .await;
        assert!(res.location().ends_with("message=formation-terminee"));

        let lea = app.account("lea.fabre@exemple.fr").await;
        assert_eq!(lea.roles.keys().copied().collect::<Vec<_>>(), [Role::Peer]);
        let form = ines.get("/espace/ma-fiche").await;
        assert_eq!(form.status, StatusCode::OK, "the profile form opens");
        let mut conn = app.db.conn().await.unwrap();
        let trained: Option<String> =
            sqlx::query_scalar("SELECT trained_on FROM profiles WHERE account_id = $1")
                .bind(lea.id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert!(trained.is_some(), "the profile says trained");
        let steps: Vec<Step> = candidates::path_of(&mut conn, lea.id)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.step)
            .collect();
        assert_eq!(
            steps,
            [
                Step::Sent,
                Step::Confirmed,
                Step::Contacted,
                Step::MeetingInvited,
                Step::TrainingInvited,
                Step::TrainingApplied,
                Step::TrainingAccepted,
                Step::Trained,
            ]
        );
        drop(conn);
        let log = app
            .signed_in("admin@demo.epop.test")
            .await
            .get("/admin/journal")
            .await;
        for words in [
            "Candidature pour rejoindre le réseau envoyée",
            "Candidature pour rejoindre le réseau confirmée",
            "Contact avec une personne candidate",
        ] {
            assert!(log.body.contains(words), "{words}");
        }
        let mine = ines.get("/espace/candidature").await;
        assert!(mine.body.contains("Formée"));
        assert!(mine.body.contains("Appel de bienvenue"));

        // Her path shows every step, in order, and what comes next.
        let path = ines.get("/espace/mon-parcours").await;
        let mut at = 0;
        for step in [
            "<strong>Candidature envoyée</strong>",
            "<strong>Adresse e-mail confirmée</strong>",
            "<strong>Contact avec la coordination</strong> : contacté le ",
            "<strong>Invitation à une réunion d’information</strong>",
            "<strong>Invitation à candidater à une formation</strong>",
            "<strong>Candidature à une formation</strong>",
            "<strong>Place en formation</strong>",
            "<strong>Formation terminée</strong>",
        ] {
            let found = path.body[at..]
                .find(step)
                .unwrap_or_else(|| panic!("« {step} » missing or out of order:\n{}", path.body));
            at += found + step.len();
        }
        // The half-days are dated by the session (moved 40 days back here).
        assert!(
            path.body
                .contains("<strong>Demi-journées de formation suivies</strong> : 1 sur 2")
        );
        assert!(
            path.body
                .contains("Les prochaines étapes de l’accompagnement")
        );
        assert!(path.body.contains("Première intervention : avant le "));
    }
}

#[tokio::test]
async fn an_existing_address_is_not_revealed_and_gets_a_sign_in_link() {
    for app in apps().await {
        let mut c = app.client();
        apply(
            &mut c,
            "/devenir-referent",
            "Awa",
            "31",
            "pair@demo.epop.test",
        )
        .await;
        let (_, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        let link = link_in(&body);
        let res = c.post(&link, &[]).await;
        assert_eq!(res.location(), format!("{link}?confirmee=1"));
        assert!(
            !c.jar.keys().any(|k| k.contains("session")),
            "not signed in"
        );
        let page = c.get(&format!("{link}?confirmee=1")).await;
        assert_eq!(page.h1(), "Votre candidature est confirmée");
        let (subject, _) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert_eq!(subject, "Votre lien pour vous connecter à EPoP");
        assert_eq!(account_count(&app, "pair@demo.epop.test").await, 1);
        let awa = app.account("pair@demo.epop.test").await;
        assert!(awa.roles.contains_key(&Role::Candidate));
        assert_eq!(awa.display_name, "Awa Diallo", "the account is unchanged");
    }
}

#[tokio::test]
async fn a_phone_only_application_goes_to_the_coordination_and_is_closed_kindly() {
    for app in apps().await {
        // Somme: the Hauts-de-France coordination, not Occitanie's.
        let mut c = app.client();
        let base = start(&mut c, "/devenir-intervenant-pair", "80").await;
        answer(&mut c, &base, "nom", &[("name", "Paul")], "departement").await;
        answer(
            &mut c,
            &base,
            "departement",
            &[("department", "80")],
            "contact",
        )
        .await;
        answer(
            &mut c,
            &base,
            "contact",
            &[("phone", "06 12 34 56 78")],
            "actions",
        )
        .await;
        let sent = c
            .post(&format!("{base}/verifier"), &[("consent", "oui")])
            .await;
        assert_eq!(sent.h1(), "Votre candidature est envoyée");
        let (subject, _) = app
            .last_mail("coordination-hdf@demo.epop.test")
            .await
            .unwrap();
        assert_eq!(subject, "Nouvelle candidature : Paul");
        let mut occitanie = app.signed_in("coordination@demo.epop.test").await;
        assert!(
            !occitanie
                .get("/admin/candidats")
                .await
                .body
                .contains("Paul")
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let list = hdf.get("/admin/candidats").await;
        let id = list
            .body
            .split("/admin/candidats/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_owned();
        // Another territory's coordinator and the candidates write nothing.
        let mut candidate = app.signed_in("candidat@demo.epop.test").await;
        for client in [&mut occitanie, &mut candidate] {
            for (action, fields) in [
                ("clore", vec![("reason", "Piraté")]),
                ("contact", vec![("contacted_on", "01/01/2027")]),
            ] {
                let res = client
                    .post(&format!("/admin/candidats/{id}/{action}"), &fields)
                    .await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{action}");
            }
        }
        // No address: no e-mail invitation, the page says to call.
        hdf.post(
            &format!("/admin/candidats/{id}/formation"),
            &[("session", "x")],
        )
        .await
        .assert_field_error("session", "Choisissez une session");
        hdf.post(&format!("/admin/candidats/{id}/clore"), &[("reason", " ")])
            .await
            .assert_field_error("reason", "la raison");
        let res = hdf
            .post(
                &format!("/admin/candidats/{id}/clore"),
                &[(
                    "reason",
                    "Il n’y a pas de formation dans la Somme cette année.",
                )],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = hdf.get(&format!("/admin/candidats/{id}")).await;
        assert!(page.body.contains("Close"));
        assert!(
            !page.body.contains("Clore la candidature"),
            "no action on a closed one"
        );
        assert!(list.body.contains("Paul"));
        // By e-mail, the reason is said kindly, in easy words.
        let mut c = app.client();
        apply(
            &mut c,
            "/devenir-intervenant-pair",
            "Zoé",
            "80",
            "zoe@exemple.fr",
        )
        .await;
        let (_, body) = app.last_mail("zoe@exemple.fr").await.unwrap();
        c.post(&link_in(&body), &[]).await;
        let zoe = application_of(&app, "zoe@exemple.fr").await;
        hdf.post(
            &format!("/admin/candidats/{zoe}/clore"),
            &[("reason", "La prochaine formation est en septembre.")],
        )
        .await;
        let (subject, body) = app.last_mail("zoe@exemple.fr").await.unwrap();
        assert_eq!(subject, "Votre candidature");
        assert!(body.contains("Merci pour votre candidature."));
        assert!(body.contains("La prochaine formation est en septembre."));
    }
}
