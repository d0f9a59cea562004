//! A report section's chart in a PDF ([`Block::Chart`](super::Block)),
//! drawn as vector shapes like its web twin (`epop_web::charts`): `Bars`
//! horizontal, `Months` vertical in order, `Parts` one bar split in parts
//! with a legend in words. Every value is written next to its bar; a hidden
//! figure draws no bar, only « moins de 5 ». Parts alternate light and dark
//! colours (≥ 3:1 against their neighbours and the page) and each has its
//! own hatching, with a white gap between them.
//!
//! The whole drawing is one figure in the structure tree; its text
//! alternative ([`in_words`]) is the section's summary followed by all its
//! figures in words, so that a screen reader user loses nothing (the table
//! that follows holds them too).

use epop_domain::figures::{Cell, Chart, PARTS_HIDDEN, Row, Section, short_label};
use krilla::color::rgb;
use krilla::geom::Rect;

use super::fonts::{face, wrap};
use super::layout::{BODY, Draw, Elem, GAP, LEFT, LINE, Layout, TEXT_WIDTH, heading_size};
use super::{Block, PdfError};

/// Text size on charts.
const LABEL: f32 = 9.0;
type Rgb = (u8, u8, u8);
const INK: Rgb = (0x22, 0x1c, 0x18);
const WHITE: Rgb = (255, 255, 255);
const BAR: Rgb = (0x0a, 0x55, 0x61);
/// The parts' colours, light and dark alternating (the same as the web's).
const PARTS: [Rgb; 6] = [
    (0xe0, 0x60, 0x2a),
    (0x4a, 0x1d, 0x5c),
    (0x7d, 0x8f, 0x1f),
    (0x0a, 0x3d, 0x45),
    (0x6d, 0x8f, 0xd0),
    (0x5c, 0x1a, 0x1a),
];

fn colour((r, g, b): Rgb) -> rgb::Color {
    rgb::Color::new(r, g, b)
}

/// The section's summary, then each row's figures in words: « Demandes par
/// mois. Les demandes montent. Les chiffres : janv. 2026 : Demandes 1 234,
/// Heures 12,5 heures ; févr. 2026 : Demandes moins de 5… ».
pub fn in_words(section: &Section) -> String {
    let rows: Vec<String> = section
        .rows
        .iter()
        .map(|r| {
            let cells: Vec<String> = r
                .cells
                .iter()
                .enumerate()
                .map(|(i, c)| match section.columns.get(i + 1) {
                    Some(column) => format!("{column} {}", c.shown()),
                    None => c.shown(),
                })
                .collect();
            format!("{} : {}", r.label, cells.join(", "))
        })
        .collect();
    format!(
        "{}. {} Les chiffres : {}.",
        section.title.trim_end_matches('.'),
        section.summary,
        rows.join(" ; ")
    )
}

/// The height of the chart drawn for `section` (0 when none).
fn height(section: &Section) -> f32 {
    let rows = section.rows.len() as f32;
    match section.chart {
        _ if section.rows.is_empty() => 0.0,
        Chart::None => 0.0,
        Chart::Bars => rows * BAR_ROW,
        Chart::Months => MONTHS_PLOT + 4.0 * LABEL + 12.0,
        Chart::Parts => {
            let note = if section.rows.iter().any(is_hidden) {
                1.0
            } else {
                0.0
            };
            PART_BAR + 8.0 + (rows + note) * LEGEND_ROW
        }
    }
}

/// When `blocks` start with a heading, its sentence and a chart: the
/// height the three take together, to keep them on one page.
pub(super) fn kept_with_heading(blocks: &[Block]) -> Option<f32> {
    let [
        Block::Heading { level, text },
        Block::Paragraph(summary),
        Block::Chart(section),
        ..,
    ] = blocks
    else {
        return None;
    };
    let size = heading_size(*level);
    let lines =
        |text: &str, bold, size| wrap(text, bold, size, TEXT_WIDTH).len() as f32 * size * LINE;
    Some(
        lines(text, true, size)
            + size * 0.9
            + lines(summary, false, BODY)
            + 2.0 * GAP
            + height(section),
    )
}

