//! `wijkbalans scenario FILE`: apply proposals and removals in order; write
//! `scenario_areas.geojson`/`.csv`, `scenario.json`, `scenario.md` and `run.json`.

use crate::cli::args::ScenarioArgs;
use crate::cli::files::{read_scenario, resolve_located_changes};
use crate::cli::output::{names, Outputs, Style};
use crate::cli::scenario_run;
use crate::cli::session::Session;
use crate::cli::terminal::print_summary;
use crate::cli::{Exit, Failure};
use crate::format::counted;
use crate::io::outset::Named;
use crate::io::styles;
use crate::io::write;

/// Run the command.
pub fn run(args: ScenarioArgs) -> Result<Exit, Failure> {
    let (session, target, opts) = Session::start_run(
        &args.study,
        &[Named::new(&args.file, "het scenariobestand")],
    )?;
    let cfg = &session.config;
    let path = &args.file;
    let file = read_scenario(path)?;
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let (changes, located, bag) = resolve_located_changes(path, &file, &loaded)?;

    let scenario = session.scenario(&loaded, &outcome);
    let applied = scenario_run::apply(
        &scenario,
        &file.name,
        &path.display().to_string(),
        &changes,
        &cfg.target_group,
    )?;
    let areas = &loaded.areas;
    let table = applied.table(areas);
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let doc = applied.json_located(areas, &located);
    let md = applied.markdown_located(areas, &cfg.target_group, &located);
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
    outputs.layer(names::SCENARIO_AREAS, table, geoms, styles)?;
    outputs.file(names::SCENARIO_JSON, write::json_bytes(&doc));
    outputs.file(names::SCENARIO_MD, md.into_bytes());
    outputs.run_key(
        "scenario",
        serde_json::json!({"path": path.display().to_string(), "name": file.name}),
    );
    // run.json's `bag` counts the changes placed by address next to the sites and facilities.
    if let Some(bag) = &bag {
        let mut record = match &loaded.bag {
            Some(b) => serde_json::json!(b),
            None => serde_json::json!({
                "path": bag.path.display().to_string(),
                "blake3": bag.blake3,
                "addresses": bag.index.len(),
                "layers": bag.layers,
                "placed": {},
                "unmatched": {},
            }),
        };
        record["placed"]["scenario"] = located.iter().filter(|a| a.is_some()).count().into();
        outputs.run_key("bag", record);
    }
    let names = outputs.write_with_run(&target, "scenario", &loaded)?;
    if !args.study.run.quiet {
        let verdicts: Vec<String> = applied
            .evaluations
            .iter()
            .map(|e| {
                format!(
                    "{}: {}",
                    e.change.name,
                    e.judged.verdict.as_str().replace('_', " ")
                )
            })
            .collect();
        print_summary(
            &format!(
                "scenario '{}', {} ({})",
                file.name,
                counted(applied.evaluations.len() as u64, "wijziging", "wijzigingen"),
                verdicts.join("; ")
            ),
            &[],
            &args.study.run.out,
            &names,
        );
    }
    Ok(Exit::Success)
}
