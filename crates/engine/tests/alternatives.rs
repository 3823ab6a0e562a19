//! "What would change the answer": every suggestion, applied, gets the status it promises; the
//! presets get the suggestions a person looks for; a change of the token changes only what it
//! says; and the narration tells the deciding step and the answer.

use authpath_engine::teach::alternatives::{alternatives, Alternative};
use authpath_engine::teach::mock::{attack_presets, preset, presets};
use authpath_engine::teach::narrate::narrate;
use authpath_engine::{evaluate, parse_request, Outcome, Profile, Scenario};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

/// The preset's raw request and scenario under `profile`.
fn preset_request(id: &str, profile: Profile) -> (String, Scenario) {
    let found = preset(id).unwrap_or_else(|| panic!("preset {id}"));
    let scenario = found.scenario(&Scenario {
        profile,
        ..Scenario::default()
    });
    (found.request.to_raw(&scenario), scenario)
}

fn every_preset_id() -> Vec<&'static str> {
    presets()
        .into_iter()
        .chain(attack_presets())
        .map(|preset| preset.id)
        .collect()
}

/// Applied — its request evaluated under its profile — each alternative gets exactly the
/// status it states, and that status is not the one the request gets as it is.
#[test]
fn every_alternative_applied_gets_the_status_it_states() {
    let mut checked = 0;
    for profile in Profile::all() {
        for id in every_preset_id() {
            let (raw, scenario) = preset_request(id, profile);
            let current = evaluate(&raw, &scenario).response.status;
            let found = alternatives(&raw, &scenario);
            for (index, alternative) in found.iter().enumerate() {
                let mut under = scenario.clone();
                if let Some(other) = alternative.profile {
                    assert_ne!(other, profile, "{id}: another profile, not the same");
                    under.profile = other;
                } else {
                    assert_ne!(alternative.request, raw, "{id}: {}", alternative.change);
                }
                let status = evaluate(&alternative.request, &under).response.status;
                assert_eq!(
                    status, alternative.status,
                    "{id} under {profile:?}: {}",
                    alternative.change
                );
                assert_ne!(
                    status, current,
                    "{id} under {profile:?}: {}",
                    alternative.change
                );
                assert!(
                    !found[..index]
                        .iter()
                        .any(|earlier| earlier.request == alternative.request
                            && earlier.profile == alternative.profile),
                    "{id}: {} listed twice",
                    alternative.change
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "only {checked} alternatives checked");
}

fn find<'a>(found: &'a [Alternative], status: u16, words: &str) -> Option<&'a Alternative> {
    found.iter().find(|alternative| {
        alternative.status.code() == status && alternative.change.contains(words)
    })
}

/// Under the rfc profile, each preset gets the change a person would look for.
#[test]
fn the_presets_get_the_changes_a_person_looks_for() {
    let cases = [
        ("no-token", 200, "send a Bearer token for alice"),
        ("no-token", 403, "answered by the drf profile"),
        (
            "invalid-token",
            200,
            "the same claims, signed HS256 with the server's key",
        ),
        (
            "expired-token",
            200,
            "has not expired: this one expired 1 h ago",
        ),
        (
            "attack-expired-31s",
            200,
            "expired 31 s ago, 1 s past the 30 s leeway",
        ),
        (
            "user-on-admin",
            200,
            "a token with role admin (this one has role user)",
        ),
        ("user-on-admin", 401, "send no credentials"),
        (
            "admin-deletes-user",
            403,
            "a token with role user instead of admin",
        ),
        (
            "insufficient-scope",
            200,
            "add the scope reports:read to the token",
        ),
        (
            "other-users-notes",
            200,
            "be the owner of {id}: a token for bob",
        ),
        (
            "other-users-notes",
            200,
            "ask for alice's own: GET /users/alice/notes",
        ),
        ("csrf-missing", 200, "send the CSRF token: X-CSRFToken"),
        ("unknown-api-key", 200, "a key the server issued"),
        (
            "api-key-in-url",
            200,
            "move the key from ?api_key= to the X-API-Key header",
        ),
        ("expired-session", 200, "alice's live session"),
        ("attack-alg-none", 200, "signed HS256 with the server's key"),
    ];
    for (id, status, words) in cases {
        let (raw, scenario) = preset_request(id, Profile::Rfc);
        let found = alternatives(&raw, &scenario);
        let lines: Vec<String> = found.iter().map(Alternative::line).collect();
        assert!(
            find(&found, status, words).is_some(),
            "{id}: no {status} alternative saying {words:?} in\n{}",
            lines.join("\n")
        );
    }
    // A public page answered 200 needs nothing, and no change of the request makes it other.
    let (raw, scenario) = preset_request("public-page", Profile::Rfc);
    assert!(alternatives(&raw, &scenario)
        .iter()
        .all(|alternative| alternative.profile.is_some()));
}

/// Requests typed by hand: a token in the URL, a method the route does not have, a request
/// that does not parse.
#[test]
fn requests_typed_by_hand() {
    let scenario = Scenario::default();
    let (with_token, _) = preset_request("user-on-admin", Profile::Rfc);
    // FastAPI's HTTPBearer reads the header only: the token in the URL is no credential there.
    let fastapi = Scenario {
        profile: Profile::Fastapi,
        ..Scenario::default()
    };
    let token = parse_request(&with_token)
        .ok()
        .and_then(|request| request.header("Authorization").map(str::to_string))
        .and_then(|value| value.strip_prefix("Bearer ").map(str::to_string))
        .expect("a Bearer token");
    let in_query = format!("GET /profile?access_token={token}&x=1 HTTP/1.1\r\nHost: h\r\n\r\n");
    assert_eq!(evaluate(&in_query, &fastapi).response.status.code(), 401);
    let found = alternatives(&in_query, &fastapi);
    let moved = find(
        &found,
        200,
        "move the token from ?access_token= to the Authorization header",
    )
    .unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(
        moved.request,
        format!("GET /profile?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {token}\r\n\r\n")
    );

    let wrong_method = "PUT /profile HTTP/1.1\nHost: h\n\n";
    let found = alternatives(wrong_method, &scenario);
    let get = find(&found, 401, "send it as GET /profile").unwrap_or_else(|| panic!("{found:#?}"));
    assert_eq!(get.request, "GET /profile HTTP/1.1\nHost: h\n\n");

    assert!(alternatives("not a request", &scenario).is_empty());
}

/// The claims of the JWT in a request's Authorization header.
fn claims(raw: &str) -> Map<String, Value> {
    let request = parse_request(raw).expect("the request parses");
    let token = request
        .header("Authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .expect("a Bearer token");
    let payload = token.split('.').nth(1).expect("a payload");
    let bytes = URL_SAFE_NO_PAD.decode(payload).expect("base64url");
    serde_json::from_slice(&bytes).expect("a JSON object")
}

/// A change of one claim changes that claim and nothing else of the request.
#[test]
fn a_change_of_the_token_changes_only_what_it_says() {
    let cases = [
        ("user-on-admin", "role admin", &["role"][..]),
        ("insufficient-scope", "scope reports:read", &["scope"][..]),
        ("other-users-notes", "owner of {id}", &["sub"][..]),
        ("expired-token", "has not expired", &["exp", "iat"][..]),
    ];
    for (id, words, members) in cases {
        let (raw, scenario) = preset_request(id, Profile::Rfc);
        let found = alternatives(&raw, &scenario);
        let alternative = find(&found, 200, words).unwrap_or_else(|| panic!("{id}: {words}"));
        let (before, after) = (claims(&raw), claims(&alternative.request));
        for (name, value) in &before {
            if !members.contains(&name.as_str()) {
                assert_eq!(after.get(name), Some(value), "{id}: {name} kept");
            }
        }
        for name in members {
            assert_ne!(before.get(*name), after.get(*name), "{id}: {name} changed");
        }
        // The request line and every other header are as they were.
        let strip = |text: &str| -> Vec<String> {
            text.lines()
                .filter(|line| !line.starts_with("Authorization:"))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(strip(&raw), strip(&alternative.request), "{id}");
    }
}

/// The narration names every node's verb in order, the deciding step's detail, the status
/// and, for a 401, each challenge.
#[test]
fn the_narration_tells_the_deciding_step_and_the_answer() {
    for profile in Profile::all() {
        for id in every_preset_id() {
            let (raw, scenario) = preset_request(id, profile);
            let evaluation = evaluate(&raw, &scenario);
            let words = narrate(&evaluation);
            let status = evaluation.response.status;
            assert!(words.starts_with("The server "), "{id}: {words}");
            assert!(
                words.contains(&format!("answered {} {}", status.code(), status.reason())),
                "{id} under {profile:?}: {words}"
            );
            let deciding = evaluation.decided().expect("a trace");
            assert!(words.contains(&deciding.detail), "{id}: {words}");
            if deciding.outcome == Outcome::Failed {
                assert!(
                    words.contains(&format!("({})", deciding.check)),
                    "{id}: {words}"
                );
            }
            for challenge in evaluation.response.headers_named("WWW-Authenticate") {
                assert!(words.contains(challenge), "{id}: {challenge} in {words}");
            }
        }
    }
}

/// Each example of a class, evaluated, leaves the same node by the same exit; none is the
/// request itself; the deciding node of every preset has examples.
#[test]
fn the_other_requests_of_a_class_take_the_same_exit() {
    use authpath_engine::teach::class::same_exit;
    for id in every_preset_id() {
        let (raw, scenario) = preset_request(id, Profile::Rfc);
        let evaluation = evaluate(&raw, &scenario);
        let classes = same_exit(&evaluation, &raw, &scenario, 3);
        let exits: Vec<(authpath_engine::Node, String)> = evaluation
            .trace
            .iter()
            .filter_map(|step| step.exit.clone().map(|exit| (step.node, exit)))
            .collect();
        assert_eq!(
            classes
                .iter()
                .map(|class| (class.node, class.exit.clone()))
                .collect::<Vec<_>>(),
            exits,
            "{id}"
        );
        for class in &classes {
            assert!(class.examples.len() <= 3, "{id}");
            for example in &class.examples {
                assert_ne!(example.request, raw, "{id}");
                let trace = evaluate(&example.request, &scenario).trace;
                assert!(
                    trace.iter().any(|step| step.node == class.node
                        && step.exit.as_deref() == Some(class.exit.as_str())),
                    "{id}: {} does not leave {:?} by {}",
                    example.words,
                    class.node,
                    class.exit
                );
            }
        }
        let deciding = classes.last().expect("a deciding exit");
        assert!(!deciding.examples.is_empty(), "{id}: {:?}", deciding.exit);
    }
}
