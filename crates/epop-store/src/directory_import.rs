//! Writing the rows of a directory spreadsheet (read and checked by
//! `epop_docs::directory_import::parse`) in one transaction.
//!
//! The e-mail address is the key: an existing account is updated, never
//! duplicated; a new one is created as invited. A row that would change
//! nothing is not written, so importing the same file again changes nothing.
//!
//! What an existing profile keeps: the name and the visibility (the file
//! may make a profile less visible, never more, and changes nothing of a
//! visibility the person chose themself); what the
//! file does not say (an empty cell or an absent column keeps the stored
//! départements, kinds of intervention, themes, formats, organisation and
//! training date); and what the file has no column for (presentations,
//! languages, travel, availability, job, sensitive fields).
//!
//! Consent comes from the person (`epop_domain::directory::visibility_ceiling`,
//! the same rule as the coordinators' pages): a new profile is visible to
//! members at most until the person says yes in their own space or a
//! coordinator records their written consent, and stays hidden when the
//! person withdrew their consent. The report says so for each line where
//! the file asked for more ([`Report::notes`]).

use std::collections::{BTreeSet, HashMap};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use epop_docs::directory_import::ImportRow;
use epop_domain::account::AccountStatus;
use epop_domain::directory::{
    Format, InterventionKind, ListingConsent, ProfileKind, Visibility, visibility_ceiling,
};
use epop_domain::organisation::{NewOrganisation, OrganisationKind};
use epop_domain::text::{fold, plural, slugify};
use epop_domain::{Email, Role};
use rand_core::{OsRng, RngCore};
use sqlx::AnyConnection;

use crate::accounts::{self, NewAccount};
use crate::directory::{self, ProfileInput};
use crate::{Db, Engine, Result, StoreError, audit, now, organisations};

/// The training programme written with a training date from a file, when
/// the profile had none.
pub const TRAINING_PROGRAMME: &str = "Formation EPoP";

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Accounts created (each with its profile).
    pub created: usize,
    /// Existing accounts whose profile or role changed.
    pub updated: usize,
    /// Rows that matched what was stored.
    pub unchanged: usize,
    /// Names of the organisations created (kind « association »).
    pub organisations_created: Vec<String>,
    /// (account id, e-mail, name) of the accounts created, to invite them.
    pub new_accounts: Vec<(i64, String, String)>,
    /// (line of the file, what it says) where the file asked for a profile
    /// more visible than the person agreed to.
    pub notes: Vec<(usize, String)>,
}

/// Writes `rows` in one write transaction, rolled back when `dry_run`.
/// `progress(n)` is called after each row with the number of rows done.
/// One audit line (`directory_imported`) records the counts and `actor_id`.
pub async fn apply(
    db: &Db,
    rows: &[ImportRow],
    dry_run: bool,
    actor_id: Option<i64>,
    mut progress: impl FnMut(usize),
) -> Result<Report> {
    let mut tx = db.write().await?;
    let mut report = Report::default();
    let themes: HashMap<String, i64> = directory::themes(&mut tx)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.id))
        .collect();
    let mut orgs = Organisations::load(&mut tx).await?;
    for (done, row) in rows.iter().enumerate() {
        apply_row(&mut tx, db.engine(), row, &themes, &mut orgs, &mut report).await?;
        progress(done + 1);
    }
    audit::record(
        &mut tx,
        audit::Event {
            actor_id,
            action: "directory_imported",
            subject: None,
            detail: detail(&report, rows.len()),
            ip: None,
        },
    )
    .await?;
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    Ok(report)
}

fn detail(r: &Report, rows: usize) -> String {
    let mut s = format!(
        "Import de l’annuaire : {}, {}, {}, {}",
        plural(rows, "ligne", "lignes"),
        plural(r.created, "compte créé", "comptes créés"),
        plural(r.updated, "fiche mise à jour", "fiches mises à jour"),
        plural(r.unchanged, "fiche inchangée", "fiches inchangées"),
    );
    if !r.organisations_created.is_empty() {
        s.push_str(&format!(
            ", {} : {}",
            if r.organisations_created.len() == 1 {
                "organisation créée"
            } else {
                "organisations créées"
            },
            r.organisations_created.join(", ")
        ));
    }
    s.push('.');
    s
}

