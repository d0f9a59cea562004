//! Indicators (`/indicateurs`, `GET /api/v1/indicators`): a varied history
//! is seeded in two régions (Occitanie 76, Bretagne 53) over two years
//! (2023, 2024) — requests in every state with cancellations, interventions
//! with peers, hours, audiences, fees and expenses, trainings with
//! attendance, events and information meetings with registrations,
//! candidates, questionnaire answers — and the figures shown are compared
//! with counts this test makes from its own seed list (never the store's
//! SQL). A funder sees only the territories they are given, « moins de 5 »
//! where the coordinator sees the exact figure; no name or address of a
//! seeded person appears; bad filters give French errors, never a 500.

use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveTime};
use epop_domain::account::AccountStatus;
use epop_store::Db;
use epop_store::accounts::{self, NewAccount};
use serde_json::Value;

use crate::harness::{App, apps, refs, request_fields};

const DAY: i64 = 86_400;

fn ts(y: i32, m: u32, d: u32) -> i64 {
    epop_domain::event::paris_timestamp(
        NaiveDate::from_ymd_opt(y, m, d).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    )
    .unwrap()
}

/// Within 2024, Paris time (from midnight on 1 January).
fn in_2024(at: i64) -> bool {
    at >= ts(2024, 1, 1) - 10 * 3600 && at < ts(2025, 1, 1) - 10 * 3600
}

const OCCITANIE: [&str; 3] = ["34", "81", "31"];
const BRETAGNE: [&str; 2] = ["29", "35"];

fn in_occitanie(dept: &str) -> bool {
    OCCITANIE.contains(&dept)
}

async fn exec(db: &Db, sql: &str, binds: &[B<'_>]) -> i64 {
    let mut conn = db.conn().await.unwrap();
    let mut q = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql.to_owned()));
    for b in binds {
        q = match b {
            B::I(v) => q.bind(*v),
            B::T(v) => q.bind(*v),
            B::N => q.bind(None::<i64>),
            B::NT => q.bind(None::<String>),
        };
    }
    q.fetch_one(&mut *conn).await.unwrap()
}

enum B<'a> {
    I(i64),
    T(&'a str),
    /// A null number.
    N,
    /// A null text.
    NT,
}

async fn account(db: &Db, tag: &str, n: usize, dept: &str) -> i64 {
    let mut conn = db.conn().await.unwrap();
    accounts::create(
        &mut conn,
        &NewAccount {
            public_id: format!("ind-{tag}-{n}"),
            email: epop_domain::Email::parse(&format!("secret.{tag}{n}@exemple.fr")).unwrap(),
            display_name: format!("Secret{tag} Nom{n}"),
            status: AccountStatus::Active,
            department: Some(dept.to_owned()),
            organisation_id: None,
        },
    )
    .await
    .unwrap()
}

/// A peer worker: an account and a hidden profile; returns (account, profile).
async fn peer(db: &Db, n: usize, dept: &str) -> (i64, i64) {
    let a = account(db, "pair", n, dept).await;
    let p = exec(
        db,
        "INSERT INTO profiles (account_id, kind, slug, display_name, sort_name, visibility, presentation, \
         presentation_easy, own_words, on_site, remote, other_languages, search_text, created_at, updated_at) \
         VALUES ($1, 'peer', $2, $3, $3, 'hidden', '', '', '', 1, 0, '', '', 0, 0) RETURNING id",
        &[B::I(a), B::T(&format!("ind-pair-{n}")), B::T(&format!("Secretpair Nom{n}"))],
    )
    .await;
    (a, p)
}

/// One seeded request.
struct Req {
    dept: &'static str,
    kind: &'static str,
    host: &'static str,
    sent: i64,
    /// The states it went through after `submitted`, in order.
    steps: Vec<&'static str>,
    done_at: Option<i64>,
    audience: i64,
    minutes: i64,
    peer: usize,
    paid: i64,
    expense: i64,
}

const KINDS: [&str; 3] = ["former", "sensibiliser", "accompagner"];
const HOSTS: [&str; 2] = ["association", "public_service"];

