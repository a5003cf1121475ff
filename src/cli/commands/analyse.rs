//! `wijkbalans analyse`: load, analyse, write the area and site layers (GeoJSON, CSV and/or a
//! GeoPackage with styles), `summary.json` and `run.json`.

use geo::BooleanOps;
use serde_json::Value;

use crate::cli::args::AnalyseArgs;
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::styles;
use crate::io::write::{self, Table};
use crate::pipeline::{Loaded, Outcome};
use crate::{pipeline, report};

use super::output::{self, suppress_small, OutputOptions, Outputs};
use super::{eprint, print};

/// Columns of the `lisa` layer (a subset of the areas table).
const LISA_COLUMNS: &[&str] = &[
    "code",
    "name",
    "care_units_per_1000",
    "local_moran_i",
    "lisa_quadrant",
    "lisa_p",
    "lisa_label",
    "gi_star",
    "gi_star_z",
    "gi_star_p",
    "saldo",
    "saldo_local_moran_i",
    "saldo_lisa_label",
];

fn select(table: &Table, columns: &[&str]) -> Option<Table> {
    let idx: Vec<usize> = columns
        .iter()
        .filter_map(|c| table.columns.iter().position(|x| x == c))
        .collect();
    if !idx.iter().any(|i| table.columns[*i] == "lisa_label") {
        return None;
    }
    Some(Table {
        columns: idx.iter().map(|i| table.columns[*i].clone()).collect(),
        rows: table
            .rows
            .iter()
            .map(|r| idx.iter().map(|i| r[*i].clone()).collect())
            .collect(),
    })
}

/// Suppress small care-unit counts in the area and site tables (audience publiek).
fn suppress_tables(areas: &mut Table, sites: Option<&mut Table>, k: u32) {
    let groups: Vec<String> = areas
        .columns
        .iter()
        .filter_map(|c| c.strip_prefix("care_units_").map(str::to_string))
        .filter(|g| !["planned", "per_1000"].contains(&g.as_str()))
        .collect();
    for g in &groups {
        let ratio = format!("fair_share_ratio_{g}");
        let gap = format!("fair_share_gap_{g}");
        suppress_small(areas, &format!("care_units_{g}"), &[&ratio, &gap], k);
    }
    suppress_small(
        areas,
        "care_units",
        &[
            "care_units_per_1000",
            "dl7_value",
            "fair_share_ratio",
            "fair_share_gap",
            "regular_units",
        ],
        k,
    );
    suppress_small(areas, "care_units_planned", &[], k);
    if let Some(sites) = sites {
        suppress_small(sites, "wb_units", &["units"], k);
    }
}

/// One layer per user level (e.g. gebieden): the union of its areas' polygons with totals.
fn level_layers(loaded: &Loaded, out: &Outcome) -> Vec<(String, Table, Vec<geo::Geometry<f64>>)> {
    let areas = &loaded.areas;
    loaded
        .levels
        .iter()
        .map(|level| {
            let mut codes: Vec<String> = areas
                .iter()
                .filter_map(|a| a.parents.get(level).cloned())
                .collect();
            codes.sort();
            codes.dedup();
            let mut rows = Vec::new();
            let mut geoms = Vec::new();
            for code in &codes {
                let members: Vec<usize> = (0..areas.len())
                    .filter(|i| areas[*i].parents.get(level) == Some(code))
                    .collect();
                let pop: f64 = members
                    .iter()
                    .map(|i| areas[*i].value("population").unwrap_or(0.0))
                    .sum();
                let units: Option<f64> = out
                    .care
                    .as_ref()
                    .map(|c| members.iter().map(|i| c.units[*i]).sum());
                let mut union = geo::MultiPolygon::<f64>(vec![]);
                for i in &members {
                    union = union.union(&areas[*i].geometry);
                }
                let mut row = vec![
                    Value::from(code.clone()),
                    Value::from(members.len()),
                    write::number(pop),
                ];
                if let Some(u) = units {
                    row.push(write::number(u));
                    row.push(write::opt_number((pop > 0.0).then(|| 1000.0 * u / pop)));
                }
                rows.push(row);
                geoms.push(geo::Geometry::MultiPolygon(union));
            }
            let mut columns: Vec<String> = ["code", "areas", "population"]
                .iter()
                .map(|s| s.to_string())
                .collect();
            if out.care.is_some() {
                columns.extend(["care_units", "care_units_per_1000"].map(String::from));
            }
            let table = Table { columns, rows };
            (level.clone(), table, geoms)
        })
        .collect()
}

