//! One allocation as `allocate` and `serve` compute it: N places of a group distributed over
//! the areas by the one policy (docs/METHOD.md §2.8), with the per-area rows, the `allocation`
//! table and the `allocation.json` document both answer with (docs/OUTPUTS.md, "allocate").
//! One function builds them, so the map's allocation layer is exactly what `wijkbalans
//! allocate` writes for the same group and number of places (docs/SERVE.md).

use serde_json::{json, Value};

use crate::cli::Failure;
use crate::policy::{self, AllocationRules};
use crate::report::allocation::{allocation_table, AllocationRow};
use crate::report::{self};
use crate::scenario::allocate::Objective;
use crate::scenario::Scenario;
use crate::table::{number, Table};

/// What an allocation is asked for: the flags of `allocate`.
#[derive(Debug, Clone)]
pub struct Ask {
    /// Target group id (checked against the configuration).
    pub group: String,
    /// Places to distribute (at least 1).
    pub places: u64,
    /// At most this many new places per area (`--per-area-max`).
    pub per_area_max: Option<u64>,
    /// What to balance (`--objective`).
    pub objective: Objective,
    /// Push no area into `oranje` either (`--no-oranje`).
    pub no_oranje: bool,
}

/// An allocation computed.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// One row per area, in the order of the areas.
    pub rows: Vec<AllocationRow>,
    /// The `allocation` layer's table (without geometry).
    pub table: Table,
    /// `allocation.json`.
    pub summary: Value,
    /// Places given to each area.
    pub added: Vec<u64>,
    /// The fair-share dissimilarity of the care units before and after (`None`: undefined).
    pub fair_share_dissimilarity: (Option<f64>, Option<f64>),
    /// Places that fit nowhere within the rules.
    pub shortfall: u64,
}

/// Why `allocate` refuses a study without a sites layer.
pub const NO_SITES: &str = "er is geen zorglocatielaag, dus de zorg die er al is, is onbekend, \
     niet 0; allocate verdeelt naar wat er nu is (het tekort onder het eerlijke aandeel, of de \
     zorg per 1.000 inwoners), dus zonder die laag zou elke wijk een tekort krijgen dat niemand \
     heeft gemeten; geef --sites met de zorglocaties";

/// Distribute `ask.places` over the areas of `scenario` (the baseline; not changed).
/// `occupancy` is inhabitants per unit; `tick` is called once per area whose limit is found.
pub fn allocate(
    scenario: &Scenario,
    occupancy: f64,
    ask: &Ask,
    tick: &dyn Fn(),
) -> Result<Allocation, Failure> {
    if ask.places == 0 {
        return Err(Failure("--places moet minstens 1 zijn".into()));
    }
    // Both objectives start from the care there is now (the shortfall under the fair share,
    // or the care per 1,000): without a sites layer it is unknown, not 0.
    if !scenario.care_known() {
        return Err(Failure(NO_SITES.into()));
    }
    let (group, places, objective) = (&ask.group, ask.places, ask.objective);
    let areas = scenario.areas();
    let n = areas.len();
    let rules = AllocationRules {
        no_oranje: ask.no_oranje,
    };
    let plan = scenario
        .allocate_places(group, places, ask.per_area_max, rules, objective, tick)
        .map_err(|e| Failure(e.to_string()))?;
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
        let change = scenario.change_in_area(i, group, k)?;
        scenario
            .evaluate(&change)
            .ok()
            .map(|e| e.effect.after.signal)
    };
    let pop_after: Vec<f64> = (0..n)
        .map(|i| reference[i] + occupancy * added[i] as f64)
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
    let table = allocation_table(&rows, places, objective);
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
        "no_oranje": ask.no_oranje,
        "fair_share_dissimilarity_before": d_fs(&current).map_or(Value::Null, number),
        "fair_share_dissimilarity_before_note": if d_fs(&current).is_none() { Value::from("undefined: there are no care units yet") } else { Value::Null },
        "fair_share_dissimilarity_after": d_fs(&units_after).map_or(Value::Null, number),
        "binding_constraints": binding,
    });
    Ok(Allocation {
        fair_share_dissimilarity: (d_fs(&current), d_fs(&units_after)),
        shortfall: result.shortfall,
        added: added.clone(),
        rows,
        table,
        summary,
    })
}
