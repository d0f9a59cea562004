//! The directory through the real router: search, filters, profile pages,
//! who sees what (every role, every territory), audited sensitive reads,
//! and the JSON API.

use axum::http::StatusCode;

use crate::harness::apps;

const AWA_ACCOMMODATIONS: &str = "Des pauses courtes toutes les heures.";
const AWA_EXPERIENCE: &str = "Trouble bipolaire stabilisé depuis 2015.";
const LUCAS_ACCOMMODATIONS: &str = "Consignes écrites en facile à lire.";

#[tokio::test]
async fn search_page_finds_with_words_and_filters_in_the_url() {
    for app in apps().await {
        let mut c = app.client();
        let all = c.get("/annuaire").await;
        assert_eq!(all.status, StatusCode::OK);
        assert!(all.body.contains("Awa Diallo") && all.body.contains("Nadia Haddad"));
        assert!(
            !all.body.contains("Thomas Roux"),
            "members-only profile hidden from visitors"
        );
        assert!(
            !all.body.contains("Lucas Lefebvre"),
            "hidden profile never listed"
        );
        let found = c.get("/annuaire?q=educatrice").await;
        assert!(found.body.contains("Awa Diallo"));
        assert!(
            found.body.contains("value=\"educatrice\""),
            "the query is kept in the form"
        );
        let herault = c.get("/annuaire?q=l%27H%C3%A9rault&profil=peer").await;
        assert!(
            herault.body.contains("Nadia Haddad"),
            "« l'Hérault » finds the Hérault"
        );
        assert!(herault.body.contains("id=\"profil-peer\" checked"));
        let filtered = c.get("/annuaire?departement=32&intervention=former").await;
        assert!(filtered.body.contains("Awa Diallo"), "Awa covers the Gers");
        assert!(filtered.body.contains("<option value=\"32\" selected>"));
        let none = c.get("/annuaire?q=astronaute&departement=31").await;
        assert!(none.body.contains("Aucun résultat"));
        assert!(
            none.body.contains("href=\"/annuaire?departement=31\""),
            "advice: drop the words"
        );
        assert!(
            none.body.contains("href=\"/annuaire?q=astronaute\""),
            "advice: drop the département"
        );
        let xss = c
            .get("/annuaire?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
            .await;
        assert_eq!(xss.status, StatusCode::OK);
        assert!(
            !xss.body.contains("<script>alert"),
            "escaped, never executed"
        );
        let sql = c
            .get("/annuaire?q=%27%3B%20DROP%20TABLE%20profiles%3B%20--")
            .await;
        assert_eq!(sql.status, StatusCode::OK);
        assert!(
            c.get("/annuaire?q=awa").await.body.contains("Awa Diallo"),
            "still there"
        );
        let long = format!("/annuaire?q={}", "sant%C3%A9%20".repeat(400));
        assert_eq!(c.get(&long).await.status, StatusCode::OK);
        let bad = c.get("/annuaire?departement=99&q=awa").await;
        assert!(
            bad.body.contains("n’est pas un numéro de département")
                && bad.body.contains("Awa Diallo"),
            "bad filter reported, not fatal"
        );
    }
}

#[tokio::test]
async fn pages_of_results_and_sorting() {
    for app in apps().await {
        let mut c = app.signed_in("admin@demo.epop.test").await;
        let first = c.get("/annuaire?tri=nom").await;
        assert!(
            first.body.contains("résultats – page 1 sur 2"),
            "{}",
            first.h1()
        );
        assert!(first.body.contains("href=\"/annuaire?tri=nom&amp;page=2\""));
        let second = c.get("/annuaire?tri=nom&page=2").await;
        assert!(second.body.contains("page 2 sur 2"));
        assert!(second.body.contains("Page précédente"));
    }
}

/// (profile slug, expected status per audience) — audiences: visitor, another
/// peer, référent, requester, funder, coordinator of Occitanie, coordinator of
/// the Somme and Nord, admin.
const AUDIENCES: [&str; 8] = [
    "",
    "pair-herault@demo.epop.test",
    "referente@demo.epop.test",
    "demandeur@demo.epop.test",
    "financeur@demo.epop.test",
    "coordination@demo.epop.test",
    "coordination-hdf@demo.epop.test",
    "admin@demo.epop.test",
];

#[tokio::test]
async fn profile_pages_show_each_field_only_to_whom_may_see_it() {
    for app in apps().await {
        let cases: [(&str, [u16; 8], [bool; 8], &str); 3] = [
            // Awa, public, Haute-Garonne: sensitive for Occitanie coordination and admin.
            (
                "awa-diallo",
                [200; 8],
                [false, false, false, false, false, true, false, true],
                AWA_ACCOMMODATIONS,
            ),
            // Thomas, members only, Ariège: not for visitors nor funders.
            (
                "thomas-roux",
                [404, 200, 200, 200, 404, 200, 200, 200],
                [false, false, false, false, false, true, false, true],
                "Interprète LSF",
            ),
            // Lucas, hidden, Somme: only his coordinator and admins.
            (
                "lucas-lefebvre",
                [404, 404, 404, 404, 404, 404, 200, 200],
                [false, false, false, false, false, false, true, true],
                LUCAS_ACCOMMODATIONS,
            ),
        ];
        for (n, who) in AUDIENCES.iter().enumerate() {
            let mut c = if who.is_empty() {
                app.client()
            } else {
                app.signed_in(who).await
            };
            for (slug, status, sensitive, secret) in &cases {
                let page = c.get(&format!("/annuaire/{slug}")).await;
                assert_eq!(page.status.as_u16(), status[n], "{slug} as « {who} »");
                assert_eq!(
                    page.body.contains(secret),
                    sensitive[n],
                    "sensitive field of {slug} as « {who} »"
                );
                if page.status == StatusCode::NOT_FOUND {
                    assert!(!page.body.contains(slug) && page.body.contains("Page introuvable"));
                }
                let api = c.get("/api/v1/directory?tri=nom").await;
                assert!(!api.body.contains(secret), "never in JSON");
                let list = c.get("/annuaire?tri=nom").await;
                assert!(!list.body.contains(secret), "never in the list");
            }
        }
    }
}

#[tokio::test]
async fn the_owner_sees_their_own_sensitive_fields_and_reads_by_others_are_audited() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let own = awa.get("/annuaire/awa-diallo").await;
        assert!(own.body.contains(AWA_ACCOMMODATIONS) && own.body.contains(AWA_EXPERIENCE));
        assert!(own.body.contains("C’est votre fiche"));
        assert_eq!(
            app.audit_count("sensitive_read").await,
            0,
            "reading one's own data is not audited"
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord.get("/annuaire/awa-diallo").await;
        coord.get("/annuaire/awa-diallo").await;
        assert_eq!(
            app.audit_count("sensitive_read").await,
            2,
            "each read by someone else is recorded"
        );
        let mut lucas = app.signed_in("pair-somme@demo.epop.test").await;
        let hidden_own = lucas.get("/annuaire/lucas-lefebvre").await;
        assert_eq!(
            hidden_own.status,
            StatusCode::OK,
            "the owner reaches their hidden profile"
        );
        assert!(hidden_own.body.contains("Fiche masquée"));
    }
}

