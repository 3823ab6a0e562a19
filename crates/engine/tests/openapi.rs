//! OpenAPI specs in and out: a policy exported under a profile reads back to the same policy,
//! lints clean under `rfc`, and its operations declare what the engine answers; specs in JSON
//! and YAML, 3.0 and 3.1, map to the same policy, and what does not map is named at its line
//! and column.

mod support;

use authpath_engine::openapi::{export, import, lint, to_yaml, Json, Spec};
use authpath_engine::{evaluate, Access, Policy, Profile, Requirement, Scenario};
use serde_json::Value;
use support::scenario;

fn exported(profile: Profile) -> Json {
    export(&scenario(profile))
}

#[test]
fn the_demo_api_round_trips_under_every_profile() {
    for profile in Profile::all() {
        let document = exported(profile);
        for text in [document.to_json(), to_yaml(&document)] {
            let imported = import(&text).unwrap_or_else(|problem| panic!("{profile:?}: {problem}"));
            assert_eq!(imported.problems, [], "{profile:?}");
            assert_eq!(
                imported.policy,
                Policy::default_api(),
                "{profile:?}\n{text}"
            );
        }
    }
}

#[test]
fn the_demo_api_exported_under_rfc_lints_clean() {
    let text = exported(Profile::Rfc).to_json();
    let (spec, problems) = Spec::read(&text).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!(problems, []);
    assert_eq!(lint(&spec), []);
}

/// Every status an operation declares is one the engine gives to a request on it, and the
/// 401's challenge is the engine's.
#[test]
fn operations_declare_the_answers_the_engine_gives() {
    let document = exported(Profile::Rfc).to_value();
    let responses = |path: &str, method: &str| -> Vec<String> {
        document["paths"][path][method]["responses"]
            .as_object()
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(responses("/public", "get"), ["200"]);
    assert_eq!(responses("/profile", "get"), ["200", "401"]);
    assert_eq!(responses("/admin", "get"), ["200", "401", "403"]);
    assert_eq!(responses("/metrics", "get"), ["200", "401"]);
    assert_eq!(responses("/users/{id}", "delete"), ["204", "401", "403"]);
    let challenge = &document["paths"]["/profile"]["get"]["responses"]["401"]["headers"]
        ["WWW-Authenticate"]["examples"]["no_credentials"]["value"];
    let raw = "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n";
    let answer = evaluate(raw, &Scenario::default()).response;
    let expected: Vec<&str> = answer.headers_named("WWW-Authenticate").collect();
    assert_eq!(challenge.as_str(), Some(expected.join(", ").as_str()));
    let body = &document["paths"]["/profile"]["get"]["responses"]["401"]["content"]
        ["application/problem+json"]["examples"]["no_credentials"]["value"];
    assert_eq!(
        Some(body),
        serde_json::from_str::<Value>(&answer.body).ok().as_ref()
    );
    // A concealing server declares the 404 it hides a forbidden resource with.
    let conceal = exported(Profile::Conceal).to_value();
    assert!(conceal["paths"]["/admin"]["get"]["responses"]["404"].is_object());
}

/// The same API written four ways: OpenAPI 3.0 and 3.1, JSON and YAML.
#[test]
fn json_and_yaml_30_and_31_read_alike() {
    let expected = {
        let (policy, problems) =
            authpath_engine::openapi::to_policy(include_str!("fixtures/openapi/api-3.1.yaml"));
        assert_eq!(problems, [], "3.1 yaml");
        policy
    };
    for (name, text) in [
        ("3.1 json", include_str!("fixtures/openapi/api-3.1.json")),
        ("3.0 yaml", include_str!("fixtures/openapi/api-3.0.yaml")),
    ] {
        let (policy, problems) = authpath_engine::openapi::to_policy(text);
        assert_eq!(problems, [], "{name}");
        assert_eq!(policy, expected, "{name}");
    }
    let route = |path: &str| {
        expected
            .routes
            .iter()
            .find(|route| route.path == path)
            .cloned()
    };
    assert_eq!(
        route("/orders/{id}").map(|route| route.access),
        Some(Access::Owner("id".to_string()))
    );
    assert_eq!(
        route("/admin").map(|route| route.access),
        Some(Access::Role("admin".to_string()))
    );
    assert_eq!(
        route("/reports").map(|route| route.access),
        Some(Access::Scope("reports:read".to_string()))
    );
    assert_eq!(
        route("/feed").and_then(|route| route.security),
        Some(vec![Requirement::one("bearer"), Requirement::anonymous()])
    );
    assert_eq!(
        route("/partner").and_then(|route| route.security),
        Some(vec![Requirement::all(["partnerKey", "bearer"])])
    );
    assert_eq!(
        route("/health").map(|route| route.access),
        Some(Access::Public)
    );
    assert_eq!(
        route("/me").and_then(|route| route.example),
        Some(r#"{"id":"alice","name":"Alice"}"#.to_string())
    );
}

/// A route's example is what its handler answers: the mock of the API answers as documented.
#[test]
fn the_handler_answers_the_documented_example() {
    let (policy, _) =
        authpath_engine::openapi::to_policy(include_str!("fixtures/openapi/api-3.1.yaml"));
    let scenario = Scenario {
        policy,
        ..Scenario::default()
    };
    let token = support::mint(&support::claims("alice", "user"));
    let cases = [
        ("/me", r#"{"id":"alice","name":"Alice"}"#),
        (
            "/orders/alice",
            r#"{"user":"alice","route":"GET /orders/alice"}"#,
        ),
    ];
    for (path, body) in cases {
        let raw = format!(
            "GET {path} HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        let response = evaluate(&raw, &scenario).response;
        assert_eq!(response.status.code(), 200, "{path}");
        assert_eq!(response.body, body, "{path}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    /// Any text reads without a panic: a spec, or one problem at a line and column.
    #[test]
    fn any_text_reads_without_panicking(text in "\\PC{0,300}") {
        let (_, problems) = authpath_engine::openapi::to_policy(&text);
        for problem in problems {
            proptest::prop_assert!(problem.line >= 1 && problem.column >= 1);
        }
    }

    /// A spec cut and spliced anywhere still reads without a panic, and what it maps to is a
    /// policy the engine takes (or a problem says why not), JSON and YAML alike.
    #[test]
    fn edited_specs_read_without_panicking(
        cut in 0usize..4000,
        insert in "[\\[\\]{}:,'\"#&*!|>\\- a-z0-9\n]{0,6}",
        json in proptest::bool::ANY,
    ) {
        let text = if json {
            include_str!("fixtures/openapi/api-3.1.json")
        } else {
            include_str!("fixtures/openapi/api-3.1.yaml")
        };
        let at = (0..=cut.min(text.len())).rev().find(|at| text.is_char_boundary(*at)).unwrap_or(0);
        let edited = format!("{}{insert}{}", &text[..at], &text[at..]);
        if let Ok(imported) = import(&edited) {
            let valid = imported.policy.validate().is_ok();
            let named = imported.problems.iter().any(|problem| problem.message.contains("not valid"));
            proptest::prop_assert!(valid || named);
            let _ = lint(&imported.spec);
            let scenario = Scenario { policy: imported.policy, ..Scenario::default() };
            let _ = export(&scenario).to_json();
        }
    }
}
