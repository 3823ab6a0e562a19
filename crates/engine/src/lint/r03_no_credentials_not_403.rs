//! R3: a request without credentials gets 401, never 403.

use super::{Context, Descriptor, Findings};
use crate::facts::Presented;
use crate::model::{Rule, Severity};

/// R3: without credentials the request "lacks valid authentication credentials" (RFC 9110
/// §15.5.2), and RFC 6750 §3 requires the challenge.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R3,
    id: "R3",
    severities: &[Severity::Error],
    title: "A request without credentials gets 401, never 403",
    source: "RFC 9110 §15.5.2",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    explanation: "Without credentials the server does not know who is asking, so it asks (401) instead of refusing (403).",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.code != 403 {
        return;
    }
    if context.request_unknown() {
        findings.unknown(context.request_needed());
        return;
    }
    // A cookie may carry a session, which is a credential this lint cannot see: a foreign
    // server's 403 to it is not known to be a 403 without credentials.
    let cookie = context
        .request
        .is_some_and(|request| request.header("Cookie").is_some());
    if context.facts.presented == Presented::None && cookie && findings.foreign {
        findings.unknown(
            "whether the request carried credentials: it sends a Cookie, which may hold a session"
                .to_string(),
        );
        return;
    }
    if context.facts.presented == Presented::None {
        findings.add(
            Severity::Error,
            "The request carried no credentials, yet the answer is 403; the server must first ask who is calling, with a 401."
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R3 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn no_credentials_get_401_not_403() {
        check(&[Error], &anonymous(), &response(403, &[], ""));
        check(&[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
        check(&[], &bearer(true), &response(403, &[], ""));
    }
}
