//! Every form of the coordinator's page of a request (`/admin/demandes/{id}`):
//! a bad value is shown beside its field with what was typed kept, a done
//! action brings the coordinator back to the section acted on, the chosen
//! situations are remembered, and the history names each step.

use axum::http::StatusCode;

use crate::harness::{App, Page, awa_accepts, refs, request_fields};

const PATH: &str = "/admin/demandes/demo-demande-esat";

/// Asserts that `words` is the message of `field`'s `field-error` block
/// (a `div` or a `fieldset`), that the summary, titled as a form error,
/// links to the field, and that the field is described by the message.
fn error_beside(page: &Page, field: &str, words: &str) {
    page.assert_field_error(field, words);
    let body = &page.body;
    assert!(
        body.contains("Il y a 1 erreur dans le formulaire"),
        "summary heading:\n{body}"
    );
    let message = format!("<p class=\"error-message\" id=\"{field}-erreur\">");
    let at = body.find(&message).expect("the message beside the field");
    let text = &body[at..at + body[at..].find("</p>").unwrap()];
    assert!(text.contains(words), "« {words} » not in {text}");
    let block = body[..at]
        .rfind("field-error\"")
        .expect("a field-error block");
    let between = &body[block..at];
    assert!(
        !between.contains("</div>") && !between.contains("</fieldset>"),
        "the message is outside {field}’s block: {between}"
    );
    let described = format!("aria-describedby=\"{field}-erreur\"");
    let described_too = format!(" {field}-erreur\"");
    assert!(
        body.contains(&described) || body.contains(&described_too),
        "{field} is not described by its message"
    );
}

/// The history section of the page.
fn history(body: &str) -> &str {
    let start = body.find("id=\"historique\"").expect("a history");
    let end = start + body[start..].find("</section>").unwrap();
    &body[start..end]
}

async fn coordinator(app: &App) -> crate::harness::Client {
    app.signed_in("coordination@demo.epop.test").await
}

#[tokio::test]
async fn the_framework_form_keeps_the_ticked_situations_and_names_its_field() {
    for app in apps_accepted().await {
        let mut coord = coordinator(&app).await;
        let cadre = format!("{PATH}/cadre");
        // No situation ticked: the message is on the situations.
        let none = coord.post(&cadre, &[("framework", "esat_placement")]).await;
        error_beside(&none, "situations", "Cochez la situation");
        // A risky framework without the confirmation: on the box, with the
        // situations still ticked.
        use epop_domain::legal::{Situation, Verdict, default_rules, fitting};
        let fits = fitting(&default_rules(), &[Situation::EsatWorker, Situation::Aah]);
        let (framework, _) = fits
            .iter()
            .find(|(_, e)| e.needs_confirmation() && e.verdict != Verdict::NotPossible)
            .expect("a risky framework for an ESAT worker on AAH");
        let risky = coord
            .post(
                &cadre,
                &[
                    ("framework", framework.code()),
                    ("situation", "esat_worker"),
                    ("situation", "aah"),
                ],
            )
            .await;
        error_beside(
            &risky,
            &format!("confirm-{}", framework.code()),
            "cochez la case de confirmation",
        );
        for s in ["esat_worker", "aah"] {
            assert!(
                risky
                    .body
                    .contains(&format!("id=\"situation-{s}\" checked")),
                "{s} still ticked"
            );
        }
        assert!(
            !risky.body.contains("id=\"situation-retired\" checked"),
            "nothing else ticked"
        );
        // The frameworks are weighed for the ticked situations.
        assert!(
            risky
                .body
                .contains(&format!("id=\"cadre-{}\"", framework.code()))
        );
        // An unknown framework: on the list of frameworks.
        let unknown = coord
            .post(&cadre, &[("framework", "rien"), ("situation", "aah")])
            .await;
        error_beside(&unknown, "cadres", "Choisissez un cadre");
        assert!(unknown.body.contains("id=\"situation-aah\" checked"));
    }
}

/// The demo request accepted by Awa, on each database.
async fn apps_accepted() -> Vec<App> {
    let mut out = Vec::new();
    for app in crate::harness::apps().await {
        awa_accepts(&app).await;
        out.push(app);
    }
    out
}

