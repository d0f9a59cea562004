use epop_domain::Email;
use epop_domain::account::AccountStatus;
use epop_domain::directory::Visibility;
use epop_domain::training::{ApplicationStatus, Decision, Milestone, ProgrammeForm, SessionForm};
use epop_store::accounts::{self, NewAccount};
use epop_store::trainings::{self, Applied, Session};
use epop_store::{Db, directory, testing};

use crate::directory::person;

const NOW: i64 = 1_790_000_000;

async fn session(db: &Db, capacity: i64) -> Session {
    let p = ProgrammeForm {
        title: "Formation des intervenants-pairs".into(),
        audience: "peer".into(),
        description: "Cinq jours.".into(),
        description_easy: "Cinq jours pour apprendre.".into(),
        duration: "5 jours".into(),
        hours: "35".into(),
    }
    .validate()
    .unwrap();
    let s = SessionForm {
        title: "Session Occitanie, janvier 2027".into(),
        place: "Toulouse".into(),
        department: "31".into(),
        capacity: capacity.to_string(),
        half_days: "11/01/2027 9:00-12:30\n11/01/2027 13:30-17:00".into(),
        trainers: "Claire Vidal".into(),
        peer_trainers: "Awa Diallo".into(),
    }
    .validate()
    .unwrap();
    let mut tx = db.write().await.unwrap();
    let creator = account(&mut tx, "createur@exemple.fr").await;
    let programme = match trainings::programme_by_slug(&mut tx, "formation-des-intervenants-pairs")
        .await
        .unwrap()
    {
        Some(p) => p,
        None => trainings::create_programme(&mut tx, &p, NOW).await.unwrap(),
    };
    let s = trainings::create_session(&mut tx, &programme, &s, creator, NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    s
}

async fn account(conn: &mut epop_store::Conn, email: &str) -> i64 {
    if let Some(c) = accounts::credentials(conn, &Email::parse(email).unwrap())
        .await
        .unwrap()
    {
        return c.id;
    }
    accounts::create(
        conn,
        &NewAccount {
            public_id: format!("pid-{email}"),
            email: Email::parse(email).unwrap(),
            display_name: email.split('@').next().unwrap().into(),
            status: AccountStatus::Active,
            department: Some("31".into()),
            organisation_id: None,
        },
    )
    .await
    .unwrap()
}

async fn apply(db: &Db, s: &Session, account_id: i64) -> Applied {
    let mut tx = db.write().await.unwrap();
    let pid = format!("cand-{}-{account_id}", s.id);
    let a = trainings::apply(&mut tx, s.id, account_id, &pid, "Je veux aider.", "", NOW)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    a
}

#[tokio::test]
async fn apply_decide_attend_complete_and_the_profile_is_trained() {
    for db in testing::all().await {
        let s = session(&db, 1).await;
        assert_eq!(s.half_days.len(), 2);
        assert_eq!(s.peer_trainers, vec!["Awa Diallo"]);
        assert!(
            s.slug
                .starts_with("formation-des-intervenants-pairs-31-2027-01-11")
        );
        let (awa, _) = person(
            &db,
            "awa@exemple.fr",
            "Awa Diallo",
            Visibility::Public,
            &["31"],
            "",
        )
        .await;
        let _ = awa;
        let mut c = db.conn().await.unwrap();
        let awa_account = account(&mut c, "awa@exemple.fr").await;
        let lea = account(&mut c, "lea@exemple.fr").await;
        drop(c);
        let Applied::New(a1) = apply(&db, &s, awa_account).await else {
            panic!()
        };
        assert!(
            matches!(apply(&db, &s, awa_account).await, Applied::Existing(_)),
            "one open application"
        );
        let Applied::New(a2) = apply(&db, &s, lea).await else {
            panic!()
        };

        let mut tx = db.write().await.unwrap();
        let accepted = trainings::decide(&mut tx, a1.id, &Decision::Accept, awa_account, NOW)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(accepted.status, ApplicationStatus::Accepted);
        // Full: accepting Léa puts her on the waiting list.
        let waiting = trainings::decide(&mut tx, a2.id, &Decision::Accept, awa_account, NOW)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(waiting.status, ApplicationStatus::Waiting);
        tx.commit().await.unwrap();

        // Attendance: Awa came to the first half-day only.
        let mut tx = db.write().await.unwrap();
        trainings::set_attendance(&mut tx, s.id, s.half_days[0].0, &[a1.id])
            .await
            .unwrap();
        trainings::set_attendance(&mut tx, s.id, s.half_days[1].0, &[])
            .await
            .unwrap();
        trainings::set_attendance(&mut tx, s.id, s.half_days[1].0, &[a1.id])
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.conn().await.unwrap();
        let att = trainings::attendance(&mut c, s.id).await.unwrap();
        assert_eq!(att.len(), 2, "one line per holder and half-day, rewritten");
        assert!(att.iter().all(|(a, _, p)| *a == a1.id && *p));
        drop(c);

        // Completion marks the profile trained; a waiting person cannot complete.
        let mut tx = db.write().await.unwrap();
        assert!(
            trainings::complete(&mut tx, a2.id, "2027-01-15", NOW)
                .await
                .unwrap()
                .is_none()
        );
        // Not before the last half-day has ended (checked in the update).
        assert!(
            trainings::complete(&mut tx, a1.id, "2027-01-15", s.ends_at() - 1)
                .await
                .unwrap()
                .is_none()
        );
        let done = trainings::complete(&mut tx, a1.id, "2027-01-15", s.ends_at())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(done.status, ApplicationStatus::Completed);
        tx.commit().await.unwrap();
        let mut c = db.conn().await.unwrap();
        let p = directory::by_slug(&mut c, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(p.card.trained_on.as_deref(), Some("2027-01-15"));
        assert_eq!(
            p.training_programme.as_deref(),
            Some("Formation des intervenants-pairs")
        );

        // Léa withdraws; declining needs the application still open.
        drop(c);
        let mut tx = db.write().await.unwrap();
        assert!(trainings::withdraw(&mut tx, a2.id, NOW).await.unwrap());
        assert!(!trainings::withdraw(&mut tx, a2.id, NOW).await.unwrap());
        let no = Decision::Decline { reason: "x".into() };
        assert!(
            trainings::decide(&mut tx, a2.id, &no, awa_account, NOW)
                .await
                .unwrap()
                .is_none()
        );
        // Accompaniment.
        trainings::record_milestone(
            &mut tx,
            awa_account,
            Milestone::FirstIntervention,
            "2027-02-01",
            lea,
            NOW,
        )
        .await
        .unwrap();
        trainings::record_milestone(
            &mut tx,
            awa_account,
            Milestone::FirstIntervention,
            "2027-02-03",
            lea,
            NOW,
        )
        .await
        .unwrap();
        trainings::add_note(&mut tx, awa_account, lea, "Très à l’aise en groupe.", NOW)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut c = db.conn().await.unwrap();
        assert_eq!(
            trainings::milestones(&mut c, awa_account).await.unwrap(),
            vec![(Milestone::FirstIntervention, "2027-02-03".to_string())]
        );
        let notes = trainings::notes(&mut c, awa_account).await.unwrap();
        assert_eq!(notes[0].body, "Très à l’aise en groupe.");
        assert_eq!(notes[0].author.as_deref(), Some("lea"));
        let s2 = trainings::session_by_slug(&mut c, &s.slug)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s2.places_taken, 1, "the completed person keeps the place");
    }
}

/// 200 coordinators' acceptances at the same moment for 30 places: exactly
/// 30 accepted, the others on the waiting list, no error.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn places_hold_under_200_simultaneous_acceptances() {
    for db in testing::all().await {
        let s = session(&db, 30).await;
        let mut ids = Vec::new();
        for n in 0..200 {
            let mut c = db.conn().await.unwrap();
            let acc = account(&mut c, &format!("p{n}@exemple.fr")).await;
            drop(c);
            let Applied::New(a) = apply(&db, &s, acc).await else {
                panic!()
            };
            ids.push((a.id, acc));
        }
        let mut tasks = Vec::new();
        for (id, acc) in ids {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.write().await?;
                let a = trainings::decide(&mut tx, id, &Decision::Accept, acc, NOW).await?;
                tx.commit().await?;
                Ok::<_, epop_store::StoreError>(a)
            }));
        }
        let mut accepted = 0;
        for t in tasks {
            let a = t.await.unwrap().expect("no error").expect("decided");
            if a.status == ApplicationStatus::Accepted {
                accepted += 1;
            } else {
                assert_eq!(a.status, ApplicationStatus::Waiting);
            }
        }
        assert_eq!(accepted, 30);
        let mut c = db.conn().await.unwrap();
        let s2 = trainings::session_by_slug(&mut c, &s.slug)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((s2.places_taken, s2.waiting), (30, 170));
    }
}

