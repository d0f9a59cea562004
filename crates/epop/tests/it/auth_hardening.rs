//! Issue 11, sign-in and transport: redirects after sign-in, the client
//! address behind a trusted proxy, the growing delay per account, reset
//! links, private responses (`Cache-Control`, HSTS), rate limits, metrics
//! labels, upload limits, the display cookie over https and CSRF tokens of
//! file forms.

use axum::http::StatusCode;
use epop_web::security::TrustedProxies;

use crate::harness::{App, Client, PASSWORD, Page, apps, link_in};

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

/// Makes every streak of attempts as if its last attempt came `secs` earlier.
async fn age_streaks(app: &App, secs: i64) {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query(
        "UPDATE rate_limits SET window_start = window_start - $1 WHERE bucket LIKE '%:streak:%'",
    )
    .bind(secs)
    .execute(&mut *conn)
    .await
    .unwrap();
}

/// The streak of sign-in attempts of an address: (attempts in a row,
/// seconds until the next one may come).
async fn streak_of(app: &App, address: &str) -> (i64, i64) {
    let mut conn = app.db.conn().await.unwrap();
    let (hits, next_at): (i64, i64) =
        sqlx::query_as("SELECT hits, window_start FROM rate_limits WHERE bucket = $1")
            .bind(format!("sign-in:streak:{address}"))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    (hits, next_at - chrono::Utc::now().timestamp())
}