/// A random public id for a new account (16 bytes, URL-safe).
fn new_public_id() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Organisations by exact name, then by name without case, accents or
/// punctuation (« Croix-Rouge Française » is « Croix-Rouge française »).
struct Organisations {
    by_name: HashMap<String, i64>,
    by_slug: HashMap<String, i64>,
}

impl Organisations {
    async fn load(conn: &mut AnyConnection) -> Result<Self> {
        let mut o = Organisations {
            by_name: HashMap::new(),
            by_slug: HashMap::new(),
        };
        for org in organisations::list(conn).await? {
            o.by_slug.entry(slugify(&org.name)).or_insert(org.id);
            o.by_name.insert(org.name, org.id);
        }
        Ok(o)
    }

    async fn find_or_create(
        &mut self,
        conn: &mut AnyConnection,
        name: &str,
        report: &mut Report,
    ) -> Result<i64> {
        if let Some(id) = self.by_name.get(name) {
            return Ok(*id);
        }
        if let Some(id) = self.by_slug.get(&slugify(name)) {
            return Ok(*id);
        }
        let org = organisations::create(
            conn,
            &NewOrganisation {
                name: name.to_owned(),
                kind: OrganisationKind::Association,
                siret: None,
                department: None,
            },
        )
        .await?;
        report.organisations_created.push(org.name.clone());
        self.by_slug.insert(slugify(name), org.id);
        self.by_name.insert(org.name, org.id);
        Ok(org.id)
    }
}

/// A stored profile, every field the import writes back.
struct Stored {
    display_name: String,
    visibility: Visibility,
    home_department: Option<String>,
    presentation: String,
    presentation_easy: String,
    own_words: String,
    on_site: bool,
    remote: bool,
    travel_km: Option<i64>,
    other_languages: String,
    max_per_month: Option<i64>,
    job_title: Option<String>,
    organisation_id: Option<i64>,
    trained_on: Option<String>,
    training_programme: Option<String>,
    departments: Vec<String>,
    interventions: Vec<InterventionKind>,
    theme_ids: Vec<i64>,
    languages: Vec<String>,
}

