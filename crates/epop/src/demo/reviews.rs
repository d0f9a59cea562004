//! A review round of the demo's easy-read welcome sheet: asked by the
//! Occitanie coordination, its « Donner son avis » request accepted by Awa
//! Diallo, who read it yesterday (the request is done, its payment to
//! record) and agreed to be named; the coordination has not marked the
//! text reviewed yet.

use epop_domain::easy_review::Answer;
use epop_domain::lifecycle::Action;
use epop_store::easy_reviews::{self, NewReview};
use epop_store::{StoreError, directory, proposals};
use epop_web::security::public_id;

use super::toolbox::WELCOME_EASY;

/// The round's address.
const ROUND: &str = "demo-relecture-fiche";

pub(super) async fn round(
    tx: &mut epop_store::Conn,
    coordinator: i64,
    by: proposals::Who,
    now: i64,
) -> Result<(), String> {
    let err = |e: StoreError| e.to_string();
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    let title = "Fiche d’accueil d’un intervenant-pair";
    let subject = format!("Relire un texte en facile à lire : {title}");
    let fields = [
        ("kind", "donner-son-avis"),
        ("subject", subject.as_str()),
        (
            "description",
            "Lire la version facile à lire de la ressource « Fiche d’accueil d’un intervenant-pair » et dire, phrase par phrase, ce qui se comprend et ce qui ne se comprend pas.",
        ),
        ("audience", "Les lecteurs de la version facile à lire"),
        ("audience_size", "1"),
        ("date_from", &date),
        ("duration", "1 heure"),
        ("mode", "a-distance"),
        ("department", "31"),
        ("fee", "60"),
        ("org_name", "CREAI-ORS Occitanie"),
        ("org_kind", "network_partner"),
        ("contact_name", "Sophie Delmas"),
        ("contact_email", "coordination@demo.epop.test"),
    ];
    let r = super::submit_request(tx, "demo-demande-relecture", &fields, coordinator, now).await?;
    proposals::transition(tx, &r, &Action::Qualify, by, now)
        .await
        .map_err(err)?;
    let awa = directory::by_slug(tx, "awa-diallo")
        .await
        .map_err(err)?
        .ok_or("fiche de démo absente")?;
    let account = proposals::account_of(tx, awa.card.id)
        .await
        .map_err(err)?
        .ok_or("compte de démo absent")?;
    proposals::propose(
        tx,
        &r,
        &[(awa.card.id, account, public_id())],
        now + 7 * 86_400,
        by,
        now,
    )
    .await
    .map_err(err)?;
    let proposal = proposals::for_request(tx, r.id)
        .await
        .map_err(err)?
        .pop()
        .ok_or("proposition de démo absente")?;
    proposals::answer(tx, &proposal, true, None, now)
        .await
        .map_err(err)?;
    // Took place yesterday: scheduled, then done (each step on the request
    // as it is then).
    let yesterday = now - 86_400;
    for action in [Action::Schedule, Action::MarkDone] {
        let current = epop_store::requests::by_id(tx, r.id)
            .await
            .map_err(err)?
            .ok_or("demande de démo absente")?;
        proposals::transition(tx, &current, &action, by, now)
            .await
            .map_err(err)?;
        epop_store::requests::set_schedule(tx, r.id, yesterday, yesterday + 3_600, now)
            .await
            .map_err(err)?;
    }
    let review = easy_reviews::create(
        tx,
        &NewReview {
            public_id: ROUND,
            subject_kind: "ressource",
            subject_slug: "fiche-d-accueil-d-un-intervenant-pair",
            title,
            text: WELCOME_EASY,
            requested_by: coordinator,
        },
        now,
    )
    .await
    .map_err(err)?;
    easy_reviews::attach(tx, review.id, r.id)
        .await
        .map_err(err)?;
    for (i, _) in epop_domain::easy_review::sentences(WELCOME_EASY)
        .iter()
        .enumerate()
    {
        let hard = i == 4;
        let answer = Answer {
            sentence: i + 1,
            understood: !hard,
            words: if hard {
                "salle calme".into()
            } else {
                String::new()
            },
        };
        easy_reviews::save_answer(tx, review.id, account, &answer, now)
            .await
            .map_err(err)?;
    }
    easy_reviews::finish(tx, review.id, account, true, now)
        .await
        .map_err(err)
}
