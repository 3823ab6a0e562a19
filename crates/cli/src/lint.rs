//! The lint of a foreign exchange, as `check` and `probe` use it: the engine's exchange lint
//! (`authpath_engine::exchange::check`) over a raw request and the raw response that came
//! back, and when to judge it under the scenario.
//!
//! The scenario (policy, keys, users, API keys, sessions, clock) describes authpath's demo API
//! unless the options say otherwise. Its facts are only true of a server whose credentials it
//! has, so an exchange is judged under it only when every credential it carries is one the
//! scenario vouches for (or it carries none): a token its keys verify, a Basic user with the
//! right password, an API key it issued, a session it holds (an expired one too: the server
//! is the scenario's, and refuses it for its age). The demo's keys and session ids are its
//! own random strings, so a request that carries one was made for the demo API (or a server
//! seeded with its data, as the conformance apps are); any other key or session is a foreign
//! server's, whose validity only that server knows, and the rules that need it say so
//! (`Checked::unjudged`) instead of guessing. What the sender knows besides (`Known`: `probe`
//! made its broken credentials itself) is judged with in any case.

use authpath_engine::exchange::{check_declared, Checked, Exchange, Known};
use authpath_engine::text::percent_decode;
use authpath_engine::{
    evaluate, find_credentials_of, Access, CredentialPlace, Node, Outcome, Policy, Profile, Reader,
    Route, Scenario, Verifier, READERS,
};

/// The path of the one route the key test evaluates against.
const KEY_TEST_PATH: &str = "/authpath-key-test";

/// Lints one exchange, under `scenario` when given (see [`keys_known`]), with what its sender
/// knows (`Known::default()` for a captured one) and the places it declares its own
/// credential in (`probe --header`/`--cookie` where no reader looks; none for a captured one).
pub fn lint_exchange(
    raw_request: &str,
    raw_response: &str,
    scenario: Option<&Scenario>,
    known: &Known,
    declared: &[Reader],
) -> Checked {
    let exchange = Exchange {
        request: raw_request.to_string(),
        response: raw_response.to_string(),
    };
    check_declared(&exchange, scenario, known, declared)
}

/// Whether every credential of `raw_request` is one the scenario vouches for, as far as its
/// keys go: a token whose signature matches (an expired one too: the key fits, the claims are
/// the server's to refuse), in the `Authorization` field or the query; a Basic user with the
/// right password; an API key it issued and a session it holds (an expired one too), in any
/// place a default reader or the scenario's policy names. An empty key or session is none at
/// all. A request without credentials has nothing to verify.
pub fn keys_known(raw_request: &str, scenario: &Scenario) -> bool {
    let named = named_readers(scenario);
    let mut readers: Vec<&Reader> = READERS.to_vec();
    readers.extend(named.iter());
    find_credentials_of(raw_request, &readers)
        .iter()
        .all(|credential| {
            let value = raw_request
                .get(credential.value.clone())
                .unwrap_or_default()
                .trim();
            if credential.place == CredentialPlace::AuthorizationHeader {
                return verifies(value, scenario);
            }
            let value = match credential.place {
                CredentialPlace::QueryParameter => {
                    percent_decode(value, true).unwrap_or_else(|_| value.to_string())
                }
                _ => value.to_string(),
            };
            match credential.reader.as_ref().map(|reader| reader.verifier) {
                _ if value.is_empty() => true,
                Some(Verifier::ApiKey) => scenario.api_key(&value).is_some(),
                Some(Verifier::Session) => scenario.session(&value).is_some(),
                Some(Verifier::Jwt) => verifies(&format!("Bearer {value}"), scenario),
                Some(Verifier::Password) | None => false,
            }
        })
}

/// The places the scenario's policy names for its API keys and sessions, as readers.
pub fn named_readers(scenario: &Scenario) -> Vec<Reader> {
    use authpath_engine::{KeyLocation, Place, Scheme};
    scenario
        .policy
        .schemes
        .values()
        .filter_map(|scheme| {
            let (place, verifier) = match scheme {
                Scheme::ApiKey { location, name } => {
                    let name = name.clone().into();
                    let place = match location {
                        KeyLocation::Header => Place::Header(name),
                        KeyLocation::Query => Place::Query(name),
                        KeyLocation::Cookie => Place::Cookie(name),
                    };
                    (place, Verifier::ApiKey)
                }
                Scheme::Session { cookie } => {
                    (Place::Cookie(cookie.clone().into()), Verifier::Session)
                }
                Scheme::Http { .. } => return None,
            };
            let like = READERS
                .iter()
                .find(|reader| reader.verifier == verifier)
                .copied()?;
            Some(Reader {
                place,
                ..Reader::clone(like)
            })
        })
        .collect()
}

