//! JSON (RFC 8259) for the engine's own needs: reading token parts, problem+json bodies and
//! policies, writing response bodies, claims and policies.
//!
//! Written here rather than taken from serde_json because serde's generic machinery was about a
//! twentieth of the page's WebAssembly; this module is a fraction of that. It accepts and
//! refuses what `serde_json::from_slice::<serde_json::Value>` does (tests and a fuzz target
//! compare them), except that numbers are rounded exactly: within a millionth of `f64::MAX`
//! the two may disagree on which numbers overflow. It writes the same bytes as
//! `serde_json::to_string` and `to_string_pretty` for the same members in the same order.

use std::fmt::{self, Write as _};

/// Containers nested this deep are refused, as serde_json does: deep nesting in a token could
/// otherwise exhaust the stack.
const MAX_DEPTH: usize = 128;

/// A JSON value. Objects keep their members in the order they were read or inserted.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

/// A number as its JSON text, so whole numbers beyond 2^53 stay exact. Always a valid JSON
/// number whose value is finite.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The number if it is written as a whole number from 0 to `u64::MAX` (no fraction, no
    /// exponent, no sign), as serde_json reads it.
    pub fn as_u64(&self) -> Option<u64> {
        if self.0.bytes().all(|byte| byte.is_ascii_digit()) {
            self.0.parse().ok()
        } else {
            None
        }
    }

    /// The number as the nearest `f64`.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok()
    }
}

impl From<u64> for Number {
    fn from(number: u64) -> Self {
        Number(number.to_string())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An object's members in order. Inserting a name that is already there replaces its value in
/// place, so a repeated member read from text keeps the last value (as serde_json does, and
/// as RFC 7519 §4 allows for JWTs).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Map {
    members: Vec<(String, Value)>,
}

impl Map {
    /// An empty object.
    pub fn new() -> Map {
        Map::default()
    }

    /// The value of member `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, value)| value)
    }

    /// Sets member `name`, keeping its place if it exists.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<Value>) {
        let name = name.into();
        let value = value.into();
        match self.members.iter_mut().find(|(member, _)| *member == name) {
            Some((_, old)) => *old = value,
            None => self.members.push((name, value)),
        }
    }

    /// The members in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&String, &Value)> {
        self.members.iter().map(|(name, value)| (name, value))
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }
}

impl<K: Into<String>, V: Into<Value>> FromIterator<(K, V)> for Map {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(members: I) -> Self {
        let mut map = Map::new();
        for (name, value) in members {
            map.insert(name, value);
        }
        map
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.members.iter().map(|(name, value)| (name, value))
    }
}

impl Value {
    /// Whether this is a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// Whether this is a whole number from 0 to `u64::MAX`.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// See [`Number::as_u64`].
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(number) => number.as_u64(),
            _ => None,
        }
    }

    /// See [`Number::as_f64`].
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }

    /// Member `name`, if this is an object that has it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.as_object().and_then(|members| members.get(name))
    }
}

impl From<u64> for Value {
    fn from(number: u64) -> Self {
        Value::Number(number.into())
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::String(text.to_string())
    }
}

impl From<&String> for Value {
    fn from(text: &String) -> Self {
        Value::String(text.clone())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::String(text)
    }
}

/// An object of these members, in this order.
pub fn object<K: Into<String>, V: Into<Value>>(members: impl IntoIterator<Item = (K, V)>) -> Value {
    Value::Object(members.into_iter().collect())
}

/// Compact JSON, as `serde_json::to_string` writes it.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_value(&mut out, self, None);
        f.write_str(&out)
    }
}

/// Indented JSON, as `serde_json::to_string_pretty` writes it.
pub fn to_pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(0));
    out
}

/// `text` as a JSON string, quotes included.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

/// `indent` is the current depth when writing indented, `None` when compact.
fn write_value(out: &mut String, value: &Value, indent: Option<usize>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => out.push_str(&number.0),
        Value::String(text) => write_string(out, text),
        Value::Array(items) => write_container(
            out,
            ('[', ']'),
            items.iter().map(|item| (None, item)),
            indent,
        ),
        Value::Object(members) => write_container(
            out,
            ('{', '}'),
            members
                .iter()
                .map(|(name, value)| (Some(name.as_str()), value)),
            indent,
        ),
    }
}

fn write_container<'a>(
    out: &mut String,
    (open, close): (char, char),
    entries: impl ExactSizeIterator<Item = (Option<&'a str>, &'a Value)>,
    indent: Option<usize>,
) {
    out.push(open);
    let empty = entries.len() == 0;
    let inner = indent.map(|depth| depth + 1);
    for (index, (name, value)) in entries.enumerate() {
        if index > 0 {
            out.push(',');
        }
        if let Some(depth) = inner {
            new_line(out, depth);
        }
        if let Some(name) = name {
            write_string(out, name);
            out.push_str(if inner.is_some() { ": " } else { ":" });
        }
        write_value(out, value, inner);
    }
    if let (Some(depth), false) = (indent, empty) {
        new_line(out, depth);
    }
    out.push(close);
}

fn new_line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                // Writing to a String cannot fail.
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Why a text is not JSON, and where: 1-based line and column (in characters).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What is wrong, in words.
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

/// Reads one JSON value; whitespace may surround it, nothing else.
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("trailing characters after the value"));
    }
    Ok(value)
}

