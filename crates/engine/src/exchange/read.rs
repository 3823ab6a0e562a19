//! Reading pasted text into exchanges: a raw request and response, a `curl -v` or `curl -i`
//! transcript, or a HAR file (JSON, as browsers' developer tools export it).

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Exchange, Source};

/// Why a text could not be read as exchanges, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExchangeError {
    /// 1-based line of the text where reading stopped.
    pub line: usize,
    /// 1-based column on that line (1 when only the line is known).
    pub column: usize,
    /// What was found, and what was expected there, in words.
    pub message: String,
}

impl std::fmt::Display for ExchangeError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ExchangeError {}

/// Reads one pasted text: a raw request, a blank line and a raw response; a raw response
/// alone or a `curl -i` transcript (every response in it, with no request); a `curl -v`
/// transcript (every exchange in it); or a HAR file (every entry, in order). Time and memory
/// grow with the text's length, no faster. Never panics.
pub fn read_exchanges(text: &str) -> Result<Vec<(Source, Exchange)>, ExchangeError> {
    let lines = lines(text);
    let Some(first) = lines
        .iter()
        .find(|line| !line.text.trim().is_empty() && !is_progress(line.text))
    else {
        return Err(ExchangeError {
            line: 1,
            column: 1,
            message: "the text is empty: expected a raw request and response, a curl -v or curl -i transcript, or a HAR file".to_string(),
        });
    };
    if first.text.trim_start().starts_with('{') {
        return read_har(text);
    }
    if lines.iter().any(|line| curl_marker(line.text).is_some()) {
        return read_curl_verbose(&lines);
    }
    if is_status_line(first.text) {
        return read_responses(text, &lines);
    }
    read_raw(text, &lines)
}

/// One line of the text: its content without the line ending, where it starts, its number.
struct Line<'a> {
    text: &'a str,
    start: usize,
    number: usize,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut found = Vec::new();
    let mut start = 0;
    for (index, piece) in text.split('\n').enumerate() {
        let line = piece.strip_suffix('\r').unwrap_or(piece);
        found.push(Line {
            text: line,
            start,
            number: index + 1,
        });
        start += piece.len() + 1;
    }
    found
}

/// Whether `line` starts a response: `HTTP/` a version, a space and three digits.
fn is_status_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("HTTP/") else {
        return false;
    };
    let Some((version, after)) = rest.split_once(' ') else {
        return false;
    };
    let code = after.get(..3).unwrap_or_default();
    !version.is_empty()
        && version
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.')
        && code.len() == 3
        && code.bytes().all(|byte| byte.is_ascii_digit())
        && after.get(3..4).is_none_or(|next| next == " ")
}

/// Whether `line` has the shape of a request line: a method, a target and an HTTP version. The
/// request's parser says what else is wrong with it.
fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let (Some(method), Some(_), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    method.bytes().all(crate::text::is_token_byte) && version.starts_with("HTTP/")
}

/// The line ending the text uses: CRLF when it holds one, LF otherwise.
fn line_ending(text: &str) -> &'static str {
    if text.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    }
}

fn read_raw(text: &str, lines: &[Line]) -> Result<Vec<(Source, Exchange)>, ExchangeError> {
    let start = lines
        .iter()
        .position(|line| !line.text.trim().is_empty())
        .unwrap_or_default();
    if let Some(first) = lines.get(start).filter(|line| !is_request_line(line.text)) {
        return Err(ExchangeError {
            line: first.number,
            column: 1,
            message: format!(
                "{:?} is neither a request line (GET /path HTTP/1.1) nor a status line (HTTP/1.1 401 Unauthorized): expected a raw request and its response, a curl -v or curl -i transcript, or a HAR file",
                crate::text::shorten(first.text, 60)
            ),
        });
    }
    // The response starts at the first status line after the request's head.
    let head_end = lines
        .iter()
        .skip(start)
        .position(|line| line.text.is_empty())
        .map(|offset| start + offset);
    let status = head_end.and_then(|head_end| {
        lines
            .iter()
            .skip(head_end)
            .find(|line| is_status_line(line.text))
    });
    let Some(status) = status else {
        let line = lines.last().map_or(1, |line| line.number);
        let message = if head_end.is_none() {
            "the request's head does not end: expected a blank line after its header lines, then the response (a status line such as HTTP/1.1 401 Unauthorized)"
        } else {
            "no response after the request: expected a status line such as HTTP/1.1 401 Unauthorized (or paste a curl -v transcript or a HAR file)"
        };
        return Err(ExchangeError {
            line,
            column: 1,
            message: message.to_string(),
        });
    };
    let request_start = lines.get(start).map_or(0, |line| line.start);
    let request = request_text(
        text.get(request_start..status.start).unwrap_or_default(),
        line_ending(text),
    );
    let response = text.get(status.start..).unwrap_or_default().to_string();
    Ok(vec![(Source::Raw, Exchange { request, response })])
}

