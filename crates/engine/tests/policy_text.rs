//! The policy's TOML without the toml crate in the build: what `Policy::to_toml` writes, the
//! toml crate reads to the same policy; what `Policy::from_toml` reads, it reads as the toml
//! crate does (with the policy's serde derives, which refuse unknown keys); errors point at
//! their line and column.

use std::collections::BTreeMap;

use authpath_engine::{Access, KeyLocation, Policy, Requirement, Route, Scheme};
use proptest::prelude::*;

fn route(method: &str, path: &str, access: Access) -> Route {
    Route {
        method: method.to_string(),
        path: path.to_string(),
        access,
        security: None,
        example: None,
    }
}

/// What the toml crate reads from `text`, checked as the engine checks a policy.
fn toml_crate(text: &str) -> Result<Policy, String> {
    let policy: Policy = toml::from_str(text).map_err(|error| error.to_string())?;
    policy.validate().map_err(|error| error.to_string())?;
    Ok(policy)
}

/// `write` then `read` (and the toml crate) give the policy back.
fn check_round_trip(policy: &Policy) {
    let text = policy.to_toml();
    assert_eq!(
        Policy::from_toml(&text).as_ref(),
        Ok(policy),
        "read back:\n{text}"
    );
    assert_eq!(
        toml_crate(&text).as_ref(),
        Ok(policy),
        "toml crate:\n{text}"
    );
}

