//! The Express profiles on raw requests, including what the conformance recordings do not
//! send: how `value.split(' ')` reads odd `Authorization` headers, and how finalhandler writes
//! a path in its 404 page. Each line was checked against the real apps (conformance/node/).

use authpath_engine::teach::mock::MockRequest;
use authpath_engine::{evaluate, Profile, Scenario};

/// Evaluates `GET target` with this `Authorization` (`TOKEN` stands for a valid token) and
/// compares status, the `WWW-Authenticate` fields and the end of the body.
fn check(
    profile: Profile,
    target: &str,
    authorization: Option<&str>,
    status: u16,
    challenges: &[&str],
    body_end: &str,
) {
    let scenario = Scenario {
        profile,
        ..Scenario::default()
    };
    // The builder's default request: a valid token for alice (role user, no scope).
    let built = MockRequest::default().to_raw(&scenario);
    let token = built
        .lines()
        .find_map(|line| line.strip_prefix("Authorization: Bearer "))
        .unwrap_or_default();
    let header = authorization.map_or(String::new(), |value| {
        format!("Authorization: {}\r\n", value.replace("TOKEN", token))
    });
    let target = target.replace("TOKEN", token);
    let raw = format!("GET {target} HTTP/1.1\r\nHost: api.authpath.example\r\n{header}\r\n");
    let response = evaluate(&raw, &scenario).response;
    let found: Vec<&str> = response.headers_named("WWW-Authenticate").collect();
    let line = format!("{} {target} {authorization:?}", profile.id());
    assert_eq!(response.status.code(), status, "{line}");
    assert_eq!(found, challenges, "{line}");
    assert!(
        response.body.trim_end().ends_with(body_end),
        "{line}: {:?}",
        response.body
    );
}

const USERS: &str = r#"Bearer realm="Users""#;
const INVALID: &str = r#"Bearer realm="Users", error="invalid_token""#;
const PAGE_END: &str = "</pre>\n</body>\n</html>";

#[test]
#[rustfmt::skip]
fn passport_reads_the_header_in_two_parts() {
    let passport = Profile::PassportHttpBearer;
    check(passport, "/profile", Some("Bearer TOKEN"), 200, &[], r#""route":"GET /profile"}"#);
    check(passport, "/profile", None, 401, &[USERS], "Unauthorized");
    check(passport, "/profile", Some("Bearer"), 400, &[], "Bad Request");
    check(passport, "/profile", Some("Bearer  TOKEN"), 400, &[], "Bad Request");
    check(passport, "/profile", Some("Bearer a b"), 400, &[], "Bad Request");
    check(passport, "/profile", Some("Basic  eA=="), 400, &[], "Bad Request");
    check(passport, "/profile", Some(r#"Digest username="alice", realm="x""#), 400, &[], "Bad Request");
    // Two parts of another scheme: no token, so the challenge.
    check(passport, "/profile", Some("Digest abc"), 401, &[USERS], "Unauthorized");
    check(passport, "/profile", Some("Basic YWxpY2U6YWxpY2UtcHc="), 401, &[USERS], "Unauthorized");
    // The second part goes to `verify` whatever its characters.
    check(passport, "/profile", Some(r#"Bearer a"b"#), 401, &[INVALID], "Unauthorized");
    check(passport, "/profile", Some("Bearer not-a-jwt"), 401, &[INVALID], "Unauthorized");
    check(passport, "/profile?access_token=TOKEN", None, 200, &[], r#""user":"alice","route":"GET /profile"}"#);
    check(passport, "/profile?access_token=TOKEN", Some("Bearer TOKEN"), 400, &[], "Bad Request");
    check(passport, "/admin", Some("Bearer TOKEN"), 403, &[], "Forbidden");
}

#[test]
#[rustfmt::skip]
fn express_jwt_answers_every_failure_with_one_page() {
    let express = Profile::ExpressJwt;
    let unauthorized = "<pre>Unauthorized</pre>\n</body>\n</html>";
    check(express, "/profile", Some("bearer TOKEN"), 200, &[], r#""user":"alice","route":"GET /profile"}"#);
    for authorization in [None, Some("Bearer"), Some("Bearer  TOKEN"), Some("Bearer a b"), Some("Digest abc"), Some(r#"Bearer a"b"#), Some("Basic YWxpY2U6YWxpY2UtcHc=")] {
        check(express, "/profile", authorization, 401, &[], unauthorized);
    }
    // express-jwt reads no query token.
    check(express, "/profile?access_token=TOKEN", None, 401, &[], unauthorized);
    check(express, "/reports", Some("Bearer TOKEN"), 403, &[], "Forbidden");
}

#[test]
#[rustfmt::skip]
fn finalhandler_names_the_method_and_the_path() {
    for profile in [Profile::ExpressJwt, Profile::PassportHttpBearer] {
        check(profile, "/nope?a=1", None, 404, &[], &format!("<pre>Cannot GET /nope{PAGE_END}"));
        check(profile, "/a'b&c", None, 404, &[], &format!("<pre>Cannot GET /a&#39;b&amp;c{PAGE_END}"));
        check(profile, "/x\"y<z>{`}", None, 404, &[], &format!("<pre>Cannot GET /x%22y%3Cz%3E%7B%60%7D{PAGE_END}"));
        // Express has no 405.
        check(profile, "/users/bob", Some("Bearer TOKEN"), 404, &[], &format!("<pre>Cannot GET /users/bob{PAGE_END}"));
    }
}
