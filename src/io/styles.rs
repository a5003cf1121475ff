//! QGIS layer styles for the output layers, as QML text.
//!
//! Each function returns a complete QGIS 3 QML document (the `<!DOCTYPE qgis …>` line, a
//! `<qgis version="3.22.16" styleCategories="Symbology">` root and one `<renderer-v2>`), in the
//! shape QGIS 3.22 itself writes with *Save Style…*. The same text can be saved next to a layer
//! as `areas.qml` or stored in the `styleQML` column of a GeoPackage's `layer_styles` table.
//!
//! | function | layer | renderer | field |
//! |---|---|---|---|
//! | [`signal_categorised`] | areas (polygons), the default of `analyse` | `categorizedSymbol`, the signal colours | `signal` |
//! | [`saldo_graduated`] | areas, for a map of the saldo itself (the clamped one: not the signal where the care rate's z is cut) | `graduatedSymbol`, diverging red → white → green | `saldo` |
//! | [`lisa_categorised`] | areas | `categorizedSymbol`, the LISA quadrant colours | e.g. `lisa_label` |
//! | [`rate_graduated`] | areas | `graduatedSymbol`, light → dark purple | e.g. `care_units_per_1000` |
//! | [`sites_by_group`] | sites (points) | `categorizedSymbol`, size from `wb_units` | `wb_target_group` |
//! | [`diverging_graduated`] | scenario_areas | `graduatedSymbol`, red → white → green around 0 | e.g. `saldo_delta` |
//! | [`signal_categorised_on`] | scenario_areas | `categorizedSymbol`, the signal colours | e.g. `signal_after` |
//! | [`verdict_categorised`] | suggestions, suitability (points) | `categorizedSymbol`, green / orange / red | `verdict` |
//! | [`score_graduated`] | suggestions, suitability (points) | `graduatedSymbol`, red → white → green around 50 | `score` |
//!
//! [`rate_graduated`] also styles the allocation (on `allocated` and on
//! `care_units_per_1000_after`) and the monitor layer.
//! The output is deterministic: no timestamps and no random ids. Symbols are named by their
//! index (`"0"`, `"1"`, …), which is what QGIS 3.22 writes; that version does not use `id`
//! attributes on symbols or symbol layers. Every attribute value is XML-escaped.
//!
//! # Class boundaries
//!
//! QGIS puts a value in the first range whose `lower ≤ value ≤ upper`. A graduated style with
//! breaks `b₀ < b₁ < … < bₙ₋₁` therefore has the classes `≤ b₀`, `(b₀, b₁]`, …, and an open top
//! class. The two open ends are written as ±10¹² ([`OPEN_END`]). In [`saldo_graduated`] the top
//! class starts *at* the last break (the largest `f64` below it is the upper bound of the class
//! before), so that a saldo of exactly 0.5 falls in `ruimte`, as in the signal rule
//! (`S ≥ 0.5 → ruimte`).

use std::fmt::Write as _;

use crate::{markup, palette};

/// QGIS version written in the `version` attribute of the root element.
pub const QGIS_VERSION: &str = "3.22.16";

/// The value written for the open lower end of the first class and the open upper end of the
/// last class of a graduated style.
pub const OPEN_END: f64 = 1.0e12;

/// Breaks of [`diverging_graduated`] for a change of the saldo (`saldo_delta` of the scenario
/// layer): a change within ±0.05 is white (unchanged areas have 0), and ±0.5, the width of the
/// oranje band, is the darkest class.
pub const SALDO_DELTA_BREAKS: [f64; 6] = [-0.5, -0.25, -0.05, 0.05, 0.25, 0.5];

/// Outline of every polygon symbol: thin and grey.
const OUTLINE_COLOUR: &str = "#808080";
const OUTLINE_WIDTH_MM: &str = "0.2";

/// Ends and centre of the diverging saldo ramp: the colours of `rood` and `ruimte`, white.
const RAMP_NEGATIVE: &str = palette::ROOD;
const RAMP_CENTRE: &str = "#ffffff";
const RAMP_POSITIVE: &str = palette::RUIMTE;

/// Ends of the sequential rate ramp (light → dark purple).
const RAMP_LIGHT: &str = "#f2f0f7";
const RAMP_DARK: &str = "#54278f";

/// The qualitative palette of [`sites_by_group`]; after ten groups the colours repeat with
/// the next marker shape.
const GROUP_PALETTE: [&str; 10] = [
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4",
    "#666666", "#b15928",
];
const GROUP_SHAPES: [&str; 6] = [
    "circle", "square", "triangle", "diamond", "pentagon", "star",
];

/// Marker size range (mm) of [`sites_by_group`], from 0 units to `max_units`.
const MARKER_MIN_MM: f64 = 2.0;
const MARKER_MAX_MM: f64 = 8.0;

/// QGIS `layerGeometryType` codes.
const GEOMETRY_POINT: u8 = 0;
const GEOMETRY_POLYGON: u8 = 2;

/// A graduated style on the field `saldo`: a diverging red → white → green ramp with classes at
/// the given breaks (normally the signal thresholds −1.0, −0.5 and 0.5), polygons with a thin
/// grey outline.
///
/// # Parameters
/// `breaks`: class boundaries. They are sorted; non-finite values and duplicates are dropped.
/// `n` breaks give `n + 1` classes: `≤ b₀`, `b₀ tot b₁`, …, `≥ bₙ₋₁`.
///
/// # Returns
/// A QML document. With exactly three breaks the classes are labelled with the signal names,
/// e.g. `≤ −1,0 (rood)`, `−1,0 tot −0,5 (oranje)`, `−0,5 tot 0,5 (neutraal)`, `≥ 0,5 (ruimte)`.
/// Classes below zero are red, darker the further from zero; classes above zero green; a class
/// that contains zero is white. A graduated renderer draws nothing for NULL, so areas without
/// a saldo (signal `onbekend`) stay empty; [`signal_categorised`] shows them in grey.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::saldo_graduated(&[-1.0, -0.5, 0.5]);
/// assert!(qml.contains(r#"type="graduatedSymbol""#));
/// assert!(qml.contains("(rood)"));
/// ```
pub fn saldo_graduated(breaks: &[f64]) -> String {
    let b = clean_breaks(breaks);
    let mut classes = class_bounds(&b);
    if let Some(last) = b.last() {
        // The top class starts at the last break: S ≥ ruimte is `ruimte`.
        let k = classes.len() - 2;
        classes[k].1 = next_below(*last);
    }
    let names = ["rood", "oranje", "neutraal", "ruimte"];
    let colours = diverging_colours(&b);
    let ranges: Vec<Range> = classes
        .iter()
        .enumerate()
        .map(|(k, &(lower, upper))| {
            let mut label = range_label(&b, k, true);
            if b.len() == 3 {
                label.push_str(&format!(" ({})", names[k]));
            }
            Range {
                lower,
                upper,
                label,
                colour: colours[k],
            }
        })
        .collect();
    graduated("saldo", &ranges, Geometry::Polygon)
}

