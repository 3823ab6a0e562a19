//! R5: Bearer error codes match the status.

use super::{error_code_status, Context, Descriptor, Findings};
use crate::model::{Rule, Severity};

/// R5: RFC 6750 §3.1, each error code names the status the server "SHOULD respond with"; and
/// §3, a failed token "SHOULD" get an `error` attribute.
pub(super) const RULE: Descriptor = Descriptor {
    rule: Rule::R5,
    id: "R5",
    severities: &[Severity::Warning],
    title: "Bearer error codes match the status",
    source: "RFC 6750 §3.1",
    url: "https://www.rfc-editor.org/rfc/rfc6750#section-3.1",
    explanation: "`invalid_request` goes with 400, `invalid_token` with 401, `insufficient_scope` with 403: code and status tell one story.",
    check,
};

fn check(context: &Context, findings: &mut Findings) {
    let bearer = || {
        context
            .challenges()
            .filter(|challenge| challenge.is("Bearer"))
    };
    for challenge in bearer() {
        let Some(error) = challenge.param("error") else {
            continue;
        };
        let Some(expected) = error_code_status(&error.value) else {
            continue;
        };
        if expected != context.code {
            findings.add(
                Severity::Warning,
                format!(
                    "error=\"{}\" goes with status {expected}, but this response is {}.",
                    error.value, context.code
                ),
            );
        }
    }
    let token_failed = context.facts.presented.token() && context.facts.verified == Some(false);
    let has_bearer = bearer().next().is_some();
    let token_sent = context.facts.presented.token();
    let no_error = bearer().all(|challenge| challenge.param("error").is_none());
    if context.code == 401
        && token_sent
        && context.facts.verified.is_none()
        && has_bearer
        && no_error
    {
        findings.unknown(context.validity_unknown());
    }
    if context.code == 401
        && token_failed
        && has_bearer
        && bearer().all(|challenge| challenge.param("error").is_none())
    {
        findings.add(
            Severity::Warning,
            "The token failed verification, but the Bearer challenge names no error code (invalid_token)."
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::testing::{self, *};

    /// Lints, with no request, and compares the severities R5 reports with `expected`.
    fn check(expected: &[Severity], facts: &Facts, response: &Response) {
        testing::check(super::RULE.rule, expected, None, facts, response);
    }

    #[test]
    #[rustfmt::skip]
    fn error_codes_match_the_status() {
        let challenge = |value: &'static str| [("WWW-Authenticate", value)];
        let scope = r#"Bearer realm="d", error="insufficient_scope", scope="reports:read""#;
        let invalid_request = r#"Bearer realm="d", error="invalid_request""#;
        check(&[Warning], &bearer(false), &response(403, &challenge(INVALID_TOKEN), ""));
        check(&[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
        check(&[Warning], &bearer(true), &response(401, &challenge(scope), ""));
        check(&[], &bearer(true), &response(403, &challenge(scope), ""));
        check(&[], &facts(Presented::Several, None), &response(400, &challenge(invalid_request), ""));
        // A failed token SHOULD get an error code.
        check(&[Warning], &bearer(false), &response(401, &challenge(BEARER), ""));
        // Codes RFC 6750 does not define are the server's own business.
        check(&[], &bearer(false), &response(403, &challenge(r#"Bearer realm="d", error="custom""#), ""));
    }
}
