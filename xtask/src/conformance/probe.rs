//! The probe run of the conformance step: `authpath probe` against each real framework app, and
//! the findings it must report, per framework and per request of its set, in [`EXPECTED`].
//!
//! Each app is started by `record.py --serve ID` (kept up until its stdin closes) and probed on
//! `/profile` with alice's demo token (minted around the real clock, which the frameworks read)
//! and her Basic credentials, under the framework's own profile, so that the findings carry its
//! fixes and the lint reads the credentials as that framework does. The table was derived from
//! the recorded answers (`conformance/recorded/*.json`, the cells named in [`RECORDED`]), and a
//! unit test holds it to the engine's exchange lint of those answers, with what the probe
//! knows of each request (`exchange::Known`); the live run holds the real framework to it. An app
//! that serves another API than the demo's (the API key apps, `held::Api`) has no `/profile` and
//! is not probed.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use authpath_engine::{mint_token, Claims, Scenario};
use serde::Deserialize;

use super::Held;
use crate::command::{cargo, describe, run};

/// How long an app has to say where it listens.
const READY_SECONDS: u64 = 90;

/// The requests of the probe's set on `/profile` (and its unknown path), as the report names
/// them after ` · `, each with the recorded request that stands for it: the same credentials
/// in the same place and shape (the probe's unsupported scheme, altered token and wrong
/// password differ from the recorded ones only in their values: a Digest header with two
/// parameters, as passport, which splits the header at spaces, must see it).
pub const RECORDED: [(&str, &str); 8] = [
    ("no credentials", "GET /profile · no credentials"),
    (
        "Bearer without a token",
        "GET /profile · bearer without token",
    ),
    ("unsupported scheme", "GET /profile · unsupported scheme"),
    (
        "token the server cannot accept",
        "GET /profile · bad signature",
    ),
    ("the given token", "GET /profile · bearer user"),
    ("the given Basic credentials", "GET /profile · basic user"),
    (
        "Basic with a wrong password",
        "GET /profile · basic wrong password",
    ),
    ("unknown path", "GET /nope · no credentials"),
];

