//! The "why" endpoint, `GET /.well-known/authpath/evaluation?path=…`: the JSON evaluation of
//! another request line with the same headers and body.

use authpath_engine::text::percent_decode;
use authpath_engine::{evaluate, Scenario};
use bytes::Bytes;
use http_body_util::Full;
use hyper::StatusCode;

use super::message::{deciding_step, internal_error, plain_response, RawHead};
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
        let decoded = percent_decode(name, true)
            .and_then(|name| percent_decode(value, true).map(|value| (name, value)));
        match decoded {
            Ok((name, value)) if name == "path" => path = Some(value),
            Ok((name, value)) if name == "method" => method = value,
            Ok(_) => {}
            Err((_, why)) => {
                let message = format!("cannot read {pair:?} in the query: {why}\n");
                return (
                    plain_response(
                        StatusCode::BAD_REQUEST,
                        "text/plain; charset=utf-8",
                        message,
                    ),
                    "400 bad escape in the query".to_string(),
                );
            }
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
