//! The server's keys: the JWS algorithms it knows (RFC 7518, RFC 8037), public keys read from
//! PEM (SPKI and PKCS#1), a JWK or a JWKS (RFC 7517), and the signature check per algorithm.
//! A key's type decides which algorithms it may verify (RFC 8725 §3.1), so an HMAC check is never
//! made with an RSA key's text. Parse errors are values that say where: the PEM block and its
//! line, the JSON line and column, which JWK of a set, which `kid` came twice.

mod demo;
mod sign;

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
#[cfg(feature = "asymmetric")]
use ed25519_dalek::pkcs8::DecodePublicKey;
#[cfg(feature = "asymmetric")]
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

pub(crate) use demo::{attacker_jwk, attacker_signature, ATTACKER_PUBLIC};
pub use demo::{
    demo_jwks, DEMO_ATTACKER_ED25519_PRIVATE_PEM, DEMO_ED25519_KID, DEMO_ED25519_PRIVATE_PEM,
    DEMO_ED25519_PUBLIC_PEM, DEMO_P256_KID, DEMO_P256_PRIVATE_PEM, DEMO_P256_PUBLIC_PEM,
    DEMO_RSA_KID, DEMO_RSA_PRIVATE_PEM, DEMO_RSA_PUBLIC_PEM,
};
pub use sign::{parse_private_key, sign_token, PrivateKey};

/// A JWS algorithm the engine can verify (RFC 7518 §3.1, RFC 8037 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Algorithm {
    HS256,
    HS384,
    HS512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    ES256,
    ES384,
    EdDSA,
}

/// The type of a key, which decides the algorithms it may verify (RFC 8725 §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// An HMAC secret (JWK `kty: oct`): HS256/384/512.
    Secret,
    /// An RSA public key: RS256/384/512 and PS256/384/512.
    Rsa,
    /// An EC key on P-256: ES256.
    P256,
    /// An EC key on P-384: ES384.
    P384,
    /// An Ed25519 key (JWK `kty: OKP`): EdDSA.
    Ed25519,
}

/// One key the server verifies with: its `kid`, the algorithm a JWK pinned it to, and the key.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The key id tokens name in their `kid` header.
    pub kid: Option<String>,
    /// The JWK's `alg` member: when set, the only algorithm this key verifies (RFC 7517 §4.4).
    pub alg: Option<Algorithm>,
    /// The key itself.
    pub material: Material,
}

/// The key material of a [`Key`].
#[derive(Clone, Debug, PartialEq)]
pub enum Material {
    /// HMAC secret bytes.
    Secret(Vec<u8>),
    Rsa(rsa::PublicKey),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Ed25519(ed25519_dalek::VerifyingKey),
}

/// Why a text of keys did not read, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyError {
    /// What is wrong, e.g. "the JWK has no kty member".
    pub message: String,
    /// The line (1-based) in the text where the problem is, when known.
    pub line: Option<usize>,
    /// The column (1-based), when known (JSON).
    pub column: Option<usize>,
    /// Which JWK of a set (0-based), when the text is a JWKS.
    pub key: Option<usize>,
}

/// Whether this build verifies and signs with public keys (the `asymmetric` feature); without
/// it, only HMAC secrets.
pub const ASYMMETRIC: bool = cfg!(feature = "asymmetric");

/// Why a public key does not read in a build without the `asymmetric` feature.
pub const PUBLIC_KEYS_UNREAD: &str =
    "public keys (RSA, EC, OKP) are read by the full build only: this one verifies HMAC secrets";

/// RFC 7518 §3.3: RSA keys of 2048 bits or more.
#[cfg_attr(not(feature = "asymmetric"), allow(dead_code))]
pub const MIN_RSA_BITS: usize = 2048;

impl Algorithm {
    /// Every algorithm, in RFC 7518's order, EdDSA last.
    pub const ALL: [Algorithm; 12] = [
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::EdDSA,
    ];

