//! The inline SVG figures: the choropleth (and the locator maps that reuse it), the typology
//! scatter and the z-score bars.

use std::fmt::Write as _;

use geo::{
    Area as _, Contains, InteriorPoint, Intersects as _, LineString, MultiPolygon, Point, Polygon,
};

use super::fmt::{coord, esc, num};
use super::text::{signal_index, signal_name, texts};
use super::{AreaReport, Lang, ReportData};
use crate::palette;

/// Fill colours of the signals, in the order of [`super::text::SIGNALS`].
pub(super) const SIGNAL_COLOURS: [&str; 5] = [
    palette::ROOD,
    palette::ORANJE,
    palette::NEUTRAAL,
    palette::RUIMTE,
    palette::ONBEKEND,
];

/// Bar colours of the draagkracht and draaglast blocks.
pub(super) const COLOUR_DRAAGKRACHT: &str = "#3a6fb0";
pub(super) const COLOUR_DRAAGLAST: &str = "#8e5ea2";

/// Width of the choropleth's view box; its height follows from the extent.
const MAP_WIDTH: f64 = 640.0;
const MAP_MAX_HEIGHT: f64 = 640.0;
const MAP_MARGIN: f64 = 8.0;
/// Font sizes (view-box units) of the map and scatter labels, as in the style sheet.
const MAP_FONT: f64 = 12.0;
const SCATTER_FONT: f64 = 10.0;

/// A label box `[x0, y0, x1, y1]`.
type LabelBox = [f64; 4];

fn overlaps(a: &LabelBox, b: &LabelBox) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The leader line of a label at `at` (its centre) with text width `tw`, drawn from the area's
/// interior point `from` to the nearest point of the label box's edge.
fn leader(from: [f64; 2], at: [f64; 2], tw: f64) -> geo::Line<f64> {
    leader_to(
        from,
        &[
            at[0] - tw / 2.0,
            at[1] - MAP_FONT / 2.0,
            at[0] + tw / 2.0,
            at[1] + MAP_FONT / 2.0,
        ],
    )
}

/// A leader line from `from` to the nearest point of box `b`.
fn leader_to(from: [f64; 2], b: &LabelBox) -> geo::Line<f64> {
    geo::Line::new(
        geo::coord! { x: from[0], y: from[1] },
        geo::coord! { x: from[0].clamp(b[0], b[2]), y: from[1].clamp(b[1], b[3]) },
    )
}

/// Whether leader line `l` runs through label box `b` (touching counts).
fn crosses(l: &geo::Line<f64>, b: &LabelBox) -> bool {
    l.intersects(&geo::Rect::new(
        geo::coord! { x: b[0], y: b[1] },
        geo::coord! { x: b[2], y: b[3] },
    ))
}

/// Estimated width of a label in a sans-serif font of size `font`.
fn text_width(s: &str, font: f64) -> f64 {
    s.chars().count() as f64 * font * 0.56
}

/// A short label for where the name does not fit: the last two characters of the code
/// (`WK019310` → `10`, the wijk number).
fn short_label(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars[chars.len().saturating_sub(2)..].iter().collect()
}

/// The label of an area on the map: its name, without a leading "Wijk " before a number (CBS
/// names wijken "Wijk 10 Binnenstad"; the map says "10 Binnenstad").
fn map_name(name: &str) -> String {
    match name.strip_prefix("Wijk ") {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest.to_string(),
        _ => name.to_string(),
    }
}

/// A label on the map: the text at `at` (its middle), and for a label outside its area the
/// leader line from the area's interior point `from`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct MapLabel {
    /// Middle of the text.
    pub at: [f64; 2],
    /// The text.
    pub text: String,
    /// Start of the leader line (a point inside the area), when the label stands outside it.
    pub from: Option<[f64; 2]>,
}

/// Distances (view-box units) from an area's interior point at which a label outside it is
/// tried, and the directions (east first, then counter-clockwise by 45°).
const LEADER_RADII: [f64; 6] = [34.0, 48.0, 64.0, 82.0, 104.0, 130.0];

/// The eight directions (k · 45°, counter-clockwise from east, y up) in the order a label
/// outside an area at `p` tries them: the one pointing away from the map's centre first, then
/// the others by their angle from it (the smaller k first on a tie), so that labels of the
/// crowded middle move outwards.
fn directions(p: [f64; 2], size: [f64; 2]) -> Vec<u8> {
    let away = (size[1] / 2.0 - p[1]).atan2(p[0] - size[0] / 2.0);
    let mut ks: Vec<u8> = (0..8).collect();
    let off = |k: u8| {
        let d =
            (std::f64::consts::FRAC_PI_4 * f64::from(k) - away).rem_euclid(std::f64::consts::TAU);
        d.min(std::f64::consts::TAU - d)
    };
    ks.sort_by(|a, b| off(*a).total_cmp(&off(*b)).then(a.cmp(b)));
    ks
}