/// Draws `section`'s chart (nothing when it has none) as one tagged figure.
pub(super) fn chart(
    layout: &mut Layout,
    section: &Section,
    tree: &mut Vec<Elem>,
) -> Result<(), PdfError> {
    let rows = &section.rows;
    if rows.is_empty() || section.chart == Chart::None {
        return Ok(());
    }
    let height = height(section);
    let top = layout.reserve(height);
    let draws = match section.chart {
        Chart::Bars => bars(rows, top),
        Chart::Months => months(rows, top),
        _ => parts(rows, top),
    };
    layout.figure(draws, &in_words(section), height, tree)
}

/// The value drawn for a row (its first cell) and the words next to it.
fn value(row: &Row) -> (Option<f32>, String) {
    match row.cells.first() {
        Some(cell) => (
            cell.plotted().filter(|v| *v >= 0.0).map(|v| v as f32),
            cell.shown(),
        ),
        None => (None, String::new()),
    }
}

fn is_hidden(row: &Row) -> bool {
    matches!(row.cells.first(), Some(Cell::Count(f)) if f.exact().is_none())
}

fn largest(rows: &[Row]) -> f32 {
    rows.iter()
        .filter_map(|r| value(r).0)
        .fold(0.0, f32::max)
        .max(f32::MIN_POSITIVE)
}

fn text(x: f32, baseline: f32, size: f32, text: &str) -> Draw {
    Draw::Text {
        x,
        baseline,
        size,
        bold: false,
        text: text.to_owned(),
    }
}

fn width(s: &str, size: f32) -> f32 {
    face(false).width(s, size)
}

/// A label cut to fit `room` (the table that follows says it whole).
fn fit(label: &str, size: f32, room: f32) -> String {
    let mut s = label.to_owned();
    while width(&s, size) > room && s.chars().count() > 2 {
        s.pop();
        s.pop();
        s.push('…');
    }
    s
}

fn rect(x: f32, y: f32, w: f32, h: f32, fill: Rgb) -> Option<Draw> {
    Rect::from_xywh(x, y, w, h).map(|rect| Draw::Rect {
        rect,
        fill: Some(colour(fill)),
        stroke: false,
    })
}

const BAR_ROW: f32 = 28.0;

fn bars(rows: &[Row], top: f32) -> Vec<Draw> {
    let room = rows
        .iter()
        .map(|r| width(&value(r).1, LABEL))
        .fold(0.0, f32::max)
        + 8.0;
    let span = (TEXT_WIDTH - room).max(TEXT_WIDTH / 3.0);
    let max = largest(rows);
    let mut draws = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let y = top + i as f32 * BAR_ROW;
        draws.push(text(
            LEFT,
            y + LABEL,
            LABEL,
            &fit(&row.label, LABEL, TEXT_WIDTH),
        ));
        let (drawn, shown) = value(row);
        let length = drawn.map_or(0.0, |v| v / max * span);
        let bar_y = y + LABEL + 3.0;
        draws.extend(rect(LEFT, bar_y, length, 12.0, BAR));
        let gap = if length > 0.0 { 4.0 } else { 0.0 };
        draws.push(text(LEFT + length + gap, bar_y + 9.5, LABEL, &shown));
    }
    draws
}

const MONTHS_PLOT: f32 = 110.0;

fn months(rows: &[Row], top: f32) -> Vec<Draw> {
    let slot = TEXT_WIDTH / rows.len() as f32;
    let size = if slot >= 36.0 { 8.0 } else { 6.0 };
    let axis = top + 2.0 * LABEL + 4.0 + MONTHS_PLOT;
    let bar = slot * 0.6;
    let max = largest(rows);
    let mut draws = Vec::new();
    let centred = |draws: &mut Vec<Draw>, centre: f32, baseline: f32, s: &str| {
        draws.push(text(centre - width(s, size) / 2.0, baseline, size, s));
    };
    for (i, row) in rows.iter().enumerate() {
        let centre = LEFT + (i as f32 + 0.5) * slot;
        let (drawn, shown) = value(row);
        let height = drawn.map_or(0.0, |v| v / max * MONTHS_PLOT);
        draws.extend(rect(centre - bar / 2.0, axis - height, bar, height, BAR));
        let words: Vec<&str> = if is_hidden(row) {
            vec!["moins", "de 5"]
        } else {
            vec![shown.as_str()]
        };
        let first = axis - height - 3.0 - (words.len() - 1) as f32 * size * 1.2;
        for (j, w) in words.iter().enumerate() {
            centred(&mut draws, centre, first + j as f32 * size * 1.2, w);
        }
        let label = short_label(&row.label);
        let (a, b) = label.split_once(' ').unwrap_or((label.as_str(), ""));
        for (j, w) in [a, b].iter().filter(|w| !w.is_empty()).enumerate() {
            centred(
                &mut draws,
                centre,
                axis + size + 3.0 + j as f32 * size * 1.2,
                w,
            );
        }
    }
    draws.push(Draw::Line {
        from: (LEFT, axis),
        to: (LEFT + TEXT_WIDTH, axis),
        color: colour(INK),
        width: 0.75,
    });
    draws
}