#[tokio::test]
async fn easy_read_presentation_is_at_the_same_address() {
    for app in apps().await {
        let mut c = app.client();
        let ordinary = c.get("/annuaire/awa-diallo").await;
        assert!(ordinary.body.contains("Éducatrice de formation"));
        assert!(
            ordinary
                .body
                .contains("href=\"/annuaire/awa-diallo?version=facile\"")
        );
        let easy = c.get("/annuaire/awa-diallo?version=facile").await;
        assert!(
            easy.body.contains("Je m’appelle Awa.")
                && !easy.body.contains("Éducatrice de formation")
        );
    }
}

#[tokio::test]
async fn json_api_answers_the_same_search() {
    for app in apps().await {
        let mut c = app.client();
        let page = c.get("/api/v1/directory?q=educatrice").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.headers["content-type"], "application/json");
        let v: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        assert!(v["total"].as_i64().unwrap() >= 1);
        let awa = v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["slug"] == "awa-diallo")
            .expect("Awa listed");
        assert_eq!(awa["display_name"], "Awa Diallo");
        assert_eq!(awa["kind"], "peer");
        assert_eq!(awa["departments"][0], "31");
        assert!(
            awa["interventions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k == "former")
        );
        let anon_all: serde_json::Value =
            serde_json::from_str(&c.get("/api/v1/directory?departement=09").await.body).unwrap();
        assert!(!anon_all.to_string().contains("thomas-roux"));
        let mut member = app.signed_in("referente@demo.epop.test").await;
        let member_all: serde_json::Value =
            serde_json::from_str(&member.get("/api/v1/directory?departement=09").await.body)
                .unwrap();
        assert!(
            member_all.to_string().contains("thomas-roux"),
            "members-only profiles with a member session"
        );
        let bad = c
            .get("/api/v1/directory?departement=99&format=teleportation")
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        let errors: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
        assert_eq!(errors["errors"].as_array().unwrap().len(), 2);
        assert!(
            errors["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("99")
        );
        let spec: serde_json::Value =
            serde_json::from_str(&c.get("/api/openapi.json").await.body).unwrap();
        assert!(
            spec["paths"]["/api/v1/directory"]["get"]["parameters"]
                .as_array()
                .unwrap()
                .len()
                >= 9
        );
        assert!(
            spec["components"]["schemas"]["DirectoryItem"]["properties"]["departments"].is_object()
        );
    }
}

