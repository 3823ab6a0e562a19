//! The policy editor's own reducer: form edits and text edits keep the two in step, only a
//! valid edit changes the policy it would put in force, and the form never drops the policy's
//! schemes or a route's security. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::views::policy_state::{policy_of, read_policy, rows_of, Action, Editor, Field};
use authpath_engine::{Access, Policy, Requirement, Route};
use yew::Reducible;

fn path(row: usize, value: &str) -> Action {
    Action::Edit {
        row,
        field: Field::Path,
        value: value.to_string(),
    }
}

/// A short policy, as TOML, for the text cases.
fn one_route() -> Policy {
    Policy {
        schemes: Default::default(),
        routes: vec![Route {
            method: "GET".to_string(),
            path: "/only".to_string(),
            access: Access::Public,
            security: None,
            example: None,
        }],
    }
}

/// Runs `actions` on an editor showing the demo policy. The policy it would put in force must
/// be the demo policy's routes changed by `expected`; while nothing typed is invalid, the rows,
/// the text and that policy must all agree.
fn check(actions: &[Action], expected: impl FnOnce(&mut Vec<Route>)) -> Editor {
    let editor = actions
        .iter()
        .cloned()
        .fold(Rc::new(Editor::new(&Policy::default())), Editor::reduce);
    let mut routes = Policy::default().routes;
    expected(&mut routes);
    assert_eq!(editor.policy.routes, routes, "{actions:?}");
    if editor.text_error.is_none() && policy_of(&editor.rows, &editor.policy).is_ok() {
        assert_eq!(
            policy_of(&editor.rows, &editor.policy).as_ref(),
            Ok(&editor.policy),
            "{actions:?}"
        );
        assert_eq!(
            read_policy(&editor.text).as_ref(),
            Ok(&editor.policy),
            "{actions:?}"
        );
    }
    Editor::clone(&editor)
}

#[test]
fn form_edits_keep_the_text_in_step() {
    check(&[path(0, "/open")], |routes| {
        routes[0].path = "/open".into()
    });
    check(&[Action::MoveUp(1)], |routes| routes.swap(0, 1));
    check(&[Action::MoveDown(0)], |routes| routes.swap(0, 1));
    check(&[Action::Remove(2)], |routes| {
        routes.remove(2);
    });
    // The demo policy has eight routes: the new one is the ninth.
    check(&[Action::AddRow], |routes| {
        routes.push(Route {
            method: "GET".into(),
            path: "/new-9".into(),
            access: Access::Authenticated,
            security: None,
            example: None,
        })
    });
    check(
        &[Action::Edit {
            row: 2,
            field: Field::Value,
            value: "auditor".into(),
        }],
        |routes| routes[2].access = Access::Role("auditor".into()),
    );
    check(
        &[Action::Edit {
            row: 1,
            field: Field::Access,
            value: "public".into(),
        }],
        |routes| routes[1].access = Access::Public,
    );
}

#[test]
fn clicks_on_rows_that_are_gone_or_cannot_move_change_nothing() {
    let untouched = Editor::new(&Policy::default());
    let last = Policy::default().routes.len() - 1;
    for action in [
        Action::MoveUp(0),
        Action::MoveDown(last),
        Action::Remove(last + 1),
        path(last + 3, "/x"),
    ] {
        assert_eq!(
            check(std::slice::from_ref(&action), |_| {}),
            untouched,
            "{action:?}"
        );
    }
}

#[test]
fn an_invalid_edit_is_kept_as_typed_while_the_last_valid_policy_stays() {
    let broken = check(&[path(0, "users")], |_| {});
    assert_eq!(broken.rows[0].path, "users");
    assert!(policy_of(&broken.rows, &broken.policy).is_err());
    assert_eq!(broken.text, Policy::default().to_toml());

    let typo = check(&[Action::EditText("routes = [".into())], |_| {});
    assert_eq!(typo.text, "routes = [");
    assert!(typo.text_error.is_some());
    assert_eq!(typo.rows, rows_of(&Policy::default()));

    // Mended, the text wins again and the rows follow it.
    let mended = check(
        &[
            Action::EditText("routes = [".into()),
            Action::EditText(one_route().to_toml()),
        ],
        |routes| *routes = one_route().routes,
    );
    assert_eq!(mended.text_error, None);
    assert_eq!(mended.rows, rows_of(&one_route()));
}

#[test]
fn a_policy_changed_elsewhere_replaces_what_was_typed() {
    let followed = check(
        &[
            path(0, "users"),
            Action::EditText("routes = [".into()),
            Action::Follow(one_route()),
        ],
        |routes| *routes = one_route().routes,
    );
    assert_eq!(followed, Editor::new(&one_route()));
}

