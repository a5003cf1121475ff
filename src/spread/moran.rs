//! Global Moran's I.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

use super::permutation::{permuted_statistics, summarise, Draws, Inference, MoranI};
use super::undefined::{check_values, check_variance, Undefined};
use super::weights::{SpatialWeights, Transform};
use crate::progress::{Progress, Silent};

/// Global Moran's I with its analytic and permutation inference. Field names serialise as in
/// esda (`I`, `EI`, `VI_norm`, …). Every `None` is explained by `undefined_reason`.
///
/// `Default` is every statistic `None` without a reason, for n = 0 and the default
/// [`Draws`]: the base that [`GlobalMoran::undefined`] fills in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GlobalMoran {
    /// Moran's I.
    #[serde(rename = "I")]
    pub i: Option<f64>,
    /// E(I) = −1/(n − 1).
    #[serde(rename = "EI")]
    pub ei: Option<f64>,
    /// Var(I) under normality.
    #[serde(rename = "VI_norm")]
    pub vi_norm: Option<f64>,
    /// Var(I) under randomisation.
    #[serde(rename = "VI_rand")]
    pub vi_rand: Option<f64>,
    /// (I − EI)/√VI_norm.
    pub z_norm: Option<f64>,
    /// (I − EI)/√VI_rand.
    pub z_rand: Option<f64>,
    /// Two-tailed p-value of `z_norm`.
    pub p_norm: Option<f64>,
    /// Two-tailed p-value of `z_rand`.
    pub p_rand: Option<f64>,
    /// Permutation inference: `p_sim` (one-sided, in the observed direction), the mean
    /// `EI_sim` and standard deviation `seI_sim` of I over the permutations, and
    /// `z_sim` = (I − EI_sim)/seI_sim.
    #[serde(flatten)]
    pub sim: Inference<MoranI>,
    /// Number of permutations asked for and their seed.
    #[serde(flatten)]
    pub draws: Draws,
    /// Number of areas in the statistic.
    pub n: usize,
    /// Why fields are `None` (the first reason met); `None` when everything is defined.
    pub undefined_reason: Option<Undefined>,
}

impl GlobalMoran {
    /// A result with every statistic undefined for `reason`.
    pub fn undefined(reason: Undefined, n: usize, draws: Draws) -> Self {
        GlobalMoran {
            draws,
            n,
            undefined_reason: Some(reason),
            ..Default::default()
        }
    }
}

/// Global Moran's I of values over areas, with analytic moments and a seeded permutation test.
///
/// z = y − ȳ;  I = (n/S0) · Σ_i z_i (Wz)_i / Σ_i z_i²;  EI = −1/(n − 1);
/// VI_norm = (n²S1 − nS2 + 3S0²)/((n − 1)(n + 1)S0²) − EI²;
/// VI_rand = (A − B)/((n − 1)(n − 2)(n − 3)S0²) − EI² with k = (Σz⁴/n)/(Σz²/n)²,
/// A = n[(n² − 3n + 3)S1 − nS2 + 3S0²], B = k[(n² − n)S1 − 2nS2 + 6S0²].
/// z = (I − EI)/√VI, p_norm two-tailed. Permutations: full random permutations of z;
/// larger = #(sim ≥ I), folded to the smaller tail, p_sim = (larger + 1)/(perm + 1);
/// EI_sim, seI_sim (ddof 0), z_sim as esda. I > EI: similar values cluster; I < EI: neighbours
/// differ.
///
/// Reference: Cliff & Ord (1981), *Spatial Processes*; implementation
/// `pysal/esda@11450be3:esda/moran.py` (`Moran`). Units: dimensionless; CRS-independent.
///
/// Deviations: permutations use a ChaCha8 stream per permutation from `seed` (esda uses the
/// global numpy RNG), so p_sim differs from esda's by Monte Carlo noise only; near-ties with I
/// count as ≥ I (see `permutation::TIE_TOLERANCE`).
///
/// # Parameters
/// - `y`: one value per area in area order (e.g. care units per 1,000 inhabitants); drop
///   undefined areas first with [`SpatialWeights::subset`].
/// - `w`: contiguity weights in the same order.
/// - `transform`: [`Transform::Row`] (esda default "r") or [`Transform::Binary`].
/// - `permutations`: number of permutations (esda default 999; 0 = none).
/// - `seed`: seed of the permutations.
///
/// # Returns
/// All statistics `None` with a reason when n < 4, a value is not finite, all values are
/// equal, or no area has a neighbour. z-scores are `None` when their variance is 0, the
/// permutation fields when `permutations` = 0 or every permutation gives I. Never NaN.
///
/// # Panics
/// When `y` and `w` differ in length.
///
/// # Example
/// Hand check: a path 0–1–2–3 with y = 1, 2, 3, 4, row-standardised: z = (−1.5, −0.5, 0.5,
/// 1.5), Wz = (−0.5, −0.5, 0.5, 0.5), Σ z·Wz = 2, Σz² = 5, S0 = 4: I = (4/4)·2/5 = 0.4.
/// ```
/// use wijkbalans::spread::{global_moran, SpatialWeights, Transform};
/// let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1, 3], vec![2]]);
/// let m = global_moran(&[1.0, 2.0, 3.0, 4.0], &w, Transform::Row, 99, 1);
/// assert!((m.i.unwrap() - 0.4).abs() < 1e-12);
/// assert!((m.ei.unwrap() + 1.0 / 3.0).abs() < 1e-12);
/// ```
pub fn global_moran(
    y: &[f64],
    w: &SpatialWeights,
    transform: Transform,
    permutations: usize,
    seed: u64,
) -> GlobalMoran {
    global_moran_with(y, w, transform, Draws { permutations, seed }, &Silent)
}

