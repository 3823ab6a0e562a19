//! Every JWS algorithm verified by the engine compiled to wasm, in Chromium: the same code the
//! page runs. HS, RS, ES and EdDSA tokens are signed here with the demo keys (deterministic
//! signing needs no randomness); PS tokens carry a random salt, so they were signed once by
//! `authpath token --alg PS… --exp 1767229200 --iat 1767225600` and are data here.
#![cfg(target_arch = "wasm32")]

use authpath_engine::teach::mock::attack_presets;
use authpath_engine::{
    demo_jwks, evaluate, parse_private_key, sign_token, Algorithm, Key, Scenario, Status,
    DEMO_ED25519_PRIVATE_PEM, DEMO_P256_PRIVATE_PEM, DEMO_RSA_PRIVATE_PEM,
};
use serde_json::{json, Map};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const P384_PRIVATE_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDA8yI6wavvTlwlmKhwV\n\
2dpeYodLFEglMdThM/LqcVuRk1Yi0Ot3rWmzOX2eGG7t+IWhZANiAARK3v5l/CR0\n\
qatPxH9k1Zq1mb2vy1HaS3Bz4OWx0Fk5oszZSGbJ8r6s4toNN4/K/tJ8dA8O01/o\n\
4gXCBeYsJrQGOQgd4Z1/ZqMe2gT3syxSb75JGJTSbmFQuJwDM3TfKDo=\n\
-----END PRIVATE KEY-----\n\
";

const PS_TOKENS: [(Algorithm, &str); 3] = [
    (Algorithm::PS256, "eyJhbGciOiJQUzI1NiIsImtpZCI6ImF1dGhwYXRoLWRlbW8tcnNhIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIiwiZXhwIjoxNzY3MjI5MjAwLCJpYXQiOjE3NjcyMjU2MDAsImlzcyI6Imh0dHBzOi8vYXV0aC5hdXRocGF0aC5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuYXV0aHBhdGguZXhhbXBsZSJ9.lgFqnnV9fQanWvloSvsVpSih3NnMLVlz1utUmbw82W3yyjTjAHswc4CynTwc0kUQBONCOeQWJso3hbO-6kuSNns60w1S33JhE7MlbCgjwJY4E6FyzbI6yLzglEtABqfj_Keu4KP7TpgmdiKdKIgqrHu76czMfqienwRwZYQ37KQYOIpX9yGSKgaZe1g3mi1pm72OgzoUY-KAYKxl65xXKOXm93LUk6I_Oko8BcVihERM-FOh6gkK1xdsbhAjG6GD_ZjHEoWmp3u_tF7ualcT4eU_Fwmr5WrutjG5r8-otaWqF9Lk5xaTUuuNuxqU_t-_cQ9NT5mHbUiOm1SbTA0HuQ"),
    (Algorithm::PS384, "eyJhbGciOiJQUzM4NCIsImtpZCI6ImF1dGhwYXRoLWRlbW8tcnNhIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIiwiZXhwIjoxNzY3MjI5MjAwLCJpYXQiOjE3NjcyMjU2MDAsImlzcyI6Imh0dHBzOi8vYXV0aC5hdXRocGF0aC5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuYXV0aHBhdGguZXhhbXBsZSJ9.L-UtdoID5B8epAQZs3BFMUdCS7n09ckenF-yrFahG4_2yORJPNbqQqwBzK3UIwZzlyGDbtQOu_3bPLsfmVRlT9YqJVAu_ifBTr4YFIzgZPkU4wQo14H4XNo8sEJuiTVVJtTHlKo0ne488mymPVkk3J7DnebcORF42-1fXCFvb6WfJmuVKLbN7PYWmj_TdiwEG6lHUaBa9m4T-Zl0xW3j3Zpk6-jn8IxrN2WPkXcXrYc2DB5nMMJkcIw-HUE8qIAV-hR19abSEEpR260RP7lsaZGstqT3XIv00l5q3EsQFwXs1i5KrWU31ikrxW4NOjNPON4vi4dxUIQxDSokgFfC5w"),
    (Algorithm::PS512, "eyJhbGciOiJQUzUxMiIsImtpZCI6ImF1dGhwYXRoLWRlbW8tcnNhIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJ1c2VyIiwiZXhwIjoxNzY3MjI5MjAwLCJpYXQiOjE3NjcyMjU2MDAsImlzcyI6Imh0dHBzOi8vYXV0aC5hdXRocGF0aC5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuYXV0aHBhdGguZXhhbXBsZSJ9.C4og-bu8jkPvNvHAT4WBPsX0_Gsmcq7gUT7xPCz7yrdR0ZOU4KDzalhHK3PEKVxOLdgY3rvYdt5_B_-Q7kXRVgFKirt2LVqJURGJgUOIojufeV2TqUEGw5pHyAbkz3iIhoqVUN9KPb_0Ek5zSRVgez1s5evtuzZzBE5G5tw8Yunbod9oZ_hDKN2Mqd8GMjqeJjCkcQ5zX_xFraAaFmdbVg6VjAssJ6lEe0MbSDDmH54BcjRIjymR-qmLgTgZFYf_MSXSLjysz5gaepgUyKSj1IhXDmXSVlGuh7oapqWizRhZIc_1b6zTM2oVyWJvxWh5YZ5UjsSxbgYchKfqroDlCA"),
];

