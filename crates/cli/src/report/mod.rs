//! What `check` and `probe` found, and the four ways of writing it: readable text, JSON,
//! JUnit XML (one test case per exchange, a failure per error-level finding) and SARIF 2.1.0
//! (one result per finding, the rules in `tool.driver.rules`).
//!
//! Credentials never reach a report: every credential the engine's finder sees in a request
//! is masked (the scheme stays, the secret becomes `‹redacted›`), because reports are uploaded
//! to dashboards and code-scanning services.

pub(crate) mod junit;
mod sarif;
mod text;

pub use sarif::SCHEMA as SARIF_SCHEMA;

use authpath_engine::identities::{Breach, Who};
use authpath_engine::{withhold_secrets, Finding, Profile, Rule, Severity};
use serde::Serialize;

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Junit,
    Sarif,
}

impl Format {
    /// Reads `--format`'s value; the error is the usage message.
    pub fn parse(value: &str) -> Result<Format, String> {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "junit" => Ok(Format::Junit),
            "sarif" => Ok(Format::Sarif),
            _ => Err(format!(
                "--format must be one of text, json, junit, sarif, not {value:?}"
            )),
        }
    }
}

/// A whole run: what was judged, and each exchange.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `probe` or `check`.
    pub command: &'static str,
    /// The base URL probed, or the file checked (`-` for stdin).
    pub target: String,
    /// The profile whose fixes the findings carry.
    #[serde(serialize_with = "profile_id")]
    pub profile: Profile,
    /// Whether the exchanges were judged under the scenario (its policy, keys, users and
    /// clock); `false` when the credentials do not verify under its keys, so their validity is
    /// unknown.
    pub scenario: bool,
    /// `probe --identities`: who each identity is, anonymous first, without a secret (what
    /// it sends in words, its roles, scopes and objects).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<Who>,
    pub exchanges: Vec<Exchange>,
    /// What was not sent, and why: `probe --openapi` its unsafe methods and operations missing
    /// parameters, `probe --identities` without `--unsafe` the requests of unsafe methods
    /// planned, as `identity · METHOD path`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// One request and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    /// e.g. `GET /profile · no credentials`, or `exchange 2` in a HAR file.
    pub name: String,
    /// e.g. `GET /profile`.
    pub endpoint: String,
    /// The raw request, credentials masked.
    pub request: String,
    /// The status; `None` when no answer came.
    pub status: Option<u16>,
    /// The raw response; `None` when no answer came.
    pub response: Option<String>,
    /// Why no answer came (refused, timed out, …).
    pub error: Option<String>,
    /// Where a 3xx pointed (`Location`); redirects are reported, never followed.
    pub redirect: Option<String>,
    /// What the policy and the claims say the status should be, and why.
    pub expected: Option<Expectation>,
    /// The lint's findings, then the status check's.
    pub findings: Vec<Item>,
    /// The rules that could not judge, each with what it would need: `R2: validity unknown…`.
    pub unjudged: Vec<String>,
    /// What the RFCs would answer to this request under the scenario (authpath's `rfc`
    /// profile): its status line and challenges, e.g. `401 Unauthorized; WWW-Authenticate:
    /// Bearer realm="api"`. `None` when the exchange was not judged under the scenario.
    pub rfc_answer: Option<String>,
    /// `probe --identities`: the identity that sent it (`anonymous` for none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
    /// `probe --identities`: the cell of the matrix it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<CellReport>,
}

/// One cell of the access matrix (`probe --identities`): the operation, why the request was
/// made, whether the identity may, and the mark the matrix shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellReport {
    /// The route it exercises (`GET /users/{id}/notes`).
    pub operation: String,
    /// `the operation`, `alice's object`, `a neighbour of … that does not exist`, `a method
    /// the path does not declare`.
    pub purpose: String,
    /// `yes`, `no` or `unknown`, as the policy says for the identity.
    pub may: &'static str,
    /// `ok`, the id of the first error (`BOLA`, `BFLA`, `refused`, `R2`, …), or `?` where the
    /// access is unknown or the cell not judged.
    pub mark: String,
}

