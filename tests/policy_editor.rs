//! The policy editor's own reducer: form edits and text edits keep the two in step, and only
//! a valid edit changes the policy it would put in force. Native.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use authpath::views::policy_state::{policy_of, rows_of, Action, Editor, Field};
use authpath_engine::{Access, Policy, Route};
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
    if editor.text_error.is_none() && policy_of(&editor.rows).is_ok() {
        assert_eq!(
            policy_of(&editor.rows).as_ref(),
            Ok(&editor.policy),
            "{actions:?}"
        );
        assert_eq!(
            Policy::from_toml(&editor.text).as_ref(),
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
    check(&[Action::AddRow], |routes| {
        routes.push(Route {
            method: "GET".into(),
            path: "/new-7".into(),
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
    for action in [
        Action::MoveUp(0),
        Action::MoveDown(5),
        Action::Remove(6),
        path(9, "/x"),
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
    assert!(policy_of(&broken.rows).is_err());
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
