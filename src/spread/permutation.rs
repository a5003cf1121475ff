//! Seeded permutation machinery shared by the Moran and Getis–Ord tests.
//!
//! Every random draw comes from a ChaCha8 stream derived from `(seed, purpose, index)`, where
//! the index is the permutation number: of the full permutation (global tests) or of the row of
//! the draw matrix that every area shares (conditional randomisation, as esda's `crand`). Work
//! is split over rayon threads by index and collected in order, so the results are identical
//! for any number of threads.

use std::marker::PhantomData;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::undefined::Undefined;
use crate::progress::Progress;

/// Purpose salt for full permutations of a global statistic.
const GLOBAL: u64 = 0x6c6f_6261_6c5f_7065; // "lobal_pe"
/// Purpose salt for conditional randomisation of local statistics.
const CONDITIONAL: u64 = 0x636f_6e64_5f72_6e64; // "cond_rnd"

/// Relative tolerance under which a simulated value counts as equal to the observed one.
///
/// A draw that reproduces the observed neighbour set gives the observed statistic summed in
/// another order, so it can differ in the last bits. Such near-ties count as "≥ observed",
/// which is what exact arithmetic would do.
pub const TIE_TOLERANCE: f64 = 1e-9;

/// SplitMix64 finaliser: a bijective 64-bit mix (Steele, Lea & Flood 2014).
pub fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The generator for stream `index` of a test with `seed` and `purpose` salt: ChaCha8 keyed by
/// `splitmix64(seed ^ purpose)`, on stream `index` (2⁶⁴ independent streams per key).
fn stream_rng(seed: u64, purpose: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(splitmix64(seed ^ purpose));
    rng.set_stream(index);
    rng
}

/// A reference distribution summarised against the observed value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Reference {
    /// Folded pseudo p-value (see [`pseudo_p`]).
    pub p_sim: f64,
    /// Mean of the simulated values.
    pub mean: f64,
    /// Standard deviation of the simulated values (ddof 0, as numpy's `std()`).
    pub sd: f64,
    /// (observed − mean) / sd.
    pub z: f64,
}

/// A statistic with permutation inference, as a type: it names the fields of its
/// [`Inference`] the way esda does (`EI_sim` for Moran's I, `EG_sim` for Getis–Ord G).
pub trait Statistic {
    /// Key of the mean over the permutations, e.g. `EI_sim`.
    const MEAN_KEY: &'static str;
    /// Key of the standard deviation over the permutations, e.g. `seI_sim`.
    const SD_KEY: &'static str;
}

/// Moran's I, global and local: `EI_sim`, `seI_sim`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoranI {}

impl Statistic for MoranI {
    const MEAN_KEY: &'static str = "EI_sim";
    const SD_KEY: &'static str = "seI_sim";
}

/// Getis–Ord G, global and local (Gi, Gi*): `EG_sim`, `seG_sim`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GetisOrdG {}

impl Statistic for GetisOrdG {
    const MEAN_KEY: &'static str = "EG_sim";
    const SD_KEY: &'static str = "seG_sim";
}

/// How a permutation test draws: the number of permutations and the seed of their streams
/// (docs/METHOD.md §3.9). One parameter of every runner (Moran, LISA, G, Gi*), and flattened
/// into the global results as `permutations` and `seed`.
///
/// # Example
/// `Draws { permutations: 999, seed: 20_221_115 }` serialises (flattened) as
/// `"permutations": 999, "seed": 20221115`; `permutations: 0` runs no permutation test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Draws {
    /// Number of permutations asked for (0 = none).
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

/// The library's defaults, as in [`SpreadOptions::default`](super::SpreadOptions):
/// [`DEFAULT_PERMUTATIONS`](super::DEFAULT_PERMUTATIONS) permutations seeded with
/// [`DEFAULT_SEED`](super::DEFAULT_SEED).
impl Default for Draws {
    fn default() -> Self {
        Draws {
            permutations: super::DEFAULT_PERMUTATIONS,
            seed: super::DEFAULT_SEED,
        }
    }
}

