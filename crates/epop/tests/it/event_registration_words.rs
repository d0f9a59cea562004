//! Issue 12, people registering for an event: their needs repeated on
//! their page and in the e-mail, a cancellation e-mail that says it is done,
//! and no on-site needs offered (nor accepted) for an online event.

use axum::http::StatusCode;

use crate::harness::{App, Client, apps, link_in};

/// The demo's online information meeting, by its link on the events page.
async fn online_meeting(c: &mut Client) -> String {
    let list = c.get("/evenements").await;
    let prefix = "href=\"/evenements/reunion-d-information-en-ligne";
    let start = list.body.find(prefix).expect("the online meeting") + "href=\"".len();
    list.body[start..start + list.body[start..].find('"').unwrap()].to_owned()
}

async fn register(app: &App, page: &str, email: &str, needs: &[&str]) -> crate::harness::Page {
    let mut c = app.client();
    let mut fields = vec![("name", "Lina Morel"), ("email", email), ("consent", "oui")];
    fields.extend(needs.iter().map(|n| ("needs", *n)));
    c.post(&format!("{page}/inscription"), &fields).await
}

#[tokio::test]
async fn needs_are_repeated_and_a_cancellation_says_it_is_done() {
    for app in apps().await {
        let mut anon = app.client();
        let page = online_meeting(&mut anon).await;
        let email = "lina.morel@exemple.fr";
        let done = register(&app, &page, email, &["lsf", "sous-titrage"]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        let mine = anon.get(done.location()).await;
        for need in [
            "Un interprète en langue des signes (LSF)",
            "Le sous-titrage en direct",
        ] {
            assert!(
                mine.body.contains(need),
                "page: « {need} » missing in\n{}",
                mine.body
            );
        }
        let (_, mail) = app.last_mail(email).await.unwrap();
        assert!(mail.contains("Vos besoins pour participer :"), "{mail}");
        for need in [
            "Un interprète en langue des signes (LSF)",
            "Le sous-titrage en direct",
        ] {
            assert!(mail.contains(need), "e-mail: « {need} » missing in\n{mail}");
        }

        // Nobody waits for this meeting: the cancellation gives no seat away.
        let link = link_in(&mail);
        let token = link.trim_start_matches("/inscriptions/");
        let cancelled = anon
            .post(&format!("/inscriptions/{token}/annuler"), &[])
            .await;
        assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
        let (subject, mail) = app.last_mail(email).await.unwrap();
        assert!(subject.starts_with("Inscription annulée"), "{subject}");
        assert!(mail.contains("Votre inscription est annulée."), "{mail}");
        assert!(
            !mail.contains("donnée à une autre personne"),
            "nobody was waiting: {mail}"
        );
        assert!(
            !mail.contains("l’annuler") && !mail.contains("annulez l’inscription"),
            "it is already cancelled: {mail}"
        );
    }
}

#[tokio::test]
async fn an_online_event_neither_offers_nor_takes_on_site_needs() {
    for app in apps().await {
        let mut anon = app.client();
        let page = online_meeting(&mut anon).await;
        let form = anon.get(&format!("{page}/inscription")).await;
        assert_eq!(form.status, StatusCode::OK);
        assert!(form.body.contains("id=\"need-lsf\""));
        for code in ["plain-pied", "boucle", "chien"] {
            assert!(
                !form.body.contains(&format!("id=\"need-{code}\"")),
                "{code} offered online"
            );
        }
        let refused = register(&app, &page, "sam.roy@exemple.fr", &["lsf", "plain-pied"]).await;
        refused.assert_field_error("needs", "sur place");
        assert_eq!(app.mail_count("sam.roy@exemple.fr").await, 0);
    }
}
