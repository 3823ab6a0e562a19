//! The "why" endpoint, `GET /.well-known/authpath/evaluation?path=…`: the JSON evaluation of
//! another request line with the same headers and body.

use authpath_engine::{evaluate, Scenario};
use bytes::Bytes;
use http_body_util::Full;
use hyper::StatusCode;

use super::bridge::{deciding_step, internal_error, plain_response, RawHead};
use super::EVALUATION_PATH;

/// The "why" endpoint: the JSON evaluation of `<method> <path>` with the same headers and
/// body. Returns the response and the log note.
pub(super) fn evaluation_response(
    parts: &hyper::http::request::Parts,
    head: &RawHead,
    body: &[u8],
    scenario: &Scenario,
) -> (hyper::Response<Full<Bytes>>, String) {
    let query = parts.uri.query().unwrap_or("");
    let mut path = None;
    let mut method = "GET".to_string();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match percent_decode(name).as_str() {
            "path" => path = Some(percent_decode(value)),
            "method" => method = percent_decode(value),
            _ => {}
        }
    }
    let Some(path) = path else {
        let message = format!(
            "add the request to evaluate: {EVALUATION_PATH}?path=/admin (and &method=DELETE for \
             another method than GET); the headers and body of this request are used\n"
        );
        return (
            plain_response(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                message,
            ),
            "400 no ?path= to evaluate".to_string(),
        );
    };
    let version = head
        .request_line
        .rsplit(' ')
        .next()
        .unwrap_or("HTTP/1.1")
        .to_string();
    let request_line = format!("{method} {path} {version}");
    let raw = head.with_request_line_and_body(&request_line, body);
    let evaluation = evaluate(&raw, scenario);
    let note = format!(
        "200 evaluation of {method} {}: {} {}",
        path.split('?').next().unwrap_or(""),
        evaluation.response.status.code(),
        deciding_step(&evaluation)
    );
    let response = match serde_json::to_string_pretty(&evaluation) {
        Ok(mut json) => {
            json.push('\n');
            plain_response(StatusCode::OK, "application/json", json)
        }
        Err(error) => internal_error(&format!("cannot write the evaluation as JSON: {error}")),
    };
    (response, note)
}

/// Decodes `%XX` escapes and `+` (a space in form encoding); invalid escapes stay as they are.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = match (byte, bytes.get(index + 1), bytes.get(index + 2)) {
            (b'%', Some(&high), Some(&low)) => hex_value(high)
                .zip(hex_value(low))
                .map(|(high, low)| high * 16 + low),
            _ => None,
        };
        match escaped {
            Some(value) => {
                decoded.push(value);
                index += 3;
            }
            None => {
                decoded.push(if byte == b'+' { b' ' } else { byte });
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}