/// The permutation inference of one statistic of type `S` ([`MoranI`] or [`GetisOrdG`]): the
/// pseudo p-value and the moments of the reference distribution, or all `None` when there is
/// none (no permutations, or every permutation gives the observed value; the result's
/// `undefined_reason` says which).
///
/// Serialises, as esda names them, to `p_sim`, `E{S}_sim`, `se{S}_sim` and `z_sim` (e.g.
/// `"p_sim": 0.012, "EI_sim": -0.07, "seI_sim": 0.16, "z_sim": 2.9`); a result type flattens
/// these keys into its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inference<S> {
    /// Folded pseudo p-value in the observed direction (esda 2.9 "directed"):
    /// larger = #(sim ≥ observed), folded to the smaller tail, p = (larger + 1)/(perm + 1).
    pub p_sim: Option<f64>,
    /// Mean of the statistic over the permutations.
    pub mean: Option<f64>,
    /// Standard deviation of the statistic over the permutations (ddof 0, as numpy's `std()`).
    pub sd: Option<f64>,
    /// (observed − mean)/sd.
    pub z: Option<f64>,
    statistic: PhantomData<S>,
}

/// No inference: every field `None`.
impl<S> Default for Inference<S> {
    fn default() -> Self {
        Self::of(None)
    }
}

impl<S> Inference<S> {
    /// The inference of a summarised reference distribution (`None`: no inference).
    pub(crate) fn of(reference: Option<Reference>) -> Self {
        Inference {
            p_sim: reference.map(|r| r.p_sim),
            mean: reference.map(|r| r.mean),
            sd: reference.map(|r| r.sd),
            z: reference.map(|r| r.z),
            statistic: PhantomData,
        }
    }
}

impl<S: Statistic> Serialize for Inference<S> {
    fn serialize<T: Serializer>(&self, serializer: T) -> Result<T::Ok, T::Error> {
        let mut fields = serializer.serialize_struct("Inference", 4)?;
        fields.serialize_field("p_sim", &self.p_sim)?;
        fields.serialize_field(S::MEAN_KEY, &self.mean)?;
        fields.serialize_field(S::SD_KEY, &self.sd)?;
        fields.serialize_field("z_sim", &self.z)?;
        fields.end()
    }
}

/// The pseudo p-value of esda's default ("directed") rule.
///
/// larger = #(sim ≥ observed); if perm − larger < larger then larger = perm − larger;
/// p = (larger + 1)/(perm + 1). A one-sided p-value in the direction of the observed value.
///
/// Ties: `sim ≥ observed − TIE_TOLERANCE · scale`, scale = max(|observed|, max |sim|).
///
/// Reference: `pysal/esda@11450be3:esda/significance.py` (`alternative="directed"`) and
/// `esda/moran.py` (`Moran.p_sim`).
pub(crate) fn pseudo_p(observed: f64, sims: &[f64]) -> f64 {
    let perms = sims.len();
    let scale = sims.iter().fold(observed.abs(), |m, s| m.max(s.abs()));
    let threshold = observed - TIE_TOLERANCE * scale;
    let larger = sims.iter().filter(|&&s| s >= threshold).count();
    let larger = larger.min(perms - larger);
    (larger as f64 + 1.0) / (perms as f64 + 1.0)
}

/// Summarises `sims` against `observed`.
///
/// # Returns
/// `Err(NoPermutations)` for no simulations and `Err(DegenerateNull)` when every simulated
/// value equals the observed one within the tie tolerance.
pub(crate) fn summarise(observed: f64, sims: &[f64]) -> Result<Reference, Undefined> {
    if sims.is_empty() {
        return Err(Undefined::NoPermutations);
    }
    let scale = sims.iter().fold(observed.abs(), |m, s| m.max(s.abs()));
    let tolerance = TIE_TOLERANCE * scale;
    if sims.iter().all(|s| (s - observed).abs() <= tolerance) {
        return Err(Undefined::DegenerateNull);
    }
    let count = sims.len() as f64;
    let mean = sims.iter().sum::<f64>() / count;
    let sd = (sims.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / count).sqrt();
    Ok(Reference {
        p_sim: pseudo_p(observed, sims),
        mean,
        sd,
        z: (observed - mean) / sd,
    })
}

