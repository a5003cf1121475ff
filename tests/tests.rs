//! The integration tests: one binary, one module per theme.

mod access;
mod address;
mod architecture;
mod bad_input;
mod cli;
mod common;
mod decisions;
mod describe;
mod fuzz_corpus;
mod guide;
mod monitor;
mod number_style;
mod outputs;
mod properties;
mod qgis;
mod report;
mod robustness;
mod serve;
mod spreading;
mod whatif;
