//! Fuzz target `address`: see `wijkbalans::fuzzing::address`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::address(data));