/// The list of sessions reads their programmes and half-days for all of
/// them at once: each session keeps its own, in order, and the sessions
/// come by their first half-day.
#[tokio::test]
async fn the_list_of_sessions_gives_each_its_own_programme_and_half_days() {
    for db in testing::all().await {
        let first = session(&db, 4).await;
        let p = ProgrammeForm {
            title: "Formation des référents".into(),
            audience: "referent".into(),
            description: "Deux jours.".into(),
            description_easy: "Deux jours pour apprendre.".into(),
            duration: "2 jours".into(),
            hours: "14".into(),
        }
        .validate()
        .unwrap();
        let s = SessionForm {
            title: "Session Hauts-de-France, décembre 2026".into(),
            place: "Lille".into(),
            department: "59".into(),
            capacity: "10".into(),
            half_days: "15/12/2026 13:30-17:00\n14/12/2026 9:00-12:30\n14/12/2026 13:30-17:00"
                .into(),
            trainers: "Marc Leroy".into(),
            peer_trainers: String::new(),
        }
        .validate()
        .unwrap();
        let mut tx = db.write().await.unwrap();
        let creator = account(&mut tx, "createur@exemple.fr").await;
        let programme = trainings::create_programme(&mut tx, &p, NOW).await.unwrap();
        let second = trainings::create_session(&mut tx, &programme, &s, creator, NOW)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let all = trainings::sessions(&mut conn).await.unwrap();
        assert_eq!(
            all.iter().map(|s| s.id).collect::<Vec<_>>(),
            [second.id, first.id]
        );
        assert_eq!(all[0].programme.title, "Formation des référents");
        assert_eq!(all[1].programme.title, "Formation des intervenants-pairs");
        let starts: Vec<i64> = all[0].half_days.iter().map(|(_, h)| h.starts_at).collect();
        assert_eq!(starts.len(), 3);
        assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
        assert_eq!(all[1].half_days, first.half_days);
    }
}
