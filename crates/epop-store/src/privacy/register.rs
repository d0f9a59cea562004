//! The register's content: the processings of the privacy page, the
//! retention durations, and every table with its text columns.

use super::{Col, DAY, Erase, Keep, Processing, Table};

pub const ACCOUNTS: Processing = Processing {
    name: "Comptes et connexion",
    purpose: "Vous connecter et vous montrer ce qui vous concerne.",
    legal_basis: "Nécessaire au service que vous demandez (RGPD, article 6.1.b).",
    data: "Nom, adresse e-mail, téléphone, rôles, territoires, sessions de connexion.",
    who_sees: "Vous, les coordinateurs de votre territoire et les administrateurs.",
};
pub const DIRECTORY: Processing = Processing {
    name: "Annuaire des intervenants-pairs et des référents",
    purpose: "Faire connaître les personnes qui interviennent, avec ce qu’elles proposent.",
    legal_basis: "Votre accord (article 6.1.a) ; votre accord explicite pour le handicap et la santé (article 9.2.a).",
    data: "Fiche : présentation, territoires, thèmes, langues, disponibilités, photo ; besoins d’adaptation et expérience du handicap si vous les donnez ; vos accords.",
    who_sees: "Ceux que vous choisissez : tout le monde, les membres du réseau, ou personne. Les informations sensibles : seulement ceux que votre accord autorise, et chaque lecture est notée.",
};
pub const EVENTS: Processing = Processing {
    name: "Événements",
    purpose: "Vous inscrire à un événement et l’adapter à vos besoins.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b) ; votre accord pour les besoins d’accessibilité (article 9.2.a).",
    data: "Nom, e-mail, téléphone, besoins d’accessibilité, réponses aux questions, présence.",
    who_sees: "Vous et l’organisateur de l’événement.",
};
pub const TRAININGS: Processing = Processing {
    name: "Formations et accompagnement",
    purpose: "Organiser les formations, prouver qu’elles ont eu lieu, suivre votre parcours.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b) et obligation de la formation professionnelle (article 6.1.c).",
    data: "Candidatures, motivation, besoins, présences, étapes du parcours, notes de suivi.",
    who_sees: "Vous, les coordinateurs de votre territoire et les administrateurs.",
};
pub const REQUESTS: Processing = Processing {
    name: "Demandes d’intervention",
    purpose: "Recevoir les demandes, proposer un intervenant-pair, préparer et suivre l’intervention.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b).",
    data: "Demande, personne à contacter, propositions et réponses, ce que l’intervenant-pair demande de prévoir pour lui s’il le donne, messages, avis après l’intervention.",
    who_sees: "L’organisation qui demande, l’intervenant-pair proposé, les coordinateurs du territoire.",
};
pub const PAYMENTS: Processing = Processing {
    name: "Paiements et frais",
    purpose: "Payer les intervenants-pairs et rembourser leurs frais.",
    legal_basis: "Obligation légale de comptabilité (article 6.1.c ; code de commerce, article L123-22).",
    data: "Montants, dates de paiement, frais et justificatifs.",
    who_sees: "L’intervenant-pair, l’organisation qui paie, les coordinateurs du territoire.",
};
pub const CONTACT: Processing = Processing {
    name: "Messages à la coordination",
    purpose: "Transmettre votre message à la coordination de votre territoire et vous répondre.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b).",
    data: "Nom, adresse e-mail, téléphone si vous le donnez, vos messages et les réponses.",
    who_sees: "Les coordinateurs à qui le message est adressé (ou les administrateurs, pour la coordination nationale). Chaque lecture est notée.",
};
pub const MAIL: Processing = Processing {
    name: "E-mails envoyés",
    purpose: "Vous écrire : liens de connexion, inscriptions, propositions.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b).",
    data: "Adresse, objet et texte des e-mails à envoyer.",
    who_sees: "Personne ne les lit ; les administrateurs voient la liste des envois.",
};
pub const SECURITY: Processing = Processing {
    name: "Journal de sécurité et protection contre les abus",
    purpose: "Protéger vos données, savoir qui a lu les informations sensibles, bloquer les attaques.",
    legal_basis: "Intérêt légitime (article 6.1.f).",
    data: "Date, compte, action, adresse IP ; compteurs d’essais de connexion par adresse.",
    who_sees: "Les administrateurs. Vous voyez les lignes qui vous concernent dans « Mes données ».",
};

