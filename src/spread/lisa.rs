//! Local Moran's I (LISA) with conditional randomisation.

use serde::Serialize;

use super::permutation::{run_local, summarise, Draws, Inference, LocalTest, MoranI, Reference};
use super::undefined::{check_local, Undefined};
use super::weights::{SpatialWeights, Transform};
use crate::progress::{Progress, Silent};

/// Label of an area whose LISA p-value is not below alpha.
pub const NOT_SIGNIFICANT: &str = "niet significant";

/// Moran scatterplot quadrant of an area (esda convention, `geoda_quads=False`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Quadrant {
    /// 1: high value, high neighbours (z > 0, lag > 0).
    HH,
    /// 2: low value, high neighbours (z ≤ 0, lag > 0).
    LH,
    /// 3: low value, low neighbours (z ≤ 0, lag ≤ 0).
    LL,
    /// 4: high value, low neighbours (z > 0, lag ≤ 0).
    HL,
}

impl Quadrant {
    /// esda's quadrant code q: 1 HH, 2 LH, 3 LL, 4 HL.
    pub fn code(self) -> u8 {
        match self {
            Quadrant::HH => 1,
            Quadrant::LH => 2,
            Quadrant::LL => 3,
            Quadrant::HL => 4,
        }
    }

    /// "HH", "LH", "LL" or "HL".
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::HH => "HH",
            Quadrant::LH => "LH",
            Quadrant::LL => "LL",
            Quadrant::HL => "HL",
        }
    }

    /// The quadrant of a standardised value `z` and its spatial lag.
    pub fn of(z: f64, lag: f64) -> Self {
        match (z > 0.0, lag > 0.0) {
            (true, true) => Quadrant::HH,
            (false, true) => Quadrant::LH,
            (false, false) => Quadrant::LL,
            (true, false) => Quadrant::HL,
        }
    }
}

/// Local Moran statistics of one area. Field names serialise as in esda (`I`, `EI`, `VI`, …).
/// Every `None` is explained by `undefined_reason`: if `I` is `None` all fields are; otherwise
/// only the permutation fields can be `None`.
///
/// `Default` is every statistic `None` without a reason: the base that
/// [`LocalMoran::undefined`] fills in.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LocalMoran {
    /// I_i.
    #[serde(rename = "I")]
    pub i: Option<f64>,
    /// Moran scatterplot quadrant.
    pub quadrant: Option<Quadrant>,
    /// E(I_i) under total randomisation (Sokal et al. 1998).
    #[serde(rename = "EI")]
    pub ei: Option<f64>,
    /// Var(I_i) under total randomisation (Sokal et al. 1998).
    #[serde(rename = "VI")]
    pub vi: Option<f64>,
    /// Inference from conditional randomisation: `p_sim`, the mean `EI_sim` and standard
    /// deviation `seI_sim` of I_i over the permutations, and `z_sim` = (I_i − EI_sim)/seI_sim.
    #[serde(flatten)]
    pub sim: Inference<MoranI>,
    /// Why fields are `None`; `None` when everything is defined.
    pub undefined_reason: Option<Undefined>,
}

impl LocalMoran {
    /// An area with every statistic undefined for `reason`.
    pub fn undefined(reason: Undefined) -> Self {
        LocalMoran {
            undefined_reason: Some(reason),
            ..Default::default()
        }
    }

    /// The cluster label: the quadrant ("HH", "LH", "LL", "HL") when p_sim < `alpha`, else
    /// [`NOT_SIGNIFICANT`]; `None` when the quadrant or p_sim is undefined.
    /// (esda `get_cluster_labels(crit_value=alpha)`, with Dutch wording.)
    pub fn label(&self, alpha: f64) -> Option<&'static str> {
        let (quadrant, p) = (self.quadrant?, self.sim.p_sim?);
        Some(if p < alpha {
            quadrant.label()
        } else {
            NOT_SIGNIFICANT
        })
    }
}

