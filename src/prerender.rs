//! The page rendered natively to HTML, for `cargo xtask dist` (through the
//! `authpath-prerender` binary). The browser hydrates this HTML instead of building the page
//! from nothing, so the first answer is on screen before the wasm has arrived.

use crate::app::{App, AppProps};

/// The app's HTML for the page that shows `fragment`'s scenario, hydratable (Yew's markers
/// included). Render one page per process: the decision diagrams number their ids from a
/// process-wide counter, as they do in the browser from 0.
pub fn render(fragment: &str, embed: bool) -> String {
    let fragment = fragment.to_string();
    let renderer = yew::ServerRenderer::<App>::with_props(move || AppProps {
        fragment,
        embed,
        handover: None,
    });
    futures::executor::block_on(renderer.render())
}

#[cfg(test)]
mod tests {
    use authpath_engine::evaluate;

    use super::render;
    use crate::app::linked_state;
    use crate::pages;

    /// The status the prerendered HTML shows, as the response panel writes it.
    fn shown_status(html: &str) -> Option<&str> {
        let from = html.find("data-testid=\"status-code\"")?;
        let text = &html[from..];
        let start = text.find('>')? + 1;
        let end = text[start..].find('<')? + start;
        text.get(start..end)
    }

    #[test]
    fn every_page_shows_the_engines_answer_for_its_scenario() {
        for page in pages::all() {
            let html = render(&page.fragment, page.embed);
            let state = linked_state(&page.fragment);
            assert!(
                state.notices.is_empty(),
                "{}: {:?}",
                page.file,
                state.notices
            );
            assert_eq!(
                html.contains("data-embed=\"true\""),
                page.embed,
                "{}",
                page.file
            );
            if html.contains("data-testid=\"status-code\"") {
                let expected = evaluate(&state.raw_request(), &state.scenario);
                let code = expected.response.status.code().to_string();
                assert_eq!(shown_status(&html), Some(code.as_str()), "{}", page.file);
            } else {
                // Only the views other than the simulator draw no response of their own.
                assert_ne!(state.view, crate::state::View::Simulator, "{}", page.file);
            }
        }
    }
}
