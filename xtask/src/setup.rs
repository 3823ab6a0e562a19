//! `cargo xtask setup`: installs what the other tasks need, skipping what is already there.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::command::{
    self, cargo, find_on, probe, read_text, run, timed, tool, tool_path, workspace_root,
};
use crate::{manifests, pins};

/// A headless browser and the WebDriver that drives it, both found on this machine.
#[derive(Debug, Clone)]
pub struct Browsers {
    /// Chromium or Chrome, for Playwright.
    pub chromium: PathBuf,
    /// chromedriver, for `wasm-bindgen-test-runner`.
    pub chromedriver: PathBuf,
}

/// What `setup` installs besides the build tools.
#[derive(Clone, Copy, Debug, Default)]
pub struct Extras {
    /// Chromium and chromedriver (`--browsers`).
    pub browsers: bool,
    /// The real framework apps of `conformance/` (`--conformance`).
    pub conformance: bool,
}

/// Installs every tool the build needs and the `extras` asked for.
/// Returns the browsers when they were asked for.
pub fn setup(extras: Extras) -> Result<Option<Browsers>, String> {
    let root = workspace_root();
    timed("wasm target", ensure_wasm_target)?;
    // Trunk runs cargo with --offline (Trunk.toml), so every crate must be downloaded first.
    timed("crates (cargo fetch)", || {
        run(cargo().current_dir(&root).arg("fetch"))
    })?;
    timed(&format!("trunk {}", pins::TRUNK_VERSION), ensure_trunk)?;
    timed("wasm-bindgen-cli (the version in Cargo.lock)", || {
        ensure_wasm_bindgen(&root)
    })?;
    timed("e2e packages (npm ci)", || ensure_npm_packages(&root))?;
    if extras.conformance {
        conformance_frameworks()?;
    }
    if !extras.browsers {
        return Ok(None);
    }
    timed("Chromium and chromedriver", ensure_browsers).map(Some)
}

/// Installs the real framework apps the conformance step runs: `conformance/setup.sh`, which
/// makes one Python virtual environment per `conformance/python/requirements-NAME.txt` and runs
/// `npm ci` for `conformance/node`, all under `target/conformance`, each only when missing or
/// changed (≈60 s cold, 0.1 s warm).
pub fn conformance_frameworks() -> Result<(), String> {
    let root = workspace_root();
    timed(
        "conformance frameworks (pinned pip and npm packages in target/conformance)",
        || {
            for line in conformance_packages(&root)? {
                println!("  {line}");
            }
            run(Command::new("bash").arg(root.join("conformance").join("setup.sh")))
        },
    )
}

/// One line per environment `conformance/setup.sh` makes: where, and every pinned package.
fn conformance_packages(root: &Path) -> Result<Vec<String>, String> {
    let conformance = root.join("conformance");
    let python = conformance.join("python");
    let mut requirements: Vec<PathBuf> = fs::read_dir(&python)
        .map_err(|error| format!("cannot read {}: {error}", python.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("requirements-") && name.ends_with(".txt"))
        })
        .collect();
    requirements.sort();
    let mut lines = Vec::new();
    for path in requirements {
        let name = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .and_then(|stem| stem.strip_prefix("requirements-"))
            .unwrap_or_default()
            .to_string();
        let pins: Vec<String> = read_text(&path)?
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(str::to_string)
            .collect();
        lines.push(format!("venv-{name} (pip): {}", pins.join(" ")));
    }
    let manifest = conformance.join("node").join("package.json");
    let manifest: serde_json::Value = serde_json::from_str(&read_text(&manifest)?)
        .map_err(|error| format!("cannot read {}: {error}", manifest.display()))?;
    let pins: Vec<String> = manifest
        .get("dependencies")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .map(|(name, version)| format!("{name}@{}", version.as_str().unwrap_or_default()))
        .collect();
    lines.push(format!(
        "node (npm ci, package-lock.json): {}",
        pins.join(" ")
    ));
    Ok(lines)
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed = probe(Command::new("rustup").args(["target", "list", "--installed"]))
        .ok_or("`rustup` was not found: install Rust through https://rustup.rs")?;
    if installed
        .lines()
        .any(|line| line.trim() == pins::WASM_TARGET)
    {
        println!("  skip: {} is installed", pins::WASM_TARGET);
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", pins::WASM_TARGET]))
}

fn ensure_trunk() -> Result<(), String> {
    let wanted = format!("trunk {}", pins::TRUNK_VERSION);
    let found = probe(tool("trunk").arg("--version"));
    remove_failed_downloads();
    if found.as_deref() == Some(wanted.as_str()) {
        println!("  skip: {wanted} is installed");
        return Ok(());
    }
    println!(
        "  found {}, want {wanted}",
        found.as_deref().unwrap_or("no trunk")
    );
    let version = format!("={}", pins::TRUNK_VERSION);
    run(install_tool().args(["install", "trunk", "--version", &version, "--locked"]))
}

