//! `wijkbalans test-site`: one proposed site against the frozen baseline.

use crate::cli::args::{parse_xy, TestSiteArgs};
use crate::cli::files::change_failure;
use crate::cli::session::Session;
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::io::crs::transform_point;
use crate::report::{self, whatif};
use crate::scenario::Change;

/// Run the command.
pub fn run(args: TestSiteArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.threads, &args.input, false)?;
    let cfg = &session.config;
    let at = parse_xy(&args.at).map_err(|m| Failure(format!("--at: {m}")))?;
    let from = args.at_crs.clone().unwrap_or_else(|| cfg.crs.clone());
    let location = transform_point(&from, &cfg.crs, at, "--at-crs {}")
        .map_err(|m| Failure(format!("--at: {m}")))?;
    if args.units == 0 {
        return Err(Failure("--units must be at least 1".into()));
    }
    if args.units as f64 > crate::model::MAX_SITE_UNITS {
        return Err(Failure(format!(
            "--units {} is more than any site has (at most {})",
            args.units,
            crate::model::MAX_SITE_UNITS
        )));
    }
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let mut scenario = session.scenario(&loaded, &outcome);
    let change = Change {
        name: args.name.clone(),
        location,
        units: args.units as f64,
        group: args.group.to_ascii_lowercase(),
        regular_units: args.regular_units as f64,
        year: None,
    };
    let fits = if change.units > 0.0 {
        Some(
            scenario
                .what_fits(&change)
                .map_err(|e| change_failure(e, &cfg.target_group))?,
        )
    } else {
        None
    };
    let evaluation = scenario
        .apply(&change)
        .map_err(|e| change_failure(e, &cfg.target_group))?;
    let areas = &loaded.areas;
    if args.json {
        let mut doc = whatif::evaluation_json(areas, &evaluation);
        doc["wijkbalans_version"] = report::VERSION.into();
        if let Some(f) = &fits {
            doc["what_fits"] = whatif::what_fits_json(areas, f);
        }
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
            fits.as_ref(),
        ));
    }
    Ok(Exit::Success)
}
