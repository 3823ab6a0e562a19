//! R21: no API key, password or other credential in the URL.

use super::{Context, Descriptor, Findings};
use crate::credentials::{is_secret_name, Verifier, READERS};
use crate::model::{Rule, Severity};

/// R21: OWASP API Security Top 10 2023, API2 (Broken Authentication): an API that "sends
/// sensitive authentication details, such as auth tokens and passwords in the URL" is
/// vulnerable; URLs end up in logs, browser history and `Referer` headers. (A Bearer token in
/// `access_token` is R14's, after RFC 6750 §2.3.)
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R21,
    id: "R21",
    severities: &[Severity::Warning],
    title: "No API key or other credential in the URL",
    source: "OWASP API2:2023",
    url: "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
    explanation: "A key in the URL is kept by every log, history and Referer on its way: send it in a header.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    let Some(request) = context.request else {
        return;
    };
    // A token's query parameter is R14's; every other credential-like name is this rule's.
    let token_parameter = |name: &str| {
        READERS
            .iter()
            .any(|reader| reader.verifier == Verifier::Jwt && reader.parameter() == Some(name))
    };
    let key_parameter = |name: &str| {
        READERS
            .iter()
            .any(|reader| reader.verifier != Verifier::Jwt && reader.parameter() == Some(name))
    };
    let mut named: Vec<&str> = Vec::new();
    for (name, value) in &request.query {
        let credential = key_parameter(name) || is_secret_name(name);
        if credential
            && !token_parameter(name)
            && !value.is_empty()
            && !named.contains(&name.as_str())
        {
            named.push(name);
        }
    }
    if named.is_empty() {
        return;
    }
    let list: Vec<String> = named.iter().map(|name| format!("{name}=")).collect();
    findings.add(
        Severity::Warning,
        format!(
            "The request sends a credential in the URL ({}), where logs, history and Referer headers keep it; send it in a header (X-API-Key, Authorization).",
            list.join(", ")
        ),
    );
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    fn check(expected: &[Severity], request: &Request) {
        testing::check(
            super::RULE.rule,
            expected,
            Some(request),
            &anonymous(),
            &response(401, &[("WWW-Authenticate", BEARER)], ""),
        );
    }

    #[test]
    #[rustfmt::skip]
    fn credentials_in_the_url_are_flagged() {
        check(&[Warning], &request(&[("api_key", "ak_alice_demo")], &[]));
        check(&[Warning], &request(&[("apiKey", "k"), ("page", "2")], &[]));
        check(&[Warning], &request(&[("password", "hunter2")], &[]));
        // A token in access_token is R14's; an empty value carries nothing.
        check(&[], &request(&[("access_token", "a.b.c")], &[]));
        check(&[], &request(&[("api_key", "")], &[]));
        check(&[], &request(&[("page", "2"), ("q", "shoes")], &[("X-API-Key", "k")]));
    }
}