/// [`global_moran`], reporting n items per permutation to `progress`.
pub(crate) fn global_moran_with(
    y: &[f64],
    w: &SpatialWeights,
    transform: Transform,
    draws: Draws,
    progress: &dyn Progress,
) -> GlobalMoran {
    assert_eq!(
        y.len(),
        w.n(),
        "one value per area of the weights is needed"
    );
    let n = y.len();
    let undefined = |reason| GlobalMoran::undefined(reason, n, draws);
    if n < 4 {
        return undefined(Undefined::TooFewAreas { n, min: 4 });
    }
    if let Err(reason) = check_values(y, false).and_then(|_| check_variance(y)) {
        return undefined(reason);
    }
    let (s0, s1, s2) = (w.s0(transform), w.s1(transform), w.s2(transform));
    if s0 == 0.0 {
        return undefined(Undefined::NoNeighbours);
    }

    let nf = n as f64;
    let mean = y.iter().sum::<f64>() / nf;
    let z: Vec<f64> = y.iter().map(|v| v - mean).collect();
    let z2ss: f64 = z.iter().map(|v| v * v).sum();
    let row_weights: Vec<f64> = (0..n).map(|i| w.row_weight(i, transform)).collect();
    let statistic = |z: &[f64]| {
        let cross: f64 = (0..n)
            .map(|i| z[i] * row_weights[i] * w.neighbour_sum(i, z))
            .sum();
        nf / s0 * cross / z2ss
    };
    let i = statistic(&z);

    let ei = -1.0 / (nf - 1.0);
    let s02 = s0 * s0;
    let vi_norm = (nf * nf * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02) - ei * ei;
    let kurtosis = (z.iter().map(|v| v.powi(4)).sum::<f64>() / nf) / (z2ss / nf).powi(2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = kurtosis * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let vi_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - ei * ei;

    let z_score = |variance: f64| (variance > 0.0).then(|| (i - ei) / variance.sqrt());
    let (z_norm, z_rand) = (z_score(vi_norm), z_score(vi_rand));
    let reference = summarise(
        i,
        &permuted_statistics(&z, draws.permutations, draws.seed, statistic, progress),
    );
    let undefined_reason = if z_norm.is_none() || z_rand.is_none() {
        Some(Undefined::ZeroVarianceOfStatistic)
    } else {
        reference.as_ref().err().cloned()
    };
    GlobalMoran {
        i: Some(i),
        ei: Some(ei),
        vi_norm: Some(vi_norm),
        vi_rand: Some(vi_rand),
        z_norm,
        z_rand,
        p_norm: z_norm.map(two_tailed_p),
        p_rand: z_rand.map(two_tailed_p),
        sim: Inference::of(reference.ok()),
        draws,
        n,
        undefined_reason,
    }
}

/// Standard normal upper tail probability P(Z > z).
pub(crate) fn normal_sf(z: f64) -> f64 {
    Normal::standard().sf(z)
}

/// Two-tailed normal p-value 2·P(Z > |z|).
pub(crate) fn two_tailed_p(z: f64) -> f64 {
    2.0 * normal_sf(z.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::{assert_appendix, rate};
    use crate::spread::weights::tests::grid3x3;
    use crate::spread::weights::Contiguity;
    use approx::assert_relative_eq;

    #[test]
    fn appendix_a_queen() {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        let m = global_moran(&rate(), &w, Transform::Row, 0, 0);
        assert_appendix(m.i.unwrap(), -0.1530963502);
        assert_relative_eq!(m.ei.unwrap(), -0.125, max_relative = 1e-12);
        assert_appendix(m.vi_norm.unwrap(), 0.0208626543);
        assert_appendix(m.vi_rand.unwrap(), 0.0206207857);
        assert_appendix(m.z_norm.unwrap(), -0.1945203874);
        assert_appendix(m.z_rand.unwrap(), -0.1956578615);
        assert_appendix(m.p_norm.unwrap(), 0.8457684338);
        assert_eq!(m.sim.p_sim, None);
        assert_eq!(m.undefined_reason, Some(Undefined::NoPermutations));
    }

    #[test]
    fn serialises_with_the_esda_names_in_order() {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        let json = serde_json::to_value(global_moran(&rate(), &w, Transform::Row, 9, 1)).unwrap();
        let keys = crate::spread::tests::json_keys(&json);
        let esda = [
            "I", "EI", "VI_norm", "VI_rand", "z_norm", "z_rand", "p_norm", "p_rand", "p_sim",
            "EI_sim", "seI_sim", "z_sim",
        ];
        assert_eq!(keys[..12], esda);
        assert_eq!(
            keys[12..],
            ["permutations", "seed", "n", "undefined_reason"]
        );
        assert!(json["EI_sim"].is_f64() && json["z_sim"].is_f64());
    }

    #[test]
    fn appendix_a_rook() {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Rook, None);
        let m = global_moran(&rate(), &w, Transform::Row, 0, 0);
        assert_appendix(m.i.unwrap(), -0.4098763817);
        assert_appendix(m.vi_norm.unwrap(), 0.0572145062);
        assert_appendix(m.vi_rand.unwrap(), 0.0564114414);
        assert_appendix(m.z_norm.unwrap(), -1.1909769812);
    }

    #[test]
    fn permutations_are_seeded() {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        let a = global_moran(&rate(), &w, Transform::Row, 199, 3);
        let b = global_moran(&rate(), &w, Transform::Row, 199, 3);
        assert_eq!(a, b);
        assert!(a.undefined_reason.is_none());
        let p = a.sim.p_sim.unwrap();
        assert!(p > 0.0 && p <= 0.5 + 1.0 / 200.0);
    }

    #[test]
    fn equal_values_are_undefined_not_nan() {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        let m = global_moran(&[0.7; 9], &w, Transform::Row, 99, 0);
        assert_eq!(m.i, None);
        assert_eq!(m.undefined_reason, Some(Undefined::ZeroVariance));
        let json = serde_json::to_string(&m).unwrap();
        assert!(json.contains(r#""I":null"#) && !json.contains("NaN"));
    }

    #[test]
    fn degenerate_inputs() {
        let w = SpatialWeights::from_neighbours(vec![vec![], vec![], vec![], vec![]]);
        let m = global_moran(&[1.0, 2.0, 3.0, 4.0], &w, Transform::Row, 9, 0);
        assert_eq!(m.undefined_reason, Some(Undefined::NoNeighbours));
        let w3 = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1]]);
        let m = global_moran(&[1.0, 2.0, 3.0], &w3, Transform::Row, 9, 0);
        assert_eq!(
            m.undefined_reason,
            Some(Undefined::TooFewAreas { n: 3, min: 4 })
        );
    }
}
