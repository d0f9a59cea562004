//! The import of the directory spreadsheets, on every engine: accounts,
//! roles, profiles and organisations created; the same file again changes
//! nothing; one changed cell updates one row; a dry run writes nothing; an
//! existing account is updated, never duplicated; the command's rules
//! (nothing imported when a line is wrong, e-mails only with `--invite`);
//! and 10,000 rows on SQLite.

use epop_docs::directory_import::{self as parser, ImportRow};
use epop_domain::directory::{Format, InterventionKind, SearchQuery, Visibility};
use epop_domain::{Email, Role};
use epop_store::accounts;
use epop_store::directory::{self, Card, Viewer};
use epop_store::directory_import::{Report, apply};
use epop_store::{Db, audit, organisations, outbox, testing};
use epop_web::directory_import::{self as import, Options};

const HEADER: &str = "nom;prénom;e-mail;téléphone;rôle;organisation;départements;interventions;thèmes;formats;formé le;visibilité";

/// Four people as a coordinator's spreadsheet lists them (Excel: BOM, `;`, CRLF).
fn file(hugo_departments: &str) -> Vec<u8> {
    format!(
        "\u{feff}{HEADER}\r\n\
         Martin;Léa;Lea.Martin@exemple.fr;06 12 34 56 78;intervenante-paire;Association Pairs 31;31, Gers;former, sensibiliser;Santé mentale, jardinage;sur place, à distance;15/03/2024;public\r\n\
         Petit;Hugo;hugo.petit@exemple.fr;;pair;;{hugo_departments};accompagner;;à distance;;\r\n\
         Bernard;Chloé;chloe.bernard@exemple.fr;;référente;association pairs 31;Haute-Garonne;;;;2023-10-01;membres\r\n\
         Morel;Inès;ines.morel@exemple.fr;;pair;;80;donner son avis;;;;masqué\r\n"
    )
    .into_bytes()
}

fn rows(bytes: &[u8]) -> Vec<ImportRow> {
    let parsed = parser::parse(bytes);
    assert!(parsed.problems.is_empty(), "{:#?}", parsed.problems);
    parsed.rows
}

async fn run(db: &Db, rows: &[ImportRow], dry_run: bool) -> Report {
    let mut calls = Vec::new();
    let report = apply(db, rows, dry_run, None, |n| calls.push(n))
        .await
        .expect("import");
    assert_eq!(calls, (1..=rows.len()).collect::<Vec<_>>(), "progress");
    report
}

async fn account_count(db: &Db) -> usize {
    let mut conn = db.conn().await.unwrap();
    accounts::list(&mut conn, None, None).await.unwrap().len()
}

async fn theme(db: &Db, label: &str) {
    let mut conn = db.conn().await.unwrap();
    directory::add_theme(&mut conn, label).await.unwrap();
}

/// What a signed-in member of the network finds for `text`.
async fn member_search(db: &Db, text: &str) -> (Vec<Card>, i64) {
    let mut conn = db.conn().await.unwrap();
    let viewer = Viewer {
        account_id: Some(-1),
        member: true,
        ..Default::default()
    };
    let q = SearchQuery {
        text: text.into(),
        ..Default::default()
    };
    directory::search(&mut conn, db.engine(), &q, &viewer)
        .await
        .unwrap()
}

async fn audit_lines(db: &Db) -> Vec<audit::Line> {
    let mut conn = db.conn().await.unwrap();
    let f = audit::Filter {
        action: "directory_imported".into(),
        ..Default::default()
    };
    audit::search(&mut conn, &f, 100, 0).await.unwrap().0
}

