//! The pieces under the pipeline: tokens against independent vectors, policies in TOML and
//! JSON, route matching, and the curl export.

use authpath_engine::teach::mock::curl_command;
use authpath_engine::{
    basic_credentials, evaluate, format_utc, mint_token, parse_request, Access, Claims, Field,
    Node, Outcome, Policy, PolicyError, RouteMatch, Scenario,
};

#[test]
fn tokens_match_independent_vectors() {
    // Computed with Python's hmac + base64 modules.
    let claims = Claims {
        sub: Some("alice".into()),
        iat: Some(1_767_225_600),
        ..Claims::default()
    };
    assert_eq!(
        mint_token(&claims, "authpath-demo-key"),
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsImlhdCI6MTc2NzIyNTYwMH0.Mb743hGXIuKgCu9nqO8vIkE2sMjLntTT6MakG6CnybY"
    );
    assert_eq!(
        basic_credentials("alice", "alice-pw"),
        "YWxpY2U6YWxpY2UtcHc="
    );
}

#[test]
fn a_foreign_token_verifies_its_signature() {
    // The jwt.io example token, signed with "your-256-bit-secret": the signature must pass,
    // and the missing iss must then fail.
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    let scenario = Scenario {
        key: "your-256-bit-secret".into(),
        ..Scenario::default()
    };
    let evaluation = evaluate(
        &format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {token}\r\n\r\n"),
        &scenario,
    );
    let outcomes: Vec<(&str, Outcome)> = evaluation
        .trace
        .iter()
        .filter(|step| step.node == Node::Verify)
        .map(|step| (step.check.as_str(), step.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("structure", Outcome::Passed),
            ("alg", Outcome::Passed),
            ("typ", Outcome::Passed),
            ("key", Outcome::Passed),
            ("signature", Outcome::Passed),
            ("exp", Outcome::Skipped),
            ("nbf", Outcome::Skipped),
            ("iat", Outcome::Passed),
            ("iss", Outcome::Failed)
        ]
    );
    // One changed character in the signature and it fails there.
    let tampered = token.replace("SflK", "TflK");
    let evaluation = evaluate(
        &format!("GET /profile HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer {tampered}\r\n\r\n"),
        &scenario,
    );
    assert_eq!(
        evaluation.trace.last().map(|step| step.check.as_str()),
        Some("signature")
    );
}

