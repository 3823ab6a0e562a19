//! The Policy view's OpenAPI import in the page's reducer: a spec's policy goes in force as the
//! engine maps it, its problems are kept as the engine names them, bad input loses nothing,
//! and the policy travels in links like an edited one unless it is too large, which the page
//! says. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::link::{decode, encode};
use authpath::state::{
    fits_a_link, route_index, Action, State, View, LINK_POLICY_CHARS, TOO_LARGE_FOR_A_LINK,
};
use authpath_engine::openapi;
use authpath_engine::{Policy, Scenario};
use yew::Reducible;

/// The small spec the e2e test opens too: four operations, two schemes it maps and a
/// `mutualTLS` one it cannot.
const SHOP: &str = include_str!("../e2e/fixtures/shop.openapi.json");

fn apply(state: State, action: Action) -> State {
    State::clone(&Rc::new(state).reduce(action))
}

fn import(state: State, text: &str) -> State {
    apply(
        state,
        Action::ImportSpec {
            text: text.to_string(),
            file: Some("api.json".to_string()),
        },
    )
}

/// A spec of `count` operations, each its own path behind a bearer scheme.
fn spec_with(count: usize) -> String {
    let paths: Vec<String> = (0..count)
        .map(|index| {
            format!(
                r#""/resources-{index}/{{id}}": {{"get": {{"x-authpath": {{"owner": "id"}}, "responses": {{"200": {{"description": "ok"}}}}}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"openapi": "3.1.0", "info": {{"title": "t", "version": "1"}},
            "components": {{"securitySchemes": {{"bearer": {{"type": "http", "scheme": "bearer"}}}}}},
            "security": [{{"bearer": []}}], "paths": {{{}}}}}"#,
        paths.join(",")
    )
}

#[test]
fn an_imported_spec_puts_the_policy_the_engine_maps_in_force() {
    let expected = openapi::import(SHOP).expect("the fixture reads");
    let state = import(State::default(), SHOP);
    assert_eq!(state.scenario.policy, expected.policy);
    // Everything else of the scenario is the demo's still.
    let scenario = Scenario {
        policy: expected.policy.clone(),
        ..Scenario::default()
    };
    assert_eq!(*state.scenario, scenario);

    let imported = state.spec.imported.as_deref().expect("an import");
    assert!(imported.in_force);
    assert_eq!(imported.operations, expected.spec.operations.len());
    assert_eq!(imported.routes, expected.policy.routes.len());
    assert_eq!(imported.schemes, expected.policy.schemes.len());
    // The problems are the engine's, unchanged: the mutualTLS scheme, at its line.
    assert_eq!(imported.problems, expected.problems);
    assert!(
        imported.problems.iter().any(|problem| problem.pointer
            == "/components/securitySchemes/clientCert"
            && problem.line == 16),
        "{:?}",
        imported.problems
    );
    assert_eq!(&*state.spec.text, SHOP);
    assert_eq!(state.spec.file.as_deref(), Some("api.json"));
    // The builder's route follows: the demo's /profile is not one of the spec's.
    assert_eq!(state.route, None);
    let health = apply(state, Action::SetPath("/health".into()));
    assert_eq!(
        health.route,
        route_index(&health.scenario.policy, "GET", "/health")
    );
    assert!(health.route.is_some());
}

#[test]
fn input_that_maps_onto_no_policy_leaves_the_policy_in_force_and_keeps_the_text() {
    let edited = {
        let mut policy = Policy::default();
        policy.routes.truncate(2);
        apply(State::default(), Action::SetPolicy(policy))
    };
    for text in [
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        "{\"openapi\": \"3.1.0\", \"paths\": {",
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {}}",
        "",
    ] {
        let state = import(edited.clone(), text);
        assert_eq!(state.scenario, edited.scenario, "{text:?}");
        assert_eq!(&*state.spec.text, text);
        let imported = state.spec.imported.as_deref().expect("an import");
        assert!(!imported.in_force, "{text:?}");
        // Said, with its place: a text that does not read is one problem; a spec without
        // operations maps onto no route, which the page says by not putting it in force.
        let (_, problems) = openapi::to_policy(text);
        assert_eq!(imported.problems, problems, "{text:?}");
        assert_eq!(imported.routes, 0, "{text:?}");
    }
    // YAML: the page's build has the engine's `yaml` feature off, and the engine's own
    // problem then says "JSON only"; a workspace test build unifies the feature on. Either
    // way the page shows exactly what the engine says.
    let yaml = import(edited, "openapi: 3.1.0\n");
    let problems = &yaml.spec.imported.as_deref().expect("an import").problems;
    assert_eq!(*problems, openapi::to_policy("openapi: 3.1.0\n").1);
}

