//! Reading pasted text into exchanges: a raw request and response, a `curl -v` or `curl -i`
//! transcript, or a HAR file (JSON, as browsers' developer tools export it).

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::response::{control_character, header_line_problem};
use super::{parse_response, Exchange, Source};
use crate::text::line_column;

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

impl ExchangeError {
    fn at(line: usize, (column, message): (usize, String)) -> ExchangeError {
        ExchangeError {
            line,
            column,
            message,
        }
    }
}

/// Whether the response of an exchange read from the text reads, with its problem placed in
/// the text: `line_of` gives the text's line of the response's line `n` (1-based), and
/// `indent` the characters each of its lines is preceded by there (`< ` in a curl transcript).
fn response_reads(
    response: &str,
    line_of: impl Fn(usize) -> usize,
    indent: usize,
) -> Result<(), ExchangeError> {
    parse_response(response).map(|_| ()).map_err(|error| {
        ExchangeError::at(
            line_of(error.line),
            (
                error.column + indent,
                format!("in the response: {}", error.message),
            ),
        )
    })
}

/// Whether a pasted request's head is one: a request line and header lines of text, each
/// `name: value` (or continuing the one before). What else a server would refuse — a missing
/// Host, a Content-Length the paste cut the body from — is left to the lint, which reads the
/// request as text where it does not parse. `heads` are the head's lines, each with its line
/// number in the text and the characters before it there.
fn request_head_reads<'a>(
    mut heads: impl Iterator<Item = (&'a str, usize, usize)>,
) -> Result<(), ExchangeError> {
    let place = |(column, message): (usize, String), indent: usize| {
        (column + indent, format!("in the request: {message}"))
    };
    if let Some((line, number, indent)) = heads.next() {
        if let Some(problem) = control_character(line) {
            return Err(ExchangeError::at(number, place(problem, indent)));
        }
    }
    for (line, number, indent) in heads {
        let problem = control_character(line).or_else(|| {
            // obs-fold continues the header before it.
            (!line.starts_with([' ', '\t']))
                .then(|| header_line_problem(line))
                .flatten()
        });
        if let Some(problem) = problem {
            return Err(ExchangeError::at(number, place(problem, indent)));
        }
    }
    Ok(())
}

/// Reads one pasted text: a raw request, a blank line and a raw response; a raw response
/// alone or a `curl -i` transcript (every response in it, with no request); a `curl -v`
/// transcript (every exchange in it); or a HAR file (every entry, in order). Text that holds
/// no exchange is an error naming its line and column: every response must read
/// ([`parse_response`]), a request's head must be a request line and `name: value` lines of
/// text, a HAR entry must have a request and a response (a response with status 0 or -1, which
/// browsers record for a request that got none or was cancelled, becomes an empty response). Time and memory
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
    if let Some(head_end) = head_end {
        let head = lines
            .get(start..head_end)
            .unwrap_or_default()
            .iter()
            .map(|line| (line.text, line.number, 0));
        request_head_reads(head)?;
    }
    let status = head_end.and_then(|head_end| {
        lines
            .iter()
            .skip(head_end)
            .find(|line| is_status_line(line.text))
    });
    let Some(status) = status else {
        // A line that starts as a status line but is not one says best what is wrong.
        let broken = head_end.and_then(|head_end| {
            lines
                .iter()
                .skip(head_end)
                .find(|line| line.text.starts_with("HTTP/"))
        });
        if let Some(broken) = broken {
            response_reads(
                text.get(broken.start..).unwrap_or_default(),
                |line| broken.number + line.saturating_sub(1),
                0,
            )?;
        }
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
    response_reads(&response, |line| status.number + line.saturating_sub(1), 0)?;
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
    // Where each response starts: its offset and its line number.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut in_head = false;
    let mut interim = false;
    for line in lines {
        if is_status_line(line.text) && !in_head {
            if !interim || starts.is_empty() {
                starts.push((line.start, line.number));
            }
            interim = line.text.get(9..10) == Some("1");
            in_head = true;
        } else if line.text.is_empty() {
            in_head = false;
        }
    }
    let mut responses = Vec::new();
    for (index, (start, number)) in starts.iter().enumerate() {
        let end = starts.get(index + 1).map_or(text.len(), |(next, _)| *next);
        let response = text.get(*start..end).unwrap_or_default().to_string();
        response_reads(&response, |line| number + line.saturating_sub(1), 0)?;
        responses.push((
            Source::CurlInclude,
            Exchange {
                request: String::new(),
                response,
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
    /// The transcript's line number of each request and response line.
    request_lines: Vec<usize>,
    response_lines: Vec<usize>,
    /// The response's head ended (the lone `<`): text lines now are its body.
    in_body: bool,
}

impl Collected {
    /// The exchange, once its request's head and its response are known to read.
    fn read(self) -> Result<Option<Exchange>, ExchangeError> {
        // curl writes `> ` and `< ` before each line.
        let head = self
            .request
            .iter()
            .zip(&self.request_lines)
            .map(|(line, number)| (line.as_str(), *number, 2))
            .take_while(|(line, _, _)| !line.is_empty());
        request_head_reads(head)?;
        let numbers = self.response_lines.clone();
        let Some(exchange) = self.exchange() else {
            return Ok(None);
        };
        let last = numbers.last().copied().unwrap_or(1);
        let line_of = |line: usize| numbers.get(line.saturating_sub(1)).copied().unwrap_or(last);
        response_reads(&exchange.response, line_of, 2)?;
        Ok(Some(exchange))
    }

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
                    exchanges.extend(std::mem::take(&mut current).read()?);
                }
                let content = if current.request.is_empty() {
                    as_http11(content)
                } else {
                    content.to_string()
                };
                current.request.push(content);
                current.request_lines.push(line.number);
            }
            Some(('<', content)) => {
                // A second status line for one request follows an interim response (100
                // Continue), which curl shows without its blank line: the final one replaces it.
                if content.starts_with("HTTP/") {
                    current.response.clear();
                    current.response_lines.clear();
                    current.body.clear();
                }
                current.in_body = content.is_empty() && !current.response.is_empty();
                current.response.push(content.to_string());
                current.response_lines.push(line.number);
            }
            Some(_) => {}
            None if is_progress(line.text) => {}
            None if current.in_body => current.body.push(body_text(line.text).to_string()),
            None => {}
        }
    }
    exchanges.extend(current.read()?);
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
    let mut exchanges = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let exchange = har_exchange(entry).map_err(|problem| {
            let (line, column) =
                entry_offset(text, index).map_or((1, 1), |offset| line_column(text, offset));
            ExchangeError {
                line,
                column,
                message: format!("HAR entry {} (log.entries[{index}]) {problem}", index + 1),
            }
        })?;
        exchanges.push((Source::Har { index }, exchange));
    }
    Ok(exchanges)
}

