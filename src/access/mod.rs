//! Accessibility of facilities ("cirkels van bereikbaarheid", woonservicegebied): pure
//! engine.
//!
//! Regio West-Overijssel asks to "think in circles of accessibility, in which housing for people
//! with a smaller action radius lies closer to the main facilities" (opgave 8, docs/METHOD.md
//! §1.1).
//! This module measures that: how far homes and candidate sites are from a supermarket, a
//! huisarts or apotheek, a meeting place and a public transport stop, and whether they lie
//! inside the rings a target group needs.
//!
//! # Measures
//! - **Nearest facility per type** ([`FacilityIndex`]): min_j d_ij per type, hemelsbreed
//!   (straight line, R-tree). CBS KWB publishes road distances (`g_afs_hp`, `g_afs_gs`);
//!   ours are hemelsbreed and every label must say so (docs/METHOD.md §5.1).
//! - **Rings** ([`rings`]): a [`Requirement`] is "a facility of any of these types within r m";
//!   [`check`] reports ✓/✗ with the distance per requirement for one site; [`ring_shares`]
//!   gives per area the share of dwellings inside each ring and the mean nearest distance;
//!   [`rings_ok_shares`] the share of dwellings meeting all rings of a group (the
//!   woonservicegebied share; Zwolle aimed at ≥ 50 % of households, docs/METHOD.md §5.4).
//! - **Geroscoop weighted distance** ([`geroscoop_distance`], [`geroscoop_by_area`]):
//!   D_w = Σ_k v_k d_k / Σ_k v_k with visits per year as weights.
//! - **Floating catchment** ([`two_stage_fca`], [`enhanced_two_stage_fca`], [`fca()`]): supply per
//!   demand within a catchment (2SFCA, E2SFCA), as `pysal/access` defines them.
//! - **Over de weg** ([`Network`]): walking distance over a line network (vertex snapping, one
//!   multi-source Dijkstra); the only non-hemelsbreed distance here.
//!
//! # Defaults and their sources (docs/METHOD.md §5.2–5.6; all editable)
//! - Groups with a small action radius ([`SMALL_RADIUS_GROUPS`]: ouderen_geclusterd,
//!   ouderen_zorggeschikt, beschermd_wonen, beschermd_thuis): supermarkt, huisarts of
//!   apotheek and ontmoetingsruimte within 500 m, ov_halte within 300 m. Sources: the
//!   woonzorgzone of invoorzorg.nl (service centre within 400–500 m walking, public transport
//!   stop at most 300 m; <http://www.invoorzorg.nl/informatie-wat-is-een-woonzorgzone.html>)
//!   and the seniors' walking distance of about 10 minutes = 500 m
//!   (<https://auteurs.allesoversport.nl/artikel/openbare-ruimte-zo-inrichten-ouderen-meer-bewegen/>).
//! - Other groups: supermarkt and huisarts within 800 m, ov_halte within 500 m. Source: the
//!   woonservicezone of 800 m around a shopping centre (<https://www.oso-wonen.nl/woonservicezone/>)
//!   and the average Dutch walking distance of 800 m (allesoversport.nl, as above).
//! - Geroscoop weights (visits per year, [`default_geroscoop_weights`]): supermarkt 52,
//!   huisarts 12, apotheek 12, ontmoetingsruimte 12, fysiotherapeut 6, warenhuis 6, horeca 6
//!   (<https://www.geroscoop.nl/RechtsIntro_afs.html>).
//! - E2SFCA in metres: `Decay::Step(vec![(400.0, 1.0), (800.0, 0.68), (1200.0, 0.22)])`, the
//!   `access` default of 10/20/30 minutes rescaled (docs/METHOD.md §5.6).
//!
//! # Contract
//! Inputs are plain slices in the compute CRS (metres, EPSG:28992); outputs keep input order.
//! No file IO, no printing, no CLI or GDAL types. Parallel work (rayon) uses ordered
//! collects and sums sequentially within each output value, so results do not depend on the
//! thread count; ties are broken by index. Missing values are `None` or an [`Undefined`]
//! reason, never NaN or ±∞.
//!
//! # Example
//! ```
//! use wijkbalans::access::{check, rings_ok, FacilityIndex, Rings};
//! let index = FacilityIndex::new(
//!     &[[155_300.0, 463_000.0], [155_000.0, 463_450.0], [154_900.0, 463_000.0], [155_000.0, 463_200.0]],
//!     &["supermarkt".into(), "apotheek".into(), "ontmoetingsruimte".into(), "ov_halte".into()],
//! );
//! let site = [155_000.0, 463_000.0];
//! let results = check(&index, site, Rings::default().for_group("beschermd_wonen"));
//! // supermarkt 300 m, apotheek 450 m (no huisarts in the layer), ontmoetingsruimte 100 m,
//! // ov_halte 200 m: every ring is met.
//! assert!(rings_ok(&results));
//! assert_eq!(results[1].kind_used.as_deref(), Some("apotheek"));
//! assert_eq!(results[1].absent_kinds, vec!["huisarts"]);
//! ```

#![deny(missing_docs)]

/// Why a value is missing or an input refused.
mod undefined;
pub use undefined::Undefined;

/// Facility categories: ids, Dutch labels and the input `type` values that map to them.
pub mod categories;
pub use categories::{
    category_of, default_categories, kind_words, normalise_type, validate_categories,
    FacilityCategory,
};

/// One R-tree per facility type: nearest facility (hemelsbreed) and counts within a radius.
pub mod index;
pub use index::{DistanceKind, FacilityIndex};

/// Cirkels van bereikbaarheid: ring requirements per target group, the check of one location,
/// per-area ring shares.
pub mod rings;
pub use rings::{
    check, check_many, general_requirements, ring_shares, rings_ok, rings_ok_shares,
    small_radius_requirements, AreaDwellings, Metres, Requirement, RequirementError,
    RequirementResult, RingRule, RingShares, Rings, SMALL_RADIUS_GROUPS,
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
pub use network::{Network, SourceTree};