/// Whether `authorization` (a header value) verifies under the scenario's keys: evaluated by
/// the rfc profile on a route that needs any authenticated caller, it either passes, or fails
/// on what every server refuses whatever its keys (`alg: none` or an algorithm not configured),
/// or on a claim (`exp`, `nbf`, `iss`, `aud`) after the signature held. A token that is not a
/// JWT at all may be another server's opaque token: not known. Neither is a scheme other than
/// Bearer and Basic, which the server may well read (AWS's, Digest…) while the scenario's
/// server, which does not, would take it for no credentials at all.
pub fn verifies(authorization: &str, scenario: &Scenario) -> bool {
    let (scheme, secret) = authorization
        .trim()
        .split_once([' ', '\t'])
        .unwrap_or((authorization.trim(), ""));
    let readable = ["bearer", "basic"].contains(&scheme.to_ascii_lowercase().as_str());
    if !readable {
        return false;
    }
    // Bearer or Basic alone carries no credentials: nothing to verify.
    if secret.trim().is_empty() {
        return true;
    }
    let test = Scenario {
        profile: Profile::Rfc,
        policy: Policy {
            schemes: Default::default(),
            routes: vec![Route {
                method: "GET".to_string(),
                path: KEY_TEST_PATH.to_string(),
                access: Access::Authenticated,
                security: None,
                example: None,
            }],
        },
        ..scenario.clone()
    };
    let raw = format!(
        "GET {KEY_TEST_PATH} HTTP/1.1\r\nHost: authpath\r\nAuthorization: {}\r\n\r\n",
        authorization.trim()
    );
    let evaluation = evaluate(&raw, &test);
    let failed = evaluation
        .trace
        .iter()
        .find(|step| step.outcome == Outcome::Failed);
    match failed {
        None => true,
        Some(step) => {
            step.node == Node::Verify
                && ["alg", "exp", "nbf", "iss", "aud"].contains(&step.check.as_str())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use authpath_engine::{basic_credentials, mint_token, Claims};

    #[test]
    fn the_keys_are_known_when_the_credentials_verify_under_them() {
        let scenario = Scenario::default();
        let claims = |exp: u64| Claims {
            sub: Some("alice".to_string()),
            exp: Some(exp),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            ..Claims::default()
        };
        let valid = mint_token(&claims(scenario.now + 60), &scenario.key);
        let expired = mint_token(&claims(scenario.now - 3600), &scenario.key);
        let foreign = mint_token(&claims(scenario.now + 60), "another key");
        let cases = [
            (format!("Bearer {valid}"), true),
            (format!("Bearer {expired}"), true),
            (format!("Bearer {foreign}"), false),
            ("Bearer opaque-token".to_string(), false),
            (
                format!("Basic {}", basic_credentials("alice", "alice-pw")),
                true,
            ),
            (
                format!("Basic {}", basic_credentials("alice", "wrong")),
                false,
            ),
            ("Bearer".to_string(), true),
            ("Digest username=\"x\"".to_string(), false),
            ("AWS4-HMAC-SHA256 Credential=x".to_string(), false),
        ];
        for (authorization, known) in cases {
            assert_eq!(
                verifies(&authorization, &scenario),
                known,
                "{authorization}"
            );
        }
        let none = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
        assert!(keys_known(none, &scenario));
    }

    /// An API key the scenario issued and a session it holds (expired too) are its own; any
    /// other is a foreign server's. A cookie no reader reads is no credential here.
    #[test]
    fn keys_and_sessions_are_known_when_the_scenario_has_them() {
        let scenario = Scenario::default();
        let foreign = mint_token(
            &Claims {
                sub: Some("alice".to_string()),
                ..Claims::default()
            },
            "another key",
        );
        let cases = [
            ("X-API-Key: ak_alice_demo", true),
            ("x-api-key: ak_nobody", false),
            ("X-API-Key: ", true),
            ("Cookie: sessionid=alicesession00000000000000000000", true),
            (
                "Cookie: theme=dark; sessionid=alicesessionexpired0000000000000",
                true,
            ),
            ("Cookie: sessionid=theirs", false),
            ("Cookie: api_key=ak_bob_demo; JSESSIONID=x", true),
            ("Cookie: JSESSIONID=x", true),
        ];
        for (header, known) in cases {
            let raw = format!("GET /metrics HTTP/1.1\r\nHost: a\r\n{header}\r\n\r\n");
            assert_eq!(keys_known(&raw, &scenario), known, "{header}");
        }
        let query = |query: &str| format!("GET /metrics?{query} HTTP/1.1\r\nHost: a\r\n\r\n");
        assert!(keys_known(&query("api_key=ak_carol_demo"), &scenario));
        assert!(!keys_known(&query("api_key=ak_eve"), &scenario));
        assert!(!keys_known(
            &query(&format!("access_token={foreign}")),
            &scenario
        ));
    }
}
