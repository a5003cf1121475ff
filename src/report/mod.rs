//! Output tables and documents as plain data: the area and site tables (shared by GeoJSON and
//! CSV), `summary.json` and `run.json`. The column lists here are the documented output schema
//! (docs/OUTPUTS.md); rendering to bytes lives in [`crate::io::write`].

pub mod balance;
pub mod html;
pub mod whatif;

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::indicators::{typology_label, Block, IndicatorStatus, Missing};
use crate::pipeline::{Loaded, Outcome};
use crate::table::{number, opt_number, Table};

/// Version of the tool, written into every run record.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn lower(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// Per-area contributions to the saldo: +w_k z_k/Σw_DK for draagkracht, −w_k z_k/Σw_DL for
/// draaglast, over the indicators present for the area. They add up to the saldo exactly.
pub fn saldo_contributions(indicators: &[IndicatorStatus], z: &[Option<f64>]) -> Vec<(usize, f64)> {
    let sum_w = |block: Block| -> f64 {
        indicators
            .iter()
            .zip(z)
            .filter(|(s, z)| s.def.block == block && z.is_some())
            .map(|(s, _)| s.def.weight)
            .sum()
    };
    let (wk, wl) = (sum_w(Block::Draagkracht), sum_w(Block::Draaglast));
    if wk <= 0.0 || wl <= 0.0 {
        return Vec::new();
    }
    indicators
        .iter()
        .zip(z)
        .enumerate()
        .filter_map(|(k, (s, z))| {
            let z = (*z)?;
            match s.def.block {
                Block::Draagkracht => Some((k, s.def.weight * z / wk)),
                Block::Draaglast => Some((k, -s.def.weight * z / wl)),
                Block::Context => None,
            }
        })
        .collect()
}

/// "DL2 % laag inkomen −0.84; DK1 % koopwoningen −0.61": the two largest contributions.
fn drivers(indicators: &[IndicatorStatus], z: &[Option<f64>]) -> Value {
    let mut c = saldo_contributions(indicators, z);
    if c.is_empty() {
        return Value::Null;
    }
    c.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
    let parts: Vec<String> = c
        .iter()
        .take(2)
        .map(|(k, v)| {
            let d = &indicators[*k].def;
            format!("{} ({}) {:+.2}", d.id, d.label, v)
        })
        .collect();
    Value::from(parts.join("; "))
}

/// A column computed per area index.
type ColumnFn<'a> = Box<dyn Fn(usize) -> Value + 'a>;

