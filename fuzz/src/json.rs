//! What the `json` fuzz target does with its input, shared with `crates/engine/tests/json.rs`
//! (which includes this file), so a finding replays there exactly as the fuzzer ran it.
//!
//! The engine's JSON module is held to serde_json, the reference it replaces: both must accept
//! and refuse the same bytes (but for numbers at the very edge of f64's range) and read the same
//! value; what the module writes must read back as that value in both; and written from
//! serde_json's own output, it must be the same bytes.

use authpath_engine::json::{self, Number, Value};

/// How far (in units in the last place) serde_json's reading of a number may be from the exact
/// one. Without its `float_roundtrip` feature serde_json rounds more than once, so it is
/// sometimes a place or two off (`2.2250738585072011e-308`), while the module reads exactly.
pub const FLOAT_ULPS: u64 = 4;

/// Reads `data` with the module and with serde_json; an error names the disagreement.
pub fn json_input(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    quotes_like_serde_json(&text)?;
    let (ours, theirs) = match (
        json::parse_bytes(data),
        serde_json::from_slice::<serde_json::Value>(data),
    ) {
        (Ok(ours), Ok(theirs)) => (ours, theirs),
        (Err(error), Err(_)) => return error_is_inside(&error, &text),
        // At the edge of f64's range serde_json's inexact scaling and the module's exact
        // rounding may disagree on overflow; the module's answer is the correct one.
        _ if near_the_largest_f64(&text) => return Ok(()),
        (Ok(ours), Err(error)) => {
            return Err(format!(
                "accepted as {ours}, but serde_json refuses it: {error}"
            ))
        }
        (Err(error), Ok(theirs)) => {
            return Err(format!("refused ({error}), but serde_json reads {theirs}"))
        }
    };
    same(&ours, &theirs)?;
    reads_back(&ours, &theirs)?;
    writes_like_serde_json(&theirs)
}

/// Whether `text` holds a number within a millionth of `f64::MAX` or beyond it, where
/// serde_json, which scales by powers of ten without `float_roundtrip`, may overflow early or
/// round down to `f64::MAX` a number the module, rounding exactly, refuses.
pub fn near_the_largest_f64(text: &str) -> bool {
    text.split(|c: char| !matches!(c, '0'..='9' | '.' | 'e' | 'E' | '+' | '-'))
        .filter_map(|word| word.parse::<f64>().ok())
        .any(|number| number.abs() >= f64::MAX * (1.0 - 1e-6))
}

/// `json::quote(text)` must be `serde_json::to_string(text)`.
pub fn quotes_like_serde_json(text: &str) -> Result<(), String> {
    let expected = serde_json::to_string(text).map_err(|error| error.to_string())?;
    let quoted = json::quote(text);
    if quoted != expected {
        return Err(format!(
            "{text:?} quotes as {quoted}, serde_json as {expected}"
        ));
    }
    Ok(())
}

/// Whether the two readings are the same value: the same members (the module keeps the
/// last of a repeated name, as serde_json does), the same strings, the same numbers.
pub fn same(ours: &Value, theirs: &serde_json::Value) -> Result<(), String> {
    use serde_json::Value as Reference;
    let equal = match (ours, theirs) {
        (Value::Null, Reference::Null) => true,
        (Value::Bool(ours), Reference::Bool(theirs)) => ours == theirs,
        (Value::String(ours), Reference::String(theirs)) => ours == theirs,
        (Value::Number(ours), Reference::Number(theirs)) => return same_number(ours, theirs),
        (Value::Array(ours), Reference::Array(theirs)) => {
            if ours.len() != theirs.len() {
                false
            } else {
                for (ours, theirs) in ours.iter().zip(theirs) {
                    same(ours, theirs)?;
                }
                true
            }
        }
        (Value::Object(ours), Reference::Object(theirs)) => {
            if ours.len() != theirs.len() {
                false
            } else {
                for (name, value) in ours {
                    let Some(reference) = theirs.get(name) else {
                        return Err(format!(
                            "member {name:?} is missing from serde_json's {theirs:?}"
                        ));
                    };
                    same(value, reference)?;
                }
                true
            }
        }
        _ => false,
    };
    if !equal {
        return Err(format!("read as {ours}, serde_json reads {theirs}"));
    }
    // The accessors the engine reads claims with must answer as serde_json's do.
    let accessors = (ours.is_string(), ours.is_u64(), ours.as_str());
    if accessors != (theirs.is_string(), theirs.is_u64(), theirs.as_str()) {
        return Err(format!("the accessors of {ours} differ from serde_json's"));
    }
    Ok(())
}

