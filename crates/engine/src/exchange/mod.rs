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

use crate::credentials::{
    find_credentials_of, CredentialPlace, FoundCredential, Reader, Verifier, READERS,
};
pub use crate::facts::Known;
use crate::facts::{Facts, Origin, Presented};
use crate::http::{parse_request, Request, RequestError};
use crate::lint::{judge, Unjudged};
use crate::model::{Evaluation, Finding, Response, Scenario};
use crate::pipeline::evaluate_with_facts;
use crate::policy::Policy;

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
    check_declared(exchange, scenario, known, &[])
}

/// Lints `exchange` as [`check_knowing`] does, where the sender also declares the places of
/// its own credential that no reader looks at (`authpath probe --header 'X-Auth: …'`): found
/// there, and no credential elsewhere, the request presents one credential, whose validity
/// only the server (or a scenario) knows. Never panics.
pub fn check_declared(
    exchange: &Exchange,
    scenario: Option<&Scenario>,
    known: &Known,
    declared: &[Reader],
) -> Checked {
    let request = parse_request(&exchange.request);
    let response = parse_response(&exchange.response);
    let known_request = !exchange.request.trim().is_empty();
    let evaluated = scenario
        .filter(|_| known_request)
        .map(|scenario| evaluate_with_facts(&exchange.request, scenario));
    let readers = evaluated
        .as_ref()
        .and_then(|(_, facts)| facts.readers.as_deref());
    let presented = match (known_request, &evaluated) {
        (false, _) => Presented::NotExamined,
        // Credentials a policy requires together (OpenAPI's several schemes in one
        // requirement) are one way in, not several: the pipeline's joint reading says which.
        (true, Some((_, facts)))
            if scenario.is_some_and(|scenario| requires_jointly(&scenario.policy)) =>
        {
            match presented(&exchange.request, readers, declared) {
                Presented::Several => facts.presented.clone(),
                one => one,
            }
        }
        (true, _) => presented(&exchange.request, readers, declared),
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
    // Credentials the server accepted elsewhere are valid: a refusal here is about rights.
    let sender_knows = match (known.unacceptable, known.accepted) {
        _ if !presented.verifiable() => None,
        (true, _) => Some(false),
        (false, true) => Some(true),
        (false, false) => None,
    };
    let Some(own) = own else {
        return Facts {
            verified: sender_knows,
            presented,
            origin: Origin::ForeignUnknown,
            known: *known,
            ..Facts::default()
        };
    };
    Facts {
        profile: own.profile,
        presented,
        verified: sender_knows.or(own.verified),
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
        readers: own.readers.clone(),
        origin: Origin::ForeignWithScenario,
        known: *known,
    }
}

/// Whether any route of `policy` requires several schemes together.
fn requires_jointly(policy: &Policy) -> bool {
    policy
        .routes
        .iter()
        .any(|route| route.joint_requirements().next().is_some())
}

/// How `raw` presents credentials, from the credential finder, as the pipeline reads them
/// (`pipeline::credentials::extract`). `readers` are the server's readers for this request
/// (the scenario's, from its own run); `None` when the server is unknown: then every default
/// reader counts, and an `Authorization` field in any scheme. At most one credential is sent
/// on purpose (an `Authorization` field, a query parameter, an API key header: two are
/// `Several`); a cookie a reader reads is a browser's, sent along with whatever else: it
/// counts when nothing was sent on purpose, or, where the server's readers are known, when
/// its reader comes first in the server's order. As the pipeline reads a header: a scheme
/// the server does not read is unsupported whatever follows it; Bearer or Basic alone is
/// empty; an empty API key, query key or session is none at all. `declared` are places the
/// sender says carry its credential, where no reader looks: found there, and nothing else
/// found, they are one credential.
fn presented(raw: &str, readers: Option<&[Reader]>, declared: &[Reader]) -> Presented {
    let known: Vec<&Reader> = match readers {
        Some(readers) => readers.iter().collect(),
        None => READERS.to_vec(),
    };
    let reads_authorization =
        readers.is_none_or(|readers| readers.iter().any(|reader| reader.scheme().is_some()));
    let value =
        |credential: &FoundCredential| raw.get(credential.value.clone()).unwrap_or_default();
    let mut explicit: Vec<&FoundCredential> = Vec::new();
    let mut cookies: Vec<&FoundCredential> = Vec::new();
    let found = find_credentials_of(raw, &known);
    for credential in &found {
        let jwt = credential
            .reader
            .as_ref()
            .is_some_and(|reader| reader.verifier == Verifier::Jwt);
        let sent = jwt || !value(credential).trim().is_empty();
        match credential.place {
            CredentialPlace::AuthorizationHeader if reads_authorization => {
                explicit.push(credential);
            }
            CredentialPlace::AuthorizationHeader => {}
            CredentialPlace::QueryParameter | CredentialPlace::Header if sent => {
                explicit.push(credential);
            }
            CredentialPlace::Cookie if sent => cookies.push(credential),
            _ => {}
        }
    }
    // The first cookie in the order of the readers, as the pipeline tries them.
    let cookie = known.iter().find_map(|reader| {
        cookies
            .iter()
            .find(|credential| credential.reader.as_ref() == Some(*reader))
            .and_then(|credential| credential.reader.clone())
    });
    let sent = match explicit.as_slice() {
        [] => None,
        [one] => Some(sent_on_purpose(raw, one, readers)),
        _ => Some(Presented::Several),
    };
    match (sent, cookie) {
        (None, None) => declared_credential(raw, declared),
        (None, Some(cookie)) => Presented::Read(cookie),
        (Some(sent), None) => sent,
        (Some(sent), Some(cookie)) => {
            let Some(readers) = readers else {
                return sent;
            };
            let position = |wanted: &Reader| readers.iter().position(|reader| reader == wanted);
            let sent_at = match &sent {
                Presented::Read(reader) => position(reader),
                _ => readers.iter().position(Reader::explicit),
            };
            match (sent_at, position(&cookie)) {
                (Some(at), Some(cookie_at)) if at < cookie_at => sent,
                _ => Presented::Read(cookie),
            }
        }
    }
}

/// The credential sent on purpose, alone: a query parameter or key header read by its reader;
/// an `Authorization` field by its scheme.
fn sent_on_purpose(
    raw: &str,
    credential: &FoundCredential,
    readers: Option<&[Reader]>,
) -> Presented {
    if credential.place != CredentialPlace::AuthorizationHeader {
        return credential
            .reader
            .clone()
            .map_or(Presented::Malformed, Presented::Read);
    }
    Presented::of_authorization(
        raw.get(credential.value.clone()).unwrap_or_default(),
        readers,
    )
}

/// The sender's own credential, in a place it declared (a header or cookie no reader reads):
/// whichever of those places comes first in the text, or none.
fn declared_credential(raw: &str, declared: &[Reader]) -> Presented {
    let places: Vec<&Reader> = declared.iter().collect();
    find_credentials_of(raw, &places)
        .into_iter()
        .filter(|credential| credential.place != CredentialPlace::AuthorizationHeader)
        .filter(|credential| {
            !raw.get(credential.value.clone())
                .unwrap_or_default()
                .trim()
                .is_empty()
        })
        .find_map(|credential| credential.reader)
        .map_or(Presented::None, Presented::Read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credentials::{
        Place, ACCESS_TOKEN, API_KEY, API_KEY_IN_QUERY, BASIC, BEARER, SESSION,
    };

    #[test]
    #[rustfmt::skip]
    fn presented_follows_the_finder() {
        let bearer_only = [BEARER.clone()];
        let key_only = [API_KEY.clone()];
        let bearer_or_session = [BEARER.clone(), SESSION.clone()];
        let session_first = [SESSION.clone(), BASIC.clone()];
        let read = |reader: &Reader| Presented::Read(reader.clone());
        let cases: [(&str, Option<&[Reader]>, Presented); 26] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", None, Presented::None),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer abc.def\r\n\r\n", None, read(&BEARER)),
            ("GET / HTTP/1.1\r\nauthorization: bearer abc\r\n\r\n", None, read(&BEARER)),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer\r\n\r\n", None, Presented::Empty),
            ("GET / HTTP/1.1\r\nAuthorization: Basic \r\n\r\n", Some(&bearer_only), Presented::Empty),
            ("GET / HTTP/1.1\r\nAuthorization: Digest\r\n\r\n", None, Presented::Unsupported("Digest".to_string())),
            ("GET / HTTP/1.1\r\nAuthorization: Bearer a b\r\n\r\n", None, Presented::Malformed),
            ("GET / HTTP/1.1\r\nAuthorization: Basic dTpw\r\n\r\n", None, read(&BASIC)),
            ("GET / HTTP/1.1\r\nAuthorization: Basic dTpw\r\n\r\n", Some(&bearer_only), Presented::Unsupported("Basic".to_string())),
            ("GET /?access_token=x HTTP/1.1\r\n\r\n", None, read(&ACCESS_TOKEN)),
            ("GET /?access_token=x HTTP/1.1\r\nAuthorization: Bearer y\r\n\r\n", None, Presented::Several),
            // API keys: in a header, in the URL; two sent on purpose are several; an empty one
            // is none at all.
            ("GET / HTTP/1.1\r\nX-API-Key: k\r\n\r\n", None, read(&API_KEY)),
            ("GET /?api_key=k HTTP/1.1\r\n\r\n", None, read(&API_KEY_IN_QUERY)),
            ("GET / HTTP/1.1\r\nX-API-Key: k\r\nAuthorization: Bearer t\r\n\r\n", None, Presented::Several),
            ("GET / HTTP/1.1\r\nX-API-Key: \r\n\r\n", None, Presented::None),
            // A route that reads only the key does not read an Authorization field at all.
            ("GET / HTTP/1.1\r\nAuthorization: Bearer t\r\n\r\n", Some(&key_only), Presented::None),
            ("GET /?api_key=k HTTP/1.1\r\n\r\n", Some(&key_only), Presented::None),
            // Cookies: a session counts when nothing was sent on purpose; other cookies are
            // no credentials a reader reads.
            ("GET / HTTP/1.1\r\nCookie: theme=dark; sessionid=s\r\n\r\n", None, read(&SESSION)),
            ("GET / HTTP/1.1\r\nCookie: sessionid=\r\n\r\n", None, Presented::None),
            ("GET / HTTP/1.1\r\nCookie: theme=dark\r\n\r\n", None, Presented::None),
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\nAuthorization: Bearer t\r\n\r\n", None, read(&BEARER)),
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\nAuthorization: Bearer\r\n\r\n", None, Presented::Empty),
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\nAuthorization: Bearer t\r\n\r\n", Some(&bearer_or_session), read(&BEARER)),
            // Where the server's order is known, a session reader before Basic wins (DRF).
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\nAuthorization: Basic dTpw\r\n\r\n", Some(&session_first), read(&SESSION)),
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\nAuthorization: Digest x\r\n\r\n", Some(&session_first), read(&SESSION)),
            ("GET / HTTP/1.1\r\nCookie: sessionid=s\r\n\r\n", Some(&key_only), Presented::None),
        ];
        for (raw, readers, expected) in cases {
            assert_eq!(presented(raw, readers, &[]), expected, "{raw:?} {readers:?}");
        }
    }

    #[test]
    fn declared_places_count_when_nothing_else_was_found() {
        let declared = [Reader {
            place: Place::Header("X-Auth".into()),
            ..API_KEY.clone()
        }];
        let cases = [
            (
                "GET / HTTP/1.1\r\nX-Auth: k\r\n\r\n",
                Presented::Read(declared[0].clone()),
            ),
            ("GET / HTTP/1.1\r\nX-Auth: \r\n\r\n", Presented::None),
            (
                "GET / HTTP/1.1\r\nX-Auth: k\r\nX-API-Key: a\r\n\r\n",
                Presented::Read(API_KEY.clone()),
            ),
            ("GET / HTTP/1.1\r\n\r\n", Presented::None),
        ];
        for (raw, expected) in cases {
            assert_eq!(presented(raw, None, &declared), expected, "{raw:?}");
        }
    }
}
