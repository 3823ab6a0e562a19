//! What the fuzz targets do with their input, shared with `crates/engine/tests/regressions.rs`
//! (which includes this file), so a crash input replays there exactly as the fuzzer ran it.
//!
//! Input layout for [`evaluate_input`]: one byte for the profile, one byte for how the token
//! and the policy are used, then request, token and policy separated by `0xFF` (never part of
//! UTF-8, so text seeds stay readable). Every part is read as lossy UTF-8.

use std::borrow::Cow;

use authpath_engine::teach::explain::annotate;
use authpath_engine::{evaluate, mint_token, Claims, Outcome, Policy, Profile, Scenario, Status};

/// Separates the request, the token and the policy in an [`evaluate_input`] input.
pub const SEPARATOR: u8 = 0xFF;

/// Evaluates the request, token and policy in `data`; an error names the invariant broken.
pub fn evaluate_input(data: &[u8]) -> Result<(), String> {
    let [profile, shape, rest @ ..] = data else {
        return Ok(());
    };
    let mut parts = rest.splitn(3, |byte| *byte == SEPARATOR);
    let request = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let token = String::from_utf8_lossy(parts.next().unwrap_or_default());
    let policy = String::from_utf8_lossy(parts.next().unwrap_or_default());

    let mut scenario = Scenario {
        profile: match profile % 3 {
            0 => Profile::Rfc,
            1 => Profile::Conceal,
            _ => Profile::Naive,
        },
        ..Scenario::default()
    };
    scenario.policy = read_policy(shape & 0b11, &policy);
    let credentials = credentials((shape >> 2) & 0b11, &token, &scenario.key);
    let raw = with_authorization(&request, credentials.as_deref());

    let evaluation = evaluate(&raw, &scenario);

    // The shape every answer keeps, whatever the input.
    let last = evaluation.trace.last().ok_or("the trace is empty")?;
    if !matches!(last.outcome, Outcome::Failed | Outcome::Answered) {
        return Err(format!("the last step does not decide: {last:?}"));
    }
    let status = evaluation.response.status;
    if last.vars.response_code != Some(status) {
        return Err(format!(
            "the deciding step does not hold the status {status:?}"
        ));
    }
    if Status::from_code(status.code()) != Some(status) {
        return Err(format!(
            "status {status:?} does not read back from its code"
        ));
    }
    // What the page explains line by line must be the response itself.
    let text = evaluation.response.to_string();
    let lines: Vec<String> = annotate(&evaluation.response)
        .lines
        .iter()
        .map(|line| line.spans.iter().map(|span| span.text.as_str()).collect())
        .collect();
    if lines.join("\r\n") != text {
        return Err(format!(
            "the annotated lines differ from the response:\n{text}"
        ));
    }
    // The page and the command line read the evaluation as JSON.
    serde_json::to_string(&evaluation)
        .map_err(|error| format!("the evaluation does not serialize: {error}"))?;
    Ok(())
}

/// Reads `data` as a policy with every reader; any policy read must write back and read back
/// to itself in every format, and the subset reader must agree with the `toml` crate.
pub fn policy_input(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let json = Policy::from_json(&text).map_err(|error| error.to_string());
    let toml = toml_crate(&text);
    let subset = Policy::from_toml(&text).map_err(|error| error.to_string());
    for policy in [&json, &toml, &subset].into_iter().flatten() {
        let round_trips = [
            (
                "json",
                Policy::from_json(&policy.to_json()).map_err(|error| error.to_string()),
            ),
            ("toml", toml_crate(&policy.to_toml())),
            (
                "subset",
                Policy::from_toml(&policy.to_toml()).map_err(|error| error.to_string()),
            ),
        ];
        for (format, read_back) in round_trips {
            if read_back.as_ref() != Ok(policy) {
                return Err(format!(
                    "{policy:?} reads back through {format} as {read_back:?}"
                ));
            }
        }
        for route in &policy.routes {
            let _ = route.access.describe();
        }
    }
    if let (Ok(subset), Ok(toml)) = (&subset, &toml) {
        if subset != toml {
            return Err(format!("subset reads {subset:?}, the toml crate {toml:?}"));
        }
    }
    Ok(())
}

/// The toml crate's reading of `text`, checked as the engine checks a policy: the reference the
/// engine's TOML subset is held to (the engine itself does not link the toml crate).
fn toml_crate(text: &str) -> Result<Policy, String> {
    let policy: Policy = toml::from_str(text).map_err(|error| error.to_string())?;
    policy.validate().map_err(|error| error.to_string())?;
    Ok(policy)
}

/// The policy in `text`, through the reader `format` picks; the default policy when `format` is
/// 0 or the text does not parse, so the request still meets real routes.
fn read_policy(format: u8, text: &str) -> Policy {
    let parsed = match format {
        0 => return Policy::default_api(),
        1 => Policy::from_json(text),
        _ => Policy::from_toml(text),
    };
    parsed.unwrap_or_else(|_| Policy::default_api())
}

/// The `Authorization` value for the token: as a Bearer token, as Basic credentials, as the
/// whole value, or — when the token reads as JSON claims — a JWT signed with the server's key
/// carrying them, so the fuzzing reaches the checks after the signature.
fn credentials(kind: u8, token: &str, key: &str) -> Option<String> {
    if token.is_empty() {
        return None;
    }
    Some(match kind {
        0 => format!("Bearer {token}"),
        1 => format!("Basic {token}"),
        2 => token.to_string(),
        _ => match serde_json::from_str::<Claims>(token) {
            Ok(claims) => format!("Bearer {}", mint_token(&claims, key)),
            Err(_) => format!("Bearer {token}"),
        },
    })
}

/// The request with an `Authorization` header right after its first line.
fn with_authorization<'a>(request: &'a str, credentials: Option<&str>) -> Cow<'a, str> {
    let Some(credentials) = credentials else {
        return Cow::Borrowed(request);
    };
    let header = format!("Authorization: {credentials}\r\n");
    Cow::Owned(match request.split_once('\n') {
        Some((first, rest)) => format!("{first}\n{header}{rest}"),
        None => format!("{request}\r\n{header}\r\n"),
    })
}
