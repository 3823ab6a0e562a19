//! `cargo xtask bench`: measures the engine, the page, `authpath serve` and the size of
//! `dist/`, then rewrites BENCHMARKS.md with the figures, the machine and the command behind
//! each figure. Measurements only: nothing here passes or fails on a figure.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

use crate::command::{
    cargo, describe, probe, read_text, run, timed, tool, tool_path, workspace_root,
};
use crate::setup::Browsers;
use crate::{pins, setup, size};

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
/// The long-use benchmark: its file in e2e/bench/ and the start of its test's title (the
/// other page benchmarks run without it, so a failure of one leaves the other's figures).
const LONG_USE_FILE: &str = "longuse.bench.ts";
const LONG_USE_TITLE: &str = "long use:";
/// The requirement: memory after all the interactions within this factor of after the first.
const LONG_USE_MAX_RATIO: f64 = 2.0;
/// The interaction goal of the issue: one frame at 60 Hz.
const FRAME_MILLISECONDS: f64 = 16.0;

/// The heading of the section of BENCHMARKS.md that `bench` leaves as it finds it.
const FUZZING_HEADING: &str = "## Fuzzing";

/// Runs every benchmark and rewrites BENCHMARKS.md. A benchmark that cannot run is written
/// as "not measured" with its error, and the task then fails after writing the rest.
pub fn bench() -> Result<(), String> {
    let started = Instant::now();
    let root = workspace_root();
    let load_before = load_average();
    let browsers = setup::setup(true)?
        .or_else(setup::find_browsers)
        .ok_or("no Chromium and chromedriver: run `cargo xtask setup --browsers`")?;
    timed("trunk build --release", || crate::build_dist(false))?;

    let native = timed("engine, native (criterion)", || native_engine(&root));
    let wasm = timed("engine, in Chromium (wasm-bindgen-test)", || {
        wasm_engine(&root, &browsers)
    });
    let page = timed("the page (Playwright benchmarks)", || {
        page_benchmarks(&root, &browsers)
    });
    let long_use = timed("long use (Playwright)", || {
        long_use_benchmark(&root, &browsers)
    });
    let load = timed("authpath serve under load", || load_run(&root));
    let sizes = timed("size of dist/", || {
        size::rows(&root.join("dist")).map_err(|error| error.to_string())
    });
    let twiggy = timed("twiggy top 10", || twiggy_top(&root));

    let report = Report {
        machine: machine(),
        versions: versions(&browsers),
        load_before,
        load_after: load_average(),
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
    let mut text = report.markdown();
    // The fuzzing figures come from `cargo xtask fuzz`, not from here: keep that section.
    if let Ok(previous) = fs::read_to_string(&path) {
        if let Some(at) = previous.find(FUZZING_HEADING) {
            text.push('\n');
            text.push_str(&previous[at..]);
        }
    }
    fs::write(&path, &text).map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    println!("▶ wrote {}", path.display());
    let failures = report.failures();
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("not measured: {}", failures.join("; ")))
    }
}

/// Everything measured, ready to be written out.
struct Report {
    machine: Vec<(&'static str, String)>,
    versions: Vec<(&'static str, String)>,
    load_before: String,
    load_after: String,
    minutes: f64,
    native: Result<Vec<(String, f64)>, String>,
    wasm: Result<Vec<(String, f64)>, String>,
    page: Result<PageFigures, String>,
    long_use: Result<LongUseFigures, String>,
    load: Result<LoadFigures, String>,
    sizes: Result<Vec<size::Row>, String>,
    twiggy: Result<String, String>,
}

impl Report {
    fn failures(&self) -> Vec<String> {
        [
            ("native engine", self.native.as_ref().err()),
            ("wasm engine", self.wasm.as_ref().err()),
            ("page", self.page.as_ref().err()),
            ("long use", self.long_use.as_ref().err()),
            ("load run", self.load.as_ref().err()),
            ("sizes", self.sizes.as_ref().err()),
        ]
        .into_iter()
        .filter_map(|(what, error)| error.map(|error| format!("{what}: {error}")))
        .collect()
    }

    fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# Benchmarks\n\n\
             Written by `cargo xtask bench`, which runs every measurement below and rewrites this \
             file (≈ {:.0} min here). Each section gives the command that reproduces its figures \
             alone. Speed and size are measured here, not asserted in tests (the first-load size \
             limit is the one size check `cargo xtask test` runs).\n",
            self.minutes.ceil()
        );
        for (name, value) in self.machine.iter().chain(&self.versions) {
            let _ = writeln!(out, "- {name}: {value}");
        }
        let _ = writeln!(
            out,
            "- load average (1, 5, 15 min) before the run: {}; after: {}\n\n\
             The machine's two cores are shared with other builds: a load average above 2 \
             means the figures are upper bounds.\n",
            self.load_before, self.load_after
        );
        self.engine_section(&mut out);
        self.page_section(&mut out);
        self.long_use_section(&mut out);
        self.load_section(&mut out);
        self.size_section(&mut out);
        out
    }

