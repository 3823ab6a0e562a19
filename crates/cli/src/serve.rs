//! `authpath serve`: the same pipeline behind a real HTTP/1.1 listener, so a real client can
//! be pointed at a server that answers exactly as the simulator shows.
//!
//! Each request is turned back into the raw text the engine takes (request line, headers as
//! received, body) and the engine's response is written out unchanged: status line with the
//! engine's reason phrase, headers in the engine's order and spelling, body. hyper adds
//! nothing (no `date`), and the header names keep the engine's case (see `HeaderCasing`).

use std::convert::Infallible;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use authpath_engine::policy::fill_pattern;
use authpath_engine::{
    evaluate, mint_token, presets, Access, Claims, Evaluation, Scenario, MAX_REQUEST_BYTES,
};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::ext::ReasonPhrase;
use hyper::header::{HeaderName, HeaderValue};
use hyper::http::Extensions;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{StatusCode, Version};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::args::{unix_seconds, Arguments};
use crate::scenario::{load_policy, parse_profile, profile_name};
use crate::token::real_now;
use crate::Failure;

/// `authpath serve --help`.
pub const HELP: &str = "\
authpath serve: answer real HTTP/1.1 clients with the authpath pipeline

USAGE:
    authpath serve [OPTIONS]

Every request is handed to the engine as raw text (request line, headers as received,
body) and the engine's raw response is written back unchanged: status line, headers in
the engine's order and spelling, body; nothing is added (no Date). Point a real client at
it to test its 401 / 403 handling. The HTTP layer has parsed the request already, so the
engine sees header names in lower case and repeated fields next to each other (HTTP
treats both alike), and an HTTP/1.0 client gets an HTTP/1.0 status line.

OPTIONS:
    --addr <ip:port>               where to listen (default 127.0.0.1:8401; port 0 picks a
                                   free port). Anything but loopback must be asked for here.
    --profile <rfc|conceal|naive>  which server answers (default rfc)
    --policy <file.toml|file.json> the API's routes (default: the demo API)
    --clock <now|unix seconds>     the server clock: `now` follows the real clock (default,
                                   so tokens from `authpath token` work); a number fixes it,
                                   e.g. 1767225600 to answer exactly as `authpath eval` does
    --timeout <seconds>            per-request timeout for reading headers and body (default 10)
    --quiet                        no log line per request
    -h, --help                     print this help

ASKING WHY:
    GET /.well-known/authpath/evaluation?path=<path>[&method=<method>]
    answers 200 with the JSON evaluation (trace, response, findings) of the request
    `<method> <path>` (method GET by default) sent with the same headers and body, e.g.
    curl -H \"Authorization: Bearer $(authpath token)\" \\
        'http://127.0.0.1:8401/.well-known/authpath/evaluation?path=/admin'

LIMITS:
    Requests over 64 KiB get the engine's 413, a header line over 8 KiB its 431. A header
    section over 128 KiB or more than 1000 header fields, and requests HTTP/1.1 cannot
    parse at all, are refused by the HTTP layer itself (431 or 400, empty body).

Logs one line per request on stderr: method, path, status, the step that decided.
Ctrl-C (or SIGTERM) stops accepting, lets open requests finish, then exits.
";

/// The path of the "why" endpoint.
pub const EVALUATION_PATH: &str = "/.well-known/authpath/evaluation";

/// The largest header section handed to the engine; beyond it hyper refuses with its own 431.
/// Twice the engine's limit, so every request the engine would answer 413 reaches it.
const MAX_HEADER_SECTION_BYTES: usize = 2 * MAX_REQUEST_BYTES;

/// More header fields than any real request sends; beyond it hyper refuses with its own 431.
const MAX_HEADER_FIELDS: usize = 1000;

/// How long open requests may take to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Where the server's clock comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The real clock, read for every request.
    Real,
    /// A fixed Unix time, as in `authpath eval --now`.
    Fixed(u64),
}

/// The options of `authpath serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// The scenario; its `now` is replaced according to `clock`.
    pub scenario: Scenario,
    pub clock: Clock,
    /// Limit for reading one request's headers and body.
    pub timeout: Duration,
    /// One log line per request on stderr.
    pub log: bool,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8401)),
            scenario: Scenario::default(),
            clock: Clock::Real,
            timeout: Duration::from_secs(10),
            log: true,
        }
    }
}

