//! `authpath openapi lint | export`, and `--openapi` where `--policy` is taken: lint exit
//! statuses and SARIF positions for YAML and JSON specs; the export's round trip and its
//! validity against the OpenAPI 3.1 schema; `probe --openapi` against `serve --openapi` on
//! 127.0.0.1.

mod common;

use std::path::{Path, PathBuf};

use authpath_engine::openapi::import;
use authpath_engine::{Policy, Profile};
use common::support::{claims, mint};
use common::{run, Server};
use serde_json::Value;

/// The engine's fixture: one API with every way of requiring credentials.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../engine/tests/fixtures/openapi")
        .join(name)
}

/// A spec text written to a file of its own under the system's temporary directory.
fn written(name: &str, text: &str) -> PathBuf {
    let directory = std::env::temp_dir().join(format!("authpath-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&directory).expect("a temporary directory");
    let path = directory.join(name);
    std::fs::write(&path, text).expect("write the spec");
    path
}

fn text(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 path")
}

/// A spec with mistakes at known places, in YAML: O2 on line 13, O5 on line 7, O6 on line 5.
const FAULTY_YAML: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: key}
security:
  - nope: []
  - key: []
paths:
  /a:
    get:
      responses:
        '401': {description: no}
        '200': {description: ok}
";

/// The same mistakes in JSON, at other places: O2 on line 13, O5 on line 6, O6 on line 4.
const FAULTY_JSON: &str = r#"{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1"},
  "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "query", "name": "key"}}},
  "security": [
    {"nope": []},
    {"key": []}
  ],
  "paths": {
    "/a": {
      "get": {
        "responses": {
          "401": {"description": "no"},
          "200": {"description": "ok"}
        }
      }
    }
  }
}
"#;

#[test]
fn lint_exits_0_clean_1_with_errors_2_unreadable() {
    let clean = run(&["openapi", "lint", text(&fixture("api-3.1.yaml"))], "");
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let faulty = written("faulty.yaml", FAULTY_YAML);
    let found = run(&["openapi", "lint", text(&faulty)], "");
    assert_eq!(found.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&found.stdout);
    assert!(
        stdout.contains(&format!("{}:13:9: O2 error", text(&faulty))),
        "{stdout}"
    );
    let broken = written("broken.json", "{\"openapi\": ]");
    let unreadable = run(&["openapi", "lint", text(&broken)], "");
    assert_eq!(unreadable.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&unreadable.stderr);
    assert!(
        stderr.contains(&format!("{}:1:13:", text(&broken))),
        "{stderr}"
    );
    let missing = run(&["openapi", "lint", "/nonexistent/spec.yaml"], "");
    assert_eq!(missing.status.code(), Some(2));
    // From stdin too.
    let piped = run(&["openapi", "lint", "-"], FAULTY_YAML);
    assert_eq!(piped.status.code(), Some(1));
}

