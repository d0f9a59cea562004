//! An information meeting tied to a training programme, through the real
//! router on both engines: the event form refuses a forged programme (and a
//! programme on an event that is not a meeting) beside the field; people
//! register, one cancels, one is marked absent; nothing is sent before the
//! end; after it, the worker's job writes one e-mail to each person who came
//! (easy-read wording for the one who asked for easy-read documents), with
//! the link to apply and the programme's session, and never twice; the
//! event's page and the registration's page offer the application.

use axum::http::StatusCode;
use epop_store::{events, outbox, trainings};

use crate::harness::{App, Client, apps};

const SUBJECTS: &str = "Merci pour";

/// The demo peer workers' programme: (its slug, the slug of its session to
/// come).
async fn peer_programme(app: &App) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    let session = trainings::sessions(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.programme.audience == epop_domain::training::Audience::Peer)
        .unwrap();
    (session.programme.slug, session.slug)
}

/// The day in 30 days, as the event form takes it.
fn in_30_days() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(30))
        .format("%d/%m/%Y")
        .to_string()
}

/// The event form's fields for an information meeting on `date` in the
/// Haute-Garonne, with `more`.
fn meeting_fields<'a>(date: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("title", "Réunion d’information à Toulouse"),
        (
            "description",
            "Le projet et la formation des intervenants-pairs.",
        ),
        ("description_easy", "Nous expliquons le projet."),
        ("audience", "Personnes en situation de handicap"),
        ("organiser", "CREAI-ORS Occitanie"),
        ("date", date),
        ("start_time", "14:00"),
        ("end_time", "16:00"),
        ("mode", "sur-place"),
        ("address", "5 rue de la Fonderie, 31000 Toulouse"),
        ("department", "31"),
        ("capacity", "20"),
    ];
    f.extend_from_slice(more);
    f
}

async fn event_count(app: &App) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// The follow-up e-mails written to an address: (subject, body).
async fn followups(app: &App, to: &str) -> Vec<(String, String)> {
    let mut conn = app.db.conn().await.unwrap();
    outbox::recent(&mut conn, Some(to), 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|(e, _)| e.subject.starts_with(SUBJECTS))
        .map(|(e, body)| (e.subject, body))
        .collect()
}

/// The one follow-up e-mail written to an address.
async fn only_followup(app: &App, to: &str) -> (String, String) {
    let mut mails = followups(app, to).await;
    assert_eq!(mails.len(), 1, "one e-mail to {to}");
    mails.remove(0)
}

