//! Parsing of the raw request text (RFC 9112): request line, header fields, body.
//!
//! Lenient where real servers are (LF-only line endings, leading empty lines, a head that ends
//! with the text), strict where the RFCs are (obs-fold, whitespace before the colon, bare CR,
//! a missing `Host` in HTTP/1.1). Every refusal is a [`RequestError`] that says what and where.

use serde::{Deserialize, Serialize};

use crate::text::{is_token_byte, line_column, percent_decode};

/// Query parameters, in order, percent-decoded.
pub type Query = Vec<(String, String)>;

/// The largest request accepted, in bytes; larger ones get 413 before anything else is read.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;

/// The longest request or header line accepted, in bytes; a longer header line gets 431.
pub const MAX_HEADER_LINE_BYTES: usize = 8 * 1024;

/// An HTTP status the pipeline can answer with. Status codes are derived from this enum,
/// never passed around as bare numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NoContent,
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    ContentTooLarge,
    /// 422, which Flask-JWT-Extended answers to a token it cannot use.
    UnprocessableContent,
    HeaderFieldsTooLarge,
    /// Any other code (100–599) a server outside authpath sent, as read from a pasted or probed
    /// response. The pipeline never answers with it; [`Status::received`] never makes one for
    /// a code that has a variant of its own, so equal codes are equal statuses.
    Other(u16),
}

/// One header field of a request or a response, in the order it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// The parsed request line and headers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub method: String,
    /// The request-target as sent, e.g. `/reports?access_token=…`.
    pub target: String,
    /// The path part of the target, percent-decoding not applied.
    pub path: String,
    /// Query parameters in order, percent-decoded.
    pub query: Vec<(String, String)>,
    pub version: String,
    /// Headers in order; names as sent (compare case-insensitively).
    pub headers: Vec<Header>,
    pub body: String,
}

/// Why the raw text is not an acceptable request, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestError {
    /// 400, 413 or 431.
    pub status: Status,
    /// What is wrong, in words, e.g. `"header line 3 has no colon"`.
    pub message: String,
    /// 1-based line of the raw text where the problem is.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
    /// Byte offset into the raw text, for highlighting.
    pub offset: usize,
}

impl Status {
    /// The numeric status code, e.g. `401`.
    pub fn code(self) -> u16 {
        match self {
            Status::Ok => 200,
            Status::NoContent => 204,
            Status::BadRequest => 400,
            Status::Unauthorized => 401,
            Status::Forbidden => 403,
            Status::NotFound => 404,
            Status::MethodNotAllowed => 405,
            Status::ContentTooLarge => 413,
            Status::UnprocessableContent => 422,
            Status::HeaderFieldsTooLarge => 431,
            Status::Other(code) => code,
        }
    }

    /// The reason phrase of RFC 9110 §15 (RFC 6585 for 431), e.g. `"Unauthorized"`.
    pub fn reason(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::NoContent => "No Content",
            Status::BadRequest => "Bad Request",
            Status::Unauthorized => "Unauthorized",
            Status::Forbidden => "Forbidden",
            Status::NotFound => "Not Found",
            Status::MethodNotAllowed => "Method Not Allowed",
            Status::ContentTooLarge => "Content Too Large",
            Status::UnprocessableContent => "Unprocessable Content",
            Status::HeaderFieldsTooLarge => "Request Header Fields Too Large",
            Status::Other(code) => other_reason(code),
        }
    }

    /// What the status says to the client, in plain words.
    pub fn meaning(self) -> &'static str {
        match self {
            Status::Ok => "here you are",
            Status::NoContent => "done, nothing to send back",
            Status::BadRequest => "I cannot understand this request",
            Status::Unauthorized => "who are you?",
            Status::Forbidden => "you are not allowed here",
            Status::NotFound => "there is nothing here (that you may see)",
            Status::MethodNotAllowed => "this resource exists, but not for that method",
            Status::ContentTooLarge => "this request is too large",
            Status::UnprocessableContent => "I read this request, but cannot process what it holds",
            Status::HeaderFieldsTooLarge => "a header of this request is too large",
            Status::Other(code) => match code {
                100..=199 => "wait, more is coming",
                200..=299 => "done",
                300..=399 => "look elsewhere",
                400..=499 => "the request cannot be served as it is",
                _ => "the server failed",
            },
        }
    }

    /// The status for a numeric code, if the pipeline can answer with it.
    pub fn from_code(code: u16) -> Option<Status> {
        Status::all()
            .into_iter()
            .find(|status| status.code() == code)
    }

    /// The status for any code a server may send (100–599): the pipeline's own variant when it
    /// has one, `Other` otherwise; `None` outside that range.
    pub fn received(code: u16) -> Option<Status> {
        if !(100..=599).contains(&code) {
            return None;
        }
        Some(Status::from_code(code).unwrap_or(Status::Other(code)))
    }

    /// Every status the pipeline answers with, in code order.
    pub fn all() -> [Status; 10] {
        [
            Status::Ok,
            Status::NoContent,
            Status::BadRequest,
            Status::Unauthorized,
            Status::Forbidden,
            Status::NotFound,
            Status::MethodNotAllowed,
            Status::ContentTooLarge,
            Status::UnprocessableContent,
            Status::HeaderFieldsTooLarge,
        ]
    }

    /// True for 2xx.
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.code())
    }
}

