//! The landing build (src/parts.rs): the app without its `full` feature, built beside Trunk's
//! full build with the same tools and flags, for the pages whose view it holds. Those pages
//! start it and name the full build, which they load on demand.

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use sha2::{Digest, Sha384};

use crate::command::{cargo, read_text, run, target_dir, tool};

/// The file names of the landing build in `dist/` start with this.
pub const PREFIX: &str = "authpath-landing-";

/// A build's two files in `dist/` and their Subresource Integrity values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Files {
    pub glue: String,
    pub glue_integrity: String,
    pub wasm: String,
    pub wasm_integrity: String,
}

/// Builds the landing build into `dist/`: cargo without `full`, then wasm-bindgen and wasm-opt as
/// Trunk runs them for index.html (its `data-wasm-opt-params`), under names that change with
/// the content, as Trunk's do.
pub fn build(root: &Path, dist: &Path) -> Result<Files, String> {
    run(cargo().current_dir(root).args([
        "build",
        "--release",
        "--locked",
        "--quiet",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "authpath",
        "--bin",
        "authpath-web",
        "--no-default-features",
    ]))?;
    let target = target_dir(root);
    let input = target
        .join("wasm32-unknown-unknown")
        .join("release")
        .join("authpath-web.wasm");
    let out = target.join("landing");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(|error| format!("creating {}: {error}", out.display()))?;
    run(tool("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "landing",
        ])
        .arg("--out-dir")
        .arg(&out)
        .arg(&input))?;
    let index = read_text(&root.join("index.html"))?;
    let params = wasm_opt_params(&index)?;
    let bound = out.join("landing_bg.wasm");
    let optimized = out.join("landing.opt.wasm");
    run(tool("wasm-opt")
        .arg("-Oz")
        .args(params.split_whitespace())
        .arg(&bound)
        .arg("-o")
        .arg(&optimized))?;
    let glue = read(&out.join("landing.js"))?;
    let wasm = read(&optimized)?;
    let mut hasher = Sha384::new();
    hasher.update(&glue);
    hasher.update(&wasm);
    let hash: String = hasher.finalize()[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let files = Files {
        glue: format!("{PREFIX}{hash}.js"),
        glue_integrity: integrity(&glue),
        wasm: format!("{PREFIX}{hash}_bg.wasm"),
        wasm_integrity: integrity(&wasm),
    };
    write(&dist.join(&files.glue), &glue)?;
    write(&dist.join(&files.wasm), &wasm)?;
    Ok(files)
}

/// The full build Trunk wrote, as the page preloads it.
pub fn full(page: &str) -> Result<Files, String> {
    let found = RefCell::new(Files {
        glue: String::new(),
        glue_integrity: String::new(),
        wasm: String::new(),
        wasm_integrity: String::new(),
    });
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("link[rel=modulepreload]", |link| {
            let mut files = found.borrow_mut();
            files.glue = local(link.get_attribute("href"));
            files.glue_integrity = link.get_attribute("integrity").unwrap_or_default();
            Ok(())
        }))
        .append_element_content_handler(element!("link[rel=preload][as=fetch]", |link| {
            let mut files = found.borrow_mut();
            files.wasm = local(link.get_attribute("href"));
            files.wasm_integrity = link.get_attribute("integrity").unwrap_or_default();
            Ok(())
        }));
    rewrite_str(page, settings).map_err(|error| format!("reading the built page: {error}"))?;
    let files = found.into_inner();
    if files.glue.is_empty() || files.wasm.is_empty() {
        return Err("the built index.html preloads no glue and wasm".to_string());
    }
    Ok(files)
}