/// Local Moran's I per area (LISA), with Sokal's analytic moments and a seeded conditional
/// randomisation test.
///
/// z_i = (y_i − ȳ)/sd(y) (ddof 0);  I_i = (n − 1)·z_i·(Wz)_i / Σ_j z_j².
/// Total randomisation (Sokal, Oden & Thomson 1998): EI_i = −w_i./(n − 1);
/// VI_i = w_i(2)(n − b2)/(n − 1) + (w_i.² − w_i(2))(2b2 − n)/((n − 1)(n − 2)) − EI_i²,
/// w_i. = Σ_j w_ij, w_i(2) = Σ_j w_ij², b2 = m4/m2².
/// Conditional randomisation: per permutation, k_i values are drawn without replacement from
/// the other n − 1 z's (esda's one draw matrix shared by all areas, see
/// `permutation::conditional_randomisation_many`); I_sim = (n − 1)/Σz² · z_i · Σ_j w_ij z_draw_j. p_sim follows esda 2.9's
/// default ("directed"): larger = #(sim ≥ I_i), folded to the smaller tail,
/// p = (larger + 1)/(perm + 1). Quadrants: 1 HH, 2 LH, 3 LL, 4 HL.
///
/// Reference: Anselin (1995), "Local indicators of spatial association — LISA", Geographical
/// Analysis 27(2), doi:10.1111/j.1538-4632.1995.tb00338.x; Sokal, Oden & Thomson (1998),
/// doi:10.1111/j.1538-4632.1998.tb00396.x; implementation
/// `pysal/esda@11450be3:esda/moran.py` (`Moran_Local`) and `esda/crand.py`.
/// Units: dimensionless; CRS-independent.
///
/// Deviations from esda: an island gets no statistic ([`Undefined::Island`]); esda reports
/// I_i = 0 and, because every simulated value is 0 too, p_sim = 1/(perm + 1), which would
/// label it significant. An area whose neighbours are all other areas (or whose draws all
/// give I_i) gets no p_sim ([`Undefined::NeighboursAllOthers`], [`Undefined::DegenerateNull`]);
/// esda's value there depends on rounding. The rows of the draw matrix that all areas share
/// come from seeded ChaCha8 streams, one per permutation (esda: numpy's generator), and
/// near-ties count as ≥ I_i (docs/METHOD.md §3.9).
///
/// # Parameters
/// - `y`: one value per area in area order; drop undefined areas first with
///   [`SpatialWeights::subset`].
/// - `w`: contiguity weights in the same order.
/// - `transform`: [`Transform::Row`] (esda default "r") or [`Transform::Binary`].
/// - `permutations`: conditional permutations per area (esda default 999; 0 = none).
/// - `seed`: seed of the permutations.
///
/// # Returns
/// One [`LocalMoran`] per area, in area order. All `None` (with the reason) when n < 3, a value
/// is not finite or all values are equal. Never NaN.
///
/// # Panics
/// When `y` and `w` differ in length.
///
/// # Example
/// Hand check: path 0–1–2–3, y = 1, 2, 3, 4, row-standardised: z = (−3, −1, 1, 3)/√5,
/// Wz = (−1, −1, 1, 1)/√5, Σz² = 4: I_0 = 3·(3/5)/4 = 0.45, I_1 = 3·(1/5)/4 = 0.15.
/// ```
/// use wijkbalans::spread::{local_moran, Quadrant, SpatialWeights, Transform};
/// let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1, 3], vec![2]]);
/// let lisa = local_moran(&[1.0, 2.0, 3.0, 4.0], &w, Transform::Row, 0, 1);
/// assert!((lisa[0].i.unwrap() - 0.45).abs() < 1e-12);
/// assert!((lisa[1].i.unwrap() - 0.15).abs() < 1e-12);
/// assert_eq!(lisa[0].quadrant, Some(Quadrant::LL));
/// assert_eq!(lisa[3].quadrant, Some(Quadrant::HH));
/// ```
pub fn local_moran(
    y: &[f64],
    w: &SpatialWeights,
    transform: Transform,
    permutations: usize,
    seed: u64,
) -> Vec<LocalMoran> {
    local_moran_with(y, w, transform, Draws { permutations, seed }, &Silent)
}

