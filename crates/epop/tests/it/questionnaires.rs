//! Questionnaires through the real router: an admin defines one and its
//! next version (the responses keep theirs), a bad definition is named
//! question by question, a personal link is answered page by page with
//! plain form posts (JavaScript off) and only once, in easy-read words when
//! asked, an audience link takes many responses, and the signed-in
//! intervention feedback answers the same questionnaire (the request
//! becoming « évaluée » when the peer answers by link).

use axum::http::StatusCode;
use epop_domain::questionnaire::Purpose;
use epop_store::questionnaires;
use epop_web::security::hash_token;

use crate::harness::{App, apps, awa_accepts};

/// An invitation to the current intervention questionnaire about the demo
/// request, as the worker would write it; returns its link.
async fn invite(
    app: &App,
    token: &str,
    respondent: &str,
    email: Option<&str>,
    easy: bool,
) -> String {
    let mut conn = app.db.conn().await.unwrap();
    if respondent == "audience" {
        // One audience link per intervention (migration 0033): this one
        // replaces the demo's.
        sqlx::query("DELETE FROM questionnaire_invitations WHERE respondent = 'audience'")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    let q = questionnaires::current(&mut conn, Purpose::Intervention)
        .await
        .unwrap()
        .unwrap();
    sqlx::query(
        "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, email, easy_read, department_code, intervention_kind, created_at, sent_at) \
         SELECT $1, $2, 'intervention', id, $3, $4, $5, department_code, kind, 1, 1 FROM intervention_requests WHERE public_id = 'demo-demande-esat'",
    )
    .bind(q.id)
    .bind(hash_token(token))
    .bind(respondent)
    .bind(email)
    .bind(i64::from(easy))
    .execute(&mut *conn)
    .await
    .unwrap();
    format!("/questionnaire/{token}")
}

/// The answers of the responses about the demo request by `respondent`:
/// (question code, value, text, declined), response after response.
async fn stored(app: &App, respondent: &str) -> Vec<(String, Option<i64>, Option<String>, i64)> {
    sqlx::query_as(
        "SELECT a.question_code, a.value, a.text, a.declined FROM questionnaire_answers a \
         JOIN questionnaire_responses r ON r.id = a.response_id \
         JOIN intervention_requests q ON q.id = r.subject_id AND r.subject_kind = 'intervention' \
         WHERE q.public_id = 'demo-demande-esat' AND r.respondent = $1 ORDER BY r.id, a.id",
    )
    .bind(respondent)
    .fetch_all(app.db.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_personal_link_is_answered_one_question_per_page_and_only_once() {
    for app in apps().await {
        let link = invite(
            &app,
            "jeton-accueil",
            "host",
            Some("accueil@exemple.fr"),
            false,
        )
        .await;
        let mut c = app.client();
        let first = c.get(&link).await;
        assert_eq!(first.status, StatusCode::OK);
        assert!(first.body.contains("Question 1 sur 4"), "{}", first.body);
        // A personal link's page is kept by no browser, proxy or page cache.
        assert_eq!(first.headers["cache-control"], "no-store");
        assert!(!first.headers.contains_key("etag"));
        assert!(first.body.contains("Comment s’est passée l’intervention ?"));
        assert!(first.body.contains("Je préfère ne pas répondre"));
        assert!(
            !first.body.contains("L’intervention a-t-elle été utile ?"),
            "one question per page"
        );
        let step =
            |q: &'static str, go: &'static str, answer: Vec<(&'static str, &'static str)>| {
                let mut f = vec![("etape", "question"), ("q", q), ("aller", go)];
                f.extend(answer);
                f
            };
        // A required question left empty is named.
        let empty = c.post(&link, &step("1", "suivant", vec![])).await;
        empty.assert_field_error("question-ressenti", "Répondez à cette question");
        assert_eq!(
            empty.title(),
            "Erreur : Question 1 sur 4 – Votre avis sur l’intervention – EPoP"
        );
        let res = c
            .post(&link, &step("1", "suivant", vec![("ressenti", "4")]))
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.location(), format!("{link}?q=2"));
        let res = c
            .post(
                &link,
                &step("2", "suivant", vec![("utile", "ne-pas-repondre")]),
            )
            .await;
        assert_eq!(res.location(), format!("{link}?q=3"));
        c.post(&link, &step("3", "suivant", vec![("encore", "oui")]))
            .await;
        // « Retour » keeps what was typed and goes back.
        let res = c
            .post(
                &link,
                &step("4", "retour", vec![("commentaire", "Bien reçus")]),
            )
            .await;
        assert_eq!(res.location(), format!("{link}?q=3"));
        let back = c.get(&format!("{link}?q=3")).await;
        assert!(
            back.body
                .contains("value=\"oui\" id=\"question-encore-1\" checked"),
            "{}",
            back.body
        );
        assert!(
            c.get(&format!("{link}?q=4"))
                .await
                .body
                .contains(">Bien reçus</textarea>")
        );
        let res = c
            .post(
                &link,
                &step(
                    "4",
                    "suivant",
                    vec![("commentaire", "Très utile pour l’équipe")],
                ),
            )
            .await;
        assert_eq!(res.location(), format!("{link}?q=5"));
        let check = c.get(&format!("{link}?q=5")).await;
        assert!(check.body.contains("Vérifiez vos réponses"));
        for words in [
            "Bien –",
            "Je préfère ne pas répondre –",
            "Oui –",
            "Très utile pour l’équipe",
        ] {
            assert!(check.body.contains(words), "{words} in {}", check.body);
        }
        assert!(stored(&app, "host").await.is_empty(), "nothing sent yet");
        let sent = c.post(&link, &[("etape", "envoyer")]).await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER);
        assert_eq!(sent.location(), format!("{link}?merci=1"));
        assert!(
            c.get(sent.location())
                .await
                .body
                .contains("Vos réponses sont enregistrées")
        );
        assert_eq!(
            stored(&app, "host").await,
            vec![
                ("ressenti".into(), Some(4), None, 0),
                ("utile".into(), None, None, 1),
                ("encore".into(), Some(1), None, 0),
                (
                    "commentaire".into(),
                    None,
                    Some("Très utile pour l’équipe".into()),
                    0
                ),
            ]
        );
        // The link is used: marked answered, its draft erased; the response
        // says where and about what, not who.
        let (answered, draft): (Option<i64>, Option<String>) = sqlx::query_as(
            "SELECT answered_at, draft FROM questionnaire_invitations WHERE token_hash = $1",
        )
        .bind(hash_token("jeton-accueil"))
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert!(answered.is_some());
        assert_eq!(draft, None);
        let row: (String, Option<String>, Option<String>) = sqlx::query_as(
            "SELECT respondent, department_code, intervention_kind FROM questionnaire_responses WHERE respondent = 'host'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(row.0, "host");
        assert_eq!(row.1.as_deref(), Some("31"));
        let columns = response_columns(&app).await;
        assert!(
            !columns
                .iter()
                .any(|c| c.contains("account") || c.contains("email") || c.contains("invitation")),
            "{columns:?}"
        );
        // Opened or sent again: « déjà répondu », no second response.
        let again = c.get(&link).await;
        assert!(
            again.body.contains("Vous avez déjà répondu, merci"),
            "{}",
            again.body
        );
        let twice = c.post(&link, &[("etape", "envoyer")]).await;
        assert!(twice.body.contains("Vous avez déjà répondu, merci"));
        let all = c
            .post(
                &link,
                &[
                    ("etape", "tout"),
                    ("ressenti", "1"),
                    ("utile", "1"),
                    ("encore", "non"),
                ],
            )
            .await;
        assert!(all.body.contains("Vous avez déjà répondu, merci"));
        assert_eq!(stored(&app, "host").await.len(), 4, "one response only");
        // An unknown link: a clear 404.
        let unknown = c.get("/questionnaire/nimporte-quoi").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        assert!(unknown.body.contains("introuvable"), "{}", unknown.body);
    }
}

/// The columns of `questionnaire_responses`, on either engine.
async fn response_columns(app: &App) -> Vec<String> {
    let sql = match app.db.engine() {
        epop_store::Engine::Sqlite => {
            "SELECT name FROM pragma_table_info('questionnaire_responses')"
        }
        epop_store::Engine::Postgres => {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns WHERE table_name = 'questionnaire_responses' AND table_schema = current_schema()"
        }
    };
    let columns: Vec<String> = sqlx::query_scalar(sql)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
    assert!(columns.contains(&"respondent".to_owned()));
    columns
}

#[tokio::test]
async fn easy_read_words_when_the_invitation_or_the_url_asks() {
    for app in apps().await {
        let easy = invite(
            &app,
            "jeton-facile",
            "peer",
            Some("pair@demo.epop.test"),
            true,
        )
        .await;
        let plain = invite(
            &app,
            "jeton-courant",
            "host",
            Some("accueil@exemple.fr"),
            false,
        )
        .await;
        let mut c = app.client();
        let page = c.get(&easy).await.body;
        assert!(page.contains("Comment ça s’est passé ?"), "{page}");
        assert!(!page.contains("Comment s’est passée l’intervention ?"));
        let page = c.get(&plain).await.body;
        assert!(page.contains("Comment s’est passée l’intervention ?"));
        let page = c.get(&format!("{plain}?version=facile")).await.body;
        assert!(page.contains("Comment ça s’est passé ?"), "{page}");
        assert!(
            page.contains(&format!("action=\"{plain}?version=facile\"")),
            "the words stay easy"
        );
        // All the questions on one page, easy words too.
        let all = c.get(&format!("{easy}?tout=1")).await.body;
        for words in [
            "Comment ça s’est passé ?",
            "L’intervention a été utile ?",
            "Vous voulez refaire une intervention comme celle-ci ?",
        ] {
            assert!(all.contains(words), "{words}");
        }
    }
}

#[tokio::test]
async fn an_audience_link_takes_many_responses_on_one_page() {
    for app in apps().await {
        // The demo's audience link: an intervention has one (migration 0033).
        let link = "/questionnaire/demo-questionnaire-public".to_owned();
        let mut c = app.client();
        let page = c.get(&link).await.body;
        for words in [
            "Comment s’est passée l’intervention ?",
            "L’intervention a-t-elle été utile ?",
            "Souhaitez-vous ajouter quelque chose ? (facultatif)",
        ] {
            assert!(page.contains(words), "{words}");
        }
        let missing = c
            .post(
                &link,
                &[
                    ("etape", "tout"),
                    ("ressenti", "5"),
                    ("encore", "ne-sais-pas"),
                ],
            )
            .await;
        missing.assert_field_error(
            "question-utile",
            "« L’intervention a-t-elle été utile ? » : Répondez à cette question",
        );
        assert!(
            missing
                .body
                .contains("value=\"5\" id=\"question-ressenti-1\" checked"),
            "kept"
        );
        let answers = [
            [
                ("etape", "tout"),
                ("ressenti", "5"),
                ("utile", "4"),
                ("encore", "ne-sais-pas"),
            ],
            [
                ("etape", "tout"),
                ("ressenti", "2"),
                ("utile", "ne-pas-repondre"),
                ("encore", "non"),
            ],
        ];
        for a in answers {
            let res = c.post(&link, &a).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let rows = stored(&app, "audience").await;
        let values: Vec<(&str, Option<i64>, i64)> = rows
            .iter()
            .map(|(c, v, _, d)| (c.as_str(), *v, *d))
            .collect();
        assert_eq!(
            values,
            [
                ("ressenti", Some(5), 0),
                ("utile", Some(4), 0),
                ("encore", Some(-1), 0),
                ("ressenti", Some(2), 0),
                ("utile", None, 1),
                ("encore", Some(0), 0),
            ]
        );
        assert!(
            c.get(&link).await.body.contains("Envoyer mes réponses"),
            "never « answered »"
        );
    }
}

#[tokio::test]
async fn admins_define_a_questionnaire_then_a_version_and_responses_keep_theirs() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let list = admin.get("/admin/questionnaires").await;
        assert!(list.body.contains("Après un événement"));
        let form = admin.get("/admin/questionnaires/nouveau").await.body;
        assert!(
            form.contains("id=\"question-10-code\"") && !form.contains("id=\"question-11-code\"")
        );
        let fields = [
            ("title", "Votre avis sur la rencontre"),
            ("purpose", "evenement"),
            ("blocs", "10"),
            ("question-1-code", "ressenti"),
            ("question-1-wording", "Comment s’est passée la rencontre ?"),
            ("question-1-easy-wording", "La rencontre était bien ?"),
            ("question-1-kind", "echelle"),
            ("question-1-required", "oui"),
            ("question-2-code", "venue"),
            ("question-2-wording", "Par quel moyen êtes-vous venu ?"),
            ("question-2-easy-wording", "Comment vous êtes venu ?"),
            ("question-2-kind", "choix-unique"),
            ("question-2-options", "À pied\nEn bus\nEn voiture"),
            ("question-3-kind", "echelle"),
        ];
        // « Ajouter des questions » shows 5 more blocks, what was typed kept.
        let mut more = fields.to_vec();
        more.push(("faire", "ajouter"));
        let more = admin
            .post("/admin/questionnaires/nouveau", &more)
            .await
            .body;
        assert!(more.contains("id=\"question-15-code\""));
        assert!(more.contains("value=\"Comment s’est passée la rencontre ?\""));
        let mut save = fields.to_vec();
        save.push(("faire", "enregistrer"));
        let res = admin.post("/admin/questionnaires/nouveau", &save).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut conn = app.db.conn().await.unwrap();
        let v2 = questionnaires::current(&mut conn, Purpose::Event)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            v2.questionnaire.version, 2,
            "version 1 came with migration 0031"
        );
        assert_eq!(v2.questionnaire.questions.len(), 2, "empty blocks left out");
        assert_eq!(v2.questionnaire.questions[1].kind.options()[1], "En bus");
        // A participant answers version 2 through a link.
        sqlx::query(
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, email, created_at) \
             VALUES ($1, $2, 'event', 1, 'participant', 'lea@exemple.fr', 1)",
        )
        .bind(v2.id)
        .bind(hash_token("jeton-rencontre"))
        .execute(&mut *conn)
        .await
        .unwrap();
        drop(conn);
        let mut c = app.client();
        let res = c
            .post(
                "/questionnaire/jeton-rencontre",
                &[("etape", "tout"), ("ressenti", "5"), ("venue", "2")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // The next version starts from version 2, pre-filled.
        let path = "/admin/questionnaires/evenement-v2/nouvelle-version".to_owned();
        assert!(
            admin
                .get("/admin/questionnaires")
                .await
                .body
                .contains(&format!("href=\"{path}\"")),
            "linked from the list"
        );
        let unknown = admin
            .get("/admin/questionnaires/evenement-v9/nouvelle-version")
            .await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
        let prefilled = admin.get(&path).await.body;
        assert!(
            prefilled.contains("À pied\nEn bus\nEn voiture</textarea>"),
            "{prefilled}"
        );
        assert!(prefilled.contains("value=\"La rencontre était bien ?\""));
        let mut next = save.clone();
        next.retain(|(k, _)| *k != "purpose");
        next.push(("question-3-code", "merci"));
        next.push(("question-3-wording", "Un mot pour l’équipe ?"));
        next.push(("question-3-easy-wording", "Un mot pour nous ?"));
        next.retain(|(k, v)| !(*k == "question-3-kind" && *v == "echelle"));
        next.push(("question-3-kind", "texte-court"));
        next.push(("question-3-max-length", "300"));
        let res = admin.post(&path, &next).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let mut conn = app.db.conn().await.unwrap();
        let v3 = questionnaires::current(&mut conn, Purpose::Event)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (v3.questionnaire.version, v3.questionnaire.questions.len()),
            (3, 3)
        );
        let kept: Vec<i64> = sqlx::query_scalar(
            "SELECT questionnaire_id FROM questionnaire_responses WHERE subject_kind = 'event'",
        )
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        assert_eq!(kept, [v2.id], "the response keeps version 2");
        drop(conn);
        let list = admin.get("/admin/questionnaires").await.body;
        assert!(
            list.contains(
                "<td>3 (envoyée)</td><td>Votre avis sur la rencontre</td><td>3</td><td>0</td>"
            ),
            "{list}"
        );
        assert!(
            list.contains("<td>2</td><td>Votre avis sur la rencontre</td><td>2</td><td>1</td>"),
            "{list}"
        );
        assert_eq!(app.audit_count("questionnaire_saved").await, 2);
        // Coordinators read the list only.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let seen = coord.get("/admin/questionnaires").await;
        assert_eq!(seen.status, StatusCode::OK);
        assert!(
            !seen.body.contains("Créer un questionnaire")
                && !seen.body.contains("nouvelle-version")
        );
        assert_eq!(
            coord
                .post("/admin/questionnaires/nouveau", &save)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(coord.post(&path, &next).await.status, StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn a_bad_definition_is_named_question_by_question() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let res = admin
            .post(
                "/admin/questionnaires/nouveau",
                &[
                    ("title", ""),
                    ("purpose", "intervention"),
                    ("blocs", "10"),
                    ("question-1-code", "ressenti"),
                    ("question-1-easy-wording", "C’était bien ?"),
                    ("question-1-kind", "echelle"),
                    ("question-2-code", "choix"),
                    ("question-2-wording", "Qui était là ?"),
                    ("question-2-easy-wording", "Qui était là ?"),
                    ("question-2-kind", "choix-multiples"),
                    ("question-2-options", "Des collègues"),
                    ("faire", "enregistrer"),
                ],
            )
            .await;
        res.assert_field_error("question-1-wording", "Question 1 : saisissez l’intitulé.");
        res.assert_field_error(
            "question-2-options",
            "Question 2 : écrivez au moins deux réponses possibles, une par ligne.",
        );
        res.assert_field_error("title", "Saisissez le titre du questionnaire.");
        assert!(
            res.body.contains("value=\"Qui était là ?\""),
            "what was typed is kept"
        );
        let mut conn = app.db.conn().await.unwrap();
        let v = questionnaires::current(&mut conn, Purpose::Intervention)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(v.questionnaire.version, 1, "nothing saved");
        assert_eq!(app.audit_count("questionnaire_saved").await, 0);
    }
}

#[tokio::test]
async fn the_host_answers_signed_in_the_peer_by_link_and_the_request_is_evaluated() {
    for app in apps().await {
        let (_awa, _) = awa_accepts(&app).await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let when = [
            ("date", "15/03/2027"),
            ("start_time", "9:30"),
            ("end_time", "12:30"),
        ];
        let scheduled = coord.post(&format!("{path}/programmer"), &when).await;
        assert_eq!(scheduled.status, StatusCode::SEE_OTHER);
        crate::request_dates::as_if_it_took_place(&app).await;
        let done = coord.post(&format!("{path}/realisee"), &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let peer_link = invite(
            &app,
            "jeton-pair",
            "peer",
            Some("pair@demo.epop.test"),
            false,
        )
        .await;
        // The demo's personal link for the host (crates/epop/src/demo/questionnaires.rs).
        let host_link = "/questionnaire/demo-questionnaire-accueil";
        assert!(
            app.client()
                .get(host_link)
                .await
                .body
                .contains("Question 1 sur 4")
        );
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        let form = host
            .get("/espace/demandes/demo-demande-esat/avis")
            .await
            .body;
        assert!(
            form.contains("Souhaitez-vous vivre à nouveau une intervention par les pairs ?"),
            "{form}"
        );
        let res = host
            .post(
                "/espace/demandes/demo-demande-esat/avis",
                &[
                    ("ressenti", "3"),
                    ("utile", "ne-pas-repondre"),
                    ("encore", "non"),
                    ("commentaire", "Salle trop petite."),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        // Sent twice: still one response.
        host.post(
            "/espace/demandes/demo-demande-esat/avis",
            &[("ressenti", "1"), ("utile", "1"), ("encore", "non")],
        )
        .await;
        assert_eq!(stored(&app, "host").await.len(), 4);
        // Their personal link is used up too.
        let by_link = app.client().get(host_link).await.body;
        assert!(
            by_link.contains("Vous avez déjà répondu, merci"),
            "{by_link}"
        );
        assert!(
            !coord.get(path).await.body.contains("Évaluée"),
            "the peer has not answered"
        );
        let res = app
            .client()
            .post(
                &peer_link,
                &[
                    ("etape", "tout"),
                    ("ressenti", "5"),
                    ("utile", "5"),
                    ("encore", "oui"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let page = coord.get(path).await.body;
        assert!(page.contains("Évaluée"), "both sides answered");
        assert!(
            page.contains("Salle trop petite.")
                && page.contains("<dd>Je préfère ne pas répondre</dd>"),
            "{page}"
        );
        assert!(page.contains("<dd>Moyen</dd>") && page.contains("<dd>Très bien</dd>"));
    }
}

#[tokio::test]
async fn a_link_flooded_with_posts_is_slowed_down() {
    for app in apps().await {
        let link = invite(&app, "jeton-flot", "audience", None, false).await;
        let t = epop_store::now();
        sqlx::query("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 300)")
            .bind(format!("questionnaire:{}", hash_token("jeton-flot")))
            .bind(t - t.rem_euclid(3600))
            .execute(app.db.pool())
            .await
            .unwrap();
        let mut c = app.client();
        let res = c
            .post(
                &link,
                &[
                    ("etape", "tout"),
                    ("ressenti", "5"),
                    ("utile", "5"),
                    ("encore", "oui"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(
            stored(&app, "audience").await.is_empty(),
            "nothing recorded"
        );
        // Another link is not slowed down.
        let other = invite(
            &app,
            "jeton-calme",
            "audience",
            Some("salle@exemple.fr"),
            false,
        )
        .await;
        let res = c
            .post(
                &other,
                &[
                    ("etape", "tout"),
                    ("ressenti", "5"),
                    ("utile", "5"),
                    ("encore", "oui"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
}
