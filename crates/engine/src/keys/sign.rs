//! Signing tokens with a private key, for the command line's `authpath token`, the tests and
//! the attack presets. Every algorithm here signs deterministically (HMAC, RSASSA-PKCS1-v1_5,
//! ECDSA with RFC 6979 nonces, Ed25519), so the engine needs no randomness. RSASSA-PSS needs a
//! random salt: [`sign_token`] refuses PS256/384/512, and a caller with a random source (the
//! command line) signs PSS itself with [`PrivateKey::rsa`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
#[cfg(feature = "asymmetric")]
use ed25519_dalek::pkcs8::DecodePrivateKey;
#[cfg(feature = "asymmetric")]
use rsa::pkcs1::DecodeRsaPrivateKey;
use serde_json::{Map, Value};

use super::{pem_blocks, read_json, Algorithm, KeyError, KeyType, Material};

/// A private key that signs tokens.
#[derive(Clone, Debug)]
pub enum PrivateKey {
    /// An HMAC secret.
    Secret(Vec<u8>),
    Rsa(Box<rsa::PrivateKey>),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(ed25519_dalek::SigningKey),
}

impl PrivateKey {
    /// The key's type, which decides the algorithms it signs with.
    pub fn key_type(&self) -> KeyType {
        match self {
            PrivateKey::Secret(_) => KeyType::Secret,
            PrivateKey::Rsa(_) => KeyType::Rsa,
            PrivateKey::P256(_) => KeyType::P256,
            PrivateKey::P384(_) => KeyType::P384,
            PrivateKey::Ed25519(_) => KeyType::Ed25519,
        }
    }

    /// The public half, which verifies what this key signs.
    pub fn public_material(&self) -> Material {
        match self {
            PrivateKey::Secret(secret) => Material::Secret(secret.clone()),
            PrivateKey::Rsa(key) => Material::Rsa(key.to_public_key()),
            PrivateKey::P256(key) => Material::P256(*key.verifying_key()),
            PrivateKey::P384(key) => Material::P384(*key.verifying_key()),
            PrivateKey::Ed25519(key) => Material::Ed25519(key.verifying_key()),
        }
    }

    /// The RSA key, for a caller that signs RSASSA-PSS with its own random salt.
    pub fn rsa(&self) -> Option<&rsa::PrivateKey> {
        match self {
            PrivateKey::Rsa(key) => Some(key),
            _ => None,
        }
    }

    /// The Ed25519 key, if this is one.
    pub fn ed25519(&self) -> Option<&ed25519_dalek::SigningKey> {
        match self {
            PrivateKey::Ed25519(key) => Some(key),
            _ => None,
        }
    }

    /// The algorithm this key signs with when none is asked for: HS256, RS256, ES256, ES384
    /// or EdDSA.
    pub fn default_algorithm(&self) -> Algorithm {
        match self.key_type() {
            KeyType::Secret => Algorithm::HS256,
            KeyType::Rsa => Algorithm::RS256,
            KeyType::P256 => Algorithm::ES256,
            KeyType::P384 => Algorithm::ES384,
            KeyType::Ed25519 => Algorithm::EdDSA,
        }
    }
}