/// The areas table (one row per area, sorted by code).
pub fn areas_table(loaded: &Loaded, out: &Outcome) -> Table {
    let areas = &loaded.areas;
    let a = &out.analysis;
    let mut columns: Vec<String> = vec!["code".into(), "name".into()];
    let mut parent_levels: Vec<String> = Vec::new();
    for level in ["wijk", "gemeente"] {
        if areas.iter().any(|x| x.parents.contains_key(level)) {
            parent_levels.push(level.to_string());
        }
    }
    parent_levels.extend(loaded.levels.iter().cloned());
    columns.extend(parent_levels.iter().map(|l| format!("{l}_code")));
    columns.extend(["population".into(), "dwellings".into()]);
    let has_households = loaded.columns.contains_key("households");
    if has_households {
        columns.push("households".into());
    }
    if out.dwelling_points.is_some() {
        columns.push("dwelling_points".into());
    }
    let groups: Vec<String> = match &out.care {
        Some(c) => loaded
            .config
            .target_group
            .iter()
            .filter(|g| c.units_by_group.contains_key(&g.id))
            .map(|g| g.id.clone())
            .collect(),
        None => Vec::new(),
    };
    if out.care.is_some() {
        columns.extend(
            [
                "care_sites",
                "care_units",
                "care_units_planned",
                "regular_units",
                "care_units_per_1000",
            ]
            .map(String::from),
        );
        columns.extend(groups.iter().map(|g| format!("care_units_{g}")));
    }
    if let Some(fc) = &out.facility_counts {
        columns.extend(fc.keys().map(|k| format!("facilities_{k}")));
    }
    let mut access_cols: Vec<(String, ColumnFn<'_>)> = Vec::new();
    if let Some(rings) = out.access.as_ref().and_then(|a| a.rings.as_ref()) {
        for (kind, means) in &rings.shares.mean_nearest_m {
            for r in &rings.radii {
                if let Some(sh) = rings.shares.share(kind, *r) {
                    access_cols.push((
                        format!("share_within_{r}m_{kind}"),
                        Box::new(move |i| opt_number(sh[i])),
                    ));
                }
            }
            access_cols.push((
                format!("mean_distance_{kind}_m"),
                Box::new(move |i| opt_number(means[i].map(|d| d.round()))),
            ));
        }
        access_cols.push((
            "access_score".into(),
            Box::new(move |i| opt_number(rings.score[i])),
        ));
        access_cols.push((
            "geroscoop_m".into(),
            Box::new(move |i| opt_number(rings.geroscoop.distance_m[i].map(|d| d.round()))),
        ));
    }
    if let Some(acc) = &out.access {
        for (kind, values) in &acc.fca {
            access_cols.push((
                format!("fca_{kind}_per_1000"),
                Box::new(move |i| opt_number(values[i].map(|v| (v * 1000.0).round() / 1000.0))),
            ));
        }
    }
    columns.extend(access_cols.iter().map(|c| c.0.clone()));
    let spread_cols = spreading_columns(out, &groups);
    columns.extend(spread_cols.iter().cloned());
    columns.extend(
        [
            "draagkracht",
            "draaglast",
            "saldo",
            "signal",
            "typology",
            "typology_label",
            "saldo_drivers",
        ]
        .map(String::from),
    );
    let shown: Vec<usize> = a
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, s)| s.skipped.is_none())
        .map(|(k, _)| k)
        .collect();
    for &k in &shown {
        let s = &a.indicators[k];
        columns.push(format!("{}_value", lower(&s.def.id)));
        if s.def.block != Block::Context {
            columns.push(format!("{}_z", lower(&s.def.id)));
        }
    }
    columns.push("missing_indicators".into());
    columns.push("small_population".into());
    if loaded.urbanity.is_some() {
        columns.push("urbanity".into());
    }

    let min_den = loaded.config.normalisation.min_denominator;
    let rows = areas
        .iter()
        .enumerate()
        .map(|(i, area)| {
            let sc = &a.areas[i];
            let pop = area.value("population").unwrap_or(0.0);
            let mut row: Vec<Value> = vec![area.code.clone().into(), area.name.clone().into()];
            for l in &parent_levels {
                row.push(
                    area.parents
                        .get(l)
                        .cloned()
                        .map_or(Value::Null, Value::from),
                );
            }
            row.push(number(pop));
            let dwellings = area
                .value("dwellings")
                .or_else(|| out.dwelling_points.as_ref().map(|d| d[i] as f64));
            row.push(opt_number(dwellings));
            if has_households {
                row.push(opt_number(area.value("households")));
            }
            if let Some(d) = &out.dwelling_points {
                row.push(number(d[i] as f64));
            }
            if let Some(c) = &out.care {
                row.push(number(c.sites[i] as f64));
                row.push(number(c.units[i]));
                row.push(number(c.planned[i]));
                row.push(number(c.regular_units[i]));
                row.push(opt_number((pop > 0.0).then(|| 1000.0 * c.units[i] / pop)));
                for g in &groups {
                    row.push(number(c.units_by_group[g][i]));
                }
            }
            if let Some(fc) = &out.facility_counts {
                for v in fc.values() {
                    row.push(number(v[i] as f64));
                }
            }
            for (_, f) in &access_cols {
                row.push(f(i));
            }
            let sp = &out.spreading.per_area[i];
            for c in &spread_cols {
                row.push(spreading_value(sp, c));
            }
            row.push(opt_number(sc.draagkracht));
            row.push(opt_number(sc.draaglast));
            row.push(opt_number(sc.saldo));
            row.push(sc.signal.as_str().into());
            match sc.typology.map(typology_label) {
                Some((code, label)) => {
                    row.push(code.into());
                    row.push(label.into());
                }
                None => {
                    row.push(Value::Null);
                    row.push(Value::Null);
                }
            }
            row.push(drivers(&a.indicators, &sc.z));
            for &k in &shown {
                let s = &a.indicators[k];
                row.push(s.values[i].ok().map_or(Value::Null, number));
                if s.def.block != Block::Context {
                    row.push(opt_number(sc.z[k]));
                }
            }
            row.push(if sc.missing.is_empty() {
                Value::Null
            } else {
                sc.missing.join(",").into()
            });
            row.push(Value::Bool(pop < min_den));
            if let Some(u) = &loaded.urbanity {
                row.push(u[i].clone().map_or(Value::Null, Value::from));
            }
            row
        })
        .collect();
    Table { columns, rows }
}

