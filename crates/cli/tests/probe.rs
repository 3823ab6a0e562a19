//! `authpath probe` end to end: against `authpath serve` under every profile (the probe's
//! findings are exactly the engine's for the same requests), its exit statuses, its limits,
//! redirects, timeouts, and its reports read back by a real XML parser and a JSON Schema
//! validator.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use authpath_cli::probe::client::raw_request;
use authpath_cli::probe::plan::{endpoints_of, plan, Given};
use authpath_cli::report::{fix_text, masked};
use authpath_engine::{evaluate, Finding, Profile, Rule, Scenario};
use common::support::{claims, mint, NOW};
use common::{run, Server};
use serde_json::Value;

/// The demo scenario's clock, as `serve --clock` takes it.
fn clock() -> String {
    NOW.to_string()
}

/// The credentials every probe of the demo API here is given: alice's token and Basic pair.
fn given() -> Vec<Given> {
    vec![
        Given::Token(mint(&claims("alice", "user"))),
        Given::Basic {
            user: "alice".to_string(),
            password: "alice-pw".to_string(),
        },
    ]
}

fn credential_arguments(given: &[Given]) -> Vec<String> {
    given
        .iter()
        .flat_map(|given| match given {
            Given::Token(token) => ["--token".to_string(), token.clone()],
            Given::Basic { user, password } => {
                ["--basic".to_string(), format!("{user}:{password}")]
            }
            Given::Header { name, value } => ["--header".to_string(), format!("{name}: {value}")],
            Given::Cookie { name, value } => ["--cookie".to_string(), format!("{name}={value}")],
        })
        .collect()
}

/// `authpath probe <arguments>`: the exit status and stdout.
fn probe(arguments: &[String]) -> (Option<i32>, String, String) {
    let mut line = vec!["probe"];
    line.extend(arguments.iter().map(String::as_str));
    let output = run(&line, "");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("the report is UTF-8"),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A finding as the report and the engine both say it.
fn said(rule: &str, severity: &str, message: &str) -> String {
    format!("{rule} {severity} {message}")
}

fn engine_said(finding: &Finding) -> String {
    let severity = serde_json::to_value(finding.severity)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default();
    said(finding.rule.id(), &severity, &finding.message)
}

/// Under every profile, each exchange of the probe has exactly the findings `evaluate` gives
/// for the same raw request under that profile, which are what the page shows; under `rfc`
/// none at all. The raw requests (which the report masks) are rebuilt from the same plan.
#[test]
fn probing_serve_finds_what_the_engine_finds_under_every_profile() {
    // alice's token and Basic pair, and her API key with her session and its CSRF pair, sent
    // together on one request.
    let mut given = given();
    given.extend([
        Given::Header {
            name: "X-API-Key".to_string(),
            value: "ak_alice_demo".to_string(),
        },
        Given::Cookie {
            name: "sessionid".to_string(),
            value: "alicesession00000000000000000000".to_string(),
        },
        Given::Cookie {
            name: "csrftoken".to_string(),
            value: "csrf-secret-5678".to_string(),
        },
        Given::Header {
            name: "X-CSRFToken".to_string(),
            value: "csrf-secret-5678".to_string(),
        },
    ]);
    for profile in Profile::all() {
        let scenario = Scenario {
            profile,
            ..Scenario::default()
        };
        let server = Server::start(&["--profile", profile.id(), "--clock", &clock(), "--quiet"]);
        let mut arguments = vec![
            server.base(),
            "--format".to_string(),
            "json".to_string(),
            "--profile".to_string(),
            profile.id().to_string(),
        ];
        arguments.extend(credential_arguments(&given));
        let (status, stdout, stderr) = probe(&arguments);
        let report: Value = common::support::json(&stdout, "the probe's JSON report");
        let exchanges = report["exchanges"].as_array().cloned().unwrap_or_default();
        let planned = plan(
            &server.base(),
            &endpoints_of(&scenario.policy, &given, None),
            &scenario.policy,
            &given,
            &[],
        );
        assert_eq!(exchanges.len(), planned.len(), "{profile:?}: {stderr}");
        let mut errors = 0;
        for (exchange, request) in exchanges.iter().zip(&planned) {
            let raw = raw_request(&request.outgoing).expect("a valid request");
            assert_eq!(exchange["request"].as_str(), Some(masked(&raw).as_str()));
            let engine = evaluate(&raw, &scenario);
            assert_eq!(
                exchange["status"].as_u64(),
                Some(u64::from(engine.response.status.code())),
                "{profile:?} {}",
                exchange["name"]
            );
            let found: Vec<String> = exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|item| item["rule"] != "status")
                .map(|item| {
                    said(
                        item["rule"].as_str().unwrap_or_default(),
                        item["severity"].as_str().unwrap_or_default(),
                        item["message"].as_str().unwrap_or_default(),
                    )
                })
                .collect();
            let expected: Vec<String> = engine.findings.iter().map(engine_said).collect();
            assert_eq!(found, expected, "{profile:?} {}", exchange["name"]);
            // Each finding carries the framework's own fix where the profile has one.
            for (item, finding) in exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .zip(&engine.findings)
            {
                if let Some(fix) = profile.spec().fix(finding.rule) {
                    let text = item["fix"].as_str().unwrap_or_default();
                    assert!(
                        text.starts_with(fix.advice),
                        "{profile:?} {}: {text}",
                        finding.rule.id()
                    );
                }
            }
            errors += exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|item| item["severity"] == "error")
                .count();
        }
        if profile == Profile::Rfc {
            assert_eq!(
                errors, 0,
                "the rfc profile breaks no rule and no expectation"
            );
            assert_eq!(status, Some(0), "{stderr}");
        } else {
            assert_eq!(
                status,
                Some(if errors == 0 { 0 } else { 1 }),
                "{profile:?}: {stderr}"
            );
        }
    }
}

