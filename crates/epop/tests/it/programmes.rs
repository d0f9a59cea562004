//! Local programmes: the figures of a programme's page equal the counts
//! this test makes from the data it seeds (inside and outside the
//! programme's départements and years); admins create programmes, a
//! programme's coordinators edit it within their territory, everyone else
//! is refused; the public and easy-read pages say who carries each.

use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use epop_domain::account::AccountStatus;
use epop_domain::directory::{ProfileKind, Visibility};
use epop_domain::programme::Status;
use epop_store::accounts::{self, NewAccount};
use epop_store::{Db, directory, programmes};

use crate::harness::{App, apps};

const OCCITANIE_2026: &str = "/admin/programmes/experimentation-locale-occitanie-2026";

/// Paris local time as stored.
fn ts(y: i32, m: u32, d: u32, h: u32) -> i64 {
    epop_domain::event::paris_timestamp(
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        NaiveTime::from_hms_opt(h, 30, 0).unwrap(),
    )
    .unwrap()
}

/// The programme the test creates: the Finistère and the Morbihan (where the demo has no data) in
/// 2024 and 2025.
fn essai(coordinator: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Programme d’essai Finistère et Morbihan".into()),
        ("kind", "experimentation-locale".into()),
        ("carrier", "Croix-Rouge française".into()),
        ("carrier_kind", "projet-national".into()),
        ("partners", "LADAPT\nGAPAS".into()),
        ("departments", "56, 29".into()),
        ("start_year", "2024".into()),
        ("end_year", "2025".into()),
        (
            "aims",
            "Former des intervenants-pairs dans deux départements.".into(),
        ),
        (
            "aims_easy",
            "Le programme forme des intervenants-pairs.\nIl se passe dans 2 départements.".into(),
        ),
        ("status", String::new()),
        ("review", "Un bilan d’essai.".into()),
        ("coordinators", coordinator.into()),
    ]
}

fn refs<'a>(f: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    f.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Midnight on 1 January of `y`, Paris time.
fn new_year(y: i32) -> i64 {
    epop_domain::event::paris_timestamp(NaiveDate::from_ymd_opt(y, 1, 1).unwrap(), NaiveTime::MIN)
        .unwrap()
}

/// Inside the test programme: its départements, its years.
fn inside(dept: &str, at: i64) -> bool {
    ["29", "56"].contains(&dept) && at >= new_year(2024) && at < new_year(2026)
}

async fn person(db: &Db, n: usize, dept: &str) -> i64 {
    let mut conn = db.conn().await.unwrap();
    accounts::create(
        &mut conn,
        &NewAccount {
            public_id: format!("essai-personne-{n}"),
            email: epop_domain::Email::parse(&format!("essai{n}@exemple.fr")).unwrap(),
            display_name: format!("Personne {n}"),
            status: AccountStatus::Active,
            department: Some(dept.to_owned()),
            organisation_id: None,
        },
    )
    .await
    .unwrap()
}

async fn exec(db: &Db, sql: &str, binds: &[Bind<'_>]) -> i64 {
    let mut conn = db.conn().await.unwrap();
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = match b {
            Bind::I(v) => q.bind(*v),
            Bind::T(v) => q.bind(*v),
            Bind::N => q.bind(None::<i64>),
        };
    }
    q.fetch_one(&mut *conn).await.unwrap()
}

enum Bind<'a> {
    I(i64),
    T(&'a str),
    N,
}

