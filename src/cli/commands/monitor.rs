//! `wijkbalans monitor --opgave FILE`: targets per group and year against realised and planned
//! places; each area's fair share of the opgave by population and naar vermogen.
//!
//! The reading of the opgave file ([`read_opgave`]), its evaluation on an analysed study
//! ([`evaluate_opgave`]) and the two tables ([`pace_table`], [`areas_table`]) are shared with
//! `wijkbalans report --opgave`, so the report shows exactly the numbers of `monitor.json`.

use std::path::Path;

use serde_json::{json, Value};

use crate::cli::args::{MonitorArgs, ShareArgs};
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::config::Config;
use crate::io::write::{self, number, CsvDialect, Table};
use crate::monitor::{evaluate, Opgave, ShareArea, ShareOptions, SiteRecord, TargetOutcome};
use crate::pipeline::{Loaded, Outcome};
use crate::{pipeline, report};

use super::output::{suppress_small, OutputOptions, Outputs};
use super::print;

/// The formula of the capacity weighting, as written to `monitor.json` and the report notes.
pub const CAPACITY_FORMULA: &str = "weight_i = inhabitants_i * max(0, 1 + beta * saldo_i); areas in rood get 0 unless --allow-rood; shares = target * weight_i / sum(weight); whole shares by largest remainder";

/// How sites are counted, as written to `monitor.json`.
pub const COUNTING: &str = "realised = existing sites of the group in the target's area with year <= Y (no year: realised from the start); planned = planned sites with year <= Y; planned without a year are listed apart; proposed = proposed sites with year <= Y or without a year, shown for information and not part of the gap";

/// Read the opgave file at `path` and validate it against the configured target groups and
/// the year of the area statistics. Returns the opgave and that year.
pub fn read_opgave(path: &Path, cfg: &Config) -> Result<(Opgave, i32), Failure> {
    let data_year = cfg.source_year.ok_or_else(|| {
        Failure(format!(
            "{}: the opgave monitor needs the year of the area statistics: pass --year (e.g. 2022)",
            path.display()
        ))
    })?;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("{}: cannot read the opgave ({e})", path.display())))?;
    let groups: Vec<&str> = cfg.target_group.iter().map(|g| g.id.as_str()).collect();
    let opgave = Opgave::from_toml(&text, &groups, data_year)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    Ok((opgave, data_year))
}

/// The options of the capacity method from the flags.
pub fn share_options(args: &ShareArgs) -> ShareOptions {
    ShareOptions {
        beta: args.beta,
        allow_rood: args.allow_rood,
    }
}

/// Evaluate every target of `opgave` on the analysed study, in file order: the sites of the
/// target's group inside its area (assigned as in the analysis) and the areas inside it, with
/// the counted places of the group as their current places.
pub fn evaluate_opgave(
    path: &Path,
    opgave: &Opgave,
    loaded: &Loaded,
    outcome: &Outcome,
    options: &ShareOptions,
) -> Result<Vec<TargetOutcome>, Failure> {
    let areas = &loaded.areas;
    let sites = loaded.sites.as_deref().unwrap_or(&[]);
    let mut results = Vec::with_capacity(opgave.targets.len());
    for (k, target) in opgave.targets.iter().enumerate() {
        let n = k + 1;
        let in_scope: Vec<bool> = areas
            .iter()
            .map(|a| match &target.area {
                None => true,
                Some(code) => a.code == *code || a.parents.values().any(|p| p == code),
            })
            .collect();
        if !in_scope.iter().any(|x| *x) {
            return Err(Failure(format!(
                "{}: target {n} ({}) is for area {}, which matches no loaded area or parent code",
                path.display(),
                target.group,
                target.area.as_deref().unwrap_or("")
            )));
        }
        let records: Vec<SiteRecord> = sites
            .iter()
            .zip(&outcome.site_areas)
            .filter(|(s, loc)| {
                s.target_group == target.group && loc.area().is_some_and(|i| in_scope[i])
            })
            .map(|(s, _)| SiteRecord {
                group: s.target_group.clone(),
                units: s.units,
                status: s.status,
                year: s.year,
            })
            .collect();
        let current = |i: usize| -> f64 {
            outcome
                .care
                .as_ref()
                .and_then(|c| c.units_by_group.get(&target.group))
                .map_or(0.0, |v| v[i])
        };
        let share_areas: Vec<ShareArea> = (0..areas.len())
            .filter(|i| in_scope[*i])
            .map(|i| ShareArea {
                code: areas[i].code.clone(),
                population: areas[i].value("population"),
                saldo: outcome.analysis.areas[i].saldo,
                signal: outcome.analysis.areas[i].signal,
                current: current(i),
            })
            .collect();
        let result = evaluate(target, &records, &share_areas, options).map_err(|e| {
            Failure(format!(
                "{}: target {n} ({}): {e}",
                path.display(),
                target.group
            ))
        })?;
        results.push(result);
    }
    Ok(results)
}

