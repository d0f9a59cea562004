//! Events through the real router: an organiser creates an information
//! meeting, people register (one on behalf of another), the waiting list
//! moves when someone cancels, every e-mail is checked through the outbox,
//! calendar files and exports are read back.

use axum::http::StatusCode;
use epop_store::events::{self, Filter};

use crate::directory_admin::xlsx_to_csv;
use crate::harness::{App, Client, apps, link_in};

/// The newest attachment written for an address: (file name, text).
pub(crate) async fn last_attachment(app: &App, to: &str) -> Option<(String, String)> {
    let mut conn = app.db.conn().await.unwrap();
    let row: Option<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT attachment_name, attachment_body FROM outbox WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(&mut *conn)
    .await
    .unwrap();
    row.and_then(|(n, b)| n.zip(b))
}

/// A date about two months ahead, as the form takes it.
fn future_date() -> (String, chrono::NaiveDate) {
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(60);
    (d.format("%d/%m/%Y").to_string(), d)
}

async fn create_meeting(coord: &mut Client, capacity: &str) -> String {
    let (date, _) = future_date();
    let page = coord
        .post(
            "/admin/evenements/nouveau",
            &[
                ("title", "Réunion d’information en ligne"),
                ("description", "Présentation du réseau et de la formation."),
                (
                    "description_easy",
                    "Nous parlons du réseau.\nVous posez vos questions.",
                ),
                ("audience", "Tout le monde"),
                ("organiser", "Croix-Rouge française – Occitanie"),
                ("date", &date),
                ("start_time", "11h30"),
                ("end_time", "12h30"),
                ("mode", "en-ligne"),
                ("online_link", "https://visio.exemple.fr/secret-123"),
                ("department", "31"),
                ("capacity", capacity),
                ("accessibility", "lsf"),
                ("accessibility", "sous-titrage"),
                ("questions", "Comment avez-vous connu le réseau ?"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let slug = page
        .location()
        .trim_start_matches("/admin/evenements/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        slug.starts_with("reunion-d-information-en-ligne-"),
        "{slug}"
    );
    slug
}

async fn register(c: &mut Client, slug: &str, fields: &[(&str, &str)]) -> crate::harness::Page {
    c.post(&format!("/evenements/{slug}/inscription"), fields)
        .await
}

/// Léa Fabre registers (LSF, consent given) with `more` answers; she is
/// sent to her registration's page, whose address is returned.
async fn register_lea(c: &mut Client, slug: &str, more: &[(&str, &str)]) -> String {
    let mut fields = vec![
        ("name", "Léa Fabre"),
        ("email", "lea.fabre@exemple.fr"),
        ("needs", "lsf"),
    ];
    fields.extend_from_slice(more);
    fields.push(("consent", "oui"));
    let page = register(c, slug, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().to_owned()
}

/// The demo workshop in Lille: 3 seats, 4 people, offers for 48 hours.
async fn lille_workshop(app: &App) -> events::Event {
    let mut conn = app.db.conn().await.unwrap();
    events::list(&mut conn, &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.department_code.as_deref() == Some("59"))
        .unwrap()
}

#[tokio::test]
async fn an_information_meeting_from_creation_to_the_waiting_list_moving() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        // An empty form: every problem named, nothing created.
        let page = coord.post("/admin/evenements/nouveau", &[]).await;
        page.assert_field_error("title", "Saisissez le titre");
        page.assert_field_error(
            "mode",
            "Choisissez si l’événement a lieu en ligne ou sur place",
        );
        let slug = create_meeting(&mut coord, "2").await;

        // The public page: what, when (Paris time), places; never the link.
        let mut anon = app.client();
        let page = anon.get(&format!("/evenements/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("de 11 h 30 à 12 h 30"), "{}", page.body);
        assert!(page.body.contains("2 places restantes sur 2."));
        assert!(page.body.contains("itemtype=\"https://schema.org/Event\""));
        assert!(
            page.body
                .contains("Interprète en langue des signes française (LSF)")
        );
        assert!(
            !page.body.contains("secret-123"),
            "the online link is for registered people"
        );
        let easy = anon
            .get(&format!("/evenements/{slug}?version=facile"))
            .await;
        assert!(easy.body.contains("<p>Vous posez vos questions.</p>"));
        let list = anon.get("/evenements?region=76&lieu=en-ligne").await;
        assert!(list.body.contains(&format!("/evenements/{slug}")));
        let elsewhere = anon.get("/evenements?region=32").await;
        assert!(!elsewhere.body.contains(&format!("/evenements/{slug}")));

        // Bad input: a clear message per field, nothing registered.
        let page = register(
            &mut anon,
            &slug,
            &[("name", ""), ("email", "pas-une-adresse"), ("phone", "06")],
        )
        .await;
        page.assert_field_error("email", "au bon format");
        assert!(page.body.contains("Cochez la case pour accepter"));
        assert!(
            page.body
                .contains("Le numéro de téléphone n’est pas complet")
        );

        // First person: a seat, the link in the e-mail with the calendar file.
        let lea = register_lea(&mut anon, &slug, &[("answer", "Par une amie")]).await;
        let lea_page = anon.get(&lea).await;
        assert!(lea_page.body.contains("Inscription confirmée"));
        assert!(
            lea_page.body.contains("secret-123"),
            "a seated person sees the link"
        );
        let (subject, body) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Inscription confirmée"), "{subject}");
        assert!(body.contains("https://visio.exemple.fr/secret-123"));
        assert!(body.contains("(heure de Paris)"));
        let lea_link = link_in(&body);
        let (name, ics) = last_attachment(&app, "lea.fabre@exemple.fr").await.unwrap();
        assert_eq!(name, format!("{slug}.ics"));
        assert!(
            ics.contains("BEGIN:VEVENT") && ics.contains("SUMMARY:Réunion d’information en ligne")
        );

        // The same form sent twice: one registration.
        let again = register(
            &mut anon,
            &slug,
            &[
                ("name", "Léa Fabre"),
                ("email", "LEA.FABRE@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await;
        assert_eq!(again.status, StatusCode::OK);
        assert!(again.body.contains("Vous avez déjà une place"));

        // A référente registers a person she accompanies.
        let mut referente = app.signed_in("referente@demo.epop.test").await;
        let form = referente
            .get(&format!("/evenements/{slug}/inscription"))
            .await;
        assert!(form.body.contains("Qui inscrivez-vous ?"));
        let page = register(
            &mut referente,
            &slug,
            &[
                ("pour", "autre"),
                ("name", "Marc Petit"),
                ("email", "marc.petit@exemple.fr"),
                ("needs", "lsf"),
                ("needs", "falc"),
                ("consent", "oui"),
            ],
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let (_, copy) = app.last_mail("referente@demo.epop.test").await.unwrap();
        assert!(copy.contains("Vous avez inscrit Marc Petit"), "{copy}");
        assert!(
            !copy.contains("secret-123"),
            "the copy does not carry the link"
        );

        // Third person: full, waiting list, no link, no calendar file.
        let mut other = app.client();
        let page = register(
            &mut other,
            &slug,
            &[
                ("name", "Nour Haddad"),
                ("email", "nour@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await;
        let nour_page = other.get(page.location()).await;
        assert!(
            nour_page.body.contains("en position 1"),
            "{}",
            nour_page.body
        );
        assert!(!nour_page.body.contains("secret-123"));
        let (subject, body) = app.last_mail("nour@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Liste d’attente"));
        assert!(!body.contains("secret-123"));
        assert_eq!(last_attachment(&app, "nour@exemple.fr").await, None);

        // The organiser sees the needs to book an interpreter in time.
        let page = coord.get(&format!("/admin/evenements/{slug}")).await;
        assert!(
            page.body.contains(
                "Un interprète en langue des signes (LSF) : <strong>2</strong> personnes"
            ),
            "{}",
            page.body
        );
        assert!(page.body.contains("Nour Haddad"));

        // Léa cancels with the link of her e-mail: Nour gets the seat.
        let confirm = anon.get(&lea_link).await;
        assert!(confirm.body.contains("Annuler mon inscription"));
        let done = anon.post(&format!("{lea_link}/annuler"), &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let (subject, _) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Inscription annulée"), "{subject}");
        let (subject, body) = app.last_mail("nour@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Une place pour vous"), "{subject}");
        assert!(body.contains("secret-123"));
        assert!(last_attachment(&app, "nour@exemple.fr").await.is_some());
        let page = coord.get(&format!("/admin/evenements/{slug}")).await;
        assert!(page.body.contains("Personne n’attend."));
        assert!(page.body.contains("1 annulation"));

        // Exports: CSV for French Excel, XLSX that LibreOffice opens.
        let csv = coord
            .get(&format!("/admin/evenements/{slug}/inscriptions.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(csv.body.contains("Marc Petit;marc.petit@exemple.fr"));
        assert!(
            csv.body
                .contains("Comment avez-vous connu le réseau ? Par une amie")
        );
        assert_eq!(csv.body.lines().count(), 4, "header + 3 people");
        assert!(app.audit_count("event_export").await >= 1);

        // Attendance and a message to everyone.
        let mut conn = app.db.conn().await.unwrap();
        let e = events::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        let regs = events::registrations(&mut conn, e.id).await.unwrap();
        drop(conn);
        let marc = regs.iter().find(|r| r.name == "Marc Petit").unwrap();
        let res = coord
            .post(
                &format!("/admin/evenements/{slug}/presences"),
                &[("present", &marc.id.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let mut conn = app.db.conn().await.unwrap();
        let regs = events::registrations(&mut conn, e.id).await.unwrap();
        drop(conn);
        let attended: Vec<(String, Option<bool>)> = regs
            .iter()
            .filter(|r| r.status.holds_seat())
            .map(|r| (r.name.clone(), r.attended))
            .collect();
        assert!(attended.contains(&("Marc Petit".into(), Some(true))));
        assert!(attended.contains(&("Nour Haddad".into(), Some(false))));
        let empty = coord
            .post(
                &format!("/admin/evenements/{slug}/message"),
                &[("subject", "")],
            )
            .await;
        empty.assert_field_error("subject", "Saisissez l’objet du message");
        let res = coord
            .post(
                &format!("/admin/evenements/{slug}/message"),
                &[
                    ("subject", "Changement de lien"),
                    ("body", "Le lien change demain."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let (subject, body) = app.last_mail("marc.petit@exemple.fr").await.unwrap();
        assert!(subject.ends_with("Changement de lien"));
        assert!(body.contains("Le lien change demain."));
        let (subject, _) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        assert!(
            !subject.ends_with("Changement de lien"),
            "not to cancelled people"
        );

        // The reminder the day before, once, to people with a seat.
        let reminders = |app: &crate::harness::App| {
            let db = app.db.clone();
            async move {
                let mut conn = db.conn().await.unwrap();
                let n: i64 =
                    // Marc asked for easy-read documents: his reminder
                    // says « C’est demain ».
                    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Rappel%' OR subject LIKE 'C’est demain%'")
                        .fetch_one(&mut *conn)
                        .await
                        .unwrap();
                n
            }
        };
        epop_web::jobs::run_due(&app.db, "http://epop.test", e.starts_at - 20 * 3600)
            .await
            .unwrap();
        assert_eq!(reminders(&app).await, 2, "Marc and Nour, not Léa");
        let (subject, body) = app.last_mail("nour@exemple.fr").await.unwrap();
        assert!(subject.starts_with("Rappel"), "{subject}");
        assert!(body.contains("secret-123"));
        epop_web::jobs::run_due(&app.db, "http://epop.test", e.starts_at - 19 * 3600)
            .await
            .unwrap();
        assert_eq!(reminders(&app).await, 2, "once");
    }
}

#[tokio::test]
async fn an_anonymised_registrations_link_is_no_longer_valid() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let slug = create_meeting(&mut coord, "5").await;
        let mut anon = app.client();
        let lea = register_lea(&mut anon, &slug, &[]).await;
        let (_, body) = app.last_mail("lea.fabre@exemple.fr").await.unwrap();
        let link = link_in(&body);
        let before = anon.get(&link).await;
        assert_eq!(before.status, StatusCode::OK);
        assert!(before.body.contains("secret-123"));
        // The organiser reads her needs: the read is in the audit log.
        assert_eq!(app.audit_count("needs_read").await, 0);
        let organiser = coord.get(&format!("/admin/evenements/{slug}")).await;
        assert!(organiser.body.contains("Léa Fabre"));
        assert!(organiser.body.contains("langue des signes"));
        assert_eq!(app.audit_count("needs_read").await, 1);
        // A year after the event, the worker's scheduled work erases the
        // registration's personal data, and its links with it.
        let mut conn = app.db.conn().await.unwrap();
        let e = events::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        drop(conn);
        epop_web::jobs::run_due(
            &app.db,
            crate::harness::BASE,
            e.ends_at + events::KEEP_AFTER_EVENT + 60,
        )
        .await
        .unwrap();
        let cancel = anon.post(&format!("{link}/annuler"), &[]).await;
        assert_eq!(cancel.location(), link, "nothing to cancel");
        for path in [link.as_str(), lea.as_str()] {
            let after = anon.get(path).await;
            assert_eq!(after.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(after.h1(), "Ce lien n’est plus valable");
            for gone in ["Léa", "anonymisée", "secret-123", "Réunion d’information"] {
                assert!(!after.body.contains(gone), "« {gone} » on {path}");
            }
        }
    }
}

#[tokio::test]
async fn calendar_files_put_the_meeting_at_its_paris_time() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let slug = create_meeting(&mut coord, "30").await;
        let (_, date) = future_date();
        let start = chrono::TimeZone::from_local_datetime(
            &chrono_tz::Europe::Paris,
            &date.and_hms_opt(11, 30, 0).unwrap(),
        )
        .unwrap()
        .with_timezone(&chrono::Utc);
        let mut anon = app.client();
        let ics = anon.get(&format!("/evenements/{slug}/agenda.ics")).await;
        assert_eq!(ics.status, StatusCode::OK);
        assert_eq!(
            ics.headers["content-type"].to_str().unwrap(),
            "text/calendar; charset=utf-8"
        );
        let dtstart = format!("DTSTART:{}", start.format("%Y%m%dT%H%M%SZ"));
        assert!(ics.body.contains(&dtstart), "{dtstart} in {}", ics.body);
        assert!(ics.body.contains(&format!("UID:evenement-{slug}@epop")));
        let feed = anon.get("/evenements/agenda/76.ics").await;
        assert!(feed.body.contains(&dtstart));
        assert!(
            feed.body
                .contains("X-WR-CALNAME:Événements EPoP – Occitanie")
        );
        let other = anon.get("/evenements/agenda/32.ics").await;
        assert!(
            !other.body.contains(&dtstart),
            "not in another region's feed"
        );
        assert_eq!(
            anon.get("/evenements/agenda/99.ics").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn a_freed_seat_is_offered_then_taken_and_the_xlsx_opens() {
    for app in apps().await {
        let workshop = &lille_workshop(&app).await;
        assert_eq!((workshop.seats_taken, workshop.waiting), (3, 1));
        let slug = workshop.slug.clone();
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        // The organiser cannot shrink below the seats given.
        let edit = hdf.get(&format!("/admin/evenements/{slug}/modifier")).await;
        assert!(
            edit.body.contains("value=\"14:00\""),
            "times shown as typed"
        );
        // A new person registers: waiting behind Paul.
        let mut anon = app.client();
        register(
            &mut anon,
            &slug,
            &[
                ("name", "Zoé Martin"),
                ("email", "zoe@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await;
        let (_, body) = app.last_mail("zoe@exemple.fr").await.unwrap();
        assert!(body.contains("en position 2"), "{body}");
        // Someone with a seat cancels through a new link (demo tokens are unknown).
        let mut conn = app.db.conn().await.unwrap();
        let regs = events::registrations(&mut conn, workshop.id).await.unwrap();
        let julie = regs.iter().find(|r| r.name == "Julie Lambert").unwrap();
        events::add_link(
            &mut conn,
            julie.id,
            &epop_web::security::hash_token("lien-julie"),
            0,
        )
        .await
        .unwrap();
        drop(conn);
        anon.post("/inscriptions/lien-julie/annuler", &[]).await;
        let (subject, body) = app.last_mail("paul.girard@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Une place vous attend"), "{subject}");
        let paul_link = link_in(&body);
        let page = anon.get(&paul_link).await;
        assert!(page.body.contains("Je prends la place"));
        // Zoé still waits: the offered seat is kept for Paul.
        let page = anon.post(&format!("{paul_link}/accepter"), &[]).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let page = anon.get(&paul_link).await;
        assert!(page.body.contains("Inscription confirmée"), "{}", page.body);
        let (subject, _) = app.last_mail("paul.girard@demo.epop.test").await.unwrap();
        assert!(subject.starts_with("Inscription confirmée"));
        // A capacity below the seats given is refused with a clear message.
        let mut fields: Vec<(String, String)> = Vec::new();
        for (k, v) in [
            ("title", workshop.title.as_str()),
            ("description", workshop.description.as_str()),
            ("description_easy", workshop.description_easy.as_str()),
            ("audience", workshop.audience.as_str()),
            ("organiser", workshop.organiser.as_str()),
            ("mode", "sur-place"),
            ("address", "GAPAS, Lille"),
            ("department", "59"),
            ("start_time", "14:00"),
            ("end_time", "16:30"),
            ("capacity", "1"),
        ] {
            fields.push((k.into(), v.into()));
        }
        fields.push((
            "date".into(),
            epop_domain::event::paris_day(workshop.starts_at)
                .split('-')
                .rev()
                .collect::<Vec<_>>()
                .join("/"),
        ));
        let refs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let page = hdf
            .post(&format!("/admin/evenements/{slug}/modifier"), &refs)
            .await;
        page.assert_field_error("capacity", "3 personnes ont déjà une place");
        // The XLSX export opens in LibreOffice with one row per person.
        let bytes = hdf
            .get_bytes(&format!("/admin/evenements/{slug}/inscriptions.xlsx"))
            .await;
        let csv = xlsx_to_csv(&bytes);
        assert!(
            csv.contains(
                "\"Paul Girard\";\"paul.girard@demo.epop.test\";;\"Inscription confirmée\""
            ),
            "{csv}"
        );
        assert!(csv.contains("Zoé Martin"));
        assert_eq!(csv.lines().count(), 1 + 5);
    }
}

#[tokio::test]
async fn registration_closes_at_its_deadline() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let slug = create_meeting(&mut coord, "30").await;
        let mut conn = app.db.conn().await.unwrap();
        sqlx::query("UPDATE events SET deadline = $1 WHERE slug = $2")
            .bind(epop_store::now() - 60)
            .bind(&slug)
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let mut anon = app.client();
        let page = anon.get(&format!("/evenements/{slug}")).await;
        assert!(page.body.contains("Les inscriptions sont closes."));
        assert!(
            !page
                .body
                .contains(&format!("/evenements/{slug}/inscription\""))
        );
        let page = register(
            &mut anon,
            &slug,
            &[
                ("name", "Tard"),
                ("email", "tard@exemple.fr"),
                ("consent", "oui"),
            ],
        )
        .await;
        page.assert_field_error("closed", "Les inscriptions à cet événement sont closes");
        assert_eq!(app.mail_count("tard@exemple.fr").await, 0);
    }
}

#[tokio::test]
async fn practice_analysis_groups_are_for_trained_peers_only() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let group = events::list(&mut conn, &Filter::default())
            .await
            .unwrap()
            .into_iter()
            .find(|e| e.trained_peers_only)
            .unwrap();
        // Nadia's training is not recorded (yet).
        let nadia = epop_store::directory::by_slug(&mut conn, "nadia-haddad")
            .await
            .unwrap()
            .unwrap();
        epop_store::directory::set_training(&mut conn, nadia.card.id, None, None)
            .await
            .unwrap();
        drop(conn);
        let page = format!("/evenements/{}", group.slug);
        for (who, sees) in [
            ("anonyme", false),
            ("pair-herault@demo.epop.test", false),
            ("referente@demo.epop.test", false),
            ("pair@demo.epop.test", true),
            ("coordination@demo.epop.test", true),
        ] {
            let mut c = if who == "anonyme" {
                app.client()
            } else {
                app.signed_in(who).await
            };
            let list = c.get("/evenements").await;
            assert_eq!(list.body.contains(&page), sees, "{who} in the list");
            let p = c.get(&page).await;
            assert_eq!(p.status == StatusCode::OK, sees, "{who} on the page");
            let form = c.get(&format!("{page}/inscription")).await;
            assert_eq!(form.status == StatusCode::OK, sees, "{who} on the form");
            let ics = c.get(&format!("{page}/agenda.ics")).await;
            assert_eq!(
                ics.status == StatusCode::OK,
                sees,
                "{who} on the calendar file"
            );
            if !sees {
                let res = c
                    .post(
                        &format!("{page}/inscription"),
                        &[("name", "X"), ("email", "x@exemple.fr"), ("consent", "oui")],
                    )
                    .await;
                assert_eq!(res.status, StatusCode::NOT_FOUND, "{who} registering");
            }
        }
        let feed = app.client().get("/evenements/agenda/76.ics").await;
        assert!(!feed.body.contains(&group.title), "not in the public feed");
        assert_eq!(app.mail_count("x@exemple.fr").await, 0);
    }
}

#[tokio::test]
async fn an_organiser_cancels_an_event_and_everyone_is_told() {
    for app in apps().await {
        let workshop = lille_workshop(&app).await;
        let slug = workshop.slug.clone();
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let res = hdf
            .post(
                &format!("/admin/evenements/{slug}/annuler"),
                &[("reason", " ")],
            )
            .await;
        assert!(
            res.location().ends_with("message=raison-annulation"),
            "{} {} {}",
            res.status,
            res.location(),
            res.body
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let res = coord
            .post(
                &format!("/admin/evenements/{slug}/annuler"),
                &[("reason", "x")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "another territory");
        hdf.post(
            &format!("/admin/evenements/{slug}/annuler"),
            &[("reason", "La salle est fermée pour travaux.")],
        )
        .await;
        for who in ["julie.lambert@demo.epop.test", "paul.girard@demo.epop.test"] {
            let (subject, body) = app.last_mail(who).await.unwrap();
            assert!(subject.ends_with("événement annulé"), "{subject}");
            assert!(body.contains("La salle est fermée pour travaux."));
        }
        let mut anon = app.client();
        assert!(
            !anon.get("/evenements").await.body.contains(&slug),
            "out of the list"
        );
        let page = anon.get(&format!("/evenements/{slug}")).await;
        assert!(page.body.contains("Événement annulé."));
        assert!(page.body.contains("schema.org/EventCancelled"));
        let ics = anon.get(&format!("/evenements/{slug}/agenda.ics")).await;
        assert!(ics.body.contains("STATUS:CANCELLED"));
        let res = anon
            .post(
                &format!("/evenements/{slug}/inscription"),
                &[("name", "X"), ("email", "x@exemple.fr"), ("consent", "oui")],
            )
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST);
        assert_eq!(app.mail_count("x@exemple.fr").await, 0);
    }
}
