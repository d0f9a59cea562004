//! The register's tables: sign-in, roles, rate limits, the outbox, the audit log and consents.

use super::super::processings::{
    ACCOUNTS, AUDIT_LOG_DAYS, DIRECTORY, MAIL, RATE_LIMIT_DAYS, SECURITY,
};
use super::super::{Col, DAY, Erase, Keep, Table};

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "sessions",
        processing: Some(&ACCOUNTS),
        holds: "Vos sessions de connexion (seulement une empreinte du cookie).",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::Expires("30 jours au plus, ou jusqu’à la déconnexion"),
        columns: &[("id_hash", Col::Secret)],
    },
    Table {
        name: "auth_tokens",
        processing: Some(&ACCOUNTS),
        holds: "Les liens de connexion, d’invitation et de nouveau mot de passe envoyés (empreinte seulement).",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::Expires(
            "15 minutes pour un lien de connexion, 1 heure pour un nouveau mot de passe, 7 jours pour une invitation ; une seule utilisation",
        ),
        columns: &[("token_hash", Col::Secret), ("purpose", Col::Plain)],
    },
    Table {
        name: "role_scopes",
        processing: Some(&ACCOUNTS),
        holds: "Les territoires de vos rôles.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[
            ("role", Col::Plain),
            ("territory_kind", Col::Plain),
            ("territory_code", Col::Plain),
        ],
    },
    Table {
        name: "account_roles",
        processing: Some(&ACCOUNTS),
        holds: "Vos rôles.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("role", Col::Plain)],
    },
    Table {
        name: "rate_limits",
        processing: Some(&SECURITY),
        holds: "Les compteurs d’essais de connexion par adresse e-mail et par adresse IP.",
        whose: Some("substr(bucket, length(bucket) - length({email})) = ':' || {email}"),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: RATE_LIMIT_DAYS,
            column: "window_start",
            only: "",
            said: "",
        },
        columns: &[("bucket", Col::Personal("''"))],
    },
    Table {
        name: "outbox",
        processing: Some(&MAIL),
        holds: "Les e-mails qui vous sont écrits : le texte jusqu’à l’envoi, ensuite seulement l’objet, les dates et une empreinte de l’adresse.",
        whose: Some("recipient = {email} OR recipient = {email_hash} OR reply_to = {email}"),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: crate::outbox::KEEP_DONE_SECS / DAY,
            column: "sent_at",
            only: "sent_at IS NOT NULL",
            said: "le texte jusqu’à l’envoi ; l’objet et les dates {durée} après l’envoi, puis effacé",
        },
        columns: &[
            ("message_id", Col::Plain),
            ("recipient", Col::Personal("''")),
            ("subject", Col::Mentions),
            ("body_text", Col::Mentions),
            ("last_error", Col::Mentions),
            ("attachment_name", Col::Mentions),
            ("attachment_type", Col::Plain),
            ("attachment_body", Col::Secret),
            ("reply_to", Col::Personal("NULL")),
            ("list_unsubscribe", Col::Secret),
        ],
    },
    Table {
        name: "audit_log",
        processing: Some(&SECURITY),
        holds: "Ce que vous avez fait, et ce qui a été fait sur votre compte ou votre fiche (dont qui a lu vos informations sensibles).",
        whose: Some(
            "actor_id = {account} OR subject = 'account:' || {public_id} \
             OR subject IN (SELECT 'profile:' || slug FROM profiles WHERE account_id = {account})",
        ),
        erase: Erase::Anonymise,
        keep: Keep::Purged {
            days: AUDIT_LOG_DAYS,
            column: "at",
            only: "",
            said: "",
        },
        columns: &[
            ("action", Col::Plain),
            ("subject", Col::Mentions),
            ("detail", Col::Mentions),
            ("ip", Col::Personal("NULL")),
        ],
    },
    Table {
        name: "consents",
        processing: Some(&DIRECTORY),
        holds: "Vos accords : pour quoi, quand, donnés par vous ou par écrit (et qui l’a enregistré), retirés ou non.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[
            ("purpose", Col::Plain),
            ("text_version", Col::Plain),
            ("source", Col::Plain),
            ("written_on", Col::Plain),
            ("written_how", Col::Mentions),
            ("note", Col::Mentions),
        ],
    },
];
