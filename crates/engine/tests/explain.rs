//! "Explain each line": the annotated response is exactly the raw response, cut into spans,
//! and the parts a reader asks about carry a note with the rule and RFC section behind them.

mod support;

use authpath_engine::teach::explain::{annotate, Annotated, Note};
use authpath_engine::{Response, Rule, Status};
use proptest::prelude::*;
use support::response;

/// The invariants of `Annotated`: lines joined with CRLF are the raw text, and each line is
/// exactly its spans.
fn assert_whole(response: &Response, annotated: &Annotated) {
    let joined: Vec<String> = annotated
        .lines
        .iter()
        .map(|line| line.spans.iter().map(|span| span.text.as_str()).collect())
        .collect();
    assert_eq!(joined.join("\r\n"), response.to_string());
    assert_eq!(annotated.text(), response.to_string());
}

/// The note on the span whose text is exactly `text`.
fn note_on<'a>(annotated: &'a Annotated, text: &str) -> Option<&'a Note> {
    annotated
        .lines
        .iter()
        .flat_map(|line| &line.spans)
        .find(|span| span.text == text)
        .and_then(|span| span.note.as_ref())
}

/// Asserts that the span `text` carries a note citing `rule` and `source`, whose meaning
/// contains `words`.
fn check(annotated: &Annotated, text: &str, rule: Option<Rule>, source: &str, words: &str) {
    let Some(note) = note_on(annotated, text) else {
        panic!("no note on {text:?} in {annotated:#?}");
    };
    assert_eq!(note.rule, rule, "rule of {text:?}");
    assert_eq!(note.source, source, "source of {text:?}");
    assert!(
        note.url.starts_with("https://www.rfc-editor.org/rfc/rfc")
            && note.url.contains("#section-"),
        "url of {text:?}: {}",
        note.url
    );
    assert!(
        note.meaning.contains(words),
        "meaning of {text:?}: {}",
        note.meaning
    );
}

const PROBLEM_401: &str = "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"the token expired\"}";

fn expired_token() -> Response {
    response(
        Status::Unauthorized,
        &[
            (
                "WWW-Authenticate",
                r#"Bearer realm="authpath-demo", error="invalid_token", error_description="the token expired""#,
            ),
            (
                "WWW-Authenticate",
                r#"Basic realm="authpath-demo", charset="UTF-8""#,
            ),
            ("Content-Type", "application/problem+json"),
            ("Content-Length", "87"),
        ],
        PROBLEM_401,
    )
}

