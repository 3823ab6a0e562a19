//! String literals in the five source languages the snippets are written in. Every literal is
//! plain ASCII: a character outside printable ASCII is written as an escape, so the file means the
//! same bytes whatever encoding an editor or compiler assumes, and no invisible character (a
//! bidirectional control, a zero-width space) hides in the source.

use std::fmt::Write;

/// A language whose string literals a snippet needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Python,
    JavaScript,
    Go,
    Java,
    CSharp,
}

/// `text` as a string literal of `language`, quotes included. Python and JavaScript take single
/// quotes when the text has double quotes and no single ones (a JSON body reads as itself); Go
/// takes a raw `` `…` `` literal when the text is printable ASCII without a backquote.
pub fn string(language: Language, text: &str) -> String {
    let quote = match language {
        Language::Python | Language::JavaScript if text.contains('"') && !text.contains('\'') => {
            '\''
        }
        Language::Go if text.bytes().all(|byte| is_printable(byte) && byte != b'`') => {
            return format!("`{text}`");
        }
        _ => '"',
    };
    let mut literal = String::with_capacity(text.len() + 2);
    literal.push(quote);
    for character in text.chars() {
        escape(language, quote, character, &mut literal);
    }
    literal.push(quote);
    literal
}

/// A header value as a literal whose characters are the value's UTF-8 bytes, one character per
/// byte: servers that write header values as Latin-1 (Werkzeug, Starlette, Django, Node.js,
/// Tomcat) then send exactly those bytes. For ASCII values this is [`string`].
pub fn latin1_bytes(language: Language, value: &str) -> String {
    let bytes: String = value.bytes().map(char::from).collect();
    string(language, &bytes)
}

/// Printable ASCII: a space up to `~`.
fn is_printable(byte: u8) -> bool {
    (0x20..0x7f).contains(&byte)
}

fn escape(language: Language, quote: char, character: char, out: &mut String) {
    match character {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ if character == quote => {
            out.push('\\');
            out.push(quote);
        }
        ' '..='~' => out.push(character),
        _ => escape_code(language, character, out),
    }
}

/// A control or non-ASCII character as the language's numeric escape. Writing to a `String`
/// cannot fail.
fn escape_code(language: Language, character: char, out: &mut String) {
    let code = u32::from(character);
    let _ = match language {
        Language::Python | Language::JavaScript | Language::Go if code < 0x80 => {
            write!(out, "\\x{code:02x}")
        }
        // Python's \xNN is the character U+00NN, as a byte of the Latin-1 header trick wants.
        Language::Python | Language::JavaScript if code <= 0xff => write!(out, "\\x{code:02x}"),
        Language::Python | Language::Go if code > 0xffff => write!(out, "\\U{code:08x}"),
        Language::JavaScript if code > 0xffff => write!(out, "\\u{{{code:x}}}"),
        // Java turns \uNNNN into a character before it reads the source, so a line break written
        // that way would end the literal: controls are octal escapes, which it reads in place.
        Language::Java if code < 0x80 => write!(out, "\\{code:03o}"),
        Language::Python | Language::JavaScript | Language::Go => write!(out, "\\u{code:04x}"),
        // Java and C# strings are UTF-16: a character past U+FFFF is its surrogate pair.
        Language::Java | Language::CSharp => {
            let mut units = [0u16; 2];
            for unit in character.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
            Ok(())
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "say \"hi\" \\ it's\r\n</script>\t\u{1}\u{7f}é☃😀";

    #[test]
    fn each_language_escapes_what_its_literals_reserve() {
        let cases = [
            (
                Language::Python,
                r#""say \"hi\" \\ it's\r\n</script>\t\x01\x7f\xe9\u2603\U0001f600""#,
            ),
            (
                Language::JavaScript,
                r#""say \"hi\" \\ it's\r\n</script>\t\x01\x7f\xe9\u2603\u{1f600}""#,
            ),
            (
                Language::Go,
                r#""say \"hi\" \\ it's\r\n</script>\t\x01\x7f\u00e9\u2603\U0001f600""#,
            ),
            (
                Language::Java,
                r#""say \"hi\" \\ it's\r\n</script>\t\001\177\u00e9\u2603\ud83d\ude00""#,
            ),
            (
                Language::CSharp,
                r#""say \"hi\" \\ it's\r\n</script>\t\u0001\u007f\u00e9\u2603\ud83d\ude00""#,
            ),
        ];
        for (language, expected) in cases {
            assert_eq!(string(language, HOSTILE), expected, "{language:?}");
        }
    }

    #[test]
    fn json_reads_as_itself_where_the_language_allows() {
        let json = r#"{"detail":"no"}"#;
        assert_eq!(string(Language::Python, json), r#"'{"detail":"no"}'"#);
        assert_eq!(string(Language::JavaScript, json), r#"'{"detail":"no"}'"#);
        assert_eq!(string(Language::Go, json), r#"`{"detail":"no"}`"#);
        assert_eq!(string(Language::Java, json), r#""{\"detail\":\"no\"}""#);
        // Both quotes: double quotes, escaped.
        assert_eq!(string(Language::Python, "a\"b'c"), r#""a\"b'c""#);
        // A backquote or a line break rules out Go's raw literal.
        assert_eq!(string(Language::Go, "a`b"), r#""a`b""#);
        assert_eq!(string(Language::Go, "a\nb"), r#""a\nb""#);
    }

    #[test]
    fn every_literal_is_printable_ascii() {
        for language in [
            Language::Python,
            Language::JavaScript,
            Language::Go,
            Language::Java,
            Language::CSharp,
        ] {
            let literal = string(language, HOSTILE);
            assert!(literal.bytes().all(is_printable), "{language:?}: {literal}");
        }
    }

    #[test]
    fn header_values_become_their_utf8_bytes_one_character_each() {
        assert_eq!(
            latin1_bytes(Language::Python, "Basic realm=\"Zürich\""),
            r#"'Basic realm="Z\xc3\xbcrich"'"#
        );
        assert_eq!(latin1_bytes(Language::Java, "é"), r#""\u00c3\u00a9""#);
        assert_eq!(latin1_bytes(Language::JavaScript, "plain"), "\"plain\"");
    }
}
