//! A spec as a tree of values that keep where they stand: the JSON pointer, line and column
//! of every node and every object key. JSON is read with serde_json (which reads every JSON
//! text right, escapes and numbers included) and its places found by one pass over the text;
//! YAML with saphyr, whose nodes carry their spans.

#[cfg(feature = "yaml")]
use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Problem, Syntax};

/// How deep a spec may nest: far more than any spec needs, and few enough that walking the
/// tree cannot exhaust the stack.
const MAX_DEPTH: usize = 100;

/// Where a value or a key stands in the spec text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    /// The JSON pointer (RFC 6901) of the value; for a key, of the member it names.
    pub pointer: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

/// A value of the spec, and where it stands.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) value: Value,
    pub(crate) place: Place,
}

/// A value: JSON's kinds, objects in the order written (a YAML key that is a number or a
/// boolean becomes its text, as `200:` is the response `"200"`).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

/// One member of an object: its key, where the key stands, and its value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Member {
    pub(crate) key: String,
    pub(crate) at: Place,
    pub(crate) node: Node,
}

impl Node {
    /// The member named `key`, if this is an object that has it.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.member(key).map(|member| &member.node)
    }

    /// The member named `key` with its key's place.
    pub(crate) fn member(&self, key: &str) -> Option<&Member> {
        match &self.value {
            Value::Object(members) => members.iter().find(|member| member.key == key),
            _ => None,
        }
    }

    pub(crate) fn members(&self) -> &[Member] {
        match &self.value {
            Value::Object(members) => members,
            _ => &[],
        }
    }

    pub(crate) fn items(&self) -> &[Node] {
        match &self.value {
            Value::Array(items) => items,
            _ => &[],
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub(crate) fn is_object(&self) -> bool {
        matches!(self.value, Value::Object(_))
    }

    pub(crate) fn is_array(&self) -> bool {
        matches!(self.value, Value::Array(_))
    }

    /// What kind of value this is, for a message: "a string", "an object".
    pub(crate) fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The node as serde_json's value (objects keep their order only where serde_json does;
    /// a repeated key keeps its last value).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(value) => serde_json::Value::Bool(*value),
            Value::Number(number) => serde_json::Value::Number(number.clone()),
            Value::String(text) => serde_json::Value::String(text.clone()),
            Value::Array(items) => items.iter().map(Node::to_json).collect(),
            Value::Object(members) => serde_json::Value::Object(
                members
                    .iter()
                    .map(|member| (member.key.clone(), member.node.to_json()))
                    .collect(),
            ),
        }
    }

    /// The node at a JSON pointer below this one (RFC 6901), e.g. `/components/schemas/A`.
    pub(crate) fn pointer(&self, pointer: &str) -> Option<&Node> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut node = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                Value::Object(_) => node.get(&token)?,
                Value::Array(items) => {
                    // RFC 6901 §4: no leading zeros, no sign.
                    if token.len() > 1 && token.starts_with('0') {
                        return None;
                    }
                    items.get(token.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(node)
    }
}

/// A JSON pointer's reference token for `key` (RFC 6901 §3: `~` as `~0`, `/` as `~1`).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Reads a spec text: JSON when it starts with `{` (after spaces and a byte order mark) and
/// reads as JSON, else YAML. The problems are what was read but not whole (a second YAML
/// document, a duplicate JSON key); the error is a text that is neither.
pub(crate) fn read(text: &str) -> Result<(Node, Syntax, Vec<Problem>), Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        match read_json(text) {
            Ok((node, problems)) => return Ok((node, Syntax::Json, problems)),
            // A YAML flow mapping also starts with `{`: only if it is no YAML either is the
            // JSON error the one to show.
            Err(json) => {
                return read_yaml(text)
                    .map(|(node, problems)| (node, Syntax::Yaml, problems))
                    .map_err(|_| json)
            }
        }
    }
    read_yaml(text).map(|(node, problems)| (node, Syntax::Yaml, problems))
}