/// Per framework, per request of the set (in [`RECORDED`]'s order), the rule ids the probe
/// reports: `R…` from the lint, `status` when the answer is not the one the policy and the
/// token's claims call for. Read from the recorded answers:
///
/// - `drf` (Session, then Basic: no challenge to send, so 403): every 403 to a request that
///   carries no credential it reads breaks R3 — none, the empty Bearer, the Digest, and any
///   Bearer token, the altered one and the given one, for Bearer is no scheme it reads — and
///   is not the 401 expected; the wrong password's 403 breaks R2; Basic passes.
/// - `drf-simplejwt`: 401 with `Bearer realm="api"` throughout; the refused token's challenge
///   names no `invalid_token` (R5).
/// - `drf-token` (`TokenAuthentication` alone): 401 with `WWW-Authenticate: Token` to every
///   request on `/profile`. The probe sends its token as `Authorization: Bearer` and has no way
///   to send `Authorization: Token <key>` (a DRF token key is no JWT either), so neither the
///   given token nor the Basic pair is read: both are refused and miss the 2xx expected
///   (`status`). What the probe holds here is the answers to no credentials, the empty Bearer,
///   the unsupported scheme, the altered token and the wrong password (each a 401 with the
///   `Token` challenge), and the 404.
/// - `express-jwt`: every 401 has no challenge (R1); Basic is no scheme it reads (401).
/// - `fastapi`: every 401 carries a bare `Bearer` challenge (R15); Basic is not read (401).
/// - `fastapi-0.121`: 403 without credentials and for the empty, unsupported and Basic ones
///   (Basic is no scheme it reads): R3 each; the refused token gets 401 with a bare `Bearer`
///   (R5, R15).
/// - `flask-httpauth`: 401 with `Bearer realm=…`, no `invalid_token` (R5); Basic not read.
/// - `flask-jwt-extended`: 401 without a challenge (R1); 422 for the empty Bearer and for the
///   refused token (R19 for the token that failed verification).
/// - `passport-http-bearer`: 400 for an unsupported scheme; Basic not read (401).
///
/// Every error body that is not problem+json is R11 (a note), the 404s' HTML too.
pub const EXPECTED: &[(&str, [&[&str]; 8])] = &[
    (
        "drf",
        [
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &[],
            &["R2", "R11", "status"],
            &["R11"],
        ],
    ),
    (
        "drf-simplejwt",
        [
            &["R11"],
            &["R11"],
            &["R11"],
            &["R5", "R11"],
            &[],
            &[],
            &["R11"],
            &["R11"],
        ],
    ),
    (
        "drf-token",
        [
            &["R11"],
            &["R11"],
            &["R11"],
            &["R11"],
            &["R11", "status"],
            &["R11", "status"],
            &["R11"],
            &["R11"],
        ],
    ),
    (
        "express-jwt",
        [
            &["R1", "R11"],
            &["R1", "R11"],
            &["R1", "R11"],
            &["R1", "R11"],
            &[],
            &["R1", "R11", "status"],
            &["R1", "R11"],
            &["R11"],
        ],
    ),
    (
        "fastapi",
        [
            &["R11", "R15"],
            &["R11", "R15"],
            &["R11", "R15"],
            &["R5", "R11", "R15"],
            &[],
            &["R11", "R15", "status"],
            &["R11", "R15"],
            &["R11"],
        ],
    ),
    (
        "fastapi-0.121",
        [
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R5", "R11", "R15"],
            &[],
            &["R3", "R11", "status"],
            &["R3", "R11", "status"],
            &["R11"],
        ],
    ),
    (
        "flask-httpauth",
        [
            &["R11"],
            &["R11"],
            &["R11"],
            &["R5", "R11"],
            &[],
            &["R11", "status"],
            &["R11"],
            &["R11"],
        ],
    ),
    (
        "flask-jwt-extended",
        [
            &["R1", "R11"],
            &["R11", "status"],
            &["R1", "R11"],
            &["R11", "R19", "status"],
            &[],
            &["R1", "R11", "status"],
            &["R1", "R11"],
            &["R11"],
        ],
    ),
    (
        "passport-http-bearer",
        [
            &["R11"],
            &["R11"],
            &["R11", "status"],
            &["R11"],
            &[],
            &["R11", "status"],
            &["R11"],
            &["R11"],
        ],
    ),
];

/// Probes every framework of `modelled` whose app serves `/profile` and compares with
/// [`EXPECTED`]; the error lists every cell that differs.
pub fn check(root: &Path, modelled: &[Held]) -> Result<(), String> {
    let binary = build(root)?;
    let mut failing = Vec::new();
    for Held { id, profile, api } in modelled {
        if !api.serves_profile() {
            println!("  probe {id}: not probed, its app serves no /profile (another API)");
            continue;
        }
        let Some((_, expected)) = EXPECTED.iter().find(|(framework, _)| framework == id) else {
            failing.push(format!("{id}: no row in the probe's table"));
            continue;
        };
        let found = probe_app(root, &binary, id, profile.id())?;
        let mut differing = 0;
        for ((kind, _), rules) in RECORDED.iter().zip(expected) {
            let want: Vec<String> = rules.iter().map(|rule| rule.to_string()).collect();
            let got = found.get(*kind).cloned();
            if got.as_ref() != Some(&want) {
                differing += 1;
                println!(
                    "    ✗ {id} · {kind}: expected [{}], probe reported {}",
                    want.join(" "),
                    got.map_or("no such exchange".to_string(), |got| format!(
                        "[{}]",
                        got.join(" ")
                    ))
                );
            }
        }
        let summary: Vec<String> = RECORDED
            .iter()
            .zip(expected)
            .filter(|(_, rules)| !rules.is_empty())
            .map(|((kind, _), rules)| format!("{kind}: {}", rules.join(" ")))
            .collect();
        println!("  probe {id}: {}", summary.join("; "));
        if differing > 0 {
            failing.push(format!("{id} {differing} of {}", RECORDED.len()));
        }
    }
    if failing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "authpath probe reports otherwise than the table in xtask/src/conformance/probe.rs for {}",
        failing.join(", ")
    ))
}

