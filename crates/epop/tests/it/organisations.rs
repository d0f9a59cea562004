//! Who belongs to an organisation (issue 11, holes 1, 4 and 5): naming an
//! organisation in a request makes nobody its member; its members see only
//! the requests its members made; the coordination links a requester after
//! checking; members invite their colleagues; a coordinator adds members
//! only to the organisations of their territory; a référent is one of the
//! organisation's members.

use axum::http::StatusCode;
use epop_domain::Email;
use epop_store::{accounts, organisations};

use crate::harness::{App, Client, link_in};

const ESAT: &str = "ESAT des Ateliers de l’Hers (démo)";
const DEMO_REQUEST: &str = "demo-demande-esat";

/// A request form naming `org`, sent by `email`.
fn fields<'a>(
    org: &'a str,
    email: &'a str,
    subject: &'a str,
    date: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("action", "envoyer"),
        ("kind", "sensibiliser"),
        ("subject", subject),
        ("description", "Une demi-journée pour l’équipe."),
        ("audience", "Salariés"),
        ("audience_size", "10"),
        ("date_from", date),
        ("duration", "3 heures"),
        ("mode", "sur-place"),
        ("address", "1 rue de la Paix, 31000 Toulouse"),
        ("department", "31"),
        ("fee", "250"),
        ("org_name", org),
        ("org_kind", "esat"),
        ("contact_name", "Victor Intrus"),
        ("contact_email", email),
    ]
}

fn in_90_days() -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(90))
        .format("%d/%m/%Y")
        .to_string()
}

