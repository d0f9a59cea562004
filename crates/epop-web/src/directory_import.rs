//! Importing the directory spreadsheets coordinators keep today — one flow
//! for the command `epop import-directory FILE [--dry-run] [--skip-invalid]
//! [--invite]` and the upload page: read by `epop_docs::directory_import`,
//! written by `epop_store::directory_import`, reported in French.
//!
//! Every problem of every line is printed; if there is one, nothing is
//! imported (unless `--skip-invalid`). Accounts are created as invited and no
//! e-mail goes out without `--invite`. What is printed names the options as
//! the person sees them: flags for the command, boxes for the page
//! ([`Wording`]).

use std::collections::HashMap;
use std::io::Write;

use crate::emails::{EASY_FOOTER, Words};
use crate::french::plural;
use crate::security::{hash_token, random_token};
use epop_docs::directory_import::{self, Parsed};
use epop_domain::Email;
use epop_domain::directory::ProfileKind;
use epop_store::directory_import::{self as store_import, Report};
use epop_store::outbox::{self, Message};
use epop_store::sessions::{self, Purpose};
use epop_store::{Db, StoreError};

/// How long an invitation link works.
pub const INVITATION_TTL_SECS: i64 = 7 * 24 * 3600;
/// How many names a dry run lists before it only counts.
const LISTED: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub dry_run: bool,
    pub skip_invalid: bool,
    pub invite: bool,
    /// The platform's public address, for the invitation links.
    pub base_url: String,
    pub wording: Wording,
}

/// Where the import runs, so that its report names the options as the
/// person sees them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Wording {
    /// `epop import-directory`: its flags.
    #[default]
    Command,
    /// The upload page: its boxes.
    Page,
}

impl Wording {
    /// How to ask for a trial, after « Essai ».
    fn dry_run(self) -> &'static str {
        match self {
            Wording::Command => " (--dry-run)",
            Wording::Page => "",
        }
    }

    fn skip_invalid(self) -> &'static str {
        match self {
            Wording::Command => "--skip-invalid",
            Wording::Page => "« Importer quand même les lignes sans problème »",
        }
    }

    fn invite(self) -> &'static str {
        match self {
            Wording::Command => "--invite",
            Wording::Page => "« Envoyer les invitations »",
        }
    }

    /// « relancez avec --invite » or « relancez en cochant « … » ».
    fn again_with(self, option: &str) -> String {
        match self {
            Wording::Command => format!("relancez avec {option}"),
            Wording::Page => format!("relancez en cochant {option}"),
        }
    }
}

/// What the command did.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub report: Report,
    /// Invitations written to the outbox (to be sent by the worker).
    pub invitations: usize,
}

