//! Reading a raw response a server sent: the status line of HTTP/1.x (`HTTP/1.1 401
//! Unauthorized`) or as curl writes HTTP/2 and HTTP/3 ones (`HTTP/2 401`), header fields, the
//! body. Lenient as a client is (LF-only line endings, a missing reason phrase, interim 1xx
//! responses before the final one), but not with bytes no server writes in a head (a NUL, a
//! header name that is not a token: RFC 9110 §5.5 lets a recipient reject them), and every
//! refusal says where.

use serde::{Deserialize, Serialize};

use crate::http::{Header, Status};
use crate::model::Response;
use crate::text::is_token_byte;

/// Why a text is not a response, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseError {
    /// What is wrong, and what was expected, in words.
    pub message: String,
    /// 1-based line of the response text where the problem is.
    pub line: usize,
    /// 1-based column (in characters) on that line.
    pub column: usize,
}

impl std::fmt::Display for ResponseError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ResponseError {}

/// Parses a raw response. Interim 1xx responses (`100 Continue`) before the final one are
/// skipped. The body is the text after the blank line, unchanged. Never panics.
pub fn parse_response(raw: &str) -> Result<Response, ResponseError> {
    let mut lines = Lines::new(raw);
    loop {
        let response = parse_one(&mut lines)?;
        // Only a 1xx followed by more text is interim; a lone 1xx is the answer given.
        let interim = (100..200).contains(&response.status.code());
        // A 1xx has no body: the next response starts right after its blank line.
        if !interim || lines.rest().trim().is_empty() {
            return Ok(response);
        }
    }
}

fn parse_one(lines: &mut Lines) -> Result<Response, ResponseError> {
    let status_line = loop {
        match lines.next() {
            None => {
                return Err(ResponseError {
                    message: "the response is empty: expected a status line such as HTTP/1.1 401 Unauthorized".to_string(),
                    line: lines.number.max(1),
                    column: 1,
                })
            }
            Some(line) if line.trim().is_empty() => continue,
            Some(line) => break line,
        }
    };
    let at = |number: usize, (column, message): (usize, String)| ResponseError {
        message,
        line: number,
        column,
    };
    let status = status_of(status_line).map_err(|problem| at(lines.number, problem))?;
    let mut headers: Vec<Header> = Vec::new();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            let body = if (100..200).contains(&status.code()) {
                String::new()
            } else {
                lines.rest().to_string()
            };
            if !body.is_empty() {
                lines.finish();
            }
            return Ok(Response {
                status,
                headers,
                body,
            });
        }
        if let Some(problem) = control_character(line) {
            return Err(at(lines.number, problem));
        }
        // obs-fold (RFC 9112 §5.2): a client replaces it with a space.
        if line.starts_with([' ', '\t']) {
            let Some(last) = headers.last_mut() else {
                return Err(at(lines.number, (1, "a header line starts with whitespace right after the status line; expected name: value".to_string())));
            };
            last.value.push(' ');
            last.value.push_str(line.trim());
            continue;
        }
        if let Some(problem) = header_line_problem(line) {
            return Err(at(lines.number, problem));
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        headers.push(Header::new(name, value.trim()));
    }
    // No blank line: the head ends with the text, and there is no body.
    Ok(Response {
        status,
        headers,
        body: String::new(),
    })
}

/// Why a header line (`name: value`) is not one, and at which column; `None` when it is.
/// Shared with the reading of a pasted request's head.
pub(super) fn header_line_problem(line: &str) -> Option<(usize, String)> {
    let Some((name, _)) = line.split_once(':') else {
        return Some((
            1,
            format!(
                "header line {:?} has no colon: expected name: value, or a blank line before the body",
                crate::text::shorten(line, 60)
            ),
        ));
    };
    let bad = name
        .char_indices()
        .find(|(_, character)| !u8::try_from(*character).is_ok_and(is_token_byte));
    if !name.is_empty() && bad.is_none() {
        return None;
    }
    let column = bad.map_or(1, |(index, _)| name[..index].chars().count() + 1);
    Some((
        column,
        format!(
            "{:?} is not a header name: expected letters, digits or !#$%&'*+-.^_`|~ before the colon",
            crate::text::shorten(name, 60)
        ),
    ))
}

/// The column of the first control character in a line of a head (tab aside; a CR left at
/// its end is part of the line ending), and what is wrong; `None` when there is none. No
/// server writes one there: a NUL in a status line is binary data, not a response.
pub(super) fn control_character(line: &str) -> Option<(usize, String)> {
    let (index, character) = line
        .trim_end_matches('\r')
        .char_indices()
        .find(|(_, character)| character.is_control() && *character != '\t')?;
    Some((
        line[..index].chars().count() + 1,
        format!(
            "U+{:04X}, a control character, in {:?}: a head is text (RFC 9110 §5.5), so these bytes are no HTTP message",
            u32::from(character),
            crate::text::shorten(line, 60)
        ),
    ))
}

