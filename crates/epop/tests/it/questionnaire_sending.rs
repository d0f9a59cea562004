//! The questionnaires the worker sends, through the real router, the real
//! worker's job and a real SMTP server, on both engines: after a done
//! intervention (the host's contact, the peer), an ended training session
//! (the trainees who attended; for a référent training, the référent's
//! employer) and a past event (the participants marked present), each
//! person gets exactly one e-mail (two workers running at once) with a personal link that opens their
//! invitation; running again sends nothing; one reminder a week later with
//! a new link (the first still works), none for who answered, never a
//! second; six months after the training, the `formation-6-mois`
//! questionnaire. The absent, the cancelled and the unrecorded get nothing.
//! The host passes on one audience link, made by a POST, that only its
//! organisation reaches.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use epop::mailer::Mailer;
use epop::worker::drain;
use epop_domain::questionnaire::Purpose;
use epop_domain::questionnaire::sending::{REMINDER_AFTER, first_send_at};
use epop_domain::training::{Audience, Decision};
use epop_store::questionnaires::responses;
use epop_store::{events, trainings};
use epop_web::questionnaire_sending::run_due;
use epop_web::security::hash_token;

use crate::harness::{App, BASE, Client, apps, awa_accepts, smtp_server};

const REQUEST: &str = "demo-demande-esat";
const DAY: i64 = 24 * 3600;

/// A questionnaire e-mail waiting in the outbox.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    subject: String,
    body: String,
}

impl Mail {
    /// The token of the personal link in the body.
    fn token(&self) -> String {
        let start = self
            .body
            .find(&format!("{BASE}/questionnaire/"))
            .unwrap_or_else(|| panic!("a link in {}", self.body))
            + BASE.len()
            + "/questionnaire/".len();
        self.body[start..]
            .split(|c: char| c.is_whitespace())
            .next()
            .unwrap()
            .to_owned()
    }
}

/// Removes the demo's fixed links to the questionnaire about the demo
/// request (`epop::demo::questionnaires`): these tests start from no
/// invitation, as a real platform does.
async fn without_demo_links(app: &App) {
    sqlx::query("DELETE FROM questionnaire_invitations")
        .execute(app.db.pool())
        .await
        .unwrap();
}

/// The questionnaire e-mails not sent yet, oldest first.
async fn pending(app: &App) -> Vec<Mail> {
    let mut conn = app.db.conn().await.unwrap();
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT recipient, subject, body_text FROM outbox WHERE sent_at IS NULL \
         AND (subject LIKE 'Votre avis sur %' OR subject LIKE 'Rappel : votre avis sur %') \
         ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(to, subject, body)| Mail { to, subject, body })
        .collect()
}

/// Sends the whole outbox through a real SMTP server; how many messages
/// each address received.
async fn through_smtp(app: &App) -> BTreeMap<String, usize> {
    let (url, received) = smtp_server();
    let mailer = Mailer::new(
        "EPoP <ne-pas-repondre@epop.test>",
        Some(&url),
        "/nonexistent".into(),
    )
    .unwrap();
    while drain(&app.db, &mailer).await.unwrap() > 0 {}
    let mut count = BTreeMap::new();
    for raw in received.lock().unwrap().iter() {
        let to = raw
            .lines()
            .find_map(|l| l.strip_prefix("To: "))
            .expect("a recipient")
            .trim()
            .to_owned();
        *count.entry(to).or_insert(0) += 1;
    }
    count
}

/// Runs the job at `at` in two workers at once, sends what they wrote;
/// (the e-mails written, how many each address received through SMTP).
async fn run_at(app: &App, at: i64) -> (Vec<Mail>, BTreeMap<String, usize>) {
    through_smtp(app).await;
    let (a, b) = tokio::join!(run_due(&app.db, BASE, at), run_due(&app.db, BASE, at));
    let written = a.unwrap() + b.unwrap();
    let mails = pending(app).await;
    assert_eq!(written, mails.len(), "{mails:?}");
    (mails, through_smtp(app).await)
}