    fn engine_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Engine: `evaluate`, native and in the browser\n\n\
             Native: `cargo {}` (criterion's median; the bench profile is the release profile: \
             `opt-level = \"z\"`, LTO).\n\n\
             In the browser: `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target \
             {} -p authpath --test {WASM_TIMING_TEST} -- --nocapture` (the same requests in headless \
             Chromium, timed with `performance.now()`: the median of 21 rounds of 25 ms each, as \
             criterion takes the median of its samples).\n",
            CRITERION_ARGUMENTS.join(" "),
            pins::WASM_TARGET
        );
        let native = match &self.native {
            Ok(native) => native.as_slice(),
            Err(error) => {
                let _ = writeln!(out, "Native: not measured ({error}).\n");
                &[]
            }
        };
        let wasm = match &self.wasm {
            Ok(wasm) => wasm.as_slice(),
            Err(error) => {
                let _ = writeln!(out, "In the browser: not measured ({error}).\n");
                &[]
            }
        };
        let find = |figures: &[(String, f64)], name: &str| {
            figures
                .iter()
                .find(|(known, _)| known == name)
                .map(|(_, nanoseconds)| *nanoseconds)
        };
        let _ = writeln!(
            out,
            "| request | native | wasm in Chromium | wasm / native |\n| --- | --- | --- | --- |"
        );
        for (name, description) in ENGINE_REQUESTS {
            let native = find(native, name);
            let wasm = find(wasm, name);
            let ratio = match (native, wasm) {
                (Some(native), Some(wasm)) if native > 0.0 => format!("{:.1} ×", wasm / native),
                _ => "n/a".to_string(),
            };
            let _ = writeln!(
                out,
                "| {description} | {} | {} | {ratio} |",
                native.map_or("n/a".to_string(), duration),
                wasm.map_or("n/a".to_string(), duration),
            );
        }
        out.push('\n');
    }

    fn page_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## The page: interaction and time to interactive\n\n\
             `cd e2e && npx playwright test --config bench.config.ts` after `cargo xtask dist` \
             (headless Chromium, the site served on 127.0.0.1); writes \
             `target/bench/interaction.json` and `target/bench/load.json`. Times are taken \
             inside the page with `performance.now()`, to the mutation of the DOM that shows \
             the new answer.\n"
        );
        let Some(page) = measured(out, &self.page) else {
            return;
        };
        let _ = writeln!(
            out,
            "| what | median | p95 | max | samples | p95 under 16 ms |\n\
             | --- | --- | --- | --- | --- | --- |"
        );
        let matrix = format!(
            "whole matrix, {} requests, `build_matrix` as the page times it (`matrix-timing`)",
            page.matrix_requests
        );
        for (what, figures) in [
            (
                "toggle click → updated raw response",
                page.toggle_click.as_ref(),
            ),
            (
                "keystroke in the raw request (`input` event) → updated raw response",
                page.keystroke.as_ref(),
            ),
            (matrix.as_str(), page.matrix.as_ref()),
            (
                "profile change in the matrix view → updated matrix in the DOM",
                page.matrix_to_dom.as_ref(),
            ),
        ] {
            match figures {
                Some(figures) => {
                    let _ = writeln!(
                        out,
                        "| {what} | {:.1} ms | {:.1} ms | {:.1} ms | {} | {} |",
                        figures.median,
                        figures.p95,
                        figures.max,
                        figures.count,
                        if figures.p95 < FRAME_MILLISECONDS {
                            "yes"
                        } else {
                            "no"
                        }
                    );
                }
                None => {
                    let _ = writeln!(out, "| {what} | n/a | | | | |");
                }
            }
        }
        let _ = writeln!(
            out,
            "\nTime to interactive: cold loads, each in a fresh browser context (no cache, no \
             service worker), from navigation start to the first evaluated response in the DOM; \
             the floor is a static page whose one inline script writes one line, served the \
             same way. Loads of the two pages alternate.\n\n\
             | page | median | p95 | loads |\n| --- | --- | --- | --- |"
        );
        for (what, figures) in [
            ("authpath (`dist/`)", page.app_load.as_ref()),
            ("floor: one inline script", page.floor_load.as_ref()),
        ] {
            match figures {
                Some(figures) => {
                    let _ = writeln!(
                        out,
                        "| {what} | {:.0} ms | {:.0} ms | {} |",
                        figures.median, figures.p95, figures.count
                    );
                }
                None => {
                    let _ = writeln!(out, "| {what} | n/a | | |");
                }
            }
        }
        if let (Some(app), Some(floor)) = (&page.app_load, &page.floor_load) {
            if floor.median > 0.0 {
                let _ = writeln!(
                    out,
                    "\nRatio of the medians, authpath / floor: **{:.1} ×**.",
                    app.median / floor.median
                );
            }
        }
        out.push('\n');
    }

    fn long_use_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Long use: random interactions in one page session\n\n\
             `cd e2e && npx playwright test --config bench.config.ts {LONG_USE_FILE}` after \
             `cargo xtask dist`; writes `target/bench/longuse.json`. The run of \
             `e2e/tests/longuse.spec.ts`, which asserts the bound: random clicks, choices and \
             edits of the real controls of every view (builder, presets, raw request, stepper, \
             tabs, theme, policy editor, matrix, compare, learn, quiz), from a fixed seed \
             (`AUTHPATH_LONGUSE_SEED` sets another), each interaction its own task, the page \
             drawn once every 100 interactions unless `AUTHPATH_LONGUSE_RENDER=1`. Memory after \
             a forced garbage collection (DevTools `HeapProfiler.collectGarbage`): the JS heap is \
             `performance.memory.usedJSHeapSize` (with `--enable-precise-memory-info`), the wasm \
             memory the size of the app's linear memory, which never shrinks (a high-water \
             mark).\n"
        );
        let Some(long_use) = measured(out, &self.long_use) else {
            return;
        };
        let _ = writeln!(
            out,
            "| interactions | seed | page drawn | duration | per interaction |\n\
             | --- | --- | --- | --- | --- |\n\
             | {} | {} | {} | {:.1} s | {:.1} ms |\n",
            long_use.interactions,
            long_use.seed,
            if long_use.render {
                "after each"
            } else {
                "every 100"
            },
            long_use.duration_ms / 1000.0,
            long_use.duration_ms / long_use.interactions.max(1) as f64,
        );
        let _ = writeln!(
            out,
            "| memory | after {} | after {} | ratio | within {LONG_USE_MAX_RATIO:.0} × |\n\
             | --- | --- | --- | --- | --- |",
            long_use.after_first, long_use.interactions
        );
        for (what, first, all) in [
            ("JS heap", long_use.heap_first, long_use.heap_all),
            ("wasm memory", long_use.wasm_first, long_use.wasm_all),
        ] {
            let ratio = if first > 0.0 { all / first } else { f64::NAN };
            let _ = writeln!(
                out,
                "| {what} | {} | {} | {ratio:.2} × | {} |",
                mebibytes(first),
                mebibytes(all),
                if ratio < LONG_USE_MAX_RATIO {
                    "yes"
                } else {
                    "no"
                }
            );
        }
        out.push('\n');
    }

    fn load_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## `authpath serve` under load, loopback\n\n\
             `cargo {}` (the eight presets in turn against a server on one thread, a client on \
             another; every response is checked byte for byte against `evaluate`).\n",
            LOAD_ARGUMENTS.join(" ")
        );
        if let Some(load) = measured(out, &self.load) {
            let _ = writeln!(
                out,
                "| connections | requests/s | p50 | p90 | p99 | max |\n\
                 | --- | --- | --- | --- | --- | --- |\n\
                 | 16 | {:.0} | {:.2} ms | {:.2} ms | {:.2} ms | {:.2} ms |\n\n\
                 Statuses: {}. {}\n",
                load.per_second,
                load.p50,
                load.p90,
                load.p99,
                load.max,
                load.statuses,
                load.checked
            );
        }
    }

    fn size_section(&self, out: &mut String) {
        let _ = writeln!(
            out,
            "## Size of `dist/`\n\n\
             `cargo xtask dist` prints this table (`gzip -9`, and brotli at quality 11 through \
             Node.js). The first load is what a reader's browser fetches for the page: its \
             top-level html, js, wasm and css.\n"
        );
        if let Some(rows) = measured(out, &self.sizes) {
            let _ = writeln!(
                out,
                "| file | raw | gzip -9 | brotli | first load |\n| --- | --- | --- | --- | --- |"
            );
            for row in rows {
                let _ = writeln!(
                    out,
                    "| `{}` | {} | {} | {} | {} |",
                    row.name,
                    size::kilobytes(row.raw),
                    size::kilobytes(row.gzip),
                    row.brotli_kilobytes(),
                    if row.first_load { "yes" } else { "" }
                );
            }
            let total = size::first_load_total(rows);
            let goal = pins::FIRST_LOAD_GZIP_BUDGET;
            let _ = writeln!(
                out,
                "| **first load** | **{}** | **{}** | **{}** | |\n\n\
                 Goal: {} gzip for the first load; {}. `cargo xtask test` fails above \
                 {}, a ratchet just over today's size (`FIRST_LOAD_GZIP_LIMIT`).\n",
                size::kilobytes(total.raw),
                size::kilobytes(total.gzip),
                total.brotli_kilobytes(),
                size::kilobytes(goal),
                if total.gzip <= goal {
                    format!("within it by {}", size::kilobytes(goal - total.gzip))
                } else {
                    format!("over it by {}", size::kilobytes(total.gzip - goal))
                },
                size::kilobytes(pins::FIRST_LOAD_GZIP_LIMIT),
            );
        }
        let _ = writeln!(
            out,
            "### The ten largest items of the wasm (twiggy)\n\n\
             On a build that keeps the function names: the release wasm through \
             `wasm-bindgen --keep-debug`, then `wasm-opt -Oz -g` (the shipped build is the same \
             code without names), then `twiggy top -n 11`; written to `target/bench/twiggy/`.\n"
        );
        match &self.twiggy {
            Ok(table) => {
                let _ = writeln!(out, "{}", table.trim_end());
            }
            Err(error) => {
                let _ = writeln!(out, "Not measured ({error}).");
            }
        }
    }
}

