//! R18: Basic credentials split at the first colon.

use crate::credentials::BASIC;
use base64::Engine as _;

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R18: RFC 7617 §2, user-pass = user-id ":" password, and "a user-id containing a colon
/// character is invalid": credentials without a colon cannot be valid.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R18,
    id: "R18",
    severities: &[Severity::Error],
    title: "Basic credentials split at the first colon",
    source: "RFC 7617 §2",
    url: "https://www.rfc-editor.org/rfc/rfc7617#section-2",
    explanation: "Basic credentials are `user-id:password`; the user-id cannot contain `:`, so credentials without a colon are invalid.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    if context.facts.presented.reader() != Some(&BASIC) {
        return;
    }
    if context.facts.verified.is_none() && context.response.status.is_success() {
        findings.unknown(context.validity_unknown());
        return;
    }
    if !context.accepted() {
        return;
    }
    let Some((scheme, credentials)) = context.authorization() else {
        return;
    };
    if !scheme.eq_ignore_ascii_case("Basic") {
        return;
    }
    let decoded = base64::engine::general_purpose::STANDARD.decode(credentials);
    let has_colon = decoded.as_deref().is_ok_and(|bytes| bytes.contains(&b':'));
    if !has_colon {
        findings.add(
            Severity::Error,
            "The Basic credentials do not decode to user-id:password, yet they were accepted."
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints and compares the severities R18 reports with `expected`.
    fn check(expected: &[Severity], request: Option<&Request>, facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, request, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn basic_credentials_split_at_the_first_colon() {
        // base64("alice") has no colon; base64("alice:alice-pw") has one.
        let no_colon = request(&[], &[("Authorization", "Basic YWxpY2U=")]);
        let good = request(&[], &[("Authorization", "Basic YWxpY2U6YWxpY2UtcHc=")]);
        let not_base64 = request(&[], &[("Authorization", "Basic %%%")]);
        let basic = |verified| facts(Presented::Read(crate::credentials::BASIC.clone()), Some(verified));
        let challenge = [("WWW-Authenticate", BASIC)];
        check(&[Error], Some(&no_colon), &basic(true), &response(200, &[], "{}"));
        check(&[Error], Some(&not_base64), &basic(true), &response(200, &[], "{}"));
        check(&[], Some(&good), &basic(true), &response(200, &[], "{}"));
        check(&[], Some(&no_colon), &basic(false), &response(401, &challenge, ""));
        // On a public route nothing is verified: the credentials are ignored, not accepted.
        check(&[], Some(&no_colon), &facts(Presented::Read(crate::credentials::BASIC.clone()), None), &response(200, &[], "{}"));
    }
}
