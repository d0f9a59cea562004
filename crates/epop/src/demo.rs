//! Demo data: the partners named in the project's texts, the territories
//! they work in, and one account per role. Running it twice changes nothing.

use epop_domain::account::AccountStatus;
use epop_domain::directory::{InterventionKind, ProfileKind, Visibility};
use epop_domain::organisation::OrganisationForm;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::directory::{self, ProfileInput, Sensitive};
use epop_store::{Db, StoreError, organisations};
use epop_web::security::{hash_password, public_id};

mod contact;
mod meeting;
mod news;
mod programmes;
mod questionnaires;
mod review;
mod toolbox;

pub use toolbox::{welcome_pdf, write_files};

/// The password of every demo account (demo data only).
pub const DEMO_PASSWORD: &str = "demo-epop-2026";

/// (name, kind, département)
const ORGANISATIONS: &[(&str, &str, &str)] = &[
    ("Croix-Rouge française", "network_partner", "92"),
    ("GAPAS", "association", "59"),
    ("Trisomie 21 France", "association", ""),
    (
        "FISAF – Fédération nationale pour l’inclusion des personnes en situation de handicap sensoriel et DYS",
        "association",
        "",
    ),
    ("LADAPT", "association", ""),
    ("Agefiph", "funder", ""),
    ("ARS Occitanie", "public_service", "31"),
    ("CREAI-ORS Occitanie", "network_partner", "31"),
    ("CREAI Hauts-de-France", "network_partner", "80"),
    ("ESAT des Ateliers de l’Hers (démo)", "esat", "31"),
];

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
    pub department: &'static str,
    pub organisation: &'static str,
    /// Territories of a territorial role: ("region" | "department", code).
    pub scopes: &'static [(&'static str, &'static str)],
}

pub const ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "admin@demo.epop.test",
        name: "Camille Martin",
        role: Role::Admin,
        department: "",
        organisation: "Croix-Rouge française",
        scopes: &[],
    },
    DemoAccount {
        email: "coordination@demo.epop.test",
        name: "Sophie Delmas",
        role: Role::Coordinator,
        department: "31",
        organisation: "CREAI-ORS Occitanie",
        scopes: &[("region", "76")],
    },
    DemoAccount {
        email: "coordination-hdf@demo.epop.test",
        name: "Karim Benali",
        role: Role::Coordinator,
        department: "80",
        organisation: "CREAI Hauts-de-France",
        scopes: &[("department", "80"), ("department", "59")],
    },
    DemoAccount {
        email: "coordination-na@demo.epop.test",
        name: "Isabelle Dupuy",
        role: Role::Coordinator,
        department: "33",
        organisation: "LADAPT",
        scopes: &[
            ("department", "33"),
            ("department", "86"),
            ("department", "47"),
        ],
    },
    DemoAccount {
        email: "referente@demo.epop.test",
        name: "Julie Ferrand",
        role: Role::Referent,
        department: "31",
        organisation: "ESAT des Ateliers de l’Hers (démo)",
        scopes: &[],
    },
    DemoAccount {
        email: "pair@demo.epop.test",
        name: "Awa Diallo",
        role: Role::Peer,
        department: "31",
        organisation: "",
        scopes: &[],
    },
    DemoAccount {
        email: "pair-ariege@demo.epop.test",
        name: "Thomas Roux",
        role: Role::Peer,
        department: "09",
        organisation: "",
        scopes: &[],
    },
    DemoAccount {
        email: "pair-herault@demo.epop.test",
        name: "Nadia Haddad",
        role: Role::Peer,
        department: "34",
        organisation: "",
        scopes: &[],
    },
    DemoAccount {
        email: "pair-somme@demo.epop.test",
        name: "Lucas Lefebvre",
        role: Role::Peer,
        department: "80",
        organisation: "",
        scopes: &[],
    },
    DemoAccount {
        email: "demandeur@demo.epop.test",
        name: "Marc Olivier",
        role: Role::Requester,
        department: "31",
        organisation: "ESAT des Ateliers de l’Hers (démo)",
        scopes: &[],
    },
    DemoAccount {
        email: "candidat@demo.epop.test",
        name: "Inès Morel",
        role: Role::Candidate,
        department: "31",
        organisation: "",
        scopes: &[],
    },
    DemoAccount {
        email: "financeur@demo.epop.test",
        name: "Hélène Garnier",
        role: Role::Observer,
        department: "",
        organisation: "Agefiph",
        scopes: &[("region", "76")],
    },
];

