//! News and the newsletter through the real router, on both engines: a
//! coordinator publishes a news item with an image and its easy-read
//! version; it shows on its page, the home page, its territory's page and
//! in the Atom feeds (parsed back with a real feed library); a coordinator
//! of another territory cannot edit it. A visitor subscribes, confirms
//! through the e-mailed link (twice: harmless), the worker builds the
//! month's digest, a coordinator previews and sends it, the worker writes
//! it to the outbox and it goes through a real SMTP server with the
//! one-click headers; one POST without session nor token unsubscribes,
//! and the next digest does not reach them.

use axum::http::StatusCode;
use epop::mailer::Mailer;
use epop_store::newsletter;

use crate::easy_emails::flagged;
use crate::harness::{App, BASE, Client, apps, link_in, smtp_server};

/// A PNG's signature followed by a few bytes: what the server checks.
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 1, 2, 3,
];

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%d/%m/%Y")
        .to_string()
}

/// The news form, for `scope`, with an easy-read version.
fn fields(title: &str, scope: &str, alt: &str) -> Vec<(&'static str, String)> {
    vec![
        ("title", title.into()),
        (
            "summary",
            "Une réunion pour découvrir le réseau des intervenants-pairs.".into(),
        ),
        (
            "body",
            "La coordination organise une réunion d’information.\nTout le monde est bienvenu."
                .into(),
        ),
        ("title_easy", format!("{title} : la version facile")),
        (
            "body_easy",
            "Vous pouvez venir à une réunion.\nLa réunion explique le réseau.".into(),
        ),
        ("scope", scope.into()),
        ("published_on", today()),
        ("image_alt", alt.into()),
        ("links", "La réunion | /evenements/une-reunion".into()),
    ]
}

