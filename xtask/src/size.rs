//! The size report of `dist/`: each file raw, `gzip -9` and brotli, and the first-load budget.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::pins;

/// File kinds the browser fetches on the first load of the page; the budget counts these.
const FIRST_LOAD_EXTENSIONS: [&str; 4] = ["html", "js", "wasm", "css"];

/// Prints the sizes of every file under `dist` and how the first load stands against the
/// enforced limit and the goal; with `enforce`, a first load over the limit is an error.
pub fn report(dist: &Path, enforce: bool) -> Result<(), String> {
    let rows = rows(dist)?;
    let total = first_load_total(&rows);
    print_table(&rows, &total);
    let full = on_demand_total(&rows);
    println!(
        "  on demand: the full build (src/parts.rs), fetched in idle time: {} gzip, {} raw",
        kilobytes(full.gzip),
        kilobytes(full.raw)
    );
    match verdict(total.gzip, pins::FIRST_LOAD_GZIP_LIMIT) {
        Ok(line) => {
            println!("  {line}");
            Ok(())
        }
        Err(line) if enforce => Err(line),
        Err(line) => {
            println!("  ⚠ {line}");
            Ok(())
        }
    }
}

/// The first load against `limit` (enforced: over it is an error). There is no size goal: the
/// goals are times (first answer, interactive), which `cargo xtask bench` measures.
fn verdict(total_gzip: u64, limit: u64) -> Result<String, String> {
    if total_gzip > limit {
        return Err(format!(
            "first load is {} gzip, over the limit of {} by {} (shares above); \
             shrink what grew, or raise FIRST_LOAD_GZIP_LIMIT in xtask/src/pins.rs on purpose",
            kilobytes(total_gzip),
            kilobytes(limit),
            kilobytes(total_gzip - limit),
        ));
    }
    Ok(format!(
        "first load: {} gzip, within the limit of {}",
        kilobytes(total_gzip),
        kilobytes(limit)
    ))
}

/// Each file under `dist`, sorted by name: raw, `gzip -9` and brotli sizes, and whether the
/// first load of the page fetches it.
pub(crate) fn rows(dist: &Path) -> Result<Vec<Row>, String> {
    let names = crate::site::files(dist)?;
    if names.is_empty() {
        return Err(format!("{} is empty: build it first", dist.display()));
    }
    let files: Vec<PathBuf> = names.iter().map(|name| dist.join(name)).collect();
    let brotli = brotli_sizes(&files);
    let index = fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    let fetched = fetched_by(&index);
    let mut rows = Vec::new();
    for (index, (name, file)) in names.into_iter().zip(&files).enumerate() {
        let raw = fs::metadata(file)
            .map_err(|error| format!("cannot read {}: {error}", file.display()))?
            .len();
        rows.push(Row {
            name,
            raw,
            gzip: gzip_size(file)?,
            brotli: brotli.as_ref().and_then(|sizes| sizes.get(index).copied()),
            first_load: is_first_load(dist, file, &fetched),
        });
    }
    Ok(rows)
}

/// The sums over the files of the first load; brotli only when it is known for each.
pub(crate) fn first_load_total(rows: &[Row]) -> Row {
    let first_load = || rows.iter().filter(|row| row.first_load);
    Row {
        name: format!("first load ({})", FIRST_LOAD_EXTENSIONS.join(", ")),
        raw: first_load().map(|row| row.raw).sum(),
        gzip: first_load().map(|row| row.gzip).sum(),
        brotli: first_load().map(|row| row.brotli).sum(),
        first_load: true,
    }
}

/// The sums over the full build's glue and wasm, which the landing page loads on demand.
pub(crate) fn on_demand_total(rows: &[Row]) -> Row {
    let full = || {
        rows.iter().filter(|row| {
            row.name.starts_with("authpath-web-")
                && (row.name.ends_with(".js") || row.name.ends_with(".wasm"))
        })
    };
    Row {
        name: "on demand (the full build)".to_string(),
        raw: full().map(|row| row.raw).sum(),
        gzip: full().map(|row| row.gzip).sum(),
        brotli: full().map(|row| row.brotli).sum(),
        first_load: false,
    }
}

