//! R2: 401 is for missing or invalid credentials; too few rights get 403.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R2: 401 is defined as lacking valid credentials (RFC 9110 §15.5.2); valid credentials with
/// too few rights are the 403 case (§15.5.4).
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R2,
    id: "R2",
    severities: &[Severity::Error],
    title: "401 is for missing or invalid credentials; too few rights get 403",
    source: "RFC 9110 §15.5.4",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
    explanation: "401 means *who are you?*; 403 means *you are not allowed here*.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    match (context.code, context.facts.verified) {
        (401, Some(true)) => findings.add(
            Severity::Error,
            "The credentials verified, yet the answer is 401; valid credentials with too few rights get 403 (or a concealing 404)."
                .to_string(),
        ),
        (403, Some(false)) => findings.add(
            Severity::Error,
            "The credentials failed verification, yet the answer is 403; invalid credentials get 401 with a challenge, so the client knows to authenticate again."
                .to_string(),
        ),
        (401 | 403, None) if context.facts.presented.verifiable() => {
            findings.unknown(context.validity_unknown());
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R2 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn valid_credentials_are_never_401_and_invalid_ones_are_not_403() {
        let challenge = [("WWW-Authenticate", BEARER)];
        check(&[Error], &bearer(true), &response(401, &challenge, ""));
        check(&[], &bearer(true), &response(403, &[], ""));
        check(&[Error], &bearer(false), &response(403, &[], ""));
        check(&[], &bearer(false), &response(401, &challenge, ""));
    }
}
