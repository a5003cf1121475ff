//! Getis–Ord statistics: global G and local Gi / Gi*.

use serde::Serialize;

use super::moran::normal_sf;
use super::permutation::{
    permuted_statistics, run_local, summarise, Draws, GetisOrdG, Inference, LocalTest, Reference,
};
use super::undefined::{check_local, check_values, check_variance, Undefined};
use super::weights::{SpatialWeights, Transform};
use crate::progress::{Progress, Silent};

/// A Getis–Ord statistic with its expectation and variance under the null, the part that the
/// global G and the local Gi / Gi* share (docs/METHOD.md §3.8). Serialises flattened into its
/// result with esda's names `G`, `EG`, `VG`.
///
/// # Example
/// Hand check, global G on the path 0–1–2–3 with y = 1, 2, 3, 4 (see [`global_g`]):
/// `value` = 40/70 = 4/7, `expected` = S0/(n(n − 1)) = 6/12 = ½. `Default` is all three
/// undefined.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct GMoments {
    /// G (global), G_i or G_i* (local).
    #[serde(rename = "G")]
    pub value: Option<f64>,
    /// E(G) under the null: S0/(n(n − 1)) for the global G, c_i/N for G_i.
    #[serde(rename = "EG")]
    pub expected: Option<f64>,
    /// Var(G) under the null.
    #[serde(rename = "VG")]
    pub variance: Option<f64>,
}

/// Global Getis–Ord G with analytic and permutation inference. Field names serialise as in
/// esda (`G`, `EG`, `VG`, …). Every `None` is explained by `undefined_reason`.
///
/// `Default` is every statistic `None` without a reason, for n = 0 and the default
/// [`Draws`]: the base that [`GlobalG::undefined`] fills in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GlobalG {
    /// G, E(G) = S0/(n(n − 1)) and Var(G) (Getis & Ord 1992).
    #[serde(flatten)]
    pub g: GMoments,
    /// (G − EG)/√VG.
    pub z_norm: Option<f64>,
    /// One-tailed p-value P(Z > |z_norm|), as esda.
    pub p_norm: Option<f64>,
    /// Permutation inference: `p_sim`, the mean `EG_sim` and standard deviation `seG_sim` of
    /// G over the permutations, and `z_sim` = (G − EG_sim)/seG_sim.
    #[serde(flatten)]
    pub sim: Inference<GetisOrdG>,
    /// Number of permutations asked for and their seed.
    #[serde(flatten)]
    pub draws: Draws,
    /// Number of areas in the statistic.
    pub n: usize,
    /// Why fields are `None` (the first reason met); `None` when everything is defined.
    pub undefined_reason: Option<Undefined>,
}

impl GlobalG {
    /// A result with every statistic undefined for `reason`.
    pub fn undefined(reason: Undefined, n: usize, draws: Draws) -> Self {
        GlobalG {
            draws,
            n,
            undefined_reason: Some(reason),
            ..Default::default()
        }
    }
}

