//! The training papers: the « Certificat de réalisation » (the Qualiopi
//! proof that a person followed a training) and the attendance sheet to
//! sign, each a [`Document`] of blocks rendered by the layout engine.

use super::{Block, Document, PdfError, render};

/// What a « Certificat de réalisation » states (the Qualiopi proof that a
/// person followed a training). Dates are written out in French by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certificate<'a> {
    pub person: &'a str,
    pub programme: &'a str,
    pub organiser: &'a str,
    /// E.g. « du 11 au 15 janvier 2027 ».
    pub dates: &'a str,
    /// E.g. « 35 heures ».
    pub hours: &'a str,
    pub place: &'a str,
    /// E.g. « 15 janvier 2027 ».
    pub issued_on: &'a str,
    /// The person who signs for the organiser.
    pub signatory: &'a str,
    pub reference: &'a str,
}

/// One line of a [`Block::Facts`].
fn fact(label: &str, value: &str) -> (String, String) {
    (label.to_owned(), value.to_owned())
}

/// The document behind [`certificate`].
fn certificate_document(c: &Certificate<'_>) -> Document {
    Document {
        title: format!("Certificat de réalisation – {}", c.person),
        subject: format!(
            "{} a suivi la formation « {} » ({}).",
            c.person, c.programme, c.dates
        ),
        author: c.organiser.to_owned(),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "Certificat de réalisation".to_owned(),
            },
            Block::Paragraph(format!(
                "{}, pour {}, atteste que {} a suivi la formation « {} ».",
                c.signatory, c.organiser, c.person, c.programme
            )),
            Block::Facts(vec![
                fact("Personne formée", c.person),
                fact("Formation", c.programme),
                fact("Nature de l'action", "action de formation"),
                fact("Dates", c.dates),
                fact("Durée", c.hours),
                fact("Lieu", c.place),
                fact("Organisme de formation", c.organiser),
                fact("Référence", c.reference),
            ]),
            Block::Paragraph(format!(
                "{} garde les documents qui prouvent cette formation, comme les feuilles \
                 d'émargement, pendant 3 ans après la fin de l'année du dernier paiement.",
                c.organiser
            )),
            Block::Paragraph(format!("Fait le {}.", c.issued_on)),
            Block::SignatureBoxes(vec![format!(
                "Signature pour {}\n{}",
                c.organiser, c.signatory
            )]),
        ],
    }
}

/// A « Certificat de réalisation », one page.
pub fn certificate(c: &Certificate<'_>) -> Result<Vec<u8>, PdfError> {
    render(&certificate_document(c))
}

/// One half-day of a training session, to be signed by everyone present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttendanceSheet<'a> {
    pub programme: &'a str,
    pub session: &'a str,
    pub place: &'a str,
    /// E.g. « lundi 11 janvier 2027, matin (9 h – 12 h 30) ».
    pub half_day: &'a str,
    pub trainers: &'a [&'a str],
    pub trainees: &'a [&'a str],
}

/// The document behind [`attendance_sheet`].
pub(super) fn attendance_sheet_document(s: &AttendanceSheet<'_>) -> Document {
    let signing_rows = |names: &[&str]| -> Vec<Vec<String>> {
        names
            .iter()
            .map(|n| vec![(*n).to_owned(), String::new()])
            .collect()
    };
    let table = |caption: String, names: &[&str]| Block::Table {
        caption,
        headers: vec!["Nom".to_owned(), "Signature".to_owned()],
        rows: signing_rows(names),
        widths: vec![0.5, 0.5],
    };
    Document {
        title: format!("Feuille d'émargement – {} – {}", s.programme, s.half_day),
        subject: format!(
            "Présence à la formation « {} », {}, {}.",
            s.programme, s.session, s.half_day
        ),
        author: "EPoP".to_owned(),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "Feuille d'émargement".to_owned(),
            },
            Block::Facts(vec![
                fact("Formation", s.programme),
                fact("Session", s.session),
                fact("Demi-journée", s.half_day),
                fact("Lieu", s.place),
            ]),
            Block::Paragraph("Chaque personne présente signe en face de son nom.".to_owned()),
            table(
                format!("Formateurs et formatrices ({})", s.trainers.len()),
                s.trainers,
            ),
            table(
                format!("Personnes formées ({})", s.trainees.len()),
                s.trainees,
            ),
        ],
    }
}

/// A « Feuille d'émargement » for one half-day: a table Nom | Signature for
/// the trainers, then one for the trainees, rows 9 mm tall.
pub fn attendance_sheet(s: &AttendanceSheet<'_>) -> Result<Vec<u8>, PdfError> {
    render(&attendance_sheet_document(s))
}
