//! `wijkbalans monitor --opgave FILE`: targets per group and year against realised and planned
//! places; each area's fair share of the opgave by population and naar vermogen.

use serde_json::{json, Value};

use crate::cli::args::MonitorArgs;
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::write::{self, number, CsvDialect, Table};
use crate::monitor::{fair_share, pace, Opgave, ShareArea, ShareMethod, ShareOptions, SiteRecord};
use crate::{pipeline, report};

use super::output::{OutputOptions, Outputs};
use super::print;

/// Run the command.
pub fn run(args: MonitorArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let data_year = cfg.source_year.ok_or_else(|| {
        Failure("the monitor needs the year of the area statistics: pass --year (e.g. 2022)".into())
    })?;
    let path = &args.opgave;
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("{}: cannot read the opgave ({e})", path.display())))?;
    let groups: Vec<&str> = cfg.target_group.iter().map(|g| g.id.as_str()).collect();
    let opgave = Opgave::from_toml(&text, &groups, data_year)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    let share_opts = ShareOptions {
        beta: args.beta,
        allow_rood: args.allow_rood,
    };
    let loaded = pipeline::load(&cfg)?;
    let outcome = pipeline::analyse(&loaded);
    let areas = &loaded.areas.areas;
    let sites = loaded.sites.as_deref().unwrap_or(&[]);

    let mut targets_json = Vec::new();
    let mut pace_rows = Vec::new();
    let mut area_cols: Vec<String> = Vec::new();
    let mut area_vals: Vec<Vec<Value>> = vec![Vec::new(); areas.len()];
    let mut summary_lines = Vec::new();
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
        let table = pace(target, &records).map_err(|e| Failure(format!("target {n}: {e}")))?;
        for r in &table.rows {
            pace_rows.push(vec![
                Value::from(target.group.clone()),
                target.area.clone().map_or(Value::Null, Value::from),
                Value::from(r.year),
                number(r.target),
                number(r.realised),
                number(r.planned),
                number(r.planned_year_unknown),
                number(r.gap),
                Value::Bool(r.on_pace),
            ]);
        }
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
        let by_pop = fair_share(
            target.places,
            &share_areas,
            ShareMethod::Population,
            &share_opts,
        )
        .map_err(|e| Failure(format!("target {n} ({}): {e}", target.group)))?;
        let by_cap = fair_share(
            target.places,
            &share_areas,
            ShareMethod::Capacity,
            &share_opts,
        )
        .map_err(|e| Failure(format!("target {n} ({}): {e}", target.group)))?;
        let g = &target.group;
        area_cols.extend([
            format!("{g}_current"),
            format!("{g}_share_population"),
            format!("{g}_share_capacity"),
            format!("{g}_gap_population"),
            format!("{g}_gap_capacity"),
        ]);
        for (i, vals) in area_vals.iter_mut().enumerate() {
            let code = &areas[i].code;
            let p = by_pop.rows.iter().find(|r| r.code == *code);
            let c = by_cap.rows.iter().find(|r| r.code == *code);
            match (p, c) {
                (Some(p), Some(c)) => vals.extend([
                    number(current(i)),
                    Value::from(p.share_whole),
                    Value::from(c.share_whole),
                    number(p.current_minus_share_whole),
                    number(c.current_minus_share_whole),
                ]),
                _ => vals.extend(std::iter::repeat_n(Value::Null, 5)),
            }
        }
        let latest = table.row(data_year.clamp(target.from, target.to));
        summary_lines.push(format!(
            "{g}: {} in {}; {} {}: gerealiseerd {}, gepland {}, tekort {}",
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
        ));
        targets_json.push(json!({
            "target": target,
            "pace": table,
            "fair_share": {"population": by_pop, "capacity": by_cap},
        }));
    }

    let mut columns: Vec<String> = vec!["code".into(), "name".into()];
    columns.extend(area_cols);
    let rows = areas
        .iter()
        .zip(area_vals)
        .map(|(a, vals)| {
            let mut r = vec![Value::from(a.code.clone()), Value::from(a.name.clone())];
            r.extend(vals);
            r
        })
        .collect();
    let areas_table = Table { columns, rows };
    let pace_table = Table {
        columns: [
            "group",
            "area",
            "year",
            "target",
            "realised",
            "planned",
            "planned_year_unknown",
            "gap",
            "on_pace",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        rows: pace_rows,
    };
    let doc = json!({
        "wijkbalans_version": report::VERSION,
        "title": opgave.title,
        "data_year": data_year,
        "capacity_weighting": {
            "formula": "weight_i = inhabitants_i * max(0, 1 + beta * saldo_i); areas in rood get 0 unless --allow-rood; shares = target * weight_i / sum(weight); whole shares by largest remainder",
            "beta": args.beta,
            "allow_rood": args.allow_rood,
        },
        "counting": "realised = existing sites of the group in the target's area with year <= Y (no year: realised from the start); planned = planned sites with year <= Y; planned without a year are listed apart; proposed sites are not counted",
        "targets": targets_json,
    });
    let geoms = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let style = opgave.targets.first().and_then(|t| {
        let col = format!("{}_gap_capacity", t.group);
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
    let mut run = report::run_record("monitor", &loaded, &names);
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
