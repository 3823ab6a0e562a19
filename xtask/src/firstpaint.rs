//! What the first paint waits for goes into the page. Linked, the stylesheets and
//! assets/early.js (which must run before the first paint) cost a round trip after the HTML
//! arrives; put into `index.html`, each allowed by its hash in the page's
//! Content-Security-Policy (no `'unsafe-inline'`), the page paints after one. Then every page
//! prerendered from it carries them too, and the linked files leave `dist/`.

use std::cell::RefCell;
use std::fs;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, RewriteStrSettings};
use sha2::{Digest, Sha256};

use crate::command::read_text;

/// What was put into the page: the stylesheets' text in their order, and early.js.
pub struct Inlined {
    pub css: String,
    pub early: String,
}

/// Puts the stylesheets and the classic scripts `dist/index.html` links into it, adds their
/// hashes to its policy, and removes the files it no longer links.
pub fn inline(dist: &Path) -> Result<Inlined, String> {
    let index = dist.join("index.html");
    let page = read_text(&index)?;
    let read = |href: &str| {
        let name = local_name(href)?;
        read_text(&dist.join(name)).map(|text| (name.to_string(), text))
    };
    let (html, inlined, files) = inline_page(&page, read)?;
    fs::write(&index, html).map_err(|error| format!("writing {}: {error}", index.display()))?;
    for file in files {
        fs::remove_file(dist.join(&file)).map_err(|error| format!("removing {file}: {error}"))?;
    }
    Ok(inlined)
}