/// The status of a status line: `HTTP/1.1 401 Unauthorized`, `HTTP/1.0 200`, `HTTP/2 401`;
/// or the column of what is wrong, and what.
fn status_of(line: &str) -> Result<Status, (usize, String)> {
    let expected = "expected a status line such as HTTP/1.1 401 Unauthorized or HTTP/2 401";
    let Some(rest) = line.strip_prefix("HTTP/") else {
        return Err((
            1,
            format!(
                "{:?} is not a status line: {expected}",
                crate::text::shorten(line, 60)
            ),
        ));
    };
    if let Some(problem) = control_character(line) {
        return Err(problem);
    }
    let mut parts = rest.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !matches!(version, "1.0" | "1.1" | "2" | "2.0" | "3" | "3.0") {
        return Err((
            "HTTP/".len() + 1,
            format!(
                "HTTP/{} is not an HTTP version: {expected}",
                crate::text::shorten(version, 20)
            ),
        ));
    }
    let code = parts.next().unwrap_or_default();
    let number = (code.len() == 3 && code.bytes().all(|byte| byte.is_ascii_digit()))
        .then(|| code.parse::<u16>().ok())
        .flatten();
    number.and_then(Status::received).ok_or_else(|| {
        (
            "HTTP/".len() + version.len() + 2,
            format!(
                "{:?} is not a status code: {expected} (three digits, 100–599)",
                crate::text::shorten(code, 20)
            ),
        )
    })
}

/// Lines of a text, split at LF with one CR before it dropped, counting line numbers.
struct Lines<'a> {
    raw: &'a str,
    position: usize,
    /// The number of the line last returned (0 before the first).
    number: usize,
}

impl<'a> Lines<'a> {
    fn new(raw: &'a str) -> Self {
        Lines {
            raw,
            position: 0,
            number: 0,
        }
    }

    /// The text not read yet.
    fn rest(&self) -> &'a str {
        self.raw.get(self.position..).unwrap_or_default()
    }

    /// Marks the whole text read.
    fn finish(&mut self) {
        self.position = self.raw.len();
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest();
        if rest.is_empty() {
            return None;
        }
        let (line, consumed) = match rest.find('\n') {
            Some(index) => (rest.get(..index).unwrap_or_default(), index + 1),
            None => (rest, rest.len()),
        };
        self.position += consumed;
        self.number += 1;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn status_lines() {
        let cases: [(&str, Option<u16>); 10] = [
            ("HTTP/1.1 401 Unauthorized", Some(401)),
            ("HTTP/1.1 401", Some(401)),
            ("HTTP/1.0 403 Forbidden", Some(403)),
            ("HTTP/2 401", Some(401)),
            ("HTTP/2 500 ", Some(500)),
            ("HTTP/3 302", Some(302)),
            ("HTTP/1.1 4010 No", None),
            ("HTTP/1.1 099 Low", None),
            ("HTTP/9 200", None),
            ("GET / HTTP/1.1", None),
        ];
        for (line, code) in cases {
            assert_eq!(status_of(line).ok().map(Status::code), code, "{line}");
        }
    }

    #[test]
    fn a_response_reads_whole() {
        let raw = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"x\"\r\nX-Folded: a\r\n b\r\n\r\n{\"a\":1}\r\n";
        let response = parse_response(raw);
        let Ok(response) = response else {
            panic!("{response:?}");
        };
        assert_eq!(response.status, Status::Unauthorized);
        assert_eq!(
            response.header("www-authenticate"),
            Some("Bearer realm=\"x\"")
        );
        assert_eq!(response.header("X-Folded"), Some("a b"));
        assert_eq!(response.body, "{\"a\":1}\r\n");
    }

    #[test]
    fn interim_responses_are_skipped() {
        let raw = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 422 Unprocessable Entity\nContent-Type: text/plain\n\nbad";
        let response = parse_response(raw);
        assert_eq!(
            response.as_ref().map(|response| response.status),
            Ok(Status::UnprocessableContent),
            "{response:?}"
        );
        assert_eq!(
            response.map(|response| response.body),
            Ok("bad".to_string())
        );
    }

    #[test]
    #[rustfmt::skip]
    fn refusals_say_where() {
        let cases: [(&str, (usize, usize), &str); 10] = [
            ("", (1, 1), "empty"),
            ("\r\n\r\nHTTP/1.1 401\r\nno colon here\r\n\r\n", (4, 1), "no colon"),
            ("HTTP/1.1 abc Oops\r\n", (1, 10), "not a status code"),
            ("HTTP/1.2 401 Oops\r\n", (1, 6), "not an HTTP version"),
            ("HTTP/1.1 401\r\n(bad): x\r\n", (2, 1), "not a header name"),
            ("HTTP/1.1 401\r\nBad Name: x\r\n", (2, 4), "not a header name"),
            ("HTTP/1.1 401\r\n: x\r\n", (2, 1), "not a header name"),
            ("hello", (1, 1), "not a status line"),
            ("HTTP/1.1 401 Un\0auth\r\n\r\n", (1, 16), "U+0000, a control character"),
            ("HTTP/1.1 401\r\nX: a\u{1}b\r\n\r\n", (2, 5), "U+0001, a control character"),
        ];
        for (raw, place, words) in cases {
            let error = parse_response(raw).err();
            assert_eq!(error.as_ref().map(|error| (error.line, error.column)), Some(place), "{raw:?}: {error:?}");
            assert!(error.is_some_and(|error| error.message.contains(words)), "{raw:?}");
        }
        // A tab is text; a body holds whatever it holds.
        assert!(parse_response("HTTP/1.1 200 OK\r\nX:\ta\r\n\r\n\0\u{1}").is_ok());
    }
}
