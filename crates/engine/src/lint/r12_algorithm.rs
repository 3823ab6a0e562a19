//! R12: tokens with alg none or an unexpected algorithm are rejected.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R12: RFC 8725 §3.1, libraries "MUST NOT use any other algorithms" than the ones the caller
/// configured, and §3.2 rejects `none` unless explicitly expected.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R12,
    id: "R12",
    severities: &[Severity::Error],
    title: "Tokens with alg none or an unexpected algorithm are rejected",
    source: "RFC 8725 §3.1",
    url: "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
    explanation: "The server decides which algorithm it trusts; the token never gets to choose, least of all `none`.",
    check,
};

/// The algorithm the demo server is configured for, when the facts name none.
const EXPECTED_ALGORITHM: &str = "HS256";

fn check(context: &Context, findings: &mut Findings) {
    let Some(algorithm) = &context.facts.token_alg else {
        let token_sent = context.facts.presented.token();
        if token_sent && context.response.status.is_success() && context.facts.verified.is_none() {
            findings.unknown(
                "which algorithms the server accepts: give the keys (a scenario)".to_string(),
            );
        }
        return;
    };
    let configured = &context.facts.accepted_algorithms;
    let expected = if configured.is_empty() {
        algorithm == EXPECTED_ALGORITHM
    } else {
        configured.contains(algorithm)
    };
    if !expected && context.accepted() {
        findings.add(
            Severity::Error,
            format!(
                "The token's header says alg `{algorithm}`, which the server did not configure, yet the token was accepted."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R12 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn alg_none_and_unexpected_algorithms_are_rejected() {
        let alg = |name: &str, verified: bool| Facts {
            token_alg: Some(name.to_string()),
            ..bearer(verified)
        };
        let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
        check(&[Error], &alg("none", true), &response(200, &[], "{}"));
        check(&[Error], &alg("HS384", true), &response(200, &[], "{}"));
        check(&[Error], &alg("none", true), &response(403, &[], ""));
        check(&[], &alg("none", false), &response(401, &challenge, ""));
        check(&[], &alg("HS256", true), &response(200, &[], "{}"));
        // A server configured for RS256 accepts it, and no longer HS256.
        let configured = |name: &str| Facts {
            accepted_algorithms: vec!["RS256".to_string()],
            ..alg(name, true)
        };
        check(&[], &configured("RS256"), &response(200, &[], "{}"));
        check(&[Error], &configured("HS256"), &response(200, &[], "{}"));
        // A token that failed verification must not get a 2xx either.
        check(&[Error], &alg("none", false), &response(200, &[], "{}"));
    }
}