/// Builds the `authpath` binary and gives its path.
pub(super) fn build(root: &Path) -> Result<PathBuf, String> {
    run(cargo()
        .args([
            "build",
            "--quiet",
            "-p",
            "authpath-cli",
            "--bin",
            "authpath",
        ])
        .current_dir(root))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target.join("debug").join("authpath"))
}

/// An app kept up by `record.py --serve`; closing its stdin (on drop) stops it.
pub(super) struct App {
    child: Child,
}

impl Drop for App {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// Starts the app `id` with `record.py --serve` and gives it with the base URL it listens at.
pub(super) fn start(root: &Path, id: &str) -> Result<(App, String), String> {
    let mut command = Command::new("python3");
    command
        .arg(root.join("conformance").join("record.py"))
        .args(["--serve", id])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped());
    let shown = describe(&command);
    let mut child = command
        .spawn()
        .map_err(|error| format!("could not start `{shown}`: {error}"))?;
    let stdout = child.stdout.take();
    let app = App { child };
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let line = stdout.and_then(|stdout| BufReader::new(stdout).lines().next()?.ok());
        let _ = sender.send(line);
    });
    let line = receiver
        .recv_timeout(Duration::from_secs(READY_SECONDS))
        .ok()
        .flatten()
        .ok_or_else(|| format!("`{shown}` did not say where it listens"))?;
    let base = line
        .split(" at ")
        .nth(1)
        .map(str::trim)
        .ok_or_else(|| format!("`{shown}` printed {line:?}"))?
        .to_string();
    Ok((app, base))
}

