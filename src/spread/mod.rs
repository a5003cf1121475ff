//! Spreading and concentration of care housing over areas (wijken): pure metrics engine.
//!
//! Input: plain slices in a fixed area order (the caller sorts areas by area code); output: the
//! same order. This module never opens files, never prints and knows nothing of the CLI, GDAL
//! or file formats. Every value that a formula cannot give is `None` with an explicit
//! [`Undefined`] reason, never NaN or ±∞.

#![deny(missing_docs)]

mod single_group;
mod undefined;

/// Seeded permutation machinery (ChaCha8 streams per permutation or per area).
pub mod permutation;

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
pub use getis_ord::{global_g, local_g, GlobalG, LocalG};

/// Nearest-neighbour distances between sites (any group and same group).
pub mod nearest_neighbour;
pub use nearest_neighbour::{nearest_neighbour_distances, nearest_same_group_distances, SitePoint};

/// Clark–Evans aggregation index R with Donnelly's edge correction.
pub mod clark_evans;
pub use clark_evans::{clark_evans, clark_evans_from_distances, ClarkEvans, Window};

pub use undefined::{Scalar, Undefined};
