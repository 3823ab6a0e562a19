//! R16: problem+json titles and member types.

use super::{Context, Descriptor, Findings, Value};
use crate::model::{Rule, Severity};

/// R16: RFC 9457 §4.2.1, with `about:blank` "the title SHOULD be the same as the recommended
/// HTTP status phrase"; §3.1 gives each member its JSON type.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R16,
    id: "R16",
    severities: &[Severity::Error, Severity::Warning],
    title: "problem+json titles and member types",
    source: "RFC 9457 §4.2.1",
    url: "https://www.rfc-editor.org/rfc/rfc9457#section-4.2.1",
    explanation: "With no `type` (or `about:blank`) the `title` is the status phrase, and every member has the JSON type the RFC gives it.",
    check,
};

/// A problem+json member: its name, the test of its JSON type, and that type in words.
type Expectation = (&'static str, fn(&Value) -> bool, &'static str);

fn check(context: &Context, findings: &mut Findings) {
    let Some(Ok(members)) = &context.problem else {
        return;
    };
    let expectations: [Expectation; 5] = [
        ("type", Value::is_string, "a string (a URI reference)"),
        ("title", Value::is_string, "a string"),
        ("status", Value::is_u64, "a whole number"),
        ("detail", Value::is_string, "a string"),
        ("instance", Value::is_string, "a string (a URI reference)"),
    ];
    for (name, fits, expected) in expectations {
        if let Some(value) = members.get(name) {
            if !fits(value) {
                findings.add(
                    Severity::Error,
                    format!(
                        "The problem+json member `{name}` is {value}, but it must be {expected}."
                    ),
                );
            }
        }
    }
    let blank = match members.get("type") {
        None => true,
        Some(Value::String(kind)) => kind == "about:blank",
        Some(_) => false,
    };
    if !blank {
        return;
    }
    let phrase = context.response.status.reason();
    if let Some(Value::String(title)) = members.get("title") {
        if title != phrase {
            findings.add(
                Severity::Warning,
                format!(
                    "The problem has no type of its own (about:blank), so its title should be the status phrase \"{phrase}\", not \"{title}\"."
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R16 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn problem_titles_and_member_types() {
        let problem = |code: u16, body: &'static str| response(code, &[("Content-Type", PROBLEM)], body);
        check(&[Warning], &bearer(true), &problem(403, r#"{"type":"about:blank","title":"Oops","status":403}"#));
        check(&[Warning], &bearer(true), &problem(403, r#"{"title":"Access denied","status":403}"#));
        check(&[], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":403}"#));
        check(&[], &bearer(true), &problem(403, r#"{"type":"https://api.example/problems/role","title":"Role required","status":403}"#));
        check(&[Error], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":"403"}"#));
        check(&[Error], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":403,"detail":5}"#));
        check(&[Error], &bearer(true), &problem(403, r#"{"type":7,"title":"Forbidden","status":403}"#));
        check(&[], &bearer(true), &problem(403, BODY_403));
    }
}
