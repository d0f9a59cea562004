//! Plausible, made-up directory profiles, for the demo (a few, in the
//! territories of the project's texts) and for benchmarks (`seed-bench`,
//! across every département). Deterministic: the same seed gives the same
//! people, so runs can be compared.

use epop_domain::Email;
use epop_domain::account::AccountStatus;
use epop_domain::directory::{InterventionKind, ProfileKind, Visibility};
use epop_store::accounts::{self, NewAccount};
use epop_store::directory::{self, ProfileInput};
use epop_store::{Db, StoreError, territories};

/// The curated themes coordinators start from.
pub const THEMES: &[&str] = &[
    "Maintien dans l’emploi",
    "Santé mentale",
    "Accessibilité numérique",
    "Accessibilité des bâtiments",
    "Culture et loisirs",
    "Parentalité",
    "Scolarité et études",
    "Vie affective",
    "Autodétermination",
    "Logement",
    "Sport",
    "Droits et citoyenneté",
    "Transports",
    "Travail en ESAT",
    "Surdité et LSF",
    "Troubles DYS",
];

const FIRST: &[&str] = &[
    "Léa", "Hugo", "Inès", "Mehdi", "Camille", "Julien", "Sarah", "Nicolas", "Fatou", "Antoine",
    "Chloé", "Karim", "Manon", "Théo", "Aïcha", "Baptiste", "Emma", "Yanis", "Clara", "Maxime",
    "Amandine", "Rémi", "Zoé", "Samuel", "Élise", "Kévin",
];
const LAST: &[&str] = &[
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier",
];
const STORIES: &[&str] = &[
    "Je vis avec un trouble psychique depuis mes 20 ans. Je raconte comment j’ai repris le travail et ce qui m’a aidé.",
    "Je suis sourde. Je forme les équipes à l’accueil des personnes sourdes et malentendantes.",
    "Travailleur en ESAT depuis dix ans, je parle de mon métier et de l’autonomie au travail.",
    "Je me déplace en fauteuil roulant. Je vérifie l’accessibilité des bâtiments et des transports.",
    "Je suis aveugle. Je teste l’accessibilité des sites internet et des applications.",
    "Maman d’un enfant et en situation de handicap, j’accompagne d’autres parents.",
    "J’ai des troubles DYS. J’interviens dans les écoles et les centres de formation.",
    "Je participe aux conseils de la MDPH et je défends les droits des personnes.",
];
const EASY: &[&str] = &[
    "J’ai un handicap. J’aide les autres personnes. Je parle de ce que je vis.",
    "Je forme des professionnels. Je leur explique mon handicap.",
    "Je donne mon avis sur les bâtiments et les sites internet.",
];
const JOBS: &[&str] = &[
    "Monitrice d’atelier",
    "Chargé d’insertion",
    "Responsable RH",
    "Éducatrice spécialisée",
    "Cadre de santé",
];

/// A tiny deterministic generator (no need for cryptographic randomness).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next() as usize) % items.len()]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Makes sure the curated themes exist; returns their ids in `THEMES` order.
pub async fn themes(db: &Db) -> Result<Vec<i64>, StoreError> {
    let mut tx = db.write().await?;
    let mut ids = Vec::new();
    for label in THEMES {
        ids.push(directory::add_theme(&mut tx, label).await?.id);
    }
    tx.commit().await?;
    Ok(ids)
}