/// Starts the app `id`, probes it under `profile`, and gives each exchange's rule ids by
/// request name.
fn probe_app(
    root: &Path,
    binary: &Path,
    id: &str,
    profile: &str,
) -> Result<BTreeMap<String, Vec<String>>, String> {
    let (app, base) = start(root, id)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let scenario = Scenario::default();
    let token = mint_token(
        &Claims {
            sub: Some("alice".to_string()),
            role: Some("user".to_string()),
            exp: Some(now + 3600),
            iat: Some(now),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            ..Claims::default()
        },
        &scenario.key,
    );
    let mut probe = Command::new(binary);
    probe
        .args([
            "probe",
            &base,
            "/profile",
            "--format",
            "json",
            "--profile",
            profile,
        ])
        .args([
            "--now",
            &now.to_string(),
            "--token",
            &token,
            "--basic",
            "alice:alice-pw",
        ]);
    println!("  $ authpath probe {base} /profile --format json --profile {profile} --now {now} --token … --basic …");
    let output = probe
        .output()
        .map_err(|error| format!("could not run {}: {error}", binary.display()))?;
    drop(app);
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(format!(
            "authpath probe of {id} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let report: Report = serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("the probe's JSON report of {id}: {error}"))?;
    Ok(report
        .exchanges
        .into_iter()
        .map(|exchange| {
            let kind = exchange
                .name
                .rsplit(" · ")
                .next()
                .unwrap_or_default()
                .to_string();
            (
                kind,
                exchange
                    .findings
                    .into_iter()
                    .map(|item| item.rule)
                    .collect(),
            )
        })
        .collect())
}

#[derive(Deserialize)]
struct Report {
    exchanges: Vec<Exchange>,
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

#[cfg(test)]
mod tests {
    use super::super::held::held_to;
    use super::super::Recording;
    use super::*;
    use authpath_engine::exchange::{check_knowing, Exchange as Pair, Known};

    /// The statuses the probe expects for each request of [`RECORDED`] on `/profile`, a route
    /// that needs any authenticated caller (`probe::plan`): 401; 400 or 401; 401; 401; 2xx;
    /// 2xx; 401; and 401 or 404 for the unknown path.
    const STATUSES: [&[u16]; 8] = [
        &[401],
        &[400, 401],
        &[401],
        &[401],
        &[200, 201, 202, 204],
        &[200, 201, 202, 204],
        &[401],
        &[401, 404],
    ];

    /// Which requests of [`RECORDED`] the probe makes so that no server can accept their
    /// credentials (`Kind::unacceptable` in the CLI's `probe::plan`): the empty Bearer, the
    /// unsupported scheme, the altered token and the wrong password.
    const UNACCEPTABLE: [bool; 8] = [false, true, true, true, false, false, true, false];

    /// What the probe reports for the recorded cells of `id`: the exchange lint under the
    /// framework's profile at the recording's clock, with what the probe knows of each
    /// request (the credentials it made unacceptable; whether `/profile` refused the request
    /// without credentials, for the requests after it on `/profile`), then `status` where the
    /// status is not the expected one.
    fn derived(id: &str) -> Vec<Vec<String>> {
        let path = crate::command::workspace_root()
            .join("conformance")
            .join("recorded")
            .join(format!("{id}.json"));
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let recording: Recording = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let (profile, api) = held_to(id).unwrap_or_else(|| panic!("{id} is held to no profile"));
        let scenario = api
            .scenario(profile, recording.clock.now)
            .unwrap_or_else(|error| panic!("{error}"));
        let answer_of = |name: &str| {
            recording
                .answers
                .iter()
                .find(|answer| answer.name == name)
                .unwrap_or_else(|| panic!("{id} has no answer {name}"))
        };
        let anonymous = answer_of(RECORDED[0].1).response.status;
        RECORDED
            .iter()
            .zip(STATUSES)
            .enumerate()
            .map(|(row, ((_, name), statuses))| {
                let answer = answer_of(name);
                let known = Known {
                    unacceptable: UNACCEPTABLE[row],
                    protected: anonymous
                        .filter(|_| (1..7).contains(&row))
                        .and_then(Known::protected_by),
                    ..Known::default()
                };
                let response = &answer.response;
                let mut raw = format!("{}\r\n", response.status_line);
                for (field, value) in &response.headers {
                    raw.push_str(&format!("{field}: {value}\r\n"));
                }
                raw.push_str("\r\n");
                raw.push_str(&response.body);
                let pair = Pair {
                    request: answer.request.clone(),
                    response: raw,
                };
                let checked = check_knowing(&pair, Some(&scenario), &known);
                let mut rules: Vec<String> = checked
                    .findings
                    .iter()
                    .map(|finding| finding.rule.id().to_string())
                    .collect();
                if !response
                    .status
                    .is_some_and(|status| statuses.contains(&status))
                {
                    rules.push("status".to_string());
                }
                rules
            })
            .collect()
    }

    /// The table is what the exchange lint finds in the recorded answers, framework by
    /// framework; and it has a row for every recorded framework whose app serves `/profile`.
    #[test]
    fn the_table_is_what_the_recorded_answers_show() {
        let recorded = crate::command::workspace_root()
            .join("conformance")
            .join("recorded");
        let mut ids: Vec<String> = std::fs::read_dir(&recorded)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| {
                        entry
                            .file_name()
                            .to_str()?
                            .strip_suffix(".json")
                            .map(str::to_string)
                    })
                    .filter(|id| held_to(id).is_some_and(|(_, api)| api.serves_profile()))
                    .collect()
            })
            .unwrap_or_default();
        ids.sort();
        let mut rows: Vec<&str> = EXPECTED.iter().map(|(id, _)| *id).collect();
        rows.sort_unstable();
        assert_eq!(
            rows, ids,
            "one row per recorded framework that serves /profile"
        );
        for (id, expected) in EXPECTED {
            let expected: Vec<Vec<String>> = expected
                .iter()
                .map(|rules| rules.iter().map(|rule| rule.to_string()).collect())
                .collect();
            assert_eq!(derived(id), expected, "{id}");
        }
    }
}