/// Seeds training completions; returns how many peer workers the page
/// must count.
async fn seed_trainings(db: &Db) -> i64 {
    let mut conn = db.conn().await.unwrap();
    let sessions = epop_store::trainings::sessions(&mut conn).await.unwrap();
    drop(conn);
    let peer = sessions
        .iter()
        .find(|s| s.programme.audience.code() == "peer")
        .unwrap()
        .id;
    let referent = sessions
        .iter()
        .find(|s| s.programme.audience.code() == "referent")
        .unwrap()
        .id;
    // (département, session, status, completed at)
    let rows = [
        ("29", peer, "completed", ts(2024, 3, 15, 17)),
        ("56", peer, "completed", ts(2025, 12, 31, 12)),
        ("56", peer, "completed", ts(2025, 6, 1, 12)),
        ("29", peer, "completed", ts(2025, 1, 20, 12)),
        ("56", peer, "completed", ts(2026, 1, 1, 0)), // the year after
        ("22", peer, "completed", ts(2024, 6, 1, 12)), // another département
        ("29", referent, "completed", ts(2024, 6, 1, 12)), // a référent
        ("29", peer, "accepted", ts(2024, 6, 1, 12)), // not finished
    ];
    let mut expected = 0;
    for (n, (dept, session, status, at)) in rows.iter().enumerate() {
        let account = person(db, n, dept).await;
        exec(
            db,
            "INSERT INTO training_applications (public_id, session_id, account_id, motivation, needs, status, completed_at, created_at) \
             VALUES ($1, $2, $3, '', '', $4, $5, $6) RETURNING id",
            &[
                Bind::T(&format!("essai-candidature-{n}")),
                Bind::I(*session),
                Bind::I(account),
                Bind::T(status),
                if *status == "completed" { Bind::I(*at) } else { Bind::N },
                Bind::I(*at),
            ],
        )
        .await;
        if *status == "completed" && *session == peer && inside(dept, *at) {
            expected += 1;
        }
        // The first one's profile says it too: counted once.
        if n == 0 {
            profile(db, account, dept, "2024-03-15").await;
        }
    }
    // A training recorded on a profile only (by the coordination), and one
    // of the year before.
    let recorded = person(db, 20, "56").await;
    profile(db, recorded, "56", "2025-02-01").await;
    let before = person(db, 21, "29").await;
    profile(db, before, "29", "2023-12-31").await;
    expected + 1
}

