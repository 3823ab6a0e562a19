//! The server's token settings in share links: public keys, algorithms, issuers, audiences,
//! leeway and claim layout travel; the HMAC secret and `oct` keys only with the credentials
//! opt-in. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::link::{decode, encode};
use authpath::state::State;
use authpath_engine::text::percent_decode;
use authpath_engine::{demo_jwks, parse_keys, Algorithm, ClaimPreset, Scenario};

const SECRET: &str = "S3cr3t-never-in-a-link-4711";

fn state(share: bool) -> State {
    let mut keys = demo_jwks();
    keys.extend(parse_keys(r#"{"kty":"oct","k":"UzNjcjN0LW9jdA","kid":"hmac"}"#).expect("oct"));
    let scenario = Scenario {
        key: SECRET.to_string(),
        keys,
        algorithms: vec![Algorithm::RS256, Algorithm::EdDSA],
        issuer: "https://login.example".to_string(),
        other_audiences: vec!["api2".to_string()],
        leeway: 5,
        claims: ClaimPreset::Entra.layout(),
        ..Scenario::default()
    };
    State {
        scenario: Rc::new(scenario),
        share_credentials: share,
        ..State::default()
    }
}

#[test]
fn public_settings_travel_and_secrets_stay_out() {
    let link = encode(&state(false));
    let text = percent_decode(&link, false)
        .map_err(|(_, why)| why)
        .expect("decodes");
    assert!(!text.contains(SECRET), "{text}");
    // The oct key's k (base64url of "S3cr3t-oct") is left out too.
    assert!(!text.contains("UzNjcjN0LW9jdA"), "{text}");
    let read = decode(&link, &State::default());
    assert!(read.ignored.is_empty(), "{:?}", read.ignored);
    let scenario = &read.state.scenario;
    assert_eq!(scenario.keys, demo_jwks());
    assert_eq!(scenario.key, Scenario::default().key);
    assert_eq!(scenario.algorithms, [Algorithm::RS256, Algorithm::EdDSA]);
    assert_eq!(scenario.issuer, "https://login.example");
    assert_eq!(scenario.other_audiences, ["api2"]);
    assert_eq!(scenario.leeway, 5);
    assert_eq!(scenario.claims, ClaimPreset::Entra.layout());
}

#[test]
fn secrets_travel_only_when_asked() {
    let link = encode(&state(true));
    let read = decode(&link, &State::default());
    assert_eq!(read.state.scenario.key, SECRET);
    assert_eq!(read.state.scenario.keys.len(), 4);
    assert!(read.state.share_credentials);
}

#[test]
fn keys_that_do_not_read_are_named() {
    let read = decode("v=1&keys=%7B%22kty%22%3A1%7D&algs=XS1", &State::default());
    assert_eq!(read.ignored.len(), 2, "{:?}", read.ignored);
    assert!(read.state.scenario.keys.is_empty());
}

#[test]
fn resetting_the_server_brings_back_the_demo_token_settings() {
    use authpath::state::{Action, TokenSetting};
    use yew::Reducible;
    let changed = Rc::new(state(true))
        .reduce(Action::SetTokens(TokenSetting::Leeway(99)))
        .reduce(Action::ResetServer);
    let demo = Scenario::default();
    let scenario = &changed.scenario;
    assert_eq!(
        (
            &scenario.key,
            &scenario.keys,
            &scenario.algorithms,
            scenario.leeway,
            &scenario.claims,
            &scenario.issuer,
            &scenario.other_audiences
        ),
        (
            &demo.key,
            &demo.keys,
            &demo.algorithms,
            demo.leeway,
            &demo.claims,
            &demo.issuer,
            &demo.other_audiences
        )
    );
}
