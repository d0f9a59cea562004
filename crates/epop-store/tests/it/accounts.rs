use epop_domain::account::AccountStatus;
use epop_domain::organisation::OrganisationForm;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::sessions::{self, Purpose};
use epop_store::{StoreError, audit, organisations, rate_limit, testing};

fn new_account(email: &str, pid: &str, dept: Option<&str>) -> NewAccount {
    NewAccount {
        public_id: pid.into(),
        email: Email::parse(email).unwrap(),
        display_name: "Awa Diallo".into(),
        status: AccountStatus::Invited,
        department: dept.map(str::to_owned),
        organisation_id: None,
    }
}

#[tokio::test]
async fn accounts_roles_and_territories() {
    for db in testing::all().await {
        let mut tx = db.write().await.unwrap();
        let id = accounts::create(&mut tx, &new_account("awa@exemple.fr", "p1", Some("31")))
            .await
            .unwrap();
        accounts::grant(&mut tx, id, Role::Coordinator)
            .await
            .unwrap();
        accounts::grant(&mut tx, id, Role::Coordinator)
            .await
            .unwrap(); // idempotent
        accounts::grant(&mut tx, id, Role::Peer).await.unwrap();
        accounts::set_scopes(
            &mut tx,
            id,
            Role::Coordinator,
            &[
                ("region".into(), "32".into()),
                ("department".into(), "31".into()),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.conn().await.unwrap();
        let p = accounts::principal(&mut c, id).await.unwrap();
        assert!(p.has(Role::Coordinator) && p.has(Role::Peer) && !p.has(Role::Admin));
        // Hauts-de-France (5 départements) expanded, plus Haute-Garonne.
        let expected: Vec<&str> = vec!["02", "31", "59", "60", "62", "80"];
        assert_eq!(
            p.coordinated_departments
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
            expected
        );
        assert!(p.observed_departments.is_empty());

        let a = accounts::by_public_id(&mut c, "p1").await.unwrap().unwrap();
        assert_eq!(a.department_name.as_deref(), Some("Haute-Garonne"));
        let scopes = &a.roles[&Role::Coordinator];
        assert_eq!(scopes.len(), 2);
        assert!(scopes.iter().any(|s| s.name == "Hauts-de-France"));

        // Revoking removes the scopes with the role.
        accounts::revoke(&mut c, id, Role::Coordinator)
            .await
            .unwrap();
        let p = accounts::principal(&mut c, id).await.unwrap();
        assert!(!p.has(Role::Coordinator) && p.coordinated_departments.is_empty());

        // Listing by territory.
        accounts::create(&mut c, &new_account("lea@exemple.fr", "p2", Some("33")))
            .await
            .unwrap();
        let in_31 = accounts::list(&mut c, Some(&["31".to_string()]), None)
            .await
            .unwrap();
        assert_eq!(
            in_31.iter().map(|a| a.email.as_str()).collect::<Vec<_>>(),
            vec!["awa@exemple.fr"]
        );
        assert_eq!(accounts::list(&mut c, None, None).await.unwrap().len(), 2);
        assert_eq!(
            accounts::list(&mut c, None, Some(Role::Peer))
                .await
                .unwrap()
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn e_mail_is_unique_whatever_the_case() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        accounts::create(&mut c, &new_account("Awa@Exemple.fr", "p1", None))
            .await
            .unwrap();
        let err = accounts::create(&mut c, &new_account("awa@exemple.FR", "p2", None))
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate(_)), "{err:?}");
    }
}

#[tokio::test]
async fn tokens_are_single_use_and_expire() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let id = accounts::create(&mut c, &new_account("awa@exemple.fr", "p1", None))
            .await
            .unwrap();
        sessions::create_token(&mut c, "h1", id, Purpose::SignInLink, 900)
            .await
            .unwrap();
        sessions::create_token(&mut c, "h2", id, Purpose::SignInLink, -1)
            .await
            .unwrap();
        assert_eq!(
            sessions::peek_token(&mut c, "h1", Purpose::SignInLink)
                .await
                .unwrap(),
            Some(id)
        );
        assert_eq!(
            sessions::consume_token(&mut c, "h1", Purpose::PasswordReset)
                .await
                .unwrap(),
            None,
            "wrong purpose"
        );
        assert_eq!(
            sessions::consume_token(&mut c, "h1", Purpose::SignInLink)
                .await
                .unwrap(),
            Some(id)
        );
        assert_eq!(
            sessions::consume_token(&mut c, "h1", Purpose::SignInLink)
                .await
                .unwrap(),
            None,
            "second use"
        );
        assert_eq!(
            sessions::consume_token(&mut c, "h2", Purpose::SignInLink)
                .await
                .unwrap(),
            None,
            "expired"
        );

        sessions::create(&mut c, "s1", id, 3600).await.unwrap();
        sessions::create(&mut c, "s2", id, -5).await.unwrap();
        assert_eq!(sessions::account_of(&mut c, "s1").await.unwrap(), Some(id));
        assert_eq!(sessions::account_of(&mut c, "s2").await.unwrap(), None);
        assert_eq!(
            sessions::purge_expired(&mut c).await.unwrap(),
            1,
            "the expired session goes; tokens stay a day for the record"
        );
        sessions::delete_all_of(&mut c, id).await.unwrap();
        assert_eq!(sessions::account_of(&mut c, "s1").await.unwrap(), None);
    }
}