/// A request cut from a paste: trailing blank lines dropped, and the head closed with a blank
/// line when no body follows it.
fn request_text(text: &str, ending: &str) -> String {
    let trimmed = text.trim_end_matches(['\r', '\n']);
    let has_body = trimmed.contains("\n\n") || trimmed.contains("\n\r\n");
    if has_body {
        trimmed.to_string()
    } else {
        format!("{trimmed}{ending}{ending}")
    }
}

/// A raw response alone, or a `curl -i` transcript: each status line that ends a body starts
/// a response; interim 1xx responses stay with the final one (`parse_response` skips them).
fn read_responses(text: &str, lines: &[Line]) -> Result<Vec<(Source, Exchange)>, ExchangeError> {
    let mut starts: Vec<usize> = Vec::new();
    let mut in_head = false;
    let mut interim = false;
    for line in lines {
        if is_status_line(line.text) && !in_head {
            if !interim || starts.is_empty() {
                starts.push(line.start);
            }
            interim = line.text.get(9..10) == Some("1");
            in_head = true;
        } else if line.text.is_empty() {
            in_head = false;
        }
    }
    let mut responses = Vec::new();
    for (index, start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(text.len());
        responses.push((
            Source::CurlInclude,
            Exchange {
                request: String::new(),
                response: text.get(*start..end).unwrap_or_default().to_string(),
            },
        ));
    }
    Ok(responses)
}

/// What a `curl -v` line is: a request line (`> `), a response line (`< `), curl's own note
/// (`* `) or a data marker (`{ [5 bytes data]`); `None` for body text.
fn curl_marker(line: &str) -> Option<(char, &str)> {
    let mut characters = line.chars();
    let marker = characters.next()?;
    if !matches!(marker, '>' | '<' | '*' | '{' | '}') {
        return None;
    }
    let rest = characters.as_str();
    if rest.is_empty() {
        // A lone `>` or `<` is the blank line that ends a head.
        return matches!(marker, '>' | '<').then_some((marker, ""));
    }
    let content = rest.strip_prefix(' ')?;
    if matches!(marker, '{' | '}') && !content.starts_with('[') {
        return None;
    }
    Some((marker, content))
}

/// curl's progress meter, which a transcript holds when the output went to a file.
fn is_progress(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed.starts_with("% Total") || trimmed.starts_with("Dload") || line.contains("--:--:--")
}

/// One exchange of a `curl -v` transcript being collected.
#[derive(Default)]
struct Collected {
    request: Vec<String>,
    response: Vec<String>,
    body: Vec<String>,
    /// The response's head ended (the lone `<`): text lines now are its body.
    in_body: bool,
}

impl Collected {
    fn exchange(self) -> Option<Exchange> {
        if self.response.is_empty() {
            return None;
        }
        let mut request = self.request.join("\r\n");
        if !request.is_empty() {
            request = format!("{}\r\n\r\n", request.trim_end_matches(['\r', '\n']));
        }
        let head = self.response.join("\r\n");
        let head = format!("{}\r\n\r\n", head.trim_end_matches(['\r', '\n']));
        Some(Exchange {
            request,
            response: format!("{head}{}", self.body.join("\n")),
        })
    }
}

fn read_curl_verbose(lines: &[Line]) -> Result<Vec<(Source, Exchange)>, ExchangeError> {
    let mut exchanges = Vec::new();
    let mut current = Collected::default();
    for line in lines {
        match curl_marker(line.text) {
            Some(('>', content)) => {
                if !current.response.is_empty() {
                    exchanges.extend(std::mem::take(&mut current).exchange());
                }
                let content = if current.request.is_empty() {
                    as_http11(content)
                } else {
                    content.to_string()
                };
                current.request.push(content);
            }
            Some(('<', content)) => {
                // A second status line for one request follows an interim response (100
                // Continue), which curl shows without its blank line: the final one replaces it.
                if content.starts_with("HTTP/") {
                    current.response.clear();
                    current.body.clear();
                }
                current.in_body = content.is_empty() && !current.response.is_empty();
                current.response.push(content.to_string());
            }
            Some(_) => {}
            None if is_progress(line.text) => {}
            None if current.in_body => current.body.push(body_text(line.text).to_string()),
            None => {}
        }
    }
    exchanges.extend(current.exchange());
    if exchanges.is_empty() {
        return Err(ExchangeError {
            line: lines.last().map_or(1, |line| line.number),
            column: 1,
            message: "this curl -v transcript holds no response: expected `< HTTP/1.1 …` lines (did the request reach the server?)".to_string(),
        });
    }
    Ok(exchanges
        .into_iter()
        .map(|exchange| (Source::CurlVerbose, exchange))
        .collect())
}

/// How curl's notes begin (`* Connection #0 to host … left intact`, `*   Trying …`): a body
/// without a final line break runs into the next one, on the same line.
const CURL_NOTES: [&str; 12] = [
    "Connection #",
    "Connected to",
    "Closing connection",
    "Trying ",
    "Found bundle",
    "Re-using",
    "Can not multiplex",
    "Hostname",
    "Mark bundle",
    "We are completely",
    "Expire in",
    "Failed",
];

