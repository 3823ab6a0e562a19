//! One table per rule of DESIGN.md: each line a hand-made response that breaks the rule or
//! keeps it, and the severities the lint must report for that rule (none when it is kept).

use authpath_engine::{lint, Facts, Header, Presented, Request, Response, Rule, Severity, Status};
use Severity::{Error, Note, Warning};

// The pieces of a correct answer, as the `rfc` profile writes them.
const BEARER: &str = r#"Bearer realm="authpath-demo""#;
const BASIC: &str = r#"Basic realm="authpath-demo", charset="UTF-8""#;
const INVALID_TOKEN: &str =
    r#"Bearer realm="authpath-demo", error="invalid_token", error_description="the token expired""#;
const PROBLEM: &str = "application/problem+json";
const BODY_401: &str =
    r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"no credentials"}"#;
const BODY_403: &str =
    r#"{"type":"about:blank","title":"Forbidden","status":403,"detail":"role user is not admin"}"#;
const BODY_404: &str =
    r#"{"type":"about:blank","title":"Not Found","status":404,"detail":"no such resource"}"#;

fn status(code: u16) -> Status {
    Status::all()
        .into_iter()
        .find(|status| status.code() == code)
        .unwrap_or_else(|| panic!("no Status for {code}"))
}

fn headers(pairs: &[(&str, &str)]) -> Vec<Header> {
    pairs
        .iter()
        .map(|(name, value)| Header {
            name: name.to_string(),
            value: value.to_string(),
        })
        .collect()
}

fn response(code: u16, pairs: &[(&str, &str)], body: &str) -> Response {
    Response {
        status: status(code),
        headers: headers(pairs),
        body: body.to_string(),
    }
}

/// A GET request with the given query parameters and headers.
fn request(query: &[(&str, &str)], pairs: &[(&str, &str)]) -> Request {
    Request {
        method: "GET".to_string(),
        target: "/profile".to_string(),
        path: "/profile".to_string(),
        query: query
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
        version: "HTTP/1.1".to_string(),
        headers: headers(pairs),
        body: String::new(),
    }
}

fn facts(presented: Presented, verified: Option<bool>) -> Facts {
    Facts {
        presented,
        verified,
        ..Facts::default()
    }
}

/// No credentials were sent.
fn anonymous() -> Facts {
    facts(Presented::None, None)
}

/// A Bearer token was sent and verified (`Some(true)`) or failed (`Some(false)`).
fn bearer(verified: bool) -> Facts {
    facts(Presented::Bearer, Some(verified))
}

/// Lints and compares the severities reported for `rule` with `expected`.
fn check(
    rule: Rule,
    expected: &[Severity],
    request: Option<&Request>,
    facts: &Facts,
    response: &Response,
) {
    let findings = lint(request, facts, response);
    let got: Vec<Severity> = findings
        .iter()
        .filter(|finding| finding.rule == rule)
        .map(|finding| finding.severity)
        .collect();
    assert_eq!(
        got, expected,
        "{rule} on\n{response}\nall findings: {findings:#?}"
    );
    for finding in &findings {
        assert!(
            finding.message.ends_with('.') && !finding.message.contains('\n'),
            "one sentence: {:?}",
            finding.message
        );
    }
}

/// Like `check`, for rules that need no request.
fn check_response(rule: Rule, expected: &[Severity], facts: &Facts, response: &Response) {
    check(rule, expected, None, facts, response);
}

