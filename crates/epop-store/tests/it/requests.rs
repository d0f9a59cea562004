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

/// The life cycle's rule of who may act is the one the store applies: a
/// peer cannot study a request, the scheduled work cannot cancel it, a
/// coordinator can.
#[tokio::test]
async fn only_those_whose_part_it_is_move_a_request() {
    for db in testing::all().await {
        let valid = RequestForm {
            kind: "sensibiliser".into(),
            subject: "Sensibiliser".into(),
            description: "Une heure.".into(),
            audience: "Agents".into(),
            audience_size: "5".into(),
            period: "printemps 2027".into(),
            duration: "1 heure".into(),
            mode: "a-distance".into(),
            department: "31".into(),
            org_name: "Médiathèque".into(),
            org_kind: "public_service".into(),
            contact_name: "Jeanne".into(),
            contact_email: "jeanne@exemple.fr".into(),
            ..Default::default()
        }
        .validate(chrono::Utc::now().date_naive())
        .unwrap();
        let mut tx = db.write().await.unwrap();
        let org = organisations::create(&mut tx, &valid.organisation)
            .await
            .unwrap();
        let account = accounts::create(
            &mut tx,
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
        let r = requests::submit(&mut tx, "r1", "", &valid, org.id, account, 0)
            .await
            .unwrap();
        let as_ = |actor| Who {
            actor,
            account_id: Some(account),
        };
        let refused =
            proposals::transition(&mut tx, &r, &Action::Qualify, as_(Actor::Peer), 1).await;
        assert!(
            matches!(refused, Err(StoreError::Conflict(ref why)) if why.contains("coordination")),
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
        let found = proposals::candidates(&mut conn, "31", 1_790_000_000)
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
