pub mod access;
pub mod assign;
pub mod cli;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
pub mod indicators;
pub mod io;
mod markup;
pub mod model;
pub mod monitor;
pub mod palette;
pub mod pipeline;
pub mod progress;
pub mod report;
pub mod scenario;
pub mod spread;
pub mod synth;
