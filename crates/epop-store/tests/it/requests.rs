use std::collections::BTreeSet;

use epop_domain::Email;
use epop_domain::account::AccountStatus;
use epop_domain::directory::InterventionKind;
use epop_domain::lifecycle::{Action, Actor};
use epop_domain::request::RequestForm;
use epop_store::accounts::{self, NewAccount};
use epop_store::proposals::{self, Who};
use epop_store::{StoreError, organisations, requests, testing};

use crate::directory::{person, resave};

/// A request from Jeanne of a médiathèque, in the 31, submitted; `when`
/// fills its date or period. Returns it and Jeanne's account.
async fn submitted(
    tx: &mut epop_store::Conn,
    public_id: &str,
    when: impl FnOnce(&mut RequestForm),
) -> (requests::Request, i64) {
    let mut form = RequestForm {
        kind: "sensibiliser".into(),
        subject: "Sensibiliser".into(),
        description: "Une heure.".into(),
        audience: "Agents".into(),
        audience_size: "5".into(),
        duration: "1 heure".into(),
        mode: "a-distance".into(),
        department: "31".into(),
        org_name: "Médiathèque".into(),
        org_kind: "public_service".into(),
        contact_name: "Jeanne".into(),
        contact_email: "jeanne@exemple.fr".into(),
        ..Default::default()
    };
    when(&mut form);
    let valid = form
        .validate(chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
        .unwrap();
    let org = organisations::create(tx, &valid.organisation)
        .await
        .unwrap();
    let account = accounts::create(
        tx,
        &NewAccount {
            public_id: "pid-jeanne".into(),
            email: Email::parse("jeanne@exemple.fr").unwrap(),
            display_name: "Jeanne".into(),
            status: AccountStatus::Active,
            department: Some("31".into()),
            organisation_id: Some(org.id),
        },
    )
    .await
    .unwrap();
    let r = requests::submit(tx, public_id, "", &valid, org.id, account, 0)
        .await
        .unwrap();
    (r, account)
}

/// The life cycle's rule of who may act is the one the store applies: a
/// peer cannot study a request, the scheduled work cannot cancel it, a
/// coordinator can.
#[tokio::test]
async fn only_those_whose_part_it_is_move_a_request() {
    for db in testing::all().await {
        let mut tx = db.write().await.unwrap();
        let (r, account) = submitted(&mut tx, "r1", |f| f.period = "printemps 2027".into()).await;
        let as_ = |actor| Who {
            actor,
            account_id: Some(account),
        };
        let refused =
            proposals::transition(&mut tx, &r, &Action::Qualify, as_(Actor::Peer), 1).await;
        assert!(
            matches!(refused, Err(StoreError::MoveRefused(ref why)) if why.0.contains("coordination")),
            "{refused:?}"
        );
        let cancel = Action::cancel("Plus de budget.").unwrap();
        assert!(
            proposals::transition(&mut tx, &r, &cancel, Who::SYSTEM, 1)
                .await
                .is_err()
        );
        let to = proposals::transition(&mut tx, &r, &Action::Qualify, as_(Actor::Coordinator), 1)
            .await
            .unwrap();
        assert_eq!(to.code(), "qualified");
        tx.commit().await.unwrap();
        let mut c = db.conn().await.unwrap();
        let steps: Vec<String> = requests::history(&mut c, r.id)
            .await
            .unwrap()
            .into_iter()
            .map(|(_, to, ..)| to)
            .collect();
        assert_eq!(
            steps,
            vec!["submitted", "qualified"],
            "refused moves leave no trace"
        );
    }
}

/// The candidates for a request: the peers covering its département (or
/// working remotely), each list read once for all of them, each peer
/// keeping its own kinds, départements, themes and periods away.
#[tokio::test]
async fn each_candidate_keeps_its_own_lists() {
    for db in testing::all().await {
        let public = epop_domain::directory::Visibility::Public;
        let (awa, _) = person(
            &db,
            "a@x.fr",
            "Awa Diallo",
            public,
            &["31", "09"],
            "Santé mentale.",
        )
        .await;
        let (tom, _) = person(&db, "t@x.fr", "Thomas Roux", public, &["31"], "Rien.").await;
        person(&db, "z@x.fr", "Zoé Loin", public, &["59"], "Rien.").await;
        resave(&db, tom, |i| {
            i.interventions = vec![InterventionKind::Awareness, InterventionKind::PeerSupport];
        })
        .await;
        let mut tx = db.write().await.unwrap();
        epop_store::directory::add_absence(&mut tx, tom, "2027-01-04", "2027-01-29")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let found = proposals::candidates(
            &mut conn,
            "31",
            1_790_000_000,
            chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            found.iter().map(|c| c.profile_id).collect::<Vec<_>>(),
            [awa, tom]
        );
        let (a, t) = (&found[0], &found[1]);
        assert_eq!(
            a.kinds,
            BTreeSet::from([InterventionKind::TrainingProfessionals])
        );
        assert_eq!(
            t.kinds,
            BTreeSet::from([InterventionKind::Awareness, InterventionKind::PeerSupport])
        );
        assert_eq!(
            a.departments.iter().map(String::as_str).collect::<Vec<_>>(),
            ["09", "31"]
        );
        assert_eq!(
            t.departments.iter().map(String::as_str).collect::<Vec<_>>(),
            ["31"]
        );
        assert_eq!(a.themes.len(), 1);
        assert!(t.themes.is_empty());
        assert!(a.away.is_empty());
        assert_eq!(t.away.len(), 1);
        assert_eq!(t.away[0].0.to_string(), "2027-01-04");
        assert_eq!(
            (
                a.opportunities_90_days,
                a.interventions_this_month,
                a.last_intervention_at
            ),
            (0, 0, None)
        );
    }
}

/// A peer's monthly limit counts the interventions of the request's
/// calendar month: one accepted for March 2027 counts in March, not in
/// April, nor in the month it was accepted in.
#[tokio::test]
async fn interventions_count_in_the_month_they_take_place() {
    for db in testing::all().await {
        let public = epop_domain::directory::Visibility::Public;
        let (awa, _) = person(&db, "a@x.fr", "Awa Diallo", public, &["31"], "Rien.").await;
        let mut tx = db.write().await.unwrap();
        let (r, _) = submitted(&mut tx, "r-mars", |f| f.date_from = "15/03/2027".into()).await;
        let coordinator = Who {
            actor: Actor::Coordinator,
            account_id: None,
        };
        proposals::transition(&mut tx, &r, &Action::Qualify, coordinator, 1)
            .await
            .unwrap();
        let account: i64 = sqlx::query_scalar("SELECT account_id FROM profiles WHERE id = $1")
            .bind(awa)
            .fetch_one(&mut *tx)
            .await
            .unwrap();
        let r = requests::by_id(&mut tx, r.id).await.unwrap().unwrap();
        let asked = proposals::propose(
            &mut tx,
            &r,
            &[(awa, account, "p-awa".into())],
            100,
            coordinator,
            2,
        )
        .await
        .unwrap();
        let answered = proposals::answer(&mut tx, &asked[0], true, None, 3)
            .await
            .unwrap();
        assert!(
            matches!(answered, proposals::Answered::Accepted { .. }),
            "{answered:?}"
        );
        tx.commit().await.unwrap();
        let mut conn = db.conn().await.unwrap();
        let day = |m| chrono::NaiveDate::from_ymd_opt(2027, m, 20).unwrap();
        for (month, expected) in [(3, 1), (4, 0), (2, 0)] {
            let found = proposals::candidates(&mut conn, "31", 10, day(month))
                .await
                .unwrap();
            assert_eq!(found[0].interventions_this_month, expected, "month {month}");
        }
        // Accepted at time 3: the last intervention, and an opportunity.
        let found = proposals::candidates(&mut conn, "31", 10, day(3))
            .await
            .unwrap();
        assert_eq!(
            (
                found[0].opportunities_90_days,
                found[0].last_intervention_at
            ),
            (1, Some(3))
        );
    }
}