/// Places map labels so that every area with a polygon gets one, deterministically:
/// 1. largest area first (by its bounding box), the [`map_name`] inside the area, at its
///    interior point, when it fits the area's width and height and overlaps no placed label;
/// 2. then, by the same order, every area still without a label gets its name outside, joined
///    to its interior point by a leader line: the first position (by [`LEADER_RADII`], then
///    the eight [`directions`], away from the map's centre first) whose label box lies inside
///    the map and overlaps no placed label, whose leader runs through no placed label and
///    crosses no placed leader, and whose box no placed leader runs through (a leader across
///    another wijk's name made its dot read as that wijk's); when none is free, the first
///    position inside the map; when the name fits nowhere in the map, under the point, moved
///    sideways into the map.
pub(super) fn place_map_labels(
    data: &ReportData,
    rings: &[Vec<Vec<[f64; 2]>>],
    size: [f64; 2],
) -> Vec<Option<MapLabel>> {
    let mut order: Vec<(usize, f64, f64, f64)> = rings
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
        .map(|(i, r)| {
            let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
            for p in r.iter().flatten() {
                x0 = x0.min(p[0]);
                x1 = x1.max(p[0]);
                y0 = y0.min(p[1]);
                y1 = y1.max(p[1]);
            }
            (i, x1 - x0, y1 - y0, (x1 - x0) * (y1 - y0))
        })
        .collect();
    order.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    let points: Vec<Option<[f64; 2]>> = rings.iter().map(|r| label_point(r)).collect();
    let boxed = |[x, y]: [f64; 2], text: &str| {
        let tw = text_width(text, MAP_FONT);
        [
            x - tw / 2.0,
            y - MAP_FONT / 2.0,
            x + tw / 2.0,
            y + MAP_FONT / 2.0,
        ]
    };
    let mut placed: Vec<LabelBox> = Vec::new();
    let mut leaders: Vec<geo::Line<f64>> = Vec::new();
    let mut out: Vec<Option<MapLabel>> = vec![None; rings.len()];
    // 1. Inside.
    for &(i, w, h, _) in &order {
        let (Some(p), text) = (points[i], map_name(&data.areas[i].name)) else {
            continue;
        };
        let b = boxed(p, &text);
        if text.is_empty()
            || h < MAP_FONT * 1.2
            || b[2] - b[0] > w * 0.95
            || placed.iter().any(|q| overlaps(q, &b))
        {
            continue;
        }
        placed.push(b);
        out[i] = Some(MapLabel {
            at: p,
            text,
            from: None,
        });
    }
    // 2. Outside, with a leader line.
    for &(i, _, _, _) in &order {
        let Some(p) = points[i] else { continue };
        if out[i].is_some() {
            continue;
        }
        let text = map_name(&data.areas[i].name);
        let tw = text_width(&text, MAP_FONT);
        let mut first = None;
        let mut free = None;
        'search: for r in LEADER_RADII {
            for k in directions(p, size) {
                let angle = std::f64::consts::FRAC_PI_4 * f64::from(k);
                let (dx, dy) = (angle.cos(), -angle.sin());
                // The near side of the label box at distance r.
                let shift = if dx.abs() > 0.1 {
                    dx.signum() * tw / 2.0
                } else {
                    0.0
                };
                let at = [p[0] + r * dx + shift, p[1] + r * dy];
                let b = boxed(at, &text);
                if b[0] < 1.0 || b[1] < 1.0 || b[2] > size[0] - 1.0 || b[3] > size[1] - 1.0 {
                    continue;
                }
                first.get_or_insert((at, b));
                let line = leader(p, at, tw);
                let clear = !placed.iter().any(|q| overlaps(q, &b) || crosses(&line, q))
                    && !leaders
                        .iter()
                        .any(|l| crosses(l, &b) || l.intersects(&line));
                if clear {
                    free = Some((at, b));
                    break 'search;
                }
            }
        }
        // No position inside the map (a name wider than the room around it): below the
        // point, moved sideways into the map as far as it goes.
        let fallback = || {
            let half = tw / 2.0;
            let x = if size[0] > tw + 2.0 {
                p[0].clamp(half + 1.0, size[0] - half - 1.0)
            } else {
                size[0] / 2.0
            };
            let y = (p[1] + LEADER_RADII[0]).min(size[1] - MAP_FONT / 2.0 - 1.0);
            ([x, y], boxed([x, y], &text))
        };
        let (at, b) = free.or(first).unwrap_or_else(fallback);
        placed.push(b);
        leaders.push(leader(p, at, tw));
        out[i] = Some(MapLabel {
            at,
            text,
            from: Some(p),
        });
    }
    out
}

/// Height (view-box units) of the strip under the map that holds the scale bar.
pub(super) const SCALE_STRIP: f64 = 26.0;

/// The scale bar under the map: a bar of a round length (1, 2 or 5 × 10ⁿ m, the longest at
/// most a quarter of the map's width) with its length as "500 m" or "2 km".
///
/// Metres per view-box unit = `width_m` (the east–west width of the areas in EPSG:28992,
/// [`ReportData::map_width_m`]) / the drawn width of the same extent. The map is drawn in an
/// equirectangular projection of WGS84; over a municipality it differs from RD by well under
/// 1 %, less than the bar's line width. Empty without `width_m`.
///
/// Example: a map 624 units wide showing 12.480 m has 20 m per unit; a quarter of the width
/// is 3.120 m, so the bar is 2 km, 100 units long.
pub(super) fn scale_bar(width_m: Option<f64>, proj: &Projection) -> String {
    let Some(width_m) = width_m.filter(|w| w.is_finite() && *w > 0.0) else {
        return String::new();
    };
    let drawn = proj.drawn_width();
    if drawn <= 0.0 {
        return String::new();
    }
    let per_unit = width_m / drawn;
    let max_m = 0.25 * proj.width * per_unit;
    let mut metres = 10f64.powf(max_m.log10().floor());
    for k in [5.0, 2.0, 1.0] {
        if k * metres <= max_m {
            metres *= k;
            break;
        }
    }
    let len = metres / per_unit;
    let text = if metres >= 1000.0 {
        format!("{} km", metres / 1000.0)
    } else {
        format!("{metres} m")
    };
    let (x, y) = (MAP_MARGIN, proj.height + SCALE_STRIP - 9.0);
    format!(
        "<g class=\"scale-bar\" data-metres=\"{metres}\"><rect x=\"{x}\" y=\"{y0}\" width=\"{w}\" height=\"5\" fill=\"#222222\"/>\
         <rect x=\"{xm}\" y=\"{y1}\" width=\"{hw}\" height=\"3\" fill=\"#ffffff\"/>\
         <text x=\"{xt}\" y=\"{yt}\" class=\"scale\">{text}</text></g>\n",
        y0 = coord(y - 5.0),
        w = coord(len),
        xm = coord(x + len / 2.0),
        y1 = coord(y - 4.0),
        hw = coord(len / 2.0 - 1.0),
        xt = coord(x + len + 6.0),
        yt = coord(y),
    )
}

/// The fill of an area's signal.
pub(super) fn signal_colour(signal: &str) -> &'static str {
    SIGNAL_COLOURS[signal_index(signal)]
}

/// Equirectangular projection of lon/lat onto the map's view box: x = lon · cos(φ₀) with φ₀
/// the middle latitude of the extent, y = latitude downwards, scaled to fit.
pub(super) struct Projection {
    min_x: f64,
    max_y: f64,
    k: f64,
    scale: f64,
    /// View box width.
    pub width: f64,
    /// View box height.
    pub height: f64,
    /// Width of the drawn extent.
    drawn_width: f64,
}

