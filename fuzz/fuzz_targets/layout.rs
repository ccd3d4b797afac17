//! See `src/layout_target.rs` (shared with the integration test that
//! replays the findings).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| reprint_fuzz::layout_target::run(data));
