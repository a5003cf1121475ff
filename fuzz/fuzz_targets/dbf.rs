//! Fuzz target `dbf`: see `wijkbalans::fuzzing::dbf`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::dbf(data));