#[test]
fn utc_formatting() {
    for (seconds, text) in [
        (0, "1970-01-01T00:00:00Z"),
        (1_767_225_600, "2026-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_767_222_000, "2025-12-31T23:00:00Z"),
    ] {
        assert_eq!(format_utc(seconds), text);
    }
    assert!(!format_utc(u64::MAX).is_empty());
}

#[test]
fn default_policy_round_trips_through_toml_and_json() {
    let policy = Policy::default_api();
    assert_eq!(Policy::from_toml(&policy.to_toml()), Ok(policy.clone()));
    assert_eq!(Policy::from_json(&policy.to_json()), Ok(policy.clone()));
    assert_eq!(Policy::default(), policy);
}

#[test]
fn policy_texts_in_both_forms() {
    let accesses = |policy: &Policy| -> Vec<Access> {
        policy
            .routes
            .iter()
            .map(|route| route.access.clone())
            .collect()
    };
    let toml = "[[routes]]\nmethod = \"GET\"\npath = \"/users/{id}/notes\"\naccess = { owner = \"id\" }\n\n[[routes]]\nmethod = \"GET\"\npath = \"/\"\naccess = \"public\"\n";
    let policy = Policy::from_toml(toml).expect("valid TOML");
    assert_eq!(
        accesses(&policy),
        [Access::Owner("id".into()), Access::Public]
    );
    let json = r#"{"routes":[{"method":"GET","path":"/reports","access":{"scope":"reports:read"}},{"method":"GET","path":"/me","access":"authenticated"}]}"#;
    let policy = Policy::from_json(json).expect("valid JSON");
    assert_eq!(
        accesses(&policy),
        [Access::Scope("reports:read".into()), Access::Authenticated]
    );
}

/// A refused policy: a fragment of what it says, the place when the reader knows it, and the
/// route (1-based, as shown) and member it is in.
fn refused(
    result: Result<Policy, PolicyError>,
    words: &str,
    place: Option<(usize, usize)>,
    route: Option<usize>,
    field: Option<Field>,
) {
    let error = result.expect_err("refused");
    assert!(error.to_string().contains(words), "{error}");
    let found = (
        error.line.zip(error.column),
        error.route.as_ref().map(|route| route.index + 1),
        error.field,
    );
    assert_eq!(found, (place, route, field), "{error}");
    // The message alone never repeats the place: a form row shows it as it is.
    assert!(!error.message.starts_with("route "), "{error:?}");
}

#[test]
fn policy_errors_say_where() {
    let json = Policy::from_json;
    let toml = Policy::from_toml;
    let access = Some(Field::Access);
    let cases = [
        // A syntax error has its place; a wrong shape has its place, route and member too.
        (
            json("{\"routes\": [\n  {\"method\": GET}\n]}"),
            "expected value",
            Some((2, 14)),
            Some(1),
            Some(Field::Method),
        ),
        (
            json("{\"routes\": [\n  {\"method\": \"GET\"}\n]}"),
            "route 1: missing field `path`",
            Some((2, 19)),
            Some(1),
            None,
        ),
        (
            json("{\"routes\": 5}"),
            "invalid type",
            Some((1, 12)),
            None,
            Some(Field::Routes),
        ),
        (
            json(r#"{"routes":[{"method":"GET","path":"/","access":"x"}]}"#),
            "unknown variant `x`",
            Some((1, 50)),
            Some(1),
            access,
        ),
        (
            json(r#"{"routes":[{"method":"GET","path":"/","access":{"role":"a","scope":"b"}}]}"#),
            "an object of one member",
            Some((1, 66)),
            Some(1),
            access,
        ),
        (
            json(r#"{"routes":[{"method":"GET","path":"/","access":{"role":1}}]}"#),
            "route 1, `access`: invalid type: integer `1`, expected a string",
            Some((1, 56)),
            Some(1),
            access,
        ),
        (
            json(r#"{"routes":[{"method":"GET","path":"/","access":"public","methd":1}]}"#),
            "unknown field `methd`",
            Some((1, 63)),
            Some(1),
            None,
        ),
        (
            json("{\"routes\": []} x"),
            "trailing characters",
            Some((1, 16)),
            None,
            None,
        ),
        // Columns count characters, not bytes.
        (
            json("{\"routes\": [{\"méthod\": 1}]}"),
            "unknown field `méthod`",
            Some((1, 21)),
            Some(1),
            None,
        ),
        (
            toml("[[routes]]\nmethod = \"GET\"\npath = \"/a\"\naccess = \"everyone\"\n"),
            "unknown variant",
            Some((4, 10)),
            Some(1),
            access,
        ),
        (toml("[[routes]\n"), "", Some((1, 9)), None, None),
        (
            toml("[[routes]]\nmethd = \"GET\"\n"),
            "unknown field `methd`",
            Some((2, 1)),
            Some(1),
            None,
        ),
        // Checked after reading: no place in the text, the route named instead.
        (
            json(r#"{"routes":[{"method":"GET","path":"/a/{id}","access":{"owner":"user"}}]}"#),
            "route 1 (GET /a/{id}), `access`: the owner rule names {user}",
            None,
            Some(1),
            access,
        ),
        (
            json(r#"{"routes":[{"method":"GET","path":"a","access":"public"}]}"#),
            "must start with /",
            None,
            Some(1),
            Some(Field::Path),
        ),
        (
            json(r#"{"routes":[{"method":"G T","path":"/a","access":"public"}]}"#),
            "HTTP token",
            None,
            Some(1),
            Some(Field::Method),
        ),
        (
            json(
                r#"{"routes":[{"method":"GET","path":"/","access":"public"},{"method":"GET","path":"/a/x{id}","access":"public"}]}"#,
            ),
            "whole {name} parameter",
            None,
            Some(2),
            Some(Field::Path),
        ),
    ];
    for (result, words, place, route, field) in cases {
        refused(result, words, place, route, field);
    }
}

/// A route lookup: method and path in, then the matched pattern, or the Allow list, or 404.
fn resolves(method: &str, path: &str, expected: &str) {
    let policy = Policy {
        schemes: Default::default(),
        routes: [
            Policy::default_api().routes,
            Policy::from_json(
                r#"{"routes":[{"method":"GET","path":"/users/{id}","access":"authenticated"}]}"#,
            )
            .expect("valid")
            .routes,
        ]
        .concat(),
    };
    let actual = match policy.resolve(method, path) {
        RouteMatch::Found { route, params } => format!("{} {:?}", route.path, params),
        RouteMatch::MethodNotAllowed { allow } => format!("405 {}", allow.join(", ")),
        RouteMatch::NotFound => "404".to_string(),
    };
    assert_eq!(actual, expected, "{method} {path}");
}

#[test]
fn route_matching() {
    resolves("GET", "/profile", "/profile []");
    resolves(
        "GET",
        "/users/bob/notes",
        r#"/users/{id}/notes [("id", "bob")]"#,
    );
    resolves(
        "GET",
        "/users/b%20b/notes",
        r#"/users/{id}/notes [("id", "b b")]"#,
    );
    resolves("GET", "/users/bob", r#"/users/{id} [("id", "bob")]"#);
    // HEAD goes where GET goes, so a GET resource also allows HEAD (RFC 9110 §9.3.2).
    resolves("PUT", "/users/bob", "405 DELETE, GET, HEAD");
    resolves("get", "/profile", "405 GET, HEAD");
    resolves(
        "HEAD",
        "/users/bob/notes",
        r#"/users/{id}/notes [("id", "bob")]"#,
    );
    resolves("HEAD", "/admin", "/admin []");
    resolves("GET", "/users//notes", "404");
    resolves("GET", "/profile/", "404");
    resolves("GET", "/Profile", "404");
    resolves("GET", "/", "404");
}

/// The curl line for a raw request.
fn curl(raw: &str, expected: &str) {
    let request = parse_request(raw).expect("valid request");
    assert_eq!(curl_command(&request, "http://127.0.0.1:8080/"), expected);
}

#[test]
fn curl_asks_for_the_head_of_a_head_request() {
    // `-X HEAD` would leave curl waiting for a body.
    curl(
        "HEAD /profile HTTP/1.1\r\nHost: a\r\n\r\n",
        "curl --head 'http://127.0.0.1:8080/profile'",
    );
}

#[test]
fn curl_lines_are_single_quoted() {
    curl(
        "GET /profile HTTP/1.1\r\nHost: a\r\nAccept: application/json\r\n\r\n",
        "curl -i 'http://127.0.0.1:8080/profile' -H 'Accept: application/json'",
    );
    curl(
        "DELETE /users/bob HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer x.y.z\r\n\r\n",
        "curl -i -X 'DELETE' 'http://127.0.0.1:8080/users/bob' -H 'Authorization: Bearer x.y.z'",
    );
    curl("POST /p?q='1' HTTP/1.1\r\nHost: a\r\nX-Quote: it's $(rm -rf /)\r\nContent-Length: 4\r\n\r\n'a'b", r#"curl -i -X 'POST' 'http://127.0.0.1:8080/p?q='\''1'\''' -H 'X-Quote: it'\''s $(rm -rf /)' --data-raw ''\''a'\''b'"#);
}
