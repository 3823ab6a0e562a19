//! Credentials: minting HS256 JWTs and verifying JWTs of every algorithm in `keys` (RFC 7519,
//! RFC 7515, RFC 8725), and Basic credentials (RFC 7617). Each verification check is reported on its own, so the trace can show which
//! one failed.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::claims::ClaimLayout;
use crate::keys::{Algorithm, Key, KeyType};
use crate::model::{Outcome, Scenario};
use crate::text::shorten;

/// The JWT claims the demo API reads. `None` members are left out of the token.
#[derive(Default, Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// The user the token speaks for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub: Option<String>,
    /// The user's role, e.g. `user` or `admin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Granted scopes, space-separated (RFC 8693 §4.2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Expiry, in Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exp: Option<u64>,
    /// Not before, in Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Issued at, in Unix seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// The issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// The audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<String>,
}

/// An HS256 compact JWS of the claims, signed with the UTF-8 bytes of `key`.
pub fn mint_token(claims: &Claims, key: &str) -> String {
    sign(r#"{"alg":"HS256","typ":"JWT"}"#, claims, key)
}

/// The token68 of a Basic credential: base64 of `user:password` (RFC 7617 §2).
pub fn basic_credentials(user: &str, password: &str) -> String {
    STANDARD.encode(format!("{user}:{password}"))
}

/// A token with any JOSE header, signed HS256 with `key` whatever the header says.
pub(crate) fn sign(header_json: &str, claims: &Claims, key: &str) -> String {
    let input = signing_input(header_json, claims);
    let signature = URL_SAFE_NO_PAD.encode(hmac_sha256(key.as_bytes(), input.as_bytes()));
    format!("{input}.{signature}")
}

pub(crate) fn signing_input(header_json: &str, claims: &Claims) -> String {
    // Serializing a struct of strings and numbers cannot fail.
    let payload = serde_json::to_string(claims).unwrap_or_default();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header_json),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

pub(crate) fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC accepts keys of any length; this branch exists only to avoid a panic path.
        Err(_) => Vec::new(),
    }
}

/// One verification check, as the trace shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Check {
    pub check: &'static str,
    pub condition: String,
    /// `Passed`, `Skipped` or `Failed`.
    pub outcome: Outcome,
    pub detail: String,
}

/// Who the verified credentials speak for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Identity {
    pub subject: Option<String>,
    /// The caller's roles: one for a demo token or a Basic user, any number from a provider.
    pub roles: Vec<String>,
    /// The claim the roles were read from, when they came from a token.
    pub role_claim: Option<String>,
    pub scopes: Vec<String>,
    /// The claim the scopes were read from, when they came from a token.
    pub scope_claim: Option<String>,
    /// Whether the claims were read as the demo reads them (`role`, `scope`): the authorize
    /// step then words its detail as it always has.
    pub demo_claims: bool,
}

/// The result of verifying one credential: every check made, in order, and the identity or
/// the `error_description` for the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Verification {
    pub checks: Vec<Check>,
    pub result: Result<Identity, String>,
    /// The `alg` of the JWT header, when one was decoded.
    pub alg: Option<String>,
    /// `Some(true)` when `exp` lies further back than the leeway; `None` when not checked.
    pub expired: Option<bool>,
    /// `Some(true)` when `nbf` lies further ahead than the leeway; `None` when not checked.
    pub not_yet_valid: Option<bool>,
}

/// Why a verification stopped: the `error_description` for the client. The check that failed
/// is already in the verifier's list.
struct Rejected(String);

#[derive(Default)]
struct Verifier {
    checks: Vec<Check>,
    alg: Option<String>,
    expired: Option<bool>,
    not_yet_valid: Option<bool>,
}

impl Verifier {
    fn pass(&mut self, check: &'static str, condition: String, detail: String) {
        self.push(check, condition, Outcome::Passed, detail);
    }

    fn skip(&mut self, check: &'static str, condition: String, detail: String) {
        self.push(check, condition, Outcome::Skipped, detail);
    }

    fn push(&mut self, check: &'static str, condition: String, outcome: Outcome, detail: String) {
        self.checks.push(Check {
            check,
            condition,
            outcome,
            detail,
        });
    }

