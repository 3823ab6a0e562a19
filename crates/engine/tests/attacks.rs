//! The JWT attack catalogue: every forged token is refused at its own check, with the source
//! that says why, by a server with a strong key — and a server whose key is a weak secret accepts
//! the token forged with it.

use authpath_engine::teach::attacks::{forged_tokens, Forged, WEAK_SECRETS};
use authpath_engine::teach::mock::preset;
use authpath_engine::{evaluate, Claims, Evaluation, Outcome, Scenario};

/// An admin's claims, right in every other way: what an attacker wants the server to believe.
fn admin(scenario: &Scenario) -> Claims {
    Claims {
        sub: Some("mallory".to_string()),
        role: Some("admin".to_string()),
        exp: Some(scenario.now + 3600),
        iat: Some(scenario.now),
        iss: Some(scenario.issuer.clone()),
        aud: Some(scenario.audience.clone()),
        ..Claims::default()
    }
}

fn send(forged: &Forged, scenario: &Scenario) -> Evaluation {
    let raw = format!(
        "GET /admin HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Bearer {}\r\n\r\n",
        forged.token
    );
    evaluate(&raw, scenario)
}

/// The check that refused it, and its detail.
fn refused_at(evaluation: &Evaluation) -> (String, String) {
    let failed = evaluation
        .trace
        .iter()
        .find(|step| step.outcome == Outcome::Failed)
        .expect("a refused token fails a check");
    (failed.check.clone(), failed.detail.clone())
}

/// Per attack, the check that refuses it and words its detail says: under the demo server
/// (one HMAC secret) and under the attack presets' server (the demo JWKS beside it, with
/// `kid`s, and four algorithms), where a `kid` the keys do not have is refused at the key.
#[test]
fn every_forged_token_is_refused_at_its_own_check() {
    let demo = Scenario::default();
    let jwks = preset("attack-jku")
        .expect("the attack presets' server")
        .scenario(&demo);
    let expected = |id: &str, with_kids: bool| -> (&'static str, &'static str) {
        match id {
            _ if id.starts_with("alg-none") => ("alg", "never accepted (RFC 8725 §3.1)"),
            "empty-signature" => ("signature", "the signature is empty"),
            _ if id.starts_with("weak-secret") => ("signature", "signature mismatch"),
            "psychic-signature" if with_kids => ("signature", "CVE-2022-21449"),
            // The demo server has no P-256 key: nothing verifies ES256.
            "psychic-signature" => ("alg", "alg ES256 ≠ HS256"),
            "kid-traversal" | "kid-injection" if with_kids => ("key", "no key with kid"),
            "kid-traversal" | "kid-injection" => ("signature", "signature mismatch"),
            "x5u" | "x5c" if with_kids => ("signature", "signature mismatch"),
            "x5u" | "x5c" => ("alg", "alg EdDSA ≠ HS256"),
            other => panic!("no expectation for {other}"),
        }
    };
    for (scenario, with_kids) in [(&demo, false), (&jwks, true)] {
        let forged = forged_tokens(&admin(scenario));
        assert_eq!(forged.len(), 4 + 1 + WEAK_SECRETS.len() + 1 + 2 + 2);
        for token in &forged {
            let evaluation = send(token, scenario);
            assert_eq!(
                evaluation.response.status.code(),
                401,
                "{} (kids: {with_kids})",
                token.id
            );
            let (check, detail) = refused_at(&evaluation);
            let (want_check, words) = expected(&token.id, with_kids);
            assert_eq!(check, want_check, "{}: {detail}", token.id);
            assert!(detail.contains(words), "{}: {detail}", token.id);
            assert!(
                token.source.starts_with("RFC 8725 §") || token.source.starts_with("CVE-"),
                "{}",
                token.id
            );
            // The offered keys are named as ignored, never used.
            if with_kids && (token.id == "x5u" || token.id == "x5c") {
                assert!(
                    evaluation
                        .trace
                        .iter()
                        .any(|step| step.check == "key hints" && step.detail.contains(&token.id)),
                    "{}",
                    token.id
                );
            }
        }
        let mut ids: Vec<&str> = forged.iter().map(|token| token.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), forged.len(), "ids are unique");
    }
}