/// Global Getis–Ord G: are high values near high values?
///
/// With binary weights (esda forces "B"):
/// G = Σ_i Σ_j w_ij y_i y_j / (Σ_i Σ_j y_i y_j − Σ_i y_i²);  EG = S0/(n(n − 1));
/// VG = EG2 − EG², EG2 = [b0(Σy²)² + b1Σy⁴ + b2(Σy)²Σy² + b3ΣyΣy³ + b4(Σy)⁴] /
/// [((Σy)² − Σy²)²·n(n − 1)(n − 2)(n − 3)] with
/// b0 = (n² − 3n + 3)S1 − nS2 + 3S0², b1 = −[(n² − n)S1 − 2nS2 + 6S0²],
/// b2 = −[2nS1 − (n + 3)S2 + 6S0²], b3 = 4(n − 1)S1 − 2(n + 1)S2 + 8S0², b4 = S1 − S2 + S0².
/// z = (G − EG)/√VG, p_norm = P(Z > |z|) (one-tailed). p_sim as for Moran.
///
/// Reference: Getis & Ord (1992), "The analysis of spatial association by use of distance
/// statistics", Geographical Analysis 24(3), doi:10.1111/j.1538-4632.1992.tb00261.x;
/// implementation `pysal/esda@11450be3:esda/getisord.py` (`G`). Units: dimensionless.
///
/// Deviations: G assumes y ≥ 0; esda does not check, here negative values make the result
/// undefined. Permutations use seeded ChaCha8 streams (esda: global numpy RNG).
///
/// # Parameters
/// - `y`: one non-negative value per area in area order.
/// - `w`: contiguity weights in the same order (used as binary).
/// - `permutations`: number of permutations (esda default 999; 0 = none).
/// - `seed`: seed of the permutations.
///
/// # Returns
/// All `None` with a reason when n < 4, a value is negative or not finite, fewer than two
/// values are positive, all values are equal, or no area has a neighbour. Never NaN.
///
/// # Panics
/// When `y` and `w` differ in length.
///
/// # Example
/// Hand check: path 0–1–2–3, y = 1, 2, 3, 4: Σ w y_i y_j = 2(2 + 6 + 12) = 40,
/// (Σy)² − Σy² = 100 − 30 = 70, so G = 4/7; EG = 6/12 = ½.
/// ```
/// use wijkbalans::spread::{global_g, SpatialWeights};
/// let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1, 3], vec![2]]);
/// let g = global_g(&[1.0, 2.0, 3.0, 4.0], &w, 0, 1);
/// assert!((g.g.value.unwrap() - 4.0 / 7.0).abs() < 1e-12);
/// assert_eq!(g.g.expected, Some(0.5));
/// ```
pub fn global_g(y: &[f64], w: &SpatialWeights, permutations: usize, seed: u64) -> GlobalG {
    global_g_with(y, w, Draws { permutations, seed }, &Silent)
}