/// The demo API's expectations hold against the rfc profile; under `naive` a bad token's 403
/// contradicts the expected 401.
#[test]
fn expected_statuses_are_checked() {
    let server = Server::start(&["--profile", "naive", "--clock", &clock(), "--quiet"]);
    let mut arguments = vec![
        server.base(),
        "/profile".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ];
    arguments.extend(credential_arguments(&given()));
    let (status, stdout, _) = probe(&arguments);
    let report: Value = common::support::json(&stdout, "the probe's JSON report");
    let rejected = report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|exchange| exchange["name"] == "GET /profile · token the server cannot accept")
        .cloned()
        .unwrap_or_default();
    assert_eq!(rejected["status"], 403);
    assert_eq!(rejected["expected"]["status"], "401");
    let rules: Vec<&str> = rejected["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["rule"].as_str())
        .collect();
    assert!(rules.contains(&"status"), "{rules:?}");
    assert_eq!(status, Some(1));
}

#[test]
fn exit_statuses() {
    let server = Server::start(&["--clock", &clock(), "--quiet"]);
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
        let address = listener.local_addr().expect("its address");
        drop(listener);
        format!("http://{address}")
    };
    let cases: &[(&[&str], i32, &str)] = &[
        (&[&server.base(), "/profile"], 0, ""),
        (&[&closed, "/profile"], 3, "cannot be reached"),
        // TLS (rustls) to a plain-HTTP server: the handshake fails, nothing is answered.
        (
            &[&server.base().replace("http://", "https://"), "/profile"],
            3,
            "cannot be reached",
        ),
        (&[], 2, "say which server"),
        (&["127.0.0.1:8080"], 2, "starts with http:// or https://"),
        (&["http://"], 2, "has no host"),
        (&["http://h", "profile"], 2, "a PATH starts with /"),
        (
            &["http://h", "--format", "xml"],
            2,
            "--format must be one of",
        ),
        (
            &["http://h", "--max-requests", "0"],
            2,
            "--max-requests needs",
        ),
        (
            &["http://h", "--max-requests", "5"],
            2,
            "more than --max-requests 5",
        ),
        (&["http://h", "--timeout", "never"], 2, "--timeout needs"),
        (&["http://h", "--basic", "alice"], 2, "USER:PASSWORD"),
        (&["http://h", "--token", ""], 2, "--token needs a token"),
        (&["http://h", "--method", "G T"], 2, "--method needs"),
        (&["http://h", "--header", "X-API-Key"], 2, "--header needs 'NAME: VALUE', with a colon, not \"X-API-Key\""),
        (&["http://h", "--header", "X Key: v"], 2, "--header needs a header name (letters, digits and !#$%&'*+-.^_`|~) before its colon, not \"X Key\""),
        (&["http://h", "--header", "X-API-Key:  "], 2, "--header X-API-Key: the value is empty"),
        (&["http://h", "--header", "X-API-Key: a\u{7}b"], 2, "--header X-API-Key: the value holds the control character '\\u{7}'"),
        (&["http://h", "--header", "Host: evil"], 2, "--header Host: the probe writes this field itself"),
        (&["http://h", "--header", "Cookie: a=b"], 2, "give cookies with --cookie 'NAME=VALUE'"),
        (&["http://h", "--cookie", "sessionid"], 2, "--cookie needs 'NAME=VALUE', with an equals sign, not \"sessionid\""),
        (&["http://h", "--cookie", "=abc"], 2, "--cookie needs a cookie name (letters, digits and !#$%&'*+-.^_`|~) before its equals sign, not \"\""),
        (&["http://h", "--cookie", "sessionid=a;b"], 2, "--cookie sessionid: the value holds ';', which a cookie value may not (RFC 6265 §4.1.1)"),
        (&["http://h", "--bogus"], 2, "unknown option --bogus"),
    ];
    for (line, code, message) in cases {
        let arguments: Vec<String> = line.iter().map(|item| item.to_string()).collect();
        let (status, _, stderr) = probe(&arguments);
        assert_eq!(status, Some(*code), "{line:?}: {stderr}");
        assert!(stderr.contains(message), "{line:?}: {stderr}");
    }
}

