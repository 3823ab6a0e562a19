//! Every pinned tool version and limit, in one place.
//!
//! Two pins live elsewhere by necessity and are checked against these by `setup`:
//! the `wasm-bindgen` crate version (Cargo.toml / Cargo.lock; the CLI must equal it exactly) and
//! the npm packages (e2e/package.json and its lock: binaryen, Playwright).

/// The target the web app compiles to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Trunk, the app's bundler. 0.22 needs a newer rustc than the one these machines run.
pub const TRUNK_VERSION: &str = "0.21.14";

/// The wasm size profiler `cargo xtask bench` runs (installed by the bench, not by the test).
pub const TWIGGY_VERSION: &str = "0.8.0";

/// The cargo-fuzz release series the fuzz targets are written for (any `0.13.x` will do).
pub const CARGO_FUZZ_VERSION: &str = "0.13";

/// The binaryen release whose `wasm-opt` (from npm) Trunk runs. Older ones (Debian's 108,
/// `cargo install wasm-opt`'s 116) cannot parse what wasm-bindgen 0.2.130 emits.
pub const BINARYEN_MAJOR: &str = "132";

/// The npm package that provides `wasm-opt`, at the version `e2e/package.json` must pin.
pub const BINARYEN_NPM: &str = "binaryen@132.0.0";

/// The Playwright test runner `e2e/package.json` must pin.
pub const PLAYWRIGHT_NPM: &str = "@playwright/test@1.65.1";

/// The oldest Node.js the e2e packages run on (Playwright's `engines`); Debian 12's own is 18.
pub const NODE_MAJOR_MINIMUM: u32 = 20;

/// What `cargo xtask test` enforces for the first load of `dist/` (what the landing page
/// fetches: html, js, wasm, css, `gzip -9`, in bytes): a ratchet a little above today's first
/// load, so growth fails the run. Lower it whenever the page shrinks; raise it only on purpose,
/// for a feature the landing page needs at once (src/parts.rs: anything else loads on demand),
/// saying by how much in the commit and in BENCHMARKS.md. The goal (#27) is 250 KB.
pub const FIRST_LOAD_GZIP_LIMIT: u64 = 350_000;

/// Debian packages that provide a headless browser and its WebDriver.
pub const DEBIAN_BROWSER_PACKAGES: [&str; 2] = ["chromium", "chromium-driver"];
