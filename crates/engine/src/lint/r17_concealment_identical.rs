//! R17: a concealing 404 is identical to a real one.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R17: a concealing 404 that differs from the real 404 reveals the resource RFC 9110
/// §15.5.4 lets the server hide.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R17,
    id: "R17",
    severities: &[Severity::Error],
    title: "A concealing 404 is identical to a real one",
    source: "RFC 9110 §15.5.5",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
    explanation: "If the hiding 404 differs in any byte from a real 404, the difference reveals what it hides.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if !context.facts.concealed {
        return;
    }
    let Some(counterpart) = &context.facts.counterpart else {
        findings.unknown(
            "the same server's answer, for the same credentials, on a path that does not exist"
                .to_string(),
        );
        return;
    };
    let response = context.response;
    let mut differences = Vec::new();
    if response.status != counterpart.status {
        differences.push("status".to_string());
    }
    if response.headers != counterpart.headers {
        let mut names: Vec<&str> = Vec::new();
        for header in response.headers.iter().chain(counterpart.headers.iter()) {
            let differs = !response
                .headers_named(&header.name)
                .eq(counterpart.headers_named(&header.name));
            let listed = names
                .iter()
                .any(|name| name.eq_ignore_ascii_case(&header.name));
            if differs && !listed {
                names.push(&header.name);
            }
        }
        if names.is_empty() {
            differences.push("header order".to_string());
        } else {
            differences.push(format!("headers ({})", names.join(", ")));
        }
    }
    if response.body != counterpart.body {
        differences.push("body".to_string());
    }
    if !differences.is_empty() {
        findings.add(
            Severity::Error,
            format!(
                "This hiding 404 differs from the 404 for a path that does not exist in its {}, so it reveals that the resource exists.",
                differences.join(" and ")
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R17 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn a_concealing_404_matches_a_real_one_byte_for_byte() {
        let real = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "80")], BODY_404);
        let concealing = |counterpart: &Response| Facts {
            concealed: true,
            counterpart: Some(Box::new(counterpart.clone())),
            ..bearer(true)
        };
        let other_body = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "80")], BODY_403);
        let other_header = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "81")], BODY_404);
        check(&[Error], &concealing(&other_body), &real);
        check(&[Error], &concealing(&other_header), &real);
        check(&[Error], &concealing(&response(403, &[], "")), &real);
        check(&[], &concealing(&real), &real);
        // Without concealment there is nothing to compare.
        check(&[], &Facts { counterpart: Some(Box::new(other_body)), ..bearer(true) }, &real);
    }
}
