//! `cargo xtask bench`: measures the engine, the page, `authpath serve` and the size of
//! `dist/`, then rewrites BENCHMARKS.md with the figures, the machine and the command behind
//! each figure. Measurements only: nothing here passes or fails on a figure.
//!
//! By job: `run` runs the measurements, `parse` reads what they wrote or printed, `report`
//! writes BENCHMARKS.md. The commands are here, as both running and reporting name them.

mod parse;
mod report;
mod run;

use std::fs;
use std::time::Instant;

use crate::command::{timed, workspace_root};
use crate::{setup, size};
use report::Report;

/// The native criterion benchmark, with times short enough for the whole run to stay bounded.
const CRITERION_ARGUMENTS: [&str; 9] = [
    "bench",
    "-p",
    "authpath-engine",
    "--bench",
    "evaluate",
    "--",
    "--warm-up-time",
    "1",
    "--measurement-time=3",
];
/// The four requests of the engine benchmarks, natively and in the browser.
const ENGINE_REQUESTS: [(&str, &str); 4] = [
    (
        "valid-token",
        "valid token (`GET /profile`, HS256 verified, lint)",
    ),
    ("expired-token", "expired token"),
    (
        "malformed",
        "malformed request (header line without a colon)",
    ),
    ("64KiB-request", "64 KiB request (the largest accepted)"),
];
/// The wasm-bindgen test that times `evaluate` in headless Chromium.
const WASM_TIMING_TEST: &str = "engine_timing";
/// The load run of `authpath serve`.
const LOAD_ARGUMENTS: [&str; 11] = [
    "run",
    "--release",
    "-p",
    "authpath-cli",
    "--example",
    "load",
    "--",
    "--seconds",
    "10",
    "--connections",
    "16",
];
/// The long-use benchmark's file in e2e/bench/.
const LONG_USE_FILE: &str = "longuse.bench.ts";

/// Runs every benchmark and rewrites BENCHMARKS.md. A benchmark that cannot run is written
/// as "not measured" with its error, and the task then fails after writing the rest.
pub fn bench() -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let load_before = run::load_average();
    let browsers = setup::setup(setup::Extras {
        browsers: true,
        conformance: false,
    })?
    .or_else(setup::find_browsers)
    .ok_or("no Chromium and chromedriver: run `cargo xtask setup --browsers`")?;
    timed("trunk build --release", || crate::build_dist(false))?;

    let native = timed("engine, native (criterion)", || run::native_engine(&root));
    let wasm = timed("engine, in Chromium (wasm-bindgen-test)", || {
        run::wasm_engine(&root, &browsers)
    });
    let page = timed("the page (Playwright benchmarks)", || {
        run::page_benchmarks(&root, &browsers)
    });
    let long_use = timed("long use (Playwright)", || {
        run::long_use_benchmark(&root, &browsers)
    });
    let load = timed("authpath serve under load", || run::load_run(&root));
    let sizes = timed("size of dist/", || {
        size::rows(&root.join("dist")).map_err(|error| error.to_string())
    });
    let twiggy = timed("twiggy top 10", || {
        setup::ensure_twiggy()?;
        run::twiggy_top(&root)
    });

    let report = Report {
        machine: run::machine(),
        versions: run::versions(&browsers),
        load_before,
        load_after: run::load_average(),
        minutes: started.elapsed().as_secs_f64() / 60.0,
        native,
        wasm,
        page,
        long_use,
        load,
        sizes,
        twiggy,
    };
    let path = root.join("BENCHMARKS.md");
    let previous = fs::read_to_string(&path).unwrap_or_default();
    let text = report::with_fuzzing_of(report.markdown(), &previous);
    fs::write(&path, &text).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    println!("▶ wrote {}", path.display());
    let failures = report.failures();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("not measured: {}", failures.join("; ")))
    }
}
