//! `authpath check` end to end: real curl transcripts of `authpath serve`, a raw exchange, a
//! HAR file, the report formats, and input that is truncated or no exchange at all (a clear
//! message and exit status 2, never a panic).

mod common;

use std::process::{Command, Stdio};

use authpath_engine::{evaluate, Profile, Scenario};
use common::support::{claims, mint, NOW};
use common::{available, run, Server};
use serde_json::Value;

/// `authpath check <arguments>` with `stdin`: exit status, stdout, stderr.
fn check(arguments: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let mut line = vec!["check"];
    line.extend_from_slice(arguments);
    let output = run(&line, stdin);
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The rule ids of each exchange of a JSON report, in order.
fn rules(report: &str) -> Vec<Vec<String>> {
    let report: Value = common::support::json(report, "check's JSON report");
    report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|exchange| {
            exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|item| item["rule"].as_str().map(str::to_string))
                .collect()
        })
        .collect()
}

/// `curl -sv` of `path` with `headers` against `server`: its transcript (stderr, then the body).
fn curl(server: &Server, path: &str, headers: &[String]) -> String {
    let mut command = Command::new("curl");
    command.args(["-sv", "--max-time", "20"]);
    for header in headers {
        command.args(["-H", header]);
    }
    let output = command
        .arg(format!("{}{path}", server.base()))
        .stdin(Stdio::null())
        .output()
        .expect("curl runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    )
}

/// Real curl against `serve` under a profile: `check` of the transcript, under the same
/// profile, finds what the engine finds for the request curl sent, and exits 1 exactly when one
/// of them is of error level.
#[test]
fn curl_transcripts_of_serve_are_checked_as_the_engine_judges_them() {
    assert!(available("curl"), "curl is needed for this test");
    let token = mint(&claims("alice", "user"));
    // Expired, but signed with the scenario's key: judged under the scenario.
    let expired = mint(&authpath_engine::Claims {
        exp: Some(NOW - 3600),
        ..claims("alice", "user")
    });
    // `alg: none`: refused whatever the keys, so judged too.
    let unsigned = {
        use base64::Engine;
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"alg":"none","typ":"JWT"}"#);
        let payload = token.split('.').nth(1).unwrap_or_default();
        format!("{header}.{payload}.")
    };
    let cases: &[(Profile, &str, Option<String>)] = &[
        (Profile::Rfc, "/profile", None),
        (Profile::Naive, "/profile", None),
        (
            Profile::Naive,
            "/admin",
            Some(format!("Authorization: Bearer {expired}")),
        ),
        (Profile::Drf, "/profile", None),
        (
            Profile::FlaskJwtExtended,
            "/profile",
            Some(format!("Authorization: Bearer {unsigned}")),
        ),
        (
            Profile::Rfc,
            "/admin",
            Some(format!("Authorization: Bearer {token}")),
        ),
    ];
    for (profile, path, header) in cases {
        let server = Server::start(&[
            "--profile",
            profile.id(),
            "--clock",
            &NOW.to_string(),
            "--quiet",
        ]);
        let headers: Vec<String> = header.iter().cloned().collect();
        let transcript = curl(&server, path, &headers);
        let (status, stdout, stderr) = check(
            &["--format", "json", "--profile", profile.id()],
            &transcript,
        );
        // The request as curl wrote it, rebuilt from its `> ` lines.
        let mut request: String = transcript
            .lines()
            .filter_map(|line| line.strip_prefix("> "))
            .map(|line| format!("{line}\r\n"))
            .collect();
        if !request.ends_with("\r\n\r\n") {
            request.push_str("\r\n");
        }
        let scenario = Scenario {
            profile: *profile,
            ..Scenario::default()
        };
        let engine = evaluate(&request, &scenario);
        let expected: Vec<String> = engine
            .findings
            .iter()
            .map(|finding| finding.rule.id().to_string())
            .collect();
        assert_eq!(
            rules(&stdout),
            vec![expected.clone()],
            "{profile:?} {path}: {stderr}"
        );
        let errors = engine
            .findings
            .iter()
            .any(|finding| finding.severity == authpath_engine::Severity::Error);
        assert_eq!(
            status,
            Some(i32::from(errors)),
            "{profile:?} {path}: {stderr}"
        );
        assert!(!stdout.contains(&token), "the report shows no token");
    }
}

