//! The charts of the indicator reports, drawn on the server as SVG (no
//! JavaScript), one per [`Section`] whose [`Chart`] is not `None`: `Bars`
//! (horizontal, one per row), `Months` (vertical, in order) and `Parts`
//! (one bar split in parts, with a legend in words).
//!
//! Each chart is an image (`role="img"`) named by its `<title>` (the
//! section's title) and described by its `<desc>` (the section's one-sentence
//! summary); the table beside it holds the same figures for those who read
//! rather than look. Every value is written as text next to its bar; a
//! hidden figure (« moins de 5 ») draws no bar, only those words. Parts are
//! told apart by their colour (≥ 3:1 against their neighbours and the
//! background, light and dark alternating) AND a hatching of their own, and
//! white gaps separate them. The drawing scales with its `viewBox` to the
//! width of its container (no overflow at 200 % zoom); colours and strokes
//! are CSS classes of `static/style.css` (`.chart*`): no `style` attribute,
//! so the strict content security policy holds.

use std::fmt::Write;

use crate::map::Markup;
use epop_domain::figures::{Cell, Chart, PARTS_HIDDEN, Row, Section, short_label};

/// The drawing's width, in its own units (it is scaled to its container).
const WIDTH: f64 = 640.0;
const PAD: f64 = 8.0;
/// Text sizes, in drawing units.
const TEXT: f64 = 14.0;
const SMALL: f64 = 12.0;
/// How many parts have their own colour and hatching before they repeat.
pub const PART_STYLES: usize = 6;

/// The chart of `section`, or nothing when it has none (or no rows).
pub fn chart(section: &Section) -> Markup {
    if section.rows.is_empty() {
        return Markup(String::new());
    }
    let (height, body) = match section.chart {
        Chart::None => return Markup(String::new()),
        Chart::Bars => bars(&section.rows),
        Chart::Months => months(&section.rows),
        Chart::Parts => parts(&section.code, &section.rows),
    };
    let id = format!("chart-{}", escape(&section.code));
    Markup(format!(
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" role=\"img\" \
         aria-labelledby=\"{id}-titre {id}-desc\" focusable=\"false\">\
         <title id=\"{id}-titre\">{}</title><desc id=\"{id}-desc\">{}</desc>\
         <rect class=\"chart-ground\" width=\"{WIDTH}\" height=\"{height}\"/>{body}</svg>",
        escape(&section.title),
        escape(&section.summary),
    ))
}

/// The value drawn for a row (its first cell) and the words written next
/// to it.
fn value(row: &Row) -> (Option<f64>, String) {
    match row.cells.first() {
        Some(cell) => (cell.plotted().filter(|v| *v >= 0.0), cell.shown()),
        None => (None, String::new()),
    }
}

fn is_hidden(row: &Row) -> bool {
    matches!(row.cells.first(), Some(Cell::Count(f)) if f.exact().is_none())
}

/// The largest value drawn (at least 1, so that all zeros draw nothing).
fn largest(rows: &[Row]) -> f64 {
    rows.iter()
        .filter_map(|r| value(r).0)
        .fold(0.0, f64::max)
        .max(f64::MIN_POSITIVE)
}

/// A label cut to `max` characters (the table beside says it whole).
fn cut(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max - 1).collect();
        s.push('…');
        s
    }
}

/// A rough width of `text` at `size` (proportional font, ~0.56 em a
/// character), enough to keep labels apart.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// Horizontal bars: each row's label above its bar, its value just after.
fn bars(rows: &[Row]) -> (f64, String) {
    const ROW: f64 = 50.0;
    // Room kept right of the longest bar for its value.
    let room = rows
        .iter()
        .map(|r| text_width(&value(r).1, TEXT))
        .fold(0.0, f64::max)
        + 2.0 * PAD;
    let span = (WIDTH - 2.0 * PAD - room).max(WIDTH / 3.0);
    let max = largest(rows);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let top = PAD + i as f64 * ROW;
        let _ = write!(
            out,
            "<text class=\"chart-label\" x=\"{PAD}\" y=\"{:.1}\">{}</text>",
            top + TEXT,
            escape(&cut(&row.label, 70))
        );
        let (drawn, shown) = value(row);
        let bar_top = top + TEXT + 6.0;
        let length = drawn.map_or(0.0, |v| v / max * span);
        if drawn.is_some() && length > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"chart-bar\" x=\"{PAD}\" y=\"{bar_top:.1}\" width=\"{length:.1}\" height=\"22\"/>"
            );
        }
        let class = if is_hidden(row) {
            "chart-value chart-hidden"
        } else {
            "chart-value"
        };
        let _ = write!(
            out,
            "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            PAD + length + if length > 0.0 { 6.0 } else { 0.0 },
            bar_top + 16.0,
            escape(&shown)
        );
    }
    (2.0 * PAD + rows.len() as f64 * ROW, out)
}

