//! R10: a forbidden resource may be hidden behind 404.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R10: RFC 9110 §15.5.4, a server "MAY instead respond with 404" to hide a forbidden
/// resource. A 401 for valid credentials is R2's business.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R10,
    id: "R10",
    severities: &[Severity::Note],
    title: "A forbidden resource may be hidden behind 404",
    source: "RFC 9110 §15.5.4",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
    explanation: "A server may pretend a forbidden resource does not exist (404) rather than admit it is there (403).",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.code == 404 && context.facts.route_exists.is_none() {
        findings.unknown(
            "whether the resource exists: give the policy (a scenario) that lists the routes"
                .to_string(),
        );
    }
    if context.code == 404 && context.facts.concealed {
        findings.add(
            Severity::Note,
            "This 404 stands for a resource that exists but is not for this caller; RFC 9110 lets a server hide it this way."
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R10 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn a_forbidden_resource_may_hide_behind_404() {
        let concealed = Facts {
            concealed: true,
            ..bearer(true)
        };
        check(&[Note], &concealed, &response(404, &[("Content-Type", PROBLEM)], BODY_404));
        check(&[], &bearer(true), &response(404, &[("Content-Type", PROBLEM)], BODY_404));
    }
}