/// One synthetic profile for account number `n`, living in `home`.
fn input(
    rng: &mut Lcg,
    n: usize,
    home: &str,
    neighbours: &[String],
    theme_ids: &[i64],
) -> (String, ProfileInput) {
    let name = format!("{} {}", rng.pick(FIRST), rng.pick(LAST));
    let kind = if rng.chance(45) {
        ProfileKind::Referent
    } else {
        ProfileKind::Peer
    };
    let mut departments = vec![home.to_owned()];
    for d in neighbours.iter().take((rng.next() % 3) as usize) {
        if !departments.contains(d) {
            departments.push(d.clone());
        }
    }
    let mut interventions: Vec<InterventionKind> = InterventionKind::ALL
        .into_iter()
        .filter(|_| rng.chance(35))
        .collect();
    if interventions.is_empty() {
        interventions.push(*rng.pick(&InterventionKind::ALL));
    }
    let theme_ids: Vec<i64> = (0..1 + rng.next() % 3)
        .map(|_| *rng.pick(theme_ids))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let visibility = match rng.next() % 10 {
        0 => Visibility::Hidden,
        1..=3 => Visibility::Members,
        _ => Visibility::Public,
    };
    let lsf = rng.chance(10);
    let input = ProfileInput {
        kind,
        display_name: name.clone(),
        visibility,
        home_department: Some(home.to_owned()),
        presentation: rng.pick(STORIES).to_string(),
        presentation_easy: rng.pick(EASY).to_string(),
        own_words: String::new(),
        on_site: rng.chance(85),
        remote: rng.chance(50),
        travel_km: Some([20, 50, 80, 150][(rng.next() % 4) as usize]),
        other_languages: String::new(),
        max_per_month: Some(1 + (rng.next() % 4) as i64),
        job_title: (kind == ProfileKind::Referent).then(|| rng.pick(JOBS).to_string()),
        organisation_id: None,
        departments,
        interventions,
        theme_ids,
        languages: if lsf {
            vec!["fr".into(), "lsf".into()]
        } else {
            vec!["fr".into()]
        },
    };
    (format!("personne-{n}"), input)
}

/// Creates `count` synthetic accounts with profiles in the given
/// départements (all of them when `None`), in batches of one transaction.
/// Accounts are `<prefix>-<n>@<domain>`; existing ones are skipped.
pub async fn seed(
    db: &Db,
    count: usize,
    only: Option<&[&str]>,
    domain: &str,
    mut progress: impl FnMut(usize),
) -> Result<usize, StoreError> {
    let theme_ids = themes(db).await?;
    let mut conn = db.conn().await?;
    let all = territories::departments(&mut conn).await?;
    drop(conn);
    let homes: Vec<String> = match only {
        Some(list) => list.iter().map(|d| d.to_string()).collect(),
        None => all.iter().map(|d| d.code.clone()).collect(),
    };
    let mut rng = Lcg(0x5eed_e909);
    let mut created = 0;
    for chunk_start in (0..count).step_by(500) {
        let mut tx = db.write().await?;
        for n in chunk_start..(chunk_start + 500).min(count) {
            let home = &homes[n % homes.len()];
            let region = all
                .iter()
                .find(|d| &d.code == home)
                .map(|d| d.region_code.clone())
                .unwrap_or_default();
            let neighbours: Vec<String> = all
                .iter()
                .filter(|d| d.region_code == region && &d.code != home)
                .map(|d| d.code.clone())
                .collect();
            let (local, profile) = input(&mut rng, n, home, &neighbours, &theme_ids);
            let email = Email::parse(&format!("{local}@{domain}"))
                .map_err(|e| StoreError::Conflict(e.0))?;
            if accounts::credentials(&mut tx, &email).await?.is_some() {
                continue;
            }
            let id = accounts::create(
                &mut tx,
                &NewAccount {
                    public_id: epop_web::security::public_id(),
                    email,
                    display_name: profile.display_name.clone(),
                    status: AccountStatus::Invited,
                    department: Some(home.clone()),
                    organisation_id: None,
                },
            )
            .await?;
            let role = if profile.kind == ProfileKind::Peer {
                epop_domain::Role::Peer
            } else {
                epop_domain::Role::Referent
            };
            accounts::grant(&mut tx, id, role).await?;
            let (profile_id, _) = directory::upsert(&mut tx, db.engine(), id, &profile).await?;
            if rng.chance(70) {
                let year = 2022 + rng.next() % 4;
                let month = 1 + rng.next() % 12;
                directory::set_training(
                    &mut tx,
                    profile_id,
                    Some(&format!("{year}-{month:02}-15")),
                    Some("Formation EPoP"),
                )
                .await?;
            }
            directory::give_consent(&mut tx, id, directory::purpose::LISTING, "2026-11").await?;
            created += 1;
        }
        tx.commit().await?;
        progress(created);
    }
    Ok(created)
}
