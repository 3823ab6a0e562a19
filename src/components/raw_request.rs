//! The raw request: editable, evaluated on every keystroke, with parse errors shown where
//! they are.

use authpath_engine::{RequestError, MAX_REQUEST_BYTES};
use yew::prelude::*;

use crate::dom;
use crate::link;
use crate::state::{Action, KEPT_BYTES};

#[derive(Properties, PartialEq)]
pub struct RawRequestProps {
    pub raw: String,
    pub custom: bool,
    /// Hand-typed credentials may go into shared links.
    pub share_credentials: bool,
    /// Why the engine could not parse the text, if it could not.
    pub error: Option<RequestError>,
    /// How long the text was before the page cut it, if it did.
    #[prop_or_default]
    pub cut_from: Option<usize>,
    pub onaction: Callback<Action>,
}

#[component]
pub fn RawRequest(props: &RawRequestProps) -> Html {
    let oninput = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: InputEvent| {
            onaction.emit(Action::EditRaw(dom::textarea_value(&event)))
        })
    };
    let invalid = props.error.is_some();
    let has_credentials = props.custom && link::strip_credentials(&props.raw).1;
    let onshare = {
        let onaction = props.onaction.clone();
        Callback::from(move |event: Event| {
            onaction.emit(Action::SetShareCredentials(dom::checkbox_checked(&event)))
        })
    };
    html! {
        <div class="raw-request">
            <label for="raw-request" class="raw-label">
                <span>{"Raw request"}</span>
                <small>{ if props.custom { "edited by hand" } else { "built from the toggles · edit it freely" } }</small>
            </label>
            <textarea
                id="raw-request"
                class="code"
                data-testid="raw-request"
                value={props.raw.clone()}
                {oninput}
                rows="9"
                spellcheck="false"
                autocomplete="off"
                autocapitalize="off"
                wrap="off"
                aria-invalid={invalid.to_string()}
                aria-describedby="raw-request-status"
            />
            if has_credentials {
                <label class="check share-credentials">
                    <input type="checkbox" checked={props.share_credentials} onchange={onshare}
                        data-testid="share-credentials" />
                    <span>
                        {"Include my credentials in the link. "}
                        <small>{"Links end up in browser history, logs and chats: don't share real tokens or passwords (RFC 6750 §5.3)."}</small>
                    </span>
                </label>
            }
            <div id="raw-request-status" class="parse-status" data-testid="parse-status">
                if let Some(length) = props.cut_from {
                    <p class="raw-cut" data-testid="raw-cut">
                        {format!(
                            "✂ Cut to its first {} KiB of {length} bytes: a server reads no more than {} KiB of a request, so the rest cannot change the answer.",
                            KEPT_BYTES / 1024,
                            MAX_REQUEST_BYTES / 1024,
                        )}
                    </p>
                }
                { match &props.error {
                    Some(error) => view_error(&props.raw, error),
                    None => html! { <p class="parse-ok">{"✓ parses as an HTTP/1.1 request"}</p> },
                } }
            </div>
        </div>
    }
}

/// The error, the offending line, and a caret under the column it names.
fn view_error(raw: &str, error: &RequestError) -> Html {
    let line = raw
        .lines()
        .nth(error.line.saturating_sub(1))
        .unwrap_or_default();
    // The engine's limits already cap the text; still, never draw a huge line here.
    let shown: String = line.chars().take(120).collect();
    let caret = " ".repeat(error.column.saturating_sub(1).min(120)) + "^";
    html! {
        <div class="parse-error" role="alert" data-testid="parse-error">
            <p>
                <strong>{format!("{} {} ", error.status.code(), error.status.reason())}</strong>
                {format!("line {}, column {}: {}", error.line, error.column, error.message)}
            </p>
            if !shown.is_empty() {
                <pre class="code caret">{shown}{"\n"}{caret}</pre>
            }
        </div>
    }
}
