//! authpath's web page: the Yew app over `authpath-engine`. It builds requests from toggles
//! and draws `Evaluation`s; it holds no auth logic (see ARCHITECTURE.md).

pub mod app;
pub mod components;
mod dom;
pub mod link;
mod panic;
pub mod state;
pub mod views;

/// Mounts the app on `<body>`, with a panic hook that shows an error panel instead of a dead page.
pub fn start() {
    panic::install();
    yew::Renderer::<app::App>::new().render();
    panic::test_trigger();
}
