//! What the reader sees when the page panics: an error panel with the message and a way back,
//! instead of a page that silently stops answering. Release builds abort on panic, but the
//! hook runs before the abort, so the panel appears in every build.

use std::sync::atomic::{AtomicBool, Ordering};

use gloo::events::EventListener;

/// The query word that panics on purpose, so the browser tests can check the panel.
const PANIC_TEST_QUERY: &str = "panic-test";

/// Set once the panel is up: a dead app can panic again on every later event.
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Installs the hook: log the panic to the console, then show the panel. Through Yew, which
/// would otherwise put its own console-only hook in place when the app is rendered.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let message = info.to_string();
        gloo::console::error!(format!("authpath panicked: {message}"));
        if !SHOWN.swap(true, Ordering::SeqCst) {
            show_panel(&message);
        }
    }));
}

/// With `?panic-test` in the address, panics once the app is up, from a timer of its own,
/// apart from any real code path. Safe to ship: it only reads this page's own address, shows
/// the same panel any panic would, touches no data, and a reload without it undoes it.
pub fn test_trigger() {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    if search
        .trim_start_matches('?')
        .split('&')
        .any(|part| part == PANIC_TEST_QUERY)
    {
        gloo::timers::callback::Timeout::new(0, || {
            panic!("a test panic, asked for by ?{PANIC_TEST_QUERY}")
        })
        .forget();
    }
}

/// Adds the panel to `<body>`. The message goes in as text, never as HTML. Nothing here may
/// panic: a failure just leaves the console message.
fn show_panel(message: &str) {
    let document = gloo::utils::document();
    let Some(body) = document.body() else {
        return;
    };
    let element = |tag: &str, text: &str| {
        document.create_element(tag).ok().inspect(|element| {
            element.set_text_content(Some(text));
        })
    };
    let (Some(panel), Some(heading), Some(explanation), Some(detail), Some(button)) = (
        element("div", ""),
        element("h2", "authpath stopped working"),
        element(
            "p",
            "Something went wrong inside the page, so it no longer answers. Reset reloads it \
             with the default request; the message below helps if you report it.",
        ),
        element("pre", message),
        element("button", "Reset"),
    ) else {
        return;
    };
    let _ = panel.set_attribute("class", "panic-panel");
    let _ = panel.set_attribute("role", "alert");
    let _ = panel.set_attribute("data-testid", "panic-panel");
    let _ = detail.set_attribute("data-testid", "panic-message");
    let _ = button.set_attribute("type", "button");
    let _ = button.set_attribute("data-testid", "panic-reset");
    // The page again, without the fragment that may hold the state that broke it (and without
    // the test trigger), keeping only how it was opened (?embed, ?theme).
    EventListener::new(&button, "click", |_| {
        let location = gloo::utils::window().location();
        let search = location.search().unwrap_or_default();
        let kept: Vec<&str> = search
            .trim_start_matches('?')
            .split('&')
            .filter(|part| !part.is_empty() && *part != PANIC_TEST_QUERY)
            .collect();
        let query = if kept.is_empty() {
            String::new()
        } else {
            format!("?{}", kept.join("&"))
        };
        let target = format!("{}{query}", location.pathname().unwrap_or_default());
        let _ = location.replace(&target);
    })
    .forget();
    for child in [&heading, &explanation, &detail, &button] {
        let _ = panel.append_child(child);
    }
    let _ = body.append_child(&panel);
    if let Ok(button) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(button) {
        let _ = button.focus();
    }
}
