//! The colourings of the map of `wijkbalans serve`: for each, the column of `analyse`'s areas
//! layer it reads and its classes with colours and Dutch legend labels, computed once on the
//! server so that the page only looks values up (docs/SERVE.md, "Colourings").

use serde_json::{json, Value};

use crate::config::ValidConfig;
use crate::io::write::ToWgs84;
use crate::model::Facility;
use crate::report::layers::rate_breaks;
use crate::table::Table;

/// The colour of a wijk without a value (`onbekend`), as in the report and the QGIS styles.
pub const UNKNOWN: &str = "#bdbdbd";

/// Light and dark end of the ramp of rates (as the QGIS styles of rates).
const RAMP: [&str; 4] = ["#f2f0f7", "#cbc9e2", "#9e9ac8", "#54278f"];

/// ColorBrewer RdYlGn with 7 classes, for the saldo.
const SALDO_COLOURS: [&str; 7] = [
    "#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850",
];

/// Below, around and above a fair share (blue, yellow, red).
const SHARE_COLOURS: [&str; 5] = ["#2c7bb6", "#abd9e9", "#ffffbf", "#fdae61", "#d7191c"];

/// A number in Dutch notation with `d` decimals and a true minus sign.
fn nl(v: f64, d: usize) -> String {
    let s = format!("{v:.d$}").replace('.', ",");
    match s.strip_prefix('-') {
        Some(rest) => format!("−{rest}"),
        None => s,
    }
}

/// One class of a graduated colouring: values up to `max` (`inclusive`: including it); the
/// last class has no `max`.
fn range(max: Option<f64>, inclusive: bool, label: String, colour: &str) -> Value {
    json!({"max": max, "inclusive": inclusive, "label": label, "colour": colour})
}

/// Classes at the quartiles `b` of a column (each class up to and including its upper
/// quartile, as the QGIS styles of rates), or one class when there are fewer than 4 values.
fn quartile_classes(b: Option<Vec<f64>>, d: usize) -> Vec<Value> {
    match b {
        Some(b) => vec![
            range(Some(b[0]), true, format!("≤ {}", nl(b[0], d)), RAMP[0]),
            range(
                Some(b[1]),
                true,
                format!("{} tot {}", nl(b[0], d), nl(b[1], d)),
                RAMP[1],
            ),
            range(
                Some(b[2]),
                true,
                format!("{} tot {}", nl(b[1], d), nl(b[2], d)),
                RAMP[2],
            ),
            range(None, false, format!("> {}", nl(b[2], d)), RAMP[3]),
        ],
        None => vec![range(None, false, "alle wijken".into(), RAMP[2])],
    }
}

