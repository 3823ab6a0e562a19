//! Every JWS algorithm, the RFCs' own examples, key parsing and its errors, the attack presets
//! and the identity providers' claim layouts, through `evaluate` where a token is a JWT.

use authpath_engine::teach::mock::{attack_presets, preset};
use authpath_engine::{
    demo_jwks, evaluate, parse_keys, parse_private_key, sign_token, Algorithm, ClaimPreset, Key,
    Node, Outcome, Rule, Scenario, Status, DEMO_ED25519_PRIVATE_PEM, DEMO_P256_PRIVATE_PEM,
    DEMO_RSA_PRIVATE_PEM,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

/// A P-384 key pair for the ES384 cases (made with `openssl genpkey`; the demo set has none).
const P384_PRIVATE_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDA8yI6wavvTlwlmKhwV
2dpeYodLFEglMdThM/LqcVuRk1Yi0Ot3rWmzOX2eGG7t+IWhZANiAARK3v5l/CR0
qatPxH9k1Zq1mb2vy1HaS3Bz4OWx0Fk5oszZSGbJ8r6s4toNN4/K/tJ8dA8O01/o
4gXCBeYsJrQGOQgd4Z1/ZqMe2gT3syxSb75JGJTSbmFQuJwDM3TfKDo=
-----END PRIVATE KEY-----
";

fn request(token: &str) -> String {
    format!("GET /profile HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {token}\r\n\r\n")
}

/// The verify steps of a token under `scenario`: (check, outcome).
fn verify_steps(token: &str, scenario: &Scenario) -> Vec<(String, Outcome)> {
    evaluate(&request(token), scenario)
        .trace
        .iter()
        .filter(|step| step.node == Node::Verify)
        .map(|step| (step.check.clone(), step.outcome))
        .collect()
}

/// `token` with one character of its signature changed.
fn tampered(token: &str) -> String {
    let (rest, signature) = token.rsplit_once('.').unwrap_or((token, ""));
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap_or_default();
    if let Some(first) = bytes.first_mut() {
        *first ^= 1;
    }
    format!("{rest}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The RFC 7515 appendix A payload: `{"iss":"joe",\r\n "exp":1300819380,\r\n …}`.
const RFC_PAYLOAD: &str =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

/// The scenario the RFC 7515 examples verify in: before their `exp`, issuer `joe`, no audience
/// (the examples carry none), the one key and algorithm given.
fn rfc_scenario(jwk: Value, algorithm: Algorithm) -> Scenario {
    Scenario {
        key: String::new(),
        keys: parse_keys(&jwk.to_string()).expect("the RFC key parses"),
        algorithms: vec![algorithm],
        issuer: "joe".to_string(),
        audience: String::new(),
        now: 1_300_819_000,
        ..Scenario::default()
    }
}

/// The RFC's token verifies (200) with the signature step passed, and fails there tampered.
fn check_rfc_vector(token: &str, scenario: &Scenario) {
    let evaluation = evaluate(&request(token), scenario);
    assert_eq!(
        evaluation.response.status,
        Status::Ok,
        "{:#?}",
        evaluation.trace
    );
    let steps = verify_steps(token, scenario);
    assert!(
        steps.contains(&("signature".to_string(), Outcome::Passed)),
        "{steps:?}"
    );
    let bad = tampered(token);
    let evaluation = evaluate(&request(&bad), scenario);
    assert_eq!(evaluation.response.status, Status::Unauthorized);
    assert_eq!(
        evaluation.trace.last().map(|step| step.check.as_str()),
        Some("signature")
    );
}

#[test]
fn rfc7515_a1_hs256() {
    let token = format!("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.{RFC_PAYLOAD}.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
    let jwk = json!({"kty": "oct", "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"});
    check_rfc_vector(&token, &rfc_scenario(jwk, Algorithm::HS256));
}

#[test]
fn rfc7515_a2_rs256() {
    let token = format!(
        "eyJhbGciOiJSUzI1NiJ9.{RFC_PAYLOAD}.\
         cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7\
         AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4\
         BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K\
         0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqv\
         hJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrB\
         p0igcN_IoypGlUPQGe77Rw"
    );
    let jwk = json!({
        "kty": "RSA",
        "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddx\
              HmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs\
              D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSH\
              SXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV\
              MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8\
              NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
        "e": "AQAB"
    });
    check_rfc_vector(&token, &rfc_scenario(jwk, Algorithm::RS256));
}

#[test]
fn rfc7515_a3_es256() {
    // ECDSA signatures are randomized, so the RFC's signature is verified, not reproduced.
    // A.4 (ES512, P-521) is out of scope: authpath verifies ES256 and ES384 only.
    let token = format!(
        "eyJhbGciOiJFUzI1NiJ9.{RFC_PAYLOAD}.\
         DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    );
    let jwk = json!({
        "kty": "EC",
        "crv": "P-256",
        "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
        "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"
    });
    check_rfc_vector(&token, &rfc_scenario(jwk, Algorithm::ES256));
}

#[test]
fn rfc8037_a_ed25519() {
    // The payload is a sentence, not a JWT claims set, so the signature is checked with the key
    // directly; Ed25519 is deterministic, so signing with d must give the RFC's signature too.
    let jwk = json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "d": "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A",
        "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    });
    let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.\
                 hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    let keys = parse_keys(&jwk.to_string()).expect("the RFC 8037 key parses");
    let (input, signature) = token.rsplit_once('.').expect("three parts");
    let signature = URL_SAFE_NO_PAD.decode(signature).expect("base64url");
    assert!(keys[0].verifies(Algorithm::EdDSA, input.as_bytes(), &signature));
    assert!(!keys[0].verifies(Algorithm::EdDSA, b"another input", &signature));
    let private = parse_private_key(&jwk.to_string()).expect("the private JWK parses");
    let signed = sign_token(
        &Map::new(),
        "Example of Ed25519 signing",
        Algorithm::EdDSA,
        &private,
    );
    assert_eq!(signed.as_deref(), Ok(token));
}

#[test]
fn rfc7517_a_key_sets_parse() {
    // A.1: the EC key is for encryption ("use": "enc"), so only the RSA key verifies.
    let public = json!({"keys": [
        {"kty": "EC", "crv": "P-256", "x": "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4",
         "y": "4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM", "use": "enc", "kid": "1"},
        {"kty": "RSA", "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
         "e": "AQAB", "alg": "RS256", "kid": "2011-04-29"}
    ]});
    let keys = parse_keys(&public.to_string()).expect("A.1 parses");
    let kids: Vec<Option<&str>> = keys.iter().map(|key| key.kid.as_deref()).collect();
    assert_eq!(kids, [Some("2011-04-29")]);
    assert_eq!(keys[0].alg, Some(Algorithm::RS256));
    // A.3: the A128KW key wraps keys; the HMAC key is the one of RFC 7515 A.1.
    let symmetric = json!({"keys": [
        {"kty": "oct", "alg": "A128KW", "k": "GawgguFyGrWKav7AX4VKUg"},
        {"kty": "oct", "k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow",
         "kid": "HMAC key used in JWS spec A.1 example"}
    ]});
    let keys = parse_keys(&symmetric.to_string()).expect("A.3 parses");
    assert_eq!(keys.len(), 1);
    assert_eq!(
        keys[0].kid.as_deref(),
        Some("HMAC key used in JWS spec A.1 example")
    );
    // A key round-trips through its JWK.
    let again = parse_keys(&Value::Object(keys[0].to_jwk()).to_string()).expect("round trip");
    assert_eq!(again, keys);
}

/// The server settings that verify every demo key: the demo secret, the demo JWKS and a P-384
/// key, accepting `algorithm` alone.
fn every_key(algorithm: Algorithm) -> Scenario {
    let mut keys = demo_jwks();
    let p384 = parse_private_key(P384_PRIVATE_PEM).expect("the P-384 key parses");
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

/// A demo token (the demo scenario's claims) signed with `algorithm` by the demo key of its type.
fn signed(algorithm: Algorithm) -> String {
    let scenario = Scenario::default();
    let payload = json!({
        "sub": "alice", "role": "user", "iat": scenario.now, "exp": scenario.now + 3600,
        "iss": scenario.issuer, "aud": scenario.audience
    })
    .to_string();
    let mut header = Map::new();
    header.insert("typ".into(), "JWT".into());
    let pem = match algorithm.name().get(..2) {
        Some("HS") => {
            return sign_token(
                &header,
                &payload,
                algorithm,
                &parse_private_key(r#"{"kty":"oct","k":"YXV0aHBhdGgtZGVtby1rZXk"}"#)
                    .expect("secret"),
            )
            .expect("signs")
        }
        Some("RS") | Some("PS") => DEMO_RSA_PRIVATE_PEM,
        _ if algorithm == Algorithm::ES384 => P384_PRIVATE_PEM,
        Some("ES") => DEMO_P256_PRIVATE_PEM,
        _ => DEMO_ED25519_PRIVATE_PEM,
    };
    let key = parse_private_key(pem).expect("the demo key parses");
    if algorithm.name().starts_with("PS") {
        return pss(&header, &payload, algorithm, key.rsa().expect("an RSA key"));
    }
    sign_token(&header, &payload, algorithm, &key).expect("signs")
}

/// PS256/384/512 need a random salt, which the engine has not: signed here with the OS's.
fn pss(
    header: &Map<String, Value>,
    payload: &str,
    algorithm: Algorithm,
    key: &rsa::PrivateKey,
) -> String {
    use rsa::signature::{SignatureEncoding, Signer};
    let mut header = header.clone();
    header.insert("alg".into(), algorithm.name().into());
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = match algorithm {
        Algorithm::PS256 => rsa::pss::SigningKey::<rsa::sha2::Sha256>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
        Algorithm::PS384 => rsa::pss::SigningKey::<rsa::sha2::Sha384>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
        _ => rsa::pss::SigningKey::<rsa::sha2::Sha512>::new(key.clone())
            .sign(input.as_bytes())
            .to_vec(),
    };
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

#[test]
fn every_algorithm_verifies_and_a_tampered_signature_fails() {
    for algorithm in Algorithm::ALL {
        let scenario = every_key(algorithm);
        let token = signed(algorithm);
        let evaluation = evaluate(&request(&token), &scenario);
        assert_eq!(
            evaluation.response.status,
            Status::Ok,
            "{algorithm}: {:#?}",
            evaluation.trace
        );
        let evaluation = evaluate(&request(&tampered(&token)), &scenario);
        assert_eq!(
            evaluation.response.status,
            Status::Unauthorized,
            "{algorithm} tampered"
        );
        assert_eq!(
            evaluation.trace.last().map(|step| step.check.as_str()),
            Some("signature")
        );
        // Not accepted unless configured: the same token under the demo's HS256 alone.
        if algorithm != Algorithm::HS256 {
            let demo = evaluate(&request(&token), &Scenario::default());
            assert_eq!(
                demo.trace.last().map(|step| step.check.as_str()),
                Some("alg"),
                "{algorithm}"
            );
        }
    }
}

#[test]
fn each_attack_preset_is_refused_at_its_check() {
    let cases = [
        ("attack-alg-none", "alg", Rule::R12),
        ("attack-alg-confusion", "key type", Rule::R12),
        ("attack-unknown-kid", "key", Rule::R19),
        ("attack-jku", "signature", Rule::R19),
        ("attack-embedded-jwk", "signature", Rule::R19),
        ("attack-expired-31s", "exp", Rule::R13),
        ("attack-alg-none-capitalised", "alg", Rule::R12),
        ("attack-alg-none-upper-case", "alg", Rule::R12),
        ("attack-alg-none-mixed-case", "alg", Rule::R12),
        ("attack-empty-signature", "signature", Rule::R19),
        ("attack-psychic-signature", "signature", Rule::R19),
        ("attack-kid-traversal", "key", Rule::R19),
        ("attack-kid-injection", "key", Rule::R19),
        ("attack-x5u", "signature", Rule::R19),
        ("attack-x5c", "signature", Rule::R19),
    ];
    // The weak secret is the one attack that passes (tests/attacks.rs).
    assert_eq!(attack_presets().len(), cases.len() + 1);
    for (id, check, rule) in cases {
        let preset = preset(id).unwrap_or_else(|| panic!("no preset {id}"));
        assert_eq!(preset.rule, Some(rule), "{id}");
        let scenario = preset.scenario(&Scenario::default());
        let evaluation = evaluate(&preset.request.to_raw(&scenario), &scenario);
        assert_eq!(evaluation.response.status, Status::Unauthorized, "{id}");
        let decided = evaluation.trace.last().expect("a trace");
        assert_eq!(
            (decided.check.as_str(), decided.outcome),
            (check, Outcome::Failed),
            "{id}: {decided:?}"
        );
        assert!(
            evaluation.response.to_string().contains("invalid_token"),
            "{id}"
        );
        // The key offered in the header is named as ignored before the key is chosen.
        if [
            "attack-jku",
            "attack-embedded-jwk",
            "attack-x5u",
            "attack-x5c",
        ]
        .contains(&id)
        {
            let hint = evaluation
                .trace
                .iter()
                .find(|step| step.check == "key hints")
                .expect("a key hints step");
            assert_eq!(hint.outcome, Outcome::Skipped);
            assert!(hint.detail.contains("never"), "{}", hint.detail);
        }
    }
    // The confusion token is refused for the key's type, not for its signature.
    let confusion = preset("attack-alg-confusion").expect("preset");
    let scenario = confusion.scenario(&Scenario::default());
    let evaluation = evaluate(&confusion.request.to_raw(&scenario), &scenario);
    let decided = evaluation.trace.last().expect("a trace");
    assert!(
        decided.detail.contains("HS256 is refused with an RSA key"),
        "{}",
        decided.detail
    );
}

/// (text, what the error says, its line, which key of a set)
#[test]
fn key_errors_say_where() {
    let cases: [(&str, &str, Option<usize>, Option<usize>); 9] = [
        ("{\"kty\": \"RSA\",\n \"n\": }", "not JSON", Some(2), None),
        ("{\"n\": \"AQAB\"}", "no kty", None, None),
        (
            "{\"kty\": \"EC\", \"crv\": \"P-521\", \"x\": \"AA\", \"y\": \"AA\"}",
            "P-521",
            None,
            None,
        ),
        (
            r#"{"keys": [{"kty":"oct","k":"YQ","kid":"a"},{"kty":"oct","k":"Yg","kid":"a"}]}"#,
            "two keys have the kid a",
            None,
            Some(1),
        ),
        (
            r#"{"keys": [{"kty":"oct","k":"YQ"},{"kty":"RSA","e":"AQAB"}]}"#,
            "no n member",
            None,
            Some(1),
        ),
        (
            "\n\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
            "not an RSA, P-256",
            Some(3),
            None,
        ),
        (
            "-----BEGIN PUBLIC KEY-----\nAAAA\n",
            "no END line",
            Some(1),
            None,
        ),
        (
            DEMO_RSA_PRIVATE_PEM,
            "never paste a private key",
            Some(1),
            None,
        ),
        ("ssh-rsa AAAA", "not a key", Some(1), None),
    ];
    for (text, message, line, key) in cases {
        let error = parse_keys(text).expect_err(text);
        assert!(error.message.contains(message), "{text}: {}", error.message);
        assert_eq!((error.line, error.key), (line, key), "{text}: {error}");
    }
    // A key shorter than RFC 7518 asks for is refused.
    let short = json!({"kty": "RSA", "n": URL_SAFE_NO_PAD.encode([0xC1u8; 128]), "e": "AQAB"});
    assert!(parse_keys(&short.to_string())
        .expect_err("1024 bits")
        .message
        .contains("2048"));
}

#[test]
fn pem_keys_of_every_type_parse() {
    for pem in [
        DEMO_RSA_PRIVATE_PEM,
        DEMO_P256_PRIVATE_PEM,
        DEMO_ED25519_PRIVATE_PEM,
        P384_PRIVATE_PEM,
    ] {
        let private = parse_private_key(pem).expect("private PEM");
        let public = Key {
            kid: None,
            alg: None,
            material: private.public_material(),
        };
        let reread = parse_keys(&Value::Object(public.to_jwk()).to_string()).expect("JWK");
        assert_eq!(reread, [public]);
    }
    // PKCS#1 RSA PUBLIC KEY and SPKI PUBLIC KEY of one key read alike.
    let pkcs1 = "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEAuK9z+yjPq6BEmOtkoS6IqxfD7wJbzq2KbBSpjCJLNskgIz7EJTmQ\nFH+20xEhwRisWQSWtNfWrr9Cf+wGEW8Po8SiyeIprP2kADhD85DBrG4PMldzdxcP\nZXl32rGR2rNVwdpSNJOMMk2eeblGoWmUU7uLGXyEixN6b/MR+XCSJLDyUpeUtp6C\nV6XeBYAe1nLcL5mm0JTdKqDB5XBYbscFKydEHSrQ3JERDm8yGy9S3NDDOo2WYe3D\nkDTZVPWn+M3deOdDZmqNpY4P3lzrbFqn7g2jTUG0QWxzZF0nckMy2L3cxAlPCGEq\nEP98eS+4i2AwaLEa8I6Oh+QUZ4ZIHef5FQIDAQAB\n-----END RSA PUBLIC KEY-----\n";
    let spki = parse_keys(authpath_engine::DEMO_RSA_PUBLIC_PEM).expect("SPKI");
    assert_eq!(parse_keys(pkcs1).expect("PKCS#1"), spki);
}

fn provider_token(claims: Value) -> String {
    let scenario = Scenario::default();
    let mut payload = json!({"sub": "alice", "iat": scenario.now, "exp": scenario.now + 3600,
        "iss": scenario.issuer, "aud": [scenario.audience, "https://other.example"]});
    if let (Some(payload), Some(claims)) = (payload.as_object_mut(), claims.as_object()) {
        payload.extend(claims.clone());
    }
    let key = parse_private_key(DEMO_ED25519_PRIVATE_PEM).expect("demo key");
    sign_token(&Map::new(), &payload.to_string(), Algorithm::EdDSA, &key).expect("signs")
}

#[test]
fn the_authorize_step_names_the_claim_it_read() {
    // (preset, claims, route, status, detail of the authorize step)
    let cases = [
        (
            ClaimPreset::Entra,
            json!({"roles": ["admin"]}),
            "GET /admin",
            Status::Ok,
            "roles admin include admin",
        ),
        (
            ClaimPreset::Keycloak,
            json!({"azp": "api", "resource_access": {"api": {"roles": ["admin"]}}}),
            "GET /admin",
            Status::Ok,
            "resource_access.{azp}.roles admin include admin",
        ),
        (
            ClaimPreset::Cognito,
            json!({"cognito:groups": ["users"]}),
            "GET /admin",
            Status::Forbidden,
            "cognito:groups users lack admin",
        ),
        (
            ClaimPreset::Okta,
            json!({"scp": ["reports:read"]}),
            "GET /reports",
            Status::Ok,
            "scp reports:read include reports:read",
        ),
        (
            ClaimPreset::Auth0,
            json!({"scope": "openid"}),
            "GET /reports",
            Status::Forbidden,
            "scope openid lack reports:read",
        ),
        (
            ClaimPreset::Demo,
            json!({"role": "user"}),
            "GET /admin",
            Status::Forbidden,
            "role user ≠ admin",
        ),
    ];
    for (claims, payload, route, status, detail) in cases {
        let scenario = Scenario {
            keys: demo_jwks(),
            algorithms: vec![Algorithm::EdDSA],
            claims: claims.layout(),
            ..Scenario::default()
        };
        let raw = format!(
            "{route} HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {}\r\n\r\n",
            provider_token(payload)
        );
        let evaluation = evaluate(&raw, &scenario);
        assert_eq!(
            evaluation.response.status, status,
            "{claims:?}: {:#?}",
            evaluation.trace
        );
        let step = evaluation
            .trace
            .iter()
            .find(|step| step.node == Node::Authorize)
            .expect("authorize");
        assert_eq!(step.detail, detail, "{claims:?}");
    }
}

#[test]
fn header_checks_crit_typ_and_several_issuers() {
    let scenario = Scenario {
        keys: demo_jwks(),
        algorithms: vec![Algorithm::EdDSA],
        ..Scenario::default()
    };
    let key = parse_private_key(DEMO_ED25519_PRIVATE_PEM).expect("demo key");
    let payload =
        json!({"sub": "alice", "iss": scenario.issuer, "aud": scenario.audience}).to_string();
    let with = |header: Value| {
        let header = header.as_object().cloned().unwrap_or_default();
        sign_token(&header, &payload, Algorithm::EdDSA, &key).expect("signs")
    };
    // crit: understood by nobody here, so refused (RFC 7515 §4.1.11).
    let evaluation = evaluate(
        &request(&with(json!({"crit": ["b64"], "b64": false}))),
        &scenario,
    );
    assert_eq!(
        evaluation
            .trace
            .last()
            .map(|step| (step.check.as_str(), step.outcome)),
        Some(("crit", Outcome::Failed))
    );
    assert_eq!(evaluation.response.status, Status::Unauthorized);
    // typ at+jwt is noted, and the token goes on.
    let evaluation = evaluate(&request(&with(json!({"typ": "at+jwt"}))), &scenario);
    let typ = evaluation
        .trace
        .iter()
        .find(|step| step.check == "typ")
        .expect("typ step");
    assert!(typ.detail.contains("RFC 9068"), "{}", typ.detail);
    assert_eq!(evaluation.response.status, Status::Ok);
    // Another issuer is accepted once configured; an empty issuer is not checked at all.
    let other = json!({"sub": "alice", "iss": "https://login.example", "aud": scenario.audience})
        .to_string();
    let token = sign_token(&Map::new(), &other, Algorithm::EdDSA, &key).expect("signs");
    assert_eq!(
        evaluate(&request(&token), &scenario).response.status,
        Status::Unauthorized
    );
    let more = Scenario {
        other_issuers: vec!["https://login.example".to_string()],
        ..scenario.clone()
    };
    assert_eq!(
        evaluate(&request(&token), &more).response.status,
        Status::Ok
    );
    let unchecked = Scenario {
        issuer: String::new(),
        ..scenario
    };
    let steps = verify_steps(&token, &unchecked);
    assert!(
        steps.contains(&("iss".to_string(), Outcome::Skipped)),
        "{steps:?}"
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Arbitrary text as keys, private keys or a token never panics.
        #[test]
        fn arbitrary_text_never_panics(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse_keys(&text);
            let _ = parse_private_key(&text);
            let lossy = String::from_utf8_lossy(&bytes).to_string();
            let _ = parse_keys(&format!("{{\"keys\": [{lossy}]}}"));
            let _ = parse_keys(&format!("-----BEGIN PUBLIC KEY-----\n{lossy}\n-----END PUBLIC KEY-----"));
            let scenario = every_key(Algorithm::RS256);
            let _ = evaluate(&request(&text.replace(['\r', '\n'], "")), &scenario);
        }

        /// A token is accepted only if its signature verifies under an allowed algorithm: any
        /// change to a signed token's bytes is refused.
        #[test]
        fn a_changed_token_is_refused(index in 0usize..4, position in any::<prop::sample::Index>(), flip in 1u8..=255) {
            let algorithm = [Algorithm::HS256, Algorithm::RS256, Algorithm::ES256, Algorithm::EdDSA][index];
            let scenario = every_key(algorithm);
            let token = signed(algorithm);
            let mut bytes = token.clone().into_bytes();
            let at = position.index(bytes.len());
            bytes[at] ^= flip;
            let changed = String::from_utf8_lossy(&bytes).replace(['\r', '\n'], "");
            prop_assume!(changed != token);
            let status = evaluate(&request(&changed), &scenario).response.status;
            // Base64url has spare bits at the end of a part: a change there may decode alike.
            let same = changed.split('.').map(|part| URL_SAFE_NO_PAD.decode(part).ok()).collect::<Vec<_>>()
                == token.split('.').map(|part| URL_SAFE_NO_PAD.decode(part).ok()).collect::<Vec<_>>();
            prop_assert!(same || status != Status::Ok, "{changed}");
        }
    }
}
