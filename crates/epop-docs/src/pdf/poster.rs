//! An event's A4 poster, to print and pin up in a hall or a waiting room:
//! what it is, when, where (or that it is online), for whom, how to register,
//! the accessibility planned, and a QR code to the event's page with its
//! address written out for those who cannot scan it.

use super::{Block, Document, PdfError, render};

/// What the poster says. Dates and places are written out by the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Poster<'a> {
    pub title: &'a str,
    /// One or two sentences saying what it is (the easy-read description
    /// reads best from a distance).
    pub summary: &'a str,
    /// E.g. « jeudi 14 janvier 2027, de 14 h à 16 h (heure de Paris) ».
    pub when: &'a str,
    /// The address, or « En ligne (le lien est envoyé après l’inscription) ».
    pub place: &'a str,
    pub audience: &'a str,
    pub organiser: &'a str,
    /// E.g. « Gratuite, jusqu’au 12 janvier 2027 ».
    pub registration: &'a str,
    pub accessibility: &'a [String],
    /// The event's public page, where people register.
    pub url: &'a str,
}

fn poster_document(p: &Poster<'_>) -> Document {
    let fact = |label: &str, value: &str| (label.to_owned(), value.to_owned());
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: p.title.to_owned(),
        },
        Block::Paragraph(p.summary.to_owned()),
        Block::Facts(vec![
            fact("Quand", p.when),
            fact("Où", p.place),
            fact("Pour qui", p.audience),
            fact("Organisé par", p.organiser),
            fact("Inscription", p.registration),
        ]),
    ];
    if !p.accessibility.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: "Accessibilité prévue".to_owned(),
        });
        blocks.push(Block::List(p.accessibility.to_vec()));
    }
    blocks.extend([
        Block::Heading {
            level: 2,
            text: "Pour s'inscrire".to_owned(),
        },
        Block::Paragraph(
            "Scannez ce code avec l'appareil photo d'un téléphone : il ouvre la page de \
             l'événement, où vous pouvez vous inscrire."
                .to_owned(),
        ),
        Block::QrCode {
            url: p.url.to_owned(),
            alt: format!("Code QR qui ouvre la page de l'événement : {}", p.url),
        },
        Block::Paragraph(format!("Ou tapez cette adresse : {}", p.url)),
    ]);
    Document {
        title: format!("Affiche – {}", p.title),
        subject: format!("{}, {}. {}", p.title, p.when, p.place),
        author: p.organiser.to_owned(),
        blocks,
    }
}

/// The poster as a tagged PDF/UA-1 file (one A4 page for a usual event).
pub fn poster(p: &Poster<'_>) -> Result<Vec<u8>, PdfError> {
    render(&poster_document(p))
}