async fn stored_profile(
    conn: &mut AnyConnection,
    account_id: i64,
    kind: ProfileKind,
) -> Result<Option<Stored>> {
    let row: Option<(
        i64,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        i64,
        i64,
        Option<i64>,
        String,
        Option<i64>,
        Option<String>,
        Option<i64>,
        Option<String>,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT id, display_name, visibility, home_department, presentation, presentation_easy, own_words, \
         on_site, remote, travel_km, other_languages, max_per_month, job_title, organisation_id, trained_on, \
         training_programme FROM profiles WHERE account_id = $1 AND kind = $2",
    )
    .bind(account_id)
    .bind(kind.code())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let id = r.0;
    let departments: Vec<String> = sqlx::query_scalar(
        "SELECT department_code FROM profile_departments WHERE profile_id = $1 ORDER BY department_code",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM profile_interventions WHERE profile_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let theme_ids: Vec<i64> =
        sqlx::query_scalar("SELECT theme_id FROM profile_themes WHERE profile_id = $1")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let languages: Vec<String> = sqlx::query_scalar(
        "SELECT language FROM profile_languages WHERE profile_id = $1 ORDER BY language",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Some(Stored {
        display_name: r.1,
        visibility: Visibility::from_code(&r.2).unwrap_or(Visibility::Hidden),
        home_department: r.3,
        presentation: r.4,
        presentation_easy: r.5,
        own_words: r.6,
        on_site: r.7 != 0,
        remote: r.8 != 0,
        travel_km: r.9,
        other_languages: r.10,
        max_per_month: r.11,
        job_title: r.12,
        organisation_id: r.13,
        trained_on: r.14,
        training_programme: r.15,
        departments,
        interventions: InterventionKind::ALL
            .into_iter()
            .filter(|k| kinds.iter().any(|c| c == k.code()))
            .collect(),
        theme_ids,
        languages,
    }))
}

/// What the import compares: the fields a file can set.
#[derive(Debug, PartialEq, Eq)]
struct Compared {
    display_name: String,
    visibility: &'static str,
    home_department: Option<String>,
    departments: BTreeSet<String>,
    interventions: BTreeSet<&'static str>,
    theme_ids: BTreeSet<i64>,
    own_words: String,
    on_site: bool,
    remote: bool,
    organisation_id: Option<i64>,
    trained_on: Option<String>,
}

impl Compared {
    fn of(input: &ProfileInput, trained_on: Option<String>) -> Self {
        let mut departments: BTreeSet<String> = input.departments.iter().cloned().collect();
        departments.extend(input.home_department.clone());
        Compared {
            display_name: input.display_name.clone(),
            visibility: input.visibility.code(),
            home_department: input.home_department.clone(),
            departments,
            interventions: input.interventions.iter().map(|k| k.code()).collect(),
            theme_ids: input.theme_ids.iter().copied().collect(),
            own_words: input.own_words.clone(),
            on_site: input.on_site,
            remote: input.remote,
            organisation_id: input.organisation_id,
            trained_on,
        }
    }
}

/// The stored profile as input (to compare, and to write back what the
/// file does not change).
fn as_input(s: &Stored, kind: ProfileKind) -> ProfileInput {
    ProfileInput {
        kind,
        display_name: s.display_name.clone(),
        visibility: s.visibility,
        home_department: s.home_department.clone(),
        presentation: s.presentation.clone(),
        presentation_easy: s.presentation_easy.clone(),
        own_words: s.own_words.clone(),
        on_site: s.on_site,
        remote: s.remote,
        travel_km: s.travel_km,
        other_languages: s.other_languages.clone(),
        max_per_month: s.max_per_month,
        job_title: s.job_title.clone(),
        organisation_id: s.organisation_id,
        departments: s.departments.clone(),
        interventions: s.interventions.clone(),
        theme_ids: s.theme_ids.clone(),
        languages: s.languages.clone(),
    }
}

/// Adds the words not yet in `own_words` (compared without case or accents).
fn merge_words(own_words: &str, words: &[impl AsRef<str>]) -> String {
    let mut out = own_words.trim().to_owned();
    let mut present: BTreeSet<String> = own_words
        .split([',', ';', '/', '\n'])
        .map(|w| fold(w.trim()))
        .filter(|w| !w.is_empty())
        .collect();
    for w in words {
        let w = w.as_ref();
        if present.insert(fold(w.trim())) {
            if !out.is_empty() {
                out.push_str(", ");
            }
            out.push_str(w.trim());
        }
    }
    out
}

/// Writes one row: its organisation, its account, its phone, its profile
/// (only when something changed) and its training date; counts it in `report`.
async fn apply_row(
    conn: &mut AnyConnection,
    engine: Engine,
    row: &ImportRow,
    themes: &HashMap<String, i64>,
    orgs: &mut Organisations,
    report: &mut Report,
) -> Result<()> {
    let organisation_id = match &row.organisation {
        Some(name) => Some(orgs.find_or_create(conn, name, report).await?),
        None => None,
    };
    let home = row.departments.first().cloned();
    let existing = accounts::credentials(conn, &row.email).await?;
    let existing_id = existing.as_ref().map(|c| c.id);
    let (account_id, account_department, mut changed) =
        account(conn, row, existing_id, home.as_deref(), organisation_id).await?;
    if let Some(phone) = &row.phone
        && accounts::set_phone(conn, account_id, phone).await?
        && existing.is_some()
    {
        changed = true;
    }

    // The profile: what is stored, and what the row makes of it.
    let stored = match existing {
        Some(_) => stored_profile(conn, account_id, row.kind).await?,
        None => None,
    };
    let mut input = match &stored {
        Some(s) => as_input(s, row.kind),
        None => new_input(row, account_department),
    };
    let before = stored
        .as_ref()
        .map(|s| Compared::of(&input, s.trained_on.clone()));
    let consent = match existing {
        Some(_) => directory::listing_consent(conn, account_id).await?,
        None => ListingConsent::NeverAsked,
    };
    visibility(row, stored.as_ref(), consent, &mut input, report);
    fill_from_row(&mut input, row, themes, home, organisation_id);
    let stored_training = stored.as_ref().and_then(|s| s.trained_on.clone());
    let trained_on = row
        .trained_on
        .map(|d| d.format("%Y-%m-%d").to_string())
        .or_else(|| stored_training.clone());
    let after = Compared::of(&input, trained_on.clone());
    changed |= before.as_ref() != Some(&after);

    if !changed {
        report.unchanged += 1;
        return Ok(());
    }
    let (profile_id, _) = directory::upsert(conn, engine, account_id, &input).await?;
    if trained_on.is_some() && trained_on != stored_training {
        let programme = stored
            .as_ref()
            .and_then(|s| s.training_programme.clone())
            .unwrap_or_else(|| TRAINING_PROGRAMME.to_owned());
        directory::set_training(conn, profile_id, trained_on.as_deref(), Some(&programme)).await?;
    }
    if existing.is_some() {
        report.updated += 1;
    } else {
        report.created += 1;
        report
            .new_accounts
            .push((account_id, row.email.to_string(), row.display_name.clone()));
    }
    Ok(())
}

/// The row's account, and what the row changes about it: an existing one
/// (`existing_id`) gets the row's role and, where it has none, the
/// département and the organisation; a new one is created as invited.
/// Returns its id, the département it had, and whether anything changed.
async fn account(
    conn: &mut AnyConnection,
    row: &ImportRow,
    existing_id: Option<i64>,
    home: Option<&str>,
    organisation_id: Option<i64>,
) -> Result<(i64, Option<String>, bool)> {
    let role = match row.kind {
        ProfileKind::Peer => Role::Peer,
        ProfileKind::Referent => Role::Referent,
    };
    let Some(id) = existing_id else {
        let id = accounts::create(
            conn,
            &NewAccount {
                public_id: new_public_id(),
                email: row.email.clone(),
                display_name: row.display_name.clone(),
                status: AccountStatus::Invited,
                department: home.map(str::to_owned),
                organisation_id,
            },
        )
        .await?;
        accounts::grant(conn, id, role).await?;
        if row.easy_emails == Some(true) {
            accounts::set_easy_read_emails(conn, id, true).await?;
        }
        return Ok((id, None, true));
    };
    let account = accounts::by_id(conn, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let needs_role = !account.roles.contains_key(&role);
    let fill_department = account.department_code.is_none() && home.is_some();
    let fill_organisation = account.organisation_id.is_none() && organisation_id.is_some();
    if needs_role {
        accounts::grant(conn, account.id, role).await?;
    }
    if fill_department || fill_organisation {
        accounts::update_profile(
            conn,
            account.id,
            &account.display_name,
            account.department_code.as_deref().or(home),
            account.organisation_id.or(organisation_id),
            account.status,
        )
        .await?;
    }
    Ok((
        account.id,
        account.department_code.clone(),
        needs_role || fill_department || fill_organisation,
    ))
}

/// A new profile's starting point: the row's name and visibility, the
/// account's département, French, nothing else.
fn new_input(row: &ImportRow, account_department: Option<String>) -> ProfileInput {
    ProfileInput {
        kind: row.kind,
        display_name: row.display_name.clone(),
        visibility: row.visibility,
        home_department: account_department.clone(),
        presentation: String::new(),
        presentation_easy: String::new(),
        own_words: String::new(),
        on_site: false,
        remote: false,
        travel_km: None,
        other_languages: String::new(),
        max_per_month: None,
        job_title: None,
        organisation_id: None,
        departments: account_department.into_iter().collect(),
        interventions: Vec::new(),
        theme_ids: Vec::new(),
        languages: vec!["fr".to_owned()],
    }
}

/// The profile's visibility. Nothing is more visible than the person agreed
/// to (`consent`). The visibility of an existing profile never widens; the
/// file may narrow it, unless the person chose it themself (a stale
/// spreadsheet never overrides them). A line whose visibility is not the
/// one asked gets a note in the report.
fn visibility(
    row: &ImportRow,
    stored: Option<&Stored>,
    consent: ListingConsent,
    input: &mut ProfileInput,
    report: &mut Report,
) {
    let wanted = match stored {
        Some(s) if consent == ListingConsent::ByPerson => s.visibility,
        Some(s) if row.visibility_given => row.visibility.at_most(s.visibility),
        Some(s) => s.visibility,
        None => {
            input.display_name = row.display_name.clone();
            row.visibility
        }
    };
    let current = stored.map(|s| s.visibility);
    input.visibility = wanted.at_most(visibility_ceiling(false, consent, current));
    if row.visibility_given && row.visibility != input.visibility {
        report.notes.push((
            row.line,
            visibility_note(row.visibility, input.visibility, consent),
        ));
    }
}

/// What the row says of the profile, where its cell is not empty:
/// départements (the first is the home one), kinds of intervention, themes
/// (known ones by id, others added to the person's own words), formats,
/// organisation.
fn fill_from_row(
    input: &mut ProfileInput,
    row: &ImportRow,
    themes: &HashMap<String, i64>,
    home: Option<String>,
    organisation_id: Option<i64>,
) {
    if !row.departments.is_empty() {
        input.departments = row.departments.clone();
        input.home_department = home;
    }
    if !row.interventions.is_empty() {
        let mut kinds = row.interventions.clone();
        kinds.sort();
        input.interventions = kinds;
    }
    if !row.themes.is_empty() {
        let mut ids = Vec::new();
        let mut words = Vec::new();
        for theme in &row.themes {
            match themes.get(&slugify(theme)) {
                Some(id) if !ids.contains(id) => ids.push(*id),
                Some(_) => {}
                None => words.push(theme),
            }
        }
        input.theme_ids = ids;
        input.own_words = merge_words(&input.own_words, &words);
    }
    if !row.formats.is_empty() {
        input.on_site = row.formats.contains(&Format::OnSite);
        input.remote = row.formats.contains(&Format::Remote);
    }
    if organisation_id.is_some() {
        input.organisation_id = organisation_id;
    }
}

/// Why a line's profile is not as visible as the file asked, in French.
fn visibility_note(asked: Visibility, got: Visibility, consent: ListingConsent) -> String {
    let word = |v: Visibility| match v {
        Visibility::Public => "public",
        Visibility::Members => "membres",
        Visibility::Hidden => "masqué",
    };
    let (asked, got) = (word(asked), word(got));
    match consent {
        ListingConsent::NeverAsked if got == "membres" => format!(
            "{asked} demandé : visible des membres seulement jusqu’à l’accord de la personne \
             (dans son espace après l’invitation, ou par un accord écrit enregistré par la coordination)"
        ),
        ListingConsent::Withdrawn => format!(
            "{asked} demandé : la personne a retiré son accord pour être dans l’annuaire, sa fiche reste masquée"
        ),
        ListingConsent::ByPerson => format!(
            "{asked} demandé : la personne a choisi elle-même qui voit sa fiche (« {got} »), son choix est gardé"
        ),
        _ => format!(
            "{asked} demandé : la fiche reste « {got} », comme avant ; seule la personne peut la rendre plus visible"
        ),
    }
}

/// The accounts of `emails` that still wait for their first sign-in
/// (invited, never signed in) and have no invitation link still valid:
/// (account id, e-mail, name). New accounts of an import are among them, and
/// so are those of an earlier import made without invitations.
pub async fn awaiting_invitation(
    conn: &mut AnyConnection,
    emails: &[Email],
) -> Result<Vec<(i64, String, String)>> {
    let t = now();
    let mut out = Vec::new();
    for email in emails {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT a.id, a.email, a.display_name FROM accounts a \
             WHERE a.email = $1 AND a.status = 'invited' AND a.last_sign_in_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM auth_tokens t WHERE t.account_id = a.id \
             AND t.purpose = 'invitation' AND t.used_at IS NULL AND t.expires_at > $2)",
        )
        .bind(email.as_str())
        .bind(t)
        .fetch_optional(&mut *conn)
        .await?;
        out.extend(row);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_words_are_added_once() {
        let (a, b) = ("Habitat", "santé mentale");
        assert_eq!(merge_words("", &[a, b]), "Habitat, santé mentale");
        assert_eq!(
            merge_words("habitat, Santé Mentale", &[a, b]),
            "habitat, Santé Mentale"
        );
        assert_eq!(merge_words("emploi", &[a]), "emploi, Habitat");
    }

    #[test]
    fn public_ids_are_random_and_url_safe() {
        let (a, b) = (new_public_id(), new_public_id());
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
    }
}
