//! The requesting organisation's view of its intervention: what happens
//! next before a peer accepts; then who comes (as the peer shows their
//! name), when, where, the référent, the framework in a host's words, the
//! pay, the mission sheet, and the accommodations the peer chose to share —
//! never the peer's profile's sensitive field nor their situation.

use axum::http::StatusCode;

use crate::harness::{App, Client, apps, assert_no_situation, awa_accepts};

const PAGE: &str = "/espace/demandes/demo-demande-esat";
const SHEET: &str = "/espace/demandes/demo-demande-esat/fiche-mission.pdf";
const ADMIN: &str = "/admin/demandes/demo-demande-esat";
/// Awa's profile: her own accommodations and experience (sensitive fields).
const PROFILE_SECRETS: [&str; 2] = [
    "Des pauses courtes toutes les heures.",
    "Trouble bipolaire stabilisé depuis 2015.",
];
const SHARED: &str = "Un temps calme de dix minutes avant de commencer.";

/// Words with their spaces made single (PDF text breaks lines anywhere).
fn words(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The requester's page and mission sheet (as text), each checked for what
/// must never reach the host.
async fn host_sees(requester: &mut Client) -> (String, String) {
    let page = requester.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK);
    let pdf = requester.get_bytes(SHEET).await;
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    let sheet = words(&crate::trainings::pdf_text(&pdf));
    for (seen, what) in [(&page.body, "the host's page"), (&sheet, "the sheet")] {
        assert_no_situation(seen, what);
        for secret in PROFILE_SECRETS {
            assert!(!seen.contains(secret), "« {secret} » in {what}");
        }
    }
    (page.body, sheet)
}

/// The coordination names the référent, chooses the framework, schedules
/// the intervention and records the payment, through its own routes.
async fn coordination_settles(app: &App) {
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    let referente = app.account("referente@demo.epop.test").await.id.to_string();
    let steps: [(&str, Vec<(&str, &str)>); 4] = [
        ("referent", vec![("referent", &referente)]),
        (
            "cadre",
            vec![("framework", "host_contract"), ("situation", "aah")],
        ),
        (
            "programmer",
            vec![
                ("date", "15/03/2027"),
                ("start_time", "9:30"),
                ("end_time", "12:30"),
            ],
        ),
        (
            "paiement",
            vec![
                ("fee", "250"),
                ("payer", "host"),
                ("due_on", "31/03/2027"),
                ("status", "due"),
            ],
        ),
    ];
    for (step, fields) in steps {
        let res = coord.post(&format!("{ADMIN}/{step}"), &fields).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{step}: {}", res.body);
    }
}