/// Vertical bars in the rows' order (months), each value above its bar and
/// each label under it on two lines (« janv. » / « 2026 »).
fn months(rows: &[Row]) -> (f64, String) {
    const PLOT: f64 = 180.0;
    let top = PAD + 2.0 * SMALL + 6.0;
    let axis = top + PLOT;
    let slot = (WIDTH - 2.0 * PAD) / rows.len() as f64;
    // Small text for up to 14 months, smaller beyond (CSS classes: a
    // presentation attribute would lose against the stylesheet).
    let (size, small) = if slot >= 40.0 {
        (SMALL, "chart-small")
    } else {
        (9.0, "chart-tiny")
    };
    let bar = slot * 0.6;
    let max = largest(rows);
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        let centre = PAD + (i as f64 + 0.5) * slot;
        let (drawn, shown) = value(row);
        let height = drawn.map_or(0.0, |v| v / max * PLOT);
        if height > 0.0 {
            let _ = write!(
                out,
                "<rect class=\"chart-bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{bar:.1}\" height=\"{height:.1}\"/>",
                centre - bar / 2.0,
                axis - height
            );
        }
        // « moins de 5 » on two lines, to fit a month's width.
        let value_lines: Vec<&str> = if is_hidden(row) {
            vec!["moins", "de 5"]
        } else {
            vec![shown.as_str()]
        };
        let class = if is_hidden(row) {
            format!("chart-value chart-hidden {small}")
        } else {
            format!("chart-value {small}")
        };
        let first = axis - height - 6.0 - (value_lines.len() - 1) as f64 * size;
        lines(
            &mut out,
            &class,
            centre,
            first,
            size,
            value_lines.iter().copied(),
        );
        let label = short_label(&row.label);
        let (a, b) = label.split_once(' ').unwrap_or((label.as_str(), ""));
        lines(
            &mut out,
            &format!("chart-label {small}"),
            centre,
            axis + size + 4.0,
            size,
            [a, b].into_iter().filter(|l| !l.is_empty()),
        );
    }
    let _ = write!(
        out,
        "<line class=\"chart-axis\" x1=\"{PAD}\" y1=\"{axis:.1}\" x2=\"{:.1}\" y2=\"{axis:.1}\"/>",
        WIDTH - PAD
    );
    (axis + 2.0 * size + 4.0 + PAD + 4.0, out)
}

/// Centred lines of text, the first baseline at `y`.
fn lines<'a>(
    out: &mut String,
    class: &str,
    x: f64,
    y: f64,
    size: f64,
    texts: impl Iterator<Item = &'a str>,
) {
    for (i, t) in texts.enumerate() {
        let _ = write!(
            out,
            "<text class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            y + i as f64 * size,
            escape(t)
        );
    }
}

