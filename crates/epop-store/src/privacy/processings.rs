//! The processings of the privacy page (what is kept, why, for how long)
//! and the retention durations the register and the purge use.

use super::Processing;

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
pub const CANDIDATES: Processing = Processing {
    name: "Candidatures pour devenir intervenant-pair ou référent",
    purpose: "Recevoir votre candidature, vous contacter, vous inviter à une réunion d’information ou à une formation, garder les étapes de votre parcours.",
    legal_basis: "Votre accord (article 6.1.a) ; votre accord explicite pour ce qui vous aiderait à participer, qui peut dire votre handicap (article 9.2.a).",
    data: "Nom, département, e-mail, téléphone, actions qui vous intéressent, ce qui vous aiderait à participer, étapes du parcours.",
    who_sees: "Vous, les coordinateurs de votre département et les administrateurs ; chaque lecture de votre candidature est notée.",
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
pub const EVALUATION: Processing = Processing {
    name: "Évaluation et questionnaires",
    purpose: "Vous demander votre avis après une intervention, une formation ou un événement, et en tirer des chiffres pour améliorer le réseau et rendre compte à ses financeurs.",
    legal_basis: "Intérêt légitime du réseau à évaluer ses actions (article 6.1.f) ; répondre est libre et chaque question accepte « je préfère ne pas répondre ».",
    data: "Votre adresse e-mail pour l’envoi et un rappel ; vos réponses, gardées sans votre nom ni votre adresse.",
    who_sees: "Personne ne voit qui a répondu quoi ; les coordinateurs, les administrateurs et les financeurs voient des chiffres, jamais moins de 5 personnes à la fois.",
};
pub const NEWSLETTER: Processing = Processing {
    name: "Lettre d’information",
    purpose: "Vous envoyer chaque mois les actualités, les événements et les formations de votre région.",
    legal_basis: "Votre accord (article 6.1.a), confirmé par le lien envoyé à votre adresse ; vous vous désabonnez d’un clic.",
    data: "Adresse e-mail, région choisie, version habituelle ou facile à lire, date de confirmation.",
    who_sees: "Personne ne lit la liste ; elle sert seulement à l’envoi de la lettre.",
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

pub const TOOLBOX: Processing = Processing {
    name: "Boîte à outils",
    purpose: "Recevoir les ressources que vous proposez, pour que la coordination les relise.",
    legal_basis: "Nécessaire au service que vous demandez (article 6.1.b).",
    data: "Les ressources que vous proposez et votre compte. Les téléchargements sont comptés par mois, sans savoir qui télécharge.",
    who_sees: "La coordination du territoire de la ressource et les administrateurs.",
};

pub const EASY_REVIEWS: Processing = Processing {
    name: "Relecture des textes faciles à lire",
    purpose: "Recevoir votre avis sur un texte facile à lire que vous relisez, payé comme une intervention, et afficher votre prénom avec le texte relu si vous êtes d’accord.",
    legal_basis: "Nécessaire à l’exécution de la mission que vous acceptez (article 6.1.b).",
    data: "Vos réponses phrase par phrase (comprise ou pas, mots difficiles), et votre accord pour afficher votre prénom.",
    who_sees: "La personne qui a écrit le texte, la coordination de son territoire et les administrateurs.",
};

/// Every processing, in the order of the privacy page.
pub const PROCESSINGS: [&Processing; 14] = [
    &ACCOUNTS,
    &DIRECTORY,
    &EVENTS,
    &CANDIDATES,
    &TRAININGS,
    &REQUESTS,
    &CONTACT,
    &PAYMENTS,
    &TOOLBOX,
    &EASY_REVIEWS,
    &EVALUATION,
    &NEWSLETTER,
    &MAIL,
    &SECURITY,
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
/// How long an invitation to answer a questionnaire (with the address it
/// went to) is kept after it was made: two years of response rates.
pub const INVITATION_DAYS: i64 = 730;
/// How long payments are kept (accounting).
pub const PAYMENT_DAYS: i64 = 3650;
/// How long a newsletter subscription never confirmed is kept.
pub const UNCONFIRMED_SUBSCRIPTION_DAYS: i64 = 7;
/// How long a newsletter link (confirmation, unsubscription) is kept.
pub const NEWSLETTER_LINK_DAYS: i64 = 365;