impl Projection {
    /// The projection that fits every finite vertex of `areas`; `None` without any.
    pub fn fit(areas: &[AreaReport]) -> Option<Self> {
        let points = areas
            .iter()
            .flat_map(|a| a.rings.iter().flatten())
            .filter(|p| p[0].is_finite() && p[1].is_finite());
        let (mut lon0, mut lon1, mut lat0, mut lat1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for p in points {
            lon0 = lon0.min(p[0]);
            lon1 = lon1.max(p[0]);
            lat0 = lat0.min(p[1]);
            lat1 = lat1.max(p[1]);
        }
        if !lon0.is_finite() {
            return None;
        }
        let k = ((lat0 + lat1) / 2.0).to_radians().cos();
        let (dx, dy) = ((lon1 - lon0) * k, lat1 - lat0);
        let inner = (
            MAP_WIDTH - 2.0 * MAP_MARGIN,
            MAP_MAX_HEIGHT - 2.0 * MAP_MARGIN,
        );
        let scale = match (dx > 0.0, dy > 0.0) {
            (true, true) => (inner.0 / dx).min(inner.1 / dy),
            (true, false) => inner.0 / dx,
            (false, true) => inner.1 / dy,
            (false, false) => 1.0,
        };
        Some(Projection {
            min_x: lon0 * k,
            max_y: lat1,
            k,
            scale,
            width: (dx * scale + 2.0 * MAP_MARGIN).ceil(),
            drawn_width: dx * scale,
            height: (dy * scale + 2.0 * MAP_MARGIN).ceil(),
        })
    }

    /// The width of the drawn extent in view-box units (the view box less its margins).
    pub fn drawn_width(&self) -> f64 {
        self.drawn_width
    }

    fn xy(&self, p: [f64; 2]) -> [f64; 2] {
        [
            MAP_MARGIN + (p[0] * self.k - self.min_x) * self.scale,
            MAP_MARGIN + (self.max_y - p[1]) * self.scale,
        ]
    }

    /// The rings of an area in view-box coordinates, rounded to 0.1, without repeated
    /// vertices; rings with fewer than three distinct vertices are dropped.
    pub fn rings(&self, rings: &[Vec<[f64; 2]>]) -> Vec<Vec<[f64; 2]>> {
        rings
            .iter()
            .filter_map(|ring| {
                let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len());
                for p in ring.iter().filter(|p| p[0].is_finite() && p[1].is_finite()) {
                    let [x, y] = self.xy(*p);
                    let q = [(x * 10.0).round() / 10.0, (y * 10.0).round() / 10.0];
                    if out.last() != Some(&q) {
                        out.push(q);
                    }
                }
                if out.len() > 1 && out.first() == out.last() {
                    out.pop();
                }
                (out.len() >= 3).then_some(out)
            })
            .collect()
    }
}

/// SVG path data of projected rings (`fill-rule="evenodd"` draws the holes).
pub(super) fn path_d(rings: &[Vec<[f64; 2]>]) -> String {
    let mut d = String::new();
    for ring in rings {
        for (i, p) in ring.iter().enumerate() {
            d.push(if i == 0 { 'M' } else { 'L' });
            d.push_str(&coord(p[0]));
            d.push(',');
            d.push_str(&coord(p[1]));
        }
        d.push('Z');
    }
    d
}

/// A point inside the area for its label. Rings inside an odd number of other rings are holes.
pub(super) fn label_point(rings: &[Vec<[f64; 2]>]) -> Option<[f64; 2]> {
    let polys: Vec<Polygon<f64>> = rings
        .iter()
        .map(|r| Polygon::new(LineString::from(r.clone()), vec![]))
        .collect();
    let inside = |i: usize, j: usize| {
        let p = rings[i][0];
        i != j && polys[j].contains(&Point::new(p[0], p[1]))
    };
    let depth: Vec<usize> = (0..rings.len())
        .map(|i| (0..rings.len()).filter(|&j| inside(i, j)).count())
        .collect();
    let mut parts: Vec<(Polygon<f64>, f64)> = Vec::new();
    let mut owner: Vec<Option<usize>> = vec![None; rings.len()];
    for (i, d) in depth.iter().enumerate() {
        if d % 2 == 0 {
            owner[i] = Some(parts.len());
            parts.push((polys[i].clone(), polys[i].unsigned_area()));
        }
    }
    for (i, d) in depth.iter().enumerate() {
        if d % 2 == 1 {
            // The smallest shell holding the hole.
            let shell = (0..rings.len())
                .filter(|&j| owner[j].is_some() && inside(i, j))
                .filter_map(|j| owner[j])
                .min_by(|&a, &b| parts[a].1.total_cmp(&parts[b].1));
            if let Some(s) = shell {
                parts[s].0.interiors_push(polys[i].exterior().clone());
            }
        }
    }
    let mp = MultiPolygon::new(parts.into_iter().map(|(p, _)| p).collect());
    mp.interior_point().map(|p| [p.x(), p.y()])
}

/// `inner` wrapped in a link to the area's section, when the report has one (see
/// [`ReportData::has_section`]).
fn link(data: &ReportData, code: &str, inner: &str) -> String {
    if data.has_section(code) {
        format!(
            "<a href=\"#{}\">{inner}</a>",
            esc(&super::fmt::anchor(code))
        )
    } else {
        inner.to_string()
    }
}

