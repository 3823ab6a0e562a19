//! A parser for `WWW-Authenticate` field values (RFC 9110 §11): a comma-separated list of
//! challenges, each `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`.
//!
//! The grammar is ambiguous at commas (a comma separates both parameters and challenges), so
//! after each comma the parser looks ahead: `token BWS "="` continues the current challenge,
//! anything else starts a new one. Like the request parser it never fails outright: it returns
//! the challenges read so far *and* the first error, so the lint can report the error and the
//! explainer can still annotate what came before it.

use std::ops::Range;

use crate::text::{is_token68_byte, is_token_byte};

/// One challenge: a scheme and either a token68 or a list of parameters (or neither).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    /// The scheme as written (compare case-insensitively, RFC 9110 §11.1).
    pub scheme: String,
    /// Byte range of the scheme name within the field value.
    pub scheme_span: Range<usize>,
    /// The token68 form, e.g. `Newauth abc==`.
    pub token68: Option<String>,
    /// The auth-params in the order written.
    pub params: Vec<Param>,
}

impl Challenge {
    /// Whether the scheme is `name`, ignoring case as RFC 9110 §11.1 requires.
    pub fn is(&self, name: &str) -> bool {
        self.scheme.eq_ignore_ascii_case(name)
    }

    /// The first parameter called `name` (parameter names are case-insensitive, RFC 9110 §11.2).
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params
            .iter()
            .find(|param| param.name.eq_ignore_ascii_case(name))
    }
}

/// One `name=value` auth-param.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The name as written.
    pub name: String,
    /// The value with quoted-string escapes removed.
    pub value: String,
    /// Whether the value was written as a quoted-string rather than a token.
    pub quoted: bool,
    /// Byte range of the whole `name=value` within the field value.
    pub span: Range<usize>,
}

/// Where and why a field value stops following the grammar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChallengeError {
    /// What was expected, in words.
    pub message: String,
    /// Byte offset into the field value.
    pub offset: usize,
}

/// The challenges read from one field value, and the first error if the value is malformed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub challenges: Vec<Challenge>,
    pub error: Option<ChallengeError>,
}

