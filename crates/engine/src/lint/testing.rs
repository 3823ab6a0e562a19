//! What the rules' table tests share: hand-made requests, responses and facts, and `check`,
//! which lints one case and compares the severities one rule reports.

pub(crate) use crate::facts::{Facts, Known, Origin, Presented};
pub(crate) use crate::http::{Header, Request, Status};
pub(crate) use crate::model::Severity::{self, Error, Note, Warning};
pub(crate) use crate::model::{Response, Rule};

// The pieces of a correct answer, as the `rfc` profile writes them.
pub(crate) const BEARER: &str = r#"Bearer realm="authpath-demo""#;
pub(crate) const BASIC: &str = r#"Basic realm="authpath-demo", charset="UTF-8""#;
pub(crate) const INVALID_TOKEN: &str =
    r#"Bearer realm="authpath-demo", error="invalid_token", error_description="the token expired""#;
pub(crate) const PROBLEM: &str = "application/problem+json";
pub(crate) const BODY_401: &str =
    r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"no credentials"}"#;
pub(crate) const BODY_403: &str =
    r#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"role user is not admin"}"#;
pub(crate) const BODY_404: &str =
    r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no such resource"}"#;

fn status(code: u16) -> Status {
    Status::received(code).unwrap_or_else(|| panic!("no Status for {code}"))
}

fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs
        .iter()
        .map(|(name, value)| Header {
            name: name.to_string(),
            value: value.to_string(),
        })
        .collect()
}

pub(crate) fn response(code: u16, pairs: &[(&str, &str)], body: &str) -> Response {
    Response {
        status: status(code),
        headers: headers(pairs),
        body: body.to_string(),
    }
}

/// A GET request with the given query parameters and headers.
pub(crate) fn request(query: &[(&str, &str)], pairs: &[(&str, &str)]) -> Request {
    Request {
        method: "GET".to_string(),
        target: "/profile".to_string(),
        path: "/profile".to_string(),
        query: query
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        version: "HTTP/1.1".to_string(),
        headers: headers(pairs),
        body: String::new(),
    }
}

pub(crate) fn facts(presented: Presented, verified: Option<bool>) -> Facts {
    Facts {
        presented,
        verified,
        ..Facts::default()
    }
}

/// No credentials were sent.
pub(crate) fn anonymous() -> Facts {
    facts(Presented::None, None)
}

/// A Bearer token was sent and verified (`Some(true)`) or failed (`Some(false)`).
pub(crate) fn bearer(verified: bool) -> Facts {
    facts(
        Presented::Read(crate::credentials::BEARER.clone()),
        Some(verified),
    )
}

/// Lints and compares the severities reported for `rule` with `expected`. Every finding, of
/// any rule, must be one sentence with a severity its rule declares.
pub(crate) fn check(
    rule: Rule,
    expected: &[Severity],
    request: Option<&Request>,
    facts: &Facts,
    response: &Response,
) {
    let findings = super::lint(request, facts, response);
    let got: Vec<Severity> = findings
        .iter()
        .filter(|finding| finding.rule == rule)
        .map(|finding| finding.severity)
        .collect();
    assert_eq!(
        got, expected,
        "{rule} on\n{response}\nall findings: {findings:#?}"
    );
    for finding in &findings {
        assert!(
            finding.message.ends_with('.') && !finding.message.contains('\n'),
            "one sentence: {:?}",
            finding.message
        );
        assert!(
            finding.rule.severities().contains(&finding.severity),
            "{} declares {:?}, not {:?}",
            finding.rule,
            finding.rule.severities(),
            finding.severity
        );
    }
}