/// The requests: 41 in 2024 and 8 in 2023, over five départements, every
/// path through the life cycle (one back to be examined after a declined
/// proposal).
fn requests() -> Vec<Req> {
    let paths: [&[&str]; 8] = [
        &[],
        &["qualified"],
        &["qualified", "proposed"],
        &["qualified", "proposed", "accepted", "scheduled"],
        &["qualified", "proposed", "accepted", "scheduled", "done"],
        &[
            "qualified",
            "proposed",
            "accepted",
            "scheduled",
            "done",
            "evaluated",
        ],
        &["qualified", "proposed", "cancelled"],
        &["cancelled"],
    ];
    let depts = ["34", "81", "31", "29", "35"];
    (0..48usize)
        .map(|i| {
            let year = if i < 40 { 2024 } else { 2023 };
            let sent = ts(year, 1 + (i % 12) as u32, 1 + (i % 27) as u32);
            let steps: Vec<&str> = paths[i % 8].to_vec();
            let done = steps.contains(&"done");
            Req {
                dept: depts[i % 5],
                kind: KINDS[i % 3],
                host: HOSTS[i % 2],
                sent,
                done_at: done.then(|| sent + (5 + (i as i64 % 11)) * DAY + 3600),
                steps,
                audience: 3 + i as i64,
                minutes: 60 + 30 * (i as i64 % 4),
                peer: i % 7,
                paid: if i % 2 == 0 {
                    10_000 + 100 * i as i64
                } else {
                    0
                },
                expense: if i % 3 == 0 { 1_550 } else { 0 },
            }
        })
        .chain(std::iter::once(Req {
            // Proposed, declined, back to be examined: it was proposed.
            dept: "34",
            kind: "former",
            host: "association",
            sent: ts(2024, 2, 3),
            steps: vec!["qualified", "proposed", "qualified"],
            done_at: None,
            audience: 10,
            minutes: 60,
            peer: 0,
            paid: 0,
            expense: 0,
        }))
        .collect()
}

async fn seed_requests(db: &Db, peers: &[(i64, i64)]) {
    let mut orgs = Vec::new();
    for (n, kind) in HOSTS.iter().enumerate() {
        orgs.push(
            exec(
                db,
                "INSERT INTO organisations (slug, name, kind, created_at) VALUES ($1, $2, $3, 0) RETURNING id",
                &[B::T(&format!("ind-org-{n}")), B::T(&format!("Organisation Secrète {n}")), B::T(kind)],
            )
            .await,
        );
    }
    for (i, r) in requests().iter().enumerate() {
        let status = r.steps.last().copied().unwrap_or("submitted");
        let org = orgs[HOSTS.iter().position(|h| *h == r.host).unwrap()];
        let id = exec(
            db,
            "INSERT INTO intervention_requests (public_id, status, form, contact_email, kind, subject, department_code, \
             organisation_id, audience_size, scheduled_start, scheduled_end, created_at, updated_at, submitted_at, done_at) \
             VALUES ($1, $2, '', 'secret.contact@exemple.fr', $3, 'Sujet', $4, $5, $6, $7, $8, $9, $9, $9, $8) RETURNING id",
            &[
                B::T(&format!("ind-demande-{i}")),
                B::T(status),
                B::T(r.kind),
                B::T(r.dept),
                B::I(org),
                B::I(r.audience),
                r.done_at.map_or(B::N, |d| B::I(d - r.minutes * 60)),
                r.done_at.map_or(B::N, B::I),
                B::I(r.sent),
            ],
        )
        .await;
        let mut from = "submitted";
        exec(
            db,
            "INSERT INTO request_transitions (request_id, from_status, to_status, created_at) VALUES ($1, 'draft', 'submitted', $2) RETURNING id",
            &[B::I(id), B::I(r.sent)],
        )
        .await;
        for (k, step) in r.steps.iter().enumerate() {
            let at = match (*step, r.done_at) {
                ("done", Some(d)) => d,
                ("evaluated", Some(d)) => d + DAY,
                _ => r.sent + (k as i64 + 1) * 3600,
            };
            exec(
                db,
                "INSERT INTO request_transitions (request_id, from_status, to_status, reason, created_at) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
                &[
                    B::I(id),
                    B::T(from),
                    B::T(step),
                    if *step == "cancelled" { B::T("Annulée par Madame Secrète") } else { B::NT },
                    B::I(at),
                ],
            )
            .await;
            from = step;
        }
        if r.done_at.is_some() {
            let (account, profile) = peers[r.peer];
            exec(
                db,
                "INSERT INTO request_proposals (public_id, request_id, profile_id, account_id, status, deadline, created_at) \
                 VALUES ($1, $2, $3, $4, 'accepted', 0, $5) RETURNING id",
                &[B::T(&format!("ind-prop-{i}")), B::I(id), B::I(profile), B::I(account), B::I(r.sent)],
            )
            .await;
            exec(
                db,
                "INSERT INTO request_payments (request_id, fee_cents, payer, status, updated_at) \
                 VALUES ($1, $2, 'host', $3, 0) RETURNING request_id",
                &[
                    B::I(id),
                    B::I(r.paid.max(9_000)),
                    B::T(if r.paid > 0 { "paid" } else { "due" }),
                ],
            )
            .await;
            if r.expense > 0 {
                exec(
                    db,
                    "INSERT INTO request_expenses (public_id, request_id, label, amount_cents, created_at) \
                     VALUES ($1, $2, 'Train', $3, 0) RETURNING id",
                    &[B::T(&format!("ind-frais-{i}")), B::I(id), B::I(r.expense)],
                )
                .await;
            }
        }
    }
}

