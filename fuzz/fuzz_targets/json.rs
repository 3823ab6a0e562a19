//! Arbitrary bytes through the engine's JSON module and through serde_json, the reference it
//! replaces (checks in `src/json.rs`). A panic or any disagreement between the two is a bug.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(problem) = authpath_fuzz::json::json_input(data) {
        panic!("{problem}");
    }
});
