//! The directory as the coordination manages it, through the real router on
//! both engines: the territory's table and its CSV and XLSX exports (the XLSX
//! opened by LibreOffice), who may reach them, the training status, and the
//! curated themes. Sensitive fields never leave in an export.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use epop_store::{audit, directory_admin};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::harness::{App, Client, apps, temp_dir};

/// Every sensitive text of the demo profiles.
const SENSITIVE: [&str; 4] = [
    "Des pauses courtes toutes les heures.",
    "Trouble bipolaire stabilisé depuis 2015.",
    "Interprète LSF pour toute réunion.",
    "Consignes écrites en facile à lire.",
];

const HEADER_LINE: &str = "Nom affiché;Type;E-mail;Visibilité;Département;Départements couverts;\
Interventions;Thèmes;Formats;Langues;Formé le;Formation;Organisation;Métier;Mis à jour le";

const OCCITANIE: &str = "coordination@demo.epop.test";
const HDF: &str = "coordination-hdf@demo.epop.test";
const ADMIN: &str = "admin@demo.epop.test";

async fn audit_count(app: &App, action: &str) -> i64 {
    let mut conn = app.db.conn().await.unwrap();
    let f = audit::Filter {
        action: action.into(),
        ..Default::default()
    };
    audit::search(&mut conn, &f, 1, 0).await.unwrap().1
}