/// Reads a private key: a PEM block (`PRIVATE KEY` PKCS#8 for RSA, P-256, P-384 and Ed25519;
/// `RSA PRIVATE KEY` PKCS#1) or a JWK with its private members (`d`, and `p`, `q` for RSA; `k`
/// for a secret).
pub fn parse_private_key(text: &str) -> Result<PrivateKey, KeyError> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        let Value::Object(jwk) = read_json(text)? else {
            return Err(KeyError::new("the JSON is not a JWK object"));
        };
        return private_jwk(&jwk);
    }
    let blocks = pem_blocks(text)?;
    let [block] = blocks.as_slice() else {
        return Err(KeyError::new(format!(
            "{} PEM blocks: give one private key",
            blocks.len()
        )));
    };
    let at = |message: String| KeyError::new(message).at_line(block.line);
    match block.label {
        #[cfg(not(feature = "asymmetric"))]
        "PRIVATE KEY" | "RSA PRIVATE KEY" => Err(at(super::PUBLIC_KEYS_UNREAD.to_string())),
        #[cfg(feature = "asymmetric")]
        "PRIVATE KEY" => {
            if let Ok(key) = rsa::PrivateKey::from_pkcs8_pem(&block.text) {
                return Ok(PrivateKey::Rsa(Box::new(key)));
            }
            if let Ok(key) = p256::ecdsa::SigningKey::from_pkcs8_pem(&block.text) {
                return Ok(PrivateKey::P256(key));
            }
            if let Ok(key) = p384::ecdsa::SigningKey::from_pkcs8_pem(&block.text) {
                return Ok(PrivateKey::P384(key));
            }
            if let Ok(key) = ed25519_dalek::SigningKey::from_pkcs8_pem(&block.text) {
                return Ok(PrivateKey::Ed25519(key));
            }
            Err(at(
                "the PRIVATE KEY block is not an RSA, P-256, P-384 or Ed25519 key".to_string(),
            ))
        }
        #[cfg(feature = "asymmetric")]
        "RSA PRIVATE KEY" => rsa::PrivateKey::from_pkcs1_pem(&block.text)
            .map(|key| PrivateKey::Rsa(Box::new(key)))
            .map_err(|error| at(format!("the RSA PRIVATE KEY block does not read: {error}"))),
        "EC PRIVATE KEY" => Err(at(
            "an SEC1 EC PRIVATE KEY: convert it to PKCS#8 (openssl pkcs8 -topk8 -nocrypt)"
                .to_string(),
        )),
        label => Err(at(format!(
            "a PEM block labelled {}: expected PRIVATE KEY or RSA PRIVATE KEY",
            crate::text::shorten(label, 40)
        ))),
    }
}

fn private_jwk(jwk: &Map<String, Value>) -> Result<PrivateKey, KeyError> {
    let public = super::parse_jwk(jwk)?;
    #[cfg(feature = "asymmetric")]
    let bytes = |name: &str| super::member_bytes(jwk, name);
    match public.material {
        Material::Secret(secret) => Ok(PrivateKey::Secret(secret)),
        // A public key does not read in such a build; this arm only completes the match.
        #[cfg(not(feature = "asymmetric"))]
        _ => Err(KeyError::new(super::PUBLIC_KEYS_UNREAD)),
        #[cfg(feature = "asymmetric")]
        Material::Rsa(_) => {
            let number =
                |name: &str| bytes(name).map(|b| rsa::BoxedUint::from_be_slice_vartime(&b));
            let key = rsa::PrivateKey::from_components(
                number("n")?,
                number("e")?,
                number("d")?,
                vec![number("p")?, number("q")?],
            )
            .map_err(|error| KeyError::new(format!("not an RSA private key: {error}")))?;
            Ok(PrivateKey::Rsa(Box::new(key)))
        }
        #[cfg(feature = "asymmetric")]
        Material::P256(_) => p256::ecdsa::SigningKey::from_slice(&bytes("d")?)
            .map(PrivateKey::P256)
            .map_err(|_| KeyError::new("d is not a P-256 private key")),
        #[cfg(feature = "asymmetric")]
        Material::P384(_) => p384::ecdsa::SigningKey::from_slice(&bytes("d")?)
            .map(PrivateKey::P384)
            .map_err(|_| KeyError::new("d is not a P-384 private key")),
        #[cfg(feature = "asymmetric")]
        Material::Ed25519(_) => {
            let secret: [u8; 32] = bytes("d")?
                .try_into()
                .map_err(|_| KeyError::new("d of an Ed25519 JWK is 32 bytes"))?;
            Ok(PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(
                &secret,
            )))
        }
    }
}

