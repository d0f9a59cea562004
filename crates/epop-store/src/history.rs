//! A made-up history of the network for the indicators' benchmark
//! (`seed-bench --interventions N`): organisations of every kind,
//! intervention requests through every state over six years (with their
//! steps, proposals, payments, expenses, questionnaire invitations and
//! answers), and, in proportion, training sessions with attendance, events
//! with registrations and attendance, and candidates.
//!
//! Rows are made by the database itself (`INSERT … SELECT` over a series of
//! numbers, 20,000 requests per transaction), so a million requests take
//! minutes, not hours. Every choice derives from the row's number: the same
//! `N` gives the same history, and a second run only completes what is
//! missing. Needs the synthetic profiles of `seed-bench --profiles` first
//! (the peers proposed and the trainees).

use sqlx::{AnyConnection, Connection, Row};

use crate::{Db, Engine};

/// Requests made per transaction.
const CHUNK: i64 = 20_000;
/// 2021-01-01 00:00 UTC: the history starts here…
const START: i64 = 1_609_459_200;
/// …and runs to 2026-09-01, so that everything done is in the past.
const SPAN: i64 = 1_788_220_800 - START;
/// Bench organisations, trainees' accounts and proposed peers drawn from.
const ORGANISATIONS: i64 = 2_000;

/// What was made, for the command's summary.
#[derive(Debug, Default)]
pub struct Made {
    pub requests: i64,
    pub sessions: i64,
    pub events: i64,
    pub candidates: i64,
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The numbers `from..to` as a table `s(n)` (a CTE).
fn series(engine: Engine, from: i64, to: i64) -> String {
    match engine {
        Engine::Postgres => format!(
            "s(n) AS (SELECT generate_series(CAST({from} AS BIGINT), CAST({} AS BIGINT)))",
            to - 1
        ),
        Engine::Sqlite => format!(
            "RECURSIVE s(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {})",
            to - 1
        ),
    }
}

/// The day of a Unix time as `YYYY-MM-DD`.
fn day_of(engine: Engine, seconds: &str) -> String {
    match engine {
        Engine::Postgres => {
            format!("to_char(to_timestamp({seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')")
        }
        Engine::Sqlite => format!("date({seconds}, 'unixepoch')"),
    }
}

/// Runs one statement made here from constants and numbers (no input).
async fn exec(conn: &mut AnyConnection, sql: &str) -> Result<u64, String> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *conn)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| format!("{e}\n{sql}"))
}

async fn count(conn: &mut AnyConnection, sql: &str) -> Result<i64, String> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut *conn)
        .await
        .map(|r| r.get::<i64, _>(0))
        .map_err(|e| format!("{e}\n{sql}"))
}

