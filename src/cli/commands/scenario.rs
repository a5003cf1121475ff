//! `wijkbalans scenario FILE`: apply proposals and removals in order; write
//! `scenario_areas.geojson`/`.csv`, `scenario.json`, `scenario.md` and `run.json`.

use crate::cli::args::ScenarioArgs;
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::read::transform_point;
use crate::io::styles;
use crate::io::write;

use crate::scenario::file::{Action, ScenarioFile};
use crate::scenario::{Change, Scenario};
use crate::{pipeline, report};

use super::output::{OutputOptions, Outputs, Style};
use super::print;
use super::test_site::change_failure;

/// Run the command.
pub fn run(args: ScenarioArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let opts = OutputOptions::from_args(&args.output)?;
    let path = &args.file;
    let file = read_file(path)?;
    let loaded = pipeline::load(&cfg)?;
    let outcome = super::analyse_with_progress(&loaded, args.quiet);
    let changes = resolve(path, &file, &loaded)?;

    let mut scenario = Scenario::new(&loaded, &outcome, cfg.rules.clone(), cfg.occupancy_per_unit);
    let before = scenario.all_states("");
    let study_before = scenario.study_metrics();
    let mut evaluations = Vec::with_capacity(changes.len());
    for (k, change) in changes.iter().enumerate() {
        let e = scenario.apply(change).map_err(|e| {
            let f = change_failure(e, &cfg.target_group);
            Failure(format!(
                "{}: change {} ({}): {}",
                path.display(),
                k + 1,
                change.name,
                f.0
            ))
        })?;
        evaluations.push(e);
    }
    let after = scenario.all_states("");
    let study_after = scenario.study_metrics();

    let areas = &loaded.areas;
    let table = report::whatif::scenario_table(areas, &before, &after);
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let doc =
        report::whatif::scenario_json(&file.name, areas, &evaluations, &study_before, &study_after);
    let md = report::whatif::scenario_markdown(
        &file.name,
        areas,
        &evaluations,
        &before,
        &after,
        &study_before,
        &study_after,
    );
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let styles = vec![
        Style::new(
            "saldo_delta",
            styles::diverging_graduated("saldo_delta", &styles::SALDO_DELTA_BREAKS),
        ),
        Style::new(
            "signal_after",
            styles::signal_categorised_on("signal_after"),
        ),
    ];
    outputs.layer_with_styles("scenario_areas", table, geoms, styles)?;
    outputs.file("scenario.json", write::json_bytes(&doc));
    outputs.file("scenario.md", md.into_bytes());
    let mut names = outputs.names();
    names.push("run.json".into());
    let mut run = report::run_record("scenario", &loaded, &names)?;
    run["scenario"] = serde_json::json!({"path": path.display().to_string(), "name": file.name});
    run["output"] = opts.audience();
    outputs.file("run.json", write::json_bytes(&run));
    let names = outputs.write(&args.out)?;
    if !args.quiet {
        let verdicts: Vec<String> = evaluations
            .iter()
            .map(|e| format!("{}: {}", e.change.name, e.verdict.as_str()))
            .collect();
        print(&format!(
            "wijkbalans: scenario '{}', {} changes ({}); wrote {} to {}",
            file.name,
            evaluations.len(),
            verdicts.join("; "),
            names.join(", "),
            args.out.display()
        ));
    }
    Ok(Exit::Success)
}

/// Read and parse a scenario file; errors carry the line and column.
pub fn read_file(path: &std::path::Path) -> Result<ScenarioFile, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Failure(format!(
            "{}: cannot read the scenario ({e})",
            path.display()
        ))
    })?;
    let file = ScenarioFile::from_toml(&text).map_err(|e| {
        Failure(format!(
            "{}: {}",
            path.display(),
            e.trim_end().replace('\n', "\n    ")
        ))
    })?;
    Ok(file)
}

/// Turn the file's changes into engine changes in the compute CRS. Every change is resolved
/// before any is applied, so a bad file writes nothing.
pub fn resolve(
    path: &std::path::Path,
    file: &ScenarioFile,
    loaded: &crate::pipeline::Loaded,
) -> Result<Vec<Change>, Failure> {
    let cfg = &loaded.config;
    let file_crs = file.crs.clone().unwrap_or_else(|| cfg.crs.clone());
    let mut changes = Vec::with_capacity(file.changes.len());
    for (k, c) in file.changes.iter().enumerate() {
        let at_change = |m: String| Failure(format!("{}: change {}: {m}", path.display(), k + 1));
        let change = match (c.action, &c.site) {
            (Action::Remove, Some(name)) => {
                let sites = loaded.sites.as_deref().unwrap_or(&[]);
                let site = sites
                    .iter()
                    .find(|s| s.name.as_deref() == Some(name.as_str()))
                    .ok_or_else(|| {
                        let names: Vec<&str> =
                            sites.iter().filter_map(|s| s.name.as_deref()).collect();
                        at_change(format!(
                            "no site named '{name}' in the sites layer (sites: {})",
                            if names.is_empty() {
                                "none".to_string()
                            } else {
                                names.join(", ")
                            }
                        ))
                    })?;
                let units = c.units.map_or(site.units, |u| u as f64);
                if units > site.units {
                    return Err(at_change(format!(
                        "removes {units} units, but '{name}' has {}",
                        site.units
                    )));
                }
                Change {
                    name: c.name.clone().unwrap_or_else(|| name.clone()),
                    location: [site.location.x, site.location.y],
                    units: -units,
                    group: site.target_group.clone(),
                    regular_units: 0.0,
                    year: c.year,
                }
            }
            _ => {
                let at = c.at.expect("checked when parsing");
                let location =
                    transform_point(&file_crs, &cfg.crs, at, "crs = \"{}\" in the scenario file")
                        .map_err(at_change)?;
                let units = c.units.expect("checked when parsing") as f64;
                Change {
                    name: c
                        .name
                        .clone()
                        .unwrap_or_else(|| format!("wijziging {}", k + 1)),
                    location,
                    units: if c.action == Action::Add {
                        units
                    } else {
                        -units
                    },
                    group: c
                        .group
                        .clone()
                        .expect("checked when parsing")
                        .to_ascii_lowercase(),
                    regular_units: c.regular_units as f64,
                    year: c.year,
                }
            }
        };
        changes.push(change);
    }
    Ok(changes)
}
