//! The page rendered natively to HTML, for `cargo xtask dist` (through the
//! `authpath-prerender` binary). The browser hydrates this HTML instead of building the page
//! from nothing, so the first answer is on screen before the wasm has arrived.

use crate::app::{App, AppProps};

/// The app's HTML for the page that shows `fragment`'s scenario, hydratable (Yew's markers
/// included). Render one page per process: the decision diagrams number their ids from a
/// process-wide counter, as they do in the browser from 0.
pub fn render(fragment: &str, embed: bool) -> String {
    let fragment = fragment.to_string();
    let renderer = yew::ServerRenderer::<App>::with_props(move || AppProps { fragment, embed });
    futures::executor::block_on(renderer.render())
}
