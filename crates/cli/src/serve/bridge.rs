//! One request across the bridge: hyper's parsed parts written back as the raw text the
//! engine reads, and the engine's response handed back to hyper unchanged.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authpath_engine::{evaluate, Scenario, MAX_REQUEST_BYTES};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;

use super::casing::HeaderCasing;
use super::evaluation::evaluation_response;
use super::message::{deciding_step, internal_error, RawHead};
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
