//! Two-step floating catchment area (2SFCA) and its enhanced form (E2SFCA) with
//! hemelsbreed distances.

use rayon::prelude::*;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::{Deserialize, Serialize};

use super::undefined::{distance, is_finite, is_non_negative, Undefined};

/// Distance decay f(d) applied in both steps of a floating catchment.
///
/// Config form (JSON shown): `"binary"`, `{"step": [[400, 1], [800, 0.68], [1200, 0.22]]}`
/// or `{"gaussian": {"sigma": 400}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Decay {
    /// f ≡ 1: plain 2SFCA (Luo & Wang 2003).
    Binary,
    /// `(upper bound in metres, weight)` pairs: f(d) is the weight of the smallest upper bound
    /// ≥ d, and 0 beyond the largest (as `access.weights.step_fn`, which sorts its
    /// thresholds; on equal bounds the first listed wins). E2SFCA (Luo & Qi 2009).
    Step(Vec<(f64, f64)>),
    /// f(d) = exp(−d² / (2σ²)), so f(0) = 1 (as `access.weights.gaussian`, unnormalised).
    Gaussian {
        /// σ in metres, > 0.
        sigma: f64,
    },
}

impl Decay {
    /// The weight f(d) for a distance d in metres.
    ///
    /// # Example
    /// The `access.weights.step_fn` docstring example, {20: 1, 40: 0.68, 60: 0.22}:
    /// ```
    /// use wijkbalans::access::Decay;
    /// let f = Decay::Step(vec![(20.0, 1.0), (40.0, 0.68), (60.0, 0.22)]);
    /// let w: Vec<f64> = (0..8).map(|i| f.weight(10.0 * i as f64)).collect();
    /// assert_eq!(w, [1.0, 1.0, 1.0, 0.68, 0.68, 0.22, 0.22, 0.0]);
    /// ```
    pub fn weight(&self, d: f64) -> f64 {
        match self {
            Decay::Binary => 1.0,
            Decay::Step(steps) => {
                let mut best: Option<(f64, f64)> = None;
                for &(bound, w) in steps {
                    if d <= bound && best.is_none_or(|(b, _)| bound < b) {
                        best = Some((bound, w));
                    }
                }
                best.map_or(0.0, |(_, w)| w)
            }
            Decay::Gaussian { sigma } => (-d * d / (2.0 * sigma * sigma)).exp(),
        }
    }

    /// Checks the parameters: step bounds and weights finite and ≥ 0, weights that do not rise
    /// with the bound, σ finite and > 0.
    ///
    /// Example: `[[800, 1], [400, 0.68]]` is refused (0.68 up to 400 m, 1 up to 800 m: a
    /// farther facility would count more); `[[400, 1], [800, 0.68]]` is the same decay in
    /// either order and passes.
    pub fn validate(&self) -> Result<(), Undefined> {
        match self {
            Decay::Binary => Ok(()),
            Decay::Step(steps) => {
                for &(bound, w) in steps {
                    if !is_non_negative(bound) {
                        return Err(Undefined::InvalidParameter {
                            name: "step (bovengrens)",
                            value: bound,
                            range: "een eindig aantal meter van 0 of meer",
                        });
                    }
                    if !is_non_negative(w) {
                        return Err(Undefined::InvalidParameter {
                            name: "step (gewicht)",
                            value: w,
                            range: "een eindig getal van 0 of meer",
                        });
                    }
                }
                let mut by_bound = steps.clone();
                by_bound.sort_by(|a, b| a.0.total_cmp(&b.0));
                match by_bound.windows(2).find(|p| p[1].1 > p[0].1) {
                    Some(p) => Err(Undefined::RisingDecay {
                        near_bound: p[0].0,
                        near_weight: p[0].1,
                        far_bound: p[1].0,
                        far_weight: p[1].1,
                    }),
                    None => Ok(()),
                }
            }
            Decay::Gaussian { sigma } => {
                if sigma.is_finite() && *sigma > 0.0 {
                    Ok(())
                } else {
                    Err(Undefined::InvalidParameter {
                        name: "sigma",
                        value: *sigma,
                        range: "een eindig aantal meter groter dan 0",
                    })
                }
            }
        }
    }
}