/// Evaluates `statistic` on `permutations` random permutations of `values`.
///
/// Permutation p shuffles a fresh copy of `values` with its own stream, so the result does not
/// depend on how rayon splits the work. Returned in permutation order. Each permutation reports
/// n = `values.len()` items to `progress` (one per area permuted).
pub(crate) fn permuted_statistics<F>(
    values: &[f64],
    permutations: usize,
    seed: u64,
    statistic: F,
    progress: &dyn Progress,
) -> Vec<f64>
where
    F: Fn(&[f64]) -> f64 + Sync,
{
    let n = values.len() as u64;
    (0..permutations)
        .into_par_iter()
        .map_init(
            || values.to_vec(),
            |buffer, p| {
                buffer.copy_from_slice(values);
                buffer.shuffle(&mut stream_rng(seed, GLOBAL, p as u64));
                let s = statistic(buffer);
                progress.advance(n);
                s
            },
        )
        .collect()
}

/// Conditional randomisation (Anselin 1995) of `M` value vectors over the same areas and
/// weights: for every area i, `permutations` times, draw `sizes[i]` areas without replacement
/// from the *other* n − 1 areas and record the sum of the draw's values in every vector; then
/// `per_area(i, sums)` turns the `M` vectors of sums into the area's result. Every vector sees
/// exactly the draws it would get on its own (the same matrix), so local Moran and Gi* of one
/// variable share their draws this way; one vector is `M` = 1.
///
/// The draws follow esda's `crand`: one matrix of `permutations` rows × k_max positions is drawn
/// once (row p: k_max distinct positions in 0..n−1 in random order, from its own stream p), and
/// every area i uses the first `sizes[i]` positions of each row, position j standing for area
/// j when j < i and area j + 1 otherwise (the values with i removed). The first k positions of
/// a row in random order are a uniform k-subset, so each area's reference distribution is the
/// one Anselin defines; as in esda, the draws of different areas are not independent of each
/// other (they share rows), which does not change any one area's distribution.
///
/// Only the sum of a draw matters because every weight in a row is equal (binary or
/// row-standardised contiguity). When `sizes[i]` is 0 or ≥ n − 1 no draws are made (the
/// draw would be empty or always the same set) and the sums are empty; k_max is the largest
/// size that draws.
///
/// Rows come from their own streams and areas are collected in order, so results are identical
/// for any thread count. Returned in area order. Each area reports `M · permutations` items to
/// `progress`, whether or not it draws.
///
/// Reference: `pysal/esda@11450be3:esda/crand.py` (`crand`, `vec_permutations`,
/// `compute_chunk`).
pub(crate) fn conditional_randomisation_many<R, F, const M: usize>(
    values: [&[f64]; M],
    sizes: &[usize],
    permutations: usize,
    seed: u64,
    per_area: F,
    progress: &dyn Progress,
) -> Vec<R>
where
    R: Send,
    F: Fn(usize, [&[f64]; M]) -> R + Sync,
{
    let n = sizes.len();
    assert!(
        values.iter().all(|v| v.len() == n),
        "one value per area in every vector"
    );
    let draws = |k: usize| k > 0 && k < n - 1;
    let k_max = sizes
        .iter()
        .copied()
        .filter(|&k| draws(k))
        .max()
        .unwrap_or(0);
    let rows = DrawMatrix::new(n.saturating_sub(1), k_max, permutations, seed);
    (0..n)
        .into_par_iter()
        .map_init(
            || std::array::from_fn::<Vec<f64>, M, _>(|_| Vec::with_capacity(permutations)),
            |sums, i| {
                sums.iter_mut().for_each(Vec::clear);
                let k = sizes[i];
                if draws(k) {
                    for row in rows.rows() {
                        for (v, out) in values.iter().zip(sums.iter_mut()) {
                            // positions 0..n−1 skip area i itself
                            let sum: f64 = row[..k]
                                .iter()
                                .map(|&j| {
                                    let j = j as usize;
                                    v[if j < i { j } else { j + 1 }]
                                })
                                .sum();
                            out.push(sum);
                        }
                    }
                }
                let r = per_area(i, std::array::from_fn(|m| sums[m].as_slice()));
                progress.advance((M * permutations) as u64);
                r
            },
        )
        .collect()
}

/// esda's `vec_permutations`: `permutations` rows of `k` distinct positions from 0..m, each row
/// in random order, row p drawn from stream p of the conditional-randomisation key.
struct DrawMatrix {
    k: usize,
    positions: Vec<u32>,
}

