//! The engine's JSON module against serde_json, the reference it replaces: the same texts
//! accepted and refused (RFC 8259 plus serde_json's depth limit and number range), the same
//! values read, and the same bytes written. The check itself is the `json` fuzz target's
//! (`fuzz/src/json.rs`), so a fuzzer finding replays here as one more table line.

#[path = "../../../fuzz/src/json.rs"]
mod differential;

use std::collections::BTreeMap;

use authpath_engine::json::{self, Map, Value};
use proptest::prelude::*;

/// Runs the differential check on `input`; returns whether serde_json accepts it.
fn agree(what: &str, input: &[u8]) -> bool {
    if let Err(problem) = differential::json_input(input) {
        panic!("{what}: {problem}");
    }
    serde_json::from_slice::<serde_json::Value>(input).is_ok()
}

/// One line per case: what it tests, the text, whether it is JSON.
fn check(cases: &[(&str, &str, bool)]) {
    for (what, text, accepted) in cases {
        assert_eq!(agree(what, text.as_bytes()), *accepted, "{what}: {text:?}");
    }
}

#[test]
fn escapes() {
    check(&[
        ("quote", r#""\"""#, true),
        ("backslash", r#""\\""#, true),
        ("solidus", r#""\/""#, true),
        ("backspace", r#""\b""#, true),
        ("form feed", r#""\f""#, true),
        ("line feed", r#""\n""#, true),
        ("carriage return", r#""\r""#, true),
        ("tab", r#""\t""#, true),
        ("all of them", r#""a\"\\\/\b\f\n\r\tz""#, true),
        ("\\u, upper-case hex", r#""\u00E9\u0041""#, true),
        ("\\u, lower-case hex", r#""\u00e9""#, true),
        ("\\u0000", r#""\u0000""#, true),
        ("surrogate pair", r#""\uD83D\uDE00""#, true),
        ("surrogate pair, lower case", r#""\ud83d\ude00""#, true),
        ("last surrogate pair", r#""\uDBFF\uDFFF""#, true),
        ("lone high surrogate at the end", r#""\uD800""#, false),
        ("high surrogate then a letter", r#""\uD800x""#, false),
        (
            "high surrogate then a non-surrogate escape",
            r#""\uD800\u0041""#,
            false,
        ),
        ("two high surrogates", r#""\uD800\uD800""#, false),
        ("high surrogate then another escape", r#""\uD800\n""#, false),
        ("lone low surrogate", r#""\uDC00""#, false),
        ("low then high surrogate", r#""\uDC00\uD800""#, false),
        ("three hex digits", r#""\u12""#, false),
        ("a non-hex digit", r#""\u12G4""#, false),
        ("\\u at the end", r#""\u"#, false),
        ("upper-case \\U", r#""\U0041""#, false),
        ("\\x", r#""\x41""#, false),
        ("\\'", r#""\'""#, false),
        ("backslash at the end", "\"\\", false),
        ("unterminated", "\"abc", false),
        ("raw NUL", "\"\u{0}\"", false),
        ("raw tab", "\"\t\"", false),
        ("raw line feed", "\"\n\"", false),
        ("raw U+001F", "\"\u{1f}\"", false),
        ("raw DEL is allowed", "\"\u{7f}\"", true),
        ("raw non-ASCII", "\"é😀\u{2028}\u{feff}\"", true),
        ("escape in a member name", r#"{"\u0061\n":1}"#, true),
        ("lone surrogate in a member name", r#"{"\uDFFF":1}"#, false),
    ]);
}

#[test]
fn numbers() {
    check(&[
        ("zero", "0", true),
        ("minus zero", "-0", true),
        ("fraction and exponent", "1.5e-3", true),
        ("upper-case E and plus", "1E+2", true),
        ("exponent with leading zeros", "1e007", true),
        ("minus zero exponent", "1E-0", true),
        ("negative", "-1", true),
        ("u64::MAX", "18446744073709551615", true),
        ("u64::MAX + 1", "18446744073709551616", true),
        ("i64::MIN - 1", "-9223372036854775809", true),
        ("300 digits", &"9".repeat(300), true),
        ("underflow to zero", "1e-400", true),
        ("zero with a huge exponent", "0e999999999999999999", true),
        ("largest f64", "1.7976931348623157e308", true),
        ("smallest subnormal", "5e-324", true),
        ("leading zero", "01", false),
        ("negative leading zero", "-01", false),
        ("two zeros", "00", false),
        ("point without digits", "1.", false),
        ("point before the exponent", "1.e5", false),
        ("no integer part", ".5", false),
        ("minus alone", "-", false),
        ("two minus signs", "--1", false),
        ("plus sign", "+1", false),
        ("exponent without digits", "1e", false),
        ("signed exponent without digits", "1e+", false),
        ("overflow", "1e400", false),
        ("negative overflow", "-1e400", false),
        ("overflow by digits", &"9".repeat(400), false),
        ("huge exponent", "1e99999999999999999999", false),
        ("hex", "0x10", false),
        ("underscore", "1_000", false),
        ("NaN", "NaN", false),
        ("Infinity", "Infinity", false),
        ("-Infinity", "-Infinity", false),
        ("minus then space", "- 1", false),
        ("number then letter", "1a", false),
    ]);
}

/// serde_json refuses the 128th level of arrays or objects: 127 are the most it reads.
#[test]
fn nesting_depth() {
    let arrays = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let objects = |depth: usize| format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
    let mixed = |depth: usize| {
        let open: String = (0..depth)
            .map(|level| if level % 2 == 0 { "[" } else { r#"{"a":"# })
            .collect();
        let close: String = (0..depth)
            .rev()
            .map(|level| if level % 2 == 0 { "]" } else { "}" })
            .collect();
        format!("{open}{close}")
    };
    let too_deep = "[".repeat(100_000);
    check(&[
        ("arrays 127 deep", &arrays(127), true),
        ("arrays 128 deep", &arrays(128), false),
        ("arrays 129 deep", &arrays(129), false),
        ("objects 127 deep", &objects(127), true),
        ("objects 128 deep", &objects(128), false),
        ("objects 129 deep", &objects(129), false),
        ("mixed 127 deep", &mixed(127), true),
        ("mixed 128 deep", &mixed(128), false),
        ("100 000 open brackets", &too_deep, false),
        (
            "127 deep, then a sibling",
            &format!("[{},1]", arrays(126)),
            true,
        ),
    ]);
}

#[test]
fn structure_and_trailing_text() {
    check(&[
        ("empty input", "", false),
        ("only whitespace", " \t\n\r", false),
        ("literals", "[null,true,false]", true),
        ("literal cut short", "nul", false),
        ("literal in capitals", "True", false),
        ("literal then letters", "truex", false),
        ("empty containers", r#"{"a":[],"b":{}}"#, true),
        ("two values", "1 2", false),
        ("two strings", r#""a""b""#, false),
        ("trailing letter", "{} x", false),
        ("trailing bracket", "[]]", false),
        ("trailing comma after the value", "null,", false),
        ("trailing NUL", "{}\u{0}", false),
        ("trailing newline", "{}\n", true),
        ("trailing comma in an array", "[1,]", false),
        ("leading comma in an array", "[,1]", false),
        ("double comma", "[1,,2]", false),
        ("missing comma", "[1 2]", false),
        ("trailing comma in an object", r#"{"a":1,}"#, false),
        ("bare member name", "{a:1}", false),
        ("single-quoted name", "{'a':1}", false),
        ("number as a name", "{1:2}", false),
        ("missing colon", r#"{"a" 1}"#, false),
        ("missing value", r#"{"a":}"#, false),
        ("missing comma between members", r#"{"a":1 "b":2}"#, false),
        ("unclosed array", "[", false),
        ("unclosed object", "{", false),
        ("unclosed object after a member", r#"{"a":1"#, false),
        ("closing bracket alone", "]", false),
        ("mismatched brackets", "[}", false),
        ("block comment", "/* c */ 1", false),
        ("line comment", "// c\n1", false),
        ("byte order mark before", "\u{feff}{}", false),
        ("byte order mark after", "{}\u{feff}", false),
    ]);
}

/// JSON whitespace is space, tab, line feed and carriage return (RFC 8259 §2), nothing else.
#[test]
fn whitespace() {
    check(&[
        (
            "all four kinds everywhere",
            " \t\n\r[ \t\n\r1 \t\n\r, {\r\"a\"\t:\n2 } ] \t\n\r",
            true,
        ),
        ("no-break space before", "\u{a0}1", false),
        ("no-break space after", "1\u{a0}", false),
        ("form feed before", "\u{c}1", false),
        ("form feed inside", "[1,\u{c}2]", false),
        ("vertical tab", "\u{b}1", false),
        ("line separator", "\u{2028}1", false),
        ("NUL", "\u{0}1", false),
        ("ideographic space", "\u{3000}1", false),
    ]);
}

#[test]
fn invalid_utf8_is_refused() {
    let cases: &[(&str, &[u8], bool)] = &[
        ("0xFF in a string", b"\"\xff\"", false),
        ("bad continuation", b"\"\xc3\x28\"", false),
        ("encoded surrogate", b"\"\xed\xa0\x80\"", false),
        ("above U+10FFFF", b"\"\xf4\x90\x80\x80\"", false),
        ("overlong slash", b"\"\xc0\xaf\"", false),
        ("cut-off sequence", b"\"\xe2\x82\"", false),
        ("cut-off at the end", b"\"\xe2\x82", false),
        ("0xFF alone", b"\xff", false),
        ("0xFF after the value", b"[1]\xff", false),
        ("0xFF as a member name", b"{\xff:1}", false),
        (
            "valid two, three and four bytes",
            "\"é€😀\"".as_bytes(),
            true,
        ),
    ];
    for (what, bytes, accepted) in cases {
        assert_eq!(agree(what, bytes), *accepted, "{what}: {bytes:?}");
    }
}

#[test]
fn repeated_members_keep_the_last_value_in_the_first_place() {
    let cases: &[(&str, &str, &str)] = &[
        ("two", r#"{"a":1,"a":2}"#, r#"{"a":2}"#),
        (
            "first place kept",
            r#"{"a":1,"b":2,"a":3}"#,
            r#"{"a":3,"b":2}"#,
        ),
        (
            "different kinds",
            r#"{"a":{"x":1},"a":[true]}"#,
            r#"{"a":[true]}"#,
        ),
        ("same name by escape", r#"{"a":1,"\u0061":2}"#, r#"{"a":2}"#),
        (
            "in a nested object",
            r#"[{"b":1,"a":0,"b":null}]"#,
            r#"[{"b":null,"a":0}]"#,
        ),
    ];
    for (what, text, written) in cases {
        assert!(agree(what, text.as_bytes()), "{what}");
        let value = json::parse(text).map_err(|error| error.to_string());
        assert_eq!(
            value.map(|value| value.to_string()).as_deref(),
            Ok(*written),
            "{what}"
        );
    }
    let value = json::parse(r#"{"a":1,"b":2,"a":3}"#).unwrap_or(Value::Null);
    assert_eq!(value.get("a").and_then(Value::as_u64), Some(3));
    assert_eq!(value.as_object().map(Map::len), Some(2));
}

/// The accessors the token reader uses: a `u64` only for a plain whole number in range.
#[test]
fn number_accessors_agree_with_serde_json() {
    let cases: &[(&str, Option<u64>, Option<f64>)] = &[
        ("0", Some(0), Some(0.0)),
        ("-0", None, Some(-0.0)),
        ("1.5e-3", None, Some(0.0015)),
        ("1E+2", None, Some(100.0)),
        ("1.0", None, Some(1.0)),
        ("-1", None, Some(-1.0)),
        ("0.1", None, Some(0.1)),
        ("1767229200", Some(1_767_229_200), Some(1_767_229_200.0)),
        (
            "9007199254740993",
            Some(9_007_199_254_740_993),
            Some(9_007_199_254_740_992.0),
        ),
        (
            "18446744073709551615",
            Some(u64::MAX),
            Some(18_446_744_073_709_551_615.0),
        ),
        (
            "18446744073709551616",
            None,
            Some(18_446_744_073_709_551_616.0),
        ),
        ("1e-400", None, Some(0.0)),
        ("-1e-400", None, Some(-0.0)),
        ("1.7976931348623157e308", None, Some(f64::MAX)),
        ("\"1\"", None, None),
        ("null", None, None),
        ("true", None, None),
        ("[1]", None, None),
    ];
    let bits = |value: Option<f64>| value.map(f64::to_bits);
    for (text, as_u64, as_f64) in cases {
        assert!(agree(text, text.as_bytes()), "{text}");
        let ours = json::parse(text).unwrap_or(Value::Bool(false));
        let theirs = serde_json::from_str::<serde_json::Value>(text).unwrap_or_default();
        assert_eq!(
            (ours.as_u64(), theirs.as_u64()),
            (*as_u64, *as_u64),
            "{text}"
        );
        assert_eq!(
            (ours.is_u64(), theirs.is_u64()),
            (as_u64.is_some(), as_u64.is_some()),
            "{text}"
        );
        assert_eq!(
            (bits(ours.as_f64()), bits(theirs.as_f64())),
            (bits(*as_f64), bits(*as_f64)),
            "{text}"
        );
    }
}

/// serde_json (without `float_roundtrip`) rounds these a place off; the module reads them
/// exactly, and the differential check allows serde_json `FLOAT_ULPS` places of slack.
#[test]
fn numbers_serde_json_rounds_inexactly_are_read_exactly() {
    let cases: &[(&str, f64)] = &[
        (
            "2.2250738585072011e-308",
            f64::from_bits(0x000F_FFFF_FFFF_FFFF),
        ),
        (
            "1.2345678901234567e-300",
            f64::from_bits(120_036_974_821_017_864),
        ),
    ];
    for (text, exact) in cases {
        assert!(agree(text, text.as_bytes()), "{text}");
        let ours = json::parse(text).ok().and_then(|value| value.as_f64());
        assert_eq!(ours.map(f64::to_bits), Some(exact.to_bits()), "{text}");
        let theirs = serde_json::from_str::<serde_json::Value>(text).ok();
        let theirs = theirs.and_then(|value| value.as_f64()).unwrap_or(f64::NAN);
        assert_eq!(differential::ulps(*exact, theirs), 1, "{text}");
    }
}

/// Texts around `f64::MAX`: the module refuses a number exactly when its nearest f64 is
/// infinite, i.e. from MAX + half a place up. (serde_json, which scales by powers of ten, may
/// overflow a little below that bound or round down to MAX above it; the differential check
/// leaves this band out, see `near_the_largest_f64`.)
#[test]
fn numbers_are_refused_exactly_when_they_round_to_infinity() {
    // 2^1024 - 2^970, half a place above f64::MAX, begins 17976931348623158079372…
    let digits_just_below_half = format!("17976931348623158079{}", "0".repeat(289));
    let cases: &[(&str, bool)] = &[
        ("1.7976931348623157e308", true),
        ("1.79769313486231566237396e308", true),
        ("179769313486231566237396e285", true),
        ("1.7976931348623158e308", true),
        ("1.797693134862315807e308", true),
        (&digits_just_below_half, true),
        ("-1.797693134862315807e308", true),
        ("1.79769313486231583e308", false),
        ("1.797693134862315808e308", false),
        ("-1.797693134862315808e308", false),
    ];
    for (text, accepted) in cases {
        let read = json::parse(text);
        assert_eq!(read.is_ok(), *accepted, "{text}: {read:?}");
        if let Ok(value) = read {
            assert_eq!(value.as_f64().map(f64::abs), Some(f64::MAX), "{text}");
        }
        assert!(differential::near_the_largest_f64(text), "{text}");
    }
    assert!(!differential::near_the_largest_f64("[1e307, 1.7e308]"));
}

/// Where an error points: 1-based line and column (in characters) of the offending character.
#[test]
fn errors_point_at_the_offending_character() {
    let cases: &[(&str, &[u8], (usize, usize))] = &[
        ("unexpected letter", b"{\n  \"a\": x}", (2, 8)),
        ("double comma", b"[1, 2,, 3]", (1, 7)),
        ("columns count characters", "[\"é\", ü]".as_bytes(), (1, 7)),
        ("raw control character", "\"é\u{1}\"".as_bytes(), (1, 3)),
        ("unknown escape", b"\"\\q\"", (1, 3)),
        ("leading zero", b"[\n 01]", (2, 3)),
        ("number out of range", b"[\n 1e400]", (2, 2)),
        ("trailing text", b"[1]\n\n  x", (3, 3)),
        ("CR LF ends a line", b"[\r\n x]", (2, 2)),
        ("invalid UTF-8", b"[\"a\",\n \"\xff\"]", (2, 3)),
        ("empty input", b"", (1, 1)),
        ("end of text", b"[1,", (1, 4)),
        ("byte order mark", "\u{feff}1".as_bytes(), (1, 1)),
    ];
    for (what, input, (line, column)) in cases {
        assert!(!agree(what, input), "{what}");
        let error = json::parse_bytes(input).err();
        let position = error.as_ref().map(|error| (error.line, error.column));
        assert_eq!(position, Some((*line, *column)), "{what}: {error:?}");
    }
    let error = json::parse("{\n  \"a\": x}")
        .err()
        .map(|error| error.to_string());
    assert!(
        error
            .as_deref()
            .is_some_and(|text| text.ends_with("at line 2 column 8")),
        "{error:?}"
    );
}

/// Whitespace as RFC 8259 allows it, sometimes none.
fn space() -> impl Strategy<Value = String> {
    "[ \t\n\r]{0,2}"
}

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?(0|[1-9][0-9]{0,21})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
        any::<u64>().prop_map(|number| number.to_string()),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |number| number.is_finite())
            .prop_map(|number| format!("{number:e}")),
    ]
}

fn string_text() -> impl Strategy<Value = String> {
    // Valid pieces only, so the text stays JSON: mutations make the invalid ones.
    concat!(
        r#""("#,
        r#"[^"\\\x00-\x1f]"#,
        r#"|\\["\\/bfnrt]"#,
        // A \u escape outside the surrogates, or a surrogate pair.
        r#"|\\u([0-9a-cA-CefEF][0-9a-fA-F]{3}|[dD][0-7][0-9a-fA-F]{2})"#,
        r#"|\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}"#,
        r#"){0,8}""#,
    )
}

/// JSON text with random whitespace, escapes and number forms, nested a few levels.
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        number_text(),
        string_text(),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        let item = (space(), inner.clone(), space())
            .prop_map(|(before, value, after)| format!("{before}{value}{after}"));
        let member = (space(), string_text(), space(), space(), inner, space())
            .prop_map(|(a, name, b, c, value, d)| format!("{a}{name}{b}:{c}{value}{d}"));
        prop_oneof![
            (prop::collection::vec(item, 0..6), space())
                .prop_map(|(items, empty)| format!("[{}{empty}]", items.join(","))),
            (prop::collection::vec(member, 0..6), space())
                .prop_map(|(members, empty)| format!("{{{}{empty}}}", members.join(","))),
        ]
    })
}

/// Characters that matter to a JSON reader, and a few that must not pass for whitespace.
const NASTY: &[char] = &[
    '[', ']', '{', '}', '"', ',', ':', '\\', '/', '-', '+', '.', '0', '1', '9', 'e', 'E', 'u', 'd',
    '8', 'a', 'n', 't', 'f', 'l', ' ', '\t', '\n', '\r', '\0', '\u{1}', '\u{c}', '\u{7f}',
    '\u{a0}', '\u{feff}', 'é', '😀',
];

fn nasty_char() -> impl Strategy<Value = char> {
    prop::sample::select(NASTY)
}

/// JSON text with a few characters deleted, inserted or replaced.
fn mutated_text() -> impl Strategy<Value = String> {
    let edit = (any::<prop::sample::Index>(), 0..3u8, nasty_char());
    (json_text(), prop::collection::vec(edit, 1..4)).prop_map(|(text, edits)| {
        let mut chars: Vec<char> = text.chars().collect();
        for (index, kind, c) in edits {
            let at = index.index(chars.len() + 1);
            match kind {
                0 if at < chars.len() => {
                    chars.remove(at);
                }
                1 if at < chars.len() => chars[at] = c,
                _ => chars.insert(at, c),
            }
        }
        chars.into_iter().collect()
    })
}

fn garbage_text() -> impl Strategy<Value = String> {
    prop::collection::vec(nasty_char(), 0..40).prop_map(|chars| chars.into_iter().collect())
}

/// Valid JSON with one byte replaced, so UTF-8 breaks inside strings and out.
fn broken_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (json_text(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(text, index, byte)| {
            let mut bytes = text.into_bytes();
            let at = index.index(bytes.len() + 1);
            bytes.insert(at, byte);
            bytes
        }),
        prop::collection::vec(any::<u8>(), 0..64),
    ]
}

/// A string with more than its share of control characters, quotes, backslashes and
/// non-ASCII, or any string at all.
fn awkward_string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\x00-\\x1f\"\\\\/a\u{7f}\u{80}\u{a0}\u{2028}\u{2029}\u{feff}\u{fffd}é😀]{0,10}",
        any::<String>(),
    ]
}

/// A value built by hand, numbers in the form serde_json writes them (whole numbers, or f64 in
/// its shortest form) so the bytes can be compared; `sorted` puts members in name order, as
/// serde_json's map keeps them.
fn built_value(sorted: bool) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(|number| parsed(&number.to_string())),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |number| number.is_finite())
            .prop_map(|number| parsed(&serde_json::to_string(&number).unwrap_or_default())),
        awkward_string().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((awkward_string(), inner), 0..6).prop_map(move |members| {
                let members: Vec<(String, Value)> = if sorted {
                    members
                        .into_iter()
                        .collect::<BTreeMap<_, _>>()
                        .into_iter()
                        .collect()
                } else {
                    members
                };
                json::object(members)
            }),
        ]
    })
}

/// The module's reading of a number text serde_json wrote, or a string saying it failed (which
/// the byte comparison then catches).
fn parsed(text: &str) -> Value {
    json::parse(text).unwrap_or_else(|error| Value::from(format!("unreadable {text}: {error}")))
}

/// The same value as serde_json holds it: whole numbers as integers, others as the nearest f64
/// (not serde_json's own reading of the text, which can be a place off).
fn reference(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Bool(value) => serde_json::Value::Bool(*value),
        Value::Number(number) => {
            let text = number.to_string();
            if let Some(whole) = number.as_u64() {
                serde_json::Value::from(whole)
            } else if let Ok(whole) = text.parse::<i64>() {
                serde_json::Value::from(whole)
            } else {
                serde_json::Value::from(number.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(text) => serde_json::Value::String(text.clone()),
        Value::Array(items) => serde_json::Value::Array(items.iter().map(reference).collect()),
        Value::Object(members) => serde_json::Value::Object(
            members
                .iter()
                .map(|(name, value)| (name.clone(), reference(value)))
                .collect(),
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn json_ish_text_is_read_as_serde_json_reads_it(
        text in prop_oneof![json_text(), mutated_text(), garbage_text()],
    ) {
        prop_assert_eq!(differential::json_input(text.as_bytes()), Ok(()), "{:?}", text);
    }

    #[test]
    fn valid_json_text_is_accepted(text in json_text()) {
        // Numbers out of range aside, the generator writes only JSON.
        let out_of_range = serde_json::from_str::<serde_json::Value>(&text)
            .is_err_and(|error| error.to_string().contains("out of range"));
        prop_assume!(!out_of_range);
        prop_assert!(json::parse(&text).is_ok(), "{:?}", text);
        prop_assert_eq!(differential::json_input(text.as_bytes()), Ok(()), "{:?}", text);
    }

    #[test]
    fn arbitrary_bytes_are_read_as_serde_json_reads_them(bytes in broken_bytes()) {
        prop_assert_eq!(differential::json_input(&bytes), Ok(()), "{:?}", bytes);
    }

    #[test]
    fn sorted_values_are_written_byte_for_byte_as_serde_json_writes_them(
        value in built_value(true),
    ) {
        let theirs = reference(&value);
        prop_assert_eq!(value.to_string(), serde_json::to_string(&theirs).unwrap_or_default());
        prop_assert_eq!(
            json::to_pretty(&value),
            serde_json::to_string_pretty(&theirs).unwrap_or_default()
        );
    }

    #[test]
    fn values_in_any_member_order_read_back_as_written(value in built_value(false)) {
        for written in [value.to_string(), json::to_pretty(&value)] {
            prop_assert_eq!(json::parse(&written), Ok(value.clone()), "{}", written);
            let read = serde_json::from_str::<serde_json::Value>(&written)
                .map_err(|error| error.to_string())
                .and_then(|read| differential::same(&value, &read));
            prop_assert_eq!(read, Ok(()), "{}", written);
        }
    }

    #[test]
    fn strings_are_quoted_as_serde_json_quotes_them(text in awkward_string()) {
        prop_assert_eq!(json::quote(&text), serde_json::to_string(&text).unwrap_or_default());
        prop_assert_eq!(json::parse(&json::quote(&text)), Ok(Value::from(text)));
    }
}
