//! `cargo xtask fuzz [--seconds N]`: throws arbitrary input at the engine for a while.
//!
//! With a nightly toolchain this is coverage-guided fuzzing by cargo-fuzz (libFuzzer with
//! AddressSanitizer and overflow checks) over the targets in `fuzz/`. Without nightly it says so
//! and runs the engine's randomized property test for the same time instead, so the task works
//! on any machine. Not part of `cargo xtask test`: it runs for minutes, not seconds.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::command::{cargo, probe, run, timed, workspace_root};
use crate::pins::CARGO_FUZZ_VERSION;

/// How long each target runs when `--seconds` is not given.
pub const DEFAULT_SECONDS: u64 = 60;

/// A fuzz target of `fuzz/fuzz_targets`, with the longest input worth trying.
struct Target {
    name: &'static str,
    max_len: u32,
    /// Whether libFuzzer may try long inputs from the start. By default it keeps inputs as short
    /// as the seeds while coverage still grows, which in ten minutes never reaches the engine's
    /// size limits.
    long_inputs: bool,
}

const TARGETS: &[Target] = &[
    // Past the engine's 64 KiB request limit, so the cut at the limit is fuzzed too.
    Target {
        name: "evaluate",
        max_len: 70_000,
        long_inputs: true,
    },
    Target {
        name: "policy",
        max_len: 8_192,
        long_inputs: false,
    },
];

/// One input slower than this counts as a hang.
const TIMEOUT_SECONDS: u32 = 10;
/// More memory than this counts as a leak or a blow-up.
const RSS_LIMIT_MB: u32 = 2_048;

/// Reads `--seconds N` (N > 0) from the task's arguments; nothing given means the default.
pub fn parse_seconds(arguments: &[&str]) -> Result<u64, String> {
    match arguments {
        [] => Ok(DEFAULT_SECONDS),
        ["--seconds", value] => match value.parse::<u64>() {
            Ok(seconds) if seconds > 0 => Ok(seconds),
            _ => Err(format!(
                "`--seconds` wants a whole number of seconds above 0, not `{value}`"
            )),
        },
        _ => Err(format!("unknown fuzz arguments `{}`", arguments.join(" "))),
    }
}

/// Fuzzes each target for `seconds`, with cargo-fuzz when nightly is there, else by proptest.
pub fn fuzz(seconds: u64) -> Result<(), String> {
    if !has_nightly() {
        println!(
            "▶ no nightly toolchain (`rustup run nightly rustc` failed), so no cargo-fuzz: \
             running the engine's randomized property test for {seconds} s instead"
        );
        return proptest_run(seconds);
    }
    timed("cargo-fuzz", ensure_cargo_fuzz)?;
    let fuzz_folder = workspace_root().join("fuzz");
    for target in TARGETS {
        timed(
            &format!("cargo fuzz run {} for {seconds} s", target.name),
            || fuzz_target(&fuzz_folder, target, seconds),
        )?;
    }
    println!(
        "  no crash: each target ran {seconds} s (figures in the `Done` and `stat::` lines above); \
         the corpus grows in fuzz/corpus/"
    );
    Ok(())
}

fn has_nightly() -> bool {
    probe(Command::new("rustup").args(["run", "nightly", "rustc", "--version"])).is_some()
}

/// A command run by the nightly toolchain, free of the stable toolchain's settings that
/// `cargo xtask` passes down.
fn nightly(program: &str) -> Command {
    let mut command = Command::new("rustup");
    command
        .args(["run", "nightly", program])
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    command
}

/// Installs cargo-fuzz unless a `0.13.x` is already there.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let found = probe(nightly("cargo").args(["fuzz", "--version"]));
    let wanted = format!("cargo-fuzz {CARGO_FUZZ_VERSION}.");
    if let Some(version) = found.as_deref().filter(|found| found.starts_with(&wanted)) {
        println!("  skip: {version} is installed");
        return Ok(());
    }
    println!(
        "  found {}, want cargo-fuzz {CARGO_FUZZ_VERSION}",
        found.as_deref().unwrap_or("no cargo-fuzz")
    );
    run(cargo().args([
        "install",
        "cargo-fuzz",
        "--version",
        &format!("~{CARGO_FUZZ_VERSION}"),
        "--locked",
    ]))
}

/// One target for `seconds`: a fresh corpus grows in `fuzz/corpus/<target>` from the checked-in
/// seeds in `fuzz/seeds/<target>`; a crash stops the run and lands in `fuzz/artifacts/`.
fn fuzz_target(fuzz_folder: &Path, target: &Target, seconds: u64) -> Result<(), String> {
    let corpus = fuzz_folder.join("corpus").join(target.name);
    fs::create_dir_all(&corpus)
        .map_err(|error| format!("could not create {}: {error}", corpus.display()))?;
    let seeds = fuzz_folder.join("seeds").join(target.name);
    let mut command = nightly("cargo");
    command
        .current_dir(fuzz_folder)
        // Overflow checks and debug assertions on: an overflow is a finding, not a wrap.
        .args(["fuzz", "run", "--debug-assertions", target.name])
        .arg(&corpus)
        .arg(&seeds)
        .arg("--")
        .arg(format!("-max_total_time={seconds}"))
        .arg(format!("-max_len={}", target.max_len))
        .arg(format!("-timeout={TIMEOUT_SECONDS}"))
        .arg(format!("-rss_limit_mb={RSS_LIMIT_MB}"))
        .arg("-print_final_stats=1");
    if target.long_inputs {
        command.arg("-len_control=0");
    }
    run(&mut command).map_err(|error| {
        format!(
            "{error}\n  a crash leaves its input in fuzz/artifacts/{}/: keep it as a case in \
             crates/engine/tests/regressions.rs",
            target.name
        )
    })
}

/// The fallback: the engine's randomized regression property, run until `seconds` have passed.
fn proptest_run(seconds: u64) -> Result<(), String> {
    run(cargo()
        .current_dir(workspace_root())
        .env("AUTHPATH_FUZZ_SECONDS", seconds.to_string())
        .args([
            "test",
            "--package",
            "authpath-engine",
            "--test",
            "regressions",
            "--",
            "--nocapture",
        ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(arguments: &[&str], expected: Option<u64>) {
        assert_eq!(parse_seconds(arguments).ok(), expected, "{arguments:?}");
    }

    #[test]
    fn seconds_argument() {
        check(&[], Some(DEFAULT_SECONDS));
        check(&["--seconds", "600"], Some(600));
        check(&["--seconds", "0"], None);
        check(&["--seconds", "ten"], None);
        check(&["--seconds"], None);
        check(&["--minutes", "10"], None);
    }
}
