pub mod access;
pub mod assign;
pub mod cli;
pub mod config;
pub mod error;
#[doc(hidden)]
pub mod fuzzing;
pub mod indicators;
pub mod io;
pub mod model;
pub mod monitor;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod scenario;
pub mod spread;
pub mod synth;
pub mod table;