/// The test's own counts for the requests of `depts` in 2024, `kind` if given.
struct Expected {
    received: i64,
    studied: i64,
    proposed: i64,
    accepted: i64,
    done_funnel: i64,
    cancelled: i64,
    received_march: i64,
    done: i64,
    done_by_kind: Vec<(String, i64)>,
    minutes: i64,
    audience: i64,
    peers: i64,
    paid: i64,
    expenses: i64,
    median_days: i64,
}

fn expected(depts: &[&str], kind: Option<&str>) -> Expected {
    let all = requests();
    let here: Vec<&Req> = all
        .iter()
        .filter(|r| depts.contains(&r.dept) && kind.is_none_or(|k| r.kind == k))
        .collect();
    let cohort: Vec<&&Req> = here.iter().filter(|r| in_2024(r.sent)).collect();
    let reached = |s: &str| cohort.iter().filter(|r| r.steps.contains(&s)).count() as i64;
    let done: Vec<&&Req> = here
        .iter()
        .filter(|r| r.done_at.is_some_and(in_2024))
        .collect();
    let mut days: Vec<i64> = done
        .iter()
        .map(|r| (r.done_at.unwrap() - r.sent) / DAY)
        .collect();
    days.sort();
    let mut peers: Vec<usize> = done.iter().map(|r| r.peer).collect();
    peers.sort();
    peers.dedup();
    let march = (ts(2024, 3, 1) - 10 * 3600, ts(2024, 4, 1) - 10 * 3600);
    Expected {
        received: cohort.len() as i64,
        studied: reached("qualified"),
        proposed: reached("proposed"),
        accepted: reached("accepted"),
        done_funnel: reached("done"),
        cancelled: reached("cancelled"),
        received_march: cohort
            .iter()
            .filter(|r| r.sent >= march.0 && r.sent < march.1)
            .count() as i64,
        done: done.len() as i64,
        done_by_kind: KINDS
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    done.iter().filter(|r| r.kind == *k).count() as i64,
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect(),
        minutes: done.iter().map(|r| r.minutes).sum(),
        audience: done.iter().map(|r| r.audience).sum(),
        peers: peers.len() as i64,
        paid: done.iter().map(|r| r.paid).sum(),
        expenses: done.iter().map(|r| r.expense).sum(),
        median_days: if days.is_empty() {
            -1
        } else {
            days[(days.len() - 1) / 2]
        },
    }
}

/// Trainings: (programme audience, département, year, trainees, half-days).
const SESSIONS: [(&str, &str, i32, usize, usize); 4] = [
    ("peer", "34", 2024, 6, 3),
    ("referent", "81", 2024, 2, 2),
    ("peer", "29", 2024, 3, 2),
    ("peer", "34", 2023, 5, 2),
];

/// Whether trainee `k` was present on half-day `h`.
fn present(k: usize, h: usize) -> bool {
    !(k + h).is_multiple_of(4)
}

async fn seed_trainings(db: &Db) {
    let programme = |audience: &str| {
        let audience = audience.to_owned();
        async move {
            exec(
                db,
                "SELECT id FROM training_programmes WHERE audience = $1 ORDER BY id LIMIT 1",
                &[B::T(&audience)],
            )
            .await
        }
    };
    let mut n = 0;
    for (s, (audience, dept, year, trainees, half_days)) in SESSIONS.iter().enumerate() {
        let prog = programme(audience).await;
        let session = exec(
            db,
            "INSERT INTO training_sessions (slug, programme_id, title, place, department_code, capacity, places_taken, \
             trainers, peer_trainers, created_at, updated_at) VALUES ($1, $2, 'Session', 'Salle', $3, 20, 0, '', '', 0, 0) RETURNING id",
            &[B::T(&format!("ind-session-{s}")), B::I(prog), B::T(dept)],
        )
        .await;
        let mut days = Vec::new();
        for h in 0..*half_days {
            let at = ts(*year, 3 + s as u32, 2 + h as u32);
            days.push(
                exec(
                    db,
                    "INSERT INTO training_half_days (session_id, starts_at, ends_at) VALUES ($1, $2, $2 + 10800) RETURNING id",
                    &[B::I(session), B::I(at)],
                )
                .await,
            );
        }
        for k in 0..*trainees {
            n += 1;
            let who = account(db, "stagiaire", n, dept).await;
            let app = exec(
                db,
                "INSERT INTO training_applications (public_id, session_id, account_id, motivation, needs, status, completed_at, created_at) \
                 VALUES ($1, $2, $3, '', '', 'completed', $4, 0) RETURNING id",
                &[B::T(&format!("ind-app-{n}")), B::I(session), B::I(who), B::I(ts(*year, 6, 30))],
            )
            .await;
            for (h, day) in days.iter().enumerate() {
                exec(
                    db,
                    "INSERT INTO training_attendance (application_id, half_day_id, present) VALUES ($1, $2, $3) RETURNING application_id",
                    &[B::I(app), B::I(*day), B::I(i64::from(present(k, h)))],
                )
                .await;
            }
        }
    }
}

