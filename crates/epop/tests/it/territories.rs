//! The territories pages through the real router, on both engines: the map
//! of the 18 régions and the same list beside it, a région's and a
//! département's figures equal to what the test seeded (a hidden or
//! members-only profile counted, never named; small counts « moins de 5 »
//! outside the coordination), upcoming events of the département only,
//! unknown places answered by a French 404.

use axum::http::StatusCode;
use epop_domain::Role;
use epop_domain::account::AccountStatus;
use epop_domain::directory::{ProfileKind, Visibility};
use epop_store::directory::{self, ProfileInput};
use epop_store::{accounts, events};

use crate::harness::{App, apps};

/// One person the test seeds in the Lozère (48, Occitanie).
struct Seed {
    name: &'static str,
    kind: ProfileKind,
    visibility: Visibility,
    trained: bool,
    status: AccountStatus,
}

const fn seed(name: &'static str, kind: ProfileKind, visibility: Visibility) -> Seed {
    Seed {
        name,
        kind,
        visibility,
        trained: true,
        status: AccountStatus::Active,
    }
}

const SEEDS: [Seed; 10] = [
    seed("Lucie Aubrac-Test", ProfileKind::Peer, Visibility::Public),
    seed("Marc Causse-Test", ProfileKind::Peer, Visibility::Public),
    seed("Nina Mende-Test", ProfileKind::Peer, Visibility::Public),
    seed("Omar Tarn-Test", ProfileKind::Peer, Visibility::Public),
    seed("Paule Réseau-Test", ProfileKind::Peer, Visibility::Members),
    seed("Quentin Masqué-Test", ProfileKind::Peer, Visibility::Hidden),
    // Not trained yet: not counted, not named.
    Seed {
        trained: false,
        ..seed("Rose Apprentie-Test", ProfileKind::Peer, Visibility::Public)
    },
    // A disabled account: not counted, not named.
    Seed {
        status: AccountStatus::Disabled,
        ..seed("Simon Parti-Test", ProfileKind::Peer, Visibility::Public)
    },
    seed(
        "Thérèse Référente-Test",
        ProfileKind::Referent,
        Visibility::Public,
    ),
    seed(
        "Ugo Discret-Test",
        ProfileKind::Referent,
        Visibility::Hidden,
    ),
];

/// Counted in the Lozère from `SEEDS`: 6 trained peers, 2 référents.
const PEERS: i64 = 6;
const REFERENTS: i64 = 2;