/// [`local_moran`], reporting `permutations` items per area to `progress`.
pub(crate) fn local_moran_with(
    y: &[f64],
    w: &SpatialWeights,
    transform: Transform,
    draws: Draws,
    progress: &dyn Progress,
) -> Vec<LocalMoran> {
    run_local(
        LocalMoranTest::new(y, w, transform, draws.permutations),
        draws,
        progress,
    )
}

/// Local Moran prepared for its conditional randomisation: the statistic and its moments per
/// area, and the values ([`LocalMoranTest::values`], the z-scores) whose draws make the
/// reference distribution. [`local_moran_with`] runs the randomisation; the spreading stage
/// runs it once for local Moran and Gi* together
/// (`permutation::conditional_randomisation_many`).
pub(crate) struct LocalMoranTest<'a> {
    w: &'a SpatialWeights,
    transform: Transform,
    permutations: usize,
    z: Vec<f64>,
    lag: Vec<f64>,
    den: f64,
    b2: f64,
    scaling: f64,
    sizes: Vec<usize>,
}

impl<'a> LocalMoranTest<'a> {
    /// The test of `y` on `w`, or every area's undefined result (with the reason) when
    /// n < 3, a value is not finite or all values are equal.
    ///
    /// # Panics
    /// When `y` and `w` differ in length.
    pub(crate) fn new(
        y: &[f64],
        w: &'a SpatialWeights,
        transform: Transform,
        permutations: usize,
    ) -> Result<Self, Vec<LocalMoran>> {
        let n = y.len();
        check_local(y, w.n(), false).map_err(|reason| vec![LocalMoran::undefined(reason); n])?;
        let nf = n as f64;
        let mean = y.iter().sum::<f64>() / nf;
        let sd = (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / nf).sqrt();
        let z: Vec<f64> = y.iter().map(|v| (v - mean) / sd).collect();
        let den: f64 = z.iter().map(|v| v * v).sum();
        let lag = w.lag(&z, transform);
        let m2 = den / nf;
        let b2 = (z.iter().map(|v| v.powi(4)).sum::<f64>() / nf) / (m2 * m2);
        let scaling = (nf - 1.0) / den;
        let sizes: Vec<usize> = (0..n).map(|i| w.cardinality(i)).collect();
        Ok(LocalMoranTest {
            w,
            transform,
            permutations,
            z,
            lag,
            den,
            b2,
            scaling,
            sizes,
        })
    }
}

