//! "The other requests that end here": for each node a request passed, a few other requests
//! that leave that node by the same exit, so a reader sees the class and not one case. The
//! requests are the builder's (every route of the policy, every way of sending credentials,
//! every validity of each, none at all, the least that passes, an unknown path, a method the
//! route lacks), each run through [`evaluate`]; an example is listed only where its own trace
//! takes that exit.
//!
//! ```
//! use authpath_engine::teach::class::same_exit;
//! use authpath_engine::{evaluate, Scenario};
//!
//! let scenario = Scenario::default();
//! let raw = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n";
//! let classes = same_exit(&evaluate(raw, &scenario), raw, &scenario, 3);
//! let last = classes.last().expect("the deciding node");
//! assert!(!last.examples.is_empty());
//! ```

use serde::Serialize;

use crate::model::{Evaluation, Scenario};
use crate::pipeline::evaluate;
use crate::policy::fill_pattern;
use crate::profile::Node;
use crate::teach::mock::{CredentialKind, CsrfToken, MockRequest, Validity};

/// The exit a request took at one node, and other requests that take it too.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Class {
    pub node: Node,
    /// The exit's id, as the trace step and the graph name it.
    pub exit: String,
    /// At most the limit asked for, each a different request.
    pub examples: Vec<Example>,
}

/// One other request of the class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Example {
    /// What it is, in words: "GET /admin with an expired Bearer token".
    pub words: String,
    /// Its raw text.
    pub request: String,
}

/// Per exit the evaluated request (`raw`) took, in the order of its trace, up to `limit` other
/// requests that take the same exit at the same node, the most varied first (one per route and
/// way of sending before a second).
pub fn same_exit(
    evaluation: &Evaluation,
    raw: &str,
    scenario: &Scenario,
    limit: usize,
) -> Vec<Class> {
    let taken: Vec<(Node, String)> = evaluation
        .trace
        .iter()
        .filter_map(|step| step.exit.clone().map(|exit| (step.node, exit)))
        .collect();
    if taken.is_empty() {
        return Vec::new();
    }
    let gallery: Vec<Tried> = gallery(scenario)
        .into_iter()
        .filter(|(_, request)| request != raw)
        .map(|(words, request)| {
            let exits = evaluate(&request, scenario)
                .trace
                .into_iter()
                .filter_map(|step| step.exit.map(|exit| (step.node, exit)))
                .collect();
            Tried {
                words,
                request,
                exits,
            }
        })
        .collect();
    taken
        .into_iter()
        .map(|(node, exit)| {
            let matching: Vec<&Tried> = gallery
                .iter()
                .filter(|tried| {
                    tried
                        .exits
                        .iter()
                        .any(|(at, by)| *at == node && *by == exit)
                })
                .collect();
            // Round robin over the gallery's order, which is by route, then by way of sending:
            // every `stride`-th first, so the few shown differ.
            let stride = (matching.len() / limit.max(1)).max(1);
            let mut examples: Vec<Example> = Vec::new();
            for offset in 0..stride {
                for tried in matching.iter().skip(offset).step_by(stride) {
                    if examples.len() < limit
                        && !examples
                            .iter()
                            .any(|example| example.request == tried.request)
                    {
                        examples.push(Example {
                            words: tried.words.clone(),
                            request: tried.request.clone(),
                        });
                    }
                }
            }
            Class {
                node,
                exit,
                examples,
            }
        })
        .collect()
}

/// A request of the gallery, evaluated: the exits it took.
struct Tried {
    words: String,
    request: String,
    exits: Vec<(Node, String)>,
}