/// Events: (département, year, information meeting, cancelled, registrations, present).
const EVENTS: [(&str, i32, bool, bool, usize, usize); 5] = [
    ("34", 2024, false, false, 7, 4),
    ("81", 2024, true, false, 3, 2),
    ("34", 2024, false, true, 5, 0),
    ("34", 2023, false, false, 6, 6),
    ("29", 2024, false, false, 5, 5),
];

async fn seed_events(db: &Db) {
    for (n, (dept, year, meeting, cancelled, regs, yes)) in EVENTS.iter().enumerate() {
        let at = ts(*year, 6, 10 + n as u32);
        let id = exec(
            db,
            "INSERT INTO events (slug, title, description, description_easy, audience, starts_at, ends_at, online, \
             step_free, department_code, organiser, capacity, seats_taken, deadline, accessibility, questions, \
             created_at, updated_at, cancelled_at, information_meeting) \
             VALUES ($1, 'Rencontre', 'x', 'x', 'x', $2, $2 + 3600, 0, 0, $3, 'x', 50, 0, $2, '', '', $2, $2, $4, $5) RETURNING id",
            &[
                B::T(&format!("ind-evenement-{n}")),
                B::I(at),
                B::T(dept),
                if *cancelled { B::I(at - DAY) } else { B::N },
                B::I(i64::from(*meeting)),
            ],
        )
        .await;
        for k in 0..*regs {
            exec(
                db,
                "INSERT INTO event_registrations (event_id, name, email, needs, answers, status, consent_version, created_at, attended) \
                 VALUES ($1, $2, $3, '', '', 'confirmed', 'essai', $4, $5) RETURNING id",
                &[
                    B::I(id),
                    B::T(&format!("Participantsecret {n}-{k}")),
                    B::T(&format!("participant.secret{n}.{k}@exemple.fr")),
                    B::I(at - DAY),
                    B::I(i64::from(k < *yes)),
                ],
            )
            .await;
        }
    }
}

/// Candidates: (département, sent in, trained).
const CANDIDATES: [(&str, Option<i32>, bool); 9] = [
    ("34", Some(2024), true),
    ("34", Some(2024), true),
    ("81", Some(2024), false),
    ("81", Some(2024), false),
    ("31", Some(2024), false),
    ("34", Some(2024), false),
    ("34", None, false),
    ("34", Some(2023), true),
    ("29", Some(2024), false),
];

async fn seed_candidates(db: &Db) {
    for (n, (dept, sent, trained)) in CANDIDATES.iter().enumerate() {
        let at = sent.map(|y| ts(y, 4, 1 + n as u32));
        exec(
            db,
            "INSERT INTO candidate_applications (public_id, audience, status, name, department_code, email, actions, needs, \
             created_at, updated_at, sent_at) VALUES ($1, 'peer', $2, $3, $4, $5, '', '', 0, 0, $6) RETURNING id",
            &[
                B::T(&format!("ind-candidat-{n}")),
                B::T(if *trained { "trained" } else if sent.is_some() { "new" } else { "draft" }),
                B::T(&format!("Candidatsecret {n}")),
                B::T(dept),
                B::T(&format!("candidat.secret{n}@exemple.fr")),
                at.map_or(B::N, B::I),
            ],
        )
        .await;
    }
}

/// The answers to « utile » in Occitanie in 2024 (a step, or `None` for
/// « je préfère ne pas répondre »), and the people asked there.
const UTILE_OCCITANIE: [Option<i64>; 9] = [
    Some(5),
    Some(5),
    Some(5),
    Some(5),
    Some(5),
    Some(5),
    Some(4),
    Some(4),
    None,
];
const ASKED_OCCITANIE: usize = 20;

