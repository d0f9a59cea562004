//! The toolbox through the real router, on both engines: a coordinator
//! publishes a resource with a PDF and an easy-read summary, a visitor
//! finds it by a word typed without accents and downloads the same bytes;
//! a members-only resource is not found for a visitor nor for a funder of
//! another territory; a wrong or oversized file is refused with a message,
//! and nothing is stored.

use axum::http::{StatusCode, header};
use epop_domain::toolbox::MAX_FILE;

use crate::harness::{App, Client, apps};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A complete resource form, with these title, territory and visibility.
fn fields<'a>(title: &'a str, territory: &'a str, visibility: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("title", title),
        (
            "summary",
            "Une liste de ce qu’il faut préparer avant la première intervention : le lieu, les horaires, la personne à contacter.",
        ),
        (
            "summary_easy",
            "Avant de venir, vous savez où aller.\nVous savez à quelle heure venir.\nVous savez qui vous accueille.",
        ),
        ("audiences", "structures-d-accueil"),
        ("audiences", "intervenants-pairs"),
        ("kinds", "sensibiliser"),
        ("territory", territory),
        ("language", "fr"),
        ("date", "03/03/2027"),
        ("author", "Coordination Occitanie"),
        ("licence", "CC BY 4.0"),
        ("visibility", visibility),
        ("publier", "oui"),
    ]
}

