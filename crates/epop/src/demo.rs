//! Demo data: the partners named in the project's texts, the territories
//! they work in, and one account per role. Running it twice changes nothing.

use epop_domain::account::AccountStatus;
use epop_domain::organisation::OrganisationForm;
use epop_domain::{Email, Role};
use epop_store::accounts::{self, NewAccount};
use epop_store::{Db, StoreError, organisations};
use epop_web::security::{hash_password, public_id};

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
    Ok(created)
}