#[tokio::test]
async fn organisation_pages_list_their_people_as_the_visitor_may_see_them() {
    for app in apps().await {
        let mut c = app.client();
        let org = c
            .get("/organisations/esat-des-ateliers-de-l-hers-demo")
            .await;
        assert_eq!(org.status, StatusCode::OK);
        assert!(
            org.body
                .contains("ESAT (établissement et service d’accompagnement par le travail)")
        );
        assert!(
            org.body.contains("href=\"/annuaire/julie-ferrand\""),
            "the référent of the ESAT"
        );
        let profile = c.get("/annuaire/julie-ferrand").await;
        assert!(
            profile
                .body
                .contains("href=\"/organisations/esat-des-ateliers-de-l-hers-demo\"")
        );
        let filtered = c
            .get("/annuaire?organisation=esat-des-ateliers-de-l-hers-demo")
            .await;
        assert!(filtered.body.contains("Julie Ferrand"), "{}", filtered.body);
        assert!(!filtered.body.contains("Awa Diallo"), "{}", filtered.body);
        assert_eq!(
            c.get("/organisations/n-existe-pas").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

/// More than 1,000 matches: the count stops at 1,001, the page says « plus de
/// 1 000 résultats » and asks to refine, the API says the total is a lower
/// bound, and the 50 pages shown never repeat a person.
#[tokio::test]
async fn broad_searches_count_up_to_a_thousand_and_page_within_them() {
    use epop_domain::directory::{SearchQuery, Visibility};
    use epop_store::Engine;
    use epop_store::directory::{self, COUNT_CAP, Viewer};
    use sqlx::AssertSqlSafe;

    for app in apps().await {
        // 1,005 profiles in the Haute-Garonne: every one says « Occitanie ».
        // On PostgreSQL, their ids are spread over buckets 0, 2 and 7 (ids
        // from 9,000 and from 30,000), so that the search reads its
        // candidates in several steps of buckets (`search_postgres`).
        for (count, next_id) in [(400, Some(9_000)), (700, Some(30_000)), (1_005, None)] {
            epop::synthetic::seed(&app.db, count, Some(&["31"]), "cap.epop.test", |_| {})
                .await
                .unwrap();
            if let (Engine::Postgres, Some(next)) = (app.db.engine(), next_id) {
                sqlx::query(AssertSqlSafe(format!(
                    "ALTER TABLE profiles ALTER COLUMN id RESTART WITH {next}"
                )))
                .execute(app.db.pool())
                .await
                .unwrap();
            }
        }
        let mut conn = app.db.conn().await.unwrap();
        let public: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM profiles WHERE visibility = 'public' AND search_text LIKE '%occitanie%'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        let spread: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT id / 4096) FROM profiles")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        if app.db.engine() == Engine::Postgres {
            assert_eq!(spread, 3, "ids in buckets 0, 2 and 7");
        }
        let admin = Viewer {
            admin: true,
            ..Viewer::default()
        };
        let search = |q: SearchQuery, viewer: Viewer| {
            let db = app.db.clone();
            async move {
                let mut conn = db.conn().await.unwrap();
                directory::search(&mut conn, db.engine(), &q, &viewer)
                    .await
                    .unwrap()
            }
        };
        let words = |page: u32| SearchQuery {
            text: "occitanie".into(),
            page,
            ..SearchQuery::default()
        };
        let (first, total) = search(words(0), admin.clone()).await;
        assert_eq!(total, COUNT_CAP + 1);
        assert!(directory::total_is_lower_bound(total));
        assert_eq!(first.len(), 20);
        let mut seen = std::collections::BTreeSet::new();
        for page in 0..50 {
            let (cards, _) = search(words(page), admin.clone()).await;
            assert_eq!(cards.len(), 20, "page {}", page + 1);
            for c in cards {
                assert!(seen.insert(c.slug.clone()), "{} twice", c.slug);
            }
        }
        assert_eq!(seen.len(), 1_000);
        // Past the last page: nobody, and still the count.
        let (past, total) = search(words(60), admin.clone()).await;
        assert!(past.is_empty());
        assert_eq!(total, COUNT_CAP + 1);
        // In name order too, the pages are those of the whole directory.
        let by_name = |page: u32| SearchQuery {
            sort: epop_domain::directory::Sort::Name,
            page,
            ..SearchQuery::default()
        };
        let (page_50, total) = search(by_name(49), admin.clone()).await;
        assert_eq!(total, COUNT_CAP + 1);
        assert_eq!(page_50.len(), 20);
        // Words in name order past 1,000 matches: the pages of all the
        // matches by name (the name index drives), not of the first 1,001.
        for page in [0, 49] {
            let (cards, total) = search(
                SearchQuery {
                    sort: epop_domain::directory::Sort::Name,
                    ..words(page)
                },
                admin.clone(),
            )
            .await;
            assert_eq!(total, COUNT_CAP + 1);
            let expected: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
                "SELECT slug FROM profiles WHERE search_text LIKE '%occitanie%' \
                 ORDER BY sort_name, id LIMIT 20 OFFSET {}",
                page * 20
            )))
            .fetch_all(app.db.pool())
            .await
            .unwrap();
            let slugs: Vec<String> = cards.into_iter().map(|c| c.slug).collect();
            assert_eq!(slugs, expected, "page {}", page + 1);
        }
        // A visitor sees the public profiles only: fewer than the cap, so
        // the exact count.
        let (_, visible) = search(words(0), Viewer::default()).await;
        assert!(visible > 500 && visible < COUNT_CAP, "{visible}");
        assert_eq!(visible, public, "every public profile, once");
        let mut listed = 0;
        for page in 0..(visible as u32).div_ceil(20) {
            let (cards, total) = search(words(page), Viewer::default()).await;
            assert_eq!(total, visible);
            assert!(cards.iter().all(|c| c.visibility == Visibility::Public));
            listed += cards.len() as i64;
        }
        assert_eq!(listed, visible, "exact below the cap");
        let (past, total) = search(words(40), Viewer::default()).await;
        assert!(past.is_empty());
        assert_eq!(total, visible);

        let mut a = app.signed_in("admin@demo.epop.test").await;
        let page = a.get("/annuaire?q=occitanie").await;
        assert!(
            page.body
                .contains("Plus de 1\u{a0}000 résultats – page 1 sur 50"),
            "{}",
            page.body
        );
        assert!(page.title().contains("plus de 1\u{a0}000 résultats"));
        assert!(page.body.contains("Affinez votre recherche"));
        assert!(
            page.body
                .contains("href=\"/annuaire?q=occitanie&amp;page=2\"")
        );
        let last = a.get("/annuaire?q=occitanie&page=50").await;
        assert!(last.body.contains("page 50 sur 50"));
        assert!(!last.body.contains("Page suivante"));
        let api: serde_json::Value =
            serde_json::from_str(&a.get("/api/v1/directory?q=occitanie").await.body).unwrap();
        assert_eq!(api["total"], 1_001);
        assert_eq!(api["total_is_lower_bound"], true);
        let mut v = app.client();
        let exact: serde_json::Value =
            serde_json::from_str(&v.get("/api/v1/directory?q=occitanie").await.body).unwrap();
        assert_eq!(exact["total"], visible);
        assert_eq!(exact["total_is_lower_bound"], false);
        let page = v.get("/annuaire?q=occitanie").await;
        assert!(page.body.contains(&format!("{visible} résultats")));
        assert!(!page.body.contains("Affinez"));
        let spec: serde_json::Value =
            serde_json::from_str(&v.get("/api/openapi.json").await.body).unwrap();
        assert_eq!(
            spec["components"]["schemas"]["DirectoryPage"]["properties"]["total_is_lower_bound"]["type"],
            "boolean"
        );
    }
}