/// A token whose signature does not verify under the scenario's keys may be valid for its own
/// server: its validity is unknown, and the rules that need it say so instead of judging.
#[test]
fn credentials_the_keys_cannot_verify_are_not_judged() {
    let token = format!("{}x", mint(&claims("alice", "user")));
    let raw = format!(
        "GET /admin HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {token}\r\n\r\n\
         HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nForbidden"
    );
    let (_, stdout, stderr) = check(&["--format", "json"], &raw);
    let report: Value = common::support::json(&stdout, "check's JSON report");
    let exchange = &report["exchanges"][0];
    let unjudged: Vec<&str> = exchange["unjudged"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        unjudged
            .iter()
            .any(|line| line.contains("validity is unknown")),
        "{unjudged:?} {stderr}"
    );
    assert!(
        unjudged.iter().any(|line| line.starts_with("R2:")),
        "{unjudged:?}"
    );
    assert!(!rules(&stdout)[0].contains(&"R2".to_string()));
    assert!(!stdout.contains(&token));
}

/// A raw exchange (request, blank line, response), a `-` for stdin, a file, and a HAR with two
/// entries; each read and judged.
#[test]
fn raw_exchanges_files_and_har_files_are_read() {
    let raw = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n\
               HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\nForbidden";
    let (status, stdout, stderr) = check(&["--format", "json", "-"], raw);
    assert_eq!(status, Some(1), "{stderr}");
    assert!(rules(&stdout)[0].contains(&"R3".to_string()), "{stdout}");
    // Beside it, what the RFCs answer to that request under the scenario; nothing for a path
    // its policy does not have.
    let report: Value = common::support::json(&stdout, "check's JSON report");
    let answer = report["exchanges"][0]["rfc_answer"]
        .as_str()
        .unwrap_or_default();
    assert!(
        answer.starts_with("401 Unauthorized; WWW-Authenticate: Bearer realm="),
        "{answer}"
    );
    let elsewhere = raw.replace("/profile", "/not-in-the-policy");
    let (_, stdout, _) = check(&["--format", "json"], &elsewhere);
    let report: Value = common::support::json(&stdout, "check's JSON report");
    assert_eq!(report["exchanges"][0]["rfc_answer"], Value::Null);

    let path = std::env::temp_dir().join(format!("authpath-check-{}.har", std::process::id()));
    let entry = |url: &str, status: u16, headers: Value| {
        serde_json::json!({
            "request": {
                "method": "GET", "url": url, "httpVersion": "HTTP/1.1",
                "headers": [{"name": "Host", "value": "api.example"}],
                "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0
            },
            "response": {
                "status": status, "statusText": "", "httpVersion": "HTTP/1.1",
                "headers": headers, "cookies": [],
                "content": {"size": 0, "mimeType": "text/plain", "text": ""},
                "redirectURL": "", "headersSize": -1, "bodySize": 0
            },
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0},
            "startedDateTime": "2026-01-01T00:00:00.000Z", "time": 0
        })
    };
    let har = serde_json::json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "test", "version": "1"},
            "entries": [
                entry("http://api.example/profile", 401, serde_json::json!([])),
                entry(
                    "http://api.example/public",
                    200,
                    serde_json::json!([{"name": "Content-Type", "value": "application/json"}])
                ),
            ]
        }
    });
    std::fs::write(&path, har.to_string()).expect("write the HAR");
    let (status, stdout, stderr) =
        check(&["--format", "json", path.to_str().unwrap_or_default()], "");
    let _ = std::fs::remove_file(&path);
    let found = rules(&stdout);
    assert_eq!(found.len(), 2, "every entry of the HAR: {stdout}{stderr}");
    assert!(
        found[0].contains(&"R1".to_string()),
        "a 401 without a challenge: {found:?}"
    );
    assert_eq!(found[1], Vec::<String>::new());
    assert_eq!(status, Some(1));
}