/// The reason phrase of RFC 9110 §15 (RFC 6585 for 428/429/511) for the codes the pipeline
/// never answers with; empty for a code without one.
fn other_reason(code: u16) -> &'static str {
    match code {
        100 => "Continue",
        101 => "Switching Protocols",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        402 => "Payment Required",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        511 => "Network Authentication Required",
        _ => "",
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{} {}", self.code(), self.reason())
    }
}

impl Header {
    /// A header from a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Header {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl Request {
    /// The value of the first header with that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }

    /// Every value of the headers with that name, in order.
    pub fn headers_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        named(&self.headers, name)
    }

    /// The first value of a query parameter (percent-decoded).
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for RequestError {}

/// The value of the first header called `name` (case-insensitively).
pub(crate) fn find_header<'a>(headers: &'a [Header], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case(name))
        .map(|header| header.value.as_str())
}

/// The values of the headers called `name` (case-insensitively), in order.
pub(crate) fn named<'a>(
    headers: &'a [Header],
    name: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    headers
        .iter()
        .filter(move |header| header.name.eq_ignore_ascii_case(name))
        .map(|header| header.value.as_str())
}

/// Parses a raw HTTP/1.x request. Never panics; every refusal says what is wrong and where.
pub fn parse_request(raw: &str) -> Result<Request, RequestError> {
    if raw.len() > MAX_REQUEST_BYTES {
        return Err(fail(
            raw,
            Status::ContentTooLarge,
            MAX_REQUEST_BYTES,
            format!(
                "the request is {} bytes, more than the {MAX_REQUEST_BYTES}-byte (64 KiB) limit; \
                 nothing after that limit was read",
                raw.len()
            ),
        ));
    }
    let mut lines = Lines { raw, position: 0 };

    // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
    let request_line =
        loop {
            match lines.next()? {
                None => return Err(bad(
                    raw,
                    raw.len(),
                    "the request is empty: expected a request line such as GET /profile HTTP/1.1"
                        .to_string(),
                )),
                Some(line) if line.text.is_empty() => continue,
                Some(line) => break line,
            }
        };
    let (method, target, version) = parse_request_line(raw, &request_line)?;
    let target_offset = request_line.start + method.len() + 1;
    let (path, query) = parse_target(raw, method, target, target_offset)?;

    let mut headers = Vec::new();
    let mut header_starts = Vec::new();
    let mut head_end = raw.len();
    let mut body_start = raw.len();
    while let Some(line) = lines.next()? {
        if line.text.is_empty() {
            head_end = line.start;
            body_start = line.next;
            break;
        }
        headers.push(parse_header_line(raw, &line)?);
        header_starts.push(line.start);
    }

    if version == "HTTP/1.1" {
        let hosts: Vec<usize> = headers
            .iter()
            .zip(&header_starts)
            .filter(|(header, _)| header.name.eq_ignore_ascii_case("host"))
            .map(|(_, start)| *start)
            .collect();
        match hosts.as_slice() {
            [_] => {}
            [] => {
                return Err(bad(
                    raw,
                    head_end,
                    "an HTTP/1.1 request must carry a Host header (RFC 9112 §3.2)".to_string(),
                ))
            }
            [_, second, ..] => {
                return Err(bad(
                    raw,
                    *second,
                    format!(
                    "the request carries {} Host headers; exactly one is allowed (RFC 9112 §3.2)",
                    hosts.len()
                ),
                ))
            }
        }
    }
    let body = read_body(raw, &headers, &header_starts, body_start)?;

    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        path: path.to_string(),
        query,
        version: version.to_string(),
        headers,
        body: body.to_string(),
    })
}

