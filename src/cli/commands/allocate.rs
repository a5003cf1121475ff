//! `wijkbalans allocate`: distribute N places of a group over the areas.
//!
//! The limit of each area comes from the one policy (`policy::allocation_blocker` on the
//! what-if engine's verdict, `Scenario::allocation_limit`): every blocking rule, the caps of
//! `[rules]` (fair-share ratio, per-1,000 norms) and, with `--no-oranje`, the signal's
//! condition band; and from `--per-area-max`. The places are apportioned in proportion to each
//! area's need for its fair share by the largest-remainder method (`scenario::allocate::apportion`,
//! docs/METHOD.md §2.8), or with `--objective min_max_rate` by the greedy of
//! `scenario::allocate::allocate`. Computation lives in the library; this file is glue.

use crate::cli::allocation_run::{self, Ask};
use crate::cli::args::AllocateArgs;
use crate::cli::output::{names, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::{print, stage, written, Bar};
use crate::cli::{Exit, Failure};
use crate::io::write;
use crate::progress::{Progress, Stage};
use crate::report::layers::rate_breaks;
use crate::table::nl;

/// Class breaks of the allocation map: 0 (none), then the quartiles of the positive numbers of
/// places, rounded to whole places.
fn allocated_breaks(added: &[u64]) -> Vec<f64> {
    let mut v: Vec<f64> = added
        .iter()
        .filter(|a| **a > 0)
        .map(|a| *a as f64)
        .collect();
    v.sort_by(f64::total_cmp);
    let mut b = vec![0.0];
    if !v.is_empty() {
        for p in [0.25, 0.5, 0.75] {
            b.push(crate::indicators::balance::quantile(&v, p).round());
        }
    }
    b.dedup();
    b
}

/// Run the command.
pub fn run(args: AllocateArgs) -> Result<Exit, Failure> {
    let (session, target, opts) = Session::start_run(&args.study, &[])?;
    let cfg = &session.config;
    let group = session.target_group(&args.group)?;
    if args.places == 0 {
        return Err(Failure("--places moet minstens 1 zijn".into()));
    }
    let places = args.places;
    // Refused before anything is read (`allocation_run::allocate` checks it again for serve).
    if cfg.sites.is_none() {
        return Err(Failure(allocation_run::NO_SITES.into()));
    }
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let areas = &loaded.areas;
    let n = areas.len();
    let ask = Ask {
        group: group.clone(),
        places,
        per_area_max: args.per_area_max,
        objective: args.objective,
        no_oranje: args.no_oranje,
    };

    let pb = stage(args.study.run.quiet, "grenzen zoeken…");
    let bar = Bar::new(&pb);
    bar.start(Stage::Caps, n as u64);
    let allocation =
        allocation_run::allocate(&scenario, cfg.occupancy_per_unit, &ask, &|| bar.advance(1))?;
    bar.finish();
    pb.finish_and_clear();
    let (table, summary, added) = (
        allocation.table.clone(),
        &allocation.summary,
        &allocation.added,
    );
    let placed: u64 = added.iter().sum();
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let mut styles = vec![Style::new(
        "allocated",
        crate::io::styles::rate_graduated("allocated", &allocated_breaks(added)),
    )];
    if let Some(b) = rate_breaks(&table, "care_units_per_1000_after") {
        styles.push(Style::new(
            "care_units_per_1000_after",
            crate::io::styles::rate_graduated("care_units_per_1000_after", &b),
        ));
    }
    outputs.layer(names::ALLOCATION, table, geoms, styles)?;
    outputs.file(names::ALLOCATION_JSON, write::json_bytes(summary));
    let names = outputs.write_with_run(&target, "allocate", &loaded)?;
    if !args.study.run.quiet {
        let count = |n: u64| crate::format::count(n as usize);
        let mut text = format!(
            "wijkbalans: {} van {} {group} toegewezen",
            count(placed),
            crate::format::counted(places, "plaats", "plaatsen")
        );
        if allocation.shortfall > 0 {
            text.push_str(&format!(
                "; {} passen nergens meer binnen de regels",
                count(allocation.shortfall)
            ));
        }
        text.push_str(&format!(
            " (te verplaatsen aandeel {} → {}).\n",
            allocation
                .fair_share_dissimilarity
                .0
                .map_or("n.v.t.".into(), |d| nl(d, 4)),
            allocation
                .fair_share_dissimilarity
                .1
                .map_or("n.v.t.".into(), |d| nl(d, 4)),
        ));
        for r in &allocation.rows {
            text.push_str(&format!("  {}\n", r.sentence(places, args.objective)));
        }
        text.push_str(&written(&args.study.run.out, &names));
        print(&text);
    }
    Ok(Exit::Success)
}
