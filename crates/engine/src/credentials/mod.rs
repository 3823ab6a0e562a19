//! Where a raw request carries credentials, as byte ranges of its text.
//!
//! The pipeline reads credentials from the parsed request; the page must keep them out of
//! share links, and a lint of a foreign exchange must know what was sent. All of them ask this
//! module, so no second reader of "where the token is" can drift from the pipeline's.
//!
//! The finder is deliberately wider than the parser: it also reads requests the parser refuses
//! (a bad version, a header line with a space before its colon, a bare CR), because a token
//! typed into such a request is still a secret. For every request the parser accepts, it finds
//! exactly the credentials the pipeline uses or rejects.

mod readers;
mod secrets;

use std::ops::Range;

use crate::text::percent_decode;

pub use readers::{
    reader, Place, Reader, Verifier, ACCESS_TOKEN, API_KEY, API_KEY_IN_COOKIE, API_KEY_IN_QUERY,
    BASIC, BEARER, CSRF_COOKIE, CSRF_HEADER, READERS, SESSION, TOKEN,
};
pub use secrets::{
    find_secrets, is_secret_name, withheld_values, withhold_secrets, Secret, SecretPlace, WITHHELD,
};

/// One credential found in a raw request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCredential {
    /// How it was sent.
    pub place: CredentialPlace,
    /// The reader whose place it is; `None` for an `Authorization` field, whose scheme says.
    pub reader: Option<Reader>,
    /// The whole field that carries it: a header line with its line ending, one query
    /// parameter without its `&` separators, or one cookie's `name=value`.
    pub field: Range<usize>,
    /// The secret itself: the header's value (for `Authorization`, scheme and credentials),
    /// the parameter's value as written (still percent-encoded), or the cookie's value. May be
    /// empty.
    pub value: Range<usize>,
}

/// Where in a request a credential was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialPlace {
    /// An `Authorization` header field (RFC 9110 §11.6.2), whatever its scheme.
    AuthorizationHeader,
    /// A query parameter a reader reads (`access_token`, `api_key`), however its name was
    /// percent-encoded.
    QueryParameter,
    /// A header field a reader reads (`X-API-Key`).
    Header,
    /// A cookie a reader reads (`sessionid`).
    Cookie,
}

/// Every credential in `raw` that a default reader ([`READERS`]) reads, in the order of the
/// text. Never panics; ranges always lie on character boundaries of `raw`.
pub fn find_credentials(raw: &str) -> Vec<FoundCredential> {
    find_credentials_of(raw, &READERS)
}

/// Every credential in `raw` that one of `readers` reads (every `Authorization` field, whatever
/// its scheme), in the order of the text.
pub fn find_credentials_of(raw: &str, readers: &[&Reader]) -> Vec<FoundCredential> {
    let mut found = Vec::new();
    let mut lines = lines(raw);
    // The parser skips empty lines before the request line (RFC 9112 §2.2): so does this.
    let Some(request_line) = lines.by_ref().find(|line| !line_text(raw, line).is_empty()) else {
        return found;
    };
    if let Some(query) = query_of(raw, &request_line) {
        query_credentials(raw, &query, readers, &mut found);
    }
    for line in lines {
        let text = line_text(raw, &line);
        if text.is_empty() {
            // The head ends here; what follows is body text, which the pipeline never reads
            // for credentials.
            break;
        }
        header_credentials(raw, line, readers, &mut found);
    }
    found
}