fn same_number(ours: &Number, theirs: &serde_json::Number) -> Result<(), String> {
    if ours.as_u64() != theirs.as_u64() {
        return Err(format!(
            "{ours} as u64 is {:?}, in serde_json {:?}",
            ours.as_u64(),
            theirs.as_u64()
        ));
    }
    let exact = ours.to_string().parse::<f64>().ok();
    if ours.as_f64() != exact {
        return Err(format!(
            "{ours} as f64 is {:?}, not the nearest f64 {exact:?}",
            ours.as_f64()
        ));
    }
    match (ours.as_f64(), theirs.as_f64()) {
        (Some(value), Some(reference)) if ulps(value, reference) <= FLOAT_ULPS => Ok(()),
        (value, reference) => Err(format!(
            "{ours} as f64 is {value:?}, in serde_json {reference:?}"
        )),
    }
}

/// How many representable f64 lie between `a` and `b` (zero for -0 and 0).
pub fn ulps(a: f64, b: f64) -> u64 {
    // Maps the bits to integers in the order of the values they stand for.
    fn ordered(value: f64) -> i128 {
        let bits = value.to_bits();
        let magnitude = i128::from(bits & !(1 << 63));
        if bits >> 63 == 1 {
            -magnitude
        } else {
            magnitude
        }
    }
    u64::try_from(ordered(a).abs_diff(ordered(b))).unwrap_or(u64::MAX)
}

/// What the module writes, compact and indented, must read back as the same value in both.
fn reads_back(ours: &Value, theirs: &serde_json::Value) -> Result<(), String> {
    for (form, written) in [
        ("compact", ours.to_string()),
        ("pretty", json::to_pretty(ours)),
    ] {
        match serde_json::from_str::<serde_json::Value>(&written) {
            Ok(read) if read == *theirs => {}
            read => {
                return Err(format!(
                    "the {form} text {written} reads in serde_json as {read:?}, not {theirs}"
                ))
            }
        }
        match json::parse(&written) {
            Ok(read) if read == *ours => {}
            read => return Err(format!("the {form} text {written} reads back as {read:?}")),
        }
    }
    Ok(())
}

/// serde_json's output (members sorted, numbers in its own form) read by the module must be
/// written back byte for byte, compact and indented.
fn writes_like_serde_json(theirs: &serde_json::Value) -> Result<(), String> {
    let compact = serde_json::to_string(theirs).map_err(|error| error.to_string())?;
    let pretty = serde_json::to_string_pretty(theirs).map_err(|error| error.to_string())?;
    let read = json::parse(&compact)
        .map_err(|error| format!("serde_json's {compact} does not read: {error}"))?;
    let written = read.to_string();
    if written != compact {
        return Err(format!("serde_json writes {compact}, the module {written}"));
    }
    let written = json::to_pretty(&read);
    if written != pretty {
        return Err(format!(
            "serde_json writes indented\n{pretty}\nthe module\n{written}"
        ));
    }
    Ok(())
}

/// An error must point at a character of `text` or just past the end of its line, 1-based.
fn error_is_inside(error: &json::Error, text: &str) -> Result<(), String> {
    let line = error
        .line
        .checked_sub(1)
        .and_then(|index| text.split('\n').nth(index));
    match line {
        Some(line) if (1..=line.chars().count() + 1).contains(&error.column) => Ok(()),
        _ => Err(format!("the error `{error}` is outside {text:?}")),
    }
}