/// The builder's requests over the scenario's API, each with its words.
fn gallery(scenario: &Scenario) -> Vec<(String, String)> {
    let names: Vec<String> = scenario
        .users
        .iter()
        .map(|user| user.name.clone())
        .collect();
    let first = names
        .first()
        .cloned()
        .unwrap_or_else(|| "alice".to_string());
    let second = names.get(1).cloned().unwrap_or_else(|| "bob".to_string());
    let role = scenario
        .user(&first)
        .map_or_else(|| "user".to_string(), |user| user.role.clone());
    let mut requests: Vec<(String, String)> = Vec::new();
    for route in &scenario.policy.routes {
        let path = fill_pattern(&route.path, &second);
        let base = MockRequest {
            method: route.method.clone(),
            path: path.clone(),
            subject: first.clone(),
            role: role.clone(),
            ..MockRequest::default()
        };
        let at = format!("{} {path}", route.method);
        let mut add = |words: String, mock: &MockRequest| {
            requests.push((words, mock.to_raw(scenario)));
        };
        add(
            format!("{at} without credentials"),
            &MockRequest {
                token: false,
                ..base.clone()
            },
        );
        let passing = MockRequest::passing(route, scenario);
        add(
            format!(
                "{} {} with what the route asks for",
                passing.method, passing.path
            ),
            &passing,
        );
        if !matches!(route.method.as_str(), "GET" | "HEAD" | "OPTIONS" | "TRACE") {
            for (csrf, words) in [
                (CsrfToken::Missing, "without its CSRF header"),
                (CsrfToken::Wrong, "with a wrong CSRF header"),
            ] {
                add(
                    format!("{at} with a live session cookie for {first} {words}"),
                    &MockRequest {
                        kind: CredentialKind::Session,
                        csrf,
                        ..base.clone()
                    },
                );
            }
        }
        for kind in CredentialKind::ALL {
            for validity in Validity::for_kind(kind) {
                add(
                    format!(
                        "{at} with {} {} for {first}",
                        validity_words(*validity),
                        kind_words(kind)
                    ),
                    &MockRequest {
                        kind,
                        validity: *validity,
                        ..base.clone()
                    },
                );
            }
        }
    }
    let unknown = MockRequest {
        path: "/no-such-path".to_string(),
        token: false,
        ..MockRequest::default()
    };
    requests.push((
        "GET /no-such-path, a path no route has".to_string(),
        unknown.to_raw(scenario),
    ));
    if let Some(route) = scenario.policy.routes.first() {
        let method = if route.method == "PATCH" {
            "PUT"
        } else {
            "PATCH"
        };
        let wrong = MockRequest {
            method: method.to_string(),
            path: fill_pattern(&route.path, &second),
            token: false,
            ..MockRequest::default()
        };
        requests.push((
            format!("{method} {}, a method the route does not have", wrong.path),
            wrong.to_raw(scenario),
        ));
    }
    requests
}

/// What a kind sends, in words.
fn kind_words(kind: CredentialKind) -> &'static str {
    match kind {
        CredentialKind::Bearer => "Bearer token",
        CredentialKind::Basic => "Basic header",
        CredentialKind::Query => "token in ?access_token=",
        CredentialKind::ApiKey => "API key in its header",
        CredentialKind::ApiKeyQuery => "API key in the query",
        CredentialKind::ApiKeyCookie => "API key in a cookie",
        CredentialKind::Session => "session cookie",
    }
}

/// A validity as an adjective phrase before the credential.
fn validity_words(validity: Validity) -> &'static str {
    match validity {
        Validity::Valid => "a valid",
        Validity::Expired => "an expired",
        Validity::NotYetValid => "a not-yet-valid",
        Validity::BadSignature => "a wrongly signed",
        Validity::WrongAudience => "another audience's",
        Validity::AlgNone => "an unsigned (alg none)",
        Validity::Malformed => "a malformed",
        Validity::WrongPassword => "wrong-password",
        Validity::AlgConfusion => "an alg-confusion",
        Validity::UnknownKid => "an unknown-kid",
        Validity::ForeignJku => "a foreign-jku",
        Validity::EmbeddedJwk => "an embedded-jwk",
        Validity::JustExpired => "a just-expired",
        Validity::Unknown => "an unknown",
        Validity::Forged(attack) => attack.phrase(),
    }
}
