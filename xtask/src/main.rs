//! `cargo xtask`: the project's tasks in plain Rust, needing nothing but cargo (and the
//! crates.io it reaches) to start.
//!
//! ```text
//! cargo xtask setup [--browsers]   install the tools (and the test browsers)
//! cargo xtask serve                build and serve the app on 127.0.0.1 with live reload
//! cargo xtask dist                 build the static site into dist/
//! cargo xtask test                 every check: fmt, clippy, native, conformance, browser, e2e, size
//! cargo xtask conformance          the engine's framework profiles against the real frameworks
//! cargo xtask conformance snippets the `eval --code` snippets run in the real frameworks
//! cargo xtask conformance attacks  the JWT attack catalogue against PyJWT and jsonwebtoken
//! cargo xtask bench                measure everything and rewrite BENCHMARKS.md
//! cargo xtask fuzz [--seconds N]   fuzz the engine (cargo-fuzz on nightly, else proptest)
//! ```

// A task runner talks to the person running it.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod bench;
mod command;
mod conformance;
mod firstpaint;
mod fuzz;
mod landing;
mod manifests;
mod pins;
mod prerender;
mod setup;
mod site;
mod size;
mod test;

use std::env;
use std::process::ExitCode;

use command::{run, timed, tool, workspace_root};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  setup [--browsers] [--conformance]
                      install the wasm target, Trunk, wasm-bindgen-cli and the e2e packages;
                      with --browsers also Chromium and chromedriver; with --conformance also
                      the real framework apps (conformance/setup.sh: pinned pip packages in a
                      venv per conformance/python/requirements-*.txt, npm ci for
                      conformance/node, all under target/conformance)
  serve               setup, then serve the app on 127.0.0.1 with live reload
  dist [--single-file] setup, then build the static site into dist/ (works from any sub-path);
                      with --single-file also dist/authpath.html, one file that opens from disk
  test                setup --browsers --conformance, then fmt, clippy, native tests, the
                      conformance step, browser tests, release build, end-to-end tests and the
                      size report of dist/
  conformance         setup --conformance, then the conformance step alone: each framework the
                      engine has a profile for, run for real (conformance/record.py) and
                      compared with the engine, answer by answer; then the code snippets of
                      `authpath eval --code` for every preset's response, run in the real
                      frameworks and compared byte for byte
  conformance snippets
                      setup --conformance, then the code snippets' check alone
  conformance attacks setup --conformance, then the JWT attack catalogue held to PyJWT and
                      jsonwebtoken alone
  bench               setup --browsers, then the release build and every benchmark (engine
                      native and in Chromium, the page, serve under load, sizes, twiggy);
                      rewrites BENCHMARKS.md; not part of `test`
  fuzz [--seconds N]  fuzz the engine, each target N seconds (default 60): cargo-fuzz on
                      nightly, else a randomized property test; not part of `test`";

fn main() -> ExitCode {
    let arguments: Vec<String> = env::args().skip(1).collect();
    let words: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["setup", flags @ ..] => setup_extras(flags).and_then(setup::setup).map(drop),
        ["serve"] => serve(),
        // Trunk runs this after every build (Trunk.toml [[hooks]]).
        ["dev-html"] => site::dev_html(),
        ["dist"] => dist(false),
        ["dist", "--single-file"] => dist(true),
        ["test"] => test::test(),
        ["conformance"] => setup::conformance_frameworks()
            .and_then(|()| timed("conformance (real frameworks)", conformance::check)),
        ["conformance", "attacks"] => setup::conformance_frameworks().and_then(|()| {
            timed("conformance (JWT attack catalogue)", || {
                conformance::attacks::check(&workspace_root())
            })
        }),
        ["conformance", "snippets"] => setup::conformance_frameworks().and_then(|()| {
            timed("conformance (code snippets)", || {
                conformance::snippets::check(&workspace_root())
            })
        }),
        ["bench"] => bench::bench(),
        ["fuzz", rest @ ..] => fuzz::parse_seconds(rest).and_then(fuzz::fuzz),
        [] | ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown task `{}`\n\n{USAGE}", words.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nerror: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The extras `setup`'s flags ask for, in any order.
fn setup_extras(flags: &[&str]) -> Result<setup::Extras, String> {
    let mut extras = setup::Extras::default();
    for flag in flags {
        match *flag {
            "--browsers" => extras.browsers = true,
            "--conformance" => extras.conformance = true,
            _ => return Err(format!("unknown flag `{flag}` for setup\n\n{USAGE}")),
        }
    }
    Ok(extras)
}

fn serve() -> Result<(), String> {
    setup::setup(setup::Extras::default())?;
    println!("▶ trunk serve on http://127.0.0.1:8080/ (Ctrl-C stops it)");
    run(tool("trunk")
        .current_dir(workspace_root())
        .args(["serve", "--address", "127.0.0.1"]))
}

fn dist(single_file: bool) -> Result<(), String> {
    setup::setup(setup::Extras::default())?;
    timed("trunk build --release", || build_dist(single_file))?;
    size::report(&workspace_root().join("dist"), false)
}

/// The release build into `dist/`. Relative asset URLs (`--public-url ./`) let the site work
/// from any sub-path of a docs site or static host.
/// Then what the first paint waits for goes into the page (xtask/src/firstpaint.rs), the pages
/// are prerendered (the app rendered natively to HTML, see src/pages.rs), the service worker
/// gets this build's file list, and with `single_file` the page is also written as one
/// self-contained file.
fn build_dist(single_file: bool) -> Result<(), String> {
    let root = workspace_root();
    run(tool("trunk")
        .current_dir(&root)
        .args(["build", "--release", "--public-url", "./"]))?;
    let dist = root.join("dist");
    let inlined = firstpaint::inline(&dist)?;
    let landing = timed("the landing build", || landing::build(&root, &dist))?;
    let default_page = timed("prerender the pages", || {
        prerender::pages(&root, &dist, &landing)
    })?;
    if single_file {
        site::single_file(&dist, &inlined, &default_page)?;
    }
    site::service_worker(&root, &dist)
}
