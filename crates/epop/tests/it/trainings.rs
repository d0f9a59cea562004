//! Trainings through the real router: a coordinator creates a session, a
//! peer worker applies, the coordinator decides, records attendance and
//! completion (the profile becomes trained, a certificate is offered), and
//! follows the person afterwards.

use axum::http::StatusCode;
use epop_store::trainings;

use crate::harness::{App, Client, apps};

/// The demo's programme for peer workers.
async fn peer_programme(app: &App) -> trainings::Programme {
    let mut conn = app.db.conn().await.unwrap();
    trainings::programmes(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.audience.code() == "peer")
        .unwrap()
}

/// A session of the peer programme in Toulouse in 30 days, one place.
pub(crate) async fn create_session(app: &App, coord: &mut Client) -> String {
    let programme = peer_programme(app).await;
    let d = (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).format("%d/%m/%Y");
    let half_days = format!("{d} 9:00-12:30\n{d} 13:30-17:00");
    let page = coord
        .post(
            "/admin/formations/sessions/nouvelle",
            &[
                ("programme", &programme.slug),
                ("title", "Session Toulouse"),
                ("place", "Toulouse"),
                ("department", "31"),
                ("capacity", "1"),
                ("half_days", &half_days),
                ("trainers", "Claire Vidal"),
                ("peer_trainers", "Thomas Roux"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location()
        .trim_start_matches("/admin/formations/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// Runs a poppler tool on a PDF (CI installs poppler-utils).
fn poppler(tool: &str, pdf: &[u8], out: &[&str]) -> String {
    let path =
        std::env::temp_dir().join(format!("epop-it-{}-{}.pdf", std::process::id(), pdf.len()));
    std::fs::write(&path, pdf).unwrap();
    let output = std::process::Command::new(tool)
        .arg(&path)
        .args(out)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (apt-get install poppler-utils): {e}"));
    let _ = std::fs::remove_file(&path);
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn pdf_text(pdf: &[u8]) -> String {
    poppler("pdftotext", pdf, &["-"])
}

pub fn pdf_info(pdf: &[u8]) -> String {
    poppler("pdfinfo", pdf, &[])
}

/// Moves a session's half-days `days` earlier, as if that time had passed.
pub async fn session_took_place(app: &App, slug: &str, days: i64) {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query(
        "UPDATE training_half_days SET starts_at = starts_at - $1, ends_at = ends_at - $1 \
         WHERE session_id = (SELECT id FROM training_sessions WHERE slug = $2)",
    )
    .bind(days * 24 * 3600)
    .bind(slug)
    .execute(&mut *conn)
    .await
    .unwrap();
}

pub(crate) async fn application_id(app: &App, slug: &str, email: &str) -> String {
    let mut conn = app.db.conn().await.unwrap();
    let s = trainings::session_by_slug(&mut conn, slug)
        .await
        .unwrap()
        .unwrap();
    trainings::applications(&mut conn, s.id)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.email == email)
        .unwrap()
        .public_id
}

#[tokio::test]
async fn a_peer_applies_is_accepted_attends_and_completes() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let empty = coord.post("/admin/formations/sessions/nouvelle", &[]).await;
        empty.assert_field_error("programme", "Choisissez le programme");
        assert!(empty.body.contains("Écrivez au moins une demi-journée"));
        let slug = create_session(&app, &mut coord).await;

        // The public page says what, when, who trains; peers apply.
        let mut anon = app.client();
        let page = anon.get(&format!("/formations/{slug}")).await;
        assert!(
            page.body
                .contains("Thomas Roux, intervenant-pair ou intervenante-paire")
        );
        assert!(page.body.contains("connectez-vous"));
        let list = anon.get("/formations").await;
        assert!(list.body.contains(&format!("/formations/{slug}")));

        let mut referente = app.signed_in("referente@demo.epop.test").await;
        let refused = referente
            .get(&format!("/formations/{slug}/candidature"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "a peer programme");

        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let page = awa
            .post(
                &format!("/formations/{slug}/candidature"),
                &[("motivation", " ")],
            )
            .await;
        page.assert_field_error(
            "motivation",
            "Saisissez pourquoi vous voulez suivre cette formation",
        );
        let page = awa
            .post(
                &format!("/formations/{slug}/candidature"),
                &[
                    ("motivation", "Former les équipes d’ESAT."),
                    ("needs", "Pauses"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let (subject, _) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Candidature reçue"), "{subject}");
        let mine = awa.get("/espace/formations").await;
        assert!(
            mine.body
                .contains("Candidature reçue, en attente de réponse")
        );

        // Nadia applies too; one place only.
        let mut nadia = app.signed_in("pair-herault@demo.epop.test").await;
        nadia
            .post(
                &format!("/formations/{slug}/candidature"),
                &[("motivation", "Aider.")],
            )
            .await;

        let awa_id = application_id(&app, &slug, "pair@demo.epop.test").await;
        let nadia_id = application_id(&app, &slug, "pair-herault@demo.epop.test").await;
        let needs_read = app.audit_count("needs_read").await;
        let page = coord.get(&format!("/admin/formations/{slug}")).await;
        assert!(page.body.contains("Former les équipes d’ESAT."));
        assert!(page.body.contains("Candidatures à décider (2)"));
        // Awa's needs are shown to the coordinator: the read is audited.
        assert!(page.body.contains("Pauses"));
        assert_eq!(app.audit_count("needs_read").await, needs_read + 1);

        let res = coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{awa_id}"),
                &[("decision", "accepter")],
            )
            .await;
        assert_eq!(
            res.location(),
            format!("/admin/formations/{slug}?message=decision")
        );
        let (subject, _) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(
            subject.starts_with("Votre candidature est acceptée"),
            "{subject}"
        );
        // Declining needs a reason, which the person receives.
        let res = coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{nadia_id}"),
                &[("decision", "refuser"), ("reason", "")],
            )
            .await;
        assert!(res.location().ends_with("message=raison-manquante"));
        coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{nadia_id}"),
                &[
                    ("decision", "refuser"),
                    ("reason", "La session de l’Hérault vous conviendra mieux."),
                ],
            )
            .await;
        let (subject, body) = app.last_mail("pair-herault@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Votre candidature n’est pas retenue"));
        assert!(body.contains("La session de l’Hérault vous conviendra mieux."));

        // Nothing is noted before it happened: neither who was present at a
        // half-day to come, nor the end of a training that has not ended.
        let res = coord
            .post(
                &format!("/admin/formations/{slug}/presences/1"),
                &[("present", &awa_id)],
            )
            .await;
        assert!(res.location().ends_with("message=presences-trop-tot"));
        let res = coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{awa_id}/terminer"),
                &[],
            )
            .await;
        assert!(res.location().ends_with("message=formation-pas-finie"));
        let page = coord.get(&format!("/admin/formations/{slug}")).await;
        assert!(
            page.body
                .contains("le certificat pourra être délivré après la dernière demi-journée")
        );
        assert!(!page.body.contains(&format!("{awa_id}/terminer")));
        let mine = awa.get("/espace/formations").await;
        assert!(!mine.body.contains("certificat.pdf"));

        // A month later, the session took place.
        session_took_place(&app, &slug, 40).await;
        // Attendance of half-day 1, then completion.
        let res = coord
            .post(
                &format!("/admin/formations/{slug}/presences/1"),
                &[("present", &awa_id)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let res = coord
            .post(&format!("/admin/formations/{slug}/presences/9"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let page = coord.get(&format!("/admin/formations/{slug}")).await;
        assert!(
            page.body.contains(&format!("id=\"p-0-{awa_id}\" checked")),
            "{}",
            page.body
        );
        let res = coord
            .post(
                &format!("/admin/formations/{slug}/candidatures/{awa_id}/terminer"),
                &[],
            )
            .await;
        assert!(res.location().ends_with("message=formation-terminee"));
        let (subject, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Formation terminée"), "{subject}");
        assert!(body.contains(&format!("/espace/formations/{awa_id}/certificat.pdf")));
        let profile = anon.get("/annuaire/awa-diallo").await;
        assert!(
            profile.body.contains("Formation des intervenants-pairs"),
            "the profile says trained"
        );
        let mine = awa.get("/espace/formations").await;
        assert!(mine.body.contains("Formation terminée"));
        assert!(mine.body.contains("certificat.pdf"));
        assert!(app.audit_count("training_completed").await >= 1);

        // The certificate (tagged PDF) for Awa and her coordinators only;
        // the attendance sheet for the coordinators.
        let cert = awa
            .get_bytes(&format!("/espace/formations/{awa_id}/certificat.pdf"))
            .await;
        let text = pdf_text(&cert);
        assert!(text.contains("Certificat de réalisation"), "{text}");
        assert!(
            text.contains("Awa Diallo") && text.contains("35 heures"),
            "{text}"
        );
        assert!(pdf_info(&cert).contains("Tagged:          yes"));
        assert_eq!(
            nadia
                .get(&format!("/espace/formations/{awa_id}/certificat.pdf"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            nadia
                .get(&format!("/espace/formations/{nadia_id}/certificat.pdf"))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "no certificate without completion"
        );
        let sheet = coord
            .get_bytes(&format!("/admin/formations/{slug}/emargement/1.pdf"))
            .await;
        let text = pdf_text(&sheet);
        assert!(
            text.contains("Awa Diallo") && text.contains("Thomas Roux"),
            "{text}"
        );
        assert!(
            !text.contains("Nadia Haddad"),
            "declined people do not sign"
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("/admin/formations/{slug}/emargement/1.pdf"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            coord
                .get(&format!("/admin/formations/{slug}/emargement/3.pdf"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // Withdrawing is for one's own applications only.
        let res = nadia
            .post(&format!("/espace/formations/{awa_id}/retirer"), &[])
            .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn accompaniment_is_for_the_coordinators_of_the_territory() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let awa = epop_store::accounts::id_by_email(
            &mut conn,
            &epop_domain::Email::parse("pair@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        let awa = epop_store::accounts::by_id(&mut conn, awa)
            .await
            .unwrap()
            .unwrap()
            .public_id;
        drop(conn);
        let path = format!("/admin/accompagnement/{awa}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let bad = coord
            .post(
                &format!("{path}/etape"),
                &[
                    ("milestone", "premiere-intervention"),
                    ("reached_on", "31/02/2027"),
                ],
            )
            .await;
        bad.assert_field_error(
            "reached_on",
            "Le 31/02/2027 n’existe pas : février 2027 a 28 jours.",
        );
        // A milestone is noted once it happened, not at a day to come.
        let tomorrow = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
        let bad = coord
            .post(
                &format!("{path}/etape"),
                &[
                    ("milestone", "premiere-intervention"),
                    ("reached_on", &tomorrow.format("%d/%m/%Y").to_string()),
                ],
            )
            .await;
        bad.assert_field_error("reached_on", "n’est pas encore passé");
        let ok = coord
            .post(
                &format!("{path}/etape"),
                &[
                    ("milestone", "premiere-intervention"),
                    ("reached_on", "03/02/2026"),
                ],
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER);
        coord
            .post(
                &format!("{path}/note"),
                &[("body", "A animé seule sa première séance.")],
            )
            .await;
        let page = coord.get(&path).await;
        assert!(
            page.body
                .contains("Étape de l’accompagnement</strong> : Première intervention"),
            "{}",
            page.body
        );
        assert!(page.body.contains("mardi 3 février 2026"), "{}", page.body);
        assert!(page.body.contains("A animé seule sa première séance."));
        assert!(app.audit_count("follow_up_read").await >= 1);
        for who in [
            "coordination-hdf@demo.epop.test",
            "referente@demo.epop.test",
            "pair@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            let page = c.get(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who}");
            assert!(!page.body.contains("première séance"));
            let res = c.post(&format!("{path}/note"), &[("body", "Intrus")]).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let page = coord.get(&path).await;
        assert!(!page.body.contains("Intrus"));
    }
}

/// An administrator corrects a programme: the form comes filled in, a
/// mistake is named on its field and changes nothing, and the new text is
/// what the list and the sessions' public pages show at once.
#[tokio::test]
async fn an_administrator_edits_a_programme() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let programme = peer_programme(&app).await;
        let mut conn = app.db.conn().await.unwrap();
        let session = trainings::sessions(&mut conn)
            .await
            .unwrap()
            .into_iter()
            .find(|s| s.programme.id == programme.id)
            .unwrap();
        drop(conn);
        let list = admin.get("/admin/formations").await;
        let edit = format!("/admin/formations/programmes/{}/modifier", programme.slug);
        assert!(list.body.contains(&format!("href=\"{edit}\"")));
        let form = admin.get(&edit).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body
                .contains(&format!("value=\"{}\"", programme.title))
        );
        assert!(form.body.contains(&format!("action=\"{edit}\"")));
        let hours = programme.hours.to_string();
        let mut fields = vec![
            ("title", ""),
            ("audience", "peer"),
            ("description", programme.description.as_str()),
            ("description_easy", programme.description_easy.as_str()),
            ("duration", "6 jours"),
            ("hours", hours.as_str()),
        ];
        let refused = admin.post(&edit, &fields).await;
        refused.assert_field_error("title", "titre");
        let mut conn = app.db.conn().await.unwrap();
        let unchanged = trainings::programme_by_slug(&mut conn, &programme.slug)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(unchanged, programme, "a refused form changes nothing");
        drop(conn);
        fields[0].1 = "Formation des intervenants-pairs (2027)";
        let saved = admin.post(&edit, &fields).await;
        assert_eq!(
            saved.location(),
            "/admin/formations?message=formation",
            "{}",
            saved.body
        );
        let list = admin.get("/admin/formations").await;
        assert!(
            list.body
                .contains("Formation des intervenants-pairs (2027)")
        );
        assert!(list.body.contains("6 jours"));
        let public = app
            .client()
            .get(&format!("/formations/{}", session.slug))
            .await;
        assert!(
            public
                .body
                .contains("Formation des intervenants-pairs (2027)"),
            "{}",
            public.body
        );
        // Its address stays.
        assert_eq!(admin.get(&edit).await.status, StatusCode::OK);
        let mut conn = app.db.conn().await.unwrap();
        let filter = epop_store::audit::Filter {
            action: "training_programme_updated".into(),
            ..Default::default()
        };
        let (lines, _) = epop_store::audit::search(&mut conn, &filter, 10, 0)
            .await
            .unwrap();
        assert_eq!(lines.len(), 1);
        assert_eq!(
            lines[0].subject.as_deref(),
            Some(format!("programme:{}", programme.slug).as_str())
        );
    }
}
