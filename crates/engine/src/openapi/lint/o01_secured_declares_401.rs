//! O1: an operation that needs or takes credentials declares its 401.

use super::{secured, Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::Spec;

/// O1: OpenAPI 3.1.0, Responses Object: "documentation is expected to cover a successful
/// operation response and any known errors"; a request without credentials to a secured
/// operation is such an error, answered 401 (RFC 9110 §15.5.2).
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O1,
    id: "O1",
    severity: Severity::Warning,
    title: "A secured operation declares its 401",
    source: "OpenAPI 3.1.0 Responses Object; RFC 9110 §15.5.2",
    url: "https://spec.openapis.org/oas/v3.1.0#responses-object",
    explanation: "A request without valid credentials gets 401 here: declare it (with its \
                  WWW-Authenticate header), so clients know to authenticate and retry.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    for operation in &spec.operations {
        if secured(spec, operation) && !operation.declares(401) {
            // Optional credentials (`{}` beside a scheme) are still judged when sent: a bad
            // one gets 401 there too.
            let takes = if spec
                .security_of(operation)
                .is_some_and(|security| security.is_optional())
            {
                "takes credentials (optional; a bad one gets 401)"
            } else {
                "needs credentials"
            };
            findings.add(
                Some(operation),
                &operation.at,
                format!("{} {takes} but declares no 401 response", operation.name()),
            );
        }
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::super::testing::{places, spec};
    use super::super::SpecRule;

    #[test]
    #[rustfmt::skip]
    fn a_secured_operation_declares_401() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {'200': {description: ok}}\n", &[(10, 5)]),
            ("  /a:\n    get:\n      security: [{bearer: []}, {}]\n      responses: {'200': {description: ok}}\n", &[(10, 5)]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {'401': {description: no}}\n", &[]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {4XX: {description: no}}\n", &[]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {default: {description: no}}\n", &[]),
            ("  /a:\n    get:\n      security: []\n      responses: {'200': {description: ok}}\n", &[]),
            ("  /a:\n    get:\n      responses: {'200': {description: ok}}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O1, &spec(paths)), *expected, "{paths}");
        }
    }

    #[test]
    fn the_message_says_whether_credentials_are_optional() {
        let cases = [
            ("[{bearer: []}]", "GET /a needs credentials"),
            ("[{bearer: []}, {}]", "GET /a takes credentials (optional"),
        ];
        for (security, start) in cases {
            let paths = format!(
                "  /a:\n    get:\n      security: {security}\n      responses: {{'200': {{description: ok}}}}\n"
            );
            let found = crate::openapi::Spec::read(&spec(&paths))
                .map(|(read, _)| crate::openapi::lint(&read))
                .unwrap_or_default();
            let messages: Vec<&str> = found
                .iter()
                .map(|finding| finding.message.as_str())
                .collect();
            assert!(
                messages.iter().any(|message| message.starts_with(start)),
                "{security}: {messages:?}"
            );
        }
    }
}
