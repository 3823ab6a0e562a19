//! The lint of a foreign exchange, as `check` and `probe` use it: the engine's exchange lint
//! (`authpath_engine::exchange::check`) over a raw request and the raw response that came
//! back, and when to judge it under the scenario.
//!
//! The scenario (policy, keys, users, clock) describes authpath's demo API unless the options
//! say otherwise. Its facts are only true of a server whose keys it has, so an exchange is
//! judged under it only when the credentials it carries verify under those keys (or it carries
//! none); otherwise the credentials' validity is unknown, and the rules that need it say so
//! (`Checked::unjudged`) instead of guessing. What the sender knows besides (`Known`: `probe`
//! made its broken credentials itself) is judged with in any case.

use authpath_engine::exchange::{check_knowing, Checked, Exchange, Known};
use authpath_engine::{
    evaluate, find_credentials, Access, CredentialPlace, Node, Outcome, Policy, Profile, Route,
    Scenario,
};

/// The path of the one route the key test evaluates against.
const KEY_TEST_PATH: &str = "/authpath-key-test";

/// Lints one exchange, under `scenario` when given (see [`keys_known`]), with what its sender
/// knows (`Known::default()` for a captured one).
pub fn lint_exchange(
    raw_request: &str,
    raw_response: &str,
    scenario: Option<&Scenario>,
    known: &Known,
) -> Checked {
    let exchange = Exchange {
        request: raw_request.to_string(),
        response: raw_response.to_string(),
    };
    check_knowing(&exchange, scenario, known)
}

/// Whether every credential of `raw_request` verifies under the scenario's keys and users, as
/// far as the key goes: a token whose signature matches (an expired one too: the key fits, the
/// claims are the server's to refuse), a Basic user with the right password. A request without
/// credentials has nothing to verify.
pub fn keys_known(raw_request: &str, scenario: &Scenario) -> bool {
    find_credentials(raw_request)
        .iter()
        .filter(|credential| credential.place == CredentialPlace::AuthorizationHeader)
        .filter_map(|credential| raw_request.get(credential.value.clone()))
        .all(|value| verifies(value, scenario))
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
}
