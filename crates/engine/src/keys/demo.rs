//! The demo key pairs: published on purpose, like the HS256 demo key, so the attack presets and
//! the examples can sign real tokens without any randomness in the engine. Never use them for
//! anything but authpath's demo: their private halves are in this file for everyone to read.
//! (Generated once with `openssl genpkey`.)

use super::Key;

/// The demo RSA key's `kid`.
pub const DEMO_RSA_KID: &str = "authpath-demo-rsa";
/// The demo P-256 key's `kid`.
pub const DEMO_P256_KID: &str = "authpath-demo-p256";
/// The demo Ed25519 key's `kid`.
pub const DEMO_ED25519_KID: &str = "authpath-demo-ed25519";

/// The demo RSA public key (2048 bits, SPKI).
pub const DEMO_RSA_PUBLIC_PEM: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAuK9z+yjPq6BEmOtkoS6I\n\
qxfD7wJbzq2KbBSpjCJLNskgIz7EJTmQFH+20xEhwRisWQSWtNfWrr9Cf+wGEW8P\n\
o8SiyeIprP2kADhD85DBrG4PMldzdxcPZXl32rGR2rNVwdpSNJOMMk2eeblGoWmU\n\
U7uLGXyEixN6b/MR+XCSJLDyUpeUtp6CV6XeBYAe1nLcL5mm0JTdKqDB5XBYbscF\n\
KydEHSrQ3JERDm8yGy9S3NDDOo2WYe3DkDTZVPWn+M3deOdDZmqNpY4P3lzrbFqn\n\
7g2jTUG0QWxzZF0nckMy2L3cxAlPCGEqEP98eS+4i2AwaLEa8I6Oh+QUZ4ZIHef5\n\
FQIDAQAB\n\
-----END PUBLIC KEY-----\n";

/// The demo RSA private key (PKCS#8). Public on purpose: a demo key.
pub const DEMO_RSA_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC4r3P7KM+roESY\n\
62ShLoirF8PvAlvOrYpsFKmMIks2ySAjPsQlOZAUf7bTESHBGKxZBJa019auv0J/\n\
7AYRbw+jxKLJ4ims/aQAOEPzkMGsbg8yV3N3Fw9leXfasZHas1XB2lI0k4wyTZ55\n\
uUahaZRTu4sZfISLE3pv8xH5cJIksPJSl5S2noJXpd4FgB7WctwvmabQlN0qoMHl\n\
cFhuxwUrJ0QdKtDckREObzIbL1Lc0MM6jZZh7cOQNNlU9af4zd1450Nmao2ljg/e\n\
XOtsWqfuDaNNQbRBbHNkXSdyQzLYvdzECU8IYSoQ/3x5L7iLYDBosRrwjo6H5BRn\n\
hkgd5/kVAgMBAAECggEAVPGl96wSsE6bnnYOJ7BefcsFfGXqUgoxs3phbSnMzFr/\n\
ZBaXYsOyCCuhrDyh+M1fX+YjZvQrMt6XOH0XYWdimyFy+kYCgyV6C/vVDS7UVXmd\n\
lbrxSaIam8KdpMGtYxi+5dWDn9kJT42xySy1VsJXzZdh6AwEbm88DkePSdpD7YmJ\n\
ILZpyTj9L3salL0uKK+V7jpBVFFG9UW8dOpbZF0RfkvDHOtYH3AginzcvLy6CeUq\n\
geoXYlph52pc9/LVv6aYPa6cHB/bDI3cqMArn4CxnjjIVFwF025/Z/zVO21wZdxy\n\
bJO0BLK3bnroxv4iT4J+y0ogaQs1FPlt8nCM9F6vtQKBgQDfy0IEfyWQlqzQ9xNj\n\
giGq+k7DNqk+1BekH7SzD0D3abzDb6MoWVIE26cBTpXWkgCl3+WtqmPX6ldnQXHT\n\
Zov0ztOePFNTmHcmMvDpDm5mFxAJLDETWDErgSf6jVtkxittouzLSSr8VeRnZE61\n\
pSlHKjhM+tP1Iy3zAVSgZSazFwKBgQDTQ2dginmYRxKQILqWKnDqkPRMurkeIBLU\n\
hkanhAWicf0ce14Ed3TBsaC2xNMchYW0k7+M9NeV3zCCy8cLm/7vZZd25/c3Ol/H\n\
lSWISx300aDUeU18m9eKykMeZzSh/fpo3rI65E+HWISUDxrExMNHQv/PNyK2RH5k\n\
fmt6yWVAswKBgHRT4UMZHFumFrqgU9G7yOhpKBvNA/iGoqtLV9Bjs29n5RjppLPK\n\
ihnAW3UQdk6Mog2W7npxQWjwhPJFUHeErGdaQyHTVbT0YarXe+aI+9XRUyKReAkI\n\
JLbqce+JHuKpJ9XbhJ6+r7tuokUkHM3KxkQZrB5Hm3mnCbFxFZ4yNgWNAoGBAJMe\n\
DzFVfROj+rNPd1/3MibGxrlgFmV6JGLHFxC0iU/0XTSmXHRz02THE4nzSqhD+zYi\n\
5XN9VVvSzu9mhLf66+8+Kdnt82QMTIKpxDdDSBsimAMebe1mgRTvgQn9CNP+D5FT\n\
8327W/5+j+SjGBsKgopvh8B/Prb6v6Gvv50D/nStAoGAJBSHWvzn1h3j8ntwZzf1\n\
VBS81vJISDBFv5ti2ZYskz7ZIlj5/HRsxdCBBAaYQsB8rXYnKjLM6ppj5HL4at5a\n\
OkZ/0a42XMAZhMip1/rMzqWcyPhDkBpTHkxLAAgdi6l8ISLeM3YkpZYX3LxuMkap\n\
n/LwnZqppmpr4I39M3ksDRk=\n\
-----END PRIVATE KEY-----\n";

