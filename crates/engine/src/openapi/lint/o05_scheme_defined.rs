//! O5: every scheme a `security` requirement names is defined.

use super::{Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::{Security, Spec};

/// O5: OpenAPI 3.1.0, Security Requirement Object: "Each name MUST correspond to a security
/// scheme which is declared in the Security Schemes under the Components Object."
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O5,
    id: "O5",
    severity: Severity::Error,
    title: "A security requirement names a defined scheme",
    source: "OpenAPI 3.1.0 Security Requirement Object",
    url: "https://spec.openapis.org/oas/v3.1.0#security-requirement-object",
    explanation: "A requirement that names no scheme of components.securitySchemes cannot be \
                  met: define the scheme, or fix the name.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    let mut undefined = |security: &Security, operation| {
        for named in security
            .requirements
            .iter()
            .flat_map(|requirement| &requirement.schemes)
        {
            if spec.scheme(&named.name).is_none() {
                findings.add(
                    operation,
                    &named.at,
                    format!(
                        "`{}` is not a scheme of components.securitySchemes",
                        named.name
                    ),
                );
            }
        }
    };
    if let Some(security) = &spec.security {
        undefined(security, None);
    }
    for operation in &spec.operations {
        if let Some(security) = &operation.security {
            undefined(security, Some(operation));
        }
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::super::testing::{places, spec};
    use super::super::SpecRule;

    #[test]
    #[rustfmt::skip]
    fn requirements_name_defined_schemes() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      security: [{bearr: []}]\n      responses: {'200': {description: ok}}\n", &[(11, 19)]),
            ("  /a:\n    get:\n      security: [{bearer: [], nope: []}]\n      responses: {'200': {description: ok}}\n", &[(11, 31)]),
            ("  /a:\n    get:\n      security: [{bearer: []}]\n      responses: {'200': {description: ok}}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O5, &spec(paths)), *expected, "{paths}");
        }
        let root = spec("  /a: {}\n") + "security: [{missing: []}]\n";
        assert_eq!(places(SpecRule::O5, &root), [(10, 13)]);
    }
}
