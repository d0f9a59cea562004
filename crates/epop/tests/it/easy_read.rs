//! Easy-read French (FALC) for peer workers: no inclusive-writing middle
//! dot in any template or string, acronyms said in words the first time,
//! dates in words with the weekday, the « Textes faciles à lire » setting
//! (cookie or `?version=facile`) that changes the menu and shows each peer
//! page's short explanation, and the organisation's own words shown as
//! theirs on the peer's proposal page.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, TimeZone, Timelike};
use epop_domain::schedule::{MONTHS, WEEKDAYS};

use crate::harness::{App, apps, first_proposal, link_in, refs, request_fields};

const DOT: char = '\u{b7}';

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "rs" || x == "html" || x == "md")
        {
            out.push(p);
        }
    }
}

/// The rule: a middle dot right after a letter is inclusive writing
/// (« intervenant·e ») and is refused; a middle dot between spaces is a
/// separator (« a · b ») and may stay.
fn inclusive_dots(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut prev = ' ';
        for c in line.chars() {
            if c == DOT && prev.is_alphabetic() {
                found.push(format!("{}: {}", n + 1, line.trim()));
                break;
            }
            prev = c;
        }
    }
    found
}

#[test]
fn no_inclusive_middle_dot_in_templates_or_strings() {
    assert_eq!(inclusive_dots("Vous êtes connecté·e").len(), 1);
    assert!(inclusive_dots("intervient à distance · propose").is_empty());
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut all = Vec::new();
    for dir in fs::read_dir(root.join("crates")).unwrap().flatten() {
        files(&dir.path().join("src"), &mut all);
        files(&dir.path().join("templates"), &mut all);
        files(&dir.path().join("content"), &mut all);
    }
    assert!(all.len() > 100, "the sources are found");
    let mut bad = Vec::new();
    for f in all {
        let text = fs::read_to_string(&f).unwrap();
        for line in inclusive_dots(&text) {
            bad.push(format!("{}:{line}", f.display()));
        }
    }
    assert!(bad.is_empty(), "inclusive middle dots:\n{}", bad.join("\n"));
}

/// « jeudi 1er janvier 2099 à 23 h 59 », computed here from the stored time.
fn in_words(ts: i64) -> String {
    let t = chrono_tz::Europe::Paris.timestamp_opt(ts, 0).unwrap();
    let day = match t.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    let hour = match t.minute() {
        0 => format!("{} h", t.hour()),
        m => format!("{} h {m:02}", t.hour()),
    };
    format!(
        "{} {day} {} {} à {hour}",
        WEEKDAYS[t.weekday().num_days_from_monday() as usize],
        MONTHS[t.month0() as usize],
        t.year()
    )
}

/// Awa's demo proposal: its link and its deadline.
async fn awa_proposal(app: &App) -> (String, i64) {
    let mut awa = app.signed_in("pair@demo.epop.test").await;
    let link = first_proposal(&awa.get("/espace/propositions").await.body);
    let account = app.account("pair@demo.epop.test").await;
    let mut conn = app.db.conn().await.unwrap();
    let p = epop_store::proposals::for_account(&mut conn, account.id)
        .await
        .unwrap()
        .remove(0);
    (link, p.deadline)
}

#[tokio::test]
async fn the_proposal_page_explains_acronyms_dates_and_whose_words_these_are() {
    for app in apps().await {
        let (link, deadline) = awa_proposal(&app).await;
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let page = awa.get(&link).await.body;
        assert!(
            page.contains(
                "<abbr title=\"allocation aux adultes handicapés\">AAH</abbr> (allocation aux adultes handicapés)"
            ),
            "{page}"
        );
        assert!(page.contains(
            "<abbr title=\"établissement et service d’accompagnement par le travail\">ESAT</abbr> (établissement et service d’accompagnement par le travail)"
        ));
        let when = format!("avant le {}", in_words(deadline));
        assert!(page.contains(&when), "{when} in {page}");
        let numeric = chrono_tz::Europe::Paris
            .timestamp_opt(deadline, 0)
            .unwrap()
            .format("%d/%m/%Y")
            .to_string();
        assert!(!page.contains(&numeric), "no {numeric} alone");
        // The organisation's words are quoted as theirs.
        let said = page
            .find("Ce que l’organisation a écrit :")
            .expect("the organisation's words are introduced");
        let quote = page[said..].find("<blockquote").unwrap() + said;
        for theirs in [
            "Former les moniteurs d’atelier",
            "Une matinée avec les moniteurs d’atelier",
            "Moniteurs d’atelier",
        ] {
            let at = page.rfind(theirs).unwrap();
            assert!(at > quote, "« {theirs} » is in the quote");
        }
        assert!(!page.contains(DOT), "no middle dot on the peer's page");
        // The list says the deadline in words too.
        let list = awa.get("/espace/propositions").await.body;
        assert!(list.contains(&when), "{list}");
    }
}

