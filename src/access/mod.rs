//! Accessibility: nearest facilities, rings, floating catchment areas.

#![deny(missing_docs)]

mod undefined;
pub use undefined::Undefined;

/// One R-tree per facility type: nearest facility (hemelsbreed) and counts within a radius.
pub mod index;
pub use index::FacilityIndex;

/// Cirkels van bereikbaarheid: ring requirements per target group, the check of one location,
/// per-area ring shares.
pub mod rings;
pub use rings::{
    check, check_many, general_requirements, ring_shares, rings_ok, rings_ok_shares,
    small_radius_requirements, Metres, Requirement, RequirementError, RequirementResult, RingRule,
    RingShares, Rings, SMALL_RADIUS_GROUPS,
};

/// Geroscoop weighted mean distance (weights = visits per year), per point and per area.
pub mod geroscoop;
pub use geroscoop::{
    default_geroscoop_weights, geroscoop_by_area, geroscoop_distance, AreaWeightedDistance,
    WeightedDistance,
};

/// Two-step floating catchment area (2SFCA) and E2SFCA with stepped or Gaussian decay.
pub mod fca;
pub use fca::{enhanced_two_stage_fca, fca, two_stage_fca, Decay, Fca, FcaInput};

/// Walking distances over de weg: line network, snapping, multi-source Dijkstra.
pub mod network;
pub use network::Network;
