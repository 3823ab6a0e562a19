//! The lint: judges one response against the rules R1–R22 of DESIGN.md.
//!
//! It reads the response text as a client would (it parses the challenges and the problem+json
//! body itself) and takes what only the server knows — whether the credentials verified, the
//! token's algorithm, whether a 404 conceals something — from the [`Facts`] the pipeline
//! gathered. Severity follows the word of the RFC behind each check: MUST → error,
//! SHOULD → warning, MAY or no normative word → note.
//!
//! Each rule has its own file, `rNN_what_it_checks.rs`, holding everything about it: its
//! [`Descriptor`] (id, severities, text, RFC citation), its check and its table test. To add a
//! rule: a variant of [`Rule`] in `rule.rs`, a file here (copy a small one such as
//! `r09_allow.rs`), and its line in [`RULES`].

pub(crate) mod challenge;
mod r01_challenge_present;
mod r02_valid_credentials_not_401;
mod r03_no_credentials_not_403;
mod r04_no_error_without_credentials;
mod r05_error_code_status;
mod r06_bearer_challenges;
mod r07_basic_challenges;
mod r08_scheme_case;
mod r09_allow;
mod r10_concealing_404;
mod r11_problem_json;
mod r12_algorithm;
mod r13_time_claims;
mod r14_token_in_query;
mod r15_challenge_syntax;
mod r16_problem_members;
mod r17_concealment_identical;
mod r18_basic_credentials;
mod r19_failed_credentials_401;
mod r20_stack_trace;
mod r21_credential_in_url;
mod r22_login_redirect;
#[cfg(test)]
mod testing;

use serde::{Deserialize, Serialize};

use crate::credentials::{Reader, Verifier, CSRF_COOKIE, READERS};
use crate::facts::{Facts, Origin, Presented};
use crate::http::Request;
use crate::model::{Finding, Response, Rule, Severity};
use challenge::Challenge;

/// Every rule, in id order: the one place a rule is registered. [`Rule::descriptor`] indexes
/// this table, so the order is checked when the crate compiles.
const RULES: [&Descriptor; 22] = [
    &r01_challenge_present::RULE,
    &r02_valid_credentials_not_401::RULE,
    &r03_no_credentials_not_403::RULE,
    &r04_no_error_without_credentials::RULE,
    &r05_error_code_status::RULE,
    &r06_bearer_challenges::RULE,
    &r07_basic_challenges::RULE,
    &r08_scheme_case::RULE,
    &r09_allow::RULE,
    &r10_concealing_404::RULE,
    &r11_problem_json::RULE,
    &r12_algorithm::RULE,
    &r13_time_claims::RULE,
    &r14_token_in_query::RULE,
    &r15_challenge_syntax::RULE,
    &r16_problem_members::RULE,
    &r17_concealment_identical::RULE,
    &r18_basic_credentials::RULE,
    &r19_failed_credentials_401::RULE,
    &r20_stack_trace::RULE,
    &r21_credential_in_url::RULE,
    &r22_login_redirect::RULE,
];

// Entry `n` of `RULES` describes the rule whose discriminant is `n`: the build fails otherwise.
const _: () = {
    let mut index = 0;
    while index < RULES.len() {
        assert!(
            RULES[index].rule as usize == index,
            "RULES lists the rules in the order of the Rule enum"
        );
        index += 1;
    }
};

/// Lints `response` against every rule that applies to it. `request` is the parsed request,
/// when it parsed; `facts` is what the pipeline learned. Findings are sorted by rule; a
/// response that breaks nothing gets none. Never panics, whatever the response holds.
pub fn lint(request: Option<&Request>, facts: &Facts, response: &Response) -> Vec<Finding> {
    judge(request, facts, response).0
}

/// A rule that could not judge an exchange because a fact it needs is unknown (a foreign
/// server's keys, routes, or the request itself), and what would let it judge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unjudged {
    pub rule: Rule,
    /// What the rule would need to know, in one sentence, e.g. `"validity unknown: give the
    /// keys (a scenario) to verify the credentials"`.
    pub needs: String,
}