/// A server whose HMAC key is one of the common secrets lets in the admin the guesser forged,
/// and only the token forged with that very secret.
#[test]
fn a_weak_secret_lets_the_forged_admin_in() {
    for secret in WEAK_SECRETS {
        let scenario = Scenario {
            key: secret.to_string(),
            ..Scenario::default()
        };
        for token in forged_tokens(&admin(&scenario)) {
            let status = send(&token, &scenario).response.status.code();
            let expected = if token.id == format!("weak-secret-{secret}") {
                200
            } else {
                401
            };
            assert_eq!(status, expected, "key {secret:?}, token {}", token.id);
        }
    }
}

/// Each attack preset of the catalogue sends the catalogue's own token for its claims, and
/// is answered as the catalogue says: refused at its check, or, for the weak secret, let in.
#[test]
fn the_attack_presets_send_the_catalogues_tokens() {
    use authpath_engine::teach::attacks::{forge, Attack};
    use authpath_engine::teach::mock::{attack_presets, Validity};
    let mut seen = Vec::new();
    for preset in attack_presets() {
        let Some(attack) = preset.attack else {
            continue;
        };
        seen.push(attack);
        let scenario = preset.scenario(&Scenario::default());
        let raw = preset.request.to_raw(&scenario);
        let claims = preset.request.claims(&scenario);
        let secret = if attack == Attack::WeakSecret {
            scenario.key.as_str()
        } else {
            ""
        };
        let token = forge(attack, &claims, secret).token;
        assert!(
            raw.contains(&format!("Authorization: Bearer {token}\r\n")),
            "{}: {raw}",
            preset.id
        );
        assert!(matches!(
            preset.request.validity,
            Validity::Forged(_) | Validity::AlgNone
        ));
        let evaluation = evaluate(&raw, &scenario);
        if attack == Attack::WeakSecret {
            assert_eq!(evaluation.response.status.code(), 200, "{}", preset.id);
            assert!(evaluation
                .trace
                .iter()
                .all(|step| step.outcome != Outcome::Failed));
        } else {
            assert_eq!(evaluation.response.status.code(), 401, "{}", preset.id);
            let (check, detail) = refused_at(&evaluation);
            assert!(
                ["alg", "signature", "key"].contains(&check.as_str()),
                "{}: {check} {detail}",
                preset.id
            );
        }
    }
    assert_eq!(
        seen,
        Attack::ALL,
        "every attack of the catalogue has a preset"
    );
}

/// The guesser finds a weak secret from one token the server issued, and nothing from a
/// token signed with a strong one; the weak-secret toggle then forges with what it found, or
/// with a wrong guess that the server refuses.
#[test]
fn a_weak_secret_is_guessed_from_one_token() {
    use authpath_engine::mint_token;
    use authpath_engine::teach::attacks::guess_secret;
    use authpath_engine::teach::mock::preset;
    let claims = admin(&Scenario::default());
    for secret in WEAK_SECRETS {
        assert_eq!(guess_secret(&mint_token(&claims, secret)), Some(secret));
    }
    assert_eq!(
        guess_secret(&mint_token(&claims, "a-long-random-server-key")),
        None
    );
    assert_eq!(guess_secret("no dot"), None);
    let weak = preset("attack-weak-secret").expect("the weak-secret preset");
    let strong = Scenario::default();
    let evaluation = evaluate(&weak.request.to_raw(&strong), &strong);
    assert_eq!(evaluation.response.status.code(), 401);
    assert_eq!(refused_at(&evaluation).0, "signature");
}

/// Each attack's address is the section or record its source names.
#[test]
fn each_source_links_to_its_section() {
    use authpath_engine::teach::attacks::Attack;
    for attack in Attack::ALL {
        let (source, url) = (attack.source(), attack.source_url());
        let expected = match source.strip_prefix("RFC 8725 §") {
            Some(section) => format!("https://www.rfc-editor.org/rfc/rfc8725#section-{section}"),
            None => format!("https://www.cve.org/CVERecord?id={source}"),
        };
        assert_eq!(url, expected, "{attack:?}");
    }
}