/// Quartile breaks of a rate column, for a graduated style (None when the column is absent or
/// has fewer than 4 values).
pub fn rate_breaks(table: &Table, column: &str) -> Option<Vec<f64>> {
    let c = table.columns.iter().position(|x| x == column)?;
    let mut v: Vec<f64> = table.rows.iter().filter_map(|r| r[c].as_f64()).collect();
    if v.len() < 4 {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let q = |p: f64| crate::indicators::balance::quantile(&v, p);
    Some(vec![q(0.25), q(0.5), q(0.75)])
}

/// Run the command.
pub fn run(args: AnalyseArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let pb = super::stage(args.quiet, "lezen van de lagen…");
    let start = std::time::Instant::now();
    let loaded = pipeline::load(&cfg)?;
    let read_s = start.elapsed().as_secs_f64();
    pb.set_message(format!(
        "toewijzen en berekenen ({} gebieden, {} permutaties)…",
        loaded.areas.len(),
        cfg.spreading.permutations
    ));
    let outcome = pipeline::analyse_with_progress(&loaded, &super::Bar::new(&pb));
    pb.set_message("schrijven…");
    let write_start = std::time::Instant::now();

    // Render everything in memory first; write only when all of it succeeded.
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let mut areas = report::areas_table(&loaded, &outcome);
    let mut sites = report::sites_table(&loaded, &outcome);
    if let Some(k) = opts.public_min {
        suppress_tables(&mut areas, sites.as_mut(), k);
    }
    // One copy of the polygons for the areas and LISA layers (rendered to WGS84 once).
    let area_geoms: output::Geometries = std::sync::Arc::new(
        loaded
            .areas
            .iter()
            .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
            .collect(),
    );
    let lisa = select(&areas, LISA_COLUMNS);
    let thresholds = [cfg.signal.rood, cfg.signal.oranje, cfg.signal.ruimte];
    outputs.layer(
        "areas",
        areas,
        std::sync::Arc::clone(&area_geoms),
        Some(styles::saldo_graduated(&thresholds)),
    )?;
    if let (Some(table), Some(s)) = (sites, &loaded.sites) {
        let geoms: Vec<geo::Geometry<f64>> = s
            .iter()
            .map(|s| geo::Geometry::Point(geo::Point(s.location)))
            .collect();
        let groups: Vec<(String, String)> = cfg
            .target_group
            .iter()
            .map(|g| (g.id.clone(), g.label.clone()))
            .collect();
        let max_units = s.iter().map(|x| x.units).fold(1.0, f64::max);
        outputs.layer(
            "sites",
            table,
            geoms,
            Some(styles::sites_by_group(&groups, max_units)),
        )?;
    }
    if let Some(table) = lisa {
        outputs.layer(
            "lisa",
            table,
            area_geoms,
            Some(styles::lisa_categorised("lisa_label")),
        )?;
    }
    for (level, mut table, geoms) in level_layers(&loaded, &outcome) {
        if let Some(k) = opts.public_min {
            suppress_small(&mut table, "care_units", &["care_units_per_1000"], k);
        }
        let style = rate_breaks(&table, "care_units_per_1000")
            .map(|b| styles::rate_graduated("care_units_per_1000", &b));
        outputs.layer(&level, table, geoms, style)?;
    }
    let spreading = report::spreading_summary(&loaded, &outcome);
    let summary = report::summary(&loaded, &outcome, Some(spreading));
    let summary = match opts.public_min {
        Some(k) => report::suppress_levels(summary, k),
        None => summary,
    };
    outputs.file("summary.json", write::json_bytes(&summary));
    let mut names = outputs.names();
    names.push("run.json".to_string());
    let mut run = report::run_record("analyse", &loaded, &names)?;
    run["output"] = opts.audience();
    outputs.file("run.json", write::json_bytes(&run));
    let names = outputs.write(&args.out)?;
    pb.finish_and_clear();
    if let Some(path) = &args.timings {
        let t = &outcome.timings;
        let doc = serde_json::json!({
            "read_s": read_s,
            "assign_s": t.assign_s,
            "indicators_s": t.indicators_s,
            "spreading_s": t.spreading_s,
            "write_s": write_start.elapsed().as_secs_f64(),
            "total_s": start.elapsed().as_secs_f64(),
        });
        std::fs::write(path, write::json_bytes(&doc)).map_err(|e| {
            Failure(format!(
                "{}: cannot write the timings ({e})",
                path.display()
            ))
        })?;
    }

    let d = &outcome.diagnostics;
    let outside = d.outside();
    if outside > 0 {
        let dw = d.dwellings.as_ref().map_or(0, |c| c.outside);
        let st = d.sites.as_ref().map_or(0, |c| c.outside);
        eprint(&format!(
            "wijkbalans: warning: {outside} point(s) lie outside every area ({dw} dwellings, {st} sites); they are listed under diagnostics in {}",
            args.out.join("summary.json").display()
        ));
    }
    let skipped = d.dwellings_skipped.as_ref().map_or(0, |k| k.count);
    if let Some(k) = d.dwellings_skipped.as_ref().filter(|k| k.count > 0) {
        let first = &k.listed[0];
        eprint(&format!(
            "wijkbalans: warning: {} broken dwelling feature(s) left out (first: feature {}: {}); each is listed under diagnostics.dwellings_skipped in {}",
            k.count,
            first.feature,
            first.problem,
            args.out.join("summary.json").display()
        ));
    }
    if !d.zero_population_areas.is_empty() {
        let codes = &d.zero_population_areas;
        let shown: Vec<&str> = codes.iter().take(5).map(String::as_str).collect();
        eprint(&format!(
            "wijkbalans: warning: {} area(s) have 0 inhabitants ({}{}); rates per inhabitant are undefined there and left empty, never divided by zero; they are listed under diagnostics in {}",
            codes.len(),
            shown.join(", "),
            if codes.len() > shown.len() { ", …" } else { "" },
            args.out.join("summary.json").display()
        ));
    }
    if !args.quiet {
        for note in &d.access_notes {
            eprint(&format!("wijkbalans: note: {note}"));
        }
        let signals = &summary["study"]["signals"];
        print(&format!(
            "wijkbalans: {} areas, {} inhabitants; signals {}; wrote {} to {}",
            loaded.areas.len(),
            summary["study"]["population"],
            signals,
            names.join(", "),
            args.out.display()
        ));
    }
    Ok(if (outside > 0 || skipped > 0) && args.strict {
        Exit::Diagnostics
    } else {
        Exit::Success
    })
}
