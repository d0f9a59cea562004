//! Tagged, accessible PDF (PDF/UA-1) for the papers of the platform:
//! certificates, attendance sheets, and later conventions, mission sheets,
//! attestations and yearly payment summaries.
//!
//! A [`Document`] is a list of [`Block`]s laid out by the small engine below:
//! A4 portrait, 2 cm margins, body text 11 pt with a line height of 1.5 (easier
//! for low-vision and DYS readers), bold and larger headings, lines wrapped by
//! measuring the glyphs of the embedded font, a new page when one is full, table
//! rows never split across pages (the header row is repeated) and « Page 1 sur
//! 2 » at the bottom of each page.
//!
//! [krilla](https://docs.rs/krilla) writes the file. Every piece of text sits in
//! the structure tree (headings, paragraphs, lists, tables with header cells),
//! everything else (borders, page numbers, repeated header rows) is marked as an
//! artifact; the document language is `fr`, the title is shown in the window
//! title bar, and krilla's PDF/UA-1 checker runs on every file, so a document
//! that would not be accessible is an error, never a file. The font (DejaVu
//! Sans) is compiled into the binary: nothing is read from the system.
//!
//! The pieces: `fonts` measures and wraps text, `layout` places the blocks
//! on pages and writes the file, `chart` draws an indicator chart as a
//! tagged figure, `training` lays out the training papers (certificate,
//! attendance sheet), `poster` an event's A4 poster, `report` the yearly
//! report of the indicators.

use std::fmt;

mod chart;
mod fonts;
mod layout;
mod poster;
mod report;
mod training;

pub use chart::in_words;
pub use layout::render;
pub use poster::{Poster, poster};
pub use report::yearly_report_pdf;
pub use training::{AttendanceSheet, Certificate, attendance_sheet, certificate};

/// A piece of a document, laid out one after the other.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading of level 1 to 3 (one level 1 heading first, as on a web page).
    Heading { level: u8, text: String },
    /// A paragraph; a newline starts a new line.
    Paragraph(String),
    /// A list of « label : value » lines, e.g. Nom : Awa Diallo. Tagged as a
    /// two-column table whose first cell is a row header.
    Facts(Vec<(String, String)>),
    /// A bulleted list.
    List(Vec<String>),
    /// A table with header cells (TH, scope column) and rows; `widths` in
    /// fractions of the text width (empty: equal columns). A row with an empty
    /// cell is a line to fill in by hand: it is drawn at least 9 mm tall.
    Table {
        caption: String,
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
        widths: Vec<f32>,
    },
    /// Empty boxes to sign, with their label (e.g. « Signature de la personne
    /// formée »), 3 cm tall, two side by side.
    SignatureBoxes(Vec<String>),
    /// A QR code leading to `url`, 5 cm wide, tagged as a figure whose text
    /// alternative is `alt` (say where it leads: the address is printed too).
    QrCode { url: String, alt: String },
    /// An indicator section's chart, drawn as vector shapes and tagged as a
    /// figure whose text alternative is its summary and its figures in
    /// words ([`in_words`]); nothing when the section has no chart. Its
    /// table is a [`Block::Table`] of its own, after it.
    Chart(epop_domain::figures::Section),
}

/// What [`render`] turns into a PDF. `title` is shown in the window title bar
/// of PDF readers; `subject` and `author` go into the document properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub blocks: Vec<Block>,
}

/// Why a PDF could not be made (an invalid document, or one that would not
/// pass the PDF/UA-1 check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfError(pub String);

impl fmt::Display for PdfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PDF: {}", self.0)
    }
}

impl std::error::Error for PdfError {}

#[cfg(test)]
mod tests {
    use super::fonts::*;
    use super::layout::*;
    use super::training::*;
    use super::*;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// Runs a poppler tool; its absence is a failure, never a skip.
    fn poppler(tool: &str, args: &[&str]) -> Vec<u8> {
        let out = Command::new(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): apt-get install poppler-utils"));
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    }

    fn text_of(tool: &str, args: &[&str]) -> String {
        String::from_utf8(poppler(tool, args)).expect("poppler writes UTF-8")
    }