/// A categorised style on the field `signal`: `rood` #d7191c, `oranje` #fdae61, `neutraal`
/// #ffffbf, `ruimte` #1a9641 and `onbekend` #bdbdbd, polygons with a thin grey outline.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::signal_categorised();
/// assert!(qml.contains(r#"attr="signal""#));
/// ```
pub fn signal_categorised() -> String {
    signal_categorised_on("signal")
}

/// [`signal_categorised`] on another field with signal values, e.g. `signal_after` of the
/// scenario layer.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::signal_categorised_on("signal_after");
/// assert!(qml.contains(r#"<category value="rood""#));
/// assert!(qml.contains(r#"attr="signal_after""#));
/// ```
pub fn signal_categorised_on(field: &str) -> String {
    let cats = [
        ("rood", "rood: saldo laag", palette::ROOD),
        ("oranje", "oranje", palette::ORANJE),
        ("neutraal", "neutraal", palette::NEUTRAAL),
        ("ruimte", "ruimte: saldo hoog", palette::RUIMTE),
        ("onbekend", "onbekend", palette::ONBEKEND),
    ];
    categorised(field, &cats, Geometry::Polygon)
}

/// A categorised style on a LISA label field (`lisa_label` for care units per 1,000,
/// `saldo_lisa_label` for the saldo): `HH` #d7191c, `LL` #2c7bb6, `LH` #abd9e9, `HL` #fdae61,
/// `niet significant` #eeeeee, and a white `geen waarde` category with an empty value, which
/// QGIS uses for NULL: areas where the statistic is undefined.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::lisa_categorised("saldo_lisa_label");
/// assert!(qml.contains(r#"attr="saldo_lisa_label""#));
/// ```
pub fn lisa_categorised(field: &str) -> String {
    let cats = [
        ("HH", "HH: hoog, buren hoog", "#d7191c"),
        ("LL", "LL: laag, buren laag", "#2c7bb6"),
        ("LH", "LH: laag, buren hoog", "#abd9e9"),
        ("HL", "HL: hoog, buren laag", "#fdae61"),
        ("niet significant", "niet significant", "#eeeeee"),
        ("", "geen waarde", "#ffffff"),
    ];
    categorised(field, &cats, Geometry::Polygon)
}

/// A graduated style on a change, e.g. `saldo_delta` of the scenario layer: a diverging
/// red → white → green ramp, classes below zero red (the further from zero the darker), above
/// zero green, the class that holds zero white; polygons with a thin grey outline.
///
/// # Parameters
/// `field`: the field to classify. `breaks`: class boundaries, cleaned as in
/// [`saldo_graduated`]; `n` breaks give the classes `≤ b₀`, `b₀ tot b₁`, …, `> bₙ₋₁`. Put zero
/// inside a class (e.g. `±0.05`) so that unchanged areas are white.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::diverging_graduated("saldo_delta", &[-0.25, -0.05, 0.05, 0.25]);
/// assert!(qml.contains(r#"label="−0,05 tot 0,05""#));
/// assert!(qml.contains("255,255,255,255")); // the class around zero
/// ```
pub fn diverging_graduated(field: &str, breaks: &[f64]) -> String {
    graduated(field, &diverging_ranges(breaks, 0.0), Geometry::Polygon)
}

/// The classes between the breaks with plain range labels and the diverging colours, white
/// around `centre` (0 for [`diverging_graduated`], 50 for [`score_graduated`]).
fn diverging_ranges(breaks: &[f64], centre: f64) -> Vec<Range> {
    let b = clean_breaks(breaks);
    let shifted: Vec<f64> = b.iter().map(|v| v - centre).collect();
    let colours = diverging_colours(&shifted);
    class_bounds(&b)
        .iter()
        .enumerate()
        .map(|(k, &(lower, upper))| Range {
            lower,
            upper,
            label: range_label(&b, k, false),
            colour: colours[k],
        })
        .collect()
}

/// A categorised point style on the verdict of a candidate location: `past` #1a9641 (green),
/// `past_onder_voorwaarden` #fdae61 (orange), `past_niet` #d7191c (red); circles of 3 mm.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::verdict_categorised("verdict");
/// assert!(qml.contains(r#"<category value="past_onder_voorwaarden""#));
/// assert!(qml.contains("<layerGeometryType>0</layerGeometryType>"));
/// ```
pub fn verdict_categorised(field: &str) -> String {
    let cats = [
        ("past", "past", palette::RUIMTE),
        (
            "past_onder_voorwaarden",
            "past onder voorwaarden",
            palette::ORANJE,
        ),
        ("past_niet", "past niet", palette::ROOD),
    ];
    categorised(field, &cats, Geometry::Point)
}

/// A categorised polygon style on the `status` of `compare_areas`: `gelijk` (the same boundary
/// in both vintages: the numbers compare like for like) light grey, `grens_gewijzigd` (the
/// boundary changed: not the same area, docs/METHOD.md §4.4) purple, so the areas whose
/// change must not be read as a trend stand out.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::boundary_status_categorised("status");
/// assert!(qml.contains(r#"<category value="grens_gewijzigd""#));
/// assert!(qml.contains(r#"attr="status""#));
/// ```
pub fn boundary_status_categorised(field: &str) -> String {
    let cats = [
        (
            "gelijk",
            "gelijke grens: vergelijkbaar",
            palette::GRENS_GELIJK,
        ),
        (
            "grens_gewijzigd",
            "grens gewijzigd: niet hetzelfde gebied",
            palette::GRENS_GEWIJZIGD,
        ),
    ];
    categorised(field, &cats, Geometry::Polygon)
}

/// A graduated point style on the `score` of candidate locations (the location score of
/// `suggest`, 0–100): red below 50 → white around 50 → green above, the diverging colours of
/// [`diverging_graduated`] centred on 50; circles of 3 mm.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::score_graduated(&[20.0, 40.0, 60.0, 80.0]);
/// assert!(qml.contains(r#"attr="score""#));
/// assert!(qml.contains(r#"type="marker""#));
/// assert!(qml.contains(r#"label="40,0 tot 60,0""#));
/// ```
pub fn score_graduated(breaks: &[f64]) -> String {
    graduated(
        "score",
        &diverging_ranges(breaks, SCORE_CENTRE),
        Geometry::Point,
    )
}

/// The middle of the 0–100 location score: white in [`score_graduated`].
const SCORE_CENTRE: f64 = 50.0;

/// A graduated style on a rate field (e.g. `care_units_per_1000`): a sequential light → dark
/// purple ramp, polygons with a thin grey outline.
///
/// # Parameters
/// `field`: the field to classify. `breaks`: class boundaries, cleaned as in
/// [`saldo_graduated`]; `n` breaks give the classes `≤ b₀`, `b₀ tot b₁`, …, `> bₙ₋₁`.
///
/// # Example
/// ```
/// let qml = wijkbalans::io::styles::rate_graduated("care_units_per_1000", &[1.0, 2.0, 4.0]);
/// assert!(qml.contains(r#"label="&gt; 4,0""#));
/// ```
pub fn rate_graduated(field: &str, breaks: &[f64]) -> String {
    let b = clean_breaks(breaks);
    let classes = class_bounds(&b);
    let (light, dark) = (hex(RAMP_LIGHT), hex(RAMP_DARK));
    let m = classes.len();
    let ranges: Vec<Range> = classes
        .iter()
        .enumerate()
        .map(|(k, &(lower, upper))| {
            let t = if m == 1 {
                0.5
            } else {
                k as f64 / (m - 1) as f64
            };
            Range {
                lower,
                upper,
                label: range_label(&b, k, false),
                colour: mix(light, dark, t),
            }
        })
        .collect();
    graduated(field, &ranges, Geometry::Polygon)
}

