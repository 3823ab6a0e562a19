//! Building the engine's `Scenario` from command-line options. The options every command
//! that evaluates requests shares (`--profile`, `--policy` or `--openapi`, `--now`, and the token settings
//! `--secret`, `--key`, `--alg`, `--issuer`, `--audience`, `--leeway`, `--claims`) are defined
//! here once, with their `--help` lines, for any options type that holds a scenario.

use std::path::Path;

use authpath_engine::openapi::{import, Import, Problem};
use authpath_engine::{
    parse_keys, Algorithm, ClaimPreset, KeyError, Policy, PolicyError, Profile, Scenario,
};

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

/// `--openapi <file>`: the API's routes from an OpenAPI 3.0 or 3.1 spec, in place of `--policy`.
pub fn openapi_flag<T: WithScenario>() -> Flag<T> {
    Flag::value(
        "openapi",
        "<file.yaml|json>",
        "the API's routes from an OpenAPI 3.0 or 3.1 spec instead\n\
         (what it cannot map is listed on stderr, with its line)",
        |options, value| {
            let import = load_openapi(value)?;
            warn_unmapped(value, &import.problems);
            options.scenario_mut().policy = import.policy;
            Ok(())
        },
    )
}

/// Reads an OpenAPI spec file and maps it onto a policy; the error (a file that cannot be
/// read, a text that is no JSON or YAML spec) names the file, line and column.
pub fn load_openapi(path: &str) -> Result<Import, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the OpenAPI file {path}: {error}"))?;
    import(&text).map_err(|problem| {
        format!(
            "the OpenAPI file {path}:{}:{} cannot be read: {}",
            problem.line, problem.column, problem.message
        )
    })
}

/// Prints what a spec says that the policy does not hold, one `file:line:column:` line each,
/// on stderr (the reports and the served answers stay free of it).
pub fn warn_unmapped(path: &str, problems: &[Problem]) {
    for problem in problems {
        eprintln!(
            "authpath: {path}:{}:{}: not mapped: {}",
            problem.line, problem.column, problem.message
        );
    }
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

/// The token settings `eval` and `serve` share: the server's keys, algorithms, issuer,
/// audience, leeway and where it reads roles and scopes.
pub fn token_flags<T: WithScenario>() -> Vec<Flag<T>> {
    vec![
        Flag::value(
            "secret",
            "<text>",
            "the HMAC secret for HS256/384/512 (default authpath-demo-key;\n\
             \"\" for none)",
            |options, value| {
                options.scenario_mut().key = value.to_string();
                Ok(())
            },
        ),
        Flag::value(
            "key",
            "<file>",
            "public keys the server verifies with: PEM (SPKI or PKCS#1),\n\
             a JWK or a JWKS; repeatable. Accept their algorithms with --alg",
            |options, value| {
                let keys = load_keys(value)?;
                let scenario = options.scenario_mut();
                scenario.keys.extend(keys);
                authpath_engine::check_kids(&scenario.keys)
                    .map_err(|error| format!("--key {value}: {error}"))
            },
        ),
        Flag::value(
            "alg",
            "<list>",
            "the algorithms accepted, e.g. RS256,ES256 (default HS256)",
            |options, value| {
                options.scenario_mut().algorithms =
                    Algorithm::parse_list(value).map_err(|error| format!("--alg: {error}"))?;
                Ok(())
            },
        ),
        Flag::value(
            "issuer",
            "<iss,…>",
            "the issuers accepted, comma-separated (default\n\
             https://auth.authpath.example; \"\" does not check iss)",
            |options, value| {
                options.scenario_mut().set_issuers(value);
                Ok(())
            },
        ),
        Flag::value(
            "audience",
            "<aud,…>",
            "the audiences accepted, comma-separated (default\n\
             https://api.authpath.example; \"\" does not check aud)",
            |options, value| {
                options.scenario_mut().set_audiences(value);
                Ok(())
            },
        ),
        Flag::value(
            "leeway",
            "<seconds>",
            "the leeway for exp, nbf and iat (default 30)",
            |options, value| {
                options.scenario_mut().leeway = value.trim().parse().map_err(|_| {
                    format!("--leeway needs a number of seconds such as 30, not {value:?}")
                })?;
                Ok(())
            },
        ),
        Flag::value(
            "claims",
            "<preset>",
            "where roles and scopes are read: demo (role, scope), auth0,\n\
             keycloak, entra, cognito, okta, rfc9068",
            |options, value| {
                let preset = ClaimPreset::from_id(value.trim())
                    .filter(|preset| *preset != ClaimPreset::Custom)
                    .ok_or_else(|| {
                        let ids: Vec<&str> =
                            ClaimPreset::ALL.iter().map(|preset| preset.id()).collect();
                        format!("--claims must be one of {}, not {value:?}", ids.join(", "))
                    })?;
                options.scenario_mut().claims = preset.layout();
                Ok(())
            },
        ),
    ]
}

/// Reads a file of public keys; the error names the flag, the file and where in it.
pub fn load_keys(path: &str) -> Result<Vec<authpath_engine::Key>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("--key: cannot read {path}: {error}"))?;
    parse_keys(&text).map_err(|error| describe_key_error("--key", path, &error))
}

/// `--flag file:line:column: message`.
pub fn describe_key_error(flag: &str, path: &str, error: &KeyError) -> String {
    let place = match (error.line, error.column) {
        (Some(line), Some(column)) => format!("{path}:{line}:{column}"),
        (Some(line), None) => format!("{path}:{line}"),
        _ => path.to_string(),
    };
    let which = error
        .key
        .map(|index| format!("key {} of the set: ", index + 1))
        .unwrap_or_default();
    format!("{flag} {place}: {which}{}", error.message)
}