    /// The `alg` header value, e.g. `"RS256"`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::EdDSA => "EdDSA",
        }
    }

    /// The algorithm with that `alg` name (case-sensitive, RFC 7515 §4.1.1).
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|algorithm| algorithm.name() == name)
    }

    /// The key type this algorithm needs.
    pub fn key_type(self) -> KeyType {
        match self {
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => KeyType::Secret,
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyType::Rsa,
            Algorithm::ES256 => KeyType::P256,
            Algorithm::ES384 => KeyType::P384,
            Algorithm::EdDSA => KeyType::Ed25519,
        }
    }

    /// What the signature step checks, in words, e.g. "RSASSA-PKCS1-v1_5 with SHA-256".
    pub fn describe(self) -> &'static str {
        match self {
            Algorithm::HS256 => "HMAC-SHA256",
            Algorithm::HS384 => "HMAC-SHA384",
            Algorithm::HS512 => "HMAC-SHA512",
            Algorithm::RS256 => "RSASSA-PKCS1-v1_5 with SHA-256",
            Algorithm::RS384 => "RSASSA-PKCS1-v1_5 with SHA-384",
            Algorithm::RS512 => "RSASSA-PKCS1-v1_5 with SHA-512",
            Algorithm::PS256 => "RSASSA-PSS with SHA-256",
            Algorithm::PS384 => "RSASSA-PSS with SHA-384",
            Algorithm::PS512 => "RSASSA-PSS with SHA-512",
            Algorithm::ES256 => "ECDSA P-256 with SHA-256",
            Algorithm::ES384 => "ECDSA P-384 with SHA-384",
            Algorithm::EdDSA => "Ed25519",
        }
    }

    /// Reads a comma- or space-separated list such as `RS256,ES256`; the error names the
    /// algorithm it does not know.
    pub fn parse_list(text: &str) -> Result<Vec<Algorithm>, String> {
        let mut algorithms = Vec::new();
        for name in text
            .split(|character: char| character == ',' || character.is_whitespace())
            .filter(|name| !name.is_empty())
        {
            let Some(algorithm) = Algorithm::from_name(name) else {
                let known: Vec<&str> = Algorithm::ALL.iter().map(|alg| alg.name()).collect();
                return Err(format!(
                    "{name:?} is not an algorithm authpath verifies ({})",
                    known.join(", ")
                ));
            };
            if !algorithms.contains(&algorithm) {
                algorithms.push(algorithm);
            }
        }
        if algorithms.is_empty() {
            return Err("no algorithm given".to_string());
        }
        Ok(algorithms)
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.name())
    }
}

impl KeyType {
    /// How a trace names the type, e.g. "an RSA key".
    pub fn describe(self) -> &'static str {
        match self {
            KeyType::Secret => "an HMAC secret",
            KeyType::Rsa => "an RSA key",
            KeyType::P256 => "a P-256 EC key",
            KeyType::P384 => "a P-384 EC key",
            KeyType::Ed25519 => "an Ed25519 key",
        }
    }
}

impl Key {
    /// An HMAC secret, from its UTF-8 text, without a `kid`.
    pub fn secret(text: &str) -> Key {
        Key {
            kid: None,
            alg: None,
            material: Material::Secret(text.as_bytes().to_vec()),
        }
    }