/// A visitor sends a request naming `org` and confirms it by e-mail;
/// returns the request's public id.
async fn confirmed_by_visitor(app: &App, org: &str, email: &str, subject: &str) -> String {
    let mut anon = app.client();
    let date = in_90_days();
    let page = anon
        .post(
            "/demander-une-intervention",
            &fields(org, email, subject, &date),
        )
        .await;
    assert!(
        page.body.contains("Vérifiez votre boîte e-mail"),
        "{}",
        page.body
    );
    let (_, body) = app.last_mail(email).await.unwrap();
    assert!(!body.contains("Votre organisation"), "{body}");
    let res = anon.post(&link_in(&body), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let mut conn = app.db.conn().await.unwrap();
    epop_store::requests::all_submitted(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.subject.as_deref() == Some(subject))
        .unwrap()
        .public_id
}

/// Signs in with an e-mailed link (accounts without a password).
pub async fn by_link(app: &App, email: &str) -> Client {
    let mut c = app.client();
    c.post("/connexion/lien", &[("email", email)]).await;
    let (_, body) = app.last_mail(email).await.unwrap();
    let res = c.post(&link_in(&body), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    c
}

async fn organisation_of(app: &App, email: &str) -> Option<i64> {
    app.account(email).await.organisation_id
}

async fn org_id(app: &App, name: &str) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    organisations::by_name(&mut conn, name)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn naming_an_existing_organisation_in_a_request_makes_nobody_its_member() {
    for app in crate::harness::apps().await {
        let stranger = "victor.intrus@exemple.fr";
        let theirs = confirmed_by_visitor(&app, ESAT, stranger, "Demande d’un inconnu").await;
        // The account exists, in no organisation; the request names the ESAT.
        assert_eq!(organisation_of(&app, stranger).await, None);
        let mut conn = app.db.conn().await.unwrap();
        let r = epop_store::requests::by_public_id(&mut conn, &theirs)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(r.organisation_id, Some(org_id(&app, ESAT).await));
        assert!(r.organisation_to_check());
        drop(conn);
        // The coordinators are told to check.
        let (_, body) = app.last_mail("coordination@demo.epop.test").await.unwrap();
        assert!(
            body.contains("Organisation à vérifier : Victor Intrus n’est pas membre"),
            "{body}"
        );

        // The stranger sees their own request, nothing of the ESAT's.
        let mut intruder = by_link(&app, stranger).await;
        let mine = intruder.get("/espace/demandes").await;
        assert!(mine.body.contains("Demande d’un inconnu"), "{}", mine.body);
        assert!(!mine.body.contains("Former les moniteurs"), "{}", mine.body);
        let own = intruder.get(&format!("/espace/demandes/{theirs}")).await;
        assert_eq!(own.status, StatusCode::OK);
        assert!(
            own.body
                .contains("Vous n’êtes pas encore membre de l’organisation"),
            "{}",
            own.body
        );
        let esat_page = format!("/espace/demandes/{DEMO_REQUEST}");
        assert_eq!(intruder.get(&esat_page).await.status, StatusCode::NOT_FOUND);
        let write = intruder
            .post(
                &format!("{esat_page}/messages"),
                &[("message", "Je suis de l’ESAT.")],
            )
            .await;
        assert_eq!(write.status, StatusCode::NOT_FOUND);
        let api = intruder.get("/api/v1/requests").await;
        assert_eq!(api.status, StatusCode::OK);
        assert!(api.body.contains(&theirs), "{}", api.body);
        assert!(!api.body.contains(DEMO_REQUEST), "{}", api.body);

        // The ESAT's members do not see the stranger's request.
        let mut member = app.signed_in("demandeur@demo.epop.test").await;
        let ours = member.get("/espace/demandes").await;
        assert!(ours.body.contains("Former les moniteurs"));
        assert!(!ours.body.contains("Demande d’un inconnu"), "{}", ours.body);
        let their_page = format!("/espace/demandes/{theirs}");
        assert_eq!(member.get(&their_page).await.status, StatusCode::NOT_FOUND);
        assert!(!member.get("/api/v1/requests").await.body.contains(&theirs));

        // The coordination sees « organisation à vérifier ».
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let list = coord.get("/admin/demandes").await;
        assert!(
            list.body.contains("organisation à vérifier"),
            "{}",
            list.body
        );
        let admin_page = format!("/admin/demandes/{theirs}");
        let page = coord.get(&admin_page).await;
        assert!(
            page.body.contains("Organisation à vérifier"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("Rattacher Victor Intrus à l’organisation")
        );
        // Not from another territory.
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        let link = format!("{admin_page}/organisation");
        assert_eq!(hdf.post(&link, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(member.post(&link, &[]).await.status, StatusCode::FORBIDDEN);
        assert_eq!(organisation_of(&app, stranger).await, None);
        // The coordinator links them, after checking: audited.
        let before = app.audit_count("organisation_member_linked").await;
        let res = coord.post(&link, &[]).await;
        assert_eq!(
            res.location(),
            format!("{admin_page}?message=organisation-rattachee")
        );
        assert_eq!(
            app.audit_count("organisation_member_linked").await,
            before + 1
        );
        assert_eq!(
            organisation_of(&app, stranger).await,
            Some(org_id(&app, ESAT).await)
        );
        let page = coord.get(&admin_page).await;
        assert!(!page.body.contains("Organisation à vérifier"));
        // Now both sides see both requests.
        assert_eq!(member.get(&their_page).await.status, StatusCode::OK);
        assert!(
            intruder
                .get("/espace/demandes")
                .await
                .body
                .contains("Former les moniteurs")
        );
        // Linking twice says so.
        let again = coord.post(&link, &[]).await;
        assert_eq!(again.status, StatusCode::BAD_REQUEST);
        assert!(
            again.body.contains("Victor Intrus est déjà membre"),
            "{}",
            again.body
        );
        // A refusal, not a form error; the part it would sit in is gone,
        // so the summary links nowhere.
        assert!(again.body.contains("Cette action n’est pas possible"));
        assert!(!again.body.contains("href=\"#organisation\""));
    }
}

#[tokio::test]
async fn a_new_organisation_takes_its_first_requester_in() {
    for app in crate::harness::apps().await {
        let email = "lea.fondatrice@exemple.fr";
        confirmed_by_visitor(&app, "Atelier neuf (test)", email, "Première demande").await;
        assert_eq!(
            organisation_of(&app, email).await,
            Some(org_id(&app, "Atelier neuf (test)").await)
        );
    }
}

async fn slug_of(app: &App, name: &str) -> String {
    let mut conn = app.db.conn().await.unwrap();
    organisations::by_name(&mut conn, name)
        .await
        .unwrap()
        .unwrap()
        .slug
}

/// The account form of the demo peer, with this organisation.
fn edit_fields(org: &str) -> Vec<(&str, &str)> {
    vec![
        ("name", "Awa Diallo"),
        ("status", "active"),
        ("department", "31"),
        ("organisation", org),
    ]
}

#[tokio::test]
async fn a_coordinator_adds_members_only_to_the_organisations_of_their_territory() {
    for app in crate::harness::apps().await {
        let hdf = slug_of(&app, "CREAI Hauts-de-France").await;
        let national = slug_of(&app, "LADAPT").await;
        let esat = slug_of(&app, ESAT).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        // The list offers only the organisations of the territory.
        let form = coord.get("/admin/comptes/inviter").await;
        assert!(form.body.contains(&format!("value=\"{esat}\"")));
        assert!(
            !form.body.contains(&format!("value=\"{hdf}\"")),
            "{}",
            form.body
        );
        assert!(!form.body.contains(&format!("value=\"{national}\"")));
        // Another territory's organisation, or a national one, sent anyway.
        for slug in [&hdf, &national] {
            let page = coord
                .post(
                    "/admin/comptes/inviter",
                    &[
                        ("email", "nina.ailleurs@exemple.fr"),
                        ("name", "Nina Ailleurs"),
                        ("roles", "requester"),
                        ("department", "31"),
                        ("organisation", slug),
                    ],
                )
                .await;
            page.assert_field_error(
                "organisation",
                "seulement à une organisation de votre territoire",
            );
        }
        let mut conn = app.db.conn().await.unwrap();
        assert!(
            accounts::credentials(
                &mut conn,
                &Email::parse("nina.ailleurs@exemple.fr").unwrap()
            )
            .await
            .unwrap()
            .is_none(),
            "nothing written"
        );
        drop(conn);
        // Their own territory's: fine.
        let page = coord
            .post(
                "/admin/comptes/inviter",
                &[
                    ("email", "nina.ailleurs@exemple.fr"),
                    ("name", "Nina Ailleurs"),
                    ("roles", "requester"),
                    ("department", "31"),
                    ("organisation", &esat),
                ],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(
            organisation_of(&app, "nina.ailleurs@exemple.fr").await,
            Some(org_id(&app, ESAT).await)
        );
        // Editing an account: the same rule; the organisation it is already
        // in stays offered.
        let pid = app.public_id("pair@demo.epop.test").await;
        let path = format!("/admin/comptes/{pid}");
        let page = coord.post(&path, &edit_fields(&hdf)).await;
        page.assert_field_error(
            "organisation",
            "seulement à une organisation de votre territoire",
        );
        assert_eq!(organisation_of(&app, "pair@demo.epop.test").await, None);
        let before = app.audit_count("organisation_changed").await;
        let page = coord.post(&path, &edit_fields(&esat)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(app.audit_count("organisation_changed").await, before + 1);
        // An admin may put a person in any organisation.
        let mut admin = app.signed_in("admin@demo.epop.test").await;
        let page = admin.post(&path, &edit_fields(&hdf)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        // The coordinator still sees it, and keeps it, editing that person.
        let detail = coord.get(&path).await;
        assert!(
            detail.body.contains(&format!("value=\"{hdf}\" selected")),
            "{}",
            detail.body
        );
        let page = coord.post(&path, &edit_fields(&hdf)).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
        assert_eq!(
            organisation_of(&app, "pair@demo.epop.test").await,
            Some(org_id(&app, "CREAI Hauts-de-France").await)
        );
    }
}

async fn roles_of(app: &App, email: &str) -> Vec<epop_domain::Role> {
    app.account(email).await.roles.into_keys().collect()
}

#[tokio::test]
async fn the_referent_is_a_member_of_the_requesting_organisation() {
    for app in crate::harness::apps().await {
        let path = format!("/admin/demandes/{DEMO_REQUEST}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        // Accounts elsewhere — a peer in no organisation, another
        // organisation's member, a coordinator — are refused on the field.
        for outsider in [
            "pair@demo.epop.test",
            "financeur@demo.epop.test",
            "coordination-hdf@demo.epop.test",
        ] {
            let page = coord
                .post(
                    &format!("{path}/referent"),
                    &[
                        ("referent", "nouveau"),
                        ("name", "Quelqu’un"),
                        ("email", outsider),
                    ],
                )
                .await;
            page.assert_field_error("referent-email", "n’est pas membre de « ESAT des Ateliers");
            assert!(
                !roles_of(&app, outsider)
                    .await
                    .contains(&epop_domain::Role::Referent)
            );
        }
        let mut conn = app.db.conn().await.unwrap();
        let pair = accounts::id_by_email(&mut conn, &Email::parse("pair@demo.epop.test").unwrap())
            .await
            .unwrap();
        drop(conn);
        let forged = coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &pair.to_string())],
            )
            .await;
        assert_eq!(forged.status, StatusCode::BAD_REQUEST);
        assert!(
            forged
                .body
                .contains("Choisissez une personne de l’organisation")
        );
        assert!(
            !roles_of(&app, "pair@demo.epop.test")
                .await
                .contains(&epop_domain::Role::Referent)
        );
        // The organisation's members are offered, and one of them named.
        let page = coord.get(&path).await;
        assert!(
            page.body
                .contains("Marc Olivier (demandeur@demo.epop.test)"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("(pair@demo.epop.test)"));
        let mut conn = app.db.conn().await.unwrap();
        let marc = accounts::id_by_email(
            &mut conn,
            &Email::parse("demandeur@demo.epop.test").unwrap(),
        )
        .await
        .unwrap();
        drop(conn);
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[("referent", &marc.to_string())],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert!(
            roles_of(&app, "demandeur@demo.epop.test")
                .await
                .contains(&epop_domain::Role::Referent)
        );
        // A member's address typed in works as well.
        let res = coord
            .post(
                &format!("{path}/referent"),
                &[
                    ("referent", "nouveau"),
                    ("name", "x"),
                    ("email", "referente@demo.epop.test"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
}

#[tokio::test]
async fn members_invite_their_colleagues_into_their_organisation() {
    for app in crate::harness::apps().await {
        let esat = Some(org_id(&app, ESAT).await);
        let path = "/espace/organisation/inviter";
        // Only a member of an organisation invites into it.
        let mut peer = app.signed_in("pair@demo.epop.test").await;
        assert_eq!(peer.get(path).await.status, StatusCode::FORBIDDEN);
        assert_eq!(
            peer.post(path, &[("name", "X"), ("email", "x@exemple.fr")])
                .await
                .status,
            StatusCode::FORBIDDEN
        );
        let mut member = app.signed_in("demandeur@demo.epop.test").await;
        let home = member.get("/espace").await;
        assert!(
            home.body.contains("href=\"/espace/organisation/inviter\""),
            "{}",
            home.body
        );
        let form = member.get(path).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains(ESAT));
        member
            .post(path, &[])
            .await
            .assert_field_error("name", "le nom à afficher");
        // A new address: an invitation account in the organisation.
        let before = app.audit_count("organisation_member_invited").await;
        let res = member
            .post(
                path,
                &[
                    ("name", "Nora Collègue"),
                    ("email", "nora.collegue@exemple.fr"),
                ],
            )
            .await;
        assert_eq!(
            res.location(),
            "/espace/organisation/inviter?message=invitation"
        );
        assert_eq!(
            app.audit_count("organisation_member_invited").await,
            before + 1
        );
        assert_eq!(
            organisation_of(&app, "nora.collegue@exemple.fr").await,
            esat
        );
        let (subject, body) = app.last_mail("nora.collegue@exemple.fr").await.unwrap();
        assert_eq!(subject, "Une invitation pour vous sur la plateforme EPoP");
        assert!(
            body.contains("Marc Olivier vous a créé un compte"),
            "{body}"
        );
        // An existing account in no organisation: a link to accept.
        let free = "pair-ariege@demo.epop.test";
        let res = member.post(path, &[("name", "Awa"), ("email", free)]).await;
        assert_eq!(
            res.location(),
            "/espace/organisation/inviter?message=invitation"
        );
        assert_eq!(
            organisation_of(&app, free).await,
            None,
            "not before accepting"
        );
        let (subject, body) = app.last_mail(free).await.unwrap();
        assert_eq!(
            subject,
            format!("Rejoindre l’organisation « {ESAT} » sur EPoP")
        );
        let link = link_in(&body);
        assert!(link.starts_with("/rejoindre-une-organisation/"), "{link}");
        let mut invitee = app.client();
        let page = invitee.get(&link).await;
        assert!(
            page.body.contains(&format!("Rejoindre « {ESAT} »")),
            "{}",
            page.body
        );
        assert_eq!(
            organisation_of(&app, free).await,
            None,
            "opening the link is not accepting"
        );
        let before = app.audit_count("organisation_member_joined").await;
        let done = invitee.post(&link, &[]).await;
        assert!(
            done.body.contains("vous êtes membre de l’organisation"),
            "{}",
            done.body
        );
        assert_eq!(organisation_of(&app, free).await, esat);
        assert_eq!(
            app.audit_count("organisation_member_joined").await,
            before + 1
        );
        assert!(
            roles_of(&app, free)
                .await
                .contains(&epop_domain::Role::Requester)
        );
        let again = invitee.post(&link, &[]).await;
        assert!(
            again.body.contains("Ce lien ne marche plus"),
            "{}",
            again.body
        );
        // Someone in another organisation is refused, and gets nothing.
        let elsewhere = "financeur@demo.epop.test";
        let mails = app.mail_count(elsewhere).await;
        member
            .post(path, &[("name", "F"), ("email", elsewhere)])
            .await
            .assert_field_error("email", "déjà membre d’une autre organisation");
        assert_eq!(app.mail_count(elsewhere).await, mails);
        assert_ne!(organisation_of(&app, elsewhere).await, esat);
        member
            .post(
                path,
                &[("name", "R"), ("email", "referente@demo.epop.test")],
            )
            .await
            .assert_field_error("email", "déjà membre de votre organisation");
    }
}