/// The choropleth: one linked `<path>` per area with `data-code` and a `<title>`, filled
/// with its signal colour; labels where they fit (see [`place_map_labels`]); and in `<defs>` the
/// grey base map (`#wb-base`) that the locator maps reuse.
pub(super) fn choropleth(
    data: &ReportData,
    lang: Lang,
    proj: &Projection,
    rings: &[Vec<Vec<[f64; 2]>>],
) -> String {
    let t = texts(lang);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"map\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{label}\">",
        w = proj.width,
        h = proj.height
            + if data.map_width_m.is_some() {
                SCALE_STRIP
            } else {
                0.0
            },
        label = esc(t.map_title),
    );
    o.push_str("<defs><g id=\"wb-base\" fill=\"#e6e6e6\" stroke=\"#8c8c8c\" stroke-width=\"1.5\" fill-rule=\"evenodd\">\n");
    for r in rings.iter().filter(|r| !r.is_empty()) {
        let _ = writeln!(o, "<path d=\"{}\"/>", path_d(r));
    }
    o.push_str("</g></defs>\n");
    o.push_str(
        "<g class=\"areas\" stroke=\"#555555\" stroke-width=\"0.8\" fill-rule=\"evenodd\">\n",
    );
    for (a, r) in data.areas.iter().zip(rings) {
        if r.is_empty() {
            continue;
        }
        let title = format!(
            "{} {} — {} {} ({})",
            a.code,
            a.name,
            t.saldo.to_lowercase(),
            a.state
                .saldo
                .map_or_else(|| super::fmt::MISSING.to_string(), |s| num(s, 2, lang)),
            signal_name(&a.state.signal, lang),
        );
        let path = format!(
            "<path d=\"{d}\" data-code=\"{code}\" fill=\"{fill}\"><title>{title}</title></path>",
            d = path_d(r),
            code = esc(&a.code),
            fill = signal_colour(&a.state.signal),
            title = esc(&title),
        );
        o.push_str(&link(data, &a.code, &path));
        o.push('\n');
    }
    o.push_str("</g>\n");
    let labels = place_map_labels(data, rings, [proj.width, proj.height]);
    o.push_str("<g class=\"leaders\" stroke=\"#222222\" stroke-width=\"1.2\">\n");
    for l in labels.iter().flatten() {
        if let Some(f) = l.from {
            let end = leader(f, l.at, text_width(&l.text, MAP_FONT)).end;
            let (x, y) = (end.x, end.y);
            let _ = writeln!(
                o,
                "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><circle cx=\"{}\" cy=\"{}\" r=\"2.4\" fill=\"#222222\"/>",
                coord(f[0]),
                coord(f[1]),
                coord(x),
                coord(y),
                coord(f[0]),
                coord(f[1])
            );
        }
    }
    o.push_str("</g>\n<g class=\"labels\">\n");
    for l in labels.iter().flatten() {
        let _ = writeln!(
            o,
            "<text x=\"{}\" y=\"{}\"{}>{}</text>",
            coord(l.at[0]),
            coord(l.at[1] + MAP_FONT * 0.35),
            if l.from.is_some() {
                " class=\"outside\""
            } else {
                ""
            },
            esc(&l.text)
        );
    }
    o.push_str("</g>\n");
    o.push_str(&scale_bar(data.map_width_m, proj));
    o.push_str("</svg>");
    o
}

/// A small map of the whole municipality (the `#wb-base` group of the choropleth) with one
/// area drawn on top in its signal colour.
pub(super) fn locator(
    proj: &Projection,
    rings: &[Vec<[f64; 2]>],
    signal: &str,
    name: &str,
) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"locator\" viewBox=\"0 0 {w} {h}\" \
         role=\"img\" aria-label=\"{name}\"><use href=\"#wb-base\"/><path d=\"{d}\" fill=\"{fill}\" \
         stroke=\"#000000\" stroke-width=\"3\" fill-rule=\"evenodd\"/></svg>",
        w = proj.width,
        h = proj.height,
        name = esc(name),
        d = path_d(rings),
        fill = signal_colour(signal),
    )
}

/// Keeps the part of a convex polygon where `a·x + b·y ≤ c` (Sutherland–Hodgman, one edge).
fn clip(poly: &[[f64; 2]], a: f64, b: f64, c: f64) -> Vec<[f64; 2]> {
    let f = |p: [f64; 2]| a * p[0] + b * p[1] - c;
    let mut out = Vec::new();
    for i in 0..poly.len() {
        let (p, q) = (poly[i], poly[(i + 1) % poly.len()]);
        let (fp, fq) = (f(p), f(q));
        if fp <= 0.0 {
            out.push(p);
        }
        if (fp < 0.0 && fq > 0.0) || (fp > 0.0 && fq < 0.0) {
            let s = fp / (fp - fq);
            out.push([p[0] + s * (q[0] - p[0]), p[1] + s * (q[1] - p[1])]);
        }
    }
    out
}

/// The typology scatter as drawn: the SVG, the number of areas left out for lack of a score,
/// and the areas drawn without a label for lack of room ("WK019350 Wijk 50 Schelle"), which
/// the caption names so that a printed dot is never anonymous.
pub(super) struct Scatter {
    /// The `<svg>` element.
    pub svg: String,
    /// Areas without draagkracht or draaglast.
    pub missing: usize,
    /// Areas with a dot but no label, as code and name.
    pub unlabelled: Vec<String>,
}

/// A dot of the scatter to label: its centre in view-box units, its name and code.
struct ScatterPoint<'a> {
    at: [f64; 2],
    name: &'a str,
    code: &'a str,
}

/// A placed scatter label: the text at (`x`, `baseline`) with its `text-anchor`, and the
/// leader line from the dot when the label does not stand right beside it.
#[derive(Debug, Clone, PartialEq)]
struct ScatterLabel {
    x: f64,
    baseline: f64,
    anchor: &'static str,
    text: String,
    leader: Option<geo::Line<f64>>,
}

impl ScatterLabel {
    /// The box the label covers, with its halo.
    fn bbox(&self) -> LabelBox {
        let tw = text_width(&self.text, SCATTER_FONT);
        let x0 = match self.anchor {
            "start" => self.x,
            "end" => self.x - tw,
            _ => self.x - tw / 2.0,
        };
        scatter_box(x0, self.baseline, tw)
    }
}

/// The box of a dot at `p`.
fn dot_box(p: [f64; 2]) -> LabelBox {
    [
        p[0] - SCATTER_DOT,
        p[1] - SCATTER_DOT,
        p[0] + SCATTER_DOT,
        p[1] + SCATTER_DOT,
    ]
}

/// Where along a threshold line (the fraction of the way up) its label is tried, in order.
const BAND_LABEL_AT: [f64; 7] = [0.7, 0.8, 0.6, 0.9, 0.5, 0.4, 0.3];

