//! Every place the page touches the browser directly: theme, form values, focus, clipboard,
//! downloads, the address and its history, timers, the clock, the service worker and the
//! embed height message. Kept here so components stay declarative.

use std::any::Any;

use gloo::events::EventListener;
use gloo::timers::callback::{Interval, Timeout};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{DragEvent, Event, InputEvent, KeyboardEvent, NodeRef, TargetCast};

/// Something running in the browser (a timer, a listener) until this is dropped.
#[must_use = "dropping it stops it at once"]
pub struct Running {
    _handle: Box<dyn Any>,
}

impl Running {
    fn new(handle: impl Any) -> Running {
        Running {
            _handle: Box::new(handle),
        }
    }
}

/// Calls `tick` every `milliseconds`, until the returned handle is dropped.
pub fn every(milliseconds: u32, tick: impl FnMut() + 'static) -> Running {
    Running::new(Interval::new(milliseconds, tick))
}

/// Calls `done` once after `milliseconds`, unless the returned handle is dropped first.
pub fn after(milliseconds: u32, done: impl FnOnce() + 'static) -> Running {
    Running::new(Timeout::new(milliseconds, done))
}

/// Calls `moved` whenever the person goes back or forward in the page's history.
pub fn on_history_move(mut moved: impl FnMut() + 'static) -> Running {
    Running::new(EventListener::new(
        &gloo::utils::window(),
        "popstate",
        move |_| moved(),
    ))
}

/// Milliseconds from the page's time origin, with sub-millisecond resolution where the
/// browser allows it (`performance.now()`); 0 outside a browser.
pub fn now_ms() -> f64 {
    // Prerendering runs natively, where there is no browser to ask.
    if cfg!(not(target_arch = "wasm32")) {
        return 0.0;
    }
    let window = gloo::utils::window();
    let Ok(performance) = js_sys::Reflect::get(&window, &"performance".into()) else {
        return 0.0;
    };
    let Ok(now) = js_sys::Reflect::get(&performance, &"now".into()) else {
        return 0.0;
    };
    let now: js_sys::Function = now.unchecked_into();
    now.call0(&performance)
        .ok()
        .and_then(|value| value.as_f64())
        .unwrap_or(0.0)
}

/// A random number in `[0, 1)`, from the browser; not for anything secret.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// Moves the keyboard focus to the element `node` holds, if it holds one.
pub fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<HtmlElement>() {
        // An element that cannot take focus just leaves it where it was.
        let _ = element.focus();
    }
}

/// Makes every `<select>` inside the element `node` holds show the option whose `selected`
/// attribute the page wrote last. Once a person has picked an option, a browser no longer lets
/// that attribute move the selection (the option is "dirty", HTML §4.10.10), so a preset, a
/// reset or a link would leave the select showing the earlier choice while the page uses the
/// new one. Called after each render of a form.
pub fn show_selected_options(node: &NodeRef) {
    let Some(root) = node.cast::<Element>() else {
        return;
    };
    let Ok(selects) = root.query_selector_all("select") else {
        return;
    };
    for index in 0..selects.length() {
        let Some(select) = selects
            .item(index)
            .and_then(|node| node.dyn_into::<HtmlSelectElement>().ok())
        else {
            continue;
        };
        let chosen = select
            .query_selector("option[selected]")
            .ok()
            .flatten()
            .and_then(|option| option.get_attribute("value"));
        if let Some(value) = chosen {
            if select.value() != value {
                select.set_value(&value);
            }
        }
    }
}

/// Moves the keyboard focus to the first button inside the element `node` holds.
pub fn focus_first_button(node: &NodeRef) {
    let button = node
        .cast::<HtmlElement>()
        .and_then(|list| list.query_selector("button").ok().flatten())
        .and_then(|button| button.dyn_into::<HtmlElement>().ok());
    if let Some(button) = button {
        let _ = button.focus();
    }
}

/// Whether the key was pressed in an `<input>`, where a key is text, not a command.
pub fn typed_in_input(event: &KeyboardEvent) -> bool {
    event.target_dyn_into::<HtmlInputElement>().is_some()
}

/// Writes `<html data-theme>`, or removes it to follow `prefers-color-scheme`.
pub fn set_theme(theme: Option<&str>) {
    let Some(root) = gloo::utils::document().document_element() else {
        return;
    };
    // Failing to set an attribute only leaves the previous theme; nothing to recover.
    let _ = match theme {
        Some(theme) => root.set_attribute("data-theme", theme),
        None => root.remove_attribute("data-theme"),
    };
}