/// The figures of a section, or `None` after writing why they are missing.
fn measured<'a, T>(out: &mut String, figures: &'a Result<T, String>) -> Option<&'a T> {
    if let Err(error) = figures {
        let _ = writeln!(out, "Not measured ({error}).\n");
    }
    figures.as_ref().ok()
}

/// Median, p95, maximum and sample count of one figure, in milliseconds.
#[derive(Debug, Clone, PartialEq)]
struct Summary {
    median: f64,
    p95: f64,
    max: f64,
    count: u64,
}

/// What the Playwright benchmarks measured.
struct PageFigures {
    toggle_click: Option<Summary>,
    keystroke: Option<Summary>,
    matrix: Option<Summary>,
    matrix_requests: u64,
    matrix_to_dom: Option<Summary>,
    app_load: Option<Summary>,
    floor_load: Option<Summary>,
}

/// What the long-use benchmark measured (e2e/longuse.ts, `LongUseFigures`).
#[derive(Debug, PartialEq)]
struct LongUseFigures {
    seed: u64,
    render: bool,
    interactions: u64,
    duration_ms: f64,
    after_first: u64,
    heap_first: f64,
    heap_all: f64,
    wasm_first: f64,
    wasm_all: f64,
}

/// What the load run printed.
#[derive(Debug, PartialEq)]
struct LoadFigures {
    per_second: f64,
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    statuses: String,
    checked: String,
}

