//! Plausible, made-up directory profiles, for the demo (a few, in the
//! territories of the project's texts) and for benchmarks (`seed-bench`,
//! across every département). Deterministic: the same seed gives the same
//! people, so runs can be compared.

use std::sync::Arc;

use epop_domain::Email;
use epop_domain::account::AccountStatus;
use epop_domain::directory::{InterventionKind, ProfileKind, Visibility};
use epop_store::accounts::{self, NewAccount};
use epop_store::directory::{self, ProfileInput};
use epop_store::{Db, Engine, StoreError, territories};

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

/// First names (some compound, as is common in France).
const FIRST: &str = "Léa, Hugo, Inès, Mehdi, Camille, Julien, Sarah, Nicolas, Fatou, Antoine, Chloé, \
     Karim, Manon, Théo, Aïcha, Baptiste, Emma, Yanis, Clara, Maxime, Amandine, Rémi, \
     Zoé, Samuel, Élise, Kévin, Marie, Thomas, Julie, Lucas, Laura, Mathieu, Pauline, \
     Romain, Céline, Sébastien, Nadia, Olivier, Sophie, Alexandre, Mélanie, Guillaume, \
     Aurélie, Vincent, Émilie, Jérôme, Sandrine, Florian, Audrey, Damien, Mathilde, \
     Quentin, Lucie, Adrien, Charlotte, Bruno, Nathalie, Patrick, Isabelle, Christophe, \
     Valérie, Stéphane, Hélène, Franck, Agnès, Laurent, Morgane, Yasmine, Ibrahima, \
     Mamadou, Awa, Sofiane, Leïla, Rachid, Nour, Bilal, Salomé, Gaël, Maëlle, Loïc, \
     Anaïs, Cédric, Margaux, Arthur, Jade, Louis, Alice, Gabriel, Louise, Raphaël, \
     Marie-Claire, Jean-Pierre, Anne-Sophie, Jean-Marc, Marie-Hélène, Pierre-Yves, \
     Françoise, Bernard, Monique, Dominique, Josiane, Gérard";