/// Registers a person with the public form; returns their registration's
/// page.
async fn register(c: &mut Client, slug: &str, name: &str, email: &str, needs: &[&str]) -> String {
    let mut fields = vec![("name", name), ("email", email), ("consent", "oui")];
    fields.extend(needs.iter().map(|n| ("needs", *n)));
    let page = c
        .post(&format!("/evenements/{slug}/inscription"), &fields)
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().split('?').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_forged_programme_is_refused_beside_the_field_and_nothing_is_written() {
    for app in apps().await {
        let (programme, _) = peer_programme(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let date = in_30_days();
        let form = coord.get("/admin/evenements/nouveau").await;
        assert!(
            form.body
                .contains(&format!("<option value=\"{programme}\">")),
            "{}",
            form.body
        );
        assert!(
            form.body
                .contains("<label for=\"programme\">Formation présentée")
        );
        let before = event_count(&app).await;
        let forged = coord
            .post(
                "/admin/evenements/nouveau",
                &meeting_fields(
                    &date,
                    &[
                        ("information_meeting", "oui"),
                        ("programme", "formation-inventee"),
                    ],
                ),
            )
            .await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        assert!(
            forged.title().starts_with("Erreur : "),
            "{}",
            forged.title()
        );
        forged.assert_field_error("programme", "Cette formation n’existe pas");
        // Not a meeting: a programme is refused beside the field too.
        let not_a_meeting = coord
            .post(
                "/admin/evenements/nouveau",
                &meeting_fields(&date, &[("programme", &programme)]),
            )
            .await;
        not_a_meeting.assert_field_error("programme", "Seule une réunion d’information");
        assert_eq!(event_count(&app).await, before, "nothing written");
        assert_eq!(app.audit_count("event_created").await, 0);
    }
}

#[tokio::test]
async fn people_who_came_are_offered_the_training_once_the_meeting_has_ended() {
    for app in apps().await {
        let (programme, session) = peer_programme(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let date = in_30_days();
        let res = coord
            .post(
                "/admin/evenements/nouveau",
                &meeting_fields(
                    &date,
                    &[("information_meeting", "oui"), ("programme", &programme)],
                ),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let path = res.location().split('?').next().unwrap();
        let slug = path.rsplit('/').next().unwrap().to_owned();
        let edit = coord
            .get(&format!("/admin/evenements/{slug}/modifier"))
            .await;
        assert!(
            edit.body
                .contains(&format!("<option value=\"{programme}\" selected>"))
        );

        // Before the end: the page presents the training, no offer yet.
        let mut anon = app.client();
        let page = anon.get(&format!("/evenements/{slug}")).await;
        assert!(
            page.body.contains(
                "Cette réunion présente la formation « Formation des intervenants-pairs »"
            ),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains(&format!("href=\"/formations#programme-{programme}\""))
        );
        assert!(!page.body.contains("Posez votre candidature"));

        let lea = register(&mut anon, &slug, "Léa Fabre", "lea@exemple.fr", &[]).await;
        register(&mut anon, &slug, "Marc Petit", "marc@exemple.fr", &["falc"]).await;
        let nour = register(&mut anon, &slug, "Nour Haddad", "nour@exemple.fr", &[]).await;
        register(&mut anon, &slug, "Paul Girard", "paul@exemple.fr", &[]).await;
        let res = anon.post(&format!("{nour}/annuler"), &[]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // During the meeting: nothing is sent.
        let mut conn = app.db.conn().await.unwrap();
        let e = events::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        drop(conn);
        epop_web::jobs::run_due(&app.db, crate::harness::BASE, e.starts_at + 60)
            .await
            .unwrap();
        for who in ["lea", "marc", "nour", "paul"] {
            assert!(
                followups(&app, &format!("{who}@exemple.fr"))
                    .await
                    .is_empty()
            );
        }

        // The meeting took place: moved into the past; Paul was absent.
        let t = epop_store::now();
        let mut conn = app.db.conn().await.unwrap();
        sqlx::query("UPDATE events SET starts_at = $1, ends_at = $2, deadline = $1 WHERE id = $3")
            .bind(t - 3 * 3600)
            .bind(t - 3600)
            .bind(e.id)
            .execute(&mut *conn)
            .await
            .unwrap();
        let regs = events::registrations(&mut conn, e.id).await.unwrap();
        drop(conn);
        let id_of = |name: &str| regs.iter().find(|r| r.name == name).unwrap().id.to_string();
        let res = coord
            .post(
                &format!("/admin/evenements/{slug}/presences"),
                &[
                    ("present", id_of("Léa Fabre").as_str()),
                    ("present", id_of("Marc Petit").as_str()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);

        // Two workers at once: each person gets one e-mail.
        let (a, b) = tokio::join!(
            epop_web::jobs::run_due(&app.db, crate::harness::BASE, epop_store::now()),
            epop_web::jobs::run_due(&app.db, crate::harness::BASE, epop_store::now()),
        );
        a.unwrap();
        b.unwrap();
        let apply = "http://epop.test/devenir-intervenant-pair?departement=31";
        let session_link = format!("http://epop.test/formations/{session}");
        let (subject, body) = only_followup(&app, "lea@exemple.fr").await;
        assert_eq!(
            subject,
            "Merci pour la réunion d’information : Réunion d’information à Toulouse"
        );
        assert!(body.contains("Bonjour Léa Fabre"), "{body}");
        assert!(body.contains(&format!("Posez votre candidature ici :\n{apply}")));
        assert!(body.contains(&session_link), "{body}");
        assert!(
            body.contains("Cinq jours pour apprendre"),
            "the description"
        );
        assert!(!body.contains("Poser votre candidature veut dire"));

        let (subject, body) = only_followup(&app, "marc@exemple.fr").await;
        assert_eq!(
            subject,
            "Merci pour votre présence à la réunion d’information"
        );
        assert!(body.contains("Poser votre candidature veut dire"), "{body}");
        assert!(
            body.contains("La formation dure 5 jours."),
            "easy-read text"
        );
        assert!(body.contains(apply) && body.contains(&session_link));
        assert!(!body.contains('·'), "no middle dot in easy-read French");

        assert!(
            followups(&app, "nour@exemple.fr").await.is_empty(),
            "cancelled"
        );
        assert!(
            followups(&app, "paul@exemple.fr").await.is_empty(),
            "absent"
        );

        // Run again: nothing more.
        epop_web::jobs::run_due(&app.db, crate::harness::BASE, epop_store::now() + 60)
            .await
            .unwrap();
        only_followup(&app, "lea@exemple.fr").await;
        only_followup(&app, "marc@exemple.fr").await;

        // After the end, the pages offer the application.
        let offer = "Vous voulez suivre la formation ? <a href=\"/devenir-intervenant-pair?departement=31\">Posez votre candidature</a>";
        let page = anon.get(&format!("/evenements/{slug}")).await;
        assert!(page.body.contains(offer), "{}", page.body);
        let mine = anon.get(&lea).await;
        assert!(mine.body.contains(offer), "{}", mine.body);
        assert!(mine.body.contains("Cette réunion présente la formation"));
        let easy = anon
            .get(&format!("/evenements/{slug}?version=facile"))
            .await;
        assert!(
            easy.body
                .contains("Dans cette réunion, nous parlons de la formation")
        );
    }
}
