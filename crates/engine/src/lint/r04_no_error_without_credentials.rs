//! R4: no error code in the challenge when no credentials were sent.

use super::{Context, Descriptor, Findings};
use crate::facts::Presented;
use crate::model::{Rule, Severity};

/// R4: RFC 6750 §3, "the resource server SHOULD NOT include an error code or other error
/// information" when the request lacks authentication information (including an
/// unsupported scheme).
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R4,
    id: "R4",
    severities: &[Severity::Warning],
    title: "No error code in the challenge when no credentials were sent",
    source: "RFC 6750 §3",
    url: "https://www.rfc-editor.org/rfc/rfc6750#section-3",
    explanation: "A client that sent no credentials made no mistake: the challenge says how to authenticate, not what went wrong.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.request_unknown()
        && context
            .challenges()
            .any(|challenge| challenge.param("error").is_some())
    {
        findings.unknown(context.request_needed());
        return;
    }
    let no_information = matches!(
        context.facts.presented,
        Presented::None | Presented::Unsupported(_)
    );
    if !no_information {
        return;
    }
    for challenge in context.challenges() {
        if let Some(error) = challenge.param("error") {
            if let Some(needs) = context.unknown_cookies().filter(|_| findings.foreign) {
                findings.unknown(needs);
                return;
            }
            findings.add(
                Severity::Warning,
                format!(
                    "The request carried no usable credentials, yet the {} challenge says error=\"{}\"; a client that sent nothing made no error.",
                    challenge.scheme, error.value
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R4 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn no_error_code_when_nothing_was_sent() {
        let with_error = [("WWW-Authenticate", INVALID_TOKEN)];
        let unsupported = facts(Presented::Unsupported("Digest".to_string()), None);
        check(&[Warning], &anonymous(), &response(401, &with_error, ""));
        check(&[Warning], &unsupported, &response(401, &with_error, ""));
        check(&[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
        check(&[], &bearer(false), &response(401, &with_error, ""));
    }
}
