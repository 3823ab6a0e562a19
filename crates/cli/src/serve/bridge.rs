//! One request across the bridge: hyper's parsed parts written back as the raw text the
//! engine reads, and the engine's response handed back to hyper unchanged.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authpath_engine::{evaluate, Evaluation, Scenario, MAX_REQUEST_BYTES};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::HeaderValue;
use hyper::{StatusCode, Version};

use super::casing::HeaderCasing;
use super::evaluation::evaluation_response;
use super::{Clock, ServeOptions, EVALUATION_PATH};
use crate::token::real_now;

/// Why the server dropped a request without answering (a timeout while reading it).
#[derive(Debug)]
pub(super) struct Dropped(String);

impl std::fmt::Display for Dropped {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for Dropped {}

/// What every connection shares.
pub(super) struct State {
    scenario: Scenario,
    clock: Clock,
    pub(super) timeout: Duration,
    log: bool,
    casing: HeaderCasing,
    /// The scenario with `now` set, rebuilt when the real clock moves on to the next second.
    current: Mutex<Arc<Scenario>>,
}

impl State {
    pub(super) fn new(options: ServeOptions, casing: HeaderCasing) -> State {
        let mut scenario = options.scenario;
        if let Clock::Fixed(now) = options.clock {
            scenario.now = now;
        }
        State {
            current: Mutex::new(Arc::new(scenario.clone())),
            scenario,
            clock: options.clock,
            timeout: options.timeout,
            log: options.log,
            casing,
        }
    }

    /// The scenario on the server's clock now.
    fn scenario(&self) -> Arc<Scenario> {
        let Clock::Real = self.clock else {
            return self.current_scenario();
        };
        let now = real_now();
        let mut current = match self.current.lock() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        if current.now != now {
            let mut scenario = self.scenario.clone();
            scenario.now = now;
            *current = Arc::new(scenario);
        }
        Arc::clone(&current)
    }

    fn current_scenario(&self) -> Arc<Scenario> {
        match self.current.lock() {
            Ok(current) => Arc::clone(&current),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Answers one request: the engine's response, or the evaluation JSON for the "why" path.
    pub(super) async fn handle(
        &self,
        request: hyper::Request<Incoming>,
    ) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
        let started = Instant::now();
        let (parts, body) = request.into_parts();
        let head = RawHead::from_parts(&parts);
        let path = parts.uri.path().to_string();
        let budget = (MAX_REQUEST_BYTES + 1).saturating_sub(head.len());
        let body = match tokio::time::timeout(self.timeout, read_body(body, budget)).await {
            Ok(Ok(body)) => body,
            Ok(Err(error)) => {
                self.log_line(&parts.method, &path, &format!("dropped: {error}"), started);
                return Err(Dropped(error));
            }
            Err(_) => {
                let message = format!("no complete body within {:?}", self.timeout);
                self.log_line(
                    &parts.method,
                    &path,
                    &format!("dropped: {message}"),
                    started,
                );
                return Err(Dropped(message));
            }
        };
        let scenario = self.scenario();
        if path == EVALUATION_PATH {
            let (response, note) = evaluation_response(&parts, &head, &body, &scenario);
            self.log_line(&parts.method, &path, &note, started);
            return Ok(response);
        }
        let raw = head.with_request_line_and_body(&head.request_line, &body);
        let evaluation = evaluate(&raw, &scenario);
        let head_request = parts.method == hyper::Method::HEAD;
        let response = match self.casing.to_hyper(&evaluation.response, head_request) {
            Ok(response) => response,
            Err(message) => {
                self.log_line(&parts.method, &path, &message, started);
                return Ok(internal_error(&message));
            }
        };
        if self.log {
            let note = format!(
                "{} {}",
                evaluation.response.status.code(),
                deciding_step(&evaluation)
            );
            self.log_line(&parts.method, &path, &note, started);
        }
        Ok(response)
    }

    fn log_line(&self, method: &hyper::Method, path: &str, note: &str, started: Instant) {
        if !self.log {
            return;
        }
        // The path only: the query may carry an access_token, which must not reach a log.
        eprintln!(
            "{method} {path} → {note} ({:.1} ms)",
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
}

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
    fn from_parts(parts: &hyper::http::request::Parts) -> RawHead {
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

    fn len(&self) -> usize {
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

/// Reads the body, stopping once it is more than `budget` bytes: the engine only needs to
/// see that the request is too large, not the rest of it.
pub(super) async fn read_body(mut body: Incoming, budget: usize) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    while bytes.len() < budget {
        let Some(frame) = body.frame().await else {
            break;
        };
        let frame = frame.map_err(|error| format!("cannot read the body: {error}"))?;
        if let Ok(data) = frame.into_data() {
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
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
