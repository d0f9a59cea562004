use epop_domain::account::AccountStatus;
use epop_domain::directory::{
    Format, InterventionKind, ProfileKind, SearchQuery, Sort, Visibility,
};
use epop_domain::{DepartmentCode, Email, RegionCode};
use epop_store::accounts::{self, NewAccount};
use epop_store::directory::{self, ProfileInput, Sensitive, Viewer, purpose};
use epop_store::{Db, Engine, testing};
use sqlx::AssertSqlSafe;

pub(crate) async fn person(
    db: &Db,
    email: &str,
    name: &str,
    visibility: Visibility,
    departments: &[&str],
    words: &str,
) -> (i64, String) {
    let mut tx = db.write().await.unwrap();
    let id = accounts::create(
        &mut tx,
        &NewAccount {
            public_id: format!("pid-{email}"),
            email: Email::parse(email).unwrap(),
            display_name: name.into(),
            status: AccountStatus::Active,
            department: departments.first().map(|d| d.to_string()),
            organisation_id: None,
        },
    )
    .await
    .unwrap();
    let theme = directory::add_theme(&mut tx, "Santé mentale")
        .await
        .unwrap();
    let input = ProfileInput {
        kind: ProfileKind::Peer,
        display_name: name.into(),
        visibility,
        home_department: departments.first().map(|d| d.to_string()),
        presentation: words.into(),
        presentation_easy: String::new(),
        own_words: String::new(),
        on_site: true,
        remote: name.contains("Distance"),
        travel_km: Some(50),
        other_languages: String::new(),
        max_per_month: Some(2),
        job_title: None,
        organisation_id: None,
        departments: departments.iter().map(|d| d.to_string()).collect(),
        interventions: vec![InterventionKind::TrainingProfessionals],
        theme_ids: if words.contains("mentale") {
            vec![theme.id]
        } else {
            vec![]
        },
        languages: if words.contains("LSF") {
            vec!["fr".into(), "lsf".into()]
        } else {
            vec!["fr".into()]
        },
    };
    let out = directory::upsert(&mut tx, db.engine(), id, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    out
}

/// Saves a profile again, as its owner's form does, with `edit` applied.
pub(crate) async fn resave(db: &Db, id: i64, edit: impl FnOnce(&mut ProfileInput)) {
    let mut tx = db.write().await.unwrap();
    let mut input = directory::input_of(&mut tx, id).await.unwrap();
    edit(&mut input);
    let account: i64 = sqlx::query_scalar("SELECT account_id FROM profiles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    directory::upsert(&mut tx, db.engine(), account, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

async fn find(db: &Db, q: SearchQuery, viewer: &Viewer) -> (Vec<String>, i64) {
    let mut conn = db.conn().await.unwrap();
    let (cards, total) = directory::search(&mut conn, db.engine(), &q, viewer)
        .await
        .unwrap();
    (cards.into_iter().map(|c| c.display_name).collect(), total)
}

fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: t.into(),
        ..Default::default()
    }
}

async fn seed(db: &Db) {
    person(
        db,
        "a@x.fr",
        "Awa Diallo",
        Visibility::Public,
        &["31"],
        "Éducatrice spécialisée, je parle de santé mentale.",
    )
    .await;
    person(
        db,
        "b@x.fr",
        "Thomas Roux",
        Visibility::Public,
        &["65", "09"],
        "Formateur dans les Hautes-Pyrénées, LSF.",
    )
    .await;
    person(
        db,
        "c@x.fr",
        "Nadia Distance",
        Visibility::Members,
        &["34"],
        "Intervenante de l'Hérault.",
    )
    .await;
    person(
        db,
        "d@x.fr",
        "Lucas Caché",
        Visibility::Hidden,
        &["80"],
        "Profil masqué dans la Somme.",
    )
    .await;
}

#[tokio::test]
async fn search_is_accent_case_and_punctuation_insensitive() {
    for db in testing::all().await {
        seed(&db).await;
        let anon = Viewer::default();
        let member = Viewer {
            member: true,
            ..Default::default()
        };
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
    for db in testing::all().await {
        seed(&db).await;
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
    for db in testing::all().await {
        seed(&db).await;
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
        let member = Viewer {
            member: true,
            ..Default::default()
        };
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
    for db in testing::all().await {
        seed(&db).await;
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
            everyone(&Viewer {
                member: true,
                ..Default::default()
            })
            .await,
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
    for db in testing::all().await {
        seed(&db).await;
        let member = Viewer {
            member: true,
            ..Default::default()
        };
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

#[tokio::test]
async fn updating_keeps_the_slug_and_reindexes() {
    for db in testing::all().await {
        let (id, slug) = person(
            &db,
            "a@x.fr",
            "Awa Diallo",
            Visibility::Public,
            &["31"],
            "Éducatrice",
        )
        .await;
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
        let (id, slug) = person(
            &db,
            "a@x.fr",
            "Awa Diallo",
            Visibility::Public,
            &["31"],
            "x",
        )
        .await;
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
        let (_, slug) = person(
            &db,
            "a@x.fr",
            "Awa Diallo",
            Visibility::Members,
            &["31"],
            "x",
        )
        .await;
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

/// A visitor's search is kept for a moment (a change made behind the
/// store's back, as by another process, is not seen at once), but a write
/// through the store drops it at once, in or out of a transaction.
#[tokio::test]
async fn visitor_searches_are_cached_until_the_next_write() {
    for db in testing::all().await {
        seed(&db).await;
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
        let member = Viewer {
            member: true,
            ..Default::default()
        };
        assert!(!member.is_visitor() && anon.is_visitor());
    }
}

/// The filters are tokens of the full-text index (`_dep31`, `_reg76`,
/// `_kindformer`, `_fmtremote`): neither a query nor a profile's own text can
/// produce one, so typing one finds nothing more, and writing one in a
/// presentation does not put a profile in another département.
#[tokio::test]
async fn filter_tokens_cannot_be_typed_or_written() {
    for db in testing::all().await {
        seed(&db).await;
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
                &Viewer {
                    member: true,
                    ..Default::default()
                }
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
    for db in testing::all().await {
        seed(&db).await;
        person(
            &db,
            "f@x.fr",
            "Marie Distance",
            Visibility::Public,
            &["2A", "2B"],
            "Formatrice en Corse.",
        )
        .await;
        let member = Viewer {
            member: true,
            ..Default::default()
        };
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
    let member = Viewer {
        member: true,
        ..Default::default()
    };
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
