//! Running the measurements: each returns its figures, read by `parse`, or why it has none.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use super::parse::{self, LoadFigures, LongUseFigures, PageFigures};
use super::{
    CRITERION_ARGUMENTS, ENGINE_REQUESTS, LOAD_ARGUMENTS, LONG_USE_FILE, WASM_TIMING_TEST,
};
use crate::command::{cargo, describe, probe, read_text, run, tool, tool_path};
use crate::pins;
use crate::setup::Browsers;

/// The start of the long-use test's title: the other page benchmarks run without it, so a
/// failure of one leaves the other's figures.
const LONG_USE_TITLE: &str = "long use:";

/// Runs the criterion benchmark and reads each request's median, in nanoseconds.
pub(super) fn native_engine(root: &Path) -> Result<Vec<(String, f64)>, String> {
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
            let median = parse::criterion_median(&text)
                .map_err(|error| format!("no median in {}: {error}", path.display()))?;
            Ok((name.to_string(), median))
        })
        .collect()
}

/// Runs the wasm-bindgen test that times `evaluate` in Chromium and reads its lines.
pub(super) fn wasm_engine(root: &Path, browsers: &Browsers) -> Result<Vec<(String, f64)>, String> {
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
    let figures: Vec<(String, f64)> = output
        .lines()
        .filter_map(parse::engine_timing_line)
        .collect();
    if figures.is_empty() {
        return Err("the test printed no `engine-timing` lines".to_string());
    }
    Ok(figures)
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
pub(super) fn page_benchmarks(root: &Path, browsers: &Browsers) -> Result<PageFigures, String> {
    let out = root.join("target").join("bench");
    for name in ["interaction.json", "load.json"] {
        // A stale file must not pass for this run's figures.
        let _ = fs::remove_file(out.join(name));
    }
    run(playwright_bench(root, browsers).args(["--grep-invert", LONG_USE_TITLE]))?;
    let interaction = read_text(&out.join("interaction.json"))?;
    let load = read_text(&out.join("load.json"))?;
    parse::page_figures(&interaction, &load)
}

/// Runs the long-use benchmark and reads the figures it wrote.
pub(super) fn long_use_benchmark(
    root: &Path,
    browsers: &Browsers,
) -> Result<LongUseFigures, String> {
    let path = root.join("target").join("bench").join("longuse.json");
    // A stale file must not pass for this run's figures.
    let _ = fs::remove_file(&path);
    run(playwright_bench(root, browsers).arg(LONG_USE_FILE))?;
    let json = read_text(&path)?;
    parse::long_use_figures(&json)
        .map_err(|error| format!("unexpected figures in {}: {error}", path.display()))
}

/// Runs the load example and reads what it printed.
pub(super) fn load_run(root: &Path) -> Result<LoadFigures, String> {
    let output = captured(cargo().current_dir(root).args(LOAD_ARGUMENTS))?;
    parse::load_figures(&output)
        .ok_or_else(|| "unexpected output from the load example".to_string())
}

/// The rows of `twiggy top -n 11` (see [`parse::twiggy_items`]), on a build that keeps names,
/// or why there are none.
pub(super) fn twiggy_top(root: &Path) -> Result<Vec<(u64, String)>, String> {
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
    let items = parse::twiggy_items(&table);
    if items.is_empty() {
        return Err("unexpected output from twiggy".to_string());
    }
    Ok(items)
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

/// The date, the processor, the memory and the system of this machine.
pub(super) fn machine() -> Vec<(&'static str, String)> {
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

/// The versions of the tools behind the figures.
pub(super) fn versions(browsers: &Browsers) -> Vec<(&'static str, String)> {
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

/// The load average over 1, 5 and 15 minutes.
pub(super) fn load_average() -> String {
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