    /// Records a failed check and says why verification stops.
    fn reject(
        &mut self,
        check: &'static str,
        condition: String,
        detail: String,
        description: String,
    ) -> Rejected {
        self.push(check, condition, Outcome::Failed, detail);
        Rejected(description)
    }

    fn fail(
        mut self,
        check: &'static str,
        condition: String,
        detail: String,
        description: String,
    ) -> Verification {
        self.push(check, condition, Outcome::Failed, detail);
        self.finish(Err(description))
    }

    fn finish(self, result: Result<Identity, String>) -> Verification {
        Verification {
            checks: self.checks,
            result,
            alg: self.alg,
            expired: self.expired,
            not_yet_valid: self.not_yet_valid,
        }
    }
}

/// Verifies a Bearer JWT: structure, alg, the header's `crit`, `typ` and key hints, the key,
/// the signature, exp, nbf, iat, iss, aud, in that order; the first check that fails ends it.
pub(crate) fn verify_jwt(token: &str, scenario: &Scenario) -> Verification {
    let mut verifier = Verifier::default();
    let result = jwt_checks(&mut verifier, token, scenario);
    verifier.finish(result.map_err(|Rejected(description)| description))
}

fn jwt_checks(
    verifier: &mut Verifier,
    token: &str,
    scenario: &Scenario,
) -> Result<Identity, Rejected> {
    let parts = check_structure(verifier, token)?;
    let algorithm = check_alg(verifier, &parts.header, &scenario.algorithms)?;
    check_crit(verifier, &parts.header)?;
    note_typ(verifier, &parts.header);
    note_key_hints(verifier, &parts.header);
    let keys = server_keys(scenario);
    let candidates = select_key(verifier, &parts.header, algorithm, &keys)?;
    check_signature(verifier, &parts, algorithm, &candidates)?;
    check_exp(verifier, &parts.payload, scenario.now, scenario.leeway)?;
    check_nbf(verifier, &parts.payload, scenario.now, scenario.leeway)?;
    check_iat(verifier, &parts.payload, scenario.now, scenario.leeway)?;
    check_iss(
        verifier,
        &parts.payload,
        &wanted(&scenario.issuer, &scenario.other_issuers),
    )?;
    check_aud(
        verifier,
        &parts.payload,
        &wanted(&scenario.audience, &scenario.other_audiences),
    )?;
    Ok(identity(&parts.payload, &scenario.claims))
}

/// The configured value and the further ones, without empty entries.
fn wanted<'a>(first: &'a str, others: &'a [String]) -> Vec<&'a str> {
    std::iter::once(first)
        .chain(others.iter().map(String::as_str))
        .filter(|value| !value.is_empty())
        .collect()
}

/// The keys the server verifies with: its HMAC secret, if any, then its other keys.
fn server_keys(scenario: &Scenario) -> Vec<Key> {
    let mut keys = Vec::with_capacity(scenario.keys.len() + 1);
    if !scenario.key.is_empty() {
        keys.push(Key::secret(&scenario.key));
    }
    keys.extend(scenario.keys.iter().cloned());
    keys
}

/// A JWT's three parts, decoded.
struct JwtParts<'a> {
    header: Map<String, Value>,
    payload: Map<String, Value>,
    signature: Vec<u8>,
    /// `header.payload`, as sent: what the signature signs.
    signing_input: &'a str,
}

const STRUCTURE: &str =
    "three base64url parts header.payload.signature; header and payload are JSON objects";

