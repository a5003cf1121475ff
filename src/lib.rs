//! # wijkbalans
//!
//! Draagkracht, draaglast and the spreading of care housing per *wijk*, for Dutch municipal
//! planners who work on *wonen en zorg*. The command-line tool (`wijkbalans`) is a thin layer
//! over this library; everything it computes can be computed from here.
//!
//! ## Data flow
//!
//! ```text
//! files ──io──▶ model (validated areas, sites, dwellings, facilities; compute CRS, by area code)
//!         └──▶ pipeline::load ─▶ Loaded
//! Loaded ──pipeline::analyse──▶ assign (points → areas)
//!                             ─▶ indicators (raw values → z → blocks → saldo, signal, typology)
//!                             ─▶ spread (fair share, segregation, Moran/LISA, Getis–Ord, …)
//!                             ─▶ access (rings, nearest facility, 2SFCA)   ─▶ Outcome
//! Outcome ──scenario──▶ what-if on the frozen baseline (test a site, a scenario, suggest, allocate)
//! Outcome ──report──▶ tables (table::Table) and documents ──io::write──▶ GeoJSON, CSV, JSON, GPKG, HTML
//! ```
//!
//! Only [`io`] opens files, talks to GDAL or matches column names; the engine modules
//! ([`assign`], [`indicators`], [`spread`], [`access`], [`monitor`], [`scenario`]) work on plain
//! `geo` types and slices in area-code order, never print and give the same result for any
//! thread count. ARCHITECTURE.md describes the layout and its invariants; docs/METHOD.md holds
//! every formula, threshold and reference the code cites.
//!
//! ## Entry points
//!
//! - [`pipeline::load`] reads every input of a validated [`Config`] ([`Config::validate`]) into
//!   a [`Loaded`] study;
//!   [`pipeline::analyse`] computes its [`Outcome`] (assignment, indicators, spreading,
//!   accessibility).
//! - [`scenario::Scenario`] evaluates changes (a proposed site, a removal) on the frozen baseline
//!   of an outcome; [`scenario::suggest`] and [`scenario::allocate`] search and distribute.
//! - [`report`] turns an outcome into the output tables, `summary.json`, `run.json` and the
//!   HTML/Markdown report; [`io::write`] renders them to bytes.
//! - Every metric is also a plain function: e.g. [`spread::gini()`], [`spread::local_moran`],
//!   [`access::two_stage_fca`].
//!
//! ## What it computes
//!
//! **Indicators** ([`indicators`], default set in [`indicators::default_indicators`]): each
//! from a named CBS source column, as a raw value and a population-weighted z-score within the
//! study (winsorised at ±3).
//!
//! | id | block | indicator |
//! |---|---|---|
//! | DK1 | draagkracht | % koopwoningen |
//! | DK2 | draagkracht | ln(gemiddelde WOZ-waarde) |
//! | DK3 | draagkracht | netto arbeidsparticipatie |
//! | DK4 | draagkracht | gestandaardiseerd huishoudinkomen |
//! | DL1 | draaglast | % corporatiewoningen |
//! | DL2 | draaglast | % laag inkomen |
//! | DL3 | draaglast | bijstand per 1.000 inwoners |
//! | DL4 | draaglast | AO-uitkering per 1.000 inwoners |
//! | DL5 | draaglast | % eenpersoonshuishoudens |
//! | DL6 | draaglast | Wmo-cliënten per 1.000 inwoners |
//! | DL7 | draaglast | zorgeenheden per 1.000 inwoners (from the sites layer) |
//!
//! The blocks are weighted means of the z-scores; saldo = draagkracht − draaglast; the
//! signal (`rood`, `oranje`, `neutraal`, `ruimte`) and the 3×3 typology follow from them
//! ([`indicators::balance`]).
//!
//! **Spreading and concentration** ([`spread`], equal to PySAL): fair-share ratio and gap,
//! dissimilarity, Gini, Theil's H, isolation and exposure, Atkinson, spatial dissimilarity,
//! HHI and effective areas, multigroup indices, Moran's I and local Moran (LISA), Getis–Ord G
//! and Gi*, nearest-neighbour distances and the Clark–Evans ratio; permutation inference is
//! seeded ([`spread::permutation`]).
//!
//! **Accessibility** ([`access`]): nearest facility per type (hemelsbreed, or over a walking
//! network), the rings a target group needs and the share of dwellings inside them, the
//! Geroscoop weighted distance, 2SFCA and E2SFCA.
//!
//! **Opgave monitor** ([`monitor`]): targets per group and year against realised and planned
//! places, fair shares by population and *naar vermogen*, and the comparison of two vintages.
//!
//! ## The public surface
//!
//! The modules below are public; the types most programs need are re-exported here.

#![deny(missing_docs)]

pub mod access;
pub mod assign;
pub mod bounded;
#[doc(hidden)]
pub mod cli;
pub mod config;
pub mod error;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod indicators;
pub mod io;
mod markup;
pub mod model;
pub mod monitor;
mod order;
pub mod palette;
pub mod pipeline;
pub mod policy;
pub mod progress;
pub mod report;
pub mod scenario;
pub mod spread;
pub mod synth;
pub mod table;
#[cfg(test)]
mod testing;

pub use config::{Config, LayerSpec};
pub use error::InputError;
pub use model::{Area, AreaSet, Dwellings, Facility, Site, TargetGroup};
pub use pipeline::{analyse, load, Loaded, Outcome};
pub use table::Table;