/// (respondent, subject kind, e-mail) of the invitation a link opens.
async fn opened(app: &App, token: &str) -> Option<(String, String, Option<String>, i64)> {
    let mut conn = app.db.conn().await.unwrap();
    responses::invitation(&mut conn, &hash_token(token))
        .await
        .unwrap()
        .map(|i| (i.subject.respondent, i.subject.kind, i.email, i.id))
}

/// The demo request, done: accepted by Awa, scheduled, taken place and
/// marked done by the coordinator.
pub async fn intervention_done(app: &App) {
    let coord = scheduled_in_the_past(app).await;
    let mut coord = coord;
    let res = coord
        .post(&format!("/admin/demandes/{REQUEST}/realisee"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

/// The demo request accepted by Awa, scheduled, its end passed a day ago;
/// the coordinator's client.
async fn scheduled_in_the_past(app: &App) -> Client {
    awa_accepts(app).await;
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    let res = coord
        .post(
            &format!("/admin/demandes/{REQUEST}/programmer"),
            &[
                ("date", "15/03/2027"),
                ("start_time", "9:30"),
                ("end_time", "12:30"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    crate::request_dates::as_if_it_took_place(app).await;
    coord
}

/// A demo session of `audience`'s programme: its id, with the half-days
/// moved so that the last ended a day ago; returns (session id, end).
async fn session_ended(app: &App, audience: Audience) -> (i64, i64) {
    let mut conn = app.db.conn().await.unwrap();
    let s = trainings::sessions(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.programme.audience == audience)
        .unwrap();
    let last: i64 =
        sqlx::query_scalar("SELECT MAX(ends_at) FROM training_half_days WHERE session_id = $1")
            .bind(s.id)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    let shift = last - (epop_store::now() - DAY);
    sqlx::query(
        "UPDATE training_half_days SET starts_at = starts_at - $1, ends_at = ends_at - $1 \
         WHERE session_id = $2",
    )
    .bind(shift)
    .bind(s.id)
    .execute(&mut *conn)
    .await
    .unwrap();
    (s.id, last - shift)
}

/// `present` and `absent` (e-mails) accepted in the session; the present
/// marked so on its first half-day, the others absent.
async fn attended(app: &App, session: i64, present: &[&str], absent: &[&str]) {
    let mut tx = app.db.write().await.unwrap();
    let coordinator = app.account("coordination@demo.epop.test").await.id;
    let mut present_ids = Vec::new();
    for (email, here) in present
        .iter()
        .map(|e| (e, true))
        .chain(absent.iter().map(|e| (e, false)))
    {
        let id = app.account(email).await.id;
        let applied = trainings::apply(
            &mut tx,
            session,
            id,
            &epop_web::security::public_id(),
            "Apprendre.",
            "",
            epop_store::now(),
        )
        .await
        .unwrap();
        let a = match applied {
            trainings::Applied::New(a) | trainings::Applied::Existing(a) => a,
        };
        trainings::decide(
            &mut tx,
            a.id,
            &Decision::Accept,
            coordinator,
            epop_store::now(),
        )
        .await
        .unwrap()
        .unwrap();
        if here {
            present_ids.push(a.id);
        }
    }
    let first: i64 = sqlx::query_scalar(
        "SELECT id FROM training_half_days WHERE session_id = $1 ORDER BY starts_at LIMIT 1",
    )
    .bind(session)
    .fetch_one(&mut *tx)
    .await
    .unwrap();
    trainings::set_attendance(&mut tx, session, first, &present_ids)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The demo information meeting, with Léa (easy-read documents), Zoé and
/// Paul registered through the public form; moved into the past, Léa and
/// Zoé marked present by the coordinator, Paul absent.
async fn event_attended(app: &App) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    let e = events::list(&mut conn, &events::Filter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.information_meeting)
        .unwrap();
    drop(conn);
    let mut anon = app.client();
    for (name, email, needs) in [
        ("Léa Fabre", "lea@exemple.fr", Some("falc")),
        ("Zoé Martin", "zoe@exemple.fr", None),
        ("Paul Girard", "paul@exemple.fr", None),
    ] {
        let mut fields = vec![("name", name), ("email", email), ("consent", "oui")];
        fields.extend(needs.map(|n| ("needs", n)));
        let res = anon
            .post(&format!("/evenements/{}/inscription", e.slug), &fields)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let t = epop_store::now();
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query("UPDATE events SET starts_at = $1, ends_at = $2, deadline = $1 WHERE id = $3")
        .bind(t - 3 * 3600)
        .bind(t - 3600)
        .bind(e.id)
        .execute(&mut *conn)
        .await
        .unwrap();
    let regs = events::registrations(&mut conn, e.id).await.unwrap();
    drop(conn);
    let id_of = |email: &str| {
        regs.iter()
            .find(|r| r.email == email)
            .unwrap()
            .id
            .to_string()
    };
    let mut coord = app.signed_in("coordination@demo.epop.test").await;
    let res = coord
        .post(
            &format!("/admin/evenements/{}/presences", e.slug),
            &[
                ("present", id_of("lea@exemple.fr").as_str()),
                ("present", id_of("zoe@exemple.fr").as_str()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    e.id
}

fn of<'a>(mails: &'a [Mail], to: &str) -> Vec<&'a Mail> {
    mails.iter().filter(|m| m.to == to).collect()
}

#[tokio::test]
async fn who_took_part_gets_one_questionnaire_then_one_reminder_and_six_months_later_another() {
    for app in apps().await {
        without_demo_links(&app).await;
        intervention_done(&app).await;
        let (referent_session, referent_end) = session_ended(&app, Audience::Referent).await;
        attended(&app, referent_session, &["referente@demo.epop.test"], &[]).await;
        let (peer_session, peer_end) = session_ended(&app, Audience::Peer).await;
        attended(
            &app,
            peer_session,
            &["pair@demo.epop.test"],
            &["pair-herault@demo.epop.test"],
        )
        .await;
        event_attended(&app).await;

        // An hour after the end: nothing yet (the morning after).
        let (mails, _) = run_at(&app, epop_store::now() - DAY + 3600).await;
        assert!(mails.is_empty(), "{mails:#?}");

        // Two days on, everyone due is invited once.
        let t1 = epop_store::now() + 2 * DAY;
        let (mails, received) = run_at(&app, t1).await;
        let expected = [
            ("demandeur@demo.epop.test", 2), // host contact, employer of Julie
            ("pair@demo.epop.test", 2),      // the peer, a trainee
            ("referente@demo.epop.test", 1), // trainee of the référent session
            ("lea@exemple.fr", 1),
            ("zoe@exemple.fr", 1),
        ];
        let total: usize = expected.iter().map(|(_, n)| n).sum();
        assert_eq!(mails.len(), total, "{mails:#?}");
        for (to, n) in expected {
            assert_eq!(of(&mails, to).len(), n, "{to}: {mails:#?}");
            assert_eq!(received.get(to), Some(&n), "{to} through SMTP");
        }
        for nobody in [
            "pair-herault@demo.epop.test",
            "paul@exemple.fr",
            "coordination@demo.epop.test",
        ] {
            assert!(of(&mails, nobody).is_empty(), "{nobody}");
            assert_eq!(received.get(nobody), None);
        }
        // Each link opens its own invitation, with the right respondent.
        let mut respondents = Vec::new();
        for m in &mails {
            let (respondent, kind, email, _) =
                opened(&app, &m.token()).await.expect("an invitation");
            assert_eq!(email.as_deref(), Some(m.to.as_str()));
            respondents.push((m.to.clone(), respondent, kind));
            assert!(m.body.contains("Je préfère ne pas répondre"), "{}", m.body);
            let page = app
                .client()
                .get(&format!("/questionnaire/{}", m.token()))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            assert!(page.body.contains("Question 1 sur "), "{}", page.body);
            assert!(m.body.contains("minutes"), "{}", m.body);
        }
        respondents.sort();
        let want = |to: &str, r: &str, k: &str| (to.to_owned(), r.to_owned(), k.to_owned());
        let mut expected_respondents = vec![
            want("demandeur@demo.epop.test", "employer", "training"),
            want("demandeur@demo.epop.test", "host", "intervention"),
            want("lea@exemple.fr", "participant", "event"),
            want("pair@demo.epop.test", "peer", "intervention"),
            want("pair@demo.epop.test", "trainee", "training"),
            want("referente@demo.epop.test", "trainee", "training"),
            want("zoe@exemple.fr", "participant", "event"),
        ];
        expected_respondents.sort();
        assert_eq!(respondents, expected_respondents);

        // What the e-mails say.
        let awa = of(&mails, "pair@demo.epop.test");
        let intervention = awa
            .iter()
            .find(|m| m.subject.starts_with("Votre avis sur l’intervention du "))
            .expect("the peer's intervention e-mail");
        assert!(intervention.body.starts_with("Bonjour Awa Diallo,"));
        assert!(
            intervention.body.contains("Il y a 4 questions"),
            "{}",
            intervention.body
        );
        let training = awa
            .iter()
            .find(|m| m.subject == "Votre avis sur la formation « Session Occitanie »")
            .expect("the trainee's e-mail");
        assert!(
            training.body.contains("à Croix-Rouge française"),
            "{}",
            training.body
        );
        let marc = of(&mails, "demandeur@demo.epop.test");
        assert!(
            marc.iter().any(|m| m.body.contains(
                "« Session Hauts-de-France » qu’une personne de votre structure a suivie"
            )),
            "{marc:#?}"
        );
        let lea = of(&mails, "lea@exemple.fr")[0];
        assert!(
            lea.body.contains("Répondre n’est pas obligatoire."),
            "easy-read: {}",
            lea.body
        );
        assert!(!lea.body.contains('·'));
        let zoe = of(&mails, "zoe@exemple.fr")[0];
        assert!(zoe.body.contains("Répondre est libre"), "{}", zoe.body);
        assert!(zoe.body.starts_with("Bonjour Zoé Martin,"));

        // Running again, or a minute later: nothing new.
        let (again, received) = run_at(&app, t1 + 60).await;
        assert!(again.is_empty(), "{again:#?}");
        assert!(received.is_empty());

        // Zoé answers through her link, all questions on one page.
        let zoe_link = format!("/questionnaire/{}", zoe.token());
        let res = app
            .client()
            .post(
                &zoe_link,
                &[
                    ("etape", "tout"),
                    ("ressenti", "4"),
                    ("appris", "ne-pas-repondre"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // Not before seven days; then one reminder each, but Zoé.
        let (early, _) = run_at(&app, t1 + REMINDER_AFTER - 3600).await;
        assert!(early.is_empty(), "{early:#?}");
        let t2 = t1 + REMINDER_AFTER + 60;
        let (reminders, received) = run_at(&app, t2).await;
        assert_eq!(reminders.len(), total - 1, "{reminders:#?}");
        assert!(of(&reminders, "zoe@exemple.fr").is_empty(), "she answered");
        for (to, n) in expected.iter().filter(|(to, _)| *to != "zoe@exemple.fr") {
            assert_eq!(received.get(*to), Some(n), "{to}");
        }
        for r in &reminders {
            assert!(
                r.subject.starts_with("Rappel : votre avis sur "),
                "{}",
                r.subject
            );
            let first = mails
                .iter()
                .find(|m| {
                    m.to == r.to && r.subject.ends_with(&m.subject["Votre avis sur ".len()..])
                })
                .expect("the first e-mail");
            assert_ne!(first.token(), r.token(), "a new link");
            let a = opened(&app, &first.token()).await.unwrap();
            let b = opened(&app, &r.token()).await.unwrap();
            assert_eq!(a.3, b.3, "both links open the same invitation");
            for token in [first.token(), r.token()] {
                let page = app.client().get(&format!("/questionnaire/{token}")).await;
                assert_eq!(page.status, StatusCode::OK, "{}", page.body);
            }
        }
        // Never a second reminder.
        for later in [t2 + 60, t2 + 3 * DAY, t2 + 40 * DAY] {
            let (none, received) = run_at(&app, later).await;
            assert!(none.is_empty(), "{none:#?}");
            assert!(received.is_empty());
        }

        // Six months after each session: the later questionnaire.
        let later = first_send_at(Purpose::TrainingLater, referent_end.max(peer_end)) + 60;
        let (six, _) = run_at(&app, later).await;
        let mut got: Vec<(&str, &str)> = six
            .iter()
            .map(|m| (m.to.as_str(), m.subject.as_str()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                (
                    "demandeur@demo.epop.test",
                    "Votre avis sur la formation « Session Hauts-de-France »"
                ),
                (
                    "pair@demo.epop.test",
                    "Votre avis sur la formation « Session Occitanie »"
                ),
                (
                    "referente@demo.epop.test",
                    "Votre avis sur la formation « Session Hauts-de-France »"
                ),
            ]
        );
        for m in &six {
            assert!(m.body.contains("il y a six mois"), "{}", m.body);
            let mut conn = app.db.conn().await.unwrap();
            let purpose: String = sqlx::query_scalar(
                "SELECT q.purpose FROM questionnaire_invitations i \
                 JOIN questionnaires q ON q.id = i.questionnaire_id WHERE i.token_hash = $1",
            )
            .bind(hash_token(&m.token()))
            .fetch_one(&mut *conn)
            .await
            .unwrap();
            assert_eq!(purpose, "formation-6-mois");
        }
        let (none, _) = run_at(&app, later + 60).await;
        assert!(none.is_empty());
    }
}

/// The audience invitation rows of the demo request.
async fn audience_rows(app: &App) -> Vec<(String, Option<String>)> {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query_as(
        "SELECT i.token_hash, i.email FROM questionnaire_invitations i \
         JOIN intervention_requests r ON r.id = i.subject_id \
         WHERE i.subject_kind = 'intervention' AND i.respondent = 'audience' AND r.public_id = $1",
    )
    .bind(REQUEST)
    .fetch_all(&mut *conn)
    .await
    .unwrap()
}

/// The link shown on the page a POST made.
fn shown_link(body: &str) -> String {
    let start = body
        .find(&format!("value=\"{BASE}/questionnaire/"))
        .unwrap_or_else(|| panic!("a link in {body}"))
        + "value=\"".len()
        + BASE.len()
        + "/questionnaire/".len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_host_passes_on_one_audience_link_that_no_one_else_reaches() {
    for app in apps().await {
        without_demo_links(&app).await;
        let page = format!("/espace/demandes/{REQUEST}");
        let make = format!("{page}/lien-public");
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        // Before it took place: no section, no link.
        let before = host.get(&page).await;
        assert_eq!(before.status, StatusCode::OK);
        assert!(!before.body.contains("Faire répondre le public"));
        assert_eq!(host.post(&make, &[]).await.status, StatusCode::NOT_FOUND);

        intervention_done(&app).await;
        let shown = host.get(&page).await;
        assert!(
            shown
                .body
                .contains("<h2 id=\"faire-repondre\">Faire répondre le public</h2>"),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("Créer le lien pour le public"));
        assert!(
            audience_rows(&app).await.is_empty(),
            "made only by the button"
        );

        // Nobody outside the organisation: not the funder, not the peer,
        // not a coordinator of another organisation.
        for other in [
            "financeur@demo.epop.test",
            "pair@demo.epop.test",
            "coordination-hdf@demo.epop.test",
        ] {
            let mut c = app.signed_in(other).await;
            assert_eq!(c.get(&page).await.status, StatusCode::NOT_FOUND, "{other}");
            assert_eq!(
                c.post(&make, &[]).await.status,
                StatusCode::NOT_FOUND,
                "{other}"
            );
        }
        assert_eq!(
            app.client().post(&make, &[]).await.status,
            StatusCode::SEE_OTHER,
            "signed out: to sign in"
        );
        assert!(audience_rows(&app).await.is_empty());

        // Without the CSRF token: refused.
        let forged = host
            .post_raw(
                &make,
                "",
                &[("content-type", "application/x-www-form-urlencoded")],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(audience_rows(&app).await.is_empty());

        let made = host.post(&make, &[]).await;
        assert_eq!(made.status, StatusCode::OK, "{}", made.body);
        assert_eq!(made.h1(), "Le lien pour faire répondre le public");
        let first = shown_link(&made.body);
        let (respondent, kind, email, _) = opened(&app, &first).await.unwrap();
        assert_eq!(
            (respondent.as_str(), kind.as_str(), email),
            ("audience", "intervention", None)
        );
        let again = host.get(&page).await;
        assert!(
            again.body.contains("Vous avez créé un lien le "),
            "{}",
            again.body
        );
        assert!(!again.body.contains(&first), "the link is shown once");

        // A new link replaces the old one: still one row.
        let second = shown_link(&host.post(&make, &[]).await.body);
        assert_ne!(first, second);
        assert!(
            opened(&app, &first).await.is_none(),
            "the old link stops working"
        );
        assert!(opened(&app, &second).await.is_some());
        assert_eq!(audience_rows(&app).await.len(), 1);
        let mut audience = app.client();
        let old = audience.get(&format!("/questionnaire/{first}")).await;
        assert_eq!(old.status, StatusCode::NOT_FOUND);
        let form = audience.get(&format!("/questionnaire/{second}")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(
            form.body.contains("Comment s’est passée l’intervention ?"),
            "{}",
            form.body
        );

        // The worker writes to no audience, now or a week later.
        for at in [
            epop_store::now() + 2 * DAY,
            epop_store::now() + 2 * DAY + REMINDER_AFTER + 60,
        ] {
            let (mails, _) = run_at(&app, at).await;
            assert_eq!(
                mails.len(),
                2,
                "the host and the peer, then their reminders: {mails:#?}"
            );
        }
        assert_eq!(audience_rows(&app).await.len(), 1);
        assert!(opened(&app, &second).await.is_some());
    }
}

#[tokio::test]
async fn a_cancelled_intervention_gets_no_questionnaire() {
    for app in apps().await {
        without_demo_links(&app).await;
        let mut coord = scheduled_in_the_past(&app).await;
        let res = coord
            .post(
                &format!("/admin/demandes/{REQUEST}/annuler"),
                &[("reason", "L’équipe n’était pas disponible.")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (mails, received) = run_at(&app, epop_store::now() + 2 * DAY).await;
        assert!(mails.is_empty(), "{mails:#?}");
        assert!(received.is_empty());
        let mut conn = app.db.conn().await.unwrap();
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM questionnaire_invitations")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(n, 0);
        drop(conn);
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        let page = host.get(&format!("/espace/demandes/{REQUEST}")).await;
        assert!(!page.body.contains("Faire répondre le public"));
    }
}

#[tokio::test]
async fn a_side_that_answered_on_its_page_is_not_asked_again() {
    for app in apps().await {
        without_demo_links(&app).await;
        intervention_done(&app).await;
        // The peer answers on her proposal's page, signed in, before the
        // morning after.
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let link = crate::harness::first_proposal(&list.body);
        let answers = [("ressenti", "5"), ("utile", "4"), ("encore", "oui")];
        let res = awa.post(&format!("{link}/avis"), &answers).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        let t1 = epop_store::now() + 2 * DAY;
        let (mails, _) = run_at(&app, t1).await;
        let to: Vec<&str> = mails.iter().map(|m| m.to.as_str()).collect();
        assert_eq!(to, ["demandeur@demo.epop.test"], "not the peer: {mails:#?}");

        // The host answers on the request's page, signed in: no reminder.
        let mut host = app.signed_in("demandeur@demo.epop.test").await;
        let res = host
            .post(&format!("/espace/demandes/{REQUEST}/avis"), &answers)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let (reminders, received) = run_at(&app, t1 + REMINDER_AFTER + 60).await;
        assert!(reminders.is_empty(), "{reminders:#?}");
        assert!(received.is_empty());
    }
}