fn check_structure<'a>(verifier: &mut Verifier, token: &'a str) -> Result<JwtParts<'a>, Rejected> {
    let condition = || STRUCTURE.to_string();
    let parts: Vec<&str> = token.split('.').collect();
    let [header_part, payload_part, signature_part] = parts.as_slice() else {
        return Err(verifier.reject(
            "structure",
            condition(),
            format!("{} part(s) separated by '.', a JWT has 3", parts.len()),
            "the token is not a JWT (expected three base64url parts)".to_string(),
        ));
    };
    let header = decode_object(header_part).map_err(|why| {
        verifier.reject(
            "structure",
            condition(),
            format!("the header {why}"),
            "the token header is not base64url JSON".to_string(),
        )
    })?;
    let payload = decode_object(payload_part).map_err(|why| {
        verifier.reject(
            "structure",
            condition(),
            format!("the payload {why}"),
            "the token payload is not base64url JSON".to_string(),
        )
    })?;
    let signature = URL_SAFE_NO_PAD.decode(signature_part).map_err(|_| {
        verifier.reject(
            "structure",
            condition(),
            "the signature is not base64url without padding".to_string(),
            "the token signature is not base64url".to_string(),
        )
    })?;
    verifier.pass(
        "structure",
        condition(),
        format!(
            "3 parts; header has {} member(s), payload {} claim(s)",
            header.len(),
            payload.len()
        ),
    );
    Ok(JwtParts {
        header,
        payload,
        signature,
        signing_input: token
            .get(..header_part.len() + 1 + payload_part.len())
            .unwrap_or_default(),
    })
}

fn names(algorithms: &[Algorithm]) -> String {
    let names: Vec<&str> = algorithms
        .iter()
        .map(|algorithm| algorithm.name())
        .collect();
    names.join(", ")
}

/// Only the configured algorithms: never `none`, never what the token asks for (RFC 8725 §3.1).
fn check_alg(
    verifier: &mut Verifier,
    header: &Map<String, Value>,
    accepted: &[Algorithm],
) -> Result<Algorithm, Rejected> {
    let condition = match accepted {
        [only] => format!("header alg = {only}, the only algorithm configured"),
        [] => "header alg is configured (none is: every token is refused)".to_string(),
        several => format!("header alg is one of {}, as configured", names(several)),
    };
    let alg = match header.get("alg") {
        Some(Value::String(alg)) => alg.clone(),
        Some(_) => {
            return Err(verifier.reject(
                "alg",
                condition,
                "alg is not a string".to_string(),
                "the token header alg is not a string".to_string(),
            ))
        }
        None => {
            return Err(verifier.reject(
                "alg",
                condition,
                "the header has no alg".to_string(),
                "the token header has no alg".to_string(),
            ))
        }
    };
    verifier.alg = Some(alg.clone());
    if alg.eq_ignore_ascii_case("none") {
        return Err(verifier.reject(
            "alg",
            condition,
            format!("alg {alg}: an unsigned token is never accepted (RFC 8725 §3.1)"),
            "the token is unsigned (alg none) and unsigned tokens are not accepted".to_string(),
        ));
    }
    let shown = shorten(&alg, 40);
    match Algorithm::from_name(&alg).filter(|algorithm| accepted.contains(algorithm)) {
        Some(algorithm) => {
            verifier.pass("alg", condition, format!("alg {alg}"));
            Ok(algorithm)
        }
        None => {
            let (detail, description) = match accepted {
                [only] => (
                    format!("alg {shown} ≠ {only}"),
                    format!("the token algorithm {shown} is not accepted, only {only}"),
                ),
                several => (
                    format!("alg {shown} is not one of {}", names(several)),
                    format!("the token algorithm {shown} is not accepted"),
                ),
            };
            Err(verifier.reject("alg", condition, detail, description))
        }
    }
}

/// RFC 7515 §4.1.11: a `crit` header names extensions the recipient must understand; this
/// server understands none, so any `crit` is refused.
fn check_crit(verifier: &mut Verifier, header: &Map<String, Value>) -> Result<(), Rejected> {
    let Some(crit) = header.get("crit") else {
        return Ok(());
    };
    let condition =
        "crit names only extensions the server understands (RFC 7515 §4.1.11); it understands none"
            .to_string();
    let detail = match crit {
        Value::Array(items) if !items.is_empty() => {
            let listed: Vec<String> = items
                .iter()
                .map(|item| match item {
                    Value::String(name) => shorten(name, 30),
                    other => shorten(&other.to_string(), 30),
                })
                .collect();
            format!(
                "crit lists {}, which this server does not understand",
                listed.join(", ")
            )
        }
        Value::Array(_) => "crit is an empty list, which RFC 7515 §4.1.11 forbids".to_string(),
        _ => "crit is not a list of names".to_string(),
    };
    Err(verifier.reject(
        "crit",
        condition,
        detail,
        "the token header has critical extensions this server does not understand".to_string(),
    ))
}

