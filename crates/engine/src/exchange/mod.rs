//! The lint of an exchange from anywhere: a request that was sent to some server and the
//! response that came back, pasted as raw text, a `curl -v` / `curl -i` transcript or a HAR
//! file.
//!
//! authpath's own answers are linted with every fact the pipeline learned. A foreign server's
//! answer is linted with what can be known about it: which credentials the request presented
//! and where (the credential finder); when a scenario is given, whether they verify under the
//! scenario's keys and whether the route exists in its policy, both taken from
//! [`evaluate`](crate::evaluate) of the same request; and what the sender of the request knows
//! ([`Known`], through [`check_knowing`]): `authpath probe` knows that its broken token, its
//! bare `Bearer` and its made-up `Digest` carry no credential any server accepts, and whether
//! the route refused its request without credentials. A rule that needs a fact nobody knows
//! says so in an [`Unjudged`] instead of guessing.
//!
//! ```
//! use authpath_engine::exchange::{check, read_exchanges};
//! use authpath_engine::Rule;
//!
//! let text = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\nHTTP/1.1 403 Forbidden\r\n\r\n";
//! let exchanges = read_exchanges(text).unwrap_or_default();
//! let checked = check(&exchanges[0].1, None);
//! assert!(checked.findings.iter().any(|finding| finding.rule == Rule::R3));
//! ```

mod read;
mod response;

use serde::{Deserialize, Serialize};

use crate::credentials::{find_credentials, CredentialPlace, Reader, Verifier, READERS};
pub use crate::facts::Known;
use crate::facts::{Facts, Origin, Presented};
use crate::http::{parse_request, Request, RequestError};
use crate::lint::{judge, Unjudged};
use crate::model::{Evaluation, Finding, Response, Scenario};
use crate::pipeline::evaluate_with_facts;
use crate::text::{is_token68, percent_decode};

pub use read::{read_exchanges, ExchangeError};
pub use response::{parse_response, ResponseError};

/// One request and the response that came back, each as raw HTTP/1.1 text. `request` is empty
/// when the source held only the response (a `curl -i` transcript).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: String,
    pub response: String,
}

/// Where an exchange was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// A raw request, a blank line and a raw response.
    Raw,
    /// A `curl -v` transcript (`> ` request lines, `< ` response lines, the body).
    CurlVerbose,
    /// A `curl -i` transcript, or a raw response alone: no request is known.
    CurlInclude,
    /// Entry `index` (0-based) of a HAR file's `log.entries`.
    Har { index: usize },
}

/// The lint of one exchange.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checked {
    /// The request as parsed (an error for an empty request: a `curl -i` transcript).
    pub request: Result<Request, RequestError>,
    /// The response as parsed; when it does not parse, nothing is linted.
    pub response: Result<Response, ResponseError>,
    /// How the request presented credentials, as the credential finder sees them;
    /// `NotExamined` when the request is unknown.
    pub presented: Presented,
    /// What the response breaks, sorted by rule.
    pub findings: Vec<Finding>,
    /// The rules that could not judge for want of a fact, and what they would need.
    pub unjudged: Vec<Unjudged>,
    /// authpath's own evaluation of the request under the scenario: under the `rfc` profile,
    /// its response is the RFC-correct answer. `None` without a scenario or a request.
    pub expected: Option<Evaluation>,
}

/// Lints `exchange`. Without a scenario only the texts are known; with one, whether the
/// credentials verify and whether the route exists come from evaluating the request under
/// it. Never panics, whatever the texts hold. The same as [`check_knowing`] with
/// `Known::default()`.
pub fn check(exchange: &Exchange, scenario: Option<&Scenario>) -> Checked {
    check_knowing(exchange, scenario, &Known::default())
}

/// Lints `exchange` as [`check`] does, and with what its sender knows (`known`): credentials
/// made to be unacceptable count as failing verification where the server reads them (R2,
/// R19), and as no credentials where it does not (R3), instead of leaving those rules
/// unjudged; a 2xx on a route the sender saw refuse a request without credentials is judged
/// too. What `known` says wins over the scenario's evaluation, which cannot know it. Never
/// panics.
pub fn check_knowing(exchange: &Exchange, scenario: Option<&Scenario>, known: &Known) -> Checked {
    let request = parse_request(&exchange.request);
    let response = parse_response(&exchange.response);
    let known_request = !exchange.request.trim().is_empty();
    let evaluated = scenario
        .filter(|_| known_request)
        .map(|scenario| evaluate_with_facts(&exchange.request, scenario));
    // Under a scenario, the request is presented to the server as the pipeline read it (its
    // readers on that route, in its order); without one, as the credential finder sees it.
    let presented = match (&evaluated, known_request) {
        (_, false) => Presented::NotExamined,
        (Some((_, facts)), true) => facts.presented.clone(),
        (None, true) => presented(&exchange.request),
    };
    let (findings, unjudged) = match &response {
        Ok(answer) => {
            let facts = foreign_facts(
                presented.clone(),
                evaluated.as_ref().map(|(_, facts)| facts),
                known,
                answer,
            );
            judge(request.as_ref().ok(), &facts, answer)
        }
        Err(_) => (Vec::new(), Vec::new()),
    };
    Checked {
        request,
        response,
        presented,
        findings,
        unjudged,
        expected: evaluated.map(|(evaluation, _)| evaluation),
    }
}