/// twiggy, for the bench's table of the largest items of the wasm.
pub fn ensure_twiggy() -> Result<(), String> {
    let wanted = format!("twiggy {}", pins::TWIGGY_VERSION);
    if probe(tool("twiggy").arg("--version")).as_deref() == Some(wanted.as_str()) {
        println!("  skip: {wanted} is installed");
        return Ok(());
    }
    let version = format!("={}", pins::TWIGGY_VERSION);
    run(install_tool().args(["install", "twiggy", "--version", &version, "--locked"]))
}

/// `cargo` set up to install a build tool quickly. Trunk's own release profile asks for fat LTO
/// and one codegen unit, which costs minutes on two cores and buys nothing for a program that
/// mostly waits on cargo and wasm-bindgen; a profile set through the environment wins over it.
fn install_tool() -> Command {
    let mut command = cargo();
    command
        .env("CARGO_PROFILE_RELEASE_LTO", "off")
        .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16");
    command
}

/// A tool download that failed (no network) leaves an empty `*.tmp` folder in Trunk's cache,
/// which a later run mistakes for an installed tool.
fn remove_failed_downloads() {
    let Some(home) = env::var_os("HOME") else {
        return;
    };
    let cache = Path::new(&home).join(".cache").join("trunk");
    let Ok(entries) = fs::read_dir(&cache) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().ends_with(".tmp") {
            println!("  removing failed download {}", entry.path().display());
            let _ = fs::remove_dir_all(entry.path()).or_else(|_| fs::remove_file(entry.path()));
        }
    }
}

fn ensure_wasm_bindgen(root: &Path) -> Result<(), String> {
    let version = locked_wasm_bindgen(root)?;
    check_trunk_pins(root, &version)?;
    let wanted = format!("wasm-bindgen {version}");
    let found = probe(tool("wasm-bindgen").arg("--version"));
    let runner = find_on(&tool_path(), "wasm-bindgen-test-runner").is_some();
    if found.as_deref() == Some(wanted.as_str()) && runner {
        println!("  skip: {wanted} is installed");
        return Ok(());
    }
    println!(
        "  found {}, want {wanted}",
        found.as_deref().unwrap_or("no wasm-bindgen")
    );
    let pin = format!("={version}");
    let install = |locked: bool| {
        let mut command = install_tool();
        command.args(["install", "wasm-bindgen-cli", "--version", &pin]);
        if locked {
            command.arg("--locked");
        }
        run(&mut command)
    };
    // The locked dependency set of some releases names versions missing from the registry index;
    // then the only way is a fresh resolution.
    if install(true).is_ok() {
        return Ok(());
    }
    println!("  `--locked` failed; installing with a fresh dependency resolution");
    install(false)
}

/// The one version of the `wasm-bindgen` crate in Cargo.lock, which the CLI must equal.
fn locked_wasm_bindgen(root: &Path) -> Result<String, String> {
    let lock = read_text(&root.join("Cargo.lock"))?;
    let mut versions = manifests::locked_versions(&lock, "wasm-bindgen")?;
    match versions.len() {
        1 => Ok(versions.remove(0)),
        0 => Err("Cargo.lock has no `wasm-bindgen` package".to_string()),
        _ => Err(format!(
            "Cargo.lock has several `wasm-bindgen` packages ({}): the CLI can equal one only",
            versions.join(", ")
        )),
    }
}

/// Trunk.toml names the tool versions Trunk accepts; they must agree with the pins here,
/// or Trunk (offline) refuses the installed tools.
fn check_trunk_pins(root: &Path, wasm_bindgen: &str) -> Result<(), String> {
    let tools = manifests::trunk_tools(&read_text(&root.join("Trunk.toml"))?)?;
    let expected = [
        ("wasm_bindgen", tools.wasm_bindgen, wasm_bindgen.to_string()),
        (
            "wasm_opt",
            tools.wasm_opt,
            format!("version_{}", pins::BINARYEN_MAJOR),
        ),
    ];
    for (key, found, value) in expected {
        if found.as_deref() != Some(value.as_str()) {
            return Err(format!(
                "Trunk.toml: [tools] {key} is {}, but it must be \"{value}\"",
                found.map_or("missing".to_string(), |found| format!("\"{found}\""))
            ));
        }
    }
    Ok(())
}