/// Lookup tables of this connection: départements, kinds, organisations,
/// peers (accepted on proposals) and accounts (trainees), each numbered
/// from 0 so a row number picks one by modulo.
async fn lookups(conn: &mut AnyConnection, engine: Engine) -> Result<(i64, i64, i64), String> {
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS h_depts (i INTEGER PRIMARY KEY, code TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS h_kinds (i INTEGER PRIMARY KEY, code TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS h_orgs (i INTEGER PRIMARY KEY, id BIGINT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS h_peers (i INTEGER PRIMARY KEY, profile_id BIGINT NOT NULL, account_id BIGINT NOT NULL)",
        "DELETE FROM h_depts",
        "DELETE FROM h_kinds",
        "DELETE FROM h_orgs",
        "DELETE FROM h_peers",
        "INSERT INTO h_kinds (i, code) VALUES (0, 'accompagner'), (1, 'former'), (2, 'sensibiliser'), \
         (3, 'donner-son-avis'), (4, 'defendre-les-droits'), (5, 'creer-des-regles')",
    ] {
        exec(conn, sql).await?;
    }
    let numbered = |over: &str| format!("ROW_NUMBER() OVER (ORDER BY {over}) - 1");
    exec(
        conn,
        &format!(
            "INSERT INTO h_depts (i, code) SELECT {}, code FROM departments",
            numbered("code")
        ),
    )
    .await?;
    let kinds = [
        "association",
        "esat",
        "company",
        "training_school",
        "public_service",
    ];
    let have = count(
        conn,
        "SELECT COUNT(*) FROM organisations WHERE slug LIKE 'bench-organisation-%'",
    )
    .await?;
    if have < ORGANISATIONS {
        exec(
            conn,
            &format!(
                "WITH {} INSERT INTO organisations (slug, name, kind, department_code, created_at) \
                 SELECT 'bench-organisation-' || s.n, 'Organisation d’essai ' || s.n, \
                 CASE s.n % 5 {} END, d.code, {START} FROM s \
                 JOIN h_depts d ON d.i = s.n % (SELECT COUNT(*) FROM h_depts)",
                series(engine, have, ORGANISATIONS),
                kinds
                    .iter()
                    .enumerate()
                    .map(|(i, k)| format!("WHEN {i} THEN '{k}'"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        )
        .await?;
    }
    exec(
        conn,
        &format!(
            "INSERT INTO h_orgs (i, id) SELECT {}, id FROM organisations WHERE slug LIKE 'bench-organisation-%'",
            numbered("id")
        ),
    )
    .await?;
    exec(
        conn,
        &format!(
            "INSERT INTO h_peers (i, profile_id, account_id) SELECT {}, p.id, p.account_id \
             FROM profiles p JOIN accounts a ON a.id = p.account_id \
             WHERE a.email LIKE '%@bench.epop.test' AND p.account_id IS NOT NULL",
            numbered("p.id")
        ),
    )
    .await?;
    let depts = count(conn, "SELECT COUNT(*) FROM h_depts").await?;
    let peers = count(conn, "SELECT COUNT(*) FROM h_peers").await?;
    let orgs = count(conn, "SELECT COUNT(*) FROM h_orgs").await?;
    if peers == 0 {
        return Err(
            "Aucun profil d’essai : lancez d’abord « seed-bench --profiles 100000 ».".to_owned(),
        );
    }
    Ok((depts, orgs, peers))
}

/// The final state of request number `n` (a CASE over `s.n`): in 20, one
/// each sent, studied, proposed, accepted, scheduled, two cancelled, seven
/// done, four evaluated, three closed.
const STATUS: &str = "CASE s.n % 20 WHEN 0 THEN 'submitted' WHEN 1 THEN 'qualified' \
     WHEN 2 THEN 'proposed' WHEN 3 THEN 'accepted' WHEN 4 THEN 'scheduled' \
     WHEN 5 THEN 'cancelled' WHEN 6 THEN 'cancelled' \
     WHEN 14 THEN 'evaluated' WHEN 15 THEN 'evaluated' WHEN 16 THEN 'evaluated' WHEN 17 THEN 'evaluated' \
     WHEN 18 THEN 'closed' WHEN 19 THEN 'closed' ELSE 'done' END";

/// The steps every request went through, as (from, to, when, which
/// requests): `r` is the request, `c` its cancellation's stage (0 sent, 1
/// studied, 2 proposed).
const STEPS: [(&str, &str, &str, &str); 9] = [
    ("'draft'", "'submitted'", "r.submitted_at", "1 = 1"),
    (
        "'submitted'",
        "'qualified'",
        "r.submitted_at + 86400",
        "r.status NOT IN ('submitted', 'cancelled') OR (r.status = 'cancelled' AND r.id % 3 > 0)",
    ),
    (
        "'qualified'",
        "'proposed'",
        "r.submitted_at + 3 * 86400",
        "r.status NOT IN ('submitted', 'qualified', 'cancelled') OR (r.status = 'cancelled' AND r.id % 3 = 2)",
    ),
    (
        "'proposed'",
        "'accepted'",
        "r.submitted_at + 5 * 86400",
        "r.status IN ('accepted', 'scheduled', 'done', 'evaluated', 'closed')",
    ),
    (
        "'accepted'",
        "'scheduled'",
        "r.submitted_at + 6 * 86400",
        "r.status IN ('scheduled', 'done', 'evaluated', 'closed')",
    ),
    (
        "'scheduled'",
        "'done'",
        "r.scheduled_end",
        "r.status IN ('done', 'evaluated', 'closed')",
    ),
    (
        "'done'",
        "'evaluated'",
        "r.scheduled_end + 7 * 86400",
        "r.status IN ('evaluated', 'closed')",
    ),
    (
        "'evaluated'",
        "'closed'",
        "r.scheduled_end + 30 * 86400",
        "r.status = 'closed'",
    ),
    (
        "CASE r.id % 3 WHEN 0 THEN 'submitted' WHEN 1 THEN 'qualified' ELSE 'proposed' END",
        "'cancelled'",
        "r.submitted_at + 4 * 86400",
        "r.status = 'cancelled'",
    ),
];

/// Reasons of cancellations, in turn.
const REASONS: &str = "CASE r.id % 4 WHEN 0 THEN 'L’organisation a annulé l’événement' \
     WHEN 1 THEN 'Aucun intervenant-pair disponible à cette date' \
     WHEN 2 THEN 'Le budget n’a pas été accordé' ELSE 'Demande faite en double' END";

/// Requests `from..to` and everything that follows from each.
async fn requests(
    conn: &mut AnyConnection,
    engine: Engine,
    (from, to, total): (i64, i64, i64),
    (depts, orgs, peers): (i64, i64, i64),
) -> Result<(), String> {
    let mut tx = conn.begin().await.map_err(err)?;
    let at = format!("({START} + s.n * {SPAN} / {total} + (s.n * 7919) % 43200)");
    exec(
        &mut tx,
        &format!(
            "WITH {series} INSERT INTO intervention_requests (public_id, status, form, contact_email, kind, subject, \
             department_code, remote, fee_cents, organisation_id, created_at, updated_at, submitted_at, \
             scheduled_start, scheduled_end, audience_size, done_at) \
             SELECT 'bench-demande-' || s.n, {STATUS}, 'essai=1', 'demandes@bench.epop.test', k.code, \
             'Intervention d’essai ' || s.n, d.code, CASE WHEN s.n % 4 = 0 THEN 1 ELSE 0 END, \
             15000 + (s.n % 10) * 5000, o.id, {at}, {at}, {at}, \
             {at} + (10 + s.n % 50) * 86400, {at} + (10 + s.n % 50) * 86400 + (2 + s.n % 4) * 3600, \
             5 + (s.n * 13) % 60, \
             CASE WHEN s.n % 20 >= 7 THEN {at} + (10 + s.n % 50) * 86400 + (2 + s.n % 4) * 3600 END \
             FROM s JOIN h_depts d ON d.i = (s.n * 31) % {depts} JOIN h_orgs o ON o.i = s.n % {orgs} \
             JOIN h_kinds k ON k.i = (s.n / 20) % 6",
            series = series(engine, from, to),
        ),
    )
    .await?;
    let ids = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT MIN(id), MAX(id) FROM intervention_requests WHERE public_id IN ('bench-demande-{from}', 'bench-demande-{}')",
        to - 1
    )))
    .fetch_one(&mut *tx)
    .await
    .map_err(err)?;
    let (lo, hi): (i64, i64) = (ids.get(0), ids.get(1));
    let mine = format!("r.id BETWEEN {lo} AND {hi}");
    for (from_status, to_status, when, which) in STEPS {
        let reason = if to_status == "'cancelled'" {
            REASONS
        } else {
            "NULL"
        };
        exec(
            &mut tx,
            &format!(
                "INSERT INTO request_transitions (request_id, from_status, to_status, reason, created_at) \
                 SELECT r.id, {from_status}, {to_status}, {reason}, {when} FROM intervention_requests r \
                 WHERE {mine} AND ({which})"
            ),
        )
        .await?;
    }
    let done = "r.status IN ('done', 'evaluated', 'closed')";
    let statements = [
        // The peer proposed: accepted, still waiting, or withdrawn when cancelled.
        format!(
            "INSERT INTO request_proposals (public_id, request_id, profile_id, account_id, status, deadline, created_at, answered_at) \
             SELECT 'bench-proposition-' || r.id, r.id, p.profile_id, p.account_id, \
             CASE r.status WHEN 'proposed' THEN 'pending' WHEN 'cancelled' THEN 'withdrawn' ELSE 'accepted' END, \
             r.submitted_at + 8 * 86400, r.submitted_at + 3 * 86400, \
             CASE WHEN r.status IN ('proposed', 'cancelled') THEN NULL ELSE r.submitted_at + 5 * 86400 END \
             FROM intervention_requests r JOIN h_peers p ON p.i = (r.id * 17) % {peers} \
             WHERE {mine} AND (r.status NOT IN ('submitted', 'qualified', 'cancelled') OR (r.status = 'cancelled' AND r.id % 3 = 2))"
        ),
        format!(
            "INSERT INTO request_payments (request_id, fee_cents, payer, due_on, status, paid_on, updated_at) \
             SELECT r.id, r.fee_cents, CASE WHEN r.id % 2 = 0 THEN 'host' ELSE 'carrier' END, {}, \
             CASE WHEN r.id % 5 = 0 THEN 'due' ELSE 'paid' END, \
             CASE WHEN r.id % 5 = 0 THEN NULL ELSE {} END, r.scheduled_end \
             FROM intervention_requests r WHERE {mine} AND {done}",
            day_of(engine, "r.scheduled_end + 30 * 86400"),
            day_of(engine, "r.scheduled_end + 20 * 86400"),
        ),
        format!(
            "INSERT INTO request_expenses (public_id, request_id, label, amount_cents, created_at) \
             SELECT 'bench-frais-' || r.id, r.id, 'Billet de train', 1500 + (r.id % 40) * 100, r.scheduled_end \
             FROM intervention_requests r WHERE {mine} AND {done} AND r.id % 3 = 0"
        ),
        // Both sides asked their opinion, half of the hosts and a quarter
        // of the peers answering.
        format!(
            "INSERT INTO questionnaire_invitations (questionnaire_id, token_hash, subject_kind, subject_id, respondent, \
             email, department_code, intervention_kind, created_at, sent_at, reminded_at, answered_at) \
             SELECT q.id, 'bench-avis-' || w.side || '-' || r.id, 'intervention', r.id, w.side, NULL, r.department_code, r.kind, \
             r.scheduled_end + 86400, r.scheduled_end + 86400, \
             CASE WHEN {answered} THEN NULL ELSE r.scheduled_end + 8 * 86400 END, \
             CASE WHEN {answered} THEN r.scheduled_end + 3 * 86400 ELSE NULL END \
             FROM intervention_requests r \
             CROSS JOIN (SELECT 'host' AS side UNION ALL SELECT 'peer') w \
             JOIN questionnaires q ON q.purpose = 'intervention' AND q.version = 1 \
             WHERE {mine} AND {done}",
            answered = "((w.side = 'host' AND r.id % 2 = 0) OR (w.side = 'peer' AND r.id % 4 = 1))",
        ),
        format!(
            "INSERT INTO questionnaire_responses (questionnaire_id, subject_kind, subject_id, respondent, department_code, intervention_kind, created_at) \
             SELECT x.questionnaire_id, 'intervention', x.subject_id, x.respondent, x.department_code, x.intervention_kind, x.answered_at \
             FROM questionnaire_invitations x WHERE x.subject_kind = 'intervention' \
             AND x.subject_id BETWEEN {lo} AND {hi} AND x.answered_at IS NOT NULL"
        ),
        // Scale steps spread 5 > 4 > 3 > 2 > 1; one answer in 9 declined.
        format!(
            "INSERT INTO questionnaire_answers (response_id, question_code, value, declined) \
             SELECT x.id, c.code, CASE WHEN (x.id + c.k) % 9 = 0 THEN NULL \
             WHEN c.code = 'encore' THEN ((x.id + c.k) % 3) - 1 \
             ELSE CASE (x.id * 7 + c.k) % 10 WHEN 0 THEN 1 WHEN 1 THEN 2 WHEN 2 THEN 3 WHEN 3 THEN 3 \
             WHEN 4 THEN 4 WHEN 5 THEN 4 WHEN 6 THEN 4 ELSE 5 END END, \
             CASE WHEN (x.id + c.k) % 9 = 0 THEN 1 ELSE 0 END \
             FROM questionnaire_responses x \
             CROSS JOIN (SELECT 'ressenti' AS code, 1 AS k UNION ALL SELECT 'utile', 2 UNION ALL SELECT 'encore', 3) c \
             WHERE x.subject_kind = 'intervention' AND x.subject_id BETWEEN {lo} AND {hi}"
        ),
    ];
    for sql in &statements {
        exec(&mut tx, sql).await?;
    }
    tx.commit().await.map_err(err)
}

/// Training sessions (one per 1,000 requests, at least 6): four
/// half-days, ten trainees each (eight complete), attendance recorded.
async fn trainings(
    conn: &mut AnyConnection,
    engine: Engine,
    sessions: i64,
    (depts, _, peers): (i64, i64, i64),
) -> Result<i64, String> {
    let have = count(
        conn,
        "SELECT COUNT(*) FROM training_sessions WHERE slug LIKE 'bench-session-%'",
    )
    .await?;
    if have >= sessions {
        return Ok(0);
    }
    let mut tx = conn.begin().await.map_err(err)?;
    for (slug, audience, title) in [
        (
            "bench-formation-pairs",
            "peer",
            "Devenir intervenant-pair (essai)",
        ),
        (
            "bench-formation-referents",
            "referent",
            "Devenir référent (essai)",
        ),
    ] {
        exec(
            &mut tx,
            &format!(
                "INSERT INTO training_programmes (slug, title, audience, description, description_easy, duration, hours, created_at) \
                 SELECT '{slug}', '{title}', '{audience}', 'Formation d’essai.', 'Formation d’essai.', '2 jours', 14, {START} \
                 WHERE NOT EXISTS (SELECT 1 FROM training_programmes WHERE slug = '{slug}')"
            ),
        )
        .await?;
    }
    let starts = format!("({START} + s.n * {SPAN} / {sessions} + 9 * 3600)");
    exec(
        &mut tx,
        &format!(
            "WITH {} INSERT INTO training_sessions (slug, programme_id, title, place, department_code, capacity, places_taken, \
             trainers, peer_trainers, created_at, updated_at) \
             SELECT 'bench-session-' || s.n, p.id, 'Session d’essai ' || s.n, 'Salle municipale', d.code, 12, 10, \
             'Équipe de formation', '', {starts} - 60 * 86400, {starts} - 60 * 86400 \
             FROM s JOIN h_depts d ON d.i = (s.n * 7) % {depts} \
             JOIN training_programmes p ON p.slug = CASE WHEN s.n % 3 = 2 THEN 'bench-formation-referents' ELSE 'bench-formation-pairs' END",
            series(engine, have, sessions)
        ),
    )
    .await?;
    let mine = "ts.slug LIKE 'bench-session-%' \
         AND NOT EXISTS (SELECT 1 FROM training_half_days x WHERE x.session_id = ts.id)";
    let first = "CAST(substr(ts.slug, 15) AS BIGINT)";
    let day_one = format!("({START} + {first} * {SPAN} / {sessions} + 9 * 3600)");
    exec(
        &mut tx,
        &format!(
            "INSERT INTO training_half_days (session_id, starts_at, ends_at) \
             SELECT ts.id, {day_one} + h.k * 86400 + h.pm * 16200, {day_one} + h.k * 86400 + h.pm * 16200 + 3 * 3600 \
             FROM training_sessions ts CROSS JOIN (SELECT 0 AS k, 0 AS pm UNION ALL SELECT 0, 1 UNION ALL SELECT 1, 0 UNION ALL SELECT 1, 1) h \
             WHERE {mine}"
        ),
    )
    .await?;
    exec(
        &mut tx,
        &format!(
            "INSERT INTO training_applications (public_id, session_id, account_id, motivation, needs, status, completed_at, created_at) \
             SELECT 'bench-inscription-' || ts.id || '-' || t.k, ts.id, p.account_id, 'Essai', '', \
             CASE WHEN t.k < 8 THEN 'completed' ELSE 'accepted' END, \
             CASE WHEN t.k < 8 THEN {day_one} + 86400 + 8 * 3600 ELSE NULL END, {day_one} - 30 * 86400 \
             FROM training_sessions ts \
             CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 \
                UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9) t \
             JOIN h_peers p ON p.i = (ts.id * 10 + t.k) % {peers} \
             WHERE ts.slug LIKE 'bench-session-%' AND NOT EXISTS (SELECT 1 FROM training_applications a WHERE a.session_id = ts.id)"
        ),
    )
    .await?;
    exec(
        &mut tx,
        "INSERT INTO training_attendance (application_id, half_day_id, present) \
         SELECT a.id, h.id, CASE WHEN (a.id + h.id) % 7 = 0 THEN 0 ELSE 1 END \
         FROM training_applications a JOIN training_half_days h ON h.session_id = a.session_id \
         WHERE a.public_id LIKE 'bench-inscription-%' \
         AND NOT EXISTS (SELECT 1 FROM training_attendance x WHERE x.application_id = a.id)",
    )
    .await?;
    tx.commit().await.map_err(err)?;
    Ok(sessions - have)
}

/// Events (one per 500 requests, one in four an information meeting),
/// thirty registrations each, four in five attending.
async fn events(
    conn: &mut AnyConnection,
    engine: Engine,
    events: i64,
    depts: i64,
) -> Result<i64, String> {
    let have = count(
        conn,
        "SELECT COUNT(*) FROM events WHERE slug LIKE 'bench-evenement-%'",
    )
    .await?;
    if have >= events {
        return Ok(0);
    }
    let mut tx = conn.begin().await.map_err(err)?;
    let at = format!("({START} + s.n * {SPAN} / {events} + 14 * 3600)");
    exec(
        &mut tx,
        &format!(
            "WITH {} INSERT INTO events (slug, title, description, description_easy, audience, starts_at, ends_at, online, \
             step_free, department_code, organiser, capacity, seats_taken, deadline, accessibility, questions, created_at, \
             updated_at, information_meeting) \
             SELECT 'bench-evenement-' || s.n, 'Rencontre d’essai ' || s.n, 'Rencontre.', 'Rencontre.', 'Tout public', \
             {at}, {at} + 7200, CASE WHEN s.n % 5 = 0 THEN 1 ELSE 0 END, 1, d.code, 'Coordination', 40, 30, {at} - 86400, \
             '', '', {at} - 40 * 86400, {at} - 40 * 86400, CASE WHEN s.n % 4 = 0 THEN 1 ELSE 0 END \
             FROM s JOIN h_depts d ON d.i = (s.n * 11) % {depts}",
            series(engine, have, events)
        ),
    )
    .await?;
    let k = "(a.k * 5 + b.k)";
    exec(
        &mut tx,
        &format!(
            "INSERT INTO event_registrations (event_id, name, email, needs, answers, status, consent_version, created_at, attended) \
             SELECT e.id, 'Personne ' || {k}, 'inscrit-' || {k} || '@bench.epop.test', '', '', 'confirmed', '1', \
             e.starts_at - 20 * 86400, CASE WHEN (e.id + {k}) % 5 = 0 THEN 0 ELSE 1 END \
             FROM events e \
             CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5) a \
             CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4) b \
             WHERE e.slug LIKE 'bench-evenement-%' AND NOT EXISTS (SELECT 1 FROM event_registrations r WHERE r.event_id = e.id)"
        ),
    )
    .await?;
    tx.commit().await.map_err(err)?;
    Ok(events - have)
}

/// Candidates (one per 50 requests): statuses in turn, one in six trained.
async fn candidates(
    conn: &mut AnyConnection,
    engine: Engine,
    candidates: i64,
    depts: i64,
) -> Result<i64, String> {
    let have = count(
        conn,
        "SELECT COUNT(*) FROM candidate_applications WHERE public_id LIKE 'bench-candidature-%'",
    )
    .await?;
    if have >= candidates {
        return Ok(0);
    }
    let at = format!("({START} + s.n * {SPAN} / {candidates})");
    exec(
        conn,
        &format!(
            "WITH {} INSERT INTO candidate_applications (public_id, audience, status, name, department_code, email, actions, \
             needs, created_at, updated_at, sent_at) \
             SELECT 'bench-candidature-' || s.n, CASE WHEN s.n % 4 = 3 THEN 'referent' ELSE 'peer' END, \
             CASE s.n % 6 WHEN 0 THEN 'new' WHEN 1 THEN 'contacted' WHEN 2 THEN 'invited' WHEN 3 THEN 'training' \
             WHEN 4 THEN 'trained' ELSE 'closed' END, 'Candidat ' || s.n, d.code, 'candidat-' || s.n || '@bench.epop.test', \
             'sensibiliser', '', {at}, {at}, {at} FROM s JOIN h_depts d ON d.i = (s.n * 13) % {depts}",
            series(engine, have, candidates)
        ),
    )
    .await?;
    Ok(candidates - have)
}

/// The tables whose triggers log changes for the indicators' summary.
const SUMMARISED: [&str; 9] = [
    "intervention_requests",
    "request_transitions",
    "request_proposals",
    "request_payments",
    "request_expenses",
    "organisations",
    "questionnaire_invitations",
    "questionnaire_responses",
    "questionnaire_answers",
];

/// Turns the summary's triggers off or on (PostgreSQL only: SQLite cannot).
async fn summary_triggers(
    conn: &mut AnyConnection,
    engine: Engine,
    on: bool,
) -> Result<(), String> {
    if engine == Engine::Postgres {
        let how = if on { "ENABLE" } else { "DISABLE" };
        for table in SUMMARISED {
            exec(conn, &format!("ALTER TABLE {table} {how} TRIGGER USER")).await?;
        }
    }
    Ok(())
}

/// Makes the history of `total` requests (and its trainings, events and
/// candidates in proportion), calling `progress` with the requests made so
/// far after each transaction. On PostgreSQL the indicators' summary
/// triggers are off meanwhile (a trigger call per row made a million
/// requests four times slower); either way the summary is then recounted
/// whole at its next reading.
pub async fn seed(db: &Db, total: i64, progress: impl FnMut(i64)) -> Result<Made, String> {
    let engine = db.engine();
    let mut conn = db.conn().await.map_err(err)?;
    summary_triggers(&mut conn, engine, false).await?;
    let made = make(&mut conn, engine, total, progress).await;
    summary_triggers(&mut conn, engine, true).await?;
    exec(
        &mut conn,
        "INSERT INTO indicator_changes (department_code, at) VALUES (NULL, -1)",
    )
    .await?;
    made
}

async fn make(
    conn: &mut AnyConnection,
    engine: Engine,
    total: i64,
    mut progress: impl FnMut(i64),
) -> Result<Made, String> {
    let sizes = lookups(conn, engine).await?;
    let have = count(
        conn,
        "SELECT COUNT(*) FROM intervention_requests WHERE public_id LIKE 'bench-demande-%'",
    )
    .await?;
    let mut made = Made::default();
    let mut from = have;
    while from < total {
        let to = (from + CHUNK).min(total);
        requests(conn, engine, (from, to, total), sizes).await?;
        made.requests += to - from;
        from = to;
        progress(from);
    }
    let (depts, _, _) = sizes;
    made.sessions = trainings(conn, engine, (total / 1_000).max(6), sizes).await?;
    made.events = events(conn, engine, (total / 500).max(12), depts).await?;
    made.candidates = candidates(conn, engine, (total / 50).max(30), depts).await?;
    Ok(made)
}

/// How many intervention requests the database holds (all, not only the
/// made-up ones), for the benchmark's header.
pub async fn request_count(db: &Db) -> Result<i64, String> {
    let mut conn = db.conn().await.map_err(err)?;
    count(&mut conn, "SELECT COUNT(*) FROM intervention_requests").await
}

/// How many requests were sent from `from` to `to` (the benchmark's
/// reference: one range of the index on the sending time).
pub async fn sent_between(db: &Db, from: i64, to: i64) -> Result<i64, String> {
    let mut conn = db.conn().await.map_err(err)?;
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM intervention_requests WHERE submitted_at >= $1 AND submitted_at < $2",
    )
    .bind(from)
    .bind(to)
    .fetch_one(&mut *conn)
    .await
    .map_err(err)
}