/// A download as bytes (the harness reads bodies as text), with its headers.
async fn download(app: &App, c: &Client, path: &str) -> (StatusCode, header::HeaderMap, Vec<u8>) {
    let cookies = c
        .jar
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let req = Request::get(path)
        .header(header::COOKIE, cookies)
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

fn soffice() -> PathBuf {
    for dir in std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default()
    {
        for name in ["soffice", "libreoffice"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "LibreOffice (`soffice`) is needed to check the XLSX export but is not installed: \
         run `apt-get install libreoffice-calc-nogui` (CI installs it in .ci/run)"
    );
}

/// Opens an XLSX with LibreOffice and returns its first sheet as CSV text
/// (`;`-separated, UTF-8).
pub fn xlsx_to_csv(xlsx: &[u8]) -> String {
    let soffice = soffice();
    let dir = temp_dir("xlsx");
    let file = dir.join("annuaire-epop.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let profile = dir.join("profil-libreoffice");
    let mut child = Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&file)
        .env("HOME", &dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", soffice.display()));
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("LibreOffice did not convert the XLSX within 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    let csv = dir.join("annuaire-epop.csv");
    let text = std::fs::read_to_string(&csv).unwrap_or_else(|e| {
        panic!(
            "LibreOffice did not convert the XLSX ({e}): {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let _ = std::fs::remove_dir_all(&dir);
    text
}

fn assert_no_sensitive(what: &str, text: &str) {
    for s in SENSITIVE {
        assert!(!text.contains(s), "{what} holds a sensitive field: {s}");
    }
}

/// The CSV export of a client: checks its headers, BOM and header line, and
/// returns its body without the BOM.
async fn csv_export(app: &App, c: &Client) -> String {
    let (status, headers, bytes) = download(app, c, "/admin/annuaire/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"annuaire-epop.csv\""
    );
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte order mark"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    assert_eq!(text.lines().next(), Some(HEADER_LINE), "header line with ;");
    assert_no_sensitive("the CSV export", &text);
    text
}

/// A `;`-separated CSV as rows of cells (quoted cells, doubled quotes and
/// line breaks inside quotes understood, whichever way LibreOffice quotes).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// The XLSX export of a client, as LibreOffice reads it: rows of cells.
async fn xlsx_export(app: &App, c: &Client) -> Vec<Vec<String>> {
    let (status, headers, bytes) = download(app, c, "/admin/annuaire/export.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"annuaire-epop.xlsx\""
    );
    assert!(bytes.starts_with(b"PK"), "an XLSX is a zip file");
    let text = xlsx_to_csv(&bytes);
    assert_no_sensitive("the XLSX export", &text);
    let rows = parse_csv(&text);
    assert_eq!(
        rows.first().map(|r| r.join(";")).as_deref(),
        Some(HEADER_LINE),
        "LibreOffice reads the header row"
    );
    rows
}

/// The row of a profile in a parsed sheet.
fn row_of<'a>(rows: &'a [Vec<String>], name: &str) -> Option<&'a [String]> {
    rows.iter().find(|r| r[0] == name).map(Vec::as_slice)
}

fn line_of<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{text}"))
}

#[tokio::test]
async fn coordinators_see_and_export_the_profiles_of_their_territory() {
    for app in apps().await {
        let mut occ = app.signed_in(OCCITANIE).await;
        let page = occ.get("/admin/annuaire").await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.h1(), "Annuaire de mon territoire");
        assert!(page.body.contains("Awa Diallo") && page.body.contains("Thomas Roux"));
        assert!(!page.body.contains("Lucas Lefebvre"), "Somme is not theirs");
        assert!(page.body.contains("href=\"/annuaire/awa-diallo\""));
        assert!(
            page.body
                .contains("href=\"/admin/annuaire/awa-diallo/formation\"")
        );
        assert!(
            page.body.contains("Le 20 juin 2025"),
            "training status shown"
        );
        assert!(
            page.body
                .contains("class=\"table-scroll\" tabindex=\"0\" role=\"region\"")
        );
        assert_no_sensitive("the table", &page.body);

        let csv = csv_export(&app, &occ).await;
        assert!(csv.contains("Thomas Roux;") && !csv.contains("Lucas Lefebvre"));
        let awa = line_of(&csv, "Awa Diallo;");
        for cell in [
            ";pair@demo.epop.test;Publique;31 – Haute-Garonne;31, 32, 81;",
            ";20/06/2025;Formation EPoP des intervenants-pairs;",
            "Santé mentale",
        ] {
            assert!(awa.contains(cell), "« {cell} » missing in {awa}");
        }
        let xlsx = xlsx_export(&app, &occ).await;
        let awa = row_of(&xlsx, "Awa Diallo").expect("Awa's row in the XLSX");
        assert_eq!(
            awa[..6],
            [
                "Awa Diallo",
                "Intervenant-pair ou intervenante-paire",
                "pair@demo.epop.test",
                "Publique",
                "31 – Haute-Garonne",
                "31, 32, 81"
            ]
        );
        assert_eq!(
            awa[10..12],
            ["20/06/2025", "Formation EPoP des intervenants-pairs"]
        );
        assert!(awa[7].contains("Santé mentale"), "{awa:?}");
        assert!(row_of(&xlsx, "Thomas Roux").is_some());
        assert!(row_of(&xlsx, "Lucas Lefebvre").is_none());
        assert_eq!(audit_count(&app, "directory_exported").await, 2);

        let mut hdf = app.signed_in(HDF).await;
        let page = hdf.get("/admin/annuaire").await;
        assert!(
            page.body.contains("Lucas Lefebvre"),
            "hidden profiles listed"
        );
        assert!(
            page.body.contains("<strong class=\"tag\">Masquée</strong>"),
            "and marked"
        );
        assert!(!page.body.contains("Awa Diallo") && !page.body.contains("Thomas Roux"));
        let csv = csv_export(&app, &hdf).await;
        assert!(line_of(&csv, "Lucas Lefebvre;").contains(";Masquée;80 – Somme;"));
        assert!(!csv.contains("Awa Diallo"));
        let xlsx = xlsx_export(&app, &hdf).await;
        assert_eq!(row_of(&xlsx, "Lucas Lefebvre").unwrap()[3], "Masquée");
        assert!(row_of(&xlsx, "Awa Diallo").is_none());

        let mut admin = app.signed_in(ADMIN).await;
        let page = admin.get("/admin/annuaire").await;
        assert_eq!(page.h1(), "Annuaire : toutes les fiches");
        let csv = csv_export(&app, &admin).await;
        for name in ["Awa Diallo;", "Thomas Roux;", "Lucas Lefebvre;"] {
            assert!(page.body.contains(name.trim_end_matches(';')) && csv.contains(name));
        }
    }
}

#[tokio::test]
async fn the_store_lists_a_territory_with_hidden_profiles_and_no_sensitive_field() {
    for app in apps().await {
        let mut conn = app.db.conn().await.unwrap();
        let names = |rows: &[directory_admin::ExportRow]| {
            rows.iter()
                .map(|r| r.display_name.clone())
                .collect::<Vec<_>>()
        };
        let all = directory_admin::territory_profiles(&mut conn, None)
            .await
            .unwrap();
        let some = names(&all);
        for n in [
            "Awa Diallo",
            "Thomas Roux",
            "Lucas Lefebvre",
            "Nadia Haddad",
        ] {
            assert!(some.iter().any(|x| x == n), "{n} in the national list");
        }
        let somme = directory_admin::territory_profiles(&mut conn, Some(&["80".to_string()]))
            .await
            .unwrap();
        assert!(names(&somme).contains(&"Lucas Lefebvre".to_string()));
        assert!(somme.iter().all(|r| r.departments.contains(&"80".into())));
        let gers = directory_admin::territory_profiles(&mut conn, Some(&["32".to_string()]))
            .await
            .unwrap();
        let awa = gers
            .iter()
            .find(|r| r.slug == "awa-diallo")
            .expect("a peer covering the Gers is in the Gers");
        assert_eq!(awa.email, "pair@demo.epop.test");
        assert_eq!(awa.departments, ["31", "32", "81"]);
        assert_eq!(awa.trained_on.as_deref(), Some("2025-06-20"));
        assert!(
            directory_admin::territory_profiles(&mut conn, Some(&[]))
                .await
                .unwrap()
                .is_empty()
        );
        let (page, total) = directory_admin::territory_page(&mut conn, None, Some((0, 3)))
            .await
            .unwrap();
        assert_eq!(page.len(), 3);
        assert_eq!(total, all.len() as i64);
        assert_eq!(names(&page), names(&all[..3]), "same order, paged");
        assert_eq!(
            directory_admin::profile_for_training(&mut conn, "awa-diallo")
                .await
                .unwrap()
                .unwrap()
                .departments,
            ["31", "32", "81"]
        );
        assert!(
            directory_admin::profile_for_training(&mut conn, "personne")
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn only_coordinators_and_admins_reach_the_directory_administration() {
    for app in apps().await {
        let paths = [
            "/admin/annuaire",
            "/admin/annuaire/export.csv",
            "/admin/annuaire/export.xlsx",
            "/admin/annuaire/awa-diallo/formation",
            "/admin/themes",
        ];
        let mut anonymous = app.client();
        for path in paths {
            let page = anonymous.get(path).await;
            assert_eq!(page.status, StatusCode::SEE_OTHER, "GET {path} anonymous");
            assert!(page.location().starts_with("/connexion"), "{path}");
        }
        let post = anonymous
            .post(
                "/admin/annuaire/awa-diallo/formation",
                &[("trained_on", "2026-01-15")],
            )
            .await;
        assert_eq!(post.status, StatusCode::SEE_OTHER);
        assert!(post.location().starts_with("/connexion"));
        for who in [
            "pair@demo.epop.test",
            "referente@demo.epop.test",
            "demandeur@demo.epop.test",
            "financeur@demo.epop.test",
        ] {
            let mut c = app.signed_in(who).await;
            for path in paths {
                let page = c.get(path).await;
                assert_eq!(page.status, StatusCode::FORBIDDEN, "GET {path} as {who}");
                assert_no_sensitive(path, &page.body);
                assert!(!page.body.contains("Awa Diallo"), "{path} as {who}");
            }
            let post = c
                .post(
                    "/admin/annuaire/awa-diallo/formation",
                    &[("trained_on", "2026-01-15")],
                )
                .await;
            assert_eq!(post.status, StatusCode::FORBIDDEN, "training as {who}");
            let post = c
                .post("/admin/themes", &[("label", "Thème interdit")])
                .await;
            assert_eq!(post.status, StatusCode::FORBIDDEN, "theme as {who}");
        }
        for who in [OCCITANIE, HDF, ADMIN] {
            let mut c = app.signed_in(who).await;
            for path in ["/admin/annuaire", "/admin/themes"] {
                assert_eq!(c.get(path).await.status, StatusCode::OK, "{path} as {who}");
            }
            let dashboard = c.get("/admin").await;
            assert!(dashboard.body.contains("href=\"/admin/annuaire\""));
            assert_eq!(
                c.get("/admin/annuaire/personne/formation").await.status,
                StatusCode::NOT_FOUND
            );
        }
        assert_eq!(audit_count(&app, "directory_exported").await, 0);
        assert_eq!(audit_count(&app, "theme_added").await, 0);
    }
}

#[tokio::test]
async fn the_coordination_of_the_profile_sets_its_training() {
    for app in apps().await {
        let mut hdf = app.signed_in(HDF).await;
        assert_eq!(
            hdf.get("/admin/annuaire/awa-diallo/formation").await.status,
            StatusCode::FORBIDDEN
        );
        let refused = hdf
            .post(
                "/admin/annuaire/awa-diallo/formation",
                &[("trained_on", "2026-01-15"), ("programme", "Autre")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(
            app.client()
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("Formation terminée le 20 juin 2025"),
            "unchanged"
        );

        let mut occ = app.signed_in(OCCITANIE).await;
        let form = occ.get("/admin/annuaire/awa-diallo/formation").await;
        assert_eq!(form.status, StatusCode::OK);
        assert_eq!(form.h1(), "Formation d’Awa Diallo");
        assert!(form.body.contains("type=\"date\" value=\"2025-06-20\""));
        assert!(form.body.contains("<label for=\"trained_on\">"));
        let bad = occ
            .post(
                "/admin/annuaire/awa-diallo/formation",
                &[
                    ("trained_on", "2026-02-30"),
                    ("programme", "Formation EPoP"),
                ],
            )
            .await;
        bad.assert_field_error("trained_on", "n’est pas une date valide");
        assert!(
            bad.body
                .contains("aria-describedby=\"trained_on-aide trained_on-erreur\""),
            "the message is tied to the field"
        );
        assert!(
            bad.body.contains("value=\"Formation EPoP\""),
            "nothing lost"
        );
        occ.post(
            "/admin/annuaire/awa-diallo/formation",
            &[("trained_on", "2999-01-01")],
        )
        .await
        .assert_field_error("trained_on", "dans le futur");
        occ.post(
            "/admin/annuaire/awa-diallo/formation",
            &[("trained_on", ""), ("programme", "Formation EPoP")],
        )
        .await
        .assert_field_error("trained_on", "Indiquez la date");
        assert_eq!(audit_count(&app, "training_set").await, 0);

        let saved = occ
            .post(
                "/admin/annuaire/awa-diallo/formation",
                &[
                    ("trained_on", "2026-01-15"),
                    ("programme", "Formation EPoP Occitanie"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), "/admin/annuaire?formation=awa-diallo");
        let list = occ.get(saved.location()).await;
        assert!(
            list.body
                .contains("La formation d’Awa Diallo est enregistrée.")
        );
        assert!(
            list.body
                .contains("Le 15 janvier 2026 (Formation EPoP Occitanie)")
        );
        let public = app.client().get("/annuaire/awa-diallo").await;
        assert!(
            public
                .body
                .contains("Formation terminée le 15 janvier 2026 (Formation EPoP Occitanie)"),
            "shown on the public page"
        );
        assert_eq!(audit_count(&app, "training_set").await, 1);

        // A date typed the French way is understood too.
        let french = occ
            .post(
                "/admin/annuaire/awa-diallo/formation",
                &[("trained_on", "03/02/2026")],
            )
            .await;
        assert_eq!(french.status, StatusCode::SEE_OTHER);
        assert!(
            app.client()
                .get("/annuaire/awa-diallo")
                .await
                .body
                .contains("Formation terminée le 3 février 2026")
        );

        let mut admin = app.signed_in(ADMIN).await;
        let lucas = admin
            .post(
                "/admin/annuaire/lucas-lefebvre/formation",
                &[("trained_on", "2022-03-04")],
            )
            .await;
        assert_eq!(lucas.status, StatusCode::SEE_OTHER, "admins everywhere");
        assert_eq!(audit_count(&app, "training_set").await, 3);
    }
}

#[tokio::test]
async fn coordinators_curate_the_themes_of_the_directory() {
    for app in apps().await {
        let mut occ = app.signed_in(OCCITANIE).await;
        let page = occ.get("/admin/themes").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Santé mentale"));
        assert!(
            !app.client()
                .get("/annuaire")
                .await
                .body
                .contains("Emploi accompagné")
        );

        let added = occ
            .post("/admin/themes", &[("label", "  Emploi   accompagné ")])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        assert_eq!(added.location(), "/admin/themes?ajoute=emploi-accompagne");
        let page = occ.get(added.location()).await;
        assert!(
            page.body
                .contains("Le thème « Emploi accompagné » est ajouté.")
        );
        let search = app.client().get("/annuaire").await;
        assert!(
            search
                .body
                .contains("<option value=\"emploi-accompagne\">Emploi accompagné</option>"),
            "offered in the theme filter"
        );
        assert_eq!(audit_count(&app, "theme_added").await, 1);

        occ.post("/admin/themes", &[("label", "")])
            .await
            .assert_field_error("label", "Écrivez le nom du thème");
        occ.post("/admin/themes", &[("label", "ab")])
            .await
            .assert_field_error("label", "au moins 3 caractères");
        occ.post("/admin/themes", &[("label", &"x".repeat(61))])
            .await
            .assert_field_error("label", "au plus 60 caractères");
        let mut hdf = app.signed_in(HDF).await;
        let duplicate = hdf
            .post("/admin/themes", &[("label", "EMPLOI accompagne")])
            .await;
        duplicate.assert_field_error("label", "Le thème « Emploi accompagné » existe déjà");
        assert!(
            duplicate.body.contains("value=\"EMPLOI accompagne\""),
            "kept"
        );
        hdf.post("/admin/themes", &[("label", "Santé mentale")])
            .await
            .assert_field_error("label", "existe déjà");
        assert_eq!(audit_count(&app, "theme_added").await, 1);
        let mut admin = app.signed_in(ADMIN).await;
        let other = admin
            .post("/admin/themes", &[("label", "Pair-aidance numérique")])
            .await;
        assert_eq!(other.status, StatusCode::SEE_OTHER);
    }
}
