//! Directory profiles and consents: a saved profile keeps its slug and is
//! indexed again, sensitive fields follow consent, who gave each consent,
//! and the migration that marked old consents.

use epop_domain::Email;
use epop_domain::directory::{ProfileKind, Visibility};
use epop_store::directory::{self, ProfileInput, Sensitive, Viewer, purpose};
use epop_store::{Engine, accounts, testing};
use sqlx::AssertSqlSafe;

use crate::directory::{awa, find, person, text};

#[tokio::test]
async fn updating_keeps_the_slug_and_reindexes() {
    for db in testing::all().await {
        let (id, slug) = awa(&db, Visibility::Public, "Éducatrice").await;
        let (_, slug2) = person(
            &db,
            "z@x.fr",
            "Awa Diallo",
            Visibility::Public,
            &["31"],
            "Autre",
        )
        .await;
        assert_eq!(slug, "awa-diallo");
        assert_eq!(slug2, "awa-diallo-2");
        let mut tx = db.write().await.unwrap();
        let mut conn_input = directory::by_slug(&mut tx, &slug).await.unwrap().unwrap();
        assert_eq!(conn_input.card.id, id);
        conn_input.presentation = "Cheffe de cuisine".into();
        let input = ProfileInput {
            kind: ProfileKind::Peer,
            display_name: "Awa Diallo".into(),
            visibility: Visibility::Public,
            home_department: Some("31".into()),
            presentation: conn_input.presentation.clone(),
            presentation_easy: String::new(),
            own_words: String::new(),
            on_site: true,
            remote: false,
            travel_km: None,
            other_languages: String::new(),
            max_per_month: None,
            job_title: None,
            organisation_id: None,
            departments: vec!["31".into()],
            interventions: vec![],
            theme_ids: vec![],
            languages: vec![],
        };
        let account = conn_input.account_id;
        assert_eq!(
            directory::upsert(&mut tx, db.engine(), account, &input)
                .await
                .unwrap(),
            (id, slug.clone())
        );
        tx.commit().await.unwrap();
        let anon = Viewer::default();
        assert_eq!(
            find(&db, text("cuisine"), &anon).await.0,
            vec!["Awa Diallo"]
        );
        assert_eq!(
            find(&db, text("educatrice"), &anon).await.1,
            0,
            "old words gone from the index"
        );
    }
}

#[tokio::test]
async fn sensitive_fields_follow_consent_and_listing_consent_hides() {
    for db in testing::all().await {
        let (id, slug) = awa(&db, Visibility::Public, "x").await;
        let mut conn = db.conn().await.unwrap();
        let account = accounts::id_by_email(&mut conn, &Email::parse("a@x.fr").unwrap())
            .await
            .unwrap();
        let s = Sensitive {
            accommodations: Some("Interprète LSF".into()),
            disability_experience: Some("Surdité".into()),
        };
        directory::set_sensitive(&mut conn, id, &s).await.unwrap();
        assert_eq!(
            directory::sensitive(&mut conn, id).await.unwrap(),
            Sensitive::default(),
            "no consent, nothing shown"
        );
        directory::give_consent(&mut conn, account, purpose::ACCOMMODATIONS, "2026-11")
            .await
            .unwrap();
        let read = directory::sensitive(&mut conn, id).await.unwrap();
        assert_eq!(read.accommodations.as_deref(), Some("Interprète LSF"));
        assert_eq!(read.disability_experience, None);
        directory::give_consent(&mut conn, account, purpose::EXPERIENCE, "2026-11")
            .await
            .unwrap();
        assert_eq!(directory::sensitive(&mut conn, id).await.unwrap(), s);
        let consents = directory::active_consents(&mut conn, account)
            .await
            .unwrap();
        assert_eq!(consents[purpose::EXPERIENCE].0, "2026-11");
        directory::withdraw_consent(&mut conn, account, purpose::EXPERIENCE)
            .await
            .unwrap();
        assert_eq!(
            directory::sensitive(&mut conn, id)
                .await
                .unwrap()
                .disability_experience,
            None,
            "withdrawal hides at once"
        );
        directory::give_consent(&mut conn, account, purpose::EXPERIENCE, "2026-12")
            .await
            .unwrap();
        assert_eq!(
            directory::sensitive(&mut conn, id)
                .await
                .unwrap()
                .disability_experience,
            None,
            "withdrawal erased the answer: agreeing again brings nothing back"
        );
        directory::give_consent(&mut conn, account, purpose::LISTING, "2026-11")
            .await
            .unwrap();
        directory::give_consent(&mut conn, account, purpose::LISTING, "2026-12")
            .await
            .unwrap();
        let again = directory::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        assert_eq!(
            again.card.visibility,
            Visibility::Public,
            "giving consent again hides nothing"
        );
        assert_eq!(
            directory::active_consents(&mut conn, account)
                .await
                .unwrap()[purpose::LISTING]
                .0,
            "2026-12"
        );
        directory::withdraw_consent(&mut conn, account, purpose::LISTING)
            .await
            .unwrap();
        let p = directory::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        assert_eq!(p.card.visibility, Visibility::Hidden);
        drop(conn);
        assert_eq!(find(&db, text("awa"), &Viewer::default()).await.1, 0);
    }
}