/// Lints like [`lint`], and also says which rules could not judge for want of a fact. For
/// authpath's own answers (`Origin::Pipeline`) the second list is always empty.
pub fn judge(
    request: Option<&Request>,
    facts: &Facts,
    response: &Response,
) -> (Vec<Finding>, Vec<Unjudged>) {
    let context = Context::new(request, facts, response);
    let mut found = Vec::new();
    let mut unjudged = Vec::new();
    for descriptor in RULES {
        let mut findings = Findings {
            rule: descriptor.rule,
            found: &mut found,
            unjudged: &mut unjudged,
            foreign: facts.origin != Origin::Pipeline,
        };
        (descriptor.check)(&context, &mut findings);
    }
    found.sort_by_key(|finding| finding.rule);
    unjudged.dedup();
    (found, unjudged)
}

/// One rule: what names it, what it says, where the RFC says it, and how it is checked.
struct Descriptor {
    rule: Rule,
    /// The id as DESIGN.md writes it, e.g. `"R1"`.
    id: &'static str,
    /// The severities its findings may have.
    severities: &'static [Severity],
    /// The rule in a few words.
    title: &'static str,
    /// The RFC or standard section behind the rule, e.g. `"RFC 9110 §15.5.2"`.
    source: &'static str,
    /// The address of that section: rfc-editor.org for an RFC, the standard's page otherwise.
    url: &'static str,
    /// Why the rule exists, in one plain-language line.
    explanation: &'static str,
    /// Reads the context and adds the rule's findings.
    check: fn(&Context, &mut Findings),
}

impl Rule {
    /// Every rule, in order.
    pub fn all() -> [Rule; 22] {
        RULES.map(|descriptor| descriptor.rule)
    }

    /// The rule id as DESIGN.md writes it, e.g. `"R1"`.
    pub fn id(self) -> &'static str {
        self.descriptor().id
    }

    /// The severities the rule's findings may have: more than one when the RFC's words for
    /// its parts differ (a MUST and a SHOULD).
    pub fn severities(self) -> &'static [Severity] {
        self.descriptor().severities
    }

    /// The rule in a few words.
    pub fn title(self) -> &'static str {
        self.descriptor().title
    }

    /// The RFC or standard section behind the rule, e.g. `"RFC 9110 §15.5.2"`.
    pub fn source(self) -> &'static str {
        self.descriptor().source
    }

    /// The address of that section: rfc-editor.org for an RFC, the standard's page otherwise.
    pub fn url(self) -> &'static str {
        self.descriptor().url
    }

    /// Why the rule exists, in one plain-language line.
    pub fn explanation(self) -> &'static str {
        self.descriptor().explanation
    }

    /// The rule's descriptor, from its file.
    fn descriptor(self) -> &'static Descriptor {
        RULES[self as usize]
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.id())
    }
}

/// The field value's media type, lower-cased, without parameters.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Whether a `Content-Type` value is `application/problem+json`.
pub(crate) fn is_problem_json(value: &str) -> bool {
    media_type(value) == "application/problem+json"
}

/// The characters RFC 6750 §3 allows in `error` and `error_description` values:
/// `%x20-21 / %x23-5B / %x5D-7E` (printable ASCII but `"` and `\`).
fn is_error_text_char(character: char) -> bool {
    matches!(character, ' '..='~') && character != '"' && character != '\\'
}

/// The status a Bearer error code goes with (RFC 6750 §3.1).
pub(crate) fn error_code_status(code: &str) -> Option<u16> {
    match code {
        "invalid_request" => Some(400),
        "invalid_token" => Some(401),
        "insufficient_scope" => Some(403),
        _ => None,
    }
}

// The lint's whole use of a JSON library: these two lines and `problem_members`. The rules read
// the members through `Members::get` and `Value`'s variants and `is_…` tests.
use serde_json::Value;
type Members = serde_json::Map<String, Value>;

/// The members of a problem+json body, or why it has none.
fn problem_members(body: &str) -> Result<Members, &'static str> {
    match serde_json::from_str(body) {
        Ok(Value::Object(members)) => Ok(members),
        Ok(_) => Err("is JSON but not an object"),
        Err(_) => Err("is not valid JSON"),
    }
}