/// `page` starting the landing build instead of the full one, and naming the full one for
/// assets/boot.js to load on demand.
pub fn retarget(page: &str, landing: &Files, full: &Files) -> Result<String, String> {
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("link[rel=modulepreload]", |link| {
            link.set_attribute("href", &format!("./{}", landing.glue))?;
            link.set_attribute("integrity", &landing.glue_integrity)?;
            Ok(())
        }))
        .append_element_content_handler(element!("link[rel=preload][as=fetch]", |link| {
            link.set_attribute("href", &format!("./{}", landing.wasm))?;
            link.set_attribute("integrity", &landing.wasm_integrity)?;
            // Where the full build is: fetched in idle time, started on demand.
            link.after(
                &format!(
                    "<meta name=\"authpath-full\" data-glue=\"./{}\" data-wasm=\"./{}\" data-wasm-integrity=\"{}\">",
                    full.glue, full.wasm, full.wasm_integrity
                ),
                ContentType::Html,
            );
            Ok(())
        }));
    let rewritten = rewrite_str(page, settings)
        .map_err(|error| format!("rewriting the built page: {error}"))?;
    if !rewritten.contains("name=\"authpath-full\"") {
        return Err("the built index.html preloads no wasm to start".to_string());
    }
    Ok(rewritten)
}

/// index.html's `data-wasm-opt-params`: the features Trunk lets wasm-opt use.
fn wasm_opt_params(index: &str) -> Result<String, String> {
    let from = index
        .find("data-wasm-opt-params=\"")
        .ok_or("index.html has no data-wasm-opt-params")?
        + "data-wasm-opt-params=\"".len();
    let to = index[from..]
        .find('"')
        .ok_or("index.html's data-wasm-opt-params is not closed")?;
    Ok(index[from..from + to].to_string())
}

fn local(href: Option<String>) -> String {
    href.unwrap_or_default()
        .trim_start_matches("./")
        .to_string()
}

/// A Subresource Integrity value, as Trunk writes them.
fn integrity(bytes: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(Sha384::digest(bytes)))
}

fn read(path: &PathBuf) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|error| format!("reading {}: {error}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    fs::write(path, bytes).map_err(|error| format!("writing {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::{full, integrity, retarget, wasm_opt_params, Files};

    const PAGE: &str = "<html><head><link crossorigin href=./authpath-web-1a.js integrity=sha384-G rel=modulepreload><link as=fetch crossorigin href=./authpath-web-1a_bg.wasm integrity=sha384-W rel=preload type=application/wasm></head><body></body></html>";

    fn files(prefix: &str) -> Files {
        Files {
            glue: format!("{prefix}.js"),
            glue_integrity: format!("sha384-{prefix}G"),
            wasm: format!("{prefix}_bg.wasm"),
            wasm_integrity: format!("sha384-{prefix}W"),
        }
    }

    #[test]
    fn the_full_build_is_read_from_the_page() {
        assert_eq!(
            full(PAGE),
            Ok(Files {
                glue: "authpath-web-1a.js".to_string(),
                glue_integrity: "sha384-G".to_string(),
                wasm: "authpath-web-1a_bg.wasm".to_string(),
                wasm_integrity: "sha384-W".to_string(),
            })
        );
        assert!(full("<html><head></head></html>").is_err());
    }

    #[test]
    fn a_landing_page_starts_the_landing_build_and_names_the_full_one() {
        let page = retarget(PAGE, &files("landing"), &files("full")).unwrap_or_default();
        assert!(
            page.contains("href=\"./landing.js\" integrity=\"sha384-landingG\" rel=modulepreload"),
            "{page}"
        );
        assert!(
            page.contains("href=\"./landing_bg.wasm\" integrity=\"sha384-landingW\""),
            "{page}"
        );
        assert!(page.contains("<meta name=\"authpath-full\" data-glue=\"./full.js\" data-wasm=\"./full_bg.wasm\" data-wasm-integrity=\"sha384-fullW\">"), "{page}");
        assert!(!page.contains("authpath-web-1a"), "{page}");
        assert!(retarget("<html></html>", &files("a"), &files("b")).is_err());
    }

    #[test]
    fn wasm_opt_gets_the_pages_features() {
        let index = "<link data-trunk rel=\"rust\" data-wasm-opt=\"z\" data-wasm-opt-params=\"--enable-bulk-memory --enable-sign-ext\" />";
        assert_eq!(
            wasm_opt_params(index).as_deref(),
            Ok("--enable-bulk-memory --enable-sign-ext")
        );
        assert!(wasm_opt_params("<link />").is_err());
    }

    #[test]
    fn integrity_is_sha384_in_base64() {
        // The SHA-384 of "abc" (FIPS 180-2), in base64.
        assert_eq!(
            integrity(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