/// Parses the options, binds, prints the startup text and serves until Ctrl-C.
pub fn main(arguments: Arguments) -> Result<(), Failure> {
    let Some(options) = parse(arguments)? else {
        return Ok(());
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::Runtime(format!("cannot start the runtime: {error}")))?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(options.addr).await.map_err(|error| {
            Failure::Runtime(format!(
                "cannot listen on {}: {error} (choose another --addr, e.g. 127.0.0.1:0)",
                options.addr
            ))
        })?;
        let address = listener
            .local_addr()
            .map_err(|error| Failure::Runtime(format!("cannot read the bound address: {error}")))?;
        let mut stdout = std::io::stdout().lock();
        // A closed stdout must not stop the server; the banner is a courtesy.
        let _ = stdout
            .write_all(banner(&options, address).as_bytes())
            .and_then(|()| stdout.flush());
        drop(stdout);
        serve(listener, options, stop_signal())
            .await
            .map_err(|error| Failure::Runtime(format!("the server failed: {error}")))?;
        eprintln!("authpath serve: stopped");
        Ok(())
    })
}

/// Parses the options; `Ok(None)` when `--help` was asked for (and printed).
pub fn parse(mut arguments: Arguments) -> Result<Option<ServeOptions>, Failure> {
    let mut options = ServeOptions::default();
    while let Some((name, inline)) = arguments.next_flag("addr")? {
        match name.as_str() {
            "help" => {
                print!("{HELP}");
                return Ok(None);
            }
            "addr" => {
                let value = arguments.value(&name, inline)?;
                options.addr = value.trim().parse().map_err(|_| {
                    arguments.error(format!(
                        "--addr needs an IP address and port such as 127.0.0.1:8401, not {value:?}"
                    ))
                })?;
            }
            "profile" => {
                let value = arguments.value(&name, inline)?;
                options.scenario.profile = parse_profile(&arguments, &value)?;
            }
            "policy" => {
                let value = arguments.value(&name, inline)?;
                options.scenario.policy = load_policy(&arguments, &value)?;
            }
            "clock" => {
                let value = arguments.value(&name, inline)?;
                options.clock = if value.trim() == "now" {
                    Clock::Real
                } else {
                    Clock::Fixed(unix_seconds(&arguments, &name, &value).map_err(|_| {
                        arguments.error(format!(
                            "--clock needs `now` or Unix seconds such as 1767225600, not {value:?}"
                        ))
                    })?)
                };
            }
            "timeout" => {
                let value = arguments.value(&name, inline)?;
                let seconds =
                    value.trim().parse::<f64>().ok().filter(|seconds| {
                        seconds.is_finite() && *seconds > 0.0 && *seconds <= 3600.0
                    });
                let Some(seconds) = seconds else {
                    return Err(arguments
                        .error(format!(
                            "--timeout needs a number of seconds between 0 and 3600, not {value:?}"
                        ))
                        .into());
                };
                options.timeout = Duration::from_secs_f64(seconds);
            }
            "quiet" => {
                arguments.switch(&name, inline)?;
                options.log = false;
            }
            _ => return Err(arguments.unknown_flag(&name).into()),
        }
    }
    Ok(Some(options))
}

