//! What may not leave the page: every value of a raw request that is, or may be, a secret.
//!
//! This is a rule about links and reports, kept apart from what a server reads
//! ([`find_credentials`](super::find_credentials)): a request pasted from a browser's
//! developer tools carries session cookies, API keys, CSRF tokens and proxy credentials that
//! no profile reads, and a shared link must still never carry them. So it errs on the side of
//! withholding: every cookie value, both `Authorization` fields' credentials, the values of
//! headers and parameters whose names say key, token, secret, session, auth, csrf, xsrf,
//! signature or password, credentials in a URL's authority, and the same names in a form or
//! JSON body. What it finds is a superset of what the pipeline reads (a test holds it).

use std::ops::Range;

use super::{line_text, lines, Line};
use crate::text::percent_decode;

/// The placeholder a link writes where a value was withheld; a page that opens such a link
/// says so ([`withheld_values`]). ASCII letters only, so it is a valid token, token68, cookie
/// value and query value, and the request still parses.
pub const WITHHELD: &str = "withheld";

/// One value of a raw request that may be a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    /// Where it was found.
    pub place: SecretPlace,
    /// The name it was found under, as written: the header, cookie or parameter name, the
    /// JSON member; `userinfo` for credentials in a URL.
    pub name: String,
    /// The value itself, as a byte range of the raw text (never empty). For an
    /// `Authorization` field, the credentials after the scheme, so the scheme can stay.
    pub value: Range<usize>,
}

/// Where in a request a secret was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretPlace {
    /// The credentials of an `Authorization` or `Proxy-Authorization` field.
    Authorization,
    /// A cookie's value in a `Cookie` field.
    Cookie,
    /// The value of a header whose name says it holds a secret (`X-API-Key`, `X-CSRFToken`).
    Header,
    /// A query or fragment parameter of the request target, or of a URL in a header.
    Query,
    /// `user:password@` in a URL's authority.
    Userinfo,
    /// A member of a form or JSON body, or the whole body when it cannot be read apart.
    Body,
}

/// Every value of `raw` that may be a secret, in the order of the text. Never panics; ranges
/// lie on character boundaries of `raw` and may overlap only where a body member repeats a
/// value.
pub fn find_secrets(raw: &str) -> Vec<Secret> {
    let mut found = Vec::new();
    let mut all = lines(raw);
    // The parser skips empty lines before the request line (RFC 9112 §2.2): so does this.
    let Some(request_line) = all.by_ref().find(|line| !line_text(raw, line).is_empty()) else {
        return found;
    };
    if let Some(target) = target_of(raw, &request_line) {
        url_secrets(raw, target, &mut found);
    }
    let mut content_type = String::new();
    let mut body_start = None;
    for line in all {
        if line_text(raw, &line).is_empty() {
            body_start = Some(line.next);
            break;
        }
        for field in fields(raw, line) {
            let name = raw.get(field.name.clone()).unwrap_or_default();
            if name.trim().eq_ignore_ascii_case("content-type") {
                content_type = raw
                    .get(field.value.clone())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
            }
            header_secrets(raw, &field, &mut found);
        }
    }
    if let Some(start) = body_start.filter(|start| *start < raw.len()) {
        body_secrets(raw, start..raw.len(), &content_type, &mut found);
    }
    found.retain(|secret| !secret.value.is_empty());
    found.sort_by_key(|secret| secret.value.start);
    found
}

/// `raw` with every secret value replaced by `placeholder` (an `Authorization` field keeps
/// its scheme, a cookie or parameter its name). `None` when nothing is left to withhold:
/// no secret, or every one already reads `placeholder`.
pub fn withhold_secrets(raw: &str, placeholder: &str) -> Option<String> {
    let mut ranges: Vec<Range<usize>> = find_secrets(raw)
        .into_iter()
        .map(|secret| secret.value)
        .filter(|value| raw.get(value.clone()) != Some(placeholder))
        .collect();
    if ranges.is_empty() {
        return None;
    }
    ranges.sort_by_key(|range| (range.start, std::cmp::Reverse(range.end)));
    let mut kept = String::with_capacity(raw.len());
    let mut position = 0;
    for range in ranges {
        if range.start < position {
            // Inside a range already withheld.
            continue;
        }
        kept.push_str(raw.get(position..range.start).unwrap_or_default());
        kept.push_str(placeholder);
        position = range.end;
    }
    kept.push_str(raw.get(position..).unwrap_or_default());
    Some(kept)
}

