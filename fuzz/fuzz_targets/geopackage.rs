//! Fuzz target `geopackage`: see `wijkbalans::fuzzing::geopackage`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::geopackage(data));
