//! `wijkbalans monitor --opgave FILE`: targets per group and year against realised and planned
//! places; each area's fair share of the opgave by population and naar vermogen.
//!
//! The evaluation and the tables are [`crate::report::monitor`]'s, shared with
//! `wijkbalans report --opgave`, so the report shows exactly the numbers of `monitor.json`.

use serde_json::json;

use crate::cli::args::MonitorArgs;
use crate::cli::files::read_opgave;
use crate::cli::output::{names, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::print_summary;
use crate::cli::{Exit, Failure};
use crate::format::counted;
use crate::io::outset::Named;
use crate::io::write;
use crate::report::layers::rate_breaks;
use crate::report::monitor::{
    areas_table, column_prefix, evaluate_opgave, monitor_json, pace_lines, pace_table,
    suppress_tables,
};
use crate::report::suppress::Hidden;

/// Run the command.
pub fn run(args: MonitorArgs) -> Result<Exit, Failure> {
    let (session, target, opts) =
        Session::start_run(&args.study, &[Named::new(&args.opgave, "--opgave")])?;
    let opts = opts.for_audience(&args.audience);
    let cfg = &session.config;
    let path = &args.opgave;
    let (opgave, data_year) = read_opgave(path, cfg)?;
    let share_opts = args.share.options();
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let areas = &loaded.areas;
    let results = evaluate_opgave(&opgave, &loaded, &outcome, &share_opts)
        .map_err(|e| Failure(format!("{}: {e}", path.display())))?;

    let summary_lines = pace_lines(&results, data_year, opts.public_min);
    let mut areas_table = areas_table(&results, &loaded);
    let mut pace_table = pace_table(&results);
    let public = opts
        .public_min
        .map(|k| (k, Hidden::small_sites(&loaded, &outcome, k)));
    if let Some((k, small_sites)) = &public {
        suppress_tables(&mut pace_table, &mut areas_table, &results, *k, small_sites);
    }
    let doc = monitor_json(
        &opgave,
        data_year,
        &share_opts,
        &results,
        public.as_ref().map(|(k, s)| (*k, s)),
    );
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
    outputs.layer(names::MONITOR_AREAS, areas_table, geoms, Style::only(style))?;
    outputs.file(names::MONITOR_JSON, write::json_bytes(&doc));
    outputs.file(
        names::MONITOR_CSV,
        write::csv_bytes_with(&pace_table, opts.dialect()),
    );
    outputs.run_key(
        "opgave",
        json!({"path": path.display().to_string(), "title": opgave.title}),
    );
    let names = outputs.write_with_run(&target, "monitor", &loaded)?;
    if !args.study.run.quiet {
        print_summary(
            &format!(
                "opgavemonitor '{}' ({})",
                opgave.title,
                counted(opgave.targets.len() as u64, "doel", "doelen")
            ),
            &summary_lines
                .iter()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>(),
            &args.study.run.out,
            &names,
        );
    }
    Ok(Exit::Success)
}
