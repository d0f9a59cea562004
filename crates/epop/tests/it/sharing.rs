//! « Partager » on the public pages of events and training sessions, and an
//! event's printable A4 poster whose QR code a real reader decodes back to
//! the page (Debian's zbarimg on the page rendered by poppler).

use axum::http::StatusCode;
use epop_store::events::{self, Filter};
use epop_store::trainings;

use crate::harness::{App, BASE, apps, temp_dir};
use crate::trainings::pdf_text;

/// The slug of the demo event whose title starts with `title`.
async fn event_slug(app: &App, title: &str) -> String {
    let mut conn = app.db.conn().await.unwrap();
    events::list(&mut conn, &Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.title.starts_with(title))
        .unwrap_or_else(|| panic!("no demo event « {title} »"))
        .slug
}

/// The text of a `<textarea>` or the value of an `<input>` with this id.
fn field(body: &str, id: &str) -> String {
    let at = body
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in:\n{body}"));
    let rest = &body[at..];
    if let Some(v) = rest
        .split_once("value=\"")
        .filter(|(before, _)| !before.contains('>'))
    {
        v.1.split('"').next().unwrap().to_owned()
    } else {
        let text = rest.split_once('>').unwrap().1;
        text.split("</textarea>").next().unwrap().to_owned()
    }
}

#[tokio::test]
async fn an_event_page_offers_its_address_an_email_and_texts_to_paste() {
    for app in apps().await {
        let slug = event_slug(&app, "Réunion d’information en ligne").await;
        let mut visitor = app.client();
        let page = visitor.get(&format!("/evenements/{slug}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let url = format!("{BASE}/evenements/{slug}");
        assert!(
            page.body
                .contains("<h2 id=\"partager\">Partager cet événement</h2>")
        );
        assert_eq!(field(&page.body, "partager-adresse"), url);
        let text = field(&page.body, "partager-texte");
        assert!(
            text.starts_with("Réunion d’information en ligne sur les intervenants-pairs : ")
                && text.contains("En ligne")
                && text.ends_with(&url),
            "{text}"
        );
        let easy = field(&page.body, "partager-texte-facile");
        assert!(
            easy.starts_with("Vous êtes invité à « Réunion d’information en ligne")
                && easy.contains("Pour vous inscrire, allez sur cette page :")
                && easy.ends_with(&url),
            "{easy}"
        );
        // The e-mail carries the title as subject and the text as body.
        assert!(
            page.body.contains(
                "href=\"mailto:?subject=R%C3%A9union%20d%E2%80%99information%20en%20ligne"
            ),
            "{}",
            page.body
        );
        assert!(page.body.contains(&format!(
            "href=\"/evenements/{slug}/affiche.pdf\" download>Imprimer l’affiche"
        )));
        // Labels are tied to the fields a screen reader lands on.
        for id in [
            "partager-adresse",
            "partager-texte",
            "partager-texte-facile",
        ] {
            assert!(page.body.contains(&format!("<label for=\"{id}\">")), "{id}");
        }
    }
}

#[tokio::test]
async fn the_poster_is_a_tagged_a4_page_whose_qr_code_opens_the_event() {
    for app in apps().await {
        let slug = event_slug(&app, "Réunion d’information en ligne").await;
        let mut visitor = app.client();
        let page = visitor
            .get(&format!("/evenements/{slug}/affiche.pdf"))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let pdf = visitor
            .get_bytes(&format!("/evenements/{slug}/affiche.pdf"))
            .await;
        assert!(pdf.starts_with(b"%PDF-"));
        let text = pdf_text(&pdf);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let url = format!("{BASE}/evenements/{slug}");
        for expected in [
            "Réunion d’information en ligne sur les intervenants-pairs",
            // The easy-read description's first line reads best from afar.
            "Cette réunion est sur Internet.",
            "En ligne (le lien est envoyé aux personnes inscrites)",
            "Croix-Rouge française – Occitanie",
            "Interprète en langue des signes française (LSF)",
            "Gratuite, jusqu’au",
            "Ou tapez cette adresse :",
        ] {
            assert!(
                text.contains(expected),
                "« {expected} » missing in:\n{text}"
            );
        }
        // A long address is cut across lines, never just after a hyphen
        // (which would read as a word cut in two and be dropped).
        let joined: String = text.split_whitespace().collect();
        assert!(joined.contains(&url), "{url} missing in:\n{text}");
        // The secret online link is for registered people only.
        assert!(!text.contains("visio.demo.epop.test"), "{text}");

        let dir = temp_dir("poster");
        let file = dir.join("affiche.pdf");
        std::fs::write(&file, &pdf).unwrap();
        let prefix = dir.join("affiche");
        let status = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "150", "-singlefile"])
            .arg(&file)
            .arg(&prefix)
            .status()
            .expect("pdftoppm (apt-get install poppler-utils)");
        assert!(status.success());
        let out = std::process::Command::new("zbarimg")
            .args(["--quiet", "--raw"])
            .arg(prefix.with_extension("png"))
            .output()
            .expect("zbarimg (apt-get install zbar-tools)");
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), url);
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test]
async fn no_poster_for_a_cancelled_event_nor_for_a_group_the_visitor_may_not_see() {
    for app in apps().await {
        // The practice-analysis group is for trained peers only.
        let group = event_slug(&app, "Groupe d’analyse des pratiques").await;
        let mut visitor = app.client();
        let page = visitor
            .get(&format!("/evenements/{group}/affiche.pdf"))
            .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let pdf = peer
            .get_bytes(&format!("/evenements/{group}/affiche.pdf"))
            .await;
        assert!(pdf_text(&pdf).contains("Groupe d’analyse des pratiques"));

        let slug = event_slug(&app, "Atelier de sensibilisation").await;
        let mut coord = app.signed_in("coordination-hdf@demo.epop.test").await;
        let done = coord
            .post(
                &format!("/admin/evenements/{slug}/annuler"),
                &[("reason", "La salle n’est plus disponible.")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page = visitor.get(&format!("/evenements/{slug}")).await;
        assert!(page.body.contains("Événement annulé"));
        assert!(!page.body.contains("affiche.pdf"), "{}", page.body);
        let poster = visitor
            .get(&format!("/evenements/{slug}/affiche.pdf"))
            .await;
        assert_eq!(poster.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_training_session_page_offers_its_address_and_texts_to_paste() {
    for app in apps().await {
        let slug = {
            let mut conn = app.db.conn().await.unwrap();
            trainings::sessions(&mut conn)
                .await
                .unwrap()
                .into_iter()
                .find(|s| s.title == "Session Occitanie")
                .expect("demo session")
                .slug
        };
        let mut visitor = app.client();
        let page = visitor.get(&format!("/formations/{slug}")).await;
        let url = format!("{BASE}/formations/{slug}");
        assert!(page.body.contains("Partager cette formation"));
        assert_eq!(field(&page.body, "partager-adresse"), url);
        let text = field(&page.body, "partager-texte");
        assert!(
            text.starts_with(
                "Formation « Formation des intervenants-pairs – Session Occitanie » : du "
            ) && text.contains("Toulouse (Haute-Garonne)")
                && text.ends_with(&url),
            "{text}"
        );
        let easy = field(&page.body, "partager-texte-facile");
        assert!(
            easy.contains("pour candidater") && easy.ends_with(&url),
            "{easy}"
        );
        // No poster for a training session (its page is the one to share).
        assert!(!page.body.contains("affiche.pdf"));
    }
}