#[tokio::test]
async fn the_requester_knows_what_happens_next_then_everything_about_the_intervention() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let before = requester.get(PAGE).await;
        assert!(
            before.body.contains("Votre intervention"),
            "{}",
            before.body
        );
        assert!(
            before
                .body
                .contains("La coordination cherche un intervenant-pair"),
            "{}",
            before.body
        );
        assert!(!before.body.contains("fiche-mission.pdf"));
        assert_eq!(
            requester.get(SHEET).await.status,
            StatusCode::NOT_FOUND,
            "no sheet before a peer accepted"
        );

        let (mut awa, proposal) = awa_accepts(&app).await;
        let accepted = words(&requester.get(PAGE).await.body);
        assert!(accepted.contains("Awa Diallo"), "{accepted}");
        assert!(
            accepted.contains("Date demandée")
                && accepted.contains("la coordination vous confirmera l’horaire"),
            "{accepted}"
        );
        assert!(accepted.contains("Pas encore nommé"), "{accepted}");
        assert!(accepted.contains("À définir"), "{accepted}");

        coordination_settles(&app).await;
        let (page, sheet) = host_sees(&mut requester).await;
        let page = words(&page);
        for expected in [
            "Awa Diallo",
            "lundi 15 mars 2027, de 9 h 30 à 12 h 30",
            "ESAT des Ateliers de l’Hers, 31130 Balma",
            "Plain-pied, toilettes adaptées",
            "Julie Ferrand",
            "Votre organisation emploie l’intervenant-pair",
            "Un contrat de travail écrit, signé avant l’intervention",
            "250 €",
            "L’organisation qui accueille",
            "Aucun aménagement demandé",
            "href=\"/espace/demandes/demo-demande-esat/fiche-mission.pdf\"",
        ] {
            assert!(page.contains(expected), "« {expected} » in {page}");
        }
        for expected in [
            "Julie Ferrand",
            "9 h 30 à 12 h 30",
            "250 €",
            "Aucun aménagement demandé",
        ] {
            assert!(sheet.contains(expected), "« {expected} » in {sheet}");
        }

        // The peer's form starts empty, never from her profile.
        let offer = awa.get(&proposal).await;
        assert!(
            offer
                .body
                .contains("Ce que l’organisation doit prévoir pour moi"),
            "{}",
            offer.body
        );
        assert!(offer.body.contains("fiche de mission"));
        for secret in PROFILE_SECRETS {
            assert!(!offer.body.contains(secret), "« {secret} » prefilled");
        }
        // Taking her profile's words only fills the form: nothing is saved.
        let taken = awa
            .post(&format!("{proposal}/amenagements"), &[("action", "fiche")])
            .await;
        assert_eq!(taken.status, StatusCode::OK);
        assert!(taken.body.contains(PROFILE_SECRETS[0]), "{}", taken.body);
        assert_eq!(app.audit_count("sensitive_shared").await, 0);
        let too_long = "a".repeat(2001);
        let bad = awa
            .post(
                &format!("{proposal}/amenagements"),
                &[("accommodations", &too_long)],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        bad.assert_field_error("accommodations", "2000 caractères");
        assert!(bad.body.contains(&too_long), "what was typed is kept");
        let (_, sheet) = host_sees(&mut requester).await;
        assert!(sheet.contains("Aucun aménagement demandé"), "nothing saved");

        // Only the peer of the proposal writes there.
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        let res = thomas
            .post(
                &format!("{proposal}/amenagements"),
                &[("accommodations", "Pas à moi d’écrire ici.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(app.audit_count("sensitive_shared").await, 0);
        let res = awa
            .post(
                &format!("{proposal}/amenagements"),
                &[("accommodations", SHARED)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(app.audit_count("sensitive_shared").await, 1);
        assert!(awa.get(&proposal).await.body.contains(SHARED), "kept");
        let (page, sheet) = host_sees(&mut requester).await;
        for (seen, what) in [(words(&page), "page"), (sheet, "sheet")] {
            assert!(
                seen.contains("Aménagements demandés par l’intervenant-pair"),
                "{what}: {seen}"
            );
            assert!(seen.contains(SHARED), "{what}: {seen}");
            assert!(!seen.contains("Aucun aménagement demandé"), "{what}");
        }
        // A colleague of the organisation sees them too, and the coordination.
        let mut colleague = app.signed_in("referente@demo.epop.test").await;
        assert!(colleague.get(PAGE).await.body.contains(SHARED));
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let pdf = coord.get_bytes(&format!("{ADMIN}/fiche-mission.pdf")).await;
        assert!(words(&crate::trainings::pdf_text(&pdf)).contains(SHARED));

        // Emptying the field takes them off the sheet.
        awa.post(
            &format!("{proposal}/amenagements"),
            &[("accommodations", " ")],
        )
        .await;
        let (_, sheet) = host_sees(&mut requester).await;
        assert!(sheet.contains("Aucun aménagement demandé"), "{sheet}");

        // Another organisation's member: neither the page nor the sheet.
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        for path in [PAGE, SHEET] {
            let got = other.get(path).await;
            assert_eq!(got.status, StatusCode::NOT_FOUND, "{path}");
            assert!(!got.body.contains("Awa Diallo"), "{path}");
        }
    }
}

#[tokio::test]
async fn a_peer_with_a_hidden_profile_is_named_by_their_first_name_only() {
    for app in apps().await {
        awa_accepts(&app).await;
        let mut conn = app.db.conn().await.unwrap();
        sqlx::query("UPDATE profiles SET visibility = 'hidden' WHERE slug = 'awa-diallo'")
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let page = requester.get(PAGE).await;
        assert!(page.body.contains("Awa, intervenant-pair"), "{}", page.body);
        assert!(!page.body.contains("Diallo"), "{}", page.body);
    }
}

#[tokio::test]
async fn the_organisation_reads_its_request_in_words_and_keeps_a_message_that_failed() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let page = requester.get(PAGE).await;
        let asked = page
            .body
            .split("Ce que vous avez demandé")
            .nth(1)
            .expect("the request has its own heading");
        // The demo request is for the day 50 days from now.
        let day = chrono::Utc::now().date_naive() + chrono::Duration::days(50);
        let words = epop_domain::schedule::day_in_words(day);
        assert!(
            asked.contains(&words) && !asked.contains(&day.format("%d/%m/%Y").to_string()),
            "the date in words ({words}): {asked}"
        );
        let long = "Bonjour, une question. ".repeat(300);
        requester
            .post(&format!("{PAGE}/messages"), &[("message", long.as_str())])
            .await
            .assert_field_error("message", "5000");
        let again = requester
            .post(&format!("{PAGE}/messages"), &[("message", long.as_str())])
            .await;
        assert!(
            again.body.contains(long.trim_end()),
            "what was typed is kept"
        );
    }
}

#[tokio::test]
async fn an_accepted_proposal_is_shown_without_its_past_deadline() {
    for app in apps().await {
        awa_accepts(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let page = coord.get(ADMIN).await;
        let line = page
            .body
            .split("Awa Diallo : Accepté")
            .nth(1)
            .expect("the accepted proposal is listed");
        let line = &line[..line.find("</li>").unwrap_or(line.len())];
        assert!(
            !line.contains("réponse"),
            "no deadline once accepted: {line}"
        );
    }
}
