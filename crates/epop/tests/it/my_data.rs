//! Each person's rights in their own space: the export covers every row
//! that names them (driven by the register of personal data), the erasure
//! leaves no trace of them in any text column and keeps the counts, and the
//! privacy page says the durations the purges use.

use axum::http::StatusCode;
use epop_domain::Email;
use epop_store::privacy::{self, Erase, Keep, Person, REGISTER};
use epop_store::{accounts, testing};

use crate::harness::{App, apps};

const AWA: &str = "pair@demo.epop.test";
const PHONE: &str = "06 11 22 33 44";

async fn exec(app: &App, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn scalar(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(app.db.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn person(app: &App, email: &str) -> Person {
    let mut conn = app.db.conn().await.unwrap();
    let id = accounts::id_by_email(&mut conn, &Email::parse(email).unwrap())
        .await
        .unwrap();
    let a = accounts::by_id(&mut conn, id).await.unwrap().unwrap();
    Person {
        account_id: a.id,
        email: a.email,
        public_id: a.public_id,
    }
}

/// One of everything for Awa Diallo, the demo peer, on top of the demo data
/// (her account, roles, profile, consents, training application and
/// proposal): a phone, a scope, a programme she coordinates, a rate-limit key, a sign-in link, an
/// e-mail, an absence, an event registration with its link, attendance,
/// an accompaniment milestone, a follow-up note, an accepted proposal with
/// its payment and an expense with a receipt file, a transition, feedback,
/// readiness notes and a message, a message to the coordination; the demo
/// request names her as référent.
/// Her coordinator reads her sensitive fields, and she signs in.
async fn seed_everything(app: &App) -> Person {
    let p = person(app, AWA).await;
    let a = p.account_id;
    let e = &p.email;
    let coord = person(app, "coordination@demo.epop.test").await.account_id;
    let request = scalar(
        app,
        "SELECT id FROM intervention_requests WHERE public_id = 'demo-demande-esat'",
    )
    .await;
    let event = scalar(app, "SELECT MIN(id) FROM events").await;
    let half_day = scalar(app, "SELECT MIN(id) FROM training_half_days").await;
    let application = scalar(
        app,
        &format!("SELECT COALESCE(MAX(id), 0) FROM training_applications WHERE account_id = {a}"),
    )
    .await;
    let application = if application == 0 {
        let session = scalar(app, "SELECT MIN(id) FROM training_sessions").await;
        exec(app, &format!("INSERT INTO training_applications (public_id, session_id, account_id, motivation, needs, status, created_at) VALUES ('candidature-awa', {session}, {a}, 'Je veux apprendre, Awa Diallo', '', 'accepted', 1)")).await;
        scalar(
            app,
            &format!("SELECT id FROM training_applications WHERE account_id = {a}"),
        )
        .await
    } else {
        application
    };
    let t = epop_store::now();
    for sql in [
        format!("UPDATE accounts SET phone = '{PHONE}' WHERE id = {a}"),
        format!(
            "UPDATE profiles SET photo_path = 'photo-awa.jpg', photo_alt = 'Awa Diallo sourit' WHERE account_id = {a}"
        ),
        format!(
            "INSERT INTO role_scopes (account_id, role, territory_kind, territory_code) VALUES ({a}, 'peer', 'department', '31')"
        ),
        format!(
            "INSERT INTO programme_coordinators (programme_id, account_id) SELECT MIN(id), {a} FROM programmes"
        ),
        format!(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('link:address:{e}', {t}, 1)"
        ),
        format!(
            "INSERT INTO auth_tokens (token_hash, account_id, purpose, created_at, expires_at) VALUES ('jeton-lien-awa', {a}, 'sign_in_link', {t}, {t})"
        ),
        format!(
            "INSERT INTO outbox (message_id, recipient, subject, body_text, created_at, attempts, next_attempt_at) VALUES ('m-awa@epop', '{e}', 'Bonjour Awa Diallo', 'Votre lien : http://epop.test/x', {t}, 0, {t})"
        ),
        format!(
            "INSERT INTO outbox (message_id, recipient, subject, body_text, created_at, attempts, next_attempt_at) VALUES ('m-coord@epop', 'coordination@demo.epop.test', 'Nouvelle réponse', 'Awa Diallo ({e}, {PHONE}) a répondu. Fiche : /annuaire/awa-diallo', {t}, 0, {t})"
        ),
        format!(
            "INSERT INTO profile_absences (profile_id, starts_on, ends_on) SELECT id, '2027-01-01', '2027-01-10' FROM profiles WHERE account_id = {a}"
        ),
        format!(
            "INSERT INTO event_registrations (event_id, name, email, phone, needs, needs_other, answers, status, account_id, consent_version, created_at) VALUES ({event}, 'Awa Diallo', '{e}', '{PHONE}', 'interprete-lsf', 'Une chaise près de la porte', 'regime=sans-gluten', 'registered', {a}, '2026-11', {t})"
        ),
        format!(
            "INSERT INTO event_links (token_hash, registration_id, created_at) SELECT 'jeton-inscription-awa', id, {t} FROM event_registrations WHERE account_id = {a}"
        ),
        format!(
            "INSERT INTO training_attendance (application_id, half_day_id, present) VALUES ({application}, {half_day}, 1)"
        ),
        format!(
            "INSERT INTO accompaniment_milestones (account_id, milestone, reached_on, recorded_by, created_at) VALUES ({a}, 'first-intervention', '2026-11-20', {coord}, {t})"
        ),
        format!(
            "INSERT INTO follow_up_notes (account_id, author_id, body, created_at) VALUES ({a}, {coord}, 'Awa Diallo a besoin de pauses.', {t})"
        ),
        format!(
            "UPDATE request_proposals SET status = 'accepted', reason = 'Avec plaisir, Awa' WHERE account_id = {a}"
        ),
        format!("UPDATE intervention_requests SET referent_id = {a} WHERE id = {request}"),
        format!(
            "INSERT INTO request_transitions (request_id, from_status, to_status, actor_id, reason, created_at) VALUES ({request}, 'proposed', 'accepted', {a}, NULL, {t})"
        ),
        format!(
            "INSERT INTO request_payments (request_id, fee_cents, payer, status, updated_at) VALUES ({request}, 20000, 'host', 'paid', {t})"
        ),
        format!(
            "INSERT INTO request_expenses (public_id, request_id, label, amount_cents, receipt_file, receipt_type, created_at) VALUES ('frais-awa', {request}, 'Train Toulouse-Balma', 1250, 'frais-awa.pdf', 'application/pdf', {t})"
        ),
        format!(
            "INSERT INTO request_feedback (request_id, side, account_id, feeling, useful, again, comment, created_at) VALUES ({request}, 'peer', {a}, 4, 1, 'oui', 'Merci, Awa Diallo', {t})"
        ),
        format!(
            "INSERT INTO request_readiness (request_id, team_told, place_accessible, accommodations_ready, mission_sheet_written, notes, updated_by, updated_at) VALUES ({request}, 1, 1, 1, 1, 'Salle calme pour Awa Diallo', {a}, {t})"
        ),
        format!(
            "INSERT INTO request_messages (request_id, author_id, from_coordination, body, created_at) VALUES ({request}, {a}, 0, 'Bonjour, je viendrai en train. Awa Diallo, {PHONE}', {t})"
        ),
        format!(
            "INSERT INTO request_messages (request_id, author_id, from_coordination, body, created_at) VALUES ({request}, {coord}, 1, 'Merci Awa Diallo !', {t})"
        ),
        format!(
            "INSERT INTO contact_conversations (public_id, target_kind, target_ref, target_name, sender_name, sender_email, sender_phone, created_at, updated_at) VALUES ('conversation-awa', 'departement', '31', 'Haute-Garonne', 'Awa Diallo', '{e}', '{PHONE}', {t}, {t})"
        ),
        format!(
            "INSERT INTO contact_messages (conversation_id, author_id, from_coordination, body, created_at) SELECT id, NULL, 0, 'Bonjour, ici Awa Diallo', {t} FROM contact_conversations WHERE public_id = 'conversation-awa'"
        ),
        format!(
            "INSERT INTO contact_links (token_hash, conversation_id, created_at) SELECT 'jeton-contact-awa', id, {t} FROM contact_conversations WHERE public_id = 'conversation-awa'"
        ),
        format!(
            "INSERT INTO contact_recipients (conversation_id, account_id) SELECT id, {a} FROM contact_conversations WHERE public_id = 'conversation-awa'"
        ),
        format!(
            "INSERT INTO candidate_applications (public_id, audience, status, name, department_code, email, phone, actions, needs, account_id, created_at, updated_at, sent_at) VALUES ('candidature-awa', 'referent', 'new', 'Awa Diallo', '31', '{e}', '{PHONE}', 'former', 'Des pauses', {a}, {t}, {t}, {t})"
        ),
        format!(
            "INSERT INTO candidate_steps (application_id, step, detail, actor_id, at) SELECT id, 'contacted', 'Appel à Awa Diallo', {coord}, {t} FROM candidate_applications WHERE public_id = 'candidature-awa'"
        ),
        format!(
            "INSERT INTO questionnaires (purpose, version, title, questions, created_at) VALUES ('essai-donnees', 1, 'Avis', '[]', {t})"
        ),
        format!(
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, account_id, email, created_at) SELECT id, 'jeton-avis-awa', 'event', 1, 'participant', {a}, '{e}', {t} FROM questionnaires WHERE purpose = 'essai-donnees'"
        ),
        format!(
            "INSERT INTO resources (slug, title, summary, language, dated, author, licence, visibility, status, search_text, created_by, suggested_by, created_at, updated_at) VALUES ('guide-propose-par-awa', 'Un guide', 'Un guide utile', 'fr', '2027-03-03', 'Une association', 'CC BY 4.0', 'members', 'suggested', 'un guide', {a}, {a}, {t}, {t})"
        ),
        // A review she asked for, and one she read and answered.
        format!(
            "INSERT INTO easy_reviews (public_id, subject_kind, subject_slug, title, text, requested_by, created_at) VALUES ('relecture-awa', 'ressource', 'guide-propose-par-awa', 'Un guide', 'Vous lisez le guide.', {a}, {t})"
        ),
        format!(
            "INSERT INTO easy_review_answers (review_id, account_id, sentence, understood, words, answered_at) SELECT id, {a}, 1, 0, 'guide', {t} FROM easy_reviews WHERE public_id = 'relecture-awa'"
        ),
        format!(
            "INSERT INTO easy_reviewers (review_id, account_id, show_name, finished_at) SELECT id, {a}, 1, {t} FROM easy_reviews WHERE public_id = 'relecture-awa'"
        ),
        // Her newsletter subscription and its unsubscribe link.
        format!(
            "INSERT INTO newsletter_subscribers (email, region_code, easy, account_id, created_at, confirmed_at) VALUES ('{e}', '76', 1, {a}, {t}, {t})"
        ),
        format!(
            "INSERT INTO newsletter_links (token_hash, subscriber_id, purpose, created_at) SELECT 'jeton-lettre-awa', id, 'unsubscribe', {t} FROM newsletter_subscribers WHERE account_id = {a}"
        ),
        // Another person's form that names her.
        format!(
            "INSERT INTO intervention_requests (public_id, status, form, contact_email, created_at, updated_at) VALUES ('autre-demande', 'draft', 'subject=Avec+Awa+Diallo&contact_email=autre%40exemple.fr', 'autre@exemple.fr', {t}, {t})"
        ),
    ] {
        exec(app, &sql).await;
    }
    // Her receipt and photo files, to be deleted with the account.
    for (key, bytes) in [
        ("justificatifs/frais-awa.pdf", &b"%PDF-1.7 test"[..]),
        ("photos/photo-awa.jpg", b"jpeg"),
    ] {
        app.files.put(key, bytes).await.unwrap();
    }
    // A coordinator reads her sensitive fields (an audit line about her).
    let mut coordinator = app.signed_in("coordination@demo.epop.test").await;
    let page = coordinator.get("/annuaire/awa-diallo").await;
    assert_eq!(page.status, StatusCode::OK);
    p
}

/// How many rows of each register table name the person.
async fn expected(app: &App, p: &Person) -> Vec<(&'static str, i64)> {
    let mut conn = app.db.conn().await.unwrap();
    privacy::counts(&mut conn, p).await.unwrap()
}

#[tokio::test]
async fn the_export_holds_every_row_that_names_the_person() {
    for app in apps().await {
        let p = seed_everything(&app).await;
        let mut awa = app.signed_in(AWA).await;
        let counts = expected(&app, &p).await;
        // Seeding covered every table that can name a person.
        let empty: Vec<_> = counts.iter().filter(|(_, n)| *n == 0).collect();
        assert!(empty.is_empty(), "nothing seeded in {empty:?}");

        let page = awa.get("/espace/mes-donnees.json").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.headers["content-type"], "application/json");
        assert_eq!(page.headers["cache-control"], "no-store");
        let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
        assert_eq!(json["format"], "epop-mes-donnees-1");
        assert_eq!(json["account"]["email"], AWA);
        let tables = json["tables"].as_array().unwrap();
        for (table, n) in &counts {
            let t = tables
                .iter()
                .find(|t| t["table"] == *table)
                .unwrap_or_else(|| panic!("{table} missing from the export"));
            assert_eq!(
                t["rows"].as_array().unwrap().len() as i64,
                *n,
                "rows of {table}"
            );
        }
        // Content, not only counts: her profile, her consents, her
        // registration's needs, the sensitive read, her message.
        let rows = |table: &str| {
            tables.iter().find(|t| t["table"] == table).unwrap()["rows"]
                .as_array()
                .unwrap()
                .clone()
        };
        assert_eq!(rows("profiles")[0]["display_name"], "Awa Diallo");
        assert!(
            rows("consents")
                .iter()
                .any(|c| c["purpose"] == epop_store::directory::purpose::LISTING)
        );
        assert_eq!(rows("event_registrations")[0]["needs"], "interprete-lsf");
        // The thread of the intervention she took: her message and the
        // coordination's answer alike.
        let thread: Vec<_> = rows("request_messages")
            .iter()
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect();
        assert!(thread.iter().any(|b| b.starts_with("Bonjour, je viendrai")));
        assert!(
            thread.contains(&"Merci Awa Diallo !".to_owned()),
            "{thread:?}"
        );
        // The person who made the request reads the same thread in theirs.
        let requester = person(&app, "demandeur@demo.epop.test").await;
        let mut conn = app.db.conn().await.unwrap();
        let theirs = privacy::export(&mut conn, &requester).await.unwrap();
        drop(conn);
        let theirs = theirs
            .iter()
            .find(|r| r.table.name == "request_messages")
            .expect("the thread of the request they made");
        assert_eq!(theirs.rows.len(), 2, "{:?}", theirs.rows);
        assert!(
            rows("audit_log")
                .iter()
                .any(|l| l["action"] == "sensitive_read")
        );
        // Never a secret.
        assert!(rows("accounts")[0].get("password_hash").is_none());
        assert!(rows("sessions")[0].get("id_hash").is_none());
        assert!(!page.body.contains("jeton-lien-awa"));

        // The page lists them and says who read her sensitive fields.
        let page = awa.get("/espace/mes-donnees").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Mes données");
        assert!(page.body.contains("Vos inscriptions aux événements"));
        assert!(
            page.body.contains(": Sophie Delmas</li>"),
            "the reader is named"
        );
        assert!(page.body.contains("id=\"format\""));

        // The PDF: tagged, and it says the same.
        let pdf = awa.get_bytes("/espace/mes-donnees.pdf").await;
        assert!(pdf.starts_with(b"%PDF"));
        let path = std::env::temp_dir().join(format!(
            "epop-mes-donnees-{}-{:?}.pdf",
            std::process::id(),
            app.db.engine()
        ));
        std::fs::write(&path, &pdf).unwrap();
        let text = std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(text.contains("Mes données sur EPoP"), "{text}");
        assert!(text.contains("interprete-lsf"));
        let info = std::process::Command::new("pdfinfo")
            .arg(&path)
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));
    }
}

