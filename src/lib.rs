//! authpath's web page: the Yew app over `authpath-engine`. It builds requests from toggles
//! and draws `Evaluation`s; it holds no auth logic (see ARCHITECTURE.md).

pub mod app;
pub mod components;
mod dom;
pub mod link;
pub mod pages;
mod panic;
pub mod parts;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod state;
pub mod views;

thread_local! {
    /// The running app, so a landing build can leave the page to the full one (`leave`).
    static APP: std::cell::RefCell<Option<yew::AppHandle<app::App>>> = const { std::cell::RefCell::new(None) };
}

/// Takes over the prerendered page (hydration), or mounts the app on `<body>` where there is
/// none (`cargo xtask serve`), with a panic hook that shows an error panel instead of a dead
/// page. Where a landing build handed the page over (src/parts.rs), draws it afresh from the
/// state it handed.
pub fn start() {
    panic::install();
    let handle = if let Some(handover) = parts::Handover::take() {
        let props = app::AppProps {
            fragment: handover.fragment.clone(),
            embed: handover.embed,
            handover: Some(handover),
        };
        match dom::app_root() {
            Some(root) => yew::Renderer::<app::App>::with_root_and_props(root, props).render(),
            None => yew::Renderer::<app::App>::with_props(props).render(),
        }
    } else {
        match dom::prerendered() {
            Some(page) => {
                let props = app::AppProps {
                    fragment: page.fragment,
                    embed: page.embed,
                    handover: None,
                };
                yew::Renderer::<app::App>::with_root_and_props(page.root, props).hydrate()
            }
            None => yew::Renderer::<app::App>::new().render(),
        }
    };
    APP.with(|app| app.replace(Some(handle)));
    panic::test_trigger();
}

/// Removes the app from the page, for the full build to draw it, and returns what to hand it
/// (src/parts.rs): the state shown last, to focus the element with the `data-testid` `focus`.
/// assets/boot.js calls this once the full build is fetched and compiled, so the page is never
/// left empty while waiting.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn leave(focus: String) -> Option<String> {
    let handover = parts::leaving((!focus.is_empty()).then_some(focus));
    if let Some(app) = APP.with(|app| app.take()) {
        app.destroy();
    }
    handover
}
