//! `authpath serve` over real sockets on 127.0.0.1, each server started and stopped here.

mod common;

use authpath_engine::teach::mock::presets;
use authpath_engine::{evaluate, Evaluation, Scenario};
use common::support::{claims, json, mint};
use common::{eval, header, status, Server};

/// The default scenario's clock, so `serve` and `eval` answer alike.
const CLOCK: &str = "1767225600";

/// `raw` with header names in lower case, as hyper hands them over.
fn lower_header_names(raw: &str) -> String {
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
    let mut lines = head.split("\r\n");
    let mut text = lines.next().unwrap_or("").to_string();
    for line in lines {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        text.push_str(&format!("\r\n{}:{value}", name.to_ascii_lowercase()));
    }
    format!("{text}\r\n\r\n{body}")
}

#[test]
fn every_preset_over_the_socket_equals_authpath_eval() {
    for profile in ["rfc", "conceal", "naive"] {
        let server = Server::start(&["--clock", CLOCK, "--profile", profile, "--quiet"]);
        let scenario = Scenario {
            profile: authpath_engine::Profile::from_id(profile).expect("a profile id"),
            ..Scenario::default()
        };
        for preset in presets() {
            let raw = preset.request.to_raw(&scenario);
            let expected = eval(&["--profile", profile], &raw);
            assert_eq!(
                server.exchange(&raw),
                expected,
                "preset {} under {profile}",
                preset.id
            );
        }
    }
}

#[test]
fn other_answers_over_the_socket_equal_authpath_eval() {
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let long_line = format!("X-Padding: {}", "a".repeat(9 * 1024));
    // More fields than hyper's default limit of 100: still the engine's answer.
    let many_fields: String = (0..150)
        .map(|index| format!("X-Field-{index}: {index}\r\n"))
        .collect();
    let cases = [
        // 405 with Allow (R9).
        "POST /profile HTTP/1.1\r\nHost: api.authpath.example\r\nContent-Length: 0\r\n\r\n",
        // 404.
        "GET /nowhere HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n",
        // Unsupported scheme: 401 listing the supported ones.
        "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Digest x\r\n\r\n",
        // Basic credentials.
        "GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\nAuthorization: Basic YWxpY2U6YWxpY2UtcHc=\r\n\r\n",
        // A token in the query (R14).
        "GET /profile?access_token=abc HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n",
        // A header line over 8 KiB: the engine's 431, not hyper's.
        &format!("GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\n{long_line}\r\n\r\n"),
        &format!("GET /public HTTP/1.1\r\nHost: api.authpath.example\r\n{many_fields}\r\n"),
    ];
    for raw in cases {
        let over_socket = server.exchange(raw);
        assert_eq!(
            over_socket,
            eval(&[], &lower_header_names(raw)),
            "{}",
            raw.lines().next().unwrap_or("")
        );
    }
    let too_long = server.exchange(cases[5]);
    assert_eq!(status(&too_long), 431, "{too_long}");
}

