//! The register's tables: news, the fixed pages' easy-read texts and the
//! newsletter (its subscribers' addresses are personal data: a
//! subscription never confirmed is purged after a few days, unsubscribing
//! deletes it, and so does erasure).

use super::super::processings::{NEWSLETTER, NEWSLETTER_LINK_DAYS, UNCONFIRMED_SUBSCRIPTION_DAYS};
use super::super::{Col, Erase, Keep, Table};

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "news",
        processing: None,
        holds: "Les actualités publiées par la coordination.",
        whose: None,
        erase: Erase::Keep("une actualité n’est pas une donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("title", Col::Plain),
            ("summary", Col::Plain),
            ("body", Col::Plain),
            ("title_easy", Col::Plain),
            ("body_easy", Col::Plain),
            ("region_code", Col::Plain),
            ("department_code", Col::Plain),
            ("image_file", Col::Plain),
            ("image_alt", Col::Plain),
            ("links", Col::Plain),
        ],
    },
    Table {
        name: "page_texts",
        processing: None,
        holds: "Les textes en facile à lire des pages fixes du site (accueil, devenir intervenant-pair…).",
        whose: None,
        erase: Erase::Keep("un texte du site n’est pas une donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[("slug", Col::Plain), ("easy_text", Col::Plain)],
    },
    Table {
        name: "newsletter_links",
        processing: Some(&NEWSLETTER),
        holds: "Les liens envoyés pour confirmer l’abonnement à la lettre ou s’en désabonner (empreinte seulement).",
        whose: Some(
            "subscriber_id IN (SELECT id FROM newsletter_subscribers WHERE account_id = {account} OR email = {email})",
        ),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: NEWSLETTER_LINK_DAYS,
            column: "created_at",
            only: "",
            said: "{durée} au plus, effacés avec l’abonnement",
        },
        columns: &[("token_hash", Col::Secret), ("purpose", Col::Plain)],
    },
    Table {
        name: "newsletter_subscribers",
        processing: Some(&NEWSLETTER),
        holds: "Votre abonnement à la lettre d’information : adresse e-mail, région ou département, version facile à lire.",
        whose: Some("account_id = {account} OR email = {email}"),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: UNCONFIRMED_SUBSCRIPTION_DAYS,
            column: "created_at",
            only: "confirmed_at IS NULL",
            said: "jusqu’au désabonnement ; un abonnement jamais confirmé est effacé après {durée}",
        },
        columns: &[
            ("email", Col::Personal("''")),
            ("region_code", Col::Plain),
            ("department_code", Col::Plain),
        ],
    },
    Table {
        name: "newsletter_digests",
        processing: None,
        holds: "Les lettres d’information du mois, par territoire.",
        whose: None,
        erase: Erase::Keep("la lettre ne nomme personne"),
        keep: Keep::NotPersonal,
        columns: &[
            ("territory", Col::Plain),
            ("month", Col::Plain),
            ("subject", Col::Plain),
            ("body", Col::Plain),
            ("body_easy", Col::Plain),
        ],
    },
];