async fn seed_answers(db: &Db) {
    let q = exec(
        db,
        "INSERT INTO questionnaires (purpose, version, title, questions, created_at) VALUES ('intervention', 50, 'Avis', $1, 0) RETURNING id",
        &[B::T(
            r#"[{"code":"utile","wording":"L’intervention a-t-elle été utile ?","easy_wording":"Utile ?","required":true,"kind":"echelle"},{"code":"combien","wording":"Combien de personnes ?","easy_wording":"Combien ?","required":false,"kind":{"code":"nombre","min":0,"max":999}}]"#,
        )],
    )
    .await;
    for n in 0..ASKED_OCCITANIE + 4 {
        let dept = if n < ASKED_OCCITANIE { "34" } else { "29" };
        exec(
            db,
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, email, \
             department_code, intervention_kind, created_at, sent_at) VALUES ($1, $2, 'intervention', $3, 'host', $4, $5, 'former', $6, $6) RETURNING id",
            &[
                B::I(q),
                B::T(&format!("ind-jeton-{n}")),
                B::I(n as i64),
                B::T(&format!("invite.secret{n}@exemple.fr")),
                B::T(dept),
                B::I(ts(2024, 9, 1)),
            ],
        )
        .await;
    }
    let answers: Vec<(&str, Option<i64>)> = UTILE_OCCITANIE
        .iter()
        .map(|v| ("34", *v))
        .chain([("29", Some(1)), ("34", Some(2))])
        .collect();
    for (n, (dept, value)) in answers.iter().enumerate() {
        // The last one answered in 2023: not counted.
        let at = if n == answers.len() - 1 {
            ts(2023, 9, 2)
        } else {
            ts(2024, 9, 2)
        };
        let r = exec(
            db,
            "INSERT INTO questionnaire_responses (questionnaire_id, subject_kind, subject_id, respondent, department_code, \
             intervention_kind, created_at) VALUES ($1, 'intervention', $2, 'host', $3, 'former', $4) RETURNING id",
            &[B::I(q), B::I(n as i64), B::T(dept), B::I(at)],
        )
        .await;
        exec(
            db,
            "INSERT INTO questionnaire_answers (response_id, question_code, value, declined) VALUES ($1, 'utile', $2, $3) RETURNING id",
            &[B::I(r), value.map_or(B::N, B::I), B::I(i64::from(value.is_none()))],
        )
        .await;
        exec(
            db,
            "INSERT INTO questionnaire_answers (response_id, question_code, value, declined) VALUES ($1, 'combien', 12, 0) RETURNING id",
            &[B::I(r)],
        )
        .await;
    }
}

pub async fn seed(app: &App) {
    let mut peers = Vec::new();
    for n in 0..7 {
        peers.push(peer(&app.db, n, OCCITANIE[n % 3]).await);
    }
    seed_requests(&app.db, &peers).await;
    seed_trainings(&app.db).await;
    seed_events(&app.db).await;
    seed_candidates(&app.db).await;
    seed_answers(&app.db).await;
}

async fn api(c: &mut crate::harness::Client, query: &str) -> (StatusCode, Value) {
    let page = c.get(&format!("/api/v1/indicators?{query}")).await;
    let v = serde_json::from_str(&page.body).unwrap_or_else(|_| panic!("{query}: {}", page.body));
    (page.status, v)
}

/// The cell of a section's row (`col`-th value column) as (shown, value).
fn cell(v: &Value, section: &str, row: &str, col: usize) -> (String, Option<i64>) {
    let s = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == section)
        .unwrap_or_else(|| panic!("no section {section}"));
    let r = s["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["label"] == row)
        .unwrap_or_else(|| panic!("no row {row} in {section}: {s}"));
    let c = &r["cells"][col];
    (c["shown"].as_str().unwrap().to_owned(), c["value"].as_i64())
}

fn value(v: &Value, section: &str, row: &str) -> i64 {
    cell(v, section, row, 0)
        .1
        .unwrap_or_else(|| panic!("{section} / {row} hidden"))
}

fn no_personal_data(body: &str) {
    for secret in [
        "Secret",
        "secret",
        "Candidatsecret",
        "Participantsecret",
        "exemple.fr",
        "Madame",
    ] {
        assert!(!body.contains(secret), "« {secret} » in\n{body}");
    }
}