/// Per-area spreading columns, for the families computed (and fair share only with sites).
fn spreading_columns(out: &Outcome, groups: &[String]) -> Vec<String> {
    use crate::spread::MetricFamily as F;
    let m = &out.spreading.study.metrics;
    let mut c: Vec<String> = Vec::new();
    if m.contains(&F::FairShare) && out.care.is_some() {
        c.extend(["fair_share_ratio", "fair_share_gap"].map(String::from));
        for g in groups {
            c.push(format!("fair_share_ratio_{g}"));
            c.push(format!("fair_share_gap_{g}"));
        }
    }
    let care = out.care.is_some();
    if m.contains(&F::Lisa) && care {
        c.extend(["local_moran_i", "lisa_quadrant", "lisa_p", "lisa_label"].map(String::from));
    }
    if m.contains(&F::GetisOrd) && care {
        c.extend(["gi_star", "gi_star_z", "gi_star_p"].map(String::from));
    }
    if m.contains(&F::Lisa) {
        c.extend(
            [
                "saldo_local_moran_i",
                "saldo_lisa_quadrant",
                "saldo_lisa_p",
                "saldo_lisa_label",
            ]
            .map(String::from),
        );
    }
    if !c.is_empty() {
        c.push("spreading_notes".into());
    }
    c
}

fn spreading_value(sp: &crate::spread::AreaSpreading, column: &str) -> Value {
    let label = |l: Option<&str>| l.map_or(Value::Null, Value::from);
    let q = |q: Option<u8>| q.map_or(Value::Null, Value::from);
    match column {
        "fair_share_ratio" => opt_number(sp.fair_share_ratio),
        "fair_share_gap" => opt_number(sp.fair_share_gap),
        "local_moran_i" => opt_number(sp.local_moran_i),
        "lisa_quadrant" => q(sp.lisa_quadrant),
        "lisa_p" => opt_number(sp.lisa_p),
        "lisa_label" => label(sp.lisa_label),
        "gi_star" => opt_number(sp.gi_star),
        "gi_star_z" => opt_number(sp.gi_star_z),
        "gi_star_p" => opt_number(sp.gi_star_p),
        "saldo_local_moran_i" => opt_number(sp.saldo_local_moran_i),
        "saldo_lisa_quadrant" => q(sp.saldo_lisa_quadrant),
        "saldo_lisa_p" => opt_number(sp.saldo_lisa_p),
        "saldo_lisa_label" => label(sp.saldo_lisa_label),
        "spreading_notes" => {
            {
                // Only reasons for the columns written here (saldo Gi* is not written: it needs
                // non-negative values, and a saldo is negative by design for half the areas).
                let shown = [
                    "fair_share_ratio",
                    "fair_share_gap",
                    "lisa",
                    "gi_star",
                    "saldo_lisa",
                ];
                let notes: Vec<String> = sp
                    .undefined_reasons
                    .iter()
                    .filter(|(k, _)| shown.contains(k))
                    .map(|(k, v)| format!("{k}: {v}"))
                    .collect();
                if notes.is_empty() {
                    Value::Null
                } else {
                    Value::from(notes.join("; "))
                }
            }
        }
        other => {
            if let Some(g) = other.strip_prefix("fair_share_ratio_") {
                opt_number(sp.fair_share_by_group.get(g).and_then(|f| f.ratio))
            } else if let Some(g) = other.strip_prefix("fair_share_gap_") {
                opt_number(sp.fair_share_by_group.get(g).and_then(|f| f.gap))
            } else {
                unreachable!("unknown spreading column {other}")
            }
        }
    }
}