/// `raw` with every credential field cut out: `Authorization` lines removed, `access_token`
/// parameters dropped from the query (and the `?` with them when nothing is left). `None` when
/// the request carries no credential, so callers can tell "nothing to hide" from "hidden".
pub fn without_credentials(raw: &str) -> Option<String> {
    let found = find_credentials(raw);
    if found.is_empty() {
        return None;
    }
    // Each edit replaces a range of `raw`; they never overlap (the query is on the request
    // line, the headers after it).
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let dropped: Vec<&Range<usize>> = found
        .iter()
        .filter(|credential| credential.place == CredentialPlace::QueryParameter)
        .map(|credential| &credential.field)
        .collect();
    if let (Some(query), false) = (request_query(raw), dropped.is_empty()) {
        let remaining: Vec<&str> = query_pieces(raw, &query)
            .into_iter()
            .filter(|piece| !dropped.contains(&piece))
            .map(|piece| raw.get(piece).unwrap_or_default())
            .collect();
        let rebuilt = if remaining.iter().all(|piece| piece.is_empty()) {
            String::new()
        } else {
            format!("?{}", remaining.join("&"))
        };
        // From the `?` to the end of the target.
        edits.push((query.start.saturating_sub(1)..query.end, rebuilt));
    }
    edits.extend(
        found
            .iter()
            .filter(|credential| {
                matches!(
                    credential.place,
                    CredentialPlace::AuthorizationHeader | CredentialPlace::Header
                )
            })
            .map(|credential| (credential.field.clone(), String::new())),
    );
    // A cookie goes with the `; ` that separates it from the next one (or from the one
    // before, when it is the last).
    edits.extend(
        found
            .iter()
            .filter(|credential| credential.place == CredentialPlace::Cookie)
            .map(|credential| (cookie_span(raw, &credential.field), String::new())),
    );
    edits.sort_by_key(|(range, _)| range.start);

    let mut kept = String::with_capacity(raw.len());
    let mut position = 0;
    for (range, replacement) in edits {
        kept.push_str(raw.get(position..range.start).unwrap_or_default());
        kept.push_str(&replacement);
        position = position.max(range.end);
    }
    kept.push_str(raw.get(position..).unwrap_or_default());
    Some(kept)
}

/// A cookie pair with the separator that joins it to its neighbour.
fn cookie_span(raw: &str, pair: &Range<usize>) -> Range<usize> {
    let after = raw.get(pair.end..).unwrap_or_default();
    let line_end = after.find(['\r', '\n']).unwrap_or(after.len());
    let rest = &after[..line_end];
    if let Some(semicolon) = rest.find(';').filter(|at| rest[..*at].trim().is_empty()) {
        let spaces = rest[semicolon + 1..].len() - rest[semicolon + 1..].trim_start().len();
        return pair.start..pair.end + semicolon + 1 + spaces;
    }
    let before = raw.get(..pair.start).unwrap_or_default();
    match before.trim_end().strip_suffix(';') {
        Some(kept) => kept.len()..pair.end,
        None => pair.clone(),
    }
}

/// A line of the text: `start..end` is its content without the line ending, `next` where the
/// following line starts.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) next: usize,
}

/// Lines split as the parser splits them: at LF, with one CR before it dropped.
pub(super) fn lines(raw: &str) -> impl Iterator<Item = Line> + '_ {
    let mut position = 0;
    std::iter::from_fn(move || {
        if position >= raw.len() {
            return None;
        }
        let rest = raw.get(position..)?;
        let (content_end, next) = match rest.find('\n') {
            Some(index) => (position + index, position + index + 1),
            None => (raw.len(), raw.len()),
        };
        let end = if raw.get(position..content_end)?.ends_with('\r') {
            content_end - 1
        } else {
            content_end
        };
        let line = Line {
            start: position,
            end,
            next,
        };
        position = next;
        Some(line)
    })
}

pub(super) fn line_text<'a>(raw: &'a str, line: &Line) -> &'a str {
    raw.get(line.start..line.end).unwrap_or_default()
}

/// The query of the request: the range after the `?` of its target, up to the target's end.
fn request_query(raw: &str) -> Option<Range<usize>> {
    let line = lines(raw).find(|line| !line_text(raw, line).is_empty())?;
    query_of(raw, &line)
}

fn query_of(raw: &str, line: &Line) -> Option<Range<usize>> {
    let text = line_text(raw, line);
    // METHOD SP TARGET SP VERSION; tabs are read as separators too, though the parser refuses
    // them, so a target next to a tab is still searched.
    let method_end = text.find([' ', '\t'])?;
    let target_start = method_end + 1;
    let target_text = text.get(target_start..)?;
    let target_end = target_start + target_text.find([' ', '\t']).unwrap_or(target_text.len());
    let target = text.get(target_start..target_end)?;
    let question = target.find('?')?;
    let start = line.start + target_start + question + 1;
    Some(start..line.start + target_end)
}

fn query_credentials(
    raw: &str,
    query: &Range<usize>,
    readers: &[&Reader],
    found: &mut Vec<FoundCredential>,
) {
    for piece in query_pieces(raw, query) {
        let text = raw.get(piece.clone()).unwrap_or_default();
        let (key, _) = text.split_once('=').unwrap_or((text, ""));
        // The parser decodes names with `+` as a space, so `access%5Ftoken` is the parameter.
        let Ok(name) = percent_decode(key, true) else {
            continue;
        };
        let Some(reader) = readers
            .iter()
            .find(|reader| reader.parameter() == Some(name.as_str()))
        else {
            continue;
        };
        let value_start = (piece.start + key.len() + 1).min(piece.end);
        found.push(FoundCredential {
            place: CredentialPlace::QueryParameter,
            reader: Some(Reader::clone(reader)),
            field: piece.clone(),
            value: value_start..piece.end,
        });
    }
}

