//! R13: exp and nbf are checked with a small, stated leeway.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R13: RFC 7519 §4.1.4 / §4.1.5, the token "MUST NOT be accepted" after `exp` or before
/// `nbf`; implementers "MAY provide for some small leeway".
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R13,
    id: "R13",
    severities: &[Severity::Error, Severity::Note],
    title: "exp and nbf are checked with a small, stated leeway",
    source: "RFC 7519 §4.1.4",
    url: "https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4",
    explanation: "An expired or not-yet-valid token is refused; a few seconds of leeway forgive clock drift, no more.",
    check,
};

/// RFC 7519 §4.1.4 asks for a "small" leeway, "usually no more than a few minutes".
const LARGEST_SMALL_LEEWAY: u64 = 300;

fn check(context: &Context, findings: &mut Findings) {
    let facts = context.facts;
    let token_sent = facts.presented.token();
    if token_sent && context.response.status.is_success() && facts.verified.is_none() {
        findings.unknown(
            "whether exp / nbf hold: give the keys and the clock (a scenario)".to_string(),
        );
    }
    if context.accepted() {
        if facts.token_expired == Some(true) {
            findings.add(
                Severity::Error,
                "The token expired longer ago than the leeway allows, yet it was accepted."
                    .to_string(),
            );
        }
        if facts.token_not_yet_valid == Some(true) {
            findings.add(
                Severity::Error,
                "The token is not valid yet (its nbf lies beyond the leeway), yet it was accepted."
                    .to_string(),
            );
        }
    }
    if let Some(leeway) = facts.leeway.filter(|leeway| *leeway > LARGEST_SMALL_LEEWAY) {
        findings.add(
            Severity::Note,
            format!(
                "The server allows {leeway} s of leeway on exp / nbf; RFC 7519 speaks of a small leeway, a few minutes at most."
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R13 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn exp_and_nbf_hold_with_a_small_leeway() {
        let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
        let expired = |verified| Facts {
            token_expired: Some(true),
            ..bearer(verified)
        };
        let early = Facts {
            token_not_yet_valid: Some(true),
            ..bearer(true)
        };
        let leeway = |seconds| Facts {
            leeway: Some(seconds),
            ..bearer(true)
        };
        check(&[Error], &expired(true), &response(200, &[], "{}"));
        check(&[Error], &early, &response(200, &[], "{}"));
        check(&[], &expired(false), &response(401, &challenge, ""));
        check(&[Note], &leeway(3600), &response(200, &[], "{}"));
        check(&[], &leeway(30), &response(200, &[], "{}"));
    }
}
