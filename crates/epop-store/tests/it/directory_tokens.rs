//! The directory search's filter tokens (never typed nor written by
//! people, combined with words, right after the migration), the lists a
//! card carries and the index a visitor's search reads.

use epop_domain::directory::{Format, InterventionKind, SearchQuery, Sort, Visibility};
use epop_domain::{DepartmentCode, RegionCode};
use epop_store::directory::{self, Viewer};
use epop_store::{Db, Engine, testing};
use sqlx::AssertSqlSafe;

use crate::directory::{a_member, find, person, resave, seed, seeded, text};

/// The filters are tokens of the full-text index (`_dep31`, `_reg76`,
/// `_kindformer`, `_fmtremote`): neither a query nor a profile's own text can
/// produce one, so typing one finds nothing more, and writing one in a
/// presentation does not put a profile in another département.
#[tokio::test]
async fn filter_tokens_cannot_be_typed_or_written() {
    for db in seeded().await {
        person(
            &db,
            "e@x.fr",
            "Eve Malin",
            Visibility::Public,
            &["31"],
            "_dep80 zdep80 dep80 _reg32 _kindadvocacy _fmtremote zvishidden tags:_dep80",
        )
        .await;
        let admin = Viewer {
            admin: true,
            member: true,
            ..Default::default()
        };
        for viewer in [Viewer::default(), admin.clone()] {
            for typed in [
                "_dep31",
                "zdep31",
                "dep31",
                "dep",
                "_dep80",
                "_reg76",
                "reg76",
                "reg",
                "_kindformer",
                "kindformer",
                "kind",
                "fmtonsite",
                "fmt",
                "zvishidden",
                "_vishidden",
                "vis",
                "tags",
                "tags:_dep31",
            ] {
                let (names, _) = find(&db, text(typed), &viewer).await;
                assert!(
                    names.iter().all(|n| n == "Eve Malin"),
                    "« {typed} » finds {names:?}"
                );
                assert!(!names.contains(&"Lucas Caché".to_string()));
            }
        }
        let q = |f: fn(&mut SearchQuery)| {
            let mut q = SearchQuery {
                sort: Sort::Name,
                ..Default::default()
            };
            f(&mut q);
            q
        };
        assert_eq!(
            find(
                &db,
                q(|q| q.department = Some(DepartmentCode::parse("80").unwrap())),
                &admin
            )
            .await
            .0,
            vec!["Lucas Caché"],
            "written tokens are words, not filters"
        );
        assert!(
            find(
                &db,
                q(|q| q.department = Some(DepartmentCode::parse("80").unwrap())),
                &a_member()
            )
            .await
            .0
            .is_empty(),
            "the filter's token never shows a hidden profile"
        );
        assert_eq!(
            find(
                &db,
                q(|q| q.region = Some(RegionCode::parse("32").unwrap())),
                &admin
            )
            .await
            .0,
            vec!["Lucas Caché"]
        );
        assert!(
            find(&db, q(|q| q.format = Some(Format::Remote)), &admin)
                .await
                .0
                .iter()
                .all(|n| n == "Nadia Distance")
        );
    }
}