/// One file's sizes, in bytes.
pub(crate) struct Row {
    /// The path inside `dist/`.
    pub(crate) name: String,
    pub(crate) raw: u64,
    pub(crate) gzip: u64,
    /// `None` when Node.js is missing.
    pub(crate) brotli: Option<u64>,
    /// Whether the first load of the page fetches it.
    pub(crate) first_load: bool,
}

impl Row {
    /// The brotli size in kilobytes, or "n/a".
    pub(crate) fn brotli_kilobytes(&self) -> String {
        self.brotli.map_or("n/a".to_string(), kilobytes)
    }
}

fn print_table(rows: &[Row], total: &Row) {
    let width = rows
        .iter()
        .map(|row| row.name.len())
        .max()
        .unwrap_or(0)
        .max(16);
    let line = |[name, raw, gzip, brotli, share]: [&str; 5]| {
        println!("  {name:<width$}  {raw:>10}  {gzip:>10}  {brotli:>10}  {share:>7}");
    };
    line(["file", "raw", "gzip -9", "brotli", "share"]);
    for row in rows {
        let share = if row.first_load && total.gzip > 0 {
            format!("{:.1} %", row.gzip as f64 * 100.0 / total.gzip as f64)
        } else {
            "-".to_string()
        };
        line([
            &row.name,
            &kilobytes(row.raw),
            &kilobytes(row.gzip),
            &row.brotli_kilobytes(),
            &share,
        ]);
    }
    line([
        &total.name,
        &kilobytes(total.raw),
        &kilobytes(total.gzip),
        &total.brotli_kilobytes(),
        "100 %",
    ]);
}

fn is_first_load(dist: &Path, file: &Path, fetched: &[String]) -> bool {
    // The page and what it fetches to start: the landing build's glue and wasm, boot.js, any
    // stylesheet it links. Not the full build, loaded on demand (src/parts.rs), nor the service
    // worker, the one-file build or the examples. Of the prerendered pages (src/pages.rs) a
    // reader loads one, in place of index.html: index.html, the prerendered default scenario,
    // stands for them.
    let top_level = file.parent() == Some(dist);
    let name = file
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default();
    top_level
        && (name == "index.html" || fetched.iter().any(|wanted| wanted == name))
        && file
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| FIRST_LOAD_EXTENSIONS.contains(&extension))
}

/// The local files a page fetches as it loads: what it preloads, its scripts and stylesheets.
fn fetched_by(page: &str) -> Vec<String> {
    let names = std::cell::RefCell::new(Vec::new());
    let mut keep = |url: Option<String>| {
        let url = url.unwrap_or_default();
        let name = url.trim_start_matches("./");
        if !name.is_empty() && !name.contains(':') {
            names.borrow_mut().push(name.to_string());
        }
    };
    let keep = std::cell::RefCell::new(&mut keep);
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!(
            "link[rel=modulepreload], link[rel=preload], link[rel=stylesheet]",
            |link| {
                (keep.borrow_mut())(link.get_attribute("href"));
                Ok(())
            }
        ))
        .append_element_content_handler(lol_html::element!("script[src]", |script| {
            (keep.borrow_mut())(script.get_attribute("src"));
            Ok(())
        }));
    // A page lol_html cannot read fetches nothing the report can name.
    let _ = lol_html::rewrite_str(page, settings);
    names.into_inner()
}

/// The size of `file` compressed by `gzip -9`, the figure the budget is stated in.
fn gzip_size(file: &Path) -> Result<u64, String> {
    let input = File::open(file).map_err(|error| format!("cannot open {file:?}: {error}"))?;
    let output = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(input)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| format!("cannot run gzip: {error}"))?;
    if !output.status.success() {
        return Err(format!("gzip failed on {}", file.display()));
    }
    Ok(output.stdout.len() as u64)
}

