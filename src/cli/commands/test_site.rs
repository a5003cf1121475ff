//! `wijkbalans test-site`: one proposed site against the frozen baseline.

use crate::cli::address;
use crate::cli::args::{parse_xy, TestSiteArgs};
use crate::cli::files::change_failure;
use crate::cli::session::Session;
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::io::crs::{parse_crs, transform_point};
use crate::model::address::swapped_coordinates;
use crate::report::{self, whatif};
use crate::scenario::Change;

/// Run the command.
pub fn run(args: TestSiteArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.threads, &args.input, false)?;
    let cfg = &session.config;
    let (location, address) = match &args.at {
        Some(at) => (at_point(at, args.at_crs.as_deref(), &cfg.crs)?, None),
        None => {
            let parts = args.postcode.as_deref().map(|pc| {
                (
                    pc,
                    args.huisnummer.as_deref().unwrap_or(""),
                    args.huisletter.as_deref().unwrap_or(""),
                    args.toevoeging.as_deref().unwrap_or(""),
                )
            });
            let (given, query) = address::query(args.address.as_deref(), parts)?;
            let (bag, flag) = match (&args.bag, &cfg.bag) {
                (Some(p), _) => (Some(p.as_path()), "--bag"),
                (None, Some(spec)) => (Some(spec.path.as_path()), "[bag] path in the config"),
                (None, None) => (None, "--bag"),
            };
            let bag = address::open_bag(bag, flag)?;
            let located = address::locate(&bag, &given, &query)?;
            let xy = transform_point("EPSG:28992", &cfg.crs, located.xy(), "{}")
                .map_err(|m| Failure(format!("--address: {m}")))?;
            (xy, Some(located))
        }
    };
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
        if let Some(a) = &address {
            doc["address"] = a.json();
        }
        doc["wijkbalans_version"] = report::VERSION.into();
        if let Some(f) = &fits {
            doc["what_fits"] = whatif::what_fits_json(areas, f);
        }
        print(&serde_json::to_string_pretty(&doc).expect("serialises"));
    } else {
        if let Some(a) = &address {
            print(&a.text());
        }
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

/// `--at X,Y` in `--at-crs` (default: the compute CRS) → the compute CRS; numbers in the wrong
/// order (lat,lon or y,x) are refused with the order to use (docs/METHOD.md §6.1).
fn at_point(at: &str, at_crs: Option<&str>, crs: &str) -> Result<[f64; 2], Failure> {
    let p = parse_xy(at).map_err(|m| Failure(format!("--at: {m}")))?;
    let from = at_crs.unwrap_or(crs);
    let geographic = parse_crs(from)
        .map(|s| s.is_geographic())
        .map_err(|m| Failure(format!("--at-crs: {m}")))?;
    if let Some(m) = swapped_coordinates(p, geographic) {
        return Err(Failure(format!("--at: {m}")));
    }
    transform_point(from, crs, p, "--at-crs {}").map_err(|m| Failure(format!("--at: {m}")))
}