/// The colourings of the map, for `areas` (analyse's areas layer) and the policy in `cfg`:
///
/// - `signal`: the signal categories (docs/METHOD.md §2.5) in the report's colours;
/// - `saldo`: seven classes at the signal thresholds, 0 and half a point beyond the outer
///   thresholds (with the default thresholds −1,0/−0,5/0,5: ≤ −1,5, ≤ −1,0, ≤ −0,5, < 0,
///   < 0,5, < 1,0, ≥ 1,0), red to green, each naming the band it lies in, with a `note` that
///   an area's signal can be stricter than its saldo's band (the care rate not clamped,
///   docs/METHOD.md §2.4);
/// - `draaglast` and `care_units_per_1000`: four classes at the quartiles of the wijken of
///   the study (as the QGIS styles of rates: `≤ q1`, `q1 tot q2`, `q2 tot q3`, `> q3`);
/// - `fair_share_ratio`: `< 0,5`, `< 0,8`, `≤ 1,25`, `≤` the policy's `fair_share_max`
///   (the fair-share rule, default 1,5) and above it;
/// - `lisa_label`: the LISA categories (HH, LL, LH, HL, niet significant) in the colours of
///   the QGIS `lisa` style.
///
/// A wijk without a value is `onbekend`, grey ([`UNKNOWN`]). A column the layer does not have
/// (LISA without sites) leaves its colouring out.
///
/// Example: with saldo thresholds −1,0/−0,5/0,5 the saldo class of −0,7 is the third
/// (`−1,0 tot −0,5`: above −1,0, at most −0,5), the class of −0,5 too, of −0,49 the fourth.
pub fn colourings(areas: &Table, cfg: &ValidConfig) -> Value {
    let t = &cfg.signal;
    let has = |c: &str| areas.columns.iter().any(|x| x == c);
    let mut out = Vec::new();
    out.push(json!({
        "id": "signal", "label": "Signaal", "field": "signal",
        "categories": [
            {"value": "rood", "label": format!("rood (saldo ≤ {})", nl(t.rood, 1)), "colour": "#d7191c"},
            {"value": "oranje", "label": format!("oranje (≤ {})", nl(t.oranje, 1)), "colour": "#fdae61"},
            {"value": "neutraal", "label": format!("neutraal (< {})", nl(t.ruimte, 1)), "colour": "#ffffbf"},
            {"value": "ruimte", "label": format!("ruimte (≥ {})", nl(t.ruimte, 1)), "colour": "#1a9641"},
        ],
    }));
    let lo = t.rood - 0.5;
    let hi = t.ruimte + 0.5;
    let c = SALDO_COLOURS;
    out.push(json!({
        "id": "saldo", "label": "Saldo (draagkracht − draaglast)", "field": "saldo",
        "note": "Het signaal van een wijk kan strenger zijn dan de band van dit saldo: als haar \
                 zorgeenheden per 1.000 ver boven het gemiddelde liggen, telt het signaal ze \
                 zonder afkapping (kolom saldo_uncapped). De kleuring Signaal toont het signaal.",
        "ranges": [
            range(Some(lo), true, format!("≤ {} (rood)", nl(lo, 1)), c[0]),
            range(Some(t.rood), true, format!("{} tot {} (rood)", nl(lo, 1), nl(t.rood, 1)), c[1]),
            range(Some(t.oranje), true, format!("{} tot {} (oranje)", nl(t.rood, 1), nl(t.oranje, 1)), c[2]),
            range(Some(0.0), false, format!("{} tot 0 (neutraal)", nl(t.oranje, 1)), c[3]),
            range(Some(t.ruimte), false, format!("0 tot {} (neutraal)", nl(t.ruimte, 1)), c[4]),
            range(Some(hi), false, format!("{} tot {} (ruimte)", nl(t.ruimte, 1), nl(hi, 1)), c[5]),
            range(None, false, format!("≥ {} (ruimte)", nl(hi, 1)), c[6]),
        ],
    }));
    for (field, label, d) in [
        ("draaglast", "Draaglast (kwartielen)", 2),
        (
            "care_units_per_1000",
            "Zorgplaatsen per 1.000 inwoners (kwartielen)",
            1,
        ),
    ] {
        if has(field) {
            out.push(json!({
                "id": field, "label": label, "field": field,
                "ranges": quartile_classes(rate_breaks(areas, field), d),
            }));
        }
    }
    if has("fair_share_ratio") {
        let max = cfg.rules.fair_share_max;
        let s = SHARE_COLOURS;
        out.push(json!({
            "id": "fair_share_ratio", "label": "Eerlijk-aandeelratio", "field": "fair_share_ratio",
            "ranges": [
                range(Some(0.5), false, "< 0,5 (ver onder)".into(), s[0]),
                range(Some(0.8), false, "0,5 tot 0,8".into(), s[1]),
                range(Some(1.25), true, "0,8 tot 1,25 (rond een eerlijk aandeel)".into(), s[2]),
                range(Some(max), true, format!("1,25 tot {}", nl(max, 2)), s[3]),
                range(None, false, format!("> {} (boven de grens)", nl(max, 2)), s[4]),
            ],
        }));
    }
    if has("lisa_label") {
        out.push(json!({
            "id": "lisa", "label": "LISA zorgeenheden per 1.000 (lokale Moran)", "field": "lisa_label",
            "categories": [
                {"value": "HH", "label": "HH: hoog, buren hoog", "colour": "#d7191c"},
                {"value": "LL", "label": "LL: laag, buren laag", "colour": "#2c7bb6"},
                {"value": "LH", "label": "LH: laag, buren hoog", "colour": "#abd9e9"},
                {"value": "HL", "label": "HL: hoog, buren laag", "colour": "#fdae61"},
                {"value": "niet significant", "label": "niet significant", "colour": "#eeeeee"},
            ],
        }));
    }
    for c in &mut out {
        with_scenario(c);
    }
    json!({ "unknown": {"label": "onbekend", "colour": UNKNOWN}, "colourings": out })
}

/// Which value a colouring shows while the page holds a scenario (docs/SERVE.md, "Colourings
/// of a scenario"): `scenario_field`, the column of `POST /api/scenario`'s `areas` (the
/// `scenario_areas` table) with the wijk's value after the changes (`saldo` → `saldo_after`),
/// and `scenario_label`, the legend's title then. The classes stay those of the study as
/// loaded, so a colour means the same before and after. LISA has no value after: its
/// labels rest on conditional randomisation (docs/METHOD.md §3.7, §3.9: by default 999
/// permutations for every wijk), which the scenario does not redo for each kept change, so
/// the legend says the map shows the *uitgangssituatie*.
///
/// Example: `{"field": "saldo", "label": "Saldo …"}` gets `"scenario_field": "saldo_after"` and
/// `"scenario_label": "Saldo … na het scenario"`.
fn with_scenario(c: &mut Value) {
    let field = c["field"].as_str().unwrap_or("").to_string();
    let label = c["label"].as_str().unwrap_or("").to_string();
    let (after, title) = if field == "lisa_label" {
        (
            Value::Null,
            format!("{label}: uitgangssituatie, niet herberekend voor het scenario"),
        )
    } else {
        (
            json!(format!("{field}_after")),
            format!("{label} na het scenario"),
        )
    };
    c["scenario_field"] = after;
    c["scenario_label"] = title.into();
}