/// The value of the `<select>` that fired `event`.
pub fn select_value(event: &Event) -> String {
    event
        .target_dyn_into::<HtmlSelectElement>()
        .map(|select| select.value())
        .unwrap_or_default()
}

/// The value of the `<input>` that fired `event`.
pub fn input_value(event: &InputEvent) -> String {
    event
        .target_dyn_into::<HtmlInputElement>()
        .map(|input| input.value())
        .unwrap_or_default()
}

/// Whether the checkbox that fired `event` is now checked.
pub fn checkbox_checked(event: &Event) -> bool {
    event
        .target_dyn_into::<HtmlInputElement>()
        .is_some_and(|input| input.checked())
}

/// The value of the `<textarea>` that fired `event`.
pub fn textarea_value(event: &InputEvent) -> String {
    event
        .target_dyn_into::<HtmlTextAreaElement>()
        .map(|area| area.value())
        .unwrap_or_default()
}

/// Puts `text` on the clipboard. `done` hears whether it got there: a refused permission, or
/// no clipboard at all (a page on plain http:// has none), is news for the button, not an
/// error.
pub fn copy_text(text: &str, done: impl FnOnce(bool) + 'static) {
    let navigator = gloo::utils::window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into())
        .is_ok_and(|clipboard| !clipboard.is_undefined());
    if !has_clipboard {
        done(false);
        return;
    }
    let written = wasm_bindgen_futures::JsFuture::from(navigator.clipboard().write_text(text));
    wasm_bindgen_futures::spawn_local(async move { done(written.await.is_ok()) });
}

/// Reads the first file of the `<input type="file">` that fired `event` as text, and hands its
/// name and text to `done`; nothing happens when no file was chosen or it cannot be read.
pub fn read_chosen_file(event: &Event, done: impl FnOnce(String, String) + 'static) {
    let file = event
        .target_dyn_into::<HtmlInputElement>()
        .and_then(|input| input.files())
        .and_then(|files| files.get(0));
    if let Some(file) = file {
        read_file(file, done);
    }
}

/// Reads the first file dropped by `event` as text, as [`read_chosen_file`] does, and keeps
/// the browser from opening the file itself.
pub fn read_dropped_file(event: &DragEvent, done: impl FnOnce(String, String) + 'static) {
    event.prevent_default();
    let file = event
        .data_transfer()
        .and_then(|transfer| transfer.files())
        .and_then(|files| files.get(0));
    if let Some(file) = file {
        read_file(file, done);
    }
}

/// Lets a drag over an element end in a drop there (the browser refuses drops by default).
pub fn allow_drop(event: &DragEvent) {
    event.prevent_default();
}

fn read_file(file: web_sys::File, done: impl FnOnce(String, String) + 'static) {
    let name = file.name();
    let text = wasm_bindgen_futures::JsFuture::from(file.text());
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(value) = text.await {
            done(name, value.as_string().unwrap_or_default());
        }
    });
}

/// Offers `text` as a file download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let document = gloo::utils::document();
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(filename);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// How the page was opened: `?embed` for iframes, `theme=dark|light` to force a theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mode {
    pub embed: bool,
    pub theme: Option<&'static str>,
}

/// Reads the mode from the page address's query.
pub fn mode() -> Mode {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    let mut mode = Mode::default();
    for part in search.trim_start_matches('?').split('&') {
        match part {
            "embed" | "embed=1" | "embed=true" => mode.embed = true,
            "theme=dark" => mode.theme = Some("dark"),
            "theme=light" => mode.theme = Some("light"),
            _ => {}
        }
    }
    mode
}

/// The fragment of the page address, without `#`.
pub fn fragment() -> String {
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    hash.trim_start_matches('#').to_string()
}