/// The facts of a foreign exchange: what the request shows, what authpath's own run of it
/// (`own`, under a scenario) learned about the credentials and the route, and what its sender
/// knows. What only the foreign server knows — its leeway, whether its 404 for another path is
/// the same — stays unknown.
fn foreign_facts(
    presented: Presented,
    own: Option<&Facts>,
    known: &Known,
    response: &Response,
) -> Facts {
    // Credentials made to be unacceptable fail wherever they are verified; a scheme the
    // server does not read is no credentials to it, which R3 reads from `known` instead.
    let failed = (known.unacceptable && presented.verifiable()).then_some(false);
    let Some(own) = own else {
        return Facts {
            verified: failed,
            presented,
            origin: Origin::ForeignUnknown,
            known: *known,
            ..Facts::default()
        };
    };
    Facts {
        profile: own.profile,
        presented,
        verified: failed.or(own.verified),
        token_alg: own.token_alg.clone(),
        accepted_algorithms: own.accepted_algorithms.clone(),
        route_exists: own.route_exists,
        authorized: own.authorized,
        // A 404 for a route the policy has hides it; the real 404 to compare it with is the
        // foreign server's, which nobody has here.
        concealed: response.status.code() == 404 && own.route_exists == Some(true),
        counterpart: None,
        token_expired: own.token_expired,
        token_not_yet_valid: own.token_not_yet_valid,
        leeway: None,
        schemes: own.schemes.clone(),
        origin: Origin::ForeignWithScenario,
        known: *known,
    }
}

/// How `raw` presents credentials, from the credential finder, to a server that reads Bearer
/// and Basic: one `Authorization` header or one `access_token` parameter, or several. As the
/// pipeline reads a header: a scheme other than Bearer and Basic is unsupported whatever
/// follows it; Bearer or Basic alone is empty.
fn presented(raw: &str) -> Presented {
    let found = find_credentials(raw);
    let [credential] = found.as_slice() else {
        return if found.is_empty() {
            Presented::None
        } else {
            Presented::Several
        };
    };
    if credential.place == CredentialPlace::QueryParameter {
        let field = raw.get(credential.field.clone()).unwrap_or_default();
        let name = field.split_once('=').map_or(field, |(name, _)| name);
        let name = percent_decode(name, true).unwrap_or_default();
        return match READERS
            .iter()
            .find(|reader| reader.parameter() == Some(&name))
        {
            Some(reader) => Presented::Read(Reader::clone(reader)),
            None => Presented::Malformed,
        };
    }
    let value = raw.get(credential.value.clone()).unwrap_or_default().trim();
    let (scheme, secret) = match value.split_once([' ', '\t']) {
        Some((scheme, secret)) => (scheme, secret.trim()),
        None => (value, ""),
    };
    if scheme.is_empty() {
        return Presented::Malformed;
    }
    let Some(reader) = READERS.iter().find(|reader| {
        reader
            .scheme()
            .is_some_and(|name| name.eq_ignore_ascii_case(scheme))
    }) else {
        return Presented::Unsupported(scheme.to_string());
    };
    if secret.is_empty() {
        return Presented::Empty;
    }
    if reader.verifier == Verifier::Jwt && !is_token68(secret) {
        return Presented::Malformed;
    }
    Presented::Read(Reader::clone(reader))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[rustfmt::skip]
    fn presented_follows_the_finder() {
        let cases: [(&str, Presented); 9] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", Presented::None),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer abc.def\r\n\r\n", Presented::Read(crate::credentials::BEARER.clone())),
            ("GET / HTTP/1.1\r\nauthorization: bearer abc\r\n\r\n", Presented::Read(crate::credentials::BEARER.clone())),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer\r\n\r\n", Presented::Empty),
            ("GET / HTTP/1.1\r\nAuthorization: Digest\r\n\r\n", Presented::Unsupported("Digest".to_string())),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer a b\r\n\r\n", Presented::Malformed),
            ("GET / HTTP/1.1\r\nAuthorization: Basic dTpw\r\n\r\n", Presented::Read(crate::credentials::BASIC.clone())),
            ("GET /?access_token=x HTTP/1.1\r\n\r\n", Presented::Read(crate::credentials::ACCESS_TOKEN.clone())),
            ("GET /?access_token=x HTTP/1.1\r\nAuthorization: Bearer y\r\n\r\n", Presented::Several),
        ];
        for (raw, expected) in cases {
            assert_eq!(presented(raw), expected, "{raw:?}");
        }
    }
}
