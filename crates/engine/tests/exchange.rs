//! The lint of exchanges from anywhere: pasted raw text, real `curl -v` / `curl -i`
//! transcripts (tests/fixtures, made by `fixtures/make.sh` against `authpath serve`) and HAR
//! files; what each typical broken answer is flagged with; what the lint cannot know without
//! a scenario; and that no input, however truncated or garbled, makes it panic.

mod support;

use authpath_engine::exchange::{check, parse_response, read_exchanges, Exchange, Source};
use authpath_engine::{Presented, Profile, Rule, Status};
use proptest::prelude::*;
use support::{claims, mint, scenario, NOW};

const PROBLEM: &str = "Content-Type: application/problem+json";

/// A problem+json body for `status` with its phrase as title.
fn problem(status: u16, title: &str) -> String {
    format!(r#"{{"type":"about:blank","title":"{title}","status":{status}}}"#)
}

/// One exchange and what its lint says: request, response, the profile of the scenario (none:
/// no scenario), the rules found and the rules that could not judge.
type Case<'a> = (
    String,
    String,
    Option<Profile>,
    &'a [&'a str],
    &'a [&'a str],
);

/// A transcript: its file, how it is read, its statuses, the profile the server ran, the rules
/// found without a scenario and under that profile.
type Transcript<'a> = (
    &'a str,
    Source,
    &'a [u16],
    Profile,
    &'a [&'a str],
    &'a [&'a str],
);

fn ids(rules: impl Iterator<Item = Rule>) -> Vec<String> {
    let mut ids: Vec<String> = rules.map(|rule| rule.id().to_string()).collect();
    ids.dedup();
    ids
}

/// Checks one exchange, under the demo scenario as `profile` when given; returns the rule ids
/// of the findings and of the rules that could not judge.
fn judged(request: &str, response: &str, profile: Option<Profile>) -> (Vec<String>, Vec<String>) {
    let scenario = profile.map(scenario);
    let checked = check(
        &Exchange {
            request: request.to_string(),
            response: response.to_string(),
        },
        scenario.as_ref(),
    );
    assert!(
        checked.response.is_ok(),
        "{response}: {:?}",
        checked.response
    );
    (
        ids(checked.findings.iter().map(|finding| finding.rule)),
        ids(checked.unjudged.iter().map(|unjudged| unjudged.rule)),
    )
}

fn get(path: &str, authorization: Option<&str>) -> String {
    match authorization {
        Some(value) => {
            format!("GET {path} HTTP/1.1\r\nHost: api.example\r\nAuthorization: {value}\r\n\r\n")
        }
        None => format!("GET {path} HTTP/1.1\r\nHost: api.example\r\n\r\n"),
    }
}

fn answer(status: &str, headers: &[&str], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\n");
    for header in headers {
        text.push_str(header);
        text.push_str("\r\n");
    }
    text.push_str("\r\n");
    text.push_str(body);
    text
}

