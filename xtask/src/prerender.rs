//! The native step of `dist`: the app rendered to HTML for every page src/pages.rs lists (the
//! default scenario, each preset, each view, and their embeds), written into Trunk's
//! `index.html` and beside it, so the browser shows the answer at once and hydrates it.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::command::{cargo, describe, read_text, run};

/// The native binary of the app crate that renders a page (src/bin/prerender.rs).
const PRERENDER_BIN: &str = "authpath-prerender";

/// One page as the binary lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Page {
    pub file: String,
    pub embed: bool,
    pub fragment: String,
}

/// The prerendered default page, for the one-file build.
pub struct Prerendered {
    /// The fragment its scenario is written as.
    pub fragment: String,
    /// The app's HTML, hydratable.
    pub html: String,
}

/// Builds the prerender binary, renders every page and writes them into `dist`, over Trunk's
/// `index.html`. Returns the default page.
pub fn pages(root: &Path, dist: &Path) -> Result<Prerendered, String> {
    run(cargo().current_dir(root).args([
        "build",
        "--quiet",
        "-p",
        "authpath",
        "--bin",
        PRERENDER_BIN,
    ]))?;
    let binary = target_dir(root).join("debug").join(PRERENDER_BIN);
    let template = read_text(&dist.join("index.html"))?;
    let pages = parse_list(&output(&binary, &["--list"])?)?;
    let mut default = None;
    for page in &pages {
        let mut arguments = vec![page.fragment.as_str()];
        if page.embed {
            arguments.push("--embed");
        }
        // One process per page: the diagrams number their ids from 0 in each (src/prerender.rs).
        let html = output(&binary, &arguments)?;
        let text = page_html(&template, page, &html, true)?;
        fs::write(dist.join(&page.file), &text)
            .map_err(|error| format!("writing {}: {error}", page.file))?;
        if page.file == "index.html" {
            default = Some(Prerendered {
                fragment: page.fragment.clone(),
                html,
            });
        }
    }
    println!("  prerendered {} pages", pages.len());
    default.ok_or_else(|| format!("{PRERENDER_BIN} --list names no index.html"))
}

fn target_dir(root: &Path) -> PathBuf {
    env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
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

/// Reads `--list`: one page a line, `file`, `embed` or `full`, and the fragment, tab-separated.
fn parse_list(text: &str) -> Result<Vec<Page>, String> {
    text.lines()
        .map(|line| {
            let mut parts = line.splitn(3, '\t');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(file), Some(layout @ ("embed" | "full")), Some(fragment))
                    if is_plain_file_name(file) =>
                {
                    Ok(Page {
                        file: file.to_string(),
                        embed: layout == "embed",
                        fragment: fragment.to_string(),
                    })
                }
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
            fragment: fragment.to_string(),
        }
    }

    #[test]
    fn the_list_is_read_line_by_line() {
        assert_eq!(
            parse_list("index.html\tfull\tv=1&m=GET\nembed-x.html\tembed\tv=1&preset=x\n"),
            Ok(vec![
                page("index.html", false, "v=1&m=GET"),
                page("embed-x.html", true, "v=1&preset=x"),
            ])
        );
        assert_eq!(parse_list(""), Ok(vec![]));
        for bad in [
            "index.html\tfull",
            "index.html\twide\tv=1",
            "../index.html\tfull\tv=1",
            "sub/index.html\tfull\tv=1",
            "index.htm\tfull\tv=1",
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