/// Runs the criterion benchmark and reads each request's median, in nanoseconds.
fn native_engine(root: &Path) -> Result<Vec<(String, f64)>, String> {
    run(cargo().current_dir(root).args(CRITERION_ARGUMENTS))?;
    ENGINE_REQUESTS
        .iter()
        .map(|(name, _)| {
            // Criterion writes a benchmark called `evaluate/<name>` to `evaluate_<name>`.
            let path = root
                .join("target")
                .join("criterion")
                .join(format!("evaluate_{name}"))
                .join("new")
                .join("estimates.json");
            let text = read_text(&path)?;
            let median = number_after(&text, &["median", "point_estimate"])
                .ok_or_else(|| format!("no median in {}", path.display()))?;
            Ok((name.to_string(), median))
        })
        .collect()
}

/// Runs the wasm-bindgen test that times `evaluate` in Chromium and reads its lines.
fn wasm_engine(root: &Path, browsers: &Browsers) -> Result<Vec<(String, f64)>, String> {
    let mut command = cargo();
    command
        .current_dir(root)
        .args([
            "test",
            "--release",
            "--target",
            pins::WASM_TARGET,
            "-p",
            "authpath",
            "--test",
            WASM_TIMING_TEST,
            "--",
            "--nocapture",
        ])
        .env("CHROMEDRIVER", &browsers.chromedriver)
        .env("PATH", tool_path());
    let output = captured(&mut command)?;
    let figures: Vec<(String, f64)> = output.lines().filter_map(engine_timing_line).collect();
    if figures.is_empty() {
        return Err("the test printed no `engine-timing` lines".to_string());
    }
    Ok(figures)
}

