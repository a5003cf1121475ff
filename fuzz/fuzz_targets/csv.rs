//! Fuzz target `csv`: see `wijkbalans::fuzzing::csv`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::csv(data));