/// Distances from site `k` to the nearest other counted site (any group, same group), in
/// metres rounded to 0.1 m. Counted sites take them from the spreading result; other sites
/// (planned, proposed, outside) are measured against the counted sites directly.
fn site_distances(loaded: &Loaded, out: &Outcome, k: usize) -> (Option<f64>, Option<f64>) {
    let round = |v: f64| (v * 10.0).round() / 10.0;
    if let Some(j) = out.spread_sites[k] {
        let p = &out.spreading.per_site[j];
        return (p.nn_any_m.map(round), p.nn_same_group_m.map(round));
    }
    let sites = loaded.sites.as_ref().expect("a site table has sites");
    let me = &sites[k];
    let mut any: Option<f64> = None;
    let mut same: Option<f64> = None;
    for (other, idx) in sites.iter().zip(&out.spread_sites) {
        if idx.is_none() {
            continue;
        }
        let d = ((other.location.x - me.location.x).powi(2)
            + (other.location.y - me.location.y).powi(2))
        .sqrt();
        any = Some(any.map_or(d, |a| a.min(d)));
        if other.target_group == me.target_group {
            same = Some(same.map_or(d, |a| a.min(d)));
        }
    }
    (any.map(round), same.map(round))
}

/// The sites table: every input property, then the area each site fell in.
pub fn sites_table(loaded: &Loaded, out: &Outcome) -> Option<Table> {
    let sites = loaded.sites.as_ref()?;
    let areas = &loaded.areas;
    let mut input_cols: Vec<String> = Vec::new();
    for s in sites {
        for k in s.properties.keys() {
            if !input_cols.contains(k) {
                input_cols.push(k.clone());
            }
        }
    }
    let mut levels: Vec<String> = Vec::new();
    for level in ["wijk", "gemeente"] {
        if areas.iter().any(|x| x.parents.contains_key(level)) {
            levels.push(level.to_string());
        }
    }
    levels.extend(loaded.levels.iter().cloned());
    let mut ours: Vec<String> = vec![
        "wb_target_group".into(),
        "wb_units".into(),
        "wb_status".into(),
        "wb_counted".into(),
        "area_code".into(),
        "area_name".into(),
    ];
    ours.extend(levels.iter().map(|l| format!("{l}_code")));
    ours.push("location".into());
    let nn = out
        .spreading
        .study
        .metrics
        .contains(&crate::spread::MetricFamily::NearestNeighbour);
    if nn {
        ours.extend(["nn_any_m", "nn_same_group_m"].map(String::from));
    }
    let facility_index = loaded.facility_index.as_deref();
    let kinds: Vec<String> = facility_index
        .as_ref()
        .map(|fi| fi.types().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default();
    ours.extend(kinds.iter().map(|k| format!("nearest_{k}_m")));
    if facility_index.is_some() {
        ours.extend(["rings_ok", "rings_failed", "distance_measured"].map(String::from));
    }
    let mut columns = input_cols.clone();
    columns.extend(ours);
    let rows = sites
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut row: Vec<Value> = input_cols
                .iter()
                .map(|c| s.properties.get(c).cloned().unwrap_or(Value::Null))
                .collect();
            row.push(s.target_group.clone().into());
            row.push(number(s.units));
            row.push(s.status.as_str().into());
            row.push(Value::Bool(loaded.config.count_status.contains(&s.status)));
            let loc = out.site_areas[k];
            let area = loc.area().map(|i| &areas[i]);
            row.push(area.map_or(Value::Null, |a| a.code.clone().into()));
            row.push(area.map_or(Value::Null, |a| a.name.clone().into()));
            for l in &levels {
                row.push(
                    area.and_then(|a| a.parents.get(l).cloned())
                        .map_or(Value::Null, Value::from),
                );
            }
            row.push(
                match loc {
                    crate::assign::Location::Interior(_) => "inside",
                    crate::assign::Location::Border(_) => "border",
                    crate::assign::Location::Overlap(_) => "overlap",
                    crate::assign::Location::Outside => "outside",
                }
                .into(),
            );
            if nn {
                let (any, same) = site_distances(loaded, out, k);
                row.push(opt_number(any));
                row.push(opt_number(same));
            }
            if let Some(fi) = &facility_index {
                let p = [s.location.x, s.location.y];
                for kind in &kinds {
                    row.push(opt_number(fi.nearest(kind, p).map(|(_, d)| d.round())));
                }
                let checks = crate::access::check(
                    fi,
                    p,
                    loaded.config.access.rings.for_group(&s.target_group),
                );
                row.push(Value::Bool(crate::access::rings_ok(&checks)));
                let failed: Vec<String> = checks
                    .iter()
                    .filter(|c| !c.passed)
                    .map(|c| c.label.clone())
                    .collect();
                row.push(if failed.is_empty() {
                    Value::Null
                } else {
                    Value::from(failed.join("; "))
                });
                row.push(fi.distance_label().into());
            }
            row
        })
        .collect();
    Some(Table { columns, rows })
}