/// One line of the head: its text without the terminator, where it starts, where the next
/// one starts.
struct Line<'a> {
    text: &'a str,
    start: usize,
    next: usize,
}

struct Lines<'a> {
    raw: &'a str,
    position: usize,
}

impl<'a> Lines<'a> {
    /// The next line, or `None` at the end of the text. A bare CR is an error (RFC 9112 §2.2).
    fn next(&mut self) -> Result<Option<Line<'a>>, RequestError> {
        let raw = self.raw;
        let start = self.position;
        let Some(rest) = raw.get(start..).filter(|rest| !rest.is_empty()) else {
            return Ok(None);
        };
        let (content, next) = match rest.find('\n') {
            Some(index) => (rest.get(..index).unwrap_or(rest), start + index + 1),
            None => (rest, raw.len()),
        };
        let text = content.strip_suffix('\r').unwrap_or(content);
        if let Some(index) = text.find('\r') {
            return Err(bad(
                raw,
                start + index,
                "a bare CR (carriage return not followed by a line feed) is not allowed"
                    .to_string(),
            ));
        }
        self.position = next;
        Ok(Some(Line { text, start, next }))
    }
}

fn parse_request_line<'a>(
    raw: &str,
    line: &Line<'a>,
) -> Result<(&'a str, &'a str, &'a str), RequestError> {
    let text = line.text;
    let at = |index: usize| line.start + index;
    if text.len() > MAX_HEADER_LINE_BYTES {
        return Err(bad(
            raw,
            at(MAX_HEADER_LINE_BYTES),
            format!(
                "the request line is {} bytes, more than the {MAX_HEADER_LINE_BYTES}-byte limit",
                text.len()
            ),
        ));
    }
    if let Some(index) = text.find([' ', '\t']) {
        if index == 0 {
            return Err(bad(
                raw,
                at(0),
                "the request line starts with whitespace; expected a method such as GET"
                    .to_string(),
            ));
        }
    }
    let shape = "the request line must be METHOD SP TARGET SP VERSION, e.g. GET /profile HTTP/1.1";
    let mut parts = text.splitn(3, ' ');
    let method = parts.next().unwrap_or_default();
    let (Some(target), Some(version)) = (parts.next(), parts.next()) else {
        return Err(bad(
            raw,
            at(text.len()),
            format!("{shape}: a part is missing"),
        ));
    };
    if let Some(index) = method.bytes().position(|byte| !is_token_byte(byte)) {
        return Err(bad(
            raw,
            at(index),
            format!(
                "{} is not allowed in a method name",
                describe_char(method.get(index..).unwrap_or_default())
            ),
        ));
    }
    let target_start = method.len() + 1;
    if target.is_empty() {
        return Err(bad(
            raw,
            at(target_start),
            format!("{shape}: two spaces in a row, or no target"),
        ));
    }
    let version_start = target_start + target.len() + 1;
    if let Some(index) = version.find([' ', '\t']) {
        return Err(bad(
            raw,
            at(version_start + index),
            format!("{shape}: unexpected whitespace after the version (a space in the target must be written %20)"),
        ));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        let message = if is_version_shape(version) {
            format!("{version} is not supported here: only HTTP/1.1 and HTTP/1.0")
        } else {
            format!("the version must be HTTP/1.1 (case-sensitive), found {version:?}")
        };
        return Err(bad(raw, at(version_start), message));
    }
    Ok((method, target, version))
}

