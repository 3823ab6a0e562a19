//! `authpath-prerender`: prints what `cargo xtask dist` writes into the pages of `dist/`.
//!
//! ```text
//! authpath-prerender --list               one line per page: file, tab, `embed` or `full` (its
//!                                         layout), tab, `landing` or `full` (the build it
//!                                         starts, src/parts.rs), tab, fragment
//! authpath-prerender FRAGMENT [--embed]   the app's HTML for that page
//! ```
//!
//! Native only; built for wasm it does nothing.

// A command line tool talks through its output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = arguments.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["--list"] => {
            for page in authpath::pages::all() {
                let layout = if page.embed { "embed" } else { "full" };
                let state = authpath::app::linked_state(&page.fragment);
                let shown = authpath::parts::Part::shown(&state);
                let build = if shown.is_none_or(|part| part.in_landing()) {
                    "landing"
                } else {
                    "full"
                };
                println!("{}\t{layout}\t{build}\t{}", page.file, page.fragment);
            }
        }
        [fragment] => print!("{}", authpath::prerender::render(fragment, false)),
        [fragment, "--embed"] => print!("{}", authpath::prerender::render(fragment, true)),
        _ => {
            eprintln!("usage: authpath-prerender --list | FRAGMENT [--embed]");
            return std::process::ExitCode::FAILURE;
        }
    }
    std::process::ExitCode::SUCCESS
}

#[cfg(target_arch = "wasm32")]
fn main() {}