/// The demo P-256 public key (SPKI).
pub const DEMO_P256_PUBLIC_PEM: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE+4Ad0vt7CiOzrJDZzb9e/SOShyy8\n\
Xx4jPzYBPy6sy4WI+DdwM2S67Mz2HVbe7F6BpoWujsCWIO6tUg0k9BwVGA==\n\
-----END PUBLIC KEY-----\n";

/// The demo P-256 private key (PKCS#8). Public on purpose: a demo key.
pub const DEMO_P256_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjsklxppXopTVq9JT\n\
tF21mge8PL+ZGXSPK1uOJSU/IBahRANCAAT7gB3S+3sKI7OskNnNv179I5KHLLxf\n\
HiM/NgE/LqzLhYj4N3AzZLrszPYdVt7sXoGmha6OwJYg7q1SDST0HBUY\n\
-----END PRIVATE KEY-----\n";

/// The demo Ed25519 public key (SPKI).
pub const DEMO_ED25519_PUBLIC_PEM: &str = "\
-----BEGIN PUBLIC KEY-----\n\
MCowBQYDK2VwAyEAMHhMyUlDjkpO/n96/evdqzyYqIsTLpyw0Mobm1bO0Ec=\n\
-----END PUBLIC KEY-----\n";

/// The demo Ed25519 private key (PKCS#8). Public on purpose: a demo key.
pub const DEMO_ED25519_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEIMRuRofIWQgBkCcHMzEEaJo4sGFgcOdxbVL20VXFFJcl\n\
-----END PRIVATE KEY-----\n";

/// The attacker's Ed25519 key of the attack presets: it signs the tokens that name a foreign `jku` or embed their own `jwk`.
pub const DEMO_ATTACKER_ED25519_PRIVATE_PEM: &str = "\
-----BEGIN PRIVATE KEY-----\n\
MC4CAQAwBQYDK2VwBCIEIMDVs3JmgBZkilQJ9e4y1J8hplpL4GfMqxWgsF7JoA0Y\n\
-----END PRIVATE KEY-----\n";

/// The demo JWKS: the RSA, P-256 and Ed25519 demo public keys, each with its `kid`. `None` only
/// if a constant above were damaged, which a test rules out.
pub fn demo_jwks() -> Vec<Key> {
    let mut keys = Vec::new();
    for (kid, pem) in [
        (DEMO_RSA_KID, DEMO_RSA_PUBLIC_PEM),
        (DEMO_P256_KID, DEMO_P256_PUBLIC_PEM),
        (DEMO_ED25519_KID, DEMO_ED25519_PUBLIC_PEM),
    ] {
        if let Ok(parsed) = super::parse_keys(pem) {
            keys.extend(parsed.into_iter().map(|key| Key {
                kid: Some(kid.to_string()),
                ..key
            }));
        }
    }
    keys
}