    /// Writes the PDF where the tools can read it (and people can look).
    fn save(name: &str, pdf: &[u8]) -> PathBuf {
        // One folder, overwritten by each run: the last files stay to look at.
        let dir = std::env::temp_dir().join("epop-pdf-tests");
        std::fs::create_dir_all(&dir).unwrap();
        for old in std::fs::read_dir(&dir).unwrap() {
            let old = old.unwrap().path();
            if old.file_name().unwrap().to_str().unwrap().starts_with(name) {
                std::fs::remove_file(old).unwrap();
            }
        }
        let path = dir.join(format!("{name}.pdf"));
        std::fs::write(&path, pdf).unwrap();
        path
    }

    /// Renders every page with `pdftoppm` (50 dpi, next to the PDF) and
    /// checks each is a real PNG; returns their paths.
    fn pngs(pdf: &Path) -> Vec<PathBuf> {
        let prefix = pdf.with_extension("");
        let prefix = prefix.to_str().unwrap();
        poppler(
            "pdftoppm",
            &["-png", "-r", "50", pdf.to_str().unwrap(), prefix],
        );
        let mut pngs: Vec<PathBuf> = std::fs::read_dir(pdf.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let p = p.to_str().unwrap();
                p.starts_with(&format!("{prefix}-")) && p.ends_with(".png")
            })
            .collect();
        pngs.sort();
        for png in &pngs {
            let bytes = std::fs::read(png).unwrap();
            assert!(
                bytes.len() > 1000,
                "tiny PNG {png:?}: {} bytes",
                bytes.len()
            );
            assert_eq!(&bytes[1..4], b"PNG");
        }
        pngs
    }

    /// `pdfinfo` as (key, value) pairs.
    fn info(path: &str) -> Vec<(String, String)> {
        text_of("pdfinfo", &[path])
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
            .collect()
    }

    fn get<'a>(info: &'a [(String, String)], key: &str) -> &'a str {
        info.iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("pdfinfo has no {key}: {info:?}"))
    }

    const CERTIFICATE: Certificate<'static> = Certificate {
        person: "Awa Diallo",
        programme: "Devenir pair-aidant : écoute et accompagnement",
        organiser: "EPoP Occitanie",
        dates: "du 11 au 15 janvier 2027",
        hours: "35 heures",
        place: "Maison des associations, 12 rue de l'Église, 34000 Montpellier",
        issued_on: "15 janvier 2027",
        signatory: "Hélène Garçon",
        reference: "FORM-2027-001",
    };

    #[test]
    fn certificate_is_one_tagged_page_with_its_title_and_words() {
        let pdf = certificate(&CERTIFICATE).unwrap();
        let path = save("certificat", &pdf);
        let p = path.to_str().unwrap();

        let info = info(p);
        assert_eq!(get(&info, "Tagged"), "yes");
        assert_eq!(get(&info, "Pages"), "1");
        assert_eq!(
            get(&info, "Title"),
            "Certificat de réalisation – Awa Diallo"
        );
        let version: f32 = get(&info, "PDF version").parse().unwrap();
        assert!(version >= 1.7, "PDF version {version}");
        // The language, and the title rather than the file name in the window.
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Lang(fr)"), "no document language");
        assert!(raw.contains("/DisplayDocTitle true"), "title not displayed");

        // Lines joined: the sentence may be wrapped anywhere.
        let text = text_of("pdftotext", &[p, "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Certificat de réalisation",
            "Awa Diallo",
            "Devenir pair-aidant : écoute et accompagnement",
            "Hélène Garçon, pour EPoP Occitanie, atteste que Awa Diallo a suivi la formation",
            "35 heures",
            "Hélène Garçon",
            "Page 1 sur 1",
        ] {
            assert!(
                text.contains(expected),
                "« {expected} » missing in:\n{text}"
            );
        }

        assert_eq!(pngs(&path).len(), 1);
    }

    const FIRST: [&str; 8] = [
        "Awa",
        "Benoît",
        "Chloé",
        "Djamel",
        "Élodie",
        "François",
        "Gaëlle",
        "Hugo",
    ];
    const LAST: [&str; 5] = ["Diallo", "Lefèvre", "N'Diaye", "Rousseau", "Çelik"];

    #[test]
    fn attendance_sheet_of_40_trainees_flows_onto_a_second_page_with_its_header() {
        let trainees: Vec<String> = LAST
            .iter()
            .flat_map(|l| FIRST.iter().map(move |f| format!("{f} {l}")))
            .collect();
        assert_eq!(trainees.len(), 40);
        let trainees: Vec<&str> = trainees.iter().map(String::as_str).collect();
        let sheet = AttendanceSheet {
            programme: "Devenir pair-aidant : écoute et accompagnement",
            session: "Session de janvier 2027, Montpellier",
            place: "Maison des associations, Montpellier",
            half_day: "lundi 11 janvier 2027, matin (9 h – 12 h 30)",
            trainers: &["Hélène Garçon", "Marc Dubois"],
            trainees: &trainees,
        };
        // No row is cut by a page break: everything but the page numbers
        // lies between the margins.
        let (layout, _) = lay_out(&attendance_sheet_document(&sheet)).unwrap();
        for draw in layout.marks.iter().flat_map(|m| &m.draws) {
            let (top, bottom) = match draw {
                Draw::Rect { rect, .. } => (rect.top(), rect.bottom()),
                Draw::Text { baseline, .. } => (*baseline - BODY, *baseline),
                Draw::Line { from, to, .. } => (from.1.min(to.1), from.1.max(to.1)),
            };
            assert!(top >= TOP - 0.01 && bottom <= BOTTOM + 0.01, "{draw:?}");
        }
        let pdf = attendance_sheet(&sheet).unwrap();
        let path = save("emargement", &pdf);
        let p = path.to_str().unwrap();

        let info = info(p);
        assert_eq!(get(&info, "Pages"), "2");
        assert_eq!(get(&info, "Tagged"), "yes");
        let text = text_of("pdftotext", &[p, "-"]);
        for name in trainees.iter().chain(sheet.trainers) {
            assert!(text.contains(name), "{name} missing");
        }
        for page in ["1", "2"] {
            let text = text_of("pdftotext", &["-f", page, "-l", page, p, "-"]);
            assert!(
                text.lines().any(|l| l.trim() == "Nom"),
                "no « Nom » header on page {page}:\n{text}"
            );
            assert!(text.contains(&format!("Page {page} sur 2")));
        }
        assert_eq!(pngs(&path).len(), 2);
    }

    #[test]
    fn poster_is_one_tagged_page_whose_qr_code_opens_the_event() {
        let url = "https://epop.example/evenements/reunion-information-toulouse-2027";
        let accessibility = vec![
            "Interprète en langue des signes française (LSF)".to_owned(),
            "Accès sans marche (fauteuil roulant)".to_owned(),
        ];
        let pdf = poster(&Poster {
            title: "Réunion d'information à Toulouse",
            summary: "On vous explique le projet et la formation pour devenir intervenant-pair.",
            when: "jeudi 14 janvier 2027, de 14 h à 16 h",
            place: "Maison des associations, 3 place Guy-Hersant, 31400 Toulouse",
            audience: "Les personnes en situation de handicap",
            organiser: "Coordination EPoP Occitanie",
            registration: "Gratuite, jusqu'au 12 janvier 2027",
            accessibility: &accessibility,
            url,
        })
        .unwrap();
        let path = save("affiche", &pdf);
        let p = path.to_str().unwrap();
        let info = info(p);
        assert_eq!(get(&info, "Tagged"), "yes");
        assert_eq!(get(&info, "Pages"), "1");
        assert_eq!(
            get(&info, "Title"),
            "Affiche – Réunion d'information à Toulouse"
        );
        let text = text_of("pdftotext", &[p, "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "jeudi 14 janvier 2027, de 14 h à 16 h",
            "Maison des associations",
            "Interprète en langue des signes française (LSF)",
            "Pour s'inscrire",
            &format!("Ou tapez cette adresse : {url}"),
        ] {
            assert!(
                text.contains(expected),
                "« {expected} » missing in:\n{text}"
            );
        }
        // The QR code's text alternative is in the structure tree.
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Figure"), "no figure tag");
        // A real reader decodes the printed code back to the page's address.
        let prefix = path.with_extension("");
        let prefix = prefix.to_str().unwrap();
        poppler("pdftoppm", &["-png", "-r", "150", "-singlefile", p, prefix]);
        let out = Command::new("zbarimg")
            .args(["--quiet", "--raw", &format!("{prefix}.png")])
            .output()
            .unwrap_or_else(|e| panic!("cannot run zbarimg ({e}): apt-get install zbar-tools"));
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), url);
    }

    #[test]
    fn a_qr_code_without_its_text_alternative_is_refused() {
        let doc = Document {
            title: "Affiche".to_owned(),
            subject: String::new(),
            author: String::new(),
            blocks: vec![Block::QrCode {
                url: "https://epop.example/".to_owned(),
                alt: " ".to_owned(),
            }],
        };
        assert!(render(&doc).unwrap_err().0.contains("text alternative"));
    }

    #[test]
    fn french_punctuation_stays_with_its_word() {
        assert_eq!(
            words("la formation « Devenir pair-aidant » ; Nom : Awa ! ?"),
            [
                "la",
                "formation",
                "« Devenir",
                "pair-aidant » ;",
                "Nom :",
                "Awa ! ?"
            ]
            .map(str::to_owned)
        );
        assert_eq!(words("9\u{a0}h  12\u{202f}h"), ["9\u{a0}h", "12\u{202f}h"]);
    }

    #[test]
    fn a_long_address_is_never_cut_just_after_a_hyphen() {
        let url = "https://epop.example/evenements/reunion-d-information-en-ligne-sur-les-\
                   intervenants-pairs-2027-01-15-avec-un-titre-tres-long";
        for width in (150..=450).step_by(7) {
            let lines = wrap(url, false, BODY, width as f32);
            assert_eq!(lines.concat(), url, "width {width}");
            for line in &lines[..lines.len() - 1] {
                assert!(!line.ends_with('-'), "width {width}: {lines:?}");
            }
        }
    }

    /// Every word's box from `pdftotext -bbox` lies within the margins.
    #[test]
    fn long_words_and_paragraphs_wrap_inside_the_margins() {
        let word = "Anticonstitutionnellement".repeat(6);
        let paragraph = "Les pairs-aidants accompagnent les personnes qui vivent une \
                         situation de handicap, à partir de leur propre expérience. "
            .repeat(12);
        for (text, bold, size) in [
            (word.as_str(), false, BODY),
            (paragraph.as_str(), false, BODY),
            (word.as_str(), true, heading_size(1)),
        ] {
            let lines = wrap(text, bold, size, TEXT_WIDTH);
            assert!(lines.len() > 1, "{text} was not wrapped");
            for line in &lines {
                let width = face(bold).width(line, size);
                assert!(width <= TEXT_WIDTH, "{width} > {TEXT_WIDTH}: {line}");
            }
            // Nothing lost but the spaces where lines were broken.
            assert_eq!(
                lines.concat().replace(' ', ""),
                text.replace(' ', ""),
                "text changed by wrapping"
            );
        }

        let doc = Document {
            title: "Essai de retour à la ligne".to_owned(),
            subject: String::new(),
            author: "EPoP".to_owned(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: word.clone(),
                },
                Block::Paragraph(word.clone()),
                Block::Paragraph(paragraph.clone()),
                Block::List(vec![paragraph.clone(), word.clone()]),
                Block::Facts(vec![("Nom".to_owned(), word.clone())]),
                Block::Table {
                    caption: "Tableau".to_owned(),
                    headers: vec!["Un".to_owned(), "Deux".to_owned()],
                    rows: vec![vec![word.clone(), paragraph.clone()]],
                    widths: vec![1.0, 2.0],
                },
            ],
        };
        let pdf = render(&doc).unwrap();
        let path = save("retour-ligne", &pdf);
        let p = path.to_str().unwrap();
        let html = text_of("pdftotext", &["-bbox", p, "-"]);
        let attr = |line: &str, name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            let len = line[start..].find('"').unwrap();
            line[start..start + len].parse().unwrap()
        };
        let mut words = 0;
        for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
            words += 1;
            let (x_min, x_max) = (attr(line, "xMin"), attr(line, "xMax"));
            assert!(x_min >= MARGIN - 0.5, "starts in the margin: {line}");
            assert!(x_max <= PAGE_W - MARGIN + 0.5, "ends in the margin: {line}");
        }
        assert!(words > 100, "only {words} words found");
        assert_eq!(pngs(&path).len(), 2);
    }

    #[test]
    fn structure_tree_has_headings_paragraphs_lists_and_tables_with_header_cells() {
        let doc = Document {
            title: "Structure".to_owned(),
            subject: "Un essai".to_owned(),
            author: "EPoP".to_owned(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "Titre".to_owned(),
                },
                Block::Paragraph("Un paragraphe.".to_owned()),
                Block::Heading {
                    level: 2,
                    text: "Partie".to_owned(),
                },
                Block::List(vec!["un".to_owned(), "deux".to_owned()]),
                Block::Facts(vec![("Nom".to_owned(), "Awa Diallo".to_owned())]),
                Block::Table {
                    caption: "Présences".to_owned(),
                    headers: vec!["Nom".to_owned(), "Signature".to_owned()],
                    rows: vec![vec!["Awa Diallo".to_owned(), String::new()]],
                    widths: Vec::new(),
                },
                Block::SignatureBoxes(vec!["Signature".to_owned()]),
            ],
        };
        let pdf = render(&doc).unwrap();
        let path = save("structure", &pdf);
        let tree = text_of("pdfinfo", &["-struct", path.to_str().unwrap()]);
        let roles: Vec<&str> = tree
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(|r| r.trim_end_matches(':'))
            .collect();
        for role in [
            "Document", "H1", "H2", "P", "L", "LI", "Lbl", "LBody", "Table", "Caption", "THead",
            "TBody", "TR", "TH", "TD",
        ] {
            assert!(roles.contains(&role), "no {role} in:\n{tree}");
        }
        // Column headers say so (and the facts' labels head their row).
        assert!(tree.contains("/Scope /Column"), "{tree}");
        assert!(tree.contains("/Scope /Row"), "{tree}");
    }

    /// A character DejaVu lacks is drawn as « ? » but keeps its text.
    #[test]
    fn characters_the_font_lacks_keep_their_text() {
        let doc = Document {
            title: "Caractères".to_owned(),
            subject: String::new(),
            author: String::new(),
            blocks: vec![Block::Paragraph("Nom : 山田 Awa ? Ŋ".to_owned())],
        };
        let pdf = render(&doc).unwrap();
        let path = save("caracteres", &pdf);
        let text = text_of("pdftotext", &[path.to_str().unwrap(), "-"]);
        assert!(text.contains("Nom : 山田 Awa ? Ŋ"), "{text}");
    }

    #[test]
    fn a_table_header_never_breaks_inside_a_word() {
        let headers = [
            "Date de l’intervention",
            "Intervention",
            "Rémunération",
            "Reste à payer",
            "Paiement",
            "Frais déclarés",
        ];
        let doc = Document {
            title: "En-têtes".to_owned(),
            subject: String::new(),
            author: String::new(),
            blocks: vec![Block::Table {
                caption: "Interventions".to_owned(),
                headers: headers.map(String::from).to_vec(),
                rows: vec![vec!["15 décembre 2026".to_owned(); 6]],
                // Columns far too narrow for their header words.
                widths: vec![0.5, 0.3, 0.05, 0.05, 0.05, 0.05],
            }],
        };
        let pdf = render(&doc).unwrap();
        let path = save("en-tetes", &pdf);
        let text = text_of("pdftotext", &[path.to_str().unwrap(), "-"]);
        let words: Vec<&str> = text.split_whitespace().collect();
        for word in headers.iter().flat_map(|h| h.split_whitespace()) {
            assert!(words.contains(&word), "« {word} » broken in:\n{text}");
        }
    }

    #[test]
    fn an_invalid_document_is_an_error_not_a_file() {
        let doc = |blocks| Document {
            title: "Essai".to_owned(),
            subject: String::new(),
            author: String::new(),
            blocks,
        };
        assert!(
            render(&doc(vec![Block::Heading {
                level: 4,
                text: "Trop profond".to_owned()
            }]))
            .is_err()
        );
        assert!(
            render(&doc(vec![Block::Table {
                caption: "Bancal".to_owned(),
                headers: vec!["A".to_owned(), "B".to_owned()],
                rows: vec![vec!["seul".to_owned()]],
                widths: Vec::new(),
            }]))
            .is_err()
        );
        assert!(
            render(&doc(vec![Block::Table {
                caption: "Largeurs".to_owned(),
                headers: vec!["A".to_owned(), "B".to_owned()],
                rows: Vec::new(),
                widths: vec![1.0],
            }]))
            .is_err()
        );
        // krilla's PDF/UA-1 check is on: a heading needs a text.
        let blank = doc(vec![Block::Heading {
            level: 1,
            text: " ".to_owned(),
        }]);
        match render(&blank) {
            Err(e) => assert_eq!(e.0, "not accessible (PDF/UA-1): MissingHeadingTitle"),
            Ok(_) => panic!("a blank heading passed"),
        }
        let mut untitled = doc(vec![Block::Paragraph("Sans titre".to_owned())]);
        untitled.title = " ".to_owned();
        assert!(render(&untitled).is_err());
        // A document without headings still gets its outline (PDF/UA).
        assert!(render(&doc(vec![Block::Paragraph("Court.".to_owned())])).is_ok());
    }

    #[test]
    fn yearly_report_is_tagged_with_its_charts_as_figures_and_its_figures_in_text() {
        let report = crate::figures_export::tests::sample();
        let about = crate::figures_export::tests::about();
        let pdf = yearly_report_pdf(&report, &about).unwrap();
        let path = save("rapport-annuel", &pdf);
        let p = path.to_str().unwrap();
        let info = info(p);
        assert_eq!(get(&info, "Tagged"), "yes");
        assert_eq!(
            get(&info, "Title"),
            "Rapport annuel 2026 – Occitanie, année 2026"
        );
        let text = text_of("pdftotext", &[p, "-"]);
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Rapport annuel 2026",
            "Occitanie, année 2026",
            "Produit le :",
            "3 décembre 2026",
            "« moins de 5 » : pour protéger les personnes",
            "Les demandes et interventions enregistrées sur EPoP.",
            "Les demandes reçues montent de janvier à mars.",
            "Ce qui a été payé aux pairs.",
            "1 234",
            "12,5 heures",
            "moins de 5",
            "1 250,05 €",
            "42 %",
            "non communiqué",
            "Une demande compte au mois où elle est reçue.",
            "Pas du tout : moins de 5",
            "Seules les parts connues sont dessinées",
            "Tout à fait : 52",
        ] {
            assert!(
                text.contains(expected),
                "« {expected} » missing in:\n{text}"
            );
        }
        // Two charts, each a figure whose alternative gives every figure.
        // (Lossy: poppler writes some heading titles in UTF-16.)
        let tree = String::from_utf8_lossy(&poppler("pdfinfo", &["-struct-text", p])).into_owned();
        let figures = tree
            .lines()
            .filter(|l| l.trim_start().starts_with("Figure"))
            .count();
        assert_eq!(figures, 3, "{tree}");
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Figure"), "no figure tag");
        let alt = in_words(&report.sections[0]);
        assert_eq!(
            alt,
            "Demandes par mois. Les demandes reçues montent de janvier à mars. Les chiffres : \
             janv. 2026 : Demandes 1\u{a0}234, Heures 12,5\u{a0}heures ; févr. 2026 : Demandes \
             moins de 5, Heures 3,0\u{a0}heures ; mars 2026 : Demandes 0, Heures 0,0\u{a0}heures."
        );
        // Everything drawn lies between the margins.
        let (layout, _) = lay_out(&report::yearly_report_document(&report, &about)).unwrap();
        for draw in layout.marks.iter().flat_map(|m| &m.draws) {
            if let Draw::Rect { rect, .. } = draw {
                assert!(rect.left() >= MARGIN - 0.01 && rect.right() <= PAGE_W - MARGIN + 0.01);
            }
        }
        assert!(pngs(&path).len() >= 2);
    }
}
