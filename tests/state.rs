//! The page's reducer: each server setting is an action of its own, the profile lives in the
//! scenario alone, and the route the builder points at follows the policy. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::state::{route_index, Action, State};
use authpath_engine::teach::mock::MockRequest;
use authpath_engine::{Policy, Profile, Scenario};
use yew::Reducible;

fn apply(state: State, action: Action) -> State {
    State::clone(&Rc::new(state).reduce(action))
}

/// The demo policy without its `/admin` route.
fn without_admin() -> Policy {
    let mut policy = Policy::default();
    policy.routes.retain(|route| route.path != "/admin");
    policy
}

/// Runs `actions` from the default state; the scenario must be the default one changed by
/// `expected`, and the profile the page reports must be the scenario's.
fn check(actions: &[Action], expected: impl FnOnce(&mut Scenario)) {
    let state = actions.iter().cloned().fold(State::default(), apply);
    let mut scenario = Scenario::default();
    expected(&mut scenario);
    assert_eq!(*state.scenario, scenario, "{actions:?}");
    assert_eq!(state.profile(), scenario.profile, "{actions:?}");
}

#[test]
fn each_action_changes_only_what_it_names() {
    check(&[Action::SetRealm("docs".into())], |s| {
        s.realm = "docs".into()
    });
    check(&[Action::SetClock(5)], |s| s.now = 5);
    check(&[Action::SetPolicy(without_admin())], |s| {
        s.policy = without_admin()
    });
    check(&[Action::SetProfile(Profile::Naive)], |s| {
        s.profile = Profile::Naive
    });
    check(
        &[Action::Open(MockRequest::default(), Profile::Conceal)],
        |s| s.profile = Profile::Conceal,
    );
    check(
        &[
            Action::SetProfile(Profile::Naive),
            Action::ApplyPreset("no-token"),
        ],
        |_| {},
    );
    // The reset takes back policy, realm and clock, and leaves the profile alone.
    check(
        &[
            Action::SetProfile(Profile::Naive),
            Action::SetPolicy(without_admin()),
            Action::SetRealm("docs".into()),
            Action::SetClock(5),
            Action::ResetServer,
        ],
        |s| s.profile = Profile::Naive,
    );
}

#[test]
fn the_builders_route_follows_the_policy() {
    let on_admin = apply(State::default(), Action::SetPath("/admin".into()));
    let admin = route_index(&Policy::default(), "GET", "/admin");
    assert!(admin.is_some());
    assert_eq!(on_admin.route, admin);
    let removed = apply(on_admin, Action::SetPolicy(without_admin()));
    assert_eq!(removed.route, None);
    let reset = apply(removed, Action::ResetServer);
    assert_eq!(reset.route, admin);
}

/// Every alternative the page offers, applied as the page applies it (one action), gives the
/// status it promised: under the default scenario and after a few presets.
#[test]
fn an_applied_alternative_gets_the_status_it_states() {
    use authpath::components::explain::split;
    use authpath_engine::evaluate;
    use authpath_engine::teach::alternatives::alternatives;

    let mut tried = 0;
    let mut by_profile = 0;
    for preset in [
        None,
        Some("no-token"),
        Some("expired-token"),
        Some("csrf-missing"),
        Some("api-key-in-url"),
        Some("user-on-admin"),
    ] {
        let start = match preset {
            Some(id) => apply(State::default(), Action::ApplyPreset(id)),
            None => State::default(),
        };
        let raw = start.raw_request();
        let before = evaluate(&raw, &start.scenario).response.status;
        let found = alternatives(&raw, &start.scenario);
        assert!(!found.is_empty(), "{preset:?}: no alternatives");
        let (shown, rest) = split(&found);
        assert_eq!(shown.len() + rest.len(), found.len(), "{preset:?}");
        assert!(shown.iter().all(|a| a.profile.is_none()), "{preset:?}");
        let success = |a: &&authpath_engine::teach::alternatives::Alternative| {
            (200..300).contains(&a.status.code())
        };
        // The ways through come first: no failing change is listed before one that gets a 2xx.
        assert!(
            shown.windows(2).all(|w| success(&w[0]) || !success(&w[1])),
            "{preset:?}"
        );
        for alternative in &found {
            let after = apply(
                start.clone(),
                Action::ApplyAlternative(alternative.request.clone(), alternative.profile),
            );
            assert_eq!(after.raw_request(), alternative.request, "{preset:?}");
            if let Some(profile) = alternative.profile {
                assert_eq!(after.profile(), profile);
                by_profile += 1;
            }
            assert!(after.history_mark > start.history_mark);
            let status = evaluate(&after.raw_request(), &after.scenario)
                .response
                .status;
            assert_eq!(
                status, alternative.status,
                "{preset:?}: {}",
                alternative.change
            );
            assert_ne!(status, before, "{preset:?}: {}", alternative.change);
            tried += 1;
        }
    }
    assert!(
        tried > 8 && by_profile > 0,
        "{tried} tried, {by_profile} by profile"
    );
}