/// Loads the demo data; returns how many records were created.
pub async fn load(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let mut created = 0;
    let mut tx = db.write().await.map_err(err)?;
    for (name, kind, dept) in ORGANISATIONS {
        if organisations::by_name(&mut tx, name)
            .await
            .map_err(err)?
            .is_none()
        {
            let form = OrganisationForm {
                name: (*name).into(),
                kind: (*kind).into(),
                siret: String::new(),
                department: (*dept).into(),
            };
            let org = form.validate().map_err(|e| format!("{name}: {e:?}"))?;
            organisations::create(&mut tx, &org).await.map_err(err)?;
            created += 1;
        }
    }
    let hash = hash_password(DEMO_PASSWORD).map_err(|e| e.to_string())?;
    for a in ACCOUNTS {
        let email = Email::parse(a.email).map_err(|e| e.0)?;
        if accounts::credentials(&mut tx, &email)
            .await
            .map_err(err)?
            .is_some()
        {
            continue;
        }
        let organisation_id = if a.organisation.is_empty() {
            None
        } else {
            organisations::by_name(&mut tx, a.organisation)
                .await
                .map_err(err)?
                .map(|o| o.id)
        };
        let new = NewAccount {
            public_id: public_id(),
            email,
            display_name: a.name.into(),
            status: AccountStatus::Active,
            department: (!a.department.is_empty()).then(|| a.department.to_owned()),
            organisation_id,
        };
        let id = accounts::create(&mut tx, &new).await.map_err(err)?;
        accounts::set_password(&mut tx, id, &hash)
            .await
            .map_err(err)?;
        accounts::grant(&mut tx, id, a.role).await.map_err(err)?;
        let scopes: Vec<(String, String)> = a
            .scopes
            .iter()
            .map(|(k, c)| ((*k).into(), (*c).into()))
            .collect();
        accounts::set_scopes(&mut tx, id, a.role, &scopes)
            .await
            .map_err(err)?;
        created += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    created += profiles(db).await?;
    created += events(db).await?;
    created += trainings(db).await?;
    created += meeting::present_training(db).await?;
    created += requests(db).await?;
    created += programmes::load(db).await?;
    created += contact::conversation(db).await? + questionnaires::invitations(db).await?;
    created += crate::demo_candidate::load(db).await?;
    created += toolbox::load(db).await?;
    created += news::load(db).await?;
    created += review::load(db).await?;
    Ok(created)
}

/// A request from the demo ESAT, studied by the Occitanie coordination and
/// proposed to Awa Diallo, who has not answered yet.
async fn requests(db: &Db) -> Result<usize, String> {
    use epop_domain::lifecycle::Action;
    use epop_store::{proposals, requests};
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    if requests::by_public_id(&mut tx, "demo-demande-esat")
        .await
        .map_err(err)?
        .is_some()
    {
        return Ok(0);
    }
    let date = (chrono::Utc::now().date_naive() + chrono::Duration::days(50))
        .format("%d/%m/%Y")
        .to_string();
    let fields = [
        ("kind", "former"),
        (
            "subject",
            "Former les moniteurs d’atelier à l’accueil des travailleurs avec un handicap psychique",
        ),
        (
            "description",
            "Une matinée avec les moniteurs d’atelier : reconnaître les signes de fatigue, adapter les consignes, parler avec la personne.",
        ),
        ("themes", "santé mentale"),
        ("audience", "Moniteurs d’atelier"),
        ("audience_size", "8"),
        ("date_from", &date),
        ("duration", "3 heures"),
        ("mode", "sur-place"),
        ("address", "ESAT des Ateliers de l’Hers, 31130 Balma"),
        ("department", "31"),
        (
            "place_accessibility",
            "Plain-pied, toilettes adaptées, parking devant l’entrée.",
        ),
        ("step_free", "oui"),
        ("accommodations", "Pauses quand vous voulez, salle calme."),
        ("fee", "200"),
        ("org_name", "ESAT des Ateliers de l’Hers (démo)"),
        ("org_kind", "esat"),
        ("contact_name", "Marc Olivier"),
        ("contact_email", "demandeur@demo.epop.test"),
    ];
    let id_of = |email: &'static str| Email::parse(email).map_err(|e| e.0);
    let requester = accounts::id_by_email(&mut tx, &id_of("demandeur@demo.epop.test")?)
        .await
        .map_err(err)?;
    let coordinator = accounts::id_by_email(&mut tx, &id_of("coordination@demo.epop.test")?)
        .await
        .map_err(err)?;
    let by = proposals::Who {
        actor: epop_domain::lifecycle::Actor::Coordinator,
        account_id: Some(coordinator),
    };
    let now = epop_store::now();
    let r = submit_request(&mut tx, "demo-demande-esat", &fields, requester, now).await?;
    proposals::transition(&mut tx, &r, &Action::Qualify, by, now)
        .await
        .map_err(err)?;
    propose_to(&mut tx, &r, "awa-diallo", by, now).await?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(1)
}

/// Proposes the request to the peer of the profile `slug`, to answer
/// within a week: their account's id.
async fn propose_to(
    tx: &mut epop_store::Conn,
    r: &epop_store::requests::Request,
    slug: &str,
    by: epop_store::proposals::Who,
    now: i64,
) -> Result<i64, String> {
    use epop_store::proposals;
    let err = |e: StoreError| e.to_string();
    let card = directory::by_slug(tx, slug)
        .await
        .map_err(err)?
        .ok_or("fiche de démo absente")?
        .card;
    let account = proposals::account_of(tx, card.id)
        .await
        .map_err(err)?
        .ok_or("compte de démo absent")?;
    let deadline = epop_store::now() + 7 * 86_400;
    proposals::propose(tx, r, &[(card.id, account, public_id())], deadline, by, now)
        .await
        .map_err(err)?;
    Ok(account)
}

/// Submits a demo request from its form's fields, in the name of the
/// organisation the fields name, by `requester`.
async fn submit_request(
    tx: &mut epop_store::Conn,
    public_id: &str,
    fields: &[(&str, &str)],
    requester: i64,
    now: i64,
) -> Result<epop_store::requests::Request, String> {
    use epop_domain::request::RequestForm;
    let err = |e: StoreError| e.to_string();
    let form: Vec<(String, String)> = fields
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let get = |k: &str| {
        form.iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let valid = RequestForm::from_fields(get)
        .validate(chrono::Utc::now().date_naive())
        .map_err(|p| format!("demande de démo {public_id} : {p:?}"))?;
    let org = organisations::by_name(tx, &valid.organisation.name)
        .await
        .map_err(err)?
        .ok_or("organisation de démo absente")?;
    let stored = serde_urlencoded::to_string(&form).map_err(|e| e.to_string())?;
    epop_store::requests::submit(tx, public_id, &stored, &valid, org.id, requester, now)
        .await
        .map_err(err)
}

/// The two programmes the texts describe (peer workers: 5 days; référents:
/// 6 days, 1 to 2 days a month), a session of each to come, and one
/// application from the demo peer of the Hérault.
async fn trainings(db: &Db) -> Result<usize, String> {
    use epop_domain::training::{ProgrammeForm, SessionForm};
    use epop_store::trainings;
    let err = |e: StoreError| e.to_string();
    let mut tx = db.write().await.map_err(err)?;
    if !trainings::programmes(&mut tx)
        .await
        .map_err(err)?
        .is_empty()
    {
        return Ok(0);
    }
    let day = |offset: i64| {
        (chrono::Utc::now().date_naive() + chrono::Duration::days(offset))
            .format("%d/%m/%Y")
            .to_string()
    };
    let peer = ProgrammeForm {
        title: "Formation des intervenants-pairs".into(),
        audience: "peer".into(),
        description: "Cinq jours pour apprendre à intervenir avec son expérience du handicap : \
            se présenter, construire une intervention, animer un groupe, poser ses limites, connaître ses droits \
            et les cadres d’intervention. Co-animée par des intervenants-pairs."
            .into(),
        description_easy: "La formation dure 5 jours.\nVous apprenez à parler de votre expérience.\n\
            Vous apprenez à aider les autres.\nDes intervenants-pairs font la formation avec les formateurs."
            .into(),
        duration: "5 jours".into(),
        hours: "35".into(),
    };
    let referent = ProgrammeForm {
        title: "Formation des référents en intervention par les pairs".into(),
        audience: "referent".into(),
        description: "Six jours, un à deux jours par mois, pour préparer une équipe à accueillir un intervenant-pair : \
            prérequis, statut, thèmes, fréquence, fiche de mission. Co-animée par des intervenants-pairs."
            .into(),
        description_easy: "La formation dure 6 jours.\nUn ou deux jours chaque mois.\n\
            Vous apprenez à accueillir un intervenant-pair dans votre équipe."
            .into(),
        duration: "6 jours, 1 à 2 jours par mois".into(),
        hours: "42".into(),
    };
    let mut created = 0;
    let admin = accounts::id_by_email(
        &mut tx,
        &Email::parse("coordination@demo.epop.test").map_err(|e| e.0)?,
    )
    .await
    .map_err(err)?;
    for (form, dept, place, days, title) in [
        (
            &peer,
            "31",
            "Croix-Rouge française, 5 rue de la Fonderie, 31000 Toulouse",
            (45..50).collect::<Vec<i64>>(),
            "Session Occitanie",
        ),
        (
            &referent,
            "59",
            "GAPAS, 12 rue de Tournai, 59000 Lille",
            vec![60, 90, 120],
            "Session Hauts-de-France",
        ),
    ] {
        let programme = trainings::create_programme(
            &mut tx,
            &form.validate().map_err(|p| format!("{p:?}"))?,
            epop_store::now(),
        )
        .await
        .map_err(err)?;
        let half_days: Vec<String> = days
            .iter()
            .flat_map(|d| {
                [
                    format!("{} 9:00-12:30", day(*d)),
                    format!("{} 13:30-17:00", day(*d)),
                ]
            })
            .collect();
        let session = SessionForm {
            title: title.into(),
            place: place.into(),
            department: dept.into(),
            capacity: "12".into(),
            half_days: half_days.join("\n"),
            trainers: "Claire Vidal, formatrice".into(),
            peer_trainers: "Awa Diallo".into(),
        }
        .validate()
        .map_err(|p| format!("{p:?}"))?;
        let s = trainings::create_session(&mut tx, &programme, &session, admin, epop_store::now())
            .await
            .map_err(err)?;
        if dept == "31" {
            let nadia = accounts::id_by_email(
                &mut tx,
                &Email::parse("pair-herault@demo.epop.test").map_err(|e| e.0)?,
            )
            .await
            .map_err(err)?;
            trainings::apply(
                &mut tx,
                s.id,
                nadia,
                &public_id(),
                "Je veux parler de mon parcours aux équipes des ESAT de l’Hérault.",
                "Des pauses toutes les heures.",
                epop_store::now(),
            )
            .await
            .map_err(err)?;
        }
        created += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(created)
}

/// The first Friday at least `days` days from now, as `JJ/MM/AAAA`.
fn friday_after(days: i64) -> String {
    use chrono::Datelike;
    let mut d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    while d.weekday() != chrono::Weekday::Fri {
        d += chrono::Duration::days(1);
    }
    d.format("%d/%m/%Y").to_string()
}

/// Three events to come: an online information meeting like the Occitanie
/// one of 9 January 2026, a practice-analysis group for trained peer
/// workers only, and a small on-site workshop in Lille that is full, with a
/// waiting list and seats offered for 48 hours.
async fn events(db: &Db) -> Result<usize, String> {
    use epop_domain::event::{EventForm, Need, NewRegistration};
    use epop_store::events::{self, Filter, Registrant};
    let err = |e: StoreError| e.to_string();
    let meeting = EventForm {
        title: meeting::MEETING.into(),
        description: "Vous êtes une personne en situation de handicap et vous voulez aider les autres avec votre expérience ? \
            Vous êtes un professionnel et vous voulez accueillir un intervenant-pair ?\n\
            Cette réunion présente le métier d’intervenant-pair, la formation de 5 jours et l’accompagnement après la formation, \
            en Ariège, dans l’Hérault et en Haute-Garonne."
            .into(),
        description_easy: "Cette réunion est sur Internet.\n\
            Nous expliquons le métier d’intervenant-pair.\n\
            Un intervenant-pair est une personne en situation de handicap.\n\
            Il aide les autres avec son expérience.\n\
            Vous pouvez poser vos questions."
            .into(),
        audience: "Personnes en situation de handicap, professionnels, familles".into(),
        date: friday_after(40),
        start_time: "11:30".into(),
        end_time: "12:30".into(),
        mode: "en-ligne".into(),
        online_link: "https://visio.demo.epop.test/reunion-information".into(),
        department: "31".into(),
        organiser: "Croix-Rouge française – Occitanie".into(),
        capacity: "50".into(),
        accessibility: vec!["lsf".into(), "sous-titrage".into(), "falc".into()],
        questions: "Comment avez-vous connu le réseau ?".into(),
        information_meeting: true,
        ..Default::default()
    };
    let workshop = EventForm {
        title: "Atelier de sensibilisation au handicap psychique".into(),
        description: "Un atelier animé par deux intervenants-pairs pour les équipes des entreprises de la métropole lilloise.".into(),
        description_easy: "Deux intervenants-pairs parlent de leur vie avec un handicap psychique.\nIls répondent à vos questions.".into(),
        audience: "Salariés et managers d’entreprises".into(),
        date: friday_after(20),
        start_time: "14:00".into(),
        end_time: "16:30".into(),
        mode: "sur-place".into(),
        address: "GAPAS, 12 rue de Tournai, 59000 Lille".into(),
        directions: "Métro ligne 1, arrêt Gare Lille Flandres, puis 5 minutes à pied. Entrée par la rampe à gauche.".into(),
        step_free: true,
        department: "59".into(),
        organiser: "GAPAS".into(),
        capacity: "3".into(),
        offer_hours: "48".into(),
        accessibility: vec!["plain-pied".into(), "boucle".into(), "pauses".into()],
        ..Default::default()
    };
    let practice = EventForm {
        title: "Groupe d’analyse des pratiques des intervenants-pairs".into(),
        description: "Une séance en petit groupe pour parler de vos interventions : ce qui a marché, ce qui a été difficile, \
            comment poser vos limites. Animée par une psychologue et une intervenante-paire."
            .into(),
        description_easy: "Nous parlons de vos interventions.\nVous dites ce qui est facile et ce qui est difficile.\n\
            Tout ce qui est dit reste dans le groupe."
            .into(),
        audience: "Intervenants-pairs formés".into(),
        date: friday_after(30),
        start_time: "14:00".into(),
        end_time: "16:00".into(),
        mode: "en-ligne".into(),
        online_link: "https://visio.demo.epop.test/analyse-des-pratiques".into(),
        department: "31".into(),
        organiser: "CREAI-ORS Occitanie".into(),
        capacity: "10".into(),
        accessibility: vec!["sous-titrage".into(), "pauses".into()],
        trained_peers_only: true,
        ..Default::default()
    };
    let mut tx = db.write().await.map_err(err)?;
    let existing = events::list(&mut tx, &Filter::default())
        .await
        .map_err(err)?;
    let mut created = 0;
    for (form, people) in [
        (&meeting, &[][..]),
        (&practice, &[][..]),
        (
            &workshop,
            &[
                (
                    "Julie Lambert",
                    "julie.lambert@demo.epop.test",
                    &[Need::StepFree][..],
                ),
                ("Karim Benali", "karim.benali@demo.epop.test", &[][..]),
                (
                    "Élise Moreau",
                    "elise.moreau@demo.epop.test",
                    &[Need::HearingLoop][..],
                ),
                ("Paul Girard", "paul.girard@demo.epop.test", &[][..]),
            ][..],
        ),
    ] {
        if existing.iter().any(|e| e.title == form.title) {
            continue;
        }
        let valid = form
            .validate(epop_store::now(), true)
            .map_err(|p| format!("{}: {p:?}", form.title))?;
        let e = events::create(&mut tx, &valid, None, epop_store::now())
            .await
            .map_err(err)?;
        for (name, email, needs) in people {
            let r = NewRegistration {
                name: (*name).into(),
                email: Email::parse(email).map_err(|e| e.0)?,
                phone: None,
                needs: needs.to_vec(),
                needs_other: None,
                answers: vec![],
            };
            let token = epop_web::security::hash_token(&epop_web::security::random_token());
            events::register(
                &mut tx,
                e.id,
                &r,
                &token,
                Registrant::default(),
                epop_store::now(),
            )
            .await
            .map_err(err)?;
        }
        created += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(created)
}

/// A named demo profile: (e-mail, kind, visibility, presentation, easy-read
/// presentation, kinds, theme indexes in `synthetic::THEMES`, covered
/// départements, remote, LSF, job, sensitive accommodations, experience).
struct DemoProfile {
    email: &'static str,
    kind: ProfileKind,
    visibility: Visibility,
    presentation: &'static str,
    easy: &'static str,
    kinds: &'static [InterventionKind],
    themes: &'static [usize],
    departments: &'static [&'static str],
    remote: bool,
    lsf: bool,
    job: Option<&'static str>,
    trained_on: &'static str,
    accommodations: &'static str,
    experience: &'static str,
}

const PROFILES: &[DemoProfile] = &[
    DemoProfile {
        email: "pair@demo.epop.test",
        kind: ProfileKind::Peer,
        visibility: Visibility::Public,
        presentation: "Éducatrice de formation, je vis avec un trouble psychique. J’interviens auprès des équipes pour parler du retour au travail et de la santé mentale.",
        easy: "Je m’appelle Awa. J’ai un handicap psychique. J’explique aux équipes comment bien accueillir une personne comme moi au travail.",
        kinds: &[
            InterventionKind::TrainingProfessionals,
            InterventionKind::Awareness,
            InterventionKind::PeerSupport,
        ],
        themes: &[0, 1],
        departments: &["31", "32", "81"],
        remote: true,
        lsf: false,
        job: None,
        trained_on: "2025-06-20",
        accommodations: "Des pauses courtes toutes les heures.",
        experience: "Trouble bipolaire stabilisé depuis 2015.",
    },
    DemoProfile {
        email: "pair-ariege@demo.epop.test",
        kind: ProfileKind::Peer,
        visibility: Visibility::Members,
        presentation: "Je suis sourd et je m’exprime en LSF. Je teste l’accessibilité des sites internet et des accueils du public dans les Pyrénées.",
        easy: "Je suis sourd. Je parle la langue des signes. Je dis si un site internet est facile à utiliser.",
        kinds: &[InterventionKind::ExpertReview, InterventionKind::Awareness],
        themes: &[2, 14],
        departments: &["09", "65"],
        remote: true,
        lsf: true,
        job: None,
        trained_on: "2026-03-12",
        accommodations: "Interprète LSF pour toute réunion.",
        experience: "",
    },
    DemoProfile {
        email: "pair-herault@demo.epop.test",
        kind: ProfileKind::Peer,
        visibility: Visibility::Public,
        presentation: "Membre du conseil départemental de la citoyenneté et de l’autonomie de l’Hérault, je défends les droits des personnes et je participe à l’écriture des règles qui nous concernent.",
        easy: "Je défends les droits des personnes handicapées. Je participe à l’écriture des règles.",
        kinds: &[
            InterventionKind::Advocacy,
            InterventionKind::PolicyParticipation,
        ],
        themes: &[11, 8],
        departments: &["34", "11"],
        remote: false,
        lsf: false,
        job: None,
        trained_on: "2024-11-05",
        accommodations: "",
        experience: "",
    },
    DemoProfile {
        email: "pair-somme@demo.epop.test",
        kind: ProfileKind::Peer,
        visibility: Visibility::Hidden,
        presentation: "Travailleur en ESAT à Amiens, je parle de mon métier aux entreprises qui veulent accueillir des travailleurs handicapés.",
        easy: "Je travaille dans un ESAT. Je parle de mon travail aux entreprises.",
        kinds: &[InterventionKind::Awareness],
        themes: &[13, 0],
        departments: &["80"],
        remote: false,
        lsf: false,
        job: None,
        trained_on: "2021-10-01",
        accommodations: "Consignes écrites en facile à lire.",
        experience: "",
    },
    DemoProfile {
        email: "referente@demo.epop.test",
        kind: ProfileKind::Referent,
        visibility: Visibility::Public,
        presentation: "Monitrice d’atelier dans un ESAT de Haute-Garonne, je prépare l’équipe et l’accueil des intervenants-pairs.",
        easy: "Je travaille dans un ESAT. J’aide à bien accueillir les intervenants-pairs.",
        kinds: &[],
        themes: &[13],
        departments: &["31"],
        remote: false,
        lsf: false,
        job: Some("Monitrice d’atelier"),
        trained_on: "2025-09-30",
        accommodations: "",
        experience: "",
    },
];

/// The named demo profiles and a few made-up colleagues in the territories
/// of the texts. Returns how many profiles were written.
pub async fn profiles(db: &Db) -> Result<usize, String> {
    let err = |e: StoreError| e.to_string();
    let theme_ids = crate::synthetic::themes(db).await.map_err(err)?;
    let mut tx = db.write().await.map_err(err)?;
    let mut written = 0;
    for p in PROFILES {
        let email = Email::parse(p.email).map_err(|e| e.0)?;
        let Some(c) = accounts::credentials(&mut tx, &email).await.map_err(err)? else {
            continue;
        };
        if !directory::slugs_of(&mut tx, c.id)
            .await
            .map_err(err)?
            .is_empty()
        {
            continue;
        }
        let account = accounts::by_id(&mut tx, c.id)
            .await
            .map_err(err)?
            .ok_or("compte introuvable")?;
        let input = ProfileInput {
            kind: p.kind,
            display_name: account.display_name.clone(),
            visibility: p.visibility,
            home_department: account.department_code.clone(),
            presentation: p.presentation.into(),
            presentation_easy: p.easy.into(),
            own_words: String::new(),
            on_site: true,
            remote: p.remote,
            travel_km: Some(60),
            other_languages: String::new(),
            max_per_month: Some(3),
            job_title: p.job.map(str::to_owned),
            organisation_id: account.organisation_id,
            departments: p.departments.iter().map(|d| d.to_string()).collect(),
            interventions: p.kinds.to_vec(),
            theme_ids: p.themes.iter().map(|i| theme_ids[*i]).collect(),
            languages: if p.lsf {
                vec!["fr".into(), "lsf".into()]
            } else {
                vec!["fr".into()]
            },
        };
        let (id, _) = directory::upsert(&mut tx, db.engine(), c.id, &input)
            .await
            .map_err(err)?;
        directory::set_training(
            &mut tx,
            id,
            Some(p.trained_on),
            Some("Formation EPoP des intervenants-pairs"),
        )
        .await
        .map_err(err)?;
        directory::give_consent(&mut tx, c.id, directory::purpose::LISTING, "2026-11")
            .await
            .map_err(err)?;
        let sensitive = Sensitive {
            accommodations: Some(p.accommodations.to_owned()).filter(|s| !s.is_empty()),
            disability_experience: Some(p.experience.to_owned()).filter(|s| !s.is_empty()),
        };
        directory::set_sensitive(&mut tx, id, &sensitive)
            .await
            .map_err(err)?;
        if sensitive.accommodations.is_some() {
            directory::give_consent(&mut tx, c.id, directory::purpose::ACCOMMODATIONS, "2026-11")
                .await
                .map_err(err)?;
        }
        if sensitive.disability_experience.is_some() {
            directory::give_consent(&mut tx, c.id, directory::purpose::EXPERIENCE, "2026-11")
                .await
                .map_err(err)?;
        }
        written += 1;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    let territories = ["31", "09", "34", "65", "11", "80", "59", "33", "86", "47"];
    written += crate::synthetic::seed(db, 30, Some(&territories), "demo.epop.test", |_| {})
        .await
        .map_err(err)?;
    Ok(written)
}