/// The `rfc` profile's answer to `raw_request` under `scenario`, as a report shows it: the
/// status and the challenges; `None` without a scenario, or for a path its policy does not
/// have (whose answer there says nothing about the server's route).
pub fn rfc_answer(
    raw_request: &str,
    scenario: Option<&authpath_engine::Scenario>,
) -> Option<String> {
    let scenario = authpath_engine::Scenario {
        profile: Profile::Rfc,
        ..scenario?.clone()
    };
    let request = authpath_engine::parse_request(raw_request).ok()?;
    let path = request.target.split('?').next().unwrap_or_default();
    if scenario.policy.resolve(&request.method, path) == authpath_engine::RouteMatch::NotFound {
        return None;
    }
    let response = authpath_engine::evaluate(raw_request, &scenario).response;
    let mut text = format!("{} {}", response.status.code(), response.status.reason());
    for challenge in response.headers_named("WWW-Authenticate") {
        text.push_str(&format!("; WWW-Authenticate: {challenge}"));
    }
    Some(text)
}

/// What the status should have been.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expectation {
    /// e.g. `401`, `403 or 404`, `2xx`.
    pub status: String,
    pub why: String,
}

/// One finding, with what a report needs to say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The rule id (`R1` … `R20`), or [`STATUS_RULE`] for a status the policy contradicts.
    pub rule: String,
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    pub message: String,
    /// The rule's source, e.g. `RFC 9110 §15.5.2`.
    pub source: String,
    /// The RFC section's address.
    pub url: String,
    /// How to fix it: the framework's own advice under a framework profile, else what the
    /// rule asks for.
    pub fix: String,
}

/// The id of the check that an answer has the status the policy and the claims call for.
pub const STATUS_RULE: &str = "status";
/// The id of the check that an answered status is one the spec's operation declares.
pub const DECLARED_RULE: &str = "declared";
const DECLARED_TITLE: &str = "The status answered is one the OpenAPI operation declares";
const DECLARED_SOURCE: &str = "OpenAPI 3.1.0 Responses Object";
const DECLARED_URL: &str = "https://spec.openapis.org/oas/v3.1.0#responses-object";
const STATUS_TITLE: &str = "The status is the one the policy and the token's claims call for";
const STATUS_SOURCE: &str = "RFC 9110 §15.5.2, §15.5.4";
const STATUS_URL: &str = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5";

impl Item {
    /// A lint finding, with the fix for `profile`.
    pub fn from_finding(finding: &Finding, profile: Profile) -> Item {
        let rule = finding.rule;
        Item {
            rule: rule.id().to_string(),
            severity: finding.severity,
            message: finding.message.clone(),
            source: rule.source().to_string(),
            url: rule.url().to_string(),
            fix: fix_text(rule, profile),
        }
    }

    /// A status the spec's operation does not declare (neither itself, its range nor
    /// `default`).
    pub fn undeclared(status: u16, operation: &authpath_engine::openapi::Operation) -> Item {
        let declared: Vec<&str> = operation
            .responses
            .iter()
            .map(|response| response.status.as_str())
            .collect();
        Item {
            rule: DECLARED_RULE.to_string(),
            severity: Severity::Warning,
            message: format!(
                "the answer is {status}, which {} does not declare (it declares {})",
                operation.name(),
                if declared.is_empty() {
                    "no response".to_string()
                } else {
                    declared.join(", ")
                }
            ),
            source: DECLARED_SOURCE.to_string(),
            url: DECLARED_URL.to_string(),
            fix: format!(
                "declare {status} in the operation's responses (clients code against them), or answer one it declares"
            ),
        }
    }

    /// A status the expectation does not allow.
    pub fn unexpected_status(status: u16, expected: &Expectation) -> Item {
        Item {
            rule: STATUS_RULE.to_string(),
            severity: Severity::Error,
            message: format!(
                "the answer is {status}, but it should be {}: {}",
                expected.status, expected.why
            ),
            source: STATUS_SOURCE.to_string(),
            url: STATUS_URL.to_string(),
            fix: format!("answer {} here", expected.status),
        }
    }
}

/// The framework's advice for `rule`, or the rule's own explanation.
pub fn fix_text(rule: Rule, profile: Profile) -> String {
    match profile.spec().fix(rule) {
        Some(fix) => format!("{} ({})", fix.advice, fix.docs),
        None => rule.explanation().replace(['*', '`'], ""),
    }
}

