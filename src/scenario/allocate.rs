//! Place N new care places over the areas so that the result is as balanced as possible.
//!
//! Per area i the caller gives the current care units x_i ≥ 0, the reference t_i ≥ 0
//! (inhabitants) and an optional limit cap_i on the places added there. [`allocate`] returns
//! integer additions a_i with Σ a_i = N and 0 ≤ a_i ≤ cap_i that are optimal for one of two
//! [`Objective`]s. [`largest_fitting`] turns a monotone yes/no rule ("after k more places the
//! area is not yet `rood`") into such a limit.
//!
//! # Fair share ([`Objective::FairShare`])
//! Minimise the fair-share dissimilarity after the allocation,
//!
//! D_fs(a) = ½ Σ_i | (x_i + a_i)/(X + N) − t_i/T |,   X = Σ x_i, T = Σ t_i.
//!
//! X + N does not depend on a, so D_fs(a) = F(a) / (2(X + N)) with
//! F(a) = Σ_i f_i(a_i), f_i(a) = |x_i + a − τ_i| and the target τ_i = (X + N)·t_i/T: a
//! separable convex objective on the integer points of a box-constrained simplex.
//!
//! The greedy marginal allocation is optimal for it (Gross 1956; Fox 1966; Ibaraki & Katoh
//! 1988): give the N places one at a time, each to the area with the smallest marginal cost
//! Δ_i(a_i) = f_i(a_i + 1) − f_i(a_i) among the areas below their limit, ties to the lowest
//! index. With d = x_i + a − τ_i the marginal cost is −1 for d ≤ −1, 2d + 1 for −1 < d < 0
//! and +1 for d ≥ 0.
//!
//! *Proof (exchange argument).* Because f_i is convex, Δ_i(0) ≤ Δ_i(1) ≤ … for every area.
//! Write F(a) = Σ_i f_i(0) + Σ_i Σ_{k < a_i} Δ_i(k): every feasible a corresponds to a
//! selection of N elements from the table M = {Δ_i(k) : 0 ≤ k < cap_i} that takes a *prefix*
//! of each area's row, and F(a) is a constant plus the sum of the selection. The greedy step
//! picks the smallest head of the remaining rows; since every row is sorted, that head is the
//! smallest element left in M. After N steps the greedy has therefore selected N smallest
//! elements of M, and its selection consists of prefixes, so it is feasible. Any feasible a
//! selects N elements of M as well, whose sum is at least the sum of the N smallest. Hence
//! F(greedy) ≤ F(a) for every feasible a. ∎
//!
//! In floating point the computed marginal is still non-decreasing in a (every operation in
//! `x + a − τ`, `2d + 1` and the clamping to ±1 is monotone), so the argument holds exactly
//! for the computed costs; they differ from the exact ones by rounding only.
//!
//! # Lowest maximum rate ([`Objective::MinMaxRate`])
//! Minimise the largest rate r_i(a_i) = 1000·(x_i + a_i)/t_i (care units per 1,000
//! inhabitants) over the areas with t_i > 0. Areas with t_i = 0 have no rate and take no
//! places. The greedy gives each place to the area whose rate *after* the place,
//! r_i(a_i + 1), is smallest, ties to the lowest index.
//!
//! *Proof (bottleneck argument).* Every r_i is increasing in a_i. Let j be an area where the
//! greedy result attains its maximum M_g. If a_j = 0, then M_g = r_j(0), and every allocation
//! has a maximum ≥ r_j(b_j) ≥ r_j(0). Otherwise consider the step s that gave area j its
//! last place, with v = r_j(a_j) = M_g, and the state c before it (Σ c = s − 1). At step s,
//! every area i below its limit had r_i(c_i + 1) ≥ v. Any feasible b has Σ b = N ≥ s > Σ c,
//! so b_i ≥ c_i + 1 for some i; that i can take places (t_i > 0) and was below its limit at
//! step s (b_i ≤ cap_i), so
//! max_k r_k(b_k) ≥ r_i(b_i) ≥ r_i(c_i + 1) ≥ v = M_g. The greedy maximum is thus the
//! smallest possible. ∎ (Rates computed in floating point are also non-decreasing in a_i.)
//!
//! # Cost and determinism
//! The greedy runs on a [`BinaryHeap`] keyed by (cost of the area's next place, index), with
//! [`f64::total_cmp`] as the order. When an area is taken from the heap it receives, in one
//! batch, every following place the one-at-a-time greedy would also give it: as long as its
//! next cost stays below the next-best key (found by a galloping search, O(log run)). The
//! result is identical to the one-at-a-time greedy, ties included. Under
//! [`Objective::FairShare`] an area's cost takes at most three values (−1, one value in
//! (−1, 1), +1), so each area leaves the heap at most three times: O(n (log n + log N)).
//! Under [`Objective::MinMaxRate`] it is at most O((n + N) log n). Sums run in area order;
//! nothing is parallel, so the same input gives the same output.
//!
//! # Example
//! x = (2.5, 0, 1), t = (1000, 1000, 2000), N = 4, no limits. X = 3.5, X + N = 7.5,
//! T = 4000, τ = 7.5·(¼, ¼, ½) = (1.875, 1.875, 3.75). Marginal costs per area, with
//! d = x_i + a − τ_i:
//! - area 0: d = +0.625 already, so every place costs +1;
//! - area 1: d = −1.875, −0.875, +0.125 → −1, 2(−0.875) + 1 = −0.75, +1;
//! - area 2: d = −2.75, −1.75, −0.75, +0.25 → −1, −1, 2(−0.75) + 1 = −0.5, +1.
//!
//! The four smallest are −1 (area 1), −1, −1 (area 2) and −0.75 (area 1), so a = (0, 2, 2).
//! F = |2.5 − 1.875| + |2 − 1.875| + |3 − 3.75| = 0.625 + 0.125 + 0.75 = 1.5 and
//! D_fs = 1.5 / (2 · 7.5) = 0.1; before, D_fs = ½(|5/7 − ¼| + |0 − ¼| + |2/7 − ½|) = 13/28.
//! ```
//! use wijkbalans::scenario::allocate::{allocate, AllocationInput, Objective};
//! let out = allocate(&AllocationInput {
//!     current: &[2.5, 0.0, 1.0],
//!     reference: &[1000.0, 1000.0, 2000.0],
//!     caps: &[None, None, None],
//!     places: 4,
//!     objective: Objective::FairShare,
//! })
//! .unwrap();
//! assert_eq!(out.targets, vec![1.875, 1.875, 3.75]);
//! assert_eq!(out.added, vec![0, 2, 2]);
//! assert!((out.objective_before - 13.0 / 28.0).abs() < 1e-12);
//! assert!((out.objective_after - 0.1).abs() < 1e-12);
//! ```
//!
//! References: O. Gross (1956), *A class of discrete type minimization problems*, RAND
//! RM-1644; B. Fox (1966), *Discrete optimization via marginal analysis*, Management Science
//! 13(3); T. Ibaraki & N. Katoh (1988), *Resource Allocation Problems: Algorithmic
//! Approaches*, MIT Press. D_fs: docs/METHOD.md §3.1 and
//! [`crate::spread::fair_share_dissimilarity`]; the allocation: docs/METHOD.md §2.8.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

