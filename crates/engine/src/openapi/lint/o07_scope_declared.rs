//! O7: the scopes an oauth2 requirement asks for are ones its flows declare.

use super::{declared_scopes, Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::{Security, Spec};

/// O7: OpenAPI 3.1.0, OAuth Flow Object: `scopes` are "the available scopes for the OAuth2
/// security scheme"; a requirement's list names scopes "required for the execution"
/// (Security Requirement Object). A scope no flow offers can never be granted.
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O7,
    id: "O7",
    severity: Severity::Warning,
    title: "Scopes used are declared by the flows",
    source: "OpenAPI 3.1.0 OAuth Flow Object",
    url: "https://spec.openapis.org/oas/v3.1.0#oauth-flow-object",
    explanation: "A scope no flow of the scheme declares cannot be granted to any client: \
                  declare it under the flow's `scopes`, or fix its name.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    let mut undeclared = |security: &Security, operation| {
        for named in security
            .requirements
            .iter()
            .flat_map(|requirement| &requirement.schemes)
        {
            let Some(declared) = declared_scopes(spec, &named.name) else {
                continue;
            };
            for (scope, place) in &named.values {
                if !declared.contains(scope) {
                    findings.add(
                        operation,
                        place,
                        format!(
                            "the scope {scope:?} is not one the flows of `{}` declare",
                            named.name
                        ),
                    );
                }
            }
        }
    };
    if let Some(security) = &spec.security {
        undeclared(security, None);
    }
    for operation in &spec.operations {
        if let Some(security) = &operation.security {
            undeclared(security, Some(operation));
        }
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::super::testing::{places, spec};
    use super::super::SpecRule;

    #[test]
    #[rustfmt::skip]
    fn scopes_are_declared() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      security: [{oauth: [read, write]}]\n      responses: {'200': {description: ok}}\n", &[(11, 33)]),
            ("  /a:\n    get:\n      security: [{oauth: [read]}]\n      responses: {'200': {description: ok}}\n", &[]),
            // Roles of another scheme are not scopes.
            ("  /a:\n    get:\n      security: [{bearer: [write]}]\n      responses: {'200': {description: ok}}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O7, &spec(paths)), *expected, "{paths}");
        }
    }
}