/// The facilities as a GeoJSON FeatureCollection in WGS84, each point with its category
/// (`kind`), in layer order; an empty collection without a facilities layer.
pub fn facilities_geojson(
    facilities: Option<&[Facility]>,
    to_wgs: &ToWgs84,
) -> Result<Vec<u8>, String> {
    let facilities = facilities.unwrap_or(&[]);
    let points: Vec<[f64; 2]> = facilities
        .iter()
        .map(|f| [f.location.x, f.location.y])
        .collect();
    let lonlat = to_wgs.coords(&points)?;
    // 7 decimals: about 1 cm, as the other layers of the page.
    let round = |v: f64| (v * 1e7).round() / 1e7;
    let features: Vec<Value> = facilities
        .iter()
        .zip(&lonlat)
        .map(|(f, [lon, lat])| {
            json!({
                "type": "Feature",
                "properties": {"kind": f.kind},
                "geometry": {"type": "Point", "coordinates": [round(*lon), round(*lat)]},
            })
        })
        .collect();
    Ok(
        serde_json::to_vec(&json!({"type": "FeatureCollection", "features": features}))
            .expect("serialises"),
    )
}

/// The class of `v` in `ranges` (as the page computes it): the first whose `max` is above
/// `v` (or equal, when inclusive); the last has no `max`.
#[cfg(test)]
fn class_of(ranges: &[Value], v: f64) -> usize {
    ranges
        .iter()
        .position(|r| match r["max"].as_f64() {
            None => true,
            Some(m) => v < m || (r["inclusive"] == true && v == m),
        })
        .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn table(columns: &[&str], rows: Vec<Vec<Value>>) -> Table {
        Table::new(columns, rows)
    }

    fn cfg() -> ValidConfig {
        let mut c = Config::shipped();
        c.rules.fair_share_max = 1.4;
        c.validate().unwrap()
    }

    #[test]
    fn the_saldo_classes_follow_the_signal_thresholds() {
        let v = colourings(&table(&["saldo"], vec![]), &cfg());
        let saldo = &v["colourings"][1];
        assert_eq!(saldo["id"], "saldo");
        let r = saldo["ranges"].as_array().unwrap();
        // The signal's own edges: −1,0 is rood, −0,5 oranje, 0,5 ruimte (METHOD §2.5).
        assert_eq!(class_of(r, -1.6), 0);
        assert_eq!(class_of(r, -1.0), 1);
        assert_eq!(class_of(r, -0.7), 2);
        assert_eq!(class_of(r, -0.5), 2);
        assert_eq!(class_of(r, -0.49), 3);
        assert_eq!(class_of(r, 0.0), 4);
        assert_eq!(class_of(r, 0.5), 5);
        assert_eq!(class_of(r, 1.0), 6);
        // Every class names the band it lies in.
        let bands: Vec<&str> = r
            .iter()
            .map(|c| c["label"].as_str().unwrap().rsplit('(').next().unwrap())
            .collect();
        assert_eq!(
            bands,
            [
                "rood)",
                "rood)",
                "oranje)",
                "neutraal)",
                "neutraal)",
                "ruimte)",
                "ruimte)"
            ]
        );
        assert_eq!(r[1]["label"], "−1,5 tot −1,0 (rood)");
        assert!(saldo["note"].as_str().unwrap().contains("saldo_uncapped"));
        assert_eq!(v["unknown"]["colour"], UNKNOWN);
    }

    #[test]
    fn rates_are_classed_at_their_quartiles_and_fair_share_at_the_policy_limit() {
        let rows = (1..=5)
            .map(|i| vec![json!(i as f64), json!(i as f64 * 0.4), json!("HH")])
            .collect();
        let areas = table(
            &["care_units_per_1000", "fair_share_ratio", "lisa_label"],
            rows,
        );
        let v = colourings(&areas, &cfg());
        let ids: Vec<&str> = v["colourings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        // No draaglast column: no draaglast colouring.
        assert_eq!(
            ids,
            [
                "signal",
                "saldo",
                "care_units_per_1000",
                "fair_share_ratio",
                "lisa"
            ]
        );
        // Quartiles of 1..5 are 2, 3, 4: 2 is in the first class, 4,5 in the last.
        let rate = v["colourings"][2]["ranges"].as_array().unwrap();
        assert_eq!(rate[0]["label"], "≤ 2,0");
        assert_eq!(class_of(rate, 2.0), 0);
        assert_eq!(class_of(rate, 3.5), 2);
        assert_eq!(class_of(rate, 4.5), 3);
        let share = v["colourings"][3]["ranges"].as_array().unwrap();
        assert_eq!(class_of(share, 1.4), 3);
        assert_eq!(class_of(share, 1.41), 4);
        assert_eq!(share[4]["label"], "> 1,40 (boven de grens)");
    }
}