/// Demand (population) and supply (capacity) points of a floating catchment.
#[derive(Debug, Clone, Copy)]
pub struct FcaInput<'a> {
    /// Demand locations `[x, y]` in metres (EPSG:28992), e.g. buurt centroids or dwellings.
    pub demand: &'a [[f64; 2]],
    /// P_k: population per demand location, ≥ 0.
    pub population: &'a [f64],
    /// Supply locations `[x, y]` in metres.
    pub supply: &'a [[f64; 2]],
    /// S_j: capacity per supply location (e.g. huisartsen, places), ≥ 0.
    pub capacity: &'a [f64],
}

/// The result of a floating catchment.
#[derive(Debug, Clone, PartialEq)]
pub struct Fca {
    /// A_i per demand location, in demand order (0 where no supply is in reach).
    pub access: Vec<f64>,
    /// R_j per supply location, in supply order: [`Undefined::NoDemandInReach`] or
    /// [`Undefined::ZeroDemandInReach`] where the weighted demand in reach is 0. An undefined
    /// R_j adds nothing to any A_i.
    pub ratio: Vec<Result<f64, Undefined>>,
}

/// Plain two-step floating catchment area (2SFCA), hemelsbreed: [`fca`] with
/// [`Decay::Binary`].
///
/// # Example
/// docs/METHOD.md Appendix A, by hand: R_10 = 10 / (500 + 300) = 0.0125 and
/// R_20 = 6 / (300 + 800) (demand 2 is exactly 800 m from supply 20 and counts); demand 2
/// reaches both: A_2 = 0.0125 + 6/1100 = 0.0179545….
/// ```
/// use wijkbalans::access::{two_stage_fca, FcaInput};
/// let input = FcaInput {
///     demand: &[[0.0, 0.0], [600.0, 0.0], [1500.0, 0.0]],
///     population: &[500.0, 300.0, 800.0],
///     supply: &[[300.0, 0.0], [1400.0, 0.0]],
///     capacity: &[10.0, 6.0],
/// };
/// let result = two_stage_fca(&input, 800.0).unwrap();
/// assert_eq!(result.ratio[0], Ok(0.0125));
/// assert_eq!(result.ratio[1], Ok(6.0 / 1100.0));
/// assert_eq!(result.access, vec![0.0125, 0.0125 + 6.0 / 1100.0, 6.0 / 1100.0]);
/// ```
pub fn two_stage_fca(input: &FcaInput, max_cost: f64) -> Result<Fca, Undefined> {
    fca(input, max_cost, &Decay::Binary)
}

/// Enhanced two-step floating catchment area (E2SFCA), hemelsbreed: [`fca`] with a stepped or
/// Gaussian [`Decay`]. In metres, the `access` default `step_fn({10: 1, 20: 0.68, 30: 0.22})`
/// (minutes) becomes `Decay::Step(vec![(400.0, 1.0), (800.0, 0.68), (1200.0, 0.22)])`
/// (docs/METHOD.md §5.6).
///
/// # Example
/// docs/METHOD.md Appendix A with that step and max_cost = 1200 m, by hand:
/// R_10 = 10 / (500·1 + 300·1 + 800·0.22) = 10/976, R_20 = 6 / (300·0.68 + 800·1) = 6/1004,
/// A_1 = R_10 = 0.010246, A_2 = R_10 + 0.68·R_20 = 0.014310,
/// A_3 = 0.22·R_10 + R_20 = 0.008230.
/// ```
/// use wijkbalans::access::{enhanced_two_stage_fca, Decay, FcaInput};
/// let input = FcaInput {
///     demand: &[[0.0, 0.0], [600.0, 0.0], [1500.0, 0.0]],
///     population: &[500.0, 300.0, 800.0],
///     supply: &[[300.0, 0.0], [1400.0, 0.0]],
///     capacity: &[10.0, 6.0],
/// };
/// let step = Decay::Step(vec![(400.0, 1.0), (800.0, 0.68), (1200.0, 0.22)]);
/// let a = enhanced_two_stage_fca(&input, 1200.0, &step).unwrap().access;
/// assert!((a[0] - 0.010246).abs() < 5e-7);
/// assert!((a[1] - 0.014310).abs() < 5e-7);
/// assert!((a[2] - 0.008230).abs() < 5e-7);
/// ```
pub fn enhanced_two_stage_fca(
    input: &FcaInput,
    max_cost: f64,
    decay: &Decay,
) -> Result<Fca, Undefined> {
    fca(input, max_cost, decay)
}

