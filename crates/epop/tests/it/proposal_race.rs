//! Two peer workers accept the same request at the same moment, each
//! through their own `epop serve` process on one PostgreSQL database (one
//! process on SQLite): exactly one wins, the other is told it is too late.

use epop_store::{Db, proposals, requests};

use crate::event_capacity::{data_dir, http, on_both_engines, start};

/// Signs in through the form; returns the session cookie (`; name=value`).
pub fn sign_in(port: u16, email: &str) -> String {
    let form = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        epop::demo::DEMO_PASSWORD
    );
    let (status, text) = http(port, "POST /connexion HTTP/1.1", &form, "").unwrap();
    assert_eq!(status, 303, "{text}");
    let cookie = text
        .lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with("set-cookie: epop_session=")
        })
        .expect("a session cookie");
    let pair = cookie
        .split_once(": ")
        .unwrap()
        .1
        .split(';')
        .next()
        .unwrap();
    format!("; {pair}")
}

/// A remote request proposed to Awa and Thomas (both suggested).
async fn proposed_twice(db: &Db) -> Vec<String> {
    let mut tx = db.write().await.unwrap();
    let form = "kind=sensibiliser&subject=Course&description=x&audience=x&audience_size=5&period=2027&duration=2h&mode=a-distance&department=31&org_name=Course&org_kind=company&contact_name=X&contact_email=x%40exemple.fr";
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(form).unwrap();
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(a, _)| a == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let valid = epop_domain::request::RequestForm {
        kind: get("kind"),
        subject: get("subject"),
        description: get("description"),
        audience: get("audience"),
        audience_size: get("audience_size"),
        period: get("period"),
        duration: get("duration"),
        mode: get("mode"),
        department: get("department"),
        org_name: get("org_name"),
        org_kind: get("org_kind"),
        contact_name: get("contact_name"),
        contact_email: get("contact_email"),
        ..Default::default()
    }
    .validate(chrono::Utc::now().date_naive())
    .unwrap();
    let org = epop_store::organisations::create(&mut tx, &valid.organisation)
        .await
        .unwrap();
    let coord = epop_store::accounts::id_by_email(
        &mut tx,
        &epop_domain::Email::parse("coordination@demo.epop.test").unwrap(),
    )
    .await
    .unwrap();
    let by = proposals::Who {
        actor: epop_domain::lifecycle::Actor::Coordinator,
        account_id: Some(coord),
    };
    let r = requests::submit(
        &mut tx,
        "course",
        form,
        &valid,
        org.id,
        coord,
        epop_store::now(),
    )
    .await
    .unwrap();
    proposals::transition(
        &mut tx,
        &r,
        &epop_domain::lifecycle::Action::Qualify,
        by,
        epop_store::now(),
    )
    .await
    .unwrap();
    let mut peers = Vec::new();
    for slug in ["awa-diallo", "thomas-roux"] {
        let p = epop_store::directory::by_slug(&mut tx, slug)
            .await
            .unwrap()
            .unwrap();
        let account = proposals::account_of(&mut tx, p.card.id)
            .await
            .unwrap()
            .unwrap();
        peers.push((p.card.id, account, format!("prop-{slug}")));
    }
    let made = proposals::propose(
        &mut tx,
        &r,
        &peers,
        epop_store::now() + 86_400,
        by,
        epop_store::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    made.into_iter().map(|p| p.public_id).collect()
}

async fn race(url: String, tag: String, two_processes: bool) {
    let (url, tag) = (url.as_str(), tag.as_str());
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    epop::demo::load(&db).await.unwrap();
    let ids = proposed_twice(&db).await;
    let dir = data_dir(tag);
    let a = start(url, &dir).await;
    let b = if two_processes {
        Some(start(url, &dir).await)
    } else {
        None
    };
    let port_b = b.as_ref().map(|s| s.port).unwrap_or(a.port);
    let who = [
        ("pair@demo.epop.test", a.port),
        ("pair-ariege@demo.epop.test", port_b),
    ];
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let mut threads = Vec::new();
    for ((email, port), id) in who.into_iter().zip(ids.clone()) {
        let session = sign_in(port, email);
        let barrier = barrier.clone();
        threads.push(std::thread::spawn(move || {
            barrier.wait();
            http(
                port,
                &format!("POST /espace/propositions/{id}/repondre HTTP/1.1"),
                "reponse=oui",
                &session,
            )
            .unwrap()
        }));
    }
    let answers: Vec<String> = threads
        .into_iter()
        .map(|t| {
            let (status, text) = t.join().unwrap();
            assert_eq!(status, 303, "{text}");
            text
        })
        .collect();
    let won = answers
        .iter()
        .filter(|t| t.contains("message=proposition-acceptee"))
        .count();
    let late = answers
        .iter()
        .filter(|t| t.contains("message=trop-tard"))
        .count();
    assert_eq!((won, late), (1, 1), "exactly one acceptance wins ({tag})");
    let mut conn = db.conn().await.unwrap();
    let r = requests::by_public_id(&mut conn, "course")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.status, "accepted");
    let all = proposals::for_request(&mut conn, r.id).await.unwrap();
    let statuses: Vec<&str> = all.iter().map(|p| p.status.as_str()).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "accepted").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == "withdrawn").count(),
        1,
        "{statuses:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_peers_accept_at_the_same_moment_and_exactly_one_wins() {
    on_both_engines("race", race).await;
}
