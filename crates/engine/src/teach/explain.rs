//! "Explain each line": the raw response cut into lines and spans, with a note on each part a
//! reader may wonder about — the status line, each header name, each challenge parameter and
//! each problem+json member — saying what it means and which rule or RFC section is behind it.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::http::Status;
use crate::lint::challenge;
use crate::lint::{error_code_status, is_problem_json};
use crate::model::{Response, Rule};

/// A raw response cut into annotated lines. Invariant: the lines' texts joined with `"\r\n"`
/// equal `response.to_string()` exactly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Annotated {
    pub lines: Vec<Line>,
}

/// One line of the raw response (without its CRLF). Invariant: the spans' texts concatenated
/// equal the line's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub spans: Vec<Span>,
}

/// A piece of a line, with a note when there is something to say about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Span {
    pub text: String,
    pub note: Option<Note>,
}

/// What a piece of the response means, and where that is written down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    /// The meaning, in plain words, about this response.
    pub meaning: String,
    /// The lint rule that judges this part, when one does.
    pub rule: Option<Rule>,
    /// The RFC section, e.g. `"RFC 6750 §3.1"`.
    pub source: &'static str,
    /// The rfc-editor.org address of that section.
    pub url: &'static str,
}

impl Line {
    /// The line's text: its spans concatenated.
    pub fn text(&self) -> String {
        self.spans.iter().map(|span| span.text.as_str()).collect()
    }
}

impl Annotated {
    /// The whole raw text again: the lines joined with CRLF.
    pub fn text(&self) -> String {
        self.lines
            .iter()
            .map(Line::text)
            .collect::<Vec<_>>()
            .join("\r\n")
    }
}

/// Cuts `response` into lines and annotates them. The cut follows the raw text itself, so the
/// invariant of [`Annotated`] holds for any response, including header values or bodies that
/// contain line breaks.
pub fn annotate(response: &Response) -> Annotated {
    let raw = response.to_string();
    let problem = response
        .header("Content-Type")
        .filter(|value| is_problem_json(value))
        .and_then(|_| serde_json::from_str::<Value>(&response.body).ok())
        .and_then(|value| match value {
            Value::Object(members) => Some(members),
            _ => None,
        });
    let mut lines = Vec::new();
    let mut in_body = false;
    let mut annotated_members: Vec<&str> = Vec::new();
    for (index, text) in raw.split("\r\n").enumerate() {
        let line = if index == 0 {
            status_line(text, response.status)
        } else if in_body {
            match &problem {
                Some(members) => body_line(text, members, &mut annotated_members),
                None => plain(text),
            }
        } else if text.is_empty() {
            in_body = true;
            plain(text)
        } else {
            header_line(text, response)
        };
        lines.push(line);
    }
    Annotated { lines }
}

fn plain(text: &str) -> Line {
    Line {
        spans: vec![span(text, None)],
    }
}

fn span(text: &str, note: Option<Note>) -> Span {
    Span {
        text: text.to_string(),
        note,
    }
}

fn note(
    meaning: impl Into<String>,
    rule: Option<Rule>,
    source: &'static str,
    url: &'static str,
) -> Note {
    Note {
        meaning: meaning.into(),
        rule,
        source,
        url,
    }
}

/// A note whose source is the rule's own section.
fn rule_note(meaning: impl Into<String>, rule: Rule) -> Note {
    note(meaning, Some(rule), rule.source(), rule.url())
}

/// Cuts `text` at the given byte ranges (sorted, not overlapping) and notes each range.
fn cut(text: &str, pieces: Vec<(std::ops::Range<usize>, Note)>) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut position = 0;
    for (range, piece_note) in pieces {
        let (Some(before), Some(piece)) = (
            text.get(position..range.start),
            text.get(range.start..range.end),
        ) else {
            continue;
        };
        if !before.is_empty() {
            spans.push(span(before, None));
        }
        spans.push(span(piece, Some(piece_note)));
        position = range.end;
    }
    match text.get(position..) {
        Some(rest) if !rest.is_empty() => spans.push(span(rest, None)),
        _ => {}
    }
    if spans.is_empty() {
        spans.push(span(text, None));
    }
    spans
}

