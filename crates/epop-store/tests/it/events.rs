use epop_domain::Email;
use epop_domain::event::{EventForm, NewRegistration, Status};
use epop_store::events::{self, Filter, Registered, Registrant};
use epop_store::{Db, testing};

const NOW: i64 = 1_790_000_000;

fn form(capacity: i64, offer_hours: &str) -> EventForm {
    EventForm {
        title: "Réunion d’information en ligne".into(),
        description: "Présentation du métier d’intervenant-pair.".into(),
        description_easy: "Nous parlons du métier d’intervenant-pair.".into(),
        audience: "Tout le monde".into(),
        date: "08/01/2027".into(),
        start_time: "11:30".into(),
        end_time: "12:30".into(),
        mode: "en-ligne".into(),
        online_link: "https://visio.example/r".into(),
        department: "31".into(),
        organiser: "Croix-Rouge française".into(),
        capacity: capacity.to_string(),
        offer_hours: offer_hours.into(),
        ..Default::default()
    }
}

fn person(n: usize) -> NewRegistration {
    NewRegistration {
        name: format!("Personne {n}"),
        email: Email::parse(&format!("personne-{n}@exemple.fr")).unwrap(),
        phone: None,
        needs: vec![],
        needs_other: None,
        answers: vec![],
    }
}

