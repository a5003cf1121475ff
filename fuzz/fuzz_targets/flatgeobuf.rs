//! Fuzz target `flatgeobuf`: see `wijkbalans::fuzzing::flatgeobuf`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| wijkbalans::fuzzing::flatgeobuf(data));