fn status_line(text: &str, status: Status) -> Line {
    let (meaning, rule, source, url): (String, Option<Rule>, &'static str, &'static str) =
        match status {
            Status::Unauthorized => (
                "401 Unauthorized: who are you? The request lacks valid credentials; the WWW-Authenticate challenge says how to send them.".into(),
                Some(Rule::R1),
                Rule::R1.source(),
                Rule::R1.url(),
            ),
            Status::Forbidden => (
                "403 Forbidden: you are not allowed here. The server knows who is asking, or needs not know, and refuses; sending the same credentials again will not help.".into(),
                Some(Rule::R2),
                Rule::R2.source(),
                Rule::R2.url(),
            ),
            Status::NotFound => (
                "404 Not Found: there is nothing here, or nothing the caller may know about (a server may hide a forbidden resource this way).".into(),
                Some(Rule::R10),
                "RFC 9110 §15.5.5",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
            ),
            Status::MethodNotAllowed => (
                "405 Method Not Allowed: the resource exists but not for this method; Allow lists the ones that work.".into(),
                Some(Rule::R9),
                Rule::R9.source(),
                Rule::R9.url(),
            ),
            Status::BadRequest => (
                "400 Bad Request: the server cannot make sense of the request (malformed, or a token sent two ways); sending it again unchanged will fail again.".into(),
                Some(Rule::R5),
                "RFC 9110 §15.5.1",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
            ),
            Status::Ok => (
                "200 OK: the request passed every check and the body holds the answer.".into(),
                None,
                "RFC 9110 §15.3.1",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.1",
            ),
            Status::NoContent => (
                "204 No Content: the request succeeded and there is nothing to send back.".into(),
                None,
                "RFC 9110 §15.3.5",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.3.5",
            ),
            Status::ContentTooLarge => (
                "413 Content Too Large: the request is larger than the server will read.".into(),
                None,
                "RFC 9110 §15.5.14",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            ),
            Status::UnprocessableContent => (
                "422 Unprocessable Content: the server read the request but cannot act on what it holds; some frameworks answer it to a token they cannot use, where RFC 6750 says 401 invalid_token.".into(),
                Some(Rule::R2),
                "RFC 9110 §15.5.21",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
            ),
            Status::HeaderFieldsTooLarge => (
                "431 Request Header Fields Too Large: a header line is longer than the server will read.".into(),
                None,
                "RFC 6585 §5",
                "https://www.rfc-editor.org/rfc/rfc6585#section-5",
            ),
            // A code only a foreign server sends (a pasted or probed response).
            Status::Other(code) => (
                format!("{} {}: {}.", code, status.reason(), status.meaning()),
                None,
                "RFC 9110 §15",
                "https://www.rfc-editor.org/rfc/rfc9110#section-15",
            ),
        };
    let version = "HTTP/1.1";
    let mut spans = Vec::new();
    match text.strip_prefix(version) {
        Some(rest) => {
            spans.push(span(
                version,
                Some(note(
                    "The protocol version: this is an HTTP/1.1 message.",
                    None,
                    "RFC 9112 §4",
                    "https://www.rfc-editor.org/rfc/rfc9112#section-4",
                )),
            ));
            let trimmed = rest.trim_start_matches(' ');
            let gap = rest.len() - trimmed.len();
            if gap > 0 {
                spans.push(span(rest.get(..gap).unwrap_or_default(), None));
            }
            spans.push(span(trimmed, Some(note(meaning, rule, source, url))));
        }
        None => spans.push(span(text, Some(note(meaning, rule, source, url)))),
    }
    Line { spans }
}

fn header_line(text: &str, response: &Response) -> Line {
    let Some((name, value_with_space)) = text.split_once(':') else {
        return plain(text);
    };
    let value = value_with_space.trim_start_matches([' ', '\t']);
    let separator = text
        .get(name.len()..text.len() - value.len())
        .unwrap_or(":");
    let mut spans = vec![span(name, header_note(name, value, response.body.len()))];
    spans.push(span(separator, None));
    if name.eq_ignore_ascii_case("WWW-Authenticate") {
        spans.extend(challenge_spans(value, response.status));
    } else if !value.is_empty() {
        spans.push(span(value, None));
    }
    Line { spans }
}

