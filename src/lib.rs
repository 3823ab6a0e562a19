//! authpath's web page: the Yew app over `authpath-engine`. It builds requests from toggles
//! and draws `Evaluation`s; it holds no auth logic (see ARCHITECTURE.md).

pub mod app;
pub mod components;
mod dom;
pub mod link;
pub mod pages;
mod panic;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod state;
pub mod views;

/// Takes over the prerendered page (hydration), or mounts the app on `<body>` where there is
/// none (`cargo xtask serve`), with a panic hook that shows an error panel instead of a dead
/// page.
pub fn start() {
    panic::install();
    match dom::prerendered() {
        Some(page) => {
            let props = app::AppProps {
                fragment: page.fragment,
                embed: page.embed,
            };
            yew::Renderer::<app::App>::with_root_and_props(page.root, props).hydrate();
        }
        None => {
            yew::Renderer::<app::App>::new().render();
        }
    }
    panic::test_trigger();
}