    /// The key's type.
    pub fn key_type(&self) -> KeyType {
        match self.material {
            Material::Secret(_) => KeyType::Secret,
            Material::Rsa(_) => KeyType::Rsa,
            Material::P256(_) => KeyType::P256,
            Material::P384(_) => KeyType::P384,
            Material::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// How a trace names the key: `kid authpath-demo-rsa (an RSA key, 2048 bits)`.
    pub fn describe(&self) -> String {
        let what = match &self.material {
            Material::Rsa(key) => format!("an RSA key, {} bits", key.size() * 8),
            _ => self.key_type().describe().to_string(),
        };
        match &self.kid {
            Some(kid) => format!("kid {} ({what})", crate::text::shorten(kid, 60)),
            None => what,
        }
    }

    /// Whether `signature` signs `input` under `algorithm` with this key. `false` for an
    /// algorithm of another key type: the caller reports that before asking.
    pub fn verifies(&self, algorithm: Algorithm, input: &[u8], signature: &[u8]) -> bool {
        #[cfg(feature = "asymmetric")]
        use rsa::signature::Verifier;
        match (&self.material, algorithm) {
            (Material::Secret(secret), Algorithm::HS256) => {
                hmac_verifies::<sha2::Sha256>(secret, input, signature)
            }
            (Material::Secret(secret), Algorithm::HS384) => {
                hmac_verifies::<sha2::Sha384>(secret, input, signature)
            }
            (Material::Secret(secret), Algorithm::HS512) => {
                hmac_verifies::<sha2::Sha512>(secret, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::RS256) => {
                pkcs1v15_verifies::<sha2::Sha256>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::RS384) => {
                pkcs1v15_verifies::<sha2::Sha384>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::RS512) => {
                pkcs1v15_verifies::<sha2::Sha512>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::PS256) => {
                pss_verifies::<sha2::Sha256>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::PS384) => {
                pss_verifies::<sha2::Sha384>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::Rsa(key), Algorithm::PS512) => {
                pss_verifies::<sha2::Sha512>(key, input, signature)
            }
            #[cfg(feature = "asymmetric")]
            (Material::P256(key), Algorithm::ES256) => {
                p256::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify(input, &signature).is_ok())
            }
            #[cfg(feature = "asymmetric")]
            (Material::P384(key), Algorithm::ES384) => {
                p384::ecdsa::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify(input, &signature).is_ok())
            }
            #[cfg(feature = "asymmetric")]
            (Material::Ed25519(key), Algorithm::EdDSA) => {
                ed25519_dalek::Signature::from_slice(signature)
                    .is_ok_and(|signature| key.verify_strict(input, &signature).is_ok())
            }
            _ => false,
        }
    }

    /// The key as a JWK object (RFC 7517 §4), public members only.
    pub fn to_jwk(&self) -> Map<String, Value> {
        let mut jwk = Map::new();
        let text = |bytes: &[u8]| Value::String(URL_SAFE_NO_PAD.encode(bytes));
        match &self.material {
            Material::Secret(secret) => {
                jwk.insert("kty".into(), "oct".into());
                jwk.insert("k".into(), text(secret));
            }
            Material::Rsa(key) => {
                jwk.insert("kty".into(), "RSA".into());
                jwk.insert("n".into(), text(&key.n().to_be_bytes_trimmed_vartime()));
                jwk.insert("e".into(), text(&key.e().to_be_bytes_trimmed_vartime()));
            }
            Material::P256(key) => {
                let point = key.to_sec1_point(false);
                let bytes = point.as_bytes();
                jwk.insert("kty".into(), "EC".into());
                jwk.insert("crv".into(), "P-256".into());
                jwk.insert("x".into(), text(bytes.get(1..33).unwrap_or_default()));
                jwk.insert("y".into(), text(bytes.get(33..).unwrap_or_default()));
            }
            Material::P384(key) => {
                let point = key.to_sec1_point(false);
                let bytes = point.as_bytes();
                jwk.insert("kty".into(), "EC".into());
                jwk.insert("crv".into(), "P-384".into());
                jwk.insert("x".into(), text(bytes.get(1..49).unwrap_or_default()));
                jwk.insert("y".into(), text(bytes.get(49..).unwrap_or_default()));
            }
            Material::Ed25519(key) => {
                jwk.insert("kty".into(), "OKP".into());
                jwk.insert("crv".into(), "Ed25519".into());
                jwk.insert("x".into(), text(key.as_bytes()));
            }
        }
        if let Some(kid) = &self.kid {
            jwk.insert("kid".into(), kid.clone().into());
        }
        if let Some(alg) = self.alg {
            jwk.insert("alg".into(), alg.name().into());
        }
        jwk
    }
}

fn hmac_verifies<D>(secret: &[u8], input: &[u8], signature: &[u8]) -> bool
where
    D: hmac::EagerHash,
    hmac::Hmac<D>: hmac::KeyInit + hmac::Mac,
{
    use hmac::{KeyInit, Mac};
    <hmac::Hmac<D> as KeyInit>::new_from_slice(secret).is_ok_and(|mut mac| {
        mac.update(input);
        mac.verify_slice(signature).is_ok()
    })
}

#[cfg(feature = "asymmetric")]
fn pkcs1v15_verifies<D>(key: &rsa::PublicKey, input: &[u8], signature: &[u8]) -> bool
where
    D: rsa::sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    use rsa::signature::Verifier;
    let verifier = rsa::pkcs1v15::VerifyingKey::<D>::new(key.clone());
    rsa::pkcs1v15::Signature::try_from(signature)
        .is_ok_and(|signature| verifier.verify(input, &signature).is_ok())
}