/// Where a check puts its findings; each belongs to the rule being checked.
struct Findings<'a> {
    rule: Rule,
    found: &'a mut Vec<Finding>,
    unjudged: &'a mut Vec<Unjudged>,
    /// The response is a foreign server's, so a missing fact is unknown, not unreached.
    foreign: bool,
}

impl Findings<'_> {
    fn add(&mut self, severity: Severity, message: String) {
        self.found.push(Finding {
            rule: self.rule,
            severity,
            message,
        });
    }

    /// Records that the rule could not judge a foreign exchange for want of `needs`. On
    /// authpath's own answers a missing fact was not reached, so nothing is recorded.
    fn unknown(&mut self, needs: String) {
        if self.foreign {
            self.unjudged.push(Unjudged {
                rule: self.rule,
                needs,
            });
        }
    }
}

/// What every check needs, read once.
struct Context<'a> {
    request: Option<&'a Request>,
    facts: &'a Facts,
    response: &'a Response,
    code: u16,
    /// Every `WWW-Authenticate` field, each parsed on its own.
    authenticate: Vec<(&'a str, challenge::Parsed)>,
    /// The body's members, when it is labelled problem+json and is a JSON object.
    problem: Option<Result<Members, &'static str>>,
    /// The request was HEAD, so the response has no content to read (RFC 9110 §9.3.2).
    head: bool,
    /// Bytes of content: the body, or for HEAD what Content-Length says GET would carry.
    content_length: usize,
}

impl<'a> Context<'a> {
    fn new(request: Option<&'a Request>, facts: &'a Facts, response: &'a Response) -> Self {
        let authenticate = response
            .headers_named("WWW-Authenticate")
            .map(|value| (value, challenge::parse(value)))
            .collect();
        let head = request.is_some_and(|request| request.method == "HEAD");
        let problem = response
            .header("Content-Type")
            .filter(|value| is_problem_json(value) && !head)
            .map(|_| problem_members(&response.body));
        Context {
            request,
            facts,
            response,
            code: response.status.code(),
            authenticate,
            problem,
            head,
            content_length: if head {
                response
                    .header("Content-Length")
                    .and_then(|value| value.trim().parse().ok())
                    .unwrap_or(0)
            } else {
                response.body.len()
            },
        }
    }

    fn challenges(&self) -> impl Iterator<Item = &Challenge> {
        self.authenticate
            .iter()
            .flat_map(|(_, parsed)| parsed.challenges.iter())
    }

    /// The server accepted the credentials: they verified, or they were verified and the
    /// answer is a 2xx anyway. A 2xx where nothing was verified (a public route) accepts
    /// nothing: the credentials were ignored.
    fn accepted(&self) -> bool {
        match self.facts.verified {
            Some(verified) => verified || self.response.status.is_success(),
            None => false,
        }
    }

    /// Whether the server reads no credentials in the request: none were sent, or a scheme
    /// with nothing after it, or a scheme it does not read. A foreign server's unsupported
    /// scheme counts only when someone knows it is one: the scenario that models the server,
    /// or the sender who made the credentials unacceptable (an `AWS4-HMAC-SHA256` signature
    /// is a credential to S3, whatever the finder calls it).
    fn reads_no_credentials(&self) -> bool {
        match self.facts.presented {
            Presented::None | Presented::Empty => true,
            Presented::Unsupported(_) => {
                self.facts.origin != Origin::ForeignUnknown || self.facts.known.unacceptable
            }
            _ => false,
        }
    }

    /// Whether the answer let the request in on a route that refuses a request without
    /// credentials, as the sender saw.
    fn let_in_where_refused(&self) -> bool {
        self.response.status.is_success() && self.facts.known.protected == Some(true)
    }

    /// Whether the request is unknown (a `curl -i` transcript holds only the response).
    fn request_unknown(&self) -> bool {
        self.facts.presented == Presented::NotExamined
    }

