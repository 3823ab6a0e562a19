//! The OpenAPI run of the conformance step: real generators' specs read by authpath (FastAPI's
//! own `/openapi.json`, JSON; drf-spectacular's schema of the DRF app, YAML). Each app in
//! [`SPECS`] is started (`record.py --serve ID`) and asked for the spec it writes of itself;
//! authpath must read it without a problem, find each operation's security as the app's source
//! declares it (and map it onto the policy with those schemes), find with `openapi lint` what
//! the generator leaves out, and `authpath probe --openapi` of the live app with its own spec
//! must report exactly the findings of the table: each one a disagreement the app really has
//! (read from its answers, named in the table's comments).
//!
//! FastAPI writes its spec in `fastapi/openapi/utils.py`: one Security Requirement per security
//! dependency of a route (`_get_openapi_security_definitions` in 0.165.0,
//! `get_openapi_security_definitions` in 0.121.3); 0.165.0 lists the scopes of
//! `Security(…, scopes=…)` whatever the scheme, 0.121.3 only for `OAuth2` and `OpenIdConnect`
//! (`fastapi/dependencies/utils.py` 0.121.3:250-256, `use_scopes`). The responses it declares
//! are the route's success and, with a parameter, 422, never 401 or 403.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authpath_engine::openapi::{import, lint, Spec};
use authpath_engine::{mint_token, Claims, Scenario};
use serde::Deserialize;

use super::probe::{build, start};

/// How long an app has to answer `GET` of its spec.
const FETCH_SECONDS: u64 = 30;

/// One app whose spec is held: where it serves the spec, what it must say and what probing the
/// app with it must find.
pub struct SpecCase {
    /// The `record.py` id of the app.
    pub id: &'static str,
    /// The profile `probe --openapi` runs under.
    pub profile: &'static str,
    /// Where the app serves its spec.
    pub path: &'static str,
    /// Every operation, with its security as the app's source declares it: requirements
    /// separated by ` | `, the schemes of one by ` + `, a list in brackets; `none` for none.
    pub security: &'static [(&'static str, &'static str)],
    /// The rules `openapi lint` reports, per operation (an operation not named: none);
    /// `spec` for those about no operation (a security scheme).
    pub lint: &'static [(&'static str, &'static [&'static str])],
    /// The `--auth` credentials the probe is given, by scheme: `token` (alice's demo token
    /// with the scope `reports:read`) or the value itself.
    pub auth: &'static [(&'static str, &'static str)],
    /// The probe's findings per exchange (`METHOD PATH · request`); every exchange is listed.
    pub findings: &'static [(&'static str, &'static [&'static str])],
    /// The operations the probe must skip (unsafe methods without `--unsafe`).
    pub skipped: &'static [&'static str],
}

/// The demo API of `conformance/python/fastapi_app.py` as FastAPI writes it.
const FASTAPI_SECURITY: &[(&str, &str)] = &[
    ("GET /public", "none"),
    ("GET /profile", "HTTPBearer[]"),
    ("GET /admin", "HTTPBearer[]"),
    ("DELETE /users/{id}", "HTTPBearer[]"),
    ("GET /users/{id}/notes", "HTTPBearer[]"),
    ("POST /users/{id}/notes", "HTTPBearer[]"),
    // `Security(current_user, scopes=["reports:read"])` over `HTTPBearer`: FastAPI lists the
    // scope under a scheme that is no oauth2 one, which OpenAPI 3.1 reads as a role.
    ("GET /reports", "HTTPBearer[reports:read]"),
    ("GET /metrics", "APIKeyHeader[]"),
];

/// FastAPI 0.121.3 writes no scope under `HTTPBearer`.
const FASTAPI_0121_SECURITY: &[(&str, &str)] = &[
    ("GET /public", "none"),
    ("GET /profile", "HTTPBearer[]"),
    ("GET /admin", "HTTPBearer[]"),
    ("DELETE /users/{id}", "HTTPBearer[]"),
    ("GET /users/{id}/notes", "HTTPBearer[]"),
    ("POST /users/{id}/notes", "HTTPBearer[]"),
    ("GET /reports", "HTTPBearer[]"),
    ("GET /metrics", "APIKeyHeader[]"),
];