/// A point style for the sites layer: categorised on `wb_target_group`, one colour per group
/// from a fixed qualitative palette (in the order given; after ten groups the colours repeat
/// with another marker shape), and a marker size defined by the data:
/// `scale_linear("wb_units", 0, max_units, 2, 8)` mm.
///
/// QGIS 3.22 does not draw a site whose group has no category, so pass every group the layer
/// can hold (normally all configured target groups; a site without a group is `overig`).
///
/// # Parameters
/// `groups`: `(id, label)` per target group; the id is the value of `wb_target_group`, the
/// label is shown in the legend. `max_units`: the number of units that gets the largest
/// marker, normally the largest `wb_units` of the layer; a value that is not positive and
/// finite is replaced by 1.
///
/// # Example
/// ```
/// let groups = vec![("beschermd_wonen".to_string(), "Beschermd wonen".to_string())];
/// let qml = wijkbalans::io::styles::sites_by_group(&groups, 24.0);
/// assert!(qml.contains("scale_linear(&quot;wb_units&quot;, 0, 24, 2, 8)"));
/// ```
pub fn sites_by_group(groups: &[(String, String)], max_units: f64) -> String {
    let max = if max_units.is_finite() && max_units > 0.0 {
        max_units
    } else {
        1.0
    };
    let size = format!(
        "scale_linear(\"wb_units\", 0, {}, {}, {})",
        max, MARKER_MIN_MM, MARKER_MAX_MM
    );
    points_categorised("wb_target_group", groups, Some(&size))
}

/// A point style for the facilities layer: categorised on `wb_type`, one colour per category
/// in the order given (after ten the colours repeat with another marker shape), markers of
/// one size.
///
/// # Parameters
/// `types`: `(id, label)` per facility category; the id is the value of `wb_type`, the label
/// is shown in the legend. Pass every category the layer can hold (normally all configured
/// `[[access.category]]`): QGIS does not draw a facility whose type has no category.
///
/// # Example
/// ```
/// let types = vec![("huisarts".to_string(), "Huisarts".to_string())];
/// let qml = wijkbalans::io::styles::facilities_by_type(&types);
/// assert!(qml.contains("attr=\"wb_type\"") && qml.contains("Huisarts"));
/// ```
pub fn facilities_by_type(types: &[(String, String)]) -> String {
    points_categorised("wb_type", types, None)
}

/// A categorised point renderer on `field`: one class per `(value, label)`, colours and shapes
/// as in [`sites_by_group`], the marker size an expression (`size`) or the default.
fn points_categorised(field: &str, classes: &[(String, String)], size: Option<&str>) -> String {
    let mut x = categorised_start(
        field,
        classes
            .iter()
            .map(|(id, label)| (id.as_str(), label.as_str())),
    );
    x.open("symbols", &[]);
    for k in 0..classes.len() {
        let colour = hex(GROUP_PALETTE[k % GROUP_PALETTE.len()]);
        let shape = GROUP_SHAPES[(k / GROUP_PALETTE.len()) % GROUP_SHAPES.len()];
        marker_symbol(&mut x, &k.to_string(), colour, shape, size);
    }
    x.close("symbols");
    x.empty("rotation", &[]);
    x.empty("sizescale", &[]);
    x.close("renderer-v2");
    x.finish(GEOMETRY_POINT)
}

// ---------------------------------------------------------------------------------------------
// Renderers

/// One class of a graduated renderer.
struct Range {
    lower: f64,
    upper: f64,
    label: String,
    colour: Rgb,
}

/// The geometry a renderer draws: polygons get fill symbols, points 3 mm circles.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Geometry {
    Polygon,
    Point,
}

impl Geometry {
    fn symbol(self, x: &mut Xml, name: &str, colour: Rgb) {
        match self {
            Geometry::Polygon => fill_symbol(x, name, colour),
            Geometry::Point => marker_symbol(x, name, colour, "circle", None),
        }
    }

    fn code(self) -> u8 {
        match self {
            Geometry::Polygon => GEOMETRY_POLYGON,
            Geometry::Point => GEOMETRY_POINT,
        }
    }
}

fn graduated(field: &str, ranges: &[Range], geometry: Geometry) -> String {
    let mut x = Xml::start();
    x.open(
        "renderer-v2",
        &[
            ("attr", field),
            ("enableorderby", "0"),
            ("type", "graduatedSymbol"),
            ("referencescale", "-1"),
            ("graduatedMethod", "GraduatedColor"),
            ("symbollevels", "0"),
            ("forceraster", "0"),
        ],
    );
    x.open("ranges", &[]);
    for (k, r) in ranges.iter().enumerate() {
        x.empty(
            "range",
            &[
                ("label", &r.label),
                ("lower", &r.lower.to_string()),
                ("symbol", &k.to_string()),
                ("render", "true"),
                ("upper", &r.upper.to_string()),
            ],
        );
    }
    x.close("ranges");
    x.open("symbols", &[]);
    for (k, r) in ranges.iter().enumerate() {
        geometry.symbol(&mut x, &k.to_string(), r.colour);
    }
    x.close("symbols");
    x.open("classificationMethod", &[("id", "Custom")]);
    x.empty(
        "symmetricMode",
        &[("enabled", "0"), ("astride", "0"), ("symmetrypoint", "0")],
    );
    x.empty(
        "labelFormat",
        &[
            ("labelprecision", "4"),
            ("trimtrailingzeroes", "1"),
            ("format", "%1 - %2"),
        ],
    );
    x.open("parameters", &[]);
    x.empty("Option", &[]);
    x.close("parameters");
    x.empty("extraInformation", &[]);
    x.close("classificationMethod");
    x.empty("rotation", &[]);
    x.empty("sizescale", &[]);
    x.close("renderer-v2");
    x.finish(geometry.code())
}

/// A categorised renderer on `field` with one category per `(value, label, hex colour)`.
fn categorised(field: &str, cats: &[(&str, &str, &str)], geometry: Geometry) -> String {
    let mut x = categorised_start(field, cats.iter().map(|(value, label, _)| (*value, *label)));
    x.open("symbols", &[]);
    for (k, (_, _, colour)) in cats.iter().enumerate() {
        geometry.symbol(&mut x, &k.to_string(), hex(colour));
    }
    x.close("symbols");
    x.empty("rotation", &[]);
    x.empty("sizescale", &[]);
    x.close("renderer-v2");
    x.finish(geometry.code())
}

