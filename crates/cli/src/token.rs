//! `authpath token`: mint a demo HS256 JWT with the engine's `mint_token`.

use std::time::{SystemTime, UNIX_EPOCH};

use authpath_engine::{mint_token, Claims, Scenario};

use crate::args::{help_flag, Arguments, Command, Flag, Positionals};
use crate::Failure;

/// The help text before the options.
const ABOUT: &str = "\
authpath token: mint a demo HS256 JWT that `authpath eval` and `authpath serve` accept

USAGE:
    authpath token [OPTIONS]

";

/// The help text after the options.
const AFTER: &str = "\
Prints the token and a newline. The demo key is public: these tokens are for testing only.

EXAMPLES:
    authpath token --sub alice --role user --scope \"reports:read\" --exp 1767229200
    curl -H \"Authorization: Bearer $(authpath token --sub carol)\" http://127.0.0.1:8401/admin
    authpath token --exp -60     # expired a minute ago
";

/// The parsed options of `authpath token`.
#[derive(Debug, Clone)]
pub struct TokenOptions {
    /// The claims to sign; `role` is filled from the demo users after parsing, unless given.
    pub claims: Claims,
    /// `--role`, when given.
    pub role: Option<String>,
    /// The HS256 key.
    pub key: String,
    /// The real clock, which `+N` / `-N` times count from.
    pub now: u64,
}

/// `authpath token`'s options and help.
pub fn command() -> Command<TokenOptions> {
    Command {
        name: "token",
        about: ABOUT,
        flags: vec![
            Flag::value(
                "sub",
                "<name>",
                "the subject (default alice)",
                |options, value| {
                    options.claims.sub = Some(value.to_string());
                    Ok(())
                },
            ),
            Flag::value(
                "role",
                "<role>",
                "the role claim (default: the subject's role in the demo users, if any)",
                |options, value| {
                    options.role = Some(value.to_string());
                    Ok(())
                },
            ),
            Flag::value(
                "scope",
                "<scopes>",
                "space-separated scopes, e.g. \"reports:read\" (default: none)",
                |options, value| {
                    options.claims.scope = Some(value.to_string());
                    Ok(())
                },
            ),
            Flag::value(
                "exp",
                "<time>",
                "expiry: Unix seconds, or +N / -N seconds from the real clock\n\
                 (default +3600, one hour from now)",
                |options, value| {
                    options.claims.exp = Some(time("exp", value, options.now)?);
                    Ok(())
                },
            ),
            Flag::value(
                "nbf",
                "<time>",
                "not before: Unix seconds, or +N / -N (default: no nbf claim)",
                |options, value| {
                    options.claims.nbf = Some(time("nbf", value, options.now)?);
                    Ok(())
                },
            ),
            Flag::value(
                "iat",
                "<time>",
                "issued at: Unix seconds, or +N / -N (default: no iat claim)",
                |options, value| {
                    options.claims.iat = Some(time("iat", value, options.now)?);
                    Ok(())
                },
            ),
            Flag::value(
                "iss",
                "<issuer>",
                "the issuer (default https://auth.authpath.example; \"\" leaves it out)",
                |options, value| {
                    options.claims.iss =
                        Some(value.to_string()).filter(|issuer| !issuer.is_empty());
                    Ok(())
                },
            ),
            Flag::value(
                "aud",
                "<audience>",
                "the audience (default https://api.authpath.example; \"\" leaves it out)",
                |options, value| {
                    options.claims.aud =
                        Some(value.to_string()).filter(|audience| !audience.is_empty());
                    Ok(())
                },
            ),
            Flag::value(
                "key",
                "<key>",
                "the HS256 key (default authpath-demo-key, the public demo key)",
                |options, value| {
                    options.key = value.to_string();
                    Ok(())
                },
            ),
            help_flag(),
        ],
        column: 22,
        after: AFTER,
        positionals: Positionals::Suggest("sub"),
    }
}

/// `authpath token --help`.
pub fn help() -> String {
    command().help()
}

/// Parses the options and prints the token; `Ok(())` also after `--help`.
pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let scenario = Scenario::default();
    let now = real_now();
    let defaults = TokenOptions {
        claims: Claims {
            sub: Some("alice".to_string()),
            iss: Some(scenario.issuer.clone()),
            aud: Some(scenario.audience.clone()),
            exp: Some(now.saturating_add(3600)),
            ..Claims::default()
        },
        role: None,
        key: scenario.key.clone(),
        now,
    };
    let Some(TokenOptions {
        mut claims,
        role,
        key,
        ..
    }) = command().parse(&mut arguments, defaults)?
    else {
        return Ok(());
    };
    claims.role = role.or_else(|| Some(scenario.user(claims.sub.as_deref()?)?.role.clone()));
    println!("{}", mint_token(&claims, &key));
    Ok(())
}

/// The real clock in Unix seconds (0 if the system clock is before 1970).
pub fn real_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// Unix seconds, or `+N` / `-N` seconds from `now`; the error is the usage message.
fn time(flag: &str, value: &str, now: u64) -> Result<u64, String> {
    let value = value.trim();
    let parsed = if let Some(offset) = value.strip_prefix('+') {
        offset
            .parse::<u64>()
            .ok()
            .map(|offset| now.saturating_add(offset))
    } else if let Some(offset) = value.strip_prefix('-') {
        offset
            .parse::<u64>()
            .ok()
            .map(|offset| now.saturating_sub(offset))
    } else {
        value.parse::<u64>().ok()
    };
    parsed.ok_or_else(|| {
        format!(
            "--{flag} needs Unix seconds (1767229200) or an offset from now (+3600, -60), not {value:?}"
        )
    })
}
