//! The pipeline's behaviour, rule by rule (DESIGN.md R2–R18 where the pipeline decides), per
//! profile, and the shape of the trace.

mod support;

use authpath_engine::teach::mock::token_with_header;
use authpath_engine::teach::mock::{CredentialKind, MockRequest, Validity};
use authpath_engine::{
    basic_credentials, evaluate, graph, mint_token, Authentication, Authorization, Claims,
    Evaluation, Node, Outcome, Profile, Scenario, Severity, Status, User,
};
use support::{claims, mint, scenario, DEMO_KEY, NOW};

/// A token with the demo claims for `sub`/`role`/`scope` (`""` for none), changed by `edit`.
fn token(sub: &str, role: &str, scope: &str, edit: impl FnOnce(&mut Claims)) -> String {
    let mut edited = Claims {
        scope: Some(scope.to_string()).filter(|scope| !scope.is_empty()),
        ..claims(sub, role)
    };
    edit(&mut edited);
    mint(&edited)
}

fn alice() -> String {
    token("alice", "user", "", |_| {})
}

fn carol() -> String {
    token("carol", "admin", "", |_| {})
}

/// An `Authorization: Basic` header line for `user` and `password`.
fn basic_header(user: &str, password: &str) -> String {
    format!("Authorization: Basic {}", basic_credentials(user, password))
}

