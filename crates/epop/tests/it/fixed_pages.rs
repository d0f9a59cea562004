//! The fixed pages' easy-read texts through the real router: each page
//! shows its shipped text with `?version=facile` and says its review is to
//! come; an admin rewrites one (Markdown kept safe, the writing aid read on
//! the words, every change audited), asks for its review, and the page
//! carries the mark while its words stay those reviewed. Nobody else
//! writes them.

use axum::http::StatusCode;

use crate::harness::{App, apps};

const TO_DO: &str = "Relecture par des personnes concernées : à faire";

async fn page_text(app: &App, slug: &str) -> Option<String> {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_scalar("SELECT easy_text FROM page_texts WHERE slug = $1")
        .bind(slug)
        .fetch_optional(&mut *conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_fixed_page_has_an_easy_read_text_that_says_its_review_is_to_come() {
    for app in apps().await {
        let mut visitor = app.client();
        for (path, words, ordinary) in [
            (
                "/",
                "<h2>Qu’est-ce qu’un intervenant-pair ?</h2>",
                "Qu’est-ce que l’intervention par les pairs",
            ),
            (
                "/devenir-intervenant-pair",
                "Un intervenant-pair est une personne en situation de handicap.",
                "Un intervenant-pair ou une intervenante-paire",
            ),
            (
                "/devenir-referent",
                "Il aide à accueillir un intervenant-pair dans son lieu de travail.",
                "Un référent ou une référente",
            ),
            (
                "/accessibilite",
                "Vous pouvez utiliser le site avec le clavier seulement.",
                "État de conformité",
            ),
            (
                "/donnees-personnelles",
                "Vous pouvez demander d’effacer vos informations.",
                "Faire une réclamation",
            ),
        ] {
            let easy = visitor.get(&format!("{path}?version=facile")).await;
            assert_eq!(easy.status, StatusCode::OK, "{path}");
            assert!(easy.body.contains(words), "{path}: {}", easy.body);
            assert!(easy.body.contains(TO_DO), "{path}");
            assert!(!easy.body.contains(ordinary), "{path}");
            assert!(
                !easy.body.contains("/admin/relectures"),
                "{path}: a visitor is not offered the reviews"
            );
            let plain = visitor.get(path).await;
            assert!(plain.body.contains(ordinary), "{path}");
            assert!(!plain.body.contains(TO_DO), "{path}");
        }
        // The home page's live counts stay beside its text.
        let home = visitor.get("/?version=facile").await.body;
        assert!(home.contains("href=\"/annuaire?profil=peer\""));
        assert!(home.contains("<li><strong>Aider</strong> d’autres personnes"));
    }
}

#[tokio::test]
async fn an_admin_rewrites_a_page_text_safely_and_the_review_mark_follows_its_words() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let list = admin.get("/admin/pages").await;
        assert_eq!(list.status, StatusCode::OK);
        for slug in [
            "accueil",
            "devenir-intervenant-pair",
            "devenir-referent",
            "accessibilite",
            "donnees-personnelles",
        ] {
            assert!(
                list.body.contains(&format!("href=\"/admin/pages/{slug}\"")),
                "{slug}"
            );
        }
        assert!(list.body.contains("Texte livré avec le site"));
        let form = admin.get("/admin/pages/accessibilite").await;
        assert!(
            form.body
                .contains("Vous pouvez utiliser le site avec le clavier seulement.")
        );
        // The aid reads the words, not the Markdown: a link's parentheses
        // are not flagged, a real one is; checking saves nothing.
        let checked = admin
            .post(
                "/admin/pages/accessibilite",
                &[
                    (
                        "easy_text",
                        "## Titre\n\nLisez [la page](/annuaire).\nLe site (en ligne) marche.",
                    ),
                    ("action", "verifier"),
                ],
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK);
        assert!(checked.body.contains("Phrase 3"), "{}", checked.body);
        assert!(!checked.body.contains("Phrase 2 :"), "{}", checked.body);
        assert!(checked.body.contains("n’est pas encore enregistré"));
        assert_eq!(page_text(&app, "accessibilite").await, None);
        // An empty text is refused with a message, nothing written.
        let empty = admin
            .post("/admin/pages/accessibilite", &[("easy_text", "  \n## \n")])
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(empty.body.contains("Écrivez le texte en facile à lire"));
        assert_eq!(page_text(&app, "accessibilite").await, None);
        // HTML and unsafe links are shown as words.
        let text = "Ce site est pour tout le monde.\nÉcrivez-nous [ici](/ecrire-a-la-coordination).\n\n- [piège](javascript:alert(1)) <script>alert(2)</script>";
        let saved = admin
            .post("/admin/pages/accessibilite", &[("easy_text", text)])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), "/accessibilite?version=facile");
        assert_eq!(
            page_text(&app, "accessibilite").await.as_deref(),
            Some(text)
        );
        let mut visitor = app.client();
        let page = visitor.get("/accessibilite?version=facile").await.body;
        assert!(
            page.contains("Ce site est pour tout le monde.<br />"),
            "{page}"
        );
        assert!(page.contains("<a href=\"/ecrire-a-la-coordination\">ici</a>"));
        assert!(!page.contains("javascript:"));
        assert!(!page.contains("<script>alert(2)"));
        assert!(page.contains("&lt;script&gt;alert(2)"));
        let mut conn = app.db.conn().await.unwrap();
        let audited: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'page_text_updated' AND subject = 'page:accessibilite'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(audited, 1);
        drop(conn);
        // The admin asks for its review: the round keeps the words.
        let asked = admin
            .post("/admin/relectures/texte/page/accessibilite", &[])
            .await;
        assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
        assert!(
            asked
                .location()
                .starts_with("/demander-une-intervention?relecture=")
        );
        let round = asked.location().split('=').nth(1).unwrap().to_owned();
        let mut conn = app.db.conn().await.unwrap();
        let kept: String = sqlx::query_scalar("SELECT text FROM easy_reviews WHERE public_id = $1")
            .bind(&round)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(
            kept,
            "Ce site est pour tout le monde.\nÉcrivez-nous ici.\npiège <script>alert(2)</script>"
        );
        // Marked reviewed (the reviewers' steps are tests/it/easy_reviews.rs'):
        // the page carries the mark instead of « à faire ».
        sqlx::query(
            "UPDATE easy_reviews SET reviewed_at = $1, reviewed_text = text, reviewer_names = 'Awa' WHERE public_id = $2",
        )
        .bind(epop_store::now())
        .bind(&round)
        .execute(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        let marked = visitor.get("/accessibilite?version=facile").await.body;
        assert!(
            marked.contains("Relu par des personnes concernées"),
            "{marked}"
        );
        assert!(marked.contains("Awa"));
        assert!(!marked.contains(TO_DO));
        let listed = admin.get("/admin/pages").await.body;
        assert!(listed.contains("Relu par des personnes concernées"));
        // Where a link leads is not a word: the mark stays.
        let moved = text.replace("/ecrire-a-la-coordination", "/territoires");
        admin
            .post(
                "/admin/pages/accessibilite",
                &[("easy_text", moved.as_str())],
            )
            .await;
        let still = visitor.get("/accessibilite?version=facile").await.body;
        assert!(still.contains("<a href=\"/territoires\">ici</a>"));
        assert!(still.contains("Relu par des personnes concernées"));
        // A word changed: the mark goes until the next review.
        let reworded = moved.replace("pour tout le monde", "pour vous");
        admin
            .post(
                "/admin/pages/accessibilite",
                &[("easy_text", reworded.as_str())],
            )
            .await;
        let lost = visitor.get("/accessibilite?version=facile").await.body;
        assert!(lost.contains(TO_DO));
        assert!(!lost.contains("Relu par des personnes concernées"));
        // The other pages kept their shipped text.
        assert_eq!(page_text(&app, "accueil").await, None);
    }
}