/// Input that is no exchange, or is cut short, gets a message saying what is wrong, and exit
/// status 2 (or, where what is left still reads as an exchange, its findings); never a panic.
#[test]
fn truncated_and_garbage_input_is_a_clear_error() {
    let full = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n\
                HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\"\r\n\
                Content-Type: application/problem+json\r\n\r\n\
                {\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}";
    let cases: &[(&str, &str)] = &[
        ("", "the text is empty"),
        ("   \n\n", "the text is empty"),
        ("{\"log\": {\"entries\": [", "holds no exchange"),
        ("{\"not\": \"a har\"}", "holds no exchange"),
        ("\u{0}\u{1}\u{2} binary", "holds no exchange"),
    ];
    for (input, message) in cases {
        let (status, _, stderr) = check(&[], input);
        assert_eq!(status, Some(2), "{input:?}: {stderr}");
        assert!(stderr.contains(message), "{input:?}: {stderr}");
    }
    // Every cut of a whole exchange: a stated status (0, 1 or 2), never a crash.
    for end in (0..full.len()).step_by(7) {
        let (status, _, stderr) = check(&[], &full[..end]);
        assert!(
            matches!(status, Some(0..=2)),
            "cut at {end}: {status:?} {stderr}"
        );
        assert!(!stderr.contains("panicked"), "cut at {end}: {stderr}");
    }
    let (status, _, stderr) = check(&["/nonexistent/exchange.txt"], "");
    assert_eq!(status, Some(1), "{stderr}");
    assert!(
        stderr.contains("cannot read /nonexistent/exchange.txt"),
        "{stderr}"
    );
    let (status, _, stderr) = check(&["a.txt", "b.txt"], "");
    assert_eq!(status, Some(2));
    assert!(stderr.contains("two were given"), "{stderr}");
}