/// Every processing, in the order of the privacy page.
pub const PROCESSINGS: [&Processing; 9] = [
    &ACCOUNTS, &DIRECTORY, &EVENTS, &TRAININGS, &REQUESTS, &CONTACT, &PAYMENTS, &MAIL, &SECURITY,
];

/// How long the security log is kept.
pub const AUDIT_LOG_DAYS: i64 = 365;
/// How long a rate-limit counter (which may hold an e-mail address) is kept.
pub const RATE_LIMIT_DAYS: i64 = 1;
/// How long a request draft never confirmed is kept.
pub const DRAFT_DAYS: i64 = 30;
/// How long a message to the coordination is kept after the last one of
/// its conversation.
pub const CONTACT_DAYS: i64 = 365;
/// How long payments are kept (accounting).
pub const PAYMENT_DAYS: i64 = 3650;

const PROFILE_ROWS: &str = "profile_id IN (SELECT id FROM profiles WHERE account_id = {account})";
/// The rows of the requests a person made, or took as the accepted peer.
macro_rules! their_requests {
    () => {
        "request_id IN (SELECT request_id FROM request_proposals WHERE account_id = {account} AND status = 'accepted') \
         OR request_id IN (SELECT id FROM intervention_requests WHERE requester_id = {account})"
    };
}
const PAID: &str = their_requests!();
/// A request's thread is read by who made the request and by the peer who
/// took it: theirs to see in their export, with their own messages.
const MESSAGES: &str = concat!("author_id = {account} OR ", their_requests!());
/// The conversations a person started by writing to the coordination.
macro_rules! their_conversations {
    () => {
        "conversation_id IN (SELECT id FROM contact_conversations WHERE sender_email = {email})"
    };
}
const KEPT_FOR_COUNTS: &str =
    "compté dans les indicateurs ; ne garde qu’un lien vers le compte effacé";
const ACCOUNTING: &str = "obligation comptable";