async fn seed_lozere(app: &App) {
    let mut tx = app.db.write().await.unwrap();
    // Every other answer as a demo profile gave it.
    let awa: i64 = sqlx::query_scalar("SELECT id FROM profiles WHERE slug = 'awa-diallo'")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let base = directory::input_of(&mut tx, awa).await.unwrap();
    for (n, s) in SEEDS.iter().enumerate() {
        let id = accounts::create(
            &mut tx,
            &accounts::NewAccount {
                public_id: format!("territoire-{n}"),
                email: epop_domain::Email::parse(&format!("territoire-{n}@exemple.fr")).unwrap(),
                display_name: s.name.into(),
                status: s.status,
                department: Some("48".into()),
                organisation_id: None,
            },
        )
        .await
        .unwrap();
        let role = match s.kind {
            ProfileKind::Peer => Role::Peer,
            ProfileKind::Referent => Role::Referent,
        };
        accounts::grant(&mut tx, id, role).await.unwrap();
        let input = ProfileInput {
            kind: s.kind,
            display_name: s.name.into(),
            visibility: s.visibility,
            // The référents' profiles name no home: counted in their account's.
            home_department: (s.kind == ProfileKind::Peer).then(|| "48".into()),
            departments: vec!["48".into()],
            ..base.clone()
        };
        let (profile, _) = directory::upsert(&mut tx, app.db.engine(), id, &input)
            .await
            .unwrap();
        if s.trained {
            directory::set_training(&mut tx, profile, Some("2025-06-30"), Some("Formation"))
                .await
                .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

/// The text of the `dd` after the `dt` holding `label`, in `html`, from `from`.
fn fact_after<'a>(html: &'a str, from: &str, label: &str) -> &'a str {
    let start = html
        .find(from)
        .unwrap_or_else(|| panic!("« {from} » missing"));
    let rest = &html[start..];
    let dt = rest
        .find(&format!("<dt>{label}</dt>"))
        .unwrap_or_else(|| panic!("no {label} after « {from} »"));
    let dd = &rest[dt..];
    let open = dd.find("<dd>").unwrap() + 4;
    let close = dd.find("</dd>").unwrap();
    &dd[open..close]
}

/// The leading number of a count in words (« 12 intervenants-pairs… »).
fn number(words: &str) -> i64 {
    if words.starts_with("aucun") {
        return 0;
    }
    words
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in « {words} »"))
}

/// The SVG of a page.
fn svg(body: &str) -> &str {
    let start = body.find("<svg class=\"map\"").expect("a map");
    let end = start + body[start..].find("</svg>").unwrap();
    &body[start..end]
}

#[tokio::test]
async fn the_map_and_the_list_name_the_18_regions() {
    for app in apps().await {
        let mut c = app.client();
        let page = c.get("/territoires").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Les territoires");
        let map = svg(&page.body);
        assert!(map.contains("role=\"group\" aria-label=\"Carte des régions de France\""));
        let mut conn = app.db.conn().await.unwrap();
        let places = epop_store::territories::places(&mut conn).await.unwrap();
        let mut regions: Vec<(String, String)> = places
            .iter()
            .map(|p| (p.region_slug.clone(), p.region_name.clone()))
            .collect();
        regions.sort();
        regions.dedup();
        assert_eq!(regions.len(), 18);
        assert_eq!(map.matches("<a href=\"/territoires/").count(), 18);
        let list = page.body[page.body.find("id=\"liste-regions\"").unwrap()..]
            .replace("&#39;", "'")
            .replace("&#x27;", "'");
        assert_eq!(list.matches("<h3><a href=\"/territoires/").count(), 18);
        for (slug, name) in &regions {
            assert!(
                map.contains(&format!(
                    "<a href=\"/territoires/{slug}\" aria-label=\"{name} : "
                )),
                "{name} on the map"
            );
            assert!(
                list.contains(&format!(
                    "<h3><a href=\"/territoires/{slug}\">{name}</a></h3>"
                )),
                "{name} in the list"
            );
        }
        // Overseas régions in their insets, Corsica on the map.
        assert_eq!(map.matches("class=\"map-inset\"").count(), 5);
        assert!(map.contains("aria-label=\"Corse : "));
        assert!(map.contains("aria-label=\"Mayotte : "));
        // Easy-read wording of the introduction.
        let easy = c.get("/territoires?version=facile").await;
        assert_eq!(easy.h1(), "Le réseau près de chez vous");
        assert!(easy.body.contains("La France est partagée en 18 régions."));
    }
}

#[tokio::test]
async fn counts_are_the_seeded_people_and_only_public_profiles_are_named() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let before = admin.get("/territoires").await;
        let lozere_before = admin.get("/territoires/occitanie/lozere").await;
        assert!(
            lozere_before
                .body
                .contains("<dd>aucun intervenant-pair formé</dd>"),
            "the test seeds the Lozère's people itself"
        );
        let occitanie = |body: &str| {
            let peers = number(fact_after(body, ">Occitanie</a>", "Intervenants-pairs"));
            let referents = number(fact_after(body, ">Occitanie</a>", "Référents"));
            (peers, referents)
        };
        let (peers0, referents0) = occitanie(&before.body);
        seed_lozere(&app).await;

        // The admin reads exact figures, in the list and on the map.
        let after = admin.get("/territoires").await;
        assert_eq!(
            occitanie(&after.body),
            (peers0 + PEERS, referents0 + REFERENTS)
        );
        let lozere = admin.get("/territoires/occitanie/lozere").await;
        assert_eq!(lozere.h1(), "Lozère (48)");
        assert!(lozere.body.contains("<dd>6 intervenants-pairs formés</dd>"));
        assert!(lozere.body.contains("<dd>2 référents</dd>"));

        // Anyone else reads « moins de 5 » under 5.
        let mut anonymous = app.client();
        for path in [
            "/territoires/occitanie/lozere",
            "/territoires/occitanie",
            "/territoires",
        ] {
            let page = anonymous.get(path).await;
            assert_eq!(page.status, StatusCode::OK);
            if path.ends_with("lozere") {
                assert!(page.body.contains("<dd>6 intervenants-pairs formés</dd>"));
                assert!(page.body.contains("<dd>moins de 5 référents</dd>"));
                assert!(!page.body.contains("2 référents"));
            }
            if path == "/territoires" {
                let (p, r) = occitanie(&page.body);
                assert_eq!(p, peers0 + PEERS);
                if referents0 + REFERENTS >= 5 {
                    assert_eq!(r, referents0 + REFERENTS);
                }
            }
            // Public, trained or référent, active: named with a link;
            // everyone else never.
            for (n, s) in SEEDS.iter().enumerate() {
                let named = s.visibility == Visibility::Public
                    && s.status == AccountStatus::Active
                    && (s.trained || s.kind == ProfileKind::Referent);
                let shown = page.body.contains(s.name);
                if path == "/territoires" {
                    assert!(!shown, "{} named on the national page", s.name);
                } else {
                    assert_eq!(shown, named, "{} on {path} (seed {n})", s.name);
                }
            }
        }
        let lozere = anonymous.get("/territoires/occitanie/lozere").await;
        assert!(
            lozere
                .body
                .contains("<a href=\"/annuaire/lucie-aubrac-test\">Lucie Aubrac-Test</a>")
        );
        // The coordination of the Occitanie reads exact figures there; the
        // Hauts-de-France's does not.
        let mut coordination = app.signed_in("coordination@demo.epop.test").await;
        let seen = coordination.get("/territoires/occitanie/lozere").await;
        assert!(seen.body.contains("<dd>2 référents</dd>"));
        let mut elsewhere = app.signed_in("coordination-hdf@demo.epop.test").await;
        let seen = elsewhere.get("/territoires/occitanie/lozere").await;
        assert!(seen.body.contains("<dd>moins de 5 référents</dd>"));
        // A member of the network signed in: still only public profiles named.
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let seen = peer.get("/territoires/occitanie/lozere").await;
        assert!(!seen.body.contains("Paule Réseau-Test"));
        assert!(!seen.body.contains("Quentin Masqué-Test"));
        assert!(!seen.body.contains("Ugo Discret-Test"));
    }
}

