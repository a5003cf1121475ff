//! Fuzz target `opgave`: see `wijkbalans::fuzzing::opgave`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::opgave(data));
