//! The few places the page touches the browser directly: theme, form values, clipboard,
//! downloads. Kept here so components stay declarative.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::{Event, InputEvent, TargetCast};

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

/// Puts `text` on the clipboard. The promise is left to settle on its own: the button's
/// label says "copied" only as feedback, and a refusal (no permission) changes nothing else.
pub fn copy_text(text: &str) {
    let clipboard = gloo::utils::window().navigator().clipboard();
    let _ = clipboard.write_text(text);
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
