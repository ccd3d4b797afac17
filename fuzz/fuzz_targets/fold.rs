//! See `src/fold_target.rs` (fold and segment are crate-private in
//! reprint, so the checks live in the crate that compiles them in).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| reprint_fuzz::fold_target::run(data));