#[test]
fn lines_rejoin_into_the_raw_response() {
    let responses = [
        expired_token(),
        response(Status::NoContent, &[], ""),
        response(
            Status::Ok,
            &[("Content-Type", "application/json")],
            "{\n  \"a\": 1\n}\n",
        ),
        response(Status::Ok, &[], "line one\r\nline two\r\n\r\n"),
        response(
            Status::Forbidden,
            &[("Content-Type", "application/problem+json")],
            "{\r\n  \"title\": \"Forbidden\",\r\n  \"status\": 403\r\n}",
        ),
        response(Status::Unauthorized, &[("WWW-Authenticate", "")], ""),
        response(
            Status::Unauthorized,
            &[("WWW-Authenticate", r#"Bearer realm="open"#)],
            "",
        ),
        response(
            Status::MethodNotAllowed,
            &[("Allow", "GET, DELETE"), ("X-Odd", "a\r\nb")],
            "é ü",
        ),
        response(Status::BadRequest, &[("NoColon", "")], "\"title\":"),
    ];
    for response in &responses {
        assert_whole(response, &annotate(response));
    }
}

#[test]
fn the_status_line_says_what_the_status_means() {
    let cases = [
        (
            Status::Unauthorized,
            "401 Unauthorized",
            Some(Rule::R1),
            "RFC 9110 §15.5.2",
            "who are you?",
        ),
        (
            Status::Forbidden,
            "403 Forbidden",
            Some(Rule::R2),
            "RFC 9110 §15.5.4",
            "you are not allowed here",
        ),
        (
            Status::NotFound,
            "404 Not Found",
            Some(Rule::R10),
            "RFC 9110 §15.5.5",
            "hide",
        ),
        (
            Status::MethodNotAllowed,
            "405 Method Not Allowed",
            Some(Rule::R9),
            "RFC 9110 §15.5.6",
            "Allow",
        ),
        (
            Status::BadRequest,
            "400 Bad Request",
            Some(Rule::R5),
            "RFC 9110 §15.5.1",
            "cannot make sense",
        ),
        (
            Status::Ok,
            "200 OK",
            None,
            "RFC 9110 §15.3.1",
            "passed every check",
        ),
        (
            Status::NoContent,
            "204 No Content",
            None,
            "RFC 9110 §15.3.5",
            "nothing to send back",
        ),
        (
            Status::HeaderFieldsTooLarge,
            "431 Request Header Fields Too Large",
            None,
            "RFC 6585 §5",
            "header line",
        ),
    ];
    for (status, text, rule, source, words) in cases {
        let annotated = annotate(&response(status, &[], ""));
        check(&annotated, text, rule, source, words);
        check(&annotated, "HTTP/1.1", None, "RFC 9112 §4", "HTTP/1.1");
    }
}

#[test]
fn header_names_and_challenge_parameters_are_explained() {
    let annotated = annotate(&expired_token());
    let cases = [
        (
            "WWW-Authenticate",
            Some(Rule::R1),
            "RFC 9110 §15.5.2",
            "challenges",
        ),
        (
            "Content-Type",
            Some(Rule::R11),
            "RFC 9457 §3",
            "problem+json",
        ),
        ("Content-Length", None, "RFC 9110 §8.6", "87 bytes"),
        (
            "Bearer",
            Some(Rule::R6),
            "RFC 6750 §3",
            "Authorization: Bearer",
        ),
        ("Basic", Some(Rule::R7), "RFC 7617 §2", "base64"),
        (
            r#"realm="authpath-demo""#,
            Some(Rule::R6),
            "RFC 9110 §11.5",
            "protection space",
        ),
        (
            r#"error="invalid_token""#,
            Some(Rule::R5),
            "RFC 6750 §3.1",
            "get a new token",
        ),
        (
            r#"error_description="the token expired""#,
            Some(Rule::R15),
            "RFC 6750 §3",
            "human-readable",
        ),
        (r#"charset="UTF-8""#, Some(Rule::R7), "RFC 7617 §2", "UTF-8"),
        (
            "\"type\":\"about:blank\"",
            Some(Rule::R16),
            "RFC 9457 §3.1.1",
            "about:blank",
        ),
        (
            "\"title\":\"Unauthorized\"",
            Some(Rule::R16),
            "RFC 9457 §3.1.3",
            "summary",
        ),
        (
            "\"status\":401",
            Some(Rule::R11),
            "RFC 9457 §3.1.2",
            "must match the status line",
        ),
        (
            "\"detail\":\"the token expired\"",
            Some(Rule::R11),
            "RFC 9457 §3.1.4",
            "this request",
        ),
    ];
    for (text, rule, source, words) in cases {
        check(&annotated, text, rule, source, words);
    }
}

#[test]
fn each_error_code_gets_its_own_explanation() {
    let challenge = |value: &str| {
        annotate(&response(
            Status::Forbidden,
            &[
                ("WWW-Authenticate", value),
                ("Allow", "GET"),
                ("Cache-Control", "private"),
            ],
            "",
        ))
    };
    let scope = challenge(r#"Bearer error="insufficient_scope", scope="reports:read""#);
    check(
        &scope,
        r#"error="insufficient_scope""#,
        Some(Rule::R5),
        "RFC 6750 §3.1",
        "lacks the rights",
    );
    check(
        &scope,
        r#"scope="reports:read""#,
        Some(Rule::R6),
        "RFC 6750 §3",
        "reports:read",
    );
    check(&scope, "Allow", Some(Rule::R9), "RFC 9110 §15.5.6", "GET");
    check(
        &scope,
        "Cache-Control",
        Some(Rule::R14),
        "RFC 6750 §2.3",
        "private",
    );
    // A code that does not go with the status says so.
    let mismatch = challenge(r#"Bearer error="invalid_token""#);
    check(
        &mismatch,
        r#"error="invalid_token""#,
        Some(Rule::R5),
        "RFC 6750 §3.1",
        "does not go with status 403",
    );
    let request = challenge(r#"Bearer error="invalid_request""#);
    check(
        &request,
        r#"error="invalid_request""#,
        Some(Rule::R5),
        "RFC 6750 §3.1",
        "two ways",
    );
    let custom = challenge(r#"Bearer error="custom""#);
    check(
        &custom,
        r#"error="custom""#,
        Some(Rule::R5),
        "RFC 6750 §3.1",
        "defines itself",
    );
}

#[test]
fn pretty_printed_problem_members_are_found_on_their_lines() {
    let body = "{\n  \"type\": \"about:blank\",\n  \"title\": \"Forbidden\",\n  \"status\": 403,\n  \"detail\": \"role \\\"user\\\" is not admin\"\n}";
    let annotated = annotate(&response(
        Status::Forbidden,
        &[("Content-Type", "application/problem+json")],
        body,
    ));
    check(
        &annotated,
        "\"status\": 403",
        Some(Rule::R11),
        "RFC 9457 §3.1.2",
        "403",
    );
    check(
        &annotated,
        "\"detail\": \"role \\\"user\\\" is not admin\"",
        Some(Rule::R11),
        "RFC 9457 §3.1.4",
        "this request",
    );
}

#[test]
fn bodies_that_are_not_problem_json_carry_no_member_notes() {
    let annotated = annotate(&response(
        Status::Ok,
        &[("Content-Type", "application/json")],
        "{\"status\":200}",
    ));
    let body = annotated.lines.last().map(|line| line.spans.len());
    assert_eq!(body, Some(1));
    assert!(note_on(&annotated, "{\"status\":200}").is_none());
}

proptest! {
    #[test]
    fn any_response_rejoins_exactly(
        value in any::<String>(),
        name in "[A-Za-z-]{0,20}",
        body in any::<String>(),
        problem in any::<bool>(),
    ) {
        let content_type = if problem { "application/problem+json" } else { "text/plain" };
        let response = response(
            Status::Unauthorized,
            &[("WWW-Authenticate", &value), (&name, &value), ("Content-Type", content_type)],
            &body,
        );
        let annotated = annotate(&response);
        prop_assert_eq!(annotated.text(), response.to_string());
    }

    #[test]
    fn challenge_like_values_rejoin_exactly(value in r#"[A-Za-z ,="\\_:.\t]{0,60}"#) {
        let response = response(Status::Unauthorized, &[("WWW-Authenticate", &value)], "");
        prop_assert_eq!(annotate(&response).text(), response.to_string());
    }

    #[test]
    fn problem_like_bodies_rejoin_exactly(body in r#"[{}":, a-z0-9\\\n]{0,80}"#) {
        let response = response(Status::Forbidden, &[("Content-Type", "application/problem+json")], &body);
        prop_assert_eq!(annotate(&response).text(), response.to_string());
    }

    #[test]
    fn real_problem_bodies_rejoin_exactly(
        title in any::<String>(),
        detail in any::<String>(),
        status in any::<i64>(),
        pretty in any::<bool>(),
    ) {
        let value = serde_json::json!({"type": "about:blank", "title": title, "status": status, "detail": detail});
        let body = if pretty {
            serde_json::to_string_pretty(&value)
        } else {
            serde_json::to_string(&value)
        };
        let Ok(body) = body else {
            return Err(TestCaseError::fail("serializing a JSON value"));
        };
        let response = response(Status::Forbidden, &[("Content-Type", "application/problem+json")], &body);
        let annotated = annotate(&response);
        prop_assert_eq!(annotated.text(), response.to_string());
        let noted = annotated.lines.iter().flat_map(|line| &line.spans).filter(|span| span.note.is_some()).count();
        // The version, the status, Content-Type, and the four members.
        prop_assert_eq!(noted, 7);
    }
}

#[test]
fn an_answer_to_head_says_its_length_is_what_get_would_get() {
    let head = response(
        Status::Ok,
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "35"),
        ],
        "",
    );
    let annotated = annotate(&head);
    assert_whole(&head, &annotated);
    check(
        &annotated,
        "Content-Length",
        None,
        "RFC 9110 §8.6",
        "HEAD carries none",
    );
    let get = response(
        Status::Ok,
        &[
            ("Content-Type", "application/json"),
            ("Content-Length", "2"),
        ],
        "{}",
    );
    check(
        &annotate(&get),
        "Content-Length",
        None,
        "RFC 9110 §8.6",
        "the body is 2 bytes long",
    );
}