/// Height of a scatter label's box above and below its baseline: capitals of a sans-serif
/// font of 10 units stand about 7.3 above the baseline and descenders go 2.4 below it, and
/// the white halo (`stroke-width: 3px`) adds 1.5 on each side.
const SCATTER_ASCENT: f64 = 8.8;
const SCATTER_DESCENT: f64 = 3.9;
/// Half the side of a dot's box: radius 4.5 and half its stroke.
const SCATTER_DOT: f64 = 5.0;
/// Distances (view-box units) from a dot at which a label with a leader line is tried.
const SCATTER_RADII: [f64; 4] = [12.0, 20.0, 30.0, 42.0];
/// The directions (x right, y down) a label with a leader line tries, in this order: beside
/// the dot first, then the diagonals, then above and below.
const SCATTER_DIRECTIONS: [(f64, f64); 8] = [
    (1.0, 0.0),
    (-1.0, 0.0),
    (1.0, -1.0),
    (1.0, 1.0),
    (-1.0, -1.0),
    (-1.0, 1.0),
    (0.0, -1.0),
    (0.0, 1.0),
];

/// Small boxes that together cover a band label: text of width `tw` centred on `at` (its
/// baseline) and turned 45° counter-clockwise, as the threshold lines run. The glyphs stand
/// about 3 units above the baseline, so the boxes' centres lie that far to the upper left.
fn rotated_label_boxes(at: [f64; 2], tw: f64) -> Vec<LabelBox> {
    let s = std::f64::consts::FRAC_1_SQRT_2;
    let steps = (tw / 5.0).ceil().max(1.0) as usize;
    (0..=steps)
        .map(|k| {
            let d = -tw / 2.0 + tw * k as f64 / steps as f64;
            let (x, y) = (at[0] + d * s - 3.0 * s, at[1] - d * s - 3.0 * s);
            [x - 3.5, y - 3.5, x + 3.5, y + 3.5]
        })
        .collect()
}

/// Distance from point `p` to box `b` (0 inside it).
fn distance_to_box(p: [f64; 2], b: &LabelBox) -> f64 {
    let dx = (b[0] - p[0]).max(p[0] - b[2]).max(0.0);
    let dy = (b[1] - p[1]).max(p[1] - b[3]).max(0.0);
    dx.hypot(dy)
}

/// The box of a label of width `tw` whose text starts at `x0` on `baseline`, with its halo.
fn scatter_box(x0: f64, baseline: f64, tw: f64) -> LabelBox {
    [
        x0 - 1.5,
        baseline - SCATTER_ASCENT,
        x0 + tw + 1.5,
        baseline + SCATTER_DESCENT,
    ]
}

/// Places the scatter labels so that a dot reads as one area only, deterministically, in
/// the order of the dots:
/// 1. every dot's name right beside it, else left beside it;
/// 2. every dot still without a label: its name with a leader line, at the first position
///    (by [`SCATTER_RADII`], then [`SCATTER_DIRECTIONS`]) that is free;
/// 3. then, the same for the short label (the wijk number, [`short_label`]): beside the dot,
///    then with a leader line;
/// 4. a dot with no free position gets no label; the caption names it ([`Scatter`]).
///
/// A position is free when its box lies inside `bounds` (`[x0, y0, x1, y1]`: the plot and the
/// margin right of it, so no label covers an axis), overlaps no other dot, no placed label
/// and no box of `fixed` (the quadrant names), no placed leader runs through it, and its own
/// leader runs through no other dot or placed label and crosses no placed leader.
///
/// Example: dots at (100, 100), (110, 100) and (105, 110): the first gets its name to the left
/// (its right is the second dot), the second to the right, and the third, with both sides
/// taken, below right with a leader line. In a row 12 apart, the middle one of three gets its
/// number above it: every free place for its name is as near a neighbour as its own dot.
fn place_scatter_labels(
    points: &[ScatterPoint],
    fixed: &[LabelBox],
    bounds: LabelBox,
) -> Vec<Option<ScatterLabel>> {
    let mut labels: Vec<Option<ScatterLabel>> = vec![None; points.len()];
    let mut boxes: Vec<LabelBox> = fixed.to_vec();
    let mut leaders: Vec<geo::Line<f64>> = Vec::new();
    let dots: Vec<LabelBox> = points.iter().map(|p| dot_box(p.at)).collect();
    // Whether label box `b` (with leader `l`) of dot `i` is free.
    let free = |i: usize,
                b: &LabelBox,
                l: Option<&geo::Line<f64>>,
                boxes: &[LabelBox],
                leaders: &[geo::Line<f64>]| {
        let inside =
            b[0] >= bounds[0] && b[1] >= bounds[1] && b[2] <= bounds[2] && b[3] <= bounds[3];
        let others = || {
            dots.iter()
                .enumerate()
                .filter(move |(j, _)| *j != i)
                .map(|(_, d)| d)
        };
        inside
            && !boxes.iter().chain(others()).any(|o| overlaps(o, b))
            && !leaders.iter().any(|m| crosses(m, b))
            && l.is_none_or(|l| {
                !boxes.iter().chain(others()).any(|o| crosses(l, o))
                    && !leaders.iter().any(|m| m.intersects(l))
            })
    };
    let names: Vec<String> = points.iter().map(|p| p.name.to_string()).collect();
    let numbers: Vec<String> = points.iter().map(|p| short_label(p.code)).collect();
    for texts in [&names, &numbers] {
        // Beside the dot, for every dot first: the reading that needs no line.
        for (i, p) in points.iter().enumerate() {
            if labels[i].is_some() || texts[i].is_empty() {
                continue;
            }
            let text = texts[i].clone();
            let tw = text_width(&text, SCATTER_FONT);
            let baseline = p.at[1] + 3.5;
            for (x, anchor, x0) in [
                (p.at[0] + 6.5, "start", p.at[0] + 6.5),
                (p.at[0] - 6.5, "end", p.at[0] - 6.5 - tw),
            ] {
                let b = scatter_box(x0, baseline, tw);
                if free(i, &b, None, &boxes, &leaders) {
                    boxes.push(b);
                    labels[i] = Some(ScatterLabel {
                        x,
                        baseline,
                        anchor,
                        text,
                        leader: None,
                    });
                    break;
                }
            }
        }
        // With a leader line: every dot at the shortest distance first, then the next one, so
        // that no label takes a long line where another dot needed a short one.
        let half_h = (SCATTER_ASCENT + SCATTER_DESCENT) / 2.0;
        for r in SCATTER_RADII {
            for (i, p) in points.iter().enumerate() {
                if labels[i].is_some() || texts[i].is_empty() {
                    continue;
                }
                let text = texts[i].clone();
                let tw = text_width(&text, SCATTER_FONT);
                for (dx, dy) in SCATTER_DIRECTIONS {
                    let cx = p.at[0] + dx * (r + tw / 2.0 + 1.5);
                    let cy = p.at[1] + dy * (r + half_h);
                    let baseline = cy + SCATTER_ASCENT - half_h;
                    let b = scatter_box(cx - tw / 2.0, baseline, tw);
                    let l = leader_to(p.at, &b);
                    // The label is nearer its own dot than any other, so it reads as its own.
                    let own = distance_to_box(p.at, &b);
                    let nearest = points
                        .iter()
                        .enumerate()
                        .all(|(j, q)| j == i || distance_to_box(q.at, &b) > own);
                    if nearest && free(i, &b, Some(&l), &boxes, &leaders) {
                        boxes.push(b);
                        leaders.push(l);
                        labels[i] = Some(ScatterLabel {
                            x: cx,
                            baseline,
                            anchor: "middle",
                            text,
                            leader: Some(l),
                        });
                        break;
                    }
                }
            }
        }
    }
    labels
}