/// The note for a header field; `body_len` tells a HEAD answer (a length, no content) apart.
fn header_note(name: &str, value: &str, body_len: usize) -> Option<Note> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.as_str() {
        "www-authenticate" => rule_note(
            "WWW-Authenticate: the challenges, one per scheme the server accepts, each telling the client how to authenticate. Every 401 must carry at least one.",
            Rule::R1,
        ),
        "allow" => rule_note(
            format!("Allow: the methods this resource supports ({value})."),
            Rule::R9,
        ),
        "content-type" if is_problem_json(value) => rule_note(
            "Content-Type: application/problem+json, a machine-readable error with type, title, status and detail.",
            Rule::R11,
        ),
        "content-type" => note(
            format!("Content-Type: the body is {value}."),
            None,
            "RFC 9110 §8.3",
            "https://www.rfc-editor.org/rfc/rfc9110#section-8.3",
        ),
        "content-length" if body_len == 0 && value.trim() != "0" => note(
            format!("Content-Length: the content GET would get is {value} bytes long; this answer to HEAD carries none."),
            None,
            "RFC 9110 §8.6",
            "https://www.rfc-editor.org/rfc/rfc9110#section-8.6",
        ),
        "content-length" => note(
            format!("Content-Length: the body is {value} bytes long, so the client knows where the message ends."),
            None,
            "RFC 9110 §8.6",
            "https://www.rfc-editor.org/rfc/rfc9110#section-8.6",
        ),
        "cache-control" => {
            let meaning = if value.to_ascii_lowercase().contains("private") {
                "Cache-Control: private, so shared caches (proxies, CDNs) must not store this answer; it belongs to one caller."
            } else if value.to_ascii_lowercase().contains("no-store") {
                "Cache-Control: no-store, so no cache keeps a copy of this answer."
            } else {
                "Cache-Control: how caches may store this answer."
            };
            rule_note(meaning, Rule::R14)
        }
        "vary" => note(
            format!("Vary: caches must keep separate copies per value of {value}."),
            None,
            "RFC 9110 §12.5.5",
            "https://www.rfc-editor.org/rfc/rfc9110#section-12.5.5",
        ),
        "location" => note(
            "Location: where the created or moved resource is.",
            None,
            "RFC 9110 §10.2.2",
            "https://www.rfc-editor.org/rfc/rfc9110#section-10.2.2",
        ),
        // Headers the engine does not write are left unexplained rather than guessed at.
        _ => return None,
    })
}

fn challenge_spans(value: &str, status: Status) -> Vec<Span> {
    let parsed = challenge::parse(value);
    let mut pieces = Vec::new();
    for challenge in &parsed.challenges {
        pieces.push((challenge.scheme_span.clone(), scheme_note(challenge)));
        for param in &challenge.params {
            if let Some(param_note) = param_note(challenge, param, status) {
                pieces.push((param.span.clone(), param_note));
            }
        }
    }
    if value.is_empty() {
        return Vec::new();
    }
    cut(value, pieces)
}

fn scheme_note(challenge: &challenge::Challenge) -> Note {
    if challenge.is("Bearer") {
        note(
            "Bearer: send an access token as `Authorization: Bearer <token>`; whoever holds the token gets in, so it travels only over TLS.",
            Some(Rule::R6),
            "RFC 6750 §3",
            "https://www.rfc-editor.org/rfc/rfc6750#section-3",
        )
    } else if challenge.is("Basic") {
        rule_note(
            "Basic: send `Authorization: Basic <base64 of user-id:password>`.",
            Rule::R7,
        )
    } else {
        rule_note(
            format!(
                "{}: an authentication scheme; its name is case-insensitive.",
                challenge.scheme
            ),
            Rule::R8,
        )
    }
}

fn param_note(
    challenge: &challenge::Challenge,
    param: &challenge::Param,
    status: Status,
) -> Option<Note> {
    let name = param.name.to_ascii_lowercase();
    let value = param.value.as_str();
    Some(match name.as_str() {
        "realm" => note(
            format!(
                "realm=\"{value}\": the protection space. Credentials that work for one resource of realm {value} work for the others too, so a client can reuse them."
            ),
            if challenge.is("Basic") { Some(Rule::R7) } else { Some(Rule::R6) },
            "RFC 9110 §11.5",
            "https://www.rfc-editor.org/rfc/rfc9110#section-11.5",
        ),
        "charset" => rule_note(
            format!("charset=\"{value}\": the client should encode user-id and password as UTF-8 before base64, the only value allowed."),
            Rule::R7,
        ),
        "scope" => note(
            format!("scope=\"{value}\": the scopes a token needs for this resource; ask the authorization server for a token that carries them."),
            Some(Rule::R6),
            "RFC 6750 §3",
            "https://www.rfc-editor.org/rfc/rfc6750#section-3",
        ),
        "error" => {
            let meaning = match value {
                "invalid_token" => "error=\"invalid_token\": the token is expired, revoked, malformed or signed wrongly; get a new token (refresh) and retry.".to_string(),
                "insufficient_scope" => "error=\"insufficient_scope\": the token is good but lacks the rights asked for here; a new token with the listed scope may help, retrying this one will not.".to_string(),
                "invalid_request" => "error=\"invalid_request\": the request itself is wrong (a missing or repeated parameter, or a token sent two ways); fix it before retrying.".to_string(),
                other => format!("error=\"{other}\": an error code this server defines itself; RFC 6750 defines invalid_request, invalid_token and insufficient_scope."),
            };
            let fits = error_code_status(value).is_none_or(|code| code == status.code());
            let meaning = if fits {
                meaning
            } else {
                format!("{meaning} It does not go with status {}.", status.code())
            };
            rule_note(meaning, Rule::R5)
        }
        "error_description" => note(
            format!("error_description=\"{value}\": a human-readable reason for developers, not for end users; programs should act on `error`, not on this text."),
            Some(Rule::R15),
            "RFC 6750 §3",
            "https://www.rfc-editor.org/rfc/rfc6750#section-3",
        ),
        "error_uri" => note(
            format!("error_uri=\"{value}\": a page for developers explaining the error."),
            Some(Rule::R6),
            "RFC 6750 §3",
            "https://www.rfc-editor.org/rfc/rfc6750#section-3",
        ),
        _ => return None,
    })
}

