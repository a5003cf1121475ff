//! Opgave monitor and comparison between vintages.

/// The opgave file: targets per target group with a deadline (TOML, validated).
pub mod opgave;
pub use opgave::{Opgave, OpgaveError, OpgaveErrorKind, Target};
