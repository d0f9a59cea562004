//! The directory search: words in any accent or case, beginnings of words,
//! who finds whom by visibility, filters, ranking and the visitors' cache.

use epop_domain::directory::{
    Format, InterventionKind, ProfileKind, SearchQuery, Sort, Visibility,
};
use epop_domain::{DepartmentCode, Email, RegionCode};
use epop_store::directory::{self, Viewer};
use epop_store::{Db, Engine, accounts, testing};

use crate::directory::{a_member, find, person, resave, seeded, text};

#[tokio::test]
async fn search_is_accent_case_and_punctuation_insensitive() {
    for db in seeded().await {
        let anon = Viewer::default();
        let member = a_member();
        assert_eq!(
            find(&db, text("educatrice"), &anon).await.0,
            vec!["Awa Diallo"]
        );
        assert_eq!(
            find(&db, text("ÉDUCATRICE"), &anon).await.0,
            vec!["Awa Diallo"]
        );
        assert_eq!(
            find(&db, text("Pyrenees"), &anon).await.0,
            vec!["Thomas Roux"]
        );
        assert_eq!(
            find(&db, text("hautes-pyrénées"), &anon).await.0,
            vec!["Thomas Roux"]
        );
        assert_eq!(
            find(&db, text("l'Hérault"), &member).await.0,
            vec!["Nadia Distance"]
        );
        assert_eq!(
            find(&db, text("educ"), &anon).await.0,
            vec!["Awa Diallo"],
            "prefix"
        );
        assert_eq!(
            find(&db, text("Occitanie"), &anon).await.1,
            2,
            "found by their region's name"
        );
        assert_eq!(
            find(&db, text("former des professionnels"), &anon).await.1,
            2,
            "found by kind of intervention"
        );
        // Empty and very long queries, SQL and HTML special characters.
        assert_eq!(find(&db, text(""), &anon).await.1, 2);
        assert_eq!(
            find(&db, text(&"santé ".repeat(500)), &anon).await.0,
            vec!["Awa Diallo"]
        );
        assert_eq!(
            find(&db, text("'; DROP TABLE profiles; --"), &anon).await.1,
            0
        );
        assert_eq!(find(&db, text("\" OR 1=1 --"), &anon).await.1, 0);
        assert_eq!(
            find(&db, text("<script>alert(1)</script>"), &anon).await.1,
            0
        );
        assert_eq!(
            find(&db, text("*"), &anon).await.1,
            2,
            "only punctuation: no words, everything"
        );
        assert_eq!(
            find(&db, text("awa"), &anon).await.1,
            1,
            "the table is still there"
        );
    }
}