#[cfg(feature = "asymmetric")]
fn pss_verifies<D>(key: &rsa::PublicKey, input: &[u8], signature: &[u8]) -> bool
where
    D: rsa::sha2::Digest + rsa::sha2::digest::FixedOutputReset,
{
    use rsa::signature::Verifier;
    let verifier = rsa::pss::VerifyingKey::<D>::new(key.clone());
    rsa::pss::Signature::try_from(signature)
        .is_ok_and(|signature| verifier.verify(input, &signature).is_ok())
}

impl KeyError {
    fn new(message: impl Into<String>) -> KeyError {
        KeyError {
            message: message.into(),
            line: None,
            column: None,
            key: None,
        }
    }

    fn at_line(mut self, line: usize) -> KeyError {
        self.line = Some(line);
        self
    }

    fn in_key(mut self, index: usize) -> KeyError {
        self.key = Some(index);
        self
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(formatter, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(formatter, "line {line}: ")?,
            _ => {}
        }
        if let Some(index) = self.key {
            write!(formatter, "key {} of the set: ", index + 1)?;
        }
        formatter.write_str(&self.message)
    }
}

/// Reads public keys from text: one or more PEM blocks (`PUBLIC KEY`, `RSA PUBLIC KEY`), a JWK,
/// or a JWKS (`{"keys": [...]}`). Keys without a `kid` in PEM are given none. Two keys with
/// one `kid` are an error: a token's `kid` must name one key.
pub fn parse_keys(text: &str) -> Result<Vec<Key>, KeyError> {
    let trimmed = text.trim_start();
    let keys = if trimmed.starts_with('{') {
        parse_json_keys(text)?
    } else if trimmed.starts_with("-----BEGIN") {
        parse_pem_keys(text)?
    } else if trimmed.is_empty() {
        Vec::new()
    } else {
        let line = text.len() - trimmed.len();
        return Err(KeyError::new(
            "not a key: paste a PEM block (-----BEGIN PUBLIC KEY-----), a JWK or a JWKS",
        )
        .at_line(crate::text::line_column(text, line).0));
    };
    check_kids(&keys)?;
    Ok(keys)
}

/// Two keys with one `kid` make a set no `kid` can choose from.
pub fn check_kids(keys: &[Key]) -> Result<(), KeyError> {
    for (index, key) in keys.iter().enumerate() {
        let Some(kid) = &key.kid else { continue };
        if keys[..index]
            .iter()
            .any(|other| other.kid.as_ref() == Some(kid))
        {
            return Err(KeyError::new(format!(
                "two keys have the kid {}: a kid must name one key",
                crate::text::shorten(kid, 60)
            ))
            .in_key(index));
        }
    }
    Ok(())
}

/// `text` as JSON, or where it stops being JSON.
fn read_json(text: &str) -> Result<Value, KeyError> {
    serde_json::from_str(text).map_err(|error| KeyError {
        message: format!("not JSON: {error}"),
        line: Some(error.line()),
        column: Some(error.column()),
        key: None,
    })
}

