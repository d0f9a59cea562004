//! Every route, tried as each role and from another territory: a denied
//! access is a 403 or a redirect to sign in, never data.

use axum::http::StatusCode;
use epop_domain::Email;
use epop_store::accounts;

use crate::harness::{App, Client, apps};

const AUDIENCES: [&str; 9] = [
    "anonyme",
    "pair@demo.epop.test",
    "candidat@demo.epop.test",
    "referente@demo.epop.test",
    "demandeur@demo.epop.test",
    "financeur@demo.epop.test",
    "coordination@demo.epop.test",
    "coordination-hdf@demo.epop.test",
    "admin@demo.epop.test",
];

async fn client_for(app: &App, who: &str) -> Client {
    if who == "anonyme" {
        app.client()
    } else {
        app.signed_in(who).await
    }
}

/// The slugs of the demo's online meeting (Occitanie) and on-site
/// workshop (Hauts-de-France).
async fn demo_events(app: &App) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    let all = epop_store::events::list(&mut conn, &Default::default())
        .await
        .unwrap();
    let slug = |dept: &str| {
        all.iter()
            .find(|e| e.department_code.as_deref() == Some(dept) && !e.trained_peers_only)
            .unwrap()
            .slug
            .clone()
    };
    (slug("31"), slug("59"))
}

/// The slugs of the demo's training sessions in Toulouse (peer workers)
/// and Lille (référents).
async fn demo_sessions(app: &App) -> (String, String) {
    let mut conn = app.db.conn().await.unwrap();
    let all = epop_store::trainings::sessions(&mut conn).await.unwrap();
    let slug = |dept: &str| {
        all.iter()
            .find(|s| s.department_code == dept)
            .unwrap()
            .slug
            .clone()
    };
    (slug("31"), slug("59"))
}