/// Which balance the allocation optimises: `fair_share` or `min_max_rate` (`--objective`, whose
/// `--help` lists the names only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Objective {
    /// Minimise the fair-share dissimilarity D_fs of care units against the reference.
    #[value(help = None::<&str>)]
    FairShare,
    /// Minimise the largest number of care units per 1,000 inhabitants of any area.
    #[value(help = None::<&str>)]
    MinMaxRate,
}

/// What to allocate, and where it may go. All slices are in area order and of equal length.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationInput<'a> {
    /// Current care units x_i per area (finite, ≥ 0; fractions allowed).
    pub current: &'a [f64],
    /// Reference t_i per area, e.g. inhabitants (finite, ≥ 0).
    pub reference: &'a [f64],
    /// Largest number of places that may be added per area; `None` is no limit.
    pub caps: &'a [Option<u64>],
    /// Number of places N to allocate.
    pub places: u64,
    /// The objective to minimise.
    pub objective: Objective,
}

/// An optimal allocation and the objective before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    /// Places added per area, a_i, in area order; Σ a_i = N.
    pub added: Vec<u64>,
    /// The objective for the current units: D_fs of x (against X) for
    /// [`Objective::FairShare`], the largest 1000·x_i/t_i over areas with t_i > 0 for
    /// [`Objective::MinMaxRate`]. When there are no care units at all (X = 0), D_fs is
    /// reported as 0: nothing has to move (likewise after, when X + N = 0).
    pub objective_before: f64,
    /// The same objective after adding `added` (D_fs against X + N, or the largest rate).
    pub objective_after: f64,
    /// Indices, ascending, of the areas that ended exactly at their limit (binding limits).
    pub at_cap: Vec<usize>,
    /// Fair-share targets τ_i = (X + N)·t_i/T in care units, for both objectives.
    pub targets: Vec<f64>,
}