/// Checks the target's form and characters; returns the path and the decoded query.
fn parse_target<'a>(
    raw: &str,
    method: &str,
    target: &'a str,
    offset: usize,
) -> Result<(&'a str, Query), RequestError> {
    if let Some(index) = target
        .bytes()
        .position(|byte| !(0x21..=0x7E).contains(&byte) || byte == b'#')
    {
        let what = describe_char(target.get(index..).unwrap_or_default());
        let message = if target.as_bytes().get(index) == Some(&b'#') {
            "a fragment (#…) is never sent in a request target".to_string()
        } else {
            format!("{what} is not allowed in the request target; percent-encode it")
        };
        return Err(bad(raw, offset + index, message));
    }
    let (path_start, path_and_query) = if target.starts_with('/') {
        (0, target)
    } else if target == "*" {
        if method != "OPTIONS" {
            return Err(bad(
                raw,
                offset,
                "the target * is only allowed with OPTIONS".to_string(),
            ));
        }
        (0, target)
    } else if let Some(after_scheme) = strip_scheme(target) {
        // Absolute form (RFC 9112 §3.2.2): the path starts after the authority.
        let authority_start = target.len() - after_scheme.len();
        match after_scheme.find(['/', '?']) {
            Some(index) => {
                let start = authority_start + index;
                (start, target.get(start..).unwrap_or("/"))
            }
            None => (target.len(), "/"),
        }
    } else {
        return Err(bad(
            raw,
            offset,
            format!("the request target must start with /, found {target:?}"),
        ));
    };
    let (path, query_text) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let path = if path.is_empty() { "/" } else { path };
    if let Err((index, message)) = percent_decode(path, false) {
        return Err(bad(raw, offset + path_start + index, message));
    }
    let mut query = Vec::new();
    if let Some(query_text) = query_text {
        let query_start = offset + path_start + path.len() + 1;
        let mut piece_start = query_start;
        for piece in query_text.split('&') {
            let piece_offset = piece_start;
            piece_start += piece.len() + 1;
            if piece.is_empty() {
                continue;
            }
            let (raw_key, raw_value) = piece.split_once('=').unwrap_or((piece, ""));
            let key = percent_decode(raw_key, true)
                .map_err(|(index, message)| bad(raw, piece_offset + index, message))?;
            let value_offset = piece_offset + raw_key.len() + 1;
            let value = percent_decode(raw_value, true)
                .map_err(|(index, message)| bad(raw, value_offset + index, message))?;
            query.push((key, value));
        }
    }
    Ok((path, query))
}

fn parse_header_line(raw: &str, line: &Line<'_>) -> Result<Header, RequestError> {
    let text = line.text;
    if text.len() > MAX_HEADER_LINE_BYTES {
        return Err(fail(
            raw,
            Status::HeaderFieldsTooLarge,
            line.start + MAX_HEADER_LINE_BYTES,
            format!(
                "this header line is {} bytes, more than the {MAX_HEADER_LINE_BYTES}-byte (8 KiB) limit",
                text.len()
            ),
        ));
    }
    if text.starts_with([' ', '\t']) {
        return Err(bad(
            raw,
            line.start,
            "a line starting with whitespace continues the previous header (obs-fold), \
             which is not allowed (RFC 9112 §5.2)"
                .to_string(),
        ));
    }
    let Some(colon) = text.find(':') else {
        return Err(bad(
            raw,
            line.start + text.len(),
            "this header line has no colon: expected Name: value".to_string(),
        ));
    };
    let name = text.get(..colon).unwrap_or_default();
    if name.is_empty() {
        return Err(bad(
            raw,
            line.start,
            "the header name before the colon is empty".to_string(),
        ));
    }
    if let Some(index) = name.bytes().position(|byte| !is_token_byte(byte)) {
        let message = if name.get(index..).is_some_and(|rest| rest.trim().is_empty()) {
            "whitespace between a header name and its colon is not allowed (RFC 9112 §5.1)"
                .to_string()
        } else {
            format!(
                "{} is not allowed in a header name",
                describe_char(name.get(index..).unwrap_or_default())
            )
        };
        return Err(bad(raw, line.start + index, message));
    }
    let value_raw = text.get(colon + 1..).unwrap_or_default();
    if let Some(index) = value_raw
        .bytes()
        .position(|byte| (byte < 0x20 && byte != b'\t') || byte == 0x7F)
    {
        return Err(bad(
            raw,
            line.start + colon + 1 + index,
            format!(
                "{} is not allowed in a header value",
                describe_char(value_raw.get(index..).unwrap_or_default())
            ),
        ));
    }
    Ok(Header {
        name: name.to_string(),
        value: value_raw.trim_matches([' ', '\t']).to_string(),
    })
}