#[tokio::test]
async fn a_departement_lists_its_own_upcoming_events_only() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let upcoming = events::list(
            &mut conn,
            &events::Filter {
                ending_after: epop_store::now(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let public = |dept: &str| -> Vec<&events::Event> {
            upcoming
                .iter()
                .filter(|e| {
                    e.department_code.as_deref() == Some(dept)
                        && !e.trained_peers_only
                        && e.cancel_reason.is_none()
                })
                .collect()
        };
        let toulouse = public("31");
        let lille = public("59");
        assert!(!toulouse.is_empty() && !lille.is_empty(), "demo events");
        let mut c = app.client();
        let page = c.get("/territoires/occitanie/haute-garonne").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Haute-Garonne (31)");
        for e in &toulouse {
            assert!(
                page.body
                    .contains(&format!("<a href=\"/evenements/{}\">", e.slug)),
                "{} listed",
                e.title
            );
        }
        for e in &lille {
            assert!(!page.body.contains(&format!("/evenements/{}\"", e.slug)));
        }
        let count = fact_after(&page.body, "id=\"en-bref\"", "Événements");
        assert_eq!(number(count), toulouse.len() as i64, "{count}");
        // The région's map marks this département as the current one.
        let map = svg(&page.body);
        assert_eq!(map.matches("<a href=\"/territoires/occitanie/").count(), 13);
        assert!(map.contains(
            "<a href=\"/territoires/occitanie/haute-garonne\" aria-label=\"Haute-Garonne (31) : "
        ));
        assert!(map.contains("aria-current=\"page\""));
        // Another département of the région does not list them.
        let lozere = c.get("/territoires/occitanie/lozere").await;
        for e in &toulouse {
            assert!(!lozere.body.contains(&format!("/evenements/{}\"", e.slug)));
        }
        // The Nord's page lists Lille's.
        let nord = c.get("/territoires/hauts-de-france/nord").await;
        for e in &lille {
            assert!(
                nord.body
                    .contains(&format!("<a href=\"/evenements/{}\">", e.slug))
            );
        }
    }
}

#[tokio::test]
async fn unknown_places_are_a_french_404() {
    for app in apps().await {
        let mut c = app.client();
        for path in [
            "/territoires/atlantide",
            "/territoires/occitanie/nord",
            "/territoires/occitanie/inconnu",
        ] {
            let page = c.get(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert_eq!(page.h1(), "Page introuvable");
        }
        let page = c.get("/territoires/la-reunion").await;
        assert_eq!(page.h1(), "La Réunion");
        assert!(svg(&page.body).contains("<a href=\"/territoires/la-reunion/la-reunion\""));
    }
}
