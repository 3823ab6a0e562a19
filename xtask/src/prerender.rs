//! The native step of `dist`: the app rendered to HTML for every page src/pages.rs lists (the
//! default scenario, each preset, each view, and their embeds), written into Trunk's
//! `index.html` and beside it, so the browser shows the answer at once and hydrates it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::command::{cargo, describe, read_text, run, target_dir};

/// The native binary of the app crate that renders a page (src/bin/prerender.rs).
const PRERENDER_BIN: &str = "authpath-prerender";

/// One page as the binary lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub file: String,
    pub embed: bool,
    /// Whether the landing build holds the page's view (src/parts.rs): then the page starts it.
    pub landing: bool,
    pub fragment: String,
}

/// The prerendered default page, for the one-file build.
pub struct Prerendered {
    /// The fragment its scenario is written as.
    pub fragment: String,
    /// The app's HTML, hydratable.
    pub html: String,
}

/// Renders every page and writes them into `dist`, over Trunk's `index.html`: the pages the
/// landing build holds rendered by the app built as it is and starting it (`landing`), the
/// others by the full app. Returns the default page as the full build draws it, for the
/// one-file build, which carries the full build alone.
pub fn pages(
    root: &Path,
    dist: &Path,
    landing: &crate::landing::Files,
) -> Result<Prerendered, String> {
    let template = read_text(&dist.join("index.html"))?;
    let full = crate::landing::full(&template)?;
    let landing_template = crate::landing::retarget(&template, landing, &full)?;
    let mut default = None;
    let mut count = 0;
    for build in [Build::Full, Build::Landing] {
        let binary = prerender_binary(root, build)?;
        let pages = parse_list(&output(&binary, &["--list"])?)?;
        count = pages.len();
        for page in &pages {
            let starts_landing = page.landing;
            let is_default = page.file == "index.html";
            let wanted = match build {
                Build::Landing => starts_landing,
                // The default page is drawn by the full build too, for the one-file build.
                Build::Full => !starts_landing || is_default,
            };
            if !wanted {
                continue;
            }
            let mut arguments = vec![page.fragment.as_str()];
            if page.embed {
                arguments.push("--embed");
            }
            // One process per page: the diagrams number their ids from 0 in each (src/prerender.rs).
            let html = output(&binary, &arguments)?;
            if build == Build::Full && is_default {
                default = Some(Prerendered {
                    fragment: page.fragment.clone(),
                    html: html.clone(),
                });
            }
            if (build == Build::Landing) == starts_landing {
                let template = if starts_landing {
                    &landing_template
                } else {
                    &template
                };
                let text = page_html(template, page, &html, true)?;
                fs::write(dist.join(&page.file), &text)
                    .map_err(|error| format!("writing {}: {error}", page.file))?;
            }
        }
    }
    println!("  prerendered {count} pages");
    default.ok_or_else(|| format!("{PRERENDER_BIN} --list names no index.html"))
}

/// The two builds of the app a page can start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Build {
    Full,
    Landing,
}

/// The prerender binary built as `build` is.
fn prerender_binary(root: &Path, build: Build) -> Result<PathBuf, String> {
    let mut command = cargo();
    command
        .current_dir(root)
        .args(["build", "--quiet", "-p", "authpath", "--bin", PRERENDER_BIN]);
    if build == Build::Landing {
        command.arg("--no-default-features");
    }
    run(&mut command)?;
    Ok(target_dir(root).join("debug").join(PRERENDER_BIN))
}

fn output(binary: &Path, arguments: &[&str]) -> Result<String, String> {
    let mut command = std::process::Command::new(binary);
    command.args(arguments).stderr(Stdio::inherit());
    let shown = describe(&command);
    let output = command
        .output()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    String::from_utf8(output.stdout).map_err(|_| format!("`{shown}` wrote text that is not UTF-8"))
}