    /// What a rule needs when the credentials' validity is unknown: the keys, or (with a
    /// scenario) a route on which the scenario's server verifies them. Whether an API key was
    /// issued or a session is held only the server knows, and no key tells.
    fn validity_unknown(&self) -> String {
        let verifier = self.facts.presented.reader().map(|reader| reader.verifier);
        match (self.facts.origin, verifier) {
            (Origin::ForeignWithScenario, _) => "validity unknown: under the scenario the credentials are never verified for this request (its route is unknown or public, or it failed earlier)".to_string(),
            (_, Some(Verifier::ApiKey)) => "validity unknown: only the server knows whether it issued this API key".to_string(),
            (_, Some(Verifier::Session)) => "validity unknown: only the server knows whether it holds this session".to_string(),
            _ => "validity unknown: give the keys (a scenario) to verify the credentials".to_string(),
        }
    }

    /// For a request that sent no credential a reader reads: the cookies it carries that no
    /// reader reads (the server's, or else any default one), which may hold a foreign
    /// server's session, in what a rule would need to know. The CSRF cookie holds none.
    /// `None` when credentials were read, or there are no such cookies.
    fn unknown_cookies(&self) -> Option<String> {
        if self.facts.presented != Presented::None {
            return None;
        }
        let read = |name: &str| {
            let named = |reader: &Reader| reader.cookie() == Some(name);
            READERS.iter().copied().any(named) || self.facts.readers.iter().flatten().any(named)
        };
        let mut names: Vec<String> = Vec::new();
        let fields = self
            .request?
            .headers
            .iter()
            .filter(|header| header.name.eq_ignore_ascii_case("cookie"));
        for field in fields {
            for pair in field.value.split(';') {
                let Some((name, value)) = pair.trim().split_once('=') else {
                    continue;
                };
                let name = name.trim();
                let shown = crate::text::shorten(name, 40);
                if value.trim().is_empty()
                    || name == CSRF_COOKIE
                    || read(name)
                    || names.contains(&shown)
                {
                    continue;
                }
                names.push(shown);
            }
        }
        let (last, rest) = names.split_last()?;
        let listed = if rest.is_empty() {
            format!("the cookie {last}")
        } else {
            format!("the cookies {} and {last}", rest.join(", "))
        };
        Some(format!(
            "whether the request carried credentials: it sends {listed}, which no reader reads and which may hold the server's session"
        ))
    }

    /// What a rule needs when the request is unknown.
    fn request_needed(&self) -> String {
        "the request is unknown: paste the request that was sent too".to_string()
    }