/// `read` and the toml crate agree on `text`: the same policy, or both refuse it.
fn check_agrees(text: &str) {
    match (Policy::from_toml(text), toml_crate(text)) {
        (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{text}"),
        (Err(_), Err(_)) => {}
        (ours, theirs) => panic!("disagree on\n{text}\nours: {ours:?}\ntoml: {theirs:?}"),
    }
}

/// `read` refuses `text` at this line and column, saying `words`.
fn check_error(text: &str, line: Option<usize>, column: Option<usize>, words: &str) {
    let error = Policy::from_toml(text).expect_err(text);
    assert_eq!(
        (error.line, error.column),
        (line, column),
        "{text}: {error}"
    );
    assert!(error.to_string().contains(words), "{text}: {error}");
    assert!(toml_crate(text).is_err(), "the toml crate accepts\n{text}");
}

#[test]
fn the_demo_api_is_written_with_inline_access_tables() {
    let text = Policy::default_api().to_toml();
    assert!(text.starts_with(
        "[schemes.apiKey]\ntype = \"apiKey\"\nin = \"header\"\nname = \"X-API-Key\"\n\n"
    ));
    assert!(text.contains(
        "\n[[routes]]\nmethod = \"GET\"\npath = \"/public\"\naccess = \"public\"\n\n[[routes]]\n"
    ));
    assert!(text.contains("access = { owner = \"id\" }\nsecurity = [\"bearer\", \"session\"]\n"));
    assert!(text.contains("path = \"/admin\"\naccess = { role = \"admin\" }\n"));
    assert!(text.contains("access = { owner = \"id\" }\n"));
    assert!(text.contains("access = { scope = \"reports:read\" }\n"));
}

#[test]
fn policies_round_trip() {
    check_round_trip(&Policy::default_api());
    check_round_trip(&Policy {
        schemes: Default::default(),
        routes: Vec::new(),
    });
    check_round_trip(&Policy {
        schemes: Default::default(),
        routes: vec![
            route(
                "GET",
                "/a\"b\\c",
                Access::Role("quote \" and \\".to_string()),
            ),
            route(
                "PATCH",
                "/é/ü",
                Access::Scope("tab\there\nnewline".to_string()),
            ),
            route(
                "DELETE",
                "/x/{item_id}",
                Access::Owner("item_id".to_string()),
            ),
            route("GET", "/bell", Access::Role("\u{7}\u{1f}".to_string())),
            route("GET", "/'single'", Access::Authenticated),
        ],
    });
}

#[test]
fn read_agrees_with_the_toml_crate() {
    let cases = [
        // Valid: comments, blank lines, spacing, literal strings, quoted keys, escapes.
        "# the API\n[[routes]]\nmethod = \"GET\"  # a comment\npath = '/public'\naccess = \"public\"\n",
        "  [[ routes ]]  \n\tmethod=\"GET\"\npath=\"/p\"\naccess={role=\"admin\"}\n",
        "[[routes]]\n\"method\" = \"GET\"\npath = \"/caf\\u00e9\"\naccess = { scope = 'a:b' }\n",
        "[[routes]]\r\nmethod = \"GET\"\r\npath = \"/crlf\"\r\naccess = \"authenticated\"\r\n",
        "routes = []\n",
        "routes = [ ]  # none\n",
        // The toml crate's own layout, a sub-table per access rule.
        &toml::to_string(&Policy::default_api()).expect("the toml crate writes the demo policy"),
        // Invalid: each must be refused by both.
        "",
        "[[routes]]\nmethod = \"GET\"\npath = \"/p\"\n",
        "[[routes]]\nmethod = \"GET\"\nmethod = \"PUT\"\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethd = \"GET\"\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = \"GET\"\npath = \"/p\"\naccess = \"publik\"\n",
        "[[routes]]\nmethod = \"GET\"\npath = \"/p\"\naccess = { rolle = \"admin\" }\n",
        "[[routes]]\nmethod = \"GET\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = \"G\\qET\"\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = GET\npath = \"/p\"\naccess = \"public\"\n",
        "[[route]]\nmethod = \"GET\"\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = \"GET\" extra\npath = \"/p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = \"GET\"\npath = \"p\"\naccess = \"public\"\n",
        "[[routes]]\nmethod = \"GET\"\npath = \"/p\"\naccess = { owner = \"id\" }\n",
        "title = \"my API\"\n",
    ];
    for text in cases {
        check_agrees(text);
    }
}

#[test]
fn errors_point_at_their_place() {
    check_error(
        "[[routes]]\nmethd = \"GET\"\n",
        Some(2),
        Some(1),
        "unknown field `methd`",
    );
    check_error(
        "[[routes]]\nmethod = \"GET\"\npath = \"/p\"\naccess = \"publik\"\n",
        Some(4),
        Some(10),
        "unknown variant `publik`",
    );
    check_error(
        "[[routes]]\nmethod = \"GET\n",
        Some(2),
        Some(10),
        "no closing",
    );
    check_error(
        "[[routes]]\nmethod = \"G\\q\"\n",
        Some(2),
        Some(12),
        "invalid escape",
    );
    check_error(
        "[[routes]]\nmethod = GET\n",
        Some(2),
        Some(10),
        "expected a string",
    );
    check_error(
        "[[routes]]\nmethod = \"GET\"\n",
        Some(1),
        Some(1),
        "route 1: missing field `path`",
    );
    check_error(
        "[[routes]]\nmethod = \"GET\"\nmethod = \"PUT\"\n",
        Some(3),
        Some(1),
        "duplicate key `method`",
    );
    check_error("", None, None, "`routes`: start a route with [[routes]]");
    // Checked after reading, as Policy::validate checks: no line, the route named instead.
    check_error(
        "[[routes]]\nmethod = \"GET\"\npath = \"p\"\naccess = \"public\"\n",
        None,
        None,
        "route 1 (GET p), `path`: the path must start with /",
    );
}

fn access_strategy() -> impl Strategy<Value = Access> {
    prop_oneof![
        Just(Access::Public),
        Just(Access::Authenticated),
        any::<String>().prop_map(Access::Role),
        any::<String>().prop_map(Access::Scope),
        Just(Access::Owner("id".to_string())),
    ]
}

fn route_strategy() -> impl Strategy<Value = Route> {
    ("[A-Z]{1,8}", "(/[^{}/]{0,6}){0,3}", access_strategy()).prop_map(|(method, path, access)| {
        // An owner rule needs its parameter in the path.
        let path = if matches!(access, Access::Owner(_)) {
            format!("{path}/{{id}}")
        } else if path.is_empty() {
            "/".to_string()
        } else {
            path
        };
        Route {
            method,
            path,
            access,
            security: None,
            example: None,
        }
    })
}

/// The schemes the generated routes name: `a`, `b` and `c`.
fn schemes() -> BTreeMap<String, Scheme> {
    BTreeMap::from([
        (
            "a".to_string(),
            Scheme::Http {
                scheme: "bearer".to_string(),
            },
        ),
        (
            "b".to_string(),
            Scheme::Http {
                scheme: "basic".to_string(),
            },
        ),
        (
            "c".to_string(),
            Scheme::ApiKey {
                location: KeyLocation::Header,
                name: "X-Key".to_string(),
            },
        ),
    ])
}

/// A route's security: alone, together, or none (optional), at least one naming a scheme.
fn security_strategy() -> impl Strategy<Value = Option<Vec<Requirement>>> {
    let requirement = prop_oneof![
        Just(Requirement::one("a")),
        Just(Requirement::one("c")),
        Just(Requirement::all(["c", "a"])),
        Just(Requirement::all(["a", "b", "c"])),
        Just(Requirement::anonymous()),
    ];
    proptest::option::of(
        (
            proptest::collection::vec(requirement, 0..3),
            prop_oneof![Just("b"), Just("a")],
        )
            .prop_map(|(mut requirements, name)| {
                requirements.push(Requirement::one(name));
                requirements
            }),
    )
}

fn example_strategy() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        Just("{\"id\": 1, \"name\": \"a \\\"b\\\"\"}".to_string()),
        Just("[]".to_string()),
        Just("\"text\"".to_string()),
    ])
}