fn columns_used(loaded: &Loaded, s: &IndicatorStatus) -> Map<String, Value> {
    let mut m = Map::new();
    if let Some(src) = &s.source {
        for c in src.concepts() {
            let col = loaded
                .columns
                .get(c)
                .cloned()
                .unwrap_or_else(|| "(sites layer)".into());
            m.insert(c.to_string(), col.into());
        }
        if matches!(src, crate::indicators::Source::CareUnitsPer1000) {
            m.insert(
                "units".into(),
                "sites layer: units × target-group weight, counted statuses".into(),
            );
        }
    }
    m
}

/// Totals of population, dwellings and care units per code of a level.
fn level_totals(loaded: &Loaded, out: &Outcome, level: &str) -> Vec<Value> {
    let mut agg: BTreeMap<String, (usize, f64, f64, f64)> = BTreeMap::new();
    for (i, a) in loaded.areas.iter().enumerate() {
        let Some(code) = a.parents.get(level) else {
            continue;
        };
        let e = agg.entry(code.clone()).or_default();
        e.0 += 1;
        e.1 += a.value("population").unwrap_or(0.0);
        e.2 += a.value("dwellings").unwrap_or(0.0);
        e.3 += out.care.as_ref().map_or(0.0, |c| c.units[i]);
    }
    agg.into_iter()
        .map(|(code, (n, pop, dw, units))| {
            let mut m = Map::new();
            m.insert("code".into(), code.into());
            m.insert("areas".into(), n.into());
            m.insert("population".into(), number(pop));
            if loaded.columns.contains_key("dwellings") {
                m.insert("dwellings".into(), number(dw));
            }
            if out.care.is_some() {
                m.insert("care_units".into(), number(units));
                m.insert(
                    "care_units_per_1000".into(),
                    opt_number((pop > 0.0).then(|| 1000.0 * units / pop)),
                );
            }
            Value::Object(m)
        })
        .collect()
}