/// `--dry-run` prints every planned request, masked, and the server sees none of them.
#[test]
fn a_dry_run_sends_nothing() {
    let server = Server::start(&["--clock", &clock()]);
    let mut arguments = vec![server.base(), "--dry-run".to_string()];
    arguments.extend(credential_arguments(&given()));
    let (status, stdout, stderr) = probe(&arguments);
    assert_eq!(status, Some(0), "{stderr}");
    let planned = plan(
        &server.base(),
        &endpoints_of(&Scenario::default().policy, &given(), None),
        &Scenario::default().policy,
        &given(),
        &[],
    );
    assert_eq!(stdout.matches("\n# ").count() + 1, planned.len() + 1);
    assert!(stdout.ends_with(&format!("# {} requests, none sent\n", planned.len())));
    for given in given() {
        if let Given::Token(token) = given {
            assert!(!stdout.contains(&token), "the dry run shows no token");
        }
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(
        !server.log_text().contains("GET /"),
        "the server saw a request: {}",
        server.log_text()
    );
}

/// A request as a fake server saw it: the request line and the header fields.
struct Seen {
    line: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    /// The path of the request line, without its query.
    fn path(&self) -> &str {
        let target = self.line.split(' ').nth(1).unwrap_or_default();
        target.split('?').next().unwrap_or_default()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// A server that answers every request with `answer` (or never, for `None`), one connection
/// at a time, and counts the connections and the request lines it saw.
struct Fake {
    base: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<std::sync::Mutex<Vec<String>>>,
}

fn fake(answer: Option<&'static str>) -> Fake {
    fake_with(move |_| answer.map(str::to_string))
}

/// A server that answers each request with what `respond` makes of it (or never, for `None`),
/// one connection at a time; its answers should close the connection.
fn fake_with(respond: impl Fn(&Seen) -> Option<String> + Send + 'static) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a port");
    let base = format!("http://{}", listener.local_addr().expect("its address"));
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (counter, seen) = (Arc::clone(&connections), Arc::clone(&requests));
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_ok() {
                seen.lock().expect("lock").push(line.trim().to_string());
            }
            // The rest of the header section.
            let mut headers = Vec::new();
            loop {
                let mut header = String::new();
                match reader.read_line(&mut header) {
                    Ok(0) | Err(_) => break,
                    Ok(_) if header.trim().is_empty() => break,
                    Ok(_) => {
                        if let Some((name, value)) = header.split_once(':') {
                            headers.push((name.trim().to_string(), value.trim().to_string()));
                        }
                    }
                }
            }
            let request = Seen {
                line: line.trim().to_string(),
                headers,
            };
            match respond(&request) {
                Some(answer) => {
                    let _ = reader.get_mut().write_all(answer.as_bytes());
                }
                // Holds the connection open past the client's timeout.
                None => std::thread::sleep(std::time::Duration::from_secs(3)),
            }
        }
    });
    Fake {
        base,
        connections,
        requests,
    }
}

/// A 302 is reported with its `Location` and not followed.
#[test]
fn redirects_are_reported_not_followed() {
    let server = fake(Some(
        "HTTP/1.1 302 Found\r\nLocation: /login\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ));
    let (status, stdout, stderr) = probe(&[
        server.base.clone(),
        "/profile".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ]);
    assert!(matches!(status, Some(0 | 1)), "{stderr}");
    let report: Value = common::support::json(&stdout, "the probe's JSON report");
    let exchanges = report["exchanges"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        exchanges.len(),
        5,
        "four for /profile without credentials given, one unknown path"
    );
    for exchange in &exchanges {
        assert_eq!(exchange["status"], 302);
        assert_eq!(exchange["redirect"], "/login");
    }
    let requests = server.requests.lock().expect("lock").clone();
    assert_eq!(requests.len(), 5, "{requests:?}");
    assert!(
        requests.iter().all(|line| !line.contains("/login")),
        "{requests:?}"
    );
    assert_eq!(
        server.connections.load(Ordering::SeqCst),
        5,
        "one connection per closed answer"
    );
}

/// A server that never answers: each request gives up after `--timeout`, and with no answer
/// at all the probe exits 3.
#[test]
fn the_timeout_is_honoured() {
    let server = fake(None);
    let started = std::time::Instant::now();
    let (status, _, stderr) = probe(&[
        server.base.clone(),
        "/profile".to_string(),
        "--timeout".to_string(),
        "0.3".to_string(),
    ]);
    let elapsed = started.elapsed();
    assert_eq!(status, Some(3), "{stderr}");
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    // Five requests of 0.3 s each, one after another, and some slack for a loaded machine.
    assert!(elapsed.as_secs_f64() < 5.0 * 0.3 + 10.0, "{elapsed:?}");
    assert!(
        elapsed.as_secs_f64() >= 5.0 * 0.3 * 0.9,
        "{elapsed:?}: the requests were sequential"
    );
}

fn temporary(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("authpath-probe-{}-{name}", std::process::id()))
}

/// A probe of the naive profile, written as `format` to a file: the text and the JSON report
/// of the same run.
fn naive_report(format: &str) -> (String, Value) {
    let server = Server::start(&["--profile", "naive", "--clock", &clock(), "--quiet"]);
    let path = temporary(format);
    let mut arguments = vec![
        server.base(),
        "--format".to_string(),
        format.to_string(),
        "--output".to_string(),
        path.to_string_lossy().into_owned(),
    ];
    arguments.extend(credential_arguments(&given()));
    let (status, stdout, stderr) = probe(&arguments);
    assert_eq!(status, Some(1), "the naive profile has errors: {stderr}");
    assert!(stdout.is_empty(), "--output takes the report off stdout");
    let written = std::fs::read_to_string(&path).expect("the report file");
    let _ = std::fs::remove_file(&path);
    let mut arguments = vec![server.base(), "--format".to_string(), "json".to_string()];
    arguments.extend(credential_arguments(&given()));
    let (_, json, _) = probe(&arguments);
    (written, common::support::json(&json, "the JSON report"))
}

fn items(report: &Value) -> Vec<Value> {
    report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|exchange| exchange["findings"].as_array().cloned().unwrap_or_default())
        .collect()
}

