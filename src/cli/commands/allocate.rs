//! `wijkbalans allocate`: distribute N places of a group over the areas.
//!
//! The limit of each area comes from the one policy (`policy::allocation_blocker` on the
//! what-if engine's verdict, `Scenario::allocation_limit`): every blocking rule, the caps of
//! `[rules]` (fair-share ratio, per-1,000 norms) and, with `--no-oranje`, the signal's
//! condition band; and from `--per-area-max`. The places are apportioned in proportion to each
//! area's need for its fair share by the largest-remainder method (`scenario::allocate::apportion`,
//! docs/METHOD.md §2.8), or with `--objective min_max_rate` by the greedy of
//! `scenario::allocate::allocate`. Computation lives in the library; this file is glue.

use serde_json::{json, Value};

use crate::cli::args::AllocateArgs;
use crate::cli::output::{names, OutputOptions, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::{print, stage, written, Bar};
use crate::cli::{Exit, Failure};
use crate::io::write;
use crate::policy::{self, AllocationRules};
use crate::progress::{Progress, Stage};
use crate::report::allocation::{allocation_table, AllocationRow};
use crate::report::{self, layers::rate_breaks};
use crate::scenario::allocate::Objective;
use crate::table::{nl, number};

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
    let session = Session::start(args.run.threads, &args.input, !args.run.quiet)?;
    let target = session.claim(&args.run.out, &[])?;
    let cfg = &session.config;
    let opts = OutputOptions::from_args(&args.output)?;
    let group = session.target_group(&args.group)?;
    if args.places == 0 {
        return Err(Failure("--places must be at least 1".into()));
    }
    let places = args.places;
    let objective = args.objective;
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let areas = &loaded.areas;
    let n = areas.len();
    let rules = AllocationRules {
        no_oranje: args.no_oranje,
    };

    let pb = stage(args.run.quiet, "grenzen zoeken…");
    let bar = Bar::new(&pb);
    bar.start(Stage::Caps, n as u64);
    let plan = scenario
        .allocate_places(&group, places, args.per_area_max, rules, objective, &|| {
            bar.advance(1)
        })
        .map_err(|e| Failure(e.to_string()))?;
    bar.finish();
    pb.finish_and_clear();
    let (caps, limits, result) = (&plan.caps, &plan.limits, &plan.apportionment);
    let current: Vec<f64> = scenario.care().weighted.clone();
    let reference: Vec<f64> = scenario.populations();
    let per_1000 = |u: f64, p: f64| (p > 0.0).then(|| 1000.0 * u / p);
    let rate_before: Vec<Option<f64>> =
        (0..n).map(|i| per_1000(current[i], reference[i])).collect();
    let saldo_before: Vec<Option<f64>> = scenario.scores().iter().map(|s| s.saldo).collect();
    let added = &result.added;
    let placed: u64 = added.iter().sum();

    // The state after: each area with its own places (areas are independent under the frozen
    // baseline), the fair-share ratios over the whole allocation.
    let signal_after = |i: usize, k: u64| {
        if k == 0 {
            return Some(scenario.scores()[i].signal);
        }
        let change = scenario.change_in_area(i, &group, k)?;
        scenario.evaluate(&change).ok().map(|e| e.after.signal)
    };
    let pop_after: Vec<f64> = (0..n)
        .map(|i| reference[i] + cfg.occupancy_per_unit * added[i] as f64)
        .collect();
    let units_after: Vec<f64> = (0..n).map(|i| current[i] + added[i] as f64).collect();
    let fair_after = policy::fair_share_targets(units_after.iter().sum(), &pop_after);
    let rows: Vec<AllocationRow> = (0..n)
        .map(|i| AllocationRow {
            code: areas[i].code.clone(),
            name: areas[i].name.clone(),
            population: reference[i],
            care_units_before: current[i],
            rate_before: rate_before[i],
            saldo_before: saldo_before[i],
            target: result.targets[i],
            need: result.need[i],
            quota: result.quota[i],
            basis: result.basis[i],
            cap: caps[i],
            limit: limits[i].clone(),
            allocated: added[i],
            tie_decided: result.tie_decided[i],
            rate_after: per_1000(units_after[i], pop_after[i]),
            fair_share_ratio_after: (fair_after[i] > 0.0).then(|| units_after[i] / fair_after[i]),
            signal_before: scenario.scores()[i].signal,
            signal_after: signal_after(i, added[i]),
        })
        .collect();
    let table = allocation_table(&rows, places);
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let method = match objective {
        Objective::FairShare => "apportionment: quota_i = N * need_i / sum(need), need_i = max(0, tau_i - x_i), tau_i = (X + N) * t_i / T (inhabitants); a quota above the area's limit is set to the limit and the rest shared again; places left after every need go by inhabitants; whole places by largest remainder",
        Objective::MinMaxRate => "min_max_rate: greedy, each place to the area whose care units per 1,000 after the place are lowest (scenario::allocate)",
    };
    let d_fs = |x: &[f64]| crate::spread::fair_share_dissimilarity(x, &reference).ok();
    let binding: Vec<Value> = rows
        .iter()
        .filter(|r| r.allocated == r.cap && r.limit.id().is_some())
        .map(|r| json!({"code": r.code, "cap": r.cap, "rule": r.limit.id()}))
        .collect();
    let summary = json!({
        "wijkbalans_version": report::VERSION,
        "places": places,
        "placed": placed,
        "shortfall": result.shortfall,
        "group": group,
        "objective": objective,
        "method": method,
        "tie_rule": "equal remainders (rounded to 1e-9): lowest current care units per 1,000 first, then highest saldo, then code",
        "limits": "every blocking area rule of [rules], the caps (fair_share_max, per_1000 norms), the signal's condition band with --no-oranje, and --per-area-max; areas without inhabitants take none. Location rules (distance, facilities) are checked when a site is chosen (test-site)",
        "no_oranje": args.no_oranje,
        "fair_share_dissimilarity_before": d_fs(&current).map_or(Value::Null, number),
        "fair_share_dissimilarity_before_note": if d_fs(&current).is_none() { Value::from("undefined: there are no care units yet") } else { Value::Null },
        "fair_share_dissimilarity_after": d_fs(&units_after).map_or(Value::Null, number),
        "binding_constraints": binding,
    });
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
    outputs.file(names::ALLOCATION_JSON, write::json_bytes(&summary));
    let names = outputs.write_with_run(&target, "allocate", &loaded)?;
    if !args.run.quiet {
        let mut text = format!("wijkbalans: {placed} van {places} plaatsen {group} toegewezen");
        if result.shortfall > 0 {
            text.push_str(&format!(
                "; {} passen nergens meer binnen de regels",
                result.shortfall
            ));
        }
        text.push_str(&format!(
            " (te verplaatsen aandeel {} → {}).\n",
            d_fs(&current).map_or("n.v.t.".into(), |d| nl(d, 4)),
            d_fs(&units_after).map_or("n.v.t.".into(), |d| nl(d, 4)),
        ));
        for r in &rows {
            text.push_str(&format!("  {}\n", r.sentence(places)));
        }
        text.push_str(&written(&args.run.out, &names));
        print(&text);
    }
    Ok(Exit::Success)
}
