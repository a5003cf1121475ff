//! `wijkbalans allocate`: distribute N places of a group over the areas.
//!
//! Per-area caps come from `--per-area-max` and from the rule that no area may be or turn `rood`:
//! for each area the largest number of places that keeps its signal out of `rood` is found by
//! binary search on the what-if engine (the signal only worsens as places are added, because the
//! frozen normalisation makes DL7 rise monotonically). The allocation itself is exact (greedy
//! marginal allocation, optimal for this separable convex objective; see
//! `scenario::allocate`).

use geo::InteriorPoint;
use serde_json::{json, Value};

use crate::cli::args::AllocateArgs;
use crate::cli::output::{OutputOptions, Outputs, Style};
use crate::cli::session::Session;
use crate::cli::terminal::{print, stage, Bar};
use crate::cli::{Exit, Failure};
use crate::indicators::Signal;
use crate::io::write;
use crate::progress::{Progress, Stage};
use crate::report::{self, layers::rate_breaks};
use crate::scenario::allocate::{self, AllocationError, AllocationInput, Objective};
use crate::scenario::Change;
use crate::table::{number, opt_number, Table};

/// Why an area's cap is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    None,
    PerAreaMax,
    Rood,
    NoInhabitants,
}

impl Limit {
    fn as_str(self) -> &'static str {
        match self {
            Limit::None => "",
            Limit::PerAreaMax => "per_area_max",
            Limit::Rood => "signaal_rood",
            Limit::NoInhabitants => "geen_inwoners",
        }
    }
}

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
    let objective = args.objective;
    let loaded = session.load()?;
    let outcome = session.analyse(&loaded);
    let scenario = session.scenario(&loaded, &outcome);
    let areas = &loaded.areas;
    let n = areas.len();

    // A point inside each area to add places at (the area matters, not the point).
    let inside: Vec<Option<[f64; 2]>> = areas
        .iter()
        .map(|a| a.geometry.interior_point().map(|p| [p.x(), p.y()]))
        .collect();
    let signal_after = |i: usize, k: u64| -> Option<Signal> {
        if k == 0 {
            return Some(scenario.scores()[i].signal);
        }
        let change = Change {
            name: "toewijzing".into(),
            location: inside[i]?,
            units: k as f64,
            group: group.clone(),
            regular_units: 0.0,
            year: None,
        };
        scenario.evaluate(&change).ok().map(|e| e.after.signal)
    };
    let mut caps: Vec<Option<u64>> = Vec::with_capacity(n);
    let mut limits: Vec<Limit> = Vec::with_capacity(n);
    let pb = stage(args.run.quiet, "grenzen zoeken…");
    let bar = Bar::new(&pb);
    bar.start(Stage::Caps, n as u64);
    for (i, a) in areas.iter().enumerate() {
        bar.advance(1);
        if a.value("population").unwrap_or(0.0) <= 0.0 || inside[i].is_none() {
            caps.push(Some(0));
            limits.push(Limit::NoInhabitants);
            continue;
        }
        let mut cap = args.per_area_max;
        let mut limit = if cap.is_some() {
            Limit::PerAreaMax
        } else {
            Limit::None
        };
        if !args.allow_rood {
            let upper = cap.unwrap_or(args.places);
            let fits = |k: u64| signal_after(i, k).is_some_and(|s| s != Signal::Rood);
            let rood_cap = allocate::largest_fitting(upper, fits).unwrap_or(0);
            if rood_cap < upper {
                cap = Some(rood_cap);
                limit = Limit::Rood;
            }
        }
        caps.push(cap);
        limits.push(limit);
    }
    bar.finish();
    pb.finish_and_clear();
    let care = scenario.care();
    let current: Vec<f64> = care.weighted.clone();
    let reference: Vec<f64> = areas
        .iter()
        .map(|a| a.value("population").unwrap_or(0.0))
        .collect();
    let input = AllocationInput {
        current: &current,
        reference: &reference,
        caps: &caps,
        places: args.places,
        objective,
    };
    let result = allocate::allocate(&input).map_err(|e| match e {
        AllocationError::Infeasible { places, capacity } => {
            let binding: Vec<String> = areas
                .iter()
                .zip(&limits)
                .zip(&caps)
                .filter(|((_, l), _)| **l != Limit::None)
                .map(|((a, l), c)| format!("{} {} (max {}, {})", a.code, a.name, c.unwrap_or(0), l.as_str()))
                .collect();
            Failure(format!(
                "only {capacity} of {places} places fit under the constraints; limited areas: {}. Raise --per-area-max, pass --allow-rood, or place fewer",
                binding.join("; ")
            ))
        }
        other => Failure(other.to_string()),
    })?;

    // The state after the whole allocation, area by area (areas are independent under the
    // frozen baseline).
    let mut columns: Vec<String> = [
        "code",
        "name",
        "population",
        "care_units_before",
        "target",
        "cap",
        "limit",
        "allocated",
        "care_units_after",
        "care_units_per_1000_before",
        "care_units_per_1000_after",
        "signal_before",
        "signal_after",
        "at_cap",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    columns.shrink_to_fit();
    let mut rows = Vec::with_capacity(n);
    for i in 0..n {
        let pop = reference[i];
        let added = result.added[i];
        let after_signal = signal_after(i, added);
        let rate = |u: f64, p: f64| (p > 0.0).then(|| 1000.0 * u / p);
        let occupied = pop + cfg.occupancy_per_unit * added as f64;
        rows.push(vec![
            Value::from(areas[i].code.clone()),
            Value::from(areas[i].name.clone()),
            number(pop),
            number(current[i]),
            number(result.targets[i]),
            caps[i].map_or(Value::Null, Value::from),
            match limits[i] {
                Limit::None => Value::Null,
                l => l.as_str().into(),
            },
            Value::from(added),
            number(current[i] + added as f64),
            opt_number(rate(current[i], pop)),
            opt_number(rate(current[i] + added as f64, occupied)),
            scenario.scores()[i].signal.as_str().into(),
            after_signal.map_or(Value::Null, |s| s.as_str().into()),
            Value::Bool(result.at_cap.contains(&i)),
        ]);
    }
    let table = Table { columns, rows };
    let geoms: Vec<geo::Geometry<f64>> = areas
        .iter()
        .map(|a| geo::Geometry::MultiPolygon(a.geometry.clone()))
        .collect();
    let objective_text = match objective {
        Objective::FairShare => "fair_share: minimise the share of care units that would have to move for every area to hold its fair share by inhabitants, 1/2 * sum |(x_i + a_i)/(X + N) - t_i/T|",
        Objective::MinMaxRate => "min_max_rate: minimise the highest care units per 1,000 inhabitants",
    };
    let binding: Vec<Value> = result
        .at_cap
        .iter()
        .map(|i| json!({"code": areas[*i].code, "cap": caps[*i], "limit": limits[*i].as_str()}))
        .collect();
    // With no care units yet, the balance before is undefined (there is nothing to spread), not
    // a perfect 0.
    let no_units_yet = current.iter().all(|x| *x == 0.0);
    let before_value = if no_units_yet {
        Value::Null
    } else {
        number(result.objective_before)
    };
    let summary = json!({
        "wijkbalans_version": report::VERSION,
        "places": args.places,
        "group": group,
        "objective": objective_text,
        "objective_before": before_value,
        "objective_before_note": if no_units_yet { Value::from("undefined: there are no care units yet") } else { Value::Null },
        "objective_after": number(result.objective_after),
        "method": "greedy marginal allocation, optimal for a separable convex objective with per-area caps (scenario::allocate)",
        "caps": "per_area_max, and no area may be or turn rood (unless --allow-rood); areas without inhabitants take none",
        "binding_constraints": binding,
    });
    let mut outputs = Outputs::new(&opts, &cfg.crs)?;
    let mut styles = vec![Style::new(
        "allocated",
        crate::io::styles::rate_graduated("allocated", &allocated_breaks(&result.added)),
    )];
    if let Some(b) = rate_breaks(&table, "care_units_per_1000_after") {
        styles.push(Style::new(
            "care_units_per_1000_after",
            crate::io::styles::rate_graduated("care_units_per_1000_after", &b),
        ));
    }
    outputs.layer("allocation", table, geoms, styles)?;
    outputs.file("allocation.json", write::json_bytes(&summary));
    let names = outputs.write_with_run(&target, "allocate", &loaded)?;
    if !args.run.quiet {
        let mut placed: Vec<String> = areas
            .iter()
            .zip(&result.added)
            .filter(|(_, a)| **a > 0)
            .map(|(ar, a)| format!("{} {a}", ar.code))
            .collect();
        placed.truncate(20);
        let before = if no_units_yet {
            "n.v.t. (nog geen zorgeenheden)".to_string()
        } else {
            format!("{:.4}", result.objective_before)
        };
        print(&format!(
            "wijkbalans: {} places {group} allocated ({}); objective {before} → {:.4}; {} area(s) at their limit; wrote {} to {}",
            args.places,
            placed.join(", "),
            result.objective_after,
            result.at_cap.len(),
            names.join(", "),
            args.run.out.display()
        ));
    }
    Ok(Exit::Success)
}
