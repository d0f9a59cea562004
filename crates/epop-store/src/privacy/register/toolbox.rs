//! The register's tables: the toolbox's resources, their files and their
//! download counts. A resource names nobody but the member who suggested
//! it (an account number); downloads are counts per month.

use super::super::processings::TOOLBOX;
use super::super::{Col, Erase, Keep, Table};

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "resources",
        processing: Some(&TOOLBOX),
        holds: "Les ressources que vous avez proposées à la boîte à outils.",
        whose: Some("suggested_by = {account}"),
        erase: Erase::Keep(
            "une ressource relue appartient à la boîte à outils ; seul un numéro de compte effacé la relie à vous",
        ),
        keep: Keep::WhileAccount,
        columns: &[
            ("slug", Col::Plain),
            ("title", Col::Plain),
            ("summary", Col::Plain),
            ("summary_easy", Col::Plain),
            ("region_code", Col::Plain),
            ("department_code", Col::Plain),
            ("language", Col::Plain),
            ("dated", Col::Plain),
            ("author", Col::Plain),
            ("licence", Col::Plain),
            ("link", Col::Plain),
            ("transcript", Col::Plain),
            ("visibility", Col::Plain),
            ("status", Col::Plain),
            ("format", Col::Plain),
            ("search_text", Col::Plain),
        ],
    },
    Table {
        name: "resource_audiences",
        processing: None,
        holds: "Les publics de chaque ressource.",
        whose: None,
        erase: Erase::Keep("pas de donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[("audience", Col::Plain)],
    },
    Table {
        name: "resource_interventions",
        processing: None,
        holds: "Les types d’intervention de chaque ressource.",
        whose: None,
        erase: Erase::Keep("pas de donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[("kind", Col::Plain)],
    },
    Table {
        name: "resource_themes",
        processing: None,
        holds: "Les thèmes de chaque ressource.",
        whose: None,
        erase: Erase::Keep("pas de donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[],
    },
    Table {
        name: "resource_files",
        processing: None,
        holds: "Les fichiers des ressources et leurs versions.",
        whose: None,
        erase: Erase::Keep("pas de donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[
            ("public_id", Col::Plain),
            ("role", Col::Plain),
            ("file_name", Col::Plain),
            ("kind", Col::Plain),
            ("storage_key", Col::Plain),
        ],
    },
    Table {
        name: "resource_downloads",
        processing: None,
        holds: "Le nombre de téléchargements de chaque ressource par mois, sans personne.",
        whose: None,
        erase: Erase::Keep("un compte par mois ne dit rien de personne"),
        keep: Keep::NotPersonal,
        columns: &[("month", Col::Plain)],
    },
];
