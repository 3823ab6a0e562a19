//! The colour of a status: one CSS class per status class, the same on every view that colours
//! a status (the response banner, the decision path's exits, the matrix, Compare); and the
//! banner that shows a status with its reason and meaning.

use authpath_engine::Status;
use yew::prelude::*;

/// How a banner is shown: the simulator's answer, announced as it changes, or a compact one
/// beside others (Compare, Check).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Banner {
    Live,
    Compact,
}

/// The status as a banner: the number (`testid` names it for the tests), the reason phrase and
/// what it means, in the status's colour.
pub fn status_banner(status: Status, kind: Banner, testid: &'static str) -> Html {
    let live = kind == Banner::Live;
    html! {
        <div class={classes!("status-banner", (!live).then_some("compact"), status_class(status))}
            aria-live={live.then_some("polite")} aria-atomic={live.then_some("true")}>
            <span class="status-number" data-testid={testid}>{status.code()}</span>
            <span class="status-text">
                <strong>{status.reason()}</strong>
                <span>{status.meaning()}</span>
            </span>
        </div>
    }
}

/// The class that colours `status`: `s2xx`, `s401`, `s403`, `s404` (404 and 405) or `s400`
/// (every other client error). Colour is never the only sign: the number is always written.
pub fn status_class(status: Status) -> &'static str {
    match status.code() {
        200..=299 => "s2xx",
        401 => "s401",
        403 => "s403",
        404 | 405 => "s404",
        _ => "s400",
    }
}