async fn profile(db: &Db, account: i64, dept: &str, trained_on: &str) {
    let mut tx = db.write().await.unwrap();
    let input = directory::ProfileInput {
        kind: ProfileKind::Peer,
        display_name: format!("Profil {account}"),
        visibility: Visibility::Hidden,
        home_department: Some(dept.to_owned()),
        presentation: String::new(),
        presentation_easy: String::new(),
        own_words: String::new(),
        on_site: true,
        remote: false,
        travel_km: None,
        other_languages: String::new(),
        max_per_month: None,
        job_title: None,
        organisation_id: None,
        departments: vec![dept.to_owned()],
        interventions: Vec::new(),
        theme_ids: Vec::new(),
        languages: vec!["fr".into()],
    };
    let (id, _) = directory::upsert(&mut tx, db.engine(), account, &input)
        .await
        .unwrap();
    directory::set_training(&mut tx, id, Some(trained_on), Some("Formation EPoP"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// Seeds requests; returns (interventions done, their audience).
async fn seed_requests(db: &Db) -> (i64, i64) {
    // (département, status now, when marked done, audience size)
    let rows: [(&str, &str, Option<i64>, i64); 5] = [
        ("29", "closed", Some(ts(2024, 9, 10, 16)), 12),
        ("56", "done", Some(ts(2025, 3, 4, 11)), 30),
        ("56", "evaluated", Some(ts(2023, 12, 20, 11)), 100), // the year before
        ("22", "done", Some(ts(2024, 5, 5, 11)), 100),        // another département
        ("29", "scheduled", None, 100),                       // not done
    ];
    let (mut done, mut audience) = (0, 0);
    for (n, (dept, status, done_at, size)) in rows.iter().enumerate() {
        let form = format!("subject=Essai+{n}&audience_size={size}&department={dept}");
        let id = exec(
            db,
            "INSERT INTO intervention_requests (public_id, status, form, contact_email, department_code, created_at, updated_at) \
             VALUES ($1, $2, $3, 'essai@exemple.fr', $4, $5, $5) RETURNING id",
            &[
                Bind::T(&format!("essai-demande-{n}")),
                Bind::T(status),
                Bind::T(&form),
                Bind::T(dept),
                Bind::I(ts(2023, 1, 1, 12)),
            ],
        )
        .await;
        if let Some(at) = done_at {
            transition(db, id, "scheduled", "done", *at).await;
            if inside(dept, *at) {
                done += 1;
                audience += size;
            }
        }
        // An edit recorded on a done request in 2025 is not a new « done ».
        if n == 2 {
            transition(db, id, "done", "done", ts(2025, 2, 2, 12)).await;
        }
    }
    (done, audience)
}

async fn transition(db: &Db, request: i64, from: &str, to: &str, at: i64) {
    exec(
        db,
        "INSERT INTO request_transitions (request_id, from_status, to_status, created_at) \
         VALUES ($1, $2, $3, $4) RETURNING id",
        &[Bind::I(request), Bind::T(from), Bind::T(to), Bind::I(at)],
    )
    .await;
}

/// Seeds events and attendance; returns (events held, people present).
async fn seed_events(db: &Db) -> (i64, i64) {
    // (département, starts at, cancelled, present, absent)
    let rows: [(Option<&str>, i64, bool, usize, usize); 6] = [
        (Some("29"), ts(2024, 4, 12, 10), false, 3, 2),
        (Some("56"), ts(2025, 10, 3, 14), false, 2, 0),
        (Some("56"), ts(2025, 11, 3, 14), true, 5, 0), // cancelled
        (Some("22"), ts(2024, 4, 12, 10), false, 5, 0), // another département
        (Some("29"), ts(2023, 4, 12, 10), false, 5, 0), // the year before
        (None, ts(2024, 4, 12, 10), false, 5, 0),      // national, online
    ];
    let (mut held, mut present) = (0, 0);
    for (n, (dept, at, cancelled, yes, no)) in rows.iter().enumerate() {
        let id = exec(
            db,
            "INSERT INTO events (slug, title, description, description_easy, audience, starts_at, ends_at, online, \
             step_free, department_code, organiser, capacity, seats_taken, deadline, accessibility, questions, \
             created_at, updated_at, cancelled_at) \
             VALUES ($1, 'Essai', 'x', 'x', 'x', $2, $2 + 3600, 0, 0, $3, 'x', 50, 0, $2, '', '', $2, $2, $4) RETURNING id",
            &[
                Bind::T(&format!("essai-evenement-{n}")),
                Bind::I(*at),
                dept.map_or(Bind::N, Bind::T),
                if *cancelled { Bind::I(*at - 86_400) } else { Bind::N },
            ],
        )
        .await;
        for k in 0..(yes + no) {
            exec(
                db,
                "INSERT INTO event_registrations (event_id, name, email, needs, answers, status, consent_version, created_at, attended) \
                 VALUES ($1, 'Quelqu’un', $2, '', '', 'confirmed', 'essai', $3, $4) RETURNING id",
                &[
                    Bind::I(id),
                    Bind::T(&format!("inscrit{k}@exemple.fr")),
                    Bind::I(*at - 86_400),
                    Bind::I(i64::from(k < *yes)),
                ],
            )
            .await;
        }
        if !cancelled && dept.is_some_and(|d| inside(d, *at)) {
            held += 1;
            present += *yes as i64;
        }
    }
    (held, present)
}

/// The figures of a programme's page, in order.
fn figures_on(body: &str) -> Vec<String> {
    (1..=4)
        .map(|n| {
            let marker = format!("id=\"chiffre-{n}\">");
            let start = body.find(&marker).expect("a figure") + marker.len();
            body[start..].split('<').next().unwrap().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_figures_equal_the_counts_of_the_seeded_data() {
    for app in apps().await {
        let hdf = app.public_id("coordination-hdf@demo.epop.test").await;
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let res = admin
            .post("/admin/programmes/nouveau", &refs(&essai(&hdf)))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let slug = "programme-d-essai-finistere-et-morbihan";
        assert_eq!(
            res.location(),
            format!("/programmes/{slug}?message=programme")
        );
        assert_eq!(app.audit_count("programme_created").await, 1);
        let created = admin.get(res.location()).await;
        assert!(created.body.contains("Le programme est enregistré."));
        assert!(created.body.contains("Modifier ce programme"));

        let trained = seed_trainings(&app.db).await;
        let (done, audience) = seed_requests(&app.db).await;
        let (held, present) = seed_events(&app.db).await;
        assert_eq!((trained, done, held), (5, 2, 2), "the seeds as designed");
        assert_eq!((audience, present), (42, 5));

        let mut conn = app.db.conn().await.unwrap();
        let p = programmes::by_slug(&mut conn, slug).await.unwrap().unwrap();
        let f = programmes::figures(&mut conn, &p, epop_store::now())
            .await
            .unwrap();
        drop(conn);
        assert_eq!(f.peers_trained, trained);
        assert_eq!(f.interventions_done, done);
        assert_eq!(f.events_held, held);
        assert_eq!(f.event_attendance, present);
        assert_eq!(f.intervention_audience, audience);

        let page = app.client().get(&format!("/programmes/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(
            figures_on(&page.body),
            vec![
                trained.to_string(),
                done.to_string(),
                held.to_string(),
                (present + audience).to_string()
            ]
        );
        assert!(page.body.contains("Ce que le programme a produit"));
        assert!(
            page.body
                .contains("Une personne venue deux fois compte deux fois")
        );
        assert!(page.body.contains("Finistère (29)") && page.body.contains("Morbihan (56)"));
        assert!(page.body.contains("fait partie du projet national EPoP"));
        assert!(page.body.contains("Un bilan d’essai."));
        assert!(!page.body.contains("Karim Benali"), "no coordinator named");
        assert!(!page.body.contains("@demo.epop.test"));
    }
}

#[tokio::test]
async fn small_figures_about_people_stay_vague_outside_the_coordination() {
    for app in apps().await {
        // The demo: Awa Diallo and a few others trained in 2024 or 2025.
        let slug = "experimentation-locale-occitanie-2024-2025";
        let mut conn = app.db.conn().await.unwrap();
        let p = programmes::by_slug(&mut conn, slug).await.unwrap().unwrap();
        let f = programmes::figures(&mut conn, &p, epop_store::now())
            .await
            .unwrap();
        drop(conn);
        assert!((1..5).contains(&f.peers_trained), "{f:?}");
        let path = format!("/programmes/{slug}");
        let public = app.client().get(&path).await;
        assert_eq!(figures_on(&public.body)[0], "moins de 5");
        assert!(!public.body.contains("Modifier ce programme"));
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let own = coord.get(&path).await;
        assert_eq!(figures_on(&own.body)[0], f.peers_trained.to_string());
        assert!(own.body.contains("Modifier ce programme"));
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(figures_on(&hdf.get(&path).await.body)[0], "moins de 5");
    }
}

#[tokio::test]
async fn the_admin_form_shows_errors_beside_fields_and_keeps_what_was_typed() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let mut f = essai("");
        for (k, v) in f.iter_mut() {
            match *k {
                "name" => *v = String::new(),
                "departments" => *v = "31, 975".into(),
                "end_year" => *v = "2023".into(),
                "carrier" => *v = "Mon porteur à garder".into(),
                _ => {}
            }
        }
        let res = admin.post("/admin/programmes/nouveau", &refs(&f)).await;
        res.assert_field_error("name", "Saisissez le nom du programme.");
        res.assert_field_error("departments", "« 975 » n’est pas un numéro de département");
        res.assert_field_error("end_year", "L’année de fin ne peut pas venir avant");
        assert!(res.body.contains("value=\"Mon porteur à garder\""));
        assert!(res.body.contains("value=\"31, 975\""));
        // A forged coordinator.
        let res = admin
            .post("/admin/programmes/nouveau", &refs(&essai("pas-un-compte")))
            .await;
        res.assert_field_error("coordinators", "ne coordonne pas de territoire");
        let mut conn = app.db.conn().await.unwrap();
        assert_eq!(programmes::list(&mut conn).await.unwrap().len(), 4);
    }
}

async fn occitanie_2026(app: &App) -> programmes::Programme {
    let mut conn = app.db.conn().await.unwrap();
    programmes::by_slug(&mut conn, "experimentation-locale-occitanie-2026")
        .await
        .unwrap()
        .unwrap()
}

/// The edit form of Occitanie 2026 as its page fills it, with `changes`.
async fn edited(app: &App, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let p = occitanie_2026(app).await;
    let mut f: Vec<(&'static str, String)> = vec![
        ("name", p.name),
        ("kind", p.kind.code().into()),
        ("carrier", p.carrier),
        ("carrier_kind", p.carrier_kind.code().into()),
        ("partners", p.partners.join("\n")),
        ("departments", "09, 31, 34".into()),
        ("start_year", "2026".into()),
        ("end_year", "2026".into()),
        ("aims", p.aims),
        ("aims_easy", p.aims_easy),
        ("status", String::new()),
        ("review", String::new()),
    ];
    for (k, v) in changes {
        match f.iter_mut().find(|(name, _)| name == k) {
            Some(field) => field.1 = (*v).into(),
            None => f.push((k, (*v).into())),
        }
    }
    f
}

#[tokio::test]
async fn a_programme_coordinator_edits_it_within_their_territory() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let form = coord.get(OCCITANIE_2026).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("value=\"09, 31, 34\""));
        assert!(
            form.body
                .contains("Seule l’administration change qui le coordonne")
        );
        assert!(!form.body.contains("name=\"coordinators\""));

        let f = edited(
            &app,
            &[
                ("departments", "09, 31, 34, 11"),
                ("review", "Premier bilan."),
            ],
        )
        .await;
        let res = coord.post(OCCITANIE_2026, &refs(&f)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let p = occitanie_2026(&app).await;
        assert_eq!(p.department_codes(), vec!["09", "11", "31", "34"]);
        assert_eq!(p.review.as_deref(), Some("Premier bilan."));
        assert_eq!(app.audit_count("programme_updated").await, 1);
        assert_eq!(p.status, Status::Running, "from the years");
        assert_eq!(p.status_chosen, None);
        let page = coord
            .get("/programmes/experimentation-locale-occitanie-2026")
            .await;
        assert!(page.body.contains("Premier bilan.") && page.body.contains("Aude (11)"));

        // A département outside the territory: refused beside the field.
        let f = edited(
            &app,
            &[("departments", "09, 31, 34, 33"), ("review", "Piraté")],
        )
        .await;
        coord
            .post(OCCITANIE_2026, &refs(&f))
            .await
            .assert_field_error(
                "departments",
                "Le département 33 n’est pas dans votre territoire",
            );
        // The coordinator list is the administration's: a forged one is refused.
        let hdf = app.public_id("coordination-hdf@demo.epop.test").await;
        let f = edited(
            &app,
            &[("coordinators", hdf.as_str()), ("review", "Piraté")],
        )
        .await;
        assert_eq!(
            coord.post(OCCITANIE_2026, &refs(&f)).await.status,
            StatusCode::FORBIDDEN
        );
        // Nor may they create one.
        assert_eq!(
            coord
                .post("/admin/programmes/nouveau", &refs(&essai("")))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let p = occitanie_2026(&app).await;
        assert_eq!(
            p.review.as_deref(),
            Some("Premier bilan."),
            "nothing written"
        );
        assert_eq!(p.department_codes(), vec!["09", "11", "31", "34"]);
        assert_eq!(p.coordinator_ids.len(), 1);
        assert_eq!(app.audit_count("programme_updated").await, 1);

        // A status chosen stays, whatever the years say.
        let f = edited(
            &app,
            &[
                ("departments", "09, 11, 31, 34"),
                ("status", "termine"),
                ("review", "Premier bilan."),
            ],
        )
        .await;
        let res = coord.post(OCCITANIE_2026, &refs(&f)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let p = occitanie_2026(&app).await;
        assert_eq!(p.status_chosen, Some(Status::Finished));
        assert_eq!(p.status, Status::Finished);
        let form = coord.get(OCCITANIE_2026).await;
        assert!(form.body.contains("value=\"termine\" selected"));
    }
}

#[tokio::test]
async fn another_coordinator_or_role_is_refused_and_nothing_is_written() {
    for app in apps().await {
        let f = edited(&app, &[("review", "Piraté")]).await;
        for who in [
            "coordination-hdf@demo.epop.test",
            "pair@demo.epop.test",
            "financeur@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            assert_eq!(
                c.get(OCCITANIE_2026).await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            let res = c.post(OCCITANIE_2026, &refs(&f)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            assert!(res.body.contains("Accès refusé"));
        }
        let res = app.client().post(OCCITANIE_2026, &refs(&f)).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(occitanie_2026(&app).await.review, None);
        assert_eq!(app.audit_count("programme_updated").await, 0);
        // The Hauts-de-France coordinator lists only their own programme.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let list = hdf.get("/admin/programmes").await;
        assert!(list.body.contains("Déploiement EPoP en Hauts-de-France"));
        assert!(!list.body.contains("Occitanie 2026"));
        assert!(!list.body.contains("Créer un programme"));
    }
}

#[tokio::test]
async fn the_pages_say_who_carries_each_programme_in_ordinary_and_easy_words() {
    for app in apps().await {
        let mut c = app.client();
        let list = c.get("/programmes").await;
        assert_eq!(list.status, StatusCode::OK);
        for words in [
            "<h2 id=\"region-",
            ">Occitanie</h2>",
            ">Hauts-de-France</h2>",
            ">Nouvelle-Aquitaine</h2>",
            "<h3>En cours</h3>",
            "<h3>Terminé</h3>",
            "href=\"/programmes/experimentation-locale-occitanie-2024-2025\"",
            "(politique publique régionale)",
            "Porté par : Croix-Rouge française (projet national EPoP).",
        ] {
            assert!(list.body.contains(words), "{words}");
        }
        let occitanie = c
            .get("/programmes/experimentation-locale-occitanie-2024-2025")
            .await;
        for words in [
            "L’équipe de la politique publique de soutien à l’intervention par les pairs en Occitanie",
            "relève d’une politique publique régionale : il est distinct du projet national EPoP",
            "Aude (11)",
            "Haute-Garonne (31)",
            "Hautes-Pyrénées (65)",
            "2024–2025",
            "Terminé",
            "CREAI-ORS Occitanie",
            "La coordination du programme",
            "ce projet a bien marché",
        ] {
            assert!(occitanie.body.contains(words), "{words}");
        }
        assert!(!occitanie.body.contains("Sophie Delmas"));
        // « Partager »: the address, and texts to paste in ordinary and
        // easy-read words.
        assert!(occitanie.body.contains("Partager ce programme"));
        assert!(occitanie.body.contains(
            "value=\"http://epop.test/programmes/experimentation-locale-occitanie-2024-2025\""
        ));
        assert!(occitanie.body.contains(
            "Il a lieu de 2024 à 2025. Pour en savoir plus, allez sur cette page : http://epop.test/programmes/experimentation-locale-occitanie-2024-2025</textarea>"
        ), "{}", occitanie.body);
        let hdf = c
            .get("/programmes/deploiement-epop-en-hauts-de-france")
            .await;
        assert!(
            hdf.body.contains(
                "fait partie du projet national EPoP, porté par la Croix-Rouge française"
            )
        );
        assert!(hdf.body.contains("Somme (80)") && hdf.body.contains("Nord (59)"));

        let easy = c
            .get("/programmes/experimentation-locale-occitanie-2024-2025?version=facile")
            .await;
        assert_eq!(easy.status, StatusCode::OK);
        assert!(easy.title().contains("version facile à lire"));
        assert!(
            easy.body
                .contains("Ce n’est pas le projet EPoP de la Croix-Rouge française.")
        );
        assert!(easy.body.contains("<p>Animer le réseau en Occitanie.</p>"));
        assert!(easy.body.contains("Personnes formées"));
        assert!(
            !occitanie
                .body
                .contains("<p>Animer le réseau en Occitanie.</p>")
        );
        assert!(
            !easy
                .body
                .contains("relève d’une politique publique régionale")
        );

        assert_eq!(
            c.get("/programmes/inconnu").await.status,
            StatusCode::NOT_FOUND
        );
        // The home page no longer presents Occitanie's policy as EPoP.
        let home = c.get("/").await;
        assert!(home.body.contains("distincte du projet EPoP"));
        assert!(home.body.contains("href=\"/programmes\""));
        let home_easy = c.get("/?version=facile").await;
        assert!(home_easy.body.contains("Ce n’est pas le projet EPoP."));
    }
}

#[tokio::test]
async fn territory_pages_and_the_contact_form_find_programmes_and_their_coordinators() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let ariege = programmes::programmes_for_departments(&mut conn, &["09".into()])
            .await
            .unwrap();
        let names: Vec<&str> = ariege.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, vec!["Expérimentation locale Occitanie 2026"]);
        let toulouse =
            programmes::programmes_for_departments(&mut conn, &["31".into(), "80".into()])
                .await
                .unwrap();
        assert_eq!(toulouse.len(), 3);
        assert!(
            programmes::programmes_for_departments(&mut conn, &["2A".into()])
                .await
                .unwrap()
                .is_empty()
        );
        let ids = programmes::coordinator_ids(&mut conn, "experimentation-locale-occitanie-2026")
            .await
            .unwrap();
        drop(conn);
        assert_eq!(
            ids,
            vec![app.account("coordination@demo.epop.test").await.id]
        );
    }
}