fn read_body<'a>(
    raw: &'a str,
    headers: &[Header],
    header_starts: &[usize],
    body_start: usize,
) -> Result<&'a str, RequestError> {
    let rest = raw.get(body_start..).unwrap_or_default();
    let named = |name: &'static str| {
        headers
            .iter()
            .zip(header_starts)
            .filter(move |(header, _)| header.name.eq_ignore_ascii_case(name))
            .map(|(header, start)| (header.value.as_str(), *start))
    };
    let lengths: Vec<(&str, usize)> = named("content-length").collect();
    let Some(&(first, first_start)) = lengths.first() else {
        // Without Content-Length the text after the blank line is taken as the body: a
        // simulator has no connection to read a next request from.
        return Ok(rest);
    };
    if let Some((_, start)) = named("transfer-encoding").next() {
        return Err(bad(
            raw,
            start,
            "Content-Length and Transfer-Encoding together are not allowed (RFC 9112 §6.1)"
                .to_string(),
        ));
    }
    if let Some((_, start)) = lengths.iter().find(|(length, _)| *length != first) {
        return Err(bad(
            raw,
            *start,
            "several Content-Length headers disagree".to_string(),
        ));
    }
    let length = match first.parse::<usize>() {
        Ok(length) if first.bytes().all(|byte| byte.is_ascii_digit()) => length,
        _ => {
            return Err(bad(
                raw,
                first_start,
                format!("Content-Length must be a decimal number, found {first:?}"),
            ))
        }
    };
    if rest.len() < length {
        return Err(bad(
            raw,
            raw.len(),
            format!(
                "the body has {} bytes but Content-Length says {length}",
                rest.len()
            ),
        ));
    }
    rest.get(..length).ok_or_else(|| {
        bad(
            raw,
            body_start + length,
            "Content-Length ends inside a UTF-8 character".to_string(),
        )
    })
}

fn strip_scheme(target: &str) -> Option<&str> {
    for scheme in ["http://", "https://"] {
        if target
            .get(..scheme.len())
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case(scheme))
        {
            return target.get(scheme.len()..);
        }
    }
    None
}

fn is_version_shape(version: &str) -> bool {
    let bytes = version.as_bytes();
    version.starts_with("HTTP/")
        && bytes.get(5).is_some_and(u8::is_ascii_digit)
        && (bytes.len() == 6
            || (bytes.len() == 8
                && bytes.get(6) == Some(&b'.')
                && bytes.get(7).is_some_and(u8::is_ascii_digit)))
}

/// `"a space"`, `"the character '<'"`, `"the control character U+0001"`.
fn describe_char(text: &str) -> String {
    match text.chars().next() {
        Some(' ') => "a space".to_string(),
        Some('\t') => "a tab".to_string(),
        Some(character) if character.is_control() => {
            format!("the control character U+{:04X}", u32::from(character))
        }
        Some(character) => format!("the character {character:?}"),
        None => "the end of the line".to_string(),
    }
}

fn bad(raw: &str, offset: usize, message: String) -> RequestError {
    fail(raw, Status::BadRequest, offset, message)
}

fn fail(raw: &str, status: Status, offset: usize, message: String) -> RequestError {
    let offset = offset.min(raw.len());
    let (line, column) = line_column(raw, offset);
    RequestError {
        status,
        message,
        line,
        column,
        offset,
    }
}