/// Why no allocation exists.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AllocationError {
    /// The limits of the areas that can take places add up to less than N.
    #[error(
        "maar {} van de {} plaatsen passen binnen de grenzen per gebied",
        crate::format::number(*capacity as f64, 0, crate::format::Audience::Human),
        crate::format::number(*places as f64, 0, crate::format::Audience::Human)
    )]
    Infeasible {
        /// Places asked for (N).
        places: u64,
        /// Places that fit: the sum of the limits over the areas that can take places.
        capacity: u64,
    },
    /// The reference sums to 0, so there are no fair shares and no rates.
    #[error("de referentie is overal 0: geen gebied heeft inwoners")]
    NoReference,
    /// The care already there is unknown (the study has no sites layer): both objectives start
    /// from it (the shortfall under the fair share, the care per 1,000), so every area would
    /// get a shortfall that nobody measured.
    #[error(
        "de zorg die er al is, is onbekend (geen zorglocatielaag), niet 0; zonder die zorg is \
         er geen tekort en geen zorg per 1.000 inwoners om naar te verdelen"
    )]
    CareUnknown,
    /// A value is negative or not finite, or the slices differ in length.
    #[error("{0}")]
    BadInput(String),
}

/// Allocate `input.places` places over the areas, optimally for `input.objective`.
///
/// See the [module documentation](self) for the objectives, the greedy algorithm, why it is
/// optimal, and a hand-checked example. Ties go to the lowest area index, so the result is
/// deterministic. Under [`Objective::MinMaxRate`] areas with t_i = 0 receive nothing.
///
/// Units: places and care units (counts), rates per 1,000 of the reference.
///
/// # Errors
/// - [`AllocationError::BadInput`] when the slices differ in length, or a value of `current`
///   or `reference` is negative or not finite (or a total or rate does not fit in an f64);
/// - [`AllocationError::NoReference`] when Σ t_i = 0 (also for no areas at all);
/// - [`AllocationError::Infeasible`] when the limits of the areas that can take places
///   (all areas for fair share, those with t_i > 0 for the rate) sum to less than N.
pub fn allocate(input: &AllocationInput) -> Result<Allocation, AllocationError> {
    let AllocationInput {
        current: x,
        reference: t,
        caps,
        places,
        objective,
    } = *input;
    let (total_x, total_t) = validate(x, t, caps)?;
    if total_t == 0.0 {
        return Err(AllocationError::NoReference);
    }
    let n = x.len();
    let total_after = total_x + places as f64;
    if !total_after.is_finite() {
        return Err(AllocationError::BadInput(
            "de zorgeenheden plus de nieuwe plaatsen passen niet in een getal".to_string(),
        ));
    }
    let eligible: Vec<bool> = match objective {
        Objective::FairShare => vec![true; n],
        Objective::MinMaxRate => t.iter().map(|ti| *ti > 0.0).collect(),
    };
    if let Some(capacity) = capacity(caps, &eligible) {
        if capacity < places {
            return Err(AllocationError::Infeasible { places, capacity });
        }
    }
    let targets: Vec<f64> = t.iter().map(|ti| (ti / total_t) * total_after).collect();
    if objective == Objective::MinMaxRate {
        if let Some(i) = (0..n).find(|&i| eligible[i] && !rate(x[i], places, t[i]).is_finite()) {
            return Err(AllocationError::BadInput(format!(
                "gebied {i}: het aantal per 1.000 van {} zorgeenheden op een referentie van {} past \
                 niet in een getal",
                x[i], t[i]
            )));
        }
    }

    let added = match objective {
        Objective::FairShare => greedy(caps, &eligible, places, |i, a| {
            fair_share_marginal(x[i], a, targets[i])
        }),
        Objective::MinMaxRate => greedy(caps, &eligible, places, |i, a| rate(x[i], a + 1, t[i])),
    };

    let (objective_before, objective_after) = match objective {
        Objective::FairShare => (
            fair_share_dissimilarity(x, t, &vec![0; n], total_x, total_t),
            fair_share_dissimilarity(x, t, &added, total_after, total_t),
        ),
        Objective::MinMaxRate => (max_rate(x, t, &vec![0; n]), max_rate(x, t, &added)),
    };
    let at_cap = (0..n).filter(|&i| caps[i] == Some(added[i])).collect();
    Ok(Allocation {
        added,
        objective_before,
        objective_after,
        at_cap,
        targets,
    })
}