    /// The `Authorization` scheme and credentials of the request, as sent.
    fn authorization(&self) -> Option<(&'a str, &'a str)> {
        let value = self.request?.header("Authorization")?.trim();
        Some(match value.split_once([' ', '\t']) {
            Some((scheme, credentials)) => (scheme, credentials.trim()),
            None => (value, ""),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::{lint, RULES};

    /// What the `rfc` profile answers: every response here must lint without an error.
    #[test]
    #[rustfmt::skip]
    fn correct_answers_have_no_errors() {
        let challenges = [
            ("WWW-Authenticate", BEARER),
            ("WWW-Authenticate", BASIC),
            ("Content-Type", PROBLEM),
        ];
        let expired = [
            ("WWW-Authenticate", INVALID_TOKEN),
            ("WWW-Authenticate", BASIC),
            ("Content-Type", PROBLEM),
        ];
        let body_expired = r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"the token expired"}"#;
        let scope = [
            ("WWW-Authenticate", r#"Bearer realm="authpath-demo", error="insufficient_scope", scope="reports:read""#),
            ("Content-Type", PROBLEM),
        ];
        let cases: [(Facts, Response); 7] = [
            (anonymous(), response(401, &challenges, BODY_401)),
            (Facts { token_expired: Some(true), ..bearer(false) }, response(401, &expired, body_expired)),
            (bearer(true), response(403, &scope, BODY_403)),
            (bearer(true), response(403, &[("Content-Type", PROBLEM)], BODY_403)),
            (Facts { concealed: true, ..bearer(true) }, response(404, &[("Content-Type", PROBLEM)], BODY_404)),
            (anonymous(), response(405, &[("Allow", "GET"), ("Content-Type", PROBLEM)], r#"{"title":"Method Not Allowed","status":405}"#)),
            (Facts { token_alg: Some("HS256".to_string()), leeway: Some(30), ..bearer(true) }, response(200, &[("Content-Type", "application/json")], "{}")),
        ];
        for (facts, response) in &cases {
            let errors: Vec<_> = lint(None, facts, response)
                .into_iter()
                .filter(|finding| finding.severity == Error)
                .collect();
            assert!(errors.is_empty(), "{response}\n{errors:#?}");
        }
    }

    /// What the `naive` profile answers: each mistake is named by its rule.
    #[test]
    #[rustfmt::skip]
    fn naive_answers_are_flagged_rule_by_rule() {
        let text = [("Content-Type", "text/plain")];
        let cases: [(Facts, Response, &[Rule]); 3] = [
            // 401 without a challenge, text body.
            (anonymous(), response(401, &text, "Unauthorized"), &[Rule::R1, Rule::R11]),
            // 403 for a token that failed verification.
            (bearer(false), response(403, &text, "Forbidden"), &[Rule::R2, Rule::R11]),
            // 403 for a request without credentials, and a bare Bearer challenge.
            (anonymous(), response(403, &[("WWW-Authenticate", "Bearer")], ""), &[Rule::R3, Rule::R11, Rule::R15]),
        ];
        for (facts, response, rules) in &cases {
            let findings = lint(None, facts, response);
            let mut got: Vec<Rule> = findings.iter().map(|finding| finding.rule).collect();
            got.dedup();
            assert_eq!(&got, rules, "{response}\n{findings:#?}");
        }
    }

    #[test]
    fn findings_come_sorted_by_rule() {
        let findings = lint(
            Some(&request(&[("access_token", "x")], &[])),
            &facts(
                Presented::Read(crate::credentials::ACCESS_TOKEN.clone()),
                Some(true),
            ),
            &response(401, &[], ""),
        );
        let rules: Vec<Rule> = findings.iter().map(|finding| finding.rule).collect();
        let mut sorted = rules.clone();
        sorted.sort();
        assert_eq!(rules, sorted);
        assert_eq!(
            rules,
            [Rule::R1, Rule::R2, Rule::R11, Rule::R14],
            "{findings:#?}"
        );
    }

    #[test]
    fn every_rule_names_its_source() {
        for (index, rule) in Rule::all().into_iter().enumerate() {
            let id = format!("R{}", index + 1);
            assert_eq!(rule.id(), id);
            assert_eq!(rule.to_string(), id);
            assert!(!rule.title().is_empty() && !rule.explanation().is_empty());
            // A rule from another standard (R20 OWASP ASVS, R21 the OWASP API Top 10) links
            // that standard's page.
            if !rule.source().starts_with("RFC ") {
                assert!(
                    rule.source().starts_with("OWASP ")
                        && rule.url().starts_with("https://owasp.org/"),
                    "{rule}: {} {}",
                    rule.source(),
                    rule.url()
                );
                continue;
            }
            let section = rule.source().rsplit('§').next().unwrap_or_default();
            let number = rule.source().split_whitespace().nth(1).unwrap_or_default();
            assert_eq!(
                rule.url(),
                format!("https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"),
                "{rule}"
            );
        }
        assert_eq!(
            Rule::R2.explanation(),
            "401 means *who are you?*; 403 means *you are not allowed here*."
        );
    }

    /// A `Rule` missing from `RULES` would be named `R21`: the enum stops at the table's end.
    #[test]
    fn every_rule_is_registered() {
        let past_the_end = format!("\"R{}\"", RULES.len() + 1);
        assert!(serde_json::from_str::<Rule>(&past_the_end).is_err());
        let last = format!("\"R{}\"", RULES.len());
        assert_eq!(
            serde_json::from_str::<Rule>(&last).ok(),
            Rule::all().last().copied()
        );
        for rule in Rule::all() {
            assert!(!rule.severities().is_empty(), "{rule}");
        }
    }
}
