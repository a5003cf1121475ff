//! `wijkbalans test-site`: one proposed site against the frozen baseline.

use crate::cli::args::{parse_xy, TestSiteArgs};
use crate::cli::proposal::{self, Proposal};
use crate::cli::session::Session;
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::report::whatif;

/// Run the command.
pub fn run(args: TestSiteArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.threads, &args.input, false)?;
    let cfg = &session.config;
    let at = parse_xy(&args.at).map_err(|m| Failure(format!("--at: {m}")))?;
    let change = Proposal {
        name: args.name.clone(),
        at,
        crs: args.at_crs.clone(),
        units: args.units,
        group: args.group.clone(),
        regular_units: args.regular_units,
    }
    .change(cfg, "--at")?;
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let (evaluation, fits) = proposal::evaluate(&scenario, &change, cfg)?;
    let areas = &loaded.areas;
    if args.json {
        let doc = proposal::json(areas, &evaluation, &fits);
        print(&serde_json::to_string_pretty(&doc).expect("serialises"));
    } else {
        let labels = outcome
            .analysis
            .indicators
            .iter()
            .map(|s| (s.def.id.clone(), s.def.label.clone()))
            .collect();
        print(&whatif::evaluation_text(
            areas,
            &evaluation,
            &labels,
            Some(&fits),
        ));
    }
    Ok(Exit::Success)
}
