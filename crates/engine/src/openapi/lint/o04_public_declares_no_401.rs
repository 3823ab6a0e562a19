//! O4: an operation that needs no credentials declares no 401.

use super::{Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::Spec;

/// O4: OpenAPI 3.1.0, Security Requirement Object (an empty list, or only `{}`: no
/// credentials are needed); a 401 says credentials are needed (RFC 9110 §15.5.2), so the two
/// contradict each other.
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O4,
    id: "O4",
    severity: Severity::Warning,
    title: "A public operation declares no 401",
    source: "OpenAPI 3.1.0 Security Requirement Object; RFC 9110 §15.5.2",
    url: "https://spec.openapis.org/oas/v3.1.0#security-requirement-object",
    explanation: "401 means \"credentials needed\"; an operation whose security needs none \
                  cannot answer it. Declare the security it has, or drop the 401.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    for operation in &spec.operations {
        let public = spec
            .security_of(operation)
            .is_none_or(|security| security.is_public());
        let declared = operation
            .responses
            .iter()
            .find(|response| response.status == "401");
        if let (true, Some(response)) = (public, declared) {
            findings.add(
                Some(operation),
                &response.at,
                format!(
                    "{} needs no credentials, yet declares a 401",
                    operation.name()
                ),
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
    fn a_public_operation_has_no_401() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      security: []\n      responses:\n        '401': {description: no}\n", &[(13, 9)]),
            ("  /a:\n    get:\n      security: [{}]\n      responses:\n        '401': {description: no}\n", &[(13, 9)]),
            ("  /a:\n    get:\n      responses:\n        '401': {description: no}\n", &[(12, 9)]),
            ("  /a:\n    get:\n      security: [{}, {bearer: []}]\n      responses:\n        '401': {description: no}\n", &[]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses:\n        '401': {description: no}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O4, &spec(paths)), *expected, "{paths}");
        }
    }
}