/// Parses one `WWW-Authenticate` field value. Never panics; empty list elements are skipped
/// as RFC 9110 §5.6.1 asks of recipients.
pub fn parse(value: &str) -> Parsed {
    let mut parser = Parser {
        text: value,
        bytes: value.as_bytes(),
        position: 0,
    };
    let mut parsed = Parsed::default();
    if let Err(error) = parser.challenges(&mut parsed.challenges) {
        parsed.error = Some(error);
    }
    parsed
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    position: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn at_end(&self) -> bool {
        self.position >= self.bytes.len()
    }

    fn error<T>(&self, message: &str) -> Result<T, ChallengeError> {
        Err(ChallengeError {
            message: message.to_string(),
            offset: self.position,
        })
    }

    /// Skips optional whitespace (SP / HTAB) and returns how many bytes it skipped.
    fn whitespace(&mut self) -> usize {
        let start = self.position;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.position += 1;
        }
        self.position - start
    }

    /// Skips whitespace and empty list elements.
    fn separators(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b',')) {
            self.position += 1;
        }
    }

    fn token(&mut self) -> Range<usize> {
        let start = self.position;
        while self.peek().is_some_and(is_token_byte) {
            self.position += 1;
        }
        start..self.position
    }

    fn slice(&self, range: Range<usize>) -> String {
        self.text.get(range).unwrap_or_default().to_string()
    }

    fn challenges(&mut self, into: &mut Vec<Challenge>) -> Result<(), ChallengeError> {
        loop {
            self.separators();
            if self.at_end() {
                return Ok(());
            }
            let scheme_span = self.token();
            if scheme_span.is_empty() {
                return self.error("expected an auth-scheme (a token)");
            }
            let mut challenge = Challenge {
                scheme: self.slice(scheme_span.clone()),
                scheme_span,
                token68: None,
                params: Vec::new(),
            };
            let spaces = self.whitespace();
            if self.at_end() || self.peek() == Some(b',') {
                into.push(challenge);
                continue;
            }
            if spaces == 0 {
                into.push(challenge);
                return self.error("expected a space after the auth-scheme");
            }
            if let Some(token68) = self.token68() {
                challenge.token68 = Some(token68);
                into.push(challenge);
                continue;
            }
            let result = self.params(&mut challenge.params);
            into.push(challenge);
            result?;
        }
    }

    /// Reads a token68 if one stands here on its own (followed by the end or a comma);
    /// otherwise leaves the position where it was.
    fn token68(&mut self) -> Option<String> {
        let start = self.position;
        while self.peek().is_some_and(is_token68_byte) {
            self.position += 1;
        }
        let has_body = self.position > start;
        while self.peek() == Some(b'=') {
            self.position += 1;
        }
        let end = self.position;
        self.whitespace();
        if has_body && (self.at_end() || self.peek() == Some(b',')) {
            return Some(self.slice(start..end));
        }
        self.position = start;
        None
    }

    /// Whether `token BWS "="` stands at the current position: the start of an auth-param.
    fn param_ahead(&self) -> bool {
        let mut lookahead = Parser {
            text: self.text,
            bytes: self.bytes,
            position: self.position,
        };
        if lookahead.token().is_empty() {
            return false;
        }
        lookahead.whitespace();
        lookahead.peek() == Some(b'=')
    }

    fn params(&mut self, into: &mut Vec<Param>) -> Result<(), ChallengeError> {
        loop {
            into.push(self.param()?);
            self.whitespace();
            if self.at_end() {
                return Ok(());
            }
            if self.peek() != Some(b',') {
                return self.error("expected a comma after the parameter value");
            }
            let comma = self.position;
            self.separators();
            if self.at_end() {
                return Ok(());
            }
            if !self.param_ahead() {
                // A new challenge starts here; the caller reads it.
                self.position = comma;
                return Ok(());
            }
        }
    }

    fn param(&mut self) -> Result<Param, ChallengeError> {
        let start = self.position;
        let name = self.token();
        if name.is_empty() {
            return self.error("expected a parameter name");
        }
        self.whitespace();
        if self.peek() != Some(b'=') {
            return self.error("expected '=' after the parameter name");
        }
        self.position += 1;
        self.whitespace();
        let (value, quoted) = if self.peek() == Some(b'"') {
            (self.quoted_string()?, true)
        } else {
            let value = self.token();
            if value.is_empty() {
                return self.error("expected a token or a quoted-string as the parameter value");
            }
            (self.slice(value), false)
        };
        Ok(Param {
            name: self.slice(name),
            value,
            quoted,
            span: start..self.position,
        })
    }

    /// Reads a quoted-string (RFC 9110 §5.6.4) starting at its opening quote and returns its
    /// content with the backslash escapes removed.
    fn quoted_string(&mut self) -> Result<String, ChallengeError> {
        self.position += 1;
        let mut content = Vec::new();
        loop {
            let Some(byte) = self.peek() else {
                return self.error("the quoted-string has no closing quote");
            };
            match byte {
                b'"' => {
                    self.position += 1;
                    return Ok(String::from_utf8_lossy(&content).into_owned());
                }
                b'\\' => {
                    self.position += 1;
                    match self.peek() {
                        Some(escaped)
                            if escaped == b'\t' || (escaped >= 0x20 && escaped != 0x7f) =>
                        {
                            content.push(escaped);
                            self.position += 1;
                        }
                        Some(_) => return self.error("a control character cannot be escaped"),
                        None => return self.error("the quoted-string ends after a backslash"),
                    }
                }
                b'\t' | 0x20..=0x7e | 0x80..=0xff => {
                    content.push(byte);
                    self.position += 1;
                }
                _ => return self.error("a control character inside a quoted-string"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Renders the parse as `scheme[token68]{name=value,…}` lists, or `error@offset`.
    fn render(value: &str) -> String {
        let parsed = parse(value);
        let mut out: Vec<String> = parsed
            .challenges
            .iter()
            .map(|challenge| {
                let mut text = challenge.scheme.clone();
                if let Some(token68) = &challenge.token68 {
                    text.push_str(&format!("[{token68}]"));
                }
                let params: Vec<String> = challenge
                    .params
                    .iter()
                    .map(|param| {
                        let quote = if param.quoted { "\"" } else { "" };
                        format!("{}={quote}{}{quote}", param.name, param.value)
                    })
                    .collect();
                if !params.is_empty() {
                    text.push_str(&format!("{{{}}}", params.join(",")));
                }
                text
            })
            .collect();
        if let Some(error) = parsed.error {
            out.push(format!("error@{}", error.offset));
        }
        out.join(" ")
    }

    fn check(value: &str, expected: &str) {
        assert_eq!(render(value), expected, "parsing {value:?}");
    }

    #[test]
    fn challenges_parse_as_rfc_9110_section_11_says() {
        // A bare scheme, and a scheme with one quoted parameter.
        check("Bearer", "Bearer");
        check(r#"Bearer realm="demo""#, r#"Bearer{realm="demo"}"#);
        // Several parameters; bad whitespace around "=" (BWS) is allowed.
        check(
            r#"Bearer realm="a", error="invalid_token",error_description = "expired""#,
            r#"Bearer{realm="a",error="invalid_token",error_description="expired"}"#,
        );
        // Two challenges in one field value, split at the comma before a new scheme.
        check(
            r#"Bearer realm="a", Basic realm="a", charset="UTF-8""#,
            r#"Bearer{realm="a"} Basic{realm="a",charset="UTF-8"}"#,
        );
        // Challenges without parameters separated by commas, and empty list elements.
        check("Basic, Bearer", "Basic Bearer");
        check(" , Basic ,, Bearer , ", "Basic Bearer");
        check("", "");
        // token68, with and without padding, then another challenge.
        check("Newauth abc123==", "Newauth[abc123==]");
        check(
            "Newauth a/b+c, Basic realm=x",
            "Newauth[a/b+c] Basic{realm=x}",
        );
        // A token value, not quoted: "realm=" is not mistaken for a token68.
        check("Basic realm=demo", "Basic{realm=demo}");
        // Quoted-string escapes: \" and \\ are unescaped, a comma inside quotes is content.
        check(
            r#"Bearer realm="a \"b\" \\ c""#,
            r#"Bearer{realm="a "b" \ c"}"#,
        );
        check(
            r#"Bearer realm="a, b", scope="x y""#,
            r#"Bearer{realm="a, b",scope="x y"}"#,
        );
        // Scheme names keep their case as written (compared case-insensitively elsewhere).
        check(r#"bEaReR realm="a""#, r#"bEaReR{realm="a"}"#);
    }

    #[test]
    fn malformed_values_report_where_they_break() {
        check(r#"Bearer realm="open"#, "Bearer error@18");
        check(r#"Bearer realm="a\"#, "Bearer error@16");
        // "realm=" alone is a valid token68, so only a value missing after a comma is an error.
        check("Bearer realm=", "Bearer[realm=]");
        check(
            r#"Bearer realm="a", error="#,
            r#"Bearer{realm="a"} error@24"#,
        );
        check(
            r#"Bearer realm="a" error="b""#,
            r#"Bearer{realm="a"} error@17"#,
        );
        check("=abc", "error@0");
        check(r#"Bearer="a""#, "Bearer error@6");
        check("Bearer realm=\"a\u{1}\"", "Bearer error@15");
        check(r#"Bearer realm "a""#, "Bearer error@13");
    }

    #[test]
    fn spans_point_at_the_text_they_were_read_from() {
        let value = r#"Bearer realm="a", error="invalid_token""#;
        let parsed = parse(value);
        let challenge = &parsed.challenges[0];
        assert_eq!(&value[challenge.scheme_span.clone()], "Bearer");
        let spans: Vec<&str> = challenge
            .params
            .iter()
            .map(|param| &value[param.span.clone()])
            .collect();
        assert_eq!(spans, [r#"realm="a""#, r#"error="invalid_token""#]);
    }

    #[test]
    fn lookups_ignore_case() {
        let parsed = parse(r#"BEARER Realm="a""#);
        let challenge = &parsed.challenges[0];
        assert!(challenge.is("bearer"));
        assert_eq!(
            challenge.param("realm").map(|p| p.value.as_str()),
            Some("a")
        );
        assert!(challenge.param("scope").is_none());
    }

    proptest! {
        #[test]
        fn any_text_parses_without_panicking(value in any::<String>()) {
            let parsed = parse(&value);
            for challenge in &parsed.challenges {
                prop_assert!(value.get(challenge.scheme_span.clone()).is_some());
                for param in &challenge.params {
                    prop_assert!(value.get(param.span.clone()).is_some());
                }
            }
        }

        #[test]
        fn header_like_text_parses_without_panicking(
            value in r#"[A-Za-z ,="\\=/+\t\x01é]{0,40}"#
        ) {
            let parsed = parse(&value);
            if let Some(error) = parsed.error {
                prop_assert!(error.offset <= value.len());
            }
        }

        #[test]
        fn quoted_values_round_trip(content in r#"[ -~]{0,20}"#) {
            let escaped = content.replace('\\', "\\\\").replace('"', "\\\"");
            let parsed = parse(&format!("Bearer realm=\"{escaped}\""));
            prop_assert_eq!(parsed.error, None);
            prop_assert_eq!(parsed.challenges[0].params[0].value.clone(), content);
        }
    }
}