/// One `engine-timing {"name":"…","iterations":…,"ns_per_evaluate":…}` line.
fn engine_timing_line(line: &str) -> Option<(String, f64)> {
    let json = line.split_once("engine-timing ")?.1;
    let name = after_keys(json, &["name"])?
        .strip_prefix('"')?
        .split_once('"')?
        .0;
    let nanoseconds = number_after(json, &["ns_per_evaluate"])?;
    Some((name.to_string(), nanoseconds))
}

/// `playwright test --config bench.config.ts` in e2e/, on the browser `setup` found.
fn playwright_bench(root: &Path, browsers: &Browsers) -> Command {
    let mut command = tool("playwright");
    command
        .args(["test", "--config", "bench.config.ts"])
        .current_dir(root.join("e2e"))
        .env("CHROME_BIN", &browsers.chromium);
    command
}

/// Runs the Playwright benchmarks and reads the figures they wrote.
fn page_benchmarks(root: &Path, browsers: &Browsers) -> Result<PageFigures, String> {
    let out = root.join("target").join("bench");
    for name in ["interaction.json", "load.json"] {
        // A stale file must not pass for this run's figures.
        let _ = fs::remove_file(out.join(name));
    }
    run(playwright_bench(root, browsers).args(["--grep-invert", LONG_USE_TITLE]))?;
    let interaction = read_text(&out.join("interaction.json"))?;
    let load = read_text(&out.join("load.json"))?;
    Ok(PageFigures {
        toggle_click: summary(&interaction, "toggle_click"),
        keystroke: summary(&interaction, "keystroke"),
        matrix: summary(&interaction, "matrix"),
        matrix_requests: number_after(&interaction, &["matrix", "requests"]).unwrap_or(0.0) as u64,
        matrix_to_dom: summary(&interaction, "matrix_to_dom"),
        app_load: summary(&load, "app"),
        floor_load: summary(&load, "floor"),
    })
}

/// Runs the long-use benchmark and reads the figures it wrote.
fn long_use_benchmark(root: &Path, browsers: &Browsers) -> Result<LongUseFigures, String> {
    let path = root.join("target").join("bench").join("longuse.json");
    // A stale file must not pass for this run's figures.
    let _ = fs::remove_file(&path);
    run(playwright_bench(root, browsers).arg(LONG_USE_FILE))?;
    let json = read_text(&path)?;
    parse_long_use(&json).ok_or_else(|| format!("unexpected figures in {}", path.display()))
}

/// The figures of target/bench/longuse.json.
fn parse_long_use(json: &str) -> Option<LongUseFigures> {
    Some(LongUseFigures {
        render: after_keys(json, &["render"])?.starts_with("true"),
        seed: number_after(json, &["seed"])? as u64,
        interactions: number_after(json, &["interactions"])? as u64,
        duration_ms: number_after(json, &["duration_ms"])?,
        after_first: number_after(json, &["after_first"])? as u64,
        heap_first: number_after(json, &["memory_after_first", "js_heap_bytes"])?,
        wasm_first: number_after(json, &["memory_after_first", "wasm_memory_bytes"])?,
        heap_all: number_after(json, &["memory_after_all", "js_heap_bytes"])?,
        wasm_all: number_after(json, &["memory_after_all", "wasm_memory_bytes"])?,
    })
}

/// The summary written under `key` by e2e/bench/figures.ts.
fn summary(json: &str, key: &str) -> Option<Summary> {
    Some(Summary {
        median: number_after(json, &[key, "median_ms"])?,
        p95: number_after(json, &[key, "p95_ms"])?,
        max: number_after(json, &[key, "max_ms"])?,
        count: number_after(json, &[key, "count"])? as u64,
    })
}

