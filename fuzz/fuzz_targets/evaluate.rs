//! Arbitrary bytes through `evaluate`: a raw request, a token placed in its `Authorization`
//! header and a policy, under any profile (layout in `src/harness.rs`). A panic, a hang, a
//! blown stack or an overflow is a bug, and so is an answer that breaks its invariants.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = authpath_fuzz::harness::evaluate_input(data) {
        panic!("{problem}");
    }
});
