//! O6: no API key or token travels in the query.

use super::{Descriptor, Findings};
use crate::model::Severity;
use crate::openapi::{SchemeKind, Spec};
use crate::policy::KeyLocation;

/// O6: OWASP API Security Top 10 2023, API2 Broken Authentication ("sends sensitive
/// authentication details, such as auth tokens and passwords in the URL"); RFC 6750 §2.3 and
/// §5.3 for an access token in the URI.
pub(super) const RULE: Descriptor = Descriptor {
    rule: super::SpecRule::O6,
    id: "O6",
    severity: Severity::Warning,
    title: "No API key or token in the query",
    source: "OWASP API2:2023; RFC 6750 §2.3",
    url: "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/",
    explanation: "A credential in the URL ends up in logs, browser history and Referer \
                  headers: send it in a header (Authorization, or a key header) instead.",
    check,
};

fn check(spec: &Spec, findings: &mut Findings) {
    for scheme in &spec.schemes {
        if let SchemeKind::ApiKey {
            location: KeyLocation::Query,
            name,
            location_at,
            ..
        } = &scheme.kind
        {
            findings.add(
                None,
                location_at,
                format!(
                    "security scheme `{}` sends an API key in the query parameter {name}",
                    scheme.name
                ),
            );
        }
    }
    for operation in &spec.operations {
        for parameter in &operation.parameters {
            if parameter.location == "query" && parameter.name == "access_token" {
                findings.add(
                    Some(operation),
                    &parameter.at,
                    format!(
                        "{} takes an access token in the query parameter access_token",
                        operation.name()
                    ),
                );
            }
        }
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::super::testing::{places, spec};
    use super::super::SpecRule;

    #[test]
    fn credentials_stay_out_of_the_url() {
        let paths = "  /a:\n    get:\n      parameters:\n        - {name: access_token, in: query, schema: {type: string}}\n        - {name: page, in: query, schema: {type: string}}\n      responses: {'200': {description: ok}}\n";
        // The `key` scheme's `in: query`, and the parameter.
        assert_eq!(places(SpecRule::O6, &spec(paths)), [(6, 29), (12, 11)]);
        let header = spec(paths).replace("in: query, name: api_key", "in: header, name: X-Key");
        assert_eq!(places(SpecRule::O6, &header), [(12, 11)]);
    }
}
