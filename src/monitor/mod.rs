//! Opgave monitor and comparison between vintages.

/// The opgave file: targets per target group with a deadline (TOML, validated).
pub mod opgave;
pub use opgave::{Opgave, OpgaveError, OpgaveErrorKind, Target};

/// Pace of a target per year: target path, realised, planned, gap; the site `year` parser.
pub mod pace;
pub use pace::{
    pace, parse_year, target_path, NotCounted, PaceError, PaceRow, PaceTable, SiteRecord, YearError,
};
