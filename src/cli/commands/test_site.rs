//! `wijkbalans test-site`: one proposed site against the frozen baseline.

use crate::cli::args::{parse_xy, TestSiteArgs};
use crate::cli::{effective_config, set_threads, Exit, Failure};
use crate::io::read::transform_point;
use crate::report::whatif;
use crate::scenario::{Change, ChangeError, Scenario};
use crate::{pipeline, report};

use super::print;

/// Turn a refused change into a message that says what to do.
pub fn change_failure(e: ChangeError, groups: &[crate::model::TargetGroup]) -> Failure {
    match e {
        ChangeError::UnknownGroup(g) => Failure(format!(
            "unknown target group '{g}'; use one of: {}",
            groups
                .iter()
                .map(|g| g.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ChangeError::Outside { .. } => Failure(format!(
            "{e}; check the coordinates and their CRS (--at-crs)"
        )),
        other => Failure(other.to_string()),
    }
}

/// Run the command.
pub fn run(args: TestSiteArgs) -> Result<Exit, Failure> {
    set_threads(args.threads)?;
    let cfg = effective_config(&args.input)?;
    let at = parse_xy(&args.at).map_err(|m| Failure(format!("--at: {m}")))?;
    let from = args.at_crs.clone().unwrap_or_else(|| cfg.crs.clone());
    let location = transform_point(&from, &cfg.crs, at, "--at-crs {}")
        .map_err(|m| Failure(format!("--at: {m}")))?;
    if args.units == 0 {
        return Err(Failure("--units must be at least 1".into()));
    }
    let loaded = pipeline::load(&cfg)?;
    let outcome = pipeline::analyse(&loaded);
    let mut scenario = Scenario::new(&loaded, &outcome, cfg.rules.clone(), cfg.occupancy_per_unit);
    let change = Change {
        name: args.name.clone(),
        location,
        units: args.units as f64,
        group: args.group.to_ascii_lowercase(),
        regular_units: args.regular_units as f64,
        year: None,
    };
    let evaluation = scenario
        .apply(&change)
        .map_err(|e| change_failure(e, &cfg.target_group))?;
    let areas = &loaded.areas;
    if args.json {
        let mut doc = whatif::evaluation_json(areas, &evaluation);
        doc["wijkbalans_version"] = report::VERSION.into();
        print(&serde_json::to_string_pretty(&doc).expect("serialises"));
    } else {
        print(&whatif::evaluation_text(areas, &evaluation));
    }
    Ok(Exit::Success)
}