/// The largest k in [0, `upper`] for which `fits(k)` holds, or `None` when `fits(0)` is false.
///
/// `fits` must be monotone: true from 0 up to some k, false after it. This turns a rule of the
/// form "after adding k places the area's signal is not `rood`" into a per-area limit for
/// [`allocate`]; on `None` (the area fails the rule already without new places) the caller
/// uses limit 0.
///
/// Binary search: `fits` is called only for values in [0, `upper`], at most
/// 1 + ⌈log₂(`upper` + 1)⌉ times, and `fits(upper)` is not required to be checked first.
/// For a predicate that is not monotone the result k still has `fits(k)` true and either
/// k = `upper` or `fits(k + 1)` false.
///
/// # Example
/// The largest k ≤ 100 with k² ≤ 50 is 7; a rule that already fails at 0 gives `None`.
/// ```
/// use wijkbalans::scenario::allocate::largest_fitting;
/// assert_eq!(largest_fitting(100, |k| k * k <= 50), Some(7));
/// assert_eq!(largest_fitting(100, |_| true), Some(100));
/// assert_eq!(largest_fitting(100, |_| false), None);
/// ```
pub fn largest_fitting(upper: u64, mut fits: impl FnMut(u64) -> bool) -> Option<u64> {
    if !fits(0) {
        return None;
    }
    // fits(lo) holds; the answer lies in [lo, hi].
    let (mut lo, mut hi) = (0u64, upper);
    while lo < hi {
        let mid = lo + (hi - lo) / 2 + 1;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// Why an area's limit is what it is.
#[derive(Debug, Clone, PartialEq)]
pub enum Limit {
    /// No limit below N.
    None,
    /// `--per-area-max`.
    PerAreaMax,
    /// A policy rule fails at one place more (the rule's result at limit + 1).
    Rule(Box<crate::policy::RuleResult>),
    /// The area has no inhabitants.
    NoInhabitants,
}

impl Limit {
    /// The id in the output table (`limit_rule`).
    pub fn id(&self) -> Option<String> {
        match self {
            Limit::None => None,
            Limit::PerAreaMax => Some("per_area_max".into()),
            Limit::Rule(r) => Some(r.rule.clone()),
            Limit::NoInhabitants => Some("geen_inwoners".into()),
        }
    }
}

/// An allocation by the policy: the limit of every area, why, and the apportionment.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The limit per area (places).
    pub caps: Vec<u64>,
    /// Why each limit is what it is.
    pub limits: Vec<Limit>,
    /// The places per area and how they were found.
    pub apportionment: Apportionment,
}

/// What decided an area's quota in [`apportion`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A share of the places in proportion to the area's need (τ_i − x_i).
    Need,
    /// Its limit: the proportional share would have exceeded it.
    Cap,
    /// Places left once every need was met or capped, in proportion to inhabitants.
    Inhabitants,
    /// No share: no need, a limit of 0, or no inhabitants.
    None,
    /// Under [`Objective::MinMaxRate`]: the greedy gave each place to the area whose care
    /// units per 1,000 after it were lowest, and stopped here below the area's limit (at the
    /// limit the basis is [`Basis::Cap`]). The quota is then the whole places given.
    LowestRate,
}