/// The page address without query or fragment: where links and embeds point.
pub fn base_url() -> String {
    let location = gloo::utils::window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// The directory of the page address, ending in `/`: where the prerendered pages sit
/// (src/pages.rs), whichever of them is open.
pub fn site_url() -> String {
    let base = base_url();
    match base.rfind('/') {
        Some(end) => base[..=end].to_string(),
        None => base,
    }
}

/// Whether the page came with its prerendered siblings (`<html data-pages>`): the one-file
/// build has none, so its links stay on itself.
pub fn has_pages() -> bool {
    gloo::utils::document()
        .document_element()
        .is_some_and(|root| root.has_attribute("data-pages"))
}

/// The page `cargo xtask dist` prerendered: the element holding its HTML, and the scenario
/// and layout it shows (`<html data-fragment="…" data-embed>`, `<div id="app">`).
pub struct Prerendered {
    pub root: web_sys::Element,
    pub fragment: String,
    pub embed: bool,
}

/// The prerendered page, if this is one; `None` under `trunk serve` and in tests.
pub fn prerendered() -> Option<Prerendered> {
    let document = gloo::utils::document();
    let page = document.document_element()?;
    let fragment = page.get_attribute("data-fragment")?;
    Some(Prerendered {
        root: document.get_element_by_id("app")?,
        fragment,
        embed: page.has_attribute("data-embed"),
    })
}

/// The app has taken over and shows the link's scenario: the page may be shown and used
/// (`assets/early.js` hid it if its prerendered scenario was not the link's, and held clicks
/// back until now).
pub fn mark_live() {
    if let Some(root) = gloo::utils::document().document_element() {
        let classes = root.class_list();
        let _ = classes.remove_2("pending", "booting");
        let _ = root.set_attribute("data-live", "");
    }
    // The clicks assets/early.js held while the page was booting, on their elements now live.
    let window = gloo::utils::window();
    if let Ok(replay) = js_sys::Reflect::get(&window, &"authpathReplay".into()) {
        if let Ok(replay) = replay.dyn_into::<js_sys::Function>() {
            let _ = replay.call0(&window);
        }
    }
}

/// Writes the fragment into the address bar: a new history entry when `push`, otherwise the
/// current entry is replaced. Nothing happens when it is already there.
pub fn write_fragment(fragment: &str, push: bool) {
    let window = gloo::utils::window();
    if window
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        == fragment
    {
        return;
    }
    let Ok(history) = window.history() else {
        return;
    };
    let url = format!("#{fragment}");
    // A refused history write (sandboxed iframe, file://) only leaves the address as it was.
    let _ = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
    };
}

/// Tells the embedding page how tall the content is, so it can size the iframe. The message
/// is `{ type: "authpath:height", height }`; see docs/embedding.md.
pub fn post_height(height: i32) {
    let window = gloo::utils::window();
    let Ok(Some(parent)) = window.parent() else {
        return;
    };
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &"authpath:height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    let _ = parent.post_message(&message, "*");
}

/// The height of the whole document, in CSS pixels.
pub fn document_height() -> i32 {
    gloo::utils::document()
        .document_element()
        .map_or(0, |root| root.scroll_height())
}

/// Registers the service worker that keeps the site working offline. Release builds only:
/// `cargo xtask` writes `sw.js` next to them, while `trunk serve` has none. Not on `file://`,
/// where service workers do not exist.
pub fn register_service_worker() {
    if cfg!(debug_assertions) {
        return;
    }
    let window = gloo::utils::window();
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "http:" && protocol != "https:" {
        return;
    }
    let promise = window.navigator().service_worker().register("./sw.js");
    // Awaited so a refusal (private mode, blocked storage) is handled, not an uncaught error.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
}

/// Asks assets/boot.js to load the full build and hand the page over to it (src/parts.rs), to
/// focus the element with the `data-testid` `focus` there; `failed` runs if that cannot be done
/// (no full build beside this page, or the network is gone before it was ever fetched).
pub fn upgrade(focus: &str, failed: impl FnOnce() + 'static) {
    let window = gloo::utils::window();
    let start = js_sys::Reflect::get(&window, &"authpathUpgrade".into())
        .ok()
        .and_then(|start| start.dyn_into::<js_sys::Function>().ok());
    let Some(start) = start else {
        return failed();
    };
    let Ok(promise) = start.call1(&window, &focus.into()) else {
        return failed();
    };
    let promise = js_sys::Promise::resolve(&promise);
    wasm_bindgen_futures::spawn_local(async move {
        if wasm_bindgen_futures::JsFuture::from(promise).await.is_err() {
            failed();
        }
    });
}

/// What a landing build handed this one, if it did; read once.
pub fn take_handover() -> Option<String> {
    let window = gloo::utils::window();
    let key = wasm_bindgen::JsValue::from("authpathHandover");
    let text = js_sys::Reflect::get(&window, &key).ok()?.as_string()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    Some(text)
}

/// The root the app is drawn into: `<div id="app">` of a prerendered page, or else `<body>`.
pub fn app_root() -> Option<Element> {
    let document = gloo::utils::document();
    document
        .get_element_by_id("app")
        .or_else(|| document.body().map(Element::from))
}

/// Focuses the element with that `data-testid`, if there is one that can take focus.
pub fn focus_testid(testid: &str) {
    let selector = format!("[data-testid=\"{testid}\"]");
    let element = gloo::utils::document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    if let Some(element) = element {
        let _ = element.focus();
    }
}