/// The `&`-separated pieces of a query, empty ones included, as ranges of `raw`.
fn query_pieces(raw: &str, query: &Range<usize>) -> Vec<Range<usize>> {
    let text = raw.get(query.clone()).unwrap_or_default();
    let mut pieces = Vec::new();
    let mut start = query.start;
    for piece in text.split('&') {
        pieces.push(start..start + piece.len());
        start += piece.len() + 1;
    }
    pieces
}

fn header_credentials(
    raw: &str,
    line: Line,
    readers: &[&Reader],
    found: &mut Vec<FoundCredential>,
) {
    // A bare CR inside a line is refused by the parser, but a display may well show it as a
    // line break: look at each CR-separated part as if it were a line of its own.
    let text = line_text(raw, &line);
    let mut part_start = line.start;
    let parts: Vec<&str> = text.split('\r').collect();
    let whole_line = parts.len() == 1;
    for part in parts {
        let start = part_start;
        part_start += part.len() + 1;
        let Some((name, _)) = part.split_once(':') else {
            continue;
        };
        // Names with whitespace around them are refused by the parser; they are still found.
        let name = name.trim();
        let after_colon = start + part.find(':').unwrap_or_default() + 1;
        let value_text = raw.get(after_colon..start + part.len()).unwrap_or_default();
        let leading = value_text.len() - value_text.trim_start_matches([' ', '\t']).len();
        let trimmed = value_text.trim_matches([' ', '\t']);
        let value = after_colon + leading..after_colon + leading + trimmed.len();
        let field_end = if whole_line {
            line.next
        } else {
            start + part.len()
        };
        if name.eq_ignore_ascii_case("authorization") {
            found.push(FoundCredential {
                place: CredentialPlace::AuthorizationHeader,
                reader: None,
                field: start..field_end,
                value,
            });
        } else if name.eq_ignore_ascii_case("cookie") {
            cookie_credentials(raw, value, readers, found);
        } else if let Some(reader) = readers.iter().find(|reader| {
            reader
                .header()
                .is_some_and(|header| header.eq_ignore_ascii_case(name))
        }) {
            found.push(FoundCredential {
                place: CredentialPlace::Header,
                reader: Some(Reader::clone(reader)),
                field: start..field_end,
                value,
            });
        }
    }
}

