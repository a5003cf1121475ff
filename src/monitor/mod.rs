//! Opgave monitor and comparison between vintages.
//!
//! The policies set a task (*opgave*) as places by a year: Zwolle 280 places beschermd thuis
//! by 2028 at 40 a year, West-Overijssel 1,855 geclusterde and 1,175 zorggeschikte homes for
//! older people by 2030; Groningen asks for a monitor of supply against expected demand, and
//! West-Overijssel to spread the burden "naar vermogen" (DOMAIN.md part A). This module holds
//! the pure core of that monitor:
//!
//! - [`Opgave`]: the opgave file (TOML), validated against the configured groups and the data
//!   year;
//! - [`pace()`]: per target and year the target path against realised and planned places;
//! - [`fair_share()`]: a target distributed over areas by population or by capacity, in real
//!   and whole places;
//! - [`compare()`]: two vintages of the same areas matched by code, with changed boundaries
//!   flagged.
//!
//! Like the other engine modules it never opens a file, never prints and knows nothing of the
//! CLI: the caller parses the text, maps sites to [`SiteRecord`]s and areas to [`ShareArea`]s or
//! [`VintageArea`]s, and writes the results. Every output is sorted (by year, code or key),
//! and a value a formula cannot give is `None` with a note, never NaN.

#![deny(missing_docs)]

/// The opgave file: targets per target group with a deadline (TOML, validated).
pub mod opgave;
pub use opgave::{Opgave, OpgaveError, OpgaveErrorKind, Target, MAX_YEAR, MIN_YEAR};

/// Pace of a target per year: target path, realised, planned, gap; the site `year` parser.
pub mod pace;
pub use pace::{
    pace, parse_year, target_path, NotCounted, PaceError, PaceRow, PaceTable, SiteRecord, YearError,
};

/// Fair share of a target over areas, by population or naar vermogen (by capacity).
pub mod fair_share;
pub use fair_share::{
    fair_share, largest_remainder, FairShare, ShareArea, ShareError, ShareMethod, ShareOptions,
    ShareRow,
};

/// Comparison of two vintages of the same areas, with boundary-change flags.
pub mod compare;
pub use compare::{
    compare, signal_move, AreaComparison, AreaRef, BoundaryCheck, CompareError, CompareOptions,
    Comparison, ValueChange, VintageArea,
};
