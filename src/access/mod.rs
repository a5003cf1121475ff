//! Accessibility: nearest facilities, rings, floating catchment areas.

#![deny(missing_docs)]

mod undefined;
pub use undefined::Undefined;

/// One R-tree per facility type: nearest facility (hemelsbreed) and counts within a radius.
pub mod index;
pub use index::FacilityIndex;