#[tokio::test]
async fn a_file_creates_accounts_roles_profiles_and_organisations() {
    for db in testing::all().await {
        theme(&db, "Santé mentale").await;
        let report = run(&db, &rows(&file("Ariège")), false).await;
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (4, 0, 0)
        );
        assert_eq!(report.organisations_created, vec!["Association Pairs 31"]);
        assert_eq!(report.new_accounts.len(), 4);
        assert_eq!(report.new_accounts[0].1, "lea.martin@exemple.fr");
        assert_eq!(report.new_accounts[0].2, "Léa Martin");

        let mut conn = db.conn().await.unwrap();
        let lea = accounts::id_by_email(&mut conn, &Email::parse("lea.martin@exemple.fr").unwrap())
            .await
            .unwrap();
        let lea = accounts::by_id(&mut conn, lea).await.unwrap().unwrap();
        assert_eq!(lea.status.code(), "invited");
        assert_eq!(
            accounts::phone(&mut conn, lea.id).await.unwrap().as_deref(),
            Some("06 12 34 56 78"),
            "the phone number is kept"
        );
        assert!(!lea.has_password);
        assert!(lea.roles.contains_key(&Role::Peer));
        assert_eq!(lea.department_code.as_deref(), Some("31"));
        assert_eq!(
            lea.organisation_name.as_deref(),
            Some("Association Pairs 31")
        );
        let chloe = accounts::id_by_email(
            &mut conn,
            &Email::parse("chloe.bernard@exemple.fr").unwrap(),
        )
        .await
        .unwrap();
        let chloe = accounts::by_id(&mut conn, chloe).await.unwrap().unwrap();
        assert!(chloe.roles.contains_key(&Role::Referent));
        assert_eq!(
            chloe.organisation_id, lea.organisation_id,
            "« association pairs 31 » is the organisation just created"
        );
        let orgs = organisations::list(&mut conn).await.unwrap();
        assert_eq!(
            orgs.iter()
                .filter(|o| o.name == "Association Pairs 31")
                .map(|o| o.kind.as_str())
                .collect::<Vec<_>>(),
            vec!["association"]
        );
        drop(conn);

        let (cards, total) = member_search(&db, "").await;
        assert_eq!(total, 3, "the hidden profile is not listed: {cards:?}");
        assert!(cards.iter().all(|c| c.display_name != "Inès Morel"));
        let (cards, _) = member_search(&db, "lea").await;
        let card = cards
            .iter()
            .find(|c| c.display_name == "Léa Martin")
            .expect("Léa is findable");
        assert_eq!(
            card.visibility,
            Visibility::Members,
            "public asked, members only until Léa says yes"
        );
        assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
        assert_eq!(report.notes[0].0, 2, "the line of the file");
        assert!(report.notes[0].1.starts_with(
            "public demandé : visible des membres seulement jusqu’à l’accord de la personne"
        ));
        assert_eq!(
            card.departments
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            vec!["31", "32"]
        );
        assert_eq!(
            card.interventions,
            vec![
                InterventionKind::TrainingProfessionals,
                InterventionKind::Awareness
            ]
        );
        assert_eq!(card.formats, vec![Format::OnSite, Format::Remote]);
        assert_eq!(card.themes, vec!["Santé mentale"]);
        assert_eq!(card.trained_on.as_deref(), Some("2024-03-15"));
        assert_eq!(card.languages, vec!["fr"]);
        let mut conn = db.conn().await.unwrap();
        let profile = directory::by_slug(&mut conn, &card.slug)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(profile.own_words, "jardinage");
        assert_eq!(
            profile.training_programme.as_deref(),
            Some("Formation EPoP")
        );
        drop(conn);
        let (found, _) = member_search(&db, "ariege").await;
        assert!(
            found.iter().any(|c| c.display_name == "Hugo Petit"),
            "found by the name of a département written in words"
        );
        let (found, _) = member_search(&db, "pairs").await;
        assert!(
            found.iter().any(|c| c.display_name == "Chloé Bernard"),
            "found by organisation"
        );

        let lines = audit_lines(&db).await;
        assert_eq!(lines.len(), 1);
        assert!(
            lines[0].detail.contains("4 comptes créés") && !lines[0].detail.contains("(s)"),
            "{}",
            lines[0].detail
        );
    }
}