#[tokio::test]
async fn the_coordinator_sees_exactly_what_the_test_counts() {
    for app in apps().await {
        seed(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let (status, v) = api(&mut coord, "annee=2024&region=76").await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["exact"], true);
        let e = expected(&OCCITANIE, None);
        assert!(
            e.done > 0 && e.cancelled > 0 && e.peers >= 5,
            "a varied seed"
        );
        for (row, n) in [
            ("Reçues", e.received),
            ("Examinées par la coordination", e.studied),
            ("Proposées à des intervenants-pairs", e.proposed),
            ("Acceptées par un intervenant-pair", e.accepted),
            ("Réalisées", e.done_funnel),
            ("Annulées", e.cancelled),
        ] {
            assert_eq!(value(&v, "demandes", row), n, "{row}");
        }
        assert_eq!(value(&v, "mois", "mars 2024"), e.received_march);
        let done_months: i64 = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == "mois")
            .unwrap()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["cells"][1]["value"].as_i64().unwrap())
            .sum();
        assert_eq!(done_months, e.done);
        for (kind, n) in &e.done_by_kind {
            let label = epop_domain::directory::InterventionKind::parse(kind)
                .unwrap()
                .label();
            assert_eq!(value(&v, "interventions-type", label), *n, "{kind}");
        }
        assert_eq!(
            value(&v, "heures-public", "Heures d’intervention"),
            (e.minutes * 10 + 30) / 60
        );
        assert_eq!(value(&v, "heures-public", "Personnes touchées"), e.audience);
        assert_eq!(value(&v, "delai", "Délai médian"), e.median_days * 10);
        assert_eq!(
            value(
                &v,
                "pairs",
                "Intervenants-pairs actifs (au moins une intervention)"
            ),
            e.peers
        );
        assert_eq!(value(&v, "argent", "Rémunérations versées"), e.paid);
        assert_eq!(value(&v, "argent", "Frais déclarés"), e.expenses);
        // Trainings of 2024 in Occitanie: sessions 0 and 1.
        let here: Vec<_> = SESSIONS
            .iter()
            .filter(|s| in_occitanie(s.1) && s.2 == 2024)
            .collect();
        assert_eq!(value(&v, "formations", "Sessions"), here.len() as i64);
        assert_eq!(
            value(&v, "formations", "Demi-journées"),
            here.iter().map(|s| s.4 as i64).sum::<i64>()
        );
        assert_eq!(
            value(&v, "formations", "Stagiaires"),
            here.iter().map(|s| s.3 as i64).sum::<i64>()
        );
        let (mut yes, mut marks) = (0, 0);
        for s in &here {
            for k in 0..s.3 {
                for h in 0..s.4 {
                    marks += 1;
                    yes += i64::from(present(k, h));
                }
            }
        }
        assert_eq!(
            value(&v, "formations", "Taux de présence"),
            (yes * 100 + marks / 2) / marks
        );
        let trained = |a: &str| {
            SESSIONS
                .iter()
                .filter(|s| s.0 == a && in_occitanie(s.1) && s.2 == 2024)
                .map(|s| s.3 as i64)
                .sum::<i64>()
        };
        assert_eq!(
            value(&v, "pairs", "Intervenants-pairs formés"),
            trained("peer")
        );
        assert_eq!(value(&v, "pairs", "Référents formés"), trained("referent"));
        let ev = |meeting: bool, f: fn(&(&str, i32, bool, bool, usize, usize)) -> i64| {
            EVENTS
                .iter()
                .filter(|e| in_occitanie(e.0) && e.1 == 2024 && e.2 == meeting && !e.3)
                .map(f)
                .sum::<i64>()
        };
        assert_eq!(value(&v, "evenements", "Événements"), ev(false, |_| 1));
        assert_eq!(
            cell(&v, "evenements", "Événements", 1).1,
            Some(ev(false, |e| e.4 as i64))
        );
        assert_eq!(
            cell(&v, "evenements", "Événements", 2).1,
            Some(ev(false, |e| e.5 as i64))
        );
        assert_eq!(
            value(&v, "evenements", "Réunions d’information"),
            ev(true, |_| 1)
        );
        assert_eq!(
            cell(&v, "evenements", "Réunions d’information", 2).1,
            Some(ev(true, |e| e.5 as i64))
        );
        let sent: Vec<_> = CANDIDATES
            .iter()
            .filter(|c| in_occitanie(c.0) && c.1 == Some(2024))
            .collect();
        assert_eq!(
            value(&v, "candidatures", "Candidatures envoyées"),
            sent.len() as i64
        );
        assert_eq!(
            value(
                &v,
                "candidatures",
                "Devenues intervenants-pairs ou référents"
            ),
            sent.iter().filter(|c| c.2).count() as i64
        );
        let sat = "satisfaction-intervention-utile";
        let step = |s: i64| UTILE_OCCITANIE.iter().filter(|v| **v == Some(s)).count() as i64;
        assert_eq!(value(&v, sat, "Très bien"), step(5));
        assert_eq!(value(&v, sat, "Bien"), step(4));
        assert_eq!(value(&v, sat, "Pas bien du tout"), 0);
        assert_eq!(value(&v, sat, "Je préfère ne pas répondre"), 1);
        assert_eq!(value(&v, sat, "Total des réponses"), step(5) + step(4));
        let answered = UTILE_OCCITANIE.len() as i64;
        assert_eq!(
            cell(&v, "questionnaires", "Après une intervention", 2).1,
            Some((answered * 100 + ASKED_OCCITANIE as i64 / 2) / ASKED_OCCITANIE as i64)
        );
        assert_eq!(
            value(&v, "questionnaires", "Après une intervention"),
            ASKED_OCCITANIE as i64
        );
        no_personal_data(&v.to_string());
        // The page says the same, in a sentence.
        let page = coord.get("/indicateurs?annee=2024&region=76").await;
        assert_eq!(page.status, StatusCode::OK);
        let sentence = format!(
            "En 2024, {} demandes reçues, dont {} réalisées.",
            e.received, e.done_funnel
        );
        assert!(page.body.contains(&sentence), "{sentence}\n{}", page.body);
        assert!(page.body.contains("tous les chiffres sont exacts"));
        no_personal_data(&page.body);
        // A kind of intervention: only its requests.
        let (_, v) = api(&mut coord, "annee=2024&region=76&type=former").await;
        let f = expected(&OCCITANIE, Some("former"));
        assert_eq!(value(&v, "demandes", "Reçues"), f.received);
        assert_eq!(value(&v, "demandes", "Réalisées"), f.done_funnel);
        assert!(f.received < e.received);
        // Months: from March to May only.
        let (_, v) = api(&mut coord, "du=2024-03&au=2024-05&region=76").await;
        let rows = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == "mois")
            .unwrap()["rows"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(rows, 3);
        assert_eq!(value(&v, "mois", "mars 2024"), e.received_march);
    }
}