/// The public id of a message written to the Haute-Garonne's coordination.
async fn conversation_in_31(app: &App) -> String {
    let sent = app
        .client()
        .post(
            "/ecrire-a-la-coordination?departement=31",
            &[
                ("name", "Léa Morel"),
                ("email", "lea@exemple.fr"),
                ("message", "Bonjour"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    sqlx::query_scalar("SELECT public_id FROM contact_conversations WHERE sender_email = $1")
        .bind("lea@exemple.fr")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
}

/// The demo's news item for Occitanie.
const OCCITANIE_NEWS: &str = "occitanie-le-programme-2026-commence";

/// The ids of this month's digests of Occitanie, Hauts-de-France and the
/// whole country, built by the worker.
async fn demo_digests(app: &App) -> (i64, i64, i64) {
    epop_web::jobs::run_due(&app.db, crate::harness::BASE, epop_store::now())
        .await
        .unwrap();
    let mut conn = app.db.conn().await.unwrap();
    let all = epop_store::newsletter::digests(&mut conn).await.unwrap();
    let id = |t: &str| all.iter().find(|d| d.territory == t).unwrap().id;
    (id("region-76"), id("region-32"), id("national"))
}

/// Expected status per audience, in the order of `AUDIENCES`.
fn expect(code: &str) -> [u16; 9] {
    let s = |c: char| match c {
        'o' => 200,
        'r' => 303,
        'f' => 403,
        'n' => 404,
        _ => unreachable!(),
    };
    let v: Vec<u16> = code.chars().map(s).collect();
    v.try_into().unwrap()
}

#[tokio::test]
async fn every_route_checks_role_and_territory() {
    let year = {
        use chrono::Datelike;
        chrono::Utc::now()
            .with_timezone(&chrono_tz::Europe::Paris)
            .year()
    };
    for app in apps().await {
        let awa = app.public_id("pair@demo.epop.test").await;
        let admin = app.public_id("admin@demo.epop.test").await;
        let coord = app.public_id("coordination@demo.epop.test").await;
        let (meeting, workshop) = demo_events(&app).await;
        let (toulouse, lille) = demo_sessions(&app).await;
        let conversation = conversation_in_31(&app).await;
        epop::demo::write_files(app.files.as_ref()).await.unwrap();
        let (tb, welcome) = ("/boite-a-outils", "fiche-d-accueil-d-un-intervenant-pair");
        let (digest_76, digest_32, digest_fr) = demo_digests(&app).await;
        //            anon peer cand ref req obs coord hdf admin
        let routes: Vec<(String, [u16; 9])> = vec![
            ("/espace".into(), expect("roooooooo")),
            ("/espace/mot-de-passe".into(), expect("roooooooo")),
            ("/admin".into(), expect("rfffffooo")),
            ("/admin/organisations".into(), expect("rfffffffo")),
            ("/admin/organisations/nouvelle".into(), expect("rfffffffo")),
            ("/admin/organisations/gapas".into(), expect("rfffffffo")),
            ("/admin/questionnaires".into(), expect("rfffffooo")),
            ("/admin/questionnaires/nouveau".into(), expect("rfffffffo")),
            (
                "/admin/questionnaires/intervention-v1/nouvelle-version".into(),
                expect("rfffffffo"),
            ),
            (
                "/questionnaire/demo-questionnaire-public".into(),
                expect("ooooooooo"),
            ),
            (
                "/questionnaire/demo-questionnaire-accueil".into(),
                expect("ooooooooo"),
            ),
            ("/questionnaire/inconnu".into(), expect("nnnnnnnnn")),
            ("/admin/comptes".into(), expect("rfffffooo")),
            ("/admin/comptes/inviter".into(), expect("rfffffooo")),
            (format!("/admin/comptes/{awa}"), expect("rfffffofo")),
            (format!("/admin/comptes/{admin}"), expect("rfffffffo")),
            (format!("/admin/comptes/{coord}"), expect("rfffffffo")),
            ("/admin/journal".into(), expect("rfffffffo")),
            ("/admin/journal.csv".into(), expect("rfffffffo")),
            ("/annuaire".into(), expect("ooooooooo")),
            ("/annuaire/awa-diallo".into(), expect("ooooooooo")),
            ("/organisations/gapas".into(), expect("ooooooooo")),
            ("/espace/ma-fiche".into(), expect("rofofffff")),
            ("/espace/ma-fiche/nom".into(), expect("rofofffff")),
            ("/admin/annuaire".into(), expect("rfffffooo")),
            ("/admin/annuaire/export.csv".into(), expect("rfffffooo")),
            ("/admin/annuaire/export.xlsx".into(), expect("rfffffooo")),
            ("/admin/themes".into(), expect("rfffffooo")),
            (
                "/admin/annuaire/awa-diallo/formation".into(),
                expect("rfffffofo"),
            ),
            (
                "/admin/annuaire/awa-diallo/modifier/presentation".into(),
                expect("rfffffofo"),
            ),
            (
                "/admin/annuaire/awa-diallo/modifier/visibilite".into(),
                expect("rfffffofo"),
            ),
            (
                "/admin/annuaire/awa-diallo/accord-ecrit".into(),
                expect("rfffffofo"),
            ),
            ("/admin/annuaire/import".into(), expect("rfffffffo")),
            ("/evenements".into(), expect("ooooooooo")),
            (format!("/evenements/{meeting}"), expect("ooooooooo")),
            (
                format!("/evenements/{meeting}/inscription"),
                expect("ooooooooo"),
            ),
            (
                format!("/evenements/{meeting}/agenda.ics"),
                expect("ooooooooo"),
            ),
            (
                format!("/evenements/{meeting}/affiche.pdf"),
                expect("ooooooooo"),
            ),
            ("/evenements/agenda/76.ics".into(), expect("ooooooooo")),
            ("/admin/evenements".into(), expect("rfffffooo")),
            ("/admin/evenements/nouveau".into(), expect("rfffffooo")),
            (format!("/admin/evenements/{meeting}"), expect("rfffffofo")),
            (
                format!("/admin/evenements/{meeting}/modifier"),
                expect("rfffffofo"),
            ),
            (
                format!("/admin/evenements/{meeting}/inscriptions.csv"),
                expect("rfffffofo"),
            ),
            (
                format!("/admin/evenements/{meeting}/inscriptions.xlsx"),
                expect("rfffffofo"),
            ),
            (format!("/admin/evenements/{workshop}"), expect("rffffffoo")),
            ("/demander-une-intervention".into(), expect("ooooooooo")),
            ("/espace/demandes".into(), expect("roooooooo")),
            // A request's page: its maker and, as a member made it, the
            // members of its organisation (the ESAT); nobody else.
            (
                "/espace/demandes/demo-demande-esat".into(),
                expect("rnnoonnnn"),
            ),
            // Its mission sheet: none before a peer accepted (see
            // `request_host_view.rs` for after), whoever asks.
            (
                "/espace/demandes/demo-demande-esat/fiche-mission.pdf".into(),
                expect("rnnnnnnnn"),
            ),
            // Inviting into one's organisation: members of one only.
            ("/espace/organisation/inviter".into(), expect("rffoooooo")),
            (
                "/rejoindre-une-organisation/lien-inconnu".into(),
                expect("ooooooooo"),
            ),
            ("/admin/demandes".into(), expect("rfffffooo")),
            ("/espace/propositions".into(), expect("roooooooo")),
            ("/espace/paiements".into(), expect("roooooooo")),
            ("/espace/accueil".into(), expect("roooooooo")),
            ("/espace/mes-donnees".into(), expect("roooooooo")),
            ("/espace/mes-donnees.json".into(), expect("roooooooo")),
            ("/espace/mes-donnees.pdf".into(), expect("roooooooo")),
            ("/espace/mes-donnees/effacer".into(), expect("roooooooo")),
            ("/compte-efface".into(), expect("ooooooooo")),
            (format!("/admin/comptes/{awa}/effacer"), expect("rfffffffo")),
            (
                format!("/admin/comptes/{coord}/effacer"),
                expect("rfffffffo"),
            ),
            ("/admin/cadres".into(), expect("rfffffffo")),
            (
                "/admin/demandes/demo-demande-esat".into(),
                expect("rfffffofo"),
            ),
            ("/admin/cadres/aah/volunteering".into(), expect("rfffffffo")),
            ("/formations".into(), expect("ooooooooo")),
            ("/territoires".into(), expect("ooooooooo")),
            ("/territoires/occitanie".into(), expect("ooooooooo")),
            (
                "/territoires/occitanie/haute-garonne".into(),
                expect("ooooooooo"),
            ),
            ("/territoires/occitanie/nord".into(), expect("nnnnnnnnn")),
            ("/territoires/atlantide".into(), expect("nnnnnnnnn")),
            (format!("/formations/{toulouse}"), expect("ooooooooo")),
            (
                format!("/formations/{toulouse}/candidature"),
                expect("rooffffff"),
            ),
            (
                format!("/formations/{lille}/candidature"),
                expect("rfoofffff"),
            ),
            ("/espace/formations".into(), expect("roooooooo")),
            ("/espace/mon-parcours".into(), expect("roooooooo")),
            ("/admin/formations".into(), expect("rfffffooo")),
            ("/admin/parcours".into(), expect("rfffffooo")),
            (
                "/admin/formations/sessions/nouvelle".into(),
                expect("rfffffooo"),
            ),
            (
                "/admin/formations/programmes/nouveau".into(),
                expect("rfffffffo"),
            ),
            (
                "/admin/formations/programmes/formation-des-intervenants-pairs/modifier".into(),
                expect("rfffffffo"),
            ),
            (format!("/admin/formations/{toulouse}"), expect("rfffffofo")),
            (format!("/admin/formations/{lille}"), expect("rffffffoo")),
            (
                format!("/admin/formations/{toulouse}/modifier"),
                expect("rfffffofo"),
            ),
            (
                format!("/admin/formations/{toulouse}/emargement/1.pdf"),
                expect("rfffffofo"),
            ),
            (format!("/admin/accompagnement/{awa}"), expect("rfffffofo")),
            // Another coordinator's or an admin's follow-up: admins only.
            (
                format!("/admin/accompagnement/{coord}"),
                expect("rfffffffo"),
            ),
            (
                format!("/admin/accompagnement/{admin}"),
                expect("rfffffffo"),
            ),
            // Local programmes: public pages; the administration's list
            // (each coordinator sees their own), creation by admins, and
            // each programme's form for its coordinators and admins.
            ("/programmes".into(), expect("ooooooooo")),
            (
                "/programmes/experimentation-locale-occitanie-2026".into(),
                expect("ooooooooo"),
            ),
            (
                "/programmes/experimentation-locale-occitanie-2026?version=facile".into(),
                expect("ooooooooo"),
            ),
            ("/programmes/inconnu".into(), expect("nnnnnnnnn")),
            ("/admin/programmes".into(), expect("rfffffooo")),
            // The fixed pages' easy-read texts: public; written by admins.
            ("/accessibilite?version=facile".into(), expect("ooooooooo")),
            (
                "/donnees-personnelles?version=facile".into(),
                expect("ooooooooo"),
            ),
            (
                "/devenir-referent?version=facile".into(),
                expect("ooooooooo"),
            ),
            ("/admin/pages".into(), expect("rfffffffo")),
            ("/admin/pages/accueil".into(), expect("rfffffffo")),
            ("/admin/pages/inconnue".into(), expect("nnnnnnnnn")),
            (
                "/admin/relectures/texte/page/accueil".into(),
                expect("rfffffffo"),
            ),
            ("/admin/programmes/nouveau".into(), expect("rfffffffo")),
            (
                "/admin/programmes/experimentation-locale-occitanie-2026".into(),
                expect("rfffffofo"),
            ),
            (
                "/admin/programmes/deploiement-epop-en-hauts-de-france".into(),
                expect("rffffffoo"),
            ),
            // Indicators: coordinators, funders and admins, each for the
            // territories they are given (a forged territory is refused).
            ("/indicateurs".into(), expect("rffffoooo")),
            (
                "/indicateurs?annee=2026&region=76".into(),
                expect("rffffoofo"),
            ),
            (
                "/indicateurs?annee=2026&departement=59".into(),
                expect("rffffffoo"),
            ),
            (
                "/indicateurs?territoire=national".into(),
                expect("rfffffffo"),
            ),
            (
                "/indicateurs?programme=experimentation-locale-occitanie-2026".into(),
                expect("rffffoofo"),
            ),
            ("/ecrire-a-la-coordination".into(), expect("ooooooooo")),
            (
                "/ecrire-a-la-coordination?departement=31".into(),
                expect("ooooooooo"),
            ),
            (
                format!("/ecrire-a-la-coordination?evenement={meeting}"),
                expect("ooooooooo"),
            ),
            (
                format!("/ecrire-a-la-coordination?formation={lille}"),
                expect("ooooooooo"),
            ),
            (
                "/ecrire-a-la-coordination/envoye?region=76".into(),
                expect("ooooooooo"),
            ),
            (
                "/ecrire-a-la-coordination/suite/lien-inconnu".into(),
                expect("nnnnnnnnn"),
            ),
            ("/espace/messages".into(), expect("rfffffooo")),
            // A message to the Haute-Garonne: its coordinator only (the
            // admin is not one of its recipients).
            (
                format!("/espace/messages/{conversation}"),
                expect("rfffffonn"),
            ),
            ("/devenir-intervenant-pair".into(), expect("ooooooooo")),
            ("/devenir-referent".into(), expect("ooooooooo")),
            ("/candidature/inconnu/nom".into(), expect("nnnnnnnnn")),
            ("/candidature/confirmer/inconnu".into(), expect("nnnnnnnnn")),
            ("/espace/candidature".into(), expect("roooooooo")),
            ("/admin/candidats".into(), expect("rfffffooo")),
            // The demo candidate's application (Haute-Garonne).
            (
                "/admin/candidats/demo-candidature".into(),
                expect("rfffffofo"),
            ),
            // The indicators as files (same access as /indicateurs): the
            // first territory offered, Occitanie (the funder's and its
            // coordination's), the Nord (Hauts-de-France's coordination);
            // the public statistics and their open data for everyone.
            ("/indicateurs.csv".into(), expect("rffffoooo")),
            ("/indicateurs.xlsx?region=76".into(), expect("rffffoofo")),
            (
                "/indicateurs.csv?departement=59".into(),
                expect("rffffffoo"),
            ),
            (
                format!("/indicateurs/rapport.pdf?annee={year}&region=76"),
                expect("rffffoofo"),
            ),
            (
                format!("/indicateurs/rapport.xlsx?annee={year}&departement=59"),
                expect("rffffffoo"),
            ),
            ("/statistiques".into(), expect("ooooooooo")),
            (
                "/statistiques?region=32&version=facile".into(),
                expect("ooooooooo"),
            ),
            ("/statistiques.csv".into(), expect("ooooooooo")),
            ("/statistiques.csv?region=76".into(), expect("ooooooooo")),
            // The toolbox: public resources for all; one for trained peers
            // (Hauts-de-France), a suggestion (Haute-Garonne) for its
            // coordination; the management by role and territory.
            ("/boite-a-outils".into(), expect("ooooooooo")),
            (format!("{tb}/{welcome}"), expect("ooooooooo")),
            (
                format!("{tb}/{welcome}/fichiers/demo-fiche-accueil"),
                expect("ooooooooo"),
            ),
            (
                format!("{tb}/analyse-de-pratiques-reperes-pour-animer-un-groupe"),
                expect("nonnnnnoo"),
            ),
            (
                format!("{tb}/temoignage-video-d-une-intervenante-paire"),
                expect("nnnnnnono"),
            ),
            (format!("{tb}/inconnue"), expect("nnnnnnnnn")),
            (format!("{tb}/proposer"), expect("rofoofooo")),
            ("/admin/boite-a-outils".into(), expect("rfffffooo")),
            ("/admin/boite-a-outils/nouvelle".into(), expect("rfffffooo")),
            (format!("/admin{tb}/{welcome}"), expect("rfffffofo")),
            (format!("/admin{tb}/inconnue"), expect("rfffffnnn")),
            // News: public pages and feeds; writing by territory (the
            // Occitanie item: its coordination; the Somme's: Hauts-de-France's;
            // the national one: admins).
            ("/actualites".into(), expect("ooooooooo")),
            (
                "/actualites?region=32&version=facile".into(),
                expect("ooooooooo"),
            ),
            (format!("/actualites/{OCCITANIE_NEWS}"), expect("ooooooooo")),
            (
                format!("/actualites/{OCCITANIE_NEWS}?version=facile"),
                expect("ooooooooo"),
            ),
            ("/actualites/inconnue".into(), expect("nnnnnnnnn")),
            ("/actualites/inconnue/image".into(), expect("nnnnnnnnn")),
            ("/actualites.atom".into(), expect("ooooooooo")),
            (
                "/actualites/regions/occitanie.atom".into(),
                expect("ooooooooo"),
            ),
            (
                "/actualites/regions/nulle-part.atom".into(),
                expect("nnnnnnnnn"),
            ),
            ("/admin/actualites".into(), expect("rfffffooo")),
            ("/admin/actualites/nouvelle".into(), expect("rfffffooo")),
            (
                format!("/admin/actualites/{OCCITANIE_NEWS}"),
                expect("rfffffofo"),
            ),
            (
                "/admin/actualites/somme-des-referents-formes-a-amiens".into(),
                expect("rffffffoo"),
            ),
            (
                "/admin/actualites/la-plateforme-du-reseau-des-intervenants-pairs-est-ouverte"
                    .into(),
                expect("rfffffffo"),
            ),
            // The newsletter: anyone subscribes; members from their space;
            // a région's digest by its coordination, the national one by
            // admins.
            ("/lettre".into(), expect("ooooooooo")),
            ("/lettre/envoye".into(), expect("ooooooooo")),
            ("/lettre/confirmer/inconnu".into(), expect("nnnnnnnnn")),
            ("/lettre/desabonnement/inconnu".into(), expect("ooooooooo")),
            ("/espace/lettre".into(), expect("roooooooo")),
            ("/admin/lettre".into(), expect("rfffffooo")),
            (format!("/admin/lettre/{digest_76}"), expect("rfffffofo")),
            (format!("/admin/lettre/{digest_32}"), expect("rffffffoo")),
            (format!("/admin/lettre/{digest_fr}"), expect("rfffffffo")),
            ("/admin/lettre/inconnue".into(), expect("rfffffnnn")),
        ];
        for (n, who) in AUDIENCES.iter().enumerate() {
            let mut c = client_for(&app, who).await;
            for (path, expected) in &routes {
                let page = c.get(path).await;
                assert_eq!(page.status.as_u16(), expected[n], "GET {path} as {who}");
                if expected[n] == 303 {
                    assert!(page.location().starts_with("/connexion?suite="), "{path}");
                }
                if expected[n] == 403 {
                    assert!(page.body.contains("Accès refusé"));
                    assert!(
                        !page.body.contains("@demo.epop.test"),
                        "no data in a refusal"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn refused_writes_change_nothing() {
    for app in apps().await {
        let awa = app.public_id("pair@demo.epop.test").await;
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let res = hdf
            .post(
                &format!("/admin/comptes/{awa}/roles"),
                &[("roles", "referent")],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "coordinator of another territory"
        );
        let res = hdf
            .post(
                &format!("/admin/comptes/{awa}"),
                &[
                    ("name", "Piraté"),
                    ("status", "disabled"),
                    ("department", "80"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = hdf
            .post(
                "/admin/organisations/nouvelle",
                &[("name", "X"), ("kind", "company")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let res = peer
            .post(
                "/admin/comptes/inviter",
                &[("email", "z@exemple.fr"), ("name", "Z"), ("roles", "admin")],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let mut anon = app.client();
        let res = anon
            .post(
                "/admin/comptes/inviter",
                &[("email", "z@exemple.fr"), ("name", "Z"), ("roles", "admin")],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        // Erasing an account is for admins only (and the person herself).
        let erase = format!("/admin/comptes/{awa}/effacer");
        let fields = [("raison", "courrier"), ("confirmation", "oui")];
        assert_eq!(
            peer.post(&erase, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            hdf.post(&erase, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        assert_eq!(
            coord.post(&erase, &fields).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            anon.post(&erase, &fields).await.status,
            StatusCode::SEE_OTHER
        );

        let mut conn = app.db.conn().await.unwrap();
        let a = accounts::by_public_id(&mut conn, &awa)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.display_name, "Awa Diallo");
        assert_eq!(a.roles.len(), 1);
        assert!(
            accounts::credentials(&mut conn, &Email::parse("z@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none()
        );
        let orgs = epop_store::organisations::list(&mut conn).await.unwrap();
        assert!(!orgs.iter().any(|o| o.name == "X"));
        drop(conn);

        // Follow-up notes: not on a person of another territory, not on
        // another coordinator (nor oneself).
        let coord = app.public_id("coordination@demo.epop.test").await;
        let mut occitanie = app.signed_in("coordination@demo.epop.test").await;
        for (client, target) in [(&mut hdf, &awa), (&mut occitanie, &coord)] {
            for (route, fields) in [
                ("note", vec![("body", "Note pirate")]),
                (
                    "etape",
                    vec![
                        ("milestone", "premiere-intervention"),
                        ("reached_on", "01/01/2027"),
                    ],
                ),
            ] {
                let res = client
                    .post(&format!("/admin/accompagnement/{target}/{route}"), &fields)
                    .await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{route} on {target}");
            }
        }
        let mut conn = app.db.conn().await.unwrap();
        for table in ["follow_up_notes", "accompaniment_milestones"] {
            let n: i64 =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                    .fetch_one(&mut *conn)
                    .await
                    .unwrap();
            assert_eq!(n, 0, "nothing written in {table}");
        }
        drop(conn);
        // Another territory's profile: no written consent in the person's
        // name, no visibility; and nobody withdraws a consent for someone
        // else (the page only ever acts on one's own account).
        for (path, fields) in [
            (
                "/admin/annuaire/awa-diallo/accord-ecrit",
                vec![("date", "01/06/2025"), ("moyen", "e-mail")],
            ),
            (
                "/admin/annuaire/awa-diallo/modifier/visibilite",
                vec![("visibilite", "hidden")],
            ),
        ] {
            assert_eq!(hdf.post(path, &fields).await.status, StatusCode::FORBIDDEN);
            assert_eq!(peer.post(path, &fields).await.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            hdf.post("/espace/ma-fiche/accords", &[("retirer", "annuaire")])
                .await
                .status,
            StatusCode::FORBIDDEN,
            "a coordinator has no profile of their own to withdraw from"
        );
        assert_eq!(
            anon.post("/espace/ma-fiche/accords", &[("retirer", "annuaire")])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
        assert_eq!(
            app.client().get("/annuaire/awa-diallo").await.status,
            StatusCode::OK,
            "Awa's profile is still public"
        );
        assert_eq!(app.audit_count("consent_recorded").await, 0);

        // Events of another territory: no edit, no message, no attendance.
        let (meeting, _) = demo_events(&app).await;
        for (path, fields) in [
            (
                format!("/admin/evenements/{meeting}/message"),
                vec![("subject", "Piraté"), ("body", "x")],
            ),
            (format!("/admin/evenements/{meeting}/presences"), vec![]),
            (
                format!("/admin/evenements/{meeting}/modifier"),
                vec![("title", "Piraté")],
            ),
        ] {
            let res = hdf.post(&path, &fields).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
            let res = peer.post(&path, &fields).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        }
        // A coordinator cannot place a new event outside their territory.
        let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(30))
            .format("%d/%m/%Y")
            .to_string();
        let res = hdf
            .post(
                "/admin/evenements/nouveau",
                &[
                    ("title", "Piraté"),
                    ("description", "x"),
                    ("description_easy", "x"),
                    ("audience", "x"),
                    ("organiser", "x"),
                    ("date", &date),
                    ("start_time", "10:00"),
                    ("end_time", "11:00"),
                    ("mode", "sur-place"),
                    ("address", "Toulouse"),
                    ("department", "31"),
                    ("capacity", "10"),
                ],
            )
            .await;
        res.assert_field_error(
            "department",
            "Choisissez un département de votre territoire",
        );
        let mut conn = app.db.conn().await.unwrap();
        let all = epop_store::events::list(&mut conn, &Default::default())
            .await
            .unwrap();
        assert!(all.iter().all(|e| e.title != "Piraté"));
        assert_eq!(all.len(), 3);
    }
}

#[tokio::test]
async fn a_coordinator_cannot_move_someone_out_of_their_territory() {
    for app in apps().await {
        let awa = app.public_id("pair@demo.epop.test").await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord
            .post(
                &format!("/admin/comptes/{awa}"),
                &[
                    ("name", "Awa Diallo"),
                    ("status", "active"),
                    ("department", "80"),
                ],
            )
            .await
            .assert_field_error("department", "pas dans votre territoire");
    }
}

#[tokio::test]
async fn lists_only_link_to_accounts_one_may_open() {
    for app in apps().await {
        let admin = app.public_id("admin@demo.epop.test").await;
        let own = app.public_id("coordination@demo.epop.test").await;
        let awa = app.public_id("pair@demo.epop.test").await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let list = coord.get("/admin/comptes").await;
        assert!(list.body.contains(&format!("/admin/comptes/{awa}")));
        assert!(list.body.contains("Sophie Delmas"), "own row listed");
        assert!(
            !list.body.contains(&format!("/admin/comptes/{own}\"")),
            "but not as a link: it would be refused"
        );
        assert!(
            !list.body.contains(&admin),
            "national accounts are not in a territory list"
        );
    }
}

#[tokio::test]
async fn only_who_may_add_members_to_an_organisation_does() {
    for app in apps().await {
        let link = "/admin/demandes/demo-demande-esat/organisation";
        let referent = "/admin/demandes/demo-demande-esat/referent";
        let invite = "/espace/organisation/inviter";
        let intruder = [("name", "Intrus"), ("email", "intrus@exemple.fr")];
        let as_referent = [
            ("referent", "nouveau"),
            ("name", "Intrus"),
            ("email", "intrus@exemple.fr"),
        ];
        for who in AUDIENCES {
            let mut c = client_for(&app, who).await;
            // (link the requester, name a référent, invite a colleague):
            // the statuses of the refused ones; `None`: allowed, not tried.
            let (link_status, referent_status, invite_status) = match who {
                "anonyme" => (303, Some(303), Some(303)),
                // Coordination of the territory, admin: the link is refused
                // on the page, its maker being already a member.
                "coordination@demo.epop.test" | "admin@demo.epop.test" => (400, None, None),
                "pair@demo.epop.test" => (403, Some(403), Some(403)),
                _ => (403, Some(403), None),
            };
            assert_eq!(
                c.post(link, &[]).await.status.as_u16(),
                link_status,
                "{who}"
            );
            if let Some(status) = referent_status {
                let res = c.post(referent, &as_referent).await;
                assert_eq!(res.status.as_u16(), status, "{who}");
            }
            if let Some(status) = invite_status {
                let res = c.post(invite, &intruder).await;
                assert_eq!(res.status.as_u16(), status, "{who}");
            }
        }
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(&mut conn, &Email::parse("intrus@exemple.fr").unwrap())
                .await
                .unwrap()
                .is_none(),
            "no refused write created an account"
        );
        drop(conn);
        // A made-up join link joins nobody.
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        let res = peer
            .post("/rejoindre-une-organisation/lien-inconnu", &[])
            .await;
        assert!(res.body.contains("Ce lien ne marche plus"));
        let mut conn = app.db.conn().await.unwrap();
        let awa = app.public_id("pair@demo.epop.test").await;
        let a = accounts::by_public_id(&mut conn, &awa)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(a.organisation_id, None);
    }
}

#[tokio::test]
async fn only_the_host_organisation_makes_the_audience_link() {
    for app in apps().await {
        let make = "/espace/demandes/demo-demande-esat/lien-public";
        crate::questionnaire_sending::intervention_done(&app).await;
        //                anon peer cand ref req obs coord hdf admin
        let expected = [303, 404, 404, 200, 200, 404, 404, 404, 404];
        for (who, status) in AUDIENCES.into_iter().zip(expected) {
            let mut c = client_for(&app, who).await;
            let res = c.post(make, &[]).await;
            assert_eq!(res.status.as_u16(), status, "{who}");
            if status == 200 {
                assert!(res.body.contains("http://epop.test/questionnaire/"));
            }
        }
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM questionnaire_invitations WHERE respondent = 'audience'",
        )
        .fetch_one(app.db.pool())
        .await
        .unwrap();
        assert_eq!(n, 1, "one link, made again by the second member");
    }
}