/// `summary.json`: totals, indicators used and skipped with reasons, the frozen baseline,
/// levels and diagnostics.
/// The `spreading` block of the summary: options, the islands by code, and every study-level
/// metric (full precision, as the engine computed it).
pub fn spreading_summary(loaded: &Loaded, out: &Outcome) -> Value {
    let cfg = &loaded.config;
    let areas = &loaded.areas;
    let mut study = serde_json::to_value(&out.spreading.study).expect("serialises");
    let mut islands = Vec::new();
    if let Some(w) = study.get_mut("weights").and_then(|w| w.as_object_mut()) {
        if let Some(Value::Array(ix)) = w.get("islands") {
            islands = ix
                .iter()
                .filter_map(|i| i.as_u64())
                .map(|i| Value::from(areas[i as usize].code.clone()))
                .collect();
        }
        w.insert("islands".into(), Value::Array(islands.clone()));
    }
    let counted = out.spread_sites.iter().filter(|s| s.is_some()).count();
    json!({
        "x": "care units of counted sites, sum over groups of weight_g * units_g",
        "t": cfg.spreading.reference.concept(),
        "rate": "care_units_per_1000 = 1000 * x / population (areas with 0 inhabitants left out)",
        "contiguity": cfg.spreading.weights,
        "permutations": cfg.spreading.permutations,
        "seed": cfg.seed,
        "alpha": cfg.spreading.alpha,
        "p_sim": "pseudo p-value in the observed direction, as esda 2.9: larger = #(sim >= obs); if permutations - larger < larger then larger = permutations - larger; p = (larger + 1) / (permutations + 1)",
        "areas": areas.len(),
        "sites_in_pattern": counted,
        "islands": islands,
        "note": "with few areas (10-30 wijken) the tests have little power: read p-values as indicative",
        "metrics": study,
    })
}

