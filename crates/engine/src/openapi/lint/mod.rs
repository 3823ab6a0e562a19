//! The lint of a spec: what it declares about authentication, judged against OpenAPI 3.1, the
//! HTTP RFCs and the OWASP API Security Top 10 (2023). Rules O1–O7, one file each
//! (`oNN_what_it_checks.rs`: its [`Descriptor`], its check and its table test), registered in
//! [`RULES`]. Severity follows the word of the source: MUST → error, SHOULD or "is expected
//! to" → warning. Each finding names its place in the spec (pointer, line, column).

mod o01_secured_declares_401;
mod o02_401_declares_challenge;
mod o03_rights_declare_403;
mod o04_public_declares_no_401;
mod o05_scheme_defined;
mod o06_credential_in_query;
mod o07_scope_declared;

use serde::{Deserialize, Serialize};

use super::{Operation, Place, SchemeKind, Spec};
use crate::model::Severity;

/// A rule of the spec lint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SpecRule {
    O1,
    O2,
    O3,
    O4,
    O5,
    O6,
    O7,
}

/// Everything about one rule, kept in its file.
pub(crate) struct Descriptor {
    rule: SpecRule,
    id: &'static str,
    severity: Severity,
    title: &'static str,
    source: &'static str,
    url: &'static str,
    explanation: &'static str,
    check: fn(&Spec, &mut Findings),
}

/// Every rule, in id order: the one place a rule is registered.
const RULES: [&Descriptor; 7] = [
    &o01_secured_declares_401::RULE,
    &o02_401_declares_challenge::RULE,
    &o03_rights_declare_403::RULE,
    &o04_public_declares_no_401::RULE,
    &o05_scheme_defined::RULE,
    &o06_credential_in_query::RULE,
    &o07_scope_declared::RULE,
];

// Entry `n` of `RULES` describes the rule whose discriminant is `n`.
const _: () = {
    let mut index = 0;
    while index < RULES.len() {
        assert!(
            RULES[index].rule as usize == index,
            "RULES lists the rules in the order of the SpecRule enum"
        );
        index += 1;
    }
};

impl SpecRule {
    /// Every rule, in id order.
    pub fn all() -> [SpecRule; 7] {
        RULES.map(|descriptor| descriptor.rule)
    }

    fn descriptor(self) -> &'static Descriptor {
        RULES[self as usize]
    }

    /// `O1` … `O7`.
    pub fn id(self) -> &'static str {
        self.descriptor().id
    }

    /// The severity of its findings.
    pub fn severity(self) -> Severity {
        self.descriptor().severity
    }

    /// One line: what a good spec does.
    pub fn title(self) -> &'static str {
        self.descriptor().title
    }

    /// The specification section it comes from, e.g. `RFC 9110 §15.5.2`.
    pub fn source(self) -> &'static str {
        self.descriptor().source
    }

    /// The source's address.
    pub fn url(self) -> &'static str {
        self.descriptor().url
    }

    /// Why, and how to fix it, in a sentence or two.
    pub fn explanation(self) -> &'static str {
        self.descriptor().explanation
    }
}

/// One finding of the spec lint: the rule, what is wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpecFinding {
    pub rule: SpecRule,
    pub severity: Severity,
    pub message: String,
    /// The operation it is about, `GET /users/{id}`, when it is about one.
    pub operation: Option<String>,
    pub place: Place,
}

/// The findings a rule adds to.
pub(crate) struct Findings {
    rule: SpecRule,
    found: Vec<SpecFinding>,
}

impl Findings {
    fn add(&mut self, operation: Option<&Operation>, place: &Place, message: String) {
        self.found.push(SpecFinding {
            rule: self.rule,
            severity: self.rule.severity(),
            message,
            operation: operation.map(Operation::name),
            place: place.clone(),
        });
    }
}

/// Every finding of every rule on `spec`, in rule order, then in the order of the text.
pub fn lint(spec: &Spec) -> Vec<SpecFinding> {
    let mut all = Vec::new();
    for descriptor in RULES {
        let mut findings = Findings {
            rule: descriptor.rule,
            found: Vec::new(),
        };
        (descriptor.check)(spec, &mut findings);
        findings
            .found
            .sort_by_key(|finding| (finding.place.line, finding.place.column));
        all.extend(findings.found);
    }
    all
}

/// Whether an operation needs credentials, or takes them where sent: its security names a
/// scheme somewhere.
fn secured(spec: &Spec, operation: &Operation) -> bool {
    spec.security_of(operation)
        .is_some_and(|security| !security.is_public())
}

/// Whether an operation's access depends on who calls: scopes or roles in its requirements,
/// or an `x-authpath` rule.
fn has_rights(spec: &Spec, operation: &Operation) -> bool {
    let extension = &operation.extension;
    let listed = spec.security_of(operation).is_some_and(|security| {
        security
            .requirements
            .iter()
            .flat_map(|requirement| &requirement.schemes)
            .any(|named| !named.values.is_empty())
    });
    secured(spec, operation)
        && (listed
            || extension.owner.is_some()
            || !extension.roles.is_empty()
            || !extension.scopes.is_empty())
}

/// The declared scopes of an `oauth2` scheme of that name.
fn declared_scopes<'a>(spec: &'a Spec, name: &str) -> Option<&'a [String]> {
    match &spec.scheme(name)?.kind {
        SchemeKind::OAuth2 { scopes } => Some(scopes),
        _ => None,
    }
}

#[cfg(all(test, feature = "yaml"))]
mod testing {
    use super::*;

    /// The places (line, column) of `rule`'s findings on the spec `text`.
    pub(super) fn places(rule: SpecRule, text: &str) -> Vec<(usize, usize)> {
        let (spec, _) = Spec::read(text).unwrap_or_else(|problem| panic!("{problem}"));
        lint(&spec)
            .into_iter()
            .filter(|finding| finding.rule == rule)
            .map(|finding| (finding.place.line, finding.place.column))
            .collect()
    }

    /// A spec with a bearer scheme, an API key in the query, an oauth2 scheme with the scope
    /// `read`, and `paths` as given (indented under `paths:`).
    pub(super) fn spec(paths: &str) -> String {
        let head = r#"openapi: 3.1.0
info: {title: t, version: '1'}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: query, name: api_key}
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://t.example', scopes: {read: r}}}}
paths:
"#;
        format!("{head}{paths}")
    }
}

#[cfg(all(test, feature = "yaml"))]
mod tests {
    use super::*;

    #[test]
    fn rules_are_registered_in_order_with_their_sources() {
        let ids: Vec<&str> = SpecRule::all().iter().map(|rule| rule.id()).collect();
        assert_eq!(ids, ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]);
        for rule in SpecRule::all() {
            assert!(rule.url().starts_with("https://"), "{rule:?}");
            assert!(
                !rule.source().is_empty() && !rule.title().is_empty(),
                "{rule:?}"
            );
        }
    }
}