/// Whole places per area by a proportional apportionment of the need, with limits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Apportionment {
    /// Whole places per area, in area order; Σ = N − shortfall.
    pub added: Vec<u64>,
    /// The exact (fractional) quota per area before rounding; Σ = N − shortfall.
    pub quota: Vec<f64>,
    /// Fair-share targets τ_i = (X + N)·t_i/T ([`crate::policy::fair_share_targets`]).
    pub targets: Vec<f64>,
    /// Need per area, max(0, τ_i − x_i), 0 where the limit is 0.
    pub need: Vec<f64>,
    /// What decided each quota.
    pub basis: Vec<Basis>,
    /// True where the last place was decided by the tie rule (equal remainders at the cut).
    pub tie_decided: Vec<bool>,
    /// Places that fit under no limit: N − Σ added (0 when everything fits).
    pub shortfall: u64,
}

/// Fill `remaining` places over the areas in `free` in proportion to `weight`, each at most its
/// `room`; an area whose share exceeds its room takes the room and the rest is shared again
/// among the others. Returns the places left (when every weight is 0 or every room is full).
fn water_fill(
    remaining: f64,
    free: &mut Vec<usize>,
    weight: &[f64],
    room: &[f64],
    quota: &mut [f64],
    basis: &mut [Basis],
    proportional: Basis,
) -> f64 {
    let mut remaining = remaining;
    loop {
        free.retain(|&i| weight[i] > 0.0 && room[i] > 0.0);
        let total: f64 = free.iter().map(|&i| weight[i]).sum();
        if remaining <= 0.0 || total <= 0.0 {
            return remaining;
        }
        let over: Vec<usize> = free
            .iter()
            .copied()
            .filter(|&i| remaining * weight[i] / total > room[i])
            .collect();
        if over.is_empty() {
            for &i in free.iter() {
                quota[i] += remaining * weight[i] / total;
                basis[i] = proportional;
            }
            return 0.0;
        }
        for &i in &over {
            quota[i] += room[i];
            remaining -= room[i];
            basis[i] = Basis::Cap;
        }
        free.retain(|i| !over.contains(i));
    }
}