/// A body line without the curl note that ran into it.
fn body_text(line: &str) -> &str {
    let glued = line.match_indices('*').find(|(index, _)| {
        let note = line.get(index + 1..).unwrap_or_default().trim_start();
        CURL_NOTES.iter().any(|start| note.starts_with(start))
    });
    match glued {
        Some((index, _)) => line.get(..index).unwrap_or_default(),
        None => line,
    }
}

/// A request line with its version written HTTP/1.1 (curl writes `GET / HTTP/2` for HTTP/2):
/// the exchange's request is HTTP/1.1 text.
fn as_http11(line: &str) -> String {
    match line.rsplit_once(' ') {
        Some((start, version)) if version.starts_with("HTTP/") && version != "HTTP/1.0" => {
            format!("{start} HTTP/1.1")
        }
        _ => line.to_string(),
    }
}

// A HAR file is read as a `serde_json::Value`, whose reader the page already carries for
// problem+json bodies: typed structs with serde derives would add their own deserializers to
// the page's first load. Members a browser leaves out read as empty.

fn read_har(text: &str) -> Result<Vec<(Source, Exchange)>, ExchangeError> {
    let har: Value = serde_json::from_str(text).map_err(|error| ExchangeError {
        line: error.line().max(1),
        column: error.column().max(1),
        message: format!(
            "this is not a HAR file ({error}): expected JSON with log.entries, each with a request and a response"
        ),
    })?;
    let Some(entries) = har
        .get("log")
        .and_then(|log| log.get("entries"))
        .and_then(Value::as_array)
    else {
        return Err(ExchangeError {
            line: 1,
            column: 1,
            message: "this JSON is not a HAR file: expected log.entries, a list of requests and responses".to_string(),
        });
    };
    if entries.is_empty() {
        return Err(ExchangeError {
            line: 1,
            column: 1,
            message: "the HAR file has no entries: expected at least one in log.entries"
                .to_string(),
        });
    }
    Ok(entries
        .iter()
        .enumerate()
        .map(|(index, entry)| (Source::Har { index }, har_exchange(entry)))
        .collect())
}

/// The text of member `name`, or nothing.
fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value.get(name).and_then(Value::as_str).unwrap_or_default()
}

fn har_exchange(entry: &Value) -> Exchange {
    let request = entry.get("request").unwrap_or(&Value::Null);
    let headers = pairs(request);
    let (authority, target) = split_url(text(request, "url"));
    let mut raw = format!("{} {target} HTTP/1.1\r\n", text(request, "method"));
    let has_host = headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"));
    if !has_host && !authority.is_empty() {
        raw.push_str(&format!("Host: {authority}\r\n"));
    }
    push_headers(&mut raw, &headers);
    raw.push_str("\r\n");
    if let Some(post) = request.get("postData") {
        raw.push_str(text(post, "text"));
    }

    let response = entry.get("response").unwrap_or(&Value::Null);
    let status = response.get("status").and_then(Value::as_i64).unwrap_or(0);
    let mut answer = format!("HTTP/1.1 {status:03} {}\r\n", text(response, "statusText"));
    push_headers(&mut answer, &pairs(response));
    answer.push_str("\r\n");
    let content = response.get("content").unwrap_or(&Value::Null);
    let body = text(content, "text");
    let decoded = (text(content, "encoding") == "base64")
        .then(|| {
            base64::engine::general_purpose::STANDARD
                .decode(body.trim())
                .ok()
        })
        .flatten();
    match decoded {
        Some(bytes) => answer.push_str(&String::from_utf8_lossy(&bytes)),
        None => answer.push_str(body),
    }
    Exchange {
        request: raw,
        response: answer,
    }
}

/// The `headers` of a HAR request or response, as name and value.
fn pairs(message: &Value) -> Vec<(&str, &str)> {
    message
        .get("headers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|header| (text(header, "name"), text(header, "value")))
        .collect()
}

/// Header lines of a HAR entry, leaving out HTTP/2 pseudo-headers (`:authority`…) and nameless
/// ones; a line break inside a value would end the header, so it becomes a space.
fn push_headers(raw: &mut String, headers: &[(&str, &str)]) {
    for (name, value) in headers
        .iter()
        .filter(|(name, _)| !name.is_empty() && !name.starts_with(':'))
    {
        let value = value.replace(['\r', '\n'], " ");
        raw.push_str(&format!("{name}: {value}\r\n"));
    }
}

/// The authority and the request-target of an absolute URL, without its fragment
/// (`http://host?x` asks for `/?x`).
fn split_url(url: &str) -> (&str, String) {
    let without_fragment = url.split('#').next().unwrap_or_default();
    let Some((_, rest)) = without_fragment.split_once("://") else {
        return ("", without_fragment.to_string());
    };
    match rest.find(['/', '?']) {
        Some(index) => {
            let authority = rest.get(..index).unwrap_or_default();
            let target = rest.get(index..).unwrap_or_default();
            if target.starts_with('?') {
                (authority, format!("/{target}"))
            } else {
                (authority, target.to_string())
            }
        }
        None => (rest, "/".to_string()),
    }
}
