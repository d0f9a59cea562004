//! The register's tables: the review of easy-read texts by the people they
//! are for. A round names the author who asked for it; a reviewer's answers
//! and their choice to be named are theirs, erased with their account (the
//! first names already shown with a mark were published with their
//! agreement and stay).

use super::super::processings::EASY_REVIEWS;
use super::super::{Col, Erase, Keep, Table};

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "easy_review_answers",
        processing: Some(&EASY_REVIEWS),
        holds: "Vos réponses quand vous relisez un texte facile à lire : phrase comprise ou pas, mots difficiles.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("words", Col::Plain)],
    },
    Table {
        name: "easy_reviewers",
        processing: Some(&EASY_REVIEWS),
        holds: "Les textes que vous avez fini de relire, et si votre prénom peut être affiché.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[],
    },
    Table {
        name: "easy_review_requests",
        processing: None,
        holds: "Les demandes « Donner son avis » de chaque relecture.",
        whose: None,
        erase: Erase::Keep("pas de donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[],
    },
    Table {
        name: "easy_reviews",
        processing: Some(&EASY_REVIEWS),
        holds: "Les relectures que vous avez demandées pour un texte facile à lire.",
        whose: Some("requested_by = {account}"),
        erase: Erase::Keep(
            "une relecture appartient au texte relu ; seul un numéro de compte effacé la relie à vous, et les prénoms affichés l’ont été avec l’accord des relecteurs",
        ),
        keep: Keep::WhileAccount,
        columns: &[
            ("public_id", Col::Plain),
            ("subject_kind", Col::Plain),
            ("subject_slug", Col::Plain),
            ("title", Col::Plain),
            ("text", Col::Plain),
            ("reviewed_text", Col::Plain),
            ("reviewer_names", Col::Plain),
        ],
    },
];
