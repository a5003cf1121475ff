//! Opgave monitor and comparison between vintages.

/// The opgave file: targets per target group with a deadline (TOML, validated).
pub mod opgave;
pub use opgave::{Opgave, OpgaveError, OpgaveErrorKind, Target};

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
