//! The word lists the easy-read rules read: administrative words with the
//! everyday word to write instead, abbreviations, numbers in words, the
//! words of a negation, the forms of « être » and « avoir », and the
//! participles the passive rule knows or leaves alone. All folded (lower
//! case, no accents, `crate::text::fold`), short on purpose: each list is
//! read by one rule of `super`, which says its limits.

/// Administrative and jargon words, folded, with a word of every day to
/// write instead. Short on purpose: a list of frequent words to keep would
/// flag every other word. A word is found as written here or with `s`,
/// `e` or `es` added (« modalités », « afférente »).
pub const ADMINISTRATIVE: &[(&str, &str)] = &[
    ("afferent", "qui concerne"),
    ("afin", "pour"),
    ("cependant", "mais"),
    ("conformement", "comme le dit"),
    ("dispositif", "une aide, un service"),
    ("dorenavant", "à partir de maintenant"),
    ("echeance", "la date limite"),
    ("effectuer", "faire"),
    ("eligible", "qui a le droit"),
    ("justificatif", "un papier qui prouve"),
    ("ladite", "cette"),
    ("ledit", "ce"),
    ("lesdits", "ces"),
    ("lesdites", "ces"),
    ("modalite", "comment faire"),
    ("neanmoins", "mais"),
    ("nonobstant", "malgré"),
    ("notamment", "par exemple"),
    ("prealable", "avant"),
    ("prealablement", "avant"),
    ("proceder", "faire"),
    ("solliciter", "demander"),
    ("subsequent", "qui vient après"),
    ("susmentionne", "dont on a parlé"),
    ("susvise", "dont on a parlé"),
    ("toutefois", "mais"),
    ("ulterieurement", "plus tard"),
];

/// Abbreviations written with their dot (folded, without it). But for
/// « etc. », a dot after one of them does not end the sentence.
pub(super) const DOTTED: &[&str] = &[
    "etc", "cf", "ex", "p", "pp", "env", "tel", "min", "hab", "av", "bd", "mme", "mmes", "mlle",
    "dr", "nb", "approx", "fig", "chap",
];

/// Abbreviations flagged with or without a dot.
pub(super) const UNDOTTED: &[&str] = &["mme", "mmes", "mlle", "mlles", "dr", "svp", "cad", "nb"];

pub(super) const NUMBERS: &[&str] = &[
    "zero",
    "deux",
    "trois",
    "quatre",
    "cinq",
    "six",
    "sept",
    "huit",
    "neuf",
    "dix",
    "onze",
    "douze",
    "treize",
    "quatorze",
    "quinze",
    "seize",
    "vingt",
    "vingts",
    "trente",
    "quarante",
    "cinquante",
    "soixante",
    "cent",
    "cents",
    "mille",
    "million",
    "millions",
    "milliard",
    "milliards",
];

/// What makes « ne » a negation.
pub(super) const NEGATORS: &[&str] = &[
    "pas",
    "plus",
    "jamais",
    "rien",
    "personne",
    "aucun",
    "aucune",
    "guere",
    "nullement",
];

/// Negative subjects before « ne » (« Personne ne vient »).
pub(super) const SUBJECTS: &[&str] = &[
    "personne", "rien", "aucun", "aucune", "jamais", "nul", "nulle",
];

/// The forms of « être » (folded).
pub(super) const ETRE: &[&str] = &[
    "suis", "es", "est", "sommes", "etes", "sont", "etais", "etait", "etions", "etiez", "etaient",
    "serai", "seras", "sera", "serons", "serez", "seront", "serais", "serait", "serions", "seriez",
    "seraient", "sois", "soit", "soyons", "soyez", "soient", "etre", "ete", "fut", "furent",
];

/// The forms of « avoir » before « été » (« a été validée »).
pub(super) const AVOIR: &[&str] = &[
    "a", "ai", "as", "avons", "avez", "ont", "avais", "avait", "avions", "aviez", "avaient",
    "aurai", "auras", "aura", "aurons", "aurez", "auront", "aurait", "auraient", "ait", "aient",
    "avoir", "ayant",
];

/// Words between « être » and its participle (« sont tous invités »).
pub(super) const BETWEEN: &[&str] = &[
    "pas",
    "plus",
    "jamais",
    "bien",
    "tres",
    "deja",
    "souvent",
    "toujours",
    "aussi",
    "encore",
    "tous",
    "toutes",
    "tout",
    "parfois",
    "mal",
    "vraiment",
    "entierement",
];

/// Participles not ending in « é » that the passive rule knows (folded).
pub(super) const PARTICIPLES: &[&str] = &[
    "fini",
    "choisi",
    "reuni",
    "rempli",
    "accueilli",
    "etabli",
    "saisi",
    "servi",
    "suivi",
    "fourni",
    "garanti",
    "pris",
    "mis",
    "compris",
    "permis",
    "admis",
    "transmis",
    "remis",
    "soumis",
    "appris",
    "repris",
    "promis",
    "inclus",
    "exclu",
    "recu",
    "vu",
    "lu",
    "connu",
    "reconnu",
    "entendu",
    "attendu",
    "perdu",
    "rendu",
    "vendu",
    "tenu",
    "retenu",
    "obtenu",
    "soutenu",
    "prevu",
    "elu",
    "defendu",
    "interrompu",
    "resolu",
    "fait",
    "dit",
    "ecrit",
    "inscrit",
    "decrit",
    "prescrit",
    "interdit",
    "conduit",
    "construit",
    "produit",
    "traduit",
    "reduit",
    "offert",
];

/// Words in « é » after « être » that are not passive: the verbs that take
/// « être » (« est arrivé »), and participles used as adjectives (« suis
/// handicapée », « êtes concernés »). Folded, found with `s`, `e`, `es`.
pub(super) const NOT_PASSIVE: &[&str] = &[
    "ete",
    "ne",
    "alle",
    "arrive",
    "entre",
    "rentre",
    "reste",
    "tombe",
    "monte",
    "retourne",
    "passe",
    "decede",
    "age",
    "handicape",
    "fatigue",
    "desole",
    "situe",
    "occupe",
    "interesse",
    "concerne",
    "isole",
    "marie",
    "pacse",
    "habitue",
    "epuise",
    "presse",
];
