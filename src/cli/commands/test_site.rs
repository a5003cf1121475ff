//! `wijkbalans test-site`: one proposed site against the frozen baseline.

use crate::cli::address;
use crate::cli::args::TestSiteArgs;
use crate::cli::numbers;
use crate::cli::proposal::{self, Proposal};
use crate::cli::session::Session;
use crate::cli::terminal::print;
use crate::cli::{Exit, Failure};
use crate::report::whatif;
use crate::scenario::file::check_units;

/// Run the command.
pub fn run(args: TestSiteArgs) -> Result<Exit, Failure> {
    let session = Session::start(args.threads, &args.input, false)?;
    session.refuse_unmatched("test-site")?;
    let cfg = &session.config;
    check_units(args.units, "--units").map_err(Failure)?;
    let proposal = |at: [f64; 2], crs: Option<String>| Proposal {
        name: args.name.clone(),
        at,
        crs,
        units: args.units,
        group: args.group.clone(),
        regular_units: args.regular_units,
    };
    let (change, address) = match &args.at {
        Some(at) => {
            let degrees = proposal::in_degrees(args.at_crs.as_deref(), cfg, "--at")?;
            let at = numbers::xy(at, degrees).map_err(|m| Failure(format!("--at: {m}")))?;
            (proposal(at, args.at_crs.clone()).change(cfg, "--at")?, None)
        }
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
            let (bag, flag) = match (&args.input.bag, &cfg.bag) {
                (Some(p), _) => (Some(p.as_path()), "--bag"),
                (None, Some(spec)) => (
                    Some(spec.path.as_path()),
                    "[bag] path in het configuratiebestand",
                ),
                (None, None) => (None, "--bag"),
            };
            let bag = address::open_bag(bag, flag)?;
            let located = address::locate(&bag, &given, &query)?;
            let change =
                proposal(located.xy(), Some("EPSG:28992".into())).change(cfg, "--address")?;
            (change, Some(located))
        }
    };
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let (evaluation, fits) = proposal::evaluate(&scenario, &change, cfg, address.as_ref())?;
    let areas = &loaded.areas;
    if args.json {
        let mut doc = proposal::json(areas, &evaluation, &fits);
        if let Some(a) = &address {
            doc["address"] = a.json();
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
            Some(&fits),
        ));
    }
    Ok(Exit::Success)
}
