//! `authpath token`: mint a demo HS256 JWT with the engine's `mint_token`, or a JWT of any
//! algorithm with `--alg` and `--private-key` (or the engine's demo key of that type).

use std::time::{SystemTime, UNIX_EPOCH};

use authpath_engine::{
    mint_token, parse_private_key, sign_token, Algorithm, Claims, KeyType, PrivateKey, Scenario,
    DEMO_ED25519_KID, DEMO_ED25519_PRIVATE_PEM, DEMO_P256_KID, DEMO_P256_PRIVATE_PEM, DEMO_RSA_KID,
    DEMO_RSA_PRIVATE_PEM,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde_json::{Map, Value};

use crate::args::{help_flag, Arguments, Command, Flag, Positionals, UsageError};
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
    authpath token --alg RS256   # signed with the demo RSA key (kid authpath-demo-rsa)
    authpath token --private-key key.pem --kid my-key
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
    /// `--alg`, when given.
    pub alg: Option<Algorithm>,
    /// `--private-key`, read, when given.
    pub private_key: Option<PrivateKey>,
    /// `--kid`, when given.
    pub kid: Option<String>,
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
            Flag::value(
                "alg",
                "<alg>",
                "HS256/384/512, RS256/384/512, PS256/384/512, ES256/384 or\n\
                 EdDSA (default HS256, or the private key's own); without\n\
                 --private-key, RS/PS, ES256 and EdDSA use the demo keys",
                |options, value| {
                    let algorithm = Algorithm::from_name(value.trim()).ok_or_else(|| {
                        format!("--alg: {value:?} is not an algorithm authpath signs")
                    })?;
                    options.alg = Some(algorithm);
                    Ok(())
                },
            ),
            Flag::value(
                "private-key",
                "<file>",
                "the key to sign with: PEM (PKCS#8 or PKCS#1) or a JWK with d",
                |options, value| {
                    let text = std::fs::read_to_string(value)
                        .map_err(|error| format!("--private-key: cannot read {value}: {error}"))?;
                    let key = parse_private_key(&text).map_err(|error| {
                        crate::scenario::describe_key_error("--private-key", value, &error)
                    })?;
                    options.private_key = Some(key);
                    Ok(())
                },
            ),
            Flag::value(
                "kid",
                "<kid>",
                "the kid header (default: the demo key's kid, or none)",
                |options, value| {
                    options.kid = Some(value.to_string());
                    Ok(())
                },
            ),
            help_flag(),
        ],
        column: 27,
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
        alg: None,
        private_key: None,
        kid: None,
    };
    let Some(mut options) = command().parse(&mut arguments, defaults)? else {
        return Ok(());
    };
    options.claims.role = options
        .role
        .take()
        .or_else(|| Some(scenario.user(options.claims.sub.as_deref()?)?.role.clone()));
    let token = if options.alg.is_none() && options.private_key.is_none() && options.kid.is_none() {
        mint_token(&options.claims, &options.key)
    } else {
        sign(&options).map_err(|message| Failure::Usage(UsageError::new("token", message)))?
    };
    println!("{token}");
    Ok(())
}

/// A token signed as `--alg`, `--private-key` and `--kid` ask.
fn sign(options: &TokenOptions) -> Result<String, String> {
    let (key, demo_kid) = match (&options.private_key, options.alg) {
        (Some(key), _) => (key.clone(), None),
        (None, algorithm) => demo_key(algorithm.unwrap_or(Algorithm::HS256), &options.key)?,
    };
    let algorithm = options.alg.unwrap_or_else(|| key.default_algorithm());
    if algorithm.key_type() != key.key_type() {
        return Err(format!(
            "--alg {algorithm} does not sign with {}",
            key.key_type().describe()
        ));
    }
    let mut header = Map::new();
    header.insert("typ".into(), "JWT".into());
    if let Some(kid) = options.kid.clone().or(demo_kid) {
        header.insert("kid".into(), kid.into());
    }
    // Serializing a struct of strings and numbers cannot fail.
    let payload = serde_json::to_string(&options.claims).unwrap_or_default();
    if algorithm.name().starts_with("PS") {
        let rsa = key.rsa().ok_or("--alg PS… signs with an RSA key")?;
        return pss(header, &payload, algorithm, rsa);
    }
    sign_token(&header, &payload, algorithm, &key).map_err(|error| error.to_string())
}

/// The engine's demo key for `algorithm` and its kid; the HMAC secret is `--key`.
fn demo_key(algorithm: Algorithm, secret: &str) -> Result<(PrivateKey, Option<String>), String> {
    let (pem, kid) = match algorithm.key_type() {
        KeyType::Secret => return Ok((PrivateKey::Secret(secret.as_bytes().to_vec()), None)),
        KeyType::Rsa => (DEMO_RSA_PRIVATE_PEM, DEMO_RSA_KID),
        KeyType::P256 => (DEMO_P256_PRIVATE_PEM, DEMO_P256_KID),
        KeyType::Ed25519 => (DEMO_ED25519_PRIVATE_PEM, DEMO_ED25519_KID),
        KeyType::P384 => {
            return Err(format!(
                "--alg {algorithm} needs --private-key: authpath has no demo P-384 key"
            ))
        }
    };
    let key = parse_private_key(pem).map_err(|error| error.to_string())?;
    Ok((key, Some(kid.to_string())))
}

/// RSASSA-PSS with a random salt of the hash's length (RFC 7518 §3.5).
fn pss(
    mut header: Map<String, Value>,
    payload: &str,
    algorithm: Algorithm,
    key: &rsa::PrivateKey,
) -> Result<String, String> {
    use rsa::signature::{SignatureEncoding, Signer};
    header.insert("alg".into(), algorithm.name().into());
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(Value::Object(header).to_string()),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let failed = |error: rsa::signature::Error| format!("signing failed: {error}");
    let signature = match algorithm {
        Algorithm::PS256 => rsa::pss::SigningKey::<rsa::sha2::Sha256>::new(key.clone())
            .try_sign(input.as_bytes())
            .map_err(failed)?
            .to_vec(),
        Algorithm::PS384 => rsa::pss::SigningKey::<rsa::sha2::Sha384>::new(key.clone())
            .try_sign(input.as_bytes())
            .map_err(failed)?
            .to_vec(),
        _ => rsa::pss::SigningKey::<rsa::sha2::Sha512>::new(key.clone())
            .try_sign(input.as_bytes())
            .map_err(failed)?
            .to_vec(),
    };
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
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