/// `summary.json`: the study, the frozen normalisation parameters, every indicator used or
/// skipped (with the reason), the diagnostics and, when given, the spreading section.
pub fn summary(loaded: &Loaded, out: &Outcome, spreading: Option<Value>) -> Value {
    let areas = &loaded.areas;
    let cfg = &loaded.config;
    let a = &out.analysis;
    let pop: f64 = areas
        .iter()
        .map(|x| x.value("population").unwrap_or(0.0))
        .sum();
    let mut study = Map::new();
    study.insert("areas".into(), areas.len().into());
    study.insert("population".into(), number(pop));
    if loaded.columns.contains_key("dwellings") {
        let dw: f64 = areas
            .iter()
            .map(|x| x.value("dwellings").unwrap_or(0.0))
            .sum();
        study.insert("dwellings".into(), number(dw));
    }
    if let Some(d) = &out.dwelling_points {
        study.insert(
            "dwelling_points".into(),
            number(d.iter().sum::<usize>() as f64),
        );
    }
    if let Some(c) = &out.care {
        let units: f64 = c.units.iter().sum();
        study.insert(
            "care_sites".into(),
            number(c.sites.iter().sum::<usize>() as f64),
        );
        study.insert("care_units".into(), number(units));
        study.insert("care_units_planned".into(), number(c.planned.iter().sum()));
        study.insert(
            "care_units_per_1000".into(),
            opt_number((pop > 0.0).then(|| 1000.0 * units / pop)),
        );
        let by_group: Map<String, Value> = cfg
            .target_group
            .iter()
            .filter_map(|g| {
                c.units_by_group
                    .get(&g.id)
                    .map(|v| (g.id.clone(), number(v.iter().sum())))
            })
            .collect();
        study.insert("care_units_by_group".into(), Value::Object(by_group));
    }
    let mut signals: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &a.areas {
        *signals.entry(s.signal.as_str()).or_default() += 1;
    }
    study.insert("signals".into(), json!(signals));

    let mut used = Vec::new();
    let mut context = Vec::new();
    let mut skipped = Vec::new();
    for s in &a.indicators {
        let base = json!({
            "id": s.def.id,
            "label": s.def.label,
            "block": s.def.block.as_str(),
        });
        let Value::Object(mut m) = base else {
            unreachable!()
        };
        if let Some(reason) = &s.skipped {
            m.insert("reason".into(), reason.clone().into());
            skipped.push(Value::Object(m));
            continue;
        }
        let src = s.source.as_ref().expect("not skipped");
        m.insert("formula".into(), src.formula_text().into());
        m.insert("columns".into(), Value::Object(columns_used(loaded, s)));
        m.insert(
            "source_year".into(),
            cfg.source_year.map_or(Value::Null, Value::from),
        );
        let with_value = s.values.iter().filter(|v| v.is_ok()).count();
        let suppressed = s
            .values
            .iter()
            .filter(|v| **v == Err(Missing::Suppressed))
            .count();
        let undefined = s
            .values
            .iter()
            .filter(|v| **v == Err(Missing::Undefined))
            .count();
        m.insert("areas_with_value".into(), with_value.into());
        m.insert("areas_suppressed".into(), suppressed.into());
        m.insert("areas_undefined".into(), undefined.into());
        if s.def.block == Block::Context {
            context.push(Value::Object(m));
            continue;
        }
        m.insert("weight".into(), number(s.def.weight));
        m.insert(
            "direction".into(),
            serde_json::to_value(s.def.direction).expect("serialises"),
        );
        if let Some(p) = a.baseline.params.get(&s.def.id) {
            let wb = p
                .values()
                .next()
                .map(|p| p.weight_by.clone())
                .unwrap_or_default();
            m.insert("weight_by".into(), wb.into());
        }
        used.push(Value::Object(m));
    }
    let params: Map<String, Value> = a
        .baseline
        .params
        .iter()
        .map(|(id, sets)| {
            let sets: Map<String, Value> = sets
                .iter()
                .map(|(k, p)| {
                    (
                        k.clone(),
                        json!({"mean": number(p.mean), "sd": number(p.sd), "n_reference": p.n_reference, "weight_by": p.weight_by}),
                    )
                })
                .collect();
            (id.clone(), Value::Object(sets))
        })
        .collect();
    let breaks: Map<String, Value> = a
        .baseline
        .typology
        .iter()
        .map(|(k, b)| {
            let f = |v: Option<[f64; 2]>| {
                v.map_or(Value::Null, |b| json!([number(b[0]), number(b[1])]))
            };
            (
                k.clone(),
                json!({"draagkracht": f(b.draagkracht), "draaglast": f(b.draaglast)}),
            )
        })
        .collect();
    let mut levels = Map::new();
    for level in ["gemeente"]
        .iter()
        .map(|s| s.to_string())
        .chain(loaded.levels.iter().cloned())
    {
        let rows = level_totals(loaded, out, &level);
        if !rows.is_empty() {
            levels.insert(level, Value::Array(rows));
        }
    }
    let mut doc = json!({
        "wijkbalans_version": VERSION,
        "study": study,
        "levels": levels,
        "columns": loaded.columns.iter().map(|(k, v)| (k.to_string(), Value::from(v.clone()))).collect::<Map<_, _>>(),
        "indicators": {"used": used, "context": context, "skipped": skipped},
        "normalisation": {
            "method": "weighted z-score within the reference set, z = clamp(s*(v - mean)/sd, -c, c); blocks are weighted means of z; saldo = draagkracht - draaglast (docs/METHOD.md 2.4-2.5)",
            "reference": cfg.normalisation.reference,
            "min_denominator": number(cfg.normalisation.min_denominator),
            "min_coverage": number(cfg.normalisation.min_coverage),
            "winsorise_at": number(cfg.normalisation.winsorise_at),
            "parameters": params,
            "typology_breaks": breaks,
        },
        "signal_thresholds": cfg.signal,
        "target_groups": cfg.target_group,
        "count_status": cfg.count_status,
        "diagnostics": out.diagnostics,
    });
    if let Some(s) = spreading {
        doc["spreading"] = s;
    }
    if let Some(acc) = &out.access {
        doc["access"] = access_summary(loaded, acc);
    }
    doc
}