/// The attacker's Ed25519 seed: the 32 bytes inside [`DEMO_ATTACKER_ED25519_PRIVATE_PEM`] (a
/// test holds them equal). The page signs the attack tokens with these bytes directly, so it
/// carries no private-key reader (PKCS#8, RSA, ECDSA) for that.
#[cfg(feature = "asymmetric")]
const ATTACKER_SEED: [u8; 32] = [
    0xc0, 0xd5, 0xb3, 0x72, 0x66, 0x80, 0x16, 0x64, 0x8a, 0x54, 0x09, 0xf5, 0xee, 0x32, 0xd4, 0x9f,
    0x21, 0xa6, 0x5a, 0x4b, 0xe0, 0x67, 0xcc, 0xab, 0x15, 0xa0, 0xb0, 0x5e, 0xc9, 0xa0, 0x0d, 0x18,
];

/// The public half of the attacker's key (a test holds it equal to the seed's), kept as bytes so
/// that showing it needs no curve arithmetic.
pub(crate) const ATTACKER_PUBLIC: [u8; 32] = [
    0x9b, 0xcd, 0x16, 0x2c, 0xfd, 0x4e, 0xe9, 0x02, 0xcd, 0xd6, 0xd4, 0x38, 0x08, 0xd9, 0xe1, 0x64,
    0x74, 0x43, 0x80, 0xf0, 0x94, 0xbc, 0xe2, 0x70, 0x58, 0x98, 0xdc, 0xb6, 0xa7, 0x41, 0xe5, 0x22,
];

/// The attacker's signing key of the attack presets.
#[cfg(feature = "asymmetric")]
pub(crate) fn attacker() -> ed25519_dalek::SigningKey {
    ed25519_dalek::SigningKey::from_bytes(&ATTACKER_SEED)
}

/// The attacker's Ed25519 signature of `input`. Without the `asymmetric` feature, 64 zero bytes:
/// a build without it hands every scenario the attacker signs to the full build, and never
/// shows such a token (src/parts.rs; `MockRequest::signed_by_the_attacker`).
pub(crate) fn attacker_signature(input: &[u8]) -> [u8; 64] {
    #[cfg(feature = "asymmetric")]
    {
        use ed25519_dalek::Signer as _;
        attacker().sign(input).to_bytes()
    }
    #[cfg(not(feature = "asymmetric"))]
    {
        let _ = input;
        [0; 64]
    }
}

/// The public half of the attacker's key as a JWK (RFC 8037 §2), as the embedded `jwk` of the
/// attack preset shows it.
pub(crate) fn attacker_jwk() -> serde_json::Map<String, serde_json::Value> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let mut jwk = serde_json::Map::new();
    jwk.insert("kty".into(), "OKP".into());
    jwk.insert("crv".into(), "Ed25519".into());
    jwk.insert("x".into(), URL_SAFE_NO_PAD.encode(ATTACKER_PUBLIC).into());
    jwk
}

#[cfg(test)]
mod tests {
    #[cfg(feature = "asymmetric")]
    #[test]
    fn the_attacker_public_key_is_the_seeds() {
        assert_eq!(
            super::attacker().verifying_key().to_bytes(),
            super::ATTACKER_PUBLIC
        );
        let key = super::super::parse_jwk(&super::attacker_jwk());
        assert_eq!(
            key.map(|key| key.material),
            Ok(super::super::Material::Ed25519(
                super::attacker().verifying_key()
            ))
        );
    }

    #[cfg(feature = "asymmetric")]
    #[test]
    fn the_attacker_seed_is_the_published_key() {
        let published = super::super::parse_private_key(super::DEMO_ATTACKER_ED25519_PRIVATE_PEM)
            .ok()
            .and_then(|key| key.ed25519().map(|key| key.to_bytes()));
        assert_eq!(published, Some(super::ATTACKER_SEED));
    }
}
