//! O3: an operation that needs scopes, roles or ownership declares its 403.

use super::{has_rights, Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::Spec;

/// O3: OpenAPI 3.1.0, Responses Object ("expected to cover … any known errors"); a caller
/// whose valid credentials lack the scope, the role or the ownership gets 403
/// (RFC 9110 §15.5.4; RFC 6750 §3.1 `insufficient_scope`).
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O3,
    id: "O3",
    severity: Severity::Warning,
    title: "An operation with scopes or roles declares its 403",
    source: "OpenAPI 3.1.0 Responses Object; RFC 9110 §15.5.4",
    url: "https://spec.openapis.org/oas/v3.1.0#responses-object",
    explanation: "Valid credentials without the scope, role or ownership the operation needs \
                  get 403: declare it, so clients tell \"who are you?\" from \"not allowed\".",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    for operation in &spec.operations {
        if has_rights(spec, operation) && !operation.declares(403) {
            findings.add(
                Some(operation),
                &operation.at,
                format!(
                    "{} needs scopes, roles or ownership but declares no 403 response",
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
    fn rights_come_with_a_403() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      security: [{oauth: [read]}]\n      responses: {'200': {description: ok}}\n", &[(10, 5)]),
            ("  /a:\n    get:\n      security: [{bearer: [admin]}]\n      responses: {'200': {description: ok}}\n", &[(10, 5)]),
            ("  /a/{id}:\n    get:\n      security: [{bearer: []}]\n      x-authpath: {owner: id}\n      responses: {'200': {description: ok}}\n", &[(10, 5)]),
            ("  /a:\n    get:\n      security: [{oauth: [read]}]\n      responses: {'403': {description: no}}\n", &[]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {'200': {description: ok}}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O3, &spec(paths)), *expected, "{paths}");
        }
    }
}