/// The typical broken answers of real servers, each flagged by the rule it breaks; and what
/// stays unjudged without a scenario (no keys: validity unknown) and is judged with one.
#[test]
#[rustfmt::skip]
fn typical_broken_exchanges() {
    let valid = format!("Bearer {}", mint(&claims("alice", "user")));
    let expired = format!("Bearer {}", mint(&authpath_engine::Claims { exp: Some(NOW - 3600), ..claims("alice", "user") }));
    let challenge = r#"WWW-Authenticate: Bearer realm="api""#;
    let p401 = problem(401, "Unauthorized");
    let p403 = problem(403, "Forbidden");
    let p404 = problem(404, "Not Found");
    let p422 = problem(422, "Unprocessable Content");
    let trace = "Traceback (most recent call last):\n  File \"app.py\", line 12, in profile\nKeyError: 'sub'\n";
    let rfc = Some(Profile::Rfc);
    let cases: Vec<Case> = vec![
        // A 403 without credentials: R3.
        (get("/profile", None), answer("403 Forbidden", &[PROBLEM], &p403), None, &["R3"], &[]),
        // A 401 without a challenge: R1.
        (get("/profile", None), answer("401 Unauthorized", &[PROBLEM], &p401), None, &["R1"], &[]),
        // A bare `Bearer` challenge: R15.
        (get("/profile", None), answer("401 Unauthorized", &["WWW-Authenticate: Bearer", PROBLEM], &p401), None, &["R15"], &[]),
        // invalid_token on a 403: R5; whether 403 is right needs the keys (R2).
        (get("/profile", Some("Bearer abc.def.ghi")), answer("403 Forbidden", &[r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#, PROBLEM], &p403), None, &["R5"], &["R2"]),
        // 422 for a bad token: R19 once the keys say it is bad; validity unknown without them.
        (get("/profile", Some("Bearer not-a-jwt")), answer("422 Unprocessable Entity", &[PROBLEM], &p422), rfc, &["R19"], &[]),
        (get("/profile", Some("Bearer not-a-jwt")), answer("422 Unprocessable Entity", &[PROBLEM], &p422), None, &[], &["R19"]),
        // A stack trace in the error body: R20 (and the body is not problem+json: R11).
        (get("/profile", Some(&valid)), answer("500 Internal Server Error", &["Content-Type: text/plain"], trace), None, &["R11", "R20"], &[]),
        // 401 for valid credentials: R2 with the keys, validity unknown without.
        (get("/admin", Some(&valid)), answer("401 Unauthorized", &[challenge, PROBLEM], &p401), rfc, &["R2"], &[]),
        (get("/admin", Some(&valid)), answer("401 Unauthorized", &[challenge, PROBLEM], &p401), None, &[], &["R2", "R5"]),
        // 403 for a token with a bad signature: R2 with the keys.
        (get("/profile", Some(&format!("{valid}x"))), answer("403 Forbidden", &[PROBLEM], &p403), rfc, &["R2"], &[]),
        (get("/profile", Some(&format!("{valid}x"))), answer("403 Forbidden", &[PROBLEM], &p403), None, &[], &["R2"]),
        // 200 for an expired token: R13 with the keys and the clock.
        (get("/profile", Some(&expired)), answer("200 OK", &["Content-Type: application/json"], "{}"), rfc, &["R13"], &[]),
        (get("/profile", Some(&expired)), answer("200 OK", &["Content-Type: application/json"], "{}"), None, &[], &["R12", "R13"]),
        // A 404 for a route the policy has: concealing (R10); whether it leaks needs the
        // server's real 404 (R17). Without the policy, whether the route exists is unknown.
        (get("/admin", Some(&valid)), answer("404 Not Found", &[PROBLEM], &p404), rfc, &["R10"], &["R17"]),
        (get("/admin", Some(&valid)), answer("404 Not Found", &[PROBLEM], &p404), None, &[], &["R10", "R19"]),
        // A cookie no reader reads may be the server's session: a 403 to it is not known to
        // lack credentials, even under the scenario, whose readers are not that server's.
        ("GET /profile HTTP/1.1\r\nHost: a\r\nCookie: session=1\r\n\r\n".to_string(), answer("403 Forbidden", &[PROBLEM], &p403), None, &[], &["R3"]),
        ("GET /profile HTTP/1.1\r\nHost: a\r\nCookie: session=1\r\n\r\n".to_string(), answer("403 Forbidden", &[PROBLEM], &p403), rfc, &[], &["R3"]),
        // No request (a curl -i transcript): whether credentials were sent is unknown.
        (String::new(), answer("403 Forbidden", &[PROBLEM], &p403), None, &[], &["R3"]),
        // The RFC-correct answers break nothing and leave nothing unjudged.
        (get("/profile", None), answer("401 Unauthorized", &[challenge, PROBLEM], &p401), None, &[], &[]),
        (get("/admin", Some(&valid)), answer("403 Forbidden", &[PROBLEM], &p403), rfc, &[], &[]),
    ];
    for (request, response, profile, findings, unjudged) in &cases {
        let got = judged(request, response, *profile);
        assert_eq!(
            (got.0.as_slice(), got.1.as_slice()),
            (&findings.iter().map(|id| id.to_string()).collect::<Vec<_>>()[..], &unjudged.iter().map(|id| id.to_string()).collect::<Vec<_>>()[..]),
            "{request}{response} under {profile:?}"
        );
    }
}

/// Browser sessions and API keys: how the credentials were sent decides which rules judge,
/// and whether they are valid is the scenario's to say (its sessions and keys), or else only
/// the server's.
#[test]
#[rustfmt::skip]
fn sessions_and_api_keys() {
    const LIVE: &str = "alicesession00000000000000000000";
    let p401 = problem(401, "Unauthorized");
    let p403 = problem(403, "Forbidden");
    let request = |line: &str, headers: &[&str]| {
        let mut text = format!("{line} HTTP/1.1\r\nHost: api.example\r\n");
        for header in headers {
            text.push_str(header);
            text.push_str("\r\n");
        }
        text.push_str("\r\n");
        text
    };
    let session = format!("Cookie: theme=dark; sessionid={LIVE}");
    let bearer = format!("Authorization: Bearer {}", mint(&claims("alice", "user")));
    let key_challenge = r#"WWW-Authenticate: APIKey realm="api""#;
    let forbidden = || answer("403 Forbidden", &[PROBLEM], &p403);
    let unauthorized = || answer("401 Unauthorized", &[key_challenge, PROBLEM], &p401);
    let rfc = Some(Profile::Rfc);
    let cases: Vec<Case> = vec![
        // A live session's POST without the CSRF token: 403 is right, the session verified.
        (request("POST /users/alice/notes", &[&session]), forbidden(), rfc, &[], &[]),
        // Without the scenario, whether the session is held only the server knows.
        (request("POST /users/alice/notes", &[&session]), forbidden(), None, &[], &["R2"]),
        // A session the server does not hold, answered 403: R2 under the scenario.
        (request("GET /profile", &["Cookie: sessionid=nosuchsession"]), forbidden(), rfc, &["R2"], &[]),
        (request("GET /profile", &["Cookie: sessionid=nosuchsession"]), forbidden(), None, &[], &["R2"]),
        // The CSRF cookie alone is no credential: a 403 to it breaks R3.
        (request("GET /profile", &["Cookie: csrftoken=abc"]), forbidden(), None, &["R3"], &[]),
        // A Bearer token sent on purpose counts over the session a browser sends along.
        (request("GET /admin", &[&session, &bearer]), forbidden(), rfc, &[], &[]),
        // An API key the server did not issue: R2 for a 403 under the scenario; without it,
        // whether a 401 or a 403 is right depends on the key, which only the server knows.
        (request("GET /metrics", &["X-API-Key: ak_nobody"]), forbidden(), rfc, &["R2"], &[]),
        (request("GET /metrics", &["X-API-Key: ak_nobody"]), forbidden(), None, &[], &["R2"]),
        (request("GET /metrics", &["X-API-Key: ak_nobody"]), unauthorized(), None, &[], &["R2"]),
        (request("GET /metrics", &["X-API-Key: ak_nobody"]), unauthorized(), rfc, &[], &[]),
        (request("GET /metrics", &["X-API-Key: ak_alice_demo"]), answer("200 OK", &["Content-Type: application/json"], "{}"), rfc, &[], &[]),
        // A route that reads only the key reads no session: a 403 to one carries no
        // credentials it reads (R3).
        (request("GET /metrics", &[&format!("Cookie: sessionid={LIVE}")]), forbidden(), rfc, &["R3"], &[]),
        // Beside another cookie, which may be a session of the server's own, it is unknown.
        (request("GET /metrics", &[&session]), forbidden(), rfc, &[], &["R3"]),
        // A key in the URL: a secret left in logs and history (R21); R14 is for tokens. The
        // demo API reads keys only in X-API-Key, so a 403 to it breaks R3.
        (request("GET /metrics?api_key=ak_alice_demo", &[]), answer("200 OK", &["Content-Type: application/json"], "{}"), None, &["R21"], &[]),
        (request("GET /metrics?api_key=ak_alice_demo", &[]), forbidden(), rfc, &["R3", "R21"], &[]),
        // A key and a token at once are credentials sent two ways (R14 wants a 400).
        (request("GET /profile", &["X-API-Key: ak_alice_demo", &bearer]), forbidden(), None, &["R14"], &[]),
    ];
    for (request, response, profile, findings, unjudged) in &cases {
        let got = judged(request, response, *profile);
        assert_eq!(
            (got.0.as_slice(), got.1.as_slice()),
            (&findings.iter().map(|id| id.to_string()).collect::<Vec<_>>()[..], &unjudged.iter().map(|id| id.to_string()).collect::<Vec<_>>()[..]),
            "{request}{response} under {profile:?}"
        );
    }
    // What the unjudged rule asks for is the server's word, not the keys.
    let checked = check(
        &Exchange { request: request("GET /metrics", &["X-API-Key: ak_nobody"]), response: forbidden() },
        None,
    );
    let needs: Vec<&str> = checked.unjudged.iter().map(|unjudged| unjudged.needs.as_str()).collect();
    assert_eq!(needs, ["validity unknown: only the server knows whether it issued this API key"]);
    assert_eq!(checked.presented, Presented::Read(authpath_engine::API_KEY.clone()));
    let checked = check(
        &Exchange { request: request("GET /profile", &["Cookie: theme=dark; JSESSIONID=x", "Authorization: Bearer"]), response: forbidden() },
        None,
    );
    // Something sent on purpose counts: the cookies do not make R3 unknown here.
    assert_eq!(ids(checked.findings.iter().map(|finding| finding.rule)), ["R3"]);
    let checked = check(
        &Exchange { request: request("GET /profile", &["Cookie: theme=dark; JSESSIONID=x"]), response: forbidden() },
        None,
    );
    let needs: Vec<&str> = checked.unjudged.iter().map(|unjudged| unjudged.needs.as_str()).collect();
    assert_eq!(needs, ["whether the request carried credentials: it sends the cookies theme and JSESSIONID, which no reader reads and which may hold the server's session"]);
}

/// What a rule that could not judge asks for names the missing fact.
#[test]
fn unjudged_rules_say_what_they_need() {
    let exchange = Exchange {
        request: get("/profile", Some("Bearer abc.def.ghi")),
        response: answer("403 Forbidden", &[PROBLEM], &problem(403, "Forbidden")),
    };
    let checked = check(&exchange, None);
    assert_eq!(
        checked.presented,
        Presented::Read(authpath_engine::BEARER.clone())
    );
    assert!(checked.expected.is_none());
    let needs: Vec<&str> = checked
        .unjudged
        .iter()
        .map(|unjudged| unjudged.needs.as_str())
        .collect();
    assert_eq!(needs.len(), 1, "{needs:?}");
    assert!(
        needs[0].starts_with("validity unknown: give the keys"),
        "{needs:?}"
    );
    let with_scenario = check(&exchange, Some(&scenario(Profile::Rfc)));
    let expected = with_scenario
        .expected
        .map(|evaluation| evaluation.response.status);
    assert_eq!(expected, Some(Status::Unauthorized));
}

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// Real curl transcripts against `authpath serve`: how many exchanges, their statuses, and the
/// findings without a scenario and under the profile the server ran.
#[test]
#[rustfmt::skip]
fn real_curl_transcripts() {
    let cases: [Transcript; 9] = [
        ("curl-v-naive-no-credentials.txt", Source::CurlVerbose, &[401], Profile::Naive, &["R1", "R11"], &["R1", "R11"]),
        ("curl-v-naive-bad-token.txt", Source::CurlVerbose, &[403], Profile::Naive, &["R11"], &["R2", "R11"]),
        ("curl-i-naive-bad-token.txt", Source::CurlInclude, &[403], Profile::Naive, &["R11"], &["R11"]),
        ("curl-i-rfc-no-credentials.txt", Source::CurlInclude, &[401], Profile::Rfc, &[], &[]),
        ("curl-v-rfc-user-on-admin.txt", Source::CurlVerbose, &[403], Profile::Rfc, &[], &[]),
        ("curl-v-flask-jwt-extended-bad-token.txt", Source::CurlVerbose, &[422], Profile::FlaskJwtExtended, &["R11"], &["R11", "R19"]),
        ("curl-v-drf-no-credentials.txt", Source::CurlVerbose, &[403], Profile::Drf, &["R3", "R11"], &["R3", "R11"]),
        ("curl-v-rfc-post-continue.txt", Source::CurlVerbose, &[405], Profile::Rfc, &[], &[]),
        ("curl-v-rfc-two-requests.txt", Source::CurlVerbose, &[401, 401], Profile::Rfc, &[], &[]),
    ];
    for (name, source, statuses, profile, alone, under_profile) in cases {
        let text = fixture(name);
        let exchanges = read_exchanges(&text).unwrap_or_else(|error| panic!("{name}: {error}"));
        let got: Vec<u16> = exchanges
            .iter()
            .map(|(_, exchange)| parse_response(&exchange.response).map_or(0, |response| response.status.code()))
            .collect();
        assert_eq!(got, statuses, "{name}");
        let (_, exchange) = &exchanges[0];
        assert!(exchanges.iter().all(|(read, _)| *read == source), "{name}");
        let body = parse_response(&exchange.response).map(|response| response.body).unwrap_or_default();
        assert!(body.is_empty() || body.starts_with(['{', 'U', 'F']) && !body.contains("* "), "{name}: body {body:?}");
        let without = judged(&exchange.request, &exchange.response, None);
        assert_eq!(without.0, alone, "{name} alone");
        let with = judged(&exchange.request, &exchange.response, Some(profile));
        assert_eq!(with.0, under_profile, "{name} under {profile:?}");
        // Under the profile the server ran, the lint of the exchange is the lint of the
        // server's own evaluation of that request.
        if !exchange.request.is_empty() {
            let evaluation = authpath_engine::evaluate(&exchange.request, &scenario(profile));
            assert_eq!(ids(evaluation.findings.iter().map(|finding| finding.rule)), under_profile, "{name}");
        }
    }
}

/// A HAR file as browsers export it: every entry, in order, with its request and response;
/// pseudo-headers left out, the Host taken from the URL, base64 content decoded.
#[test]
fn har_entries_become_exchanges() {
    let har = r#"{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[
      {"request":{"method":"GET","url":"http://127.0.0.1:8401/profile?x=1","httpVersion":"HTTP/1.1",
        "headers":[{"name":":authority","value":"127.0.0.1:8401"},{"name":"Accept","value":"*/*"}],"queryString":[],"cookies":[]},
       "response":{"status":401,"statusText":"Unauthorized","httpVersion":"HTTP/1.1",
        "headers":[{"name":"WWW-Authenticate","value":"Bearer realm=\"demo\""}],
        "content":{"size":2,"mimeType":"application/json","text":"e30=","encoding":"base64"}},"timings":{}},
      {"request":{"method":"POST","url":"https://api.example?q","headers":[{"name":"Host","value":"api.example"}],"postData":{"mimeType":"text/plain","text":"hi"}},
       "response":{"status":403,"statusText":"","headers":[],"content":{"size":0}}}
    ]}}"#;
    let exchanges = read_exchanges(har).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(exchanges.len(), 2);
    assert_eq!(exchanges[0].0, Source::Har { index: 0 });
    assert_eq!(
        exchanges[0].1.request,
        "GET /profile?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8401\r\nAccept: */*\r\n\r\n"
    );
    assert_eq!(
        exchanges[0].1.response,
        "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"demo\"\r\n\r\n{}"
    );
    assert_eq!(exchanges[1].0, Source::Har { index: 1 });
    assert_eq!(
        exchanges[1].1.request,
        "POST /?q HTTP/1.1\r\nHost: api.example\r\n\r\nhi"
    );
    let checked = check(&exchanges[1].1, None);
    assert!(checked.request.is_ok(), "{:?}", checked.request);
    assert!(checked
        .findings
        .iter()
        .any(|finding| finding.rule == Rule::R3));
}

