//! A review round done: the Occitanie coordination asked for a review of
//! the easy-read version of its news item (a « Donner son avis » request,
//! paid like any intervention), Nadia Haddad (Hérault) accepted it, read it
//! sentence by sentence (one hard word), agreed to be named, and the
//! coordination marked the text reviewed: its easy-read page shows « Relu
//! par des personnes concernées » and the round's answers are in
//! `/admin/relectures`.

use epop_domain::Email;
use epop_domain::easy_review::{Answer, Subject, sentences};
use epop_domain::lifecycle::{Action, Actor};
use epop_store::easy_reviews::{self, NewReview};
use epop_store::{Conn, Db, StoreError, accounts, news, proposals, requests};

const REQUEST: &str = "demo-relecture-actualite-occitanie";
const DAY: i64 = 86_400;

fn err(e: StoreError) -> String {
    e.to_string()
}

pub async fn load(db: &Db) -> Result<usize, String> {
    let mut tx = db.write().await.map_err(err)?;
    if requests::by_public_id(&mut tx, REQUEST)
        .await
        .map_err(err)?
        .is_some()
    {
        return Ok(0);
    }
    let slug: String = sqlx::query_scalar("SELECT slug FROM news WHERE title = $1")
        .bind(super::news::OCCITANIE_TITLE)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    let item = news::by_slug(&mut tx, &slug)
        .await
        .map_err(err)?
        .ok_or("actualité de démo absente")?;
    let coordinator = accounts::id_by_email(
        &mut tx,
        &Email::parse("coordination@demo.epop.test").map_err(|e| e.0)?,
    )
    .await
    .map_err(err)?;
    let now = epop_store::now();
    let (request, reviewer) = accepted_request(&mut tx, coordinator, now - 6 * DAY).await?;
    let text = item.easy_text();
    let round = easy_reviews::create(
        &mut tx,
        &NewReview {
            public_id: "demo-relecture",
            subject_kind: Subject::News.code(),
            subject_slug: &slug,
            title: &item.title,
            text: &text,
            requested_by: coordinator,
        },
        now - 6 * DAY,
    )
    .await
    .map_err(err)?;
    easy_reviews::attach(&mut tx, round.id, request)
        .await
        .map_err(err)?;
    for (n, _) in sentences(&text).iter().enumerate() {
        // One sentence had a hard word; the coordination revised it.
        let (understood, words) = if n == 1 {
            (false, "intervenants-pairs".to_owned())
        } else {
            (true, String::new())
        };
        let answer = Answer {
            sentence: n + 1,
            understood,
            words,
        };
        easy_reviews::save_answer(&mut tx, round.id, reviewer, &answer, now - 2 * DAY)
            .await
            .map_err(err)?;
    }
    easy_reviews::finish(&mut tx, round.id, reviewer, true, now - 2 * DAY)
        .await
        .map_err(err)?;
    easy_reviews::mark_reviewed(&mut tx, round.id, &text, &["Nadia".to_owned()], now - DAY)
        .await
        .map_err(err)?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(1)
}

/// The « Donner son avis » request of the round, sent by the coordination
/// and accepted by Nadia Haddad: its id and her account's.
async fn accepted_request(
    tx: &mut Conn,
    coordinator: i64,
    asked: i64,
) -> Result<(i64, i64), String> {
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    let fields = [
        ("kind", "donner-son-avis"),
        (
            "subject",
            "Relire en facile à lire : Occitanie : le programme 2026 commence",
        ),
        (
            "description",
            "Lire la version en facile à lire de l’actualité, phrase par phrase, et dire ce qui se comprend et ce qui ne se comprend pas.",
        ),
        ("audience", "Les lecteurs des actualités"),
        ("audience_size", "1"),
        ("date_from", &date),
        ("duration", "1 heure"),
        ("mode", "a-distance"),
        ("department", "34"),
        ("fee", "60"),
        ("org_name", "CREAI-ORS Occitanie"),
        ("org_kind", "network_partner"),
        ("contact_name", "Sophie Delmas"),
        ("contact_email", "coordination@demo.epop.test"),
    ];
    let r = super::submit_request(tx, REQUEST, &fields, coordinator, asked).await?;
    let by = proposals::Who {
        actor: Actor::Coordinator,
        account_id: Some(coordinator),
    };
    proposals::transition(tx, &r, &Action::Qualify, by, asked)
        .await
        .map_err(err)?;
    let reviewer = super::propose_to(tx, &r, "nadia-haddad", by, asked).await?;
    let proposal = proposals::for_request(tx, r.id)
        .await
        .map_err(err)?
        .into_iter()
        .next()
        .ok_or("proposition de démo absente")?;
    proposals::answer(tx, &proposal, true, None, asked + 3_600)
        .await
        .map_err(err)?;
    Ok((r.id, reviewer))
}
