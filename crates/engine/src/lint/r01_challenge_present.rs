//! R1: a 401 carries a WWW-Authenticate challenge.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R1: RFC 9110 §15.5.2, "MUST send a WWW-Authenticate header field containing at least one
/// challenge".
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R1,
    id: "R1",
    severities: &[Severity::Error],
    title: "A 401 carries a WWW-Authenticate challenge",
    source: "RFC 9110 §15.5.2",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    explanation: "401 means *who are you?*, so it must also say how to answer: a `WWW-Authenticate` challenge.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.code != 401 {
        return;
    }
    if context.authenticate.is_empty() {
        findings.add(
            Severity::Error,
            "This 401 has no WWW-Authenticate header, so the client is not told how to authenticate."
                .to_string(),
        );
    } else if context.challenges().next().is_none() {
        findings.add(
            Severity::Error,
            "This 401's WWW-Authenticate header holds no challenge.".to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R1 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn a_401_carries_a_challenge() {
        check(&[Error], &anonymous(), &response(401, &[], ""));
        check(&[Error], &anonymous(), &response(401, &[("WWW-Authenticate", "")], ""));
        check(&[Error], &anonymous(), &response(401, &[("WWW-Authenticate", " , ")], ""));
        check(&[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
        check(&[], &anonymous(), &response(401, &[("www-authenticate", BEARER)], ""));
        // Only a 401 must carry one.
        check(&[], &bearer(true), &response(403, &[], ""));
    }
}
