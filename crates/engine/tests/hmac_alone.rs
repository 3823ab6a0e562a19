//! The engine without its `asymmetric` feature (the page's landing build, src/parts.rs) answers
//! every request to a server of the HMAC secret alone byte for byte as the engine with it: the
//! builder's toggles (but the tokens the attacker signs, which `signed_by_the_attacker` names and
//! the landing build hands to the full one), the presets that need no public key, and tokens of
//! every other algorithm and key header presented to that server. Both builds check the same
//! recorded digests, `tests/corpus/hmac-alone.txt`; `cargo xtask test` runs this file in each:
//!
//! ```text
//! cargo test -p authpath-engine --test hmac_alone
//! cargo test -p authpath-engine --no-default-features --test hmac_alone
//! AUTHPATH_CORPUS=write cargo test -p authpath-engine --test hmac_alone   # after a meant change
//! ```

use std::fmt::Write as _;
use std::path::Path;

use authpath_engine::teach::mock::{presets, CredentialKind, CsrfToken, MockRequest, Validity};
use authpath_engine::{evaluate, fill_pattern, Profile, Scenario, ASYMMETRIC};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The requests, each once, in a fixed order.
fn requests() -> Vec<String> {
    let demo = Scenario::default();
    assert!(
        !demo.uses_public_keys(),
        "the demo server verifies with its secret alone"
    );
    let mut raws: Vec<String> = Vec::new();
    let mut paths: Vec<String> = demo
        .policy
        .routes
        .iter()
        .flat_map(|route| {
            [
                fill_pattern(&route.path, "alice"),
                fill_pattern(&route.path, "bob"),
            ]
        })
        .collect();
    paths.push("/no/such/resource".to_string());
    paths.sort();
    paths.dedup();
    for method in ["GET", "POST", "DELETE"] {
        for path in &paths {
            let mut mocks = vec![MockRequest {
                method: method.to_string(),
                path: path.clone(),
                token: false,
                ..MockRequest::default()
            }];
            for kind in CredentialKind::ALL {
                for &validity in Validity::for_kind(kind) {
                    for (subject, role) in [("alice", "user"), ("carol", "admin")] {
                        for csrf in CsrfToken::ALL {
                            mocks.push(MockRequest {
                                method: method.to_string(),
                                path: path.clone(),
                                kind,
                                validity,
                                subject: subject.to_string(),
                                role: role.to_string(),
                                csrf,
                                ..MockRequest::default()
                            });
                        }
                    }
                }
            }
            for mock in mocks {
                if !mock.signed_by_the_attacker() {
                    raws.push(mock.to_raw(&demo));
                }
            }
        }
    }
    for preset in presets() {
        let scenario = preset.scenario(&demo);
        if !scenario.uses_public_keys() && !preset.request.signed_by_the_attacker() {
            raws.push(preset.request.to_raw(&scenario));
        }
    }
    // Tokens of the public-key algorithms and key headers, with made-up signatures: the server
    // of the secret alone refuses them before any public key could be read.
    let payload = URL_SAFE_NO_PAD.encode(r#"{"sub":"alice","role":"user","exp":1893456000}"#);
    for header in [
        r#"{"alg":"RS256","typ":"JWT","kid":"authpath-demo-rsa"}"#,
        r#"{"alg":"PS256","typ":"JWT"}"#,
        r#"{"alg":"ES256","typ":"JWT","kid":"authpath-demo-p256"}"#,
        r#"{"alg":"ES384","typ":"JWT"}"#,
        r#"{"alg":"EdDSA","typ":"JWT","kid":"authpath-demo-ed25519"}"#,
        r#"{"alg":"EdDSA","typ":"JWT","jku":"https://attacker.example/jwks.json"}"#,
        r#"{"alg":"EdDSA","typ":"JWT","jwk":{"kty":"OKP","crv":"Ed25519","x":"m80WLP1O6QLN1tQ4CNnhZHRDgPCUvOJwWJjctqdB5SI"}}"#,
        r#"{"alg":"RS256","typ":"JWT","x5c":["MIIB"]}"#,
        r#"{"alg":"HS256","typ":"JWT","kid":"authpath-demo-rsa"}"#,
    ] {
        for signature in ["", "AAAA", "c2lnbmF0dXJl"] {
            let token = format!("{}.{payload}.{signature}", URL_SAFE_NO_PAD.encode(header));
            for path in ["/profile", "/admin"] {
                raws.push(format!(
                    "GET {path} HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Bearer {token}\r\n\r\n"
                ));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    raws.retain(|raw| seen.insert(raw.clone()));
    raws
}

/// One line per profile: the number of requests and the SHA-256 of every raw response and
/// decision path.
fn digests(requests: &[String]) -> String {
    let mut lines = String::new();
    for profile in Profile::all() {
        let scenario = Scenario {
            profile,
            ..Scenario::default()
        };
        let mut text = String::new();
        for raw in requests {
            let evaluation = evaluate(raw, &scenario);
            let _ = write!(text, "> {raw}\n< {}\n", evaluation.response);
            for step in &evaluation.trace {
                let _ = write!(
                    text,
                    "{}/{} {:?};",
                    step.node.id(),
                    step.check,
                    step.outcome
                );
            }
            text.push('\n');
        }
        let digest: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        let _ = writeln!(lines, "{} {} {digest}", profile.id(), requests.len());
    }
    lines
}

#[test]
fn a_server_of_the_secret_alone_answers_the_same_with_or_without_public_keys() {
    let requests = requests();
    assert!(requests.len() > 1_500, "{} requests", requests.len());
    let lines = digests(&requests);
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("corpus")
        .join("hmac-alone.txt");
    if std::env::var("AUTHPATH_CORPUS").as_deref() == Ok("write") && ASYMMETRIC {
        std::fs::write(&path, &lines).expect("hmac-alone.txt is writable");
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        lines,
        recorded,
        "the answers to the server of the secret alone changed (built {} public keys); \
         if meant, regenerate with AUTHPATH_CORPUS=write in the default build",
        if ASYMMETRIC { "with" } else { "without" }
    );
}
