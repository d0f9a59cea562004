//! The register's tables: the indicators' summary, counts that name
//! nobody.

use super::super::{Col, Erase, Keep, Table};

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "indicator_changes",
        processing: None,
        holds: "Les mois et départements dont les indicateurs sont à recompter.",
        whose: None,
        erase: Erase::Keep("ne concerne personne : un département et une date"),
        keep: Keep::NotPersonal,
        columns: &[("department_code", Col::Plain)],
    },
    Table {
        name: "indicator_sums",
        processing: None,
        holds: "Les indicateurs comptés par mois, département et type d’intervention.",
        whose: None,
        erase: Erase::Keep("des totaux, sans personne"),
        keep: Keep::NotPersonal,
        columns: &[
            ("department_code", Col::Plain),
            ("kind", Col::Plain),
            ("metric", Col::Plain),
            ("detail", Col::Plain),
        ],
    },
    Table {
        name: "indicator_peers",
        processing: None,
        holds: "Pour compter les intervenants-pairs actifs d’une année : des numéros de compte, sans nom.",
        whose: None,
        erase: Erase::Keep(
            "comptage : un numéro de compte, comme les propositions d’intervention gardées après l’effacement",
        ),
        keep: Keep::NotPersonal,
        columns: &[("department_code", Col::Plain), ("kind", Col::Plain)],
    },
    Table {
        name: "indicator_peer_counts",
        processing: None,
        holds: "Le nombre d’intervenants-pairs actifs par année, pour la France et chaque région.",
        whose: None,
        erase: Erase::Keep("des totaux, sans personne"),
        keep: Keep::NotPersonal,
        columns: &[("department_code", Col::Plain), ("kind", Col::Plain)],
    },
];