fn parse_json_keys(text: &str) -> Result<Vec<Key>, KeyError> {
    let value = read_json(text)?;
    let Value::Object(object) = value else {
        return Err(KeyError::new("the JSON is not an object (a JWK or a JWKS)"));
    };
    match object.get("keys") {
        Some(Value::Array(items)) => {
            let mut keys = Vec::new();
            for (index, item) in items.iter().enumerate() {
                let Value::Object(jwk) = item else {
                    return Err(KeyError::new("the JWK is not a JSON object").in_key(index));
                };
                // A set may hold encryption keys beside the signing keys (RFC 7517 A.1 does):
                // they never verify a signature, so they are left out rather than refused.
                if !for_signatures(jwk) {
                    continue;
                }
                keys.push(parse_jwk(jwk).map_err(|error| error.in_key(index))?);
            }
            Ok(keys)
        }
        Some(_) => Err(KeyError::new("the JWKS member keys is not an array")),
        None => parse_jwk(&object).map(|key| vec![key]),
    }
}

/// Whether a JWK of a set is meant for signatures: no `use` or `use: sig`, and no `alg` or a
/// JWS signature algorithm's name.
fn for_signatures(jwk: &Map<String, Value>) -> bool {
    let usage = jwk.get("use").and_then(Value::as_str);
    let alg = jwk.get("alg").and_then(Value::as_str);
    usage.is_none_or(|usage| usage == "sig")
        && alg.is_none_or(|alg| {
            Algorithm::from_name(alg).is_some()
                || ["HS", "RS", "PS", "ES", "Ed"]
                    .iter()
                    .any(|family| alg.starts_with(family))
        })
}

/// One JWK (RFC 7517 §4; RFC 7518 §6; RFC 8037 §2). Private members are ignored: only the
/// public key is kept.
pub fn parse_jwk(jwk: &Map<String, Value>) -> Result<Key, KeyError> {
    let kty = match jwk.get("kty") {
        Some(Value::String(kty)) => kty.as_str(),
        Some(_) => return Err(KeyError::new("the JWK member kty is not a string")),
        None => return Err(KeyError::new("the JWK has no kty member")),
    };
    let kid = match jwk.get("kid") {
        Some(Value::String(kid)) => Some(kid.clone()),
        None => None,
        Some(_) => return Err(KeyError::new("the JWK member kid is not a string")),
    };
    let alg = match jwk.get("alg") {
        Some(Value::String(name)) => Some(Algorithm::from_name(name).ok_or_else(|| {
            KeyError::new(format!(
                "the JWK's alg {} is not a signature algorithm authpath verifies",
                crate::text::shorten(name, 40)
            ))
        })?),
        None => None,
        Some(_) => return Err(KeyError::new("the JWK member alg is not a string")),
    };
    if let Some(Value::String(usage)) = jwk.get("use") {
        if usage != "sig" {
            return Err(KeyError::new(format!(
                "the JWK's use is {}, not sig: it is not a signature key",
                crate::text::shorten(usage, 20)
            )));
        }
    }
    let material = match kty {
        "oct" => Material::Secret(member_bytes(jwk, "k")?),
        #[cfg(not(feature = "asymmetric"))]
        "RSA" | "EC" | "OKP" => return Err(KeyError::new(PUBLIC_KEYS_UNREAD)),
        #[cfg(feature = "asymmetric")]
        "RSA" => {
            let modulus = member_bytes(jwk, "n")?;
            let exponent = member_bytes(jwk, "e")?;
            rsa_key(
                rsa::BoxedUint::from_be_slice_vartime(&modulus),
                rsa::BoxedUint::from_be_slice_vartime(&exponent),
            )?
        }
        #[cfg(feature = "asymmetric")]
        "EC" => {
            let curve = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
            let mut point = vec![4u8];
            point.extend(member_bytes(jwk, "x")?);
            point.extend(member_bytes(jwk, "y")?);
            match curve {
                "P-256" => Material::P256(
                    p256::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                        .map_err(|_| KeyError::new("x and y are not a point on P-256"))?,
                ),
                "P-384" => Material::P384(
                    p384::ecdsa::VerifyingKey::from_sec1_bytes(&point)
                        .map_err(|_| KeyError::new("x and y are not a point on P-384"))?,
                ),
                "" => return Err(KeyError::new("the EC JWK has no crv member")),
                other => {
                    return Err(KeyError::new(format!(
                        "the curve {} is not supported (P-256 and P-384 are; P-521 is not)",
                        crate::text::shorten(other, 20)
                    )))
                }
            }
        }
        #[cfg(feature = "asymmetric")]
        "OKP" => {
            let curve = jwk.get("crv").and_then(Value::as_str).unwrap_or_default();
            if curve != "Ed25519" {
                return Err(KeyError::new(format!(
                    "the OKP curve {} is not supported (Ed25519 is)",
                    crate::text::shorten(curve, 20)
                )));
            }
            let bytes = member_bytes(jwk, "x")?;
            let bytes: [u8; 32] = bytes
                .try_into()
                .map_err(|_| KeyError::new("x of an Ed25519 JWK is 32 bytes"))?;
            Material::Ed25519(
                ed25519_dalek::VerifyingKey::from_bytes(&bytes)
                    .map_err(|_| KeyError::new("x is not an Ed25519 public key"))?,
            )
        }
        other => {
            return Err(KeyError::new(format!(
                "the key type {} is not one of oct, RSA, EC, OKP",
                crate::text::shorten(other, 20)
            )))
        }
    };
    let key = Key { kid, alg, material };
    if let Some(alg) = key.alg {
        if alg.key_type() != key.key_type() {
            return Err(KeyError::new(format!(
                "the JWK's alg {alg} is not for {}",
                key.key_type().describe()
            )));
        }
    }
    Ok(key)
}

