//! Sending one planned request with `ureq` and keeping both sides as raw text: the request
//! exactly as written on the wire, the response rebuilt from what came back (status line,
//! header fields in the order received, body).
//!
//! One agent serves the whole run: requests go one after another, so at most one connection
//! is open at a time; redirects are never followed (the 3xx is the answer); no proxy is taken
//! from the environment, so the bytes reach the server named.

use std::time::Duration;

use ureq::http::{self, header::HeaderName, HeaderValue};
use ureq::Agent;

/// How much of a response body is read; the rest is cut (and said so).
pub const BODY_LIMIT: u64 = 1024 * 1024;

/// A request ready to send: the URL and the header fields, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub method: String,
    /// `http://host:port/path?query`.
    pub url: String,
    /// `name: value` pairs written after `Host`, in this order.
    pub headers: Vec<(String, String)>,
}

/// What came back, or why nothing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// A response: its status and its raw text.
    Response { status: u16, raw: String },
    /// No response: the server could not be reached (refused, unknown host, TLS failure).
    Unreachable(String),
    /// The server was reached but gave no usable answer (a timeout, a broken response).
    Failed(String),
}

/// The agent every request of a run goes through.
pub fn agent(timeout: Duration) -> Agent {
    let config = Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(timeout))
        .max_idle_connections(1)
        .max_idle_connections_per_host(1)
        .build();
    config.new_agent()
}

/// The request as it goes on the wire: request line, `Host`, the fields, a blank line. Header
/// names are lower case there (the `http` crate keeps them so); the text says what was sent.
pub fn raw_request(outgoing: &Outgoing) -> Result<String, String> {
    let request = build(outgoing)?;
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |target| target.as_str());
    let mut text = format!("{} {target} HTTP/1.1\r\n", request.method());
    for (name, value) in request.headers() {
        text.push_str(&format!(
            "{}: {}\r\n",
            name.as_str(),
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    text.push_str("\r\n");
    Ok(text)
}

/// Sends the request and reads the answer.
pub fn send(agent: &Agent, outgoing: &Outgoing) -> Answer {
    let request = match build(outgoing) {
        Ok(request) => request,
        Err(error) => return Answer::Failed(error),
    };
    let mut response = match agent.run(request) {
        Ok(response) => response,
        Err(error) => return failure(error),
    };
    let status = response.status();
    let mut raw = format!(
        "HTTP/1.1 {} {}\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or("")
    );
    for (name, value) in response.headers() {
        raw.push_str(&format!(
            "{}: {}\r\n",
            casing(name),
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    raw.push_str("\r\n");
    let body = response
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec();
    match body {
        Ok(bytes) => raw.push_str(&String::from_utf8_lossy(&bytes)),
        Err(ureq::Error::BodyExceedsLimit(_)) => {
            return Answer::Failed(format!(
                "the body of the {} answer is longer than {BODY_LIMIT} bytes",
                status.as_u16()
            ))
        }
        Err(error) => return Answer::Failed(format!("reading the body: {error}")),
    }
    Answer::Response {
        status: status.as_u16(),
        raw,
    }
}

fn build(outgoing: &Outgoing) -> Result<http::Request<()>, String> {
    let uri: http::Uri = outgoing
        .url
        .parse()
        .map_err(|error| format!("{} is not a URL: {error}", outgoing.url))?;
    let host = uri
        .authority()
        .map(|authority| authority.as_str().to_string())
        .ok_or_else(|| format!("{} has no host", outgoing.url))?;
    let method = http::Method::from_bytes(outgoing.method.as_bytes())
        .map_err(|_| format!("{:?} is not an HTTP method", outgoing.method))?;
    let mut builder = http::Request::builder()
        .method(method)
        .uri(uri)
        .header("host", host);
    for (name, value) in &outgoing.headers {
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("{name:?} is not a header name"))?;
        let value = HeaderValue::from_str(value)
            .map_err(|_| format!("the value of {name} is not a header value"))?;
        builder = builder.header(name, value);
    }
    builder
        .body(())
        .map_err(|error| format!("cannot build the request: {error}"))
}

/// A header name with each word capitalised (`www-authenticate` → `Www-Authenticate`), as
/// most servers write it; the `http` crate hands names over in lower case, and the lint reads
/// them case-insensitively either way.
fn casing(name: &HeaderName) -> String {
    name.as_str()
        .split('-')
        .map(|word| {
            let mut characters = word.chars();
            match characters.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + characters.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Sorts a transport error into "could not reach the server" and "reached it, no answer".
fn failure(error: ureq::Error) -> Answer {
    let text = error.to_string();
    match error {
        ureq::Error::HostNotFound | ureq::Error::ConnectionFailed | ureq::Error::Tls(_) => {
            Answer::Unreachable(text)
        }
        ureq::Error::Io(io) if is_unreachable(io.kind()) => Answer::Unreachable(text),
        _ => Answer::Failed(text),
    }
}

fn is_unreachable(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind;
    matches!(
        kind,
        ErrorKind::ConnectionRefused
            | ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable
            | ErrorKind::AddrNotAvailable
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_raw_request_is_what_goes_on_the_wire() {
        let outgoing = Outgoing {
            method: "GET".to_string(),
            url: "http://127.0.0.1:8080/users/alice/notes?x=1".to_string(),
            headers: vec![
                ("User-Agent".to_string(), "authpath-probe".to_string()),
                ("Authorization".to_string(), "Bearer".to_string()),
            ],
        };
        assert_eq!(
            raw_request(&outgoing).as_deref(),
            Ok(
                "GET /users/alice/notes?x=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\n\
                user-agent: authpath-probe\r\nauthorization: Bearer\r\n\r\n"
            )
        );
    }

    #[test]
    fn header_names_are_capitalised_word_by_word() {
        for (name, expected) in [
            ("www-authenticate", "Www-Authenticate"),
            ("content-type", "Content-Type"),
            ("allow", "Allow"),
        ] {
            assert_eq!(casing(&HeaderName::from_static(name)), expected);
        }
    }
}
