//! The identities run of the conformance step: `authpath probe --identities` against a real
//! Flask app with deliberate authorization holes (`conformance/python/flask_holes_app.py`,
//! Flask 3.1 with Flask-HTTPAuth 4.8's `HTTPBasicAuth` and `login_required(role=…)`), which
//! serves the same notes API under one prefix per hole. Each prefix must give exactly the
//! error-level findings [`EXPECTED`] lists for it, and the prefix without a hole none. The
//! identities and the policy are `conformance/holes/`.
//!
//! The app is started on a thread of its own before the other probes run (`start`), so that
//! its start-up overlaps theirs; one process serves all four prefixes.

use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use super::probe::{self, build, App};

/// The app's id in `record.py`.
pub const APP: &str = "flask-holes";

/// An error-level finding of the probe: the identity, the endpoint (`GET /users/{…}` as
/// sent, under the prefix) and the breach or rule id.
type Found = (&'static str, &'static str, &'static str);

/// Per prefix, the error-level findings its probe must report and no others:
///
/// - `right`: none: every route as the policy says;
/// - `notes`: `GET /users/{id}/notes` answers anyone's notes to any logged-in user: bob reads
///   alice's, alice bob's (BOLA, OWASP API1:2023); carol is an admin and may;
/// - `delete`: `DELETE /users/{id}` checks only the login: alice and bob each delete a user
///   (BFLA, OWASP API5:2023); carol's later DELETE of a user already deleted is not judged;
/// - `existence`: another's notes 403, a user that does not exist 404: bob's answers for
///   alice's notes and for the neighbouring `alicf` differ, as alice's for bob's and `boc`
///   (R17, live).
pub const EXPECTED: [(&str, &[Found]); 4] = [
    ("right", &[]),
    (
        "notes",
        &[
            ("bob", "GET /users/alice/notes", "BOLA"),
            ("alice", "GET /users/bob/notes", "BOLA"),
        ],
    ),
    (
        "delete",
        &[
            ("alice", "DELETE /users/alice", "BFLA"),
            ("bob", "DELETE /users/bob", "BFLA"),
        ],
    ),
    (
        "existence",
        &[
            ("bob", "GET /users/alicf/notes", "R17"),
            ("alice", "GET /users/boc/notes", "R17"),
        ],
    ),
];

/// Starts the app; it is probed by [`check`].
pub fn start(root: &Path) -> Result<(App, String), String> {
    probe::start(root, APP)
}

/// Probes each prefix of the app at `base` as the identities of `conformance/holes/`, with
/// `--unsafe`, and compares the error-level findings with [`EXPECTED`].
pub fn check(root: &Path, base: &str) -> Result<(), String> {
    let binary = build(root)?;
    let binary = binary.as_path();
    let folder = root.join("conformance").join("holes");
    let mut failing = Vec::new();
    for (prefix, expected) in EXPECTED {
        let target = format!("{base}/{prefix}");
        let output = Command::new(binary)
            .args(["probe", &target, "--identities"])
            .arg(folder.join("identities.toml"))
            .arg("--policy")
            .arg(folder.join("policy.toml"))
            .args(["--unsafe", "--format", "json"])
            .output()
            .map_err(|error| format!("could not run {}: {error}", binary.display()))?;
        let wanted_status = if expected.is_empty() { 0 } else { 1 };
        if output.status.code() != Some(wanted_status) {
            failing.push(format!(
                "{prefix}: exit status {} ({})",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let report: Report = serde_json::from_slice(&output.stdout)
            .map_err(|error| format!("the probe's JSON report of {target}: {error}"))?;
        let mut found = errors(&report);
        let mut want: Vec<(String, String, String)> = expected
            .iter()
            .map(|(identity, endpoint, rule)| {
                (identity.to_string(), endpoint.to_string(), rule.to_string())
            })
            .collect();
        found.sort();
        want.sort();
        let shown = |list: &[(String, String, String)]| {
            let cells: Vec<String> = list
                .iter()
                .map(|(identity, endpoint, rule)| format!("{identity} · {endpoint}: {rule}"))
                .collect();
            if cells.is_empty() {
                "none".to_string()
            } else {
                cells.join("; ")
            }
        };
        println!(
            "  probe --identities {APP} /{prefix}: {} cells, errors: {}",
            report.exchanges.len(),
            shown(&found)
        );
        if found != want {
            println!("    ✗ expected: {}", shown(&want));
            failing.push(format!("{prefix}: found {}", shown(&found)));
        }
    }
    if failing.is_empty() {
        return Ok(());
    }
    Err(format!(
        "authpath probe --identities reports otherwise than the table in xtask/src/conformance/holes.rs for {}",
        failing.join(", ")
    ))
}

/// The error-level findings of a report, as `(identity, endpoint, rule)`.
fn errors(report: &Report) -> Vec<(String, String, String)> {
    report
        .exchanges
        .iter()
        .flat_map(|exchange| {
            exchange
                .findings
                .iter()
                .filter(|item| item.severity == "error")
                .map(|item| {
                    (
                        exchange.identity.clone().unwrap_or_default(),
                        exchange.endpoint.clone(),
                        item.rule.clone(),
                    )
                })
        })
        .collect()
}

#[derive(Deserialize)]
struct Report {
    exchanges: Vec<Exchange>,
}

#[derive(Deserialize)]
struct Exchange {
    identity: Option<String>,
    endpoint: String,
    findings: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    rule: String,
    severity: String,
}