/// A raw request with the given extra header lines (each without CRLF).
fn raw(request_line: &str, headers: &[&str]) -> String {
    let mut text = format!("{request_line}\r\nHost: api.authpath.example\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

/// What a response must show.
enum Expect<'a> {
    /// The first header of that name has exactly this value.
    Header(&'a str, &'a str),
    /// The named header is absent.
    NoHeader(&'a str),
    /// The number of WWW-Authenticate lines.
    Challenges(usize),
    /// The WWW-Authenticate line at that index has exactly this value.
    ChallengeAt(usize, &'a str),
    /// The body contains this text.
    Body(&'a str),
    /// The last step of the trace: node, check, outcome.
    Decided(Node, &'a str),
    /// The last step's detail contains this text.
    Detail(&'a str),
}

fn check(rule: &str, profile: Profile, raw: &str, status: u16, expects: &[Expect<'_>]) {
    let evaluation = evaluate(raw, &scenario(profile));
    let response = &evaluation.response;
    let context = format!("{rule} ({profile:?})\n{raw}\n→\n{response}");
    assert_eq!(response.status.code(), status, "{context}");
    let last = evaluation.trace.last().expect("a trace is never empty");
    for expect in expects {
        match expect {
            Expect::Header(name, value) => {
                assert_eq!(response.header(name), Some(*value), "{context}")
            }
            Expect::NoHeader(name) => assert_eq!(response.header(name), None, "{context}"),
            Expect::Challenges(count) => assert_eq!(
                response.headers_named("WWW-Authenticate").count(),
                *count,
                "{context}"
            ),
            Expect::ChallengeAt(index, value) => assert_eq!(
                response.headers_named("WWW-Authenticate").nth(*index),
                Some(*value),
                "{context}"
            ),
            Expect::Body(text) => assert!(response.body.contains(text), "{context}"),
            Expect::Decided(node, step) => {
                assert_eq!(
                    (last.node, last.check.as_str()),
                    (*node, *step),
                    "{context}"
                )
            }
            Expect::Detail(text) => {
                assert!(
                    last.detail.contains(text),
                    "{}: {}\n{context}",
                    last.check,
                    last.detail
                )
            }
        }
    }
    if profile == Profile::Rfc {
        let errors: Vec<_> = evaluation
            .findings
            .iter()
            .filter(|finding| finding.severity == Severity::Error)
            .collect();
        assert!(
            errors.is_empty(),
            "rfc has no error findings: {errors:?}\n{context}"
        );
    }
}

const BEARER_PLAIN: &str = "Bearer realm=\"authpath-demo\"";
const BASIC: &str = "Basic realm=\"authpath-demo\", charset=\"UTF-8\"";

/// R2: valid credentials with too few rights get 403, never 401.
#[test]
fn rfc_r2_valid_credentials_with_too_few_rights_get_403() {
    use Expect::*;
    use Profile::Rfc;
    let alice = alice();
    let carol = carol();
    let alice_basic = basic_header("alice", "alice-pw");
    check(
        "R2 role",
        Rfc,
        &raw("GET /admin HTTP/1.1", &[&bearer(&alice)]),
        403,
        &[
            Decided(Node::Authorize, "role"),
            Detail("role user ≠ admin"),
            Challenges(0),
        ],
    );
    check(
        "R2 owner",
        Rfc,
        &raw("GET /users/bob/notes HTTP/1.1", &[&bearer(&alice)]),
        403,
        &[
            Decided(Node::Authorize, "owner"),
            Detail("sub alice ≠ id bob"),
        ],
    );
    check(
        "R2 basic",
        Rfc,
        &raw("GET /admin HTTP/1.1", &[&alice_basic]),
        403,
        &[Decided(Node::Authorize, "role")],
    );
    check(
        "R2 owner ok",
        Rfc,
        &raw("GET /users/alice/notes HTTP/1.1", &[&bearer(&alice)]),
        200,
        &[Body(r#"{"user":"alice","route":"GET /users/alice/notes"}"#)],
    );
    check(
        "R2 admin passes owner",
        Rfc,
        &raw("GET /users/bob/notes HTTP/1.1", &[&bearer(&carol)]),
        200,
        &[Detail("carol")],
    );
}

/// R3: no credentials get 401, never 403, whatever the route needs.
#[test]
fn rfc_r3_no_credentials_get_401_whatever_the_route_needs() {
    use Expect::*;
    use Profile::Rfc;
    check(
        "R3 role",
        Rfc,
        &raw("GET /admin HTTP/1.1", &[]),
        401,
        &[Decided(Node::Credentials, "credentials")],
    );
    check(
        "R3 scope",
        Rfc,
        &raw("GET /reports HTTP/1.1", &[]),
        401,
        &[Challenges(2)],
    );
    check(
        "R3 owner",
        Rfc,
        &raw("GET /users/bob/notes HTTP/1.1", &[]),
        401,
        &[Challenges(2)],
    );
    check(
        "R3 delete",
        Rfc,
        &raw("DELETE /users/bob HTTP/1.1", &[]),
        401,
        &[Challenges(2)],
    );
}

/// R1 + R4: a 401 offers both schemes; without credentials no error attribute.
#[test]
fn rfc_r4_a_401_offers_both_schemes_without_an_error() {
    use Expect::*;
    use Profile::Rfc;
    check(
        "R4 none",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[]),
        401,
        &[
            ChallengeAt(0, BEARER_PLAIN),
            ChallengeAt(1, BASIC),
            Challenges(2),
            Header("Content-Type", "application/problem+json"),
        ],
    );
    check(
        "R4 unsupported scheme",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &["Authorization: Digest username=\"alice\""],
        ),
        401,
        &[
            Header("WWW-Authenticate", BEARER_PLAIN),
            Challenges(2),
            Detail("Digest is not supported"),
        ],
    );
}

/// R5: the error code goes with its status.
#[test]
fn rfc_r5_error_codes_go_with_their_status() {
    use Expect::*;
    use Profile::Rfc;
    let alice = alice();
    let reader = token("alice", "user", "reports:read reports:write", |_| {});
    let other_issuer = token("alice", "user", "", |claims| {
        claims.iss = Some("https://evil.example".into())
    });
    let other_audience = token("alice", "user", "", |claims| {
        claims.aud = Some("https://other.example".into())
    });
    let wrong_key = mint_token(
        &Claims {
            sub: Some("alice".into()),
            ..Claims::default()
        },
        "other-key",
    );
    check("R5 invalid_token", Rfc, &raw("GET /profile HTTP/1.1", &[&bearer(&wrong_key)]), 401, &[Header("WWW-Authenticate", "Bearer realm=\"authpath-demo\", error=\"invalid_token\", error_description=\"the token signature is invalid\""), Decided(Node::Verify, "signature"), Detail("signature mismatch")]);
    check("R5 invalid_request", Rfc, &raw("GET /profile HTTP/1.1", &["Authorization: Bearer"]), 400, &[Header("WWW-Authenticate", "Bearer realm=\"authpath-demo\", error=\"invalid_request\", error_description=\"malformed credentials: Bearer without credentials\"")]);
    check(
        "R5 two tokens in a header",
        Rfc,
        &raw("GET /profile HTTP/1.1", &["Authorization: Bearer a b"]),
        400,
        &[Decided(Node::Credentials, "credentials")],
    );
    check("R5 insufficient_scope", Rfc, &raw("GET /reports HTTP/1.1", &[&bearer(&alice)]), 403, &[Header("WWW-Authenticate", "Bearer realm=\"authpath-demo\", error=\"insufficient_scope\", scope=\"reports:read\""), Detail("scopes (none) lack reports:read")]);
    check(
        "R5 scope granted",
        Rfc,
        &raw("GET /reports HTTP/1.1", &[&bearer(&reader)]),
        200,
        &[Detail("alice")],
    );
    check(
        "R5 not a JWT",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &["Authorization: Bearer not-a-jwt"],
        ),
        401,
        &[Decided(Node::Verify, "structure"), Detail("1 part(s)")],
    );
    check(
        "R5 issuer",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&other_issuer)]),
        401,
        &[
            Decided(Node::Verify, "iss"),
            Detail("iss https://evil.example ≠ https://auth.authpath.example"),
        ],
    );
    check(
        "R5 audience",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&other_audience)]),
        401,
        &[Decided(Node::Verify, "aud")],
    );
}

