//! The JWT attack catalogue held to PyJWT and Node's jsonwebtoken: every forged token of
//! `teach::attacks` is given to each library and to the engine, configured alike (the demo HMAC
//! secret; each weak secret; the demo P-256 key for ES256; the demo Ed25519 key for EdDSA), and
//! the verdicts must agree: refused by all three, or — the token forged with the weak secret the
//! server really uses — accepted by all three.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use authpath_engine::teach::attacks::{forged_tokens, WEAK_SECRETS};
use authpath_engine::{
    evaluate, parse_keys, Algorithm, Claims, Scenario, DEMO_ED25519_PUBLIC_PEM,
    DEMO_P256_PUBLIC_PEM,
};
use serde::{Deserialize, Serialize};

use crate::command::describe;

/// One token and the server it is sent to.
#[derive(Serialize)]
struct Case {
    case: String,
    token: String,
    key: String,
    algorithms: Vec<String>,
    issuer: String,
    audience: String,
}

/// A library's verdict on one case.
#[derive(Deserialize)]
struct Verdict {
    case: String,
    accepted: bool,
    why: String,
}

/// The servers the catalogue is sent to: a name, the key (secret text or PEM) and the one
/// algorithm it accepts.
fn servers() -> Vec<(String, String, Algorithm)> {
    let mut servers = vec![(
        "HS256 with the demo secret".to_string(),
        Scenario::default().key,
        Algorithm::HS256,
    )];
    for secret in WEAK_SECRETS {
        servers.push((
            format!("HS256 with the weak secret {secret:?}"),
            secret.to_string(),
            Algorithm::HS256,
        ));
    }
    servers.push((
        "ES256 with the demo P-256 key".to_string(),
        DEMO_P256_PUBLIC_PEM.to_string(),
        Algorithm::ES256,
    ));
    servers.push((
        "EdDSA with the demo Ed25519 key".to_string(),
        DEMO_ED25519_PUBLIC_PEM.to_string(),
        Algorithm::EdDSA,
    ));
    servers
}

/// Runs both libraries over every case and compares each verdict with the engine's.
pub fn check(root: &Path) -> Result<(), String> {
    // The libraries read the wall clock: the tokens and the engine's scenario use it too.
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|error| format!("the clock: {error}"))?
        .as_secs();
    let demo = Scenario {
        now,
        ..Scenario::default()
    };
    let claims = Claims {
        sub: Some("mallory".to_string()),
        role: Some("admin".to_string()),
        exp: Some(now + 3600),
        iat: Some(now),
        iss: Some(demo.issuer.clone()),
        aud: Some(demo.audience.clone()),
        ..Claims::default()
    };
    let forged = forged_tokens(&claims);
    let mut cases = Vec::new();
    let mut engine = Vec::new();
    for (server, key, algorithm) in servers() {
        let mut scenario = Scenario {
            algorithms: vec![algorithm],
            ..demo.clone()
        };
        if algorithm == Algorithm::HS256 {
            scenario.key.clone_from(&key);
        } else {
            scenario.key = String::new();
            scenario.keys = parse_keys(&key).map_err(|error| format!("{server}: {error}"))?;
        }
        for token in &forged {
            let raw = format!(
                "GET /admin HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {}\r\n\r\n",
                token.token
            );
            let evaluation = evaluate(&raw, &scenario);
            let why = evaluation
                .trace
                .last()
                .map(|step| format!("{}: {}", step.check, step.detail))
                .unwrap_or_default();
            let name = format!("{} → {server}", token.id);
            engine.push((name.clone(), evaluation.response.status.is_success(), why));
            cases.push(Case {
                case: name,
                token: token.token.clone(),
                key: key.clone(),
                algorithms: vec![algorithm.name().to_string()],
                issuer: demo.issuer.clone(),
                audience: demo.audience.clone(),
            });
        }
    }
    let input =
        serde_json::to_vec(&cases).map_err(|error| format!("the cases as JSON: {error}"))?;
    let target = root.join("target").join("conformance");
    let mut python = Command::new(target.join("venv-jwt").join("bin").join("python"));
    python.arg(
        root.join("conformance")
            .join("python")
            .join("forged_tokens.py"),
    );
    let mut node = Command::new("node");
    node.arg(
        root.join("conformance")
            .join("node")
            .join("forged_tokens.js"),
    )
    .env("NODE_PATH", target.join("node").join("node_modules"));
    let mut failures = Vec::new();
    for (library, mut command) in [("PyJWT", python), ("jsonwebtoken", node)] {
        let verdicts = ask(&mut command, &input)?;
        if verdicts.len() != engine.len() {
            return Err(format!(
                "{library} answered {} of {} cases",
                verdicts.len(),
                engine.len()
            ));
        }
        let mut accepted = 0;
        let mut agreeing = 0;
        for (verdict, (name, engine_accepts, engine_why)) in verdicts.iter().zip(&engine) {
            if &verdict.case != name {
                return Err(format!("{library} answered {} for {name}", verdict.case));
            }
            accepted += usize::from(verdict.accepted);
            agreeing += usize::from(verdict.accepted == *engine_accepts);
            if verdict.accepted != *engine_accepts {
                failures.push(format!(
                    "{name}: {library} {} ({}), the engine {} ({engine_why})",
                    if verdict.accepted {
                        "accepts"
                    } else {
                        "refuses"
                    },
                    verdict.why,
                    if *engine_accepts {
                        "accepts"
                    } else {
                        "refuses"
                    },
                ));
            }
        }
        println!(
            "  attacks: {library}: {} forged tokens × {} servers, {accepted} accepted (a weak secret's own), the engine agreeing on {}",
            forged.len(),
            servers().len(),
            agreeing
        );
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "forged tokens judged otherwise than the libraries:\n    {}",
            failures.join("\n    ")
        ))
    }
}

/// Feeds `input` to the command and reads its verdicts.
fn ask(command: &mut Command, input: &[u8]) -> Result<Vec<Verdict>, String> {
    let shown = describe(command);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|error| {
            format!("`{shown}` did not start ({error}); is `cargo xtask setup --conformance` done?")
        })?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(input)
            .map_err(|error| format!("`{shown}`: {error}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|error| format!("`{shown}`: {error}"))?;
    if !output.status.success() {
        return Err(format!("`{shown}` failed ({})", output.status));
    }
    serde_json::from_slice(&output.stdout)
        .map_err(|error| format!("`{shown}` printed no verdicts: {error}"))
}