/// Publishes a news item as `client`; the response.
async fn publish(
    c: &mut Client,
    path: &str,
    form: &[(&'static str, String)],
    image: Option<&[u8]>,
) -> crate::harness::Page {
    let token = c.csrf().await;
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_multipart(
        path,
        &token,
        &refs,
        image.map(|b| ("image", "photo.png", b)),
    )
    .await
}

/// The entries' titles of a feed, parsed with feed-rs.
async fn feed_titles(c: &mut Client, path: &str) -> Vec<String> {
    let bytes = c.get_bytes(path).await;
    let feed = feed_rs::parser::parse(bytes.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

#[tokio::test]
async fn a_coordinator_publishes_news_with_its_easy_read_version_and_feeds_parse() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let title = "Réunion d’information à Toulouse";

        // An image needs its text alternative; nothing is stored without it.
        let refused = publish(
            &mut coord,
            "/admin/actualites/nouvelle",
            &fields(title, "departement-31", ""),
            Some(PNG),
        )
        .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        refused.assert_field_error("image_alt", "décrit l’image");
        // A coordinator does not publish national news.
        let national = publish(
            &mut coord,
            "/admin/actualites/nouvelle",
            &fields(title, "national", "Une salle"),
            None,
        )
        .await;
        assert_eq!(national.status, StatusCode::BAD_REQUEST);
        national.assert_field_error("scope", "ce territoire");

        let done = publish(
            &mut coord,
            "/admin/actualites/nouvelle",
            &fields(
                title,
                "departement-31",
                "Des personnes assises autour d’une table",
            ),
            Some(PNG),
        )
        .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let page_path = done.location().split('?').next().unwrap().to_owned();
        assert_eq!(page_path, "/actualites/reunion-d-information-a-toulouse");
        assert_eq!(app.audit_count("news_created").await, 1);

        let mut visitor = app.client();
        let page = visitor.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("La coordination organise une réunion"));
        assert!(
            page.body
                .contains("alt=\"Des personnes assises autour d’une table\"")
        );
        assert!(page.body.contains("href=\"/evenements/une-reunion\""));
        let easy = visitor.get(&format!("{page_path}?version=facile")).await;
        assert!(easy.body.contains("Vous pouvez venir à une réunion."));
        assert!(easy.h1().contains("la version facile"));
        assert_eq!(
            visitor.get_bytes(&format!("{page_path}/image")).await,
            PNG,
            "the image as sent"
        );
        for path in [
            "/",
            "/actualites",
            "/territoires/occitanie/haute-garonne",
            "/territoires/occitanie",
        ] {
            let p = visitor.get(path).await;
            assert!(p.body.contains(title), "{path}");
        }
        assert!(
            !visitor
                .get("/territoires/hauts-de-france")
                .await
                .body
                .contains(title)
        );

        // An item without its easy-read version says so.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let mut plain = fields("Nouvelle année du réseau", "national", "");
        plain.retain(|(k, _)| *k != "title_easy" && *k != "body_easy");
        let made = publish(&mut admin, "/admin/actualites/nouvelle", &plain, None).await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
        let no_easy = visitor
            .get("/actualites/nouvelle-annee-du-reseau?version=facile")
            .await;
        assert!(no_easy.body.contains("pas encore de version facile à lire"));

        // The feeds parse with a real feed library and hold the items of
        // their territory.
        let all = feed_titles(&mut visitor, "/actualites.atom").await;
        assert!(all.contains(&title.to_owned()), "{all:?}");
        let occitanie = feed_titles(&mut visitor, "/actualites/regions/occitanie.atom").await;
        assert!(occitanie.contains(&title.to_owned()));
        assert!(occitanie.contains(&"Nouvelle année du réseau".to_owned()));
        let hdf = feed_titles(&mut visitor, "/actualites/regions/hauts-de-france.atom").await;
        assert!(!hdf.contains(&title.to_owned()));
        assert!(hdf.contains(&"Nouvelle année du réseau".to_owned()));
        assert_eq!(
            visitor
                .get("/actualites/regions/nulle-part.atom")
                .await
                .status,
            StatusCode::NOT_FOUND
        );

        // A coordinator of another territory neither opens nor changes it.
        let edit = "/admin/actualites/reunion-d-information-a-toulouse";
        let mut hdf_coord = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(hdf_coord.get(edit).await.status, StatusCode::FORBIDDEN);
        let forged = publish(
            &mut hdf_coord,
            edit,
            &fields("Piraté", "departement-80", "x"),
            None,
        )
        .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let deleted = hdf_coord.post(&format!("{edit}/supprimer"), &[]).await;
        assert_eq!(deleted.status, StatusCode::FORBIDDEN);
        assert!(visitor.get(&page_path).await.body.contains(title));
        assert_eq!(app.client().get(edit).await.status, StatusCode::SEE_OTHER);

        // Its coordinator edits it (the image kept).
        let changed = publish(
            &mut coord,
            edit,
            &fields(
                "Réunion d’information à Toulouse, nouvelle date",
                "departement-31",
                "Une salle",
            ),
            None,
        )
        .await;
        assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
        let page = visitor.get(&page_path).await;
        assert!(page.body.contains("nouvelle date"));
        assert!(page.body.contains("alt=\"Une salle\""));
    }
}

/// Subscribes `email` from the public form and confirms through the link.
async fn subscribe_and_confirm(app: &App, email: &str, place: &str, version: &str) {
    let mut visitor = app.client();
    let sent = visitor
        .post(
            "/lettre",
            &[("email", email), ("territory", place), ("version", version)],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    assert_eq!(sent.location(), "/lettre/envoye");
    let (subject, body) = app.last_mail(email).await.expect("a confirmation e-mail");
    if version == "facile" {
        // The easy-read letter's confirmation is in easy words.
        assert_eq!(subject, "Vous voulez recevoir la lettre d’EPoP ?");
        assert_eq!(flagged(&body, &[]), Vec::<String>::new(), "{body}");
    } else {
        assert!(subject.contains("Confirmez"), "{subject}");
    }
    let link = link_in(&body);
    let page = visitor.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Confirmer mon abonnement"));
    for _ in 0..2 {
        // The link used twice changes nothing more.
        let confirmed = app.client().post(&link, &[]).await;
        assert_eq!(confirmed.status, StatusCode::OK);
        assert!(confirmed.body.contains("Votre abonnement est confirmé"));
    }
}

/// Runs the worker's scheduled work at `now`.
async fn worker(app: &App, now: i64) {
    epop_web::jobs::run_due(&app.db, BASE, now).await.unwrap();
}

/// The digest of Occitanie for the month of `now`, built by the worker.
async fn occitanie_digest(app: &App, now: i64) -> newsletter::Digest {
    digest_of(app, "region-76", now)
        .await
        .expect("Occitanie's digest")
}

/// The digest of a place (its code) for the month of `now`, if the worker
/// built one.
async fn digest_of(app: &App, place: &str, now: i64) -> Option<newsletter::Digest> {
    worker(app, now).await;
    let mut conn = app.db.conn().await.unwrap();
    let month = chrono::DateTime::from_timestamp(now, 0)
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y-%m")
        .to_string();
    newsletter::digests(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.territory == place && d.month == month)
}

/// A coordinator sends a digest; the worker writes it to the outbox; the
/// outbox drains through the SMTP server. What the server received.
async fn send_digest(
    app: &App,
    d: &newsletter::Digest,
    now: i64,
    (url, received): &(String, crate::harness::Received),
) -> Vec<String> {
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    let sent = coord
        .post(&format!("/admin/lettre/{}/envoyer", d.id), &[])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    worker(app, now).await;
    received.lock().unwrap().clear();
    let mailer = Mailer::new(
        "EPoP <ne-pas-repondre@epop.test>",
        Some(url),
        "/nonexistent".into(),
    )
    .unwrap();
    epop::worker::drain(&app.db, &mailer).await.unwrap();
    received.lock().unwrap().clone()
}

/// The header's value, unfolded.
fn header(raw: &str, name: &str) -> Option<String> {
    let unfolded = raw.replace("\r\n ", " ").replace("\r\n\t", " ");
    let head = unfolded
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_owned();
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_owned))
}

