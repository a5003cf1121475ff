//! Fuzz target `shapefile`: see `wijkbalans::fuzzing::shapefile`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::shapefile(data));