#[tokio::test]
async fn the_same_file_again_changes_nothing_and_one_cell_updates_one_row() {
    for db in testing::all().await {
        theme(&db, "Santé mentale").await;
        let first = rows(&file("Ariège"));
        run(&db, &first, false).await;
        let accounts_after_first = account_count(&db).await;
        let (before, _) = member_search(&db, "").await;

        let again = run(&db, &first, false).await;
        assert_eq!(
            Report {
                notes: vec![],
                ..again.clone()
            },
            Report {
                created: 0,
                updated: 0,
                unchanged: 4,
                organisations_created: vec![],
                new_accounts: vec![],
                notes: vec![],
            }
        );
        assert_eq!(
            again.notes.len(),
            1,
            "still members only: {:?}",
            again.notes
        );
        assert_eq!(account_count(&db).await, accounts_after_first);
        assert_eq!(member_search(&db, "").await.0, before);

        let changed = run(&db, &rows(&file("Ariège, Aude")), false).await;
        assert_eq!(
            (changed.created, changed.updated, changed.unchanged),
            (0, 1, 3)
        );
        assert_eq!(account_count(&db).await, accounts_after_first);
        let (hugo, _) = member_search(&db, "hugo").await;
        assert_eq!(
            hugo[0]
                .departments
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            vec!["09", "11"]
        );
        let (found, _) = member_search(&db, "aude").await;
        assert!(found.iter().any(|c| c.display_name == "Hugo Petit"));
    }
}

#[tokio::test]
async fn a_dry_run_writes_nothing() {
    for db in testing::all().await {
        let accounts_before = account_count(&db).await;
        let report = run(&db, &rows(&file("Ariège")), true).await;
        assert_eq!(report.created, 4);
        assert_eq!(report.organisations_created, vec!["Association Pairs 31"]);
        assert_eq!(account_count(&db).await, accounts_before);
        let mut conn = db.conn().await.unwrap();
        assert!(
            organisations::by_name(&mut conn, "Association Pairs 31")
                .await
                .unwrap()
                .is_none()
        );
        drop(conn);
        assert_eq!(member_search(&db, "").await.1, 0);
        assert!(audit_lines(&db).await.is_empty());
        let real = run(&db, &rows(&file("Ariège")), false).await;
        assert_eq!(real.created, 4, "the dry run left nothing behind");
    }
}

#[tokio::test]
async fn existing_accounts_are_updated_never_duplicated() {
    for db in testing::all().await {
        epop::demo::load(&db).await.unwrap();
        let accounts_before = account_count(&db).await;
        let (awa_before, _) = member_search(&db, "awa").await;
        let awa_before = awa_before
            .into_iter()
            .find(|c| c.display_name == "Awa Diallo")
            .expect("demo profile");
        let mut conn = db.conn().await.unwrap();
        let awa_profile = directory::by_slug(&mut conn, &awa_before.slug)
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let file = format!(
            "{HEADER}\n\
             Diallo;Awa;PAIR@demo.epop.test;;pair;;31, 32, 81, 09;;;;;\n\
             Roux;Thomas;pair-ariege@demo.epop.test;;pair;;;;;;;public\n\
             Haddad;Nadia;pair-herault@demo.epop.test;;pair;;;;;;;masqué\n\
             Olivier;Marc;demandeur@demo.epop.test;;référent;;31;;;;;\n"
        );
        let report = run(&db, &rows(file.as_bytes()), false).await;
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (0, 2, 2)
        );
        assert!(report.new_accounts.is_empty());
        assert_eq!(
            report.notes.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
            vec![3, 4],
            "Thomas and Nadia keep what they chose: {:?}",
            report.notes
        );
        assert!(report.notes[1].1.contains("la personne a choisi elle-même"));
        assert_eq!(account_count(&db).await, accounts_before);

        let mut conn = db.conn().await.unwrap();
        let awa = directory::by_slug(&mut conn, &awa_before.slug)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(awa.account_id, awa_profile.account_id);
        assert_eq!(
            awa.card
                .departments
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>(),
            vec!["31", "09", "32", "81"]
        );
        assert_eq!(awa.presentation, awa_profile.presentation, "kept");
        assert_eq!(awa.presentation_easy, awa_profile.presentation_easy);
        assert_eq!(awa.card.interventions, awa_before.interventions);
        assert_eq!(awa.card.themes, awa_before.themes);
        assert_eq!(awa.card.trained_on, awa_before.trained_on);
        assert_eq!(awa.card.visibility, Visibility::Public);

        let slugs = |email: &'static str| {
            let db = db.clone();
            async move {
                let mut conn = db.conn().await.unwrap();
                let id = accounts::id_by_email(&mut conn, &Email::parse(email).unwrap())
                    .await
                    .unwrap();
                directory::slugs_of(&mut conn, id).await.unwrap()
            }
        };
        let thomas = slugs("pair-ariege@demo.epop.test").await;
        let thomas = directory::by_slug(&mut conn, &thomas[0].1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            thomas.card.visibility,
            Visibility::Members,
            "the file never makes a profile more visible than its owner chose"
        );
        let nadia = slugs("pair-herault@demo.epop.test").await;
        let nadia = directory::by_slug(&mut conn, &nadia[0].1)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            nadia.card.visibility,
            Visibility::Public,
            "nor less visible than she chose herself"
        );
        let marc = accounts::id_by_email(
            &mut conn,
            &Email::parse("demandeur@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        let marc_account = accounts::by_id(&mut conn, marc).await.unwrap().unwrap();
        assert!(marc_account.roles.contains_key(&Role::Requester), "kept");
        assert!(marc_account.roles.contains_key(&Role::Referent), "added");
        assert_eq!(marc_account.status.code(), "active", "not re-invited");
        drop(conn);
        assert_eq!(slugs("demandeur@demo.epop.test").await.len(), 1);

        let again = run(&db, &rows(file.as_bytes()), false).await;
        assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    }
}