/// `typ` is a note: explicit typing (RFC 8725 §3.11) tells an access token (`at+jwt`, RFC 9068
/// §2.1) from other JWTs; this server does not require one.
fn note_typ(verifier: &mut Verifier, header: &Map<String, Value>) {
    let Some(typ) = header.get("typ") else {
        return;
    };
    let condition =
        "typ, if present, names the kind of token (RFC 8725 §3.11; RFC 9068: at+jwt)".to_string();
    let detail = match typ.as_str() {
        Some(typ) if typ.eq_ignore_ascii_case("at+jwt") => {
            "typ at+jwt: an RFC 9068 access token".to_string()
        }
        Some(typ) if typ.eq_ignore_ascii_case("JWT") => {
            "typ JWT: a JWT, not typed as an access token (RFC 9068 would say at+jwt)".to_string()
        }
        Some(typ) => format!(
            "typ {}: noted, not required by this server",
            shorten(typ, 40)
        ),
        None => "typ is not a string: noted, not required by this server".to_string(),
    };
    verifier.pass("typ", condition, detail);
}

/// `jku`, `x5u`, `jwk` and `x5c` offer a key with the token; trusting it would let anyone
/// sign (RFC 8725 §3.10). They are never fetched nor used: the key comes from the server's own
/// configuration.
fn note_key_hints(verifier: &mut Verifier, header: &Map<String, Value>) {
    let mut hints = Vec::new();
    for name in ["jku", "x5u"] {
        if let Some(value) = header.get(name) {
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string);
            hints.push(format!("{name} {} is never fetched", shorten(&shown, 60)));
        }
    }
    if header.contains_key("jwk") {
        hints.push("the embedded jwk is never trusted".to_string());
    }
    if header.contains_key("x5c") {
        hints.push("the embedded x5c chain is never trusted".to_string());
    }
    if hints.is_empty() {
        return;
    }
    verifier.skip(
        "key hints",
        "keys offered in the header (jku, x5u, jwk, x5c) are ignored: only configured keys verify"
            .to_string(),
        format!(
            "{}; the server's configured keys decide (RFC 8725 §3.10)",
            hints.join("; ")
        ),
    );
}