/// What FastAPI 0.121.3 leaves out: no 401 anywhere (O1); it names no scope, so no rule asks
/// for a 403.
const FASTAPI_0121_LINT: &[(&str, &[&str])] = &[
    ("GET /profile", &["O1"]),
    ("GET /admin", &["O1"]),
    ("DELETE /users/{id}", &["O1"]),
    ("GET /users/{id}/notes", &["O1"]),
    ("POST /users/{id}/notes", &["O1"]),
    ("GET /reports", &["O1"]),
    ("GET /metrics", &["O1"]),
];

/// What FastAPI leaves out: no 401 anywhere (O1), no 403 where the list names scopes (O3).
const FASTAPI_LINT: &[(&str, &[&str])] = &[
    ("GET /profile", &["O1"]),
    ("GET /admin", &["O1"]),
    ("DELETE /users/{id}", &["O1"]),
    ("GET /users/{id}/notes", &["O1"]),
    ("POST /users/{id}/notes", &["O1"]),
    ("GET /reports", &["O1", "O3"]),
    ("GET /metrics", &["O1"]),
];

const FASTAPI_AUTH: &[(&str, &str)] = &[("HTTPBearer", "token"), ("APIKeyHeader", "ak_alice_demo")];

/// The unsafe operations of the demo API, not sent without `--unsafe`.
const FASTAPI_SKIPPED: &[&str] = &["DELETE /users/{id}", "POST /users/{id}/notes"];

/// The second API (`fastapi_keys_app.py`): keys in the query and a cookie, `HTTPBasic`, and an
/// `OAuth2PasswordBearer` with the scope `reports:read`.
const KEYS_SECURITY: &[(&str, &str)] = &[
    ("GET /query-key", "APIKeyQuery[]"),
    ("GET /cookie-key", "APIKeyCookie[]"),
    ("GET /basic", "HTTPBasic[]"),
    ("GET /oauth-reports", "OAuth2PasswordBearer[reports:read]"),
];

/// No 401 declared (O1); a scheme with the API key in the query (O6); a scope and no 403 (O3).
const KEYS_LINT: &[(&str, &[&str])] = &[
    ("spec", &["O6"]),
    ("GET /query-key", &["O1"]),
    ("GET /cookie-key", &["O1"]),
    ("GET /basic", &["O1"]),
    ("GET /oauth-reports", &["O1", "O3"]),
];

const KEYS_AUTH: &[(&str, &str)] = &[
    ("APIKeyQuery", "ak_alice_demo"),
    ("APIKeyCookie", "ak_alice_demo"),
    ("HTTPBasic", "alice:alice-pw"),
    ("OAuth2PasswordBearer", "token"),
];

/// The probe's findings on the keys app, the same for both FastAPI versions but where noted.
/// Every error is FastAPI's `{"detail": …}`, no problem+json (R11); every 401 or 403 is one
/// the spec does not declare (`declared`). The query key given is a secret in the URL (R21).
/// FastAPI's `HTTPBasic` challenges with a bare `Basic`, no realm (R7); `OAuth2PasswordBearer`
/// with a bare `Bearer` (R15), and the refused token's challenge is the app's
/// `Bearer scope="reports:read"`, no `invalid_token` (R5).
const KEYS_FINDINGS: &[(&str, &[&str])] = &[
    ("GET /query-key · no credentials", &["R11", "declared"]),
    (
        "GET /query-key · the given credentials for APIKeyQuery",
        &["R21"],
    ),
    ("GET /cookie-key · no credentials", &["R11", "declared"]),
    (
        "GET /cookie-key · the given credentials for APIKeyCookie",
        &[],
    ),
    ("GET /basic · no credentials", &["R7", "R11", "declared"]),
    ("GET /basic · the given credentials for HTTPBasic", &[]),
    (
        "GET /oauth-reports · no credentials",
        &["R11", "R15", "declared"],
    ),
    (
        "GET /oauth-reports · token the server cannot accept",
        &["R5", "R11", "declared"],
    ),
    (
        "GET /oauth-reports · the given credentials for OAuth2PasswordBearer",
        &[],
    ),
];

