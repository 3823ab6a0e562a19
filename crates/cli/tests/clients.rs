//! Real clients the project did not write, pointed at `authpath serve` (real clock, as a
//! client developer would run it). Each test skips, saying why, only when the client itself
//! (curl, python3, the `requests` module) is not installed; with `AUTHPATH_REQUIRE_CLIENTS=1`
//! a missing client fails the test instead, for machines that must run them all.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use common::{available, Server};

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("clients")
        .join(name)
}

/// Skips (returns `true`) when a client is missing, or fails when they are all required.
fn skip(reason: &str) -> bool {
    if std::env::var_os("AUTHPATH_REQUIRE_CLIENTS").is_some_and(|value| value != "0") {
        panic!("AUTHPATH_REQUIRE_CLIENTS is set, but {reason}");
    }
    // Written to stderr directly, past the test harness's capture, so the reason shows in
    // the run's output even though the test passes.
    let _ = writeln!(std::io::stderr(), "skipped: {reason}");
    true
}

fn token(arguments: &[&str]) -> String {
    let mut all = vec!["token"];
    all.extend_from_slice(arguments);
    let output = common::run(&all, "");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

#[test]
fn curl_anyauth_learns_basic_from_the_challenge() {
    if !available("curl") && skip("curl is not installed") {
        return;
    }
    let server = Server::start(&["--quiet"]);
    let cases = [
        ("alice:alice-pw", "200"),
        ("alice:wrong-pw", "401"),
        ("carol:carol-pw", "200"),
    ];
    for (credentials, expected) in cases {
        let output = Command::new("curl")
            .args(["--silent", "--show-error", "--max-time", "10"])
            .args(["--anyauth", "--user", credentials])
            .args([
                "--output",
                "/dev/null",
                "--write-out",
                "%{http_code} %{num_connects}",
            ])
            .arg(format!("{}/profile", server.base()))
            .output()
            .expect("curl runs");
        let printed = String::from_utf8_lossy(&output.stdout).to_string();
        assert_eq!(
            printed.split_whitespace().next(),
            Some(expected),
            "{credentials}: {printed} {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn python_urllib_basic_auth_handler_answers_the_realms_challenge() {
    if !available("python3") && skip("python3 is not installed") {
        return;
    }
    let server = Server::start(&["--quiet"]);
    let cases = [("alice", "alice-pw", "200"), ("bob", "bob-pw", "200")];
    for (user, password, expected) in cases {
        let output = Command::new("python3")
            .arg(script("urllib_basic.py"))
            .args([&server.base(), user, password])
            .output()
            .expect("python3 runs");
        let printed = String::from_utf8_lossy(&output.stdout).to_string();
        assert_eq!(
            printed.lines().next(),
            Some(expected),
            "{user}: {printed}{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(printed.contains(user), "the profile is {user}'s: {printed}");
    }
    // The requests went out twice: first without credentials (401), then with them.
    let log_server = Server::start(&[]);
    let output = Command::new("python3")
        .arg(script("urllib_basic.py"))
        .args([&log_server.base(), "alice", "alice-pw"])
        .output()
        .expect("python3 runs");
    assert!(output.status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while log_server.log_text().lines().count() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let log = log_server.log_text();
    let statuses: Vec<&str> = log
        .lines()
        .filter_map(|line| line.split("→ ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    assert_eq!(statuses, ["401", "200"], "{log}");
}

#[test]
fn python_requests_with_bearer_tokens_sees_200_401_and_403() {
    if !available("python3") && skip("python3 is not installed") {
        return;
    }
    let server = Server::start(&["--quiet"]);
    let valid = token(&["--sub", "alice", "--exp", "+3600"]);
    let expired = token(&["--sub", "alice", "--exp", "-3600"]);
    let output = Command::new("python3")
        .arg(script("requests_bearer.py"))
        .args([&server.base(), &valid, &expired])
        .output()
        .expect("python3 runs");
    let printed = String::from_utf8_lossy(&output.stdout).to_string();
    if output.status.code() == Some(3) && skip(printed.trim()) {
        return;
    }
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<Vec<&str>> = printed
        .lines()
        .map(|line| line.split('\t').collect())
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|row| row.first() == Some(&name))
            .unwrap_or_else(|| panic!("no {name} case in {printed}"))
            .clone()
    };
    assert_eq!(row("valid").get(1), Some(&"200"), "{printed}");
    let expired = row("expired");
    assert_eq!(expired.get(1), Some(&"401"), "{printed}");
    assert!(
        expired
            .get(2)
            .is_some_and(|challenge| challenge.contains("error=\"invalid_token\"")),
        "an expired token gets error=\"invalid_token\" (RFC 6750 §3.1): {printed}"
    );
    assert_eq!(row("admin").get(1), Some(&"403"), "{printed}");
}
