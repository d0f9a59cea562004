//! The register's tables: writing to the coordination, the accounts themselves, and the questionnaires with their anonymous answers.

use super::super::processings::{ACCOUNTS, CONTACT, CONTACT_DAYS, EVALUATION, INVITATION_DAYS};
use super::super::{Col, Erase, Keep, Table};

/// The conversations a person started by writing to the coordination.
macro_rules! their_conversations {
    () => {
        "conversation_id IN (SELECT id FROM contact_conversations WHERE sender_email = {email})"
    };
}

pub(super) const TABLES: &[Table] = &[
    Table {
        name: "contact_messages",
        processing: Some(&CONTACT),
        holds: "Vos messages à la coordination et ses réponses, et les réponses que vous avez écrites comme coordinateur.",
        whose: Some(concat!("author_id = {account} OR ", their_conversations!())),
        erase: Erase::AnonymiseOwn("author_id = {account}"),
        keep: Keep::Purged {
            days: CONTACT_DAYS,
            column: "created_at",
            only: "",
            said: "",
        },
        columns: &[(
            "body",
            Col::Written("'Message effacé à la demande de la personne qui l’avait écrit.'"),
        )],
    },
    Table {
        name: "contact_links",
        processing: Some(&CONTACT),
        holds: "Les liens envoyés pour écrire à nouveau à la coordination (empreinte seulement).",
        whose: Some(their_conversations!()),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: CONTACT_DAYS,
            column: "created_at",
            only: "",
            said: "",
        },
        columns: &[("token_hash", Col::Secret)],
    },
    Table {
        name: "contact_recipients",
        processing: Some(&CONTACT),
        holds: "À quels coordinateurs un message à la coordination est adressé, et s’ils l’ont lu.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::Expires("effacé avec la conversation, un an après son dernier message"),
        columns: &[],
    },
    Table {
        name: "contact_conversations",
        processing: Some(&CONTACT),
        holds: "Vos messages à la coordination : à qui, votre nom, votre adresse e-mail et votre téléphone.",
        whose: Some("sender_email = {email}"),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: CONTACT_DAYS,
            column: "updated_at",
            only: "",
            said: "1 an après le dernier message, puis effacé",
        },
        columns: &[
            ("public_id", Col::Plain),
            ("target_kind", Col::Plain),
            ("target_ref", Col::Plain),
            ("target_name", Col::Plain),
            ("sender_name", Col::Personal("''")),
            ("sender_email", Col::Personal("''")),
            ("sender_phone", Col::Personal("NULL")),
        ],
    },
    Table {
        name: "accounts",
        processing: Some(&ACCOUNTS),
        holds: "Votre compte.",
        whose: Some("id = {account}"),
        erase: Erase::Anonymise,
        keep: Keep::WhileAccount,
        columns: &[
            ("public_id", Col::Plain),
            (
                "email",
                Col::Personal("'efface-' || CAST(id AS TEXT) || '@efface.invalid'"),
            ),
            ("display_name", Col::Personal("'Compte effacé'")),
            ("password_hash", Col::Secret),
            ("status", Col::Personal("'disabled'")),
            ("department_code", Col::Plain),
            ("phone", Col::Personal("NULL")),
            ("email_words", Col::Personal("'habituels'")),
        ],
    },
    Table {
        name: "questionnaires",
        processing: None,
        holds: "Les questionnaires et leurs versions.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("purpose", Col::Plain),
            ("title", Col::Plain),
            ("questions", Col::Plain),
        ],
    },
    Table {
        name: "questionnaire_invitations",
        processing: Some(&EVALUATION),
        holds: "Les questionnaires qui vous ont été envoyés (pas vos réponses).",
        whose: Some("account_id = {account} OR email = {email}"),
        erase: Erase::Delete,
        keep: Keep::Purged {
            days: INVITATION_DAYS,
            column: "created_at",
            only: "",
            said: "",
        },
        columns: &[
            ("token_hash", Col::Secret),
            ("reminder_token_hash", Col::Secret),
            ("subject_kind", Col::Plain),
            ("respondent", Col::Plain),
            ("email", Col::Personal("NULL")),
            ("draft", Col::Personal("NULL")),
            ("department_code", Col::Plain),
            ("intervention_kind", Col::Plain),
        ],
    },
    Table {
        name: "questionnaire_responses",
        processing: None,
        holds: "Les réponses aux questionnaires, sans nom ni adresse.",
        whose: None,
        erase: Erase::Keep("anonyme : une réponse ne dit pas qui l’a donnée"),
        keep: Keep::NotPersonal,
        columns: &[
            ("subject_kind", Col::Plain),
            ("respondent", Col::Plain),
            ("department_code", Col::Plain),
            ("intervention_kind", Col::Plain),
        ],
    },
    Table {
        name: "questionnaire_answers",
        processing: None,
        holds: "Le détail des réponses, question par question, sans nom ni adresse.",
        whose: None,
        erase: Erase::Keep("anonyme : une réponse ne dit pas qui l’a donnée"),
        keep: Keep::NotPersonal,
        columns: &[("question_code", Col::Plain), ("text", Col::Mentions)],
    },
];