async fn register(db: &Db, event_id: i64, n: usize) -> Registered {
    let mut tx = db.write().await.unwrap();
    let r = events::register(
        &mut tx,
        event_id,
        &person(n),
        &format!("jeton-{n}"),
        Registrant::default(),
        NOW,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    r
}

async fn new_event(db: &Db, capacity: i64, offer_hours: &str) -> events::Event {
    let e = form(capacity, offer_hours).validate(NOW, true).unwrap();
    let mut c = db.conn().await.unwrap();
    events::create(&mut c, &e, None, NOW).await.unwrap()
}

#[tokio::test]
async fn an_event_is_created_listed_by_region_and_mode() {
    for db in testing::all().await {
        let e = new_event(&db, 30, "").await;
        assert_eq!(e.slug, "reunion-d-information-en-ligne-2027-01-08");
        assert_eq!(e.region_code.as_deref(), Some("76"));
        assert_eq!(e.department_name.as_deref(), Some("Haute-Garonne"));
        let again = new_event(&db, 30, "").await;
        assert_eq!(again.slug, "reunion-d-information-en-ligne-2027-01-08-2");
        let mut c = db.conn().await.unwrap();
        let all = events::list(
            &mut c,
            &Filter {
                ending_after: NOW,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(all.len(), 2);
        for (region, online, expected) in [
            (Some("76"), None, 2),
            (Some("32"), None, 0),
            (None, Some(true), 2),
            (None, Some(false), 0),
        ] {
            let found = events::list(
                &mut c,
                &Filter {
                    ending_after: NOW,
                    region,
                    online,
                    departments: None,
                },
            )
            .await
            .unwrap();
            assert_eq!(found.len(), expected, "{region:?} {online:?}");
        }
        let past = events::list(
            &mut c,
            &Filter {
                ending_after: e.ends_at,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(past.is_empty(), "ended events leave the list");
        let other = ["33".to_string()];
        let scoped = events::list(
            &mut c,
            &Filter {
                ending_after: NOW,
                departments: Some(&other),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert!(scoped.is_empty());
    }
}

#[tokio::test]
async fn seats_then_waiting_list_then_the_next_one_gets_the_freed_seat() {
    for db in testing::all().await {
        let e = new_event(&db, 2, "").await;
        for n in 1..=4 {
            register(&db, e.id, n).await;
        }
        // The same person again: the first registration, nothing new.
        match register(&db, e.id, 1).await {
            Registered::Existing(r) => assert_eq!(r.status, Status::Confirmed),
            other => panic!("{other:?}"),
        }
        let mut c = db.conn().await.unwrap();
        let regs = events::registrations(&mut c, e.id).await.unwrap();
        let statuses: Vec<Status> = regs.iter().map(|r| r.status).collect();
        assert_eq!(
            statuses,
            vec![
                Status::Confirmed,
                Status::Confirmed,
                Status::Waiting,
                Status::Waiting
            ]
        );
        let fourth = events::by_token(&mut c, "jeton-4").await.unwrap().unwrap();
        assert_eq!(events::queue_position(&mut c, &fourth).await.unwrap(), 2);
        drop(c);

        let mut tx = db.write().await.unwrap();
        let done = events::cancel(&mut tx, "jeton-1", NOW + 10)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(done.promoted.len(), 1);
        assert_eq!(done.promoted[0].email, "personne-3@exemple.fr");
        assert_eq!(done.promoted[0].status, Status::Confirmed);
        let mut c = db.conn().await.unwrap();
        let e2 = events::by_slug(&mut c, &e.slug).await.unwrap().unwrap();
        assert_eq!((e2.seats_taken, e2.waiting), (2, 1));
        // Cancelling twice does nothing more.
        let mut tx = db.write().await.unwrap();
        assert!(
            events::cancel(&mut tx, "jeton-1", NOW + 20)
                .await
                .unwrap()
                .is_none()
        );
        drop(tx);
        // A cancelled person may register again: at the end of the queue.
        drop(c);
        let mut tx = db.write().await.unwrap();
        let again = events::register(
            &mut tx,
            e.id,
            &person(1),
            "jeton-1-bis",
            Registrant::default(),
            NOW + 30,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        match again {
            Registered::New(r) => assert_eq!(r.status, Status::Waiting),
            other => panic!("{other:?}"),
        }
        // A larger capacity gives seats to the people waiting, in order.
        let mut bigger = form(4, "").validate(NOW, true).unwrap();
        bigger.title = "Réunion d’information (plus de places)".into();
        let mut tx = db.write().await.unwrap();
        let promoted = events::update(&mut tx, e.id, &bigger, NOW + 40)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let emails: Vec<&str> = promoted.iter().map(|r| r.email.as_str()).collect();
        assert_eq!(
            emails,
            vec!["personne-4@exemple.fr", "personne-1@exemple.fr"]
        );
    }
}

#[tokio::test]
async fn an_offered_seat_is_kept_until_it_expires_then_offered_to_the_next() {
    for db in testing::all().await {
        let e = new_event(&db, 1, "24").await;
        for n in 1..=3 {
            register(&db, e.id, n).await;
        }
        let mut tx = db.write().await.unwrap();
        let done = events::cancel(&mut tx, "jeton-1", NOW)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(done.promoted[0].status, Status::Offered);
        assert_eq!(done.promoted[0].offer_expires_at, Some(NOW + 24 * 3600));
        // Nobody else gets the seat while it is offered.
        match register(&db, e.id, 9).await {
            Registered::New(r) => assert_eq!(r.status, Status::Waiting),
            other => panic!("{other:?}"),
        }
        // Not expired yet: nothing happens.
        let mut tx = db.write().await.unwrap();
        assert!(
            events::expire_offers(&mut tx, NOW + 3600)
                .await
                .unwrap()
                .is_empty()
        );
        // Expired: person 2 loses the offer, person 3 gets it.
        let expired = events::expire_offers(&mut tx, NOW + 25 * 3600)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(expired.len(), 1);
        assert_eq!(expired[0].registration.email, "personne-2@exemple.fr");
        assert_eq!(expired[0].promoted[0].email, "personne-3@exemple.fr");
        // Person 2's link no longer takes the seat; person 3's does.
        let mut tx = db.write().await.unwrap();
        assert!(
            events::accept_offer(&mut tx, "jeton-2", NOW + 25 * 3600)
                .await
                .unwrap()
                .is_none()
        );
        let taken = events::accept_offer(&mut tx, "jeton-3", NOW + 25 * 3600)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(taken.status, Status::Confirmed);
        let mut c = db.conn().await.unwrap();
        let e2 = events::by_slug(&mut c, &e.slug).await.unwrap().unwrap();
        assert_eq!((e2.seats_taken, e2.waiting), (1, 1));
    }
}

#[tokio::test]
async fn reminders_go_once_the_day_before_to_people_with_a_seat() {
    for db in testing::all().await {
        let e = new_event(&db, 1, "").await;
        register(&db, e.id, 1).await;
        register(&db, e.id, 2).await; // waiting: no reminder
        let day_before = e.starts_at - 20 * 3600;
        let mut tx = db.write().await.unwrap();
        assert!(
            events::take_due_reminders(&mut tx, e.starts_at - 30 * 3600)
                .await
                .unwrap()
                .is_empty()
        );
        let due = events::take_due_reminders(&mut tx, day_before)
            .await
            .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0.email, "personne-1@exemple.fr");
        assert!(
            events::take_due_reminders(&mut tx, day_before + 60)
                .await
                .unwrap()
                .is_empty(),
            "a reminder goes once"
        );
        tx.commit().await.unwrap();
    }
}

#[tokio::test]
async fn attendance_is_recorded_for_people_with_a_seat() {
    for db in testing::all().await {
        let e = new_event(&db, 2, "").await;
        for n in 1..=3 {
            register(&db, e.id, n).await;
        }
        let mut c = db.conn().await.unwrap();
        let regs = events::registrations(&mut c, e.id).await.unwrap();
        let mut tx = db.write().await.unwrap();
        events::set_attendance(&mut tx, e.id, &[regs[1].id, regs[2].id])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let regs = events::registrations(&mut c, e.id).await.unwrap();
        let attended: Vec<Option<bool>> = regs.iter().map(|r| r.attended).collect();
        assert_eq!(attended, vec![Some(false), Some(true), None]);
    }
}

/// 200 people register at the same moment for 30 seats: exactly 30 get a
/// seat, the other 170 wait in the order they arrived, nobody gets an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn capacity_holds_under_200_simultaneous_registrations() {
    for db in testing::all().await {
        let e = new_event(&db, 30, "").await;
        let mut tasks = Vec::new();
        for n in 0..200 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.write().await?;
                let r = events::register(
                    &mut tx,
                    e.id,
                    &person(n),
                    &format!("jeton-{n}"),
                    Registrant::default(),
                    NOW,
                )
                .await?;
                tx.commit().await?;
                Ok::<_, epop_store::StoreError>(r)
            }));
        }
        let mut confirmed = 0;
        for t in tasks {
            match t.await.unwrap().expect("no registration fails") {
                Registered::New(r) if r.status == Status::Confirmed => confirmed += 1,
                Registered::New(_) => {}
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(confirmed, 30);
        let mut c = db.conn().await.unwrap();
        let regs = events::registrations(&mut c, e.id).await.unwrap();
        assert_eq!(regs.len(), 200);
        assert_eq!(
            regs.iter()
                .filter(|r| r.status == Status::Confirmed)
                .count(),
            30
        );
        let waiting: Vec<i64> = regs
            .iter()
            .filter(|r| r.status == Status::Waiting)
            .map(|r| r.id)
            .collect();
        assert_eq!(waiting.len(), 170);
        assert!(waiting.windows(2).all(|w| w[0] < w[1]), "queue in order");
        let e2 = events::by_slug(&mut c, &e.slug).await.unwrap().unwrap();
        assert_eq!((e2.seats_taken, e2.waiting), (30, 170));
    }
}

#[tokio::test]
async fn personal_data_is_erased_a_year_after_the_event() {
    for db in testing::all().await {
        let e = new_event(&db, 2, "").await;
        register(&db, e.id, 1).await;
        register(&db, e.id, 2).await;
        let mut tx = db.write().await.unwrap();
        // A second link e-mailed later (a reminder) to the first person.
        let first = events::by_token(&mut tx, "jeton-1").await.unwrap().unwrap();
        events::add_link(&mut tx, first.id, "jeton-1-rappel", NOW)
            .await
            .unwrap();
        assert_eq!(
            events::anonymise_old(&mut tx, e.ends_at + events::KEEP_AFTER_EVENT - 60)
                .await
                .unwrap(),
            0,
            "not before a year"
        );
        for token in ["jeton-1", "jeton-1-rappel", "jeton-2"] {
            assert!(
                events::by_token(&mut tx, token).await.unwrap().is_some(),
                "{token} still works before a year"
            );
        }
        assert_eq!(
            events::anonymise_old(&mut tx, e.ends_at + events::KEEP_AFTER_EVENT + 60)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            events::anonymise_old(&mut tx, e.ends_at + events::KEEP_AFTER_EVENT + 120)
                .await
                .unwrap(),
            0,
            "once"
        );
        // Every link of the anonymised registrations is gone with them.
        for token in ["jeton-1", "jeton-1-rappel", "jeton-2"] {
            assert!(
                events::by_token(&mut tx, token).await.unwrap().is_none(),
                "{token} no longer opens anything"
            );
        }
        let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM event_links")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        assert_eq!(links, 0);
        tx.commit().await.unwrap();
        let mut c = db.conn().await.unwrap();
        let regs = events::registrations(&mut c, e.id).await.unwrap();
        assert!(
            regs.iter()
                .all(|r| r.name == "Personne anonymisée" && r.email.ends_with("@anonyme.invalid"))
        );
        assert_eq!(
            regs.iter()
                .filter(|r| r.status == Status::Confirmed)
                .count(),
            2,
            "counts kept"
        );
    }
}