/// The JUnit XML parses; one test case per exchange, one failure per error-level finding.
#[test]
fn junit_parses_and_counts_right() {
    let (xml, report) = naive_report("junit");
    let document = roxmltree::Document::parse(&xml).expect("the JUnit report is XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let exchanges = report["exchanges"].as_array().map_or(0, Vec::len);
    let errors = items(&report)
        .iter()
        .filter(|item| item["severity"] == "error")
        .count();
    assert!(errors > 0);
    let count = |name: &str| {
        document
            .descendants()
            .filter(|node| node.has_tag_name(name))
            .count()
    };
    assert_eq!(count("testcase"), exchanges);
    assert_eq!(count("failure"), errors);
    assert_eq!(
        root.attribute("tests"),
        Some(exchanges.to_string().as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some(errors.to_string().as_str())
    );
    let suites: usize = document
        .descendants()
        .filter(|node| node.has_tag_name("testsuite"))
        .map(|suite| {
            suite
                .attribute("tests")
                .and_then(|tests| tests.parse::<usize>().ok())
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(suites, exchanges, "the suites' counts add up");
    for failure in document
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
    {
        let rule = failure.attribute("type").unwrap_or_default();
        assert!(
            rule == "status" || Rule::all().iter().any(|known| known.id() == rule),
            "{rule}"
        );
    }
}

/// The SARIF validates against the official SARIF 2.1.0 schema (`tests/data`, the OASIS file
/// as the `serde-sarif` crate ships it), with the `jsonschema` crate; every result's rule is in
/// `tool.driver.rules`, with the RFC section as `helpUri`.
#[test]
fn sarif_validates_against_the_schema() {
    let (sarif, report) = naive_report("sarif");
    let schema_path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema_text = std::fs::read_to_string(&schema_path).expect("read the SARIF schema");
    let mut schema: Value = common::support::json(&schema_text, "the SARIF schema");
    // The official file's two `language` patterns (run, toolComponent) have a stray `]`, which a
    // strict ECMA 262 reader (this validator checks a schema's own patterns) refuses; the report
    // sets no `language`, so those patterns are dropped and every other constraint is kept.
    for owner in ["run", "toolComponent"] {
        let pointer = format!("/definitions/{owner}/properties/language");
        if let Some(object) = schema.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            object.remove("pattern");
        }
    }
    let validator = jsonschema::options()
        .build(&schema)
        .expect("the SARIF schema compiles");
    let instance: Value = common::support::json(&sarif, "the SARIF report");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "the SARIF does not validate: {errors:#?}"
    );
    let log: Value = common::support::json(&sarif, "the SARIF report");
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        results.len(),
        items(&report).len(),
        "one result per finding"
    );
    for result in &results {
        let index = result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        let rule = rules.get(index).cloned().unwrap_or_default();
        assert_eq!(rule["id"], result["ruleId"]);
        let known = Rule::all()
            .into_iter()
            .find(|known| rule["id"] == known.id());
        if let Some(known) = known {
            assert_eq!(rule["helpUri"], known.url());
        }
        assert!(
            ["error", "warning", "note"].contains(&result["level"].as_str().unwrap_or_default())
        );
    }
}

/// The size of the request set, counted in dry runs: 4 per endpoint without credentials, 5
/// with a token (or with headers and cookies, which go together on one request), 7 with a
/// token and Basic credentials, 8 with those and headers, plus the one unknown path; the demo
/// API has 8 routes, one of them `DELETE`.
#[test]
fn the_request_set_has_the_documented_size() {
    let cases: &[(&[&str], usize)] = &[
        (&[], 8 * 4 + 1),
        (&["--method", "DELETE"], 4 + 1),
        (&["/a", "/b"], 2 * 4 + 1),
        (&["--token", "opaque"], 8 * 5 + 1),
        (&["--token", "opaque", "--basic", "ci:secret"], 8 * 7 + 1),
        (&["--token", "a", "--token", "b"], 8 * 7 + 1),
        (&["--header", "X-API-Key: secret"], 8 * 5 + 1),
        (
            &[
                "--cookie",
                "sessionid=secret",
                "--header",
                "X-CSRFToken: secret",
            ],
            8 * 5 + 1,
        ),
        (
            &[
                "--token",
                "opaque",
                "--basic",
                "ci:secret",
                "--header",
                "X-API-Key: secret",
            ],
            8 * 8 + 1,
        ),
    ];
    for (options, count) in cases {
        let mut arguments = vec!["http://127.0.0.1:9".to_string(), "--dry-run".to_string()];
        arguments.extend(options.iter().map(|option| option.to_string()));
        let (status, stdout, stderr) = probe(&arguments);
        assert_eq!(status, Some(0), "{options:?}: {stderr}");
        assert!(
            stdout.ends_with(&format!("# {count} requests, none sent\n")),
            "{options:?}:\n{stdout}"
        );
        assert!(
            !stdout.contains("secret") && !stdout.contains("opaque"),
            "{options:?}: a credential shows"
        );
    }
}

/// An HTTP/1.1 answer that closes its connection, as Werkzeug writes one.
fn answer(status: &str, headers: &[&str], body: &str) -> String {
    let mut text = format!("HTTP/1.1 {status}\r\nServer: Werkzeug/3.1.3 Python/3.12.3\r\n");
    for header in headers {
        text.push_str(&format!("{header}\r\n"));
    }
    text.push_str(&format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    ));
    text
}

/// Werkzeug's HTML error page for `abort(code)`.
fn werkzeug_page(status: &str, title: &str, text: &str) -> String {
    answer(
        status,
        &["Content-Type: text/html; charset=utf-8"],
        &format!(
            "<!doctype html>\n<html lang=en>\n<title>{title}</title>\n<h1>{}</h1>\n<p>{text}</p>\n",
            &title[4..]
        ),
    )
}