#[tokio::test]
async fn nobody_but_an_admin_writes_a_page_text_or_asks_for_its_review() {
    for app in apps().await {
        for who in [
            "coordination@demo.epop.test",
            "pair@demo.epop.test",
            "financeur@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            assert_eq!(
                c.get("/admin/pages").await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            assert_eq!(
                c.get("/admin/pages/accueil").await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            assert_eq!(
                c.post("/admin/pages/accueil", &[("easy_text", "Piraté.")])
                    .await
                    .status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            assert_eq!(
                c.post("/admin/relectures/texte/page/accueil", &[])
                    .await
                    .status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            let home = c.get("/?version=facile").await.body;
            assert!(!home.contains("/admin/relectures/texte/page"), "{who}");
        }
        let mut visitor = app.client();
        assert_eq!(
            visitor.get("/admin/pages").await.status,
            StatusCode::SEE_OTHER
        );
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        assert_eq!(
            admin.get("/admin/pages/inconnue").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            admin
                .post("/admin/pages/inconnue", &[("easy_text", "Texte.")])
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // The admin is offered the reviews under the text.
        let home = admin.get("/?version=facile").await.body;
        assert!(home.contains("href=\"/admin/relectures/texte/page/accueil\""));
        assert_eq!(
            page_text(&app, "accueil").await,
            None,
            "nothing was written"
        );
        let mut conn = app.db.conn().await.unwrap();
        let rounds: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM easy_reviews WHERE subject_kind = 'page'")
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(rounds, 0);
    }
}
