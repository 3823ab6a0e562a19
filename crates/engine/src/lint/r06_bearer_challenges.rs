//! R6: Bearer challenges are well formed.

use super::{Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R6: RFC 6750 §3 ("MUST use the auth-scheme value Bearer", realm/scope/error… "MUST NOT
/// appear more than once"), RFC 9110 §11.2 ("Each parameter name MUST only occur once per
/// challenge") and §11.5 (realm: "a sender MUST only generate the quoted-string syntax").
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R6,
    id: "R6",
    severities: &[Severity::Error, Severity::Warning],
    title: "Bearer challenges are well formed",
    source: "RFC 6750 §3",
    url: "https://www.rfc-editor.org/rfc/rfc6750#section-3",
    explanation: "A Bearer challenge uses the scheme `Bearer`, quoted values and each attribute once, so every client reads it alike.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    for challenge in context.challenges() {
        let mut seen: Vec<String> = Vec::new();
        for param in &challenge.params {
            let name = param.name.to_ascii_lowercase();
            if seen.contains(&name) {
                findings.add(
                    Severity::Error,
                    format!(
                        "The {} challenge names `{}` more than once; each parameter may appear only once.",
                        challenge.scheme, param.name
                    ),
                );
            } else {
                seen.push(name);
            }
        }
        if !challenge.is("Bearer") {
            continue;
        }
        if challenge.token68.is_some() {
            findings.add(
                Severity::Error,
                "The Bearer challenge carries a token68 value; Bearer challenges take name=\"value\" parameters only."
                    .to_string(),
            );
        }
        for param in challenge.params.iter().filter(|param| !param.quoted) {
            let name = param.name.to_ascii_lowercase();
            let severity = match name.as_str() {
                "realm" => Severity::Error,
                "scope" | "error" | "error_description" | "error_uri" => Severity::Warning,
                _ => continue,
            };
            findings.add(
                severity,
                format!(
                    "`{}` in the Bearer challenge is a bare token; it is written as a quoted-string.",
                    param.name
                ),
            );
        }
    }
    let offers_bearer = context.challenges().any(|challenge| challenge.is("Bearer"));
    if context.code == 401
        && context.request_unknown()
        && !context.authenticate.is_empty()
        && !offers_bearer
    {
        findings.unknown(context.request_needed());
    }
    let bearer_sent = context.facts.presented.token();
    if context.code == 401
        && bearer_sent
        && !context.authenticate.is_empty()
        && !context.challenges().any(|challenge| challenge.is("Bearer"))
    {
        findings.add(
            Severity::Error,
            "The request sent a Bearer token, but this 401 offers no Bearer challenge.".to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R6 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn bearer_challenges_are_well_formed() {
        let challenge = |value: &'static str| [("WWW-Authenticate", value)];
        check(&[Error], &anonymous(), &response(401, &challenge("Bearer realm=demo"), ""));
        check(&[Error], &anonymous(), &response(401, &challenge(r#"Bearer realm="a", realm="b""#), ""));
        check(&[Error], &anonymous(), &response(401, &challenge(r#"Basic realm="a", REALM="b""#), ""));
        check(&[Warning], &bearer(false), &response(401, &challenge(r#"Bearer realm="a", error=invalid_token"#), ""));
        check(&[Error], &anonymous(), &response(401, &challenge("Bearer abc123"), ""));
        // A Bearer token was sent, so the 401 must offer Bearer.
        check(&[Error], &bearer(false), &response(401, &challenge(BASIC), ""));
        check(&[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
        check(&[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)], ""));
    }
}
