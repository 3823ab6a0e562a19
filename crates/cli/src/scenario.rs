//! Building the engine's `Scenario` from command-line options: `--profile`, `--policy`.

use std::path::Path;

use authpath_engine::policy::PolicyError;
use authpath_engine::{Policy, Profile};

use crate::args::{Arguments, UsageError};

/// Reads `rfc`, `conceal` or `naive`.
pub fn parse_profile(arguments: &Arguments, value: &str) -> Result<Profile, UsageError> {
    match value.trim().to_ascii_lowercase().as_str() {
        "rfc" => Ok(Profile::Rfc),
        "conceal" => Ok(Profile::Conceal),
        "naive" => Ok(Profile::Naive),
        _ => Err(arguments.error(format!(
            "--profile must be rfc, conceal or naive, not {value:?}"
        ))),
    }
}

/// The profile's name as written on the command line.
pub fn profile_name(profile: Profile) -> &'static str {
    match profile {
        Profile::Rfc => "rfc",
        Profile::Conceal => "conceal",
        Profile::Naive => "naive",
    }
}

/// Reads a policy file: `.json` as JSON, `.toml` as TOML, anything else by its first
/// character (`{` is JSON).
pub fn load_policy(arguments: &Arguments, path: &str) -> Result<Policy, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| arguments.error(format!("cannot read the policy file {path}: {error}")))?;
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
    parsed.map_err(|error| arguments.error(describe_policy_error(path, &error)))
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
