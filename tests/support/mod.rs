//! What the browser test files share.

use web_sys::Element;

/// A new, empty element at the end of the body, for one test to render into.
pub fn fresh_root() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").expect("a div");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("appended");
    root
}