/// A raw paste: the request, a blank line, the response; LF-only line endings too.
#[test]
#[rustfmt::skip]
fn raw_pastes() {
    let cases: [(&str, &str, u16); 4] = [
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.1 401 Unauthorized\r\n\r\n", "GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 401),
        ("\n\nGET /a HTTP/1.1\nHost: x\n\n\nHTTP/1.1 403 Forbidden\nA: b\n\nno", "GET /a HTTP/1.1\nHost: x\n\n", 403),
        ("POST /a HTTP/1.1\nHost: x\nContent-Length: 2\n\nhi\n\nHTTP/2 422\n\n", "POST /a HTTP/1.1\nHost: x\nContent-Length: 2\n\nhi", 422),
        ("HTTP/1.1 404 Not Found\r\n\r\n", "", 404),
    ];
    for (text, request, status) in cases {
        let exchanges = read_exchanges(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
        assert_eq!(exchanges.len(), 1, "{text:?}");
        assert_eq!(exchanges[0].1.request, request, "{text:?}");
        let code = parse_response(&exchanges[0].1.response).map(|response| response.status.code());
        assert_eq!(code, Ok(status), "{text:?}");
    }
}

/// Truncated and garbage input: a clear error saying where and what was expected.
#[test]
#[rustfmt::skip]
fn unreadable_input_says_where_and_what_was_expected() {
    let cases: [(&str, usize, &str); 9] = [
        ("", 1, "empty"),
        ("{\"a\":1}", 1, "not a HAR file: expected log.entries"),
        ("{\"log\":{\"entries\":{}}}", 1, "not a HAR file: expected log.entries"),
        ("   \n\n", 1, "empty"),
        ("hello world", 1, "neither a request line"),
        ("GET /a HTTP/1.1\r\nHost: x", 2, "expected a blank line"),
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\n", 4, "expected a status line"),
        ("{\"log\":{\"entries\":[", 1, "not a HAR file"),
        ("{\"log\":{\"entries\":[]}}", 1, "no entries"),
    ];
    for (text, line, words) in cases {
        let error = read_exchanges(text).err();
        assert_eq!(error.as_ref().map(|error| error.line), Some(line), "{text:?}: {error:?}");
        assert!(error.is_some_and(|error| error.message.contains(words)), "{text:?}");
    }
    let curl = "* Trying 127.0.0.1:1...\n* connect to 127.0.0.1 port 1 failed: Connection refused\n";
    assert!(read_exchanges(curl).is_err_and(|error| error.message.contains("holds no response")));
}

