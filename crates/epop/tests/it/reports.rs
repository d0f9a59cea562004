//! The indicators as files and as public statistics (issue 14), through the
//! real router on both engines, with the history `indicators.rs` seeds
//! (2023 and 2024, two régions) on top of the demo's: the CSV, XLSX (read
//! back by LibreOffice) and yearly PDF (`pdfinfo`, `pdftotext`) carry the
//! very figures of `/indicateurs` for the same filters, « moins de 5 »
//! wherever the page says it; a funder's export of a territory not given
//! to them is refused; `/statistiques` and its open-data CSV agree with
//! each other and with the national figures the administration sees.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use axum::http::{StatusCode, header};

use crate::harness::{App, apps};
use crate::trainings::{pdf_info, pdf_text};

const FUNDER: &str = "financeur@demo.epop.test";
const COORDINATION: &str = "coordination@demo.epop.test";
const ADMIN: &str = "admin@demo.epop.test";
const HIDDEN: &str = "moins de 5";
/// The year of most of the seeded history.
const SEEDED: i32 = 2024;

fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Paris)
        .year()
}

/// A figure as written anywhere (« 1 234 », « 1,234 », « 12,5 heures »),
/// reduced to compare: no spaces, no thousands separator.
fn same(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn unescape(s: &str) -> String {
    s.replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The figures of each section of a report page, in reading order (each
/// table's cells after the row's label), by section code.
fn page_figures(body: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for chunk in body.split("<section class=\"report-section\"").skip(1) {
        let chunk = chunk.split("</section>").next().unwrap();
        let code = chunk
            .split("id=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        let cells: Vec<String> = chunk
            .split("<td>")
            .skip(1)
            .map(|c| same(&unescape(c.split("</td>").next().unwrap())))
            .collect();
        // A section without rows has no line in the CSV either.
        if !cells.is_empty() {
            out.insert(code.to_owned(), cells);
        }
    }
    assert!(out.len() >= 5, "too few sections in:\n{body}");
    out
}

/// A `;` CSV with a BOM as rows of fields (none of ours needs quotes).
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(!text.contains('"'), "a quoted field: {text}");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').map(str::to_owned).collect())
        .collect()
}

/// The figures of a CSV export by section code (`value` and `unit`
/// columns joined), with the header it starts with.
fn csv_figures(bytes: &[u8], skip: usize) -> (Vec<String>, BTreeMap<String, Vec<String>>) {
    let rows = csv_rows(bytes);
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows[1..] {
        out.entry(r[skip].clone()).or_default().push(same(&format!(
            "{}{}",
            r[skip + 4],
            r[skip + 5]
        )));
    }
    (rows[0].clone(), out)
}

fn hidden_count(figures: &BTreeMap<String, Vec<String>>) -> usize {
    figures
        .values()
        .flatten()
        .filter(|v| *v == &same(HIDDEN))
        .count()
}

/// Every sheet of a workbook as LibreOffice shows it: (sheet, lines).
fn libreoffice_sheets(xlsx: &[u8]) -> BTreeMap<String, Vec<Vec<String>>> {
    let dir = crate::harness::temp_dir("rapport-xlsx");
    let file = dir.join("rapport.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profil",
            dir.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .stdin(Stdio::null())
        .output()
        .expect("LibreOffice is needed: apt-get install libreoffice-calc-nogui");
    let mut sheets = BTreeMap::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_owned();
        if let Some(sheet) = name
            .strip_prefix("rapport-")
            .and_then(|n| n.strip_suffix(".csv"))
        {
            let text = std::fs::read_to_string(&p).unwrap();
            let lines = text
                .lines()
                .map(|l| {
                    l.split(';')
                        .map(|c| c.trim_matches('"').to_owned())
                        .collect()
                })
                .collect();
            sheets.insert(sheet.to_owned(), lines);
        }
    }
    assert!(
        !sheets.is_empty(),
        "LibreOffice read nothing: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
    sheets
}

/// A figure as LibreOffice shows it in English: « 1,234 », « 12.5 heures ».
fn from_libreoffice(s: &str) -> String {
    same(&s.replace(',', "").replace('.', ","))
}

async fn download(app: &App, who: &str, path: &str) -> (StatusCode, String, Vec<u8>) {
    let mut c = app.signed_in(who).await;
    let page = c.get(path).await;
    let kind = page
        .headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    if page.status != StatusCode::OK {
        return (page.status, kind, Vec::new());
    }
    (page.status, kind, c.get_bytes(path).await)
}

#[tokio::test]
async fn a_funder_s_files_carry_the_page_s_figures_with_the_same_hidden_ones() {
    let year = SEEDED;
    let query = format!("annee={year}&region=76");
    for app in apps().await {
        crate::indicators::seed(&app).await;
        let mut funder = app.signed_in(FUNDER).await;
        let page = funder.get(&format!("/indicateurs?{query}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let on_page = page_figures(&page.body);
        // The page links to every file, with its filters.
        let links: Vec<&str> = page
            .body
            .split("href=\"")
            .skip(1)
            .map(|l| l.split('"').next().unwrap())
            .collect();
        for link in [
            "indicateurs.csv",
            "indicateurs.xlsx",
            "indicateurs/rapport.pdf",
            "indicateurs/rapport.xlsx",
        ] {
            assert!(
                page.body
                    .contains(&format!("href=\"/{link}?{}\"", query.replace('&', "&#38;"))),
                "no link to {link} in {links:?}"
            );
        }
        if let Ok(dir) = std::env::var("EPOP_KEEP_REPORT") {
            std::fs::write(format!("{dir}/indicateurs.html"), &page.body).unwrap();
        }
        // Each drawn section has its chart, an image named by its title
        // and described by its summary, beside its table.
        for code in ["demandes", "mois", "interventions-type", "pairs"] {
            assert!(
                page.body.contains(&format!(
                    "role=\"img\" aria-labelledby=\"chart-{code}-titre chart-{code}-desc\""
                )),
                "no chart for {code}"
            );
        }
        assert!(
            on_page.keys().any(|k| k.starts_with("satisfaction-")),
            "a scale question's distribution: {:?}",
            on_page.keys()
        );
        assert!(
            page.body.contains("class=\"chart-part\""),
            "its parts drawn"
        );
        assert!(!page.body.contains(" style=\""), "no style attribute (CSP)");
        let hidden = hidden_count(&on_page);
        assert!(
            hidden > 0,
            "the demo's Occitanie has figures under 5 people"
        );

        // CSV: the same figures section by section, in the same order.
        let (status, kind, csv) =
            download(&app, FUNDER, &format!("/indicateurs.csv?{query}")).await;
        assert_eq!(
            (status, kind.as_str()),
            (StatusCode::OK, "text/csv; charset=utf-8")
        );
        let (header, in_csv) = csv_figures(&csv, 0);
        assert_eq!(
            header,
            [
                "code_section",
                "section",
                "ligne",
                "colonne",
                "valeur",
                "unite"
            ]
        );
        assert_eq!(in_csv, on_page);
        assert_eq!(hidden_count(&in_csv), hidden);

        // XLSX, read back by LibreOffice: each section's sheet has the
        // page's figures under its header row (line 4).
        let (status, _, xlsx) =
            download(&app, FUNDER, &format!("/indicateurs/rapport.xlsx?{query}")).await;
        assert_eq!(status, StatusCode::OK);
        let sheets = libreoffice_sheets(&xlsx);
        let summary = sheets.get("Sommaire").expect("a summary sheet");
        let summary_text: String = summary
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(summary_text.contains(&format!("Rapport annuel {year} du réseau EPoP")));
        assert!(summary_text.contains("moins de 5"));
        let mut from_sheets: Vec<String> = Vec::new();
        for (name, lines) in &sheets {
            if name != "Sommaire" {
                for line in lines
                    .iter()
                    .skip(4)
                    .take_while(|l| l.iter().any(|c| !c.is_empty()))
                {
                    from_sheets.extend(
                        line[1..]
                            .iter()
                            .filter(|c| !c.is_empty())
                            .map(|c| from_libreoffice(c)),
                    );
                }
            }
        }
        let mut expected: Vec<String> = on_page.values().flatten().cloned().collect();
        // Sheets come back in name order: compare as multisets.
        from_sheets.sort();
        expected.sort();
        assert_eq!(from_sheets, expected);

        // The yearly PDF: tagged, every figure and summary in its text.
        let (status, kind, pdf) =
            download(&app, FUNDER, &format!("/indicateurs/rapport.pdf?{query}")).await;
        assert_eq!((status, kind.as_str()), (StatusCode::OK, "application/pdf"));
        // To look at it: EPOP_KEEP_REPORT=/tmp cargo test … a_funder_s_files
        if let Ok(dir) = std::env::var("EPOP_KEEP_REPORT") {
            std::fs::write(format!("{dir}/rapport-annuel.pdf"), &pdf).unwrap();
        }
        let info = pdf_info(&pdf);
        assert!(
            info.lines()
                .any(|l| l.starts_with("Tagged:") && l.ends_with("yes")),
            "{info}"
        );
        let text = pdf_text(&pdf);
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(words.contains(&format!("Rapport annuel {year} du réseau EPoP")));
        assert!(words.matches(HIDDEN).count() >= hidden, "{words}");
        let compact = same(&text);
        for figure in on_page.values().flatten() {
            assert!(
                compact.contains(figure.as_str()),
                "« {figure} » not in the PDF"
            );
        }
        for chunk in page.body.split("<section class=\"report-section\"").skip(1) {
            let summary = chunk
                .split("<p>")
                .nth(1)
                .unwrap()
                .split("</p>")
                .next()
                .unwrap();
            assert!(
                compact.contains(&same(&unescape(summary))),
                "summary « {summary} » not in the PDF"
            );
        }
    }
}

#[tokio::test]
async fn the_coordination_s_files_are_exact_and_others_territories_are_refused() {
    let year = SEEDED;
    for app in apps().await {
        crate::indicators::seed(&app).await;
        // The coordination of Occitanie sees its figures exactly, in files too.
        let query = format!("annee={year}&region=76");
        let mut coord = app.signed_in(COORDINATION).await;
        let page = coord.get(&format!("/indicateurs?{query}")).await;
        let on_page = page_figures(&page.body);
        assert_eq!(hidden_count(&on_page), 0);
        let (_, _, csv) = download(&app, COORDINATION, &format!("/indicateurs.csv?{query}")).await;
        assert_eq!(csv_figures(&csv, 0).1, on_page);

        // Hauts-de-France is not the funder's: no file, whatever the format.
        for path in [
            "/indicateurs.csv",
            "/indicateurs.xlsx",
            "/indicateurs/rapport.pdf",
            "/indicateurs/rapport.xlsx",
        ] {
            for territory in ["region=32", "departement=59", "territoire=national"] {
                let (status, _, bytes) =
                    download(&app, FUNDER, &format!("{path}?annee={year}&{territory}")).await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{path} {territory}");
                assert!(bytes.is_empty());
            }
            // Nobody signed in: to the sign-in page.
            let anonymous = app.client().get(&format!("{path}?annee={year}")).await;
            assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
            assert!(anonymous.location().starts_with("/connexion"));
        }
        // A peer worker sees no indicators at all.
        let (status, _, _) = download(
            &app,
            "pair@demo.epop.test",
            &format!("/indicateurs.csv?{query}"),
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        // The yearly report needs its year; a wrong filter goes back to the page.
        let (status, _, _) = download(&app, FUNDER, "/indicateurs/rapport.pdf?region=76").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let mut funder = app.signed_in(FUNDER).await;
        let back = funder.get("/indicateurs.csv?annee=deux-mille").await;
        assert_eq!(back.status, StatusCode::SEE_OTHER);
        assert_eq!(back.location(), "/indicateurs?annee=deux-mille");
        let form = funder.get(back.location()).await;
        assert_eq!(form.status, StatusCode::BAD_REQUEST);
        assert!(form.body.contains("Année"));
    }
}

#[tokio::test]
async fn public_statistics_and_their_open_data_match_the_national_figures() {
    let year = this_year();
    for app in apps().await {
        let mut visitor = app.client();
        let page = visitor.get("/statistiques").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("Licence Ouverte 2.0"));
        for column in epop_docs::figures_export::open_data_headers() {
            assert!(
                page.body
                    .contains(&format!("<dt><code>{column}</code></dt>")),
                "{column} not described"
            );
        }
        let on_page = page_figures(&page.body);

        // The open data: the page's figures, each line with its year and territory.
        let csv = visitor
            .get_bytes(&format!("/statistiques.csv?annee={year}"))
            .await;
        let (header, in_csv) = csv_figures(&csv, 2);
        assert_eq!(header, epop_docs::figures_export::open_data_headers());
        assert_eq!(in_csv, on_page);
        for row in &csv_rows(&csv)[1..] {
            assert_eq!(row[..2], [year.to_string(), "France entière".to_owned()]);
        }

        // The same counts of things as the administration's national page;
        // people's counts masked below 5 even though the admin sees them.
        let mut admin = app.signed_in(ADMIN).await;
        let national = page_figures(
            &admin
                .get(&format!("/indicateurs?annee={year}&territoire=national"))
                .await
                .body,
        );
        assert_eq!(on_page["demandes"], national["demandes"]);
        assert_eq!(on_page["mois"], national["mois"]);
        for (code, cells) in &national {
            for (seen, exact) in on_page[code].iter().zip(cells) {
                if seen != exact {
                    assert_eq!(seen, &same(HIDDEN), "{code}: {seen} for {exact}");
                    let n: u64 = exact.parse().unwrap_or(0);
                    assert!((1..5).contains(&n), "{code}: {exact} hidden");
                }
            }
        }
        // Whoever looks, the public page is masked: an admin sees the same.
        let as_admin = page_figures(&admin.get("/statistiques").await.body);
        assert_eq!(as_admin, on_page);

        // A région, and last year.
        let region = visitor
            .get(&format!("/statistiques?annee={}&region=76", year - 1))
            .await;
        assert_eq!(region.status, StatusCode::OK);
        assert!(
            region.body.contains(&format!("Occitanie, en {}", year - 1)),
            "{}",
            region.body
        );
        let region_csv = visitor
            .get_bytes(&format!("/statistiques.csv?annee={}&region=76", year - 1))
            .await;
        assert_eq!(csv_figures(&region_csv, 2).1, page_figures(&region.body));
        assert_eq!(csv_rows(&region_csv)[1][1], "Occitanie");

        // Only this year and the last; only régions.
        let old = visitor.get("/statistiques?annee=1999").await;
        assert_eq!(old.status, StatusCode::BAD_REQUEST);
        old.assert_field_error("annee", "Année : les statistiques publiques couvrent");
        let bad = visitor.get("/statistiques?region=99").await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
        bad.assert_field_error("region", "Région : choisissez une région");
        assert_eq!(
            visitor.get("/statistiques.csv?annee=1999").await.status,
            StatusCode::NOT_FOUND
        );

        // The easy-to-read year says the page's own figures.
        let easy = visitor.get("/statistiques?version=facile").await;
        assert_eq!(easy.status, StatusCode::OK);
        let received = &on_page["demandes"][0];
        let done = &on_page["demandes"][4];
        let easy_text = same(&easy.body);
        assert!(
            easy_text.contains(&same(&format!(
                "Des structures ont demandé {received} interventions."
            ))),
            "{}",
            easy.body
        );
        assert!(easy_text.contains(&same(&format!(
            "Les intervenants-pairs ont fait {done} interventions."
        ))));
        assert!(easy.body.contains("« Moins de 5 » veut dire"));

        // Linked from every page's footer.
        assert!(
            visitor
                .get("/")
                .await
                .body
                .contains("href=\"/statistiques\"")
        );
    }
}