fn ensure_npm_packages(root: &Path) -> Result<(), String> {
    let e2e = root.join("e2e");
    check_npm_pins(&e2e)?;
    let lock = fs::read(e2e.join("package-lock.json"))
        .map_err(|error| format!("cannot read e2e/package-lock.json: {error}"))?;
    let stamp = e2e.join("node_modules").join(".xtask-package-lock.json");
    if fs::read(&stamp).ok().as_ref() == Some(&lock) {
        println!("  skip: e2e/node_modules matches e2e/package-lock.json");
    } else {
        check_node()?;
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&e2e))?;
        fs::write(&stamp, &lock).map_err(|error| format!("cannot write {stamp:?}: {error}"))?;
    }
    // The wasm-opt Trunk will find first on its PATH must be binaryen's pinned release.
    let version = probe(tool("wasm-opt").arg("--version")).unwrap_or_default();
    if !version.contains(&format!("version {}", pins::BINARYEN_MAJOR)) {
        return Err(format!(
            "wasm-opt on the build PATH reports `{version}`, not binaryen {}",
            pins::BINARYEN_MAJOR
        ));
    }
    println!("  wasm-opt: {version}");
    Ok(())
}

/// Playwright needs a Node.js at least this new (its `engines` field).
fn check_node() -> Result<(), String> {
    let wanted = format!(
        "install Node.js {} or newer, with npm",
        pins::NODE_MAJOR_MINIMUM
    );
    let version = probe(Command::new("node").arg("--version"))
        .ok_or_else(|| format!("`node` was not found: {wanted}"))?;
    if node_major(&version).is_none_or(|major| major < pins::NODE_MAJOR_MINIMUM) {
        return Err(format!("Node.js {version} is too old: {wanted}"));
    }
    if probe(Command::new("npm").arg("--version")).is_none() {
        return Err(format!("`npm` was not found: {wanted}"));
    }
    Ok(())
}

/// The major version in `node --version`'s answer (`v20.20.2` → 20).
fn node_major(version: &str) -> Option<u32> {
    version.strip_prefix('v')?.split('.').next()?.parse().ok()
}

fn check_npm_pins(e2e: &Path) -> Result<(), String> {
    let manifest = read_text(&e2e.join("package.json"))?;
    for pin in [pins::BINARYEN_NPM, pins::PLAYWRIGHT_NPM] {
        let (name, version) = pin.rsplit_once('@').unwrap_or((pin, ""));
        if manifests::npm_dependency(&manifest, name)?.as_deref() != Some(version) {
            return Err(format!(
                "e2e/package.json must pin \"{name}\": \"{version}\" exactly"
            ));
        }
    }
    Ok(())
}

fn ensure_browsers() -> Result<Browsers, String> {
    if let Some(browsers) = find_browsers() {
        println!("  skip: {}", describe_browsers(&browsers));
        return Ok(browsers);
    }
    let root_user = probe(Command::new("id").arg("-u")).as_deref() == Some("0");
    let debian = Path::new("/etc/debian_version").exists();
    if !(root_user && debian) {
        return Err(format!(
            "no Chromium/Chrome with chromedriver found. Install them (Debian/Ubuntu: \
             `sudo apt-get install {}`), or point CHROME_BIN and CHROMEDRIVER at them",
            pins::DEBIAN_BROWSER_PACKAGES.join(" ")
        ));
    }
    run(Command::new("apt-get")
        .arg("update")
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y"])
        .args(pins::DEBIAN_BROWSER_PACKAGES)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    let browsers =
        find_browsers().ok_or("apt-get installed Chromium, but it is still not found")?;
    println!("  {}", describe_browsers(&browsers));
    Ok(browsers)
}

/// Looks for a browser and chromedriver: `CHROME_BIN` and `CHROMEDRIVER` first, then `PATH`.
pub fn find_browsers() -> Option<Browsers> {
    let path = tool_path();
    let from_env = |name: &str| {
        env::var_os(name)
            .map(PathBuf::from)
            .filter(|path| command::is_executable(path))
    };
    let chromium = from_env("CHROME_BIN").or_else(|| {
        [
            "chromium",
            "chromium-browser",
            "google-chrome-stable",
            "google-chrome",
        ]
        .into_iter()
        .find_map(|name| find_on(&path, name))
    })?;
    let chromedriver = from_env("CHROMEDRIVER").or_else(|| find_on(&path, "chromedriver"))?;
    Some(Browsers {
        chromium,
        chromedriver,
    })
}

fn describe_browsers(browsers: &Browsers) -> String {
    let version = probe(Command::new(&browsers.chromium).arg("--version")).unwrap_or_default();
    format!(
        "{} ({version}), {}",
        browsers.chromium.display(),
        browsers.chromedriver.display()
    )
}

#[cfg(test)]
mod tests {
    use super::node_major;

    #[test]
    fn node_majors() {
        assert_eq!(node_major("v20.20.2"), Some(20));
        assert_eq!(node_major("v18.19.0"), Some(18));
        assert_eq!(node_major("20.1.0"), None);
        assert_eq!(node_major(""), None);
    }
}