/// A word typed is the beginning of words (PostgreSQL: of the index's own
/// words, migration 19, then exact entries): one word or many (more than
/// 64 begin « zzmot »: the index reads the prefix itself), in two texts, in
/// words that arrive with a later save; a beginning of no word finds
/// nobody, and an apostrophe never breaks the query.
#[tokio::test]
async fn words_are_found_by_their_beginning() {
    for db in seeded().await {
        let many: Vec<String> = (1..=70).map(|i| format!("zzmot{i:02}")).collect();
        let (zoe, _) = person(
            &db,
            "z@x.fr",
            "Zoé Zola",
            Visibility::Public,
            &["13"],
            &format!("Mots rares : {} et santé.", many.join(" ")),
        )
        .await;
        let anon = Viewer::default();
        for (q, expected) in [
            ("zzmot", vec!["Zoé Zola"]),
            ("zzmot07", vec!["Zoé Zola"]),
            ("zzm rares", vec!["Zoé Zola"]),
            ("zzmot71", vec![]),
            ("zzx", vec![]),
            ("sant", vec!["Awa Diallo", "Zoé Zola"]),
            ("sant zzmot5", vec!["Zoé Zola"]),
            ("sant qqq", vec![]),
            ("l'éduc", vec!["Awa Diallo"]),
        ] {
            let (mut names, total) = find(&db, text(q), &anon).await;
            names.sort();
            assert_eq!(names, expected, "{q}");
            assert_eq!(total, expected.len() as i64, "{q}");
        }
        // A word first seen in a later save is found at once.
        assert_eq!(find(&db, text("kiwiland"), &anon).await.1, 0);
        resave(&db, zoe, |input| {
            input.presentation = "Maintenant à Kiwiland.".into()
        })
        .await;
        assert_eq!(
            find(&db, text("kiwi"), &anon).await.0,
            vec!["Zoé Zola"],
            "new word"
        );
        assert_eq!(find(&db, text("zzmot"), &anon).await.1, 0, "old words gone");
        // Every word of the full-text index is in the list of its words.
        let missing = match db.engine() {
            Engine::Sqlite => {
                "SELECT COUNT(*) FROM profile_fts_terms WHERE substr(term, 1, 1) <> '_' \
                 AND term NOT IN (SELECT word FROM profile_fts_words)"
            }
            Engine::Postgres => {
                "SELECT COUNT(*) FROM (SELECT w FROM profile_fts, unnest(tsvector_to_array(tsv)) AS w \
                 WHERE left(w, 1) <> '_' EXCEPT SELECT word FROM profile_fts_words) AS m"
            }
        };
        let mut conn = db.conn().await.unwrap();
        if db.engine() == Engine::Sqlite {
            sqlx::query("CREATE VIRTUAL TABLE IF NOT EXISTS temp.profile_fts_terms USING fts5vocab(main, profile_fts, 'row')")
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        let missing: i64 = sqlx::query_scalar(missing)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(missing, 0, "words of the index missing from its list");
        drop(conn);
        // SQLite's tokenizer folds « ź », which the words' own folding keeps:
        // a beginning only the index's word has is read as a prefix there.
        person(
            &db,
            "l@x.fr",
            "Léo Lis",
            Visibility::Public,
            &["13"],
            "Né à Łódź.",
        )
        .await;
        assert_eq!(find(&db, text("łódź"), &anon).await.0, vec!["Léo Lis"]);
        assert_eq!(find(&db, text("łod"), &anon).await.0, vec!["Léo Lis"]);
        if db.engine() == Engine::Sqlite {
            assert_eq!(find(&db, text("łodz"), &anon).await.0, vec!["Léo Lis"]);
        }
    }
}

/// Whatever changes a profile's visibility, even a statement outside the
/// store's functions, the search sees it at once: on PostgreSQL the index's
/// copy of the column (migration 19) is a foreign key ON UPDATE CASCADE.
#[tokio::test]
async fn a_changed_visibility_reaches_the_search_at_once() {
    for db in seeded().await {
        let anon = Viewer::default();
        assert_eq!(
            find(&db, text("educatrice"), &anon).await.0,
            vec!["Awa Diallo"]
        );
        sqlx::query("UPDATE profiles SET visibility = 'hidden' WHERE display_name = 'Awa Diallo'")
            .execute(db.pool())
            .await
            .unwrap();
        assert_eq!(find(&db, text("educatrice"), &anon).await.1, 0);
        assert_eq!(find(&db, text("sante"), &anon).await.1, 0);
        let member = a_member();
        assert_eq!(find(&db, text("educatrice"), &member).await.1, 0);
        let admin = Viewer {
            admin: true,
            ..Default::default()
        };
        assert_eq!(
            find(&db, text("educatrice"), &admin).await.0,
            vec!["Awa Diallo"]
        );
        if db.engine() == epop_store::Engine::Postgres {
            let copy: String = sqlx::query_scalar(
                "SELECT f.visibility FROM profile_fts f JOIN profiles p ON p.id = f.rowid \
                 WHERE p.display_name = 'Awa Diallo'",
            )
            .fetch_one(db.pool())
            .await
            .unwrap();
            assert_eq!(copy, "hidden");
        }
    }
}

#[tokio::test]
async fn visibility_decides_who_finds_whom() {
    for db in seeded().await {
        let everyone = |v: &Viewer| {
            let db = db.clone();
            let v = v.clone();
            async move {
                find(
                    &db,
                    SearchQuery {
                        sort: Sort::Name,
                        ..Default::default()
                    },
                    &v,
                )
                .await
                .0
            }
        };
        assert_eq!(
            everyone(&Viewer::default()).await,
            vec!["Awa Diallo", "Thomas Roux"]
        );
        assert_eq!(
            everyone(&a_member()).await,
            vec!["Awa Diallo", "Nadia Distance", "Thomas Roux"]
        );
        let coord_80 = Viewer {
            member: true,
            coordinated: vec!["80".into(), "59".into()],
            ..Default::default()
        };
        assert_eq!(
            everyone(&coord_80).await.len(),
            4,
            "the hidden profile of the Somme, for its coordinator"
        );
        let coord_31 = Viewer {
            member: true,
            coordinated: vec!["31".into()],
            ..Default::default()
        };
        assert_eq!(everyone(&coord_31).await.len(), 3);
        assert_eq!(
            everyone(&Viewer {
                admin: true,
                member: true,
                ..Default::default()
            })
            .await
            .len(),
            4
        );
        let mut conn = db.conn().await.unwrap();
        let owner = accounts::id_by_email(&mut conn, &Email::parse("d@x.fr").unwrap())
            .await
            .unwrap();
        assert!(
            everyone(&Viewer {
                account_id: Some(owner),
                member: true,
                ..Default::default()
            })
            .await
            .contains(&"Lucas Caché".to_string())
        );
    }
}

#[tokio::test]
async fn filters_narrow_the_search() {
    for db in seeded().await {
        let member = a_member();
        let q = |f: fn(&mut SearchQuery)| {
            let mut q = SearchQuery::default();
            f(&mut q);
            q
        };
        assert_eq!(
            find(
                &db,
                q(|q| q.department = Some(DepartmentCode::parse("09").unwrap())),
                &member
            )
            .await
            .0,
            vec!["Thomas Roux"],
            "covers Ariège"
        );
        assert_eq!(
            find(
                &db,
                q(|q| q.region = Some(RegionCode::parse("76").unwrap())),
                &member
            )
            .await
            .1,
            3
        );
        assert_eq!(
            find(
                &db,
                q(|q| q.region = Some(RegionCode::parse("32").unwrap())),
                &member
            )
            .await
            .1,
            0
        );
        assert_eq!(
            find(&db, q(|q| q.format = Some(Format::Remote)), &member)
                .await
                .0,
            vec!["Nadia Distance"]
        );
        assert_eq!(
            find(&db, q(|q| q.language = Some("lsf".into())), &member)
                .await
                .0,
            vec!["Thomas Roux"]
        );
        assert_eq!(
            find(&db, q(|q| q.theme = Some("sante-mentale".into())), &member)
                .await
                .0,
            vec!["Awa Diallo"]
        );
        assert_eq!(
            find(
                &db,
                q(|q| q.kind = Some(InterventionKind::Advocacy)),
                &member
            )
            .await
            .1,
            0
        );
        assert_eq!(
            find(
                &db,
                q(|q| q.profile_kind = Some(ProfileKind::Referent)),
                &member
            )
            .await
            .1,
            0
        );
        let mut paged = SearchQuery {
            sort: Sort::Name,
            page: 1,
            ..Default::default()
        };
        assert!(
            find(&db, paged.clone(), &member).await.0.is_empty(),
            "past the last page"
        );
        paged.page = 0;
        assert_eq!(find(&db, paged, &member).await.1, 3);
    }
}

/// A visitor's search is kept for a moment (a change made behind the
/// store's back, as by another process, is not seen at once), but a write
/// through the store drops it at once, in or out of a transaction.
#[tokio::test]
async fn visitor_searches_are_cached_until_the_next_write() {
    for db in seeded().await {
        let anon = Viewer::default();
        let cached = |db: Db| async move {
            let found = directory::search_cached(&db, &text("educatrice"), &Viewer::default())
                .await
                .unwrap();
            found
                .0
                .iter()
                .map(|c| c.display_name.clone())
                .collect::<Vec<_>>()
        };
        // Behind the store's back: the cache still answers (for at most
        // `cache::TTL`), the database no longer does. (Tests running at the
        // same time write too, and any write drops the cache: try again.)
        let hide = |visibility: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query(
                    "UPDATE profiles SET visibility = $1 WHERE display_name = 'Awa Diallo'",
                )
                .bind(visibility)
                .execute(db.pool())
                .await
                .unwrap();
            }
        };
        let mut served_from_cache = false;
        for _ in 0..50 {
            hide("public").await;
            // As a write through the store would: the previous round's
            // answer (read afresh after a concurrent write) is dropped.
            epop_store::cache::written();
            assert_eq!(cached(db.clone()).await, vec!["Awa Diallo"]);
            hide("hidden").await;
            if cached(db.clone()).await == vec!["Awa Diallo"] {
                served_from_cache = true;
                break;
            }
        }
        assert!(served_from_cache);
        assert!(find(&db, text("educatrice"), &anon).await.0.is_empty());
        // Any write through the store: the next search reads again.
        let mut conn = db.conn().await.unwrap();
        directory::add_theme(&mut conn, "Sport").await.unwrap();
        drop(conn);
        assert!(cached(db.clone()).await.is_empty());
        // Members never go through the cache.
        let member = a_member();
        assert!(!member.is_visitor() && anon.is_visitor());
    }
}