/// A rule's one-line title, for the reports' rule lists.
fn title(rule: &str) -> String {
    if let Some(breach) = Breach::from_id(rule) {
        return breach.title().to_string();
    }
    match rule_of(rule) {
        Some(rule) => rule.title().to_string(),
        None if rule == DECLARED_RULE => DECLARED_TITLE.to_string(),
        None => STATUS_TITLE.to_string(),
    }
}

fn rule_of(id: &str) -> Option<Rule> {
    Rule::all().into_iter().find(|rule| rule.id() == id)
}

impl Report {
    /// The report in `format`, ending with a line break.
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Text => text::render(self),
            Format::Json => {
                let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
                text.push('\n');
                text
            }
            Format::Junit => junit::render(self),
            Format::Sarif => sarif::render(self),
        }
    }

    /// How many findings of error level there are.
    pub fn errors(&self) -> usize {
        self.exchanges
            .iter()
            .flat_map(|exchange| &exchange.findings)
            .filter(|item| item.severity == Severity::Error)
            .count()
    }

    /// Every rule that has a finding: the breaches of `probe --identities` first, then the R
    /// rules in rule order, the status check last.
    fn rules(&self) -> Vec<String> {
        let found: Vec<&str> = self
            .exchanges
            .iter()
            .flat_map(|exchange| &exchange.findings)
            .map(|item| item.rule.as_str())
            .collect();
        let mut rules: Vec<String> = Breach::ALL
            .into_iter()
            .map(Breach::id)
            .chain(Rule::all().into_iter().map(|rule| rule.id()))
            .filter(|id| found.contains(id))
            .map(str::to_string)
            .collect();
        if found.contains(&STATUS_RULE) {
            rules.push(STATUS_RULE.to_string());
        }
        if found.contains(&DECLARED_RULE) {
            rules.push(DECLARED_RULE.to_string());
        }
        rules
    }
}

/// `raw` with every value the engine's finder says may be a secret replaced by `‹redacted›`:
/// an `Authorization` value keeps its scheme, a cookie, header or query parameter its name.
pub fn masked(raw: &str) -> String {
    withhold_secrets(raw, "‹redacted›").unwrap_or_else(|| raw.to_string())
}

fn severity_name<S: serde::Serializer>(
    severity: &Severity,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(severity_word(*severity))
}

fn profile_id<S: serde::Serializer>(profile: &Profile, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(profile.id())
}

/// The severity as the reports write it.
pub fn severity_word(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_masked_and_their_scheme_kept() {
        let cases = [
            (
                "GET / HTTP/1.1\r\nAuthorization: Bearer abc.def.ghi\r\n\r\n",
                "GET / HTTP/1.1\r\nAuthorization: Bearer ‹redacted›\r\n\r\n",
            ),
            (
                "GET / HTTP/1.1\r\nauthorization: Basic YWxpY2U6cHc=\r\n\r\n",
                "GET / HTTP/1.1\r\nauthorization: Basic ‹redacted›\r\n\r\n",
            ),
            (
                "GET / HTTP/1.1\r\nAuthorization: Bearer\r\n\r\n",
                "GET / HTTP/1.1\r\nAuthorization: Bearer\r\n\r\n",
            ),
            (
                "GET /a?access_token=secret&b=1 HTTP/1.1\r\n\r\n",
                "GET /a?access_token=‹redacted›&b=1 HTTP/1.1\r\n\r\n",
            ),
            ("GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n"),
            (
                "GET /?api_key=k HTTP/1.1\r\nCookie: sessionid=s; theme=dark\r\nX-API-Key: k\r\n\r\n",
                "GET /?api_key=‹redacted› HTTP/1.1\r\nCookie: sessionid=‹redacted›; theme=‹redacted›\r\nX-API-Key: ‹redacted›\r\n\r\n",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(masked(raw), expected, "{raw:?}");
        }
    }

    #[test]
    fn formats_are_read_in_any_case() {
        assert_eq!(Format::parse("SARIF"), Ok(Format::Sarif));
        assert_eq!(Format::parse("junit"), Ok(Format::Junit));
        assert!(Format::parse("xml").is_err());
    }
}
