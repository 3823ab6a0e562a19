//! Inputs that once broke the engine, or that stand for a kind of input the fuzzing showed to be
//! risky, replayed exactly as the fuzz targets in `fuzz/` run them: the harness is the fuzz
//! crate's own file. A crash found by `cargo xtask fuzz` becomes one more line below.
//!
//! `random_inputs_keep_the_invariants` is the fuzzing without nightly: random inputs through the
//! same harness, a few hundred per `cargo test`, or for `AUTHPATH_FUZZ_SECONDS` seconds (which
//! is how `cargo xtask fuzz` runs it when no nightly toolchain is installed).

#[path = "../../../fuzz/src/harness.rs"]
mod harness;

use std::cell::Cell;
use std::env;
use std::time::{Duration, Instant};

use authpath_engine::MAX_REQUEST_BYTES;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use harness::{evaluate_input, policy_input, SEPARATOR};

/// One input to the evaluate target: profile byte, shape byte, then request, token, policy.
fn evaluate_case(profile: u8, shape: u8, request: &[u8], token: &[u8], policy: &[u8]) -> Vec<u8> {
    let mut input = vec![profile, shape];
    input.extend_from_slice(request);
    input.push(SEPARATOR);
    input.extend_from_slice(token);
    input.push(SEPARATOR);
    input.extend_from_slice(policy);
    input
}

fn check(what: &str, input: &[u8]) {
    if let Err(problem) = evaluate_input(input) {
        panic!("{what}: {problem}");
    }
    // The same bytes as a policy text: the readers must survive them too.
    if let Err(problem) = policy_input(input) {
        panic!("{what} (as a policy): {problem}");
    }
}

const GET: &[u8] = b"GET /profile HTTP/1.1\r\nHost: api.authpath.example\r\n\r\n";
const CLAIMS: &[u8] = br#"{"sub":"alice","role":"user","exp":1767229200,"iss":"https://auth.authpath.example","aud":"https://api.authpath.example"}"#;

