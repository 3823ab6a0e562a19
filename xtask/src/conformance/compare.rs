//! What "the engine answers as the real framework does" means, cell by cell: the same status,
//! the same challenges and the same body. Everything else a server writes (header order, `Date`,
//! `Server`, `Content-Length`, `Connection`, reason phrases) is set aside.

use std::collections::BTreeMap;

use authpath_engine::Response;

/// The parts of one answer the comparison looks at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Observed {
    /// The status code; `None` when the real answer had no readable status line.
    pub status: Option<u16>,
    /// Every `WWW-Authenticate` field value, as written, in order.
    pub challenge_fields: Vec<String>,
    /// The body text.
    pub body: String,
}

impl Observed {
    /// From a recorded answer: its status and its `[name, value]` header pairs.
    pub fn from_recorded(status: Option<u16>, headers: &[(String, String)], body: &str) -> Self {
        Observed {
            status,
            challenge_fields: headers
                .iter()
                .filter(|(name, _)| name.eq_ignore_ascii_case("WWW-Authenticate"))
                .map(|(_, value)| value.clone())
                .collect(),
            body: body.to_string(),
        }
    }

    /// From the engine's response.
    pub fn from_engine(response: &Response) -> Self {
        Observed {
            status: Some(response.status.code()),
            challenge_fields: response
                .headers_named("WWW-Authenticate")
                .map(str::to_string)
                .collect(),
            body: response.body.clone(),
        }
    }
}

/// One of the three things compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aspect {
    Status,
    Challenges,
    Body,
}

impl Aspect {
    /// Every aspect, in the order a report shows them.
    pub const ALL: [Aspect; 3] = [Aspect::Status, Aspect::Challenges, Aspect::Body];

    /// The word a report uses.
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Status => "status",
            Aspect::Challenges => "challenges",
            Aspect::Body => "body",
        }
    }
}

/// The aspects in which two answers differ; empty when they are the same.
pub fn differences(real: &Observed, engine: &Observed) -> Vec<Aspect> {
    Aspect::ALL
        .into_iter()
        .filter(|aspect| !same(*aspect, real, engine))
        .collect()
}

fn same(aspect: Aspect, real: &Observed, engine: &Observed) -> bool {
    match aspect {
        Aspect::Status => real.status == engine.status,
        Aspect::Challenges => {
            challenge_multiset(&real.challenge_fields)
                == challenge_multiset(&engine.challenge_fields)
        }
        Aspect::Body => same_body(&real.body, &engine.body),
    }
}

/// Bodies are equal as JSON values when both parse as JSON (whitespace and member order aside),
/// otherwise as text once a final newline is trimmed.
pub fn same_body(real: &str, engine: &str) -> bool {
    match (
        serde_json::from_str::<serde_json::Value>(real),
        serde_json::from_str::<serde_json::Value>(engine),
    ) {
        (Ok(real), Ok(engine)) => real == engine,
        _ => trim_final_newline(real) == trim_final_newline(engine),
    }
}

fn trim_final_newline(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text)
}

/// One challenge as compared: the scheme in lower case (RFC 9110 §11.1: case-insensitive), its
/// token68 as text, its auth-params by lower-case name (§11.2) with quoted-string escapes removed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Challenge {
    pub scheme: String,
    pub token68: Option<String>,
    pub params: BTreeMap<String, String>,
}

/// Every challenge of every field, sorted: the order of fields and of challenges does not count,
/// how many times each appears does.
pub fn challenge_multiset(fields: &[String]) -> Vec<Challenge> {
    let mut challenges: Vec<Challenge> =
        fields.iter().flat_map(|field| challenges(field)).collect();
    challenges.sort();
    challenges
}

/// The challenges of one `WWW-Authenticate` field value (RFC 9110 §11.6.1: a list of
/// `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`). A comma separates both challenges and
/// parameters, so each list element that reads `token BWS "=" …` is a parameter of the challenge
/// before it and any other element starts a challenge. Never fails: what does not follow the
/// grammar is kept as text (as a token68), so it still compares.
pub fn challenges(field: &str) -> Vec<Challenge> {
    let mut challenges: Vec<Challenge> = Vec::new();
    for element in list_elements(field) {
        if let Some((name, value)) = param(element) {
            match challenges.last_mut() {
                Some(challenge) => {
                    challenge.params.insert(name, value);
                }
                // A parameter before any scheme: keep it whole, under no scheme.
                None => challenges.push(Challenge {
                    scheme: String::new(),
                    token68: Some(element.to_string()),
                    params: BTreeMap::new(),
                }),
            }
            continue;
        }
        let (scheme, rest) = element
            .split_once([' ', '\t'])
            .map_or((element, ""), |(scheme, rest)| (scheme, rest.trim()));
        let mut challenge = Challenge {
            scheme: scheme.to_ascii_lowercase(),
            token68: None,
            params: BTreeMap::new(),
        };
        if !rest.is_empty() {
            match param(rest) {
                Some((name, value)) if !is_token68(rest) => {
                    challenge.params.insert(name, value);
                }
                _ => challenge.token68 = Some(rest.to_string()),
            }
        }
        challenges.push(challenge);
    }
    challenges
}

