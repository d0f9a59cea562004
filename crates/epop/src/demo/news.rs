//! Three news items: a national one from the administration and one for
//! Occitanie, each with its easy-read version, and one for the Somme
//! without (its page says so to whoever asks for easy words).

use epop_domain::news::NewsForm;
use epop_store::{Db, StoreError, news};

/// The Occitanie news item, whose easy-read version the demo's review
/// round marked reviewed.
pub const OCCITANIE_TITLE: &str = "Occitanie : le programme 2026 commence";

/// (title, summary, text, easy-read title, easy-read text, territory,
/// days ago, links)
type Item = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static str,
);

const ITEMS: [Item; 3] = [
    (
        "La plateforme du réseau des intervenants-pairs est ouverte",
        "L’annuaire, les demandes d’intervention, les événements et les formations du réseau sont réunis sur une seule plateforme.",
        "La plateforme EPoP réunit le réseau des intervenants-pairs et des référents.\n\
         Les organisations y demandent une intervention ; les intervenants-pairs y trouvent leurs propositions, leurs formations et leurs paiements.\n\
         Chaque page existe en français facile à lire et à comprendre.",
        "Le site du réseau est ouvert",
        "Le réseau des intervenants-pairs a un nouveau site.\n\
         Sur ce site, vous trouvez les personnes du réseau.\n\
         Vous trouvez aussi les rencontres et les formations.\n\
         Chaque page existe en facile à lire.",
        "national",
        20,
        "",
    ),
    (
        OCCITANIE_TITLE,
        "Dans l’Ariège, l’Hérault et la Haute-Garonne, la politique régionale forme de nouveaux intervenants-pairs et référents.",
        "Le programme régional de soutien à l’intervention par les pairs continue en 2026 dans trois départements.\n\
         Une réunion d’information présente la formation aux personnes intéressées.",
        "En Occitanie, un nouveau projet commence",
        "En 2026, un projet forme des intervenants-pairs en Occitanie.\n\
         Le projet se passe dans 3 départements.\n\
         Une réunion explique la formation.",
        "region-76",
        10,
        "Le programme | /programmes/experimentation-locale-occitanie-2026",
    ),
    (
        "Somme : des référents formés à Amiens",
        "Les premiers référents de la Somme ont terminé leur formation.",
        "Les premiers référents de la Somme ont terminé leur formation à Amiens.\n\
         Ils accueilleront des intervenants-pairs dans leurs organisations dès cette année.",
        "",
        "",
        "departement-80",
        2,
        "",
    ),
];

pub async fn load(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let mut created = 0;
    let today = chrono::Utc::now().date_naive();
    for (title, summary, body, title_easy, body_easy, scope, days_ago, links) in ITEMS {
        let slug = epop_domain::text::slugify(title);
        if news::by_slug(&mut tx, &slug).await.map_err(err)?.is_some() {
            continue;
        }
        let day = today - chrono::Duration::days(days_ago);
        let valid = NewsForm {
            title: title.into(),
            summary: summary.into(),
            body: body.into(),
            title_easy: title_easy.into(),
            body_easy: body_easy.into(),
            scope: scope.into(),
            published_on: day.format("%d/%m/%Y").to_string(),
            image_alt: String::new(),
            links: links.into(),
        }
        .validate(today, false)
        .map_err(|e| format!("{title}: {e:?}"))?;
        let at = epop_domain::event::paris_timestamp(day, chrono::NaiveTime::MIN)
            .map_err(|e| e.to_string())?;
        news::create(&mut tx, &valid, at, None).await.map_err(err)?;
        created += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(created)
}