/// The figures that must not move when a person is erased.
async fn figures(app: &App) -> Vec<i64> {
    let mut out = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM intervention_requests",
        "SELECT COUNT(*) FROM intervention_requests WHERE status IN ('done', 'evaluated', 'closed')",
        "SELECT COUNT(*) FROM request_proposals WHERE status = 'accepted'",
        "SELECT COUNT(*) FROM event_registrations",
        "SELECT COUNT(*) FROM event_registrations WHERE status = 'registered'",
        "SELECT COUNT(*) FROM training_applications",
        "SELECT COUNT(*) FROM training_attendance WHERE present = 1",
        "SELECT COUNT(*) FROM accompaniment_milestones",
        "SELECT CAST(COALESCE(SUM(fee_cents), 0) AS BIGINT) FROM request_payments",
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM request_expenses",
        "SELECT COUNT(*) FROM accounts",
    ] {
        out.push(scalar(app, sql).await);
    }
    out
}

/// Every (table, column) of the schema whose text holds one of `needles`
/// (any case).
async fn traces(app: &App, needles: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for (table, columns) in testing::text_columns(&app.db).await {
        for column in columns {
            for needle in needles {
                let sql = format!(
                    "SELECT COUNT(*) FROM {table} WHERE LOWER(CAST({column} AS TEXT)) LIKE $1 ESCAPE '!'"
                );
                // The needle literally: « % » and « _ » are LIKE's wildcards.
                let literal = needle
                    .to_lowercase()
                    .replace('!', "!!")
                    .replace('%', "!%")
                    .replace('_', "!_");
                let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                    .bind(format!("%{literal}%"))
                    .fetch_one(app.db.pool())
                    .await
                    .unwrap();
                if n > 0 {
                    found.push(format!("{table}.{column} holds « {needle} »"));
                }
            }
        }
    }
    found
}

