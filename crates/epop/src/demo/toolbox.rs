//! The toolbox's demo resources: a welcome checklist for hosts with its
//! PDF and an easy-read summary (Occitanie), a link to an existing resource
//! (national), a resource for trained peers only (Hauts-de-France), and a
//! member's suggestion waiting for review.

use epop_docs::pdf::{Block, Document, render};
use epop_domain::Email;
use epop_domain::toolbox::{FileKind, ResourceForm, Status};
use epop_store::toolbox::{self, FileRole, NewFile};
use epop_store::{Db, StoreError, accounts};

/// Where the demo PDF is kept in the file storage.
pub const WELCOME_KEY: &str = "boite-a-outils/demo-fiche-accueil.pdf";

const WELCOME_EASY: &str = "Vous accueillez un intervenant-pair.\n\
    Avant qu’il vienne, vous lui dites où aller.\n\
    Vous lui dites à quelle heure venir.\n\
    Vous lui dites qui l’accueille.\n\
    Vous préparez une salle calme.";

/// (title, summary, easy summary, audiences, kinds, territory, author,
/// licence, link, visibility, status, by, with the PDF)
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Status,
    &'static str,
    bool,
);

const WELCOME_TITLE: &str = "Fiche d’accueil d’un intervenant-pair";

const SEEDS: &[Seed] = &[
    (
        WELCOME_TITLE,
        "Une liste de ce qu’une structure d’accueil prépare avant la première intervention : le lieu, les horaires, la personne qui accueille, les adaptations demandées, la fiche mission.",
        WELCOME_EASY,
        &["structures-d-accueil", "referents"],
        &["accompagner", "sensibiliser"],
        "region-76",
        "Coordination Occitanie",
        "CC BY 4.0",
        "",
        "public",
        Status::Published,
        "coordination@demo.epop.test",
        true,
    ),
    (
        "Les savoirs expérientiels des personnes en situation de handicap",
        "Une ressource existante du CREAI-ORS Occitanie sur l’intervention par les pairs : à consulter sur le site de sa source plutôt que de la réécrire.",
        "",
        &["tout-public", "intervenants-pairs"],
        &[],
        "national",
        "CREAI-ORS Occitanie",
        "Tous droits réservés, diffusion autorisée par l’auteur",
        "https://creaiors-occitanie.fr",
        "public",
        Status::Published,
        "admin@demo.epop.test",
        false,
    ),
    (
        "Analyse de pratiques : repères pour animer un groupe",
        "Les repères de l’analyse de pratiques entre intervenants-pairs formés : le cadre, la confidentialité, le rôle de chacun.",
        "",
        &["intervenants-pairs"],
        &["accompagner"],
        "region-32",
        "Coordination Hauts-de-France",
        "CC BY-NC-SA 4.0",
        "https://creaiors-occitanie.fr",
        "trained",
        Status::Published,
        "coordination-hdf@demo.epop.test",
        false,
    ),
    (
        "Témoignage vidéo d’une intervenante-paire",
        "Une vidéo où une intervenante-paire raconte sa première intervention dans un ESAT.",
        "",
        &["tout-public"],
        &["sensibiliser"],
        "departement-31",
        "Une intervenante-paire du réseau",
        "CC BY 4.0",
        "https://creaiors-occitanie.fr",
        "members",
        Status::Suggested,
        "pair@demo.epop.test",
        false,
    ),
];

/// The demo's welcome checklist as a tagged PDF.
pub fn welcome_pdf() -> Result<Vec<u8>, String> {
    let doc = Document {
        title: WELCOME_TITLE.into(),
        subject: "Ce qu’une structure d’accueil prépare avant la première intervention".into(),
        author: "Coordination Occitanie".into(),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "Fiche d’accueil d’un intervenant-pair".into(),
            },
            Block::Paragraph(
                "Avant la première intervention, la structure d’accueil prépare :".into(),
            ),
            Block::List(vec![
                "le lieu, et comment y venir ;".into(),
                "les horaires, avec des pauses ;".into(),
                "la personne qui accueille, et son téléphone ;".into(),
                "les adaptations demandées ;".into(),
                "la fiche mission, relue avec l’intervenant-pair.".into(),
            ]),
        ],
    };
    render(&doc).map_err(|e| e.0)
}

/// Writes the demo's files into the file storage.
pub async fn write_files(files: &dyn epop_web::storage::Storage) -> Result<(), String> {
    let pdf = welcome_pdf()?;
    files
        .put(WELCOME_KEY, &pdf)
        .await
        .map_err(|e| format!("écriture dans {} impossible : {e}", files.describe()))
}

/// Loads the demo resources (idempotently, by title).
pub async fn load(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    let mut created = 0;
    for s in SEEDS {
        let (title, summary, easy, audiences, kinds, territory, author, licence, link) =
            (s.0, s.1, s.2, s.3, s.4, s.5, s.6, s.7, s.8);
        let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM resources WHERE title = $1")
            .bind(title)
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        if exists > 0 {
            continue;
        }
        let form = ResourceForm {
            title: title.into(),
            summary: summary.into(),
            summary_easy: easy.into(),
            audiences: audiences.iter().map(|a| (*a).into()).collect(),
            kinds: kinds.iter().map(|k| (*k).into()).collect(),
            territory: territory.into(),
            language: "fr".into(),
            date: "2026-11-16".into(),
            author: author.into(),
            licence: licence.into(),
            link: link.into(),
            transcript: String::new(),
            visibility: s.9.into(),
        };
        let r = form.validate().map_err(|p| format!("{title}: {p:?}"))?;
        let by = accounts::id_by_email(&mut tx, &Email::parse(s.11).map_err(|e| e.0)?)
            .await
            .map_err(err)?;
        let (id, _) = toolbox::create(&mut tx, &r, &[], s.10, by)
            .await
            .map_err(err)?;
        if s.12 {
            let size = welcome_pdf()?.len() as i64;
            let file = NewFile {
                public_id: "demo-fiche-accueil",
                role: FileRole::Main,
                file_name: "Fiche d’accueil d’un intervenant-pair.pdf",
                kind: FileKind::Pdf,
                size,
                storage_key: WELCOME_KEY,
            };
            toolbox::add_file(&mut tx, id, &file, by)
                .await
                .map_err(err)?;
        }
        created += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(created)
}