/// Every filter that is a token, alone and with words and the other
/// filters, on both engines; and the tokens migration 16 writes for the
/// profiles already there are the ones the code writes.
#[tokio::test]
async fn token_filters_with_words_and_after_the_migration() {
    for db in seeded().await {
        person(
            &db,
            "f@x.fr",
            "Marie Distance",
            Visibility::Public,
            &["2A", "2B"],
            "Formatrice en Corse.",
        )
        .await;
        let member = a_member();
        let searches: Vec<(SearchQuery, Vec<&str>)> = vec![
            (
                SearchQuery {
                    department: Some(DepartmentCode::parse("2A").unwrap()),
                    ..Default::default()
                },
                vec!["Marie Distance"],
            ),
            (
                SearchQuery {
                    region: Some(RegionCode::parse("94").unwrap()),
                    format: Some(Format::Remote),
                    ..Default::default()
                },
                vec!["Marie Distance"],
            ),
            (
                SearchQuery {
                    kind: Some(InterventionKind::TrainingProfessionals),
                    sort: Sort::Name,
                    ..Default::default()
                },
                vec![
                    "Awa Diallo",
                    "Marie Distance",
                    "Nadia Distance",
                    "Thomas Roux",
                ],
            ),
            (
                SearchQuery {
                    format: Some(Format::OnSite),
                    region: Some(RegionCode::parse("76").unwrap()),
                    sort: Sort::Name,
                    ..Default::default()
                },
                vec!["Awa Diallo", "Nadia Distance", "Thomas Roux"],
            ),
            (
                SearchQuery {
                    text: "formateur".into(),
                    region: Some(RegionCode::parse("76").unwrap()),
                    department: Some(DepartmentCode::parse("09").unwrap()),
                    kind: Some(InterventionKind::TrainingProfessionals),
                    format: Some(Format::OnSite),
                    ..Default::default()
                },
                vec!["Thomas Roux"],
            ),
            (
                SearchQuery {
                    text: "formateur".into(),
                    department: Some(DepartmentCode::parse("31").unwrap()),
                    ..Default::default()
                },
                vec![],
            ),
            (
                SearchQuery {
                    text: "intervenante".into(),
                    department: Some(DepartmentCode::parse("34").unwrap()),
                    format: Some(Format::Remote),
                    ..Default::default()
                },
                vec!["Nadia Distance"],
            ),
            (
                SearchQuery {
                    text: "distance".into(),
                    format: Some(Format::Remote),
                    language: Some("fr".into()),
                    ..Default::default()
                },
                vec!["Marie Distance", "Nadia Distance"],
            ),
            (
                SearchQuery {
                    text: "sante".into(),
                    department: Some(DepartmentCode::parse("31").unwrap()),
                    theme: Some("sante-mentale".into()),
                    ..Default::default()
                },
                vec!["Awa Diallo"],
            ),
            (
                SearchQuery {
                    kind: Some(InterventionKind::Advocacy),
                    ..Default::default()
                },
                vec![],
            ),
            // Words with a kind or a format nobody found offers, in
            // relevance order (SQLite checks them on the profile then).
            (
                SearchQuery {
                    text: "educatrice".into(),
                    kind: Some(InterventionKind::Advocacy),
                    ..Default::default()
                },
                vec![],
            ),
            (
                SearchQuery {
                    text: "formateur".into(),
                    format: Some(Format::Remote),
                    ..Default::default()
                },
                vec![],
            ),
            (
                SearchQuery {
                    text: "formatrice".into(),
                    format: Some(Format::Remote),
                    kind: Some(InterventionKind::TrainingProfessionals),
                    ..Default::default()
                },
                vec!["Marie Distance"],
            ),
        ];
        let run = |db: Db| {
            let searches = searches.clone();
            let member = member.clone();
            async move {
                for (q, expected) in searches {
                    let (mut names, total) = find(&db, q.clone(), &member).await;
                    names.sort();
                    assert_eq!(names, expected, "{q:?}");
                    assert_eq!(total, expected.len() as i64, "{q:?}");
                }
            }
        };
        run(db.clone()).await;
        // The index rebuilt by the migrations' SQL (16, and on PostgreSQL
        // 19 after it, from the state before 19) finds the same people.
        let migrations: &[&str] = match db.engine() {
            epop_store::Engine::Sqlite => &[include_str!(
                "../../migrations/sqlite/0016_directory_filter_tokens.sql"
            )],
            epop_store::Engine::Postgres => &[
                "DROP TABLE profile_fts_words; \
                 ALTER TABLE profiles DROP CONSTRAINT profiles_search_copy CASCADE; \
                 DROP INDEX profile_fts_by_name; \
                 ALTER TABLE profile_fts DROP COLUMN visibility, DROP COLUMN account_id, \
                 DROP COLUMN kind, DROP COLUMN sort_name;",
                include_str!("../../migrations/postgres/0016_directory_filter_tokens.sql"),
                include_str!("../../migrations/postgres/0019_directory_search_words.sql"),
            ],
        };
        for migration in migrations {
            sqlx::raw_sql(sqlx::AssertSqlSafe(*migration))
                .execute(db.pool())
                .await
                .unwrap();
        }
        run(db.clone()).await;
    }
}