/// The typology scatter: draagkracht on x, draaglast on y, one linked, labelled dot per area
/// with both scores, lines through 0, and the signal bands of the saldo (x − y) as tinted
/// diagonal bands.
pub(super) fn scatter(data: &ReportData, lang: Lang) -> Scatter {
    let t = texts(lang);
    let points: Vec<(&AreaReport, f64, f64)> = data
        .areas
        .iter()
        .filter_map(|a| match (a.state.draagkracht, a.state.draaglast) {
            (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Some((a, x, y)),
            _ => None,
        })
        .collect();
    let missing = data.areas.len() - points.len();
    let max = points
        .iter()
        .fold(0.0_f64, |m, (_, x, y)| m.max(x.abs()).max(y.abs()));
    let r = ((max * 1.2) / 0.5).ceil().max(2.0) * 0.5;
    let (left, top, size) = (58.0, 14.0, 400.0);
    let (w, h) = (left + size + 96.0, top + size + 46.0);
    let sx = |v: f64| left + (v + r) / (2.0 * r) * size;
    let sy = |v: f64| top + (r - v) / (2.0 * r) * size;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"scatter\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        esc(t.scatter_title)
    );
    // Signal bands: s = x − y against the thresholds.
    let square = [[-r, -r], [r, -r], [r, r], [-r, r]];
    let [t_rood, t_oranje, t_ruimte] = data.signal_thresholds;
    let bands: [(usize, Vec<[f64; 2]>); 4] = [
        (0, clip(&square, 1.0, -1.0, t_rood)),
        (
            1,
            clip(&clip(&square, -1.0, 1.0, -t_rood), 1.0, -1.0, t_oranje),
        ),
        (
            2,
            clip(&clip(&square, -1.0, 1.0, -t_oranje), 1.0, -1.0, t_ruimte),
        ),
        (3, clip(&square, -1.0, 1.0, -t_ruimte)),
    ];
    o.push_str("<g class=\"bands\" fill-opacity=\"0.25\">\n");
    for (k, poly) in &bands {
        if poly.len() < 3 {
            continue;
        }
        let pts: Vec<String> = poly
            .iter()
            .map(|p| format!("{},{}", coord(sx(p[0])), coord(sy(p[1]))))
            .collect();
        let _ = writeln!(
            o,
            "<polygon points=\"{}\" fill=\"{}\"/>",
            pts.join(" "),
            SIGNAL_COLOURS[*k]
        );
    }
    o.push_str("</g>\n");
    // Grid, ticks and the lines through 0.
    o.push_str("<g class=\"grid\">\n");
    let mut tick = -r.floor();
    while tick <= r.floor() {
        let (x, y) = (coord(sx(tick)), coord(sy(tick)));
        let stroke = if tick == 0.0 { "#444444" } else { "#d0d0d0" };
        let _ = writeln!(
            o,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"{stroke}\"/>",
            coord(top),
            coord(top + size)
        );
        let _ = writeln!(
            o,
            "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"{stroke}\"/>",
            coord(left),
            coord(left + size)
        );
        let label = num(tick, 0, lang);
        let _ = writeln!(
            o,
            "<text class=\"tick\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{label}</text>",
            coord(top + size + 14.0)
        );
        let _ = writeln!(
            o,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>",
            coord(left - 5.0),
            coord(sy(tick) + 4.0)
        );
        tick += 1.0;
    }
    let _ = writeln!(
        o,
        "<rect x=\"{l}\" y=\"{t}\" width=\"{s}\" height=\"{s}\" fill=\"none\" stroke=\"#888888\"/>",
        l = coord(left),
        t = coord(top),
        s = coord(size)
    );
    o.push_str("</g>\n");
    // Quadrant names in the corners, and the dots' labels (see `place_scatter_labels`): placed
    // before the band labels, which then keep clear of them, so a wijk's name comes first.
    let corners = [
        (left + 6.0, top + 14.0, "start"),
        (left + size - 6.0, top + 14.0, "end"),
        (left + 6.0, top + size - 8.0, "start"),
        (left + size - 6.0, top + size - 8.0, "end"),
    ];
    let quadrant_boxes: Vec<LabelBox> = corners
        .iter()
        .zip(t.quadrants)
        .map(|((x, y, anchor), label)| {
            let tw = text_width(label, 9.0);
            let x0 = if *anchor == "start" { *x } else { x - tw };
            [x0, y - 7.0, x0 + tw, y + 2.5]
        })
        .collect();
    let dots: Vec<ScatterPoint> = points
        .iter()
        .map(|(a, x, y)| ScatterPoint {
            at: [sx(*x), sy(*y)],
            name: &a.name,
            code: &a.code,
        })
        .collect();
    let labels = place_scatter_labels(&dots, &quadrant_boxes, [left, top, w, top + size]);
    let unlabelled: Vec<String> = points
        .iter()
        .zip(&labels)
        .filter(|(_, l)| l.is_none())
        .map(|((a, _, _), _)| format!("{} {}", a.code, a.name))
        .collect();
    let taken: Vec<LabelBox> = labels
        .iter()
        .flatten()
        .map(ScatterLabel::bbox)
        .chain(dots.iter().map(|d| dot_box(d.at)))
        .collect();
    let leaders: Vec<geo::Line<f64>> = labels.iter().flatten().filter_map(|l| l.leader).collect();
    // Threshold diagonals y = x − t, each labelled along the line at the first of
    // `BAND_LABEL_AT` (fractions of the way up) where the label stays in the plot and covers no
    // dot, label or leader line; at 70 % when none is free.
    o.push_str("<g class=\"thresholds\" stroke=\"#555555\" stroke-dasharray=\"4 3\">\n");
    for th in data.signal_thresholds {
        let (x0, x1) = ((th - r).max(-r), (th + r).min(r));
        if x0 >= x1 {
            continue;
        }
        let _ = writeln!(
            o,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            coord(sx(x0)),
            coord(sy(x0 - th)),
            coord(sx(x1)),
            coord(sy(x1 - th))
        );
        let text = format!("{} {}", t.saldo.to_lowercase(), num(th, 1, lang));
        let tw = text_width(&text, 9.0);
        let at = |f: f64| {
            let lx = x0 + f * (x1 - x0);
            [sx(lx), sy(lx - th) - 3.0]
        };
        let free = |p: [f64; 2]| {
            rotated_label_boxes(p, tw).iter().all(|b| {
                b[0] >= left
                    && b[1] >= top
                    && b[2] <= left + size
                    && b[3] <= top + size
                    && !taken.iter().any(|o| overlaps(o, b))
                    && !leaders.iter().any(|l| crosses(l, b))
            })
        };
        let p = BAND_LABEL_AT
            .iter()
            .map(|f| at(*f))
            .find(|p| free(*p))
            .unwrap_or_else(|| at(BAND_LABEL_AT[0]));
        let (px, py) = (coord(p[0]), coord(p[1]));
        let _ = writeln!(
            o,
            "<text class=\"band-label\" x=\"{px}\" y=\"{py}\" stroke=\"none\" \
             text-anchor=\"middle\" transform=\"rotate(-45 {px} {py})\">{}</text>",
            esc(&text)
        );
    }
    o.push_str("</g>\n");
    for ((x, y, anchor), label) in corners.iter().zip(t.quadrants) {
        let _ = writeln!(
            o,
            "<text class=\"quadrant\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
            coord(*x),
            coord(*y),
            esc(label)
        );
    }
    // Axis titles.
    let _ = writeln!(
        o,
        "<text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        coord(left + size / 2.0),
        coord(top + size + 34.0),
        esc(t.axis_draagkracht)
    );
    let _ = writeln!(
        o,
        "<text class=\"axis\" x=\"14\" y=\"{y}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {y})\">{}</text>",
        esc(t.axis_draaglast),
        y = coord(top + size / 2.0)
    );
    o.push_str("<g class=\"dots\">\n");
    for ((a, x, y), label) in points.iter().zip(&labels) {
        let title = format!(
            "{} {}: {} {}, {} {}, {} {}",
            a.code,
            a.name,
            t.draagkracht.to_lowercase(),
            num(*x, 2, lang),
            t.draaglast.to_lowercase(),
            num(*y, 2, lang),
            t.saldo.to_lowercase(),
            num(x - y, 2, lang),
        );
        let (cx, cy) = (sx(*x), sy(*y));
        let (line, text) = label.as_ref().map_or_else(
            || (String::new(), String::new()),
            |l| {
                let line = l.leader.map_or_else(String::new, |g| {
                    format!(
                        "<line class=\"leader\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                        coord(g.start.x),
                        coord(g.start.y),
                        coord(g.end.x),
                        coord(g.end.y)
                    )
                });
                let text = format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"{}\">{}</text>",
                    coord(l.x),
                    coord(l.baseline),
                    l.anchor,
                    esc(&l.text)
                );
                (line, text)
            },
        );
        let dot = format!(
            "{line}<circle cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"{}\" stroke=\"#222222\"><title>{}</title></circle>{text}",
            coord(cx),
            coord(cy),
            signal_colour(&a.state.signal),
            esc(&title),
        );
        o.push_str(&link(data, &a.code, &dot));
        o.push('\n');
    }
    o.push_str("</g>\n</svg>");
    Scatter {
        svg: o,
        missing,
        unlabelled,
    }
}