#[tokio::test]
async fn a_disabled_account_loses_its_sessions() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let id = accounts::create(&mut c, &new_account("awa@exemple.fr", "p1", None))
            .await
            .unwrap();
        sessions::create(&mut c, "s1", id, 3600).await.unwrap();
        accounts::update_profile(&mut c, id, "Awa", None, None, AccountStatus::Disabled)
            .await
            .unwrap();
        assert_eq!(sessions::account_of(&mut c, "s1").await.unwrap(), None);
    }
}

#[tokio::test]
async fn organisations_get_unique_slugs_and_unique_sirets() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let form = |name: &str, siret: &str| OrganisationForm {
            name: name.into(),
            kind: "association".into(),
            siret: siret.into(),
            department: "31".into(),
        };
        let a = organisations::create(
            &mut c,
            &form("Croix-Rouge française", "77567227200017")
                .validate()
                .unwrap(),
        )
        .await
        .unwrap();
        let b = organisations::create(
            &mut c,
            &form("Croix-Rouge Française", "").validate().unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(a.slug, "croix-rouge-francaise");
        assert_eq!(b.slug, "croix-rouge-francaise-2");
        assert_eq!(a.department_name.as_deref(), Some("Haute-Garonne"));
        let err =
            organisations::create(&mut c, &form("Autre", "77567227200017").validate().unwrap())
                .await
                .unwrap_err();
        assert!(matches!(err, StoreError::Duplicate(_)));
        assert_eq!(organisations::list(&mut c).await.unwrap().len(), 2);
    }
}

#[tokio::test]
async fn rate_limit_counts_per_bucket() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        for expected in 1..=4 {
            assert_eq!(
                rate_limit::hit(&mut c, "sign-in:ip:1.2.3.4", 3600)
                    .await
                    .unwrap(),
                expected
            );
        }
        assert_eq!(
            rate_limit::hit(&mut c, "sign-in:ip:5.6.7.8", 3600)
                .await
                .unwrap(),
            1
        );
    }
}

#[tokio::test]
async fn a_streak_of_attempts_waits_longer_and_longer_but_never_locks() {
    use rate_limit::Attempt::{Allowed, Wait};
    let delay = |n: i64| if n < 3 { 0 } else { 10 * (n - 2) };
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let bucket = "sign-in-streak:awa@exemple.fr";
        for _ in 0..2 {
            assert_eq!(
                rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
                Allowed
            );
        }
        assert_eq!(
            rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
            Allowed
        );
        // The third one set a delay of 10 s: too early, refused, not counted.
        for _ in 0..3 {
            match rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap() {
                Wait(s) => assert!((9..=10).contains(&s), "{s}"),
                Allowed => panic!("too early"),
            }
        }
        let age = "UPDATE rate_limits SET window_start = window_start - $1 WHERE bucket = $2";
        sqlx::query(age)
            .bind(10_i64)
            .bind(bucket)
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(
            rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
            Allowed
        );
        let (hits,): (i64,) = sqlx::query_as("SELECT hits FROM rate_limits WHERE bucket = $1")
            .bind(bucket)
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(hits, 4, "waiting attempts were not counted");
        assert!(matches!(
            rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
            Wait(19..=20)
        ));
        // Another bucket is not slowed down.
        assert_eq!(
            rate_limit::claim(&mut c, "sign-in-streak:other@exemple.fr", 900, delay)
                .await
                .unwrap(),
            Allowed
        );
        // Long after, the streak starts again; a success clears it.
        sqlx::query(age)
            .bind(2000_i64)
            .bind(bucket)
            .execute(&mut *c)
            .await
            .unwrap();
        for _ in 0..3 {
            assert_eq!(
                rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
                Allowed
            );
        }
        rate_limit::clear(&mut c, bucket).await.unwrap();
        assert_eq!(
            rate_limit::claim(&mut c, bucket, 900, delay).await.unwrap(),
            Allowed
        );
    }
}

