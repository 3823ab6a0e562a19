//! What the engine's test files share, so that each helper has one copy: the demo scenario
//! under a profile, tokens signed with the demo key, hand-made responses, presets by id, and a
//! JSON reader that says why a text is not the JSON a test expected.
//!
//! Used with `mod support;` from `crates/engine/tests/*.rs`, and by the command-line tests
//! through `#[path]` in `crates/cli/tests/common/mod.rs`, so both crates share one copy.

// Each test file uses its own subset of these helpers.
#![allow(dead_code)]

use authpath_engine::teach::mock::Preset;
use authpath_engine::{
    mint_token, Claims, Evaluation, Header, Profile, Response, Scenario, Status,
};
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
    authpath_engine::teach::mock::preset(id).unwrap_or_else(|| panic!("no preset {id}"))
}

/// `text` read as JSON of type `T`; panics with `what`, serde's reason and the text itself, so
/// that a failure says why instead of comparing against a placeholder value.
pub fn json<T: DeserializeOwned>(text: &str, what: &str) -> T {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("{what} is not the JSON expected ({error}):\n{text}"))
}

/// Whether `evaluation`'s trace walks `profile`'s graph: it starts at the graph's first node;
/// the last step at each node visited names one of that node's exits (the steps before it
/// name none); an exit that goes on leads to the next node visited; and the last visit leaves
/// by the one terminal exit it names, whose statuses hold the response's. What the page lights
/// is exactly that exit.
#[allow(dead_code)]
pub fn walks_the_graph(evaluation: &Evaluation, profile: Profile) -> Result<(), String> {
    let graph = authpath_engine::graph(profile);
    let trace = &evaluation.trace;
    let first = graph.first().map(|node| node.node);
    if trace.first().map(|step| step.node) != first {
        return Err(format!("starts at {:?}, not {first:?}", trace.first()));
    }
    // Visits: runs of consecutive steps at one node.
    let mut visits: Vec<&[authpath_engine::Step]> = Vec::new();
    let mut start = 0;
    for index in 1..=trace.len() {
        if index == trace.len() || trace[index].node != trace[start].node {
            visits.push(&trace[start..index]);
            start = index;
        }
    }
    for (index, visit) in visits.iter().enumerate() {
        let Some((last, before)) = visit.split_last() else {
            continue;
        };
        if let Some(step) = before.iter().find(|step| step.exit.is_some()) {
            return Err(format!("{:?} names an exit before its last check", step));
        }
        let node = graph
            .iter()
            .find(|node| node.node == last.node)
            .ok_or_else(|| format!("{:?} is not in the graph", last.node))?;
        let id = last
            .exit
            .as_deref()
            .ok_or_else(|| format!("the visit of {:?} names no exit", last.node))?;
        let exit = node
            .exits
            .iter()
            .find(|exit| exit.id == id)
            .ok_or_else(|| format!("{:?} has no exit {id:?}", last.node))?;
        match visits.get(index + 1) {
            Some(next) => {
                if exit.to != Some(next[0].node) {
                    return Err(format!(
                        "{:?} left by {id:?} to {:?}, yet {:?} came next",
                        last.node, exit.to, next[0].node
                    ));
                }
            }
            None => {
                if exit.to.is_some() {
                    return Err(format!(
                        "the run ends at {:?} by {id:?}, which goes on",
                        last.node
                    ));
                }
                if !exit.status.contains(&evaluation.response.status) {
                    return Err(format!(
                        "answered {} by {:?}'s exit {id:?}, whose statuses are {:?}",
                        evaluation.response.status, last.node, exit.status
                    ));
                }
            }
        }
    }
    Ok(())
}
