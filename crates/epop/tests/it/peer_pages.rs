//! The peer's pages: proposals in words (amount, départements, what happens
//! next, « Réalisée ») and the yearly summary of payments.

use crate::harness::{App, Client, apps, awa_accepts, first_proposal};

const REQUEST: &str = "/admin/demandes/demo-demande-esat";

/// Sets the demo request's status straight in the store (the life cycle's
/// own rules are tested elsewhere).
async fn set_status(app: &App, status: &str) {
    let mut conn = app.db.conn().await.unwrap();
    sqlx::query("UPDATE intervention_requests SET status = $1 WHERE public_id = $2")
        .bind(status)
        .bind("demo-demande-esat")
        .execute(&mut *conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_proposal_says_what_comes_next_in_words_and_the_amount_once_settled() {
    for app in apps().await {
        let mut awa = app.signed_in("pair@demo.epop.test").await;
        let list = awa.get("/espace/propositions").await;
        let link = first_proposal(&list.body);
        let open = awa.get(&link).await;
        // What happens next once accepted, before answering.
        assert!(
            open.body.contains("Si vous dites oui") && open.body.contains("la fiche de mission"),
            "{}",
            open.body
        );
        // No amount before a framework and a payment: the request's 200 € is
        // only what the organisation proposed.
        assert!(open.body.contains("À définir"), "{}", open.body);
        assert!(!open.body.contains("<dd>200 €"), "{}", open.body);
        // Département by its name, never its code.
        assert!(open.body.contains("(Haute-Garonne)") && !open.body.contains("(31)"));
        let (mut awa, link) = awa_accepts(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        coord
            .post(
                &format!("{REQUEST}/paiement"),
                &[("fee", "220"), ("payer", "host"), ("status", "due")],
            )
            .await;
        let page = awa.get(&link).await;
        assert!(
            page.body.contains("À définir") && !page.body.contains("220 €"),
            "a payment without a framework is not settled: {}",
            page.body
        );
        coord
            .post(
                &format!("{REQUEST}/cadre"),
                &[
                    ("framework", "host_contract"),
                    ("situation", "aah"),
                    ("confirm", "oui"),
                ],
            )
            .await;
        let page = awa.get(&link).await;
        assert!(
            page.body.contains("220 €") && !page.body.contains("À définir"),
            "{}",
            page.body
        );
        // The list says « Réalisée » once the intervention took place.
        let list = awa.get("/espace/propositions").await;
        assert!(!list.body.contains("Réalisée"), "{}", list.body);
        set_status(&app, "done").await;
        let list = awa.get("/espace/propositions").await;
        assert!(
            list.body.contains("<strong>Réalisée</strong>"),
            "{}",
            list.body
        );
    }
}

#[tokio::test]
async fn a_payment_paid_in_the_future_is_refused_beside_its_date() {
    for app in apps().await {
        let _ = awa_accepts(&app).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let next_year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
        let future = format!("02/01/{next_year}");
        let page = coord
            .post(
                &format!("{REQUEST}/paiement"),
                &[
                    ("fee", "240"),
                    ("payer", "carrier"),
                    ("due_on", ""),
                    ("status", "paid"),
                    ("paid_on", &future),
                ],
            )
            .await;
        page.assert_field_error("paid_on", "ne peut pas être dans le futur");
        // What was typed is kept.
        assert!(
            page.body.contains(&format!(
                "name=\"paid_on\" type=\"text\" value=\"{future}\""
            )) && page
                .body
                .contains("name=\"fee\" type=\"text\" value=\"240\"")
                && page.body.contains("value=\"carrier\" selected")
                && page.body.contains("id=\"status-paid\" checked"),
            "{}",
            page.body
        );
        // Nothing was recorded.
        let again = coord.get(REQUEST).await;
        assert!(!again.body.contains("value=\"240\""), "{}", again.body);
    }
}

/// Puts the demo request on a day (9:30–12:30, Paris) and marks it done,
/// straight in the store: the scheduling form refuses past days.
async fn done_on(app: &App, day: chrono::NaiveDate) {
    let at = |h, m| {
        epop_domain::event::paris_timestamp(day, chrono::NaiveTime::from_hms_opt(h, m, 0).unwrap())
            .unwrap()
    };
    let mut conn = app.db.conn().await.unwrap();
    let r = epop_store::requests::by_public_id(&mut conn, "demo-demande-esat")
        .await
        .unwrap()
        .unwrap();
    epop_store::requests::set_schedule(&mut conn, r.id, at(9, 30), at(12, 30), 0)
        .await
        .unwrap();
    drop(conn);
    set_status(app, "done").await;
}

/// The coordinator records a 240 € payment of the demo request.
async fn pay(coord: &mut Client, status: &str, paid_on: &str) {
    let res = coord
        .post(
            &format!("{REQUEST}/paiement"),
            &[
                ("fee", "240"),
                ("payer", "carrier"),
                ("due_on", ""),
                ("status", status),
                ("paid_on", paid_on),
            ],
        )
        .await;
    assert_eq!(
        res.status,
        axum::http::StatusCode::SEE_OTHER,
        "{}",
        res.body
    );
}

#[tokio::test]
async fn the_yearly_summary_counts_a_payment_in_the_year_it_was_paid() {
    for app in apps().await {
        let (mut awa, _) = awa_accepts(&app).await;
        let today = chrono::Utc::now().date_naive();
        let this = chrono::Datelike::year(&today);
        let last = this - 1;
        done_on(&app, chrono::NaiveDate::from_ymd_opt(last, 12, 15).unwrap()).await;
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        // Owed, not yet paid: shown as owed in the year of the intervention,
        // the page opening on that year (the last with activity).
        pay(&mut coord, "due", "").await;
        let page = awa.get("/espace/paiements").await;
        assert_eq!(
            page.h1(),
            format!("Mes interventions et paiements en {last}")
        );
        assert!(
            page.body.contains(&format!("15 décembre {last}")),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("<td></td><td>240 €</td><td>À payer</td>"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Reste à payer : 240 €")
                && page.body.contains(&format!("Payé en {last} : 0 €"))
        );
        // Paid in December of that year: counted in that year.
        pay(&mut coord, "paid", &format!("20/12/{last}")).await;
        let page = awa.get("/espace/paiements").await;
        assert!(
            page.body.contains("<td>240 €</td><td></td><td>Payé</td>"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(&format!("Payé en {last} : 240 €")),
            "{}",
            page.body
        );
        // Paid today instead: counted this year, beside the intervention's date.
        pay(&mut coord, "paid", &today.format("%d/%m/%Y").to_string()).await;
        let page = awa.get("/espace/paiements").await;
        assert_eq!(
            page.h1(),
            format!("Mes interventions et paiements en {this}")
        );
        assert!(
            page.body.contains(&format!("15 décembre {last}")),
            "{}",
            page.body
        );
        assert!(
            page.body.contains(&format!("Payé en {this} : 240 €")),
            "{}",
            page.body
        );
        let before = awa.get(&format!("/espace/paiements?annee={last}")).await;
        assert!(
            !before.body.contains("Former les moniteurs"),
            "{}",
            before.body
        );
        let pdf = awa
            .get_bytes(&format!("/espace/paiements/{this}.pdf"))
            .await;
        let text = crate::trainings::pdf_text(&pdf);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains(&format!("Payé en {this} : 240 €"))
                && text.contains(&format!("15 décembre {last}")),
            "{text}"
        );
    }
}