#[tokio::test]
async fn erasing_my_account_leaves_no_trace_and_keeps_the_counts() {
    for app in apps().await {
        let p = seed_everything(&app).await;
        let mut awa = app.signed_in(AWA).await;
        let session = awa.jar["epop_session"].clone();
        let hashes: Vec<String> = sqlx::query_scalar(
            "SELECT id_hash FROM sessions WHERE account_id = $1 UNION ALL SELECT token_hash FROM auth_tokens WHERE account_id = $1",
        )
        .bind(p.account_id)
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert!(hashes.len() >= 2);
        let before = figures(&app).await;

        // The page says what goes and what stays, in easy words.
        let page = awa.get("/espace/mes-donnees/effacer").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("10 ans"));
        assert!(page.body.contains("On ne peut pas revenir en arrière."));

        // Without the confirmation, nothing happens.
        let page = awa
            .post("/espace/mes-donnees/effacer", &[("mot", "oui")])
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_field_error("confirmation", "Cochez la case");
        page.assert_field_error("mot", "effacer");
        assert_eq!(figures(&app).await, before);
        assert!(traces(&app, &[AWA.to_owned()]).await.len() > 1);

        let page = awa
            .post(
                "/espace/mes-donnees/effacer",
                &[("confirmation", "oui"), ("mot", "Effacer")],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(page.location(), "/compte-efface");
        let page = awa.get("/compte-efface").await;
        assert_eq!(page.h1(), "Votre compte est effacé");
        // Signed out, and the old session opens nothing.
        let page = awa.get("/espace").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        let mut old = app.client();
        old.jar.insert("epop_session".into(), session);
        assert_eq!(old.get("/espace").await.status, StatusCode::SEE_OTHER);

        // No text column of any table holds her e-mail, name, phone, profile
        // address or tokens.
        let mut needles = vec![
            AWA.to_owned(),
            "Awa Diallo".to_owned(),
            "Awa+Diallo".to_owned(),
            "pair%40demo".to_owned(),
            PHONE.to_owned(),
            "awa-diallo".to_owned(),
            "jeton-lien-awa".to_owned(),
            "jeton-inscription-awa".to_owned(),
        ];
        needles.extend(hashes);
        let left = traces(&app, &needles).await;
        assert!(left.is_empty(), "{:?}: {left:#?}", app.db.engine());
        // The counts stay.
        assert_eq!(figures(&app).await, before);
        // The receipt file is gone; the erasure is in the log.
        for key in ["justificatifs/frais-awa.pdf", "photos/photo-awa.jpg"] {
            let gone = app.files.get(key).await.unwrap_err();
            assert_eq!(gone.kind(), std::io::ErrorKind::NotFound, "{key}");
        }
        assert_eq!(app.audit_count("account_erased").await, 1);
        // Her messages are erased; the coordination's answer in her
        // thread is not hers to erase: it stays, without her name.
        let bodies: Vec<String> =
            sqlx::query_scalar("SELECT body FROM request_messages ORDER BY id")
                .fetch_all(app.db.pool())
                .await
                .unwrap();
        assert!(
            bodies.contains(&"Merci [effacé] !".to_owned()),
            "{bodies:?}"
        );
        assert!(bodies.iter().any(|b| b.starts_with("Message effacé")));
        // Nothing names her any more, by the register's own rules.
        let mut conn = app.db.conn().await.unwrap();
        for (table, n) in privacy::counts(&mut conn, &p).await.unwrap() {
            let t = privacy::table(table).unwrap();
            if t.erase == Erase::Delete {
                assert_eq!(n, 0, "{table}");
            }
        }
        // The directory no longer shows her.
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::NOT_FOUND
        );
        let page = app.client().get("/annuaire?q=diallo").await;
        assert!(!page.body.contains("Awa Diallo"));
        // Nor can she sign in again (the attempt itself is new data).
        let again = app.client().sign_in(AWA, crate::harness::PASSWORD).await;
        assert_ne!(again.location(), "/espace");
    }
}