/// The start of a categorised renderer on `field`: the open `<renderer-v2>` and its
/// `<categories>`, one `<category>` per `(value, label)` drawn with the symbol of its index
/// (QGIS 3.22 matches an empty value to NULL). The caller writes the `<symbols>` in the same
/// order and closes the renderer.
fn categorised_start<'a>(field: &str, categories: impl Iterator<Item = (&'a str, &'a str)>) -> Xml {
    let mut x = Xml::start();
    x.open(
        "renderer-v2",
        &[
            ("attr", field),
            ("enableorderby", "0"),
            ("type", "categorizedSymbol"),
            ("referencescale", "-1"),
            ("symbollevels", "0"),
            ("forceraster", "0"),
        ],
    );
    x.open("categories", &[]);
    for (k, (value, label)) in categories.enumerate() {
        x.empty(
            "category",
            &[
                ("value", value),
                ("label", label),
                ("symbol", &k.to_string()),
                ("render", "true"),
            ],
        );
    }
    x.close("categories");
    x
}

// ---------------------------------------------------------------------------------------------
// Symbols

/// The properties the fill and the marker symbol layers share: the colour, bevel joins, no
/// offset, and a solid outline of [`OUTLINE_WIDTH_MM`].
fn shared_props(colour: Rgb) -> Vec<(&'static str, String)> {
    vec![
        ("color", colour.qgis()),
        ("joinstyle", "bevel".into()),
        ("offset", "0,0".into()),
        ("offset_map_unit_scale", "3x:0,0,0,0,0,0".into()),
        ("offset_unit", "MM".into()),
        ("outline_style", "solid".into()),
        ("outline_width", OUTLINE_WIDTH_MM.into()),
        ("outline_width_unit", "MM".into()),
    ]
}

/// [`shared_props`] with `own`, sorted by name as QGIS writes them.
fn props_with(colour: Rgb, own: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let mut props = shared_props(colour);
    props.extend_from_slice(own);
    props.sort_by_key(|p| p.0);
    props
}

fn fill_symbol(x: &mut Xml, name: &str, colour: Rgb) {
    let props = props_with(
        colour,
        &[
            ("border_width_map_unit_scale", "3x:0,0,0,0,0,0".into()),
            ("outline_color", hex(OUTLINE_COLOUR).qgis()),
            ("style", "solid".into()),
        ],
    );
    simple_symbol(x, name, "fill", "SimpleFill", &props, None);
}

/// A simple marker of 4 mm (3 mm without a data-defined size); `size_expression` sets the
/// size from the data, e.g. `scale_linear("wb_units", 0, 24, 2, 8)`.
fn marker_symbol(x: &mut Xml, name: &str, colour: Rgb, shape: &str, size_expression: Option<&str>) {
    let size = if size_expression.is_some() { "4" } else { "3" };
    let props = props_with(
        colour,
        &[
            ("angle", "0".into()),
            ("cap_style", "square".into()),
            ("horizontal_anchor_point", "1".into()),
            ("name", shape.into()),
            ("outline_color", "50,50,50,255".into()),
            ("outline_width_map_unit_scale", "3x:0,0,0,0,0,0".into()),
            ("scale_method", "diameter".into()),
            ("size", size.into()),
            ("size_map_unit_scale", "3x:0,0,0,0,0,0".into()),
            ("size_unit", "MM".into()),
            ("vertical_anchor_point", "1".into()),
        ],
    );
    simple_symbol(
        x,
        name,
        "marker",
        "SimpleMarker",
        &props,
        size_expression.map(|e| ("size", e)),
    );
}

/// A symbol of one simple symbol layer (`kind` fill or marker, `class` SimpleFill or
/// SimpleMarker) with its properties and an optional data-defined property.
fn simple_symbol(
    x: &mut Xml,
    name: &str,
    kind: &str,
    class: &str,
    props: &[(&str, String)],
    defined: Option<(&str, &str)>,
) {
    x.open(
        "symbol",
        &[
            ("alpha", "1"),
            ("clip_to_extent", "1"),
            ("type", kind),
            ("name", name),
            ("force_rhr", "0"),
        ],
    );
    data_defined(x, None);
    x.open(
        "layer",
        &[
            ("enabled", "1"),
            ("locked", "0"),
            ("class", class),
            ("pass", "0"),
        ],
    );
    properties(x, props);
    data_defined(x, defined);
    x.close("layer");
    x.close("symbol");
}

/// Symbol layer properties, written twice as QGIS 3.22 does: as an `Option` map (read by
/// 3.16 and later) and as `prop` elements (read by older 3.x).
fn properties(x: &mut Xml, props: &[(&str, String)]) {
    x.open("Option", &[("type", "Map")]);
    for (k, v) in props {
        x.empty("Option", &[("value", v), ("type", "QString"), ("name", k)]);
    }
    x.close("Option");
    for (k, v) in props {
        x.empty("prop", &[("v", v), ("k", k)]);
    }
}

/// The `data_defined_properties` collection; `property` is one active expression-based
/// property (`(key, expression)`), e.g. `("size", "scale_linear(…)")`.
fn data_defined(x: &mut Xml, property: Option<(&str, &str)>) {
    x.open("data_defined_properties", &[]);
    x.open("Option", &[("type", "Map")]);
    x.empty(
        "Option",
        &[("value", ""), ("type", "QString"), ("name", "name")],
    );
    match property {
        None => x.empty("Option", &[("name", "properties")]),
        Some((key, expression)) => {
            x.open("Option", &[("type", "Map"), ("name", "properties")]);
            x.open("Option", &[("type", "Map"), ("name", key)]);
            x.empty(
                "Option",
                &[("value", "true"), ("type", "bool"), ("name", "active")],
            );
            x.empty(
                "Option",
                &[
                    ("value", expression),
                    ("type", "QString"),
                    ("name", "expression"),
                ],
            );
            // QgsProperty::ExpressionBasedProperty
            x.empty(
                "Option",
                &[("value", "3"), ("type", "int"), ("name", "type")],
            );
            x.close("Option");
            x.close("Option");
        }
    }
    x.empty(
        "Option",
        &[
            ("value", "collection"),
            ("type", "QString"),
            ("name", "type"),
        ],
    );
    x.close("Option");
    x.close("data_defined_properties");
}

// ---------------------------------------------------------------------------------------------
// Classes, labels and colours

/// Finite breaks, sorted, without duplicates.
fn clean_breaks(breaks: &[f64]) -> Vec<f64> {
    let mut b: Vec<f64> = breaks.iter().copied().filter(|v| v.is_finite()).collect();
    b.sort_by(f64::total_cmp);
    b.dedup();
    b
}