/// Resolves on Ctrl-C, or on SIGTERM where there is one.
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    // Without a signal handler the server runs until the process is killed.
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// The startup text: address, profile, realm, clock, and a ready-to-paste `curl` line for
/// each route with a freshly minted demo token (valid for an hour on the server's clock).
pub fn banner(options: &ServeOptions, address: SocketAddr) -> String {
    let scenario = &options.scenario;
    let base = format!("http://{address}");
    let (now, clock) = match options.clock {
        Clock::Real => {
            let now = real_now();
            (now, format!("real time (now {now})"))
        }
        Clock::Fixed(now) => (now, format!("fixed at {now} (--clock)")),
    };
    let mut text = format!("authpath serve listening on {base}\n");
    text.push_str(&format!(
        "  profile {} · realm \"{}\" · clock {clock} · request timeout {} s\n",
        profile_name(scenario.profile),
        scenario.realm,
        options.timeout.as_secs_f64(),
    ));
    if !address.ip().is_loopback() {
        text.push_str("  warning: not loopback: anyone who can reach this address can use it\n");
    }
    let users: Vec<String> = scenario
        .users
        .iter()
        .map(|user| format!("{}/{} ({})", user.name, user.password, user.role))
        .collect();
    text.push_str(&format!(
        "  users (Basic): {}; the tokens below expire in one hour\n",
        users.join(", ")
    ));
    text.push_str("try:\n");
    let subject = scenario
        .users
        .first()
        .map_or("alice".to_string(), |user| user.name.clone());
    let other = scenario
        .users
        .get(1)
        .map_or("bob".to_string(), |user| user.name.clone());
    let mint = |subject: &str, role: Option<String>, scope: Option<String>| {
        let claims = Claims {
            sub: Some(subject.to_string()),
            role: role.or_else(|| Some(scenario.user(subject)?.role.clone())),
            scope,
            exp: Some(now.saturating_add(3600)),
            iat: Some(now),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            ..Claims::default()
        };
        mint_token(&claims, &scenario.key)
    };
    for route in &scenario.policy.routes {
        let method = if route.method.eq_ignore_ascii_case("GET") {
            String::new()
        } else {
            format!("-X {} ", route.method)
        };
        // A token that passes the route's rule, so every line answers 2xx as pasted.
        let (token, parameter) = match &route.access {
            Access::Public => (None, other.clone()),
            Access::Authenticated => (Some(mint(&subject, None, None)), other.clone()),
            Access::Role(role) => {
                let holder = scenario
                    .users
                    .iter()
                    .find(|user| &user.role == role)
                    .map_or(subject.clone(), |user| user.name.clone());
                (Some(mint(&holder, Some(role.clone()), None)), other.clone())
            }
            Access::Scope(scope) => (
                Some(mint(&subject, None, Some(scope.clone()))),
                other.clone(),
            ),
            Access::Owner(_) => (Some(mint(&subject, None, None)), subject.clone()),
        };
        let path = fill_pattern(&route.path, &parameter);
        let authorization = token
            .map(|token| format!("-H 'Authorization: Bearer {token}' "))
            .unwrap_or_default();
        text.push_str(&format!(
            "  curl -i {method}{authorization}'{base}{path}'\n"
        ));
    }
    if let Some(user) = scenario.users.first() {
        text.push_str(&format!(
            "  curl -i --anyauth -u '{}:{}' '{base}/profile'\n",
            user.name, user.password
        ));
    }
    text.push_str(&format!(
        "ask why (the JSON evaluation of GET /admin with these headers):\n  \
         curl -s -H 'Authorization: Bearer {}' '{base}{EVALUATION_PATH}?path=/admin'\n",
        mint(&subject, None, None)
    ));
    text.push_str("Ctrl-C stops the server.\n");
    text
}

/// Serves connections from `listener` until `shutdown` resolves, then lets open requests
/// finish (for a few seconds) and returns.
pub async fn serve(
    listener: TcpListener,
    options: ServeOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let casing = HeaderCasing::learn(&options.scenario).await;
    let state = Arc::new(State::new(options, casing));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(state.timeout)
        .auto_date_header(false)
        .title_case_headers(true)
        .max_buf_size(MAX_HEADER_SECTION_BYTES)
        .max_headers(MAX_HEADER_FIELDS);
    let (stop_sender, stop_receiver) = watch::channel(false);
    let mut connections = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors and the like: wait a little, keep serving.
                        eprintln!("authpath serve: accept failed: {error}");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                // Small responses: send them now rather than wait for more to write.
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let service = service_fn(move |request| {
                    let state = Arc::clone(&state);
                    async move { state.handle(request).await }
                });
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let stop = stop_receiver.clone();
                connections.spawn(async move {
                    tokio::pin!(connection);
                    tokio::select! {
                        _ = connection.as_mut() => {}
                        () = stopped(stop) => {
                            connection.as_mut().graceful_shutdown();
                            let _ = connection.await;
                        }
                    }
                });
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let _ = stop_sender.send(true);
    let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        connections.shutdown().await;
    }
    Ok(())
}