/// Text that holds no exchange — a head with bytes no server writes, a header name that is not
/// a token, a HAR entry without its request or its response — is refused at its line and
/// column in the text as pasted, whichever form it came in.
#[test]
#[rustfmt::skip]
fn input_that_is_no_exchange_says_its_line_and_column() {
    let har = |entries: &str| format!("{{\"log\": {{\"version\": \"1.2\", \"entries\": [\n{entries}\n]}}}}");
    let good = r#"  {"request": {"method": "GET", "url": "http://a/p"}, "response": {"status": 401, "headers": []}}"#;
    let cases: Vec<(String, (usize, usize), &str)> = vec![
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.1 401 Un\0auth\r\n\r\n".to_string(), (4, 16), "in the response: U+0000, a control character"),
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.1 401\0 Unauthorized\r\n\r\n".to_string(), (4, 13), "in the response: U+0000"),
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.1 401 X\r\nBad Name: y\r\n\r\n".to_string(), (5, 4), "in the response: \"Bad Name\" is not a header name"),
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\nHTTP/1.7 401 X\r\n\r\n".to_string(), (4, 6), "not an HTTP version"),
        ("GET /a HTTP/1.1\nBad Name: x\n\nHTTP/1.1 401 X\n\n".to_string(), (2, 4), "in the request: \"Bad Name\" is not a header name"),
        ("GET /a\u{1} HTTP/1.1\nHost: x\n\nHTTP/1.1 401 X\n\n".to_string(), (1, 7), "in the request: U+0001"),
        ("HTTP/1.1 401 X\r\nX\0: y\r\n\r\n".to_string(), (2, 2), "in the response: U+0000"),
        ("HTTP/1.1 200 OK\r\n\r\n{}\r\nHTTP/1.1 401 X\r\nno colon\r\n\r\n".to_string(), (5, 1), "has no colon"),
        ("* Trying\n> GET / HTTP/1.1\r\n> Host: a\r\n> \r\n< HTTP/1.1 401 X\r\n< Bad Name: y\r\n< \r\n".to_string(), (6, 6), "in the response: \"Bad Name\""),
        ("> GET / HTTP/1.1\r\n> Ho\0st: a\r\n> \r\n< HTTP/1.1 401 X\r\n< \r\n".to_string(), (2, 5), "in the request: U+0000"),
        ("<!DOCTYPE html>\n<html><body>Sign in</body></html>\n".to_string(), (1, 1), "neither a request line"),
        ("\u{0}\u{1}\u{2}\u{7f}ELF".to_string(), (1, 1), "neither a request line"),
        ("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".to_string(), (4, 1), "no response after the request"),
        (har(&format!("{good},\n  {{\"request\": {{\"method\": \"GET\", \"url\": \"http://a/p\"}}}}")), (3, 3), "HAR entry 2 (log.entries[1]) has no response"),
        (har(r#"  {"response": {"status": 200}}"#), (2, 3), "HAR entry 1 (log.entries[0]) has no request"),
        (har(&format!("{good},\n{good},\n  {{\"request\": {{\"url\": \"http://a/\"}}, \"response\": {{\"status\": 200}}}}")), (4, 3), "without its method or url"),
        (har(r#"  {"request": {"method": "GET", "url": "http://a/"}, "response": {"headers": []}}"#), (2, 3), "without its status"),
        (har(r#"  {"request": {"method": "GET", "url": "http://a/"}, "response": {"status": 200, "headers": [{"name": "Bad Name", "value": "x"}]}}"#), (2, 3), "has a response that does not read"),
        (har(r#"  {"request": {"method": "GET", "url": "http://a/"}, "response": {"status": 999}}"#), (2, 3), "not a status code"),
        ("{\"log\": {\"entries\": [\n  {\"request\": {\"method\": \"GET\",".to_string(), (2, 31), "not a HAR file"),
    ];
    for (text, place, words) in &cases {
        let error = read_exchanges(text).err();
        assert_eq!(error.as_ref().map(|error| (error.line, error.column)), Some(*place), "{text:?}: {error:?}");
        assert!(error.as_ref().is_some_and(|error| error.message.contains(words)), "{text:?}: {error:?}");
    }
    // A browser records status 0 for a request that got no answer, and Chromium -1 for one it
    // cancelled (a prefetch a navigation ended): an empty response, not an error; a tab in a
    // header value is text; a 400-worthy request (no Host) is still read.
    for status in [0, -1] {
        let blocked = read_exchanges(&har(&format!("{good},\n  {{\"request\": {{\"method\": \"GET\", \"url\": \"http://t/x\"}}, \"response\": {{\"status\": {status}, \"statusText\": \"\", \"headers\": []}}}}")));
        let responses: Vec<String> = blocked.iter().flatten().map(|(_, exchange)| exchange.response.clone()).collect();
        assert_eq!(responses, ["HTTP/1.1 401 \r\n\r\n".to_string(), String::new()], "{status}: {blocked:?}");
    }
    assert!(read_exchanges("GET /a HTTP/1.1\r\nX:\ta\r\n\r\nHTTP/1.1 401 X\r\nY:\tb\r\n\r\n").is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Any text, read and checked, never panics.
    #[test]
    fn any_text_reads_and_checks_without_panic(text in any::<String>()) {
        let read = read_exchanges(&text);
        for (_, exchange) in read.iter().flatten() {
            let checked = check(exchange, Some(&scenario(Profile::Rfc)));
            prop_assert!(checked.unjudged.iter().all(|unjudged| !unjudged.needs.is_empty()));
        }
        let checked = check(&Exchange { request: text.clone(), response: text }, None);
        prop_assert!(checked.findings.iter().all(|finding| !finding.message.is_empty()));
    }

    /// A real transcript cut anywhere reads to exchanges or to an error, never a panic.
    #[test]
    fn truncated_transcripts_never_panic(cut in 0usize..1300, which in 0usize..4) {
        let names = ["curl-v-rfc-two-requests.txt", "curl-i-naive-bad-token.txt", "curl-v-rfc-post-continue.txt", "curl-v-naive-no-credentials.txt"];
        let text = fixture(names[which]);
        let cut = (0..=cut.min(text.len())).rev().find(|index| text.is_char_boundary(*index)).unwrap_or(0);
        if let Ok(exchanges) = read_exchanges(&text[..cut]) {
            for (_, exchange) in &exchanges {
                let _ = check(exchange, Some(&scenario(Profile::Naive)));
            }
            prop_assert!(!exchanges.is_empty());
        }
    }
}

/// curl's transcript of an HTTP/2 exchange over TLS, as curl 7.88 writes it: notes about TLS
/// and the HTTP/2 pseudo-headers, `HTTP/2` in the request line, `HTTP/2 401 ` as the status
/// line, lower-case header names. The request is read as HTTP/1.1 text.
#[test]
fn an_http2_curl_transcript() {
    let transcript = "*   Trying 192.0.2.10:443...\n* Connected to api.example.com (192.0.2.10) port 443 (#0)\n* ALPN: offers h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384\n* ALPN: server accepted h2\n* using HTTP/2\n* h2h3 [:method: GET]\n* h2h3 [:path: /profile]\n* h2h3 [:scheme: https]\n* h2h3 [:authority: api.example.com]\n* Using Stream ID: 1 (easy handle 0x55d0c4a8e2c0)\n> GET /profile HTTP/2\r\n> Host: api.example.com\r\n> user-agent: curl/7.88.1\r\n> accept: */*\r\n> \r\n* TLSv1.3 (IN), TLS handshake, Newsession Ticket (4):\n< HTTP/2 401 \r\n< www-authenticate: Bearer\r\n< content-type: application/json\r\n< content-length: 25\r\n< \r\n{ [25 bytes data]\n* Connection #0 to host api.example.com left intact\n{\"detail\":\"Unauthorized\"}";
    let exchanges = read_exchanges(transcript).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(exchanges.len(), 1);
    let (source, exchange) = &exchanges[0];
    assert_eq!(*source, Source::CurlVerbose);
    assert_eq!(
        exchange.request,
        "GET /profile HTTP/1.1\r\nHost: api.example.com\r\nuser-agent: curl/7.88.1\r\naccept: */*\r\n\r\n"
    );
    let checked = check(exchange, None);
    assert!(checked.request.is_ok(), "{:?}", checked.request);
    let response = checked
        .response
        .as_ref()
        .map(|response| (response.status, response.body.as_str()));
    assert_eq!(
        response,
        Ok((Status::Unauthorized, "{\"detail\":\"Unauthorized\"}"))
    );
    assert_eq!(
        ids(checked.findings.iter().map(|finding| finding.rule)),
        ["R11", "R15"]
    );
}