/// Apportion N whole places over the areas: in proportion to each area's need for its fair
/// share, never above its limit, rounded by the largest-remainder (Hamilton) method.
///
/// 1. **Targets and need.** τ_i = (X + N)·t_i/T (the one fair share,
///    [`crate::policy::fair_share_targets`]; x_i current care units, t_i inhabitants) and the
///    need d_i = max(0, τ_i − x_i). Because Σ(τ_i − x_i) = N, Σ d_i ≥ N.
/// 2. **Quotas.** q_i = N·d_i/Σ d_j over the areas that may take places: every area short of
///    its fair share gets the same fraction of its need. An area whose quota exceeds its need
///    or its limit cap_i takes that, and the rest is shared again, in proportion to need,
///    among the others. Places still left when every need is met or capped (possible when
///    blocked areas hold part of the need) go, in proportion to inhabitants, to the areas with
///    room left. What fits under no limit is the shortfall.
/// 3. **Whole places.** Every area gets ⌊q_i⌋; the remaining places go one each to the largest
///    remainders q_i − ⌊q_i⌋ (compared rounded to 1e-9). Ties go to the area listed earlier in
///    `priority` (the caller's tie rule: lowest current rate, then highest saldo, then code).
///
/// While needs remain, q_i ≤ d_i: no area is brought more than one rounding place above its
/// fair share, and D_fs after the allocation is then the least possible up to that rounding
/// ([`allocate`] gives the exact optimum, whose many ties it breaks by index; this spreads them
/// in proportion to need).
///
/// Reference: Hamilton's method in M. L. Balinski and H. P. Young (1982), *Fair
/// Representation*, Yale University Press; docs/METHOD.md §2.8.
///
/// # Example
/// x = (0, 4, 0), t = (1000, 1000, 2000), N = 8, no limits: X + N = 12, τ = (3, 3, 6),
/// need (3, 0, 6), Σ = 9, quotas 8·(3, 0, 6)/9 = (2.667, 0, 5.333). Floors (2, 0, 5), one
/// place left, largest remainder 0.667 → area 0: (3, 0, 5).
/// ```
/// use wijkbalans::scenario::allocate::apportion;
/// let a = apportion(&[0.0, 4.0, 0.0], &[1000.0, 1000.0, 2000.0], &[8, 8, 8], 8, &[0, 1, 2]);
/// assert_eq!(a.targets, vec![3.0, 3.0, 6.0]);
/// assert_eq!(a.added, vec![3, 0, 5]);
/// assert_eq!(a.shortfall, 0);
/// ```
///
/// `priority` lists the area indices in tie order (each once); `caps` are the limits
/// (use N for no limit).
pub fn apportion(
    current: &[f64],
    inhabitants: &[f64],
    caps: &[u64],
    places: u64,
    priority: &[usize],
) -> Apportionment {
    let n = current.len();
    let total_x: f64 = current.iter().sum();
    let targets = crate::policy::fair_share_targets(total_x + places as f64, inhabitants);
    let need: Vec<f64> = (0..n)
        .map(|i| {
            if caps[i] == 0 {
                0.0
            } else {
                (targets[i] - current[i]).max(0.0)
            }
        })
        .collect();
    let room: Vec<f64> = caps.iter().map(|c| *c as f64).collect();
    let mut quota = vec![0.0; n];
    let mut basis = vec![Basis::None; n];
    let capacity: u64 = caps.iter().fold(0u64, |s, c| s.saturating_add(*c));
    let placed = places.min(capacity);
    if capacity <= places {
        for i in 0..n {
            quota[i] = room[i];
            if caps[i] > 0 {
                basis[i] = Basis::Cap;
            }
        }
    } else {
        // Stage 1: in proportion to need, at most the need and the limit.
        let need_room: Vec<f64> = (0..n).map(|i| need[i].min(room[i])).collect();
        let mut free: Vec<usize> = (0..n).collect();
        let left = water_fill(
            places as f64,
            &mut free,
            &need,
            &need_room,
            &mut quota,
            &mut basis,
            Basis::Need,
        );
        for i in 0..n {
            // Filled up to its need (not to its limit): the need decided.
            if basis[i] == Basis::Cap && need[i] < room[i] {
                basis[i] = Basis::Need;
            }
        }
        if left > 1e-9 {
            let rest: Vec<f64> = (0..n).map(|i| room[i] - quota[i]).collect();
            let mut free: Vec<usize> = (0..n).collect();
            let mut extra = vec![0.0; n];
            let mut extra_basis = vec![Basis::None; n];
            water_fill(
                left,
                &mut free,
                inhabitants,
                &rest,
                &mut extra,
                &mut extra_basis,
                Basis::Inhabitants,
            );
            for i in 0..n {
                if extra[i] > 0.0 {
                    quota[i] += extra[i];
                    basis[i] = extra_basis[i];
                }
            }
        }
    }
    // Hamilton rounding, never above the limit.
    let mut added: Vec<u64> = (0..n)
        .map(|i| (quota[i] + 1e-9).floor().min(room[i]) as u64)
        .collect();
    let mut left = placed.saturating_sub(added.iter().sum());
    let rest = |i: usize| crate::table::round(quota[i] - added[i] as f64, 9);
    let mut order: Vec<usize> = priority
        .iter()
        .copied()
        .filter(|&i| added[i] < caps[i] && rest(i) > 0.0)
        .collect();
    // Stable: equal remainders keep the priority order.
    order.sort_by(|a, b| rest(*b).total_cmp(&rest(*a)));
    let mut tie_decided = vec![false; n];
    if left > 0 && (left as usize) < order.len() {
        let cut = rest(order[left as usize - 1]);
        if rest(order[left as usize]) == cut {
            for &i in order.iter().filter(|&&i| rest(i) == cut) {
                tie_decided[i] = true;
            }
        }
    }
    let winners: Vec<usize> = order.iter().take(left as usize).copied().collect();
    for i in winners {
        added[i] += 1;
        left -= 1;
    }
    let shortfall = places - added.iter().sum::<u64>();
    let _ = left;
    Apportionment {
        added,
        quota,
        targets,
        need,
        basis,
        tie_decided,
        shortfall,
    }
}