/// A compact JWS: the header (its `alg` set to `algorithm`) and the payload, signed with `key`.
/// Refuses an algorithm of another key type, and PS256/384/512, whose salt needs randomness.
pub fn sign_token(
    header: &Map<String, Value>,
    payload: &str,
    algorithm: Algorithm,
    key: &PrivateKey,
) -> Result<String, KeyError> {
    let mut header = header.clone();
    header.insert("alg".to_string(), algorithm.name().into());
    let header = Value::Object(header).to_string();
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(payload)
    );
    let signature = sign_bytes(input.as_bytes(), algorithm, key)?;
    Ok(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)))
}

/// The signature of `input` under `algorithm` with `key`.
pub(crate) fn sign_bytes(
    input: &[u8],
    algorithm: Algorithm,
    key: &PrivateKey,
) -> Result<Vec<u8>, KeyError> {
    #[cfg(feature = "asymmetric")]
    use rsa::signature::{SignatureEncoding, Signer};
    if algorithm.key_type() != key.key_type() {
        return Err(KeyError::new(format!(
            "{algorithm} does not sign with {}",
            key.key_type().describe()
        )));
    }
    let refused = || {
        KeyError::new(format!(
            "{algorithm} needs a random salt; this signer has no random source"
        ))
    };
    #[cfg(feature = "asymmetric")]
    let failed = |error: rsa::signature::Error| KeyError::new(format!("signing failed: {error}"));
    Ok(match (key, algorithm) {
        (PrivateKey::Secret(secret), Algorithm::HS256) => mac::<sha2::Sha256>(secret, input),
        (PrivateKey::Secret(secret), Algorithm::HS384) => mac::<sha2::Sha384>(secret, input),
        (PrivateKey::Secret(secret), Algorithm::HS512) => mac::<sha2::Sha512>(secret, input),
        #[cfg(feature = "asymmetric")]
        (PrivateKey::Rsa(key), Algorithm::RS256) => {
            rsa::pkcs1v15::SigningKey::<sha2::Sha256>::new(key.as_ref().clone())
                .try_sign(input)
                .map_err(failed)?
                .to_vec()
        }
        #[cfg(feature = "asymmetric")]
        (PrivateKey::Rsa(key), Algorithm::RS384) => {
            rsa::pkcs1v15::SigningKey::<sha2::Sha384>::new(key.as_ref().clone())
                .try_sign(input)
                .map_err(failed)?
                .to_vec()
        }
        #[cfg(feature = "asymmetric")]
        (PrivateKey::Rsa(key), Algorithm::RS512) => {
            rsa::pkcs1v15::SigningKey::<sha2::Sha512>::new(key.as_ref().clone())
                .try_sign(input)
                .map_err(failed)?
                .to_vec()
        }
        #[cfg(feature = "asymmetric")]
        (PrivateKey::P256(key), Algorithm::ES256) => {
            let signature: p256::ecdsa::Signature = key.try_sign(input).map_err(failed)?;
            signature.to_bytes().to_vec()
        }
        #[cfg(feature = "asymmetric")]
        (PrivateKey::P384(key), Algorithm::ES384) => {
            let signature: p384::ecdsa::Signature = key.try_sign(input).map_err(failed)?;
            signature.to_bytes().to_vec()
        }
        #[cfg(feature = "asymmetric")]
        (PrivateKey::Ed25519(key), Algorithm::EdDSA) => key.sign(input).to_bytes().to_vec(),
        _ => return Err(refused()),
    })
}

fn mac<D>(secret: &[u8], input: &[u8]) -> Vec<u8>
where
    D: hmac::EagerHash,
    hmac::Hmac<D>: hmac::KeyInit + hmac::Mac,
{
    use hmac::{KeyInit, Mac};
    match <hmac::Hmac<D> as KeyInit>::new_from_slice(secret) {
        Ok(mut mac) => {
            mac.update(input);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm only keeps the function total.
        Err(_) => Vec::new(),
    }
}
