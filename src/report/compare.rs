//! Two vintages of the same areas compared (e.g. CBS 2022 and 2024): what `wijkbalans compare`
//! writes. The matching and the changes are [`crate::monitor::compare()`]'s; this module takes
//! the values from each analysed vintage and lays out the result.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::monitor::{signal_move, AreaComparison, CompareOptions, Comparison, VintageArea};
use crate::pipeline::{Loaded, Outcome};
use crate::table::{number, opt_number, Table};

/// One analysed vintage, as compared.
#[derive(Debug, Clone)]
pub struct Vintage {
    /// Per area the values compared: its counts, every computed indicator but C1 (lower-case
    /// id) and, when scored, draagkracht, draaglast and saldo.
    pub areas: Vec<VintageArea>,
    /// The signal of every area, by code.
    pub signals: BTreeMap<String, String>,
}

/// The values of an analysed study to compare.
pub fn vintage(loaded: &Loaded, out: &Outcome) -> Vintage {
    let mut signals = BTreeMap::new();
    let areas = loaded
        .areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let mut values = BTreeMap::new();
            for key in ["population", "dwellings", "households"] {
                if loaded.columns.contains_key(key) {
                    values.insert(key.to_string(), a.value(key));
                }
            }
            for s in &out.analysis.indicators {
                if s.skipped.is_none() && !["C1"].contains(&s.def.id.as_str()) {
                    values.insert(s.def.id.to_ascii_lowercase(), s.values[i].ok());
                }
            }
            let sc = &out.analysis.areas[i];
            if sc.draagkracht.is_some() || sc.draaglast.is_some() {
                values.insert("draagkracht".into(), sc.draagkracht);
                values.insert("draaglast".into(), sc.draaglast);
                values.insert("saldo".into(), sc.saldo);
            }
            signals.insert(a.code.clone(), sc.signal.as_str().to_string());
            VintageArea {
                code: a.code.clone(),
                name: a.name.clone(),
                geometry: a.geometry.clone(),
                values,
            }
        })
        .collect();
    Vintage { areas, signals }
}

/// The `compare_areas` layer: per area in both vintages (by code; `gelijk`, or
/// `grens_gewijzigd` when the boundary changed) every value before, after and its change, and
/// the signal before, after and how it moved; with the polygons of the later vintage.
pub fn compare_layer(
    cmp: &Comparison,
    before: &Vintage,
    after: &Vintage,
) -> (Table, Vec<geo::Geometry<f64>>) {
    let mut keys: Vec<String> = cmp
        .matched
        .iter()
        .chain(&cmp.boundary_changed)
        .flat_map(|c| c.values.keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    let mut columns: Vec<String> = vec!["code".into(), "name".into(), "status".into()];
    for k in &keys {
        columns.extend([
            format!("{k}_before"),
            format!("{k}_after"),
            format!("{k}_change"),
        ]);
    }
    columns.extend(["signal_before", "signal_after", "signal_move"].map(String::from));
    let mut rows = Vec::new();
    let mut geoms = Vec::new();
    let mut all: Vec<(&str, &AreaComparison)> = cmp
        .matched
        .iter()
        .map(|c| ("gelijk", c))
        .chain(cmp.boundary_changed.iter().map(|c| ("grens_gewijzigd", c)))
        .collect();
    all.sort_by(|a, b| a.1.code.cmp(&b.1.code));
    for (status, c) in all {
        let mut row = vec![
            Value::from(c.code.clone()),
            Value::from(c.name_after.clone()),
            Value::from(status),
        ];
        for k in &keys {
            match c.values.get(k) {
                Some(v) => {
                    row.push(opt_number(v.before));
                    row.push(opt_number(v.after));
                    row.push(opt_number(v.change));
                }
                None => row.extend([Value::Null, Value::Null, Value::Null]),
            }
        }
        let (b, a) = (
            before.signals.get(&c.code).cloned().unwrap_or_default(),
            after.signals.get(&c.code).cloned().unwrap_or_default(),
        );
        row.push(Value::from(b.clone()));
        row.push(Value::from(a.clone()));
        row.push(Value::from(signal_move(&b, &a)));
        rows.push(row);
        let g = after
            .areas
            .iter()
            .find(|x| x.code == c.code)
            .map(|x| x.geometry.clone())
            .expect("matched codes exist after");
        geoms.push(geo::Geometry::MultiPolygon(g));
    }
    (Table { columns, rows }, geoms)
}

/// One side of a comparison for `compare.json`: the areas file as given, the study read from
/// it and its vintage.
#[derive(Debug, Clone, Copy)]
pub struct Side<'a> {
    /// The path as given on the command line.
    pub path: &'a str,
    /// The study (its inputs are recorded; wait for their digests first,
    /// [`Loaded::wait_for_digests`]).
    pub loaded: &'a Loaded,
    /// Its values.
    pub vintage: &'a Vintage,
}

/// `compare.json`: the inputs of both vintages, the tolerances, the matched and unmatched
/// areas and keys, the signal moves and the change of the population of the matched areas.
pub fn compare_json(
    cmp: &Comparison,
    options: &CompareOptions,
    before: Side,
    after: Side,
) -> Value {
    json!({
        "wijkbalans_version": super::VERSION,
        "before": {"path": before.path, "inputs": before.loaded.inputs},
        "after": {"path": after.path, "inputs": after.loaded.inputs},
        "tolerances": options,
        "matched": cmp.matched.len(),
        "boundary_changed": cmp.boundary_changed,
        "only_before": cmp.only_before,
        "only_after": cmp.only_after,
        "keys_only_before": cmp.keys_only_before,
        "keys_only_after": cmp.keys_only_after,
        "signal_moves": before.vintage.signals.iter().filter_map(|(code, b)| {
            let a = after.vintage.signals.get(code)?;
            (a != b).then(|| json!({"code": code, "move": signal_move(b, a)}))
        }).collect::<Vec<_>>(),
        "population_change": number(
            cmp.matched.iter().filter_map(|c| c.values.get("population").and_then(|v| v.change)).sum()
        ),
    })
}