#[test]
fn typing_a_spec_changes_nothing_until_it_is_imported() {
    let state = apply(State::default(), Action::SetSpecText(SHOP.to_string()));
    assert_eq!(*state.scenario, Scenario::default());
    assert_eq!(&*state.spec.text, SHOP);
    assert!(state.spec.imported.is_none());
    // An opened file's name goes once its text is edited.
    let opened = import(State::default(), SHOP);
    let edited = apply(opened, Action::SetSpecText(format!("{SHOP} ")));
    assert_eq!(edited.spec.file, None);
    assert!(edited.spec.imported.is_some());
}

#[test]
fn a_small_spec_travels_in_the_link_as_its_policy() {
    let state = apply(
        import(State::default(), SHOP),
        Action::SetView(View::Matrix),
    );
    let fragment = encode(&state);
    assert!(fragment.contains("&policy="), "{fragment}");
    assert!(
        !fragment.contains("openapi"),
        "the spec text is not in the link: {fragment}"
    );
    let decoded = decode(&fragment, &State::default());
    assert!(decoded.ignored.is_empty(), "{:?}", decoded.ignored);
    assert_eq!(decoded.state.scenario, state.scenario);
    assert!(!state
        .notices
        .iter()
        .any(|notice| notice == TOO_LARGE_FOR_A_LINK));
    // Import is a history step: back returns to the policy before it.
    assert!(state.history_mark > State::default().history_mark);
}

#[test]
fn a_spec_too_large_for_a_link_is_said_and_kept_across_history_moves() {
    // The smallest spec over the limit, and the largest under it, found by the policy's JSON.
    let size = |count: usize| openapi::to_policy(&spec_with(count)).0.to_json().len();
    let over = (1..2000)
        .find(|count| size(*count) > LINK_POLICY_CHARS)
        .expect("some spec is too large");
    let state = import(State::default(), &spec_with(over));
    assert!(state.spec.imported.as_deref().expect("an import").in_force);
    assert!(!fits_a_link(&state.scenario.policy));
    assert_eq!(
        state
            .notices
            .iter()
            .filter(|notice| *notice == TOO_LARGE_FOR_A_LINK)
            .count(),
        1,
        "{:?}",
        state.notices
    );
    let fragment = encode(&state);
    assert!(!fragment.contains("policy="), "{fragment}");

    // Moving in history to a link without a policy keeps the large one, not the demo's.
    let moved = apply(
        state.clone(),
        Action::Load(Box::new(decode(&fragment, &State::default()).state)),
    );
    assert_eq!(moved.scenario.policy, state.scenario.policy);
    assert!(moved
        .notices
        .iter()
        .any(|notice| notice == TOO_LARGE_FOR_A_LINK));
    // A link that names its own policy opens that one.
    let small = import(State::default(), SHOP);
    let other = apply(
        state.clone(),
        Action::Load(Box::new(decode(&encode(&small), &State::default()).state)),
    );
    assert_eq!(other.scenario.policy, small.scenario.policy);

    // One operation fewer fits: it travels, and the notice goes.
    let fits = import(state.clone(), &spec_with(over - 1));
    assert!(fits_a_link(&fits.scenario.policy));
    assert!(!fits
        .notices
        .iter()
        .any(|notice| notice == TOO_LARGE_FOR_A_LINK));
    assert!(encode(&fits).contains("&policy="));
    // So does the reset to the demo API.
    let reset = apply(state, Action::ResetServer);
    assert!(!reset
        .notices
        .iter()
        .any(|notice| notice == TOO_LARGE_FOR_A_LINK));
    assert_eq!(*reset.scenario, Scenario::default());
}
