//! The easy-read writing aid in the three editors, on both engines: « Vérifier
//! le texte facile » shows the form again with what the easy-read rules flag
//! in what was typed, beside the field and tied to it, and saves nothing —
//! no row, no file; saving the same text still works (an aid, not a gate),
//! and the edit page shows the flags of the saved text.

use axum::http::StatusCode;

use crate::harness::{App, Client, Page, apps};

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2, 3,
];

/// An easy-read text with a negative turn, a passive one and an acronym.
const FLAGGED: &str = "Vous n’êtes pas seul.\nLes intervenants-pairs sont formés par la Croix-Rouge.\nL’ARS vous aide.";

/// What the page says about [`FLAGGED`].
const MESSAGES: [&str; 3] = [
    "Phrase 1 : « n’êtes pas » est une tournure négative.",
    "Phrase 2 : « sont formés » est une tournure passive.",
    "Phrase 3 : « ARS » est un sigle.",
];

const HEADING: &str = "Ce que les règles du facile à lire signalent";

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The stored files whose keys start with `prefix`.
async fn files_in(app: &App, prefix: &str) -> usize {
    let all = app.files.list().await.unwrap();
    all.iter()
        .filter(|(key, _)| key.starts_with(prefix))
        .count()
}

/// The flags of [`FLAGGED`] are on the page, tied to `field`.
fn assert_flags(page: &Page, field: &str) {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(HEADING), "{}", page.body);
    for m in MESSAGES {
        assert!(page.body.contains(m), "« {m} » missing in {}", page.body);
    }
    assert!(page.body.contains(&format!("id=\"{field}-facile\"")));
    let tied = page
        .body
        .split(&format!("id=\"{field}\""))
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .unwrap_or_default();
    assert!(
        tied.contains(&format!("{field}-facile")),
        "the field is not described by its list: {tied}"
    );
}

async fn multipart(
    c: &mut Client,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &str, &[u8])>,
) -> Page {
    let token = c.csrf().await;
    c.post_multipart(path, &token, fields, file).await
}

fn resource(action: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "Accueillir un intervenant-pair"),
        ("summary", "Ce qu’il faut préparer avant une intervention."),
        ("summary_easy", FLAGGED),
        ("audiences", "structures-d-accueil"),
        ("territory", "departement-31"),
        ("language", "fr"),
        ("date", "03/03/2027"),
        ("author", "Coordination Occitanie"),
        ("licence", "CC BY 4.0"),
        ("visibility", "public"),
        ("action", action),
    ]
}

#[tokio::test]
async fn checking_a_resource_saves_neither_row_nor_file_and_saving_still_works() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let before = count(&app, "SELECT COUNT(*) FROM resources").await;
        let files = count(&app, "SELECT COUNT(*) FROM resource_files").await;
        let new = "/admin/boite-a-outils/nouvelle";
        let checked = multipart(
            &mut coord,
            new,
            &resource("verifier"),
            Some(("file", "guide.pdf", PDF)),
        )
        .await;
        assert_flags(&checked, "summary_easy");
        assert!(
            checked
                .body
                .contains("Ce que vous avez écrit n’est pas encore enregistré.")
        );
        assert!(checked.body.contains("Choisissez à nouveau le fichier"));
        assert!(
            checked
                .body
                .contains("value=\"Accueillir un intervenant-pair\"")
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM resources").await, before);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM resource_files").await,
            files
        );
        assert_eq!(files_in(&app, "boite-a-outils/").await, 0);

        // The same text saves: the rules advise, they do not refuse.
        let saved = multipart(
            &mut coord,
            new,
            &resource(""),
            Some(("file", "guide.pdf", PDF)),
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM resources").await,
            before + 1
        );
        assert_eq!(files_in(&app, "boite-a-outils/").await, 1);
        let slug = saved
            .location()
            .trim_start_matches("/boite-a-outils/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let edit = coord.get(&format!("/admin/boite-a-outils/{slug}")).await;
        assert_flags(&edit, "summary_easy");
        assert!(
            !edit
                .body
                .contains("Ce que vous avez écrit n’est pas encore enregistré.")
        );
    }
}