/// Surnames.
const LAST: &str = "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, \
     Simon, Laurent, Lefèvre, Michel, Garcia, David, Bertrand, Roux, Vincent, Fournier, \
     Morel, Girard, André, Mercier, Dupont, Lambert, Bonnet, François, Martinez, Legrand, \
     Garnier, Faure, Rousseau, Blanc, Guérin, Muller, Henry, Roussel, Nicolas, Perrin, \
     Morin, Mathieu, Clément, Gauthier, Dumont, Lopez, Fontaine, Chevalier, Robin, \
     Masson, Sanchez, Gérard, Nguyen, Boyer, Denis, Lemaire, Duval, Joly, Gautier, Roger, \
     Roche, Roy, Noël, Meyer, Lucas, Meunier, Jean, Pérez, Marchand, Dufour, Blanchard, \
     Marie, Barbier, Brun, Dumas, Brunet, Schmitt, Leroux, Colin, Fernandez, Pierre, \
     Renard, Arnaud, Rolland, Caron, Aubert, Giraud, Leclerc, Vidal, Bourgeois, Renaud, \
     Lemoine, Picard, Gaillard, Philippe, Leclercq, Lacroix, Fabre, Dupuis, Olivier, \
     Rodriguez, Da Silva, Hubert, Louis, Charles, Guillot, Rivière, Le Gall, Guillaume, \
     Adam, Rey, Moulin, Gonzalez, Berger, Lecomte, Ménard, Fleury, Deschamps, Carpentier, \
     Julien, Benoît, Paris, Maillard, Marchal, Aubry, Vasseur, Le Roux, Renault, Jacquet, \
     Collet, Prévost, Poirier, Charpentier, Royer, Huet, Baron, Dupuy, Pons, Paul, Laine, \
     Carré, Breton, Rémy, Schneider, Perrot, Barré, Diallo, Traoré, Benali, Haddad, \
     Mansouri, Kone, Camara, Ben Amor";
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
    /// The generator of profile number `n`: each profile is drawn on its own,
    /// so batches can be written in any order (and concurrently) and the same
    /// `n` always gives the same person.
    fn for_profile(n: usize) -> Self {
        let mut rng = Lcg(0x5eed_e909 ^ (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        rng.next();
        rng
    }

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

/// How many profiles one transaction writes.
pub const BATCH: usize = 500;

/// Concurrent writers on PostgreSQL (batches are independent transactions);
/// SQLite has one writer at a time, so there it is 1. Names are split into
/// this many disjoint classes by batch, so two batches written at the same
/// time never look for a free slug of the same name (a unique-key conflict
/// that would abort a batch).
const WRITERS: usize = 2;

/// The names of a list written as one string.
fn list(names: &'static str) -> Vec<&'static str> {
    names.split(", ").collect()
}

/// First names and surnames, read once per run.
struct Names {
    first: Vec<&'static str>,
    last: Vec<&'static str>,
}

impl Names {
    fn new() -> Self {
        Names {
            first: list(FIRST),
            last: list(LAST),
        }
    }

    /// A plausible name: first name and surname, one in five with a double
    /// surname. The (first) surname comes from the class of names of
    /// `batch`.
    fn pick(&self, rng: &mut Lcg, batch: usize) -> String {
        let class = batch % WRITERS;
        let per_class = self.last.len() / WRITERS;
        let a = self.last[(rng.next() as usize % per_class) * WRITERS + class];
        let b = *rng.pick(&self.last);
        let first = rng.pick(&self.first);
        if rng.chance(20) && a != b {
            format!("{first} {a}-{b}")
        } else {
            format!("{first} {a}")
        }
    }
}

/// One synthetic profile for account number `n`, living in `home`.
fn input(
    rng: &mut Lcg,
    names: &Names,
    n: usize,
    home: &str,
    neighbours: &[String],
    theme_ids: &[i64],
) -> (String, ProfileInput) {
    let name = names.pick(rng, n / BATCH);
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

/// What every batch needs.
struct Plan {
    count: usize,
    domain: String,
    theme_ids: Vec<i64>,
    names: Names,
    /// Home départements, each with the other départements of its region.
    homes: Vec<(String, Vec<String>)>,
}

/// Creates `count` synthetic accounts with profiles in the given
/// départements (all of them when `None`), in batches of [`BATCH`], one
/// transaction each (on PostgreSQL, [`WRITERS`] batches at a time).
/// Accounts are `personne-<n>@<domain>`; existing ones are skipped, so
/// running it again completes an interrupted run. `progress` is called after
/// every batch with the number of profiles created so far.
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
    let codes: Vec<String> = match only {
        Some(list) => list.iter().map(|d| d.to_string()).collect(),
        None => all.iter().map(|d| d.code.clone()).collect(),
    };
    let homes = codes
        .into_iter()
        .map(|home| {
            let region = all
                .iter()
                .find(|d| d.code == home)
                .map(|d| d.region_code.clone())
                .unwrap_or_default();
            let neighbours = all
                .iter()
                .filter(|d| d.region_code == region && d.code != home)
                .map(|d| d.code.clone())
                .collect();
            (home, neighbours)
        })
        .collect();
    let plan = Arc::new(Plan {
        count,
        domain: domain.to_owned(),
        theme_ids,
        names: Names::new(),
        homes,
    });
    let batches = count.div_ceil(BATCH);
    let writers = match db.engine() {
        Engine::Postgres => WRITERS,
        Engine::Sqlite => 1,
    };
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..writers.min(batches) {
        let (db, plan, tx) = (db.clone(), plan.clone(), tx.clone());
        tasks.spawn(async move {
            for b in (w..batches).step_by(writers) {
                let done = batch(&db, &plan, b).await;
                let failed = done.is_err();
                if tx.send(done).is_err() || failed {
                    break;
                }
            }
        });
    }
    drop(tx);
    let mut created = 0;
    while let Some(done) = rx.recv().await {
        created += done?;
        progress(created);
    }
    while let Some(joined) = tasks.join_next().await {
        if let Err(e) = joined
            && e.is_panic()
        {
            std::panic::resume_unwind(e.into_panic());
        }
    }
    Ok(created)
}

/// Writes batch number `b` in one transaction; returns how many profiles it
/// created.
async fn batch(db: &Db, plan: &Plan, b: usize) -> Result<usize, StoreError> {
    let mut tx = db.write().await?;
    let mut created = 0;
    for n in b * BATCH..((b + 1) * BATCH).min(plan.count) {
        let (home, neighbours) = &plan.homes[n % plan.homes.len()];
        let mut rng = Lcg::for_profile(n);
        let (local, profile) = input(&mut rng, &plan.names, n, home, neighbours, &plan.theme_ids);
        // The local part is made of folded names; only a caller's domain
        // that is no domain could break the rule.
        let email = Email::parse(&format!("{local}@{}", plan.domain))
            .expect("the domain given to `seed` is an e-mail domain");
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
    Ok(created)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_lists_are_clean_and_split_into_classes() {
        let names = Names::new();
        for n in names.first.iter().chain(&names.last) {
            assert!(!n.is_empty() && n.trim() == *n && !n.contains(','), "{n:?}");
        }
        assert!(names.first.len() >= 100 && names.last.len() >= 150);
        // Two batches written at once (different classes) never share a
        // surname, so never a name.
        let surname = |batch: usize, n: usize| {
            let name = names.pick(&mut Lcg::for_profile(n), batch);
            let after_first = names
                .first
                .iter()
                .filter_map(|f| name.strip_prefix(&format!("{f} ")))
                .min_by_key(|rest| rest.len())
                .unwrap()
                .to_owned();
            after_first.split('-').next().unwrap().to_owned()
        };
        let class0: std::collections::BTreeSet<String> = (0..2000).map(|n| surname(0, n)).collect();
        let class1: std::collections::BTreeSet<String> = (0..2000).map(|n| surname(1, n)).collect();
        assert!(class0.is_disjoint(&class1));
    }

    #[test]
    fn the_same_number_gives_the_same_person() {
        let names = Names::new();
        let a = names.pick(&mut Lcg::for_profile(42), 0);
        let b = names.pick(&mut Lcg::for_profile(42), 0);
        assert_eq!(a, b);
    }
}