/// Reads `--list`: one page a line, `file`, `embed` or `full` (its layout), `landing` or
/// `full` (the build it starts), and the fragment, tab-separated.
fn parse_list(text: &str) -> Result<Vec<Page>, String> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(4, '\t');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (
                    Some(file),
                    Some(layout @ ("embed" | "full")),
                    Some(build @ ("landing" | "full")),
                    Some(fragment),
                ) if is_plain_file_name(file) => Ok(Page {
                    file: file.to_string(),
                    embed: layout == "embed",
                    landing: build == "landing",
                    fragment: fragment.to_string(),
                }),
                _ => Err(format!(
                    "{PRERENDER_BIN} --list wrote an unreadable line: {line:?}"
                )),
            }
        })
        .collect()
}

/// A name inside `dist/` itself: the pages sit beside index.html, so its relative asset URLs
/// hold for every one of them.
fn is_plain_file_name(name: &str) -> bool {
    name.ends_with(".html")
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.')
}

/// Trunk's page with the app's `html` in `<div id="app">` and, on `<html>`, what the page shows
/// (`data-fragment`, `data-embed`: read by assets/early.js before the first paint and by the
/// app before it hydrates) and, with `siblings`, that the other pages are beside it
/// (`data-pages`: the share buttons link to them).
pub fn page_html(
    template: &str,
    page: &Page,
    html: &str,
    siblings: bool,
) -> Result<String, String> {
    let opening = template
        .find("<html")
        .ok_or("the built index.html has no <html> tag")?
        + "<html".len();
    let closing = template
        .rfind("</body>")
        .ok_or("the built index.html has no </body> tag")?;
    if closing < opening {
        return Err("the built index.html has </body> before <html>".to_string());
    }
    let mut attributes = format!(" data-fragment=\"{}\"", attribute(&page.fragment));
    if page.embed {
        attributes.push_str(" data-embed");
    }
    if siblings {
        attributes.push_str(" data-pages");
    }
    Ok(format!(
        "{}{attributes}{}<div id=\"app\">{html}</div>{}",
        &template[..opening],
        &template[opening..closing],
        &template[closing..]
    ))
}

/// `text` as an HTML attribute value between double quotes.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::{page_html, parse_list, Page};

    fn page(file: &str, embed: bool, fragment: &str) -> Page {
        Page {
            file: file.to_string(),
            embed,
            landing: true,
            fragment: fragment.to_string(),
        }
    }

    #[test]
    fn the_list_is_read_line_by_line() {
        assert_eq!(
            parse_list("index.html\tfull\tlanding\tv=1&m=GET\nembed-x.html\tembed\tlanding\tv=1&preset=x\nview-policy.html\tfull\tfull\tv=1&view=policy\n"),
            Ok(vec![
                page("index.html", false, "v=1&m=GET"),
                page("embed-x.html", true, "v=1&preset=x"),
                Page {
                    landing: false,
                    ..page("view-policy.html", false, "v=1&view=policy")
                },
            ])
        );
        assert_eq!(parse_list(""), Ok(vec![]));
        for bad in [
            "index.html\tfull",
            "index.html\tfull\tv=1",
            "index.html\twide\tlanding\tv=1",
            "index.html\tfull\tsome\tv=1",
            "../index.html\tfull\tlanding\tv=1",
            "sub/index.html\tfull\tlanding\tv=1",
            "index.htm\tfull\tlanding\tv=1",
        ] {
            assert!(parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_app_goes_into_the_body_and_its_page_onto_html() {
        let template =
            "<!doctype html><html lang=en><head></head><body><noscript>x</noscript></body></html>";
        let written = page_html(
            template,
            &page("embed.html", true, "v=1&p=\"<a>\""),
            "<p>hi</p>",
            true,
        );
        assert_eq!(
            written.as_deref(),
            Ok("<!doctype html><html data-fragment=\"v=1&amp;p=&quot;&lt;a&gt;&quot;\" data-embed data-pages lang=en><head></head><body><noscript>x</noscript><div id=\"app\"><p>hi</p></div></body></html>")
        );
        let alone = page_html(template, &page("index.html", false, "v=1"), "", false);
        assert_eq!(
            alone.as_deref(),
            Ok("<!doctype html><html data-fragment=\"v=1\" lang=en><head></head><body><noscript>x</noscript><div id=\"app\"></div></body></html>")
        );
        assert!(page_html("<body></body>", &page("index.html", false, ""), "", true).is_err());
        assert!(page_html("</body><html>", &page("index.html", false, ""), "", true).is_err());
    }
}
