//! `parse_request`: what is accepted, and every refusal with its status, place and reason.

use authpath_engine::{
    evaluate, parse_request, Scenario, Status, MAX_HEADER_LINE_BYTES, MAX_REQUEST_BYTES,
};

/// A refusal: status, 1-based line and column, and a fragment of the message.
fn refused(raw: &str, status: u16, line: usize, column: usize, message: &str) {
    let shown: String = raw.chars().take(120).collect();
    let error = match parse_request(raw) {
        Ok(request) => panic!("accepted {shown:?}: {:?}", request.method),
        Err(error) => error,
    };
    assert_eq!(
        (error.status.code(), error.line, error.column),
        (status, line, column),
        "{shown:?}: {error}"
    );
    assert!(
        error.message.contains(message),
        "{shown:?}: {:?} lacks {message:?}",
        error.message
    );
    assert!(error.offset <= raw.len());
    // evaluate answers the same error with a problem body naming the place.
    let evaluation = evaluate(raw, &Scenario::default());
    assert_eq!(evaluation.response.status.code(), status);
    assert!(
        evaluation
            .response
            .body
            .contains(&format!("line {line}, column {column}")),
        "{}",
        evaluation.response.body
    );
}

#[test]
fn refusals_say_what_and_where() {
    refused("", 400, 1, 1, "the request is empty");
    refused("\r\n\r\n", 400, 3, 1, "the request is empty");
    refused(
        "GET /profile\r\nHost: a\r\n\r\n",
        400,
        1,
        13,
        "a part is missing",
    );
    refused(
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        1,
        "starts with whitespace",
    );
    refused(
        "GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        5,
        "two spaces in a row",
    );
    refused(
        "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        9,
        "unexpected whitespace after the version",
    );
    refused(
        "G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        2,
        "'(' is not allowed in a method",
    );
    refused(
        "GET profile HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        5,
        "must start with /",
    );
    refused(
        "GET /é HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        6,
        "percent-encode it",
    );
    refused(
        "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        7,
        "fragment",
    );
    refused(
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        5,
        "only allowed with OPTIONS",
    );
    refused(
        "GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        7,
        "two hexadecimal digits",
    );
    refused(
        "GET /a?x=%4 HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        10,
        "two hexadecimal digits",
    );
    refused(
        "GET /a?x=%FF HTTP/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        10,
        "not UTF-8",
    );
    refused(
        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        400,
        1,
        7,
        "HTTP/2.0 is not supported",
    );
    refused(
        "GET / http/1.1\r\nHost: a\r\n\r\n",
        400,
        1,
        7,
        "case-sensitive",
    );
    refused(
        "GET / HTTP/1.1\r\n\r\n",
        400,
        2,
        1,
        "must carry a Host header",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        400,
        3,
        1,
        "2 Host headers",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
        400,
        3,
        1,
        "obs-fold",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\n\tfolded\r\n\r\n",
        400,
        3,
        1,
        "obs-fold",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nAccept\r\n\r\n",
        400,
        3,
        7,
        "no colon",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n",
        400,
        3,
        1,
        "name before the colon is empty",
    );
    refused(
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        400,
        2,
        5,
        "whitespace between a header name and its colon",
    );
    refused(
        "GET / HTTP/1.1\r\nHo(st: a\r\n\r\n",
        400,
        2,
        3,
        "'(' is not allowed in a header name",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\u{1}b\r\n\r\n",
        400,
        2,
        8,
        "U+0001",
    );
    refused("GET / HTTP/1.1\rHost: a\r\n\r\n", 400, 1, 15, "bare CR");
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n",
        400,
        3,
        1,
        "decimal number",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc",
        400,
        5,
        4,
        "the body has 3 bytes but Content-Length says 10",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        400,
        4,
        1,
        "disagree",
    );
    refused(
        "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\na",
        400,
        4,
        1,
        "Transfer-Encoding",
    );
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: a\r\nX-Long: {}\r\n\r\n",
        "a".repeat(MAX_HEADER_LINE_BYTES)
    );
    refused(&long_header, 431, 3, MAX_HEADER_LINE_BYTES + 1, "8 KiB");
    let long_target = format!(
        "GET /{} HTTP/1.1\r\nHost: a\r\n\r\n",
        "a".repeat(MAX_HEADER_LINE_BYTES)
    );
    refused(
        &long_target,
        400,
        1,
        MAX_HEADER_LINE_BYTES + 1,
        "request line is",
    );
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n{}",
        "a".repeat(MAX_REQUEST_BYTES)
    );
    refused(&huge, 413, 4, MAX_REQUEST_BYTES - 26, "64 KiB");
}