fn member_bytes(jwk: &Map<String, Value>, name: &str) -> Result<Vec<u8>, KeyError> {
    let Some(value) = jwk.get(name) else {
        return Err(KeyError::new(format!("the JWK has no {name} member")));
    };
    let Some(text) = value.as_str() else {
        return Err(KeyError::new(format!(
            "the JWK member {name} is not a string"
        )));
    };
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| KeyError::new(format!("the JWK member {name} is not base64url")))
}

#[cfg(feature = "asymmetric")]
fn rsa_key(modulus: rsa::BoxedUint, exponent: rsa::BoxedUint) -> Result<Material, KeyError> {
    let key = rsa::PublicKey::new(modulus, exponent)
        .map_err(|error| KeyError::new(format!("not an RSA public key: {error}")))?;
    rsa_material(key)
}

#[cfg(feature = "asymmetric")]
fn rsa_material(key: rsa::PublicKey) -> Result<Material, KeyError> {
    let bits = key.size() * 8;
    if bits < MIN_RSA_BITS {
        return Err(KeyError::new(format!(
            "the RSA key has {bits} bits; RFC 7518 §3.3 asks for {MIN_RSA_BITS} or more"
        )));
    }
    Ok(Material::Rsa(key))
}

/// One `-----BEGIN label-----` … `-----END label-----` block: its label, its whole text and the
/// line it starts on.
pub(crate) struct PemBlock<'a> {
    pub label: &'a str,
    #[cfg_attr(not(feature = "asymmetric"), allow(dead_code))]
    pub text: String,
    pub line: usize,
}

