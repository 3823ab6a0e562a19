//! authpath's auth pipeline: a raw HTTP request in, the decision path, the response and a
//! lint of that response against the RFCs out.
//!
//! ```
//! use authpath_engine::{evaluate, Scenario};
//!
//! let scenario = Scenario::default();
//! let evaluation = evaluate("GET /profile HTTP/1.1\r\nHost: api.example\r\n\r\n", &scenario);
//! assert_eq!(evaluation.response.status.code(), 401);
//! assert!(evaluation.response.to_string().contains("WWW-Authenticate: Bearer realm=\"authpath-demo\""));
//! ```
//!
//! The teaching helpers behind the page's other views live in [`teach`]: the request builder
//! and its presets, the matrix, the quiz and the annotated response. They only write requests
//! and read answers:
//!
//! ```
//! use authpath_engine::teach::mock::preset;
//! use authpath_engine::{evaluate, Scenario, Status};
//!
//! let scenario = Scenario::default();
//! let request = preset("user-on-admin").map(|preset| preset.request).unwrap_or_default();
//! let evaluation = evaluate(&request.to_raw(&scenario), &scenario);
//! assert_eq!(evaluation.response.status, Status::Forbidden);
//! ```
//!
//! Architecture invariant: this crate does no I/O, reads no clock and knows nothing of the
//! web. It never panics, whatever the input: parse errors are values.

mod claims;
mod credentials;
pub mod exchange;
mod facts;
mod http;
pub mod identities;
mod keys;
mod lint;
mod model;
pub mod openapi;
mod pipeline;
mod policy;
pub mod profile;
mod rule;
pub mod teach;
pub mod text;
mod token;

// The root is the whole face of the crate but for `exchange`, `profile`, `teach` and `text`: each item below is
// reachable here and nowhere else (the modules it comes from are private), so a caller
// has one path per item.
pub use claims::{ClaimLayout, ClaimPreset};
pub use credentials::{
    find_credentials, find_credentials_of, find_secrets, is_secret_name, reader, withheld_values,
    withhold_secrets, without_credentials, CredentialPlace, FoundCredential, Place, Reader, Secret,
    SecretPlace, Verifier, ACCESS_TOKEN, API_KEY, API_KEY_IN_COOKIE, API_KEY_IN_QUERY, BASIC,
    BEARER, CSRF_COOKIE, CSRF_HEADER, READERS, SESSION, TOKEN, WITHHELD,
};
pub use facts::Presented;
pub use http::{
    parse_request, Header, Request, RequestError, Status, MAX_HEADER_LINE_BYTES, MAX_REQUEST_BYTES,
};
pub use keys::{
    check_kids, demo_jwks, parse_jwk, parse_keys, parse_private_key, sign_token, Algorithm, Key,
    KeyError, KeyType, Material, PrivateKey, ASYMMETRIC, DEMO_ATTACKER_ED25519_PRIVATE_PEM,
    DEMO_ED25519_KID, DEMO_ED25519_PRIVATE_PEM, DEMO_ED25519_PUBLIC_PEM, DEMO_P256_KID,
    DEMO_P256_PRIVATE_PEM, DEMO_P256_PUBLIC_PEM, DEMO_RSA_KID, DEMO_RSA_PRIVATE_PEM,
    DEMO_RSA_PUBLIC_PEM, PUBLIC_KEYS_UNREAD,
};
pub use lint::Unjudged;
pub use model::{
    Authentication, Authorization, Evaluation, Exit, Finding, GraphNode, Outcome, Response,
    Scenario, Severity, Step, User, Vars,
};
pub use pipeline::{evaluate, graph};
pub use policy::{
    fill_pattern, Access, ErrorRoute, Field, KeyLocation, Params, Policy, PolicyError, Requirement,
    Route, RouteMatch, Scheme,
};
pub use profile::{Node, Profile};
pub use rule::Rule;
pub use token::{basic_credentials, format_utc, mint_token, Claims};
