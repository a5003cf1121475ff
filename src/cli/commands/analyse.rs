//! `wijkbalans analyse`: load, analyse, write `areas.geojson`, `areas.csv`, `sites.geojson`,
//! `summary.json` and `run.json`.

use crate::cli::args::AnalyseArgs;
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::write::{self, ToWgs84};
use crate::{pipeline, report};

use super::{eprint, print};

/// Run the command.
pub fn run(args: AnalyseArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let loaded = pipeline::load(&cfg)?;
    let outcome = pipeline::analyse(&loaded);

    // Render everything in memory first; write only when all of it succeeded.
    let to_wgs84 = ToWgs84::new(&cfg.crs)?;
    let areas = report::areas_table(&loaded, &outcome);
    let geoms = loaded
        .areas
        .areas
        .iter()
        .map(|a| to_wgs84.multipolygon(&a.geometry))
        .collect::<Result<Vec<_>, _>>()?;
    let mut files = vec![
        (
            "areas.geojson".to_string(),
            write::geojson_bytes(&areas, geoms),
        ),
        ("areas.csv".to_string(), write::csv_bytes(&areas)),
    ];
    if let (Some(table), Some(sites)) = (report::sites_table(&loaded, &outcome), &loaded.sites) {
        let geoms = sites
            .iter()
            .map(|s| to_wgs84.point([s.location.x, s.location.y]))
            .collect::<Result<Vec<_>, _>>()?;
        files.push((
            "sites.geojson".to_string(),
            write::geojson_bytes(&table, geoms),
        ));
    }
    let spreading = report::spreading_summary(&loaded, &outcome);
    let summary = report::summary(&loaded, &outcome, Some(spreading));
    files.push(("summary.json".to_string(), write::json_bytes(&summary)));
    let mut names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
    names.push("run.json".to_string());
    let run = report::run_record("analyse", &loaded, &names);
    files.push(("run.json".to_string(), write::json_bytes(&run)));

    write::write_all(&args.out, files).map_err(|e| {
        Failure(format!(
            "{}: cannot write the outputs ({e}); choose a writable --out directory",
            args.out.display()
        ))
    })?;

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
    if !args.quiet {
        let signals = &summary["study"]["signals"];
        print(&format!(
            "wijkbalans: {} areas, {} inhabitants; signals {}; wrote {} to {}",
            loaded.areas.areas.len(),
            summary["study"]["population"],
            signals,
            names.join(", "),
            args.out.display()
        ));
    }
    Ok(if outside > 0 && args.strict {
        Exit::Diagnostics
    } else {
        Exit::Success
    })
}