/// Léa's profile as the directory holds it.
async fn lea(db: &Db) -> directory::Profile {
    let mut conn = db.conn().await.unwrap();
    let id = accounts::id_by_email(&mut conn, &Email::parse("lea.martin@exemple.fr").unwrap())
        .await
        .unwrap();
    let slug = directory::slugs_of(&mut conn, id).await.unwrap()[0]
        .1
        .clone();
    directory::by_slug(&mut conn, &slug).await.unwrap().unwrap()
}

/// What Léa's own visibility page does when she says yes.
async fn lea_says(db: &Db, visibility: Visibility) {
    let profile = lea(db).await;
    let mut tx = db.write().await.unwrap();
    let mut input = directory::input_of(&mut tx, profile.card.id).await.unwrap();
    input.visibility = visibility;
    directory::upsert(&mut tx, db.engine(), profile.account_id, &input)
        .await
        .unwrap();
    directory::give_consent(
        &mut tx,
        profile.account_id,
        directory::purpose::LISTING,
        "2026-11",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_re_import_keeps_what_the_person_chose_and_never_publishes_without_consent() {
    for db in testing::all().await {
        let file = file("Ariège");
        run(&db, &rows(&file), false).await;
        assert_eq!(lea(&db).await.card.visibility, Visibility::Members);
        // Léa says yes, public, in her space: the same file keeps it so…
        lea_says(&db, Visibility::Public).await;
        let again = run(&db, &rows(&file), false).await;
        assert!(again.notes.is_empty(), "{:?}", again.notes);
        assert_eq!(lea(&db).await.card.visibility, Visibility::Public);
        // …and so does an older sheet that listed her as members only.
        let older = String::from_utf8(file.clone())
            .unwrap()
            .replace("15/03/2024;public", "15/03/2024;membres");
        let report = run(&db, &rows(older.as_bytes()), false).await;
        assert_eq!(lea(&db).await.card.visibility, Visibility::Public);
        assert!(report.notes[0].1.contains("son choix est gardé"));
        // She withdraws her consent: hidden, and no file shows her again.
        let account = lea(&db).await.account_id;
        let mut conn = db.conn().await.unwrap();
        directory::withdraw_consent(&mut conn, account, directory::purpose::LISTING)
            .await
            .unwrap();
        drop(conn);
        let report = run(&db, &rows(&file), false).await;
        assert_eq!(lea(&db).await.card.visibility, Visibility::Hidden);
        assert!(
            report.notes[0].1.contains("a retiré son accord"),
            "{:?}",
            report.notes
        );
    }
}

#[tokio::test]
async fn the_command_imports_nothing_when_a_line_is_wrong_and_invites_only_when_asked() {
    for db in testing::all().await {
        let mut bad = file("Ariège");
        bad.extend_from_slice(
            "Durand;Paul;paul@exemple.fr;;pair;;Haute-Garone;;;;;\r\n".as_bytes(),
        );
        let options = Options {
            base_url: "http://epop.test".into(),
            ..Default::default()
        };
        let accounts_before = account_count(&db).await;
        let mut out = Vec::new();
        let err = import::run(&db, &bad, &options, None, &mut out, &mut |_, _| {})
            .await
            .unwrap_err();
        let out = String::from_utf8(out).unwrap();
        assert!(err.contains("Rien n’a été importé"), "{err}");
        assert!(
            out.contains("ligne 6, colonne « départements » : Le département « Haute-Garone » n’est pas connu"),
            "{out}"
        );
        assert_eq!(account_count(&db).await, accounts_before);

        let skip = Options {
            skip_invalid: true,
            ..options.clone()
        };
        let mut out = Vec::new();
        let outcome = import::run(&db, &bad, &skip, None, &mut out, &mut |_, _| {})
            .await
            .unwrap();
        assert_eq!(outcome.report.created, 4);
        assert_eq!(outcome.invitations, 0);
        let mut conn = db.conn().await.unwrap();
        assert!(
            outbox::recent(&mut conn, None, 100)
                .await
                .unwrap()
                .is_empty(),
            "no e-mail without --invite"
        );
        drop(conn);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("comptes créés (invités) : 4"), "{out}");
        assert!(
            out.contains(
                "ligne 2 : public demandé : visible des membres seulement jusqu’à l’accord de la personne"
            ),
            "the command says who is not public yet: {out}"
        );
        assert!(out.contains("relancez avec --invite"), "{out}");

        let invite = Options {
            invite: true,
            ..skip.clone()
        };
        let mut out = Vec::new();
        let outcome = import::run(&db, &bad, &invite, None, &mut out, &mut |_, _| {})
            .await
            .unwrap();
        assert_eq!(outcome.report.unchanged, 4);
        assert_eq!(
            outcome.invitations, 4,
            "the people imported without --invite are invited now"
        );
        let mut conn = db.conn().await.unwrap();
        let mails = outbox::recent(&mut conn, Some("lea.martin@exemple.fr"), 10)
            .await
            .unwrap();
        assert_eq!(mails.len(), 1);
        let (entry, body) = &mails[0];
        assert!(entry.subject.contains("annuaire EPoP"));
        assert!(body.contains("Bonjour Léa Martin"));
        assert!(body.contains("comme intervenant-pair ou intervenante-paire"));
        assert!(body.contains("http://epop.test/invitation/"));
        assert!(body.contains("7 jours"));
        drop(conn);

        let mut out = Vec::new();
        let outcome = import::run(&db, &bad, &invite, None, &mut out, &mut |_, _| {})
            .await
            .unwrap();
        assert_eq!(outcome.invitations, 0, "a valid link is not sent twice");
    }
}

#[tokio::test]
async fn ten_thousand_rows_apply_on_sqlite() {
    let db = testing::sqlite().await;
    let mut file = String::from(HEADER);
    file.push('\n');
    let places = ["31", "09", "Hérault", "80", "Gironde", "2A", "974"];
    for i in 0..10_000 {
        file.push_str(&format!(
            "Nom{i};Prénom{i};personne{i}@exemple.fr;;{};Structure {};{}, {};former;emploi;sur place;01/0{}/2024;{}\n",
            if i % 3 == 0 { "référent" } else { "pair" },
            i % 20,
            places[i % 7],
            places[(i + 3) % 7],
            i % 9 + 1,
            ["public", "membres", "masqué", ""][i % 4],
        ));
    }
    let rows = rows(file.as_bytes());
    assert_eq!(rows.len(), 10_000);
    let report = run(&db, &rows, false).await;
    assert_eq!(report.created, 10_000);
    assert_eq!(report.organisations_created.len(), 20);
    assert_eq!(account_count(&db).await, 10_000);
    let (_, total) = member_search(&db, "").await;
    assert_eq!(
        total,
        directory::COUNT_CAP + 1,
        "more than 1,000: a lower bound"
    );
    // « Nom1… »: 1,111 people, their hidden quarter not listed.
    let expected = (0..10_000)
        .filter(|i: &usize| i.to_string().starts_with('1') && i % 4 != 2)
        .count();
    let (_, total) = member_search(&db, "nom1").await;
    assert_eq!(total, expected as i64, "the hidden quarter is not listed");
}

#[tokio::test]
async fn a_file_may_ask_for_easy_read_e_mails_for_the_people_it_creates() {
    for db in testing::all().await {
        let file = "nom;prénom;e-mail;rôle;départements;FALC\n\
             Sow;Awa;awa.sow@exemple.fr;pair;31;facile\n\
             Roux;Jean;jean.roux@exemple.fr;pair;31;habituels\n\
             Vidal;Lou;lou.vidal@exemple.fr;pair;31;\n";
        // An unknown value names its line and column, and nothing is kept.
        let wrong = parser::parse(file.replace(";habituels", ";peut-être").as_bytes());
        let problem = &wrong.problems[0];
        assert_eq!(
            (problem.line, problem.column.as_deref()),
            (3, Some("FALC")),
            "the column as the file names it"
        );
        assert!(
            problem.message.contains("« peut-être »"),
            "{}",
            problem.message
        );
        assert!(
            problem.message.contains("écrivez « facile »"),
            "{}",
            problem.message
        );

        let invite = Options {
            base_url: "http://epop.test".into(),
            invite: true,
            ..Default::default()
        };
        let mut out = Vec::new();
        let outcome = import::run(
            &db,
            file.as_bytes(),
            &invite,
            None,
            &mut out,
            &mut |_, _| {},
        )
        .await
        .unwrap();
        assert_eq!(outcome.invitations, 3);
        let mut conn = db.conn().await.unwrap();
        let mail = |who: &'static str| {
            let db = db.clone();
            async move {
                let mut conn = db.conn().await.unwrap();
                let mails = outbox::recent(&mut conn, Some(who), 10).await.unwrap();
                assert_eq!(mails.len(), 1, "{who}");
                (mails[0].0.subject.clone(), mails[0].1.clone())
            }
        };
        let (subject, body) = mail("awa.sow@exemple.fr").await;
        assert_eq!(subject, "Vous êtes dans l’annuaire d’EPoP");
        assert!(body.contains("Le lien marche 1 seule fois."), "{body}");
        assert!(body.contains("http://epop.test/invitation/"), "{body}");
        assert!(
            accounts::wants_easy_read_emails(&mut conn, "awa.sow@exemple.fr")
                .await
                .unwrap(),
            "later e-mails too"
        );
        for usual in ["jean.roux@exemple.fr", "lou.vidal@exemple.fr"] {
            let (subject, _) = mail(usual).await;
            assert_eq!(
                subject,
                "Votre fiche dans l’annuaire EPoP : activez votre compte"
            );
            assert!(
                !accounts::wants_easy_read_emails(&mut conn, usual)
                    .await
                    .unwrap()
            );
        }
        drop(conn);

        // A person already in the platform keeps their own choice.
        let again = file.replace(";habituels", ";facile");
        let mut out = Vec::new();
        import::run(
            &db,
            again.as_bytes(),
            &invite,
            None,
            &mut out,
            &mut |_, _| {},
        )
        .await
        .unwrap();
        let mut conn = db.conn().await.unwrap();
        assert!(
            !accounts::wants_easy_read_emails(&mut conn, "jean.roux@exemple.fr")
                .await
                .unwrap()
        );
    }
}