#[tokio::test]
async fn wrong_passwords_slow_an_account_down_but_never_lock_it() {
    for app in apps().await {
        let mut attacker = app.client();
        for _ in 0..5 {
            for address in ["pair@demo.epop.test", "personne@nulle-part.fr"] {
                let page = attacker.sign_in(address, "mauvais mot de passe").await;
                assert_eq!(page.status, StatusCode::BAD_REQUEST);
            }
        }
        // Five in a row: the next attempt waits a second, then 2, 4… A
        // second is shorter than a test step here, so make it 30.
        let (hits, wait) = streak_of(&app, "pair@demo.epop.test").await;
        assert_eq!(hits, 5);
        assert!(wait <= 1, "{wait}");
        age_streaks(&app, -30).await;
        // Even the right password, from the person's own browser, waits...
        let mut owner = app.client();
        let early = owner.sign_in("pair@demo.epop.test", PASSWORD).await;
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(early.title().starts_with("Erreur : "));
        assert!(early.body.contains("href=\"#email\""));
        assert!(
            early.body.contains("Pour protéger les comptes, attendez 3"),
            "{}",
            early.body
        );
        assert!(early.body.contains(" secondes, puis réessayez."));
        // ...with the same words whether the address has an account or not.
        let unknown = attacker
            .sign_in("personne@nulle-part.fr", "mauvais mot de passe")
            .await;
        assert_eq!(unknown.status, StatusCode::TOO_MANY_REQUESTS);
        let strip = |b: &str| {
            b.lines()
                .filter(|l| !l.contains("name=\"csrf\""))
                .collect::<String>()
                .replace("pair@demo.epop.test", "X")
                .replace("personne@nulle-part.fr", "X")
                .replace(|c: char| c.is_ascii_digit(), "")
        };
        assert_eq!(
            strip(&early.body),
            strip(&unknown.body),
            "no user enumeration"
        );
        // Waiting attempts do not make the wait longer.
        for _ in 0..3 {
            attacker.sign_in("pair@demo.epop.test", "encore faux").await;
        }
        assert_eq!(streak_of(&app, "pair@demo.epop.test").await.0, 5);
        // Another account is not slowed down.
        assert_eq!(
            app.client()
                .sign_in("referente@demo.epop.test", PASSWORD)
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        // An e-mailed link signs in whatever the counters.
        let mut by_link = app.client();
        by_link
            .post("/connexion/lien", &[("email", "pair@demo.epop.test")])
            .await;
        let (_, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        let used = by_link.post(&link_in(&body), &[]).await;
        assert_eq!(used.status, StatusCode::SEE_OTHER);
        assert!(by_link.get("/espace").await.body.contains("Awa Diallo"));
        // Once the wait is over, a wrong password counts and the wait grows.
        age_streaks(&app, 40).await;
        let wrong = attacker
            .sign_in("pair@demo.epop.test", "toujours faux")
            .await;
        assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
        let (hits, wait) = streak_of(&app, "pair@demo.epop.test").await;
        assert_eq!(hits, 6);
        assert!((0..=2).contains(&wait), "2 s after the sixth: {wait}");
        // The right password after the wait always works, and ends the streak.
        age_streaks(&app, 60).await;
        let page = owner.sign_in("pair@demo.epop.test", PASSWORD).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        for _ in 0..4 {
            assert_eq!(
                attacker.sign_in("pair@demo.epop.test", "faux").await.status,
                StatusCode::BAD_REQUEST,
                "a success starts the streak again"
            );
        }
        assert!(app.audit_count("rate_limited").await >= 5);
    }
}

#[tokio::test]
async fn the_current_password_check_is_slowed_down_like_sign_in() {
    for app in apps().await {
        let mut c = app.signed_in("demandeur@demo.epop.test").await;
        let change = |current: &'static str| {
            [
                ("current", current),
                ("password", "nouvelle phrase secrète"),
                ("confirmation", "nouvelle phrase secrète"),
            ]
        };
        for _ in 0..5 {
            c.post("/espace/mot-de-passe", &change("faux"))
                .await
                .assert_field_error("current", "mot de passe actuel n’est pas bon");
        }
        age_streaks(&app, -30).await;
        let early = c.post("/espace/mot-de-passe", &change(PASSWORD)).await;
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(early.body.contains("href=\"#current\""));
        assert!(early.body.contains("Pour protéger les comptes, attendez 3"));
        // It is the same streak as signing in with that address.
        let other = app
            .client()
            .sign_in("demandeur@demo.epop.test", PASSWORD)
            .await;
        assert_eq!(other.status, StatusCode::TOO_MANY_REQUESTS);
        age_streaks(&app, 60).await;
        let ok = c.post("/espace/mot-de-passe", &change(PASSWORD)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    }
}

#[tokio::test]
async fn the_client_address_comes_from_a_trusted_proxy_only() {
    for db in epop_store::testing::all().await {
        epop::demo::load(&db).await.unwrap();
        let form = "email=pair%40demo.epop.test&password=faux";
        let attempt = |app: App, peer: &'static str, forwarded: &'static str| async move {
            let mut c = app.client();
            c.peer = Some(peer.parse().unwrap());
            let token = c.csrf().await;
            c.post_raw(
                "/connexion",
                &format!("csrf={token}&{form}"),
                &[("x-forwarded-for", forwarded)],
            )
            .await;
            let mut conn = app.db.conn().await.unwrap();
            let f = epop_store::audit::Filter {
                action: "sign_in_failed".into(),
                ..Default::default()
            };
            let (lines, _) = epop_store::audit::search(&mut conn, &f, 1, 0)
                .await
                .unwrap();
            lines[0].ip.clone().unwrap()
        };
        // Off by default: the header is ignored, whoever sends it.
        let direct = App::new(db.clone());
        assert_eq!(
            attempt(direct, "10.0.0.1:5000", "203.0.113.9").await,
            "10.0.0.1"
        );
        let behind = App::with_config(db.clone(), |c| {
            c.trusted_proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        });
        assert_eq!(
            attempt(behind.clone(), "10.0.0.1:5000", "6.6.6.6, 203.0.113.9").await,
            "203.0.113.9",
            "the right-most address the proxy saw"
        );
        assert_eq!(
            attempt(behind.clone(), "10.0.0.1:5000", "203.0.113.9, 10.0.0.7").await,
            "203.0.113.9",
            "trusted hops are skipped"
        );
        assert_eq!(
            attempt(behind, "198.51.100.4:5000", "203.0.113.9").await,
            "198.51.100.4",
            "a client that is not the proxy is not believed"
        );
    }
}

/// Saves a request draft for `email`, as a client behind the proxy at `from`.
async fn post(c: &mut Client, email: String, from: &str) -> Page {
    let token = c.csrf().await;
    let fields = [
        ("csrf", token),
        ("action", "brouillon".to_owned()),
        ("subject", "Sensibiliser l’équipe".to_owned()),
        ("contact_email", email),
    ];
    c.post_raw(
        "/demander-une-intervention",
        &serde_urlencoded::to_string(fields).unwrap(),
        &[("x-forwarded-for", from)],
    )
    .await
}

/// The address of a reverse proxy on the same machine.
const LOCAL_PROXY: &str = "127.0.0.1:4000";

/// For each engine, the demo served behind a proxy at 127.0.0.1 (whose
/// `X-Forwarded-For` is believed).
async fn apps_behind_local_proxy() -> Vec<App> {
    let mut apps = Vec::new();
    for db in epop_store::testing::all().await {
        epop::demo::load(&db).await.unwrap();
        apps.push(App::with_config(db, |c| {
            c.trusted_proxies = TrustedProxies::parse("127.0.0.1").unwrap();
        }));
    }
    apps
}

#[tokio::test]
async fn anonymous_drafts_are_limited_per_address_and_per_client() {
    for app in apps_behind_local_proxy().await {
        let mut c = app.client();
        c.peer = Some(LOCAL_PROXY.parse().unwrap());
        for _ in 0..5 {
            let page = post(&mut c, "jeanne@exemple.fr".into(), "203.0.113.1").await;
            assert!(page.body.contains("Votre brouillon est enregistré"));
        }
        age_streaks(&app, -30).await;
        let early = post(&mut c, "jeanne@exemple.fr".into(), "203.0.113.1").await;
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(early.body.contains("href=\"#contact_email\""));
        assert!(early.body.contains("Pour protéger les comptes, attendez 3"));
        assert_eq!(
            app.mail_count("jeanne@exemple.fr").await,
            5,
            "no sixth e-mail"
        );
        // Per client address: 50 in 15 minutes, then refused.
        for n in 0..44 {
            let page = post(&mut c, format!("p{n}@exemple.fr"), "203.0.113.1").await;
            assert_eq!(page.status, StatusCode::OK, "{n}");
        }
        let refused = post(&mut c, "autre@exemple.fr".into(), "203.0.113.1").await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.body.contains("Trop de tentatives"));
        assert_eq!(app.mail_count("autre@exemple.fr").await, 0);
        // Another client behind the same proxy is not refused.
        let other = post(&mut c, "autre@exemple.fr".into(), "203.0.113.2").await;
        assert_eq!(other.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn file_forms_carry_their_token_in_the_body_never_in_the_address() {
    for app in apps().await {
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        let path = "/espace/ma-fiche/photo";
        let form = thomas.get(path).await;
        assert!(form.body.contains("enctype=\"multipart/form-data\""));
        assert!(!form.body.contains("csrf="), "no token in an address");
        let first =
            "enctype=\"multipart/form-data\" novalidate>\n  <input type=\"hidden\" name=\"csrf\"";
        assert!(
            form.body.contains(first),
            "the token is the form's first field"
        );
        let token = thomas.csrf().await;
        let fields = [("description", "Thomas sourit")];
        let photo = Some(("photo", "moi.png", PNG));
        // No token, or a token only in the address: refused, nothing saved.
        let missing = thomas.post_multipart_raw(path, &fields, photo).await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert!(missing.body.contains("Le formulaire a expiré"));
        let in_url = thomas
            .post_multipart_raw(&format!("{path}?csrf={token}"), &fields, photo)
            .await;
        assert_eq!(in_url.status, StatusCode::FORBIDDEN);
        // The token after the file does not count either: it must come first.
        let last = thomas
            .post_multipart_raw(path, &[("description", "x"), ("csrf", &token)], photo)
            .await;
        assert_eq!(last.status, StatusCode::FORBIDDEN);
        assert!(
            !app.client()
                .get("/espace/ma-fiche")
                .await
                .body
                .contains("Thomas sourit")
        );
        // In the body, first: it works (the file streams on untouched).
        let ok = thomas.post_multipart(path, &token, &fields, photo).await;
        assert_eq!(ok.location(), "/espace/ma-fiche/presentation");
        let mut member = app.signed_in("referente@demo.epop.test").await;
        let img = member.get_bytes("/annuaire/thomas-roux/photo").await;
        assert_eq!(img, PNG);
        // The directory import's form puts it first too.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let body = admin.get("/admin/annuaire/import").await.body;
        assert!(!body.contains("csrf=") && body.contains(first));
    }
}

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

#[tokio::test]
async fn private_answers_are_never_stored_and_public_ones_keep_their_caching() {
    for app in apps().await {
        let mut visitor = app.client();
        for path in ["/", "/annuaire", "/evenements"] {
            let page = visitor.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            // Kept by the browser, asked again each time (`ETag`, 304).
            assert_eq!(page.headers["cache-control"], "private, no-cache", "{path}");
            assert!(
                page.headers.get("strict-transport-security").is_none(),
                "http: no HSTS"
            );
        }
        let css = visitor.get("/static/style.css").await;
        assert_eq!(css.headers["cache-control"], "public, max-age=3600");
        // Under /espace and /admin, even the redirect to sign in.
        for path in ["/espace", "/admin/comptes"] {
            let page = visitor.get(path).await;
            assert_eq!(page.headers["cache-control"], "no-store", "{path}");
        }
        // Pages opened by e-mailed links, and answers to forms.
        for path in [
            "/inscriptions/abc",
            "/demander-une-intervention/reprendre/abc",
            "/invitation/abc",
        ] {
            let page = visitor.get(path).await;
            assert_eq!(page.headers["cache-control"], "no-store", "{path}");
        }
        let typed = visitor
            .post(
                "/demander-une-intervention",
                &[("action", "envoyer"), ("contact_name", "Jeanne Petit")],
            )
            .await;
        assert_eq!(typed.headers["cache-control"], "no-store");
        // Every answer to a signed-in person: pages, profiles, downloads.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        for path in ["/", "/espace", "/annuaire", "/admin/annuaire/export.csv"] {
            let page = coord.get(path).await;
            assert_eq!(
                page.headers["cache-control"], "no-store",
                "{path}: {}",
                page.status
            );
        }
        // Static files stay cacheable for them.
        let css = coord.get("/static/style.css").await;
        assert_eq!(css.headers["cache-control"], "public, max-age=3600");
    }
}

#[tokio::test]
async fn over_https_hsts_is_sent_and_display_settings_are_kept() {
    for db in epop_store::testing::all().await {
        epop::demo::load(&db).await.unwrap();
        let app = App::with_config(db, |c| c.base_url = "https://epop.test".into());
        let mut c = app.client();
        let home = c.get("/").await;
        assert_eq!(
            home.headers["strict-transport-security"],
            "max-age=31536000; includeSubDomains"
        );
        let saved = c
            .post(
                "/parametres-affichage",
                &[("taille", "grand"), ("contraste", "renforce")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(c.jar.contains_key("__Host-epop_affichage"), "{:?}", c.jar);
        let page = c.get("/annuaire").await;
        assert!(
            page.body
                .contains("class=\"taille-grand contraste-renforce\""),
            "the settings are read back over https"
        );
    }
}

#[tokio::test]
async fn invented_methods_are_one_metrics_label() {
    for app in apps().await {
        let mut c = app.client();
        c.get("/").await;
        for method in ["FOO", "BAR", "XYZZY"] {
            let req = axum::http::Request::builder()
                .method(method)
                .uri("/")
                .body(axum::body::Body::empty())
                .unwrap();
            c.send(req).await;
        }
        let metrics = c.get("/metrics").await.body;
        assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
        for method in ["FOO", "BAR", "XYZZY"] {
            assert!(!metrics.contains(method), "{method}");
        }
        assert!(metrics.contains("method=\"GET\""));
    }
}

/// Asks for a reset link and returns its path.
async fn reset_link(app: &App, c: &mut Client, email: &str) -> String {
    c.post("/mot-de-passe-oublie", &[("email", email)]).await;
    link_in(&app.last_mail(email).await.unwrap().1)
}

#[tokio::test]
async fn a_new_password_uses_up_every_older_reset_link() {
    for app in apps().await {
        let email = "referente@demo.epop.test";
        let mut c = app.client();
        let older = reset_link(&app, &mut c, email).await;
        let used = reset_link(&app, &mut c, email).await;
        assert_ne!(older, used);
        let new = [
            ("password", "une phrase assez longue"),
            ("confirmation", "une phrase assez longue"),
        ];
        assert_eq!(c.post(&used, &new).await.status, StatusCode::SEE_OTHER);
        let page = app.client().get(&older).await;
        assert!(
            page.body.contains("Ce lien ne marche plus"),
            "{}",
            page.body
        );
        let again = app.client().post(&older, &new).await;
        assert!(again.body.contains("Ce lien ne marche plus"));

        // Changing one's password in one's space does the same.
        let pending = reset_link(&app, &mut app.client(), email).await;
        let change = c
            .post(
                "/espace/mot-de-passe",
                &[
                    ("current", "une phrase assez longue"),
                    ("password", "encore une autre phrase"),
                    ("confirmation", "encore une autre phrase"),
                ],
            )
            .await;
        assert_eq!(change.status, StatusCode::SEE_OTHER, "{}", change.body);
        let page = app.client().get(&pending).await;
        assert!(page.body.contains("Ce lien ne marche plus"));
    }
}

#[tokio::test]
async fn one_line_fields_refuse_line_breaks_and_control_characters() {
    for app in apps().await {
        let mut anon = app.client();
        let page = anon
            .post(
                "/demander-une-intervention",
                &[
                    ("action", "envoyer"),
                    ("subject", "Sensibiliser\r\nBcc: tous@exemple.fr"),
                    ("contact_email", "jeanne@exemple.fr"),
                ],
            )
            .await;
        page.assert_field_error("subject", "Retapez le sujet sur une seule ligne");
        assert_eq!(
            app.mail_count("jeanne@exemple.fr").await,
            0,
            "nothing saved"
        );
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin
            .post(
                "/admin/organisations/nouvelle",
                &[
                    ("name", "ESAT\u{1b}[2J des Lilas"),
                    ("kind", "esat"),
                    ("department", "31"),
                ],
            )
            .await;
        page.assert_field_error(
            "name",
            "Retapez le nom de l’organisation sur une seule ligne",
        );
        // A text of several lines keeps its line breaks.
        let page = anon
            .post(
                "/demander-une-intervention",
                &[
                    ("action", "brouillon"),
                    ("subject", "Sensibiliser l’équipe"),
                    ("description", "Première ligne\r\nDeuxième ligne"),
                    ("contact_email", "jeanne@exemple.fr"),
                ],
            )
            .await;
        assert!(
            page.body.contains("Votre brouillon est enregistré"),
            "{}",
            page.body
        );
    }
}

#[tokio::test]
async fn each_file_form_takes_what_its_page_promises_and_no_more() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let token = admin.csrf().await;
        let page = admin.get("/admin/annuaire/import").await;
        assert!(page.body.contains("8 Mo au plus"));
        let mut csv = "nom;prénom;e-mail\n".as_bytes().to_vec();
        csv.resize(8 * 1024 * 1024 + 1, b' ');
        admin
            .post_multipart(
                "/admin/annuaire/import",
                &token,
                &[],
                Some(("fichier", "annuaire.csv", &csv)),
            )
            .await
            .assert_field_error("fichier", "plus de 8 Mo");
    }
}

/// A body above a size limit, on any route (a form, a file form, an
/// unknown address), gets the French page naming the limit and what to do.
#[tokio::test]
async fn a_body_above_a_size_limit_gets_a_page_saying_what_to_do() {
    use axum::body::Body;
    use axum::http::{Request, header};
    for app in apps().await {
        let big = vec![b'a'; 9 * 1024 * 1024];
        for path in ["/connexion", "/admin/annuaire/import", "/nulle-part"] {
            let req = Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big.clone()))
                .unwrap();
            let page = app.client().send(req).await;
            assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
            assert_eq!(page.h1(), "Envoi trop volumineux", "{path}");
            // The largest file any form takes (the toolbox's).
            let most = format!(
                "Aucun envoi ne peut dépasser {} Mo",
                epop_web::LARGEST_FILE / (1024 * 1024)
            );
            assert!(page.body.contains(&most), "{path}");
            assert!(page.body.contains("choisissez un fichier plus petit"));
        }
        // A form far above any form's size, sent without its length.
        let mut c = app.client();
        let token = c.csrf().await;
        let long = "a".repeat(300 * 1024);
        let page = c
            .post_raw("/connexion", &format!("csrf={token}&email={long}"), &[])
            .await;
        assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(page.h1(), "Envoi trop volumineux");
    }
}

/// A member's invitation into their organisation from a client address.
async fn invite(c: &mut Client, email: &str, from: &str) -> Page {
    let token = c.csrf().await;
    let body = serde_urlencoded::to_string([
        ("csrf", token.as_str()),
        ("name", "Collègue"),
        ("email", email),
    ])
    .unwrap();
    c.post_raw(
        "/espace/organisation/inviter",
        &body,
        &[("x-forwarded-for", from)],
    )
    .await
}

/// Each invitation e-mails someone (an invitation or a join link): slowed
/// down per inviting account, refused past 50 per client address.
#[tokio::test]
async fn a_members_invitations_are_limited_per_account_and_per_client() {
    for app in apps_behind_local_proxy().await {
        let mut member = app.signed_in("demandeur@demo.epop.test").await;
        member.peer = Some(LOCAL_PROXY.parse().unwrap());
        for n in 0..5 {
            let page = invite(&mut member, &format!("c{n}@exemple.fr"), "203.0.113.1").await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{n}: {}", page.body);
        }
        let early = invite(&mut member, "trop-tot@exemple.fr", "203.0.113.1").await;
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(early.body.contains("href=\"#email\""), "{}", early.body);
        assert!(early.body.contains("Pour protéger les comptes, attendez"));
        assert_eq!(app.mail_count("trop-tot@exemple.fr").await, 0);
        // The join link to an existing account is limited the same way.
        let free = "pair-ariege@demo.epop.test";
        let mails = app.mail_count(free).await;
        let early = invite(&mut member, free, "203.0.113.1").await;
        assert_eq!(early.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(app.mail_count(free).await, mails);
        // Per client address: 50 in 15 minutes, then refused.
        for n in 0..43 {
            age_streaks(&app, 3600).await;
            let page = invite(&mut member, &format!("d{n}@exemple.fr"), "203.0.113.1").await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "{n}");
        }
        age_streaks(&app, 3600).await;
        let refused = invite(&mut member, "autre@exemple.fr", "203.0.113.1").await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(refused.body.contains("Trop de tentatives"));
        assert_eq!(app.mail_count("autre@exemple.fr").await, 0);
        let other = invite(&mut member, "autre@exemple.fr", "203.0.113.2").await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
        assert_eq!(app.mail_count("autre@exemple.fr").await, 1);
    }
}