/// A demand or supply point in an R-tree, carrying its input index.
type Located = GeomWithData<[f64; 2], usize>;

/// Two-step floating catchment with a distance decay, hemelsbreed, as `pysal/access` defines
/// it (`access/fca.py::two_stage_fca`, docs/METHOD.md §5.6):
///
/// - step 1: R_j = S_j / Σ_{k: d_kj ≤ d₀} f(d_kj) · P_k
/// - step 2: A_i = Σ_{j: d_ij ≤ d₀} f(d_ij) · R_j
///
/// with d₀ = `max_cost` and f the [`Decay`], applied in both steps. References: Luo & Wang
/// (2003), "Measures of spatial accessibility to health care in a GIS environment", Environment
/// and Planning B 30(6), doi:10.1068/b29120; Luo & Qi (2009), "An enhanced two-step floating
/// catchment area (E2SFCA) method", Health & Place 15(4), doi:10.1016/j.healthplace.2009.06.002.
///
/// The neighbourhoods d ≤ d₀ come from R-tree within-distance queries (one tree of demand
/// points for step 1, one of supply points for step 2), not from all pairs. Each sum runs
/// sequentially over its neighbours sorted by index, so the result equals a plain loop over
/// all pairs and does not depend on the rayon thread count.
///
/// Deviations from `access`: an R_j whose weighted demand is 0 is undefined with a reason and
/// adds nothing (in `access` a facility without demand pairs drops out as here, but demand
/// pairs whose weighted population is 0 give S_j / 0 = ∞); a demand point with no supply in
/// reach gets A_i = 0 (in `access` it is missing, NaN after the join); distances are
/// hemelsbreed from coordinates instead of a cost table.
///
/// # Parameters
/// - `input`: demand and supply points with population and capacity.
/// - `max_cost`: d₀ in metres, ≥ 0 (∞ allowed: all pairs, O(n·m)); a pair exactly at d₀
///   counts (d ≤ d₀, which the golden values of docs/METHOD.md Appendix A need).
/// - `decay`: f(d).
///
/// # Returns
/// [`Fca`]; an error for a NaN or infinite coordinate, population or capacity
/// ([`Undefined::NotFinite`]), a negative population or capacity
/// ([`Undefined::NegativeValue`]), or an invalid `max_cost` or decay
/// ([`Undefined::InvalidParameter`]).
///
/// # Panics
/// When `population` differs in length from `demand`, or `capacity` from `supply`.
///
/// # Example
/// Gaussian by hand: supply 12 at 0; demand 100 at 0 m (f = 1) and 200 at σ = 500 m
/// (f = e^(−1/2)). R = 12 / (100 + 200·e^(−1/2)); A_1 = R and A_2 = e^(−1/2)·R.
/// ```
/// use wijkbalans::access::{fca, Decay, FcaInput};
/// let input = FcaInput {
///     demand: &[[0.0, 0.0], [0.0, 500.0]],
///     population: &[100.0, 200.0],
///     supply: &[[0.0, 0.0]],
///     capacity: &[12.0],
/// };
/// let result = fca(&input, 1000.0, &Decay::Gaussian { sigma: 500.0 }).unwrap();
/// let f = (-0.5f64).exp();
/// let r = 12.0 / (100.0 + 200.0 * f);
/// assert!((result.access[0] - r).abs() < 1e-15);
/// assert!((result.access[1] - f * r).abs() < 1e-15);
/// ```
pub fn fca(input: &FcaInput, max_cost: f64, decay: &Decay) -> Result<Fca, Undefined> {
    validate(input, max_cost, decay)?;
    let demand_tree = tree_of(input.demand);
    let supply_tree = tree_of(input.supply);

    let ratio: Vec<Result<f64, Undefined>> = input
        .supply
        .par_iter()
        .zip(input.capacity.par_iter())
        .map(|(s, &capacity)| {
            let reach = within(&demand_tree, s, max_cost);
            if reach.is_empty() {
                return Err(Undefined::NoDemandInReach);
            }
            let mut demand = 0.0;
            for (k, d) in reach {
                demand += decay.weight(d) * input.population[k];
            }
            if demand > 0.0 {
                Ok(capacity / demand)
            } else {
                Err(Undefined::ZeroDemandInReach)
            }
        })
        .collect();

    let access = input
        .demand
        .par_iter()
        .map(|p| {
            let mut a = 0.0;
            for (j, d) in within(&supply_tree, p, max_cost) {
                if let Ok(r) = ratio[j] {
                    a += decay.weight(d) * r;
                }
            }
            a
        })
        .collect();

    Ok(Fca { access, ratio })
}

