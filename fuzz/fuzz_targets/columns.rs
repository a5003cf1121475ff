//! Fuzz target `columns`: see `wijkbalans::fuzzing::columns`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::columns(data));