/// Every PEM block of the text, in order.
pub(crate) fn pem_blocks(text: &str) -> Result<Vec<PemBlock<'_>>, KeyError> {
    let mut blocks = Vec::new();
    let mut open: Option<(&str, usize, Vec<&str>)> = None;
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = line.trim();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        {
            if let Some((label, start, _)) = open {
                return Err(KeyError::new(format!(
                    "the PEM block {label} that starts on line {start} has no END line"
                ))
                .at_line(number));
            }
            open = Some((label, number, vec![line]));
            continue;
        }
        if let Some(label) = line
            .strip_prefix("-----END ")
            .and_then(|rest| rest.strip_suffix("-----"))
        {
            let Some((begun, start, mut lines)) = open.take() else {
                return Err(KeyError::new(format!("END {label} without a BEGIN")).at_line(number));
            };
            if begun != label {
                return Err(KeyError::new(format!(
                    "the PEM block BEGIN {begun} (line {start}) ends with END {label}"
                ))
                .at_line(number));
            }
            lines.push(line);
            blocks.push(PemBlock {
                label: begun,
                text: lines.join("\n"),
                line: start,
            });
            continue;
        }
        match &mut open {
            Some((_, _, lines)) => lines.push(line),
            None if line.is_empty() => {}
            None => {
                return Err(KeyError::new(
                    "text outside a PEM block (-----BEGIN …----- … -----END …-----)",
                )
                .at_line(number))
            }
        }
    }
    if let Some((label, start, _)) = open {
        return Err(KeyError::new(format!("the PEM block {label} has no END line")).at_line(start));
    }
    Ok(blocks)
}

fn parse_pem_keys(text: &str) -> Result<Vec<Key>, KeyError> {
    pem_blocks(text)?
        .into_iter()
        .map(|block| {
            pem_public_key(&block).map(|material| Key {
                kid: None,
                alg: None,
                material,
            })
        })
        .collect()
}

fn pem_public_key(block: &PemBlock<'_>) -> Result<Material, KeyError> {
    let at = |error: KeyError| error.at_line(block.line);
    match block.label {
        #[cfg(not(feature = "asymmetric"))]
        "PUBLIC KEY" | "RSA PUBLIC KEY" => Err(at(KeyError::new(PUBLIC_KEYS_UNREAD))),
        #[cfg(feature = "asymmetric")]
        "PUBLIC KEY" => {
            if let Ok(key) = rsa::PublicKey::from_public_key_pem(&block.text) {
                return rsa_material(key).map_err(at);
            }
            if let Ok(key) = p256::ecdsa::VerifyingKey::from_public_key_pem(&block.text) {
                return Ok(Material::P256(key));
            }
            if let Ok(key) = p384::ecdsa::VerifyingKey::from_public_key_pem(&block.text) {
                return Ok(Material::P384(key));
            }
            if let Ok(key) = ed25519_dalek::VerifyingKey::from_public_key_pem(&block.text) {
                return Ok(Material::Ed25519(key));
            }
            Err(at(KeyError::new(
                "the PUBLIC KEY block is not an RSA, P-256, P-384 or Ed25519 key (or its base64 is damaged)",
            )))
        }
        #[cfg(feature = "asymmetric")]
        "RSA PUBLIC KEY" => rsa::PublicKey::from_pkcs1_pem(&block.text)
            .map_err(|error| at(KeyError::new(format!("the RSA PUBLIC KEY block does not read: {error}"))))
            .and_then(|key| rsa_material(key).map_err(at)),
        "CERTIFICATE" => Err(at(KeyError::new(
            "a certificate: authpath reads public keys, not certificates (openssl x509 -pubkey -noout prints the key)",
        ))),
        label if label.contains("PRIVATE KEY") => Err(at(KeyError::new(format!(
            "a {label}: the server verifies with the public key (openssl pkey -pubout prints it); never paste a private key here"
        )))),
        label => Err(at(KeyError::new(format!(
            "a PEM block labelled {}: expected PUBLIC KEY or RSA PUBLIC KEY",
            crate::text::shorten(label, 40)
        )))),
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_jwk().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let jwk = Map::<String, Value>::deserialize(deserializer)?;
        parse_jwk(&jwk).map_err(|error| D::Error::custom(error.to_string()))
    }
}