#[test]
fn a_request_over_64_kib_gets_the_engines_413() {
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let body = "a".repeat(70 * 1024);
    let raw = format!(
        "POST /profile HTTP/1.1\r\nHost: api.authpath.example\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let response = server.exchange(&raw);
    assert_eq!(status(&response), 413, "{response}");
    let engine = evaluate(&raw, &Scenario::default()).response;
    assert_eq!(engine.status.code(), 413);
    assert_eq!(
        header(&response, "Content-Type"),
        engine.header("Content-Type"),
        "{response}"
    );
}

#[test]
fn the_startup_text_gives_working_curl_lines() {
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let banner = &server.banner;
    for fragment in [
        "profile rfc",
        "realm \"authpath-demo\"",
        "clock fixed at 1767225600",
        "/.well-known/authpath/evaluation?path=/admin",
    ] {
        assert!(
            banner.contains(fragment),
            "{fragment:?} missing in:\n{banner}"
        );
    }
    let scenario = Scenario::default();
    let lines: Vec<&str> = banner
        .lines()
        .filter(|line| line.trim_start().starts_with("curl -i") && !line.contains("--anyauth"))
        .collect();
    assert_eq!(
        lines.len(),
        scenario.policy.routes.len(),
        "one line per route"
    );
    // The route that takes only an API key is sent the demo key, in its header.
    assert!(
        lines
            .iter()
            .any(|line| line.contains("-H 'X-API-Key: ak_alice_demo'")
                && line.ends_with("/metrics'")),
        "{banner}"
    );
    for line in lines {
        // Each line is `curl -i [-X M] [-H 'Name: …']… 'URL'`: every header it sends.
        let quoted: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
        let (url, headers) = quoted.split_last().expect("a quoted URL");
        let path = url.trim_start_matches(&server.base());
        let method = line
            .split("-X ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or("GET");
        let fields: String = headers
            .iter()
            .map(|header| format!("{header}\r\n"))
            .collect();
        let raw = format!("{method} {path} HTTP/1.1\r\nHost: api.authpath.example\r\n{fields}\r\n");
        let response = server.exchange(&raw);
        assert!(
            (200..300).contains(&status(&response)),
            "{line}\nanswered {response}"
        );
    }
}

#[test]
fn the_evaluation_endpoint_explains_the_same_request_for_another_path() {
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let scenario = Scenario::default();
    let token = mint(&claims("alice", "user"));
    let headers = format!("Host: api.authpath.example\r\nAuthorization: Bearer {token}\r\n");
    let cases = [
        ("?path=/admin", "GET /admin", 403),
        ("?path=%2Fprofile", "GET /profile", 200),
        ("?method=DELETE&path=/users/bob", "DELETE /users/bob", 403),
        ("?path=/nowhere", "GET /nowhere", 404),
    ];
    for (query, request_line, expected) in cases {
        let response = server.exchange(&format!(
            "GET /.well-known/authpath/evaluation{query} HTTP/1.1\r\n{headers}\r\n"
        ));
        assert_eq!(status(&response), 200, "{response}");
        assert_eq!(header(&response, "Content-Type"), Some("application/json"));
        let body = response.split_once("\r\n\r\n").map_or("", |(_, body)| body);
        let evaluation: Evaluation = json(body, &format!("the evaluation for {query}"));
        let direct = evaluate(
            &lower_header_names(&format!("{request_line} HTTP/1.1\r\n{headers}\r\n")),
            &scenario,
        );
        assert_eq!(evaluation, direct, "{query}");
        assert_eq!(evaluation.response.status.code(), expected, "{query}");
    }
    let missing = server.exchange(&format!(
        "GET /.well-known/authpath/evaluation HTTP/1.1\r\n{headers}\r\n"
    ));
    assert_eq!(status(&missing), 400, "{missing}");
    assert!(missing.contains("?path="), "{missing}");
    // A broken escape is named, not guessed at.
    let broken = server.exchange(&format!(
        "GET /.well-known/authpath/evaluation?path=/a%zz HTTP/1.1\r\n{headers}\r\n"
    ));
    assert_eq!(status(&broken), 400, "{broken}");
    assert!(broken.contains("two hexadecimal digits"), "{broken}");
}

#[test]
fn the_default_clock_is_real_time_so_fresh_tokens_work() {
    let server = Server::start(&["--quiet"]);
    assert!(
        server.banner.contains("clock real time"),
        "{}",
        server.banner
    );
    let fresh = common::run(&["token", "--sub", "alice"], "");
    let expired = common::run(&["token", "--sub", "alice", "--exp", "-3600"], "");
    let cases = [(fresh, 200), (expired, 401)];
    for (output, expected) in cases {
        let token = String::from_utf8_lossy(&output.stdout).trim().to_string();
        let response = server.exchange(&format!(
            "GET /profile HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n\r\n"
        ));
        assert_eq!(status(&response), expected, "{response}");
    }
}

#[test]
fn each_request_is_logged_and_ctrl_c_stops_the_server() {
    let mut server = Server::start(&["--clock", CLOCK]);
    let response = server.exchange("GET /profile HTTP/1.1\r\nHost: localhost\r\n\r\n");
    assert_eq!(status(&response), 401);
    let evaluation = evaluate(
        "GET /profile HTTP/1.1\r\nhost: localhost\r\n\r\n",
        &Scenario::default(),
    );
    let step = evaluation.trace.last().expect("a trace");
    let expected = format!("GET /profile → 401 {}/{}", step.node.id(), step.check);
    // The log line is written before the response, but read by another thread.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !server.log_text().contains(&expected) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        server.log_text().contains(&expected),
        "{}",
        server.log_text()
    );

    let exit = server.interrupt().expect("the server stops on SIGINT");
    assert!(exit.success(), "exit status {exit:?}");
    // The process may exit before the reader thread has taken its last line from the pipe.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !server.log_text().contains("stopped") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        server.log_text().contains("stopped"),
        "{}",
        server.log_text()
    );
}

