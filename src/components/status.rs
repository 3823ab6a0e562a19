//! The colour of a status: one CSS class per status class, the same on every view that colours
//! a status (the response banner, the decision path's exits, the matrix, Compare).

use authpath_engine::Status;

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
