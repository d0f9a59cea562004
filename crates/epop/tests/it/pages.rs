use axum::http::StatusCode;

use crate::harness::apps;

#[tokio::test]
async fn public_pages_are_french_accessible_and_secured() {
    for app in apps().await {
        let mut c = app.client();
        for (path, h1) in [
            ("/", "EPoP"),
            ("/accessibilite", "Déclaration d’accessibilité"),
            ("/mentions-legales", "Mentions légales"),
            ("/donnees-personnelles", "Données personnelles"),
            ("/parametres-affichage", "Paramètres d’affichage"),
            ("/connexion", "Se connecter"),
            ("/connexion/lien", "Recevoir un lien de connexion"),
            ("/mot-de-passe-oublie", "Mot de passe oublié"),
        ] {
            let page = c.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                page.h1().to_lowercase().contains(&h1.to_lowercase()),
                "{path}: h1 is « {} »",
                page.h1()
            );
            assert_eq!(page.body.matches("<h1").count(), 1, "{path}: one h1");
            assert!(page.body.contains("<html lang=\"fr\""), "{path}");
            assert!(
                page.body.contains("href=\"#contenu\">Aller au contenu</a>"),
                "{path}: skip link"
            );
            assert!(page.body.contains("<main id=\"contenu\""), "{path}");
            for footer in [
                "/accessibilite",
                "/mentions-legales",
                "/donnees-personnelles",
                "/parametres-affichage",
            ] {
                assert!(
                    page.body.contains(&format!("href=\"{footer}\"")),
                    "{path}: footer link {footer}"
                );
            }
            let csp = page.headers["content-security-policy"].to_str().unwrap();
            assert!(
                !csp.contains("unsafe-inline") && csp.contains("frame-ancestors 'none'"),
                "{csp}"
            );
            assert_eq!(page.headers["x-content-type-options"], "nosniff");
            assert!(page.headers.contains_key("referrer-policy"));
            assert!(!page.body.contains("<script"), "{path}: no script needed");
            assert!(
                !page.body.contains("style=\""),
                "{path}: no inline style (CSP)"
            );
        }
    }
}

#[tokio::test]
async fn home_has_an_easy_read_version_with_the_facts_of_the_texts() {
    for app in apps().await {
        let mut c = app.client();
        let ordinary = c.get("/").await;
        let easy = c.get("/?version=facile").await;
        assert_ne!(ordinary.body, easy.body);
        assert!(
            ordinary.body.contains("href=\"/?version=facile\""),
            "link to the easy-read version"
        );
        assert!(
            easy.body.contains("facile à lire"),
            "easy version says what it is"
        );
        for body in [&ordinary.body, &easy.body] {
            for fact in [
                "70",
                "80",
                "Croix-Rouge",
                "Ariège",
                "Hérault",
                "Haute-Garonne",
            ] {
                assert!(body.contains(fact), "fact « {fact} » missing");
            }
        }
        assert!(
            easy.body.contains("falc-review"),
            "the FALC text says who reviewed it"
        );
    }
}

#[tokio::test]
async fn display_settings_work_without_javascript() {
    for app in apps().await {
        let mut c = app.client();
        assert!(
            c.get("/")
                .await
                .body
                .contains("<html lang=\"fr\" class=\"\">")
        );
        let saved = c
            .post(
                "/parametres-affichage",
                &[
                    ("taille", "grand"),
                    ("contraste", "renforce"),
                    ("espacement", "large"),
                    ("police", "lisible"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = c.get(saved.location()).await;
        assert!(page.body.contains("Vos réglages sont enregistrés"));
        assert!(
            page.body
                .contains("id=\"taille-grand\" name=\"taille\" value=\"grand\" checked")
        );
        let home = c.get("/").await;
        assert!(
            home.body.contains(
                "class=\"taille-grand contraste-renforce espacement-large police-lisible\""
            ),
            "{}",
            &home.body[..300]
        );
        // Unknown values fall back to the defaults, never into the page.
        c.post(
            "/parametres-affichage",
            &[("taille", "\"><script>"), ("police", "lisible")],
        )
        .await;
        assert!(c.get("/").await.body.contains("class=\"police-lisible\""));
    }
}

#[tokio::test]
async fn unknown_pages_get_a_french_404_and_health_and_metrics_answer() {
    for app in apps().await {
        let mut c = app.client();
        let page = c.get("/cette-page-n-existe-pas").await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        assert!(page.body.contains("Page introuvable"));
        let health = c.get("/healthz").await;
        assert_eq!(
            (health.status, health.body.as_str()),
            (StatusCode::OK, "ok\n")
        );
        let metrics = c.get("/metrics").await.body;
        assert!(
            metrics.contains(
                "epop_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1"
            ),
            "{metrics}"
        );
        assert!(metrics.contains("epop_http_request_duration_seconds_bucket"));
        assert!(metrics.contains("epop_outbox_backlog 0"));
        // Token-bearing paths are recorded by route pattern only.
        c.get("/connexion/lien/SECRET-TOKEN").await;
        let metrics = c.get("/metrics").await.body;
        assert!(
            !metrics.contains("SECRET-TOKEN")
                && metrics.contains("route=\"/connexion/lien/{token}\"")
        );
    }
}