#[tokio::test]
async fn a_funder_sees_their_territory_masked_and_nothing_else() {
    for app in apps().await {
        seed(&app).await;
        let mut funder = app.signed_in("financeur@demo.epop.test").await;
        let (status, v) = api(&mut funder, "annee=2024&region=76").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(v["exact"], false);
        let e = expected(&OCCITANIE, None);
        // Things are exact; people below 5 are hidden.
        assert_eq!(value(&v, "demandes", "Reçues"), e.received);
        assert_eq!(
            cell(&v, "pairs", "Référents formés", 0),
            ("moins de 5".into(), None)
        );
        assert_eq!(
            cell(&v, "evenements", "Réunions d’information", 2),
            ("moins de 5".into(), None)
        );
        let sat = "satisfaction-intervention-utile";
        assert_eq!(cell(&v, sat, "Bien", 0), ("moins de 5".into(), None));
        assert_eq!(value(&v, sat, "Très bien"), 6);
        // The total would give the hidden step away: not given.
        let s = v["sections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["code"] == sat)
            .unwrap();
        assert!(!s.to_string().contains("Total des réponses"), "{s}");
        // The coordinator of the territory sees the same figures exactly.
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let (_, exact) = api(&mut coord, "annee=2024&region=76").await;
        assert_eq!(value(&exact, "pairs", "Référents formés"), 2);
        assert_eq!(value(&exact, sat, "Bien"), 2);
        // One département with fewer than 5 peers: the money is not said.
        let (status, dept) = api(&mut funder, "annee=2024&departement=31").await;
        assert_eq!(status, StatusCode::OK);
        let in_31 = expected(&["31"], None);
        assert!(in_31.peers < 5 && in_31.paid > 0);
        assert_eq!(
            cell(&dept, "argent", "Rémunérations versées", 0),
            ("non communiqué".into(), None)
        );
        no_personal_data(&v.to_string());
        no_personal_data(&dept.to_string());
        // Another région, the whole country, a département outside: refused,
        // on the page and in the API, and never offered.
        for q in [
            "annee=2024&region=53",
            "annee=2024&territoire=national",
            "annee=2024&departement=29",
            "annee=2024&territoire=region-53",
        ] {
            let (status, body) = api(&mut funder, q).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{q}: {body}");
            assert_eq!(
                funder.get(&format!("/indicateurs?{q}")).await.status,
                StatusCode::FORBIDDEN,
                "{q}"
            );
        }
        let page = funder.get("/indicateurs?annee=2024").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("value=\"region-76\" selected"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("region-53") && !page.body.contains("value=\"national\""));
        assert!(page.body.contains("moins de 5"));
        no_personal_data(&page.body);
        // The Hauts-de-France coordinator does not see Occitanie.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            api(&mut hdf, "annee=2024&region=76").await.0,
            StatusCode::FORBIDDEN
        );
        // People without a territorial role: refused; nobody signed in: 401.
        for who in [
            "pair@demo.epop.test",
            "demandeur@demo.epop.test",
            "referente@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            assert_eq!(
                c.get("/indicateurs").await.status,
                StatusCode::FORBIDDEN,
                "{who}"
            );
            assert_eq!(
                api(&mut c, "annee=2024").await.0,
                StatusCode::FORBIDDEN,
                "{who}"
            );
        }
        assert_eq!(
            api(&mut app.client(), "annee=2024").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
}

#[tokio::test]
async fn admins_see_the_whole_country_and_both_regions_add_up() {
    for app in apps().await {
        seed(&app).await;
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let (status, national) = api(&mut admin, "annee=2024").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(national["filter"]["territory"], "national");
        assert_eq!(national["exact"], true);
        let all: Vec<&str> = OCCITANIE.iter().chain(BRETAGNE.iter()).copied().collect();
        let e = expected(&all, None);
        assert_eq!(value(&national, "demandes", "Reçues"), e.received);
        assert_eq!(value(&national, "demandes", "Réalisées"), e.done_funnel);
        assert_eq!(value(&national, "argent", "Rémunérations versées"), e.paid);
        let (_, bretagne) = api(&mut admin, "annee=2024&region=53").await;
        let (_, occitanie) = api(&mut admin, "annee=2024&region=76").await;
        for (s, r) in [
            ("demandes", "Reçues"),
            ("demandes", "Annulées"),
            ("heures-public", "Personnes touchées"),
        ] {
            assert_eq!(
                value(&national, s, r),
                value(&bretagne, s, r) + value(&occitanie, s, r),
                "{s} / {r}"
            );
        }
        // The other year holds the other requests.
        let (_, y2023) = api(&mut admin, "annee=2023").await;
        let in_2023 = requests().iter().filter(|r| !in_2024(r.sent)).count() as i64;
        assert_eq!(value(&y2023, "demandes", "Reçues"), in_2023);
        // The OpenAPI document names the route.
        let doc = admin.get("/api/openapi.json").await;
        assert!(doc.body.contains("/api/v1/indicators"));
    }
}

#[tokio::test]
async fn bad_filters_say_what_is_wrong_in_french() {
    for app in apps().await {
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        for (q, field, words) in [
            ("annee=deux", "annee", "« deux » n’est pas une année"),
            ("annee=1990", "annee", "entre 2020 et 2100"),
            (
                "region=99",
                "territoire",
                "« 99 » n’est pas un code de région",
            ),
            (
                "departement=20",
                "territoire",
                "n’est pas un numéro de département",
            ),
            (
                "type=danser",
                "type",
                "« danser » n’est pas un type d’intervention",
            ),
            (
                "du=2024-05&au=2024-01",
                "au",
                "le dernier mois vient avant le premier",
            ),
            ("du=2024-13&au=2024-14", "du", "n’est pas un mois"),
            (
                "region=76&departement=31",
                "territoire",
                "un seul territoire",
            ),
        ] {
            let page = coord.get(&format!("/indicateurs?{q}")).await;
            assert_eq!(page.status, StatusCode::BAD_REQUEST, "{q}");
            page.assert_field_error(field, words);
            let (status, body) = api(&mut coord, q).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{q}");
            assert!(
                body["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(words),
                "{q}: {body}"
            );
        }
        // A malformed query reads as no filter, never a 500.
        let page = coord.get("/indicateurs?%zz=%%").await;
        assert_eq!(page.status, StatusCode::OK);
    }
}

#[tokio::test]
async fn the_audience_size_and_the_day_done_are_kept_for_the_figures() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let f = request_fields("demandeur@demo.epop.test");
        let page = requester
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        assert!(
            page.status.is_redirection() || page.status == StatusCode::OK,
            "{}",
            page.body
        );
        let sizes: Vec<Option<i64>> = sqlx::query_scalar(
            "SELECT audience_size FROM intervention_requests WHERE subject = $1 AND status = 'submitted'",
        )
        .bind("Sensibiliser l’équipe d’accueil")
        .fetch_all(app.db.pool())
        .await
        .unwrap();
        assert_eq!(sizes, vec![Some(12)], "{}", page.body);
        // Marking it done keeps when, once, on the request.
        let id: i64 = sqlx::query_scalar("SELECT id FROM intervention_requests WHERE subject = $1")
            .bind("Sensibiliser l’équipe d’accueil")
            .fetch_one(app.db.pool())
            .await
            .unwrap();
        let mut conn = app.db.conn().await.unwrap();
        let at = ts(2024, 5, 6);
        epop_store::requests::record(&mut conn, id, Some("scheduled"), "done", None, None, at)
            .await
            .unwrap();
        epop_store::requests::record(&mut conn, id, Some("done"), "done", None, None, at + DAY)
            .await
            .unwrap();
        let done_at: Option<i64> =
            sqlx::query_scalar("SELECT done_at FROM intervention_requests WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        assert_eq!(done_at, Some(at));
    }
}
