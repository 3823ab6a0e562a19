//! What Trunk does not write: the service worker with this build's file list, and the
//! one-file build that works from `file://`.

use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use lol_html::{element, rewrite_str, RewriteStrSettings};

use crate::command::read_text;
use crate::firstpaint::Inlined;
use crate::prerender::Prerendered;

/// The service worker's template; `__AUTHPATH_VERSION__` and `__AUTHPATH_FILES__` are filled in.
const SERVICE_WORKER_TEMPLATE: &str = "assets/sw.js";
/// The one-file build's name inside `dist/`.
pub const SINGLE_FILE: &str = "authpath.html";

/// Writes `dist/sw.js`: the files of this build, and a version that changes whenever any of
/// them does, so browsers pick up a new build on the next load.
pub fn service_worker(root: &Path, dist: &Path) -> Result<(), String> {
    let template = read_text(&root.join(SERVICE_WORKER_TEMPLATE))?;
    let mut files = files(dist)?;
    files.retain(|name| name != "sw.js" && name != SINGLE_FILE);
    let mut hash = Fnv::default();
    for name in &files {
        hash.write(name.as_bytes());
        hash.write(&fs::read(dist.join(name)).map_err(|e| format!("reading {name}: {e}"))?);
    }
    let list = cached_urls(&files);
    let script = template
        .replace("__AUTHPATH_VERSION__", &format!("{:016x}", hash.0))
        .replace("__AUTHPATH_FILES__", &js_array(&list));
    write_text(&dist.join("sw.js"), &script)?;
    println!("  sw.js: {} files, version {:016x}", list.len(), hash.0);
    Ok(())
}

/// The URLs the service worker caches for the site's `files`: "./" is the page itself,
/// whatever the host calls it (index.html, a sub-path).
fn cached_urls(files: &[String]) -> Vec<String> {
    std::iter::once("./".to_string())
        .chain(
            files
                .iter()
                .filter(|name| name.as_str() != "index.html")
                .map(|name| format!("./{name}")),
        )
        .collect()
}

/// `strings` as a JavaScript array literal: JSON strings, which JavaScript reads as they are.
fn js_array(strings: &[String]) -> String {
    let items: Vec<String> = strings
        .iter()
        .map(|text| serde_json::Value::from(text.as_str()).to_string())
        .collect();
    format!("[{}]", items.join(", "))
}

/// Writes `dist/authpath.html`: the page with its CSS, JS glue and wasm inlined, started with
/// `initSync`, so it opens from disk where module fetches are refused. It carries the default
/// page prerendered, as index.html does, and hydrates it.
pub fn single_file(
    dist: &Path,
    inlined: &Inlined,
    prerendered: &Prerendered,
) -> Result<PathBuf, String> {
    let index = read_text(&dist.join("index.html"))?;
    let glue = find_asset(dist, |name| {
        name.starts_with("authpath-web") && name.ends_with(".js")
    })?;
    // Trunk's build, the full one: the one-file page carries every part (src/parts.rs).
    let wasm = find_asset(dist, |name| {
        name.starts_with("authpath-web") && name.ends_with("_bg.wasm")
    })?;
    let icon = find_asset(dist, |name| {
        name.starts_with("favicon") && name.ends_with(".svg")
    })?;
    let title = between(&index, "<title>", "</title>").unwrap_or("authpath");
    let description = description(&index).replace('"', "&quot;");
    let noscript = between(&index, "<noscript>", "</noscript>").unwrap_or("");
    let html = OneFilePage {
        title,
        description: &description,
        noscript,
        early: &inlined.early,
        prerendered,
        css: &inlined.css,
        glue: &read_text(&dist.join(glue))?,
        wasm: &fs::read(dist.join(&wasm)).map_err(|e| format!("reading {wasm}: {e}"))?,
        icon: &fs::read(dist.join(&icon)).map_err(|e| format!("reading {icon}: {e}"))?,
    }
    .html()?;
    let path = dist.join(SINGLE_FILE);
    write_text(&path, &html)?;
    println!("  {SINGLE_FILE}: {} bytes", html.len());
    Ok(path)
}

/// What the one-file page is made of: the built page's text parts, and the wasm and icon it
/// carries as base64.
struct OneFilePage<'a> {
    title: &'a str,
    description: &'a str,
    /// What the page says with scripts off, below which the prerendered scenario is readable.
    noscript: &'a str,
    /// assets/early.js: before the first paint, hides a prerendered scenario that is not the
    /// link's.
    early: &'a str,
    prerendered: &'a Prerendered,
    css: &'a str,
    /// wasm-bindgen's JS glue, which defines `initSync`.
    glue: &'a str,
    wasm: &'a [u8],
    /// The SVG favicon, as a `data:` URL.
    icon: &'a [u8],
}