/// Brotli (quality 11) sizes through Node.js's zlib, which the e2e tests need anyway;
/// `None` when Node.js is missing, as brotli is reported but not budgeted.
fn brotli_sizes(files: &[PathBuf]) -> Option<Vec<u64>> {
    const SCRIPT: &str = "const zlib = require('zlib'); const fs = require('fs');\
        for (const file of process.argv.slice(1)) console.log(zlib.brotliCompressSync(\
        fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length);";
    let output = Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .args(files)
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let sizes: Vec<u64> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| line.trim().parse().ok())
        .collect::<Option<_>>()?;
    (sizes.len() == files.len()).then_some(sizes)
}

/// Bytes as kilobytes (1000 bytes), the unit of the budget.
pub(crate) fn kilobytes(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::{fetched_by, is_first_load, kilobytes, on_demand_total, verdict, Row};
    use std::path::Path;

    /// A landing page as the release build writes it: minified, the landing build preloaded,
    /// the full build named for later.
    const PAGE: &str = "<html><head><link href=./favicon-5e6f.svg rel=icon><link href=./styles-3c4d.css rel=stylesheet><link crossorigin href=./authpath-landing-1a.js integrity=sha384-G rel=modulepreload><link as=fetch crossorigin href=\"./authpath-landing-1a_bg.wasm\" rel=\"preload\"><meta name=\"authpath-full\" data-glue=\"./authpath-web-2b.js\" data-wasm=\"./authpath-web-2b_bg.wasm\"><script src=./boot-9a8b.js type=module></script><link href=https://example.com/x.css rel=stylesheet></head></html>";

    #[test]
    fn a_page_fetches_what_it_preloads_links_and_runs() {
        assert_eq!(
            fetched_by(PAGE),
            [
                "styles-3c4d.css",
                "authpath-landing-1a.js",
                "authpath-landing-1a_bg.wasm",
                "boot-9a8b.js"
            ]
        );
    }

    fn check_first_load(file: &str, expected: bool) {
        let dist = Path::new("dist");
        let fetched = fetched_by(PAGE);
        assert_eq!(
            is_first_load(dist, &dist.join(file), &fetched),
            expected,
            "{file}"
        );
    }

    #[test]
    fn first_load_files() {
        check_first_load("index.html", true);
        check_first_load("preset-no-token.html", false);
        check_first_load("embed.html", false);
        check_first_load("boot-9a8b.js", true);
        check_first_load("sw.js", false);
        check_first_load("authpath.html", false);
        check_first_load("examples/embed.html", false);
        check_first_load("authpath-landing-1a_bg.wasm", true);
        check_first_load("authpath-landing-1a.js", true);
        check_first_load("authpath-web-2b_bg.wasm", false);
        check_first_load("authpath-web-2b.js", false);
        check_first_load("styles-3c4d.css", true);
        check_first_load("favicon-5e6f.svg", false);
        check_first_load("site.webmanifest", false);
        check_first_load("LICENSE", false);
    }

    #[test]
    fn the_full_build_is_counted_on_demand() {
        let row = |name: &str, gzip: u64| Row {
            name: name.to_string(),
            raw: gzip * 3,
            gzip,
            brotli: Some(gzip - 1),
            first_load: false,
        };
        let rows = [
            row("authpath-web-2b.js", 8),
            row("authpath-web-2b_bg.wasm", 500),
            row("authpath-landing-1a_bg.wasm", 300),
            row("authpath-web-2b.css", 7),
            row("index.html", 15),
        ];
        let full = on_demand_total(&rows);
        assert_eq!((full.raw, full.gzip, full.brotli), (1524, 508, Some(506)));
    }

    #[test]
    fn limit() {
        let within = verdict(140_000, 150_000);
        assert_eq!(
            within.as_deref(),
            Ok("first load: 140.0 KB gzip, within the limit of 150.0 KB")
        );
        let over = verdict(211_500, 210_000).expect_err("over the limit");
        assert!(
            over.starts_with("first load is 211.5 KB gzip, over the limit of 210.0 KB by 1.5 KB"),
            "{over}"
        );
        assert!(
            verdict(210_000, 210_000).is_ok(),
            "the limit itself is allowed"
        );
    }

    #[test]
    fn kilobyte_figures() {
        assert_eq!(kilobytes(0), "0.0 KB");
        assert_eq!(kilobytes(150_000), "150.0 KB");
        assert_eq!(kilobytes(61_449), "61.4 KB");
    }
}