impl LocalTest for LocalMoranTest<'_> {
    type Area = LocalMoran;

    /// The values whose draws make the reference distribution (the z-scores).
    fn values(&self) -> &[f64] {
        &self.z
    }

    /// Neighbours per area: the size of each area's draws.
    fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Area `i`'s result from the sums of its draws.
    fn finish(&self, i: usize, sums: &[f64]) -> Self::Area {
        let (z, lag, den, b2) = (&self.z, &self.lag, self.den, self.b2);
        let n = z.len();
        let nf = n as f64;
        let k = self.sizes[i];
        if k == 0 {
            return LocalMoran::undefined(Undefined::Island);
        }
        let weight = self.w.row_weight(i, self.transform);
        let observed = (nf - 1.0) * z[i] * lag[i] / den;
        let (wi, wi2) = (weight * k as f64, weight * weight * k as f64);
        let ei = -wi / (nf - 1.0);
        let vi = wi2 * (nf - b2) / (nf - 1.0)
            + (wi * wi - wi2) * (2.0 * b2 - nf) / ((nf - 1.0) * (nf - 2.0))
            - ei * ei;
        let reference: Result<Reference, Undefined> = if k >= n - 1 {
            Err(Undefined::NeighboursAllOthers)
        } else if self.permutations == 0 {
            Err(Undefined::NoPermutations)
        } else {
            let sims: Vec<f64> = sums
                .iter()
                .map(|s| self.scaling * z[i] * weight * s)
                .collect();
            summarise(observed, &sims)
        };
        let undefined_reason = reference.as_ref().err().cloned();
        let reference = reference.ok();
        LocalMoran {
            i: Some(observed),
            quadrant: Some(Quadrant::of(z[i], lag[i])),
            ei: Some(ei),
            vi: Some(vi),
            sim: Inference::of(reference),
            undefined_reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spread::single_group::tests::rate;
    use crate::spread::weights::tests::grid3x3;
    use crate::spread::weights::Contiguity;
    use approx::assert_relative_eq;

    fn queen_lisa(permutations: usize) -> Vec<LocalMoran> {
        let w = SpatialWeights::contiguity(&grid3x3(), Contiguity::Queen, None);
        local_moran(&rate(), &w, Transform::Row, permutations, 7)
    }

    #[test]
    fn appendix_a() {
        let expected_i = [
            0.00585, -0.394674, 0.355911, -0.135449, -0.450679, -0.057784, -0.154561, 0.013284,
            -0.406667,
        ];
        let expected_q = [1, 2, 1, 2, 4, 2, 2, 3, 2];
        let expected_vi = [0.208161, 0.089618, 0.208161, 0.089618, 0.022937];
        let lisa = queen_lisa(0);
        for (a, (i, q)) in lisa.iter().zip(expected_i.iter().zip(expected_q)) {
            // the appendix prints 6 decimals
            assert_relative_eq!(a.i.unwrap(), *i, epsilon = 5e-7);
            assert_eq!(a.quadrant.unwrap().code(), q);
            assert_relative_eq!(a.ei.unwrap(), -0.125, max_relative = 1e-12);
        }
        for (a, vi) in lisa.iter().zip(expected_vi) {
            assert_relative_eq!(a.vi.unwrap(), vi, epsilon = 5e-7);
        }
    }

    #[test]
    fn centre_cell_has_no_pseudo_p() {
        let lisa = queen_lisa(99);
        assert_eq!(lisa[4].sim.p_sim, None);
        assert_eq!(
            lisa[4].undefined_reason,
            Some(Undefined::NeighboursAllOthers)
        );
        assert!(lisa[4].i.is_some());
        assert!(lisa
            .iter()
            .enumerate()
            .all(|(i, a)| i == 4 || a.sim.p_sim.is_some()));
    }

    #[test]
    fn serialises_with_the_esda_names_in_order() {
        let json = serde_json::to_value(&queen_lisa(9)[0]).unwrap();
        let keys = crate::spread::tests::json_keys(&json);
        assert_eq!(
            keys,
            [
                "I",
                "quadrant",
                "EI",
                "VI",
                "p_sim",
                "EI_sim",
                "seI_sim",
                "z_sim",
                "undefined_reason"
            ]
        );
    }

    #[test]
    fn labels() {
        let mut area = queen_lisa(99)[0].clone();
        area.sim.p_sim = Some(0.01);
        assert_eq!(area.label(0.05), Some("HH"));
        area.sim.p_sim = Some(0.05);
        assert_eq!(area.label(0.05), Some(NOT_SIGNIFICANT));
        area.sim.p_sim = None;
        assert_eq!(area.label(0.05), None);
    }

    #[test]
    fn islands_and_equal_values() {
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1], vec![]]);
        let lisa = local_moran(&[1.0, 5.0, 2.0, 9.0], &w, Transform::Row, 99, 1);
        assert_eq!(lisa[3], LocalMoran::undefined(Undefined::Island));
        assert!(lisa[0].i.is_some());
        let flat = local_moran(&[3.0; 4], &w, Transform::Row, 99, 1);
        assert!(flat
            .iter()
            .all(|a| a.undefined_reason == Some(Undefined::ZeroVariance) && a.i.is_none()));
    }

    #[test]
    fn value_at_the_mean_has_a_degenerate_null() {
        // z_1 = 0: every simulated I_1 is 0
        let w = SpatialWeights::from_neighbours(vec![vec![1], vec![0, 2], vec![1, 3], vec![2]]);
        let lisa = local_moran(&[1.0, 2.0, 3.0, 2.0], &w, Transform::Row, 99, 1);
        assert_eq!(lisa[1].i, Some(0.0));
        assert_eq!(lisa[1].undefined_reason, Some(Undefined::DegenerateNull));
    }
}