/// Posts the form with a file; returns the page.
async fn publish(
    c: &mut Client,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> crate::harness::Page {
    let token = c.csrf().await;
    c.post_multipart("/admin/boite-a-outils/nouvelle", &token, fields, file)
        .await
}

/// The slug a successful creation redirects to.
fn slug_of(location: &str) -> String {
    location
        .trim_start_matches("/boite-a-outils/")
        .split('?')
        .next()
        .unwrap()
        .to_owned()
}

/// The first download link of a resource's page.
fn download_link(body: &str, slug: &str) -> String {
    let start = body
        .find(&format!("/boite-a-outils/{slug}/fichiers/"))
        .expect("a download link");
    body[start..].split('"').next().unwrap().to_owned()
}

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_published_resource_is_found_without_accents_and_downloaded_whole() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let title = "Préparer l’accueil d’un intervenant-pair";
        let page = publish(
            &mut coord,
            &fields(title, "departement-31", "public"),
            Some(("file", "Fiche d’accueil.pdf", PDF)),
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let slug = slug_of(page.location());
        assert_eq!(app.audit_count("resource_created").await, 1);

        let mut visitor = app.client();
        for words in [
            "preparer accueil",
            "PRÉPARER",
            "intervenant pair",
            "haute garonne",
        ] {
            let found = visitor
                .get(&format!("/boite-a-outils?q={}", words.replace(' ', "+")))
                .await;
            assert_eq!(found.status, StatusCode::OK);
            assert!(
                found.body.contains(&format!("/boite-a-outils/{slug}\"")),
                "« {words} » does not find it:\n{}",
                found.body
            );
        }
        let filtered = visitor
            .get("/boite-a-outils?public=structures-d-accueil&facile=oui&format=document&territoire=region-76&intervention=sensibiliser")
            .await;
        assert!(filtered.body.contains(&slug), "{}", filtered.body);
        let elsewhere = visitor.get("/boite-a-outils?territoire=region-32").await;
        assert!(!elsewhere.body.contains(&slug));
        let none = visitor.get("/boite-a-outils?q=xylophone").await;
        assert!(!none.body.contains(&slug));

        let easy = visitor
            .get(&format!("/boite-a-outils/{slug}?version=facile"))
            .await;
        assert!(easy.body.contains("Vous savez qui vous accueille."));
        let shown = visitor.get(&format!("/boite-a-outils/{slug}")).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("version du"), "{}", shown.body);
        let link = download_link(&shown.body, &slug);
        let file = visitor.get(&link).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
        let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(disposition.contains("accueil.pdf"), "{disposition}");
        assert_eq!(file.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(visitor.get_bytes(&link).await, PDF);
        assert_eq!(
            count(
                &app,
                "SELECT CAST(SUM(count) AS BIGINT) FROM resource_downloads"
            )
            .await,
            2
        );
        // The coordination sees the counts by month; a visitor does not.
        let managed = coord.get(&format!("/boite-a-outils/{slug}")).await;
        assert!(managed.body.contains("Téléchargements par mois"));
        assert!(!shown.body.contains("Téléchargements par mois"));

        // A new file is a new version; the previous one stays for the
        // coordination only.
        let token = coord.csrf().await;
        let mut edit = fields(title, "departement-31", "public");
        edit.retain(|(k, _)| *k != "publier");
        let second = b"%PDF-1.4\n% second version\n%%EOF\n";
        let page = coord
            .post_multipart(
                &format!("/admin/boite-a-outils/{slug}"),
                &token,
                &edit,
                Some(("file", "Fiche v2.pdf", second)),
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let now = visitor.get(&format!("/boite-a-outils/{slug}")).await;
        assert_eq!(
            visitor.get_bytes(&download_link(&now.body, &slug)).await,
            second
        );
        assert_eq!(visitor.get(&link).await.status, StatusCode::NOT_FOUND);
        assert_eq!(coord.get_bytes(&link).await, PDF);

        // Unpublished, it is gone for visitors.
        let off = coord
            .post(
                &format!("/admin/boite-a-outils/{slug}/publication"),
                &[("etat", "depublier")],
            )
            .await;
        assert_eq!(off.status, StatusCode::SEE_OTHER);
        assert_eq!(
            visitor.get(&format!("/boite-a-outils/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(app.audit_count("resource_unpublished").await, 1);
    }
}

#[tokio::test]
async fn a_members_only_resource_is_not_found_outside_the_network() {
    for app in apps().await {
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let page = publish(
            &mut hdf,
            &fields(
                "Compte rendu du groupe de la Somme",
                "departement-80",
                "members",
            ),
            Some(("file", "compte-rendu.pdf", PDF)),
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let slug = slug_of(page.location());
        let shown = hdf.get(&format!("/boite-a-outils/{slug}")).await;
        let link = download_link(&shown.body, &slug);

        let mut visitor = app.client();
        let mut funder = app.signed_in("financeur@demo.epop.test").await;
        for (who, c) in [
            ("visitor", &mut visitor),
            ("funder of Occitanie", &mut funder),
        ] {
            let page = c.get(&format!("/boite-a-outils/{slug}")).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{who}");
            assert_eq!(c.get(&link).await.status, StatusCode::NOT_FOUND, "{who}");
            let search = c.get("/boite-a-outils?q=somme").await;
            assert!(!search.body.contains(&slug), "{who} finds it");
        }
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(
            peer.get(&format!("/boite-a-outils/{slug}")).await.status,
            StatusCode::OK
        );
        assert!(
            peer.get("/boite-a-outils?q=somme")
                .await
                .body
                .contains(&slug)
        );
        assert_eq!(peer.get_bytes(&link).await, PDF);
        // Another territory's coordination can neither edit nor unpublish it.
        let mut occitanie = app.signed_in("coordination@demo.epop.test").await;
        assert_eq!(
            occitanie
                .get(&format!("/admin/boite-a-outils/{slug}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let off = occitanie
            .post(
                &format!("/admin/boite-a-outils/{slug}/publication"),
                &[("etat", "depublier")],
            )
            .await;
        assert_eq!(off.status, StatusCode::FORBIDDEN);
        let token = occitanie.csrf().await;
        let edit = occitanie
            .post_multipart(
                &format!("/admin/boite-a-outils/{slug}"),
                &token,
                &fields("Titre changé", "departement-80", "public"),
                None,
            )
            .await;
        assert_eq!(edit.status, StatusCode::FORBIDDEN);
        let (title, status): (String, String) =
            sqlx::query_as("SELECT title, status FROM resources WHERE slug = $1")
                .bind(&slug)
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert_eq!(
            (title.as_str(), status.as_str()),
            ("Compte rendu du groupe de la Somme", "published")
        );
    }
}

#[tokio::test]
async fn wrong_and_oversized_files_are_refused_and_nothing_is_stored() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let before = count(&app, "SELECT COUNT(*) FROM resources").await;
        let files_before = count(&app, "SELECT COUNT(*) FROM resource_files").await;
        let html = b"<!DOCTYPE html><html><script>alert(1)</script></html>";
        let page = publish(
            &mut coord,
            &fields("Page piégée", "departement-31", "public"),
            Some(("file", "guide.pdf", html)),
        )
        .await;
        page.assert_field_error("file", "n’est pas d’un type accepté");
        assert!(page.body.contains("guide.pdf"));

        let mut big = b"%PDF-1.4\n".to_vec();
        big.resize(MAX_FILE + 1, b' ');
        let page = publish(
            &mut coord,
            &fields("Guide trop lourd", "departement-31", "public"),
            Some(("file", "gros.pdf", &big)),
        )
        .await;
        page.assert_field_error("file", "trop lourd");

        // A video without captions nor transcript is not published.
        let video = b"\0\0\0\x18ftypmp42\0\0\0\0isommp42";
        let page = publish(
            &mut coord,
            &fields("Vidéo sans sous-titres", "departement-31", "public"),
            Some(("file", "video.mp4", video)),
        )
        .await;
        page.assert_field_error("transcript", "sous-titres");

        // Another territory, or a missing field: refused, with their field.
        let page = publish(
            &mut coord,
            &fields("Hors territoire", "departement-80", "public"),
            Some(("file", "a.pdf", PDF)),
        )
        .await;
        page.assert_field_error("territory", "territoire que vous coordonnez");

        assert_eq!(count(&app, "SELECT COUNT(*) FROM resources").await, before);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM resource_files").await,
            files_before
        );
        let left = app.files.list().await.unwrap();
        assert!(
            !left
                .iter()
                .any(|(key, _)| key.starts_with("boite-a-outils/")),
            "files left: {left:?}"
        );
    }
}

#[tokio::test]
async fn a_video_is_published_with_its_captions_served_inline() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let token = coord.csrf().await;
        let video: &[u8] = b"\0\0\0\x18ftypmp42\0\0\0\0isommp42";
        let captions: &[u8] = b"WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour, je m'appelle Awa.\n";
        // The harness sends one file: the video first, then the captions
        // as a new version's companion.
        let page = coord
            .post_multipart(
                "/admin/boite-a-outils/nouvelle",
                &token,
                &{
                    let mut f = fields(
                        "Vidéo : ma première intervention",
                        "departement-31",
                        "public",
                    );
                    f.retain(|(k, _)| *k != "publier");
                    f
                },
                Some(("file", "video.mp4", video)),
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let slug = slug_of(page.location());
        let token = coord.csrf().await;
        let page = coord
            .post_multipart(
                &format!("/admin/boite-a-outils/{slug}"),
                &token,
                &fields(
                    "Vidéo : ma première intervention",
                    "departement-31",
                    "public",
                ),
                Some(("captions", "sous-titres.vtt", captions)),
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let mut visitor = app.client();
        let shown = visitor.get(&format!("/boite-a-outils/{slug}")).await;
        assert_eq!(shown.status, StatusCode::OK);
        assert!(shown.body.contains("Sous-titres"));
        let found = visitor.get("/boite-a-outils?format=video").await;
        assert!(found.body.contains(&slug));
        // The video is shown inline (a browser only plays it).
        let link = download_link(&shown.body, &slug);
        let file = visitor.get(&link).await;
        assert_eq!(file.headers[header::CONTENT_TYPE], "video/mp4");
        assert!(
            file.headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .starts_with("inline;")
        );
    }
}

#[tokio::test]
async fn a_member_suggests_a_resource_for_review() {
    for app in apps().await {
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let mut f = fields("Un guide que j’ai trouvé", "national", "public");
        f.push(("link", "https://exemple.fr/guide"));
        let sent = peer.post("/boite-a-outils/proposer", &f).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        assert_eq!(app.audit_count("resource_suggested").await, 1);
        let slug: String =
            sqlx::query_scalar("SELECT slug FROM resources WHERE status = 'suggested' AND title = 'Un guide que j’ai trouvé'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        // The admins review a national suggestion: each gets an e-mail with its link.
        let (subject, body) = app.last_mail("admin@demo.epop.test").await.expect("a mail");
        assert_eq!(
            subject,
            "Une ressource est proposée pour la boîte à outils : Un guide que j’ai trouvé"
        );
        assert!(
            body.contains(&format!("/admin/boite-a-outils/{slug}")),
            "{body}"
        );
        assert!(body.contains("Awa Diallo propose une ressource"));
        assert_eq!(app.mail_count("coordination@demo.epop.test").await, 0);
        // One for Occitanie goes to its coordination.
        let mut g = fields("Un guide de la région", "region-76", "public");
        g.push(("link", "https://exemple.fr/guide-76"));
        peer.post("/boite-a-outils/proposer", &g).await;
        let (subject, _) = app
            .last_mail("coordination@demo.epop.test")
            .await
            .expect("a mail");
        assert!(subject.ends_with("Un guide de la région"), "{subject}");
        assert_eq!(app.mail_count("coordination-hdf@demo.epop.test").await, 0);
        // Not published: nobody finds it, the national coordination reviews it.
        let mut visitor = app.client();
        assert_eq!(
            visitor.get(&format!("/boite-a-outils/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let list = admin.get("/admin/boite-a-outils").await;
        assert!(list.body.contains(&slug));
        let on = admin
            .post(
                &format!("/admin/boite-a-outils/{slug}/publication"),
                &[("etat", "publier")],
            )
            .await;
        assert_eq!(on.status, StatusCode::SEE_OTHER);
        // A suggestion is for the members until the coordination says more.
        assert_eq!(
            peer.get(&format!("/boite-a-outils/{slug}")).await.status,
            StatusCode::OK
        );
        assert_eq!(
            visitor.get(&format!("/boite-a-outils/{slug}")).await.status,
            StatusCode::NOT_FOUND
        );
        // A funder suggests nothing.
        let mut funder = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(
            funder.post("/boite-a-outils/proposer", &f).await.status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn the_demo_shows_resources_and_serves_its_pdf() {
    for app in apps().await {
        epop::demo::write_files(app.files.as_ref()).await.unwrap();
        let mut visitor = app.client();
        let list = visitor.get("/boite-a-outils").await;
        assert!(list.body.contains("Fiche d’accueil d’un intervenant-pair"));
        assert!(list.body.contains("Les savoirs expérientiels"));
        // For trained peers only, and a suggestion: not for a visitor.
        assert!(!list.body.contains("Analyse de pratiques"));
        assert!(!list.body.contains("Témoignage vidéo"));
        let page = visitor
            .get("/boite-a-outils/fiche-d-accueil-d-un-intervenant-pair")
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let link = download_link(&page.body, "fiche-d-accueil-d-un-intervenant-pair");
        let bytes = visitor.get_bytes(&link).await;
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(bytes, epop::demo::welcome_pdf().unwrap());
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert!(
            hdf.get("/boite-a-outils")
                .await
                .body
                .contains("Analyse de pratiques")
        );
    }
}
