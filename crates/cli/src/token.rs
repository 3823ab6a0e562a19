//! `authpath token`: mint a demo HS256 JWT with the engine's `mint_token`.

use std::time::{SystemTime, UNIX_EPOCH};

use authpath_engine::{mint_token, Claims, Scenario};

use crate::args::Arguments;
use crate::Failure;

/// `authpath token --help`.
pub const HELP: &str = "\
authpath token: mint a demo HS256 JWT that `authpath eval` and `authpath serve` accept

USAGE:
    authpath token [OPTIONS]

OPTIONS:
    --sub <name>      the subject (default alice)
    --role <role>     the role claim (default: the subject's role in the demo users, if any)
    --scope <scopes>  space-separated scopes, e.g. \"reports:read\" (default: none)
    --exp <time>      expiry: Unix seconds, or +N / -N seconds from the real clock
                      (default +3600, one hour from now)
    --nbf <time>      not before: Unix seconds, or +N / -N (default: no nbf claim)
    --iat <time>      issued at: Unix seconds, or +N / -N (default: no iat claim)
    --iss <issuer>    the issuer (default https://auth.authpath.example; \"\" leaves it out)
    --aud <audience>  the audience (default https://api.authpath.example; \"\" leaves it out)
    --key <key>       the HS256 key (default authpath-demo-key, the public demo key)
    -h, --help        print this help

Prints the token and a newline. The demo key is public: these tokens are for testing only.

EXAMPLES:
    authpath token --sub alice --role user --scope \"reports:read\" --exp 1767229200
    curl -H \"Authorization: Bearer $(authpath token --sub carol)\" http://127.0.0.1:8401/admin
    authpath token --exp -60     # expired a minute ago
";

/// Parses the options and prints the token; `Ok(())` also after `--help`.
pub fn main(mut arguments: Arguments) -> Result<(), Failure> {
    let scenario = Scenario::default();
    let now = real_now();
    let mut claims = Claims {
        sub: Some("alice".to_string()),
        iss: Some(scenario.issuer.clone()),
        aud: Some(scenario.audience.clone()),
        exp: Some(now.saturating_add(3600)),
        ..Claims::default()
    };
    let mut role: Option<String> = None;
    let mut key = scenario.key.clone();
    while let Some((name, inline)) = arguments.next_flag("sub")? {
        if name == "help" {
            print!("{HELP}");
            return Ok(());
        }
        let value = match name.as_str() {
            "sub" | "role" | "scope" | "exp" | "nbf" | "iat" | "iss" | "aud" | "key" => {
                arguments.value(&name, inline)?
            }
            _ => return Err(arguments.unknown_flag(&name).into()),
        };
        match name.as_str() {
            "sub" => claims.sub = Some(value),
            "role" => role = Some(value),
            "scope" => claims.scope = Some(value),
            "exp" => claims.exp = Some(time(&arguments, &name, &value, now)?),
            "nbf" => claims.nbf = Some(time(&arguments, &name, &value, now)?),
            "iat" => claims.iat = Some(time(&arguments, &name, &value, now)?),
            "iss" => claims.iss = Some(value).filter(|issuer| !issuer.is_empty()),
            "aud" => claims.aud = Some(value).filter(|audience| !audience.is_empty()),
            _ => key = value,
        }
    }
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

/// Unix seconds, or `+N` / `-N` seconds from `now`.
fn time(arguments: &Arguments, flag: &str, value: &str, now: u64) -> Result<u64, Failure> {
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
        arguments
            .error(format!(
                "--{flag} needs Unix seconds (1767229200) or an offset from now (+3600, -60), not {value:?}"
            ))
            .into()
    })
}
