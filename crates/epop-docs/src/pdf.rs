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

use std::fmt;
use std::num::NonZeroU16;
use std::sync::LazyLock;

use krilla::color::rgb;
use krilla::configure::{Accessibility, ConfigurationBuilder};
use krilla::destination::XyzDestination;
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, Node, SpanTag, TableHeaderScope,
    Tag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document as PdfDocument, SerializeSettings};
use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

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

// ---------------------------------------------------------------------------
// Page geometry and type sizes (points, 1/72 inch; y grows downwards).

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.69; // 2 cm
const LEFT: f32 = MARGIN;
const TOP: f32 = MARGIN;
const BOTTOM: f32 = PAGE_H - MARGIN;
/// The width lines are wrapped to.
const TEXT_WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const BODY: f32 = 11.0;
const LINE: f32 = 1.5;
const SMALL: f32 = 10.0;
/// Space after a paragraph, a list, a table.
const GAP: f32 = 9.0;
const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 3.0;
/// A table row with an empty cell (a line to sign): 9 mm, so that a
/// half-day's attendance sheet for 40 people fits on two pages.
const SIGN_ROW: f32 = 25.5;
/// A signature box: 3 cm.
const SIGN_BOX: f32 = 85.0;
const BULLET_INDENT: f32 = 18.0;

fn heading_size(level: u8) -> f32 {
    match level {
        1 => 20.0,
        2 => 15.0,
        _ => 13.0,
    }
}

// ---------------------------------------------------------------------------
// Fonts: DejaVu Sans, embedded (Bitstream Vera licence, see fonts/).

static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

struct Face {
    data: &'static [u8],
    font: Font,
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
    fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
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

    fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// Where the baseline sits in a line box of `size` × `LINE`.
    fn baseline(&self, size: f32) -> f32 {
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

fn face(bold: bool) -> &'static Face {
    if bold { &FONTS.bold } else { &FONTS.regular }
}

/// The words of a line, as units that are never broken apart: French
/// punctuation stays with its word (« formation », « Nom : »), and no-break
/// spaces (U+00A0, U+202F) are not places to break.
fn words(line: &str) -> Vec<String> {
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
fn wrap(text: &str, bold: bool, size: f32, width: f32) -> Vec<String> {
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

// ---------------------------------------------------------------------------
// Layout: blocks become marked pieces of content on pages, and a structure tree
// whose leaves point at those pieces.

#[derive(Debug, Clone)]
enum Draw {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rect {
        rect: Rect,
        fill: Option<rgb::Color>,
        stroke: bool,
    },
}

/// One marked-content sequence on a page.
struct Mark {
    page: usize,
    draws: Vec<Draw>,
    /// `None`: real content (a leaf of the structure tree).
    artifact: Option<ArtifactType>,
}

/// The structure tree before krilla's identifiers exist.
struct Elem {
    tag: TagKind,
    children: Vec<Child>,
}

enum Child {
    Elem(Elem),
    /// Index into `Layout::marks`.
    Mark(usize),
}

impl Elem {
    fn new(tag: impl Into<TagKind>) -> Elem {
        Elem {
            tag: tag.into(),
            children: Vec::new(),
        }
    }

    fn with(tag: impl Into<TagKind>, children: Vec<Child>) -> Elem {
        Elem {
            tag: tag.into(),
            children,
        }
    }
}

struct Heading {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

struct Layout {
    page: usize,
    y: f32,
    marks: Vec<Mark>,
    headings: Vec<Heading>,
}

/// A cell laid out: its lines, and whether it is bold.
struct Cell {
    lines: Vec<String>,
    bold: bool,
}

impl Layout {
    fn new() -> Layout {
        Layout {
            page: 0,
            y: TOP,
            marks: Vec::new(),
            headings: Vec::new(),
        }
    }

    fn new_page(&mut self) {
        self.page += 1;
        self.y = TOP;
    }

    fn at_top(&self) -> bool {
        self.y <= TOP
    }

    /// Starts a new page unless `height` still fits on this one (or the page
    /// is empty: something taller than a page goes on it anyway).
    fn ensure(&mut self, height: f32) {
        if self.y + height > BOTTOM && !self.at_top() {
            self.new_page();
        }
    }

    fn space(&mut self, gap: f32) {
        if !self.at_top() {
            self.y += gap;
        }
    }

    fn content(&mut self, draws: Vec<Draw>) -> Child {
        self.marks.push(Mark {
            page: self.page,
            draws,
            artifact: None,
        });
        Child::Mark(self.marks.len() - 1)
    }

    fn artifact(&mut self, kind: ArtifactType, draws: Vec<Draw>) {
        if !draws.is_empty() {
            self.marks.push(Mark {
                page: self.page,
                draws,
                artifact: Some(kind),
            });
        }
    }

    /// Lines of text, each its own marked content, moving down.
    fn lines(&mut self, lines: &[String], x: f32, size: f32, bold: bool) -> Vec<Child> {
        let line_height = size * LINE;
        let baseline = face(bold).baseline(size);
        let mut children = Vec::new();
        for line in lines {
            self.ensure(line_height);
            if !line.is_empty() {
                let draw = Draw::Text {
                    x,
                    baseline: self.y + baseline,
                    size,
                    bold,
                    text: line.clone(),
                };
                children.push(self.content(vec![draw]));
            }
            self.y += line_height;
        }
        children
    }

    fn block(&mut self, block: &Block, tree: &mut Vec<Elem>) -> Result<(), PdfError> {
        match block {
            Block::Heading { level, text } => self.heading(*level, text, tree),
            Block::Paragraph(text) if text.trim().is_empty() => Ok(()),
            Block::Paragraph(text) => {
                let lines = wrap(text, false, BODY, TEXT_WIDTH);
                let children = self.lines(&lines, LEFT, BODY, false);
                tree.push(Elem::with(Tag::P, children));
                self.y += GAP;
                Ok(())
            }
            Block::List(items) => {
                let mut list = Elem::new(Tag::L(ListNumbering::Disc));
                for item in items {
                    let lines = wrap(item, false, BODY, TEXT_WIDTH - BULLET_INDENT);
                    self.ensure(BODY * LINE);
                    let bullet = Draw::Text {
                        x: LEFT + 4.0,
                        baseline: self.y + face(false).baseline(BODY),
                        size: BODY,
                        bold: false,
                        text: "•".to_owned(),
                    };
                    let label = Elem::with(Tag::Lbl, vec![self.content(vec![bullet])]);
                    let body = self.lines(&lines, LEFT + BULLET_INDENT, BODY, false);
                    let body = Elem::with(Tag::LBody, body);
                    list.children.push(Child::Elem(Elem::with(
                        Tag::LI,
                        vec![Child::Elem(label), Child::Elem(body)],
                    )));
                }
                tree.push(list);
                self.y += GAP;
                Ok(())
            }
            Block::Facts(facts) => {
                self.facts(facts, tree);
                Ok(())
            }
            Block::Table {
                caption,
                headers,
                rows,
                widths,
            } => self.table(caption, headers, rows, widths, tree),
            Block::SignatureBoxes(labels) => {
                self.signature_boxes(labels, tree);
                Ok(())
            }
        }
    }

    fn heading(&mut self, level: u8, text: &str, tree: &mut Vec<Elem>) -> Result<(), PdfError> {
        if !(1..=3).contains(&level) {
            return Err(PdfError(format!(
                "heading level {level} for « {text} »: only 1 to 3"
            )));
        }
        let size = heading_size(level);
        let lines = wrap(text, true, size, TEXT_WIDTH);
        self.space(size * 0.6);
        // Keep the heading with at least two lines of what follows.
        self.ensure(lines.len() as f32 * size * LINE + 2.0 * BODY * LINE);
        self.headings.push(Heading {
            level,
            text: text.to_owned(),
            page: self.page,
            y: self.y,
        });
        let children = self.lines(&lines, LEFT, size, true);
        let level = NonZeroU16::new(u16::from(level)).expect("1..=3");
        // Its title too (PDF/UA wants one: a blank heading is refused).
        let title = Some(text.trim().to_owned());
        tree.push(Elem::with(Tag::Hn(level, title), children));
        self.y += size * 0.3;
        Ok(())
    }

    fn facts(&mut self, facts: &[(String, String)], tree: &mut Vec<Elem>) {
        let bold = face(true);
        let labels: Vec<String> = facts.iter().map(|(l, _)| format!("{l}\u{a0}:")).collect();
        let widest = labels
            .iter()
            .map(|l| bold.width(l, BODY))
            .fold(0.0_f32, f32::max);
        let label_width = (widest + 12.0).min(TEXT_WIDTH * 0.4);
        let mut table = Elem::new(Tag::Table);
        for (label, (_, value)) in labels.iter().zip(facts) {
            let label_lines = wrap(label, true, BODY, label_width - 12.0);
            let value_lines = wrap(value, false, BODY, TEXT_WIDTH - label_width);
            let height = label_lines.len().max(value_lines.len()) as f32 * BODY * LINE;
            self.ensure(height);
            let top = self.y;
            let th = self.lines(&label_lines, LEFT, BODY, true);
            self.y = top;
            let td = self.lines(&value_lines, LEFT + label_width, BODY, false);
            self.y = top + height;
            table.children.push(Child::Elem(Elem::with(
                Tag::TR,
                vec![
                    Child::Elem(Elem::with(Tag::TH(TableHeaderScope::Row), th)),
                    Child::Elem(Elem::with(Tag::TD, td)),
                ],
            )));
        }
        tree.push(table);
        self.y += GAP;
    }

    fn table(
        &mut self,
        caption: &str,
        headers: &[String],
        rows: &[Vec<String>],
        widths: &[f32],
        tree: &mut Vec<Elem>,
    ) -> Result<(), PdfError> {
        let columns = headers.len();
        if columns == 0 {
            return Err(PdfError(format!("table « {caption} » has no columns")));
        }
        if let Some(row) = rows.iter().find(|r| r.len() != columns) {
            return Err(PdfError(format!(
                "table « {caption} »: a row has {} cells for {columns} columns",
                row.len()
            )));
        }
        let widths: Vec<f32> = if widths.is_empty() {
            vec![TEXT_WIDTH / columns as f32; columns]
        } else if widths.len() == columns && widths.iter().all(|w| *w > 0.0) {
            let sum: f32 = widths.iter().sum();
            widths.iter().map(|w| w / sum * TEXT_WIDTH).collect()
        } else {
            return Err(PdfError(format!(
                "table « {caption} »: {} widths for {columns} columns",
                widths.len()
            )));
        };
        let lay_row = |cells: &[String], bold: bool| -> Vec<Cell> {
            cells
                .iter()
                .zip(&widths)
                .map(|(text, w)| Cell {
                    lines: wrap(text, bold, BODY, w - 2.0 * CELL_PAD_X),
                    bold,
                })
                .collect()
        };
        let row_height = |cells: &[Cell], blank: bool| {
            let lines = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
            let height = lines as f32 * BODY * LINE + 2.0 * CELL_PAD_Y;
            if blank { height.max(SIGN_ROW) } else { height }
        };
        let header = lay_row(headers, true);
        let header_height = row_height(&header, false);
        let body: Vec<(Vec<Cell>, f32)> = rows
            .iter()
            .map(|r| {
                let cells = lay_row(r, false);
                let blank = r.iter().any(|c| c.trim().is_empty());
                let h = row_height(&cells, blank);
                (cells, h)
            })
            .collect();

        // Caption, header row and first row stay together.
        let caption_lines = wrap(caption, true, BODY, TEXT_WIDTH);
        let first = body.first().map_or(0.0, |(_, h)| *h);
        self.ensure(caption_lines.len() as f32 * BODY * LINE + header_height + first);
        let mut table = Elem::new(Tag::Table);
        let caption_children = self.lines(&caption_lines, LEFT, BODY, true);
        table
            .children
            .push(Child::Elem(Elem::with(Tag::Caption, caption_children)));

        let cells = self.row(&header, &widths, header_height, None);
        let tr = Elem::with(
            Tag::TR,
            cells
                .into_iter()
                .map(|c| Child::Elem(Elem::with(Tag::TH(TableHeaderScope::Column), c)))
                .collect(),
        );
        table
            .children
            .push(Child::Elem(Elem::with(Tag::THead, vec![Child::Elem(tr)])));

        let mut tbody = Elem::new(Tag::TBody);
        for (cells, height) in &body {
            if self.y + height > BOTTOM {
                self.new_page();
                // The header row again, as an artifact: it is in the tree once.
                self.row(
                    &header,
                    &widths,
                    header_height,
                    Some(ArtifactType::PaginationOther),
                );
            }
            let cells = self.row(cells, &widths, *height, None);
            tbody.children.push(Child::Elem(Elem::with(
                Tag::TR,
                cells
                    .into_iter()
                    .map(|c| Child::Elem(Elem::with(Tag::TD, c)))
                    .collect(),
            )));
        }
        table.children.push(Child::Elem(tbody));
        tree.push(table);
        self.y += GAP;
        Ok(())
    }

    /// Draws one table row at `self.y` (borders as artifacts, a grey
    /// background behind bold header cells) and returns each cell's content,
    /// or nothing when the whole row is an artifact.
    fn row(
        &mut self,
        cells: &[Cell],
        widths: &[f32],
        height: f32,
        artifact: Option<ArtifactType>,
    ) -> Vec<Vec<Child>> {
        let top = self.y;
        // In a row taller than its text (a line to sign), the text is centred.
        let tallest = cells.iter().map(|c| c.lines.len()).max().unwrap_or(1);
        let centring = (height - 2.0 * CELL_PAD_Y - tallest as f32 * BODY * LINE) / 2.0;
        let mut x = LEFT;
        let mut frames = Vec::new();
        let mut contents = Vec::new();
        for (cell, width) in cells.iter().zip(widths) {
            if let Some(rect) = Rect::from_xywh(x, top, *width, height) {
                frames.push(Draw::Rect {
                    rect,
                    fill: cell.bold.then(|| rgb::Color::new(230, 230, 230)),
                    stroke: true,
                });
            }
            let baseline = face(cell.bold).baseline(BODY) + centring;
            let texts: Vec<Draw> = cell
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| !l.is_empty())
                .map(|(i, line)| Draw::Text {
                    x: x + CELL_PAD_X,
                    baseline: top + CELL_PAD_Y + i as f32 * BODY * LINE + baseline,
                    size: BODY,
                    bold: cell.bold,
                    text: line.clone(),
                })
                .collect();
            contents.push(texts);
            x += width;
        }
        // Backgrounds and borders first, so that text is drawn over them.
        self.artifact(ArtifactType::Layout, frames);
        let children = match artifact {
            Some(kind) => {
                self.artifact(kind, contents.into_iter().flatten().collect());
                Vec::new()
            }
            None => contents
                .into_iter()
                .map(|draws| {
                    if draws.is_empty() {
                        Vec::new()
                    } else {
                        vec![self.content(draws)]
                    }
                })
                .collect(),
        };
        self.y = top + height;
        children
    }

    fn signature_boxes(&mut self, labels: &[String], tree: &mut Vec<Elem>) {
        const PER_ROW: usize = 2;
        const BETWEEN: f32 = 20.0;
        let width = (TEXT_WIDTH - BETWEEN * (PER_ROW - 1) as f32) / PER_ROW as f32;
        for group in labels.chunks(PER_ROW) {
            let wrapped: Vec<Vec<String>> =
                group.iter().map(|l| wrap(l, false, BODY, width)).collect();
            let label_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            let label_height = label_lines as f32 * BODY * LINE;
            self.space(GAP);
            self.ensure(label_height + SIGN_BOX);
            let top = self.y;
            let mut frames = Vec::new();
            for (i, lines) in wrapped.iter().enumerate() {
                let x = LEFT + i as f32 * (width + BETWEEN);
                self.y = top;
                let children = self.lines(lines, x, BODY, false);
                tree.push(Elem::with(Tag::P, children));
                if let Some(rect) = Rect::from_xywh(x, top + label_height, width, SIGN_BOX) {
                    frames.push(Draw::Rect {
                        rect,
                        fill: None,
                        stroke: true,
                    });
                }
            }
            self.artifact(ArtifactType::Layout, frames);
            self.y = top + label_height + SIGN_BOX;
        }
        self.y += GAP;
    }
}

// ---------------------------------------------------------------------------
// Writing the PDF.

fn draw(surface: &mut Surface<'_>, draws: &[Draw]) {
    for d in draws {
        match d {
            Draw::Text {
                x,
                baseline,
                size,
                bold,
                text,
            } => {
                let face = face(*bold);
                surface.set_fill(Some(Fill::default()));
                surface.set_stroke(None);
                surface.draw_glyphs(
                    Point::from_xy(*x, *baseline),
                    &face.glyphs(text),
                    face.font.clone(),
                    text,
                    *size,
                    false,
                );
            }
            Draw::Rect { rect, fill, stroke } => {
                let mut path = PathBuilder::new();
                path.push_rect(*rect);
                let Some(path) = path.finish() else { continue };
                surface.set_fill(fill.map(|color| Fill {
                    paint: color.into(),
                    opacity: NormalizedF32::ONE,
                    rule: Default::default(),
                }));
                surface.set_stroke(stroke.then(|| Stroke {
                    paint: rgb::Color::new(0, 0, 0).into(),
                    width: 0.75,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
    }
}

fn to_node(elem: Elem, ids: &[Option<Identifier>]) -> Result<TagGroup, PdfError> {
    let mut group = TagGroup::new(elem.tag);
    for child in elem.children {
        match child {
            Child::Elem(e) => group.push(to_node(e, ids)?),
            Child::Mark(i) => group.push(Node::Leaf(
                ids.get(i)
                    .copied()
                    .flatten()
                    .ok_or_else(|| PdfError(format!("content {i} was never drawn")))?,
            )),
        }
    }
    Ok(group)
}

fn outline(headings: &[Heading], title: &str) -> Outline {
    fn node(h: &Heading) -> OutlineNode {
        OutlineNode::new(
            h.text.clone(),
            XyzDestination::new(h.page, Point::from_xy(LEFT, h.y)),
        )
    }
    // Nest each heading under the last one of a lower level.
    fn nest(headings: &[Heading]) -> Vec<OutlineNode> {
        let mut nodes = Vec::new();
        let mut i = 0;
        while i < headings.len() {
            let level = headings[i].level;
            let end = headings[i + 1..]
                .iter()
                .position(|h| h.level <= level)
                .map_or(headings.len(), |p| i + 1 + p);
            let mut n = node(&headings[i]);
            for child in nest(&headings[i + 1..end]) {
                n.push_child(child);
            }
            nodes.push(n);
            i = end;
        }
        nodes
    }
    let mut outline = Outline::new();
    let nodes = nest(headings);
    if nodes.is_empty() {
        // PDF/UA wants an outline: the title, pointing at the first page.
        outline.push_child(OutlineNode::new(
            title.to_owned(),
            XyzDestination::new(0, Point::from_xy(LEFT, TOP)),
        ));
    }
    for n in nodes {
        outline.push_child(n);
    }
    outline
}

/// The blocks on pages, and the structure tree pointing at them.
fn lay_out(doc: &Document) -> Result<(Layout, Vec<Elem>), PdfError> {
    let mut layout = Layout::new();
    let mut tree = Vec::new();
    for block in &doc.blocks {
        layout.block(block, &mut tree)?;
    }
    Ok((layout, tree))
}

/// Lays out and writes the document as a tagged PDF/UA-1 file (PDF 1.7).
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    if doc.title.trim().is_empty() {
        return Err(PdfError("the document has no title".to_owned()));
    }
    let (layout, tree) = lay_out(doc)?;
    let pages = layout.page + 1;

    let configuration = ConfigurationBuilder::new()
        .with_accessibility_validator(Accessibility::UA1)
        .finish()
        .map_err(|e| PdfError(format!("configuration: {e:?}")))?;
    let mut pdf = PdfDocument::new_with(SerializeSettings {
        configuration,
        enable_tagging: true,
        ..Default::default()
    });
    let mut ids: Vec<Option<Identifier>> = vec![None; layout.marks.len()];
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid size");
    for page_index in 0..pages {
        let mut page = pdf.start_page_with(settings.clone());
        let mut surface = page.surface();
        for (i, mark) in layout.marks.iter().enumerate() {
            if mark.page != page_index {
                continue;
            }
            let tag = match mark.artifact {
                Some(kind) => ContentTag::Artifact(Artifact::with_kind(kind)),
                None => ContentTag::Span(SpanTag::empty()),
            };
            let id = surface.start_tagged(tag);
            draw(&mut surface, &mark.draws);
            surface.end_tagged();
            if mark.artifact.is_none() {
                ids[i] = Some(id);
            }
        }
        // « Page 1 sur 2 », right-aligned in the bottom margin.
        let number = format!("Page {} sur {pages}", page_index + 1);
        let width = face(false).width(&number, SMALL);
        surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(
            ArtifactType::PageNumber,
        )));
        draw(
            &mut surface,
            &[Draw::Text {
                x: LEFT + TEXT_WIDTH - width,
                baseline: PAGE_H - MARGIN / 2.0,
                size: SMALL,
                bold: false,
                text: number,
            }],
        );
        surface.end_tagged();
        surface.finish();
        page.finish();
    }

    let mut tag_tree = TagTree::new().with_lang(Some("fr".to_owned()));
    for elem in tree {
        tag_tree.push(to_node(elem, &ids)?);
    }
    pdf.set_tag_tree(tag_tree);
    pdf.set_outline(outline(&layout.headings, &doc.title));
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .description(doc.subject.clone())
            .authors(vec![doc.author.clone()])
            .language("fr".to_owned())
            .creator("EPoP".to_owned()),
    );
    pdf.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => {
            // The variant names (MissingHeadingTitle…), without the font data.
            let names: Vec<String> = errors
                .iter()
                .map(|(error, _)| {
                    let name = format!("{error:?}");
                    name.split('(').next().unwrap_or_default().to_owned()
                })
                .collect();
            PdfError(format!("not accessible (PDF/UA-1): {}", names.join(", ")))
        }
        other => PdfError(other.to_string()),
    })
}

// ---------------------------------------------------------------------------
// The documents.

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
fn attendance_sheet_document(s: &AttendanceSheet<'_>) -> Document {
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

#[cfg(test)]
mod tests {
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
}
