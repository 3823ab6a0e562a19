//! R9: a 405 lists the allowed methods in Allow.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R9: RFC 9110 §15.5.6, "The origin server MUST generate an Allow header field in a 405
/// response".
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R9,
    id: "R9",
    severities: &[Severity::Error],
    title: "A 405 lists the allowed methods in Allow",
    source: "RFC 9110 §15.5.6",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.6",
    explanation: "405 says *not with this method*; `Allow` says which methods do work.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.code == 405 && context.response.header("Allow").is_none() {
        findings.add(
            Severity::Error,
            "This 405 has no Allow header listing the methods the resource supports.".to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R9 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn a_405_carries_allow() {
        check(&[Error], &anonymous(), &response(405, &[], ""));
        check(&[], &anonymous(), &response(405, &[("Allow", "GET")], ""));
        check(&[], &anonymous(), &response(404, &[], ""));
    }
}
