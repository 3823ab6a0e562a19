//! O2: a declared 401 declares its WWW-Authenticate header.

use super::{Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::Spec;

/// O2: RFC 9110 §15.5.2: "The server generating a 401 response MUST send a WWW-Authenticate
/// header field containing at least one challenge applicable to the target resource."
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O2,
    id: "O2",
    severity: Severity::Error,
    title: "A declared 401 declares the WWW-Authenticate header",
    source: "RFC 9110 §15.5.2",
    url: "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
    explanation: "Every 401 carries WWW-Authenticate with a challenge: declare the header in \
                  the response's `headers`, so clients and generated code read it.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    for operation in &spec.operations {
        let Some(response) = operation
            .responses
            .iter()
            .find(|response| response.status == "401")
        else {
            continue;
        };
        if !response
            .headers
            .iter()
            .any(|header| header == "www-authenticate")
        {
            findings.add(
                Some(operation),
                &response.at,
                format!(
                    "the 401 of {} declares no WWW-Authenticate header",
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
    fn a_401_declares_its_challenge() {
        let cases: &[(&str, &[(usize, usize)])] = &[
            ("  /a:\n    get:\n      responses:\n        '401': {description: no}\n", &[(12, 9)]),
            ("  /a:\n    get:\n      responses:\n        '401': {description: no, headers: {www-authenticate: {schema: {type: string}}}}\n", &[]),
            ("  /a:\n    get:\n      responses:\n        '401': {$ref: '#/components/responses/U'}\n", &[(12, 9)]),
            ("  /a:\n    get:\n      responses:\n        '403': {description: no}\n", &[]),
        ];
        for (paths, expected) in cases {
            assert_eq!(places(SpecRule::O2, &spec(paths)), *expected, "{paths}");
        }
    }

    #[test]
    fn a_referenced_response_is_followed() {
        let text = spec("  /a:\n    get:\n      responses:\n        '401': {$ref: '#/components/responses/U'}\n")
            .replace(
                "components:\n",
                "components:\n  responses:\n    U: {description: no, headers: {WWW-Authenticate: {$ref: '#/components/headers/W'}}}\n  headers:\n    W: {schema: {type: string}}\n",
            );
        assert_eq!(places(SpecRule::O2, &text), []);
    }
}