/// One bar split in parts (each row's share of the rows drawn), then a
/// legend: a swatch drawn like the part, its label and its value in words.
/// A hidden figure has no part; its legend line says « moins de 5 ».
fn parts(code: &str, rows: &[Row]) -> (f64, String) {
    const BAR: f64 = 44.0;
    const LEGEND_ROW: f64 = 30.0;
    let prefix = format!("chart-{}", escape(code));
    let mut out = String::from("<defs>");
    for i in 0..PART_STYLES.min(rows.len()) {
        let _ = write!(
            out,
            "<pattern id=\"{prefix}-motif-{i}\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\">\
             <rect class=\"chart-part-{i}\" width=\"8\" height=\"8\"/>{}</pattern>",
            hatch(i)
        );
    }
    out.push_str("</defs>");
    let total: f64 = rows.iter().filter_map(|r| value(r).0).sum();
    let span = WIDTH - 2.0 * PAD;
    let mut x = PAD;
    for (i, row) in rows.iter().enumerate() {
        let Some(v) = value(row).0.filter(|v| *v > 0.0) else {
            continue;
        };
        let width = v / total * span;
        let _ = write!(
            out,
            "<rect class=\"chart-part\" x=\"{x:.1}\" y=\"{PAD}\" width=\"{width:.1}\" height=\"{BAR}\" fill=\"url(#{prefix}-motif-{})\"/>",
            i % PART_STYLES
        );
        x += width;
    }
    for (i, row) in rows.iter().enumerate() {
        let top = 2.0 * PAD + BAR + 8.0 + i as f64 * LEGEND_ROW;
        let _ = write!(
            out,
            "<rect class=\"chart-swatch\" x=\"{PAD}\" y=\"{top:.1}\" width=\"22\" height=\"22\" fill=\"url(#{prefix}-motif-{})\"/>\
             <text class=\"chart-label\" x=\"{:.1}\" y=\"{:.1}\">{} : {}</text>",
            i % PART_STYLES,
            PAD + 32.0,
            top + 16.0,
            escape(&cut(&row.label, 60)),
            escape(&value(row).1)
        );
    }
    let mut lines = rows.len();
    if rows.iter().any(is_hidden) {
        let _ = write!(
            out,
            "<text class=\"chart-label chart-small\" x=\"{PAD}\" y=\"{:.1}\">{PARTS_HIDDEN}</text>",
            2.0 * PAD + BAR + 8.0 + lines as f64 * LEGEND_ROW + 16.0
        );
        lines += 1;
    }
    (3.0 * PAD + BAR + 8.0 + lines as f64 * LEGEND_ROW, out)
}

