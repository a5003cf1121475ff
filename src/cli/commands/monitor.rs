//! `wijkbalans monitor --opgave FILE`: targets per group and year against realised and planned
//! places; each area's fair share of the opgave by population and naar vermogen.
//!
//! The reading of the opgave file ([`read_opgave`]) is shared with `wijkbalans report
//! --opgave`, and so are its evaluation and the tables ([`crate::report::monitor`]), so the
//! report shows exactly the numbers of `monitor.json`.

use std::path::Path;

use serde_json::json;

use crate::cli::args::{MonitorArgs, ShareArgs};
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::config::Config;
use crate::io::write::{self, CsvDialect};
use crate::monitor::{Opgave, ShareOptions};
use crate::pipeline;
use crate::report::layers::rate_breaks;
use crate::report::monitor::{
    areas_table, column_prefix, evaluate_opgave, monitor_json, pace_lines, pace_table,
    suppress_tables,
};

use super::output::{OutputOptions, Outputs};
use super::print;

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
    let results = evaluate_opgave(&opgave, &loaded, &outcome, &share_opts)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;

    let summary_lines = pace_lines(&results, data_year);
    let mut areas_table = areas_table(&results, &loaded);
    let mut pace_table = pace_table(&results);
    if let Some(k) = opts.public_min {
        suppress_tables(&mut pace_table, &mut areas_table, k);
    }
    let doc = monitor_json(&opgave, data_year, &share_opts, &results, opts.public_min);
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let style = (!results.is_empty())
        .then(|| format!("{}_gap_capacity", column_prefix(&results, 0)))
        .and_then(|col| {
            rate_breaks(&areas_table, &col).map(|b| crate::io::styles::rate_graduated(&col, &b))
        });
    outputs.layer("monitor_areas", areas_table, geoms, style)?;
    outputs.file("monitor.json", write::json_bytes(&doc));
    outputs.file(
        "monitor.csv",
        write::csv_bytes_with(&pace_table, CsvDialect::ExcelNl),
    );
    let mut names = outputs.names();
    names.push("run.json".into());
    let mut run = crate::report::run_record("monitor", &loaded, &names)?;
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