/// Runs the load example and reads what it printed.
fn load_run(root: &Path) -> Result<LoadFigures, String> {
    let output = captured(cargo().current_dir(root).args(LOAD_ARGUMENTS))?;
    parse_load(&output).ok_or_else(|| "unexpected output from the load example".to_string())
}

/// The figures in the load example's report (see crates/cli/examples/load.rs).
fn parse_load(output: &str) -> Option<LoadFigures> {
    let line = |prefix: &str| {
        output
            .lines()
            .find_map(|line| line.strip_prefix(prefix).map(str::trim))
    };
    let requests = line("requests:")?;
    let per_second = requests
        .split_once('=')?
        .1
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let latency = line("latency:")?;
    let percentile = |name: &str| -> Option<f64> {
        latency
            .split(',')
            .find_map(|part| part.trim().strip_prefix(name))?
            .trim()
            .trim_end_matches("ms")
            .trim()
            .parse()
            .ok()
    };
    Some(LoadFigures {
        per_second,
        p50: percentile("p50")?,
        p90: percentile("p90")?,
        p99: percentile("p99")?,
        max: percentile("max")?,
        statuses: line("statuses:")?.to_string(),
        checked: line("responses differing")
            .map(|rest| format!("Responses differing {rest}."))
            .unwrap_or_default(),
    })
}

/// The ten largest items from `twiggy top`, on a build that keeps names, or why there are none.
fn twiggy_top(root: &Path) -> Result<String, String> {
    if probe(tool("twiggy").arg("--version")).is_none() {
        return Err("twiggy not installed (`cargo install twiggy`)".to_string());
    }
    let wasm = root
        .join("target")
        .join(pins::WASM_TARGET)
        .join("release")
        .join("authpath-web.wasm");
    if !wasm.is_file() {
        return Err(format!("{} is missing", wasm.display()));
    }
    let out = root.join("target").join("bench").join("twiggy");
    fs::create_dir_all(&out)
        .map_err(|error| format!("cannot create {}: {error}", out.display()))?;
    run(tool("wasm-bindgen")
        .arg("--keep-debug")
        .args(["--target", "web", "--out-dir"])
        .arg(&out)
        .arg(&wasm))?;
    let named = out.join("named.wasm");
    // The same features Trunk passes to wasm-opt for the shipped build (index.html).
    run(tool("wasm-opt")
        .args([
            "-Oz",
            "-g",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .arg(out.join("authpath-web_bg.wasm"))
        .arg("-o")
        .arg(&named))?;
    let mut command = tool("twiggy");
    command.args(["top", "-n", "11"]).arg(&named);
    let table = captured(&mut command)?;
    let items = twiggy_items(&table);
    if items.is_empty() {
        return Err("unexpected output from twiggy".to_string());
    }
    Ok(twiggy_markdown(&items))
}

/// The rows of a `twiggy top` table, bytes and item, including its `Σ` total row but not
/// its "… and N more" row.
fn twiggy_items(table: &str) -> Vec<(u64, String)> {
    table
        .lines()
        .filter_map(|line| {
            let mut cells = line.split('┊').map(str::trim);
            let bytes = cells.next()?.parse().ok()?;
            let name = cells.nth(1)?;
            (!name.starts_with("...")).then(|| (bytes, name.to_string()))
        })
        .collect()
}

/// The ten largest items as a table. The names subsection exists only in this build (the
/// shipped wasm has none), so it is left out, and shares are of the wasm without it.
fn twiggy_markdown(items: &[(u64, String)]) -> String {
    let is_names = |name: &str| name.contains("\"function names\" subsection");
    let is_total = |name: &str| name.starts_with('Σ');
    let names: u64 = items
        .iter()
        .filter(|(_, name)| is_names(name))
        .map(|(bytes, _)| bytes)
        .sum();
    let total = items
        .iter()
        .find(|(_, name)| is_total(name))
        .map_or(0, |(bytes, _)| bytes.saturating_sub(names));
    let mut out = String::from("| bytes | share | item |\n| --- | --- | --- |\n");
    for (bytes, name) in items
        .iter()
        .filter(|(_, name)| !is_names(name) && !is_total(name))
        .take(10)
    {
        let share = if total > 0 {
            format!("{:.1} %", *bytes as f64 * 100.0 / total as f64)
        } else {
            "n/a".to_string()
        };
        let _ = writeln!(
            out,
            "| {bytes} | {share} | `{}` |",
            name.replace('|', "\\|")
        );
    }
    let _ = writeln!(
        out,
        "\nShares are of the wasm without its names ({} bytes).",
        total
    );
    out
}

/// Runs `command`, echoing it and its output, and returns its standard output.
fn captured(command: &mut Command) -> Result<String, String> {
    let shown = describe(command);
    println!("  $ {shown}");
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    if output.status.success() {
        Ok(text)
    } else {
        Err(format!("`{shown}` failed ({})", output.status))
    }
}

/// The JSON text after the keys of `keys` (each found after the one before) and their colon:
/// enough JSON reading for the flat files criterion and the benchmarks write, with the
/// standard library alone.
fn after_keys<'a>(json: &'a str, keys: &[&str]) -> Option<&'a str> {
    let mut rest = json;
    for key in keys {
        let quoted = format!("\"{key}\"");
        let at = rest.find(&quoted)?;
        rest = rest.get(at + quoted.len()..)?;
    }
    Some(rest.trim_start().strip_prefix(':')?.trim_start())
}

