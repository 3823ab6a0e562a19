//! Arbitrary text through the policy readers: JSON, TOML (the `toml` crate) and the TOML
//! subset the page reads. None may panic, and what they read must round-trip.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = authpath_fuzz::harness::policy_input(data) {
        panic!("{problem}");
    }
});
