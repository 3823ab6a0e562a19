//! Sharing: copy the link or an iframe snippet; and the notice that says what a link could
//! not restore.

use yew::prelude::*;

use crate::dom;
use crate::state::Action;

/// The iframe height a snippet starts with; pages that listen to `authpath:height` resize it.
const IFRAME_HEIGHT: u32 = 900;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The current fragment, without `#`.
    pub fragment: String,
}

#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let copied = use_state_eq(|| None::<(&'static str, bool)>);
    {
        let copied = copied.clone();
        use_effect_with(props.fragment.clone(), move |_| copied.set(None));
    }
    let link = format!("{}#{}", dom::base_url(), props.fragment);
    let snippet = iframe_snippet(&dom::base_url(), &props.fragment);
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            dom::copy_text(&text, move |ok| copied.set(Some((what, ok))));
        })
    };
    html! {
        <div class="share" role="group" aria-label="Share this scenario">
            <button type="button" data-testid="share-link" onclick={copy("link", link)}
                title="Copy a link that opens exactly this scenario">
                { dom::copy_label(*copied, "link", "Copy link", "✓ Link copied") }
            </button>
            <button type="button" data-testid="share-iframe" onclick={copy("iframe", snippet)}
                title="Copy an <iframe> snippet for documentation pages">
                { dom::copy_label(*copied, "iframe", "Copy iframe", "✓ Snippet copied") }
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

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn Notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    let ondismiss = {
        let onaction = props.onaction.clone();
        Callback::from(move |_: MouseEvent| onaction.emit(Action::DismissNotices))
    };
    html! {
        <div class="notice" role="status" data-testid="link-notice">
            <div>
                <strong>{"Part of this link could not be used, so it was left out:"}</strong>
                <ul>{ for props.notices.iter().map(|notice| html! { <li>{notice.clone()}</li> }) }</ul>
            </div>
            <button type="button" onclick={ondismiss} data-testid="dismiss-notice" aria-label="Dismiss this notice">{"Dismiss"}</button>
        </div>
    }
}
