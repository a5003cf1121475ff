//! What [`crate::spread::compute`] returns: study-level values, one record per area and one per
//! site, all `serde::Serialize`, in input order, with an explicit reason for every `None`.

use std::collections::BTreeMap;

use serde::Serialize;

use super::clark_evans::ClarkEvans;
use super::getis_ord::GlobalG;
use super::metric_set::MetricFamily;
use super::moran::GlobalMoran;
use super::undefined::{Scalar, Undefined};
use super::weights::{Contiguity, SpatialWeights};

/// Everything [`crate::spread::compute`] computes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpreadResult {
    /// Study-level (municipality-level) values.
    pub study: StudySpreading,
    /// One record per area, in input area order.
    pub per_area: Vec<AreaSpreading>,
    /// One record per site, in input site order.
    pub per_site: Vec<SiteSpreading>,
}

/// Study-level spreading metrics. A family that was not requested has every value `None` with
/// the reason "not requested in the metric set".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StudySpreading {
    /// The metric families that were computed.
    pub metrics: Vec<MetricFamily>,
    /// Index of dissimilarity D of care units against the reference.
    pub dissimilarity: Scalar,
    /// Gini segregation index.
    pub gini: Scalar,
    /// Theil's entropy index H.
    pub theil_h: Scalar,
    /// Isolation index xPx.
    pub isolation: Scalar,
    /// Interaction (exposure) index xPy.
    pub exposure: Scalar,
    /// Correlation ratio V.
    pub correlation_ratio: Scalar,
    /// Atkinson index with its shape parameter b.
    pub atkinson: AtkinsonValue,
    /// Morrill's spatial dissimilarity D(adj), binary contiguity of the chosen kind.
    pub spatial_dissimilarity: Scalar,
    /// Herfindahl–Hirschman index of care units over areas.
    pub hhi: Scalar,
    /// HHI rescaled to [0, 1].
    pub hhi_normalised: Scalar,
    /// 1 / HHI: the effective number of areas carrying the care units.
    pub effective_areas: Scalar,
    /// ½ Σ |c_i/C − a_i/A|: the share of care units that would have to move.
    pub fair_share_dissimilarity: Scalar,
    /// Multigroup indices over the target groups plus the rest of the reference.
    pub multigroup: Multigroup,
    /// Global Moran's I on the care rate and on the saldo.
    pub morans_i: MoransI,
    /// Global Getis–Ord G on the care rate.
    pub getis_ord_g: GlobalG,
    /// Clark–Evans R of all sites.
    pub clark_evans: ClarkEvansSummary,
    /// The contiguity weights used, when a spatial family was computed.
    pub weights: Option<WeightsSummary>,
}

/// The Atkinson index and the b it was computed with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtkinsonValue {
    /// A(b), or `None` when undefined.
    pub value: Option<f64>,
    /// The shape parameter b.
    pub b: f64,
    /// Why `value` is `None`.
    pub undefined_reason: Option<Undefined>,
}

/// Multigroup indices across target groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Multigroup {
    /// Multigroup dissimilarity (Sakoda).
    pub dissimilarity: Scalar,
    /// Multigroup information theory index H.
    pub information_theory_h: Scalar,
    /// The columns used: the target groups in name order, then [`super::REST_GROUP`].
    pub groups: Vec<String>,
}

/// Global Moran's I on the two area values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MoransI {
    /// On care units per 1,000 (areas with an undefined rate left out).
    pub care_units_per_1000: GlobalMoran,
    /// On the balance score (areas with an undefined saldo left out).
    pub saldo: GlobalMoran,
}

/// Where the Clark–Evans window came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowSource {
    /// The window given in the input.
    Given,
    /// The union of the areas with a reference value above 0 (see [`super::Window::union_of`]).
    PopulatedAreas,
}

/// Clark–Evans R with the origin of its window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClarkEvansSummary {
    /// Where the window came from; `None` when not computed.
    pub window_source: Option<WindowSource>,
    /// The statistic.
    #[serde(flatten)]
    pub statistic: ClarkEvans,
}

/// The contiguity weights used by the spatial metrics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeightsSummary {
    /// Queen or Rook.
    pub kind: Contiguity,
    /// Number of areas.
    pub n: usize,
    /// Indices (input area order) of the areas without neighbours.
    pub islands: Vec<usize>,
    /// Mean number of neighbours.
    pub mean_neighbours: f64,
}

impl WeightsSummary {
    /// Summary of `weights` built with `kind`.
    pub fn new(weights: &SpatialWeights, kind: Contiguity) -> Self {
        WeightsSummary {
            kind,
            n: weights.n(),
            islands: weights.islands(),
            mean_neighbours: weights.mean_neighbours(),
        }
    }
}

/// Spreading values of one area. A `None` of a computed family has its reason in
/// `undefined_reasons`, under the key `fair_share_ratio`, `fair_share_gap`, `lisa`, `gi_star`,
/// `saldo_lisa` or `saldo_gi_star`; families that were not requested are `None` without a
/// reason (see [`StudySpreading::metrics`]).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AreaSpreading {
    /// (c_i/a_i)/(C/A).
    pub fair_share_ratio: Option<f64>,
    /// c_i − C·a_i/A, in care units.
    pub fair_share_gap: Option<f64>,
    /// Fair share of every target group, by group name.
    pub fair_share_by_group: BTreeMap<String, GroupFairShare>,
    /// LISA and Gi* of the care rate (care units per 1,000).
    pub rate: LocalSpreading,
    /// LISA and Gi* of the saldo. Gi* is undefined when any saldo is negative: it needs
    /// values ≥ 0.
    pub saldo: LocalSpreading,
    /// Why fields of computed families are `None`, keyed by field or family.
    pub undefined_reasons: BTreeMap<&'static str, Undefined>,
}

/// The local statistics of one area value (the care rate or the saldo) in one area.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LocalSpreading {
    /// Local Moran's I.
    pub local_moran_i: Option<f64>,
    /// Moran scatterplot quadrant: 1 HH, 2 LH, 3 LL, 4 HL.
    pub lisa_quadrant: Option<u8>,
    /// Pseudo p-value of the local Moran's I (conditional randomisation).
    pub lisa_p: Option<f64>,
    /// "HH", "LH", "LL", "HL" when `lisa_p` < alpha, else "niet significant".
    pub lisa_label: Option<&'static str>,
    /// Getis–Ord Gi* (binary weights, self included).
    pub gi_star: Option<f64>,
    /// z-score of Gi* (analytic).
    pub gi_star_z: Option<f64>,
    /// Pseudo p-value of Gi* (conditional randomisation).
    pub gi_star_p: Option<f64>,
    /// One-tailed normal p-value of `gi_star_z`.
    pub gi_star_p_norm: Option<f64>,
}

/// Fair share of one target group in one area (against the same reference).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFairShare {
    /// (u_ig/a_i)/(U_g/A).
    pub ratio: Option<f64>,
    /// u_ig − U_g·a_i/A.
    pub gap: Option<f64>,
    /// Why a field is `None`.
    pub undefined_reason: Option<Undefined>,
}

/// Distances from one site to its nearest neighbours. A `None` of a computed value has its
/// reason in `undefined_reasons` under the field name.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SiteSpreading {
    /// Metres to the nearest other site of any group.
    pub nn_any_m: Option<f64>,
    /// Metres to the nearest other site of the same group.
    pub nn_same_group_m: Option<f64>,
    /// Why a field is `None`, keyed by field name.
    pub undefined_reasons: BTreeMap<&'static str, Undefined>,
}