/// Before 0.122, FastAPI's `APIKeyQuery` and `APIKeyCookie` refuse a missing key with 403
/// (`fastapi/security/api_key.py`, 0.121.3): R3, and not the 401 the spec's security calls for.
const KEYS_FINDINGS_0121: &[(&str, &[&str])] = &[
    (
        "GET /query-key · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /query-key · the given credentials for APIKeyQuery",
        &["R21"],
    ),
    (
        "GET /cookie-key · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /cookie-key · the given credentials for APIKeyCookie",
        &[],
    ),
    ("GET /basic · no credentials", &["R7", "R11", "declared"]),
    ("GET /basic · the given credentials for HTTPBasic", &[]),
    (
        "GET /oauth-reports · no credentials",
        &["R11", "R15", "declared"],
    ),
    (
        "GET /oauth-reports · token the server cannot accept",
        &["R5", "R11", "declared"],
    ),
    (
        "GET /oauth-reports · the given credentials for OAuth2PasswordBearer",
        &[],
    ),
];

/// The probe's findings on the demo API with FastAPI 0.165.0 (`fastapi_app.py`): every error
/// is `{"detail": …}` (R11) and undeclared (`declared`); `HTTPBearer`'s own 401 to no token
/// has a bare `Bearer` (R15), and so has the app's 401 to a token that does not verify, with
/// no `invalid_token` (R5); the API key's 401 is FastAPI's own `APIKey`. Alice (role user) is
/// refused `/admin` with the app's 403, which her credentials allow (not 401) but the spec
/// does not declare.
const FASTAPI_FINDINGS: &[(&str, &[&str])] = &[
    ("GET /public · no credentials", &[]),
    ("GET /profile · no credentials", &["R11", "R15", "declared"]),
    (
        "GET /profile · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    ("GET /profile · the given credentials for HTTPBearer", &[]),
    ("GET /admin · no credentials", &["R11", "R15", "declared"]),
    (
        "GET /admin · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    (
        "GET /admin · the given credentials for HTTPBearer",
        &["R11", "declared"],
    ),
    (
        "GET /users/alice/notes · no credentials",
        &["R11", "R15", "declared"],
    ),
    (
        "GET /users/alice/notes · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    (
        "GET /users/alice/notes · the given credentials for HTTPBearer",
        &[],
    ),
    ("GET /reports · no credentials", &["R11", "R15", "declared"]),
    (
        "GET /reports · token the server cannot accept",
        &["R5", "R11", "declared"],
    ),
    ("GET /reports · the given credentials for HTTPBearer", &[]),
    ("GET /metrics · no credentials", &["R11", "declared"]),
    ("GET /metrics · the given credentials for APIKeyHeader", &[]),
];

/// FastAPI 0.121.3: `HTTPBearer` and `APIKeyHeader` refuse a request without credentials with
/// 403 "Not authenticated" (`fastapi/security/http.py`, `api_key.py`): R3, and not the 401
/// the spec's security calls for (`status`).
const FASTAPI_FINDINGS_0121: &[(&str, &[&str])] = &[
    ("GET /public · no credentials", &[]),
    (
        "GET /profile · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /profile · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    ("GET /profile · the given credentials for HTTPBearer", &[]),
    (
        "GET /admin · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /admin · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    (
        "GET /admin · the given credentials for HTTPBearer",
        &["R11", "declared"],
    ),
    (
        "GET /users/alice/notes · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /users/alice/notes · token the server cannot accept",
        &["R5", "R11", "R15", "declared"],
    ),
    (
        "GET /users/alice/notes · the given credentials for HTTPBearer",
        &[],
    ),
    (
        "GET /reports · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /reports · token the server cannot accept",
        &["R5", "R11", "declared"],
    ),
    ("GET /reports · the given credentials for HTTPBearer", &[]),
    (
        "GET /metrics · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    ("GET /metrics · the given credentials for APIKeyHeader", &[]),
];

/// The `drf` app's spec as drf-spectacular 0.30.0 writes it (YAML, OpenAPI 3.0.3, at the app's
/// `/schema`): every authentication class of `DEFAULT_AUTHENTICATION_CLASSES` one requirement
/// in their order, whatever the view's permissions, and `{}` besides where the view allows
/// anyone (`drf_spectacular/openapi.py` `AutoSchema.get_auth`: Session as `cookieAuth`, an
/// apiKey in the cookie `sessionid`; Basic as `basicAuth`; the app's key class through its
/// extension in `drf_api_key.py`). `/users/{id}/notes` is not there: its URL is a plain
/// Django view choosing a DRF view by method, which drf-spectacular does not see; its own
/// `/schema` is.
const DRF_SECURITY: &[(&str, &str)] = &[
    ("GET /admin", DRF_ALL),
    ("GET /metrics", DRF_ALL),
    ("GET /profile", DRF_ALL),
    (
        "GET /public",
        "cookieAuth[] | basicAuth[] | apiKeyAuth[] | {}",
    ),
    ("GET /reports", DRF_ALL),
    (
        "GET /schema",
        "cookieAuth[] | basicAuth[] | apiKeyAuth[] | {}",
    ),
    ("DELETE /users/{id}", DRF_ALL),
];

const DRF_ALL: &str = "cookieAuth[] | basicAuth[] | apiKeyAuth[]";

/// drf-spectacular declares no 401 on any operation (O1), the ones whose credentials are
/// optional (`{}`) included; it names no scope, so no rule asks for a 403.
const DRF_LINT: &[(&str, &[&str])] = &[
    ("GET /admin", &["O1"]),
    ("GET /metrics", &["O1"]),
    ("GET /profile", &["O1"]),
    ("GET /public", &["O1"]),
    ("GET /reports", &["O1"]),
    ("GET /schema", &["O1"]),
    ("DELETE /users/{id}", &["O1"]),
];

const DRF_AUTH: &[(&str, &str)] = &[
    ("cookieAuth", "alicesession00000000000000000000"),
    ("basicAuth", "alice:alice-pw"),
    ("apiKeyAuth", "ak_alice_demo"),
];

/// DRF answers a request without credentials 403 where Session comes first (no class to ask
/// with a challenge): R3 with DRF's fix, not the 401 the spec's security calls for
/// (`status`), and undeclared. Alice, a user who is not staff and whose session, password
/// or key carries no scope, is refused `/admin` and `/reports` with 403, which her
/// credentials allow (not 401) and the spec does not declare. Every error body is DRF's
/// `{"detail": …}` (R11).
const DRF_FINDINGS: &[(&str, &[&str])] = &[
    (
        "GET /admin · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /admin · the given credentials for cookieAuth",
        &["R11", "declared"],
    ),
    (
        "GET /admin · the given credentials for basicAuth",
        &["R11", "declared"],
    ),
    (
        "GET /admin · the given credentials for apiKeyAuth",
        &["R11", "declared"],
    ),
    (
        "GET /metrics · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    ("GET /metrics · the given credentials for cookieAuth", &[]),
    ("GET /metrics · the given credentials for basicAuth", &[]),
    ("GET /metrics · the given credentials for apiKeyAuth", &[]),
    (
        "GET /profile · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    ("GET /profile · the given credentials for cookieAuth", &[]),
    ("GET /profile · the given credentials for basicAuth", &[]),
    ("GET /profile · the given credentials for apiKeyAuth", &[]),
    ("GET /public · no credentials", &[]),
    ("GET /public · the given credentials for cookieAuth", &[]),
    ("GET /public · the given credentials for basicAuth", &[]),
    ("GET /public · the given credentials for apiKeyAuth", &[]),
    (
        "GET /reports · no credentials",
        &["R3", "R11", "status", "declared"],
    ),
    (
        "GET /reports · the given credentials for cookieAuth",
        &["R11", "declared"],
    ),
    (
        "GET /reports · the given credentials for basicAuth",
        &["R11", "declared"],
    ),
    (
        "GET /reports · the given credentials for apiKeyAuth",
        &["R11", "declared"],
    ),
    ("GET /schema · no credentials", &[]),
    ("GET /schema · the given credentials for cookieAuth", &[]),
    ("GET /schema · the given credentials for basicAuth", &[]),
    ("GET /schema · the given credentials for apiKeyAuth", &[]),
];

/// The apps whose specs are held.
pub const SPECS: &[SpecCase] = &[
    SpecCase {
        id: "fastapi",
        profile: "fastapi",
        path: "/openapi.json",
        security: FASTAPI_SECURITY,
        lint: FASTAPI_LINT,
        auth: FASTAPI_AUTH,
        findings: FASTAPI_FINDINGS,
        skipped: FASTAPI_SKIPPED,
    },
    SpecCase {
        id: "fastapi-0.121",
        profile: "fastapi-0.121",
        path: "/openapi.json",
        security: FASTAPI_0121_SECURITY,
        lint: FASTAPI_0121_LINT,
        auth: FASTAPI_AUTH,
        findings: FASTAPI_FINDINGS_0121,
        skipped: FASTAPI_SKIPPED,
    },
    SpecCase {
        id: "drf",
        profile: "drf",
        path: "/schema",
        security: DRF_SECURITY,
        lint: DRF_LINT,
        auth: DRF_AUTH,
        findings: DRF_FINDINGS,
        skipped: &["DELETE /users/{id}"],
    },
    SpecCase {
        id: "fastapi-keys",
        profile: "fastapi",
        path: "/openapi.json",
        security: KEYS_SECURITY,
        lint: KEYS_LINT,
        auth: KEYS_AUTH,
        findings: KEYS_FINDINGS,
        skipped: &[],
    },
    SpecCase {
        id: "fastapi-0.121-keys",
        profile: "fastapi-0.121",
        path: "/openapi.json",
        security: KEYS_SECURITY,
        lint: KEYS_LINT,
        auth: KEYS_AUTH,
        findings: KEYS_FINDINGS_0121,
        skipped: &[],
    },
];

/// Holds every app of [`SPECS`] that `available` lists (the frameworks the step records);
/// the error lists every difference.
pub fn check(root: &Path, available: &[&str]) -> Result<(), String> {
    let binary = build(root)?;
    let fresh = root.join("target").join("conformance").join("fresh");
    let mut failing = Vec::new();
    let (mut operations, mut cells) = (0, 0);
    for case in SPECS.iter().filter(|case| available.contains(&case.id)) {
        let (app, base) = start(root, case.id)?;
        let text = fetch(&base, case.path)?;
        let file = fresh.join(format!("{}.openapi.{}", case.id, extension(&text)));
        std::fs::create_dir_all(&fresh)
            .and_then(|()| std::fs::write(&file, &text))
            .map_err(|error| format!("{}: {error}", file.display()))?;
        let mut differences = read_and_map(&text, case);
        let (found, skipped) = probe_spec(&binary, &file, &base, case)?;
        drop(app);
        differences.extend(compare_probe(&found, &skipped, case));
        operations += case.security.len();
        // Per operation its security, its route and its lint rules; the spec-wide rules; each
        // probe exchange.
        cells += case.security.len() * 3 + 1 + case.findings.len();
        println!(
            "  openapi {}: {} operations read, mapped and linted, {} probe exchanges compared{}",
            case.id,
            case.security.len(),
            case.findings.len(),
            if differences.is_empty() {
                String::new()
            } else {
                format!(", {} differ", differences.len())
            }
        );
        for difference in &differences {
            println!("    ✗ {} · {difference}", case.id);
        }
        if !differences.is_empty() {
            failing.push(format!("{} ({})", case.id, differences.len()));
        }
    }
    println!("  openapi: {operations} operations, {cells} cells compared");
    if failing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "authpath reads, lints or probes a real generator's spec otherwise than the table in \
         xtask/src/conformance/openapi.rs: {}",
        failing.join(", ")
    ))
}

/// `json` for a spec in JSON, else `yaml` (drf-spectacular's default).
fn extension(text: &str) -> &'static str {
    if text.trim_start().starts_with('{') {
        "json"
    } else {
        "yaml"
    }
}

/// `GET base+path` over plain HTTP/1.1: the body of a 200.
fn fetch(base: &str, path: &str) -> Result<String, String> {
    let authority = base
        .strip_prefix("http://")
        .ok_or_else(|| format!("{base}: not an http:// URL"))?;
    let mut stream = TcpStream::connect(authority).map_err(|error| format!("{base}: {error}"))?;
    let timeout = Some(Duration::from_secs(FETCH_SECONDS));
    let _ = stream.set_read_timeout(timeout);
    let request = format!("GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|error| format!("{base}{path}: {error}"))?;
    let mut answer = Vec::new();
    stream
        .read_to_end(&mut answer)
        .map_err(|error| format!("{base}{path}: {error}"))?;
    let answer = String::from_utf8(answer).map_err(|error| format!("{base}{path}: {error}"))?;
    let (head, body) = answer
        .split_once("\r\n\r\n")
        .ok_or_else(|| format!("{base}{path}: no HTTP answer"))?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "{base}{path} answered {}",
            head.lines().next().unwrap_or_default()
        ));
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(format!(
            "{base}{path}: a chunked answer, which this reader does not join"
        ));
    }
    Ok(body.to_string())
}

