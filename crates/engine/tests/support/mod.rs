//! What the engine's test files share, so that each helper has one copy: the demo scenario
//! under a profile, tokens signed with the demo key, hand-made responses, presets by id, and a
//! JSON reader that says why a text is not the JSON a test expected.
//!
//! Used with `mod support;` from `crates/engine/tests/*.rs`, and by the command-line tests
//! through `#[path]` in `crates/cli/tests/common/mod.rs`, so both crates share one copy.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

use authpath_engine::teach::mock::{presets, Preset};
use authpath_engine::{mint_token, Claims, Header, Profile, Response, Scenario, Status};
use serde::de::DeserializeOwned;

/// The demo scenario's clock, `Scenario::default().now`: 2026-01-01T00:00:00Z.
pub const NOW: u64 = 1_767_225_600;

/// The demo scenario's HS256 key, `Scenario::default().key`; public on purpose, so that
/// anyone can mint the tokens the demo accepts.
pub const DEMO_KEY: &str = "authpath-demo-key";

/// The demo scenario (`Scenario::default()`) answering as `profile`.
pub fn scenario(profile: Profile) -> Scenario {
    Scenario {
        profile,
        ..Scenario::default()
    }
}

/// Claims the demo scenario accepts for `sub` with `role`: its issuer and audience, issued at
/// `NOW`, valid for an hour, no scope and no `nbf`.
pub fn claims(sub: &str, role: &str) -> Claims {
    Claims {
        sub: Some(sub.to_string()),
        role: Some(role.to_string()),
        scope: None,
        exp: Some(NOW + 3600),
        nbf: None,
        iat: Some(NOW),
        iss: Some("https://auth.authpath.example".to_string()),
        aud: Some("https://api.authpath.example".to_string()),
    }
}

/// `claims` as an HS256 token signed with the demo key.
pub fn mint(claims: &Claims) -> String {
    mint_token(claims, DEMO_KEY)
}

/// A response with `status`, the header `pairs` (name, value) in order, and `body`.
pub fn response(status: Status, pairs: &[(&str, &str)], body: &str) -> Response {
    Response {
        status,
        headers: pairs
            .iter()
            .map(|(name, value)| Header {
                name: name.to_string(),
                value: value.to_string(),
            })
            .collect(),
        body: body.to_string(),
    }
}

/// The preset with that id; panics naming the id when there is none, rather than letting a
/// test go on with an empty request.
pub fn preset(id: &str) -> Preset {
    presets()
        .into_iter()
        .find(|preset| preset.id == id)
        .unwrap_or_else(|| panic!("no preset {id}"))
}

/// `text` read as JSON of type `T`; panics with `what`, serde's reason and the text itself, so
/// that a failure says why instead of comparing against a placeholder value.
pub fn json<T: DeserializeOwned>(text: &str, what: &str) -> T {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("{what} is not the JSON expected ({error}):\n{text}"))
}