/// Visitors' searches are served from a short-lived cache: a profile hidden
/// (by its owner's form, a coordinator or a withdrawn consent) leaves the very
/// next visitor search, and a new theme is in the very next form.
#[tokio::test]
async fn hiding_a_profile_removes_it_from_the_next_visitor_search_at_once() {
    use epop_domain::directory::Visibility;
    use epop_store::directory;

    for app in apps().await {
        let mut v = app.client();
        let api = "/api/v1/directory?q=awa";
        for _ in 0..2 {
            assert!(v.get("/annuaire?q=awa").await.body.contains("Awa Diallo"));
            assert!(v.get(api).await.body.contains("awa-diallo"));
        }
        // Hidden in a write transaction (the profile form, the import).
        let mut tx = app.db.write().await.unwrap();
        let awa = directory::by_slug(&mut tx, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        let mut input = directory::input_of(&mut tx, awa.card.id).await.unwrap();
        input.visibility = Visibility::Hidden;
        directory::upsert(&mut tx, app.db.engine(), awa.account_id, &input)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let page = v.get("/annuaire?q=awa").await;
        assert!(!page.body.contains("Awa Diallo"), "{}", page.body);
        assert!(!v.get(api).await.body.contains("awa-diallo"));

        // Shown again, then hidden by withdrawing the listing consent, a
        // write outside any transaction.
        input.visibility = Visibility::Public;
        let mut tx = app.db.write().await.unwrap();
        directory::upsert(&mut tx, app.db.engine(), awa.account_id, &input)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(v.get("/annuaire?q=awa").await.body.contains("Awa Diallo"));
        let mut conn = app.db.conn().await.unwrap();
        directory::withdraw_consent(&mut conn, awa.account_id, directory::purpose::LISTING)
            .await
            .unwrap();
        assert!(!v.get("/annuaire?q=awa").await.body.contains("Awa Diallo"));

        // The form's lists: a new theme is offered at once.
        assert!(!v.get("/annuaire").await.body.contains("Jardinage partagé"));
        directory::add_theme(&mut conn, "Jardinage partagé")
            .await
            .unwrap();
        drop(conn);
        assert!(v.get("/annuaire").await.body.contains("Jardinage partagé"));
    }
}