/// A spec's `security` as the tables write it.
fn written(spec: &Spec, operation: &authpath_engine::openapi::Operation) -> String {
    let Some(security) = spec.security_of(operation) else {
        return "none".to_string();
    };
    if security.requirements.is_empty() {
        return "[]".to_string();
    }
    security
        .requirements
        .iter()
        .map(|requirement| {
            if requirement.schemes.is_empty() {
                return "{}".to_string();
            }
            requirement
                .schemes
                .iter()
                .map(|named| {
                    let values: Vec<&str> = named
                        .values
                        .iter()
                        .map(|(value, _)| value.as_str())
                        .collect();
                    format!("{}[{}]", named.name, values.join(","))
                })
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

/// Reads the spec, and gives every way it differs from the table: a problem named, an
/// operation's security, the policy route it maps to, and the lint's rules.
fn read_and_map(text: &str, case: &SpecCase) -> Vec<String> {
    let imported = match import(text) {
        Ok(imported) => imported,
        Err(problem) => return vec![format!("the spec does not read: {problem}")],
    };
    let mut differences: Vec<String> = imported
        .problems
        .iter()
        .map(|problem| format!("not understood: {problem}"))
        .collect();
    let spec = &imported.spec;
    let found: Vec<(String, String)> = spec
        .operations
        .iter()
        .map(|operation| (operation.name(), written(spec, operation)))
        .collect();
    let wanted: Vec<(String, String)> = case
        .security
        .iter()
        .map(|(name, security)| (name.to_string(), security.to_string()))
        .collect();
    if found != wanted {
        differences.push(format!(
            "security: expected {wanted:?}, the spec says {found:?}"
        ));
    }
    // Each operation is a route of the policy, accepting exactly the schemes it names.
    for operation in &spec.operations {
        let route = imported
            .policy
            .routes
            .iter()
            .find(|route| route.method == operation.method && route.path == operation.path);
        let Some(route) = route else {
            differences.push(format!("{}: no route in the policy", operation.name()));
            continue;
        };
        let named: Vec<Vec<String>> = spec
            .security_of(operation)
            .map(|security| {
                security
                    .requirements
                    .iter()
                    .map(|requirement| {
                        requirement
                            .schemes
                            .iter()
                            .map(|named| named.name.clone())
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mapped: Vec<Vec<String>> = route
            .security
            .iter()
            .flatten()
            .map(|requirement| requirement.schemes.clone())
            .collect();
        if mapped != named {
            differences.push(format!(
                "{}: the route requires {mapped:?}, the spec {named:?}",
                operation.name()
            ));
        }
    }
    let findings = lint(spec);
    let names = std::iter::once("spec".to_string())
        .chain(spec.operations.iter().map(|operation| operation.name()));
    for name in names {
        let about = (name != "spec").then_some(name.as_str());
        let mut rules: Vec<&str> = findings
            .iter()
            .filter(|finding| finding.operation.as_deref() == about)
            .map(|finding| finding.rule.id())
            .collect();
        rules.sort_unstable();
        let wanted: Vec<&str> = case
            .lint
            .iter()
            .find(|(operation, _)| *operation == name)
            .map(|(_, rules)| rules.to_vec())
            .unwrap_or_default();
        if rules != wanted {
            differences.push(format!(
                "openapi lint {name}: expected {wanted:?}, found {rules:?}"
            ));
        }
    }
    differences
}

/// Alice's demo token (role user, scope `reports:read`), valid for an hour from now.
fn token(now: u64) -> String {
    let scenario = Scenario::default();
    mint_token(
        &Claims {
            sub: Some("alice".to_string()),
            role: Some("user".to_string()),
            scope: Some("reports:read".to_string()),
            exp: Some(now + 3600),
            iat: Some(now),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            ..Claims::default()
        },
        &scenario.key,
    )
}

/// Runs `authpath probe --openapi` of the spec against the live app: each exchange's rule ids
/// by name, and the operations skipped.
fn probe_spec(
    binary: &Path,
    file: &Path,
    base: &str,
    case: &SpecCase,
) -> Result<(Vec<Reported>, Vec<String>), String> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let token = token(now);
    let mut probe = Command::new(binary);
    probe.arg("probe").arg("--openapi").arg(file).args([
        base,
        "--format",
        "json",
        "--profile",
        case.profile,
        "--now",
        &now.to_string(),
        "--param",
        "id=alice",
    ]);
    for (scheme, value) in case.auth {
        let value = if *value == "token" { &token } else { *value };
        probe.arg("--auth").arg(format!("{scheme}={value}"));
    }
    println!(
        "  $ authpath probe --openapi {} {base} --format json --profile {} --now {now} --param id=alice --auth …",
        file.display(),
        case.profile
    );
    let output = probe
        .output()
        .map_err(|error| format!("could not run {}: {error}", binary.display()))?;
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "authpath probe --openapi of {} failed ({}): {}",
            case.id,
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: Report = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("the probe's JSON report of {}: {error}", case.id))?;
    let found = report
        .exchanges
        .into_iter()
        .map(|exchange| {
            let mut rules: Vec<String> = exchange
                .findings
                .into_iter()
                .map(|item| item.rule)
                .collect();
            rules.sort();
            (exchange.name, rules)
        })
        .collect();
    let skipped = report
        .skipped
        .iter()
        .filter_map(|line| line.split(": ").next().map(str::to_string))
        .collect();
    Ok((found, skipped))
}

/// Where the probe's report differs from the table.
fn compare_probe(found: &[Reported], skipped: &[String], case: &SpecCase) -> Vec<String> {
    let mut differences = Vec::new();
    for (name, rules) in case.findings {
        let mut want: Vec<String> = rules.iter().map(|rule| rule.to_string()).collect();
        want.sort();
        match found.iter().find(|(found, _)| found == name) {
            Some((_, got)) if *got == want => {}
            Some((_, got)) => differences.push(format!(
                "probe {name}: expected [{}], reported [{}]",
                want.join(" "),
                got.join(" ")
            )),
            None => differences.push(format!("probe {name}: no such exchange")),
        }
    }
    for (name, rules) in found {
        if !case.findings.iter().any(|(wanted, _)| wanted == name) {
            differences.push(format!(
                "probe {name}: an exchange not in the table, reported [{}]",
                rules.join(" ")
            ));
        }
    }
    let wanted: Vec<String> = case.skipped.iter().map(|name| name.to_string()).collect();
    if skipped != wanted.as_slice() {
        differences.push(format!(
            "skipped: expected {wanted:?}, the probe {skipped:?}"
        ));
    }
    differences
}

/// One exchange of the probe's report: its name and its rule ids, sorted.
type Reported = (String, Vec<String>);

#[derive(Deserialize)]
struct Report {
    exchanges: Vec<Exchange>,
    #[serde(default)]
    skipped: Vec<String>,
}

#[derive(Deserialize)]
struct Exchange {
    name: String,
    findings: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    rule: String,
}