impl OneFilePage<'_> {
    /// The page as one HTML file. Standard base64 with padding, the alphabet `atob` decodes.
    fn html(&self) -> Result<String, String> {
        if self.css.contains("</style")
            || self.glue.contains("</script")
            || self.early.contains("</script")
        {
            return Err("an asset contains a closing tag and cannot be inlined".to_string());
        }
        let Self {
            title,
            description,
            noscript,
            early,
            css,
            glue,
            ..
        } = self;
        let fragment = self
            .prerendered
            .fragment
            .replace('&', "&amp;")
            .replace('"', "&quot;");
        let app = &self.prerendered.html;
        let wasm = STANDARD.encode(self.wasm);
        let icon = STANDARD.encode(self.icon);
        Ok(format!(
            "<!doctype html>\n<html lang=\"en\" data-fragment=\"{fragment}\">\n<head>\n<meta charset=\"utf-8\" />\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
             <meta name=\"color-scheme\" content=\"light dark\" />\n\
             <meta name=\"description\" content=\"{description}\" />\n<title>{title}</title>\n\
             <link rel=\"icon\" type=\"image/svg+xml\" href=\"data:image/svg+xml;base64,{icon}\" />\n\
             <style>{css}</style>\n<script>{early}</script>\n</head>\n<body>\n\
             <noscript>{noscript}</noscript>\n<div id=\"app\">{app}</div>\n\
             <script type=\"module\">\n{glue}\n\
             const bytes = Uint8Array.from(atob(\"{wasm}\"), (c) => c.charCodeAt(0));\n\
             initSync({{ module: bytes }});\n</script>\n</body>\n</html>\n"
        ))
    }
}

/// The page's description, as its `<meta name="description">` holds it (quoted or not: Trunk
/// minifies release pages).
fn description(index: &str) -> String {
    let found = RefCell::new(String::new());
    // A page lol_html cannot read has no description to carry; the rest of the page says so.
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "meta[name=description]",
        |meta| {
            found.replace(meta.get_attribute("content").unwrap_or_default());
            Ok(())
        }
    ));
    let _ = rewrite_str(index, settings);
    found.into_inner()
}

/// Trunk's post-build hook: in debug builds (`cargo xtask serve`) the page loses its
/// Content-Security-Policy, because Trunk injects its live-reload script inline and 0.21 has no
/// nonce for it. Release builds keep the policy untouched.
pub fn dev_html() -> Result<(), String> {
    if std::env::var("TRUNK_PROFILE").as_deref() != Ok("debug") {
        return Ok(());
    }
    let staging = std::env::var("TRUNK_STAGING_DIR")
        .map_err(|_| "TRUNK_STAGING_DIR is not set: this task runs as Trunk's hook".to_string())?;
    let path = Path::new(&staging).join("index.html");
    let html = read_text(&path)?;
    write_text(&path, &without_csp(&html))
}

/// `html` without its `<meta http-equiv="Content-Security-Policy" …>` tag.
fn without_csp(html: &str) -> String {
    let Some(at) = html.find("Content-Security-Policy") else {
        return html.to_string();
    };
    let start = html[..at].rfind("<meta").unwrap_or(at);
    let end = html[at..].find('>').map_or(html.len(), |end| at + end + 1);
    format!("{}{}", &html[..start], &html[end..])
}

fn find_asset(dist: &Path, wanted: impl Fn(&str) -> bool) -> Result<String, String> {
    let mut names: Vec<String> = fs::read_dir(dist)
        .map_err(|e| format!("reading {}: {e}", dist.display()))?
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| wanted(name))
        .collect();
    match names.len() {
        1 => Ok(names.remove(0)),
        0 => Err(format!(
            "{} has no such asset: build the site first",
            dist.display()
        )),
        _ => Err(format!(
            "{} has several candidates: {names:?}",
            dist.display()
        )),
    }
}

/// The files of the built site under `dist`, as sorted `/`-separated paths inside it.
pub(crate) fn files(dist: &Path) -> Result<Vec<String>, String> {
    let mut files = Vec::new();
    collect(dist, dist, &mut files)?;
    files.sort();
    Ok(files)
}

