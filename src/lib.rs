//! authpath's web page: the Yew app over `authpath-engine`. It builds requests from toggles
//! and draws `Evaluation`s; it holds no auth logic (see ARCHITECTURE.md).

pub mod app;
pub mod components;
mod dom;
pub mod link;
pub mod state;
pub mod views;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}
