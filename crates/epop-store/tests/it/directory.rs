//! The directory's store tests share this setup: people with a profile
//! (`person`, also used by the requests' and trainings' tests), the four of
//! `seed` on fresh databases (`seeded`), and a search (`find`, `text`).
//! The tests themselves are in `directory_search`, `directory_tokens` and
//! `directory_profiles`.

use epop_domain::Email;
use epop_domain::account::AccountStatus;
use epop_domain::directory::{InterventionKind, ProfileKind, SearchQuery, Visibility};
use epop_store::accounts::{self, NewAccount};
use epop_store::directory::{self, ProfileInput, Viewer};
use epop_store::{Db, testing};

/// An active account and its peer profile: `words` as presentation (with
/// « mentale » it gets the theme, with « LSF » the language), one
/// intervention; returns the profile's id and slug.
pub(crate) async fn person(
    db: &Db,
    email: &str,
    name: &str,
    visibility: Visibility,
    departments: &[&str],
    words: &str,
) -> (i64, String) {
    let mut tx = db.write().await.unwrap();
    let id = accounts::create(
        &mut tx,
        &NewAccount {
            public_id: format!("pid-{email}"),
            email: Email::parse(email).unwrap(),
            display_name: name.into(),
            status: AccountStatus::Active,
            department: departments.first().map(|d| d.to_string()),
            organisation_id: None,
        },
    )
    .await
    .unwrap();
    let theme = directory::add_theme(&mut tx, "Santé mentale")
        .await
        .unwrap();
    let input = ProfileInput {
        kind: ProfileKind::Peer,
        display_name: name.into(),
        visibility,
        home_department: departments.first().map(|d| d.to_string()),
        presentation: words.into(),
        presentation_easy: String::new(),
        own_words: String::new(),
        on_site: true,
        remote: name.contains("Distance"),
        travel_km: Some(50),
        other_languages: String::new(),
        max_per_month: Some(2),
        job_title: None,
        organisation_id: None,
        departments: departments.iter().map(|d| d.to_string()).collect(),
        interventions: vec![InterventionKind::TrainingProfessionals],
        theme_ids: if words.contains("mentale") {
            vec![theme.id]
        } else {
            vec![]
        },
        languages: if words.contains("LSF") {
            vec!["fr".into(), "lsf".into()]
        } else {
            vec!["fr".into()]
        },
    };
    let out = directory::upsert(&mut tx, db.engine(), id, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    out
}

/// Awa Diallo, of the Haute-Garonne (31), with `visibility` and `words`:
/// the person most tests start from.
pub(crate) async fn awa(db: &Db, visibility: Visibility, words: &str) -> (i64, String) {
    person(db, "a@x.fr", "Awa Diallo", visibility, &["31"], words).await
}

/// Saves a profile again, as its owner's form does, with `edit` applied.
pub(crate) async fn resave(db: &Db, id: i64, edit: impl FnOnce(&mut ProfileInput)) {
    let mut tx = db.write().await.unwrap();
    let mut input = directory::input_of(&mut tx, id).await.unwrap();
    edit(&mut input);
    let account: i64 = sqlx::query_scalar("SELECT account_id FROM profiles WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    directory::upsert(&mut tx, db.engine(), account, &input)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// The names of the people `viewer` finds with `q`, and how many match.
pub(crate) async fn find(db: &Db, q: SearchQuery, viewer: &Viewer) -> (Vec<String>, i64) {
    let mut conn = db.conn().await.unwrap();
    let (cards, total) = directory::search(&mut conn, db.engine(), &q, viewer)
        .await
        .unwrap();
    (cards.into_iter().map(|c| c.display_name).collect(), total)
}

/// A search for the text `t`, nothing else.
pub(crate) fn text(t: &str) -> SearchQuery {
    SearchQuery {
        text: t.into(),
        ..Default::default()
    }
}

/// Four people in four départements, one per visibility but two public.
pub(crate) async fn seed(db: &Db) {
    person(
        db,
        "a@x.fr",
        "Awa Diallo",
        Visibility::Public,
        &["31"],
        "Éducatrice spécialisée, je parle de santé mentale.",
    )
    .await;
    person(
        db,
        "b@x.fr",
        "Thomas Roux",
        Visibility::Public,
        &["65", "09"],
        "Formateur dans les Hautes-Pyrénées, LSF.",
    )
    .await;
    person(
        db,
        "c@x.fr",
        "Nadia Distance",
        Visibility::Members,
        &["34"],
        "Intervenante de l'Hérault.",
    )
    .await;
    person(
        db,
        "d@x.fr",
        "Lucas Caché",
        Visibility::Hidden,
        &["80"],
        "Profil masqué dans la Somme.",
    )
    .await;
}

/// Fresh databases (SQLite, and PostgreSQL when set up), each with the
/// people of [`seed`]: the setup of most search tests.
pub(crate) async fn seeded() -> Vec<Db> {
    let dbs = testing::all().await;
    for db in &dbs {
        seed(db).await;
    }
    dbs
}

/// A signed-in member of the network, who sees members' profiles.
pub(crate) fn a_member() -> Viewer {
    Viewer {
        member: true,
        ..Default::default()
    }
}
