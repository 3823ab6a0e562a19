//! The eight presets of DESIGN.md: status, challenge parameters, body fields, and the exact
//! raw response of every preset and attack preset compared with `tests/golden/<preset>.http`.
//!
//! Regenerate the golden files with `UPDATE_GOLDEN=1 cargo test -p authpath-engine --test presets`,
//! then read the diff before committing it.

mod support;

use std::path::PathBuf;

use authpath_engine::teach::mock::{attack_presets, presets};
use authpath_engine::{evaluate, Evaluation, Scenario, Severity};
use serde_json::Value;

/// What a preset must answer: status, the Bearer challenge's `error` (None = a challenge
/// without error, "-" = no Bearer challenge at all), and members the body must have.
fn check(id: &str, status: u16, bearer_error: Option<&str>, body: &[(&str, &str)]) {
    let evaluation = run(id);
    let response = &evaluation.response;
    assert_eq!(response.status.code(), status, "{id}: status\n{response}");
    let bearer = response
        .headers_named("WWW-Authenticate")
        .find(|value| value.starts_with("Bearer "));
    match bearer_error {
        Some("-") => assert!(
            bearer.is_none(),
            "{id}: no Bearer challenge expected\n{response}"
        ),
        None => {
            let bearer = bearer.unwrap_or_else(|| panic!("{id}: a Bearer challenge\n{response}"));
            assert!(
                !bearer.contains("error="),
                "{id}: R4, no error attribute: {bearer}"
            );
        }
        Some(error) => {
            let bearer = bearer.unwrap_or_else(|| panic!("{id}: a Bearer challenge\n{response}"));
            assert!(
                bearer.contains(&format!("error=\"{error}\"")),
                "{id}: error {error} in {bearer}"
            );
        }
    }
    if status == 401 {
        let challenges: Vec<&str> = response.headers_named("WWW-Authenticate").collect();
        assert_eq!(
            challenges.get(1).copied(),
            Some("Basic realm=\"authpath-demo\", charset=\"UTF-8\""),
            "{id}: R1, both schemes offered, Bearer first"
        );
    }
    // Read only when members are expected; an empty or broken body then fails here, saying so.
    if !body.is_empty() {
        let json: Value = support::json(&response.body, &format!("{id}: the body"));
        for (member, expected) in body {
            let actual = json.get(member).map(|value| match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            });
            assert_eq!(
                actual.as_deref(),
                Some(*expected),
                "{id}: body member {member}"
            );
        }
    }
    let errors: Vec<_> = evaluation
        .findings
        .iter()
        .filter(|finding| finding.severity == Severity::Error)
        .collect();
    assert!(
        errors.is_empty(),
        "{id}: the rfc profile has no error findings: {errors:?}"
    );
}

/// The preset under the scenario it defines (an attack preset brings its server's keys).
fn run(id: &str) -> Evaluation {
    let preset = support::preset(id);
    let scenario = preset.scenario(&Scenario::default());
    evaluate(&preset.request.to_raw(&scenario), &scenario)
}

#[test]
fn presets_answer_as_the_rfcs_say() {
    check(
        "no-token",
        401,
        None,
        &[("status", "401"), ("title", "Unauthorized")],
    );
    check(
        "invalid-token",
        401,
        Some("invalid_token"),
        &[("status", "401"), ("type", "about:blank")],
    );
    check(
        "expired-token",
        401,
        Some("invalid_token"),
        &[("status", "401"), ("title", "Unauthorized")],
    );
    check(
        "user-on-admin",
        403,
        Some("-"),
        &[("status", "403"), ("title", "Forbidden")],
    );
    check("admin-deletes-user", 204, Some("-"), &[]);
    check(
        "public-page",
        200,
        Some("-"),
        &[("route", "GET /public"), ("user", "null")],
    );
    check(
        "insufficient-scope",
        403,
        Some("insufficient_scope"),
        &[("status", "403")],
    );
    check(
        "other-users-notes",
        403,
        Some("-"),
        &[("status", "403"), ("title", "Forbidden")],
    );
}

#[test]
fn presets_are_the_twelve_of_the_design() {
    let ids: Vec<&str> = presets().iter().map(|preset| preset.id).collect();
    assert_eq!(
        ids,
        [
            "no-token",
            "invalid-token",
            "expired-token",
            "user-on-admin",
            "admin-deletes-user",
            "public-page",
            "insufficient-scope",
            "other-users-notes",
            "csrf-missing",
            "unknown-api-key",
            "api-key-in-url",
            "expired-session",
        ]
    );
}

#[test]
fn expired_token_says_when_it_expired() {
    let evaluation = run("expired-token");
    let challenge = evaluation
        .response
        .header("WWW-Authenticate")
        .unwrap_or_default();
    assert_eq!(
        challenge,
        "Bearer realm=\"authpath-demo\", error=\"invalid_token\", error_description=\"the token expired at 2025-12-31T23:00:00Z\""
    );
    let last = evaluation.trace.last().map(|step| step.detail.as_str());
    assert_eq!(last, Some("expired 3600 s ago (leeway 30 s)"));
}

#[test]
fn insufficient_scope_names_the_scope() {
    let evaluation = run("insufficient-scope");
    assert_eq!(
        evaluation.response.header("WWW-Authenticate"),
        Some(
            "Bearer realm=\"authpath-demo\", error=\"insufficient_scope\", scope=\"reports:read\""
        )
    );
}

#[test]
fn golden_raw_responses() {
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for preset in presets().into_iter().chain(attack_presets()) {
        let actual = run(preset.id).response.to_string();
        let path = directory.join(format!("{}.http", preset.id));
        if update {
            std::fs::write(&path, &actual).unwrap_or_else(|error| panic!("{path:?}: {error}"));
            continue;
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|error| panic!("{path:?}: {error} (run with UPDATE_GOLDEN=1)"));
        if expected != actual {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                preset.id
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n\n"));
}
