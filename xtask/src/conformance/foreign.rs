//! Tokens made by other JWT implementations, verified by the engine: PyJWT (with
//! `cryptography`, in `target/conformance/venv-jwt`) and Node's jsonwebtoken (in
//! `target/conformance/node`) sign a token for every algorithm they offer with keys they make at
//! test time, and give the public key as PEM (SPKI, and PKCS#1 for RSA) and as a JWKS. The engine
//! must accept each token with that key and only that algorithm configured, and refuse it with
//! one signature bit changed.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use authpath_engine::{evaluate, parse_keys, Algorithm, Scenario, Status};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::Deserialize;

use crate::command::{describe, output_within};

/// Each signer takes well under a second here; a minute means it hung.
const SIGNING_LIMIT: Duration = Duration::from_secs(60);

/// One token a foreign library made, and the key the server is given for it.
#[derive(Deserialize)]
struct Foreign {
    library: String,
    alg: String,
    /// `secret`, `spki-pem`, `pkcs1-pem` or `jwks`.
    form: String,
    key: String,
    token: String,
}

/// Runs both signers and checks every token; the error lists what failed.
pub fn check(root: &Path) -> Result<(), String> {
    let scenario = Scenario::default();
    let arguments = [
        scenario.now.to_string(),
        scenario.issuer.clone(),
        scenario.audience.clone(),
    ];
    let target = root.join("target").join("conformance");
    let mut python = Command::new(target.join("venv-jwt").join("bin").join("python"));
    python
        .arg(
            root.join("conformance")
                .join("python")
                .join("foreign_tokens.py"),
        )
        .args(&arguments);
    let mut node = Command::new("node");
    node.arg(
        root.join("conformance")
            .join("node")
            .join("foreign_tokens.js"),
    )
    .args(&arguments)
    .env("NODE_PATH", target.join("node").join("node_modules"));
    let mut failures = Vec::new();
    for mut command in [python, node] {
        let tokens = signed(&mut command)?;
        let mut algorithms: Vec<&str> = tokens.iter().map(|token| token.alg.as_str()).collect();
        algorithms.dedup();
        for token in &tokens {
            if let Err(why) = verify(token, &scenario) {
                failures.push(format!(
                    "{} {} ({}): {why}",
                    token.library, token.alg, token.form
                ));
            }
        }
        println!(
            "  {}: {} tokens ({}), each accepted and refused tampered",
            tokens
                .first()
                .map_or("(none)", |token| token.library.as_str()),
            tokens.len(),
            algorithms.join(" ")
        );
    }
    if failures.is_empty() {
        return Ok(());
    }
    Err(format!(
        "foreign tokens the engine got wrong:\n    {}",
        failures.join("\n    ")
    ))
}

fn signed(command: &mut Command) -> Result<Vec<Foreign>, String> {
    let shown = describe(command);
    let stdout = output_within(command, SIGNING_LIMIT)
        .map_err(|error| format!("{error} (is `cargo xtask setup --conformance` done?)"))?;
    serde_json::from_slice(&stdout)
        .map_err(|error| format!("`{shown}` printed no token list: {error}"))
}

/// Accepted as signed, refused with a flipped signature bit.
fn verify(foreign: &Foreign, demo: &Scenario) -> Result<(), String> {
    let algorithm =
        Algorithm::from_name(&foreign.alg).ok_or("an algorithm the engine does not know")?;
    let mut scenario = Scenario {
        algorithms: vec![algorithm],
        ..demo.clone()
    };
    if foreign.form == "secret" {
        scenario.key.clone_from(&foreign.key);
    } else {
        scenario.key = String::new();
        scenario.keys =
            parse_keys(&foreign.key).map_err(|error| format!("the key does not parse: {error}"))?;
    }
    let status = |token: &str| {
        let raw = format!(
            "GET /profile HTTP/1.1\r\nHost: api.example\r\nAuthorization: Bearer {token}\r\n\r\n"
        );
        let evaluation = evaluate(&raw, &scenario);
        let last = evaluation
            .trace
            .last()
            .map(|step| format!("{}: {}", step.check, step.detail))
            .unwrap_or_default();
        (evaluation.response.status, last)
    };
    let (accepted, why) = status(&foreign.token);
    if accepted != Status::Ok {
        return Err(format!("refused ({why})"));
    }
    let (rest, signature) = foreign.token.rsplit_once('.').ok_or("not three parts")?;
    let mut bytes = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| "signature not base64url")?;
    if let Some(last) = bytes.last_mut() {
        *last ^= 1;
    }
    let tampered = format!("{rest}.{}", URL_SAFE_NO_PAD.encode(bytes));
    let (refused, why) = status(&tampered);
    if refused != Status::Unauthorized || !why.starts_with("signature") {
        return Err(format!("tampered, answered {} ({why})", refused.code()));
    }
    Ok(())
}