/// The cookies of a `Cookie` field's value that a reader reads: `name=value` pairs split at
/// `;` (RFC 6265 §4.2.1), the name compared exactly.
fn cookie_credentials(
    raw: &str,
    value: Range<usize>,
    readers: &[&Reader],
    found: &mut Vec<FoundCredential>,
) {
    let text = raw.get(value.clone()).unwrap_or_default();
    let mut start = value.start;
    for pair in text.split(';') {
        let pair_start = start;
        start += pair.len() + 1;
        let leading = pair.len() - pair.trim_start().len();
        let trimmed = pair.trim();
        let Some((name, _)) = trimmed.split_once('=') else {
            continue;
        };
        let Some(reader) = readers
            .iter()
            .find(|reader| reader.cookie() == Some(name.trim()))
        else {
            continue;
        };
        let first = pair_start + leading;
        found.push(FoundCredential {
            place: CredentialPlace::Cookie,
            reader: Some(Reader::clone(reader)),
            field: first..first + trimmed.len(),
            value: first + name.len() + 1..first + trimmed.len(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds the credentials of `raw` and shows each as `place:value`.
    fn check(raw: &str, expected: &[&str]) {
        let found: Vec<String> = find_credentials(raw)
            .iter()
            .map(|credential| {
                let place = match credential.place {
                    CredentialPlace::AuthorizationHeader => "header",
                    CredentialPlace::QueryParameter => "query",
                    CredentialPlace::Header => "key",
                    CredentialPlace::Cookie => "cookie",
                };
                format!("{place}:{}", &raw[credential.value.clone()])
            })
            .collect();
        assert_eq!(found, expected, "{raw:?}");
    }

    #[test]
    fn finds_every_way_the_pipeline_reads() {
        check("GET / HTTP/1.1\r\nHost: h\r\n\r\n", &[]);
        check(
            "GET / HTTP/1.1\r\nAuthorization: Bearer abc\r\n\r\n",
            &["header:Bearer abc"],
        );
        check(
            "GET / HTTP/1.1\nauthorization:Basic eA==  \n\n",
            &["header:Basic eA=="],
        );
        check("GET /?access_token=t HTTP/1.1\n\n", &["query:t"]);
        check("GET /?access%5Ftoken=t HTTP/1.1\n\n", &["query:t"]);
        check("GET /?%61ccess_token=t%2B HTTP/1.1\n\n", &["query:t%2B"]);
        check("\r\n\nGET /?access_token=t HTTP/1.1\n\n", &["query:t"]);
        check(
            "GET http://h/p?a=1&access_token=t HTTP/1.1\n\n",
            &["query:t"],
        );
        check(
            "GET /?access_token=a&access_token=b HTTP/1.1\nAuthorization: x\nAuthorization: y\n\n",
            &["query:a", "query:b", "header:x", "header:y"],
        );
        check("GET /?access_token HTTP/1.1\n\n", &["query:"]);
    }

    #[test]
    fn finds_keys_and_sessions() {
        check(
            "GET /metrics?api_key=k1 HTTP/1.1\nx-api-key: k2\nCookie: theme=dark; sessionid=s1;api_key=k3\n\n",
            &["query:k1", "key:k2", "cookie:s1", "cookie:k3"],
        );
        // Names are the readers' own: no other header or cookie is a credential.
        check(
            "GET / HTTP/1.1\nX-API-Keys: k\nCookie: sessionid2=s; csrftoken=t\n\n",
            &[],
        );
    }

    #[test]
    fn finds_what_the_parser_refuses_too() {
        check("GET /?access_token=t HTTP/2\n\n", &["query:t"]);
        check("GET\t/?access_token=t\tHTTP/1.1\n\n", &["query:t"]);
        check(
            "GET / HTTP/1.1\nAuthorization : Bearer t\n\n",
            &["header:Bearer t"],
        );
        check(
            "GET / HTTP/1.1\nHost: h\rAuthorization: Bearer t\n\n",
            &["header:Bearer t"],
        );
    }

    #[test]
    fn leaves_what_is_not_a_credential() {
        // After the blank line it is body text, not a header.
        check("POST / HTTP/1.1\n\nAuthorization: x", &[]);
        check("GET /?access_token_x=t&xaccess_token=u HTTP/1.1\n\n", &[]);
        check("GET /access_token=t HTTP/1.1\n\n", &[]);
        check("GET /?a=b HTTP/1.1\nX-Authorization: t\n\n", &[]);
        check("", &[]);
        check("\n\n", &[]);
    }

    #[test]
    fn cuts_exactly_the_credentials() {
        let cases: [(&str, Option<&str>); 11] = [
            (
                "GET / HTTP/1.1\nCookie: theme=dark; sessionid=s\nX-API-Key: k\n\n",
                Some("GET / HTTP/1.1\nCookie: theme=dark\n\n"),
            ),
            (
                "GET / HTTP/1.1\nCookie: sessionid=s; theme=dark\n\n",
                Some("GET / HTTP/1.1\nCookie: theme=dark\n\n"),
            ),
            (
                "GET /?api_key=k&page=2 HTTP/1.1\n\n",
                Some("GET /?page=2 HTTP/1.1\n\n"),
            ),
            ("GET / HTTP/1.1\nHost: h\n\n", None),
            (
                "GET / HTTP/1.1\nauthorization: Basic eA==\n\n",
                Some("GET / HTTP/1.1\n\n"),
            ),
            (
                "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\n\r\n",
                Some("GET / HTTP/1.1\r\nHost: h\r\n\r\n"),
            ),
            (
                "GET /?access_token=t HTTP/1.1\n\n",
                Some("GET / HTTP/1.1\n\n"),
            ),
            (
                "GET /?a=1&access_token=t&b=2 HTTP/1.1\n\n",
                Some("GET /?a=1&b=2 HTTP/1.1\n\n"),
            ),
            (
                "\nGET /profile?access%5Ftoken=t HTTP/1.1\nHost: x\n",
                Some("\nGET /profile HTTP/1.1\nHost: x\n"),
            ),
            (
                "GET /?access_token=a&access_token=b HTTP/1.1\nAuthorization: x\n\nbody",
                Some("GET / HTTP/1.1\n\nbody"),
            ),
            ("GET / HTTP/1.1\nAuthorization: x", Some("GET / HTTP/1.1\n")),
        ];
        for (raw, expected) in cases {
            assert_eq!(without_credentials(raw).as_deref(), expected, "{raw:?}");
        }
    }
}