/// The elements of a comma-separated list, trimmed, empty ones skipped (RFC 9110 §5.6.1); a comma
/// inside a quoted-string does not separate.
fn list_elements(field: &str) -> Vec<&str> {
    let mut elements = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    let mut escaped = false;
    for (index, character) in field.char_indices() {
        match character {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ',' if !quoted => {
                elements.push(&field[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    elements.push(&field[start..]);
    elements
        .into_iter()
        .map(str::trim)
        .filter(|element| !element.is_empty())
        .collect()
}

/// `name BWS "=" BWS value` as (lower-case name, value without its quotes and escapes).
fn param(element: &str) -> Option<(String, String)> {
    let (name, value) = element.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return None;
    }
    Some((name.to_ascii_lowercase(), unquote(value.trim())))
}

fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"') else {
        return value.to_string();
    };
    let mut text = String::new();
    let mut characters = inner.chars();
    while let Some(character) = characters.next() {
        match character {
            '"' => break,
            '\\' => text.extend(characters.next()),
            _ => text.push(character),
        }
    }
    text
}

/// RFC 9110 §11.2 token68: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
fn is_token68(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !body.is_empty()
        && body
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte))
}

/// RFC 9110 §5.6.2 tchar.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn observed(status: u16, challenges: &[&str], body: &str) -> Observed {
        Observed {
            status: Some(status),
            challenge_fields: challenges.iter().map(|field| field.to_string()).collect(),
            body: body.to_string(),
        }
    }

    /// One case: the real answer, the engine's, and the aspects that must differ.
    fn check(real: Observed, engine: Observed, expected: &[Aspect]) {
        assert_eq!(
            differences(&real, &engine),
            expected,
            "real {real:?}\nengine {engine:?}"
        );
    }

    #[test]
    fn answers_compare_by_status_challenges_and_body() {
        use Aspect::{Body, Challenges, Status};
        let body = r#"{"detail":"Not authenticated"}"#;
        let bearer = r#"Bearer realm="api", error="invalid_token""#;
        #[rustfmt::skip]
        let cases: &[(Observed, Observed, &[Aspect])] = &[
            // Equal JSON, other whitespace and member order.
            (observed(200, &[], r#"{"user":"alice","route":"GET /profile"}"#),
             observed(200, &[], "{ \"route\" : \"GET /profile\",\n  \"user\": \"alice\" }\n"), &[]),
            // Params in another order, another case of scheme and param names, token vs quoted.
            (observed(401, &[bearer], body),
             observed(401, &[r#"bearer ERROR=invalid_token, Realm="api""#], body), &[]),
            (observed(403, &[], body), observed(401, &[], body), &[Status]),
            (observed(401, &["Bearer"], body), observed(401, &[], body), &[Challenges]),
            (observed(401, &[], body), observed(401, &["Bearer"], body), &[Challenges]),
            // A param value differs.
            (observed(401, &[bearer], body),
             observed(401, &[r#"Bearer realm="api", error="invalid_request""#], body), &[Challenges]),
            // Two fields or one field with two challenges: the same multiset; a duplicate counts.
            (observed(401, &["Bearer", r#"Basic realm="api""#], ""),
             observed(401, &[r#"Basic realm="api", Bearer"#], ""), &[]),
            (observed(401, &["Bearer", "Bearer"], ""), observed(401, &["Bearer"], ""), &[Challenges]),
            // Text bodies: a final newline aside; otherwise exact.
            (observed(404, &[], "Not Found\n"), observed(404, &[], "Not Found"), &[]),
            (observed(404, &[], "Not Found"), observed(404, &[], "not found"), &[Body]),
            // JSON against text is compared as text.
            (observed(400, &[], r#"{"a":1}"#), observed(400, &[], "{\"a\": 1}x"), &[Body]),
            (observed(200, &[], r#"{"a":1}"#), observed(200, &[], r#"{"a":2}"#), &[Body]),
            (observed(422, &["Bearer"], "x"), observed(401, &[], "y"), &[Status, Challenges, Body]),
            (Observed { status: None, challenge_fields: Vec::new(), body: String::new() },
             observed(200, &[], ""), &[Status]),
        ];
        for (real, engine, expected) in cases {
            check(real.clone(), engine.clone(), expected);
        }
    }

    fn challenge(scheme: &str, token68: Option<&str>, params: &[(&str, &str)]) -> Challenge {
        Challenge {
            scheme: scheme.to_string(),
            token68: token68.map(str::to_string),
            params: params
                .iter()
                .map(|(name, value)| (name.to_string(), value.to_string()))
                .collect(),
        }
    }

    #[test]
    fn fields_parse_into_challenges() {
        #[rustfmt::skip]
        let cases: &[(&str, Vec<Challenge>)] = &[
            ("Bearer", vec![challenge("bearer", None, &[])]),
            (r#"Bearer realm="Users", error="invalid_token""#,
             vec![challenge("bearer", None, &[("realm", "Users"), ("error", "invalid_token")])]),
            // BWS around "=", a comma and an escaped quote inside a quoted-string.
            (r#"Basic realm = "a, \"b\"", charset=UTF-8"#,
             vec![challenge("basic", None, &[("realm", r#"a, "b""#), ("charset", "UTF-8")])]),
            ("Newauth abc==, Basic realm=x",
             vec![challenge("newauth", Some("abc=="), &[]), challenge("basic", None, &[("realm", "x")])]),
            (", Bearer ,, Basic", vec![challenge("bearer", None, &[]), challenge("basic", None, &[])]),
            ("", vec![]),
            // Not the grammar: kept as text, so it still compares.
            ("Bearer realm", vec![challenge("bearer", Some("realm"), &[])]),
            (r#"realm="x""#, vec![challenge("", Some(r#"realm="x""#), &[])]),
            (r#"Bearer realm="open"#, vec![challenge("bearer", None, &[("realm", "open")])]),
        ];
        for (field, expected) in cases {
            assert_eq!(&challenges(field), expected, "{field:?}");
        }
    }
}