/// Every table of the schema. Erasure walks it in this order: a table whose
/// `whose` reads another table's personal columns comes before it.
pub const REGISTER: &[Table] = &[
    Table {
        name: "regions",
        processing: None,
        holds: "Les régions.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("code", Col::Plain),
            ("name", Col::Plain),
            ("slug", Col::Plain),
        ],
    },
    Table {
        name: "departments",
        processing: None,
        holds: "Les départements.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("code", Col::Plain),
            ("name", Col::Plain),
            ("slug", Col::Plain),
            ("region_code", Col::Plain),
        ],
    },
    Table {
        name: "organisations",
        processing: None,
        holds: "Les organisations (personnes morales).",
        whose: None,
        erase: Erase::Keep("personne morale"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("name", Col::Plain),
            ("kind", Col::Plain),
            ("siret", Col::Plain),
            ("department_code", Col::Plain),
        ],
    },
    Table {
        name: "themes",
        processing: None,
        holds: "Les thèmes de l’annuaire.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[("slug", Col::Plain), ("label", Col::Plain)],
    },
    Table {
        name: "legal_rules",
        processing: None,
        holds: "Les règles des cadres juridiques.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("situation", Col::Plain),
            ("framework", Col::Plain),
            ("verdict", Col::Plain),
            ("requirements", Col::Plain),
            ("warnings", Col::Plain),
            ("warnings_easy", Col::Plain),
            ("whom_to_ask", Col::Plain),
            ("source", Col::Plain),
            ("checked_on", Col::Plain),
        ],
    },
    Table {
        name: "training_programmes",
        processing: None,
        holds: "Les programmes de formation.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("title", Col::Plain),
            ("audience", Col::Plain),
            ("description", Col::Plain),
            ("description_easy", Col::Plain),
            ("duration", Col::Plain),
        ],
    },
    Table {
        name: "programmes",
        processing: None,
        holds: "Les expérimentations locales et les déploiements.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("name", Col::Plain),
            ("kind", Col::Plain),
            ("carrier", Col::Plain),
            ("carrier_kind", Col::Plain),
            ("partners", Col::Plain),
            ("aims", Col::Plain),
            ("aims_easy", Col::Plain),
            ("status", Col::Plain),
            ("review", Col::Mentions),
        ],
    },
    Table {
        name: "programme_departments",
        processing: None,
        holds: "Les départements de chaque programme local.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[("department_code", Col::Plain)],
    },
    Table {
        name: "programme_coordinators",
        processing: Some(&ACCOUNTS),
        holds: "Les programmes locaux que vous coordonnez.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[],
    },
    Table {
        name: "training_half_days",
        processing: None,
        holds: "Les demi-journées des sessions de formation.",
        whose: None,
        erase: Erase::Keep("référentiel"),
        keep: Keep::NotPersonal,
        columns: &[],
    },
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
    Table {
        name: "profile_departments",
        processing: Some(&DIRECTORY),
        holds: "Les départements où vous intervenez.",
        whose: Some(PROFILE_ROWS),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("department_code", Col::Plain)],
    },
    Table {
        name: "profile_interventions",
        processing: Some(&DIRECTORY),
        holds: "Les sortes d’intervention que vous proposez.",
        whose: Some(PROFILE_ROWS),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("kind", Col::Plain)],
    },
    Table {
        name: "profile_themes",
        processing: Some(&DIRECTORY),
        holds: "Vos thèmes.",
        whose: Some(PROFILE_ROWS),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[],
    },
    Table {
        name: "profile_languages",
        processing: Some(&DIRECTORY),
        holds: "Vos langues.",
        whose: Some(PROFILE_ROWS),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("language", Col::Plain)],
    },
    Table {
        name: "profile_absences",
        processing: Some(&DIRECTORY),
        holds: "Vos absences.",
        whose: Some(PROFILE_ROWS),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("starts_on", Col::Plain), ("ends_on", Col::Plain)],
    },
    Table {
        name: "profile_fts",
        processing: Some(&DIRECTORY),
        holds: "L’index de recherche de l’annuaire (une copie de votre fiche).",
        whose: Some("rowid IN (SELECT id FROM profiles WHERE account_id = {account})"),
        erase: Erase::Index,
        keep: Keep::WhileAccount,
        // SQLite: the FTS5 columns; PostgreSQL: copies of `profiles`.
        columns: &[
            ("body", Col::Plain),
            ("tags", Col::Plain),
            ("visibility", Col::Plain),
            ("kind", Col::Plain),
            ("sort_name", Col::Plain),
        ],
    },
    Table {
        name: "profile_fts_words",
        processing: None,
        holds: "Les mots de l’index de recherche, sans lien avec une personne.",
        whose: None,
        erase: Erase::Keep("mots seuls, sans lien avec une fiche"),
        keep: Keep::NotPersonal,
        columns: &[("word", Col::Plain)],
    },
    Table {
        name: "profiles",
        processing: Some(&DIRECTORY),
        holds: "Votre fiche de l’annuaire.",
        whose: Some("account_id = {account}"),
        erase: Erase::Anonymise,
        keep: Keep::WhileAccount,
        columns: &[
            ("kind", Col::Plain),
            ("slug", Col::Personal("'efface-' || CAST(id AS TEXT)")),
            ("display_name", Col::Personal("'Fiche effacée'")),
            ("sort_name", Col::Personal("'fiche effacee'")),
            ("visibility", Col::Personal("'hidden'")),
            ("home_department", Col::Personal("NULL")),
            ("presentation", Col::Personal("''")),
            ("presentation_easy", Col::Personal("''")),
            ("own_words", Col::Personal("''")),
            ("photo_path", Col::File("photos")),
            ("photo_alt", Col::Personal("NULL")),
            ("other_languages", Col::Personal("''")),
            ("trained_on", Col::Plain),
            ("training_programme", Col::Plain),
            ("job_title", Col::Personal("NULL")),
            ("accommodations", Col::Personal("NULL")),
            ("disability_experience", Col::Personal("NULL")),
            ("search_text", Col::Personal("''")),
        ],
    },
    Table {
        name: "events",
        processing: None,
        holds: "Les événements.",
        whose: None,
        erase: Erase::Keep("l’événement n’est pas une donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("title", Col::Plain),
            ("description", Col::Plain),
            ("description_easy", Col::Plain),
            ("audience", Col::Plain),
            ("online_link", Col::Plain),
            ("address", Col::Plain),
            ("directions", Col::Plain),
            ("department_code", Col::Plain),
            ("organiser", Col::Mentions),
            ("accessibility", Col::Plain),
            ("questions", Col::Plain),
            ("cancel_reason", Col::Mentions),
        ],
    },
    Table {
        name: "event_links",
        processing: Some(&EVENTS),
        holds: "Les liens envoyés pour gérer une inscription (empreinte seulement).",
        whose: Some(
            "registration_id IN (SELECT id FROM event_registrations WHERE account_id = {account} OR email = {email})",
        ),
        erase: Erase::Delete,
        keep: Keep::Anonymised {
            days: crate::events::KEEP_AFTER_EVENT / DAY,
            after: "l’événement",
        },
        columns: &[("token_hash", Col::Secret)],
    },
    Table {
        name: "event_registrations",
        processing: Some(&EVENTS),
        holds: "Vos inscriptions aux événements, avec vos besoins d’accessibilité.",
        whose: Some("account_id = {account} OR email = {email}"),
        erase: Erase::Anonymise,
        keep: Keep::Anonymised {
            days: crate::events::KEEP_AFTER_EVENT / DAY,
            after: "l’événement",
        },
        columns: &[
            ("name", Col::Personal("'Personne anonymisée'")),
            (
                "email",
                Col::Personal("'anonyme-' || CAST(id AS TEXT) || '@anonyme.invalid'"),
            ),
            ("phone", Col::Personal("NULL")),
            ("needs", Col::Personal("''")),
            ("needs_other", Col::Personal("NULL")),
            ("answers", Col::Personal("''")),
            ("status", Col::Plain),
            ("consent_version", Col::Plain),
        ],
    },
    Table {
        name: "training_sessions",
        processing: None,
        holds: "Les sessions de formation.",
        whose: None,
        erase: Erase::Keep("la session n’est pas une donnée personnelle"),
        keep: Keep::NotPersonal,
        columns: &[
            ("slug", Col::Plain),
            ("title", Col::Plain),
            ("place", Col::Plain),
            ("department_code", Col::Plain),
            ("trainers", Col::Mentions),
            ("peer_trainers", Col::Mentions),
        ],
    },
    Table {
        name: "training_attendance",
        processing: Some(&TRAININGS),
        holds: "Vos présences aux demi-journées de formation.",
        whose: Some(
            "application_id IN (SELECT id FROM training_applications WHERE account_id = {account})",
        ),
        erase: Erase::Keep(KEPT_FOR_COUNTS),
        keep: Keep::WhileAccount,
        columns: &[],
    },
    Table {
        name: "training_applications",
        processing: Some(&TRAININGS),
        holds: "Vos candidatures aux formations.",
        whose: Some("account_id = {account}"),
        erase: Erase::Anonymise,
        keep: Keep::WhileAccount,
        columns: &[
            ("public_id", Col::Plain),
            ("motivation", Col::Written("''")),
            ("needs", Col::Personal("''")),
            ("status", Col::Plain),
            ("reason", Col::Personal("NULL")),
        ],
    },
    Table {
        name: "accompaniment_milestones",
        processing: Some(&TRAININGS),
        holds: "Les étapes de votre parcours.",
        whose: Some("account_id = {account}"),
        erase: Erase::Keep(KEPT_FOR_COUNTS),
        keep: Keep::WhileAccount,
        columns: &[("milestone", Col::Plain), ("reached_on", Col::Plain)],
    },
    Table {
        name: "follow_up_notes",
        processing: Some(&TRAININGS),
        holds: "Les notes de suivi écrites sur vous par la coordination.",
        whose: Some("account_id = {account}"),
        erase: Erase::Delete,
        keep: Keep::WhileAccount,
        columns: &[("body", Col::Mentions)],
    },
    Table {
        name: "request_transitions",
        processing: Some(&REQUESTS),
        holds: "Les étapes des demandes que vous avez fait avancer.",
        whose: Some("actor_id = {account}"),
        erase: Erase::Keep(KEPT_FOR_COUNTS),
        keep: Keep::WhileAccount,
        columns: &[
            ("from_status", Col::Plain),
            ("to_status", Col::Plain),
            ("reason", Col::Mentions),
            ("event", Col::Plain),
        ],
    },
    Table {
        name: "request_proposals",
        processing: Some(&REQUESTS),
        holds: "Les interventions qui vous ont été proposées, et vos réponses.",
        whose: Some("account_id = {account}"),
        erase: Erase::Anonymise,
        keep: Keep::WhileAccount,
        columns: &[
            ("public_id", Col::Plain),
            ("status", Col::Plain),
            ("reason", Col::Written("NULL")),
            ("shared_accommodations", Col::Personal("NULL")),
        ],
    },
    Table {
        name: "request_feedback",
        processing: Some(&REQUESTS),
        holds: "Vos avis après une intervention.",
        whose: Some("account_id = {account}"),
        erase: Erase::Anonymise,
        keep: Keep::WhileAccount,
        columns: &[
            ("side", Col::Plain),
            ("again", Col::Plain),
            ("comment", Col::Written("NULL")),
        ],
    },
    Table {
        name: "request_readiness",
        processing: Some(&REQUESTS),
        holds: "La préparation de l’accueil que vous avez notée.",
        whose: Some("updated_by = {account}"),
        erase: Erase::Keep("préparation de l’accueil de l’organisation"),
        keep: Keep::WhileAccount,
        columns: &[("notes", Col::Mentions)],
    },
    Table {
        name: "request_messages",
        processing: Some(&REQUESTS),
        holds: "Les messages du fil de vos demandes et des interventions que vous avez acceptées, et vos messages dans le fil des autres demandes.",
        whose: Some(MESSAGES),
        erase: Erase::AnonymiseOwn("author_id = {account}"),
        keep: Keep::WhileAccount,
        columns: &[(
            "body",
            Col::Written("'Message effacé à la demande de la personne qui l’avait écrit.'"),
        )],
    },
    Table {
        name: "request_payments",
        processing: Some(&PAYMENTS),
        holds: "Les paiements de vos interventions, et ceux des demandes que vous avez faites.",
        whose: Some(PAID),
        erase: Erase::Keep(ACCOUNTING),
        keep: Keep::Legal {
            days: PAYMENT_DAYS,
            why: ACCOUNTING,
        },
        columns: &[
            ("payer", Col::Plain),
            ("due_on", Col::Plain),
            ("status", Col::Plain),
            ("paid_on", Col::Plain),
        ],
    },
    Table {
        name: "request_expenses",
        processing: Some(&PAYMENTS),
        holds: "Vos frais et leurs justificatifs.",
        whose: Some(PAID),
        erase: Erase::Anonymise,
        keep: Keep::Legal {
            days: PAYMENT_DAYS,
            why: ACCOUNTING,
        },
        columns: &[
            ("public_id", Col::Plain),
            ("label", Col::Plain),
            ("receipt_file", Col::File("justificatifs")),
            ("receipt_type", Col::Personal("NULL")),
        ],
    },
    Table {
        name: "intervention_requests",
        processing: Some(&REQUESTS),
        holds: "Les demandes d’intervention que vous avez faites, ou dont vous êtes la personne à contacter ou le référent.",
        whose: Some(
            "requester_id = {account} OR contact_email = {email} OR referent_id = {account}",
        ),
        erase: Erase::Anonymise,
        keep: Keep::Purged {
            days: DRAFT_DAYS,
            column: "updated_at",
            only: "status = 'draft'",
            said: "brouillon jamais envoyé : {durée}, puis effacé ; demande envoyée : gardée, sans votre nom si vous effacez votre compte",
        },
        columns: &[
            ("public_id", Col::Plain),
            ("status", Col::Plain),
            (
                "form",
                Col::Form(&["contact_name", "contact_email", "contact_phone"]),
            ),
            (
                "contact_email",
                Col::Personal(
                    "CASE WHEN contact_email = {email} THEN 'anonyme-' || CAST(id AS TEXT) || '@anonyme.invalid' ELSE contact_email END",
                ),
            ),
            ("token_hash", Col::Secret),
            ("kind", Col::Plain),
            ("subject", Col::Mentions),
            ("department_code", Col::Plain),
            ("date_from", Col::Plain),
            ("date_to", Col::Plain),
            ("framework", Col::Plain),
            ("situations", Col::Plain),
        ],
    },
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
        ],
    },
];
