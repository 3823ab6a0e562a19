//! Text helpers every part of the engine shares: the byte classes of RFC 9110, percent
//! decoding, positions in a text, shortening. A leaf: it imports nothing from the crate, so any module may
//! use it without making a cycle.

/// `tchar` of RFC 9110 §5.6.2: the bytes allowed in a method, a header name or a scheme.
pub fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The bytes of a token68 before its trailing `=` padding (RFC 9110 §11.2).
pub fn is_token68_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"-._~+/".contains(&byte)
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`, as in a query string).
/// On failure, returns the byte offset of the bad escape and what is wrong with it.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Result<String, (usize, String)> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'%' => {
                let high = bytes.get(index + 1).and_then(|digit| hex_value(*digit));
                let low = bytes.get(index + 2).and_then(|digit| hex_value(*digit));
                let (Some(high), Some(low)) = (high, low) else {
                    return Err((
                        index,
                        "a % must be followed by two hexadecimal digits".to_string(),
                    ));
                };
                decoded.push(high * 16 + low);
                index += 3;
            }
            b'+' if plus_is_space => {
                decoded.push(b' ');
                index += 1;
            }
            _ => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| (0, "the percent-decoded text is not UTF-8".to_string()))
}

/// The 1-based line and column (in characters) of a byte offset in `raw`.
pub fn line_column(raw: &str, offset: usize) -> (usize, usize) {
    let bytes = raw.as_bytes();
    let before = bytes.get(..offset.min(bytes.len())).unwrap_or(bytes);
    let line = before.iter().filter(|byte| **byte == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|byte| *byte == b'\n')
        .map_or(0, |index| index + 1);
    let column = before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|byte| (**byte & 0xC0) != 0x80)
        .count()
        + 1;
    (line, column)
}

/// `token68` of RFC 9110 §11.2 (= `b64token` of RFC 6750 §2.1): token68 bytes, then any `=`.
pub fn is_token68(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    !body.is_empty() && body.bytes().all(is_token68_byte)
}

/// `text` when it has at most `max_chars` characters; otherwise cut to `max_chars` characters
/// that end with `...` (the three dots even when `max_chars` is under 3). Input-derived values
/// can be 64 KiB long, and a trace line, a header or a label on the page should stay readable.
/// The mark is ASCII because the engine puts shortened text in header values (RFC 9110 §5.5).
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some(_) => {
            let keep: String = text.chars().take(max_chars.saturating_sub(3)).collect();
            format!("{keep}...")
        }
    }
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::shorten;

    #[test]
    fn shorten_keeps_short_texts_and_cuts_long_ones_to_the_limit() {
        let cases = [
            ("", 5, ""),
            ("abcde", 5, "abcde"),
            ("abcdef", 5, "ab..."),
            ("ééééééé", 6, "ééé..."),
            ("abcdef", 2, "..."),
        ];
        for (text, max_chars, expected) in cases {
            assert_eq!(
                shorten(text, max_chars),
                expected,
                "{text:?} to {max_chars}"
            );
        }
    }
}
