//! `wijkbalans compare --before A --after B`: the same analysis on two vintages, and what changed.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::cli::args::CompareArgs;
use crate::cli::output::{OutputOptions, Outputs, RUN_JSON};
use crate::cli::session::{areas_config, set_threads};
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::io::write::{self, number, opt_number, Table};
use crate::monitor::{compare, signal_move, CompareOptions, VintageArea};
use crate::pipeline::{self, Loaded, Outcome};
use crate::report;

/// The values compared: the area's counts and every computed indicator, plus the blocks.
fn vintage(loaded: &Loaded, out: &Outcome) -> (Vec<VintageArea>, BTreeMap<String, String>) {
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
    (areas, signals)
}

/// Run the command.
pub fn run(args: CompareArgs) -> Result<Exit, Failure> {
    set_threads(args.run.threads)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let load =
        |path: &std::path::PathBuf, layer: &Option<String>| -> Result<(Loaded, Outcome), Failure> {
            let loaded = pipeline::load(&areas_config(path, layer.clone())?)?;
            let out = pipeline::analyse(&loaded);
            Ok((loaded, out))
        };
    let (lb, ob) = load(&args.before, &args.before_layer)?;
    let (la, oa) = load(&args.after, &args.after_layer)?;
    let (vb, sb) = vintage(&lb, &ob);
    let (va, sa) = vintage(&la, &oa);
    let cmp = compare(&vb, &va, &CompareOptions::default()).map_err(|e| {
        Failure(format!(
            "{} and {}: {e}; compare two vintages of the same area codes",
            args.before.display(),
            args.after.display()
        ))
    })?;
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
    let mut all: Vec<(&str, &crate::monitor::AreaComparison)> = cmp
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
            sb.get(&c.code).cloned().unwrap_or_default(),
            sa.get(&c.code).cloned().unwrap_or_default(),
        );
        row.push(Value::from(b.clone()));
        row.push(Value::from(a.clone()));
        row.push(Value::from(signal_move(&b, &a)));
        rows.push(row);
        let g = la
            .areas
            .iter()
            .find(|x| x.code == c.code)
            .map(|x| x.geometry.clone())
            .expect("matched codes exist after");
        geoms.push(geo::Geometry::MultiPolygon(g));
    }
    let table = Table { columns, rows };
    lb.wait_for_digests()?;
    la.wait_for_digests()?;
    let doc = json!({
        "wijkbalans_version": report::VERSION,
        "before": {"path": args.before.display().to_string(), "inputs": lb.inputs},
        "after": {"path": args.after.display().to_string(), "inputs": la.inputs},
        "tolerances": CompareOptions::default(),
        "matched": cmp.matched.len(),
        "boundary_changed": cmp.boundary_changed,
        "only_before": cmp.only_before,
        "only_after": cmp.only_after,
        "keys_only_before": cmp.keys_only_before,
        "keys_only_after": cmp.keys_only_after,
        "signal_moves": sb.iter().filter_map(|(code, b)| {
            let a = sa.get(code)?;
            (a != b).then(|| json!({"code": code, "move": signal_move(b, a)}))
        }).collect::<Vec<_>>(),
        "population_change": number(
            cmp.matched.iter().filter_map(|c| c.values.get("population").and_then(|v| v.change)).sum()
        ),
    });
    let mut outputs = Outputs::new(&opts, &lb.config.crs)?;
    outputs.layer("compare_areas", table, geoms, Vec::new())?;
    outputs.file("compare.json", write::json_bytes(&doc));
    let mut names = outputs.names();
    names.push(RUN_JSON.into());
    let run = json!({
        "tool": "wijkbalans",
        "version": report::VERSION,
        "command": "compare",
        "inputs": [lb.inputs, la.inputs],
        "outputs": names,
        "output": opts.audience(),
    });
    outputs.file(RUN_JSON, write::json_bytes(&run));
    let names = outputs.write(&args.run.out)?;
    if !args.run.quiet {
        print(&format!(
            "wijkbalans: {} areas compared, {} with a changed boundary, {} only before, {} only after; wrote {} to {}",
            cmp.matched.len(),
            cmp.boundary_changed.len(),
            cmp.only_before.len(),
            cmp.only_after.len(),
            names.join(", "),
            args.run.out.display()
        ));
    }
    Ok(Exit::Success)
}