/// The names of the secrets in `raw` that read [`WITHHELD`]: what the link that brought the
/// request left out, for the page to say so.
pub fn withheld_values(raw: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for secret in find_secrets(raw) {
        if raw.get(secret.value.clone()) == Some(WITHHELD) && !names.contains(&secret.name) {
            names.push(secret.name);
        }
    }
    names
}

/// Whether a header, cookie, parameter or member called `name` may hold a secret. Wide on
/// purpose; `keyword`, `author` and the like are kept out so an ordinary search travels whole.
pub fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    let compact: String = words.concat();
    const INSIDE: [&str; 17] = [
        "token",
        "secret",
        "session",
        "sessid",
        "csrf",
        "xsrf",
        "signature",
        "passw",
        "pwd",
        "credential",
        "apikey",
        "cookie",
        "bearer",
        "jwt",
        "dpop",
        "saml",
        "assertion",
    ];
    const WHOLE: [&str; 10] = [
        "sig", "sid", "code", "otp", "pin", "pass", "passcode", "hmac", "nonce", "ticket",
    ];
    INSIDE.iter().any(|part| compact.contains(part))
        || words.iter().any(|word| {
            WHOLE.contains(&word.as_str())
                || word.ends_with("key")
                || word.ends_with("keys")
                || (word.contains("auth") && !matches!(word.as_str(), "author" | "authors"))
        })
}

