//! R19: credentials that fail verification get 401, not 400, 422 or another 4xx.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R19: credentials that did not verify leave the request "lacking valid authentication
/// credentials", the definition of 401 (RFC 9110 §15.5.2); RFC 6750 §3.1 gives `invalid_token`
/// the 401 too. Letting them in where a request without credentials is refused is the same
/// mistake at its worst.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R19,
    id: "R19",
    severities: &[Severity::Error],
    title: "Credentials that fail verification get 401, not 400 or 422",
    source: "RFC 9110 §15.5.2",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    explanation: "A token or password that does not verify is a question of who is asking, so the answer is 401 with a challenge; 400 and 422 tell the client its request is malformed, and it will not know to authenticate again.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    let facts = context.facts;
    let other_4xx = (400..500).contains(&context.code) && !matches!(context.code, 401 | 403);
    if other_4xx && facts.verified.is_none() && facts.presented.verifiable() {
        findings.unknown(context.validity_unknown());
    }
    if facts.verified != Some(false) {
        return;
    }
    // A route the sender saw refuse a request without credentials let invalid ones in.
    if context.let_in_where_refused() {
        findings.add(
            Severity::Error,
            format!(
                "The credentials failed verification, yet the answer is {} on a route that refuses a request without credentials; credentials that do not verify get 401 with a challenge.",
                context.code
            ),
        );
        return;
    }
    // 401 is right; 403 is R2's to report.
    if !other_4xx {
        return;
    }
    // A server that routes first answers an unknown path or method before it reads
    // credentials: a 404 or 405 is wrong only where the route is known to exist.
    let routing = matches!(context.code, 404 | 405);
    if routing && facts.route_exists != Some(true) && facts.known.protected != Some(true) {
        return;
    }
    // A Bearer `error="invalid_token"` on this status is R5's finding already.
    let invalid_token_told = context.challenges().any(|challenge| {
        challenge.is("Bearer")
            && challenge
                .param("error")
                .is_some_and(|error| error.value == "invalid_token")
    });
    if invalid_token_told {
        return;
    }
    findings.add(
        Severity::Error,
        format!(
            "The credentials failed verification, yet the answer is {}; credentials that do not verify get 401 with a challenge.",
            context.code
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R19 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn failed_credentials_get_401() {
        let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
        let json = [("Content-Type", "application/json")];
        let basic_failed = facts(Presented::Read(crate::credentials::BASIC.clone()), Some(false));
        // Flask-JWT-Extended's 422 for a token that does not decode, and a 400.
        check(&[Error], &bearer(false), &response(422, &json, r#"{"msg":"Signature verification failed"}"#));
        check(&[Error], &bearer(false), &response(400, &json, "{}"));
        check(&[Error], &basic_failed, &response(400, &[], ""));
        check(&[], &bearer(false), &response(401, &challenge, ""));
        // 403 is R2's finding; an invalid_token code on the wrong status is R5's.
        check(&[], &bearer(false), &response(403, &[], ""));
        check(&[], &bearer(false), &response(422, &challenge, ""));
        // Verified, or never verified: nothing to say.
        check(&[], &bearer(true), &response(422, &json, "{}"));
        check(&[], &anonymous(), &response(400, &json, "{}"));
        check(&[], &facts(Presented::Malformed, None), &response(400, &json, "{}"));
        // A 2xx means the server took them anyway: no refusal to judge, unless the route
        // refused a request without credentials, as the sender saw.
        check(&[], &bearer(false), &response(200, &json, "{}"));
        let seen = |protected: Option<bool>| Facts { known: Known { unacceptable: true, protected, ..Known::default() }, ..bearer(false) };
        check(&[Error], &seen(Some(true)), &response(200, &json, "{}"));
        check(&[Error], &seen(Some(true)), &response(204, &[], ""));
        check(&[], &seen(Some(false)), &response(200, &json, "{}"));
        check(&[], &seen(None), &response(200, &json, "{}"));
        // 404 and 405 may come before the credentials are read: wrong only for a route known
        // to exist (the scenario's policy has it, or it refused a request without them).
        check(&[], &bearer(false), &response(404, &json, "{}"));
        check(&[], &seen(None), &response(405, &json, "{}"));
        check(&[Error], &Facts { route_exists: Some(true), ..bearer(false) }, &response(404, &json, "{}"));
        check(&[Error], &seen(Some(true)), &response(404, &json, "{}"));
    }
}
