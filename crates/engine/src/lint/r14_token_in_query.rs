//! R14: tokens in the URL are flagged; one token, one way.

use super::{Context, Descriptor, Findings};
use crate::credentials::{Verifier, READERS};
use crate::facts::Presented;
use crate::model::{Rule, Severity};

/// R14: RFC 6750 §2.3, the query method "SHOULD NOT be used" and 2xx answers "SHOULD contain a
/// Cache-Control header with the private option"; §3.1, a token sent more than one way is
/// `invalid_request`, which "SHOULD" be 400.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R14,
    id: "R14",
    severities: &[Severity::Warning],
    title: "Tokens in the URL are flagged; one token, one way",
    source: "RFC 6750 §2.3",
    url: "https://www.rfc-editor.org/rfc/rfc6750#section-2.3",
    explanation: "A token in the URL ends up in logs and caches: flag it, keep the answer private, and refuse a token sent two ways.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    // A token's, that is: an API key in the URL is R21's alone.
    let token_in_query = context.facts.presented.in_query()
        && context
            .facts
            .presented
            .reader()
            .is_some_and(|reader| reader.verifier == Verifier::Jwt);
    let in_query = token_in_query
        || context.request.is_some_and(|request| {
            // A token's parameter; other credentials in the URL are R21's.
            request.query.iter().any(|(name, _)| {
                READERS.iter().any(|reader| {
                    reader.verifier == Verifier::Jwt && reader.parameter() == Some(name.as_str())
                })
            })
        });
    if in_query {
        findings.add(
            Severity::Warning,
            "The request sends its token in the URL query (access_token=), where logs, history and caches keep it."
                .to_string(),
        );
        let private = context
            .response
            .header("Cache-Control")
            .is_some_and(|value| {
                value.split(',').any(|directive| {
                    let name = directive.split('=').next().unwrap_or_default();
                    name.trim().eq_ignore_ascii_case("private")
                })
            });
        if context.response.status.is_success() && !private {
            findings.add(
                Severity::Warning,
                "This 2xx answers a request with a token in the URL but lacks Cache-Control: private, so a shared cache may keep it."
                    .to_string(),
            );
        }
    }
    if context.facts.presented == Presented::Several && context.code != 400 {
        findings.add(
            Severity::Warning,
            format!(
                "The request sends a token two ways at once, which is invalid_request (400), yet the answer is {}.",
                context.code
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints and compares the severities R14 reports with `expected`.
    fn check(expected: &[Severity], request: Option<&Request>, facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, request, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn tokens_in_the_url_are_flagged() {
        let in_query = request(&[("access_token", "abc.def.ghi")], &[]);
        let plain = request(&[], &[("Authorization", "Bearer abc.def.ghi")]);
        let query = facts(Presented::Read(crate::credentials::ACCESS_TOKEN.clone()), Some(true));
        let several = facts(Presented::Several, None);
        let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
        check(&[Warning], Some(&in_query), &facts(Presented::Read(crate::credentials::ACCESS_TOKEN.clone()), Some(false)), &response(401, &challenge, ""));
        check(&[Warning, Warning], Some(&in_query), &query, &response(200, &[], "{}"));
        check(&[Warning], Some(&in_query), &query, &response(200, &[("Cache-Control", "private")], "{}"));
        check(&[Warning], Some(&in_query), &query, &response(200, &[("Cache-Control", "no-cache, Private")], "{}"));
        check(&[Warning, Warning], Some(&in_query), &several, &response(200, &[("Cache-Control", "private")], "{}"));
        check(&[Warning], None, &several, &response(200, &[], "{}"));
        check(&[], None, &several, &response(400, &[], ""));
        check(&[], Some(&plain), &bearer(true), &response(200, &[], "{}"));
    }
}
