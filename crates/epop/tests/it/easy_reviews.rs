//! The review of an easy-read text by the people it is for, through the
//! real router: the author asks for it, the request « Donner son avis » goes
//! through matching, proposal and acceptance, the reviewer answers sentence
//! by sentence in their space, the author marks the text reviewed, the page
//! shows the mark and loses it when the text changes, and the reviewer is
//! paid through the ordinary payments. Others cannot read or answer.

use axum::http::StatusCode;

use crate::harness::{App, Client, apps, link_in};

/// The demo's easy-read resource (Occitanie) and its easy summary.
async fn welcome_sheet(app: &App) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_as("SELECT slug, summary_easy FROM resources WHERE title LIKE 'Fiche d%accueil%'")
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// The hidden and filled fields of the request form, as posted back.
fn form_fields(body: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for input in body.split("<input").skip(1) {
        let tag = input.split('>').next().unwrap_or_default();
        let attr = |name: &str| {
            tag.split(&format!(" {name}=\""))
                .nth(1)
                .map(|s| s.split('"').next().unwrap_or_default().to_owned())
        };
        let (Some(name), Some(value)) = (attr("name"), attr("value")) else {
            continue;
        };
        let kind = attr("type").unwrap_or_default();
        if (kind == "radio" || kind == "checkbox") && !tag.contains(" checked") {
            continue;
        }
        if name != "csrf" && !value.is_empty() {
            out.push((name, value.replace("&#x27;", "'").replace("&amp;", "&")));
        }
    }
    for select in body.split("<select").skip(1) {
        let name = select
            .split("name=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        let block = select.split("</select>").next().unwrap_or_default();
        if let Some(chosen) = block.split("<option").find(|o| o.contains(" selected")) {
            let value = chosen
                .split("value=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap_or_default();
            out.push((name.to_owned(), value.to_owned()));
        }
    }
    for area in body.split("<textarea").skip(1) {
        let name = area
            .split("name=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default();
        let text = area
            .split_once('>')
            .map(|(_, t)| t.split("</textarea>").next().unwrap_or_default())
            .unwrap_or_default();
        if !text.is_empty() {
            out.push((
                name.to_owned(),
                text.replace("&#x27;", "'").replace("&amp;", "&"),
            ));
        }
    }
    out
}

/// The coordinator asks for a review of the sheet and sends the request:
/// its public id and the round's address.
async fn ask_review(app: &App, coord: &mut Client, slug: &str) -> (String, String) {
    let text_page = format!("/admin/relectures/texte/ressource/{slug}");
    let page = coord.get(&text_page).await;
    assert!(
        page.body
            .contains("Relecture par des personnes concernées : à faire"),
        "{}",
        page.body
    );
    let asked = coord.post(&text_page, &[]).await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER);
    let form_path = asked.location().to_owned();
    assert!(form_path.starts_with("/demander-une-intervention?relecture="));
    let round = form_path.split('=').nth(1).unwrap().to_owned();
    let form = coord.get(&form_path).await;
    assert!(
        form.body.contains("value=\"donner-son-avis\" checked")
            || form.body.contains("value=\"donner-son-avis\" selected"),
        "the kind is filled in"
    );
    assert!(
        form.body
            .contains("Relire un texte en facile à lire : Fiche d’accueil")
    );
    let mut fields = form_fields(&form.body);
    fields.retain(|(k, _)| k != "department" && k != "fee");
    fields.push(("department".into(), "31".into()));
    fields.push(("fee".into(), "60".into()));
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let sent = coord.post("/demander-une-intervention", &refs).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let mut conn = app.db.conn().await.unwrap();
    let request: String = sqlx::query_scalar(
        "SELECT q.public_id FROM intervention_requests q JOIN easy_review_requests l ON l.request_id = q.id \
         JOIN easy_reviews r ON r.id = l.review_id WHERE r.public_id = $1",
    )
    .bind(&round)
    .fetch_one(&mut *conn)
    .await
    .expect("the request is linked to its round");
    let kind: String =
        sqlx::query_scalar("SELECT kind FROM intervention_requests WHERE public_id = $1")
            .bind(&request)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(kind, "donner-son-avis");
    (request, round)
}

#[tokio::test]
async fn a_review_round_from_the_request_to_the_mark_with_the_reviewer_paid() {
    for app in apps().await {
        let (slug, easy) = welcome_sheet(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let (request, round) = ask_review(&app, &mut coord, &slug).await;
        let admin_path = format!("/admin/demandes/{request}");

        // Nobody reads the text before a proposal is accepted.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let early = awa.get(&format!("/espace/relectures/{round}")).await;
        assert_eq!(early.status, StatusCode::NOT_FOUND);

        // The ordinary matching and proposal: Awa is proposed and accepts.
        coord.post(&format!("{admin_path}/etudier"), &[]).await;
        let mut conn = app.db.conn().await.unwrap();
        let awa_card = epop_store::directory::by_slug(&mut conn, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let proposed = coord
            .post(
                &format!("{admin_path}/proposer"),
                &[
                    ("peer", &awa_card.card.id.to_string()),
                    ("deadline", "01/01/2099"),
                    // Awa does not list « donner son avis »: proposed anyway.
                    ("confirm_soft", "oui"),
                ],
            )
            .await;
        assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
        let link = link_in(&app.last_mail("pair@demo.epop.test").await.unwrap().1);
        awa.post(&format!("{link}/repondre"), &[("reponse", "oui")])
            .await;

        // Awa reads the whole text, then each sentence.
        let mine = awa.get("/espace/relectures").await;
        assert!(
            mine.body.contains(&format!("/espace/relectures/{round}")),
            "{}",
            mine.body
        );
        let overview = awa.get(&format!("/espace/relectures/{round}")).await;
        let sentences = epop_domain::easy_review::sentences(&easy);
        assert!(sentences.len() >= 2, "{sentences:?}");
        assert!(
            overview
                .body
                .contains(&format!("Le texte a {} phrases", sentences.len()))
        );
        // A thief, a funder, or the wrong sentence number.
        let mut other = app.signed_in("financeur@demo.epop.test").await;
        assert_eq!(
            other
                .get(&format!("/espace/relectures/{round}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let forged = other
            .post(
                &format!("/espace/relectures/{round}/phrase/1"),
                &[("comprends", "non")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::NOT_FOUND);
        let beyond = awa
            .get(&format!(
                "/espace/relectures/{round}/phrase/{}",
                sentences.len() + 1
            ))
            .await;
        assert_eq!(beyond.status, StatusCode::NOT_FOUND);
        // No choice: a clear message, nothing kept.
        let empty = awa
            .post(
                &format!("/espace/relectures/{round}/phrase/1"),
                &[("mots", "")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::BAD_REQUEST);
        assert!(
            empty
                .body
                .contains("Choisissez « Je comprends cette phrase »")
        );
        // Finishing early sends back to the first sentence without an answer.
        let early_end = awa
            .post(
                &format!("/espace/relectures/{round}/fin"),
                &[("prenom", "oui")],
            )
            .await;
        assert_eq!(
            early_end.location(),
            format!("/espace/relectures/{round}/phrase/1")
        );
        for n in 1..=sentences.len() {
            let (choice, words) = if n == 2 {
                ("non", "structure d’accueil")
            } else {
                ("oui", "")
            };
            let r = awa
                .post(
                    &format!("/espace/relectures/{round}/phrase/{n}"),
                    &[("comprends", choice), ("mots", words)],
                )
                .await;
            assert_eq!(r.status, StatusCode::SEE_OTHER);
        }
        let done = awa
            .post(
                &format!("/espace/relectures/{round}/fin"),
                &[("prenom", "oui")],
            )
            .await;
        assert_eq!(
            done.location(),
            "/espace/relectures?message=relecture-finie"
        );

        // The author reads the answers sentence by sentence.
        let answers = coord.get(&format!("/admin/relectures/{round}")).await;
        assert!(
            answers.body.contains("1 relecteur a fini."),
            "{}",
            answers.body
        );
        assert!(answers.body.contains("structure d’accueil"));
        assert!(answers.body.contains(&sentences[1]));
        // The funder cannot read them.
        assert_eq!(
            other
                .get(&format!("/admin/relectures/{round}"))
                .await
                .status,
            StatusCode::FORBIDDEN
        );

        // The page is not marked yet; the author marks the text reviewed.
        let before = app
            .client()
            .get(&format!("/boite-a-outils/{slug}?version=facile"))
            .await;
        assert!(
            before
                .body
                .contains("Relecture par des personnes concernées : à faire")
        );
        let marked = coord
            .post(&format!("/admin/relectures/{round}/relu"), &[])
            .await;
        assert_eq!(
            marked.location(),
            format!("/admin/relectures/{round}?message=relu")
        );
        let after = app
            .client()
            .get(&format!("/boite-a-outils/{slug}?version=facile"))
            .await;
        assert!(
            after.body.contains("Relu par des personnes concernées le "),
            "{}",
            after.body
        );
        assert!(after.body.contains("(Awa)."));
        // The one who may edit it finds its reviews from the page.
        let own = coord
            .get(&format!("/boite-a-outils/{slug}?version=facile"))
            .await;
        assert!(own.body.contains(&format!(
            "href=\"/admin/relectures/texte/ressource/{slug}\">Faire relire ce texte"
        )));
        assert!(
            !after
                .body
                .contains("Relecture par des personnes concernées : à faire")
        );
        assert_eq!(app.audit_count("easy_review_marked").await, 1);

        // An edit of the easy-read text loses the mark (committed as every
        // write of the platform is, so visitors' cached pages drop at once).
        let mut tx = app.db.write().await.unwrap();
        sqlx::query(
            "UPDATE resources SET summary_easy = summary_easy || ' Bienvenue.' WHERE slug = $1",
        )
        .bind(&slug)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let edited = app
            .client()
            .get(&format!("/boite-a-outils/{slug}?version=facile"))
            .await;
        assert!(
            edited
                .body
                .contains("Relecture par des personnes concernées : à faire")
        );
        assert!(
            !edited
                .body
                .contains("Relu par des personnes concernées le ")
        );

        // The reviewer is paid through the ordinary payments: the review
        // took place (yesterday), the coordinator records the fee.
        let mut conn = app.db.conn().await.unwrap();
        let req = epop_store::requests::by_public_id(&mut conn, &request)
            .await
            .unwrap()
            .unwrap();
        let yesterday = epop_store::now() - 86_400;
        epop_store::requests::set_schedule(
            &mut conn,
            req.id,
            yesterday,
            yesterday + 3600,
            epop_store::now(),
        )
        .await
        .unwrap();
        sqlx::query("UPDATE intervention_requests SET status = 'scheduled' WHERE id = $1")
            .bind(req.id)
            .execute(&mut *conn)
            .await
            .unwrap();
        drop(conn);
        let done = coord.post(&format!("{admin_path}/realisee"), &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
        let paid = coord
            .post(
                &format!("{admin_path}/paiement"),
                &[
                    ("fee", "60"),
                    ("payer", "carrier"),
                    ("due_on", &format!("31/12/{year}")),
                    ("status", "paid"),
                    (
                        "paid_on",
                        &chrono::Utc::now()
                            .date_naive()
                            .format("%d/%m/%Y")
                            .to_string(),
                    ),
                ],
            )
            .await;
        assert_eq!(paid.status, StatusCode::SEE_OTHER, "{}", paid.body);
        let mut conn = app.db.conn().await.unwrap();
        let payment = epop_store::payments::get(&mut conn, req.id)
            .await
            .unwrap()
            .expect("a payment");
        assert_eq!(payment.fee_cents, Some(6000));
        drop(conn);
        let pay_page = awa.get("/espace/paiements").await;
        assert!(
            pay_page.body.contains("Relire un texte en facile à lire"),
            "{}",
            pay_page.body
        );
    }
}

#[tokio::test]
async fn only_whoever_may_edit_a_text_asks_for_its_review() {
    for app in apps().await {
        let (slug, _) = welcome_sheet(&app).await;
        let path = format!("/admin/relectures/texte/ressource/{slug}");
        let count = || async {
            let mut conn = app.db.conn().await.unwrap();
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM easy_reviews")
                .fetch_one(&mut *conn)
                .await
                .unwrap()
        };
        let before = count().await;
        // A peer, a funder: refused; a visitor: asked to sign in.
        for who in ["pair@demo.epop.test", "financeur@demo.epop.test"] {
            let mut c = app.signed_in(who).await;
            assert_eq!(c.get(&path).await.status, StatusCode::FORBIDDEN, "{who}");
            assert_eq!(
                c.post(&path, &[]).await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
        }
        assert_eq!(app.client().get(&path).await.status, StatusCode::SEE_OTHER);
        // The list of rounds is the coordination's.
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(
            peer.get("/admin/relectures").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(count().await, before, "nothing was written");
        // Someone else's round does not fill a request form, nor link one.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let asked = coord.post(&path, &[]).await;
        let round = asked.location().split('=').nth(1).unwrap().to_owned();
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let form = admin
            .get(&format!("/demander-une-intervention?relecture={round}"))
            .await;
        assert!(!form.body.contains("name=\"relecture\""));
        // Nor does a request that names it by a forged field.
        let fields = crate::harness::request_fields("admin@demo.epop.test");
        let mut forged = crate::harness::refs(&fields, &[("relecture", &round)]);
        forged.retain(|(k, _)| !k.starts_with("org_"));
        let sent = admin.post("/demander-une-intervention", &forged).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let mut conn = app.db.conn().await.unwrap();
        let linked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM easy_review_requests l JOIN easy_reviews r ON r.id = l.review_id WHERE r.public_id = $1",
        )
        .bind(&round)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(linked, 0, "another person's request is not linked");
        drop(conn);
        // Another territory's coordination cannot read or mark it.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("/admin/relectures/{round}")).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hdf.post(&format!("/admin/relectures/{round}/relu"), &[])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        // Marking before any reviewer finished is refused.
        let early = coord
            .post(&format!("/admin/relectures/{round}/relu"), &[])
            .await;
        assert!(early.location().ends_with("message=relecture-pas-finie"));
        let mut conn = app.db.conn().await.unwrap();
        let marked: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM easy_reviews WHERE reviewed_at IS NOT NULL \
             AND subject_kind = 'ressource'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        assert_eq!(marked, 0);
    }
}

/// The demo data holds a round done: the Occitanie news item's easy-read
/// version carries the mark with the reviewer's first name, the
/// coordination reads the answers, the reviewer finds it finished.
#[tokio::test]
async fn the_demo_shows_a_text_reviewed_by_the_people_it_is_for() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let slug: String = sqlx::query_scalar(
            "SELECT slug FROM news WHERE title = 'Occitanie : le programme 2026 commence'",
        )
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        let mut anon = app.client();
        let page = anon
            .get(&format!("/actualites/{slug}?version=facile"))
            .await;
        assert!(
            page.body.contains("Relu par des personnes concernées le")
                && page.body.contains("(Nadia)."),
            "{}",
            page.body
        );
        assert!(
            !page
                .body
                .contains("Relecture par des personnes concernées : à faire")
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let round = coord.get("/admin/relectures/demo-relecture").await;
        assert_eq!(round.status, StatusCode::OK);
        assert!(round.body.contains("intervenants-pairs"), "{}", round.body);
        let mut nadia = app.signed_in("pair-herault@demo.epop.test").await;
        let list = nadia.get("/espace/relectures").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains("Occitanie : le programme 2026 commence"),
            "{}",
            list.body
        );
    }
}
