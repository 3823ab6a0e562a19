//! Sharing: copy the link or an iframe snippet.

use yew::prelude::*;

use crate::components::copy::use_copy;
use crate::dom;

/// The iframe height a snippet starts with; pages that listen to `authpath:height` resize it.
const IFRAME_HEIGHT: u32 = 900;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The current fragment, without `#`.
    pub fragment: String,
    /// The prerendered page the scenario starts from (`pages::page_file`), full and embedded.
    pub page: String,
    pub embed_page: String,
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let copy = use_copy(props.fragment.clone());
    // The address is read when a button is pressed, never while rendering (prerendering has
    // none). Links go to the page prerendered in the scenario, which shows it before the wasm
    // arrives; the one-file build has no such pages and links to itself.
    let link = {
        let (fragment, page) = (props.fragment.clone(), props.page.clone());
        move || match dom::has_pages() {
            true => format!("{}{page}#{fragment}", dom::site_url()),
            false => format!("{}#{fragment}", dom::base_url()),
        }
    };
    let snippet = {
        let (fragment, page) = (props.fragment.clone(), props.embed_page.clone());
        move || match dom::has_pages() {
            true => iframe_snippet(&format!("{}{page}", dom::site_url()), &fragment),
            false => iframe_snippet(&dom::base_url(), &fragment),
        }
    };
    html! {
        <div class="share" role="group" aria-label="Share this scenario">
            <button type="button" data-testid="share-link" onclick={copy.onclick_with("link", link)}
                title="Copy a link that opens exactly this scenario">
                { copy.label("link", "Copy link", "✓ Link copied") }
            </button>
            <button type="button" data-testid="share-iframe" onclick={copy.onclick_with("iframe", snippet)}
                title="Copy an <iframe> snippet for documentation pages">
                { copy.label("iframe", "Copy iframe", "✓ Snippet copied") }
            </button>
        </div>
    }
}

/// The `<iframe>` a docs page pastes to embed this scenario.
pub fn iframe_snippet(base_url: &str, fragment: &str) -> String {
    format!(
        "<iframe src=\"{base_url}?embed#{}\" title=\"authpath: why this API answers as it does\" \
         width=\"100%\" height=\"{IFRAME_HEIGHT}\" style=\"border:0;max-width:760px\" loading=\"lazy\"></iframe>",
        fragment.replace('"', "%22")
    )
}