/// Notes the problem+json members on one body line: each member is noted once, at the first
/// line that holds its key.
fn body_line<'m>(
    text: &str,
    members: &'m Map<String, Value>,
    annotated: &mut Vec<&'m str>,
) -> Line {
    let mut pieces = Vec::new();
    for (name, value) in members {
        if annotated.contains(&name.as_str()) {
            continue;
        }
        let Some(member_note) = member_note(name, value) else {
            continue;
        };
        let Some(range) = member_range(text, name) else {
            continue;
        };
        annotated.push(name);
        pieces.push((range, member_note));
    }
    pieces.sort_by_key(|(range, _)| range.start);
    // Two members cannot share bytes; keep the first if a key text repeats inside a value.
    let mut kept: Vec<(std::ops::Range<usize>, Note)> = Vec::new();
    for (range, piece_note) in pieces {
        if kept.last().is_none_or(|(last, _)| last.end <= range.start) {
            kept.push((range, piece_note));
        }
    }
    Line {
        spans: cut(text, kept),
    }
}

fn member_note(name: &str, value: &Value) -> Option<Note> {
    let rendered = value.to_string();
    Some(match name {
        "type" => note(
            format!("type {rendered}: a URI naming the kind of problem; absent or about:blank means \"nothing more than the status says\"."),
            Some(Rule::R16),
            "RFC 9457 §3.1.1",
            "https://www.rfc-editor.org/rfc/rfc9457#section-3.1.1",
        ),
        "title" => note(
            format!("title {rendered}: a short summary of the problem type, the same for every occurrence."),
            Some(Rule::R16),
            "RFC 9457 §3.1.3",
            "https://www.rfc-editor.org/rfc/rfc9457#section-3.1.3",
        ),
        "status" => note(
            format!("status {rendered}: the HTTP status repeated in the body, for clients that only keep the body; it must match the status line."),
            Some(Rule::R11),
            "RFC 9457 §3.1.2",
            "https://www.rfc-editor.org/rfc/rfc9457#section-3.1.2",
        ),
        "detail" => note(
            format!("detail {rendered}: what went wrong with this request in particular, for a human to read."),
            Some(Rule::R11),
            "RFC 9457 §3.1.4",
            "https://www.rfc-editor.org/rfc/rfc9457#section-3.1.4",
        ),
        "instance" => note(
            format!("instance {rendered}: a URI for this occurrence of the problem."),
            None,
            "RFC 9457 §3.1.5",
            "https://www.rfc-editor.org/rfc/rfc9457#section-3.1.5",
        ),
        _ => return None,
    })
}

/// The byte range of `"name": value` on this line, the value included when it is a string,
/// number, boolean or null written on the same line.
fn member_range(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let key = serde_json::to_string(name).ok()?;
    let bytes = text.as_bytes();
    let mut search_from = 0;
    while let Some(found) = text.get(search_from..)?.find(&key) {
        let start = search_from + found;
        let mut position = start + key.len();
        while matches!(bytes.get(position), Some(b' ' | b'\t')) {
            position += 1;
        }
        if bytes.get(position) != Some(&b':') {
            search_from = start + key.len();
            continue;
        }
        position += 1;
        while matches!(bytes.get(position), Some(b' ' | b'\t')) {
            position += 1;
        }
        return Some(start..value_end(bytes, position));
    }
    None
}

/// Where a JSON scalar starting at `start` ends (a string with its escapes, or a run of
/// number / literal characters); `start` itself when no scalar stands there.
fn value_end(bytes: &[u8], start: usize) -> usize {
    let mut position = start;
    if bytes.get(position) == Some(&b'"') {
        position += 1;
        while let Some(&byte) = bytes.get(position) {
            position += 1;
            match byte {
                b'\\' => position += 1,
                b'"' => return position.min(bytes.len()),
                _ => {}
            }
        }
        return bytes.len();
    }
    while bytes
        .get(position)
        .is_some_and(|byte| byte.is_ascii_alphanumeric() || b"+-.".contains(byte))
    {
        position += 1;
    }
    position
}
