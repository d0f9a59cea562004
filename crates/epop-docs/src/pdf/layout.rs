//! The layout engine: A4 pages, 2 cm margins, blocks placed one after the
//! other with a new page when one is full, each piece of text marked in the
//! structure tree and everything else an artifact; then krilla writes the
//! tagged file and checks it against PDF/UA-1.

use std::num::NonZeroU16;

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
use krilla::{Document as PdfDocument, SerializeSettings};

use super::fonts::{face, wrap};
use super::{Block, Document, PdfError};

// Page geometry and type sizes (points, 1/72 inch; y grows downwards).

pub(super) const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
pub(super) const MARGIN: f32 = 56.69; // 2 cm
pub(super) const LEFT: f32 = MARGIN;
pub(super) const TOP: f32 = MARGIN;
pub(super) const BOTTOM: f32 = PAGE_H - MARGIN;
/// The width lines are wrapped to.
pub(super) const TEXT_WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
pub(super) const BODY: f32 = 11.0;
pub(super) const LINE: f32 = 1.5;
const SMALL: f32 = 10.0;
/// Space after a paragraph, a list, a table.
pub(super) const GAP: f32 = 9.0;
const CELL_PAD_X: f32 = 5.0;
const CELL_PAD_Y: f32 = 3.0;
/// A table row with an empty cell (a line to sign): 9 mm, so that a
/// half-day's attendance sheet for 40 people fits on two pages.
const SIGN_ROW: f32 = 25.5;
/// A signature box: 3 cm.
const SIGN_BOX: f32 = 85.0;
const BULLET_INDENT: f32 = 18.0;
/// A QR code with its quiet zone: 5 cm, read from arm's length.
const QR_SIDE: f32 = 141.7;

pub(super) fn heading_size(level: u8) -> f32 {
    match level {
        1 => 20.0,
        2 => 15.0,
        _ => 13.0,
    }
}

// ---------------------------------------------------------------------------
// Layout: blocks become marked pieces of content on pages, and a structure tree
// whose leaves point at those pieces.

#[derive(Debug, Clone)]
pub(super) enum Draw {
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
    /// A straight line (a chart's axis or hatching).
    Line {
        from: (f32, f32),
        to: (f32, f32),
        color: rgb::Color,
        width: f32,
    },
}

/// One marked-content sequence on a page.
pub(super) struct Mark {
    page: usize,
    pub(super) draws: Vec<Draw>,
    /// `None`: real content (a leaf of the structure tree).
    artifact: Option<ArtifactType>,
}

/// The structure tree before krilla's identifiers exist.
pub(super) struct Elem {
    tag: TagKind,
    children: Vec<Child>,
}

pub(super) enum Child {
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

pub(super) struct Heading {
    level: u8,
    text: String,
    page: usize,
    y: f32,
}

pub(super) struct Layout {
    page: usize,
    y: f32,
    pub(super) marks: Vec<Mark>,
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
            Block::QrCode { url, alt } => self.qr_code(url, alt, tree),
            Block::Chart(section) => super::chart::chart(self, section, tree),
        }
    }

    /// Makes room for a drawing `height` tall (on a new page if need be)
    /// and returns where its top is.
    pub(super) fn reserve(&mut self, height: f32) -> f32 {
        self.space(GAP);
        self.ensure(height);
        self.y
    }

    /// Tags `draws` as one figure whose text alternative is `alt`, and
    /// moves below it, `height` under the top [`Layout::reserve`] gave.
    pub(super) fn figure(
        &mut self,
        draws: Vec<Draw>,
        alt: &str,
        height: f32,
        tree: &mut Vec<Elem>,
    ) -> Result<(), PdfError> {
        if alt.trim().is_empty() {
            return Err(PdfError("a figure needs its text alternative".to_owned()));
        }
        let figure = self.content(draws);
        tree.push(Elem::with(
            Tag::Figure(Some(alt.trim().to_owned())),
            vec![figure],
        ));
        self.y += height + GAP;
        Ok(())
    }

    /// A QR code: its dark modules as black rectangles (one per run of a
    /// row), inside a quiet zone of 4 modules, tagged as one figure.
    fn qr_code(&mut self, url: &str, alt: &str, tree: &mut Vec<Elem>) -> Result<(), PdfError> {
        if alt.trim().is_empty() {
            return Err(PdfError("a QR code needs its text alternative".to_owned()));
        }
        let code = qrcode::QrCode::new(url.as_bytes())
            .map_err(|e| PdfError(format!("QR code for {url}: {e}")))?;
        let n = code.width();
        let dark: Vec<bool> = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        let module = QR_SIDE / (n + 8) as f32;
        let top = self.reserve(QR_SIDE);
        let (x0, y0) = (LEFT + 4.0 * module, top + 4.0 * module);
        let mut draws = Vec::new();
        for (row, modules) in dark.chunks(n).enumerate() {
            let mut col = 0;
            while col < n {
                let start = col;
                while col < n && modules[col] {
                    col += 1;
                }
                if col > start {
                    let rect = Rect::from_xywh(
                        x0 + start as f32 * module,
                        y0 + row as f32 * module,
                        (col - start) as f32 * module,
                        module,
                    )
                    .ok_or_else(|| PdfError("QR code module".to_owned()))?;
                    draws.push(Draw::Rect {
                        rect,
                        fill: Some(rgb::Color::new(0, 0, 0)),
                        stroke: false,
                    });
                } else {
                    col += 1;
                }
            }
        }
        self.figure(draws, alt, QR_SIDE, tree)
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
        let widths = fit_headers(widths, headers);
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

/// Widens the columns whose header has a word wider than the column, taking
/// the room from the others' spare width (what their own header words do
/// not need), so that a header never breaks inside a word. When the words
/// together are wider than the page, each column gets its share of the page
/// in proportion to its longest word.
fn fit_headers(mut widths: Vec<f32>, headers: &[String]) -> Vec<f32> {
    let need: Vec<f32> = headers
        .iter()
        .map(|h| {
            super::fonts::words(h)
                .iter()
                .map(|w| face(true).width(w, BODY))
                .fold(0.0, f32::max)
                + 2.0 * CELL_PAD_X
                + 0.5
        })
        .collect();
    let missing: f32 = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| (n - w).max(0.0))
        .sum();
    if missing <= 0.0 {
        return widths;
    }
    let spare: f32 = widths
        .iter()
        .zip(&need)
        .map(|(w, n)| (w - n).max(0.0))
        .sum();
    if spare < missing {
        let total: f32 = need.iter().sum();
        return need.iter().map(|n| n / total * TEXT_WIDTH).collect();
    }
    for (w, n) in widths.iter_mut().zip(&need) {
        *w = if *w < *n {
            *n
        } else {
            *w - (*w - n) / spare * missing
        };
    }
    widths
}

pub(super) fn draw(surface: &mut Surface<'_>, draws: &[Draw]) {
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
            Draw::Line {
                from,
                to,
                color,
                width,
            } => {
                let mut path = PathBuilder::new();
                path.move_to(from.0, from.1);
                path.line_to(to.0, to.1);
                let Some(path) = path.finish() else { continue };
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: (*color).into(),
                    width: *width,
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

pub(super) fn outline(headings: &[Heading], title: &str) -> Outline {
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
pub(super) fn lay_out(doc: &Document) -> Result<(Layout, Vec<Elem>), PdfError> {
    let mut layout = Layout::new();
    let mut tree = Vec::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        // A heading starts a new page rather than leave its chart alone.
        if let Some(height) = super::chart::kept_with_heading(&doc.blocks[i..]) {
            layout.ensure(height);
        }
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
