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

/// Each kind written as the texts write it (straight or typographic
/// apostrophe, any case, without accents), as a code, or with a former label.
const IMPORT_FILE: &str = "nom;prénom;e-mail;rôle;départements;interventions;visibilité\n\
Un;Alice;alice.un@exemple.fr;pair;31;Aider d'autres personnes en situation de handicap;membres\n\
Deux;Bruno;bruno.deux@exemple.fr;pair;31;AIDER D’AUTRES PERSONNES EN SITUATION DE HANDICAP;membres\n\
Trois;Chloé;chloe.trois@exemple.fr;pair;31;Donner leur avis sur des services ou des produits;membres\n\
Quatre;Denis;denis.quatre@exemple.fr;pair;31;defendre les droits des personnes en situation de handicap;membres\n\
Cinq;Emma;emma.cinq@exemple.fr;pair;31;Participer a la creation de nouvelles regles ou lois, sensibiliser les citoyens;membres\n\
Six;Farid;farid.six@exemple.fr;pair;31;Former des professionnels;membres\n\
Sept;Gaëlle;gaelle.sept@exemple.fr;pair;31;Accompagner d’autres personnes en situation de handicap, donner-son-avis;membres\n\
Huit;Hugo;hugo.huit@exemple.fr;pair;31;Participer à la création de règles ou de lois;membres\n";

#[tokio::test]
async fn the_import_reads_each_kind_as_the_texts_write_it() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let token = admin.csrf().await;
        let done = admin
            .post_multipart(
                "/admin/annuaire/import",
                &token,
                &[],
                Some(("fichier", "annuaire.csv", IMPORT_FILE.as_bytes())),
            )
            .await;
        assert!(
            done.body.contains("Import terminé")
                && done.body.contains("comptes créés (invités) : 8"),
            "{}",
            done.body
        );
        let bytes = admin.get_bytes("/admin/annuaire/export.csv").await;
        let csv = String::from_utf8_lossy(&bytes);
        let [aider, former, sensibiliser, avis, droits, regles] = SEED_LABELS;
        for (who, kinds) in [
            ("Alice Un;", vec![aider]),
            ("Bruno Deux;", vec![aider]),
            ("Chloé Trois;", vec![avis]),
            ("Denis Quatre;", vec![droits]),
            ("Emma Cinq;", vec![sensibiliser, regles]),
            ("Farid Six;", vec![former]),
            ("Gaëlle Sept;", vec![aider, avis]),
            ("Hugo Huit;", vec![regles]),
        ] {
            let line = csv
                .lines()
                .find(|l| l.starts_with(who))
                .unwrap_or_else(|| panic!("{who} missing in {csv}"));
            for label in SEED_LABELS {
                assert_eq!(
                    line.contains(label),
                    kinds.contains(&label),
                    "{label}: {line}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_profile_form_reads_departements_by_name_as_the_import_does() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        awa.post(
            "/espace/ma-fiche/territoire",
            &[
                ("departement", "hautes pyrenees"),
                ("autres", "haute garonne, Gers; 81 09"),
            ],
        )
        .await;
        let page = awa.get("/espace/ma-fiche/territoire").await;
        for (shown, why) in [
            ("value=\"65\" selected", "Hautes-Pyrénées chosen by name"),
            ("value=\"09, 31, 32, 81\"", "the others by name or number"),
        ] {
            assert!(page.body.contains(shown), "{why}: {}", page.body);
        }

        let wrong = awa
            .post(
                "/espace/ma-fiche/territoire",
                &[("departement", "31"), ("autres", "Occitanie")],
            )
            .await;
        wrong.assert_field_error("autres", "est une région, pas un département");
    }
}