/// [`global_g`], reporting n items per permutation to `progress`.
pub(crate) fn global_g_with(
    y: &[f64],
    w: &SpatialWeights,
    draws: Draws,
    progress: &dyn Progress,
) -> GlobalG {
    assert_eq!(
        y.len(),
        w.n(),
        "one value per area of the weights is needed"
    );
    let n = y.len();
    let undefined = |reason| GlobalG::undefined(reason, n, draws);
    if n < 4 {
        return undefined(Undefined::TooFewAreas { n, min: 4 });
    }
    if let Err(reason) = check_values(y, true) {
        return undefined(reason);
    }
    let power_sum = |p: i32| y.iter().map(|v| v.powi(p)).sum::<f64>();
    let (sum1, sum2, sum3, sum4) = (power_sum(1), power_sum(2), power_sum(3), power_sum(4));
    let den_sum = sum1 * sum1 - sum2;
    if y.iter().filter(|&&v| v > 0.0).count() < 2 {
        return undefined(Undefined::FewerThanTwoPositive);
    }
    // equal values give G = EG under every permutation
    if let Err(reason) = check_variance(y) {
        return undefined(reason);
    }
    let t = Transform::Binary;
    let (s0, s1, s2) = (w.s0(t), w.s1(t), w.s2(t));
    if s0 == 0.0 {
        return undefined(Undefined::NoNeighbours);
    }

    let statistic = |y: &[f64]| {
        let cross: f64 = (0..n).map(|i| y[i] * w.neighbour_sum(i, y)).sum();
        cross / den_sum
    };
    let g = statistic(y);
    let nf = n as f64;
    let eg = s0 / (nf * (nf - 1.0));
    let s02 = s0 * s0;
    let b0 = (nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02;
    let b1 = -((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let b2 = -(2.0 * nf * s1 - (nf + 3.0) * s2 + 6.0 * s02);
    let b3 = 4.0 * (nf - 1.0) * s1 - 2.0 * (nf + 1.0) * s2 + 8.0 * s02;
    let b4 = s1 - s2 + s02;
    let eg2_num = b0 * sum2 * sum2
        + b1 * sum4
        + b2 * sum1 * sum1 * sum2
        + b3 * sum1 * sum3
        + b4 * sum1.powi(4);
    let eg2_den = den_sum * den_sum * nf * (nf - 1.0) * (nf - 2.0) * (nf - 3.0);
    let vg = eg2_num / eg2_den - eg * eg;
    let z_norm = (vg > 0.0).then(|| (g - eg) / vg.sqrt());

    let reference = summarise(
        g,
        &permuted_statistics(y, draws.permutations, draws.seed, statistic, progress),
    );
    let undefined_reason = match (&z_norm, &reference) {
        (None, _) => Some(Undefined::ZeroVarianceOfStatistic),
        (_, Err(reason)) => Some(reason.clone()),
        _ => None,
    };
    GlobalG {
        g: GMoments {
            value: Some(g),
            expected: Some(eg),
            variance: Some(vg),
        },
        z_norm,
        p_norm: z_norm.map(|z| normal_sf(z.abs())),
        sim: Inference::of(reference.ok()),
        draws,
        n,
        undefined_reason,
    }
}

/// Local Getis–Ord statistics of one area. Field names serialise as in esda's per-area
/// arrays (`G`, `EG`, `VG`, `Z`). If `G` is `None` all fields are; `undefined_reason` explains
/// every `None`.
///
/// `Default` is every statistic `None` without a reason: the base that [`LocalG::undefined`]
/// fills in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocalG {
    /// G_i or G_i*, E(G_i) and Var(G_i) (Ord & Getis 1995).
    #[serde(flatten)]
    pub g: GMoments,
    /// (G_i − EG_i)/√VG_i.
    #[serde(rename = "Z")]
    pub z: Option<f64>,
    /// One-tailed p-value P(Z > |Z_i|), as esda.
    pub p_norm: Option<f64>,
    /// Inference from conditional randomisation: `p_sim`, the mean `EG_sim` and standard
    /// deviation `seG_sim` of G_i over the permutations, and `z_sim` = (G_i − EG_sim)/seG_sim.
    #[serde(flatten)]
    pub sim: Inference<GetisOrdG>,
    /// Why fields are `None`; `None` when everything is defined.
    pub undefined_reason: Option<Undefined>,
}

impl LocalG {
    /// An area with every statistic undefined for `reason`.
    pub fn undefined(reason: Undefined) -> Self {
        LocalG {
            undefined_reason: Some(reason),
            ..Default::default()
        }
    }
}

/// Local Getis–Ord Gi (`star = false`) or Gi* (`star = true`) per area: is the area (with its
/// neighbours, for Gi*) a hot spot of high values?
///
/// Gi*: the area counts as its own neighbour with binary weight 1 before the transform;
/// G_i* = Σ_j w_ij y_j / Σ y, N = n. Gi: G_i = Σ_{j≠i} w_ij y_j / (Σy − y_i), N = n − 1.
/// ȳ and s² (= mean of squares − squared mean) over the N values (without y_i for Gi);
/// c_i = Σ_j w_ij after the transform (k_i or k_i + 1 for binary, 1 for rows);
/// EG_i = c_i/N; VG_i = c_i(N − c_i)/(N − 1) · (1/N²) · s²/ȳ²; Z_i = (G_i − EG_i)/√VG_i;
/// p_norm = P(Z > |Z_i|). Conditional randomisation draws k_i of the other n − 1 values;
/// G_sim = (w·Σ y_draw + w_ii y_i)/Σy (Gi*) or w·Σ y_draw/(Σy − y_i) (Gi). p_sim as for LISA.
///
/// Reference: Ord & Getis (1995), "Local spatial autocorrelation statistics: distributional
/// issues and an application", Geographical Analysis 27(4),
/// doi:10.1111/j.1538-4632.1995.tb00912.x; implementation
/// `pysal/esda@11450be3:esda/getisord.py` (`G_Local`, with `transform="B", star=True` for Gi*
/// and `transform="R", star=False` for Gi) and `esda/crand.py`. Units: dimensionless.
///
/// Degenerate cases, explicit here: with binary weights an area that neighbours every other
/// area has VG_i = 0 (esda: Z = ±∞), so Z and p_norm are `None` with
/// [`Undefined::NeighboursAllOthers`]. (With row weights esda's VG_i stays positive and
/// Z_i = 0, which is kept.) Such an area never has a p_sim: every draw is the same set. A Gi
/// island has
/// no statistic ([`Undefined::Island`]); a Gi* island keeps G_i*, EG, VG and Z (its window is
/// itself) but has no p_sim. Negative values make everything undefined (esda does not check).
///
/// # Parameters
/// - `y`: one non-negative value per area in area order.
/// - `w`: contiguity weights in the same order, without self-links.
/// - `star`: `true` for Gi* (self included), `false` for Gi.
/// - `transform`: [`Transform::Binary`] or [`Transform::Row`], applied after the self-link.
/// - `permutations`: conditional permutations per area (0 = none).
/// - `seed`: seed of the permutations.
///
/// # Returns
/// One [`LocalG`] per area, in area order; never NaN or ±∞.
///
/// # Panics
/// When `y` and `w` differ in length.
///
/// # Example
/// Hand check, Gi*: path 0–1–2–3, y = 1, 2, 3, 4, binary: G_0* = (1 + 2)/10 = 0.3 with
/// EG_0 = 2/4; G_1* = (1 + 2 + 3)/10 = 0.6 with EG_1 = 3/4.
/// ```
/// use wijkbalans::spread::{local_g, SpatialWeights, Transform};
/// let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1, 3], vec![2]]);
/// let gi = local_g(&[1.0, 2.0, 3.0, 4.0], &w, true, Transform::Binary, 0, 1);
/// assert!((gi[0].g.value.unwrap() - 0.3).abs() < 1e-12);
/// assert_eq!(gi[0].g.expected, Some(0.5));
/// assert!((gi[1].g.value.unwrap() - 0.6).abs() < 1e-12);
/// ```
pub fn local_g(
    y: &[f64],
    w: &SpatialWeights,
    star: bool,
    transform: Transform,
    permutations: usize,
    seed: u64,
) -> Vec<LocalG> {
    local_g_with(y, w, star, transform, Draws { permutations, seed }, &Silent)
}

/// [`local_g`], reporting `permutations` items per area to `progress`.
pub(crate) fn local_g_with(
    y: &[f64],
    w: &SpatialWeights,
    star: bool,
    transform: Transform,
    draws: Draws,
    progress: &dyn Progress,
) -> Vec<LocalG> {
    run_local(
        LocalGTest::new(y, w, star, transform, draws.permutations),
        draws,
        progress,
    )
}

/// Local G (or Gi*) prepared for its conditional randomisation: the values whose draws make
/// the reference distribution ([`LocalGTest::values`], the raw values) and what each area's
/// result needs. [`local_g_with`] runs the randomisation; the spreading stage runs it once for
/// local Moran and Gi* together (`permutation::conditional_randomisation_many`).
pub(crate) struct LocalGTest<'a> {
    y: &'a [f64],
    w: &'a SpatialWeights,
    star: bool,
    transform: Transform,
    permutations: usize,
    sum: f64,
    sum_sq: f64,
    sizes: Vec<usize>,
}

impl<'a> LocalGTest<'a> {
    /// The test of `y` on `w`, or every area's undefined result (with the reason) when
    /// n < 3, a value is not finite or negative, or all values are equal.
    ///
    /// # Panics
    /// When `y` and `w` differ in length.
    pub(crate) fn new(
        y: &'a [f64],
        w: &'a SpatialWeights,
        star: bool,
        transform: Transform,
        permutations: usize,
    ) -> Result<Self, Vec<LocalG>> {
        let n = y.len();
        check_local(y, w.n(), true).map_err(|reason| vec![LocalG::undefined(reason); n])?;
        Ok(LocalGTest {
            y,
            w,
            star,
            transform,
            permutations,
            sum: y.iter().sum(),
            sum_sq: y.iter().map(|v| v * v).sum(),
            sizes: (0..n).map(|i| w.cardinality(i)).collect(),
        })
    }
}

impl LocalTest for LocalGTest<'_> {
    type Area = LocalG;

    /// The values whose draws make the reference distribution.
    fn values(&self) -> &[f64] {
        self.y
    }

    /// Neighbours per area: the size of each area's draws.
    fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Area `i`'s result from the sums of its draws.
    fn finish(&self, i: usize, sums: &[f64]) -> Self::Area {
        let (y, w, star, sum, sum_sq) = (self.y, self.w, self.star, self.sum, self.sum_sq);
        let n = y.len();
        let k = self.sizes[i];
        if k == 0 && !star {
            return LocalG::undefined(Undefined::Island);
        }
        // the window of area i: its neighbours, plus itself for Gi*
        let links = k + usize::from(star);
        let weight = match self.transform {
            Transform::Binary => 1.0,
            Transform::Row => 1.0 / links as f64,
        };
        let self_weight = if star { weight } else { 0.0 };
        let (denominator, big_n) = if star {
            (sum, n as f64)
        } else {
            (sum - y[i], (n - 1) as f64)
        };
        if denominator == 0.0 {
            return LocalG::undefined(Undefined::ZeroSum);
        }
        let observed = (weight * w.neighbour_sum(i, y) + self_weight * y[i]) / denominator;
        let (own, own_sq) = if star {
            (0.0, 0.0)
        } else {
            (y[i], y[i] * y[i])
        };
        let mean = (sum - own) / big_n;
        let variance = (sum_sq - own_sq) / big_n - mean * mean;
        let card = weight * links as f64;
        let eg = card / big_n;
        let vg = card * (big_n - card) / (big_n - 1.0) / (big_n * big_n) * variance / (mean * mean);
        let z = if variance <= 1e-12 * mean * mean {
            Err(Undefined::ZeroVariance)
        } else if vg <= 0.0 {
            // c_i = N: binary weights and the area neighbours every other area
            Err(Undefined::NeighboursAllOthers)
        } else {
            Ok((observed - eg) / vg.sqrt())
        };
        let reference: Result<Reference, Undefined> = if k == 0 {
            Err(Undefined::Island)
        } else if k >= n - 1 {
            Err(Undefined::NeighboursAllOthers)
        } else if self.permutations == 0 {
            Err(Undefined::NoPermutations)
        } else {
            let sims: Vec<f64> = sums
                .iter()
                .map(|s| (weight * s + self_weight * y[i]) / denominator)
                .collect();
            summarise(observed, &sims)
        };
        let undefined_reason = z.as_ref().err().or(reference.as_ref().err()).cloned();
        let (z, reference) = (z.ok(), reference.ok());
        LocalG {
            g: GMoments {
                value: Some(observed),
                expected: Some(eg),
                variance: Some(vg.max(0.0)),
            },
            z,
            p_norm: z.map(|z| normal_sf(z.abs())),
            sim: Inference::of(reference),
            undefined_reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, rate};
    use crate::spread::weights::tests::grid3x3;
    use crate::spread::weights::Contiguity;
    use approx::assert_relative_eq;

    fn queen() -> SpatialWeights {
        SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None)
    }

    #[test]
    fn appendix_a_global() {
        let g = global_g(&rate(), &queen(), 0, 0);
        assert_appendix(g.g.value.unwrap(), 0.6545698661);
        assert_appendix(g.g.expected.unwrap(), 0.5555555556);
        assert_appendix(g.g.variance.unwrap(), 0.0121490107);
        assert_appendix(g.z_norm.unwrap(), 0.8983126383);
        assert_appendix(g.p_norm.unwrap(), 0.1845094483);
    }

    #[test]
    fn appendix_a_gi_row() {
        let gs = [
            0.131051, 0.157559, 0.175274, 0.126238, 0.125, 0.150766, 0.143585, 0.111209, 0.165417,
        ];
        let zs = [
            0.059007, 0.37338, 0.499243, 0.014652, 0.0, 0.263652, 0.201347, -0.139507, 0.454385,
        ];
        let gi = local_g(&rate(), &queen(), false, Transform::Row, 0, 0);
        for (area, (g, z)) in gi.iter().zip(gs.iter().zip(zs)) {
            // the appendix prints 6 decimals
            assert_relative_eq!(area.g.value.unwrap(), *g, epsilon = 5e-7);
            assert_relative_eq!(area.g.expected.unwrap(), 0.125, max_relative = 1e-12);
            assert_relative_eq!(area.z.unwrap(), z, epsilon = 5e-7);
        }
    }

    #[test]
    fn appendix_a_gi_star_binary() {
        let gs = [
            0.478065, 0.79522, 0.631978, 0.639792, 1.0, 0.776792, 0.46489, 0.601224, 0.517937,
        ];
        let (c, e) = (4.0 / 9.0, 2.0 / 3.0);
        let egs = [c, e, c, e, 1.0, e, c, e, c];
        let gi = local_g(&rate(), &queen(), true, Transform::Binary, 0, 0);
        for (area, (g, eg)) in gi.iter().zip(gs.iter().zip(egs)) {
            assert_relative_eq!(area.g.value.unwrap(), *g, epsilon = 5e-7);
            assert_relative_eq!(area.g.expected.unwrap(), eg, max_relative = 1e-12);
        }
        // the centre neighbours every other cell: VG = 0, esda's Z = −inf
        assert_eq!(gi[4].z, None);
        assert_eq!(gi[4].p_norm, None);
        assert_eq!(gi[4].g.variance, Some(0.0));
        assert_eq!(gi[4].undefined_reason, Some(Undefined::NeighboursAllOthers));
        assert!(gi.iter().enumerate().all(|(i, a)| i == 4 || a.z.is_some()));
    }

    #[test]
    fn serialises_with_the_esda_names_in_order() {
        let keys = |json: serde_json::Value| -> Vec<String> {
            json.as_object().unwrap().keys().cloned().collect()
        };
        let g = serde_json::to_value(global_g(&rate(), &queen(), 9, 1)).unwrap();
        assert!(g["EG_sim"].is_f64() && g["seG_sim"].is_f64());
        assert_eq!(
            keys(g),
            [
                "G",
                "EG",
                "VG",
                "z_norm",
                "p_norm",
                "p_sim",
                "EG_sim",
                "seG_sim",
                "z_sim",
                "permutations",
                "seed",
                "n",
                "undefined_reason"
            ]
        );
        let gi = local_g(&rate(), &queen(), true, Transform::Binary, 9, 1);
        assert_eq!(
            keys(serde_json::to_value(&gi[0]).unwrap()),
            [
                "G",
                "EG",
                "VG",
                "Z",
                "p_norm",
                "p_sim",
                "EG_sim",
                "seG_sim",
                "z_sim",
                "undefined_reason"
            ]
        );
    }

    #[test]
    fn degenerate_inputs() {
        let w = queen();
        let g = global_g(&[0.0; 9], &w, 9, 0);
        assert_eq!(g.undefined_reason, Some(Undefined::FewerThanTwoPositive));
        let mut one = [0.0; 9];
        one[2] = 4.0;
        assert_eq!(
            global_g(&one, &w, 9, 0).undefined_reason,
            Some(Undefined::FewerThanTwoPositive)
        );
        let mut negative = rate();
        negative[0] = -1.0;
        assert!(matches!(
            global_g(&negative, &w, 9, 0).undefined_reason,
            Some(Undefined::NegativeValue { area: 0, .. })
        ));
        assert!(local_g(&negative, &w, true, Transform::Binary, 9, 0)
            .iter()
            .all(|a| a.g.value.is_none()));
        assert!(local_g(&[2.0; 9], &w, true, Transform::Binary, 9, 0)
            .iter()
            .all(|a| a.undefined_reason == Some(Undefined::ZeroVariance)));
    }

    #[test]
    fn islands() {
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1], vec![]]);
        let y = [1.0, 5.0, 2.0, 9.0];
        let gi = local_g(&y, &w, false, Transform::Row, 99, 1);
        assert_eq!(gi[3], LocalG::undefined(Undefined::Island));
        let star = local_g(&y, &w, true, Transform::Binary, 99, 1);
        assert_relative_eq!(star[3].g.value.unwrap(), 9.0 / 17.0);
        assert!(star[3].z.is_some());
        assert_eq!(star[3].sim.p_sim, None);
        assert_eq!(star[3].undefined_reason, Some(Undefined::Island));
    }
}