/// R8: the scheme name is case-insensitive.
#[test]
fn rfc_r8_scheme_names_are_case_insensitive() {
    use Expect::*;
    use Profile::Rfc;
    let alice = alice();
    let alice_basic = basic_header("alice", "alice-pw");
    check(
        "R8 lower case",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &[&format!("Authorization: bearer {alice}")],
        ),
        200,
        &[],
    );
    check(
        "R8 upper case",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &[&format!("authorization: BEARER {alice}")],
        ),
        200,
        &[],
    );
    check(
        "R8 basic",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &[&alice_basic.replace("Basic", "bAsIc")],
        ),
        200,
        &[Body(r#""user":"alice""#)],
    );
}

/// R9: a 405 carries Allow.
#[test]
fn rfc_r9_a_405_carries_allow() {
    use Expect::*;
    use Profile::Rfc;
    let alice = alice();
    check(
        "R9 post",
        Rfc,
        &raw("POST /profile HTTP/1.1", &[&bearer(&alice)]),
        405,
        &[Header("Allow", "GET, HEAD"), Decided(Node::Route, "route")],
    );
    check(
        "R9 get on delete-only",
        Rfc,
        &raw("GET /users/bob HTTP/1.1", &[]),
        405,
        &[Header("Allow", "DELETE")],
    );
    check(
        "R9 unknown path is 404",
        Rfc,
        &raw("GET /nope HTTP/1.1", &[&bearer(&alice)]),
        404,
        &[NoHeader("Allow"), Detail("no route matches the path /nope")],
    );
}

/// R12: alg none and unconfigured algorithms are rejected.
#[test]
fn rfc_r12_alg_none_and_unconfigured_algorithms_are_rejected() {
    use Expect::*;
    use Profile::Rfc;
    let claims = Claims {
        sub: Some("alice".into()),
        exp: Some(NOW + 60),
        iss: Some("https://auth.authpath.example".into()),
        aud: Some("https://api.authpath.example".into()),
        ..Claims::default()
    };
    let none = format!(
        "{}.",
        token_with_header(r#"{"alg":"none"}"#, &claims, "")
            .rsplit_once('.')
            .map_or("", |(input, _)| input)
    );
    let rs256 = token_with_header(r#"{"alg":"RS256","typ":"JWT"}"#, &claims, DEMO_KEY);
    check(
        "R12 none",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&none)]),
        401,
        &[Decided(Node::Verify, "alg"), Detail("alg none")],
    );
    check(
        "R12 RS256",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&rs256)]),
        401,
        &[Decided(Node::Verify, "alg"), Detail("alg RS256 ≠ HS256")],
    );
}

/// R13: exp / nbf against the clock, with a stated leeway of 30 s.
#[test]
fn rfc_r13_exp_and_nbf_hold_with_a_stated_leeway() {
    use Expect::*;
    use Profile::Rfc;
    let expired = token("alice", "user", "", |claims| claims.exp = Some(NOW - 3600));
    let just_expired = token("alice", "user", "", |claims| claims.exp = Some(NOW - 20));
    let early = token("alice", "user", "", |claims| claims.nbf = Some(NOW + 3600));
    let almost = token("alice", "user", "", |claims| claims.nbf = Some(NOW + 20));
    check(
        "R13 expired",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&expired)]),
        401,
        &[
            Decided(Node::Verify, "exp"),
            Detail("expired 3600 s ago (leeway 30 s)"),
        ],
    );
    check(
        "R13 within leeway",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&just_expired)]),
        200,
        &[],
    );
    check(
        "R13 not yet valid",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&early)]),
        401,
        &[
            Decided(Node::Verify, "nbf"),
            Detail("not valid for another 3600 s (leeway 30 s)"),
        ],
    );
    check(
        "R13 nbf within leeway",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&almost)]),
        200,
        &[],
    );
}

/// R14: a token in the query is served privately; two ways at once is 400.
#[test]
fn rfc_r14_a_query_token_is_served_privately_and_two_ways_is_400() {
    use Expect::*;
    use Profile::Rfc;
    let alice = alice();
    let alice_basic = basic_header("alice", "alice-pw");
    check(
        "R14 query token",
        Rfc,
        &raw(&format!("GET /profile?access_token={alice} HTTP/1.1"), &[]),
        200,
        &[Header("Cache-Control", "private")],
    );
    check(
        "R14 query token on a public route",
        Rfc,
        &raw(&format!("GET /public?access_token={alice} HTTP/1.1"), &[]),
        200,
        &[Header("Cache-Control", "private")],
    );
    check(
        "R14 header token is not private",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&alice)]),
        200,
        &[NoHeader("Cache-Control")],
    );
    check("R14 header and query", Rfc, &raw(&format!("GET /profile?access_token={alice} HTTP/1.1"), &[&bearer(&alice)]), 400, &[Header("WWW-Authenticate", "Bearer realm=\"authpath-demo\", error=\"invalid_request\", error_description=\"credentials sent two ways at once: a token in the Authorization header and another in the access_token parameter\"")]);
    check(
        "R14 two query tokens",
        Rfc,
        &raw(
            &format!("GET /profile?access_token={alice}&access_token={alice} HTTP/1.1"),
            &[],
        ),
        400,
        &[Detail("2 access_token parameters")],
    );
    check(
        "R14 two headers",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&bearer(&alice), &alice_basic]),
        400,
        &[Detail("2 Authorization headers")],
    );
}