// Where an entry starts, for an error about it: serde_json reads a HAR into a `Value`, which
// keeps no places, so the text is stepped through again, one JSON value at a time, with
// serde_json skipping each (it has read them all once already).

/// Where entry `index` of `log.entries` starts in `text`, a HAR that reads as JSON.
fn entry_offset(text: &str, index: usize) -> Option<usize> {
    let log = member(text, skip_space(text, 0), "log")?;
    let entries = member(text, log, "entries")?;
    let mut at = skip_space(text, expect(text, entries, b'[')?);
    for _ in 0..index {
        at = skip_space(text, value_end(text, at)?);
        at = skip_space(text, expect(text, at, b',')?);
    }
    Some(at)
}

fn skip_space(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or_default();
    at + rest.len() - rest.trim_start_matches([' ', '\t', '\n', '\r']).len()
}

/// The offset after `byte`, when `byte` is at `at`.
fn expect(text: &str, at: usize, byte: u8) -> Option<usize> {
    (text.as_bytes().get(at) == Some(&byte)).then_some(at + 1)
}

/// The end of the JSON value that starts at `at`.
fn value_end(text: &str, at: usize) -> Option<usize> {
    let mut values =
        serde_json::Deserializer::from_str(text.get(at..)?).into_iter::<serde::de::IgnoredAny>();
    values.next()?.ok()?;
    Some(at + values.byte_offset())
}

/// Where the value of member `name` (written without escapes, as HAR writers do) of the
/// object at `at` starts.
fn member(text: &str, at: usize, name: &str) -> Option<usize> {
    let key = format!("\"{name}\"");
    let mut at = expect(text, at, b'{')?;
    loop {
        at = skip_space(text, at);
        let key_end = value_end(text, at)?;
        let found = text.get(at..key_end) == Some(key.as_str());
        at = skip_space(text, expect(text, skip_space(text, key_end), b':')?);
        if found {
            return Some(at);
        }
        at = expect(text, skip_space(text, value_end(text, at)?), b',')?;
    }
}

/// The text of member `name`, or nothing.
fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// The exchange of a HAR entry, or what is missing from it (after "HAR entry N").
fn har_exchange(entry: &Value) -> Result<Exchange, String> {
    let object = |name: &str| entry.get(name).filter(|value| value.is_object());
    let Some(request) = object("request") else {
        return Err("has no request: expected \"request\" with its method, url and headers (a response alone is no exchange)".to_string());
    };
    if text(request, "method").is_empty() || request.get("url").and_then(Value::as_str).is_none() {
        return Err("has a request without its method or url: expected \"method\": \"GET\" and \"url\": \"https://…\"".to_string());
    }
    let Some(response) = object("response") else {
        return Err(
            "has no response: expected \"response\" with its status (0 when the browser got none)"
                .to_string(),
        );
    };
    let Some(status) = response.get("status").and_then(Value::as_i64) else {
        return Err("has a response without its status: expected \"status\": 401, or 0 when the browser got none".to_string());
    };
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

    // Status 0 (or Chromium's -1): the browser got no response (blocked, cancelled, failed).
    if status <= 0 {
        return Ok(Exchange {
            request: raw,
            response: String::new(),
        });
    }
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
    if let Err(error) = parse_response(&answer) {
        return Err(format!(
            "has a response that does not read: {}",
            error.message
        ));
    }
    Ok(Exchange {
        request: raw,
        response: answer,
    })
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