/// The official SARIF 2.1.0 schema, as the probe's tests read it.
fn sarif_validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("read the SARIF schema");
    let mut schema: Value = common::support::json(&text, "the SARIF schema");
    // See probe.rs: the file's two `language` patterns have a stray `]`.
    for owner in ["run", "toolComponent"] {
        let pointer = format!("/definitions/{owner}/properties/language");
        if let Some(object) = schema.pointer_mut(&pointer).and_then(Value::as_object_mut) {
            object.remove("pattern");
        }
    }
    jsonschema::options()
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// SARIF results point at the spec's file, line and column, YAML and JSON alike, and the log
/// validates against the SARIF 2.1.0 schema.
#[test]
fn sarif_names_file_line_and_column() {
    let validator = sarif_validator();
    let cases = [
        (
            "faulty.yaml",
            FAULTY_YAML,
            [("O2", 13, 9), ("O5", 7, 5), ("O6", 5, 29)],
        ),
        (
            "faulty.json",
            FAULTY_JSON,
            [("O2", 13, 11), ("O5", 6, 6), ("O6", 4, 70)],
        ),
    ];
    for (name, spec, expected) in cases {
        let path = written(name, spec);
        let output = run(&["openapi", "lint", "--format", "sarif", text(&path)], "");
        assert_eq!(output.status.code(), Some(1), "{name}");
        let sarif = String::from_utf8(output.stdout).expect("UTF-8");
        let log: Value = common::support::json(&sarif, "the SARIF report");
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|error| format!("{}: {error}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:#?}");
        let results = log["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let places: Vec<(String, u64, u64, String)> = results
            .iter()
            .map(|result| {
                let location = &result["locations"][0]["physicalLocation"];
                (
                    result["ruleId"].as_str().unwrap_or_default().to_string(),
                    location["region"]["startLine"].as_u64().unwrap_or_default(),
                    location["region"]["startColumn"]
                        .as_u64()
                        .unwrap_or_default(),
                    location["artifactLocation"]["uri"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                )
            })
            .collect();
        let expected: Vec<(String, u64, u64, String)> = expected
            .iter()
            .map(|(rule, line, column)| (rule.to_string(), *line, *column, text(&path).to_string()))
            .collect();
        assert_eq!(places, expected, "{name}");
        // What was not mapped is a notification at its place.
        let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
        assert!(
            notes.as_array().is_some_and(|notes| !notes.is_empty()),
            "{name}"
        );
    }
}

#[test]
fn lint_reports_in_every_format() {
    let path = written("formats.yaml", FAULTY_YAML);
    let json = run(&["openapi", "lint", "--format", "json", text(&path)], "");
    let report: Value =
        common::support::json(&String::from_utf8_lossy(&json.stdout), "the JSON report");
    assert_eq!(report["findings"].as_array().map(Vec::len), Some(3));
    assert_eq!(report["findings"][0]["rule"], "O2");
    assert_eq!(report["findings"][0]["line"], 13);
    let junit = run(&["openapi", "lint", "--format", "junit", text(&path)], "");
    let xml = String::from_utf8(junit.stdout).expect("UTF-8");
    let document = roxmltree::Document::parse(&xml).expect("JUnit XML parses");
    let failures = document
        .descendants()
        .filter(|node| node.has_tag_name("failure"))
        .count();
    assert_eq!(failures, 2, "{xml}");
}

/// The OpenAPI 3.1 schema (2022-10-07) of `tests/data`, compiled.
fn openapi_validator() -> jsonschema::Validator {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/openapi-3.1-schema-2022-10-07.json");
    let text = std::fs::read_to_string(path).expect("read the OpenAPI schema");
    let schema: Value = common::support::json(&text, "the OpenAPI schema");
    jsonschema::options()
        .build(&schema)
        .expect("the OpenAPI 3.1 schema compiles")
}

/// The demo API's export under every profile is a valid OpenAPI 3.1 document, reads back to
/// the same policy, JSON and YAML alike, and under `rfc` lints clean.
#[test]
fn export_validates_round_trips_and_lints_clean() {
    let validator = openapi_validator();
    // The schema is no formality: a document without `info`, or with an operation's
    // `responses` of the wrong type, is refused.
    for broken in [
        serde_json::json!({"openapi": "3.1.0", "paths": {}}),
        serde_json::json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": []}}}}),
    ] {
        assert!(!validator.is_valid(&broken), "{broken}");
    }
    for profile in Profile::all() {
        let output = run(&["openapi", "export", "--profile", profile.id()], "");
        assert!(output.status.success(), "{profile:?}");
        let json = String::from_utf8(output.stdout).expect("UTF-8");
        let document: Value = common::support::json(&json, "the exported document");
        let errors: Vec<String> = validator
            .iter_errors(&document)
            .map(|error| format!("{}: {error}", error.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{profile:?}: {errors:#?}");
        let imported = import(&json).unwrap_or_else(|problem| panic!("{profile:?}: {problem}"));
        assert_eq!(imported.policy, Policy::default_api(), "{profile:?}");
    }
    let yaml = run(&["openapi", "export", "--format", "yaml"], "");
    let text_yaml = String::from_utf8(yaml.stdout).expect("UTF-8");
    assert!(
        text_yaml.starts_with("---\nopenapi: 3.1.0\n"),
        "{text_yaml}"
    );
    let path = written("exported.yaml", &text_yaml);
    let linted = run(&["openapi", "lint", text(&path)], "");
    assert_eq!(
        linted.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&linted.stdout)
    );
    assert!(String::from_utf8_lossy(&linted.stdout).contains("no findings"));
    // A policy read from a spec exports again.
    let again = run(
        &[
            "openapi",
            "export",
            "--openapi",
            text(&fixture("api-3.1.yaml")),
        ],
        "",
    );
    let document: Value =
        common::support::json(&String::from_utf8_lossy(&again.stdout), "the export");
    assert!(validator.is_valid(&document));
    assert!(document["paths"]["/partner"]["get"]["security"][0]["partnerKey"].is_array());
}

/// `--openapi` is taken wherever `--policy` is: `eval` answers with the spec's routes, and
/// names what it could not map on stderr with its line.
#[test]
fn eval_takes_a_spec_as_its_policy() {
    let token = mint(&claims("alice", "user"));
    let raw =
        format!("GET /me HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {token}\r\n\r\n");
    let output = run(&["eval", "--openapi", text(&fixture("api-3.1.json"))], &raw);
    assert!(output.status.success());
    let response = String::from_utf8_lossy(&output.stdout);
    assert!(
        response.ends_with(r#"{"id":"alice","name":"Alice"}"#),
        "{response}"
    );
    let unmapped = written(
        "unmapped.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents:\n  securitySchemes:\n    mtls: {type: mutualTLS}\npaths: {}\n",
    );
    let output = run(
        &["eval", "--openapi", text(&unmapped)],
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("{}:5:5: not mapped:", text(&unmapped))),
        "{stderr}"
    );
}

/// The probe's report of a spec run: its exchanges' findings, by rule.
fn probe_findings(report: &Value) -> Vec<(String, String)> {
    report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|exchange| {
            let name = exchange["name"].as_str().unwrap_or_default().to_string();
            exchange["findings"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |finding| {
                    (
                        name.clone(),
                        finding["rule"].as_str().unwrap_or_default().to_string(),
                    )
                })
        })
        .collect()
}

/// `probe --openapi` against `serve --openapi` of the same, correct spec finds nothing; the
/// same server probed with a spec that declares no 401 gets a finding for every 401.
#[test]
fn probe_drives_a_spec_against_its_mock() {
    let spec = fixture("api-3.1.yaml");
    let server = Server::start(&["--openapi", text(&spec), "--clock", "1767225600", "--quiet"]);
    let token = mint(&claims("alice", "user"));
    let bearer = format!("bearer={token}");
    let partner = "partnerKey=ak_alice_demo".to_string();
    let base = server.base();
    let arguments = [
        "probe",
        "--openapi",
        text(&spec),
        "--auth",
        &bearer,
        "--auth",
        &partner,
        "--now",
        "1767225600",
        "--format",
        "json",
        base.as_str(),
    ];
    let output = run(&arguments, "");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    let report: Value = common::support::json(&stdout, "the probe report");
    assert!(
        report["scenario"].as_bool().unwrap_or(false),
        "the demo token verifies"
    );
    assert_eq!(probe_findings(&report), [], "{stdout}");
    let names: Vec<&str> = report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|exchange| exchange["name"].as_str())
        .collect();
    for expected in [
        "GET /health · no credentials",
        "GET /orders/alice · the given credentials for bearer",
        "GET /partner · the given credentials for partnerKey and bearer",
        "GET /partner · token the server cannot accept",
    ] {
        assert!(names.contains(&expected), "{expected} not in {names:?}");
    }
    // No credential reaches the report.
    assert!(
        !stdout.contains(&token[20..]) && !stdout.contains("ak_alice_demo"),
        "{stdout}"
    );
    // The same answers, judged by a spec that declares no 401.
    let spec_text = std::fs::read_to_string(&spec).expect("read the fixture");
    let without: String = spec_text
        .lines()
        .filter(|line| !line.contains("\"401\""))
        .map(|line| format!("{line}\n"))
        .collect();
    let undeclared = written("no-401.yaml", &without);
    let arguments = [
        "probe",
        "--openapi",
        text(&undeclared),
        "--auth",
        &bearer,
        "--auth",
        &partner,
        "--now",
        "1767225600",
        "--format",
        "json",
        base.as_str(),
    ];
    let output = run(&arguments, "");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = common::support::json(&stdout, "the probe report");
    let found = probe_findings(&report);
    let statuses: Vec<u64> = report["exchanges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|exchange| exchange["status"] == 401)
        .map(|exchange| exchange["status"].as_u64().unwrap_or_default())
        .collect();
    assert!(!statuses.is_empty());
    assert_eq!(
        found.len(),
        statuses.len(),
        "one finding per 401: {found:?}"
    );
    assert!(
        found.iter().all(|(_, rule)| rule == "declared"),
        "{found:?}"
    );
    // SARIF of a spec probe validates too, with the skipped operations as notifications.
    let arguments = [
        "probe",
        "--openapi",
        text(&undeclared),
        "--format",
        "sarif",
        base.as_str(),
    ];
    let output = run(&arguments, "");
    let log: Value = common::support::json(&String::from_utf8_lossy(&output.stdout), "SARIF");
    assert!(sarif_validator().is_valid(&log));
}

/// Unsafe methods are left out and listed unless `--unsafe`; a path parameter without a value
/// is named; `--auth` must name a scheme of the spec.
#[test]
fn probe_lists_what_it_does_not_send() {
    let spec = written(
        "unsafe.yaml",
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /items:\n    post: {responses: {'201': {description: ok}}}\n  /items/{id}:\n    get: {responses: {'200': {description: ok}}}\n  /ping:\n    get: {responses: {'200': {description: ok}}}\n",
    );
    let output = run(
        &[
            "probe",
            "--openapi",
            text(&spec),
            "--dry-run",
            "http://127.0.0.1:9",
        ],
        "",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(
        stdout.contains("# skipped: POST /items: POST is not a safe method (--unsafe sends it)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("# skipped: GET /items/{id}: no value for the path parameter {id}"),
        "{stdout}"
    );
    assert!(stdout.contains("# 1 requests, none sent"), "{stdout}");
    let output = run(
        &[
            "probe",
            "--openapi",
            text(&spec),
            "--unsafe",
            "--param",
            "id=7",
            "--dry-run",
            "http://127.0.0.1:9",
        ],
        "",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("POST /items HTTP/1.1") && stdout.contains("GET /items/7 HTTP/1.1"),
        "{stdout}"
    );
    let output = run(
        &[
            "probe",
            "--openapi",
            text(&spec),
            "--auth",
            "bearer=x",
            "http://127.0.0.1:9",
        ],
        "",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("declares no security schemes"));
    // Credentials for a spec go by its schemes' names: the policy probe's flags are refused.
    for flag in [
        ["--token", "x"],
        ["--header", "X-API-Key: k"],
        ["--cookie", "sessionid=s"],
    ] {
        let mut arguments = vec!["probe", "--openapi", text(&spec)];
        arguments.extend(flag);
        arguments.push("http://127.0.0.1:9");
        let output = run(&arguments, "");
        assert_eq!(output.status.code(), Some(2), "{flag:?}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("--auth SCHEME=VALUE instead of"),
            "{flag:?}"
        );
    }
}

/// `probe --openapi --identities`: an identity's `auth` table sends each credential as the
/// spec's scheme of that name says (a Bearer token, an API key in its header); the mock of
/// the same spec is probed as every identity with no error, and no credential is shown.
#[test]
fn identities_send_their_credentials_by_the_specs_scheme_names() {
    let spec = fixture("api-3.1.yaml");
    let server = Server::start(&["--openapi", text(&spec), "--clock", "1767225600", "--quiet"]);
    let alice = mint(&claims("alice", "user"));
    let carol = mint(&claims("carol", "admin"));
    let identities = written(
        "identities.toml",
        &format!(
            "[alice]\nauth = {{ bearer = \"{alice}\" }}\nowns = [\"/orders/alice\"]\n\n\
             [partner]\nauth = {{ partnerKey = \"ak_alice_demo\" }}\n\n\
             [carol]\nauth = {{ oauth = \"{carol}\" }}\n"
        ),
    );
    let base = server.base();
    let probe = |more: &[&str]| {
        let mut arguments = vec![
            "probe",
            "--openapi",
            text(&spec),
            "--identities",
            text(&identities),
            "--now",
            "1767225600",
        ];
        arguments.extend_from_slice(more);
        arguments.push(base.as_str());
        run(&arguments, "")
    };
    let dry = probe(&["--dry-run"]);
    let planned = String::from_utf8_lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(0), "{planned}");
    let lower = planned.to_ascii_lowercase();
    assert!(lower.contains("x-partner-key:"), "{planned}");
    assert!(lower.contains("authorization: bearer"), "{planned}");
    let output = probe(&["--format", "json"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = common::support::json(&stdout, "the probe report");
    let exchanges = report["exchanges"].as_array().cloned().unwrap_or_default();
    for identity in ["anonymous", "alice", "partner", "carol"] {
        assert!(
            exchanges
                .iter()
                .any(|exchange| exchange["identity"] == identity),
            "no exchange as {identity}: {stdout}"
        );
    }
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    for secret in [&alice[20..], &carol[20..], "ak_alice_demo"] {
        assert!(
            !stdout.contains(secret) && !planned.contains(secret),
            "{stdout}"
        );
    }
    // Without the spec an `auth` table names nothing; a name the spec lacks is said, with
    // the names it has.
    let alone = run(
        &["probe", "--identities", text(&identities), base.as_str()],
        "",
    );
    assert_eq!(alone.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&alone.stderr).contains("give --openapi FILE"));
    let unknown = written("unknown.toml", "[x]\nauth = { bearerAuth = \"t\" }\n");
    let output = run(
        &[
            "probe",
            "--openapi",
            text(&spec),
            "--identities",
            text(&unknown),
            base.as_str(),
        ],
        "",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("no scheme \"bearerAuth\" (it has: bearer, oauth, partnerKey)"),
        "{stderr}"
    );
}
