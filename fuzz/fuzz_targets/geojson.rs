//! Fuzz target `geojson`: see `wijkbalans::fuzzing::geojson`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::geojson(data));