impl DrawMatrix {
    fn new(m: usize, k: usize, permutations: usize, seed: u64) -> Self {
        assert!(k <= m, "draws of {k} from {m} without replacement");
        let m32 = u32::try_from(m).expect("fewer than 2³² areas");
        let positions = if k == 0 {
            Vec::new()
        } else {
            (0..permutations)
                .into_par_iter()
                .map_init(Vec::new, |scratch, p| {
                    let mut rng = stream_rng(seed, CONDITIONAL, p as u64);
                    draw_ordered(&mut rng, m32, k, scratch);
                    scratch.clone()
                })
                .flatten_iter()
                .collect()
        };
        Self { k, positions }
    }

    /// The rows in permutation order (none when k = 0).
    fn rows(&self) -> std::slice::ChunksExact<'_, u32> {
        self.positions.chunks_exact(self.k.max(1))
    }
}
/// A local statistic prepared for conditional randomisation: the values whose draws make each
/// area's reference distribution, the draw size per area, and the area's result from the sums
/// of its draws (`lisa::LocalMoranTest`, `getis_ord::LocalGTest`).
pub(crate) trait LocalTest: Sync {
    /// One area's result.
    type Area: Send;
    /// The values drawn from.
    fn values(&self) -> &[f64];
    /// The size of each area's draws (its number of neighbours).
    fn sizes(&self) -> &[usize];
    /// Area `i`'s result from the sums of its draws.
    fn finish(&self, i: usize, sums: &[f64]) -> Self::Area;
}

/// Runs a prepared local test (or returns the undefined results its preparation gave).
pub(crate) fn run_local<T: LocalTest>(
    test: Result<T, Vec<T::Area>>,
    draws: Draws,
    progress: &dyn Progress,
) -> Vec<T::Area> {
    match test {
        Err(all) => all,
        Ok(test) => conditional_randomisation_many(
            [test.values()],
            test.sizes(),
            draws.permutations,
            draws.seed,
            |i, [sums]| test.finish(i, sums),
            progress,
        ),
    }
}