/// The number after the keys of `keys` (see [`after_keys`]).
fn number_after(json: &str, keys: &[&str]) -> Option<f64> {
    let rest = after_keys(json, keys)?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(rest.len());
    rest.get(..end)?.parse().ok()
}

/// Bytes in MiB, two decimals.
fn mebibytes(bytes: f64) -> String {
    format!("{:.2} MiB", bytes / 1024.0 / 1024.0)
}

/// Nanoseconds in the unit that reads best.
fn duration(nanoseconds: f64) -> String {
    if nanoseconds >= 1_000_000.0 {
        format!("{:.2} ms", nanoseconds / 1_000_000.0)
    } else if nanoseconds >= 1_000.0 {
        format!("{:.1} µs", nanoseconds / 1_000.0)
    } else {
        format!("{nanoseconds:.0} ns")
    }
}

fn machine() -> Vec<(&'static str, String)> {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown".to_string(), |(_, model)| model.trim().to_string());
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let kilobytes: f64 = text
                .lines()
                .find_map(|line| line.strip_prefix("MemTotal:"))?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()?;
            Some(format!("{:.1} GiB", kilobytes / 1024.0 / 1024.0))
        })
        .unwrap_or_else(|| "unknown".to_string());
    let system = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_string())
        })
        .unwrap_or_else(|| "unknown".to_string());
    let date = probe(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .unwrap_or_else(|| "unknown".to_string());
    vec![
        ("date", date),
        ("machine", format!("{cores} cores, {model}, {memory}")),
        ("system", system),
    ]
}

fn versions(browsers: &Browsers) -> Vec<(&'static str, String)> {
    let version = |command: &mut Command| probe(command).unwrap_or_else(|| "unknown".to_string());
    vec![
        ("rustc", version(Command::new("rustc").arg("--version"))),
        ("trunk", version(tool("trunk").arg("--version"))),
        (
            "wasm-bindgen",
            version(tool("wasm-bindgen").arg("--version")),
        ),
        ("wasm-opt", version(tool("wasm-opt").arg("--version"))),
        (
            "browser",
            version(Command::new(&browsers.chromium).arg("--version")),
        ),
        ("Node.js", version(Command::new("node").arg("--version"))),
    ]
}

fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_else(|| "unknown".to_string())
}

#[cfg(test)]
mod tests {
    use super::{
        engine_timing_line, number_after, parse_load, parse_long_use, summary, twiggy_items,
        twiggy_markdown, LoadFigures, LongUseFigures, Summary,
    };

    fn check_number(json: &str, keys: &[&str], expected: Option<f64>) {
        assert_eq!(number_after(json, keys), expected, "{json} {keys:?}");
    }