/// Reads, checks and (unless there is a problem) imports `bytes`, printing
/// to `out` what it found and did. An `Err` is the last sentence to show
/// (and the command exits with 1).
pub async fn run(
    db: &Db,
    bytes: &[u8],
    options: &Options,
    actor_id: Option<i64>,
    out: &mut impl Write,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Outcome, String> {
    let w = options.wording;
    let parsed = directory_import::parse(bytes);
    check(&parsed, options, out)?;
    let total = parsed.rows.len();
    let report = store_import::apply(db, &parsed.rows, options.dry_run, actor_id, |n| {
        progress(n, total)
    })
    .await
    .map_err(store)?;
    write!(out, "{}", summary(&report, options.dry_run, w)).map_err(io)?;

    let emails: Vec<Email> = parsed.rows.iter().map(|r| r.email.clone()).collect();
    let mut conn = db.conn().await.map_err(store)?;
    let waiting = store_import::awaiting_invitation(&mut conn, &emails)
        .await
        .map_err(store)?;
    drop(conn);
    let mut outcome = Outcome {
        report,
        invitations: 0,
    };
    if options.dry_run {
        let n = outcome.report.new_accounts.len() + waiting.len();
        if options.invite && n > 0 {
            writeln!(
                out,
                "Avec {}, {}.",
                w.invite(),
                plural(n, "invitation partirait", "invitations partiraient")
            )
            .map_err(io)?;
        }
        return Ok(outcome);
    }
    if !options.invite {
        if !waiting.is_empty() {
            writeln!(
                out,
                "Aucun e-mail n’est parti. {} encore d’invitation : {} pour les inviter (le même \
                 fichier ne recrée rien).",
                plural(waiting.len(), "personne n’a pas", "personnes n’ont pas"),
                w.again_with(w.invite())
            )
            .map_err(io)?;
        }
        return Ok(outcome);
    }
    invite(db, &parsed, &waiting, &options.base_url).await?;
    outcome.invitations = waiting.len();
    if waiting.is_empty() {
        writeln!(
            out,
            "Aucune invitation à envoyer : chaque personne du fichier a déjà un lien valable ou \
             s’est déjà connectée."
        )
        .map_err(io)?;
    } else {
        writeln!(
            out,
            "{} (lien valable 7 jours).",
            plural(
                waiting.len(),
                "invitation préparée",
                "invitations préparées"
            )
        )
        .map_err(io)?;
    }
    Ok(outcome)
}

/// A write to `out` that failed, as the sentence to show.
fn io(e: std::io::Error) -> String {
    e.to_string()
}

/// A store error, as the sentence to show.
fn store(e: StoreError) -> String {
    e.to_string()
}

/// Prints what the file holds (its description, the columns ignored, every
/// problem); an `Err` when nothing is to be imported: a problem without
/// `--skip-invalid`, or no valid line.
fn check(parsed: &Parsed, options: &Options, out: &mut impl Write) -> Result<(), String> {
    let w = options.wording;
    writeln!(out, "{}", describe(parsed)).map_err(io)?;
    if !parsed.ignored_columns.is_empty() {
        writeln!(
            out,
            "Colonnes ignorées (nom non reconnu) : {}. Vérifiez leur orthographe si elles devaient être lues.",
            parsed
                .ignored_columns
                .iter()
                .map(|c| format!("« {c} »"))
                .collect::<Vec<_>>()
                .join(", ")
        )
        .map_err(io)?;
    }
    if !parsed.problems.is_empty() {
        writeln!(
            out,
            "\n{} à corriger dans le fichier :",
            plural(parsed.problems.len(), "problème", "problèmes")
        )
        .map_err(io)?;
        for p in &parsed.problems {
            writeln!(out, "  {p}").map_err(io)?;
        }
        writeln!(out).map_err(io)?;
        if !options.skip_invalid {
            return Err(format!(
                "Rien n’a été importé. Corrigez ces lignes dans le tableur puis relancez \
                 l’import, ou {} pour importer seulement les lignes sans problème.",
                w.again_with(w.skip_invalid())
            ));
        }
        writeln!(
            out,
            "{} : {} de côté.",
            w.skip_invalid(),
            plural(
                parsed.total_lines - parsed.rows.len(),
                "ligne avec un problème laissée",
                "lignes avec un problème laissées"
            )
        )
        .map_err(io)?;
    }
    if parsed.rows.is_empty() {
        return Err("Aucune ligne à importer : rien n’a été importé.".into());
    }
    Ok(())
}

/// Writes, in one transaction, an invitation link and its e-mail for each
/// person `waiting` (id, address, name), the link under `base_url`.
async fn invite(
    db: &Db,
    parsed: &Parsed,
    waiting: &[(i64, String, String)],
    base_url: &str,
) -> Result<(), String> {
    let kinds: HashMap<&str, ProfileKind> = parsed
        .rows
        .iter()
        .map(|r| (r.email.as_str(), r.kind))
        .collect();
    let mut tx = db.write().await.map_err(store)?;
    for (id, email, name) in waiting {
        let token = random_token();
        sessions::create_token(
            &mut tx,
            &hash_token(&token),
            *id,
            Purpose::Invitation,
            INVITATION_TTL_SECS,
        )
        .await
        .map_err(store)?;
        let link = format!("{}/invitation/{token}", base_url.trim_end_matches('/'));
        let kind = kinds
            .get(email.as_str())
            .copied()
            .unwrap_or(ProfileKind::Peer);
        let easy = epop_store::accounts::wants_easy_read_emails(&mut tx, email)
            .await
            .map_err(store)?;
        let words = Words::easy_if(easy);
        outbox::enqueue(&mut tx, &invitation(email, name, kind, &link, words))
            .await
            .map_err(store)?;
    }
    tx.commit().await.map_err(|e| e.to_string())
}

/// « Fichier lu : 12 lignes (UTF-8, séparateur « ; »), 11 sans problème. »
pub fn describe(parsed: &Parsed) -> String {
    let separator = match parsed.separator {
        '\t' => "tabulation".to_owned(),
        c => format!("« {c} »"),
    };
    format!(
        "Fichier lu : {} ({}, séparateur {separator}), {} sans problème.",
        plural(parsed.total_lines, "ligne de données", "lignes de données"),
        parsed.encoding,
        parsed.rows.len()
    )
}

/// The report in French. A dry run says what would happen.
pub fn summary(r: &Report, dry_run: bool, w: Wording) -> String {
    let mut s = String::new();
    if dry_run {
        s.push_str(&format!(
            "\nEssai{} : rien n’a été enregistré. L’import ferait ceci :\n",
            w.dry_run()
        ));
        s.push_str(&format!(
            "  comptes à créer (invités) : {}\n  fiches à mettre à jour : {}\n  lignes inchangées : {}\n",
            r.created, r.updated, r.unchanged
        ));
        if !r.organisations_created.is_empty() {
            s.push_str(&format!(
                "  organisations à créer (association) : {}\n",
                r.organisations_created.join(", ")
            ));
        }
        for (_, email, name) in r.new_accounts.iter().take(LISTED) {
            s.push_str(&format!("  + {name} <{email}>\n"));
        }
        if r.new_accounts.len() > LISTED {
            s.push_str(&format!(
                "  … et {}\n",
                plural(
                    r.new_accounts.len() - LISTED,
                    "autre compte",
                    "autres comptes"
                )
            ));
        }
    } else {
        s.push_str("\nImport terminé :\n");
        s.push_str(&format!(
            "  comptes créés (invités) : {}\n  fiches mises à jour : {}\n  lignes inchangées : {}\n",
            r.created, r.updated, r.unchanged
        ));
        if !r.organisations_created.is_empty() {
            s.push_str(&format!(
                "  organisations créées (association) : {}\n",
                r.organisations_created.join(", ")
            ));
        }
    }
    for (line, note) in &r.notes {
        s.push_str(&format!("  ligne {line} : {note}.\n"));
    }
    s
}

/// The invitation of a person the import listed in the directory.
pub fn invitation(to: &str, name: &str, kind: ProfileKind, link: &str, words: Words) -> Message {
    if words == Words::Easy {
        let role = match kind {
            ProfileKind::Peer => "intervenant-pair",
            ProfileKind::Referent => "référent",
        };
        return Message {
            recipient: to.to_owned(),
            subject: "Vous êtes dans l’annuaire d’EPoP".into(),
            body_text: format!(
                "Bonjour {name},\n\n\
                 La coordination du réseau EPoP a ajouté votre fiche dans l’annuaire.\n\
                 Vous êtes dans l’annuaire comme {role}.\n\
                 Avec l’annuaire, les personnes du réseau vous trouvent pour une intervention.\n\n\
                 Pour ouvrir votre compte, ouvrez ce lien :\n{link}\n\n\
                 Le lien marche 1 seule fois.\n\
                 Le lien marche pendant 7 jours.\n\n\
                 Vous choisissez qui voit votre fiche.\n\
                 Pour le moment, votre fiche est cachée au public.\n\
                 Vous pouvez changer votre fiche quand vous voulez.\n\
                 Vous voulez sortir de l’annuaire ?\n\
                 Alors dites-le à la coordination.\n{EASY_FOOTER}"
            ),
            attachment: None,
        };
    }
    let role = match kind {
        ProfileKind::Peer => "intervenant-pair ou intervenante-paire",
        ProfileKind::Referent => "référent ou référente",
    };
    Message {
        recipient: to.to_owned(),
        subject: "Votre fiche dans l’annuaire EPoP : activez votre compte".into(),
        body_text: format!(
            "Bonjour {name},\n\n\
             La coordination du réseau EPoP a ajouté votre fiche dans l’annuaire de la plateforme EPoP, \
             comme {role}, à partir de la liste qu’elle tenait jusqu’ici.\n\
             L’annuaire permet aux personnes et aux structures du réseau de vous trouver pour une intervention.\n\n\
             Pour activer votre compte et relire votre fiche, ouvrez ce lien :\n{link}\n\n\
             Ce lien marche une seule fois, pendant 7 jours.\n\
             Vous pourrez choisir un mot de passe, ou continuer sans mot de passe :\n\
             dans ce cas, nous vous enverrons un lien par e-mail à chaque connexion.\n\n\
             C’est vous qui choisissez qui voit votre fiche : tout le monde, les membres du réseau \
             seulement, ou personne. Tant que vous n’avez pas dit oui, votre fiche n’est jamais publique. \
             Vous pouvez la modifier ou la masquer à tout moment.\n\
             Si vous ne voulez pas être dans l’annuaire, dites-le à la coordination de votre territoire.\n\
             \n--\nEPoP – réseau des intervenants-pairs\n\
             Vous recevez ce message parce que la coordination du réseau a saisi votre adresse sur la plateforme EPoP.\n\
             Si vous ne connaissez pas ce réseau, ne faites rien : personne ne pourra se connecter sans ce message.\n"
        ),
        attachment: None,
    }
}
