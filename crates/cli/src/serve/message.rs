//! What `bridge` (every request) and `evaluation` (the "why" endpoint) both build on: the
//! received head written back as raw text, the server's own plain responses, and the step
//! that decided, for the log. A leaf of `serve`, so the two import it and not each other.

use authpath_engine::Evaluation;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{StatusCode, Version};

/// `node/check` of the step that decided, e.g. `verify/exp`.
pub(super) fn deciding_step(evaluation: &Evaluation) -> String {
    match evaluation.trace.last() {
        Some(step) => format!("{}/{}", step.node.id(), step.check),
        None => "-".to_string(),
    }
}

/// The request line and header lines as the engine reads them. hyper has already parsed
/// them, so this writes them back: names as hyper keeps them (lower case, which HTTP treats
/// as the same name), values byte for byte, repeated fields grouped by name.
pub(super) struct RawHead {
    pub(super) request_line: String,
    headers: String,
}

impl RawHead {
    pub(super) fn from_parts(parts: &hyper::http::request::Parts) -> RawHead {
        let version = match parts.version {
            Version::HTTP_10 => "HTTP/1.0",
            Version::HTTP_09 => "HTTP/0.9",
            _ => "HTTP/1.1",
        };
        let request_line = format!("{} {} {version}", parts.method, parts.uri);
        let mut headers = String::new();
        for (name, value) in &parts.headers {
            headers.push_str(name.as_str());
            headers.push_str(": ");
            headers.push_str(&String::from_utf8_lossy(value.as_bytes()));
            headers.push_str("\r\n");
        }
        RawHead {
            request_line,
            headers,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.request_line.len() + 2 + self.headers.len() + 2
    }

    /// The whole raw request with `request_line` in place of the received one.
    pub(super) fn with_request_line_and_body(&self, request_line: &str, body: &[u8]) -> String {
        let mut raw = String::with_capacity(self.len() + body.len());
        raw.push_str(request_line);
        raw.push_str("\r\n");
        raw.push_str(&self.headers);
        raw.push_str("\r\n");
        raw.push_str(&String::from_utf8_lossy(body));
        raw
    }
}

/// A response of the server itself (not the engine's): only the "why" endpoint and failures.
pub(super) fn plain_response(
    status: StatusCode,
    content_type: &'static str,
    body: String,
) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        HeaderValue::from_static(content_type),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

pub(super) fn internal_error(message: &str) -> hyper::Response<Full<Bytes>> {
    plain_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "text/plain; charset=utf-8",
        format!("authpath serve cannot send the engine's response: {message}\n"),
    )
}