/// `(lower, upper)` of the `n + 1` classes of `n` breaks, with the open ends at ±[`OPEN_END`].
fn class_bounds(b: &[f64]) -> Vec<(f64, f64)> {
    let mut edges = Vec::with_capacity(b.len() + 2);
    edges.push(-OPEN_END.max(b.first().map_or(0.0, |v| v.abs() * 10.0)));
    edges.extend_from_slice(b);
    edges.push(OPEN_END.max(b.last().map_or(0.0, |v| v.abs() * 10.0)));
    edges.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The largest `f64` below `v` (for finite `v`).
fn next_below(v: f64) -> f64 {
    if v == 0.0 {
        return -f64::from_bits(1);
    }
    let bits = v.to_bits();
    if v > 0.0 {
        f64::from_bits(bits - 1)
    } else {
        f64::from_bits(bits + 1)
    }
}

/// `≤ b₀`, `bₖ₋₁ tot bₖ`, and `≥ bₙ₋₁` (`top_inclusive`) or `> bₙ₋₁`.
fn range_label(b: &[f64], k: usize, top_inclusive: bool) -> String {
    if b.is_empty() {
        return "alle waarden".into();
    }
    if k == 0 {
        format!("≤ {}", dutch_number(b[0]))
    } else if k == b.len() {
        let op = if top_inclusive { "≥" } else { ">" };
        format!("{op} {}", dutch_number(b[k - 1]))
    } else {
        format!("{} tot {}", dutch_number(b[k - 1]), dutch_number(b[k]))
    }
}

/// A break for a legend: decimal comma, a real minus sign, at least one decimal
/// (`−1,0`, `0,25`).
fn dutch_number(v: f64) -> String {
    let mut s = v.abs().to_string();
    if !s.contains('.') {
        s.push_str(".0");
    }
    let s = s.replace('.', ",");
    if v < 0.0 {
        format!("−{s}")
    } else {
        s
    }
}

/// Class colours of the diverging ramp: classes below zero red (full red for the class
/// furthest from zero, lighter towards zero), classes above zero green, a class containing
/// zero white.
fn diverging_colours(b: &[f64]) -> Vec<Rgb> {
    let m = b.len() + 1;
    let lower = |k: usize| if k == 0 { f64::NEG_INFINITY } else { b[k - 1] };
    let upper = |k: usize| if k == m - 1 { f64::INFINITY } else { b[k] };
    let negative: Vec<usize> = (0..m).filter(|&k| upper(k) <= 0.0).collect();
    let positive: Vec<usize> = (0..m).filter(|&k| lower(k) >= 0.0).collect();
    let (neg, centre, pos) = (hex(RAMP_NEGATIVE), hex(RAMP_CENTRE), hex(RAMP_POSITIVE));
    (0..m)
        .map(|k| {
            if let Some(i) = negative.iter().position(|&j| j == k) {
                // i = 0 is the class furthest from zero.
                let n = negative.len() as f64;
                mix(centre, neg, (n - i as f64) / n)
            } else if let Some(i) = positive.iter().position(|&j| j == k) {
                let n = positive.len() as f64;
                mix(centre, pos, (i as f64 + 1.0) / n)
            } else {
                centre
            }
        })
        .collect()
}

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rgb(u8, u8, u8);

impl Rgb {
    /// QGIS's `r,g,b,a` colour text.
    fn qgis(self) -> String {
        format!("{},{},{},255", self.0, self.1, self.2)
    }
}

/// `#rrggbb` (a constant of this module) to a colour.
fn hex(s: &str) -> Rgb {
    let c = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).expect("a #rrggbb constant");
    Rgb(c(1), c(3), c(5))
}

/// Linear mix: `t = 0` gives `a`, `t = 1` gives `b`.
fn mix(a: Rgb, b: Rgb, t: f64) -> Rgb {
    let f = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    Rgb(f(a.0, b.0), f(a.1, b.1), f(a.2, b.2))
}

// ---------------------------------------------------------------------------------------------
// XML