/// `page` with its stylesheets and classic scripts inline, `read` giving each linked file's
/// name in `dist/` and text; also what was inlined and the files read.
fn inline_page(
    page: &str,
    read: impl Fn(&str) -> Result<(String, String), String>,
) -> Result<(String, Inlined, Vec<String>), String> {
    let styles = RefCell::new(Vec::<String>::new());
    let scripts = RefCell::new(Vec::<String>::new());
    let files = RefCell::new(Vec::<String>::new());
    let failure = RefCell::new(None::<String>);
    // The text of the file `href` names, or `None` after noting why not.
    let fetch = |href: Option<String>, closing: &str| {
        let text = href
            .ok_or_else(|| "a linked asset has no address".to_string())
            .and_then(|href| read(&href));
        match text {
            Ok((_, text)) if text.to_ascii_lowercase().contains(closing) => {
                failure.replace(Some(format!(
                    "an asset contains {closing} and cannot be inlined"
                )));
                None
            }
            Ok((name, text)) => {
                files.borrow_mut().push(name);
                Some(text)
            }
            Err(error) => {
                failure.replace(Some(error));
                None
            }
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("link[rel=stylesheet]", |link| {
            if let Some(css) = fetch(link.get_attribute("href"), "</style") {
                link.replace(&format!("<style>{css}</style>"), ContentType::Html);
                styles.borrow_mut().push(css);
            }
            Ok(())
        }))
        // Classic scripts only: a module script is deferred and waits for nothing.
        .append_element_content_handler(element!("script[src]:not([type=module])", |script| {
            if let Some(js) = fetch(script.get_attribute("src"), "</script") {
                script.replace(&format!("<script>{js}</script>"), ContentType::Html);
                scripts.borrow_mut().push(js);
            }
            Ok(())
        }));
    let body = rewrite_str(page, settings)
        .map_err(|error| format!("reading the built index.html: {error}"))?;
    if let Some(error) = failure.into_inner() {
        return Err(error);
    }
    let (styles, scripts) = (styles.into_inner(), scripts.into_inner());
    let policy_seen = RefCell::new(Ok(false));
    let settings = RewriteStrSettings::new().append_element_content_handler(element!(
        "meta[http-equiv=Content-Security-Policy]",
        |meta| {
            let policy = meta.get_attribute("content").unwrap_or_default();
            let seen = with_hashes(&policy, &styles, &scripts)
                .and_then(|policy| {
                    meta.set_attribute("content", &policy)
                        .map_err(|error| error.to_string())
                })
                .map(|()| true);
            *policy_seen.borrow_mut() = seen;
            Ok(())
        }
    ));
    let html = rewrite_str(&body, settings)
        .map_err(|error| format!("reading the built index.html: {error}"))?;
    let inlined_any = !styles.is_empty() || !scripts.is_empty();
    if inlined_any && !policy_seen.into_inner()? {
        return Err(
            "the built index.html has no Content-Security-Policy to allow its inline assets; \
                    it must keep one"
                .to_string(),
        );
    }
    let inlined = Inlined {
        css: styles.join("\n"),
        early: scripts.join("\n"),
    };
    Ok((html, inlined, files.into_inner()))
}

/// `policy` with the hashes of the inline `styles` in `style-src` and of the inline `scripts`
/// in `script-src`; an error when a directive they need is missing (the fallback,
/// `default-src`, would then have to be widened, which is not this step's call).
fn with_hashes(policy: &str, styles: &[String], scripts: &[String]) -> Result<String, String> {
    let mut directives: Vec<String> = policy
        .split(';')
        .map(str::trim)
        .filter(|directive| !directive.is_empty())
        .map(str::to_string)
        .collect();
    for (name, texts) in [("style-src", styles), ("script-src", scripts)] {
        if texts.is_empty() {
            continue;
        }
        let directive = directives
            .iter_mut()
            .find(|directive| directive.split_whitespace().next() == Some(name))
            .ok_or_else(|| format!("the page's Content-Security-Policy has no {name}"))?;
        for text in texts {
            directive.push_str(&format!(
                " 'sha256-{}'",
                STANDARD.encode(Sha256::digest(text.as_bytes()))
            ));
        }
    }
    Ok(directives.join("; "))
}

/// The file in `dist/` a relative `href` names; an error for any other address.
fn local_name(href: &str) -> Result<&str, String> {
    let name = href.trim_start_matches("./");
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-_.".contains(&byte))
        && !name.starts_with('.');
    if plain {
        Ok(name)
    } else {
        Err(format!("{href} is not a file beside index.html"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str =
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

    fn files(href: &str) -> Result<(String, String), String> {
        match local_name(href)? {
            "main.css" => Ok(("main.css".to_string(), "body{color:red}".to_string())),
            "views.css" => Ok(("views.css".to_string(), "p{margin:0}".to_string())),
            "early.js" => Ok(("early.js".to_string(), "document.x=1".to_string())),
            "bad.css" => Ok(("bad.css".to_string(), "a{}</STYLE><p>".to_string())),
            other => Err(format!("no file {other}")),
        }
    }

    /// Trunk's minified page: attribute values unquoted, as `minify = "on_release"` writes them.
    fn page(assets: &str) -> String {
        format!(
            "<!doctype html><html lang=en><meta content=\"{POLICY}\" http-equiv=Content-Security-Policy>\
             <title>t</title>{assets}<script src=./boot.js type=module></script></head><body></body></html>"
        )
    }

    fn hash(text: &str) -> String {
        format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(text.as_bytes()))
        )
    }

    #[test]
    fn stylesheets_and_classic_scripts_go_inline_in_their_order_with_their_hashes() {
        let assets = "<link href=./main.css integrity=sha384-x rel=stylesheet>\
                      <link href=\"views.css\" rel=\"stylesheet\"><script integrity=sha384-y src=./early.js></script>";
        let (html, inlined, read) =
            inline_page(&page(assets), files).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            html.contains("<style>body{color:red}</style><style>p{margin:0}</style><script>document.x=1</script>"),
            "{html}"
        );
        assert!(!html.contains("integrity"), "{html}");
        // The module script stays linked: it waits for nothing.
        assert!(
            html.contains("<script src=./boot.js type=module></script>"),
            "{html}"
        );
        let styles = format!(
            "style-src 'self' {} {}",
            hash("body{color:red}"),
            hash("p{margin:0}")
        );
        let scripts = format!(
            "script-src 'self' 'wasm-unsafe-eval' {}",
            hash("document.x=1")
        );
        assert!(html.contains(&styles), "{html}");
        assert!(html.contains(&scripts), "{html}");
        assert_eq!(inlined.css, "body{color:red}\np{margin:0}");
        assert_eq!(inlined.early, "document.x=1");
        assert_eq!(read, ["main.css", "views.css", "early.js"]);
    }

    #[test]
    fn what_cannot_be_inlined_is_an_error_not_a_page_without_it() {
        let missing = inline_page(&page("<link href=gone.css rel=stylesheet>"), files);
        assert!(missing.is_err_and(|error| error.contains("gone.css")));
        let closing = inline_page(&page("<link href=bad.css rel=stylesheet>"), files);
        assert!(closing.is_err_and(|error| error.contains("</style")));
        let remote = inline_page(
            &page("<link href=https://cdn.example/x.css rel=stylesheet>"),
            files,
        );
        assert!(remote.is_err_and(|error| error.contains("not a file beside")));
        let no_policy = inline_page(
            "<html><head><link href=main.css rel=stylesheet></head></html>",
            files,
        );
        assert!(no_policy.is_err_and(|error| error.contains("no Content-Security-Policy")));
    }

    #[test]
    fn a_policy_without_the_directive_is_not_widened() {
        assert!(with_hashes("default-src 'self'", &["a".to_string()], &[]).is_err());
        assert_eq!(
            with_hashes("default-src 'self'; style-src 'self';", &[], &[]).as_deref(),
            Ok("default-src 'self'; style-src 'self'")
        );
    }
}