/// A name cut into lowercase words at every character that is not a letter or digit and
/// before each capital that follows a lowercase letter: `X-Amz-SecurityToken` is `x amz
/// security token`.
fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for character in name.chars() {
        if !character.is_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            previous_lower = false;
            continue;
        }
        if character.is_uppercase() && previous_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = character.is_lowercase() || character.is_ascii_digit();
        current.extend(character.to_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Schemes an `Authorization` value may be alone (`Authorization: Bearer`): no secret to hide.
const BARE_SCHEMES: [&str; 12] = [
    "bearer",
    "basic",
    "token",
    "digest",
    "negotiate",
    "ntlm",
    "dpop",
    "hoba",
    "mutual",
    "apikey",
    "scram-sha-256",
    "aws4-hmac-sha256",
];

/// One header field: its name and its value without surrounding whitespace.
struct Field {
    name: Range<usize>,
    value: Range<usize>,
}

/// The fields of a header line. A bare CR inside a line is refused by the parser, but a
/// display may well show it as a line break: each CR-separated part is read as a line of its own.
fn fields(raw: &str, line: Line) -> Vec<Field> {
    let text = line_text(raw, &line);
    let mut found = Vec::new();
    let mut start = line.start;
    for part in text.split('\r') {
        let part_start = start;
        start += part.len() + 1;
        let Some((name, value)) = part.split_once(':') else {
            continue;
        };
        let value_start = part_start + name.len() + 1;
        let leading = value.len() - value.trim_start_matches([' ', '\t']).len();
        let trimmed = value.trim_matches([' ', '\t']);
        found.push(Field {
            name: part_start..part_start + name.len(),
            value: value_start + leading..value_start + leading + trimmed.len(),
        });
    }
    found
}

fn header_secrets(raw: &str, field: &Field, found: &mut Vec<Secret>) {
    let name = raw.get(field.name.clone()).unwrap_or_default().trim();
    let value = raw.get(field.value.clone()).unwrap_or_default();
    let lowered = name.to_ascii_lowercase();
    let secret = |place, name: &str, value: Range<usize>| Secret {
        place,
        name: name.to_string(),
        value,
    };
    match lowered.as_str() {
        "authorization" | "proxy-authorization" => {
            let credentials = match value.find([' ', '\t']) {
                Some(space) => {
                    let rest = value.get(space..).unwrap_or_default();
                    let leading = rest.len() - rest.trim_start_matches([' ', '\t']).len();
                    field.value.start + space + leading..field.value.end
                }
                None if BARE_SCHEMES.contains(&value.to_ascii_lowercase().as_str()) => return,
                None => field.value.clone(),
            };
            found.push(secret(SecretPlace::Authorization, name, credentials));
        }
        "cookie" | "cookie2" => cookie_secrets(raw, field.value.clone(), found),
        _ if is_secret_name(name) => {
            found.push(secret(SecretPlace::Header, name, field.value.clone()))
        }
        _ if lowered == "host" => {
            if let Some(at) = value.rfind('@') {
                let userinfo = field.value.start..field.value.start + at;
                found.push(secret(SecretPlace::Userinfo, "userinfo", userinfo));
            }
        }
        // A URL in any other field (Referer, Origin, Location…) keeps its path, not its
        // query tokens or password.
        _ if value.contains("://") => url_secrets(raw, field.value.clone(), found),
        _ => {}
    }
}

/// Each cookie's value; a cookie without `=` is all value.
fn cookie_secrets(raw: &str, value: Range<usize>, found: &mut Vec<Secret>) {
    let text = raw.get(value.clone()).unwrap_or_default();
    let mut start = value.start;
    for pair in text.split([';', ',']) {
        let pair_start = start;
        start += pair.len() + 1;
        let leading = pair.len() - pair.trim_start().len();
        let trimmed = pair.trim();
        let first = pair_start + leading;
        let (name, value) = match trimmed.split_once('=') {
            Some((name, _)) => (name.trim(), first + name.len() + 1..first + trimmed.len()),
            None => (trimmed, first..first + trimmed.len()),
        };
        found.push(Secret {
            place: SecretPlace::Cookie,
            name: name.to_string(),
            value,
        });
    }
}

/// The request target of the request line.
fn target_of(raw: &str, line: &Line) -> Option<Range<usize>> {
    let text = line_text(raw, line);
    // METHOD SP TARGET SP VERSION; tabs are read as separators too, though the parser refuses
    // them, so a target next to a tab is still searched.
    let method_end = text.find([' ', '\t'])?;
    let rest = text.get(method_end + 1..)?;
    let length = rest.find([' ', '\t']).unwrap_or(rest.len());
    let start = line.start + method_end + 1;
    Some(start..start + length)
}

/// The secrets of a URL or request target: the userinfo of its authority, and its query and
/// fragment parameters with secret names (OAuth's implicit flow puts tokens in the fragment).
fn url_secrets(raw: &str, url: Range<usize>, found: &mut Vec<Secret>) {
    let text = raw.get(url.clone()).unwrap_or_default();
    if let Some(scheme_end) = text.find("://") {
        let authority_start = scheme_end + 3;
        let rest = text.get(authority_start..).unwrap_or_default();
        let authority = rest.find(['/', '?', '#']).map_or(rest, |end| &rest[..end]);
        if let Some(at) = authority.rfind('@') {
            let start = url.start + authority_start;
            found.push(Secret {
                place: SecretPlace::Userinfo,
                name: "userinfo".to_string(),
                value: start..start + at,
            });
        }
    }
    if let Some(question) = text.find(['?', '#']) {
        parameter_secrets(
            raw,
            url.start + question + 1..url.end,
            SecretPlace::Query,
            found,
        );
    }
}

/// `name=value` pieces separated by `&`, `;` or `#`, names percent-decoded with `+` as a space.
fn parameter_secrets(raw: &str, pieces: Range<usize>, place: SecretPlace, found: &mut Vec<Secret>) {
    let text = raw.get(pieces.clone()).unwrap_or_default();
    let mut start = pieces.start;
    for piece in text.split(['&', ';', '#', '?']) {
        let piece_start = start;
        start += piece.len() + 1;
        let Some((name, _)) = piece.split_once('=') else {
            continue;
        };
        let decoded = percent_decode(name, true).unwrap_or_else(|_| name.to_string());
        if is_secret_name(&decoded) {
            found.push(Secret {
                place,
                name: decoded,
                value: piece_start + name.len() + 1..piece_start + piece.len(),
            });
        }
    }
}

/// The secrets of a body: the secret-named members of a form or a JSON document. A JSON
/// member whose value cannot be found as written, or a document that does not read but
/// names a secret, withholds the whole body.
fn body_secrets(raw: &str, body: Range<usize>, content_type: &str, found: &mut Vec<Secret>) {
    let text = raw.get(body.clone()).unwrap_or_default();
    if content_type.contains("x-www-form-urlencoded") {
        parameter_secrets(raw, body, SecretPlace::Body, found);
        return;
    }
    let looks_json = content_type.contains("json") || text.trim_start().starts_with(['{', '[']);
    if !looks_json {
        return;
    }
    let whole = |found: &mut Vec<Secret>| {
        found.push(Secret {
            place: SecretPlace::Body,
            name: "body".to_string(),
            value: body.clone(),
        });
    };
    let Ok(document) = serde_json::from_str::<serde_json::Value>(text) else {
        if words(text).iter().any(|word| is_secret_name(word)) {
            whole(found);
        }
        return;
    };
    let mut members = Vec::new();
    secret_members(&document, &mut members);
    for (name, value) in members {
        let serde_json::Value::String(_) = value else {
            whole(found);
            return;
        };
        let Ok(written) = serde_json::to_string(value) else {
            whole(found);
            return;
        };
        let matches: Vec<usize> = text.match_indices(&written).map(|(at, _)| at).collect();
        if matches.is_empty() {
            whole(found);
            return;
        }
        for at in matches {
            // Inside the quotes.
            let start = body.start + at + 1;
            found.push(Secret {
                place: SecretPlace::Body,
                name: name.to_string(),
                value: start..start + written.len().saturating_sub(2),
            });
        }
    }
}

/// Every member of `value`, at any depth, whose name may hold a secret and whose value is not
/// null or empty.
fn secret_members<'a>(
    value: &'a serde_json::Value,
    out: &mut Vec<(&'a str, &'a serde_json::Value)>,
) {
    match value {
        serde_json::Value::Object(members) => {
            for (name, member) in members {
                let empty = member.is_null() || member.as_str() == Some("");
                if is_secret_name(name) && !empty {
                    out.push((name, member));
                } else {
                    secret_members(member, out);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| secret_members(item, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finds the secrets of `raw` and shows each as `name=value`.
    fn check(raw: &str, expected: &[&str]) {
        let found: Vec<String> = find_secrets(raw)
            .iter()
            .map(|secret| format!("{}={}", secret.name, &raw[secret.value.clone()]))
            .collect();
        assert_eq!(found, expected, "{raw:?}");
    }

    #[test]
    fn names_that_say_secret() {
        for name in [
            "X-API-Key",
            "Api-Key",
            "apikey",
            "api_key",
            "apiKey",
            "key",
            "X-Auth-Token",
            "X-CSRFToken",
            "X-XSRF-TOKEN",
            "X-Amz-Security-Token",
            "X-Amz-Signature",
            "X-Amz-Credential",
            "x-amz-securitytoken",
            "Authorization",
            "Proxy-Authorization",
            "access_token",
            "id_token",
            "sig",
            "signature",
            "session",
            "sessionid",
            "PHPSESSID",
            "connect.sid",
            "code",
            "password",
            "passwd",
            "pwd",
            "client_secret",
            "X-Hub-Signature-256",
            "Private-Token",
            "Ocp-Apim-Subscription-Key",
            "X-Goog-Api-Key",
            "DPoP",
            "SAMLResponse",
            "client_assertion",
            "jwt",
            "auth",
            "X-Session-Id",
            "csrfmiddlewaretoken",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "Host",
            "Accept",
            "Content-Type",
            "User-Agent",
            "keyword",
            "keywords",
            "author",
            "page",
            "limit",
            "q",
            "sort",
            "X-Request-Id",
            "Accept-Encoding",
            "Cache-Control",
            "If-None-Match",
            "Content-Length",
            "Connection",
            "Keep-Alive",
            "theme",
            "design",
            "status",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn finds_the_reported_request() {
        check(
            "GET /profile HTTP/1.1\nHost: api.example.com\nCookie: sessionid=REALSESSIONVALUE123; theme=dark\nX-API-Key: sk_live_SECRETKEY999\nProxy-Authorization: Basic cHJveHk6cHc=\n\n",
            &[
                "sessionid=REALSESSIONVALUE123",
                "theme=dark",
                "X-API-Key=sk_live_SECRETKEY999",
                "Proxy-Authorization=cHJveHk6cHc=",
            ],
        );
    }

    #[test]
    fn finds_every_place() {
        check("GET / HTTP/1.1\r\nHost: h\r\n\r\n", &[]);
        check(
            "GET / HTTP/1.1\nauthorization:Bearer abc  \n\n",
            &["authorization=abc"],
        );
        check("GET / HTTP/1.1\nAuthorization: Bearer\n\n", &[]);
        check(
            "GET / HTTP/1.1\nAuthorization: sk_live_1\n\n",
            &["Authorization=sk_live_1"],
        );
        check(
            "GET /?access_token=t&page=2 HTTP/1.1\n\n",
            &["access_token=t"],
        );
        check(
            "GET /?api%5Fkey=k&%6Bey=v&apikey=w&q=x HTTP/1.1\n\n",
            &["api_key=k", "key=v", "apikey=w"],
        );
        check(
            "GET /cb?state=s&code=c#access_token=t&token_type=bearer HTTP/1.1\n\n",
            &["code=c", "access_token=t", "token_type=bearer"],
        );
        check(
            "GET https://alice:pw@api.example/x?sig=1 HTTP/1.1\nHost: bob:pw2@api.example\n\n",
            &["userinfo=alice:pw", "sig=1", "userinfo=bob:pw2"],
        );
        check(
            "GET / HTTP/1.1\nReferer: https://app.example/cb?token=t&x=1\nX-Request-Id: 7\n\n",
            &["token=t"],
        );
        check(
            "GET / HTTP/1.1\nCookie: a=1;b=2; flag\n\n",
            &["a=1", "b=2", "flag=flag"],
        );
        check(
            "GET / HTTP/1.1\nHost: h\rX-CSRFToken: abc\n\n",
            &["X-CSRFToken=abc"],
        );
        check("\r\n\nGET /?sig=s HTTP/1.1\n\n", &["sig=s"]);
    }

    #[test]
    fn finds_secrets_in_bodies() {
        check(
            "POST /login HTTP/1.1\nContent-Type: application/x-www-form-urlencoded\n\nusername=alice&password=hunter2",
            &["password=hunter2"],
        );
        check(
            "POST /login HTTP/1.1\nContent-Type: application/json\n\n{\"user\":\"alice\",\"password\":\"hunter2\",\"nested\":{\"api_key\":\"k1\"}}",
            &["password=hunter2", "api_key=k1"],
        );
        // Written with an escape the encoder does not use: the whole body goes.
        check(
            "POST / HTTP/1.1\n\n{\"password\":\"hu\\u006eter\"}",
            &["body={\"password\":\"hu\\u006eter\"}"],
        );
        check(
            "POST / HTTP/1.1\n\n{\"pin\": 1234}",
            &["body={\"pin\": 1234}"],
        );
        check(
            "POST / HTTP/1.1\n\n{\"password\": ",
            &["body={\"password\": "],
        );
        check("POST / HTTP/1.1\n\n{\"name\":\"x\"}", &[]);
        check("POST / HTTP/1.1\n\nAuthorization: x", &[]);
    }

    #[test]
    fn withholds_values_and_keeps_names() {
        let cases: [(&str, Option<&str>); 6] = [
            ("GET / HTTP/1.1\nHost: h\n\n", None),
            (
                "GET /?a=1&api_key=k HTTP/1.1\nCookie: sid=s; theme=dark\nAuthorization: Bearer t\n\n",
                Some("GET /?a=1&api_key=withheld HTTP/1.1\nCookie: sid=withheld; theme=withheld\nAuthorization: Bearer withheld\n\n"),
            ),
            (
                "GET / HTTP/1.1\nX-API-Key: withheld\n\n",
                None,
            ),
            (
                "GET http://u:p@h/ HTTP/1.1\n\n",
                Some("GET http://withheld@h/ HTTP/1.1\n\n"),
            ),
            (
                "POST / HTTP/1.1\n\n{\"password\":\"same\",\"token\":\"same\"}",
                Some("POST / HTTP/1.1\n\n{\"password\":\"withheld\",\"token\":\"withheld\"}"),
            ),
            ("GET / HTTP/1.1\nAuthorization: Bearer\n\n", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(
                withhold_secrets(raw, WITHHELD).as_deref(),
                expected,
                "{raw:?}"
            );
        }
        assert_eq!(
            withheld_values("GET /?api_key=withheld HTTP/1.1\nCookie: a=withheld; b=1\n\n"),
            ["api_key", "a"]
        );
    }
}
