//! Fuzz target `scenario`: see `wijkbalans::fuzzing::scenario`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::scenario(data));
