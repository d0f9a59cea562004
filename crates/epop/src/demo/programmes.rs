//! The local programmes of the texts: Occitanie's regional public policy
//! (2024–2025 in the Aude, the Haute-Garonne and the Hautes-Pyrénées; 2026
//! in the Ariège, the Hérault and the Haute-Garonne again), and the national
//! project EPoP's deployments in its first territories: the Somme
//! (Amiens-Montdidier-Péronne) and the Nord (Roubaix-Tourcoing) in
//! Hauts-de-France; the Gironde, the Vienne and the Lot-et-Garonne in
//! Nouvelle-Aquitaine, since its launch in 2021.

use epop_domain::Email;
use epop_domain::programme::ProgrammeForm;
use epop_store::{Db, StoreError, accounts, programmes};

/// The words of the Occitanie team's letter, in easy-read French.
const OCCITANIE_EASY: &str = "Un intervenant-pair, c’est une personne qui a une expérience du handicap.\n\
    Cette personne utilise son expérience pour aider d’autres personnes.\n\
    Nos missions :\n\
    Former et accompagner les intervenants-pairs et les référents.\n\
    Faire connaître l’importance des savoirs des personnes en situation de handicap.\n\
    Animer le réseau en Occitanie.";

const OCCITANIE_AIMS: &str = "Soutenir l’intervention par les pairs en Occitanie : former et accompagner les intervenants-pairs et les référents ; \
    faire connaître l’importance des savoirs des personnes en situation de handicap ; animer le réseau en Occitanie.";

const OCCITANIE_CARRIER: &str =
    "L’équipe de la politique publique de soutien à l’intervention par les pairs en Occitanie";

const EPOP_PARTNERS: &str = "GAPAS\nTrisomie 21 France\n\
    FISAF – Fédération nationale pour l’inclusion des personnes en situation de handicap sensoriel et DYS\n\
    LADAPT\nAgefiph\nAgences régionales de santé\nCREAI";

const EPOP_AIMS: &str = "Structurer l’intervention par les pairs dans le milieu professionnel, la sécuriser juridiquement et développer une offre de service : \
    des expérimentations locales, la formation des intervenants-pairs et des référents, une boîte à outils, l’évaluation des pratiques.";

const EPOP_EASY: &str = "Le projet EPoP veut développer le travail des intervenants-pairs.\n\
    Le projet forme des intervenants-pairs et des référents.\n\
    Le projet veut des règles claires pour protéger les intervenants-pairs.";

/// (name, kind, carrier, carrier kind, partners, départements, years,
/// aims, easy-read aims, review, coordinator's e-mail); the status comes
/// from the years.
type Row = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    (&'static str, &'static str),
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const PROGRAMMES: &[Row] = &[
    (
        "Expérimentation locale Occitanie 2024–2025",
        "experimentation-locale",
        OCCITANIE_CARRIER,
        "politique-regionale",
        "CREAI-ORS Occitanie",
        "11, 31, 65",
        ("2024", "2025"),
        OCCITANIE_AIMS,
        OCCITANIE_EASY,
        "En 2024 et 2025, ce projet a bien marché dans l’Aude, la Haute-Garonne et les Hautes-Pyrénées. \
         Il continue en 2026 dans l’Ariège, l’Hérault et à nouveau en Haute-Garonne.",
        "coordination@demo.epop.test",
    ),
    (
        "Expérimentation locale Occitanie 2026",
        "experimentation-locale",
        OCCITANIE_CARRIER,
        "politique-regionale",
        "CREAI-ORS Occitanie",
        "09, 31, 34",
        ("2026", "2026"),
        OCCITANIE_AIMS,
        OCCITANIE_EASY,
        "",
        "coordination@demo.epop.test",
    ),
    (
        "Déploiement EPoP en Hauts-de-France",
        "deploiement",
        "Croix-Rouge française",
        "projet-national",
        EPOP_PARTNERS,
        "59, 80",
        ("2021", "2026"),
        EPOP_AIMS,
        EPOP_EASY,
        "",
        "coordination-hdf@demo.epop.test",
    ),
    (
        "Déploiement EPoP en Nouvelle-Aquitaine",
        "deploiement",
        "Croix-Rouge française",
        "projet-national",
        EPOP_PARTNERS,
        "33, 47, 86",
        ("2021", "2026"),
        EPOP_AIMS,
        EPOP_EASY,
        "",
        "coordination-na@demo.epop.test",
    ),
];

/// Loads the programmes once (nothing when some exist).
pub async fn load(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    if !programmes::list(&mut tx).await.map_err(err)?.is_empty() {
        return Ok(0);
    }
    let today = chrono::Utc::now().date_naive();
    for (
        name,
        kind,
        carrier,
        carrier_kind,
        partners,
        departments,
        years,
        aims,
        easy,
        review,
        coordinator,
    ) in PROGRAMMES
    {
        let form = ProgrammeForm {
            name: (*name).into(),
            kind: (*kind).into(),
            carrier: (*carrier).into(),
            carrier_kind: (*carrier_kind).into(),
            partners: (*partners).into(),
            departments: (*departments).into(),
            start_year: years.0.into(),
            end_year: years.1.into(),
            aims: (*aims).into(),
            aims_easy: (*easy).into(),
            status: String::new(),
            review: (*review).into(),
        };
        let valid = form.validate(today).map_err(|p| format!("{name}: {p:?}"))?;
        let p = programmes::create(&mut tx, &valid).await.map_err(err)?;
        let id = accounts::id_by_email(&mut tx, &Email::parse(coordinator).map_err(|e| e.0)?)
            .await
            .map_err(err)?;
        programmes::set_coordinators(&mut tx, p.id, &[id])
            .await
            .map_err(err)?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(PROGRAMMES.len())
}
