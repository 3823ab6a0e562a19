//! The state a group of copy buttons shares: which of them copied last and whether the
//! clipboard took it, so that button's label can say so until what they copy changes.

use yew::prelude::*;

use crate::dom;

/// A group of copy buttons; see [`use_copy`].
#[derive(Clone)]
pub struct CopyButtons {
    /// The button that copied last, by name, and whether the copy got through.
    last: UseStateHandle<Option<(&'static str, bool)>>,
}

/// The copy state of a group of buttons; it forgets the last copy when `reset_on` changes.
#[hook]
pub fn use_copy<D: PartialEq + 'static>(reset_on: D) -> CopyButtons {
    let last = use_state_eq(|| None);
    {
        let last = last.clone();
        use_effect_with(reset_on, move |_| last.set(None));
    }
    CopyButtons { last }
}

impl CopyButtons {
    /// A click handler for button `what` that puts `text` on the clipboard; none without text.
    pub fn onclick(&self, what: &'static str, text: Option<String>) -> Callback<MouseEvent> {
        let last = self.last.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(text) = &text {
                let last = last.clone();
                dom::copy_text(text, move |ok| last.set(Some((what, ok))));
            }
        })
    }

    /// A click handler for button `what` that copies what `text` returns at the click: for
    /// text that needs the browser (the page's address), which rendering may not ask.
    pub fn onclick_with(
        &self,
        what: &'static str,
        text: impl Fn() -> String + 'static,
    ) -> Callback<MouseEvent> {
        let last = self.last.clone();
        Callback::from(move |_: MouseEvent| {
            let last = last.clone();
            dom::copy_text(&text(), move |ok| last.set(Some((what, ok))));
        })
    }

    /// What button `what` says: `idle`, or how its last copy went.
    pub fn label(&self, what: &str, idle: &'static str, copied: &'static str) -> &'static str {
        match *self.last {
            Some((done, true)) if done == what => copied,
            Some((done, false)) if done == what => "✗ Copy blocked",
            _ => idle,
        }
    }
}