/// A horizontal bar of a z-score around 0, on a scale of −3 … 3 with grid lines at ±1 and ±2.
pub(super) fn zbar(z: f64, colour: &str) -> String {
    let (w, h) = (180.0, 14.0);
    let unit = w / 6.0;
    let mid = w / 2.0;
    let z = z.clamp(-3.0, 3.0);
    let (x, width) = if z < 0.0 {
        (mid + z * unit, -z * unit)
    } else {
        (mid, z * unit)
    };
    let mut o = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"zbar\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" aria-hidden=\"true\">\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#f3f3f3\"/>"
    );
    for k in [-2.0, -1.0, 1.0, 2.0] {
        let gx = coord(mid + k * unit);
        let _ = write!(
            o,
            "<line x1=\"{gx}\" y1=\"0\" x2=\"{gx}\" y2=\"{h}\" stroke=\"#d6d6d6\"/>"
        );
    }
    let _ = write!(
        o,
        "<rect x=\"{}\" y=\"2\" width=\"{}\" height=\"10\" fill=\"{colour}\"/>\
         <line x1=\"{m}\" y1=\"0\" x2=\"{m}\" y2=\"{h}\" stroke=\"#333333\"/></svg>",
        coord(x),
        coord(width),
        m = coord(mid)
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wijk 1 Noord, Wijk 2 Oost and Wijk 3 Zuid at the three points.
    fn three(at: [[f64; 2]; 3]) -> [ScatterPoint<'static>; 3] {
        let point = |i: usize, name, code| ScatterPoint {
            at: at[i],
            name,
            code,
        };
        [
            point(0, "Wijk 1 Noord", "WK000101"),
            point(1, "Wijk 2 Oost", "WK000102"),
            point(2, "Wijk 3 Zuid", "WK000103"),
        ]
    }

    #[test]
    fn three_dots_close_together_each_get_a_label_that_reads_as_their_own() {
        let points = three([[100.0, 100.0], [110.0, 100.0], [105.0, 110.0]]);
        let labels = place_scatter_labels(&points, &[], [0.0, 0.0, 400.0, 400.0]);
        let labels: Vec<&ScatterLabel> = labels.iter().map(|l| l.as_ref().unwrap()).collect();
        // Beside: the first to the left (its right is the second dot), the second to the right;
        // the third has both beside it taken and gets its name with a leader line.
        assert_eq!((labels[0].anchor, labels[0].leader), ("end", None));
        assert_eq!((labels[1].anchor, labels[1].leader), ("start", None));
        assert_eq!(labels[2].text, "Wijk 3 Zuid");
        let line = labels[2].leader.expect("a leader line");
        assert_eq!((line.start.x, line.start.y), (105.0, 110.0));
        // Every label is nearer its own dot than any other one, and no two overlap.
        for (i, l) in labels.iter().enumerate() {
            let b = ScatterLabel::bbox(l);
            for (j, q) in points.iter().enumerate() {
                if j != i {
                    assert!(
                        distance_to_box(q.at, &b) > distance_to_box(points[i].at, &b),
                        "{i} {j}"
                    );
                    assert!(!overlaps(&b, &ScatterLabel::bbox(labels[j])), "{i} {j}");
                }
            }
        }
    }

    #[test]
    fn a_dot_between_two_close_neighbours_gets_its_number_where_its_name_would_read_as_theirs() {
        // In a row 12 apart, any place for the middle name is as near a neighbour as its own
        // dot; its number is narrow enough to stand above it, nearer its own dot.
        let points = three([[100.0, 100.0], [112.0, 100.0], [124.0, 100.0]]);
        let labels = place_scatter_labels(&points, &[], [0.0, 0.0, 400.0, 400.0]);
        assert_eq!(labels[0].as_ref().map(|l| l.anchor), Some("end"));
        assert_eq!(labels[2].as_ref().map(|l| l.anchor), Some("start"));
        let middle = labels[1].as_ref().unwrap();
        assert_eq!(
            (middle.text.as_str(), middle.x, middle.anchor),
            ("02", 112.0, "middle")
        );
        assert!(middle.baseline < 100.0, "above the dot");
        assert_eq!(
            middle.leader.map(|l| (l.start.x, l.start.y, l.end.x)),
            Some((112.0, 100.0, 112.0))
        );
    }

    #[test]
    fn a_crowd_of_dots_gets_numbers_and_the_rest_is_named_unlabelled() {
        // Twelve dots 4 units apart in a row: names, then numbers, then nothing fits.
        let names: Vec<(String, String)> = (10..22)
            .map(|k| {
                (
                    format!("Wijk {k} Lange Naam Van Een Wijk"),
                    format!("WK0001{k}"),
                )
            })
            .collect();
        let points: Vec<ScatterPoint> = names
            .iter()
            .enumerate()
            .map(|(i, (n, c))| ScatterPoint {
                at: [150.0 + 4.0 * i as f64, 100.0],
                name: n,
                code: c,
            })
            .collect();
        let labels = place_scatter_labels(&points, &[], [0.0, 0.0, 300.0, 200.0]);
        let placed: Vec<(usize, &ScatterLabel)> = labels
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.as_ref().map(|l| (i, l)))
            .collect();
        assert!(
            placed.iter().any(|(_, l)| l.text.len() == 2),
            "some numbers"
        );
        assert!(placed.len() < points.len(), "not all fit: {}", placed.len());
        for (a, la) in &placed {
            let b = ScatterLabel::bbox(la);
            assert!(b[0] >= 0.0 && b[2] <= 300.0 && b[1] >= 0.0 && b[3] <= 200.0);
            for (c, lc) in &placed {
                if a != c {
                    assert!(!overlaps(&b, &ScatterLabel::bbox(lc)), "{a} {c}");
                }
            }
            for (j, q) in points.iter().enumerate() {
                let d = [
                    q.at[0] - SCATTER_DOT,
                    q.at[1] - SCATTER_DOT,
                    q.at[0] + SCATTER_DOT,
                    q.at[1] + SCATTER_DOT,
                ];
                if j != *a {
                    assert!(!overlaps(&b, &d), "label {a} on dot {j}");
                    if let Some(l) = la.leader {
                        assert!(!crosses(&l, &d), "leader {a} through dot {j}");
                    }
                }
            }
        }
    }

    #[test]
    fn clipping_a_square_by_a_half_plane() {
        let sq = [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]];
        // x − y ≤ 0: the triangle above the diagonal.
        let tri = clip(&sq, 1.0, -1.0, 0.0);
        assert_eq!(tri.len(), 3);
        assert!(tri.iter().all(|p| p[0] - p[1] <= 1e-12));
        assert!(clip(&sq, 1.0, -1.0, -5.0).is_empty());
        assert_eq!(clip(&sq, 1.0, -1.0, 5.0).len(), 4);
    }

    #[test]
    fn label_point_of_a_ring_with_a_hole_avoids_the_hole() {
        let outer = vec![[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        let hole = vec![[2.0, 2.0], [8.0, 2.0], [8.0, 8.0], [2.0, 8.0]];
        let [x, y] = label_point(&[outer, hole]).unwrap();
        assert!(!(2.0..=8.0).contains(&x) || !(2.0..=8.0).contains(&y));
        assert!((0.0..=10.0).contains(&x) && (0.0..=10.0).contains(&y));
        assert!(label_point(&[]).is_none());
    }

    #[test]
    fn zbar_grows_left_for_negative_scores() {
        let neg = zbar(-1.5, "#000000");
        assert!(
            neg.contains(r#"<rect x="45.0" y="2" width="45.0""#),
            "{neg}"
        );
        let pos = zbar(9.0, "#000000");
        assert!(
            pos.contains(r#"<rect x="90.0" y="2" width="90.0""#),
            "{pos}"
        );
    }
}