/// Resolves once the server is told to stop.
async fn stopped(mut stop: watch::Receiver<bool>) {
    loop {
        let stopping = *stop.borrow_and_update();
        if stopping {
            return;
        }
        if stop.changed().await.is_err() {
            // The server is gone without saying stop: nothing will ever say it.
            std::future::pending::<()>().await;
        }
    }
}

/// Why the server dropped a request without answering (a timeout while reading it).
#[derive(Debug)]
struct Dropped(String);

impl std::fmt::Display for Dropped {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for Dropped {}

/// What every connection shares.
struct State {
    scenario: Scenario,
    clock: Clock,
    timeout: Duration,
    log: bool,
    casing: HeaderCasing,
    /// The scenario with `now` set, rebuilt when the real clock moves on to the next second.
    current: Mutex<Arc<Scenario>>,
}

impl State {
    fn new(options: ServeOptions, casing: HeaderCasing) -> State {
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
    async fn handle(
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
fn deciding_step(evaluation: &Evaluation) -> String {
    match evaluation.trace.last() {
        Some(step) => format!("{}/{}", step.node.id(), step.check),
        None => "-".to_string(),
    }
}

/// The request line and header lines as the engine reads them. hyper has already parsed
/// them, so this writes them back: names as hyper keeps them (lower case, which HTTP treats
/// as the same name), values byte for byte, repeated fields grouped by name.
struct RawHead {
    request_line: String,
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
    fn with_request_line_and_body(&self, request_line: &str, body: &[u8]) -> String {
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
async fn read_body(mut body: Incoming, budget: usize) -> Result<Vec<u8>, String> {
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

/// The "why" endpoint: the JSON evaluation of `<method> <path>` with the same headers and
/// body. Returns the response and the log note.
fn evaluation_response(
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

/// A response of the server itself (not the engine's): only the "why" endpoint and failures.
fn plain_response(
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

fn internal_error(message: &str) -> hyper::Response<Full<Bytes>> {
    plain_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        "text/plain; charset=utf-8",
        format!("authpath serve cannot send the engine's response: {message}\n"),
    )
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

/// Makes hyper write header names in the engine's spelling (`WWW-Authenticate`, not
/// `www-authenticate` or `Www-Authenticate`).
///
/// hyper stores header names in lower case. With `preserve_header_case` it remembers how a
/// *parsed* message spelled them, in a private extension that it also honours when writing a
/// response. So at startup a request carrying every header name the engine writes is parsed
/// once, in memory, and its extensions are attached to each response. Names not learnt this
/// way come out title-cased.
struct HeaderCasing {
    extensions: Extensions,
}

impl HeaderCasing {
    async fn learn(scenario: &Scenario) -> HeaderCasing {
        let names = engine_header_names(scenario);
        let extensions =
            match tokio::time::timeout(Duration::from_secs(5), parse_names(&names)).await {
                Ok(Some(extensions)) => extensions,
                _ => Extensions::default(),
            };
        HeaderCasing { extensions }
    }

    /// The engine's response as a hyper response: same status and reason phrase, same headers
    /// in the same order, same body. For HEAD the body is empty and Content-Length is what
    /// GET would carry (RFC 9110 §8.6), so only other requests have it checked.
    fn to_hyper(
        &self,
        response: &authpath_engine::Response,
        head: bool,
    ) -> Result<hyper::Response<Full<Bytes>>, String> {
        let code = response.status.code();
        let status = StatusCode::from_u16(code)
            .map_err(|_| format!("the engine answered with the status {code}"))?;
        let body = Bytes::from(response.body.clone());
        let mut answer = hyper::Response::new(Full::new(body));
        *answer.status_mut() = status;
        *answer.extensions_mut() = self.extensions.clone();
        let reason = ReasonPhrase::try_from(response.status.reason().as_bytes().to_vec())
            .map_err(|_| format!("the reason phrase {:?}", response.status.reason()))?;
        answer.extensions_mut().insert(reason);
        let headers = answer.headers_mut();
        for header in &response.headers {
            let name = HeaderName::from_bytes(header.name.as_bytes())
                .map_err(|_| format!("the header name {:?}", header.name))?;
            let value = HeaderValue::from_bytes(header.value.as_bytes())
                .map_err(|_| format!("the value of {}: {:?}", header.name, header.value))?;
            if name == hyper::header::CONTENT_LENGTH
                && !head
                && header.value.trim() != response.body.len().to_string()
            {
                return Err(format!(
                    "Content-Length {} for a body of {} bytes",
                    header.value,
                    response.body.len()
                ));
            }
            headers.append(name, value);
        }
        Ok(answer)
    }
}

/// Every header name the engine writes for the presets and a few other requests, with the
/// most times each occurs in one response, plus the common ones.
fn engine_header_names(scenario: &Scenario) -> Vec<(String, usize)> {
    let mut names: Vec<(String, usize)> = [
        "WWW-Authenticate",
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Allow",
        "Vary",
        "Pragma",
    ]
    .iter()
    .map(|name| (name.to_string(), 1))
    .collect();
    let mut requests: Vec<String> = presets()
        .iter()
        .map(|preset| preset.request.to_raw(scenario))
        .collect();
    requests.extend([
        "GET /nowhere HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n".to_string(),
        "POST /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n".to_string(),
        "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Digest x\r\n\r\n"
            .to_string(),
        "BROKEN\r\n\r\n".to_string(),
    ]);
    for raw in requests {
        let response = evaluate(&raw, scenario).response;
        for header in &response.headers {
            let count = response
                .headers
                .iter()
                .filter(|other| other.name.eq_ignore_ascii_case(&header.name))
                .count();
            match names
                .iter_mut()
                .find(|(name, _)| name.eq_ignore_ascii_case(&header.name))
            {
                Some((name, most)) => {
                    name.clone_from(&header.name);
                    *most = (*most).max(count);
                }
                None => names.push((header.name.clone(), count)),
            }
        }
    }
    names
}

/// Has hyper parse a request carrying `names` and returns the parsed request's extensions.
async fn parse_names(names: &[(String, usize)]) -> Option<Extensions> {
    let mut request = String::from("GET / HTTP/1.1\r\nHost: localhost\r\n");
    for (name, count) in names {
        let lower = name.to_ascii_lowercase();
        // Fields that change how hyper reads the message itself are left out.
        if [
            "host",
            "connection",
            "transfer-encoding",
            "upgrade",
            "expect",
            "te",
        ]
        .contains(&lower.as_str())
            || HeaderName::from_bytes(name.as_bytes()).is_err()
        {
            continue;
        }
        let (value, count) = if lower == "content-length" {
            ("0", 1)
        } else {
            ("x", *count)
        };
        for _ in 0..count {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    request.push_str("Connection: close\r\n\r\n");

    let (mut client, server) = tokio::io::duplex(MAX_HEADER_SECTION_BYTES);
    let slot: Arc<Mutex<Option<Extensions>>> = Arc::new(Mutex::new(None));
    let service_slot = Arc::clone(&slot);
    let service = service_fn(move |request: hyper::Request<Incoming>| {
        if let Ok(mut slot) = service_slot.lock() {
            *slot = Some(request.extensions().clone());
        }
        async { Ok::<_, Infallible>(hyper::Response::new(Full::new(Bytes::new()))) }
    });
    let connection = http1::Builder::new()
        .preserve_header_case(true)
        .max_buf_size(MAX_HEADER_SECTION_BYTES)
        .serve_connection(TokioIo::new(server), service);
    let exchange = async {
        client.write_all(request.as_bytes()).await.ok()?;
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.ok()?;
        Some(())
    };
    let (_, exchanged) = tokio::join!(connection, exchange);
    exchanged?;
    let extensions = slot.lock().ok()?.take();
    extensions
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_loopback_port_8401_and_the_real_clock() {
        let options = parse(Arguments::new("serve", Vec::new()))
            .expect("no options is a valid command line")
            .expect("not --help");
        assert!(options.addr.ip().is_loopback());
        assert_eq!(options.addr.port(), 8401);
        assert_eq!(options.clock, Clock::Real);
        assert!(!banner(&options, options.addr).contains("not loopback"));
        let everywhere = SocketAddr::from(([0, 0, 0, 0], 8401));
        assert!(banner(&options, everywhere).contains("not loopback"));
    }
}