proptest! {
    #[test]
    fn any_valid_policy_round_trips(routes in proptest::collection::vec(route_strategy(), 0..5)) {
        let policy = Policy { schemes: Default::default(), routes };
        let text = policy.to_toml();
        prop_assert_eq!(Policy::from_toml(&text), Ok(policy.clone()));
        prop_assert_eq!(toml_crate(&text), Ok(policy));
    }

    #[test]
    fn requirements_and_examples_round_trip(
        routes in proptest::collection::vec(
            (route_strategy(), security_strategy(), example_strategy()),
            0..4,
        ),
    ) {
        let routes = routes
            .into_iter()
            .map(|(route, security, example)| Route { security, example, ..route })
            .collect();
        let policy = Policy { schemes: schemes(), routes };
        let text = policy.to_toml();
        prop_assert_eq!(Policy::from_toml(&text), Ok(policy.clone()));
        prop_assert_eq!(toml_crate(&text), Ok(policy.clone()));
        prop_assert_eq!(Policy::from_json(&policy.to_json()), Ok(policy));
    }

    #[test]
    fn any_text_is_read_without_panicking(text in "\\PC{0,200}") {
        let _ = Policy::from_toml(&text);
    }

    #[test]
    fn read_agrees_with_the_toml_crate_on_edited_policies(cut in 0usize..400, insert in "[\\[\\]{}=\"' #a-z\n\\\\]{0,3}") {
        let mut text = Policy::default_api().to_toml();
        let at = (0..=cut.min(text.len())).rev().find(|at| text.is_char_boundary(*at)).unwrap_or(0);
        text.insert_str(at, &insert);
        match (Policy::from_toml(&text), toml_crate(&text)) {
            (Ok(ours), Ok(theirs)) => prop_assert_eq!(ours, theirs),
            (Err(_), Err(_)) => {}
            (ours, theirs) => prop_assert!(false, "disagree on\n{}\nours: {:?}\ntoml: {:?}", text, ours, theirs),
        }
    }
}

/// What TOML 1.1 added and a policy may use: inline tables over several lines (with comments)
/// and with a trailing comma, `\e` and `\xHH` escapes; each read as the toml crate reads it.
#[test]
fn toml_1_1_forms_agree_with_the_toml_crate() {
    let route = |access: &str| {
        format!("[[routes]]\nmethod = \"GET\"\npath = \"/admin\"\naccess = {access}\n")
    };
    let cases = [
        route("{\n  role = \"admin\"\n}"),
        route("{ # who may\n  role = \"admin\" # the role\n}"),
        route("{ role = \"admin\", }"),
        route("{ role = \"a\\e\" }"),
        route("{ role = \"a\\x41\" }"),
        route("{ role = \"a\\u+041\" }"),
        route("{ role = \"ad\nmin\" }"),
        route("{ role = \"admin\""),
    ];
    for text in &cases {
        check_agrees(text);
    }
    assert_eq!(
        Policy::from_toml(&cases[0]).map(|policy| policy.routes[0].access.clone()),
        Ok(Access::Role("admin".to_string()))
    );
    assert_eq!(
        Policy::from_toml(&cases[4]).map(|policy| policy.routes[0].access.clone()),
        Ok(Access::Role("aA".to_string()))
    );
    assert!(Policy::from_toml(&cases[5]).is_err());
}
