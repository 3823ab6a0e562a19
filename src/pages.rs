//! The pages `cargo xtask dist` prerenders, each at a file of its own beside `index.html`, and
//! which of them a link should point at.
//!
//! A fragment never reaches the server, so `index.html` cannot know a link's scenario. Each
//! preset and each view therefore has its own page, prerendered in that state, and the share
//! buttons and the iframe snippet link to it: the HTML that arrives already shows the link's
//! answer. The fragment is still read on top, so a link that says more than its page (a step,
//! an edited toggle) and every old link to `index.html` keep working; until the app has
//! applied it, `assets/early.js` hides a page whose own scenario is not the link's.

use authpath_engine::teach::mock::{attack_presets, presets};

use crate::link;
use crate::state::{State, View};

/// One prerendered page: its file in `dist/`, the link fragment it shows, and its layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// The file name, at the top of `dist/` so the page's relative asset URLs stay valid.
    pub file: String,
    /// The fragment whose scenario the page shows, as [`link::encode`] writes it.
    pub fragment: String,
    /// Whether it is laid out for an iframe (`?embed`).
    pub embed: bool,
}

/// The file of the page for the default scenario, full or embedded.
fn default_file(embed: bool) -> &'static str {
    if embed {
        "embed.html"
    } else {
        "index.html"
    }
}

/// The file whose prerendered scenario `state` starts from: its preset's page, its view's
/// page, or the default one. Empty for `index.html`, so a link to it reads `./#…` as before.
pub fn page_file(state: &State, embed: bool) -> String {
    let file = match (state.custom.is_none(), state.preset, state.view) {
        (true, Some(preset), View::Simulator) => preset_file(preset, embed),
        (_, _, view) if !embed && prerendered_view(view) && view != View::Simulator => {
            format!("view-{}.html", view.id())
        }
        _ => default_file(embed).to_string(),
    };
    if file == "index.html" {
        String::new()
    } else {
        file
    }
}

fn preset_file(preset: &str, embed: bool) -> String {
    if embed {
        format!("embed-{preset}.html")
    } else {
        format!("preset-{preset}.html")
    }
}

/// Whether a view's first render is the same wherever it runs. The quiz's is not: it picks a
/// random seed when the link names none.
fn prerendered_view(view: View) -> bool {
    view != View::Quiz
}

/// Every page to prerender: the default scenario, each preset (the attacks' included) and each view, and the embeds
/// of the default scenario and the presets (an embed shows no view but the scenario).
pub fn all() -> Vec<Page> {
    let mut states = vec![State::default()];
    // The attack presets too: their share links point at their pages like every preset's.
    for preset in presets().into_iter().chain(attack_presets()) {
        states.push(linked(&format!("v={}&preset={}", link::VERSION, preset.id)));
    }
    for view in View::ALL {
        if view != View::Simulator && prerendered_view(view) {
            states.push(linked(&format!("v={}&view={}", link::VERSION, view.id())));
        }
    }
    let mut pages = Vec::new();
    for state in &states {
        for embed in [false, true] {
            let file = page_file(state, embed);
            let file = if file.is_empty() {
                default_file(false).to_string()
            } else {
                file
            };
            let page = Page {
                file,
                fragment: link::encode(state),
                embed,
            };
            if !pages.iter().any(|known: &Page| known.file == page.file) {
                pages.push(page);
            }
        }
    }
    pages
}

fn linked(fragment: &str) -> State {
    link::decode(fragment, &State::default()).state
}

#[cfg(test)]
mod tests {
    use super::{all, linked, page_file};
    use crate::link;

    #[test]
    fn each_page_opens_its_own_scenario_and_links_back_to_itself() {
        let pages = all();
        assert_eq!(pages[0].file, "index.html");
        for page in &pages {
            let state = linked(&page.fragment);
            assert_eq!(link::encode(&state), page.fragment, "{}", page.file);
            let file = page_file(&state, page.embed);
            let file = if file.is_empty() {
                "index.html".into()
            } else {
                file
            };
            assert_eq!(file, page.file, "{}", page.fragment);
        }
    }

    fn check_file(fragment: &str, embed: bool, expected: &str) {
        assert_eq!(page_file(&linked(fragment), embed), expected, "{fragment}");
    }

    #[test]
    fn links_point_at_the_page_they_start_from() {
        check_file("", false, "");
        check_file("", true, "embed.html");
        check_file(
            "v=1&preset=expired-token",
            false,
            "preset-expired-token.html",
        );
        check_file(
            "v=1&preset=expired-token&step=2",
            true,
            "embed-expired-token.html",
        );
        check_file("v=1&view=matrix", false, "view-matrix.html");
        check_file("v=1&view=matrix", true, "embed.html");
        check_file("v=1&view=quiz&seed=4", false, "");
        check_file("v=1&raw=GET%20%2F", false, "");
        check_file("v=1&m=GET&p=/admin&cred=none", false, "");
    }

    #[test]
    fn every_file_is_listed_once() {
        let pages = all();
        let mut files: Vec<&str> = pages.iter().map(|page| page.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        assert_eq!(files.len(), pages.len());
    }
}