/// The easy-read labels of the menu and the proposal page's explanation.
const EASY_MENU: &str = "Changer l’affichage";
const EASY_SPACE: &str = "Ma page personnelle";
const EASY_EXPLANATION: &str = "En bref :";

#[tokio::test]
async fn easy_read_words_come_with_the_url_or_the_display_setting() {
    for app in apps().await {
        let (link, _) = awa_proposal(&app).await;
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        // Ordinary words by default.
        let page = awa.get(&link).await.body;
        assert!(page.contains(">Affichage</a>") && page.contains(">Mon espace</a>"));
        assert!(!page.contains(EASY_MENU) && !page.contains(EASY_EXPLANATION));
        let list = awa.get("/espace/propositions").await.body;
        assert!(list.contains("<h1>Mes propositions d’intervention</h1>"));
        // `?version=facile` turns them on for that page.
        let page = awa.get(&format!("{link}?version=facile")).await.body;
        assert!(
            page.contains(EASY_MENU) && page.contains(EASY_SPACE),
            "{page}"
        );
        assert!(page.contains(EASY_EXPLANATION));
        let list = awa.get("/espace/propositions?version=facile").await.body;
        assert!(list.contains("<h1>Les missions que l’on me propose</h1>"));
        let payments = awa.get("/espace/paiements?version=facile").await.body;
        assert!(payments.contains(EASY_EXPLANATION), "{payments}");
        let space = awa.get("/espace?version=facile").await.body;
        assert!(space.contains(EASY_EXPLANATION), "{space}");
        assert!(space.contains("Les missions que l’on me propose</a>"));
        let card = awa.get("/espace/ma-fiche?version=facile").await.body;
        assert!(card.contains("<h1>Ma fiche : ce que les gens savent de moi</h1>"));
        let card = awa.get("/espace/ma-fiche").await.body;
        assert!(card.contains("<h1>Ma fiche dans l’annuaire</h1>"));
        assert!(!awa.get(&link).await.body.contains(EASY_MENU));
        // The setting keeps them on every page.
        let saved = awa
            .post("/parametres-affichage", &[("facile", "oui")])
            .await;
        let settings = awa.get(saved.location()).await.body;
        assert!(
            settings.contains("id=\"facile-oui\" name=\"facile\" value=\"oui\" checked"),
            "{settings}"
        );
        let page = awa.get(&link).await.body;
        assert!(page.contains(EASY_MENU) && page.contains(EASY_EXPLANATION));
        let list = awa.get("/espace/propositions").await.body;
        assert!(list.contains("<h1>Les missions que l’on me propose</h1>"));
        // And off again.
        awa.post("/parametres-affichage", &[("facile", "non")])
            .await;
        assert!(!awa.get(&link).await.body.contains(EASY_MENU));
    }
}

#[tokio::test]
async fn the_proposal_mail_to_a_peer_says_the_date_in_words() {
    for app in apps().await {
        let mut requester = app.signed_in("demandeur@demo.epop.test").await;
        let f = request_fields("demandeur@demo.epop.test");
        requester
            .post(
                "/demander-une-intervention",
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        let mut conn = app.db.conn().await.unwrap();
        let id = epop_store::requests::all_submitted(&mut conn)
            .await
            .unwrap()[0]
            .public_id
            .clone();
        let awa = epop_store::directory::by_slug(&mut conn, "awa-diallo")
            .await
            .unwrap()
            .unwrap();
        drop(conn);
        let path = format!("/admin/demandes/{id}");
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord.post(&format!("{path}/etudier"), &[]).await;
        coord
            .post(
                &format!("{path}/proposer"),
                &[
                    ("peer", &awa.card.id.to_string()),
                    ("deadline", "01/01/2099"),
                ],
            )
            .await;
        let (_, body) = app.last_mail("pair@demo.epop.test").await.unwrap();
        assert!(
            body.contains("avant le jeudi 1er janvier 2099 à 23 h 59"),
            "{body}"
        );
        assert!(
            !body.contains("01/01/2099") && !body.contains(DOT),
            "{body}"
        );
        assert!(
            body.contains("Ce que l’organisation a écrit : « Sensibiliser l’équipe d’accueil »"),
            "{body}"
        );
        assert!(link_in(&body).starts_with("/espace/propositions/"));
    }
}