const PART_BAR: f32 = 24.0;
const LEGEND_ROW: f32 = 16.0;

/// A rectangle in part style `i`: its colour, then its hatching over it.
fn part(draws: &mut Vec<Draw>, i: usize, x: f32, y: f32, w: f32, h: f32) {
    let style = i % PARTS.len();
    draws.extend(rect(x, y, w, h, PARTS[style]));
    let ink = if style % 2 == 1 { WHITE } else { INK };
    let line = |from, to| Draw::Line {
        from,
        to,
        color: colour(ink),
        width: 0.6,
    };
    // The hatching, tile by tile (only whole tiles: no clipping needed).
    const TILE: f32 = 5.0;
    let (cols, lines) = ((w / TILE).floor() as usize, (h / TILE).floor() as usize);
    let (x0, y0) = (
        x + (w - cols as f32 * TILE) / 2.0,
        y + (h - lines as f32 * TILE) / 2.0,
    );
    for r in 0..lines {
        for c in 0..cols {
            let (tx, ty) = (x0 + c as f32 * TILE, y0 + r as f32 * TILE);
            match style {
                0 => draws.push(line((tx, ty + TILE), (tx + TILE, ty))),
                1 => draws.extend(rect(tx + 1.8, ty + 1.8, 1.4, 1.4, ink)),
                3 => {
                    draws.push(line((tx, ty), (tx + TILE, ty + TILE)));
                    draws.push(line((tx, ty + TILE), (tx + TILE, ty)));
                }
                _ => {}
            }
        }
    }
    if style == 2 || style == 5 {
        for r in 0..lines {
            let ly = y0 + (r as f32 + 0.5) * TILE;
            draws.push(line((x, ly), (x + w, ly)));
        }
    }
    if style == 4 || style == 5 {
        for c in 0..cols {
            let lx = x0 + (c as f32 + 0.5) * TILE;
            draws.push(line((lx, y), (lx, y + h)));
        }
    }
}

fn parts(rows: &[Row], top: f32) -> Vec<Draw> {
    let total: f32 = rows.iter().filter_map(|r| value(r).0).sum();
    let mut draws = Vec::new();
    let mut x = LEFT;
    for (i, row) in rows.iter().enumerate() {
        let Some(v) = value(row).0.filter(|v| *v > 0.0) else {
            continue;
        };
        let w = v / total * TEXT_WIDTH;
        // A white gap of 1.5 pt between parts.
        part(&mut draws, i, x, top, (w - 1.5).max(0.5), PART_BAR);
        x += w;
    }
    for (i, row) in rows.iter().enumerate() {
        let y = top + PART_BAR + 8.0 + i as f32 * LEGEND_ROW;
        part(&mut draws, i, LEFT, y, 11.0, 11.0);
        let words = format!("{} : {}", row.label, value(row).1);
        draws.push(text(
            LEFT + 18.0,
            y + 9.0,
            LABEL,
            &fit(&words, LABEL, TEXT_WIDTH - 18.0),
        ));
    }
    if rows.iter().any(is_hidden) {
        let y = top + PART_BAR + 8.0 + rows.len() as f32 * LEGEND_ROW;
        draws.push(text(
            LEFT,
            y + 9.0,
            LABEL,
            &fit(PARTS_HIDDEN, LABEL, TEXT_WIDTH),
        ));
    }
    draws
}