fn collect(dist: &Path, directory: &Path, files: &mut Vec<String>) -> Result<(), String> {
    let entries =
        fs::read_dir(directory).map_err(|e| format!("reading {}: {e}", directory.display()))?;
    for entry in entries.filter_map(|entry| entry.ok()) {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // Trunk's staging folder and other dot-folders are not part of the site.
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(dist, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(dist) {
            files.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    text.get(from..to)
}

fn write_text(path: &Path, text: &str) -> Result<(), String> {
    fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// FNV-1a, 64 bits: a build fingerprint, not a security measure.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;

    use super::{
        between, cached_urls, description, js_array, without_csp, OneFilePage, Prerendered,
        STANDARD,
    };

    #[test]
    fn the_description_is_read_quoted_or_minified() {
        let minified = "<title>t</title><meta content=\"Why 401, or 403\" name=description><meta content=x name=other>";
        assert_eq!(description(minified), "Why 401, or 403");
        assert_eq!(
            description("<meta name=\"description\" content=\"a\" />"),
            "a"
        );
        assert_eq!(description("<title>none</title>"), "");
    }

    #[test]
    fn the_dev_page_loses_only_its_policy() {
        let page = "<head><meta charset=utf-8><meta content=\"default-src 'self'\" http-equiv=Content-Security-Policy><title>t</title>";
        assert_eq!(
            without_csp(page),
            "<head><meta charset=utf-8><title>t</title>"
        );
        assert_eq!(without_csp("<head></head>"), "<head></head>");
    }

    static PRERENDERED: Prerendered = Prerendered {
        fragment: String::new(),
        html: String::new(),
    };

    fn page<'a>(css: &'a str, glue: &'a str, wasm: &'a [u8], icon: &'a [u8]) -> OneFilePage<'a> {
        OneFilePage {
            title: "authpath",
            description: "why 401",
            noscript: "needs JavaScript",
            early: "",
            prerendered: &PRERENDERED,
            css,
            glue,
            wasm,
            icon,
        }
    }

    /// The wasm and the icon come back byte for byte from the base64 in the page, decoded as
    /// `atob` and a `data:` URL decode it.
    fn check_round_trip(wasm: &[u8], icon: &[u8]) {
        let html = page("body{}", "export function initSync() {}", wasm, icon)
            .html()
            .unwrap_or_default();
        let decoded = |start: &str, end: &str| {
            between(&html, start, end).and_then(|text| STANDARD.decode(text).ok())
        };
        assert_eq!(decoded("atob(\"", "\")").as_deref(), Some(wasm), "{html}");
        assert_eq!(
            decoded("data:image/svg+xml;base64,", "\"").as_deref(),
            Some(icon),
            "{html}"
        );
    }

    #[test]
    fn the_one_file_page_carries_its_bytes_in_base64() {
        check_round_trip(b"", b"");
        check_round_trip(b"\0asm\x01\0\0\0", b"<svg/>");
        // Every byte value, and the lengths that need one and two `=` of padding.
        let every_byte: Vec<u8> = (0..=255).collect();
        check_round_trip(&every_byte, &every_byte[..254]);
        check_round_trip(&every_byte[..253], &every_byte[..1]);
    }

    #[test]
    fn base64_is_the_padded_standard_alphabet() {
        let html = page("", "", b"\xfb\xff", b"f").html().unwrap_or_default();
        assert!(html.contains("atob(\"+/8=\")"), "{html}");
        assert!(html.contains("base64,Zg==\""), "{html}");
    }

    #[test]
    fn the_one_file_page_carries_the_prerendered_app_and_its_scenario() {
        let prerendered = Prerendered {
            fragment: "v=1&preset=\"x\"".to_string(),
            html: "<div class=\"app\">401</div>".to_string(),
        };
        let html = OneFilePage {
            early: "document.documentElement.classList.add('booting');",
            prerendered: &prerendered,
            ..page("", "", b"", b"")
        }
        .html()
        .unwrap_or_default();
        assert!(
            html.contains("<html lang=\"en\" data-fragment=\"v=1&amp;preset=&quot;x&quot;\">"),
            "{html}"
        );
        assert!(html.contains("<noscript>needs JavaScript</noscript>\n<div id=\"app\"><div class=\"app\">401</div></div>"), "{html}");
        assert!(
            html.contains(
                "<script>document.documentElement.classList.add('booting');</script>\n</head>"
            ),
            "{html}"
        );
        assert!(!html.contains("data-pages"), "{html}");
    }

    #[test]
    fn assets_with_closing_tags_are_refused() {
        assert!(page("a</style>", "", b"", b"").html().is_err());
        assert!(page("", "x = '</script>'", b"", b"").html().is_err());
        assert!(page("a{}", "x = 1", b"", b"").html().is_ok());
    }

    #[test]
    fn the_service_worker_lists_the_site_as_a_javascript_array() {
        let files = [
            "index.html",
            "app-1a.js",
            "examples/embed.html",
            "a \"quoted\" \\ name",
        ];
        let files: Vec<String> = files.iter().map(ToString::to_string).collect();
        assert_eq!(
            js_array(&cached_urls(&files)),
            r#"["./", "./app-1a.js", "./examples/embed.html", "./a \"quoted\" \\ name"]"#
        );
        assert_eq!(js_array(&cached_urls(&[])), r#"["./"]"#);
        // A control character, which Rust's `{:?}` would write as `\u{1f}`.
        assert_eq!(js_array(&["\u{1f}".to_string()]), r#"["\u001f"]"#);
    }
}