/// A minimal indenting XML writer: elements with attributes, no text nodes other than the
/// fixed trailer.
struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn start() -> Self {
        let mut out = String::new();
        out.push_str("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
        let _ = writeln!(
            out,
            "<qgis version=\"{QGIS_VERSION}\" styleCategories=\"Symbology\">"
        );
        Xml { out, depth: 1 }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)], end: &str) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", markup::xml_attribute(v));
        }
        self.out.push_str(end);
        self.out.push('\n');
    }

    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs, ">");
        self.depth += 1;
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs, "/>");
    }

    fn close(&mut self, name: &str) {
        self.depth -= 1;
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
        let _ = writeln!(self.out, "</{name}>");
    }

    /// The layer-level trailer and the end of the document.
    fn finish(mut self, geometry_type: u8) -> String {
        let _ = writeln!(self.out, "  <blendMode>0</blendMode>");
        let _ = writeln!(self.out, "  <featureBlendMode>0</featureBlendMode>");
        let _ = writeln!(
            self.out,
            "  <layerGeometryType>{geometry_type}</layerGeometryType>"
        );
        self.out.push_str("</qgis>\n");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small well-formedness check: one `<!DOCTYPE>` line, then every element closed in
    /// order, attribute values quoted, no raw `<` or stray `&` in attributes or text.
    fn well_formed(doc: &str) -> Result<usize, String> {
        let rest = doc
            .strip_prefix("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n")
            .ok_or("no DOCTYPE line")?;
        let mut stack: Vec<&str> = Vec::new();
        let mut elements = 0;
        let mut s = rest;
        while let Some(lt) = s.find('<') {
            check_text(&s[..lt])?;
            let gt = s[lt..].find('>').ok_or("unclosed tag")? + lt;
            let tag = &s[lt + 1..gt];
            s = &s[gt + 1..];
            if let Some(name) = tag.strip_prefix('/') {
                match stack.pop() {
                    Some(open) if open == name => {}
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
                continue;
            }
            let (body, self_closing) = match tag.strip_suffix('/') {
                Some(b) => (b, true),
                None => (tag, false),
            };
            let name_end = body.find(' ').unwrap_or(body.len());
            let name = &body[..name_end];
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!("bad element name in <{tag}>"));
            }
            check_attributes(&body[name_end..])?;
            elements += 1;
            if stack.is_empty() && name != "qgis" {
                return Err(format!("root element is <{name}>"));
            }
            if !self_closing {
                stack.push(name);
            }
        }
        check_text(s)?;
        if !stack.is_empty() {
            return Err(format!("unclosed: {stack:?}"));
        }
        Ok(elements)
    }

    fn check_text(t: &str) -> Result<(), String> {
        for (i, _) in t.match_indices('&') {
            let ok = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                .iter()
                .any(|e| t[i..].starts_with(e));
            if !ok {
                return Err(format!("stray & in {t:?}"));
            }
        }
        Ok(())
    }

    fn check_attributes(mut a: &str) -> Result<(), String> {
        loop {
            a = a.trim_start();
            if a.is_empty() {
                return Ok(());
            }
            let eq = a
                .find("=\"")
                .ok_or(format!("attribute without =\"…\": {a}"))?;
            let name = &a[..eq];
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!("bad attribute name {name:?}"));
            }
            let value_end = a[eq + 2..].find('"').ok_or("unterminated attribute")? + eq + 2;
            check_text(&a[eq + 2..value_end])?;
            a = &a[value_end + 1..];
        }
    }

    fn all_styles() -> Vec<(&'static str, String)> {
        let groups = vec![
            ("beschermd_wonen".to_string(), "Beschermd wonen".to_string()),
            ("housing_first".to_string(), "Housing First".to_string()),
            (
                "ouderen_geclusterd".to_string(),
                "Ouderen <geclusterd> & zo".to_string(),
            ),
        ];
        vec![
            (
                "styles_saldo_graduated",
                saldo_graduated(&[-1.0, -0.5, 0.5]),
            ),
            ("styles_signal_categorised", signal_categorised()),
            ("styles_lisa_categorised", lisa_categorised("lisa_label")),
            (
                "styles_rate_graduated",
                rate_graduated("care_units_per_1000", &[1.0, 2.5, 5.0]),
            ),
            ("styles_sites_by_group", sites_by_group(&groups, 24.0)),
            (
                "styles_delta_diverging",
                diverging_graduated("saldo_delta", &DELTA_BREAKS),
            ),
            (
                "styles_signal_after_categorised",
                signal_categorised_on("signal_after"),
            ),
            ("styles_verdict_categorised", verdict_categorised("verdict")),
            (
                "styles_score_graduated",
                score_graduated(&[20.0, 40.0, 60.0, 80.0]),
            ),
        ]
    }

    /// The saldo-change breaks the scenario command uses.
    const DELTA_BREAKS: [f64; 6] = SALDO_DELTA_BREAKS;

    #[test]
    fn every_style_is_well_formed() {
        for (name, qml) in all_styles() {
            let n = well_formed(&qml).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(n > 20, "{name}: only {n} elements");
            assert!(qml.contains(r#"<qgis version="3.22.16" styleCategories="Symbology">"#));
        }
    }

    #[test]
    fn the_checker_catches_broken_documents() {
        let head = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n";
        assert!(well_formed(&format!("{head}<qgis><a></qgis>")).is_err());
        assert!(well_formed(&format!("{head}<qgis><a x=\"1 & 2\"/></qgis>")).is_err());
        assert!(well_formed(&format!("{head}<qgis><a x=1/></qgis>")).is_err());
        assert!(well_formed(&format!("{head}<qgis></qgis><b/>")).is_err());
        assert!(well_formed(&format!("{head}<qgis><a x=\"&lt;\"/></qgis>")).is_ok());
    }

    #[test]
    fn renderer_type_and_field() {
        let cases = [
            (
                saldo_graduated(&[-1.0, -0.5, 0.5]),
                "graduatedSymbol",
                "saldo",
            ),
            (signal_categorised(), "categorizedSymbol", "signal"),
            (
                lisa_categorised("saldo_lisa_label"),
                "categorizedSymbol",
                "saldo_lisa_label",
            ),
            (
                rate_graduated("care_units_per_1000", &[1.0]),
                "graduatedSymbol",
                "care_units_per_1000",
            ),
            (
                sites_by_group(&[], 10.0),
                "categorizedSymbol",
                "wb_target_group",
            ),
            (
                diverging_graduated("saldo_delta", &DELTA_BREAKS),
                "graduatedSymbol",
                "saldo_delta",
            ),
            (
                signal_categorised_on("signal_after"),
                "categorizedSymbol",
                "signal_after",
            ),
            (
                verdict_categorised("verdict"),
                "categorizedSymbol",
                "verdict",
            ),
            (score_graduated(&[50.0]), "graduatedSymbol", "score"),
        ];
        for (qml, kind, field) in cases {
            assert!(qml.contains(&format!(r#"type="{kind}""#)), "{kind}");
            assert!(
                qml.contains(&format!(r#"<renderer-v2 attr="{field}""#)),
                "{field}"
            );
        }
    }

    #[test]
    fn saldo_classes_follow_the_signal_rule() {
        let qml = saldo_graduated(&[0.5, -1.0, -0.5, f64::NAN, -0.5]);
        assert_eq!(qml, saldo_graduated(&[-1.0, -0.5, 0.5]));
        assert_eq!(qml.matches("<range ").count(), 4);
        for label in [
            "≤ −1,0 (rood)",
            "−1,0 tot −0,5 (oranje)",
            "−0,5 tot 0,5 (neutraal)",
            "≥ 0,5 (ruimte)",
        ] {
            assert!(qml.contains(&format!(r#"label="{label}""#)), "{label}");
        }
        // The neutral class ends just below 0.5; ruimte starts at 0.5.
        assert!(qml.contains(r#"upper="0.49999999999999994""#));
        assert!(qml.contains(r#"lower="0.5""#));
        // Red, light red, white, green.
        assert_eq!(
            colours(&qml),
            [
                "215,25,28,255",
                "235,140,142,255",
                "255,255,255,255",
                "26,150,65,255"
            ]
        );
    }

    #[test]
    fn other_breaks_have_plain_labels() {
        let qml = saldo_graduated(&[-2.0, 0.0, 2.0, 4.0]);
        assert!(qml.contains(r#"label="≤ −2,0""#));
        assert!(qml.contains(r#"label="≥ 4,0""#));
        assert!(qml.contains(r#"label="0,0 tot 2,0""#));
        assert!(!qml.contains("(rood)"));
        let one = saldo_graduated(&[]);
        assert_eq!(one.matches("<range ").count(), 1);
        assert!(one.contains(r#"label="alle waarden""#));
    }

    #[test]
    fn rate_ramp_goes_from_light_to_dark() {
        let qml = rate_graduated("care_units_per_1000", &[1.0, 2.5, 5.0]);
        assert!(qml.contains(r#"label="≤ 1,0""#));
        assert!(qml.contains(r#"label="2,5 tot 5,0""#));
        assert!(qml.contains(r#"label="&gt; 5,0""#));
        assert!(qml.contains("242,240,247,255"));
        assert!(qml.contains("84,39,143,255"));
    }

    /// The fill colours of a style's symbols, in order, as QGIS's `r,g,b,a`.
    fn colours(qml: &str) -> Vec<&str> {
        qml.lines()
            .filter(|l| l.contains(r#"name="color""#))
            .map(|l| l.split('"').nth(1).unwrap())
            .collect()
    }

    /// Asserts that `qml` has a category for every value and a symbol of every colour.
    #[track_caller]
    fn assert_categories(qml: &str, categories: &[(&str, &str)]) {
        for (value, rgb) in categories {
            assert!(
                qml.contains(&format!(r#"<category value="{value}""#)),
                "{value}"
            );
            assert!(colours(qml).iter().any(|c| c.starts_with(rgb)), "{rgb}");
        }
    }

    #[test]
    fn categories_have_the_agreed_colours() {
        assert_categories(
            &signal_categorised(),
            &[
                ("rood", "215,25,28,255"),
                ("oranje", "253,174,97,255"),
                ("neutraal", "255,255,191,255"),
                ("ruimte", "26,150,65,255"),
                ("onbekend", "189,189,189,255"),
            ],
        );
        assert_categories(
            &lisa_categorised("lisa_label"),
            &[
                ("HH", "215,25,28,"),
                ("LL", "44,123,182,"),
                ("LH", "171,217,233,"),
                ("HL", "253,174,97,"),
                ("niet significant", "238,238,238,"),
                ("", "255,255,255,"),
            ],
        );
    }

    #[test]
    fn sites_have_one_colour_per_group_and_a_data_defined_size() {
        let groups: Vec<(String, String)> = (0..12)
            .map(|k| (format!("g{k}"), format!("groep {k}")))
            .collect();
        let qml = sites_by_group(&groups, 30.0);
        assert_eq!(qml.matches("<category ").count(), 12);
        let looks: Vec<(String, String)> = (0..12)
            .map(|k| {
                let sym = qml
                    .split(&format!(r#"type="marker" name="{k}""#))
                    .nth(1)
                    .unwrap();
                let get = |key: &str| {
                    let line = sym
                        .lines()
                        .find(|l| l.contains(&format!(r#"k="{key}""#)))
                        .unwrap();
                    line.split('"').nth(1).unwrap().to_string()
                };
                (get("color"), get("name"))
            })
            .collect();
        let mut distinct = looks.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 12, "{looks:?}");
        assert_eq!(
            qml.matches("scale_linear(&quot;wb_units&quot;, 0, 30, 2, 8)")
                .count(),
            12
        );
        assert!(sites_by_group(&groups, f64::NAN).contains("0, 1, 2, 8)"));
        assert!(sites_by_group(&groups, -3.0).contains("0, 1, 2, 8)"));
    }

    #[test]
    fn facilities_are_categorised_on_their_type_with_one_marker_size() {
        let types = vec![
            ("supermarkt".to_string(), "Supermarkt".to_string()),
            ("huisarts".to_string(), "Huisarts".to_string()),
        ];
        let qml = facilities_by_type(&types);
        assert!(qml.contains(r#"attr="wb_type""#) && qml.contains("categorizedSymbol"));
        assert_eq!(qml.matches("<category ").count(), 2);
        assert!(qml.contains(r#"value="huisarts""#) && qml.contains(r#"label="Huisarts""#));
        assert!(!qml.contains("scale_linear"));
    }

    #[test]
    fn a_change_is_white_around_zero_red_below_and_green_above() {
        let qml = diverging_graduated("saldo_delta", &DELTA_BREAKS);
        assert_eq!(qml.matches("<range ").count(), 7);
        // Three classes below zero: white → #d7191c at 3/3, 2/3, 1/3 (e.g. 255 + (25 − 255)·2/3
        // = 101.7 → 102); the class around zero white; three above: white → #1a9641 at 1/3,
        // 2/3, 3/3.
        assert_eq!(
            colours(&qml),
            [
                "215,25,28,255",
                "228,102,104,255",
                "242,178,179,255",
                "255,255,255,255",
                "179,220,192,255",
                "102,185,128,255",
                "26,150,65,255",
            ]
        );
        assert!(qml.contains(r#"label="≤ −0,5""#));
        assert!(qml.contains(r#"label="−0,05 tot 0,05""#));
        assert!(qml.contains(r#"label="&gt; 0,5""#));
        assert!(qml.contains("<layerGeometryType>2</layerGeometryType>"));
    }

    #[test]
    fn verdicts_and_scores_are_points() {
        let v = verdict_categorised("verdict");
        assert_categories(
            &v,
            &[
                ("past", "26,150,65,255"),
                ("past_onder_voorwaarden", "253,174,97,255"),
                ("past_niet", "215,25,28,255"),
            ],
        );
        for qml in [v, score_graduated(&[25.0, 50.0, 75.0])] {
            assert!(qml.contains("<layerGeometryType>0</layerGeometryType>"));
            assert!(qml.contains(r#"type="marker""#) && !qml.contains(r#"type="fill""#));
            assert!(qml.contains(r#"<prop v="3" k="size"/>"#));
            assert!(!qml.contains("scale_linear"), "no data-defined size");
        }
        let s = signal_categorised_on("signal_after");
        assert_eq!(
            s.replace("signal_after", "signal"),
            signal_categorised(),
            "the same categories on another field"
        );
    }

    #[test]
    fn labels_and_values_are_escaped() {
        let groups = vec![("a\"b".to_string(), "x < y & z".to_string())];
        let qml = sites_by_group(&groups, 1.0);
        assert!(qml.contains(r#"value="a&quot;b""#));
        assert!(qml.contains(r#"label="x &lt; y &amp; z""#));
        well_formed(&qml).unwrap();
        let odd = lisa_categorised("veld \"met\" <tekens>");
        well_formed(&odd).unwrap();
        assert!(odd.contains(r#"attr="veld &quot;met&quot; &lt;tekens&gt;""#));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(all_styles(), all_styles());
    }

    #[test]
    fn snapshots_of_every_style() {
        // with the report's snapshots
        crate::report::html::tests::snapshots().bind(|| {
            for (name, qml) in all_styles() {
                insta::assert_snapshot!(name, qml);
            }
        });
    }

    /// A Python interpreter that can `import qgis.core`: `$WIJKBALANS_QGIS_PYTHON`, `python3`
    /// or `/usr/bin/python3` (Debian's `python3-qgis` installs there).
    fn qgis_python() -> Option<String> {
        let mut candidates: Vec<String> = Vec::new();
        if let Ok(p) = std::env::var("WIJKBALANS_QGIS_PYTHON") {
            candidates.push(p);
        }
        candidates.extend(["python3".to_string(), "/usr/bin/python3".to_string()]);
        candidates.into_iter().find(|p| {
            std::process::Command::new(p)
                .args(["-c", "import qgis.core"])
                .env("QT_QPA_PLATFORM", "offscreen")
                .output()
                .is_ok_and(|o| o.status.success())
        })
    }

    /// Loads a QML file into an in-memory layer and reports the renderer, its classes and the
    /// legend label QGIS picks for a few feature values.
    const LOAD_IN_QGIS: &str = r#"
import json, os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsFeature, QgsMarkerSymbol, QgsRenderContext,
                       QgsVectorLayer)
app = QgsApplication([], False)
app.initQgis()
spec = json.load(sys.stdin)
out = []
for s in spec:
    uri = s["geometry"] + "?crs=EPSG:4326" + "".join(
        "&field=%s:%s" % (f, t) for f, t in s["fields"])
    layer = QgsVectorLayer(uri, "t", "memory")
    msg, ok = layer.loadNamedStyle(s["path"])
    r = layer.renderer()
    res = {"name": s["name"], "ok": bool(ok), "message": msg, "type": r.type(),
           "attr": r.classAttribute(), "hits": [], "size": []}
    if r.type() == "graduatedSymbol":
        res["classes"] = [x.label() for x in r.ranges()]
    else:
        res["classes"] = [c.label() for c in r.categories()]
    labels = {i.ruleKey(): i.label() for i in r.legendSymbolItems()}
    ctx = QgsRenderContext()
    r.startRender(ctx, layer.fields())
    for value in s["values"]:
        f = QgsFeature(layer.fields())
        f.setAttribute(s["fields"][0][0], value)
        keys = r.legendKeysForFeature(f, ctx)
        res["hits"].append([labels.get(k) for k in keys])
    for sym in r.symbols(ctx):
        if isinstance(sym, QgsMarkerSymbol):
            dd = sym.dataDefinedSize()
            res["size"].append(dd.expressionString() if dd.isActive() else None)
    r.stopRender(ctx)
    out.append(res)
print(json.dumps(out))
app.exitQgis()
"#;

    /// One style to load: name, QML, geometry type, the classified field and its type, and
    /// the values to look up.
    type QgisCase = (
        &'static str,
        String,
        &'static str,
        [&'static str; 2],
        serde_json::Value,
    );

    /// Opt-in: `cargo test --lib io::styles -- --ignored` with QGIS 3 Python bindings
    /// (Debian: `apt-get install python3-qgis qgis-providers`).
    #[test]
    #[allow(clippy::print_stderr)]
    fn qgis_loads_every_style() {
        if std::env::var_os("WIJKBALANS_SKIP_QGIS").is_some_and(|v| v == "1") {
            eprintln!("qgis_loads_every_style: skipped (WIJKBALANS_SKIP_QGIS=1)");
            return;
        }
        let python = qgis_python().expect(
            "no python3 with qgis.core: run scripts/setup or install python3-qgis; \
             WIJKBALANS_QGIS_PYTHON names another interpreter; WIJKBALANS_SKIP_QGIS=1 skips \
             this test",
        );
        let dir = tempfile::tempdir().unwrap();
        let groups = vec![
            ("beschermd_wonen".to_string(), "Beschermd wonen".to_string()),
            ("jongeren".to_string(), "Jongeren".to_string()),
        ];
        let poly = "Polygon";
        let cases: Vec<QgisCase> = vec![
            (
                "saldo",
                saldo_graduated(&[-1.0, -0.5, 0.5]),
                poly,
                ["saldo", "double"],
                serde_json::json!([-2.0, -1.0, -0.7, -0.5, 0.0, 0.5, 3.0]),
            ),
            (
                "signal",
                signal_categorised(),
                poly,
                ["signal", "string"],
                serde_json::json!(["rood", "ruimte", "onbekend"]),
            ),
            (
                "lisa",
                lisa_categorised("lisa_label"),
                poly,
                ["lisa_label", "string"],
                serde_json::json!(["HH", "niet significant", null]),
            ),
            (
                "rate",
                rate_graduated("care_units_per_1000", &[1.0, 2.5, 5.0]),
                poly,
                ["care_units_per_1000", "double"],
                serde_json::json!([0.0, 2.5, 9.0]),
            ),
            (
                "sites",
                sites_by_group(&groups, 24.0),
                "Point",
                ["wb_target_group", "string"],
                serde_json::json!(["jongeren", "statushouders"]),
            ),
            (
                "facilities",
                facilities_by_type(&[
                    ("supermarkt".to_string(), "Supermarkt".to_string()),
                    ("huisarts".to_string(), "Huisarts".to_string()),
                ]),
                "Point",
                ["wb_type", "string"],
                serde_json::json!(["huisarts", "supermarkt"]),
            ),
            (
                "delta",
                diverging_graduated("saldo_delta", &DELTA_BREAKS),
                poly,
                ["saldo_delta", "double"],
                serde_json::json!([-1.0, 0.0, 0.3]),
            ),
            (
                "signal_after",
                signal_categorised_on("signal_after"),
                poly,
                ["signal_after", "string"],
                serde_json::json!(["oranje"]),
            ),
            (
                "verdict",
                verdict_categorised("verdict"),
                "Point",
                ["verdict", "string"],
                serde_json::json!(["past_niet", "past"]),
            ),
            (
                "score",
                score_graduated(&[20.0, 40.0, 60.0, 80.0]),
                "Point",
                ["score", "double"],
                serde_json::json!([10.0, 55.0, 90.0]),
            ),
        ];
        let mut spec = Vec::new();
        for (name, qml, geometry, field, values) in &cases {
            let path = dir.path().join(format!("{name}.qml"));
            std::fs::write(&path, qml).unwrap();
            let mut fields = vec![*field];
            if *name == "sites" {
                fields.push(["wb_units", "double"]);
            }
            spec.push(serde_json::json!({
                "name": name, "path": path, "geometry": geometry, "fields": fields,
                "values": values,
            }));
        }
        let mut child = std::process::Command::new(&python)
            .args(["-c", LOAD_IN_QGIS])
            .env("QT_QPA_PLATFORM", "offscreen")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().unwrap();
            stdin
                .write_all(serde_json::to_string(&spec).unwrap().as_bytes())
                .unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "QGIS script failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).unwrap();
        let json_line = stdout.lines().last().unwrap_or_default();
        let res: Vec<serde_json::Value> = serde_json::from_str(json_line).unwrap();
        let by = |n: &str| res.iter().find(|r| r["name"] == n).unwrap().clone();
        // The named renderer, checked to be of `kind` on the attribute `attr`.
        let renderer = |n: &str, kind: &str, attr: &str| {
            let r = by(n);
            assert_eq!(
                (r["type"].as_str(), r["attr"].as_str()),
                (Some(kind), Some(attr)),
                "{n}"
            );
            r
        };
        for r in &res {
            assert_eq!(r["ok"], true, "{r}");
        }

        let saldo = renderer("saldo", "graduatedSymbol", "saldo");
        assert_eq!(saldo["classes"].as_array().unwrap().len(), 4);
        let first = |r: &serde_json::Value| -> Vec<String> {
            r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h[0].as_str().unwrap_or("-").to_string())
                .collect()
        };
        assert_eq!(
            first(&saldo),
            [
                "≤ −1,0 (rood)",
                "≤ −1,0 (rood)",
                "−1,0 tot −0,5 (oranje)",
                "−1,0 tot −0,5 (oranje)",
                "−0,5 tot 0,5 (neutraal)",
                "≥ 0,5 (ruimte)",
                "≥ 0,5 (ruimte)",
            ]
        );
        let signal = renderer("signal", "categorizedSymbol", "signal");
        assert_eq!(
            first(&signal),
            ["rood: saldo laag", "ruimte: saldo hoog", "onbekend"]
        );
        let lisa = by("lisa");
        assert_eq!(lisa["attr"], "lisa_label");
        assert_eq!(
            first(&lisa),
            ["HH: hoog, buren hoog", "niet significant", "geen waarde"]
        );
        let rate = renderer("rate", "graduatedSymbol", "care_units_per_1000");
        assert_eq!(first(&rate), ["≤ 1,0", "1,0 tot 2,5", "> 5,0"]);
        let sites = renderer("sites", "categorizedSymbol", "wb_target_group");
        assert_eq!(
            first(&sites),
            ["Jongeren", "-"],
            "an unlisted group has no symbol"
        );
        let sizes = sites["size"].as_array().unwrap();
        assert_eq!(sizes.len(), 2);
        for s in sizes {
            assert_eq!(s, "scale_linear(\"wb_units\", 0, 24, 2, 8)");
        }
        let delta = renderer("delta", "graduatedSymbol", "saldo_delta");
        assert_eq!(first(&delta), ["≤ −0,5", "−0,05 tot 0,05", "0,25 tot 0,5"]);
        let after = by("signal_after");
        assert_eq!(after["attr"], "signal_after");
        assert_eq!(first(&after), ["oranje"]);
        let verdict = by("verdict");
        assert_eq!(verdict["type"], "categorizedSymbol");
        assert_eq!(first(&verdict), ["past niet", "past"]);
        assert_eq!(verdict["size"], serde_json::json!([null, null, null]));
        let score = renderer("score", "graduatedSymbol", "score");
        // Breaks 20, 40, 60, 80 of the 0–100 location score; values 10, 55 and 90.
        assert_eq!(first(&score), ["≤ 20,0", "40,0 tot 60,0", "> 80,0"]);
    }
}