/// The `access` block of `summary.json`: which distance was measured, the categories found,
/// the rings and the floating-catchment settings, so every access column can be traced.
fn access_summary(loaded: &Loaded, acc: &crate::pipeline::AccessResult) -> Value {
    let cfg = &loaded.config.access;
    let mut found = Map::new();
    if let Some(fi) = &loaded.facility_index {
        for kind in fi.types() {
            let label = cfg
                .category
                .iter()
                .find(|c| c.id == kind)
                .map_or(kind, |c| c.label.as_str());
            found.insert(
                kind.to_string(),
                json!({"label": label, "facilities": fi.count(kind)}),
            );
        }
    }
    let mut doc = json!({
        "distance": acc.distance.label(),
        "distance_note": match acc.distance {
            crate::access::DistanceKind::Hemelsbreed => "straight-line distances; CBS publishes distances by road, which are longer",
            crate::access::DistanceKind::OverDeWeg => "walking distances over the given network; points snap to its nearest node and the snap distance is added",
        },
        "categories_found": found,
        "ring_radii_m": acc.rings.as_ref().map(|r| r.radii.iter().map(|x| number(*x)).collect::<Vec<_>>()),
        "access_score_rings": cfg.rings.default,
        "geroscoop_weights": cfg.geroscoop_weights,
    });
    if !acc.fca.is_empty() {
        doc["fca"] = json!({
            "method": "E2SFCA/2SFCA as pysal/access fca.py: R_j = S_j / sum_k f(d_kj) P_k, A_i = sum_j f(d_ij) R_j over d <= max_cost_m (hemelsbreed); per area the population-weighted mean A x 1000",
            "types": acc.fca.keys().collect::<Vec<_>>(),
            "max_cost_m": number(cfg.fca.max_cost_m),
            "decay": cfg.fca.decay,
            "demand": "dwellings carrying their area's inhabitants / dwellings; areas without dwellings by their interior point",
            "supply": "the facility's capacity column, or 1 per facility",
        });
    }
    if let Some((nodes, edges)) = loaded.network_size {
        doc["network"] =
            json!({"nodes": nodes, "edges": edges, "snap_tolerance_m": number(cfg.network_snap_m)});
    }
    doc
}

/// For a public audience: null the care units (and their rate) of every level total below k.
pub fn suppress_levels(mut summary: Value, k: u32) -> Value {
    if let Some(levels) = summary.get_mut("levels").and_then(|l| l.as_object_mut()) {
        for rows in levels.values_mut() {
            for row in rows.as_array_mut().into_iter().flatten() {
                let v = row["care_units"].as_f64().unwrap_or(0.0);
                if v > 0.0 && v < k as f64 {
                    row["care_units"] = Value::Null;
                    row["care_units_per_1000"] = Value::Null;
                }
            }
        }
    }
    summary
}

/// `run.json`: tool version, command, effective config, inputs with hashes, outputs, seed.
/// No timestamps: the same inputs give the same bytes. Waits for the digests still being
/// computed; an input that can no longer be read is the error.
pub fn run_record(
    command: &str,
    loaded: &Loaded,
    outputs: &[String],
) -> Result<Value, crate::error::InputError> {
    loaded.wait_for_digests()?;
    Ok(json!({
        "tool": "wijkbalans",
        "version": VERSION,
        "command": command,
        "seed": loaded.config.seed,
        "config": loaded.config,
        "inputs": loaded.inputs,
        "outputs": outputs,
    }))
}
