//! The integration tests: one binary, one module per theme.

mod access;
mod address;
mod architecture;
mod bad_input;
mod cli;
mod common;
mod fuzz_corpus;
mod monitor;
mod properties;
mod report;
mod robustness;
mod spreading;
mod whatif;