/// R18: the first colon splits user-id and password.
#[test]
fn rfc_r18_the_first_colon_splits_user_id_and_password() {
    use Expect::*;
    use Profile::Rfc;
    let colon_basic = basic_header("alice", "alice-pw:extra");
    check(
        "R18 colon in password",
        Rfc,
        &raw("GET /profile HTTP/1.1", &[&colon_basic]),
        401,
        &[
            Decided(Node::Verify, "password"),
            Detail("wrong password for alice"),
            Challenges(2),
            ChallengeAt(0, BEARER_PLAIN),
            ChallengeAt(1, BASIC),
        ],
    );
    check(
        "R18 basic not base64",
        Rfc,
        &raw(
            "GET /profile HTTP/1.1",
            &["Authorization: Basic not-base64"],
        ),
        401,
        &[Decided(Node::Verify, "base64")],
    );
}

/// Handling: DELETE answers 204 with no body and no Content-Type.
#[test]
fn rfc_handling() {
    use Expect::*;
    use Profile::Rfc;
    let carol = carol();
    check(
        "handle delete",
        Rfc,
        &raw("DELETE /users/bob HTTP/1.1", &[&bearer(&carol)]),
        204,
        &[NoHeader("Content-Type"), NoHeader("Content-Length")],
    );
    check(
        "handle public",
        Rfc,
        &raw("GET /public HTTP/1.1", &[]),
        200,
        &[
            Body(r#"{"user":null,"route":"GET /public"}"#),
            Header("Content-Length", "35"),
        ],
    );
}

#[test]
fn basic_user_with_a_colon_in_the_password() {
    // R18: only the first colon splits, so a password may contain colons.
    let mut scenario = Scenario::default();
    scenario.users.push(User {
        name: "dave".into(),
        password: "pass:word".into(),
        role: "user".into(),
    });
    let request = raw(
        "GET /profile HTTP/1.1",
        &[&format!(
            "Authorization: Basic {}",
            basic_credentials("dave", "pass:word")
        )],
    );
    assert_eq!(evaluate(&request, &scenario).response.status, Status::Ok);
}

#[test]
fn naive_profile_makes_the_common_mistakes() {
    use Expect::*;
    use Profile::Naive;
    let expired = token("alice", "user", "", |claims| claims.exp = Some(NOW - 3600));
    check(
        "naive none",
        Naive,
        &raw("GET /profile HTTP/1.1", &[]),
        401,
        &[
            NoHeader("WWW-Authenticate"),
            Header("Content-Type", "text/plain; charset=utf-8"),
        ],
    );
    check(
        "naive expired",
        Naive,
        &raw("GET /profile HTTP/1.1", &[&bearer(&expired)]),
        403,
        &[NoHeader("WWW-Authenticate"), Decided(Node::Verify, "exp")],
    );
    check(
        "naive bad signature",
        Naive,
        &raw("GET /profile HTTP/1.1", &["Authorization: Bearer a.b.c"]),
        403,
        &[Body("Forbidden: ")],
    );
    check(
        "naive scope: 401 for a permission problem (R2)",
        Naive,
        &raw("GET /reports HTTP/1.1", &[&bearer(&alice())]),
        401,
        &[
            NoHeader("WWW-Authenticate"),
            Decided(Node::Authorize, "scope"),
        ],
    );
    check(
        "naive: 403 without any credentials on a role route (R3)",
        Naive,
        &raw("GET /admin HTTP/1.1", &[]),
        403,
        &[
            NoHeader("WWW-Authenticate"),
            Decided(Node::Credentials, "credentials"),
        ],
    );
    check(
        "naive: an authenticated-only route without credentials is 401",
        Naive,
        &raw("GET /profile HTTP/1.1", &[]),
        401,
        &[Decided(Node::Credentials, "credentials")],
    );
    // Each mistake is caught by the rule that names it.
    for (request, rule) in [
        // (request text, the rule that must flag it)
        (
            raw("GET /admin HTTP/1.1", &[]).to_string(),
            authpath_engine::Rule::R3,
        ),
        (
            raw("GET /reports HTTP/1.1", &[&bearer(&alice())]).to_string(),
            authpath_engine::Rule::R2,
        ),
        (
            raw("GET /profile HTTP/1.1", &[]).to_string(),
            authpath_engine::Rule::R1,
        ),
    ] {
        let findings = evaluate(&request, &scenario(Naive)).findings;
        assert!(
            findings
                .iter()
                .any(|finding| finding.rule == rule && finding.severity == Severity::Error),
            "{rule:?} flags naive for {request}: {findings:?}"
        );
    }
    check(
        "naive ok",
        Naive,
        &raw("GET /profile HTTP/1.1", &[&bearer(&alice())]),
        200,
        &[Header("Content-Type", "application/json")],
    );
    let findings = evaluate(&raw("GET /profile HTTP/1.1", &[]), &scenario(Naive)).findings;
    assert!(
        findings
            .iter()
            .any(|finding| finding.severity == Severity::Error),
        "the lint flags naive: {findings:?}"
    );
}

#[test]
fn conceal_profile_answers_one_404_for_everything_hidden() {
    use Expect::*;
    use Profile::Conceal;
    let alice = alice();
    let concealed = [
        raw("GET /nope HTTP/1.1", &[]),
        raw("GET /nope HTTP/1.1", &[&bearer(&alice)]),
        raw("GET /admin HTTP/1.1", &[]),
        raw("GET /admin HTTP/1.1", &[&bearer(&alice)]),
        raw("POST /profile HTTP/1.1", &[&bearer(&alice)]),
        raw("GET /users/bob HTTP/1.1", &[]),
        raw("GET /users/bob/notes HTTP/1.1", &[&bearer(&alice)]),
        raw("GET /reports HTTP/1.1", &[&bearer(&alice)]),
    ];
    let reference = evaluate(
        concealed.first().map_or("", String::as_str),
        &scenario(Conceal),
    )
    .response
    .to_string();
    for request in &concealed {
        let evaluation = evaluate(request, &scenario(Conceal));
        // R17: byte for byte the same.
        assert_eq!(evaluation.response.to_string(), reference, "R17\n{request}");
        assert!(
            evaluation
                .findings
                .iter()
                .all(|finding| finding.severity != Severity::Error),
            "{:?}",
            evaluation.findings
        );
    }
    check(
        "conceal bad token on unknown path",
        Conceal,
        &raw("GET /nope HTTP/1.1", &["Authorization: Bearer x.y.z"]),
        401,
        &[Challenges(2), Decided(Node::Verify, "structure")],
    );
    check(
        "conceal public anonymous",
        Conceal,
        &raw("GET /public HTTP/1.1", &[]),
        200,
        &[],
    );
    check(
        "conceal owner",
        Conceal,
        &raw("GET /users/alice/notes HTTP/1.1", &[&bearer(&alice)]),
        200,
        &[],
    );
    check(
        "conceal two ways",
        Conceal,
        &raw("GET /nope?access_token=x HTTP/1.1", &[&bearer(&alice)]),
        400,
        &[],
    );
    check(
        "conceal anonymous",
        Conceal,
        &raw("GET /admin HTTP/1.1", &[]),
        404,
        &[Decided(Node::Public, "public"), Detail("concealed")],
    );
}

fn nodes(evaluation: &Evaluation) -> Vec<Node> {
    let mut nodes: Vec<Node> = evaluation.trace.iter().map(|step| step.node).collect();
    nodes.dedup();
    nodes
}

#[test]
fn trace_follows_the_profile_order() {
    use Node::*;
    let request = MockRequest::default().to_raw(&Scenario::default());
    let rfc = evaluate(&request, &scenario(Profile::Rfc));
    assert_eq!(
        nodes(&rfc),
        [Parse, Route, Public, Credentials, Verify, Authorize, Handle]
    );
    let checks: Vec<&str> = rfc
        .trace
        .iter()
        .filter(|step| step.node == Verify)
        .map(|step| step.check.as_str())
        .collect();
    // typ (a note) and key (which key verifies) come from the header; iat is checked when the
    // token has one, as the demo's tokens do.
    assert_eq!(
        checks,
        [
            "structure",
            "alg",
            "typ",
            "key",
            "signature",
            "exp",
            "nbf",
            "iat",
            "iss",
            "aud"
        ]
    );
    let conceal = evaluate(&request, &scenario(Profile::Conceal));
    assert_eq!(
        nodes(&conceal),
        [Parse, Credentials, Verify, Route, Public, Authorize, Handle]
    );
    let public = evaluate(&raw("GET /public HTTP/1.1", &[]), &Scenario::default());
    assert_eq!(nodes(&public), [Parse, Route, Public, Handle]);
}

#[test]
fn vars_follow_the_steps() {
    let evaluation = evaluate(
        &MockRequest::default().to_raw(&Scenario::default()),
        &Scenario::default(),
    );
    let last = evaluation.trace.len() - 1;
    for (index, step) in evaluation.trace.iter().enumerate() {
        // The response code appears with the deciding step, the last one.
        assert_eq!(step.vars.response_code.is_some(), index == last, "{step:?}");
        let verified = step.node == Node::Authorize
            || step.node == Node::Handle
            || (step.node == Node::Verify && step.check == "aud");
        let expected = if verified {
            Authentication::Passed
        } else {
            Authentication::Unknown
        };
        assert_eq!(step.vars.authentication, expected, "{step:?}");
    }
    let decided = &evaluation.trace[last];
    assert_eq!(
        (
            decided.outcome,
            decided.vars.authorization,
            decided.vars.response_code
        ),
        (Outcome::Answered, Authorization::Passed, Some(Status::Ok))
    );

    let refused = evaluate(
        &raw("GET /admin HTTP/1.1", &[&bearer(&alice())]),
        &Scenario::default(),
    );
    let decided = refused.trace.last().expect("a step");
    assert_eq!(
        (
            decided.outcome,
            decided.vars.authentication,
            decided.vars.authorization
        ),
        (
            Outcome::Failed,
            Authentication::Passed,
            Authorization::Failed
        )
    );

    let anonymous = evaluate(&raw("GET /public HTTP/1.1", &[]), &Scenario::default());
    let decided = anonymous.trace.last().expect("a step");
    assert_eq!(
        (decided.vars.authentication, decided.vars.authorization),
        (Authentication::Anonymous, Authorization::NotRequired)
    );
}

/// Every preset (each under its own scenario) and a few odd requests, under every profile:
/// the trace walks the graph and lights exactly one way out, whose statuses hold the answer.
/// (The corpus and the property tests run the same check over thousands more.)
#[test]
fn every_trace_walks_the_graph() {
    let mut presets = authpath_engine::teach::mock::presets();
    presets.extend(authpath_engine::teach::mock::attack_presets());
    let mut requests: Vec<(String, Scenario)> = Vec::new();
    for profile in Profile::all() {
        for preset in &presets {
            let scenario = preset.scenario(&scenario(profile));
            requests.push((preset.request.to_raw(&scenario), scenario));
        }
        for odd in [
            raw("GET /nope HTTP/1.1", &[]),
            raw("POST /admin HTTP/1.1", &[]),
            raw("DELETE /profile HTTP/1.1", &["Authorization: Digest x"]),
            "garbage".to_string(),
            raw("GET /public HTTP/1.1", &["Authorization: Bearer x"]),
            raw(
                "GET /profile HTTP/1.1",
                &["Authorization: Bearer", "Authorization: Basic eA=="],
            ),
            raw("HEAD /reports?access_token=x.y.z HTTP/1.1", &[]),
            format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(70_000)),
        ] {
            requests.push((odd, scenario(profile)));
        }
    }
    let mut walked = 0;
    for (request, scenario) in &requests {
        let evaluation = evaluate(request, scenario);
        if let Err(why) = support::walks_the_graph(&evaluation, scenario.profile) {
            panic!("{}: {why}\n{request}", scenario.profile.id());
        }
        walked += 1;
    }
    assert_eq!(walked, Profile::all().len() * (presets.len() + 8));
}