/// A card carries its lists, read for the whole page at once: the home
/// département first then the others by code, kinds in their order, themes
/// by label, languages by code — each on its own card, never another's.
#[tokio::test]
async fn a_card_carries_its_own_lists() {
    for db in testing::all().await {
        let (id, _) = person(
            &db,
            "a@x.fr",
            "Awa Diallo",
            Visibility::Public,
            &["65", "09", "31"],
            "Santé mentale, LSF.",
        )
        .await;
        person(
            &db,
            "b@x.fr",
            "Bruno Blanc",
            Visibility::Public,
            &["13"],
            "Rien.",
        )
        .await;
        let mut tx = db.write().await.unwrap();
        let other = directory::add_theme(&mut tx, "Accès aux droits")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        resave(&db, id, |input| {
            input.theme_ids.push(other.id);
            input
                .interventions
                .insert(0, InterventionKind::ExpertReview);
        })
        .await;
        let mut conn = db.conn().await.unwrap();
        let (cards, total) = directory::search(
            &mut conn,
            db.engine(),
            &SearchQuery {
                sort: Sort::Name,
                ..Default::default()
            },
            &Viewer::default(),
        )
        .await
        .unwrap();
        assert_eq!(total, 2);
        let awa = &cards[0];
        assert_eq!(awa.display_name, "Awa Diallo");
        let codes: Vec<&str> = awa.departments.iter().map(|(c, _)| c.as_str()).collect();
        assert_eq!(codes, ["65", "09", "31"]);
        assert_eq!(awa.departments[0].1, "Hautes-Pyrénées");
        let mut kinds = awa.interventions.clone();
        kinds.sort();
        assert_eq!(awa.interventions, kinds);
        assert_eq!(awa.interventions.len(), 2);
        assert_eq!(awa.themes, ["Accès aux droits", "Santé mentale"]);
        assert_eq!(awa.languages, ["fr", "lsf"]);
        let bruno = &cards[1];
        assert_eq!(
            bruno.departments,
            [("13".to_owned(), "Bouches-du-Rhône".to_owned())]
        );
        assert_eq!(
            bruno.interventions,
            [InterventionKind::TrainingProfessionals]
        );
        assert!(bruno.themes.is_empty());
        assert_eq!(bruno.languages, ["fr"]);
    }
}

/// On PostgreSQL a visitor's search reads the GIN index of the public
/// profiles only (migration 20), and a member's the whole one: the
/// visibility rule must keep the form the index's predicate is proved from.
/// (Sequential and plain index scans are off: on a few rows, reading them
/// all costs as little; at 100,000 profiles the bitmap is the plan.)
#[tokio::test]
async fn a_visitors_search_reads_the_index_of_public_profiles() {
    let Some(db) = testing::postgres().await else {
        return;
    };
    seed(&db).await;
    // A profile past the first bucket of 4,096 ids, so that a search in
    // relevance order takes its first step by a bucket token, as in a large
    // directory.
    sqlx::query("ALTER TABLE profiles ALTER COLUMN id RESTART WITH 9000")
        .execute(db.pool())
        .await
        .unwrap();
    person(
        &db,
        "z@x.fr",
        "Zoé Zola",
        Visibility::Public,
        &["13"],
        "Rien.",
    )
    .await;
    let mut tx = db.write().await.unwrap();
    for off in ["enable_seqscan", "enable_indexscan"] {
        sqlx::query(AssertSqlSafe(format!("SET LOCAL {off} = off")))
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    let scans = "SELECT pg_stat_get_xact_numscans(CAST('profile_fts_public' AS regclass))";
    let member = a_member();
    let by_name = SearchQuery {
        department: DepartmentCode::parse("31").ok(),
        sort: Sort::Name,
        ..Default::default()
    };
    for (viewer, read) in [(Viewer::default(), true), (member, false)] {
        for q in [text("educatrice"), by_name.clone()] {
            let before: i64 = sqlx::query_scalar(scans).fetch_one(&mut *tx).await.unwrap();
            let (cards, _) = directory::search(&mut tx, Engine::Postgres, &q, &viewer)
                .await
                .unwrap();
            let after: i64 = sqlx::query_scalar(scans).fetch_one(&mut *tx).await.unwrap();
            assert_eq!(
                cards
                    .iter()
                    .map(|c| c.display_name.as_str())
                    .collect::<Vec<_>>(),
                ["Awa Diallo"]
            );
            assert_eq!(after > before, read, "{q:?} as {viewer:?}");
        }
    }
    tx.rollback().await.unwrap();
}
