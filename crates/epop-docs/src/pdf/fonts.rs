//! The embedded font (DejaVu Sans, regular and bold): characters to glyphs,
//! the width of a text, and lines wrapped to a width without splitting
//! French punctuation from its word.

use std::sync::LazyLock;

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

use super::layout::LINE;

// Fonts: DejaVu Sans, embedded (Bitstream Vera licence, see fonts/).

static REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

pub(super) struct Face {
    data: &'static [u8],
    pub(super) font: Font,
    units_per_em: f32,
    ascent: f32,
    descent: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Face {
        let font = Font::new(data.into(), 0).expect("the embedded font is valid");
        let font_ref = skrifa::FontRef::new(data).expect("the embedded font is valid");
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em);
        Face {
            data,
            font,
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: -metrics.descent / units_per_em,
        }
    }

    /// One glyph per character (DejaVu has no ligatures we need), advances in
    /// em. A character the font lacks is drawn as « ? » but keeps its text, so
    /// copying and screen readers still get it.
    pub(super) fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        let font_ref = skrifa::FontRef::new(self.data).expect("the embedded font is valid");
        let charmap = font_ref.charmap();
        let metrics = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let fallback = charmap.map('?').unwrap_or_default();
        text.char_indices()
            .map(|(i, c)| {
                let glyph = charmap
                    .map(c)
                    .filter(|g| g.to_u32() != 0)
                    .unwrap_or(fallback);
                let advance = metrics.advance_width(glyph).unwrap_or(0.0) / self.units_per_em;
                KrillaGlyph::new(
                    GlyphId::new(glyph.to_u32()),
                    advance,
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                )
            })
            .collect()
    }

    pub(super) fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// Where the baseline sits in a line box of `size` × `LINE`.
    pub(super) fn baseline(&self, size: f32) -> f32 {
        let line = size * LINE;
        (line - (self.ascent + self.descent) * size) / 2.0 + self.ascent * size
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::load(REGULAR),
    bold: Face::load(BOLD),
});

pub(super) fn face(bold: bool) -> &'static Face {
    if bold { &FONTS.bold } else { &FONTS.regular }
}

/// The words of a line, as units that are never broken apart: French
/// punctuation stays with its word (« formation », « Nom : »), and no-break
/// spaces (U+00A0, U+202F) are not places to break.
pub(super) fn words(line: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut glue_next = false;
    for word in line
        .split(|c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}')
        .filter(|w| !w.is_empty())
    {
        let closing = word.starts_with(['»', ':', ';', '!', '?']);
        match words.last_mut() {
            Some(last) if glue_next || closing => {
                last.push(' ');
                last.push_str(word);
            }
            _ => words.push(word.to_owned()),
        }
        glue_next = word == "«";
    }
    words
}

/// Splits `text` into lines no wider than `width` at `size`: at spaces, and
/// inside a word only when the word alone is wider than the line. A newline
/// starts a new line. Never returns an empty list.
pub(super) fn wrap(text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
    let face = face(bold);
    let fits = |s: &str| face.width(s, size) <= width;
    let mut lines = Vec::new();
    for source_line in text.split('\n') {
        let mut line = String::new();
        for word in words(source_line) {
            let word = word.as_str();
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            // The word alone: cut it where it overflows.
            let mut rest = word;
            while !fits(rest) {
                let mut cut = 0;
                for (i, c) in rest.char_indices() {
                    let end = i + c.len_utf8();
                    if !fits(&rest[..end]) {
                        break;
                    }
                    cut = end;
                }
                // A line ending with a hyphen reads as a word cut in two
                // (« intervenants-/pairs »): in an address, the reader would
                // drop it. Cut before the hyphen instead.
                while cut > 1 && rest[..cut].ends_with('-') {
                    cut -= 1;
                }
                if cut == 0 {
                    // Not even one character fits: put it alone on the line.
                    cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
                }
                lines.push(rest[..cut].to_owned());
                rest = &rest[cut..];
                if rest.is_empty() {
                    break;
                }
            }
            line = rest.to_owned();
        }
        lines.push(line);
    }
    lines
}