/// Issue #25: bytes that hold no exchange exit 2 with the line and column of what is wrong,
/// never 0 ("all fine" to a CI step); one case per form of garbage. The forms that are
/// exchanges keep judging: a response alone (`curl -i`), a HAR entry the browser got no
/// response for.
#[test]
#[rustfmt::skip]
fn input_that_is_no_exchange_exits_2_with_its_line_and_column() {
    let har = |entries: &str| format!("{{\"log\": {{\"version\": \"1.2\", \"entries\": [\n{entries}\n]}}}}");
    let request = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n";
    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated HAR", "{\"log\": {\"entries\": [\n  {\"request\": {\"method\": \"GET\",".to_string(), "line 2, column 31: this is not a HAR file"),
        ("HTML page", "<!DOCTYPE html>\n<html lang=en>\n<title>Sign in</title>\n".to_string(), "line 1, column 1: \"<!DOCTYPE html>\" is neither a request line"),
        ("binary", "\u{7f}ELF\u{2}\u{1}\u{1}\u{0}\u{0}\u{0}".to_string(), "line 1, column 1: "),
        ("NUL in the status line", format!("{request}HTTP/1.1 401\0\0\0 Unauthorized\r\n\r\n"), "line 4, column 13: in the response: U+0000, a control character"),
        ("NUL in the reason phrase", format!("{request}HTTP/1.1 200 O\0K\r\n\r\n"), "line 4, column 15: in the response: U+0000"),
        ("header name that is not a token", format!("{request}HTTP/1.1 401 Unauthorized\r\nWWW Authenticate: Bearer\r\n\r\n"), "line 5, column 4: in the response: \"WWW Authenticate\" is not a header name"),
        ("request header name that is not a token", "GET /profile HTTP/1.1\r\nHost: a\r\n(Authorization): x\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n".to_string(), "line 3, column 1: in the request: \"(Authorization)\" is not a header name"),
        ("request only", request.to_string(), "line 4, column 1: no response after the request"),
        ("request only, curl -v", "* Trying 127.0.0.1:9...\n> GET /profile HTTP/1.1\r\n> Host: a\r\n> \r\n* Recv failure\n".to_string(), "line 6, column 1: this curl -v transcript holds no response"),
        ("request only, HAR", har(r#"  {"request": {"method": "GET", "url": "http://a/profile"}}"#), "line 2, column 3: HAR entry 1 (log.entries[0]) has no response"),
        ("response only, HAR", har(r#"  {"response": {"status": 401, "headers": []}}"#), "line 2, column 3: HAR entry 1 (log.entries[0]) has no request"),
    ];
    for (form, input, message) in &cases {
        let (status, stdout, stderr) = check(&[], input);
        assert_eq!(status, Some(2), "{form}: {stderr}");
        assert!(stderr.contains(&format!("- holds no exchange authpath can read: {message}")), "{form}: {stderr}");
        assert!(stdout.is_empty(), "{form}: no report for what is no exchange: {stdout}");
    }
    // From a file, bytes that are not UTF-8 at all (a PNG's signature).
    let path = std::env::temp_dir().join(format!("authpath-check-{}.png", std::process::id()));
    std::fs::write(&path, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write the file");
    let (status, _, stderr) = check(&[path.to_str().unwrap_or_default()], "");
    let _ = std::fs::remove_file(&path);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("holds no exchange authpath can read: line 1, column 1: "), "{stderr}");

    // A response alone is a `curl -i` transcript: judged, with what needs the request unjudged.
    let challenge = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"api\"\r\nContent-Type: application/problem+json\r\n\r\n{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}";
    let (status, stdout, stderr) = check(&["--format", "json"], challenge);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(rules(&stdout), vec![Vec::<String>::new()]);
    let (status, _, stderr) = check(&[], "HTTP/1.1 401 Unauthorized\r\n\r\n");
    assert_eq!(status, Some(1), "a 401 without a challenge: {stderr}");
    // A HAR entry the browser got no response for is listed, not refused.
    let blocked = har(concat!(
        r#"  {"request": {"method": "GET", "url": "http://a/profile"}, "response": {"status": 0}},"#,
        "\n",
        r#"  {"request": {"method": "GET", "url": "http://a/profile"}, "response": {"status": 403, "headers": []}}"#,
    ));
    let (status, stdout, stderr) = check(&[], &blocked);
    assert_eq!(status, Some(1), "the 403 without credentials: {stderr}");
    assert!(stdout.contains("no answer: the HAR entry records no response (status 0"), "{stdout}");
}

/// The same exchange in every format: the JSON, text, JUnit and SARIF reports agree on it.
#[test]
fn every_format_reports_the_same_findings() {
    let raw = "GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n";
    let (_, json, _) = check(&["--format", "json"], raw);
    let found = rules(&json);
    assert_eq!(found.len(), 1);
    let (_, text, _) = check(&[], raw);
    let (_, junit, _) = check(&["--format", "junit"], raw);
    let (_, sarif, _) = check(&["--format", "sarif"], raw);
    let log: Value = common::support::json(&sarif, "the SARIF report");
    let results: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|result| result["ruleId"].as_str().map(str::to_string))
        .collect();
    assert_eq!(results, found[0]);
    let document = roxmltree::Document::parse(&junit).expect("the JUnit report is XML");
    assert_eq!(
        document
            .descendants()
            .filter(|node| node.has_tag_name("testcase"))
            .count(),
        1
    );
    for rule in &found[0] {
        assert!(
            text.contains(&format!("  {rule} ")),
            "{rule} in the text report:\n{text}"
        );
    }
}

/// The rule ids of the findings and the unjudged lines of the one exchange of a JSON report.
fn judged(report: &str) -> (Vec<String>, Vec<String>) {
    let report: Value = common::support::json(report, "check's JSON report");
    let exchange = &report["exchanges"][0];
    let texts = |name: &str, field: Option<&str>| -> Vec<String> {
        exchange[name]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| match field {
                Some(field) => item[field].as_str(),
                None => item.as_str(),
            })
            .map(str::to_string)
            .collect()
    };
    (texts("findings", Some("rule")), texts("unjudged", None))
}

/// Sessions and API keys: a key or session the demo scenario issued is judged under it, as
/// the pipeline judges it; any other is a foreign server's, whose validity only it knows; a
/// cookie no reader reads may be that server's session.
#[test]
#[rustfmt::skip]
fn sessions_and_api_keys_are_judged_where_they_can_be() {
    const LIVE: &str = "alicesession00000000000000000000";
    let exchange = |request: &str, response: &str| format!("{request}\r\n\r\n{response}");
    let forbidden = "HTTP/1.1 403 Forbidden\r\nContent-Type: application/problem+json\r\n\r\n{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}";
    let ok = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}";
    let bare_401 = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/problem+json\r\n\r\n{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401}";
    let not_the_scenarios = "the credentials are not the scenario's (a token its keys do not verify, an API key it did not issue, a session it does not hold, or a scheme it cannot tell about), so their validity is unknown";
    let cases: Vec<(String, &[&str], Vec<&str>, i32)> = vec![
        // A key the demo did not issue, refused 403: whether that is right needs the key.
        (exchange("GET /metrics HTTP/1.1\r\nHost: api.example\r\nX-API-Key: ak_nobody", forbidden), &[],
            vec![not_the_scenarios, "R2: validity unknown: only the server knows whether it issued this API key"], 0),
        // The demo's own key refused 401 without a challenge: valid credentials (R2), no
        // challenge (R1).
        (exchange("GET /metrics HTTP/1.1\r\nHost: api.example\r\nX-API-Key: ak_alice_demo", bare_401), &["R1", "R2"], vec![], 1),
        // A key in the URL, which the demo API does not read there: flagged as a secret in the
        // URL (R21; R14 is for tokens), and a 403 to it carries no credentials the route
        // reads (R3).
        (exchange("GET /metrics?api_key=ak_alice_demo HTTP/1.1\r\nHost: api.example", forbidden), &["R3", "R21"], vec![], 1),
        (exchange("GET /metrics?api_key=ak_alice_demo HTTP/1.1\r\nHost: api.example", ok), &["R21"], vec![], 0),
        // A live session's POST without the CSRF token: 403 is right.
        (exchange(&format!("POST /users/alice/notes HTTP/1.1\r\nHost: api.example\r\nCookie: sessionid={LIVE}; csrftoken=abc"), forbidden), &[], vec![], 0),
        // A session the demo does not hold: a foreign server's.
        (exchange("GET /profile HTTP/1.1\r\nHost: api.example\r\nCookie: sessionid=theirs", forbidden), &[],
            vec![not_the_scenarios, "R2: validity unknown: only the server knows whether it holds this session"], 0),
        // A cookie no reader reads may be the server's session: R3 cannot judge the 403.
        (exchange("GET /profile HTTP/1.1\r\nHost: api.example\r\nCookie: JSESSIONID=x", forbidden), &[],
            vec!["R3: whether the request carried credentials: it sends the cookie JSESSIONID, which no reader reads and which may hold the server's session"], 0),
        // The CSRF cookie alone is no credential: a 403 to it breaks R3.
        (exchange("GET /profile HTTP/1.1\r\nHost: api.example\r\nCookie: csrftoken=abc", forbidden), &["R3"], vec![], 1),
    ];
    for (text, rules, unjudged, code) in &cases {
        let (status, stdout, stderr) = check(&["--format", "json"], text);
        let (found, needs) = judged(&stdout);
        assert_eq!((found.as_slice(), needs.as_slice()), (&rules.iter().map(|rule| rule.to_string()).collect::<Vec<_>>()[..], &unjudged.iter().map(|line| line.to_string()).collect::<Vec<_>>()[..]), "{text}\n{stderr}");
        assert_eq!(status, Some(*code), "{text}");
        assert!(!stdout.contains(LIVE) && !stdout.contains("ak_alice_demo") && !stdout.contains("ak_nobody"), "the report shows a credential: {stdout}");
    }
}