/// The column prefix of a target in [`areas_table`]: its group, or `<group>_<area>` when the
/// opgave has more than one target for the group.
pub fn column_prefix(results: &[TargetOutcome], k: usize) -> String {
    let t = &results[k].target;
    let same_group = results.iter().filter(|r| r.target.group == t.group).count();
    match (&t.area, same_group > 1) {
        (Some(a), true) => format!("{}_{a}", t.group),
        (None, true) => format!("{}_alle", t.group),
        _ => t.group.clone(),
    }
}

/// `monitor.csv`: one row per target and year.
pub fn pace_table(results: &[TargetOutcome]) -> Table {
    let columns = [
        "group",
        "area",
        "year",
        "target",
        "realised",
        "planned",
        "planned_year_unknown",
        "proposed",
        "gap",
        "on_pace",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let rows = results
        .iter()
        .flat_map(|r| {
            r.pace.rows.iter().map(move |p| {
                vec![
                    Value::from(r.target.group.clone()),
                    r.target.area.clone().map_or(Value::Null, Value::from),
                    Value::from(p.year),
                    number(p.target),
                    number(p.realised),
                    number(p.planned),
                    number(p.planned_year_unknown),
                    number(p.proposed),
                    number(p.gap),
                    Value::Bool(p.on_pace),
                ]
            })
        })
        .collect();
    Table { columns, rows }
}

/// The `monitor_areas` table: code, name, then per target (see [`column_prefix`]) the current
/// places, the whole shares by population and naar vermogen, and current − share for both.
/// Areas outside a target's area are empty in its columns.
pub fn areas_table(results: &[TargetOutcome], loaded: &Loaded) -> Table {
    let areas = &loaded.areas;
    let mut columns: Vec<String> = vec!["code".into(), "name".into()];
    let mut rows: Vec<Vec<Value>> = areas
        .iter()
        .map(|a| vec![Value::from(a.code.clone()), Value::from(a.name.clone())])
        .collect();
    for (k, r) in results.iter().enumerate() {
        let g = column_prefix(results, k);
        columns.extend([
            format!("{g}_current"),
            format!("{g}_share_population"),
            format!("{g}_share_capacity"),
            format!("{g}_gap_population"),
            format!("{g}_gap_capacity"),
        ]);
        for (a, row) in areas.iter().zip(&mut rows) {
            let p = r.by_population.rows.iter().find(|x| x.code == a.code);
            let c = r.by_capacity.rows.iter().find(|x| x.code == a.code);
            match (p, c) {
                (Some(p), Some(c)) => row.extend([
                    number(p.current),
                    Value::from(p.share_whole),
                    Value::from(c.share_whole),
                    number(p.current_minus_share_whole),
                    number(c.current_minus_share_whole),
                ]),
                _ => row.extend(std::iter::repeat_n(Value::Null, 5)),
            }
        }
    }
    Table { columns, rows }
}

/// For a public audience: suppress the counts from 1 to k − 1 in the two tables, with what is
/// derived from them (a gap reveals the counts it is computed from).
pub fn suppress_tables(pace: &mut Table, areas: &mut Table, k: u32) {
    suppress_small(pace, "realised", &["gap"], k);
    suppress_small(pace, "planned", &["gap"], k);
    suppress_small(pace, "planned_year_unknown", &[], k);
    suppress_small(pace, "proposed", &[], k);
    let prefixes: Vec<String> = areas
        .columns
        .iter()
        .filter_map(|c| c.strip_suffix("_current").map(str::to_string))
        .collect();
    for g in prefixes {
        suppress_small(
            areas,
            &format!("{g}_current"),
            &[&format!("{g}_gap_population"), &format!("{g}_gap_capacity")],
            k,
        );
    }
}

/// For a public audience: suppress the same counts in `monitor.json`'s targets.
fn suppress_json(targets: &mut [Value], k: u32) {
    let small = |v: &Value| v.as_f64().is_some_and(|x| x > 0.0 && x < f64::from(k));
    for t in targets {
        for row in t["pace"]["rows"].as_array_mut().into_iter().flatten() {
            for (count, derived) in [
                ("realised", Some("gap")),
                ("planned", Some("gap")),
                ("planned_year_unknown", None),
                ("proposed", None),
            ] {
                if small(&row[count]) {
                    row[count] = Value::Null;
                    if let Some(d) = derived {
                        row[d] = Value::Null;
                    }
                }
            }
        }
        let nc = &mut t["pace"]["not_counted"];
        for key in [
            "proposed",
            "realised_after_deadline",
            "planned_after_deadline",
        ] {
            if small(&nc[key]) {
                nc[key] = Value::Null;
            }
        }
        for method in ["population", "capacity"] {
            for row in t["fair_share"][method]["rows"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                if small(&row["current"]) {
                    for key in [
                        "current",
                        "current_minus_share",
                        "current_minus_share_whole",
                    ] {
                        row[key] = Value::Null;
                    }
                }
            }
        }
    }
}

/// The `targets` array of `monitor.json`.
pub fn targets_json(results: &[TargetOutcome]) -> Vec<Value> {
    results
        .iter()
        .map(|r| {
            json!({
                "target": r.target,
                "pace": r.pace,
                "fair_share": {"population": r.by_population, "capacity": r.by_capacity},
            })
        })
        .collect()
}

/// Run the command.
pub fn run(args: MonitorArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let path = &args.opgave;
    let (opgave, data_year) = read_opgave(path, &cfg)?;
    let share_opts = share_options(&args.share);
    let loaded = pipeline::load(&cfg)?;
    let outcome = super::analyse_with_progress(&loaded, args.quiet);
    let areas = &loaded.areas;
    let results = evaluate_opgave(path, &opgave, &loaded, &outcome, &share_opts)?;

    let summary_lines: Vec<String> = results
        .iter()
        .map(|r| {
            let target = &r.target;
            let latest = r.pace.row(data_year.clamp(target.from, target.to));
            format!(
                "{}: {} in {}; {} {}: gerealiseerd {}, gepland {}, tekort {}",
                target.group,
                target.places,
                target.to,
                if latest.is_some_and(|r| r.on_pace) {
                    "op koers"
                } else {
                    "achter"
                },
                latest.map_or(target.from, |r| r.year),
                latest.map_or(0.0, |r| r.realised),
                latest.map_or(0.0, |r| r.planned),
                latest.map_or(0.0, |r| r.gap)
            )
        })
        .collect();
    let mut areas_table = areas_table(&results, &loaded);
    let mut pace_table = pace_table(&results);
    let mut targets = targets_json(&results);
    if let Some(k) = opts.public_min {
        suppress_tables(&mut pace_table, &mut areas_table, k);
        suppress_json(&mut targets, k);
    }
    let doc = json!({
        "wijkbalans_version": report::VERSION,
        "title": opgave.title,
        "data_year": data_year,
        "capacity_weighting": {
            "formula": CAPACITY_FORMULA,
            "beta": share_opts.beta,
            "allow_rood": share_opts.allow_rood,
        },
        "counting": COUNTING,
        "targets": targets,
    });
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let style = (!results.is_empty())
        .then(|| format!("{}_gap_capacity", column_prefix(&results, 0)))
        .and_then(|col| {
            super::analyse::rate_breaks(&areas_table, &col)
                .map(|b| crate::io::styles::rate_graduated(&col, &b))
        });
    outputs.layer("monitor_areas", areas_table, geoms, style)?;
    outputs.file("monitor.json", write::json_bytes(&doc));
    outputs.file(
        "monitor.csv",
        write::csv_bytes_with(&pace_table, CsvDialect::ExcelNl),
    );
    let mut names = outputs.names();
    names.push("run.json".into());
    let mut run = report::run_record("monitor", &loaded, &names)?;
    run["opgave"] = json!({"path": path.display().to_string(), "title": opgave.title});
    run["output"] = opts.audience();
    outputs.file("run.json", write::json_bytes(&run));
    let names = outputs.write(&args.out)?;
    if !args.quiet {
        print(&format!(
            "wijkbalans: opgavemonitor '{}' ({} doelen)\n  {}\nwrote {} to {}",
            opgave.title,
            opgave.targets.len(),
            summary_lines.join("\n  "),
            names.join(", "),
            args.out.display()
        ));
    }
    Ok(Exit::Success)
}