fn security(row: usize, value: &str) -> Action {
    Action::Edit {
        row,
        field: Field::Security,
        value: value.to_string(),
    }
}

#[test]
fn form_edits_keep_the_schemes_and_each_routes_security() {
    // The demo policy: POST /users/{id}/notes takes a token or a session, GET /metrics the key.
    let demo = Policy::default();
    assert!(demo.routes[5].security.is_some() && demo.routes[7].security.is_some());
    let rows = rows_of(&demo);
    assert_eq!(rows[5].security, "bearer, session");
    assert_eq!(rows[7].security, "apiKey");
    assert_eq!(rows[0].security, "");
    // Any edit of any row keeps every scheme and every other route's security.
    for edited in [
        check(&[path(0, "/open")], |routes| {
            routes[0].path = "/open".into()
        }),
        check(&[Action::MoveUp(7)], |routes| routes.swap(6, 7)),
        check(&[Action::Remove(0)], |routes| {
            routes.remove(0);
        }),
    ] {
        assert_eq!(edited.policy.schemes, demo.schemes);
        assert_eq!(Policy::from_toml(&edited.text), Ok(edited.policy.clone()));
    }
    // The security field is the route's: ways by commas or spaces, schemes sent together
    // joined by `+`, `{}` for no credentials; empty for every scheme.
    let one = |name: &str| Requirement::one(name);
    check(&[security(7, "apiKey, bearer")], |routes| {
        routes[7].security = Some(vec![one("apiKey"), one("bearer")])
    });
    check(&[security(5, " session ")], |routes| {
        routes[5].security = Some(vec![one("session")])
    });
    check(&[security(7, "")], |routes| routes[7].security = None);
    check(&[security(0, "bearer basic")], |routes| {
        routes[0].security = Some(vec![one("bearer"), one("basic")])
    });
    let joint = check(&[security(7, "apiKey + bearer, {}")], |routes| {
        routes[7].security = Some(vec![
            Requirement::all(["apiKey", "bearer"]),
            Requirement::anonymous(),
        ])
    });
    // Read back from the policy, the field writes what was meant in its own form.
    assert_eq!(rows_of(&joint.policy)[7].security, "apiKey+bearer, {}");
    // A name the policy has no scheme for is the row's error; the last valid policy stays.
    let unknown = check(&[security(7, "apikey")], |_| {});
    assert_eq!(unknown.rows[7].security, "apikey");
    let errors = policy_of(&unknown.rows, &unknown.policy).expect_err("no scheme apikey");
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].0, 7);
    assert!(
        errors[0]
            .1
            .contains("not one of the schemes (apiKey, basic, bearer, session)"),
        "{}",
        errors[0].1
    );
}

#[test]
fn a_policy_without_schemes_reads_and_edits_as_before() {
    let plain = one_route();
    let editor = Rc::new(Editor::new(&plain));
    assert!(
        !editor.text.contains("schemes") && !editor.text.contains("security"),
        "{}",
        editor.text
    );
    let edited = editor.reduce(path(0, "/other"));
    assert!(edited.policy.schemes.is_empty());
    assert_eq!(edited.policy.routes[0].path, "/other");
    assert_eq!(edited.policy.routes[0].security, None);
    // Naming a scheme such a policy lacks is an error that says so.
    let named = edited.reduce(security(0, "bearer"));
    let errors = policy_of(&named.rows, &named.policy).expect_err("no schemes");
    assert!(
        errors[0].1.contains("the policy has no schemes"),
        "{}",
        errors[0].1
    );
}

#[test]
fn the_text_reads_json_too_and_schemes_written_in_it_reach_the_form() {
    let json = Policy::default().to_json();
    let editor = Rc::new(Editor::new(&one_route())).reduce(Action::EditText(json.clone()));
    assert_eq!(editor.text_error, None);
    assert_eq!(editor.policy, Policy::default());
    assert_eq!(editor.rows, rows_of(&Policy::default()));
    assert_eq!(editor.text, json, "what was typed stays as typed");
    // A form edit then writes the text as TOML, schemes and all.
    let edited = editor.reduce(path(0, "/open"));
    assert_eq!(edited.policy.schemes, Policy::default().schemes);
    assert!(edited.text.starts_with("[schemes."), "{}", edited.text);
    // Broken JSON is an error with its place, like broken TOML.
    let broken = edited
        .clone()
        .reduce(Action::EditText("{\"routes\": [".into()));
    assert!(
        broken
            .text_error
            .as_ref()
            .is_some_and(|error| error.line == Some(1)),
        "{:?}",
        broken.text_error
    );
    assert_eq!(broken.policy, edited.policy);
}