/// A real curl transcript of a session's POST to `serve`, without the CSRF token: judged under
/// the scenario, whose session it is, exactly as the engine judges the same request.
#[test]
fn a_curl_transcript_with_a_session_cookie_is_judged_as_the_engine_judges_it() {
    assert!(available("curl"), "curl is needed for this test");
    for profile in [Profile::Rfc, Profile::Drf] {
        let server = Server::start(&[
            "--profile",
            profile.id(),
            "--clock",
            &NOW.to_string(),
            "--quiet",
        ]);
        let output = Command::new("curl")
            .args(["-sv", "--max-time", "20", "-X", "POST", "-H"])
            .arg("Cookie: sessionid=alicesession00000000000000000000; csrftoken=abc")
            .arg(format!("{}/users/alice/notes", server.base()))
            .stdin(Stdio::null())
            .output()
            .expect("curl runs");
        let transcript = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        let (status, stdout, stderr) = check(
            &["--format", "json", "--profile", profile.id()],
            &transcript,
        );
        let mut request: String = transcript
            .lines()
            .filter_map(|line| line.strip_prefix("> "))
            .map(|line| format!("{line}\r\n"))
            .collect();
        if !request.ends_with("\r\n\r\n") {
            request.push_str("\r\n");
        }
        let engine = evaluate(
            &request,
            &Scenario {
                profile,
                ..Scenario::default()
            },
        );
        assert_eq!(
            engine.response.status.code(),
            403,
            "{profile:?}: no CSRF token"
        );
        let expected: Vec<String> = engine
            .findings
            .iter()
            .map(|finding| finding.rule.id().to_string())
            .collect();
        let (found, unjudged) = judged(&stdout);
        assert_eq!(found, expected, "{profile:?}: {stderr}");
        assert!(
            unjudged.iter().all(|line| !line.contains("validity")),
            "{profile:?}: {unjudged:?}"
        );
        let errors = engine
            .findings
            .iter()
            .any(|finding| finding.severity == authpath_engine::Severity::Error);
        assert_eq!(status, Some(i32::from(errors)), "{profile:?}");
        assert!(
            !stdout.contains("alicesession0"),
            "the report shows the session"
        );
    }
}
