//! What the peer is owed for an intervention: the fee, expenses with their
//! receipts and the yearly summary.

use axum::http::StatusCode;

use crate::harness::{apps, awa_accepts};

#[tokio::test]
async fn what_the_peer_is_owed_expenses_with_receipts_and_the_yearly_summary() {
    for app in apps().await {
        let (mut awa, link) = awa_accepts(&app).await;
        let path = "/admin/demandes/demo-demande-esat";
        let mut coord = app.signed_in("coordination@demo.epop.test").await;
        let year = chrono::Datelike::year(&chrono::Utc::now().date_naive()) + 1;
        coord
            .post(
                &format!("{path}/programmer"),
                &[
                    ("date", &format!("15/03/{year}")),
                    ("start_time", "9:30"),
                    ("end_time", "12:30"),
                ],
            )
            .await;
        // The proposed fee is there; a bad date is refused; a past due date is late.
        let page = coord.get(path).await;
        assert!(
            page.body.contains("Rémunération : <strong>200 €</strong>"),
            "{}",
            page.body
        );
        let bad = coord
            .post(
                &format!("{path}/paiement"),
                &[
                    ("fee", "200"),
                    ("payer", "host"),
                    ("due_on", "31/02/2027"),
                    ("status", "due"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        coord
            .post(
                &format!("{path}/paiement"),
                &[
                    ("fee", "220"),
                    ("payer", "carrier"),
                    ("due_on", "01/01/2020"),
                    ("status", "due"),
                ],
            )
            .await;
        // The peer's pay is settled once a framework is chosen too.
        coord
            .post(
                &format!("{path}/cadre"),
                &[
                    ("framework", "host_contract"),
                    ("situation", "aah"),
                    ("confirm", "oui"),
                ],
            )
            .await;
        let form = coord.get(path).await;
        assert!(
            form.body
                .contains("id=\"fee\" name=\"fee\" type=\"text\" value=\"220\""),
            "the form shows what was recorded"
        );
        assert!(form.body.contains("value=\"01/01/2020\""));
        let offer = awa.get(&link).await;
        assert!(
            offer
                .body
                .contains("Le paiement est en retard. Prévenez la coordination."),
            "{}",
            offer.body
        );
        assert!(offer.body.contains("220 €") && offer.body.contains("L’association porteuse"));
        // Expenses with a receipt (a real PNG); a text file is refused.
        let token = awa.csrf().await;
        let png =
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Train Toulouse – Balma"), ("amount", "12,50")],
                Some(("receipt", "billet.png", png)),
            )
            .await;
        assert!(
            res.location().ends_with("message=frais"),
            "{}",
            res.location()
        );
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Repas"), ("amount", "9")],
                Some(("receipt", "x.txt", b"hello")),
            )
            .await;
        assert!(res.location().ends_with("message=justificatif-format"));
        let offer = awa.get(&link).await;
        assert!(offer.body.contains("Train Toulouse – Balma : 12,50 €"));
        assert!(!offer.body.contains("Repas"), "nothing partial");
        let receipt = offer
            .body
            .split(&format!("href=\"{link}/frais/"))
            .nth(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .unwrap();
        assert_eq!(
            awa.get_bytes(&format!("{link}/frais/{receipt}")).await,
            png.to_vec()
        );
        assert_eq!(
            coord.get_bytes(&format!("{path}/frais/{receipt}")).await,
            png.to_vec()
        );
        let mut thomas = app.signed_in("pair-ariege@demo.epop.test").await;
        assert_eq!(
            thomas.get(&format!("{link}/frais/{receipt}")).await.status,
            StatusCode::NOT_FOUND
        );
        let mut hdf = app.signed_in("coordination-hdf@demo.epop.test").await;
        assert_eq!(
            hdf.get(&format!("{path}/frais/{receipt}")).await.status,
            StatusCode::FORBIDDEN
        );
        // The yearly summary: page, CSV, PDF.
        let summary = awa.get(&format!("/espace/paiements?annee={year}")).await;
        assert!(summary.body.contains("Former les moniteurs d’atelier"));
        assert!(summary.body.contains("En retard") && summary.body.contains("12,50 €"));
        let csv = awa.get(&format!("/espace/paiements/{year}.csv")).await;
        assert!(csv.body.starts_with('\u{feff}'));
        assert!(
            csv.body.contains("220 €;En retard;;12,50 €"),
            "{}",
            csv.body
        );
        let pdf = awa
            .get_bytes(&format!("/espace/paiements/{year}.pdf"))
            .await;
        let text = crate::trainings::pdf_text(&pdf);
        assert!(
            text.contains(&format!("Mes interventions en {year}")) && text.contains("220 €"),
            "{text}"
        );
        let other = thomas.get(&format!("/espace/paiements?annee={year}")).await;
        assert!(!other.body.contains("Former les moniteurs"));
        // The peer may decline to be paid; the coordinator's form then keeps it.
        awa.post(&format!("{link}/refuser-paiement"), &[]).await;
        assert!(
            awa.get(&link)
                .await
                .body
                .contains("Vous avez dit que vous ne voulez pas d’argent.")
        );
        assert!(
            coord
                .get(path)
                .await
                .body
                .contains("Paiement refusé par l’intervenant-pair")
        );
        // The page promises receipts up to 5 MB: a 4 MB scan is taken, a
        // 6 MB one gets the French message, not an error page.
        let mut scan = png.to_vec();
        scan.resize(4 * 1024 * 1024, 0);
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Hôtel"), ("amount", "80")],
                Some(("receipt", "hotel.png", &scan)),
            )
            .await;
        assert!(
            res.location().ends_with("message=frais"),
            "{}",
            res.location()
        );
        scan.resize(6 * 1024 * 1024, 0);
        let res = awa
            .post_multipart(
                &format!("{link}/frais"),
                &token,
                &[("label", "Taxi"), ("amount", "30")],
                Some(("receipt", "taxi.png", &scan)),
            )
            .await;
        assert!(
            res.location().ends_with("message=justificatif-trop-lourd"),
            "{}",
            res.location()
        );
        let offer = awa.get(&link).await;
        assert!(offer.body.contains("Hôtel : 80") && !offer.body.contains("Taxi"));
    }
}
