//! Spreading and concentration of care housing over areas (wijken): pure metrics engine.
//!
//! Input: plain slices in a fixed area order (the caller sorts areas by area code); output: the
//! same order. This module never opens files, never prints and knows nothing of the CLI, GDAL
//! or file formats. Every value that a formula cannot give (no care units, variance 0, an
//! island, too few areas …) is `None` with an explicit [`Undefined`] reason, never NaN or ±∞.
//! Permutation tests are seeded and give identical results for any number of rayon threads.
//!
//! The caller's entry point is [`compute`]; every metric is also a plain function below.
//! Formulas follow the PySAL reference implementations listed in docs/METHOD.md §3, with the
//! deviations documented on each function.
//!
//! # Example
//! ```
//! use std::collections::BTreeMap;
//! use geo::{polygon, MultiPolygon};
//! use wijkbalans::spread::{compute, SpreadInput, SpreadOptions};
//!
//! let cell = |x: f64| MultiPolygon::new(vec![polygon![
//!     (x: x, y: 0.0), (x: x + 1000.0, y: 0.0), (x: x + 1000.0, y: 1000.0), (x: x, y: 1000.0)]]);
//! let geometries: Vec<_> = (0..4).map(|i| cell(1000.0 * i as f64)).collect();
//! let care_units = [10.0, 0.0, 5.0, 5.0];
//! let reference = [1000.0, 1000.0, 500.0, 1500.0];
//! let rate: Vec<Option<f64>> = (0..4).map(|i| Some(1000.0 * care_units[i] / reference[i])).collect();
//! let input = SpreadInput {
//!     geometries: &geometries,
//!     care_units: Some(&care_units),
//!     reference: &reference,
//!     units_by_group: &BTreeMap::new(),
//!     rate: &rate,
//!     saldo: &[None; 4],
//!     sites: &[],
//!     window: None,
//! };
//! let result = compute(&input, &SpreadOptions::default());
//! assert_eq!(result.per_area[0].fair_share_ratio, Some(2.0));
//! assert_eq!(result.study.hhi.value, Some(0.375));
//! ```

#![deny(missing_docs)]

mod compute;
mod result;
mod single_group;
mod undefined;

/// Which metric families to compute, parsed from `"all"` or a comma-separated list.
pub mod metric_set;
/// Seeded permutation machinery (ChaCha8 streams per permutation or per area) and the
/// [`Inference`] every permutation test reports.
pub mod permutation;
pub use permutation::{Draws, GetisOrdG, Inference, MoranI, Statistic};

/// Contiguity spatial weights (Queen, Rook) from polygons, with S0/S1/S2 and islands.
pub mod weights;
pub use weights::{Contiguity, SpatialWeights, Transform};

/// Index of dissimilarity D.
pub mod dissimilarity;
pub use dissimilarity::dissimilarity;

/// Gini segregation index.
pub mod gini;
pub use gini::gini;

/// Theil's entropy index H.
pub mod theil;
pub use theil::theil_h;

/// Isolation xPx, interaction xPy and the correlation ratio V.
pub mod exposure;
pub use exposure::{correlation_ratio, exposure, isolation};

/// Atkinson index A(b).
pub mod atkinson;
pub use atkinson::atkinson;

/// Morrill's spatial dissimilarity D(adj).
pub mod spatial_dissimilarity;
pub use spatial_dissimilarity::spatial_dissimilarity;

/// Fair-share ratio, gap and dissimilarity per area against a reference.
pub mod fair_share;
pub use fair_share::{fair_share_dissimilarity, fair_share_gap, fair_share_ratio};

/// Herfindahl–Hirschman index, normalised HHI and effective number of areas.
pub mod concentration;
pub use concentration::{effective_areas, hhi, hhi_normalised};

/// Multigroup dissimilarity and information theory index.
pub mod multigroup;
pub use multigroup::{multi_dissimilarity, multi_information_theory};

/// Global Moran's I with analytic and permutation inference.
pub mod moran;
pub use moran::{global_moran, GlobalMoran};

/// Local Moran's I (LISA) with conditional randomisation.
pub mod lisa;
pub use lisa::{local_moran, LocalMoran, Quadrant, NOT_SIGNIFICANT};

/// Global Getis–Ord G and local Gi / Gi*.
pub mod getis_ord;
pub use getis_ord::{global_g, local_g, GMoments, GlobalG, LocalG};

/// Nearest-neighbour distances between sites (any group and same group).
pub mod nearest_neighbour;
pub use nearest_neighbour::{nearest_neighbour_distances, nearest_same_group_distances, SitePoint};

/// Clark–Evans aggregation index R with Donnelly's edge correction.
pub mod clark_evans;
pub use clark_evans::{clark_evans, clark_evans_from_distances, ClarkEvans, Window};

pub use metric_set::{MetricFamily, MetricSet, MetricSetError};
pub use result::{
    AreaSpreading, AtkinsonValue, ClarkEvansSummary, GroupFairShare, LocalSpreading, MoransI,
    Multigroup, SiteSpreading, SpreadResult, StudySpreading, WeightsSummary, WindowSource,
};
pub use undefined::{Scalar, Undefined};

#[cfg(test)]
mod tests;

/// Name of the multigroup column holding the rest of the reference population
/// (reference − Σ target groups).
pub const REST_GROUP: &str = "regulier";

/// The default seed of everything random: the permutation tests of [`SpreadOptions::default`],
/// and the `seed` of a run configuration ([`crate::config::Config`]), which the command line
/// uses for the permutation tests and the synthetic data alike. One value, so that a library
/// user calling [`compute`] with the default options gets the p-values of the command line.
pub const DEFAULT_SEED: u64 = 20_221_115;