#[tokio::test]
async fn the_referent_form_keeps_the_choice_the_name_and_the_address() {
    for app in crate::harness::apps().await {
        let mut coord = coordinator(&app).await;
        let referent = format!("{PATH}/referent");
        let nobody = coord
            .post(
                &referent,
                &[("name", "Inès Morel"), ("email", "ines@exemple.fr")],
            )
            .await;
        error_beside(&nobody, "referent", "Choisissez une personne");
        assert!(nobody.body.contains("value=\"Inès Morel\""), "name kept");
        assert!(nobody.body.contains("value=\"ines@exemple.fr\""), "kept");
        let bad = coord
            .post(
                &referent,
                &[
                    ("referent", "nouveau"),
                    ("name", "Inès Morel"),
                    ("email", "ines.morel@"),
                ],
            )
            .await;
        error_beside(&bad, "referent-email", "adresse e-mail");
        assert!(bad.body.contains("value=\"Inès Morel\""), "name kept");
        assert!(bad.body.contains("value=\"ines.morel@\""), "e-mail kept");
        assert!(
            bad.body.contains("id=\"referent-nouveau\" checked"),
            "the choice stays chosen"
        );
        let unnamed = coord
            .post(
                &referent,
                &[("referent", "nouveau"), ("email", "ines@exemple.fr")],
            )
            .await;
        error_beside(&unnamed, "referent-name", "nom du référent");
        assert!(unnamed.body.contains("value=\"ines@exemple.fr\""));
    }
}

#[tokio::test]
async fn the_message_to_the_requester_keeps_its_text() {
    for app in crate::harness::apps().await {
        let mut coord = coordinator(&app).await;
        let long = "Combien de moniteurs seront présents ? ".repeat(150);
        let res = coord
            .post(&format!("{PATH}/messages"), &[("message", &long)])
            .await;
        error_beside(&res, "message", "votre message");
        assert!(res.body.contains(long.trim()), "text kept");
        assert_eq!(app.mail_count("demandeur@demo.epop.test").await, 0);
    }
}