#[tokio::test]
async fn newsletter_double_opt_in_digest_one_click_unsubscribe() {
    let server = smtp_server();
    for app in apps().await {
        subscribe_and_confirm(&app, "lea.lettre@exemple.fr", "region-76", "courant").await;
        // Never confirmed: never sent to, and purged after a few days.
        app.client()
            .post(
                "/lettre",
                &[
                    ("email", "jamais@exemple.fr"),
                    ("territory", "region-76"),
                    ("version", "courant"),
                ],
            )
            .await;
        // A member subscribes from their space, in easy-read French.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let saved = awa
            .post(
                "/espace/lettre",
                &[("territory", "region-76"), ("version", "facile")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert!(
            awa.get("/espace/lettre")
                .await
                .body
                .contains("en facile à lire")
        );

        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let news = publish(
            &mut admin,
            "/admin/actualites/nouvelle",
            &fields("Le réseau grandit en Occitanie", "region-76", ""),
            None,
        )
        .await;
        assert_eq!(news.status, StatusCode::SEE_OTHER, "{}", news.body);

        let now = epop_store::now();
        let d = occitanie_digest(&app, now).await;
        assert!(
            d.body.contains("Le réseau grandit en Occitanie"),
            "{}",
            d.body
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let preview = coord.get(&format!("/admin/lettre/{}", d.id)).await;
        assert_eq!(preview.status, StatusCode::OK);
        assert!(preview.body.contains("Le réseau grandit en Occitanie"));
        assert!(
            preview.body.contains("2 personnes abonnées"),
            "{}",
            preview.body
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("/admin/lettre/{}", d.id)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hdf.post(&format!("/admin/lettre/{}/envoyer", d.id), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        let mails = send_digest(&app, &d, now, &server).await;
        let to = |who: &str| {
            mails
                .iter()
                .filter(|m| {
                    header(m, "To").as_deref() == Some(who)
                        && header(m, "List-Unsubscribe").is_some()
                })
                .cloned()
                .collect::<Vec<_>>()
        };
        assert!(to("jamais@exemple.fr").is_empty(), "never confirmed");
        assert_eq!(to("pair@demo.epop.test").len(), 1, "the member");
        let lea = to("lea.lettre@exemple.fr");
        assert_eq!(lea.len(), 1, "one digest");
        let raw = &lea[0];
        assert_eq!(
            header(raw, "List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click")
        );
        let list = header(raw, "List-Unsubscribe").expect("List-Unsubscribe");
        assert!(
            list.contains("<mailto:ne-pas-repondre@epop.test?subject=unsubscribe>"),
            "{list}"
        );
        let url = list
            .strip_prefix('<')
            .and_then(|l| l.split('>').next())
            .unwrap()
            .to_owned();
        assert!(
            url.starts_with(&format!("{BASE}/lettre/desabonnement/")),
            "{url}"
        );
        let path = url.strip_prefix(BASE).unwrap().to_owned();

        // The page behind the visible link shows a button first.
        let mut stranger = app.client();
        let page = stranger.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Me désabonner"));
        // Any other POST without a token is refused: the exemption is
        // this one route.
        let forged = app
            .client()
            .post_raw(
                "/lettre",
                "email=x%40exemple.fr&territory=region-76&version=courant",
                &[],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        // One click, as a mail program does it: no cookie, no token, from
        // elsewhere.
        let one_click = app
            .client()
            .post_raw(
                &path,
                "List-Unsubscribe=One-Click",
                &[
                    ("origin", "https://mail.example"),
                    ("sec-fetch-site", "cross-site"),
                ],
            )
            .await;
        assert_eq!(one_click.status, StatusCode::OK, "{}", one_click.body);
        assert!(one_click.body.contains("Vous êtes désabonné"));
        let again = app
            .client()
            .post_raw(&path, "List-Unsubscribe=One-Click", &[])
            .await;
        assert_eq!(again.status, StatusCode::OK, "a second click is harmless");

        // Next month's digest does not reach her; it reaches the member.
        let later = now + 32 * 86_400;
        let next = occitanie_digest(&app, later).await;
        assert_ne!(next.id, d.id);
        let mails = send_digest(&app, &next, later, &server).await;
        assert!(
            !mails.iter().any(|m| m.contains("lea.lettre@exemple.fr")),
            "unsubscribed"
        );
        assert!(
            mails.iter().any(|m| m.contains("Voici les nouvelles")),
            "the easy-read digest"
        );

        // The subscription never confirmed goes after a few days.
        let mut tx = app.db.write().await.unwrap();
        epop_store::privacy::purge(&mut tx, now + 8 * 86_400)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let left: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM newsletter_subscribers WHERE email = 'jamais@exemple.fr'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(left, 0);
    }
}

/// A resource written straight into the store, published or not, by the
/// demo's admin.
async fn resource(app: &App, title: &str, territory: &str, visibility: &str, published: bool) {
    use epop_domain::toolbox::{ResourceForm, Status};
    let r = ResourceForm {
        title: title.into(),
        summary: "Un guide pour accueillir un intervenant-pair.".into(),
        summary_easy: String::new(),
        audiences: vec!["structures-d-accueil".into()],
        kinds: vec!["sensibiliser".into()],
        territory: territory.into(),
        language: "fr".into(),
        date: "2026-11-16".into(),
        author: "La coordination".into(),
        licence: "CC BY 4.0".into(),
        link: "https://exemple.fr/guide".into(),
        transcript: String::new(),
        visibility: visibility.into(),
    }
    .validate()
    .unwrap_or_else(|p| panic!("{p:?}"));
    let mut tx = app.db.write().await.unwrap();
    let admin = epop_store::accounts::id_by_email(
        &mut tx,
        &epop_domain::Email::parse("admin@demo.epop.test").unwrap(),
    )
    .await
    .unwrap();
    let status = if published {
        Status::Published
    } else {
        Status::Draft
    };
    epop_store::toolbox::create(&mut tx, &r, &[], status, admin)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_departement_digest_lists_its_news_and_new_public_resources() {
    let server = smtp_server();
    for app in apps().await {
        // The form offers the départements, grouped by région.
        let form = app.client().get("/lettre").await;
        assert!(
            form.body.contains("<optgroup label=\"Occitanie\">"),
            "{}",
            form.body
        );
        assert!(
            form.body
                .contains("<option value=\"departement-31\">Haute-Garonne (31)</option>")
        );
        let wrong = app
            .client()
            .post(
                "/lettre",
                &[
                    ("email", "x@exemple.fr"),
                    ("territory", "departement-99"),
                    ("version", "courant"),
                ],
            )
            .await;
        assert!(
            wrong
                .body
                .contains("Choisissez votre département, votre région, ou « Toute la France »."),
            "{}",
            wrong.body
        );
        subscribe_and_confirm(&app, "hg.lettre@exemple.fr", "departement-31", "facile").await;
        // A member chooses a département from their space.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        awa.post(
            "/espace/lettre",
            &[("territory", "departement-31"), ("version", "courant")],
        )
        .await;
        assert!(
            awa.get("/espace/lettre")
                .await
                .body
                .contains("Vous recevez la lettre habituelle : Haute-Garonne (31).")
        );

        let mut admin = app.signed_in("admin@demo.epop.test").await;
        for (title, scope) in [
            ("Une permanence à Toulouse", "departement-31"),
            ("Une permanence à Lille", "departement-59"),
        ] {
            let news = publish(
                &mut admin,
                "/admin/actualites/nouvelle",
                &fields(title, scope, ""),
                None,
            )
            .await;
            assert_eq!(news.status, StatusCode::SEE_OTHER, "{}", news.body);
        }
        resource(
            &app,
            "Le guide haut-garonnais",
            "departement-31",
            "public",
            true,
        )
        .await;
        resource(
            &app,
            "Le guide des membres",
            "departement-31",
            "members",
            true,
        )
        .await;
        resource(
            &app,
            "Le guide en brouillon",
            "departement-31",
            "public",
            false,
        )
        .await;
        resource(&app, "Le guide du Nord", "departement-59", "public", true).await;

        let now = epop_store::now();
        let d = digest_of(&app, "departement-31", now)
            .await
            .expect("the digest of Haute-Garonne");
        assert!(
            d.subject.contains("pour le département Haute-Garonne (31)"),
            "{}",
            d.subject
        );
        let tools = d
            .body
            .find("NOUVELLES RESSOURCES")
            .expect("the toolbox part");
        assert!(
            d.body[..tools].contains("Une permanence à Toulouse"),
            "{}",
            d.body
        );
        assert!(
            d.body[tools..].contains("Le guide haut-garonnais"),
            "{}",
            d.body
        );
        assert!(d.body[tools..].contains("/boite-a-outils/le-guide-haut-garonnais"));
        assert!(d.body_easy.contains("Le guide haut-garonnais"));
        for elsewhere in [
            "Une permanence à Lille",
            "Le guide des membres",
            "Le guide en brouillon",
            "Le guide du Nord",
        ] {
            assert!(!d.body.contains(elsewhere), "{elsewhere}: {}", d.body);
        }
        // The région's digest lists its départements' resources too; a
        // département nobody chose has no digest.
        let region = occitanie_digest(&app, now).await;
        assert!(region.body.contains("Le guide haut-garonnais"));
        assert!(digest_of(&app, "departement-11", now).await.is_none());

        // Its coordination previews it; another région's does not.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let preview = coord.get(&format!("/admin/lettre/{}", d.id)).await;
        assert!(
            preview.body.contains("2 personnes abonnées"),
            "{}",
            preview.body
        );
        assert!(
            coord
                .get("/admin/lettre")
                .await
                .body
                .contains("Département Haute-Garonne (31)")
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("/admin/lettre/{}", d.id)).await.status,
            StatusCode::FORBIDDEN
        );
        assert!(
            !hdf.get("/admin/lettre")
                .await
                .body
                .contains("Haute-Garonne")
        );

        let mails = send_digest(&app, &d, now, &server).await;
        let digests: Vec<&String> = mails
            .iter()
            .filter(|m| header(m, "List-Unsubscribe").is_some())
            .collect();
        let to = |who: &str| {
            digests
                .iter()
                .filter(|m| header(m, "To").as_deref() == Some(who))
                .count()
        };
        assert_eq!(to("hg.lettre@exemple.fr"), 1);
        assert_eq!(to("pair@demo.epop.test"), 1);
        assert_eq!(digests.len(), 2, "the département's subscribers only");
    }
}
