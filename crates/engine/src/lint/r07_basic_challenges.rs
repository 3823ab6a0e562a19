//! R7: Basic challenges carry a realm; the only charset is UTF-8.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R7: RFC 7617 §2 ("The realm parameter is REQUIRED") and §2.1 (charset: "The only allowed
/// value is UTF-8").
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R7,
    id: "R7",
    severities: &[Severity::Error],
    title: "Basic challenges carry a realm; the only charset is UTF-8",
    source: "RFC 7617 §2",
    url: "https://www.rfc-editor.org/rfc/rfc7617#section-2",
    explanation:
        "A Basic challenge must name its realm, and `UTF-8` is the only charset it may announce.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    for challenge in context
        .challenges()
        .filter(|challenge| challenge.is("Basic"))
    {
        if challenge.param("realm").is_none() {
            findings.add(
                Severity::Error,
                "The Basic challenge has no realm.".to_string(),
            );
        }
        if let Some(charset) = challenge.param("charset") {
            if !charset.value.eq_ignore_ascii_case("UTF-8") {
                findings.add(
                    Severity::Error,
                    format!(
                        "The Basic challenge announces charset=\"{}\"; UTF-8 is the only value allowed.",
                        charset.value
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R7 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn basic_challenges_carry_a_realm_and_only_utf_8() {
        let challenge = |value: &'static str| [("WWW-Authenticate", value)];
        check(&[Error], &anonymous(), &response(401, &challenge(r#"Basic charset="UTF-8""#), ""));
        check(&[Error], &anonymous(), &response(401, &challenge("Basic"), ""));
        check(&[Error], &anonymous(), &response(401, &challenge(r#"Basic realm="a", charset="ISO-8859-1""#), ""));
        check(&[], &anonymous(), &response(401, &challenge(r#"Basic realm="a", charset="utf-8""#), ""));
        check(&[], &anonymous(), &response(401, &challenge(BASIC), ""));
        check(&[], &anonymous(), &response(401, &challenge(r#"basic realm="a""#), ""));
    }
}
