//! Building the engine's `Scenario` from command-line options. The options every command
//! that evaluates requests shares (`--profile`, `--policy`, `--now`) are defined here once,
//! with their `--help` lines, for any options type that holds a scenario.

use std::path::Path;

use authpath_engine::{Policy, PolicyError, Profile, Scenario};

use crate::args::{unix_seconds, Flag};

/// A command's options that include the scenario its requests are evaluated in.
pub trait WithScenario {
    /// The scenario the shared flags set.
    fn scenario_mut(&mut self) -> &mut Scenario;
}

/// `--profile <id>`: which server answers.
pub fn profile_flag<T: WithScenario>() -> Flag<T> {
    Flag::value(
        "profile",
        "<id>",
        "which server answers: rfc (default), conceal, naive, fastapi, …\n\
         (`authpath profiles` lists them)",
        |options, value| {
            options.scenario_mut().profile = parse_profile(value)?;
            Ok(())
        },
    )
}

/// `--profile <id>` for `check` and `probe`, which judge another server: the framework it runs,
/// for the fixes the findings carry and for how that framework reads credentials.
pub fn framework_flag<T: WithScenario>() -> Flag<T> {
    Flag::value(
        "profile",
        "<id>",
        "the framework the server runs (fastapi, drf, …; default rfc):\n\
         findings carry its fixes (`authpath profiles` lists them)",
        |options, value| {
            options.scenario_mut().profile = parse_profile(value)?;
            Ok(())
        },
    )
}

/// `--policy <file>`: the API's routes, from a TOML or JSON file.
pub fn policy_flag<T: WithScenario>() -> Flag<T> {
    Flag::value(
        "policy",
        "<file.toml|file.json>",
        "the API's routes (default: the demo API)",
        |options, value| {
            options.scenario_mut().policy = load_policy(value)?;
            Ok(())
        },
    )
}

/// `--now <unix seconds>`: the server clock.
pub fn now_flag<T: WithScenario>() -> Flag<T> {
    Flag::value(
        "now",
        "<unix seconds>",
        "the server clock (default 1767225600, 2026-01-01T00:00:00Z)",
        |options, value| {
            options.scenario_mut().now = unix_seconds("now", value)?;
            Ok(())
        },
    )
}

/// Reads a profile id (`rfc`, `conceal`, `naive`, `fastapi`, …); the error is the usage
/// message, listing them.
pub fn parse_profile(value: &str) -> Result<Profile, String> {
    Profile::from_id(&value.trim().to_ascii_lowercase()).ok_or_else(|| {
        let ids: Vec<&str> = Profile::all().iter().map(|profile| profile.id()).collect();
        format!(
            "--profile must be one of {} (see `authpath profiles`), not {value:?}",
            ids.join(", ")
        )
    })
}

/// The profile's name as written on the command line.
pub fn profile_name(profile: Profile) -> &'static str {
    profile.id()
}

/// Reads a policy file: `.json` as JSON, `.toml` as TOML, anything else by its first
/// character (`{` is JSON). The error is the usage message.
pub fn load_policy(path: &str) -> Result<Policy, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the policy file {path}: {error}"))?;
    let extension = Path::new(path)
        .extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase);
    let json = match extension.as_deref() {
        Some("json") => true,
        Some("toml") => false,
        _ => text.trim_start().starts_with('{'),
    };
    let parsed = if json {
        Policy::from_json(&text)
    } else {
        Policy::from_toml(&text)
    };
    parsed.map_err(|error| describe_policy_error(path, &error))
}

/// `file:line:column: message`, the form editors jump to.
fn describe_policy_error(path: &str, error: &PolicyError) -> String {
    let place = match (error.line, error.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path.to_string(),
    };
    format!(
        "the policy {place} is not valid: {} (`authpath eval --help` shows the format)",
        error.describe()
    )
}