/// Chooses the keys to verify with: the key the `kid` names, or the keys whose type fits the
/// algorithm. A key of another type is refused (RFC 8725 §3.1: the key decides the algorithm),
/// which stops the algorithm-confusion attack (HS256 "signed" with an RSA key's public text).
fn select_key(
    verifier: &mut Verifier,
    header: &Map<String, Value>,
    algorithm: Algorithm,
    keys: &[Key],
) -> Result<Vec<Key>, Rejected> {
    let condition = "the kid names a configured key, or one fits the alg".to_string();
    let type_condition = format!(
        "{algorithm} needs {}: the key's type decides the algorithm (RFC 8725 §3.1)",
        algorithm.key_type().describe()
    );
    if keys.is_empty() {
        return Err(verifier.reject(
            "key",
            condition,
            "the server has no key configured".to_string(),
            "the server has no key to verify the token with".to_string(),
        ));
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let any_kid = keys.iter().any(|key| key.kid.is_some());
    if let (Some(kid), true) = (kid, any_kid) {
        let Some(key) = keys.iter().find(|key| key.kid.as_deref() == Some(kid)) else {
            let known: Vec<String> = keys
                .iter()
                .filter_map(|key| key.kid.as_deref())
                .map(|kid| shorten(kid, 40))
                .collect();
            return Err(verifier.reject(
                "key",
                condition,
                format!(
                    "no key with kid {} (the server has {})",
                    shorten(kid, 60),
                    known.join(", ")
                ),
                format!("no key with kid {}", shorten(kid, 60)),
            ));
        };
        if let Some(refusal) = refused_for(key, algorithm) {
            return Err(verifier.reject(
                "key type",
                type_condition,
                format!("{}: {refusal}", key.describe()),
                format!("the token algorithm {algorithm} does not fit the key it names"),
            ));
        }
        verifier.pass(
            "key",
            condition,
            format!(
                "{}, named by the token's kid; fits {algorithm}",
                key.describe()
            ),
        );
        return Ok(vec![key.clone()]);
    }
    let fitting: Vec<Key> = keys
        .iter()
        .filter(|key| refused_for(key, algorithm).is_none())
        .cloned()
        .collect();
    let kid_note = match kid {
        Some(kid) => format!(
            "kid {}, but no configured key has a kid; ",
            shorten(kid, 60)
        ),
        None => String::new(),
    };
    match fitting.as_slice() {
        [] => {
            let configured: Vec<String> = keys.iter().map(Key::describe).collect();
            Err(verifier.reject(
                "key type",
                type_condition,
                format!(
                    "{kid_note}no configured key fits {algorithm}: the server has {}",
                    configured.join(", ")
                ),
                format!("no key of the server fits the token algorithm {algorithm}"),
            ))
        }
        [only] => {
            let what = if keys.len() == 1 {
                "the only key"
            } else {
                "the only key that fits"
            };
            verifier.pass(
                "key",
                condition,
                format!("{kid_note}{what}: {}; fits {algorithm}", only.describe()),
            );
            Ok(fitting)
        }
        several => {
            verifier.pass(
                "key",
                condition,
                format!(
                    "{kid_note}no kid to choose by: {} keys fit {algorithm}, each is tried",
                    several.len()
                ),
            );
            Ok(fitting)
        }
    }
}

/// Why `key` may not verify `algorithm`, if it may not.
fn refused_for(key: &Key, algorithm: Algorithm) -> Option<String> {
    if key.key_type() != algorithm.key_type() {
        return Some(format!(
            "{algorithm} is refused with {}: only {} verifies {algorithm}",
            key.key_type().describe(),
            algorithm.key_type().describe()
        ));
    }
    match key.alg {
        Some(pinned) if pinned != algorithm => Some(format!(
            "the key is for {pinned} only (its JWK alg), not {algorithm}"
        )),
        _ => None,
    }
}

fn check_signature(
    verifier: &mut Verifier,
    parts: &JwtParts<'_>,
    algorithm: Algorithm,
    keys: &[Key],
) -> Result<(), Rejected> {
    let condition = if algorithm == Algorithm::HS256 {
        "HMAC-SHA256(key, header.payload) = signature, compared in constant time".to_string()
    } else {
        format!(
            "the {} signature of header.payload verifies with the key",
            algorithm.describe()
        )
    };
    let input = parts.signing_input.as_bytes();
    let verified = keys
        .iter()
        .find(|key| key.verifies(algorithm, input, &parts.signature));
    let Some(key) = verified else {
        // Two forgeries said by name: they never verify, whatever the key.
        let detail = if parts.signature.is_empty() {
            "the signature is empty: a signed algorithm with no signature (RFC 8725 §3.1)"
                .to_string()
        } else if matches!(algorithm.key_type(), KeyType::P256 | KeyType::P384)
            && parts.signature.iter().all(|byte| *byte == 0)
        {
            "r = s = 0: the psychic signature (CVE-2022-21449) is refused, it proves nothing"
                .to_string()
        } else {
            "signature mismatch: not signed with this server's key".to_string()
        };
        return Err(verifier.reject(
            "signature",
            condition,
            detail,
            "the token signature is invalid".to_string(),
        ));
    };
    let detail = match (&key.kid, keys.len()) {
        (Some(kid), count) if count > 1 => format!("signature matches kid {}", shorten(kid, 60)),
        _ => "signature matches".to_string(),
    };
    verifier.pass("signature", condition, detail);
    Ok(())
}

/// `exp` is optional; when present, `now` must lie before it (plus the leeway).
fn check_exp(
    verifier: &mut Verifier,
    payload: &Map<String, Value>,
    now: u64,
    leeway: u64,
) -> Result<(), Rejected> {
    let condition = format!("now < exp + {leeway} s leeway");
    let exp = match numeric_date(payload, "exp") {
        Ok(exp) => exp,
        Err(why) => {
            return Err(verifier.reject(
                "exp",
                condition,
                why,
                "the token exp claim is not a number".to_string(),
            ))
        }
    };
    let Some(exp) = exp else {
        verifier.skip(
            "exp",
            condition,
            "no exp claim: the token never expires".to_string(),
        );
        return Ok(());
    };
    let expired = now >= exp.saturating_add(leeway);
    verifier.expired = Some(expired);
    if expired {
        return Err(verifier.reject(
            "exp",
            condition,
            format!("expired {} s ago (leeway {leeway} s)", now - exp),
            format!("the token expired at {}", format_utc(exp)),
        ));
    }
    let detail = if now >= exp {
        format!(
            "expired {} s ago, within the leeway of {leeway} s",
            now - exp
        )
    } else {
        format!("expires in {} s, at {}", exp - now, format_utc(exp))
    };
    verifier.pass("exp", condition, detail);
    Ok(())
}

/// `nbf` is optional; when present, it must not lie further ahead than the leeway.
fn check_nbf(
    verifier: &mut Verifier,
    payload: &Map<String, Value>,
    now: u64,
    leeway: u64,
) -> Result<(), Rejected> {
    let condition = format!("nbf ≤ now + {leeway} s leeway");
    let nbf = match numeric_date(payload, "nbf") {
        Ok(nbf) => nbf,
        Err(why) => {
            return Err(verifier.reject(
                "nbf",
                condition,
                why,
                "the token nbf claim is not a number".to_string(),
            ))
        }
    };
    let Some(nbf) = nbf else {
        verifier.skip("nbf", condition, "no nbf claim".to_string());
        return Ok(());
    };
    let not_yet_valid = nbf > now.saturating_add(leeway);
    verifier.not_yet_valid = Some(not_yet_valid);
    if not_yet_valid {
        return Err(verifier.reject(
            "nbf",
            condition,
            format!("not valid for another {} s (leeway {leeway} s)", nbf - now),
            format!("the token is not valid before {}", format_utc(nbf)),
        ));
    }
    verifier.pass("nbf", condition, format!("valid since {}", format_utc(nbf)));
    Ok(())
}

/// `iat` is optional (RFC 7519 §4.1.6); when present, a token issued further ahead than the
/// leeway comes from a clock this server does not share, and is refused as not yet valid.
fn check_iat(
    verifier: &mut Verifier,
    payload: &Map<String, Value>,
    now: u64,
    leeway: u64,
) -> Result<(), Rejected> {
    let condition = format!("iat ≤ now + {leeway} s leeway");
    let iat = match numeric_date(payload, "iat") {
        Ok(Some(iat)) => iat,
        // No iat says nothing; one that is not a number is refused.
        Ok(None) => return Ok(()),
        Err(why) => {
            return Err(verifier.reject(
                "iat",
                condition,
                why,
                "the token iat claim is not a number".to_string(),
            ))
        }
    };
    if iat > now.saturating_add(leeway) {
        return Err(verifier.reject(
            "iat",
            condition,
            format!("issued {} s in the future (leeway {leeway} s)", iat - now),
            format!("the token was issued in the future, at {}", format_utc(iat)),
        ));
    }
    let detail = if iat > now {
        format!(
            "issued {} s ahead, within the leeway of {leeway} s",
            iat - now
        )
    } else {
        format!("issued {} s ago, at {}", now - iat, format_utc(iat))
    };
    verifier.pass("iat", condition, detail);
    Ok(())
}

/// `iss` is required when an issuer is configured, and must be one of them.
fn check_iss(
    verifier: &mut Verifier,
    payload: &Map<String, Value>,
    issuers: &[&str],
) -> Result<(), Rejected> {
    let condition = match issuers {
        [] => "iss is checked when an issuer is configured".to_string(),
        [issuer] => format!("iss = {issuer}"),
        several => format!("iss is one of {}", several.join(", ")),
    };
    if issuers.is_empty() {
        verifier.skip(
            "iss",
            condition,
            "no issuer configured: iss is not checked".to_string(),
        );
        return Ok(());
    }
    let (detail, description) = match payload.get("iss") {
        Some(Value::String(iss)) if issuers.contains(&iss.as_str()) => {
            verifier.pass("iss", condition, format!("iss {iss}"));
            return Ok(());
        }
        Some(Value::String(iss)) => (
            match issuers {
                [issuer] => format!("iss {} ≠ {issuer}", shorten(iss, 80)),
                _ => format!("iss {} is not one of them", shorten(iss, 80)),
            },
            "the token was issued by another issuer",
        ),
        Some(_) => (
            "iss is not a string".to_string(),
            "the token iss claim is not a string",
        ),
        None => ("no iss claim".to_string(), "the token has no iss claim"),
    };
    Err(verifier.reject("iss", condition, detail, description.to_string()))
}

/// `aud` is required when an audience is configured (a string or an array of them, RFC 7519
/// §4.1.3) and must name one of the configured audiences.
fn check_aud(
    verifier: &mut Verifier,
    payload: &Map<String, Value>,
    wanted: &[&str],
) -> Result<(), Rejected> {
    let condition = match wanted {
        [] => "aud is checked when an audience is configured".to_string(),
        [audience] => format!("aud contains {audience}"),
        several => format!("aud contains one of {}", several.join(", ")),
    };
    if wanted.is_empty() {
        verifier.skip(
            "aud",
            condition,
            "no audience configured: aud is not checked".to_string(),
        );
        return Ok(());
    }
    let audiences: Vec<&str> = match payload.get("aud") {
        Some(Value::String(aud)) => vec![aud.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if audiences.is_empty() {
        return Err(verifier.reject(
            "aud",
            condition,
            "no aud claim (or not a string)".to_string(),
            "the token has no audience".to_string(),
        ));
    }
    let shown = shorten(&audiences.join(", "), 120);
    if !audiences.iter().any(|audience| wanted.contains(audience)) {
        let detail = match wanted {
            [audience] => format!("aud {shown} ≠ {audience}"),
            _ => format!("aud {shown} names none of them"),
        };
        return Err(verifier.reject(
            "aud",
            condition,
            detail,
            "the token is meant for another audience".to_string(),
        ));
    }
    verifier.pass("aud", condition, format!("aud {shown}"));
    Ok(())
}

/// Who a verified token speaks for: its `sub`, and the roles and scopes where the claim layout
/// says they are; claims of other types are left out.
fn identity(payload: &Map<String, Value>, layout: &ClaimLayout) -> Identity {
    let roles = layout.roles(payload);
    let scopes = layout.scopes(payload);
    Identity {
        subject: payload
            .get("sub")
            .and_then(Value::as_str)
            .map(str::to_string),
        roles: roles.values,
        role_claim: roles.claim,
        scopes: scopes.values,
        scope_claim: scopes.claim,
        demo_claims: layout.is_demo(),
    }
}

/// Verifies a Basic credential against the scenario's users: base64, `user:pass`, password.
pub(crate) fn verify_basic(token68: &str, scenario: &Scenario) -> Verification {
    let mut verifier = Verifier::default();
    let description = "the user name or password is wrong".to_string();

    let condition = "the credentials are base64 of UTF-8 text".to_string();
    let Ok(bytes) = STANDARD.decode(token68) else {
        return verifier.fail(
            "base64",
            condition,
            format!("{token68:?} is not valid base64"),
            "the Basic credentials are not valid base64".to_string(),
        );
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return verifier.fail(
            "base64",
            condition,
            "the decoded bytes are not UTF-8".to_string(),
            "the Basic credentials are not UTF-8".to_string(),
        );
    };
    verifier.pass("base64", condition, "decoded to UTF-8 text".to_string());

    let condition = "user-id:password, split at the first colon (RFC 7617 §2)".to_string();
    let Some((user_id, password)) = text.split_once(':') else {
        return verifier.fail(
            "user-pass",
            condition,
            "no colon in the decoded text".to_string(),
            "the Basic credentials have no colon".to_string(),
        );
    };
    verifier.pass("user-pass", condition, format!("user-id {user_id}"));

    let condition = format!("user {user_id} exists and the password matches");
    let Some(user) = scenario.user(user_id) else {
        return verifier.fail(
            "password",
            condition,
            format!("no user named {user_id}"),
            description,
        );
    };
    // Comparing digests keeps the comparison's time independent of where the texts differ.
    if Sha256::digest(password.as_bytes()) != Sha256::digest(user.password.as_bytes()) {
        return verifier.fail(
            "password",
            condition,
            format!("wrong password for {user_id}"),
            description,
        );
    }
    verifier.pass(
        "password",
        condition,
        format!("password of {user_id} matches"),
    );
    verifier.finish(Ok(Identity {
        subject: Some(user.name.clone()),
        roles: vec![user.role.clone()],
        demo_claims: true,
        ..Identity::default()
    }))
}

/// Verifies an API key against the scenario's keys: one check, `key`.
pub(crate) fn verify_api_key(key: &str, scenario: &Scenario) -> Verification {
    let mut verifier = Verifier::default();
    let condition = "the key is one the server issued".to_string();
    // Comparing digests keeps the comparison's time independent of where the texts differ.
    let digest = Sha256::digest(key.as_bytes());
    let issued = scenario
        .api_keys
        .iter()
        .find(|issued| Sha256::digest(issued.key.as_bytes()) == digest);
    let Some(issued) = issued else {
        return verifier.fail(
            "key",
            condition,
            format!("no key {} was issued", shown(key)),
            "the API key is not one the server issued".to_string(),
        );
    };
    let role = scenario
        .user(&issued.user)
        .map(|user| user.role.clone())
        .unwrap_or_default();
    verifier.pass("key", condition, format!("{}'s key", issued.user));
    verifier.finish(Ok(Identity {
        subject: Some(issued.user.clone()),
        roles: vec![role],
        demo_claims: true,
        ..Identity::default()
    }))
}

/// Verifies a session id against the scenario's sessions: `session` (held), then `expiry`.
pub(crate) fn verify_session(id: &str, scenario: &Scenario) -> Verification {
    let mut verifier = Verifier::default();
    let condition = "the session id is one the server holds".to_string();
    let Some(session) = scenario.session(id) else {
        return verifier.fail(
            "session",
            condition,
            format!("no session {}", shown(id)),
            "the session is not one the server holds: log in again".to_string(),
        );
    };
    verifier.pass("session", condition, format!("{}'s session", session.user));
    let condition = "the session has not expired".to_string();
    if session.expired {
        return verifier.fail(
            "expiry",
            condition,
            "the session has expired".to_string(),
            "the session has expired: log in again".to_string(),
        );
    }
    verifier.pass("expiry", condition, "the session is live".to_string());
    let role = scenario
        .user(&session.user)
        .map(|user| user.role.clone())
        .unwrap_or_default();
    verifier.finish(Ok(Identity {
        subject: Some(session.user.clone()),
        roles: vec![role],
        demo_claims: true,
        ..Identity::default()
    }))
}

/// A credential as the trace shows it: its first characters, so a reader recognizes it without
/// the page spelling out a secret.
fn shown(secret: &str) -> String {
    let start: String = secret.chars().take(6).collect();
    if start.len() < secret.len() {
        format!("{start}…")
    } else {
        start
    }
}

fn decode_object(part: &str) -> Result<Map<String, Value>, &'static str> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| "is not base64url without padding")?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err("is JSON but not an object"),
        Err(_) => Err("is not JSON"),
    }
}

/// A NumericDate claim (RFC 7519 §2): `Ok(None)` when absent; fractions are cut.
fn numeric_date(payload: &Map<String, Value>, name: &str) -> Result<Option<u64>, String> {
    let Some(value) = payload.get(name) else {
        return Ok(None);
    };
    if let Some(seconds) = value.as_u64() {
        return Ok(Some(seconds));
    }
    match value.as_f64() {
        Some(seconds) if seconds.is_finite() => Ok(Some(if seconds <= 0.0 {
            0
        } else {
            // `as` saturates for values beyond u64.
            seconds as u64
        })),
        _ => Err(format!("{name} is not a number")),
    }
}

/// `2026-01-01T00:00:00Z` for a Unix time (proleptic Gregorian calendar, UTC).
pub fn format_utc(seconds: u64) -> String {
    let days = i64::try_from(seconds / 86_400).unwrap_or(i64::MAX / 2);
    let rest = seconds % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}