/// The default number of permutations of every pseudo p-value, in [`SpreadOptions::default`]
/// and in a run configuration.
pub const DEFAULT_PERMUTATIONS: usize = 999;

/// Everything [`compute`] needs, as plain slices in one fixed area order (sorted by area code
/// by the caller). Every per-area slice has one entry per area.
#[derive(Debug, Clone, Copy)]
pub struct SpreadInput<'a> {
    /// Area polygons in a metric CRS (e.g. EPSG:28992), in area order.
    pub geometries: &'a [geo::MultiPolygon<f64>],
    /// x_i: weighted care units per area; `None` when they are unknown (a study without a
    /// sites layer), not 0: every metric of the care units is then undefined with
    /// [`Undefined::CareUnknown`], and the saldo's are computed as always.
    pub care_units: Option<&'a [f64]>,
    /// t_i: the reference per area (inhabitants by default, or dwellings).
    pub reference: &'a [f64],
    /// Care units per target group, each in area order.
    pub units_by_group: &'a std::collections::BTreeMap<String, Vec<f64>>,
    /// Care units per 1,000 per area; `None` = undefined (left out of Moran, LISA and G).
    pub rate: &'a [Option<f64>],
    /// Balance score (draagkracht − draaglast) per area; `None` = undefined.
    pub saldo: &'a [Option<f64>],
    /// Care sites, in site order.
    pub sites: &'a [SitePoint],
    /// Clark–Evans study window. `None`: the union of the areas with a reference above 0, with
    /// the sum of their areas and the length of their outer border (see [`Window::union_of`]).
    pub window: Option<&'a geo::MultiPolygon<f64>>,
}

/// How [`compute`] runs.
#[derive(Debug, Clone, PartialEq)]
pub struct SpreadOptions {
    /// Queen (default) or Rook contiguity, with exact vertex matching.
    pub contiguity: Contiguity,
    /// Permutations for every pseudo p-value (default [`DEFAULT_PERMUTATIONS`]; 0 = no
    /// permutation tests).
    pub permutations: usize,
    /// Seed of all permutation tests (default [`DEFAULT_SEED`]).
    pub seed: u64,
    /// Significance level of the LISA labels (default 0.05).
    pub alpha: f64,
    /// Atkinson shape parameter b in [0, 1) (default 0.5).
    pub atkinson_b: f64,
    /// Which metric families to compute (default all).
    pub metrics: MetricSet,
}

impl SpreadOptions {
    /// The permutations and seed of every permutation test of the run.
    pub fn draws(&self) -> Draws {
        Draws {
            permutations: self.permutations,
            seed: self.seed,
        }
    }
}

impl Default for SpreadOptions {
    fn default() -> Self {
        SpreadOptions {
            contiguity: Contiguity::Queen,
            permutations: DEFAULT_PERMUTATIONS,
            seed: DEFAULT_SEED,
            alpha: 0.05,
            atkinson_b: 0.5,
            metrics: MetricSet::all(),
        }
    }
}

/// Computes every requested spreading metric for one study.
///
/// - **fair_share**: per area [`fair_share_ratio`] and [`fair_share_gap`] of the care units and
///   of every target group against `reference`; study [`fair_share_dissimilarity`], [`hhi`],
///   [`hhi_normalised`], [`effective_areas`].
/// - **segregation**: [`dissimilarity()`], [`gini()`], [`theil_h`], [`isolation`], [`exposure()`],
///   [`correlation_ratio`], [`atkinson()`] (b = `atkinson_b`) of care units against `reference`;
///   [`spatial_dissimilarity()`] with binary contiguity; [`multi_dissimilarity`] and
///   [`multi_information_theory`] over the target groups plus [`REST_GROUP`] =
///   reference − Σ groups.
/// - **moran**: [`global_moran`] (row-standardised) on `rate` and on `saldo`.
/// - **lisa**: [`local_moran`] (row-standardised) on `rate` and on `saldo`, labelled at `alpha`.
/// - **getis_ord**: [`global_g`] on `rate`; [`local_g`] Gi* (binary, self included) on `rate` and
///   on `saldo` (undefined when a saldo is negative).
/// - **nearest_neighbour**: per site [`nearest_neighbour_distances`] (any group) and
///   [`nearest_same_group_distances`]; [`clark_evans()`] of all sites in `window`.
///
/// Areas whose `rate` (or `saldo`) is `None` or not finite are left out of that value's
/// statistics: the weights are subset to the remaining areas, and the dropped areas get `None`
/// with a reason. The permutation tests all use `seed` (so calling a metric function directly
/// with the same seed gives the same p-value) and run in parallel with rayon; results do not
/// depend on the thread count.
///
/// # Panics
/// When a per-area slice (or group) differs in length from `care_units`.
pub fn compute(input: &SpreadInput, opts: &SpreadOptions) -> SpreadResult {
    compute::run(input, opts, &crate::progress::Silent)
}

/// [`compute`], reporting the permutation tests to `progress` as
/// [`Stage::Permutations`](crate::progress::Stage::Permutations): one item is one area in one
/// permutation, and the stage ends at its total. The result is the same as [`compute`]'s.
pub fn compute_with_progress(
    input: &SpreadInput,
    opts: &SpreadOptions,
    progress: &dyn crate::progress::Progress,
) -> SpreadResult {
    compute::run(input, opts, progress)
}