/// An R-tree of points with their input index.
fn tree_of(points: &[[f64; 2]]) -> RTree<Located> {
    RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(*p, i))
            .collect(),
    )
}

/// `(index, distance)` of the tree's points with distance ≤ `max_cost` from `p`, sorted by
/// index.
fn within(tree: &RTree<Located>, p: &[f64; 2], max_cost: f64) -> Vec<(usize, f64)> {
    // Query slightly wider than d₀ and decide on the distance itself, so that both steps use
    // exactly the same test d ≤ d₀.
    let reach = max_cost * (1.0 + 1e-9) + 1e-9;
    let mut found: Vec<(usize, f64)> = tree
        .locate_within_distance(*p, reach * reach)
        .map(|e| (e.data, distance(e.geom(), p)))
        .filter(|&(_, d)| d <= max_cost)
        .collect();
    found.sort_unstable_by_key(|&(i, _)| i);
    found
}

/// Checks lengths (panics) and values (errors) of a floating-catchment call.
fn validate(input: &FcaInput, max_cost: f64, decay: &Decay) -> Result<(), Undefined> {
    assert_eq!(
        input.demand.len(),
        input.population.len(),
        "fca: {} demand points but {} populations",
        input.demand.len(),
        input.population.len()
    );
    assert_eq!(
        input.supply.len(),
        input.capacity.len(),
        "fca: {} supply points but {} capacities",
        input.supply.len(),
        input.capacity.len()
    );
    if max_cost.is_nan() || max_cost < 0.0 {
        return Err(Undefined::InvalidParameter {
            name: "max_cost",
            value: max_cost,
            range: "een aantal meter van 0 of meer (∞ voor alle paren)",
        });
    }
    decay.validate()?;
    for (name, points) in [("demand", input.demand), ("supply", input.supply)] {
        if let Some(index) = points.iter().position(|p| !is_finite(p)) {
            return Err(Undefined::NotFinite { input: name, index });
        }
    }
    for (name, values) in [
        ("population", input.population),
        ("capacity", input.capacity),
    ] {
        for (index, &value) in values.iter().enumerate() {
            if !value.is_finite() {
                return Err(Undefined::NotFinite { input: name, index });
            }
            if value < 0.0 {
                return Err(Undefined::NegativeValue {
                    input: name,
                    index,
                    value,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// docs/METHOD.md Appendix A: demand {1: 500 @0, 2: 300 @600, 3: 800 @1500}, supply
    /// {10: 10 @300, 20: 6 @1400}, all at y = 0.
    const DEMAND: [[f64; 2]; 3] = [[0.0, 0.0], [600.0, 0.0], [1500.0, 0.0]];
    const POPULATION: [f64; 3] = [500.0, 300.0, 800.0];
    const SUPPLY: [[f64; 2]; 2] = [[300.0, 0.0], [1400.0, 0.0]];
    const CAPACITY: [f64; 2] = [10.0, 6.0];

    #[test]
    fn a_step_decay_may_not_rise_with_the_distance() {
        let rising = Decay::Step(vec![(800.0, 1.0), (400.0, 0.68)]);
        assert_eq!(
            rising.validate(),
            Err(Undefined::RisingDecay {
                near_bound: 400.0,
                near_weight: 0.68,
                far_bound: 800.0,
                far_weight: 1.0
            })
        );
        // The same decay written in another order is the same decay.
        assert_eq!(
            Decay::Step(vec![(800.0, 0.68), (400.0, 1.0)]).validate(),
            Ok(())
        );
        assert_eq!(
            Decay::Step(vec![(400.0, 1.0), (800.0, 1.0)]).validate(),
            Ok(())
        );
    }

    fn appendix_a() -> FcaInput<'static> {
        FcaInput {
            demand: &DEMAND,
            population: &POPULATION,
            supply: &SUPPLY,
            capacity: &CAPACITY,
        }
    }

    fn e2sfca_step() -> Decay {
        Decay::Step(vec![(400.0, 1.0), (800.0, 0.68), (1200.0, 0.22)])
    }

    /// The two supply ratios R_j of appendix A and the golden access per demand point
    /// (within `epsilon`).
    fn assert_appendix(result: &Fca, ratios: [f64; 2], golden: [f64; 3], epsilon: f64) {
        assert_eq!((result.ratio.len(), result.access.len()), (2, 3));
        for (r, want) in result.ratio.iter().zip(ratios) {
            assert_relative_eq!(*r.as_ref().unwrap(), want);
        }
        for (a, g) in result.access.iter().zip(golden) {
            assert_relative_eq!(*a, g, epsilon = epsilon);
        }
    }

    #[test]
    fn appendix_a_binary_2sfca() {
        let result = two_stage_fca(&appendix_a(), 800.0).unwrap();
        let golden = [0.0125, 0.0179545, 0.0054545];
        assert_appendix(&result, [10.0 / 800.0, 6.0 / 1100.0], golden, 5e-8);
    }

    #[test]
    fn appendix_a_e2sfca_step() {
        let result = enhanced_two_stage_fca(&appendix_a(), 1200.0, &e2sfca_step()).unwrap();
        let golden = [0.010246, 0.014310, 0.008230];
        assert_appendix(&result, [10.0 / 976.0, 6.0 / 1004.0], golden, 5e-7);
    }

    #[test]
    fn boundary_pairs_count() {
        // With d₀ just below 800 m, demand 2 leaves the catchment of supply 20:
        // R_20 = 6/800 and A_2 = R_10 only.
        let result = two_stage_fca(&appendix_a(), 799.999).unwrap();
        assert_relative_eq!(*result.ratio[1].as_ref().unwrap(), 6.0 / 800.0);
        assert_relative_eq!(result.access[1], 0.0125);
    }

    #[test]
    fn undefined_ratios_and_zero_access() {
        // Supply 1 has no demand within 100 m; supply 2 only zero-population demand;
        // demand 3 has no supply in reach.
        let input = FcaInput {
            demand: &[[0.0, 0.0], [1000.0, 0.0], [5000.0, 0.0]],
            population: &[100.0, 0.0, 50.0],
            supply: &[[0.0, 500.0], [1000.0, 50.0], [0.0, 10.0]],
            capacity: &[3.0, 4.0, 5.0],
        };
        let result = two_stage_fca(&input, 100.0).unwrap();
        assert_eq!(result.ratio[0], Err(Undefined::NoDemandInReach));
        assert_eq!(result.ratio[1], Err(Undefined::ZeroDemandInReach));
        assert_eq!(result.ratio[2], Ok(0.05));
        assert_eq!(result.access, vec![0.05, 0.0, 0.0]);

        let nothing = FcaInput {
            demand: &[],
            population: &[],
            supply: &[[0.0, 0.0]],
            capacity: &[1.0],
        };
        let result = two_stage_fca(&nothing, 100.0).unwrap();
        assert!(result.access.is_empty());
        assert_eq!(result.ratio, vec![Err(Undefined::NoDemandInReach)]);
    }

    #[test]
    fn decay_functions() {
        let step = e2sfca_step();
        assert_eq!(step.weight(0.0), 1.0);
        assert_eq!(step.weight(400.0), 1.0);
        assert_eq!(step.weight(400.5), 0.68);
        assert_eq!(step.weight(1200.0), 0.22);
        assert_eq!(step.weight(1200.1), 0.0);
        // Unsorted thresholds behave as sorted ones (access sorts them too).
        let shuffled = Decay::Step(vec![(1200.0, 0.22), (400.0, 1.0), (800.0, 0.68)]);
        for d in [0.0, 399.0, 401.0, 800.0, 1000.0, 1300.0] {
            assert_eq!(shuffled.weight(d), step.weight(d));
        }
        // access.weights.gaussian docstring: sigma 20 at 20, 40, 60.
        let g = Decay::Gaussian { sigma: 20.0 };
        assert_relative_eq!(g.weight(20.0), 0.6065306597126334);
        assert_relative_eq!(g.weight(40.0), 0.1353352832366127);
        assert_relative_eq!(g.weight(60.0), 0.011108996538242306);
        assert_eq!(Decay::Binary.weight(1e9), 1.0);
    }

    #[test]
    fn decay_config_form() {
        let json = r#"["binary", {"step": [[400, 1], [800, 0.68]]}, {"gaussian": {"sigma": 300}}]"#;
        let decays: Vec<Decay> = serde_json::from_str(json).unwrap();
        assert_eq!(
            decays,
            vec![
                Decay::Binary,
                Decay::Step(vec![(400.0, 1.0), (800.0, 0.68)]),
                Decay::Gaussian { sigma: 300.0 }
            ]
        );
        let back: Vec<Decay> =
            serde_json::from_str(&serde_json::to_string(&decays).unwrap()).unwrap();
        assert_eq!(back, decays);
        assert!(serde_json::from_str::<Decay>(r#"{"gaussian": {"sigma": 1, "mu": 0}}"#).is_err());
    }

    #[test]
    fn invalid_inputs_are_refused() {
        let mut population = POPULATION;
        population[1] = -1.0;
        let input = FcaInput {
            population: &population,
            ..appendix_a()
        };
        assert_eq!(
            two_stage_fca(&input, 800.0),
            Err(Undefined::NegativeValue {
                input: "population",
                index: 1,
                value: -1.0
            })
        );
        let supply = [[300.0, 0.0], [f64::NAN, 0.0]];
        let input = FcaInput {
            supply: &supply,
            ..appendix_a()
        };
        assert_eq!(
            two_stage_fca(&input, 800.0),
            Err(Undefined::NotFinite {
                input: "supply",
                index: 1
            })
        );
        for bad in [f64::NAN, -1.0] {
            assert!(two_stage_fca(&appendix_a(), bad).is_err());
        }
        for decay in [
            Decay::Gaussian { sigma: 0.0 },
            Decay::Step(vec![(100.0, -1.0)]),
            Decay::Step(vec![(f64::NAN, 1.0)]),
        ] {
            assert!(fca(&appendix_a(), 800.0, &decay).is_err());
        }
        // ∞ means all pairs: R_10 = 10/1600, R_20 = 6/1600, so every A_i = 16/1600 = 0.01.
        let all = two_stage_fca(&appendix_a(), f64::INFINITY).unwrap();
        for a in all.access {
            assert_relative_eq!(a, 0.01, max_relative = 1e-12);
        }
    }

    /// Owned demand and supply data for tests.
    struct Owned {
        demand: Vec<[f64; 2]>,
        population: Vec<f64>,
        supply: Vec<[f64; 2]>,
        capacity: Vec<f64>,
    }

    impl Owned {
        fn input(&self) -> FcaInput<'_> {
            FcaInput {
                demand: &self.demand,
                population: &self.population,
                supply: &self.supply,
                capacity: &self.capacity,
            }
        }
    }

    /// Seeded random demand and supply in a 3 km square.
    fn random_input(seed: u64, n: usize, m: usize) -> Owned {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut point = || [rng.random_range(0.0..3000.0), rng.random_range(0.0..3000.0)];
        let demand: Vec<[f64; 2]> = (0..n).map(|_| point()).collect();
        let supply: Vec<[f64; 2]> = (0..m).map(|_| point()).collect();
        Owned {
            demand,
            population: (0..n).map(|i| ((i * 7919) % 1000) as f64).collect(),
            supply,
            capacity: (0..m).map(|j| 1.0 + ((j * 31) % 10) as f64).collect(),
        }
    }

    /// The definition as a plain loop over all pairs.
    fn all_pairs(input: &FcaInput, max_cost: f64, decay: &Decay) -> Fca {
        let ratio: Vec<Result<f64, Undefined>> = input
            .supply
            .iter()
            .zip(input.capacity)
            .map(|(s, c)| {
                let mut demand = 0.0;
                let mut any = false;
                for (p, pop) in input.demand.iter().zip(input.population) {
                    let d = distance(p, s);
                    if d <= max_cost {
                        any = true;
                        demand += decay.weight(d) * pop;
                    }
                }
                match (any, demand > 0.0) {
                    (false, _) => Err(Undefined::NoDemandInReach),
                    (true, false) => Err(Undefined::ZeroDemandInReach),
                    (true, true) => Ok(c / demand),
                }
            })
            .collect();
        let access = input
            .demand
            .iter()
            .map(|p| {
                let mut a = 0.0;
                for (s, r) in input.supply.iter().zip(&ratio) {
                    let d = distance(p, s);
                    if let (true, Ok(r)) = (d <= max_cost, r) {
                        a += decay.weight(d) * r;
                    }
                }
                a
            })
            .collect();
        Fca { access, ratio }
    }

    #[test]
    fn r_tree_neighbourhoods_equal_all_pairs() {
        for seed in 0..10 {
            let data = random_input(seed, 300, 40);
            let input = data.input();
            for decay in [
                Decay::Binary,
                e2sfca_step(),
                Decay::Gaussian { sigma: 400.0 },
            ] {
                for max_cost in [0.0, 250.0, 800.0, 1200.0] {
                    let fast = fca(&input, max_cost, &decay).unwrap();
                    assert_eq!(fast, all_pairs(&input, max_cost, &decay), "seed {seed}");
                    // Conservation: Σ_i P_i A_i = Σ_j S_j over the defined R_j.
                    let demand_side: f64 = fast
                        .access
                        .iter()
                        .zip(&data.population)
                        .map(|(a, p)| a * p)
                        .sum();
                    let supply_side: f64 = fast
                        .ratio
                        .iter()
                        .zip(&data.capacity)
                        .filter(|(r, _)| r.is_ok())
                        .map(|(_, c)| c)
                        .sum();
                    assert_relative_eq!(demand_side, supply_side, max_relative = 1e-9);
                }
            }
        }
    }

    #[test]
    fn same_result_for_any_thread_count() {
        let data = random_input(99, 2000, 200);
        let input = data.input();
        let run = |threads: usize| {
            crate::testing::on_threads(threads, || fca(&input, 800.0, &e2sfca_step()).unwrap())
        };
        assert_eq!(run(1), run(3));
    }
}
