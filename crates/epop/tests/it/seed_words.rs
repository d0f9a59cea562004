//! The seeds' own words: the six kinds of intervention named as the
//! project's texts name them, on pages, in exports and in the import.

use axum::http::StatusCode;

use crate::harness::apps;

/// The six kinds, as the project's texts write them (typographic apostrophe,
/// the platform's typography).
const SEED_LABELS: [&str; 6] = [
    "Aider d’autres personnes en situation de handicap",
    "Former des professionnels",
    "Sensibiliser les citoyens",
    "Donner leur avis sur des services ou des produits",
    "Défendre les droits des personnes en situation de handicap",
    "Participer à la création de nouvelles règles ou lois",
];

const OLD_LABELS: [&str; 4] = [
    "Accompagner d’autres personnes",
    "Donner son avis sur un service ou un produit",
    "Participer à la création de règles ou de lois",
    "Accompagner et aider",
];

fn assert_seed_words(what: &str, body: &str) {
    for label in SEED_LABELS {
        assert!(body.contains(label), "« {label} » missing in {what}");
    }
    for old in OLD_LABELS {
        assert!(!body.contains(old), "old label « {old} » still in {what}");
    }
}

#[tokio::test]
async fn pages_and_exports_name_the_six_kinds_in_the_seeds_words() {
    for app in apps().await {
        let mut visitor = app.client();
        for path in ["/", "/annuaire", "/demander-une-intervention"] {
            let page = visitor.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert_seed_words(path, &page.body);
        }

        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let form = awa.get("/espace/ma-fiche/interventions").await;
        assert_eq!(form.status, StatusCode::OK);
        assert_seed_words("the profile form", &form.body);
        let card = visitor.get("/annuaire/awa-diallo").await;
        assert!(
            card.body
                .contains("Aider d’autres personnes en situation de handicap"),
            "Awa's profile"
        );

        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let bytes = admin.get_bytes("/admin/annuaire/export.csv").await;
        let csv = String::from_utf8_lossy(&bytes);
        let line = csv
            .lines()
            .find(|l| l.starts_with("Awa Diallo;"))
            .expect("Awa in the CSV");
        assert!(
            line.contains("Aider d’autres personnes en situation de handicap"),
            "{line}"
        );
        assert!(
            !csv.contains("Accompagner d’autres"),
            "old label in the CSV"
        );
    }
}