#[test]
fn head_gets_the_header_fields_of_get_and_no_content() {
    use std::io::{Read, Write};
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let scenario = Scenario::default();
    for path in ["/public", "/profile"] {
        let get = format!("GET {path} HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n");
        let head = get.replacen("GET", "HEAD", 1);
        let answer = evaluate(&lower_header_names(&get), &scenario)
            .response
            .to_string();
        let (fields, _) = answer.split_once("\r\n\r\n").expect("a blank line");
        // HEAD, then GET on one connection: content after the HEAD answer would show up
        // where the GET answer should start.
        let expected = format!("{fields}\r\n\r\n{answer}");
        let mut stream = std::net::TcpStream::connect(server.address).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        stream
            .write_all(format!("{head}{get}").as_bytes())
            .expect("send");
        let mut bytes = Vec::new();
        let mut chunk = [0u8; 4096];
        while bytes.len() < expected.len() {
            match stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(read) => bytes.extend_from_slice(&chunk[..read]),
            }
        }
        assert_eq!(String::from_utf8_lossy(&bytes), expected, "HEAD {path}");
    }
}

#[test]
fn keep_alive_connections_get_one_answer_per_request() {
    use std::io::Write;
    let server = Server::start(&["--clock", CLOCK, "--quiet"]);
    let scenario = Scenario::default();
    let mut stream = std::net::TcpStream::connect(server.address).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    for preset in presets() {
        let raw = preset.request.to_raw(&scenario);
        stream.write_all(raw.as_bytes()).expect("send");
        let response = common::read_response(&mut stream);
        assert_eq!(
            response,
            evaluate(&lower_header_names(&raw), &scenario)
                .response
                .to_string(),
            "preset {} on a reused connection",
            preset.id
        );
    }
}

#[test]
fn a_request_that_stalls_is_dropped_after_the_timeout() {
    use std::io::{Read, Write};
    let server = Server::start(&["--clock", CLOCK, "--timeout", "0.5"]);
    let cases = [
        (
            "an unfinished header section",
            "GET /profile HTTP/1.1\r\nHost: x\r\n",
        ),
        (
            "a body shorter than its Content-Length",
            "POST /profile HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab",
        ),
    ];
    for (name, raw) in cases {
        let mut stream = std::net::TcpStream::connect(server.address).expect("connect");
        stream
            .set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .expect("timeout");
        let started = std::time::Instant::now();
        stream.write_all(raw.as_bytes()).expect("send");
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        let waited = started.elapsed();
        assert!(rest.is_empty(), "{name}: no answer, got {rest:?}");
        assert!(
            waited >= std::time::Duration::from_millis(400)
                && waited < std::time::Duration::from_secs(5),
            "{name}: closed after {waited:?}"
        );
    }
}