/// The tie order of the allocation: lowest current rate (care units per 1,000) first, then the
/// highest saldo, then the code (docs/METHOD.md §2.8). An unknown rate or saldo comes last.
///
/// # Example
/// ```
/// use wijkbalans::scenario::allocate::tie_order;
/// let codes = ["WK03".to_string(), "WK01".into(), "WK02".into()];
/// let order = tie_order(&[Some(2.0), Some(2.0), Some(1.0)], &[Some(0.1), Some(0.4), None], &codes);
/// assert_eq!(order, vec![2, 1, 0]);
/// ```
pub fn tie_order(rate: &[Option<f64>], saldo: &[Option<f64>], codes: &[String]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..codes.len()).collect();
    let last = |v: Option<f64>, flip: f64| v.map_or(f64::INFINITY, |x| flip * x);
    order.sort_by(|&a, &b| {
        last(rate[a], 1.0)
            .total_cmp(&last(rate[b], 1.0))
            .then(last(saldo[a], -1.0).total_cmp(&last(saldo[b], -1.0)))
            .then(codes[a].cmp(&codes[b]))
    });
    order
}

/// Check lengths and values; return (X, T).
fn validate(x: &[f64], t: &[f64], caps: &[Option<u64>]) -> Result<(f64, f64), AllocationError> {
    if x.len() != t.len() || x.len() != caps.len() {
        return Err(AllocationError::BadInput(format!(
            "elke invoer vraagt één waarde per gebied: current heeft er {}, reference {}, \
             caps {}",
            x.len(),
            t.len(),
            caps.len()
        )));
    }
    for (name, values) in [("het aantal zorgeenheden", x), ("de referentie", t)] {
        if let Some((i, v)) = values
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_finite() || **v < 0.0)
        {
            return Err(AllocationError::BadInput(format!(
                "gebied {i}: {name} is {v}; dat moet een eindig getal van 0 of meer zijn"
            )));
        }
    }
    let total_x: f64 = x.iter().sum();
    let total_t: f64 = t.iter().sum();
    if !total_x.is_finite() || !total_t.is_finite() {
        return Err(AllocationError::BadInput(
            "het totaal van de zorgeenheden of van de referentie past niet in een getal"
                .to_string(),
        ));
    }
    Ok((total_x, total_t))
}

/// Σ cap_i over the eligible areas (saturating), or `None` when one of them has no limit.
fn capacity(caps: &[Option<u64>], eligible: &[bool]) -> Option<u64> {
    caps.iter()
        .zip(eligible)
        .filter(|(_, e)| **e)
        .try_fold(0u64, |sum, (cap, _)| cap.map(|c| sum.saturating_add(c)))
}