/// Each consent says who gave it: the person, or a coordinator recording a
/// written consent; the newest line tells where the listing consent stands.
#[tokio::test]
async fn consents_say_who_gave_them() {
    use epop_domain::directory::ListingConsent;
    use epop_store::directory::{ConsentSource, WrittenConsent};
    for db in testing::all().await {
        let (_, slug) = awa(&db, Visibility::Members, "x").await;
        person(
            &db,
            "c@x.fr",
            "Sophie Delmas",
            Visibility::Hidden,
            &["31"],
            "x",
        )
        .await;
        let mut conn = db.conn().await.unwrap();
        let id = |e: &'static str| Email::parse(e).unwrap();
        let awa = accounts::id_by_email(&mut conn, &id("a@x.fr"))
            .await
            .unwrap();
        let sophie = accounts::id_by_email(&mut conn, &id("c@x.fr"))
            .await
            .unwrap();
        assert_eq!(
            directory::listing_consent(&mut conn, awa).await.unwrap(),
            ListingConsent::NeverAsked
        );
        directory::give_consent(&mut conn, awa, purpose::LISTING, "2026-11")
            .await
            .unwrap();
        assert_eq!(
            directory::listing_consent(&mut conn, awa).await.unwrap(),
            ListingConsent::ByPerson
        );
        let on_file = directory::consents_on_file(&mut conn, awa).await.unwrap();
        assert_eq!(on_file.len(), 1);
        assert_eq!(on_file[0].source, ConsentSource::Person);
        assert_eq!(on_file[0].recorded_by.as_deref(), Some("Awa Diallo"));

        let written = WrittenConsent {
            given_on: "2026-06-01".into(),
            how: "formulaire papier".into(),
            note: Some("Classeur bleu".into()),
            recorded_by: sophie,
        };
        directory::record_written_consent(&mut conn, awa, &written)
            .await
            .unwrap();
        assert_eq!(
            directory::listing_consent(&mut conn, awa).await.unwrap(),
            ListingConsent::Written
        );
        let on_file = directory::consents_on_file(&mut conn, awa).await.unwrap();
        assert_eq!(
            on_file.len(),
            1,
            "the person's line is closed, kept in history"
        );
        assert_eq!(
            on_file[0].source,
            ConsentSource::Written {
                given_on: "2026-06-01".into(),
                how: "formulaire papier".into(),
                note: Some("Classeur bleu".into()),
            }
        );
        assert_eq!(on_file[0].recorded_by.as_deref(), Some("Sophie Delmas"));
        assert_eq!(on_file[0].text_version, directory::WRITTEN_TEXT_VERSION);
        let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM consents WHERE account_id = $1")
            .bind(awa)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(lines, 2);

        directory::withdraw_consent(&mut conn, awa, purpose::LISTING)
            .await
            .unwrap();
        assert_eq!(
            directory::listing_consent(&mut conn, awa).await.unwrap(),
            ListingConsent::Withdrawn
        );
        assert!(
            directory::consents_on_file(&mut conn, awa)
                .await
                .unwrap()
                .is_empty()
        );
        let p = directory::by_slug(&mut conn, &slug).await.unwrap().unwrap();
        assert_eq!(p.card.visibility, Visibility::Hidden);
    }
}

/// Migration 21 on rows written before it: consents become the account's
/// own, and a profile made public without a standing consent (the import
/// did it) becomes members-only; one with its person's consent stays public.
#[tokio::test]
async fn migration_21_marks_old_consents_and_unpublishes_profiles_nobody_agreed_to() {
    use epop_store::directory::ConsentSource;
    for db in testing::all().await {
        let (_, imported) = person(
            &db,
            "i@x.fr",
            "Inès Import",
            Visibility::Public,
            &["31"],
            "x",
        )
        .await;
        let (_, agreed) = person(
            &db,
            "a@x.fr",
            "Awa Accord",
            Visibility::Public,
            &["31"],
            "x",
        )
        .await;
        let mut conn = db.conn().await.unwrap();
        let awa = accounts::id_by_email(&mut conn, &Email::parse("a@x.fr").unwrap())
            .await
            .unwrap();
        // A line as written before migration 21: no source, no recorder.
        sqlx::query(
            "INSERT INTO consents (account_id, purpose, text_version, given_at) VALUES ($1, $2, '2026-11', 1)",
        )
        .bind(awa)
        .bind(purpose::LISTING)
        .execute(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        let sql = match db.engine() {
            Engine::Sqlite => include_str!("../../migrations/sqlite/0021_consent_sources.sql"),
            Engine::Postgres => include_str!("../../migrations/postgres/0021_consent_sources.sql"),
        };
        let data = &sql[sql.find("UPDATE consents").unwrap()..];
        sqlx::raw_sql(AssertSqlSafe(data))
            .execute(db.pool())
            .await
            .unwrap();
        let mut conn = db.conn().await.unwrap();
        let on_file = directory::consents_on_file(&mut conn, awa).await.unwrap();
        assert_eq!(on_file[0].source, ConsentSource::Person);
        assert_eq!(on_file[0].recorded_by.as_deref(), Some("Awa Accord"));
        let vis = |slug: String| {
            let db = db.clone();
            async move {
                let mut conn = db.conn().await.unwrap();
                directory::by_slug(&mut conn, &slug)
                    .await
                    .unwrap()
                    .unwrap()
                    .card
                    .visibility
            }
        };
        assert_eq!(vis(imported).await, Visibility::Members);
        assert_eq!(vis(agreed).await, Visibility::Public);
        assert_eq!(
            find(&db, text("import"), &Viewer::default()).await.1,
            0,
            "visitors no longer find her (the index follows on both engines)"
        );
        assert_eq!(find(&db, text("accord"), &Viewer::default()).await.1, 1);
    }
}