#[tokio::test]
async fn audit_log_filters() {
    for db in testing::all().await {
        let mut c = db.conn().await.unwrap();
        let id = accounts::create(&mut c, &new_account("awa@exemple.fr", "p1", None))
            .await
            .unwrap();
        for action in ["sign_in", "sign_in_failed", "sign_in"] {
            audit::record(
                &mut c,
                audit::Event {
                    actor_id: Some(id),
                    action,
                    detail: "x".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        audit::record(
            &mut c,
            audit::Event {
                action: "sign_in_failed",
                detail: "inconnu".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let all = audit::Filter::default();
        assert_eq!(audit::search(&mut c, &all, 50, 0).await.unwrap().1, 4);
        let failed = audit::Filter {
            action: "sign_in_failed".into(),
            ..Default::default()
        };
        assert_eq!(audit::search(&mut c, &failed, 50, 0).await.unwrap().1, 2);
        let by_awa = audit::Filter {
            actor: "AWA@".into(),
            ..Default::default()
        };
        let (lines, total) = audit::search(&mut c, &by_awa, 2, 0).await.unwrap();
        assert_eq!(total, 3);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines[0].actor.as_deref(),
            Some("Awa Diallo <awa@exemple.fr>")
        );
        assert_eq!(
            audit::actions(&mut c).await.unwrap(),
            vec!["sign_in", "sign_in_failed"]
        );
    }
}

#[tokio::test]
async fn an_account_joins_one_organisation_and_a_join_link_works_once() {
    for db in testing::all().await {
        let mut tx = db.write().await.unwrap();
        let org = |name: &str| OrganisationForm {
            name: name.into(),
            kind: "association".into(),
            ..Default::default()
        };
        let a = organisations::create(&mut tx, &org("Asso A").validate().unwrap())
            .await
            .unwrap();
        let b = organisations::create(&mut tx, &org("Asso B").validate().unwrap())
            .await
            .unwrap();
        let id = accounts::create(&mut tx, &new_account("nora@exemple.fr", "j1", None))
            .await
            .unwrap();
        organisations::offer_membership(&mut tx, "hash-a", id, a.id, 3600)
            .await
            .unwrap();
        organisations::offer_membership(&mut tx, "hash-old", id, b.id, -1)
            .await
            .unwrap();
        // An ordinary token of the same account is not a join link.
        sessions::create_token(&mut tx, "hash-sign-in", id, Purpose::SignInLink, 3600)
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.conn().await.unwrap();
        let (who, offered) = organisations::peek_offer(&mut c, "hash-a")
            .await
            .unwrap()
            .unwrap();
        assert_eq!((who, offered.name.as_str()), (id, "Asso A"));
        assert!(
            organisations::peek_offer(&mut c, "hash-old")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            organisations::peek_offer(&mut c, "hash-sign-in")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            organisations::take_offer(&mut c, "hash-sign-in")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            organisations::take_offer(&mut c, "hash-a").await.unwrap(),
            Some((id, a.id))
        );
        assert!(
            organisations::take_offer(&mut c, "hash-a")
                .await
                .unwrap()
                .is_none(),
            "once"
        );
        // Joins one organisation only: a second is refused.
        assert!(organisations::add_member(&mut c, id, a.id).await.unwrap());
        assert!(!organisations::add_member(&mut c, id, b.id).await.unwrap());
        let acc = accounts::by_id(&mut c, id).await.unwrap().unwrap();
        assert_eq!(acc.organisation_id, Some(a.id));
        assert_eq!(
            organisations::by_id(&mut c, a.id)
                .await
                .unwrap()
                .unwrap()
                .members,
            1
        );
    }
}
