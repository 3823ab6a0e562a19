//! R15: every challenge parses.

use super::{is_error_text_char, Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R15: RFC 9110 §11.3 (the challenge grammar); RFC 6750 §3, the Bearer scheme "MUST be
/// followed by one or more auth-param values", and `error` / `error_description` "MUST NOT
/// include characters outside the set %x20-21 / %x23-5B / %x5D-7E" (scope: RFC 6749 §3.3).
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R15,
    id: "R15",
    severities: &[Severity::Error],
    title: "Every challenge parses",
    source: "RFC 9110 §11.3",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-11.3",
    explanation: "A client must be able to read every challenge; a bare `Bearer` says nothing, and error texts avoid `\"` and `\\`.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    for (value, parsed) in &context.authenticate {
        if let Some(error) = &parsed.error {
            findings.add(
                Severity::Error,
                format!(
                    "WWW-Authenticate: {value} does not parse: {} (at byte {}).",
                    error.message, error.offset
                ),
            );
        }
    }
    for (_, parsed) in &context.authenticate {
        // The challenge a parse error cut short is reported by the error above.
        let complete = match parsed.error {
            Some(_) => parsed.challenges.len().saturating_sub(1),
            None => parsed.challenges.len(),
        };
        let bare = parsed.challenges.iter().take(complete).filter(|challenge| {
            challenge.is("Bearer") && challenge.params.is_empty() && challenge.token68.is_none()
        });
        for _ in bare {
            findings.add(
                Severity::Error,
                "A bare `Bearer` challenge names neither realm nor error; Bearer must be followed by at least one parameter."
                    .to_string(),
            );
        }
    }
    for challenge in context
        .challenges()
        .filter(|challenge| challenge.is("Bearer"))
    {
        for param in &challenge.params {
            let allowed: fn(char) -> bool = match param.name.to_ascii_lowercase().as_str() {
                "error" | "error_description" => is_error_text_char,
                "scope" => |character| character == ' ' || is_scope_char(character),
                _ => continue,
            };
            if !param.value.chars().all(allowed) {
                findings.add(
                    Severity::Error,
                    format!(
                        "`{}` holds characters RFC 6750 does not allow there (only printable ASCII without `\"` and `\\`).",
                        param.name
                    ),
                );
            }
        }
    }
}

/// A scope-token character (RFC 6749 §3.3): `%x21 / %x23-5B / %x5D-7E`.
fn is_scope_char(character: char) -> bool {
    is_error_text_char(character) && character != ' '
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R15 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn every_challenge_parses() {
        let challenge = |value: &'static str| [("WWW-Authenticate", value)];
        check(&[Error], &anonymous(), &response(401, &challenge(r#"Bearer realm="open"#), ""));
        check(&[Error], &anonymous(), &response(401, &challenge("Bearer"), ""));
        check(&[Error], &anonymous(), &response(401, &challenge("Basic, Bearer"), ""));
        check(&[Error], &bearer(false), &response(401, &challenge(r#"Bearer error="invalid_token", error_description="say \"hi\"""#), ""));
        check(&[Error], &bearer(true), &response(403, &challenge(r#"Bearer error="insufficient_scope", scope="a\\b""#), ""));
        check(&[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
        check(&[], &bearer(true), &response(403, &challenge(r#"Bearer error="insufficient_scope", scope="reports:read admin""#), ""));
        check(&[], &anonymous(), &response(401, &challenge(r#"Bearer realm="a", Basic realm="a""#), ""));
        check(&[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)], ""));
    }
}