/// f_i(a + 1) − f_i(a) for f_i(a) = |x + a − τ|, in closed form: −1, 2d + 1 or +1.
fn fair_share_marginal(x: f64, a: u64, tau: f64) -> f64 {
    let d = x + a as f64 - tau;
    if d >= 0.0 {
        1.0
    } else if d <= -1.0 {
        -1.0
    } else {
        2.0 * d + 1.0
    }
}

/// Care units per 1,000 of the reference with `units` places added.
fn rate(x: f64, units: u64, t: f64) -> f64 {
    1000.0 * (x + units as f64) / t
}

/// ½ Σ |(x_i + a_i)/total − t_i/T|; 0 when `total` is 0.
fn fair_share_dissimilarity(x: &[f64], t: &[f64], a: &[u64], total: f64, total_t: f64) -> f64 {
    if total == 0.0 {
        return 0.0;
    }
    let sum: f64 = (0..x.len())
        .map(|i| ((x[i] + a[i] as f64) / total - t[i] / total_t).abs())
        .sum();
    sum / 2.0
}

/// Largest 1000·(x_i + a_i)/t_i over the areas with t_i > 0.
fn max_rate(x: &[f64], t: &[f64], a: &[u64]) -> f64 {
    (0..x.len())
        .filter(|&i| t[i] > 0.0)
        .map(|i| rate(x[i], a[i], t[i]))
        .fold(0.0, f64::max)
}

/// A heap entry: the cost of area `area`'s next place. Ordered by (key, area).
#[derive(Debug, Clone, Copy)]
struct Candidate {
    key: f64,
    area: usize,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.key
            .total_cmp(&other.key)
            .then(self.area.cmp(&other.area))
    }
}

crate::order::order_from_cmp!(Candidate);

/// The greedy allocation of `places` units, each to the eligible area below its limit with the
/// smallest (key(i, a_i), i), where `key` is non-decreasing in a. Needs enough capacity.
fn greedy(
    caps: &[Option<u64>],
    eligible: &[bool],
    places: u64,
    key: impl Fn(usize, u64) -> f64,
) -> Vec<u64> {
    let n = caps.len();
    let mut added = vec![0u64; n];
    let mut remaining = places;
    if remaining == 0 {
        return added;
    }
    let mut heap: BinaryHeap<Reverse<Candidate>> = (0..n)
        .filter(|&i| eligible[i] && caps[i] != Some(0))
        .map(|i| {
            Reverse(Candidate {
                key: key(i, 0),
                area: i,
            })
        })
        .collect();
    while remaining > 0 {
        let Reverse(best) = heap.pop().expect("the capacity covers the places");
        let i = best.area;
        let start = added[i];
        let room = caps[i].map_or(remaining, |c| (c - start).min(remaining));
        // The one-at-a-time greedy keeps choosing area i while its next key stays below the
        // best other candidate, which does not change meanwhile.
        let run = match heap.peek() {
            None => room,
            Some(Reverse(next)) => {
                let next = *next;
                1 + gallop(room - 1, |k| {
                    Candidate {
                        key: key(i, start + k),
                        area: i,
                    } < next
                })
            }
        };
        added[i] = start + run;
        remaining -= run;
        if remaining > 0 && caps[i].is_none_or(|c| added[i] < c) {
            heap.push(Reverse(Candidate {
                key: key(i, added[i]),
                area: i,
            }));
        }
    }
    added
}

/// The largest k in [0, `upper`] with `fits(k)`, for a monotone `fits` with `fits(0)` true,
/// in O(log k) calls: doubling steps, then a binary search in the last step.
fn gallop(upper: u64, mut fits: impl FnMut(u64) -> bool) -> u64 {
    let mut lo = 0u64;
    let mut step = 1u64;
    while lo < upper {
        let probe = lo.saturating_add(step).min(upper);
        if !fits(probe) {
            return largest_fitting(probe - lo - 1, |k| fits(lo + k)).map_or(lo, |k| lo + k);
        }
        lo = probe;
        step = step.saturating_mul(2);
    }
    lo
}

#[cfg(test)]
#[path = "allocate_tests.rs"]
mod tests;