/// The hatching of part style `i` (over its colour): diagonal lines, dots,
/// horizontal lines, a cross-hatch, vertical lines, a grid.
fn hatch(i: usize) -> &'static str {
    match i % PART_STYLES {
        0 => "<path class=\"chart-hatch-on-light\" d=\"M0 8L8 0M-2 2L2 -2M6 10L10 6\"/>",
        1 => "<circle class=\"chart-dot-on-dark\" cx=\"4\" cy=\"4\" r=\"1.6\"/>",
        2 => "<path class=\"chart-hatch-on-light\" d=\"M0 4H8\"/>",
        3 => "<path class=\"chart-hatch-on-dark\" d=\"M0 0L8 8M8 0L0 8\"/>",
        4 => "<path class=\"chart-hatch-on-light\" d=\"M4 0V8\"/>",
        _ => "<path class=\"chart-hatch-on-dark\" d=\"M0 4H8M4 0V8\"/>",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use epop_domain::questionnaire::small::{FEWER, Figure};

    fn section(chart: Chart, rows: Vec<(&str, Cell)>) -> Section {
        Section {
            code: "essai".to_owned(),
            title: "Demandes <reçues> & étudiées".to_owned(),
            summary: "Les demandes reçues chaque mois de l’année.".to_owned(),
            chart,
            columns: vec!["Mois".to_owned(), "Demandes".to_owned()],
            rows: rows
                .into_iter()
                .map(|(label, cell)| Row {
                    label: label.to_owned(),
                    cells: vec![cell],
                })
                .collect(),
            note: String::new(),
        }
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML ({e}):\n{svg}"))
    }

    fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().to_owned())
            .collect()
    }

    fn count(doc: &roxmltree::Document<'_>, class: &str) -> usize {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some(class))
            .count()
    }

    /// The image is named by its title and described by its summary.
    fn assert_named(doc: &roxmltree::Document<'_>) {
        let svg = doc.root_element();
        assert_eq!(svg.attribute("role"), Some("img"));
        assert_eq!(
            svg.attribute("aria-labelledby"),
            Some("chart-essai-titre chart-essai-desc")
        );
        let by_id = |id: &str| {
            doc.descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap_or_else(|| panic!("no #{id}"))
        };
        let title = by_id("chart-essai-titre");
        assert!(title.has_tag_name("title"));
        assert_eq!(title.text(), Some("Demandes <reçues> & étudiées"));
        let desc = by_id("chart-essai-desc");
        assert!(desc.has_tag_name("desc"));
        assert_eq!(
            desc.text(),
            Some("Les demandes reçues chaque mois de l’année.")
        );
        assert!(svg.attribute("style").is_none());
        assert!(doc.descendants().all(|n| n.attribute("style").is_none()));
    }

    #[test]
    fn bars_label_every_value_and_draw_no_bar_for_a_hidden_one() {
        let s = section(
            Chart::Bars,
            vec![
                ("Établissement médico-social", Cell::things(1234)),
                ("Association", Cell::things(40)),
                ("Entreprise", Cell::Count(Figure::FewerThanFive)),
                ("Collectivité", Cell::things(0)),
            ],
        );
        let svg = chart(&s).to_string();
        let doc = parse(&svg);
        assert_named(&doc);
        let texts = texts(&doc);
        for expected in [
            "Établissement médico-social",
            "1\u{a0}234",
            "Association",
            "40",
            "Entreprise",
            "moins de 5",
            "Collectivité",
            "0",
        ] {
            assert!(
                texts.iter().any(|t| t == expected),
                "{expected} in {texts:?}"
            );
        }
        // Two bars: 1 234 and 40; none for the hidden figure nor for 0.
        assert_eq!(count(&doc, "chart-bar"), 2);
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-bar"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        let ratio = widths[0] / widths[1];
        assert!((ratio - 1234.0 / 40.0).abs() < 1.0, "{widths:?}");
        assert_eq!(count(&doc, "chart-value chart-hidden"), 1);
        // Everything inside the drawing.
        for w in widths {
            assert!(w <= WIDTH - 2.0 * PAD);
        }
    }

    #[test]
    fn months_in_order_with_hidden_months_in_words() {
        let names = [
            "janv. 2026",
            "févr. 2026",
            "mars 2026",
            "avr. 2026",
            "mai 2026",
            "juin 2026",
            "juil. 2026",
            "août 2026",
            "sept. 2026",
            "oct. 2026",
            "nov. 2026",
            "déc. 2026",
        ];
        let rows = names
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let cell = if i == 3 {
                    Cell::Count(Figure::FewerThanFive)
                } else {
                    Cell::things(10 * i as u64 + 5)
                };
                (*n, cell)
            })
            .collect();
        let svg = chart(&section(Chart::Months, rows)).to_string();
        let doc = parse(&svg);
        assert_named(&doc);
        assert_eq!(count(&doc, "chart-bar"), 11);
        let texts = texts(&doc);
        for i in (0..12).filter(|i| *i != 3) {
            let v = (10 * i + 5).to_string();
            assert!(texts.contains(&v), "{v} in {texts:?}");
        }
        assert!(texts.contains(&"moins".to_owned()) && texts.contains(&"de 5".to_owned()));
        // Labels under the bars in the rows' order.
        let months: Vec<&String> = texts
            .iter()
            .filter(|t| t.ends_with('.') || ["mars", "mai", "juin", "août"].contains(&t.as_str()))
            .collect();
        assert_eq!(months.first().map(|s| s.as_str()), Some("janv."));
        // Full names are shortened to fit (the table says them whole).
        let long = chart(&section(
            Chart::Months,
            vec![("septembre 2024", Cell::things(3))],
        ))
        .to_string();
        assert!(super::tests::texts(&parse(&long)).contains(&"sept.".to_owned()));
        assert_eq!(months.last().map(|s| s.as_str()), Some("déc."));
        // Bars left to right, growing as the values do.
        let xs: Vec<f64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-bar"))
            .map(|n| n.attribute("x").unwrap().parse().unwrap())
            .collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]));
        let view: Vec<f64> = doc
            .root_element()
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        for n in doc.descendants().filter(|n| n.has_tag_name("rect")) {
            let y: f64 = n.attribute("y").unwrap_or("0").parse().unwrap();
            let h: f64 = n.attribute("height").unwrap().parse().unwrap();
            assert!(y >= 0.0 && y + h <= view[3], "outside: {y} + {h}");
        }
    }

    #[test]
    fn parts_have_their_own_pattern_and_a_legend_in_words() {
        let s = section(
            Chart::Parts,
            vec![
                ("Pas du tout", Cell::Count(Figure::FewerThanFive)),
                ("Un peu", Cell::things(6)),
                ("Moyennement", Cell::things(12)),
                ("Beaucoup", Cell::things(30)),
                ("Tout à fait", Cell::things(52)),
            ],
        );
        let svg = chart(&s).to_string();
        let doc = parse(&svg);
        assert_named(&doc);
        // Four parts drawn: the hidden one has none.
        let parts: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("chart-part"))
            .collect();
        assert_eq!(parts.len(), 4);
        let fills: Vec<&str> = parts.iter().map(|n| n.attribute("fill").unwrap()).collect();
        assert_eq!(
            fills,
            [
                "url(#chart-essai-motif-1)",
                "url(#chart-essai-motif-2)",
                "url(#chart-essai-motif-3)",
                "url(#chart-essai-motif-4)"
            ]
        );
        let width: f64 = parts
            .iter()
            .map(|n| n.attribute("width").unwrap().parse::<f64>().unwrap())
            .sum();
        assert!((width - (WIDTH - 2.0 * PAD)).abs() < 0.5, "{width}");
        // Each pattern has a colour of its own and a hatching of its own.
        let patterns: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("pattern"))
            .collect();
        assert_eq!(patterns.len(), 5);
        let hatchings: std::collections::BTreeSet<String> = patterns
            .iter()
            .map(|p| {
                p.children()
                    .filter(|c| c.is_element())
                    .map(|c| format!("{:?}{:?}", c.attribute("d"), c.attribute("r")))
                    .collect::<String>()
            })
            .collect();
        assert_eq!(hatchings.len(), 5);
        let texts = texts(&doc);
        for line in [
            "Pas du tout : moins de 5",
            "Un peu : 6",
            "Moyennement : 12",
            "Beaucoup : 30",
            "Tout à fait : 52",
        ] {
            assert!(texts.iter().any(|t| t == line), "{line} in {texts:?}");
        }
        assert_eq!(count(&doc, "chart-swatch"), 5);
        // The bar shares out only the parts said, and says so.
        assert!(texts.iter().any(|t| t == PARTS_HIDDEN));
    }

    #[test]
    fn no_chart_when_the_table_says_it_all() {
        assert_eq!(
            chart(&section(Chart::None, vec![("Total", Cell::things(3))])).to_string(),
            ""
        );
        assert_eq!(chart(&section(Chart::Bars, vec![])).to_string(), "");
        // All hidden: no bar at all, the words only.
        let svg = chart(&section(
            Chart::Bars,
            vec![("Un", Cell::Count(Figure::FewerThanFive))],
        ))
        .to_string();
        let doc = parse(&svg);
        assert_eq!(count(&doc, "chart-bar"), 0);
        assert!(texts(&doc).contains(&FEWER.to_owned()));
    }

    /// The colours of the parts (in `static/style.css`): each ≥ 3:1 against
    /// the page and the chart's ground, and against the next part.
    #[test]
    fn part_colours_contrast_with_their_neighbours_and_the_ground() {
        let css = include_str!("../static/style.css");
        let colour = |class: &str| -> String {
            let start = css
                .find(&format!(".{class} {{ fill: #"))
                .unwrap_or_else(|| panic!("no .{class} fill in style.css"));
            let hex = &css[start + class.len() + 11..start + class.len() + 17];
            hex.to_owned()
        };
        let parts: Vec<String> = (0..PART_STYLES)
            .map(|i| colour(&format!("chart-part-{i}")))
            .collect();
        for ground in ["ffffff", "fffaf3"] {
            for p in &parts {
                assert!(contrast(p, ground) >= 3.0, "#{p} on #{ground}");
            }
        }
        for pair in parts.windows(2) {
            assert!(
                contrast(&pair[0], &pair[1]) >= 3.0,
                "#{} next to #{}: {:.2}",
                pair[0],
                pair[1],
                contrast(&pair[0], &pair[1])
            );
        }
        let bar = colour("chart-bar");
        assert!(contrast(&bar, "fffaf3") >= 3.0);
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let lum = |hex: &str| {
            let c: Vec<f64> = (0..3)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap() as f64 / 255.0)
                .map(|c| {
                    if c <= 0.039_28 {
                        c / 12.92
                    } else {
                        ((c + 0.055) / 1.055).powf(2.4)
                    }
                })
                .collect();
            0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]
        };
        let (x, y) = (lum(a), lum(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }
}
