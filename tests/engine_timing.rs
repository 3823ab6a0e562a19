//! `evaluate` timed in the browser, on the same four requests as the native criterion
//! benchmark (crates/engine/benches/evaluate.rs). A measurement, not a timed assertion: it
//! prints one JSON line per request (`engine-timing {…}`, the median time of 21 rounds), which
//! `cargo xtask bench` reads.
//!
//! ```text
//! CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown \
//!     -p authpath --test engine_timing -- --nocapture
//! ```
#![cfg(target_arch = "wasm32")]

use authpath_engine::teach::mock::{MockRequest, Validity};
use authpath_engine::{evaluate, Scenario, MAX_REQUEST_BYTES};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Rounds per request, and how long each lasts: criterion's way (the median of many
/// samples), so the figure compares with the native one and a busy machine sways it less.
/// Each round is long beside the browser's coarsened clock.
const ROUNDS: usize = 21;
const ROUND_MILLISECONDS: f64 = 25.0;

/// `performance.now()` through js-sys alone, so the app needs no extra web-sys feature;
/// `Date.now()` (whole milliseconds) if the page has no `performance`.
fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("performance"));
    let now = performance.as_ref().ok().and_then(|performance| {
        let function = js_sys::Reflect::get(performance, &JsValue::from_str("now")).ok()?;
        let function: js_sys::Function = wasm_bindgen::JsCast::dyn_into(function).ok()?;
        function.call0(performance).ok()?.as_f64()
    });
    now.unwrap_or_else(js_sys::Date::now)
}

/// The four requests of the native benchmark, by the same names.
fn requests(scenario: &Scenario) -> Vec<(&'static str, String, u16)> {
    let valid = MockRequest::default().to_raw(scenario);
    let expired = MockRequest {
        validity: Validity::Expired,
        ..MockRequest::default()
    }
    .to_raw(scenario);
    let malformed = "GET /profile HTTP/1.1\r\nHost api.authpath.example\r\n\r\n".to_string();
    // The largest request accepted: a valid token and a body that fills the 64 KiB limit.
    let head = valid.trim_end_matches("\r\n").to_string();
    let length_line = "Content-Length: 00000\r\n\r\n";
    let body_length = MAX_REQUEST_BYTES - head.len() - 2 - length_line.len();
    let largest = format!(
        "{head}\r\nContent-Length: {body_length:05}\r\n\r\n{}",
        "a".repeat(body_length)
    );
    vec![
        ("valid-token", valid, 200),
        ("expired-token", expired, 401),
        ("malformed", malformed, 400),
        ("64KiB-request", largest, 200),
    ]
}

#[wasm_bindgen_test]
fn evaluate_timing() {
    let scenario = Scenario::default();
    for (name, raw, status) in requests(&scenario) {
        // What is timed is the request the figure names: its answer is the one it stands for.
        assert_eq!(
            evaluate(&raw, &scenario).response.status.code(),
            status,
            "{name}"
        );
        // Warm up: the first calls pay for compiling and growing memory.
        for _ in 0..20 {
            std::hint::black_box(evaluate(std::hint::black_box(&raw), &scenario));
        }
        let mut per_round = Vec::with_capacity(ROUNDS);
        let mut iterations: u64 = 0;
        for _ in 0..ROUNDS {
            let start = now_ms();
            let mut round: u64 = 0;
            // Batches of 16 between clock reads keep the clock's own cost out of the figure.
            while now_ms() - start < ROUND_MILLISECONDS {
                for _ in 0..16 {
                    std::hint::black_box(evaluate(std::hint::black_box(&raw), &scenario));
                }
                round += 16;
            }
            per_round.push((now_ms() - start) * 1_000_000.0 / round as f64);
            iterations += round;
        }
        per_round.sort_by(f64::total_cmp);
        let nanoseconds = per_round.get(ROUNDS / 2).copied().unwrap_or(f64::NAN);
        console_log!(
            "engine-timing {{\"name\":\"{name}\",\"iterations\":{iterations},\"ns_per_evaluate\":{nanoseconds:.0}}}"
        );
    }
}