#[test]
fn kept_inputs() {
    let over_limit = [b'a'; MAX_REQUEST_BYTES + 1];
    let long_header = [GET, &[b'x'; 9000][..]].concat();
    let deep_json = [&[b'['; 10_000][..], &[b']'; 10_000][..]].concat();
    let deep_toml = [&b"routes = "[..], &[b'['; 10_000][..], &[b']'; 10_000][..]].concat();
    let deep_inline = b"routes = [{ a = ".repeat(2_000);
    let cases: &[(&str, Vec<u8>)] = &[
        ("empty input", Vec::new()),
        ("profile byte only", vec![2]),
        ("RFC 9110 §15.5.2 anonymous 401", evaluate_case(0, 0, GET, b"", b"")),
        ("RFC 6750 §3.1 garbage token", evaluate_case(0, 0, GET, b"a.b.c", b"")),
        ("RFC 7519 signed claims", evaluate_case(0, 0b1100, GET, CLAIMS, b"")),
        ("RFC 7617 Basic credentials, naive", evaluate_case(2, 0b0100, GET, b"YWxpY2U6d29uZGVybGFuZA==", b"")),
        ("whole Authorization value, conceal", evaluate_case(1, 0b1000, GET, b"Digest x=\"", b"")),
        ("NUL bytes everywhere", evaluate_case(0, 0b1111, b"GET /\0 HTTP/1.1\r\n\0: \0\r\n\r\n\0", b"\0", b"\0")),
        ("invalid UTF-8 in the request", evaluate_case(0, 0, b"GET /\xc3\x28 HTTP/1.1\r\nHost: \xed\xa0\x80\r\n\r\n", b"\xfe", b"")),
        ("a lone CR as the request", evaluate_case(1, 0, b"\r", b"t", b"")),
        ("request without a line end", evaluate_case(0, 0, b"GET /profile HTTP/1.1", b"t", b"")),
        ("RFC 9112 §2.2 request over the 64 KiB limit", evaluate_case(0, 0, &over_limit, b"t", b"")),
        ("RFC 9112 header line over 8 KiB", evaluate_case(0, 0, &long_header, b"", b"")),
        ("JSON policy nested 10 000 deep", evaluate_case(0, 0b01, GET, b"", &deep_json)),
        ("TOML array nested 10 000 deep", evaluate_case(0, 0b10, GET, b"", &deep_toml)),
        ("TOML inline tables nested 2 000 deep", evaluate_case(0, 0b10, GET, b"", &deep_inline)),
        ("subset TOML nested 10 000 deep", evaluate_case(0, 0b11, GET, b"", &deep_toml)),
        ("claims with huge numbers", evaluate_case(0, 0b1100, GET, br#"{"exp":18446744073709551615,"nbf":18446744073709551615,"iat":0}"#, b"")),
        ("owner route with an empty parameter", evaluate_case(0, 0b1101, b"GET /users//notes HTTP/1.1\r\nHost: a\r\n\r\n", CLAIMS, br#"{"routes":[{"method":"GET","path":"/users/{id}/notes","access":{"owner":"id"}}]}"#)),
    ];
    for (what, input) in cases {
        check(what, input);
    }
}

/// Inputs shaped like the fuzz target's: any bytes, or a plausible request with a token and a
/// policy, so the random run reaches past the parser as the fuzzer does.
fn input_strategy() -> impl Strategy<Value = Vec<u8>> {
    let request = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..512),
        (
            "(GET|POST|DELETE|get|[A-Z]{1,7})",
            "(/profile|/admin|/public|/reports|/users/[a-z]{0,6}(/notes)?|/[ -~]{0,20})",
            "(\\?[ -~]{0,20})?",
            proptest::collection::vec("[ -~\t]{0,40}", 0..6),
        )
            .prop_map(|(method, path, query, headers)| {
                format!(
                    "{method} {path}{query} HTTP/1.1\r\nHost: a\r\n{}\r\n\r\n",
                    headers.join("\r\n")
                )
                .into_bytes()
            }),
    ];
    let token = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..128),
        (
            "(alice|bob|carol|[a-z]{0,5})",
            "(user|admin|[a-z]{0,5})",
            any::<u64>(),
            "(reports:read|[ -~]{0,12})"
        )
            .prop_map(|(sub, role, exp, scope)| {
                format!(r#"{{"sub":"{sub}","role":"{role}","exp":{exp},"scope":"{scope}","iss":"https://auth.authpath.example","aud":"https://api.authpath.example"}}"#)
                    .into_bytes()
            }),
    ];
    let policy = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        "(\\[\\[routes\\]\\]\n(method|path|access) = [ -~]{0,30}\n){0,4}"
            .prop_map(String::into_bytes),
    ];
    (any::<u8>(), any::<u8>(), request, token, policy).prop_map(
        |(profile, shape, request, token, policy)| {
            evaluate_case(profile, shape, &request, &token, &policy)
        },
    )
}

#[test]
fn random_inputs_keep_the_invariants() {
    let seconds = env::var("AUTHPATH_FUZZ_SECONDS")
        .ok()
        .and_then(|value| value.parse::<u64>().ok());
    let start = Instant::now();
    let executions = Cell::new(0_u64);
    // Rounds of fresh random cases until the time is up; one round without a time given.
    loop {
        let mut runner = TestRunner::new(Config {
            cases: 256,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&input_strategy(), |input| {
            executions.set(executions.get() + 1);
            evaluate_input(&input).map_err(TestCaseError::fail)?;
            policy_input(&input).map_err(TestCaseError::fail)?;
            Ok(())
        });
        if let Err(failure) = result {
            panic!("{failure}");
        }
        let done = match seconds {
            None => true,
            Some(seconds) => start.elapsed() >= Duration::from_secs(seconds),
        };
        if done {
            break;
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    let count = executions.get();
    println!(
        "{count} random inputs in {elapsed:.1} s ({:.0}/s), no failure",
        count as f64 / elapsed.max(f64::EPSILON)
    );
}
