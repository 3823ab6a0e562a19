//! `cargo xtask test`: every check the project has, in order, stopping at the first failure.

use std::time::Instant;

use crate::command::{cargo, run, tool, workspace_root};
use crate::setup::{self, Browsers};
use crate::{build_dist, conformance, size};

/// What the steps share: the browsers `setup` found.
#[derive(Default)]
struct Context {
    browsers: Option<Browsers>,
}

/// One step of the run: a name for the summary and what it does.
struct Step {
    name: &'static str,
    run: fn(&mut Context) -> Result<(), String>,
}

/// The whole test run, in order. Cheap checks come first so that a typo fails in seconds.
const STEPS: &[Step] = &[
    Step {
        name: "setup --browsers --conformance",
        run: |context| {
            context.browsers = setup::setup(setup::Extras {
                browsers: true,
                conformance: true,
            })?;
            Ok(())
        },
    },
    Step {
        name: "cargo fmt --check",
        run: |_| {
            run(cargo()
                .current_dir(workspace_root())
                .args(["fmt", "--all", "--check"]))
        },
    },
    Step {
        name: "cargo clippy",
        run: |_| {
            run(cargo().current_dir(workspace_root()).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))?;
            // The web app again for wasm: its browser tests exist only on that target.
            run(cargo().current_dir(workspace_root()).args([
                "clippy",
                "--package",
                "authpath",
                "--target",
                crate::pins::WASM_TARGET,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))?;
            // And the landing build (src/parts.rs): the app and the engine without public keys.
            run(cargo().current_dir(workspace_root()).args([
                "clippy",
                "--package",
                "authpath",
                "--target",
                crate::pins::WASM_TARGET,
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ]))
        },
    },
    Step {
        name: "cargo test (native)",
        run: |_| {
            run(cargo()
                .current_dir(workspace_root())
                .args(["test", "--workspace"]))?;
            // The engine of the landing build answers a server of the HMAC secret as the full
            // one does: both check the same recorded digests.
            run(cargo().current_dir(workspace_root()).args([
                "test",
                "-p",
                "authpath-engine",
                "--no-default-features",
                "--test",
                "hmac_alone",
            ]))
        },
    },
    Step {
        name: "conformance (real frameworks)",
        run: |_| conformance::check(),
    },
    Step {
        name: "browser tests (wasm-bindgen-test)",
        run: |context| {
            let browsers = browsers(context)?;
            let mut command = cargo();
            command
                .current_dir(workspace_root())
                .args([
                    "test",
                    "--target",
                    crate::pins::WASM_TARGET,
                    "-p",
                    "authpath",
                ])
                .env("CHROMEDRIVER", &browsers.chromedriver)
                // The runner's default (20 s for the whole run) is too short once the views'
                // tests walk every pair of fifteen profiles: 45 s on two busy cores.
                .env("WASM_BINDGEN_TEST_TIMEOUT", "180")
                .env("PATH", crate::command::tool_path());
            run(&mut command)
        },
    },
    Step {
        name: "trunk build --release",
        // The e2e tests open the one-file build from file:// too.
        run: |_| build_dist(true),
    },
    Step {
        name: "e2e (Playwright)",
        run: |context| {
            let browsers = browsers(context)?;
            let mut command = tool("playwright");
            command
                .arg("test")
                .current_dir(workspace_root().join("e2e"))
                .env("CHROME_BIN", &browsers.chromium);
            run(&mut command)
        },
    },
    Step {
        name: "size of dist/",
        run: |_| size::report(&workspace_root().join("dist"), true),
    },
];

fn browsers(context: &mut Context) -> Result<Browsers, String> {
    if let Some(browsers) = &context.browsers {
        return Ok(browsers.clone());
    }
    let browsers = setup::find_browsers()
        .ok_or("no Chromium and chromedriver: run `cargo xtask setup --browsers`")?;
    context.browsers = Some(browsers.clone());
    Ok(browsers)
}

/// How one step ended.
enum Outcome {
    Passed(f64),
    Failed(f64),
    Skipped,
}

/// Runs every step; on the first failure, skips the rest. Prints the summary either way.
pub fn test() -> Result<(), String> {
    let mut context = Context::default();
    let mut outcomes = Vec::new();
    let mut failure = None;
    for step in STEPS {
        if failure.is_some() {
            outcomes.push(Outcome::Skipped);
            continue;
        }
        println!("\n━━ {} ━━", step.name);
        let start = Instant::now();
        let result = (step.run)(&mut context);
        let seconds = start.elapsed().as_secs_f64();
        match result {
            Ok(()) => outcomes.push(Outcome::Passed(seconds)),
            Err(message) => {
                outcomes.push(Outcome::Failed(seconds));
                failure = Some(format!("step `{}` failed: {message}", step.name));
            }
        }
    }
    print_summary(&outcomes);
    match failure {
        Some(message) => Err(message),
        None => Ok(()),
    }
}

fn print_summary(outcomes: &[Outcome]) {
    let width = STEPS.iter().map(|step| step.name.len()).max().unwrap_or(0);
    println!("\n{:<width$}  {:<7}  {:>8}", "step", "result", "seconds");
    let mut total = 0.0;
    for (step, outcome) in STEPS.iter().zip(outcomes) {
        let (result, seconds) = match outcome {
            Outcome::Passed(seconds) => ("passed", format!("{seconds:.1}")),
            Outcome::Failed(seconds) => ("FAILED", format!("{seconds:.1}")),
            Outcome::Skipped => ("skipped", "-".to_string()),
        };
        if let Outcome::Passed(seconds) | Outcome::Failed(seconds) = outcome {
            total += seconds;
        }
        println!("{:<width$}  {result:<7}  {seconds:>8}", step.name);
    }
    println!("{:<width$}  {:<7}  {total:>8.1}", "total", "");
    let passed = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::Passed(_)))
        .count();
    let failed = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Outcome::Failed(_)))
        .count();
    let skipped = outcomes.len() - passed - failed;
    if skipped > 0 {
        println!("{passed} passed, {failed} failed, {skipped} skipped");
    } else {
        println!("{passed} passed, {failed} failed");
    }
}