/// Fills `picked` with `k` distinct positions from 0..m in random order: every ordered
/// selection is equally likely, so each prefix of length j ≤ k is a uniform j-subset.
fn draw_ordered(rng: &mut ChaCha8Rng, m: u32, k: usize, picked: &mut Vec<u32>) {
    picked.clear();
    if k <= 32 && 2 * k as u64 <= u64::from(m) {
        // few draws from many: rejection with a short linear check is fastest; each accepted
        // position is uniform among those not yet picked
        while picked.len() < k {
            let j = rng.random_range(0..m);
            if !picked.contains(&j) {
                picked.push(j);
            }
        }
    } else {
        // partial Fisher–Yates: rand puts the k chosen, randomly permuted, at the end
        picked.extend(0..m);
        picked.partial_shuffle(rng, k);
        picked.drain(..m as usize - k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;
    use approx::assert_relative_eq;

    #[test]
    fn pseudo_p_folds_to_the_smaller_tail() {
        let sims = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0];
        // observed 8.5: larger = 1 → (1+1)/10
        assert_relative_eq!(pseudo_p(8.5, &sims), 0.2);
        // observed 1.5: larger = 8 → folded to 9 − 8 = 1 → 0.2
        assert_relative_eq!(pseudo_p(1.5, &sims), 0.2);
        // a near-tie counts as ≥ observed: larger = 2 (8 and 9) → 0.3
        assert_relative_eq!(pseudo_p(8.0 + 1e-14, &sims), 0.3);
    }

    #[test]
    fn summarise_rejects_degenerate_and_empty() {
        assert_eq!(summarise(1.0, &[]), Err(Undefined::NoPermutations));
        assert_eq!(
            summarise(1.0, &[1.0, 1.0 + 1e-15]),
            Err(Undefined::DegenerateNull)
        );
        let r = summarise(3.0, &[1.0, 3.0]).unwrap();
        assert_relative_eq!(r.mean, 2.0);
        assert_relative_eq!(r.sd, 1.0);
        assert_relative_eq!(r.z, 1.0);
    }

    #[test]
    fn permutations_do_not_depend_on_thread_count() {
        let values: Vec<f64> = (0..50).map(f64::from).collect();
        let first_weighted = |v: &[f64]| v.iter().take(5).sum::<f64>();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap()
            .install(|| permuted_statistics(&values, 200, 7, first_weighted, &Silent));
        let four = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .unwrap()
            .install(|| permuted_statistics(&values, 200, 7, first_weighted, &Silent));
        assert_eq!(one, four);
        let other_seed = permuted_statistics(&values, 200, 8, first_weighted, &Silent);
        assert_ne!(one, other_seed);
    }

    #[test]
    fn conditional_draws_exclude_the_area_and_repeat_exactly() {
        // area 0 has value 1000; draws of 3 from the others never include it
        let mut values = vec![1.0; 20];
        values[0] = 1000.0;
        let sizes = vec![3; 20];
        let run = || {
            conditional_randomisation_many(
                [&values],
                &sizes,
                100,
                42,
                |i, [sums]| (i, sums.iter().copied().fold(f64::MIN, f64::max)),
                &Silent,
            )
        };
        let result = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap()
            .install(run);
        assert_eq!(result[0], (0, 3.0));
        assert!(result[1..].iter().all(|&(_, max)| max <= 1002.0));
        assert_eq!(result, run());
    }

    #[test]
    fn shared_draws_give_each_vector_its_own_results() {
        // Two vectors drawn together get the sums they get drawn one at a time.
        let a: Vec<f64> = (0..30).map(|i| f64::from(i * i % 17)).collect();
        let b: Vec<f64> = (0..30).map(|i| f64::from(i) * 0.25 - 3.0).collect();
        let sizes: Vec<usize> = (0..30).map(|i| 1 + i % 5).collect();
        let alone = |v: &[f64]| {
            conditional_randomisation_many([v], &sizes, 50, 9, |_, [sums]| sums.to_vec(), &Silent)
        };
        let both = conditional_randomisation_many(
            [&a, &b],
            &sizes,
            50,
            9,
            |_, [x, y]| (x.to_vec(), y.to_vec()),
            &Silent,
        );
        let (x, y): (Vec<_>, Vec<_>) = both.into_iter().unzip();
        assert_eq!(x, alone(&a));
        assert_eq!(y, alone(&b));
        assert!(x.iter().all(|sums| sums.len() == 50));
    }

    #[test]
    fn draws_are_uniform_ordered_selections() {
        // Both ways of drawing (rejection: 2 of 5; partial shuffle: 3 of 4) give every ordered
        // selection about equally often, so every prefix of a row is a uniform subset.
        let mut rng = stream_rng(1, CONDITIONAL, 0);
        let mut picked = Vec::new();
        for (m, k, selections) in [(5u32, 2usize, 20usize), (4, 3, 24)] {
            let mut counts = std::collections::BTreeMap::new();
            let rounds = 2_000 * selections;
            for _ in 0..rounds {
                draw_ordered(&mut rng, m, k, &mut picked);
                assert_eq!(picked.len(), k);
                assert!(picked.iter().all(|&j| j < m));
                *counts.entry(picked.clone()).or_insert(0usize) += 1;
            }
            assert_eq!(counts.len(), selections, "m {m} k {k}: {counts:?}");
            for (selection, c) in &counts {
                let ratio = *c as f64 * selections as f64 / rounds as f64;
                assert!((ratio - 1.0).abs() < 0.1, "{selection:?}: {ratio}");
            }
        }
    }

    #[test]
    fn every_area_uses_the_prefix_of_the_same_rows() {
        // esda's crand: area i's draw p is the first k_i positions of row p, with i skipped.
        // Values 10^j make a sum show which areas it drew.
        let values: Vec<f64> = (0..6).map(|j| 10f64.powi(j)).collect();
        let sizes = vec![1, 2, 3, 1, 2, 3];
        let sums = conditional_randomisation_many(
            [&values],
            &sizes,
            40,
            3,
            |_, [sums]| sums.to_vec(),
            &Silent,
        );
        let rows = DrawMatrix::new(5, 3, 40, 3);
        for (i, area) in sums.iter().enumerate() {
            let expected: Vec<f64> = rows
                .rows()
                .map(|row| {
                    row[..sizes[i]]
                        .iter()
                        .map(|&j| values[j as usize + usize::from(j as usize >= i)])
                        .sum()
                })
                .collect();
            assert_eq!(area, &expected, "area {i}");
            // never itself: digit i of every sum is 0
            assert!(
                area.iter().all(|s| (s / values[i]) as u64 % 10 == 0),
                "area {i}"
            );
        }
    }
}