/// An accepted request: method, path, query, header count, body.
fn accepted(
    raw: &str,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    headers: usize,
    body: &str,
) {
    let request = parse_request(raw).unwrap_or_else(|error| panic!("{raw:?}: {error}"));
    let query: Vec<(String, String)> = query
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect();
    assert_eq!(
        (
            request.method.as_str(),
            request.path.as_str(),
            &request.query,
            request.headers.len(),
            request.body.as_str()
        ),
        (method, path, &query, headers, body),
        "{raw:?}"
    );
}

#[test]
fn accepted_requests() {
    accepted(
        "GET /profile HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET",
        "/profile",
        &[],
        1,
        "",
    );
    accepted(
        "GET /profile HTTP/1.1\nHost: a\n\n",
        "GET",
        "/profile",
        &[],
        1,
        "",
    );
    accepted(
        "\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET",
        "/",
        &[],
        1,
        "",
    );
    accepted("GET / HTTP/1.1\r\nHost: a", "GET", "/", &[], 1, "");
    accepted("GET / HTTP/1.0\r\n\r\n", "GET", "/", &[], 0, "");
    accepted(
        "GET /r?a=1&b=x%20y+z&&c HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET",
        "/r",
        &[("a", "1"), ("b", "x y z"), ("c", "")],
        1,
        "",
    );
    accepted(
        "GET http://api.example/users/bob?x=1 HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET",
        "/users/bob",
        &[("x", "1")],
        1,
        "",
    );
    accepted(
        "GET http://api.example HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET",
        "/",
        &[],
        1,
        "",
    );
    accepted(
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "OPTIONS",
        "*",
        &[],
        1,
        "",
    );
    accepted(
        "POST /p HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhi there",
        "POST",
        "/p",
        &[],
        2,
        "hi",
    );
    accepted(
        "POST /p HTTP/1.1\r\nHost: a\r\n\r\n{\"a\":1}",
        "POST",
        "/p",
        &[],
        1,
        "{\"a\":1}",
    );
    accepted(
        "GET / HTTP/1.1\r\nHost:a\r\nX-Empty:\r\nX-Pad: \t v \t\r\n\r\n",
        "GET",
        "/",
        &[],
        3,
        "",
    );
}

#[test]
fn headers_keep_order_repeats_and_names_as_sent() {
    let request =
        parse_request("GET / HTTP/1.1\r\nhost: a\r\nX-A: 1\r\nx-a: 2\r\n\r\n").expect("valid");
    assert_eq!(request.header("HOST"), Some("a"));
    assert_eq!(request.headers_named("X-a").collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(
        request.headers.get(2).map(|header| header.name.as_str()),
        Some("x-a")
    );
}

#[test]
fn size_limits_are_exact() {
    let head = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    let fits = format!("{head}{}", "a".repeat(MAX_REQUEST_BYTES - head.len()));
    assert!(parse_request(&fits).is_ok());
    let over = format!("{fits}a");
    assert_eq!(
        parse_request(&over).map_err(|error| error.status),
        Err(Status::ContentTooLarge)
    );
    let prefix = "X-Long: ";
    let line = format!(
        "{prefix}{}",
        "a".repeat(MAX_HEADER_LINE_BYTES - prefix.len())
    );
    assert!(parse_request(&format!("GET / HTTP/1.1\r\nHost: a\r\n{line}\r\n\r\n")).is_ok());
    let error = parse_request(&format!("GET / HTTP/1.1\r\nHost: a\r\n{line}a\r\n\r\n"))
        .map_err(|error| error.status);
    assert_eq!(error, Err(Status::HeaderFieldsTooLarge));
}