/// [`parse`] for bytes that should be UTF-8.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(error) => {
            let valid = bytes
                .get(..error.valid_up_to())
                .and_then(|prefix| std::str::from_utf8(prefix).ok())
                .unwrap_or_default();
            let (line, column) = crate::text::line_column(valid, valid.len());
            Err(Error {
                message: "invalid UTF-8".to_string(),
                line,
                column,
            })
        }
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> Error {
        let (line, column) = crate::text::line_column(self.text, self.at);
        Error {
            message: message.to_string(),
            line,
            column,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Consumes `word` (`null`, `true`, `false`) or fails at the first byte that differs.
    fn word(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        for expected in word.bytes() {
            match self.peek() {
                Some(byte) if byte == expected => self.at += 1,
                Some(_) => return Err(self.error("expected a value")),
                None => return Err(self.error("the text ends inside a value")),
            }
        }
        Ok(value)
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("the text ends where a value should be")),
            Some(b'n') => self.word("null", Value::Null),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            Some(b'[') => self.nested(Parser::array),
            Some(b'{') => self.nested(Parser::object),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.error("nested too deep"));
        }
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Result<Value, Error> {
        self.at += 1; // [
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
                None => return Err(self.error("the text ends inside an array")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Error> {
        self.at += 1; // {
        let mut members = Map::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'"') => {}
                Some(_) => return Err(self.error("expected a member name in quotes")),
                None => return Err(self.error("the text ends inside an object")),
            }
            let name = self.string()?;
            self.skip_space();
            match self.peek() {
                Some(b':') => self.at += 1,
                Some(_) => return Err(self.error("expected `:`")),
                None => return Err(self.error("the text ends inside an object")),
            }
            let value = self.value()?;
            members.insert(name, value);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
                None => return Err(self.error("the text ends inside an object")),
            }
        }
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1; // "
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character at once.
            let start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The run ends at an ASCII byte or the end, both character boundaries.
            out.push_str(self.text.get(start..self.at).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("the text ends inside a string")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.error("a control character must be escaped")),
            }
        }
    }

    /// The character of the escape after a backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let Some(byte) = self.peek() else {
            return Err(self.error("the text ends inside a string"));
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.unicode_escape(),
            _ => {
                self.at -= 1;
                return Err(self.error("unknown escape"));
            }
        })
    }

    /// `\uXXXX`, or a surrogate pair of two; a surrogate alone is refused.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.error("a leading surrogate without its trailing one"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a leading surrogate without its trailing one"));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("a trailing surrogate alone")),
            _ => u32::from(first),
        };
        char::from_u32(code).ok_or_else(|| self.error("not a Unicode scalar value"))
    }

    fn hex4(&mut self) -> Result<u16, Error> {
        let mut code: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                None => return Err(self.error("the text ends inside a string")),
                Some(byte) => match char::from(byte).to_digit(16) {
                    Some(digit) => digit,
                    None => return Err(self.error("expected four hex digits after \\u")),
                },
            };
            self.at += 1;
            // Four hex digits fit in 16 bits.
            code = (code << 4) | u16::try_from(digit).unwrap_or(0);
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Number, Error> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("a number cannot start with 0"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            Some(_) => return Err(self.error("expected a digit")),
            None => return Err(self.error("the text ends inside a number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit in the exponent"));
            }
        }
        let lexeme = self.text.get(start..self.at).unwrap_or_default();
        match lexeme.parse::<f64>() {
            Ok(value) if value.is_finite() => Ok(Number(lexeme.to_string())),
            _ => {
                self.at = start;
                Err(self.error("the number is too large"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse, quote, to_pretty, Map, Value};

    #[test]
    fn reads_and_writes_back_a_nested_value() {
        let text = r#"{"a":[1,-2.5e3,true,null,"x\"y\u00e9\ud83d\ude00"],"b":{}}"#;
        let value = parse(text).unwrap_or(Value::Null);
        assert_eq!(
            match value.get("a") {
                Some(Value::Array(items)) => Some(items.len()),
                _ => None,
            },
            Some(5)
        );
        assert_eq!(
            value.to_string(),
            r#"{"a":[1,-2.5e3,true,null,"x\"yé😀"],"b":{}}"#
        );
    }

    #[test]
    fn pretty_output_indents_by_two_and_keeps_empty_containers_short() {
        let mut inner = Map::new();
        inner.insert("k", "v");
        let mut outer = Map::new();
        outer.insert(
            "list",
            Value::Array(vec![Value::from(1), Value::Object(inner)]),
        );
        outer.insert("none", Value::Array(Vec::new()));
        assert_eq!(
            to_pretty(&Value::Object(outer)),
            "{\n  \"list\": [\n    1,\n    {\n      \"k\": \"v\"\n    }\n  ],\n  \"none\": []\n}"
        );
    }

    #[test]
    fn control_characters_are_escaped_in_lower_case_hex() {
        assert_eq!(
            quote("a\u{1}\u{1f}\u{7f}\u{8}"),
            "\"a\\u0001\\u001f\u{7f}\\b\""
        );
    }

    #[test]
    fn the_last_of_repeated_members_wins_in_the_first_place() {
        let value = parse(r#"{"a":1,"b":2,"a":3}"#).unwrap_or(Value::Null);
        assert_eq!(value.to_string(), r#"{"a":3,"b":2}"#);
    }
}