#[tokio::test]
async fn the_edit_form_keeps_what_was_typed() {
    for app in crate::harness::apps().await {
        let mut coord = coordinator(&app).await;
        let mut f = request_fields("demandeur@demo.epop.test");
        for (k, v) in f.iter_mut() {
            match *k {
                "audience_size" => *v = "une douzaine".into(),
                "subject" => *v = "Sensibiliser les moniteurs d’atelier".into(),
                _ => {}
            }
        }
        let res = coord
            .post(
                &format!("{PATH}/modifier"),
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        res.assert_field_error("audience_size", "nombre");
        assert!(res.body.contains("value=\"une douzaine\""));
        assert!(
            res.body
                .contains("value=\"Sensibiliser les moniteurs d’atelier\"")
        );
    }
}

#[tokio::test]
async fn the_payment_form_keeps_what_was_typed() {
    for app in apps_accepted().await {
        let mut coord = coordinator(&app).await;
        let res = coord
            .post(
                &format!("{PATH}/paiement"),
                &[
                    ("fee", "beaucoup"),
                    ("payer", "epop"),
                    ("due_on", "30/04/2027"),
                    ("status", "paid"),
                    ("paid_on", "02/01/2026"),
                ],
            )
            .await;
        error_beside(&res, "fee", "euros");
        for kept in [
            "value=\"beaucoup\"",
            "value=\"30/04/2027\"",
            "value=\"02/01/2026\"",
            "id=\"status-paid\" checked",
        ] {
            assert!(res.body.contains(kept), "{kept} kept");
        }
        // The schedule form, on the same page, is not filled with them.
        assert!(
            res.body
                .contains("id=\"start_time\" name=\"start_time\" type=\"text\" value=\"9:30\"")
        );
    }
}

#[tokio::test]
async fn a_done_action_brings_back_to_its_section_with_its_message() {
    for app in apps_accepted().await {
        let mut coord = coordinator(&app).await;
        let referente = app.account("referente@demo.epop.test").await.id;
        let steps: [(&str, Vec<(&str, String)>, &str, &str); 5] = [
            (
                "referent",
                vec![("referent", referente.to_string())],
                "#accueil",
                "Le référent est nommé.",
            ),
            (
                "cadre",
                vec![
                    ("framework", "esat_placement".into()),
                    ("situation", "esat_worker".into()),
                    ("confirm", "oui".into()),
                ],
                "#cadre",
                "Le cadre de l’intervention est enregistré.",
            ),
            (
                "programmer",
                vec![
                    ("date", "15/03/2027".into()),
                    ("start_time", "9:30".into()),
                    ("end_time", "12:30".into()),
                ],
                "#programmer",
                "L’intervention est programmée",
            ),
            (
                "paiement",
                vec![("fee", "250".into()), ("status", "due".into())],
                "#paiement",
                "Le paiement est enregistré.",
            ),
            (
                "messages",
                vec![("message", "Combien de moniteurs ?".into())],
                "#messages",
                "Le message est envoyé.",
            ),
        ];
        for (action, fields, anchor, words) in steps {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = coord.post(&format!("{PATH}/{action}"), &fields).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{action}: {}", res.body);
            assert!(
                res.location().ends_with(anchor),
                "{action}: {}",
                res.location()
            );
            let page = coord.get(res.location().split('#').next().unwrap()).await;
            // The message is in the section landed on, not at the top.
            let section = page.body.find(&format!("id=\"{}\"", &anchor[1..])).unwrap();
            let said = page.body.find(words).expect(words);
            assert!(
                said > section,
                "{action}: the message is before the section"
            );
            let next_heading = page.body[section..].find("<h2").unwrap_or(usize::MAX);
            assert!(said - section < next_heading, "{action}: in the section");
        }
        let cancel = coord
            .post(
                &format!("{PATH}/annuler"),
                &[("reason", "La salle est fermée.")],
            )
            .await;
        assert!(
            cancel.location().ends_with("#historique"),
            "{}",
            cancel.location()
        );
    }
}

#[tokio::test]
async fn the_chosen_situations_stay_ticked_and_weighed() {
    for app in apps_accepted().await {
        let mut coord = coordinator(&app).await;
        let before = coord.get(PATH).await;
        assert!(!before.body.contains("id=\"situation-esat_worker\" checked"));
        let chosen = coord
            .post(
                &format!("{PATH}/cadre"),
                &[
                    ("framework", "esat_placement"),
                    ("situation", "esat_worker"),
                    ("confirm", "oui"),
                ],
            )
            .await;
        assert_eq!(chosen.status, StatusCode::SEE_OTHER, "{}", chosen.body);
        let reads = app.audit_count("sensitive_read").await;
        let page = coord.get(PATH).await;
        assert!(
            page.body.contains("id=\"situation-esat_worker\" checked"),
            "the chosen situation is ticked"
        );
        assert!(!page.body.contains("id=\"situation-aah\" checked"));
        assert!(
            page.body.contains("id=\"cadre-esat_placement\""),
            "the frameworks are weighed for it"
        );
        assert!(app.audit_count("sensitive_read").await > reads, "audited");
        // The query still wins: the coordinator may weigh other situations.
        let other = coord.get(&format!("{PATH}?situation=retired")).await;
        assert!(other.body.contains("id=\"situation-retired\" checked"));
        assert!(!other.body.contains("id=\"situation-esat_worker\" checked"));
    }
}

#[tokio::test]
async fn the_history_names_each_step() {
    for app in apps_accepted().await {
        let mut coord = coordinator(&app).await;
        let referente = app.account("referente@demo.epop.test").await.id;
        for (action, fields) in [
            ("referent", vec![("referent", referente.to_string())]),
            (
                "cadre",
                vec![
                    ("framework", "esat_placement".to_owned()),
                    ("situation", "esat_worker".to_owned()),
                    ("confirm", "oui".to_owned()),
                ],
            ),
            (
                "paiement",
                vec![("fee", "250".to_owned()), ("status", "due".to_owned())],
            ),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let res = coord.post(&format!("{PATH}/{action}"), &fields).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{action}: {}", res.body);
        }
        let page = coord.get(PATH).await;
        let h = history(&page.body);
        for step in [
            "Acceptée par un intervenant-pair",
            "Référent nommé",
            "Cadre choisi",
            "Paiement enregistré",
        ] {
            assert!(h.contains(&format!(": {step}")), "« {step} » in {h}");
        }
        assert!(
            h.contains("Référent nommé (Sophie Delmas) – Julie Ferrand (referente@demo.epop.test)"),
            "{h}"
        );
        assert!(
            h.contains("Paiement enregistré (Sophie Delmas) – 250 €, à payer"),
            "{h}"
        );
        assert_eq!(
            h.matches("Acceptée par un intervenant-pair").count(),
            1,
            "only the acceptance is named so: {h}"
        );
    }
}

#[tokio::test]
async fn an_edit_is_named_in_the_history_and_a_refusal_says_so() {
    for app in crate::harness::apps().await {
        let mut coord = coordinator(&app).await;
        let f = request_fields("demandeur@demo.epop.test");
        let edited = coord
            .post(
                &format!("{PATH}/modifier"),
                &refs(&f, &[("action", "envoyer")]),
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let page = coord.get(PATH).await;
        assert!(
            history(&page.body).contains(": Demande modifiée"),
            "{}",
            history(&page.body)
        );
        // Closing a request still open is refused: not a form error.
        let refused = coord.post(&format!("{PATH}/clore"), &[]).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert!(refused.body.contains("Cette action n’est pas possible"));
        assert!(!refused.body.contains("erreur dans le formulaire"));
    }
}
