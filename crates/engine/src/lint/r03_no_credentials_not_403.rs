//! R3: a request without credentials gets 401, never 403.

use super::{Context, Descriptor, Findings};
use crate::facts::Presented;
use crate::model::{Rule, Severity};
use crate::text::shorten;

/// R3: without credentials the request "lacks valid authentication credentials" (RFC 9110
/// §15.5.2), and RFC 6750 §3 requires the challenge. RFC 6750 §3 counts a request "attempted
/// using an unsupported authentication method" as one that lacks authentication information,
/// and a scheme with nothing after it carries none either.
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
    let refused = context.code == 403;
    // A 2xx is judged only where the sender saw the route refuse a request without
    // credentials: elsewhere the route may be public, and credentials it ignores are fine.
    if !refused && !context.let_in_where_refused() {
        return;
    }
    if context.request_unknown() {
        if refused {
            findings.unknown(context.request_needed());
        }
        return;
    }
    if !context.reads_no_credentials() {
        return;
    }
    // A cookie no reader reads may carry a foreign server's session: its 403 to a request
    // that sent nothing else is not known to be a 403 without credentials.
    if let Some(needs) = context.unknown_cookies().filter(|_| findings.foreign) {
        findings.unknown(needs);
        return;
    }
    let carried = match &context.facts.presented {
        Presented::Unsupported(scheme) => format!(
            "The request's only credentials are in the scheme {}, which the server does not read",
            shorten(scheme, 40)
        ),
        Presented::Empty => {
            "The request's Authorization header holds a scheme with no credentials after it"
                .to_string()
        }
        _ => "The request carried no credentials".to_string(),
    };
    let message = if refused {
        format!("{carried}, yet the answer is 403; the server must first ask who is calling, with a 401.")
    } else {
        format!(
            "{carried}, yet the answer is {} on a route that refuses a request without credentials; the server must ask who is calling, with a 401, here too.",
            context.code
        )
    };
    findings.add(Severity::Error, message);
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

    /// A scheme with nothing after it carries no credentials; an unsupported scheme carries
    /// none the server reads, where that is known: always for authpath's own answers, for a
    /// foreign server's under a scenario that models it, or when the sender made it so.
    #[test]
    #[rustfmt::skip]
    fn no_credentials_the_server_reads_get_401_not_403() {
        let forbidden = response(403, &[], "");
        let digest = || Presented::Unsupported("Digest".to_string());
        let foreign = |presented: Presented, unacceptable: bool| Facts {
            origin: Origin::ForeignUnknown,
            known: Known { unacceptable, ..Known::default() },
            ..facts(presented, None)
        };
        check(&[Error], &facts(Presented::Empty, None), &forbidden);
        check(&[Error], &foreign(Presented::Empty, false), &forbidden);
        check(&[Error], &facts(digest(), None), &forbidden);
        check(&[Error], &Facts { origin: Origin::ForeignWithScenario, ..facts(digest(), None) }, &forbidden);
        check(&[Error], &foreign(digest(), true), &forbidden);
        // A foreign server may read a scheme the finder does not know (AWS's, Digest…).
        check(&[], &foreign(digest(), false), &forbidden);
        // Malformed credentials are a 400's business, not this rule's.
        check(&[], &facts(Presented::Malformed, None), &forbidden);
        check(&[], &facts(Presented::Empty, None), &response(400, &[], ""));
    }

    /// A 2xx where the sender saw the route refuse a request without credentials let in a
    /// request that carries none the server reads; elsewhere the route may be public.
    #[test]
    #[rustfmt::skip]
    fn no_credentials_are_not_let_in_where_the_route_refuses_them() {
        let ok = response(200, &[("Content-Type", "application/json")], "{}");
        let sent = |protected: Option<bool>| Facts {
            origin: Origin::ForeignUnknown,
            known: Known { unacceptable: true, protected, ..Known::default() },
            ..facts(Presented::Empty, None)
        };
        check(&[Error], &sent(Some(true)), &ok);
        check(&[], &sent(Some(false)), &ok);
        check(&[], &sent(None), &ok);
        check(&[], &Facts { known: Known { protected: Some(true), ..Known::default() }, ..bearer(true) }, &ok);
    }
}
