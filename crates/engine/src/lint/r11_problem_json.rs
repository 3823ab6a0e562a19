//! R11: error bodies are problem+json with the same status.

use super::{is_problem_json, media_type, Context, Descriptor, Findings, Value};
use crate::model::{Rule, Severity};

/// R11: RFC 9457 §3.1.2, `status` "generators MUST use the same status code in the actual
/// HTTP response"; RFC 9110 §15.5, a 4xx "SHOULD send a representation containing an
/// explanation". RFC 9457 itself is not mandatory, hence a note for other formats.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R11,
    id: "R11",
    severities: &[Severity::Error, Severity::Warning, Severity::Note],
    title: "Error bodies are problem+json with the same status",
    source: "RFC 9457 §3",
    url: "https://www.rfc-editor.org/rfc/rfc9457#section-3",
    explanation: "A problem+json body lets a program read what went wrong; its `status` repeats the HTTP status.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.code < 400 {
        return;
    }
    let labelled_problem = context
        .response
        .header("Content-Type")
        .is_some_and(is_problem_json);
    match &context.problem {
        None if context.content_length == 0 => findings.add(
            Severity::Warning,
            format!(
                "This {} has no body explaining the error; a problem+json body would say what went wrong.",
                context.code
            ),
        ),
        // HEAD: a problem+json label, and members that are not sent to be checked.
        None if context.head && labelled_problem => {}
        None => {
            let media = context.response.header("Content-Type")
                .map(media_type)
                .unwrap_or_else(|| "unlabelled".to_string());
            findings.add(
                Severity::Note,
                format!(
                    "This error body is {media}, not application/problem+json, so a program cannot read why the request failed."
                ),
            );
        }
        Some(Err(why)) => findings.add(
            Severity::Error,
            format!("The body is labelled application/problem+json but {why}."),
        ),
        Some(Ok(members)) => match members.get("status") {
            Some(Value::Number(number)) if number.as_u64() != Some(u64::from(context.code)) => {
                findings.add(
                    Severity::Error,
                    format!(
                        "The problem+json body says status {number}, but the HTTP status is {}.",
                        context.code
                    ),
                )
            }
            None => findings.add(
                Severity::Note,
                format!(
                    "The problem+json body has no status member; repeating {} helps clients that only see the body.",
                    context.code
                ),
            ),
            // A status of the wrong JSON type is R16's finding.
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R11 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn error_bodies_are_problem_json_with_the_same_status() {
        let challenge = ("WWW-Authenticate", BEARER);
        let problem = |body: &'static str| response(401, &[challenge, ("Content-Type", PROBLEM)], body);
        check(&[Note], &anonymous(), &response(401, &[challenge, ("Content-Type", "text/plain")], "Unauthorized"));
        check(&[Warning], &anonymous(), &response(401, &[challenge], ""));
        check(&[Error], &anonymous(), &problem(r#"{"title":"Unauthorized","status":400}"#));
        check(&[Error], &anonymous(), &problem("Unauthorized"));
        check(&[Error], &anonymous(), &problem("[401]"));
        check(&[Note], &anonymous(), &problem(r#"{"title":"Unauthorized"}"#));
        check(&[], &anonymous(), &problem(BODY_401));
        check(&[], &anonymous(), &response(401, &[challenge, ("Content-Type", "application/problem+json; charset=utf-8")], BODY_401));
        check(&[], &bearer(true), &response(200, &[("Content-Type", "application/json")], "{}"));
    }
}