fn scenario(algorithm: Algorithm) -> Scenario {
    let mut keys = demo_jwks();
    let p384 = parse_private_key(P384_PRIVATE_PEM).expect("P-384 key");
    keys.push(Key {
        kid: Some("p384".to_string()),
        alg: None,
        material: p384.public_material(),
    });
    Scenario {
        keys,
        algorithms: vec![algorithm],
        ..Scenario::default()
    }
}

fn token(algorithm: Algorithm) -> String {
    if let Some((_, token)) = PS_TOKENS.iter().find(|(alg, _)| *alg == algorithm) {
        return token.to_string();
    }
    let now = Scenario::default().now;
    let payload = json!({"sub": "alice", "role": "user", "iat": now, "exp": now + 3600,
        "iss": "https://auth.authpath.example", "aud": "https://api.authpath.example"})
    .to_string();
    let pem = match algorithm {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            r#"{"kty":"oct","k":"YXV0aHBhdGgtZGVtby1rZXk"}"#
        }
        Algorithm::RS256 | Algorithm::RS384 | Algorithm::RS512 => DEMO_RSA_PRIVATE_PEM,
        Algorithm::ES256 => DEMO_P256_PRIVATE_PEM,
        Algorithm::ES384 => P384_PRIVATE_PEM,
        _ => DEMO_ED25519_PRIVATE_PEM,
    };
    let key = parse_private_key(pem).expect("demo key");
    sign_token(&Map::new(), &payload, algorithm, &key).expect("signs")
}

fn status(token: &str, scenario: &Scenario) -> Status {
    let raw = format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n\r\n");
    evaluate(&raw, scenario).response.status
}

#[wasm_bindgen_test]
fn every_algorithm_verifies_in_the_browser() {
    for algorithm in Algorithm::ALL {
        let scenario = scenario(algorithm);
        let token = token(algorithm);
        assert_eq!(status(&token, &scenario), Status::Ok, "{algorithm}");
        // The first character of the signature changed: refused at the signature.
        let dot = token.rfind('.').expect("three parts") + 1;
        let first = if token[dot..].starts_with('A') {
            "B"
        } else {
            "A"
        };
        let changed = format!("{}{first}{}", &token[..dot], &token[dot + 1..]);
        assert_eq!(
            status(&changed, &scenario),
            Status::Unauthorized,
            "{algorithm} tampered"
        );
    }
}

#[wasm_bindgen_test]
fn the_attack_presets_answer_in_the_browser_as_natively() {
    for preset in attack_presets() {
        let scenario = preset.scenario(&Scenario::default());
        let raw = preset.request.to_raw(&scenario);
        // The weak secret is guessed, and its forged admin let in: the lesson that passes.
        let expected = if preset.id == "attack-weak-secret" {
            Status::Ok
        } else {
            Status::Unauthorized
        };
        assert_eq!(
            evaluate(&raw, &scenario).response.status,
            expected,
            "{}",
            preset.id
        );
    }
}
