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