    #[test]
    fn numbers_in_json() {
        let criterion = r#"{"mean":{"point_estimate":20.5},"median":{"confidence_interval":{"lower_bound":18.0},"point_estimate":19312.25,"standard_error":3.0}}"#;
        check_number(criterion, &["median", "point_estimate"], Some(19312.25));
        check_number(criterion, &["mean", "point_estimate"], Some(20.5));
        check_number(criterion, &["slope", "point_estimate"], None);
        check_number(r#"{"a": 1e3}"#, &["a"], Some(1000.0));
        check_number(r#"{"a": -2}"#, &["a"], Some(-2.0));
        check_number(r#"{"a": "text"}"#, &["a"], None);
        check_number(r#"{"a" 1}"#, &["a"], None);
    }

    #[test]
    fn summaries_from_the_benchmark_files() {
        let json = r#"{"toggle_click": {"count": 200, "median_ms": 14.8, "p95_ms": 38.2, "max_ms": 80.2}, "matrix": {"requests": 42, "count": 30, "median_ms": 4, "p95_ms": 14.3, "max_ms": 17}}"#;
        let expected = Summary {
            median: 14.8,
            p95: 38.2,
            max: 80.2,
            count: 200,
        };
        assert_eq!(summary(json, "toggle_click"), Some(expected));
        assert_eq!(summary(json, "matrix").map(|s| s.count), Some(30));
        assert_eq!(summary(json, "keystroke"), None);
    }

    #[test]
    fn engine_timing_lines() {
        let check = |line: &str, expected: Option<(&str, f64)>| {
            assert_eq!(
                engine_timing_line(line),
                expected.map(|(name, ns)| (name.to_string(), ns)),
                "{line}"
            );
        };
        check(
            r#"engine-timing {"name":"valid-token","iterations":4096,"ns_per_evaluate":51234}"#,
            Some(("valid-token", 51234.0)),
        );
        check(
            r#"    engine-timing {"name":"64KiB-request","iterations":16,"ns_per_evaluate":90000}"#,
            Some(("64KiB-request", 90000.0)),
        );
        check("test evaluate_timing ... ok", None);
        check(r#"engine-timing {"iterations":16}"#, None);
    }

    #[test]
    fn twiggy_table() {
        let table = " Shallow Bytes │ Shallow % │ Item\n\
            ───────────────┼───────────┼──────\n\
            \x20       200 ┊    20.00% ┊ \"function names\" subsection\n\
            \x20       400 ┊    40.00% ┊ data segment \".rodata.7\"\n\
            \x20       100 ┊    10.00% ┊ a | b\n\
            \x20       300 ┊    30.00% ┊ ... and 2 more.\n\
            \x20      1000 ┊   100.00% ┊ Σ [5 Total Rows]\n";
        let items = twiggy_items(table);
        assert_eq!(items.len(), 4, "{items:?}");
        assert_eq!(
            twiggy_markdown(&items),
            "| bytes | share | item |\n| --- | --- | --- |\n\
             | 400 | 50.0 % | `data segment \".rodata.7\"` |\n\
             | 100 | 12.5 % | `a \\| b` |\n\
             \nShares are of the wasm without its names (800 bytes).\n"
        );
    }

    #[test]
    fn load_report() {
        let output = "load: 16 connections for 10 s against http://127.0.0.1:1 (…)\n\
            requests: 120000 in 10 s = 12000 req/s\n\
            latency: p50 0.950 ms, p90 2.100 ms, p99 5.500 ms, max 12.000 ms\n\
            statuses: 200×60000, 401×60000\n\
            responses differing from the engine's: 0; failed connections: 0\n";
        assert_eq!(
            parse_load(output),
            Some(LoadFigures {
                per_second: 12000.0,
                p50: 0.95,
                p90: 2.1,
                p99: 5.5,
                max: 12.0,
                statuses: "200×60000, 401×60000".to_string(),
                checked: "Responses differing from the engine's: 0; failed connections: 0."
                    .to_string(),
            })
        );
        assert_eq!(parse_load("requests: none\n"), None);
    }

    #[test]
    fn long_use_figures() {
        // As e2e/longuse.ts writes it: JSON.stringify(figures, null, 2).
        let json = r#"{
  "seed": 20240601,
  "render": false,
  "interactions": 10000,
  "duration_ms": 111634,
  "after_first": 100,
  "memory_after_first": {
    "js_heap_bytes": 2506124,
    "wasm_memory_bytes": 1441792
  },
  "memory_after_all": {
    "js_heap_bytes": 2998764,
    "wasm_memory_bytes": 1572864
  },
  "js_heap_ratio": 1.197,
  "wasm_memory_ratio": 1.091,
  "kinds": {
    "toggle-token": 232
  }
}"#;
        assert_eq!(
            parse_long_use(json),
            Some(LongUseFigures {
                seed: 20240601,
                render: false,
                interactions: 10000,
                duration_ms: 111634.0,
                after_first: 100,
                heap_first: 2506124.0,
                heap_all: 2998764.0,
                wasm_first: 1441792.0,
                wasm_all: 1572864.0,
            })
        );
        let drawn = json.replace("\"render\": false", "\"render\": true");
        assert!(parse_long_use(&drawn).is_some_and(|figures| figures.render));
        assert_eq!(parse_long_use(&json.replace("memory_after_all", "x")), None);
    }
}