/// A problem at a 1-based line and column, before any pointer is known.
fn at(line: usize, column: usize, message: impl Into<String>) -> Problem {
    Problem {
        pointer: String::new(),
        line,
        column,
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------
// JSON

/// A JSON value in the order written, duplicates kept: what serde_json reads, before the
/// places are added.
enum Raw {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    Array(Vec<Raw>),
    Object(Vec<(String, Raw)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Raw, D::Error> {
        deserializer.deserialize_any(RawVisitor)
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Raw, E> {
        Ok(Raw::Number(value.into()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Raw, E> {
        Ok(Raw::Number(value.into()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Raw, E> {
        // JSON has no NaN or infinity, so every number serde_json reads is finite.
        Ok(serde_json::Number::from_f64(value).map_or(Raw::Null, Raw::Number))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Raw, E> {
        Ok(Raw::String(value.to_string()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Raw, E> {
        Ok(Raw::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Raw, A::Error> {
        let mut values = Vec::new();
        while let Some(item) = items.next_element()? {
            values.push(item);
        }
        Ok(Raw::Array(values))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Raw, A::Error> {
        let mut values = Vec::new();
        while let Some((key, value)) = members.next_entry::<String, Raw>()? {
            values.push((key, value));
        }
        Ok(Raw::Object(values))
    }
}

fn read_json(text: &str) -> Result<(Node, Vec<Problem>), Problem> {
    let raw: Raw = serde_json::from_str(text).map_err(|error| {
        let message = error.to_string();
        let suffix = format!(" at line {} column {}", error.line(), error.column());
        let message = message
            .strip_suffix(&suffix)
            .unwrap_or(&message)
            .to_string();
        // serde_json counts columns in bytes; a problem names characters.
        let line_text = text
            .lines()
            .nth(error.line().saturating_sub(1))
            .unwrap_or("");
        let column = line_text
            .get(..error.column().saturating_sub(1).min(line_text.len()))
            .map_or(error.column(), |before| before.chars().count() + 1);
        at(error.line().max(1), column, format!("not JSON: {message}"))
    })?;
    let mut scanner = Scanner::new(text);
    let mut problems = Vec::new();
    let node = placed(raw, String::new(), &mut scanner, &mut problems, 0)?;
    Ok((node, problems))
}

/// The raw value with its places: the scanner walks the text in the order serde_json read
/// it, so each value and key it meets is the next one of the tree.
fn placed(
    raw: Raw,
    pointer: String,
    scanner: &mut Scanner,
    problems: &mut Vec<Problem>,
    depth: usize,
) -> Result<Node, Problem> {
    let (line, column) = scanner.value_start();
    let place = Place {
        pointer: pointer.clone(),
        line,
        column,
    };
    if depth > MAX_DEPTH {
        return Err(Problem {
            pointer,
            line,
            column,
            message: format!("the spec nests more than {MAX_DEPTH} levels deep"),
        });
    }
    let value = match raw {
        Raw::Null => {
            scanner.skip_scalar();
            Value::Null
        }
        Raw::Bool(value) => {
            scanner.skip_scalar();
            Value::Bool(value)
        }
        Raw::Number(number) => {
            scanner.skip_scalar();
            Value::Number(number)
        }
        Raw::String(text) => {
            scanner.skip_string();
            Value::String(text)
        }
        Raw::Array(items) => {
            scanner.open();
            let mut nodes = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let pointer = format!("{pointer}/{index}");
                nodes.push(placed(item, pointer, scanner, problems, depth + 1)?);
                scanner.separator();
            }
            scanner.close();
            Value::Array(nodes)
        }
        Raw::Object(members) => {
            scanner.open();
            let mut placed_members: Vec<Member> = Vec::with_capacity(members.len());
            for (key, value) in members {
                let (key_line, key_column) = scanner.value_start();
                scanner.skip_string();
                scanner.separator();
                let member_pointer = format!("{pointer}/{}", escape(&key));
                let key_place = Place {
                    pointer: member_pointer.clone(),
                    line: key_line,
                    column: key_column,
                };
                let node = placed(value, member_pointer.clone(), scanner, problems, depth + 1)?;
                scanner.separator();
                if placed_members.iter().any(|member| member.key == key) {
                    problems.push(Problem {
                        pointer: member_pointer,
                        line: key_line,
                        column: key_column,
                        message: format!(
                            "the key {key:?} is given twice in this object: the first is read"
                        ),
                    });
                    continue;
                }
                placed_members.push(Member {
                    key,
                    at: key_place,
                    node,
                });
            }
            scanner.close();
            Value::Object(placed_members)
        }
    };
    Ok(Node { value, place })
}

/// A cursor over JSON text that serde_json has read already, so its syntax is known good:
/// it only finds where each value and key starts, counting lines and characters as it goes.
struct Scanner<'t> {
    rest: std::str::Chars<'t>,
    line: usize,
    column: usize,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Scanner<'t> {
        Scanner {
            rest: text.chars(),
            line: 1,
            column: 1,
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest.clone().next()
    }

    fn bump(&mut self) -> Option<char> {
        let character = self.rest.next()?;
        if character == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(character)
    }

    fn skip_space(&mut self) {
        while self
            .peek()
            .is_some_and(|character| matches!(character, ' ' | '\t' | '\n' | '\r'))
        {
            self.bump();
        }
    }

    /// Where the next value (or key) starts.
    fn value_start(&mut self) -> (usize, usize) {
        self.skip_space();
        (self.line, self.column)
    }

    /// Past `:` or `,` (whichever comes), and the spaces around it.
    fn separator(&mut self) {
        self.skip_space();
        if matches!(self.peek(), Some(':' | ',')) {
            self.bump();
        }
        self.skip_space();
    }

    /// Past `{` or `[`.
    fn open(&mut self) {
        self.skip_space();
        self.bump();
    }

    /// Past `}` or `]`.
    fn close(&mut self) {
        self.skip_space();
        self.bump();
    }

    fn skip_string(&mut self) {
        self.skip_space();
        self.bump();
        while let Some(character) = self.bump() {
            match character {
                '\\' => {
                    self.bump();
                }
                '"' => return,
                _ => {}
            }
        }
    }

    /// Past a number, `true`, `false` or `null`.
    fn skip_scalar(&mut self) {
        self.skip_space();
        while self.peek().is_some_and(|character| {
            character.is_ascii_alphanumeric() || matches!(character, '-' | '+' | '.')
        }) {
            self.bump();
        }
    }
}

// ---------------------------------------------------------------------------------------
// YAML

/// Without the `yaml` feature (a build that leaves saphyr out), only JSON is read.
#[cfg(not(feature = "yaml"))]
fn read_yaml(_text: &str) -> Result<(Node, Vec<Problem>), Problem> {
    Err(at(
        1,
        1,
        "not JSON, and this build reads specs in JSON only (the `yaml` feature is off)",
    ))
}

#[cfg(feature = "yaml")]
fn read_yaml(text: &str) -> Result<(Node, Vec<Problem>), Problem> {
    if let Some(problem) = too_deep(text) {
        return Err(problem);
    }
    let documents = MarkedYaml::load_from_str(text).map_err(|error| {
        let marker = error.marker();
        at(
            marker.line().max(1),
            marker.col() + 1,
            format!("not YAML: {}", error.info()),
        )
    })?;
    let mut documents = documents.into_iter();
    let Some(first) = documents.next() else {
        return Err(at(1, 1, "the text is empty: no JSON or YAML document"));
    };
    let mut problems = Vec::new();
    if let Some(second) = documents.next() {
        let start = second.span.start;
        problems.push(at(
            start.line().max(1),
            start.col() + 1,
            "a second YAML document: only the first is read",
        ));
    }
    let node = from_yaml(&first, String::new(), &mut problems);
    Ok((node, problems))
}

/// Refuses YAML nested deeper than [`MAX_DEPTH`] before it is loaded, counting open flow
/// brackets and indentation steps: the loaded tree is walked (and dropped) recursively.
#[cfg(feature = "yaml")]
fn too_deep(text: &str) -> Option<Problem> {
    let mut flow = 0usize;
    for (number, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '-']).len();
        for (index, character) in line.char_indices() {
            match character {
                '[' | '{' => flow += 1,
                ']' | '}' => flow = flow.saturating_sub(1),
                '#' => break,
                _ => {}
            }
            if flow > MAX_DEPTH {
                let column = line
                    .get(..index)
                    .map_or(1, |before| before.chars().count() + 1);
                return Some(at(
                    number + 1,
                    column,
                    format!("the spec nests more than {MAX_DEPTH} levels deep"),
                ));
            }
        }
        if indent > MAX_DEPTH * 8 {
            return Some(at(
                number + 1,
                1,
                format!("the spec nests more than {MAX_DEPTH} levels deep"),
            ));
        }
    }
    None
}

#[cfg(feature = "yaml")]
fn yaml_place(node: &MarkedYaml, pointer: String) -> Place {
    Place {
        pointer,
        line: node.span.start.line().max(1),
        column: node.span.start.col() + 1,
    }
}

#[cfg(feature = "yaml")]
fn from_yaml(node: &MarkedYaml, pointer: String, problems: &mut Vec<Problem>) -> Node {
    let place = yaml_place(node, pointer.clone());
    let value = match &node.data {
        YamlData::Value(scalar) => scalar_value(scalar),
        YamlData::Representation(text, _, _) => Value::String(text.to_string()),
        YamlData::Sequence(items) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(index, item)| from_yaml(item, format!("{pointer}/{index}"), problems))
                .collect(),
        ),
        YamlData::Mapping(mapping) => {
            let mut members: Vec<Member> = Vec::with_capacity(mapping.len());
            for (key, value) in mapping {
                let Some(name) = key_text(key) else {
                    let place = yaml_place(key, pointer.clone());
                    problems.push(Problem {
                        pointer: place.pointer,
                        line: place.line,
                        column: place.column,
                        message: "a key that is a list or a mapping: not read".to_string(),
                    });
                    continue;
                };
                let member_pointer = format!("{pointer}/{}", escape(&name));
                let at = yaml_place(key, member_pointer.clone());
                if members.iter().any(|member| member.key == name) {
                    // `200` and `"200"` are two YAML keys but one member of a spec.
                    problems.push(Problem {
                        pointer: at.pointer,
                        line: at.line,
                        column: at.column,
                        message: format!(
                            "the key {name:?} is given twice in this mapping: the first is read"
                        ),
                    });
                    continue;
                }
                let node = from_yaml(value, member_pointer, problems);
                members.push(Member {
                    key: name,
                    at,
                    node,
                });
            }
            Value::Object(members)
        }
        YamlData::Tagged(_, inner) => return from_yaml(inner, pointer, problems),
        YamlData::Alias(_) | YamlData::BadValue => {
            problems.push(Problem {
                pointer: place.pointer.clone(),
                line: place.line,
                column: place.column,
                message: "a value that is not read (an unresolved alias or a bad tagged value)"
                    .to_string(),
            });
            Value::Null
        }
    };
    Node { value, place }
}

#[cfg(feature = "yaml")]
fn scalar_value(scalar: &Scalar) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(value) => Value::Bool(*value),
        Scalar::Integer(value) => Value::Number((*value).into()),
        Scalar::FloatingPoint(value) => serde_json::Number::from_f64(value.into_inner())
            .map_or_else(|| Value::String(value.to_string()), Value::Number),
        Scalar::String(text) => Value::String(text.to_string()),
    }
}

/// A mapping key as the member's name: a string as it is, a number or a boolean as its text.
#[cfg(feature = "yaml")]
fn key_text(key: &MarkedYaml) -> Option<String> {
    match &key.data {
        YamlData::Value(Scalar::String(text)) => Some(text.to_string()),
        YamlData::Value(Scalar::Integer(value)) => Some(value.to_string()),
        YamlData::Value(Scalar::FloatingPoint(value)) => Some(value.to_string()),
        YamlData::Value(Scalar::Boolean(value)) => Some(value.to_string()),
        YamlData::Value(Scalar::Null) => Some("null".to_string()),
        YamlData::Representation(text, _, _) => Some(text.to_string()),
        YamlData::Tagged(_, inner) => key_text(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The node at `pointer` and its line and column, or why not.
    fn at_pointer(text: &str, pointer: &str) -> Option<(serde_json::Value, usize, usize)> {
        let (node, _, _) = read(text).ok()?;
        let found = node.pointer(pointer)?;
        Some((found.to_json(), found.place.line, found.place.column))
    }

    #[test]
    fn json_values_read_as_serde_json_reads_them_at_their_places() {
        let text = "{\n  \"a\": \"x\\u00e9\\/\\n\\ud83d\\ude00\",\n\t\"n\": 12345678901234567890,\n  \"f\": 1.5e3, \"t\": [true, null, {}],\n  \"é/~\": \"k\"\n}";
        let cases: &[(&str, serde_json::Value, usize, usize)] = &[
            ("/a", serde_json::json!("xé/\n😀"), 2, 8),
            ("/n", serde_json::json!(12345678901234567890u64), 3, 7),
            ("/f", serde_json::json!(1500.0), 4, 8),
            ("/t/0", serde_json::json!(true), 4, 21),
            ("/t/1", serde_json::json!(null), 4, 27),
            ("/t/2", serde_json::json!({}), 4, 33),
            ("/é~1~0", serde_json::json!("k"), 5, 10),
        ];
        for (pointer, value, line, column) in cases {
            assert_eq!(
                at_pointer(text, pointer),
                Some((value.clone(), *line, *column)),
                "{pointer}"
            );
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn yaml_values_are_typed_and_placed() {
        let text = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      responses:\n        200:\n          description: ok\n        '401': {description: \"no\"}\n      security: [{}]\n";
        let cases: &[(&str, serde_json::Value, usize, usize)] = &[
            ("/openapi", serde_json::json!("3.1.0"), 1, 10),
            (
                "/paths/~1a/get/responses/200/description",
                serde_json::json!("ok"),
                7,
                24,
            ),
            (
                "/paths/~1a/get/responses/401/description",
                serde_json::json!("no"),
                8,
                30,
            ),
            ("/paths/~1a/get/security/0", serde_json::json!({}), 9, 18),
        ];
        for (pointer, value, line, column) in cases {
            assert_eq!(
                at_pointer(text, pointer),
                Some((value.clone(), *line, *column)),
                "{pointer}"
            );
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn keys_keep_their_places_and_duplicates_are_named() {
        let (node, syntax, problems) = read("{\"a\": 1, \"b\": 2, \"a\": 3}").expect("JSON");
        assert_eq!(syntax, Syntax::Json);
        assert_eq!(node.member("b").map(|member| member.at.column), Some(10));
        assert_eq!(node.get("a").map(Node::to_json), Some(serde_json::json!(1)));
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (1, 18));
        // YAML refuses a duplicate key itself; `200` and `'200'` are one member of a spec.
        let (_, _, problems) = read("r:\n  200: a\n  '200': b\n").expect("YAML");
        assert_eq!(
            problems
                .iter()
                .map(|p| (p.line, p.column))
                .collect::<Vec<_>>(),
            [(3, 3)]
        );
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn unreadable_texts_are_refused_at_their_place() {
        let cases = [
            // Not JSON, and not YAML either: the JSON error is the one shown.
            ("{\"a\": ]", 1, 7),
            ("a: [1, 2\nb: 3\n", 2, 2),
            ("", 1, 1),
            ("a: 1\na: 2\n", 2, 1),
        ];
        for (text, line, column) in cases {
            let error = read(text).err();
            assert_eq!(
                error.as_ref().map(|error| (error.line, error.column)),
                Some((line, column)),
                "{text:?}: {error:?}"
            );
        }
    }

    #[cfg(feature = "yaml")]
    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        for text in [
            "[".repeat(100_000),
            "{\"a\":".repeat(10_000),
            "- ".repeat(5_000),
        ] {
            assert!(read(&text).is_err(), "{}", &text[..10]);
        }
    }
}