/// The issue's page: `no-token` under `spring-security-default` lit three exits of the
/// credentials node (403 malformed, 403 unsupported, 403 none), for they shared a status. The
/// trace names the one taken.
#[test]
fn one_request_takes_one_exit_even_where_statuses_repeat() {
    let evaluation = evaluate(
        &raw("GET /profile HTTP/1.1", &[]),
        &scenario(Profile::SpringSecurityDefault),
    );
    let last = evaluation.trace.last().expect("a trace");
    assert_eq!(last.node, Node::Credentials);
    assert_eq!(last.exit.as_deref(), Some("none, no public route"));
    let credentials = graph(Profile::SpringSecurityDefault)
        .into_iter()
        .find(|node| node.node == Node::Credentials)
        .expect("a credentials node");
    let forbidding = credentials
        .exits
        .iter()
        .filter(|exit| exit.status.contains(&Status::Forbidden))
        .count();
    assert!(forbidding >= 2, "{credentials:?}");
}

#[test]
fn graph_labels_exits_per_profile() {
    let labels = |profile: Profile, node: Node| -> Vec<String> {
        graph(profile)
            .into_iter()
            .find(|graph_node| graph_node.node == node)
            .map(|graph_node| {
                graph_node
                    .exits
                    .into_iter()
                    .map(|exit| exit.status_label())
                    .filter(|status| !status.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(labels(Profile::Rfc, Node::Route), ["404/405"]);
    // Invalid credentials, then a session's failed CSRF check.
    assert_eq!(labels(Profile::Rfc, Node::Verify), ["401", "403"]);
    assert_eq!(labels(Profile::Naive, Node::Verify), ["403", "403"]);
    // A server that reads no session has no CSRF exit.
    assert_eq!(labels(Profile::Fastapi, Node::Verify), ["401"]);
    assert_eq!(labels(Profile::Rfc, Node::Authorize), ["403"]);
    assert_eq!(labels(Profile::Conceal, Node::Authorize), ["404"]);
    assert_eq!(labels(Profile::Rfc, Node::Handle), ["200/204"]);
    let order: Vec<Node> = graph(Profile::Conceal)
        .into_iter()
        .map(|graph_node| graph_node.node)
        .collect();
    assert_eq!(
        order,
        [
            Node::Parse,
            Node::Credentials,
            Node::Verify,
            Node::Route,
            Node::Public,
            Node::Authorize,
            Node::Handle
        ]
    );
}

#[test]
fn mock_requests_are_real_requests() {
    let scenario = Scenario::default();
    let cases: [(CredentialKind, Validity, &str, u16, &str); 11] = [
        (
            CredentialKind::Bearer,
            Validity::Valid,
            "/profile",
            200,
            "handler",
        ),
        (
            CredentialKind::Bearer,
            Validity::Expired,
            "/profile",
            401,
            "exp",
        ),
        (
            CredentialKind::Bearer,
            Validity::NotYetValid,
            "/profile",
            401,
            "nbf",
        ),
        (
            CredentialKind::Bearer,
            Validity::BadSignature,
            "/profile",
            401,
            "signature",
        ),
        (
            CredentialKind::Bearer,
            Validity::WrongAudience,
            "/profile",
            401,
            "aud",
        ),
        (
            CredentialKind::Bearer,
            Validity::AlgNone,
            "/profile",
            401,
            "alg",
        ),
        (
            CredentialKind::Bearer,
            Validity::Malformed,
            "/profile",
            401,
            "structure",
        ),
        (
            CredentialKind::Basic,
            Validity::Valid,
            "/profile",
            200,
            "handler",
        ),
        (
            CredentialKind::Basic,
            Validity::WrongPassword,
            "/profile",
            401,
            "password",
        ),
        (
            CredentialKind::Basic,
            Validity::Malformed,
            "/profile",
            401,
            "base64",
        ),
        (
            CredentialKind::Query,
            Validity::Valid,
            "/profile",
            200,
            "handler",
        ),
    ];
    for (kind, validity, path, status, step) in cases {
        let request = MockRequest {
            kind,
            validity,
            path: path.to_string(),
            ..MockRequest::default()
        };
        let text = request.to_raw(&scenario);
        assert!(
            text.starts_with("GET /profile")
                && text.contains("\r\nHost: api.authpath.example\r\nAccept: application/json\r\n")
                && text.ends_with("\r\n\r\n"),
            "{text}"
        );
        let evaluation = evaluate(&text, &scenario);
        let last = evaluation.trace.last().map(|step| step.check.as_str());
        assert_eq!(
            (evaluation.response.status.code(), last),
            (status, Some(step)),
            "{kind:?} {validity:?}\n{text}"
        );
    }
    let anonymous = MockRequest {
        token: false,
        ..MockRequest::default()
    }
    .to_raw(&scenario);
    assert_eq!(
        anonymous,
        "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAccept: application/json\r\n\r\n"
    );
    let spaced = MockRequest {
        path: "/a b".into(),
        token: false,
        ..MockRequest::default()
    }
    .to_raw(&scenario);
    assert!(spaced.starts_with("GET /a%20b HTTP/1.1\r\n"), "{spaced}");
}

#[test]
fn head_is_answered_as_get_without_content() {
    let alice = alice();
    for profile in [Profile::Rfc, Profile::Conceal, Profile::Naive] {
        let cases: [(&str, &[String]); 4] = [
            ("/profile", &[bearer(&alice)]),
            ("/profile", &[]),
            ("/admin", &[bearer(&alice)]),
            ("/nope", &[]),
        ];
        for (path, headers) in cases {
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            let scenario = scenario(profile);
            let get = evaluate(&raw(&format!("GET {path} HTTP/1.1"), &headers), &scenario);
            let head = evaluate(&raw(&format!("HEAD {path} HTTP/1.1"), &headers), &scenario);
            let context = format!("{profile:?} HEAD {path} {headers:?}");
            assert_eq!(head.response.status, get.response.status, "{context}");
            assert_eq!(head.response.headers, get.response.headers, "{context}");
            assert!(head.response.body.is_empty(), "{context}");
            assert!(!get.response.body.is_empty(), "{context}: GET has content");
            // No content is not a missing explanation, and the concealing 404 still looks
            // like the real one.
            let rules = |evaluation: &Evaluation| -> Vec<String> {
                evaluation
                    .findings
                    .iter()
                    .map(|finding| format!("{:?}", finding.rule))
                    .collect()
            };
            assert_eq!(rules(&head), rules(&get), "{context}");
        }
    }
    let post = evaluate(
        &raw("POST /profile HTTP/1.1", &[&bearer(&alice)]),
        &scenario(Profile::Rfc),
    );
    assert_eq!(post.response.header("Allow"), Some("GET, HEAD"));
}

/// Every profile's "invalid" exit names the status of every way a token or a password fails,
/// so the diagram never hides an answer its table gives (simplejwt's 401 for a token without
/// `exp` once went missing from it).
#[test]
fn the_invalid_exit_names_every_failed_verification() {
    use authpath_engine::profile::{Case, Invalid};
    for profile in Profile::all() {
        let spec = profile.spec();
        let exit = graph(profile)
            .into_iter()
            .find(|graph_node| graph_node.node == Node::Verify)
            .and_then(|graph_node| {
                graph_node
                    .exits
                    .into_iter()
                    .find(|exit| exit.label == "invalid")
            })
            .unwrap_or_else(|| panic!("{}: no invalid exit", profile.id()));
        for case in Invalid::all().map(Case::Invalid) {
            if let Some(status) = spec.status(case) {
                assert!(
                    exit.status.contains(&status),
                    "{}: {case:?} answers {status:?}, exit says {:?}",
                    profile.id(),
                    exit.status
                );
            }
        }
    }
}

/// A token that verifies but names no user, under the profiles that look users up: the 401 is
/// right, the credentials authenticated no one, so R2 (a verified caller refused with 401)
/// does not fire.
#[test]
fn a_verified_token_for_no_known_user_is_not_a_verified_caller() {
    let token = mint(&claims("nobody", "user"));
    let raw = format!("GET /profile HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {token}\r\n\r\n");
    for profile in [Profile::Fastapi, Profile::DrfSimplejwt] {
        let evaluation = evaluate(&raw, &scenario(profile));
        assert_eq!(
            evaluation.response.status,
            Status::Unauthorized,
            "{profile:?}"
        );
        let rules: Vec<String> = evaluation
            .findings
            .iter()
            .map(|finding| finding.rule.to_string())
            .collect();
        assert!(!rules.contains(&"R2".to_string()), "{profile:?}: {rules:?}");
    }
}

/// The trace names the schemes the profile reads, not a fixed pair, in what it found and in
/// the credentials step's condition. A server that asks its readers in turn (DRF) finds no
/// credential it reads, and says which scheme its readers passed over.
#[test]
fn an_unsupported_scheme_is_told_which_schemes_this_server_reads() {
    let raw =
        "GET /profile HTTP/1.1\r\nHost: h\r\nAuthorization: Digest username=\"alice\"\r\n\r\n";
    let cases = [
        (
            Profile::Rfc,
            "the scheme Digest is not supported; this server accepts Bearer and Basic",
            "exactly one Authorization header (Bearer or Basic) or one access_token parameter or one X-API-Key header or a sessionid cookie",
        ),
        (
            Profile::Fastapi,
            "the scheme Digest is not supported; this server accepts Bearer only",
            "the first Authorization header (Bearer)",
        ),
        // DRF asks its authentication classes in turn (`request.py:391-401`): none claims a
        // Digest header, so to it nothing was sent.
        (
            Profile::Drf,
            "none it reads: the Authorization scheme Digest is not one its readers take; no sessionid cookie, no X-API-Key header",
            "exactly one Authorization header (Basic) or a sessionid cookie or one X-API-Key header",
        ),
    ];
    for (profile, said, condition) in cases {
        let evaluation = evaluate(raw, &scenario(profile));
        let last = evaluation
            .trace
            .last()
            .map(|step| (step.detail.clone(), step.condition.clone()));
        assert_eq!(
            last,
            Some((said.to_string(), condition.to_string())),
            "{profile:?}"
        );
    }
}

/// The descriptions Spring Security and ASP.NET Core write quote the token's claims in their
/// own formats: Java's `Instant`, .NET's invariant culture.
#[test]
fn framework_descriptions_quote_the_token_in_their_own_formats() {
    let expired = MockRequest {
        validity: Validity::Expired,
        ..MockRequest::default()
    };
    let wrong_audience = MockRequest {
        validity: Validity::WrongAudience,
        ..MockRequest::default()
    };
    let cases = [
        (
            Profile::SpringSecurity,
            &expired,
            "Bearer error=\"invalid_token\", error_description=\"An error occurred while attempting to decode the Jwt: Jwt expired at 2025-12-31T23:00:00Z\", error_uri=\"https://tools.ietf.org/html/rfc6750#section-3.1\"",
        ),
        (
            Profile::AspnetcoreJwtbearer,
            &expired,
            "Bearer error=\"invalid_token\", error_description=\"The token expired at '12/31/2025 23:00:00'\"",
        ),
        (
            Profile::AspnetcoreJwtbearer,
            &wrong_audience,
            "Bearer error=\"invalid_token\", error_description=\"The audience 'https://other.example' is invalid\"",
        ),
    ];
    for (profile, request, challenge) in cases {
        let scenario = scenario(profile);
        let evaluation = evaluate(&request.to_raw(&scenario), &scenario);
        assert_eq!(
            evaluation.response.header("WWW-Authenticate"),
            Some(challenge),
            "{profile:?}"
        );
    }
}
