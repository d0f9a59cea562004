//! Issue 11, sign-in and transport: redirects after sign-in, the client
//! address behind a trusted proxy, the growing delay per account, reset
//! links, private responses (`Cache-Control`, HSTS), rate limits, metrics
//! labels, upload limits, the display cookie over https and CSRF tokens of
//! file forms.

use axum::http::StatusCode;

use crate::harness::{PASSWORD, apps};

/// Every tricky `suite` goes to `/espace`, through the real form.
#[tokio::test]
async fn sign_in_follows_only_same_site_paths() {
    for app in apps().await {
        for bad in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/%09/evil.example",
            "/espace\r\nSet-Cookie: x=1",
            "/espace%0d%0aSet-Cookie:%20x=1",
            "https://evil.example",
            "javascript:alert(1)",
            "",
        ] {
            let mut c = app.client();
            let page = c
                .post(
                    "/connexion",
                    &[
                        ("email", "pair@demo.epop.test"),
                        ("password", PASSWORD),
                        ("suite", bad),
                    ],
                )
                .await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{bad:?}: {}", page.body);
            assert_eq!(page.location(), "/espace?message=connecte", "{bad:?}");
        }
        let mut c = app.client();
        let page = c
            .post(
                "/connexion",
                &[
                    ("email", "pair@demo.epop.test"),
                    ("password", PASSWORD),
                    ("suite", "/annuaire?q=santé"),
                ],
            )
            .await;
        assert_eq!(page.location(), "/annuaire?q=sant%C3%A9&message=connecte");

        // The page asked for before signing in comes back as `suite`, and
        // a crafted one in the sign-in page's address is not even echoed.
        let mut c = app.client();
        let asked = c.get("/espace/mot-de-passe").await;
        assert_eq!(asked.location(), "/connexion?suite=/espace/mot-de-passe");
        let form = c.get("/connexion?suite=%2F%09%2Fevil.example%22%3E").await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("name=\"suite\" value=\"/espace\""));
        assert!(!form.body.contains("evil.example"));
        let form = c.get("/connexion?suite=/annuaire%3Fq%3Dsant%C3%A9").await;
        assert!(
            form.body
                .contains("name=\"suite\" value=\"/annuaire?q=sant%C3%A9\"")
        );
    }
}
