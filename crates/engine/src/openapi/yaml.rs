//! A JSON value written as YAML, with saphyr's emitter (the same crate reads YAML specs), so
//! `authpath openapi export --format yaml` writes what any YAML reader reads back to the same
//! value: strings that would read as another type are quoted.

use std::borrow::Cow;

use saphyr::{Mapping, Scalar, Yaml, YamlEmitter};
use serde_json::Value;

use super::Json;

/// `value` as a YAML document (`---` first, a line break last), objects in their order.
pub fn to_yaml(value: &Json) -> String {
    let yaml = nested_yaml(value);
    let mut text = String::new();
    let mut emitter = YamlEmitter::new(&mut text);
    emitter.multiline(true);
    // Writing to a String cannot fail; an empty text would show it.
    if emitter.dump(&yaml).is_err() {
        return String::new();
    }
    text.push('\n');
    text
}

fn nested_yaml(value: &Json) -> Yaml<'static> {
    match value {
        Json::Value(value) => convert(value),
        Json::Object(members) => {
            let mut mapping = Mapping::new();
            for (key, value) in members {
                mapping.insert(
                    Yaml::Value(Scalar::String(Cow::Owned(key.clone()))),
                    nested_yaml(value),
                );
            }
            Yaml::Mapping(mapping)
        }
    }
}

fn convert(value: &Value) -> Yaml<'static> {
    match value {
        Value::Null => Yaml::Value(Scalar::Null),
        Value::Bool(value) => Yaml::Value(Scalar::Boolean(*value)),
        Value::Number(number) => match (number.as_i64(), number.as_f64()) {
            (Some(integer), _) => Yaml::Value(Scalar::Integer(integer)),
            (None, Some(float)) => Yaml::Value(Scalar::FloatingPoint(float.into())),
            (None, None) => Yaml::Value(Scalar::String(Cow::Owned(number.to_string()))),
        },
        Value::String(text) => Yaml::Value(Scalar::String(Cow::Owned(text.clone()))),
        Value::Array(items) => Yaml::Sequence(items.iter().map(convert).collect()),
        Value::Object(members) => {
            let mut mapping = Mapping::new();
            for (key, value) in members {
                mapping.insert(
                    Yaml::Value(Scalar::String(Cow::Owned(key.clone()))),
                    convert(value),
                );
            }
            Yaml::Mapping(mapping)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What is written reads back (with authpath's own reader) to the same value.
    #[test]
    fn yaml_reads_back_to_the_same_value() {
        let values = [
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"responses": {"401": {"description": "no"}}}}}}),
            json!({"s": ["true", "null", "1.5", "0x1F", "", " lead", "a: b", "#c", "line\nbreak", "- x", "~", "é"]}),
            json!({"n": [1, -2, 1.5, 12345678901234567890u64, true, null], "e": {}, "l": []}),
            json!({"WWW-Authenticate": "Bearer realm=\"api\", error=\"invalid_token\""}),
        ];
        for value in values {
            let text = to_yaml(&Json::Value(value.clone()));
            let read = crate::openapi::tree::read(&text).map(|(node, _, _)| node.to_json());
            let expected = match value.pointer("/n/3") {
                // A u64 beyond i64 is written as a float.
                Some(_) => {
                    let mut value = value.clone();
                    value["n"][3] = json!(12345678901234567890u64 as f64);
                    value
                }
                None => value.clone(),
            };
            assert_eq!(read.ok(), Some(expected), "{text}");
        }
    }
}