/// The smallest server that makes the mistake authpath exists to explain (issue #25), as
/// Flask runs it:
///
/// ```python
/// @app.get("/secret")
/// def secret():
///     if "Authorization" not in request.headers:
///         abort(401)
///     if request.headers["Authorization"] != "Bearer validtoken":
///         abort(403)
///     return {"secret": 42}
/// ```
fn flask(seen: &Seen) -> Option<String> {
    if seen.path() != "/secret" {
        return Some(werkzeug_page(
            "404 NOT FOUND",
            "404 Not Found",
            "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        ));
    }
    Some(match seen.header("Authorization") {
        None => werkzeug_page(
            "401 UNAUTHORIZED",
            "401 Unauthorized",
            "The server could not verify that you are authorized to access the URL requested. You either supplied the wrong credentials (e.g. a bad password), or your browser doesn&#39;t understand how to supply the credentials required.",
        ),
        Some("Bearer validtoken") => answer(
            "200 OK",
            &["Content-Type: application/json"],
            "{\"secret\":42}\n",
        ),
        Some(_) => werkzeug_page(
            "403 FORBIDDEN",
            "403 Forbidden",
            "You don&#39;t have the permission to access the requested resource. It is either read-protected or not readable by the server.",
        ),
    })
}

/// Each exchange of a JSON report by the name of its request (after ` · `), with its findings
/// as `rule severity` and its expected status.
fn findings_by_kind(report: &Value) -> Vec<(String, Vec<String>)> {
    report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|exchange| {
            let name = exchange["name"].as_str().unwrap_or_default();
            let kind = name.rsplit(" · ").next().unwrap_or_default().to_string();
            let found = exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|item| {
                    format!(
                        "{} {}",
                        item["rule"].as_str().unwrap_or_default(),
                        item["severity"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            (kind, found)
        })
        .collect()
}

/// Issue #25: against the Flask server above, the probe's own requests that carry no
/// credential any server accepts — the broken token, the bare `Bearer`, the made-up Digest —
/// are judged: each 403 is an error with the rule that says so and its fix, and with the 401
/// its request without credentials got, the 401 the others should get; nothing says
/// "validity unknown" of credentials the probe broke itself.
#[test]
fn the_probe_judges_what_it_knows_of_its_own_requests() {
    let server = fake_with(flask);
    let (status, stdout, stderr) = probe(&[
        server.base.clone(),
        "/secret".to_string(),
        "--token".to_string(),
        "validtoken".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ]);
    assert_eq!(status, Some(1), "{stderr}");
    let report: Value = common::support::json(&stdout, "the probe's JSON report");
    let expected: &[(&str, &[&str])] = &[
        ("no credentials", &["R1 error", "R11 note"]),
        (
            "Bearer without a token",
            &["R3 error", "R11 note", "status error"],
        ),
        (
            "unsupported scheme",
            &["R3 error", "R11 note", "status error"],
        ),
        (
            "token the server cannot accept",
            &["R2 error", "R11 note", "status error"],
        ),
        ("the given token", &[]),
        ("unknown path", &["R11 note"]),
    ];
    assert_eq!(findings_by_kind(&report), owned(expected));
    assert_eq!(fixes_are_given(&report), Ok(()));
    let exchanges = report["exchanges"].as_array().cloned().unwrap_or_default();
    let unjudged: Vec<&str> = exchanges
        .iter()
        .flat_map(|exchange| exchange["unjudged"].as_array().cloned().unwrap_or_default())
        .filter_map(|line| line.as_str().map(str::to_string))
        .filter(|line| line.contains("validity unknown"))
        .map(|_| "validity unknown")
        .collect();
    assert!(unjudged.is_empty(), "{stdout}");
    let message = |kind: &str, rule: &str| {
        exchanges
            .iter()
            .find(|exchange| {
                exchange["name"]
                    .as_str()
                    .is_some_and(|name| name.ends_with(kind))
            })
            .and_then(|exchange| {
                exchange["findings"]
                    .as_array()?
                    .iter()
                    .find(|item| item["rule"] == rule)
                    .and_then(|item| item["message"].as_str().map(str::to_string))
            })
            .unwrap_or_default()
    };
    assert_eq!(
        message("token the server cannot accept", "R2"),
        "The credentials failed verification, yet the answer is 403; invalid credentials get 401 with a challenge, so the client knows to authenticate again."
    );
    assert_eq!(
        message("Bearer without a token", "R3"),
        "The request's Authorization header holds a scheme with no credentials after it, yet the answer is 403; the server must first ask who is calling, with a 401."
    );
    assert_eq!(
        message("unsupported scheme", "R3"),
        "The request's only credentials are in the scheme Digest, which the server does not read, yet the answer is 403; the server must first ask who is calling, with a 401."
    );
    assert_eq!(
        message("unsupported scheme", "status"),
        "the answer is 403, but it should be 401: it refused the request without credentials, so it needs them; credentials in a scheme the server does not support are no credentials"
    );
}

fn owned(table: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
    table
        .iter()
        .map(|(kind, found)| {
            (
                kind.to_string(),
                found.iter().map(|item| item.to_string()).collect(),
            )
        })
        .collect()
}

/// Whether every finding of the report carries the fix it should under the default profile:
/// the rule's own explanation, or for `status` the status the exchange expects.
fn fixes_are_given(report: &Value) -> Result<(), String> {
    for exchange in report["exchanges"].as_array().into_iter().flatten() {
        for item in exchange["findings"].as_array().into_iter().flatten() {
            let rule = item["rule"].as_str().unwrap_or_default();
            let fix = match Rule::all().into_iter().find(|known| known.id() == rule) {
                Some(rule) => fix_text(rule, Profile::Rfc),
                None => format!(
                    "answer {} here",
                    exchange["expected"]["status"].as_str().unwrap_or_default()
                ),
            };
            if item["fix"].as_str() != Some(fix.as_str()) {
                return Err(format!("{item} should have the fix {fix:?}"));
            }
        }
    }
    Ok(())
}

const BEARER: &str = r#"WWW-Authenticate: Bearer realm="api""#;
const BASIC: &str = r#"WWW-Authenticate: Basic realm="api", charset="UTF-8""#;

/// A refusal with these challenges and a problem+json body, as RFC 9457 writes one.
fn refusal(status: &str, challenges: &[&str]) -> String {
    let (code, title) = status.split_once(' ').unwrap_or((status, ""));
    let mut headers = challenges.to_vec();
    headers.push("Content-Type: application/problem+json");
    answer(
        status,
        &headers,
        &format!(r#"{{"type":"about:blank","title":"{title}","status":{code}}}"#),
    )
}

fn allowed() -> String {
    answer("200 OK", &["Content-Type: application/json"], "{}")
}

/// The answer an RFC-minded server gives each request of the probe's set, by its name.
fn right_answer(kind: &str) -> String {
    match kind {
        "no credentials" | "unsupported scheme" | "Basic with a wrong password" => {
            refusal("401 Unauthorized", &[BEARER, BASIC])
        }
        "Bearer without a token" => refusal(
            "400 Bad Request",
            &[r#"WWW-Authenticate: Bearer realm="api", error="invalid_request""#],
        ),
        "token the server cannot accept" => refusal(
            "401 Unauthorized",
            &[
                r#"WWW-Authenticate: Bearer realm="api", error="invalid_token""#,
                BASIC,
            ],
        ),
        "the given token" | "the given Basic credentials" => allowed(),
        _ => refusal("404 Not Found", &[]),
    }
}

/// A server on `path` that tells the probe's requests apart by their `Authorization` (the
/// given `token` and Basic `user:password` are the good ones), answers `wrong` to the request
/// named `wrong.0`, and every other one rightly.
fn server_answering(
    path: &'static str,
    token: &str,
    basic: (&str, &str),
    wrong: (&'static str, String),
) -> Fake {
    let token = format!("Bearer {token}");
    let basic = format!(
        "Basic {}",
        authpath_engine::basic_credentials(basic.0, basic.1)
    );
    fake_with(move |seen| {
        let kind = match seen.header("Authorization") {
            _ if seen.path() != path => "unknown path",
            None => "no credentials",
            Some("Bearer") => "Bearer without a token",
            Some(value) if value.starts_with("Digest ") => "unsupported scheme",
            Some(value) if value == token => "the given token",
            Some(value) if value.starts_with("Bearer ") => "token the server cannot accept",
            Some(value) if value == basic => "the given Basic credentials",
            Some(_) => "Basic with a wrong password",
        };
        Some(if kind == wrong.0 {
            wrong.1.clone()
        } else {
            right_answer(kind)
        })
    })
}

/// Every request of the probe's set, answered wrongly by an otherwise right server: the
/// wrong answer, and only it, gets the error-level finding of the rule that says so, with its
/// fix; answered rightly, nothing. On `/secret` (no route of the policy, an opaque token: no
/// scenario) what the probe knows does the judging, and the 401 its request without
/// credentials got says what the others should get; on `/profile` with the demo token and
/// Basic user the scenario judges the given credentials.
#[test]
#[rustfmt::skip]
fn each_request_of_the_set_answered_wrongly_gets_its_rule() {
    let demo_token = mint(&claims("alice", "user"));
    let cases: Vec<(&'static str, String, &[&str])> = vec![
        ("no credentials", refusal("403 Forbidden", &[]), &["R3 error"]),
        ("Bearer without a token", refusal("403 Forbidden", &[]), &["R3 error", "status error"]),
        ("Bearer without a token", allowed(), &["R3 error", "status error"]),
        ("Bearer without a token", refusal("401 Unauthorized", &[BEARER, BASIC]), &[]),
        ("unsupported scheme", refusal("403 Forbidden", &[]), &["R3 error", "status error"]),
        ("unsupported scheme", allowed(), &["R3 error", "status error"]),
        ("unsupported scheme", refusal("400 Bad Request", &[]), &["status error"]),
        ("token the server cannot accept", refusal("403 Forbidden", &[]), &["R2 error", "status error"]),
        ("token the server cannot accept", allowed(), &["R19 error", "status error"]),
        ("token the server cannot accept", refusal("422 Unprocessable Content", &[]), &["R19 error", "status error"]),
        ("Basic with a wrong password", refusal("403 Forbidden", &[]), &["R2 error", "status error"]),
        ("Basic with a wrong password", allowed(), &["R19 error", "status error"]),
        ("unknown path", refusal("403 Forbidden", &[]), &["R3 error", "status error"]),
    ];
    let on_profile: Vec<(&'static str, String, &[&str])> = vec![
        ("the given token", refusal("401 Unauthorized", &[BEARER, BASIC]), &["R2 error", "status error"]),
        ("the given Basic credentials", refusal("401 Unauthorized", &[BEARER, BASIC]), &["R2 error", "status error"]),
        ("token the server cannot accept", refusal("403 Forbidden", &[]), &["R2 error", "status error"]),
        ("unsupported scheme", refusal("403 Forbidden", &[]), &["R3 error", "status error"]),
    ];
    let runs = cases
        .into_iter()
        .map(|case| ("/secret", "validtoken".to_string(), ("ci", "secret"), case))
        .chain(on_profile.into_iter().map(|case| ("/profile", demo_token.clone(), ("alice", "alice-pw"), case)));
    for (path, token, basic, (kind, wrong, want)) in runs {
        let server = server_answering(path, &token, basic, (kind, wrong));
        let (status, stdout, stderr) = probe(&[
            server.base.clone(),
            path.to_string(),
            "--token".to_string(),
            token.clone(),
            "--basic".to_string(),
            format!("{}:{}", basic.0, basic.1),
            "--format".to_string(),
            "json".to_string(),
        ]);
        let report: Value = common::support::json(&stdout, "the probe's JSON report");
        let found = findings_by_kind(&report);
        assert_eq!(found.len(), 8, "{path} {kind}: {stdout}");
        for (name, items) in &found {
            let expected: &[&str] = if name == kind { want } else { &[] };
            assert_eq!(items, expected, "{path}: {kind} answered wrongly, {name} reports");
        }
        let errors = want.iter().any(|item| item.ends_with(" error"));
        assert_eq!(status, Some(i32::from(errors)), "{path} {kind}: {stderr}");
        assert_eq!(fixes_are_given(&report), Ok(()), "{path} {kind}");
    }
}

/// A public route that ignores credentials is not blamed for letting the probe's broken ones
/// in: its request without credentials got a 2xx.
#[test]
fn a_public_route_that_ignores_credentials_is_not_blamed() {
    let server = fake_with(|seen| {
        Some(if seen.path() == "/open" {
            allowed()
        } else {
            right_answer("unknown path")
        })
    });
    let (status, stdout, stderr) = probe(&[
        server.base.clone(),
        "/open".to_string(),
        "--token".to_string(),
        "validtoken".to_string(),
        "--format".to_string(),
        "json".to_string(),
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    let report: Value = common::support::json(&stdout, "the probe's JSON report");
    let expected: &[(&str, &[&str])] = &[
        ("no credentials", &[]),
        ("Bearer without a token", &[]),
        ("unsupported scheme", &[]),
        ("token the server cannot accept", &[]),
        ("the given token", &[]),
        ("unknown path", &[]),
    ];
    assert_eq!(findings_by_kind(&report), owned(expected));
}

/// The headers and cookies of an identity whose values the tests look for in every report:
/// the demo's API key and alice's session (so the scenario's server accepts them), a CSRF pair,
/// a header no reader reads, and a value of 3 characters.
fn pieces() -> Vec<Given> {
    let piece = |header: bool, name: &str, value: &str| {
        let (name, value) = (name.to_string(), value.to_string());
        if header {
            Given::Header { name, value }
        } else {
            Given::Cookie { name, value }
        }
    };
    vec![
        piece(true, "X-API-Key", "ak_alice_demo"),
        piece(true, "X-Tenant", "tenant-secret-8431"),
        piece(true, "X-Short", "zq7"),
        piece(false, "sessionid", "alicesession00000000000000000000"),
        piece(false, "csrftoken", "csrf-secret-5678"),
        piece(true, "X-CSRFToken", "csrf-secret-5678"),
    ]
}

/// The values of `pieces()`, none of which a report may show.
fn piece_values() -> Vec<String> {
    pieces().iter().flat_map(Given::secrets).collect()
}

/// `probe` of the demo API (every route) with the pieces, in `format`: the report has the
/// request of the given headers and cookies for each route, and none of their values.
fn report_shows_no_piece(format: &str) {
    let server = Server::start(&["--clock", &clock(), "--quiet"]);
    let mut arguments = vec![server.base(), "--format".to_string(), format.to_string()];
    arguments.extend(credential_arguments(&pieces()));
    let (status, stdout, stderr) = probe(&arguments);
    assert!(matches!(status, Some(0 | 1)), "{format}: {stderr}");
    // SARIF lists findings only; the others list every exchange.
    assert!(
        format == "sarif" || stdout.contains("the given headers and cookies"),
        "{format}: the request is reported\n{stdout}"
    );
    for value in piece_values() {
        assert!(
            !stdout.contains(&value),
            "{format}: the report shows {value:?}:\n{stdout}"
        );
    }
    // The request shows where they went, masked.
    let masked = if format == "json" {
        "x-tenant: ‹redacted›\\r\\n"
    } else {
        "x-tenant: ‹redacted›"
    };
    assert!(
        format == "sarif" || stdout.contains(masked),
        "{format}:\n{stdout}"
    );
}

#[test]
fn a_text_report_shows_no_header_or_cookie_value() {
    report_shows_no_piece("text");
}

#[test]
fn a_json_report_shows_no_header_or_cookie_value() {
    report_shows_no_piece("json");
}

#[test]
fn a_junit_report_shows_no_header_or_cookie_value() {
    report_shows_no_piece("junit");
}

#[test]
fn a_sarif_report_shows_no_header_or_cookie_value() {
    report_shows_no_piece("sarif");
}

/// A dry run shows each request of the given headers and cookies, every value masked.
#[test]
fn a_dry_run_shows_no_header_or_cookie_value() {
    let mut arguments = vec![
        "http://127.0.0.1:9".to_string(),
        "/metrics".to_string(),
        "--dry-run".to_string(),
    ];
    arguments.extend(credential_arguments(&pieces()));
    let (status, stdout, stderr) = probe(&arguments);
    assert_eq!(status, Some(0), "{stderr}");
    for value in piece_values() {
        assert!(
            !stdout.contains(&value),
            "the dry run shows {value:?}:\n{stdout}"
        );
    }
    assert!(
        stdout.contains(
            "# GET /metrics · the given headers and cookies\n\
             GET /metrics HTTP/1.1\n\
             host: 127.0.0.1:9\n\
             user-agent: authpath-probe/0.1.0\n\
             accept: application/json\n\
             x-api-key: ‹redacted›\n\
             x-tenant: ‹redacted›\n\
             x-short: ‹redacted›\n\
             x-csrftoken: ‹redacted›\n\
             cookie: sessionid=‹redacted›; csrftoken=‹redacted›\n"
        ),
        "{stdout}"
    );
}

/// An exchange of a probe's report: its name, the status expected ("" for none) and the one
/// that came (0 for any 2xx).
type Reported<'a> = (&'a str, &'a str, u64);

/// Against the demo API under the rfc profile, an API key and a session are sent as the
/// routes take them and every expectation holds: the key's route answers it 2xx, the token's
/// 401 there (the route takes the key only), a session's POST without the CSRF token 403 and
/// with it 2xx (no expectation: whose session it is only the server knows, and the route is
/// the owner's). The scenario is used: the key and the session are the demo's own.
#[test]
fn keys_and_sessions_are_probed_as_the_routes_take_them() {
    let server = Server::start(&["--clock", &clock(), "--quiet"]);
    let session = "sessionid=alicesession00000000000000000000";
    let runs: &[(&[&str], &[Reported])] = &[
        (
            &[
                "/metrics",
                "--header",
                "X-API-Key: ak_alice_demo",
                "--token",
                &mint(&claims("alice", "user")),
            ],
            &[
                ("GET /metrics · the given headers and cookies", "2xx", 200),
                ("GET /metrics · the given token", "401", 401),
            ],
        ),
        (
            &[
                "/users/alice/notes",
                "--method",
                "POST",
                "--cookie",
                session,
            ],
            &[(
                "POST /users/alice/notes · the given headers and cookies",
                "403",
                403,
            )],
        ),
        (
            &[
                "/users/alice/notes",
                "--method",
                "POST",
                "--cookie",
                session,
                "--cookie",
                "csrftoken=csrf-secret-5678",
                "--header",
                "X-CSRFToken: csrf-secret-5678",
            ],
            // Whose session it is only the server knows, so the owner rule says nothing.
            &[(
                "POST /users/alice/notes · the given headers and cookies",
                "",
                0,
            )],
        ),
    ];
    for (options, expected) in runs {
        let mut arguments = vec![server.base(), "--format".to_string(), "json".to_string()];
        arguments.extend(options.iter().map(|option| option.to_string()));
        let (status, stdout, stderr) = probe(&arguments);
        assert_eq!(status, Some(0), "{options:?}: {stderr}\n{stdout}");
        let report: Value = common::support::json(&stdout, "the probe's JSON report");
        assert_eq!(report["scenario"], true, "{options:?}");
        for (name, should, got) in *expected {
            let exchange = report["exchanges"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|exchange| exchange["name"] == *name)
                .cloned()
                .unwrap_or_default();
            if should.is_empty() {
                assert!(exchange["expected"].is_null(), "{name}: {exchange}");
            } else {
                assert_eq!(
                    exchange["expected"]["status"], *should,
                    "{name}: {exchange}"
                );
            }
            let status = exchange["status"].as_u64().unwrap_or_default();
            match got {
                0 => assert!((200..300).contains(&status), "{name}: {exchange}"),
                _ => assert_eq!(status, *got, "{name}: {exchange}"),
            }
        }
    }
}

/// `--attacks` sends every forged token of the catalogue to each endpoint that is not public:
/// a server with a strong key refuses each with 401 and no finding; a server whose key is a
/// common secret lets the token forged with it in, which is an error and exit status 1.
#[test]
fn attacks_send_the_catalogue_and_an_accepted_forgery_is_an_error() {
    use authpath_engine::teach::attacks::{forged_tokens, WEAK_SECRETS};
    let catalogue = forged_tokens(&authpath_engine::Claims::default()).len();
    for (secret, weak) in [("authpath-demo-key", false), (WEAK_SECRETS[0], true)] {
        let server = Server::start(&["--clock", &clock(), "--secret", secret]);
        let arguments: Vec<String> = [
            server.base().as_str(),
            "/admin",
            "/public",
            "--attacks",
            "--now",
            &clock(),
            "--format",
            "json",
        ]
        .iter()
        .map(|word| word.to_string())
        .collect();
        let (status, stdout, stderr) = probe(&arguments);
        let report: Value = common::support::json(&stdout, "the probe's JSON report");
        let exchanges = report["exchanges"].as_array().cloned().unwrap_or_default();
        let forged: Vec<&Value> = exchanges
            .iter()
            .filter(|exchange| {
                exchange["name"]
                    .as_str()
                    .is_some_and(|name| name.contains("· forged token: "))
            })
            .collect();
        // Only /admin: a public route is not sent forged tokens.
        assert_eq!(forged.len(), catalogue, "{stderr}");
        assert!(forged
            .iter()
            .all(|exchange| exchange["endpoint"] == "GET /admin"));
        for exchange in &forged {
            let name = exchange["name"].as_str().unwrap_or_default();
            let accepted = weak && name.ends_with(&format!("weak-secret-{secret}"));
            let errors: Vec<&Value> = exchange["findings"]
                .as_array()
                .map(|findings| {
                    findings
                        .iter()
                        .filter(|finding| finding["severity"] == "error")
                        .collect()
                })
                .unwrap_or_default();
            if accepted {
                assert_eq!(exchange["status"], 200, "{name}");
                assert!(
                    errors.iter().any(|finding| finding["rule"] == "status"),
                    "{name}: {exchange}"
                );
            } else {
                assert_eq!(exchange["status"], 401, "{name}");
                assert!(errors.is_empty(), "{name}: {exchange}");
            }
        }
        assert_eq!(status, Some(if weak { 1 } else { 0 }), "{stdout}");
    }
}