#[test]
#[rustfmt::skip]
fn r1_a_401_carries_a_challenge() {
    use Rule::R1;
    check_response(R1, &[Error], &anonymous(), &response(401, &[], ""));
    check_response(R1, &[Error], &anonymous(), &response(401, &[("WWW-Authenticate", "")], ""));
    check_response(R1, &[Error], &anonymous(), &response(401, &[("WWW-Authenticate", " , ")], ""));
    check_response(R1, &[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
    check_response(R1, &[], &anonymous(), &response(401, &[("www-authenticate", BEARER)], ""));
    // Only a 401 must carry one.
    check_response(R1, &[], &bearer(true), &response(403, &[], ""));
}

#[test]
#[rustfmt::skip]
fn r2_valid_credentials_are_never_401_and_invalid_ones_are_not_403() {
    use Rule::R2;
    let challenge = [("WWW-Authenticate", BEARER)];
    check_response(R2, &[Error], &bearer(true), &response(401, &challenge, ""));
    check_response(R2, &[], &bearer(true), &response(403, &[], ""));
    check_response(R2, &[Error], &bearer(false), &response(403, &[], ""));
    check_response(R2, &[], &bearer(false), &response(401, &challenge, ""));
}

#[test]
#[rustfmt::skip]
fn r3_no_credentials_get_401_not_403() {
    use Rule::R3;
    check_response(R3, &[Error], &anonymous(), &response(403, &[], ""));
    check_response(R3, &[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
    check_response(R3, &[], &bearer(true), &response(403, &[], ""));
}

#[test]
#[rustfmt::skip]
fn r4_no_error_code_when_nothing_was_sent() {
    use Rule::R4;
    let with_error = [("WWW-Authenticate", INVALID_TOKEN)];
    let unsupported = facts(Presented::Unsupported("Digest".to_string()), None);
    check_response(R4, &[Warning], &anonymous(), &response(401, &with_error, ""));
    check_response(R4, &[Warning], &unsupported, &response(401, &with_error, ""));
    check_response(R4, &[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER)], ""));
    check_response(R4, &[], &bearer(false), &response(401, &with_error, ""));
}

#[test]
#[rustfmt::skip]
fn r5_error_codes_match_the_status() {
    use Rule::R5;
    let challenge = |value: &'static str| [("WWW-Authenticate", value)];
    let scope = r#"Bearer realm="d", error="insufficient_scope", scope="reports:read""#;
    let invalid_request = r#"Bearer realm="d", error="invalid_request""#;
    check_response(R5, &[Warning], &bearer(false), &response(403, &challenge(INVALID_TOKEN), ""));
    check_response(R5, &[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
    check_response(R5, &[Warning], &bearer(true), &response(401, &challenge(scope), ""));
    check_response(R5, &[], &bearer(true), &response(403, &challenge(scope), ""));
    check_response(R5, &[], &facts(Presented::Several, None), &response(400, &challenge(invalid_request), ""));
    // A failed token SHOULD get an error code.
    check_response(R5, &[Warning], &bearer(false), &response(401, &challenge(BEARER), ""));
    // Codes RFC 6750 does not define are the server's own business.
    check_response(R5, &[], &bearer(false), &response(403, &challenge(r#"Bearer realm="d", error="custom""#), ""));
}

#[test]
#[rustfmt::skip]
fn r6_bearer_challenges_are_well_formed() {
    use Rule::R6;
    let challenge = |value: &'static str| [("WWW-Authenticate", value)];
    check_response(R6, &[Error], &anonymous(), &response(401, &challenge("Bearer realm=demo"), ""));
    check_response(R6, &[Error], &anonymous(), &response(401, &challenge(r#"Bearer realm="a", realm="b""#), ""));
    check_response(R6, &[Error], &anonymous(), &response(401, &challenge(r#"Basic realm="a", REALM="b""#), ""));
    check_response(R6, &[Warning], &bearer(false), &response(401, &challenge(r#"Bearer realm="a", error=invalid_token"#), ""));
    check_response(R6, &[Error], &anonymous(), &response(401, &challenge("Bearer abc123"), ""));
    // A Bearer token was sent, so the 401 must offer Bearer.
    check_response(R6, &[Error], &bearer(false), &response(401, &challenge(BASIC), ""));
    check_response(R6, &[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
    check_response(R6, &[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)], ""));
}

#[test]
#[rustfmt::skip]
fn r7_basic_challenges_carry_a_realm_and_only_utf_8() {
    use Rule::R7;
    let challenge = |value: &'static str| [("WWW-Authenticate", value)];
    check_response(R7, &[Error], &anonymous(), &response(401, &challenge(r#"Basic charset="UTF-8""#), ""));
    check_response(R7, &[Error], &anonymous(), &response(401, &challenge("Basic"), ""));
    check_response(R7, &[Error], &anonymous(), &response(401, &challenge(r#"Basic realm="a", charset="ISO-8859-1""#), ""));
    check_response(R7, &[], &anonymous(), &response(401, &challenge(r#"Basic realm="a", charset="utf-8""#), ""));
    check_response(R7, &[], &anonymous(), &response(401, &challenge(BASIC), ""));
    check_response(R7, &[], &anonymous(), &response(401, &challenge(r#"basic realm="a""#), ""));
}

#[test]
#[rustfmt::skip]
fn r8_scheme_names_are_case_insensitive() {
    use Rule::R8;
    let lower = request(&[], &[("Authorization", "bearer abc.def.ghi")]);
    let canonical = request(&[], &[("Authorization", "Bearer abc.def.ghi")]);
    let digest = request(&[], &[("Authorization", "Digest username=\"a\"")]);
    let unsupported = |scheme: &str| facts(Presented::Unsupported(scheme.to_string()), None);
    let challenges = [("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)];
    check(R8, &[Error], Some(&lower), &unsupported("bearer"), &response(401, &challenges, ""));
    // Without the request, the scheme named in the facts is enough.
    check(R8, &[Error], None, &unsupported("BASIC"), &response(401, &challenges, ""));
    check(R8, &[Note], Some(&lower), &bearer(true), &response(200, &[], "{}"));
    check(R8, &[], Some(&canonical), &bearer(true), &response(200, &[], "{}"));
    check(R8, &[], Some(&digest), &unsupported("Digest"), &response(401, &challenges, ""));
}

#[test]
#[rustfmt::skip]
fn r9_a_405_carries_allow() {
    use Rule::R9;
    check_response(R9, &[Error], &anonymous(), &response(405, &[], ""));
    check_response(R9, &[], &anonymous(), &response(405, &[("Allow", "GET")], ""));
    check_response(R9, &[], &anonymous(), &response(404, &[], ""));
}

#[test]
#[rustfmt::skip]
fn r10_a_forbidden_resource_may_hide_behind_404() {
    use Rule::R10;
    let concealed = Facts {
        concealed: true,
        ..bearer(true)
    };
    check_response(R10, &[Note], &concealed, &response(404, &[("Content-Type", PROBLEM)], BODY_404));
    check_response(R10, &[], &bearer(true), &response(404, &[("Content-Type", PROBLEM)], BODY_404));
}

#[test]
#[rustfmt::skip]
fn r11_error_bodies_are_problem_json_with_the_same_status() {
    use Rule::R11;
    let challenge = ("WWW-Authenticate", BEARER);
    let problem = |body: &'static str| response(401, &[challenge, ("Content-Type", PROBLEM)], body);
    check_response(R11, &[Note], &anonymous(), &response(401, &[challenge, ("Content-Type", "text/plain")], "Unauthorized"));
    check_response(R11, &[Warning], &anonymous(), &response(401, &[challenge], ""));
    check_response(R11, &[Error], &anonymous(), &problem(r#"{"title":"Unauthorized","status":400}"#));
    check_response(R11, &[Error], &anonymous(), &problem("Unauthorized"));
    check_response(R11, &[Error], &anonymous(), &problem("[401]"));
    check_response(R11, &[Note], &anonymous(), &problem(r#"{"title":"Unauthorized"}"#));
    check_response(R11, &[], &anonymous(), &problem(BODY_401));
    check_response(R11, &[], &anonymous(), &response(401, &[challenge, ("Content-Type", "application/problem+json; charset=utf-8")], BODY_401));
    check_response(R11, &[], &bearer(true), &response(200, &[("Content-Type", "application/json")], "{}"));
}

#[test]
#[rustfmt::skip]
fn r12_alg_none_and_unexpected_algorithms_are_rejected() {
    use Rule::R12;
    let alg = |name: &str, verified: bool| Facts {
        token_alg: Some(name.to_string()),
        ..bearer(verified)
    };
    let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
    check_response(R12, &[Error], &alg("none", true), &response(200, &[], "{}"));
    check_response(R12, &[Error], &alg("HS384", true), &response(200, &[], "{}"));
    check_response(R12, &[Error], &alg("none", true), &response(403, &[], ""));
    check_response(R12, &[], &alg("none", false), &response(401, &challenge, ""));
    check_response(R12, &[], &alg("HS256", true), &response(200, &[], "{}"));
    // A token that failed verification must not get a 2xx either.
    check_response(R12, &[Error], &alg("none", false), &response(200, &[], "{}"));
}

#[test]
#[rustfmt::skip]
fn r13_exp_and_nbf_hold_with_a_small_leeway() {
    use Rule::R13;
    let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
    let expired = |verified| Facts {
        token_expired: Some(true),
        ..bearer(verified)
    };
    let early = Facts {
        token_not_yet_valid: Some(true),
        ..bearer(true)
    };
    let leeway = |seconds| Facts {
        leeway: Some(seconds),
        ..bearer(true)
    };
    check_response(R13, &[Error], &expired(true), &response(200, &[], "{}"));
    check_response(R13, &[Error], &early, &response(200, &[], "{}"));
    check_response(R13, &[], &expired(false), &response(401, &challenge, ""));
    check_response(R13, &[Note], &leeway(3600), &response(200, &[], "{}"));
    check_response(R13, &[], &leeway(30), &response(200, &[], "{}"));
}

#[test]
#[rustfmt::skip]
fn r14_tokens_in_the_url_are_flagged() {
    use Rule::R14;
    let in_query = request(&[("access_token", "abc.def.ghi")], &[]);
    let plain = request(&[], &[("Authorization", "Bearer abc.def.ghi")]);
    let query = facts(Presented::Query, Some(true));
    let several = facts(Presented::Several, None);
    let challenge = [("WWW-Authenticate", INVALID_TOKEN)];
    check(R14, &[Warning], Some(&in_query), &facts(Presented::Query, Some(false)), &response(401, &challenge, ""));
    check(R14, &[Warning, Warning], Some(&in_query), &query, &response(200, &[], "{}"));
    check(R14, &[Warning], Some(&in_query), &query, &response(200, &[("Cache-Control", "private")], "{}"));
    check(R14, &[Warning], Some(&in_query), &query, &response(200, &[("Cache-Control", "no-cache, Private")], "{}"));
    check(R14, &[Warning, Warning], Some(&in_query), &several, &response(200, &[("Cache-Control", "private")], "{}"));
    check(R14, &[Warning], None, &several, &response(200, &[], "{}"));
    check(R14, &[], None, &several, &response(400, &[], ""));
    check(R14, &[], Some(&plain), &bearer(true), &response(200, &[], "{}"));
}

#[test]
#[rustfmt::skip]
fn r15_every_challenge_parses() {
    use Rule::R15;
    let challenge = |value: &'static str| [("WWW-Authenticate", value)];
    check_response(R15, &[Error], &anonymous(), &response(401, &challenge(r#"Bearer realm="open"#), ""));
    check_response(R15, &[Error], &anonymous(), &response(401, &challenge("Bearer"), ""));
    check_response(R15, &[Error], &anonymous(), &response(401, &challenge("Basic, Bearer"), ""));
    check_response(R15, &[Error], &bearer(false), &response(401, &challenge(r#"Bearer error="invalid_token", error_description="say \"hi\"""#), ""));
    check_response(R15, &[Error], &bearer(true), &response(403, &challenge(r#"Bearer error="insufficient_scope", scope="a\\b""#), ""));
    check_response(R15, &[], &bearer(false), &response(401, &challenge(INVALID_TOKEN), ""));
    check_response(R15, &[], &bearer(true), &response(403, &challenge(r#"Bearer error="insufficient_scope", scope="reports:read admin""#), ""));
    check_response(R15, &[], &anonymous(), &response(401, &challenge(r#"Bearer realm="a", Basic realm="a""#), ""));
    check_response(R15, &[], &anonymous(), &response(401, &[("WWW-Authenticate", BEARER), ("WWW-Authenticate", BASIC)], ""));
}

#[test]
#[rustfmt::skip]
fn r16_problem_titles_and_member_types() {
    use Rule::R16;
    let problem = |code: u16, body: &'static str| response(code, &[("Content-Type", PROBLEM)], body);
    check_response(R16, &[Warning], &bearer(true), &problem(403, r#"{"type":"about:blank","title":"Oops","status":403}"#));
    check_response(R16, &[Warning], &bearer(true), &problem(403, r#"{"title":"Access denied","status":403}"#));
    check_response(R16, &[], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":403}"#));
    check_response(R16, &[], &bearer(true), &problem(403, r#"{"type":"https://api.example/problems/role","title":"Role required","status":403}"#));
    check_response(R16, &[Error], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":"403"}"#));
    check_response(R16, &[Error], &bearer(true), &problem(403, r#"{"title":"Forbidden","status":403,"detail":5}"#));
    check_response(R16, &[Error], &bearer(true), &problem(403, r#"{"type":7,"title":"Forbidden","status":403}"#));
    check_response(R16, &[], &bearer(true), &problem(403, BODY_403));
}

#[test]
#[rustfmt::skip]
fn r17_a_concealing_404_matches_a_real_one_byte_for_byte() {
    use Rule::R17;
    let real = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "80")], BODY_404);
    let concealing = |counterpart: &Response| Facts {
        concealed: true,
        counterpart: Some(Box::new(counterpart.clone())),
        ..bearer(true)
    };
    let other_body = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "80")], BODY_403);
    let other_header = response(404, &[("Content-Type", PROBLEM), ("Content-Length", "81")], BODY_404);
    check_response(R17, &[Error], &concealing(&other_body), &real);
    check_response(R17, &[Error], &concealing(&other_header), &real);
    check_response(R17, &[Error], &concealing(&response(403, &[], "")), &real);
    check_response(R17, &[], &concealing(&real), &real);
    // Without concealment there is nothing to compare.
    check_response(R17, &[], &Facts { counterpart: Some(Box::new(other_body)), ..bearer(true) }, &real);
}

#[test]
#[rustfmt::skip]
fn r18_basic_credentials_split_at_the_first_colon() {
    use Rule::R18;
    // base64("alice") has no colon; base64("alice:alice-pw") has one.
    let no_colon = request(&[], &[("Authorization", "Basic YWxpY2U=")]);
    let good = request(&[], &[("Authorization", "Basic YWxpY2U6YWxpY2UtcHc=")]);
    let not_base64 = request(&[], &[("Authorization", "Basic %%%")]);
    let basic = |verified| facts(Presented::Basic, Some(verified));
    let challenge = [("WWW-Authenticate", BASIC)];
    check(R18, &[Error], Some(&no_colon), &basic(true), &response(200, &[], "{}"));
    check(R18, &[Error], Some(&not_base64), &basic(true), &response(200, &[], "{}"));
    check(R18, &[], Some(&good), &basic(true), &response(200, &[], "{}"));
    check(R18, &[], Some(&no_colon), &basic(false), &response(401, &challenge, ""));
    // On a public route nothing is verified: the credentials are ignored, not accepted.
    check(R18, &[], Some(&no_colon), &facts(Presented::Basic, None), &response(200, &[], "{}"));
}

/// What the `rfc` profile answers: every response here must lint without an error.
#[test]
#[rustfmt::skip]
fn correct_answers_have_no_errors() {
    let challenges = [
        ("WWW-Authenticate", BEARER),
        ("WWW-Authenticate", BASIC),
        ("Content-Type", PROBLEM),
    ];
    let expired = [
        ("WWW-Authenticate", INVALID_TOKEN),
        ("WWW-Authenticate", BASIC),
        ("Content-Type", PROBLEM),
    ];
    let body_expired = r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"the token expired"}"#;
    let scope = [
        ("WWW-Authenticate", r#"Bearer realm="authpath-demo", error="insufficient_scope", scope="reports:read""#),
        ("Content-Type", PROBLEM),
    ];
    let cases: [(Facts, Response); 7] = [
        (anonymous(), response(401, &challenges, BODY_401)),
        (Facts { token_expired: Some(true), ..bearer(false) }, response(401, &expired, body_expired)),
        (bearer(true), response(403, &scope, BODY_403)),
        (bearer(true), response(403, &[("Content-Type", PROBLEM)], BODY_403)),
        (Facts { concealed: true, ..bearer(true) }, response(404, &[("Content-Type", PROBLEM)], BODY_404)),
        (anonymous(), response(405, &[("Allow", "GET"), ("Content-Type", PROBLEM)], r#"{"title":"Method Not Allowed","status":405}"#)),
        (Facts { token_alg: Some("HS256".to_string()), leeway: Some(30), ..bearer(true) }, response(200, &[("Content-Type", "application/json")], "{}")),
    ];
    for (facts, response) in &cases {
        let errors: Vec<_> = lint(None, facts, response)
            .into_iter()
            .filter(|finding| finding.severity == Error)
            .collect();
        assert!(errors.is_empty(), "{response}\n{errors:#?}");
    }
}

/// What the `naive` profile answers: each mistake is named by its rule.
#[test]
#[rustfmt::skip]
fn naive_answers_are_flagged_rule_by_rule() {
    let text = [("Content-Type", "text/plain")];
    let cases: [(Facts, Response, &[Rule]); 3] = [
        // 401 without a challenge, text body.
        (anonymous(), response(401, &text, "Unauthorized"), &[Rule::R1, Rule::R11]),
        // 403 for a token that failed verification.
        (bearer(false), response(403, &text, "Forbidden"), &[Rule::R2, Rule::R11]),
        // 403 for a request without credentials, and a bare Bearer challenge.
        (anonymous(), response(403, &[("WWW-Authenticate", "Bearer")], ""), &[Rule::R3, Rule::R11, Rule::R15]),
    ];
    for (facts, response, rules) in &cases {
        let findings = lint(None, facts, response);
        let mut got: Vec<Rule> = findings.iter().map(|finding| finding.rule).collect();
        got.dedup();
        assert_eq!(&got, rules, "{response}\n{findings:#?}");
    }
}

#[test]
fn findings_come_sorted_by_rule() {
    let findings = lint(
        Some(&request(&[("access_token", "x")], &[])),
        &facts(Presented::Query, Some(true)),
        &response(401, &[], ""),
    );
    let rules: Vec<Rule> = findings.iter().map(|finding| finding.rule).collect();
    let mut sorted = rules.clone();
    sorted.sort();
    assert_eq!(rules, sorted);
    assert!(rules.len() >= 3, "{findings:#?}");
}

#[test]
fn every_rule_names_its_source() {
    for (index, rule) in Rule::all().into_iter().enumerate() {
        let id = format!("R{}", index + 1);
        assert_eq!(rule.id(), id);
        assert_eq!(rule.to_string(), id);
        assert!(
            rule.source().starts_with("RFC "),
            "{rule}: {}",
            rule.source()
        );
        let section = rule.source().rsplit('§').next().unwrap_or_default();
        let number = rule.source().split_whitespace().nth(1).unwrap_or_default();
        assert_eq!(
            rule.url(),
            format!("https://www.rfc-editor.org/rfc/rfc{number}#section-{section}"),
            "{rule}"
        );
        assert!(!rule.title().is_empty() && !rule.explanation().is_empty());
    }
    assert_eq!(
        Rule::R2.explanation(),
        "401 means *who are you?*; 403 means *you are not allowed here*."
    );
}