#[tokio::test]
async fn erasure_waits_for_a_scheduled_intervention() {
    for app in apps().await {
        let p = person(&app, AWA).await;
        exec(
            &app,
            &format!(
                "UPDATE request_proposals SET status = 'accepted' WHERE account_id = {}",
                p.account_id
            ),
        )
        .await;
        exec(&app, "UPDATE intervention_requests SET status = 'scheduled' WHERE public_id = 'demo-demande-esat'").await;
        let mut awa = app.signed_in(AWA).await;
        let page = awa.get("/espace/mes-donnees/effacer").await;
        assert!(
            page.body
                .contains("Vous ne pouvez pas effacer votre compte maintenant")
        );
        let page = awa
            .post(
                "/espace/mes-donnees/effacer",
                &[("confirmation", "oui"), ("mot", "effacer")],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_field_error("confirmation", "Vous avez une intervention prévue");
        assert_eq!(awa.get("/espace").await.status, StatusCode::OK);
        assert_eq!(app.audit_count("account_erased").await, 0);
        // Once the request is done, she can.
        exec(&app, "UPDATE intervention_requests SET status = 'done' WHERE public_id = 'demo-demande-esat'").await;
        let page = awa
            .post(
                "/espace/mes-donnees/effacer",
                &[("confirmation", "oui"), ("mot", "effacer")],
            )
            .await;
        assert_eq!(page.location(), "/compte-efface");
    }
}

#[tokio::test]
async fn the_last_admin_cannot_erase_their_account() {
    for app in apps().await {
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin
            .post(
                "/espace/mes-donnees/effacer",
                &[("confirmation", "oui"), ("mot", "effacer")],
            )
            .await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_field_error("confirmation", "seul compte administrateur");
        assert_eq!(admin.get("/admin").await.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn an_admin_erases_an_account_on_a_written_request_with_a_reason() {
    for app in apps().await {
        let p = person(&app, AWA).await;
        // Characters that would be patterns in `LIKE` change nothing.
        exec(
            &app,
            &format!(
                "UPDATE accounts SET display_name = 'Awa Diallo 100% \\' WHERE id = {}",
                p.account_id
            ),
        )
        .await;
        exec(&app, "INSERT INTO audit_log (at, action, detail) VALUES (1, 'essai', 'Vu Awa Diallo 100% \\ hier')").await;
        let path = format!("/admin/comptes/{}/effacer", p.public_id);
        let mut coordinator = app.signed_in("coordination@demo.epop.test").await;
        assert_eq!(coordinator.get(&path).await.status, StatusCode::FORBIDDEN);
        let page = coordinator
            .post(&path, &[("raison", "courrier"), ("confirmation", "oui")])
            .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN);

        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin.get(&format!("/admin/comptes/{}", p.public_id)).await;
        assert!(page.body.contains(&path));
        let page = admin.post(&path, &[("confirmation", "oui")]).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST);
        page.assert_field_error("raison", "Écrivez pourquoi");
        let page = admin
            .post(
                &path,
                &[("raison", "Courrier\r\nfaux"), ("confirmation", "oui")],
            )
            .await;
        page.assert_field_error("raison", "une seule ligne");
        assert_eq!(app.audit_count("account_erased").await, 0);

        let page = admin
            .post(
                &path,
                &[
                    ("raison", "Demande par courrier reçue le 3 mars"),
                    ("confirmation", "oui"),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        let detail: String =
            sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'account_erased'")
                .fetch_one(app.db.pool())
                .await
                .unwrap();
        assert!(detail.contains("Demande par courrier reçue le 3 mars"));
        let left = traces(&app, &[AWA.to_owned(), "Awa Diallo".to_owned()]).await;
        assert!(left.is_empty(), "{left:#?}");
        assert!(
            app.client()
                .sign_in(AWA, crate::harness::PASSWORD)
                .await
                .location()
                != "/espace"
        );
    }
}

#[tokio::test]
async fn the_privacy_page_says_the_durations_the_purges_use() {
    let app = App::new(testing::sqlite().await);
    let page = app.client().get("/donnees-personnelles").await;
    assert_eq!(page.status, StatusCode::OK);
    for p in privacy::PROCESSINGS {
        assert!(page.body.contains(p.name), "{}", p.name);
    }
    let mut purged = 0;
    for t in REGISTER.iter().filter(|t| t.processing.is_some()) {
        let said = askama_escape(&t.keep.in_words());
        assert!(page.body.contains(&said), "{}: {said}", t.name);
        if let Keep::Purged { days, .. } = t.keep {
            assert!(said.contains(&privacy::days_in_words(days)));
            purged += 1;
        }
    }
    assert_eq!(purged, 11);
    assert!(
        page.body
            .contains("Brouillon ou candidature pas confirmée : 30 jours, puis effacée")
    );
    assert!(
        page.body
            .contains("l’objet et les dates 30 jours après l’envoi, puis effacé")
    );
    assert!(page.body.contains("1 an, puis effacé"));
    assert!(
        page.body
            .contains("brouillon jamais envoyé : 30 jours, puis effacé")
    );
    assert!(page.body.contains("1 jour, puis effacé"));
    assert!(page.body.contains("href=\"/espace/mes-donnees\""));
}

/// Text as askama writes it in HTML.
fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The worker's hourly purge applies the register: a security-log line a
/// year and a day old goes, yesterday's stays (both engines).
#[tokio::test]
async fn the_worker_purges_the_security_log_after_a_year() {
    for db in testing::all().await {
        let t = epop_store::now();
        for (at, what) in [
            (t - 366 * privacy::DAY, "vieille"),
            (t - privacy::DAY, "récente"),
        ] {
            sqlx::query("INSERT INTO audit_log (at, action, detail) VALUES ($1, 'essai', $2)")
                .bind(at)
                .bind(what)
                .execute(db.pool())
                .await
                .unwrap();
        }
        epop::worker::purge_retention(&db).await;
        let left: Vec<String> =
            sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'essai'")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(left, vec!["récente".to_owned()]);
    }
}