#[tokio::test]
async fn checking_news_keeps_no_image_and_saving_still_works() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let before = count(&app, "SELECT COUNT(*) FROM news").await;
        let today = chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Paris)
            .format("%d/%m/%Y")
            .to_string();
        let form = |action: &'static str| {
            vec![
                ("title", "Une réunion à Toulouse"),
                ("summary", "Une réunion pour découvrir le réseau."),
                ("body", "La coordination organise une réunion."),
                ("title_easy", "Une réunion (à Toulouse)"),
                ("body_easy", FLAGGED),
                ("scope", "departement-31"),
                ("published_on", today.as_str()),
                ("image_alt", "Une salle de réunion"),
                ("links", ""),
                ("action", action),
            ]
        };
        let new = "/admin/actualites/nouvelle";
        let image = Some(("image", "photo.png", PNG));
        let checked = multipart(&mut coord, new, &form("verifier"), image).await;
        assert_flags(&checked, "body_easy");
        assert!(
            checked
                .body
                .contains("Phrase 1 : « (à Toulouse) » est entre parenthèses.")
        );
        assert!(checked.body.contains("id=\"title_easy-facile\""));
        assert!(checked.body.contains("Choisissez à nouveau l’image"));
        assert_eq!(count(&app, "SELECT COUNT(*) FROM news").await, before);
        assert_eq!(files_in(&app, "news/").await, 0);

        let saved = multipart(&mut coord, new, &form(""), image).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(count(&app, "SELECT COUNT(*) FROM news").await, before + 1);
        assert_eq!(files_in(&app, "news/").await, 1);
    }
}

#[tokio::test]
async fn checking_a_programme_saves_nothing_and_its_edit_page_reads_the_saved_text() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let before = count(&app, "SELECT COUNT(*) FROM programmes").await;
        let long = "Le programme forme des intervenants-pairs et des référents dans deux départements de la région pendant un an.";
        let form = |aims_easy: &'static str, action: &'static str| {
            vec![
                ("name", "Programme d’essai du Finistère"),
                ("kind", "experimentation-locale"),
                ("carrier", "Croix-Rouge française"),
                ("carrier_kind", "projet-national"),
                ("departments", "29"),
                ("start_year", "2024"),
                ("end_year", "2025"),
                ("aims", "Former des intervenants-pairs."),
                ("aims_easy", aims_easy),
                ("action", action),
            ]
        };
        let checked = admin
            .post("/admin/programmes/nouveau", &form(long, "verifier"))
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
        assert!(checked.body.contains(HEADING));
        assert!(
            checked
                .body
                .contains("Phrase 1 : 17 mots. Coupez-la en deux phrases de 15 mots au plus.")
        );
        assert!(
            checked
                .body
                .contains("« deux » est un nombre écrit en lettres.")
        );
        assert!(
            checked
                .body
                .contains("aria-describedby=\"aims_easy-aide aims_easy-facile\"")
        );
        assert_eq!(count(&app, "SELECT COUNT(*) FROM programmes").await, before);

        let saved = admin
            .post("/admin/programmes/nouveau", &form(long, ""))
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(
            count(&app, "SELECT COUNT(*) FROM programmes").await,
            before + 1
        );
        let slug = saved
            .location()
            .trim_start_matches("/programmes/")
            .split('?')
            .next()
            .unwrap()
            .to_owned();
        let edit = admin.get(&format!("/admin/programmes/{slug}")).await;
        assert!(edit.body.contains("Phrase 1 : 17 mots."), "{}", edit.body);

        // A text with nothing to flag says so.
        let easy = "Le programme forme des intervenants-pairs.";
        let plain = admin
            .post(
                &format!("/admin/programmes/{slug}"),
                &form(easy, "verifier"),
            )
            .await;
        assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
        assert!(plain.body.contains("Rien à signaler."));
    }
}