/// In relevance order, the profile that speaks most of the words searched
/// comes first, whatever its name; in name order, names decide. The same on
/// both engines (BM25 on SQLite, `ts_rank` on PostgreSQL).
#[tokio::test]
async fn relevance_puts_who_speaks_most_of_the_words_first() {
    for db in testing::all().await {
        let filler =
            "Je vis à Toulouse et je travaille dans une association du quartier. ".repeat(4);
        person(
            &db,
            "a@x.fr",
            "Anne Abel",
            Visibility::Public,
            &["31"],
            &format!("{filler}Un mot sur la surdité."),
        )
        .await;
        person(
            &db,
            "z@x.fr",
            "Zoé Zeller",
            Visibility::Public,
            &["31"],
            "La surdité : vivre la surdité, expliquer la surdité, former à la surdité.",
        )
        .await;
        person(
            &db,
            "m@x.fr",
            "Marc Milo",
            Visibility::Public,
            &["31"],
            "Rien à voir.",
        )
        .await;
        let anon = Viewer::default();
        let mut q = text("surdite");
        assert_eq!(
            find(&db, q.clone(), &anon).await,
            (vec!["Zoé Zeller".to_owned(), "Anne Abel".to_owned()], 2)
        );
        q.sort = Sort::Name;
        assert_eq!(
            find(&db, q, &anon).await,
            (vec!["Anne Abel".to_owned(), "Zoé Zeller".to_owned()], 2)
        );
    }
}
